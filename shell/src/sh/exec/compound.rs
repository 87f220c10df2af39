//! Compound commands: `{ }`, `( )`, if, while, until, for, case and `[[ ]]`, with the
//! redirections written after them.

use rbox_parser::syntax::{CaseTerm, CompoundCommand, CompoundKind, List};

use super::process::{self, Forked};
use super::redirect::{self, Fail, Saved};
use super::run_list;
use crate::sh::expand;
use crate::sh::state::{Ctl, R, Shell};

/// Runs a compound command.
pub fn run(sh: &mut Shell, c: &CompoundCommand, tail: bool) -> R {
    sh.lineno = c.line;
    if c.redirects.is_empty() {
        return body(sh, &c.kind, tail);
    }
    let mut saved = Saved::default();
    match redirect::apply(sh, &c.redirects, Some(&mut saved)) {
        Ok(()) => {}
        Err(Fail::Failed) => {
            saved.restore();
            // The compound command itself failed: `set -e` applies (bash 5.2).
            if sh.opts.errexit && sh.errexit_off == 0 {
                return Err(Ctl::Exit(1));
            }
            return Ok(1);
        }
        Err(Fail::Jump(j)) => {
            saved.restore();
            return Err(j);
        }
    }
    let r = body(sh, &c.kind, false);
    saved.restore();
    r
}

fn cond(sh: &mut Shell, l: &List) -> R {
    sh.errexit_off += 1;
    let r = run_list(sh, l, false);
    sh.errexit_off -= 1;
    r
}

/// What a loop body's jump means for the loop.
enum Next {
    Go,
    Stop,
}

fn loop_jump(r: R, st: &mut u8) -> Result<Next, Ctl> {
    match r {
        Ok(s) => {
            *st = s;
            Ok(Next::Go)
        }
        Err(Ctl::Break(n)) if n > 1 => Err(Ctl::Break(n - 1)),
        Err(Ctl::Break(_)) => Ok(Next::Stop),
        Err(Ctl::Continue(n)) if n > 1 => Err(Ctl::Continue(n - 1)),
        Err(Ctl::Continue(_)) => Ok(Next::Go),
        Err(other) => Err(other),
    }
}

fn body(sh: &mut Shell, kind: &CompoundKind, tail: bool) -> R {
    match kind {
        CompoundKind::Brace(l) => run_list(sh, l, tail),
        CompoundKind::Subshell(l) => {
            if sh.subshell && tail && sh.traps[0].is_none() {
                return run_list(sh, l, true);
            }
            match process::fork(sh)? {
                Forked::Child => {
                    crate::sh::signals::sigpipe_default();
                    process::run_in_child(sh, |sh| run_list(sh, l, true))
                }
                Forked::Parent(pid) => Ok(process::wait_pid(sh, pid)),
            }
        }
        CompoundKind::If {
            branches,
            else_body,
        } => {
            for (c, b) in branches {
                if cond(sh, c)? == 0 {
                    return run_list(sh, b, tail);
                }
            }
            match else_body {
                Some(b) => run_list(sh, b, tail),
                None => Ok(0),
            }
        }
        CompoundKind::While { cond: c, body: b } | CompoundKind::Until { cond: c, body: b } => {
            let until = matches!(kind, CompoundKind::Until { .. });
            let mut st = 0;
            sh.loop_depth += 1;
            let r = (|| {
                loop {
                    let cs = match cond(sh, c) {
                        Ok(s) => s,
                        Err(Ctl::Break(n)) if n > 1 => return Err(Ctl::Break(n - 1)),
                        Err(Ctl::Break(_)) => break,
                        Err(Ctl::Continue(n)) if n > 1 => return Err(Ctl::Continue(n - 1)),
                        Err(Ctl::Continue(_)) => continue,
                        Err(e) => return Err(e),
                    };
                    if (cs == 0) == until {
                        break;
                    }
                    match loop_jump(run_list(sh, b, false), &mut st)? {
                        Next::Go => {}
                        Next::Stop => break,
                    }
                }
                Ok(st)
            })();
            sh.loop_depth -= 1;
            r
        }
        CompoundKind::For {
            var,
            words,
            body: b,
        } => {
            let items = match words {
                Some(ws) => expand::fields(sh, ws)?,
                None => sh.positional.clone(),
            };
            let mut st = 0;
            sh.loop_depth += 1;
            let r = (|| {
                for it in items {
                    sh.assign_or_fail(var, it)?;
                    match loop_jump(run_list(sh, b, false), &mut st)? {
                        Next::Go => {}
                        Next::Stop => break,
                    }
                }
                Ok(st)
            })();
            sh.loop_depth -= 1;
            r
        }
        CompoundKind::Case { word, arms } => {
            let w = expand::string(sh, word)?;
            let mut i = 0;
            let mut st = 0;
            let mut fall = false;
            while i < arms.len() {
                let arm = &arms[i];
                let mut hit = fall;
                if !hit {
                    for p in &arm.patterns {
                        if expand::word_pattern(sh, p)?.matches(&w) {
                            hit = true;
                            break;
                        }
                    }
                }
                if hit {
                    let last = i + 1 == arms.len();
                    st = run_list(sh, &arm.body, tail && last && arm.term == CaseTerm::Break)?;
                    match arm.term {
                        CaseTerm::Break => return Ok(st),
                        CaseTerm::FallThrough => fall = true,
                        CaseTerm::Continue => fall = false,
                    }
                }
                i += 1;
            }
            Ok(st)
        }
        CompoundKind::Test(e) => {
            if sh.opts.xtrace {
                let mut line = crate::sh::exec::simple::ps4(sh);
                line.extend_from_slice(b"[[ ... ]]\n");
                let _ = rbox_builtins::common::fdio::write_all(2, &line);
            }
            Ok(u8::from(!expand::cond::eval(sh, e)?))
        }
        CompoundKind::Arith(w) => {
            let text = expand::string(sh, w)?;
            if sh.opts.xtrace {
                let mut line = crate::sh::exec::simple::ps4(sh);
                line.extend_from_slice(b"(( ");
                line.extend_from_slice(text.trim_ascii());
                line.extend_from_slice(b" ))\n");
                let _ = rbox_builtins::common::fdio::write_all(2, &line);
            }
            match expand::arith::try_eval(sh, &text) {
                Ok(v) => Ok(u8::from(v == 0)),
                Err(e) => {
                    sh.error(format!("arithmetic expression: {}", e.message()).as_bytes());
                    Ok(1)
                }
            }
        }
    }
}
