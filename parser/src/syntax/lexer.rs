//! Token recognition (XCU 2.3): blanks, comments, operators, IO numbers, newlines, and
//! the one-token lookahead the grammar uses, with alias substitution in command position.

use super::ast::Word;
use super::core::{Op, P, R, TokKind, Token};
use super::word::Mode;

/// Bytes that end an unquoted word.
pub(super) fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

/// Words that are reserved in command position (and so never alias-substituted there).
pub(super) fn is_reserved(s: &[u8]) -> bool {
    matches!(
        s,
        b"!" | b"{"
            | b"}"
            | b"case"
            | b"do"
            | b"done"
            | b"elif"
            | b"else"
            | b"esac"
            | b"fi"
            | b"for"
            | b"if"
            | b"then"
            | b"until"
            | b"while"
            | b"function"
            | b"[["
    )
}

impl P<'_, '_> {
    /// Peek at the next byte after skipping line continuations.
    #[inline]
    pub(super) fn pc(&mut self) -> Option<u8> {
        self.st.inp.eat_continuations();
        self.st.inp.peek()
    }

    /// The next token, without consuming it.
    pub(super) fn peek(&mut self) -> R<&Token> {
        if self.st.peeked.is_none() {
            let t = self.lex()?;
            self.st.peeked = Some(t);
        }
        match &self.st.peeked {
            Some(t) => Ok(t),
            None => Err(self.err_here(super::ErrorKind::Syntax, "internal lexer error")),
        }
    }

    /// Consume and return the next token.
    pub(super) fn next(&mut self) -> R<Token> {
        match self.st.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    /// The operator the next token is, if it is one.
    pub(super) fn peek_op(&mut self) -> R<Option<Op>> {
        Ok(match self.peek()?.kind {
            TokKind::Op(op) => Some(op),
            _ => None,
        })
    }

    /// `true` if the next token is the unquoted word `kw`.
    pub(super) fn peek_is(&mut self, kw: &[u8]) -> R<bool> {
        Ok(self.peek()?.lit() == Some(kw))
    }

    /// Skip newlines (the grammar's `linebreak`).
    pub(super) fn linebreak(&mut self) -> R<()> {
        while self.peek()?.kind == TokKind::Newline {
            self.next()?;
        }
        Ok(())
    }

    /// Consume the unquoted word `kw` or fail with "expected 'kw'".
    pub(super) fn expect_word(&mut self, kw: &str) -> R<Token> {
        let t = self.next()?;
        if t.lit() == Some(kw.as_bytes()) {
            Ok(t)
        } else {
            Err(self.unexpected(&t, Some(&format!("'{kw}'"))))
        }
    }

    /// Consume the operator `op` or fail with "expected 'op'".
    pub(super) fn expect_op(&mut self, op: Op) -> R<Token> {
        let t = self.next()?;
        if t.kind == TokKind::Op(op) {
            Ok(t)
        } else {
            Err(self.unexpected(&t, Some(&format!("'{}'", op.text()))))
        }
    }

    /// Alias substitution for the word about to be read in command position.
    pub(super) fn expand_alias(&mut self) -> R<()> {
        for _ in 0..1000 {
            let Some(name) = self.peek()?.lit().map(<[u8]>::to_vec) else {
                return Ok(());
            };
            if is_reserved(&name) || self.st.inp.alias_active(&name) {
                return Ok(());
            }
            let Some(value) = self.hook.alias(&name) else {
                return Ok(());
            };
            self.alias_next = matches!(value.last(), Some(b' ' | b'\t'));
            let value = value.to_vec();
            self.st.peeked = None;
            self.st.inp.push_alias(name, value);
        }
        Ok(())
    }

    /// Recognize one token.
    fn lex(&mut self) -> R<Token> {
        loop {
            match self.pc() {
                Some(b' ' | b'\t') => {
                    self.st.inp.bump();
                }
                Some(b'#') => {
                    while let Some(c) = self.st.inp.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.st.inp.bump();
                    }
                }
                _ => break,
            }
        }
        let line = self.st.inp.line();
        let col = self.st.inp.column();
        let kind = match self.st.inp.peek() {
            None if !self.nested_text && self.st.inp.ends_in_continuation() => {
                return Err(self.err_here(
                    super::ErrorKind::Incomplete,
                    "unexpected end of file after '\\'",
                ));
            }
            None => TokKind::Eof,
            Some(b'\n') => {
                self.st.inp.bump();
                self.read_heredocs()?;
                TokKind::Newline
            }
            Some(c) if is_meta(c) => TokKind::Op(self.lex_op()),
            Some(_) => {
                let w = self.lex_word(Mode::Normal)?;
                match io_number(&w) {
                    Some(n) if matches!(self.pc(), Some(b'<' | b'>')) => TokKind::IoNumber(n),
                    _ => TokKind::Word(w),
                }
            }
        };
        Ok(Token { kind, line, col })
    }

