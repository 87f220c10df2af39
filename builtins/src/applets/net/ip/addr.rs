//! `ip addr`: list addresses under their interfaces (also `-o` and `-br`), add, change,
//! replace and delete IPv4/IPv6 addresses, and flush the ones a filter selects.

use super::link::{Link, Links, index_of, print_brief_head, print_header, print_link_stats};
use super::{Fail, Global, Res, duparg2, inet, invarg, matches, names, next_arg, socket};
use crate::common::netlink::{AttrTable, Message, Request, Socket, u32_at};
use rbox_parser::pattern::{Options, Pattern};

/// `struct ifaddrmsg` is 8 bytes.
const IFADDR_LEN: usize = 8;
/// `IFA_FLAGS`: the 32-bit flags attribute (libc stops at `IFA_MULTICAST`).
const IFA_FLAGS: u16 = 8;
/// `IFA_RT_PRIORITY`: the metric of the prefix route.
const IFA_RT_PRIORITY: u16 = 9;
/// Lifetime "forever".
const INFINITY: u32 = u32::MAX;

/// Address flags, in iproute2's order (bit 0x80, permanent, is never printed: its
/// absence prints `dynamic`).
const ADDR_FLAGS: &[(u32, &str)] = &[
    (0x01, "secondary"),
    (0x02, "nodad"),
    (0x04, "optimistic"),
    (0x08, "dadfailed"),
    (0x10, "home"),
    (0x20, "deprecated"),
    (0x40, "tentative"),
    (0x100, "mngtmpaddr"),
    (0x200, "noprefixroute"),
    (0x400, "autojoin"),
    (0x800, "stable-privacy"),
];
const IFA_F_PERMANENT: u32 = 0x80;

/// An encoded `ifaddrmsg`.
fn ifaddrmsg(family: u8, plen: u8, flags: u8, scope: u8, index: i32) -> [u8; IFADDR_LEN] {
    let mut b = [0u8; IFADDR_LEN];
    b[0] = family;
    b[1] = plen;
    b[2] = flags;
    b[3] = scope;
    b[4..8].copy_from_slice(&index.to_ne_bytes());
    b
}

/// One address as `RTM_NEWADDR` describes it.
#[derive(Debug, Clone)]
pub struct Addr {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// The prefix length.
    pub plen: u8,
    /// `IFA_F_*` flags (the 32-bit attribute when present).
    pub flags: u32,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// The interface index.
    pub index: i32,
    msg: Message,
}

impl Addr {
    fn from_msg(msg: Message) -> Addr {
        let p = &msg.payload;
        let mut a = Addr {
            family: p[0],
            plen: p[1],
            flags: p[2] as u32,
            scope: p[3],
            index: u32_at(p, 4) as i32,
            msg: msg.clone(),
        };
        if let Some(f) = a.attrs().u32(IFA_FLAGS) {
            a.flags = f;
        }
        a
    }

