//! POSIX basic and extended regular expressions (BRE/ERE) over bytes, for grep, sed, awk,
//! expr, `find -regex` and `[[ =~ ]]`.
//!
//! # Pipeline
//! 1. `syntax.rs` parses the pattern into rbox's own AST, following glibc `regcomp`
//!    (`RE_SYNTAX_POSIX_BASIC`/`_EXTENDED`) including the GNU extensions: in BRE `\+ \? \|`,
//!    `\{n,m\}`, `\(\)`, `\1`..`\9`, a literal `*` (and `\+`, `\?`) where nothing precedes
//!    it, `^` an anchor only at the start of the RE or after `\(`/`\|`, `$` only at the end or
//!    before `\)`/`\|`; in ERE `+ ? | {n,m} ()`, anchors anywhere, and GNU's `\1`..`\9`; in
//!    both `\< \> \b \B \w \W \s \S`, `` \` `` (buffer start), `\'` (buffer end), `\c` = `c`
//!    for any other byte, and bracket expressions with `]` first, ranges, `[:class:]`,
//!    `[=x=]`, `[.x.]`, backslash literal inside. Case folding (`icase`) and the
//!    newline-sensitive set rules are applied in the AST, so every engine agrees.
//! 2. Without backreferences the AST is lowered to a `regex`-crate pattern (every
//!    non-alphanumeric byte as `\xHH`, sets as byte ranges, Unicode off), so non-UTF-8
//!    bytes in pattern or text never fail or panic. `regex::bytes::Regex` answers
//!    [`Regex::is_match`] and finds the leftmost start.
//! 3. Leftmost-longest ([`Regex::find_at`]): the start is `regex`'s leftmost-first start;
//!    the end is the longest end of a `regex_automata` lazy DFA (`MatchKind::All`) searched
//!    anchored at that start inside the whole haystack; the groups come from an anchored
//!    meta-regex run forced to end at that end (see `longest.rs`).
//! 4. With backreferences a bounded backtracker over the AST does everything.
//!
//! # Why the leftmost-first start is the leftmost-longest start
//! Both semantics report a match at the smallest position `s` from which *some* match
//! exists: a leftmost-first engine tries start positions in order and takes the first
//! position where any alternative succeeds; which alternative wins only changes the end.
//! So only the end (and the groups) can differ. The tests check this against glibc.
//!
//! # Groups: where they differ from POSIX
//! POSIX wants each subexpression, left to right, to take the longest possible match
//! consistent with the overall leftmost-longest match. rbox picks, among the paths that
//! produce the overall span, the one a backtracking (leftmost-first) engine would try
//! first: alternatives in order, greedy repetition. Example: ERE `(a|ab)(c|bcd)(d*)` on
//! `abcd` matches `0..4` with `\1 = a`, `\2 = bcd`, `\3 = ""`; POSIX rules give
//! `\1 = ab`, `\2 = c`, `\3 = d`. glibc agrees with rbox here (glibc is not exact POSIX
//! either). Like glibc, a group inside a repetition keeps the span of the last iteration
//! in which it participated (`((a)|b)*` on `ab`: `\2 = 0..1`).
//!
//! # Known differences from glibc
//! Found with the oracle test (`oracle.rs`); spans agree on the table and on 8000 random
//! patterns per run (120 000 more checked with other seeds while writing this).
//! - glibc bug: without REG_NEWLINE a `^`/`$` in the *middle* of a pattern still matches
//!   next to a `\n` the pattern itself consumed (ERE `b.^.` matches `b\nb` there). rbox
//!   treats the buffer as one string, as POSIX says.
//! - glibc's `\B` is unreliable (`a*\B` on `_a` gives 2..2, an edge of a word); rbox's
//!   `\B` is "not at a word edge", GNU's documented meaning.
//! - glibc bug: a backreference to a group inside a repetition can fail to match
//!   (`(b*){2}\1` does not match " "); rbox matches.
//! - glibc's matcher hangs on some shapes (`(|a|b)*+`, backreferences with several
//!   repetitions); rbox's automata do not, and its backtracker has a step budget.
//! - Groups: when two decompositions give the same overall span, glibc sometimes picks
//!   the POSIX one (a later subexpression longest, `[ab]?(b*)` on `b` gives `\1 = b`
//!   there, empty here) or a later alternative of the same length (`\|\(b*\)`); rbox
//!   always picks the leftmost-first one. With groups outside repetitions and no empty
//!   alternative first they agree in practically all random cases (the test allows 3 %).
//! - A stray BRE `\)` is "Unmatched ) or \)" (REG_ERPAREN, as GNU grep and sed say);
//!   glibc's `regcomp` reports REG_EPAREN, "Unmatched ( or \(".
//! - `.` and negated sets match NUL (glibc's `RE_DOT_NOT_NULL`; `regexec` cannot see NUL).
//! - Like glibc, `icase` lower-cases range endpoints (`[A-a]` is `[aA]`), and classes are
//!   the C locale's: bytes `>= 0x80` are in no class and have no case.
//! - Group nesting deeper than 250 and more than 32 stacked repetition operators on one
//!   atom are "Regular expression too big" (glibc accepts them).
//! - A backtracking search that exceeds its step budget (20 million steps, a fraction
//!   of a second in release builds) is an error from [`Regex::try_find_at`] and "no match"
//!   from [`Regex::find_at`] and [`Regex::is_match`].

