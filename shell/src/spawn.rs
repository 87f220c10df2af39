//! The command runner spawner applets use (xargs, find -exec, env, timeout ...): an
//! applet runs in a forked child without exec; anything else is searched in `PATH` and
//! executed. The caller waits for it.

use std::ffi::CString;
use std::io;

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use nix::unistd::{ForkResult, fork};
use rbox_builtins::ctx::{Child, PipeDir, PipedChild};
use rbox_builtins::{EnvList, Spawn};

use crate::standalone;

/// Runs commands as child processes of this one.
pub struct ProcessSpawner;

impl Spawn for ProcessSpawner {
    fn run(&self, argv: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> io::Result<u8> {
        self.start(argv, env, None)?.wait()
    }

    fn start(
        &self,
        argv: &[Vec<u8>],
        env: &[(Vec<u8>, Vec<u8>)],
        cwd: Option<BorrowedFd<'_>>,
    ) -> io::Result<Child> {
        let Some(name) = argv.first() else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty command"));
        };
        let applet = if name.contains(&b'/') {
            None
        } else {
            crate::applets::find(name)
        };
        // Everything the child needs is prepared before fork.
        let env_list = EnvList(env.to_vec());
        let exec = match applet {
            Some(_) => None,
            None => Some(ExecPlan::new(argv, env)?),
        };
        // SAFETY: rbox is single-threaded wherever it spawns, so the child may allocate;
        // the child never returns into the caller's stack: it leaves through _exit.
        match unsafe { fork() }.map_err(io::Error::from)? {
            ForkResult::Child => {
                // SAFETY: fchdir only changes this fresh child's working directory.
                let moved = cwd.is_none_or(|fd| unsafe { libc::fchdir(fd.as_raw_fd()) } == 0);
                let status = match (applet, &exec) {
                    _ if !moved => {
                        let e = io::Error::last_os_error();
                        let reason = rbox_builtins::error::strerror(&e);
                        eprintln!("rbox: cannot change directory: {reason}");
                        127
                    }
                    (Some(a), _) => {
                        standalone::default_sigpipe();
                        standalone::run_with_env(a, argv.get(1..).unwrap_or_default(), &env_list)
                    }
                    (None, Some(plan)) => plan.exec(),
                    (None, None) => 127,
                };
                // SAFETY: _exit ends the child at once, skipping the parent's destructors
                // and atexit handlers, which must not run twice.
                unsafe { libc::_exit(i32::from(status)) }
            }
            ForkResult::Parent { child } => Ok(Child {
                pid: child.as_raw(),
            }),
        }
    }

    fn pipe(
        &self,
        argv: &[Vec<u8>],
        env: &[(Vec<u8>, Vec<u8>)],
        dir: PipeDir,
    ) -> io::Result<PipedChild> {
        let Some(name) = argv.first() else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty command"));
        };
        let applet = if name.contains(&b'/') {
            None
        } else {
            crate::applets::find(name)
        };
        let env_list = EnvList(env.to_vec());
        let exec = match applet {
            Some(_) => None,
            None => Some(ExecPlan::new(argv, env)?),
        };
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: pipe2 fills the array with two new fds.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both fds were just created and are owned by nothing else.
        let (read_end, write_end) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let (mine, theirs, target) = match dir {
            PipeDir::ToChild => (write_end, read_end, 0),
            PipeDir::FromChild => (read_end, write_end, 1),
        };
        // SAFETY: as in `run`: single-threaded, and the child leaves through _exit.
        match unsafe { fork() }.map_err(io::Error::from)? {
            ForkResult::Child => {
                // SAFETY: dup2 onto the standard fd (clearing close-on-exec there); the
                // originals are then closed, the child's end included.
                let ok = unsafe { libc::dup2(theirs.as_raw_fd(), target) } >= 0;
                drop(mine);
                drop(theirs);
                let status = if !ok {
                    127
                } else {
                    match (applet, &exec) {
                        (Some(a), _) => {
                            Self::close_inherited_pipes();
                            standalone::default_sigpipe();
                            standalone::run_with_env(
                                a,
                                argv.get(1..).unwrap_or_default(),
                                &env_list,
                            )
                        }
                        (None, Some(plan)) => plan.exec(),
                        (None, None) => 127,
                    }
                };
                // SAFETY: see `run`.
                unsafe { libc::_exit(i32::from(status)) }
            }
            ForkResult::Parent { child } => {
                drop(theirs);
                Ok(PipedChild {
                    fd: mine,
                    pid: child.as_raw(),
                })
            }
        }
    }
}