    fn attrs(&self) -> AttrTable<'_> {
        AttrTable::new(self.msg.attrs(IFADDR_LEN))
    }

    /// The local address (`IFA_LOCAL`, else `IFA_ADDRESS`).
    fn local(&self) -> Option<Vec<u8>> {
        let a = self.attrs();
        a.get(libc::IFA_LOCAL)
            .or_else(|| a.get(libc::IFA_ADDRESS))
            .map(<[u8]>::to_vec)
    }

    fn label(&self) -> Option<String> {
        self.attrs()
            .str(libc::IFA_LABEL)
            .map(|l| String::from_utf8_lossy(l).into_owned())
    }

    /// `LOCAL[ peer ADDRESS]/PLEN`.
    fn text(&self) -> String {
        let a = self.attrs();
        let f = |b: &[u8]| inet::format_addr(self.family, b);
        let mut s = String::new();
        match (a.get(libc::IFA_LOCAL), a.get(libc::IFA_ADDRESS)) {
            (Some(l), Some(p)) if l != p => s.push_str(&format!("{} peer {}", f(l), f(p))),
            (Some(l), _) => s.push_str(&f(l)),
            (None, Some(p)) => s.push_str(&f(p)),
            (None, None) => {}
        }
        s.push_str(&format!("/{}", self.plen));
        s
    }

    /// The address line(s) after the interface: `    inet ... scope S FLAGS LABEL` and
    /// `       valid_lft ... preferred_lft ...`.
    fn print(&self, out: &mut String, sl: &str) {
        let a = self.attrs();
        let fam = match self.family {
            inet::INET => "inet",
            inet::INET6 => "inet6",
            _ => "unknown",
        };
        out.push_str(&format!("    {fam} {} ", self.text()));
        if let Some(b) = a.get(libc::IFA_BROADCAST) {
            out.push_str(&format!("brd {} ", inet::format_addr(self.family, b)));
        }
        if let Some(b) = a.get(libc::IFA_ANYCAST) {
            out.push_str(&format!("any {} ", inet::format_addr(self.family, b)));
        }
        out.push_str(&format!("scope {} ", names::scope(self.scope)));
        let mut rest = self.flags & !IFA_F_PERMANENT;
        for &(bit, name) in ADDR_FLAGS {
            if rest & bit != 0 {
                let name = if bit == 0x01 && self.family == inet::INET6 {
                    "temporary"
                } else {
                    name
                };
                out.push_str(name);
                out.push(' ');
                rest &= !bit;
            }
        }
        if self.flags & IFA_F_PERMANENT == 0 {
            out.push_str("dynamic ");
        }
        if rest != 0 {
            out.push_str(&format!("flags {rest:02x} "));
        }
        if let Some(l) = self.label() {
            out.push_str(&l);
        }
        if let Some(ci) = a.get(libc::IFA_CACHEINFO) {
            let life = |v: u32| {
                if v == INFINITY {
                    "forever".to_string()
                } else {
                    format!("{v}sec")
                }
            };
            out.push_str(sl);
            out.push_str(&format!(
                "       valid_lft {} preferred_lft {}",
                life(u32_at(ci, 4)),
                life(u32_at(ci, 0))
            ));
        }
    }
}

/// Every address of `family` (0: all), in the kernel's order.
fn dump(sock: &mut Socket, family: u8) -> Res<Vec<Addr>> {
    let req = Request::new(
        libc::RTM_GETADDR,
        libc::NLM_F_DUMP as u16,
        &ifaddrmsg(family, 0, 0, 0, 0),
    );
    Ok(sock
        .dump(req)?
        .into_iter()
        .filter(|m| m.ty == libc::RTM_NEWADDR && m.payload.len() >= IFADDR_LEN)
        .map(Addr::from_msg)
        .collect())
}

/// `ip addr`: dispatches the command.
pub fn run(g: &Global, args: &[String], out: &mut String) -> Res<()> {
    let Some(cmd) = args.first() else {
        return show(g, &[], out, false);
    };
    let rest = &args[1..];
    let create = (libc::NLM_F_CREATE | libc::NLM_F_EXCL) as u16;
    let replace = (libc::NLM_F_CREATE | libc::NLM_F_REPLACE) as u16;
    if matches(cmd, "add") {
        modify(g, libc::RTM_NEWADDR, create, rest)
    } else if matches(cmd, "change") || cmd == "chg" {
        modify(g, libc::RTM_NEWADDR, libc::NLM_F_REPLACE as u16, rest)
    } else if matches(cmd, "replace") {
        modify(g, libc::RTM_NEWADDR, replace, rest)
    } else if matches(cmd, "delete") {
        modify(g, libc::RTM_DELADDR, 0, rest)
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(g, rest, out, false)
    } else if matches(cmd, "flush") {
        if rest.is_empty() {
            return Err(Fail::new("Flush requires arguments.", 1));
        }
        show(g, rest, out, true)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(Fail::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip address help\"."
        )))
    }
}

fn usage() -> Fail {
    Fail::usage(
        "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ] [ CONFFLAG-LIST ]\n\
         \x20      ip address del IFADDR dev IFNAME\n\
         \x20      ip address flush [ dev IFNAME ] [ scope SCOPE-ID ] [ label LABEL ]\n\
         \x20      ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ up ] [ label LABEL ]\n\
         \x20                        [ to PREFIX ] [ primary | secondary | dynamic | permanent ] ]\n\
         IFADDR := PREFIX [ peer PREFIX ] [ broadcast ADDR|+|- ] [ anycast ADDR ]\n\
         \x20         [ label LABEL ] [ scope SCOPE-ID ] [ metric METRIC ]\n\
         LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]\n\
         CONFFLAG := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]",
    )
}

