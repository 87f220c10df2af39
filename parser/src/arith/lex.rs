//! Tokens of arithmetic text, recognised with nom; constants are converted here.

use nom::bytes::complete::{tag, take_while, take_while_m_n};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use super::{ArithError, BinOp};

/// One token and the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub tok: Tok,
    pub pos: usize,
}

/// The kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    /// A constant, already converted.
    Num(i64),
    /// A variable name: the byte range `pos..end`.
    Name(usize),
    /// An operator or parenthesis.
    Op(Op),
    /// End of text.
    Eof,
}

/// Operator tokens. `Inc`/`Dec` are split by the parser into two `+`/`-` where they
/// cannot be increments, as bash does (`5 ++ 5` is 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    LParen,
    RParen,
    /// `[` after a name: an array subscript.
    LBracket,
    RBracket,
    Plus,
    Minus,
    Not,
    Tilde,
    Inc,
    Dec,
    Bin(BinOp),
    Quest,
    Colon,
    Comma,
    /// `=` (`None`) or a compound assignment `op=`.
    Assign(Option<BinOp>),
}

/// Splits the whole text into tokens, ending with [`Tok::Eof`].
pub(super) fn tokenize(src: &[u8]) -> Result<Vec<Token>, ArithError> {
    let mut toks = Vec::new();
    let mut rest = src;
    loop {
        rest = skip_space(rest);
        let pos = src.len() - rest.len();
        let Some(&first) = rest.first() else {
            toks.push(Token { tok: Tok::Eof, pos });
            return Ok(toks);
        };
        let (next, tok) = if first.is_ascii_digit() {
            let (next, text) = number_text(rest);
            (next, Tok::Num(number(text)?))
        } else if is_name_start(first) {
            let (next, text) = name_text(rest);
            (next, Tok::Name(pos + text.len()))
        } else if let Some((next, op)) = operator(rest) {
            (next, Tok::Op(op))
        } else {
            let what = if first == b'.' {
                "invalid character (only integers are supported)"
            } else {
                "invalid character"
            };
            return Err(ArithError::syntax(what, src, pos));
        };
        toks.push(Token { tok, pos });
        rest = next;
    }
}

