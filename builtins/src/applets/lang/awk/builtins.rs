//! The pure parts of awk's built-in functions: regex translation and compilation,
//! field splitting (FS and split()), sub/gsub replacement, substr, index. Positions
//! and lengths count bytes (the C locale).

use std::rc::Rc;

use rbox_parser::regex::{Options, Regex};

use super::lex::escape;

const ERE: Options = Options {
    extended: true,
    icase: false,
    newline: false,
};

/// Compiles an awk ERE (a regex literal's text or a dynamic regex string).
pub fn compile(text: &[u8]) -> Result<Regex, String> {
    let t = translate(text);
    Regex::new(&t, &ERE).map_err(|e| {
        format!(
            "regular expression compile failed ({e}): {}",
            String::from_utf8_lossy(text)
        )
    })
}

fn push_lit(out: &mut Vec<u8>, b: u8) {
    if b".[]()*+?{}|^$\\".contains(&b) {
        out.push(b'\\');
    }
    out.push(b);
}

/// Whether `rest` (just after a `{`) holds an interval `m}`, `m,}` or `m,n}`: its length.
fn interval_len(rest: &[u8]) -> Option<usize> {
    let mut i = 0;
    while rest.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == 0 && rest.first() != Some(&b',') {
        return None;
    }
    if rest.get(i) == Some(&b',') {
        i += 1;
        while rest.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    (rest.get(i) == Some(&b'}')).then_some(i + 1)
}

/// awk ERE to the regex module's ERE: awk's escapes (`\n`, `\t`, `\/`, `\"`, octal)
/// become literal bytes; a `{` that starts no interval is literal, and so is a `* + ?`
/// with nothing to repeat (gawk).
pub fn translate(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len() + 8);
    let mut i = 0;
    // Whether the last atom can be repeated (an interval after it is one).
    let mut atom = false;
    while let Some(&c) = src.get(i) {
        match c {
            b'\\' => {
                let rest = src.get(i + 1..).unwrap_or_default();
                match rest.first() {
                    None => {
                        out.extend_from_slice(b"\\\\");
                        i += 1;
                    }
                    Some(&d) => {
                        let (b, used) = escape(rest);
                        match b {
                            Some(b) if d != b'\\' => {
                                push_lit(&mut out, b);
                                i += 1 + used;
                            }
                            _ => {
                                if d == b'y' {
                                    out.extend_from_slice(b"\\b");
                                } else {
                                    out.push(b'\\');
                                    out.push(d);
                                }
                                i += 2;
                            }
                        }
                    }
                }
                atom = true;
            }
            b'[' => {
                // Copy a bracket expression, turning awk escapes into bytes.
                out.push(b'[');
                i += 1;
                if src.get(i) == Some(&b'^') {
                    out.push(b'^');
                    i += 1;
                }
                if src.get(i) == Some(&b']') {
                    out.push(b']');
                    i += 1;
                }
                while let Some(&d) = src.get(i) {
                    match d {
                        b']' => {
                            out.push(b']');
                            i += 1;
                            break;
                        }
                        b'[' if matches!(src.get(i + 1), Some(b':' | b'.' | b'=')) => {
                            let close = src.get(i + 1).copied().unwrap_or(b':');
                            let start = i;
                            i += 2;
                            while let Some(&e) = src.get(i) {
                                i += 1;
                                if e == close && src.get(i) == Some(&b']') {
                                    i += 1;
                                    break;
                                }
                            }
                            out.extend_from_slice(src.get(start..i).unwrap_or_default());
                        }
                        b'\\' => {
                            let rest = src.get(i + 1..).unwrap_or_default();
                            let (b, used) = escape(rest);
                            let (byte, used) = match (b, rest.first()) {
                                (Some(b), _) => (b, used),
                                (None, Some(&e)) => (e, 1),
                                (None, None) => (b'\\', 0),
                            };
                            match byte {
                                b']' | b'[' | b'-' | b'^' => {
                                    out.extend_from_slice(&[b'[', b'.', byte, b'.', b']'])
                                }
                                _ => out.push(byte),
                            }
                            i += 1 + used;
                        }
                        _ => {
                            out.push(d);
                            i += 1;
                        }
                    }
                }
                atom = true;
            }
            b'{' => match interval_len(src.get(i + 1..).unwrap_or_default()) {
                Some(n) if atom => {
                    // gawk: `{,n}` is `{0,n}`.
                    if src.get(i + 1) == Some(&b',') {
                        out.extend_from_slice(b"{0");
                        out.extend_from_slice(src.get(i + 1..i + 1 + n).unwrap_or_default());
                    } else {
                        out.extend_from_slice(src.get(i..i + 1 + n).unwrap_or_default());
                    }
                    i += 1 + n;
                }
                _ => {
                    out.extend_from_slice(b"\\{");
                    i += 1;
                    atom = true;
                }
            },
            b'}' => {
                out.extend_from_slice(b"\\}");
                i += 1;
                atom = true;
            }
            b'(' | b'|' | b'^' => {
                out.push(c);
                i += 1;
                atom = false;
            }
            // gawk: a `* + ?` with nothing before it to repeat is a literal.
            b'*' | b'+' | b'?' if !atom => {
                out.push(b'\\');
                out.push(c);
                i += 1;
                atom = true;
            }
            _ => {
                out.push(c);
                i += 1;
                atom = true;
            }
        }
    }
    out
}

