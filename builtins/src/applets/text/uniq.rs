//! `uniq`: report or omit repeated adjacent lines.

use std::fs::File;
use std::os::unix::ffi::OsStrExt;

use crate::common::lines::{BUF_SIZE, Records, Source, chomp};
use crate::prelude::*;

/// The `uniq` applet.
pub const APPLET: Applet = Applet::new("uniq", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-cdDuiz] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]")
    .help(
        "Drop repeated adjacent lines of INPUT (standard input), writing to OUTPUT.\n\n\
         -c\tPrefix lines with their number of occurrences\n\
         -d\tOnly print one copy of repeated lines\n\
         -D\tPrint every copy of repeated lines\n\
         -u\tOnly print lines that are not repeated\n\
         -i\tIgnore case\n\
         -f N\tSkip N fields (blank runs, then non-blanks) before comparing\n\
         -s N\tSkip N characters before comparing\n\
         -w N\tCompare at most N characters\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "count",
    "repeated",
    "all-repeated",
    "unique",
    "ignore-case",
    "skip-fields",
    "skip-chars",
    "check-chars",
    "zero-terminated",
];

struct Cfg {
    fields: usize,
    chars: usize,
    width: Option<usize>,
    fold: bool,
}

impl Cfg {
    fn part<'l>(&self, line: &'l [u8]) -> &'l [u8] {
        let mut p = 0;
        let blank = |b: u8| b == b' ' || b == b'\t';
        for _ in 0..self.fields {
            while p < line.len() && blank(line[p]) {
                p += 1;
            }
            while p < line.len() && !blank(line[p]) {
                p += 1;
            }
        }
        p = p.saturating_add(self.chars).min(line.len());
        let rest = &line[p..];
        match self.width {
            Some(w) => &rest[..w.min(rest.len())],
            None => rest,
        }
    }

    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        let (a, b) = (self.part(a), self.part(b));
        if self.fold {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
}

