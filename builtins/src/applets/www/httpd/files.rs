//! Static files: conditional requests (`If-None-Match`, `If-Modified-Since`), single
//! byte ranges (206/416, `If-Range`), and the response head; the body itself goes out
//! with `sendfile` from the open file.

/// What a `Range` header asks of a file of a given size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeAsk {
    /// No usable range: send the whole file (also for multiple ranges).
    Full,
    /// Bytes `start..=end`.
    Part(u64, u64),
    /// No byte of the file is in the range (416).
    Unsatisfiable,
}

/// Parses `bytes=A-B`, `bytes=A-` or `bytes=-N` against `size`.
pub fn parse_range(v: &[u8], size: u64) -> RangeAsk {
    let Some(spec) = v.strip_prefix(b"bytes=") else {
        return RangeAsk::Full;
    };
    if spec.contains(&b',') {
        return RangeAsk::Full;
    }
    let Some(dash) = spec.iter().position(|&b| b == b'-') else {
        return RangeAsk::Full;
    };
    let num = |s: &[u8]| -> Option<u64> {
        let s = super::request::trim(s);
        if s.is_empty() || s.len() > 19 || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    let (a, b) = (&spec[..dash], &spec[dash + 1..]);
    if super::request::trim(a).is_empty() {
        let Some(n) = num(b) else {
            return RangeAsk::Full;
        };
        if n == 0 || size == 0 {
            return RangeAsk::Unsatisfiable;
        }
        return RangeAsk::Part(size.saturating_sub(n), size - 1);
    }
    let Some(start) = num(a) else {
        return RangeAsk::Full;
    };
    let end = if super::request::trim(b).is_empty() {
        u64::MAX
    } else {
        match num(b) {
            Some(e) if e >= start => e,
            _ => return RangeAsk::Full,
        }
    };
    if start >= size {
        return RangeAsk::Unsatisfiable;
    }
    RangeAsk::Part(start, end.min(size - 1))
}

/// The entity tag of a file version: mtime and size in hex.
pub fn etag(mtime: i64, size: u64) -> String {
    format!("\"{mtime:x}-{size:x}\"")
}

/// Whether an `If-None-Match` list names `tag` (weak comparison, `*` matches).
pub fn none_match(list: &[u8], tag: &str) -> bool {
    let tag = tag.as_bytes();
    list.split(|&b| b == b',').any(|t| {
        let t = super::request::trim(t);
        t == b"*" || t.strip_prefix(b"W/").unwrap_or(t) == tag
    })
}

/// Whether the client's copy is current: `If-None-Match` decides when present,
/// otherwise `If-Modified-Since` against the modification time.
pub fn not_modified(inm: Option<&[u8]>, ims: Option<&[u8]>, tag: &str, mtime: i64) -> bool {
    if let Some(list) = inm {
        return none_match(list, tag);
    }
    match ims.and_then(super::httpdate::parse) {
        Some(t) => mtime <= t,
        None => false,
    }
}

/// Whether an `If-Range` value still names this version (so the range applies).
pub fn if_range_holds(v: &[u8], tag: &str, last_modified: &str) -> bool {
    v == tag.as_bytes() || v == last_modified.as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(b"bytes=0-9", 100), RangeAsk::Part(0, 9));
        assert_eq!(parse_range(b"bytes=90-", 100), RangeAsk::Part(90, 99));
        assert_eq!(parse_range(b"bytes=90-1000", 100), RangeAsk::Part(90, 99));
        assert_eq!(parse_range(b"bytes=-10", 100), RangeAsk::Part(90, 99));
        assert_eq!(parse_range(b"bytes=-1000", 100), RangeAsk::Part(0, 99));
        assert_eq!(parse_range(b"bytes=100-", 100), RangeAsk::Unsatisfiable);
        assert_eq!(parse_range(b"bytes=-0", 100), RangeAsk::Unsatisfiable);
        assert_eq!(parse_range(b"bytes=0-", 0), RangeAsk::Unsatisfiable);
        assert_eq!(parse_range(b"bytes=5-2", 100), RangeAsk::Full);
        assert_eq!(parse_range(b"bytes=0-1,5-6", 100), RangeAsk::Full);
        assert_eq!(parse_range(b"items=0-1", 100), RangeAsk::Full);
        assert_eq!(parse_range(b"bytes=x-1", 100), RangeAsk::Full);
        assert_eq!(
            parse_range(b"bytes=99999999999999999999-", 100),
            RangeAsk::Full
        );
    }

    #[test]
    fn conditions() {
        let tag = etag(0x10, 0x20);
        assert_eq!(tag, "\"10-20\"");
        assert!(none_match(b"\"a\", W/\"10-20\"", &tag));
        assert!(none_match(b"*", &tag));
        assert!(!none_match(b"\"10-21\"", &tag));
        let lm = b"Thu, 01 Jan 1970 00:00:16 GMT";
        assert!(not_modified(None, Some(lm), &tag, 16));
        assert!(!not_modified(None, Some(lm), &tag, 17));
        assert!(!not_modified(Some(b"\"x\""), Some(lm), &tag, 16));
        assert!(!not_modified(None, Some(b"garbage"), &tag, 16));
        assert!(if_range_holds(b"\"10-20\"", &tag, "x"));
        assert!(!if_range_holds(b"\"10-2\"", &tag, "x"));
    }
}
