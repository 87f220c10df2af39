//! ifconfig's listing in the classic net-tools/BusyBox format (`inet addr:`), from
//! SIOCGIF* ioctls, /proc/net/dev and /proc/net/if_inet6.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::net::Ipv6Addr;

use super::sockio::{IfReq, Sock, req};
use crate::error::Error;

/// Interface counters from one /proc/net/dev line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// The 16 counters in file order (rx bytes packets errs drop fifo frame compressed
    /// multicast, tx bytes packets errs drop fifo colls carrier compressed).
    pub v: [u64; 16],
}

/// Every interface of /proc/net/dev with its counters, in file order.
pub fn parse_dev(text: &[u8]) -> Vec<(Vec<u8>, Stats)> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n').skip(2) {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii().to_vec();
        let mut st = Stats::default();
        for (slot, w) in st.v.iter_mut().zip(
            line[colon + 1..]
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty()),
        ) {
            *slot = std::str::from_utf8(w)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        }
        out.push((name, st));
    }
    out
}

/// An IPv6 address entry: address, prefix length, scope bits, interface name.
pub type Inet6Entry = (Ipv6Addr, u32, u32, Vec<u8>);

/// The /proc/net/if_inet6 entries.
pub fn parse_if_inet6(text: &[u8]) -> Vec<Inet6Entry> {
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let f: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if f.len() < 6 || f[0].len() != 32 {
            continue;
        }
        let hex = |s: &[u8]| u32::from_str_radix(std::str::from_utf8(s).unwrap_or(""), 16).ok();
        let mut a = [0u8; 16];
        let ok = a.iter_mut().enumerate().all(|(i, b)| {
            match hex(&f[0][2 * i..2 * i + 2]) {
                Some(v) => *b = v as u8,
                None => return false,
            }
            true
        });
        if let (true, Some(plen), Some(scope)) = (ok, hex(f[2]), hex(f[3])) {
            out.push((Ipv6Addr::from(a), plen, scope, f[5].to_vec()));
        }
    }
    out
}

/// IPv6 text as `inet_ntop` writes it: Rust's form, but an IPv4-compatible address
/// (upper 96 bits zero, not `::` or `::1`-like) ends in dotted numbers (`::10.0.0.1`).
pub fn ntop6(a: Ipv6Addr) -> String {
    let seg = a.segments();
    if seg[..6].iter().all(|&x| x == 0) && seg[6] != 0 {
        let o = a.octets();
        return format!("::{}.{}.{}.{}", o[12], o[13], o[14], o[15]);
    }
    a.to_string()
}

/// BusyBox's name order: byte order, except that digit runs at the same place compare
/// as numbers (`eth2` < `eth10`).
pub fn name_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let digits_from = |s: &[u8], i: usize| {
        let mut start = i;
        while start > 0 && s[start - 1].is_ascii_digit() {
            start -= 1;
        }
        start
    };
    let (ra, rb) = (a.get(common), b.get(common));
    if ra.is_some_and(u8::is_ascii_digit) && rb.is_some_and(u8::is_ascii_digit) {
        let start = digits_from(a, common);
        let num = |s: &[u8]| {
            s[start..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .fold(0u128, |n, &c| {
                    n.saturating_mul(10).saturating_add((c - b'0') as u128)
                })
        };
        return num(a).cmp(&num(b)).then(Ordering::Greater);
    }
    ra.cmp(&rb)
}

/// Everything the listing shows about one interface.
pub struct Iface {
    name: Vec<u8>,
    /// IFF_* flags.
    pub flags: u16,
    hwtype: u16,
    hw: [u8; 14],
    metric: i32,
    mtu: i32,
    txqlen: Option<i32>,
    map: (u64, u64, u16, u8, u8),
    inet: Option<InetAddrs>,
    stats: Option<Stats>,
}

/// The IPv4 address and the addresses beside it.
struct InetAddrs {
    addr: std::net::Ipv4Addr,
    dst: std::net::Ipv4Addr,
    brd: std::net::Ipv4Addr,
    mask: std::net::Ipv4Addr,
}

