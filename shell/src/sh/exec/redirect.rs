//! Redirections on the real fds (ash's model). For commands run in the shell process the
//! displaced fds are saved at 10 and above with close-on-exec and put back afterwards.

use std::ffi::CString;

use rbox_parser::syntax::{HereDocBody, RedirKind, RedirTarget, Redirect};

use crate::sh::expand;
use crate::sh::state::{Ctl, Shell};

/// Saved fds: `(fd, copy)`, `copy == -1` when `fd` was closed before.
#[derive(Debug, Default)]
pub struct Saved(Vec<(i32, i32)>);

impl Saved {
    /// Puts every displaced fd back, in reverse order.
    pub fn restore(self) {
        for (fd, copy) in self.0.into_iter().rev() {
            // SAFETY: fd syscalls on integers we own.
            unsafe {
                if copy >= 0 {
                    libc::dup2(copy, fd);
                    libc::close(copy);
                } else {
                    libc::close(fd);
                }
            }
        }
    }

    fn save(&mut self, fd: i32) {
        if self.0.iter().any(|(f, _)| *f == fd) {
            return;
        }
        // SAFETY: F_DUPFD_CLOEXEC on an fd number; -1 (EBADF) means it was closed.
        let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        self.0.push((fd, copy));
    }
}

/// Why redirections failed.
pub enum Fail {
    /// Reported already; the command fails with status 1.
    Failed,
    /// A fatal expansion error.
    Jump(Ctl),
}

impl From<Ctl> for Fail {
    fn from(c: Ctl) -> Fail {
        Fail::Jump(c)
    }
}

/// Applies `redirs` in order; with `saved`, remembers what they displaced.
pub fn apply(
    sh: &mut Shell,
    redirs: &[Redirect],
    mut saved: Option<&mut Saved>,
) -> Result<(), Fail> {
    for r in redirs {
        let default_fd = match r.kind {
            RedirKind::Output | RedirKind::Clobber | RedirKind::Append | RedirKind::DupOutput => 1,
            _ => 0,
        };
        let fd = r.fd.map_or(default_fd, |f| f as i32);
        if !sh.sandbox_fd_ok(fd) {
            sh.error2(fd.to_string().as_bytes(), "Bad file descriptor");
            return Err(Fail::Failed);
        }
        let src: i32 = match (&r.kind, &r.target) {
            (RedirKind::HereDoc | RedirKind::HereDocStrip, RedirTarget::HereDoc(h)) => {
                let body = match &h.body {
                    HereDocBody::Literal(b) => b.clone(),
                    HereDocBody::Parsed(w) => expand::quoted_string(sh, w)?,
                    HereDocBody::Pending(_) => Vec::new(),
                };
                here_fd(sh, &body)?
            }
            (_, RedirTarget::HereDoc(_)) => continue,
            (RedirKind::HereString, RedirTarget::Word(w)) => {
                let mut body = expand::string(sh, w)?;
                body.push(b'\n');
                here_fd(sh, &body)?
            }
            (RedirKind::DupInput | RedirKind::DupOutput, RedirTarget::Word(w)) => {
                let t = expand::string(sh, w)?;
                if t == b"-" {
                    if let Some(s) = saved.as_deref_mut() {
                        s.save(fd);
                    }
                    // SAFETY: closing an fd number.
                    unsafe { libc::close(fd) };
                    continue;
                }
                // `N>&M-` (bash, ksh): move M to N.
                let (t, moving) = match t.strip_suffix(b"-") {
                    Some(d) if parse_fd(d).is_some() => (d.to_vec(), true),
                    _ => (t, false),
                };
                if let Some(n) = parse_fd(&t) {
                    if n == fd {
                        // `3>&3`: nothing to do, even when 3 is closed (bash).
                        continue;
                    }
                    // SAFETY: F_GETFD only queries the fd.
                    if !sh.sandbox_fd_ok(n) || unsafe { libc::fcntl(n, libc::F_GETFD) } < 0 {
                        sh.error2(&t, "Bad file descriptor");
                        return Err(Fail::Failed);
                    }
                    if n != fd {
                        if let Some(s) = saved.as_deref_mut() {
                            s.save(fd);
                        }
                        // SAFETY: dup2 between fd numbers.
                        unsafe { libc::dup2(n, fd) };
                        if moving {
                            if let Some(s) = saved.as_deref_mut() {
                                s.save(n);
                            }
                            // SAFETY: closing an fd number.
                            unsafe { libc::close(n) };
                        }
                    }
                    continue;
                }
                if r.kind == RedirKind::DupOutput && r.fd.is_none() {
                    // `>&file`: stdout and stderr to the file.
                    both(sh, &t, false, saved.as_deref_mut())?;
                    continue;
                }
                sh.error2(&t, "bad file descriptor number");
                return Err(Fail::Failed);
            }
            (RedirKind::OutputBoth | RedirKind::AppendBoth, RedirTarget::Word(w)) => {
                let name = expand::string(sh, w)?;
                both(
                    sh,
                    &name,
                    r.kind == RedirKind::AppendBoth,
                    saved.as_deref_mut(),
                )?;
                continue;
            }
            (kind, RedirTarget::Word(w)) => {
                let name = expand::string(sh, w)?;
                let (flags, noclobber) = match kind {
                    RedirKind::Input => (libc::O_RDONLY, false),
                    RedirKind::Output => (
                        libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
                        sh.opts.noclobber,
                    ),
                    RedirKind::Clobber => (libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, false),
                    RedirKind::Append => (libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND, false),
                    _ => (libc::O_RDWR | libc::O_CREAT, false),
                };
                open(sh, &name, flags, noclobber)?
            }
        };
        if src == fd {
            // Landed on the target itself (it was closed): make it inheritable.
            // SAFETY: F_SETFD on our own fd.
            unsafe { libc::fcntl(fd, libc::F_SETFD, 0) };
            if let Some(s) = saved.as_deref_mut()
                && !s.0.iter().any(|(f, _)| *f == fd)
            {
                s.0.push((fd, -1));
            }
            continue;
        }
        if let Some(s) = saved.as_deref_mut() {
            s.save(fd);
        }
        // SAFETY: dup2/close on fds we own.
        unsafe {
            libc::dup2(src, fd);
            libc::close(src);
        }
    }
    Ok(())
}

