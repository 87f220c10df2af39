//! `nslookup`: ask a DNS server about a name (A and AAAA, or `-type=`), or an address
//! (PTR), printing BusyBox's layout: `Server:`/`Address:`, then each answer.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::common::dns::{self, Data, Message, rcode, rtype};
use crate::common::resolve::{self, Family, QueryError, ResolvConf};
use crate::prelude::*;

/// The `nslookup` applet (forked: waiting for servers may take timeout x attempts, and
/// Ctrl-C must be able to end it).
pub const APPLET: Applet = Applet::new("nslookup", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-type=QUERY_TYPE] [-port=PORT] [-timeout=SECS] [-retry=N] HOST [DNS_SERVER]")
    .help(
        "Query DNS about HOST (an address is looked up by PTR).\n\n\
         QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,any (-query= is the same)\n\
         DNS_SERVER defaults to the nameservers of /etc/resolv.conf",
    );

/// What the command line asks.
struct Request {
    host: Vec<u8>,
    server: Option<Vec<u8>>,
    qtype: Option<u16>,
    port: u16,
    timeout: Option<u32>,
    retry: Option<u32>,
}

fn parse_args(args: &[Vec<u8>]) -> Result<Request, Error> {
    let mut r = Request {
        host: Vec::new(),
        server: None,
        qtype: None,
        port: 53,
        timeout: None,
        retry: None,
    };
    let mut operands = Vec::new();
    for a in args {
        let s = String::from_utf8_lossy(a);
        let Some(opt) = s.strip_prefix('-').filter(|o| !o.is_empty()) else {
            operands.push(a.clone());
            continue;
        };
        let (key, val) = opt.split_once('=').unwrap_or((opt, ""));
        let num = |what: &str| {
            val.parse::<u32>()
                .map_err(|_| Error::msg(format!("invalid {what} '{val}'")))
        };
        match key {
            "type" | "query" | "querytype" | "q" | "t" => {
                r.qtype = Some(
                    dns::type_by_name(val)
                        .ok_or_else(|| Error::msg(format!("invalid query type \"{val}\"")))?,
                );
            }
            "port" => {
                r.port = u16::try_from(num("port")?)
                    .map_err(|_| Error::msg(format!("invalid port '{val}'")))?
            }
            "timeout" => r.timeout = Some(num("timeout")?.max(1)),
            "retry" => r.retry = Some(num("retry")?.max(1)),
            "debug" | "nodebug" | "d2" | "nod2" => {}
            _ => return Err(Error::usage(format!("invalid option -- '{opt}'"))),
        }
    }
    let mut it = operands.into_iter();
    r.host = it.next().ok_or_else(|| Error::usage("missing HOST"))?;
    r.server = it.next();
    if let Some(extra) = it.next() {
        return Err(Error::usage(format!(
            "extra operand '{}'",
            String::from_utf8_lossy(&extra)
        )));
    }
    Ok(r)
}

/// One answer record as BusyBox prints it.
fn render_record(out: &mut String, r: &dns::Record) {
    let n = &r.name;
    match &r.data {
        Data::A(a) => {
            let _ = writeln!(out, "Name:\t{n}\nAddress: {a}");
        }
        Data::Aaaa(a) => {
            let _ = writeln!(out, "Name:\t{n}\nAddress: {a}");
        }
        Data::Name(t) => {
            let what = match r.rtype {
                rtype::CNAME => "canonical name",
                rtype::NS => "nameserver",
                _ => "name",
            };
            let _ = writeln!(out, "{n}\t{what} = {t}");
        }
        Data::Mx(pref, x) => {
            let _ = writeln!(out, "{n}\tmail exchanger = {pref} {x}");
        }
        Data::Txt(parts) => {
            let text: Vec<u8> = parts.concat();
            let _ = writeln!(out, "{n}\ttext = \"{}\"", String::from_utf8_lossy(&text));
        }
        Data::Soa(m, rn, v) => {
            let _ = writeln!(
                out,
                "{n}\n\torigin = {m}\n\tmail addr = {rn}\n\tserial = {}\n\trefresh = {}\n\
                 \tretry = {}\n\texpire = {}\n\tminimum = {}",
                v[0], v[1], v[2], v[3], v[4]
            );
        }
        Data::Other(_) => {}
    }
}

/// The block printed for one query's answer; `false` when the name was not found.
fn render_answer(out: &mut String, qname: &str, m: &Message) -> bool {
    if m.rcode != rcode::NOERROR {
        let _ = writeln!(
            out,
            "** server can't find {qname}: {}\n",
            dns::rcode_name(m.rcode)
        );
        return false;
    }
    if !m.aa {
        out.push_str("Non-authoritative answer:\n");
    }
    for r in &m.answers {
        render_record(out, r);
    }
    out.push('\n');
    true
}

