//! `gzip`, `gunzip`, `zcat`: compress and decompress files in the gzip format.
//!
//! Messages are GNU gzip's, prefixed `gzip:` for all three names as GNU's are. Exit status
//! 1 on an error, 2 on a warning (an existing output, a trailing garbage, a skipped file)
//! when there was no error.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};

use nix::sys::stat::{Mode, fchmod, futimens};
use nix::sys::time::TimeSpec;

pub mod gz;

use crate::common::walk::{self, Action, Kind, Options};
use crate::prelude::*;
use gz::{Decoder, Encoder, GzError};

const HELP: &str = "Compress FILEs (or standard input) in the gzip format, replacing each \
FILE by FILE.gz.\n\n\
     -c\tWrite to standard output, keep the input files\n\
     -d\tDecompress\n\
     -k\tKeep the input files\n\
     -f\tOverwrite existing outputs; compress links and terminals\n\
     -1..-9\tCompression level: fast to best (default 6)\n\
     -t\tTest the integrity of compressed files\n\
     -l\tList compressed and uncompressed sizes\n\
     -n\tDo not save (compress) or restore (decompress) the name and time\n\
     -N\tSave or restore the name and time\n\
     -q\tNo warnings\n\
     -v\tReport each file and its compression ratio\n\
     -r\tOperate on directories recursively\n\
     -S SUF\tUse suffix SUF instead of .gz";

/// The `gzip` applet.
pub const APPLET: Applet = Applet::new("gzip", gzip_main, Run::Fork)
    .usage("[-cdfklnNqrtv19] [-S SUF] [FILE]...")
    .help(HELP);

/// The `gunzip` applet: `gzip -d`.
pub const GUNZIP: Applet = Applet::new("gunzip", gunzip_main, Run::Fork)
    .usage("[-cfklnNqrtv] [-S SUF] [FILE]...")
    .help(HELP);

/// The `zcat` applet: `gzip -dc`.
pub const ZCAT: Applet = Applet::new("zcat", zcat_main, Run::Fork)
    .usage("[-fqv] [FILE]...")
    .help(HELP);

const LONGS: &[&str] = &[
    "stdout",
    "to-stdout",
    "decompress",
    "uncompress",
    "keep",
    "force",
    "test",
    "list",
    "no-name",
    "name",
    "quiet",
    "verbose",
    "recursive",
    "suffix",
    "fast",
    "best",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode2 {
    Compress,
    Decompress,
    Test,
    List,
}

struct Gz {
    mode: Mode2,
    stdout: bool,
    keep: bool,
    force: bool,
    level: u8,
    /// `Some(true)` for -N, `Some(false)` for -n, `None` for the default.
    name: Option<bool>,
    quiet: bool,
    verbose: bool,
    recursive: bool,
    suffix: Vec<u8>,
    /// 0, 1 (error) or 2 (warning).
    status: u8,
    /// Totals for -l.
    list_totals: (u64, u64, usize),
}

fn gzip_main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    main(ctx, false, false)
}

fn gunzip_main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    main(ctx, true, false)
}

fn zcat_main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    main(ctx, true, true)
}

fn main(ctx: &mut Ctx<'_>, decompress: bool, to_stdout: bool) -> Result<(), Error> {
    let mut g = Gz {
        mode: if decompress {
            Mode2::Decompress
        } else {
            Mode2::Compress
        },
        stdout: to_stdout,
        keep: false,
        force: false,
        level: 6,
        name: None,
        quiet: false,
        verbose: false,
        recursive: false,
        suffix: b".gz".to_vec(),
        status: 0,
        list_totals: (0, 0, 0),
    };
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    let (mut test, mut list, mut dec) = (false, false, decompress);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') | Arg::Long("stdout" | "to-stdout") => g.stdout = true,
            Arg::Short('d') | Arg::Long("decompress" | "uncompress") => dec = true,
            Arg::Short('k') | Arg::Long("keep") => g.keep = true,
            Arg::Short('f') | Arg::Long("force") => g.force = true,
            Arg::Short('t') | Arg::Long("test") => test = true,
            Arg::Short('l') | Arg::Long("list") => list = true,
            Arg::Short('n') | Arg::Long("no-name") => g.name = Some(false),
            Arg::Short('N') | Arg::Long("name") => g.name = Some(true),
            Arg::Short('q') | Arg::Long("quiet") => (g.quiet, g.verbose) = (true, false),
            Arg::Short('v') | Arg::Long("verbose") => (g.verbose, g.quiet) = (true, false),
            Arg::Short('r') | Arg::Long("recursive") => g.recursive = true,
            Arg::Short('S') | Arg::Long("suffix") => {
                g.suffix = opts.value()?;
                if g.suffix.is_empty() || g.suffix.contains(&b'/') {
                    return Err(Error::msg("invalid suffix ''"));
                }
            }
            Arg::Long("fast") => g.level = 1,
            Arg::Long("best") => g.level = 9,
            Arg::Short(c @ '1'..='9') => g.level = c as u8 - b'0',
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    g.mode = if list {
        Mode2::List
    } else if test {
        Mode2::Test
    } else if dec {
        Mode2::Decompress
    } else {
        Mode2::Compress
    };
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    for f in &files {
        if f == b"-" {
            do_stdin(ctx, &mut g)?;
        } else {
            do_operand(ctx, &mut g, f)?;
        }
    }
    if g.mode == Mode2::List && g.list_totals.2 > 1 {
        let (c, u, _) = g.list_totals;
        list_line(ctx, c, u, c.saturating_sub(u.min(c)), b"(totals)")?;
    }
    if g.status != 0 {
        return Err(Error::silent(g.status));
    }
    Ok(())
}

