//! Tar headers: the 512-byte block of v7, ustar and GNU tar, parsed with every field
//! bounds-checked (octal and base-256 numbers, both checksum conventions), pax extended
//! records, and the writer's side (ustar prefix split, GNU `././@LongLink` entries).

/// The tar block size.
pub const BLOCK: usize = 512;

/// What a member is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A regular file (`0`, NUL, `7`).
    File,
    /// A hard link to an earlier member (`1`).
    Hard,
    /// A symbolic link (`2`).
    Symlink,
    /// A character device (`3`).
    Char,
    /// A block device (`4`).
    Block,
    /// A directory (`5`).
    Dir,
    /// A FIFO (`6`).
    Fifo,
    /// Any other type flag, extracted as a regular file as GNU does.
    Other(u8),
}

impl Kind {
    fn from_flag(flag: u8) -> Kind {
        match flag {
            b'0' | 0 | b'7' => Kind::File,
            b'1' => Kind::Hard,
            b'2' => Kind::Symlink,
            b'3' => Kind::Char,
            b'4' => Kind::Block,
            b'5' => Kind::Dir,
            b'6' => Kind::Fifo,
            other => Kind::Other(other),
        }
    }

    /// The type flag written for this kind.
    pub fn flag(self) -> u8 {
        match self {
            Kind::File => b'0',
            Kind::Hard => b'1',
            Kind::Symlink => b'2',
            Kind::Char => b'3',
            Kind::Block => b'4',
            Kind::Dir => b'5',
            Kind::Fifo => b'6',
            Kind::Other(f) => f,
        }
    }

    /// The `st_mode` file type bits, for the `ls -l` style mode string.
    pub fn ifmt(self) -> u32 {
        match self {
            Kind::File | Kind::Hard | Kind::Other(_) => libc::S_IFREG,
            Kind::Symlink => libc::S_IFLNK,
            Kind::Char => libc::S_IFCHR,
            Kind::Block => libc::S_IFBLK,
            Kind::Dir => libc::S_IFDIR,
            Kind::Fifo => libc::S_IFIFO,
        }
    }

    /// Whether the member's size counts data blocks that follow the header.
    pub fn has_data(self) -> bool {
        matches!(self, Kind::File | Kind::Other(_))
    }
}

/// One archive member, as read or to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The name, bytes as stored.
    pub name: Vec<u8>,
    /// The link target (symlinks and hard links).
    pub link: Vec<u8>,
    /// The permission bits (`07777`).
    pub mode: u32,
    /// Owner and group ids.
    pub uid: u64,
    /// Owner and group ids.
    pub gid: u64,
    /// Owner and group names (may be empty).
    pub uname: Vec<u8>,
    /// Owner and group names (may be empty).
    pub gname: Vec<u8>,
    /// The data size in bytes.
    pub size: u64,
    /// The modification time, seconds and nanoseconds.
    pub mtime: i64,
    /// The modification time, seconds and nanoseconds.
    pub mtime_ns: u32,
    /// The member type.
    pub kind: Kind,
    /// Device numbers for character and block devices.
    pub major: u32,
    /// Device numbers for character and block devices.
    pub minor: u32,
}

impl Member {
    /// An empty regular-file member called `name`.
    pub fn new(name: Vec<u8>, kind: Kind) -> Member {
        Member {
            name,
            link: Vec::new(),
            mode: 0o644,
            uid: 0,
            gid: 0,
            uname: Vec::new(),
            gname: Vec::new(),
            size: 0,
            mtime: 0,
            mtime_ns: 0,
            kind,
            major: 0,
            minor: 0,
        }
    }
}

/// The bytes of `field` up to its first NUL.
pub fn cstr(field: &[u8]) -> &[u8] {
    match field.iter().position(|&b| b == 0) {
        Some(n) => field.get(..n).unwrap_or_default(),
        None => field,
    }
}

fn field(block: &[u8; BLOCK], at: usize, len: usize) -> &[u8] {
    block.get(at..at + len).unwrap_or_default()
}

