//! Running one applet as the whole process: `rbox cat f`, or `cat f` through a link.

use std::os::unix::ffi::OsStringExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicPtr, Ordering};

use rbox_builtins::{Applet, Ctx, EnvList, Input, Output};

use crate::spawn::ProcessSpawner;

/// The status of a run that ended in an internal error (a panic): EX_SOFTWARE.
pub const INTERNAL_ERROR: u8 = 70;

/// The process environment as a variable list.
pub fn process_env() -> EnvList {
    EnvList(
        std::env::vars_os()
            .map(|(k, v)| (k.into_vec(), v.into_vec()))
            .collect(),
    )
}

/// Restores the default SIGPIPE action, which the Rust runtime sets to "ignore": a
/// writer to a closed pipe must die quietly (`yes | head -1`), as C programs do.
pub fn default_sigpipe() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: installing SIG_DFL runs no handler code, so no async-signal-safety concern.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
}

/// Runs `applet` with `args` on fds 0, 1 and 2 and the process environment, and returns
/// its exit status. A panic is reported as `rbox: internal error in NAME: ...`.
pub fn run(applet: &'static Applet, args: &[Vec<u8>]) -> u8 {
    default_sigpipe();
    install_panic_hook();
    let env = process_env();
    run_with_env(applet, args, &env)
}

/// The applet whose run is under way, for the panic message.
static CURRENT: AtomicPtr<Applet> = AtomicPtr::new(std::ptr::null_mut());

/// Installs, once per process, the hook that reports a panic as
/// `rbox: internal error in NAME: ...` for the applet under way. Never called in a
/// forked child: another thread of the parent (a test harness) may have held the hook's
/// lock at the fork, and the child would wait on it for ever.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // SAFETY: CURRENT only ever holds null or a `&'static Applet`.
            let name =
                unsafe { CURRENT.load(Ordering::Relaxed).as_ref() }.map_or("rbox", |a| a.name);
            eprintln!("rbox: internal error in {name}: {info}");
        }));
    });
}

/// Names `applet` in the panic message while `f` runs (an applet run inside the shell).
pub fn running<T>(applet: &'static Applet, f: impl FnOnce() -> T) -> T {
    let outer = CURRENT.swap(std::ptr::from_ref(applet).cast_mut(), Ordering::Relaxed);
    let r = f();
    CURRENT.store(outer, Ordering::Relaxed);
    r
}

/// Like [`run`], with an explicit environment (for commands started by a spawner: it
/// takes no lock, so it is safe in a child forked from a multi-threaded process).
pub fn run_with_env(applet: &'static Applet, args: &[Vec<u8>], env: &EnvList) -> u8 {
    CURRENT.store(std::ptr::from_ref(applet).cast_mut(), Ordering::Relaxed);
    let spawner = ProcessSpawner;
    let never = || false;
    let mut ctx = Ctx {
        applet,
        args,
        stdin: Input::fd(0),
        stdout: Output::fd(1),
        stderr: Output::fd_unbuffered(2),
        env,
        spawn: &spawner,
        intr: &never,
        status: 0,
    };
    catch_unwind(AssertUnwindSafe(|| rbox_builtins::run::run(&mut ctx))).unwrap_or(INTERNAL_ERROR)
}
