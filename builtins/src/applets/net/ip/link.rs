//! `ip link`: the interface list (shared with `ip addr`, which prints the same header
//! lines), `set` (flags, mtu, name, address, txqueuelen, master), and `add`/`del` of
//! veth pairs and bridges.

use super::{Fail, Global, Res, duparg2, inet, invarg, matches, names, next_arg, socket};
use crate::common::netlink::{AttrTable, Message, Request, Socket, u16_at, u32_at, u64_at};

/// `struct ifinfomsg` is 16 bytes.
pub const IFINFO_LEN: usize = 16;
/// `VETH_INFO_PEER`: the nested peer description inside a veth's `IFLA_INFO_DATA`.
const VETH_INFO_PEER: u16 = 1;

/// An encoded `ifinfomsg`.
pub fn ifinfomsg(family: u8, index: i32, flags: u32, change: u32) -> [u8; IFINFO_LEN] {
    let mut b = [0u8; IFINFO_LEN];
    b[0] = family;
    b[4..8].copy_from_slice(&index.to_ne_bytes());
    b[8..12].copy_from_slice(&flags.to_ne_bytes());
    b[12..16].copy_from_slice(&change.to_ne_bytes());
    b
}

/// One interface as `RTM_NEWLINK` describes it.
#[derive(Debug, Clone)]
pub struct Link {
    /// The interface index.
    pub index: i32,
    /// `ARPHRD_*` hardware type.
    pub hw: u16,
    /// `IFF_*` flags.
    pub flags: u32,
    /// The message, for its attributes.
    msg: Message,
}

impl Link {
    fn from_msg(msg: Message) -> Link {
        let p = &msg.payload;
        Link {
            index: u32_at(p, 4) as i32,
            hw: u16_at(p, 2),
            flags: u32_at(p, 8),
            msg,
        }
    }

    /// The attributes.
    pub fn attrs(&self) -> AttrTable<'_> {
        AttrTable::new(self.msg.attrs(IFINFO_LEN))
    }

    /// The interface name.
    pub fn name(&self) -> String {
        let a = self.attrs();
        String::from_utf8_lossy(a.str(libc::IFLA_IFNAME).unwrap_or(b"")).into_owned()
    }

    /// Whether the interface is up (`IFF_UP`).
    pub fn is_up(&self) -> bool {
        self.flags & libc::IFF_UP as u32 != 0
    }
}

/// Every interface, in the kernel's order.
pub struct Links {
    /// The interfaces.
    pub list: Vec<Link>,
}

impl Links {
    /// Dumps the interfaces; `family` other than 0 asks that family's view
    /// (`AF_INET6` gives the short one iproute2 prints for `ip -6 addr`).
    pub fn dump(sock: &mut Socket, family: u8) -> Res<Links> {
        let req = Request::new(
            libc::RTM_GETLINK,
            libc::NLM_F_DUMP as u16,
            &ifinfomsg(family, 0, 0, 0),
        );
        let msgs = sock.dump(req)?;
        let list = msgs
            .into_iter()
            .filter(|m| m.ty == libc::RTM_NEWLINK && m.payload.len() >= IFINFO_LEN)
            .map(Link::from_msg)
            .collect();
        Ok(Links { list })
    }

    /// The interface with index `i`.
    pub fn get(&self, i: i32) -> Option<&Link> {
        self.list.iter().find(|l| l.index == i)
    }

    /// The interface called `name`.
    pub fn by_name(&self, name: &str) -> Option<&Link> {
        self.list.iter().find(|l| l.name() == name)
    }

    /// The name of interface `i`, or `ifN` when it is not (or no longer) there.
    pub fn name_of(&self, i: u32) -> String {
        match self.get(i as i32) {
            Some(l) => l.name(),
            None => format!("if{i}"),
        }
    }
}

