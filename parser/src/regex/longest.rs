//! The automata engine: `regex` for match/no-match and the leftmost start, a lazy DFA
//! with `MatchKind::All` for the longest end, an anchored meta regex for the groups.
//!
//! The capture pass must report groups of a path that ends exactly at the longest end.
//! A leftmost-first search stops at the first (highest-priority) match, which may be
//! shorter, so the capture regex is the pattern followed by a forced end:
//! `(?:P)\z` over the whole haystack when the match ends at the end of the haystack, else
//! `(?:P)(?s-u:.)\z` over `hay[..end + 1]`. The extra byte is the real next byte, so the
//! look-ahead assertions at `end` (`$`, `\>`, `\b`) see what they would see in the whole
//! text; look-behind assertions see all of `hay[..start]` because the search is anchored
//! at `start` inside the haystack, not on a sub-slice.

use std::sync::{Mutex, OnceLock, PoisonError};

use regex_automata::nfa::thompson;
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, hybrid, meta};

use super::{Groups, RegexError};

/// Shared syntax settings: bytes, no Unicode, no UTF-8 requirement.
fn syntax_config() -> syntax::Config {
    syntax::Config::new()
        .unicode(false)
        .utf8(false)
        .nest_limit(1000)
}

/// Maps a build error of any engine to the GNU-style error.
fn build_error(msg: String) -> RegexError {
    if msg.contains("too big") || msg.contains("exceeds size") || msg.contains("nest") {
        RegexError::TooBig
    } else {
        RegexError::Internal(msg)
    }
}

/// The compiled engines for one backreference-free pattern.
pub(crate) struct Automata {
    /// The lowered pattern, kept to build the lazy engines.
    pattern: String,
    /// Leftmost-first regex: match/no-match and the overall start.
    re: regex::bytes::Regex,
    /// Lazy DFA with `MatchKind::All`: the longest end of an anchored search. Built on
    /// the first search that needs an end (grep's line selection never does); `None` if
    /// it cannot be built (a huge pattern: thousands of `grep -f` lines), then the
    /// PikeVM finds the end.
    dfa: OnceLock<Option<(hybrid::dfa::DFA, Mutex<hybrid::dfa::Cache>)>>,
    /// Fallback for the longest end if the lazy DFA gives up (it should not: no Unicode).
    pike: OnceLock<Result<(PikeVM, Mutex<pikevm::Cache>), RegexError>>,
    /// `(?:P)\z`, for groups of a match that ends at the end of the haystack.
    caps_end: OnceLock<Result<meta::Regex, RegexError>>,
    /// `(?:P)(?s-u:.)\z`, for groups of a match followed by at least one byte.
    caps_mid: OnceLock<Result<meta::Regex, RegexError>>,
}

impl Automata {
    pub(crate) fn new(pattern: String) -> Result<Automata, RegexError> {
        let re = regex::bytes::RegexBuilder::new(&pattern)
            .unicode(false)
            .nest_limit(1000)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => RegexError::TooBig,
                other => build_error(other.to_string()),
            })?;
        Ok(Automata {
            pattern,
            re,
            dfa: OnceLock::new(),
            pike: OnceLock::new(),
            caps_end: OnceLock::new(),
            caps_mid: OnceLock::new(),
        })
    }

    pub(crate) fn is_match(&self, hay: &[u8]) -> bool {
        self.re.is_match(hay)
    }

    /// The earliest end of a match starting at or after `start`.
    pub(crate) fn shortest_end(&self, hay: &[u8], start: usize) -> Option<usize> {
        if start > hay.len() {
            return None;
        }
        self.re.shortest_match_at(hay, start)
    }

    /// The leftmost-longest span of a match starting at or after `start`.
    pub(crate) fn find_span(
        &self,
        hay: &[u8],
        start: usize,
    ) -> Result<Option<(usize, usize)>, RegexError> {
        if start > hay.len() {
            return Ok(None);
        }
        let Some(m) = self.re.find_at(hay, start) else {
            return Ok(None);
        };
        let s = m.start();
        let input = Input::new(hay).range(s..).anchored(Anchored::Yes);
        let dfa_end = self.longest_dfa().map(|(dfa, cache)| {
            let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
            dfa.try_search_fwd(&mut cache, &input)
        });
        let end = match dfa_end {
            Some(Ok(Some(hm))) => hm.offset(),
            Some(Ok(None)) => m.end(),
            Some(Err(_)) | None => self.pike_end(&input)?.unwrap_or(m.end()),
        };
        Ok(Some((s, end.max(m.end()))))
    }

    fn longest_dfa(&self) -> Option<&(hybrid::dfa::DFA, Mutex<hybrid::dfa::Cache>)> {
        self.dfa
            .get_or_init(|| {
                let dfa = hybrid::dfa::DFA::builder()
                    .configure(hybrid::dfa::DFA::config().match_kind(MatchKind::All))
                    .syntax(syntax_config())
                    .thompson(thompson::Config::new().utf8(false))
                    .build(&self.pattern)
                    .ok()?;
                let cache = Mutex::new(dfa.create_cache());
                Some((dfa, cache))
            })
            .as_ref()
    }

    fn pike_end(&self, input: &Input<'_>) -> Result<Option<usize>, RegexError> {
        let built = self.pike.get_or_init(|| {
            let vm = PikeVM::builder()
                .configure(PikeVM::config().match_kind(MatchKind::All))
                .syntax(syntax_config())
                .thompson(thompson::Config::new().utf8(false))
                .build(&self.pattern)
                .map_err(|e| build_error(e.to_string()))?;
            let cache = Mutex::new(vm.create_cache());
            Ok((vm, cache))
        });
        let (vm, cache) = built.as_ref().map_err(Clone::clone)?;
        let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(vm.find(&mut cache, input.clone()).map(|m| m.end()))
    }

    /// Group spans (1..=`groups`) of a path matching exactly `hay[start..end]`.
    pub(crate) fn groups(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        groups: usize,
    ) -> Result<Groups, RegexError> {
        let at_end = end >= hay.len();
        let cell = if at_end {
            &self.caps_end
        } else {
            &self.caps_mid
        };
        let built = cell.get_or_init(|| {
            let suffix = if at_end { "\\z" } else { "(?s-u:.)\\z" };
            meta::Regex::builder()
                .configure(meta::Regex::config().utf8_empty(false))
                .syntax(syntax_config())
                .build(&format!("(?:{}){suffix}", self.pattern))
                .map_err(|e| build_error(e.to_string()))
        });
        let re = built.as_ref().map_err(Clone::clone)?;
        let limit = if at_end { hay.len() } else { end + 1 };
        let input = Input::new(&hay[..limit])
            .range(start..)
            .anchored(Anchored::Yes);
        let mut caps = re.create_captures();
        re.search_captures(&input, &mut caps);
        let mut out = Vec::with_capacity(groups);
        for i in 1..=groups {
            out.push(caps.get_group(i).map(|sp| (sp.start, sp.end)));
        }
        Ok(out)
    }
}