/// A signed number field: octal (leading spaces, ended by NUL or space; empty is 0), or
/// GNU's base-256 (first byte 0x80 positive, 0xff negative). `None` when malformed or out
/// of range.
pub fn number(f: &[u8]) -> Option<i64> {
    let first = *f.first()?;
    if first & 0x80 != 0 {
        // Big-endian two's complement with the top bit as the marker: 0x80.. positive,
        // 0xff.. negative.
        let mut v: i128 = if first & 0x40 != 0 {
            i128::from(first as i8)
        } else {
            i128::from(first & 0x7f)
        };
        for &b in f.get(1..).unwrap_or_default() {
            v = (v << 8) | i128::from(b);
            if v > i128::from(i64::MAX) || v < i128::from(i64::MIN) {
                return None;
            }
        }
        return i64::try_from(v).ok();
    }
    let mut it = f.iter().copied().skip_while(|&b| b == b' ').peekable();
    let mut v: i64 = 0;
    while let Some(&b) = it.peek() {
        match b {
            b'0'..=b'7' => {
                v = v.checked_mul(8)?.checked_add(i64::from(b - b'0'))?;
                it.next();
            }
            0 | b' ' => break,
            _ => return None,
        }
    }
    // Only NULs and spaces may follow.
    if it.any(|b| b != 0 && b != b' ') {
        return None;
    }
    Some(v)
}

fn unsigned(f: &[u8]) -> Option<u64> {
    u64::try_from(number(f)?).ok()
}

/// Whether the checksum field matches the block (unsigned or historic signed sum).
pub fn checksum_ok(block: &[u8; BLOCK]) -> bool {
    let Some(want) = number(field(block, 148, 8)) else {
        return false;
    };
    let mut unsigned_sum: i64 = 0;
    let mut signed_sum: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned_sum += i64::from(b);
        signed_sum += i64::from(b as i8);
    }
    want == unsigned_sum || want == signed_sum
}

/// What the header's magic says about its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Old v7 tar: no magic.
    V7,
    /// POSIX ustar (`ustar\0` `00`): name = prefix/name.
    Ustar,
    /// GNU (`ustar  \0`): no prefix field.
    Gnu,
}

/// The header block as raw fields; `None` when a number field is malformed.
pub struct Raw {
    /// The member built from the block alone.
    pub member: Member,
    /// The type flag byte.
    pub flag: u8,
}

/// Parses one header block whose checksum was already verified.
pub fn parse(block: &[u8; BLOCK]) -> Option<Raw> {
    let magic = field(block, 257, 8);
    let format = if magic == b"ustar  \0" {
        Format::Gnu
    } else if magic.starts_with(b"ustar\0") {
        Format::Ustar
    } else {
        Format::V7
    };
    let flag = block[156];
    let mut name = cstr(field(block, 0, 100)).to_vec();
    if format == Format::Ustar {
        let prefix = cstr(field(block, 345, 155));
        if !prefix.is_empty() {
            let mut full = prefix.to_vec();
            full.push(b'/');
            full.extend_from_slice(&name);
            name = full;
        }
    }
    let mut kind = Kind::from_flag(flag);
    if format == Format::V7 && kind == Kind::File && name.ends_with(b"/") {
        kind = Kind::Dir;
    }
    let dev = |at| -> Option<u32> {
        if format == Format::V7 {
            return Some(0);
        }
        u32::try_from(unsigned(field(block, at, 8))?).ok()
    };
    let (uname, gname) = if format == Format::V7 {
        (Vec::new(), Vec::new())
    } else {
        (
            cstr(field(block, 265, 32)).to_vec(),
            cstr(field(block, 297, 32)).to_vec(),
        )
    };
    let is_dev = matches!(kind, Kind::Char | Kind::Block);
    let member = Member {
        name,
        link: cstr(field(block, 157, 100)).to_vec(),
        mode: (unsigned(field(block, 100, 8))? & 0o7777) as u32,
        uid: unsigned(field(block, 108, 8))?,
        gid: unsigned(field(block, 116, 8))?,
        uname,
        gname,
        size: unsigned(field(block, 124, 12))?,
        mtime: number(field(block, 136, 12))?,
        mtime_ns: 0,
        kind,
        major: if is_dev {
            dev(329)?
        } else {
            dev(329).unwrap_or(0)
        },
        minor: if is_dev {
            dev(337)?
        } else {
            dev(337).unwrap_or(0)
        },
    };
    Some(Raw { member, flag })
}

