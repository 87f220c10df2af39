//! `cut`: print selected bytes, characters or fields of each line.

use super::util::{Fail, default_stdin, put};
use crate::common::lines::{Records, Source, chomp};
use crate::prelude::*;

/// The `cut` applet.
pub const APPLET: Applet = Applet::new("cut", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("-b LIST | -c LIST | -f LIST [-d DELIM] [-s] [-nz] [--complement] [FILE]...")
    .help(
        "Print selected parts of each line of FILEs (standard input for - or none).\n\n\
         -b LIST\tSelect these bytes (LIST: N, N-M, N-, -M, separated by commas)\n\
         -c LIST\tSelect these characters (bytes in the C locale)\n\
         -f LIST\tSelect these fields; lines without a delimiter print whole\n\
         -d DELIM\tFields are separated by DELIM (default tab)\n\
         -s\tWith -f, skip lines without a delimiter\n\
         -n\tIgnored\n\
         --complement\tSelect what LIST does not\n\
         --output-delimiter=S\tSeparate the selected parts with S\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "bytes",
    "characters",
    "fields",
    "delimiter",
    "only-delimited",
    "complement",
    "output-delimiter",
    "zero-terminated",
];

/// Sorted, merged, 1-based inclusive ranges.
type Ranges = Vec<(usize, usize)>;

fn parse_list(list: &[u8], fields: bool) -> Result<Ranges, Error> {
    let numbered = if fields {
        "fields are numbered from 1"
    } else {
        "byte/character positions are numbered from 1"
    };
    let bad = || {
        Error::usage(if fields {
            format!("invalid field value '{}'", String::from_utf8_lossy(list))
        } else {
            "invalid byte or character range".to_string()
        })
    };
    let num = |s: &[u8]| -> Result<usize, Error> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let n = std::str::from_utf8(s)
            .ok()
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(usize::MAX);
        if n == 0 {
            return Err(Error::usage(numbered));
        }
        Ok(n)
    };
    let mut ranges = Vec::new();
    for part in list.split(|&b| b == b',' || b == b' ' || b == b'\t') {
        if part.is_empty() {
            return Err(Error::usage(numbered));
        }
        let r = match part.iter().position(|&b| b == b'-') {
            None => {
                let n = num(part)?;
                (n, n)
            }
            Some(i) => {
                let (lo, hi) = (&part[..i], &part[i + 1..]);
                if lo.is_empty() && hi.is_empty() {
                    return Err(Error::usage("invalid range with no endpoint: -"));
                }
                let lo = if lo.is_empty() { 1 } else { num(lo)? };
                let hi = if hi.is_empty() { usize::MAX } else { num(hi)? };
                if hi < lo {
                    return Err(Error::usage("invalid decreasing range"));
                }
                (lo, hi)
            }
        };
        ranges.push(r);
    }
    ranges.sort_unstable();
    let mut merged: Ranges = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    Ok(merged)
}

