//! `login`: ask for a user name (`HOST login: `) and password (`Password: `, no echo) on the
//! terminal, check them against passwd/shadow (three tries), then start the user's
//! shell as a login (`-sh`): groups and ids switched, the terminal given to the user,
//! HOME SHELL USER LOGNAME PATH set (TERM kept; everything with `-p`), the home entered.
//! `-f USER` (root only) skips the password.

use std::os::fd::{AsFd, BorrowedFd};

use super::session::{self, Account};
use super::util::{self, t};
use crate::prelude::*;

/// The `login` applet.
pub const APPLET: Applet = Applet::new("login", main, Run::Exec)
    .usage("[-p] [-h HOST] [[-f] USER]")
    .help(
        "Begin a new session on the system\n\n\
         -f\tDon't authenticate (user already authenticated)\n\
         -h HOST\tHost user came from (for network logins)\n\
         -p\tPreserve environment",
    );

/// How many user name / password rounds before giving up.
const TRIES: u32 = 3;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut preauth, mut preserve, mut user) = (false, false, None);
    let mut p = ctx.opts(&[]);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Short('f') => preauth = true,
            Arg::Short('p') => preserve = true,
            Arg::Short('h') => {
                p.value()?;
            }
            Arg::Value(v) if user.is_none() => user = Some(v),
            other => return Err(p.unexpected(&other)),
        }
    }
    if !nix::unistd::geteuid().is_root() {
        return Err(Error::msg("Cannot possibly work without effective root"));
    }
    if preauth && (user.is_none() || !util::is_root()) {
        return Err(Error::msg("-f is for root, with a USER"));
    }
    // SAFETY: fd 0 outlives this function (it is the process's standard input).
    let tty = unsafe { BorrowedFd::borrow_raw(0) };
    let mut acct = None;
    for round in 0..TRIES {
        let name = match user.take() {
            Some(u) => u,
            None => {
                ctx.stdout.write_all(&prompt())?;
                ctx.stdout.flush()?;
                match util::read_line(ctx)? {
                    Some(n) if !n.is_empty() => n,
                    Some(_) => continue,
                    None => return Err(Error::silent(1)),
                }
            }
        };
        let found = Account::find(&name);
        if preauth {
            acct = found;
            if acct.is_none() {
                return Err(session::unknown_user(&name));
            }
            break;
        }
        let password = if crate::common::fdio::isatty(0) {
            util::read_noecho(tty.as_fd(), "Password: ").map_err(|e| Error::io(b"tty", &e))?
        } else {
            ctx.stdout.write_all(b"Password: ")?;
            ctx.stdout.flush()?;
            util::read_line(ctx)?
        }
        .unwrap_or_default();
        match found {
            Some(a) if a.password_ok(&password) => {
                acct = Some(a);
                break;
            }
            _ => {
                std::thread::sleep(std::time::Duration::from_secs(1));
                ctx.stdout.write_all(b"Login incorrect\n")?;
                ctx.stdout.flush()?;
                if round + 1 == TRIES {
                    return Err(Error::silent(1));
                }
            }
        }
    }
    let Some(acct) = acct else {
        return Err(Error::silent(1));
    };
    if crate::common::fdio::isatty(0) {
        // SAFETY: fchown/fchmod on the standard input fd.
        unsafe {
            libc::fchown(0, acct.uid, u32::MAX);
            libc::fchmod(0, 0o600);
        }
    }
    let env = if preserve {
        let mut env = crate::applets::proc::command::env_of(ctx);
        session::set_user_env(&mut env, &acct, &acct.shell);
        env
    } else {
        session::login_env(ctx, &acct, &acct.shell)
    };
    acct.switch_ids()?;
    if !session::enter_home(&acct.home) {
        session::enter_root_dir();
        ctx.stdout.write_all(b"Logging in with home = \"/\".\n")?;
    }
    ctx.stdout.flush()?;
    let argv = vec![session::shell_argv0(&acct.shell, true)];
    let _ = t;
    Err(session::exec_shell(&acct.shell, &argv, &env))
}

/// `HOST login: ` with the host name cut at its first dot, as BusyBox and util-linux
/// prompt; a plain `login: ` when the name is empty.
fn prompt() -> Vec<u8> {
    let node = nix::sys::utsname::uname()
        .map(|u| u.nodename().as_encoded_bytes().to_vec())
        .unwrap_or_default();
    let short = node.split(|&c| c == b'.').next().unwrap_or_default();
    let mut p = short.to_vec();
    if !p.is_empty() {
        p.push(b' ');
    }
    p.extend_from_slice(b"login: ");
    p
}
