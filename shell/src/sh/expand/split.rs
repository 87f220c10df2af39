//! Field splitting (XCU 2.6.5) over an expanded word: only bytes that came from unquoted
//! expansions can delimit; IFS white space (space, tab, newline in IFS) collapses and is
//! trimmed, every other IFS byte ends exactly one field.

use super::{Event, SPLIT, WordBuf};

/// Splits `w` on `ifs`, giving each field's bytes and flags.
pub fn split(w: &WordBuf, ifs: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    split_with(w, ifs, false)
}

/// [`split`], where a multi-byte UTF-8 character of IFS is one delimiter (bash in a
/// UTF-8 locale) when `utf8`.
pub fn split_with(w: &WordBuf, ifs: &[u8], utf8: bool) -> Vec<(Vec<u8>, Vec<u8>)> {
    // The valid multi-byte characters of IFS (lossy decoding keeps them as they are).
    let wide: Vec<Vec<u8>> = if utf8 && !ifs.is_ascii() {
        String::from_utf8_lossy(ifs)
            .chars()
            .filter(|c| !c.is_ascii() && *c != char::REPLACEMENT_CHARACTER)
            .map(|c| c.to_string().into_bytes())
            .collect()
    } else {
        Vec::new()
    };
    let set = IfsSet::new(ifs);
    let is_ifs = |c: u8| set.is_ifs(c);
    let is_ws = |c: u8| set.is_ws(c);
    let mut out = Vec::new();
    let (mut cur, mut cur_flags) = (Vec::new(), Vec::new());
    let mut has = false;
    let mut ev = 0;
    let n = w.bytes.len();
    let mut i = 0;
    // The length of the delimiter at `i` (0: none).
    let dlen = |i: usize| -> usize {
        if w.flags[i] & SPLIT == 0 {
            return 0;
        }
        let c = w.bytes[i];
        if wide.is_empty() || c.is_ascii() {
            return usize::from(is_ifs(c));
        }
        wide.iter()
            .find(|u| {
                w.bytes[i..].starts_with(u)
                    && w.flags[i..i + u.len()].iter().all(|f| f & SPLIT != 0)
            })
            .map_or(0, |u| u.len())
    };
    let delim = |i: usize| dlen(i) > 0;
    loop {
        while let Some(&(pos, e)) = w.events.get(ev) {
            if pos > i {
                break;
            }
            match e {
                Event::Quote => has = true,
                Event::Break => {
                    if has || !cur.is_empty() {
                        out.push((std::mem::take(&mut cur), std::mem::take(&mut cur_flags)));
                    }
                    has = false;
                }
            }
            ev += 1;
        }
        if i >= n {
            break;
        }
        if delim(i) {
            let c = w.bytes[i];
            if is_ws(c) {
                // A run of IFS white space, possibly around one other IFS byte.
                let mut j = i;
                while j < n && delim(j) && is_ws(w.bytes[j]) && !event_at(w, ev, j, i) {
                    j += 1;
                }
                if j < n && delim(j) && !is_ws(w.bytes[j]) && !event_at(w, ev, j, i) {
                    j += dlen(j);
                    while j < n && delim(j) && is_ws(w.bytes[j]) && !event_at(w, ev, j, i) {
                        j += 1;
                    }
                    out.push((std::mem::take(&mut cur), std::mem::take(&mut cur_flags)));
                } else if has || !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), std::mem::take(&mut cur_flags)));
                }
                has = false;
                i = j;
            } else {
                let mut j = i + dlen(i);
                while j < n && delim(j) && is_ws(w.bytes[j]) && !event_at(w, ev, j, i) {
                    j += 1;
                }
                out.push((std::mem::take(&mut cur), std::mem::take(&mut cur_flags)));
                has = false;
                i = j;
            }
            continue;
        }
        cur.push(w.bytes[i]);
        cur_flags.push(w.flags[i]);
        i += 1;
    }
    if has || !cur.is_empty() {
        out.push((cur, cur_flags));
    }
    out
}

/// The bytes of IFS as two 256-bit sets: all of them, and its white space.
struct IfsSet {
    all: [u64; 4],
    ws: [u64; 4],
}

impl IfsSet {
    fn new(ifs: &[u8]) -> IfsSet {
        let mut set = IfsSet {
            all: [0; 4],
            ws: [0; 4],
        };
        for &c in ifs {
            set.all[usize::from(c >> 6)] |= 1 << (c & 63);
            if matches!(c, b' ' | b'\t' | b'\n') {
                set.ws[usize::from(c >> 6)] |= 1 << (c & 63);
            }
        }
        set
    }

