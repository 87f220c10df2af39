//! `cpio`: copy files to (`-o`) and from (`-i`, `-t`) cpio archives: newc (written by
//! default), crc and odc read and written. Extraction uses tar's confinement (`safe`):
//! leading `/` removed, `..` refused, no symlink followed on the way.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::fd::AsFd;

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat, readlinkat};
use nix::sys::stat::{FileStat, Mode, SFlag, fchmod, fstatat, futimens, mknodat, utimensat};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchown, fchownat, linkat, symlinkat};
use rbox_parser::pattern::Pattern;

use super::tar::safe::{self, Target};
use crate::prelude::*;

/// The `cpio` applet.
pub const APPLET: Applet = Applet::new("cpio", main, Run::Fork)
    .usage("-o|-i|-t|-p [-dmuv0L] [-H newc|crc|odc] [-F FILE] [-D DIR] [PATTERN]...")
    .help(
        "Copy files into or out of a cpio archive.\n\n\
         -o\tCreate: read file names from standard input, write the archive\n\
         -i\tExtract the members matching PATTERNs (all without)\n\
         -t\tList the members\n\
         -p DIR\tPass-through: copy the files named on standard input into DIR\n\
         -d\tMake leading directories when extracting\n\
         -m\tRestore modification times\n\
         -u\tReplace existing files even when they are newer\n\
         -v\tList the files processed\n\
         -0\tFile names on standard input end with NUL\n\
         -L\tFollow symlinks when creating\n\
         -H FMT\tArchive format: newc (default), crc, odc\n\
         -F FILE\tThe archive file instead of standard input or output\n\
         -D DIR\tWork in DIR: names are relative to it, members extracted into it\n\
         --no-absolute-filenames\tAccepted: leading / is always removed\n\
         --quiet\tDo not print the block count",
    )
    .error_status(2);

const LONGS: &[&str] = &[
    "create",
    "extract",
    "list",
    "make-directories",
    "preserve-modification-time",
    "unconditional",
    "verbose",
    "null",
    "dereference",
    "format",
    "file",
    "no-absolute-filenames",
    "quiet",
    "directory",
    "pass-through",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Newc,
    Crc,
    Odc,
}

struct Opts {
    make_dirs: bool,
    mtime: bool,
    unconditional: bool,
    verbose: bool,
    null: bool,
    deref: bool,
    fmt: Fmt,
    file: Option<Vec<u8>>,
    dir: Vec<u8>,
    quiet: bool,
    patterns: Vec<Pattern>,
}

/// One member header.
#[derive(Clone, Debug, Default)]
struct Entry {
    name: Vec<u8>,
    ino: u64,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u32,
    mtime: i64,
    size: u64,
    dev: (u32, u32),
    rdev: (u32, u32),
    check: u32,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut o = Opts {
        make_dirs: false,
        mtime: false,
        unconditional: false,
        verbose: false,
        null: false,
        deref: false,
        fmt: Fmt::Newc,
        file: None,
        dir: b".".to_vec(),
        quiet: false,
        patterns: Vec::new(),
    };
    let mut mode = None;
    let mut list = false;
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('o') | Arg::Long("create") => mode = Some('o'),
            Arg::Short('i') | Arg::Long("extract") => mode = Some('i'),
            Arg::Short('t') | Arg::Long("list") => list = true,
            Arg::Short('p') | Arg::Long("pass-through") => mode = Some('p'),
            Arg::Short('d') | Arg::Long("make-directories") => o.make_dirs = true,
            Arg::Short('m') | Arg::Long("preserve-modification-time") => o.mtime = true,
            Arg::Short('u') | Arg::Long("unconditional") => o.unconditional = true,
            Arg::Short('v') | Arg::Long("verbose") => o.verbose = true,
            Arg::Short('0') | Arg::Long("null") => o.null = true,
            Arg::Short('L') | Arg::Long("dereference") => o.deref = true,
            Arg::Short('c') => o.fmt = Fmt::Odc,
            Arg::Short('H') | Arg::Long("format") => {
                o.fmt = match opts.value()?.to_ascii_lowercase().as_slice() {
                    b"newc" => Fmt::Newc,
                    b"crc" => Fmt::Crc,
                    b"odc" => Fmt::Odc,
                    other => {
                        return Err(Error::usage(format!(
                            "invalid archive format `{}'; valid formats are: crc newc odc",
                            String::from_utf8_lossy(other)
                        )));
                    }
                }
            }
            Arg::Short('F') | Arg::Long("file") => o.file = Some(opts.value()?),
            Arg::Short('D') | Arg::Long("directory") => o.dir = opts.value()?,
            Arg::Short('B') => {}
            Arg::Long("no-absolute-filenames") => {}
            Arg::Long("quiet") => o.quiet = true,
            Arg::Value(v) => {
                o.patterns
                    .push(Pattern::parse(&v, rbox_parser::pattern::Options::default()));
                operands.push(v);
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let status = match (mode, list) {
        (Some('o'), false) => create(ctx, &o)?,
        (Some('i') | None, true) => read_archive(ctx, &o, true)?,
        (Some('i'), false) => read_archive(ctx, &o, false)?,
        (Some('p'), false) => match operands.as_slice() {
            [dir] => pass(ctx, &o, dir)?,
            [] => return Err(Error::usage("missing destination directory")),
            [_, extra, ..] => {
                let m = format!("extra operand '{}'", String::from_utf8_lossy(extra));
                return Err(Error::usage(m));
            }
        },
        _ => {
            return Err(Error::usage("You must specify one of -oipt options."));
        }
    };
    if status != 0 {
        return Err(Error::silent(status));
    }
    Ok(())
}

fn subject(name: &[u8], what: &str, e: &io::Error) -> Vec<u8> {
    let mut m = name.to_vec();
    m.extend_from_slice(what.as_bytes());
    m.extend_from_slice(crate::error::strerror(e).as_bytes());
    m
}

/// Messages on stderr while stdout may hold the archive.
struct Msgs<'x, 'c>(&'x mut crate::ctx::Output<'c>);

impl Msgs<'_, '_> {
    fn error(&mut self, m: &[u8]) {
        let mut l = b"cpio: ".to_vec();
        l.extend_from_slice(m);
        self.line(&l);
    }

