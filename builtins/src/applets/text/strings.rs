//! `strings`: print the runs of printable characters in files.

use std::io;
use std::os::unix::ffi::OsStrExt;

use super::util::{Fail, default_stdin};
use crate::common::lines::Source;
use crate::prelude::*;

/// The `strings` applet.
pub const APPLET: Applet = Applet::new("strings", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-afow] [-n LEN | -LEN] [-t o|d|x] [-s SEP] [FILE]...")
    .help(
        "Print each run of at least LEN (4) printable characters (tab included) in FILEs\n\
         (standard input for - or none).\n\n\
         -a\t\tScan the whole file (always done)\n\
         -f\t\tPrecede each string with its file name\n\
         -n LEN, -LEN\tThe shortest run to print\n\
         -t o|d|x\tPrecede each string with its offset in base 8, 10 or 16\n\
         -o\t\tThe same as -t o\n\
         -w\t\tCount all white space (newlines too) as printable\n\
         -s SEP\t\tEnd each string with SEP, not a newline",
    );

const LONGS: &[&str] = &[
    "all",
    "bytes",
    "include-all-whitespace",
    "output-separator",
    "print-file-name",
    "radix",
];

/// What to print and how.
struct Cfg {
    min: usize,
    radix: Option<u8>,
    names: bool,
    all_space: bool,
    sep: Vec<u8>,
}

/// `-7` means `-n 7`.
fn obsolete(args: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        if a == b"--" {
            out.extend(args[out.len()..].iter().cloned());
            break;
        }
        if a.len() > 1 && a[0] == b'-' && a[1..].iter().all(u8::is_ascii_digit) {
            out.push(b"-n".to_vec());
            out.push(a[1..].to_vec());
        } else {
            out.push(a.clone());
        }
    }
    out
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = obsolete(ctx.args);
    let mut opts = crate::opts::Opts::new(&args, LONGS);
    let mut cfg = Cfg {
        min: 4,
        radix: None,
        names: false,
        all_space: false,
        sep: b"\n".to_vec(),
    };
    let mut files = Vec::new();
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => {}
            Arg::Short('f') | Arg::Long("print-file-name") => cfg.names = true,
            Arg::Short('w') | Arg::Long("include-all-whitespace") => cfg.all_space = true,
            Arg::Short('o') => cfg.radix = Some(b'o'),
            Arg::Short('s') | Arg::Long("output-separator") => cfg.sep = opts.value()?,
            Arg::Short('t') | Arg::Long("radix") => {
                let v = opts.value()?;
                match v.as_slice() {
                    [r @ (b'o' | b'd' | b'x')] => cfg.radix = Some(*r),
                    _ => return Err(Error::usage("invalid radix")),
                }
            }
            Arg::Short('n') | Arg::Long("bytes") => {
                let v = opts.value()?;
                let n: usize = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "invalid integer argument {}",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
                if n == 0 {
                    return Err(Error::msg("invalid minimum string length 0"));
                }
                cfg.min = n;
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    for name in &files {
        if name != b"-"
            && std::fs::metadata(std::ffi::OsStr::from_bytes(name)).is_ok_and(|m| m.is_dir())
        {
            let mut m = b"Warning: '".to_vec();
            m.extend_from_slice(name);
            m.extend_from_slice(b"' is a directory");
            ctx.warn_msg(&m);
            continue;
        }
        let mut src = match Source::open(&mut ctx.stdin, name) {
            Ok(s) => s,
            Err(e) => {
                let mut m = b"'".to_vec();
                m.extend_from_slice(name);
                m.extend_from_slice(b"': ");
                if e.kind() == io::ErrorKind::NotFound {
                    m.extend_from_slice(b"No such file");
                } else {
                    m.extend_from_slice(crate::error::strerror(&e).as_bytes());
                }
                ctx.warn_msg(&m);
                continue;
            }
        };
        let shown: &[u8] = if name == b"-" {
            b"{standard input}"
        } else {
            name
        };
        let r = scan(src.reader(), &mut ctx.stdout, &cfg, shown);
        drop(src);
        match r {
            Ok(()) => {}
            Err(Fail::Read(e)) => ctx.warn(name, &e),
            Err(Fail::Write(e)) => return Err(Error::io(b"write error", &e)),
        }
    }
    Ok(())
}