/// How records are split into fields (FS, or split()'s third argument).
#[derive(Clone)]
pub enum Splitter {
    /// The default `" "`: runs of blanks and newlines, leading and trailing ignored.
    Space,
    /// One literal byte (and newline too in paragraph mode).
    Byte(u8, bool),
    /// `""`: every byte a field.
    Chars,
    Regex(Rc<Regex>),
}

impl Splitter {
    /// The splitter for an FS value; `para`: RS is "" (newline also separates fields when
    /// FS is a single byte or the default).
    pub fn new(fs: &[u8], para: bool) -> Result<Splitter, String> {
        Ok(match fs {
            b" " => Splitter::Space,
            b"" => Splitter::Chars,
            [c] if *c != b' ' => Splitter::Byte(*c, para),
            // A regex FS: newline is no extra separator in paragraph mode (gawk, mawk).
            _ => Splitter::Regex(Rc::new(compile(fs)?)),
        })
    }

    /// Splits `s` from byte `from` until `out` holds `want` spans: the offset to resume
    /// at, or `None` once the whole string is split. Only the blank and single-byte
    /// splitters stop early; the others split everything (from must then be 0).
    pub fn split_some(
        &self,
        s: &[u8],
        from: usize,
        out: &mut Vec<(usize, usize)>,
        want: usize,
    ) -> Option<usize> {
        match self {
            Splitter::Space => {
                let n = s.len();
                let mut i = from;
                loop {
                    while i < n && matches!(s.get(i), Some(b' ' | b'\t' | b'\n')) {
                        i += 1;
                    }
                    if i >= n {
                        return None;
                    }
                    let start = i;
                    while i < n && !matches!(s.get(i), Some(b' ' | b'\t' | b'\n')) {
                        i += 1;
                    }
                    out.push((start, i));
                    if out.len() >= want {
                        return Some(i);
                    }
                }
            }
            Splitter::Byte(c, false) => {
                if s.is_empty() {
                    return None;
                }
                let mut start = from;
                let rest = s.get(from..).unwrap_or_default();
                for p in memchr::memchr_iter(*c, rest) {
                    out.push((start, from + p));
                    start = from + p + 1;
                    if out.len() >= want {
                        return Some(start);
                    }
                }
                out.push((start, s.len()));
                None
            }
            _ => {
                self.split(s, out);
                None
            }
        }
    }

