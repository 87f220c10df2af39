//! glibc `regcomp`/`regexec` as the oracle: the table of `tests.rs` plus random small
//! patterns and haystacks, BRE and ERE, compared on compile success, match/no-match and
//! the leftmost-longest span (and group spans where rbox claims agreement).

use std::ffi::CString;

use super::syntax::{self, Node};
use super::tests::{TABLE, flags};
use super::{Options, Regex};

/// A compiled glibc regex.
pub(crate) struct Glibc {
    re: Box<libc::regex_t>,
}

impl Glibc {
    /// Compiles with glibc; `Err` is glibc's message. `None` if the pattern has a NUL.
    pub(crate) fn new(pat: &[u8], opts: &Options) -> Option<Result<Glibc, String>> {
        let c = CString::new(pat).ok()?;
        let mut cflags = 0;
        if opts.extended {
            cflags |= libc::REG_EXTENDED;
        }
        if opts.icase {
            cflags |= libc::REG_ICASE;
        }
        if opts.newline {
            cflags |= libc::REG_NEWLINE;
        }
        // SAFETY: regex_t is a plain C struct for which all-zero is a valid initial state.
        let mut re: Box<libc::regex_t> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: `re` points to writable memory for a regex_t, `c` is NUL-terminated.
        let rc = unsafe { libc::regcomp(&mut *re, c.as_ptr(), cflags) };
        if rc != 0 {
            let mut buf = [0u8; 256];
            // SAFETY: the buffer and its length are valid; `re` was passed to regcomp.
            unsafe { libc::regerror(rc, &*re, buf.as_mut_ptr().cast(), buf.len()) };
            let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return Some(Err(String::from_utf8_lossy(&buf[..len]).into_owned()));
        }
        Some(Ok(Glibc { re }))
    }

    /// The first `n` group spans of the match at or after `start` (REG_STARTEND: the
    /// text before `start` is context, as for rbox's `find_at`).
    pub(crate) fn exec(
        &self,
        hay: &[u8],
        start: usize,
        n: usize,
    ) -> Option<Vec<Option<(usize, usize)>>> {
        let mut m = vec![
            libc::regmatch_t {
                rm_so: -1,
                rm_eo: -1
            };
            n
        ];
        m[0].rm_so = start as libc::regoff_t;
        m[0].rm_eo = hay.len() as libc::regoff_t;
        // A non-empty buffer so the pointer is valid even for an empty haystack.
        let mut buf = hay.to_vec();
        buf.push(0);
        // SAFETY: `re` is compiled; `buf` holds `hay.len()` bytes plus a NUL; `m` has `n`
        // entries; REG_STARTEND makes glibc read exactly `hay[..]` (rm_eo bytes).
        let rc = unsafe {
            libc::regexec(
                &*self.re,
                buf.as_ptr().cast(),
                n,
                m.as_mut_ptr(),
                libc::REG_STARTEND,
            )
        };
        if rc != 0 {
            return None;
        }
        Some(
            m.iter()
                .map(|g| (g.rm_so >= 0).then_some((g.rm_so as usize, g.rm_eo as usize)))
                .collect(),
        )
    }
}

impl Drop for Glibc {
    fn drop(&mut self) {
        // SAFETY: `re` was successfully compiled by regcomp and is freed once.
        unsafe { libc::regfree(&mut *self.re) };
    }
}

/// Whether any group sits inside a repetition (where group choice is engine-specific).
fn group_in_repeat(n: &Node, in_rep: bool) -> bool {
    match n {
        Node::Group(inner, _) => in_rep || group_in_repeat(inner, in_rep),
        Node::Repeat(inner, _, _) => group_in_repeat(inner, true),
        Node::Concat(v) | Node::Alt(v) => v.iter().any(|x| group_in_repeat(x, in_rep)),
        _ => false,
    }
}