/// `&>name`, `&>>name`, `>&name`: stdout and stderr both to the file.
fn both(sh: &Shell, name: &[u8], append: bool, saved: Option<&mut Saved>) -> Result<(), Fail> {
    if let Some(s) = saved {
        s.save(1);
        s.save(2);
    }
    let f = if append {
        open(
            sh,
            name,
            libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND,
            false,
        )?
    } else {
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC;
        open(sh, name, flags, sh.opts.noclobber)?
    };
    // SAFETY: dup2/close on fds we own.
    unsafe {
        libc::dup2(f, 1);
        libc::dup2(f, 2);
        if f > 2 {
            libc::close(f);
        } else {
            libc::fcntl(f, libc::F_SETFD, 0);
        }
    }
    Ok(())
}

fn parse_fd(t: &[u8]) -> Option<i32> {
    if t.is_empty() || t.len() > 9 || !t.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// Opens a redirection target close-on-exec.
fn open(sh: &Shell, name: &[u8], flags: i32, noclobber: bool) -> Result<i32, Fail> {
    let (name, noclobber) = if sh.sandbox.is_some() {
        (&b"/dev/null"[..], false)
    } else {
        (name, noclobber)
    };
    let Ok(c) = CString::new(name) else {
        sh.error2(name, "bad file name");
        return Err(Fail::Failed);
    };
    let mut flags = flags | libc::O_CLOEXEC;
    if noclobber {
        // Only regular files are protected: /dev/null stays writable.
        use std::os::unix::ffi::OsStrExt;
        match std::fs::metadata(std::ffi::OsStr::from_bytes(name)) {
            Ok(m) if m.is_file() => {
                sh.error2(&[b"cannot create ", name].concat(), "File exists");
                return Err(Fail::Failed);
            }
            Ok(_) => {}
            Err(_) => flags |= libc::O_EXCL,
        }
    }
    // SAFETY: open with a valid C string.
    let fd = unsafe { libc::open(c.as_ptr(), flags, 0o666) };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        let what = if flags & (libc::O_WRONLY | libc::O_RDWR) != 0 {
            "cannot create "
        } else {
            "cannot open "
        };
        sh.error2(
            &[what.as_bytes(), name].concat(),
            &rbox_builtins::error::strerror(&e),
        );
        return Err(Fail::Failed);
    }
    Ok(fd)
}

/// An fd reading `body`: a pipe when it fits in the pipe buffer, else an unlinked
/// memory file.
fn here_fd(sh: &Shell, body: &[u8]) -> Result<i32, Fail> {
    if body.len() <= 60 * 1024 {
        let mut fds = [-1; 2];
        // SAFETY: pipe2 fills the array.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } == 0 {
            let _ = rbox_builtins::common::fdio::write_all(fds[1], body);
            super::process::close(fds[1]);
            return Ok(fds[0]);
        }
    }
    // SAFETY: memfd_create with a static C string name.
    let fd = unsafe { libc::memfd_create(c"rbox-heredoc".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        sh.error2(b"here-document", &rbox_builtins::error::strerror(&e));
        return Err(Fail::Failed);
    }
    let _ = rbox_builtins::common::fdio::write_all(fd, body);
    // SAFETY: lseek on our own fd.
    unsafe { libc::lseek(fd, 0, libc::SEEK_SET) };
    Ok(fd)
}
