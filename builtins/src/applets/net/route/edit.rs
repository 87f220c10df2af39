//! route's `add`/`del`: an IPv4 `rtentry` or an IPv6 `in6_rtmsg` handed to SIOCADDRT or
//! SIOCDELRT, built from BusyBox's argument grammar.

use std::ffi::CString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::super::ifconfig::sockio::{In6Rtmsg, RtEntry, Sock, ifindex, req, sockaddr_in};
use crate::common::resolve;
use crate::error::Error;

const RTF_UP: u16 = 0x1;
const RTF_GATEWAY: u16 = 0x2;
const RTF_HOST: u16 = 0x4;
const RTF_REINSTATE: u16 = 0x8;
const RTF_DYNAMIC: u16 = 0x10;
const RTF_MODIFIED: u16 = 0x20;
const RTF_REJECT: u16 = 0x200;

/// The usage error route gives for a malformed command.
fn usage() -> Error {
    Error::usage("bad arguments")
}

fn resolving(w: &[u8]) -> Error {
    Error::msg(format!("resolving {}", String::from_utf8_lossy(w)))
}

/// An IPv4 operand: `default`, a number, an /etc/networks name (unless `host_first`)
/// or an /etc/hosts name. The flag says whether it named a network.
fn inet_target(w: &[u8], host_first: bool) -> Result<(Ipv4Addr, bool), Error> {
    if w == b"default" {
        return Ok((Ipv4Addr::UNSPECIFIED, true));
    }
    if let Some(a) = resolve::inet_aton(w) {
        return Ok((a, false));
    }
    if !host_first {
        let nets = std::fs::read("/etc/networks").unwrap_or_default();
        if let Some(a) = resolve::networks_lookup(&nets, w) {
            return Ok((a, true));
        }
    }
    resolve::hosts_lookup(&resolve::read_hosts(), w)
        .into_iter()
        .find_map(|a| match a {
            IpAddr::V4(a) => Some((a, false)),
            IpAddr::V6(_) => None,
        })
        .ok_or_else(|| resolving(w))
}

/// A number operand of `metric`, `mss`, `window`, `irtt`.
fn number(w: &[u8]) -> Result<u64, Error> {
    std::str::from_utf8(w)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::msg(format!("invalid number '{}'", String::from_utf8_lossy(w))))
}

/// `add|del [-net|-host] TARGET[/PLEN] [netmask M] [gw G] [metric N] [mss N] [window N]
/// [irtt N] [reject] [mod] [dyn] [reinstate] [[dev] IF]` for IPv4.
pub fn ipv4(add: bool, args: &[Vec<u8>]) -> Result<(), Error> {
    let mut it = args.iter().peekable();
    let mut kind = None;
    if let Some(k) = it.peek().map(|w| w.as_slice())
        && (k == b"-net" || k == b"-host")
    {
        kind = Some(k == b"-net");
        it.next();
    }
    let target = it.next().ok_or_else(usage)?;
    let (addr_part, plen) = match target.iter().position(|&b| b == b'/') {
        Some(p) => {
            let n = std::str::from_utf8(&target[p + 1..])
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
                .filter(|&n| n <= 32)
                .ok_or_else(|| resolving(target))?;
            (&target[..p], Some(n))
        }
        None => (&target[..], None),
    };
    let (dst, is_net) = inet_target(addr_part, kind == Some(false))?;
    let mut rt = RtEntry::default();
    let is_net = kind.unwrap_or(is_net || plen.is_some());
    let mut mask = plen.map(|n| if n == 0 { 0 } else { u32::MAX << (32 - n) });
    rt.flags = RTF_UP;
    if !is_net {
        rt.flags |= RTF_HOST;
    }
    let mut dev: Option<CString> = None;
    while let Some(w) = it.next() {
        let mut arg = || it.next().ok_or_else(usage);
        match w.as_slice() {
            b"netmask" => {
                let m = resolve::inet_aton(arg()?).ok_or_else(|| resolving(w))?;
                mask = Some(u32::from(m));
            }
            b"gw" | b"gateway" => {
                let g = arg()?;
                let (gw, gw_net) = inet_target(g, true)?;
                if gw_net {
                    return Err(resolving(g));
                }
                rt.gateway = sockaddr_in(gw);
                rt.flags |= RTF_GATEWAY;
            }
            b"metric" => rt.metric = (number(arg()?)? as i16).wrapping_add(1),
            b"mss" => rt.mtu = number(arg()?)?,
            b"window" => rt.window = number(arg()?)?,
            b"irtt" => rt.irtt = number(arg()?)? as u16,
            b"reject" => rt.flags |= RTF_REJECT,
            b"mod" => rt.flags |= RTF_MODIFIED,
            b"dyn" => rt.flags |= RTF_DYNAMIC,
            b"reinstate" => rt.flags |= RTF_REINSTATE,
            b"dev" | b"device" => dev = Some(CString::new(arg()?.clone()).map_err(|_| usage())?),
            other if dev.is_none() && it.peek().is_none() => {
                dev = Some(CString::new(other.to_vec()).map_err(|_| usage())?);
            }
            _ => return Err(usage()),
        }
    }
    if let Some(m) = mask {
        if !is_net {
            // BusyBox prints the mask's bytes in network order read as a host number.
            let raw = u32::from_ne_bytes(m.to_be_bytes());
            return Err(Error::msg(format!(
                "netmask {raw:08x} and host route conflict"
            )));
        }
        if u32::from(dst) & !m != 0 {
            return Err(Error::msg("netmask and route address conflict"));
        }
        rt.genmask = sockaddr_in(Ipv4Addr::from(m));
    } else if !is_net {
        rt.genmask = sockaddr_in(Ipv4Addr::BROADCAST);
    } else {
        rt.genmask = sockaddr_in(Ipv4Addr::UNSPECIFIED);
    }
    rt.dst = sockaddr_in(dst);
    if let Some(d) = &dev {
        rt.dev = d.as_ptr().cast();
    }
    let sock = Sock::new(false)?;
    sock.call(if add { req::SIOCADDRT } else { req::SIOCDELRT }, &mut rt)
}

