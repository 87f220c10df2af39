//! `ip route`: list a table (main by default, `table all` for every one), add, change,
//! replace, prepend, append and delete routes, and `get` the route to an address.

use super::link::{Links, index_of};
use super::{Fail, Global, Res, duparg2, inet, invarg, matches, names, next_arg, socket};
use crate::common::netlink::{AttrTable, Message, Request, u32_at};

/// `struct rtmsg` is 12 bytes.
const RTMSG_LEN: usize = 12;
/// `RTA_PREF` (IPv6 router preference) and `RTA_UID`.
const RTA_PREF: u16 = 20;
const RTA_UID: u16 = 25;
const RTA_MARK: u16 = 16;
const RT_TABLE_MAIN: u32 = 254;
const RTPROT_BOOT: u8 = 3;
/// `RTNH_F_ONLINK`.
const ONLINK: u32 = 4;

/// Route flags, in iproute2's order.
const ROUTE_FLAGS: &[(u32, &str)] = &[
    (1, "dead"),
    (4, "onlink"),
    (2, "pervasive"),
    (8, "offload"),
    (0x40, "trap"),
    (0x100, "notify"),
    (0x10, "linkdown"),
    (0x20, "unresolved"),
    (0x4000, "rt_offload"),
    (0x8000, "rt_trap"),
    (0x2000_0000, "rt_offload_failed"),
];

/// The `RTAX_*` metrics iproute2 prints by name (index = attribute type).
const METRICS: [&str; 18] = [
    "",
    "lock",
    "mtu",
    "window",
    "rtt",
    "rttvar",
    "ssthresh",
    "cwnd",
    "advmss",
    "reordering",
    "hoplimit",
    "initcwnd",
    "features",
    "rto_min",
    "initrwnd",
    "quickack",
    "congctl",
    "fastopen_no_cookie",
];

/// An encoded `rtmsg`.
#[allow(clippy::too_many_arguments)]
fn rtmsg(
    family: u8,
    dst_len: u8,
    src_len: u8,
    table: u8,
    proto: u8,
    scope: u8,
    ty: u8,
    flags: u32,
) -> [u8; RTMSG_LEN] {
    let mut b = [
        family, dst_len, src_len, 0, table, proto, scope, ty, 0, 0, 0, 0,
    ];
    b[8..12].copy_from_slice(&flags.to_ne_bytes());
    b
}

/// One route as `RTM_NEWROUTE` describes it.
struct Route {
    family: u8,
    dst_len: u8,
    src_len: u8,
    tos: u8,
    table: u32,
    proto: u8,
    scope: u8,
    ty: u8,
    flags: u32,
    msg: Message,
}

impl Route {
    fn from_msg(msg: Message) -> Route {
        let p = &msg.payload;
        let mut r = Route {
            family: p[0],
            dst_len: p[1],
            src_len: p[2],
            tos: p[3],
            table: p[4] as u32,
            proto: p[5],
            scope: p[6],
            ty: p[7],
            flags: u32_at(p, 8),
            msg: msg.clone(),
        };
        if let Some(t) = r.attrs().u32(libc::RTA_TABLE) {
            r.table = t;
        }
        r
    }

    fn attrs(&self) -> AttrTable<'_> {
        AttrTable::new(self.msg.attrs(RTMSG_LEN))
    }

    fn addr(&self, b: &[u8]) -> String {
        inet::format_addr(self.family, b)
    }
}

/// What `show` selects, and so leaves out of each line.
#[derive(Default)]
struct Filter {
    /// `None`: every table.
    table: Option<u32>,
    dev: Option<u32>,
    proto: Option<u8>,
    scope: Option<u8>,
    ty: Option<u8>,
    via: Option<Vec<u8>>,
    src: Option<Vec<u8>>,
    /// Routes inside this prefix (`root`) and routes containing it (`match`).
    root: Option<inet::Prefix>,
    matching: Option<inet::Prefix>,
}