/// The index of interface `name`, or iproute2's `Cannot find device "NAME"` (status 1).
pub fn index_of(sock: &mut Socket, name: &str) -> Res<i32> {
    let mut req = Request::new(libc::RTM_GETLINK, 0, &ifinfomsg(0, 0, 0, 0));
    req.attr_str(libc::IFLA_IFNAME, name.as_bytes());
    req.attr_u32(libc::IFLA_EXT_MASK, 1); // RTEXT_FILTER_VF: keeps the reply small
    match sock.call(req) {
        Ok(m) if m.payload.len() >= IFINFO_LEN => Ok(u32_at(&m.payload, 4) as i32),
        _ => Err(Fail::new(format!("Cannot find device \"{name}\""), 1)),
    }
}

/// `NAME` or `NAME@PEER` (`@NONE` for index 0, `@ifN` for a peer in another
/// namespace), and whether the peer is down (`M-DOWN`).
fn name_with_peer(l: &Link, links: &Links) -> (String, bool) {
    let a = l.attrs();
    let mut name = l.name();
    let mut peer_down = false;
    if let Some(peer) = a.u32(libc::IFLA_LINK) {
        if peer == 0 {
            name.push_str("@NONE");
        } else if a.get(libc::IFLA_LINK_NETNSID).is_some() {
            name.push_str(&format!("@if{peer}"));
        } else {
            name.push('@');
            name.push_str(&links.name_of(peer));
            peer_down = !links.get(peer as i32).is_some_and(Link::is_up);
        }
    }
    (name, peer_down)
}

/// The header lines of one interface: `N: NAME: <FLAGS> mtu ...` and, unless an address
/// family is being shown, `    link/TYPE ADDR brd BRD`. `with_mode` is for `ip link`.
pub fn print_header(out: &mut String, l: &Link, links: &Links, g: &Global, with_mode: bool) {
    let a = l.attrs();
    let (name, peer_down) = name_with_peer(l, links);
    out.push_str(&format!(
        "{}: {}: {} ",
        l.index,
        name,
        names::link_flags(l.flags, peer_down)
    ));
    if let Some(mtu) = a.u32(libc::IFLA_MTU) {
        out.push_str(&format!("mtu {mtu} "));
    }
    if let Some(q) = a.str(libc::IFLA_QDISC) {
        out.push_str(&format!("qdisc {} ", String::from_utf8_lossy(q)));
    }
    if let Some(m) = a.u32(libc::IFLA_MASTER) {
        out.push_str(&format!("master {} ", links.name_of(m)));
    }
    if let Some(s) = a.u8(libc::IFLA_OPERSTATE) {
        out.push_str(&format!("state {} ", names::operstate(s)));
    }
    if with_mode && let Some(m) = a.u8(libc::IFLA_LINKMODE) {
        out.push_str(&format!("mode {} ", names::link_mode(m)));
    }
    if let Some(gr) = a.u32(libc::IFLA_GROUP) {
        out.push_str(&format!("group {} ", names::group(gr)));
    }
    // IPv6's link view has no queue length: take it from the full one, as iproute2
    // asks the device for it.
    let qlen = a.u32(libc::IFLA_TXQLEN).or_else(|| {
        links
            .get(l.index)
            .and_then(|full| full.attrs().u32(libc::IFLA_TXQLEN))
    });
    if let Some(q) = qlen
        && q != 0
    {
        out.push_str(&format!("qlen {q}"));
    }
    let fam = g.family;
    if fam == 0 || fam == libc::AF_PACKET as u8 || g.details {
        out.push_str(g.sl());
        out.push_str(&format!("    link/{} ", names::hw_type(l.hw)));
        if let Some(addr) = a.get(libc::IFLA_ADDRESS) {
            out.push_str(&inet::format_mac(addr));
        }
        if let Some(b) = a.get(libc::IFLA_BROADCAST) {
            let word = if l.flags & libc::IFF_POINTOPOINT as u32 != 0 {
                "peer"
            } else {
                "brd"
            };
            out.push_str(&format!(" {word} {}", inet::format_mac(b)));
        }
        if let Some(id) = a.u32(libc::IFLA_LINK_NETNSID) {
            out.push_str(&format!(" link-netnsid {}", id as i32));
        }
        if g.details {
            print_details(out, l, g.sl(), with_mode);
        }
        if (with_mode || g.details)
            && let Some(alias) = a.str(libc::IFLA_IFALIAS)
        {
            out.push_str(g.sl());
            out.push_str(&format!("    alias {}", String::from_utf8_lossy(alias)));
        }
    }
}

