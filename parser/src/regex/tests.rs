//! Translation tables: pattern and haystack to the leftmost-longest match with groups.
//! The same table is run against glibc in `oracle.rs`.

use super::{Options, Regex, RegexError};

/// Flags: `E` extended, `i` icase, `n` newline; anything else (`B`) is a plain BRE.
pub(crate) fn flags(f: &str) -> Options {
    Options {
        extended: f.contains('E'),
        icase: f.contains('i'),
        newline: f.contains('n'),
    }
}

/// Renders a result as the table spells it: `ERR msg`, `nomatch`, or `s:e s:e ...` with
/// `-` for a group that did not take part.
fn render(fl: &str, pat: &[u8], hay: &[u8]) -> String {
    match Regex::new(pat, &flags(fl)) {
        Err(e) => format!("ERR {e}"),
        Ok(re) => match re.find_at(hay, 0) {
            None => "nomatch".to_string(),
            Some(m) => m
                .groups
                .iter()
                .map(|g| g.map_or("-".to_string(), |(s, e)| format!("{s}:{e}")))
                .collect::<Vec<_>>()
                .join(" "),
        },
    }
}

/// (flags, pattern, haystack, expected). Expectations were taken from glibc 2.36.
pub(crate) const TABLE: &[(&str, &str, &str, &str)] = &[
    // Leftmost-longest, not leftmost-first.
    ("E", "sam|samwise", "xx samwise", "3:10"),
    ("E", "a|ab|abc", "zabcd", "1:4"),
    ("E", "[0-9]+|[0-9]+\\.[0-9]+", "v 1.25", "2:6"),
    ("E", "(a|ab)(c|bcd)", "abcd", "0:4 0:1 1:4"),
    ("E", "(a|ab)(c|bcd)(d*)", "abcd", "0:4 0:1 1:4 4:4"),
    ("E", "(a|ab)(bc|c)", "abc", "0:3 0:1 1:3"),
    ("B", "x*", "xx", "0:2"),
    ("B", "x*", "", "0:0"),
    ("B", "a*", "baaa", "0:0"),
    // BRE operators and GNU extensions.
    ("B", "a\\{2\\}", "aaa", "0:2"),
    ("B", "a\\{1,2\\}b", "ab", "0:2"),
    ("B", "a\\{,3\\}", "aaaa", "0:3"),
    ("B", "x\\?y\\+", "yy", "0:2"),
    ("B", "a\\|b", "b", "0:1"),
    ("B", "\\(a\\)\\(b\\)", "ab", "0:2 0:1 1:2"),
    ("B", "a+?", "a+?", "0:3"),
    ("B", "a|b", "a|b", "0:3"),
    ("B", "a*\\+", "aa", "0:2"),
    ("B", "\\(\\)", "x", "0:0 0:0"),
    // Leading `*`, `\+`, `\?` are literal in BRE.
    ("B", "**a", "*a", "0:2"),
    ("B", "\\(*a\\)", "*a", "0:2 0:2"),
    ("B", "a\\|*b", "*b", "0:2"),
    ("B", "^*", "*", "0:1"),
    ("B", "\\(^*a\\)", "*a", "0:2 0:2"),
    ("B", "\\+a", "+a", "0:2"),
    // BRE anchors only at the edges (GNU: also after `\(` and `\|`).
    ("B", "a$b", "a$b", "0:3"),
    ("B", "a^b", "a^b", "0:3"),
    ("B", "$*", "$", "0:1"),
    ("B", "a\\|b$", "b", "0:1"),
    ("B", "x\\(^a\\)", "xa", "nomatch"),
    ("B", "a\\|^b", "b", "0:1"),
    ("B", "a\\($\\)", "a", "0:1 1:1"),
    ("B", "\\(a$\\)b", "a$b", "nomatch"),
    // ERE.
    ("E", "a$b", "a$b", "nomatch"),
    ("E", "a)", "a)", "0:2"),
    ("E", "()", "x", "0:0 0:0"),
    ("E", "a||b", "b", "0:1"),
    ("E", "(|a)", "a", "0:1 0:1"),
    ("E", "a**", "aa", "0:2"),
    ("E", "a+*", "aa", "0:2"),
    ("E", "a{,3}", "aaaa", "0:3"),
    ("E", "a{1,2}{3}", "aaaaaa", "0:6"),
    ("E", "a{0}", "b", "0:0"),
    ("E", "a{1,}", "aaa", "0:3"),
    ("E", "a{2}*", "aaaa", "0:4"),
    ("E", "a*{2}", "aa", "0:2"),
    ("E", "(^)*a", "a", "0:1 0:0"),
    ("E", "a\\{", "a{", "0:2"),
    ("E", "a\\|b", "a|b", "0:3"),
    ("E", "\\(", "(", "0:1"),
    ("E", "a}", "a}", "0:2"),
    ("B", "a\\}", "a}", "0:2"),
    // Backreferences.
    ("E", "(a)\\1", "aa", "0:2 0:1"),
    ("B", "\\(a*\\)b\\1", "aabaa", "0:5 0:2"),
    ("B", "\\(a*\\)b\\1", "aaba", "1:4 1:2"),
    ("B", "\\(a\\)*\\1", "b", "nomatch"),
    ("Ei", "(a)\\1", "aA", "0:2 0:1"),
    ("E", "(a|ab)\\1", "abab", "0:4 0:2"),
    ("B", "\\(.\\)\\1", "xyzzy", "2:4 2:3"),
    ("E", "^(.+)\\1$", "abcabc", "0:6 0:3"),
    (
        "B",
        "\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(a\\)\\)\\)\\)\\)\\)\\)\\)\\)\\)\\10",
        "aa0",
        "0:3 0:1 0:1 0:1 0:1 0:1 0:1 0:1 0:1 0:1 0:1",
    ),
    // GNU escapes.
    ("B", "\\w\\W\\s\\S", "a- x", "0:4"),
    ("B", "\\<a\\>", "b a c", "2:3"),
    ("B", "\\bab\\B", "ab abc", "3:5"),
    ("E", "\\<[a-z]+\\>", "12 abc9 de", "8:10"),
    ("B", "\\`a", "a", "0:1"),
    ("B", "a\\'", "a", "0:1"),
    ("B", "\\n", "n", "0:1"),
    ("B", "\\.", "a.", "1:2"),
    // Brackets.
    ("B", "[]a]", "]", "0:1"),
    ("B", "[^]a]", "b", "0:1"),
    ("B", "[^]a]", "]", "nomatch"),
    ("B", "[a-]", "-", "0:1"),
    ("B", "[\\]", "\\", "0:1"),
    ("B", "[a\\]]", "a]", "0:2"),
    ("B", "[a-[.z.]]", "y", "0:1"),
    ("B", "[--/]", ".", "0:1"),
    ("B", "[[=a=]b]", "b", "0:1"),
    ("B", "[[:alpha:][:digit:]]", "5", "0:1"),
    ("B", "[[.-.]]", "-", "0:1"),
    ("B", "[[.a.]-c]", "b", "0:1"),
    ("B", "[]-a]", "^", "0:1"),
    ("B", "[[.].]]", "]", "0:1"),
    ("B", "[[:upper:]]", "a", "nomatch"),
    ("B", "[a[]", "[", "0:1"),
    ("E", "[[:xdigit:]]+", "xfF0g", "1:4"),
    ("E", "[[:punct:]]", "a,", "1:2"),
    ("E", "[[:blank:]]", "a\tb", "1:2"),
    // icase.
    ("Bi", "[[:upper:]]", "a", "0:1"),
    ("Bi", "[A-Z]", "a", "0:1"),
    ("Bi", "[^a]", "A", "nomatch"),
    ("Ei", "HeLLo", "say hello", "4:9"),
    // Newline mode and the whole-buffer default.
    ("n", "a.b", "a\nb", "nomatch"),
    ("B", "a.b", "a\nb", "0:3"),
    ("n", "[^x]", "\n", "nomatch"),
    ("B", "[^x]", "\n", "0:1"),
    ("n", "^b", "a\nb", "2:3"),
    ("B", "^b", "a\nb", "nomatch"),
    ("n", "a$", "a\nb", "0:1"),
    ("B", "a$", "a\nb", "nomatch"),
    ("n", "\\W", "\n", "0:1"),
    ("n", "\\S", "\n", "nomatch"),
    ("En", "^b|c$", "c\nb", "0:1"),
    ("En", "^b|x$", "c\nb", "2:3"),
    // Repeated groups keep their last iteration.
    ("E", "((a)|b)*", "ab", "0:2 1:2 0:1"),
    ("E", "(a*)*", "aa", "0:2 0:2"),
    ("E", "(a*)+", "aa", "0:2 0:2"),
    ("B", "\\(a*\\)*", "b", "0:0 0:0"),
    ("E", "(a*)*(b)", "b", "0:1 0:0 0:1"),
    // Errors, with glibc's messages.
    ("E", "*a", "", "ERR Invalid preceding regular expression"),
    ("E", "a|*b", "", "ERR Invalid preceding regular expression"),
    ("E", "(*b)", "", "ERR Invalid preceding regular expression"),
    ("E", "^*", "", "ERR Invalid preceding regular expression"),
    ("E", "$*", "", "ERR Invalid preceding regular expression"),
    ("E", "{1}a", "", "ERR Invalid preceding regular expression"),
    ("E", "{", "", "ERR Invalid preceding regular expression"),
    (
        "B",
        "\\{1\\}a",
        "",
        "ERR Invalid preceding regular expression",
    ),
    (
        "B",
        "^\\{1\\}",
        "",
        "ERR Invalid preceding regular expression",
    ),
    ("B", "a**", "", "ERR Invalid preceding regular expression"),
    (
        "B",
        "a\\{2\\}*",
        "",
        "ERR Invalid preceding regular expression",
    ),
    ("B", "a\\+*", "", "ERR Invalid preceding regular expression"),
    (
        "B",
        "a*\\{2\\}",
        "",
        "ERR Invalid preceding regular expression",
    ),
    ("E", "a{", "", "ERR Unmatched \\{"),
    ("E", "a{1", "", "ERR Unmatched \\{"),
    ("E", "a{1,2", "", "ERR Unmatched \\{"),
    ("B", "a\\{1", "", "ERR Unmatched \\{"),
    ("B", "a\\{x", "", "ERR Unmatched \\{"),
    ("E", "a{x}", "", "ERR Invalid content of \\{\\}"),
    ("E", "a{1,x}", "", "ERR Invalid content of \\{\\}"),
    ("B", "a\\{1x\\}", "", "ERR Invalid content of \\{\\}"),
    ("E", "x{2,1}", "", "ERR Invalid content of \\{\\}"),
    ("E", "x{99999}", "", "ERR Regular expression too big"),
    ("E", "x{32768}", "", "ERR Regular expression too big"),
    ("B", "\\(a", "", "ERR Unmatched ( or \\("),
    ("B", "a\\)", "", "ERR Unmatched ) or \\)"),
    ("E", "(a", "", "ERR Unmatched ( or \\("),
    ("B", "[a", "", "ERR Unmatched [, [^, [:, [., or [="),
    ("B", "[[:alpha:]", "", "ERR Unmatched [, [^, [:, [., or [="),
    ("B", "[[.", "", "ERR Unmatched [, [^, [:, [., or [="),
    ("B", "[[:alpha]", "", "ERR Unmatched [, [^, [:, [., or [="),
    ("B", "[[=a]", "", "ERR Unmatched [, [^, [:, [., or [="),
    ("B", "[[:foo:]]", "", "ERR Invalid character class name"),
    ("B", "[[.space.]]", "", "ERR Invalid collation character"),
    ("B", "[[=ab=]]", "", "ERR Invalid collation character"),
    ("B", "[z-a]", "", "ERR Invalid range end"),
    ("B", "[[:alpha:]-z]", "", "ERR Invalid range end"),
    ("B", "a\\", "", "ERR Trailing backslash"),
    ("B", "\\(a\\1\\)", "", "ERR Invalid back reference"),
    ("B", "\\9", "", "ERR Invalid back reference"),
    ("E", "\\1", "", "ERR Invalid back reference"),
    ("B", "\\(a\\)\\|\\1", "", "ERR Invalid back reference"),
    ("E", "(a)|b\\1", "", "ERR Invalid back reference"),
];

