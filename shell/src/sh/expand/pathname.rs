//! Pathname expansion (XCU 2.6.6): each slash-separated component with live pattern
//! characters is matched against a directory listing; results are sorted byte-wise; a
//! leading `.` must be matched literally; `.` and `..` are never produced by a pattern
//! (bash 5.2; dash lists them for `.*`). No match leaves the word as it was.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use rbox_parser::pattern::{Options, Pattern};

use super::QUOTED;

/// Whether the field has an unquoted `*`, `?` or `[`.
pub fn has_glob(bytes: &[u8], flags: &[u8]) -> bool {
    bytes
        .iter()
        .zip(flags)
        .any(|(c, f)| f & QUOTED == 0 && matches!(c, b'*' | b'?' | b'['))
}

/// Whether literal text could be a pattern: a `*` or `?`, or a `[` with a `]` after it.
/// `[` alone (the command) and `]` are plain words.
pub fn may_glob(s: &[u8]) -> bool {
    match s.iter().position(|&c| matches!(c, b'*' | b'?' | b'[')) {
        None => false,
        Some(i) if s[i] == b'[' => s[i + 1..].iter().any(|&c| matches!(c, b'*' | b'?' | b']')),
        Some(_) => true,
    }
}

/// `true` when some component is a real pattern (not just a lone `[`).
pub fn has_live_glob(bytes: &[u8], flags: &[u8]) -> bool {
    let mut start = 0;
    for i in 0..=bytes.len() {
        if i == bytes.len() || bytes[i] == b'/' {
            let mask: Vec<bool> = flags[start..i].iter().map(|f| f & QUOTED != 0).collect();
            if Pattern::new(&bytes[start..i], &mask, Options::default()).has_magic() {
                return true;
            }
            start = i + 1;
        }
    }
    false
}

/// The sorted matches of the field as a pattern; empty when nothing matches.
pub fn glob(bytes: &[u8], flags: &[u8]) -> Vec<Vec<u8>> {
    // Components with their quoted masks.
    let mut comps: Vec<(&[u8], Vec<bool>)> = Vec::new();
    let mut start = 0;
    for i in 0..=bytes.len() {
        if i == bytes.len() || bytes[i] == b'/' {
            let mask = flags[start..i].iter().map(|f| f & QUOTED != 0).collect();
            comps.push((&bytes[start..i], mask));
            start = i + 1;
        }
    }
    // A word whose components are all literal (`[`, `a[b`) matches only itself: leave
    // it as it is without touching the file system.
    let live = |c: &(&[u8], Vec<bool>)| Pattern::new(c.0, &c.1, Options::default()).has_magic();
    if !comps.iter().any(live) {
        return Vec::new();
    }
    let absolute = bytes.first() == Some(&b'/');
    let mut paths: Vec<Vec<u8>> = vec![if absolute { b"/".to_vec() } else { Vec::new() }];
    let n = comps.len();
    for (idx, (comp, mask)) in comps.into_iter().enumerate() {
        if comp.is_empty() {
            if idx == 0 {
                continue;
            }
            // `a//b` or a trailing slash: keep the slash, only directories survive.
            for p in &mut paths {
                if !p.ends_with(b"/") {
                    p.push(b'/');
                }
            }
            if idx + 1 == n {
                paths.retain(|p| std::fs::metadata(OsStr::from_bytes(p)).is_ok_and(|m| m.is_dir()));
            }
            continue;
        }
        let pat = Pattern::new(
            comp,
            &mask,
            Options {
                pathname: false,
                period: true,
                casefold: false,
            },
        );
        let last = idx + 1 == n;
        let mut next = Vec::new();
        if !pat.has_magic() {
            let lit = pat.literal().unwrap_or_else(|| comp.to_vec());
            for p in paths {
                let mut q = p;
                if !q.is_empty() && !q.ends_with(b"/") {
                    q.push(b'/');
                }
                q.extend_from_slice(&lit);
                if last {
                    if std::fs::symlink_metadata(OsStr::from_bytes(&q)).is_ok() {
                        next.push(q);
                    }
                } else {
                    next.push(q);
                }
            }
        } else {
            for p in paths {
                let dir: &[u8] = if p.is_empty() { b"." } else { &p };
                let Ok(rd) = std::fs::read_dir(OsStr::from_bytes(dir)) else {
                    continue;
                };
                let mut names: Vec<Vec<u8>> = rd
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().as_bytes().to_vec())
                    .filter(|name| pat.matches(name))
                    .collect();
                names.sort();
                for name in names {
                    let mut q = p.clone();
                    if !q.is_empty() && !q.ends_with(b"/") {
                        q.push(b'/');
                    }
                    q.extend_from_slice(&name);
                    if !last && !std::fs::metadata(OsStr::from_bytes(&q)).is_ok_and(|m| m.is_dir())
                    {
                        continue;
                    }
                    next.push(q);
                }
            }
        }
        paths = next;
        if paths.is_empty() {
            return paths;
        }
    }
    paths.sort();
    paths
}
