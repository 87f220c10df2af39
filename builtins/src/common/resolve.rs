//! The resolver of DESIGN.md section 6, without NSS: numbers, then /etc/hosts, then DNS
//! over UDP (TCP when the answer is truncated) to the nameservers of /etc/resolv.conf,
//! with its `search`/`domain` list and `timeout:`/`attempts:`/`ndots:` options. Also the
//! /etc/networks names route prints.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use super::dns::{self, Message, rtype};

/// An IPv4 address as inet_aton reads it: `a.b.c.d`, `a.b.c`, `a.b`, `a`, each part
/// decimal, octal (leading 0) or hex (0x).
pub fn inet_aton(s: &[u8]) -> Option<Ipv4Addr> {
    let parts: Vec<&[u8]> = s.split(|&b| b == b'.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix(b"0x").or(p.strip_prefix(b"0X")) {
            (h, 16)
        } else if p.len() > 1 && p[0] == b'0' {
            (&p[1..], 8)
        } else {
            (&p[..], 10)
        };
        if digits.is_empty() && radix != 8 {
            return None;
        }
        let text = std::str::from_utf8(digits).ok()?;
        let n = if digits.is_empty() {
            0
        } else {
            if !text.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            u64::from_str_radix(text, radix).ok()?
        };
        nums.push(n);
    }
    let (last, head) = nums.split_last()?;
    if head.iter().any(|&n| n > 255) || *last >= 1u64 << (8 * (4 - head.len())) {
        return None;
    }
    let mut v: u32 = 0;
    for (i, &n) in head.iter().enumerate() {
        v |= (n as u32) << (24 - 8 * i);
    }
    Some(Ipv4Addr::from(v | *last as u32))
}

/// A numeric IPv4 (inet_aton forms) or IPv6 address.
pub fn parse_ip(s: &[u8]) -> Option<IpAddr> {
    if let Some(a) = inet_aton(s) {
        return Some(IpAddr::V4(a));
    }
    std::str::from_utf8(s)
        .ok()?
        .parse::<Ipv6Addr>()
        .ok()
        .map(IpAddr::V6)
}

/// The text of /etc/hosts (empty when unreadable).
pub fn read_hosts() -> Vec<u8> {
    std::fs::read("/etc/hosts").unwrap_or_default()
}

/// The fields of each line of a hosts-style file (comments dropped), at least two.
fn table_lines(text: &[u8]) -> impl Iterator<Item = Vec<&[u8]>> {
    text.split(|&b| b == b'\n').filter_map(|line| {
        let line = line.split(|&b| b == b'#').next().unwrap_or_default();
        let f: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        (f.len() >= 2).then_some(f)
    })
}

/// Every address /etc/hosts (`hosts`) gives `name`, in file order.
pub fn hosts_lookup(hosts: &[u8], name: &[u8]) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for f in table_lines(hosts) {
        if f[1..].iter().any(|n| n.eq_ignore_ascii_case(name))
            && let Some(a) = std::str::from_utf8(f[0]).ok().and_then(|s| s.parse().ok())
            && !out.contains(&a)
        {
            out.push(a);
        }
    }
    out
}

/// The canonical name /etc/hosts gives `addr`.
pub fn hosts_reverse(hosts: &[u8], addr: IpAddr) -> Option<String> {
    table_lines(hosts)
        .find(|f| std::str::from_utf8(f[0]).ok().and_then(|s| s.parse().ok()) == Some(addr))
        .map(|f| String::from_utf8_lossy(f[1]).into_owned())
}

/// The name /etc/networks (`text`: `name number [aliases]`) gives network `net`.
pub fn networks_reverse(text: &[u8], net: Ipv4Addr) -> Option<String> {
    table_lines(text)
        .find(|f| network_number(f[1]) == Some(net))
        .map(|f| String::from_utf8_lossy(f[0]).into_owned())
}

/// The network /etc/networks (`text`) names `name` (or an alias of it).
pub fn networks_lookup(text: &[u8], name: &[u8]) -> Option<Ipv4Addr> {
    table_lines(text)
        .find(|f| f[0] == name || f.get(2..).unwrap_or_default().contains(&name))
        .and_then(|f| network_number(f[1]))
}

/// A network number of /etc/networks: `10`, `10.1`, `10.1.2.0` are 10.0.0.0, 10.1.0.0...
fn network_number(s: &[u8]) -> Option<Ipv4Addr> {
    let parts: Vec<u8> = std::str::from_utf8(s)
        .ok()?
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut o = [0u8; 4];
    o[..parts.len()].copy_from_slice(&parts);
    Some(Ipv4Addr::from(o))
}

