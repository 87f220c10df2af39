//! `route`: show the kernel routing tables (/proc/net/route, /proc/net/ipv6_route) or add
//! and delete routes with the SIOCADDRT/SIOCDELRT ioctls, as net-tools and BusyBox do.

pub mod edit;
pub mod rtnl;
pub mod show;

use crate::prelude::*;

/// The `route` applet.
pub const APPLET: Applet = Applet::new("route", main, Run::InProc)
    .dir(InstallDir::Sbin)
    .usage(
        "[-ne] [-A inet[6]] [{add|del} [-net|-host] TARGET [netmask MASK] [gw GATEWAY] \
         [metric N] [mss BYTES] [window BYTES] [reject] [IFACE]]",
    )
    .help(
        "Show or edit the kernel routing tables.\n\n\
         -n\t\tNumbers only (else gateway names from /etc/hosts, no DNS)\n\
         -e\t\tShow MSS, window and initial RTT\n\
         -A inet[6]\tSelect the address family",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut numeric, mut extended, mut v6) = (false, false, false);
    let mut i = 0;
    let args = ctx.args;
    while let Some(a) = args.get(i).filter(|a| a.len() > 1 && a[0] == b'-') {
        if a == b"-net" || a == b"-host" {
            break;
        }
        i += 1;
        let mut chars = a[1..].iter();
        while let Some(&c) = chars.next() {
            match c {
                b'n' => numeric = true,
                b'e' => extended = true,
                b'A' => {
                    let rest: Vec<u8> = chars.by_ref().copied().collect();
                    let fam = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1)
                            .cloned()
                            .ok_or_else(|| Error::usage("option requires an argument -- 'A'"))?
                    } else {
                        rest
                    };
                    v6 = match fam.as_slice() {
                        b"inet" => false,
                        b"inet6" => true,
                        other => {
                            return Err(Error::usage(format!(
                                "unknown address family '{}'",
                                String::from_utf8_lossy(other)
                            )));
                        }
                    };
                }
                other => {
                    return Err(Error::usage(format!(
                        "invalid option -- '{}'",
                        other as char
                    )));
                }
            }
        }
    }
    let rest = &args[i..];
    match rest.split_first() {
        None => {
            let text = if v6 {
                show::ipv6(&table_text("/proc/net/ipv6_route", rtnl::ipv6_route_file)?)
            } else {
                let proc = table_text("/proc/net/route", rtnl::route_file)?;
                let names = (!numeric).then(show::Names::load);
                show::ipv4(&proc, names.as_ref(), extended)
            };
            ctx.stdout.write_all(text.as_bytes())?;
            Ok(())
        }
        Some((verb, words)) => {
            let add = match verb.as_slice() {
                b"add" => true,
                b"del" | b"delete" => false,
                other => {
                    return Err(Error::usage(format!(
                        "unknown command '{}'",
                        String::from_utf8_lossy(other)
                    )));
                }
            };
            if v6 {
                edit::ipv6(add, words)
            } else {
                edit::ipv4(add, words)
            }
        }
    }
}

/// The text of the /proc table at `path`, or, when it cannot be read (a root without
/// /proc), the same text rebuilt from an rtnetlink dump by `rebuild`.
fn table_text(
    path: &str,
    rebuild: fn() -> Result<String, crate::common::netlink::NlError>,
) -> Result<String, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) => rebuild().map_err(|nl| {
            Error::msg(format!(
                "{path}: {}; rtnetlink: {}",
                crate::error::strerror(&e),
                crate::error::strerror(&nl.io())
            ))
        }),
    }
}
