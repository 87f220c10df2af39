//! Raw reads and writes on file descriptors the caller owns, retried on `EINTR`.
//!
//! Applets never use `std::io::stdout()` (its buffer survives across fork, ANCHORS.md 2.2
//! item 4); the context's `Input` and `Output` sit on these instead.

use std::io;
use std::os::fd::RawFd;

/// Reads up to `buf.len()` bytes from `fd`, retrying when interrupted by a signal.
pub fn read(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: `buf` is a valid writable region of `buf.len()` bytes for the whole call;
        // an invalid `fd` only makes the call fail with EBADF.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Writes all of `buf` to `fd`, retrying short writes and `EINTR`.
pub fn write_all(fd: RawFd, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        // SAFETY: `buf` is a valid readable region of `buf.len()` bytes for the whole call;
        // an invalid `fd` only makes the call fail with EBADF.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if n == 0 {
            return Err(io::Error::from(io::ErrorKind::WriteZero));
        }
        buf = buf.get(n as usize..).unwrap_or_default();
    }
    Ok(())
}

/// Whether `fd` refers to a terminal.
pub fn isatty(fd: RawFd) -> bool {
    // SAFETY: isatty only inspects the descriptor number; any value is allowed.
    unsafe { libc::isatty(fd) == 1 }
}

/// Moves `fd`'s offset by `delta` from the current position; fails on pipes and ttys.
pub fn seek_relative(fd: RawFd, delta: i64) -> io::Result<()> {
    // SAFETY: lseek only takes integers; an unseekable or invalid fd makes it fail.
    let r = unsafe { libc::lseek(fd, delta, libc::SEEK_CUR) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    #[test]
    fn write_then_read_through_a_file() {
        let path = std::env::temp_dir().join(format!("rbox-fdio-{}", std::process::id()));
        let f = std::fs::File::create(&path).unwrap();
        write_all(f.as_raw_fd(), b"hello").unwrap();
        drop(f);
        let f = std::fs::File::open(&path).unwrap();
        let mut buf = [0u8; 16];
        let n = read(f.as_raw_fd(), &mut buf).unwrap();
        assert_eq!(&buf[..n], b"hello");
        seek_relative(f.as_raw_fd(), -2).unwrap();
        let n = read(f.as_raw_fd(), &mut buf).unwrap();
        assert_eq!(&buf[..n], b"lo");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn bad_fd_is_an_error_not_a_crash() {
        assert!(write_all(-1, b"x").is_err());
        assert!(read(-1, &mut [0u8; 1]).is_err());
        assert!(!isatty(-1));
    }
}
