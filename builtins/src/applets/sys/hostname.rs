//! `hostname`: print or set the system's host name.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::prelude::*;

/// The `hostname` applet.
pub const APPLET: Applet = Applet::new("hostname", main, Run::InProc)
    .usage("[-s | -f | -d | -i] | [NAME | -F FILE]")
    .help(
        "Print the host name, or set it to NAME (or from FILE).\n\n\
         -s\tShort name: up to the first dot\n\
         -f\tFully qualified name, from /etc/hosts (no DNS)\n\
         -d\tDomain: the fully qualified name after its first dot\n\
         -i\tIPv4 addresses of the host name in /etc/hosts\n\
         -F FILE\tSet the host name from FILE (the first word of its last line that is\n\
         \tnot blank or a # comment)",
    );

/// The `dnsdomainname` applet: `hostname -d`.
pub const DNSDOMAINNAME: Applet = Applet::new("dnsdomainname", dnsdomainname, Run::InProc)
    .usage("")
    .help("Print the domain of the host name: its /etc/hosts full name after the first dot.");

fn dnsdomainname(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut opts = ctx.opts(&[]);
    if let Some(arg) = opts.next()? {
        return Err(opts.unexpected(&arg));
    }
    show(ctx, Show::Domain)
}

const LONGS: &[&str] = &["short", "fqdn", "long", "domain", "ip-address", "file"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Plain,
    Short,
    Fqdn,
    Domain,
    Addresses,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut show_what, mut file, mut name) = (Show::Plain, None, None);
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('s') | Arg::Long("short") => show_what = Show::Short,
            Arg::Short('f') | Arg::Long("fqdn" | "long") => show_what = Show::Fqdn,
            Arg::Short('d') | Arg::Long("domain") => show_what = Show::Domain,
            Arg::Short('i') | Arg::Long("ip-address") => show_what = Show::Addresses,
            Arg::Short('F') | Arg::Long("file") => file = Some(opts.value()?),
            Arg::Value(v) if name.is_none() => name = Some(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if let Some(path) = file {
        let data = std::fs::read(OsStr::from_bytes(&path)).map_err(|e| {
            Error::msg(format!(
                "can't open '{}': {}",
                String::from_utf8_lossy(&path),
                crate::error::strerror(&e)
            ))
        })?;
        // BusyBox sets the name once per line: the last line wins; none sets nothing.
        match name_from_file(&data) {
            Some(n) => name = Some(n),
            None => return Ok(()),
        }
    }
    if let Some(name) = name {
        return nix::unistd::sethostname(OsStr::from_bytes(&name)).map_err(|e| match e {
            nix::errno::Errno::EPERM => Error::msg("you must be root to change the host name"),
            e => Error::io(b"sethostname", &std::io::Error::from_raw_os_error(e as i32)),
        });
    }
    show(ctx, show_what)
}

/// Prints the host name or what /etc/hosts says about it.
fn show(ctx: &mut Ctx<'_>, what: Show) -> Result<(), Error> {
    let host = nix::unistd::gethostname()
        .map_err(|e| Error::io(b"gethostname", &std::io::Error::from_raw_os_error(e as i32)))?;
    let host = host.as_bytes();
    let hosts = std::fs::read("/etc/hosts").unwrap_or_default();
    let failure = || {
        Error::msg(format!(
            "{}: Host name lookup failure",
            String::from_utf8_lossy(host)
        ))
    };
    let mut out = Vec::new();
    match what {
        Show::Plain => out.extend_from_slice(host),
        Show::Short => out.extend_from_slice(short(host)),
        Show::Fqdn => out.extend_from_slice(&fqdn(&hosts, host).ok_or_else(failure)?),
        Show::Domain => {
            let full = fqdn(&hosts, host).ok_or_else(failure)?;
            match full.iter().position(|&b| b == b'.') {
                Some(p) => out.extend_from_slice(full.get(p + 1..).unwrap_or_default()),
                None => return Ok(()),
            }
        }
        Show::Addresses => {
            let addrs = addresses(&hosts, host);
            if addrs.is_empty() {
                return Err(failure());
            }
            out.extend_from_slice(&addrs.join(&b' '));
        }
    }
    out.push(b'\n');
    ctx.stdout.write_all(&out)?;
    Ok(())
}

