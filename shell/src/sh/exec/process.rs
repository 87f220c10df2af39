//! Processes: fork into a subshell, wait, pipelines, background lists, and `execve` of
//! external commands (PATH search, `hash`, ENOEXEC scripts).

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rbox_parser::syntax::{AndOr, Command, Pipeline};

use super::{run_and_or, run_command, status_of};
use crate::sh::signals;
use crate::sh::state::{Ctl, R, Shell, Trap};

/// Which side of a fork we are on.
pub enum Forked {
    /// The new process.
    Child,
    /// The shell, with the child's pid.
    Parent(i32),
}

/// The pid of a sandbox "child": no process has it (the kernel's limit is far lower).
pub const SANDBOX_PID: i32 = i32::MAX;

/// Forks a subshell. The child resets caught signals, forgets the jobs and traps of its
/// parent (ignored signals stay ignored) and is marked as a subshell.
pub fn fork(sh: &mut Shell) -> Result<Forked, Ctl> {
    if sh.sandbox.is_some() {
        // No process: the "child" did nothing and waiting for it fails (ECHILD).
        return Ok(Forked::Parent(SANDBOX_PID));
    }
    let group = crate::sh::jobs::before_fork(sh);
    // SAFETY: the shell is single-threaded, so the child may allocate and run Rust code;
    // the child never returns into code that would finish the parent's work: it leaves
    // through `child_exit`.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        let e = std::io::Error::last_os_error();
        sh.error2(b"fork", &rbox_builtins::error::strerror(&e));
        return Err(Ctl::Exit(2));
    }
    if pid == 0 {
        if let Some(g) = group {
            crate::sh::jobs::in_child(sh, g);
        }
        sh.subshell = true;
        for (sig, t) in sh.traps.iter_mut().enumerate() {
            if matches!(t, Some(Trap::Command(_))) {
                *t = None;
                if sig > 0 {
                    signals::set_default(sig as i32);
                }
            }
        }
        signals::child_defaults(sh);
        return Ok(Forked::Child);
    }
    if let Some(g) = group {
        crate::sh::jobs::in_parent(sh, pid, g);
    }
    Ok(Forked::Parent(pid))
}

/// Runs `f` in a child and leaves the process with its status (running the child's
/// EXIT trap first). A panic is reported and becomes status 70.
pub fn run_in_child(sh: &mut Shell, f: impl FnOnce(&mut Shell) -> R) -> ! {
    let r = catch_unwind(AssertUnwindSafe(|| f(sh)));
    let st = match r {
        Ok(r) => status_of(r),
        Err(_) => 70,
    };
    child_exit(sh, st)
}

/// Leaves a child process: EXIT trap, then `_exit`.
pub fn child_exit(sh: &mut Shell, st: u8) -> ! {
    let st = crate::sh::run_exit_trap(sh, st);
    // SAFETY: _exit ends the process at once without running the parent's destructors or
    // atexit handlers, which must not run twice; the shell's output is unbuffered.
    unsafe { libc::_exit(i32::from(st)) }
}

/// Converts a wait status to a shell status (128+N for a signal).
pub fn decode(status: i32) -> u8 {
    if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status) as u8
    } else if libc::WIFSIGNALED(status) {
        128u8.wrapping_add(libc::WTERMSIG(status) as u8)
    } else {
        0
    }
}

/// Waits for `pid` and returns its status. Background jobs reaped meanwhile are noted.
pub fn wait_pid(sh: &mut Shell, pid: i32) -> u8 {
    if crate::sh::jobs::active(sh) {
        return crate::sh::jobs::wait_foreground(sh, &[pid])[0];
    }
    loop {
        let mut status = 0;
        // SAFETY: waitpid with a valid out pointer.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        if r == pid {
            return decode(status);
        }
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            let _ = sh;
            return 127;
        }
    }
}

/// Collects finished background jobs without blocking.
pub fn reap_jobs(sh: &mut Shell) {
    let sub = sh.subshell;
    let flags = if crate::sh::jobs::active(sh) {
        libc::WNOHANG | libc::WUNTRACED | libc::WCONTINUED
    } else {
        libc::WNOHANG
    };
    for job in &mut sh.jobs {
        if job.status.is_some() {
            continue;
        }
        let mut last = None;
        let mut all_done = true;
        for &p in &job.pids {
            let mut status = 0;
            // SAFETY: waitpid with a valid out pointer.
            let r = unsafe { libc::waitpid(p, &mut status, flags) };
            if r == p && (libc::WIFSTOPPED(status) || libc::WIFCONTINUED(status)) {
                // A notice only when the job's state changes (each stage of a stopped
                // pipeline reports its own stop).
                let stopped = libc::WIFSTOPPED(status);
                if job.stopped != stopped {
                    job.stopped = stopped;
                    job.notified = false;
                }
                all_done = false;
            } else if r == p {
                if p == job.pid {
                    last = Some(decode(status));
                    job.last_status = last;
                }
            } else if r == 0 || sub {
                // Running, or a subshell's copy of its parent's job (not our child).
                all_done = false;
            }
        }
        if all_done {
            job.status = Some(last.or(job.last_status).unwrap_or(0));
            job.stopped = false;
        }
    }
}

