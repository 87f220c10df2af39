//! grep's per-file loop: large reads, the matcher run over whole buffers of lines, and
//! the output of selected lines, context, counts and names, with no allocation per line.

use std::io::{self, Read, Write};

use super::matcher::Matcher;

/// How much is read at a time.
const READ: usize = 256 * 1024;

/// `--binary-files`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    /// Say `binary file matches` instead of printing lines.
    Report,
    /// `-a`: treat as text.
    Text,
    /// `-I`: a binary file matches nothing.
    WithoutMatch,
}

/// What to print for a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Selected lines (or matches with `-o`).
    Lines,
    /// `-c`.
    Count,
    /// `-l`.
    Matching,
    /// `-L`.
    NonMatching,
    /// `-q`.
    Quiet,
}

/// Everything the scan needs to know, fixed for the whole run.
pub struct Config {
    pub matcher: Matcher,
    pub mode: Mode,
    pub invert: bool,
    pub only: bool,
    pub line_num: bool,
    pub byte_off: bool,
    pub null_name: bool,
    pub delim: u8,
    pub max: Option<u64>,
    pub before: u64,
    pub after: u64,
    pub context: bool,
    pub binary: Binary,
    pub color: bool,
    pub line_buffered: bool,
    pub initial_tab: bool,
}

/// Why a scan stopped early.
pub enum Fail {
    /// Reading the input failed (report it and go on).
    Read(io::Error),
    /// Writing the output failed (fatal).
    Write(io::Error),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Fail {
        Fail::Write(e)
    }
}

/// What one file gave.
pub struct Found {
    /// Selected lines (counted up to the stop).
    pub selected: u64,
    /// The file is binary and a line was selected: `binary file matches`.
    pub binary_match: bool,
}

/// State that outlives one file: whether a group was printed (for `--`).
#[derive(Default)]
pub struct Shared {
    pub printed_any: bool,
}

const SGR_MATCH: &[u8] = b"\x1b[01;31m\x1b[K";
const SGR_FILE: &[u8] = b"\x1b[35m\x1b[K";
const SGR_NUM: &[u8] = b"\x1b[32m\x1b[K";
const SGR_SEP: &[u8] = b"\x1b[36m\x1b[K";
const SGR_END: &[u8] = b"\x1b[m\x1b[K";

struct Scan<'a> {
    cfg: &'a Config,
    out: &'a mut dyn Write,
    /// The name to prefix lines with, if names are shown.
    name: Option<&'a [u8]>,
    shared: &'a mut Shared,
    /// Absolute offset of `buf[0]`.
    base: u64,
    /// The number of the line starting at `lineno_pos` (kept only with `-n`).
    lineno: u64,
    lineno_pos: usize,
    /// Absolute end of the last line printed from this file.
    printed_end: Option<u64>,
    after_left: u64,
    selected: u64,
    binary: bool,
    binary_match: bool,
    stop: bool,
}

/// Scans `src`, printing what `cfg` asks for; `name` is shown before lines when given.
pub fn scan(
    cfg: &Config,
    shared: &mut Shared,
    src: &mut dyn Read,
    name: Option<&[u8]>,
    out: &mut dyn Write,
    buf: &mut Vec<u8>,
) -> Result<Found, Fail> {
    let mut s = Scan {
        cfg,
        out,
        name,
        shared,
        base: 0,
        lineno: 1,
        lineno_pos: 0,
        printed_end: None,
        after_left: 0,
        selected: 0,
        binary: false,
        binary_match: false,
        stop: false,
    };
    let delim = cfg.delim;
    // `buf[..filled]` holds data; `buf[scan..]` is not looked at yet.
    let mut filled = 0usize;
    let mut scan = 0usize;
    let mut first = true;
    loop {
        let mut eof = false;
        loop {
            if buf.len() - filled < READ {
                buf.resize(filled + READ, 0);
            }
            let n = match src.read(buf.get_mut(filled..).unwrap_or_default()) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Fail::Read(e)),
            };
            if n == 0 {
                eof = true;
                break;
            }
            let new = buf.get(filled..filled + n).unwrap_or_default();
            filled += n;
            if delim != 0
                && cfg.binary != Binary::Text
                && !s.binary
                && memchr::memchr(0, new).is_some()
            {
                s.binary = true;
            }
            if memchr::memchr(delim, new).is_some() {
                break;
            }
        }
        if first && s.binary && cfg.binary == Binary::WithoutMatch {
            return Ok(Found {
                selected: 0,
                binary_match: false,
            });
        }
        first = false;
        let end = if eof {
            if filled > scan && buf.get(filled - 1) != Some(&delim) {
                if buf.len() == filled {
                    buf.push(delim);
                } else if let Some(b) = buf.get_mut(filled) {
                    *b = delim;
                }
                filled += 1;
            }
            filled
        } else {
            let data = buf.get(scan..filled).unwrap_or_default();
            scan + memchr::memrchr(delim, data).map_or(0, |i| i + 1)
        };
        s.process(buf.get(..end).unwrap_or_default(), scan, end)?;
        if s.stop || eof {
            break;
        }
        // Keep the lines before-context may still want, drop the rest.
        let data = buf.get(..end).unwrap_or_default();
        let mut keep = end;
        let mut k = 0;
        while k < cfg.before && keep > 0 {
            keep = memchr::memrchr(delim, data.get(..keep - 1).unwrap_or_default())
                .map_or(0, |i| i + 1);
            k += 1;
        }
        if cfg.line_num {
            s.advance_lineno(data, end);
        }
        buf.copy_within(keep..filled, 0);
        filled -= keep;
        s.base += keep as u64;
        s.lineno_pos = s.lineno_pos.saturating_sub(keep);
        scan = end - keep;
    }
    Ok(Found {
        selected: s.selected,
        binary_match: s.binary_match,
    })
}

