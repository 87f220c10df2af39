//! `mv`: move (rename) files; across filesystems, copy with everything kept, then remove.

use std::io;

use nix::fcntl::{AT_FDCWD, AtFlags};
use nix::sys::stat::fstatat;
use nix::unistd::{UnlinkatFlags, unlinkat};

use super::cp::{self, Clobber, CopyOpts};
use super::util::{ask, errno, fill, msg, path};
use crate::common::walk::{self, Action, Kind, Options};
use crate::prelude::*;

/// The `mv` applet.
pub const APPLET: Applet = Applet::new("mv", main, Run::Fork)
    .usage("[-finuvT] [-t DIR] SOURCE... DEST")
    .help(
        "Rename SOURCE to DEST, or move the SOURCEs into the directory DEST.\n\n\
         -f\tDo not ask before overwriting\n\
         -i\tAsk before overwriting\n\
         -n\tNever overwrite an existing file\n\
         -u\tMove only when SOURCE is newer than DEST or DEST is missing\n\
         -v\tExplain what is being done\n\
         -t DIR\tMove into DIR\n\
         -T\tTreat DEST as a file, never as a directory",
    );

const LONGS: &[&str] = &[
    "force",
    "interactive",
    "no-clobber",
    "update",
    "verbose",
    "target-directory",
    "no-target-directory",
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut clobber, mut update, mut verbose) = (Clobber::Yes, false, false);
    let (mut target_dir, mut no_target_dir) = (None, false);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('f') | Arg::Long("force") => clobber = Clobber::Yes,
            Arg::Short('i') | Arg::Long("interactive") => clobber = Clobber::Ask,
            Arg::Short('n') | Arg::Long("no-clobber") => clobber = Clobber::No,
            Arg::Short('u') | Arg::Long("update") => update = true,
            Arg::Short('v') | Arg::Long("verbose") => verbose = true,
            Arg::Short('t') | Arg::Long("target-directory") => target_dir = Some(opts.value()?),
            Arg::Short('T') | Arg::Long("no-target-directory") => no_target_dir = true,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let pairs = cp::destinations(ops, target_dir, no_target_dir)?;
    for (src, dest) in &pairs {
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        let sst = match fstatat(AT_FDCWD, src.as_slice(), AtFlags::AT_SYMLINK_NOFOLLOW) {
            Ok(s) => s,
            Err(e) => {
                ctx.warn_msg(&msg("cannot stat", src, &errno(e)));
                continue;
            }
        };
        if let Ok(d) = fstatat(AT_FDCWD, dest.as_slice(), AtFlags::AT_SYMLINK_NOFOLLOW) {
            if d.st_dev == sst.st_dev && d.st_ino == sst.st_ino {
                ctx.warn_msg(&fill("{} and {} are the same file", &[src, dest]));
                continue;
            }
            match clobber {
                Clobber::No => continue,
                Clobber::Ask if !ask(ctx, &fill("overwrite {}?", &[dest])) => continue,
                _ => {}
            }
            if update && (d.st_mtime, d.st_mtime_nsec) >= (sst.st_mtime, sst.st_mtime_nsec) {
                continue;
            }
        }
        match std::fs::rename(path(src), path(dest)) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
                if !move_across(ctx, src, dest) {
                    continue;
                }
            }
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                ctx.warn_msg(&fill(
                    "cannot move {} to a subdirectory of itself, {}",
                    &[src, dest],
                ));
                continue;
            }
            Err(e) => {
                let what = fill("cannot move {} to", &[src]);
                ctx.warn_msg(&msg(&String::from_utf8_lossy(&what), dest, &e));
                continue;
            }
        }
        if verbose {
            let line = fill("renamed {} -> {}\n", &[src, dest]);
            ctx.stdout.write_all(&line)?;
        }
    }
    Ok(())
}

/// Copies `src` to `dest` keeping everything, then removes `src`: only if the whole
/// copy worked, so nothing is lost.
fn move_across(ctx: &mut Ctx<'_>, src: &[u8], dest: &[u8]) -> bool {
    // An existing destination is replaced, as rename would (a directory only if empty).
    if let Ok(d) = fstatat(AT_FDCWD, dest, AtFlags::AT_SYMLINK_NOFOLLOW) {
        let is_dir = d.st_mode & libc::S_IFMT == libc::S_IFDIR;
        let r = if is_dir {
            std::fs::remove_dir(path(dest))
        } else {
            std::fs::remove_file(path(dest))
        };
        if let Err(e) = r {
            ctx.warn_msg(&msg("cannot remove", dest, &e));
            return false;
        }
    }
    if !cp::copy(ctx, src, dest, &CopyOpts::for_move()) {
        return false;
    }
    if let Err(e) = remove_tree(src) {
        ctx.warn_msg(&msg("cannot remove", src, &e));
        return false;
    }
    true
}

