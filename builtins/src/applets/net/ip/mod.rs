//! `ip`: show and change addresses, links and routes over rtnetlink, with iproute2's
//! output and messages (`ip addr`, `ip link`, `ip route`, their abbreviations, and the
//! `-4 -6 -o -br -s` options).

mod addr;
mod inet;
mod link;
mod names;
mod route;

use crate::common::netlink::{NlError, Socket};
use crate::prelude::*;

/// The `ip` applet.
pub const APPLET: Applet = Applet::new("ip", main, Run::InProc)
    .dir(InstallDir::Sbin)
    .usage("[OPTIONS] { address | link | route } { COMMAND | help }")
    .help(
        "Show or change network addresses, interfaces and routes.\n\n\
         ip addr [show [dev IF] [scope S] [up]] | {add|del} ADDR/PLEN [peer P] [broadcast B|+]\n\
         \x20   [label L] [scope S] [nodad] [valid_lft N] [preferred_lft N] dev IF | flush dev IF\n\
         ip link [show [IF]] | set IF {up|down|mtu N|name NEW|address MAC|txqueuelen N|\n\
         \x20   arp on|off|promisc on|off|master IF|nomaster} | add NAME type veth|bridge\n\
         \x20   [peer name P] | del IF\n\
         ip route [show [table T] [dev IF] [proto P] [scope S]] | {add|del|replace|change}\n\
         \x20   PREFIX|default [via GW] [dev IF] [src S] [metric N] [table T] [proto P] [scope S]\n\
         \x20   | get ADDR\n\n\
         -4, -6\tOnly IPv4 or IPv6\n\
         -o\tOne line per record\n\
         -br\tBrief, tabular output\n\
         -s\tInterface statistics\n\n\
         Objects and commands may be abbreviated (ip a, ip a a, ip l s, ip r).",
    );

/// A failure in iproute2's words: printed as it is (no `ip: ` prefix) with its status.
#[derive(Debug)]
pub struct Fail {
    text: String,
    status: u8,
}

impl Fail {
    /// A message and exit status.
    pub fn new(text: impl Into<String>, status: u8) -> Fail {
        Fail {
            text: text.into(),
            status,
        }
    }

    /// A command-line mistake iproute2 exits 255 for (its `exit(-1)`).
    pub fn usage(text: impl Into<String>) -> Fail {
        Fail::new(text, 255)
    }
}

impl From<NlError> for Fail {
    /// The kernel's refusal: `Error: TEXT.` with an extended ack, else
    /// `RTNETLINK answers: STRERROR`; status 2.
    fn from(e: NlError) -> Fail {
        let text = match e.message {
            Some(m) if !m.is_empty() => {
                let dot = if m.ends_with('.') { "" } else { "." };
                format!("Error: {m}{dot}")
            }
            _ => format!(
                "RTNETLINK answers: {}",
                crate::error::strerror(&std::io::Error::from_raw_os_error(e.errno))
            ),
        };
        Fail::new(text, 2)
    }
}

/// What a command returns.
pub type Res<T> = Result<T, Fail>;

/// The global options before the object.
#[derive(Debug, Default, Clone)]
pub struct Global {
    /// 0, `AF_INET`, `AF_INET6` or `AF_PACKET` (`-0`, `-f link`).
    pub family: u8,
    /// How many `-s` were given.
    pub stats: u8,
    /// `-d`.
    pub details: bool,
    /// `-o`: records on one line, inner line breaks written as `\`.
    pub oneline: bool,
    /// `-br`.
    pub brief: bool,
    /// Warnings for stderr, printed before the output is written.
    pub warnings: std::cell::RefCell<Vec<String>>,
}

impl Global {
    /// Queues a warning line for stderr.
    pub fn warn(&self, text: String) {
        self.warnings.borrow_mut().push(text);
    }

    /// The line break inside a record: a newline, or `\` with `-o`.
    pub fn sl(&self) -> &'static str {
        if self.oneline { "\\" } else { "\n" }
    }
}

/// Whether `word` abbreviates `full` (iproute2's `matches`: any prefix, even empty).
pub fn matches(word: &str, full: &str) -> bool {
    full.starts_with(word)
}

/// The arguments as text (netlink names are bytes, but iproute2 treats them as C strings).
fn text_args(args: &[Vec<u8>]) -> Vec<String> {
    args.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = text_args(ctx.args);
    let mut out = String::new();
    let mut g = Global::default();
    let r = run(&mut g, &args, &mut out);
    for w in g.warnings.borrow().iter() {
        let _ = ctx.stderr.write_all(format!("{w}\n").as_bytes());
    }
    ctx.stdout.write_all(out.as_bytes())?;
    match r {
        Ok(()) => Ok(()),
        Err(f) => {
            ctx.stdout.flush()?;
            let mut t = f.text;
            if !t.is_empty() && !t.ends_with('\n') {
                t.push('\n');
            }
            let _ = ctx.stderr.write_all(t.as_bytes());
            Err(Error::silent(f.status))
        }
    }
}

