//! `split`: cut a file into pieces by lines, bytes, line-bounded bytes or chunk count.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;

use super::util::quoted;
use crate::common::lines::{Source, read_all};
use crate::common::num::parse_size;
use crate::prelude::*;

/// The `split` applet.
pub const APPLET: Applet = Applet::new("split", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-l N | -b SIZE | -C SIZE | -n CHUNKS] [-a N] [-d] [-e] [FILE [PREFIX]]")
    .help(
        "Write FILE (standard input for - or none) in pieces named PREFIX (x) plus a\n\
         suffix: aa, ab, ... (or 00, 01, ... with -d).\n\n\
         -l N\t\tN lines per piece (default 1000)\n\
         -b SIZE\tSIZE bytes per piece (K, M, G: powers of 1024; KB, MB: of 1000)\n\
         -C SIZE\tAt most SIZE bytes of whole lines per piece\n\
         -n N\t\tN pieces of equal size; l/N without splitting lines; K/N or l/K/N\n\
         \t\tprints only piece K\n\
         -a N\t\tSuffixes of N characters\n\
         -d\t\tNumeric suffixes; --numeric-suffixes=FROM starts at FROM\n\
         -x\t\tHexadecimal suffixes; --hex-suffixes=FROM\n\
         --additional-suffix=S\tAppend S to each name\n\
         -e\t\tNo empty pieces with -n\n\
         --verbose\tSay when each piece is started",
    );

const LONGS: &[&str] = &[
    "additional-suffix",
    "bytes",
    "elide-empty-files",
    "hex-suffixes",
    "line-bytes",
    "lines",
    "number",
    "numeric-suffixes",
    "suffix-length",
    "verbose",
];

/// How the input is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Lines(u64),
    Bytes(u64),
    LineBytes(u64),
    /// `n` chunks; `lines`: at line ends; `only`: print chunk `k` (1-based) to stdout.
    Chunks {
        n: u64,
        lines: bool,
        only: Option<u64>,
    },
}

/// The output names: prefix, suffix counter and extra suffix.
struct Names {
    prefix: Vec<u8>,
    extra: Vec<u8>,
    alphabet: &'static [u8],
    /// The counter's digits (indexes into `alphabet`), most significant first.
    digits: Vec<usize>,
    /// Whether the width grows when it runs out (no `-a` given).
    auto: bool,
    /// Leading copies of the last symbol added by widening.
    widened: usize,
    started: bool,
}

impl Names {
    /// The next file name, or `None` when the suffixes are exhausted.
    fn next(&mut self) -> Option<Vec<u8>> {
        if self.started && !self.bump() {
            return None;
        }
        self.started = true;
        let mut name = self.prefix.clone();
        let last = self.alphabet[self.alphabet.len() - 1];
        name.extend(std::iter::repeat_n(last, self.widened));
        name.extend(self.digits.iter().map(|&d| self.alphabet[d]));
        name.extend_from_slice(&self.extra);
        Some(name)
    }

    fn bump(&mut self) -> bool {
        let base = self.alphabet.len();
        let mut i = self.digits.len();
        loop {
            if i == 0 {
                return false;
            }
            i -= 1;
            self.digits[i] += 1;
            if self.digits[i] < base {
                break;
            }
            self.digits[i] = 0;
        }
        // Widening: when the leading digit reaches the last symbol, it becomes a fixed
        // prefix and the counter gains a digit (GNU's xyz, xzaaa).
        if self.auto && self.digits.first() == Some(&(base - 1)) {
            self.widened += 1;
            let w = self.digits.len() + 1;
            self.digits = vec![0; w];
        }
        true
    }
}

fn count_arg(v: &[u8], what: &str, size: bool) -> Result<u64, Error> {
    let n = if size {
        parse_size(v)
    } else {
        std::str::from_utf8(v).ok().and_then(|s| s.parse().ok())
    };
    let shown = String::from_utf8_lossy(v);
    match n {
        Some(0) => Err(Error::msg(format!(
            "invalid number of {what}: '{shown}': Numerical result out of range"
        ))),
        Some(n) => Ok(n),
        None => Err(Error::msg(format!("invalid number of {what}: '{shown}'"))),
    }
}

