//! `dirname`: strip the last component from path names.

use crate::common::path;
use crate::prelude::*;

/// The `dirname` applet.
pub const APPLET: Applet = Applet::new("dirname", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-z] NAME...")
    .help(
        "Print each NAME without its last component (. if NAME has no slash).\n\n\
         -z\tEnd each output line with NUL, not newline",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut end = b'\n';
    let mut names = Vec::new();
    let mut opts = ctx.opts(&["zero"]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('z') | Arg::Long("zero") => end = b'\0',
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if names.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let mut out = Vec::new();
    for name in &names {
        out.extend_from_slice(path::dirname(name));
        out.push(end);
    }
    ctx.stdout.write_all(&out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn prints_each_parent() {
        let r = run("dirname", &["/usr/lib/x", "a", "a/b/", "/"], b"");
        assert_eq!((r.status, r.out()), (0, "/usr/lib\n.\na\n/\n".to_string()));
        assert_eq!(run("dirname", &["-z", "a/b"], b"").stdout, b"a\0");
    }

    #[test]
    fn missing_operand_is_a_usage_error() {
        let r = run("dirname", &[], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "dirname: missing operand\nUsage: dirname [-z] NAME...\n".into()
            )
        );
    }
}
