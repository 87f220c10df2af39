//! `tar`: create, list and extract tar archives (ustar, GNU, pax, v7), optionally
//! gzip-compressed in process. Messages and `-tv` columns are GNU tar's; extraction never
//! writes outside the target directory (see `safe`).

pub mod create;
pub mod header;
pub mod read;
pub mod safe;
pub mod transform;

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::ffi::OsStrExt;

use rbox_parser::pattern::{Options as PatOpts, Pattern};

use super::gzip::gz;
use crate::common::time::Tz;
use crate::ctx::Output;
use crate::prelude::*;

/// The `tar` applet.
pub const APPLET: Applet = Applet::new("tar", main, Run::Fork)
    .usage("-c|-x|-t [-vzhkmopO] [-f FILE] [-C DIR] [-T FILE] [--exclude=PAT] [FILE]...")
    .help(
        "Create (-c), extract (-x) or list (-t) tar archives. The first argument may omit \
         the dash (tar xzf a.tgz).\n\n\
         -f FILE\tThe archive (- is standard input or output)\n\
         -v\tList the files processed (twice: long listing)\n\
         -z\tCompress or decompress with gzip (read: detected)\n\
         -C DIR\tExtract into DIR; when creating, take the names that follow from DIR\n\
         -p\tKeep permissions (default for root)\n\
         -o, --no-same-owner\tExtract files as yourself (default for non-root)\n\
         --same-owner\tRestore owners (default for root)\n\
         --numeric-owner\tUse numbers, not names, for owners\n\
         --exclude=PAT\tSkip names matching the pattern\n\
         -T FILE\tRead names to archive from FILE\n\
         -h\tArchive what symlinks point to\n\
         -k\tDo not replace existing files (an error)\n\
         --skip-old-files\tDo not replace existing files (silently)\n\
         --overwrite\tOverwrite existing files in place\n\
         --strip-components=N\tDrop N leading name components on extraction\n\
         -O\tExtract to standard output\n\
         -m\tDo not restore modification times\n\
         -P\tKeep leading / in names\n\
         -H, --format=FMT\tgnu (the default, as GNU tar) or ustar (GNU long names when needed)\n\
         --wildcards\tMember operands are patterns\n\
         --owner=NAME[:UID], --group=NAME[:GID]\tOwner and group to store (create)\n\
         --mtime=DATE\tModification time to store (@SECONDS, a date, or a file's)\n\
         --mode=CHANGES\tAdjust the stored modes, as chmod (a+x, 644)\n\
         --full-time\tList times with seconds\n\
         --null\t-T names end with NUL\n\
         --no-recursion\tArchive directories named, not what they hold\n\
         --transform=EXPR, --xform\tRewrite names with sed-style s/RE/REPL/[gixNrRsShH]\n\
         \t(;-separated; flags=... sets r/s/h for the ones after)\n\
         --show-transformed-names\tWith -v, show names after --transform\n\
         -S, --sparse\tStore files with holes as GNU sparse members (GNU format)",
    )
    .error_status(2);

const LONGS: &[&str] = &[
    "create",
    "extract",
    "get",
    "list",
    "file",
    "verbose",
    "gzip",
    "gunzip",
    "ungzip",
    "bzip2",
    "xz",
    "directory",
    "preserve-permissions",
    "same-permissions",
    "no-same-permissions",
    "same-owner",
    "no-same-owner",
    "numeric-owner",
    "exclude",
    "files-from",
    "dereference",
    "keep-old-files",
    "skip-old-files",
    "strip-components",
    "to-stdout",
    "touch",
    "overwrite",
    "format",
    "wildcards",
    "no-wildcards",
    "absolute-names",
    "owner",
    "group",
    "mtime",
    "mode",
    "full-time",
    "null",
    "no-null",
    "recursion",
    "no-recursion",
    "show-transformed-names",
    "show-stored-names",
    "transform",
    "xform",
    "sparse",
];

/// What to do with an existing file on extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Replace it (the default).
    Replace,
    /// Leave it and report an error (`-k`).
    Error,
    /// Leave it silently (`--skip-old-files`).
    Skip,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Create,
    Extract,
    List,
}

/// The parsed options.
pub struct TarOpts {
    op: Op,
    /// `-v` count.
    pub verbose: u8,
    file: Vec<u8>,
    gzip: bool,
    /// `-C` for extraction.
    pub dir: Option<Vec<u8>>,
    /// `-p` / `--no-same-permissions`.
    pub preserve: Option<bool>,
    /// `--same-owner` / `-o`.
    pub same_owner: Option<bool>,
    /// `--numeric-owner`.
    pub numeric: bool,
    /// `--exclude` patterns.
    pub excludes: Vec<Pattern>,
    /// `-h`.
    pub deref: bool,
    /// `-k` / `--skip-old-files`.
    pub keep: Keep,
    /// `--strip-components`.
    pub strip: usize,
    /// `-O`.
    pub to_stdout: bool,
    /// `-m`.
    pub touch: bool,
    /// `--overwrite`.
    pub overwrite: bool,
    /// GNU format (the default; `--format=ustar` turns it off).
    pub gnu: bool,
    /// `--wildcards`.
    pub wildcards: bool,
    /// `-P`.
    pub absolute: bool,
    /// Member operands (extract, list).
    pub members: Vec<Vec<u8>>,
    /// Names to archive, each with the `-C` directory in force (create).
    pub names: Vec<(Option<Vec<u8>>, Vec<u8>)>,
    /// The time zone for listings.
    pub tz: Tz,
    /// `--owner`: the uid and user name to store.
    pub owner: Option<(u64, Vec<u8>)>,
    /// `--group`: the gid and group name to store.
    pub group: Option<(u64, Vec<u8>)>,
    /// `--mtime`: the time to store.
    pub mtime: Option<i64>,
    /// `--mode`: changes applied to the stored modes.
    pub mode: Option<crate::common::mode::ModeChange>,
    /// `--full-time`: listing times with seconds.
    pub full_time: bool,
    /// `-T` was given (an empty list then makes an empty archive).
    pub from_list: bool,
    /// `--no-recursion`: operands only, not what directories hold.
    pub no_recursion: bool,
    /// `--transform`/`--xform` expressions.
    pub transforms: transform::Transforms,
    /// `--show-transformed-names`: `-v` shows names after the transforms.
    pub show_transformed: bool,
    /// `-S`: store files with holes as GNU sparse members (GNU format, create).
    pub sparse: bool,
}

