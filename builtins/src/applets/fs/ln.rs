//! `ln`: make hard or symbolic links.

use std::io;

use nix::fcntl::{AT_FDCWD, AtFlags};
use nix::sys::stat::{FileStat, fstatat, stat};
use nix::unistd::{linkat, symlinkat};

use super::util::{Need, canonicalize, cwd, errno, fill, join, msg, path};
use crate::common::path::basename;
use crate::prelude::*;

/// The `ln` applet.
pub const APPLET: Applet = Applet::new("ln", main, Run::InProc)
    .usage("[-sfnvrTLP] [-t DIR] TARGET... [LINK|DIR]")
    .help(
        "Make links: LINK to TARGET, or links to each TARGET in DIR.\n\n\
         -s\tMake symbolic links\n\
         -f\tReplace existing destination files\n\
         -n\tTreat a LINK that is a symlink to a directory as a file\n\
         -v\tPrint the name of each link made\n\
         -r\tWith -s, make the link's text relative to the link's directory\n\
         -T\tTreat LINK as a file, never as a directory\n\
         -t DIR\tMake the links in DIR\n\
         -L\tHard-link the target of a symbolic-link TARGET\n\
         -P\tHard-link a symbolic link itself (the default)",
    );

const LONGS: &[&str] = &[
    "symbolic",
    "force",
    "no-dereference",
    "verbose",
    "no-target-directory",
    "target-directory",
    "logical",
    "physical",
    "relative",
];

#[derive(Clone, Copy, Default)]
struct Flags {
    symbolic: bool,
    force: bool,
    no_deref: bool,
    verbose: bool,
    logical: bool,
    relative: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut f = Flags::default();
    let (mut no_target_dir, mut target_dir) = (false, None);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('s') | Arg::Long("symbolic") => f.symbolic = true,
            Arg::Short('f') | Arg::Long("force") => f.force = true,
            Arg::Short('n') | Arg::Long("no-dereference") => f.no_deref = true,
            Arg::Short('v') | Arg::Long("verbose") => f.verbose = true,
            Arg::Short('T') | Arg::Long("no-target-directory") => no_target_dir = true,
            Arg::Short('t') | Arg::Long("target-directory") => target_dir = Some(opts.value()?),
            Arg::Short('L') | Arg::Long("logical") => f.logical = true,
            Arg::Short('P') | Arg::Long("physical") => f.logical = false,
            Arg::Short('r') | Arg::Long("relative") => f.relative = true,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if ops.is_empty() {
        return Err(Error::usage("missing file operand"));
    }
    if f.relative && !f.symbolic {
        return Err(Error::msg("cannot do --relative without --symbolic"));
    }
    if let Some(dir) = target_dir {
        if no_target_dir {
            return Err(Error::usage(
                "cannot combine --target-directory and --no-target-directory",
            ));
        }
        for t in &ops {
            make(ctx, t, &join(&dir, basename(t)), f);
        }
        return Ok(());
    }
    if ops.len() == 1 {
        let t = &ops[0];
        make(ctx, t, basename(t), f);
        return Ok(());
    }
    let Some(last) = ops.pop() else {
        return Ok(());
    };
    let into_dir = !no_target_dir && is_dir_dest(&last, f.no_deref);
    if !into_dir {
        if ops.len() > 1 {
            if no_target_dir {
                return Err(opts.unexpected(&Arg::Value(last)));
            }
            let e = stat(last.as_slice())
                .err()
                .map_or(io::Error::from_raw_os_error(libc::ENOTDIR), errno);
            return Err(Error::msg(msg("target", &last, &e)));
        }
        make(ctx, &ops[0], &last, f);
        return Ok(());
    }
    for t in &ops {
        make(ctx, t, &join(&last, basename(t)), f);
    }
    Ok(())
}

/// Whether `dest` names a directory to make links in (a symlink to one counts unless -n).
fn is_dir_dest(dest: &[u8], no_deref: bool) -> bool {
    let flag = if no_deref {
        AtFlags::AT_SYMLINK_NOFOLLOW
    } else {
        AtFlags::empty()
    };
    fstatat(AT_FDCWD, dest, flag).is_ok_and(|s| is_dir(&s))
}