/// `add|del TARGET[/PLEN] [gw G] [metric N] [[dev] IF]` for IPv6.
pub fn ipv6(add: bool, args: &[Vec<u8>]) -> Result<(), Error> {
    let mut it = args.iter().peekable();
    if it
        .peek()
        .is_some_and(|w| w.as_slice() == b"-net" || w.as_slice() == b"-host")
    {
        it.next();
    }
    let target = it.next().ok_or_else(usage)?;
    let mut rt = In6Rtmsg {
        metric: 1,
        flags: RTF_UP as u32,
        ..In6Rtmsg::default()
    };
    if target != b"default" {
        let (a, plen) = match target.iter().position(|&b| b == b'/') {
            Some(p) => (&target[..p], Some(&target[p + 1..])),
            None => (&target[..], None),
        };
        let addr = inet6(a)?;
        let plen = match plen {
            None => 128,
            Some(p) => std::str::from_utf8(p)
                .ok()
                .and_then(|s| s.parse::<u16>().ok())
                .filter(|&n| n <= 128)
                .ok_or_else(|| resolving(target))?,
        };
        rt.dst = addr.octets();
        rt.dst_len = plen;
        if plen == 128 {
            rt.flags |= RTF_HOST as u32;
        }
    }
    let mut dev: Option<Vec<u8>> = None;
    while let Some(w) = it.next() {
        let mut arg = || it.next().ok_or_else(usage);
        match w.as_slice() {
            b"gw" | b"gateway" => {
                rt.gateway = inet6(arg()?)?.octets();
                rt.flags |= RTF_GATEWAY as u32;
            }
            b"metric" => rt.metric = number(arg()?)? as u32,
            b"dev" | b"device" => dev = Some(arg()?.clone()),
            b"mod" => rt.flags |= RTF_MODIFIED as u32,
            b"dyn" => rt.flags |= RTF_DYNAMIC as u32,
            other if dev.is_none() && it.peek().is_none() => dev = Some(other.to_vec()),
            _ => return Err(usage()),
        }
    }
    let sock = Sock::new(true)?;
    if let Some(d) = dev {
        rt.ifindex = ifindex(&sock, &d)?;
    }
    sock.call(if add { req::SIOCADDRT } else { req::SIOCDELRT }, &mut rt)
}

/// A numeric IPv6 address or an /etc/hosts name with one.
fn inet6(w: &[u8]) -> Result<Ipv6Addr, Error> {
    if let Some(a) = std::str::from_utf8(w).ok().and_then(|s| s.parse().ok()) {
        return Ok(a);
    }
    resolve::hosts_lookup(&resolve::read_hosts(), w)
        .into_iter()
        .find_map(|a| match a {
            IpAddr::V6(a) => Some(a),
            IpAddr::V4(_) => None,
        })
        .ok_or_else(|| resolving(w))
}
