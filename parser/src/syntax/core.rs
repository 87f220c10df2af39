//! The parser state shared by the lexer, word and grammar layers, and its tokens.

use super::AliasHook;
use super::ast::{HereDocBody, Word};
use super::error::{ErrorKind, ParseError, show_bytes};
use super::input::Input;
use std::collections::{HashMap, HashSet};

/// Nesting limit (lists, words, substitutions, test expressions). Each level costs a few
/// kilobytes of stack in a debug build (measured: 300 overflows a 2 MiB thread, 200 does not),
/// so 150 keeps a margin; that is still 70 nested `( )` or `if`s.
pub(super) const MAX_DEPTH: u32 = 150;

/// Shell operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    AndIf,
    OrIf,
    Semi,
    DSemi,
    SemiAnd,
    DSemiAnd,
    Amp,
    Pipe,
    /// `|&` (bash): a pipe that carries stderr too.
    PipeAmp,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    LessAnd,
    GreatAnd,
    LessGreat,
    Clobber,
    DLess,
    DLessDash,
    TLess,
    AndGreat,
    AndDGreat,
}

impl Op {
    /// The operator as written.
    pub fn text(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::Semi => ";",
            Op::DSemi => ";;",
            Op::SemiAnd => ";&",
            Op::DSemiAnd => ";;&",
            Op::Amp => "&",
            Op::Pipe => "|",
            Op::PipeAmp => "|&",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::Clobber => ">|",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::TLess => "<<<",
            Op::AndGreat => "&>",
            Op::AndDGreat => "&>>",
        }
    }

    /// `true` for redirection operators.
    pub fn is_redirect(self) -> bool {
        matches!(
            self,
            Op::Less
                | Op::Great
                | Op::DGreat
                | Op::LessAnd
                | Op::GreatAnd
                | Op::LessGreat
                | Op::Clobber
                | Op::DLess
                | Op::DLessDash
                | Op::TLess
                | Op::AndGreat
                | Op::AndDGreat
        )
    }
}

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TokKind {
    Word(Word),
    Op(Op),
    IoNumber(u32),
    Newline,
    Eof,
}

/// A token with its start position.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub kind: TokKind,
    pub line: u32,
    pub col: u32,
}

impl Token {
    /// The word's text if this is a single unquoted literal word.
    pub fn lit(&self) -> Option<&[u8]> {
        match &self.kind {
            TokKind::Word(w) => w.as_literal(),
            _ => None,
        }
    }

    /// How the token appears in a message.
    pub fn describe(&self) -> String {
        match &self.kind {
            TokKind::Word(w) => format!("'{}'", show_bytes(&super::print::word_bytes(w))),
            TokKind::Op(op) => format!("'{}'", op.text()),
            TokKind::IoNumber(n) => format!("'{n}'"),
            TokKind::Newline => "newline".into(),
            TokKind::Eof => "end of file".into(),
        }
    }
}

/// A here-document whose body has not been read yet.
#[derive(Clone, Debug)]
pub(super) struct PendingHereDoc {
    pub id: u32,
    pub delimiter: Vec<u8>,
    pub quoted: bool,
    pub strip_tabs: bool,
}

/// Everything that persists between `next_complete_command` calls.
#[derive(Debug)]
pub(super) struct State<'a> {
    pub inp: Input<'a>,
    pub peeked: Option<Token>,
    pub pending: Vec<PendingHereDoc>,
    pub bodies: HashMap<u32, HereDocBody>,
    pub next_id: u32,
    pub arith_failed: HashSet<usize>,
    pub depth: u32,
}

impl<'a> State<'a> {
    /// Fresh state reading `src` from line `line`.
    pub fn new(src: &'a [u8], line: u32) -> Self {
        State {
            inp: Input::new(src, line),
            peeked: None,
            pending: Vec::new(),
            bodies: HashMap::new(),
            next_id: 0,
            arith_failed: HashSet::new(),
            depth: 0,
        }
    }
}

/// The working parser: state plus the alias hook for this call.
pub(super) struct P<'a, 'h> {
    pub st: State<'a>,
    pub hook: &'h dyn AliasHook,
    /// The previous alias value ended in a blank: check the next word too.
    pub alias_next: bool,
    /// Set when an arithmetic body turned out to be a command substitution.
    pub not_arith: bool,
    /// Sub-parser of an already delimited text (backquotes, here-document body).
    pub nested_text: bool,
}

pub(super) type R<T> = Result<T, ParseError>;

impl<'a, 'h> P<'a, 'h> {
    /// A parser over `st` using `hook`.
    pub fn new(st: State<'a>, hook: &'h dyn AliasHook) -> Self {
        P {
            st,
            hook,
            alias_next: false,
            not_arith: false,
            nested_text: false,
        }
    }

    /// An error at the current input position.
    pub fn err_here(&self, kind: ErrorKind, message: impl Into<String>) -> ParseError {
        ParseError {
            kind,
            line: self.st.inp.line(),
            column: self.st.inp.column(),
            message: message.into(),
        }
    }

    /// "unexpected X (expected Y)" at `tok`; incomplete when `tok` is the end of input.
    pub fn unexpected(&self, tok: &Token, expected: Option<&str>) -> ParseError {
        let kind = if tok.kind == TokKind::Eof {
            ErrorKind::Incomplete
        } else {
            ErrorKind::Syntax
        };
        let mut message = format!("unexpected {}", tok.describe());
        if let Some(e) = expected {
            message.push_str(&format!(" (expected {e})"));
        }
        ParseError {
            kind,
            line: tok.line,
            column: tok.col,
            message,
        }
    }

    /// Enter one nesting level; errors past [`MAX_DEPTH`].
    pub fn enter(&mut self) -> R<()> {
        if self.st.depth >= MAX_DEPTH {
            return Err(self.err_here(ErrorKind::Syntax, "nesting too deep"));
        }
        self.st.depth += 1;
        Ok(())
    }

    /// Leave a nesting level.
    pub fn leave(&mut self) {
        self.st.depth = self.st.depth.saturating_sub(1);
    }
}