/// Compares rbox with glibc on one pattern and a few haystacks; returns a description
/// of each disagreement.
fn compare(pat: &[u8], opts: &Options, hays: &[&[u8]], check_groups: bool) -> Vec<String> {
    let mut bad = Vec::new();
    let show = |s: &[u8]| String::from_utf8_lossy(s).into_owned();
    let Some(g) = Glibc::new(pat, opts) else {
        return bad;
    };
    let r = Regex::new(pat, opts);
    let (g, r) = match (g, r) {
        (Err(ge), Err(re)) => {
            if ge != re.to_string() {
                bad.push(format!(
                    "{:?} {opts:?}: glibc says {ge:?}, rbox {re}",
                    show(pat)
                ));
            }
            return bad;
        }
        (Err(ge), Ok(_)) => {
            bad.push(format!(
                "{:?} {opts:?}: glibc rejects ({ge}), rbox accepts",
                show(pat)
            ));
            return bad;
        }
        (Ok(_), Err(re)) => {
            bad.push(format!(
                "{:?} {opts:?}: glibc accepts, rbox rejects ({re})",
                show(pat)
            ));
            return bad;
        }
        (Ok(g), Ok(r)) => (g, r),
    };
    let groups_comparable = check_groups
        && syntax::parse(pat, opts).is_ok_and(|ast| !group_in_repeat(&ast.node, false));
    for hay in hays {
        for start in [0, 1] {
            if start > hay.len() {
                continue;
            }
            // glibc bug: without REG_NEWLINE a `^`/`$` inside the pattern still matches
            // next to a `\n` that the pattern itself consumed (`b.^.` matches "b\nb").
            // Ask glibc about the same text with `\t` (also space, non-word) instead.
            let glibc_hay: Vec<u8> = if !opts.newline && pat.iter().any(|&b| b == b'^' || b == b'$')
            {
                hay.iter()
                    .map(|&b| if b == b'\n' { b'\t' } else { b })
                    .collect()
            } else {
                hay.to_vec()
            };
            let want = g.exec(&glibc_hay, start, r.captures_len());
            let got = r.find_at(hay, start);
            let want_span = want.as_ref().and_then(|v| v[0]);
            let got_span = got.as_ref().map(|m| (m.start, m.end));
            if want_span != got_span {
                bad.push(format!(
                    "{:?} {opts:?} on {:?} from {start}: glibc {want_span:?}, rbox {got_span:?}",
                    show(pat),
                    show(hay)
                ));
            } else if start == 0 && r.is_match(hay) != want.is_some() {
                bad.push(format!(
                    "{:?} {opts:?} on {:?}: is_match differs",
                    show(pat),
                    show(hay)
                ));
            } else if groups_comparable
                && let (Some(w), Some(m)) = (&want, &got)
                && w != &m.groups
            {
                bad.push(format!(
                    "{:?} {opts:?} on {:?} from {start}: groups glibc {w:?}, rbox {:?}",
                    show(pat),
                    show(hay),
                    m.groups
                ));
            }
        }
    }
    bad
}

#[test]
fn table_agrees_with_glibc() {
    let mut bad = Vec::new();
    for (fl, pat, hay, _) in TABLE {
        bad.extend(compare(pat.as_bytes(), &flags(fl), &[hay.as_bytes()], true));
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// xorshift64*: a fixed-seed generator so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

fn random_pattern(rng: &mut Rng, extended: bool) -> String {
    const ERE: &[&str] = &[
        "a",
        "b",
        "a",
        "b",
        ".",
        "[ab]",
        "[^a]",
        "(",
        ")",
        "(",
        ")",
        "|",
        "*",
        "+",
        "?",
        "{1,2}",
        "{2}",
        "^",
        "$",
        "\\<",
        "\\>",
        "\\b",
        "\\w",
        "\\1",
        " ",
        "[[:alpha:]]",
        "\\.",
        "{,1}",
    ];
    const BRE: &[&str] = &[
        "a",
        "b",
        "a",
        "b",
        ".",
        "[ab]",
        "[^a]",
        "\\(",
        "\\)",
        "\\(",
        "\\)",
        "\\|",
        "*",
        "\\+",
        "\\?",
        "\\{1,2\\}",
        "\\{2\\}",
        "^",
        "$",
        "\\<",
        "\\>",
        "\\B",
        "\\s",
        "\\1",
        " ",
        "+",
        "[[:space:]]",
        "{",
    ];
    let len = 1 + rng.next() % 7;
    (0..len)
        .map(|_| rng.pick(if extended { ERE } else { BRE }))
        .collect()
}

fn random_hay(rng: &mut Rng) -> Vec<u8> {
    let len = rng.next() % 8;
    (0..len)
        .map(|_| b"aab \n"[(rng.next() % 5) as usize])
        .collect()
}

#[test]
fn random_patterns_agree_with_glibc() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bad = Vec::new();
    for i in 0..6000 {
        let opts = Options {
            extended: i % 2 == 0,
            icase: i % 7 == 0,
            newline: i % 3 == 0,
        };
        let pat = random_pattern(&mut rng, opts.extended);
        let hays: Vec<Vec<u8>> = (0..4).map(|_| random_hay(&mut rng)).collect();
        let hays: Vec<&[u8]> = hays.iter().map(Vec::as_slice).collect();
        bad.extend(compare(pat.as_bytes(), &opts, &hays, true));
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
