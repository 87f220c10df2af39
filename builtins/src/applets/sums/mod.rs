//! Checksums and encodings: the `*sum` family, cksum, base64, od, hexdump and xxd.
//! The helpers below are shared by this folder's applets (not applets themselves).

use std::fs::File;
use std::io::{self, Read};

use crate::applet::Applet;
use crate::common::chunkbuf::ChunkBuf;
use crate::ctx::Input;
use crate::error::Error;

pub mod base64;
pub mod cksum;
pub mod hexdump;
mod md5;
pub mod md5sum;
pub mod od;
pub mod xxd;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &base64::APPLET,
    &cksum::APPLET,
    &md5sum::MD5SUM,
    &md5sum::SHA1SUM,
    &md5sum::SHA224SUM,
    &md5sum::SHA256SUM,
    &md5sum::SHA384SUM,
    &md5sum::SHA512SUM,
    &hexdump::APPLET,
    &od::APPLET,
    &xxd::APPLET,
];

/// The read size for whole-file passes (hashing, dumping).
pub(crate) use crate::common::chunkbuf::CHUNK;

/// Why a pass over one input stopped: reading it failed (report and go on), or the
/// consumer failed (a write error: fatal).
pub(crate) enum Fail {
    /// Opening or reading the input failed.
    Read(io::Error),
    /// The consumer's own error.
    Fatal(Error),
}

/// Opens the operand `name` for reading, refusing nothing (a directory fails on read).
pub(crate) fn open(name: &[u8]) -> io::Result<File> {
    use std::os::unix::ffi::OsStrExt;
    File::open(std::ffi::OsStr::from_bytes(name))
}

/// Feeds all of `name` (`-` is standard input) to `f` in large chunks.
pub(crate) fn each_chunk(
    stdin: &mut Input<'_>,
    name: &[u8],
    f: &mut dyn FnMut(&[u8]) -> Result<(), Error>,
) -> Result<(), Fail> {
    let mut spare = ChunkBuf::take();
    let buf = spare.window();
    let mut file;
    let src: &mut dyn Read = if name == b"-" {
        stdin
    } else {
        file = open(name).map_err(Fail::Read)?;
        &mut file
    };
    loop {
        let n = match src.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Fail::Read(e)),
        };
        f(buf.get(..n).unwrap_or_default()).map_err(Fail::Fatal)?;
    }
}

/// A file name as GNU's diagnostics show it (`quotef`): bare when it holds only safe
/// characters, else in single quotes, with `'` and control characters spelled out.
pub(crate) fn quotef(name: &[u8]) -> Vec<u8> {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"-_./,:+@%=^".contains(&b) || b >= 0x80;
    if !name.is_empty() && name.iter().all(|&b| safe(b)) {
        return name.to_vec();
    }
    let mut v = vec![b'\''];
    for &b in name {
        match b {
            b'\'' => v.extend_from_slice(b"'\\''"),
            b'\n' => v.extend_from_slice(b"'$'\\n''"),
            b'\t' => v.extend_from_slice(b"'$'\\t''"),
            b'\r' => v.extend_from_slice(b"'$'\\r''"),
            c if c < 0x20 || c == 0x7f => {
                v.extend_from_slice(format!("'$'\\{c:03o}''").as_bytes());
            }
            c => v.push(c),
        }
    }
    v.push(b'\'');
    v
}

/// The name a diagnostic shows for an operand: `standard input` for `-`, quoted as GNU.
pub(crate) fn shown(name: &[u8]) -> Vec<u8> {
    if name == b"-" {
        quotef(b"standard input")
    } else {
        quotef(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotef_quotes_only_when_needed() {
        assert_eq!(quotef(b"a/b.c"), b"a/b.c");
        assert_eq!(quotef(b"a b"), b"'a b'");
        assert_eq!(quotef(b"it's"), b"'it'\\''s'");
        assert_eq!(quotef(b"n\nl"), b"'n'$'\\n''l'");
        assert_eq!(shown(b"-"), b"'standard input'");
    }
}
