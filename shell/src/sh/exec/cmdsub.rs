//! `$(...)` and backquotes: the commands run in a forked child writing into a pipe; the
//! output, less its trailing newlines, is the result. A lone in-process applet
//! (`$(basename "$f")`) runs in the shell with its output in memory: no fork, no pipe.

use rbox_parser::syntax::{Command, Program};

use super::process::{self, Forked};
use crate::sh::state::{Ctl, Shell};

/// Runs `program` and captures its standard output.
pub fn capture(sh: &mut Shell, program: &Program) -> Result<Vec<u8>, Ctl> {
    if let Some(out) = read_file_sub(sh, program)? {
        return Ok(strip(out));
    }
    if let Some(out) = super::simple::try_inproc_capture(sh, program)? {
        return Ok(strip(out));
    }
    let mut fds = [-1; 2];
    // SAFETY: pipe2 fills the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        let e = std::io::Error::last_os_error();
        sh.error2(b"pipe", &rbox_builtins::error::strerror(&e));
        return Err(Ctl::Exit(2));
    }
    match process::fork(sh)? {
        Forked::Child => {
            crate::sh::signals::sigpipe_default();
            process::close(fds[0]);
            process::dup_to(fds[1], 1);
            process::run_in_child(sh, |sh| super::run_program(sh, program, true));
        }
        Forked::Parent(pid) => {
            process::close(fds[1]);
            let mut out = Vec::new();
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match rbox_builtins::common::fdio::read(fds[0], &mut buf) {
                    Ok(0) => break,
                    Ok(n) => out.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            process::close(fds[0]);
            let st = process::wait_pid(sh, pid);
            sh.cmdsub_status = Some(st);
            Ok(strip(out))
        }
    }
}

fn strip(mut out: Vec<u8>) -> Vec<u8> {
    while out.last() == Some(&b'\n') {
        out.pop();
    }
    out
}

/// Whether `program` is a single simple command (for the in-process fast path).
pub fn single_simple(program: &Program) -> Option<&rbox_parser::syntax::SimpleCommand> {
    let [list] = program.commands.as_slice() else {
        return None;
    };
    let [item] = list.items.as_slice() else {
        return None;
    };
    if item.is_async || !item.and_or.rest.is_empty() {
        return None;
    }
    let p = &item.and_or.first;
    if p.bang {
        return None;
    }
    match p.commands.as_slice() {
        [Command::Simple(s)] => Some(s),
        _ => None,
    }
}

/// `$(< file)` (bash, ksh, mksh, busybox): the contents of the file, without a process.
fn read_file_sub(sh: &mut Shell, program: &Program) -> Result<Option<Vec<u8>>, Ctl> {
    use rbox_parser::syntax::{RedirKind, RedirTarget};
    let Some(s) = single_simple(program) else {
        return Ok(None);
    };
    let [r] = s.redirects.as_slice() else {
        return Ok(None);
    };
    if !s.words.is_empty() || !s.assigns.is_empty() || r.kind != RedirKind::Input {
        return Ok(None);
    }
    if r.fd.is_some_and(|f| f != 0) {
        return Ok(None);
    }
    let RedirTarget::Word(w) = &r.target else {
        return Ok(None);
    };
    let name = crate::sh::expand::string(sh, w)?;
    use std::os::unix::ffi::OsStrExt;
    let path = if sh.sandbox.is_some() {
        std::path::Path::new("/dev/null")
    } else {
        std::path::Path::new(std::ffi::OsStr::from_bytes(&name))
    };
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) => {
            sh.error2(
                &[b"cannot open ", name.as_slice()].concat(),
                &rbox_builtins::error::strerror(&e),
            );
            sh.cmdsub_status = Some(1);
            Ok(Some(Vec::new()))
        }
    }
}
