//! `$((...))` arithmetic (POSIX XCU 2.6.4, plus the bash/ash extensions scripts rely on):
//! its own tokenizer, AST and evaluator, on `i64` with explicit wrapping.
//!
//! The input is the text left after the shell has expanded parameters and command
//! substitutions inside `$((...))`. [`parse`] turns it into an [`Expr`], which the shell may
//! cache per source text; [`eval`] runs it against the shell's variables through [`Vars`].
//!
//! Semantics, as dash, bash and busybox ash implement them:
//! - C operators with C precedence; `**` (right-associative, binds looser than unary
//!   minus: `-2**2` is 4), prefix/postfix `++`/`--` on variable names, `base#digits`
//!   constants for bases 2 to 64, and the comma operator are bash/ash extensions.
//! - Overflow wraps; `i64::MIN / -1` is `i64::MIN` and `i64::MIN % -1` is 0, as in bash.
//!   Division or remainder by zero and a negative `**` exponent are errors. Shift counts
//!   are taken modulo 64, as bash on x86-64 does.
//! - `&&`, `||` and `?:` evaluate only the side they need.
//! - An unset or empty variable is 0; a variable holding an expression (`x='y+1'`) is
//!   evaluated recursively, with a limit that turns `x=x` into an error.
//! - An empty expression is 0 (bash, ash; dash rejects it).
//! - A constant too large for 64 bits is an error; one that fits in 64 unsigned bits is
//!   taken as its two's-complement bit pattern (`0xffffffffffffffff` is -1, and
//!   `-9223372036854775808` is `i64::MIN`), as bash does.
//!
//! No input can panic or overflow the stack: nesting beyond a fixed limit is an error.

mod eval;
mod lex;
mod parse;
#[cfg(test)]
mod tests;

use std::fmt;

pub use eval::{Vars, eval, eval_str};

/// How deeply the parser may recurse: each parenthesis costs two levels, each prefix
/// operator or right-hand operand one. Debug builds spend about 1.2 KiB per level.
const MAX_PARSE_DEPTH: usize = 256;
/// How tall a tree may grow. Long left-associative chains (`1+1+...+1`) are parsed and
/// evaluated in loops, but the derived `Drop`, `Clone` and `PartialEq` still recurse.
/// (Measured: 4096 overflows a 2 MiB stack in `Clone`/`PartialEq` in debug builds.)
const MAX_HEIGHT: usize = 1000;
/// Budget of nested evaluation steps (about 2 KiB each in debug builds), shared across
/// variables whose values are expressions, so evaluation fits a 2 MiB stack.
const MAX_EVAL_DEPTH: usize = 512;
/// How many variables deep an expression held in a variable may refer to another.
const MAX_VAR_DEPTH: usize = 200;

/// Parses arithmetic text into an [`Expr`]; whitespace-only text is the constant 0.
pub fn parse(src: &[u8]) -> Result<Expr, ArithError> {
    let root = parse::parse(src, MAX_PARSE_DEPTH)?;
    Ok(Expr {
        src: src.into(),
        root,
    })
}

/// A parsed arithmetic expression: its tree and the text it came from, which error
/// messages quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    src: Box<[u8]>,
    root: Node,
}

impl Expr {
    /// The root of the tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The text this expression was parsed from.
    pub fn source(&self) -> &[u8] {
        &self.src
    }
}

/// One node of an arithmetic expression tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A constant.
    Num(i64),
    /// A variable reference (its value is read, and evaluated if it is an expression).
    Var(Box<[u8]>),
    /// `+e`, `-e`, `!e`, `~e`.
    Unary(UnaryOp, Box<Node>),
    /// `++name`, `--name`, `name++`, `name--`.
    IncDec(IncDec, Box<[u8]>),
    /// `a op b`, including the short-circuit `&&` and `||`.
    Binary(BinOp, Box<Node>, Box<Node>),
    /// `cond ? then : else`.
    Cond(Box<Node>, Box<Node>, Box<Node>),
    /// `name = e` (operator `None`) or `name op= e`.
    Assign(Option<BinOp>, Box<[u8]>, Box<Node>),
    /// `a, b`: evaluates both, yields `b`.
    Comma(Box<Node>, Box<Node>),
    /// `name[index]`: an array element (bash).
    Elem(Box<[u8]>, Box<Node>),
    /// `++name[i]`, `name[i]--`...
    ElemIncDec(IncDec, Box<[u8]>, Box<Node>),
    /// `name[i] = e`, `name[i] op= e`.
    ElemAssign(Option<BinOp>, Box<[u8]>, Box<Node>, Box<Node>),
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `+`
    Plus,
    /// `-`
    Neg,
    /// `!`
    Not,
    /// `~`
    BitNot,
}

