//! Pattern text (bytes plus quoted bits) to a token list.

use super::{ByteSet, Tok};

/// One pattern byte after escape processing: the byte and whether it is literal (quoted, or
/// escaped by an unquoted backslash).
#[derive(Clone, Copy)]
struct El {
    b: u8,
    lit: bool,
}

impl El {
    /// Whether this is the live (unquoted, unescaped) byte `c`.
    fn is(self, c: u8) -> bool {
        !self.lit && self.b == c
    }
}

/// Applies quoting and backslash escapes: an unquoted backslash makes the next byte literal
/// and disappears; a trailing one stays as a literal backslash.
fn elements(bytes: &[u8], quoted: &[bool]) -> Vec<El> {
    let q = |i: usize| quoted.get(i).copied().unwrap_or(false);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\'
            && !q(i)
            && let Some(&next) = bytes.get(i + 1)
        {
            out.push(El { b: next, lit: true });
            i += 2;
            continue;
        }
        out.push(El {
            b,
            lit: q(i) || b == b'\\',
        });
        i += 1;
    }
    out
}

/// Compiles a pattern; see [`super::Pattern::new`].
pub(super) fn compile(bytes: &[u8], quoted: &[bool], casefold: bool) -> Vec<Tok> {
    let els = elements(bytes, quoted);
    let mut toks = Vec::with_capacity(els.len());
    let mut i = 0;
    while let Some(&e) = els.get(i) {
        i += 1;
        let tok = if e.is(b'*') {
            if toks.last() == Some(&Tok::Star) {
                continue;
            }
            Tok::Star
        } else if e.is(b'?') {
            Tok::Any
        } else if e.is(b'[') {
            match bracket(&els, i, casefold) {
                Bracket::Set(set, next) => {
                    i = next;
                    Tok::Set(set)
                }
                Bracket::Unterminated => Tok::Lit(b'['),
                Bracket::Invalid => {
                    // glibc answers "no match" for such a pattern whatever the string; an
                    // empty set, which no byte satisfies, does the same.
                    toks.clear();
                    toks.push(Tok::Set(ByteSet::default()));
                    return toks;
                }
            }
        } else if casefold && e.b.is_ascii_alphabetic() {
            let mut set = ByteSet::default();
            set.insert(e.b.to_ascii_lowercase());
            set.insert(e.b.to_ascii_uppercase());
            Tok::Set(set)
        } else {
            Tok::Lit(e.b)
        };
        toks.push(tok);
    }
    toks
}

/// The outcome of parsing a bracket expression.
enum Bracket {
    /// A valid expression: its byte set and the index after the closing `]`.
    Set(ByteSet, usize),
    /// No closing `]`: the `[` is an ordinary byte.
    Unterminated,
    /// An expression glibc rejects (unknown class, `[=ab=]`, `[.` not closed as `[.c.]`):
    /// the whole pattern matches nothing.
    Invalid,
}

/// One bracket-expression term.
enum Term {
    /// A single byte, which may start a range.
    Byte(u8),
    /// A `[:class:]` or `[=c=]`, already added to the set; it cannot start a range.
    Member,
}

/// Parses a bracket expression whose `[` precedes `els[start]`.
fn bracket(els: &[El], start: usize, casefold: bool) -> Bracket {
    let mut i = start;
    let negate = els.get(i).is_some_and(|e| e.is(b'!') || e.is(b'^'));
    if negate {
        i += 1;
    }
    let mut set = ByteSet::default();
    let mut classes = ByteSet::default();
    let mut first = true;
    // An unknown class or a bad `[=..=]` spoils the expression only if it is terminated.
    let mut spoiled = false;
    loop {
        let Some(&e) = els.get(i) else {
            return Bracket::Unterminated;
        };
        if e.is(b']') && !first {
            i += 1;
            break;
        }
        first = false;
        let (t, next) = match term(els, i, &mut set, &mut classes, false) {
            Ok(t) => t,
            Err(Bad::Collating) => return Bracket::Invalid,
            Err(Bad::Class(next)) => {
                spoiled = true;
                (Term::Member, next)
            }
        };
        i = next;
        let dash = els.get(i).is_some_and(|e| e.is(b'-'));
        let lo = match t {
            Term::Byte(b) => b,
            Term::Member => {
                // `[[:alpha:]-z]`: the `-` after a class is an ordinary byte.
                if dash && els.get(i + 1).is_some_and(|e| !e.is(b']')) {
                    set.insert(b'-');
                    i += 1;
                }
                continue;
            }
        };
        // A range needs a live `-` that is not the last thing before the closing `]`.
        if !dash || els.get(i + 1).is_some_and(|e| e.is(b']')) {
            set.insert(lo);
            continue;
        }
        if i + 1 >= els.len() {
            // `[a-` at the end of the pattern: unterminated, so the `[` is literal (glibc
            // rejects some of these patterns outright).
            return Bracket::Unterminated;
        }
        match term(els, i + 1, &mut set, &mut classes, true) {
            Ok((Term::Byte(hi), next)) => {
                i = next;
                for b in lo..=hi {
                    set.insert(b);
                }
            }
            _ => return Bracket::Invalid,
        }
    }
    if spoiled {
        return Bracket::Invalid;
    }
    if casefold {
        for b in b'A'..=b'Z' {
            let l = b.to_ascii_lowercase();
            if set.contains(b) || set.contains(l) {
                set.insert(b);
                set.insert(l);
            }
        }
    }
    for (w, c) in set.0.iter_mut().zip(classes.0) {
        *w |= c;
        if negate {
            *w = !*w;
        }
    }
    Bracket::Set(set, i)
}

