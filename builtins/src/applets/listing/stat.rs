//! `stat`: show file or file system status, GNU style: the default report, `-t`, and
//! every `%` sequence of `-c`/`--printf`, with printf flags, widths and precisions.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use nix::sys::stat::FileStat;

use super::ls::{Quoting, quote_name, quoting_style};
use crate::common::mode::format_mode;
use crate::common::passwd::Accounts;
use crate::common::time::{self, Tz};
use crate::error::strerror;
use crate::prelude::*;

/// The `stat` applet.
pub const APPLET: Applet = Applet::new("stat", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-Lft] [-c FMT | --printf FMT] FILE...")
    .help(
        "Display file or file system status.\n\n\
         -L\tFollow symbolic links\n\
         -f\tShow the file system's status instead\n\
         -c FMT\tUse FMT instead of the default report, with a newline after each\n\
         --printf FMT\tLike -c, with backslash escapes and no newline added\n\
         -t\tTerse output\n\n\
         File sequences: %a %A %b %B %d %D %f %F %g %G %h %i %m %n %N %o %r %R %s\n\
         %t %T %u %U %w %W %x %X %y %Y %z %Z %Hd %Ld %Hr %Lr\n\
         File system sequences (-f): %a %b %c %d %f %i %l %n %s %S %t %T",
    );

const LONGS: &[&str] = &[
    "dereference",
    "file-system",
    "format",
    "printf",
    "terse",
    "cached",
];

const DEFAULT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
    Device: %Hd,%Ld\tInode: %-11i Links: %h\n\
    Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
    Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const DEFAULT_DEV: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
    Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n\
    Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
    Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const TERSE: &str = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";
const FS_DEFAULT: &str = "  File: \"%n\"\n    ID: %-8i Namelen: %-7l Type: %T\n\
    Block size: %-10s Fundamental block size: %S\n\
    Blocks: Total: %-10b Free: %-10f Available: %a\n\
    Inodes: Total: %-10c Free: %d\n";
const FS_TERSE: &str = "%n %i %l %t %s %S %b %f %a %c %d\n";

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut deref, mut fs, mut terse) = (false, false, false);
    let mut format: Option<(Vec<u8>, bool)> = None;
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('L') | Arg::Long("dereference") => deref = true,
            Arg::Short('f') | Arg::Long("file-system") => fs = true,
            Arg::Short('t') | Arg::Long("terse") => terse = true,
            Arg::Short('c') | Arg::Long("format") => {
                format = Some((opts.value()?, false));
            }
            Arg::Long("printf") => format = Some((opts.value()?, true)),
            Arg::Long("cached") => {
                let _ = opts.optional_value();
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let tz = Tz::from_env(ctx.env);
    let mut quoting = Quoting::ShellEscapeAlways;
    if let Some(v) = ctx.env.get(b"QUOTING_STYLE") {
        match quoting_style(v) {
            Some(q) => quoting = q,
            None => {
                let m = format!(
                    "ignoring invalid value of environment variable QUOTING_STYLE: {}",
                    quote(v)
                );
                ctx.note(m.as_bytes());
            }
        }
    }
    let mut accounts = None;
    for name in &files {
        let mut out = Vec::new();
        if fs {
            let st = match statfs(ctx, name) {
                Ok(st) => st,
                Err(e) => {
                    let m = format!(
                        "cannot read file system information for {}: {}",
                        quote(name),
                        strerror(&e)
                    );
                    ctx.warn_msg(m.as_bytes());
                    continue;
                }
            };
            let fmt = match &format {
                Some((f, _)) => f.as_slice(),
                None if terse => FS_TERSE.as_bytes(),
                None => FS_DEFAULT.as_bytes(),
            };
            let escapes = format.as_ref().is_some_and(|f| f.1);
            expand(fmt, escapes, &mut out, &mut |conv| {
                fs_directive(name, &st, conv)
            });
        } else {
            let st = match stat_file(ctx, name, deref) {
                Ok(st) => st,
                Err(e) => {
                    let m = format!("cannot statx {}: {}", quote(name), strerror(&e));
                    ctx.warn_msg(m.as_bytes());
                    continue;
                }
            };
            let fmt = match &format {
                Some((f, _)) => f.as_slice(),
                None if terse => TERSE.as_bytes(),
                None if is_device(&st) => DEFAULT_DEV.as_bytes(),
                None => DEFAULT.as_bytes(),
            };
            let escapes = format.as_ref().is_some_and(|f| f.1);
            let default = format.is_none() && !terse;
            let f = File {
                name,
                st: &st,
                deref,
                tz: &tz,
                default,
                quoting,
            };
            expand(fmt, escapes, &mut out, &mut |conv| {
                f.directive(&mut accounts, conv)
            });
        }
        if format.as_ref().is_some_and(|f| !f.1) {
            out.push(b'\n');
        }
        ctx.stdout.write_all(&out)?;
    }
    Ok(())
}

