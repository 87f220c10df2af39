//! `readlink`: print a symbolic link's value or a canonical path.

use super::util::{Need, canonicalize, cwd, path};
use crate::prelude::*;

/// The `readlink` applet.
pub const APPLET: Applet = Applet::new("readlink", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-fem] [-nqsvz] FILE...")
    .help(
        "Print the value of the symbolic link FILE, or with -f/-e/-m its canonical name.\n\n\
         -f\tCanonicalize: every component but the last must exist\n\
         -e\tCanonicalize: every component must exist\n\
         -m\tCanonicalize: no component needs to exist\n\
         -n\tNo newline after the (last) name\n\
         -q, -s\tQuiet: report no errors (the default)\n\
         -v\tReport errors\n\
         -z\tEnd each name with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "canonicalize",
    "canonicalize-existing",
    "canonicalize-missing",
    "no-newline",
    "quiet",
    "silent",
    "verbose",
    "zero",
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut need, mut newline, mut verbose, mut end) = (None, true, false, b'\n');
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('f') | Arg::Long("canonicalize") => need = Some(Need::AllButLast),
            Arg::Short('e') | Arg::Long("canonicalize-existing") => need = Some(Need::All),
            Arg::Short('m') | Arg::Long("canonicalize-missing") => need = Some(Need::Nothing),
            Arg::Short('n') | Arg::Long("no-newline") => newline = false,
            Arg::Short('q' | 's') | Arg::Long("quiet" | "silent") => verbose = false,
            Arg::Short('v') | Arg::Long("verbose") => verbose = true,
            Arg::Short('z') | Arg::Long("zero") => end = b'\0',
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    if files.len() > 1 && !newline {
        ctx.note(b"ignoring --no-newline with multiple arguments");
        newline = true;
    }
    let here = match need {
        Some(_) => cwd().unwrap_or_else(|_| b"/".to_vec()),
        None => Vec::new(),
    };
    for f in &files {
        let got = match need {
            Some(n) => canonicalize(f, n, true, &here),
            None => std::fs::read_link(path(f)).map(|p| p.into_os_string().into_encoded_bytes()),
        };
        match got {
            Ok(mut v) => {
                if newline {
                    v.push(end);
                }
                ctx.stdout.write_all(&v)?;
            }
            Err(e) => {
                if verbose {
                    ctx.warn(f, &e);
                } else {
                    ctx.status = 1;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn plain_and_canonical() {
        let d = temp_dir("readlink");
        let d = std::fs::canonicalize(&d).unwrap();
        std::fs::create_dir_all(d.join("real/sub")).unwrap();
        std::os::unix::fs::symlink("real/sub", d.join("ln")).unwrap();
        std::os::unix::fs::symlink("loop", d.join("loop")).unwrap();
        let ds = d.to_str().unwrap();
        let ln = format!("{ds}/ln");
        assert_eq!(run("readlink", &[&ln], b"").out(), "real/sub\n");
        assert_eq!(run("readlink", &["-n", &ln], b"").out(), "real/sub");
        assert_eq!(
            run("readlink", &["-f", &ln], b"").out(),
            format!("{ds}/real/sub\n")
        );
        let r = run("readlink", &[ds], b"");
        assert_eq!(
            (r.status, r.out(), r.err()),
            (1, String::new(), String::new())
        );
        let dotted = format!("{ds}/real/./sub/../sub//x");
        assert_eq!(
            run("readlink", &["-f", &dotted], b"").out(),
            format!("{ds}/real/sub/x\n")
        );
        assert_eq!(run("readlink", &["-e", &dotted], b"").status, 1);
        let far = format!("{ds}/no/such/x");
        assert_eq!(run("readlink", &["-f", &far], b"").status, 1);
        assert_eq!(
            run("readlink", &["-m", &far], b"").out(),
            format!("{far}\n")
        );
        assert_eq!(
            run("readlink", &["-m", &format!("{far}/../y")], b"").out(),
            format!("{ds}/no/such/y\n")
        );
        let r = run("readlink", &["-ev", &format!("{ds}/loop")], b"");
        assert_eq!(
            r.err(),
            format!("readlink: {ds}/loop: Too many levels of symbolic links\n")
        );
        assert_eq!(
            run("readlink", &["-fz", &ln, ds], b"").stdout,
            format!("{ds}/real/sub\0{ds}\0").into_bytes()
        );
        assert_eq!(run("readlink", &["-f", "/"], b"").out(), "/\n");
        assert_eq!(run("readlink", &["-f", "/.."], b"").out(), "/\n");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
