//! glibc-compatible `crypt(3)` verification for the hashes a modern system writes:
//! MD5-crypt (`$1$`), SHA-256-crypt (`$5$`) and SHA-512-crypt (`$6$`, with
//! `rounds=N`). Written over the md-5 and sha2 crates the *sum applets already link,
//! so no new dependency; shared by httpd's basic auth and the account tools, which also
//! make new hashes here ([`hash`], with a random salt from getrandom(2)).

use md5::{Digest, Md5};
use sha2::{Sha256, Sha512};

/// The crypt alphabet.
const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Whether `password` hashes to `hash`; `None` when the hash's method is not known.
pub fn verify(password: &[u8], hash: &[u8]) -> Option<bool> {
    let computed = crypt(password, hash)?;
    let ok = computed.len() == hash.len()
        && computed.iter().zip(hash).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
    Some(ok)
}

/// `crypt(password, setting)`: `setting` is a full hash or just its `$id$salt` prefix.
pub fn crypt(password: &[u8], setting: &[u8]) -> Option<Vec<u8>> {
    if let Some(rest) = setting.strip_prefix(b"$1$") {
        Some(md5_crypt(password, salt_of(rest, 8)))
    } else if let Some(rest) = setting.strip_prefix(b"$5$") {
        sha_crypt::<Sha256>(password, rest, b"$5$", &SHA256_ORDER)
    } else if let Some(rest) = setting.strip_prefix(b"$6$") {
        sha_crypt::<Sha512>(password, rest, b"$6$", &SHA512_ORDER)
    } else {
        None
    }
}

/// A hashing method of [`hash`] and [`setting`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// MD5-crypt, `$1$`, an 8-character salt.
    Md5,
    /// SHA-256-crypt, `$5$`, a 16-character salt.
    Sha256,
    /// SHA-512-crypt, `$6$`, a 16-character salt (the default everywhere).
    Sha512,
}

impl Method {
    /// The `$id$` prefix.
    pub fn prefix(self) -> &'static [u8] {
        match self {
            Method::Md5 => b"$1$",
            Method::Sha256 => b"$5$",
            Method::Sha512 => b"$6$",
        }
    }

    /// The longest salt the method uses (and the length of a random one).
    pub fn salt_len(self) -> usize {
        match self {
            Method::Md5 => 8,
            Method::Sha256 | Method::Sha512 => 16,
        }
    }

    /// Whether the method takes `rounds=N`.
    pub fn has_rounds(self) -> bool {
        self != Method::Md5
    }

    /// The method of an existing hash, from its prefix.
    pub fn of_hash(hash: &[u8]) -> Option<Method> {
        [Method::Md5, Method::Sha256, Method::Sha512]
            .into_iter()
            .find(|m| hash.starts_with(m.prefix()))
    }
}

/// Whether `c` may appear in a salt: the crypt alphabet.
pub fn is_salt_char(c: u8) -> bool {
    ITOA64.contains(&c)
}

/// Fills `buf` from the kernel's random source (getrandom(2)).
pub fn random_bytes(buf: &mut [u8]) -> std::io::Result<()> {
    let mut off = 0;
    while off < buf.len() {
        // SAFETY: getrandom writes at most the given length into the valid buffer.
        let n = unsafe { libc::getrandom(buf[off..].as_mut_ptr().cast(), buf.len() - off, 0) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        off += n as usize;
    }
    Ok(())
}

/// A random salt of `len` crypt characters.
pub fn random_salt(len: usize) -> std::io::Result<Vec<u8>> {
    let mut raw = vec![0u8; len];
    random_bytes(&mut raw)?;
    Ok(raw.iter().map(|b| ITOA64[usize::from(b & 0x3f)]).collect())
}

/// The setting string `$id$[rounds=N$]salt` for `method`; `rounds` is ignored for MD5.
pub fn setting(method: Method, rounds: Option<u32>, salt: &[u8]) -> Vec<u8> {
    let mut s = method.prefix().to_vec();
    if let (Some(n), true) = (rounds, method.has_rounds()) {
        s.extend_from_slice(format!("rounds={n}$").as_bytes());
    }
    s.extend_from_slice(salt);
    s
}

/// A new hash of `password` with `method` and a random salt, as glibc's crypt would
/// write it for that salt (`rounds` as in [`setting`]).
pub fn hash(password: &[u8], method: Method, rounds: Option<u32>) -> std::io::Result<Vec<u8>> {
    let salt = random_salt(method.salt_len())?;
    crypt(password, &setting(method, rounds, &salt))
        .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EINVAL))
}

/// The salt: up to the next `$`, at most `max` bytes.
fn salt_of(rest: &[u8], max: usize) -> &[u8] {
    let end = rest.iter().position(|&b| b == b'$').unwrap_or(rest.len());
    &rest[..end.min(max)]
}