fn quote(name: &[u8]) -> String {
    String::from_utf8_lossy(&quote_name(name, Quoting::ShellEscapeAlways)).into_owned()
}

fn is_device(st: &FileStat) -> bool {
    matches!(st.st_mode & libc::S_IFMT, libc::S_IFCHR | libc::S_IFBLK)
}

fn errno_io(e: nix::errno::Errno) -> std::io::Error {
    std::io::Error::from_raw_os_error(e as i32)
}

/// The status of `name` (`-` is standard input).
fn stat_file(ctx: &Ctx<'_>, name: &[u8], deref: bool) -> std::io::Result<FileStat> {
    if name == b"-" {
        let fd = ctx
            .stdin
            .raw_fd()
            .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EBADF))?;
        // SAFETY: the fd is the context's standard input, open for the whole run; it is
        // only borrowed for this call.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        return nix::sys::stat::fstat(fd).map_err(errno_io);
    }
    if deref {
        nix::sys::stat::stat(name).map_err(errno_io)
    } else {
        nix::sys::stat::lstat(name).map_err(errno_io)
    }
}

/// What `-f` reports: statvfs's numbers and statfs's type magic.
struct FsStat {
    vfs: nix::sys::statvfs::Statvfs,
    kind: i64,
    bsize: i64,
}

fn statfs(ctx: &Ctx<'_>, name: &[u8]) -> std::io::Result<FsStat> {
    if name == b"-" {
        let fd = ctx
            .stdin
            .raw_fd()
            .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EBADF))?;
        // SAFETY: as in `stat_file`: standard input, borrowed for these two calls.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let vfs = nix::sys::statvfs::fstatvfs(fd).map_err(errno_io)?;
        let f = nix::sys::statfs::fstatfs(fd).map_err(errno_io)?;
        return Ok(FsStat {
            vfs,
            kind: f.filesystem_type().0,
            bsize: f.optimal_transfer_size(),
        });
    }
    let vfs = nix::sys::statvfs::statvfs(name).map_err(errno_io)?;
    let f = nix::sys::statfs::statfs(name).map_err(errno_io)?;
    Ok(FsStat {
        vfs,
        kind: f.filesystem_type().0,
        bsize: f.optimal_transfer_size(),
    })
}

/// The printf part of one `%` sequence: flags, width, precision.
#[derive(Clone, Copy, Default)]
pub struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    width: usize,
    precision: Option<usize>,
}

/// A directive's value: text, or a number that `0`, `+` and precisions apply to.
enum Value {
    Text(Vec<u8>),
    Num(i128),
    /// An unsigned number: `+` and space flags do not apply.
    UNum(u64),
    Hex(u64),
    Oct(u32),
    /// Seconds and nanoseconds, for `%X %Y %Z %W` with their precision.
    Time(i64, i64),
    /// An unknown sequence: printed as `?`.
    Unknown,
}

