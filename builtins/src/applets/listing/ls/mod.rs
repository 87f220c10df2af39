//! `ls`: list directory contents, as GNU coreutils does in the C locale.
//!
//! `mod.rs` parses options and walks the operands and directories; `format.rs` turns an
//! entry into text (long lines, names, quoting, indicators), `columns.rs` lays names out
//! in columns, `sort.rs` orders entries and `color.rs` picks their colours.

mod color;
mod columns;
mod format;
mod glob;
mod sort;

pub use format::quote_name;
pub use glob::glob_match;

use std::ffi::OsStr;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use std::os::fd::{AsFd, BorrowedFd};

use nix::fcntl::{AT_FDCWD, AtFlags, OFlag};
use nix::sys::stat::FileStat;

use crate::common::passwd::Accounts;
use crate::common::time::Tz;
use crate::common::walk::read_names;
use crate::error::strerror;
use crate::prelude::*;

/// The `ls` applet.
pub const APPLET: Applet = Applet::new("ls", main, Run::Fork)
    .usage("[-1aAbBcCdfFgGhHiklLmnopqQrRsStuUxX] [-w COLS] [-I PAT] [FILE]...")
    .help(
        "List directory contents.\n\n\
         -1\tOne name per line\n\
         -a\tInclude names starting with .\n\
         -A\tLike -a, without . and ..\n\
         -b\tEscape nonprinting characters C-style\n\
         -B\tIgnore names ending in ~\n\
         -c\tWith -l: show ctime; sort by it with -t or without -l\n\
         -C\tList in columns, top to bottom\n\
         -d\tList directories themselves, not their contents\n\
         -f\tList all names, unsorted, without colour\n\
         -F\tAppend an indicator (one of */=@|) to names\n\
         -g\tLike -l without the owner\n\
         -G\tWith -l: omit the group\n\
         -h\tHuman-readable sizes (1K 234M 2G)\n\
         -H\tFollow symbolic links named on the command line\n\
         -i\tPrint inode numbers\n\
         -I PAT\tLeave out names matching the shell pattern PAT (--hide: unless -a)\n\
         -k\tSizes in 1024-byte blocks\n\
         -l\tLong listing\n\
         -L\tFollow all symbolic links\n\
         -m\tComma-separated list\n\
         -n\tLike -l with numeric user and group ids\n\
         -o\tLike -l without the group\n\
         -p\tAppend / to directories\n\
         -q\tShow nonprinting characters as ?\n\
         -Q\tQuote names in double quotes\n\
         -r\tReverse the sort order\n\
         -R\tList subdirectories recursively\n\
         -s\tPrint allocated size in blocks\n\
         -S\tSort by size, largest first\n\
         -t\tSort by time, newest first\n\
         -u\tWith -l: show atime; sort by it with -t or without -l\n\
         -U\tDo not sort\n\
         -T N\tTab stops every N columns (0: spaces only)\n\
         -w N\tAssume a screen N columns wide\n\
         -x\tList in columns, across\n\
         -X\tSort by extension\n\
         --color[=WHEN]\tColour names: always, auto, never\n\
         --full-time\tLike -l --time-style=full-iso\n\
         --time-style=S\tfull-iso, long-iso, iso, locale or +FORMAT\n\
         --group-directories-first\tDirectories before files\n\
         --quoting-style=S\tliteral, shell, shell-always, shell-escape, c, escape",
    )
    .error_status(2);

const LONGS: &[&str] = &[
    "all",
    "almost-all",
    "escape",
    "directory",
    "classify",
    "file-type",
    "format",
    "full-time",
    "group-directories-first",
    "no-group",
    "human-readable",
    "si",
    "dereference-command-line",
    "dereference-command-line-symlink-to-dir",
    "hide-control-chars",
    "show-control-chars",
    "inode",
    "kibibytes",
    "dereference",
    "numeric-uid-gid",
    "literal",
    "indicator-style",
    "quote-name",
    "quoting-style",
    "reverse",
    "recursive",
    "size",
    "sort",
    "time",
    "time-style",
    "width",
    "color",
    "colour",
    "zero",
    "tabsize",
    "ignore-backups",
    "ignore",
    "hide",
];