/// Appends `n` crypt characters of the low bits of `v`.
fn to64(out: &mut Vec<u8>, mut v: u32, n: usize) {
    for _ in 0..n {
        out.push(ITOA64[(v & 0x3f) as usize]);
        v >>= 6;
    }
}

/// Appends `data` repeated to `len` bytes.
fn repeat_to<D: Digest>(h: &mut D, data: &[u8], len: usize) {
    let mut left = len;
    while left > 0 {
        let n = left.min(data.len());
        h.update(&data[..n]);
        left -= n;
    }
}

fn md5_crypt(pw: &[u8], salt: &[u8]) -> Vec<u8> {
    let alt = Md5::new()
        .chain_update(pw)
        .chain_update(salt)
        .chain_update(pw)
        .finalize();
    let mut h = Md5::new()
        .chain_update(pw)
        .chain_update(b"$1$")
        .chain_update(salt);
    repeat_to(&mut h, &alt, pw.len());
    let mut i = pw.len();
    while i > 0 {
        if i & 1 == 1 {
            h.update([0u8]);
        } else {
            h.update(&pw[..1]);
        }
        i >>= 1;
    }
    let mut fin = h.finalize();
    for r in 0..1000 {
        let mut c = Md5::new();
        if r & 1 == 1 {
            c.update(pw);
        } else {
            c.update(fin);
        }
        if r % 3 != 0 {
            c.update(salt);
        }
        if r % 7 != 0 {
            c.update(pw);
        }
        if r & 1 == 1 {
            c.update(fin);
        } else {
            c.update(pw);
        }
        fin = c.finalize();
    }
    let f = |i: usize| u32::from(fin[i]);
    let mut out = [b"$1$".as_slice(), salt, b"$"].concat();
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        to64(&mut out, f(a) << 16 | f(b) << 8 | f(c), 4);
    }
    to64(&mut out, f(11), 2);
    out
}

/// The byte triples of SHA-256-crypt's output encoding; the last is `(-, 31, 30)`.
const SHA256_ORDER: [(usize, usize, usize); 11] = [
    (0, 10, 20),
    (21, 1, 11),
    (12, 22, 2),
    (3, 13, 23),
    (24, 4, 14),
    (15, 25, 5),
    (6, 16, 26),
    (27, 7, 17),
    (18, 28, 8),
    (9, 19, 29),
    (usize::MAX, 31, 30),
];

/// The byte triples of SHA-512-crypt's output encoding; the last is `(-, -, 63)`.
const SHA512_ORDER: [(usize, usize, usize); 22] = [
    (0, 21, 42),
    (22, 43, 1),
    (44, 2, 23),
    (3, 24, 45),
    (25, 46, 4),
    (47, 5, 26),
    (6, 27, 48),
    (28, 49, 7),
    (50, 8, 29),
    (9, 30, 51),
    (31, 52, 10),
    (53, 11, 32),
    (12, 33, 54),
    (34, 55, 13),
    (56, 14, 35),
    (15, 36, 57),
    (37, 58, 16),
    (59, 17, 38),
    (18, 39, 60),
    (40, 61, 19),
    (62, 20, 41),
    (usize::MAX, usize::MAX, 63),
];

