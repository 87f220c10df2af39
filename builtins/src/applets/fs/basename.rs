//! `basename`: strip the directory (and optionally a suffix) from path names.

use crate::common::path;
use crate::prelude::*;

/// The `basename` applet.
pub const APPLET: Applet = Applet::new("basename", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("NAME [SUFFIX] | -a NAME... | -s SUFFIX NAME...")
    .help(
        "Print NAME without its leading directories and, if given, without SUFFIX.\n\n\
         -a\tTake every operand as a NAME\n\
         -s SUF\tRemove the suffix SUF (implies -a)\n\
         -z\tEnd each output line with NUL, not newline",
    );

const LONGS: &[&str] = &["multiple", "suffix", "zero"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut multiple, mut suffix, mut end) = (false, None, b'\n');
    let mut names = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("multiple") => multiple = true,
            Arg::Short('s') | Arg::Long("suffix") => {
                suffix = Some(opts.value()?);
                multiple = true;
            }
            Arg::Short('z') | Arg::Long("zero") => end = b'\0',
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if names.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    if !multiple {
        match names.len() {
            1 => {}
            2 => suffix = names.pop(),
            _ => return Err(opts.unexpected(&Arg::Value(names.swap_remove(2)))),
        }
    }
    let mut out = Vec::new();
    for name in &names {
        let base = path::basename(name);
        let base = match &suffix {
            Some(s) if base.len() > s.len() && base.ends_with(s) => &base[..base.len() - s.len()],
            _ => base,
        };
        out.extend_from_slice(base);
        out.push(end);
    }
    ctx.stdout.write_all(&out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn strips_directories_and_suffix() {
        assert_eq!(
            run("basename", &["/usr/lib/libc.so"], b"").out(),
            "libc.so\n"
        );
        assert_eq!(
            run("basename", &["/usr/lib/libc.so", ".so"], b"").out(),
            "libc\n"
        );
        assert_eq!(run("basename", &["dir/.so", ".so"], b"").out(), ".so\n");
        assert_eq!(run("basename", &["/"], b"").out(), "/\n");
    }

    #[test]
    fn multiple_names() {
        assert_eq!(run("basename", &["-a", "a/x", "b/y/"], b"").out(), "x\ny\n");
        assert_eq!(
            run("basename", &["-s", ".c", "a/x.c", "y.c"], b"").out(),
            "x\ny\n"
        );
        assert_eq!(run("basename", &["-z", "a/b"], b"").stdout, b"b\0");
    }

    #[test]
    fn operand_errors() {
        let r = run("basename", &[], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "basename: missing operand\nUsage: basename NAME [SUFFIX] | -a NAME... | -s SUFFIX NAME...\n"
        );
        let r = run("basename", &["a", "b", "c"], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with("basename: extra operand 'c'\n"));
        assert_eq!(run("basename", &["--", "-x"], b"").out(), "-x\n");
    }
}