/// How names are shown.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    Long,
    One,
    Columns,
    Across,
    Commas,
}

/// Which names a directory listing skips.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hidden {
    Dots,
    DotDirs,
    Nothing,
}

/// What `-F`, `-p` and `--file-type` append.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Indicator {
    None,
    Slash,
    FileType,
    Classify,
}

/// The sort key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Time,
    Size,
    Extension,
    Version,
    Unsorted,
}

/// Which of the three times `-l` shows and `-t` sorts by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TimeKind {
    Modify,
    Change,
    Access,
    Birth,
}

/// When symbolic links are followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Deref {
    Never,
    CommandLine,
    CommandLineDirs,
    Always,
}

/// How names are quoted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    Literal,
    Shell,
    ShellAlways,
    ShellEscape,
    ShellEscapeAlways,
    C,
    Escape,
}

/// How `-l` prints times.
#[derive(Clone, PartialEq, Eq)]
pub enum TimeStyle {
    Locale,
    Iso,
    LongIso,
    FullIso,
    /// `+FORMAT` or `+OLD\nRECENT`: (old, recent).
    Custom(String, String),
}

/// Every option, decided.
pub struct Config {
    pub layout: Layout,
    hidden: Hidden,
    dirs_as_files: bool,
    recursive: bool,
    pub owner: bool,
    pub group: bool,
    pub numeric: bool,
    pub indicator: Indicator,
    /// 0 for plain numbers, else the base of `-h` (1024) or `--si` (1000).
    pub human: u64,
    pub inode: bool,
    pub blocks: bool,
    pub sort: SortKey,
    pub reverse: bool,
    pub time: TimeKind,
    deref: Deref,
    pub color: bool,
    pub quoting: Quoting,
    pub hide_control: bool,
    pub time_style: TimeStyle,
    pub dirs_first: bool,
    pub width: usize,
    /// Tab stops for column padding (`-T`; 0: spaces only).
    pub tabsize: usize,
    ignore_backups: bool,
    /// `-I` patterns (always applied) and `--hide` ones (not with `-a`/`-A`).
    ignore: Vec<Vec<u8>>,
    hide: Vec<Vec<u8>>,
    pub eol: u8,
    /// Now, for the six-month rule.
    pub now: (i64, i64),
}

/// One name to list, with what is known about it.
pub struct Entry {
    /// The name as listed: the operand as typed, or the directory entry's name.
    pub name: Vec<u8>,
    /// The path to reach it.
    pub path: Vec<u8>,
    /// Its status, when stat succeeded (or was needed at all).
    pub st: Option<FileStat>,
    /// The file type from the directory entry, for entries that were not stat'ed.
    pub dtype: Option<u32>,
    /// A symbolic link's target (long listings).
    pub target: Option<Vec<u8>>,
    /// The mode of what the link points to, when it was looked up and exists.
    pub target_mode: Option<u32>,
    /// Whether the link's target was looked up (so `target_mode: None` means dangling).
    pub looked_up_target: bool,
    /// The birth time (statx), for `--time=birth`.
    pub birth: Option<(i64, i64)>,
}

impl Entry {
    /// The file type bits (`S_IFMT`), when known.
    pub fn kind(&self) -> Option<u32> {
        self.st
            .as_ref()
            .map(|s| s.st_mode & libc::S_IFMT)
            .or(self.dtype)
    }

    fn is_dir(&self) -> bool {
        self.kind() == Some(libc::S_IFDIR)
    }
}

/// Shared state of one run.
pub struct Lister {
    pub cfg: Config,
    pub accounts: Option<Accounts>,
    /// Whether any colour escape has been written yet (GNU resets once, first).
    pub used_color: bool,
    need_stat: bool,
    /// The local time zone, for `-l` dates.
    pub tz: Tz,
    /// The colour table, when colouring.
    pub colors: Option<color::Colors>,
    /// The last date column made: (seconds, recent, text). Files made together share a
    /// second, and each `-l` line needs its date twice (the width, the line).
    pub last_time: std::cell::RefCell<Option<(i64, bool, String)>>,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (cfg, operands) = parse(ctx)?;
    let need_stat = cfg.layout == Layout::Long
        || cfg.inode
        || cfg.blocks
        || cfg.recursive
        || cfg.color
        || cfg.dirs_first
        || cfg.indicator != Indicator::None
        || matches!(cfg.sort, SortKey::Time | SortKey::Size);
    let accounts = (cfg.layout == Layout::Long && !cfg.numeric && (cfg.owner || cfg.group))
        .then(Accounts::load);
    let mut ls = Lister {
        cfg,
        accounts,
        used_color: false,
        need_stat,
        tz: Tz::from_env(ctx.env),
        colors: None,
        last_time: std::cell::RefCell::new(None),
    };
    if ls.cfg.color {
        ls.colors = Some(color::Colors::from_env(ctx.env));
    }
    run(ctx, &mut ls, operands)
}