/// The map of an old GNU sparse header (`S`) or of one of its extension blocks: up to
/// `count` (offset, size) pairs of 12-byte octal fields from byte `at`, ending at the
/// first empty one; `None` when a field is malformed.
pub fn old_sparse_map(block: &[u8; BLOCK], at: usize, count: usize) -> Option<Vec<(u64, u64)>> {
    let mut map = Vec::new();
    for k in 0..count {
        let off = field(block, at + k * 24, 12);
        if off.first().is_none_or(|&b| b == 0) {
            break;
        }
        map.push((
            unsigned(off)?,
            unsigned(field(block, at + k * 24 + 12, 12))?,
        ));
    }
    Some(map)
}

/// The real size of an old GNU sparse member and whether extension blocks follow.
pub fn old_sparse_header(block: &[u8; BLOCK]) -> Option<(u64, bool)> {
    Some((unsigned(field(block, 483, 12))?, block[482] != 0))
}

/// Pax extended header values that override the next member's header fields.
#[derive(Clone, Debug, Default)]
pub struct Pax {
    /// `path`.
    pub path: Option<Vec<u8>>,
    /// `linkpath`.
    pub linkpath: Option<Vec<u8>>,
    /// `size`.
    pub size: Option<u64>,
    /// `mtime`, seconds and nanoseconds.
    pub mtime: Option<(i64, u32)>,
    /// `uid`.
    pub uid: Option<u64>,
    /// `gid`.
    pub gid: Option<u64>,
    /// `uname`.
    pub uname: Option<Vec<u8>>,
    /// `gname`.
    pub gname: Option<Vec<u8>>,
    /// GNU sparse members: `GNU.sparse.size` (0.0, 0.1) or `GNU.sparse.realsize` (1.0).
    pub sparse_size: Option<u64>,
    /// `GNU.sparse.name` (0.1, 1.0): the member's real name.
    pub sparse_name: Option<Vec<u8>>,
    /// The map as offset, size, offset, size...: `GNU.sparse.offset`/`numbytes` pairs
    /// (0.0) or `GNU.sparse.map` (0.1).
    pub sparse_map: Vec<u64>,
    /// `GNU.sparse.major` (1 for 1.0, whose map starts the member's data).
    pub sparse_major: Option<u64>,
}

