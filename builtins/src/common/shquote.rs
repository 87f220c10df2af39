//! Quoting a string so a shell reads it back as one word, for printf's `%q` and the
//! shell's `set -x` trace: plain words stay bare, others go in single quotes, and a
//! string holding a `'`, a `\` or a control character becomes `$'...'` with escapes,
//! so the result is always one printable line.

/// Bytes a word may hold and still need no quotes.
fn plain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(&c)
}

/// Whether `c` forces the `$'...'` form.
fn needs_escape(c: u8) -> bool {
    c < 0x20 || c == 0x7f || c == b'\'' || c == b'\\'
}

/// Appends `v` quoted to `out`.
pub fn quote_into(out: &mut Vec<u8>, v: &[u8]) {
    if !v.is_empty() && v.iter().all(|&c| plain(c)) {
        out.extend_from_slice(v);
        return;
    }
    if !v.iter().any(|&c| needs_escape(c)) {
        out.push(b'\'');
        out.extend_from_slice(v);
        out.push(b'\'');
        return;
    }
    out.extend_from_slice(b"$'");
    for &c in v {
        match c {
            b'\'' => out.extend_from_slice(b"\\'"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0b => out.extend_from_slice(b"\\v"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x1b => out.extend_from_slice(b"\\e"),
            c if c < 0x20 || c == 0x7f => {
                out.extend_from_slice(format!("\\x{c:02x}").as_bytes());
            }
            c => out.push(c),
        }
    }
    out.push(b'\'');
}

/// `v` quoted.
pub fn quote(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() + 2);
    quote_into(&mut out, v);
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn forms() {
        assert_eq!(quote(b"abc/d.e"), b"abc/d.e");
        assert_eq!(quote(b""), b"''");
        assert_eq!(quote(b"a b"), b"'a b'");
        assert_eq!(quote(b"\""), b"'\"'");
        assert_eq!(quote(b"it's"), b"$'it\\'s'");
        assert_eq!(quote(b"\\"), b"$'\\\\'");
        assert_eq!(quote(b"[\t]\n"), b"$'[\\t]\\n'");
        assert_eq!(quote(b"\x01\x7f"), b"$'\\x01\\x7f'");
        assert_eq!(quote("μ x".as_bytes()), "'μ x'".as_bytes());
    }
}
