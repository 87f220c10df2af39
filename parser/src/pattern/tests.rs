//! Pattern tests: a rule table checked against glibc `fnmatch`, random differential tests
//! against glibc and between the two engines, quoted-bit cases checked against dash.

use super::{Extent, Options, Pattern};
use std::ffi::CString;

/// Options from a flag string: `P` pathname, `D` leading period, `C` casefold.
fn opts(flags: &str) -> Options {
    Options {
        pathname: flags.contains('P'),
        period: flags.contains('D'),
        casefold: flags.contains('C'),
    }
}

/// glibc's verdict, or `None` when the inputs cannot be passed to C (a NUL byte).
fn fnmatch(pat: &[u8], s: &[u8], o: Options) -> Option<bool> {
    let p = CString::new(pat).ok()?;
    let s = CString::new(s).ok()?;
    let mut flags = 0;
    if o.pathname {
        flags |= libc::FNM_PATHNAME;
    }
    if o.period {
        flags |= libc::FNM_PERIOD;
    }
    if o.casefold {
        flags |= libc::FNM_CASEFOLD;
    }
    // SAFETY: both pointers come from live CStrings, NUL-terminated; fnmatch only reads them.
    let r = unsafe { libc::fnmatch(p.as_ptr(), s.as_ptr(), flags) };
    Some(r == 0)
}

/// Where glibc's answer is not the one we want (see the module docs and the report):
/// - a trailing unescaped backslash, which glibc never matches and dash takes literally;
/// - `\\/` in pathname mode after a `*`: glibc's star loop never lets an escaped slash
///   match (`*\\/` fails on `a/`), though POSIX and `a\\/b` say it is a literal slash;
/// - an unterminated bracket ending in `-` (`[a-`, `[]!-`): glibc rejects some of these
///   outright, POSIX makes the `[` literal.
/// - a malformed `[.x.]`: glibc rejects it only if matching reaches it (`[:[.ab.]]`
///   matches `:`), we reject the pattern;
/// - an unterminated `[=` or `[.` inside an unterminated bracket: glibc's answer depends on
///   what came before (`[*[=` matches itself, `[*[*[=` does not), POSIX makes `[` literal.
fn glibc_differs(pat: &[u8], o: Options) -> bool {
    let open_element = |open: &[u8], close: &[u8]| {
        pat.windows(2)
            .enumerate()
            .any(|(k, w)| w == open && !pat[k + 2..].windows(2).any(|v| v == close))
    };
    let bad_collating = pat
        .windows(2)
        .enumerate()
        .any(|(k, w)| w == b"[." && pat.get(k + 3..k + 5) != Some(b".]"));
    pat.ends_with(b"\\")
        || bad_collating
        || open_element(b"[=", b"=]")
        || open_element(b"[.", b".]")
        || (o.pathname && pat.windows(2).any(|w| w == b"\\/"))
        || (pat.ends_with(b"-") && pat.contains(&b'['))
}

