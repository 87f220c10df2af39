//! `nice`: run a command with a changed scheduling priority, or print the niceness.

use super::command;
use crate::prelude::*;

/// The `nice` applet.
pub const APPLET: Applet = Applet::new("nice", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-n N] [COMMAND [ARG]...]")
    .help(
        "Run COMMAND with its niceness raised by N (10 by default); with no COMMAND,\n\
         print the current niceness.\n\n\
         -n N\tAdd N to the niceness (negative N needs privileges)",
    )
    .error_status(125);

const LONGS: &[&str] = &["adjustment"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut adjust: Option<Vec<u8>> = None;
    let mut argv: Vec<Vec<u8>> = Vec::new();
    // The obsolete `-N` form comes first, as GNU takes it.
    let args = ctx.args.to_vec();
    let mut rest = &args[..];
    if let Some(first) = rest.first()
        && first.len() > 1
        && first[0] == b'-'
        && first[1..].iter().all(u8::is_ascii_digit)
    {
        adjust = Some(first[1..].to_vec());
        rest = &rest[1..];
    }
    let mut opts = crate::opts::Opts::new(rest, LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('n') | Arg::Long("adjustment") => adjust = Some(opts.value()?),
            Arg::Value(v) => {
                argv.push(v);
                argv.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let current = niceness()?;
    if argv.is_empty() {
        if adjust.is_some() {
            return Err(Error::usage("a command must be given with an adjustment"));
        }
        ctx.stdout.write_all(format!("{current}\n").as_bytes())?;
        return Ok(());
    }
    let by: i32 = match &adjust {
        None => 10,
        Some(v) => std::str::from_utf8(v)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .map(|n| n.clamp(-40, 40) as i32)
            .ok_or_else(|| {
                Error::msg(format!(
                    "invalid adjustment '{}'",
                    String::from_utf8_lossy(v)
                ))
            })?,
    };
    let target = (current + by).clamp(-20, 19);
    // SAFETY: setpriority only changes this process's scheduling priority.
    if unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, target) } != 0 {
        let e = std::io::Error::last_os_error();
        // GNU warns and runs the command anyway when it may not lower the niceness.
        ctx.warn(b"cannot set niceness", &e);
    }
    command::run(ctx, &argv)
}

/// This process's niceness.
pub fn niceness() -> Result<i32, Error> {
    // getpriority may return -1 legitimately: errno tells.
    // SAFETY: errno is thread-local; getpriority has no memory effects.
    unsafe {
        *libc::__errno_location() = 0;
        let n = libc::getpriority(libc::PRIO_PROCESS, 0);
        if n == -1 && *libc::__errno_location() != 0 {
            return Err(Error::io(
                b"cannot get niceness",
                &std::io::Error::last_os_error(),
            ));
        }
        Ok(n)
    }
}
