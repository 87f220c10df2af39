//! `comm`: compare two sorted files line by line.

use std::cmp::Ordering;

use crate::common::lines::LineInput;
use crate::prelude::*;

/// The `comm` applet.
pub const APPLET: Applet = Applet::new("comm", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-123z] [--check-order | --nocheck-order] [--output-delimiter=S] FILE1 FILE2")
    .help(
        "Print lines only in FILE1, lines only in FILE2, and lines in both, in three\n\
         columns (- is standard input). The files must be sorted.\n\n\
         -1, -2, -3\tSuppress that column\n\
         --check-order\tFail at the first unsorted line\n\
         --nocheck-order\tDo not check the order\n\
         --output-delimiter=S\tSeparate columns with S, not tab\n\
         --total\tEnd with a line of counts\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "check-order",
    "nocheck-order",
    "output-delimiter",
    "total",
    "zero-terminated",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Default,
    Strict,
    Off,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut show = [true; 3];
    let mut check = Check::Default;
    let mut delim = b"\t".to_vec();
    let mut total = false;
    let mut term = b'\n';
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('1') => show[0] = false,
            Arg::Short('2') => show[1] = false,
            Arg::Short('3') => show[2] = false,
            Arg::Long("check-order") => check = Check::Strict,
            Arg::Long("nocheck-order") => check = Check::Off,
            Arg::Long("output-delimiter") => delim = opts.value()?,
            Arg::Long("total") => total = true,
            Arg::Short('z') | Arg::Long("zero-terminated") => term = 0,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    match files.len() {
        0 => return Err(Error::usage("missing operand")),
        1 => {
            return Err(Error::usage(format!(
                "missing operand after '{}'",
                String::from_utf8_lossy(&files[0])
            )));
        }
        2 => {}
        _ => return Err(opts.unexpected(&Arg::Value(files.swap_remove(2)))),
    }
    if delim.is_empty() {
        delim = vec![0];
    }
    let mut inputs = Vec::new();
    for name in &files {
        inputs.push(LineInput::open(name).map_err(|e| Error::io(name, &e))?);
    }
    let [mut in1, mut in2]: [LineInput; 2] = match inputs.try_into() {
        Ok(a) => a,
        Err(_) => return Err(Error::msg("internal error")),
    };
    // Column prefixes: column 2 is indented by one delimiter if column 1 shows, etc.
    let prefix = |col: usize| -> Vec<u8> {
        let n = show[..col].iter().filter(|&&s| s).count();
        delim.repeat(n)
    };
    let prefixes = [prefix(0), prefix(1), prefix(2)];
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (mut prev_a, mut prev_b) = (Vec::new(), Vec::new());
    let err1 = |e: std::io::Error| Error::io(&files[0], &e);
    let mut has_a = in1.read_line(&mut ctx.stdin, &mut a, term).map_err(err1)?;
    let mut has_b = in2
        .read_line(&mut ctx.stdin, &mut b, term)
        .map_err(|e| Error::io(&files[1], &e))?;
    let mut warned = [false; 2];
    let mut unsorted = false;
    let mut counts = [0u64; 3];
    let mut out = Vec::new();
    while has_a || has_b {
        let ord = match (has_a, has_b) {
            (true, true) => a.cmp(&b),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let col = match ord {
            Ordering::Less => 0,
            Ordering::Greater => 1,
            Ordering::Equal => 2,
        };
        counts[col] += 1;
        if show[col] {
            out.clear();
            out.extend_from_slice(&prefixes[col]);
            out.extend_from_slice(if col == 1 { &b } else { &a });
            out.push(term);
            ctx.stdout.write_all(&out)?;
        }
        if col != 1 {
            std::mem::swap(&mut prev_a, &mut a);
            has_a = in1
                .read_line(&mut ctx.stdin, &mut a, term)
                .map_err(|e| Error::io(&files[0], &e))?;
            if has_a && check != Check::Off && prev_a > a && !warned[0] {
                warned[0] = true;
                unsorted = true;
                ctx.stdout.flush()?;
                ctx.warn_msg(b"file 1 is not in sorted order");
                if check == Check::Strict {
                    return Err(Error::silent(1));
                }
            }
        }
        if col != 0 {
            std::mem::swap(&mut prev_b, &mut b);
            has_b = in2
                .read_line(&mut ctx.stdin, &mut b, term)
                .map_err(|e| Error::io(&files[1], &e))?;
            if has_b && check != Check::Off && prev_b > b && !warned[1] {
                warned[1] = true;
                unsorted = true;
                ctx.stdout.flush()?;
                ctx.warn_msg(b"file 2 is not in sorted order");
                if check == Check::Strict {
                    return Err(Error::silent(1));
                }
            }
        }
    }
    if total {
        let mut t = Vec::new();
        for (i, c) in counts.iter().enumerate() {
            if i > 0 {
                t.extend_from_slice(&delim);
            }
            t.extend_from_slice(c.to_string().as_bytes());
        }
        t.extend_from_slice(&delim);
        t.extend_from_slice(b"total");
        t.push(term);
        ctx.stdout.write_all(&t)?;
    }
    if unsorted {
        ctx.stdout.flush()?;
        return Err(Error::msg("input is not in sorted order"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn three_columns() {
        let dir = temp_dir("comm");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, "a\nb\nd\n").unwrap();
        std::fs::write(&b, "b\nc\nd\ne").unwrap();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        assert_eq!(
            run("comm", &[a, b], b"").out(),
            "a\n\t\tb\n\tc\n\t\td\n\te\n"
        );
        assert_eq!(run("comm", &["-12", a, b], b"").out(), "b\nd\n");
        assert_eq!(run("comm", &["-3", a, b], b"").out(), "a\n\tc\n\te\n");
        assert_eq!(
            run("comm", &["-1", "--output-delimiter=|", a, b], b"").out(),
            "|b\nc\n|d\ne\n"
        );
        assert_eq!(
            run("comm", &["--total", "-123", a, b], b"").out(),
            "1\t2\t2\ttotal\n"
        );
        assert_eq!(
            run("comm", &["-", b], b"c\n").out(),
            "\tb\n\t\tc\n\td\n\te\n"
        );
        std::fs::write(dir.join("u"), "b\na\n").unwrap();
        let u = dir.join("u");
        let r = run("comm", &[a, u.to_str().unwrap()], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "comm: file 2 is not in sorted order\ncomm: input is not in sorted order\n"
        );
        let r = run("comm", &["--nocheck-order", a, u.to_str().unwrap()], b"");
        assert_eq!(r.status, 0);
        assert_eq!(run("comm", &[a], b"").status, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
