//! `cat`: concatenate files to standard output.

use std::fs::File;
use std::os::fd::RawFd;

use crate::common::chunkbuf::ChunkBuf;
use crate::prelude::*;

/// The `cat` applet.
pub const APPLET: Applet = Applet::new("cat", main, Run::Fork)
    .captures_files_in_process()
    .usage("[-nbsuvetAET] [FILE]...")
    .help(
        "Concatenate FILEs (or standard input; - is standard input) to standard output.\n\n\
         -n\tNumber output lines\n\
         -b\tNumber nonempty lines\n\
         -s\tSqueeze repeated empty lines into one\n\
         -u\tIgnored (output is never delayed)\n\
         -v\tShow nonprinting characters as ^X or M-X\n\
         -E\tShow $ at the end of each line\n\
         -T\tShow tabs as ^I\n\
         -e\tSame as -vE\n\
         -t\tSame as -vT\n\
         -A\tSame as -vET",
    );

const LONGS: &[&str] = &[
    "number",
    "number-nonblank",
    "squeeze-blank",
    "show-nonprinting",
    "show-ends",
    "show-tabs",
    "show-all",
];

/// Which transformations are on; all off means a plain byte copy.
#[derive(Default, Clone, Copy)]
struct Format {
    number: bool,
    number_nonblank: bool,
    squeeze: bool,
    nonprinting: bool,
    ends: bool,
    tabs: bool,
}

impl Format {
    fn is_plain(&self) -> bool {
        let Format {
            number,
            number_nonblank,
            squeeze,
            nonprinting,
            ends,
            tabs,
        } = *self;
        !(number || number_nonblank || squeeze || nonprinting || ends || tabs)
    }
}

/// Where the formatter is between reads: state carries across buffers and files.
struct LineState {
    at_start: bool,
    line: u64,
    blank_lines: u32,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut f = Format::default();
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('n') | Arg::Long("number") => f.number = true,
            Arg::Short('b') | Arg::Long("number-nonblank") => f.number_nonblank = true,
            Arg::Short('s') | Arg::Long("squeeze-blank") => f.squeeze = true,
            Arg::Short('u') => {}
            Arg::Short('v') | Arg::Long("show-nonprinting") => f.nonprinting = true,
            Arg::Short('E') | Arg::Long("show-ends") => f.ends = true,
            Arg::Short('T') | Arg::Long("show-tabs") => f.tabs = true,
            Arg::Short('e') => (f.nonprinting, f.ends) = (true, true),
            Arg::Short('t') => (f.nonprinting, f.tabs) = (true, true),
            Arg::Short('A') | Arg::Long("show-all") => {
                (f.nonprinting, f.ends, f.tabs) = (true, true, true)
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    let mut state = LineState {
        at_start: true,
        line: 0,
        blank_lines: 0,
    };
    for name in &files {
        let result = if name == b"-" {
            copy_stdin(ctx, f, &mut state)
        } else {
            match open(name) {
                Ok(file) => copy_file(ctx, file, f, &mut state),
                Err(e) => {
                    ctx.warn(name, &e);
                    continue;
                }
            }
        };
        match result {
            Ok(()) => {}
            Err(Fail::Read(e)) => ctx.warn(name, &e),
            Err(Fail::Write(e)) => return Err(Error::io(b"write error", &e)),
        }
    }
    Ok(())
}

/// Opens a file for reading, refusing directories with EISDIR as GNU cat does.
fn open(name: &[u8]) -> std::io::Result<File> {
    use std::os::unix::ffi::OsStrExt;
    let file = File::open(std::ffi::OsStr::from_bytes(name))?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::from_raw_os_error(libc::EISDIR));
    }
    Ok(file)
}

/// A failed copy: reading the input (report and go on) or writing the output (stop).
enum Fail {
    Read(std::io::Error),
    Write(std::io::Error),
}

fn copy_stdin(ctx: &mut Ctx<'_>, f: Format, state: &mut LineState) -> Result<(), Fail> {
    let mut spare = ChunkBuf::take();
    let buf = spare.window();
    loop {
        let n = ctx.stdin.read(buf).map_err(Fail::Read)?;
        if n == 0 {
            return Ok(());
        }
        emit(ctx, &buf[..n], f, state)?;
    }
}

fn copy_file(
    ctx: &mut Ctx<'_>,
    mut file: File,
    f: Format,
    state: &mut LineState,
) -> Result<(), Fail> {
    if f.is_plain()
        && let Some(out) = ctx.stdout.raw_fd()
        && send_file(ctx, out, &file)? == Sent::All
    {
        return Ok(());
    }
    let mut spare = ChunkBuf::take();
    let buf = spare.window();
    loop {
        let n = file.read(buf).map_err(Fail::Read)?;
        if n == 0 {
            return Ok(());
        }
        emit(ctx, &buf[..n], f, state)?;
    }
}

/// What [`send_file`] did.
#[derive(PartialEq)]
enum Sent {
    /// The whole file went out.
    All,
    /// Nothing was sent: the kernel cannot splice this pair (an `O_APPEND` or terminal
    /// output, an input without `splice_read`); the read/write loop does it.
    Unsupported,
}

