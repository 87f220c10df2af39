//! `-printf` directives and escapes, and the `-ls` line.

use nix::fcntl::{AtFlags, readlinkat};
use nix::sys::stat::fstatat;
use std::os::unix::ffi::OsStrExt;

use super::{Finder, Item};
use crate::common::mode::format_mode;
use crate::common::time::{localtime, strftime};

/// The type letter of `%y`.
fn type_letter(mode: u32) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => b'f',
        libc::S_IFDIR => b'd',
        libc::S_IFLNK => b'l',
        libc::S_IFBLK => b'b',
        libc::S_IFCHR => b'c',
        libc::S_IFIFO => b'p',
        libc::S_IFSOCK => b's',
        _ => b'U',
    }
}

/// `%h` and `%f` as GNU computes them: everything before the last `/` of the whole path
/// (`.` when there is none), and the last component with its trailing slashes.
fn split_path(path: &[u8]) -> (&[u8], &[u8]) {
    let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    let head = match path.iter().rposition(|&b| b == b'/') {
        Some(i) => path.get(..i).unwrap_or_default(),
        None => b".",
    };
    if end == 0 {
        return (head, if path.is_empty() { b"" } else { b"/" });
    }
    let tail = match path
        .get(..end)
        .and_then(|t| t.iter().rposition(|&b| b == b'/'))
    {
        Some(i) => path.get(i + 1..).unwrap_or_default(),
        None => path,
    };
    (head, tail)
}

/// The fraction GNU prints after seconds: nine digits and a trailing 0.
fn frac(ns: i64) -> String {
    format!("{:09}0", ns.clamp(0, 999_999_999))
}

fn time_directive(f: &mut Finder<'_, '_>, (s, ns): (i64, i64), k: u8) -> Vec<u8> {
    if k == b'@' {
        return format!("{s}.{}", frac(ns)).into_bytes();
    }
    let tm = localtime(s, f.tz());
    match k {
        b'S' => {
            let mut v = strftime(b"%S", &tm);
            v.extend_from_slice(format!(".{}", frac(ns)).as_bytes());
            v
        }
        b'T' => {
            let mut v = strftime(b"%H:%M:%S", &tm);
            v.extend_from_slice(format!(".{}", frac(ns)).as_bytes());
            v
        }
        b'+' => {
            let mut v = strftime(b"%Y-%m-%d+%H:%M:%S", &tm);
            v.extend_from_slice(format!(".{}", frac(ns)).as_bytes());
            v
        }
        _ => strftime(&[b'%', k], &tm),
    }
}

/// `%t`-style: `Tue Dec  1 16:11:48.1152109000 2026`.
fn ctime(f: &mut Finder<'_, '_>, (s, ns): (i64, i64)) -> Vec<u8> {
    let tm = localtime(s, f.tz());
    let mut v = strftime(b"%a %b %e %H:%M:%S", &tm);
    v.extend_from_slice(format!(".{}", frac(ns)).as_bytes());
    v.extend_from_slice(&strftime(b" %Y", &tm));
    v
}

fn link_target(it: &Item<'_>) -> Vec<u8> {
    if it.st.st_mode & libc::S_IFMT != libc::S_IFLNK {
        // Followed links (-L) still show their target.
        if fstatat(it.parent, it.name, AtFlags::AT_SYMLINK_NOFOLLOW)
            .is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFLNK)
        {
            return readlinkat(it.parent, it.name)
                .map(|t| t.as_bytes().to_vec())
                .unwrap_or_default();
        }
        return Vec::new();
    }
    readlinkat(it.parent, it.name)
        .map(|t| t.as_bytes().to_vec())
        .unwrap_or_default()
}

fn pad(out: &mut Vec<u8>, text: &[u8], width: usize, left: bool, zero: bool) {
    let fill = width.saturating_sub(text.len());
    if left {
        out.extend_from_slice(text);
        out.resize(out.len() + fill, b' ');
    } else if zero {
        let (sign, digits) = match text.first() {
            Some(b'-') => (&text[..1], &text[1..]),
            _ => (&b""[..], text),
        };
        out.extend_from_slice(sign);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(digits);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(text);
    }
}

