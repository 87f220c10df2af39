//! Base64 (RFC 4648, standard alphabet, `=` padding) for whole values held in memory:
//! attribute values (`getfattr -e base64`, `setfattr -v 0s...`). The streaming encoder of
//! the `base64` applet handles files of any size and line wrapping; this is its in-memory
//! counterpart.

/// The 64 digits, in value order.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `data` encoded, padded with `=` to a multiple of four digits, no line breaks.
pub fn encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(DIGITS[((n >> shift) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// The value of one base64 digit, or `None` for anything else (`=` included).
pub fn digit(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes padded base64 (groups of four digits, the last one possibly ending in `=` or
/// `==`), ignoring ASCII whitespace between digits. `None` when the text is not that:
/// a stray character, a short group, bits left over in a padded group, data after the
/// padding.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    let chars: Vec<u8> = text
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let groups = chars.len() / 4;
    for (g, group) in chars.chunks(4).enumerate() {
        let pad = group.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && g + 1 != groups) {
            return None;
        }
        let mut n = 0u32;
        for &c in &group[..4 - pad] {
            n = (n << 6) | u32::from(digit(c)?);
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Bits that padding leaves over must be zero, as a canonical encoder makes them.
        if bytes[3 - pad..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"", b""),
            (b"f", b"Zg=="),
            (b"fo", b"Zm8="),
            (b"foo", b"Zm9v"),
            (b"foob", b"Zm9vYg=="),
            (b"fooba", b"Zm9vYmE="),
            (b"foobar", b"Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(encode(plain), *coded);
            assert_eq!(decode(coded).as_deref(), Some(*plain));
        }
    }

    #[test]
    fn capability_value_round_trips() {
        let v = decode(b"AQAAAgAgAAAAAAAAAAAAAAAAAAA=").unwrap();
        assert_eq!(v.len(), 20);
        assert_eq!(&v[..8], &[1, 0, 0, 2, 0, 0x20, 0, 0]);
        assert_eq!(encode(&v), b"AQAAAgAgAAAAAAAAAAAAAAAAAAA=");
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [&b"Zg="[..], b"Z===", b"Zh==", b"Zg==Zg==", b"Z!8=", b"Zm9"] {
            assert_eq!(decode(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(decode(b" Zm9v\nYg== ").as_deref(), Some(&b"foob"[..]));
    }
}