impl ProcessSpawner {
    /// In a child that runs an applet without exec: closes the close-on-exec pipes it
    /// inherited, as an exec would. Otherwise a child holding a copy of another child's
    /// pipe keeps that one from seeing end of file (awk's `print | "a"; print | "b"`).
    /// Only pipes: the shell's other close-on-exec fds (its re-exec fd) stay usable.
    fn close_inherited_pipes() {
        for fd in 3..1024 {
            // SAFETY: F_GETFD and fstat only inspect an fd number; closing one that is
            // close-on-exec in this fresh child affects nothing the applet owns.
            unsafe {
                let flags = libc::fcntl(fd, libc::F_GETFD);
                if flags < 0 || flags & libc::FD_CLOEXEC == 0 {
                    continue;
                }
                let mut st: libc::stat = std::mem::zeroed();
                if libc::fstat(fd, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFIFO {
                    libc::close(fd);
                }
            }
        }
    }
}

/// An `execve` prepared before fork: the candidate paths, argv and envp as C strings.
struct ExecPlan {
    name: Vec<u8>,
    paths: Vec<CString>,
    argv: Vec<CString>,
    envp: Vec<CString>,
}

impl ExecPlan {
    fn new(argv: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> io::Result<ExecPlan> {
        let cstr = |b: Vec<u8>| {
            CString::new(b).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL byte"))
        };
        let name = argv.first().cloned().unwrap_or_default();
        let path_var = env
            .iter()
            .find(|(k, _)| k == b"PATH")
            .map(|(_, v)| v.as_slice());
        let paths = candidates(&name, path_var.unwrap_or(b"/usr/sbin:/usr/bin:/sbin:/bin"))
            .into_iter()
            .map(cstr)
            .collect::<io::Result<_>>()?;
        let argv = argv.iter().cloned().map(cstr).collect::<io::Result<_>>()?;
        let envp = env
            .iter()
            .map(|(k, v)| cstr([k.as_slice(), b"=", v.as_slice()].concat()))
            .collect::<io::Result<_>>()?;
        Ok(ExecPlan {
            name,
            paths,
            argv,
            envp,
        })
    }

    /// Tries each candidate; returns only on failure, with 126 or 127 as the shell does.
    fn exec(&self) -> u8 {
        let mut status = 127;
        let mut reason = String::from("not found");
        for path in &self.paths {
            let Err(e) = nix::unistd::execve(path, &self.argv, &self.envp);
            if e != nix::errno::Errno::ENOENT && e != nix::errno::Errno::ENOTDIR {
                status = 126;
                reason = rbox_builtins::error::strerror(&io::Error::from(e));
            }
        }
        let name = String::from_utf8_lossy(&self.name);
        eprintln!("rbox: {name}: {reason}");
        status
    }
}

/// The paths to try for `name`: itself when it has a slash, else each `PATH` entry
/// (an empty entry meaning the current directory).
fn candidates(name: &[u8], path: &[u8]) -> Vec<Vec<u8>> {
    if name.contains(&b'/') {
        return vec![name.to_vec()];
    }
    path.split(|&b| b == b':')
        .map(|dir| {
            let dir = if dir.is_empty() { b".".as_slice() } else { dir };
            [dir, b"/", name].concat()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    fn env() -> Vec<(Vec<u8>, Vec<u8>)> {
        vec![(b"PATH".to_vec(), b"/usr/bin:/bin".to_vec())]
    }

    fn argv(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn runs_applets_and_path_commands_with_their_status() {
        let s = ProcessSpawner;
        assert_eq!(s.run(&argv(&["true"]), &env()).unwrap(), 0);
        assert_eq!(s.run(&argv(&["false"]), &env()).unwrap(), 1);
        assert_eq!(s.run(&argv(&["sh", "-c", "exit 3"]), &env()).unwrap(), 3);
        assert_eq!(
            s.run(&argv(&["sh", "-c", "kill -TERM $$"]), &env())
                .unwrap(),
            128 + 15
        );
    }

    #[test]
    fn starts_in_a_directory() {
        let s = ProcessSpawner;
        let dir = std::fs::File::open("/").unwrap();
        let fd = dir.as_fd();
        let c = s
            .start(
                &argv(&["sh", "-c", "test \"$(pwd)\" = /"]),
                &env(),
                Some(fd),
            )
            .unwrap();
        assert_eq!(c.wait().unwrap(), 0);
        let c = s
            .start(
                &argv(&["/bin/sh", "-c", "test \"$(pwd)\" = /"]),
                &env(),
                Some(fd),
            )
            .unwrap();
        assert_eq!(c.wait().unwrap(), 0);
    }

    #[test]
    fn missing_commands_are_127() {
        let s = ProcessSpawner;
        assert_eq!(
            s.run(&argv(&["rbox-no-such-command"]), &env()).unwrap(),
            127
        );
        assert!(s.run(&[], &env()).is_err());
    }

    #[test]
    fn pipes_to_and_from_children() {
        use std::io::{Read, Write};
        let s = ProcessSpawner;
        // A PATH command writing into the pipe.
        let c = s
            .pipe(
                &argv(&["/bin/sh", "-c", "echo hi; exit 3"]),
                &env(),
                PipeDir::FromChild,
            )
            .unwrap();
        let mut out = String::new();
        std::fs::File::from(c.fd.try_clone().unwrap())
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "hi\n");
        assert_eq!(c.wait().unwrap(), 3);
        // An applet reading the pipe as its standard input, its output to another pipe.
        let dir = std::env::temp_dir().join(format!("rbox-spawn-pipe-{}", std::process::id()));
        let path = dir.to_string_lossy().into_owned();
        let c = s
            .pipe(
                &argv(&["/bin/sh", "-c", &format!("cat > {path}")]),
                &env(),
                PipeDir::ToChild,
            )
            .unwrap();
        let mut f = std::fs::File::from(c.fd.try_clone().unwrap());
        f.write_all(b"data\n").unwrap();
        drop(f);
        assert_eq!(c.wait().unwrap(), 0);
        assert_eq!(std::fs::read(&dir).unwrap(), b"data\n");
        let _ = std::fs::remove_file(&dir);
        let c = s.pipe(&argv(&["true"]), &env(), PipeDir::ToChild).unwrap();
        assert_eq!(c.wait().unwrap(), 0);
        let c = s
            .pipe(&argv(&["rbox-no-such-command"]), &env(), PipeDir::FromChild)
            .unwrap();
        assert_eq!(c.wait().unwrap(), 127);
    }

    #[test]
    fn candidates_follow_path() {
        assert_eq!(
            candidates(b"ls", b"/a::/b"),
            argv(&["/a/ls", "./ls", "/b/ls"])
        );
        assert_eq!(candidates(b"./x", b"/a"), argv(&["./x"]));
    }
}