fn dec(v: &[u8]) -> Option<u64> {
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// A pax time: `[-]SECONDS[.FRACTION]`.
fn pax_time(v: &[u8]) -> Option<(i64, u32)> {
    let (neg, v) = match v.strip_prefix(b"-") {
        Some(r) => (true, r),
        None => (false, v),
    };
    let (secs, frac) = match v.iter().position(|&b| b == b'.') {
        Some(i) => (v.get(..i)?, v.get(i + 1..)?),
        None => (v, &b""[..]),
    };
    let s = i64::try_from(dec(secs)?).ok()?;
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut ns: u32 = 0;
    for i in 0..9 {
        ns = ns * 10 + frac.get(i).map_or(0, |d| u32::from(d - b'0'));
    }
    if neg {
        // -1.25 is 1.25 seconds before the epoch: -2 s + 0.75 s.
        if ns == 0 {
            Some((-s, 0))
        } else {
            Some((-s - 1, 1_000_000_000 - ns))
        }
    } else {
        Some((s, ns))
    }
}

impl Pax {
    /// Applies the records of an extended header's data (`LEN KEY=VALUE\n`...). Returns
    /// false when a record is malformed (the rest is then ignored).
    pub fn parse(&mut self, mut data: &[u8]) -> bool {
        while !data.is_empty() {
            if data.iter().all(|&b| b == 0) {
                return true;
            }
            let Some(sp) = data.iter().position(|&b| b == b' ') else {
                return false;
            };
            let Some(len) = data.get(..sp).and_then(dec) else {
                return false;
            };
            let Ok(len) = usize::try_from(len) else {
                return false;
            };
            if len <= sp + 1 || len > data.len() {
                return false;
            }
            let Some(rec) = data.get(sp + 1..len) else {
                return false;
            };
            data = data.get(len..).unwrap_or_default();
            let Some(rec) = rec.strip_suffix(b"\n") else {
                return false;
            };
            let Some(eq) = rec.iter().position(|&b| b == b'=') else {
                return false;
            };
            let (key, value) = (
                rec.get(..eq).unwrap_or_default(),
                rec.get(eq + 1..).unwrap_or_default(),
            );
            match key {
                b"path" => self.path = Some(value.to_vec()),
                b"linkpath" => self.linkpath = Some(value.to_vec()),
                b"size" => self.size = dec(value),
                b"mtime" => self.mtime = pax_time(value),
                b"uid" => self.uid = dec(value),
                b"gid" => self.gid = dec(value),
                b"uname" => self.uname = Some(value.to_vec()),
                b"gname" => self.gname = Some(value.to_vec()),
                b"GNU.sparse.size" | b"GNU.sparse.realsize" => self.sparse_size = dec(value),
                b"GNU.sparse.name" => self.sparse_name = Some(value.to_vec()),
                b"GNU.sparse.major" => self.sparse_major = dec(value),
                b"GNU.sparse.offset" | b"GNU.sparse.numbytes" => {
                    self.sparse_map.push(dec(value).unwrap_or(0));
                }
                b"GNU.sparse.map" => {
                    self.sparse_map = value
                        .split(|&b| b == b',')
                        .map(|n| dec(n).unwrap_or(0))
                        .collect();
                }
                _ => {}
            }
        }
        true
    }

    /// Overrides `m`'s fields with the values this header set.
    pub fn apply(&self, m: &mut Member) {
        if let Some(v) = &self.path {
            m.name.clone_from(v);
        }
        if let Some(v) = &self.sparse_name {
            m.name.clone_from(v);
        }
        if let Some(v) = &self.linkpath {
            m.link.clone_from(v);
        }
        if let Some(v) = self.size {
            m.size = v;
        }
        if let Some((s, ns)) = self.mtime {
            (m.mtime, m.mtime_ns) = (s, ns);
        }
        if let Some(v) = self.uid {
            m.uid = v;
        }
        if let Some(v) = self.gid {
            m.gid = v;
        }
        if let Some(v) = &self.uname {
            m.uname.clone_from(v);
        }
        if let Some(v) = &self.gname {
            m.gname.clone_from(v);
        }
    }
}

// ---- writing ----

/// Writes `v` into `f` as zero-padded octal with a NUL, or base-256 when it does not fit.
fn put_number(f: &mut [u8], v: i64) {
    let w = f.len();
    let digits = w - 1;
    let max = if digits >= 21 {
        i64::MAX
    } else {
        (1i64 << (3 * digits)) - 1
    };
    if (0..=max).contains(&v) {
        let s = format!("{v:0digits$o}");
        f[..digits].copy_from_slice(s.as_bytes());
        f[digits] = 0;
    } else {
        let mut x = v;
        for b in f.iter_mut().rev() {
            *b = (x & 0xff) as u8;
            x >>= 8;
        }
        if v < 0 {
            f[0] = 0xff;
        } else {
            f[0] = 0x80;
        }
    }
}

fn put_str(f: &mut [u8], s: &[u8]) {
    let n = s.len().min(f.len());
    f[..n].copy_from_slice(&s[..n]);
}

/// Where a name of more than 100 bytes can be split for ustar: (prefix, name).
fn ustar_split(name: &[u8]) -> Option<(&[u8], &[u8])> {
    if name.len() <= 100 {
        return Some((b"", name));
    }
    if name.len() > 256 {
        return None;
    }
    // The longest prefix that fits, so the name part is as short as possible.
    let lo = name.len().saturating_sub(101);
    (lo..name.len().min(156))
        .rev()
        .filter(|&i| name.get(i) == Some(&b'/'))
        .find(|&i| i > 0 && name.len() - i - 1 <= 100 && name.len() - i - 1 > 0)
        .map(|i| (&name[..i], &name[i + 1..]))
}

fn finish(block: &mut [u8; BLOCK]) {
    block[148..156].copy_from_slice(b"        ");
    let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
    let s = format!("{sum:06o}\0 ");
    block[148..156].copy_from_slice(s.as_bytes());
}

fn long_entry(out: &mut Vec<u8>, flag: u8, data: &[u8], gnu: bool) {
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], b"././@LongLink");
    put_number(&mut b[100..108], 0o644);
    put_number(&mut b[108..116], 0);
    put_number(&mut b[116..124], 0);
    put_number(&mut b[124..136], data.len() as i64 + 1);
    put_number(&mut b[136..148], 0);
    b[156] = flag;
    magic(&mut b, gnu);
    put_str(&mut b[265..297], b"root");
    put_str(&mut b[297..329], b"root");
    finish(&mut b);
    out.extend_from_slice(&b);
    out.extend_from_slice(data);
    out.push(0);
    pad(out);
}