fn complement(r: &Ranges) -> Ranges {
    let mut out = Vec::new();
    let mut next = 1usize;
    for &(lo, hi) in r {
        if lo > next {
            out.push((next, lo - 1));
        }
        if hi == usize::MAX {
            return out;
        }
        next = hi + 1;
    }
    out.push((next, usize::MAX));
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bytes,
    Fields,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut list: Option<(Mode, Vec<u8>)> = None;
    let mut delim: Option<u8> = None;
    let (mut only_delimited, mut compl) = (false, false);
    let mut out_delim: Option<Vec<u8>> = None;
    let mut term = b'\n';
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        let mode = match arg {
            Arg::Short('b' | 'c') | Arg::Long("bytes" | "characters") => Some(Mode::Bytes),
            Arg::Short('f') | Arg::Long("fields") => Some(Mode::Fields),
            _ => None,
        };
        if let Some(mode) = mode {
            if list.is_some() {
                return Err(Error::usage("only one list may be specified"));
            }
            list = Some((mode, opts.value()?));
            continue;
        }
        match arg {
            Arg::Short('d') | Arg::Long("delimiter") => {
                let v = opts.value()?;
                delim = Some(match &v[..] {
                    [] => 0,
                    [c] => *c,
                    _ => return Err(Error::usage("the delimiter must be a single character")),
                });
            }
            Arg::Short('s') | Arg::Long("only-delimited") => only_delimited = true,
            Arg::Short('n') => {}
            Arg::Long("complement") => compl = true,
            Arg::Long("output-delimiter") => out_delim = Some(opts.value()?),
            Arg::Short('z') | Arg::Long("zero-terminated") => term = 0,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let Some((mode, spec)) = list else {
        return Err(Error::usage(
            "you must specify a list of bytes, characters, or fields",
        ));
    };
    if mode == Mode::Bytes && delim.is_some() {
        return Err(Error::usage(
            "an input delimiter may be specified only when operating on fields",
        ));
    }
    if mode == Mode::Bytes && only_delimited {
        return Err(Error::usage(
            "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
        ));
    }
    let mut ranges = parse_list(&spec, mode == Mode::Fields)?;
    if compl {
        ranges = complement(&ranges);
    }
    let delim = delim.unwrap_or(b'\t');
    let job = Job {
        mode,
        ranges,
        delim,
        out_delim,
        only_delimited,
        term,
    };
    default_stdin(&mut files);
    let mut buf = Vec::new();
    for name in &files {
        let mut src = match Source::open(&mut ctx.stdin, name) {
            Ok(s) => s,
            Err(e) => {
                ctx.warn(name, &e);
                continue;
            }
        };
        let r = cut_one(src.reader(), &mut ctx.stdout, &job, &mut buf);
        drop(src);
        match r {
            Ok(()) => {}
            Err(Fail::Read(e)) => ctx.warn(name, &e),
            Err(f) => return Err(f.into()),
        }
    }
    Ok(())
}

struct Job {
    mode: Mode,
    ranges: Ranges,
    delim: u8,
    out_delim: Option<Vec<u8>>,
    only_delimited: bool,
    term: u8,
}

fn cut_one(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    job: &Job,
    buf: &mut Vec<u8>,
) -> Result<(), Fail> {
    if matches!(job.mode, Mode::Fields) && job.delim == job.term {
        // GNU: with the line terminator as the delimiter the whole input is one line,
        // and its lines are the fields.
        let mut all = Vec::new();
        src.read_to_end(&mut all).map_err(Fail::Read)?;
        if all.is_empty() {
            return Ok(());
        }
        buf.clear();
        if select_fields(chomp(&all, job.term), job, buf) {
            buf.push(job.term);
            put(out, buf)?;
        }
        return Ok(());
    }
    let mut recs = Records::new(src, job.term);
    while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
        let line = chomp(rec, job.term);
        buf.clear();
        match job.mode {
            Mode::Bytes => {
                let mut first = true;
                for &(lo, hi) in &job.ranges {
                    if lo > line.len() {
                        break;
                    }
                    if !first && let Some(d) = &job.out_delim {
                        buf.extend_from_slice(d);
                    }
                    first = false;
                    buf.extend_from_slice(&line[lo - 1..hi.min(line.len())]);
                }
            }
            Mode::Fields => {
                if !select_fields(line, job, buf) {
                    continue;
                }
            }
        }
        buf.push(job.term);
        put(out, buf)?;
    }
    Ok(())
}

