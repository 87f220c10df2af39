//! Reading archives: the block reader (long names, pax headers, checksums, truncation),
//! listing (`-t`, `-tv` in GNU's columns) and safe extraction (`-x`).

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};

use nix::errno::Errno;
use nix::sys::stat::{Mode, SFlag, UtimensatFlags, fchmod, futimens, mknodat, utimensat};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchown, fchownat, linkat, symlinkat};

use super::header::{self, BLOCK, Kind, Member, Pax};
use super::safe::{self, Clean, Target};
use super::{Keep, Msgs, TarOpts, quote};
use crate::common::passwd::Accounts;
use crate::common::time::{localtime, strftime};

/// The largest GNU long name or pax header we accept (hostile sizes are skipped).
const MAX_META: u64 = 1 << 20;

/// Why reading stopped for good.
pub enum Fatal {
    /// The first header is not a tar header.
    NotTar,
    /// The archive ended inside a member or header.
    Eof,
    /// A read failed.
    Io(io::Error),
}

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Fatal {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            Fatal::Eof
        } else {
            Fatal::Io(e)
        }
    }
}

/// Reads members one by one from an archive stream.
pub struct Reader<'r> {
    src: Box<dyn Read + 'r>,
    global: Pax,
    seen: bool,
    remaining: u64,
    pad: u64,
    /// Warnings to print (`Skipping to next header`); a warning also fails the run.
    pub notes: Vec<Vec<u8>>,
    /// The current member's sparse map when it is a GNU sparse file: its data is the
    /// concatenated chunks, each to be written at its offset, in a file of `real` bytes.
    pub sparse: Option<Sparse>,
}

/// Where a sparse member's chunks go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sparse {
    /// (offset, size) of each chunk, in data order.
    pub map: Vec<(u64, u64)>,
    /// The file's full size.
    pub real: u64,
}

/// The longest sparse map we accept (entries); GNU's own limit is memory.
const MAX_SPARSE_ENTRIES: usize = 1 << 20;

