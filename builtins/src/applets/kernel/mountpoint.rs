//! `mountpoint`: whether a directory or file is a mount point, with util-linux's messages
//! and statuses (0 yes, 32 no, 1 for errors).

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use super::mounts::{self, PROC_MOUNTS};
use crate::prelude::*;

/// The `mountpoint` applet.
pub const APPLET: Applet = Applet::new("mountpoint", main, Run::Fork)
    .usage("[-qd] DIR | -x DEVICE")
    .help(
        "Check whether DIR (a directory or file) is a mount point: status 0 if so, 32 if not.\n\n\
         -q\tQuiet: print nothing\n\
         --nofollow\tDon't follow a symbolic link DIR\n\
         -d\tPrint the filesystem's MAJOR:MINOR device number\n\
         -x\tPrint the block DEVICE's MAJOR:MINOR number",
    );

const LONGS: &[&str] = &["quiet", "nofollow", "fs-devno", "devno"];

/// util-linux's status for "no".
const NOT_A_MOUNTPOINT: u8 = 32;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut quiet, mut nofollow, mut fs_devno, mut devno) = (false, false, false, false);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('q') | Arg::Long("quiet") => quiet = true,
            Arg::Long("nofollow") => nofollow = true,
            Arg::Short('d') | Arg::Long("fs-devno") => fs_devno = true,
            Arg::Short('x') | Arg::Long("devno") => devno = true,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let [name] = ops.as_slice() else {
        return Err(Error::usage("bad usage"));
    };
    let path = std::ffi::OsStr::from_bytes(name);
    let md = if nofollow {
        std::fs::symlink_metadata(path)
    } else {
        std::fs::metadata(path)
    };
    let md = match md {
        Ok(md) => md,
        Err(_) if quiet => return Err(Error::silent(1)),
        Err(e) => return Err(Error::io(name, &e)),
    };
    if devno {
        if !md.file_type().is_block_device() {
            if quiet {
                return Err(Error::silent(NOT_A_MOUNTPOINT));
            }
            let mut m = name.clone();
            m.extend_from_slice(b": not a block device");
            return Err(Error::msg(m).with_status(NOT_A_MOUNTPOINT));
        }
        let rdev = md.rdev();
        let line = format!("{}:{}\n", libc::major(rdev), libc::minor(rdev));
        ctx.stdout.write_all(line.as_bytes())?;
        return Ok(());
    }
    let yes = !(nofollow && md.file_type().is_symlink()) && is_mountpoint(name, &md);
    if yes && fs_devno {
        let dev = md.dev();
        let line = format!("{}:{}\n", libc::major(dev), libc::minor(dev));
        ctx.stdout.write_all(line.as_bytes())?;
        return Ok(());
    }
    if !quiet {
        let mut line = name.clone();
        line.extend_from_slice(if yes {
            b" is a mountpoint\n"
        } else {
            b" is not a mountpoint\n"
        });
        ctx.stdout.write_all(&line)?;
    }
    if yes {
        Ok(())
    } else {
        Err(Error::silent(NOT_A_MOUNTPOINT))
    }
}

/// A mount point is a target in the kernel's table; without /proc, a directory on
/// another device than its parent's, or its own parent (the root).
fn is_mountpoint(name: &[u8], md: &std::fs::Metadata) -> bool {
    if let Ok(table) = mounts::read_table(PROC_MOUNTS) {
        let canon = mounts::canonical(name);
        return table.iter().any(|m| m.target == canon);
    }
    if !md.is_dir() {
        return false;
    }
    let parent = [name, b"/.."].concat();
    std::fs::metadata(std::ffi::OsStr::from_bytes(&parent))
        .is_ok_and(|p| p.dev() != md.dev() || p.ino() == md.ino())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn answers_and_statuses() {
        let r = run("mountpoint", &["/"], b"");
        assert_eq!((r.out(), r.status), ("/ is a mountpoint\n".to_string(), 0));
        let d = crate::testing::temp_dir("mountpoint");
        let dir = d.to_str().unwrap();
        let r = run("mountpoint", &[dir], b"");
        assert_eq!(
            (r.out(), r.status),
            (format!("{dir} is not a mountpoint\n"), 32)
        );
        let r = run("mountpoint", &["-q", dir], b"");
        assert_eq!((r.out(), r.status), (String::new(), 32));
        let r = run("mountpoint", &["-q", "/no/such"], b"");
        assert_eq!((r.err(), r.status), (String::new(), 1));
        let r = run("mountpoint", &["/no/such"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "mountpoint: /no/such: No such file or directory\n".to_string(),
                1
            )
        );
        let r = run("mountpoint", &["-x", "/dev/null"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "mountpoint: /dev/null: not a block device\n".to_string(),
                32
            )
        );
        let r = run("mountpoint", &[], b"");
        assert!(r.err().starts_with("mountpoint: bad usage\n"));
        assert_eq!(r.status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