/// What `show` and `flush` select.
#[derive(Default)]
struct Filter {
    dev: Option<String>,
    scope: Option<u8>,
    up: bool,
    label: Option<String>,
    to: Option<inet::Prefix>,
    /// Required and refused flag bits.
    flags_on: u32,
    flags_off: u32,
}

impl Filter {
    fn parse(args: &[String], family: u8) -> Res<Filter> {
        let mut f = Filter::default();
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            match a {
                "up" => f.up = true,
                "scope" => {
                    let v = next_arg(args, &mut i)?;
                    if v != "all" {
                        f.scope = Some(
                            names::parse_scope(v)
                                .ok_or_else(|| invarg("invalid \"scope\"\n", v))?,
                        );
                    }
                }
                "label" => f.label = Some(next_arg(args, &mut i)?.to_string()),
                "to" => {
                    let v = next_arg(args, &mut i)?;
                    f.to =
                        Some(inet::parse_prefix(v, family).ok_or_else(|| bad_prefix(v, family))?);
                }
                "primary" => f.flags_off |= 0x01,
                "secondary" => f.flags_on |= 0x01,
                "dynamic" => f.flags_off |= IFA_F_PERMANENT,
                "permanent" => f.flags_on |= IFA_F_PERMANENT,
                "tentative" => f.flags_on |= 0x40,
                _ => {
                    let name = if a == "dev" {
                        next_arg(args, &mut i)?
                    } else {
                        a
                    };
                    if f.dev.is_some() {
                        return Err(duparg2("dev", name));
                    }
                    f.dev = Some(name.to_string());
                }
            }
            i += 1;
        }
        Ok(f)
    }

    fn link_ok(&self, l: &Link) -> bool {
        !(self.dev.as_ref().is_some_and(|d| *d != l.name()) || (self.up && !l.is_up()))
    }

    fn addr_ok(&self, a: &Addr, family: u8) -> bool {
        if family != 0 && a.family != family {
            return false;
        }
        if self.scope.is_some_and(|s| s != a.scope) {
            return false;
        }
        if a.flags & self.flags_on != self.flags_on || a.flags & self.flags_off != 0 {
            return false;
        }
        if let Some(l) = &self.label {
            // A shell pattern, as iproute2 matches labels with fnmatch.
            let pat = Pattern::parse(l.as_bytes(), Options::default());
            if !a.label().is_some_and(|x| pat.matches(x.as_bytes())) {
                return false;
            }
        }
        if let Some(p) = &self.to {
            if p.family != 0 && p.family != a.family {
                return false;
            }
            if !a.local().is_some_and(|l| p.contains(&l)) {
                return false;
            }
        }
        true
    }
}

fn bad_prefix(v: &str, family: u8) -> Fail {
    Fail::new(
        format!(
            "Error: {} prefix is expected rather than \"{v}\".",
            inet::family_name(family)
        ),
        1,
    )
}

