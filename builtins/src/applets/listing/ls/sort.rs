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
            let t = |e: &Entry| entry_time(cfg, e);
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
}