/// Parses the global options and runs the object's command, appending output to `out`.
fn run(g: &mut Global, args: &[String], out: &mut String) -> Res<()> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') || a.len() < 2 {
            break;
        }
        // `--opt` is `-opt`.
        let o = if a.starts_with("--") { &a[1..] } else { &a[..] };
        i += 1;
        if o == "-4" {
            g.family = inet::INET;
        } else if o == "-6" {
            g.family = inet::INET6;
        } else if o == "-0" {
            g.family = libc::AF_PACKET as u8;
        } else if matches(o, "-family") {
            let f = args
                .get(i)
                .ok_or_else(|| Fail::usage("Command line is not complete. Try option \"help\""))?;
            i += 1;
            g.family = match f.as_str() {
                "inet" => inet::INET,
                "inet6" => inet::INET6,
                "link" => libc::AF_PACKET as u8,
                _ => {
                    return Err(Fail::usage(format!(
                        "Error: argument \"{f}\" is wrong: invalid protocol family"
                    )));
                }
            };
        } else if matches(o, "-human") || matches(o, "-human-readable") || o == "-iec" {
        } else if matches(o, "-stats") || matches(o, "-statistics") {
            g.stats += 1;
        } else if matches(o, "-details") {
            g.details = true;
        } else if matches(o, "-resolve") || matches(o, "-Numeric") {
        } else if matches(o, "-oneline") {
            g.oneline = true;
        } else if matches(o, "-color") || o.starts_with("-color=") || o.starts_with("-c=") {
            // `auto` and `never`: plain output (colour would only go to a terminal).
            // Plain `-c` means always, which this ip does not do.
            let (_, mode) = o.split_once('=').unwrap_or(("", "always"));
            if mode != "never" && mode != "auto" {
                return Err(Fail::usage(format!(
                    "Option \"{a}\" is not supported: no colour output, try \"-color=never\"."
                )));
            }
        } else if matches(o, "-Version") {
            out.push_str(concat!(
                "ip utility, rbox-",
                env!("CARGO_PKG_VERSION"),
                "\n"
            ));
            return Ok(());
        } else if matches(o, "-help") {
            return Err(usage());
        } else if matches(o, "-brief") && o.len() >= 3 {
            g.brief = true;
        } else {
            return Err(Fail::usage(format!(
                "Option \"{a}\" is unknown, try \"ip -help\"."
            )));
        }
    }
    let Some(object) = args.get(i) else {
        return Err(usage());
    };
    let rest = &args[i + 1..];
    if matches(object, "address") {
        addr::run(g, rest, out)
    } else if matches(object, "link") {
        link::run(g, rest, out)
    } else if matches(object, "route") {
        route::run(g, rest, out)
    } else if matches(object, "help") {
        Err(usage())
    } else {
        Err(Fail::new(
            format!("Object \"{object}\" is unknown, try \"ip help\"."),
            1,
        ))
    }
}

fn usage() -> Fail {
    Fail::usage(
        "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n\
         where  OBJECT := { address | link | route }\n\
         \x20      OPTIONS := { -s[tatistics] | -d[etails] | -f[amily] { inet | inet6 | link } |\n\
         \x20                   -4 | -6 | -0 | -o[neline] | -br[ief] }",
    )
}

/// A route socket, or iproute2's message when netlink is unavailable.
pub fn socket() -> Res<Socket> {
    Socket::route().map_err(|e| {
        Fail::new(
            format!("Cannot open netlink socket: {}", crate::error::strerror(&e)),
            1,
        )
    })
}

/// `Error: argument "V" is wrong: WHAT` (iproute2's invarg), status 255.
pub fn invarg(what: &str, value: &str) -> Fail {
    Fail::usage(format!("Error: argument \"{value}\" is wrong: {what}\n"))
}

/// The argument after keyword `args[*i]`, moving `i` onto it.
pub fn next_arg<'a>(args: &'a [String], i: &mut usize) -> Res<&'a str> {
    *i += 1;
    args.get(*i)
        .map(|s| s.as_str())
        .ok_or_else(|| Fail::usage("Command line is not complete. Try option \"help\""))
}

/// `Error: either "dev" is duplicate, or "X" is a garbage.` (status 255).
pub fn duparg2(key: &str, arg: &str) -> Fail {
    Fail::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_abbreviate_and_unknown_ones_fail_like_iproute2() {
        let mut out = String::new();
        let e = run(&mut Global::default(), &["foo".into()], &mut out).unwrap_err();
        assert_eq!(
            (e.text.as_str(), e.status),
            ("Object \"foo\" is unknown, try \"ip help\".", 1)
        );
        let e = run(&mut Global::default(), &["-x".into(), "a".into()], &mut out).unwrap_err();
        assert_eq!(e.text, "Option \"-x\" is unknown, try \"ip -help\".");
        assert_eq!(e.status, 255);
        assert!(matches("a", "address") && matches("ro", "route") && !matches("rx", "route"));
    }

    #[test]
    fn kernel_errors_read_like_iproute2() {
        let f = Fail::from(NlError {
            errno: libc::EEXIST,
            message: None,
        });
        assert_eq!(
            (f.text.as_str(), f.status),
            ("RTNETLINK answers: File exists", 2)
        );
        let f = Fail::from(NlError {
            errno: libc::EEXIST,
            message: Some("ipv4: Address already assigned".into()),
        });
        assert_eq!(f.text, "Error: ipv4: Address already assigned.");
    }
}