/// `ip addr show` (and, with `flush`, the deletion of what it would list).
fn show(g: &Global, args: &[String], out: &mut String, flush: bool) -> Res<()> {
    let packet = libc::AF_PACKET as u8;
    let mut family = if g.family == packet { 0 } else { g.family };
    let f = Filter::parse(args, family)?;
    // `to PREFIX` chooses the family as `-4`/`-6` would.
    let g = &mut g.clone();
    if let Some(p) = &f.to
        && family == 0
        && p.family != 0
    {
        family = p.family;
        g.family = family;
    }
    let g = &*g;
    let mut sock = socket()?;
    let links = Links::dump(&mut sock, 0)?;
    if let Some(d) = &f.dev
        && links.by_name(d).is_none()
    {
        return Err(Fail::new(format!("Device \"{d}\" does not exist."), 1));
    }
    if flush {
        return flush_addrs(&mut sock, &f, family, &links);
    }
    // The header lines come from the family's own link dump (IPv6's is shorter).
    // With one device named iproute2 asks for that device alone, in the full view.
    let shown = if family == inet::INET6 && f.dev.is_none() {
        Links::dump(&mut sock, family)?
    } else {
        Links {
            list: links.list.clone(),
        }
    };
    let addrs = if g.family == packet {
        Vec::new()
    } else {
        dump(&mut sock, family)?
    };
    let sl = g.sl();
    for l in &shown.list {
        if !f.link_ok(l) {
            continue;
        }
        let mine: Vec<&Addr> = addrs.iter().filter(|a| a.index == l.index).collect();
        let selected: Vec<&Addr> = mine
            .iter()
            .copied()
            .filter(|a| f.addr_ok(a, family))
            .collect();
        // A link is hidden when its addresses exist but none is selected, or when a
        // family is asked for and it has none.
        let no_addresses = mine.is_empty() && family == 0;
        if selected.is_empty() && !no_addresses && g.family != packet {
            continue;
        }
        if g.brief {
            print_brief_head(out, l, &links);
            for a in &selected {
                out.push_str(&a.text());
                out.push(' ');
            }
            out.push('\n');
            continue;
        }
        if g.oneline {
            if g.family == packet {
                print_header(out, l, &links, g, false);
                out.push('\n');
            }
            for a in &selected {
                out.push_str(&format!("{}: {}", l.index, l.name()));
                a.print(out, sl);
                out.push('\n');
            }
            continue;
        }
        // A label filter lists bare address lines, without the interface.
        if f.label.is_none() {
            print_header(out, l, &links, g, false);
            out.push('\n');
        }
        for a in &selected {
            a.print(out, sl);
            out.push('\n');
        }
        if g.stats > 0 {
            let mut stats = String::new();
            print_link_stats(&mut stats, l, g);
            if let Some(rest) = stats.strip_prefix(sl) {
                out.push_str(rest);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// Deletes what the filter selects, dumping again until nothing is left (deleting a
/// primary IPv4 address takes its secondaries with it) or ten rounds passed.
fn flush_addrs(sock: &mut Socket, f: &Filter, family: u8, links: &Links) -> Res<()> {
    for _ in 0..10 {
        let addrs = dump(sock, family)?;
        let doomed: Vec<&Addr> = addrs
            .iter()
            .filter(|a| links.get(a.index).is_some_and(|l| f.link_ok(l)) && f.addr_ok(a, family))
            .collect();
        if doomed.is_empty() {
            return Ok(());
        }
        for a in doomed {
            let req = Request::new(libc::RTM_DELADDR, 0, &a.msg.payload);
            match sock.ack(req) {
                Ok(()) => {}
                Err(e) if e.errno == libc::EADDRNOTAVAIL || e.errno == libc::ENOENT => {}
                Err(e) => {
                    return Err(Fail::new(
                        format!(
                            "Failed to send flush request: {}",
                            crate::error::strerror(&e.io())
                        ),
                        1,
                    ));
                }
            }
        }
    }
    Ok(())
}

fn lifetime(args: &[String], i: &mut usize, what: &str) -> Res<u32> {
    let v = next_arg(args, i)?;
    if v == "forever" {
        return Ok(INFINITY);
    }
    names::parse_num(v).ok_or_else(|| invarg(what, v))
}

/// `ip addr add|change|replace|del ADDR ... dev IF`.
fn modify(g: &Global, ty: u16, nlflags: u16, args: &[String]) -> Res<()> {
    let deleting = ty == libc::RTM_DELADDR;
    let mut family = if g.family == libc::AF_PACKET as u8 {
        0
    } else {
        g.family
    };
    let mut local: Option<inet::Prefix> = None;
    let mut peer: Option<inet::Prefix> = None;
    let mut brd: Option<Result<Vec<u8>, bool>> = None; // Ok(addr) or Err(+ is true)
    let mut anycast: Option<Vec<u8>> = None;
    let mut label: Option<&str> = None;
    let mut scope: Option<u8> = None;
    let mut dev: Option<&str> = None;
    let mut valid = None;
    let mut preferred = None;
    let mut metric = None;
    let mut flags = 0u32;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "peer" | "remote" => {
                let v = next_arg(args, &mut i)?;
                if peer.is_some() {
                    return Err(duparg2("peer", v));
                }
                let p = inet::parse_prefix(v, family).ok_or_else(|| bad_prefix(v, family))?;
                family = p.family;
                peer = Some(p);
            }
            "broadcast" | "brd" => {
                let v = next_arg(args, &mut i)?;
                brd = Some(match v {
                    "+" => Err(true),
                    "-" => Err(false),
                    _ => {
                        let (f, b) = inet::parse_addr(v, family).ok_or_else(|| {
                            Fail::new(
                                format!(
                                    "Error: {} address is expected rather than \"{v}\".",
                                    inet::family_name(family)
                                ),
                                1,
                            )
                        })?;
                        family = f;
                        Ok(b)
                    }
                });
            }
            "anycast" => {
                let v = next_arg(args, &mut i)?;
                let (f, b) = inet::parse_addr(v, family).ok_or_else(|| bad_prefix(v, family))?;
                family = f;
                anycast = Some(b);
            }
            "scope" => {
                let v = next_arg(args, &mut i)?;
                scope =
                    Some(names::parse_scope(v).ok_or_else(|| invarg("invalid scope value.", v))?);
            }
            "dev" => dev = Some(next_arg(args, &mut i)?),
            "label" => label = Some(next_arg(args, &mut i)?),
            "valid_lft" => valid = Some(lifetime(args, &mut i, "valid_lft value")?),
            "preferred_lft" => preferred = Some(lifetime(args, &mut i, "preferred_lft value")?),
            "metric" | "priority" | "preference" => {
                let v = next_arg(args, &mut i)?;
                metric = Some(
                    names::parse_num(v)
                        .ok_or_else(|| invarg("\"metric\" value is invalid\n", v))?,
                );
            }
            "home" => flags |= 0x10,
            "nodad" => flags |= 0x02,
            "optimistic" => flags |= 0x04,
            "mngtmpaddr" => flags |= 0x100,
            "noprefixroute" => flags |= 0x200,
            "autojoin" => flags |= 0x400,
            _ => {
                let v = if a == "local" {
                    next_arg(args, &mut i)?
                } else {
                    a
                };
                if local.is_some() {
                    return Err(duparg2("local", v));
                }
                let p = inet::parse_prefix(v, family).ok_or_else(|| bad_prefix(v, family))?;
                family = p.family;
                local = Some(p);
            }
        }
        i += 1;
    }
    let Some(dev) = dev else {
        return Err(Fail::new(
            "Not enough information: \"dev\" argument is required.",
            1,
        ));
    };
    let Some(lcl) = local else {
        return Err(Fail::new(
            "Not enough information: \"local\" argument is required.",
            1,
        ));
    };
    let mut sock = socket()?;
    let index = index_of(&mut sock, dev)?;
    let plen = match &peer {
        Some(p) => p.len,
        None => lcl.len,
    };
    let scope = scope.unwrap_or({
        if !deleting && lcl.family == inet::INET && lcl.addr.first() == Some(&127) {
            libc::RT_SCOPE_HOST
        } else {
            0
        }
    });
    let small_flags = if flags <= 0xff { flags as u8 } else { 0 };
    let mut req = Request::new(
        ty,
        nlflags,
        &ifaddrmsg(lcl.family, plen, small_flags, scope, index),
    );
    req.attr(libc::IFA_LOCAL, &lcl.addr);
    if let Some(p) = &peer {
        req.attr(libc::IFA_ADDRESS, &p.addr);
    } else if lcl.len_given || !deleting {
        req.attr(libc::IFA_ADDRESS, &lcl.addr);
    }
    if deleting && !lcl.len_given && peer.is_none() && lcl.family == inet::INET {
        wildcard_warning(g, &lcl);
    }
    if let Some(l) = label {
        req.attr_str(libc::IFA_LABEL, l.as_bytes());
    }
    match brd {
        Some(Ok(b)) => {
            req.attr(libc::IFA_BROADCAST, &b);
        }
        Some(Err(all_ones)) if !deleting => {
            if lcl.family != inet::INET {
                return Err(Fail::new("Broadcast can be set only for IPv4 addresses", 1));
            }
            if plen <= 30 {
                let base = peer.as_ref().map_or(&lcl.addr, |p| &p.addr);
                let b = if all_ones {
                    inet::broadcast(base, plen)
                } else {
                    let ones = inet::broadcast(base, plen);
                    let mask = inet::broadcast(&[0; 4], plen);
                    ones.iter().zip(mask).map(|(o, m)| o & !m).collect()
                };
                req.attr(libc::IFA_BROADCAST, &b);
            }
        }
        _ => {}
    }
    if let Some(a) = &anycast {
        req.attr(libc::IFA_ANYCAST, a);
    }
    if flags > 0xff {
        req.attr_u32(IFA_FLAGS, flags);
    }
    if let Some(m) = metric {
        req.attr_u32(IFA_RT_PRIORITY, m);
    }
    if valid.is_some() || preferred.is_some() {
        let v = valid.unwrap_or(INFINITY);
        let p = preferred.unwrap_or(v);
        if p > v {
            return Err(Fail::new("preferred_lft is greater than valid_lft", 1));
        }
        let mut ci = Vec::with_capacity(16);
        ci.extend_from_slice(&p.to_ne_bytes());
        ci.extend_from_slice(&v.to_ne_bytes());
        ci.extend_from_slice(&[0; 8]);
        req.attr(libc::IFA_CACHEINFO, &ci);
    }
    sock.ack(req)?;
    Ok(())
}

/// iproute2's warning for `ip addr del A.B.C.D dev IF` without a prefix length.
fn wildcard_warning(g: &Global, lcl: &inet::Prefix) {
    g.warn(format!(
        "Warning: Executing wildcard deletion to stay compatible with old scripts.\n\
         \x20        Explicitly specify the prefix length ({}/{}) to avoid this warning.\n\
         \x20        This special behaviour is likely to disappear in further releases,\n\
         \x20        fix your scripts!",
        inet::format_addr(lcl.family, &lcl.addr),
        lcl.len
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr_msg(attrs: &[(u16, &[u8])], flags: u8, scope: u8) -> Addr {
        let mut r = Request::new(
            libc::RTM_NEWADDR,
            0,
            &ifaddrmsg(inet::INET, 24, flags, scope, 2),
        );
        for (t, d) in attrs {
            r.attr(*t, d);
        }
        let payload = r.bytes(0)[16..].to_vec();
        Addr::from_msg(Message {
            ty: libc::RTM_NEWADDR,
            flags: 0,
            seq: 0,
            payload,
        })
    }

    #[test]
    fn an_ipv4_address_line_reads_like_iproute2() {
        let mut ci = Vec::new();
        for v in [INFINITY, INFINITY, 0, 0] {
            ci.extend_from_slice(&v.to_ne_bytes());
        }
        let a = addr_msg(
            &[
                (libc::IFA_ADDRESS, &[10, 0, 0, 2]),
                (libc::IFA_LOCAL, &[10, 0, 0, 2]),
                (libc::IFA_BROADCAST, &[10, 0, 0, 255]),
                (libc::IFA_LABEL, b"v1:x\0"),
                (libc::IFA_CACHEINFO, &ci),
            ],
            0x80 | 0x01,
            0,
        );
        let mut out = String::new();
        a.print(&mut out, "\n");
        assert_eq!(
            out,
            "    inet 10.0.0.2/24 brd 10.0.0.255 scope global secondary v1:x\n       valid_lft forever preferred_lft forever"
        );
    }

    #[test]
    fn a_peer_address_shows_both_ends_and_dynamic_without_permanent() {
        let a = addr_msg(
            &[
                (libc::IFA_ADDRESS, &[10, 0, 1, 2]),
                (libc::IFA_LOCAL, &[10, 0, 1, 1]),
            ],
            0,
            0,
        );
        assert_eq!(a.text(), "10.0.1.1 peer 10.0.1.2/24");
        let mut out = String::new();
        a.print(&mut out, "\\");
        assert_eq!(
            out,
            "    inet 10.0.1.1 peer 10.0.1.2/24 scope global dynamic "
        );
    }
}
