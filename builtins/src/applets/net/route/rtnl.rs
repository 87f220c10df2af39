//! The routing tables rebuilt from an rtnetlink route dump, as the text of
//! /proc/net/route and /proc/net/ipv6_route, for a root without /proc: `show` then prints
//! them exactly as it prints the files.
//!
//! The files are the kernel's own renderings of its tables; the rules it follows are
//! repeated here. IPv4: the main table only, no broadcast or multicast routes, the first
//! next hop of a multipath route, flags U, G (a gateway), H (a /32), `!` (unreachable or
//! prohibit), Ref and Use 0, MTU the advertised MSS + 40. IPv6: every table in the
//! kernel's hash order, one entry per next hop, a table without a default route ending
//! with the kernel's null entry (`::/0 ... lo`, metric -1, `!n`), reject types and routes
//! through a loopback device shown as `!n`, local and anycast routes as `Un`. The kernel's
//! reference count of an IPv6 route is not in the dump: 1 is written (a route no cached
//! path holds), where the file may say more.

use std::fmt::Write as _;

use crate::common::netlink::{self, AttrTable, Message, NlError, Request, Socket};

/// `rtmsg` is 12 bytes: family, dst_len, src_len, tos, table, protocol, scope, type, flags.
const RTMSG_LEN: usize = 12;
/// `RT_TABLE_MAIN` and `RT_TABLE_LOCAL`.
const MAIN: u32 = 254;
const LOCAL: u32 = 255;
/// rtm_type values.
const RTN_LOCAL: u8 = 2;
const RTN_BROADCAST: u8 = 3;
const RTN_ANYCAST: u8 = 4;
const RTN_MULTICAST: u8 = 5;
const RTN_BLACKHOLE: u8 = 6;
const RTN_UNREACHABLE: u8 = 7;
const RTN_PROHIBIT: u8 = 8;
const RTN_THROW: u8 = 9;
/// `RTPROT_RA`: a route learnt from a router advertisement.
const RTPROT_RA: u8 = 9;
/// `RTM_F_CLONED`: a cached exception, not a table entry.
const RTM_F_CLONED: u32 = 0x200;
/// `RTNH_F_ONLINK`, which IPv6 keeps in the route's flags (shown as H).
const RTNH_F_ONLINK: u32 = 4;
/// RTAX_* metrics: window, round trip time (in 1/8 ms), advertised MSS.
const RTAX_WINDOW: u16 = 3;
const RTAX_RTT: u16 = 4;
const RTAX_ADVMSS: u16 = 8;
/// RTF_* bits of the files.
const RTF_UP: u32 = 0x1;
const RTF_GATEWAY: u32 = 0x2;
const RTF_HOST: u32 = 0x4;
const RTF_REJECT: u32 = 0x200;
const RTF_DEFAULT: u32 = 0x1_0000;
const RTF_ADDRCONF: u32 = 0x4_0000;
const RTF_ANYCAST: u32 = 0x10_0000;
const RTF_NONEXTHOP: u32 = 0x20_0000;
const RTF_LOCAL: u32 = 0x8000_0000;

/// One next hop: output interface index and gateway bytes (empty without one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hop {
    oif: Option<i32>,
    gw: Vec<u8>,
    onlink: bool,
}

/// What the files show of one dumped route.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    table: u32,
    dst: Vec<u8>,
    dst_len: u8,
    ty: u8,
    protocol: u8,
    priority: u32,
    advmss: u32,
    window: u32,
    rtt: u32,
    hops: Vec<Hop>,
}