type Res<'a, T> = IResult<&'a [u8], T>;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn skip_space(i: &[u8]) -> &[u8] {
    let r: Res<&[u8]> = take_while(is_space).parse(i);
    r.map_or(i, |(rest, _)| rest)
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
fn name_text(i: &[u8]) -> (&[u8], &[u8]) {
    let r: Res<&[u8]> = recognize((
        take_while_m_n(1, 1, is_name_start),
        take_while(is_name_char),
    ))
    .parse(i);
    r.unwrap_or((i, &[]))
}

/// A digit, then everything that could belong to a constant (`0x1F`, `08`, `1e3`,
/// `64#a_@`): the whole run is converted or rejected as one constant, as bash does.
fn number_text(i: &[u8]) -> (&[u8], &[u8]) {
    let r: Res<&[u8]> = recognize((
        take_while(is_name_char),
        opt((tag("#"), take_while(|b: u8| is_name_char(b) || b == b'@'))),
    ))
    .parse(i);
    r.unwrap_or((i, &[]))
}

/// Longest-match operator, dispatched on its first bytes (a table of nom `tag`s tried
/// in turn was ten times slower in debug builds).
fn operator(i: &[u8]) -> Option<(&[u8], Op)> {
    use BinOp::*;
    let at = |n: usize| i.get(n).copied().unwrap_or(0);
    let (len, op) = match (at(0), at(1), at(2)) {
        (b'<', b'<', b'=') => (3, Op::Assign(Some(Shl))),
        (b'>', b'>', b'=') => (3, Op::Assign(Some(Shr))),
        (b'*', b'*', _) => (2, Op::Bin(Pow)),
        (b'<', b'<', _) => (2, Op::Bin(Shl)),
        (b'>', b'>', _) => (2, Op::Bin(Shr)),
        (b'<', b'=', _) => (2, Op::Bin(Le)),
        (b'>', b'=', _) => (2, Op::Bin(Ge)),
        (b'=', b'=', _) => (2, Op::Bin(Eq)),
        (b'!', b'=', _) => (2, Op::Bin(Ne)),
        (b'&', b'&', _) => (2, Op::Bin(And)),
        (b'|', b'|', _) => (2, Op::Bin(Or)),
        (b'+', b'+', _) => (2, Op::Inc),
        (b'-', b'-', _) => (2, Op::Dec),
        (c, b'=', _) if b"*/%+-&^|".contains(&c) => (2, Op::Assign(Some(bin_op(c)?))),
        (b'+', ..) => (1, Op::Plus),
        (b'-', ..) => (1, Op::Minus),
        (b'<', ..) => (1, Op::Bin(Lt)),
        (b'>', ..) => (1, Op::Bin(Gt)),
        (b'!', ..) => (1, Op::Not),
        (b'~', ..) => (1, Op::Tilde),
        (b'?', ..) => (1, Op::Quest),
        (b':', ..) => (1, Op::Colon),
        (b'=', ..) => (1, Op::Assign(None)),
        (b',', ..) => (1, Op::Comma),
        (b'(', ..) => (1, Op::LParen),
        (b')', ..) => (1, Op::RParen),
        (b'[', ..) => (1, Op::LBracket),
        (b']', ..) => (1, Op::RBracket),
        (c, ..) => (1, Op::Bin(bin_op(c)?)),
    };
    Some((i.get(len..)?, op))
}

/// The binary operators written as one byte that can also precede `=`.
fn bin_op(c: u8) -> Option<BinOp> {
    Some(match c {
        b'*' => BinOp::Mul,
        b'/' => BinOp::Div,
        b'%' => BinOp::Rem,
        b'+' => BinOp::Add,
        b'-' => BinOp::Sub,
        b'&' => BinOp::BitAnd,
        b'^' => BinOp::BitXor,
        b'|' => BinOp::BitOr,
        _ => return None,
    })
}

/// Converts a constant: decimal, octal (leading `0`), hex (`0x`), or `base#digits`.
pub(super) fn number(text: &[u8]) -> Result<i64, ArithError> {
    let invalid = |what: &str| {
        ArithError::with_kind(
            super::ErrorKind::Syntax,
            format!("arithmetic syntax error: {what} {}", super::quote(text)),
        )
    };
    let hash = text.contains(&b'#');
    let (base, digits) = if let Some(hash) = text.iter().position(|&b| b == b'#') {
        let (base_text, digits) = (&text[..hash], &text[hash + 1..]);
        let base = match accumulate(base_text, 10) {
            Some(Some(b @ 2..=64)) => b,
            _ => return Err(invalid("invalid base (2 to 64) in")),
        };
        (base, digits)
    } else if let Some(hex) = text
        .strip_prefix(b"0x")
        .or_else(|| text.strip_prefix(b"0X"))
    {
        (16, hex)
    } else if text.len() > 1 && text[0] == b'0' {
        (8, &text[1..])
    } else {
        (10, text)
    };
    match accumulate(digits, base) {
        _ if digits.is_empty() && !hash => Err(invalid("invalid hexadecimal number")),
        _ if digits.is_empty() => Err(invalid("missing digits after the base in")),
        None => Err(invalid(match base {
            _ if hash => "digit too large for base in",
            8 => "invalid octal number",
            10 => "invalid number",
            16 => "invalid hexadecimal number",
            _ => "digit too large for base in",
        })),
        Some(None) => Err(invalid("number too large for 64 bits")),
        // Two's complement: 0xffffffffffffffff is -1, as in bash.
        Some(Some(n)) => Ok(n as i64),
    }
}

/// The value of `digits` in `base`: `None` if a digit is invalid, `Some(None)` if the
/// value does not fit in a `u64`.
fn accumulate(digits: &[u8], base: u64) -> Option<Option<u64>> {
    let mut acc = Some(0u64);
    for &b in digits {
        let d = digit_value(b, base)?;
        acc = acc.and_then(|a| a.checked_mul(base)?.checked_add(d));
    }
    Some(acc)
}

/// bash's digit values: `0-9`, then `a-z` as 10-35, `A-Z` as 36-61 (or as 10-35 when
/// the base is at most 36), `@` 62, `_` 63.
fn digit_value(b: u8, base: u64) -> Option<u64> {
    let d = match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'z' => b - b'a' + 10,
        b'A'..=b'Z' if base <= 36 => b - b'A' + 10,
        b'A'..=b'Z' => b - b'A' + 36,
        b'@' => 62,
        b'_' => 63,
        _ => return None,
    };
    let d = u64::from(d);
    (d < base).then_some(d)
}
