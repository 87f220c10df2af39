//! Turning entries into text: `-l` lines with GNU's per-listing column widths, names in
//! the chosen quoting style, indicators (`-F`, `-p`) and the `total` line.

use std::borrow::Cow;

use nix::sys::stat::FileStat;

use super::{Config, Entry, Indicator, Layout, Lister, Quoting, TimeKind, TimeStyle, columns};
use crate::common::mode::format_mode;
use crate::common::num::human_size_base;
use crate::common::time;

/// A listing (a directory's entries, or the file operands) as text; `dir` adds the
/// `total` line of long and `-s` listings.
pub fn listing(ls: &mut Lister, entries: &[Entry], dir: bool) -> Vec<u8> {
    let cfg = &ls.cfg;
    let mut out = Vec::new();
    if dir && (cfg.layout == Layout::Long || cfg.blocks) {
        let total: u64 = entries
            .iter()
            .filter_map(|e| e.st.as_ref())
            .map(|s| s.st_blocks.max(0) as u64)
            .sum();
        out.extend_from_slice(b"total ");
        out.extend_from_slice(blocks_text(cfg, total).as_bytes());
        out.push(cfg.eol);
    }
    if entries.is_empty() {
        return out;
    }
    let widths = Widths::of(ls, entries);
    let align = align_quotes(cfg) && entries.iter().any(|e| is_quoted(cfg, &e.name));
    if ls.cfg.layout == Layout::Long {
        for e in entries {
            long_line(ls, e, &widths, align, &mut out);
        }
        return out;
    }
    let cells: Vec<Cell> = entries
        .iter()
        .map(|e| short_cell(ls, e, &widths, align))
        .collect();
    columns::layout(&ls.cfg, &cells, &mut out);
    out
}

/// One name with its frills (inode, blocks, indicator), ready for column layout.
pub struct Cell {
    pub text: Vec<u8>,
    /// Its width on the screen (escapes excluded).
    pub width: usize,
}

/// Whether GNU's `align_variable_outer_quotes` is on: unquoted names get a leading space
/// when some name in the listing is quoted.
fn align_quotes(cfg: &Config) -> bool {
    cfg.layout != Layout::Commas
        && cfg.layout != Layout::One
        && (cfg.width != 0 || cfg.layout == Layout::Long)
        && matches!(cfg.quoting, Quoting::Shell | Quoting::ShellEscape)
}

fn is_quoted(cfg: &Config, name: &[u8]) -> bool {
    matches!(quote_name(name, cfg.quoting).first(), Some(b'\'' | b'"'))
}

/// The widths of the number columns over one listing.
#[derive(Default)]
struct Widths {
    inode: usize,
    blocks: usize,
    nlink: usize,
    owner: usize,
    group: usize,
    size: usize,
    major: usize,
    minor: usize,
    time: usize,
}

impl Widths {
    fn of(ls: &Lister, entries: &[Entry]) -> Widths {
        let cfg = &ls.cfg;
        let mut w = Widths::default();
        for e in entries {
            let Some(st) = e.st.as_ref() else {
                w.inode = w.inode.max(1);
                w.blocks = w.blocks.max(1);
                w.nlink = w.nlink.max(1);
                w.owner = w.owner.max(1);
                w.group = w.group.max(1);
                w.size = w.size.max(1);
                continue;
            };
            w.inode = w.inode.max(digits(st.st_ino));
            w.blocks = w
                .blocks
                .max(blocks_text(cfg, st.st_blocks.max(0) as u64).len());
            if cfg.layout != Layout::Long {
                continue;
            }
            w.nlink = w.nlink.max(digits(st.st_nlink));
            if cfg.owner {
                w.owner = w.owner.max(owner_text(ls, st.st_uid).0.len());
            }
            if cfg.group {
                w.group = w.group.max(group_text(ls, st.st_gid).0.len());
            }
            if is_device(st) {
                let (ma, mi) = dev_numbers(st.st_rdev);
                w.major = w.major.max(digits(ma));
                w.minor = w.minor.max(digits(mi));
            } else if cfg.human == 0 {
                w.size = w.size.max(digits(st.st_size.max(0) as u64));
            } else {
                w.size = w.size.max(size_text(cfg, st).len());
            }
            let when = time_text(ls, e);
            if when != "?" {
                w.time = w.time.max(when.len());
            }
        }
        if w.major > 0 {
            w.size = w.size.max(w.major + 2 + w.minor);
        }
        if w.time == 0 {
            w.time = 12;
        }
        w
    }
}

