//! `fold`: wrap long lines to a width.

use super::util::{Fail, OpenFail, default_stdin, each_operand, put};
use crate::common::lines::Records;
use crate::prelude::*;

/// The `fold` applet.
pub const APPLET: Applet = Applet::new("fold", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-bs] [-w WIDTH] [FILE]...")
    .help(
        "Wrap the lines of FILEs (standard input for - or none) to WIDTH columns.\n\n\
         -w N\tWrap at N columns (default 80)\n\
         -b\tCount bytes, not columns (tabs and backspaces count as one)\n\
         -s\tBreak after the last blank before the width, when there is one",
    );

const LONGS: &[&str] = &["bytes", "spaces", "width"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let rewritten = obsolete(ctx.args);
    let mut opts = match &rewritten {
        Some(a) => crate::opts::Opts::new(a, LONGS),
        None => ctx.opts(LONGS),
    };
    let (mut bytes, mut spaces, mut width) = (false, false, 80usize);
    let mut files = Vec::new();
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') | Arg::Long("bytes") => bytes = true,
            Arg::Short('s') | Arg::Long("spaces") => spaces = true,
            Arg::Short('w') | Arg::Long("width") => {
                let v = opts.value()?;
                width = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "invalid number of columns: '{}'",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
                if width == 0 {
                    return Err(Error::msg(
                        "invalid number of columns: '0': Numerical result out of range",
                    ));
                }
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    let mut buf = Vec::new();
    each_operand(ctx, &files, OpenFail::Plain, |src, out| {
        fold_one(src, out, width, bytes, spaces, &mut buf)
    })
}

/// `fold -80` means `-w 80`.
fn obsolete(args: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let pos = args
        .iter()
        .position(|a| a.len() > 1 && a[0] == b'-' && a[1..].iter().all(u8::is_ascii_digit))?;
    let mut out = args.to_vec();
    let w = out[pos][1..].to_vec();
    out.splice(pos..=pos, [b"-w".to_vec(), w]);
    Some(out)
}

fn advance(col: usize, c: u8, bytes: bool) -> usize {
    if bytes {
        return col + 1;
    }
    match c {
        b'\t' => (col / 8 + 1) * 8,
        8 => col.saturating_sub(1),
        b'\r' => 0,
        _ => col + 1,
    }
}

fn fold_one(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    width: usize,
    bytes: bool,
    spaces: bool,
    line: &mut Vec<u8>,
) -> Result<(), Fail> {
    let mut recs = Records::new(src, b'\n');
    while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
        line.clear();
        let mut col = 0usize;
        for &c in rec {
            if c == b'\n' {
                line.push(c);
                break;
            }
            // A byte that does not fit breaks the line (at the last blank with -s), and
            // is then tried again on the new line.
            loop {
                let next = advance(col, c, bytes);
                if next <= width || line.is_empty() {
                    line.push(c);
                    col = next;
                    break;
                }
                let cut = if spaces {
                    line.iter()
                        .rposition(|&b| b == b' ' || b == b'\t')
                        .map(|i| i + 1)
                } else {
                    None
                };
                let rest = match cut {
                    Some(k) => line.split_off(k),
                    None => Vec::new(),
                };
                line.push(b'\n');
                put(out, line)?;
                *line = rest;
                col = line.iter().fold(0, |c, &b| advance(c, b, bytes));
            }
        }
        put(out, line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn wraps() {
        assert_eq!(
            run("fold", &["-w", "5"], b"abcdefghij klm nop\n").out(),
            "abcde\nfghij\n klm \nnop\n"
        );
        assert_eq!(
            run("fold", &["-w", "5", "-s"], b"abcdefghij klm nop\n").out(),
            "abcde\nfghij\n klm \nnop\n"
        );
        assert_eq!(
            run("fold", &["-s", "-w", "6"], b"ab cd ef gh\n").out(),
            "ab cd \nef gh\n"
        );
        assert_eq!(run("fold", &["-w", "4"], b"ab\tc\n").out(), "ab\n\t\nc\n");
        assert_eq!(
            run("fold", &["-b", "-w", "4"], b"ab\tcd\n").out(),
            "ab\tc\nd\n"
        );
        assert_eq!(run("fold", &["-3"], b"abcdefg").out(), "abc\ndef\ng");
        assert_eq!(run("fold", &[], b"").out(), "");
        let long = vec![b'x'; 200];
        assert_eq!(run("fold", &[], &long).stdout.len(), 202);
        let r = run("fold", &["-w", "0"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "fold: invalid number of columns: '0': Numerical result out of range\n".into()
            )
        );
    }
}