fn magic(b: &mut [u8; BLOCK], gnu: bool) {
    if gnu {
        b[257..265].copy_from_slice(b"ustar  \0");
    } else {
        b[257..263].copy_from_slice(b"ustar\0");
        b[263..265].copy_from_slice(b"00");
    }
}

/// Pads `out` to a whole number of blocks with zeros.
pub fn pad(out: &mut Vec<u8>) {
    let rem = out.len() % BLOCK;
    if rem != 0 {
        out.resize(out.len() + BLOCK - rem, 0);
    }
}

/// The header blocks for `m`: `././@LongLink` entries first where the name or link does
/// not fit, then the header itself. `gnu` picks GNU's magic (and no prefix split).
pub fn build(m: &Member, gnu: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let (prefix, name): (&[u8], &[u8]) = if gnu {
        if m.name.len() > 100 {
            long_entry(&mut out, b'L', &m.name, gnu);
        }
        (b"", m.name.get(..m.name.len().min(100)).unwrap_or_default())
    } else {
        match ustar_split(&m.name) {
            Some(split) => split,
            None => {
                long_entry(&mut out, b'L', &m.name, gnu);
                (b"", m.name.get(..100).unwrap_or_default())
            }
        }
    };
    if m.link.len() > 100 {
        long_entry(&mut out, b'K', &m.link, gnu);
    }
    let mut b = [0u8; BLOCK];
    put_str(&mut b[0..100], name);
    put_number(&mut b[100..108], i64::from(m.mode & 0o7777));
    put_number(&mut b[108..116], i64::try_from(m.uid).unwrap_or(i64::MAX));
    put_number(&mut b[116..124], i64::try_from(m.gid).unwrap_or(i64::MAX));
    let size = if m.kind.has_data() { m.size } else { 0 };
    put_number(&mut b[124..136], i64::try_from(size).unwrap_or(i64::MAX));
    put_number(&mut b[136..148], m.mtime);
    b[156] = m.kind.flag();
    put_str(&mut b[157..257], &m.link);
    magic(&mut b, gnu);
    put_str(&mut b[265..297], &m.uname);
    put_str(&mut b[297..329], &m.gname);
    if matches!(m.kind, Kind::Char | Kind::Block) || !gnu {
        put_number(&mut b[329..337], i64::from(m.major));
        put_number(&mut b[337..345], i64::from(m.minor));
    }
    put_str(&mut b[345..500], prefix);
    finish(&mut b);
    out.extend_from_slice(&b);
    out
}

