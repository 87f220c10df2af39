//! `rev`: reverse the bytes of each line.

use super::util::{Fail, OpenFail, default_stdin, each_operand, put};
use crate::common::lines::{Records, chomp};
use crate::prelude::*;

/// The `rev` applet.
pub const APPLET: Applet = Applet::new("rev", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[FILE]...")
    .help("Print each line of FILEs (standard input for - or none) with its bytes reversed.");

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut files = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    let mut buf = Vec::new();
    each_operand(ctx, &files, OpenFail::CannotOpen, |src, out| {
        rev_one(src, out, &mut buf)
    })
}

fn rev_one(src: &mut dyn BufRead, out: &mut dyn Write, buf: &mut Vec<u8>) -> Result<(), Fail> {
    let mut recs = Records::new(src, b'\n');
    while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
        let line = chomp(rec, b'\n');
        buf.clear();
        buf.extend(line.iter().rev());
        if line.len() < rec.len() {
            buf.push(b'\n');
        }
        put(out, buf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn reverses_lines() {
        assert_eq!(run("rev", &[], b"abc\n\nxy").out(), "cba\n\nyx");
        assert_eq!(run("rev", &[], b"a\0b\n").stdout, b"b\0a\n");
        let r = run("rev", &["/nonexistent/x"], b"");
        assert_eq!(
            r.err(),
            "rev: cannot open /nonexistent/x: No such file or directory\n"
        );
        assert_eq!(r.status, 1);
    }
}