/// What /etc/resolv.conf says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvConf {
    /// Nameservers, at most three (port 53).
    pub servers: Vec<SocketAddr>,
    /// The search list (`search`, or the one `domain`); the last such line wins.
    pub search: Vec<String>,
    /// Seconds to wait for one answer (`options timeout:`, default 5, at most 30).
    pub timeout: u32,
    /// Rounds over the servers (`options attempts:`, default 2, at most 5).
    pub attempts: u32,
    /// Dots a name needs to be tried as given before the search list (default 1).
    pub ndots: u32,
}

impl Default for ResolvConf {
    fn default() -> ResolvConf {
        ResolvConf {
            servers: Vec::new(),
            search: Vec::new(),
            timeout: 5,
            attempts: 2,
            ndots: 1,
        }
    }
}

impl ResolvConf {
    /// Parses resolv.conf text; with no `nameserver`, the local one (127.0.0.1).
    pub fn parse(text: &[u8]) -> ResolvConf {
        let mut c = ResolvConf::default();
        for line in text.split(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(line);
            let mut w = line.split_ascii_whitespace();
            let Some(key) = w.next().filter(|k| !k.starts_with(['#', ';'])) else {
                continue;
            };
            match key {
                "nameserver" => {
                    let addr = w.next().and_then(|a| a.split('%').next()?.parse().ok());
                    if let Some(a) = addr
                        && c.servers.len() < 3
                    {
                        c.servers.push(SocketAddr::new(a, 53));
                    }
                }
                "domain" => c.search = w.next().map(|d| vec![d.to_string()]).unwrap_or_default(),
                "search" => c.search = w.take(6).map(str::to_string).collect(),
                "options" => {
                    for o in w {
                        let num = |p: &str, max: u32| {
                            o.strip_prefix(p)
                                .and_then(|v| v.parse::<u32>().ok())
                                .map(|n| n.min(max))
                        };
                        if let Some(n) = num("timeout:", 30) {
                            c.timeout = n.max(1);
                        } else if let Some(n) = num("attempts:", 5) {
                            c.attempts = n.max(1);
                        } else if let Some(n) = num("ndots:", 15) {
                            c.ndots = n;
                        }
                    }
                }
                _ => {}
            }
        }
        if c.servers.is_empty() {
            c.servers
                .push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53));
        }
        c
    }

    /// /etc/resolv.conf, or the defaults when it cannot be read.
    pub fn load() -> ResolvConf {
        ResolvConf::parse(&std::fs::read("/etc/resolv.conf").unwrap_or_default())
    }

    /// The names to try for `name`, in order: as given first when it has `ndots` dots
    /// (or ends in a dot), then with each search domain, then as given.
    pub fn candidates(&self, name: &str) -> Vec<String> {
        if let Some(abs) = name.strip_suffix('.') {
            return vec![abs.to_string()];
        }
        let dots = name.matches('.').count() as u32;
        let mut out = Vec::new();
        if dots >= self.ndots {
            out.push(name.to_string());
        }
        for d in &self.search {
            out.push(format!("{name}.{}", d.trim_end_matches('.')));
        }
        if dots < self.ndots {
            out.push(name.to_string());
        }
        out
    }
}

/// Why a query got no usable answer.
#[derive(Debug)]
pub enum QueryError {
    /// No answer within the timeout, from any attempt.
    Timeout,
    /// The socket could not be connected to the server (unreachable network...).
    Connect(io::Error),
    /// Sending or receiving failed (refused: nothing listens there...).
    Io(io::Error),
    /// The answer could not be parsed or did not match the query.
    Malformed,
    /// The name cannot be put in a query.
    BadName,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Timeout => f.write_str("connection timed out; no servers could be reached"),
            QueryError::Io(e) | QueryError::Connect(e) => f.write_str(&crate::error::strerror(e)),
            QueryError::Malformed => f.write_str("malformed answer"),
            QueryError::BadName => f.write_str("bad name"),
        }
    }
}

/// A query id from the kernel's random pool (time-based when it is unavailable).
fn query_id() -> u16 {
    let mut b = [0u8; 2];
    // SAFETY: getrandom writes at most `b.len()` bytes into `b`.
    let n = unsafe { libc::getrandom(b.as_mut_ptr().cast(), b.len(), libc::GRND_NONBLOCK) };
    if n == 2 {
        u16::from_ne_bytes(b)
    } else {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u16)
            .unwrap_or(0x5a5a)
    }
}