/// `-d`: promiscuity, MTU limits, the link kind (no kind-specific data: a kind's own
/// settings, a bridge's or a bridge port's, are not printed), queues and offload sizes.
fn print_details(out: &mut String, l: &Link, sl: &str, in_link_list: bool) {
    let a = l.attrs();
    let num = |t: u16| a.u32(t).unwrap_or(0);
    out.push_str(&format!(" promiscuity {} ", num(libc::IFLA_PROMISCUITY)));
    if let Some(v) = a.u32(libc::IFLA_ALLMULTI) {
        out.push_str(&format!(" allmulti {v} "));
    }
    for (t, name) in [
        (libc::IFLA_MIN_MTU, "minmtu"),
        (libc::IFLA_MAX_MTU, "maxmtu"),
    ] {
        if let Some(v) = a.u32(t) {
            out.push_str(&format!("{name} {v} "));
        }
    }
    if let Some(info) = a.nested(libc::IFLA_LINKINFO) {
        for t in [libc::IFLA_INFO_KIND, libc::IFLA_INFO_SLAVE_KIND] {
            if let Some(k) = info.str(t) {
                out.push_str(sl);
                out.push_str(&format!("    {} ", String::from_utf8_lossy(k)));
            }
        }
    }
    // IFLA_AF_SPEC / AF_INET6 / IFLA_INET6_ADDR_GEN_MODE.
    let mode = a
        .nested(libc::IFLA_AF_SPEC)
        .and_then(|spec| spec.nested(libc::AF_INET6 as u16))
        .and_then(|v6| v6.u8(8));
    if in_link_list && let Some(m) = mode {
        let name = match m {
            0 => "eui64".to_string(),
            1 => "none".to_string(),
            2 => "stable_secret".to_string(),
            3 => "random".to_string(),
            n => format!("{n:#x}"),
        };
        out.push_str(&format!("addrgenmode {name} "));
    }
    for (t, name) in [
        (libc::IFLA_NUM_TX_QUEUES, "numtxqueues"),
        (libc::IFLA_NUM_RX_QUEUES, "numrxqueues"),
        (libc::IFLA_GSO_MAX_SIZE, "gso_max_size"),
        (libc::IFLA_GSO_MAX_SEGS, "gso_max_segs"),
        (libc::IFLA_TSO_MAX_SIZE, "tso_max_size"),
        (libc::IFLA_TSO_MAX_SEGS, "tso_max_segs"),
        (libc::IFLA_GRO_MAX_SIZE, "gro_max_size"),
    ] {
        if let Some(v) = a.u32(t) {
            out.push_str(&format!("{name} {v} "));
        }
    }
}

/// `-s`: the counters after an interface's lines (after its addresses for `ip addr`).
pub fn print_link_stats(out: &mut String, l: &Link, g: &Global) {
    let a = l.attrs();
    if g.stats > 0
        && let Some(s) = a.get(libc::IFLA_STATS64)
    {
        let changes = a.u32(libc::IFLA_CARRIER_CHANGES).unwrap_or(0) as u64;
        print_stats(out, s, changes, g.stats > 1, g.sl());
    }
}