/// Prints `gzip: TEXT`, with GNU's leading newline for decompression errors when `nl`.
fn say(ctx: &mut Ctx<'_>, nl: bool, text: &[u8]) {
    let mut line = Vec::new();
    if nl {
        line.push(b'\n');
    }
    line.extend_from_slice(b"gzip: ");
    line.extend_from_slice(text);
    line.push(b'\n');
    let _ = ctx.stderr.write_all(&line);
    let _ = ctx.stderr.flush();
}

fn error(ctx: &mut Ctx<'_>, g: &mut Gz, nl: bool, text: &[u8]) {
    say(ctx, nl, text);
    g.status = 1;
}

fn warning(ctx: &mut Ctx<'_>, g: &mut Gz, nl: bool, text: &[u8]) {
    if !g.quiet {
        say(ctx, nl, text);
    }
    if g.status == 0 {
        g.status = 2;
    }
}

fn join(a: &[u8], b: &str) -> Vec<u8> {
    let mut v = a.to_vec();
    v.extend_from_slice(b.as_bytes());
    v
}

fn path(p: &[u8]) -> &std::path::Path {
    std::path::Path::new(OsStr::from_bytes(p))
}

/// The ratio GNU shows: the share of the input saved, `%5.1f%%`.
fn ratio(saved_num: i128, den: u64) -> String {
    let r = if den == 0 {
        0.0
    } else {
        100.0 * saved_num as f64 / den as f64
    };
    format!("{r:5.1}%")
}

fn list_line(ctx: &mut Ctx<'_>, comp: u64, uncomp: u64, _x: u64, name: &[u8]) -> Result<(), Error> {
    let mut line = format!(
        "{comp:>19} {uncomp:>19} {} ",
        ratio(uncomp as i128 - comp as i128, uncomp)
    )
    .into_bytes();
    line.extend_from_slice(name);
    line.push(b'\n');
    ctx.stdout.write_all(&line)?;
    Ok(())
}

fn do_stdin(ctx: &mut Ctx<'_>, g: &mut Gz) -> Result<(), Error> {
    let tty = |fd: Option<i32>| fd.is_some_and(crate::common::fdio::isatty);
    match g.mode {
        Mode2::Compress => {
            if !g.force && tty(ctx.stdout.raw_fd()) {
                say(
                    ctx,
                    false,
                    b"compressed data not written to a terminal. Use -f to force compression.\n\
                      For help, type: gzip -h",
                );
                return Err(Error::silent(1));
            }
            let mut buf = vec![0u8; 64 * 1024];
            let mut enc = Encoder::new(Vec::new(), g.level, None, 0)?;
            loop {
                let n = match ctx.stdin.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) => return Err(Error::io(b"stdin", &e)),
                };
                if n == 0 {
                    break;
                }
                enc.write_all(&buf[..n])?;
                // Hand the compressed bytes on as they come, to keep memory bounded.
                let out = std::mem::take(enc.inner_mut());
                ctx.stdout.write_all(&out)?;
            }
            let (out, _) = enc.finish()?;
            ctx.stdout.write_all(&out)?;
            Ok(())
        }
        _ => {
            if !g.force && tty(ctx.stdin.raw_fd()) {
                say(
                    ctx,
                    false,
                    b"compressed data not read from a terminal. Use -f to force decompression.\n\
                      For help, type: gzip -h",
                );
                return Err(Error::silent(1));
            }
            if passes_through(g, &mut ctx.stdin) {
                return copy_through(&mut ctx.stdin, &mut ctx.stdout, b"stdin");
            }
            let mut dec = Decoder::new();
            let r = decode_to(ctx, g, &mut dec, None, None);
            finish_decode(ctx, g, &dec, b"stdin", r, None)?;
            Ok(())
        }
    }
}