fn sha_crypt<D: Digest + Clone>(
    pw: &[u8],
    rest: &[u8],
    magic: &[u8],
    order: &[(usize, usize, usize)],
) -> Option<Vec<u8>> {
    let (rounds, explicit, rest) = match rest.strip_prefix(b"rounds=") {
        Some(r) => {
            let end = r.iter().position(|&b| b == b'$')?;
            let n: u64 = std::str::from_utf8(&r[..end]).ok()?.parse().ok()?;
            (n.clamp(1000, 999_999_999), true, &r[end + 1..])
        }
        None => (5000, false, rest),
    };
    let salt = salt_of(rest, 16);
    let b = D::new()
        .chain_update(pw)
        .chain_update(salt)
        .chain_update(pw)
        .finalize();
    let mut a = D::new().chain_update(pw).chain_update(salt);
    repeat_to(&mut a, &b, pw.len());
    let mut i = pw.len();
    while i > 0 {
        if i & 1 == 1 {
            a.update(&b);
        } else {
            a.update(pw);
        }
        i >>= 1;
    }
    let a = a.finalize();
    let mut dp = D::new();
    for _ in 0..pw.len() {
        dp.update(pw);
    }
    let dp = dp.finalize();
    let mut p = Vec::with_capacity(pw.len());
    while p.len() < pw.len() {
        let n = (pw.len() - p.len()).min(dp.len());
        p.extend_from_slice(&dp[..n]);
    }
    let mut ds = D::new();
    for _ in 0..16 + usize::from(a[0]) {
        ds.update(salt);
    }
    let ds = ds.finalize();
    let s = &ds[..salt.len()];
    let mut c = a;
    for r in 0..rounds {
        let mut h = D::new();
        if r & 1 == 1 {
            h.update(&p);
        } else {
            h.update(&c);
        }
        if r % 3 != 0 {
            h.update(s);
        }
        if r % 7 != 0 {
            h.update(&p);
        }
        if r & 1 == 1 {
            h.update(&c);
        } else {
            h.update(&p);
        }
        c = h.finalize();
    }
    let mut out = magic.to_vec();
    if explicit {
        out.extend_from_slice(format!("rounds={rounds}$").as_bytes());
    }
    out.extend_from_slice(salt);
    out.push(b'$');
    let byte = |i: usize| if i == usize::MAX { 0 } else { u32::from(c[i]) };
    for (k, &(x, y, z)) in order.iter().enumerate() {
        let n = if k + 1 < order.len() {
            4
        } else if y == usize::MAX {
            2
        } else {
            3
        };
        to64(&mut out, byte(x) << 16 | byte(y) << 8 | byte(z), n);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from glibc's crypt (via openssl passwd and python's crypt).
    #[test]
    fn md5_matches_glibc() {
        assert_eq!(
            crypt(b"pass", b"$1$yfJ1fLbW$").unwrap(),
            b"$1$yfJ1fLbW$Wi9p1Ykkc8rMyigcGl7Nr0"
        );
        assert_eq!(
            verify(b"pass", b"$1$yfJ1fLbW$Wi9p1Ykkc8rMyigcGl7Nr0"),
            Some(true)
        );
        assert_eq!(
            verify(b"pasS", b"$1$yfJ1fLbW$Wi9p1Ykkc8rMyigcGl7Nr0"),
            Some(false)
        );
    }

    #[test]
    fn sha_matches_glibc() {
        assert_eq!(
            crypt(b"Hello world!", b"$5$saltstring").unwrap(),
            b"$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5".to_vec()
        );
        assert_eq!(
            crypt(b"Hello world!", b"$6$saltstring").unwrap(),
            b"$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1".to_vec()
        );
        assert_eq!(
            crypt(b"Hello world!", b"$5$rounds=10000$saltstringsaltstring").unwrap(),
            b"$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA"
                .to_vec()
        );
        assert_eq!(verify(b"x", b"$2b$10$abc"), None);
    }

    #[test]
    fn new_hashes_verify_and_differ() {
        for m in [Method::Md5, Method::Sha256, Method::Sha512] {
            let a = hash(b"secret", m, None).unwrap();
            let b = hash(b"secret", m, None).unwrap();
            assert!(a.starts_with(m.prefix()));
            assert_ne!(a, b, "salts must be random");
            assert_eq!(verify(b"secret", &a), Some(true));
            assert_eq!(verify(b"Secret", &a), Some(false));
            assert_eq!(Method::of_hash(&a), Some(m));
            let salt = &a[3..3 + m.salt_len()];
            assert!(salt.iter().all(|&c| is_salt_char(c)));
        }
        let r = hash(b"pw", Method::Sha512, Some(1000)).unwrap();
        assert!(r.starts_with(b"$6$rounds=1000$"));
        assert_eq!(verify(b"pw", &r), Some(true));
        assert_eq!(setting(Method::Md5, Some(9), b"ab"), b"$1$ab".to_vec());
    }

    // Reference values from glibc/libxcrypt crypt (perl's crypt() and whois mkpasswd).
    #[test]
    fn settings_match_the_system_crypt() {
        assert_eq!(
            crypt(b"pw", &setting(Method::Sha512, None, b"saltsalt")).unwrap(),
            b"$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/".to_vec()
        );
        assert_eq!(
            crypt(b"pw", &setting(Method::Sha512, Some(1000), b"saltsalt")).unwrap(),
            b"$6$rounds=1000$saltsalt$nII71HJmawaDYdXrUHYtoWV/pe6ZN/eQzrZXdKjhrcMU0onLRg6A5m38udZu.lA6f53rIQturF4FMx1X99KF/0".to_vec()
        );
        assert_eq!(
            crypt(b"pw", &setting(Method::Sha256, Some(10000), b"abcdefghij")).unwrap(),
            b"$5$rounds=10000$abcdefghij$c3swGXLaqzNiA7O./i6urY1lE0tTceDn5YEHvRaPkC1".to_vec()
        );
        assert_eq!(
            crypt(b"pw", &setting(Method::Md5, None, b"abcdefgh")).unwrap(),
            b"$1$abcdefgh$IQtUouv7y7Q9dRWkQEPCc.".to_vec()
        );
    }
}