    fn line(&mut self, m: &[u8]) {
        let mut l = m.to_vec();
        l.push(b'\n');
        let _ = self.0.write_all(&l);
    }
}

fn errno(e: Errno) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

// ---- writing ----

fn put_hex(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(format!("{:08X}", v & 0xffff_ffff).as_bytes());
}

fn put_oct(out: &mut Vec<u8>, v: u64, w: usize) -> bool {
    let max = (1u64 << (3 * w)) - 1;
    out.extend_from_slice(format!("{:0w$o}", v.min(max)).as_bytes());
    v <= max
}

fn header(e: &Entry, fmt: Fmt) -> Option<Vec<u8>> {
    let mut h = Vec::with_capacity(110 + e.name.len() + 4);
    let namesize = e.name.len() as u64 + 1;
    match fmt {
        Fmt::Newc | Fmt::Crc => {
            h.extend_from_slice(if fmt == Fmt::Crc {
                b"070702"
            } else {
                b"070701"
            });
            for v in [
                e.ino,
                u64::from(e.mode),
                u64::from(e.uid),
                u64::from(e.gid),
                u64::from(e.nlink),
                e.mtime.max(0) as u64,
                e.size,
                u64::from(e.dev.0),
                u64::from(e.dev.1),
                u64::from(e.rdev.0),
                u64::from(e.rdev.1),
                namesize,
                u64::from(if fmt == Fmt::Crc { e.check } else { 0 }),
            ] {
                put_hex(&mut h, v);
            }
            if e.size > 0xffff_ffff {
                return None;
            }
            h.extend_from_slice(&e.name);
            h.push(0);
            while h.len() % 4 != 0 {
                h.push(0);
            }
        }
        Fmt::Odc => {
            h.extend_from_slice(b"070707");
            let dev = u64::from(e.dev.0) << 8 | u64::from(e.dev.1);
            let rdev = u64::from(e.rdev.0) << 8 | u64::from(e.rdev.1);
            put_oct(&mut h, dev, 6);
            put_oct(&mut h, e.ino & 0o777777, 6);
            put_oct(&mut h, u64::from(e.mode), 6);
            put_oct(&mut h, u64::from(e.uid), 6);
            put_oct(&mut h, u64::from(e.gid), 6);
            put_oct(&mut h, u64::from(e.nlink), 6);
            put_oct(&mut h, rdev, 6);
            put_oct(&mut h, e.mtime.max(0) as u64, 11);
            put_oct(&mut h, namesize, 6);
            if !put_oct(&mut h, e.size, 11) {
                return None;
            }
            h.extend_from_slice(&e.name);
            h.push(0);
        }
    }
    Some(h)
}

fn data_pad(fmt: Fmt, size: u64) -> usize {
    match fmt {
        Fmt::Odc => 0,
        _ => ((4 - size % 4) % 4) as usize,
    }
}

fn path(p: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(p))
}

fn create(ctx: &mut Ctx<'_>, o: &Opts) -> Result<u8, Error> {
    let Ctx {
        stdin,
        stdout,
        stderr,
        ..
    } = ctx;
    let mut names = Vec::new();
    stdin
        .read_to_end(&mut names)
        .map_err(|e| Error::io(b"stdin", &e))?;
    let sep = if o.null { 0 } else { b'\n' };
    let mut status = 0;
    let mut out: Box<dyn Write + '_> = match &o.file {
        Some(f) => match std::fs::File::create(path(f)) {
            Ok(f) => Box::new(io::BufWriter::with_capacity(64 * 1024, f)),
            Err(e) => return Err(Error::io(f, &e)),
        },
        None => Box::new(stdout),
    };
    let mut msgs = Msgs(stderr);
    let base = Target::open(&o.dir).map_err(|e| Error::io(&o.dir, &e))?;
    let base = base.root();
    let mut written: u64 = 0;
    let mut fail: Option<io::Error> = None;
    let mut next_ino: u64 = 1;
    let mut inos: HashMap<(u64, u64), u64> = HashMap::new();
    for name in names.split(|&b| b == sep).filter(|n| !n.is_empty()) {
        let flag = if o.deref {
            AtFlags::empty()
        } else {
            AtFlags::AT_SYMLINK_NOFOLLOW
        };
        let st: FileStat = match fstatat(base, name, flag) {
            Ok(st) => st,
            Err(e) => {
                msgs.error(&subject(name, ": Cannot stat: ", &errno(e)));
                status = 2;
                continue;
            }
        };
        let fmt_bits = st.st_mode & libc::S_IFMT;
        let mut e = Entry {
            name: name.to_vec(),
            mode: st.st_mode,
            uid: st.st_uid,
            gid: st.st_gid,
            nlink: u32::try_from(st.st_nlink).unwrap_or(u32::MAX),
            mtime: st.st_mtime,
            dev: (
                nix::sys::stat::major(st.st_dev) as u32,
                nix::sys::stat::minor(st.st_dev) as u32,
            ),
            rdev: (
                nix::sys::stat::major(st.st_rdev) as u32,
                nix::sys::stat::minor(st.st_rdev) as u32,
            ),
            ..Entry::default()
        };
        // Inode numbers renumbered, so links stay links and nothing collides at 32 bits.
        e.ino = *inos.entry((st.st_dev, st.st_ino)).or_insert_with(|| {
            next_ino += 1;
            next_ino - 1
        });
        let mut data: Option<std::fs::File> = None;
        let mut link_data = Vec::new();
        match fmt_bits {
            libc::S_IFREG => {
                e.size = u64::try_from(st.st_size).unwrap_or(0);
                let mut fl = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
                if !o.deref {
                    fl |= OFlag::O_NOFOLLOW;
                }
                match openat(base, name, fl, Mode::empty()) {
                    Ok(fd) => data = Some(std::fs::File::from(fd)),
                    Err(err) => {
                        msgs.error(&subject(name, ": Cannot open: ", &errno(err)));
                        status = 2;
                        continue;
                    }
                }
            }
            libc::S_IFLNK => match readlinkat(base, name) {
                Ok(t) => {
                    use std::os::unix::ffi::OsStringExt;
                    link_data = t.into_vec();
                    e.size = link_data.len() as u64;
                }
                Err(err) => {
                    msgs.error(&subject(name, ": Cannot readlink: ", &errno(err)));
                    status = 2;
                    continue;
                }
            },
            _ => {}
        }
        // The crc format's checksum needs the data first: read small files whole.
        let mut whole = None;
        if let Some(f) = data.as_mut()
            && o.fmt == Fmt::Crc
        {
            let mut v = Vec::new();
            if let Err(err) = f.read_to_end(&mut v) {
                msgs.error(&subject(name, ": Read error: ", &err));
                status = 2;
                continue;
            }
            v.resize(usize::try_from(e.size).unwrap_or(0), 0);
            whole = Some(v);
        }
        if o.fmt == Fmt::Crc {
            let bytes = whole.as_deref().unwrap_or(&link_data);
            e.check = bytes
                .iter()
                .fold(0u32, |a, &b| a.wrapping_add(u32::from(b)));
        }
        let Some(h) = header(&e, o.fmt) else {
            msgs.error(&[name, b": file too large for the archive format"].concat());
            status = 2;
            continue;
        };
        let mut put = |b: &[u8], w: &mut u64| -> io::Result<()> {
            out.write_all(b)?;
            *w += b.len() as u64;
            Ok(())
        };
        let r = (|| -> io::Result<()> {
            put(&h, &mut written)?;
            if let Some(v) = &whole {
                put(v, &mut written)?;
            } else if let Some(f) = data.as_mut() {
                let mut left = e.size;
                let mut buf = vec![0u8; 64 * 1024];
                while left > 0 {
                    let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(0);
                    let n = match f.read(buf.get_mut(..want).unwrap_or_default()) {
                        Ok(0) => {
                            // Shrunk: pad with zeros to the size in the header.
                            buf.iter_mut().for_each(|b| *b = 0);
                            want
                        }
                        Ok(n) => n,
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                        Err(err) => return Err(err),
                    };
                    put(buf.get(..n).unwrap_or_default(), &mut written)?;
                    left -= n as u64;
                }
            } else {
                put(&link_data, &mut written)?;
            }
            put(&[0u8; 4][..data_pad(o.fmt, e.size)], &mut written)
        })();
        if let Err(err) = r {
            fail = Some(err);
            break;
        }
        if o.verbose {
            msgs.line(name);
        }
    }
    if fail.is_none() {
        let t = Entry {
            name: b"TRAILER!!!".to_vec(),
            nlink: 1,
            ..Entry::default()
        };
        let mut h = header(&t, o.fmt).unwrap_or_default();
        let total = (written + h.len() as u64).div_ceil(512) * 512;
        h.resize(usize::try_from(total - written).unwrap_or(0), 0);
        match out.write_all(&h).and_then(|()| out.flush()) {
            Ok(()) => written = total,
            Err(e) => fail = Some(e),
        }
    }
    drop(out);
    if let Some(e) = fail {
        return Err(Error::io(b"write error", &e));
    }
    if !o.quiet {
        let n = written.div_ceil(512);
        msgs.line(format!("{n} block{}", if n == 1 { "" } else { "s" }).as_bytes());
    }
    Ok(status)
}