fn number(v: &[u8], what: &str) -> Result<usize, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        .ok_or_else(|| {
            Error::msg(format!(
                "{}: invalid number of {what} to skip",
                String::from_utf8_lossy(v)
            ))
        })
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut cfg = Cfg {
        fields: 0,
        chars: 0,
        width: None,
        fold: false,
    };
    let (mut count, mut repeated, mut all, mut unique) = (false, false, false, false);
    let mut delim = b'\n';
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') | Arg::Long("count") => count = true,
            Arg::Short('d') | Arg::Long("repeated") => repeated = true,
            Arg::Short('D') | Arg::Long("all-repeated") => all = true,
            Arg::Short('u') | Arg::Long("unique") => unique = true,
            Arg::Short('i') | Arg::Long("ignore-case") => cfg.fold = true,
            Arg::Short('f') | Arg::Long("skip-fields") => {
                cfg.fields = number(&opts.value()?, "fields")?
            }
            Arg::Short('s') | Arg::Long("skip-chars") => {
                cfg.chars = number(&opts.value()?, "bytes")?
            }
            Arg::Short('w') | Arg::Long("check-chars") => {
                let v = opts.value()?;
                cfg.width = Some(number(&v, "bytes").map_err(|_| {
                    Error::msg(format!(
                        "{}: invalid number of bytes to compare",
                        String::from_utf8_lossy(&v)
                    ))
                })?);
            }
            Arg::Short('z') | Arg::Long("zero-terminated") => delim = 0,
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if operands.len() > 2 {
        return Err(opts.unexpected(&Arg::Value(operands.swap_remove(2))));
    }
    if all && count {
        return Err(Error::usage(
            "printing all duplicated lines and repeat counts is meaningless",
        ));
    }
    let input = operands.first().cloned().unwrap_or_else(|| b"-".to_vec());
    let mut out_file;
    let out: &mut dyn Write = match operands.get(1) {
        Some(o) if o != b"-" => {
            let f = File::create(std::ffi::OsStr::from_bytes(o)).map_err(|e| Error::io(o, &e))?;
            out_file = std::io::BufWriter::with_capacity(BUF_SIZE, f);
            &mut out_file
        }
        _ => &mut ctx.stdout,
    };
    let mut src = Source::open(&mut ctx.stdin, &input).map_err(|e| Error::io(&input, &e))?;
    let mut recs = Records::new(src.reader(), delim);
    let mut prev: Vec<u8> = Vec::new();
    let mut have_prev = false;
    let mut n: u64 = 0;
    let mut buf = Vec::new();
    // Whether the current group's first line was already printed (for -D).
    let mut group_printed = false;
    let flush =
        |out: &mut dyn Write, line: &[u8], n: u64, buf: &mut Vec<u8>| -> std::io::Result<()> {
            if all || (repeated && n < 2) || (unique && n > 1) {
                return Ok(());
            }
            buf.clear();
            if count {
                buf.extend_from_slice(format!("{n:7} ").as_bytes());
            }
            buf.extend_from_slice(line);
            buf.push(delim);
            out.write_all(buf)
        };
    loop {
        let rec = recs.next_record().map_err(|e| Error::io(&input, &e))?;
        let Some(rec) = rec else { break };
        let line = chomp(rec, delim);
        if have_prev && cfg.same(&prev, line) {
            n += 1;
            if all {
                if !group_printed {
                    out.write_all(&prev)?;
                    out.write_all(&[delim])?;
                    group_printed = true;
                }
                out.write_all(line)?;
                out.write_all(&[delim])?;
            }
            continue;
        }
        if have_prev {
            flush(out, &prev, n, &mut buf)?;
        }
        prev.clear();
        prev.extend_from_slice(line);
        have_prev = true;
        n = 1;
        group_printed = false;
    }
    if have_prev {
        flush(out, &prev, n, &mut buf)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    fn uniq(args: &[&str], input: &str) -> String {
        run("uniq", args, input.as_bytes()).out()
    }

    #[test]
    fn drops_adjacent_repeats() {
        assert_eq!(uniq(&[], "a\na\nb\na\n"), "a\nb\na\n");
        assert_eq!(uniq(&[], "a\na"), "a\n");
        assert_eq!(uniq(&[], ""), "");
        assert_eq!(uniq(&["-c"], "a\na\nb\n"), "      2 a\n      1 b\n");
        assert_eq!(uniq(&["-d"], "a\na\nb\nc\nc\n"), "a\nc\n");
        assert_eq!(uniq(&["-u"], "a\na\nb\nc\nc\n"), "b\n");
        assert_eq!(uniq(&["-D"], "a\na\nb\nc\nc\nc\n"), "a\na\nc\nc\nc\n");
    }

    #[test]
    fn comparison_options() {
        assert_eq!(uniq(&["-i"], "A\na\nb\n"), "A\nb\n");
        assert_eq!(uniq(&["-f", "1"], "x a\ny a\nz b\n"), "x a\nz b\n");
        assert_eq!(uniq(&["-s", "1"], "xa\nya\nzb\n"), "xa\nzb\n");
        assert_eq!(uniq(&["-w", "1"], "ab\nac\nbc\n"), "ab\nbc\n");
        assert_eq!(run("uniq", &["-z"], b"a\0a\0b").stdout, b"a\0b\0");
    }

    #[test]
    fn operands_and_errors() {
        let dir = temp_dir("uniq");
        let (i, o) = (dir.join("in"), dir.join("out"));
        std::fs::write(&i, "x\nx\n").unwrap();
        let r = run("uniq", &[i.to_str().unwrap(), o.to_str().unwrap()], b"");
        assert_eq!(r.status, 0);
        assert_eq!(std::fs::read_to_string(&o).unwrap(), "x\n");
        let r = run("uniq", &["/nonexistent/x"], b"");
        assert_eq!(r.err(), "uniq: /nonexistent/x: No such file or directory\n");
        assert_eq!(r.status, 1);
        let r = run("uniq", &["-f", "x"], b"");
        assert_eq!(r.err(), "uniq: x: invalid number of fields to skip\n");
        assert_eq!(run("uniq", &["a", "b", "c"], b"").status, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