/// The names nslookup tries for `host`: as given when it ends in a dot or has `ndots`
/// dots, otherwise with each search domain (BusyBox does not try it bare then).
fn names_to_try(conf: &ResolvConf, host: &str) -> Vec<String> {
    if let Some(abs) = host.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    if host.matches('.').count() as u32 >= conf.ndots || conf.search.is_empty() {
        return vec![host.to_string()];
    }
    conf.search
        .iter()
        .map(|d| format!("{host}.{}", d.trim_end_matches('.')))
        .collect()
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let req = parse_args(ctx.args)?;
    let mut conf = ResolvConf::load();
    if let Some(t) = req.timeout {
        conf.timeout = t;
    }
    if let Some(n) = req.retry {
        conf.attempts = n;
    }
    if let Some(server) = &req.server {
        let addr = match resolve::parse_ip(server) {
            Some(a) => a,
            None => *resolve::lookup_host(server, Family::Any)
                .ok()
                .and_then(|v| v.first().copied())
                .as_ref()
                .ok_or_else(|| {
                    Error::msg(format!(
                        "can't resolve '{}'",
                        String::from_utf8_lossy(server)
                    ))
                })?,
        };
        conf.servers = vec![SocketAddr::new(addr, req.port)];
    } else {
        for s in &mut conf.servers {
            s.set_port(req.port);
        }
    }
    let host = String::from_utf8_lossy(&req.host).into_owned();
    let queries: Vec<(Vec<String>, u16)> = match (resolve::parse_ip(&req.host), req.qtype) {
        (Some(ip), None) => vec![(vec![dns::reverse_name(ip)], rtype::PTR)],
        (_, Some(t)) => vec![(names_to_try(&conf, &host), t)],
        (None, None) => vec![
            (names_to_try(&conf, &host), rtype::A),
            (names_to_try(&conf, &host), rtype::AAAA),
        ],
    };
    let mut out = String::new();
    let mut header = false;
    let mut ok = true;
    for (names, qtype) in queries {
        let mut last = None;
        for name in &names {
            match ask(&conf, name, qtype) {
                Ok((server, m)) => {
                    if !header {
                        header = true;
                        let _ = writeln!(out, "Server:\t\t{}\nAddress:\t{server}\n", server.ip());
                    }
                    let found = m.rcode != rcode::NXDOMAIN;
                    last = Some((name.clone(), m));
                    if found {
                        break;
                    }
                }
                Err((server, e)) => {
                    ctx.stdout.write_all(out.as_bytes())?;
                    return Err(query_failure(ctx, server.ip(), e)?);
                }
            }
        }
        if let Some((name, m)) = last {
            ok &= render_answer(&mut out, &name, &m);
        }
    }
    ctx.stdout.write_all(out.as_bytes())?;
    if ok { Ok(()) } else { Err(Error::silent(1)) }
}

/// The messages for a query no server answered.
fn query_failure(ctx: &mut Ctx<'_>, server: IpAddr, e: QueryError) -> Result<Error, Error> {
    Ok(match e {
        QueryError::Connect(e) => Error::msg(format!(
            "can't connect to remote host ({server}): {}",
            crate::error::strerror(&e)
        )),
        QueryError::Io(e) => {
            ctx.stdout
                .write_all(b";; connection timed out; no servers could be reached\n\n")?;
            Error::msg(format!(
                "write to '{server}': {}",
                crate::error::strerror(&e)
            ))
        }
        QueryError::BadName => Error::msg("bad name"),
        QueryError::Timeout | QueryError::Malformed => {
            ctx.stdout
                .write_all(b";; connection timed out; no servers could be reached\n\n")?;
            Error::silent(1)
        }
    })
}

/// Asks the servers in turn, `attempts` rounds; the one that answered and its answer.
fn ask(
    conf: &ResolvConf,
    name: &str,
    qtype: u16,
) -> Result<(SocketAddr, Message), (SocketAddr, QueryError)> {
    let mut last = None;
    for _ in 0..conf.attempts.max(1) {
        for &server in &conf.servers {
            let wait = Duration::from_secs(conf.timeout.into());
            match resolve::query_once(server, name, qtype, wait) {
                Ok(m) => return Ok((server, m)),
                Err(e @ (QueryError::BadName | QueryError::Connect(_) | QueryError::Io(_))) => {
                    return Err((server, e));
                }
                Err(e) => last = Some((server, e)),
            }
        }
    }
    Err(last.unwrap_or((conf.servers[0], QueryError::Timeout)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn record_lines() {
        let mut s = String::new();
        let rec = |rtype, data| dns::Record {
            name: "x.test".into(),
            rtype,
            ttl: 1,
            data,
        };
        render_record(&mut s, &rec(rtype::MX, Data::Mx(10, "mx.test".into())));
        render_record(&mut s, &rec(rtype::CNAME, Data::Name("y.test".into())));
        render_record(&mut s, &rec(rtype::TXT, Data::Txt(vec![b"a b".to_vec()])));
        render_record(&mut s, &rec(rtype::A, Data::A("10.0.0.1".parse().unwrap())));
        assert_eq!(
            s,
            "x.test\tmail exchanger = 10 mx.test\nx.test\tcanonical name = y.test\n\
             x.test\ttext = \"a b\"\nName:\tx.test\nAddress: 10.0.0.1\n"
        );
        let mut s = String::new();
        let nx = Message {
            rcode: rcode::NXDOMAIN,
            ..Message::default()
        };
        assert!(!render_answer(&mut s, "no.test", &nx));
        assert_eq!(s, "** server can't find no.test: NXDOMAIN\n\n");
    }

    #[test]
    fn search_names() {
        let conf = ResolvConf::parse(b"search a.org b.org\n");
        assert_eq!(names_to_try(&conf, "h"), vec!["h.a.org", "h.b.org"]);
        assert_eq!(names_to_try(&conf, "h.x"), vec!["h.x"]);
        assert_eq!(names_to_try(&conf, "h."), vec!["h"]);
        assert_eq!(names_to_try(&ResolvConf::parse(b""), "h"), vec!["h"]);
    }

    #[test]
    fn bad_usage() {
        let r = run("nslookup", &["-type=bogus", "x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "nslookup: invalid query type \"bogus\"\n".into())
        );
        let r = run("nslookup", &[], b"");
        assert_eq!(r.status, 1);
        assert!(
            r.err().starts_with("nslookup: missing HOST\n"),
            "{}",
            r.err()
        );
        let r = run("nslookup", &["a", "b", "c"], b"");
        assert!(
            r.err().starts_with("nslookup: extra operand 'c'\n"),
            "{}",
            r.err()
        );
    }
}