/// The RX and TX tables of `struct rtnl_link_stats64` (with `errors`, their error rows
/// too), columns as wide as their widest number or title.
fn print_stats(out: &mut String, s: &[u8], carrier_changes: u64, errors: bool, sl: &str) {
    let v = |i: usize| u64_at(s, i * 8);
    // bytes, packets, errors, dropped, missed/carrier, mcast/collisions, compressed.
    let rx = [v(2), v(0), v(4), v(6), v(15), v(8), v(21)];
    let tx = [v(3), v(1), v(5), v(7), v(17), v(9), v(22)];
    // length, crc, frame, fifo, overrun; aborted, fifo, window, heartbeat, transitions.
    let rx_err = [0, v(10), v(12), v(13), v(14), v(11), 0];
    let tx_err = [0, v(16), v(18), v(20), v(19), carrier_changes, 0];
    let mut w = [10usize, 7, 6, 7, 7, 7, 10];
    let mut rows = vec![&rx, &tx];
    if errors {
        rows.extend([&rx_err, &tx_err]);
    }
    for row in rows {
        for (i, n) in row.iter().enumerate() {
            if i == 6 && *n == 0 {
                continue;
            }
            w[i] = w[i].max(n.to_string().len());
        }
    }
    let titles = |first: &str, t: [&str; 5], comp: u64| {
        let mut line = format!("    {first}: {:>width$}", "bytes", width = w[0] - 4);
        for (k, title) in t.iter().enumerate() {
            line.push_str(&format!(" {title:>width$}", width = w[k + 1]));
        }
        let last = if comp != 0 { "compressed" } else { "" };
        line.push_str(&format!(" {last:>width$}", width = w[6]));
        line
    };
    let error_titles = |first: &str, t: [&str; 5]| {
        let mut line = format!("    {first:<width$}", width = w[0]);
        for (k, title) in t.iter().enumerate() {
            line.push_str(&format!(" {title:>width$}", width = w[k + 1]));
        }
        line
    };
    let numbers = |row: &[u64; 7], skip_first: bool| {
        let mut line = String::from("    ");
        for (i, n) in row.iter().enumerate() {
            if i == 6 && (*n == 0 || skip_first) {
                continue;
            }
            if i == 0 && skip_first {
                line.push_str(&format!("{:width$} ", "", width = w[0]));
                continue;
            }
            line.push_str(&format!("{n:>width$} ", width = w[i]));
        }
        line
    };
    let mut push = |line: String| {
        out.push_str(sl);
        out.push_str(&line);
    };
    push(titles(
        "RX",
        ["packets", "errors", "dropped", "missed", "mcast"],
        rx[6],
    ));
    push(numbers(&rx, false));
    if errors {
        push(error_titles(
            "RX errors:",
            ["length", "crc", "frame", "fifo", "overrun"],
        ));
        push(numbers(&rx_err, true));
    }
    push(titles(
        "TX",
        ["packets", "errors", "dropped", "carrier", "collsns"],
        tx[6],
    ));
    push(numbers(&tx, false));
    if errors {
        push(error_titles(
            "TX errors:",
            ["aborted", "fifo", "window", "heartbt", "transns"],
        ));
        push(numbers(&tx_err, true));
    }
}

/// The `-br` columns common to links and addresses: name and state.
pub fn print_brief_head(out: &mut String, l: &Link, links: &Links) {
    let (name, _) = name_with_peer(l, links);
    let state = l
        .attrs()
        .u8(libc::IFLA_OPERSTATE)
        .map(names::operstate)
        .unwrap_or_default();
    out.push_str(&format!("{name:<16} {state:<14} "));
}

/// `ip link`: dispatches the command.
pub fn run(g: &Global, args: &[String], out: &mut String) -> Res<()> {
    let Some(cmd) = args.first() else {
        return show(g, &[], out);
    };
    let rest = &args[1..];
    if matches(cmd, "add") {
        add(rest)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        set(rest)
    } else if matches(cmd, "delete") {
        delete(rest)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show(g, rest, out)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(Fail::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip link help\"."
        )))
    }
}

fn usage() -> Fail {
    Fail::usage(
        "Usage: ip link add [ link DEV ] [ name ] NAME type TYPE [ peer name PEER ]\n\
         \x20      ip link delete DEV\n\
         \x20      ip link set { DEVICE | dev DEVICE } [ { up | down } ] [ arp { on | off } ]\n\
         \x20                [ promisc { on | off } ] [ txqueuelen N ] [ name NEWNAME ]\n\
         \x20                [ address LLADDR ] [ mtu MTU ] [ master DEVICE ] [ nomaster ]\n\
         \x20      ip link show [ DEVICE | up | type TYPE ]\n\
         TYPE := { bridge | veth }",
    )
}