/// Expands `fmt`, calling `directive` for each `%` sequence; `escapes` turns on
/// `--printf`'s backslash escapes.
fn expand(fmt: &[u8], escapes: bool, out: &mut Vec<u8>, directive: &mut dyn FnMut(&[u8]) -> Value) {
    let mut i = 0;
    while let Some(&b) = fmt.get(i) {
        i += 1;
        if b == b'\\' && escapes {
            i = escape(fmt, i, out);
            continue;
        }
        if b != b'%' {
            out.push(b);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => spec.left = true,
                b'0' => spec.zero = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' | b'\'' | b'I' => {}
                _ => break,
            }
            i += 1;
        }
        while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
            spec.width = (spec.width * 10 + usize::from(d - b'0')).min(4096);
            i += 1;
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                p = (p * 10 + usize::from(d - b'0')).min(4096);
                i += 1;
            }
            spec.precision = Some(p);
        }
        let conv_len = match fmt.get(i) {
            None => {
                out.push(b'%');
                break;
            }
            Some(b'%') => {
                out.push(b'%');
                i += 1;
                continue;
            }
            Some(b'H' | b'L') if matches!(fmt.get(i + 1), Some(b'd' | b'r')) => 2,
            Some(_) => 1,
        };
        let conv = fmt.get(i..i + conv_len).unwrap_or_default();
        i += conv_len;
        let value = directive(conv);
        render(value, spec, out);
    }
}

/// One backslash escape of `--printf`, starting after the backslash; returns the index
/// after it.
fn escape(fmt: &[u8], mut i: usize, out: &mut Vec<u8>) -> usize {
    let Some(&c) = fmt.get(i) else {
        out.push(b'\\');
        return i;
    };
    i += 1;
    let simple = match c {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'e' => Some(0x1b),
        b'f' => Some(0x0c),
        b'r' => Some(b'\r'),
        b'v' => Some(0x0b),
        _ => None,
    };
    if let Some(s) = simple {
        out.push(s);
        return i;
    }
    if (b'0'..=b'7').contains(&c) {
        let mut v = u32::from(c - b'0');
        let mut n = 1;
        while let Some(d) = fmt.get(i).filter(|d| (b'0'..=b'7').contains(*d) && n < 3) {
            v = v * 8 + u32::from(d - b'0');
            i += 1;
            n += 1;
        }
        out.push(v as u8);
        return i;
    }
    if c == b'x' {
        let mut v = 0u32;
        let mut n = 0;
        while let Some(d) = fmt
            .get(i)
            .and_then(|d| (*d as char).to_digit(16))
            .filter(|_| n < 2)
        {
            v = v * 16 + d;
            i += 1;
            n += 1;
        }
        if n > 0 {
            out.push(v as u8);
            return i;
        }
    }
    out.push(b'\\');
    out.push(c);
    i
}

fn render(value: Value, spec: Spec, out: &mut Vec<u8>) {
    let (body, numeric) = match value {
        Value::Text(mut t) => {
            if let Some(p) = spec.precision {
                t.truncate(p);
            }
            (t, false)
        }
        Value::Unknown => (b"?".to_vec(), false),
        Value::Hex(n) => (format!("{n:x}").into_bytes(), true),
        Value::Oct(n) => (format!("{n:o}").into_bytes(), true),
        Value::UNum(n) => {
            let mut digits = n.to_string();
            if let Some(p) = spec.precision {
                while digits.len() < p {
                    digits.insert(0, '0');
                }
            }
            (digits.into_bytes(), true)
        }
        Value::Num(n) => {
            let mut digits = n.unsigned_abs().to_string();
            if let Some(p) = spec.precision {
                while digits.len() < p {
                    digits.insert(0, '0');
                }
            }
            let sign = if n < 0 {
                "-"
            } else if spec.plus {
                "+"
            } else if spec.space {
                " "
            } else {
                ""
            };
            (format!("{sign}{digits}").into_bytes(), true)
        }
        Value::Time(secs, nsec) => {
            let mut s = if spec.plus && secs >= 0 {
                format!("+{secs}")
            } else {
                secs.to_string()
            };
            match spec.precision {
                Some(0) | None => {}
                Some(p) => {
                    let frac = format!("{nsec:09}");
                    s.push('.');
                    s.push_str(frac.get(..p.min(9)).unwrap_or_default());
                    for _ in 9..p {
                        s.push('0');
                    }
                }
            }
            (s.into_bytes(), true)
        }
    };
    let pad = spec.width.saturating_sub(body.len());
    if spec.left {
        out.extend_from_slice(&body);
        out.resize(out.len() + pad, b' ');
    } else if spec.zero && numeric && spec.precision.is_none() {
        let sign = matches!(body.first(), Some(b'-' | b'+' | b' '));
        let (s, rest) = body.split_at(usize::from(sign));
        out.extend_from_slice(s);
        out.resize(out.len() + pad, b'0');
        out.extend_from_slice(rest);
    } else {
        out.resize(out.len() + pad, b' ');
        out.extend_from_slice(&body);
    }
}

