//! `exec [command [args]]`: without a command the redirections stay; with one it replaces
//! the shell (an applet re-executes rbox under its name).

use rbox_builtins::Run;
use rbox_parser::syntax::Redirect;

use crate::sh::exec::process;
use crate::sh::exec::redirect::{self, Fail};
use crate::sh::state::{Ctl, R, Shell};

/// `exec`.
pub fn run(
    sh: &mut Shell,
    fields: &[Vec<u8>],
    assigns: Vec<(Vec<u8>, Vec<u8>)>,
    redirs: &[Redirect],
) -> R {
    let mut args = &fields[1..];
    if args.first().is_some_and(|a| a == b"--") {
        args = &args[1..];
    }
    if args.is_empty() {
        for (n, v) in assigns {
            sh.assign_or_fail(&n, v)?;
        }
        return match redirect::apply(sh, redirs, None) {
            Ok(()) => Ok(0),
            Err(Fail::Failed) => Err(sh.fatal(1)),
            Err(Fail::Jump(j)) => Err(j),
        };
    }
    match redirect::apply(sh, redirs, None) {
        Ok(()) => {}
        Err(Fail::Failed) => return Err(sh.fatal(1)),
        Err(Fail::Jump(j)) => return Err(j),
    }
    let name = &args[0];
    let envp = process::build_envp(sh, &assigns);
    if !name.contains(&b'/')
        && let Some(a) = crate::applets::find(name)
    {
        crate::sh::signals::exec_defaults(sh);
        let mut argv = args.to_vec();
        argv[0] = a.name.as_bytes().to_vec();
        crate::sh::self_exec(&argv, &envp);
        if a.run != Run::Exec {
            let st = crate::sh::exec::simple::inproc(sh, a, args, &assigns, None);
            return Err(Ctl::Exit(st));
        }
    }
    let path = if name.contains(&b'/') {
        Some(name.clone())
    } else {
        process::find_in_path(sh, name)
    };
    let Some(path) = path else {
        sh.error2(name, "not found");
        return Err(Ctl::Exit(127));
    };
    let st = process::exec_file(sh, &path, args, &envp);
    Err(Ctl::Exit(st))
}