/// Whether `-dcf` meets input that is not gzip data: GNU gzip then copies it unchanged
/// (zcat -f, zgrep and zless rely on it for plain files among compressed ones).
fn passes_through(g: &Gz, inp: &mut dyn BufRead) -> bool {
    if !(g.force && g.mode == Mode2::Decompress) {
        return false;
    }
    match inp.fill_buf() {
        Ok([]) => true,
        Err(_) => false,
        Ok([0x1f]) => false,
        Ok(head) => !head.starts_with(&[0x1f, 0x8b]),
    }
}

/// Copies the rest of `inp` to `out` unchanged (the pass-through of [`passes_through`]).
fn copy_through(
    inp: &mut dyn BufRead,
    out: &mut crate::ctx::Output,
    name: &[u8],
) -> Result<(), Error> {
    loop {
        let n = {
            let chunk = inp.fill_buf().map_err(|e| Error::io(name, &e))?;
            if chunk.is_empty() {
                return Ok(());
            }
            out.write_all(chunk)?;
            chunk.len()
        };
        inp.consume(n);
    }
}

/// Where decoded bytes go.
enum Sink<'f> {
    Stdout,
    File(&'f mut File),
    Nowhere,
}

/// Decodes from the file `inp` (or stdin when `None`) into `sink` (stdout when `None`).
fn decode_to(
    ctx: &mut Ctx<'_>,
    g: &Gz,
    dec: &mut Decoder,
    inp: Option<&mut BufReader<File>>,
    out: Option<&mut File>,
) -> Result<(), Fail> {
    let mut sink = match out {
        Some(f) => Sink::File(f),
        None if matches!(g.mode, Mode2::Test | Mode2::List) => Sink::Nowhere,
        None => Sink::Stdout,
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut inp = inp;
    loop {
        let n = match inp.as_deref_mut() {
            Some(r) => dec.read(r, &mut buf),
            None => dec.read(&mut ctx.stdin, &mut buf),
        }
        .map_err(Fail::Read)?;
        if n == 0 {
            return Ok(());
        }
        let chunk = &buf[..n];
        match &mut sink {
            Sink::Stdout => ctx.stdout.write_all(chunk).map_err(Fail::Write)?,
            Sink::File(f) => f.write_all(chunk).map_err(Fail::Write)?,
            Sink::Nowhere => {}
        }
    }
}

enum Fail {
    Read(GzError),
    Write(io::Error),
}

/// Reports the outcome of a decode of `name`; true when it succeeded.
fn finish_decode(
    ctx: &mut Ctx<'_>,
    g: &mut Gz,
    dec: &Decoder,
    name: &[u8],
    r: Result<(), Fail>,
    out_name: Option<&[u8]>,
) -> Result<bool, Error> {
    match r {
        Ok(()) => {}
        Err(Fail::Read(e)) => {
            let mut m = name.to_vec();
            m.extend_from_slice(b": ");
            m.extend_from_slice(e.text().as_bytes());
            let nl = !matches!(e, GzError::Io(_));
            error(ctx, g, nl, &m);
            return Ok(false);
        }
        Err(Fail::Write(e)) => {
            if out_name.is_none() {
                return Err(Error::io(b"stdout", &e));
            }
            let m = crate::error::subject_reason(out_name.unwrap_or_default(), &e);
            error(ctx, g, false, &m);
            return Ok(false);
        }
    }
    if dec.trailing_garbage {
        let m = join(name, ": decompression OK, trailing garbage ignored");
        warning(ctx, g, true, &m);
    }
    Ok(true)
}

/// Strips a known compressed suffix: the name of the decompressed file.
fn strip_suffix(name: &[u8], suffix: &[u8]) -> Option<Vec<u8>> {
    let base = crate::common::path::basename(name);
    let known: [(&[u8], &[u8]); 7] = [
        (suffix, b""),
        (b".gz", b""),
        (b"-gz", b""),
        (b".z", b""),
        (b"-z", b""),
        (b"_z", b""),
        (b".tgz", b".tar"),
    ];
    for (suf, repl) in known {
        if base.len() > suf.len() && base.ends_with(suf) {
            let mut v = name.get(..name.len() - suf.len())?.to_vec();
            v.extend_from_slice(repl);
            return Some(v);
        }
    }
    if base.len() > 4 && base.ends_with(b".taz") {
        let mut v = name.get(..name.len() - 4)?.to_vec();
        v.extend_from_slice(b".tar");
        return Some(v);
    }
    None
}

fn do_operand(ctx: &mut Ctx<'_>, g: &mut Gz, name: &[u8]) -> Result<(), Error> {
    let mut name = name.to_vec();
    let meta = match std::fs::symlink_metadata(path(&name)) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound && g.mode != Mode2::Compress => {
            // gunzip f finds f.gz.
            let alt = [g.suffix.clone(), b".gz".to_vec()]
                .into_iter()
                .map(|s| {
                    let mut v = name.clone();
                    v.extend_from_slice(&s);
                    v
                })
                .find_map(|v| std::fs::symlink_metadata(path(&v)).ok().map(|m| (v, m)));
            match alt {
                Some((v, m)) => {
                    name = v;
                    m
                }
                None => {
                    let m = crate::error::subject_reason(&name, &e);
                    error(ctx, g, false, &m);
                    return Ok(());
                }
            }
        }
        Err(e) => {
            let m = crate::error::subject_reason(&name, &e);
            error(ctx, g, false, &m);
            return Ok(());
        }
    };
    if meta.is_dir() {
        if g.recursive {
            return do_tree(ctx, g, &name);
        }
        let m = join(&name, " is a directory -- ignored");
        warning(ctx, g, false, &m);
        return Ok(());
    }
    if meta.file_type().is_symlink() && !g.force && !g.stdout {
        let e = io::Error::from_raw_os_error(libc::ELOOP);
        let m = crate::error::subject_reason(&name, &e);
        error(ctx, g, false, &m);
        return Ok(());
    }
    // A FIFO or device is looked at before it is opened (an open could block), and is
    // only read when the output goes to stdout or nowhere.
    let ft = meta.file_type();
    let to_file = !g.stdout && matches!(g.mode, Mode2::Compress | Mode2::Decompress);
    if !ft.is_file() && !ft.is_symlink() && to_file {
        let m = join(&name, " is not a directory or a regular file - ignored");
        warning(ctx, g, false, &m);
        return Ok(());
    }
    match g.mode {
        Mode2::Compress => compress_file(ctx, g, &name),
        _ => decompress_file(ctx, g, &name),
    }
}

