//! `realpath`: print the resolved absolute name of each file.

use super::util::{Need, canonicalize, cwd};
use crate::prelude::*;

/// The `realpath` applet.
pub const APPLET: Applet = Applet::new("realpath", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-em] [-sqz] FILE...")
    .help(
        "Print the absolute name of each FILE, with ., .. and symbolic links resolved;\n\
         every component but the last must exist.\n\n\
         -e\tEvery component must exist\n\
         -m\tNo component needs to exist\n\
         -s\tDo not resolve symbolic links (only . and ..)\n\
         -q\tReport no errors\n\
         -z\tEnd each name with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "canonicalize-existing",
    "canonicalize-missing",
    "strip",
    "no-symlinks",
    "quiet",
    "zero",
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut need, mut links, mut quiet, mut end) = (Need::AllButLast, true, false, b'\n');
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('e') | Arg::Long("canonicalize-existing") => need = Need::All,
            Arg::Short('m') | Arg::Long("canonicalize-missing") => need = Need::Nothing,
            Arg::Short('s') | Arg::Long("strip" | "no-symlinks") => links = false,
            Arg::Short('q') | Arg::Long("quiet") => quiet = true,
            Arg::Short('z') | Arg::Long("zero") => end = b'\0',
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let here = cwd().map_err(|e| Error::io(b".", &e))?;
    for f in &files {
        match canonicalize(f, need, links, &here) {
            Ok(mut v) => {
                v.push(end);
                ctx.stdout.write_all(&v)?;
            }
            Err(_) if quiet => ctx.status = 1,
            Err(e) => ctx.warn(f, &e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn resolves_and_reports() {
        let d = std::fs::canonicalize(temp_dir("realpath")).unwrap();
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::os::unix::fs::symlink("a", d.join("l")).unwrap();
        let ds = d.to_str().unwrap();
        assert_eq!(
            run("realpath", &[&format!("{ds}/l/../l")], b"").out(),
            format!("{ds}/a\n")
        );
        assert_eq!(
            run("realpath", &["-s", &format!("{ds}/l/.")], b"").out(),
            format!("{ds}/l\n")
        );
        assert_eq!(
            run("realpath", &[&format!("{ds}/new")], b"").out(),
            format!("{ds}/new\n")
        );
        let r = run("realpath", &[&format!("{ds}/x/y")], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                format!("realpath: {ds}/x/y: No such file or directory\n")
            )
        );
        assert_eq!(
            run("realpath", &["-q", &format!("{ds}/x/y")], b"").err(),
            ""
        );
        assert_eq!(
            run("realpath", &["-e", &format!("{ds}/new")], b"").status,
            1
        );
        assert_eq!(
            run("realpath", &["-m", &format!("{ds}/x/y")], b"").out(),
            format!("{ds}/x/y\n")
        );
        let r = run("realpath", &[], b"");
        assert_eq!(r.status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
