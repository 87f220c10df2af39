//! The HTTP/1.x request head parser: pure, bounded and incremental over bytes. It never
//! allocates more than the head it was given and never panics on any input (fuzzed).

/// The bounds a request head must fit in.
#[derive(Clone, Copy, Debug)]
pub struct HeadLimits {
    /// Longest request line, terminator excluded (beyond: 414).
    pub max_line: usize,
    /// Longest whole head, request line and headers (beyond: 431).
    pub max_head: usize,
    /// Most header fields (beyond: 431).
    pub max_headers: usize,
}

impl Default for HeadLimits {
    fn default() -> HeadLimits {
        HeadLimits {
            max_line: 8 * 1024,
            max_head: 16 * 1024,
            max_headers: 100,
        }
    }
}

/// Why a head was refused; each maps to one status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadError {
    /// Malformed syntax (400).
    Bad,
    /// The request line is too long (414).
    LineTooLong,
    /// The head or the number of fields is too large (431).
    HeadTooLarge,
    /// A transfer coding other than chunked (501).
    Unsupported,
    /// An HTTP major version other than 1 (505).
    Version,
}

impl HeadError {
    /// The status code to answer with.
    pub fn status(self) -> u16 {
        match self {
            HeadError::Bad => 400,
            HeadError::LineTooLong => 414,
            HeadError::HeadTooLarge => 431,
            HeadError::Unsupported => 501,
            HeadError::Version => 505,
        }
    }
}

/// How the request body is framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// No body.
    None,
    /// Exactly this many bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// A parsed request head. Header names are kept as sent; look them up with [`Head::header`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// The method token, e.g. `GET`.
    pub method: Vec<u8>,
    /// The request target as sent (origin or absolute form).
    pub target: Vec<u8>,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1 (and any higher 1.x).
    pub minor: u8,
    /// The header fields in order, values trimmed of surrounding whitespace.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// The body framing the headers announce.
    pub body: BodyKind,
}

impl Head {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_slice())
    }

    /// Whether the connection should stay open after this request: HTTP/1.1 unless
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    pub fn keep_alive(&self) -> bool {
        let has = |word: &str| {
            self.header("connection").is_some_and(|v| {
                v.split(|&b| b == b',')
                    .any(|t| trim(t).eq_ignore_ascii_case(word.as_bytes()))
            })
        };
        if self.minor == 0 {
            has("keep-alive")
        } else {
            !has("close")
        }
    }
}

/// The result of feeding bytes to [`HeadParser::parse`].
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// More bytes are needed.
    Partial,
    /// A complete head, and how many bytes of the buffer it used.
    Done(Head, usize),
}

/// An incremental head parser: call [`HeadParser::parse`] with the whole buffer so far
/// each time bytes arrive; it resumes its search for the end of the head where it left off.
#[derive(Clone, Debug, Default)]
pub struct HeadParser {
    scanned: usize,
}

impl HeadParser {
    /// A parser at the start of a request.
    pub fn new() -> HeadParser {
        HeadParser { scanned: 0 }
    }

    /// Looks for a complete head at the start of `buf` (which holds everything received
    /// since the previous request ended). Leading empty lines are skipped, as RFC 9112
    /// allows. After `Done` or an error, start a new parser for the next request.
    pub fn parse(&mut self, buf: &[u8], lim: &HeadLimits) -> Result<Parsed, HeadError> {
        let start = buf
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .unwrap_or(buf.len());
        if start > lim.max_line {
            return Err(HeadError::Bad);
        }
        let data = &buf[start..];
        // The request line must end within max_line.
        let line_end = match memchr::memchr(b'\n', data) {
            Some(i) => i,
            None if data.len() > lim.max_line => return Err(HeadError::LineTooLong),
            None => return Ok(Parsed::Partial),
        };
        if line_end > lim.max_line + 1 {
            return Err(HeadError::LineTooLong);
        }
        // Find the blank line ending the head, resuming where the last call stopped.
        let from = self
            .scanned
            .saturating_sub(start)
            .saturating_sub(3)
            .max(line_end);
        let end = find_head_end(data, from);
        let Some(end) = end else {
            if data.len() > lim.max_head {
                return Err(HeadError::HeadTooLarge);
            }
            self.scanned = buf.len();
            return Ok(Parsed::Partial);
        };
        if end > lim.max_head {
            return Err(HeadError::HeadTooLarge);
        }
        let head = parse_head(&data[..end], lim)?;
        Ok(Parsed::Done(head, start + end))
    }
}

/// The index just past the empty line that ends the head (`\n\n` or `\r\n\r\n`, with
/// bare `\n` accepted as a line end), searching from `from`.
fn find_head_end(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'\n', data.get(i..)?) {
        let nl = i + off;
        let next = nl + 1;
        if data.get(next) == Some(&b'\n') {
            return Some(next + 1);
        }
        if data.get(next) == Some(&b'\r') && data.get(next + 1) == Some(&b'\n') {
            return Some(next + 2);
        }
        i = next;
    }
    None
}