/// (pattern, string, flags, expected): every rule, as unquoted pattern text.
const TABLE: &[(&str, &str, &str, bool)] = &[
    // Literals and the empty pattern.
    ("", "", "", true),
    ("", "a", "", false),
    ("abc", "abc", "", true),
    ("abc", "abd", "", false),
    ("abc", "ab", "", false),
    // `?`
    ("?", "a", "", true),
    ("?", "", "", false),
    ("?", "ab", "", false),
    ("a?c", "abc", "", true),
    ("??", "ab", "", true),
    // `*`
    ("*", "", "", true),
    ("*", "anything", "", true),
    ("a*", "a", "", true),
    ("a*", "abc", "", true),
    ("a*", "ba", "", false),
    ("*c", "abc", "", true),
    ("a*c", "abbbc", "", true),
    ("a*c", "abbbd", "", false),
    ("a*b*c", "aXbYc", "", true),
    ("a*b*c", "aXcYb", "", false),
    ("**", "abc", "", true),
    ("*a*", "bab", "", true),
    ("*a*", "bbb", "", false),
    ("*?", "", "", false),
    ("*?", "a", "", true),
    ("?*?", "ab", "", true),
    ("?*?", "a", "", false),
    // Backslash escapes.
    ("\\*", "*", "", true),
    ("\\*", "a", "", false),
    ("\\?", "?", "", true),
    ("\\?", "a", "", false),
    ("\\[a]", "[a]", "", true),
    ("\\[a]", "a", "", false),
    ("\\\\", "\\", "", true),
    ("\\a", "a", "", true),
    // Brackets.
    ("[abc]", "b", "", true),
    ("[abc]", "d", "", false),
    ("[abc]", "", "", false),
    ("[!abc]", "d", "", true),
    ("[!abc]", "a", "", false),
    ("[^abc]", "d", "", true),
    ("[^abc]", "a", "", false),
    ("[a-c]", "b", "", true),
    ("[a-c]", "d", "", false),
    ("[!a-c]", "d", "", true),
    ("[c-a]", "b", "", false),
    ("[a-]", "-", "", true),
    ("[a-]", "b", "", false),
    ("[-a]", "-", "", true),
    ("[!-a]", "-", "", false),
    ("[--/]", ".", "", true),
    ("[]]", "]", "", true),
    ("[]a]", "a", "", true),
    ("[]-a]", "^", "", true),
    ("[!]]", "]", "", false),
    ("[!]]", "a", "", true),
    ("[^]]", "a", "", true),
    ("[]", "]", "", false),
    ("[]", "[]", "", true),
    ("[!]", "[!]", "", true),
    ("[[]", "[", "", true),
    ("[a[]", "[", "", true),
    ("[!a]", "!", "", true),
    ("[a!]", "!", "", true),
    ("[a^]", "^", "", true),
    ("[*]", "*", "", true),
    ("[*]", "a", "", false),
    ("[?]", "a", "", false),
    ("[\\]]", "]", "", true),
    ("[\\]a]", "a", "", true),
    ("[\\!a]", "!", "", true),
    ("[\\!a]", "b", "", false),
    ("[a\\-c]", "b", "", false),
    ("[a\\-c]", "-", "", true),
    ("[\\a-c]", "b", "", true),
    ("[a-\\c]", "b", "", true),
    ("[\\\\]", "\\", "", true),
    ("[\\]", "\\", "", false),
    ("[\\]", "[]", "", true),
    // Unmatched `[` is literal.
    ("[", "[", "", true),
    ("[a", "[a", "", true),
    ("[a", "a", "", false),
    ("a[", "a[", "", true),
    ("[!a", "[!a", "", true),
    ("*[", "x[", "", true),
    ("[*", "[xyz", "", true),
    // Classes.
    ("[[:alpha:]]", "a", "", true),
    ("[[:alpha:]]", "Z", "", true),
    ("[[:alpha:]]", "1", "", false),
    ("[[:digit:]]", "7", "", true),
    ("[[:digit:]]", "a", "", false),
    ("[[:alnum:]]", "7", "", true),
    ("[[:alnum:]]", "_", "", false),
    ("[[:upper:]]", "A", "", true),
    ("[[:upper:]]", "a", "", false),
    ("[[:lower:]]", "a", "", true),
    ("[[:lower:]]", "A", "", false),
    ("[[:space:]]", " ", "", true),
    ("[[:space:]]", "\x0b", "", true),
    ("[[:space:]]", "\r", "", true),
    ("[[:space:]]", "a", "", false),
    ("[[:blank:]]", "\t", "", true),
    ("[[:blank:]]", "\n", "", false),
    ("[[:punct:]]", "!", "", true),
    ("[[:punct:]]", "~", "", true),
    ("[[:punct:]]", "a", "", false),
    ("[[:punct:]]", " ", "", false),
    ("[[:print:]]", " ", "", true),
    ("[[:print:]]", "\x7f", "", false),
    ("[[:graph:]]", " ", "", false),
    ("[[:graph:]]", "~", "", true),
    ("[[:cntrl:]]", "\x01", "", true),
    ("[[:cntrl:]]", "\x7f", "", true),
    ("[[:cntrl:]]", "a", "", false),
    ("[[:xdigit:]]", "f", "", true),
    ("[[:xdigit:]]", "F", "", true),
    ("[[:xdigit:]]", "g", "", false),
    ("[![:digit:]]", "a", "", true),
    ("[![:digit:]]", "1", "", false),
    ("[[:digit:]a]", "a", "", true),
    ("[a[:digit:]b]", "5", "", true),
    ("[[:digit:][:upper:]]", "Q", "", true),
    ("[[:foo:]]", "f", "", false),
    ("[![:foo:]]", "f", "", false),
    ("[[:alpha:]", "[a", "", true),
    ("[[:alpha:]", "a", "", false),
    ("[[:alpha]", "a", "", true),
    ("[[:alpha]", ":", "", true),
    ("[[:alpha]", "[", "", true),
    // Equivalence classes and collating symbols are the literal byte in the C locale.
    ("[[=a=]]", "a", "", true),
    ("[[=a=]]", "b", "", false),
    ("[[=a=]b]", "b", "", true),
    ("[[.a.]]", "a", "", true),
    ("[[.a.]]", "b", "", false),
    ("[[.-.]]", "-", "", true),
    ("[[.].]]", "]", "", true),
    ("[[.a.]-c]", "b", "", true),
    ("[a-[.c.]]", "b", "", true),
    ("[[.ab.]]", "a", "", false),
    // Pathname mode.
    ("*", "a/b", "", true),
    ("*", "a/b", "P", false),
    ("a*b", "a/b", "P", false),
    ("a?b", "a/b", "P", false),
    ("a?b", "a/b", "", true),
    ("a[/]b", "a/b", "P", false),
    ("a[!x]b", "a/b", "P", false),
    ("a[!x]b", "a/b", "", true),
    ("a/b", "a/b", "P", true),
    ("a\\/b", "a/b", "P", true),
    ("*/*", "a/b", "P", true),
    ("*/*", "a/b/c", "P", false),
    ("*/*/*", "a/b/c", "P", true),
    ("a/*", "a/", "P", true),
    ("*/", "a/", "P", true),
    ("/*", "/a", "P", true),
    ("*", "/", "P", false),
    // Leading period.
    ("*", ".a", "", true),
    ("*", ".a", "D", false),
    ("?a", ".a", "D", false),
    ("[.]a", ".a", "D", false),
    (".*", ".a", "D", true),
    ("\\.*", ".a", "D", true),
    ("*", "a.b", "D", true),
    ("a*", "a.b", "D", true),
    ("*.c", ".c", "D", false),
    ("*", "a/.b", "D", true),
    ("a/*", "a/.b", "PD", false),
    ("a/.*", "a/.b", "PD", true),
    ("*/*", "a/.b", "PD", false),
    ("a*", "a/.b", "D", true),
    ("*", ".", "PD", false),
    ("*/b", ".a/b", "PD", false),
    (".*/b", ".a/b", "PD", true),
    // Case folding.
    ("abc", "ABC", "C", true),
    ("abc", "ABC", "", false),
    ("A?C", "abc", "C", true),
    ("[a-c]", "B", "C", true),
    ("[A-C]", "b", "C", true),
    ("[!a]", "A", "C", false),
    ("[!a]", "B", "C", true),
    ("*.TXT", "notes.txt", "C", true),
    ("[[:upper:]]", "a", "C", false),
    ("[[:upper:]]", "A", "C", true),
    ("[![:lower:]]", "A", "C", true),
];

