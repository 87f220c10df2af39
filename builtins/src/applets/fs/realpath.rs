//! `realpath`: print the resolved absolute name of each file.

use super::util::{Need, canonicalize, cwd};
use crate::prelude::*;

/// The `realpath` applet.
pub const APPLET: Applet = Applet::new("realpath", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-em] [-LPsqz] [--relative-to=DIR] [--relative-base=DIR] FILE...")
    .help(
        "Print the absolute name of each FILE, with ., .. and symbolic links resolved;\n\
         every component but the last must exist.\n\n\
         -e\tEvery component must exist\n\
         -m\tNo component needs to exist\n\
         -s\tDo not resolve symbolic links (only . and ..)\n\
         -L\tResolve .. before symbolic links (logically)\n\
         -P\tResolve symbolic links as met (the default)\n\
         --relative-to=DIR\tPrint names relative to DIR\n\
         --relative-base=DIR\tPrint names under DIR relative to it, others absolute\n\
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
    "logical",
    "physical",
    "relative-to",
    "relative-base",
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut need, mut links, mut quiet, mut end) = (Need::AllButLast, true, false, b'\n');
    let (mut logical, mut rel_to, mut rel_base) = (false, None, None);
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('e') | Arg::Long("canonicalize-existing") => need = Need::All,
            Arg::Short('m') | Arg::Long("canonicalize-missing") => need = Need::Nothing,
            Arg::Short('s') | Arg::Long("strip" | "no-symlinks") => links = false,
            Arg::Short('q') | Arg::Long("quiet") => quiet = true,
            Arg::Short('z') | Arg::Long("zero") => end = b'\0',
            Arg::Short('L') | Arg::Long("logical") => (logical, links) = (true, true),
            Arg::Short('P') | Arg::Long("physical") => (logical, links) = (false, true),
            Arg::Long("relative-to") => rel_to = Some(opts.value()?),
            Arg::Long("relative-base") => rel_base = Some(opts.value()?),
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let here = cwd().map_err(|e| Error::io(b".", &e))?;
    let resolve = |f: &[u8]| {
        if logical {
            canonicalize(&lexical(f, &here), need, links, &here)
        } else {
            canonicalize(f, need, links, &here)
        }
    };
    let dir_of = |d: Option<Vec<u8>>| -> Result<Option<Vec<u8>>, Error> {
        d.map(|d| resolve(&d).map_err(|e| Error::io(&d, &e)))
            .transpose()
    };
    let rel_to = dir_of(rel_to)?;
    let rel_base = dir_of(rel_base)?;
    for f in &files {
        match resolve(f) {
            Ok(v) => {
                let mut v = relative(v, rel_to.as_deref(), rel_base.as_deref());
                v.push(end);
                ctx.stdout.write_all(&v)?;
            }
            Err(_) if quiet => ctx.status = 1,
            Err(e) => ctx.warn(f, &e),
        }
    }
    Ok(())
}

/// `name` made absolute against `cwd` with `.` and `..` removed by the text alone
/// (`-L`: `link/..` is the directory holding `link`).
fn lexical(name: &[u8], cwd: &[u8]) -> Vec<u8> {
    let full = if name.starts_with(b"/") {
        name.to_vec()
    } else {
        [cwd, b"/", name].concat()
    };
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in full.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut out = Vec::with_capacity(full.len());
    for p in &parts {
        out.push(b'/');
        out.extend_from_slice(p);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

/// Whether absolute `path` is `dir` or below it.
fn under(path: &[u8], dir: &[u8]) -> bool {
    dir == b"/" || path == dir || (path.starts_with(dir) && path.get(dir.len()) == Some(&b'/'))
}

/// `path` as `--relative-to`/`--relative-base` print it (GNU): with a base, names not
/// under it (or a `--relative-to` not under it) stay absolute; otherwise relative to
/// `to`, or to the base.
fn relative(path: Vec<u8>, to: Option<&[u8]>, base: Option<&[u8]>) -> Vec<u8> {
    if let Some(b) = base
        && (!under(&path, b) || to.is_some_and(|t| !under(t, b)))
    {
        return path;
    }
    let Some(from) = to.or(base) else {
        return path;
    };
    let comps = |p: &[u8]| -> Vec<Vec<u8>> {
        p.split(|&b| b == b'/')
            .filter(|c| !c.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    };
    let (a, b) = (comps(&path), comps(from));
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&[u8]> = vec![b".."; b.len() - common];
    parts.extend(a.iter().skip(common).map(Vec::as_slice));
    if parts.is_empty() {
        return b".".to_vec();
    }
    parts.join(&b'/')
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn relative_names() {
        use super::{lexical, relative};
        let r = |p: &str, to: Option<&str>, base: Option<&str>| {
            String::from_utf8(relative(
                p.as_bytes().to_vec(),
                to.map(str::as_bytes),
                base.map(str::as_bytes),
            ))
            .unwrap()
        };
        assert_eq!(r("/a", Some("/a/b/c"), None), "../..");
        assert_eq!(r("/a/b", Some("/a/b"), None), ".");
        assert_eq!(r("/a/x/y", Some("/a/b"), None), "../x/y");
        assert_eq!(r("/a", None, Some("/a/b")), "/a");
        assert_eq!(r("/a/b/c", None, Some("/a/b")), "c");
        assert_eq!(r("/a/b", Some("/"), Some("/a/b")), "/a/b");
        assert_eq!(r("/ab", None, Some("/a")), "/ab");
        assert_eq!(r("/x", Some("/"), None), "x");
        assert_eq!(lexical(b"l/../b", b"/t"), b"/t/b");
        assert_eq!(lexical(b"/../..", b"/t"), b"/");
    }

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
