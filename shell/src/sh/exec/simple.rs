//! Simple commands (XCU 2.9.1): expansion, assignments, redirections, then the lookup
//! special builtins, functions, shell builtins, applets, PATH — and the run itself:
//! in the shell process, in a fork without exec, or fork and exec.

use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use rbox_builtins::common::shquote;
use rbox_builtins::{Applet, Ctx, Env, Input, Output, Run};
use rbox_parser::syntax::{CompoundCommand, Program, Redirect, SimpleCommand, WordPart};

use super::process::{self, Forked};
use super::redirect::{self, Fail, Saved};
use crate::sh::builtins;
use crate::sh::expand;
use crate::sh::state::{Ctl, R, Shell};
use crate::sh::vars::Vars;

/// How deep functions may call each other before the shell refuses.
const MAX_FUNC_DEPTH: u32 = 1000;

/// Runs a simple command.
pub fn run(sh: &mut Shell, cmd: &SimpleCommand, tail: bool) -> R {
    sh.lineno = cmd.line;
    sh.cmdsub_status = None;
    let fields = expand::command_fields(sh, &cmd.words)?;
    if fields.is_empty() {
        if !cmd.redirects.is_empty() {
            // Redirections come before the assignments' expansions (XCU 2.9.1; dash).
            return with_redirs(sh, &cmd.redirects, false, |sh| assign_only(sh, cmd));
        }
        return assign_only(sh, cmd);
    }
    let mut assigns = Vec::with_capacity(cmd.assigns.len());
    // Array assignments before a command are made for good (bash keeps them too).
    let complex = cmd.assigns.iter().any(expand::assign::is_complex);
    if complex {
        for a in cmd.assigns.iter().filter(|a| expand::assign::is_complex(a)) {
            expand::assign::assign(sh, a)?;
        }
    }
    if cmd.assigns.len() == 1 && !complex {
        let v = expand::string(sh, &cmd.assigns[0].value)?;
        assigns.push((cmd.assigns[0].name.clone(), v));
    } else if !cmd.assigns.is_empty() {
        // Later values see earlier ones, as in dash and bash.
        let mut saved = Vec::new();
        let mut r = Ok(());
        for a in cmd
            .assigns
            .iter()
            .filter(|a| !expand::assign::is_complex(a))
        {
            match expand::string(sh, &a.value) {
                Ok(v) => {
                    saved.push((a.name.clone(), sh.vars.save(&a.name)));
                    let _ = sh.vars.set(&a.name, v.clone(), false);
                    assigns.push((a.name.clone(), v));
                }
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
        }
        for (n, old) in saved.into_iter().rev() {
            sh.vars.restore(&n, old);
        }
        r?;
    }
    if sh.opts.xtrace {
        trace(sh, &assigns, &fields);
    }
    let r = dispatch(sh, &fields, assigns, &cmd.redirects, tail, false);
    if let Some(last) = fields.last() {
        sh.last_arg.clear();
        sh.last_arg.extend_from_slice(last);
    }
    r
}

/// A command of assignments only: each is expanded and made before the next
/// (`a=1 b=$a`); the status is that of the last command substitution.
fn assign_only(sh: &mut Shell, cmd: &SimpleCommand) -> R {
    // `$_` is empty after an assignment (bash).
    sh.last_arg.clear();
    for a in &cmd.assigns {
        if expand::assign::is_complex(a) {
            expand::assign::assign(sh, a)?;
            continue;
        }
        let v = expand::string(sh, &a.value)?;
        if sh.opts.xtrace {
            trace(sh, &[(a.name.clone(), v.clone())], &[]);
        }
        sh.assign_or_fail(&a.name, v)?;
    }
    Ok(sh.cmdsub_status.unwrap_or(0))
}

/// The lookup and run of an expanded command. `no_functions` is `command`'s lookup.
pub fn dispatch(
    sh: &mut Shell,
    fields: &[Vec<u8>],
    assigns: Vec<(Vec<u8>, Vec<u8>)>,
    redirs: &[Redirect],
    tail: bool,
    no_functions: bool,
) -> R {
    let name = fields[0].as_slice();
    if sh.sandbox.is_some() {
        sh.step()?;
        if name.contains(&b'/')
            || matches!(name, b"exec" | b"kill" | b"ulimit" | b"." | b"source")
            || (builtins::special(name).is_none()
                && builtins::regular(name).is_none()
                && !sh.functions.contains_key(name))
        {
            return with_redirs(sh, redirs, false, |sh| {
                sh.error2(name, "not found");
                Ok(127)
            });
        }
    }
    if !name.contains(&b'/') {
        if let Some(b) = builtins::special(name) {
            if name == b"exec" {
                return builtins::exec::run(sh, fields, assigns, redirs);
            }
            if no_functions {
                // `command` takes away the special properties.
                return with_temps(sh, assigns, |sh| {
                    with_redirs(sh, redirs, false, |sh| match b(sh, fields) {
                        Err(Ctl::Error(s)) => Ok(s),
                        other => other,
                    })
                });
            }
            for (n, v) in assigns {
                sh.assign_or_fail(&n, v)?;
            }
            return with_redirs(sh, redirs, true, |sh| b(sh, fields));
        }
        if !no_functions && let Some(f) = sh.functions.get(name).cloned() {
            return with_temps_frame(sh, assigns, |sh| {
                with_redirs(sh, redirs, false, |sh| call_function(sh, &f, fields))
            });
        }
        if let Some(b) = builtins::regular(name) {
            return with_temps(sh, assigns, |sh| {
                with_redirs(sh, redirs, false, |sh| b(sh, fields))
            });
        }
        if let Some(a) = crate::applets::find(name) {
            return run_applet(sh, a, fields, &assigns, redirs, tail);
        }
    }
    external(sh, fields, &assigns, redirs, tail)
}

/// Runs `f` with `redirs` applied and then undone. A failed redirection fails the command
/// (status 1), or exits the shell for a special builtin.
pub fn with_redirs(
    sh: &mut Shell,
    redirs: &[Redirect],
    special: bool,
    f: impl FnOnce(&mut Shell) -> R,
) -> R {
    if redirs.is_empty() {
        return f(sh);
    }
    let mut saved = Saved::default();
    match redirect::apply(sh, redirs, Some(&mut saved)) {
        Ok(()) => {}
        Err(Fail::Failed) => {
            saved.restore();
            return if special { Err(sh.fatal(1)) } else { Ok(1) };
        }
        Err(Fail::Jump(j)) => {
            saved.restore();
            return Err(j);
        }
    }
    let r = f(sh);
    saved.restore();
    r
}

/// Runs `f` with the assignments in effect (exported), then puts the variables back.
fn with_temps(
    sh: &mut Shell,
    assigns: Vec<(Vec<u8>, Vec<u8>)>,
    f: impl FnOnce(&mut Shell) -> R,
) -> R {
    if assigns.is_empty() {
        return f(sh);
    }
    let mut saved = Vec::with_capacity(assigns.len());
    for (n, v) in assigns {
        saved.push((n.clone(), sh.vars.save(&n)));
        if sh.vars.set(&n, v, true).is_err() {
            sh.error2(&n, "is read only");
            for (n, old) in saved.into_iter().rev() {
                sh.vars.restore(&n, old);
            }
            return Err(sh.fatal(2));
        }
        if n == b"PATH" {
            sh.hash.clear();
        }
    }
    let r = f(sh);
    for (n, old) in saved.into_iter().rev() {
        if n == b"PATH" {
            sh.hash.clear();
        }
        sh.vars.restore(&n, old);
    }
    r
}

/// [`with_temps`] for a function call: the assignments form a scope of their own, so an
/// `unset` in the function shows the value they hid (bash).
fn with_temps_frame(
    sh: &mut Shell,
    assigns: Vec<(Vec<u8>, Vec<u8>)>,
    f: impl FnOnce(&mut Shell) -> R,
) -> R {
    if assigns.is_empty() {
        return f(sh);
    }
    let mut saved: Vec<(Vec<u8>, Option<crate::sh::vars::Var>)> = Vec::with_capacity(assigns.len());
    for (n, v) in assigns {
        let old = sh.vars.save(&n);
        if sh.vars.set(&n, v, true).is_err() {
            sh.error2(&n, "is read only");
            for (n, old) in saved.into_iter().rev() {
                sh.vars.restore(&n, old);
            }
            return Err(sh.fatal(2));
        }
        if n == b"PATH" {
            sh.hash.clear();
        }
        saved.push((n, old));
    }
    let path = saved.iter().any(|(n, _)| n == b"PATH");
    sh.vars.push_frame(saved);
    let r = f(sh);
    sh.vars.pop_scope();
    if path {
        sh.hash.clear();
    }
    r
}

/// Calls a function with `fields[1..]` as its positional parameters.
pub fn call_function(sh: &mut Shell, body: &Rc<CompoundCommand>, fields: &[Vec<u8>]) -> R {
    if sh.func_depth >= MAX_FUNC_DEPTH || sh.stack_exhausted() {
        sh.error2(&fields[0], "function nesting too deep");
        return Err(sh.fatal(2));
    }
    let saved_pos = std::mem::replace(&mut sh.positional, fields[1..].to_vec());
    let saved_loop = std::mem::replace(&mut sh.loop_depth, 0);
    sh.func_depth += 1;
    sh.vars.push_scope();
    let r = super::compound::run(sh, body, false);
    sh.vars.pop_scope();
    sh.func_depth -= 1;
    sh.loop_depth = saved_loop;
    sh.positional = saved_pos;
    match r {
        Err(Ctl::Return(s)) => Ok(s),
        Err(Ctl::Break(_) | Ctl::Continue(_)) => Ok(sh.status),
        other => other,
    }
}

/// The environment an applet sees: the shell's exported variables and the command's
/// assignments.
pub struct ShellEnv<'a> {
    /// The shell's variables.
    pub vars: &'a Vars,
    /// The command's assignment prefixes.
    pub extra: &'a [(Vec<u8>, Vec<u8>)],
}