    /// Splits `s` into field spans (appended to `out`).
    pub fn split(&self, s: &[u8], out: &mut Vec<(usize, usize)>) {
        if s.is_empty() {
            return;
        }
        match self {
            Splitter::Space => {
                let mut i = 0;
                let n = s.len();
                loop {
                    while i < n && matches!(s.get(i), Some(b' ' | b'\t' | b'\n')) {
                        i += 1;
                    }
                    if i >= n {
                        break;
                    }
                    let start = i;
                    while i < n && !matches!(s.get(i), Some(b' ' | b'\t' | b'\n')) {
                        i += 1;
                    }
                    out.push((start, i));
                }
            }
            Splitter::Byte(c, nl) => {
                let mut start = 0;
                if *nl && *c != b'\n' {
                    for (i, &b) in s.iter().enumerate() {
                        if b == *c || b == b'\n' {
                            out.push((start, i));
                            start = i + 1;
                        }
                    }
                } else {
                    for i in memchr::memchr_iter(*c, s) {
                        out.push((start, i));
                        start = i + 1;
                    }
                }
                out.push((start, s.len()));
            }
            Splitter::Chars => {
                for i in 0..s.len() {
                    out.push((i, i + 1));
                }
            }
            Splitter::Regex(re) => {
                let (mut start, mut pos) = (0, 0);
                while pos <= s.len() {
                    match re.find_span_at(s, pos) {
                        Some((a, b)) if b > a => {
                            out.push((start, a));
                            start = b;
                            pos = b;
                        }
                        Some((a, _)) => pos = a + 1,
                        None => break,
                    }
                }
                out.push((start, s.len()));
            }
        }
    }
}

/// sub/gsub: replaces the first (or every) match of `re` in `s` by `repl`, where `&` is
/// the match, `\&` a literal `&` and `\\` a literal backslash (POSIX). Returns the new
/// text and the number of replacements.
pub fn substitute(re: &Regex, repl: &[u8], s: &[u8], global: bool) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(s.len() + repl.len());
    let mut count = 0;
    let mut i = 0;
    let mut last_end: Option<usize> = None;
    while i <= s.len() {
        let Some((a, b)) = re.find_span_at(s, i) else {
            break;
        };
        if a == b && last_end == Some(a) {
            // An empty match right after the previous match does not count.
            out.extend_from_slice(s.get(i..a).unwrap_or_default());
            if let Some(&c) = s.get(a) {
                out.push(c);
            }
            i = a + 1;
            continue;
        }
        out.extend_from_slice(s.get(i..a).unwrap_or_default());
        expand_repl(repl, s.get(a..b).unwrap_or_default(), &mut out);
        count += 1;
        last_end = Some(b);
        if a == b {
            if let Some(&c) = s.get(a) {
                out.push(c);
            }
            i = a + 1;
        } else {
            i = b;
        }
        if !global {
            break;
        }
    }
    if i < s.len() {
        out.extend_from_slice(s.get(i..).unwrap_or_default());
    }
    (out, count)
}