/// Splits a head into lines without their terminators.
fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    head.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Parses a complete head (ending with its empty line).
fn parse_head(head: &[u8], lim: &HeadLimits) -> Result<Head, HeadError> {
    let mut it = lines(head);
    let line = it.next().ok_or(HeadError::Bad)?;
    let (method, target, minor) = request_line(line)?;
    let mut headers: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for line in it {
        if line.is_empty() {
            break;
        }
        if headers.len() >= lim.max_headers {
            return Err(HeadError::HeadTooLarge);
        }
        headers.push(header_field(line)?);
    }
    let body = body_kind(&headers)?;
    Ok(Head {
        method: method.to_vec(),
        target: target.to_vec(),
        minor,
        headers,
        body,
    })
}

/// `METHOD SP TARGET SP HTTP/1.x`.
fn request_line(line: &[u8]) -> Result<(&[u8], &[u8], u8), HeadError> {
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Bad);
    };
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(HeadError::Bad);
    }
    if target.is_empty() || target.iter().any(|&b| b <= b' ' || b == 0x7f) {
        return Err(HeadError::Bad);
    }
    let v = version.strip_prefix(b"HTTP/").ok_or(HeadError::Bad)?;
    let minor = match v {
        [b'1', b'.', d] if d.is_ascii_digit() => (d - b'0').min(1),
        [a, b'.', d] if a.is_ascii_digit() && d.is_ascii_digit() => {
            return Err(HeadError::Version);
        }
        _ => return Err(HeadError::Bad),
    };
    Ok((method, target, minor))
}

/// `name: value`; no whitespace before the colon, no obsolete line folding.
fn header_field(line: &[u8]) -> Result<(Vec<u8>, Vec<u8>), HeadError> {
    let colon = memchr::memchr(b':', line).ok_or(HeadError::Bad)?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return Err(HeadError::Bad);
    }
    let value = trim(value);
    if value.iter().any(|&b| (b < b' ' && b != b'\t') || b == 0x7f) {
        return Err(HeadError::Bad);
    }
    Ok((name.to_vec(), value.to_vec()))
}

/// The body framing: `Transfer-Encoding: chunked` or one agreed `Content-Length`;
/// both at once is refused (request smuggling).
fn body_kind(headers: &[(Vec<u8>, Vec<u8>)]) -> Result<BodyKind, HeadError> {
    let mut length: Option<u64> = None;
    let mut chunked = false;
    for (k, v) in headers {
        if k.eq_ignore_ascii_case(b"content-length") {
            if v.is_empty() || v.len() > 19 || !v.iter().all(u8::is_ascii_digit) {
                return Err(HeadError::Bad);
            }
            let n: u64 = std::str::from_utf8(v)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or(HeadError::Bad)?;
            if length.is_some_and(|l| l != n) {
                return Err(HeadError::Bad);
            }
            length = Some(n);
        } else if k.eq_ignore_ascii_case(b"transfer-encoding") {
            for coding in v.split(|&b| b == b',').map(trim) {
                if coding.eq_ignore_ascii_case(b"chunked") && !chunked {
                    chunked = true;
                } else {
                    return Err(HeadError::Unsupported);
                }
            }
        }
    }
    match (length, chunked) {
        (Some(_), true) => Err(HeadError::Bad),
        (_, true) => Ok(BodyKind::Chunked),
        (Some(0) | None, false) => Ok(BodyKind::None),
        (Some(n), false) => Ok(BodyKind::Length(n)),
    }
}

