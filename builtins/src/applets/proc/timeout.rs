//! `timeout`: run a command and signal it if it is still running after a duration.

use std::time::{Duration, Instant};

use nix::sys::signal::{SigSet, Signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use super::signal;
use crate::prelude::*;

/// The `timeout` applet.
pub const APPLET: Applet = Applet::new("timeout", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage(
        "[-s SIG] [-k DURATION] [--preserve-status] [--foreground] [-v] DURATION COMMAND [ARG]...",
    )
    .help(
        "Run COMMAND; if it still runs after DURATION, send it a signal (TERM by default).\n\
         DURATION is a decimal number with an optional suffix s, m, h or d; 0 disables.\n\
         Exits 124 on a timeout, 125 when timeout itself fails, 126 or 127 when COMMAND\n\
         cannot be run or found, and COMMAND's status otherwise.\n\n\
         -s SIG\t\tThe signal to send (a name or number)\n\
         -k DURATION\tAlso send KILL if COMMAND still runs DURATION after the signal\n\
         --preserve-status\tExit with COMMAND's status even on a timeout\n\
         --foreground\tStay in the caller's process group (signals reach only COMMAND)\n\
         -v\t\tReport on stderr each signal sent",
    )
    .error_status(125);

const LONGS: &[&str] = &[
    "signal",
    "kill-after",
    "preserve-status",
    "foreground",
    "verbose",
];

/// Status when the command timed out.
const TIMED_OUT: u8 = 124;

/// Signals timeout passes on to the command when it receives them.
const FORWARDED: &[Signal] = &[
    Signal::SIGTERM,
    Signal::SIGINT,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

/// What the options asked for.
struct Plan {
    sig: i32,
    kill_after: Option<Duration>,
    preserve: bool,
    foreground: bool,
    verbose: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut plan = Plan {
        sig: libc::SIGTERM,
        kill_after: None,
        preserve: false,
        foreground: false,
        verbose: false,
    };
    let mut operands: Vec<Vec<u8>> = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('s') | Arg::Long("signal") => {
                let v = opts.value()?;
                plan.sig = signal::number(&v).ok_or_else(|| {
                    Error::usage(format!("'{}': invalid signal", String::from_utf8_lossy(&v)))
                })?;
            }
            Arg::Short('k') | Arg::Long("kill-after") => {
                plan.kill_after = parse_duration(&opts.value()?)?;
            }
            Arg::Long("preserve-status") => plan.preserve = true,
            Arg::Long("foreground") => plan.foreground = true,
            Arg::Short('v') | Arg::Long("verbose") => plan.verbose = true,
            Arg::Value(v) => {
                operands.push(v);
                operands.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let Some((duration, argv)) = operands.split_first() else {
        return Err(Error::usage("missing operand"));
    };
    let limit = parse_duration(duration)?;
    if argv.is_empty() {
        return Err(Error::usage(format!(
            "missing operand after '{}'",
            String::from_utf8_lossy(duration)
        )));
    }
    if !plan.foreground {
        // Our own group, so a timeout signal reaches the command's children too.
        let _ = nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0));
    }
    let env: Vec<(Vec<u8>, Vec<u8>)> = ctx
        .env
        .vars()
        .into_iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect();
    ctx.stdout.flush()?;
    let mut mask = SigSet::empty();
    mask.add(Signal::SIGCHLD);
    for &s in FORWARDED {
        mask.add(s);
    }
    // Blocked before the fork would be inherited; blocked after it, an early exit is
    // caught by the WNOHANG check that precedes every wait.
    let child = ctx.spawn.start(argv, &env, None).map_err(|e| {
        let status = if e.kind() == std::io::ErrorKind::NotFound {
            127
        } else {
            126
        };
        let mut subject = b"failed to run command '".to_vec();
        subject.extend_from_slice(&argv[0]);
        subject.push(b'\'');
        Error::io(&subject, &e).with_status(status)
    })?;
    mask.thread_block().map_err(|e| Error::msg(e.desc()))?;
    let name = String::from_utf8_lossy(&argv[0]).into_owned();
    let status = supervise(ctx, child.pid, limit, &plan, &mask, &name)?;
    match status {
        0 => Ok(()),
        n => Err(Error::silent(n)),
    }
}

/// Waits for `pid`, signalling it at the deadlines; returns timeout's exit status.
fn supervise(
    ctx: &mut Ctx<'_>,
    pid: i32,
    limit: Option<Duration>,
    plan: &Plan,
    mask: &SigSet,
    name: &str,
) -> Result<u8, Error> {
    let mut deadline = limit.map(|d| Instant::now() + d);
    let mut timed_out = false;
    loop {
        match waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => {
                let code = code as u8;
                return Ok(if timed_out && !plan.preserve {
                    TIMED_OUT
                } else {
                    code
                });
            }
            Ok(WaitStatus::Signaled(_, sig, _)) => {
                let sig = sig as i32;
                // Killed by KILL after a timeout is 137, to tell it from a clean 124.
                let preserve = plan.preserve || sig == libc::SIGKILL;
                return Ok(if timed_out && !preserve {
                    TIMED_OUT
                } else {
                    128 + sig as u8
                });
            }
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => {
                return Err(Error::msg(format!(
                    "error waiting for command: {}",
                    e.desc()
                )));
            }
        }
        let wait = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        match wait_signal(mask, wait) {
            Some(libc::SIGCHLD) => {}
            Some(sig) => send(ctx, pid, sig, plan, name),
            None if wait.is_none() => {}
            None if !timed_out => {
                timed_out = true;
                send(ctx, pid, plan.sig, plan, name);
                deadline = plan.kill_after.map(|d| Instant::now() + d);
            }
            None => {
                send(ctx, pid, libc::SIGKILL, plan, name);
                deadline = None;
            }
        }
    }
}

/// Sends `sig` to the command (and to its group unless `--foreground`), then CONT so a
/// stopped command sees it.
fn send(ctx: &mut Ctx<'_>, pid: i32, sig: i32, plan: &Plan, name: &str) {
    if plan.verbose {
        let sname = signal::name(sig).unwrap_or_else(|| sig.to_string());
        let _ = ctx
            .stderr
            .write_all(format!("timeout: sending signal {sname} to command '{name}'\n").as_bytes());
        let _ = ctx.stderr.flush();
    }
    let _ = signal::send(pid, sig);
    if !plan.foreground {
        // Our group holds the command's children; ignore the signal here while it goes.
        // SAFETY: setting a disposition to SIG_IGN and back installs no handler code.
        unsafe {
            let old = libc::signal(sig, libc::SIG_IGN);
            let _ = signal::send(0, sig);
            // A forwarded signal is blocked here, so it is pending rather than ignored:
            // take it back, or the wait would pass it on again.
            let mut one = SigSet::empty();
            if let Ok(s) = Signal::try_from(sig) {
                one.add(s);
                let zero = libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                };
                libc::sigtimedwait(one.as_ref(), std::ptr::null_mut(), &zero);
            }
            if old != libc::SIG_ERR {
                libc::signal(sig, old);
            }
        }
    }
    if sig != libc::SIGKILL && sig != libc::SIGCONT {
        let _ = signal::send(pid, libc::SIGCONT);
    }
}