/// Whether `els[k]` is the live `delim` and `els[k + 1]` the live `]` closing an element.
fn closes(els: &[El], k: usize, delim: u8) -> bool {
    els.get(k).is_some_and(|e| e.is(delim)) && els.get(k + 1).is_some_and(|e| e.is(b']'))
}

/// Why a bracket term is invalid.
enum Bad {
    /// A `[.` not closed as `[.c.]`: glibc rejects the whole pattern.
    Collating,
    /// An unknown `[:name:]` or a `[=..=]` that is not one byte; the index after it.
    Class(usize),
}

/// Parses one bracket term at `els[i]`: a `[:class:]` (added to `classes`, which casefold
/// leaves alone, as glibc does) or `[=c=]` (added to `set`), a
/// `[.c.]` or a plain byte. As a range end (`range_end`) only `[.c.]` is special, as in
/// glibc. Returns the term and the index after it. `i` must be in bounds.
fn term(
    els: &[El],
    i: usize,
    set: &mut ByteSet,
    classes: &mut ByteSet,
    range_end: bool,
) -> Result<(Term, usize), Bad> {
    let e = *els.get(i).ok_or(Bad::Collating)?;
    let delim = els
        .get(i + 1)
        .filter(|d| e.is(b'[') && (d.is(b'.') || (!range_end && (d.is(b':') || d.is(b'=')))))
        .map(|d| d.b);
    let Some(delim) = delim else {
        return Ok((Term::Byte(e.b), i + 1));
    };
    let name_start = i + 2;
    if delim == b'.' {
        // The C locale has single-byte collating elements only: exactly `[.c.]`.
        let c = els.get(name_start).ok_or(Bad::Collating)?;
        if closes(els, name_start + 1, b'.') {
            return Ok((Term::Byte(c.b), name_start + 3));
        }
        return Err(Bad::Collating);
    }
    // `[:` and `[=` run to the first live `:]` / `=]`; without one, or with a quoted or
    // escaped byte before it, the `[` is a plain byte.
    let close = (name_start..els.len())
        .take_while(|&k| !els[k].lit)
        .find(|&k| closes(els, k, delim));
    let Some(close) = close else {
        return Ok((Term::Byte(b'['), i + 1));
    };
    let name: Vec<u8> = els[name_start..close].iter().map(|e| e.b).collect();
    let next = close + 2;
    if delim == b':' {
        let f = class(&name).ok_or(Bad::Class(next))?;
        for b in 0..=255u8 {
            if f(b) {
                classes.insert(b);
            }
        }
    } else {
        let [b] = name[..] else {
            return Err(Bad::Class(next));
        };
        set.insert(b);
    }
    Ok((Term::Member, next))
}

/// The C-locale character class with this name.
fn class(name: &[u8]) -> Option<fn(u8) -> bool> {
    let f: fn(u8) -> bool = match name {
        b"alpha" => |b| b.is_ascii_alphabetic(),
        b"digit" => |b| b.is_ascii_digit(),
        b"alnum" => |b| b.is_ascii_alphanumeric(),
        b"upper" => |b| b.is_ascii_uppercase(),
        b"lower" => |b| b.is_ascii_lowercase(),
        // C isspace: space, \t \n \v \f \r (Rust's is_ascii_whitespace omits \v).
        b"space" => |b| b == b' ' || (b'\t'..=b'\r').contains(&b),
        b"blank" => |b| b == b' ' || b == b'\t',
        b"punct" => |b| b.is_ascii_punctuation(),
        b"print" => |b| (b' '..=b'~').contains(&b),
        b"graph" => |b| b.is_ascii_graphic(),
        b"cntrl" => |b| b.is_ascii_control(),
        b"xdigit" => |b| b.is_ascii_hexdigit(),
        _ => return None,
    };
    Some(f)
}