fn read_full(src: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match src.read(buf.get_mut(got..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

impl<'r> Reader<'r> {
    /// A reader over `src`.
    pub fn new(src: Box<dyn Read + 'r>) -> Reader<'r> {
        Reader {
            src,
            global: Pax::default(),
            seen: false,
            remaining: 0,
            pad: 0,
            notes: Vec::new(),
            sparse: None,
        }
    }

    /// The next block, or `None` at a clean end of input.
    fn block(&mut self) -> Result<Option<[u8; BLOCK]>, Fatal> {
        let mut b = [0u8; BLOCK];
        match read_full(&mut self.src, &mut b)? {
            0 => Ok(None),
            BLOCK => Ok(Some(b)),
            // Less than a block before any header: not an archive at all.
            _ if !self.seen => Err(Fatal::NotTar),
            _ => Err(Fatal::Eof),
        }
    }

    /// Drops `n` bytes of input.
    fn discard(&mut self, mut n: u64) -> Result<(), Fatal> {
        let mut buf = vec![0u8; 64 * 1024];
        while n > 0 {
            let want = usize::try_from(n.min(buf.len() as u64)).unwrap_or(buf.len());
            let got = read_full(&mut self.src, buf.get_mut(..want).unwrap_or_default())?;
            if got < want {
                return Err(Fatal::Eof);
            }
            n -= got as u64;
        }
        Ok(())
    }

    /// Reads a metadata entry's data (long name, pax records), or skips it when too big.
    fn meta(&mut self, size: u64) -> Result<Option<Vec<u8>>, Fatal> {
        let padded = size.div_ceil(BLOCK as u64) * BLOCK as u64;
        if size > MAX_META {
            self.discard(padded)?;
            return Ok(None);
        }
        let mut v = vec![0u8; usize::try_from(padded).unwrap_or(0)];
        if read_full(&mut self.src, &mut v)? < v.len() {
            return Err(Fatal::Eof);
        }
        v.truncate(usize::try_from(size).unwrap_or(0));
        Ok(Some(v))
    }

    /// The next member (its data is then read with [`Reader::data`]), or `None` at the end.
    pub fn next(&mut self) -> Result<Option<Member>, Fatal> {
        self.skip()?;
        self.sparse = None;
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        let mut pax: Option<Pax> = None;
        let mut skipping = false;
        loop {
            let Some(b) = self.block()? else {
                if !self.seen {
                    return Err(Fatal::NotTar);
                }
                return Ok(None);
            };
            if b.iter().all(|&x| x == 0) {
                if !self.seen {
                    // An archive of zero blocks is an empty archive.
                    self.seen = true;
                }
                return Ok(None);
            }
            let raw = if header::checksum_ok(&b) {
                header::parse(&b)
            } else {
                None
            };
            let Some(raw) = raw else {
                if !self.seen {
                    return Err(Fatal::NotTar);
                }
                if !skipping {
                    self.notes.push(b"Skipping to next header".to_vec());
                    skipping = true;
                }
                continue;
            };
            self.seen = true;
            skipping = false;
            let m = raw.member;
            match raw.flag {
                b'L' => long_name = self.meta(m.size)?.map(|v| header::cstr(&v).to_vec()),
                b'K' => long_link = self.meta(m.size)?.map(|v| header::cstr(&v).to_vec()),
                b'x' | b'X' => {
                    let mut p = pax.take().unwrap_or_default();
                    if let Some(data) = self.meta(m.size)? {
                        p.parse(&data);
                    }
                    pax = Some(p);
                }
                b'g' => {
                    if let Some(data) = self.meta(m.size)? {
                        self.global.parse(&data);
                    }
                }
                b'V' => {
                    let padded = m.size.div_ceil(BLOCK as u64) * BLOCK as u64;
                    self.discard(padded)?;
                }
                _ => {
                    let mut m = m;
                    self.global.apply(&mut m);
                    if let Some(n) = long_name {
                        m.name = n;
                    }
                    if let Some(l) = long_link {
                        m.link = l;
                    }
                    if let Some(p) = &pax {
                        p.apply(&mut m);
                    }
                    let old_sparse = if raw.flag == b'S' {
                        Some(self.old_sparse(&b)?)
                    } else {
                        None
                    };
                    let data = if m.kind.has_data() { m.size } else { 0 };
                    self.remaining = data;
                    self.pad = data.div_ceil(BLOCK as u64) * BLOCK as u64 - data;
                    if let Some(sp) = old_sparse {
                        m.kind = Kind::File;
                        self.sparse = Some(sp);
                    } else if let Some(p) = &pax
                        && p.sparse_size.is_some()
                    {
                        self.sparse = Some(self.pax_sparse(p)?);
                    }
                    if let Some(sp) = &self.sparse {
                        m.size = sp.real;
                    }
                    return Ok(Some(m));
                }
            }
        }
    }

    /// The map of an old GNU sparse header `b`, with its extension blocks read.
    fn old_sparse(&mut self, b: &[u8; BLOCK]) -> Result<Sparse, Fatal> {
        let bad = || Fatal::Io(io::Error::from_raw_os_error(libc::EINVAL));
        let mut map = header::old_sparse_map(b, 386, 4).ok_or_else(bad)?;
        let (real, mut more) = header::old_sparse_header(b).ok_or_else(bad)?;
        while more {
            let ext = self.block()?.ok_or(Fatal::Eof)?;
            map.extend(header::old_sparse_map(&ext, 0, 21).ok_or_else(bad)?);
            more = ext[504] != 0;
            if map.len() > MAX_SPARSE_ENTRIES {
                return Err(bad());
            }
        }
        Ok(Sparse { map, real })
    }

    /// The map of a pax sparse member: from the records (0.0, 0.1), or (1.0) from the
    /// decimal lines that start the member's data, padded to a block.
    fn pax_sparse(&mut self, p: &Pax) -> Result<Sparse, Fatal> {
        let bad = || Fatal::Io(io::Error::from_raw_os_error(libc::EINVAL));
        let real = p.sparse_size.unwrap_or(0);
        let flat = if p.sparse_major == Some(1) {
            let mut text = Vec::new();
            let mut nums: Vec<u64> = Vec::new();
            let mut want = None;
            while want.is_none_or(|w| nums.len() < w) {
                let mut blk = [0u8; BLOCK];
                let mut got = 0;
                while got < BLOCK {
                    let n = self.data(&mut blk[got..])?;
                    if n == 0 {
                        return Err(Fatal::Eof);
                    }
                    got += n;
                }
                text.extend_from_slice(&blk);
                while let Some(nl) = text.iter().position(|&c| c == b'\n') {
                    let line: Vec<u8> = text.drain(..=nl).collect();
                    let v = std::str::from_utf8(&line[..nl])
                        .ok()
                        .and_then(|t| t.parse::<u64>().ok())
                        .ok_or_else(bad)?;
                    if want.is_none() {
                        let n = usize::try_from(v).map_err(|_| bad())?;
                        if n > MAX_SPARSE_ENTRIES {
                            return Err(bad());
                        }
                        want = Some(1 + 2 * n);
                    }
                    nums.push(v);
                    if want.is_some_and(|w| nums.len() == w) {
                        break;
                    }
                }
                // A number is at most 20 digits: more text without a newline is garbage.
                if want.is_none_or(|w| nums.len() < w) && text.len() > 64 {
                    return Err(bad());
                }
            }
            nums.split_off(1)
        } else {
            p.sparse_map.clone()
        };
        let map = flat.chunks_exact(2).map(|c| (c[0], c[1])).collect();
        Ok(Sparse { map, real })
    }

    /// Reads the current member's data; 0 at its end.
    pub fn data(&mut self, buf: &mut [u8]) -> Result<usize, Fatal> {
        if self.remaining == 0 {
            return Ok(0);
        }
        let want = usize::try_from(self.remaining.min(buf.len() as u64)).unwrap_or(buf.len());
        let got = read_full(&mut self.src, buf.get_mut(..want).unwrap_or_default())?;
        if got == 0 {
            return Err(Fatal::Eof);
        }
        self.remaining -= got as u64;
        Ok(got)
    }

    /// Skips the rest of the current member's data and padding.
    pub fn skip(&mut self) -> Result<(), Fatal> {
        let n = self.remaining + self.pad;
        self.remaining = 0;
        self.pad = 0;
        self.discard(n)
    }
}

/// The `-tv` line for a member (without the newline), in GNU tar's columns; `width` is
/// the sticky width of the owner/size column, grown as GNU grows it.
pub fn long_line(m: &Member, o: &super::TarOpts, width: &mut usize) -> Vec<u8> {
    let (numeric, tz) = (o.numeric, &o.tz);
    let mut mode = crate::common::mode::format_mode(m.kind.ifmt() | m.mode);
    if m.kind == Kind::Hard {
        mode[0] = b'h';
    }
    let user = if numeric || m.uname.is_empty() {
        m.uid.to_string().into_bytes()
    } else {
        m.uname.clone()
    };
    let group = if numeric || m.gname.is_empty() {
        m.gid.to_string().into_bytes()
    } else {
        m.gname.clone()
    };
    let size = match m.kind {
        Kind::Char | Kind::Block => format!("{},{}", m.major, m.minor),
        _ => m.size.to_string(),
    };
    let pad = user.len() + 1 + group.len() + 1 + size.len();
    if pad > *width {
        *width = pad;
    }
    let mut line = mode.to_vec();
    line.push(b' ');
    line.extend_from_slice(&user);
    line.push(b'/');
    line.extend_from_slice(&group);
    line.push(b' ');
    line.extend(std::iter::repeat_n(b' ', *width - pad));
    line.extend_from_slice(size.as_bytes());
    line.push(b' ');
    let fmt: &[u8] = if o.full_time {
        b"%Y-%m-%d %H:%M:%S"
    } else {
        b"%Y-%m-%d %H:%M"
    };
    line.extend_from_slice(&strftime(fmt, &localtime(m.mtime, tz)));
    line.push(b' ');
    line.extend_from_slice(&quote(&m.name));
    match m.kind {
        Kind::Symlink => {
            line.extend_from_slice(b" -> ");
            line.extend_from_slice(&quote(&m.link));
        }
        Kind::Hard => {
            line.extend_from_slice(b" link to ");
            line.extend_from_slice(&quote(&m.link));
        }
        _ => {}
    }
    line
}

/// Which member operands matched, for `Not found in archive`.
pub struct Selection<'a> {
    names: &'a [Vec<u8>],
    found: Vec<bool>,
    wildcards: bool,
}

impl<'a> Selection<'a> {
    /// Operands `names` (empty selects everything).
    pub fn new(names: &'a [Vec<u8>], wildcards: bool) -> Selection<'a> {
        Selection {
            names,
            found: vec![false; names.len()],
            wildcards,
        }
    }

    /// Whether `name` is selected: equal to an operand or inside one.
    pub fn take(&mut self, name: &[u8]) -> bool {
        if self.names.is_empty() {
            return true;
        }
        let name = trim_slashes(name);
        let mut hit = false;
        for (i, op) in self.names.iter().enumerate() {
            let op = trim_slashes(op);
            let m = if self.wildcards {
                let p = rbox_parser::pattern::Pattern::parse(op, Default::default());
                p.matches(name)
                    || name
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'/')
                        .any(|(j, _)| p.matches(name.get(..j).unwrap_or_default()))
            } else {
                name == op
                    || (name.len() > op.len()
                        && name.starts_with(op)
                        && name.get(op.len()) == Some(&b'/'))
            };
            if m {
                hit = true;
                if let Some(f) = self.found.get_mut(i) {
                    *f = true;
                }
            }
        }
        hit
    }

    /// The operands no member matched.
    pub fn missing(&self) -> Vec<&'a [u8]> {
        self.names
            .iter()
            .zip(&self.found)
            .filter(|(_, f)| !**f)
            .map(|(n, _)| n.as_slice())
            .collect()
    }
}

fn trim_slashes(s: &[u8]) -> &[u8] {
    let s = s.strip_prefix(b"./").unwrap_or(s);
    let end = s.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    s.get(..end.max(1).min(s.len())).unwrap_or(s)
}

/// Whether `--exclude` patterns drop `name` (matched whole or from any `/` on, as GNU's
/// unanchored exclusion does).
pub fn excluded(pats: &[rbox_parser::pattern::Pattern], name: &[u8]) -> bool {
    let name = trim_slashes(name);
    pats.iter().any(|p| {
        p.matches(name)
            || name
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'/')
                .any(|(i, _)| p.matches(name.get(i + 1..).unwrap_or_default()))
    })
}

fn fatal(io: &mut Msgs<'_, '_>, f: Fatal) {
    match f {
        Fatal::NotTar => {
            io.error(b"This does not look like a tar archive");
        }
        Fatal::Eof => {
            io.note(b"Unexpected EOF in archive");
            io.note(b"Error is not recoverable: exiting now");
            io.fatal = true;
        }
        Fatal::Io(e) if e.get_ref().is_some_and(|r| r.is::<super::gz::GzFailure>()) => {
            // As GNU tar shows its gzip child's complaint.
            let what = e.get_ref().map(ToString::to_string).unwrap_or_default();
            io.raw(format!("\ngzip: stdin: {what}\n").as_bytes());
            io.note(b"Child returned status 1");
            io.note(b"Error is not recoverable: exiting now");
            io.fatal = true;
        }
        Fatal::Io(e) => {
            let m = crate::error::subject_reason(b"Read error", &e);
            io.note(&m);
            io.note(b"Error is not recoverable: exiting now");
            io.fatal = true;
        }
    }
    io.status = 2;
}

/// `tar -t`.
pub fn list(o: &TarOpts, rd: &mut Reader<'_>, io: &mut Msgs<'_, '_>) {
    let mut sel = Selection::new(&o.members, o.wildcards);
    let mut width = 19;
    loop {
        let m = match rd.next() {
            Ok(Some(m)) => m,
            Ok(None) => break,
            Err(f) => {
                flush_notes(rd, io);
                fatal(io, f);
                return;
            }
        };
        flush_notes(rd, io);
        if !sel.take(&m.name) || excluded(&o.excludes, &m.name) {
            continue;
        }
        let m = if o.transforms.is_empty() && o.strip == 0 {
            m
        } else {
            let t = transformed(o, &m, io);
            shown(o, &m, &t)
        };
        let line = if o.verbose > 0 {
            long_line(&m, o, &mut width)
        } else {
            quote(&m.name)
        };
        io.listing(&line);
    }
    flush_notes(rd, io);
    for name in sel.missing() {
        let mut m = quote(name);
        m.extend_from_slice(b": Not found in archive");
        io.error(&m);
    }
}

/// `m` after the transforms, with GNU's notes for names they left empty.
fn transformed(o: &TarOpts, m: &Member, io: &mut Msgs<'_, '_>) -> Member {
    let mut t = m.clone();
    for note in o.transforms.member(&mut t, true) {
        io.note(note);
    }
    t
}

/// The member as `-t` and `-v` show it, from the member as stored and as transformed:
/// the stored name, or with --show-transformed-names the name after the transforms and
/// the stripping; the link target after the transforms, a hard link's also stripped
/// (GNU tar 1.34 shows these even in `-t`, where nothing is stripped from names).
fn shown(o: &TarOpts, stored: &Member, t: &Member) -> Member {
    let mut s = t.clone();
    if o.show_transformed {
        s.name = strip_shown(&t.name, o.strip);
        if s.kind == Kind::Dir && !s.name.ends_with(b"/") {
            s.name.push(b'/');
        }
    } else {
        s.name.clone_from(&stored.name);
    }
    if s.kind == Kind::Hard {
        s.link = strip_shown(&t.link, o.strip);
    }
    s
}

/// `name` without its first `n` components, as GNU shows a stripped name: what follows
/// the `n`th slash (leading slashes skipped first, runs of slashes count once), empty
/// when there are not that many.
fn strip_shown(name: &[u8], n: usize) -> Vec<u8> {
    if n == 0 {
        return name.to_vec();
    }
    let mut left = n;
    let mut i = name.iter().take_while(|&&b| b == b'/').count();
    while let Some(&b) = name.get(i) {
        i += 1;
        if b == b'/' {
            left -= 1;
            if left == 0 {
                return name.get(i..).unwrap_or_default().to_vec();
            }
            while name.get(i) == Some(&b'/') {
                i += 1;
            }
        }
    }
    Vec::new()
}

fn flush_notes(rd: &mut Reader<'_>, io: &mut Msgs<'_, '_>) {
    for n in std::mem::take(&mut rd.notes) {
        io.error(&n);
    }
}

/// A directory whose mode and times are set once everything else is extracted.
struct DelayedDir {
    comps: Vec<Vec<u8>>,
    m: Member,
}

/// Extraction state.
struct Extract<'o> {
    o: &'o TarOpts,
    target: Target,
    accounts: Option<Accounts>,
    umask: u32,
    same_owner: bool,
    same_perms: bool,
    dirs: Vec<DelayedDir>,
    warned: Vec<Vec<u8>>,
}