#[test]
fn pattern_table() {
    let bad: Vec<String> = TABLE
        .iter()
        .filter(|&&(pat, s, flags, want)| {
            Pattern::parse(pat.as_bytes(), opts(flags)).matches(s.as_bytes()) != want
        })
        .map(|row| format!("{row:?}"))
        .collect();
    assert!(bad.is_empty(), "wrong answers:\n{}", bad.join("\n"));
}

#[test]
fn pattern_table_agrees_with_glibc() {
    let bad: Vec<String> = TABLE
        .iter()
        .filter(|&&(pat, s, flags, want)| {
            !glibc_differs(pat.as_bytes(), opts(flags))
                && fnmatch(pat.as_bytes(), s.as_bytes(), opts(flags)) != Some(want)
        })
        .map(|row| format!("{row:?}"))
        .collect();
    assert!(bad.is_empty(), "glibc disagrees:\n{}", bad.join("\n"));
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn string(&mut self, alphabet: &[u8], max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

const PAT_ALPHABET: &[u8] = b"ab**??[[]]!^-./\\:=";

/// Multi-byte pattern pieces, so classes and collating elements turn up often.
const PIECES: &[&[u8]] = &[
    b"a",
    b"b",
    b"B",
    b"*",
    b"*",
    b"?",
    b"[",
    b"[",
    b"]",
    b"]",
    b"!",
    b"^",
    b"-",
    b".",
    b"/",
    b"\\",
    b"[:alpha:]",
    b"[:upper:]",
    b"[:punct:]",
    b"[:foo:]",
    b"[=a=]",
    b"[.].]",
    b"[.-.]",
    b"[.ab.]",
    b"[:",
    b":]",
    b"[.",
    b".]",
];
const STR_ALPHABET: &[u8] = b"ab./-][\\!:";

impl Rng {
    fn pieces(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        let mut out = Vec::new();
        for _ in 0..n {
            out.extend_from_slice(PIECES[self.below(PIECES.len())]);
        }
        out
    }

    /// A string built by walking the pattern, so that it often (not always) matches.
    fn sample(&mut self, pat: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(&c) = pat.get(i) {
            i += 1;
            let any = |r: &mut Rng| STR_ALPHABET[r.below(STR_ALPHABET.len())];
            match c {
                b'*' => {
                    for _ in 0..self.below(3) {
                        out.push(any(self));
                    }
                }
                b'?' => out.push(any(self)),
                b'\\' => {
                    if let Some(&d) = pat.get(i) {
                        out.push(d);
                        i += 1;
                    }
                }
                b'[' if self.below(2) == 0 => out.push(any(self)),
                _ => out.push(c),
            }
        }
        if !out.is_empty() && self.below(4) == 0 {
            let k = self.below(out.len());
            out[k] = STR_ALPHABET[self.below(STR_ALPHABET.len())];
        }
        out
    }
}

fn all_flags() -> impl Iterator<Item = Options> {
    (0..8).map(|bits| Options {
        pathname: bits & 1 != 0,
        period: bits & 2 != 0,
        casefold: bits & 4 != 0,
    })
}

#[test]
fn pattern_random_against_glibc() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut checked, mut matched) = (0, 0);
    let mut bad = Vec::new();
    for round in 0..6000 {
        let pat = if round % 2 == 0 {
            rng.string(PAT_ALPHABET, 8)
        } else {
            rng.pieces(5)
        };
        for k in 0..6 {
            let s = if k < 2 {
                rng.string(STR_ALPHABET, 6)
            } else {
                rng.sample(&pat)
            };
            for o in all_flags() {
                if glibc_differs(&pat, o) {
                    continue;
                }
                let Some(want) = fnmatch(&pat, &s, o) else {
                    continue;
                };
                let got = Pattern::parse(&pat, o).matches(&s);
                if got != want && bad.len() < 40 {
                    bad.push(format!(
                        "pattern {:?} string {:?} {o:?}: glibc {want}",
                        String::from_utf8_lossy(&pat),
                        String::from_utf8_lossy(&s)
                    ));
                }
                checked += 1;
                matched += usize::from(want);
            }
        }
    }
    assert!(bad.is_empty(), "differences:\n{}", bad.join("\n"));
    assert!(checked > 100_000, "only {checked} comparisons");
    eprintln!("{checked} comparisons, {matched} matches");
}

