//! What getfattr and setfattr share (the attr package's conventions): the extended
//! attribute system calls by path, following symlinks or not; `\ooo` quoting of names and
//! paths; value encodings (`"text"`, `0x` hex, `0s` base64) both ways; error wording.

use std::ffi::CString;
use std::io;

use crate::common::base64;
use crate::error::strerror;

/// Whether a call acts on a symlink's target (`getxattr`) or on the link (`lgetxattr`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deref {
    /// Follow symbolic links (the default).
    Follow,
    /// Act on the link itself (`-h`).
    NoFollow,
}

fn cstr(b: &[u8]) -> io::Result<CString> {
    CString::new(b).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// A negative system call result as the `errno` it set.
fn check(r: isize) -> io::Result<usize> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// The value of attribute `name` of `path`.
pub fn get(path: &[u8], name: &[u8], deref: Deref) -> io::Result<Vec<u8>> {
    let (p, n) = (cstr(path)?, cstr(name)?);
    let call = |buf: &mut [u8]| -> io::Result<usize> {
        let (ptr, len) = if buf.is_empty() {
            (std::ptr::null_mut(), 0)
        } else {
            (buf.as_mut_ptr().cast(), buf.len())
        };
        // SAFETY: both names are NUL-terminated C strings that outlive the call, and the
        // kernel writes at most `len` bytes at `ptr` (nothing when it is null and 0).
        let r = unsafe {
            match deref {
                Deref::Follow => libc::getxattr(p.as_ptr(), n.as_ptr(), ptr, len),
                Deref::NoFollow => libc::lgetxattr(p.as_ptr(), n.as_ptr(), ptr, len),
            }
        };
        check(r)
    };
    sized_read(call)
}

/// The attribute names of `path`, in the order the file system lists them.
pub fn list(path: &[u8], deref: Deref) -> io::Result<Vec<Vec<u8>>> {
    let p = cstr(path)?;
    let call = |buf: &mut [u8]| -> io::Result<usize> {
        let (ptr, len) = if buf.is_empty() {
            (std::ptr::null_mut(), 0)
        } else {
            (buf.as_mut_ptr().cast(), buf.len())
        };
        // SAFETY: the path is a NUL-terminated C string that outlives the call, and the
        // kernel writes at most `len` bytes at `ptr` (nothing when it is null and 0).
        let r = unsafe {
            match deref {
                Deref::Follow => libc::listxattr(p.as_ptr(), ptr, len),
                Deref::NoFollow => libc::llistxattr(p.as_ptr(), ptr, len),
            }
        };
        check(r)
    };
    let raw = sized_read(call)?;
    Ok(raw
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(<[u8]>::to_vec)
        .collect())
}

/// Asks for the size, then reads; retries when the value grew in between (ERANGE).
fn sized_read(mut call: impl FnMut(&mut [u8]) -> io::Result<usize>) -> io::Result<Vec<u8>> {
    for _ in 0..8 {
        let size = call(&mut [])?;
        if size == 0 {
            return Ok(Vec::new());
        }
        let mut buf = vec![0u8; size];
        match call(&mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(e) if e.raw_os_error() == Some(libc::ERANGE) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::ERANGE))
}

/// Sets attribute `name` of `path` to `value` (creating or replacing it).
pub fn set(path: &[u8], name: &[u8], value: &[u8], deref: Deref) -> io::Result<()> {
    let (p, n) = (cstr(path)?, cstr(name)?);
    // SAFETY: both names are NUL-terminated C strings and `value` is a live slice of
    // `value.len()` bytes; the kernel only reads them during the call.
    let r = unsafe {
        match deref {
            Deref::Follow => libc::setxattr(
                p.as_ptr(),
                n.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                0,
            ),
            Deref::NoFollow => libc::lsetxattr(
                p.as_ptr(),
                n.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                0,
            ),
        }
    };
    check(r as isize).map(drop)
}

/// Removes attribute `name` of `path`.
pub fn remove(path: &[u8], name: &[u8], deref: Deref) -> io::Result<()> {
    let (p, n) = (cstr(path)?, cstr(name)?);
    // SAFETY: both names are NUL-terminated C strings that outlive the call.
    let r = unsafe {
        match deref {
            Deref::Follow => libc::removexattr(p.as_ptr(), n.as_ptr()),
            Deref::NoFollow => libc::lremovexattr(p.as_ptr(), n.as_ptr()),
        }
    };
    check(r as isize).map(drop)
}

/// The reason text of an attribute call's error: ENODATA reads "No such attribute".
pub fn reason(err: &io::Error) -> String {
    if err.raw_os_error() == Some(libc::ENODATA) {
        "No such attribute".to_string()
    } else {
        strerror(err)
    }
}

/// `s` with a backslash and every byte of `special` written as `\ooo` (three octal
/// digits), the attr tools' quoting of file and attribute names.
pub fn quote(s: &[u8], special: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        if b == b'\\' || special.contains(&b) {
            out.extend_from_slice(format!("\\{b:03o}").as_bytes());
        } else {
            out.push(b);
        }
    }
    out
}

