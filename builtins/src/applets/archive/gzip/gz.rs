//! The gzip container (RFC 1952) around raw deflate from `miniz_oxide`: CRC-32, the member
//! header (name, mtime), multi-member input, trailing garbage. Shared by gzip, gunzip,
//! zcat and `tar -z`.

use std::io::{self, BufRead, Write};

use miniz_oxide::deflate::core::{CompressorOxide, create_comp_flags_from_zip_params};
use miniz_oxide::inflate::stream::InflateState;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

const fn crc_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CRC_TABLE: [u32; 256] = crc_table();

/// Extends the CRC-32 (IEEE, as gzip uses it) `crc` over `data`; start from 0.
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

const FTEXT: u8 = 1;
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;

/// Why gzip data could not be decoded, in GNU gzip's words.
#[derive(Debug)]
pub enum GzError {
    /// The input does not start with the gzip magic.
    NotGzip,
    /// A compression method other than deflate.
    Method(u8),
    /// Reserved header flags set.
    Flags(u8),
    /// The deflate data is corrupt.
    Format,
    /// The CRC in the trailer does not match.
    Crc,
    /// The length in the trailer does not match.
    Length,
    /// The input ended inside a member.
    Eof,
    /// Reading the input failed.
    Io(io::Error),
}

impl GzError {
    /// The message after `gzip: NAME: `.
    pub fn text(&self) -> String {
        match self {
            GzError::NotGzip => "not in gzip format".into(),
            GzError::Method(m) => format!("unknown method {m} -- not supported"),
            GzError::Flags(f) => format!("has flags 0x{f:x} -- not supported"),
            GzError::Format => "invalid compressed data--format violated".into(),
            GzError::Crc => "invalid compressed data--crc error".into(),
            GzError::Length => "invalid compressed data--length error".into(),
            GzError::Eof => "unexpected end of file".into(),
            GzError::Io(e) => crate::error::strerror(e),
        }
    }
}

impl From<io::Error> for GzError {
    fn from(e: io::Error) -> GzError {
        GzError::Io(e)
    }
}

impl From<GzError> for io::Error {
    fn from(e: GzError) -> io::Error {
        match e {
            GzError::Io(e) => e,
            other => io::Error::other(other.text()),
        }
    }
}

/// What a member header said.
#[derive(Clone, Debug, Default)]
pub struct GzHeader {
    /// The original file name (FNAME), if stored.
    pub name: Option<Vec<u8>>,
    /// The modification time (0: none stored).
    pub mtime: u32,
    /// The header's length in bytes.
    pub len: u64,
}

fn byte(inp: &mut dyn BufRead) -> Result<Option<u8>, GzError> {
    let b = loop {
        match inp.fill_buf() {
            Ok(buf) => break buf.first().copied(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    };
    if b.is_some() {
        inp.consume(1);
    }
    Ok(b)
}

fn need(inp: &mut dyn BufRead) -> Result<u8, GzError> {
    byte(inp)?.ok_or(GzError::Eof)
}

fn le32(inp: &mut dyn BufRead) -> Result<u32, GzError> {
    let mut v = 0u32;
    for i in 0..4 {
        v |= u32::from(need(inp)?) << (8 * i);
    }
    Ok(v)
}

/// Reads the rest of a member header once its two magic bytes were consumed.
fn header_after_magic(inp: &mut dyn BufRead) -> Result<GzHeader, GzError> {
    let method = need(inp)?;
    if method != 8 {
        return Err(GzError::Method(method));
    }
    let flags = need(inp)?;
    if flags & !(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT) != 0 {
        return Err(GzError::Flags(flags));
    }
    let mtime = le32(inp)?;
    let _xfl = need(inp)?;
    let _os = need(inp)?;
    let mut len = 10u64;
    if flags & FEXTRA != 0 {
        let n = usize::from(need(inp)?) | usize::from(need(inp)?) << 8;
        for _ in 0..n {
            need(inp)?;
        }
        len += 2 + n as u64;
    }
    let mut name = None;
    if flags & FNAME != 0 {
        let mut v = Vec::new();
        loop {
            match need(inp)? {
                0 => break,
                b => v.push(b),
            }
        }
        len += v.len() as u64 + 1;
        name = Some(v);
    }
    if flags & FCOMMENT != 0 {
        while need(inp)? != 0 {
            len += 1;
        }
        len += 1;
    }
    if flags & FHCRC != 0 {
        need(inp)?;
        need(inp)?;
        len += 2;
    }
    Ok(GzHeader { name, mtime, len })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Body,
    Between,
    Done,
}

/// A streaming gzip decoder over any `BufRead`: every member in turn, then the end.
pub struct Decoder {
    state: Box<InflateState>,
    phase: Phase,
    crc: u32,
    size: u32,
    /// The first member's header, once read.
    pub header: Option<GzHeader>,
    /// Set when bytes that are not a gzip member followed the last member.
    pub trailing_garbage: bool,
    /// Compressed bytes consumed so far (header, data and trailer of every member).
    pub total_in: u64,
    /// Decompressed bytes produced so far.
    pub total_out: u64,
}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder::new()
    }
}

