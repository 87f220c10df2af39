//! Record input (RS as newline, one byte, paragraph mode or a regex) over large
//! buffers, and the open files and pipes of awk's redirections.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::rc::Rc;

use rbox_parser::regex::Regex;

use crate::common::fdio;
use crate::ctx::PipedChild;

use super::value::Str;

const BUF: usize = 128 * 1024;

/// How records end.
#[derive(Clone)]
pub enum RsMode {
    Byte(u8),
    /// RS = "": blank lines separate records, leading newlines are skipped.
    Para,
    Regex(Rc<Regex>),
}

/// Splits a byte stream into records; the stream is passed to each call.
#[derive(Default)]
pub struct RecReader {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl RecReader {
    pub fn new() -> RecReader {
        RecReader::default()
    }

    /// Reads more input; false at end of input.
    fn fill(&mut self, src: &mut dyn Read) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && (self.start == self.end || self.end == self.buf.len()) {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.buf.len() < BUF {
            self.buf.resize(BUF, 0);
        } else if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            let room = self.buf.get_mut(self.end..).unwrap_or_default();
            match src.read(room) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn avail(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }

    /// The next record (without its terminator) into `out` (cleared first); false at
    /// the end of input.
    pub fn read(&mut self, src: &mut dyn Read, rs: &RsMode, out: &mut Vec<u8>) -> io::Result<bool> {
        out.clear();
        match rs {
            RsMode::Byte(b) => {
                let mut scanned = 0;
                loop {
                    let hay = self.avail();
                    if let Some(i) = memchr::memchr(*b, hay.get(scanned..).unwrap_or_default()) {
                        let i = scanned + i;
                        out.extend_from_slice(hay.get(..i).unwrap_or_default());
                        self.start += i + 1;
                        return Ok(true);
                    }
                    scanned = hay.len();
                    if !self.fill(src)? {
                        let hay = self.avail();
                        if hay.is_empty() {
                            return Ok(false);
                        }
                        out.extend_from_slice(hay);
                        self.start = self.end;
                        return Ok(true);
                    }
                }
            }
            RsMode::Para => {
                loop {
                    while self.avail().first() == Some(&b'\n') {
                        self.start += 1;
                    }
                    if !self.avail().is_empty() {
                        break;
                    }
                    if !self.fill(src)? {
                        return Ok(false);
                    }
                }
                loop {
                    let hay = self.avail();
                    if let Some(p) = memchr::memmem::find(hay, b"\n\n") {
                        out.extend_from_slice(hay.get(..p).unwrap_or_default());
                        self.start += p + 2;
                        return Ok(true);
                    }
                    if !self.fill(src)? {
                        let hay = self.avail();
                        let mut rec = hay;
                        while let [rest @ .., b'\n'] = rec {
                            rec = rest;
                        }
                        out.extend_from_slice(rec);
                        self.start = self.end;
                        return Ok(true);
                    }
                }
            }
            RsMode::Regex(re) => loop {
                let hay = self.avail();
                let mut pos = 0;
                let mut found = None;
                while pos <= hay.len() {
                    match re.find_span_at(hay, pos) {
                        Some((a, b)) if b > a => {
                            found = Some((a, b));
                            break;
                        }
                        Some((a, _)) => pos = a + 1,
                        None => break,
                    }
                }
                match found {
                    // A match reaching the end of the data may grow with more input.
                    Some((a, b)) if b < hay.len() || self.eof => {
                        out.extend_from_slice(hay.get(..a).unwrap_or_default());
                        self.start += b;
                        return Ok(true);
                    }
                    _ => {
                        if !self.fill(src)? {
                            let hay = self.avail();
                            if let Some((a, b)) = found {
                                out.extend_from_slice(hay.get(..a).unwrap_or_default());
                                self.start += b;
                                return Ok(true);
                            }
                            if hay.is_empty() {
                                return Ok(false);
                            }
                            out.extend_from_slice(hay);
                            self.start = self.end;
                            return Ok(true);
                        }
                    }
                }
            },
        }
    }
}

/// Reads through a raw fd (a pipe from a child).
pub struct FdReader<'a>(pub &'a std::os::fd::OwnedFd);

impl Read for FdReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        fdio::read(self.0.as_raw_fd(), buf)
    }
}

/// Where an input redirection reads from.
pub enum InSrc {
    Stdin,
    File(File),
    Pipe(PipedChild),
}

/// An open `getline <file` or `cmd | getline` source.
pub struct InStream {
    pub name: Str,
    pub src: InSrc,
    pub reader: RecReader,
}

/// Where an output redirection writes.
pub enum OutKind {
    Stdout,
    Stderr,
    File(File),
    Pipe(PipedChild),
}

/// An open `> file`, `>> file` or `| cmd` destination, with its buffer.
pub struct OutStream {
    pub name: Str,
    pub kind: OutKind,
    pub buf: Vec<u8>,
}

impl OutStream {
    /// Writes the buffer out (for files and pipes; stdout/stderr write through).
    pub fn flush(&mut self) -> io::Result<()> {
        let fd = match &self.kind {
            OutKind::File(f) => f.as_raw_fd(),
            OutKind::Pipe(p) => p.fd.as_raw_fd(),
            _ => return Ok(()),
        };
        if self.buf.is_empty() {
            return Ok(());
        }
        let r = fdio::write_all(fd, &self.buf);
        self.buf.clear();
        r
    }
}
