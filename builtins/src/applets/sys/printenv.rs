//! `printenv`: print environment variables.

use crate::prelude::*;

/// The `printenv` applet.
pub const APPLET: Applet = Applet::new("printenv", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-0] [NAME]...")
    .help(
        "Print the value of each NAME, or every NAME=VALUE; status 1 if a NAME is unset.\n\n\
         -0\tEnd each entry with NUL, not newline",
    )
    .error_status(2);

const LONGS: &[&str] = &["null"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut end = b'\n';
    let mut names = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('0') | Arg::Long("null") => end = b'\0',
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let mut out = Vec::new();
    let mut missing = false;
    if names.is_empty() {
        for (k, v) in ctx.env.vars() {
            out.extend_from_slice(k);
            out.push(b'=');
            out.extend_from_slice(v);
            out.push(end);
        }
    }
    for name in &names {
        match ctx.env.get(name).filter(|_| !name.contains(&b'=')) {
            Some(v) => {
                out.extend_from_slice(v);
                out.push(end);
            }
            None => missing = true,
        }
    }
    ctx.stdout.write_all(&out)?;
    if missing {
        return Err(Error::silent(1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn empty_test_environment() {
        let r = run("printenv", &[], b"");
        assert_eq!((r.status, r.out()), (0, String::new()));
        let r = run("printenv", &["HOME"], b"");
        assert_eq!(
            (r.status, r.out(), r.err()),
            (1, String::new(), String::new())
        );
        assert_eq!(run("printenv", &["-x"], b"").status, 2);
    }
}
