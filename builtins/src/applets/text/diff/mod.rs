//! `diff`: compare files line by line, or directory trees.
//!
//! `engine` picks the changed lines (GNU's choices among minimal scripts), `format`
//! prints them; this file holds the options, the files and the directory walk.

pub mod engine;
pub mod format;

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use format::Style;

use crate::common::lines::read_all;
use crate::common::time::{Tz, localtime, strftime};
use crate::prelude::*;

/// The `diff` applet.
pub const APPLET: Applet = Applet::new("diff", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .error_status(2)
    .usage("[-abBiNqrsuw] [-c | -C N | -u | -U N] [--label L]... FILE1 FILE2")
    .help(
        "Compare FILE1 and FILE2 line by line (- is standard input; a directory\n\
         stands for the file of the other's name in it, or two directories are compared).\n\
         Exit 0 if they are the same, 1 if they differ, 2 on trouble.\n\n\
         -u, -U N\tUnified format, N (3) lines of context\n\
         -c, -C N\tContext format, N (3) lines of context\n\
         -q\t\tOnly say whether the files differ\n\
         -s\t\tSay when the files are the same\n\
         -r\t\tCompare subdirectories too\n\
         -N\t\tA file missing on one side is empty\n\
         -a\t\tCompare every file as text\n\
         -i\t\tIgnore case\n\
         -b\t\tIgnore changes in the amount of white space\n\
         -w\t\tIgnore all white space\n\
         -B\t\tIgnore changes that only add or remove blank lines\n\
         -d, --minimal\tTry hard to find the smallest set of changes\n\
         --label L\tShow L instead of a file name and time (twice for both)",
    );

const LONGS: &[&str] = &[
    "brief",
    "context",
    "ignore-all-space",
    "ignore-blank-lines",
    "ignore-case",
    "ignore-space-change",
    "label",
    "minimal",
    "new-file",
    "normal",
    "recursive",
    "report-identical-files",
    "text",
    "unified",
];

/// How lines are compared.
#[derive(Clone, Copy, Default)]
struct Fold {
    case: bool,
    space_change: bool,
    all_space: bool,
}

/// Everything the options decide.
struct Cfg {
    style: Style,
    brief: bool,
    same: bool,
    recursive: bool,
    new_file: bool,
    text: bool,
    blank_lines: bool,
    minimal: bool,
    fold: Fold,
    labels: Vec<Vec<u8>>,
    /// The options as typed, for the `diff -r a/x b/x` lines.
    switches: Vec<u8>,
    tz: Tz,
}

/// The outcome of one comparison, combined as the exit status: 0 same, 1 different,
/// 2 trouble.
type Status = u8;

fn context_arg(v: &[u8]) -> Result<usize, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            Error::usage(format!(
                "invalid context length '{}'",
                String::from_utf8_lossy(v)
            ))
        })
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut cfg = Cfg {
        style: Style::Normal,
        brief: false,
        same: false,
        recursive: false,
        new_file: false,
        text: false,
        blank_lines: false,
        minimal: false,
        fold: Fold::default(),
        labels: Vec::new(),
        switches: Vec::new(),
        tz: Tz::from_env(ctx.env),
    };
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('u') => cfg.style = Style::Unified(3),
            Arg::Long("unified") => {
                let n = opts.optional_value().map(|v| context_arg(&v)).transpose()?;
                cfg.style = Style::Unified(n.unwrap_or(3));
            }
            Arg::Short('U') => cfg.style = Style::Unified(context_arg(&opts.value()?)?),
            Arg::Short('c') => cfg.style = Style::Context(3),
            Arg::Long("context") => {
                let n = opts.optional_value().map(|v| context_arg(&v)).transpose()?;
                cfg.style = Style::Context(n.unwrap_or(3));
            }
            Arg::Short('C') => cfg.style = Style::Context(context_arg(&opts.value()?)?),
            Arg::Long("normal") => cfg.style = Style::Normal,
            Arg::Short('q') | Arg::Long("brief") => cfg.brief = true,
            Arg::Short('s') | Arg::Long("report-identical-files") => cfg.same = true,
            Arg::Short('r') | Arg::Long("recursive") => cfg.recursive = true,
            Arg::Short('N') | Arg::Long("new-file") => cfg.new_file = true,
            Arg::Short('a') | Arg::Long("text") => cfg.text = true,
            Arg::Short('i') | Arg::Long("ignore-case") => cfg.fold.case = true,
            Arg::Short('b') | Arg::Long("ignore-space-change") => cfg.fold.space_change = true,
            Arg::Short('w') | Arg::Long("ignore-all-space") => cfg.fold.all_space = true,
            Arg::Short('B') | Arg::Long("ignore-blank-lines") => cfg.blank_lines = true,
            Arg::Short('d') | Arg::Long("minimal") => cfg.minimal = true,
            Arg::Long("label") | Arg::Short('L') => cfg.labels.push(opts.value()?),
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    match files.len() {
        0 => return Err(Error::usage("missing operand")),
        1 => {
            return Err(Error::usage(format!(
                "missing operand after '{}'",
                String::from_utf8_lossy(&files[0])
            )));
        }
        2 => {}
        _ => {
            return Err(Error::usage(format!(
                "extra operand '{}'",
                String::from_utf8_lossy(&files[2])
            )));
        }
    }
    cfg.switches = switches(ctx.args, &files);
    let mut run = Runner { ctx, cfg: &cfg };
    let status = run.top(&files[0], &files[1]);
    ctx_status(run.ctx, status);
    Ok(())
}

