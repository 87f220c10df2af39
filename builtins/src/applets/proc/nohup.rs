//! `nohup`: run a command immune to hangups, its terminal output going to `nohup.out`.

use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;

use super::command;
use crate::common::fdio;
use crate::prelude::*;

/// The `nohup` applet.
pub const APPLET: Applet = Applet::new("nohup", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("COMMAND [ARG]...")
    .help(
        "Run COMMAND ignoring hangup signals. A terminal on standard input is replaced\n\
         by /dev/null; terminal output is appended to nohup.out (or $HOME/nohup.out),\n\
         and a terminal standard error goes where standard output goes.",
    )
    .error_status(125);

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut opts = ctx.opts(&[]);
    let mut argv = Vec::new();
    if let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => {
                argv.push(v);
                argv.extend(opts.rest());
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    if argv.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let (tty_in, tty_out, tty_err) = (fdio::isatty(0), fdio::isatty(1), fdio::isatty(2));
    if tty_in {
        let null = std::fs::File::open("/dev/null").map_err(|e| Error::io(b"/dev/null", &e))?;
        redirect(null.as_raw_fd(), 0)?;
    }
    let mut note = String::new();
    if tty_out {
        let (file, name) = open_nohup_out(ctx)?;
        redirect(file.as_raw_fd(), 1)?;
        note = format!("appending output to '{name}'");
    }
    let what = match (tty_in, note.is_empty()) {
        (true, false) => format!("ignoring input and {note}"),
        (true, true) => "ignoring input".to_string(),
        (false, false) => note,
        (false, true) => String::new(),
    };
    if !what.is_empty() {
        ctx.stderr
            .write_all(format!("nohup: {what}\n").as_bytes())?;
        ctx.stderr.flush()?;
    }
    if tty_err {
        redirect(1, 2)?;
    }
    // SAFETY: SIG_IGN installs no handler; it survives exec, which is the point.
    unsafe { libc::signal(libc::SIGHUP, libc::SIG_IGN) };
    command::run(ctx, &argv)
}

/// Opens `nohup.out` here, or in `$HOME` when that fails, for appending (mode 0600).
fn open_nohup_out(ctx: &Ctx<'_>) -> Result<(std::fs::File, String), Error> {
    let open = |path: &str| {
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(path)
    };
    match open("nohup.out") {
        Ok(f) => Ok((f, "nohup.out".to_string())),
        Err(first) => {
            let home = ctx
                .env
                .get(b"HOME")
                .map(|h| String::from_utf8_lossy(h).into_owned());
            let Some(home) = home else {
                return Err(Error::io(b"failed to open 'nohup.out'", &first));
            };
            let path = format!("{home}/nohup.out");
            open(&path)
                .map(|f| (f, path.clone()))
                .map_err(|e| Error::io(format!("failed to open '{path}'").as_bytes(), &e))
        }
    }
}

/// Makes `to` a copy of `from`.
fn redirect(from: i32, to: i32) -> Result<(), Error> {
    // SAFETY: dup2 on descriptors this process owns.
    if unsafe { libc::dup2(from, to) } < 0 {
        return Err(Error::io(
            b"cannot redirect",
            &std::io::Error::last_os_error(),
        ));
    }
    Ok(())
}
