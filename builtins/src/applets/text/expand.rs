//! `expand`: convert tabs to spaces.

use super::tabs::{Stops, parse_stops};
use super::util::{Fail, OpenFail, default_stdin, each_operand, put};
use crate::common::lines::Records;
use crate::prelude::*;

/// The `expand` applet.
pub const APPLET: Applet = Applet::new("expand", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-i] [-t N | -t LIST] [FILE]...")
    .help(
        "Convert tabs in FILEs (standard input for - or none) to spaces.\n\n\
         -t N\tTab stops every N columns (default 8)\n\
         -t LIST\tTab stops at these columns (comma separated)\n\
         -i\tOnly convert tabs before the first non-blank",
    );

const LONGS: &[&str] = &["initial", "tabs"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let rewritten = super::tabs::obsolete(ctx.args);
    let mut opts = match &rewritten {
        Some(a) => crate::opts::Opts::new(a, LONGS),
        None => ctx.opts(LONGS),
    };
    let mut initial = false;
    let mut stops = Stops::every(8);
    let mut files = Vec::new();
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('i') | Arg::Long("initial") => initial = true,
            Arg::Short('t') | Arg::Long("tabs") => stops = parse_stops(&opts.value()?)?,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    let mut buf = Vec::new();
    each_operand(ctx, &files, OpenFail::Plain, |src, out| {
        expand_one(src, out, &stops, initial, &mut buf)
    })
}

fn expand_one(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    stops: &Stops,
    initial: bool,
    buf: &mut Vec<u8>,
) -> Result<(), Fail> {
    let mut recs = Records::new(src, b'\n');
    while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
        if memchr::memchr(b'\t', rec).is_none() {
            put(out, rec)?;
            continue;
        }
        buf.clear();
        let mut col = 0usize;
        let mut leading = true;
        for &c in rec {
            match c {
                b'\t' if !initial || leading => {
                    let next = stops.next(col);
                    buf.resize(buf.len() + (next - col), b' ');
                    col = next;
                }
                8 => {
                    col = col.saturating_sub(1);
                    leading = false;
                    buf.push(c);
                }
                _ => {
                    if c != b' ' && c != b'\t' {
                        leading = false;
                    }
                    col += 1;
                    buf.push(c);
                }
            }
        }
        put(out, buf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn expands() {
        assert_eq!(run("expand", &[], b"a\tb\n").out(), "a       b\n");
        assert_eq!(
            run("expand", &["-t", "4"], b"\tx\tyy\n").out(),
            "    x   yy\n"
        );
        assert_eq!(
            run("expand", &["-t", "4,6"], b"a\tb\tc\td\n").out(),
            "a   b c d\n"
        );
        assert_eq!(run("expand", &["-i"], b"\ta\tb\n").out(), "        a\tb\n");
        assert_eq!(run("expand", &["-2"], b"\tx").out(), "  x");
        assert_eq!(run("expand", &["-t", "0"], b"").status, 1);
        assert_eq!(run("expand", &["-t", "4,2"], b"").status, 1);
    }
}
