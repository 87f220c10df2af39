//! What ifconfig reads from /proc/net/dev and /proc/net/if_inet6, taken from rtnetlink
//! instead for a root without /proc: interface names and counters from an `RTM_GETLINK`
//! dump (`IFLA_STATS64`, else `IFLA_STATS`), IPv6 addresses from an `RTM_GETADDR` dump,
//! both in the shape the /proc parsers give, summed the way the kernel writes the file.

use std::net::Ipv6Addr;

use super::show::{Inet6Entry, Stats};
use crate::common::netlink::{self, AttrTable, NlError, Request, Socket};

/// `IFLA_STATS` (32-bit counters) and `IFLA_STATS64`.
const IFLA_STATS: u16 = 7;
const IFLA_STATS64: u16 = 23;
/// `ifaddrmsg` is 8 bytes: family, prefix length, flags, scope, index.
const IFADDRMSG_LEN: usize = 8;

/// The 16 /proc/net/dev columns from the counters of `struct rtnl_link_stats64` (or its
/// 32-bit twin) in their structure order: rx/tx packets, bytes, errors, dropped,
/// multicast, collisions, rx length/over/crc/frame/fifo/missed, tx aborted/carrier/fifo/
/// heartbeat/window, rx/tx compressed.
pub fn dev_columns(s: &[u64]) -> Stats {
    let g = |i: usize| s.get(i).copied().unwrap_or(0);
    Stats {
        v: [
            g(2),
            g(0),
            g(4),
            g(6) + g(15),
            g(14),
            g(10) + g(11) + g(12) + g(13),
            g(21),
            g(8),
            g(3),
            g(1),
            g(5),
            g(7),
            g(18),
            g(9),
            g(17) + g(16) + g(20) + g(19),
            g(22),
        ],
    }
}

/// The counters of one link message's stats attribute.
fn counters(t: &AttrTable<'_>) -> Vec<u64> {
    if let Some(d) = t.get(IFLA_STATS64) {
        (0..d.len() / 8)
            .map(|i| netlink::u64_at(d, i * 8))
            .collect()
    } else if let Some(d) = t.get(IFLA_STATS) {
        (0..d.len() / 4)
            .map(|i| netlink::u32_at(d, i * 4) as u64)
            .collect()
    } else {
        Vec::new()
    }
}

/// Every interface with its counters, as `show::parse_dev` gives them from the file.
pub fn devices(sock: &mut Socket) -> Result<Vec<(Vec<u8>, Stats)>, NlError> {
    Ok(netlink::link_dump(sock)?
        .iter()
        .map(|m| {
            let t = AttrTable::new(m.attrs(netlink::IFINFO_LEN));
            let name = t.str(libc::IFLA_IFNAME).unwrap_or_default().to_vec();
            (name, dev_columns(&counters(&t)))
        })
        .collect())
}

/// The scope bits /proc/net/if_inet6 shows for `a`: the kernel derives them from the
/// address alone (loopback 0x10, link-local 0x20, site-local 0x40, IPv4-compatible 0x80,
/// anything else global 0).
pub fn scope_of(a: Ipv6Addr) -> u32 {
    let s = a.segments();
    if s[0] & 0xffc0 == 0xfe80 {
        0x20
    } else if s[0] & 0xffc0 == 0xfec0 {
        0x40
    } else if s[..6].iter().all(|&x| x == 0) {
        match (s[6], s[7]) {
            (0, 0) => 0,
            (0, 1) => 0x10,
            _ => 0x80,
        }
    } else {
        0
    }
}

/// Every IPv6 address: address, prefix length, scope, interface name, as
/// `show::parse_if_inet6` gives them from the file.
pub fn inet6(sock: &mut Socket) -> Result<Vec<Inet6Entry>, NlError> {
    let names = netlink::link_names(sock)?;
    let mut fixed = [0u8; IFADDRMSG_LEN];
    fixed[0] = libc::AF_INET6 as u8;
    let msgs = sock.dump(Request::new(
        libc::RTM_GETADDR,
        libc::NLM_F_DUMP as u16,
        &fixed,
    ))?;
    let mut out = Vec::new();
    for m in msgs.iter().filter(|m| m.ty == libc::RTM_NEWADDR) {
        let p = &m.payload;
        if p.len() < IFADDRMSG_LEN || p[0] != libc::AF_INET6 as u8 {
            continue;
        }
        let t = AttrTable::new(m.attrs(IFADDRMSG_LEN));
        let Some(bytes) = t
            .get(libc::IFA_LOCAL)
            .or_else(|| t.get(libc::IFA_ADDRESS))
            .and_then(|b| <[u8; 16]>::try_from(b).ok())
        else {
            continue;
        };
        let index = netlink::u32_at(p, 4) as i32;
        let Some((_, name)) = names.iter().find(|(i, _)| *i == index) else {
            continue;
        };
        let addr = Ipv6Addr::from(bytes);
        out.push((addr, p[1] as u32, scope_of(addr), name.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_sum_like_the_kernel() {
        let s: Vec<u64> = (1..=24).collect();
        let st = dev_columns(&s);
        assert_eq!(
            st.v,
            [
                3,
                1,
                5,
                7 + 16,
                15,
                11 + 12 + 13 + 14,
                22,
                9,
                4,
                2,
                6,
                8,
                19,
                10,
                18 + 17 + 21 + 20,
                23
            ]
        );
    }

    #[test]
    fn scopes_from_the_address() {
        let sc = |s: &str| scope_of(s.parse().unwrap());
        assert_eq!(sc("::1"), 0x10);
        assert_eq!(sc("fe80::1"), 0x20);
        assert_eq!(sc("febf::1"), 0x20);
        assert_eq!(sc("fec0::1"), 0x40);
        assert_eq!(sc("::10.0.0.1"), 0x80);
        assert_eq!(sc("::ffff:10.0.0.1"), 0);
        assert_eq!(sc("2001:db8::1"), 0);
        assert_eq!(sc("fd00::2"), 0);
    }

    #[test]
    fn the_kernel_lists_loopback() {
        // Route sockets exist on every Linux kernel.
        let mut s = Socket::route().unwrap();
        assert!(devices(&mut s).unwrap().iter().any(|(n, _)| n == b"lo"));
    }
}