fn parse(ctx: &mut Ctx<'_>) -> Result<(Config, Vec<Vec<u8>>), Error> {
    let tty = ctx.stdout.raw_fd().is_some_and(crate::common::fdio::isatty);
    let mut c = Config {
        layout: if tty { Layout::Columns } else { Layout::One },
        hidden: Hidden::Dots,
        dirs_as_files: false,
        recursive: false,
        owner: true,
        group: true,
        numeric: false,
        indicator: Indicator::None,
        human: 0,
        inode: false,
        blocks: false,
        sort: SortKey::Name,
        reverse: false,
        time: TimeKind::Modify,
        deref: Deref::Never,
        color: false,
        quoting: if tty {
            Quoting::ShellEscape
        } else {
            Quoting::Literal
        },
        hide_control: tty,
        time_style: TimeStyle::Locale,
        dirs_first: false,
        width: 80,
        tabsize: 8,
        ignore_backups: false,
        ignore: Vec::new(),
        hide: Vec::new(),
        eol: b'\n',
        now: now(),
    };
    if let Some(v) = ctx.env.get(b"QUOTING_STYLE") {
        match quoting_style(v) {
            Some(q) => c.quoting = q,
            None => {
                let m = format!(
                    "ignoring invalid value of environment variable QUOTING_STYLE: {}",
                    quote(v)
                );
                ctx.note(m.as_bytes());
            }
        }
    }
    let mut style_given = false;
    let mut deref = None;
    let mut sort_given = false;
    let mut time_given = false;
    let mut width = None;
    let mut color_when: Option<Vec<u8>> = None;
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('1') => c.layout = Layout::One,
            Arg::Short('a') | Arg::Long("all") => c.hidden = Hidden::Nothing,
            Arg::Short('A') | Arg::Long("almost-all") => c.hidden = Hidden::DotDirs,
            Arg::Short('b') | Arg::Long("escape") => c.quoting = Quoting::Escape,
            Arg::Short('c') => (c.time, time_given) = (TimeKind::Change, true),
            Arg::Short('C') => c.layout = Layout::Columns,
            Arg::Short('d') | Arg::Long("directory") => c.dirs_as_files = true,
            Arg::Short('f') => {
                c.hidden = Hidden::Nothing;
                (c.sort, sort_given) = (SortKey::Unsorted, true);
                color_when = Some(b"never".to_vec());
            }
            Arg::Short('F') => c.indicator = Indicator::Classify,
            Arg::Long("classify") => {
                let when = opts.optional_value().unwrap_or_else(|| b"always".to_vec());
                if when_flag(&when, tty).ok_or_else(|| bad_arg(&when, "--classify"))? {
                    c.indicator = Indicator::Classify;
                }
            }
            Arg::Long("file-type") => c.indicator = Indicator::FileType,
            Arg::Short('p') => c.indicator = Indicator::Slash,
            Arg::Long("indicator-style") => {
                let v = opts.value()?;
                c.indicator = match v.as_slice() {
                    b"none" => Indicator::None,
                    b"slash" => Indicator::Slash,
                    b"file-type" => Indicator::FileType,
                    b"classify" => Indicator::Classify,
                    _ => return Err(bad_arg(&v, "--indicator-style")),
                };
            }
            Arg::Short('g') => (c.layout, c.owner) = (Layout::Long, false),
            Arg::Short('o') => (c.layout, c.group) = (Layout::Long, false),
            Arg::Short('G') | Arg::Long("no-group") => c.group = false,
            Arg::Short('h') | Arg::Long("human-readable") => c.human = 1024,
            Arg::Long("si") => c.human = 1000,
            // 1024-byte blocks are the default already (no BLOCK_SIZE support).
            Arg::Short('k') | Arg::Long("kibibytes") => {}
            Arg::Short('H') | Arg::Long("dereference-command-line") => {
                deref = Some(Deref::CommandLine)
            }
            Arg::Long("dereference-command-line-symlink-to-dir") => {
                deref = Some(Deref::CommandLineDirs)
            }
            Arg::Short('L') | Arg::Long("dereference") => deref = Some(Deref::Always),
            Arg::Short('i') | Arg::Long("inode") => c.inode = true,
            Arg::Short('l') => c.layout = Layout::Long,
            Arg::Short('m') => c.layout = Layout::Commas,
            Arg::Short('x') => c.layout = Layout::Across,
            Arg::Long("format") => {
                let v = opts.value()?;
                c.layout = match v.as_slice() {
                    b"long" | b"verbose" => Layout::Long,
                    b"single-column" => Layout::One,
                    b"vertical" => Layout::Columns,
                    b"across" | b"horizontal" => Layout::Across,
                    b"commas" => Layout::Commas,
                    _ => return Err(bad_arg(&v, "--format")),
                };
            }
            Arg::Short('n') | Arg::Long("numeric-uid-gid") => {
                (c.layout, c.numeric) = (Layout::Long, true)
            }
            Arg::Short('q') | Arg::Long("hide-control-chars") => c.hide_control = true,
            Arg::Long("show-control-chars") => c.hide_control = false,
            Arg::Short('N') | Arg::Long("literal") => c.quoting = Quoting::Literal,
            Arg::Short('Q') | Arg::Long("quote-name") => c.quoting = Quoting::C,
            Arg::Long("quoting-style") => {
                let v = opts.value()?;
                c.quoting = quoting_style(&v).ok_or_else(|| bad_arg(&v, "--quoting-style"))?;
            }
            Arg::Short('r') | Arg::Long("reverse") => c.reverse = true,
            Arg::Short('R') | Arg::Long("recursive") => c.recursive = true,
            Arg::Short('s') | Arg::Long("size") => c.blocks = true,
            Arg::Short('S') => (c.sort, sort_given) = (SortKey::Size, true),
            Arg::Short('t') => (c.sort, sort_given) = (SortKey::Time, true),
            Arg::Short('U') => (c.sort, sort_given) = (SortKey::Unsorted, true),
            Arg::Short('v') => (c.sort, sort_given) = (SortKey::Version, true),
            Arg::Short('X') => (c.sort, sort_given) = (SortKey::Extension, true),
            Arg::Long("sort") => {
                let v = opts.value()?;
                c.sort = match v.as_slice() {
                    b"none" => SortKey::Unsorted,
                    b"name" => SortKey::Name,
                    b"time" => SortKey::Time,
                    b"size" => SortKey::Size,
                    b"extension" => SortKey::Extension,
                    b"version" => SortKey::Version,
                    _ => return Err(bad_arg(&v, "--sort")),
                };
                sort_given = true;
            }
            Arg::Short('u') => (c.time, time_given) = (TimeKind::Access, true),
            Arg::Long("time") => {
                let v = opts.value()?;
                c.time = match v.as_slice() {
                    b"atime" | b"access" | b"use" => TimeKind::Access,
                    b"ctime" | b"status" => TimeKind::Change,
                    b"mtime" | b"modification" => TimeKind::Modify,
                    b"birth" | b"creation" => TimeKind::Birth,
                    _ => return Err(bad_arg(&v, "--time")),
                };
                time_given = true;
            }
            Arg::Long("full-time") => {
                c.layout = Layout::Long;
                c.time_style = TimeStyle::FullIso;
            }
            Arg::Long("time-style") => {
                let v = opts.value()?;
                c.time_style = time_style(&v, ctx.env)?;
                style_given = true;
            }
            Arg::Long("group-directories-first") => c.dirs_first = true,
            Arg::Short('w') | Arg::Long("width") => {
                let v = opts.value()?;
                width = Some(
                    crate::opts::parse_number::<usize>(&v, "line width")
                        .map_err(|_| Error::msg(format!("invalid line width: {}", quote(&v))))?,
                );
            }
            Arg::Long("color") | Arg::Long("colour") => {
                color_when = Some(opts.optional_value().unwrap_or_else(|| b"always".to_vec()));
            }
            Arg::Long("zero") => c.eol = 0,
            Arg::Short('T') | Arg::Long("tabsize") => {
                let v = opts.value()?;
                c.tabsize = crate::opts::parse_number::<usize>(&v, "tab size")
                    .map_err(|_| Error::msg(format!("invalid tab size: {}", quote(&v))))?;
            }
            Arg::Short('B') | Arg::Long("ignore-backups") => c.ignore_backups = true,
            Arg::Short('I') | Arg::Long("ignore") => c.ignore.push(opts.value()?),
            Arg::Long("hide") => c.hide.push(opts.value()?),
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if let Some(when) = color_when {
        c.color = when_flag(&when, tty).ok_or_else(|| bad_arg(&when, "--color"))?
            && color::terminal_wants_color(ctx.env);
    }
    if !style_given && let Some(v) = ctx.env.get(b"TIME_STYLE").map(<[u8]>::to_vec) {
        c.time_style = time_style(&v, ctx.env)?;
    }
    if time_given && !sort_given && c.layout != Layout::Long {
        c.sort = SortKey::Time;
    }
    c.deref = deref.unwrap_or(
        if c.dirs_as_files || c.indicator == Indicator::Classify || c.layout == Layout::Long {
            Deref::Never
        } else {
            Deref::CommandLineDirs
        },
    );
    c.width = match width {
        Some(w) => w,
        None => columns::terminal_width(ctx).unwrap_or(80),
    };
    Ok((c, operands))
}

