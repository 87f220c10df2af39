//! The command runner spawner applets use (xargs, find -exec, env, timeout ...): an
//! applet runs in a forked child without exec; anything else is searched in `PATH` and
//! executed. The caller waits for it.

use std::ffi::CString;
use std::io;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use rbox_builtins::{EnvList, Spawn};

use crate::standalone;

/// Runs commands as child processes of this one.
pub struct ProcessSpawner;

impl Spawn for ProcessSpawner {
    fn run(&self, argv: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> io::Result<u8> {
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
                let status = match (applet, &exec) {
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
            ForkResult::Parent { child } => loop {
                match waitpid(child, None) {
                    Ok(WaitStatus::Exited(_, code)) => return Ok(code as u8),
                    Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(128 + sig as u8),
                    Ok(_) => continue,
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(e) => return Err(e.into()),
                }
            },
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
    fn missing_commands_are_127() {
        let s = ProcessSpawner;
        assert_eq!(
            s.run(&argv(&["rbox-no-such-command"]), &env()).unwrap(),
            127
        );
        assert!(s.run(&[], &env()).is_err());
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