fn do_tree(ctx: &mut Ctx<'_>, g: &mut Gz, root: &[u8]) -> Result<(), Error> {
    let mut files = Vec::new();
    let opts = Options {
        sort: true,
        ..Options::default()
    };
    walk::walk(root, &opts, &mut |e| {
        if e.kind == Kind::File && e.mode() & libc::S_IFMT == libc::S_IFREG {
            files.push(e.path.to_vec());
        }
        Action::Continue
    });
    for f in files {
        let skip = match g.mode {
            Mode2::Compress => crate::common::path::basename(&f).ends_with(&g.suffix),
            _ => strip_suffix(&f, &g.suffix).is_none(),
        };
        if !skip {
            do_operand(ctx, g, &f)?;
        }
    }
    Ok(())
}

fn open_input(name: &[u8], follow: bool) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    if !follow {
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path(name))
}

/// Creates a temporary file beside `dest` for the output, mode 0600.
fn create_temp(dest: &[u8]) -> io::Result<(File, Vec<u8>)> {
    let dir = crate::common::path::dirname(dest);
    let base = crate::common::path::basename(dest);
    let pid = std::process::id();
    for n in 0..1000u32 {
        let mut t = if dest.contains(&b'/') {
            let mut d = dir.to_vec();
            d.push(b'/');
            d
        } else {
            Vec::new()
        };
        t.push(b'.');
        t.extend_from_slice(base);
        t.extend_from_slice(format!(".{pid}.{n}.tmp").as_bytes());
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path(&t))
        {
            Ok(f) => return Ok((f, t)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::EEXIST))
}

/// Copies the mode, owner (when allowed) and times of `meta` onto `f`.
fn copy_stat(f: &File, meta: &std::fs::Metadata, mtime: Option<i64>) {
    let _ = nix::unistd::fchown(
        f.as_fd(),
        Some(nix::unistd::Uid::from_raw(meta.uid())),
        Some(nix::unistd::Gid::from_raw(meta.gid())),
    );
    let _ = fchmod(f.as_fd(), Mode::from_bits_truncate(meta.mode() & 0o7777));
    let atime = TimeSpec::new(meta.atime(), meta.atime_nsec());
    let mtime = match mtime {
        Some(t) => TimeSpec::new(t, 0),
        None => TimeSpec::new(meta.mtime(), meta.mtime_nsec()),
    };
    let _ = futimens(f.as_fd(), &atime, &mtime);
}

/// Whether `dest` may be written: it does not exist, or -f was given (then it is removed
/// by the rename). Warns otherwise.
fn may_write(ctx: &mut Ctx<'_>, g: &mut Gz, dest: &[u8]) -> bool {
    if std::fs::symlink_metadata(path(dest)).is_ok() && !g.force {
        let m = join(dest, " already exists;\tnot overwritten");
        warning(ctx, g, false, &m);
        return false;
    }
    true
}