/// Decodes one `RTM_NEWROUTE` message; `None` for cached exceptions and short ones.
pub fn decode(m: &Message) -> Option<Route> {
    let p = &m.payload;
    if m.ty != libc::RTM_NEWROUTE || p.len() < RTMSG_LEN {
        return None;
    }
    let flags = netlink::u32_at(p, 8);
    if flags & RTM_F_CLONED != 0 {
        return None;
    }
    let t = AttrTable::new(m.attrs(RTMSG_LEN));
    let gw_of = |t: &AttrTable<'_>| -> Vec<u8> {
        t.get(libc::RTA_GATEWAY)
            .map(<[u8]>::to_vec)
            // RTA_VIA: family (2 bytes), then the address; the files know it is there.
            .or_else(|| {
                t.get(libc::RTA_VIA)
                    .map(|v| v.get(2..).unwrap_or(&[]).to_vec())
            })
            .unwrap_or_default()
    };
    let mut hops = Vec::new();
    if let Some(mp) = t.get(libc::RTA_MULTIPATH) {
        // rtnexthop: len u16, flags u8, hops u8, ifindex i32, then attributes.
        let mut rest = mp;
        while rest.len() >= 8 {
            let len = netlink::u16_at(rest, 0) as usize;
            if len < 8 || len > rest.len() {
                break;
            }
            let inner = AttrTable::new(netlink::Attrs::new(&rest[8..len]));
            hops.push(Hop {
                oif: Some(netlink::u32_at(rest, 4) as i32),
                gw: gw_of(&inner),
                onlink: rest[2] as u32 & RTNH_F_ONLINK != 0,
            });
            rest = &rest[netlink::align(len).min(rest.len())..];
        }
    }
    if hops.is_empty() {
        hops.push(Hop {
            oif: t.u32(libc::RTA_OIF).map(|i| i as i32),
            gw: gw_of(&t),
            onlink: flags & RTNH_F_ONLINK != 0,
        });
    }
    let metrics = t.nested(libc::RTA_METRICS).unwrap_or_default();
    Some(Route {
        table: t.u32(libc::RTA_TABLE).unwrap_or(p[4] as u32),
        dst: t.get(libc::RTA_DST).map(<[u8]>::to_vec).unwrap_or_default(),
        dst_len: p[1],
        ty: p[7],
        protocol: p[5],
        priority: t.u32(libc::RTA_PRIORITY).unwrap_or(0),
        advmss: metrics.u32(RTAX_ADVMSS).unwrap_or(0),
        window: metrics.u32(RTAX_WINDOW).unwrap_or(0),
        rtt: metrics.u32(RTAX_RTT).unwrap_or(0),
        hops,
    })
}

/// Link index to name and whether it is a loopback device.
pub struct Links(Vec<(i32, Vec<u8>, bool)>);

impl Links {
    /// Every link of the namespace.
    pub fn dump(sock: &mut Socket) -> Result<Links, NlError> {
        Ok(Links(
            netlink::link_dump(sock)?
                .iter()
                .map(|m| {
                    let name = AttrTable::new(m.attrs(netlink::IFINFO_LEN))
                        .str(libc::IFLA_IFNAME)
                        .unwrap_or_default()
                        .to_vec();
                    let lo = netlink::link_flags(m) & libc::IFF_LOOPBACK as u32 != 0;
                    (netlink::link_index(m), name, lo)
                })
                .collect(),
        ))
    }

    fn get(&self, index: Option<i32>) -> Option<&(i32, Vec<u8>, bool)> {
        index.and_then(|i| self.0.iter().find(|l| l.0 == i))
    }
}

/// Dumps the routes of `family`.
fn dump(sock: &mut Socket, family: u8) -> Result<Vec<Route>, NlError> {
    let mut fixed = [0u8; RTMSG_LEN];
    fixed[0] = family;
    let msgs = sock.dump(Request::new(
        libc::RTM_GETROUTE,
        libc::NLM_F_DUMP as u16,
        &fixed,
    ))?;
    Ok(msgs.iter().filter_map(decode).collect())
}

