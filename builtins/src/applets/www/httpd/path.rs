//! From a request target to a path confined to HOME: the absolute-URI form is reduced
//! to its path, the query split off, percent-escapes decoded exactly once, and the
//! segments normalised so that nothing can climb above the root. NUL bytes, backslashes
//! and a `..` that would leave the root are refused; a decoded `%2f` is an ordinary `/`
//! inside the path and cannot escape either. Symlinks are handled when the file is
//! opened (`fsys`), not here.

/// A request target, decoded and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The normalised decoded path: starts with `/`, no empty, `.` or `..` segments, no
    /// trailing `/` except for the root itself.
    pub path: Vec<u8>,
    /// Whether the decoded path ended with `/` (a directory was asked for).
    pub slash: bool,
    /// The raw query string after `?` (not decoded), empty when absent.
    pub query: Vec<u8>,
    /// The raw path as sent, before decoding (for `REQUEST_URI`-like uses).
    pub raw_path: Vec<u8>,
}

/// Why a target was refused (each is a 400).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathError {
    /// Not an origin or absolute form, or a bad percent-escape.
    Malformed,
    /// A NUL byte, a backslash, or a `..` above the root.
    Unsafe,
}

/// Decodes and confines a request target.
pub fn parse_target(target: &[u8]) -> Result<Target, PathError> {
    let mut t = target;
    // Absolute form: scheme://authority/path.
    if let Some(p) = t.windows(3).position(|w| w == b"://") {
        let scheme = &t[..p];
        if !scheme.eq_ignore_ascii_case(b"http") && !scheme.eq_ignore_ascii_case(b"https") {
            return Err(PathError::Malformed);
        }
        let rest = &t[p + 3..];
        t = match rest.iter().position(|&b| b == b'/') {
            Some(i) => &rest[i..],
            None if rest.contains(&b'?') => return Err(PathError::Malformed),
            None => b"/",
        };
    }
    if t.first() != Some(&b'/') {
        return Err(PathError::Malformed);
    }
    let t = t.split(|&b| b == b'#').next().unwrap_or_default();
    let (raw, query) = match t.iter().position(|&b| b == b'?') {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, &b""[..]),
    };
    let decoded = percent_decode(raw).ok_or(PathError::Malformed)?;
    if decoded.iter().any(|&b| b == 0 || b == b'\\') {
        return Err(PathError::Unsafe);
    }
    let slash = decoded.ends_with(b"/");
    let mut segs: Vec<&[u8]> = Vec::new();
    for seg in decoded.split(|&b| b == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                if segs.pop().is_none() {
                    return Err(PathError::Unsafe);
                }
            }
            s => segs.push(s),
        }
    }
    let mut path = Vec::with_capacity(decoded.len());
    for s in &segs {
        path.push(b'/');
        path.extend_from_slice(s);
    }
    if path.is_empty() {
        path.push(b'/');
    }
    Ok(Target {
        path,
        slash,
        query: query.to_vec(),
        raw_path: raw.to_vec(),
    })
}

/// Strict percent-decoding: every `%` must start two hex digits. `+` stays `+`.
pub fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let h = hex(*s.get(i + 1)?)?;
            let l = hex(*s.get(i + 2)?)?;
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The value of one hex digit.
pub fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|v| v as u8)
}

/// The path relative to HOME for `openat`: `.` for the root.
pub fn relative(path: &[u8]) -> &[u8] {
    match path.strip_prefix(b"/") {
        Some(b"") | None => b".",
        Some(rest) => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(t: &str) -> Result<String, PathError> {
        parse_target(t.as_bytes()).map(|t| String::from_utf8_lossy(&t.path).into_owned())
    }

    #[test]
    fn normalises() {
        assert_eq!(path("/"), Ok("/".into()));
        assert_eq!(path("/a/b/../c/./d"), Ok("/a/c/d".into()));
        assert_eq!(path("//a///b/"), Ok("/a/b".into()));
        assert_eq!(path("/a%20b"), Ok("/a b".into()));
        assert_eq!(path("/a/.."), Ok("/".into()));
        let t = parse_target(b"/d/?x=1&y=%20#frag").unwrap();
        assert_eq!(
            (t.path, t.slash, t.query),
            (b"/d".to_vec(), true, b"x=1&y=%20".to_vec())
        );
    }

    #[test]
    fn refuses_escapes() {
        for t in [
            "/..",
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2fpasswd",
            "/a/%2e%2e%2f%2e%2e/x",
            "/..%2f..%2fetc",
            "/a%00b",
            "/a%5c..%5c..",
            "/a\\b",
        ] {
            assert_eq!(path(t), Err(PathError::Unsafe), "{t}");
        }
    }

    #[test]
    fn decodes_once() {
        // %252e%252e is the literal name "%2e%2e", not a parent directory.
        assert_eq!(path("/%252e%252e/x"), Ok("/%2e%2e/x".into()));
        assert_eq!(path("/a%2fb"), Ok("/a/b".into()));
        assert_eq!(path("/a+b"), Ok("/a+b".into()));
    }

    #[test]
    fn malformed() {
        for t in ["*", "a/b", "/%", "/%4", "/%zz", "ftp://h/x", "http://h?x"] {
            assert_eq!(path(t), Err(PathError::Malformed), "{t}");
        }
    }

    #[test]
    fn absolute_form() {
        assert_eq!(path("http://example.com/a/b"), Ok("/a/b".into()));
        assert_eq!(path("HTTP://example.com"), Ok("/".into()));
        assert_eq!(path("http://h/../etc/passwd"), Err(PathError::Unsafe));
        assert_eq!(path("http://h/%2e%2e/x"), Err(PathError::Unsafe));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative(b"/"), b".");
        assert_eq!(relative(b"/a/b"), b"a/b");
    }
}
