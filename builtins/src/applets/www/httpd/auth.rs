//! HTTP basic authentication against the config's `/path:user:pass` lines.

use super::config::AuthRule;

/// Decodes standard base64 (padding optional); `None` on a bad character.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let s = s
        .strip_suffix(b"==")
        .or_else(|| s.strip_suffix(b"="))
        .unwrap_or(s);
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * i);
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]),
            3 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]),
            2 => out.push((n >> 16) as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// Whether a password matches a config entry: a crypt string (`$1$`, `$5$`, `$6$`)
/// is verified by hashing, anything else compared as plain text.
pub fn password_ok(given: &[u8], stored: &[u8]) -> bool {
    if stored.starts_with(b"$")
        && let Some(ok) = crate::common::crypt::verify(given, stored)
    {
        return ok;
    }
    constant_eq(given, stored)
}

/// Compares without an early exit on the first difference.
fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks an `Authorization` value against the rules guarding a path; the user name
/// on success.
pub fn check(authorization: Option<&[u8]>, rules: &[&AuthRule]) -> Option<Vec<u8>> {
    let v = authorization?;
    let (scheme, cred) = v.split_at(v.iter().position(|&b| b == b' ')?);
    if !scheme.eq_ignore_ascii_case(b"basic") {
        return None;
    }
    let decoded = base64_decode(super::request::trim(cred))?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let (user, pass) = (&decoded[..colon], &decoded[colon + 1..]);
    rules
        .iter()
        .find(|r| r.user == user && password_ok(pass, &r.pass))
        .map(|_| user.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(
            base64_decode(b"YWxhZGRpbjpvcGVuc2VzYW1l").unwrap(),
            b"aladdin:opensesame"
        );
        assert_eq!(base64_decode(b"YQ==").unwrap(), b"a");
        assert_eq!(base64_decode(b"YWI=").unwrap(), b"ab");
        assert_eq!(base64_decode(b"Y"), None);
        assert_eq!(base64_decode(b"Y!=="), None);
    }

    #[test]
    fn checks_credentials() {
        let r1 = AuthRule {
            prefix: b"/a".to_vec(),
            user: b"aladdin".to_vec(),
            pass: b"opensesame".to_vec(),
        };
        let rules = vec![&r1];
        assert_eq!(
            check(Some(b"Basic YWxhZGRpbjpvcGVuc2VzYW1l"), &rules),
            Some(b"aladdin".to_vec())
        );
        assert_eq!(
            check(Some(b"basic  YWxhZGRpbjpvcGVuc2VzYW1l"), &rules),
            Some(b"aladdin".to_vec())
        );
        assert_eq!(check(Some(b"Basic YWxhZGRpbjpvcGVu"), &rules), None);
        assert_eq!(check(Some(b"Bearer x"), &rules), None);
        assert_eq!(check(None, &rules), None);
    }
}
