//! Backslash escapes as `echo -e`, printf's format and printf's `%b` read them. The three
//! agree on the letters (`\a \b \e \E \f \n \r \t \v \\`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`
//! as UTF-8, an unknown escape stays as written) and differ, as in bash, only in:
//!
//! | escape          | echo -e      | printf `%b`  | printf format      |
//! |-----------------|--------------|--------------|--------------------|
//! | `\0NNN`         | NNN octal    | NNN octal    | `\0NN`: 0NN octal  |
//! | `\NNN` (1-7)    | as written   | NNN octal    | NNN octal          |
//! | `\c`            | stop output  | stop output  | as written         |
//! | `\" \' \?`      | as written   | as written   | the character      |

/// Which reader's rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `echo -e`.
    Echo,
    /// printf's `%b` argument.
    PrintfArg,
    /// printf's format string.
    PrintfFormat,
}

/// Whether output goes on after an escaped text (`\c` stops it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Keep going.
    Go,
    /// `\c` was seen: print nothing more.
    Stop,
}

/// Appends `text` to `out` with its backslash escapes interpreted by `dialect`'s rules.
pub fn expand(text: &[u8], dialect: Dialect, out: &mut Vec<u8>) -> Flow {
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        match decode(text.get(i..).unwrap_or_default(), dialect, out) {
            Some(n) => i += n,
            None => return Flow::Stop,
        }
    }
    Flow::Go
}

/// Decodes one escape: `rest` is the text just after a backslash. Appends the result to
/// `out` and returns how many bytes of `rest` it used, or `None` for a `\c` that stops
/// output. A backslash at the very end stays a backslash.
pub fn decode(rest: &[u8], dialect: Dialect, out: &mut Vec<u8>) -> Option<usize> {
    let Some((&e, after)) = rest.split_first() else {
        out.push(b'\\');
        return Some(0);
    };
    let simple = match e {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'e' | b'E' => Some(0x1b),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' => Some(b'\\'),
        b'"' | b'\'' | b'?' if dialect == Dialect::PrintfFormat => Some(e),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return Some(1);
    }
    match e {
        b'c' if dialect != Dialect::PrintfFormat => None,
        b'0' if dialect != Dialect::PrintfFormat => {
            let (v, n) = digits(after, 8, 3);
            out.push(v as u8);
            Some(1 + n)
        }
        b'0'..=b'7' if dialect != Dialect::Echo => {
            let (v, n) = digits(rest, 8, 3);
            out.push(v as u8);
            Some(n)
        }
        b'x' => match digits(after, 16, 2) {
            (_, 0) => {
                out.extend_from_slice(b"\\x");
                Some(1)
            }
            (v, n) => {
                out.push(v as u8);
                Some(1 + n)
            }
        },
        b'u' | b'U' => {
            let max = if e == b'u' { 4 } else { 8 };
            match digits(after, 16, max) {
                (_, 0) => {
                    out.extend_from_slice(&[b'\\', e]);
                    Some(1)
                }
                (v, n) => {
                    let ch = char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER);
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                    Some(1 + n)
                }
            }
        }
        other => {
            out.extend_from_slice(&[b'\\', other]);
            Some(1)
        }
    }
}

/// Reads up to `max` digits of `radix` from the front of `s`: (value, digits used).
fn digits(s: &[u8], radix: u32, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    for &b in s.iter().take(max) {
        match (b as char).to_digit(radix) {
            Some(d) => {
                v = v.wrapping_mul(radix).wrapping_add(d);
                n += 1;
            }
            None => break,
        }
    }
    (v, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &[u8], d: Dialect) -> (Vec<u8>, Flow) {
        let mut out = Vec::new();
        let flow = expand(text, d, &mut out);
        (out, flow)
    }

    #[test]
    fn letters_are_common() {
        for d in [Dialect::Echo, Dialect::PrintfArg, Dialect::PrintfFormat] {
            assert_eq!(
                ex(b"\\a\\b\\e\\E\\f\\n\\r\\t\\v\\\\\\q\\", d).0,
                b"\x07\x08\x1b\x1b\x0c\n\r\t\x0b\\\\q\\"
            );
            assert_eq!(ex(b"\\x41\\x4g\\xg\\u263a\\U0001F600\\ug", d).0, {
                let mut v = b"A\x04g\\xg".to_vec();
                v.extend_from_slice("\u{263a}\u{1F600}".as_bytes());
                v.extend_from_slice(b"\\ug");
                v
            });
        }
    }

    #[test]
    fn octal_rules_differ() {
        assert_eq!(ex(b"\\0101|\\101|\\08", Dialect::Echo).0, b"A|\\101|\x008");
        assert_eq!(
            ex(b"\\0101|\\101|\\08|\\1018|\\400", Dialect::PrintfArg).0,
            b"A|A|\x008|A8|\0"
        );
        assert_eq!(
            ex(b"\\0101|\\101|\\08|\\0", Dialect::PrintfFormat).0,
            b"\x081|A|\x008|\0"
        );
    }

    #[test]
    fn c_and_quotes() {
        assert_eq!(ex(b"a\\cb", Dialect::Echo), (b"a".to_vec(), Flow::Stop));
        assert_eq!(
            ex(b"a\\cb", Dialect::PrintfArg),
            (b"a".to_vec(), Flow::Stop)
        );
        assert_eq!(
            ex(b"a\\cb", Dialect::PrintfFormat),
            (b"a\\cb".to_vec(), Flow::Go)
        );
        assert_eq!(ex(b"\\\"\\'\\?", Dialect::PrintfFormat).0, b"\"'?");
        assert_eq!(ex(b"\\\"\\'\\?", Dialect::PrintfArg).0, b"\\\"\\'\\?");
    }
}