// ---- reading ----

struct Source<'r> {
    inp: &'r mut dyn BufRead,
    consumed: u64,
}

impl Source<'_> {
    fn exact(&mut self, buf: &mut [u8]) -> io::Result<bool> {
        let mut got = 0;
        while got < buf.len() {
            let avail = self.inp.fill_buf()?;
            if avail.is_empty() {
                if got == 0 {
                    return Ok(false);
                }
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
            }
            let n = avail.len().min(buf.len() - got);
            if let (Some(dst), Some(src)) = (buf.get_mut(got..got + n), avail.get(..n)) {
                dst.copy_from_slice(src);
            }
            self.inp.consume(n);
            got += n;
        }
        self.consumed += buf.len() as u64;
        Ok(true)
    }

    fn skip(&mut self, mut n: u64) -> io::Result<()> {
        let mut buf = [0u8; 8192];
        while n > 0 {
            let k = usize::try_from(n.min(8192)).unwrap_or(8192);
            if !self.exact(buf.get_mut(..k).unwrap_or_default())? {
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
            }
            n -= k as u64;
        }
        Ok(())
    }
}

enum Bad {
    Eof,
    Header,
    Io(io::Error),
}

impl From<io::Error> for Bad {
    fn from(e: io::Error) -> Bad {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            Bad::Eof
        } else {
            Bad::Io(e)
        }
    }
}

fn hex(f: &[u8]) -> Option<u64> {
    if f.is_empty() || !f.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(f).ok()?, 16).ok()
}

fn oct(f: &[u8]) -> Option<u64> {
    if f.is_empty() || !f.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(f).ok()?, 8).ok()
}

const MAX_NAME: u64 = 64 * 1024;

/// Reads the next header; `Ok(None)` at the trailer. `skipped` counts junk bytes passed.
fn next_header(src: &mut Source<'_>, skipped: &mut u64) -> Result<Option<(Entry, Fmt)>, Bad> {
    let mut magic = [0u8; 6];
    if !src.exact(&mut magic)? {
        return Err(Bad::Eof);
    }
    // Look for a magic number, a byte at a time, past junk.
    let fmt = loop {
        match &magic {
            b"070701" => break Fmt::Newc,
            b"070702" => break Fmt::Crc,
            b"070707" => break Fmt::Odc,
            _ => {
                magic.rotate_left(1);
                let mut one = [0u8; 1];
                if !src.exact(&mut one)? {
                    return Err(Bad::Eof);
                }
                magic[5] = one[0];
                *skipped += 1;
            }
        }
    };
    let mut e = Entry::default();
    let namesize;
    match fmt {
        Fmt::Newc | Fmt::Crc => {
            let mut h = [0u8; 104];
            if !src.exact(&mut h)? {
                return Err(Bad::Eof);
            }
            let mut f = [0u64; 13];
            for (i, v) in f.iter_mut().enumerate() {
                *v = hex(h.get(i * 8..i * 8 + 8).unwrap_or_default()).ok_or(Bad::Header)?;
            }
            let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
            e.ino = f[0];
            e.mode = small(f[1]);
            e.uid = small(f[2]);
            e.gid = small(f[3]);
            e.nlink = small(f[4]);
            e.mtime = f[5] as i64;
            e.size = f[6];
            e.dev = (small(f[7]), small(f[8]));
            e.rdev = (small(f[9]), small(f[10]));
            namesize = f[11];
            e.check = small(f[12]);
        }
        Fmt::Odc => {
            let mut h = [0u8; 70];
            if !src.exact(&mut h)? {
                return Err(Bad::Eof);
            }
            let mut at = 0;
            let mut field = |w: usize| -> Result<u64, Bad> {
                let v = oct(h.get(at..at + w).unwrap_or_default()).ok_or(Bad::Header);
                at += w;
                v
            };
            let dev = field(6)?;
            e.ino = field(6)?;
            e.mode = field(6)? as u32;
            e.uid = field(6)? as u32;
            e.gid = field(6)? as u32;
            e.nlink = field(6)? as u32;
            let rdev = field(6)?;
            e.mtime = field(11)? as i64;
            namesize = field(6)?;
            e.size = field(11)?;
            e.dev = ((dev >> 8) as u32, (dev & 0xff) as u32);
            e.rdev = ((rdev >> 8) as u32, (rdev & 0xff) as u32);
        }
    }
    if namesize == 0 || namesize > MAX_NAME {
        return Err(Bad::Header);
    }
    let mut name = vec![0u8; usize::try_from(namesize).unwrap_or(0)];
    if !src.exact(&mut name)? {
        return Err(Bad::Eof);
    }
    if fmt != Fmt::Odc {
        let pad = (4 - (110 + namesize) % 4) % 4;
        src.skip(pad)?;
    }
    e.name = crate::applets::archive::tar::header::cstr(&name).to_vec();
    if e.name == b"TRAILER!!!" {
        src.skip(e.size + data_pad(fmt, e.size) as u64)?;
        return Ok(None);
    }
    Ok(Some((e, fmt)))
}