/// The selected fields of `line` into `buf`; false when `-s` drops the line.
fn select_fields(line: &[u8], job: &Job, buf: &mut Vec<u8>) -> bool {
    if memchr::memchr(job.delim, line).is_none() {
        if job.only_delimited {
            return false;
        }
        buf.extend_from_slice(line);
        return true;
    }
    let od: &[u8] = match &job.out_delim {
        Some(d) => d,
        None => std::slice::from_ref(&job.delim),
    };
    let mut ri = 0;
    let mut first = true;
    for (i, field) in line.split(|&b| b == job.delim).enumerate() {
        let n = i + 1;
        while ri < job.ranges.len() && job.ranges[ri].1 < n {
            ri += 1;
        }
        let Some(&(lo, _)) = job.ranges.get(ri) else {
            break;
        };
        if n >= lo {
            if !first {
                buf.extend_from_slice(od);
            }
            first = false;
            buf.extend_from_slice(field);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn cut(args: &[&str], input: &str) -> String {
        run("cut", args, input.as_bytes()).out()
    }

    #[test]
    fn bytes() {
        assert_eq!(cut(&["-b", "2-3,5-"], "abcdefg\n"), "bcefg\n");
        assert_eq!(cut(&["-c", "-2"], "abc\nx\n"), "ab\nx\n");
        assert_eq!(cut(&["-b", "3-,1"], "abc\n"), "ac\n");
        assert_eq!(cut(&["-b", "5"], "abc\n"), "\n");
        assert_eq!(cut(&["-b1"], "abc"), "a\n");
        assert_eq!(cut(&["-b", "2-3,5-", "--complement"], "abcdef\n"), "ad\n");
        assert_eq!(
            cut(&["-b", "1,3-4", "--output-delimiter=,"], "abcdef\n"),
            "a,cd\n"
        );
    }

    #[test]
    fn fields() {
        assert_eq!(cut(&["-d:", "-f2"], "a:b:c\nnodelim\n"), "b\nnodelim\n");
        assert_eq!(cut(&["-d:", "-f2", "-s"], "a:b:c\nnodelim\n"), "b\n");
        assert_eq!(cut(&["-f2"], "a\tb\n"), "b\n");
        assert_eq!(
            cut(&["-d:", "-f1,3", "--output-delimiter=XY"], "a:b:c\n"),
            "aXYc\n"
        );
        assert_eq!(cut(&["-d:", "-f3,1-1"], "a:b:c\n"), "a:c\n");
        assert_eq!(cut(&["-d:", "-f2-"], "a:b:c\n"), "b:c\n");
        assert_eq!(cut(&["-d:", "-f5"], "a:b\n"), "\n");
        assert_eq!(cut(&["-d:", "-f2", "--complement"], "a:b:c\n"), "a:c\n");
        assert_eq!(
            run("cut", &["-z", "-d:", "-f1"], b"a:b\0c:d\0").stdout,
            b"a\0c\0"
        );
    }

    #[test]
    fn newline_delimiter_makes_one_line() {
        assert_eq!(
            cut(
                &["-d", "\n", "-f", "2-3,5"],
                "one\ntwo\nthree\nfour\nfive\nsix\n"
            ),
            "two\nthree\nfive\n"
        );
        assert_eq!(cut(&["-d", "\n", "-f", "2"], "a\nb"), "b\n");
        assert_eq!(cut(&["-d", "\n", "-f", "1"], ""), "");
    }

    #[test]
    fn errors() {
        let r = run("cut", &[], b"");
        assert_eq!(r.status, 1);
        assert!(
            r.err()
                .starts_with("cut: you must specify a list of bytes, characters, or fields\n")
        );
        assert!(
            run("cut", &["-f0"], b"")
                .err()
                .starts_with("cut: fields are numbered from 1\n")
        );
        assert!(
            run("cut", &["-b", "3-1"], b"")
                .err()
                .starts_with("cut: invalid decreasing range\n")
        );
        assert!(
            run("cut", &["-b1", "-f1"], b"")
                .err()
                .starts_with("cut: only one list may be specified\n")
        );
        assert!(
            run("cut", &["-d", "ab", "-f1"], b"")
                .err()
                .starts_with("cut: the delimiter must be a single character\n")
        );
        assert!(
            run("cut", &["-f", "x"], b"")
                .err()
                .starts_with("cut: invalid field value 'x'\n")
        );
        let r = run("cut", &["-b1", "/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "cut: /nonexistent/x: No such file or directory\n".into())
        );
    }
}
