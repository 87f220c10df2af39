//! sed's executor: the cycle (read a line, run the program, print), the pattern and hold
//! spaces, ranges, the append queue, and the input stream with `$` look-ahead.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use super::parse::{Addr, Addr2, Cmd, Kind, Piece, Program, Subst};
use crate::common::lines;
use crate::ctx::Input;

/// One input operand being read.
enum Src {
    Stdin,
    File(BufReader<File>),
}

/// The input files read as one stream (or one file, for `-s`/`-i`).
pub struct Inputs<'s, 'a> {
    names: Vec<Vec<u8>>,
    next: usize,
    cur: Option<Src>,
    cur_name: Vec<u8>,
    stdin: &'s mut Input<'a>,
    /// Messages about files that could not be read, for the caller to print.
    pub errors: Vec<Vec<u8>>,
}

impl<'s, 'a> Inputs<'s, 'a> {
    /// A stream over `names` (`-` is standard input).
    pub fn new(names: Vec<Vec<u8>>, stdin: &'s mut Input<'a>) -> Inputs<'s, 'a> {
        Inputs {
            names,
            next: 0,
            cur: None,
            cur_name: Vec::new(),
            stdin,
            errors: Vec::new(),
        }
    }

    fn open_next(&mut self) -> bool {
        while let Some(name) = self.names.get(self.next).cloned() {
            self.next += 1;
            if name == b"-" {
                self.cur = Some(Src::Stdin);
                self.cur_name = name;
                return true;
            }
            match lines::open(&name) {
                Ok(f) => {
                    self.cur = Some(Src::File(BufReader::with_capacity(lines::BUF_SIZE, f)));
                    self.cur_name = name;
                    return true;
                }
                Err(e) => {
                    let mut m = b"can't read ".to_vec();
                    m.extend_from_slice(&crate::error::subject_reason(&name, &e));
                    self.errors.push(m);
                }
            }
        }
        false
    }

    fn reader(&mut self) -> Option<&mut dyn BufRead> {
        match self.cur.as_mut()? {
            Src::Stdin => Some(&mut *self.stdin),
            Src::File(f) => Some(f),
        }
    }

    fn read_error(&mut self, e: &io::Error) {
        let mut m = b"read error on ".to_vec();
        let shown: &[u8] = if self.cur_name == b"-" {
            b"stdin"
        } else {
            &self.cur_name
        };
        m.extend_from_slice(&crate::error::subject_reason(shown, e));
        self.errors.push(m);
        self.cur = None;
    }

    /// Reads the next record into `buf` (cleared first, terminator dropped); returns
    /// whether one was read and whether it had its terminator.
    fn read(&mut self, buf: &mut Vec<u8>, delim: u8) -> Option<bool> {
        loop {
            if self.cur.is_none() && !self.open_next() {
                return None;
            }
            buf.clear();
            let r = read_until(self.reader()?, delim, buf);
            match r {
                Ok(0) => self.cur = None,
                Ok(_) => {
                    let chomped = buf.last() == Some(&delim);
                    if chomped {
                        buf.pop();
                    }
                    return Some(chomped);
                }
                Err(e) => self.read_error(&e),
            }
        }
    }

    /// Whether no input is left (opening the next files to see).
    fn at_end(&mut self) -> bool {
        loop {
            if self.cur.is_none() && !self.open_next() {
                return true;
            }
            let r = match self.reader() {
                Some(r) => r.fill_buf().map(|b| b.is_empty()),
                None => Ok(true),
            };
            match r {
                Ok(false) => return false,
                Ok(true) => self.cur = None,
                Err(e) => self.read_error(&e),
            }
        }
    }
}

/// `BufRead::read_until` over the memchr crate's vectorised search (std's is a word-at-a-
/// time loop, a quarter of `sed -n '$='`'s time): appends up to and including the next
/// `delim` to `buf` and returns the bytes taken.
fn read_until(r: &mut dyn BufRead, delim: u8, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut taken = 0;
    loop {
        let (done, used) = {
            let avail = match r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            match memchr::memchr(delim, avail) {
                Some(i) => {
                    buf.extend_from_slice(avail.get(..=i).unwrap_or_default());
                    (true, i + 1)
                }
                None => {
                    buf.extend_from_slice(avail);
                    (avail.is_empty(), avail.len())
                }
            }
        };
        r.consume(used);
        taken += used;
        if done {
            return Ok(taken);
        }
    }
}