fn digits(n: u64) -> usize {
    let mut d = 1;
    let mut n = n;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

fn is_device(st: &FileStat) -> bool {
    matches!(st.st_mode & libc::S_IFMT, libc::S_IFCHR | libc::S_IFBLK)
}

fn dev_numbers(rdev: u64) -> (u64, u64) {
    (nix::sys::stat::major(rdev), nix::sys::stat::minor(rdev))
}

/// `st_blocks` (512-byte units) in 1K blocks rounded up, or human-readable.
pub fn blocks_text(cfg: &Config, blocks: u64) -> String {
    if cfg.human != 0 {
        human(blocks.saturating_mul(512), cfg.human)
    } else {
        blocks.div_ceil(2).to_string()
    }
}

fn human(n: u64, base: u64) -> String {
    let mut s = human_size_base(n, base);
    if base == 1000 && s.ends_with('K') {
        s.pop();
        s.push('k');
    }
    s
}

fn size_text(cfg: &Config, st: &FileStat) -> String {
    let size = st.st_size.max(0) as u64;
    if cfg.human != 0 {
        human(size, cfg.human)
    } else {
        size.to_string()
    }
}

/// A user name (left-aligned) or number (right-aligned, as GNU pads ids without names).
/// (Borrowed from the account table: two lookups per `-l` line, no copies.)
fn owner_text(ls: &Lister, uid: u32) -> (Cow<'_, [u8]>, bool) {
    match ls.accounts.as_ref().and_then(|a| a.user_by_uid(uid)) {
        Some(u) => (Cow::Borrowed(u.name.as_slice()), false),
        None => (Cow::Owned(uid.to_string().into_bytes()), true),
    }
}

fn group_text(ls: &Lister, gid: u32) -> (Cow<'_, [u8]>, bool) {
    match ls.accounts.as_ref().and_then(|a| a.group_by_gid(gid)) {
        Some(g) => (Cow::Borrowed(g.name.as_slice()), false),
        None => (Cow::Owned(gid.to_string().into_bytes()), true),
    }
}

/// The time `-l` shows, as (seconds, nanoseconds).
pub fn entry_time(cfg: &Config, e: &Entry) -> Option<(i64, i64)> {
    let st = e.st.as_ref()?;
    Some(match cfg.time {
        TimeKind::Modify => (st.st_mtime, st.st_mtime_nsec),
        TimeKind::Change => (st.st_ctime, st.st_ctime_nsec),
        TimeKind::Access => (st.st_atime, st.st_atime_nsec),
        TimeKind::Birth => return e.birth,
    })
}

/// The date column: GNU's six-month rule picks the recent or the old format.
fn time_text(ls: &Lister, e: &Entry) -> String {
    let cfg = &ls.cfg;
    let Some(when) = entry_time(cfg, e) else {
        return "?".to_string();
    };
    let six_months_ago = (cfg.now.0 - 31_556_952 / 2, cfg.now.1);
    let recent = six_months_ago < when && when <= cfg.now;
    let (old, new) = match &cfg.time_style {
        TimeStyle::Locale => ("%b %e  %Y", "%b %e %H:%M"),
        TimeStyle::Iso => ("%Y-%m-%d ", "%m-%d %H:%M"),
        TimeStyle::LongIso => ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M"),
        TimeStyle::FullIso => ("%Y-%m-%d %H:%M:%S.%N %z", "%Y-%m-%d %H:%M:%S.%N %z"),
        TimeStyle::Custom(o, n) => (o.as_str(), n.as_str()),
    };
    let fmt = if recent { new } else { old };
    // Without nanoseconds in it, the text depends only on the second and the format.
    let cacheable = !fmt.contains('N');
    if cacheable
        && let Some((t, r, text)) = ls.last_time.borrow().as_ref()
        && *t == when.0
        && *r == recent
    {
        return text.clone();
    }
    let mut tm = time::localtime(when.0, &ls.tz);
    tm.nsec = u32::try_from(when.1).unwrap_or(0);
    let text = String::from_utf8_lossy(&time::strftime(fmt.as_bytes(), &tm)).into_owned();
    if cacheable {
        *ls.last_time.borrow_mut() = Some((when.0, recent, text.clone()));
    }
    text
}

fn pad_left(out: &mut Vec<u8>, s: &[u8], width: usize) {
    out.resize(out.len() + width.saturating_sub(s.len()), b' ');
    out.extend_from_slice(s);
}

/// `n` in decimal, right-aligned in `width` columns (no `String` per number).
fn pad_number(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    pad_left(out, digits.get(at..).unwrap_or_default(), width);
}

fn pad_right(out: &mut Vec<u8>, s: &[u8], width: usize) {
    out.extend_from_slice(s);
    out.resize(out.len() + width.saturating_sub(s.len()), b' ');
}

fn long_line(ls: &mut Lister, e: &Entry, w: &Widths, align: bool, out: &mut Vec<u8>) {
    let cfg = &ls.cfg;
    let st = e.st.as_ref();
    if cfg.inode {
        let s = st.map_or_else(|| "?".to_string(), |s| s.st_ino.to_string());
        pad_left(out, s.as_bytes(), w.inode);
        out.push(b' ');
    }
    if cfg.blocks {
        let s = st.map_or_else(
            || "?".into(),
            |s| blocks_text(cfg, s.st_blocks.max(0) as u64),
        );
        pad_left(out, s.as_bytes(), w.blocks);
        out.push(b' ');
    }
    match st {
        Some(st) => {
            out.extend_from_slice(&format_mode(st.st_mode));
            out.push(b' ');
            pad_number(out, st.st_nlink, w.nlink);
            out.push(b' ');
            if cfg.owner {
                let (name, numeric) = owner_text(ls, st.st_uid);
                if numeric {
                    pad_left(out, &name, w.owner);
                } else {
                    pad_right(out, &name, w.owner);
                }
                out.push(b' ');
            }
            if cfg.group {
                let (name, numeric) = group_text(ls, st.st_gid);
                if numeric {
                    pad_left(out, &name, w.group);
                } else {
                    pad_right(out, &name, w.group);
                }
                out.push(b' ');
            }
            if is_device(st) {
                let (ma, mi) = dev_numbers(st.st_rdev);
                let blanks = w.size.saturating_sub(w.major + 2 + w.minor);
                out.resize(out.len() + blanks, b' ');
                pad_left(out, ma.to_string().as_bytes(), w.major);
                out.extend_from_slice(b", ");
                pad_left(out, mi.to_string().as_bytes(), w.minor);
            } else if cfg.human == 0 {
                pad_number(out, st.st_size.max(0) as u64, w.size);
            } else {
                pad_left(out, size_text(cfg, st).as_bytes(), w.size);
            }
            out.push(b' ');
            let when = time_text(ls, e);
            pad_left(out, when.as_bytes(), if when == "?" { w.time } else { 0 });
            out.push(b' ');
        }
        None => {
            let kind = match e.kind() {
                Some(k) => format_mode(k)[0],
                None => b'?',
            };
            out.push(kind);
            out.extend_from_slice(b"????????? ");
            pad_left(out, b"?", w.nlink);
            out.push(b' ');
            if cfg.owner {
                pad_right(out, b"?", w.owner);
                out.push(b' ');
            }
            if cfg.group {
                pad_right(out, b"?", w.group);
                out.push(b' ');
            }
            pad_left(out, b"?", w.size);
            out.push(b' ');
            pad_left(out, b"?", w.time);
            out.push(b' ');
        }
    }
    if align && !is_quoted(&ls.cfg, &e.name) {
        out.push(b' ');
    }
    let mode = e.st.as_ref().map(|s| s.st_mode).or(e.dtype);
    let code = ls.colors.as_ref().and_then(|c| c.entry(e));
    colored_name(ls, &e.name, code, out);
    match &e.target {
        Some(t) => {
            out.extend_from_slice(b" -> ");
            let code = ls.colors.as_ref().and_then(|c| c.target(e, t));
            colored_name(ls, t, code, out);
            if let Some(m) = e.target_mode
                && let Some(c) = indicator(ls.cfg.indicator, m)
            {
                out.push(c);
            }
        }
        None => {
            if let Some(c) = mode.and_then(|m| indicator(ls.cfg.indicator, m)) {
                out.push(c);
            }
        }
    }
    out.push(ls.cfg.eol);
}

/// A name in the quoting style, wrapped in its colour when colours are on.
fn colored_name(ls: &mut Lister, name: &[u8], code: Option<Vec<u8>>, out: &mut Vec<u8>) {
    let quoted = display_name(&ls.cfg, name);
    match code.filter(|_| ls.cfg.color) {
        Some(code) => {
            if !ls.used_color {
                ls.used_color = true;
                out.extend_from_slice(b"\x1b[0m");
            }
            out.extend_from_slice(b"\x1b[");
            out.extend_from_slice(&code);
            out.push(b'm');
            out.extend_from_slice(&quoted);
            out.extend_from_slice(b"\x1b[0m");
        }
        None => out.extend_from_slice(&quoted),
    }
}

/// The name as shown: quoted, and with `-q` nonprinting bytes as `?`.
pub fn display_name(cfg: &Config, name: &[u8]) -> Vec<u8> {
    let mut q = if cfg.quoting == Quoting::Escape {
        let mut out = Vec::new();
        backslash_escape(name, false, true, &mut out);
        out
    } else {
        quote_name(name, cfg.quoting)
    };
    if cfg.hide_control
        && matches!(
            cfg.quoting,
            Quoting::Literal | Quoting::Shell | Quoting::ShellAlways
        )
    {
        for b in &mut q {
            if !is_printable(*b) {
                *b = b'?';
            }
        }
    }
    q
}

fn short_cell(ls: &mut Lister, e: &Entry, w: &Widths, align: bool) -> Cell {
    let cfg = &ls.cfg;
    let commas = cfg.layout == Layout::Commas;
    let mut text = Vec::new();
    let st = e.st.as_ref();
    if cfg.inode {
        let s = st.map_or_else(|| "?".to_string(), |s| s.st_ino.to_string());
        pad_left(&mut text, s.as_bytes(), if commas { 0 } else { w.inode });
        text.push(b' ');
    }
    if cfg.blocks {
        let s = st.map_or_else(
            || "?".into(),
            |s| blocks_text(cfg, s.st_blocks.max(0) as u64),
        );
        pad_left(&mut text, s.as_bytes(), if commas { 0 } else { w.blocks });
        text.push(b' ');
    }
    if align && !is_quoted(cfg, &e.name) {
        text.push(b' ');
    }
    let mut width = text.len() + screen_width(&display_name(cfg, &e.name));
    let code = ls.colors.as_ref().and_then(|c| c.entry(e));
    colored_name(ls, &e.name, code, &mut text);
    let mode = e.st.as_ref().map(|s| s.st_mode).or(e.dtype);
    if let Some(c) = mode.and_then(|m| indicator(ls.cfg.indicator, m)) {
        text.push(c);
        width += 1;
    }
    Cell { text, width }
}

/// The character `-F`, `--file-type` or `-p` appends for a file of mode `mode`.
fn indicator(style: Indicator, mode: u32) -> Option<u8> {
    let c = match mode & libc::S_IFMT {
        libc::S_IFDIR => b'/',
        _ if style == Indicator::Slash => return None,
        libc::S_IFLNK => b'@',
        libc::S_IFIFO => b'|',
        libc::S_IFSOCK => b'=',
        libc::S_IFREG if style == Indicator::Classify && mode & 0o111 != 0 => b'*',
        _ => return None,
    };
    (style != Indicator::None).then_some(c)
}

/// The columns `name` takes as GNU ls counts them in the C locale: printable bytes.
fn screen_width(name: &[u8]) -> usize {
    name.iter().filter(|&&b| is_printable(b)).count()
}

/// Printable in the C locale.
fn is_printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// `name` in a GNU quoting style, C locale (bytes above 127 do not print).
pub fn quote_name(name: &[u8], style: Quoting) -> Vec<u8> {
    match style {
        Quoting::Literal => name.to_vec(),
        Quoting::C => {
            let mut out = vec![b'"'];
            backslash_escape(name, true, false, &mut out);
            out.push(b'"');
            out
        }
        Quoting::Escape => {
            let mut out = Vec::new();
            backslash_escape(name, false, false, &mut out);
            out
        }
        Quoting::Shell
        | Quoting::ShellAlways
        | Quoting::ShellEscape
        | Quoting::ShellEscapeAlways => shell_quote(name, style),
    }
}

/// C-style escapes; `dquote` escapes `"` (inside C quotes), `space` escapes spaces
/// (ls adds the space to the escape style's set).
fn backslash_escape(name: &[u8], dquote: bool, escape_space: bool, out: &mut Vec<u8>) {
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' if dquote => out.extend_from_slice(b"\\\""),
            b' ' if escape_space => out.extend_from_slice(b"\\ "),
            _ => push_c_escape(b, out),
        }
    }
}