/// Brute-force definitions of the extent searches in terms of `matches`.
fn brute_prefix(p: &Pattern, s: &[u8], e: Extent) -> Option<usize> {
    let ok = |n: &usize| p.matches(&s[..*n]);
    match e {
        Extent::Shortest => (0..=s.len()).find(ok),
        Extent::Longest => (0..=s.len()).rev().find(ok),
    }
}

fn brute_suffix(p: &Pattern, s: &[u8], e: Extent) -> Option<usize> {
    let ok = |i: &usize| p.matches(&s[*i..]);
    match e {
        Extent::Shortest => (0..=s.len()).rev().find(ok),
        Extent::Longest => (0..=s.len()).find(ok),
    }
}

fn brute_find(p: &Pattern, s: &[u8], from: usize) -> Option<(usize, usize)> {
    (from..=s.len()).find_map(|st| {
        (st..=s.len())
            .rev()
            .find(|&en| p.matches(&s[st..en]))
            .map(|en| (st, en))
    })
}

#[test]
fn pattern_random_extents_agree_with_matches() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for _ in 0..3000 {
        let pat = rng.string(PAT_ALPHABET, 6);
        let s = rng.string(STR_ALPHABET, 8);
        for o in all_flags() {
            let p = Pattern::parse(&pat, o);
            let show = || {
                format!(
                    "pattern {:?} string {:?} {o:?}",
                    String::from_utf8_lossy(&pat),
                    String::from_utf8_lossy(&s)
                )
            };
            for e in [Extent::Shortest, Extent::Longest] {
                assert_eq!(
                    p.match_prefix(&s, e),
                    brute_prefix(&p, &s, e),
                    "prefix {e:?} {}",
                    show()
                );
                assert_eq!(
                    p.match_suffix(&s, e),
                    brute_suffix(&p, &s, e),
                    "suffix {e:?} {}",
                    show()
                );
                if !o.period && !o.pathname {
                    // The one-pass automaton, which long subjects fall back to.
                    let auto_p = super::engine::prefix_by_automaton(&p.toks, &s, o, e);
                    assert_eq!(
                        auto_p,
                        brute_prefix(&p, &s, e),
                        "automaton prefix {}",
                        show()
                    );
                    let auto_s = super::engine::suffix_by_automaton(&p.toks, &s, o, e);
                    assert_eq!(
                        auto_s,
                        brute_suffix(&p, &s, e),
                        "automaton suffix {}",
                        show()
                    );
                }
            }
            for from in 0..=s.len() + 1 {
                assert_eq!(
                    p.find(&s, from),
                    brute_find(&p, &s, from),
                    "find from {from} {}",
                    show()
                );
            }
        }
    }
}