fn expand_repl(repl: &[u8], matched: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&c) = repl.get(i) {
        match c {
            b'\\' if matches!(repl.get(i + 1), Some(b'&' | b'\\')) => {
                out.push(repl.get(i + 1).copied().unwrap_or(b'\\'));
                i += 2;
            }
            b'&' => {
                out.extend_from_slice(matched);
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// substr(s, m[, n]) by the POSIX rules: characters from position round(m) to
/// round(m) + round(n) - 1, clipped to the string.
pub fn substr(s: &[u8], m: f64, n: Option<f64>) -> &[u8] {
    let len = s.len() as f64;
    let start = round_even(m);
    let end = match n {
        Some(n) => {
            if n.is_nan() {
                return &[];
            }
            start + round_even(n)
        }
        None => f64::INFINITY,
    };
    if start.is_nan() {
        return &[];
    }
    let a = start.max(1.0);
    let b = end.min(len + 1.0);
    if b <= a {
        return &[];
    }
    let (a, b) = (a as usize - 1, b as usize - 1);
    s.get(a..b).unwrap_or_default()
}

/// Rounds half to even, as the C library's rint does by default.
fn round_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

/// index(s, t): the 1-based position of the first `t` in `s`, 0 when absent or empty.
pub fn index(s: &[u8], t: &[u8]) -> usize {
    if t.is_empty() {
        return 0;
    }
    memchr::memmem::find(s, t).map_or(0, |p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(sp: &Splitter, s: &str) -> Vec<String> {
        let mut v = Vec::new();
        sp.split(s.as_bytes(), &mut v);
        v.iter()
            .map(|&(a, b)| s.get(a..b).unwrap().to_string())
            .collect()
    }

    #[test]
    fn splitting() {
        assert_eq!(spans(&Splitter::Space, "  a b\t c  "), ["a", "b", "c"]);
        assert_eq!(
            spans(&Splitter::new(b":", false).unwrap(), ":a::b"),
            ["", "a", "", "b"]
        );
        assert_eq!(
            spans(&Splitter::new(b"[0-9]+", false).unwrap(), "a12b3c"),
            ["a", "b", "c"]
        );
        assert_eq!(
            spans(&Splitter::new(b"", false).unwrap(), "abc"),
            ["a", "b", "c"]
        );
        assert_eq!(
            spans(&Splitter::new(b"|", false).unwrap(), "a|b"),
            ["a", "b"]
        );
        assert!(spans(&Splitter::Space, "   ").is_empty());
        assert_eq!(
            spans(&Splitter::new(b":", true).unwrap(), "a:b\nc"),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn substitution() {
        let re = compile(b"x*").unwrap();
        assert_eq!(substitute(&re, b"-", b"abc", true).0, b"-a-b-c-");
        assert_eq!(substitute(&re, b"-", b"xxa", true).0, b"-a-");
        let re = compile(b"b").unwrap();
        assert_eq!(
            substitute(&re, b"[&]", b"abcb", true),
            (b"a[b]c[b]".to_vec(), 2)
        );
        assert_eq!(substitute(&re, b"\\&", b"abc", false).0, b"a&c");
        assert_eq!(substitute(&re, b"\\\\&", b"abc", false).0, b"a\\bc");
        assert_eq!(substitute(&re, b"\\q", b"abc", false).0, b"a\\qc");
    }

    #[test]
    fn regex_translation() {
        assert_eq!(translate(b"a\\/b"), b"a/b");
        assert_eq!(translate(b"{x}"), b"\\{x\\}");
        assert_eq!(translate(b"a{2}"), b"a{2}");
        assert_eq!(translate(b"\\."), b"\\.");
        assert_eq!(translate(b"a\\tb"), b"a\tb");
        assert_eq!(translate(b"[\\]x]"), b"[[.].]x]");
        // gawk: nothing to repeat makes `* + ?` literal; `{,n}` is `{0,n}`.
        assert_eq!(translate(b"*a"), b"\\*a");
        assert_eq!(translate(b"(+a|?c)"), b"(\\+a|\\?c)");
        assert_eq!(translate(b"^*a"), b"^\\*a");
        assert_eq!(translate(b"a**"), b"a**");
        assert_eq!(translate(b"a{,2}"), b"a{0,2}");
        assert_eq!(translate(b"a{,}"), b"a{0,}");
        assert_eq!(translate(b"a{1"), b"a\\{1");
        assert!(compile(b"(").is_err());
        assert!(compile(b"[[:alpha:]]+").unwrap().is_match(b"abc"));
    }

    #[test]
    fn substr_rules() {
        assert_eq!(substr(b"hello", 2.0, Some(3.0)), b"ell");
        assert_eq!(substr(b"hello", 0.0, Some(2.0)), b"h");
        assert_eq!(substr(b"hello", -1.0, Some(3.0)), b"h");
        assert_eq!(substr(b"hello", 4.0, None), b"lo");
        assert_eq!(substr(b"hello", 1.5, Some(2.0)), b"el");
        assert_eq!(substr(b"hello", 10.0, None), b"");
        assert_eq!(substr(b"hello", f64::NAN, None), b"");
        assert_eq!(index(b"abc", b"c"), 3);
        assert_eq!(index(b"abc", b""), 0);
    }
}