/// Expands a `-printf` format for one entry.
pub(super) fn format(f: &mut Finder<'_, '_>, fmt: &[u8], it: &Item<'_>) -> Vec<u8> {
    let st = it.st;
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = fmt.get(i) {
        i += 1;
        if b == b'\\' {
            let Some(&c) = fmt.get(i) else {
                out.push(b'\\');
                break;
            };
            i += 1;
            match c {
                b'a' => out.push(7),
                b'b' => out.push(8),
                b'c' => return out,
                b'f' => out.push(12),
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'v' => out.push(11),
                b'\\' => out.push(b'\\'),
                b'0'..=b'7' => {
                    let mut v = u32::from(c - b'0');
                    for _ in 0..2 {
                        match fmt.get(i) {
                            Some(&d @ b'0'..=b'7') => {
                                v = v * 8 + u32::from(d - b'0');
                                i += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push((v & 0xff) as u8);
                }
                _ => {
                    out.push(b'\\');
                    out.push(c);
                }
            }
            continue;
        }
        if b != b'%' {
            out.push(b);
            continue;
        }
        // %[flags][width][.precision]directive
        let (mut left, mut zero) = (false, false);
        while let Some(&c) = fmt.get(i) {
            match c {
                b'-' => left = true,
                b'0' => zero = true,
                b'+' | b' ' | b'#' => {}
                _ => break,
            }
            i += 1;
        }
        let mut width = 0usize;
        while let Some(&d @ b'0'..=b'9') = fmt.get(i) {
            width = width
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'))
                .min(4096);
            i += 1;
        }
        let mut precision = None;
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(&d @ b'0'..=b'9') = fmt.get(i) {
                p = p
                    .saturating_mul(10)
                    .saturating_add(usize::from(d - b'0'))
                    .min(4096);
                i += 1;
            }
            precision = Some(p);
        }
        let Some(&d) = fmt.get(i) else {
            out.push(b'%');
            break;
        };
        i += 1;
        let mut numeric = true;
        let text: Vec<u8> = match d {
            b'%' => {
                out.push(b'%');
                continue;
            }
            b'p' => {
                numeric = false;
                it.path.to_vec()
            }
            b'f' => {
                numeric = false;
                split_path(it.path).1.to_vec()
            }
            b'h' => {
                numeric = false;
                split_path(it.path).0.to_vec()
            }
            b'H' => {
                numeric = false;
                f.root.clone()
            }
            b'P' => {
                numeric = false;
                let rest = it.path.get(f.root.len()..).unwrap_or_default();
                rest.strip_prefix(b"/").unwrap_or(rest).to_vec()
            }
            b's' => st.st_size.to_string().into_bytes(),
            b'b' => st.st_blocks.to_string().into_bytes(),
            b'k' => ((st.st_blocks + 1) / 2).to_string().into_bytes(),
            b'd' => it.depth.to_string().into_bytes(),
            b'D' => st.st_dev.to_string().into_bytes(),
            b'i' => st.st_ino.to_string().into_bytes(),
            b'n' => st.st_nlink.to_string().into_bytes(),
            b'm' => format!("{:o}", st.st_mode & 0o7777).into_bytes(),
            b'M' => {
                numeric = false;
                format_mode(st.st_mode).to_vec()
            }
            b'U' => st.st_uid.to_string().into_bytes(),
            b'G' => st.st_gid.to_string().into_bytes(),
            b'u' => {
                numeric = false;
                f.accounts().user_name(st.st_uid)
            }
            b'g' => {
                numeric = false;
                f.accounts().group_name(st.st_gid)
            }
            b'y' => {
                numeric = false;
                vec![type_letter(st.st_mode)]
            }
            b'Y' => {
                numeric = false;
                let letter = if st.st_mode & libc::S_IFMT == libc::S_IFLNK {
                    match fstatat(it.parent, it.name, AtFlags::empty()) {
                        Ok(t) => type_letter(t.st_mode),
                        Err(nix::errno::Errno::ELOOP) => b'L',
                        Err(nix::errno::Errno::ENOENT) => b'N',
                        Err(_) => b'?',
                    }
                } else {
                    type_letter(st.st_mode)
                };
                vec![letter]
            }
            b'l' => {
                numeric = false;
                link_target(it)
            }
            b'S' => {
                let size = st.st_size.max(0) as f64;
                let v = if size == 0.0 {
                    1.0
                } else {
                    (st.st_blocks as f64 * 512.0) / size
                };
                format!("{v}").into_bytes()
            }
            b'a' | b'c' | b't' => {
                numeric = false;
                let stamp = match d {
                    b'a' => (st.st_atime, st.st_atime_nsec),
                    b'c' => (st.st_ctime, st.st_ctime_nsec),
                    _ => (st.st_mtime, st.st_mtime_nsec),
                };
                ctime(f, stamp)
            }
            b'A' | b'C' | b'T' => {
                numeric = false;
                let stamp = match d {
                    b'A' => (st.st_atime, st.st_atime_nsec),
                    b'C' => (st.st_ctime, st.st_ctime_nsec),
                    _ => (st.st_mtime, st.st_mtime_nsec),
                };
                let Some(&k) = fmt.get(i) else {
                    out.push(b'%');
                    out.push(d);
                    break;
                };
                i += 1;
                time_directive(f, stamp, k)
            }
            b'Z' => {
                numeric = false;
                b"?".to_vec()
            }
            _ => {
                // GNU prints an unknown directive as it stands.
                out.push(b'%');
                out.push(d);
                continue;
            }
        };
        let text = match precision {
            Some(p) if !numeric => text.get(..p).unwrap_or(&text).to_vec(),
            _ => text,
        };
        pad(&mut out, &text, width, left, zero && numeric);
    }
    out
}

/// The `-ls` line: inode, 1K blocks, mode, links, owner, group, size, date, name.
pub(super) fn ls(f: &mut Finder<'_, '_>, it: &Item<'_>) -> Vec<u8> {
    let st = it.st;
    let mut out = Vec::new();
    pad(&mut out, st.st_ino.to_string().as_bytes(), 9, false, false);
    out.push(b' ');
    pad(
        &mut out,
        ((st.st_blocks + 1) / 2).to_string().as_bytes(),
        6,
        false,
        false,
    );
    out.push(b' ');
    out.extend_from_slice(&format_mode(st.st_mode));
    out.push(b' ');
    pad(
        &mut out,
        st.st_nlink.to_string().as_bytes(),
        3,
        false,
        false,
    );
    out.push(b' ');
    let user = f.accounts().user_name(st.st_uid);
    pad(&mut out, &user, 8, true, false);
    out.push(b' ');
    let group = f.accounts().group_name(st.st_gid);
    pad(&mut out, &group, 8, true, false);
    out.push(b' ');
    let kind = st.st_mode & libc::S_IFMT;
    let size = if kind == libc::S_IFCHR || kind == libc::S_IFBLK {
        let (maj, min) = (libc::major(st.st_rdev), libc::minor(st.st_rdev));
        format!("{maj:>3}, {min:>3}")
    } else {
        st.st_size.to_string()
    };
    pad(&mut out, size.as_bytes(), 8, false, false);
    out.push(b' ');
    let now = f.now.0;
    let tm = localtime(st.st_mtime, f.tz());
    // Six months of 365.2425 days, as ls -l and GNU find decide between time and year.
    let recent = st.st_mtime <= now && now - st.st_mtime < 31_556_952 / 2;
    let date = if recent {
        strftime(b"%b %e %H:%M", &tm)
    } else {
        strftime(b"%b %e  %Y", &tm)
    };
    out.extend_from_slice(&date);
    out.push(b' ');
    out.extend_from_slice(it.path);
    if kind == libc::S_IFLNK {
        out.extend_from_slice(b" -> ");
        out.extend_from_slice(&link_target(it));
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::split_path;

    #[test]
    fn head_and_tail_like_gnu() {
        let cases: &[(&str, &str, &str)] = &[
            ("a", ".", "a"),
            ("a/", "a", "a/"),
            ("a/b", "a", "b"),
            ("./a/b", "./a", "b"),
            ("/", "", "/"),
            ("/a", "", "a"),
            ("a/b/", "a/b", "b/"),
        ];
        for (p, h, t) in cases {
            let (gh, gt) = split_path(p.as_bytes());
            assert_eq!((gh, gt), (h.as_bytes(), t.as_bytes()), "{p}");
        }
    }
}