/// The arguments other than the two operands, joined by spaces.
fn switches(args: &[Vec<u8>], files: &[Vec<u8>]) -> Vec<u8> {
    let mut rest: Vec<&Vec<u8>> = args.iter().collect();
    for f in files.iter().rev() {
        if let Some(p) = rest.iter().rposition(|a| *a == f) {
            rest.remove(p);
        }
    }
    let mut s = Vec::new();
    for a in rest {
        if a == b"--" {
            continue;
        }
        s.push(b' ');
        s.extend_from_slice(a);
    }
    s
}

fn ctx_status(ctx: &mut Ctx<'_>, status: Status) {
    ctx.status = ctx.status.max(status);
}

/// One side of a comparison: its shown name and what it is.
struct Side {
    name: Vec<u8>,
    meta: Option<Metadata>,
}

impl Side {
    fn is_dir(&self) -> bool {
        self.meta.as_ref().is_some_and(Metadata::is_dir)
    }
}

struct Runner<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    cfg: &'c Cfg,
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn stat(name: &[u8]) -> io::Result<Metadata> {
    fs::metadata(OsStr::from_bytes(name))
}

/// GNU's words for a file's type.
fn type_name(m: &Metadata) -> &'static str {
    let t = m.file_type();
    if t.is_dir() {
        "directory"
    } else if t.is_file() {
        if m.len() == 0 {
            "regular empty file"
        } else {
            "regular file"
        }
    } else if t.is_symlink() {
        "symbolic link"
    } else if t.is_fifo() {
        "fifo"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() {
        "character special file"
    } else if t.is_block_device() {
        "block special file"
    } else {
        "weird file"
    }
}

impl Runner<'_, '_> {
    fn trouble(&mut self, name: &[u8], e: &io::Error) -> Status {
        self.ctx.warn(name, e);
        2
    }

    fn say(&mut self, text: &[u8]) -> Status {
        if let Err(e) = self.ctx.stdout.write_all(text) {
            return self.trouble(b"write error", &e);
        }
        0
    }