/// Increment and decrement of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncDec {
    /// `++name`: yields the new value.
    PreInc,
    /// `--name`: yields the new value.
    PreDec,
    /// `name++`: yields the old value.
    PostInc,
    /// `name--`: yields the old value.
    PostDec,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `**`
    Pow,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `<<`
    Shl,
    /// `>>` (arithmetic)
    Shr,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `&`
    BitAnd,
    /// `^`
    BitXor,
    /// `|`
    BitOr,
    /// `&&` (short-circuit)
    And,
    /// `||` (short-circuit)
    Or,
}

/// What went wrong, for callers that need more than the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not a valid expression (including invalid constants and assignment
    /// to something that is not a variable).
    Syntax,
    /// Nesting, or variables referring to variables, went past the fixed limit.
    TooDeep,
    /// Division or remainder by zero.
    DivisionByZero,
    /// `**` with a negative exponent.
    NegativeExponent,
    /// An error raised by the shell's [`Vars`] (readonly or unset variable, ...).
    Shell,
}

/// An arithmetic error with a complete human-readable message; the shell prefixes it
/// with its name and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArithError(Box<ErrorInner>);

/// Boxed so that results stay small on the (recursive) evaluation path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorInner {
    kind: ErrorKind,
    message: String,
    /// Already prefixed with the name of the variable whose value failed.
    in_var: bool,
}

impl ArithError {
    /// An error from the shell's side of [`Vars`], such as `r: readonly variable`.
    pub fn new(message: String) -> Self {
        Self::with_kind(ErrorKind::Shell, message)
    }

    fn with_kind(kind: ErrorKind, message: String) -> Self {
        ArithError(Box::new(ErrorInner {
            kind,
            message,
            in_var: false,
        }))
    }

    /// A syntax error at byte `pos` of `src`.
    fn syntax(what: &str, src: &[u8], pos: usize) -> Self {
        Self::with_kind(
            ErrorKind::Syntax,
            format!("arithmetic syntax error: {what} {}", at(src, pos)),
        )
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, as [`Display`](fmt::Display) prints it.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Names the variable whose value this error came from, once (the innermost name).
    fn in_variable(mut self, name: &[u8]) -> Self {
        let e = &mut *self.0;
        if !e.in_var && e.kind != ErrorKind::Shell {
            e.message = format!("{}: {}", String::from_utf8_lossy(name), e.message);
            e.in_var = true;
        }
        self
    }
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ArithError {}

/// How many bytes of source an error message quotes.
const QUOTE_MAX: usize = 40;

/// `at "rest of text"`, or `at end of "text"` when `pos` is past the last token.
fn at(src: &[u8], pos: usize) -> String {
    let rest = src.get(pos..).unwrap_or_default();
    if rest.iter().all(u8::is_ascii_whitespace) {
        let start = src.len().saturating_sub(QUOTE_MAX);
        let dots = if start > 0 { "..." } else { "" };
        format!("at end of \"{dots}{}\"", escape(&src[start..]))
    } else {
        format!("at {}", quote(rest))
    }
}

/// Quotes text for a message: double quotes, escapes, cut after [`QUOTE_MAX`] bytes.
fn quote(text: &[u8]) -> String {
    let (text, dots) = match text.get(..QUOTE_MAX) {
        Some(head) if text.len() > QUOTE_MAX => (head, "..."),
        _ => (text, ""),
    };
    format!("\"{}{dots}\"", escape(text))
}

fn escape(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b' '..=b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}
