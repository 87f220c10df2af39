//! The output formats: POSIX normal (`2c2`, `< a`, `---`, `> b`), unified (`-u`) and
//! context (`-c`), with GNU's rules for grouping changes into hunks and for the line
//! ranges, and `\ No newline at end of file` after a last line without one.

use std::io::{self, Write};

use super::engine::Change;

/// The lines of one side, each with its newline when it has one.
pub type Lines<'a> = [&'a [u8]];

/// Which output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// POSIX's default format.
    Normal,
    /// `-u`/`-U N`: unified, with N lines of context.
    Unified(usize),
    /// `-c`/`-C N`: context, with N lines of context.
    Context(usize),
}

/// Writes one line after `prefix`, then the no-newline marker if it lacks its newline.
fn line(out: &mut dyn Write, prefix: &[u8], l: &[u8]) -> io::Result<()> {
    out.write_all(prefix)?;
    out.write_all(l)?;
    if !l.ends_with(b"\n") {
        out.write_all(b"\n\\ No newline at end of file\n")?;
    }
    Ok(())
}

/// `a,b` for the 0-based inclusive range `first..=last` (an empty range prints the line
/// before it, a one-line range one number).
fn range(out: &mut dyn Write, first: usize, last_plus_one: usize) -> io::Result<()> {
    // 1-based: first + 1 ..= last_plus_one.
    let (a, b) = (first + 1, last_plus_one);
    if b > a {
        write!(out, "{a},{b}")
    } else {
        write!(out, "{b}")
    }
}

/// The normal format: one block per change.
pub fn normal(
    out: &mut dyn Write,
    a: &Lines<'_>,
    b: &Lines<'_>,
    hs: &[&[Change]],
) -> io::Result<()> {
    for c in hs.iter().flat_map(|h| h.iter()) {
        range(out, c.line0, c.line0 + c.deleted)?;
        let letter = match (c.deleted, c.inserted) {
            (0, _) => b'a',
            (_, 0) => b'd',
            _ => b'c',
        };
        out.write_all(&[letter])?;
        range(out, c.line1, c.line1 + c.inserted)?;
        out.write_all(b"\n")?;
        for l in &a[c.line0..c.line0 + c.deleted] {
            line(out, b"< ", l)?;
        }
        if c.deleted > 0 && c.inserted > 0 {
            out.write_all(b"---\n")?;
        }
        for l in &b[c.line1..c.line1 + c.inserted] {
            line(out, b"> ", l)?;
        }
    }
    Ok(())
}

/// The changes grouped into hunks: a change joins the previous hunk when fewer than
/// `2 * context + 1` unchanged lines lie between them, or fewer than `context` when it
/// is `ignorable` (`-B`).
pub fn hunks(cs: &[Change], context: usize, ignorable: impl Fn(&Change) -> bool) -> Vec<&[Change]> {
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..=cs.len() {
        let split = match cs.get(k) {
            None => true,
            Some(next) => {
                let prev = &cs[k - 1];
                let thresh = if ignorable(next) {
                    context
                } else {
                    2 * context + 1
                };
                next.line0 - (prev.line0 + prev.deleted) >= thresh
            }
        };
        if split {
            out.push(&cs[start..k]);
            start = k;
        }
    }
    out
}

/// The line span a hunk shows in each file: `(first0, end0, first1, end1)`, ends exclusive.
fn span(h: &[Change], context: usize, n0: usize, n1: usize) -> (usize, usize, usize, usize) {
    let (f, l) = (h[0], h[h.len() - 1]);
    (
        f.line0.saturating_sub(context),
        (l.line0 + l.deleted + context).min(n0),
        f.line1.saturating_sub(context),
        (l.line1 + l.inserted + context).min(n1),
    )
}

/// `l,n` of a unified hunk header (`l` alone for one line, `l-1,0` for none).
fn unified_range(out: &mut dyn Write, first: usize, end: usize) -> io::Result<()> {
    let (a, b) = (first + 1, end);
    if b < a {
        write!(out, "{b},0")
    } else if b == a {
        write!(out, "{b}")
    } else {
        write!(out, "{a},{}", b - a + 1)
    }
}