    /// The operands as given: files, a file and a directory, or two directories.
    fn top(&mut self, a: &[u8], b: &[u8]) -> Status {
        let side = |name: &[u8], new_file: bool| -> Result<Side, io::Error> {
            let meta = if name == b"-" {
                None
            } else {
                match stat(name) {
                    Ok(m) => Some(m),
                    Err(e) if new_file && e.kind() == io::ErrorKind::NotFound => None,
                    Err(e) => return Err(e),
                }
            };
            Ok(Side {
                name: name.to_vec(),
                meta,
            })
        };
        let mut sa = match side(a, self.cfg.new_file) {
            Ok(s) => s,
            Err(e) => return self.trouble(a, &e),
        };
        let mut sb = match side(b, self.cfg.new_file) {
            Ok(s) => s,
            Err(e) => return self.trouble(b, &e),
        };
        if (a == b"-" && sb.is_dir()) || (b == b"-" && sa.is_dir()) {
            self.ctx.warn_msg(b"cannot compare '-' to a directory");
            return 2;
        }
        if sa.is_dir() && sb.is_dir() {
            return self.dirs(a, b);
        }
        if sa.is_dir() != sb.is_dir() {
            // A directory stands for the file of the other's base name in it.
            let (dir, file) = if sa.is_dir() {
                (&mut sa, &sb)
            } else {
                (&mut sb, &sa)
            };
            let base = crate::common::path::basename(&file.name).to_vec();
            let inner = join(&dir.name, &base);
            match stat(&inner) {
                Ok(m) => {
                    dir.name = inner;
                    dir.meta = Some(m);
                }
                Err(e) => return self.trouble(&inner, &e),
            }
            if dir.is_dir() {
                let (n0, n1) = (sa.name.clone(), sb.name.clone());
                return self.dirs(&n0, &n1);
            }
        }
        self.files(&sa, &sb, false)
    }

    /// Two directories: every name in either, in byte order.
    fn dirs(&mut self, a: &[u8], b: &[u8]) -> Status {
        let list = |d: &[u8]| -> io::Result<Vec<Vec<u8>>> {
            let mut v = Vec::new();
            if d.is_empty() {
                return Ok(v);
            }
            for e in fs::read_dir(OsStr::from_bytes(d))? {
                v.push(e?.file_name().as_bytes().to_vec());
            }
            v.sort();
            Ok(v)
        };
        let la = match list(a) {
            Ok(v) => v,
            Err(e) => return self.trouble(a, &e),
        };
        let lb = match list(b) {
            Ok(v) => v,
            Err(e) => return self.trouble(b, &e),
        };
        let mut names: Vec<&Vec<u8>> = la.iter().chain(lb.iter()).collect();
        names.sort();
        names.dedup();
        let mut status = 0;
        for name in names {
            if self.ctx.interrupted() {
                return 2;
            }
            let (in_a, in_b) = (
                la.binary_search(name).is_ok(),
                lb.binary_search(name).is_ok(),
            );
            let s = self.entry(a, b, name, in_a, in_b);
            status = status.max(s);
        }
        status
    }

