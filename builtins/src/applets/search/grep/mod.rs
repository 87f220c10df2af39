//! `grep`, `egrep`, `fgrep`: print lines that match patterns (GNU grep 3.8 behaviour).

mod matcher;
mod scan;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsFd;

use nix::fcntl::{OFlag, openat};
use nix::sys::stat::Mode as FileMode;
use rbox_parser::pattern::{Options as PatOptions, Pattern};

use self::matcher::{Matcher, Syntax, Whole};
use self::scan::{Binary, Config, Fail, Mode, Shared};
use crate::common::fdio;
use crate::common::lines;
use crate::common::walk::{self, Action, Follow, Kind};
use crate::opts::parse_number;
use crate::prelude::*;

const USAGE: &str = "[OPTION]... PATTERNS [FILE]...";

const HELP: &str = "Search for PATTERNS in each FILE (standard input for - or none; the \
working directory with -r).\n\n\
-E, -F, -G\tPATTERNS are extended regexes, fixed strings, basic regexes (default)\n\
-e PATTERNS\tUse PATTERNS (one per line; may be repeated)\n\
-f FILE\t\tTake PATTERNS from FILE\n\
-i, -y\t\tIgnore case\n\
-w, -x\t\tMatch only whole words / whole lines\n\
-v\t\tSelect non-matching lines\n\
-c, -l, -L, -q\tPrint a count / names with / names without a match / nothing\n\
-m NUM\t\tStop after NUM selected lines\n\
-o\t\tPrint only the matched parts\n\
-n, -b\t\tPrefix line numbers / byte offsets\n\
-H, -h\t\tPrint / suppress file names\n\
--label=NAME\tThe name of standard input\n\
-s\t\tSuppress messages about unreadable files\n\
-A, -B, -C NUM\tPrint NUM lines of trailing / leading / both context (-NUM = -C NUM)\n\
-a, -I\t\tTreat binary files as text / as matching nothing\n\
--binary-files=TYPE  binary, text or without-match\n\
-r, -R\t\tSearch directories recursively (-R follows all symlinks)\n\
--include=GLOB, --exclude=GLOB, --exclude-dir=GLOB  Filter files searched with -r\n\
-d ACTION\tDirectories: read, skip or recurse\n\
-z, -Z\t\tLines end with NUL / print NUL after file names\n\
-T\t\tAlign with tabs\n\
--color[=WHEN]\tHighlight matches: never, always or auto\n\
--line-buffered\tFlush after each line\n\n\
Exit status: 0 if a line is selected, 1 if none, 2 on trouble (unless -q selected one).";

/// The `grep` applet.
pub const APPLET: Applet = Applet::new("grep", main, Run::Fork)
    .usage(USAGE)
    .help(HELP)
    .error_status(2);

/// The `egrep` applet: `grep -E`.
pub const EGREP: Applet = Applet::new("egrep", main, Run::Fork)
    .usage(USAGE)
    .help(HELP)
    .error_status(2);

/// The `fgrep` applet: `grep -F`.
pub const FGREP: Applet = Applet::new("fgrep", main, Run::Fork)
    .usage(USAGE)
    .help(HELP)
    .error_status(2);