    /// An operator starting at the next byte (which is a metacharacter, not a blank).
    fn lex_op(&mut self) -> Op {
        let c = self.st.inp.bump();
        match c {
            Some(b'&') => match self.pc() {
                Some(b'>') => {
                    // `&>` / `&>>` (bash/ash): stdout and stderr to a file.
                    self.st.inp.bump();
                    self.op2(b'>', Op::AndDGreat, Op::AndGreat)
                }
                _ => self.op2(b'&', Op::AndIf, Op::Amp),
            },
            Some(b'|') => match self.pc() {
                Some(b'&') => {
                    self.st.inp.bump();
                    Op::PipeAmp
                }
                _ => self.op2(b'|', Op::OrIf, Op::Pipe),
            },
            Some(b';') => match self.pc() {
                Some(b';') => {
                    self.st.inp.bump();
                    self.op2(b'&', Op::DSemiAnd, Op::DSemi)
                }
                Some(b'&') => {
                    self.st.inp.bump();
                    Op::SemiAnd
                }
                _ => Op::Semi,
            },
            Some(b'(') => Op::LParen,
            Some(b')') => Op::RParen,
            Some(b'<') => match self.pc() {
                Some(b'<') => {
                    self.st.inp.bump();
                    match self.pc() {
                        Some(b'-') => {
                            self.st.inp.bump();
                            Op::DLessDash
                        }
                        Some(b'<') => {
                            self.st.inp.bump();
                            Op::TLess
                        }
                        _ => Op::DLess,
                    }
                }
                Some(b'&') => {
                    self.st.inp.bump();
                    Op::LessAnd
                }
                Some(b'>') => {
                    self.st.inp.bump();
                    Op::LessGreat
                }
                _ => Op::Less,
            },
            _ => match self.pc() {
                Some(b'>') => {
                    self.st.inp.bump();
                    Op::DGreat
                }
                Some(b'&') => {
                    self.st.inp.bump();
                    Op::GreatAnd
                }
                Some(b'|') => {
                    self.st.inp.bump();
                    Op::Clobber
                }
                _ => Op::Great,
            },
        }
    }

    /// `two` if the next byte is `c` (consumed), else `one`.
    fn op2(&mut self, c: u8, two: Op, one: Op) -> Op {
        if self.pc() == Some(c) {
            self.st.inp.bump();
            two
        } else {
            one
        }
    }

    /// Skip blanks before a word read outside the token stream (`=~` operands).
    pub(super) fn skip_blanks(&mut self) {
        while matches!(self.pc(), Some(b' ' | b'\t')) {
            self.st.inp.bump();
        }
    }
}

/// The number, if `w` is all unquoted digits that fit in a `u32`.
fn io_number(w: &Word) -> Option<u32> {
    let s = w.as_literal()?;
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |n, d| {
        n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::super::{NoAliases, core::State};
    use super::*;

    fn toks(src: &[u8]) -> Vec<String> {
        let mut p = P::new(State::new(src, 1), &NoAliases);
        let mut out = Vec::new();
        loop {
            let t = match p.next() {
                Ok(t) => t,
                Err(e) => {
                    out.push(format!("ERR {e}"));
                    return out;
                }
            };
            if t.kind == TokKind::Eof {
                return out;
            }
            out.push(match t.kind {
                TokKind::IoNumber(n) => format!("io{n}"),
                _ => t.describe().trim_matches('\'').to_string(),
            });
        }
    }

    #[test]
    fn operators() {
        assert_eq!(
            toks(b"a&&b||c;d;;e;&f;;&g&h|i(j)k<l>m>>n<&o>&p<>q>|r<<s<<-t<<<u"),
            [
                "a", "&&", "b", "||", "c", ";", "d", ";;", "e", ";&", "f", ";;&", "g", "&", "h",
                "|", "i", "(", "j", ")", "k", "<", "l", ">", "m", ">>", "n", "<&", "o", ">&", "p",
                "<>", "q", ">|", "r", "<<", "s", "<<-", "t", "<<<", "u"
            ]
        );
    }

    #[test]
    fn continuation_inside_operators_and_words() {
        assert_eq!(toks(b"a &\\\n& b\\\nc"), ["a", "&&", "bc"]);
        assert_eq!(toks(b"a >\\\n> f"), ["a", ">>", "f"]);
    }

    #[test]
    fn io_numbers_and_comments() {
        assert_eq!(
            toks(b"2>&1 3<>f 12 > x # c\ny"),
            [
                "io2", ">&", "1", "io3", "<>", "f", "12", ">", "x", "newline", "y"
            ]
        );
        assert_eq!(toks(b"a#b #c"), ["a#b"]);
        assert_eq!(toks(b"99999999999>x"), ["99999999999", ">", "x"]);
    }
}
