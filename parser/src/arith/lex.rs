//! Tokens of arithmetic text, recognised with nom; constants are converted here.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while_m_n};
use nom::combinator::{opt, recognize, value};
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
        } else if let Ok((next, op)) = operator(rest) {
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

/// Longest-match operator.
fn operator(i: &[u8]) -> Res<'_, Op> {
    use BinOp::*;
    let three = alt((
        value(Op::Assign(Some(Shl)), tag("<<=")),
        value(Op::Assign(Some(Shr)), tag(">>=")),
    ));
    let two = alt((
        value(Op::Bin(Pow), tag("**")),
        value(Op::Bin(Shl), tag("<<")),
        value(Op::Bin(Shr), tag(">>")),
        value(Op::Bin(Le), tag("<=")),
        value(Op::Bin(Ge), tag(">=")),
        value(Op::Bin(Eq), tag("==")),
        value(Op::Bin(Ne), tag("!=")),
        value(Op::Bin(And), tag("&&")),
        value(Op::Bin(Or), tag("||")),
        value(Op::Inc, tag("++")),
        value(Op::Dec, tag("--")),
        value(Op::Assign(Some(Mul)), tag("*=")),
        value(Op::Assign(Some(Div)), tag("/=")),
        value(Op::Assign(Some(Rem)), tag("%=")),
        value(Op::Assign(Some(Add)), tag("+=")),
        value(Op::Assign(Some(Sub)), tag("-=")),
        value(Op::Assign(Some(BitAnd)), tag("&=")),
        value(Op::Assign(Some(BitXor)), tag("^=")),
        value(Op::Assign(Some(BitOr)), tag("|=")),
    ));
    let one = alt((
        value(Op::Bin(Mul), tag("*")),
        value(Op::Bin(Div), tag("/")),
        value(Op::Bin(Rem), tag("%")),
        value(Op::Plus, tag("+")),
        value(Op::Minus, tag("-")),
        value(Op::Bin(Lt), tag("<")),
        value(Op::Bin(Gt), tag(">")),
        value(Op::Bin(BitAnd), tag("&")),
        value(Op::Bin(BitXor), tag("^")),
        value(Op::Bin(BitOr), tag("|")),
        value(Op::Not, tag("!")),
        value(Op::Tilde, tag("~")),
        value(Op::Quest, tag("?")),
        value(Op::Colon, tag(":")),
        value(Op::Assign(None), tag("=")),
        value(Op::Comma, tag(",")),
        value(Op::LParen, tag("(")),
        value(Op::RParen, tag(")")),
    ));
    alt((three, two, one)).parse(i)
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
