//! grep's matcher: the patterns compiled once into one engine (a substring search for a
//! single literal, else one `rbox_parser::regex` program), with `-w`/`-x` applied on top.
//!
//! The scanner asks for the next *line* that matches inside a large buffer: the engine
//! searches the whole buffer (newline-sensitive, so `^ $ .` keep to lines), then the line
//! around the hit is checked by itself when the hit alone does not settle it (a match
//! running over a newline, `-w`, `-x`). Patterns that cannot be searched across lines
//! (backreferences, `` \` ``, `\'`, `-z` records with regexes) go line by line.

use memchr::memmem;
use rbox_parser::regex::{Options as ReOptions, Regex, RegexError};

use crate::error::Error;

/// The regular-expression dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `-G`: basic.
    Basic,
    /// `-E`: extended.
    Extended,
    /// `-F`: fixed strings.
    Fixed,
}

/// `-w` / `-x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whole {
    /// Any match.
    No,
    /// `-w`: a match with no word constituent on either side.
    Word,
    /// `-x`: a match covering the whole line.
    Line,
}

enum Engine {
    /// An empty pattern: every position matches (emptily).
    All,
    /// One literal, case-sensitive.
    Lit(Box<memmem::Finder<'static>>),
    /// A compiled regex.
    Re(Box<Regex>),
}

impl Engine {
    fn find(&self, hay: &[u8], from: usize) -> Option<(usize, usize)> {
        match self {
            Engine::All => (from <= hay.len()).then_some((from, from)),
            Engine::Lit(f) => {
                let s = from + f.find(hay.get(from..)?)?;
                Some((s, s + f.needle().len()))
            }
            Engine::Re(re) => re.find_span_at(hay, from),
        }
    }
}

/// The compiled patterns.
pub struct Matcher {
    /// Usually one; several only for an empty pattern beside others, or patterns with
    /// backreferences (each keeps its own numbering).
    engines: Vec<Engine>,
    whole: Whole,
    /// Whether the engines may search a buffer of many lines at once.
    buffered: bool,
    /// An empty pattern without `-w`/`-x`: every line is selected.
    every_line: bool,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `pat` holds no character special in `syntax`.
fn is_literal(pat: &[u8], syntax: Syntax) -> bool {
    match syntax {
        Syntax::Fixed => true,
        Syntax::Basic => !pat.iter().any(|b| b"\\[*.^$".contains(b)),
        Syntax::Extended => !pat.iter().any(|b| b"\\[*.^$+?{}()|".contains(b)),
    }
}

/// `lit` as an ERE that matches exactly it.
fn escape_ere(lit: &[u8], out: &mut Vec<u8>) {
    for &b in lit {
        if b".[]()*+?{}|^$\\".contains(&b) {
            out.push(b'\\');
        }
        out.push(b);
    }
}

/// Whether a regex source uses what only line-at-a-time matching gets right:
/// backreferences (`\1`..`\9`) and the buffer anchors `` \` `` and `\'`.
fn needs_lines(pat: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&b) = pat.get(i) {
        if b == b'\\' {
            if let Some(&n) = pat.get(i + 1)
                && ((b'1'..=b'9').contains(&n) || n == b'`' || n == b'\'')
            {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The index just past the bracket expression opening at `pat[i] == '['`.
pub fn bracket_end(pat: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if pat.get(j) == Some(&b'^') {
        j += 1;
    }
    if pat.get(j) == Some(&b']') {
        j += 1;
    }
    while let Some(&b) = pat.get(j) {
        match b {
            b']' => return j + 1,
            b'[' if matches!(pat.get(j + 1), Some(b':' | b'.' | b'=')) => {
                let close = pat.get(j + 1).copied().unwrap_or(b':');
                let mut k = j + 2;
                while k + 1 < pat.len()
                    && !(pat.get(k) == Some(&close) && pat.get(k + 1) == Some(&b']'))
                {
                    k += 1;
                }
                j = k + 2;
            }
            _ => j += 1,
        }
    }
    pat.len()
}

/// GNU egrep syntax on top of POSIX ERE: `* + ?` with nothing to repeat repeat the empty
/// string, so they drop out (`*a` is `a`; GNU grep 3.8 also warns), and a `{` that opens
/// no valid interval is a literal (`a{1`); `{,n}` is `{0,n}` (glibc's regcomp rejects all
/// of these).
fn egrep_literals(pat: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pat.len() + 4);
    let mut i = 0;
    let mut start = true;
    while let Some(&b) = pat.get(i) {
        match b {
            b'\\' => {
                out.extend_from_slice(pat.get(i..i + 2).unwrap_or(&pat[i..]));
                i += 2;
                start = false;
                continue;
            }
            b'[' => {
                let e = bracket_end(pat, i);
                out.extend_from_slice(pat.get(i..e).unwrap_or_default());
                i = e;
                start = false;
                continue;
            }
            b'*' | b'+' | b'?' if start => {
                i += 1;
                continue;
            }
            b'{' => {
                let rest = pat.get(i + 1..).unwrap_or_default();
                let digits = rest
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || **c == b',')
                    .count();
                let valid = digits > 0
                    && rest.get(digits) == Some(&b'}')
                    && rest.iter().take(digits).filter(|c| **c == b',').count() <= 1;
                if start || !valid {
                    out.push(b'\\');
                }
            }
            _ => {}
        }
        out.push(b);
        start = matches!(b, b'(' | b'|' | b'^');
        i += 1;
    }
    out
}

fn compile(src: &[u8], opts: &ReOptions) -> Result<Engine, Error> {
    let fixed;
    let src = if opts.extended {
        fixed = egrep_literals(src);
        &fixed[..]
    } else {
        src
    };
    Regex::new(src, opts)
        .map(|re| Engine::Re(Box::new(re)))
        .map_err(|e| {
            if e == RegexError::UnmatchedBracket && src.ends_with(b"[") {
                Error::msg("Invalid regular expression")
            } else {
                Error::msg(e.to_string())
            }
        })
}

impl Matcher {
    /// Compiles `pats` (already split at newlines). `zero`: records end in NUL (`-z`).
    pub fn new(
        pats: &[Vec<u8>],
        syntax: Syntax,
        icase: bool,
        whole: Whole,
        zero: bool,
    ) -> Result<Matcher, Error> {
        let mut engines = Vec::new();
        let mut lines = false;
        let has_empty = pats.iter().any(|p| p.is_empty());
        if has_empty {
            engines.push(Engine::All);
        }
        // Every line matches; the other patterns still count for `-o` and colours.
        let every_line = has_empty && whole == Whole::No;
        let pats: Vec<&Vec<u8>> = pats.iter().filter(|p| !p.is_empty()).collect();
        let opts = ReOptions {
            extended: syntax != Syntax::Basic,
            icase,
            newline: !zero,
        };
        let lits = pats.iter().all(|p| is_literal(p, syntax));
        if lits {
            match pats.as_slice() {
                [] => {}
                [one] if !icase => engines.push(Engine::Lit(Box::new(
                    memmem::Finder::new(one.as_slice()).into_owned(),
                ))),
                many => {
                    let mut src = Vec::new();
                    for (i, p) in many.iter().enumerate() {
                        if i > 0 {
                            src.push(b'|');
                        }
                        escape_ere(p, &mut src);
                    }
                    let ere = ReOptions {
                        extended: true,
                        ..opts
                    };
                    engines.push(compile(&src, &ere)?);
                }
            }
        } else if let [one] = pats.as_slice() {
            lines = needs_lines(one);
            engines.push(compile(one, &opts)?);
        } else if pats.iter().any(|p| needs_lines(p)) {
            lines = true;
            for p in &pats {
                engines.push(compile(p, &opts)?);
            }
        } else {
            // One alternation of groups: each pattern keeps its own anchors.
            let (open, close, bar): (&[u8], &[u8], &[u8]) = if syntax == Syntax::Basic {
                (b"\\(", b"\\)", b"\\|")
            } else {
                (b"(", b")", b"|")
            };
            let mut src = Vec::new();
            for (i, p) in pats.iter().enumerate() {
                if i > 0 {
                    src.extend_from_slice(bar);
                }
                src.extend_from_slice(open);
                src.extend_from_slice(p);
                src.extend_from_slice(close);
            }
            engines.push(compile(&src, &opts)?);
        }
        Ok(Matcher {
            engines,
            whole,
            buffered: !lines && (!zero || lits),
            every_line,
        })
    }

    /// The leftmost-longest raw match (no `-w`/`-x`) in `hay` at or after `from`.
    fn raw_find(&self, hay: &[u8], from: usize) -> Option<(usize, usize)> {
        if let [one] = self.engines.as_slice() {
            return one.find(hay, from);
        }
        let mut best: Option<(usize, usize)> = None;
        for e in &self.engines {
            if let Some(m) = e.find(hay, from) {
                best = match best {
                    Some(b) if b.0 < m.0 || (b.0 == m.0 && b.1 >= m.1) => Some(b),
                    _ => Some(m),
                };
            }
        }
        best
    }

    /// Whether `hay[s..k]` is exactly a match of some engine (for `-w` shrinking).
    fn matches_exactly(&self, hay: &[u8], s: usize, k: usize) -> bool {
        let Some(short) = hay.get(..k) else {
            return false;
        };
        self.engines.iter().any(|e| match e {
            Engine::All => s == k,
            Engine::Lit(f) => short.get(s..) == Some(f.needle()),
            Engine::Re(re) => re.find_span_at(short, s) == Some((s, k)),
        })
    }

    /// Whether `line` (without its terminator) is selected by the patterns.
    pub fn line_matches(&self, line: &[u8]) -> bool {
        if self.every_line {
            return true;
        }
        match (self.whole, self.engines.as_slice()) {
            (Whole::No, [Engine::Re(re)]) => re.is_match(line),
            (Whole::Line, [Engine::Lit(f)]) => line == f.needle(),
            _ => self.find_in_line(line, 0).is_some(),
        }
    }

    /// The next match in `line` at or after `from`, with `-w`/`-x` applied: for `-o`
    /// and colours.
    pub fn find_in_line(&self, line: &[u8], from: usize) -> Option<(usize, usize)> {
        match self.whole {
            Whole::No => self.raw_find(line, from),
            Whole::Line => {
                if from > 0 {
                    return None;
                }
                let m = self.raw_find(line, 0)?;
                (m == (0, line.len())).then_some(m)
            }
            Whole::Word => self.word_find(line, from),
        }
    }

    /// `-w`: a match whose neighbours are not word constituents; when the longest match
    /// at a start fails at its end, shorter ones at that start are tried, then later
    /// starts (as GNU does).
    fn word_find(&self, line: &[u8], from: usize) -> Option<(usize, usize)> {
        let start_ok = |s: usize| s == 0 || line.get(s - 1).is_none_or(|&b| !is_word(b));
        let end_ok = |e: usize| line.get(e).is_none_or(|&b| !is_word(b));
        let mut at = from;
        while at <= line.len() {
            let (s, e) = self.raw_find(line, at)?;
            if start_ok(s) {
                if end_ok(e) {
                    return Some((s, e));
                }
                let mut k = e;
                while k > s {
                    k -= 1;
                    if end_ok(k) && self.matches_exactly(line, s, k) {
                        return Some((s, k));
                    }
                }
            }
            at = s + 1;
        }
        None
    }

    /// The next line in `buf[pos..end]` that matches, as `(start, terminator index)`;
    /// `pos` is a line start and `buf[end - 1]` is the terminator `delim`.
    pub fn next_line(
        &self,
        buf: &[u8],
        mut pos: usize,
        end: usize,
        delim: u8,
    ) -> Option<(usize, usize)> {
        let hay = buf.get(..end)?;
        if self.every_line {
            let le = pos + memchr::memchr(delim, hay.get(pos..)?)?;
            return Some((pos, le));
        }
        if !self.buffered {
            while pos < end {
                let le = pos + memchr::memchr(delim, hay.get(pos..)?)?;
                if self.line_matches(hay.get(pos..le)?) {
                    return Some((pos, le));
                }
                pos = le + 1;
            }
            return None;
        }
        if let (Whole::No, [Engine::Re(re)]) = (self.whole, self.engines.as_slice()) {
            // Only which line matches first counts: the earliest match end is enough (no
            // match spans a terminator), and the regex needs one forward pass for it.
            let e = re.shortest_end_at(hay, pos)?;
            if e >= end {
                return None;
            }
            let ls = memchr::memrchr(delim, hay.get(pos..e)?).map_or(pos, |i| pos + i + 1);
            let le = e + memchr::memchr(delim, hay.get(e..)?)?;
            return Some((ls, le));
        }
        while pos < end {
            let (s, e) = self.raw_find(hay, pos)?;
            if s >= end {
                return None;
            }
            let ls = memchr::memrchr(delim, hay.get(pos..s)?).map_or(pos, |i| pos + i + 1);
            let le = s + memchr::memchr(delim, hay.get(s..)?)?;
            if (self.whole == Whole::No && e <= le) || self.line_matches(hay.get(ls..le)?) {
                return Some((ls, le));
            }
            pos = le + 1;
        }
        None
    }
}
