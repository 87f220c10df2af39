//! AST to a `regex`-crate pattern string.
//!
//! The output is meant for a parser with Unicode off (`unicode(false)`, `utf8(false)`):
//! every non-alphanumeric byte is written `\xHH`, every set as explicit byte ranges, and
//! every assertion with its flags spelled out, so no flag of the builder can change the
//! meaning. Case folding was already applied by the front end.

use std::fmt::Write;

use super::syntax::{ByteSet, Look, Node};

/// Writes `node` as a pattern. `newline` selects REG_NEWLINE meaning of `^`/`$`.
pub(crate) fn lower(node: &Node, newline: bool) -> String {
    let mut out = String::new();
    emit(node, newline, &mut out);
    out
}

fn byte(b: u8, out: &mut String) {
    if b.is_ascii_alphanumeric() {
        out.push(char::from(b));
    } else {
        let _ = write!(out, "\\x{b:02X}");
    }
}

fn set(s: &ByteSet, out: &mut String) {
    if let Some(b) = s.single() {
        byte(b, out);
        return;
    }
    match s.count() {
        0 => {
            // The empty class: never matches.
            out.push_str("[a&&b]");
            return;
        }
        256 => {
            out.push_str("(?s-u:.)");
            return;
        }
        _ => {}
    }
    out.push('[');
    let mut b: u16 = 0;
    while b < 256 {
        let lo = b as u8;
        if !s.contains(lo) {
            b += 1;
            continue;
        }
        let mut hi = b;
        while hi < 255 && s.contains((hi + 1) as u8) {
            hi += 1;
        }
        let _ = write!(out, "\\x{lo:02X}");
        if hi > b {
            let _ = write!(out, "-\\x{:02X}", hi as u8);
        }
        b = hi + 1;
    }
    out.push(']');
}

fn emit(node: &Node, newline: bool, out: &mut String) {
    match node {
        Node::Empty => out.push_str("(?:)"),
        Node::Literal(b) => byte(*b, out),
        Node::Set(s) => set(s, out),
        Node::Look(l) => out.push_str(match (l, newline) {
            (Look::Bol, true) => "(?m:^)",
            (Look::Eol, true) => "(?m:$)",
            (Look::Bol, false) | (Look::BufStart, _) => "\\A",
            (Look::Eol, false) | (Look::BufEnd, _) => "\\z",
            (Look::WordStart, _) => "\\b{start}",
            (Look::WordEnd, _) => "\\b{end}",
            (Look::WordBoundary, _) => "\\b",
            (Look::NotWordBoundary, _) => "\\B",
        }),
        Node::Group(inner, _) => {
            out.push('(');
            emit(inner, newline, out);
            out.push(')');
        }
        // Backreferences never reach the regex crate (the backtracker runs those).
        Node::Backref(_) => out.push_str("[a&&b]"),
        Node::Concat(v) => {
            for n in v {
                emit(n, newline, out);
            }
        }
        Node::Alt(v) => {
            out.push_str("(?:");
            for (i, n) in v.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(n, newline, out);
            }
            out.push(')');
        }
        Node::Repeat(inner, min, max) => {
            out.push_str("(?:");
            emit(inner, newline, out);
            out.push(')');
            let _ = match max {
                None => write!(out, "{{{min},}}"),
                Some(max) if max == min => write!(out, "{{{min}}}"),
                Some(max) => write!(out, "{{{min},{max}}}"),
            };
        }
    }
}