    /// One name of a directory comparison.
    fn entry(&mut self, a: &[u8], b: &[u8], name: &[u8], in_a: bool, in_b: bool) -> Status {
        let (pa, pb) = (join(a, name), join(b, name));
        let look = |p: &[u8], present: bool| -> io::Result<Option<Metadata>> {
            if present { stat(p).map(Some) } else { Ok(None) }
        };
        let ma = match look(&pa, in_a) {
            Ok(m) => m,
            Err(e) => return self.trouble(&pa, &e),
        };
        let mb = match look(&pb, in_b) {
            Ok(m) => m,
            Err(e) => return self.trouble(&pb, &e),
        };
        if ma.is_none() || mb.is_none() {
            let present = ma.as_ref().or(mb.as_ref());
            let special = present.is_some_and(|m| !m.is_dir() && !m.is_file());
            if !self.cfg.new_file || special {
                let dir = if in_a { a } else { b };
                let mut m = b"Only in ".to_vec();
                m.extend_from_slice(dir);
                m.extend_from_slice(b": ");
                m.extend_from_slice(name);
                m.push(b'\n');
                self.say(&m);
                return 1;
            }
            if present.is_some_and(Metadata::is_dir) {
                if !self.cfg.recursive {
                    let mut m = b"Common subdirectories: ".to_vec();
                    m.extend_from_slice(&pa);
                    m.extend_from_slice(b" and ");
                    m.extend_from_slice(&pb);
                    m.push(b'\n');
                    return self.say(&m);
                }
                let (da, db): (&[u8], &[u8]) = if in_a { (&pa, b"") } else { (b"", &pb) };
                return self.dirs_absent(da, db, &pa, &pb);
            }
        }
        let (sa, sb) = (
            Side {
                name: pa.clone(),
                meta: ma,
            },
            Side {
                name: pb.clone(),
                meta: mb,
            },
        );
        match (sa.is_dir(), sb.is_dir()) {
            (true, true) => {
                if self.cfg.recursive {
                    self.dirs(&pa, &pb)
                } else {
                    let mut m = b"Common subdirectories: ".to_vec();
                    m.extend_from_slice(&pa);
                    m.extend_from_slice(b" and ");
                    m.extend_from_slice(&pb);
                    m.push(b'\n');
                    self.say(&m)
                }
            }
            (false, false) => {
                let special = |m: &Option<Metadata>| m.as_ref().is_some_and(|m| !m.is_file());
                if special(&sa.meta) || special(&sb.meta) {
                    let (ta, tb) = (
                        sa.meta.as_ref().map_or("", type_name),
                        sb.meta.as_ref().map_or("", type_name),
                    );
                    if ta == tb {
                        return 0;
                    }
                    return self.mismatch(&sa, &sb);
                }
                self.files(&sa, &sb, true)
            }
            _ => self.mismatch(&sa, &sb),
        }
    }