impl Env for ShellEnv<'_> {
    fn get(&self, name: &[u8]) -> Option<&[u8]> {
        if let Some((_, v)) = self.extra.iter().rev().find(|(n, _)| n == name) {
            return Some(v);
        }
        match self.vars.var(name) {
            Some(v) if v.exported => v.value.as_deref(),
            _ => None,
        }
    }

    fn vars(&self) -> Vec<(&[u8], &[u8])> {
        let mut out: Vec<(&[u8], &[u8])> = self
            .vars
            .environ()
            .into_iter()
            .filter(|(k, _)| !self.extra.iter().any(|(n, _)| n == k))
            .collect();
        for (k, v) in self.extra {
            out.push((k, v));
        }
        out
    }
}

/// Runs an applet in this process on fds 0/1/2 (or `out` in memory).
pub fn inproc(
    sh: &mut Shell,
    applet: &'static Applet,
    fields: &[Vec<u8>],
    assigns: &[(Vec<u8>, Vec<u8>)],
    out: Option<&mut Vec<u8>>,
) -> u8 {
    let env = ShellEnv {
        vars: &sh.vars,
        extra: assigns,
    };
    let spawner = crate::spawn::ProcessSpawner;
    let intr = crate::sh::signals::interrupted;
    let stdout = match out {
        Some(v) => Output::mem(v),
        None => Output::fd(1),
    };
    let mut ctx = Ctx {
        applet,
        args: &fields[1..],
        stdin: Input::fd(0),
        stdout,
        stderr: Output::fd_unbuffered(2),
        env: &env,
        spawn: &spawner,
        intr: &intr,
        status: 0,
    };
    let applet = ctx.applet;
    crate::standalone::running(applet, || {
        catch_unwind(AssertUnwindSafe(|| rbox_builtins::run::run(&mut ctx)))
    })
    .unwrap_or(crate::standalone::INTERNAL_ERROR)
}