fn chunks_arg(v: &[u8]) -> Result<Mode, Error> {
    let bad = || {
        Error::msg(format!(
            "invalid number of chunks: '{}'",
            String::from_utf8_lossy(v)
        ))
    };
    let (lines, rest) = match v.strip_prefix(b"l/") {
        Some(r) => (true, r),
        None => (false, v),
    };
    let num =
        |s: &[u8]| -> Option<u64> { std::str::from_utf8(s).ok()?.parse().ok().filter(|&n| n > 0) };
    let mut parts = rest.splitn(2, |&c| c == b'/');
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        None => Ok(Mode::Chunks {
            n: num(first).ok_or_else(bad)?,
            lines,
            only: None,
        }),
        Some(n) => {
            let n = num(n).ok_or_else(bad)?;
            let k = num(first).ok_or_else(bad)?;
            if k > n {
                return Err(Error::msg(format!(
                    "invalid chunk number: '{}'",
                    String::from_utf8_lossy(first)
                )));
            }
            Ok(Mode::Chunks {
                n,
                lines,
                only: Some(k),
            })
        }
    }
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut mode = Mode::Lines(1000);
    let mut width: Option<usize> = None;
    let mut alphabet: &'static [u8] = b"abcdefghijklmnopqrstuvwxyz";
    let mut from = 0u64;
    let mut extra = Vec::new();
    let (mut elide, mut verbose) = (false, false);
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('l') | Arg::Long("lines") => {
                mode = Mode::Lines(count_arg(&opts.value()?, "lines", false)?)
            }
            Arg::Short('b') | Arg::Long("bytes") => {
                mode = Mode::Bytes(count_arg(&opts.value()?, "bytes", true)?)
            }
            Arg::Short('C') | Arg::Long("line-bytes") => {
                mode = Mode::LineBytes(count_arg(&opts.value()?, "bytes", true)?)
            }
            Arg::Short('n') | Arg::Long("number") => mode = chunks_arg(&opts.value()?)?,
            Arg::Short('a') | Arg::Long("suffix-length") => {
                let v = opts.value()?;
                let n: usize = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "invalid suffix length: '{}'",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
                width = Some(n.max(1));
            }
            Arg::Short('d') => alphabet = b"0123456789",
            Arg::Short('x') => alphabet = b"0123456789abcdef",
            Arg::Long(l @ ("numeric-suffixes" | "hex-suffixes")) => {
                alphabet = if l == "hex-suffixes" {
                    b"0123456789abcdef"
                } else {
                    b"0123456789"
                };
                if let Some(v) = opts.optional_value() {
                    let radix = alphabet.len() as u32;
                    from = std::str::from_utf8(&v)
                        .ok()
                        .and_then(|s| u64::from_str_radix(s, radix).ok())
                        .ok_or_else(|| {
                            Error::msg(format!(
                                "invalid start value for numerical suffix: '{}'",
                                String::from_utf8_lossy(&v)
                            ))
                        })?;
                }
            }
            Arg::Long("additional-suffix") => {
                extra = opts.value()?;
                if extra.contains(&b'/') {
                    return Err(Error::msg(format!(
                        "invalid suffix '{}', contains directory separator",
                        String::from_utf8_lossy(&extra)
                    )));
                }
            }
            Arg::Short('e') | Arg::Long("elide-empty-files") => elide = true,
            Arg::Long("verbose") => verbose = true,
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if operands.len() > 2 {
        return Err(opts.unexpected(&Arg::Value(operands.swap_remove(2))));
    }
    let input = operands.first().cloned().unwrap_or_else(|| b"-".to_vec());
    let prefix = operands.get(1).cloned().unwrap_or_else(|| b"x".to_vec());
    // The width: -a, else 2, else what -n N or --numeric-suffixes=FROM needs.
    let base = alphabet.len() as u64;
    let digits_for = |mut n: u64| {
        let mut w = 1;
        while n >= base {
            n /= base;
            w += 1;
        }
        w
    };
    let mut w = width.unwrap_or(2);
    if let Mode::Chunks { n, .. } = mode {
        let need = digits_for((n - 1) + from);
        if width.is_some_and(|a| a < need) {
            return Err(Error::msg(
                "the suffix length needs to be at least ".to_string() + &need.to_string(),
            ));
        }
        w = w.max(need);
    }
    let mut digits = vec![0usize; w];
    let mut f = from;
    for d in digits.iter_mut().rev() {
        *d = (f % base) as usize;
        f /= base;
    }
    if f > 0 {
        return Err(Error::msg(
            "numerical suffix start value is too large for the suffix length",
        ));
    }
    let mut names = Names {
        prefix,
        extra,
        alphabet,
        auto: width.is_none() && from == 0 && !matches!(mode, Mode::Chunks { .. }),
        digits,
        widened: 0,
        started: false,
    };
    if names.auto && names.digits.first() == Some(&(alphabet.len() - 1)) {
        names.auto = false;
    }
    let mut src = Source::open(&mut ctx.stdin, &input).map_err(|e| {
        let mut m = b"cannot open ".to_vec();
        m.extend_from_slice(&quoted(&input));
        m.extend_from_slice(b" for reading: ");
        m.extend_from_slice(crate::error::strerror(&e).as_bytes());
        Error::msg(m)
    })?;
    let mut w = Writer {
        names,
        file: None,
        used: 0,
        verbose,
        notes: Vec::new(),
    };
    let r = match mode {
        Mode::Chunks { n, lines, only } => {
            let mut data = Vec::new();
            read_all(src.reader(), &mut data).map_err(|e| Error::io(&input, &e))?;
            drop(src);
            chunks(&mut w, &data, n, lines, only, elide, &mut ctx.stdout)
        }
        _ => {
            let r = stream(&mut w, src.reader(), mode);
            drop(src);
            r
        }
    };
    let notes = std::mem::take(&mut w.notes);
    ctx.stdout.write_all(&notes)?;
    r
}