/// The header of an old GNU sparse member (`S`, as GNU tar `-S` writes it): `m` with
/// `m.size` the real size, `stored` the data bytes that follow (the chunks of `map`,
/// concatenated), the first four map entries in the header and the rest in extension
/// blocks of 21.
pub fn build_sparse(m: &Member, map: &[(u64, u64)], stored: u64) -> Vec<u8> {
    let mut head = m.clone();
    head.kind = Kind::Other(b'S');
    head.size = stored;
    let mut out = build(&head, true);
    let num = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let put_entries = |b: &mut [u8; BLOCK], at: usize, entries: &[(u64, u64)]| {
        for (k, &(off, len)) in entries.iter().enumerate() {
            put_number(&mut b[at + k * 24..at + k * 24 + 12], num(off));
            put_number(&mut b[at + k * 24 + 12..at + k * 24 + 24], num(len));
        }
    };
    let start = out.len() - BLOCK;
    let mut b = [0u8; BLOCK];
    b.copy_from_slice(&out[start..]);
    let (first, rest) = map.split_at(map.len().min(4));
    put_entries(&mut b, 386, first);
    b[482] = u8::from(!rest.is_empty());
    put_number(&mut b[483..495], num(m.size));
    finish(&mut b);
    out[start..].copy_from_slice(&b);
    let mut chunks = rest.chunks(21).peekable();
    while let Some(c) = chunks.next() {
        let mut ext = [0u8; BLOCK];
        put_entries(&mut ext, 0, c);
        ext[504] = u8::from(chunks.peek().is_some());
        out.extend_from_slice(&ext);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_octal_and_base256() {
        assert_eq!(number(b"0000644\0"), Some(0o644));
        assert_eq!(number(b"   644 \0"), Some(0o644));
        assert_eq!(number(b"\0\0\0\0"), Some(0));
        assert_eq!(number(b"12x4"), None);
        assert_eq!(number(b"9"), None);
        assert_eq!(number(b"77777777777777777777777"), None);
        let mut f = [0u8; 12];
        put_number(&mut f, 1 << 40);
        assert_eq!(f[0], 0x80);
        assert_eq!(number(&f), Some(1 << 40));
        put_number(&mut f, -5);
        assert_eq!(f[0], 0xff);
        assert_eq!(number(&f), Some(-5));
        assert_eq!(number(&[0x80; 12]), None);
        assert_eq!(number(&[0xff; 12]), Some(-1));
    }

    #[test]
    fn build_parse_round_trip_and_checksum() {
        let mut m = Member::new(b"dir/file".to_vec(), Kind::File);
        m.size = 12;
        m.mtime = 1_700_000_000;
        m.uname = b"root".to_vec();
        for gnu in [false, true] {
            let h = build(&m, gnu);
            let b: [u8; BLOCK] = h[..BLOCK].try_into().unwrap();
            assert!(checksum_ok(&b));
            let r = parse(&b).unwrap();
            assert_eq!(r.member, m);
        }
    }

    #[test]
    fn long_names_split_or_use_longlink() {
        let long: Vec<u8> = [&[b'a'; 120][..], b"/", &[b'b'; 90][..]].concat();
        let h = build(&Member::new(long.clone(), Kind::File), false);
        assert_eq!(h.len(), BLOCK, "fits the prefix split");
        let b: [u8; BLOCK] = h[..BLOCK].try_into().unwrap();
        assert_eq!(parse(&b).unwrap().member.name, long);
        let nosplit = vec![b'c'; 150];
        let h = build(&Member::new(nosplit, Kind::File), false);
        assert_eq!(h.len(), 3 * BLOCK);
        assert_eq!(h[156], b'L');
    }

    #[test]
    fn pax_records() {
        let mut p = Pax::default();
        assert!(p.parse(b"30 mtime=1700000000.123456789\n18 path=some/name\n"));
        assert_eq!(p.mtime, Some((1_700_000_000, 123_456_789)));
        assert_eq!(p.path.as_deref(), Some(&b"some/name"[..]));
        let mut p = Pax::default();
        assert!(p.parse(b"15 mtime=-1.25\n"));
        assert_eq!(p.mtime, Some((-2, 750_000_000)));
        for bad in [
            &b"99 path=x\n"[..],
            b"x path=y\n",
            b"5 a\n",
            b"3 \n",
            b"12 path=abc",
        ] {
            assert!(!Pax::default().parse(bad));
        }
    }
}
