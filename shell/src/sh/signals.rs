//! Signals: names and numbers, the handler that only records a caught signal, and the
//! trap actions run between commands.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::state::{Ctl, NSIG, Shell, Trap};

static PENDING: [AtomicBool; NSIG] = [const { AtomicBool::new(false) }; NSIG];
static ANY: AtomicBool = AtomicBool::new(false);

/// Signal names without `SIG` by number, and the name of a number (`RTMIN+N` too): the
/// table the process applets use.
pub use rbox_builtins::common::signal::{NAMES, name};

/// The number of a signal given by name (`INT`, `SIGINT`, `int`) or number.
pub fn number(s: &[u8]) -> Option<i32> {
    let t = String::from_utf8_lossy(s).to_ascii_uppercase();
    if let Ok(n) = t.parse::<i32>() {
        return (0..NSIG as i32).contains(&n).then_some(n);
    }
    let t = t.strip_prefix("SIG").unwrap_or(&t);
    if t == "EXIT" {
        return Some(0);
    }
    if let Some((_, n)) = NAMES.iter().find(|(name, _)| *name == t) {
        return Some(*n);
    }
    if t == "CLD" {
        return Some(libc::SIGCHLD);
    }
    if t == "POLL" {
        return Some(libc::SIGIO);
    }
    if let Some(rest) = t.strip_prefix("RTMIN") {
        let off: i32 = if rest.is_empty() {
            0
        } else {
            rest.parse().ok()?
        };
        return Some(libc::SIGRTMIN() + off);
    }
    if let Some(rest) = t.strip_prefix("RTMAX") {
        let off: i32 = if rest.is_empty() {
            0
        } else {
            rest.parse().ok()?
        };
        return Some(libc::SIGRTMAX() + off);
    }
    None
}

extern "C" fn on_signal(sig: libc::c_int) {
    if let Some(p) = PENDING.get(sig as usize) {
        p.store(true, Ordering::SeqCst);
        ANY.store(true, Ordering::SeqCst);
    }
}

fn install(sig: i32, handler: libc::sighandler_t) {
    // SAFETY: sigaction with a zeroed struct and a handler that only stores atomics (or
    // SIG_DFL/SIG_IGN); the mask is emptied with sigemptyset.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = handler;
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = 0;
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

/// Catches `sig`: the handler records it for [`run_traps`].
pub fn set_catch(sig: i32) {
    install(sig, on_signal as *const () as libc::sighandler_t);
}

/// Back to the default action.
pub fn set_default(sig: i32) {
    install(sig, libc::SIG_DFL);
}

/// Ignores `sig`.
pub fn set_ignore(sig: i32) {
    install(sig, libc::SIG_IGN);
}

/// SIGPIPE back to default (a pipeline stage dies quietly on a closed pipe).
pub fn sigpipe_default() {
    set_default(libc::SIGPIPE);
}

/// Whether `sig` is ignored right now.
pub fn is_ignored(sig: i32) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Records which signals were ignored when the shell started (POSIX: a non-interactive
/// shell cannot trap those). SIGPIPE is skipped: the Rust runtime ignores it itself.
pub fn init(sh: &mut Shell) {
    for sig in 1..NSIG as i32 {
        if sig == libc::SIGPIPE || sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        if is_ignored(sig) {
            sh.ignored_at_entry[sig as usize] = true;
        }
    }
}

/// In a new child: caught signals are already reset by `fork`'s caller; nothing else
/// is needed here yet (job control would set the process group).
pub fn child_defaults(_sh: &mut Shell) {
    ANY.store(false, Ordering::SeqCst);
    for p in &PENDING {
        p.store(false, Ordering::SeqCst);
    }
}

/// Just before exec: SIGPIPE default unless the script ignores it.
pub fn exec_defaults(sh: &Shell) {
    if sh.traps.get(libc::SIGPIPE as usize) != Some(&Some(Trap::Ignore)) {
        sigpipe_default();
    }
}

/// Whether a caught signal is waiting for its trap.
#[inline]
pub fn any_pending() -> bool {
    ANY.load(Ordering::Relaxed)
}

/// Takes the next pending signal.
fn take() -> Option<usize> {
    if !ANY.swap(false, Ordering::SeqCst) {
        return None;
    }
    let mut found = None;
    for (i, p) in PENDING.iter().enumerate() {
        if p.load(Ordering::SeqCst) {
            if found.is_none() {
                p.store(false, Ordering::SeqCst);
                found = Some(i);
            } else {
                ANY.store(true, Ordering::SeqCst);
            }
        }
    }
    found
}

/// Runs the trap actions of the signals that arrived; `$?` is kept around them.
pub fn run_traps(sh: &mut Shell) -> Result<(), Ctl> {
    if sh.in_trap > 0 {
        return Ok(());
    }
    while let Some(sig) = take() {
        let Some(Some(Trap::Command(cmd))) = sh.traps.get(sig).cloned() else {
            // Ctrl-C in an interactive shell abandons the command being run.
            if sig == libc::SIGINT as usize && sh.opts.interactive && !sh.subshell {
                return Err(Ctl::Error(130));
            }
            continue;
        };
        run_action(sh, &cmd)?;
    }
    Ok(())
}

/// Runs a trap action string with `$?` preserved.
pub fn run_action(sh: &mut Shell, cmd: &[u8]) -> Result<(), Ctl> {
    let prog = match sh.trap_cache.get(cmd) {
        Some(p) => Rc::clone(p),
        None => match rbox_parser::syntax::parse_program(cmd) {
            Ok(p) => {
                let p = Rc::new(p);
                sh.trap_cache.insert(cmd.to_vec(), Rc::clone(&p));
                p
            }
            Err(e) => {
                sh.error(format!("syntax error: {}", e.message).as_bytes());
                return Ok(());
            }
        },
    };
    let saved = sh.status;
    sh.in_trap += 1;
    let r = super::exec::run_program(sh, &prog, false);
    sh.in_trap -= 1;
    match r {
        Err(Ctl::Exit(s)) => Err(Ctl::Exit(s)),
        Err(Ctl::Error(s)) => Err(Ctl::Error(s)),
        _ => {
            sh.status = saved;
            Ok(())
        }
    }
}

/// The lowest pending signal, without taking it.
pub fn peek_pending() -> Option<usize> {
    if !any_pending() {
        return None;
    }
    PENDING.iter().position(|p| p.load(Ordering::SeqCst))
}

/// Forgets a SIGINT that arrived while the interactive shell was reading a line.
pub fn clear_interrupt() {
    PENDING[libc::SIGINT as usize].store(false, Ordering::SeqCst);
}

/// Whether SIGINT arrived (the `Ctx` interrupt flag for in-process applets).
pub fn interrupted() -> bool {
    PENDING[libc::SIGINT as usize].load(Ordering::Relaxed)
}
