//! The names `ip` prints and accepts: link flags, operational states, hardware types,
//! scopes, routing tables, protocols and route types (iproute2's built-in tables, so
//! an empty root without /etc/iproute2 prints the same words).

/// Interface flags in the order iproute2 prints them inside `<...>`.
const LINK_FLAGS: &[(u32, &str)] = &[
    (libc::IFF_LOOPBACK as u32, "LOOPBACK"),
    (libc::IFF_BROADCAST as u32, "BROADCAST"),
    (libc::IFF_POINTOPOINT as u32, "POINTOPOINT"),
    (libc::IFF_MULTICAST as u32, "MULTICAST"),
    (libc::IFF_NOARP as u32, "NOARP"),
    (libc::IFF_ALLMULTI as u32, "ALLMULTI"),
    (libc::IFF_PROMISC as u32, "PROMISC"),
    (libc::IFF_MASTER as u32, "MASTER"),
    (libc::IFF_SLAVE as u32, "SLAVE"),
    (libc::IFF_DEBUG as u32, "DEBUG"),
    (libc::IFF_DYNAMIC as u32, "DYNAMIC"),
    (libc::IFF_AUTOMEDIA as u32, "AUTOMEDIA"),
    (libc::IFF_PORTSEL as u32, "PORTSEL"),
    (libc::IFF_NOTRAILERS as u32, "NOTRAILERS"),
    (libc::IFF_UP as u32, "UP"),
    (libc::IFF_LOWER_UP as u32, "LOWER_UP"),
    (libc::IFF_DORMANT as u32, "DORMANT"),
    (libc::IFF_ECHO as u32, "ECHO"),
];

/// `<LOOPBACK,UP,LOWER_UP>`: the flag list; `peer_down` adds `M-DOWN` (the link an
/// interface sits on is down), an up interface without carrier starts with `NO-CARRIER`.
pub fn link_flags(flags: u32, peer_down: bool) -> String {
    let mut words: Vec<String> = Vec::new();
    let up = libc::IFF_UP as u32;
    let running = libc::IFF_RUNNING as u32;
    if flags & up != 0 && flags & running == 0 {
        words.push("NO-CARRIER".into());
    }
    let mut rest = flags & !running;
    for &(bit, name) in LINK_FLAGS {
        if rest & bit != 0 {
            words.push(name.into());
            rest &= !bit;
        }
    }
    if peer_down {
        words.push("M-DOWN".into());
    }
    if rest != 0 {
        words.push(format!("{rest:x}"));
    }
    format!("<{}>", words.join(","))
}

/// `IF_OPER_*` names.
pub fn operstate(state: u8) -> String {
    const NAMES: [&str; 7] = [
        "UNKNOWN",
        "NOTPRESENT",
        "DOWN",
        "LOWERLAYERDOWN",
        "TESTING",
        "DORMANT",
        "UP",
    ];
    match NAMES.get(state as usize) {
        Some(n) => (*n).to_string(),
        None => format!("{state:#x}"),
    }
}

/// `IF_LINK_MODE_*` names.
pub fn link_mode(mode: u8) -> String {
    match mode {
        0 => "DEFAULT".into(),
        1 => "DORMANT".into(),
        2 => "TESTING".into(),
        n => format!("mode {n:#x}"),
    }
}

/// The `link/TYPE` word for an `ARPHRD_*` hardware type.
pub fn hw_type(t: u16) -> String {
    let name = match t {
        0 => "netrom",
        1 => "ether",
        2 => "eether",
        3 => "ax25",
        4 => "pronet",
        5 => "chaos",
        6 => "ieee802",
        7 => "arcnet",
        8 => "atalk",
        15 => "dlci",
        19 => "atm",
        23 => "metricom",
        24 => "ieee1394",
        27 => "eui64",
        32 => "infiniband",
        256 => "slip",
        257 => "cslip",
        258 => "slip6",
        259 => "cslip6",
        260 => "rsrvd",
        264 => "adapt",
        270 => "rose",
        271 => "x25",
        272 => "hwx25",
        280 => "can",
        512 => "ppp",
        513 => "cisco",
        516 => "lapb",
        517 => "ddcmp",
        518 => "rawhdlc",
        768 => "ipip",
        769 => "tunnel6",
        770 => "frad",
        771 => "skip",
        772 => "loopback",
        773 => "localtlk",
        774 => "fddi",
        775 => "bif",
        776 => "sit",
        777 => "ip/ddp",
        778 => "gre",
        779 => "pimreg",
        780 => "hippi",
        781 => "ash",
        782 => "econet",
        783 => "irda",
        784 => "fcpp",
        785 => "fcal",
        786 => "fcpl",
        787 => "fcfb0",
        800 => "tr",
        801 => "tr+rt",
        802 => "ieee802.11/prism",
        803 => "ieee802.11/radiotap",
        804 => "ieee802.15.4",
        805 => "ieee802.15.4/monitor",
        820 => "phonet",
        821 => "phonet_pipe",
        822 => "caif",
        823 => "ip6gre",
        824 => "netlink",
        825 => "6lowpan",
        826 => "vsockmon",
        0xfffe => "none",
        0xffff => "void",
        _ => return format!("[{t}]"),
    };
    name.to_string()
}

