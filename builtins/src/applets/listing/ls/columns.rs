//! GNU's layouts for short listings: one per line, columns filled top to bottom (`-C`)
//! or across (`-x`) with the fewest rows that fit, and comma-separated lines (`-m`).
//! Padding between columns uses tabs where a tab stop (every 8) fits, as GNU does.

use super::format::Cell;
use super::{Config, Layout};
use crate::prelude::*;

/// The narrowest a column can be: one character and two spaces.
const MIN_COLUMN_WIDTH: usize = 3;

/// The screen width: `COLUMNS` if it is a positive number, else the terminal's (from
/// `TIOCGWINSZ` on standard output; nix's ioctl is one call where a terminal library
/// would be a dependency), else `None`.
pub fn terminal_width(ctx: &Ctx<'_>) -> Option<usize> {
    if let Some(n) = ctx
        .env
        .get(b"COLUMNS")
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(n);
    }
    let fd = ctx.stdout.raw_fd()?;
    nix::ioctl_read_bad!(get_winsize, libc::TIOCGWINSZ, libc::winsize);
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` through the pointer, which points to a live
    // local of that type; a non-terminal fd just makes the call fail.
    let ok = unsafe { get_winsize(fd, &mut ws) }.is_ok();
    (ok && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

/// Lays `cells` out as `cfg.layout` says, appending to `out`.
pub fn layout(cfg: &Config, cells: &[Cell], out: &mut Vec<u8>) {
    let eol = cfg.eol;
    match cfg.layout {
        Layout::Columns | Layout::Across => grid(cfg, cells, out),
        Layout::Commas => {
            let mut pos = 0;
            for (i, c) in cells.iter().enumerate() {
                if i != 0 {
                    out.push(b',');
                    if cfg.width == 0 || pos + c.width + 2 < cfg.width {
                        pos += 2;
                        out.push(b' ');
                    } else {
                        pos = 0;
                        out.push(eol);
                    }
                }
                out.extend_from_slice(&c.text);
                pos += c.width;
            }
            out.push(eol);
        }
        Layout::One | Layout::Long => {
            for c in cells {
                out.extend_from_slice(&c.text);
                out.push(eol);
            }
        }
    }
}

/// Pads from column `from` to `to` with tabs (stops every `tab`, 0 for none: GNU uses
/// none with `-w 0` and in colour listings) and spaces.
fn indent(out: &mut Vec<u8>, mut from: usize, to: usize, tab: usize) {
    while from < to {
        if tab != 0 && to / tab > (from + 1) / tab {
            out.push(b'\t');
            from += tab - from % tab;
        } else {
            out.push(b' ');
            from += 1;
        }
    }
}

/// The column widths GNU picks: the most columns whose line stays shorter than the
/// screen, each as wide as its widest name plus two (the last without the two). Tried
/// from the most columns down, each in one pass that stops once the line is too long,
/// so memory stays linear whatever the width.
fn column_widths(cfg: &Config, cells: &[Cell], by_columns: bool) -> Vec<usize> {
    let n = cells.len();
    let max_cols = match cfg.width / MIN_COLUMN_WIDTH {
        0 => n,
        m => m.min(n),
    }
    .max(1);
    let mut widths = Vec::new();
    for cols in (1..=max_cols).rev() {
        widths.clear();
        widths.resize(cols, 0);
        let rows = n.div_ceil(cols);
        let mut line = 0;
        let mut fits = true;
        for (f, cell) in cells.iter().enumerate() {
            let idx = if by_columns {
                f / rows.max(1)
            } else {
                f % cols
            };
            let real = cell.width + if idx + 1 == cols { 0 } else { 2 };
            if let Some(w) = widths.get_mut(idx)
                && *w < real
            {
                line += real - *w;
                *w = real;
                if cfg.width != 0 && line >= cfg.width {
                    fits = false;
                    break;
                }
            }
        }
        if fits || cols == 1 {
            if !fits {
                // Even one column is too wide: GNU still uses it, as wide as the widest.
                widths.clear();
                widths.push(cells.iter().map(|c| c.width).max().unwrap_or(0));
            }
            return widths;
        }
    }
    widths
}

fn tabs(cfg: &Config) -> usize {
    if cfg.width == 0 || cfg.color {
        0
    } else {
        cfg.tabsize
    }
}

fn grid(cfg: &Config, cells: &[Cell], out: &mut Vec<u8>) {
    let by_columns = cfg.layout == Layout::Columns;
    let widths = column_widths(cfg, cells, by_columns);
    let cols = widths.len().max(1);
    let n = cells.len();
    let width_of = |col: usize| widths.get(col).copied().unwrap_or(0);
    if by_columns {
        let rows = n.div_ceil(cols);
        for row in 0..rows {
            let (mut pos, mut col, mut f) = (0, 0, row);
            while let Some(c) = cells.get(f) {
                out.extend_from_slice(&c.text);
                f += rows;
                if f >= n {
                    break;
                }
                let w = width_of(col);
                indent(out, pos + c.width, pos + w, tabs(cfg));
                pos += w;
                col += 1;
            }
            out.push(cfg.eol);
        }
    } else {
        let mut pos = 0;
        let mut prev: Option<(usize, usize)> = None;
        for (f, c) in cells.iter().enumerate() {
            let col = f % cols;
            if let Some((len, w)) = prev {
                if col == 0 {
                    out.push(cfg.eol);
                    pos = 0;
                } else {
                    indent(out, pos + len, pos + w, tabs(cfg));
                    pos += w;
                }
            }
            out.extend_from_slice(&c.text);
            prev = Some((c.width, width_of(col)));
        }
        out.push(cfg.eol);
    }
}