fn ls_line(
    e: &Entry,
    link: &[u8],
    now: i64,
    tz: &crate::common::time::Tz,
    accounts: &crate::common::passwd::Accounts,
) -> Vec<u8> {
    use crate::common::time::{localtime, strftime};
    let mode = crate::common::mode::format_mode(e.mode);
    let user = accounts.user_name(e.uid);
    let group = accounts.group_name(e.gid);
    let size = match e.mode & libc::S_IFMT {
        libc::S_IFCHR | libc::S_IFBLK => format!("{:3}, {:3}", e.rdev.0, e.rdev.1),
        _ => e.size.to_string(),
    };
    let recent = (now - e.mtime).abs() < 6 * 30 * 24 * 3600;
    let date = strftime(
        if recent { b"%b %e %H:%M" } else { b"%b %e  %Y" },
        &localtime(e.mtime, tz),
    );
    let mut l = mode.to_vec();
    l.extend_from_slice(format!(" {:3} ", e.nlink).as_bytes());
    l.extend_from_slice(&user);
    l.extend(std::iter::repeat_n(
        b' ',
        8usize.saturating_sub(user.len()) + 1,
    ));
    l.extend_from_slice(&group);
    l.extend(std::iter::repeat_n(
        b' ',
        8usize.saturating_sub(group.len()) + 1,
    ));
    l.extend_from_slice(format!("{size:>8} ").as_bytes());
    l.extend_from_slice(&date);
    l.push(b' ');
    l.extend_from_slice(&e.name);
    if e.mode & libc::S_IFMT == libc::S_IFLNK {
        l.extend_from_slice(b" -> ");
        l.extend_from_slice(link);
    }
    l
}

struct Extractor {
    target: Target,
    links: HashMap<(u32, u32, u64), Vec<Vec<u8>>>,
    dirs: Vec<(Vec<Vec<u8>>, Entry)>,
    warned: bool,
    root: bool,
}