/// Four address bytes as the file's `%08X` of the raw (network order) word.
fn word(a: &[u8]) -> u32 {
    a.get(..4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .unwrap_or(0)
}

/// /proc/net/route text for `routes`.
pub fn ipv4_text(routes: &[Route], links: &Links) -> String {
    let mut s = format!(
        "{:<127}\n",
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"
    );
    for r in routes {
        if r.table != MAIN || r.ty == RTN_BROADCAST || r.ty == RTN_MULTICAST {
            continue;
        }
        let hop = r.hops.first().cloned().unwrap_or_default();
        let mask: u32 = if r.dst_len == 0 {
            0
        } else {
            u32::MAX << (32 - r.dst_len.min(32) as u32)
        };
        let mut flags = RTF_UP;
        if r.ty == RTN_UNREACHABLE || r.ty == RTN_PROHIBIT {
            flags |= RTF_REJECT;
        }
        if !hop.gw.is_empty() {
            flags |= RTF_GATEWAY;
        }
        if r.dst_len == 32 {
            flags |= RTF_HOST;
        }
        let dev = links
            .get(hop.oif)
            .map_or("*".into(), |l| String::from_utf8_lossy(&l.1).into_owned());
        let line = format!(
            "{dev}\t{:08X}\t{:08X}\t{flags:04X}\t0\t0\t{}\t{:08X}\t{}\t{}\t{}",
            word(&r.dst),
            // An IPv6 gateway of an IPv4 route (RTA_VIA) is flagged but written as 0.
            word(if hop.gw.len() == 4 { &hop.gw } else { &[] }),
            r.priority as i32,
            u32::from_ne_bytes(mask.to_be_bytes()),
            if r.advmss != 0 { r.advmss + 40 } else { 0 } as i32,
            r.window,
            r.rtt >> 3
        );
        let _ = writeln!(s, "{line:<127}");
    }
    s
}

/// 16 address bytes (zeros when absent) as 32 hex digits.
fn hex16(a: &[u8]) -> String {
    let mut b = [0u8; 16];
    for (d, s) in b.iter_mut().zip(a) {
        *d = *s;
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// One /proc/net/ipv6_route line.
fn ipv6_line(dst: &[u8], plen: u8, gw: &[u8], metric: u32, flags: u32, dev: &[u8]) -> String {
    format!(
        "{} {plen:02x} {} 00 {} {metric:08x} {:08x} {:08x} {flags:08x} {:>8}\n",
        hex16(dst),
        hex16(&[]),
        hex16(gw),
        1,
        0,
        String::from_utf8_lossy(dev)
    )
}

/// The RTF_* flags the kernel keeps for an IPv6 route through `hop`.
fn ipv6_flags(r: &Route, hop: &Hop, links: &Links) -> u32 {
    let loopback_dst = r.dst.len() == 16 && r.dst[..15].iter().all(|&b| b == 0) && r.dst[15] == 1;
    let through_lo = links.get(hop.oif).is_some_and(|l| l.2);
    let mut flags = if matches!(
        r.ty,
        RTN_UNREACHABLE | RTN_BLACKHOLE | RTN_PROHIBIT | RTN_THROW
    ) || (through_lo && !loopback_dst && r.ty != RTN_LOCAL)
    {
        RTF_REJECT | RTF_NONEXTHOP
    } else {
        let mut f = RTF_UP;
        match r.ty {
            RTN_LOCAL => f |= RTF_LOCAL | RTF_NONEXTHOP,
            RTN_ANYCAST => f |= RTF_ANYCAST | RTF_NONEXTHOP,
            _ => {}
        }
        if hop.onlink {
            f |= RTF_HOST;
        }
        if r.protocol == RTPROT_RA {
            f |= RTF_ADDRCONF;
            if r.dst_len == 0 {
                f |= RTF_DEFAULT;
            }
        }
        f
    };
    if !hop.gw.is_empty() {
        flags |= RTF_GATEWAY;
    }
    flags
}

/// /proc/net/ipv6_route text for `routes` (in dump order).
pub fn ipv6_text(routes: &[Route], links: &Links) -> String {
    // Tables in the order of the kernel's table hash (id mod 256), main and local always.
    let mut tables: Vec<u32> = vec![];
    for t in routes.iter().map(|r| r.table).chain([MAIN, LOCAL]) {
        if !tables.contains(&t) {
            tables.push(t);
        }
    }
    tables.sort_by_key(|t| t & 255);
    let mut s = String::new();
    for t in tables {
        let mut has_default = false;
        for r in routes.iter().filter(|r| r.table == t) {
            has_default |= r.dst_len == 0;
            for hop in &r.hops {
                let dev = links.get(hop.oif).map_or(&[][..], |l| &l.1[..]);
                let flags = ipv6_flags(r, hop, links);
                s.push_str(&ipv6_line(
                    &r.dst, r.dst_len, &hop.gw, r.priority, flags, dev,
                ));
            }
        }
        if !has_default {
            s.push_str(&ipv6_line(
                &[],
                0,
                &[],
                u32::MAX,
                RTF_REJECT | RTF_NONEXTHOP,
                b"lo",
            ));
        }
    }
    s
}

/// /proc/net/route as the kernel would write it, from a route dump.
pub fn route_file() -> Result<String, NlError> {
    let mut sock = Socket::route()?;
    let links = Links::dump(&mut sock)?;
    Ok(ipv4_text(&dump(&mut sock, libc::AF_INET as u8)?, &links))
}

/// /proc/net/ipv6_route as the kernel would write it, from a route dump.
pub fn ipv6_route_file() -> Result<String, NlError> {
    let mut sock = Socket::route()?;
    let links = Links::dump(&mut sock)?;
    Ok(ipv6_text(&dump(&mut sock, libc::AF_INET6 as u8)?, &links))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links(vec![(1, b"lo".to_vec(), true), (2, b"v0".to_vec(), false)])
    }

    fn route(table: u32, dst: &[u8], dst_len: u8, ty: u8, oif: i32, gw: &[u8]) -> Route {
        Route {
            table,
            dst: dst.to_vec(),
            dst_len,
            ty,
            priority: 0,
            hops: vec![Hop {
                oif: Some(oif),
                gw: gw.to_vec(),
                onlink: false,
            }],
            ..Route::default()
        }
    }

    #[test]
    fn ipv4_file_lines() {
        let mut gw = route(MAIN, &[], 0, 1, 2, &[10, 1, 2, 1]);
        gw.priority = 5;
        gw.advmss = 1360;
        gw.rtt = 80;
        let routes = [
            gw,
            route(MAIN, &[10, 6, 0, 1], 32, 1, 2, &[]),
            route(MAIN, &[10, 1, 2, 255], 32, RTN_BROADCAST, 2, &[]),
            route(LOCAL, &[127, 0, 0, 1], 32, RTN_LOCAL, 1, &[]),
            Route {
                hops: vec![Hop::default()],
                ..route(MAIN, &[10, 11, 0, 0], 16, RTN_UNREACHABLE, 0, &[])
            },
        ];
        let text = ipv4_text(&routes, &links());
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("Iface\tDestination\tGateway \tFlags"));
        assert_eq!(
            lines[1],
            "v0\t00000000\t0102010A\t0003\t0\t0\t5\t00000000\t1400\t0\t10"
        );
        assert_eq!(
            lines[2],
            "v0\t0100060A\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0"
        );
        assert_eq!(
            lines[3],
            "*\t00000B0A\t00000000\t0201\t0\t0\t0\t0000FFFF\t0\t0\t0"
        );
        assert!(text.lines().all(|l| l.len() == 127), "{text}");
    }

    #[test]
    fn ipv6_file_lines_with_null_entries() {
        let db8 = [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut one = [0u8; 16];
        one[15] = 1;
        let fe80_1 = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let routes = [
            route(MAIN, &db8, 64, 1, 2, &[]),
            route(MAIN, &db8, 48, 1, 1, &[]),
            route(LOCAL, &one, 128, RTN_LOCAL, 1, &[]),
            route(100, &db8, 32, 1, 2, &fe80_1),
        ];
        let text = ipv6_text(&routes, &links());
        let z = "00000000000000000000000000000000";
        assert_eq!(
            text,
            format!(
                "20010db8000000000000000000000000 20 {z} 00 fe800000000000000000000000000001 00000000 00000001 00000000 00000003       v0\n\
                 {z} 00 {z} 00 {z} ffffffff 00000001 00000000 00200200       lo\n\
                 20010db8000000000000000000000000 40 {z} 00 {z} 00000000 00000001 00000000 00000001       v0\n\
                 20010db8000000000000000000000000 30 {z} 00 {z} 00000000 00000001 00000000 00200200       lo\n\
                 {z} 00 {z} 00 {z} ffffffff 00000001 00000000 00200200       lo\n\
                 00000000000000000000000000000001 80 {z} 00 {z} 00000000 00000001 00000000 80200001       lo\n\
                 {z} 00 {z} 00 {z} ffffffff 00000001 00000000 00200200       lo\n"
            )
        );
    }
}