fn compress_file(ctx: &mut Ctx<'_>, g: &mut Gz, name: &[u8]) -> Result<(), Error> {
    let base = crate::common::path::basename(name);
    if !g.stdout && base.ends_with(&g.suffix) && base.len() >= g.suffix.len() {
        let m = format!(
            " already has {} suffix -- unchanged",
            String::from_utf8_lossy(&g.suffix)
        );
        let m = join(name, &m);
        warning(ctx, g, false, &m);
        return Ok(());
    }
    let file = match open_input(name, g.force || g.stdout) {
        Ok(f) => f,
        Err(e) => {
            let m = crate::error::subject_reason(name, &e);
            error(ctx, g, false, &m);
            return Ok(());
        }
    };
    let meta = file.metadata().map_err(|e| Error::io(name, &e))?;
    if !meta.is_file() && !g.stdout {
        let m = join(name, " is not a directory or a regular file - ignored");
        warning(ctx, g, false, &m);
        return Ok(());
    }
    if !g.stdout && !g.force && meta.nlink() > 1 {
        let n = meta.nlink() - 1;
        let m = format!(
            " has {n} other link{} -- unchanged",
            if n > 1 { "s" } else { "" }
        );
        let m = join(name, &m);
        warning(ctx, g, false, &m);
        return Ok(());
    }
    let save_name = g.name != Some(false);
    let stored_name = save_name.then_some(base);
    let mtime = if save_name {
        u32::try_from(meta.mtime()).unwrap_or(0)
    } else {
        0
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut buf = vec![0u8; 64 * 1024];
    if g.stdout {
        let mut enc = Encoder::new(Vec::new(), g.level, stored_name, mtime)?;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    let m = crate::error::subject_reason(name, &e);
                    error(ctx, g, false, &m);
                    return Ok(());
                }
            };
            if n == 0 {
                break;
            }
            enc.write_all(&buf[..n])?;
            let out = std::mem::take(enc.inner_mut());
            ctx.stdout.write_all(&out)?;
        }
        let hl = enc.header_len;
        let (out, total) = enc.finish()?;
        ctx.stdout.write_all(&out)?;
        if g.verbose {
            report(ctx, name, meta.len(), total, hl, b"replaced with stdout");
        }
        return Ok(());
    }
    let dest = {
        let mut d = name.to_vec();
        d.extend_from_slice(&g.suffix);
        d
    };
    if !may_write(ctx, g, &dest) {
        return Ok(());
    }
    let (tmp, tmp_name) = match create_temp(&dest) {
        Ok(t) => t,
        Err(e) => {
            let m = crate::error::subject_reason(&dest, &e);
            error(ctx, g, false, &m);
            return Ok(());
        }
    };
    let result = (|| -> io::Result<(File, u64, u64)> {
        let mut enc = Encoder::new(
            io::BufWriter::with_capacity(64 * 1024, tmp),
            g.level,
            stored_name,
            mtime,
        )?;
        io::copy(&mut reader, &mut enc)?;
        let hl = enc.header_len;
        let (w, total) = enc.finish()?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        Ok((f, total, hl))
    })();
    let (tmp, total, hl) = match result {
        Ok(t) => t,
        Err(e) => {
            let _ = std::fs::remove_file(path(&tmp_name));
            let m = crate::error::subject_reason(name, &e);
            error(ctx, g, false, &m);
            return Ok(());
        }
    };
    copy_stat(&tmp, &meta, None);
    drop(tmp);
    if let Err(e) = std::fs::rename(path(&tmp_name), path(&dest)) {
        let _ = std::fs::remove_file(path(&tmp_name));
        let m = crate::error::subject_reason(&dest, &e);
        error(ctx, g, false, &m);
        return Ok(());
    }
    if !g.keep
        && let Err(e) = std::fs::remove_file(path(name))
    {
        let m = crate::error::subject_reason(name, &e);
        error(ctx, g, false, &m);
    }
    if g.verbose {
        let what = if g.keep { "created " } else { "replaced with " };
        let what = join(what.as_bytes(), &String::from_utf8_lossy(&dest));
        report(ctx, name, meta.len(), total, hl, &what);
    }
    Ok(())
}

/// `NAME:\t RATIO -- WHAT` on stderr for -v.
fn report(ctx: &mut Ctx<'_>, name: &[u8], plain: u64, comp: u64, header: u64, what: &[u8]) {
    let deflated = comp.saturating_sub(header + 8);
    let mut line = name.to_vec();
    line.extend_from_slice(b":\t");
    line.extend_from_slice(ratio(plain as i128 - deflated as i128, plain).as_bytes());
    line.extend_from_slice(b" -- ");
    line.extend_from_slice(what);
    line.push(b'\n');
    let _ = ctx.stderr.write_all(&line);
    let _ = ctx.stderr.flush();
}

