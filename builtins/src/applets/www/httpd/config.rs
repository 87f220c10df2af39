//! The BusyBox-style configuration file, parsed into a [`Config`]; read at start and
//! again on SIGHUP. One directive a line, `#` starts a comment:
//!
//! ```text
//! H:/srv/www            home directory (overrides -h)
//! A:172.20.  A:10.0.0.0/25  A:10.0.0.0/255.255.255.128  A:127.0.0.1  A:*
//! D:*                   deny (A: allow); the first matching rule wins, none: allowed
//! /adm:user:pass        basic auth below /adm: plain, or crypt $1$ $5$ $6$
//! .au:audio/basic       content type for an extension
//! E404:/e404.html       error page (a path under home) for a status
//! I:index.htm           the index file of directories (default index.html)
//! O:listing,symlinks    rbox options: list directories without an index; follow
//!                       symlinks that point outside home
//! ```
//! Unknown lines are ignored, as BusyBox does.

/// An allow or deny rule on the client's IPv4 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRule {
    /// Allow (`A:`) or deny (`D:`).
    pub allow: bool,
    /// The network, host order.
    pub net: u32,
    /// The mask, host order (0 for `*`).
    pub mask: u32,
}

impl IpRule {
    /// Whether `ip` (None for a non-IPv4 peer) falls in this rule.
    pub fn matches(&self, ip: Option<u32>) -> bool {
        match ip {
            Some(ip) => ip & self.mask == self.net & self.mask,
            None => self.mask == 0,
        }
    }
}

/// One `/path:user:pass` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthRule {
    /// The protected URL prefix, without a trailing `/`.
    pub prefix: Vec<u8>,
    /// The user name.
    pub user: Vec<u8>,
    /// The password, plain or a crypt string.
    pub pass: Vec<u8>,
}

/// Everything the config file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `H:`: the home directory.
    pub home: Option<Vec<u8>>,
    /// `A:`/`D:` in file order.
    pub ip_rules: Vec<IpRule>,
    /// Basic-auth lines in file order.
    pub auth: Vec<AuthRule>,
    /// `.ext:type`, the extension without its dot.
    pub mime: Vec<(Vec<u8>, Vec<u8>)>,
    /// `ENNN:path` error pages.
    pub error_pages: Vec<(u16, Vec<u8>)>,
    /// `I:` the index file name.
    pub index: Vec<u8>,
    /// `O:listing`: list directories that have no index file.
    pub listing: bool,
    /// `O:symlinks`: follow symlinks that lead outside home.
    pub follow_symlinks: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            home: None,
            ip_rules: Vec::new(),
            auth: Vec::new(),
            mime: Vec::new(),
            error_pages: Vec::new(),
            index: b"index.html".to_vec(),
            listing: false,
            follow_symlinks: false,
        }
    }
}

impl Config {
    /// Parses the text of a config file.
    pub fn parse(text: &[u8]) -> Config {
        let mut c = Config::default();
        for line in text.split(|&b| b == b'\n') {
            let line = strip_comment(line);
            let line = super::request::trim(line.strip_suffix(b"\r").unwrap_or(line));
            if line.is_empty() {
                continue;
            }
            c.directive(line);
        }
        c
    }

    fn directive(&mut self, line: &[u8]) {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return;
        };
        let (key, val) = (&line[..colon], &line[colon + 1..]);
        match key {
            b"H" => self.home = Some(val.to_vec()),
            b"I" if !val.is_empty() && !val.contains(&b'/') => self.index = val.to_vec(),
            b"A" | b"D" => {
                if let Some((net, mask)) = parse_net(val) {
                    self.ip_rules.push(IpRule {
                        allow: key == b"A",
                        net,
                        mask,
                    });
                }
            }
            b"O" => {
                for word in val.split(|&b| b == b',') {
                    match super::request::trim(word) {
                        b"listing" => self.listing = true,
                        b"symlinks" => self.follow_symlinks = true,
                        _ => {}
                    }
                }
            }
            [b'E', d @ ..] if d.len() == 3 && d.iter().all(u8::is_ascii_digit) => {
                let code = d.iter().fold(0u16, |n, &b| n * 10 + u16::from(b - b'0'));
                self.error_pages.push((code, val.to_vec()));
            }
            [b'.', ext @ ..] if !ext.is_empty() && !val.is_empty() => {
                self.mime.push((ext.to_vec(), val.to_vec()));
            }
            [b'/', ..] => {
                let mut parts = val.splitn(2, |&b| b == b':');
                let (Some(user), Some(pass)) = (parts.next(), parts.next()) else {
                    return;
                };
                let mut prefix = key.to_vec();
                while prefix.len() > 1 && prefix.ends_with(b"/") {
                    prefix.pop();
                }
                self.auth.push(AuthRule {
                    prefix,
                    user: user.to_vec(),
                    pass: pass.to_vec(),
                });
            }
            _ => {}
        }
    }

    /// Whether a client may connect: the first matching rule decides; no match allows.
    pub fn allowed(&self, ip: Option<u32>) -> bool {
        self.ip_rules
            .iter()
            .find(|r| r.matches(ip))
            .is_none_or(|r| r.allow)
    }

    /// The auth lines guarding `path`: those of the longest matching prefix.
    pub fn auth_for(&self, path: &[u8]) -> Vec<&AuthRule> {
        let under = |p: &[u8]| {
            p == b"/" || path == p || (path.starts_with(p) && path.get(p.len()) == Some(&b'/'))
        };
        let best = self
            .auth
            .iter()
            .filter(|r| under(&r.prefix))
            .map(|r| r.prefix.len())
            .max();
        match best {
            Some(len) => self
                .auth
                .iter()
                .filter(|r| r.prefix.len() == len && under(&r.prefix))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The configured page for an error status.
    pub fn error_page(&self, code: u16) -> Option<&[u8]> {
        self.error_pages
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, p)| p.as_slice())
    }
}