fn read_archive(ctx: &mut Ctx<'_>, o: &Opts, list: bool) -> Result<u8, Error> {
    let mut file;
    let Ctx {
        stdin,
        stdout,
        stderr,
        env,
        ..
    } = ctx;
    let inp: &mut dyn BufRead = match &o.file {
        Some(f) => match std::fs::File::open(path(f)) {
            Ok(f) => {
                file = BufReader::with_capacity(64 * 1024, f);
                &mut file
            }
            Err(e) => return Err(Error::io(f, &e)),
        },
        None => stdin,
    };
    let tz = crate::common::time::Tz::from_env(*env);
    let accounts = if list && o.verbose {
        crate::common::passwd::Accounts::load()
    } else {
        crate::common::passwd::Accounts::default()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut src = Source { inp, consumed: 0 };
    let mut status = 0;
    let mut errs: Vec<Vec<u8>> = Vec::new();
    let mut x = Extractor {
        target: Target::open(&o.dir).map_err(|e| Error::io(&o.dir, &e))?,
        links: HashMap::new(),
        dirs: Vec::new(),
        warned: false,
        root: nix::unistd::geteuid().is_root(),
    };
    let mut skipped = 0;
    let mut members = 0u64;
    loop {
        let before = skipped;
        let (e, fmt) = match next_header(&mut src, &mut skipped) {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(b) => {
                let m: Vec<u8> = match b {
                    Bad::Eof if members == 0 => b"premature end of archive".to_vec(),
                    Bad::Eof => b"premature end of file".to_vec(),
                    Bad::Header => b"invalid header".to_vec(),
                    Bad::Io(e) => subject(b"read error", ": ", &e),
                };
                flush_errs(stderr, &mut errs);
                let mut l = b"cpio: ".to_vec();
                l.extend_from_slice(&m);
                l.push(b'\n');
                let _ = stderr.write_all(&l);
                status = 2;
                break;
            }
        };
        members += 1;
        if skipped > before {
            errs.push(format!("warning: skipped {} bytes of junk", skipped - before).into_bytes());
        }
        let selected = o.patterns.is_empty() || o.patterns.iter().any(|p| p.matches(&e.name));
        let is_link = e.mode & libc::S_IFMT == libc::S_IFLNK;
        let mut data: Vec<u8> = Vec::new();
        let mut done = false;
        // Symlink targets are small; read them whole (capped).
        let r: Result<(), Bad> = (|| {
            if is_link && e.size <= MAX_NAME {
                data = vec![0u8; usize::try_from(e.size).unwrap_or(0)];
                if !src.exact(&mut data)? && !data.is_empty() {
                    return Err(Bad::Eof);
                }
                src.skip(data_pad(fmt, e.size) as u64)?;
                return Ok(());
            }
            if !selected || list || (e.mode & libc::S_IFMT) != libc::S_IFREG {
                src.skip(e.size + data_pad(fmt, e.size) as u64)?;
                return Ok(());
            }
            done = x.extract_file(&e, fmt, o, &mut src, &mut errs, &mut status)?;
            Ok(())
        })();
        if let Err(b) = r {
            flush_errs(stderr, &mut errs);
            let m: &[u8] = match b {
                Bad::Io(_) | Bad::Eof | Bad::Header => b"cpio: premature end of file\n",
            };
            let _ = stderr.write_all(m);
            status = 2;
            break;
        }
        if !selected {
            continue;
        }
        if list {
            flush_errs(stderr, &mut errs);
            let line = if o.verbose {
                ls_line(&e, &data, now, &tz, &accounts)
            } else {
                e.name.clone()
            };
            let mut line = line;
            line.push(b'\n');
            if stdout.write_all(&line).is_err() {
                break;
            }
            continue;
        }
        if (e.mode & libc::S_IFMT) != libc::S_IFREG {
            done = x.extract_other(&e, &data, o, &mut errs, &mut status);
        }
        if o.verbose && done {
            let mut l = e.name.clone();
            l.push(b'\n');
            flush_errs(stderr, &mut errs);
            let _ = stderr.write_all(&l);
        }
    }
    x.finish_dirs(o);
    flush_errs(stderr, &mut errs);
    let n = src.consumed.div_ceil(512);
    if !o.quiet {
        let m = format!("{n} block{}\n", if n == 1 { "" } else { "s" });
        let _ = stderr.write_all(m.as_bytes());
    }
    Ok(status)
}

/// `-p DIR`: each file named on stdin copied into DIR as an extraction would make it.
fn pass(ctx: &mut Ctx<'_>, o: &Opts, dest: &[u8]) -> Result<u8, Error> {
    let Ctx { stdin, stderr, .. } = ctx;
    let mut names = Vec::new();
    stdin
        .read_to_end(&mut names)
        .map_err(|e| Error::io(b"stdin", &e))?;
    let base = Target::open(&o.dir).map_err(|e| Error::io(&o.dir, &e))?;
    if o.make_dirs {
        // -d makes the destination too, as GNU cpio does.
        use std::os::unix::ffi::OsStrExt as _;
        use std::os::unix::fs::DirBuilderExt as _;
        let dir = std::path::Path::new(std::ffi::OsStr::from_bytes(dest));
        if let Err(e) = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o777)
            .create(dir)
        {
            return Err(Error::io(dest, &e));
        }
    }
    let mut x = Extractor {
        target: Target::open(dest).map_err(|e| Error::io(dest, &e))?,
        links: HashMap::new(),
        dirs: Vec::new(),
        warned: false,
        root: nix::unistd::geteuid().is_root(),
    };
    let sep = if o.null { 0 } else { b'\n' };
    let mut status = 0;
    let mut errs = Vec::new();
    let mut copied: u64 = 0;
    for name in names.split(|&b| b == sep).filter(|n| !n.is_empty()) {
        let flag = if o.deref {
            AtFlags::empty()
        } else {
            AtFlags::AT_SYMLINK_NOFOLLOW
        };
        let st = match fstatat(base.root(), name, flag) {
            Ok(st) => st,
            Err(e) => {
                errs.push(subject(name, ": Cannot stat: ", &errno(e)));
                status = 2;
                flush_errs(stderr, &mut errs);
                continue;
            }
        };
        let e = Entry {
            name: name.to_vec(),
            ino: st.st_ino,
            mode: st.st_mode,
            uid: st.st_uid,
            gid: st.st_gid,
            nlink: u32::try_from(st.st_nlink).unwrap_or(u32::MAX),
            mtime: st.st_mtime,
            size: u64::try_from(st.st_size).unwrap_or(0),
            dev: (
                nix::sys::stat::major(st.st_dev) as u32,
                nix::sys::stat::minor(st.st_dev) as u32,
            ),
            rdev: (
                nix::sys::stat::major(st.st_rdev) as u32,
                nix::sys::stat::minor(st.st_rdev) as u32,
            ),
            check: 0,
        };
        let done = match st.st_mode & libc::S_IFMT {
            libc::S_IFREG => {
                let mut fl = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
                if !o.deref {
                    fl |= OFlag::O_NOFOLLOW;
                }
                match openat(base.root(), name, fl, Mode::empty()) {
                    Ok(fd) => {
                        let mut r = BufReader::new(std::fs::File::from(fd));
                        let mut src = Source {
                            inp: &mut r,
                            consumed: 0,
                        };
                        let res = x.extract_file(&e, Fmt::Odc, o, &mut src, &mut errs, &mut status);
                        copied += src.consumed;
                        match res {
                            Ok(d) => d,
                            Err(_) => {
                                errs.push([name, b": Read error: file shrank"].concat());
                                status = 2;
                                false
                            }
                        }
                    }
                    Err(err) => {
                        errs.push(subject(name, ": Cannot open: ", &errno(err)));
                        status = 2;
                        false
                    }
                }
            }
            libc::S_IFLNK => match readlinkat(base.root(), name) {
                Ok(t) => {
                    use std::os::unix::ffi::OsStringExt;
                    x.extract_other(&e, &t.into_vec(), o, &mut errs, &mut status)
                }
                Err(err) => {
                    errs.push(subject(name, ": Cannot readlink: ", &errno(err)));
                    status = 2;
                    false
                }
            },
            _ => x.extract_other(&e, b"", o, &mut errs, &mut status),
        };
        flush_errs(stderr, &mut errs);
        if o.verbose && done {
            let mut l = dest.to_vec();
            if !l.ends_with(b"/") {
                l.push(b'/');
            }
            l.extend_from_slice(name);
            l.push(b'\n');
            let _ = stderr.write_all(&l);
        }
    }
    x.finish_dirs(o);
    if !o.quiet {
        let n = copied.div_ceil(512);
        let m = format!("{n} block{}\n", if n == 1 { "" } else { "s" });
        let _ = stderr.write_all(m.as_bytes());
    }
    Ok(status)
}

fn flush_errs(stderr: &mut crate::ctx::Output<'_>, errs: &mut Vec<Vec<u8>>) {
    for m in errs.drain(..) {
        let mut l = b"cpio: ".to_vec();
        l.extend_from_slice(&m);
        l.push(b'\n');
        let _ = stderr.write_all(&l);
    }
}

impl Extractor {
    /// The parent directory fd and leaf name for a member, or `None` (reported).
    fn place(
        &mut self,
        e: &Entry,
        o: &Opts,
        errs: &mut Vec<Vec<u8>>,
        status: &mut u8,
    ) -> Option<(std::os::fd::OwnedFd, Vec<u8>, Vec<Vec<u8>>)> {
        let c = safe::clean(&e.name);
        if !c.removed.is_empty() && !self.warned {
            let mut m = b"Removing leading `".to_vec();
            m.extend_from_slice(&c.removed);
            m.extend_from_slice(b"' from member names");
            errs.push(m);
            self.warned = !c.dotdot;
        }
        if c.dotdot {
            errs.push([&e.name[..], b": Member name contains '..'"].concat());
            *status = 2;
            return None;
        }
        if c.comps.is_empty() {
            return None;
        }
        match self.target.parent(&c.comps, o.make_dirs) {
            Ok(p) => {
                let leaf = c.comps.last().cloned().unwrap_or_default();
                Some((p, leaf, c.comps))
            }
            Err(err) => {
                errs.push(subject(&c.comps.join(&b'/'), ": Cannot open: ", &err));
                *status = 2;
                None
            }
        }
    }