/// `always`/`yes`/`force`, `never`/`no`/`none`, `auto`/`tty`/`if-tty`.
fn when_flag(v: &[u8], tty: bool) -> Option<bool> {
    match v {
        b"always" | b"yes" | b"force" => Some(true),
        b"never" | b"no" | b"none" => Some(false),
        b"auto" | b"tty" | b"if-tty" => Some(tty),
        _ => None,
    }
}

fn bad_arg(v: &[u8], option: &str) -> Error {
    Error::usage(format!("invalid argument {} for '{option}'", quote(v)))
}

fn time_style(v: &[u8], env: &dyn crate::ctx::Env) -> Result<TimeStyle, Error> {
    let v = match v.strip_prefix(b"posix-") {
        // `posix-STYLE` is STYLE outside the POSIX locale.
        Some(_) if posix_locale(env) => return Ok(TimeStyle::Locale),
        Some(rest) => rest,
        None => v,
    };
    Ok(match v {
        b"full-iso" => TimeStyle::FullIso,
        b"long-iso" => TimeStyle::LongIso,
        b"iso" => TimeStyle::Iso,
        b"locale" => TimeStyle::Locale,
        _ => match v.strip_prefix(b"+") {
            Some(f) => {
                let f = String::from_utf8_lossy(f).into_owned();
                match f.split_once('\n') {
                    Some((old, recent)) => TimeStyle::Custom(old.into(), recent.into()),
                    None => TimeStyle::Custom(f.clone(), f),
                }
            }
            None => return Err(bad_arg(v, "time style")),
        },
    })
}

