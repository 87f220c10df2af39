//! Small helpers shared by the text applets of this folder.

use std::io::{self, BufRead, Write};

use crate::common::lines::Source;
use crate::ctx::Ctx;
use crate::error::Error;

/// `'name'`, the way GNU quotes a file name in messages (plain cases only).
pub fn quoted(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + 2);
    v.push(b'\'');
    v.extend_from_slice(name);
    v.push(b'\'');
    v
}

/// The name to show for an operand: `standard input` for `-`.
pub fn shown(name: &[u8]) -> &[u8] {
    if name == b"-" {
        b"standard input"
    } else {
        name
    }
}

/// Reports `NAME: PREFIX 'file' SUFFIX: reason` (GNU's `cannot open 'x' for reading`).
pub fn warn_quoted(ctx: &mut Ctx<'_>, prefix: &str, name: &[u8], suffix: &str, err: &io::Error) {
    let mut m = prefix.as_bytes().to_vec();
    m.extend_from_slice(&quoted(shown(name)));
    m.extend_from_slice(suffix.as_bytes());
    m.extend_from_slice(b": ");
    m.extend_from_slice(crate::error::strerror(err).as_bytes());
    ctx.warn_msg(&m);
}

/// A failed step of an applet's copy loop: reading an input (report it, go on with the
/// next operand) or writing the output (fatal).
pub enum Fail {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing standard output failed.
    Write(io::Error),
}

impl From<Fail> for Error {
    fn from(f: Fail) -> Error {
        match f {
            Fail::Read(e) => Error::from(e),
            Fail::Write(e) => Error::io(b"write error", &e),
        }
    }
}

/// `-` when `files` is empty, else the files.
pub fn default_stdin(files: &mut Vec<Vec<u8>>) {
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
}

/// Writes `data` to `out`, as a [`Fail::Write`] on error.
pub fn put(out: &mut dyn io::Write, data: &[u8]) -> Result<(), Fail> {
    out.write_all(data).map_err(Fail::Write)
}

/// How [`each_operand`] reports an operand it cannot open.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OpenFail {
    /// `NAME: file: reason` (GNU coreutils).
    Plain,
    /// `NAME: cannot open file: reason` (util-linux rev).
    CannotOpen,
}

/// The per-operand loop of the line filters: opens each of `files` (`-` is standard
/// input) and hands its reader and standard output to `each`. An operand that cannot be
/// opened or read is reported (the run fails at the end) and the next one follows; a
/// write error stops the run.
pub fn each_operand(
    ctx: &mut Ctx<'_>,
    files: &[Vec<u8>],
    open_fail: OpenFail,
    mut each: impl FnMut(&mut dyn BufRead, &mut dyn Write) -> Result<(), Fail>,
) -> Result<(), Error> {
    for name in files {
        let mut src = match Source::open(&mut ctx.stdin, name) {
            Ok(s) => s,
            Err(e) => {
                match open_fail {
                    OpenFail::Plain => ctx.warn(name, &e),
                    OpenFail::CannotOpen => {
                        let mut m = b"cannot open ".to_vec();
                        m.extend_from_slice(&crate::error::subject_reason(name, &e));
                        ctx.warn_msg(&m);
                    }
                }
                continue;
            }
        };
        let r = each(src.reader(), &mut ctx.stdout);
        drop(src);
        match r {
            Ok(()) => {}
            Err(Fail::Read(e)) => ctx.warn(name, &e),
            Err(f) => return Err(f.into()),
        }
    }
    Ok(())
}
