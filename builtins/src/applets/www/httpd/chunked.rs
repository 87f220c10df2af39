//! An incremental decoder for `Transfer-Encoding: chunked` request bodies (RFC 9112
//! section 7.1): chunk sizes, extensions and trailers are skipped, the data is appended
//! to the caller's buffer, and the total is bounded.

/// Why a chunked body was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkError {
    /// Malformed framing (400).
    Bad,
    /// The decoded body passed the limit (413).
    TooLarge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Reading the hex size line.
    Size,
    /// Inside a chunk's data, this many bytes left.
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines after the last chunk.
    Trailer,
    /// The body is complete.
    Done,
}

/// The decoder's state between calls.
#[derive(Clone, Debug)]
pub struct Dechunker {
    state: State,
    max: u64,
    total: u64,
    /// Bytes of the line being read (size or trailer), bounded.
    line: Vec<u8>,
}

/// Longest size or trailer line accepted.
const MAX_LINE: usize = 4096;

impl Dechunker {
    /// A decoder that refuses bodies longer than `max` bytes.
    pub fn new(max: u64) -> Dechunker {
        Dechunker {
            state: State::Size,
            max,
            total: 0,
            line: Vec::new(),
        }
    }

    /// Whether the terminating chunk and trailers have been read.
    pub fn done(&self) -> bool {
        self.state == State::Done
    }

    /// Decodes from `input`, appending data to `out`; returns how many input bytes were
    /// used (all of them unless the body ended inside `input`).
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, ChunkError> {
        let mut i = 0;
        while i < input.len() && self.state != State::Done {
            match self.state {
                State::Size | State::Trailer | State::DataEnd => {
                    let Some(line) = self.take_line(input, &mut i)? else {
                        break;
                    };
                    self.end_line(&line)?;
                }
                State::Data(left) => {
                    let n = (input.len() - i).min(usize::try_from(left).unwrap_or(usize::MAX));
                    out.extend_from_slice(&input[i..i + n]);
                    i += n;
                    let left = left - n as u64;
                    self.state = if left == 0 {
                        State::DataEnd
                    } else {
                        State::Data(left)
                    };
                }
                State::Done => break,
            }
        }
        Ok(i)
    }

    /// Collects one line; `None` when `input` ran out first.
    fn take_line(&mut self, input: &[u8], i: &mut usize) -> Result<Option<Vec<u8>>, ChunkError> {
        let rest = &input[*i..];
        match memchr::memchr(b'\n', rest) {
            Some(n) => {
                self.line.extend_from_slice(&rest[..n]);
                *i += n + 1;
                if self.line.len() > MAX_LINE {
                    return Err(ChunkError::Bad);
                }
                let mut line = std::mem::take(&mut self.line);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                Ok(Some(line))
            }
            None => {
                self.line.extend_from_slice(rest);
                *i = input.len();
                if self.line.len() > MAX_LINE {
                    return Err(ChunkError::Bad);
                }
                Ok(None)
            }
        }
    }

    fn end_line(&mut self, line: &[u8]) -> Result<(), ChunkError> {
        match self.state {
            State::DataEnd => {
                if !line.is_empty() {
                    return Err(ChunkError::Bad);
                }
                self.state = State::Size;
            }
            State::Trailer => {
                if line.is_empty() {
                    self.state = State::Done;
                }
            }
            State::Size => {
                let digits = line.split(|&b| b == b';').next().unwrap_or_default();
                let digits = super::request::trim(digits);
                if digits.is_empty() || digits.len() > 15 {
                    return Err(ChunkError::Bad);
                }
                let mut size: u64 = 0;
                for &d in digits {
                    let v = (d as char).to_digit(16).ok_or(ChunkError::Bad)?;
                    size = size * 16 + u64::from(v);
                }
                self.total = self.total.saturating_add(size);
                if self.total > self.max {
                    return Err(ChunkError::TooLarge);
                }
                self.state = if size == 0 {
                    State::Trailer
                } else {
                    State::Data(size)
                };
            }
            State::Data(_) | State::Done => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(input: &[u8], step: usize) -> Result<(Vec<u8>, usize), ChunkError> {
        let mut d = Dechunker::new(1000);
        let mut out = Vec::new();
        let mut used = 0;
        for piece in input.chunks(step) {
            used += d.feed(piece, &mut out)?;
            if d.done() {
                break;
            }
        }
        assert!(d.done(), "not done");
        Ok((out, used))
    }

    #[test]
    fn decodes_in_any_split() {
        let body = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        for step in [1, 2, 3, 7, 100] {
            let (out, used) = decode_all(body, step).unwrap();
            assert_eq!(out, b"hello, world");
            if step == 100 {
                assert_eq!(used, body.len() - 4);
            }
        }
        assert_eq!(
            decode_all(b"A\n0123456789\n0\n\n", 4).unwrap().0,
            b"0123456789"
        );
    }

    #[test]
    fn refuses_bad_and_large() {
        let mut out = Vec::new();
        assert_eq!(
            Dechunker::new(10).feed(b"zz\r\n", &mut out),
            Err(ChunkError::Bad)
        );
        assert_eq!(
            Dechunker::new(10).feed(b"b\r\n", &mut out),
            Err(ChunkError::TooLarge)
        );
        assert_eq!(
            Dechunker::new(10).feed(b"1\r\naX\r\n", &mut out),
            Err(ChunkError::Bad)
        );
        assert_eq!(
            Dechunker::new(u64::MAX).feed(b"ffffffffffffffffff\r\n", &mut out),
            Err(ChunkError::Bad)
        );
        assert_eq!(
            Dechunker::new(10).feed(&[b'1'; 5000], &mut out),
            Err(ChunkError::Bad)
        );
    }
}