fn decompress_file(ctx: &mut Ctx<'_>, g: &mut Gz, name: &[u8]) -> Result<(), Error> {
    let to_file = g.mode == Mode2::Decompress && !g.stdout;
    let mut dest = Vec::new();
    if to_file {
        match strip_suffix(name, &g.suffix) {
            Some(d) => dest = d,
            None => {
                let m = join(name, ": unknown suffix -- ignored");
                warning(ctx, g, false, &m);
                return Ok(());
            }
        }
    }
    let file = match open_input(name, g.force || g.stdout || !to_file) {
        Ok(f) => f,
        Err(e) => {
            let m = crate::error::subject_reason(name, &e);
            error(ctx, g, false, &m);
            return Ok(());
        }
    };
    let meta = file.metadata().map_err(|e| Error::io(name, &e))?;
    if !meta.is_file() && to_file {
        let m = join(name, " is not a directory or a regular file - ignored");
        warning(ctx, g, false, &m);
        return Ok(());
    }
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    if !to_file && passes_through(g, &mut reader) {
        return copy_through(&mut reader, &mut ctx.stdout, name);
    }
    let mut dec = Decoder::new();
    // The header first: -N takes the name and time from it.
    if let Err(e) = dec.read_header(&mut reader) {
        let r = Err(Fail::Read(e));
        finish_decode(ctx, g, &dec, name, r, None)?;
        return Ok(());
    }
    let header = dec.header.clone().unwrap_or_default();
    if g.mode == Mode2::List {
        let r = decode_to(ctx, g, &mut dec, Some(&mut reader), None);
        if finish_decode(ctx, g, &dec, name, r, None)? {
            let shown = strip_suffix(name, &g.suffix).unwrap_or_else(|| name.to_vec());
            if g.list_totals.2 == 0 {
                ctx.stdout.write_all(
                    b"         compressed        uncompressed  ratio uncompressed_name\n",
                )?;
            }
            let (c, u) = (meta.len(), dec.total_out);
            list_line(ctx, c, u, 0, &shown)?;
            g.list_totals.0 += c;
            g.list_totals.1 += u;
            g.list_totals.2 += 1;
        }
        return Ok(());
    }
    if !to_file {
        let r = decode_to(ctx, g, &mut dec, Some(&mut reader), None);
        if finish_decode(ctx, g, &dec, name, r, None)? && g.verbose {
            let what: &[u8] = if g.mode == Mode2::Test { b" OK" } else { b"" };
            if g.mode == Mode2::Test {
                let mut line = name.to_vec();
                line.extend_from_slice(b":\t");
                line.extend_from_slice(what);
                line.push(b'\n');
                let _ = ctx.stderr.write_all(&line);
            } else {
                report(
                    ctx,
                    name,
                    dec.total_out,
                    meta.len(),
                    header.len,
                    b"replaced with stdout",
                );
            }
        }
        return Ok(());
    }
    let restore = g.name == Some(true);
    if restore && let Some(n) = &header.name {
        // Only the base name, never a path from the (untrusted) header.
        let n = crate::common::path::basename(n);
        if !n.is_empty() && n != b"." && n != b".." {
            let dir = crate::common::path::dirname(name);
            dest = if name.contains(&b'/') {
                let mut d = dir.to_vec();
                d.push(b'/');
                d.extend_from_slice(n);
                d
            } else {
                n.to_vec()
            };
        }
    }
    if !may_write(ctx, g, &dest) {
        return Ok(());
    }
    let (mut tmp, tmp_name) = match create_temp(&dest) {
        Ok(t) => t,
        Err(e) => {
            let m = crate::error::subject_reason(&dest, &e);
            error(ctx, g, false, &m);
            return Ok(());
        }
    };
    let r = decode_to(ctx, g, &mut dec, Some(&mut reader), Some(&mut tmp));
    if !finish_decode(ctx, g, &dec, name, r, Some(&dest))? {
        let _ = std::fs::remove_file(path(&tmp_name));
        return Ok(());
    }
    let mtime = (restore && header.mtime != 0).then_some(i64::from(header.mtime));
    copy_stat(&tmp, &meta, mtime);
    drop(tmp);
    if let Err(e) = std::fs::rename(path(&tmp_name), path(&dest)) {
        let _ = std::fs::remove_file(path(&tmp_name));
        let m = crate::error::subject_reason(&dest, &e);
        error(ctx, g, false, &m);
        return Ok(());
    }
    if !g.keep
        && let Err(e) = std::fs::remove_file(path(name))
    {
        let m = crate::error::subject_reason(name, &e);
        error(ctx, g, false, &m);
    }
    if g.verbose {
        let what = if g.keep { "created " } else { "replaced with " };
        let what = join(what.as_bytes(), &String::from_utf8_lossy(&dest));
        report(ctx, name, dec.total_out, meta.len(), header.len, &what);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::process::Command;

    use crate::testing::{run, run_bytes, temp_dir};

    fn s(p: &std::path::Path) -> &str {
        p.to_str().unwrap()
    }

    #[test]
    fn stdin_round_trip_and_gnu_reads_ours() {
        let data: Vec<u8> = (0..100_000u32)
            .flat_map(|i| i.to_string().into_bytes())
            .collect();
        let z = run_bytes("gzip", &[], &data);
        assert_eq!((z.status, z.err()), (0, String::new()));
        assert_eq!(&z.stdout[..2], b"\x1f\x8b");
        assert_eq!(run_bytes("zcat", &[], &z.stdout).stdout, data);
        assert_eq!(
            run_bytes("gunzip", &[b"-c".to_vec()], &z.stdout).stdout,
            data
        );
        assert_eq!(
            run_bytes("gzip", &[b"-dc".to_vec()], &z.stdout).stdout,
            data
        );
        let dir = temp_dir("gzip-gnu");
        let f = dir.join("ours.gz");
        std::fs::write(&f, &z.stdout).unwrap();
        let out = Command::new("gzip").args(["-dc", s(&f)]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, data);
        for lvl in ["-1", "-9"] {
            let z = run_bytes("gzip", &[lvl.as_bytes().to_vec()], &data);
            std::fs::write(&f, &z.stdout).unwrap();
            let out = Command::new("gzip").args(["-dc", s(&f)]).output().unwrap();
            assert_eq!(out.stdout, data);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_gnu_output_multi_member() {
        let dir = temp_dir("gzip-gnu-in");
        let f = dir.join("a");
        std::fs::write(&f, "hello\n").unwrap();
        let out = Command::new("gzip").args(["-c", s(&f)]).output().unwrap();
        let mut two = out.stdout.clone();
        two.extend_from_slice(&out.stdout);
        assert_eq!(run_bytes("zcat", &[], &two).out(), "hello\nhello\n");
        // /bin/zcat reads ours.
        let ours = run("gzip", &["-c", s(&f)], b"").stdout;
        let z = dir.join("ours.gz");
        std::fs::write(&z, &ours).unwrap();
        let out = Command::new("/bin/zcat").arg(s(&z)).output().unwrap();
        assert_eq!(
            (out.status.success(), out.stdout),
            (true, b"hello\n".to_vec())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn replaces_file_keeping_mode_and_mtime() {
        let dir = temp_dir("gzip-file");
        let f = dir.join("f");
        std::fs::write(&f, "some text\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        let t = nix::sys::time::TimeSpec::new(1_000_000_000, 0);
        nix::sys::stat::utimensat(
            nix::fcntl::AT_FDCWD,
            &f,
            &t,
            &t,
            nix::sys::stat::UtimensatFlags::FollowSymlink,
        )
        .unwrap();
        let r = run("gzip", &[s(&f)], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert!(!f.exists());
        let gz = dir.join("f.gz");
        let m = std::fs::metadata(&gz).unwrap();
        assert_eq!((m.mode() & 0o777, m.mtime()), (0o640, 1_000_000_000));
        // GNU gzip reads it, with the name and time stored.
        let out = Command::new("gzip")
            .args(["-lvN", s(&gz)])
            .output()
            .unwrap();
        assert!(out.status.success());
        let out = Command::new("gzip").args(["-dc", s(&gz)]).output().unwrap();
        assert_eq!(out.stdout, b"some text\n");
        // No temporary left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let r = run("gunzip", &[s(&gz)], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        let m = std::fs::metadata(&f).unwrap();
        assert_eq!((m.mode() & 0o777, m.mtime()), (0o640, 1_000_000_000));
        assert_eq!(std::fs::read(&f).unwrap(), b"some text\n");
        assert!(!gz.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn existing_output_and_odd_inputs_are_warnings() {
        let dir = temp_dir("gzip-warn");
        let f = dir.join("f");
        std::fs::write(&f, "x").unwrap();
        std::fs::write(dir.join("f.gz"), "old").unwrap();
        let r = run("gzip", &[s(&f)], b"");
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            format!("gzip: {}.gz already exists;\tnot overwritten\n", s(&f))
        );
        assert!(f.exists());
        let r = run("gzip", &["-k", "-f", s(&f)], b"");
        assert_eq!(r.status, 0);
        assert!(f.exists());
        let r = run("gzip", &[&format!("{}.gz", s(&f))], b"");
        assert_eq!(r.status, 2);
        assert!(
            r.err()
                .ends_with("f.gz already has .gz suffix -- unchanged\n")
        );
        let r = run("gzip", &[s(&dir)], b"");
        assert_eq!(
            (r.status, r.err()),
            (2, format!("gzip: {} is a directory -- ignored\n", s(&dir)))
        );
        let r = run("gzip", &["-q", s(&dir)], b"");
        assert_eq!((r.status, r.err()), (2, String::new()));
        std::os::unix::fs::symlink("f", dir.join("l")).unwrap();
        let l = dir.join("l");
        let r = run("gzip", &[s(&l)], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().ends_with("l: Too many levels of symbolic links\n"));
        let r = run("gzip", &[&format!("{}/nope", s(&dir))], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().ends_with("nope: No such file or directory\n"));
        let q = dir.join("q.txt");
        std::fs::write(&q, "x").unwrap();
        let r = run("gunzip", &[s(&q)], b"");
        assert_eq!(
            (r.status, r.err()),
            (2, format!("gzip: {}: unknown suffix -- ignored\n", s(&q)))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_inputs_are_errors_with_gnu_messages() {
        let r = run("zcat", &[], b"junk");
        assert_eq!(
            (r.status, r.err()),
            (1, "\ngzip: stdin: not in gzip format\n".into())
        );
        let z = run("gzip", &[], b"hello hello\n").stdout;
        let r = run_bytes("zcat", &[], &z[..z.len() - 3]);
        assert_eq!(r.status, 1);
        assert_eq!(r.err(), "\ngzip: stdin: unexpected end of file\n");
        let mut c = z.clone();
        let n = c.len();
        c[n - 6] ^= 1;
        let r = run_bytes("gzip", &[b"-t".to_vec()], &c);
        assert_eq!(
            r.err(),
            "\ngzip: stdin: invalid compressed data--crc error\n"
        );
        let mut g = z.clone();
        g.extend_from_slice(b"garbage");
        let r = run_bytes("zcat", &[], &g);
        assert_eq!((r.status, r.out()), (2, "hello hello\n".into()));
        assert_eq!(
            r.err(),
            "\ngzip: stdin: decompression OK, trailing garbage ignored\n"
        );
        let r = run_bytes("gzip", &[b"-t".to_vec()], &z);
        assert_eq!(
            (r.status, r.out(), r.err()),
            (0, String::new(), String::new())
        );
    }

    #[test]
    fn test_list_and_verbose() {
        let dir = temp_dir("gzip-list");
        let f = dir.join("big");
        let data: String = (1..=1000).map(|i| format!("{i}\n")).collect();
        std::fs::write(&f, &data).unwrap();
        let r = run("gzip", &["-v", "-k", s(&f)], b"");
        assert!(
            r.err().starts_with(&format!("{}:\t ", s(&f))),
            "{}",
            r.err()
        );
        assert!(r.err().ends_with(&format!("% -- created {}.gz\n", s(&f))));
        let gz = format!("{}.gz", s(&f));
        let r = run("gzip", &["-tv", &gz], b"");
        assert_eq!((r.status, r.err()), (0, format!("{gz}:\t OK\n")));
        let r = run("gzip", &["-l", &gz], b"");
        let size = std::fs::metadata(&gz).unwrap().len();
        assert!(
            r.out()
                .starts_with("         compressed        uncompressed  ratio uncompressed_name\n")
        );
        assert!(
            r.out().contains(&format!("{size:>19} {:>19} ", data.len())),
            "{}",
            r.out()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn gnu_gzip_output_decompresses_to_a_file() {
        let dir = temp_dir("gzip-gnu-file");
        let f = dir.join("g");
        std::fs::write(&f, "from gnu\n").unwrap();
        assert!(Command::new("gzip").arg(s(&f)).status().unwrap().success());
        let r = run("gunzip", &["-k", &format!("{}.gz", s(&f))], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(&f).unwrap(), b"from gnu\n");
        // gunzip NAME finds NAME.gz; zcat too.
        std::fs::remove_file(&f).unwrap();
        let r = run("zcat", &[s(&f)], b"");
        assert_eq!(r.out(), "from gnu\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn fifos_are_skipped_unless_writing_to_stdout() {
        let dir = temp_dir("gzip-fifo");
        let p = dir.join("p");
        nix::unistd::mkfifo(&p, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let r = run("gzip", &[s(&p)], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                2,
                format!(
                    "gzip: {} is not a directory or a regular file - ignored\n",
                    s(&p)
                )
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn recursive_compresses_the_tree() {
        let dir = temp_dir("gzip-r");
        std::fs::create_dir(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a"), "a").unwrap();
        std::fs::write(dir.join("sub/b"), "b").unwrap();
        let r = run("gzip", &["-r", s(&dir)], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert!(dir.join("a.gz").exists() && dir.join("sub/b.gz").exists());
        let r = run("gunzip", &["-r", s(&dir)], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(dir.join("sub/b")).unwrap(), b"b");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
