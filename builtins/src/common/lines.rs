//! Fast record reading for the text applets: records (lines ending in `\n`, or NUL for
//! `-z`) as `&[u8]` slices straight out of the reader's buffer, with no allocation per
//! record; a record that straddles two buffer fills is gathered in one reused `Vec`.
//! The last record may lack its terminator. Only the bytes of records handed out are
//! consumed from the underlying `BufRead`, so an applet that stops early on stdin (head)
//! leaves the rest for `Input::finish` to give back.
//!
//! Also: [`Source`], an operand opened for reading (`-` is standard input), [`open`],
//! which opens a file operand, and [`LineInput`], an operand read a line at a time beside
//! others (comm, join, paste).

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::ffi::OsStrExt;

use crate::ctx::Input;

/// The buffer size used for file operands.
pub const BUF_SIZE: usize = 128 * 1024;

/// Reads records ending in `delim` from a `BufRead`.
pub struct Records<'r> {
    src: &'r mut dyn BufRead,
    delim: u8,
    /// Bytes of the last record handed out that still sit in `src`'s buffer.
    pending: usize,
    /// The record being gathered across buffer fills.
    long: Vec<u8>,
}

impl<'r> Records<'r> {
    /// Records of `src` ending in `delim` (`b'\n'`, or `0` for `-z`).
    pub fn new(src: &'r mut dyn BufRead, delim: u8) -> Records<'r> {
        Records {
            src,
            delim,
            pending: 0,
            long: Vec::new(),
        }
    }

    /// The terminator this reader splits on.
    pub fn delim(&self) -> u8 {
        self.delim
    }

    /// The next record, with its terminator when it has one (only the last record of the
    /// input may lack it); `None` at the end of input.
    pub fn next_record(&mut self) -> io::Result<Option<&[u8]>> {
        self.src.consume(self.pending);
        self.pending = 0;
        self.long.clear();
        loop {
            let (found, len) = {
                let avail = fill(self.src)?;
                if avail.is_empty() {
                    return Ok(if self.long.is_empty() {
                        None
                    } else {
                        Some(&self.long)
                    });
                }
                (memchr::memchr(self.delim, avail), avail.len())
            };
            match found {
                Some(i) if self.long.is_empty() => {
                    // The usual case: the whole record is in the buffer.
                    self.pending = i + 1;
                    let avail = fill(self.src)?;
                    return Ok(avail.get(..=i));
                }
                Some(i) => {
                    let avail = fill(self.src)?;
                    self.long
                        .extend_from_slice(avail.get(..=i).unwrap_or_default());
                    self.src.consume(i + 1);
                    return Ok(Some(&self.long));
                }
                None => {
                    let avail = fill(self.src)?;
                    self.long.extend_from_slice(avail);
                    self.src.consume(len);
                }
            }
        }
    }

    /// Marks the last record consumed, leaving the reader just past the records handed
    /// out (dropping does the same).
    pub fn finish(&mut self) {
        self.src.consume(self.pending);
        self.pending = 0;
    }
}

impl Drop for Records<'_> {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `fill_buf`, retrying on EINTR.
fn fill(src: &mut dyn BufRead) -> io::Result<&[u8]> {
    loop {
        match src.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(_) => break,
        }
    }
    src.fill_buf()
}

/// `rec` without its terminator `delim`, if it ends with one.
pub fn chomp(rec: &[u8], delim: u8) -> &[u8] {
    match rec.split_last() {
        Some((&last, body)) if last == delim => body,
        _ => rec,
    }
}

/// Opens the file operand `name` for reading.
pub fn open(name: &[u8]) -> io::Result<File> {
    File::open(OsStr::from_bytes(name))
}

/// An input operand: standard input (`-`) or an open file behind a large buffer.
pub enum Source<'s, 'a> {
    /// Standard input, through the context's buffer.
    Stdin(&'s mut Input<'a>),
    /// A file operand.
    File(BufReader<File>),
}

impl<'s, 'a> Source<'s, 'a> {
    /// Opens `name` (`-` is `stdin`).
    pub fn open(stdin: &'s mut Input<'a>, name: &[u8]) -> io::Result<Source<'s, 'a>> {
        if name == b"-" {
            Ok(Source::Stdin(stdin))
        } else {
            Ok(Source::File(BufReader::with_capacity(
                BUF_SIZE,
                open(name)?,
            )))
        }
    }

    /// The reader, as a trait object.
    pub fn reader(&mut self) -> &mut dyn BufRead {
        match self {
            Source::Stdin(s) => *s,
            Source::File(f) => f,
        }
    }

    /// Whether this is standard input.
    pub fn is_stdin(&self) -> bool {
        matches!(self, Source::Stdin(_))
    }
}