impl Filter {
    fn accepts(&self, r: &Route) -> bool {
        let a = r.attrs();
        if self.table.is_some_and(|t| t != r.table)
            || self.proto.is_some_and(|p| p != r.proto)
            || self.scope.is_some_and(|s| s != r.scope)
            || self.ty.is_some_and(|t| t != r.ty)
        {
            return false;
        }
        if self.dev.is_some() && a.u32(libc::RTA_OIF) != self.dev {
            return false;
        }
        if let Some(v) = &self.via
            && a.get(libc::RTA_GATEWAY) != Some(v.as_slice())
        {
            return false;
        }
        if let Some(s) = &self.src
            && a.get(libc::RTA_PREFSRC) != Some(s.as_slice())
        {
            return false;
        }
        let host = inet::host_len(r.family) as usize / 8;
        let zero = vec![0u8; host];
        let dst = a.get(libc::RTA_DST).unwrap_or(&zero);
        if let Some(p) = &self.root
            && (r.dst_len < p.len || !inet::prefix_bits_equal(dst, &p.addr, p.len))
        {
            return false;
        }
        if let Some(p) = &self.matching
            && (r.dst_len > p.len || !inet::prefix_bits_equal(dst, &p.addr, r.dst_len))
        {
            return false;
        }
        true
    }
}

/// One route line, as iproute2 prints it.
fn print(out: &mut String, r: &Route, links: &Links, f: &Filter, sl: &str) {
    let a = r.attrs();
    if r.ty != libc::RTN_UNICAST {
        out.push_str(&names::route_type(r.ty));
        out.push(' ');
    }
    let host = inet::host_len(r.family);
    match a.get(libc::RTA_DST) {
        Some(d) if r.dst_len != host => out.push_str(&format!("{}/{} ", r.addr(d), r.dst_len)),
        Some(d) => out.push_str(&format!("{} ", r.addr(d))),
        None if r.dst_len != 0 => out.push_str(&format!("0/{} ", r.dst_len)),
        None => out.push_str("default "),
    }
    match a.get(libc::RTA_SRC) {
        Some(s) if r.src_len != host => out.push_str(&format!("from {}/{} ", r.addr(s), r.src_len)),
        Some(s) => out.push_str(&format!("from {} ", r.addr(s))),
        None if r.src_len != 0 => out.push_str(&format!("from 0/{} ", r.src_len)),
        None => {}
    }
    if r.tos != 0 {
        out.push_str(&format!("tos 0x{:02x} ", r.tos));
    }
    if let Some(g) = a.get(libc::RTA_GATEWAY)
        && f.via.is_none()
    {
        out.push_str(&format!("via {} ", r.addr(g)));
    }
    if let Some(oif) = a.u32(libc::RTA_OIF)
        && f.dev.is_none()
    {
        out.push_str(&format!("dev {} ", links.name_of(oif)));
    }
    if r.table != RT_TABLE_MAIN && f.table.is_none() {
        out.push_str(&format!("table {} ", names::table(r.table)));
    }
    if r.flags & libc::RTM_F_CLONED == 0 {
        if r.proto != RTPROT_BOOT && f.proto.is_none() {
            out.push_str(&format!("proto {} ", names::protocol(r.proto)));
        }
        if r.scope != libc::RT_SCOPE_UNIVERSE && f.scope.is_none() {
            out.push_str(&format!("scope {} ", names::scope(r.scope)));
        }
    }
    if let Some(s) = a.get(libc::RTA_PREFSRC)
        && f.src.is_none()
    {
        out.push_str(&format!("src {} ", r.addr(s)));
    }
    if let Some(m) = a.u32(libc::RTA_PRIORITY) {
        out.push_str(&format!("metric {m} "));
    }
    for &(bit, name) in ROUTE_FLAGS {
        if r.flags & bit != 0 {
            out.push_str(name);
            out.push(' ');
        }
    }
    if let Some(m) = a.u32(RTA_MARK) {
        out.push_str(&format!("mark 0x{m:x} "));
    }
    if let Some(u) = a.u32(RTA_UID) {
        out.push_str(&format!("uid {u} "));
    }
    if r.flags & libc::RTM_F_CLONED != 0 && r.family == inet::INET {
        out.push_str(sl);
        out.push_str("    cache ");
        let cache_flags = [
            (0x8000_0000u32, "local"),
            (0x4000_0000, "reject"),
            (0x2000_0000, "mc"),
            (0x1000_0000, "brd"),
            (0x0400_0000, "src-direct"),
            (0x0200_0000, "redirected"),
            (0x0100_0000, "redirect"),
        ];
        let words: Vec<&str> = cache_flags
            .iter()
            .filter(|(b, _)| r.flags & b != 0)
            .map(|(_, n)| *n)
            .collect();
        if !words.is_empty() {
            out.push_str(&format!("<{}> ", words.join(",")));
        }
    }
    if let Some(m) = a.nested(libc::RTA_METRICS) {
        for (i, name) in METRICS.iter().enumerate().skip(2) {
            if let Some(v) = m.u32(i as u16) {
                if i == 16 {
                    continue;
                }
                out.push_str(&format!("{name} {v} "));
            }
        }
    }
    if let Some(p) = a.u8(RTA_PREF) {
        let word = match p {
            0 => "medium".to_string(),
            1 => "high".to_string(),
            3 => "low".to_string(),
            n => n.to_string(),
        };
        out.push_str(&format!("pref {word}"));
    }
}