#[test]
fn pattern_prefix_suffix_find() {
    let p = |t: &str| Pattern::parse(t.as_bytes(), Options::default());
    let s = b"a/b/c.tar.gz";
    // ${x#*/} ${x##*/} ${x%.*} ${x%%.*}
    assert_eq!(p("*/").match_prefix(s, Extent::Shortest), Some(2));
    assert_eq!(p("*/").match_prefix(s, Extent::Longest), Some(4));
    assert_eq!(p(".*").match_suffix(s, Extent::Shortest), Some(9));
    assert_eq!(p(".*").match_suffix(s, Extent::Longest), Some(5));
    assert_eq!(p("x*").match_prefix(s, Extent::Shortest), None);
    assert_eq!(p("*x").match_suffix(s, Extent::Longest), None);
    // The empty prefix/suffix counts.
    assert_eq!(p("*").match_prefix(s, Extent::Shortest), Some(0));
    assert_eq!(p("*").match_suffix(s, Extent::Shortest), Some(s.len()));
    assert_eq!(p("*").match_prefix(b"", Extent::Longest), Some(0));
    // ${x/b*./X}: leftmost, then longest.
    assert_eq!(p("b*.").find(s, 0), Some((2, 10)));
    assert_eq!(p("[./]").find(s, 2), Some((3, 4)));
    assert_eq!(p("q").find(s, 0), None);
    assert_eq!(p("").find(s, 3), Some((3, 3)));
    assert_eq!(p("").find(s, s.len() + 1), None);
    assert_eq!(p("a*").find(b"xaaa", 0), Some((1, 4)));
}

