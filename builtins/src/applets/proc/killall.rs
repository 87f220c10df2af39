//! `killall`: signal every process running a program, by name.

use std::time::{Duration, Instant};

use super::{pidof, procs, signal};
use crate::prelude::*;

/// The `killall` applet.
pub const APPLET: Applet = Applet::new("killall", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-lqw] [-SIG | -s SIG] NAME...")
    .help(
        "Send a signal (TERM by default) to every process running NAME (matched as by\n\
         pidof).\n\n\
         -l\tList signal names\n\
         -q\tDo not complain when no process was killed\n\
         -w\tWait (up to a minute) for the signalled processes to die\n\
         -s SIG, -SIG\tThe signal, by name or number",
    );

/// How long `-w` waits at most, and how often it looks.
const WAIT_LIMIT: Duration = Duration::from_secs(60);
const WAIT_STEP: Duration = Duration::from_millis(20);

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut args = ctx.args.to_vec();
    let mut sig = libc::SIGTERM;
    let bad = |s: &[u8]| Error::msg(format!("bad signal name '{}'", String::from_utf8_lossy(s)));
    if let Some(first) = args.first()
        && first.len() > 1
        && first[0] == b'-'
        && !matches!(first.as_slice(), b"-q" | b"-w" | b"-l" | b"-s" | b"--")
        && first[1] != b'-'
        && !first[1..].iter().all(|b| b"qwl".contains(b))
    {
        sig = signal::number(&first[1..]).ok_or_else(|| bad(&first[1..]))?;
        args.remove(0);
    }
    let (mut quiet, mut wait) = (false, false);
    let mut names = Vec::new();
    let mut opts = crate::opts::Opts::new(&args, &[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('q') => quiet = true,
            Arg::Short('w') => wait = true,
            Arg::Short('l') => {
                let names: Vec<&str> = signal::NAMES.iter().map(|(n, _)| *n).collect();
                ctx.stdout
                    .write_all(format!("{}\n", names.join(" ")).as_bytes())?;
                return Ok(());
            }
            Arg::Short('s') => {
                let v = opts.value()?;
                sig = signal::number(&v).ok_or_else(|| bad(&v))?;
            }
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if names.is_empty() {
        return Err(Error::usage("you need to specify whom to kill"));
    }
    let me = std::process::id() as i32;
    let table = procs::list();
    let mut signalled = Vec::new();
    let mut failed = false;
    for name in &names {
        let mut any = false;
        for p in table.iter().filter(|p| p.pid != me && pidof::runs(p, name)) {
            match signal::send(p.pid, sig) {
                Ok(()) => {
                    any = true;
                    signalled.push(p.pid);
                }
                Err(e) if !quiet => ctx.warn(format!("cannot kill pid {}", p.pid).as_bytes(), &e),
                Err(_) => {}
            }
        }
        if !any {
            failed = true;
            if !quiet {
                ctx.warn_msg(
                    format!("{}: no process killed", String::from_utf8_lossy(name)).as_bytes(),
                );
            }
        }
    }
    if wait {
        let end = Instant::now() + WAIT_LIMIT;
        while signalled.iter().any(|&pid| alive(pid)) && Instant::now() < end {
            std::thread::sleep(WAIT_STEP);
        }
    }
    if failed {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

/// Whether `pid` still runs: it exists and is not a zombie waiting for its parent.
fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .iter()
        .rposition(|&b| b == b')')
        .and_then(|i| stat.get(i + 2).copied());
    !matches!(state, Some(b'Z') | Some(b'X') | None)
}