/// Reads interface `name` (an alias label like `eth0:1` too); `Err` carries errno.
pub fn fetch(sock: &Sock, name: &[u8], stats: Option<Stats>) -> std::io::Result<Iface> {
    let get = |r: u64| -> std::io::Result<IfReq> {
        let mut q =
            IfReq::new(name).map_err(|_| std::io::Error::from_raw_os_error(libc::ENODEV))?;
        sock.raw(r, &mut q)?;
        Ok(q)
    };
    let flags = get(req::SIOCGIFFLAGS)?.short();
    let (hwtype, hw) = match get(req::SIOCGIFHWADDR) {
        Ok(q) => {
            let mut hw = [0u8; 14];
            hw.copy_from_slice(q.hw_bytes());
            (q.family(), hw)
        }
        Err(_) => (0xffff, [0; 14]),
    };
    let inet = get(req::SIOCGIFADDR)
        .ok()
        .and_then(|q| q.inet())
        .map(|addr| {
            let zero = std::net::Ipv4Addr::UNSPECIFIED;
            let other = |r| get(r).ok().and_then(|q| q.inet()).unwrap_or(zero);
            InetAddrs {
                addr,
                dst: other(req::SIOCGIFDSTADDR),
                brd: other(req::SIOCGIFBRDADDR),
                mask: other(req::SIOCGIFNETMASK),
            }
        });
    Ok(Iface {
        name: name.to_vec(),
        flags,
        hwtype,
        hw,
        metric: get(req::SIOCGIFMETRIC).map(|q| q.int()).unwrap_or(0),
        mtu: get(req::SIOCGIFMTU).map(|q| q.int()).unwrap_or(0),
        txqlen: get(req::SIOCGIFTXQLEN).ok().map(|q| q.int()),
        map: get(req::SIOCGIFMAP).map(|q| q.map()).unwrap_or_default(),
        inet,
        stats,
    })
}

/// The flag names in the order the listing prints them.
const FLAG_NAMES: &[(u16, &str)] = &[
    (0x1, "UP"),
    (0x2, "BROADCAST"),
    (0x4, "DEBUG"),
    (0x8, "LOOPBACK"),
    (0x10, "POINTOPOINT"),
    (0x20, "NOTRAILERS"),
    (0x40, "RUNNING"),
    (0x80, "NOARP"),
    (0x100, "PROMISC"),
    (0x200, "ALLMULTI"),
    (0x800, "SLAVE"),
    (0x400, "MASTER"),
    (0x1000, "MULTICAST"),
    (0x8000, "DYNAMIC"),
];

/// The `Link encap:` title of a hardware type and whether its address is shown.
fn hw_title(t: u16) -> (&'static str, HwPrint) {
    match t {
        1 => ("Ethernet", HwPrint::Colons(6)),
        772 => ("Local Loopback", HwPrint::None),
        512 => ("Point-to-Point Protocol", HwPrint::None),
        776 => ("IPv6-in-IPv4", HwPrint::None),
        768 => ("IPIP Tunnel", HwPrint::None),
        32 => ("InfiniBand", HwPrint::Colons(14)),
        _ => ("UNSPEC", HwPrint::Dashes),
    }
}

/// How a hardware address is printed.
enum HwPrint {
    None,
    Colons(usize),
    Dashes,
}

/// Human scaling of a byte count: `(1.5 KiB)`.
fn scaled(n: u64) -> String {
    let exts = ["", "Ki", "Mi", "Gi", "Ti"];
    let (mut int, mut frac, mut e) = (n, 0u64, 0);
    for _ in 0..4 {
        if int >= 1024 {
            frac = ((int & 1023) * 10) / 1024;
            int /= 1024;
            e += 1;
        }
    }
    format!("{int}.{frac} {}B", exts[e])
}

