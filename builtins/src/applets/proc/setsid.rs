//! `setsid`: run a command in a new session.

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid};

use super::command;
use crate::prelude::*;

/// The `setsid` applet.
pub const APPLET: Applet = Applet::new("setsid", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-cfw] COMMAND [ARG]...")
    .help(
        "Run COMMAND in a new session (forking first when this process leads a group).\n\n\
         -c\tMake the current terminal the controlling terminal\n\
         -f\tAlways fork\n\
         -w\tWait for COMMAND and exit with its status",
    );

const LONGS: &[&str] = &["ctty", "fork", "wait"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut ctty, mut always_fork, mut wait) = (false, false, false);
    let mut argv = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') | Arg::Long("ctty") => ctty = true,
            Arg::Short('f') | Arg::Long("fork") => always_fork = true,
            Arg::Short('w') | Arg::Long("wait") => wait = true,
            Arg::Value(v) => {
                argv.push(v);
                argv.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    if argv.is_empty() {
        return Err(Error::usage("no command specified"));
    }
    let leader = nix::unistd::getpgrp() == nix::unistd::getpid();
    if leader || always_fork {
        ctx.stdout.flush()?;
        ctx.stderr.flush()?;
        // SAFETY: rbox is single-threaded here; the child leaves through _exit.
        match unsafe { nix::unistd::fork() }
            .map_err(|e| Error::msg(format!("fork failed: {}", e.desc())))?
        {
            ForkResult::Parent { child } if wait => return wait_for(child),
            ForkResult::Parent { .. } => return Ok(()),
            ForkResult::Child => {
                let status = match in_new_session(ctx, &argv, ctty) {
                    Ok(()) => 0,
                    Err(e) => {
                        if !e.message.is_empty() {
                            let mut line = b"setsid: ".to_vec();
                            line.extend_from_slice(&e.message);
                            line.push(b'\n');
                            let _ = ctx.stderr.write_all(&line);
                            let _ = ctx.stderr.flush();
                        }
                        e.status.unwrap_or(1)
                    }
                };
                // SAFETY: ends the forked child at once, skipping the parent's state.
                unsafe { libc::_exit(status as i32) }
            }
        }
    }
    in_new_session(ctx, &argv, ctty)
}

/// Starts a session (and takes the terminal with `-c`), then runs the command.
fn in_new_session(ctx: &mut Ctx<'_>, argv: &[Vec<u8>], ctty: bool) -> Result<(), Error> {
    nix::unistd::setsid().map_err(|e| Error::msg(format!("setsid failed: {}", e.desc())))?;
    if ctty {
        // SAFETY: TIOCSCTTY takes an int argument and touches no memory of ours.
        if unsafe { libc::ioctl(0, libc::TIOCSCTTY, 1) } != 0 {
            let e = std::io::Error::last_os_error();
            return Err(Error::io(b"failed to set the controlling terminal", &e));
        }
    }
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    let e = command::exec(ctx, argv);
    let mut subject = b"failed to execute ".to_vec();
    subject.extend_from_slice(&argv[0]);
    let status = if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    };
    Err(Error::io(&subject, &e).with_status(status))
}

/// Waits for the forked child and takes its status.
fn wait_for(child: Pid) -> Result<(), Error> {
    loop {
        match waitpid(child, None) {
            Ok(WaitStatus::Exited(_, 0)) => return Ok(()),
            Ok(WaitStatus::Exited(_, n)) => return Err(Error::silent(n as u8)),
            Ok(WaitStatus::Signaled(_, sig, _)) => return Err(Error::silent(128 + sig as u8)),
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(Error::msg(format!("wait failed: {}", e.desc()))),
        }
    }
}
