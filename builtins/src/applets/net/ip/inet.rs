//! Addresses on the command line and in output: IPv4/IPv6 addresses and prefixes
//! (`10.0.0.1/24`, `2001:db8::/64`, `default`), and link-layer (MAC) addresses.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `AF_INET` as the byte netlink headers carry.
pub const INET: u8 = libc::AF_INET as u8;
/// `AF_INET6` as the byte netlink headers carry.
pub const INET6: u8 = libc::AF_INET6 as u8;

/// An address with a prefix length, as `ip` parses `ADDR[/LEN]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    /// `INET`, `INET6`, or 0 for `default`/`any`/`all` with no family known.
    pub family: u8,
    /// The address bytes (4 or 16; empty for `default` with no family).
    pub addr: Vec<u8>,
    /// The prefix length (the full length when none was given).
    pub len: u8,
    /// Whether `/LEN` was written (or the word was `default`).
    pub len_given: bool,
}

impl Prefix {
    /// Whether this is `default`/`any`: length 0 and no address bits.
    pub fn is_any(&self) -> bool {
        self.len == 0 && self.addr.iter().all(|&b| b == 0)
    }

    /// Whether `addr` (of the same family) lies inside this prefix.
    pub fn contains(&self, addr: &[u8]) -> bool {
        if addr.len() != self.addr.len() {
            return self.addr.is_empty();
        }
        prefix_bits_equal(&self.addr, addr, self.len)
    }
}

/// Whether the first `bits` bits of `a` and `b` agree.
pub fn prefix_bits_equal(a: &[u8], b: &[u8], bits: u8) -> bool {
    let full = (bits / 8) as usize;
    if a.len() < full || b.len() < full || a[..full] != b[..full] {
        return false;
    }
    let rem = bits % 8;
    if rem == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rem);
    match (a.get(full), b.get(full)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

/// The family's word in iproute2's "X address is expected" messages.
pub fn family_name(family: u8) -> &'static str {
    match family {
        INET => "inet",
        INET6 => "inet6",
        _ => "any valid",
    }
}

/// The full prefix length of a family (32 or 128; 0 for unknown).
pub fn host_len(family: u8) -> u8 {
    match family {
        INET => 32,
        INET6 => 128,
        _ => 0,
    }
}

/// An IPv4 or IPv6 address; `family` 0 accepts either. IPv4 may have fewer than four
/// parts (`10` is `10.0.0.0`), as iproute2 allows.
pub fn parse_addr(s: &str, family: u8) -> Option<(u8, Vec<u8>)> {
    if family != INET && s.contains(':') {
        return s
            .parse::<Ipv6Addr>()
            .ok()
            .map(|a| (INET6, a.octets().to_vec()));
    }
    if family == INET6 {
        return None;
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut out = vec![0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out[i] = p.parse().ok()?;
    }
    Some((INET, out))
}

/// `ADDR[/LEN]`, or `default`/`any`/`all` (length 0).
pub fn parse_prefix(s: &str, family: u8) -> Option<Prefix> {
    if matches!(s, "default" | "any" | "all") {
        let len = host_len(family) as usize / 8;
        return Some(Prefix {
            family,
            addr: vec![0; len],
            len: 0,
            len_given: true,
        });
    }
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let (fam, addr) = parse_addr(a, family)?;
    let max = host_len(fam);
    let len = match l {
        Some(l) => {
            if l.is_empty() || !l.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = l.parse().ok()?;
            if n > max as u32 {
                return None;
            }
            n as u8
        }
        None => max,
    };
    Some(Prefix {
        family: fam,
        addr,
        len,
        len_given: l.is_some(),
    })
}

/// An address as `inet_ntop` writes it.
pub fn format_addr(family: u8, bytes: &[u8]) -> String {
    match (family, bytes.len()) {
        (INET, 4) => Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        (INET6, 16) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(bytes);
            format_ipv6(&Ipv6Addr::from(a))
        }
        _ => format_mac(bytes),
    }
}

/// IPv6 text as glibc's `inet_ntop` gives it: Rust's form, except that glibc writes
/// an IPv4-compatible address (`::a.b.c.d`, upper 96 bits zero) with a dotted tail.
fn format_ipv6(a: &Ipv6Addr) -> String {
    let seg = a.segments();
    if seg[..6] == [0; 6] && seg[6] != 0 {
        let o = a.octets();
        return format!("::{}.{}.{}.{}", o[12], o[13], o[14], o[15]);
    }
    a.to_string()
}

/// A link-layer address in lower-case hex pairs joined by `:`.
pub fn format_mac(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(":")
}

/// `aa:bb:cc:dd:ee:ff` (each part one or two hex digits).
pub fn parse_mac(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for p in s.split(':') {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        out.push(u8::from_str_radix(p, 16).ok()?);
    }
    if out.len() > 32 { None } else { Some(out) }
}

/// The broadcast address of `addr/len` (every host bit set).
pub fn broadcast(addr: &[u8], len: u8) -> Vec<u8> {
    let mut out = addr.to_vec();
    for (i, b) in out.iter_mut().enumerate() {
        let start = i as u32 * 8;
        let keep = (len as u32).saturating_sub(start).min(8);
        let mask = if keep == 0 { 0 } else { 0xffu8 << (8 - keep) };
        *b |= !mask;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_parse_with_and_without_length() {
        let p = parse_prefix("10.0.0.1/24", 0).unwrap();
        assert_eq!(
            (p.family, p.addr.clone(), p.len, p.len_given),
            (INET, vec![10, 0, 0, 1], 24, true)
        );
        let p = parse_prefix("2001:db8::1", 0).unwrap();
        assert_eq!((p.family, p.len, p.len_given), (INET6, 128, false));
        assert_eq!(parse_prefix("10/8", 0).unwrap().addr, vec![10, 0, 0, 0]);
        assert!(parse_prefix("default", INET).unwrap().is_any());
        assert_eq!(parse_prefix("10.0.0.0/33", 0), None);
        assert_eq!(parse_prefix("bogus", 0), None);
        assert_eq!(parse_prefix("1.2.3.4", INET6), None);
    }

    #[test]
    fn addresses_format_like_inet_ntop() {
        assert_eq!(format_addr(INET, &[127, 0, 0, 1]), "127.0.0.1");
        let v6 = parse_addr("2001:db8:0:0:0:0:0:1", 0).unwrap().1;
        assert_eq!(format_addr(INET6, &v6), "2001:db8::1");
        assert_eq!(format_addr(INET6, &parse_addr("::1", 0).unwrap().1), "::1");
        assert_eq!(
            format_addr(INET6, &parse_addr("::1.2.3.4", 0).unwrap().1),
            "::1.2.3.4"
        );
        assert_eq!(format_mac(&[0, 0x1a, 0xff]), "00:1a:ff");
        assert_eq!(parse_mac("02:0:0:0:0:1"), Some(vec![2, 0, 0, 0, 0, 1]));
        assert_eq!(parse_mac("zz"), None);
    }

    #[test]
    fn broadcast_sets_the_host_bits() {
        assert_eq!(broadcast(&[10, 0, 0, 2], 24), vec![10, 0, 0, 255]);
        assert_eq!(broadcast(&[10, 1, 2, 3], 12), vec![10, 15, 255, 255]);
        assert!(prefix_bits_equal(&[10, 0, 0, 7], &[10, 0, 0, 0], 24));
        assert!(!prefix_bits_equal(&[10, 0, 1, 7], &[10, 0, 0, 0], 24));
    }
}
