//! `su`: run a shell (or `-c CMD`) as another user, root by default. Root switches
//! without a password; anyone else gives the target's. `-`/`-l` makes a login (a clean
//! environment, the home directory, `-sh` as argv[0]); otherwise the environment is
//! kept with HOME, SHELL, USER and LOGNAME set (all kept with `-p`).

use super::session::{self, Account};
use super::util::{self, b, t};
use crate::prelude::*;

/// The `su` applet.
pub const APPLET: Applet = Applet::new("su", main, Run::Exec)
    .usage("[-] [-l] [-c CMD] [-s SHELL] [-p] [USER [ARG]...]")
    .help(
        "Run a shell as USER (root by default).\n\n\
         -, -l, --login\tA login shell: clean environment, home directory\n\
         -c, --command CMD\tRun CMD with the shell's -c\n\
         -s, --shell SHELL\tRun SHELL instead of the user's shell\n\
         -p, -m, --preserve-environment\tKeep the whole environment",
    );

const LONGS: &[&str] = &["login", "command", "shell", "preserve-environment"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut login, mut command, mut shell_opt, mut preserve) = (false, None, None, false);
    let mut operands = Vec::new();
    let mut p = ctx.opts(LONGS);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Short('l') | Arg::Long("login") => login = true,
            Arg::Short('c') | Arg::Long("command") => command = Some(p.value()?),
            Arg::Short('s') | Arg::Long("shell") => shell_opt = Some(p.value()?),
            Arg::Short('p' | 'm') | Arg::Long("preserve-environment") => preserve = true,
            Arg::Value(v) if v == b"-" && operands.is_empty() => login = true,
            Arg::Value(v) => operands.push(v),
            other => return Err(p.unexpected(&other)),
        }
    }
    let mut operands = operands.into_iter();
    let name = operands.next().unwrap_or_else(|| b("root"));
    let extra: Vec<Vec<u8>> = operands.collect();
    let acct = Account::find(&name).ok_or_else(|| session::unknown_user(&name))?;
    let caller_root = util::is_root();
    if !caller_root {
        let password = session::ask(ctx, "Password: ")?;
        if !acct.password_ok(&password) {
            return Err(Error::msg("Authentication failure"));
        }
    }
    let shell = match shell_opt {
        Some(s) if caller_root || session::shell_allowed(&acct.shell) => s,
        Some(s) => {
            ctx.note(format!("using restricted shell {}", t(&acct.shell)).as_bytes());
            let _ = s;
            acct.shell.clone()
        }
        None => acct.shell.clone(),
    };
    let env = if login {
        session::login_env(ctx, &acct, &shell)
    } else {
        let mut env = crate::applets::proc::command::env_of(ctx);
        if !preserve {
            session::set_user_env(&mut env, &acct, &shell);
        }
        env
    };
    acct.switch_ids()?;
    if login && !session::enter_home(&acct.home) {
        ctx.note(
            format!(
                "warning: cannot change directory to {}: No such file or directory",
                t(&acct.home)
            )
            .as_bytes(),
        );
    }
    let mut argv = vec![session::shell_argv0(&shell, login)];
    if let Some(c) = command {
        argv.push(b("-c"));
        argv.push(c);
    }
    argv.extend(extra);
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    Err(session::exec_shell(&shell, &argv, &env))
}