/// `tar -x`.
pub fn extract(o: &TarOpts, rd: &mut Reader<'_>, io: &mut Msgs<'_, '_>) {
    let dir = o.dir.clone().unwrap_or_else(|| b".".to_vec());
    let target = if o.to_stdout {
        Target::open(b".")
    } else {
        Target::open(&dir)
    };
    let target = match target {
        Ok(t) => t,
        Err(e) => {
            let mut m = quote(&dir);
            m.extend_from_slice(b": Cannot open: ");
            m.extend_from_slice(crate::error::strerror(&e).as_bytes());
            io.note(&m);
            io.note(b"Error is not recoverable: exiting now");
            io.fatal = true;
            io.status = 2;
            return;
        }
    };
    let root = nix::unistd::geteuid().is_root();
    let mut x = Extract {
        o,
        target,
        accounts: None,
        umask: crate::common::mode::current_umask(),
        same_owner: o.same_owner.unwrap_or(root),
        same_perms: o.preserve.unwrap_or(root),
        dirs: Vec::new(),
        warned: Vec::new(),
    };
    let mut sel = Selection::new(&o.members, o.wildcards);
    let mut width = 19;
    loop {
        let m = match rd.next() {
            Ok(Some(m)) => m,
            Ok(None) => break,
            Err(f) => {
                flush_notes(rd, io);
                fatal(io, f);
                break;
            }
        };
        flush_notes(rd, io);
        // Members are chosen by their stored names, then written under the transformed
        // ones (GNU), which -v shows with --show-transformed-names.
        if !sel.take(&m.name) || excluded(&o.excludes, &m.name) {
            continue;
        }
        let (m, listed) = if o.transforms.is_empty() {
            (m, None)
        } else {
            let t = transformed(o, &m, io);
            (t, Some(m))
        };
        // A member that --strip-components leaves nothing of is skipped unlisted (GNU).
        if o.strip > 0 && !o.to_stdout && safe::clean(&m.name).comps.len() <= o.strip {
            continue;
        }
        let shown_member;
        let shown = if o.verbose > 0 && (listed.is_some() || o.strip > 0) {
            shown_member = shown(o, listed.as_ref().unwrap_or(&m), &m);
            &shown_member
        } else {
            &m
        };
        if o.verbose > 1 {
            let line = long_line(shown, o, &mut width);
            io.listing(&line);
        } else if o.verbose == 1 {
            io.listing(&quote(&shown.name));
        }
        if let Err(f) = x.member(&m, rd, io) {
            fatal(io, f);
            break;
        }
    }
    x.finish_dirs(io);
    for name in sel.missing() {
        let mut m = quote(name);
        m.extend_from_slice(b": Not found in archive");
        io.error(&m);
    }
}