/// The listing of one interface, ending with its blank line.
pub fn render(i: &Iface, inet6: &[Inet6Entry]) -> String {
    let mut s = String::new();
    let name = String::from_utf8_lossy(&i.name);
    let (title, print) = hw_title(i.hwtype);
    let _ = write!(s, "{name:<9} Link encap:{title}  ");
    match print {
        HwPrint::None => {}
        HwPrint::Colons(n) => {
            let hex: Vec<String> = i.hw[..n].iter().map(|b| format!("{b:02X}")).collect();
            let _ = write!(s, "HWaddr {}  ", hex.join(":"));
        }
        HwPrint::Dashes => {
            // sizeof(struct sockaddr): the 14 data bytes and two more that are zero.
            let hex: Vec<String> =
                i.hw.iter()
                    .chain(&[0, 0])
                    .map(|b| format!("{b:02X}"))
                    .collect();
            let _ = write!(s, "HWaddr {}  ", hex.join("-"));
        }
    }
    s.push('\n');
    if let Some(a) = &i.inet {
        let _ = write!(s, "          inet addr:{} ", a.addr);
        if i.flags & libc::IFF_POINTOPOINT as u16 != 0 {
            let _ = write!(s, " P-t-P:{} ", a.dst);
        }
        if i.flags & libc::IFF_BROADCAST as u16 != 0 {
            let _ = write!(s, " Bcast:{} ", a.brd);
        }
        let _ = writeln!(s, " Mask:{}", a.mask);
    }
    for (addr, plen, scope, _) in inet6.iter().filter(|e| e.3 == i.name) {
        let scope = match scope & 0xf0 {
            0 => "Global",
            0x20 => "Link",
            0x40 => "Site",
            0x80 => "Compat",
            0x10 => "Host",
            _ => "Unknown",
        };
        let _ = writeln!(
            s,
            "          inet6 addr: {}/{plen} Scope:{scope}",
            ntop6(*addr)
        );
    }
    s.push_str("          ");
    if i.flags == 0 {
        s.push_str("[NO FLAGS] ");
    }
    for (bit, n) in FLAG_NAMES {
        if i.flags & bit != 0 {
            let _ = write!(s, "{n} ");
        }
    }
    let metric = if i.metric == 0 { 1 } else { i.metric };
    let _ = writeln!(s, " MTU:{}  Metric:{metric}", i.mtu);
    if let Some(st) = &i.stats {
        let v = &st.v;
        let _ = writeln!(
            s,
            "          RX packets:{} errors:{} dropped:{} overruns:{} frame:{}",
            v[1], v[2], v[3], v[4], v[5]
        );
        let _ = writeln!(
            s,
            "          TX packets:{} errors:{} dropped:{} overruns:{} carrier:{}",
            v[9], v[10], v[11], v[12], v[14]
        );
        let _ = write!(s, "          collisions:{} ", v[13]);
        if let Some(q) = i.txqlen {
            let _ = write!(s, "txqueuelen:{q} ");
        }
        let _ = writeln!(
            s,
            "\n          RX bytes:{} ({})  TX bytes:{} ({})",
            v[0],
            scaled(v[0]),
            v[8],
            scaled(v[8])
        );
    }
    let (mem_start, mem_end, base, irq, dma) = i.map;
    if irq != 0 || mem_start != 0 || dma != 0 || base != 0 {
        s.push_str("          ");
        if irq != 0 {
            let _ = write!(s, "Interrupt:{irq} ");
        }
        if base >= 0x100 {
            let _ = write!(s, "Base address:0x{base:x} ");
        }
        if mem_start != 0 {
            let _ = write!(s, "Memory:{mem_start:x}-{mem_end:x} ");
        }
        if dma != 0 {
            let _ = write!(s, "DMA chan:{dma:x} ");
        }
        s.push('\n');
    }
    s.push('\n');
    s
}

/// The route socket in `slot`, opened on first use.
fn route_socket(
    slot: &mut Option<crate::common::netlink::Socket>,
) -> Result<&mut crate::common::netlink::Socket, crate::common::netlink::NlError> {
    if slot.is_none() {
        *slot = Some(crate::common::netlink::Socket::route()?);
    }
    Ok(slot.as_mut().expect("just opened"))
}