    /// Whether an existing entry stands in the way (reported as GNU does); removes it
    /// when it may be replaced.
    fn clear(
        &self,
        p: std::os::fd::BorrowedFd<'_>,
        leaf: &[u8],
        e: &Entry,
        o: &Opts,
        errs: &mut Vec<Vec<u8>>,
        status: &mut u8,
    ) -> bool {
        let Ok(st) = fstatat(p, leaf, AtFlags::AT_SYMLINK_NOFOLLOW) else {
            return true;
        };
        let is_dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
        if is_dir && e.mode & libc::S_IFMT == libc::S_IFDIR {
            return true;
        }
        if !o.unconditional && st.st_mtime >= e.mtime {
            errs.push(
                [
                    &e.name[..],
                    b" not created: newer or same age version exists",
                ]
                .concat(),
            );
            return false;
        }
        if is_dir {
            let r = nix::unistd::unlinkat(p, leaf, nix::unistd::UnlinkatFlags::RemoveDir);
            self.target.forget();
            if let Err(err) = r {
                errs.push(subject(&e.name, ": Cannot remove: ", &errno(err)));
                *status = 2;
                return false;
            }
            return true;
        }
        if let Err(err) = safe::remove_nondir(p, leaf) {
            errs.push(subject(&e.name, ": Cannot remove: ", &err));
            *status = 2;
            return false;
        }
        true
    }

    fn attrs(&self, fd: std::os::fd::BorrowedFd<'_>, e: &Entry, o: &Opts) {
        if self.root {
            let _ = fchown(fd, Some(Uid::from_raw(e.uid)), Some(Gid::from_raw(e.gid)));
        }
        let _ = fchmod(fd, Mode::from_bits_truncate(e.mode & 0o7777));
        if o.mtime {
            let _ = futimens(fd, &TimeSpec::UTIME_NOW, &TimeSpec::new(e.mtime, 0));
        }
    }

    fn extract_file(
        &mut self,
        e: &Entry,
        fmt: Fmt,
        o: &Opts,
        src: &mut Source<'_>,
        errs: &mut Vec<Vec<u8>>,
        status: &mut u8,
    ) -> Result<bool, Bad> {
        let skip_all = e.size + data_pad(fmt, e.size) as u64;
        let Some((p, leaf, comps)) = self.place(e, o, errs, status) else {
            src.skip(skip_all)?;
            return Ok(false);
        };
        if !self.clear(p.as_fd(), &leaf, e, o, errs, status) {
            src.skip(skip_all)?;
            return Ok(false);
        }
        // Hard links: later names of an inode are linked to the first one.
        let key = (e.dev.0, e.dev.1, e.ino);
        let mut fd = None;
        if e.nlink > 1
            && let Some(first) = self.links.get(&key).cloned()
        {
            let linked = self.target.parent(&first, false).and_then(|fp| {
                let fl = first.last().cloned().unwrap_or_default();
                linkat(
                    fp.as_fd(),
                    fl.as_slice(),
                    p.as_fd(),
                    leaf.as_slice(),
                    AtFlags::empty(),
                )
                .map_err(errno)
            });
            match linked {
                Ok(()) if e.size == 0 => {
                    src.skip(skip_all)?;
                    return Ok(true);
                }
                Ok(()) => {
                    // The data came with this name (GNU puts it on the last link): write
                    // it into the shared inode, never through a symlink.
                    let fl =
                        OFlag::O_WRONLY | OFlag::O_TRUNC | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
                    match openat(p.as_fd(), leaf.as_slice(), fl, Mode::empty()) {
                        Ok(f) => fd = Some(f),
                        Err(err) => {
                            errs.push(subject(&e.name, ": Cannot open: ", &errno(err)));
                            *status = 2;
                            src.skip(skip_all)?;
                            return Ok(false);
                        }
                    }
                }
                Err(err) => {
                    errs.push(subject(&e.name, ": Cannot link: ", &err));
                    *status = 2;
                }
            }
        }
        let fd = match fd {
            Some(fd) => fd,
            None => match safe::create_file(p.as_fd(), &leaf, false) {
                Ok(fd) => fd,
                Err(err) => {
                    errs.push(subject(&e.name, ": Cannot open: ", &err));
                    *status = 2;
                    src.skip(skip_all)?;
                    return Ok(false);
                }
            },
        };
        let mut f = std::fs::File::from(fd);
        let mut left = e.size;
        let mut buf = vec![0u8; 64 * 1024];
        let mut sum: u32 = 0;
        let mut werr = None;
        while left > 0 {
            let n = usize::try_from(left.min(buf.len() as u64)).unwrap_or(0);
            let chunk = buf.get_mut(..n).unwrap_or_default();
            if !src.exact(chunk)? {
                return Err(Bad::Eof);
            }
            sum = chunk.iter().fold(sum, |a, &b| a.wrapping_add(u32::from(b)));
            if werr.is_none()
                && let Err(err) = f.write_all(chunk)
            {
                werr = Some(err);
            }
            left -= n as u64;
        }
        src.skip(data_pad(fmt, e.size) as u64)?;
        if let Some(err) = werr {
            errs.push(subject(&e.name, ": write error: ", &err));
            *status = 2;
        }
        if fmt == Fmt::Crc && sum != e.check {
            errs.push(
                [
                    &e.name[..],
                    format!(": checksum error (0x{sum:x}, should be 0x{:x})", e.check).as_bytes(),
                ]
                .concat(),
            );
            *status = 2;
        }
        self.attrs(f.as_fd(), e, o);
        if e.nlink > 1 {
            self.links.entry(key).or_insert(comps);
        }
        Ok(true)
    }

