//! Shell patterns for `ls -I`/`--hide` and `du --exclude` (here because every file of a
//! group folder is an applet): a small fnmatch over bytes
//! (the shell's full matcher lives in the parser crate, which builtins does not use).

/// Whether `name` matches the shell pattern `pat` (`*`, `?`, `[...]` with `!`/`^` and
/// ranges, `\` quoting), as fnmatch does; with `period` (`FNM_PERIOD`, for `ls -I` and
/// `--hide`) a leading `.` matches only a literal `.`.
pub fn glob_match(pat: &[u8], name: &[u8], period: bool) -> bool {
    if period && name.first() == Some(&b'.') && pat.first() != Some(&b'.') {
        return false;
    }
    // Iterative matching with one backtrack point for the last `*`.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pat.get(p) {
            Some(b'*') => {
                star = Some((p + 1, n));
                p += 1;
                continue;
            }
            Some(b'?') => Some(p + 1),
            Some(b'[') => bracket(pat, p, name.get(n).copied().unwrap_or(0)),
            Some(b'\\') if pat.get(p + 1).is_some() => {
                (pat.get(p + 1) == name.get(n)).then_some(p + 2)
            }
            Some(c) => (Some(c) == name.get(n)).then_some(p + 1),
            None => None,
        };
        match step {
            Some(next) => {
                p = next;
                n += 1;
            }
            None => match star {
                Some((sp, sn)) => {
                    p = sp;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pat.get(p..).unwrap_or_default().iter().all(|&c| c == b'*')
}

/// Matches `c` against the bracket expression at `pat[open]`; the index after it on a
/// match. An unclosed `[` is an ordinary character.
fn bracket(pat: &[u8], open: usize, c: u8) -> Option<usize> {
    let mut i = open + 1;
    let negate = matches!(pat.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let lo = *pat.get(i)?;
        if lo == b']' && !first {
            break;
        }
        first = false;
        if pat.get(i + 1) == Some(&b'-') && pat.get(i + 2).is_some_and(|&h| h != b']') {
            let hi = *pat.get(i + 2)?;
            hit |= lo <= c && c <= hi;
            i += 3;
        } else {
            hit |= lo == c;
            i += 1;
        }
    }
    (hit != negate).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        for (p, n, want) in [
            ("*.o", "a.o", true),
            ("*.o", "a.c", false),
            ("*", ".hidden", false),
            (".*", ".hidden", true),
            ("a?c", "abc", true),
            ("[a-c]x", "bx", true),
            ("[!a-c]x", "bx", false),
            ("[]]", "]", true),
            ("\\*", "*", true),
            ("*b*c", "abxbc", true),
            ("[", "[", false),
        ] {
            assert_eq!(
                glob_match(p.as_bytes(), n.as_bytes(), true),
                want,
                "{p} {n}"
            );
        }
        assert!(glob_match(b"*", b".x", false));
    }
}
