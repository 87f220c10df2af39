//! `kill`: send a signal to processes, or list signal names (the `/bin/kill` applet; the
//! shell has its own builtin for jobs).

use super::signal;
use crate::prelude::*;

/// The `kill` applet.
pub const APPLET: Applet = Applet::new("kill", main, Run::InProc)
    .dir(InstallDir::Bin)
    .usage("[-l [SIG]...] [-SIG | -s SIG] PID...")
    .help(
        "Send a signal (TERM by default) to each PID; a negative PID is a process group.\n\n\
         -l [SIG]\tList signal names, or convert numbers (or exit statuses) to names and back\n\
         -s SIG, -SIG\tThe signal to send, by name or number (0 only checks the PIDs)",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = ctx.args.to_vec();
    let mut sig = libc::SIGTERM;
    let mut i = 0;
    let bad_signal =
        |s: &[u8]| Error::msg(format!("bad signal name '{}'", String::from_utf8_lossy(s)));
    if let Some(first) = args.first() {
        match first.as_slice() {
            b"-l" | b"-L" => return list(ctx, &args[1..]),
            b"-s" => {
                let v = args
                    .get(1)
                    .ok_or_else(|| Error::usage("option requires an argument -- 's'"))?;
                sig = signal::number(v).ok_or_else(|| bad_signal(v))?;
                i = 2;
            }
            b"--" => i = 1,
            a if a.len() > 1 && a[0] == b'-' => {
                // `-SIG`, `-9`, `-0`: the first argument names the signal.
                sig = signal::number(&a[1..]).ok_or_else(|| bad_signal(&a[1..]))?;
                i = 1;
            }
            _ => {}
        }
    }
    if args.get(i).is_some_and(|a| a == b"--") {
        i += 1;
    }
    let pids = &args[i..];
    if pids.is_empty() {
        return Err(Error::usage("you need to specify whom to kill"));
    }
    let mut failed = false;
    for p in pids {
        let pid = std::str::from_utf8(p)
            .ok()
            .and_then(|s| s.parse::<i32>().ok());
        let Some(pid) = pid else {
            ctx.warn_msg(format!("invalid number '{}'", String::from_utf8_lossy(p)).as_bytes());
            failed = true;
            continue;
        };
        if let Err(e) = signal::send(pid, sig) {
            ctx.warn(format!("can't kill pid {pid}").as_bytes(), &e);
            failed = true;
        }
    }
    if failed {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

/// `kill -l`: every signal as ` N) NAME` lines, or each operand converted.
fn list(ctx: &mut Ctx<'_>, operands: &[Vec<u8>]) -> Result<(), Error> {
    let mut out = String::new();
    if operands.is_empty() {
        for n in 1..=libc::SIGRTMAX() {
            if let Some(name) = signal::name(n) {
                out.push_str(&format!("{n:2}) {name}\n"));
            }
        }
        ctx.stdout.write_all(out.as_bytes())?;
        return Ok(());
    }
    let mut failed = false;
    for op in operands {
        let text = String::from_utf8_lossy(op);
        let converted = match text.parse::<i32>() {
            // An exit status of a signalled process names its signal.
            Ok(n) => signal::name(if n > 128 { n - 128 } else { n }),
            Err(_) => signal::number(op).map(|n| n.to_string()),
        };
        match converted {
            Some(s) => out.push_str(&format!("{s}\n")),
            None => {
                ctx.stdout.write_all(out.as_bytes())?;
                out.clear();
                ctx.warn_msg(format!("bad signal name '{text}'").as_bytes());
                failed = true;
            }
        }
    }
    ctx.stdout.write_all(out.as_bytes())?;
    if failed {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}