fn is_dir(s: &FileStat) -> bool {
    s.st_mode & libc::S_IFMT == libc::S_IFDIR
}

fn kind(f: Flags) -> &'static str {
    if f.symbolic {
        "symbolic link"
    } else {
        "hard link"
    }
}

/// What a `-r` link holds: `target` (taken from the current directory) relative to the
/// directory `link` is made in, both with symlinks resolved and missing parts kept as
/// written (GNU's canonicalize-missing, then one `..` per component of the link's
/// directory past the common prefix); `target` unchanged when the working directory is
/// unknown.
fn relative_target(target: &[u8], link: &[u8]) -> Vec<u8> {
    let Ok(here) = cwd() else {
        return target.to_vec();
    };
    let dir = crate::common::path::dirname(link);
    let (Ok(to), Ok(from)) = (
        canonicalize(target, Need::Nothing, true, &here),
        canonicalize(dir, Need::Nothing, true, &here),
    ) else {
        return target.to_vec();
    };
    relative_path(&to, &from)
}

/// Absolute `to` relative to absolute directory `from`: `..` for each of `from`'s
/// components below the common prefix, then the rest of `to`; `.` when they are equal.
fn relative_path(to: &[u8], from: &[u8]) -> Vec<u8> {
    let comps = |p: &[u8]| -> Vec<Vec<u8>> {
        p.split(|&b| b == b'/')
            .filter(|c| !c.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    };
    let (to, from) = (comps(to), comps(from));
    let common = to.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&[u8]> = vec![b".."; from.len() - common];
    parts.extend(to.iter().skip(common).map(Vec::as_slice));
    if parts.is_empty() {
        return b".".to_vec();
    }
    parts.join(&b'/')
}

/// Makes one link `link` -> `target`, reporting failures.
fn make(ctx: &mut Ctx<'_>, target: &[u8], link: &[u8], f: Flags) {
    let rel;
    let target = if f.relative {
        rel = relative_target(target, link);
        rel.as_slice()
    } else {
        target
    };
    if !f.symbolic {
        let flag = if f.logical {
            AtFlags::empty()
        } else {
            AtFlags::AT_SYMLINK_NOFOLLOW
        };
        if let Err(e) = fstatat(AT_FDCWD, target, flag) {
            ctx.warn_msg(&msg("failed to access", target, &errno(e)));
            return;
        }
    }
    let result = if f.force {
        replace(target, link, f)
    } else {
        create(target, link, f)
    };
    match result {
        Ok(()) => {
            if f.verbose {
                let arrow = if f.symbolic {
                    "{} -> {}\n"
                } else {
                    "{} => {}\n"
                };
                let line = fill(arrow, &[link, target]);
                let _ = ctx.stdout.write_all(&line);
            }
        }
        Err(Fail::Same) => {
            ctx.warn_msg(&fill("{} and {} are the same file", &[target, link]));
        }
        Err(Fail::Dir) => ctx.warn_msg(&fill("{}: cannot overwrite directory", &[link])),
        Err(Fail::Io(e)) => {
            let what = format!("failed to create {}", kind(f));
            ctx.warn_msg(&msg(&what, link, &e));
        }
    }
}

enum Fail {
    Same,
    Dir,
    Io(io::Error),
}

fn create(target: &[u8], link: &[u8], f: Flags) -> Result<(), Fail> {
    let r = if f.symbolic {
        symlinkat(target, AT_FDCWD, link)
    } else {
        let flag = if f.logical {
            AtFlags::AT_SYMLINK_FOLLOW
        } else {
            AtFlags::empty()
        };
        linkat(AT_FDCWD, target, AT_FDCWD, link, flag)
    };
    r.map_err(|e| Fail::Io(errno(e)))
}

/// `-f`: makes the link under a temporary name beside `link`, then renames it over, so
/// `link` is never missing.
fn replace(target: &[u8], link: &[u8], f: Flags) -> Result<(), Fail> {
    let old = match fstatat(AT_FDCWD, link, AtFlags::AT_SYMLINK_NOFOLLOW) {
        Ok(s) => s,
        Err(_) => return create(target, link, f),
    };
    if is_dir(&old) {
        return Err(Fail::Dir);
    }
    if !f.symbolic
        && let Ok(t) = fstatat(AT_FDCWD, target, AtFlags::AT_SYMLINK_NOFOLLOW)
        && t.st_dev == old.st_dev
        && t.st_ino == old.st_ino
    {
        return Err(Fail::Same);
    }
    let dir = crate::common::path::dirname(link);
    let pid = std::process::id();
    for n in 0..100u32 {
        let tmp = join(dir, format!(".ln{pid}.{n}.tmp").as_bytes());
        match create(target, &tmp, f) {
            Ok(()) => {
                return std::fs::rename(path(&tmp), path(link)).map_err(|e| {
                    let _ = std::fs::remove_file(path(&tmp));
                    Fail::Io(e)
                });
            }
            Err(Fail::Io(e)) if e.raw_os_error() == Some(libc::EEXIST) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Fail::Io(io::Error::from_raw_os_error(libc::EEXIST)))
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn symbolic_and_hard_links() {
        let d = temp_dir("ln");
        let ds = d.to_str().unwrap();
        std::fs::write(d.join("a"), "A").unwrap();
        let (a, s, h) = (format!("{ds}/a"), format!("{ds}/s"), format!("{ds}/h"));
        let r = run("ln", &["-sv", "a", &s], b"");
        assert_eq!(r.out(), format!("'{s}' -> 'a'\n"));
        assert_eq!(std::fs::read_link(&s).unwrap().to_str(), Some("a"));
        let r = run("ln", &["-s", "b", &s], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                format!("ln: failed to create symbolic link '{s}': File exists\n")
            )
        );
        assert_eq!(run("ln", &["-sf", "b", &s], b"").status, 0);
        assert_eq!(std::fs::read_link(&s).unwrap().to_str(), Some("b"));
        let r = run("ln", &["-v", &a, &h], b"");
        assert_eq!(r.out(), format!("'{h}' => '{a}'\n"));
        assert_eq!(
            std::fs::metadata(&h).unwrap().ino(),
            std::fs::metadata(&a).unwrap().ino()
        );
        let r = run("ln", &["-f", &a, &h], b"");
        assert_eq!(r.err(), format!("ln: '{a}' and '{h}' are the same file\n"));
        let nope = format!("{ds}/nope");
        let r = run("ln", &[&nope, &format!("{ds}/x")], b"");
        assert_eq!(
            r.err(),
            format!("ln: failed to access '{nope}': No such file or directory\n")
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn directories_as_destinations() {
        let d = temp_dir("ln-dir");
        let ds = d.to_str().unwrap();
        std::fs::create_dir(d.join("dir")).unwrap();
        std::fs::create_dir(d.join("other")).unwrap();
        std::os::unix::fs::symlink("dir", d.join("dl")).unwrap();
        let dir = format!("{ds}/dir");
        run("ln", &["-s", "t1", "t2", &dir], b"");
        assert!(d.join("dir/t1").is_symlink() && d.join("dir/t2").is_symlink());
        // Through a symlink to a directory, unless -n.
        let dl = format!("{ds}/dl");
        run("ln", &["-s", "x", &dl], b"");
        assert!(d.join("dir/x").is_symlink());
        assert_eq!(run("ln", &["-sfn", "other", &dl], b"").status, 0);
        assert_eq!(std::fs::read_link(&dl).unwrap().to_str(), Some("other"));
        let r = run("ln", &["-sT", "y", &dir], b"");
        assert_eq!(
            r.err(),
            format!("ln: failed to create symbolic link '{dir}': File exists\n")
        );
        let r = run("ln", &["-sfT", "y", &dir], b"");
        assert_eq!(
            r.err(),
            format!("ln: '{dir}': cannot overwrite directory\n")
        );
        run("ln", &["-s", "-t", &dir, "z"], b"");
        assert!(d.join("dir/z").is_symlink());
        let r = run("ln", &["-s", "a", "b", &format!("{ds}/nodir")], b"");
        assert_eq!(
            r.err(),
            format!("ln: target '{ds}/nodir': No such file or directory\n")
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