impl Decoder {
    /// A decoder before the first header.
    pub fn new() -> Decoder {
        Decoder {
            state: InflateState::new_boxed(DataFormat::Raw),
            phase: Phase::Start,
            crc: 0,
            size: 0,
            header: None,
            trailing_garbage: false,
            total_in: 0,
            total_out: 0,
        }
    }

    /// Reads the first member's header (if not read yet) and returns it.
    pub fn read_header(&mut self, inp: &mut dyn BufRead) -> Result<&GzHeader, GzError> {
        if self.phase == Phase::Start {
            let m1 = byte(inp)?;
            if m1.is_none() {
                return Err(GzError::Eof);
            }
            let m2 = byte(inp)?;
            if m1 != Some(0x1f) || m2 != Some(0x8b) {
                return Err(if m2.is_none() && m1 == Some(0x1f) {
                    GzError::Eof
                } else {
                    GzError::NotGzip
                });
            }
            let h = header_after_magic(inp)?;
            self.total_in += h.len;
            self.header = Some(h);
            self.phase = Phase::Body;
        }
        self.header.as_ref().ok_or(GzError::Eof)
    }

    /// Decodes into `out`; 0 means the end of the last member.
    pub fn read(&mut self, inp: &mut dyn BufRead, out: &mut [u8]) -> Result<usize, GzError> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            match self.phase {
                Phase::Done => return Ok(0),
                Phase::Start => {
                    self.read_header(inp)?;
                }
                Phase::Between => self.next_member(inp)?,
                Phase::Body => {
                    let n = self.inflate(inp, out)?;
                    if n > 0 {
                        return Ok(n);
                    }
                }
            }
        }
    }

    /// After a member's trailer: another member, zero padding, garbage, or the end.
    fn next_member(&mut self, inp: &mut dyn BufRead) -> Result<(), GzError> {
        let Some(m1) = byte(inp)? else {
            self.phase = Phase::Done;
            return Ok(());
        };
        if m1 == 0x1f {
            let m2 = byte(inp)?;
            if m2 == Some(0x8b) {
                let h = header_after_magic(inp)?;
                self.total_in += h.len;
                self.state.reset(DataFormat::Raw);
                self.crc = 0;
                self.size = 0;
                self.phase = Phase::Body;
                return Ok(());
            }
        }
        // Trailing bytes: zeros are padding (silently ignored, as GNU does); anything else
        // is garbage, reported once. Either way the rest is read and dropped.
        let mut garbage = m1 != 0;
        loop {
            let buf = inp.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            garbage |= buf.iter().any(|&b| b != 0);
            let n = buf.len();
            inp.consume(n);
        }
        self.trailing_garbage = garbage;
        self.phase = Phase::Done;
        Ok(())
    }

    fn inflate(&mut self, inp: &mut dyn BufRead, out: &mut [u8]) -> Result<usize, GzError> {
        let mut stalls = 0;
        loop {
            let buf = inp.fill_buf()?;
            let at_eof = buf.is_empty();
            let r = miniz_oxide::inflate::stream::inflate(&mut self.state, buf, out, MZFlush::None);
            inp.consume(r.bytes_consumed);
            self.total_in += r.bytes_consumed as u64;
            let produced = out.get(..r.bytes_written).unwrap_or_default();
            self.crc = crc32(self.crc, produced);
            self.size = self.size.wrapping_add(r.bytes_written as u32);
            self.total_out += r.bytes_written as u64;
            match r.status {
                Ok(MZStatus::StreamEnd) => {
                    let crc = le32(inp)?;
                    let size = le32(inp)?;
                    self.total_in += 8;
                    if crc != self.crc {
                        return Err(GzError::Crc);
                    }
                    if size != self.size {
                        return Err(GzError::Length);
                    }
                    self.phase = Phase::Between;
                    return Ok(r.bytes_written);
                }
                Ok(_) | Err(MZError::Buf) => {
                    if r.bytes_written > 0 {
                        return Ok(r.bytes_written);
                    }
                    if r.bytes_consumed == 0 {
                        if at_eof {
                            return Err(GzError::Eof);
                        }
                        stalls += 1;
                        if stalls > 2 {
                            return Err(GzError::Format);
                        }
                    }
                }
                Err(_) => return Err(GzError::Format),
            }
        }
    }
}