/// Runs a multi-stage pipeline: one child per stage, connected by pipes.
pub fn run_pipeline_stages(sh: &mut Shell, p: &Pipeline) -> R {
    let n = p.commands.len();
    let mut pids = Vec::with_capacity(n);
    let grouping = crate::sh::jobs::active(sh);
    if grouping {
        sh.jc.pipeline_pgid = Some(0);
    }
    let mut prev: Option<i32> = None;
    for (i, cmd) in p.commands.iter().enumerate() {
        let last = i + 1 == n;
        let mut fds = [-1, -1];
        if !last {
            // SAFETY: pipe2 writes two fds into the array.
            if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
                let e = std::io::Error::last_os_error();
                sh.error2(b"pipe", &rbox_builtins::error::strerror(&e));
                break;
            }
        }
        if last && sh.opts.shopt != 0 && sh.opts.shopt_on("lastpipe") && !sh.opts.monitor {
            return last_in_shell(sh, cmd, prev, &pids);
        }
        match fork(sh)? {
            Forked::Child => {
                signals::sigpipe_default();
                if let Some(r) = prev {
                    dup_to(r, 0);
                }
                if !last {
                    close(fds[0]);
                    dup_to(fds[1], 1);
                }
                run_in_child(sh, |sh| run_command(sh, cmd, true));
            }
            Forked::Parent(pid) => {
                if let Some(r) = prev.take() {
                    close(r);
                }
                if !last {
                    close(fds[1]);
                    prev = Some(fds[0]);
                }
                pids.push(pid);
            }
        }
    }
    if let Some(r) = prev {
        close(r);
    }
    let mut st = 0;
    let mut fail = 0;
    sh.pipestatus.clear();
    if grouping {
        sh.jc.pipeline_pgid = None;
        for s in crate::sh::jobs::wait_foreground(sh, &pids) {
            sh.pipestatus.push(s);
            st = s;
            if s != 0 {
                fail = s;
            }
        }
        return Ok(if sh.opts.pipefail { fail } else { st });
    }
    for &pid in &pids {
        st = wait_pid(sh, pid);
        sh.pipestatus.push(st);
        if st != 0 {
            fail = st;
        }
    }
    if sh.opts.pipefail {
        st = fail;
    }
    Ok(st)
}

/// `shopt -s lastpipe` (bash): the last stage runs in the shell itself, its stdin the
/// pipe, so its assignments stay; then the other stages are waited for.
fn last_in_shell(sh: &mut Shell, cmd: &Command, prev: Option<i32>, pids: &[i32]) -> R {
    // SAFETY: duplicating fd 0 to a free fd above 10.
    let saved = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 10) };
    if let Some(r) = prev {
        dup_to(r, 0);
    }
    let r = run_command(sh, cmd, false);
    if saved >= 0 {
        dup_to(saved, 0);
    }
    sh.pipestatus.clear();
    let mut fail = 0;
    for &pid in pids {
        let st = wait_pid(sh, pid);
        sh.pipestatus.push(st);
        if st != 0 {
            fail = st;
        }
    }
    let st = r?;
    sh.pipestatus.push(st);
    if st != 0 {
        fail = st;
    }
    Ok(if sh.opts.pipefail { fail } else { st })
}