/// The name up to its first dot.
fn short(host: &[u8]) -> &[u8] {
    host.split(|&b| b == b'.').next().unwrap_or(host)
}

/// The first word of the last line of a host-name file that is neither blank nor a
/// `#` comment (BusyBox sets each such line in turn).
fn name_from_file(data: &[u8]) -> Option<Vec<u8>> {
    data.split(|&b| b == b'\n')
        .filter_map(|l| {
            let l = l.split(|&b| b == b'#').next().unwrap_or_default();
            l.split(|b| b.is_ascii_whitespace()).find(|w| !w.is_empty())
        })
        .next_back()
        .map(<[u8]>::to_vec)
}

/// The fields of each /etc/hosts line (comments dropped): address, canonical name, aliases.
fn hosts_lines(hosts: &[u8]) -> impl Iterator<Item = Vec<&[u8]>> {
    hosts.split(|&b| b == b'\n').filter_map(|line| {
        let line = line.split(|&b| b == b'#').next().unwrap_or_default();
        let f: Vec<&[u8]> = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        (f.len() >= 2).then_some(f)
    })
}

/// The canonical name of the first /etc/hosts line that lists `host`.
fn fqdn(hosts: &[u8], host: &[u8]) -> Option<Vec<u8>> {
    hosts_lines(hosts)
        .find(|f| f.iter().skip(1).any(|n| n.eq_ignore_ascii_case(host)))
        .and_then(|f| f.get(1).map(|n| n.to_vec()))
}

/// Every IPv4 address /etc/hosts gives `host`, in file order, without repeats (what
/// gethostbyname gives BusyBox).
fn addresses(hosts: &[u8], host: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for f in hosts_lines(hosts) {
        if f.iter().skip(1).any(|n| n.eq_ignore_ascii_case(host))
            && let Some(a) = f.first()
            && crate::common::resolve::inet_aton(a).is_some()
            && !out.iter().any(|o| o == a)
        {
            out.push(a.to_vec());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    const HOSTS: &[u8] = b"# comment\n127.0.0.1 localhost\n\
        10.0.0.5\tweb.example.org web   # the box\n::1 localhost ip6-localhost\n\
        10.0.0.6 web.example.org web\n";

    #[test]
    fn names_from_hosts() {
        assert_eq!(
            fqdn(HOSTS, b"web").as_deref(),
            Some(&b"web.example.org"[..])
        );
        assert_eq!(fqdn(HOSTS, b"other"), None);
        assert_eq!(
            addresses(HOSTS, b"web"),
            vec![b"10.0.0.5".to_vec(), b"10.0.0.6".to_vec()]
        );
        assert_eq!(addresses(HOSTS, b"localhost"), vec![b"127.0.0.1".to_vec()]);
        assert_eq!(short(b"a.b.c"), b"a");
        assert_eq!(
            name_from_file(b"# x\n\n  box1 extra\nbox2 # c\n\n"),
            Some(b"box2".to_vec())
        );
        assert_eq!(name_from_file(b"#only\n"), None);
    }

    #[test]
    fn prints_the_kernel_name() {
        let host = nix::unistd::gethostname().unwrap();
        let host = host.to_string_lossy();
        assert_eq!(run("hostname", &[], b"").out(), format!("{host}\n"));
        let short = host.split('.').next().unwrap_or_default();
        assert_eq!(run("hostname", &["-s"], b"").out(), format!("{short}\n"));
    }

    #[test]
    fn errors() {
        // Never set the name here: tests may run with the privilege to do it.
        let r = run("hostname", &["-F", "/nonexistent/f"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "hostname: can't open '/nonexistent/f': No such file or directory\n".into()
            )
        );
        assert!(
            run("hostname", &["a", "b"], b"")
                .err()
                .starts_with("hostname: extra operand 'b'\n")
        );
    }
}