/// Whether the locale for times is C/POSIX: the first of `LC_ALL`, `LC_TIME`, `LANG`
/// that is set and non-empty, or none.
fn posix_locale(env: &dyn crate::ctx::Env) -> bool {
    let name = [&b"LC_ALL"[..], b"LC_TIME", b"LANG"]
        .iter()
        .find_map(|n| env.get(n).filter(|v| !v.is_empty()));
    matches!(name, None | Some(b"C" | b"POSIX"))
}

/// A `--quoting-style` / `QUOTING_STYLE` name.
pub fn quoting_style(v: &[u8]) -> Option<Quoting> {
    Some(match v {
        b"literal" => Quoting::Literal,
        b"shell" => Quoting::Shell,
        b"shell-always" => Quoting::ShellAlways,
        b"shell-escape" => Quoting::ShellEscape,
        b"shell-escape-always" => Quoting::ShellEscapeAlways,
        b"c" => Quoting::C,
        b"escape" => Quoting::Escape,
        _ => return None,
    })
}

fn now() -> (i64, i64) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, i64::from(d.subsec_nanos())),
        Err(_) => (0, 0),
    }
}

/// A name quoted for a message, as GNU's `quoteaf` does in the C locale: `'x'`, with
/// nonprinting bytes as `'$'\n''` pieces.
pub fn quote(name: &[u8]) -> String {
    String::from_utf8_lossy(&format::quote_name(name, Quoting::ShellEscapeAlways)).into_owned()
}

