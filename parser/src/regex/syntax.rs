//! BRE/ERE front end: pattern bytes to rbox's own AST.
//!
//! The grammar follows glibc's `regcomp` with `RE_SYNTAX_POSIX_BASIC` / `_EXTENDED` plus the
//! GNU escapes; where POSIX leaves a construct undefined this parser does what glibc does
//! (each such choice is pinned by a test in `tests.rs` and checked by the oracle).

use super::{Options, RegexError};

/// glibc's `RE_DUP_MAX`: the largest count allowed in an interval.
pub(crate) const DUP_MAX: u32 = 0x7fff;
/// Deepest group nesting accepted (the AST and its users recurse; glibc allows more).
const MAX_DEPTH: usize = 250;
/// Most repetition operators stacked on one atom (`a***...`).
const MAX_STACKED_DUPS: usize = 32;

/// A set of bytes, one bit each.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(crate) struct ByteSet(pub(crate) [u64; 4]);

impl ByteSet {
    pub(crate) fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0
    }
    pub(crate) fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1u64 << (b & 63);
    }
    fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }
    fn insert_where(&mut self, f: impl Fn(u8) -> bool) {
        for b in 0..=255u8 {
            if f(b) {
                self.insert(b);
            }
        }
    }
    fn negate(&mut self) {
        for w in &mut self.0 {
            *w = !*w;
        }
    }
    fn remove(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] &= !(1u64 << (b & 63));
    }
    /// Adds the other ASCII case of every letter in the set.
    fn fold_case(&mut self) {
        let orig = *self;
        for b in 0..=255u8 {
            if orig.contains(b) && b.is_ascii_alphabetic() {
                self.insert(b ^ 0x20);
            }
        }
    }
    pub(crate) fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    /// The single member, if there is exactly one.
    pub(crate) fn single(&self) -> Option<u8> {
        if self.count() == 1 {
            (0..=255u8).find(|&b| self.contains(b))
        } else {
            None
        }
    }
}

/// A zero-width assertion.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Look {
    /// `^`: start of the buffer, or of a line in newline mode.
    Bol,
    /// `$`: end of the buffer, or of a line in newline mode.
    Eol,
    /// GNU `` \` ``: start of the buffer.
    BufStart,
    /// GNU `\'`: end of the buffer.
    BufEnd,
    /// `\<`
    WordStart,
    /// `\>`
    WordEnd,
    /// `\b`
    WordBoundary,
    /// `\B`
    NotWordBoundary,
}

/// The parsed expression.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Node {
    /// Matches the empty string.
    Empty,
    /// One byte.
    Literal(u8),
    /// One byte out of a set (`.`, brackets, `\w`, case-folded letters).
    Set(Box<ByteSet>),
    /// A zero-width assertion.
    Look(Look),
    /// Capture group `index` (1-based).
    Group(Box<Node>, usize),
    /// `\N`.
    Backref(usize),
    /// Concatenation.
    Concat(Vec<Node>),
    /// Alternation, in priority order.
    Alt(Vec<Node>),
    /// Greedy repetition `{min,max}`; `max == None` is unbounded.
    Repeat(Box<Node>, u32, Option<u32>),
}

impl Node {
    /// Whether a backreference occurs anywhere.
    pub(crate) fn has_backref(&self) -> bool {
        match self {
            Node::Backref(_) => true,
            Node::Group(n, _) | Node::Repeat(n, _, _) => n.has_backref(),
            Node::Concat(v) | Node::Alt(v) => v.iter().any(Node::has_backref),
            _ => false,
        }
    }
}

/// A parsed pattern: the AST and its number of capture groups (not counting group 0).
#[derive(Debug)]
pub(crate) struct Ast {
    pub(crate) node: Node,
    pub(crate) groups: usize,
}

/// Parses `pat` as a BRE or ERE (per `opts.extended`).
pub(crate) fn parse(pat: &[u8], opts: &Options) -> Result<Ast, RegexError> {
    let mut p = Parser {
        pat,
        pos: 0,
        opts: *opts,
        groups: 0,
        completed: Vec::new(),
        depth: 0,
    };
    let node = p.alternation()?;
    if p.pos < pat.len() {
        // Only an unmatched close paren (BRE `\)`) stops the top-level alternation early.
        return Err(RegexError::UnmatchedCloseParen);
    }
    Ok(Ast {
        node,
        groups: p.groups,
    })
}

struct Parser<'a> {
    pat: &'a [u8],
    pos: usize,
    opts: Options,
    groups: usize,
    /// Groups closed so far on the current path (glibc forgets those of other branches).
    completed: Vec<usize>,
    depth: usize,
}

