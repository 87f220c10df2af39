//! route's listings: /proc/net/route as `Kernel IP routing table` and /proc/net/ipv6_route
//! as `Kernel IPv6 routing table`, in BusyBox's columns.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::applets::net::ifconfig::show::ntop6;
use crate::common::resolve;

/// RTF_* flag bits and their letters, in the order they are printed.
const FLAGS: &[(u32, char)] = &[
    (0x0001, 'U'),
    (0x0002, 'G'),
    (0x0004, 'H'),
    (0x0008, 'R'),
    (0x0010, 'D'),
    (0x0020, 'M'),
    (0x0001_0000, 'D'),
    (0x0004_0000, 'A'),
    (0x0100_0000, 'C'),
    (0x0200, '!'),
    (0x0020_0000, 'n'),
];

/// The bits an IPv4 listing shows.
const IPV4_MASK: u32 = 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0020;

/// The flag letters of `flags`.
pub fn flag_letters(flags: u32) -> String {
    FLAGS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, c)| *c)
        .collect()
}

/// One /proc/net/route entry.
#[derive(Debug, PartialEq, Eq)]
pub struct Route4 {
    iface: String,
    dst: Ipv4Addr,
    gw: Ipv4Addr,
    flags: u32,
    refcnt: i64,
    used: i64,
    metric: i64,
    mask: Ipv4Addr,
    mtu: i64,
    window: i64,
    irtt: i64,
}

/// An address as /proc/net/route writes it: the raw 32 bits in host order, in hex.
fn proc_addr(s: &str) -> Option<Ipv4Addr> {
    let v = u32::from_str_radix(s, 16).ok()?;
    Some(Ipv4Addr::from(v.to_ne_bytes()))
}

/// The entries of /proc/net/route text.
pub fn parse_route(text: &str) -> Vec<Route4> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_ascii_whitespace().collect();
            if f.len() < 11 {
                return None;
            }
            let n = |i: usize| f[i].parse::<i64>().ok();
            Some(Route4 {
                iface: f[0].to_string(),
                dst: proc_addr(f[1])?,
                gw: proc_addr(f[2])?,
                flags: u32::from_str_radix(f[3], 16).ok()?,
                refcnt: n(4)?,
                used: n(5)?,
                metric: n(6)?,
                mask: proc_addr(f[7])?,
                mtu: n(8)?,
                window: n(9)?,
                irtt: n(10)?,
            })
        })
        .collect()
}

/// How names are given to addresses when not `-n`: /etc/hosts, never DNS. As in
/// BusyBox, only gateways and destinations with host bits under their mask are named
/// (it leaves network names of /etc/networks out of listings).
pub struct Names {
    hosts: Vec<u8>,
}

impl Names {
    /// /etc/hosts, read once.
    pub fn load() -> Names {
        Names {
            hosts: resolve::read_hosts(),
        }
    }

    /// The name of `a`: `default`/`*` for 0.0.0.0, a host name when `a` is a gateway or
    /// has host bits under `mask`; the number otherwise or without one.
    fn name(&self, a: Ipv4Addr, mask: Ipv4Addr, gateway: bool) -> String {
        if a.is_unspecified() {
            return if gateway { "*" } else { "default" }.into();
        }
        let host = gateway || u32::from(a) & !u32::from(mask) != 0;
        host.then(|| resolve::hosts_reverse(&self.hosts, IpAddr::V4(a)))
            .flatten()
            .unwrap_or_else(|| a.to_string())
    }
}

