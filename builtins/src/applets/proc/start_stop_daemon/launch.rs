//! Starting the daemon: in this process (exec), or detached (`--background`: fork,
//! setsid, fork, stdio on /dev/null), after the pid file, nice level, umask, chroot,
//! working directory and identity Debian's start-stop-daemon sets up, in its order.

use std::ffi::CString;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};

use nix::unistd::{ForkResult, Gid, Uid};

/// Who to run as (`--chuid`, `--group`).
#[derive(Clone, Debug, Default)]
pub struct Identity {
    /// User id and the groups to hold (primary first); `None` keeps this process's.
    pub uid: Option<u32>,
    /// Group id to switch to.
    pub gid: Option<u32>,
    /// Supplementary groups (the user's, from /etc/group).
    pub groups: Vec<u32>,
    /// The user's home directory, for `HOME`.
    pub home: Option<Vec<u8>>,
}

/// Everything the started process gets.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The program to exec (`--startas`, else `--exec`).
    pub path: Vec<u8>,
    /// Its arguments after argv[0].
    pub args: Vec<Vec<u8>>,
    /// Its environment.
    pub env: Vec<(Vec<u8>, Vec<u8>)>,
    /// Detach first.
    pub background: bool,
    /// Write this pid file with the daemon's id.
    pub make_pidfile: Option<Vec<u8>>,
    /// Added to the nice value.
    pub nice: Option<i32>,
    /// The umask to set.
    pub umask: Option<u32>,
    /// Root directory.
    pub chroot: Option<Vec<u8>>,
    /// Working directory (`/` unless given).
    pub chdir: Option<Vec<u8>>,
    /// The identity to take.
    pub identity: Identity,
}

/// A failure to start: Debian's words for the step (`unable to chdir() to /x`) and the
/// system's reason.
#[derive(Debug)]
pub struct Failure {
    /// What was being done.
    pub what: String,
    /// errno.
    pub errno: i32,
}

/// Runs the plan in this process (never returns on success) or, with `background`,
/// in a detached grandchild; returns once that one has exec'd.
pub fn start(plan: &Plan) -> Result<(), Failure> {
    if !plan.background {
        return Err(setup_and_exec(plan));
    }
    let (read_end, write_end) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| Failure {
            what: "unable to create a pipe".into(),
            errno: e as i32,
        })?;
    // SAFETY: the applet runs single-threaded (start-stop-daemon is an Exec applet), so
    // the child may do anything before it execs or exits.
    match unsafe { nix::unistd::fork() } {
        Err(e) => Err(Failure {
            what: "unable to fork".into(),
            errno: e as i32,
        }),
        Ok(ForkResult::Child) => {
            drop(read_end);
            detach_child(plan, write_end)
        }
        Ok(ForkResult::Parent { child }) => {
            drop(write_end);
            let _ = nix::sys::wait::waitpid(child, None);
            report(read_end)
        }
    }
}

/// The parent's side: EOF on the pipe means the daemon exec'd; a message means it
/// could not.
fn report(read_end: OwnedFd) -> Result<(), Failure> {
    let mut file = std::fs::File::from(read_end);
    let mut data = Vec::new();
    let _ = file.read_to_end(&mut data);
    if data.len() < 4 {
        return Ok(());
    }
    let errno = i32::from_ne_bytes([data[0], data[1], data[2], data[3]]);
    Err(Failure {
        what: String::from_utf8_lossy(&data[4..]).into_owned(),
        errno,
    })
}

/// The first child: a new session, then the daemon in a second child so it is not a
/// session leader; this one exits at once.
fn detach_child(plan: &Plan, pipe: OwnedFd) -> ! {
    let _ = nix::unistd::setsid();
    // SAFETY: still single-threaded; see `start`.
    match unsafe { nix::unistd::fork() } {
        Ok(ForkResult::Parent { .. }) => exit(0),
        Err(e) => send_failure(&pipe, "unable to fork", e as i32),
        Ok(ForkResult::Child) => {
            if let Err(e) = null_stdio() {
                send_failure(&pipe, "unable to open '/dev/null'", e);
            }
            let f = setup_and_exec(plan);
            send_failure(&pipe, &f.what, f.errno)
        }
    }
}