fn can_exec_in_place(sh: &Shell, tail: bool) -> bool {
    tail && sh.subshell && sh.traps.iter().all(|t| t.is_none())
}

fn run_applet(
    sh: &mut Shell,
    a: &'static Applet,
    fields: &[Vec<u8>],
    assigns: &[(Vec<u8>, Vec<u8>)],
    redirs: &[Redirect],
    tail: bool,
) -> R {
    if a.run == Run::InProc {
        return with_redirs(sh, redirs, false, |sh| {
            Ok(inproc(sh, a, fields, assigns, None))
        });
    }
    if can_exec_in_place(sh, tail) {
        if let Err(e) = redirect::apply(sh, redirs, None) {
            return match e {
                Fail::Failed => Ok(1),
                Fail::Jump(j) => Err(j),
            };
        }
        return Ok(applet_in_child(sh, a, fields, assigns));
    }
    match process::fork(sh)? {
        Forked::Child => {
            crate::sh::signals::sigpipe_default();
            process::run_in_child(sh, |sh| {
                if let Err(e) = redirect::apply(sh, redirs, None) {
                    return match e {
                        Fail::Failed => Ok(1),
                        Fail::Jump(j) => Err(j),
                    };
                }
                Ok(applet_in_child(sh, a, fields, assigns))
            })
        }
        Forked::Parent(pid) => Ok(process::wait_pid(sh, pid)),
    }
}

