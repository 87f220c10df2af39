//! `ping`: send ICMP echo requests and report the replies and statistics in BusyBox's
//! words; exit 0 when a reply came (and, with `-w`, all `-c` of them), else 1.

pub mod icmp;

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::resolve::{self, Family};
use crate::prelude::*;

/// The `ping` applet.
pub const APPLET: Applet = Applet::new("ping", main, Run::Exec)
    .dir(InstallDir::Bin)
    .usage("[-46q] [-c CNT] [-i SECS] [-s SIZE] [-t TTL] [-W SECS] [-w SECS] HOST")
    .help(
        "Send ICMP ECHO_REQUESTs to HOST.\n\n\
         -4,-6\t\tForce IPv4 or IPv6 name resolution\n\
         -c CNT\t\tSend only CNT pings\n\
         -s SIZE\t\tSend SIZE data bytes in packets (default 56)\n\
         -i SECS\t\tInterval (default 1)\n\
         -t TTL\t\tSet TTL\n\
         -W SECS\t\tSeconds to wait for the first response (default 10)\n\
         \t\t(after all -c CNT packets are sent)\n\
         -w SECS\t\tSeconds until ping exits (default: infinite)\n\
         -q\t\tQuiet, only display output at start/finish",
    );

/// What the command line asks.
struct Options {
    count: Option<u64>,
    interval: Duration,
    wait: Duration,
    deadline: Option<Duration>,
    size: usize,
    ttl: Option<i32>,
    quiet: bool,
    family: Family,
    host: Vec<u8>,
}

/// Seconds, possibly fractional (`0.2`).
fn seconds(v: &[u8], what: &str) -> Result<Duration, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| Error::msg(format!("invalid {what} '{}'", String::from_utf8_lossy(v))))
}

fn parse(ctx: &Ctx<'_>) -> Result<Options, Error> {
    let mut o = Options {
        count: None,
        interval: Duration::from_secs(1),
        wait: Duration::from_secs(10),
        deadline: None,
        size: 56,
        ttl: None,
        quiet: false,
        family: Family::Any,
        host: Vec::new(),
    };
    let mut host = None;
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') => o.count = Some(crate::opts::parse_number(&opts.value()?, "count")?),
            Arg::Short('i') => o.interval = seconds(&opts.value()?, "interval")?,
            Arg::Short('W') => o.wait = seconds(&opts.value()?, "timeout")?,
            Arg::Short('w') => o.deadline = Some(seconds(&opts.value()?, "deadline")?),
            Arg::Short('s') => {
                o.size = crate::opts::parse_number(&opts.value()?, "size")?;
                if o.size > 65507 {
                    return Err(Error::msg(format!("packet size {} is too large", o.size)));
                }
            }
            Arg::Short('t') => o.ttl = Some(crate::opts::parse_number(&opts.value()?, "TTL")?),
            Arg::Short('q') => o.quiet = true,
            Arg::Short('4') => o.family = Family::V4,
            Arg::Short('6') => o.family = Family::V6,
            Arg::Value(v) if host.is_none() => host = Some(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    o.host = host.ok_or_else(|| Error::usage("missing HOST"))?;
    Ok(o)
}

/// Set by SIGINT: stop sending and print the statistics.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    STOP.store(true, Ordering::Relaxed);
}