/// `ip link show [dev] [IF] [up] [type KIND]`.
fn show(g: &Global, args: &[String], out: &mut String) -> Res<()> {
    // `ip -4 link` is `ip link`: links are shown as the link family sees them.
    let g = &Global {
        family: libc::AF_PACKET as u8,
        ..g.clone()
    };
    let mut dev: Option<&str> = None;
    let mut only_up = false;
    let mut kind: Option<&str> = None;
    let mut master: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "up" {
            only_up = true;
        } else if a == "type" {
            kind = Some(next_arg(args, &mut i)?);
        } else if a == "master" {
            master = Some(next_arg(args, &mut i)?);
        } else if a == "nomaster" {
            master = Some("");
        } else {
            let name = if a == "dev" {
                next_arg(args, &mut i)?
            } else {
                a
            };
            if dev.is_some() {
                return Err(duparg2("dev", name));
            }
            dev = Some(name);
        }
        i += 1;
    }
    let mut sock = socket()?;
    let links = Links::dump(&mut sock, 0)?;
    if let Some(d) = dev
        && links.by_name(d).is_none()
    {
        return Err(Fail::new(format!("Device \"{d}\" does not exist."), 1));
    }
    for l in &links.list {
        if dev.is_some_and(|d| l.name() != d) || (only_up && !l.is_up()) {
            continue;
        }
        if let Some(m) = master {
            let mine = l.attrs().u32(libc::IFLA_MASTER).unwrap_or(0);
            let want = if m.is_empty() {
                0
            } else {
                match links.by_name(m) {
                    Some(ml) => ml.index as u32,
                    None => return Err(invarg("Device does not exist\n", m)),
                }
            };
            if mine != want {
                continue;
            }
        }
        if let Some(k) = kind {
            let info = l.attrs().nested(libc::IFLA_LINKINFO);
            let lk = info.as_ref().and_then(|t| t.str(libc::IFLA_INFO_KIND));
            if lk != Some(k.as_bytes()) {
                continue;
            }
        }
        if g.brief {
            print_brief_head(out, l, &links);
            let a = l.attrs();
            if let Some(addr) = a.get(libc::IFLA_ADDRESS) {
                out.push_str(&inet::format_mac(addr));
                out.push(' ');
            }
            out.push_str(&names::link_flags(l.flags, name_with_peer(l, &links).1));
            out.push_str(" \n");
        } else {
            print_header(out, l, &links, g, true);
            print_link_stats(out, l, g);
            out.push('\n');
        }
    }
    Ok(())
}

/// A new name for `set`: 1 to 15 bytes, no `/` and no white space (the kernel's rule).
fn ifname_arg(v: &str) -> Res<&str> {
    if v.is_empty() || v.len() >= 16 || v.bytes().any(|b| b == b'/' || b.is_ascii_whitespace()) {
        return Err(invarg("\"name\" not a valid ifname", v));
    }
    Ok(v)
}

fn on_off(args: &[String], i: &mut usize, what: &str) -> Res<bool> {
    let v = next_arg(args, i)?;
    match v {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(Fail::new(
            format!("Error: argument of \"{what}\" must be \"on\" or \"off\", not \"{v}\""),
            1,
        )),
    }
}

fn num_arg(args: &[String], i: &mut usize, what: &str) -> Res<u32> {
    let v = next_arg(args, i)?;
    names::parse_num(v).ok_or_else(|| invarg(&format!("Invalid \"{what}\" value\n"), v))
}

