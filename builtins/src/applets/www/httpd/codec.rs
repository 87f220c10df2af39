//! Text codings: the `-d` URL decoder and `-e` HTML encoder of the command line, and the
//! escaping a directory listing needs.

/// `httpd -d`: `+` is a space, `%XX` its byte; a `%` without two hex digits stays as it is.
pub fn url_decode_lenient(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let pair = s
                    .get(i + 1)
                    .and_then(|&h| super::path::hex(h))
                    .zip(s.get(i + 2).and_then(|&l| super::path::hex(l)));
                if let Some((h, l)) = pair {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// `httpd -e`: every byte but ASCII letters and digits as `&#N;`.
pub fn html_encode_all(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        if b.is_ascii_alphanumeric() {
            out.push(b);
        } else {
            out.extend_from_slice(format!("&#{b};").as_bytes());
        }
    }
    out
}

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn html_escape(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&#39;"),
            b => out.push(b),
        }
    }
}

/// Percent-encodes a path segment for a URL (unreserved bytes kept).
pub fn url_encode(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_like_busybox() {
        assert_eq!(url_decode_lenient(b"a%20b+c%2F%zz%4"), b"a b c/%zz%4");
        assert_eq!(url_decode_lenient(b"%"), b"%");
    }

    #[test]
    fn encode_like_busybox() {
        assert_eq!(
            html_encode_all("a<b c&\"é/x".as_bytes()),
            b"a&#60;b&#32;c&#38;&#34;&#195;&#169;&#47;x"
        );
    }

    #[test]
    fn escapes() {
        let mut o = Vec::new();
        html_escape(b"<a href='x'>&\"", &mut o);
        assert_eq!(o, b"&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
        let mut o = Vec::new();
        url_encode(b"a b/%~", &mut o);
        assert_eq!(o, b"a%20b%2F%25~");
    }
}