/// GNU's exit statuses: 1 for a minor problem (in a subdirectory), 2 for serious
/// trouble (a command-line operand).
fn fail(ctx: &mut Ctx<'_>, message: String, serious: bool) {
    // As gnulib's error(): what was listed so far comes out first.
    let _ = ctx.stdout.flush();
    ctx.note(message.as_bytes());
    ctx.status = ctx.status.max(if serious { 2 } else { 1 });
}

fn fail_io(ctx: &mut Ctx<'_>, what: &str, name: &[u8], err: &std::io::Error, serious: bool) {
    fail(
        ctx,
        format!("{what} {}: {}", quote(name), strerror(err)),
        serious,
    );
}

fn errno_io(e: nix::errno::Errno) -> std::io::Error {
    std::io::Error::from_raw_os_error(e as i32)
}

/// One directory waiting to be listed, or the end of one (for cycle detection).
enum Pending {
    Dir {
        path: Vec<u8>,
        name: Vec<u8>,
        command_line: bool,
    },
    Leave(u64, u64),
}

fn run(ctx: &mut Ctx<'_>, ls: &mut Lister, mut operands: Vec<Vec<u8>>) -> Result<(), Error> {
    let no_operands = operands.is_empty();
    if no_operands {
        operands.push(b".".to_vec());
    }
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for op in &operands {
        if no_operands && !ls.cfg.dirs_as_files {
            dirs.push(Entry {
                name: op.clone(),
                path: op.clone(),
                st: None,
                dtype: Some(libc::S_IFDIR),
                target: None,
                target_mode: None,
                looked_up_target: false,
                birth: None,
            });
            continue;
        }
        let Some(e) = gobble(ctx, ls, op.clone(), op.clone(), None, None) else {
            continue;
        };
        if !ls.cfg.dirs_as_files && e.is_dir() {
            dirs.push(e);
        } else {
            files.push(e);
        }
    }
    sort::sort(&ls.cfg, &mut files);
    sort::sort(&ls.cfg, &mut dirs);
    let mut first = true;
    if !files.is_empty() {
        let out = format::listing(ls, &files, false);
        ctx.stdout.write_all(&out)?;
        first = false;
    }
    let headers = operands.len() > 1 || ls.cfg.recursive;
    let mut stack: Vec<Pending> = dirs
        .into_iter()
        .rev()
        .map(|e| Pending::Dir {
            path: e.path,
            name: e.name,
            command_line: true,
        })
        .collect();
    let mut active: Vec<(u64, u64)> = Vec::new();
    while let Some(p) = stack.pop() {
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        let (path, name, command_line) = match p {
            Pending::Leave(dev, ino) => {
                active.retain(|&d| d != (dev, ino));
                continue;
            }
            Pending::Dir {
                path,
                name,
                command_line,
            } => (path, name, command_line),
        };
        list_dir(
            ctx,
            ls,
            &path,
            &name,
            command_line,
            headers,
            &mut first,
            &mut stack,
            &mut active,
        )?;
    }
    Ok(())
}

