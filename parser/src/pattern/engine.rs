//! Matching a token list against bytes.

use super::{Extent, Options, Tok};

/// Whether `tok` (not a star) matches the one byte `c`. In pathname mode nothing but a
/// literal matches `/`.
fn single(tok: &Tok, c: u8, pathname: bool) -> bool {
    match tok {
        Tok::Lit(b) => *b == c,
        Tok::Any => !(pathname && c == b'/'),
        Tok::Set(set) => !(pathname && c == b'/') && set.contains(c),
        Tok::Star => false,
    }
}

/// Whole-string match; see [`super::Pattern::matches`].
pub(super) fn matches(toks: &[Tok], s: &[u8], opts: Options) -> bool {
    if !opts.pathname {
        return backtrack(toks, s, opts.period);
    }
    // Only a literal `/` matches a `/`, so the i-th `/` of the pattern matches the i-th `/`
    // of the string and the components match independently.
    let mut pat = toks.split(|t| *t == Tok::Lit(b'/'));
    let mut str = s.split(|&c| c == b'/');
    loop {
        match (pat.next(), str.next()) {
            (None, None) => return true,
            (Some(p), Some(c)) if backtrack(p, c, opts.period) => {}
            _ => return false,
        }
    }
}

/// The classic iterative matcher: on a mismatch, let the most recent `*` swallow one more
/// byte and retry from there. Earlier stars never need revisiting, because the later star
/// can absorb anything they could. `s` contains no `/` in pathname mode, so stars and the
/// rest need no pathname check here.
fn backtrack(toks: &[Tok], s: &[u8], period: bool) -> bool {
    let mut unlimited = usize::MAX;
    backtrack_within(toks, s, period, &mut unlimited).unwrap_or(false)
}

/// [`backtrack`] counting its steps against `budget`; `None` when the budget ran out.
fn backtrack_within(toks: &[Tok], s: &[u8], period: bool, budget: &mut usize) -> Option<bool> {
    // A leading `.` must be matched by a literal `.`: not by `*` (even an empty one), `?` or
    // a bracket.
    if period && s.first() == Some(&b'.') && toks.first() != Some(&Tok::Lit(b'.')) {
        return Some(false);
    }
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        *budget = budget.checked_sub(1)?;
        match toks.get(p) {
            Some(Tok::Star) => {
                star = Some((p, i));
                p += 1;
                continue;
            }
            Some(tok) => {
                if let Some(&c) = s.get(i)
                    && single(tok, c, false)
                {
                    p += 1;
                    i += 1;
                    continue;
                }
            }
            None if i == s.len() => return Some(true),
            None => {}
        }
        match star {
            Some((sp, si)) if si < s.len() => {
                star = Some((sp, si + 1));
                p = sp + 1;
                i = si + 1;
            }
            _ => return Some(false),
        }
    }
}

/// Steps the candidate search of [`prefix`] and [`suffix`] may take per byte of the
/// subject before the automaton (linear in every case) takes over.
const STEPS_PER_BYTE: usize = 32;

/// Whether the star-free tokens `run` match `s` byte for byte (same lengths assumed).
fn run_matches(run: &[Tok], s: &[u8]) -> bool {
    run.iter().zip(s).all(|(t, &c)| single(t, c, false))
}

/// `${x#p}`-style search the way the usual patterns want it (`*/`, `.*`, `lib*`): try
/// each candidate end in order with the backtracking matcher, skipping ends where the
/// pattern's fixed tail cannot match. `None` when the step budget ran out.
fn prefix_by_candidates(
    toks: &[Tok],
    s: &[u8],
    period: bool,
    extent: Extent,
) -> Option<Option<usize>> {
    let last_star = toks.iter().rposition(|t| *t == Tok::Star);
    let tail = &toks[last_star.map_or(0, |k| k + 1)..];
    let min = toks.iter().filter(|t| **t != Tok::Star).count();
    let mut budget = STEPS_PER_BYTE * (s.len() + 1) + 256;
    let mut try_end = |e: usize| -> Option<bool> {
        if e < min || (last_star.is_none() && e != min) || !run_matches(tail, &s[e - tail.len()..e])
        {
            return Some(false);
        }
        backtrack_within(toks, &s[..e], period, &mut budget)
    };
    match extent {
        Extent::Shortest => {
            for e in 0..=s.len() {
                if try_end(e)? {
                    return Some(Some(e));
                }
            }
        }
        Extent::Longest => {
            for e in (0..=s.len()).rev() {
                if try_end(e)? {
                    return Some(Some(e));
                }
            }
        }
    }
    Some(None)
}

