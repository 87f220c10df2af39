//! ifconfig's settings: `IF [ADDR] [netmask M] [broadcast B] [pointopoint P] [mtu N]
//! [metric N] [txqueuelen N] [hw ether MAC] [add|del ADDR/PLEN] [up|down] [-]arp ...`,
//! each an ioctl in argument order; flag changes go out together at the end.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::sockio::{IfReq, In6IfReq, Sock, ifindex, req};
use crate::common::resolve;
use crate::error::Error;

/// Flag words: name, flags to set, flags to clear.
const FLAG_WORDS: &[(&str, u16, u16)] = &[
    ("up", 0x1 | 0x40, 0),
    ("down", 0, 0x1),
    ("arp", 0, 0x80),
    ("-arp", 0x80, 0),
    ("trailers", 0, 0x20),
    ("-trailers", 0x20, 0),
    ("promisc", 0x100, 0),
    ("-promisc", 0, 0x100),
    ("allmulti", 0x200, 0),
    ("-allmulti", 0, 0x200),
    ("multicast", 0x1000, 0),
    ("-multicast", 0, 0x1000),
    ("dynamic", 0x8000, 0),
    ("-dynamic", 0, 0x8000),
    ("-pointopoint", 0, 0x10),
    ("-broadcast", 0, 0x2),
];

/// An IPv4 address operand: dotted numbers as inet_aton takes them, or an /etc/hosts name.
fn inet(word: &[u8]) -> Result<Ipv4Addr, Error> {
    resolve::inet_aton(word)
        .or_else(|| {
            resolve::hosts_lookup(&resolve::read_hosts(), word)
                .into_iter()
                .find_map(|a| match a {
                    IpAddr::V4(a) => Some(a),
                    IpAddr::V6(_) => None,
                })
        })
        .ok_or_else(|| bad_address(word))
}

fn bad_address(word: &[u8]) -> Error {
    Error::msg(format!("bad address '{}'", String::from_utf8_lossy(word)))
}

/// `ADDR[/PLEN]` for IPv6 (PLEN defaults to 128).
fn inet6(word: &[u8]) -> Result<(Ipv6Addr, u32), Error> {
    let (a, plen) = match word.iter().position(|&b| b == b'/') {
        Some(p) => (&word[..p], Some(&word[p + 1..])),
        None => (word, None),
    };
    let addr: Ipv6Addr = std::str::from_utf8(a)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad_address(a))?;
    let plen = match plen {
        None => 128,
        Some(p) => std::str::from_utf8(p)
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|&n| n <= 128)
            .ok_or_else(|| bad_address(word))?,
    };
    Ok((addr, plen))
}

/// A C `atoi` of a number operand (BusyBox passes garbage on as 0 and lets the kernel refuse).
fn atoi(word: &[u8]) -> i32 {
    let s = word.trim_ascii_start();
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = digits
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0i64, |n, &c| {
            (n * 10 + (c - b'0') as i64).min(i32::MAX as i64 + 1)
        });
    (if neg { -n } else { n }) as i32
}

/// A MAC address `aa:bb:cc:dd:ee:ff`.
fn mac(word: &[u8]) -> Option<[u8; 6]> {
    let parts: Vec<&[u8]> = word.split(|&b| b == b':').collect();
    if parts.len() != 6 {
        return None;
    }
    let mut m = [0u8; 6];
    for (slot, p) in m.iter_mut().zip(parts) {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        *slot = u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()?;
    }
    Some(m)
}

