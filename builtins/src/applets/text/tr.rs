//! `tr`: translate, squeeze or delete bytes of standard input.

use crate::common::lines::BUF_SIZE;
use crate::prelude::*;

/// The `tr` applet.
pub const APPLET: Applet = Applet::new("tr", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-cdst] SET1 [SET2]")
    .help(
        "Translate, squeeze or delete bytes from standard input to standard output.\n\n\
         -c, -C\tUse the complement of SET1\n\
         -d\tDelete bytes in SET1\n\
         -s\tSqueeze runs of a byte in the last SET given into one\n\
         -t\tTruncate SET1 to the length of SET2\n\n\
         SETs: bytes; \\NNN octal, \\\\ \\n \\t \\r \\a \\b \\f \\v; a-z ranges; [:alpha:]\n\
         and the other classes; [=c=]; in SET2 [c*N] (N copies) and [c*] (fill).",
    );

const LONGS: &[&str] = &["complement", "delete", "squeeze-repeats", "truncate-set1"];

/// One parsed piece of a SET.
enum Piece {
    Bytes(Vec<u8>),
    /// `[c*N]`; `None` fills up to the length of SET1.
    Repeat(u8, Option<usize>),
    /// `[:upper:]` / `[:lower:]`, kept apart for case conversion.
    Class(Vec<u8>),
}

fn class(name: &[u8]) -> Option<Vec<u8>> {
    let all = 0u8..=255;
    let v: Vec<u8> = match name {
        b"alnum" => all.filter(u8::is_ascii_alphanumeric).collect(),
        b"alpha" => all.filter(u8::is_ascii_alphabetic).collect(),
        b"blank" => vec![b'\t', b' '],
        b"cntrl" => all.filter(u8::is_ascii_control).collect(),
        b"digit" => (b'0'..=b'9').collect(),
        b"graph" => all.filter(u8::is_ascii_graphic).collect(),
        b"lower" => (b'a'..=b'z').collect(),
        b"print" => (0x20..0x7f).collect(),
        b"punct" => all.filter(u8::is_ascii_punctuation).collect(),
        b"space" => vec![b'\t', b'\n', 0x0b, 0x0c, b'\r', b' '],
        b"upper" => (b'A'..=b'Z').collect(),
        b"xdigit" => all.filter(u8::is_ascii_hexdigit).collect(),
        _ => return None,
    };
    Some(v)
}

/// Reads one possibly escaped byte at `s[*i]`.
fn one(s: &[u8], i: &mut usize) -> u8 {
    let c = s[*i];
    *i += 1;
    if c != b'\\' || *i >= s.len() {
        return c;
    }
    let e = s[*i];
    *i += 1;
    match e {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'0'..=b'7' => {
            let mut v = u32::from(e - b'0');
            let mut k = 1;
            while k < 3 && *i < s.len() && (b'0'..=b'7').contains(&s[*i]) {
                let nv = v * 8 + u32::from(s[*i] - b'0');
                if nv > 255 {
                    break;
                }
                v = nv;
                *i += 1;
                k += 1;
            }
            v as u8
        }
        other => other,
    }
}