/// `ip route`: dispatches the command.
pub fn run(g: &Global, args: &[String], out: &mut String) -> Res<()> {
    let Some(cmd) = args.first() else {
        return show(g, &[], out);
    };
    let rest = &args[1..];
    let c = libc::NLM_F_CREATE as u16;
    if matches(cmd, "add") {
        modify(g, libc::RTM_NEWROUTE, c | libc::NLM_F_EXCL as u16, rest)
    } else if matches(cmd, "change") || cmd == "chg" {
        modify(g, libc::RTM_NEWROUTE, libc::NLM_F_REPLACE as u16, rest)
    } else if matches(cmd, "replace") {
        modify(g, libc::RTM_NEWROUTE, c | libc::NLM_F_REPLACE as u16, rest)
    } else if matches(cmd, "prepend") {
        modify(g, libc::RTM_NEWROUTE, c, rest)
    } else if matches(cmd, "append") {
        modify(g, libc::RTM_NEWROUTE, c | libc::NLM_F_APPEND as u16, rest)
    } else if matches(cmd, "delete") {
        modify(g, libc::RTM_DELROUTE, 0, rest)
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(g, rest, out)
    } else if matches(cmd, "get") {
        get(g, rest, out)
    } else if matches(cmd, "flush") {
        flush(g, rest)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(Fail::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip route help\"."
        )))
    }
}

fn usage() -> Fail {
    Fail::usage(
        "Usage: ip route { list | show } [ SELECTOR ]\n\
         \x20      ip route get ADDRESS [ from ADDRESS ] [ oif STRING ]\n\
         \x20      ip route { add | del | change | append | replace } ROUTE\n\
         SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n\
         \x20           [ table TABLE_ID ] [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ]\n\
         \x20           [ dev STRING ] [ via ADDRESS ] [ src ADDRESS ]\n\
         ROUTE := [ TYPE ] PREFIX [ via ADDRESS ] [ dev STRING ] [ src ADDRESS ]\n\
         \x20        [ metric NUMBER ] [ table TABLE_ID ] [ proto RTPROTO ] [ scope SCOPE ]\n\
         \x20        [ mtu NUMBER ] [ advmss NUMBER ] [ onlink ] [ pref PREF ]\n\
         TYPE := { unicast | local | broadcast | multicast | throw |\n\
         \x20         unreachable | prohibit | blackhole | nat }",
    )
}

fn table_arg(v: &str) -> Res<u32> {
    names::parse_table(v).ok_or_else(|| invarg("table id value is invalid\n", v))
}

fn addr_arg(v: &str, family: u8) -> Res<(u8, Vec<u8>)> {
    inet::parse_addr(v, family).ok_or_else(|| {
        Fail::new(
            format!(
                "Error: {} address is expected rather than \"{v}\".",
                inet::family_name(family)
            ),
            1,
        )
    })
}

fn prefix_arg(v: &str, family: u8) -> Res<inet::Prefix> {
    inet::parse_prefix(v, family).ok_or_else(|| {
        Fail::new(
            format!(
                "Error: {} prefix is expected rather than \"{v}\".",
                inet::family_name(family)
            ),
            1,
        )
    })
}

/// `ip route show [SELECTOR]`.
fn show(g: &Global, args: &[String], out: &mut String) -> Res<()> {
    let (f, family, links, mut sock) = selector(g, args)?;
    for r in dump(&mut sock, family, &f)? {
        print(out, &r, &links, &f, g.sl());
        out.push('\n');
    }
    Ok(())
}