/// Catches SIGINT (ping runs as its own process: `Run::Exec`).
fn catch_sigint() {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
    let act = SigAction::new(
        SigHandler::Handler(on_sigint),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to an atomic.
    let _ = unsafe { sigaction(Signal::SIGINT, &act) };
}

/// Microseconds as `M.UUU`.
fn ms(us: u128) -> String {
    format!("{}.{:03}", us / 1000, us % 1000)
}

/// The running counts.
#[derive(Default)]
struct Tally {
    sent: u64,
    received: u64,
    dups: u64,
    min: u128,
    max: u128,
    sum: u128,
}

impl Tally {
    fn statistics(&self, host: &str) -> String {
        let mut s = format!(
            "\n--- {host} ping statistics ---\n{} packets transmitted, {} packets received, ",
            self.sent, self.received
        );
        if self.dups > 0 {
            let _ = write!(s, "{} duplicates, ", self.dups);
        }
        let loss = ((self.sent - self.received.min(self.sent)) * 100)
            .checked_div(self.sent)
            .unwrap_or(0);
        let _ = writeln!(s, "{loss}% packet loss");
        if self.received > 0 {
            let avg = self.sum / (self.received + self.dups) as u128;
            let _ = writeln!(
                s,
                "round-trip min/avg/max = {}/{}/{} ms",
                ms(self.min),
                ms(avg),
                ms(self.max)
            );
        }
        s
    }
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let o = parse(ctx)?;
    let host = String::from_utf8_lossy(&o.host).into_owned();
    let target: IpAddr = resolve::lookup_host(&o.host, o.family)
        .ok()
        .and_then(|v| v.first().copied())
        .ok_or_else(|| Error::msg(format!("bad address '{host}'")))?;
    let sock = icmp::EchoSocket::open(target, o.ttl).map_err(|e| {
        if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EACCES)) {
            Error::msg("permission denied (are you root?)")
        } else {
            Error::io(b"socket", &e)
        }
    })?;
    catch_sigint();
    writeln!(ctx.stdout, "PING {host} ({target}): {} data bytes", o.size)?;
    ctx.stdout.flush()?;
    let start = Instant::now();
    let mut t = Tally::default();
    let mut sent_at: Vec<Option<Instant>> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut next_send = start;
    let mut end_wait: Option<Instant> = None;
    let deadline = o.deadline.map(|d| start + d);
    loop {
        if STOP.load(Ordering::Relaxed) || ctx.interrupted() {
            break;
        }
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            break;
        }
        let more = o.count.is_none_or(|c| t.sent < c);
        if more && now >= next_send {
            let seq = (t.sent & 0xffff) as u16;
            if let Err(e) = sock.send(target, seq, o.size) {
                ctx.stdout.flush()?;
                return Err(Error::io(b"sendto", &e));
            }
            if sent_at.len() <= seq as usize {
                sent_at.resize(seq as usize + 1, None);
                seen.resize(seq as usize + 1, false);
            }
            sent_at[seq as usize] = Some(now);
            seen[seq as usize] = false;
            t.sent += 1;
            next_send += o.interval;
            if o.count.is_some_and(|c| t.sent >= c) {
                let wait = if t.received > 0 {
                    Duration::from_micros((2 * t.max) as u64).max(Duration::from_secs(1))
                } else {
                    o.wait
                };
                end_wait = Some(now + wait);
            }
        }
        if end_wait.is_some_and(|e| now >= e) || o.count.is_some_and(|c| c > 0 && t.received >= c) {
            break;
        }
        let mut until = [end_wait, deadline].into_iter().flatten().min();
        if o.count.is_none_or(|c| t.sent < c) {
            until = Some(until.map_or(next_send, |u| u.min(next_send)));
        }
        let slice = until
            .map(|u| u.saturating_duration_since(now))
            .unwrap_or(Duration::from_millis(200))
            .min(Duration::from_millis(200));
        let mut pfd = libc::pollfd {
            fd: sock.raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let wait_ms = slice.as_millis().max(u128::from(!slice.is_zero())) as i32;
        // SAFETY: one live pollfd.
        let rc = unsafe { libc::poll(&mut pfd, 1, wait_ms) };
        if rc <= 0 {
            continue;
        }
        loop {
            let reply = match sock.recv() {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(_) => break,
            };
            if reply.from != target {
                continue;
            }
            let Some(Some(at)) = sent_at.get(reply.seq as usize).copied() else {
                continue;
            };
            let us = at.elapsed().as_micros();
            let dup = std::mem::replace(&mut seen[reply.seq as usize], true);
            if dup {
                t.dups += 1;
            } else {
                t.received += 1;
            }
            if t.received + t.dups == 1 {
                (t.min, t.max) = (us, us);
            }
            t.min = t.min.min(us);
            t.max = t.max.max(us);
            t.sum += us;
            if !o.quiet {
                let mut line = format!(
                    "{} bytes from {}: seq={} ttl={} time={} ms",
                    reply.len,
                    reply.from,
                    reply.seq,
                    reply.ttl,
                    ms(us)
                );
                if dup {
                    line.push_str(" (DUP!)");
                }
                line.push('\n');
                ctx.stdout.write_all(line.as_bytes())?;
                ctx.stdout.flush()?;
            }
        }
    }
    ctx.stdout.write_all(t.statistics(&host).as_bytes())?;
    let short = o.deadline.is_some() && o.count.is_some_and(|c| t.received < c);
    if t.received == 0 || short {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn statistics_lines() {
        let t = Tally {
            sent: 3,
            received: 2,
            dups: 1,
            min: 91,
            max: 1100,
            sum: 1500,
        };
        assert_eq!(
            t.statistics("h"),
            "\n--- h ping statistics ---\n3 packets transmitted, 2 packets received, \
             1 duplicates, 33% packet loss\nround-trip min/avg/max = 0.091/0.500/1.100 ms\n"
        );
        let none = Tally {
            sent: 1,
            ..Tally::default()
        };
        assert_eq!(
            none.statistics("h"),
            "\n--- h ping statistics ---\n1 packets transmitted, 0 packets received, \
             100% packet loss\n"
        );
    }

    #[test]
    fn bad_usage() {
        let r = run("ping", &["-c", "x", "h"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "ping: invalid count: 'x'\n".into())
        );
        let r = run("ping", &["-i", "-1", "h"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "ping: invalid interval '-1'\n".into())
        );
        assert!(
            run("ping", &[], b"")
                .err()
                .starts_with("ping: missing HOST\n")
        );
    }
}