/// Writes a sparse member's chunks at their offsets and sizes the file (holes stay
/// holes); gives the first write error, the reading error being fatal.
fn write_sparse(
    f: &std::fs::File,
    sp: &Sparse,
    rd: &mut Reader<'_>,
) -> Result<Option<io::Error>, Fatal> {
    use std::os::unix::fs::FileExt as _;
    let mut buf = vec![0u8; 64 * 1024];
    let mut failed = None;
    for &(off, len) in &sp.map {
        let mut done = 0u64;
        while done < len {
            let want = usize::try_from((len - done).min(buf.len() as u64)).unwrap_or(buf.len());
            let n = rd.data(buf.get_mut(..want).unwrap_or_default())?;
            if n == 0 {
                return Err(Fatal::Eof);
            }
            if failed.is_none()
                && let Err(e) = f.write_all_at(buf.get(..n).unwrap_or_default(), off + done)
            {
                failed = Some(e);
            }
            done += n as u64;
        }
    }
    // Data past the map (a malformed member) is skipped with the member.
    if failed.is_none()
        && let Err(e) = f.set_len(sp.real)
    {
        failed = Some(e);
    }
    Ok(failed)
}

/// `-O` of a sparse member: the chunks with zeros for the holes, `real` bytes in all.
fn sparse_to_stdout(sp: &Sparse, rd: &mut Reader<'_>, io: &mut Msgs<'_, '_>) -> Result<(), Fatal> {
    let mut buf = vec![0u8; 64 * 1024];
    let zeros = vec![0u8; 64 * 1024];
    let mut at = 0u64;
    let put = |io: &mut Msgs<'_, '_>, d: &[u8]| -> Result<(), Fatal> {
        io.data(d).map_err(|e| {
            report(io, b"stdout", b"Cannot write", &e);
            Fatal::Io(e)
        })
    };
    let fill = |io: &mut Msgs<'_, '_>, at: &mut u64, to: u64| -> Result<(), Fatal> {
        while *at < to {
            let n = usize::try_from((to - *at).min(zeros.len() as u64)).unwrap_or(0);
            put(io, zeros.get(..n).unwrap_or_default())?;
            *at += n as u64;
        }
        Ok(())
    };
    for &(off, len) in &sp.map {
        if off < at {
            break;
        }
        fill(io, &mut at, off)?;
        let mut done = 0u64;
        while done < len {
            let want = usize::try_from((len - done).min(buf.len() as u64)).unwrap_or(buf.len());
            let n = rd.data(buf.get_mut(..want).unwrap_or_default())?;
            if n == 0 {
                return Err(Fatal::Eof);
            }
            io.data(buf.get(..n).unwrap_or_default())
                .map_err(Fatal::Io)?;
            done += n as u64;
        }
        at = off + len;
    }
    fill(io, &mut at, sp.real)
}

