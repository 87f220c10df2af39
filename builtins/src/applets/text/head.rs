//! `head`: the first lines or bytes of files.

use std::collections::VecDeque;

use super::util::{Fail, default_stdin, put, shown, warn_quoted};
use crate::common::lines::{Records, Source};
use crate::common::num::parse_size;
use crate::opts::Opts;
use crate::prelude::*;

/// The `head` applet.
pub const APPLET: Applet = Applet::new("head", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-n [-]N | -c [-]N] [-qvz] [FILE]...")
    .help(
        "Print the first 10 lines of each FILE (standard input for - or none).\n\n\
         -n [-]N\tPrint the first N lines (with -, all but the last N)\n\
         -c [-]N\tPrint the first N bytes (with -, all but the last N); N may have a\n\
         \tsuffix: b 512, K 1024, KB 1000, M, G...\n\
         -q\tNever print headers\n\
         -v\tAlways print headers\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "lines",
    "bytes",
    "quiet",
    "silent",
    "verbose",
    "zero-terminated",
];

#[derive(Clone, Copy)]
enum Mode {
    Lines(u64),
    AllButLines(u64),
    Bytes(u64),
    AllButBytes(u64),
}

fn parse_count(v: &[u8], what: &str, bytes: bool) -> Result<Mode, Error> {
    let (neg, digits) = match v.first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    let n = parse_size(digits).ok_or_else(|| {
        Error::msg(format!(
            "invalid number of {what}: '{}'",
            String::from_utf8_lossy(v)
        ))
    })?;
    Ok(match (bytes, neg) {
        (false, false) => Mode::Lines(n),
        (false, true) => Mode::AllButLines(n),
        (true, false) => Mode::Bytes(n),
        (true, true) => Mode::AllButBytes(n),
    })
}

/// Rewrites the obsolete first argument `-N[bcklmqvz]` into `-n N` / `-c N...`.
fn obsolete(args: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let first = args.first()?;
    let body = first.strip_prefix(b"-")?;
    let digits = body.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let (num, flags) = body.split_at(digits);
    let mut unit = b'l';
    let mut mult = Vec::new();
    let mut rest = vec![b'-'];
    for &f in flags {
        match f {
            b'c' | b'l' => unit = f,
            b'b' | b'k' | b'm' => mult.push(f.to_ascii_uppercase()),
            b'q' | b'v' | b'z' => rest.push(f),
            _ => return None,
        }
    }
    let mut n = num.to_vec();
    if unit == b'c' {
        if mult == b"B" {
            n.push(b'b');
        } else {
            n.extend_from_slice(&mult);
        }
    }
    let mut out = vec![
        if unit == b'c' {
            b"-c".to_vec()
        } else {
            b"-n".to_vec()
        },
        n,
    ];
    if rest.len() > 1 {
        out.push(rest);
    }
    out.extend_from_slice(&args[1..]);
    Some(out)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let rewritten = obsolete(ctx.args);
    let mut opts = match &rewritten {
        Some(a) => Opts::new(a, LONGS),
        None => ctx.opts(LONGS),
    };
    let mut mode = Mode::Lines(10);
    let mut headers: Option<bool> = None;
    let mut delim = b'\n';
    let mut files = Vec::new();
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('n') | Arg::Long("lines") => {
                mode = parse_count(&opts.value()?, "lines", false)?
            }
            Arg::Short('c') | Arg::Long("bytes") => {
                mode = parse_count(&opts.value()?, "bytes", true)?
            }
            Arg::Short('q') | Arg::Long("quiet") | Arg::Long("silent") => headers = Some(false),
            Arg::Short('v') | Arg::Long("verbose") => headers = Some(true),
            Arg::Short('z') | Arg::Long("zero-terminated") => delim = 0,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    let headers = headers.unwrap_or(files.len() > 1);
    let mut first = true;
    for name in &files {
        let mut src = match Source::open(&mut ctx.stdin, name) {
            Ok(s) => s,
            Err(e) => {
                warn_quoted(ctx, "cannot open ", name, " for reading", &e);
                continue;
            }
        };
        if headers {
            let mut h = Vec::new();
            if !first {
                h.push(b'\n');
            }
            h.extend_from_slice(b"==> ");
            h.extend_from_slice(shown(name));
            h.extend_from_slice(b" <==\n");
            ctx.stdout.write_all(&h)?;
        }
        first = false;
        let r = head_one(src.reader(), &mut ctx.stdout, mode, delim);
        drop(src);
        match r {
            Ok(()) => {}
            Err(Fail::Read(e)) => warn_quoted(ctx, "error reading ", name, "", &e),
            Err(f) => return Err(f.into()),
        }
    }
    Ok(())
}