    #[inline]
    fn is_ifs(&self, c: u8) -> bool {
        self.all[usize::from(c >> 6)] & (1 << (c & 63)) != 0
    }

    #[inline]
    fn is_ws(&self, c: u8) -> bool {
        self.ws[usize::from(c >> 6)] & (1 << (c & 63)) != 0
    }
}

/// Splits the value of an unquoted expansion standing alone (`$x`: every byte may
/// delimit, no quotes, no events), calling `field` for each field; the same fields as
/// [`split`] gives for such a word, without the flag vectors.
pub fn split_unquoted(v: &[u8], ifs: &[u8], mut field: impl FnMut(&[u8])) {
    if ifs.is_empty() {
        if !v.is_empty() {
            field(v);
        }
        return;
    }
    let set = IfsSet::new(ifs);
    let is_ifs = |c: u8| set.is_ifs(c);
    let is_ws = |c: u8| set.is_ws(c);
    let n = v.len();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        let c = v[i];
        if !is_ifs(c) {
            i += 1;
            continue;
        }
        let end = i;
        let mut j = i;
        while j < n && is_ws(v[j]) {
            j += 1;
        }
        let hard = j < n && is_ifs(v[j]) && !is_ws(v[j]);
        if hard {
            j += 1;
            while j < n && is_ws(v[j]) {
                j += 1;
            }
        }
        // A non-white-space IFS byte ends a field even when it is empty.
        if hard || !is_ws(c) || end > start {
            field(&v[start..end]);
        }
        start = j;
        i = j;
    }
    if start < n {
        field(&v[start..]);
    }
}

/// Whether an event lies in `(start, j]`: delimiter runs stop at events.
fn event_at(w: &WordBuf, ev: usize, j: usize, start: usize) -> bool {
    w.events
        .get(ev..)
        .unwrap_or_default()
        .iter()
        .take_while(|(p, _)| *p <= j)
        .any(|(p, _)| *p > start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, ifs: &str) -> Vec<String> {
        let mut w = WordBuf::default();
        w.push(s.as_bytes(), SPLIT);
        split(&w, ifs.as_bytes())
            .into_iter()
            .map(|(b, _)| String::from_utf8(b).unwrap())
            .collect()
    }

    #[test]
    fn white_space_collapses() {
        assert_eq!(run("  a  b  ", " \t\n"), ["a", "b"]);
        assert_eq!(run("", " "), Vec::<String>::new());
    }

    #[test]
    fn other_bytes_delimit_each() {
        assert_eq!(run("a::b:", ":"), ["a", "", "b"]);
        assert_eq!(run(":a", ":"), ["", "a"]);
        assert_eq!(run(" a : b ", ": "), ["a", "b"]);
        assert_eq!(run(" : b", ": "), ["", "b"]);
        assert_eq!(run("a  :  :b", ": "), ["a", "", "b"]);
    }

    #[test]
    fn unquoted_agrees_with_split() {
        let samples = [
            "", " ", "a", " a  b ", "a::b:", ":a", " a : b ", " : b", "a  :  :b", "::", ": :",
            "a\tb\nc", " :", ": ", "a:", "x y:z  :", "\t:\t", "ab  ", "  ab",
        ];
        for ifs in [" \t\n", ":", ": ", " ", "\t:", "ab", ""] {
            for s in samples {
                let mut got = Vec::new();
                split_unquoted(s.as_bytes(), ifs.as_bytes(), |f| {
                    got.push(String::from_utf8(f.to_vec()).unwrap())
                });
                assert_eq!(got, run(s, ifs), "value {s:?} IFS {ifs:?}");
            }
        }
    }

    #[test]
    fn empty_ifs_never_splits() {
        assert_eq!(run(" a b ", ""), [" a b "]);
    }

    #[test]
    fn wide_characters_of_ifs_delimit_whole() {
        let mut w = WordBuf::default();
        w.push("çxçyé".as_bytes(), SPLIT);
        let fields = |utf8| -> Vec<String> {
            split_with(&w, "ç".as_bytes(), utf8)
                .into_iter()
                .map(|(b, _)| String::from_utf8_lossy(&b).into_owned())
                .collect()
        };
        assert_eq!(fields(true), ["", "x", "yé"]);
        // Byte-wise, each byte of ç delimits (and é, sharing its first byte, is cut).
        assert_eq!(fields(false).len(), 6);
    }
}
