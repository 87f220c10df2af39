//! The one place that finishes an applet run: `--help`, error reporting, flushing and the
//! final status. The shell, the multi-call dispatcher and unit tests all come through here.

use std::io::Write;

use crate::ctx::Ctx;
use crate::error::strerror;

/// Runs `ctx.applet` with `ctx` and returns its exit status. Answers `--help` from the
/// help text, prints a fatal error as `NAME: MESSAGE` (plus the usage line for usage
/// errors), flushes standard output (a failed flush is `NAME: write error: REASON`,
/// status 1) and gives back unread standard input on a seekable fd.
pub fn run(ctx: &mut Ctx<'_>) -> u8 {
    let applet = ctx.applet;
    if applet.takes_help && ctx.args.first().is_some_and(|a| a == b"--help") {
        let text = applet.help_text();
        let status = match ctx.stdout.write_all(text.as_bytes()) {
            Ok(()) => 0,
            Err(_) => 1,
        };
        return finish(ctx, status);
    }
    let mut status = ctx.status;
    if let Err(err) = (applet.main)(ctx) {
        if !err.message.is_empty() {
            ctx.note(&err.message);
        }
        if err.show_usage {
            let line = applet.usage_line();
            let _ = ctx.stderr.write_all(line.as_bytes());
            let _ = ctx.stderr.write_all(b"\n");
            let _ = ctx.stderr.flush();
        }
        status = err.status.unwrap_or(applet.error_status);
    } else {
        status = status.max(ctx.status);
    }
    finish(ctx, status)
}

fn finish(ctx: &mut Ctx<'_>, mut status: u8) -> u8 {
    if let Err(e) = ctx.stdout.flush() {
        let msg = format!("write error: {}", strerror(&e));
        ctx.note(msg.as_bytes());
        if status == 0 {
            status = 1;
        }
    }
    let _ = ctx.stderr.flush();
    ctx.stdin.finish();
    status
}