#[test]
fn pattern_long_subjects_fall_back_to_the_automaton() {
    // Every candidate end fails late: the step budget runs out and the one-pass automaton
    // gives the answer (the same one).
    let s: Vec<u8> = b"ab".repeat(3000);
    let p = Pattern::parse(b"*a*b*c", Options::default());
    assert_eq!(p.match_prefix(&s, Extent::Longest), None);
    assert_eq!(p.match_suffix(&s, Extent::Shortest), None);
    let p = Pattern::parse(b"a*b", Options::default());
    assert_eq!(p.match_prefix(&s, Extent::Longest), Some(s.len()));
    assert_eq!(p.match_suffix(&s, Extent::Longest), Some(0));
}

#[test]
fn pattern_no_exponential_blowup() {
    let mut pat = Vec::new();
    for _ in 0..20 {
        pat.extend_from_slice(b"*a");
    }
    pat.extend_from_slice(b"*b");
    let p = Pattern::parse(&pat, Options::default());
    let s = vec![b'a'; 10_000];
    let t = std::time::Instant::now();
    assert!(!p.matches(&s));
    assert_eq!(p.match_prefix(&s, Extent::Longest), None);
    assert_eq!(p.match_suffix(&s, Extent::Longest), None);
    assert_eq!(p.find(&s, 0), None);
    let mut s2 = s.clone();
    s2.push(b'b');
    assert!(p.matches(&s2));
    assert_eq!(p.find(&s2, 0), Some((0, s2.len())));
    let pp = Pattern::parse(&pat, opts("PD"));
    assert!(!pp.matches(&s));
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
}

#[test]
fn pattern_bytes_not_utf8() {
    let p = Pattern::parse(b"\xff*[\x80-\xfe]?", Options::default());
    assert!(p.matches(b"\xff\x00\x01\x90z"));
    assert!(!p.matches(b"\xff\x00\x01\xffz"));
    let q = Pattern::parse(b"[!a]", Options::default());
    assert!(q.matches(b"\xc3"));
    assert!(Pattern::parse(b"a\0*", Options::default()).matches(b"a\0b"));
}

#[test]
fn pattern_magic_and_literal() {
    let p = |t: &str| Pattern::parse(t.as_bytes(), Options::default());
    assert!(!p("abc").has_magic());
    assert_eq!(p("abc").literal(), Some(b"abc".to_vec()));
    assert_eq!(p("a\\*b").literal(), Some(b"a*b".to_vec()));
    assert!(!p("[abc").has_magic());
    assert_eq!(p("[abc").literal(), Some(b"[abc".to_vec()));
    for m in ["*", "a?", "[ab]", "x[!y]", "[]]"] {
        assert!(p(m).has_magic(), "{m}");
        assert_eq!(p(m).literal(), None, "{m}");
    }
    let q = Pattern::new(b"a*?", &[false, true, true], Options::default());
    assert!(!q.has_magic());
    assert_eq!(q.literal(), Some(b"a*?".to_vec()));
    let c = Pattern::parse(b"abc", opts("C"));
    assert!(c.has_magic());
    assert!(!Pattern::parse(b"1.-/", opts("C")).has_magic());
}

/// Shell-quoted pattern text (as it would appear in a `case` arm) to bytes plus quoted
/// mask: `'...'` and `"..."` are quoted (no escapes inside either here), `\x` quotes x.
fn shell_word(text: &str) -> (Vec<u8>, Vec<bool>) {
    let (mut b, mut q) = (Vec::new(), Vec::new());
    let mut it = text.bytes();
    while let Some(c) = it.next() {
        match c {
            b'\'' | b'"' => {
                for d in it.by_ref() {
                    if d == c {
                        break;
                    }
                    b.push(d);
                    q.push(true);
                }
            }
            b'\\' => {
                if let Some(d) = it.next() {
                    b.push(d);
                    q.push(true);
                }
            }
            _ => {
                b.push(c);
                q.push(false);
            }
        }
    }
    (b, q)
}

