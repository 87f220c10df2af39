//! `which`: locate commands in PATH.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::prelude::*;

/// The `which` applet.
pub const APPLET: Applet = Applet::new("which", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-a] NAME...")
    .help(
        "Print the path of the executable each NAME runs, searching PATH (an empty\n\
         entry is the current directory). Status 1 if any NAME is not found.\n\n\
         -a\tPrint every match, not just the first",
    )
    .error_status(2);

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut all = false;
    let mut names = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') => all = true,
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let path = ctx.env.get(b"PATH").unwrap_or_default().to_vec();
    let mut missing = names.is_empty();
    let mut out = Vec::new();
    for name in &names {
        let found = find(name, &path, all);
        missing |= found.is_empty();
        for f in found {
            out.extend_from_slice(&f);
            out.push(b'\n');
        }
    }
    ctx.stdout.write_all(&out)?;
    if missing {
        return Err(Error::silent(1));
    }
    Ok(())
}

/// The executables `name` may mean: itself if it has a slash, else each `DIR/name` in
/// `path` order (only the first unless `all`).
fn find(name: &[u8], path: &[u8], all: bool) -> Vec<Vec<u8>> {
    if name.is_empty() {
        return Vec::new();
    }
    if name.contains(&b'/') {
        return if is_executable_file(name) {
            vec![name.to_vec()]
        } else {
            Vec::new()
        };
    }
    let mut found = Vec::new();
    if path.is_empty() {
        return found;
    }
    for dir in path.split(|&b| b == b':') {
        let mut candidate = if dir.is_empty() {
            b".".to_vec()
        } else {
            dir.to_vec()
        };
        candidate.push(b'/');
        candidate.extend_from_slice(name);
        if is_executable_file(&candidate) {
            found.push(candidate);
            if !all {
                break;
            }
        }
    }
    found
}

/// Whether `path` is a regular file (after symlinks) that we may execute.
fn is_executable_file(path: &[u8]) -> bool {
    let p = OsStr::from_bytes(path);
    std::fs::metadata(p).is_ok_and(|m| m.is_file())
        && nix::unistd::access(p, nix::unistd::AccessFlags::X_OK).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn searches_in_order() {
        let dir = temp_dir("which");
        let (a, b) = (dir.join("a"), dir.join("b"));
        for d in [&a, &b] {
            std::fs::create_dir_all(d).unwrap();
            let f = d.join("tool");
            std::fs::write(&f, b"#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::write(a.join("plain"), b"").unwrap();
        std::fs::create_dir_all(a.join("adir")).unwrap();
        let path = format!("{}:{}", a.display(), b.display());
        let p = path.as_bytes();
        let tool = |d: &std::path::Path| d.join("tool").to_str().unwrap().as_bytes().to_vec();
        assert_eq!(find(b"tool", p, false), vec![tool(&a)]);
        assert_eq!(find(b"tool", p, true), vec![tool(&a), tool(&b)]);
        assert!(find(b"plain", p, true).is_empty());
        assert!(find(b"adir", p, true).is_empty());
        assert!(find(b"nope", p, true).is_empty());
        assert_eq!(find(&tool(&b), b"", false), vec![tool(&b)]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn statuses() {
        // The test environment has no PATH, which searches nothing.
        assert_eq!(run("which", &[], b"").status, 1);
        let r = run("which", &["/bin/sh"], b"");
        assert_eq!((r.status, r.out()), (0, "/bin/sh\n".into()));
        let r = run("which", &["/bin/sh", "/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.out(), r.err()),
            (1, "/bin/sh\n".into(), String::new())
        );
        assert_eq!(run("which", &["-x"], b"").status, 2);
    }
}