    fn extract_other(
        &mut self,
        e: &Entry,
        data: &[u8],
        o: &Opts,
        errs: &mut Vec<Vec<u8>>,
        status: &mut u8,
    ) -> bool {
        let Some((p, leaf, comps)) = self.place(e, o, errs, status) else {
            return false;
        };
        if !self.clear(p.as_fd(), &leaf, e, o, errs, status) {
            return false;
        }
        let p = p.as_fd();
        let perm = Mode::from_bits_truncate(e.mode & 0o777);
        match e.mode & libc::S_IFMT {
            libc::S_IFDIR => {
                match nix::sys::stat::mkdirat(
                    p,
                    leaf.as_slice(),
                    Mode::from_bits_truncate(0o700) | perm,
                ) {
                    Ok(()) | Err(Errno::EEXIST) => self.dirs.push((comps, e.clone())),
                    Err(err) => {
                        errs.push(subject(&e.name, ": Cannot mkdir: ", &errno(err)));
                        *status = 2;
                        return false;
                    }
                }
            }
            libc::S_IFLNK => {
                if let Err(err) = symlinkat(data, p, leaf.as_slice()) {
                    errs.push(subject(&e.name, ": Cannot symlink: ", &errno(err)));
                    *status = 2;
                    return false;
                }
                if self.root {
                    let _ = fchownat(
                        p,
                        leaf.as_slice(),
                        Some(Uid::from_raw(e.uid)),
                        Some(Gid::from_raw(e.gid)),
                        AtFlags::AT_SYMLINK_NOFOLLOW,
                    );
                }
                if o.mtime {
                    let t = TimeSpec::new(e.mtime, 0);
                    let _ = utimensat(
                        p,
                        leaf.as_slice(),
                        &TimeSpec::UTIME_NOW,
                        &t,
                        nix::sys::stat::UtimensatFlags::NoFollowSymlink,
                    );
                }
            }
            libc::S_IFCHR | libc::S_IFBLK | libc::S_IFIFO | libc::S_IFSOCK => {
                let kind = SFlag::from_bits_truncate(e.mode & libc::S_IFMT);
                let dev = nix::sys::stat::makedev(u64::from(e.rdev.0), u64::from(e.rdev.1));
                if let Err(err) = mknodat(p, leaf.as_slice(), kind, perm, dev) {
                    errs.push(subject(&e.name, ": Cannot mknod: ", &errno(err)));
                    *status = 2;
                    return false;
                }
                let fl = OFlag::O_PATH | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
                if let Ok(fd) = openat(p, leaf.as_slice(), fl, Mode::empty()) {
                    if self.root {
                        let _ = fchownat(
                            p,
                            leaf.as_slice(),
                            Some(Uid::from_raw(e.uid)),
                            Some(Gid::from_raw(e.gid)),
                            AtFlags::AT_SYMLINK_NOFOLLOW,
                        );
                    }
                    drop(fd);
                }
                if o.mtime {
                    let t = TimeSpec::new(e.mtime, 0);
                    let _ = utimensat(
                        p,
                        leaf.as_slice(),
                        &TimeSpec::UTIME_NOW,
                        &t,
                        nix::sys::stat::UtimensatFlags::NoFollowSymlink,
                    );
                }
            }
            _ => {
                errs.push([&e.name[..], b": unknown file type"].concat());
                *status = 2;
                return false;
            }
        }
        true
    }