fn parse_set(s: &[u8], second: bool) -> Result<Vec<Piece>, Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'[' {
            // [:class:]
            if s.get(i + 1) == Some(&b':')
                && let Some(end) = find(s, i + 2, b":]")
            {
                let name = &s[i + 2..end];
                let bytes = class(name).ok_or_else(|| {
                    Error::msg(format!(
                        "invalid character class '{}'",
                        String::from_utf8_lossy(name)
                    ))
                })?;
                if matches!(name, b"upper" | b"lower") {
                    out.push(Piece::Class(bytes));
                } else {
                    if second {
                        return Err(Error::msg(
                            "when translating, the only character classes that may appear in\n\
                             string2 are 'upper' and 'lower'",
                        ));
                    }
                    out.push(Piece::Bytes(bytes));
                }
                i = end + 2;
                continue;
            }
            // [=c=]
            if s.get(i + 1) == Some(&b'=') {
                let mut j = i + 2;
                if j < s.len() {
                    let c = one(s, &mut j);
                    if s.get(j..j + 2) == Some(b"=]") {
                        out.push(Piece::Bytes(vec![c]));
                        i = j + 2;
                        continue;
                    }
                }
            }
            // [c*N]
            if i + 1 < s.len() {
                let mut j = i + 1;
                let c = one(s, &mut j);
                if s.get(j) == Some(&b'*')
                    && let Some(end) = find(s, j + 1, b"]")
                {
                    let digits = &s[j + 1..end];
                    if digits.iter().all(u8::is_ascii_digit) {
                        let radix = if digits.first() == Some(&b'0') { 8 } else { 10 };
                        let n = if digits.is_empty() {
                            None
                        } else {
                            let t = std::str::from_utf8(digits).unwrap_or("0");
                            let n = usize::from_str_radix(t, radix).map_err(|_| {
                                Error::msg(format!(
                                    "invalid repeat count '{}' in [c*n] construct",
                                    String::from_utf8_lossy(digits)
                                ))
                            })?;
                            if n == 0 { None } else { Some(n) }
                        };
                        if !second {
                            return Err(Error::msg(
                                "the [c*] repeat construct may not appear in string1",
                            ));
                        }
                        out.push(Piece::Repeat(c, n));
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        let mut j = i;
        let c = one(s, &mut j);
        // A range c-d.
        if s.get(j) == Some(&b'-') && j + 1 < s.len() {
            let mut k = j + 1;
            let d = one(s, &mut k);
            if d < c {
                return Err(Error::msg(format!(
                    "range-endpoints of '{}' are in reverse collating sequence order",
                    String::from_utf8_lossy(&s[i..k])
                )));
            }
            out.push(Piece::Bytes((c..=d).collect()));
            i = k;
            continue;
        }
        out.push(Piece::Bytes(vec![c]));
        i = j;
    }
    Ok(out)
}

fn find(s: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    s.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| p + from)
}

fn expand(pieces: &[Piece], fill_to: usize) -> Vec<u8> {
    let fixed: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Bytes(b) | Piece::Class(b) => b.len(),
            Piece::Repeat(_, Some(n)) => *n,
            Piece::Repeat(_, None) => 0,
        })
        .sum();
    let mut out = Vec::new();
    let mut filled = false;
    for p in pieces {
        match p {
            Piece::Bytes(b) | Piece::Class(b) => out.extend_from_slice(b),
            Piece::Repeat(c, Some(n)) => out.extend(std::iter::repeat_n(*c, (*n).min(1 << 16))),
            Piece::Repeat(c, None) => {
                if !filled {
                    out.extend(std::iter::repeat_n(*c, fill_to.saturating_sub(fixed)));
                    filled = true;
                }
            }
        }
    }
    out
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut compl, mut delete, mut squeeze, mut truncate) = (false, false, false, false);
    let mut sets = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c' | 'C') | Arg::Long("complement") => compl = true,
            Arg::Short('d') | Arg::Long("delete") => delete = true,
            Arg::Short('s') | Arg::Long("squeeze-repeats") => squeeze = true,
            Arg::Short('t') | Arg::Long("truncate-set1") => truncate = true,
            Arg::Value(v) => sets.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let translating = !delete && sets.len() > 1;
    let max = if delete && squeeze || translating {
        2
    } else {
        1
    };
    if sets.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    if sets.len() > max {
        let extra = String::from_utf8_lossy(&sets[max]).into_owned();
        let mut m = format!("extra operand '{extra}'");
        if delete && max == 1 {
            m.push_str("\nOnly one string may be given when deleting without squeezing repeats.");
        }
        return Err(Error::usage(m));
    }
    if (delete && squeeze || !delete && !squeeze) && sets.len() < 2 {
        let first = String::from_utf8_lossy(&sets[0]).into_owned();
        let why = if delete {
            "Two strings must be given when both deleting and squeezing repeats."
        } else {
            "Two strings must be given when translating."
        };
        return Err(Error::usage(format!(
            "missing operand after '{first}'\n{why}"
        )));
    }
    let mut set1 = expand(&parse_set(&sets[0], false)?, 0);
    if compl {
        let mut member = [false; 256];
        for &b in &set1 {
            member[usize::from(b)] = true;
        }
        set1 = (0u8..=255).filter(|&b| !member[usize::from(b)]).collect();
    }
    let set2 = match sets.get(1) {
        Some(s) => expand(&parse_set(s, translating)?, set1.len()),
        None => Vec::new(),
    };
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut del = [false; 256];
    let mut sq = [false; 256];
    if translating {
        if set2.is_empty() && !set1.is_empty() {
            return Err(Error::msg(
                "when not truncating set1, string2 must be non-empty",
            ));
        }
        if truncate {
            set1.truncate(set2.len());
        }
        for (i, &b) in set1.iter().enumerate() {
            let to = set2.get(i).or(set2.last()).copied().unwrap_or(b);
            map[usize::from(b)] = to;
        }
        if squeeze {
            for &b in &set2 {
                sq[usize::from(b)] = true;
            }
        }
    } else {
        if delete {
            for &b in &set1 {
                del[usize::from(b)] = true;
            }
        }
        let squeeze_set = if delete { &set2 } else { &set1 };
        if squeeze {
            for &b in squeeze_set {
                sq[usize::from(b)] = true;
            }
        }
    }
    let plain_map = !delete && !squeeze;
    let mut buf = vec![0u8; BUF_SIZE];
    let mut out = Vec::with_capacity(BUF_SIZE);
    let mut last: Option<u8> = None;
    loop {
        let n = match ctx.stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(b"read error", &e)),
        };
        let chunk = buf.get_mut(..n).unwrap_or_default();
        if plain_map {
            for b in chunk.iter_mut() {
                *b = map[usize::from(*b)];
            }
            ctx.stdout.write_all(chunk)?;
            continue;
        }
        out.clear();
        for &b in chunk.iter() {
            if del[usize::from(b)] {
                continue;
            }
            let c = map[usize::from(b)];
            if sq[usize::from(c)] && last == Some(c) {
                continue;
            }
            last = Some(c);
            out.push(c);
        }
        ctx.stdout.write_all(&out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn tr(args: &[&str], input: &[u8]) -> Vec<u8> {
        run("tr", args, input).stdout
    }

    #[test]
    fn translates() {
        assert_eq!(tr(&["a-z", "A-Z"], b"hello, World\n"), b"HELLO, WORLD\n");
        assert_eq!(tr(&["[:lower:]", "[:upper:]"], b"abc"), b"ABC");
        assert_eq!(tr(&["abc", "x"], b"aabbcd"), b"xxxxxd");
        assert_eq!(tr(&["-t", "abc", "x"], b"aabbcd"), b"xxbbcd");
        assert_eq!(tr(&["a-c", "[x*]"], b"abcd"), b"xxxd");
        assert_eq!(tr(&["abcd", "[x*2]y"], b"abcd"), b"xxyy");
        assert_eq!(tr(&["\\n\\t", "_-"], b"a\tb\n"), b"a-b_");
        assert_eq!(tr(&["\\101", "b"], b"A"), b"b");
        assert_eq!(tr(&["\\0", "x"], b"a\0b"), b"axb");
        assert_eq!(tr(&["\\\\", "/"], b"a\\b"), b"a/b");
        assert_eq!(tr(&["-c", "a", "_"], b"abc\n"), b"a___");
    }

    #[test]
    fn deletes_and_squeezes() {
        assert_eq!(tr(&["-d", "a-c"], b"abcdcba\n"), b"d\n");
        assert_eq!(tr(&["-d", "[:digit:]"], b"a1b22c"), b"abc");
        assert_eq!(tr(&["-cd", "[:alpha:]"], b"a1 b\n"), b"ab");
        assert_eq!(tr(&["-s", " "], b"a   b  c"), b"a b c");
        assert_eq!(tr(&["-s", "a-z", "A-Z"], b"aabbcc dd"), b"ABC D");
        assert_eq!(tr(&["-ds", "a", "b"], b"abbbac"), b"bc");
        assert_eq!(tr(&["-s", "\\n"], b"a\n\n\nb\n"), b"a\nb\n");
    }

    #[test]
    fn errors() {
        let r = run("tr", &[], b"");
        assert!(r.err().starts_with("tr: missing operand\n"));
        let r = run("tr", &["a"], b"");
        assert!(r.err().starts_with(
            "tr: missing operand after 'a'\nTwo strings must be given when translating.\n"
        ));
        assert!(
            run("tr", &["-d", "a", "b"], b"")
                .err()
                .starts_with("tr: extra operand 'b'\n")
        );
        let r = run("tr", &["z-a", "x"], b"");
        assert_eq!(
            r.err(),
            "tr: range-endpoints of 'z-a' are in reverse collating sequence order\n"
        );
        assert_eq!(r.status, 1);
        assert_eq!(run("tr", &["[:foo:]", "x"], b"").status, 1);
    }

    #[test]
    fn binary_data() {
        let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
        let out = tr(&["\\000-\\377", "x"], &data);
        assert_eq!(out.len(), 300_000);
        assert!(out.iter().all(|&b| b == b'x'));
    }
}