fn head_one(src: &mut dyn BufRead, out: &mut dyn Write, mode: Mode, delim: u8) -> Result<(), Fail> {
    match mode {
        Mode::Lines(n) => {
            // Whole buffers at a time: write up to the Nth terminator, consume only that.
            let mut left = n;
            while left > 0 {
                let avail = src.fill_buf().map_err(Fail::Read)?;
                if avail.is_empty() {
                    break;
                }
                let mut take = avail.len();
                for (seen, pos) in memchr::memchr_iter(delim, avail).enumerate() {
                    if seen as u64 + 1 == left {
                        take = pos + 1;
                        break;
                    }
                }
                let chunk = avail.get(..take).unwrap_or_default();
                let found = if take == avail.len() {
                    memchr::memchr_iter(delim, chunk).count() as u64
                } else {
                    left
                };
                put(out, chunk)?;
                src.consume(take);
                left -= found.min(left);
            }
            Ok(())
        }
        Mode::Bytes(n) => {
            let mut left = n;
            while left > 0 {
                let avail = src.fill_buf().map_err(Fail::Read)?;
                if avail.is_empty() {
                    break;
                }
                let take = avail.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                put(out, &avail[..take])?;
                src.consume(take);
                left -= take as u64;
            }
            Ok(())
        }
        Mode::AllButBytes(n) => {
            let keep = usize::try_from(n).unwrap_or(usize::MAX);
            let mut held: Vec<u8> = Vec::new();
            loop {
                let avail = src.fill_buf().map_err(Fail::Read)?;
                if avail.is_empty() {
                    return Ok(());
                }
                let len = avail.len();
                held.extend_from_slice(avail);
                src.consume(len);
                if held.len() > keep {
                    let excess = held.len() - keep;
                    put(out, &held[..excess])?;
                    held.drain(..excess);
                }
            }
        }
        Mode::AllButLines(n) => {
            let keep = usize::try_from(n).unwrap_or(usize::MAX);
            let mut recs = Records::new(src, delim);
            // Held lines: their bytes in `held` from `start`, their lengths in `lens`.
            let (mut held, mut start, mut lens) = (Vec::new(), 0usize, VecDeque::new());
            while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
                if keep == 0 {
                    put(out, rec)?;
                    continue;
                }
                held.extend_from_slice(rec);
                lens.push_back(rec.len());
                if lens.len() > keep {
                    let len = lens.pop_front().unwrap_or(0);
                    put(out, held.get(start..start + len).unwrap_or_default())?;
                    start += len;
                    if start > 64 * 1024 && start > held.len() / 2 {
                        held.drain(..start);
                        start = 0;
                    }
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    fn lines(n: usize) -> String {
        (1..=n).map(|i| format!("{i}\n")).collect()
    }

    #[test]
    fn first_ten_lines_by_default() {
        assert_eq!(run("head", &[], lines(12).as_bytes()).out(), lines(10));
        assert_eq!(run("head", &["-n", "2"], b"a\nb\nc\n").out(), "a\nb\n");
        assert_eq!(run("head", &["-n2"], b"a\nb").out(), "a\nb");
        assert_eq!(run("head", &["--lines=1"], b"a\nb").out(), "a\n");
        assert_eq!(run("head", &["-n", "0"], b"a\nb").out(), "");
    }

    #[test]
    fn obsolete_forms() {
        assert_eq!(run("head", &["-3"], lines(5).as_bytes()).out(), lines(3));
        assert_eq!(run("head", &["-12"], lines(15).as_bytes()).out(), lines(12));
        assert_eq!(run("head", &["-2c"], b"abcdef").out(), "ab");
    }

    #[test]
    fn all_but_the_last() {
        assert_eq!(
            run("head", &["-n", "-2"], lines(5).as_bytes()).out(),
            lines(3)
        );
        assert_eq!(run("head", &["-n", "-9"], lines(5).as_bytes()).out(), "");
        assert_eq!(run("head", &["-n", "-0"], b"a\nb").out(), "a\nb");
        assert_eq!(run("head", &["-c", "-2"], b"abcdef").out(), "abcd");
        assert_eq!(run("head", &["-c", "-10"], b"abc").out(), "");
    }

    #[test]
    fn bytes_and_suffixes() {
        assert_eq!(run("head", &["-c", "3"], b"abcdef").out(), "abc");
        let big = vec![b'x'; 5000];
        assert_eq!(run("head", &["-c", "2K"], &big).stdout.len(), 2048);
        assert_eq!(run("head", &["-c", "1kB"], &big).stdout.len(), 1000);
    }

    #[test]
    fn zero_terminated() {
        assert_eq!(run("head", &["-z", "-n1"], b"a\nb\0c\0").stdout, b"a\nb\0");
    }

    #[test]
    fn headers_for_several_files() {
        let dir = temp_dir("head-files");
        let a = dir.join("a");
        std::fs::write(&a, "A1\nA2\n").unwrap();
        let a = a.to_str().unwrap();
        let r = run("head", &["-n1", a, "-"], b"S\n");
        assert_eq!(
            r.out(),
            format!("==> {a} <==\nA1\n\n==> standard input <==\nS\n")
        );
        assert_eq!(run("head", &["-q", "-n1", a, a], b"").out(), "A1\nA1\n");
        assert_eq!(
            run("head", &["-v", "-n1", a], b"").out(),
            format!("==> {a} <==\nA1\n")
        );
        let missing = dir.join("nope");
        let missing = missing.to_str().unwrap();
        let r = run("head", &[missing, a], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            format!("head: cannot open '{missing}' for reading: No such file or directory\n")
        );
        assert_eq!(r.out(), format!("==> {a} <==\nA1\nA2\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_numbers() {
        let r = run("head", &["-n", "x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "head: invalid number of lines: 'x'\n".into())
        );
        let r = run("head", &["-c", "1Q"], b"");
        assert_eq!(r.err(), "head: invalid number of bytes: '1Q'\n");
    }

    #[test]
    fn long_lines_and_nul() {
        let mut data = vec![b'y'; 200_000];
        data.extend_from_slice(b"\n\0z\nrest\n");
        let r = run("head", &["-n", "2"], &data);
        assert_eq!(r.stdout.len(), 200_004);
    }
}