/// The suffix counterpart of [`prefix_by_candidates`]: candidate starts, filtered by the
/// pattern's fixed head.
fn suffix_by_candidates(toks: &[Tok], s: &[u8], extent: Extent) -> Option<Option<usize>> {
    let first_star = toks.iter().position(|t| *t == Tok::Star);
    let head = &toks[..first_star.unwrap_or(toks.len())];
    let min = toks.iter().filter(|t| **t != Tok::Star).count();
    let n = s.len();
    let mut budget = STEPS_PER_BYTE * (n + 1) + 256;
    let mut try_start = |st: usize| -> Option<bool> {
        let len = n - st;
        if len < min
            || (first_star.is_none() && len != min)
            || !run_matches(head, &s[st..st + head.len()])
        {
            return Some(false);
        }
        backtrack_within(toks, &s[st..], false, &mut budget)
    };
    match extent {
        Extent::Shortest => {
            for st in (0..=n).rev() {
                if try_start(st)? {
                    return Some(Some(st));
                }
            }
        }
        Extent::Longest => {
            for st in 0..=n {
                if try_start(st)? {
                    return Some(Some(st));
                }
            }
        }
    }
    Some(None)
}

const NONE: usize = usize::MAX;

/// A position automaton over the token list: state `k` means "the first `k` tokens have
/// matched"; each live state remembers the smallest string index where its match began
/// (which is all leftmost-longest search needs: two matches in the same state have the
/// same future, so the earlier start dominates).
struct Sim<'a> {
    toks: &'a [Tok],
    opts: Options,
    /// States reached by consuming the previous byte (or seeded), before `*` closure.
    raw: Vec<usize>,
    /// `raw` plus every state reachable from it by letting stars match nothing.
    closed: Vec<usize>,
    next: Vec<usize>,
}