/// A decoder and its input together, as an `io::Read` (for `tar -z`).
pub struct GzReader<R: BufRead> {
    inner: R,
    dec: Decoder,
}

impl<R: BufRead> GzReader<R> {
    /// Decodes `inner`.
    pub fn new(inner: R) -> GzReader<R> {
        GzReader {
            inner,
            dec: Decoder::new(),
        }
    }
}

/// A decoding failure carried inside an `io::Error` by [`GzReader`], so `tar -z` can
/// report it as GNU tar reports its gzip child's.
#[derive(Debug)]
pub struct GzFailure(pub String);

impl std::fmt::Display for GzFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GzFailure {}

impl<R: BufRead> io::Read for GzReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self.dec.read(&mut self.inner, out) {
            Ok(n) => Ok(n),
            Err(GzError::Io(e)) => Err(e),
            Err(e) => Err(io::Error::other(GzFailure(e.text()))),
        }
    }
}

/// A streaming gzip encoder writing one member to `W`.
pub struct Encoder<W: Write> {
    out: W,
    comp: Box<CompressorOxide>,
    crc: u32,
    size: u32,
    buf: Vec<u8>,
    /// Compressed bytes written (header, data, trailer).
    pub total_out: u64,
    /// The header's length.
    pub header_len: u64,
}

impl<W: Write> Encoder<W> {
    /// Writes the header (with `name` and `mtime` when given) and starts a member
    /// compressed at `level` (1 to 9).
    pub fn new(mut out: W, level: u8, name: Option<&[u8]>, mtime: u32) -> io::Result<Encoder<W>> {
        let xfl = match level {
            9 => 2,
            1 => 4,
            _ => 0,
        };
        let mut h = vec![0x1f, 0x8b, 8, 0];
        h.extend_from_slice(&mtime.to_le_bytes());
        h.push(xfl);
        h.push(3);
        if let Some(n) = name {
            h[3] = FNAME;
            h.extend(n.iter().copied().filter(|&b| b != 0));
            h.push(0);
        }
        out.write_all(&h)?;
        let flags = create_comp_flags_from_zip_params(i32::from(level), -15, 0);
        Ok(Encoder {
            out,
            comp: Box::new(CompressorOxide::new(flags)),
            crc: 0,
            size: 0,
            buf: vec![0; 64 * 1024],
            total_out: h.len() as u64,
            header_len: h.len() as u64,
        })
    }