/// In a child that will exit afterwards: a Fork applet runs here, an Exec applet
/// re-executes rbox.
fn applet_in_child(
    sh: &mut Shell,
    a: &'static Applet,
    fields: &[Vec<u8>],
    assigns: &[(Vec<u8>, Vec<u8>)],
) -> u8 {
    crate::sh::signals::exec_defaults(sh);
    if a.run == Run::Exec {
        let envp = process::build_envp(sh, assigns);
        let mut argv = fields.to_vec();
        argv[0] = a.name.as_bytes().to_vec();
        crate::sh::self_exec(&argv, &envp);
    }
    if let Ok(c) = CString::new(a.name) {
        // SAFETY: PR_SET_NAME with a valid C string (truncated to 15 bytes by the kernel).
        unsafe { libc::prctl(libc::PR_SET_NAME, c.as_ptr() as libc::c_ulong, 0, 0, 0) };
    }
    inproc(sh, a, fields, assigns, None)
}

fn external(
    sh: &mut Shell,
    fields: &[Vec<u8>],
    assigns: &[(Vec<u8>, Vec<u8>)],
    redirs: &[Redirect],
    tail: bool,
) -> R {
    let name = &fields[0];
    let path = if name.contains(&b'/') {
        Some(name.clone())
    } else if let Some((_, p)) = assigns.iter().find(|(n, _)| n == b"PATH") {
        // `PATH=dir cmd` looks cmd up in dir (dash, bash), past the hash table.
        process::search_path(p, name)
    } else {
        process::find_in_path(sh, name)
    };
    let Some(path) = path else {
        return with_redirs(sh, redirs, false, |sh| {
            sh.error2(name, "not found");
            Ok(127)
        });
    };
    let envp = process::build_envp(sh, assigns);
    if can_exec_in_place(sh, tail) {
        if let Err(e) = redirect::apply(sh, redirs, None) {
            return match e {
                Fail::Failed => Ok(1),
                Fail::Jump(j) => Err(j),
            };
        }
        let st = process::exec_file(sh, &path, fields, &envp);
        if st == 127 {
            sh.hash.remove(name);
        }
        return Ok(st);
    }
    match process::fork(sh)? {
        Forked::Child => process::run_in_child(sh, |sh| {
            if let Err(e) = redirect::apply(sh, redirs, None) {
                return match e {
                    Fail::Failed => Ok(1),
                    Fail::Jump(j) => Err(j),
                };
            }
            Ok(process::exec_file(sh, &path, fields, &envp))
        }),
        Forked::Parent(pid) => {
            let st = process::wait_pid(sh, pid);
            if st == 127 {
                sh.hash.remove(name);
            }
            Ok(st)
        }
    }
}

/// `$(applet args)` for an in-process applet: run here with the output in memory.
pub fn try_inproc_capture(sh: &mut Shell, program: &Program) -> Result<Option<Vec<u8>>, Ctl> {
    let Some(s) = super::cmdsub::single_simple(program) else {
        return Ok(None);
    };
    if !s.redirects.is_empty() || !s.assigns.is_empty() || sh.opts.xtrace {
        return Ok(None);
    }
    let Some(first) = s.words.first().and_then(|w| w.as_literal()) else {
        return Ok(None);
    };
    if builtins::special(first).is_some()
        || builtins::regular(first).is_some()
        || sh.functions.contains_key(first)
    {
        return Ok(None);
    }
    let Some(a) = crate::applets::find(first) else {
        return Ok(None);
    };
    // A fork-only applet that may capture regular files here: its words must not hold a
    // command substitution, as they are expanded again if an operand is not a file.
    let files_only = a.run == Run::Fork
        && a.captures_files_in_process
        && s.words.iter().all(|w| !has_cmdsub(&w.parts));
    if !(a.run == Run::InProc || files_only) || !s.words.iter().all(|w| safe_parts(&w.parts)) {
        return Ok(None);
    }
    let line = sh.lineno;
    let fields = match expand::fields(sh, &s.words) {
        Ok(f) => f,
        Err(Ctl::Exit(st) | Ctl::Error(st)) => {
            // The subshell would have exited; the shell goes on.
            sh.cmdsub_status = Some(st);
            return Ok(Some(Vec::new()));
        }
        Err(e) => return Err(e),
    };
    sh.lineno = line;
    if a.run != Run::InProc && !operands_are_files(fields.get(1..).unwrap_or_default()) {
        return Ok(None);
    }
    let mut out = Vec::new();
    let st = inproc(sh, a, &fields, &[], Some(&mut out));
    sh.cmdsub_status = Some(st);
    Ok(Some(out))
}