impl<'a> Sim<'a> {
    fn new(toks: &'a [Tok], opts: Options) -> Sim<'a> {
        let n = toks.len() + 1;
        Sim {
            toks,
            opts,
            raw: vec![NONE; n],
            closed: vec![NONE; n],
            next: vec![NONE; n],
        }
    }

    fn seed(&mut self, start: usize) {
        self.raw[0] = self.raw[0].min(start);
    }

    /// Computes `closed` from `raw`; returns the start of a match ending here, if any.
    fn close(&mut self) -> Option<usize> {
        let mut carry = NONE;
        for (k, slot) in self.closed.iter_mut().enumerate() {
            *slot = self.raw[k].min(carry);
            carry = match self.toks.get(k) {
                Some(Tok::Star) => *slot,
                _ => NONE,
            };
        }
        self.closed.last().copied().filter(|&st| st != NONE)
    }

    /// Drops every state whose match began after `limit`; returns whether any state lives.
    fn prune(&mut self, limit: usize) -> bool {
        let mut alive = false;
        for st in &mut self.raw {
            if *st != NONE && *st > limit {
                *st = NONE;
            }
            alive |= *st != NONE;
        }
        alive
    }

    /// Consumes the byte `c`, which is a leading period when `leading` (only a literal `.`
    /// may consume it, and stars may not be skipped over to reach one). Call `close` first.
    /// Returns whether any state is left.
    fn step(&mut self, c: u8, leading: bool) -> bool {
        self.next.fill(NONE);
        let from = if leading { &self.raw } else { &self.closed };
        let pathname = self.opts.pathname;
        for (k, tok) in self.toks.iter().enumerate() {
            let st = from[k];
            if st == NONE {
                continue;
            }
            let to = match tok {
                _ if leading => (*tok == Tok::Lit(b'.')).then_some(k + 1),
                Tok::Star => (!(pathname && c == b'/')).then_some(k),
                _ => single(tok, c, pathname).then_some(k + 1),
            };
            if let Some(to) = to {
                self.next[to] = self.next[to].min(st);
            }
        }
        std::mem::swap(&mut self.raw, &mut self.next);
        self.raw.iter().any(|&st| st != NONE)
    }
}

/// Whether the byte at `s[i]` is a leading period for a match that starts at index 0.
fn leading(s: &[u8], i: usize, opts: Options) -> bool {
    opts.period
        && s.get(i) == Some(&b'.')
        && (i == 0 || (opts.pathname && s.get(i - 1) == Some(&b'/')))
}

/// Matched prefix length; see [`super::Pattern::match_prefix`].
pub(super) fn prefix(toks: &[Tok], s: &[u8], opts: Options, extent: Extent) -> Option<usize> {
    if !opts.pathname
        && let Some(r) = prefix_by_candidates(toks, s, opts.period, extent)
    {
        return r;
    }
    prefix_by_automaton(toks, s, opts, extent)
}

/// [`prefix`] in one pass over `s`, for every extent at once.
pub(super) fn prefix_by_automaton(
    toks: &[Tok],
    s: &[u8],
    opts: Options,
    extent: Extent,
) -> Option<usize> {
    let mut sim = Sim::new(toks, opts);
    sim.seed(0);
    let mut best = None;
    for i in 0..=s.len() {
        if sim.close().is_some() {
            best = Some(i);
            if extent == Extent::Shortest {
                break;
            }
        }
        let Some(&c) = s.get(i) else { break };
        if !sim.step(c, leading(s, i, opts)) {
            break;
        }
    }
    best
}

/// Matched suffix start; see [`super::Pattern::match_suffix`].
pub(super) fn suffix(toks: &[Tok], s: &[u8], opts: Options, extent: Extent) -> Option<usize> {
    if opts.period {
        // Whether a `.` is leading depends on where the suffix starts, which a reversed scan
        // does not know: try each start (never used by the shell's `%`/`%%`).
        let ok = |i: &usize| matches(toks, &s[*i..], opts);
        return match extent {
            Extent::Shortest => (0..=s.len()).rev().find(ok),
            Extent::Longest => (0..=s.len()).find(ok),
        };
    }
    if !opts.pathname
        && let Some(r) = suffix_by_candidates(toks, s, extent)
    {
        return r;
    }
    suffix_by_automaton(toks, s, opts, extent)
}

/// [`suffix`] in one pass: a suffix of `s` matches the pattern iff the reversed suffix, a
/// prefix of the reversed string, matches the reversed token list.
pub(super) fn suffix_by_automaton(
    toks: &[Tok],
    s: &[u8],
    opts: Options,
    extent: Extent,
) -> Option<usize> {
    let rtoks: Vec<Tok> = toks.iter().rev().cloned().collect();
    let rs: Vec<u8> = s.iter().rev().copied().collect();
    prefix_by_automaton(&rtoks, &rs, opts, extent).map(|len| s.len() - len)
}

/// Leftmost-longest search; see [`super::Pattern::find`].
pub(super) fn find(toks: &[Tok], s: &[u8], from: usize, opts: Options) -> Option<(usize, usize)> {
    if from > s.len() {
        return None;
    }
    if opts.period {
        // As in `suffix`: the leading-period rule depends on the start, so anchor each start.
        return (from..=s.len()).find_map(|st| {
            prefix(toks, &s[st..], opts, Extent::Longest).map(|len| (st, st + len))
        });
    }
    let mut sim = Sim::new(toks, opts);
    let mut best: Option<(usize, usize)> = None;
    for i in from..=s.len() {
        if best.is_none() {
            sim.seed(i);
        }
        if let Some(st) = sim.close() {
            // Starts only grow, so a match found later with a smaller start cannot exist
            // unless a state with that smaller start is still alive: compare anyway.
            if best.is_none_or(|(bs, _)| st <= bs) {
                best = Some((st, i));
            }
        }
        if let Some((bs, _)) = best {
            if !sim.prune(bs) {
                break;
            }
            // `closed` must agree with the pruned `raw` before stepping.
            sim.close();
        }
        let Some(&c) = s.get(i) else { break };
        if !sim.step(c, false) && best.is_some() {
            break;
        }
    }
    best
}