/// Settings fixed for the run.
pub struct Settings {
    pub quiet: bool,
    pub delim: u8,
    pub wrap: usize,
    pub unbuffered: bool,
}

enum Queued {
    Text(Vec<u8>),
    File(Vec<u8>),
}

#[derive(Clone, Copy, Default)]
struct Range {
    active: bool,
    /// A range whose start is a line number has run (it starts at most once a file).
    closed: bool,
    /// For line-number ends (and `+N`, `~N`), the last line of the range.
    end: Option<u64>,
}

/// How a cycle ended.
enum Flow {
    /// Print (unless -n), then read the next line.
    Next,
    /// `d`: no print.
    Delete,
    /// `D` with a newline: restart without reading.
    Restart,
    /// `q`/`Q` or end of input inside `n`/`N`.
    Quit(bool),
}

/// The executor's state; it lives across files with `-s`/`-i`.
pub struct Exec<'p> {
    prog: &'p Program,
    set: Settings,
    ps: Vec<u8>,
    hs: Vec<u8>,
    scratch: Vec<u8>,
    chomped: bool,
    pub lineno: u64,
    ranges: Vec<Range>,
    last_re: Option<usize>,
    tflag: bool,
    queue: Vec<Queued>,
    wfiles: Vec<Option<File>>,
    /// Per `w` file: the last line written to it had no newline.
    wmissing: Vec<bool>,
    rfiles: Vec<(Vec<u8>, Option<BufReader<File>>)>,
    /// Set by `q`/`Q`: the exit status.
    pub quit: Option<i32>,
    missing_newline: bool,
    file_name: Vec<u8>,
    /// Errors while running (w files), for the caller.
    pub errors: Vec<Vec<u8>>,
}

fn open_w(name: &[u8]) -> io::Result<Option<File>> {
    if name == b"/dev/stdout" {
        return Ok(None);
    }
    use std::os::unix::ffi::OsStrExt;
    File::create(std::ffi::OsStr::from_bytes(name)).map(Some)
}