/// Whether `c` belongs to a string.
fn printable(c: u8, all_space: bool) -> bool {
    matches!(c, 0x20..=0x7e | b'\t') || (all_space && matches!(c, b'\n' | b'\r' | 0x0b | 0x0c))
}

/// Prints the strings of one input.
fn scan(src: &mut dyn BufRead, out: &mut dyn Write, cfg: &Cfg, name: &[u8]) -> Result<(), Fail> {
    let mut run: Vec<u8> = Vec::new();
    let (mut offset, mut start) = (0u64, 0u64);
    loop {
        let buf = match src.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Fail::Read(e)),
        };
        if buf.is_empty() {
            break;
        }
        for &c in buf {
            if printable(c, cfg.all_space) {
                if run.is_empty() {
                    start = offset;
                }
                run.push(c);
            } else if !run.is_empty() {
                emit(out, cfg, name, start, &run)?;
                run.clear();
            }
            offset += 1;
        }
        let n = buf.len();
        src.consume(n);
    }
    if !run.is_empty() {
        emit(out, cfg, name, start, &run)?;
    }
    Ok(())
}

fn emit(out: &mut dyn Write, cfg: &Cfg, name: &[u8], at: u64, run: &[u8]) -> Result<(), Fail> {
    if run.len() < cfg.min {
        return Ok(());
    }
    let mut line = Vec::with_capacity(run.len() + 16);
    if cfg.names {
        line.extend_from_slice(name);
        line.extend_from_slice(b": ");
    }
    match cfg.radix {
        Some(b'o') => line.extend_from_slice(format!("{at:7o} ").as_bytes()),
        Some(b'x') => line.extend_from_slice(format!("{at:7x} ").as_bytes()),
        Some(_) => line.extend_from_slice(format!("{at:7} ").as_bytes()),
        None => {}
    }
    line.extend_from_slice(run);
    line.extend_from_slice(&cfg.sep);
    out.write_all(&line).map_err(Fail::Write)
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    const DATA: &[u8] = b"abc\0hello\tworld\x01xyzw\nlongerstring\x80\xffmore!";

    #[test]
    fn finds_runs() {
        assert_eq!(
            run("strings", &[], DATA).out(),
            "hello\tworld\nxyzw\nlongerstring\nmore!\n"
        );
        assert_eq!(
            run("strings", &["-5"], DATA).out(),
            "hello\tworld\nlongerstring\nmore!\n"
        );
        assert_eq!(
            run("strings", &["-n", "3", "-t", "x"], DATA).out(),
            "      0 abc\n      4 hello\tworld\n     10 xyzw\n     15 longerstring\n     23 more!\n"
        );
        assert_eq!(
            run("strings", &["-o", "-n", "12"], DATA).out(),
            "     25 longerstring\n"
        );
        assert_eq!(
            run("strings", &["-f", "-n", "12"], DATA).out(),
            "{standard input}: longerstring\n"
        );
        assert_eq!(
            run("strings", &["-w", "-n", "9"], b"ab\ncdefgh\x01").out(),
            "ab\ncdefgh\n"
        );
        assert_eq!(run("strings", &[], b"").out(), "");
    }

    #[test]
    fn errors() {
        let r = run("strings", &["-n", "0"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "strings: invalid minimum string length 0\n".into())
        );
        let r = run("strings", &["/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "strings: '/nonexistent/x': No such file\n".into())
        );
        assert_eq!(run("strings", &["-t", "q"], b"").status, 1);
    }
}