impl Scan<'_> {
    /// Handles the complete lines of `buf[pos..end]`.
    fn process(&mut self, buf: &[u8], mut pos: usize, end: usize) -> Result<(), Fail> {
        let delim = self.cfg.delim;
        while pos < end && !self.stop {
            let hit = self.cfg.matcher.next_line(buf, pos, end, delim);
            let (ms, me) = hit.unwrap_or((end, end));
            if self.cfg.invert {
                self.selected_run(buf, pos, ms)?;
                if self.stop {
                    break;
                }
                if hit.is_some() {
                    self.context_after(buf, ms, me + 1)?;
                }
            } else {
                self.context_after(buf, pos, ms)?;
                if hit.is_some() {
                    self.selected_line(buf, ms, me)?;
                    if self.stop {
                        // -m: the trailing context still follows.
                        self.context_after(buf, me + 1, end)?;
                    }
                }
            }
            if hit.is_none() {
                break;
            }
            pos = me + 1;
        }
        Ok(())
    }

    /// Every line of `buf[a..b]` is selected (`-v`).
    fn selected_run(&mut self, buf: &[u8], mut a: usize, b: usize) -> Result<(), Fail> {
        if self.cfg.mode == Mode::Count && self.cfg.max.is_none() {
            let n = memchr::memchr_iter(self.cfg.delim, buf.get(a..b).unwrap_or_default()).count();
            self.selected += n as u64;
            return Ok(());
        }
        while a < b && !self.stop {
            let le = match memchr::memchr(self.cfg.delim, buf.get(a..b).unwrap_or_default()) {
                Some(i) => a + i,
                None => break,
            };
            self.selected_line(buf, a, le)?;
            if self.stop {
                self.context_after(buf, le + 1, b)?;
            }
            a = le + 1;
        }
        Ok(())
    }

    /// Lines of `buf[a..b]` that are not selected: printed while after-context lasts.
    fn context_after(&mut self, buf: &[u8], mut a: usize, b: usize) -> Result<(), Fail> {
        while self.after_left > 0 && a < b {
            let le = match memchr::memchr(self.cfg.delim, buf.get(a..b).unwrap_or_default()) {
                Some(i) => a + i,
                None => break,
            };
            let n = self.line_no(buf, a);
            self.emit(buf, a, le, b'-', n, false)?;
            self.after_left -= 1;
            a = le + 1;
        }
        Ok(())
    }

    fn advance_lineno(&mut self, buf: &[u8], to: usize) {
        if to > self.lineno_pos {
            let part = buf.get(self.lineno_pos..to).unwrap_or_default();
            self.lineno += memchr::memchr_iter(self.cfg.delim, part).count() as u64;
            self.lineno_pos = to;
        }
    }

    /// The number of the line starting at `ls` (0 without `-n`).
    fn line_no(&mut self, buf: &[u8], ls: usize) -> u64 {
        if !self.cfg.line_num {
            return 0;
        }
        self.advance_lineno(buf, ls);
        self.lineno
    }

    /// A selected line `buf[ls..le]` (`buf[le]` is its terminator).
    fn selected_line(&mut self, buf: &[u8], ls: usize, le: usize) -> Result<(), Fail> {
        self.selected += 1;
        let cfg = self.cfg;
        let reached = cfg.max.is_some_and(|m| self.selected >= m);
        match cfg.mode {
            Mode::Quiet | Mode::Matching | Mode::NonMatching => {
                self.stop = true;
                return Ok(());
            }
            Mode::Count => {
                self.stop = reached;
                return Ok(());
            }
            Mode::Lines => {}
        }
        if self.binary {
            self.binary_match = true;
            self.stop = true;
            return Ok(());
        }
        let n = self.line_no(buf, ls);
        if cfg.before > 0 && !cfg.only {
            let floor = match self.printed_end {
                Some(pe) if pe >= self.base => usize::try_from(pe - self.base).unwrap_or(0),
                _ => 0,
            };
            let mut p = ls;
            let mut k = 0u64;
            while k < cfg.before && p > floor {
                p = memchr::memrchr(cfg.delim, buf.get(floor..p - 1).unwrap_or_default())
                    .map_or(floor, |i| floor + i + 1);
                k += 1;
            }
            while p < ls {
                let e =
                    p + memchr::memchr(cfg.delim, buf.get(p..ls).unwrap_or_default()).unwrap_or(0);
                self.emit(buf, p, e, b'-', n.saturating_sub(k), false)?;
                k -= 1;
                p = e + 1;
            }
        }
        if cfg.only {
            self.only_matching(buf, ls, le, n)?;
        } else {
            self.emit(buf, ls, le, b':', n, !cfg.invert)?;
        }
        self.after_left = cfg.after;
        self.stop = reached;
        Ok(())
    }

    /// `-o`: each non-empty match of the line on its own line.
    fn only_matching(&mut self, buf: &[u8], ls: usize, le: usize, n: u64) -> Result<(), Fail> {
        if self.cfg.invert {
            return Ok(());
        }
        let line = buf.get(ls..le).unwrap_or_default();
        let mut at = 0;
        while at <= line.len() {
            let Some((s, e)) = self.cfg.matcher.find_in_line(line, at) else {
                break;
            };
            if e == s {
                at = s + 1;
                continue;
            }
            self.prefix(b':', n, self.base + (ls + s) as u64)?;
            let text = line.get(s..e).unwrap_or_default();
            if self.cfg.color {
                self.out.write_all(SGR_MATCH)?;
                self.out.write_all(text)?;
                self.out.write_all(SGR_END)?;
            } else {
                self.out.write_all(text)?;
            }
            self.out.write_all(&[self.cfg.delim])?;
            at = e;
        }
        self.printed_end = Some(self.base + le as u64 + 1);
        self.shared.printed_any = true;
        if self.cfg.line_buffered {
            self.out.flush()?;
        }
        Ok(())
    }

    /// The name, number and offset before a line, each followed by `sep`.
    fn prefix(&mut self, sep: u8, n: u64, off: u64) -> io::Result<()> {
        let cfg = self.cfg;
        let color = cfg.color;
        let put_sep = |out: &mut dyn Write| -> io::Result<()> {
            if color {
                out.write_all(SGR_SEP)?;
                out.write_all(&[sep])?;
                out.write_all(SGR_END)
            } else {
                out.write_all(&[sep])
            }
        };
        if let Some(name) = self.name {
            if color {
                self.out.write_all(SGR_FILE)?;
                self.out.write_all(name)?;
                self.out.write_all(SGR_END)?;
            } else {
                self.out.write_all(name)?;
            }
            if cfg.null_name {
                self.out.write_all(b"\0")?;
            } else {
                put_sep(self.out)?;
            }
        }
        if cfg.line_num {
            if color {
                self.out.write_all(SGR_NUM)?;
            }
            if cfg.initial_tab {
                write!(self.out, "{n:>4}")?;
            } else {
                write!(self.out, "{n}")?;
            }
            if color {
                self.out.write_all(SGR_END)?;
            }
            put_sep(self.out)?;
        }
        if cfg.byte_off {
            if color {
                self.out.write_all(SGR_NUM)?;
            }
            write!(self.out, "{off}")?;
            if color {
                self.out.write_all(SGR_END)?;
            }
            put_sep(self.out)?;
        }
        if cfg.initial_tab && (self.name.is_some() || cfg.line_num || cfg.byte_off) {
            self.out.write_all(b"\t")?;
        }
        Ok(())
    }

    /// Prints line `buf[ls..=le]` with its prefix; `--` first when a gap precedes it.
    fn emit(
        &mut self,
        buf: &[u8],
        ls: usize,
        le: usize,
        sep: u8,
        n: u64,
        highlight: bool,
    ) -> Result<(), Fail> {
        let abs = self.base + ls as u64;
        if self.cfg.context && self.shared.printed_any && self.printed_end != Some(abs) {
            if self.cfg.color {
                self.out.write_all(SGR_SEP)?;
                self.out.write_all(b"--")?;
                self.out.write_all(SGR_END)?;
                self.out.write_all(b"\n")?;
            } else {
                self.out.write_all(b"--\n")?;
            }
        }
        self.prefix(sep, n, abs)?;
        let line = buf.get(ls..le).unwrap_or_default();
        if highlight && self.cfg.color {
            let mut at = 0;
            let mut done = 0;
            while at <= line.len() {
                let Some((s, e)) = self.cfg.matcher.find_in_line(line, at) else {
                    break;
                };
                if e == s {
                    at = s + 1;
                    continue;
                }
                self.out.write_all(line.get(done..s).unwrap_or_default())?;
                self.out.write_all(SGR_MATCH)?;
                self.out.write_all(line.get(s..e).unwrap_or_default())?;
                self.out.write_all(SGR_END)?;
                done = e;
                at = e;
            }
            self.out.write_all(line.get(done..).unwrap_or_default())?;
        } else {
            self.out.write_all(line)?;
        }
        self.out.write_all(&[self.cfg.delim])?;
        self.printed_end = Some(self.base + le as u64 + 1);
        self.shared.printed_any = true;
        if self.cfg.line_buffered {
            self.out.flush()?;
        }
        Ok(())
    }
}
