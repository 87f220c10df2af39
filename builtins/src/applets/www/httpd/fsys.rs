//! Opening files confined to HOME. `openat2(RESOLVE_BENEATH)` refuses any path or
//! symlink that resolves outside the home directory fd in one system call; a kernel
//! without openat2 falls back to `openat` plus a check of the opened file's real path.
//! With `O:symlinks` in the config a plain `openat` follows symlinks anywhere (the
//! path itself was normalised and cannot climb).

use std::ffi::CString;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

use nix::errno::Errno;

/// Opens `rel` (relative, normalised) read-only below the directory `home`.
/// `EXDEV` means a symlink led outside.
pub fn open_beneath(
    home: &OwnedFd,
    home_path: &Path,
    rel: &[u8],
    follow_out: bool,
) -> Result<File, Errno> {
    let c = CString::new(rel).map_err(|_| Errno::EINVAL)?;
    let flags = libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOCTTY | libc::O_NONBLOCK;
    if follow_out {
        return openat(home.as_raw_fd(), &c, flags);
    }
    // SAFETY: open_how is plain integers; all-zero is a valid value.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = flags as u64;
    how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
    // SAFETY: openat2 reads the NUL-terminated path and the open_how of the given size;
    // both live across the call. The result is a new fd or -1.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            home.as_raw_fd(),
            c.as_ptr(),
            &how as *const libc::open_how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd >= 0 {
        // SAFETY: the fd was just opened and belongs to nothing else.
        return Ok(unsafe { File::from_raw_fd(fd as RawFd) });
    }
    match Errno::last() {
        Errno::ENOSYS => {
            let f = openat(home.as_raw_fd(), &c, flags)?;
            let real = std::fs::read_link(format!("/proc/self/fd/{}", f.as_raw_fd()))
                .map_err(|_| Errno::EXDEV)?;
            if real.starts_with(home_path) {
                Ok(f)
            } else {
                Err(Errno::EXDEV)
            }
        }
        e => Err(e),
    }
}

fn openat(dir: RawFd, path: &CString, flags: i32) -> Result<File, Errno> {
    // SAFETY: openat reads the NUL-terminated path; the result is a new fd or -1.
    let fd = unsafe { libc::openat(dir, path.as_ptr(), flags) };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the fd was just opened and belongs to nothing else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

/// The HTTP status for a failed open.
pub fn open_status(e: Errno) -> u16 {
    match e {
        Errno::ENOENT | Errno::ENOTDIR | Errno::ENAMETOOLONG => 404,
        Errno::EXDEV | Errno::ELOOP | Errno::EACCES | Errno::EPERM => 403,
        Errno::EMFILE | Errno::ENFILE => 503,
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confines_symlinks() {
        let dir = std::env::temp_dir().join(format!("rbox-httpd-fsys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home/sub")).unwrap();
        std::fs::write(dir.join("secret"), b"s").unwrap();
        std::fs::write(dir.join("home/sub/f"), b"f").unwrap();
        std::os::unix::fs::symlink("../secret", dir.join("home/out")).unwrap();
        std::os::unix::fs::symlink("sub/f", dir.join("home/in")).unwrap();
        let home_path = dir.join("home").canonicalize().unwrap();
        let home: OwnedFd = File::open(&home_path).unwrap().into();
        assert!(open_beneath(&home, &home_path, b"in", false).is_ok());
        assert!(open_beneath(&home, &home_path, b"sub/f", false).is_ok());
        assert_eq!(
            open_beneath(&home, &home_path, b"out", false).err(),
            Some(Errno::EXDEV)
        );
        assert_eq!(
            open_beneath(&home, &home_path, b"../secret", false).err(),
            Some(Errno::EXDEV)
        );
        assert!(open_beneath(&home, &home_path, b"out", true).is_ok());
        assert_eq!(
            open_beneath(&home, &home_path, b"nope", false).err(),
            Some(Errno::ENOENT)
        );
        assert_eq!(open_status(Errno::EXDEV), 403);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