/// Asks `server` about `name`/`qtype` once over UDP, waiting up to `wait`; a truncated
/// answer is asked again over TCP.
pub fn query_once(
    server: SocketAddr,
    name: &str,
    qtype: u16,
    wait: Duration,
) -> Result<Message, QueryError> {
    let id = query_id();
    let q = dns::encode_query(id, name, qtype).ok_or(QueryError::BadName)?;
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let sock = UdpSocket::bind(local).map_err(QueryError::Io)?;
    sock.connect(server).map_err(QueryError::Connect)?;
    sock.send(&q).map_err(QueryError::Io)?;
    let deadline = Instant::now() + wait;
    let mut buf = vec![0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(QueryError::Timeout);
        }
        sock.set_read_timeout(Some(left)).map_err(QueryError::Io)?;
        let n = match sock.recv(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(QueryError::Timeout);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(QueryError::Io(e)),
        };
        let Some(m) = dns::parse(&buf[..n]) else {
            continue;
        };
        if m.id != id || buf.get(12..q.len()) != q.get(12..) {
            continue;
        }
        if m.tc {
            return query_tcp(server, &q, id, deadline);
        }
        return Ok(m);
    }
}

/// The same query over TCP (two-byte length prefix), before `deadline`.
fn query_tcp(
    server: SocketAddr,
    q: &[u8],
    id: u16,
    deadline: Instant,
) -> Result<Message, QueryError> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(100));
    let mut s = TcpStream::connect_timeout(&server, left).map_err(QueryError::Connect)?;
    s.set_read_timeout(Some(left)).map_err(QueryError::Io)?;
    s.set_write_timeout(Some(left)).map_err(QueryError::Io)?;
    let mut framed = (q.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(q);
    s.write_all(&framed).map_err(QueryError::Io)?;
    let mut len = [0u8; 2];
    let timeout = |e: io::Error| match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => QueryError::Timeout,
        _ => QueryError::Io(e),
    };
    s.read_exact(&mut len).map_err(timeout)?;
    let mut buf = vec![0u8; u16::from_be_bytes(len) as usize];
    s.read_exact(&mut buf).map_err(timeout)?;
    let m = dns::parse(&buf).ok_or(QueryError::Malformed)?;
    if m.id != id {
        return Err(QueryError::Malformed);
    }
    Ok(m)
}

/// Asks the servers of `conf` in turn, `attempts` rounds, until one answers.
pub fn query(conf: &ResolvConf, name: &str, qtype: u16) -> Result<Message, QueryError> {
    let mut last = QueryError::Timeout;
    for _ in 0..conf.attempts.max(1) {
        for &server in &conf.servers {
            match query_once(
                server,
                name,
                qtype,
                Duration::from_secs(conf.timeout.into()),
            ) {
                Ok(m) => return Ok(m),
                Err(QueryError::BadName) => return Err(QueryError::BadName),
                Err(e) => last = e,
            }
        }
    }
    Err(last)
}

/// Which address families a lookup wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// IPv4 and IPv6.
    Any,
    /// IPv4 only.
    V4,
    /// IPv6 only.
    V6,
}

impl Family {
    fn takes(self, a: &IpAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => a.is_ipv4(),
            Family::V6 => a.is_ipv6(),
        }
    }
}

/// Why a host name has no address.
#[derive(Debug)]
pub enum LookupError {
    /// The name does not exist (NXDOMAIN or no records everywhere).
    Unknown,
    /// No server answered, or another failure.
    Failed(QueryError),
}