/// A byte as C shows it: itself when printable, else `\n`-style or `\ooo`.
fn push_c_escape(b: u8, out: &mut Vec<u8>) {
    let named = match b {
        0x07 => b'a',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0x0b => b'v',
        _ if is_printable(b) => {
            out.push(b);
            return;
        }
        _ => {
            out.extend_from_slice(format!("\\{b:03o}").as_bytes());
            return;
        }
    };
    out.extend_from_slice(&[b'\\', named]);
}

/// Whether a shell would need `name` quoted (GNU's list, C locale); `escapes` says
/// whether bytes above 127 count (they do for the shell-escape styles).
fn shell_needs_quoting(name: &[u8], escapes: bool) -> bool {
    if name.is_empty() {
        return true;
    }
    if name == b"{" || name == b"}" || matches!(name.first(), Some(b'#' | b'~')) {
        return true;
    }
    name.iter().any(|&b| {
        (b < 0x20 || b == 0x7f || (escapes && b >= 0x80))
            || matches!(
                b,
                b' ' | b'!'
                    | b'"'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b';'
                    | b'<'
                    | b'='
                    | b'>'
                    | b'?'
                    | b'['
                    | b'\\'
                    | b'^'
                    | b'`'
                    | b'|'
            )
    })
}

fn shell_quote(name: &[u8], style: Quoting) -> Vec<u8> {
    let always = matches!(style, Quoting::ShellAlways | Quoting::ShellEscapeAlways);
    let escapes = matches!(style, Quoting::ShellEscape | Quoting::ShellEscapeAlways);
    if !always && !shell_needs_quoting(name, escapes) {
        return name.to_vec();
    }
    let printable = name.iter().all(|&b| is_printable(b));
    // A single quote in an otherwise tame name: GNU switches to double quotes.
    if name.contains(&b'\'') && printable && !name.iter().any(|b| b"\"$`\\!".contains(b)) {
        let mut out = vec![b'"'];
        out.extend_from_slice(name);
        out.push(b'"');
        return out;
    }
    let mut out = vec![b'\''];
    let mut in_dollar = false;
    for &b in name {
        if escapes && !is_printable(b) {
            if !in_dollar {
                out.extend_from_slice(b"'$'");
                in_dollar = true;
            }
            push_c_escape(b, &mut out);
            continue;
        }
        if in_dollar {
            out.extend_from_slice(b"''");
            in_dollar = false;
        }
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_right_aligned_in_their_width() {
        let mut out = Vec::new();
        for (n, w) in [(0, 3), (7, 1), (1234, 2), (u64::MAX, 0)] {
            pad_number(&mut out, n, w);
            out.push(b'|');
        }
        assert_eq!(out, b"  0|7|1234|18446744073709551615|");
        assert_eq!(digits(u64::MAX), 20);
    }
}
