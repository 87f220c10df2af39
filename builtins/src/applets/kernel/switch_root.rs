//! `switch_root`: leave an initramfs for the real root — as PID 1, delete the old root's
//! files (staying on its filesystem), move NEW_ROOT onto `/`, chroot into it and exec
//! INIT. BusyBox's checks and messages.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

use super::mounts;
use crate::prelude::*;

/// The `switch_root` applet.
pub const APPLET: Applet = Applet::new("switch_root", main, Run::Exec)
    .dir(InstallDir::Sbin)
    .usage("[-c CONSOLE_DEV] NEW_ROOT NEW_INIT [ARGS]")
    .help(
        "Free the initramfs and switch to another root filesystem: delete everything in /\n\
         (not crossing into other filesystems), move NEW_ROOT to /, chroot into it and\n\
         execute NEW_INIT. Must run as PID 1; NEW_ROOT must be a mount point and / a\n\
         ramfs or tmpfs holding a regular file /init.\n\n\
         -c DEV\tReopen standard input, output and error on DEV after the switch",
    );

const RAMFS_MAGIC: i64 = 0x8584_58f6;
const TMPFS_MAGIC: i64 = 0x0102_1994;

fn os(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut console = None;
    let mut ops = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') => console = Some(opts.value()?),
            Arg::Value(v) => {
                ops.push(v);
                ops.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let [new_root, init, ..] = ops.as_slice() else {
        return Err(Error::usage("missing operand"));
    };
    let argv = &ops[1..];
    // switch_root is Run::Exec: the process is its own, never the shell's.
    #[allow(clippy::disallowed_methods)]
    std::env::set_current_dir(os(new_root)).map_err(|e| {
        let subject = format!(
            "can't change directory to '{}'",
            String::from_utf8_lossy(new_root)
        );
        Error::io(subject.as_bytes(), &e)
    })?;
    let root_dev = stat_dev(b"/")?;
    if stat_dev(b".")? == root_dev {
        return Err(Error::usage("NEW_ROOT must be a mountpoint"));
    }
    if nix::unistd::getpid().as_raw() != 1 {
        return Err(Error::usage("PID must be 1"));
    }
    if !std::fs::symlink_metadata("/init").is_ok_and(|m| m.is_file()) {
        return Err(Error::msg("'/init' is not a regular file"));
    }
    let fs = nix::sys::statfs::statfs("/").map_err(|e| Error::io(b"/", &e.into()))?;
    let magic = fs.filesystem_type().0 as i64;
    if magic != RAMFS_MAGIC && magic != TMPFS_MAGIC {
        return Err(Error::msg("root filesystem is not ramfs/tmpfs"));
    }
    delete_contents(b"/", root_dev);
    mounts::mount(Some(b"."), b"/", None, libc::MS_MOVE, None)
        .map_err(|e| Error::io(b"error moving root", &e))?;
    nix::unistd::chroot(".")
        .map_err(|e| Error::io(b"can't change root directory to '.'", &e.into()))?;
    #[allow(clippy::disallowed_methods)]
    std::env::set_current_dir("/").map_err(|e| Error::io(b"can't change directory to '/'", &e))?;
    if let Some(dev) = console {
        reopen_stdio(ctx, &dev);
    }
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    let e = exec(ctx, argv);
    let subject = format!("can't execute '{}'", String::from_utf8_lossy(init));
    Err(Error::io(subject.as_bytes(), &e))
}

fn stat_dev(path: &[u8]) -> Result<u64, Error> {
    std::fs::metadata(os(path)).map(|m| m.dev()).map_err(|e| {
        let subject = format!("stat of {} failed", String::from_utf8_lossy(path));
        Error::io(subject.as_bytes(), &e)
    })
}

/// Deletes everything under `dir` that lives on device `dev`; mount points of other
/// filesystems (NEW_ROOT among them) and their contents are left alone.
fn delete_contents(dir: &[u8], dev: u64) {
    let Ok(entries) = std::fs::read_dir(os(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(md) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if md.dev() != dev {
            continue;
        }
        if md.is_dir() {
            delete_contents(path.as_os_str().as_bytes(), dev);
            let _ = std::fs::remove_dir(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// `-c DEV`: DEV becomes fds 0, 1 and 2; a DEV that cannot be opened is only reported.
fn reopen_stdio(ctx: &mut Ctx<'_>, dev: &[u8]) {
    match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(os(dev))
    {
        Ok(f) => {
            use std::os::fd::AsRawFd;
            for target in 0..3 {
                // SAFETY: dup2 onto the standard descriptors; `f` stays open across it.
                unsafe { libc::dup2(f.as_raw_fd(), target) };
            }
        }
        Err(e) => {
            let subject = format!("can't open '{}'", String::from_utf8_lossy(dev));
            ctx.warn(subject.as_bytes(), &e);
        }
    }
}

/// `execv(INIT, ARGS)`: no PATH search, the environment passed on.
fn exec(ctx: &Ctx<'_>, argv: &[Vec<u8>]) -> io::Error {
    let cstr = |b: &[u8]| CString::new(b.to_vec()).ok();
    let args: Option<Vec<CString>> = argv.iter().map(|a| cstr(a)).collect();
    let envp: Option<Vec<CString>> = ctx
        .env
        .vars()
        .into_iter()
        .map(|(k, v)| cstr(&[k, b"=", v].concat()))
        .collect();
    match (args, envp) {
        (Some(args), Some(envp)) => {
            let Err(e) = nix::unistd::execve(&args[0], &args, &envp);
            e.into()
        }
        _ => io::Error::from_raw_os_error(libc::EINVAL),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn refuses_before_touching_anything() {
        let r = run("switch_root", &["/x"], b"");
        assert!(
            r.err()
                .starts_with("switch_root: missing operand\nUsage: switch_root ")
        );
        let r = run("switch_root", &["/no/such/root", "/init"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "switch_root: can't change directory to '/no/such/root': No such file or directory\n"
                    .to_string(),
                1
            )
        );
    }
}