/// `ip link set DEV ...`: one `RTM_NEWLINK` carrying every change.
fn set(args: &[String]) -> Res<()> {
    let mut dev: Option<&str> = None;
    let mut flags = 0u32;
    let mut change = 0u32;
    let set_flag = |bit: i32, on: bool, flags: &mut u32, change: &mut u32| {
        *change |= bit as u32;
        if on {
            *flags |= bit as u32;
        } else {
            *flags &= !(bit as u32);
        }
    };
    let mut mtu = None;
    let mut new_name = None;
    let mut address = None;
    let mut txqlen = None;
    let mut master = None;
    let mut alias: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "up" => set_flag(libc::IFF_UP, true, &mut flags, &mut change),
            "down" => set_flag(libc::IFF_UP, false, &mut flags, &mut change),
            "mtu" => mtu = Some(num_arg(args, &mut i, "mtu")?),
            "name" => new_name = Some(ifname_arg(next_arg(args, &mut i)?)?.to_string()),
            "address" => {
                let v = next_arg(args, &mut i)?;
                address = Some(
                    inet::parse_mac(v)
                        .ok_or_else(|| Fail::new(format!("\"{v}\" is invalid lladdr."), 1))?,
                );
            }
            "txqueuelen" | "qlen" | "txqlen" => txqlen = Some(num_arg(args, &mut i, "txqueuelen")?),
            "arp" => {
                let on = on_off(args, &mut i, "arp")?;
                set_flag(libc::IFF_NOARP, !on, &mut flags, &mut change);
            }
            "promisc" => {
                let on = on_off(args, &mut i, "promisc")?;
                set_flag(libc::IFF_PROMISC, on, &mut flags, &mut change);
            }
            "multicast" => {
                let on = on_off(args, &mut i, "multicast")?;
                set_flag(libc::IFF_MULTICAST, on, &mut flags, &mut change);
            }
            "allmulticast" => {
                let on = on_off(args, &mut i, "allmulticast")?;
                set_flag(libc::IFF_ALLMULTI, on, &mut flags, &mut change);
            }
            "dynamic" => {
                let on = on_off(args, &mut i, "dynamic")?;
                set_flag(libc::IFF_DYNAMIC, on, &mut flags, &mut change);
            }
            "trailers" => {
                let on = on_off(args, &mut i, "trailers")?;
                set_flag(libc::IFF_NOTRAILERS, !on, &mut flags, &mut change);
            }
            "alias" => alias = Some(next_arg(args, &mut i)?.to_string()),
            "master" => master = Some(next_arg(args, &mut i)?.to_string()),
            "nomaster" => master = Some(String::new()),
            _ => {
                let name = if a == "dev" {
                    next_arg(args, &mut i)?
                } else {
                    a
                };
                if dev.is_some() {
                    return Err(duparg2("dev", name));
                }
                dev = Some(name);
            }
        }
        i += 1;
    }
    let Some(dev) = dev else {
        return Err(Fail::usage(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let mut sock = socket()?;
    let index = index_of(&mut sock, dev)?;
    let mut req = Request::new(libc::RTM_NEWLINK, 0, &ifinfomsg(0, index, flags, change));
    if let Some(m) = mtu {
        req.attr_u32(libc::IFLA_MTU, m);
    }
    if let Some(n) = &new_name {
        req.attr_str(libc::IFLA_IFNAME, n.as_bytes());
    }
    if let Some(a) = &address {
        req.attr(libc::IFLA_ADDRESS, a);
    }
    if let Some(q) = txqlen {
        req.attr_u32(libc::IFLA_TXQLEN, q);
    }
    if let Some(a) = &alias {
        req.attr(libc::IFLA_IFALIAS, a.as_bytes());
    }
    if let Some(m) = &master {
        let mi = if m.is_empty() {
            0
        } else {
            index_of(&mut sock, m).map_err(|_| invarg("Device does not exist\n", m))?
        };
        req.attr_u32(libc::IFLA_MASTER, mi as u32);
    }
    sock.ack(req)?;
    Ok(())
}

/// `ip link add [link DEV] [name] NAME type veth|bridge [peer name P] [mtu N]
/// [address MAC] [txqueuelen N]`.
fn add(args: &[String]) -> Res<()> {
    let mut name: Option<&str> = None;
    let mut kind: Option<&str> = None;
    let mut peer: Option<&str> = None;
    let mut mtu = None;
    let mut address = None;
    let mut txqlen = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "type" => {
                kind = Some(next_arg(args, &mut i)?);
                i += 1;
                // What follows the type belongs to it: only `peer [name] P` here.
                while i < args.len() {
                    match args[i].as_str() {
                        "peer" => {
                            let mut v = next_arg(args, &mut i)?;
                            if v == "name" {
                                v = next_arg(args, &mut i)?;
                            }
                            peer = Some(v);
                        }
                        other => {
                            return Err(Fail::usage(format!(
                                "Garbage instead of arguments \"{other} ...\". Try \"ip link help\"."
                            )));
                        }
                    }
                    i += 1;
                }
                break;
            }
            "mtu" => mtu = Some(num_arg(args, &mut i, "mtu")?),
            "address" => {
                let v = next_arg(args, &mut i)?;
                address = Some(
                    inet::parse_mac(v)
                        .ok_or_else(|| Fail::new(format!("\"{v}\" is invalid lladdr."), 1))?,
                );
            }
            "txqueuelen" | "qlen" | "txqlen" => txqlen = Some(num_arg(args, &mut i, "txqueuelen")?),
            _ => {
                let n = if a == "name" || a == "dev" {
                    next_arg(args, &mut i)?
                } else {
                    a
                };
                if name.is_some() {
                    return Err(duparg2("name", n));
                }
                name = Some(n);
            }
        }
        i += 1;
    }
    let Some(kind) = kind else {
        return Err(Fail::new(
            "Not enough information: \"type\" argument is required",
            1,
        ));
    };
    if kind != "veth" && peer.is_some() {
        return Err(Fail::usage(
            "Garbage instead of arguments \"peer ...\". Try \"ip link help\".",
        ));
    }
    let mut sock = socket()?;
    let flags = (libc::NLM_F_CREATE | libc::NLM_F_EXCL) as u16;
    let mut req = Request::new(libc::RTM_NEWLINK, flags, &ifinfomsg(0, 0, 0, 0));
    if let Some(n) = name {
        req.attr_str(libc::IFLA_IFNAME, n.as_bytes());
    }
    if let Some(m) = mtu {
        req.attr_u32(libc::IFLA_MTU, m);
    }
    if let Some(a) = &address {
        req.attr(libc::IFLA_ADDRESS, a);
    }
    if let Some(q) = txqlen {
        req.attr_u32(libc::IFLA_TXQLEN, q);
    }
    let info = req.nest_begin(libc::IFLA_LINKINFO);
    req.attr_str(libc::IFLA_INFO_KIND, kind.as_bytes());
    if let Some(p) = peer {
        let data = req.nest_begin(libc::IFLA_INFO_DATA);
        let pn = req.nest_begin(VETH_INFO_PEER);
        // The peer is an ifinfomsg followed by its own attributes.
        let mut peer_body = ifinfomsg(0, 0, 0, 0).to_vec();
        let mut sub = Request::new(0, 0, &[]);
        sub.attr_str(libc::IFLA_IFNAME, p.as_bytes());
        peer_body.extend_from_slice(&sub.bytes(0)[crate::common::netlink::HDR_LEN..]);
        req.raw(&peer_body);
        req.nest_end(pn);
        req.nest_end(data);
    }
    req.nest_end(info);
    sock.ack(req)?;
    Ok(())
}