/// The line up to a `#` that starts it or follows whitespace.
fn strip_comment(line: &[u8]) -> &[u8] {
    for (i, &b) in line.iter().enumerate() {
        if b == b'#' && (i == 0 || line[i - 1] == b' ' || line[i - 1] == b'\t') {
            return &line[..i];
        }
    }
    line
}

/// `*`, `1.2.3.4`, a partial `172.20.`, `net/bits`, `net/mask`.
fn parse_net(s: &[u8]) -> Option<(u32, u32)> {
    if s == b"*" {
        return Some((0, 0));
    }
    let s = std::str::from_utf8(s).ok()?;
    let (addr, mask) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let addr = addr.strip_suffix('.').unwrap_or(addr);
    let octets: Vec<u32> = addr
        .split('.')
        .map(|o| o.parse::<u8>().ok().map(u32::from))
        .collect::<Option<_>>()?;
    if octets.is_empty() || octets.len() > 4 {
        return None;
    }
    let mut net = 0u32;
    for i in 0..4 {
        net = net << 8 | octets.get(i).copied().unwrap_or(0);
    }
    let mask = match mask {
        None => mask_bits(8 * octets.len()),
        Some(m) if m.contains('.') => {
            let (n, _) = parse_net(m.as_bytes())?;
            n
        }
        Some(m) => mask_bits(m.parse::<usize>().ok().filter(|&b| b <= 32)?),
    };
    Some((net & mask, mask))
}

/// A mask of `bits` leading ones.
fn mask_bits(bits: usize) -> u32 {
    if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits.min(32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<u32> {
        s.parse::<std::net::Ipv4Addr>().ok().map(u32::from)
    }

    #[test]
    fn parses_directives() {
        let c = Config::parse(
            b"# comment\nH:/srv # home\nI:start.htm\n.au:audio/basic\nE404:/e404.html\n\
              /adm:admin:setup\n/adm/:root:x:y\n/a:b\nO:listing, symlinks\nnonsense\n",
        );
        assert_eq!(c.home.as_deref(), Some(&b"/srv"[..]));
        assert_eq!(c.index, b"start.htm");
        assert_eq!(c.mime, vec![(b"au".to_vec(), b"audio/basic".to_vec())]);
        assert_eq!(c.error_page(404), Some(&b"/e404.html"[..]));
        assert_eq!(c.error_page(403), None);
        assert_eq!(c.auth.len(), 2);
        assert_eq!(c.auth[1].pass, b"x:y");
        assert!(c.listing && c.follow_symlinks);
    }

    #[test]
    fn ip_rules_first_match_wins() {
        let c = Config::parse(
            b"A:172.20.\nA:10.0.0.0/25\nA:192.168.1.0/255.255.255.0\nA:127.0.0.1\nD:*\n",
        );
        assert!(c.allowed(ip("172.20.3.4")));
        assert!(!c.allowed(ip("172.21.3.4")));
        assert!(c.allowed(ip("10.0.0.127")));
        assert!(!c.allowed(ip("10.0.0.128")));
        assert!(c.allowed(ip("192.168.1.77")));
        assert!(c.allowed(ip("127.0.0.1")));
        assert!(!c.allowed(ip("127.0.0.2")));
        assert!(!c.allowed(None));
        assert!(Config::parse(b"D:10.\n").allowed(ip("11.0.0.1")));
        assert!(!Config::parse(b"D:10.\n").allowed(ip("10.9.0.1")));
    }

    #[test]
    fn auth_longest_prefix() {
        let c = Config::parse(b"/:all:1\n/adm:a:2\n/adm:b:3\n/admin2:c:4\n");
        let users =
            |p: &[u8]| -> Vec<Vec<u8>> { c.auth_for(p).iter().map(|r| r.user.clone()).collect() };
        assert_eq!(users(b"/adm/x"), vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(users(b"/adm"), vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(users(b"/admx"), vec![b"all".to_vec()]);
        assert_eq!(users(b"/admin2/y"), vec![b"c".to_vec()]);
        assert!(Config::parse(b"").auth_for(b"/x").is_empty());
    }
}