/// The current output piece.
struct Writer {
    names: Names,
    file: Option<(Vec<u8>, io::BufWriter<File>)>,
    /// Bytes written to the current piece.
    used: u64,
    verbose: bool,
    /// `--verbose` lines, printed at the end.
    notes: Vec<u8>,
}

impl Writer {
    /// Closes the current piece and starts the next.
    fn start(&mut self) -> Result<(), Error> {
        self.close()?;
        let name = self
            .names
            .next()
            .ok_or_else(|| Error::msg("output file suffixes exhausted"))?;
        if self.verbose {
            self.notes.extend_from_slice(b"creating file ");
            self.notes.extend_from_slice(&quoted(&name));
            self.notes.push(b'\n');
        }
        let f = File::create(OsStr::from_bytes(&name)).map_err(|e| Error::io(&name, &e))?;
        self.file = Some((name, io::BufWriter::with_capacity(64 * 1024, f)));
        self.used = 0;
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> Result<(), Error> {
        if let Some((name, f)) = &mut self.file {
            f.write_all(data).map_err(|e| Error::io(name, &e))?;
        }
        self.used += data.len() as u64;
        Ok(())
    }

    fn close(&mut self) -> Result<(), Error> {
        if let Some((name, mut f)) = self.file.take() {
            f.flush().map_err(|e| Error::io(&name, &e))?;
        }
        Ok(())
    }
}

/// `-l`, `-b`, `-C`: pieces as the input streams by.
fn stream(w: &mut Writer, src: &mut dyn BufRead, mode: Mode) -> Result<(), Error> {
    if let Mode::LineBytes(n) = mode {
        return line_bytes(w, src, n);
    }
    // Room left in the current piece (lines or bytes); 0 means start a new one first.
    let mut left = 0u64;
    loop {
        let buf = match src.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if buf.is_empty() {
            break;
        }
        let chunk = buf.to_vec();
        src.consume(chunk.len());
        let mut data: &[u8] = &chunk;
        match mode {
            Mode::Lines(n) => {
                while !data.is_empty() {
                    if left == 0 {
                        w.start()?;
                        left = n;
                    }
                    let mut cut = 0;
                    for i in memchr::memchr_iter(b'\n', data) {
                        left -= 1;
                        cut = i + 1;
                        if left == 0 {
                            break;
                        }
                    }
                    if left > 0 {
                        cut = data.len();
                    }
                    w.write(&data[..cut])?;
                    data = &data[cut..];
                }
            }
            Mode::Bytes(n) => {
                while !data.is_empty() {
                    if left == 0 {
                        w.start()?;
                        left = n;
                    }
                    let take = (left.min(data.len() as u64)) as usize;
                    w.write(&data[..take])?;
                    left -= take as u64;
                    data = &data[take..];
                }
            }
            Mode::LineBytes(_) | Mode::Chunks { .. } => {}
        }
    }
    w.close()
}

/// `-C N`: each piece is the longest run of at most N bytes that ends with a newline,
/// or N bytes when those hold no newline (a long line is cut).
fn line_bytes(w: &mut Writer, src: &mut dyn BufRead, n: u64) -> Result<(), Error> {
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    let mut pending: Vec<u8> = Vec::new();
    let mut eof = false;
    loop {
        while !eof && pending.len() < n {
            let buf = match src.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            if buf.is_empty() {
                eof = true;
                break;
            }
            let take = buf.len().min(n - pending.len());
            pending.extend_from_slice(&buf[..take]);
            src.consume(take);
        }
        if pending.is_empty() {
            break;
        }
        let window = &pending[..pending.len().min(n)];
        // What is left at the end goes whole when it is shorter than a piece.
        let cut = if eof && pending.len() < n {
            pending.len()
        } else {
            memchr::memrchr(b'\n', window).map_or(window.len(), |i| i + 1)
        };
        w.start()?;
        w.write(&pending[..cut])?;
        pending.drain(..cut);
    }
    w.close()
}

/// `-n`: `n` pieces of the whole input.
fn chunks(
    w: &mut Writer,
    data: &[u8],
    n: u64,
    lines: bool,
    only: Option<u64>,
    elide: bool,
    stdout: &mut dyn Write,
) -> Result<(), Error> {
    let total = data.len() as u64;
    let size = (total / n).max(1);
    let mut start = 0usize;
    for k in 0..n {
        let end = if k == n - 1 || (k + 1) * size >= total {
            data.len()
        } else if lines {
            let nominal = ((k + 1) * size) as usize;
            if nominal == 0 || nominal - 1 < start {
                start
            } else {
                memchr::memchr(b'\n', &data[nominal - 1..]).map_or(data.len(), |i| nominal + i)
            }
        } else {
            ((k + 1) * size) as usize
        };
        let piece = &data[start..end.max(start)];
        start = end.max(start);
        match only {
            Some(o) if o == k + 1 => {
                stdout.write_all(piece)?;
                return Ok(());
            }
            Some(_) => continue,
            None => {}
        }
        if elide && piece.is_empty() {
            continue;
        }
        w.start()?;
        w.write(piece)?;
    }
    w.close()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(alphabet: &'static [u8], w: usize, auto: bool) -> Names {
        Names {
            prefix: b"x".to_vec(),
            extra: Vec::new(),
            alphabet,
            digits: vec![0; w],
            auto,
            widened: 0,
            started: false,
        }
    }

    #[test]
    fn suffixes_widen_like_gnu() {
        let mut n = names(b"abcdefghijklmnopqrstuvwxyz", 2, true);
        let all: Vec<Vec<u8>> = (0..652).map_while(|_| n.next()).collect();
        assert_eq!(all[0], b"xaa");
        assert_eq!(all[649], b"xyz");
        assert_eq!(all[650], b"xzaaa");
        assert_eq!(all[651], b"xzaab");
        let mut n = names(b"0123456789", 2, true);
        let all: Vec<Vec<u8>> = (0..91).map_while(|_| n.next()).collect();
        assert_eq!(all[89], b"x89");
        assert_eq!(all[90], b"x9000");
        let mut n = names(b"0123456789", 1, false);
        assert_eq!((0..20).map_while(|_| n.next()).count(), 10);
    }

    #[test]
    fn bad_numbers() {
        let r = crate::testing::run("split", &["-l", "x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "split: invalid number of lines: 'x'\n".into())
        );
        let r = crate::testing::run("split", &["-b", "0"], b"");
        assert_eq!(
            r.err(),
            "split: invalid number of bytes: '0': Numerical result out of range\n"
        );
        let r = crate::testing::run("split", &["-n", "x"], b"");
        assert_eq!(r.err(), "split: invalid number of chunks: 'x'\n");
        let r = crate::testing::run("split", &["/nonexistent/x"], b"");
        assert_eq!(
            r.err(),
            "split: cannot open '/nonexistent/x' for reading: No such file or directory\n"
        );
    }
}