    fn finish_dirs(&mut self, o: &Opts) {
        for (comps, e) in std::mem::take(&mut self.dirs).iter().rev() {
            let Ok(parent) = self.target.parent(comps, false) else {
                continue;
            };
            let leaf = comps.last().cloned().unwrap_or_default();
            if let Ok(fd) = safe::open_dir_nofollow(parent.as_fd(), &leaf) {
                self.attrs(fd.as_fd(), e, o);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
    use std::path::Path;
    use std::process::{Command, Stdio};

    use crate::testing::{Outcome, run_bytes, temp_dir};

    fn b(p: &Path) -> Vec<u8> {
        p.as_os_str().as_bytes().to_vec()
    }

    fn cpio(args: &[&[u8]], stdin: &[u8]) -> Outcome {
        let a: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
        run_bytes("cpio", &a, stdin)
    }

    fn tree(root: &Path) {
        std::fs::create_dir_all(root.join("d/sub")).unwrap();
        std::fs::write(root.join("d/f"), "file\n").unwrap();
        std::fs::write(root.join("empty"), "").unwrap();
        std::fs::set_permissions(root.join("d/f"), std::fs::Permissions::from_mode(0o640)).unwrap();
        symlink("d/f", root.join("l")).unwrap();
        std::fs::hard_link(root.join("d/f"), root.join("h")).unwrap();
        let big: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(root.join("big"), big).unwrap();
    }

    const NAMES: &[u8] = b"d\nd/sub\nd/f\nempty\nl\nh\nbig\n";

    fn same(a: &Path, b: &Path) {
        for n in ["d/f", "empty", "h", "big"] {
            assert_eq!(
                std::fs::read(a.join(n)).unwrap(),
                std::fs::read(b.join(n)).unwrap(),
                "{n}"
            );
            let (ma, mb) = (
                std::fs::metadata(a.join(n)).unwrap(),
                std::fs::metadata(b.join(n)).unwrap(),
            );
            assert_eq!((ma.mode(), ma.mtime()), (mb.mode(), mb.mtime()), "{n}");
        }
        assert_eq!(std::fs::read_link(b.join("l")).unwrap(), Path::new("d/f"));
        assert!(b.join("d/sub").is_dir());
        assert_eq!(
            std::fs::metadata(b.join("h")).unwrap().ino(),
            std::fs::metadata(b.join("d/f")).unwrap().ino()
        );
    }

    #[test]
    fn round_trip_in_every_format() {
        let dir = temp_dir("cpio-rt");
        let src = dir.join("src");
        tree(&src);
        for fmt in ["newc", "crc", "odc"] {
            let r = cpio(&[b"-o", b"-H", fmt.as_bytes(), b"-D", &b(&src)], NAMES);
            assert_eq!(r.status, 0, "{}", r.err());
            assert!(r.err().ends_with(" blocks\n"));
            assert_eq!(r.stdout.len() % 512, 0);
            let out = dir.join(format!("out-{fmt}"));
            std::fs::create_dir(&out).unwrap();
            let x = cpio(&[b"-idm", b"-D", &b(&out)], &r.stdout);
            assert_eq!(x.status, 0, "{fmt}: {}", x.err());
            same(&src, &out);
            let t = cpio(&[b"-t"], &r.stdout);
            assert_eq!(t.stdout, NAMES, "{fmt}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn gnu_cpio_interop_both_ways() {
        if !Path::new("/usr/bin/cpio").exists() {
            return;
        }
        let dir = temp_dir("cpio-gnu");
        let src = dir.join("src");
        tree(&src);
        for fmt in ["newc", "crc", "odc"] {
            let mut child = Command::new("cpio")
                .args(["-o", "--quiet", "-H", fmt])
                .current_dir(&src)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child.stdin.take().unwrap().write_all(NAMES).unwrap();
            let gnu = child.wait_with_output().unwrap().stdout;
            let out = dir.join(format!("from-gnu-{fmt}"));
            std::fs::create_dir(&out).unwrap();
            let x = cpio(&[b"-idm", b"-D", &b(&out)], &gnu);
            assert_eq!(x.status, 0, "{fmt}: {}", x.err());
            same(&src, &out);
            // GNU reads ours.
            let ours = cpio(&[b"-o", b"-H", fmt.as_bytes(), b"-D", &b(&src)], NAMES).stdout;
            let out = dir.join(format!("to-gnu-{fmt}"));
            std::fs::create_dir(&out).unwrap();
            let mut child = Command::new("cpio")
                .args(["-idm", "--quiet"])
                .current_dir(&out)
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(&ours).unwrap();
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.success() && o.stderr.is_empty(),
                "{fmt}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            same(&src, &out);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A newc archive from (name, mode, data) triples.
    fn newc(members: &[(&[u8], u32, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, (name, mode, data)) in members.iter().enumerate() {
            let mut h = format!(
                "070701{:08X}{mode:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}",
                i + 1,
                0,
                0,
                1,
                1_700_000_000,
                data.len(),
                0,
                0,
                0,
                0,
                name.len() + 1,
                0
            )
            .into_bytes();
            h.extend_from_slice(name);
            h.push(0);
            while h.len() % 4 != 0 {
                h.push(0);
            }
            h.extend_from_slice(data);
            while h.len() % 4 != 0 {
                h.push(0);
            }
            out.extend(h);
        }
        out.extend(b"07070100000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000B00000000TRAILER!!!\0\0\0\0");
        out
    }

    #[test]
    fn extraction_stays_inside_the_directory() {
        let dir = temp_dir("cpio-safe");
        let outside = dir.join("outside");
        std::fs::create_dir(&outside).unwrap();
        let t = dir.join("t");
        std::fs::create_dir(&t).unwrap();
        let lnk = b(&outside);
        let abs = b(&dir.join("abs-victim"));
        let a = newc(&[
            (b"../escape", 0o100644, b"x"),
            (&abs, 0o100644, b"x"),
            (b"a", 0o120777, &lnk),
            (b"a/passwd", 0o100644, b"x"),
        ]);
        let r = cpio(&[b"-idu", b"-D", &b(&t)], &a);
        assert_eq!(r.status, 2);
        assert!(
            r.err()
                .contains("cpio: ../escape: Member name contains '..'\n"),
            "{}",
            r.err()
        );
        assert!(
            r.err()
                .contains("cpio: a/passwd: Cannot open: Not a directory\n"),
            "{}",
            r.err()
        );
        assert!(!dir.join("escape").exists());
        assert!(!dir.join("abs-victim").exists());
        assert!(
            t.join(String::from_utf8_lossy(&abs).trim_start_matches('/'))
                .exists()
        );
        assert!(!outside.join("passwd").exists());
        // A symlink then a file of the same name: the link is replaced, not followed.
        let victim = outside.join("v");
        std::fs::write(&victim, "keep").unwrap();
        let a = newc(&[(b"s", 0o120777, &b(&victim)), (b"s", 0o100644, b"new")]);
        let r = cpio(&[b"-iu", b"-D", &b(&t)], &a);
        assert_eq!(r.status, 0, "{}", r.err());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert_eq!(std::fs::read(t.join("s")).unwrap(), b"new");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pass_through_copies_the_tree() {
        let dir = temp_dir("cpio-pass");
        let src = dir.join("src");
        tree(&src);
        let out = dir.join("out");
        std::fs::create_dir(&out).unwrap();
        let r = cpio(&[b"-pdm", b"-D", &b(&src), &b(&out)], NAMES);
        assert_eq!(r.status, 0, "{}", r.err());
        same(&src, &out);
        let r = cpio(&[b"-p"], b"");
        assert_eq!(r.status, 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn existing_newer_files_are_kept_without_u() {
        let dir = temp_dir("cpio-u");
        std::fs::write(dir.join("f"), "mine").unwrap();
        let a = newc(&[(b"f", 0o100644, b"archived")]);
        let r = cpio(&[b"-i", b"-D", &b(&dir)], &a);
        assert_eq!(
            (r.status, r.err()),
            (
                0,
                "cpio: f not created: newer or same age version exists\n1 block\n".into()
            )
        );
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"mine");
        let r = cpio(&[b"-iu", b"-D", &b(&dir)], &a);
        assert_eq!(r.status, 0);
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"archived");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn patterns_verbose_and_listing() {
        let a = newc(&[(b"x/a.txt", 0o100644, b"a"), (b"x/b.log", 0o100644, b"b")]);
        let r = cpio(&[b"-t", b"*.txt"], &a);
        assert_eq!((r.status, r.out()), (0, "x/a.txt\n".into()));
        let r = cpio(&[b"-tv", b"--quiet"], &a);
        assert!(r.out().starts_with("-rw-r--r--   1 "), "{}", r.out());
        assert!(
            r.out().contains("        1 Nov 14  2023 x/a.txt\n"),
            "{}",
            r.out()
        );
        assert_eq!(r.err(), "");
    }

    #[test]
    fn corrupt_and_truncated_archives_fail_cleanly() {
        let a = newc(&[(b"one", 0o100644, b"1111"), (b"two", 0o100644, b"22")]);
        let r = cpio(&[b"-t"], b"");
        assert_eq!(
            (r.status, r.err()),
            (2, "cpio: premature end of archive\n0 blocks\n".into())
        );
        let r = cpio(&[b"-t"], &a[..150]);
        assert_eq!(r.status, 2);
        assert!(
            r.err().starts_with("cpio: premature end of file\n"),
            "{}",
            r.err()
        );
        let dir = temp_dir("cpio-fuzz");
        for cut in (0..a.len()).step_by(13) {
            let _ = cpio(&[b"-t"], &a[..cut]);
        }
        for i in 0..a.len() {
            for v in [b'0', b'F', b'z', 0xff] {
                let mut c = a.clone();
                c[i] = v;
                let _ = cpio(&[b"-tv"], &c);
                let _ = cpio(&[b"-idu", b"-D", &b(&dir)], &c);
            }
        }
        // A crc archive with a wrong sum is reported.
        let mut c = newc(&[(b"f", 0o100644, b"abc")]);
        c[5] = b'2';
        let r = cpio(&[b"-i", b"-D", &b(&dir)], &c);
        assert_eq!(r.status, 2);
        assert!(
            r.err().contains("f: checksum error (0x126, should be 0x0)"),
            "{}",
            r.err()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