fn send_failure(pipe: &OwnedFd, what: &str, errno: i32) -> ! {
    let mut msg = errno.to_ne_bytes().to_vec();
    msg.extend_from_slice(what.as_bytes());
    let mut f = std::fs::File::from(pipe.try_clone().unwrap_or_else(|_| exit(2)));
    let _ = f.write_all(&msg);
    exit(2)
}

fn exit(status: i32) -> ! {
    // SAFETY: _exit ends the process at once, running no destructors of the copied state.
    unsafe { libc::_exit(status) }
}

/// Standard input, output and error on /dev/null.
fn null_stdio() -> Result<(), i32> {
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))?;
    for fd in 0..3 {
        // SAFETY: dup2 onto the standard fds; `null` stays open until the end.
        if unsafe { libc::dup2(null.as_raw_fd(), fd) } < 0 {
            return Err(nix::errno::Errno::last_raw());
        }
    }
    Ok(())
}

/// Sets the process up and execs the program; returns only the failure.
fn setup_and_exec(plan: &Plan) -> Failure {
    let fail = |what: String, e: nix::errno::Errno| Failure {
        what,
        errno: e as i32,
    };
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if let Some(n) = plan.nice {
        nix::errno::Errno::clear();
        // SAFETY: nice(2) changes only this process's priority.
        if unsafe { libc::nice(n) } == -1 && nix::errno::Errno::last_raw() != 0 {
            return fail(
                "unable to alter nice level".into(),
                nix::errno::Errno::last(),
            );
        }
    }
    if let Some(mask) = plan.umask {
        nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(mask));
    }
    if let Some(pidfile) = &plan.make_pidfile {
        let text = format!("{}\n", std::process::id());
        if let Err(e) = write_pidfile(pidfile, text.as_bytes()) {
            return Failure {
                what: format!("unable to open pidfile '{}' for writing", show(pidfile)),
                errno: e.raw_os_error().unwrap_or(libc::EIO),
            };
        }
    }
    if let Some(root) = &plan.chroot
        && let Err(e) = nix::unistd::chroot(root.as_slice())
    {
        return fail(format!("unable to chroot() to {}", show(root)), e);
    }
    let dir = plan.chdir.as_deref().unwrap_or(b"/");
    // This is the daemon's own process (an Exec applet, about to exec), never a shell.
    #[allow(clippy::disallowed_methods)]
    let moved = nix::unistd::chdir(dir);
    if let Err(e) = moved {
        return fail(format!("unable to chdir() to {}", show(dir)), e);
    }
    let id = &plan.identity;
    if let Some(gid) = id.gid {
        if let Err(e) = nix::unistd::setgid(Gid::from_raw(gid)) {
            return fail(format!("unable to set gid to {gid}"), e);
        }
        if id.uid.is_some() {
            let groups: Vec<Gid> = id.groups.iter().map(|&g| Gid::from_raw(g)).collect();
            if let Err(e) = nix::unistd::setgroups(&groups) {
                return fail("unable to set initgroups".into(), e);
            }
        }
    }
    if let Some(uid) = id.uid
        && let Err(e) = nix::unistd::setuid(Uid::from_raw(uid))
    {
        return fail(format!("unable to set uid to {uid}"), e);
    }
    let cstr = |b: &[u8]| CString::new(b.to_vec()).ok();
    let mut env = plan.env.clone();
    if let Some(home) = &id.home {
        env.retain(|(k, _)| k != b"HOME");
        env.push((b"HOME".to_vec(), home.clone()));
    }
    let envp: Option<Vec<CString>> = env
        .iter()
        .map(|(k, v)| cstr(&[k.as_slice(), b"=", v.as_slice()].concat()))
        .collect();
    let argv: Option<Vec<CString>> = std::iter::once(&plan.path)
        .chain(&plan.args)
        .map(|a| cstr(a))
        .collect();
    let (Some(envp), Some(argv), Some(path)) = (envp, argv, cstr(&plan.path)) else {
        return fail(
            format!("unable to start {}", show(&plan.path)),
            nix::errno::Errno::EINVAL,
        );
    };
    let Err(e) = nix::unistd::execve(&path, &argv, &envp);
    fail(format!("unable to start {}", show(&plan.path)), e)
}

/// Writes a pid file through a temporary file and a rename, so a reader never sees it
/// half-written.
fn write_pidfile(path: &[u8], text: &[u8]) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