fn report(io: &mut Msgs<'_, '_>, name: &[u8], what: &[u8], e: &io::Error) {
    let mut m = quote(name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(what);
    m.extend_from_slice(b": ");
    m.extend_from_slice(crate::error::strerror(e).as_bytes());
    io.error(&m);
}

fn errno(e: Errno) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

impl Extract<'_> {
    /// Cleans a name and applies --strip-components; `None` when it must be skipped
    /// (after reporting why).
    fn name(&mut self, name: &[u8], what: &str, io: &mut Msgs<'_, '_>) -> Option<Clean> {
        let mut c = safe::clean(name);
        if !c.removed.is_empty() && !self.o.absolute {
            let key = [c.removed.as_slice(), what.as_bytes()].concat();
            if !self.warned.contains(&key) {
                let mut m = b"Removing leading `".to_vec();
                m.extend_from_slice(&quote(&c.removed));
                m.extend_from_slice(b"' from ");
                m.extend_from_slice(what.as_bytes());
                io.note(&m);
                self.warned.push(key);
            }
        }
        if c.dotdot {
            let mut m = quote(name);
            m.extend_from_slice(b": Member name contains '..'");
            io.error(&m);
            return None;
        }
        if self.o.strip > 0 {
            if c.comps.len() <= self.o.strip {
                return None;
            }
            c.comps.drain(..self.o.strip);
        }
        if c.comps.is_empty() {
            return None;
        }
        Some(c)
    }

    fn member(
        &mut self,
        m: &Member,
        rd: &mut Reader<'_>,
        io: &mut Msgs<'_, '_>,
    ) -> Result<(), Fatal> {
        if self.o.to_stdout {
            if let Some(sp) = rd.sparse.clone() {
                return sparse_to_stdout(&sp, rd, io);
            }
            if m.kind.has_data() {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = rd.data(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    if let Err(e) = io.data(buf.get(..n).unwrap_or_default()) {
                        report(io, b"stdout", b"Cannot write", &e);
                        return Err(Fatal::Io(e));
                    }
                }
            }
            return Ok(());
        }
        let Some(c) = self.name(&m.name, "member names", io) else {
            return Ok(());
        };
        let parent = match self.target.parent(&c.comps, true) {
            Ok(p) => p,
            Err(e) => {
                let what: &[u8] = if m.kind == Kind::Dir {
                    b"Cannot mkdir"
                } else {
                    b"Cannot open"
                };
                report(io, &m.name, what, &e);
                return Ok(());
            }
        };
        let leaf = c.comps.last().cloned().unwrap_or_default();
        let p = parent.as_fd();
        if m.kind != Kind::Dir {
            match self.o.keep {
                Keep::Replace => {}
                Keep::Error | Keep::Skip if safe::existing(p, &leaf).is_some() => {
                    if self.o.keep == Keep::Error {
                        let e = errno(Errno::EEXIST);
                        report(io, &m.name, b"Cannot open", &e);
                    } else if self.o.verbose > 0 {
                        let mut t = quote(&m.name);
                        t.extend_from_slice(b": skipping existing file");
                        io.note(&t);
                    }
                    return Ok(());
                }
                _ => {}
            }
            let in_place = self.o.overwrite
                && m.kind.has_data()
                && safe::existing(p, &leaf) == Some(libc::S_IFREG);
            if !in_place && let Err(e) = safe::remove_nondir(p, &leaf) {
                report(io, &m.name, b"Cannot unlink", &e);
                return Ok(());
            }
        }
        match m.kind {
            Kind::Dir => {
                let mode = Mode::from_bits_truncate(0o700 | (m.mode & 0o777));
                match nix::sys::stat::mkdirat(p, leaf.as_slice(), mode) {
                    Ok(()) => {}
                    Err(Errno::EEXIST) if safe::existing(p, &leaf) == Some(libc::S_IFDIR) => {}
                    Err(Errno::EEXIST) => {
                        // Something else is there (a symlink, a file): replace it.
                        let r = safe::remove_nondir(p, &leaf).and_then(|()| {
                            nix::sys::stat::mkdirat(p, leaf.as_slice(), mode).map_err(errno)
                        });
                        if let Err(e) = r {
                            report(io, &m.name, b"Cannot mkdir", &e);
                            return Ok(());
                        }
                    }
                    Err(e) => {
                        report(io, &m.name, b"Cannot mkdir", &errno(e));
                        return Ok(());
                    }
                }
                self.dirs.push(DelayedDir {
                    comps: c.comps.clone(),
                    m: m.clone(),
                });
            }
            Kind::File | Kind::Other(_) => {
                let fd = match safe::create_file(p, &leaf, self.o.overwrite) {
                    Ok(fd) => fd,
                    Err(e) => {
                        report(io, &m.name, b"Cannot open", &e);
                        return Ok(());
                    }
                };
                let mut f = std::fs::File::from(fd);
                let failed = match rd.sparse.clone() {
                    Some(sp) => write_sparse(&f, &sp, rd)?,
                    None => {
                        let mut buf = vec![0u8; 64 * 1024];
                        let mut failed = None;
                        loop {
                            let n = rd.data(&mut buf)?;
                            if n == 0 {
                                break;
                            }
                            if failed.is_none()
                                && let Err(e) = f.write_all(buf.get(..n).unwrap_or_default())
                            {
                                failed = Some(e);
                            }
                        }
                        failed
                    }
                };
                if let Some(e) = failed {
                    report(io, &m.name, b"Cannot write", &e);
                }
                self.attrs_fd(f.as_fd(), m, io);
            }
            Kind::Symlink => {
                if let Err(e) = symlinkat(m.link.as_slice(), p, leaf.as_slice()) {
                    let mut what = b"Cannot create symlink to '".to_vec();
                    what.extend_from_slice(&quote(&m.link));
                    what.push(b'\'');
                    report(io, &m.name, &what, &errno(e));
                    return Ok(());
                }
                self.attrs_at(p, &leaf, m, io, true);
            }
            Kind::Hard => {
                let Some(t) = self.name(&m.link, "hard link targets", io) else {
                    return Ok(());
                };
                let r = self.target.parent(&t.comps, false).and_then(|tp| {
                    let tl = t.comps.last().cloned().unwrap_or_default();
                    linkat(
                        tp.as_fd(),
                        tl.as_slice(),
                        p,
                        leaf.as_slice(),
                        AtFlags0::empty(),
                    )
                    .map_err(errno)
                });
                if let Err(e) = r {
                    let mut what = b"Cannot hard link to '".to_vec();
                    what.extend_from_slice(&quote(&m.link));
                    what.push(b'\'');
                    report(io, &m.name, &what, &e);
                }
            }
            Kind::Char | Kind::Block | Kind::Fifo => {
                let kind = match m.kind {
                    Kind::Char => SFlag::S_IFCHR,
                    Kind::Block => SFlag::S_IFBLK,
                    _ => SFlag::S_IFIFO,
                };
                let dev = nix::sys::stat::makedev(u64::from(m.major), u64::from(m.minor));
                let perm = Mode::from_bits_truncate(m.mode & 0o777);
                if let Err(e) = mknodat(p, leaf.as_slice(), kind, perm, dev) {
                    report(io, &m.name, b"Cannot mknod", &errno(e));
                    return Ok(());
                }
                self.attrs_at(p, &leaf, m, io, false);
            }
        }
        Ok(())
    }

    fn ids(&mut self, m: &Member) -> (u32, u32) {
        let numeric = self.o.numeric;
        let acc = self.accounts.get_or_insert_with(Accounts::load);
        let uid = (!numeric && !m.uname.is_empty())
            .then(|| acc.user_by_name(&m.uname).map(|u| u.uid))
            .flatten()
            .unwrap_or(u32::try_from(m.uid).unwrap_or(u32::MAX - 1));
        let gid = (!numeric && !m.gname.is_empty())
            .then(|| acc.group_by_name(&m.gname).map(|g| g.gid))
            .flatten()
            .unwrap_or(u32::try_from(m.gid).unwrap_or(u32::MAX - 1));
        (uid, gid)
    }

    fn perm(&self, m: &Member) -> u32 {
        if self.same_perms {
            m.mode & 0o7777
        } else {
            m.mode & 0o777 & !self.umask
        }
    }

    fn times(&self, m: &Member) -> (TimeSpec, TimeSpec) {
        let now = TimeSpec::UTIME_NOW;
        if self.o.touch {
            (now, now)
        } else {
            (now, TimeSpec::new(m.mtime, i64::from(m.mtime_ns)))
        }
    }

    /// Owner, mode and times on an open file or directory.
    fn attrs_fd(&mut self, fd: BorrowedFd<'_>, m: &Member, io: &mut Msgs<'_, '_>) {
        if self.same_owner {
            let (uid, gid) = self.ids(m);
            if let Err(e) = fchown(fd, Some(Uid::from_raw(uid)), Some(Gid::from_raw(gid))) {
                let what = format!("Cannot change ownership to uid {uid}, gid {gid}");
                report(io, &m.name, what.as_bytes(), &errno(e));
            }
        }
        let mode = self.perm(m);
        if let Err(e) = fchmod(fd, Mode::from_bits_truncate(mode)) {
            let what = format!(
                "Cannot change mode to {}",
                String::from_utf8_lossy(&crate::common::mode::format_mode(mode)[1..])
            );
            report(io, &m.name, what.as_bytes(), &errno(e));
        }
        let (a, t) = self.times(m);
        if let Err(e) = futimens(fd, &a, &t) {
            report(io, &m.name, b"Cannot utime", &errno(e));
        }
    }

    /// Owner, mode (not for symlinks) and times on `name` in `dir`, never following it.
    fn attrs_at(
        &mut self,
        dir: BorrowedFd<'_>,
        name: &[u8],
        m: &Member,
        io: &mut Msgs<'_, '_>,
        link: bool,
    ) {
        if self.same_owner {
            let (uid, gid) = self.ids(m);
            let r = fchownat(
                dir,
                name,
                Some(Uid::from_raw(uid)),
                Some(Gid::from_raw(gid)),
                nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
            );
            if let Err(e) = r {
                let what = format!("Cannot change ownership to uid {uid}, gid {gid}");
                report(io, &m.name, what.as_bytes(), &errno(e));
            }
        }
        if !link {
            let mode = self.perm(m);
            let r = nix::sys::stat::fchmodat(
                dir,
                name,
                Mode::from_bits_truncate(mode),
                nix::sys::stat::FchmodatFlags::FollowSymlink,
            );
            // FollowSymlink is safe here: the entry was just made by mknodat, not a link.
            if let Err(e) = r {
                report(io, &m.name, b"Cannot change mode", &errno(e));
            }
        }
        let (a, t) = self.times(m);
        if let Err(e) = utimensat(dir, name, &a, &t, UtimensatFlags::NoFollowSymlink) {
            report(io, &m.name, b"Cannot utime", &errno(e));
        }
    }

    /// Sets the delayed directories' modes and times, deepest first.
    fn finish_dirs(&mut self, io: &mut Msgs<'_, '_>) {
        let dirs = std::mem::take(&mut self.dirs);
        for d in dirs.iter().rev() {
            let Ok(parent) = self.target.parent(&d.comps, false) else {
                continue;
            };
            let leaf = d.comps.last().cloned().unwrap_or_default();
            if let Ok(fd) = safe::open_dir_nofollow(parent.as_fd(), &leaf) {
                self.attrs_fd(fd.as_fd(), &d.m, io);
            }
        }
    }
}

type AtFlags0 = nix::fcntl::AtFlags;
