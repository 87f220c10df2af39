//! `unexpand`: convert runs of spaces to tabs.

use super::tabs::{Stops, parse_stops};
use super::util::{Fail, OpenFail, default_stdin, each_operand, put};
use crate::common::lines::Records;
use crate::prelude::*;

/// The `unexpand` applet.
pub const APPLET: Applet = Applet::new("unexpand", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-a] [-t N | -t LIST] [FILE]...")
    .help(
        "Convert leading blanks of lines in FILEs (standard input for - or none) to tabs.\n\n\
         -a\tConvert every run of blanks, not only leading ones\n\
         --first-only\tOnly leading blanks (the default)\n\
         -t N\tTab stops every N columns (default 8); implies -a\n\
         -t LIST\tTab stops at these columns; implies -a",
    );

const LONGS: &[&str] = &["all", "first-only", "tabs"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let rewritten = super::tabs::obsolete(ctx.args);
    let mut opts = match &rewritten {
        Some(a) => crate::opts::Opts::new(a, LONGS),
        None => ctx.opts(LONGS),
    };
    let (mut all, mut first_only) = (false, false);
    let mut stops = Stops::every(8);
    let mut files = Vec::new();
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => all = true,
            Arg::Long("first-only") => first_only = true,
            Arg::Short('t') | Arg::Long("tabs") => {
                stops = parse_stops(&opts.value()?)?;
                all = true;
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if first_only {
        all = false;
    }
    default_stdin(&mut files);
    let mut buf = Vec::new();
    each_operand(ctx, &files, OpenFail::Plain, |src, out| {
        unexpand_one(src, out, &stops, all, &mut buf)
    })
}

fn unexpand_one(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    stops: &Stops,
    all: bool,
    buf: &mut Vec<u8>,
) -> Result<(), Fail> {
    let mut recs = Records::new(src, b'\n');
    while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
        buf.clear();
        let mut col = 0usize;
        // Blanks not written yet; whether a lone space just reached a stop (it turns into
        // a tab only if another blank follows); whether the last byte was a blank.
        let mut pend: Vec<u8> = Vec::new();
        let (mut one_blank, mut prev_blank, mut convert) = (false, false, true);
        for &c in rec {
            let blank = c == b' ' || c == b'\t';
            let mut out_c = c;
            if blank && convert {
                match stops.after(col) {
                    None => convert = false,
                    Some(next) => {
                        if c == b'\t' {
                            col = next;
                            if let Some(first) = pend.first_mut() {
                                *first = b'\t';
                            }
                        } else {
                            col += 1;
                            if !(prev_blank && col == next) {
                                if col == next {
                                    one_blank = true;
                                }
                                pend.push(c);
                                prev_blank = true;
                                continue;
                            }
                            out_c = b'\t';
                            if let Some(first) = pend.first_mut() {
                                *first = b'\t';
                            }
                        }
                        pend.truncate(usize::from(one_blank));
                    }
                }
            } else if !blank {
                if c == 8 {
                    col = col.saturating_sub(1);
                } else {
                    col += 1;
                }
            } else {
                col = if c == b'\t' { stops.next(col) } else { col + 1 };
            }
            if !pend.is_empty() {
                if pend.len() > 1 && one_blank {
                    pend[0] = b'\t';
                }
                buf.extend_from_slice(&pend);
                pend.clear();
                one_blank = false;
            }
            prev_blank = blank;
            convert &= all || blank;
            buf.push(out_c);
        }
        if !pend.is_empty() {
            if pend.len() > 1 && one_blank {
                pend[0] = b'\t';
            }
            buf.extend_from_slice(&pend);
        }
        put(out, buf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn unexpands() {
        assert_eq!(run("unexpand", &[], b"        x\n").out(), "\tx\n");
        assert_eq!(run("unexpand", &[], b"  \ty  z\n").out(), "\ty  z\n");
        assert_eq!(run("unexpand", &[], b" a\n").out(), " a\n");
        assert_eq!(
            run("unexpand", &["-a"], b"        x  y        z\n").out(),
            "\tx  y\t    z\n"
        );
        assert_eq!(
            run("unexpand", &[], b"        x        y\n").out(),
            "\tx        y\n"
        );
        assert_eq!(run("unexpand", &["-t", "4"], b"   \tx\n").out(), "\tx\n");
        assert_eq!(
            run("unexpand", &["-t", "4"], b"    a       b\n").out(),
            "\ta\t\tb\n"
        );
    }
}