mod backtrack;
mod longest;
mod lower;
mod syntax;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

use std::fmt;

/// How to compile a pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// ERE (`grep -E`, awk, `=~`) instead of BRE.
    pub extended: bool,
    /// Ignore ASCII case (REG_ICASE).
    pub icase: bool,
    /// REG_NEWLINE: `.` and negated sets don't match `\n`; `^`/`$` match at line ends.
    pub newline: bool,
}

/// Why a pattern did not compile (messages as glibc's `regerror`), or a search gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegexError {
    /// `*`, `+`, `?` or an interval with nothing to repeat (REG_BADRPT).
    BadRepetition,
    /// `(` or `\(` without its close (REG_EPAREN).
    UnmatchedParen,
    /// A BRE `\)` with no `\(` open (REG_ERPAREN, GNU grep's and sed's message; glibc's
    /// `regcomp` calls this REG_EPAREN too).
    UnmatchedCloseParen,
    /// `[` without its `]` (REG_EBRACK).
    UnmatchedBracket,
    /// `{` or `\{` without its close (REG_EBRACE).
    UnmatchedBrace,
    /// Bad contents of an interval, or `{m,n}` with `n < m` (REG_BADBR).
    InvalidInterval,
    /// A range whose end is before its start, or a class as an endpoint (REG_ERANGE).
    InvalidRangeEnd,
    /// An unknown `[:name:]` (REG_ECTYPE).
    InvalidClass,
    /// `[.xy.]` or `[=xy=]` naming no single byte (REG_ECOLLATE).
    InvalidCollation,
    /// `\N` naming no completed group (REG_ESUBREG).
    InvalidBackref,
    /// A pattern ending in `\` (REG_EESCAPE).
    TrailingBackslash,
    /// A count above 32767 or a compiled program over the size limit (REG_ESIZE).
    TooBig,
    /// A backreference search ran out of its step budget.
    BacktrackLimit,
    /// The `regex` crate rejected a translated pattern (a translator bug; never a panic).
    Internal(String),
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegexError::BadRepetition => "Invalid preceding regular expression",
            RegexError::UnmatchedParen => "Unmatched ( or \\(",
            RegexError::UnmatchedCloseParen => "Unmatched ) or \\)",
            RegexError::UnmatchedBracket => "Unmatched [, [^, [:, [., or [=",
            RegexError::UnmatchedBrace => "Unmatched \\{",
            RegexError::InvalidInterval => "Invalid content of \\{\\}",
            RegexError::InvalidRangeEnd => "Invalid range end",
            RegexError::InvalidClass => "Invalid character class name",
            RegexError::InvalidCollation => "Invalid collation character",
            RegexError::InvalidBackref => "Invalid back reference",
            RegexError::TrailingBackslash => "Trailing backslash",
            RegexError::TooBig => "Regular expression too big",
            RegexError::BacktrackLimit => "Regular expression too complex to match",
            RegexError::Internal(msg) => return write!(f, "Invalid regular expression: {msg}"),
        })
    }
}

impl std::error::Error for RegexError {}

