//! POSIX pattern matching over bytes with a quoted bit per byte.
//!
//! This is the matcher behind `case`, `${x#p}` and friends, `${x/p/r}`, pathname expansion,
//! `find -name`/`-path`, `tar --exclude` and `[[ x == p ]]`: XCU 2.13 Pattern Matching
//! Notation with `fnmatch` semantics as glibc implements them in the C locale.
//!
//! A [`Pattern`] is compiled once into a short token list (literal byte, `?`, `*`, or a
//! 256-bit byte set for a bracket expression) and then matched against byte strings; nothing
//! assumes UTF-8.
//!
//! - [`Pattern::matches`] uses the classic iterative star-backtracking matcher (remember the
//!   last `*` and retry it one byte further on a mismatch), which runs in O(pattern × string)
//!   without allocating. In pathname mode the pattern and the string are matched slash
//!   component by slash component, since only a literal `/` can match a `/`.
//! - [`Pattern::match_prefix`], [`Pattern::match_suffix`] and [`Pattern::find`] need every
//!   possible match extent, so they simulate the token list as a position automaton instead
//!   (one pass over the string, O(pattern × string), for all extents at once).
//!
//! Quoting: a byte whose quoted bit is set is always literal. An *unquoted* backslash escapes
//! the byte after it (XCU 2.13.1), as in `x='\*'; case $y in $x)`; a trailing unquoted
//! backslash stands for itself, as in dash.
//!
//! Where we differ from glibc `fnmatch` on purpose: a trailing backslash is literal (glibc
//! never matches); `*\/` matches `a/` in pathname mode (glibc's star loop misses escaped
//! slashes); an unterminated bracket is always a literal `[` (glibc rejects some, such as
//! `[a-`); a malformed `[.x.]` makes the pattern match nothing even where glibc would match
//! before reaching it. From dash: `^` negates a bracket as `!` does (bash, busybox, glibc),
//! and `[.x.]`/`[=x=]` are understood (dash takes them as plain bytes).

mod compile;
mod engine;
#[cfg(test)]
mod tests;

/// How a pattern is matched; `Options::default()` is the plain `case`/`${x#p}` behaviour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Pathname mode (`FNM_PATHNAME`): a `/` in the string is matched only by a literal `/`
    /// in the pattern, never by `*`, `?` or a bracket expression.
    pub pathname: bool,
    /// Leading-period mode (`FNM_PERIOD`): a `.` at the start of the string (and, in
    /// pathname mode, right after a `/`) must be matched by a literal `.` in the pattern.
    pub period: bool,
    /// Case-insensitive matching of ASCII letters (`FNM_CASEFOLD`), for `find -iname` and
    /// `nocasematch`.
    pub casefold: bool,
}

/// Which extent [`Pattern::match_prefix`] and [`Pattern::match_suffix`] pick: `#`/`%` want
/// the shortest match, `##`/`%%` the longest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extent {
    /// The shortest matching prefix or suffix.
    Shortest,
    /// The longest matching prefix or suffix.
    Longest,
}

/// One compiled pattern element.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// A byte that must match exactly.
    Lit(u8),
    /// `?`: any one byte.
    Any,
    /// `*`: any run of bytes (consecutive stars are collapsed into one).
    Star,
    /// A bracket expression, already negated and case-folded as needed.
    Set(ByteSet),
}

/// A set of bytes as a 256-bit map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// A compiled POSIX pattern with its matching options.
#[derive(Clone, Debug)]
pub struct Pattern {
    toks: Vec<Tok>,
    opts: Options,
}

impl Pattern {
    /// Compiles a pattern from bytes and a parallel quoted mask, as the shell's expander
    /// produces it: `quoted[i]` says whether `bytes[i]` came from quotes (and so is literal).
    /// A mask shorter than `bytes` leaves the remaining bytes unquoted.
    pub fn new(bytes: &[u8], quoted: &[bool], opts: Options) -> Pattern {
        Pattern {
            toks: compile::compile(bytes, quoted, opts.casefold),
            opts,
        }
    }

    /// Compiles plain unquoted pattern text, as `find -name` and `fnmatch()` take it: every
    /// byte is live and a backslash escapes the byte after it.
    pub fn parse(text: &[u8], opts: Options) -> Pattern {
        Pattern::new(text, &[], opts)
    }

    /// The options this pattern was compiled with.
    pub fn options(&self) -> Options {
        self.opts
    }

    /// Whether the whole of `s` matches the pattern.
    pub fn matches(&self, s: &[u8]) -> bool {
        engine::matches(&self.toks, s, self.opts)
    }

    /// The length of the shortest or longest prefix of `s` that matches, for `${x#p}` and
    /// `${x##p}`; `None` when no prefix (not even the empty one) matches.
    pub fn match_prefix(&self, s: &[u8], extent: Extent) -> Option<usize> {
        engine::prefix(&self.toks, s, self.opts, extent)
    }

    /// The start index of the shortest or longest suffix of `s` that matches, for `${x%p}`
    /// and `${x%%p}`; `None` when no suffix (not even the empty one) matches.
    pub fn match_suffix(&self, s: &[u8], extent: Extent) -> Option<usize> {
        engine::suffix(&self.toks, s, self.opts, extent)
    }

    /// The leftmost-longest match in `s` starting at or after `from`, as `(start, end)`, for
    /// `${x/p/r}` and `${x//p/r}`. The match may be empty; the caller decides how to step
    /// past an empty match. `None` when nothing matches or `from > s.len()`.
    pub fn find(&self, s: &[u8], from: usize) -> Option<(usize, usize)> {
        engine::find(&self.toks, s, from, self.opts)
    }

    /// Whether the pattern has any live glob character (`*`, `?` or a bracket expression;
    /// with `casefold`, also any letter). Without magic a pattern matches exactly one string,
    /// [`Pattern::literal`], so the shell can skip reading directories for plain words.
    pub fn has_magic(&self) -> bool {
        self.toks.iter().any(|t| !matches!(t, Tok::Lit(_)))
    }

    /// The only string the pattern matches, with quoting and escapes removed, when it has no
    /// magic (see [`Pattern::has_magic`]); `None` otherwise.
    pub fn literal(&self) -> Option<Vec<u8>> {
        self.toks
            .iter()
            .map(|t| match t {
                Tok::Lit(b) => Some(*b),
                _ => None,
            })
            .collect()
    }
}