/// Copies the rest of `file` to the fd `out` with `sendfile`, in the kernel without a
/// trip through a user buffer (as busybox's cat does), after what `ctx.stdout` holds.
fn send_file(ctx: &mut Ctx<'_>, out: RawFd, file: &File) -> Result<Sent, Fail> {
    use std::os::fd::AsRawFd;
    ctx.stdout.flush().map_err(Fail::Write)?;
    let mut sent_any = false;
    loop {
        // SAFETY: both are open fds for the call; a null offset means "from the file's
        // position, advancing it", no memory of ours is touched.
        let n = unsafe { libc::sendfile(out, file.as_raw_fd(), std::ptr::null_mut(), 1 << 30) };
        if n > 0 {
            sent_any = true;
            continue;
        }
        if n == 0 {
            return Ok(Sent::All);
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => {}
            Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP | libc::EAGAIN) if !sent_any => {
                return Ok(Sent::Unsupported);
            }
            // EIO is the input failing; anything else is the output's.
            Some(libc::EIO) => return Err(Fail::Read(err)),
            _ => return Err(Fail::Write(err)),
        }
    }
}

/// Writes one chunk of input, formatted as `f` asks.
fn emit(ctx: &mut Ctx<'_>, chunk: &[u8], f: Format, st: &mut LineState) -> Result<(), Fail> {
    if f.is_plain() {
        return ctx.stdout.write_all(chunk).map_err(Fail::Write);
    }
    let mut out = Vec::with_capacity(chunk.len() + chunk.len() / 4 + 16);
    for &b in chunk {
        if st.at_start {
            if b == b'\n' {
                st.blank_lines += 1;
                if f.squeeze && st.blank_lines > 1 {
                    continue;
                }
            } else {
                st.blank_lines = 0;
            }
            if f.number_nonblank {
                if b != b'\n' {
                    st.line += 1;
                    out.extend_from_slice(format!("{:6}\t", st.line).as_bytes());
                }
            } else if f.number {
                st.line += 1;
                out.extend_from_slice(format!("{:6}\t", st.line).as_bytes());
            }
            st.at_start = false;
        }
        if b == b'\n' {
            if f.ends {
                out.push(b'$');
            }
            out.push(b'\n');
            st.at_start = true;
        } else if b == b'\t' {
            if f.tabs {
                out.extend_from_slice(b"^I");
            } else {
                out.push(b'\t');
            }
        } else if f.nonprinting {
            push_visible(&mut out, b);
        } else {
            out.push(b);
        }
    }
    ctx.stdout.write_all(&out).map_err(Fail::Write)
}

/// Appends `b` as `cat -v` shows it: `^X` for controls, `M-` for bytes above 127.
fn push_visible(out: &mut Vec<u8>, b: u8) {
    let low = if b >= 0x80 {
        out.extend_from_slice(b"M-");
        b - 0x80
    } else {
        b
    };
    match low {
        0x7f => out.extend_from_slice(b"^?"),
        c if c < 0x20 => out.extend_from_slice(&[b'^', c + 0x40]),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn copies_stdin_without_operands_or_with_dash() {
        assert_eq!(run("cat", &[], b"a\nb").out(), "a\nb");
        assert_eq!(run("cat", &["-"], b"x\n").out(), "x\n");
        assert_eq!(run("cat", &["-u", "-"], b"x\n").out(), "x\n");
    }

    #[test]
    fn numbers_lines_across_chunks() {
        assert_eq!(
            run("cat", &["-n"], b"a\n\nb\n").out(),
            "     1\ta\n     2\t\n     3\tb\n"
        );
        assert_eq!(
            run("cat", &["-b"], b"a\n\nb\n").out(),
            "     1\ta\n\n     2\tb\n"
        );
        assert_eq!(
            run("cat", &["-bn"], b"a\n\nb").out(),
            "     1\ta\n\n     2\tb"
        );
    }

    #[test]
    fn squeezes_and_shows() {
        assert_eq!(run("cat", &["-s"], b"a\n\n\n\nb\n").out(), "a\n\nb\n");
        assert_eq!(
            run("cat", &["-A"], b"a\tb\x01\xff\x7f\n").out(),
            "a^Ib^AM-^?^?$\n"
        );
        assert_eq!(run("cat", &["-e"], b"a\tb\n").out(), "a\tb$\n");
        assert_eq!(run("cat", &["-t"], b"a\tb\n").out(), "a^Ib\n");
        assert_eq!(run("cat", &["-v"], b"\xe9\n").out(), "M-i\n");
    }

    #[test]
    fn goes_on_past_a_missing_file_with_status_1() {
        let dir = temp_dir("cat-missing");
        let a = dir.join("a");
        std::fs::write(&a, "A\n").unwrap();
        let missing = dir.join("nope");
        let (a, missing) = (a.to_str().unwrap(), missing.to_str().unwrap());
        let r = run("cat", &[missing, a, "-"], b"S\n");
        assert_eq!(r.out(), "A\nS\n");
        assert_eq!(
            r.err(),
            format!("cat: {missing}: No such file or directory\n")
        );
        assert_eq!(r.status, 1);
        let d = dir.to_str().unwrap();
        let r = run("cat", &[d], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, format!("cat: {d}: Is a directory\n"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unknown_option_is_a_usage_error() {
        let r = run("cat", &["-z"], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "cat: invalid option -- 'z'\nUsage: cat [-nbsuvetAET] [FILE]...\n"
        );
        let r = run("cat", &["--bogus"], b"");
        assert_eq!(
            r.err(),
            "cat: unrecognized option '--bogus'\nUsage: cat [-nbsuvetAET] [FILE]...\n"
        );
    }

    #[test]
    fn long_options_and_help() {
        assert_eq!(run("cat", &["--number"], b"a\n").out(), "     1\ta\n");
        let r = run("cat", &["--help"], b"");
        assert_eq!(r.status, 0);
        assert!(
            r.out()
                .starts_with("Usage: cat [-nbsuvetAET] [FILE]...\n\nConcatenate FILEs")
        );
    }
}
