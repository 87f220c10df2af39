//! Parse errors: where, what was expected, and whether more input could fix it.

use std::fmt;

/// Whether an error is final or could be cured by reading more input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is wrong; more input cannot fix it.
    Syntax,
    /// The input ended too early (open quote, missing `fi`, pending here-document,
    /// trailing `|`...). An interactive shell reads a continuation line (PS2).
    Incomplete,
}

/// A syntax error with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Syntax or incomplete.
    pub kind: ErrorKind,
    /// 1-based line of the offending token.
    pub line: u32,
    /// 1-based byte column of the offending token.
    pub column: u32,
    /// What went wrong, e.g. `unexpected 'fi' (expected 'then')`.
    pub message: String,
}

impl ParseError {
    /// `true` for [`ErrorKind::Incomplete`].
    pub fn is_incomplete(&self) -> bool {
        self.kind == ErrorKind::Incomplete
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: syntax error: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Render shell bytes for a message: printable ASCII as is, the rest escaped.
pub(crate) fn show_bytes(s: &[u8]) -> String {
    let mut out = String::new();
    for &c in s.iter().take(60) {
        match c {
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(c)),
            _ => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    if s.len() > 60 {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display() {
        let e = ParseError {
            kind: ErrorKind::Syntax,
            line: 3,
            column: 1,
            message: "unexpected 'fi' (expected 'then')".into(),
        };
        assert_eq!(
            e.to_string(),
            "line 3: syntax error: unexpected 'fi' (expected 'then')"
        );
        assert!(!e.is_incomplete());
    }

    #[test]
    fn bytes_shown() {
        assert_eq!(show_bytes(b"a\n\xff"), "a\\n\\xff");
    }
}