/// One file and what its directives need.
struct File<'a> {
    name: &'a [u8],
    st: &'a FileStat,
    deref: bool,
    tz: &'a Tz,
    /// The default report shows names raw; `%N` in a format quotes them.
    default: bool,
    /// How `%N` quotes (`QUOTING_STYLE`, else shell-escape-always).
    quoting: Quoting,
}

impl File<'_> {
    fn directive(&self, accounts: &mut Option<Accounts>, conv: &[u8]) -> Value {
        let st = self.st;
        let num = Value::UNum;
        let (dev_major, dev_minor) = (
            nix::sys::stat::major(st.st_dev),
            nix::sys::stat::minor(st.st_dev),
        );
        let (r_major, r_minor) = (
            nix::sys::stat::major(st.st_rdev),
            nix::sys::stat::minor(st.st_rdev),
        );
        match conv {
            b"a" => Value::Oct(st.st_mode & 0o7777),
            b"A" => Value::Text(format_mode(st.st_mode).to_vec()),
            b"b" => num(st.st_blocks.max(0) as u64),
            b"B" => num(512),
            b"d" => num(st.st_dev),
            b"D" => Value::Hex(st.st_dev),
            b"Hd" => num(dev_major),
            b"Ld" => num(dev_minor),
            b"Hr" => num(r_major),
            b"Lr" => num(r_minor),
            b"r" => num(st.st_rdev),
            b"R" => Value::Hex(st.st_rdev),
            b"f" => Value::Hex(u64::from(st.st_mode)),
            b"F" => Value::Text(file_type(st).as_bytes().to_vec()),
            b"g" => num(u64::from(st.st_gid)),
            b"G" => {
                let a = accounts.get_or_insert_with(Accounts::load);
                Value::Text(
                    a.group_by_gid(st.st_gid)
                        .map_or_else(|| b"UNKNOWN".to_vec(), |g| g.name.clone()),
                )
            }
            b"h" => num(st.st_nlink),
            b"i" => num(st.st_ino),
            b"m" => Value::Text(mount_point(self.name, self.deref)),
            b"n" => Value::Text(self.name.to_vec()),
            b"N" => Value::Text(self.quoted_name()),
            b"o" => num(st.st_blksize.max(0) as u64),
            b"s" => Value::Num(i128::from(st.st_size)),
            b"t" => Value::Hex(r_major),
            b"T" => Value::Hex(r_minor),
            b"u" => num(u64::from(st.st_uid)),
            b"U" => {
                let a = accounts.get_or_insert_with(Accounts::load);
                Value::Text(
                    a.user_by_uid(st.st_uid)
                        .map_or_else(|| b"UNKNOWN".to_vec(), |u| u.name.clone()),
                )
            }
            b"w" => match self.birth() {
                Some((s, ns)) => Value::Text(self.human_time(s, ns)),
                None => Value::Text(b"-".to_vec()),
            },
            b"W" => match self.birth() {
                Some((s, ns)) => Value::Time(s, ns),
                None => Value::Num(0),
            },
            b"x" => Value::Text(self.human_time(st.st_atime, st.st_atime_nsec)),
            b"X" => Value::Time(st.st_atime, st.st_atime_nsec),
            b"y" => Value::Text(self.human_time(st.st_mtime, st.st_mtime_nsec)),
            b"Y" => Value::Time(st.st_mtime, st.st_mtime_nsec),
            b"z" => Value::Text(self.human_time(st.st_ctime, st.st_ctime_nsec)),
            b"Z" => Value::Time(st.st_ctime, st.st_ctime_nsec),
            b"C" => Value::Unknown,
            _ => Value::Unknown,
        }
    }

    /// `%N`: the name quoted (raw in the default report), with ` -> target` for a link.
    fn quoted_name(&self) -> Vec<u8> {
        let q = |n: &[u8]| {
            if self.default {
                n.to_vec()
            } else {
                quote_name(n, self.quoting)
            }
        };
        let mut s = q(self.name);
        if self.st.st_mode & libc::S_IFMT == libc::S_IFLNK
            && let Ok(t) = nix::fcntl::readlink(self.name)
        {
            s.extend_from_slice(b" -> ");
            s.extend_from_slice(&q(t.as_bytes()));
        }
        s
    }

    /// The birth time from statx, through std's `created()`.
    fn birth(&self) -> Option<(i64, i64)> {
        let p = std::path::Path::new(OsStr::from_bytes(self.name));
        let m = if self.deref {
            std::fs::metadata(p)
        } else {
            std::fs::symlink_metadata(p)
        };
        let t = m.ok()?.created().ok()?;
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Some((d.as_secs() as i64, i64::from(d.subsec_nanos()))),
            Err(e) => {
                let d = e.duration();
                let (s, ns) = (d.as_secs() as i64, i64::from(d.subsec_nanos()));
                Some(if ns == 0 {
                    (-s, 0)
                } else {
                    (-s - 1, 1_000_000_000 - ns)
                })
            }
        }
    }

    fn human_time(&self, secs: i64, nsec: i64) -> Vec<u8> {
        let mut tm = time::localtime(secs, self.tz);
        tm.nsec = u32::try_from(nsec).unwrap_or(0);
        time::strftime(b"%Y-%m-%d %H:%M:%S.%N %z", &tm)
    }
}