impl<'p> Exec<'p> {
    /// Prepares a run of `prog`, creating its `w` files.
    pub fn new(prog: &'p Program, set: Settings) -> Result<Exec<'p>, Vec<u8>> {
        let mut wfiles = Vec::new();
        for name in &prog.wfiles {
            match open_w(name) {
                Ok(f) => wfiles.push(f),
                Err(e) => {
                    let mut m = b"couldn't open file ".to_vec();
                    m.extend_from_slice(&crate::error::subject_reason(name, &e));
                    return Err(m);
                }
            }
        }
        Ok(Exec {
            prog,
            set,
            ps: Vec::new(),
            hs: Vec::new(),
            scratch: Vec::new(),
            chomped: true,
            lineno: 0,
            ranges: vec![Range::default(); prog.cmds.len()],
            last_re: None,
            tflag: false,
            queue: Vec::new(),
            wmissing: vec![false; wfiles.len()],
            wfiles,
            rfiles: Vec::new(),
            quit: None,
            missing_newline: false,
            file_name: Vec::new(),
            errors: Vec::new(),
        })
    }

    /// Writes `text` and, if `nl`, the terminator, to `out`, first adding the newline an
    /// earlier unterminated last line left out.
    fn emit(&mut self, out: &mut dyn Write, text: &[u8], nl: bool) -> io::Result<()> {
        if self.missing_newline {
            out.write_all(&[self.set.delim])?;
            self.missing_newline = false;
        }
        out.write_all(text)?;
        if nl {
            out.write_all(&[self.set.delim])?;
        } else {
            self.missing_newline = true;
        }
        Ok(())
    }

    /// Starts line numbers again for the next file (`-s`, `-i`): line-number ranges may
    /// run again.
    pub fn restart_lines(&mut self) {
        self.lineno = 0;
        for r in &mut self.ranges {
            r.closed = false;
        }
    }

    /// Output goes to a fresh file (`-i`): no newline is owed to it.
    pub fn new_output(&mut self) {
        self.missing_newline = false;
    }

    /// Writes an `a`/`i`/`c`/`R` text: its newline is written as the terminator; an
    /// empty text writes only the newline an unterminated last line is owed (GNU).
    fn emit_text(&mut self, out: &mut dyn Write, text: &[u8]) -> io::Result<()> {
        match text.split_last() {
            Some((_, body)) => self.emit(out, body, true),
            None if self.missing_newline => {
                self.missing_newline = false;
                out.write_all(&[self.set.delim])
            }
            None => Ok(()),
        }
    }

    fn print_ps(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let ps = std::mem::take(&mut self.ps);
        let r = self.emit(out, &ps, self.chomped);
        self.ps = ps;
        r
    }

    /// Reads the next line into the pattern space (`append`: after a newline).
    fn read_line(&mut self, inp: &mut Inputs<'_, '_>, append: bool) -> bool {
        let mut buf = std::mem::take(&mut self.scratch);
        let got = inp.read(&mut buf, self.set.delim);
        let ok = match got {
            Some(chomped) => {
                self.chomped = chomped;
                self.lineno += 1;
                if append {
                    self.ps.push(self.set.delim);
                    self.ps.extend_from_slice(&buf);
                } else {
                    std::mem::swap(&mut self.ps, &mut buf);
                }
                if self.file_name != inp.cur_name {
                    self.file_name.clone_from(&inp.cur_name);
                }
                true
            }
            None => false,
        };
        self.scratch = buf;
        ok
    }

    fn flush_queue(&mut self, out: &mut dyn Write) -> io::Result<()> {
        for q in std::mem::take(&mut self.queue) {
            match q {
                Queued::Text(t) => self.emit_text(out, &t)?,
                Queued::File(name) => {
                    let mut data = Vec::new();
                    if let Ok(mut f) = lines::open(&name) {
                        let _ = lines::read_all(&mut f, &mut data);
                    }
                    if !data.is_empty() {
                        if self.missing_newline {
                            out.write_all(&[self.set.delim])?;
                            self.missing_newline = false;
                        }
                        out.write_all(&data)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs the program over every line of `inp`, writing to `out`.
    pub fn run(&mut self, inp: &mut Inputs<'_, '_>, out: &mut dyn Write) -> io::Result<()> {
        let mut restart = false;
        while self.quit.is_none() {
            if !restart {
                if !self.read_line(inp, false) {
                    break;
                }
                self.tflag = false;
            }
            restart = false;
            let flow = self.cycle(inp, out)?;
            match flow {
                Flow::Next => {
                    if !self.set.quiet {
                        self.print_ps(out)?;
                    }
                }
                Flow::Delete => {}
                Flow::Restart => restart = true,
                Flow::Quit(print) => {
                    if print && !self.set.quiet {
                        self.print_ps(out)?;
                    }
                    self.quit.get_or_insert(0);
                }
            }
            self.flush_queue(out)?;
            if self.set.unbuffered {
                out.flush()?;
            }
        }
        Ok(())
    }

    fn regex_matches(&mut self, re: Option<usize>) -> bool {
        let idx = match re.or(self.last_re) {
            Some(i) => i,
            None => {
                self.errors.push(b"no previous regular expression".to_vec());
                return false;
            }
        };
        self.last_re = Some(idx);
        self.prog
            .regexes
            .get(idx)
            .is_some_and(|r| r.is_match(&self.ps))
    }

    fn addr_matches(&mut self, a: &Addr, inp: &mut Inputs<'_, '_>) -> bool {
        match *a {
            Addr::Line(n) => self.lineno == n,
            Addr::Last => inp.at_end(),
            Addr::Re(re) => self.regex_matches(re),
            Addr::Step(first, step) => {
                if step == 0 {
                    self.lineno == first
                } else {
                    self.lineno >= first && (self.lineno - first).is_multiple_of(step)
                }
            }
            Addr::Zero => false,
        }
    }

    fn selected(&mut self, i: usize, cmd: &Cmd, inp: &mut Inputs<'_, '_>) -> bool {
        let Some(a1) = &cmd.a1 else {
            return !cmd.negate;
        };
        let hit = match &cmd.a2 {
            None => self.addr_matches(a1, inp),
            Some(a2) => self.in_range(i, a1, a2, inp),
        };
        hit != cmd.negate
    }

    fn in_range(&mut self, i: usize, a1: &Addr, a2: &Addr2, inp: &mut Inputs<'_, '_>) -> bool {
        let mut r = self.ranges.get(i).copied().unwrap_or_default();
        let line = self.lineno;
        let hit;
        if r.active {
            hit = true;
            match (a2, r.end) {
                (_, Some(end)) => {
                    if line >= end {
                        r.active = false;
                    }
                }
                (Addr2::At(a), None) => {
                    if self.addr_matches(a, inp) {
                        r.active = false;
                    }
                }
                _ => r.active = false,
            }
        } else {
            let start = match a1 {
                Addr::Zero => line == 1 || self.ranges.get(i).is_some_and(|x| x.active),
                // GNU: a line-number start already passed (its line was deleted or
                // swallowed by N before this command ran) still opens the range, if the
                // end is not a line number that is passed too.
                Addr::Line(n) => {
                    !r.closed
                        && (line == *n
                            || (line > *n && !matches!(a2, Addr2::At(Addr::Line(m)) if *m < line)))
                }
                a => self.addr_matches(a, inp),
            };
            if matches!(a1, Addr::Line(_)) && start {
                r.closed = true;
            }
            if !start {
                hit = false;
            } else {
                hit = true;
                r.end = None;
                r.active = true;
                match a2 {
                    Addr2::At(Addr::Line(n)) => {
                        if *n <= line {
                            r.active = false;
                        } else {
                            r.end = Some(*n);
                        }
                    }
                    Addr2::Plus(n) => {
                        if *n == 0 {
                            r.active = false;
                        } else {
                            r.end = Some(line.saturating_add(*n));
                        }
                    }
                    Addr2::Multiple(n) => {
                        if *n == 0 || line.is_multiple_of(*n) {
                            r.active = false;
                        } else {
                            r.end = Some((line / n + 1) * n);
                        }
                    }
                    Addr2::At(Addr::Last) => {
                        if inp.at_end() {
                            r.active = false;
                        }
                    }
                    Addr2::At(a) => {
                        // 0,/re/ checks the end on the first line too.
                        if matches!(a1, Addr::Zero) && self.addr_matches(a, inp) {
                            r.active = false;
                        }
                    }
                }
            }
        }
        if let Some(slot) = self.ranges.get_mut(i) {
            *slot = r;
        }
        hit
    }

    fn cycle(&mut self, inp: &mut Inputs<'_, '_>, out: &mut dyn Write) -> io::Result<Flow> {
        let prog = self.prog;
        let mut pc = 0;
        while let Some(cmd) = prog.cmds.get(pc) {
            if !self.selected(pc, cmd, inp) {
                pc = match cmd.kind {
                    Kind::Block(end) => end,
                    _ => pc + 1,
                };
                continue;
            }
            pc += 1;
            match &cmd.kind {
                Kind::Block(_) | Kind::End | Kind::Label | Kind::Nop => {}
                Kind::Subst(s) => {
                    if self.substitute(s) {
                        self.tflag = true;
                        for _ in 0..s.print {
                            self.print_ps(out)?;
                        }
                        if let Some(w) = s.write {
                            self.write_file(w, out, false)?;
                        }
                    }
                }
                Kind::Trans(map) => {
                    for b in &mut self.ps {
                        *b = map[usize::from(*b)];
                    }
                }
                Kind::Append(t) => self.queue.push(Queued::Text(t.clone())),
                Kind::Insert(t) => self.emit_text(out, t)?,
                Kind::Change(t) => {
                    let range_mid = cmd.a2.is_some()
                        && !cmd.negate
                        && self.ranges.get(pc - 1).is_some_and(|r| r.active);
                    if !range_mid {
                        self.emit_text(out, t)?;
                    }
                    return Ok(Flow::Delete);
                }
                Kind::Delete => return Ok(Flow::Delete),
                Kind::DeleteFirst => match memchr::memchr(self.set.delim, &self.ps) {
                    Some(i) => {
                        self.ps.drain(..=i);
                        self.flush_queue(out)?;
                        return Ok(Flow::Restart);
                    }
                    None => return Ok(Flow::Delete),
                },
                Kind::Print => self.print_ps(out)?,
                Kind::PrintFirst => {
                    let end = memchr::memchr(self.set.delim, &self.ps).unwrap_or(self.ps.len());
                    let first = self.ps.get(..end).unwrap_or_default().to_vec();
                    self.emit(out, &first, true)?;
                }
                Kind::Next => {
                    if inp.at_end() {
                        return Ok(Flow::Quit(true));
                    }
                    if !self.set.quiet {
                        self.print_ps(out)?;
                    }
                    self.flush_queue(out)?;
                    if !self.read_line(inp, false) {
                        return Ok(Flow::Quit(false));
                    }
                }
                Kind::NextAppend => {
                    if inp.at_end() {
                        return Ok(Flow::Quit(true));
                    }
                    self.flush_queue(out)?;
                    if !self.read_line(inp, true) {
                        return Ok(Flow::Quit(true));
                    }
                }
                Kind::Get => self.ps.clone_from(&self.hs),
                Kind::GetAppend => {
                    self.ps.push(self.set.delim);
                    self.ps.extend_from_slice(&self.hs);
                }
                Kind::Hold => self.hs.clone_from(&self.ps),
                Kind::HoldAppend => {
                    self.hs.push(self.set.delim);
                    self.hs.extend_from_slice(&self.ps);
                }
                Kind::Exchange => std::mem::swap(&mut self.ps, &mut self.hs),
                Kind::Branch(kind, target) => {
                    let jump = match kind {
                        b't' => std::mem::take(&mut self.tflag),
                        b'T' => !std::mem::take(&mut self.tflag),
                        _ => true,
                    };
                    if jump {
                        pc = target.unwrap_or(prog.cmds.len());
                    }
                }
                Kind::LineNum => {
                    let n = format!("{}", self.lineno);
                    self.emit(out, n.as_bytes(), true)?;
                }
                Kind::List(w) => {
                    let width = w.unwrap_or(self.set.wrap);
                    let text = list(&self.ps, width);
                    self.emit(out, &text, true)?;
                }
                Kind::Quit(print, code) => {
                    self.quit = Some(*code);
                    return Ok(Flow::Quit(*print));
                }
                Kind::ReadFile(name) => self.queue.push(Queued::File(name.clone())),
                Kind::ReadLine(name) => {
                    if let Some(line) = self.read_r_line(name) {
                        self.queue.push(Queued::Text(line));
                    }
                }
                Kind::Write(w) => self.write_file(*w, out, false)?,
                Kind::WriteFirst(w) => self.write_file(*w, out, true)?,
                Kind::Zap => self.ps.clear(),
                Kind::FileName => {
                    let name = if self.file_name.is_empty() {
                        b"-".to_vec()
                    } else {
                        self.file_name.clone()
                    };
                    self.emit(out, &name, true)?;
                }
            }
        }
        Ok(Flow::Next)
    }

    fn read_r_line(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        let idx = match self.rfiles.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                let f = lines::open(name).ok().map(BufReader::new);
                self.rfiles.push((name.to_vec(), f));
                self.rfiles.len() - 1
            }
        };
        let reader = self.rfiles.get_mut(idx)?.1.as_mut()?;
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(n) if n > 0 => {
                if line.last() != Some(&b'\n') {
                    line.push(b'\n');
                }
                Some(line)
            }
            _ => None,
        }
    }

    fn write_file(&mut self, w: usize, out: &mut dyn Write, first: bool) -> io::Result<()> {
        let end = if first {
            memchr::memchr(self.set.delim, &self.ps).unwrap_or(self.ps.len())
        } else {
            self.ps.len()
        };
        // Like the output, a `w` file ends without a newline where the input did.
        let nl = end < self.ps.len() || self.chomped;
        let text = self.ps.get(..end).unwrap_or_default().to_vec();
        let delim = self.set.delim;
        match (self.wfiles.get_mut(w), self.wmissing.get_mut(w)) {
            (Some(Some(f)), Some(missing)) => {
                if *missing {
                    f.write_all(&[delim])?;
                }
                f.write_all(&text)?;
                *missing = !nl;
                if nl { f.write_all(&[delim]) } else { Ok(()) }
            }
            _ => self.emit(out, &text, nl),
        }
    }

    /// `s`: returns whether a replacement was made.
    fn substitute(&mut self, s: &Subst) -> bool {
        let Some(idx) = s.re.or(self.last_re) else {
            self.errors.push(b"no previous regular expression".to_vec());
            return false;
        };
        self.last_re = Some(idx);
        let Some(re) = self.prog.regexes.get(idx) else {
            return false;
        };
        let ps = &self.ps;
        let mut out: Vec<u8> = Vec::new();
        let mut copied = 0;
        let mut pos = 0;
        let mut count = 0u64;
        let mut prev_end: Option<usize> = None;
        let mut done = false;
        let mut groups: Vec<Option<(usize, usize)>> = Vec::new();
        while pos <= ps.len() {
            let (ms, me) = if s.groups {
                match re.find_at(ps, pos) {
                    Some(m) => {
                        groups = m.groups;
                        (m.start, m.end)
                    }
                    None => break,
                }
            } else {
                match re.find_span_at(ps, pos) {
                    Some(m) => m,
                    None => break,
                }
            };
            if ms == me && prev_end == Some(ms) {
                pos = ms + 1;
                continue;
            }
            count += 1;
            if count >= s.nth {
                out.extend_from_slice(ps.get(copied..ms).unwrap_or_default());
                expand(&s.repl, ps, ms, me, &groups, &mut out);
                copied = me;
                done = true;
                if !s.global {
                    break;
                }
            }
            prev_end = Some(me);
            pos = if me == ms { me + 1 } else { me };
        }
        if !done {
            return false;
        }
        out.extend_from_slice(ps.get(copied..).unwrap_or_default());
        self.ps = out;
        true
    }
}

/// Appends the replacement for match `s..e` of `ps` to `out`, with GNU case conversion.
fn expand(
    repl: &[Piece],
    ps: &[u8],
    s: usize,
    e: usize,
    groups: &[Option<(usize, usize)>],
    out: &mut Vec<u8>,
) {
    // mode: b'L' / b'U' / 0; once: b'l' / b'u' / 0.
    let mut mode = 0u8;
    let mut once = 0u8;
    for p in repl {
        let text: &[u8] = match p {
            Piece::Lit(t) => t,
            Piece::Group(0) => ps.get(s..e).unwrap_or_default(),
            Piece::Group(g) => match groups.get(*g).copied().flatten() {
                Some((a, b)) => ps.get(a..b).unwrap_or_default(),
                None => b"",
            },
            Piece::Case(c) => {
                match c {
                    b'L' | b'U' => {
                        mode = *c;
                        once = 0;
                    }
                    b'E' => {
                        mode = 0;
                        once = 0;
                    }
                    _ => once = *c,
                }
                continue;
            }
        };
        if mode == 0 && once == 0 {
            out.extend_from_slice(text);
            continue;
        }
        for &b in text {
            let c = match once {
                b'l' => b.to_ascii_lowercase(),
                b'u' => b.to_ascii_uppercase(),
                _ => match mode {
                    b'L' => b.to_ascii_lowercase(),
                    b'U' => b.to_ascii_uppercase(),
                    _ => b,
                },
            };
            once = 0;
            out.push(c);
        }
    }
}

/// The `l` form of `ps`: escapes, octal for other unprintables, `\` line wrapping at
/// `width` (0 or 1: none), `$` at the end.
fn list(ps: &[u8], width: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(ps.len() + 2);
    let mut col = 0;
    for &b in ps {
        let piece: Vec<u8> = match b {
            b'\\' => b"\\\\".to_vec(),
            7 => b"\\a".to_vec(),
            8 => b"\\b".to_vec(),
            12 => b"\\f".to_vec(),
            b'\n' => b"\\n".to_vec(),
            b'\r' => b"\\r".to_vec(),
            b'\t' => b"\\t".to_vec(),
            11 => b"\\v".to_vec(),
            0x20..=0x7e => vec![b],
            _ => format!("\\{b:03o}").into_bytes(),
        };
        if width > 1 && col + piece.len() > width - 1 {
            out.extend_from_slice(b"\\\n");
            col = 0;
        }
        col += piece.len();
        out.extend_from_slice(&piece);
    }
    out.push(b'$');
    out
}