/// `ip route flush SELECTOR`: deletes what `show` would list, dumping again until
/// nothing is left (at most ten rounds).
fn flush(g: &Global, args: &[String]) -> Res<()> {
    if args.is_empty() {
        return Err(Fail::new("\"ip route flush\" requires arguments.", 1));
    }
    let (f, family, _links, mut sock) = selector(g, args)?;
    for _ in 0..10 {
        let doomed = dump(&mut sock, family, &f)?;
        if doomed.is_empty() {
            break;
        }
        for r in doomed {
            let req = Request::new(libc::RTM_DELROUTE, 0, &r.msg.payload);
            match sock.ack(req) {
                Ok(()) => {}
                Err(e) if e.errno == libc::ESRCH || e.errno == libc::ENOENT => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// The routes of `family` that `f` selects, in the kernel's order.
fn dump(sock: &mut crate::common::netlink::Socket, family: u8, f: &Filter) -> Res<Vec<Route>> {
    let req = Request::new(
        libc::RTM_GETROUTE,
        libc::NLM_F_DUMP as u16,
        &rtmsg(family, 0, 0, 0, 0, 0, 0, 0),
    );
    let mut req = req;
    if let Some(t) = f.table
        && t != RT_TABLE_MAIN
    {
        // The kernel filters by table and refuses one that does not exist (as iproute2
        // asks, the main table is not named: a new namespace has none yet).
        let _ = sock.set_strict();
        req.attr_u32(libc::RTA_TABLE, t);
    }
    let msgs = sock.dump(req).map_err(|e| {
        let mut fail = Fail::from(e);
        fail.text.push_str("\nDump terminated");
        fail
    })?;
    let mut out = Vec::new();
    for m in msgs {
        if m.ty != libc::RTM_NEWROUTE || m.payload.len() < RTMSG_LEN {
            continue;
        }
        let r = Route::from_msg(m);
        if family != 0 && r.family != family {
            continue;
        }
        // The IPv4 route cache and IPv6 clones are not part of a table listing.
        if r.flags & libc::RTM_F_CLONED != 0 || !f.accepts(&r) {
            continue;
        }
        out.push(r);
    }
    Ok(out)
}

/// Parses a SELECTOR: the filter, the family to dump, the links and the socket.
fn selector(
    g: &Global,
    args: &[String],
) -> Res<(Filter, u8, Links, crate::common::netlink::Socket)> {
    let mut f = Filter {
        table: Some(RT_TABLE_MAIN),
        ..Filter::default()
    };
    let mut family = g.family;
    let mut dev_name: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        // iproute2 accepts any abbreviation of these keywords, tried in this order.
        let kw = ["table", "protocol", "scope", "type", "root", "match"]
            .into_iter()
            .find(|k| !a.is_empty() && matches(a, k))
            .unwrap_or(a);
        match kw {
            "table" => {
                let t = table_arg(next_arg(args, &mut i)?)?;
                f.table = if t == 0 { None } else { Some(t) };
            }
            "dev" | "oif" => dev_name = Some(next_arg(args, &mut i)?),
            "protocol" => {
                let v = next_arg(args, &mut i)?;
                if v != "all" {
                    f.proto = Some(
                        names::parse_protocol(v)
                            .ok_or_else(|| invarg("invalid \"protocol\"\n", v))?,
                    );
                }
            }
            "scope" => {
                let v = next_arg(args, &mut i)?;
                if v != "all" {
                    f.scope = Some(
                        names::parse_scope(v)
                            .ok_or_else(|| invarg("invalid \"scope\" value\n", v))?,
                    );
                }
            }
            "type" => {
                let v = next_arg(args, &mut i)?;
                f.ty = Some(
                    names::parse_route_type(v)
                        .ok_or_else(|| invarg("node type value is invalid\n", v))?,
                );
            }
            "via" => {
                let (fam, b) = addr_arg(next_arg(args, &mut i)?, family)?;
                family = fam;
                f.via = Some(b);
            }
            "src" => {
                let (fam, b) = addr_arg(next_arg(args, &mut i)?, family)?;
                family = fam;
                f.src = Some(b);
            }
            "root" => {
                let p = prefix_arg(next_arg(args, &mut i)?, family)?;
                family = p.family;
                f.root = Some(p);
            }
            "match" => {
                let p = prefix_arg(next_arg(args, &mut i)?, family)?;
                family = p.family;
                f.matching = Some(p);
            }
            "all" => {}
            _ => {
                let v = if a == "exact" || a == "to" {
                    next_arg(args, &mut i)?
                } else {
                    a
                };
                let p = prefix_arg(v, family)?;
                if p.family != 0 {
                    family = p.family;
                }
                f.root = Some(p.clone());
                f.matching = Some(p);
            }
        }
        i += 1;
    }
    // Without a table or family choice iproute2 lists IPv4 only.
    if family == 0 && f.table.is_some() {
        family = inet::INET;
    }
    for p in [&mut f.root, &mut f.matching].into_iter().flatten() {
        if p.addr.is_empty() {
            p.addr = vec![0; inet::host_len(family) as usize / 8];
        }
    }
    let mut sock = socket()?;
    let links = Links::dump(&mut sock, 0)?;
    if let Some(d) = dev_name {
        match links.by_name(d) {
            Some(l) => f.dev = Some(l.index as u32),
            None => return Err(Fail::new(format!("Cannot find device \"{d}\""), 1)),
        }
    }
    Ok((f, family, links, sock))
}

/// `ip route add|change|replace|prepend|append|del ROUTE`.
fn modify(g: &Global, ty: u16, nlflags: u16, args: &[String]) -> Res<()> {
    let deleting = ty == libc::RTM_DELROUTE;
    let mut family = if g.family == libc::AF_PACKET as u8 {
        0
    } else {
        g.family
    };
    let mut dst: Option<inet::Prefix> = None;
    let mut from: Option<inet::Prefix> = None;
    let mut rtype: Option<u8> = None;
    let mut gw: Option<Vec<u8>> = None;
    let mut prefsrc: Option<Vec<u8>> = None;
    let mut dev: Option<&str> = None;
    let mut metric = None;
    let mut table = RT_TABLE_MAIN;
    let mut proto = None;
    let mut scope = None;
    let mut pref = None;
    let mut flags = 0u32;
    let mut metrics: Vec<(u16, u32)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "via" => {
                let mut v = next_arg(args, &mut i)?;
                if v == "inet" || v == "inet6" {
                    v = next_arg(args, &mut i)?;
                }
                let (fam, b) = addr_arg(v, family)?;
                family = fam;
                gw = Some(b);
            }
            "src" => {
                let (fam, b) = addr_arg(next_arg(args, &mut i)?, family)?;
                family = fam;
                prefsrc = Some(b);
            }
            "from" => {
                let p = prefix_arg(next_arg(args, &mut i)?, family)?;
                family = p.family;
                from = Some(p);
            }
            "dev" | "oif" => dev = Some(next_arg(args, &mut i)?),
            "metric" | "priority" | "preference" => {
                let v = next_arg(args, &mut i)?;
                metric = Some(
                    names::parse_num(v)
                        .ok_or_else(|| invarg("\"metric\" value is invalid\n", v))?,
                );
            }
            "table" | "vrf" => {
                let v = next_arg(args, &mut i)?;
                table = names::parse_table(v)
                    .ok_or_else(|| invarg("\"table\" value is invalid\n", v))?;
            }
            "proto" | "protocol" => {
                let v = next_arg(args, &mut i)?;
                proto = Some(
                    names::parse_protocol(v)
                        .ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?,
                );
            }
            "scope" => {
                let v = next_arg(args, &mut i)?;
                scope = Some(
                    names::parse_scope(v).ok_or_else(|| invarg("invalid \"scope\" value\n", v))?,
                );
            }
            "onlink" => flags |= ONLINK,
            "pref" => {
                let v = next_arg(args, &mut i)?;
                pref = Some(match v {
                    "low" => 3u8,
                    "medium" => 0,
                    "high" => 1,
                    _ => return Err(invarg("\"pref\" value is invalid\n", v)),
                });
            }
            "mtu" | "advmss" | "window" | "initcwnd" | "initrwnd" | "hoplimit" => {
                let v = next_arg(args, &mut i)?;
                let n = names::parse_num(v)
                    .ok_or_else(|| invarg(&format!("\"{a}\" value is invalid\n"), v))?;
                let idx = METRICS.iter().position(|m| *m == a).unwrap_or(2) as u16;
                metrics.push((idx, n));
            }
            _ => {
                let mut v = a;
                if v == "to" {
                    v = next_arg(args, &mut i)?;
                }
                if dst.is_none()
                    && rtype.is_none()
                    && !v.starts_with(|c: char| c.is_ascii_digit())
                    && let Some(t) = names::parse_route_type(v)
                {
                    rtype = Some(t);
                    v = next_arg(args, &mut i)?;
                }
                if dst.is_some() {
                    return Err(duparg2("to", v));
                }
                let p = prefix_arg(v, family)?;
                if p.family != 0 {
                    family = p.family;
                }
                dst = Some(p);
            }
        }
        i += 1;
    }
    if family == 0 {
        family = inet::INET;
    }
    let Some(mut dst) = dst else {
        return Err(usage());
    };
    if dst.addr.is_empty() {
        dst.addr = vec![0; inet::host_len(family) as usize / 8];
        dst.family = family;
    }
    let rtype = rtype.unwrap_or(if deleting { 0 } else { libc::RTN_UNICAST });
    let proto = proto.unwrap_or(if deleting { 0 } else { RTPROT_BOOT });
    let scope = scope.unwrap_or({
        if family == inet::INET6 {
            libc::RT_SCOPE_UNIVERSE
        } else if rtype == libc::RTN_LOCAL || rtype == libc::RTN_NAT {
            libc::RT_SCOPE_HOST
        } else if matches!(
            rtype,
            libc::RTN_BROADCAST | libc::RTN_MULTICAST | libc::RTN_ANYCAST
        ) {
            libc::RT_SCOPE_LINK
        } else if deleting {
            libc::RT_SCOPE_NOWHERE
        } else if gw.is_none() {
            libc::RT_SCOPE_LINK
        } else {
            libc::RT_SCOPE_UNIVERSE
        }
    });
    let (tb8, tb_attr) = if table < 256 {
        (table as u8, None)
    } else {
        (0, Some(table))
    };
    let mut sock = socket()?;
    let oif = match dev {
        Some(d) => Some(index_of(&mut sock, d)?),
        None => None,
    };
    let mut req = Request::new(
        ty,
        nlflags,
        &rtmsg(
            family,
            dst.len,
            from.as_ref().map_or(0, |p| p.len),
            tb8,
            proto,
            scope,
            rtype,
            flags,
        ),
    );
    if dst.len != 0 || !dst.is_any() {
        req.attr(libc::RTA_DST, &dst.addr);
    }
    if let Some(p) = &from {
        req.attr(libc::RTA_SRC, &p.addr);
    }
    if let Some(t) = tb_attr {
        req.attr_u32(libc::RTA_TABLE, t);
    }
    if let Some(g) = &gw {
        req.attr(libc::RTA_GATEWAY, g);
    }
    if let Some(s) = &prefsrc {
        req.attr(libc::RTA_PREFSRC, s);
    }
    if let Some(o) = oif {
        req.attr_u32(libc::RTA_OIF, o as u32);
    }
    if let Some(m) = metric {
        req.attr_u32(libc::RTA_PRIORITY, m);
    }
    if let Some(p) = pref {
        req.attr(RTA_PREF, &[p]);
    }
    if !metrics.is_empty() {
        let n = req.nest_begin(libc::RTA_METRICS);
        for (t, v) in &metrics {
            req.attr_u32(*t, *v);
        }
        req.nest_end(n);
    }
    sock.ack(req)?;
    Ok(())
}

/// `ip route get ADDR [from ADDR] [oif IF] [iif IF]`: the kernel's choice, printed with
/// its cache line.
fn get(g: &Global, args: &[String], out: &mut String) -> Res<()> {
    let mut family = g.family;
    let mut dst: Option<inet::Prefix> = None;
    let mut from: Option<inet::Prefix> = None;
    let mut oif: Option<&str> = None;
    let mut iif: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "from" => {
                let p = prefix_arg(next_arg(args, &mut i)?, family)?;
                family = p.family;
                from = Some(p);
            }
            "oif" | "dev" => oif = Some(next_arg(args, &mut i)?),
            "iif" => iif = Some(next_arg(args, &mut i)?),
            _ => {
                let v = if a == "to" {
                    next_arg(args, &mut i)?
                } else {
                    a
                };
                if dst.is_some() {
                    return Err(duparg2("to", v));
                }
                let p = prefix_arg(v, family)?;
                family = p.family;
                dst = Some(p);
            }
        }
        i += 1;
    }
    let Some(dst) = dst else {
        return Err(Fail::new("need at least a destination address", 1));
    };
    if family == 0 {
        family = inet::INET;
    }
    let mut sock = socket()?;
    let links = Links::dump(&mut sock, 0)?;
    let mut req = Request::new(
        libc::RTM_GETROUTE,
        0,
        &rtmsg(
            family,
            if dst.addr.is_empty() { 0 } else { dst.len },
            from.as_ref().map_or(0, |p| p.len),
            0,
            0,
            0,
            0,
            0,
        ),
    );
    if !dst.addr.is_empty() {
        req.attr(libc::RTA_DST, &dst.addr);
    }
    if let Some(p) = &from {
        req.attr(libc::RTA_SRC, &p.addr);
    }
    for (name, attr) in [(iif, libc::RTA_IIF), (oif, libc::RTA_OIF)] {
        if let Some(n) = name {
            let ix = index_of(&mut sock, n)?;
            req.attr_u32(attr, ix as u32);
        }
    }
    let m = sock.call(req)?;
    if m.ty != libc::RTM_NEWROUTE || m.payload.len() < RTMSG_LEN {
        return Err(Fail::new("An error :-)", 1));
    }
    let r = Route::from_msg(m);
    print(out, &r, &links, &Filter::default(), g.sl());
    out.push('\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(fixed: [u8; RTMSG_LEN], attrs: &[(u16, &[u8])]) -> Route {
        let mut r = Request::new(libc::RTM_NEWROUTE, 0, &fixed);
        for (t, d) in attrs {
            r.attr(*t, d);
        }
        let payload = r.bytes(0)[16..].to_vec();
        Route::from_msg(Message {
            ty: libc::RTM_NEWROUTE,
            flags: 0,
            seq: 0,
            payload,
        })
    }

    fn no_links() -> Links {
        Links { list: Vec::new() }
    }

    #[test]
    fn a_default_route_via_a_gateway() {
        let r = route(
            rtmsg(inet::INET, 0, 0, 254, 3, 0, 1, 0),
            &[
                (libc::RTA_GATEWAY, &[10, 0, 0, 254]),
                (libc::RTA_OIF, &3u32.to_ne_bytes()),
            ],
        );
        let mut out = String::new();
        print(&mut out, &r, &no_links(), &Filter::default(), "\n");
        assert_eq!(out, "default via 10.0.0.254 dev if3 ");
    }

    #[test]
    fn a_kernel_prefix_route_and_an_ipv6_one() {
        let r = route(
            rtmsg(inet::INET, 24, 0, 254, 2, 253, 1, 0x10),
            &[
                (libc::RTA_DST, &[10, 0, 0, 0]),
                (libc::RTA_PREFSRC, &[10, 0, 0, 1]),
            ],
        );
        let mut out = String::new();
        let f = Filter {
            table: Some(254),
            ..Filter::default()
        };
        print(&mut out, &r, &no_links(), &f, "\n");
        assert_eq!(
            out,
            "10.0.0.0/24 proto kernel scope link src 10.0.0.1 linkdown "
        );
        let dst = inet::parse_addr("2001:db8::", 0).unwrap().1;
        let r = route(
            rtmsg(inet::INET6, 64, 0, 255, 2, 0, 2, 0),
            &[
                (libc::RTA_DST, &dst),
                (libc::RTA_PRIORITY, &256u32.to_ne_bytes()),
                (RTA_PREF, &[0]),
            ],
        );
        let mut out = String::new();
        print(&mut out, &r, &no_links(), &Filter::default(), "\n");
        assert_eq!(
            out,
            "local 2001:db8::/64 table local proto kernel metric 256 pref medium"
        );
    }

    #[test]
    fn exact_prefix_filters_select_one_route() {
        let r = route(
            rtmsg(inet::INET, 24, 0, 254, 2, 253, 1, 0),
            &[(libc::RTA_DST, &[10, 0, 0, 0])],
        );
        let p = inet::parse_prefix("10.0.0.0/24", 0).unwrap();
        let f = Filter {
            root: Some(p.clone()),
            matching: Some(p),
            ..Filter::default()
        };
        assert!(f.accepts(&r));
        let p = inet::parse_prefix("10.0.0.0/16", 0).unwrap();
        let f = Filter {
            root: Some(p.clone()),
            matching: Some(p),
            ..Filter::default()
        };
        assert!(!f.accepts(&r));
    }
}