/// GNU's words for a file type.
fn file_type(st: &FileStat) -> &'static str {
    match st.st_mode & libc::S_IFMT {
        libc::S_IFREG if st.st_size == 0 => "regular empty file",
        libc::S_IFREG => "regular file",
        libc::S_IFDIR => "directory",
        libc::S_IFLNK => "symbolic link",
        libc::S_IFCHR => "character special file",
        libc::S_IFBLK => "block special file",
        libc::S_IFIFO => "fifo",
        libc::S_IFSOCK => "socket",
        _ => "weird file",
    }
}

/// `%m`: the mount point holding `name`: the last directory on the way up from it
/// that is on the same device.
fn mount_point(name: &[u8], deref: bool) -> Vec<u8> {
    let path = std::path::Path::new(OsStr::from_bytes(name));
    let start = if deref || !path.is_symlink() {
        std::fs::canonicalize(path).ok()
    } else {
        path.parent().and_then(|p| {
            std::fs::canonicalize(if p.as_os_str().is_empty() {
                ".".as_ref()
            } else {
                p
            })
            .ok()
        })
    };
    let Some(mut dir) = start else {
        return b"?".to_vec();
    };
    if !dir.is_dir() {
        dir.pop();
    }
    let dev = |p: &std::path::Path| nix::sys::stat::stat(p).ok().map(|s| s.st_dev);
    let here = dev(&dir);
    while let Some(parent) = dir.parent() {
        if dev(parent) != here {
            break;
        }
        dir = parent.to_path_buf();
    }
    dir.as_os_str().as_bytes().to_vec()
}