#[test]
fn table() {
    let mut bad = Vec::new();
    for (fl, pat, hay, want) in TABLE {
        let got = render(fl, pat.as_bytes(), hay.as_bytes());
        if got != *want {
            bad.push(format!("{fl} {pat:?} on {hay:?}: want {want}, got {got}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn find_at_keeps_context_before_start() {
    let re = Regex::new(b"^a", &flags("B")).unwrap();
    assert_eq!(re.find_at(b"aaa", 1), None);
    let re = Regex::new(b"^a", &flags("n")).unwrap();
    assert_eq!(re.find_at(b"aa\na", 1).map(|m| m.start), Some(3));
    let re = Regex::new(b"\\<b", &flags("B")).unwrap();
    assert_eq!(re.find_at(b"ab b", 1).map(|m| m.start), Some(3));
    // The same with a backreference (backtracker).
    let re = Regex::new(b"^\\(a\\)\\1", &flags("B")).unwrap();
    assert_eq!(re.find_at(b"aaaa", 1), None);
    // An empty match at the very end is found.
    let re = Regex::new(b"x*", &flags("B")).unwrap();
    assert_eq!(re.find_at(b"ab", 2).map(|m| (m.start, m.end)), Some((2, 2)));
    assert_eq!(re.find_at(b"ab", 3), None);
}

#[test]
fn global_replace_loop() {
    // The loop sed s///g and grep -o run: resume at the end, step over empty matches.
    let re = Regex::new(b"[0-9]*", &flags("B")).unwrap();
    let hay = b"a12b3";
    let mut at = 0;
    let mut spans = Vec::new();
    while let Some(m) = re.find_at(hay, at) {
        spans.push((m.start, m.end));
        at = if m.end == m.start { m.end + 1 } else { m.end };
    }
    assert_eq!(spans, [(0, 0), (1, 3), (3, 3), (4, 5), (5, 5)]);
}

#[test]
fn groups_see_lookahead_after_the_span() {
    // The first alternative would match `a` if the text ended there; it doesn't.
    let re = Regex::new(b"\\(a\\)\\>\\|\\(a\\)", &flags("B")).unwrap();
    let m = re.find_at(b"ab", 0).unwrap();
    assert_eq!(m.groups, [Some((0, 1)), None, Some((0, 1))]);
    let m = re.find_at(b"a b", 0).unwrap();
    assert_eq!(m.groups, [Some((0, 1)), Some((0, 1)), None]);
    // Look-behind at the start sees the text before `start`.
    let re = Regex::new(b"\\(\\<a\\)\\|\\(a\\)", &flags("B")).unwrap();
    let m = re.find_at(b"ba", 1).unwrap();
    assert_eq!(m.groups, [Some((1, 2)), None, Some((1, 2))]);
}

#[test]
fn non_utf8_bytes() {
    let re = Regex::new(b"\xff\xfe*", &flags("B")).unwrap();
    let m = re.find_at(b"a\xff\xfe\xfez", 0).unwrap();
    assert_eq!((m.start, m.end), (1, 4));
    let re = Regex::new(b"[\xe9-\xff]", &flags("E")).unwrap();
    assert!(re.is_match(b"caf\xe9"));
    assert!(!re.is_match(b"cafe"));
    let re = Regex::new(b".", &flags("B")).unwrap();
    assert_eq!(re.find_at(b"\x80", 0).map(|m| m.end), Some(1));
    let re = Regex::new(b"[[:alpha:]]", &flags("B")).unwrap();
    assert!(!re.is_match(b"\xe9"));
    // Invalid UTF-8 in the pattern with a backreference and icase.
    let re = Regex::new(b"\\(\xc3.\\)\\1", &flags("Bi")).unwrap();
    assert!(re.is_match(b"\xc3\x28\xc3\x28"));
    // NUL bytes are ordinary bytes.
    let re = Regex::new(b"a\0b", &flags("E")).unwrap();
    assert!(re.is_match(b"xa\0b"));
}

#[test]
fn captures_len_counts_group_zero() {
    assert_eq!(Regex::new(b"a", &flags("E")).unwrap().captures_len(), 1);
    assert_eq!(
        Regex::new(b"(a)(b(c))", &flags("E"))
            .unwrap()
            .captures_len(),
        4
    );
    assert_eq!(Regex::new(b"(a)", &flags("B")).unwrap().captures_len(), 1);
}

#[test]
fn find_span_matches_find() {
    for (fl, pat, hay, _) in TABLE {
        let Ok(re) = Regex::new(pat.as_bytes(), &flags(fl)) else {
            continue;
        };
        let full = re.find_at(hay.as_bytes(), 0).map(|m| (m.start, m.end));
        assert_eq!(re.find_span_at(hay.as_bytes(), 0), full, "{pat}");
    }
}

#[test]
fn shortest_end_is_a_match_end() {
    let ere = flags("E");
    let re = Regex::new(b"ab+|c", &ere).unwrap();
    assert_eq!(re.shortest_end_at(b"xxabbb c", 0), Some(4));
    assert_eq!(re.shortest_end_at(b"xxabbb c", 4), Some(8));
    assert_eq!(re.shortest_end_at(b"xx", 0), None);
    assert_eq!(re.shortest_end_at(b"xx", 3), None);
    // With backreferences: the backtracker's end.
    let br = Regex::new(b"\\(a\\)\\1", &flags("B")).unwrap();
    assert_eq!(br.shortest_end_at(b"xaa", 0), Some(3));
    // Every table match: no match iff none, and the end is at most the longest end.
    for (fl, pat, hay, _) in TABLE {
        let Ok(re) = Regex::new(pat.as_bytes(), &flags(fl)) else {
            continue;
        };
        let span = re.find_span_at(hay.as_bytes(), 0);
        let short = re.shortest_end_at(hay.as_bytes(), 0);
        assert_eq!(span.is_some(), short.is_some(), "{pat}");
        if let (Some((_, e)), Some(s)) = (span, short) {
            assert!(s <= e, "{pat}");
        }
    }
}

#[test]
fn huge_literal_alternations_work() {
    // `grep -f` with thousands of lines: too big for the lazy DFA's default cache, so
    // the longest end comes from the PikeVM.
    let words: Vec<String> = (0..4000)
        .map(|i| format!("w{i:05}{}", "abcdefghij".repeat(3)))
        .collect();
    let pat = words.join("|");
    let re = Regex::new(pat.as_bytes(), &flags("E")).unwrap();
    let hay = format!("xx {} yy", words[3999]);
    assert!(re.is_match(hay.as_bytes()));
    assert_eq!(
        re.find_span_at(hay.as_bytes(), 0),
        Some((3, 3 + words[3999].len()))
    );
    assert_eq!(
        re.shortest_end_at(hay.as_bytes(), 0),
        Some(3 + words[3999].len())
    );
}

#[test]
fn backtracker_is_bounded() {
    // Exponential for a backtracker; must give up rather than hang.
    let re = Regex::new(b"\\(a*\\)*\\(a*\\)*\\(a*\\)*b\\1", &flags("B")).unwrap();
    let hay = vec![b'a'; 40];
    assert_eq!(re.try_find_at(&hay, 0), Err(RegexError::BacktrackLimit));
    assert_eq!(re.find_at(&hay, 0), None);
    assert!(!re.is_match(&hay));
}

#[test]
fn huge_patterns_are_errors_not_panics() {
    let e = Regex::new(b"(((a{1000}){1000}){1000})", &flags("E")).unwrap_err();
    assert_eq!(e, RegexError::TooBig);
    let e = Regex::new(b"(a{1000}){1000}\\1", &flags("E")).unwrap_err();
    assert_eq!(e, RegexError::TooBig);
    let deep = "(".repeat(3000) + &")".repeat(3000);
    assert!(Regex::new(deep.as_bytes(), &flags("E")).is_err());
}