/// RFC 9110 token characters.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `s` without leading and trailing spaces and tabs.
pub fn trim(s: &[u8]) -> &[u8] {
    let a = s.iter().position(|&b| b != b' ' && b != b'\t');
    let Some(a) = a else { return &[] };
    let b = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .unwrap_or(a);
    &s[a..=b]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(b: &[u8]) -> Result<Parsed, HeadError> {
        HeadParser::new().parse(b, &HeadLimits::default())
    }

    fn head(b: &[u8]) -> Head {
        match parse(b) {
            Ok(Parsed::Done(h, n)) => {
                assert_eq!(n, b.len());
                h
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn simple_get() {
        let h = head(b"GET /a?b HTTP/1.1\r\nHost: x\r\nUser-Agent:  curl \r\n\r\n");
        assert_eq!(h.method, b"GET");
        assert_eq!(h.target, b"/a?b");
        assert_eq!(h.minor, 1);
        assert_eq!(h.header("user-agent"), Some(&b"curl"[..]));
        assert_eq!(h.header("HOST"), Some(&b"x"[..]));
        assert!(h.keep_alive());
        assert_eq!(h.body, BodyKind::None);
    }

    #[test]
    fn bare_newlines_and_leading_blank_lines() {
        let h = head(b"\r\n\nHEAD / HTTP/1.0\nConnection: keep-alive\n\n");
        assert_eq!(h.method, b"HEAD");
        assert_eq!(h.minor, 0);
        assert!(h.keep_alive());
        assert!(!head(b"GET / HTTP/1.0\r\n\r\n").keep_alive());
        assert!(!head(b"GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive());
    }

    #[test]
    fn pipelined_reports_consumed() {
        let b = b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
        match parse(b) {
            Ok(Parsed::Done(h, n)) => {
                assert_eq!(h.target, b"/1");
                assert_eq!(n, 19);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn incremental_byte_by_byte() {
        let b = b"GET /x HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
        let mut p = HeadParser::new();
        for i in 0..b.len() {
            assert_eq!(
                p.parse(&b[..i], &HeadLimits::default()),
                Ok(Parsed::Partial)
            );
        }
        assert!(matches!(
            p.parse(b, &HeadLimits::default()),
            Ok(Parsed::Done(_, 31))
        ));
    }

    #[test]
    fn malformed_is_400() {
        for b in [
            &b"GET /\r\n\r\n"[..],
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1 x\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"GET / FTP/1.1\r\n\r\n",
            b"GET /\x00 HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nNo colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nA : b\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\x00c\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert_eq!(
                parse(b),
                Err(HeadError::Bad),
                "{}",
                String::from_utf8_lossy(b)
            );
        }
    }

    #[test]
    fn versions_and_codings() {
        assert_eq!(parse(b"GET / HTTP/2.0\r\n\r\n"), Err(HeadError::Version));
        assert_eq!(head(b"GET / HTTP/1.9\r\n\r\n").minor, 1);
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Err(HeadError::Unsupported)
        );
        let h = head(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_eq!(h.body, BodyKind::Chunked);
        let h = head(b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n");
        assert_eq!(h.body, BodyKind::Length(12));
    }

    #[test]
    fn limits() {
        let lim = HeadLimits {
            max_line: 20,
            max_head: 60,
            max_headers: 2,
        };
        let p = |b: &[u8]| HeadParser::new().parse(b, &lim);
        assert_eq!(p(&[b'A'; 21]), Err(HeadError::LineTooLong));
        assert_eq!(
            p(b"GET /aaaaaaaaaaaaaaaaaaaaaaaa"),
            Err(HeadError::LineTooLong)
        );
        assert_eq!(p(b"GET / HTTP/1.1\r\nA: 1"), Ok(Parsed::Partial));
        assert_eq!(
            p(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"),
            Err(HeadError::HeadTooLarge)
        );
        let long = [&b"GET / HTTP/1.1\r\nA: "[..], &[b'x'; 60]].concat();
        assert_eq!(p(&long), Err(HeadError::HeadTooLarge));
        assert_eq!(p(&[b'\n'; 30]), Err(HeadError::Bad));
    }

    #[test]
    fn trims() {
        assert_eq!(trim(b"  a b\t"), b"a b");
        assert_eq!(trim(b" \t "), b"");
        assert_eq!(trim(b""), b"");
    }

    /// Inputs for the fuzz target (`builtins/fuzz`, `regressions/`) plus a few nasty
    /// ones: every parser must end without a panic, and no decoded path may climb.
    #[test]
    fn replays_nasty_inputs() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions");
        let mut inputs: Vec<Vec<u8>> = vec![
            vec![0xff; 70000],
            b"\n".repeat(20000),
            b"GET / HTTP/1.1\r\n"
                .iter()
                .copied()
                .cycle()
                .take(50000)
                .collect(),
            b"GET /%%%%2e HTTP/1.1\r\n\r\n".to_vec(),
            b"0\r\n\r\n".to_vec(),
            b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        ];
        let mut files = 0;
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            inputs.push(std::fs::read(e.path()).unwrap());
            files += 1;
        }
        assert!(files >= 5);
        let lim = HeadLimits::default();
        for data in &inputs {
            let whole = HeadParser::new().parse(data, &lim);
            let mut p = HeadParser::new();
            if p.parse(&data[..data.len() / 2], &lim) == Ok(Parsed::Partial) {
                assert_eq!(p.parse(data, &lim), whole);
            }
            if let Ok(Parsed::Done(h, _)) = &whole
                && let Ok(t) = super::super::path::parse_target(&h.target)
            {
                assert!(!t.path.split(|&b| b == b'/').any(|s| s == b".."));
            }
            let mut out = Vec::new();
            let _ = super::super::chunked::Dechunker::new(4096).feed(data, &mut out);
            assert!(out.len() <= 4096);
        }
    }
}