fn fs_directive(name: &[u8], st: &FsStat, conv: &[u8]) -> Value {
    let v = &st.vfs;
    let num = Value::UNum;
    match conv {
        b"a" => num(v.blocks_available()),
        b"b" => num(v.blocks()),
        b"c" => num(v.files()),
        b"d" => num(v.files_free()),
        b"f" => num(v.blocks_free()),
        // GNU prints the two words of f_fsid the other way round from statvfs.
        b"i" => Value::Hex(v.filesystem_id().rotate_left(32)),
        b"l" => num(v.name_max()),
        b"n" => Value::Text(name.to_vec()),
        b"s" => Value::Num(i128::from(st.bsize)),
        b"S" => num(v.fragment_size()),
        b"t" => Value::Hex(st.kind as u64),
        b"T" => Value::Text(fs_type_name(st.kind).into_bytes()),
        _ => Value::Unknown,
    }
}

/// The name GNU stat gives a statfs type magic.
fn fs_type_name(magic: i64) -> String {
    let name = match magic as u64 & 0xffff_ffff {
        0xEF53 => "ext2/ext3",
        0x0102_1994 => "tmpfs",
        0x9fa0 => "proc",
        0x6265_6572 => "sysfs",
        0x1cd1 => "devpts",
        0x794c_7630 => "overlayfs",
        0x9123_683E => "btrfs",
        0x5846_5342 => "xfs",
        0x6969 => "nfs",
        0x6367_7270 => "cgroup2fs",
        0x0027_e0eb => "cgroupfs",
        0x4d44 => "msdos",
        0x6573_5546 => "fuseblk",
        0x6573_5543 => "fusectl",
        0x7371_7368 => "squashfs",
        0x9660 => "isofs",
        0x8584_58f6 => "ramfs",
        0x6462_6720 => "debugfs",
        0x7363_6673 => "securityfs",
        0x1980_0202 => "mqueue",
        0x9584_58f6 => "hugetlbfs",
        0x0187 => "autofs",
        0xcafe_4a11 => "bpf_fs",
        0x6e73_6673 => "nsfs",
        0x2fc1_2fc1 => "zfs",
        0xF2F5_2010 => "f2fs",
        0x2011_BAB0 => "exfat",
        0x5346_544e => "ntfs",
        0x4249_4e4d => "binfmt_misc",
        0x7472_6163 => "tracefs",
        0xde5e_81e4 => "efivarfs",
        0x6165_676C => "pstorefs",
        0x6265_6570 => "configfs",
        0x0102_1997 => "v9fs",
        0xfe53_4d42 => "smb2",
        0xff53_4d42 => "cifs",
        0x5003_4d42 => "pipefs",
        0x5345_4d50 => "sockfs",
        0x0000_9fa2 => "usbdevfs",
        0x0000_4244 => "hfs",
        0x0000_137d => "ext",
        _ => return format!("UNKNOWN (0x{magic:x})"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, run_with_env, temp_dir};
    use std::os::unix::fs::MetadataExt;

    fn stat_env(args: &[&str]) -> crate::testing::Outcome {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        run_with_env("stat", &args, b"", &[("TZ", "UTC")])
    }

    fn fixture(tag: &str) -> (std::path::PathBuf, String) {
        use nix::sys::stat::{UtimensatFlags, utimensat};
        use nix::sys::time::TimeSpec;
        let dir = temp_dir(tag);
        let f = dir.join("f");
        std::fs::write(&f, "hello").unwrap();
        std::fs::set_permissions(&f, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
        let t = TimeSpec::new(1_577_934_245, 5);
        utimensat(
            nix::fcntl::AT_FDCWD,
            &f,
            &t,
            &t,
            UtimensatFlags::NoFollowSymlink,
        )
        .unwrap();
        let s = f.to_str().unwrap().to_string();
        (dir, s)
    }

    #[test]
    fn format_sequences() {
        let (dir, f) = fixture("stat-fmt");
        let m = std::fs::metadata(&f).unwrap();
        let r = stat_env(&["-c", "%a|%A|%s|%F|%h|%u|%g|%i|%X|%Y|%y|%n|%N", &f]);
        assert_eq!(
            r.out(),
            format!(
                "640|-rw-r-----|5|regular file|1|{}|{}|{}|1577934245|1577934245|\
                 2020-01-02 03:04:05.000000005 +0000|{f}|'{f}'\n",
                m.uid(),
                m.gid(),
                m.ino()
            )
        );
        let r = stat_env(&["-c", "%f %D %d %b %B %o", &f]);
        assert_eq!(
            r.out(),
            format!(
                "81a0 {:x} {} {} 512 {}\n",
                m.dev(),
                m.dev(),
                m.blocks(),
                m.blksize()
            )
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn widths_precisions_and_printf_escapes() {
        let (dir, f) = fixture("stat-width");
        let r = stat_env(&[
            "--printf",
            "[%6s][%-6s][%06s][%.3Y][%.10A]\\t\\x41\\101\\n",
            &f,
        ]);
        assert_eq!(
            r.out(),
            "[     5][5     ][000005][1577934245.000][-rw-r-----]\tAA\n"
        );
        let r = stat_env(&["-c", "%% %Q %", &f]);
        assert_eq!(r.out(), "% ? %\n");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn default_and_terse_reports() {
        let (dir, f) = fixture("stat-default");
        let m = std::fs::metadata(&f).unwrap();
        let r = stat_env(&[&f]);
        let out = r.out();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], format!("  File: {f}"));
        assert!(
            lines[1].starts_with("  Size: 5         \tBlocks: "),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with(" regular file"));
        assert!(lines[2].starts_with("Device: "));
        assert!(lines[3].starts_with("Access: (0640/-rw-r-----)  Uid: ("));
        assert_eq!(lines[5], "Modify: 2020-01-02 03:04:05.000000005 +0000");
        assert!(lines[7].starts_with(" Birth: "));
        let r = stat_env(&["-t", &f]);
        let want = format!(
            "{f} 5 {} 81a0 {} {} {:x} {} 1 0 0 {} 1577934245 {} ",
            m.blocks(),
            m.uid(),
            m.gid(),
            m.dev(),
            m.ino(),
            m.atime(),
            m.ctime()
        );
        assert!(r.out().starts_with(&want), "{}\n{want}", r.out());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn symlinks_and_devices() {
        let (dir, _) = fixture("stat-link");
        let l = dir.join("l");
        std::os::unix::fs::symlink("f", &l).unwrap();
        let l = l.to_str().unwrap();
        assert_eq!(
            stat_env(&["-c", "%N|%F", l]).out(),
            format!("'{l}' -> 'f'|symbolic link\n")
        );
        assert_eq!(
            stat_env(&["-L", "-c", "%F|%s", l]).out(),
            "regular file|5\n"
        );
        assert!(
            stat_env(&[l])
                .out()
                .starts_with(&format!("  File: {l} -> f\n"))
        );
        if std::path::Path::new("/dev/null").exists() {
            let r = stat_env(&["-c", "%t %T %Hr %Lr %F", "/dev/null"]);
            assert_eq!(r.out(), "1 3 1 3 character special file\n");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn file_systems() {
        let r = stat_env(&["-f", "-c", "%n %l %S", "/"]);
        assert_eq!(r.status, 0);
        let out = r.out();
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words.len(), 3);
        assert_eq!(words[0], "/");
        assert!(
            stat_env(&["-f", "/"])
                .out()
                .starts_with("  File: \"/\"\n    ID: ")
        );
    }

    #[test]
    fn errors_go_on_with_status_1() {
        let (dir, f) = fixture("stat-err");
        let missing = format!("{f}.nope");
        let r = stat_env(&["-c", "%s", &missing, &f]);
        assert_eq!(r.out(), "5\n");
        assert_eq!(
            r.err(),
            format!("stat: cannot statx '{missing}': No such file or directory\n")
        );
        assert_eq!(r.status, 1);
        let r = stat_env(&["-f", &missing]);
        assert_eq!(r.status, 1);
        assert!(
            r.err()
                .starts_with("stat: cannot read file system information for '")
        );
        let r = run("stat", &[], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with("stat: missing operand\n"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