/// Quoted-bit cases, which `fnmatch` cannot express: (case word, pattern in shell syntax,
/// what dash 0.5 prints for `case WORD in PATTERN) echo y;; *) echo n;; esac`).
const QUOTED: &[(&str, &str, bool)] = &[
    ("a*", "'a*'", true),
    ("ab", "'a*'", false),
    ("ab", "\"a\"*", true),
    ("a*b", "\"a*\"*", true),
    ("ab", "\"a*\"*", false),
    ("?", "\\?", true),
    ("a", "\\?", false),
    ("x", "\"?\"", false),
    ("[a]", "\"[a]\"", true),
    ("a", "\"[a]\"", false),
    ("a", "[\"a\"]", true),
    ("]", "[\"]\"]", true),
    ("]", "[\"]\"a]", true),
    ("a", "[\"]\"a]", true),
    ("b", "[\"!\"a]", false),
    ("!", "[\"!\"a]", true),
    ("b", "[a\"-\"c]", false),
    ("-", "[a\"-\"c]", true),
    ("b", "[\"a\"-c]", true),
    ("b", "[a-\"c\"]", true),
    ("*", "[\"*\"]", true),
    ("a", "[\"*\"]", false),
    ("a", "[\"[:alpha:]\"]", true),
    ("]", "[\"[:alpha:]\"]", true),
    (":", "[\"[:alpha:]\"]", true),
    ("a", "[[\":alpha:\"]]", false),
    ("[", "\"[\"*", true),
    ("[x]", "\"[\"*\"]\"", true),
    ("\\", "\\\\", true),
    ("ab", "a'b'", true),
];

#[test]
fn pattern_quoted_bits() {
    let bad: Vec<String> = QUOTED
        .iter()
        .filter(|&&(word, pat, want)| {
            let (b, q) = shell_word(pat);
            Pattern::new(&b, &q, Options::default()).matches(word.as_bytes()) != want
        })
        .map(|row| format!("{row:?}"))
        .collect();
    assert!(bad.is_empty(), "wrong answers:\n{}", bad.join("\n"));
}

/// Re-derives the hard-coded `QUOTED` answers from dash when it is installed.
#[test]
fn pattern_quoted_bits_agree_with_dash() {
    let dash = std::path::Path::new("/usr/bin/dash");
    if !dash.exists() {
        return;
    }
    let mut script = String::new();
    for &(word, pat, _) in QUOTED {
        let word = word.replace('\'', "'\\''");
        script.push_str(&format!(
            "case '{word}' in {pat}) echo y;; *) echo n;; esac\n"
        ));
    }
    let Ok(out) = std::process::Command::new(dash)
        .arg("-c")
        .arg(&script)
        .output()
    else {
        return;
    };
    let got: Vec<bool> = out
        .stdout
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| l == b"y")
        .collect();
    let want: Vec<bool> = QUOTED.iter().map(|&(_, _, w)| w).collect();
    assert_eq!(got, want, "dash disagrees with the QUOTED table");
}

#[test]
fn pattern_unquoted_backslash_from_expansion_escapes() {
    // x='\*'; case $y in $x): the backslash is unquoted and escapes the star.
    let p = Pattern::new(b"\\*", &[false, false], Options::default());
    assert!(p.matches(b"*"));
    assert!(!p.matches(b"a"));
    // A trailing unquoted backslash is literal (dash); glibc would never match.
    let t = Pattern::parse(b"a\\", Options::default());
    assert!(t.matches(b"a\\"));
    assert!(!t.matches(b"a"));
    // x='a\'; case 'a\' in $x) — dash prints y.
    assert_eq!(t.literal(), Some(b"a\\".to_vec()));
}