/// Looks up one name: stats it as the dereference rules say, reads a link's target for
/// long listings. `None` (after a message) when it cannot be listed at all. `dir` is the
/// open directory an entry's `name` is relative to (one path step for the kernel instead
/// of the whole path); operands (`None`) are looked up by their path.
fn gobble(
    ctx: &mut Ctx<'_>,
    ls: &Lister,
    name: Vec<u8>,
    path: Vec<u8>,
    dtype: Option<u32>,
    dir: Option<BorrowedFd<'_>>,
) -> Option<Entry> {
    let command_line = dir.is_none();
    let mut e = Entry {
        name,
        path,
        st: None,
        dtype,
        target: None,
        target_mode: None,
        looked_up_target: false,
        birth: None,
    };
    if !command_line && !ls.need_stat {
        return Some(e);
    }
    let follow = match ls.cfg.deref {
        Deref::Always => true,
        Deref::CommandLine | Deref::CommandLineDirs => command_line,
        Deref::Never => false,
    };
    let p = e.path.as_slice();
    let (at, rel) = match dir {
        Some(fd) => (fd, e.name.as_slice()),
        None => (AT_FDCWD, p),
    };
    let stat = |at: BorrowedFd<'_>, rel: &[u8]| nix::sys::stat::fstatat(at, rel, AtFlags::empty());
    let lstat = |at: BorrowedFd<'_>, rel: &[u8]| {
        nix::sys::stat::fstatat(at, rel, AtFlags::AT_SYMLINK_NOFOLLOW)
    };
    let r = if follow {
        match stat(at, rel) {
            Ok(st) if ls.cfg.deref == Deref::CommandLineDirs && !is_dir_mode(st.st_mode) => {
                lstat(at, rel)
            }
            Err(nix::errno::Errno::ENOENT) if ls.cfg.deref == Deref::CommandLineDirs => {
                lstat(at, rel)
            }
            Err(err) if ls.cfg.deref == Deref::Always && !command_line => {
                // A dangling link inside a directory: reported, then listed as the link.
                fail_io(ctx, "cannot access", p, &errno_io(err), false);
                if let Ok(st) = lstat(at, rel) {
                    e.dtype = Some(st.st_mode & libc::S_IFMT);
                }
                return Some(e);
            }
            other => other,
        }
    } else {
        lstat(at, rel)
    };
    if ls.cfg.time == TimeKind::Birth {
        e.birth = birth_time(&e.path, follow);
    }
    match r {
        Ok(st) => e.st = Some(st),
        Err(err) => {
            fail_io(ctx, "cannot access", p, &errno_io(err), command_line);
            return if command_line { None } else { Some(e) };
        }
    }
    let is_link = e.kind() == Some(libc::S_IFLNK);
    if is_link && ls.cfg.layout == Layout::Long {
        match nix::fcntl::readlinkat(at, rel) {
            Ok(t) => e.target = Some(t.into_vec()),
            Err(err) => fail_io(
                ctx,
                "cannot read symbolic link",
                p,
                &errno_io(err),
                command_line,
            ),
        }
    }
    let colors_need = ls.colors.as_ref().is_some_and(color::Colors::wants_targets);
    if is_link
        && ((ls.cfg.layout == Layout::Long && ls.cfg.indicator >= Indicator::FileType)
            || colors_need)
    {
        e.looked_up_target = true;
        e.target_mode = stat(at, rel).ok().map(|s| s.st_mode);
    }
    Some(e)
}

/// The birth time through std's statx-backed `created()`, when the file system keeps it.
fn birth_time(path: &[u8], follow: bool) -> Option<(i64, i64)> {
    let p = std::path::Path::new(OsStr::from_bytes(path));
    let m = if follow {
        std::fs::metadata(p)
    } else {
        std::fs::symlink_metadata(p)
    };
    let d = m
        .ok()?
        .created()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((
        i64::try_from(d.as_secs()).ok()?,
        i64::from(d.subsec_nanos()),
    ))
}

fn is_dir_mode(mode: u32) -> bool {
    mode & libc::S_IFMT == libc::S_IFDIR
}

/// The path of an entry: `name` alone in `.` (as GNU's messages show it), else `dir/name`.
fn entry_path(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir == b"." {
        return name.to_vec();
    }
    join(dir, name)
}

/// `dir/name` (as -R headers show it), without doubling a trailing slash.
fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