/// Where tar's messages and listings go.
pub struct Msgs<'x, 'c> {
    out: Option<&'x mut Output<'c>>,
    err: &'x mut Output<'c>,
    listing_to_err: bool,
    /// 2 once an error was reported.
    pub status: u8,
    /// Set when the run cannot go on.
    pub fatal: bool,
}

impl Msgs<'_, '_> {
    /// `tar: MESSAGE` on stderr.
    pub fn note(&mut self, m: &[u8]) {
        let mut line = b"tar: ".to_vec();
        line.extend_from_slice(m);
        line.push(b'\n');
        if let Some(o) = self.out.as_deref_mut() {
            let _ = o.flush();
        }
        let _ = self.err.write_all(&line);
        let _ = self.err.flush();
    }

    /// Bytes on stderr as they are.
    pub fn raw(&mut self, m: &[u8]) {
        if let Some(o) = self.out.as_deref_mut() {
            let _ = o.flush();
        }
        let _ = self.err.write_all(m);
        let _ = self.err.flush();
    }

    /// `tar: MESSAGE` and a failed run.
    pub fn error(&mut self, m: &[u8]) {
        self.note(m);
        self.status = 2;
    }

    /// One line of listing (`-t`, `-v`): on stdout, or stderr when stdout holds data.
    pub fn listing(&mut self, line: &[u8]) {
        let mut l = line.to_vec();
        l.push(b'\n');
        match self.out.as_deref_mut() {
            Some(o) if !self.listing_to_err => {
                if o.write_all(&l).is_err() {
                    self.fatal = true;
                }
            }
            _ => {
                let _ = self.err.write_all(&l);
            }
        }
    }

    /// Member data for `-O`.
    pub fn data(&mut self, d: &[u8]) -> io::Result<()> {
        match self.out.as_deref_mut() {
            Some(o) => o.write_all(d),
            None => Err(io::Error::from_raw_os_error(libc::EBADF)),
        }
    }
}