/// The listing: every interface (`all`) or the up ones, or just `only`.
///
/// Counters come from /proc/net/dev and IPv6 addresses from /proc/net/if_inet6, or, when
/// those cannot be read (a root without /proc), from rtnetlink, giving the same listing.
/// A whole listing fails when neither source names the interfaces; one interface is
/// then shown without counters. IPv6 addresses of an interface are shown in address
/// order: the file's order is a hash order the kernel seeds anew in every namespace.
pub fn list(sock: &Sock, all: bool, only: Option<&[u8]>) -> Result<String, Error> {
    let mut nl = None;
    let dev = match std::fs::read("/proc/net/dev") {
        Ok(text) => Ok(parse_dev(&text)),
        Err(e) => route_socket(&mut nl)
            .and_then(super::rtnl::devices)
            .map_err(|nl| {
                format!(
                    "/proc/net/dev: {}; rtnetlink: {}",
                    crate::error::strerror(&e),
                    crate::error::strerror(&nl.io())
                )
            }),
    };
    let mut inet6 = match std::fs::read("/proc/net/if_inet6") {
        Ok(text) => parse_if_inet6(&text),
        Err(_) => route_socket(&mut nl)
            .and_then(super::rtnl::inet6)
            .unwrap_or_default(),
    };
    inet6.sort_by_key(|e| (e.0, e.1));
    let dev = match (dev, only) {
        (Ok(d), _) => d,
        (Err(_), Some(_)) => Vec::new(),
        (Err(why), None) => return Err(Error::msg(why)),
    };
    let stats_of = |n: &[u8]| dev.iter().find(|(d, _)| d == n).map(|(_, s)| s.clone());
    if let Some(name) = only {
        let i = fetch(sock, name, stats_of(name)).map_err(|e| {
            let why = if e.raw_os_error() == Some(libc::ENODEV) {
                "Device not found".to_string()
            } else {
                crate::error::strerror(&e)
            };
            Error::msg(format!(
                "{}: error fetching interface information: {why}",
                String::from_utf8_lossy(name)
            ))
        })?;
        return Ok(render(&i, &inet6));
    }
    let mut names: Vec<Vec<u8>> = dev.iter().map(|(n, _)| n.clone()).collect();
    names.extend(sock.conf_names());
    names.sort_by(|a, b| name_cmp(a, b));
    names.dedup();
    let mut out = String::new();
    for name in names {
        let Ok(i) = fetch(sock, &name, stats_of(&name)) else {
            continue;
        };
        if all || i.flags & libc::IFF_UP as u16 != 0 {
            out.push_str(&render(&i, &inet6));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_files() {
        let dev = b"Inter-|   Receive  |  Transmit\n face |bytes packets\n\
            \x20   lo:    1234      5    0    0    0     0          0         0     1234      5    0    0    0     0       0          0\n\
            \x20 eth0: 10 2 1 0 0 0 0 0 20 3 0 0 0 7 0 0\n";
        let d = parse_dev(dev);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].0, b"lo");
        assert_eq!(d[0].1.v[0], 1234);
        assert_eq!(d[1].1.v[13], 7);
        let i6 = parse_if_inet6(
            b"00000000000000000000000000000001 01 80 10 80       lo\n\
              fe800000000000000000000000000001 02 40 20 80     eth0\n",
        );
        assert_eq!(i6[0], ("::1".parse().unwrap(), 128, 0x10, b"lo".to_vec()));
        assert_eq!(i6[1].0, "fe80::1".parse::<Ipv6Addr>().unwrap());
        assert_eq!(i6[1].1, 64);
    }

    #[test]
    fn natural_name_order() {
        let mut v: Vec<&[u8]> = vec![b"eth10", b"lo", b"eth2", b"eth2:1", b"eth2:10", b"eth2:9"];
        v.sort_by(|a, b| name_cmp(a, b));
        assert_eq!(
            v,
            vec![
                &b"eth2"[..],
                b"eth2:1",
                b"eth2:9",
                b"eth2:10",
                b"eth10",
                b"lo"
            ]
        );
    }

    #[test]
    fn renders_peer_map_and_no_flags() {
        let mut i = Iface {
            name: b"ppp0".to_vec(),
            flags: 0x1 | 0x10 | 0x40,
            hwtype: 512,
            hw: [0; 14],
            metric: 0,
            mtu: 1492,
            txqlen: Some(3),
            map: (0, 0, 0x300, 11, 0),
            inet: Some(InetAddrs {
                addr: "10.0.0.1".parse().unwrap(),
                dst: "10.0.0.2".parse().unwrap(),
                brd: "0.0.0.0".parse().unwrap(),
                mask: "255.255.255.255".parse().unwrap(),
            }),
            stats: None,
        };
        assert_eq!(
            render(&i, &[]),
            "ppp0      Link encap:Point-to-Point Protocol  \n\
             \x20         inet addr:10.0.0.1  P-t-P:10.0.0.2  Mask:255.255.255.255\n\
             \x20         UP POINTOPOINT RUNNING  MTU:1492  Metric:1\n\
             \x20         Interrupt:11 Base address:0x300 \n\n"
        );
        i.flags = 0;
        i.inet = None;
        i.map = Default::default();
        i.hwtype = 1;
        i.hw[..6].copy_from_slice(&[0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e]);
        assert_eq!(
            render(&i, &[]),
            "ppp0      Link encap:Ethernet  HWaddr 00:1A:2B:3C:4D:5E  \n\
             \x20         [NO FLAGS]  MTU:1492  Metric:1\n\n"
        );
    }

    #[test]
    fn ipv6_text_like_inet_ntop() {
        let t = |s: &str| ntop6(s.parse().unwrap());
        assert_eq!(t("::a00:1"), "::10.0.0.1");
        assert_eq!(t("::1"), "::1");
        assert_eq!(t("::2"), "::2");
        assert_eq!(t("::ffff:10.0.0.1"), "::ffff:10.0.0.1");
        assert_eq!(t("2001:db8::1"), "2001:db8::1");
    }

    #[test]
    fn byte_scaling() {
        assert_eq!(scaled(0), "0.0 B");
        assert_eq!(scaled(1536), "1.5 KiB");
        assert_eq!(scaled(5 * 1024 * 1024 + 1), "5.0 MiB");
    }
}