const LONGS: &[&str] = &[
    "extended-regexp",
    "fixed-strings",
    "basic-regexp",
    "perl-regexp",
    "ignore-case",
    "no-ignore-case",
    "invert-match",
    "count",
    "files-with-matches",
    "files-without-match",
    "line-number",
    "no-filename",
    "with-filename",
    "only-matching",
    "quiet",
    "silent",
    "no-messages",
    "word-regexp",
    "line-regexp",
    "recursive",
    "dereference-recursive",
    "regexp",
    "file",
    "after-context",
    "before-context",
    "context",
    "max-count",
    "null-data",
    "null",
    "text",
    "binary-files",
    "byte-offset",
    "color",
    "colour",
    "include",
    "exclude",
    "exclude-dir",
    "label",
    "line-buffered",
    "directories",
    "devices",
    "initial-tab",
    "unix-byte-offsets",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dirs {
    Read,
    Skip,
    Recurse,
}

/// Options that decide which files are read and how names are shown.
struct Files {
    dirs: Dirs,
    follow_all: bool,
    skip_devices: bool,
    with_name: Option<bool>,
    label: Vec<u8>,
    quiet_errors: bool,
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
    exclude_dir: Vec<Pattern>,
}

/// Appends the newline-separated patterns of `text` to `pats`.
fn add_patterns(pats: &mut Vec<Vec<u8>>, text: &[u8]) {
    pats.extend(text.split(|&b| b == b'\n').map(<[u8]>::to_vec));
}

fn context_arg(v: &[u8]) -> Result<u64, Error> {
    parse_number::<u64>(v, "context length argument").map_err(|_| {
        let mut m = v.to_vec();
        m.extend_from_slice(b": invalid context length argument");
        Error::msg(m)
    })
}

fn glob(v: &[u8]) -> Pattern {
    Pattern::parse(v, PatOptions::default())
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut syntax = match ctx.name() {
        "egrep" => Syntax::Extended,
        "fgrep" => Syntax::Fixed,
        _ => Syntax::Basic,
    };
    let mut opts = ctx.opts(LONGS);
    let mut pats: Option<Vec<Vec<u8>>> = None;
    let mut icase = false;
    let mut whole = Whole::No;
    let mut mode = Mode::Lines;
    let (mut invert, mut only, mut line_num, mut byte_off, mut null_name) =
        (false, false, false, false, false);
    let mut delim = b'\n';
    let mut max = None;
    let (mut before, mut after): (Option<u64>, Option<u64>) = (None, None);
    let mut both: Option<u64> = None;
    let mut digits: Option<u64> = None;
    let mut binary = Binary::Report;
    let mut color = false;
    let mut line_buffered = false;
    let mut initial_tab = false;
    let mut files = Files {
        dirs: Dirs::Read,
        follow_all: false,
        skip_devices: false,
        with_name: None,
        label: b"(standard input)".to_vec(),
        quiet_errors: false,
        include: Vec::new(),
        exclude: Vec::new(),
        exclude_dir: Vec::new(),
    };
    let mut operands = Vec::new();
    while let Some(arg) = opts.next()? {
        if let Arg::Short(c @ '0'..='9') = arg {
            let d = u64::from(c as u8 - b'0');
            let v = digits.unwrap_or(0).saturating_mul(10).saturating_add(d);
            digits = Some(v);
            both = Some(v);
            continue;
        }
        digits = None;
        match arg {
            Arg::Short('E') | Arg::Long("extended-regexp") => syntax = Syntax::Extended,
            Arg::Short('F') | Arg::Long("fixed-strings") => syntax = Syntax::Fixed,
            Arg::Short('G') | Arg::Long("basic-regexp") => syntax = Syntax::Basic,
            Arg::Short('P') | Arg::Long("perl-regexp") => {
                return Err(Error::msg(
                    "Perl matching not supported in a --disable-perl-regexp build",
                ));
            }
            Arg::Short('i' | 'y') | Arg::Long("ignore-case") => icase = true,
            Arg::Long("no-ignore-case") => icase = false,
            Arg::Short('v') | Arg::Long("invert-match") => invert = true,
            Arg::Short('c') | Arg::Long("count") => mode = Mode::Count,
            Arg::Short('l') | Arg::Long("files-with-matches") => mode = Mode::Matching,
            Arg::Short('L') | Arg::Long("files-without-match") => mode = Mode::NonMatching,
            Arg::Short('q') | Arg::Long("quiet" | "silent") => mode = Mode::Quiet,
            Arg::Short('n') | Arg::Long("line-number") => line_num = true,
            Arg::Short('b') | Arg::Long("byte-offset") => byte_off = true,
            Arg::Short('u') | Arg::Long("unix-byte-offsets") => {}
            Arg::Short('h') | Arg::Long("no-filename") => files.with_name = Some(false),
            Arg::Short('H') | Arg::Long("with-filename") => files.with_name = Some(true),
            Arg::Short('o') | Arg::Long("only-matching") => only = true,
            Arg::Short('s') | Arg::Long("no-messages") => files.quiet_errors = true,
            Arg::Short('w') | Arg::Long("word-regexp") => whole = Whole::Word,
            Arg::Short('x') | Arg::Long("line-regexp") => whole = Whole::Line,
            Arg::Short('r') | Arg::Long("recursive") => files.dirs = Dirs::Recurse,
            Arg::Short('R') | Arg::Long("dereference-recursive") => {
                files.dirs = Dirs::Recurse;
                files.follow_all = true;
            }
            Arg::Short('e') | Arg::Long("regexp") => {
                let v = opts.value()?;
                add_patterns(pats.get_or_insert_with(Vec::new), &v);
            }
            Arg::Short('f') | Arg::Long("file") => {
                let v = opts.value()?;
                let mut text = Vec::new();
                let r = if v == b"-" {
                    lines::read_all(&mut ctx.stdin, &mut text)
                } else {
                    lines::open(&v).and_then(|mut f| lines::read_all(&mut f, &mut text))
                };
                r.map_err(|e| Error::io(&v, &e))?;
                let list = pats.get_or_insert_with(Vec::new);
                if !text.is_empty() {
                    let body = text.strip_suffix(b"\n").unwrap_or(&text);
                    add_patterns(list, body);
                }
            }
            Arg::Short('A') | Arg::Long("after-context") => {
                after = Some(context_arg(&opts.value()?)?)
            }
            Arg::Short('B') | Arg::Long("before-context") => {
                before = Some(context_arg(&opts.value()?)?)
            }
            Arg::Short('C') | Arg::Long("context") => both = Some(context_arg(&opts.value()?)?),
            Arg::Short('m') | Arg::Long("max-count") => {
                let v = opts.value()?;
                let n: i64 =
                    parse_number(&v, "max count").map_err(|_| Error::msg("invalid max count"))?;
                max = u64::try_from(n).ok();
            }
            Arg::Short('z') | Arg::Long("null-data") => delim = 0,
            Arg::Short('Z') | Arg::Long("null") => null_name = true,
            Arg::Short('a') | Arg::Long("text") => binary = Binary::Text,
            Arg::Short('I') => binary = Binary::WithoutMatch,
            Arg::Long("binary-files") => {
                binary = match opts.value()?.as_slice() {
                    b"binary" => Binary::Report,
                    b"text" => Binary::Text,
                    b"without-match" => Binary::WithoutMatch,
                    _ => return Err(Error::msg("unknown binary-files type")),
                }
            }
            Arg::Long("color" | "colour") => {
                color = match opts.optional_value().as_deref() {
                    None | Some(b"auto" | b"tty" | b"if-tty") => {
                        ctx.stdout.raw_fd().is_some_and(fdio::isatty)
                            && ctx.env.get(b"TERM").is_some_and(|t| t != b"dumb")
                    }
                    Some(b"always" | b"yes" | b"force") => true,
                    Some(b"never" | b"no" | b"none") => false,
                    Some(other) => {
                        let mut m = b"invalid argument '".to_vec();
                        m.extend_from_slice(other);
                        m.extend_from_slice(b"' for '--color'");
                        return Err(Error::usage(m));
                    }
                }
            }
            Arg::Long("include") => files.include.push(glob(&opts.value()?)),
            Arg::Long("exclude") => files.exclude.push(glob(&opts.value()?)),
            Arg::Long("exclude-dir") => files.exclude_dir.push(glob(&opts.value()?)),
            Arg::Long("label") => files.label = opts.value()?,
            Arg::Long("line-buffered") => line_buffered = true,
            Arg::Short('T') | Arg::Long("initial-tab") => initial_tab = true,
            Arg::Short('d') | Arg::Long("directories") => {
                files.dirs = match opts.value()?.as_slice() {
                    b"read" => Dirs::Read,
                    b"skip" => Dirs::Skip,
                    b"recurse" => Dirs::Recurse,
                    _ => return Err(Error::msg("invalid argument for --directories")),
                }
            }
            Arg::Short('D') | Arg::Long("devices") => {
                files.skip_devices = match opts.value()?.as_slice() {
                    b"read" => false,
                    b"skip" => true,
                    _ => return Err(Error::msg("unknown devices method")),
                }
            }
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let pats = match pats {
        Some(p) => p,
        None if operands.is_empty() => {
            let msg = format!(
                "Usage: {} {USAGE}\nTry '{} --help' for more information.\n",
                ctx.name(),
                ctx.name()
            );
            ctx.stderr.write_all(msg.as_bytes())?;
            return Err(Error::silent(2));
        }
        None => {
            let first = operands.remove(0);
            let mut p = Vec::new();
            add_patterns(&mut p, &first);
            p
        }
    };
    let matcher = Matcher::new(&pats, syntax, icase, whole, delim == 0)?;
    let before = before.or(both).unwrap_or(0);
    let after = after.or(both).unwrap_or(0);
    let cfg = Config {
        matcher,
        mode,
        invert,
        only,
        line_num,
        byte_off,
        null_name,
        delim,
        max,
        before,
        after,
        context: (before > 0 || after > 0) && mode == Mode::Lines && !only,
        binary,
        color,
        line_buffered,
        initial_tab,
    };
    let implicit_dot = operands.is_empty() && files.dirs == Dirs::Recurse;
    if operands.is_empty() {
        operands.push(if implicit_dot {
            b".".to_vec()
        } else {
            b"-".to_vec()
        });
    }
    let mut run = Runner {
        cfg: &cfg,
        files: &files,
        shared: Shared::default(),
        buf: Vec::new(),
        matched: false,
        done: false,
        multi: operands.len() > 1,
    };
    if cfg.max == Some(0) {
        return Err(Error::silent(1));
    }
    for op in &operands {
        if run.done {
            break;
        }
        run.operand(ctx, op, implicit_dot)?;
    }
    if run.matched && mode == Mode::Quiet {
        ctx.status = 0;
        return Ok(());
    }
    if !run.matched && ctx.status == 0 {
        return Err(Error::silent(1));
    }
    Ok(())
}

struct Runner<'c> {
    cfg: &'c Config,
    files: &'c Files,
    shared: Shared,
    buf: Vec<u8>,
    matched: bool,
    /// `-q` selected a line: nothing more to do.
    done: bool,
    multi: bool,
}

fn is_dir_mode(m: u32) -> bool {
    m & libc::S_IFMT == libc::S_IFDIR
}

fn is_device(m: u32) -> bool {
    matches!(
        m & libc::S_IFMT,
        libc::S_IFCHR | libc::S_IFBLK | libc::S_IFIFO | libc::S_IFSOCK
    )
}

/// Whether `--include`/`--exclude` let the file `name` (a base name) through.
fn wanted(files: &Files, name: &[u8]) -> bool {
    if files.exclude.iter().any(|p| p.matches(name)) {
        return false;
    }
    files.include.is_empty() || files.include.iter().any(|p| p.matches(name))
}

fn base_name(path: &[u8]) -> &[u8] {
    let trimmed = match path.iter().rposition(|&b| b != b'/') {
        Some(i) => path.get(..=i).unwrap_or(path),
        None => return path,
    };
    match trimmed.iter().rposition(|&b| b == b'/') {
        Some(i) => trimmed.get(i + 1..).unwrap_or(trimmed),
        None => trimmed,
    }
}

impl Runner<'_> {
    fn warn(&self, ctx: &mut Ctx<'_>, subject: &[u8], err: &io::Error) {
        if self.files.quiet_errors {
            ctx.status = 2;
        } else {
            ctx.warn(subject, err);
        }
    }

    fn operand(&mut self, ctx: &mut Ctx<'_>, op: &[u8], implicit: bool) -> Result<(), Error> {
        if op == b"-" {
            let name = self.files.label.clone();
            let show = self.files.with_name.unwrap_or(self.multi);
            let mut stdin = std::mem::replace(&mut ctx.stdin, crate::ctx::Input::mem(b""));
            let r = self.search(ctx, &mut stdin, &name, show);
            ctx.stdin = stdin;
            return r;
        }
        if self.files.dirs == Dirs::Recurse {
            let st = nix::sys::stat::stat(op);
            if st.is_ok_and(|s| is_dir_mode(s.st_mode)) {
                return self.recurse(ctx, op, implicit);
            }
        }
        let file = match lines::open(op) {
            Ok(f) => f,
            Err(e) => {
                self.warn(ctx, op, &e);
                return Ok(());
            }
        };
        let mode = nix::sys::stat::fstat(file.as_fd()).map_or(0, |s| s.st_mode);
        if is_dir_mode(mode) {
            if self.files.dirs == Dirs::Read {
                self.warn(ctx, op, &io::Error::from_raw_os_error(libc::EISDIR));
            }
            return Ok(());
        }
        if self.files.skip_devices && is_device(mode) {
            return Ok(());
        }
        let show = self.files.with_name.unwrap_or(self.multi);
        let mut file = file;
        self.search(ctx, &mut file, op, show)
    }

    fn recurse(&mut self, ctx: &mut Ctx<'_>, root: &[u8], implicit: bool) -> Result<(), Error> {
        let wopts = walk::Options {
            follow: if self.files.follow_all {
                Follow::Always
            } else {
                Follow::Roots
            },
            ..walk::Options::default()
        };
        let show = self.files.with_name.unwrap_or(true);
        let mut fatal: Option<Error> = None;
        walk::walk(root, &wopts, &mut |e| {
            let shown = if implicit {
                e.path.strip_prefix(b"./").unwrap_or(e.path)
            } else {
                e.path
            };
            match e.kind {
                Kind::Dir => {
                    if e.depth > 0 && self.files.exclude_dir.iter().any(|p| p.matches(e.name)) {
                        return Action::Skip;
                    }
                    Action::Continue
                }
                Kind::DirPost | Kind::Cycle => Action::Continue,
                Kind::Unreadable | Kind::NoStat => {
                    let other = io::Error::other("cannot read");
                    self.warn(ctx, shown, e.err.unwrap_or(&other));
                    Action::Continue
                }
                Kind::File => {
                    let m = e.mode();
                    if e.depth > 0 && (e.is_symlink() || is_device(m)) {
                        return Action::Continue;
                    }
                    if !wanted(self.files, base_name(e.name)) {
                        return Action::Continue;
                    }
                    let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
                    let fd = match openat(e.parent, e.name, flags, FileMode::empty()) {
                        Ok(fd) => fd,
                        Err(err) => {
                            self.warn(ctx, shown, &err.into());
                            return Action::Continue;
                        }
                    };
                    let mut f = File::from(fd);
                    if let Err(err) = self.search(ctx, &mut f, shown, show) {
                        fatal = Some(err);
                        return Action::Stop;
                    }
                    if self.done {
                        Action::Stop
                    } else {
                        Action::Continue
                    }
                }
            }
        });
        match fatal {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Searches one opened input shown as `name`.
    fn search(
        &mut self,
        ctx: &mut Ctx<'_>,
        src: &mut dyn Read,
        name: &[u8],
        show: bool,
    ) -> Result<(), Error> {
        let cfg = self.cfg;
        let shown = show.then_some(name);
        let r = scan::scan(
            cfg,
            &mut self.shared,
            src,
            shown,
            &mut ctx.stdout,
            &mut self.buf,
        );
        let found = match r {
            Ok(f) => f,
            Err(Fail::Read(e)) => {
                self.warn(ctx, name, &e);
                return Ok(());
            }
            Err(Fail::Write(e)) => return Err(e.into()),
        };
        if found.selected > 0 {
            self.matched = true;
        }
        let end: &[u8] = if cfg.null_name { b"\0" } else { b"\n" };
        match cfg.mode {
            Mode::Quiet if found.selected > 0 => self.done = true,
            Mode::Count => {
                if let Some(n) = shown {
                    ctx.stdout.write_all(n)?;
                    ctx.stdout
                        .write_all(if cfg.null_name { b"\0" } else { b":" })?;
                }
                writeln!(ctx.stdout, "{}", found.selected)?;
            }
            Mode::Matching if found.selected > 0 => {
                ctx.stdout.write_all(name)?;
                ctx.stdout.write_all(end)?;
            }
            Mode::NonMatching if found.selected == 0 => {
                ctx.stdout.write_all(name)?;
                ctx.stdout.write_all(end)?;
            }
            _ => {}
        }
        if found.binary_match {
            ctx.stdout.flush()?;
            let mut m = name.to_vec();
            m.extend_from_slice(b": binary file matches");
            ctx.note(&m);
        }
        if cfg.line_buffered {
            ctx.stdout.flush()?;
        }
        Ok(())
    }
}