/// The unified format's hunks (the caller writes the `---`/`+++` header first).
pub fn unified(
    out: &mut dyn Write,
    a: &Lines<'_>,
    b: &Lines<'_>,
    hs: &[&[Change]],
    context: usize,
) -> io::Result<()> {
    for &h in hs {
        let (first0, end0, first1, end1) = span(h, context, a.len(), b.len());
        out.write_all(b"@@ -")?;
        unified_range(out, first0, end0)?;
        out.write_all(b" +")?;
        unified_range(out, first1, end1)?;
        out.write_all(b" @@\n")?;
        let mut i = first0;
        let mut next = h.iter().peekable();
        while i < end0 || next.peek().is_some() {
            match next.peek() {
                Some(c) if i >= c.line0 => {
                    for l in &a[c.line0..c.line0 + c.deleted] {
                        line(out, b"-", l)?;
                    }
                    for l in &b[c.line1..c.line1 + c.inserted] {
                        line(out, b"+", l)?;
                    }
                    i = c.line0 + c.deleted;
                    next.next();
                }
                _ => {
                    line(out, b" ", a[i])?;
                    i += 1;
                }
            }
        }
    }
    Ok(())
}

/// The context format's hunks (the caller writes the `***`/`---` header first).
pub fn context(
    out: &mut dyn Write,
    a: &Lines<'_>,
    b: &Lines<'_>,
    hs: &[&[Change]],
    context: usize,
) -> io::Result<()> {
    for &h in hs {
        let (first0, end0, first1, end1) = span(h, context, a.len(), b.len());
        out.write_all(b"***************\n*** ")?;
        range(out, first0, end0)?;
        out.write_all(b" ****\n")?;
        if h.iter().any(|c| c.deleted > 0) {
            side(
                out,
                a,
                first0..end0,
                h,
                |c| (c.line0, c.deleted, c.inserted),
                b"- ",
            )?;
        }
        out.write_all(b"--- ")?;
        range(out, first1, end1)?;
        out.write_all(b" ----\n")?;
        if h.iter().any(|c| c.inserted > 0) {
            side(
                out,
                b,
                first1..end1,
                h,
                |c| (c.line1, c.inserted, c.deleted),
                b"+ ",
            )?;
        }
    }
    Ok(())
}

/// One side of a context hunk: `! ` for lines of a change that has lines on both sides,
/// `only` for a change with lines on this side only, two spaces for context.
fn side(
    out: &mut dyn Write,
    lines: &Lines<'_>,
    span: std::ops::Range<usize>,
    h: &[Change],
    part: impl Fn(&Change) -> (usize, usize, usize),
    only: &[u8],
) -> io::Result<()> {
    let mut k = 0;
    for i in span {
        while k < h.len() && {
            let (s, n, _) = part(&h[k]);
            s + n <= i
        } {
            k += 1;
        }
        let prefix: &[u8] = match h.get(k).map(&part) {
            Some((s, _, other)) if s <= i => {
                if other > 0 {
                    b"! "
                } else {
                    only
                }
            }
            _ => b"  ",
        };
        line(out, prefix, lines[i])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(line0: usize, line1: usize, deleted: usize, inserted: usize) -> Change {
        Change {
            line0,
            line1,
            deleted,
            inserted,
        }
    }

    fn text(f: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut v = Vec::new();
        f(&mut v).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn normal_blocks() {
        let a: Vec<&[u8]> = vec![b"a\n", b"b\n", b"c"];
        let b: Vec<&[u8]> = vec![b"a\n", b"x\n"];
        let cs = [ch(1, 1, 2, 1)];
        assert_eq!(
            text(|o| normal(o, &a, &b, &[&cs])),
            "2,3c2\n< b\n< c\n\\ No newline at end of file\n---\n> x\n"
        );
        assert_eq!(
            text(|o| normal(o, &a, &b, &[&[ch(0, 0, 0, 1)]])),
            "0a1\n> a\n"
        );
        assert_eq!(
            text(|o| normal(o, &a, &b, &[&[ch(1, 2, 1, 0)]])),
            "2d2\n< b\n"
        );
    }

    #[test]
    fn hunks_merge_within_twice_the_context() {
        let cs = [ch(1, 1, 1, 1), ch(8, 8, 1, 1), ch(16, 16, 1, 1)];
        let hs = hunks(&cs, 3, |_| false);
        assert_eq!(hs.len(), 2);
        assert_eq!(hs[0].len(), 2);
    }

    #[test]
    fn unified_ranges() {
        let a: Vec<&[u8]> = vec![];
        let b: Vec<&[u8]> = vec![b"x\n"];
        assert_eq!(
            text(|o| unified(o, &a, &b, &[&[ch(0, 0, 0, 1)]], 3)),
            "@@ -0,0 +1 @@\n+x\n"
        );
    }
}