/// What a position in the pattern starts.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Tok {
    Alt,
    Open,
    Close,
    /// `*`, `+`, `?`: (min, max).
    Dup(u32, Option<u32>),
    /// `{` or `\{`.
    Interval,
    Other,
    End,
}

impl Parser<'_> {
    fn ere(&self) -> bool {
        self.opts.extended
    }

    fn peek_at(&self, pos: usize) -> (Tok, usize) {
        let Some(&c) = self.pat.get(pos) else {
            return (Tok::End, 0);
        };
        if self.ere() {
            let t = match c {
                b'|' => Tok::Alt,
                b'(' => Tok::Open,
                b')' if self.depth > 0 => Tok::Close,
                b'*' => Tok::Dup(0, None),
                b'+' => Tok::Dup(1, None),
                b'?' => Tok::Dup(0, Some(1)),
                b'{' => Tok::Interval,
                _ => Tok::Other,
            };
            (t, 1)
        } else if c == b'*' {
            (Tok::Dup(0, None), 1)
        } else if c == b'\\' {
            let t = match self.pat.get(pos + 1) {
                Some(b'|') => Tok::Alt,
                Some(b'(') => Tok::Open,
                Some(b')') => Tok::Close,
                Some(b'+') => Tok::Dup(1, None),
                Some(b'?') => Tok::Dup(0, Some(1)),
                Some(b'{') => Tok::Interval,
                _ => Tok::Other,
            };
            (t, 2)
        } else {
            (Tok::Other, 1)
        }
    }

    fn peek(&self) -> (Tok, usize) {
        self.peek_at(self.pos)
    }

    fn alternation(&mut self) -> Result<Node, RegexError> {
        let before = self.completed.clone();
        let mut branches = vec![self.branch()?];
        let mut all_completed = self.completed.clone();
        while self.peek().0 == Tok::Alt {
            self.pos += self.peek().1;
            self.completed.clone_from(&before);
            branches.push(self.branch()?);
            all_completed.extend_from_slice(&self.completed);
        }
        // After the alternation every group of every branch counts as completed.
        self.completed = all_completed;
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn branch(&mut self) -> Result<Node, RegexError> {
        let mut items: Vec<Node> = Vec::new();
        let branch_start = self.pos;
        loop {
            let (tok, len) = self.peek();
            match tok {
                Tok::End | Tok::Alt | Tok::Close => break,
                _ => {}
            }
            let at_start = self.pos == branch_start;
            // BRE: `*` (and GNU `\+`, `\?`) are literal where nothing precedes them: at
            // the start of the RE, after `\(`, `\|`, or after an assertion such as `^`.
            if !self.ere()
                && let Tok::Dup(..) = tok
                && (at_start || matches!(items.last(), Some(Node::Look(_))))
            {
                let c = self.pat[self.pos + len - 1];
                self.pos += len;
                items.push(self.literal(c));
                self.postfix(&mut items)?;
                continue;
            }
            let atom = match tok {
                Tok::Dup(..) | Tok::Interval => return Err(RegexError::BadRepetition),
                Tok::Open => {
                    self.pos += len;
                    self.groups += 1;
                    let index = self.groups;
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(RegexError::TooBig);
                    }
                    let inner = self.alternation()?;
                    if self.peek().0 != Tok::Close {
                        return Err(RegexError::UnmatchedParen);
                    }
                    self.pos += self.peek().1;
                    self.depth -= 1;
                    self.completed.push(index);
                    Node::Group(Box::new(inner), index)
                }
                _ => self.simple_atom(at_start)?,
            };
            if let Node::Look(_) = atom {
                items.push(atom);
                // ERE: a repetition operator may not follow an assertion. BRE: a `*`
                // there is literal (above) and an interval is an error (atom position).
                if self.ere() && matches!(self.peek().0, Tok::Dup(..) | Tok::Interval) {
                    return Err(RegexError::BadRepetition);
                }
                continue;
            }
            items.push(atom);
            self.postfix(&mut items)?;
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// Applies any repetition operators that follow the last item.
    fn postfix(&mut self, items: &mut Vec<Node>) -> Result<(), RegexError> {
        let mut seen_dup = false;
        let mut stacked = 0;
        loop {
            let (tok, len) = self.peek();
            let (min, max) = match tok {
                Tok::Dup(min, max) => {
                    // glibc BRE (RE_CONTEXT_INVALID_DUP): `*` right after a repetition is
                    // an error, `\+` and `\?` are accepted.
                    if seen_dup && !self.ere() && min == 0 && max.is_none() {
                        return Err(RegexError::BadRepetition);
                    }
                    self.pos += len;
                    (min, max)
                }
                Tok::Interval => {
                    if seen_dup && !self.ere() {
                        return Err(RegexError::BadRepetition);
                    }
                    self.pos += len;
                    self.interval()?
                }
                _ => return Ok(()),
            };
            seen_dup = true;
            stacked += 1;
            if stacked > MAX_STACKED_DUPS {
                return Err(RegexError::TooBig);
            }
            let Some(last) = items.pop() else {
                return Err(RegexError::BadRepetition);
            };
            items.push(Node::Repeat(Box::new(last), min, max));
        }
    }

    /// Parses the body of an interval after its `{` / `\{`.
    fn interval(&mut self) -> Result<(u32, Option<u32>), RegexError> {
        let close: &[u8] = if self.ere() { b"}" } else { b"\\}" };
        let bad = |p: &Self| {
            // glibc: a missing close brace is EBRACE, bad contents before one is BADBR.
            if p.pat[p.pos..].windows(close.len()).any(|w| w == close) {
                RegexError::InvalidInterval
            } else {
                RegexError::UnmatchedBrace
            }
        };
        let min = self.number();
        let max = if self.pat.get(self.pos) == Some(&b',') {
            self.pos += 1;
            self.number()
        } else {
            match min {
                Some(m) => Some(m),
                None => return Err(bad(self)),
            }
        };
        if !self.pat[self.pos..].starts_with(close) {
            return Err(bad(self));
        }
        self.pos += close.len();
        let min = min.unwrap_or(0);
        if max.is_some_and(|max| max < min) {
            return Err(RegexError::InvalidInterval);
        }
        if min.max(max.unwrap_or(0)) > DUP_MAX {
            return Err(RegexError::TooBig);
        }
        Ok((min, max))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        let mut n: u32 = 0;
        while let Some(&c) = self.pat.get(self.pos) {
            if !c.is_ascii_digit() {
                break;
            }
            n = n.saturating_mul(10).saturating_add(u32::from(c - b'0'));
            self.pos += 1;
        }
        (self.pos > start).then_some(n)
    }

    fn literal(&self, c: u8) -> Node {
        if self.opts.icase && c.is_ascii_alphabetic() {
            let mut s = ByteSet::default();
            s.insert(c);
            s.insert(c ^ 0x20);
            Node::Set(Box::new(s))
        } else {
            Node::Literal(c)
        }
    }

    fn set(&self, mut s: ByteSet, negated: bool) -> Node {
        if self.opts.icase {
            s.fold_case();
        }
        if negated {
            s.negate();
            if self.opts.newline {
                s.remove(b'\n');
            }
        }
        Node::Set(Box::new(s))
    }

    /// Whether `$` at the current position (already consumed) is an anchor in a BRE.
    fn bre_dollar_anchors(&self) -> bool {
        matches!(self.peek().0, Tok::End | Tok::Alt | Tok::Close)
    }

    fn simple_atom(&mut self, at_start: bool) -> Result<Node, RegexError> {
        let c = self.pat[self.pos];
        self.pos += 1;
        match c {
            b'.' => {
                let mut s = ByteSet([!0; 4]);
                if self.opts.newline {
                    s.remove(b'\n');
                }
                Ok(Node::Set(Box::new(s)))
            }
            b'[' => self.bracket(),
            b'^' if self.ere() || at_start => Ok(Node::Look(Look::Bol)),
            b'$' if self.ere() || self.bre_dollar_anchors() => Ok(Node::Look(Look::Eol)),
            b'\\' => {
                let Some(&e) = self.pat.get(self.pos) else {
                    return Err(RegexError::TrailingBackslash);
                };
                self.pos += 1;
                let class = |f: fn(u8) -> bool| {
                    let mut s = ByteSet::default();
                    s.insert_where(f);
                    s
                };
                let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
                let space = |b: u8| b.is_ascii_whitespace() || b == 0x0b;
                Ok(match e {
                    b'1'..=b'9' => {
                        let n = usize::from(e - b'0');
                        if !self.completed.contains(&n) {
                            return Err(RegexError::InvalidBackref);
                        }
                        Node::Backref(n)
                    }
                    b'w' => Node::Set(Box::new(class(word))),
                    b'W' => {
                        let mut s = class(word);
                        s.negate();
                        Node::Set(Box::new(s))
                    }
                    b's' => Node::Set(Box::new(class(space))),
                    b'S' => {
                        let mut s = class(space);
                        s.negate();
                        Node::Set(Box::new(s))
                    }
                    b'<' => Node::Look(Look::WordStart),
                    b'>' => Node::Look(Look::WordEnd),
                    b'b' => Node::Look(Look::WordBoundary),
                    b'B' => Node::Look(Look::NotWordBoundary),
                    b'`' => Node::Look(Look::BufStart),
                    b'\'' => Node::Look(Look::BufEnd),
                    _ => self.literal(e),
                })
            }
            _ => Ok(self.literal(c)),
        }
    }

    /// Parses a bracket expression; `self.pos` is just past the `[`.
    fn bracket(&mut self) -> Result<Node, RegexError> {
        let negated = self.pat.get(self.pos) == Some(&b'^');
        if negated {
            self.pos += 1;
        }
        let mut set = ByteSet::default();
        let mut first = true;
        loop {
            let Some(&c) = self.pat.get(self.pos) else {
                return Err(RegexError::UnmatchedBracket);
            };
            if c == b']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            let lo = match self.bracket_elem(&mut set)? {
                Some(b) => b,
                None => {
                    // A class: it cannot start a range.
                    if self.pat.get(self.pos) == Some(&b'-')
                        && self.pat.get(self.pos + 1).is_some_and(|&n| n != b']')
                    {
                        return Err(RegexError::InvalidRangeEnd);
                    }
                    continue;
                }
            };
            if self.pat.get(self.pos) == Some(&b'-')
                && self.pat.get(self.pos + 1).is_some_and(|&n| n != b']')
            {
                self.pos += 1;
                let mut scratch = ByteSet::default();
                let Some(hi) = self.bracket_elem(&mut scratch)? else {
                    return Err(RegexError::InvalidRangeEnd);
                };
                // glibc translates both endpoints to lower case under REG_ICASE, so
                // `[A-a]` is `[a-a]` there, not the span 0x41..=0x61.
                let (lo, hi) = if self.opts.icase {
                    (lo.to_ascii_lowercase(), hi.to_ascii_lowercase())
                } else {
                    (lo, hi)
                };
                if hi < lo {
                    return Err(RegexError::InvalidRangeEnd);
                }
                set.insert_range(lo, hi);
            } else {
                set.insert(lo);
            }
        }
        Ok(self.set(set, negated))
    }

    /// One bracket element: a byte (returned) or a `[:class:]` (added to `set`).
    fn bracket_elem(&mut self, set: &mut ByteSet) -> Result<Option<u8>, RegexError> {
        let Some(&c) = self.pat.get(self.pos) else {
            return Err(RegexError::UnmatchedBracket);
        };
        if c == b'['
            && let Some(&kind @ (b':' | b'=' | b'.')) = self.pat.get(self.pos + 1)
        {
            {
                let body_start = self.pos + 2;
                let end = self.pat[body_start..]
                    .windows(2)
                    .position(|w| w[0] == kind && w[1] == b']')
                    .map(|i| body_start + i)
                    .ok_or(RegexError::UnmatchedBracket)?;
                let name = &self.pat[body_start..end];
                self.pos = end + 2;
                if kind == b':' {
                    let f = class_fn(name).ok_or(RegexError::InvalidClass)?;
                    set.insert_where(f);
                    return Ok(None);
                }
                // `[=x=]` and `[.x.]`: the C locale has only single-byte elements.
                return match name {
                    [b] => Ok(Some(*b)),
                    _ => Err(RegexError::InvalidCollation),
                };
            }
        }
        self.pos += 1;
        Ok(Some(c))
    }
}

/// The C-locale membership test of a `[:name:]` class.
fn class_fn(name: &[u8]) -> Option<fn(u8) -> bool> {
    Some(match name {
        b"alpha" => |b: u8| b.is_ascii_alphabetic(),
        b"digit" => |b: u8| b.is_ascii_digit(),
        b"alnum" => |b: u8| b.is_ascii_alphanumeric(),
        b"upper" => |b: u8| b.is_ascii_uppercase(),
        b"lower" => |b: u8| b.is_ascii_lowercase(),
        b"space" => |b: u8| b.is_ascii_whitespace() || b == 0x0b,
        b"blank" => |b: u8| b == b' ' || b == b'\t',
        b"punct" => |b: u8| b.is_ascii_punctuation(),
        b"print" => |b: u8| (0x20..0x7f).contains(&b),
        b"graph" => |b: u8| b.is_ascii_graphic(),
        b"cntrl" => |b: u8| b.is_ascii_control(),
        b"xdigit" => |b: u8| b.is_ascii_hexdigit(),
        _ => return None,
    })
}