/// Undoes [`quote`]: `\` followed by three octal digits is that byte; anything else stays.
pub fn unquote(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\'
            && i + 4 <= s.len()
            && s[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = s[i + 1..i + 4]
                .iter()
                .fold(0u32, |acc, c| acc * 8 + u32::from(c - b'0'));
            out.push(v as u8);
            i += 4;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// How `getfattr` shows values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Text when at most one byte in eight is unprintable, else base64 (the default).
    Auto,
    /// `"..."` with `\ooo` for NUL, CR and LF, `\\` and `\"`.
    Text,
    /// `0x` and two lowercase digits a byte.
    Hex,
    /// `0s` and padded base64.
    Base64,
}

/// Whether a value reads well enough as text: no more than one byte in eight outside
/// printable ASCII, a final NUL not counted.
fn printable_enough(value: &[u8]) -> bool {
    let v = match value.split_last() {
        Some((0, rest)) => rest,
        _ => value,
    };
    let unprintable = v.iter().filter(|&&b| !(0x20..0x7f).contains(&b)).count();
    v.len() >= unprintable * 8
}

/// `value` written in `enc`, as after `NAME=` in getfattr's dump.
pub fn encode(value: &[u8], enc: Encoding) -> Vec<u8> {
    let enc = match enc {
        Encoding::Auto if printable_enough(value) => Encoding::Text,
        Encoding::Auto => Encoding::Base64,
        other => other,
    };
    match enc {
        Encoding::Hex => {
            let mut out = b"0x".to_vec();
            for b in value {
                out.extend_from_slice(format!("{b:02x}").as_bytes());
            }
            out
        }
        Encoding::Base64 | Encoding::Auto => {
            let mut out = b"0s".to_vec();
            out.extend_from_slice(&base64::encode(value));
            out
        }
        Encoding::Text => {
            let mut out = vec![b'"'];
            for (i, &b) in value.iter().enumerate() {
                match b {
                    0 if i + 1 == value.len() => break,
                    0 | b'\n' | b'\r' => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
                    b'\\' | b'"' => out.extend_from_slice(&[b'\\', b]),
                    _ => out.push(b),
                }
            }
            out.push(b'"');
            out
        }
    }
}

/// A value as setfattr takes it: `0x` hex (whitespace between digits allowed), `0s`
/// base64, or text (surrounding quotes dropped; `\\`, `\"` and `\ooo` escapes).
/// `None` for bad hex or base64.
pub fn decode(v: &[u8]) -> Option<Vec<u8>> {
    match v {
        [b'0', b'x' | b'X', rest @ ..] => {
            let digits: Vec<u8> = rest
                .iter()
                .copied()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            if !digits.len().is_multiple_of(2) {
                return None;
            }
            digits
                .chunks(2)
                .map(|p| {
                    let hi = (p[0] as char).to_digit(16)?;
                    let lo = (p[1] as char).to_digit(16)?;
                    Some((hi * 16 + lo) as u8)
                })
                .collect()
        }
        [b'0', b's' | b'S', rest @ ..] => base64::decode(rest),
        _ => Some(decode_text(v)),
    }
}

fn decode_text(v: &[u8]) -> Vec<u8> {
    let v = match v {
        [b'"', inner @ .., b'"'] => inner,
        _ => v,
    };
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        match (v[i], v.get(i + 1)) {
            (b'\\', Some(&c @ (b'\\' | b'"'))) => {
                out.push(c);
                i += 2;
            }
            (b'\\', Some(b'0'..=b'7')) => {
                let mut n = 0u32;
                let mut j = i + 1;
                while j < v.len() && j < i + 4 && (b'0'..=b'7').contains(&v[j]) {
                    n = n * 8 + u32::from(v[j] - b'0');
                    j += 1;
                }
                out.push(n as u8);
                i = j;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips() {
        assert_eq!(quote(b"a\\b\nc=d", b"\n\r"), b"a\\134b\\012c=d");
        assert_eq!(quote(b"user.x=y", b"=\n\r"), b"user.x\\075y");
        assert_eq!(unquote(b"a\\134b\\012c"), b"a\\b\nc");
        assert_eq!(unquote(b"a\\9b\\01"), b"a\\9b\\01");
    }

    #[test]
    fn encodes_like_getfattr() {
        assert_eq!(encode(b"hello", Encoding::Auto), b"\"hello\"");
        assert_eq!(encode(b"\x01\x02\xff", Encoding::Auto), b"0sAQL/");
        assert_eq!(encode(b"", Encoding::Auto), b"\"\"");
        assert_eq!(encode(b"", Encoding::Hex), b"0x");
        assert_eq!(encode(b"", Encoding::Base64), b"0s");
        assert_eq!(
            encode(b"a\"b\\c\n\0", Encoding::Text),
            b"\"a\\\"b\\\\c\\012\""
        );
        assert_eq!(encode(b"a\0b", Encoding::Text), b"\"a\\000b\"");
        // Seven printable bytes carry one unprintable one; six do not.
        assert_eq!(encode(b"abcdefg\x01", Encoding::Auto), b"\"abcdefg\x01\"");
        assert_eq!(encode(b"abcdef\x01", Encoding::Auto), b"0sYWJjZGVmAQ==");
        assert_eq!(encode(b"selinux\0", Encoding::Auto), b"\"selinux\"");
    }

    #[test]
    fn decodes_like_setfattr() {
        assert_eq!(decode(b"0x 01 02ff").unwrap(), b"\x01\x02\xff");
        assert_eq!(decode(b"0X41").unwrap(), b"A");
        assert_eq!(decode(b"0x1"), None);
        assert_eq!(decode(b"0xzz"), None);
        assert_eq!(decode(b"0sAQID").unwrap(), b"\x01\x02\x03");
        assert_eq!(decode(b"0sA"), None);
        assert_eq!(decode(b"\"quoted\"").unwrap(), b"quoted");
        assert_eq!(decode(b"\"").unwrap(), b"\"");
        assert_eq!(decode(b"\\101\\1012x").unwrap(), b"AA2x");
        assert_eq!(decode(b"a b\\nc\"d\\\\e").unwrap(), b"a b\\nc\"d\\e");
        assert_eq!(decode(b"").unwrap(), b"");
    }
}
