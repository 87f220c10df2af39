//! `pgrep` and `pkill`: find processes by name (or command line, or owner) and print
//! their ids or signal them.

use rbox_parser::regex::{Options, Regex};

use super::procs::{self, Process};
use super::signal;
use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `pgrep` applet.
pub const PGREP: Applet = Applet::new("pgrep", pgrep_main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-flaxno] [-u USER[,USER]...] [PATTERN]")
    .help(
        "Print the ids of the processes whose name matches the extended regular expression\n\
         PATTERN. Exits 1 when none matches.\n\n\
         -f\tMatch the whole command line, not just the name\n\
         -x\tThe pattern must match all of it\n\
         -u USER\tOnly processes owned by these users (names or ids)\n\
         -n\tOnly the newest match\n\
         -o\tOnly the oldest match\n\
         -l\tPrint the name after each id\n\
         -a\tPrint the command line after each id",
    )
    .error_status(2);

/// The `pkill` applet.
pub const PKILL: Applet = Applet::new("pkill", pkill_main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-SIG | --signal SIG] [-fxno] [-u USER[,USER]...] [PATTERN]")
    .help(
        "Send a signal (TERM by default) to the processes whose name matches the extended\n\
         regular expression PATTERN. Exits 1 when none matches.\n\n\
         -SIG, --signal SIG\tThe signal, by name or number\n\
         -f\tMatch the whole command line, not just the name\n\
         -x\tThe pattern must match all of it\n\
         -u USER\tOnly processes owned by these users (names or ids)\n\
         -n\tOnly the newest match\n\
         -o\tOnly the oldest match",
    )
    .error_status(2);

const LONGS: &[&str] = &[
    "full",
    "exact",
    "euid",
    "newest",
    "oldest",
    "list-name",
    "list-full",
    "signal",
];

/// What selects processes, and what to do with them.
#[derive(Default)]
struct Query {
    full: bool,
    exact: bool,
    users: Option<Vec<u32>>,
    newest: bool,
    oldest: bool,
    list_name: bool,
    list_full: bool,
    sig: Option<i32>,
    pattern: Option<Vec<u8>>,
}

fn pgrep_main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let q = parse(ctx, false)?;
    let found = select(&q)?;
    let mut out = Vec::new();
    for p in &found {
        out.extend_from_slice(p.pid.to_string().as_bytes());
        if q.list_full {
            out.push(b' ');
            out.extend_from_slice(&command_line(p));
        } else if q.list_name {
            out.push(b' ');
            out.extend_from_slice(&p.comm);
        }
        out.push(b'\n');
    }
    ctx.stdout.write_all(&out)?;
    if found.is_empty() {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

fn pkill_main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let q = parse(ctx, true)?;
    let found = select(&q)?;
    let sig = q.sig.unwrap_or(libc::SIGTERM);
    for p in &found {
        if let Err(e) = signal::send(p.pid, sig) {
            ctx.warn(format!("killing pid {} failed", p.pid).as_bytes(), &e);
        }
    }
    if found.is_empty() {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

/// Reads the options; pkill also takes a leading `-SIG`.
fn parse(ctx: &mut Ctx<'_>, pkill: bool) -> Result<Query, Error> {
    let mut q = Query::default();
    let mut args = ctx.args.to_vec();
    if pkill
        && let Some(first) = args.first()
        && first.len() > 1
        && first[0] == b'-'
        && first[1] != b'-'
        && let Some(n) = signal::number(&first[1..])
    {
        q.sig = Some(n);
        args.remove(0);
    }
    let mut opts = crate::opts::Opts::new(&args, LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('f') | Arg::Long("full") => q.full = true,
            Arg::Short('x') | Arg::Long("exact") => q.exact = true,
            Arg::Short('n') | Arg::Long("newest") => q.newest = true,
            Arg::Short('o') | Arg::Long("oldest") => q.oldest = true,
            Arg::Short('l') | Arg::Long("list-name") if !pkill => q.list_name = true,
            Arg::Short('a') | Arg::Long("list-full") if !pkill => q.list_full = true,
            Arg::Short('u') | Arg::Long("euid") => {
                let v = opts.value()?;
                q.users = Some(users(&v)?);
            }
            Arg::Long("signal") if pkill => {
                let v = opts.value()?;
                let n = signal::number(&v).ok_or_else(|| {
                    Error::msg(format!(
                        "Unknown signal \"{}\".",
                        String::from_utf8_lossy(&v)
                    ))
                })?;
                q.sig = Some(n);
            }
            Arg::Value(v) if q.pattern.is_none() => q.pattern = Some(v),
            Arg::Value(_) => return Err(Error::usage("only one pattern can be provided")),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if q.newest && q.oldest {
        return Err(Error::usage("-n and -o cannot be combined"));
    }
    if q.pattern.is_none() && q.users.is_none() {
        return Err(Error::usage("no matching criteria specified"));
    }
    Ok(q)
}

/// User names or ids, comma-separated, as uids.
fn users(list: &[u8]) -> Result<Vec<u32>, Error> {
    let accounts = Accounts::load();
    list.split(|&b| b == b',')
        .map(|u| {
            if let Some(user) = accounts.user_by_name(u) {
                return Ok(user.uid);
            }
            std::str::from_utf8(u)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| {
                    Error::msg(format!("invalid user name: {}", String::from_utf8_lossy(u)))
                })
        })
        .collect()
}

/// The command line, or the name when there is none (kernel threads, zombies).
fn command_line(p: &Process) -> Vec<u8> {
    if p.argv.is_empty() {
        p.comm.clone()
    } else {
        p.argv.join(&b' ')
    }
}

/// The matching processes (never this one), in id order or just the newest or oldest.
fn select(q: &Query) -> Result<Vec<Process>, Error> {
    let regex = match &q.pattern {
        None => None,
        Some(pat) => {
            let pat = if q.exact {
                [b"^(", pat.as_slice(), b")$"].concat()
            } else {
                pat.clone()
            };
            let opts = Options {
                extended: true,
                ..Options::default()
            };
            Some(Regex::new(&pat, &opts).map_err(|e| Error::msg(format!("regex error: {e}")))?)
        }
    };
    let me = std::process::id() as i32;
    let mut found: Vec<Process> = procs::list()
        .into_iter()
        .filter(|p| p.pid != me)
        .filter(|p| q.users.as_ref().is_none_or(|u| u.contains(&p.uid)))
        .filter(|p| {
            regex.as_ref().is_none_or(|r| {
                let hay = if q.full {
                    command_line(p)
                } else {
                    p.comm.clone()
                };
                r.is_match(&hay)
            })
        })
        .collect();
    if q.newest || q.oldest {
        let pick = if q.newest {
            found.iter().max_by_key(|p| (p.start, p.pid)).cloned()
        } else {
            found.iter().min_by_key(|p| (p.start, p.pid)).cloned()
        };
        found = pick.into_iter().collect();
    }
    Ok(found)
}