/// The IPv4 table; `names` unless `-n`, `extended` for `-e`.
pub fn ipv4(text: &str, names: Option<&Names>, extended: bool) -> String {
    let mut s = String::from("Kernel IP routing table\n");
    s.push_str("Destination     Gateway         Genmask         Flags ");
    s.push_str(if extended {
        "  MSS Window  irtt Iface\n"
    } else {
        "Metric Ref    Use Iface\n"
    });
    for r in parse_route(text) {
        let (dst, gw) = match names {
            Some(n) => (n.name(r.dst, r.mask, false), n.name(r.gw, r.mask, true)),
            None => (r.dst.to_string(), r.gw.to_string()),
        };
        // A reject route shows `!` alone.
        let flags = if r.flags & 0x0200 != 0 {
            "!".to_string()
        } else {
            flag_letters(r.flags & IPV4_MASK)
        };
        let _ = write!(
            s,
            "{dst:<15.15} {gw:<15.15} {:<16}{flags:<6}",
            r.mask.to_string()
        );
        if extended {
            let _ = writeln!(s, "{:5} {:<6} {:5} {}", r.mtu, r.window, r.irtt, r.iface);
        } else {
            let _ = writeln!(
                s,
                "{:<6} {:<2} {:7} {}",
                r.metric, r.refcnt, r.used, r.iface
            );
        }
    }
    s
}

/// 32 hex digits as an IPv6 address.
fn hex6(s: &str) -> Option<Ipv6Addr> {
    if s.len() != 32 {
        return None;
    }
    u128::from_str_radix(s, 16).ok().map(Ipv6Addr::from)
}

/// The IPv6 table from /proc/net/ipv6_route text.
pub fn ipv6(text: &str) -> String {
    let mut s = String::from("Kernel IPv6 routing table\n");
    let _ = writeln!(
        s,
        "{:<43} {:<39} Flags Metric Ref    Use Iface",
        "Destination", "Next Hop"
    );
    for l in text.lines() {
        let f: Vec<&str> = l.split_ascii_whitespace().collect();
        if f.len() < 10 {
            continue;
        }
        let hexn = |i: usize| u32::from_str_radix(f[i], 16).ok();
        let (Some(dst), Some(plen), Some(gw), Some(metric), Some(refcnt), Some(used), Some(flags)) = (
            hex6(f[0]),
            hexn(1),
            hex6(f[4]),
            hexn(5),
            hexn(6),
            hexn(7),
            hexn(8),
        ) else {
            continue;
        };
        let dst = format!("{}/{plen}", ntop6(dst));
        let _ = writeln!(
            s,
            "{dst:<43} {:<39} {:<5} {:<6} {:<2} {:7} {:<8}",
            ntop6(gw),
            flag_letters(flags),
            metric as i32,
            refcnt as i32,
            used as i32,
            f[9]
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: &str = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
        v0\t00000000\t0102010A\t0003\t0\t0\t5\t00000000\t0\t0\t0\n\
        v0\t0002010A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    #[test]
    fn ipv4_table() {
        assert_eq!(
            ipv4(ROUTE, None, false),
            "Kernel IP routing table\n\
             Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n\
             0.0.0.0         10.1.2.1        0.0.0.0         UG    5      0        0 v0\n\
             10.1.2.0        0.0.0.0         255.255.255.0   U     0      0        0 v0\n"
        );
        let names = Names {
            hosts: b"10.1.2.1 gw.lan\n10.1.2.0 net.lan\n".to_vec(),
        };
        let t = ipv4(ROUTE, Some(&names), true);
        assert!(t.contains("Flags   MSS Window  irtt Iface\n"), "{t}");
        assert!(
            t.contains(
                "default         gw.lan          0.0.0.0         UG        0 0          0 v0\n"
            ),
            "{t}"
        );
        assert!(
            t.contains("10.1.2.0        *               255.255.255.0   U "),
            "{t}"
        );
        assert_eq!(flag_letters(0x0200 | 0x0020_0000), "!n");
    }

    #[test]
    fn ipv6_table() {
        let t = ipv6(
            "20010db8000100000000000000000000 30 00000000000000000000000000000000 00 \
             00000000000000000000000000000000 00000001 00000002 00000000 00000001       v0\n\
             00000000000000000000000000000000 00 00000000000000000000000000000000 00 \
             00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n",
        );
        assert_eq!(
            t,
            "Kernel IPv6 routing table\n\
             Destination                                 Next Hop                                Flags Metric Ref    Use Iface\n\
             2001:db8:1::/48                             ::                                      U     1      2        0 v0      \n\
             ::/0                                        ::                                      !n    -1     1        0 lo      \n"
        );
    }
}
