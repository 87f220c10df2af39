//! `-name` and `-path` patterns compiled for matching every name of a tree.
//!
//! Most patterns given to find are a literal with stars at its ends (`*.c`, `lib*`,
//! `*7*`, `Makefile`, `*/.git/*`): those are matched as byte comparisons (a substring
//! search for `*LIT*`) instead of running the general matcher per name. Anything else
//! (`?`, brackets, backslashes, stars inside, `-iname`) goes to
//! [`rbox_parser::pattern::Pattern`], which has the same meaning for these shapes:
//! fnmatch without flags, where `*` matches any bytes, `/` and a leading `.` included.

use memchr::memmem::Finder;
use rbox_parser::pattern::{Options, Pattern};

/// A compiled `-name`/`-path`/`-iname`/`-ipath` pattern.
#[derive(Debug)]
pub(super) enum Glob {
    /// No magic at all: the name must be these bytes.
    Exact(Vec<u8>),
    /// `LIT*`, and `HEAD*TAIL` (with `tail` empty for `LIT*`).
    Ends { head: Vec<u8>, tail: Vec<u8> },
    /// `*LIT`.
    Suffix(Vec<u8>),
    /// `*LIT*` (`*` alone is an empty `LIT`).
    Contains(Box<Finder<'static>>),
    /// Every other pattern.
    General(Pattern),
}

impl Glob {
    /// Compiles `text` as find does: fnmatch without flags, `casefold` for the `-i` forms.
    pub(super) fn new(text: &[u8], casefold: bool) -> Glob {
        let magic = |b: &u8| matches!(b, b'?' | b'[' | b'\\');
        if casefold || text.iter().any(magic) {
            return Glob::general(text, casefold);
        }
        let stars = text.iter().filter(|&&b| b == b'*').count();
        let lead = text.first() == Some(&b'*');
        let trail = text.len() > 1 && text.last() == Some(&b'*');
        match (stars, lead, trail) {
            (0, _, _) => Glob::Exact(text.to_vec()),
            (1, true, false) if text.len() == 1 => {
                Glob::Contains(Box::new(Finder::new(b"").into_owned()))
            }
            (1, true, false) => Glob::Suffix(text[1..].to_vec()),
            (1, false, _) => {
                let k = text.iter().position(|&b| b == b'*').unwrap_or(0);
                Glob::Ends {
                    head: text[..k].to_vec(),
                    tail: text[k + 1..].to_vec(),
                }
            }
            (2, true, true) => {
                Glob::Contains(Box::new(Finder::new(&text[1..text.len() - 1]).into_owned()))
            }
            _ => Glob::general(text, casefold),
        }
    }

    fn general(text: &[u8], casefold: bool) -> Glob {
        Glob::General(Pattern::parse(
            text,
            Options {
                pathname: false,
                period: false,
                casefold,
            },
        ))
    }

    /// Whether all of `s` matches.
    pub(super) fn matches(&self, s: &[u8]) -> bool {
        match self {
            Glob::Exact(lit) => s == lit.as_slice(),
            Glob::Ends { head, tail } => {
                s.len() >= head.len() + tail.len() && s.starts_with(head) && s.ends_with(tail)
            }
            Glob::Suffix(tail) => s.ends_with(tail),
            Glob::Contains(f) => f.find(s).is_some(),
            Glob::General(p) => p.matches(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fast shape agrees with the general matcher on names built from the
    /// pattern's own bytes (so that near misses are tried too).
    #[test]
    fn fast_shapes_agree_with_the_general_matcher() {
        let patterns: [&[u8]; 16] = [
            b"", b"*", b"**", b"a", b"ab", b"a*", b"*a", b"*a*", b"a*b", b"ab*ba", b"*ab*", b"*.c",
            b"lib*.so", b"*/x/*", b".*", b"a*a",
        ];
        let alphabet: [&[u8]; 6] = [b"a", b"b", b".", b"/", b"c", b"x"];
        let mut names: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let mut more = Vec::new();
            for n in &names {
                for a in alphabet {
                    let mut m = n.clone();
                    m.extend_from_slice(a);
                    more.push(m);
                }
            }
            names.extend(more);
        }
        names.push(b"lib.so".to_vec());
        names.push(b"libc.so".to_vec());
        names.push(b"libso".to_vec());
        for p in patterns {
            let fast = Glob::new(p, false);
            let slow = Glob::general(p, false);
            for n in &names {
                assert_eq!(
                    fast.matches(n),
                    slow.matches(n),
                    "pattern {:?} name {:?} ({fast:?})",
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(n)
                );
            }
        }
    }

    #[test]
    fn shapes_are_chosen_from_the_text() {
        assert!(matches!(Glob::new(b"Makefile", false), Glob::Exact(_)));
        assert!(matches!(Glob::new(b"*.c", false), Glob::Suffix(_)));
        assert!(matches!(Glob::new(b"lib*", false), Glob::Ends { .. }));
        assert!(matches!(Glob::new(b"*7*", false), Glob::Contains(_)));
        assert!(matches!(Glob::new(b"*", false), Glob::Contains(_)));
        assert!(matches!(Glob::new(b"a*b*c", false), Glob::General(_)));
        assert!(matches!(Glob::new(b"*.[ch]", false), Glob::General(_)));
        assert!(matches!(Glob::new(b"\\*", false), Glob::General(_)));
        assert!(matches!(Glob::new(b"*.C", true), Glob::General(_)));
        assert!(Glob::new(b"\\*", false).matches(b"*"));
        assert!(!Glob::new(b"\\*", false).matches(b"x"));
        assert!(Glob::new(b"*.C", true).matches(b"a.c"));
    }
}