/// The addresses of `name`: a number, then /etc/hosts, then DNS (A then AAAA for `Any`).
pub fn lookup_host(name: &[u8], family: Family) -> Result<Vec<IpAddr>, LookupError> {
    if let Some(a) = parse_ip(name) {
        return if family.takes(&a) {
            Ok(vec![a])
        } else {
            Err(LookupError::Unknown)
        };
    }
    let from_hosts: Vec<IpAddr> = hosts_lookup(&read_hosts(), name)
        .into_iter()
        .filter(|a| family.takes(a))
        .collect();
    if !from_hosts.is_empty() {
        return Ok(from_hosts);
    }
    let name = std::str::from_utf8(name).map_err(|_| LookupError::Unknown)?;
    let conf = ResolvConf::load();
    let types: &[u16] = match family {
        Family::Any => &[rtype::A, rtype::AAAA],
        Family::V4 => &[rtype::A],
        Family::V6 => &[rtype::AAAA],
    };
    let mut failure = None;
    for cand in conf.candidates(name) {
        let mut found = Vec::new();
        for &t in types {
            match query(&conf, &cand, t) {
                Ok(m) => found.extend(m.answers.iter().filter_map(|r| match r.data {
                    dns::Data::A(a) if t == rtype::A => Some(IpAddr::V4(a)),
                    dns::Data::Aaaa(a) if t == rtype::AAAA => Some(IpAddr::V6(a)),
                    _ => None,
                })),
                Err(QueryError::BadName) => return Err(LookupError::Unknown),
                Err(e) => failure = Some(e),
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Err(failure.map_or(LookupError::Unknown, LookupError::Failed))
}

/// The name of `addr`: /etc/hosts, then a PTR query.
pub fn lookup_addr(addr: IpAddr) -> Option<String> {
    if let Some(n) = hosts_reverse(&read_hosts(), addr) {
        return Some(n);
    }
    let conf = ResolvConf::load();
    let m = query(&conf, &dns::reverse_name(addr), rtype::PTR).ok()?;
    m.answers.into_iter().find_map(|r| match r.data {
        dns::Data::Name(n) if r.rtype == rtype::PTR => Some(n),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aton_forms() {
        let a = |s: &str| inet_aton(s.as_bytes()).map(|a| a.to_string());
        assert_eq!(a("10.1.2.3").as_deref(), Some("10.1.2.3"));
        assert_eq!(a("1.2.3").as_deref(), Some("1.2.0.3"));
        assert_eq!(a("127.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(a("0x7f.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(a("010.0.0.1").as_deref(), Some("8.0.0.1"));
        assert_eq!(a("167772161").as_deref(), Some("10.0.0.1"));
        assert_eq!(a("256.1.1.1"), None);
        assert_eq!(a("1.2.3.4.5"), None);
        assert_eq!(a("1..2"), None);
        assert_eq!(a("foo"), None);
        assert_eq!(a("08.1.1.1"), None);
        assert_eq!(parse_ip(b"::1"), Some("::1".parse().unwrap()));
    }

    #[test]
    fn hosts_and_networks() {
        let hosts = b"127.0.0.1 localhost\n# x\n10.0.0.5 web.example.org web # c\n\
            2001:db8::5 web.example.org\n";
        assert_eq!(
            hosts_lookup(hosts, b"WEB"),
            vec![IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5))]
        );
        assert_eq!(hosts_lookup(hosts, b"web.example.org").len(), 2);
        assert!(hosts_lookup(hosts, b"x").is_empty());
        assert_eq!(
            hosts_reverse(hosts, "10.0.0.5".parse().unwrap()).as_deref(),
            Some("web.example.org")
        );
        let nets = b"loopback 127\nlab 10.1 labnet\nbad x.y\n";
        assert_eq!(
            networks_reverse(nets, Ipv4Addr::new(10, 1, 0, 0)).as_deref(),
            Some("lab")
        );
        assert_eq!(
            networks_lookup(nets, b"labnet"),
            Some(Ipv4Addr::new(10, 1, 0, 0))
        );
        assert_eq!(
            networks_lookup(nets, b"loopback"),
            Some(Ipv4Addr::new(127, 0, 0, 0))
        );
    }

    #[test]
    fn resolv_conf() {
        let c = ResolvConf::parse(
            b"# c\nnameserver 10.0.0.1\nnameserver fe80::1%eth0\nnameserver bogus\n\
              domain a.org\nsearch b.org c.org\noptions ndots:2 timeout:1 attempts:9 rotate\n\
              nameserver 10.0.0.2\nnameserver 10.0.0.3\n",
        );
        assert_eq!(
            c.servers,
            vec![
                "10.0.0.1:53".parse().unwrap(),
                "[fe80::1]:53".parse().unwrap(),
                "10.0.0.2:53".parse().unwrap()
            ]
        );
        assert_eq!(c.search, vec!["b.org", "c.org"]);
        assert_eq!((c.timeout, c.attempts, c.ndots), (1, 5, 2));
        assert_eq!(c.candidates("x.y"), vec!["x.y.b.org", "x.y.c.org", "x.y"]);
        assert_eq!(
            c.candidates("x.y.z"),
            vec!["x.y.z", "x.y.z.b.org", "x.y.z.c.org"]
        );
        assert_eq!(c.candidates("abs."), vec!["abs"]);
        let d = ResolvConf::parse(b"");
        assert_eq!(d.servers, vec!["127.0.0.1:53".parse().unwrap()]);
        assert_eq!((d.timeout, d.attempts, d.ndots), (5, 2, 1));
    }
}