    /// A directory present on one side only, under `-N -r`: each file in it against
    /// nothing. `da`/`db` name the directory that exists (the other is empty).
    fn dirs_absent(&mut self, da: &[u8], db: &[u8], pa: &[u8], pb: &[u8]) -> Status {
        let d = if da.is_empty() { db } else { da };
        let mut names = match fs::read_dir(OsStr::from_bytes(d)) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.file_name().as_bytes().to_vec())
                .collect::<Vec<_>>(),
            Err(e) => return self.trouble(d, &e),
        };
        names.sort();
        let mut status = 0;
        for n in &names {
            let s = self.entry(pa, pb, n, !da.is_empty(), !db.is_empty());
            status = status.max(s);
        }
        status
    }

    fn mismatch(&mut self, sa: &Side, sb: &Side) -> Status {
        let (ta, tb) = (
            sa.meta.as_ref().map_or("", type_name),
            sb.meta.as_ref().map_or("", type_name),
        );
        let mut m = b"File ".to_vec();
        m.extend_from_slice(&sa.name);
        m.extend_from_slice(format!(" is a {ta} while file ").as_bytes());
        m.extend_from_slice(&sb.name);
        m.extend_from_slice(format!(" is a {tb}\n").as_bytes());
        self.say(&m);
        1
    }

    fn read(&mut self, s: &Side) -> io::Result<Vec<u8>> {
        let mut v = Vec::new();
        if s.name == b"-" {
            read_all(&mut self.ctx.stdin, &mut v)?;
        } else if s.meta.is_some() {
            let mut f = crate::common::lines::open(&s.name)?;
            read_all(&mut f, &mut v)?;
        }
        Ok(v)
    }

    /// Two files (`inner`: inside a directory comparison, which adds the `diff` line).
    fn files(&mut self, sa: &Side, sb: &Side, inner: bool) -> Status {
        if let (Some(ma), Some(mb)) = (&sa.meta, &sb.meta)
            && ma.dev() == mb.dev()
            && ma.ino() == mb.ino()
            && sa.name != b"-"
        {
            return self.identical(sa, sb);
        }
        let da = match self.read(sa) {
            Ok(v) => v,
            Err(e) => return self.trouble(&sa.name, &e),
        };
        let db = match self.read(sb) {
            Ok(v) => v,
            Err(e) => return self.trouble(&sb.name, &e),
        };
        if da == db {
            return self.identical(sa, sb);
        }
        let binary = |d: &[u8]| memchr::memchr(0, &d[..d.len().min(32 * 1024)]).is_some();
        if !self.cfg.text && (binary(&da) || binary(&db)) {
            let word = if self.cfg.brief {
                "Files"
            } else {
                "Binary files"
            };
            let mut m = format!("{word} ").into_bytes();
            m.extend_from_slice(&sa.name);
            m.extend_from_slice(b" and ");
            m.extend_from_slice(&sb.name);
            m.extend_from_slice(b" differ\n");
            self.say(&m);
            return 1;
        }
        let (la, lb) = (split_lines(&da), split_lines(&db));
        let (ca, cb) = classes(&la, &lb, self.cfg.fold);
        let horizon = match self.cfg.style {
            Style::Normal => 0,
            Style::Unified(n) | Style::Context(n) => n,
        };
        let changed = engine::analyze(&ca, &cb, |i, j| la[i] == lb[j], horizon, self.cfg.minimal);
        let cs = engine::changes(&changed);
        let blank = |l: &&[u8]| l.iter().all(|&c| c == b'\n');
        let ignorable = |c: &engine::Change| {
            self.cfg.blank_lines
                && la[c.line0..c.line0 + c.deleted].iter().all(blank)
                && lb[c.line1..c.line1 + c.inserted].iter().all(blank)
        };
        let mut hs = format::hunks(&cs, horizon, ignorable);
        hs.retain(|h| !h.iter().all(ignorable));
        if hs.is_empty() {
            return self.identical(sa, sb);
        }
        if self.cfg.brief {
            let mut m = b"Files ".to_vec();
            m.extend_from_slice(&sa.name);
            m.extend_from_slice(b" and ");
            m.extend_from_slice(&sb.name);
            m.extend_from_slice(b" differ\n");
            self.say(&m);
            return 1;
        }
        let mut out = Vec::new();
        if inner {
            out.extend_from_slice(b"diff");
            out.extend_from_slice(&self.cfg.switches);
            out.push(b' ');
            out.extend_from_slice(&sa.name);
            out.push(b' ');
            out.extend_from_slice(&sb.name);
            out.push(b'\n');
        }
        let r = match self.cfg.style {
            Style::Normal => {
                self.say(&out);
                format::normal(&mut self.ctx.stdout, &la, &lb, &hs)
            }
            Style::Unified(n) => {
                self.header(&mut out, b"--- ", sa, 0);
                self.header(&mut out, b"+++ ", sb, 1);
                self.say(&out);
                format::unified(&mut self.ctx.stdout, &la, &lb, &hs, n)
            }
            Style::Context(n) => {
                self.header(&mut out, b"*** ", sa, 0);
                self.header(&mut out, b"--- ", sb, 1);
                self.say(&out);
                format::context(&mut self.ctx.stdout, &la, &lb, &hs, n)
            }
        };
        match r {
            Ok(()) => 1,
            Err(e) => self.trouble(b"write error", &e),
        }
    }

    fn identical(&mut self, sa: &Side, sb: &Side) -> Status {
        if self.cfg.same {
            let mut m = b"Files ".to_vec();
            m.extend_from_slice(&sa.name);
            m.extend_from_slice(b" and ");
            m.extend_from_slice(&sb.name);
            m.extend_from_slice(b" are identical\n");
            self.say(&m);
        }
        0
    }

    /// `--- NAME\tTIME` (or the label).
    fn header(&self, out: &mut Vec<u8>, lead: &[u8], s: &Side, k: usize) {
        out.extend_from_slice(lead);
        if let Some(l) = self.cfg.labels.get(k) {
            out.extend_from_slice(l);
            out.push(b'\n');
            return;
        }
        out.extend_from_slice(&s.name);
        out.push(b'\t');
        let (secs, nsec) = match &s.meta {
            Some(m) => (m.mtime(), m.mtime_nsec()),
            None if s.name == b"-" => now(),
            None => (0, 0),
        };
        let tm = localtime(secs, &self.cfg.tz);
        out.extend_from_slice(&strftime(b"%Y-%m-%d %H:%M:%S", &tm));
        out.extend_from_slice(format!(".{nsec:09} ").as_bytes());
        out.extend_from_slice(&strftime(b"%z", &tm));
        out.push(b'\n');
    }
}

