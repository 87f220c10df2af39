//! Ordering a listing: byte order of names (the C locale), by time, size, extension or
//! version, reversed with `-r`, directories first with `--group-directories-first`.

use std::cmp::Ordering;

use super::format::entry_time;
use super::{Config, Entry, SortKey};

/// Sorts `entries` as `cfg` asks (stable, so `-U` keeps directory order).
pub fn sort(cfg: &Config, entries: &mut [Entry]) {
    if cfg.sort == SortKey::Unsorted && !cfg.dirs_first {
        return;
    }
    entries.sort_by(|a, b| {
        if cfg.dirs_first {
            let o = is_dirish(b).cmp(&is_dirish(a));
            if o != Ordering::Equal {
                return o;
            }
        }
        let o = compare(cfg, a, b);
        if cfg.reverse { o.reverse() } else { o }
    });
}

fn is_dirish(e: &Entry) -> bool {
    let dir = |m: u32| m & libc::S_IFMT == libc::S_IFDIR;
    e.kind() == Some(libc::S_IFDIR) || e.target_mode.is_some_and(dir)
}

fn compare(cfg: &Config, a: &Entry, b: &Entry) -> Ordering {
    let by_name = || a.name.cmp(&b.name);
    match cfg.sort {
        SortKey::Unsorted => Ordering::Equal,
        SortKey::Name => by_name(),
        SortKey::Time => {
            let t = |e: &Entry| e.st.as_ref().map(|s| entry_time(cfg, s));
            t(b).cmp(&t(a)).then_with(by_name)
        }
        SortKey::Size => {
            let s = |e: &Entry| e.st.as_ref().map_or(0, |s| s.st_size);
            s(b).cmp(&s(a)).then_with(by_name)
        }
        SortKey::Extension => extension(&a.name)
            .cmp(extension(&b.name))
            .then_with(by_name),
        SortKey::Version => version_cmp(&a.name, &b.name).then_with(by_name),
    }
}

/// What follows the last `.` (not a leading one), or nothing.
fn extension(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b'.') {
        Some(i) if i > 0 => name.get(i..).unwrap_or_default(),
        _ => b"",
    }
}

/// Version order as Debian's `verrevcmp` (the heart of GNU's `filevercmp`): runs of
/// digits compare as numbers, other bytes with letters before punctuation, `~` first.
pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    fn order(c: Option<&u8>) -> i32 {
        match c {
            None => 0,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => i32::from(*c),
            Some(b'~') => -1,
            Some(c) => i32::from(*c) + 256,
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while a.get(i).is_some_and(|c| !c.is_ascii_digit())
            || b.get(j).is_some_and(|c| !c.is_ascii_digit())
        {
            let (ca, cb) = (order(a.get(i)), order(b.get(j)));
            if ca != cb {
                return ca.cmp(&cb);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first = Ordering::Equal;
        while a.get(i).is_some_and(u8::is_ascii_digit) && b.get(j).is_some_and(u8::is_ascii_digit) {
            if first == Ordering::Equal {
                first = a.get(i).cmp(&b.get(j));
            }
            i += 1;
            j += 1;
        }
        if a.get(i).is_some_and(u8::is_ascii_digit) {
            return Ordering::Greater;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            return Ordering::Less;
        }
        if first != Ordering::Equal {
            return first;
        }
    }
    Ordering::Equal
}

/// Whether `name` matches the shell pattern `pat` (`*`, `?`, `[...]` with `!`/`^` and
/// ranges, `\` quoting), as fnmatch with `FNM_PERIOD` does for `ls -I` and `--hide`:
/// a leading `.` matches only a literal `.`.
pub fn glob_match(pat: &[u8], name: &[u8]) -> bool {
    if name.first() == Some(&b'.') && pat.first() != Some(&b'.') {
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
    fn versions() {
        let mut v: Vec<&[u8]> = vec![b"a10", b"a2", b"a1", b"a1~", b"a", b"b", b"a02"];
        v.sort_by(|a, b| version_cmp(a, b).then(a.cmp(b)));
        assert_eq!(v, [&b"a"[..], b"a1~", b"a1", b"a02", b"a2", b"a10", b"b"]);
        assert_eq!(extension(b".bashrc"), b"");
        assert_eq!(extension(b"x.tar.gz"), b".gz");
    }

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
            assert_eq!(glob_match(p.as_bytes(), n.as_bytes()), want, "{p} {n}");
        }
    }
}