/// `ip link delete [dev] NAME`.
fn delete(args: &[String]) -> Res<()> {
    let mut dev: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "type" {
            next_arg(args, &mut i)?;
        } else {
            let n = if a == "dev" || a == "name" {
                next_arg(args, &mut i)?
            } else {
                a
            };
            if dev.is_some() {
                return Err(duparg2("dev", n));
            }
            dev = Some(n);
        }
        i += 1;
    }
    let Some(dev) = dev else {
        return Err(Fail::usage(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let mut sock = socket()?;
    let index = index_of(&mut sock, dev)?;
    let req = Request::new(libc::RTM_DELLINK, 0, &ifinfomsg(0, index, 0, 0));
    sock.ack(req)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ifinfomsg_layout() {
        let b = ifinfomsg(10, 3, 1, 1);
        assert_eq!(b[0], 10);
        assert_eq!(u32_at(&b, 4), 3);
        assert_eq!(u32_at(&b, 8), 1);
        assert_eq!(u32_at(&b, 12), 1);
    }

    #[test]
    fn stats_columns_widen_for_big_numbers() {
        let mut s = vec![0u8; 24 * 8];
        s[16..24].copy_from_slice(&12345678901u64.to_ne_bytes()); // rx_bytes
        let mut out = String::new();
        print_stats(&mut out, &s, 0, false, "\n");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[1],
            "    RX:   bytes packets errors dropped  missed   mcast           "
        );
        assert_eq!(
            lines[2],
            "    12345678901       0      0       0       0       0 "
        );
        assert_eq!(
            lines[4],
            "              0       0      0       0       0       0 "
        );
    }
}