fn now() -> (i64, i64) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, i64::from(d.subsec_nanos())),
        Err(_) => (0, 0),
    }
}

/// The lines of `data`, each with its newline (the last may lack one).
fn split_lines(data: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', data) {
        v.push(&data[start..=i]);
        start = i + 1;
    }
    if start < data.len() {
        v.push(&data[start..]);
    }
    v
}

/// The comparison key of a line under the options.
fn key(line: &[u8], fold: Fold, out: &mut Vec<u8>) {
    out.clear();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' | b'\n');
    if fold.all_space || fold.space_change {
        let mut pending = false;
        for &c in line {
            if ws(c) {
                pending = true;
                continue;
            }
            if pending && !fold.all_space && !out.is_empty() {
                out.push(b' ');
            }
            pending = false;
            out.push(if fold.case { c.to_ascii_lowercase() } else { c });
        }
        // A space before the first word still counts under -b.
        if fold.space_change
            && !fold.all_space
            && !out.is_empty()
            && line.first().is_some_and(|&c| ws(c))
        {
            out.insert(0, b' ');
        }
    } else {
        out.extend(
            line.iter()
                .map(|&c| if fold.case { c.to_ascii_lowercase() } else { c }),
        );
    }
}

/// Maps the lines of both files to equivalence classes.
fn classes<'l>(a: &[&'l [u8]], b: &[&'l [u8]], fold: Fold) -> (Vec<u32>, Vec<u32>) {
    let plain = !(fold.case || fold.space_change || fold.all_space);
    if plain {
        let mut map: HashMap<&'l [u8], u32> = HashMap::new();
        let mut one = |l: &[&'l [u8]]| -> Vec<u32> {
            l.iter()
                .map(|&s| {
                    let n = map.len() as u32;
                    *map.entry(s).or_insert(n)
                })
                .collect()
        };
        let ca = one(a);
        let cb = one(b);
        return (ca, cb);
    }
    let mut map: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut buf = Vec::new();
    let mut one = |l: &[&[u8]]| -> Vec<u32> {
        l.iter()
            .map(|&s| {
                key(s, fold, &mut buf);
                let n = map.len() as u32;
                *map.entry(buf.clone()).or_insert(n)
            })
            .collect()
    };
    let ca = one(a);
    let cb = one(b);
    (ca, cb)
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn normal_format_and_status() {
        let dir = temp_dir("diff");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, "a\nb\nc\n").unwrap();
        std::fs::write(&b, "a\nx\nc\n").unwrap();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        let r = run("diff", &[a, b], b"");
        assert_eq!((r.status, r.out()), (1, "2c2\n< b\n---\n> x\n".to_string()));
        let r = run("diff", &[a, a], b"");
        assert_eq!((r.status, r.out()), (0, String::new()));
        let r = run("diff", &["-u", "--label", "A", "--label", "B", a, b], b"");
        assert_eq!(r.out(), "--- A\n+++ B\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n");
        let r = run("diff", &["-q", a, "-"], b"a\n");
        assert_eq!(r.out(), format!("Files {a} and - differ\n"));
        let r = run("diff", &[a, "/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                2,
                "diff: /nonexistent/x: No such file or directory\n".to_string()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn whitespace_and_case_options() {
        let dir = temp_dir("diff-ws");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, "a  b\nX\n").unwrap();
        std::fs::write(&b, "a b\nx").unwrap();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        assert_eq!(run("diff", &["-b", "-i", a, b], b"").status, 0);
        assert_eq!(run("diff", &["-b", a, b], b"").status, 1);
        assert_eq!(run("diff", &["-w", "-i", a, b], b"").status, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