/// A leftmost-longest match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset just past the last byte.
    pub end: usize,
    /// Group spans; index 0 is the whole match, then `\1`.. (`None`: did not take part).
    pub groups: Groups,
}

/// Group spans, index 0 first; `None` for a group that did not take part.
type Groups = Vec<Option<(usize, usize)>>;

enum Engine {
    Automata(Box<longest::Automata>),
    Backtrack(backtrack::Program),
}

/// A compiled BRE or ERE.
pub struct Regex {
    engine: Engine,
    groups: usize,
    /// The pattern was empty (awk's `split(s, a, //)` splits into characters).
    empty: bool,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regex")
            .field("groups", &self.groups)
            .field("backtrack", &matches!(self.engine, Engine::Backtrack(_)))
            .finish()
    }
}

impl Regex {
    /// Compiles `pat` (bytes, any encoding) as a BRE or ERE.
    pub fn new(pat: &[u8], opts: &Options) -> Result<Regex, RegexError> {
        let ast = syntax::parse(pat, opts)?;
        let engine = if ast.node.has_backref() {
            Engine::Backtrack(backtrack::Program::new(
                &ast.node,
                ast.groups,
                opts.icase,
                opts.newline,
            )?)
        } else {
            Engine::Automata(Box::new(longest::Automata::new(lower::lower(
                &ast.node,
                opts.newline,
            ))?))
        };
        Ok(Regex {
            engine,
            groups: ast.groups,
            empty: pat.is_empty(),
        })
    }

    /// Whether the pattern was the empty string.
    pub fn is_empty_pattern(&self) -> bool {
        self.empty
    }

    /// Number of groups including group 0 (the whole match).
    pub fn captures_len(&self) -> usize {
        self.groups + 1
    }

    /// Whether the pattern matches anywhere in `hay` (a step-budget overrun is `false`).
    pub fn is_match(&self, hay: &[u8]) -> bool {
        match &self.engine {
            Engine::Automata(a) => a.is_match(hay),
            Engine::Backtrack(p) => matches!(p.find(hay, 0), Ok(Some(_))),
        }
    }

    /// The leftmost-longest match starting at or after `start`, with its groups.
    ///
    /// The text before `start` stays visible: `^` still means the start of `hay` (or of a
    /// line), never `start`, and `\<` looks at `hay[start - 1]` — what `sed s///g` and
    /// `grep -o` need when they resume after a match. A step-budget overrun is `None`.
    pub fn find_at(&self, hay: &[u8], start: usize) -> Option<Match> {
        self.try_find_at(hay, start).ok().flatten()
    }

    /// Like [`Regex::find_at`], but a search that gives up is an error.
    pub fn try_find_at(&self, hay: &[u8], start: usize) -> Result<Option<Match>, RegexError> {
        match &self.engine {
            Engine::Automata(a) => {
                let Some((s, e)) = a.find_span(hay, start)? else {
                    return Ok(None);
                };
                let mut groups = vec![Some((s, e))];
                if self.groups > 0 {
                    groups.extend(a.groups(hay, s, e, self.groups)?);
                }
                Ok(Some(Match {
                    start: s,
                    end: e,
                    groups,
                }))
            }
            Engine::Backtrack(p) => Ok(p.find(hay, start)?.and_then(|groups| {
                let (start, end) = groups.first().copied().flatten()?;
                Some(Match { start, end, groups })
            })),
        }
    }

    /// The end of the match that ends first among those starting at or after `start`
    /// (one forward pass, no start or longest end: for "which line matches first"). A
    /// step-budget overrun is `None`.
    pub fn shortest_end_at(&self, hay: &[u8], start: usize) -> Option<usize> {
        match &self.engine {
            Engine::Automata(a) => a.shortest_end(hay, start),
            Engine::Backtrack(_) => self.find_at(hay, start).map(|m| m.end),
        }
    }

    /// The span of the leftmost-longest match at or after `start`, without groups
    /// (cheaper: no capture pass). A step-budget overrun is `None`.
    pub fn find_span_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        match &self.engine {
            Engine::Automata(a) => a.find_span(hay, start).ok().flatten(),
            Engine::Backtrack(_) => self.find_at(hay, start).map(|m| (m.start, m.end)),
        }
    }
}
