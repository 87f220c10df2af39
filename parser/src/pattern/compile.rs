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
                Some((set, next)) => {
                    i = next;
                    Tok::Set(set)
                }
                None => Tok::Lit(b'['),
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

/// One bracket-expression term's start: a byte, or a class/equivalence/collating element.
enum Term {
    /// A single byte (possibly a range start).
    Byte(u8),
    /// A `[:class:]`, already added to the set.
    Class,
    /// An unknown class name or an unusable `[=..=]`/`[.xy.]`: the bracket matches nothing.
    Invalid,
}

/// Parses a bracket expression whose `[` precedes `els[start]`. Returns the byte set and the
/// index after the closing `]`, or `None` when there is no closing `]` (then the `[` is an
/// ordinary byte).
fn bracket(els: &[El], start: usize, casefold: bool) -> Option<(ByteSet, usize)> {
    let mut i = start;
    let negate = els.get(i).is_some_and(|e| e.is(b'!') || e.is(b'^'));
    if negate {
        i += 1;
    }
    let mut set = ByteSet::default();
    let mut invalid = false;
    let mut first = true;
    loop {
        let e = *els.get(i)?;
        if e.is(b']') && !first {
            i += 1;
            break;
        }
        first = false;
        let (first_term, next) = term(els, i, &mut set);
        i = next;
        let lo = match first_term {
            Term::Byte(b) => b,
            Term::Class => continue,
            Term::Invalid => {
                invalid = true;
                continue;
            }
        };
        // A range needs a live `-` that is not the last thing before the closing `]`.
        let dash = els.get(i).is_some_and(|e| e.is(b'-'));
        let end = els.get(i + 1);
        if dash && end.is_some_and(|e| !e.is(b']')) {
            let mut scratch = ByteSet::default();
            let (hi, next) = term(els, i + 1, &mut scratch);
            i = next;
            match hi {
                Term::Byte(hi) => {
                    for b in lo..=hi {
                        set.insert(b);
                    }
                }
                // `[a-[:digit:]]`: glibc rejects such a range; so do we.
                Term::Class | Term::Invalid => invalid = true,
            }
        } else {
            set.insert(lo);
        }
    }
    if invalid {
        return Some((ByteSet::default(), i));
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
    if negate {
        for w in &mut set.0 {
            *w = !*w;
        }
    }
    Some((set, i))
}

/// Parses one bracket term at `els[i]`: a `[:class:]` (added to `set`), a `[=x=]` or `[.x.]`
/// (the byte x), or a plain byte. Returns the term and the index after it.
fn term(els: &[El], i: usize, set: &mut ByteSet) -> (Term, usize) {
    let Some(&e) = els.get(i) else {
        return (Term::Invalid, i);
    };
    let delim = els
        .get(i + 1)
        .filter(|d| e.is(b'[') && (d.is(b':') || d.is(b'=') || d.is(b'.')))
        .map(|d| d.b);
    let Some(delim) = delim else {
        return (Term::Byte(e.b), i + 1);
    };
    // The name runs to the first live `delim` followed by a live `]`; the name has at least
    // one byte, so `[.].]` names `]`.
    let name_start = i + 2;
    let close = (name_start + 1..els.len())
        .find(|&k| els[k].is(delim) && els.get(k + 1).is_some_and(|e| e.is(b']')));
    let Some(close) = close else {
        return (Term::Byte(b'['), i + 1);
    };
    let name: Vec<u8> = els[name_start..close].iter().map(|e| e.b).collect();
    let next = close + 2;
    if delim == b':' {
        match class(&name) {
            Some(f) => {
                for b in 0..=255u8 {
                    if f(b) {
                        set.insert(b);
                    }
                }
                (Term::Class, next)
            }
            None => (Term::Invalid, next),
        }
    } else if let [b] = name[..] {
        (Term::Byte(b), next)
    } else {
        (Term::Invalid, next)
    }
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