#[allow(clippy::too_many_arguments)]
fn list_dir(
    ctx: &mut Ctx<'_>,
    ls: &mut Lister,
    path: &[u8],
    name: &[u8],
    command_line: bool,
    headers: bool,
    first: &mut bool,
    stack: &mut Vec<Pending>,
    active: &mut Vec<(u64, u64)>,
) -> Result<(), Error> {
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK;
    let fd = match nix::fcntl::open(path, flags, nix::sys::stat::Mode::empty()) {
        Ok(fd) => fd,
        Err(e) => {
            fail_io(
                ctx,
                "cannot open directory",
                name,
                &errno_io(e),
                command_line,
            );
            return Ok(());
        }
    };
    if ls.cfg.recursive {
        // Cycle detection: the directories on the way down from an operand.
        if let Ok(st) = nix::sys::stat::fstat(&fd) {
            let id = (st.st_dev, st.st_ino);
            if active.contains(&id) {
                fail(
                    ctx,
                    format!(
                        "{}: not listing already-listed directory",
                        String::from_utf8_lossy(&format::quote_name(name, Quoting::ShellEscape))
                    ),
                    true,
                );
                return Ok(());
            }
            active.push(id);
            stack.push(Pending::Leave(id.0, id.1));
        }
    }
    if headers {
        let mut h = Vec::new();
        if !*first {
            h.push(b'\n');
        }
        // Headers are quoted without ls's extra escaped space (GNU: `./a b:` with -b).
        h.extend_from_slice(&format::quote_name(name, ls.cfg.quoting));
        h.extend_from_slice(b":\n");
        ctx.stdout.write_all(&h)?;
    }
    *first = false;
    let mut names: Vec<(Vec<u8>, Option<u32>)> = Vec::new();
    if ls.cfg.hidden == Hidden::Nothing {
        names.push((b".".to_vec(), None));
        names.push((b"..".to_vec(), None));
    }
    match read_names(fd.as_fd(), false) {
        Ok(read) => names.extend(
            read.into_iter()
                .filter(|(n, _)| !ignored(&ls.cfg, n))
                .map(|(n, t)| (n, file_type_bits(t))),
        ),
        Err(e) => fail_io(ctx, "reading directory", name, &e, command_line),
    }
    let fd = fd.as_fd();
    let mut entries = Vec::with_capacity(names.len());
    for (n, dtype) in names {
        // A file system without d_type: the type from lstat (as std's read_dir gives it),
        // unless the entry is stat'ed anyway.
        let dots = n == b"." || n == b"..";
        let dtype = match dtype {
            None if !dots && !ls.need_stat => {
                nix::sys::stat::fstatat(fd, n.as_slice(), AtFlags::AT_SYMLINK_NOFOLLOW)
                    .ok()
                    .map(|s| s.st_mode & libc::S_IFMT)
            }
            t => t,
        };
        let full = entry_path(path, &n);
        if let Some(e) = gobble(ctx, ls, n, full, dtype, Some(fd)) {
            entries.push(e);
        }
    }
    sort::sort(&ls.cfg, &mut entries);
    if ls.cfg.recursive {
        let subdirs: Vec<Pending> = entries
            .iter()
            .filter(|e| e.is_dir() && e.name != b"." && e.name != b"..")
            .map(|e| Pending::Dir {
                path: e.path.clone(),
                name: join(name, &e.name),
                command_line: false,
            })
            .collect();
        stack.extend(subdirs.into_iter().rev());
    }
    let out = format::listing(ls, &entries, true);
    ctx.stdout.write_all(&out)?;
    Ok(())
}

/// Whether a directory entry is left out: dot files, `-B` backups, `-I` and `--hide`.
fn ignored(cfg: &Config, name: &[u8]) -> bool {
    (cfg.hidden == Hidden::Dots && name.first() == Some(&b'.'))
        || (cfg.ignore_backups && name.ends_with(b"~"))
        || cfg.ignore.iter().any(|p| glob_match(p, name, true))
        || (cfg.hidden == Hidden::Dots && cfg.hide.iter().any(|p| glob_match(p, name, true)))
}

/// The `S_IFMT` bits of a directory entry's `d_type`, `None` when the file system does
/// not say.
fn file_type_bits(d_type: u8) -> Option<u32> {
    Some(match d_type {
        libc::DT_DIR => libc::S_IFDIR,
        libc::DT_LNK => libc::S_IFLNK,
        libc::DT_FIFO => libc::S_IFIFO,
        libc::DT_SOCK => libc::S_IFSOCK,
        libc::DT_BLK => libc::S_IFBLK,
        libc::DT_CHR => libc::S_IFCHR,
        libc::DT_REG => libc::S_IFREG,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