/// Address scope names (`RT_SCOPE_*`).
pub fn scope(s: u8) -> String {
    match s {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        n => n.to_string(),
    }
}

/// A scope given on the command line: a name or a number.
pub fn parse_scope(s: &str) -> Option<u8> {
    match s {
        "global" | "universe" => Some(0),
        "site" => Some(200),
        "link" => Some(253),
        "host" => Some(254),
        "nowhere" => Some(255),
        _ => parse_num(s).and_then(|n| u8::try_from(n).ok()),
    }
}

/// Routing table names (`RT_TABLE_*`).
pub fn table(t: u32) -> String {
    match t {
        0 => "unspec".into(),
        253 => "default".into(),
        254 => "main".into(),
        255 => "local".into(),
        n => n.to_string(),
    }
}

/// A table given on the command line (`all` is 0: every table).
pub fn parse_table(s: &str) -> Option<u32> {
    match s {
        "all" | "unspec" => Some(0),
        "default" => Some(253),
        "main" => Some(254),
        "local" => Some(255),
        _ => parse_num(s),
    }
}

const PROTOCOLS: &[(u8, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (99, "openr"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

/// Route protocol names (`RTPROT_*`).
pub fn protocol(p: u8) -> String {
    match PROTOCOLS.iter().find(|(n, _)| *n == p) {
        Some((_, name)) => (*name).to_string(),
        None => p.to_string(),
    }
}

/// A protocol given on the command line.
pub fn parse_protocol(s: &str) -> Option<u8> {
    PROTOCOLS
        .iter()
        .find(|(_, name)| *name == s)
        .map(|(n, _)| *n)
        .or_else(|| parse_num(s).and_then(|n| u8::try_from(n).ok()))
}

const ROUTE_TYPES: [&str; 12] = [
    "unspec",
    "unicast",
    "local",
    "broadcast",
    "anycast",
    "multicast",
    "blackhole",
    "unreachable",
    "prohibit",
    "throw",
    "nat",
    "xresolve",
];

/// Route type names (`RTN_*`).
pub fn route_type(t: u8) -> String {
    match ROUTE_TYPES.get(t as usize) {
        Some(n) => (*n).to_string(),
        None => t.to_string(),
    }
}

/// A route type given on the command line (only the names: numbers are not types).
pub fn parse_route_type(s: &str) -> Option<u8> {
    ROUTE_TYPES.iter().position(|n| *n == s).map(|i| i as u8)
}

/// Interface group names: only `default` (0) is built in.
pub fn group(g: u32) -> String {
    if g == 0 {
        "default".into()
    } else {
        g.to_string()
    }
}

/// A decimal, `0x` hex or `0` octal number, as iproute2's `get_unsigned` reads it.
pub fn parse_num(s: &str) -> Option<u32> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u32::from_str_radix(&s[1..], 8).ok()
    } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_print_in_iproute2_order() {
        let lo =
            (libc::IFF_LOOPBACK | libc::IFF_UP | libc::IFF_RUNNING | libc::IFF_LOWER_UP) as u32;
        assert_eq!(link_flags(lo, false), "<LOOPBACK,UP,LOWER_UP>");
        let no_carrier = (libc::IFF_UP | libc::IFF_BROADCAST | libc::IFF_MULTICAST) as u32;
        assert_eq!(
            link_flags(no_carrier, true),
            "<NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN>"
        );
    }

    #[test]
    fn names_and_numbers_round_trip() {
        assert_eq!(scope(254), "host");
        assert_eq!(parse_scope("link"), Some(253));
        assert_eq!(parse_table("main"), Some(254));
        assert_eq!(table(100), "100");
        assert_eq!(protocol(2), "kernel");
        assert_eq!(parse_protocol("static"), Some(4));
        assert_eq!(parse_route_type("blackhole"), Some(6));
        assert_eq!(hw_type(772), "loopback");
        assert_eq!(parse_num("0x10"), Some(16));
        assert_eq!(parse_num("x"), None);
    }
}