/// Waits for one of the signals in `mask` (all blocked) for at most `wait` (forever when
/// `None`); the signal, or `None` when the wait ran out.
fn wait_signal(mask: &SigSet, wait: Option<Duration>) -> Option<i32> {
    let ts = wait.map(|d| libc::timespec {
        tv_sec: d.as_secs() as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    });
    let tsp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: the set and the timespec outlive the call; no siginfo is requested.
    let r = unsafe { libc::sigtimedwait(mask.as_ref(), std::ptr::null_mut(), tsp) };
    if r > 0 {
        Some(r)
    } else if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
        // Interrupted: look again at the child and the clock.
        Some(libc::SIGCHLD)
    } else {
        None
    }
}

/// Parses a duration: a non-negative decimal number with an optional `s`, `m`, `h` or
/// `d` suffix. `None` is zero (no limit).
pub fn parse_duration(v: &[u8]) -> Result<Option<Duration>, Error> {
    let bad = || {
        Error::usage(format!(
            "invalid time interval '{}'",
            String::from_utf8_lossy(v)
        ))
    };
    let s = std::str::from_utf8(v).map_err(|_| bad())?;
    let (num, unit) = match s.as_bytes().last() {
        Some(b's') => (&s[..s.len() - 1], 1.0),
        Some(b'm') => (&s[..s.len() - 1], 60.0),
        Some(b'h') => (&s[..s.len() - 1], 3600.0),
        Some(b'd') => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let plain = !num.is_empty()
        && num.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && num.bytes().filter(|&b| b == b'.').count() <= 1
        && num != ".";
    if !plain {
        return Err(bad());
    }
    let secs: f64 = num.parse::<f64>().map_err(|_| bad())? * unit;
    if secs == 0.0 {
        return Ok(None);
    }
    // Past what a timer can hold, wait "forever" (about 68 years), as GNU clamps.
    Ok(Some(Duration::from_secs_f64(secs.min(i32::MAX as f64))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let d = |s: &str| parse_duration(s.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(d("1"), Ok(Some(Duration::from_secs(1))));
        assert_eq!(d(".5s"), Ok(Some(Duration::from_millis(500))));
        assert_eq!(d("1.5m"), Ok(Some(Duration::from_secs(90))));
        assert_eq!(d("2h"), Ok(Some(Duration::from_secs(7200))));
        assert_eq!(d("1d"), Ok(Some(Duration::from_secs(86400))));
        assert_eq!(d("0"), Ok(None));
        assert_eq!(d("0.0s"), Ok(None));
        for bad in ["", "x", "1x", "-1", ".", "1..2", "s", "1e3"] {
            assert_eq!(
                d(bad),
                Err(format!("invalid time interval '{bad}'")),
                "{bad}"
            );
        }
    }
}