/// An operand read one line at a time alongside other operands (comm, join, paste):
/// standard input (read through the context's buffer, passed to each call) or a file.
pub enum LineInput {
    /// Standard input.
    Stdin,
    /// A file operand behind a large buffer.
    File(BufReader<File>),
    /// An input that reached its end (it is not read again).
    Done,
}

impl LineInput {
    /// Opens the operand `name` (`-` is standard input).
    pub fn open(name: &[u8]) -> io::Result<LineInput> {
        if name == b"-" {
            Ok(LineInput::Stdin)
        } else {
            Ok(LineInput::File(BufReader::with_capacity(
                BUF_SIZE,
                open(name)?,
            )))
        }
    }

    /// Reads the next line into `buf` without its terminator `term`; false at the end.
    pub fn read_line(
        &mut self,
        stdin: &mut dyn BufRead,
        buf: &mut Vec<u8>,
        term: u8,
    ) -> io::Result<bool> {
        buf.clear();
        let n = match self {
            LineInput::Stdin => stdin.read_until(term, buf)?,
            LineInput::File(f) => f.read_until(term, buf)?,
            LineInput::Done => return Ok(false),
        };
        if n == 0 {
            *self = LineInput::Done;
            return Ok(false);
        }
        let len = chomp(buf, term).len();
        buf.truncate(len);
        Ok(true)
    }
}

/// Reads all of `src` into `buf` (appending), in large steps.
pub fn read_all(src: &mut dyn Read, buf: &mut Vec<u8>) -> io::Result<()> {
    loop {
        if buf.capacity() - buf.len() < BUF_SIZE {
            buf.reserve(BUF_SIZE.max(buf.len() / 2));
        }
        let start = buf.len();
        let room = buf.capacity() - start;
        buf.resize(start + room, 0);
        let r = src.read(buf.get_mut(start..).unwrap_or_default());
        match r {
            Ok(0) => {
                buf.truncate(start);
                return Ok(());
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(data: &[u8], delim: u8, cap: usize) -> Vec<Vec<u8>> {
        let mut r = BufReader::with_capacity(cap, data);
        let mut recs = Records::new(&mut r, delim);
        let mut out = Vec::new();
        while let Some(rec) = recs.next_record().unwrap() {
            out.push(rec.to_vec());
        }
        out
    }

    #[test]
    fn splits_lines_and_keeps_terminators() {
        for cap in [1, 2, 3, 5, 64] {
            assert_eq!(
                collect(b"a\nbb\n\nccc", b'\n', cap),
                vec![
                    b"a\n".to_vec(),
                    b"bb\n".to_vec(),
                    b"\n".to_vec(),
                    b"ccc".to_vec()
                ],
                "cap {cap}"
            );
            assert_eq!(collect(b"", b'\n', cap), Vec::<Vec<u8>>::new());
            assert_eq!(
                collect(b"x\0y\n\0", 0, cap),
                vec![b"x\0".to_vec(), b"y\n\0".to_vec()]
            );
        }
    }

    #[test]
    fn long_records_cross_buffers() {
        let mut data = vec![b'x'; 300_000];
        data.push(b'\n');
        data.extend_from_slice(b"short\n");
        let recs = collect(&data, b'\n', 1000);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].len(), 300_001);
        assert_eq!(recs[1], b"short\n");
    }

    #[test]
    fn consumes_only_what_was_handed_out() {
        let data = b"one\ntwo\nthree\n";
        let mut r = BufReader::with_capacity(64, &data[..]);
        {
            let mut recs = Records::new(&mut r, b'\n');
            assert_eq!(recs.next_record().unwrap(), Some(&b"one\n"[..]));
        }
        assert_eq!(r.fill_buf().unwrap(), b"two\nthree\n");
    }

    #[test]
    fn chomp_drops_one_terminator() {
        assert_eq!(chomp(b"a\n", b'\n'), b"a");
        assert_eq!(chomp(b"a", b'\n'), b"a");
        assert_eq!(chomp(b"", b'\n'), b"");
        assert_eq!(chomp(b"a\0", 0), b"a");
    }

    #[test]
    fn line_input_reads_stdin_then_stops() {
        let mut stdin = &b"a\nb"[..];
        let mut inp = LineInput::open(b"-").unwrap();
        let mut buf = Vec::new();
        assert!(inp.read_line(&mut stdin, &mut buf, b'\n').unwrap());
        assert_eq!(buf, b"a");
        assert!(inp.read_line(&mut stdin, &mut buf, b'\n').unwrap());
        assert_eq!(buf, b"b");
        assert!(!inp.read_line(&mut stdin, &mut buf, b'\n').unwrap());
        assert!(matches!(inp, LineInput::Done));
        assert!(LineInput::open(b"/nonexistent/x").is_err());
    }

    #[test]
    fn read_all_appends() {
        let mut v = b"x".to_vec();
        read_all(&mut &b"yz"[..], &mut v).unwrap();
        assert_eq!(v, b"xyz");
    }
}