/// `cmd &`: runs the and-or list in a child; `$!` is its pid.
pub fn run_async(sh: &mut Shell, ao: &AndOr) -> R {
    let job_control = crate::sh::jobs::active(sh);
    sh.jc.background = true;
    let forked = fork(sh);
    sh.jc.background = false;
    match forked? {
        Forked::Child => {
            if !job_control {
                signals::set_ignore(libc::SIGINT);
                signals::set_ignore(libc::SIGQUIT);
                if let Ok(f) = std::fs::File::open("/dev/null") {
                    use std::os::fd::IntoRawFd;
                    dup_to(f.into_raw_fd(), 0);
                }
            }
            signals::sigpipe_default();
            run_in_child(sh, |sh| run_and_or(sh, ao, true));
        }
        Forked::Parent(pid) => {
            sh.last_bg = Some(pid);
            reap_jobs(sh);
            // Finished jobs keep their status for `wait` (POSIX: up to CHILD_MAX of them).
            if sh.jobs.len() >= 1024 {
                sh.jobs.retain(|j| j.status.is_none());
            }
            let text = rbox_parser::syntax::print_list(&rbox_parser::syntax::List {
                items: vec![rbox_parser::syntax::ListItem {
                    and_or: ao.clone(),
                    is_async: false,
                }],
            });
            crate::sh::jobs::add_background(sh, pid, text);
            Ok(0)
        }
    }
}

/// `dup2(from, to)` and close `from` (when they differ).
pub fn dup_to(from: i32, to: i32) {
    if from != to {
        // SAFETY: plain fd syscalls on integers.
        unsafe {
            libc::dup2(from, to);
            libc::close(from);
        }
    }
}

/// Closes an fd, ignoring errors.
pub fn close(fd: i32) {
    // SAFETY: closing an fd we own.
    unsafe {
        libc::close(fd);
    }
}

/// Finds `name` in PATH (through the `hash` table): the path of an executable file.
pub fn find_in_path(sh: &mut Shell, name: &[u8]) -> Option<Vec<u8>> {
    if let Some(p) = sh.hash.get(name) {
        return Some(p.clone());
    }
    let path = sh
        .vars
        .get(b"PATH")
        .unwrap_or(b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .to_vec();
    let found = search_path(&path, name)?;
    sh.hash.insert(name.to_vec(), found.clone());
    Some(found)
}

/// The first executable regular file `DIR/name` over the PATH entries.
pub fn search_path(path: &[u8], name: &[u8]) -> Option<Vec<u8>> {
    for dir in path.split(|&c| c == b':') {
        let mut p = if dir.is_empty() {
            b".".to_vec()
        } else {
            dir.to_vec()
        };
        p.push(b'/');
        p.extend_from_slice(name);
        let os = std::ffi::OsStr::from_bytes(&p);
        if let Ok(m) = std::fs::metadata(os)
            && m.is_file()
            && crate::sh::expand::cond::access(&p, libc::X_OK)
        {
            return Some(p);
        }
    }
    None
}

/// The environment for a child: exported variables, with `extra` overriding.
pub fn build_envp(sh: &Shell, extra: &[(Vec<u8>, Vec<u8>)]) -> Vec<CString> {
    let mut out = Vec::new();
    for (k, v) in sh.vars.environ() {
        if extra.iter().any(|(n, _)| n == k) {
            continue;
        }
        if let Ok(c) = CString::new([k, b"=", v].concat()) {
            out.push(c);
        }
    }
    for (k, v) in extra {
        if let Ok(c) = CString::new([k.as_slice(), b"=", v.as_slice()].concat()) {
            out.push(c);
        }
    }
    out
}

/// Execs `path` with `argv` and `envp` in this (child) process. Only returns on failure,
/// with the status to exit with (the message is printed). A file without a valid
/// executable header is run as a shell script.
pub fn exec_file(sh: &mut Shell, path: &[u8], argv: &[Vec<u8>], envp: &[CString]) -> u8 {
    let Ok(cpath) = CString::new(path) else {
        sh.error2(path, "not found");
        return 127;
    };
    let cargv: Vec<CString> = argv
        .iter()
        .filter_map(|a| CString::new(a.as_slice()).ok())
        .collect();
    signals::exec_defaults(sh);
    let Err(e) = nix::unistd::execve(&cpath, &cargv, envp);
    match e {
        nix::errno::Errno::ENOEXEC => {
            // A script without #!: run it in this (already forked) process.
            let env: Vec<(Vec<u8>, Vec<u8>)> = envp
                .iter()
                .filter_map(|c| {
                    let b = c.as_bytes();
                    let eq = b.iter().position(|&x| x == b'=')?;
                    Some((b[..eq].to_vec(), b[eq + 1..].to_vec()))
                })
                .collect();
            let mut args = vec![path.to_vec()];
            args.extend(argv.iter().skip(1).cloned());
            crate::sh::run_script_fresh(&args, &env)
        }
        nix::errno::Errno::ENOENT => {
            sh.error2(argv.first().map_or(path, |a| a.as_slice()), "not found");
            127
        }
        other => {
            let err = std::io::Error::from(other);
            sh.error2(path, &rbox_builtins::error::strerror(&err));
            126
        }
    }
}
