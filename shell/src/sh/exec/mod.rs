//! Running the tree: lists, and-or lists, pipelines and the dispatch to simple and
//! compound commands. `tail` marks a command after which this process has nothing left to
//! do (the last command of a subshell or `sh -c`): an external command there is exec'd
//! without a fork.

pub mod cmdsub;
pub mod compound;
pub mod process;
pub mod redirect;
pub mod simple;

use std::rc::Rc;

use rbox_parser::syntax::{AndOr, AndOrOp, Command, List, Pipeline, Program};

use super::signals;
use super::state::{Ctl, R, Shell};

/// Runs every complete command of a program.
pub fn run_program(sh: &mut Shell, p: &Program, tail: bool) -> R {
    let mut st = 0;
    let n = p.commands.len();
    for (i, c) in p.commands.iter().enumerate() {
        st = run_list(sh, c, tail && i + 1 == n)?;
    }
    Ok(st)
}

/// Runs a list: each and-or list in turn, `&` ones in the background.
pub fn run_list(sh: &mut Shell, list: &List, tail: bool) -> R {
    let mut st = sh.status;
    let n = list.items.len();
    if n == 0 {
        return Ok(0);
    }
    for (i, item) in list.items.iter().enumerate() {
        if sh.opts.noexec && !sh.opts.interactive {
            break;
        }
        if item.is_async {
            st = process::run_async(sh, &item.and_or)?;
        } else {
            st = run_and_or(sh, &item.and_or, tail && i + 1 == n)?;
        }
        if signals::any_pending() {
            signals::run_traps(sh)?;
        }
    }
    Ok(st)
}

/// Runs `a && b || c`, with `set -e` ignored for all but the last pipeline.
pub fn run_and_or(sh: &mut Shell, ao: &AndOr, tail: bool) -> R {
    if ao.rest.is_empty() {
        return run_pipeline_checked(sh, &ao.first, tail);
    }
    sh.errexit_off += 1;
    let r = run_pipeline(sh, &ao.first, false);
    sh.errexit_off -= 1;
    let mut st = r?;
    let n = ao.rest.len();
    for (k, (op, p)) in ao.rest.iter().enumerate() {
        let go = match op {
            AndOrOp::And => st == 0,
            AndOrOp::Or => st != 0,
        };
        if !go {
            continue;
        }
        if k + 1 == n {
            st = run_pipeline_checked(sh, p, tail)?;
        } else {
            sh.errexit_off += 1;
            let r = run_pipeline(sh, p, false);
            sh.errexit_off -= 1;
            st = r?;
        }
    }
    Ok(st)
}

/// Runs a pipeline, then applies `set -e`.
fn run_pipeline_checked(sh: &mut Shell, p: &Pipeline, tail: bool) -> R {
    let st = run_pipeline(sh, p, tail)?;
    if st != 0 && sh.opts.errexit && sh.errexit_off == 0 && !p.bang && !exempt_compound(p) {
        return Err(Ctl::Exit(st));
    }
    Ok(st)
}

/// A lone compound command (other than a subshell) failed only because of a command
/// that `set -e` ignored, or its own commands would have exited already (POSIX 2.8.1).
fn exempt_compound(p: &Pipeline) -> bool {
    use rbox_parser::syntax::CompoundKind;
    match p.commands.as_slice() {
        [Command::Compound(c)] => !matches!(
            c.kind,
            CompoundKind::Subshell(_) | CompoundKind::Test(_) | CompoundKind::Arith(_)
        ),
        _ => false,
    }
}

/// Runs a pipeline and sets `$?`.
pub fn run_pipeline(sh: &mut Shell, p: &Pipeline, tail: bool) -> R {
    sh.step()?;
    let st = if p.commands.len() == 1 {
        let st = if p.bang {
            sh.errexit_off += 1;
            let r = run_command(sh, &p.commands[0], false);
            sh.errexit_off -= 1;
            r?
        } else {
            run_command(sh, &p.commands[0], tail)?
        };
        // `${PIPESTATUS[@]}`: bash sets it for simple commands, not compound ones.
        if let Command::Simple(_) = p.commands[0] {
            sh.pipestatus.clear();
            sh.pipestatus.push(st);
        }
        st
    } else {
        process::run_pipeline_stages(sh, p)?
    };
    let st = if p.bang { u8::from(st == 0) } else { st };
    sh.status = st;
    Ok(st)
}

/// Runs one command of a pipeline in this process.
pub fn run_command(sh: &mut Shell, c: &Command, tail: bool) -> R {
    match c {
        Command::Simple(s) => simple::run(sh, s, tail),
        Command::Compound(c) => compound::run(sh, c, tail),
        Command::FunctionDef(f) => {
            sh.functions
                .insert(f.name.clone(), Rc::new((*f.body).clone()));
            Ok(0)
        }
    }
}

/// The status a jump leaves behind when it ends a process or a trap.
pub fn status_of(r: R) -> u8 {
    match r {
        Ok(s) => s,
        Err(Ctl::Exit(s) | Ctl::Error(s) | Ctl::Return(s)) => s,
        Err(Ctl::Break(_) | Ctl::Continue(_)) => 0,
    }
}