/// Whether a word holds a command substitution anywhere.
fn has_cmdsub(parts: &[WordPart]) -> bool {
    parts.iter().any(|p| match p {
        WordPart::CommandSub { .. } => true,
        WordPart::DoubleQuoted(inner) => has_cmdsub(inner),
        // Only `$x`, `${x}` and `${#x}` are known to hold none; other operators carry
        // words of their own.
        WordPart::Param(pe) => !matches!(
            pe.op,
            rbox_parser::syntax::ParamOp::Plain | rbox_parser::syntax::ParamOp::Length
        ),
        WordPart::Arith(_) => true,
        _ => false,
    })
}

/// Whether these arguments are options and at least one operand, every operand an
/// existing regular file (so reading them cannot block on a terminal, pipe or FIFO).
fn operands_are_files(args: &[Vec<u8>]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let mut operands = 0;
    let mut options = true;
    for a in args {
        if options && a.len() > 1 && a[0] == b'-' {
            if a == b"--" {
                options = false;
            }
            continue;
        }
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(a));
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            return false;
        }
        operands += 1;
    }
    operands > 0
}

/// Whether expanding these parts in the shell process has no side effect a subshell
/// would have kept to itself (assignments, `${x?}` exits).
fn safe_parts(parts: &[WordPart]) -> bool {
    use rbox_parser::syntax::ParamOp;
    parts.iter().all(|p| match p {
        WordPart::DoubleQuoted(inner) => safe_parts(inner),
        WordPart::Arith(_) => false,
        // Subscripts may assign (`${a[i=1]}`); `$BASHPID` is the child's.
        WordPart::Param(pe)
            if pe.indirect
                || matches!(
                    &pe.param,
                    rbox_parser::syntax::Param::Index(_, rbox_parser::syntax::Subscript::Expr(_))
                )
                || matches!(&pe.param, rbox_parser::syntax::Param::Named(n) if n == b"BASHPID") =>
        {
            false
        }
        WordPart::Param(pe) => match &pe.op {
            ParamOp::Assign { .. } | ParamOp::Error { .. } => false,
            ParamOp::Default { word, .. } | ParamOp::Alternative { word, .. } => {
                safe_parts(&word.parts)
            }
            ParamOp::Substring { .. } => false,
            _ => true,
        },
        _ => true,
    })
}

/// `$PS4`, expanded (nothing when it is unset, as in bash).
pub fn ps4(sh: &mut Shell) -> Vec<u8> {
    let raw = sh.vars.get(b"PS4").unwrap_or_default().to_vec();
    if !raw.contains(&b'$') && !raw.contains(&b'`') {
        return raw;
    }
    crate::sh::prompt_expand(sh, &raw)
}

/// Writes the `set -x` line for a command: `$PS4`, then each assignment and word quoted
/// so that it reads back as one word on one line (`$'...'` for quotes, backslashes and
/// control characters, as printf's `%q`).
fn trace(sh: &mut Shell, assigns: &[(Vec<u8>, Vec<u8>)], fields: &[Vec<u8>]) {
    let mut line = ps4(sh);
    let mut first = true;
    for (n, v) in assigns {
        if !first {
            line.push(b' ');
        }
        first = false;
        line.extend_from_slice(n);
        line.push(b'=');
        shquote::quote_into(&mut line, v);
    }
    for f in fields {
        if !first {
            line.push(b' ');
        }
        first = false;
        shquote::quote_into(&mut line, f);
    }
    line.push(b'\n');
    let _ = rbox_builtins::common::fdio::write_all(2, &line);
}