    fn pump(&mut self, mut data: &[u8], flush: MZFlush) -> io::Result<()> {
        loop {
            let r =
                miniz_oxide::deflate::stream::deflate(&mut self.comp, data, &mut self.buf, flush);
            let written = self.buf.get(..r.bytes_written).unwrap_or_default();
            self.out.write_all(written)?;
            self.total_out += r.bytes_written as u64;
            data = data.get(r.bytes_consumed..).unwrap_or_default();
            match r.status {
                Ok(MZStatus::StreamEnd) => return Ok(()),
                Ok(_) => {
                    if flush != MZFlush::Finish
                        && data.is_empty()
                        && r.bytes_written < self.buf.len()
                    {
                        return Ok(());
                    }
                }
                Err(MZError::Buf) if flush != MZFlush::Finish => return Ok(()),
                Err(_) => return Err(io::Error::other("compression failed")),
            }
        }
    }

    /// The writer underneath.
    pub fn inner_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Ends the member: the rest of the deflate data and the trailer. Returns the writer
    /// and the member's compressed size.
    pub fn finish(mut self) -> io::Result<(W, u64)> {
        self.pump(&[], MZFlush::Finish)?;
        let mut t = self.crc.to_le_bytes().to_vec();
        t.extend_from_slice(&self.size.to_le_bytes());
        self.out.write_all(&t)?;
        self.total_out += 8;
        self.out.flush()?;
        Ok((self.out, self.total_out))
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        self.crc = crc32(self.crc, data);
        self.size = self.size.wrapping_add(data.len() as u32);
        self.pump(data, MZFlush::None)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gz(data: &[u8], name: Option<&[u8]>) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new(), 6, name, 1234).unwrap();
        e.write_all(data).unwrap();
        e.finish().unwrap().0
    }

    fn gunzip(data: &[u8]) -> Result<(Vec<u8>, bool), GzError> {
        let mut d = Decoder::new();
        let mut inp = data;
        let mut out = Vec::new();
        let mut buf = [0u8; 100];
        loop {
            let n = d.read(&mut inp, &mut buf)?;
            if n == 0 {
                return Ok((out, d.trailing_garbage));
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn crc_matches_the_check_value() {
        assert_eq!(crc32(0, b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(crc32(0, b"1234"), b"56789"), 0xcbf4_3926);
    }

    #[test]
    fn round_trip_single_and_multi_member() {
        let data: Vec<u8> = (0..200_000u32)
            .map(|i| (i % 251) as u8 ^ (i / 7) as u8)
            .collect();
        let g = gz(&data, Some(b"f"));
        assert_eq!(gunzip(&g).unwrap().0, data);
        let mut two = gz(b"one\n", None);
        two.extend(gz(b"two\n", None));
        assert_eq!(gunzip(&two).unwrap(), (b"one\ntwo\n".to_vec(), false));
        let mut d = Decoder::new();
        let h = d.read_header(&mut &g[..]).unwrap();
        assert_eq!((h.name.as_deref(), h.mtime), (Some(&b"f"[..]), 1234));
    }

    #[test]
    fn trailing_zeros_and_garbage() {
        let mut g = gz(b"x", None);
        g.extend([0u8; 30]);
        assert_eq!(gunzip(&g).unwrap(), (b"x".to_vec(), false));
        g.extend(b"junk");
        assert_eq!(gunzip(&g).unwrap(), (b"x".to_vec(), true));
    }

    #[test]
    fn corrupt_and_truncated_inputs_are_errors() {
        let g = gz(b"hello hello hello\n", Some(b"n"));
        assert!(matches!(gunzip(b"junk"), Err(GzError::NotGzip)));
        assert!(matches!(gunzip(b""), Err(GzError::Eof)));
        for cut in 0..g.len() {
            assert!(gunzip(&g[..cut]).is_err(), "cut at {cut}");
        }
        let mut c = g.clone();
        let n = c.len();
        c[n - 6] ^= 1;
        assert!(matches!(gunzip(&c), Err(GzError::Crc)));
        let mut c = g.clone();
        c[n - 2] ^= 1;
        assert!(matches!(gunzip(&c), Err(GzError::Length)));
        // Every single-byte corruption ends in a result, never a panic or a hang.
        for i in 0..g.len() {
            for bit in [1u8, 0x80] {
                let mut c = g.clone();
                c[i] ^= bit;
                let _ = gunzip(&c);
            }
        }
    }
}
