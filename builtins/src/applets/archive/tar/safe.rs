//! Extraction that never writes outside its target directory, for tar and cpio.
//!
//! Member names are cleaned first ([`clean`]): leading `/` removed, `.` and empty
//! components dropped, any `..` component refused. Then every parent directory is opened
//! from the target's fd one component at a time with `O_NOFOLLOW | O_DIRECTORY`, so a
//! symlink in the way (made by the archive or already there) is never followed; the last
//! component is created with `*at` calls that do not follow it either (`O_EXCL |
//! O_NOFOLLOW`, `symlinkat`, `linkat` without `AT_SYMLINK_FOLLOW`, `mknodat`), after an
//! existing non-directory there was unlinked.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat};
use nix::sys::stat::{Mode, fstatat, mkdirat};
use nix::unistd::{UnlinkatFlags, unlinkat};

/// A member name made safe: its components, relative to the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clean {
    /// The components, none empty, `.` or `..`.
    pub comps: Vec<Vec<u8>>,
    /// The leading part GNU would report as removed (`/`, `../`, `a/../`), if any.
    pub removed: Vec<u8>,
    /// Whether the name had a `..` component (then it must not be extracted).
    pub dotdot: bool,
}

/// Splits `name` into safe components, noting what GNU tar would strip in front.
pub fn clean(name: &[u8]) -> Clean {
    let mut comps: Vec<Vec<u8>> = Vec::new();
    let mut removed = Vec::new();
    let mut dotdot = false;
    // The prefix GNU reports: leading slashes, then everything up to the last `..`.
    let lead = name.iter().take_while(|&&b| b == b'/').count();
    let mut cut = lead;
    let mut pos = lead;
    for part in name.get(lead..).unwrap_or_default().split(|&b| b == b'/') {
        pos += part.len() + 1;
        if part == b".." {
            dotdot = true;
            cut = pos.min(name.len());
        }
    }
    if cut > 0 {
        removed = name.get(..cut).unwrap_or_default().to_vec();
        if dotdot && !removed.ends_with(b"/") {
            removed.push(b'/');
        }
    }
    for part in name.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => comps.clear(),
            p => comps.push(p.to_vec()),
        }
    }
    Clean {
        comps,
        removed,
        dotdot,
    }
}

fn err(e: Errno) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

/// Opens directory `name` in `dir` without following a symlink.
pub fn open_dir_nofollow(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<OwnedFd> {
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
    openat(dir, name, flags, Mode::empty()).map_err(|e| {
        // A symlink in the way shows as ELOOP or ENOTDIR: say what it is.
        if e == Errno::ELOOP {
            err(Errno::ENOTDIR)
        } else {
            err(e)
        }
    })
}

/// The target directory of an extraction.
pub struct Target {
    root: OwnedFd,
    /// The last parent directory resolved: its components and an fd on it. Members come
    /// in tree order, so most share their parent with the one before; reusing the fd
    /// (a directory already reached without following links) saves a walk per member.
    last: std::cell::RefCell<Option<(Vec<Vec<u8>>, OwnedFd)>>,
}

impl Target {
    /// Opens the target directory `dir` (the user's choice, so a symlink is followed).
    pub fn open(dir: &[u8]) -> io::Result<Target> {
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
        let root = openat(nix::fcntl::AT_FDCWD, dir, flags, Mode::empty()).map_err(err)?;
        Ok(Target {
            root,
            last: std::cell::RefCell::new(None),
        })
    }

    /// Drops the cached parent (after removing a directory that may be it).
    pub fn forget(&self) {
        self.last.replace(None);
    }

    /// The target's fd.
    pub fn root(&self) -> BorrowedFd<'_> {
        self.root.as_fd()
    }

    /// Opens the directory holding the last of `comps`, making missing parents (mode 0777
    /// less the umask) when `create`. Never follows a symlink.
    pub fn parent(&self, comps: &[Vec<u8>], create: bool) -> io::Result<OwnedFd> {
        let parents = comps.len().saturating_sub(1);
        let want = comps.get(..parents).unwrap_or_default();
        if let Some((dirs, fd)) = self.last.borrow().as_ref()
            && dirs.as_slice() == want
        {
            return Ok(nix::unistd::dup(fd)?);
        }
        let mut cur = open_dir_nofollow(self.root(), b".")?;
        for c in comps.iter().take(parents) {
            let next = match open_dir_nofollow(cur.as_fd(), c) {
                Err(e) if create && e.raw_os_error() == Some(libc::ENOENT) => {
                    match mkdirat(cur.as_fd(), c.as_slice(), Mode::from_bits_truncate(0o777)) {
                        Ok(()) | Err(Errno::EEXIST) => {}
                        Err(e) => return Err(err(e)),
                    }
                    open_dir_nofollow(cur.as_fd(), c)?
                }
                other => other?,
            };
            cur = next;
        }
        if let Ok(copy) = nix::unistd::dup(&cur) {
            self.last.replace(Some((want.to_vec(), copy)));
        }
        Ok(cur)
    }
}

/// What is at `name` in `dir`, without following a symlink: its file type bits.
pub fn existing(dir: BorrowedFd<'_>, name: &[u8]) -> Option<u32> {
    fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW)
        .ok()
        .map(|st| st.st_mode & libc::S_IFMT)
}

/// Removes what is at `name` in `dir` unless it is a directory (symlinks are removed,
/// never followed). A missing entry is fine.
pub fn remove_nondir(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    match existing(dir, name) {
        None | Some(libc::S_IFDIR) => Ok(()),
        Some(_) => match unlinkat(dir, name, UnlinkatFlags::NoRemoveDir) {
            Ok(()) | Err(Errno::ENOENT) => Ok(()),
            Err(e) => Err(err(e)),
        },
    }
}

/// Creates the regular file `name` in `dir` for writing, mode 0600 until the member's
/// mode is applied: never through a symlink, never into an existing file unless
/// `overwrite` (then truncated in place, still never through a symlink).
pub fn create_file(dir: BorrowedFd<'_>, name: &[u8], overwrite: bool) -> io::Result<OwnedFd> {
    let base = OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
    let mode = Mode::from_bits_truncate(0o600);
    if overwrite && existing(dir, name) == Some(libc::S_IFREG) {
        match openat(dir, name, base | OFlag::O_TRUNC, mode) {
            Ok(fd) => return Ok(fd),
            Err(Errno::ELOOP) => {}
            Err(e) => return Err(err(e)),
        }
    }
    openat(dir, name, base | OFlag::O_EXCL, mode).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str) -> (Vec<String>, String, bool) {
        let r = clean(name.as_bytes());
        (
            r.comps
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect(),
            String::from_utf8_lossy(&r.removed).into_owned(),
            r.dotdot,
        )
    }

    #[test]
    fn cleans_names_like_gnu() {
        assert_eq!(c("a/b"), (vec!["a".into(), "b".into()], "".into(), false));
        assert_eq!(
            c("./a//b/"),
            (vec!["a".into(), "b".into()], "".into(), false)
        );
        assert_eq!(
            c("/etc/passwd"),
            (vec!["etc".into(), "passwd".into()], "/".into(), false)
        );
        assert_eq!(c("//x").1, "//");
        assert_eq!(c("../x"), (vec!["x".into()], "../".into(), true));
        assert_eq!(c("a/../b").1, "a/../");
        assert!(c("a/..").2);
        assert!(!c("a/..b").2);
        assert_eq!(c("/").0, Vec::<String>::new());
    }
}