/// Applies the settings `words` to interface `name`.
pub fn apply(sock: &Sock, name: &[u8], words: &[Vec<u8>]) -> Result<(), Error> {
    let (mut set, mut clear) = (0u16, 0u16);
    // net-tools takes an address family word first (`IF inet6 add ADDR`, `IF inet ADDR`);
    // `inet6` makes a bare address an IPv6 one.
    let (six_only, words) = match words.split_first() {
        Some((f, rest)) if f == b"inet" => (false, rest),
        Some((f, rest)) if f == b"inet6" => (true, rest),
        _ => (false, words),
    };
    let mut it = words.iter();
    let missing = |w: &str| Error::usage(format!("'{w}' needs an argument"));
    let put_inet = |r: u64, a: Ipv4Addr| -> Result<(), Error> {
        let mut q = IfReq::new(name)?;
        q.set_inet(a);
        sock.call(r, &mut q)
    };
    let put_int = |r: u64, v: i32| -> Result<(), Error> {
        let mut q = IfReq::new(name)?;
        q.set_int(v);
        sock.call(r, &mut q)
    };
    while let Some(word) = it.next() {
        let w = String::from_utf8_lossy(word);
        if let Some((_, s, c)) = FLAG_WORDS.iter().find(|(n, _, _)| *n == w) {
            set = (set | s) & !c;
            clear = (clear | c) & !s;
            continue;
        }
        let mut arg = || it.next().ok_or_else(|| missing(&w));
        match &*w {
            "netmask" => put_inet(req::SIOCSIFNETMASK, inet(arg()?)?)?,
            "broadcast" => {
                put_inet(req::SIOCSIFBRDADDR, inet(arg()?)?)?;
                set |= libc::IFF_BROADCAST as u16;
            }
            "pointopoint" | "dstaddr" => {
                put_inet(req::SIOCSIFDSTADDR, inet(arg()?)?)?;
                if w == "pointopoint" {
                    set |= libc::IFF_POINTOPOINT as u16;
                }
            }
            "mtu" => put_int(req::SIOCSIFMTU, atoi(arg()?))?,
            "metric" => put_int(req::SIOCSIFMETRIC, atoi(arg()?))?,
            "txqueuelen" => put_int(req::SIOCSIFTXQLEN, atoi(arg()?))?,
            "hw" => {
                let class = arg()?.clone();
                if class != b"ether" {
                    return Err(Error::msg(format!(
                        "unknown hardware type '{}'",
                        String::from_utf8_lossy(&class)
                    )));
                }
                let m = arg()?;
                let bytes = mac(m).ok_or_else(|| {
                    Error::msg(format!("invalid hw-addr {}", String::from_utf8_lossy(m)))
                })?;
                let mut q = IfReq::new(name)?;
                q.set_hw(1, &bytes);
                sock.call(req::SIOCSIFHWADDR, &mut q)?;
            }
            "add" | "del" => {
                let a = arg()?;
                if let Some(v4) = resolve::inet_aton(a).filter(|_| w == "add" && !six_only) {
                    put_inet(req::SIOCSIFADDR, v4)?;
                    continue;
                }
                let (addr, plen) = inet6(a)?;
                let six = Sock::new(true)?;
                let index = ifindex(&six, name)?;
                let mut q = In6IfReq::new(addr, plen, index);
                let r = if w == "add" {
                    req::SIOCSIFADDR
                } else {
                    req::SIOCDIFADDR
                };
                six.call(r, &mut q)?;
            }
            _ => {
                if six_only || (word.contains(&b':') && inet6(word).is_ok()) {
                    let (addr, plen) = inet6(word)?;
                    let six = Sock::new(true)?;
                    let index = ifindex(&six, name)?;
                    six.call(req::SIOCSIFADDR, &mut In6IfReq::new(addr, plen, index))?;
                } else {
                    put_inet(req::SIOCSIFADDR, inet(word)?)?;
                    set |= (libc::IFF_UP | libc::IFF_RUNNING) as u16;
                }
            }
        }
    }
    if set != 0 || clear != 0 {
        let mut q = IfReq::new(name)?;
        sock.call(req::SIOCGIFFLAGS, &mut q)?;
        let flags = (q.short() | set) & !clear;
        q.set_short(flags);
        sock.call(req::SIOCSIFFLAGS, &mut q)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operands() {
        assert_eq!(mac(b"02:00:0a:ff:1:00"), Some([2, 0, 10, 255, 1, 0]));
        assert_eq!(mac(b"02:00:00:00:00"), None);
        assert_eq!(mac(b"zz:00:00:00:00:00"), None);
        assert_eq!(atoi(b"1400"), 1400);
        assert_eq!(atoi(b"abc"), 0);
        assert_eq!(atoi(b"12x"), 12);
        assert_eq!(
            inet6(b"2001:db8::1/64").unwrap(),
            ("2001:db8::1".parse().unwrap(), 64)
        );
        assert_eq!(inet6(b"::1").unwrap().1, 128);
        assert_eq!(
            inet6(b"zz::1").unwrap_err().to_string(),
            "bad address 'zz::1'"
        );
        assert_eq!(inet(b"1.2.3").unwrap(), Ipv4Addr::new(1, 2, 0, 3));
    }
}