/// Removes a tree (never following symlinks), stopping at the first failure.
fn remove_tree(root: &[u8]) -> io::Result<()> {
    let mut failure = None;
    walk::walk(root, &Options::default(), &mut |e| {
        let flag = match e.kind {
            Kind::File => UnlinkatFlags::NoRemoveDir,
            Kind::DirPost => UnlinkatFlags::RemoveDir,
            Kind::Dir => return Action::Continue,
            _ => {
                failure = Some(io::Error::from_raw_os_error(libc::EIO));
                return Action::Stop;
            }
        };
        match unlinkat(e.parent, e.name, flag) {
            Ok(()) => Action::Continue,
            Err(err) => {
                failure = Some(errno(err));
                Action::Stop
            }
        }
    });
    failure.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn renames_and_moves_into_directories() {
        let d = temp_dir("mv");
        let ds = d.to_str().unwrap();
        std::fs::write(d.join("a"), "A").unwrap();
        std::fs::create_dir(d.join("dir")).unwrap();
        let (a, b) = (format!("{ds}/a"), format!("{ds}/b"));
        let r = run("mv", &["-v", &a, &b], b"");
        assert_eq!(
            (r.status, r.out()),
            (0, format!("renamed '{a}' -> '{b}'\n"))
        );
        assert!(!d.join("a").exists() && d.join("b").is_file());
        run("mv", &[&b, &format!("{ds}/dir")], b"");
        assert!(d.join("dir/b").is_file());
        let r = run("mv", &[&format!("{ds}/dir/b"), &format!("{ds}/dir/b")], b"");
        assert_eq!(
            r.err(),
            format!("mv: '{ds}/dir/b' and '{ds}/dir/b' are the same file\n")
        );
        let r = run("mv", &[&a, &b], b"");
        assert_eq!(
            r.err(),
            format!("mv: cannot stat '{a}': No such file or directory\n")
        );
        let dir = format!("{ds}/dir");
        let r = run("mv", &[&dir, &format!("{dir}/sub")], b"");
        assert_eq!(
            r.err(),
            format!("mv: cannot move '{dir}' to a subdirectory of itself, '{dir}/sub'\n")
        );
        std::fs::write(d.join("x"), "X").unwrap();
        std::fs::write(d.join("y"), "Y").unwrap();
        run("mv", &["-n", &format!("{ds}/x"), &format!("{ds}/y")], b"");
        assert_eq!(std::fs::read(d.join("y")).unwrap(), b"Y");
        run(
            "mv",
            &["-i", &format!("{ds}/x"), &format!("{ds}/y")],
            b"y\n",
        );
        assert_eq!(std::fs::read(d.join("y")).unwrap(), b"X");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn across_filesystems_copies_then_removes() {
        // /dev/shm is a tmpfs on Linux; skip where it is the same filesystem or missing.
        use std::os::unix::fs::MetadataExt;
        let d = temp_dir("mv-xdev");
        let shm = std::path::Path::new("/dev/shm");
        let (Ok(a), Ok(b)) = (std::fs::metadata(&d), std::fs::metadata(shm)) else {
            return;
        };
        if a.dev() == b.dev() {
            return;
        }
        let other = shm.join(format!("rbox-mv-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&other);
        std::fs::create_dir_all(d.join("t/sub")).unwrap();
        std::fs::write(d.join("t/sub/f"), "F").unwrap();
        std::os::unix::fs::symlink("sub/f", d.join("t/ln")).unwrap();
        run(
            "touch",
            &["-d", "@5000", d.join("t/sub/f").to_str().unwrap()],
            b"",
        );
        let r = run(
            "mv",
            &[d.join("t").to_str().unwrap(), other.to_str().unwrap()],
            b"",
        );
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert!(!d.join("t").exists());
        assert_eq!(std::fs::read(other.join("sub/f")).unwrap(), b"F");
        assert_eq!(
            std::fs::metadata(other.join("sub/f")).unwrap().mtime(),
            5000
        );
        assert!(other.join("ln").is_symlink());
        std::fs::remove_dir_all(&other).unwrap();
        std::fs::remove_dir_all(&d).unwrap();
    }
}
