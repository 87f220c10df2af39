//! The size of the terminal an applet writes to, for ps's line cut, top and watch.

use crate::prelude::*;

nix::ioctl_read_bad!(get_winsize, libc::TIOCGWINSZ, libc::winsize);

/// Columns and rows of the terminal on `fd`, or `None` when it is not one.
pub fn size_of_fd(fd: i32) -> Option<(usize, usize)> {
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` through the pointer, which points to a live
    // local of that type; a non-terminal fd just makes the call fail.
    let ok = unsafe { get_winsize(fd, &mut ws) }.is_ok();
    (ok && ws.ws_col > 0).then_some((usize::from(ws.ws_col), usize::from(ws.ws_row)))
}

/// A positive number in the environment variable `name`.
pub fn env_number(ctx: &Ctx<'_>, name: &[u8]) -> Option<usize> {
    ctx.env
        .get(name)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
}

/// Whether standard output is a terminal.
pub fn stdout_is_tty(ctx: &Ctx<'_>) -> bool {
    ctx.stdout.raw_fd().is_some_and(crate::common::fdio::isatty)
}

/// Columns and rows for output: `COLUMNS`/`LINES` when set, else the terminal's, else
/// `default`.
pub fn size(ctx: &Ctx<'_>, default: (usize, usize)) -> (usize, usize) {
    let tty = ctx.stdout.raw_fd().and_then(size_of_fd);
    let cols = env_number(ctx, b"COLUMNS")
        .or(tty.map(|t| t.0))
        .unwrap_or(default.0);
    let rows = env_number(ctx, b"LINES")
        .or(tty.map(|t| t.1).filter(|&r| r > 0))
        .unwrap_or(default.1);
    (cols, rows)
}