/// A name as GNU tar shows it in the C locale: `\\`, `\n`-style escapes, octal for the
/// rest of the controls and for bytes above 126.
pub fn quote(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\x07' => out.extend_from_slice(b"\\a"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\x0b' => out.extend_from_slice(b"\\v"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out
}

/// Old-style arguments: `tar xzf a.tgz d` is `tar -x -z -f a.tgz d`.
fn old_style(args: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, Error> {
    let Some(first) = args.first() else {
        return Ok(Vec::new());
    };
    if first.starts_with(b"-") {
        return Ok(args.to_vec());
    }
    let mut out = Vec::new();
    let mut rest = args.iter().skip(1);
    for &c in first {
        out.push(vec![b'-', c]);
        if matches!(c, b'f' | b'C' | b'T' | b'H' | b'b' | b'X') {
            match rest.next() {
                Some(v) => out.push(v.clone()),
                None => {
                    return Err(Error::msg(format!(
                        "Old option '{}' requires an argument.",
                        char::from(c)
                    )));
                }
            }
        }
    }
    out.extend(rest.cloned());
    Ok(out)
}

fn set_op(op: &mut Option<Op>, new: Op) -> Result<(), Error> {
    if op.is_some_and(|o| o != new) {
        return Err(Error::usage(
            "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
        ));
    }
    *op = Some(new);
    Ok(())
}

fn path(p: &[u8]) -> &std::path::Path {
    std::path::Path::new(OsStr::from_bytes(p))
}

/// Names from a `-T` file, one a line (or NUL-terminated with `--null`).
fn names_from(ctx: &mut Ctx<'_>, file: &[u8], nul: bool) -> Result<Vec<Vec<u8>>, Error> {
    let data = if file == b"-" {
        let mut v = Vec::new();
        ctx.stdin
            .read_to_end(&mut v)
            .map_err(|e| Error::io(b"-", &e))?;
        v
    } else {
        std::fs::read(path(file)).map_err(|e| {
            let mut m = quote(file);
            m.extend_from_slice(b": Cannot open");
            Error::io(&m, &e)
        })?
    };
    let end = if nul { 0 } else { b'\n' };
    Ok(data
        .split(|&b| b == end)
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect())
}

/// A fatal option error in GNU's two lines (status 2).
fn unrecoverable(m: &str) -> Error {
    Error::msg(format!("{m}\ntar: Error is not recoverable: exiting now")).with_status(2)
}

/// `--owner`/`--group` operand: `NAME[:ID]`; a lone name is looked up, a lone number
/// is the id (its name looked up, empty when there is none).
fn owner_spec(v: &[u8], user: bool) -> Result<(u64, Vec<u8>), Error> {
    let accounts = crate::common::passwd::Accounts::load();
    let number = |t: &[u8]| -> Option<u64> {
        let t = t.strip_prefix(b"+").unwrap_or(t);
        if t.is_empty() || !t.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(t).ok()?.parse().ok()
    };
    if let Some(colon) = v.iter().position(|&b| b == b':') {
        let name = v.get(..colon).unwrap_or_default();
        let id_text = v.get(colon + 1..).unwrap_or_default();
        let id = number(id_text).ok_or_else(|| {
            unrecoverable(&format!(
                "{}: Invalid owner or group ID",
                String::from_utf8_lossy(id_text)
            ))
        })?;
        return Ok((id, name.to_vec()));
    }
    let bad = || {
        let what = if user { "owner" } else { "group" };
        unrecoverable(&format!("{}: Invalid {what}", String::from_utf8_lossy(v)))
    };
    let by_name = if user {
        accounts.user_by_name(v).map(|u| u64::from(u.uid))
    } else {
        accounts.group_by_name(v).map(|g| u64::from(g.gid))
    };
    if let Some(id) = by_name {
        return Ok((id, v.to_vec()));
    }
    let id = number(v).ok_or_else(bad)?;
    let name = u32::try_from(id).ok().and_then(|i| {
        if user {
            accounts.user_by_uid(i).map(|u| u.name.clone())
        } else {
            accounts.group_by_gid(i).map(|g| g.name.clone())
        }
    });
    Ok((id, name.unwrap_or_default()))
}

/// `--mtime` operand: a file's modification time when it names one (starts with `/`
/// or `.`), else a date as `date -d` reads it (`@SECONDS` included).
fn mtime_spec(v: &[u8], tz: &Tz) -> Result<i64, Error> {
    if v.starts_with(b"/") || v.starts_with(b".") {
        return std::fs::metadata(path(v))
            .map(|m| std::os::unix::fs::MetadataExt::mtime(&m))
            .map_err(|e| {
                let reason = crate::error::strerror(&e);
                let name = String::from_utf8_lossy(&quote(v)).into_owned();
                unrecoverable(&format!("{name}: Cannot stat: {reason}"))
            });
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or((0, 0), |d| {
            (i64::try_from(d.as_secs()).unwrap_or(0), d.subsec_nanos())
        });
    crate::common::time::parse_date(v, now, tz)
        .map(|(t, _)| t)
        .ok_or_else(|| {
            unrecoverable(&format!(
                "Unknown date format '{}'",
                String::from_utf8_lossy(v)
            ))
        })
}

fn parse(ctx: &mut Ctx<'_>) -> Result<TarOpts, Error> {
    let args = old_style(ctx.args)?;
    let mut o = TarOpts {
        op: Op::List,
        verbose: 0,
        file: b"-".to_vec(),
        gzip: false,
        dir: None,
        preserve: None,
        same_owner: None,
        numeric: false,
        excludes: Vec::new(),
        deref: false,
        keep: Keep::Replace,
        strip: 0,
        to_stdout: false,
        touch: false,
        overwrite: false,
        gnu: true,
        wildcards: false,
        absolute: false,
        members: Vec::new(),
        names: Vec::new(),
        tz: Tz::from_env(ctx.env),
        owner: None,
        group: None,
        mtime: None,
        mode: None,
        full_time: false,
        from_list: false,
        no_recursion: false,
        transforms: transform::Transforms::default(),
        show_transformed: false,
        sparse: false,
    };
    let mut nul = false;
    let mut op = None;
    let mut operands = Vec::new();
    let mut opts = crate::opts::Opts::new(&args, LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') | Arg::Long("create") => set_op(&mut op, Op::Create)?,
            Arg::Short('x') | Arg::Long("extract" | "get") => set_op(&mut op, Op::Extract)?,
            Arg::Short('t') | Arg::Long("list") => set_op(&mut op, Op::List)?,
            Arg::Short('f') | Arg::Long("file") => o.file = opts.value()?,
            Arg::Short('v') | Arg::Long("verbose") => o.verbose = o.verbose.saturating_add(1),
            Arg::Short('z') | Arg::Long("gzip" | "gunzip" | "ungzip") => o.gzip = true,
            Arg::Short('j') | Arg::Long("bzip2") => {
                return Err(Error::msg("bzip2 compression is not supported").with_status(2));
            }
            Arg::Short('J') | Arg::Long("xz") => {
                return Err(Error::msg("xz compression is not supported").with_status(2));
            }
            Arg::Short('C') | Arg::Long("directory") => {
                let d = opts.value()?;
                operands.push((true, d.clone()));
                o.dir = Some(d);
            }
            Arg::Short('p') | Arg::Long("preserve-permissions" | "same-permissions") => {
                o.preserve = Some(true);
            }
            Arg::Long("no-same-permissions") => o.preserve = Some(false),
            Arg::Long("same-owner") => o.same_owner = Some(true),
            Arg::Short('o') | Arg::Long("no-same-owner") => o.same_owner = Some(false),
            Arg::Long("numeric-owner") => o.numeric = true,
            Arg::Long("exclude") => {
                let p = opts.value()?;
                o.excludes.push(Pattern::parse(&p, PatOpts::default()));
            }
            Arg::Short('X') => {
                let f = opts.value()?;
                for p in names_from(ctx, &f, nul)? {
                    o.excludes.push(Pattern::parse(&p, PatOpts::default()));
                }
            }
            Arg::Short('T') | Arg::Long("files-from") => {
                let f = opts.value()?;
                o.from_list = true;
                for n in names_from(ctx, &f, nul)? {
                    operands.push((false, n));
                }
            }
            Arg::Short('h') | Arg::Long("dereference") => o.deref = true,
            Arg::Short('k') | Arg::Long("keep-old-files") => o.keep = Keep::Error,
            Arg::Long("skip-old-files") => o.keep = Keep::Skip,
            Arg::Long("overwrite") => o.overwrite = true,
            Arg::Long("strip-components") => {
                let v = opts.value()?;
                o.strip = crate::opts::parse_number(&v, "strip-components count")?;
            }
            Arg::Short('O') | Arg::Long("to-stdout") => o.to_stdout = true,
            Arg::Short('m') | Arg::Long("touch") => o.touch = true,
            Arg::Short('H') | Arg::Long("format") => {
                let v = opts.value()?;
                o.gnu = match v.as_slice() {
                    b"gnu" | b"oldgnu" => true,
                    b"ustar" | b"posix" | b"pax" | b"v7" => false,
                    _ => {
                        return Err(Error::usage(format!(
                            "Invalid archive format '{}'",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                };
            }
            Arg::Long("wildcards") => o.wildcards = true,
            Arg::Long("no-wildcards") => o.wildcards = false,
            Arg::Short('P') | Arg::Long("absolute-names") => o.absolute = true,
            Arg::Long("null") => nul = true,
            Arg::Long("no-null") => nul = false,
            Arg::Long("full-time") => o.full_time = true,
            Arg::Long("no-recursion") => o.no_recursion = true,
            Arg::Long("recursion") => o.no_recursion = false,
            Arg::Long("show-transformed-names") => o.show_transformed = true,
            Arg::Long("show-stored-names") => o.show_transformed = false,
            Arg::Long("transform" | "xform") => o.transforms.add(&opts.value()?)?,
            // Reading needs no option: sparse members are recognised by their headers.
            Arg::Short('S') | Arg::Long("sparse") => o.sparse = true,
            Arg::Long("owner") => o.owner = Some(owner_spec(&opts.value()?, true)?),
            Arg::Long("group") => o.group = Some(owner_spec(&opts.value()?, false)?),
            Arg::Long("mtime") => o.mtime = Some(mtime_spec(&opts.value()?, &o.tz)?),
            Arg::Long("mode") => {
                let v = opts.value()?;
                o.mode = Some(
                    crate::common::mode::ModeChange::parse(&v)
                        .ok_or_else(|| unrecoverable("Invalid mode given on option"))?,
                );
            }
            Arg::Value(v) => operands.push((false, v)),
            other => return Err(opts.unexpected(&other)),
        }
    }
    o.op = op.ok_or_else(|| {
        Error::usage("You must specify one of the '-Acdtrux', '--delete' or '--test-label' options")
    })?;
    if o.sparse && !o.gnu && o.op == Op::Create {
        return Err(
            Error::usage("GNU features wanted on incompatible archive format").with_status(2),
        );
    }
    let mut base = None;
    for (is_dir, v) in operands {
        if is_dir {
            base = Some(v);
        } else if o.op == Op::Create {
            o.names.push((base.clone(), v));
        } else {
            o.members.push(v);
        }
    }
    Ok(o)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let o = parse(ctx)?;
    if o.file == b"-" {
        let (fd, what) = match o.op {
            Op::Create => (ctx.stdout.raw_fd(), "write archive contents to"),
            _ => (ctx.stdin.raw_fd(), "read archive contents from"),
        };
        if fd.is_some_and(crate::common::fdio::isatty) {
            let m = format!(
                "tar: Refusing to {what} terminal (missing -f option?)\n\
                 tar: Error is not recoverable: exiting now\n"
            );
            let _ = ctx.stderr.write_all(m.as_bytes());
            return Err(Error::silent(2));
        }
    }
    let status = match o.op {
        Op::Create => create::run(ctx, &o)?,
        Op::Extract | Op::List => read_archive(ctx, &o)?,
    };
    if status != 0 {
        return Err(Error::silent(status));
    }
    Ok(())
}

/// Reads the archive for -t or -x; returns the status.
fn read_archive(ctx: &mut Ctx<'_>, o: &TarOpts) -> Result<u8, Error> {
    let Ctx {
        stdin,
        stdout,
        stderr,
        ..
    } = ctx;
    let mut file;
    let raw: &mut dyn BufRead = if o.file == b"-" {
        stdin
    } else {
        match std::fs::File::open(path(&o.file)) {
            Ok(f) => {
                file = BufReader::with_capacity(64 * 1024, f);
                &mut file
            }
            Err(e) => {
                let mut m = b"tar: ".to_vec();
                m.extend_from_slice(&quote(&o.file));
                m.extend_from_slice(b": Cannot open: ");
                m.extend_from_slice(crate::error::strerror(&e).as_bytes());
                m.extend_from_slice(b"\ntar: Error is not recoverable: exiting now\n");
                let _ = stderr.write_all(&m);
                return Ok(2);
            }
        }
    };
    // Compression is recognised by its magic, as GNU does for files.
    let head = raw.fill_buf().map(<[u8]>::to_vec).unwrap_or_default();
    let gzipped = head.starts_with(b"\x1f\x8b");
    if head.starts_with(b"BZh") || head.starts_with(b"\xfd7zXZ\0") {
        let what = if head.starts_with(b"BZh") {
            "bzip2"
        } else {
            "xz"
        };
        let m = format!("tar: {what} compression is not supported\n");
        let _ = stderr.write_all(m.as_bytes());
        return Ok(2);
    }
    let src: Box<dyn Read + '_> = if gzipped || (o.gzip && !head.is_empty()) {
        Box::new(gz::GzReader::new(raw))
    } else {
        Box::new(raw)
    };
    let listing_to_err = o.to_stdout;
    let mut io = Msgs {
        out: Some(stdout),
        err: stderr,
        listing_to_err,
        status: 0,
        fatal: false,
    };
    let mut rd = read::Reader::new(src);
    match o.op {
        Op::List => read::list(o, &mut rd, &mut io),
        _ => read::extract(o, &mut rd, &mut io),
    }
    if io.status != 0 && !io.fatal {
        io.note(b"Exiting with failure status due to previous errors");
    }
    Ok(io.status)
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::header::{self, Kind, Member};
    use crate::testing::{Outcome, run, run_bytes, run_with_env, temp_dir};

    fn s(p: &Path) -> &str {
        p.to_str().unwrap()
    }

    fn tar(args: &[&str]) -> Outcome {
        run("tar", args, b"")
    }

    fn set_mtime(p: &Path, secs: i64, ns: i64) {
        let t = nix::sys::time::TimeSpec::new(secs, ns);
        nix::sys::stat::utimensat(
            nix::fcntl::AT_FDCWD,
            p,
            &t,
            &t,
            nix::sys::stat::UtimensatFlags::NoFollowSymlink,
        )
        .unwrap();
    }

    /// A tree with every kind the tests compare: files, empty ones, dirs, links, long and
    /// non-UTF-8 names.
    fn make_tree(root: &Path) -> Vec<PathBuf> {
        std::fs::create_dir_all(root.join("dir/empty")).unwrap();
        std::fs::write(root.join("dir/file"), "contents\n").unwrap();
        std::fs::write(root.join("empty"), "").unwrap();
        std::fs::write(root.join("exec"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(root.join("exec"), std::fs::Permissions::from_mode(0o751))
            .unwrap();
        symlink("dir/file", root.join("link")).unwrap();
        symlink("/nonexistent/target", root.join("dangling")).unwrap();
        std::fs::hard_link(root.join("dir/file"), root.join("hard")).unwrap();
        let long1 = "l".repeat(120);
        std::fs::write(root.join(&long1), "long name\n").unwrap();
        let deep: PathBuf = root
            .join("d".repeat(90))
            .join("e".repeat(90))
            .join("f".repeat(90));
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("g".repeat(20)), "deep\n").unwrap();
        let odd = root.join(std::ffi::OsStr::from_bytes(b"caf\xe9 \n\\x"));
        std::fs::write(&odd, "latin1\n").unwrap();
        symlink("t".repeat(150), root.join("longlink")).unwrap();
        nix::unistd::mkfifo(
            &root.join("fifo"),
            nix::sys::stat::Mode::from_bits_truncate(0o640),
        )
        .unwrap();
        if nix::unistd::geteuid().is_root() {
            nix::sys::stat::mknod(
                &root.join("null"),
                nix::sys::stat::SFlag::S_IFCHR,
                nix::sys::stat::Mode::from_bits_truncate(0o666),
                nix::sys::stat::makedev(1, 3),
            )
            .unwrap();
        }
        let big: Vec<u8> = (0..70_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(root.join("big"), big).unwrap();
        let mut all = Vec::new();
        collect(root, root, &mut all);
        for (i, p) in all.iter().enumerate() {
            set_mtime(p, 1_600_000_000 + i as i64, 0);
        }
        all
    }

    fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                collect(root, &p, out);
            }
            out.push(p);
        }
        let _ = root;
    }

    /// Every entry under `root`: relative name, type, mode, mtime, contents or target.
    fn describe(root: &Path) -> Vec<String> {
        let mut all = Vec::new();
        collect(root, root, &mut all);
        let mut v: Vec<String> = all
            .iter()
            .map(|p| {
                let m = std::fs::symlink_metadata(p).unwrap();
                let rel = p.strip_prefix(root).unwrap();
                let what = if m.file_type().is_symlink() {
                    format!("-> {:?}", std::fs::read_link(p).unwrap())
                } else if m.is_dir() {
                    "dir".to_string()
                } else if !m.is_file() {
                    format!("special {:o} rdev={}", m.mode() & libc::S_IFMT, m.rdev())
                } else {
                    format!("{:?} nlink={}", std::fs::read(p).unwrap().len(), m.nlink())
                };
                let mode = if m.file_type().is_symlink() {
                    0
                } else {
                    m.mode() & 0o7777
                };
                let mtime = if m.file_type().is_symlink() {
                    0
                } else {
                    m.mtime()
                };
                format!("{:?} {mode:o} {mtime} {what}", rel.as_os_str())
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn round_trip_keeps_names_contents_modes_times_and_links() {
        let dir = temp_dir("tar-rt");
        let src = dir.join("src");
        make_tree(&src);
        for (fmt, tag) in [("ustar", "u"), ("gnu", "g")] {
            let a = dir.join(format!("a-{tag}.tar"));
            let r = tar(&["-c", "-H", fmt, "-f", s(&a), "-C", s(&src), "."]);
            assert_eq!((r.status, r.err()), (0, String::new()), "{fmt}");
            let out = dir.join(format!("out-{tag}"));
            std::fs::create_dir(&out).unwrap();
            let r = tar(&["-xpf", s(&a), "-C", s(&out)]);
            assert_eq!((r.status, r.err()), (0, String::new()), "{fmt}");
            assert_eq!(describe(&src), describe(&out), "{fmt}");
            // GNU tar lists and extracts ours without a word.
            let gnu = dir.join(format!("gnu-{tag}"));
            std::fs::create_dir(&gnu).unwrap();
            let o = Command::new("tar")
                .args(["-xpf", s(&a), "-C", s(&gnu)])
                .output()
                .unwrap();
            assert!(
                o.status.success() && o.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert_eq!(describe(&src), describe(&gnu), "{fmt}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn extracts_gnu_archives_in_every_format() {
        let dir = temp_dir("tar-gnu-in");
        let src = dir.join("src");
        make_tree(&src);
        for fmt in ["ustar", "gnu", "pax", "v7", "oldgnu"] {
            let a = dir.join(format!("{fmt}.tar"));
            let o = Command::new("tar")
                .args([
                    "-c",
                    &format!("--format={fmt}"),
                    "-f",
                    s(&a),
                    "-C",
                    s(&src),
                    ".",
                ])
                .output()
                .unwrap();
            let out = dir.join(format!("out-{fmt}"));
            std::fs::create_dir(&out).unwrap();
            let r = tar(&["-xpf", s(&a), "-C", s(&out)]);
            if !o.status.success() {
                // ustar and v7 cannot hold every name of the tree: GNU skips those.
                assert!(matches!(fmt, "ustar" | "v7"), "{fmt}");
                continue;
            }
            assert_eq!((r.status, r.err()), (0, String::new()), "{fmt}");
            assert_eq!(describe(&src), describe(&out), "{fmt}");
        }
        // Listing matches GNU's, long format included.
        let a = dir.join("pax.tar");
        let ours = run_with_env(
            "tar",
            &[b"-tvf".to_vec(), a.as_os_str().as_bytes().to_vec()],
            b"",
            &[("TZ", "UTC")],
        );
        let gnu = Command::new("tar")
            .env("TZ", "UTC")
            .env("LC_ALL", "C")
            .args(["-tvf", s(&a)])
            .output()
            .unwrap();
        assert_eq!(ours.out(), String::from_utf8_lossy(&gnu.stdout));
        let ours = tar(&["-tf", s(&a)]);
        let gnu = Command::new("tar")
            .env("LC_ALL", "C")
            .args(["-tf", s(&a)])
            .output()
            .unwrap();
        assert_eq!(ours.out(), String::from_utf8_lossy(&gnu.stdout));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pax_nanosecond_mtimes_are_restored() {
        let dir = temp_dir("tar-ns");
        let src = dir.join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(src.join("f"), "x").unwrap();
        set_mtime(&src.join("f"), 1_650_000_000, 123_456_789);
        let a = dir.join("p.tar");
        assert!(
            Command::new("tar")
                .args(["--format=pax", "-cf", s(&a), "-C", s(&src), "f"])
                .status()
                .unwrap()
                .success()
        );
        let r = tar(&["-xf", s(&a), "-C", s(&dir)]);
        assert_eq!(r.status, 0, "{}", r.err());
        let m = std::fs::metadata(dir.join("f")).unwrap();
        assert_eq!((m.mtime(), m.mtime_nsec()), (1_650_000_000, 123_456_789));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn gzip_both_ways_and_dashless_arguments() {
        let dir = temp_dir("tar-z");
        let src = dir.join("src");
        make_tree(&src);
        let a = dir.join("a.tgz");
        let r = tar(&["czf", s(&a), "-C", s(&src), "."]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(&std::fs::read(&a).unwrap()[..2], b"\x1f\x8b");
        let gnu = dir.join("gnu");
        std::fs::create_dir(&gnu).unwrap();
        assert!(
            Command::new("tar")
                .args(["xzpf", s(&a), "-C", s(&gnu)])
                .status()
                .unwrap()
                .success()
        );
        assert_eq!(describe(&src), describe(&gnu));
        let g = dir.join("g.tgz");
        assert!(
            Command::new("tar")
                .args(["czf", s(&g), "-C", s(&src), "."])
                .status()
                .unwrap()
                .success()
        );
        let out = dir.join("out");
        std::fs::create_dir(&out).unwrap();
        let r = tar(&["xzpf", s(&g), "-C", s(&out)]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(describe(&src), describe(&out));
        // Without -z the compression is recognised; stdin works too.
        let data = std::fs::read(&g).unwrap();
        let r = run("tar", &["tf", "-", "./dir/file"], &data);
        assert_eq!((r.status, r.out()), (0, "./dir/file\n".into()));
        let r = run("tar", &["-tjf", "-"], b"");
        assert_eq!(
            (r.status, r.err()),
            (2, "tar: bzip2 compression is not supported\n".into())
        );
        let r = tar(&["tf"]);
        assert_eq!(r.err(), "tar: Old option 'f' requires an argument.\n");
        let plain = tar(&["cf", "-", "-C", s(&src), "empty"]).stdout;
        let r = run("tar", &["tzf", "-"], &plain);
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            "\ngzip: stdin: not in gzip format\ntar: Child returned status 1\n\
             tar: Error is not recoverable: exiting now\n"
        );
        let r = tar(&["xf", s(&g), "-C", "/nonexistent/dir"]);
        assert_eq!(
            (r.status, r.err()),
            (
                2,
                "tar: /nonexistent/dir: Cannot open: No such file or directory\n\
                 tar: Error is not recoverable: exiting now\n"
                    .into()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn create_messages_and_verbose_like_gnu() {
        let dir = temp_dir("tar-cmsg");
        std::fs::write(dir.join("f"), "hello\n").unwrap();
        let a = dir.join("a.tar");
        let f = dir.join("f");
        let nope = dir.join("nope");
        let r = tar(&["-cvf", s(&a), s(&nope), s(&f)]);
        assert_eq!(r.status, 2);
        assert_eq!(r.out(), format!("{}\n", s(&f)));
        assert_eq!(
            r.err(),
            format!(
                "tar: Removing leading `/' from member names\ntar: {}: Cannot stat: No such file or directory\n\
                 tar: Removing leading `/' from hard link targets\n\
                 tar: Exiting with failure status due to previous errors\n",
                s(&nope)
            )
        );
        let r = tar(&["-cf", s(&a)]);
        assert_eq!(
            (r.status, r.err()),
            (
                2,
                "tar: Cowardly refusing to create an empty archive\n".into()
            )
        );
        let r = tar(&["-f", s(&a)]);
        assert_eq!(r.status, 2);
        assert!(r.err().starts_with("tar: You must specify one of the"));
        // The archive on stdout: the listing goes to stderr.
        let r = tar(&["-cvf", "-", "-C", s(&dir), "f"]);
        assert_eq!((r.status, r.err()), (0, "f\n".into()));
        assert_eq!(r.stdout.len() % 10240, 0);
        let l = run_with_env("tar", &[b"-tv".to_vec()], &r.stdout, &[("TZ", "UTC")]);
        assert!(l.out().starts_with("-rw-r--r-- "), "{}", l.out());
        assert!(l.out().ends_with(" f\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn exclude_files_from_strip_components_and_members() {
        let dir = temp_dir("tar-sel");
        let src = dir.join("src");
        make_tree(&src);
        let list = dir.join("list");
        std::fs::write(&list, "dir\nempty\n").unwrap();
        let a = dir.join("a.tar");
        let r = tar(&[
            "-cf",
            s(&a),
            "-C",
            s(&src),
            "-T",
            s(&list),
            "--exclude=emp*",
        ]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(tar(&["-tf", s(&a)]).out(), "dir/\ndir/file\n");
        let out = dir.join("out");
        std::fs::create_dir(&out).unwrap();
        let r = tar(&["-xf", s(&a), "-C", s(&out), "--strip-components=1"]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(out.join("file")).unwrap(), b"contents\n");
        let r = tar(&["-xOf", s(&a), "dir/file"]);
        assert_eq!((r.status, r.out()), (0, "contents\n".into()));
        let r = tar(&["-tf", s(&a), "dir", "nope"]);
        assert_eq!(r.status, 2);
        assert_eq!(r.out(), "dir/\ndir/file\n");
        assert_eq!(
            r.err(),
            "tar: nope: Not found in archive\ntar: Exiting with failure status due to previous errors\n"
        );
        let r = tar(&["-tf", s(&a), "--wildcards", "*/f*"]);
        assert_eq!(r.out(), "dir/file\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn modes_lose_the_umask_without_p() {
        let dir = temp_dir("tar-umask");
        let src = dir.join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(src.join("f"), "x").unwrap();
        std::fs::set_permissions(src.join("f"), std::fs::Permissions::from_mode(0o4777)).unwrap();
        let a = dir.join("a.tar");
        assert_eq!(tar(&["-cf", s(&a), "-C", s(&src), "f"]).status, 0);
        let umask = crate::common::mode::current_umask();
        let r = tar(&["-xf", s(&a), "-C", s(&dir), "--no-same-permissions"]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        let mode = std::fs::metadata(dir.join("f")).unwrap().mode() & 0o7777;
        assert_eq!(mode, 0o777 & !umask);
        let r = tar(&["-xpf", s(&a), "-C", s(&dir)]);
        assert_eq!(r.status, 0);
        let mode = std::fs::metadata(dir.join("f")).unwrap().mode() & 0o7777;
        assert_eq!(mode, 0o4777);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn keep_old_files_and_overwrite() {
        let dir = temp_dir("tar-keep");
        std::fs::write(dir.join("f"), "new\n").unwrap();
        let a = dir.join("a.tar");
        assert_eq!(tar(&["-cf", s(&a), "-C", s(&dir), "f"]).status, 0);
        let out = dir.join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("f"), "old\n").unwrap();
        let r = tar(&["-xkf", s(&a), "-C", s(&out)]);
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            "tar: f: Cannot open: File exists\ntar: Exiting with failure status due to previous errors\n"
        );
        assert_eq!(std::fs::read(out.join("f")).unwrap(), b"old\n");
        let r = tar(&["-xf", s(&a), "-C", s(&out), "--skip-old-files"]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(out.join("f")).unwrap(), b"old\n");
        let ino = std::fs::metadata(out.join("f")).unwrap().ino();
        let r = tar(&["-xf", s(&a), "-C", s(&out), "--overwrite"]);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(out.join("f")).unwrap(), b"new\n");
        assert_eq!(std::fs::metadata(out.join("f")).unwrap().ino(), ino);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An archive built member by member, for the hostile cases.
    fn archive(members: &[(Member, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (m, data) in members {
            let mut m = m.clone();
            m.size = data.len() as u64;
            out.extend(header::build(&m, false));
            out.extend_from_slice(data);
            header::pad(&mut out);
        }
        out.extend([0u8; 1024]);
        out
    }

    fn file(name: &str) -> Member {
        Member::new(name.as_bytes().to_vec(), Kind::File)
    }

    fn link(name: &str, kind: Kind, target: &str) -> Member {
        let mut m = Member::new(name.as_bytes().to_vec(), kind);
        m.link = target.as_bytes().to_vec();
        m.mode = 0o777;
        m
    }

    fn extract_into(data: &[u8], dir: &Path) -> Outcome {
        run_bytes(
            "tar",
            &[
                b"-x".to_vec(),
                b"-C".to_vec(),
                dir.as_os_str().as_bytes().to_vec(),
            ],
            data,
        )
    }

    #[test]
    fn dotdot_members_are_refused() {
        let dir = temp_dir("tar-dotdot");
        let t = dir.join("t");
        std::fs::create_dir(&t).unwrap();
        let a = archive(&[
            (file("../escape"), b"x"),
            (file("a/../../escape2"), b"x"),
            (file("ok"), b"y"),
        ]);
        let r = extract_into(&a, &t);
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            "tar: Removing leading `../' from member names\ntar: ../escape: Member name contains '..'\n\
             tar: Removing leading `a/../../' from member names\ntar: a/../../escape2: Member name contains '..'\n\
             tar: Exiting with failure status due to previous errors\n"
        );
        assert!(!dir.join("escape").exists() && !dir.join("escape2").exists());
        assert!(t.join("ok").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn absolute_names_are_made_relative() {
        let dir = temp_dir("tar-abs");
        let victim = dir.join("victim");
        let t = dir.join("t");
        std::fs::create_dir(&t).unwrap();
        let a = archive(&[(file(s(&victim)), b"pwned")]);
        let r = extract_into(&a, &t);
        assert_eq!(
            (r.status, r.err()),
            (0, "tar: Removing leading `/' from member names\n".into())
        );
        assert!(!victim.exists());
        let inside = t.join(s(&victim).trim_start_matches('/'));
        assert_eq!(std::fs::read(inside).unwrap(), b"pwned");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlink_from_the_archive_is_never_followed() {
        let dir = temp_dir("tar-symdir");
        let outside = dir.join("outside");
        std::fs::create_dir(&outside).unwrap();
        let t = dir.join("t");
        std::fs::create_dir(&t).unwrap();
        // a -> OUTSIDE, then a/passwd: refused, nothing written outside.
        let a = archive(&[
            (link("a", Kind::Symlink, s(&outside)), b""),
            (file("a/passwd"), b"root::0:0::/:/bin/sh\n"),
        ]);
        let r = extract_into(&a, &t);
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            "tar: a/passwd: Cannot open: Not a directory\ntar: Exiting with failure status due to previous errors\n"
        );
        assert!(!outside.join("passwd").exists());
        // l -> OUTSIDE/file, then a file l: the link is replaced, never written through.
        let target = outside.join("file");
        std::fs::write(&target, "precious").unwrap();
        let a = archive(&[
            (link("l", Kind::Symlink, s(&target)), b""),
            (file("l"), b"overwritten"),
        ]);
        let r = extract_into(&a, &t);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(&target).unwrap(), b"precious");
        assert_eq!(std::fs::read(t.join("l")).unwrap(), b"overwritten");
        // Even with --overwrite.
        let a = archive(&[
            (link("m", Kind::Symlink, s(&target)), b""),
            (file("m"), b"over"),
        ]);
        let r = run_bytes(
            "tar",
            &[
                b"-x".to_vec(),
                b"--overwrite".to_vec(),
                b"-C".to_vec(),
                t.as_os_str().as_bytes().to_vec(),
            ],
            &a,
        );
        assert_eq!(r.status, 0, "{}", r.err());
        assert_eq!(std::fs::read(&target).unwrap(), b"precious");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlink_already_in_the_target_is_never_followed() {
        let dir = temp_dir("tar-presym");
        let outside = dir.join("outside");
        std::fs::create_dir(&outside).unwrap();
        let t = dir.join("t");
        std::fs::create_dir(&t).unwrap();
        symlink(&outside, t.join("etc")).unwrap();
        let a = archive(&[(file("etc/shadow"), b"x")]);
        let r = extract_into(&a, &t);
        assert_eq!(r.status, 2);
        assert!(!outside.join("shadow").exists());
        // A directory member where a symlink is: the link is replaced by a directory.
        let mut d = Member::new(b"etc/".to_vec(), Kind::Dir);
        d.mode = 0o755;
        let a = archive(&[(d, b""), (file("etc/x"), b"x")]);
        let r = extract_into(&a, &t);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert!(!outside.join("x").exists());
        assert!(t.join("etc/x").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn hard_links_cannot_reach_outside() {
        let dir = temp_dir("tar-hard");
        let outside = dir.join("secret");
        std::fs::write(&outside, "secret").unwrap();
        let t = dir.join("t");
        std::fs::create_dir(&t).unwrap();
        // An absolute target is taken inside the target directory, where it does not exist.
        let a = archive(&[(link("h", Kind::Hard, s(&outside)), b"")]);
        let r = extract_into(&a, &t);
        assert_eq!(r.status, 2);
        assert!(
            r.err()
                .contains("Removing leading `/' from hard link targets"),
            "{}",
            r.err()
        );
        assert!(r.err().contains("h: Cannot hard link to"), "{}", r.err());
        assert!(!t.join("h").exists());
        // .. in the target: refused.
        let a = archive(&[(link("h2", Kind::Hard, "../secret"), b"")]);
        let r = extract_into(&a, &t);
        assert_eq!(r.status, 2);
        assert!(!t.join("h2").exists());
        // Through a symlink made by the archive: refused.
        let a = archive(&[
            (link("s", Kind::Symlink, s(&dir)), b""),
            (link("h3", Kind::Hard, "s/secret"), b""),
        ]);
        let r = extract_into(&a, &t);
        assert_eq!(r.status, 2);
        assert!(!t.join("h3").exists());
        assert_eq!(std::fs::metadata(&outside).unwrap().nlink(), 1);
        // A hard link to a symlink pointing out links the symlink, not its target.
        let a = archive(&[
            (link("sl", Kind::Symlink, s(&outside)), b""),
            (link("h4", Kind::Hard, "sl"), b""),
        ]);
        let r = extract_into(&a, &t);
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert!(
            std::fs::symlink_metadata(t.join("h4"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::metadata(&outside).unwrap().nlink(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_and_truncated_archives_fail_cleanly() {
        let a = archive(&[
            (file("one"), b"1111"),
            (file("two"), b"2222"),
            (file("three"), b"3"),
        ]);
        let r = run("tar", &["-t"], b"");
        assert_eq!((r.status, r.err()), (2, "tar: This does not look like a tar archive\ntar: Exiting with failure status due to previous errors\n".into()));
        let r = run("tar", &["-t"], b"not a tar archive at all");
        assert_eq!(r.status, 2);
        let mut bad = a.clone();
        bad[1024 + 148] ^= 1;
        let r = run_bytes("tar", &[b"-t".to_vec()], &bad);
        assert_eq!(r.out(), "one\nthree\n");
        assert_eq!(
            r.err(),
            "tar: Skipping to next header\ntar: Exiting with failure status due to previous errors\n"
        );
        let r = run_bytes("tar", &[b"-t".to_vec()], &a[..700]);
        assert_eq!((r.status, r.out()), (2, "one\n".into()));
        assert_eq!(
            r.err(),
            "tar: Unexpected EOF in archive\ntar: Error is not recoverable: exiting now\n"
        );
        // Every truncation and many corruptions: an answer, never a panic or a hang.
        let dir = temp_dir("tar-fuzz");
        for cut in (0..a.len()).step_by(97) {
            let _ = run_bytes("tar", &[b"-t".to_vec()], &a[..cut]);
        }
        for i in (0..1536).step_by(7) {
            for v in [0u8, 0x80, 0xff, b'7'] {
                let mut c = a.clone();
                c[i] = v;
                let _ = run_bytes("tar", &[b"-tv".to_vec()], &c);
                let _ = extract_into(&c, &dir);
            }
        }
        // A hostile size in a long-name header is skipped, not allocated.
        let mut m = Member::new(b"././@LongLink".to_vec(), Kind::Other(b'L'));
        m.size = 1 << 40;
        let mut h = header::build(&m, true);
        h.extend([0u8; 1024]);
        let r = run_bytes("tar", &[b"-t".to_vec()], &h);
        assert_eq!(r.status, 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn quoting_like_gnu_in_the_c_locale() {
        assert_eq!(
            super::quote(b"a\nb\\c\td\xc3\xa9 e"),
            b"a\\nb\\\\c\\td\\303\\251 e".to_vec()
        );
    }
}
