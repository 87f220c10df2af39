//! The columns `ps -o` knows: procps's names, headers, widths and alignment, and how one
//! process's value for each is written.

use super::row::Row;
use crate::common::time::{Tm, Tz, localtime};

/// Which value a column shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Process id.
    Pid,
    /// Parent process id.
    Ppid,
    /// Process group id.
    Pgid,
    /// Session id.
    Sid,
    /// Effective user name.
    User,
    /// Real user name.
    Ruser,
    /// Effective group name.
    Group,
    /// Real group name.
    Rgroup,
    /// Effective user id.
    Uid,
    /// Real user id.
    Ruid,
    /// Effective group id.
    Gid,
    /// Real group id.
    Rgid,
    /// The kernel's name.
    Comm,
    /// The command line.
    Args,
    /// Elapsed time since the start, `[[dd-]hh:]mm:ss`.
    Etime,
    /// Elapsed seconds.
    Etimes,
    /// CPU time, `[dd-]hh:mm:ss`.
    Time,
    /// CPU time, `m:ss` (BSD forms).
    BsdTime,
    /// CPU time, `m:ss` in a BusyBox column.
    BbTime,
    /// Nice value.
    Nice,
    /// Kernel priority as ps shows it.
    Pri,
    /// Virtual size in KiB.
    Vsz,
    /// Resident size in KiB.
    Rss,
    /// State with the BSD flags (`Ss+`, `R<l`).
    Stat,
    /// State letter.
    State,
    /// Controlling terminal.
    Tty,
    /// CPU use over the lifetime, per cent with one decimal.
    Pcpu,
    /// CPU use, whole per cent (`-f`'s `C`).
    C,
    /// Share of memory, per cent.
    Pmem,
    /// Start time, `HH:MM:SS` or `Mon DD`.
    Start,
    /// Start time, `Tue Dec  1 15:16:16 2026`.
    Lstart,
    /// Start time, `HH:MM` or `MonDD` (`-f`'s `STIME`).
    Stime,
    /// Start time, `HH:MM` or `MonDD` (BSD `START`).
    BsdStart,
    /// Thread count.
    Nlwp,
    /// Last CPU.
    Psr,
}

/// One column a format can hold.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The `-o` names that select it.
    pub names: &'static [&'static str],
    /// Its default header.
    pub header: &'static str,
    /// Its width.
    pub width: usize,
    /// Whether values are left-aligned.
    pub left: bool,
    /// What it shows.
    pub key: Key,
}

const fn spec(
    names: &'static [&'static str],
    header: &'static str,
    width: usize,
    left: bool,
    key: Key,
) -> Spec {
    Spec {
        names,
        header,
        width,
        left,
        key,
    }
}

/// Every `-o` column, with procps's headers and widths.
pub const SPECS: &[Spec] = &[
    spec(&["pid"], "PID", 5, false, Key::Pid),
    spec(&["tid", "lwp", "spid"], "TID", 5, false, Key::Pid),
    spec(&["ppid"], "PPID", 5, false, Key::Ppid),
    spec(&["pgid", "pgrp"], "PGID", 5, false, Key::Pgid),
    spec(&["sid", "sess", "session"], "SID", 5, false, Key::Sid),
    spec(&["user", "uname"], "USER", 8, true, Key::User),
    spec(&["euser"], "EUSER", 8, true, Key::User),
    spec(&["ruser"], "RUSER", 8, true, Key::Ruser),
    spec(&["group"], "GROUP", 8, true, Key::Group),
    spec(&["egroup"], "EGROUP", 8, true, Key::Group),
    spec(&["rgroup"], "RGROUP", 8, true, Key::Rgroup),
    spec(&["uid", "euid"], "UID", 5, false, Key::Uid),
    spec(&["ruid"], "RUID", 5, false, Key::Ruid),
    spec(&["gid", "egid"], "GID", 5, false, Key::Gid),
    spec(&["rgid"], "RGID", 5, false, Key::Rgid),
    spec(&["comm", "ucmd", "ucomm"], "COMMAND", 15, true, Key::Comm),
    spec(&["args", "command"], "COMMAND", 27, true, Key::Args),
    spec(&["cmd"], "CMD", 27, true, Key::Args),
    spec(&["etime"], "ELAPSED", 11, false, Key::Etime),
    spec(&["etimes"], "ELAPSED", 7, false, Key::Etimes),
    spec(&["time", "cputime"], "TIME", 8, false, Key::Time),
    spec(&["bsdtime"], "TIME", 6, false, Key::BsdTime),
    spec(&["nice", "ni"], "NI", 3, false, Key::Nice),
    spec(&["pri"], "PRI", 3, false, Key::Pri),
    spec(&["vsz", "vsize"], "VSZ", 6, false, Key::Vsz),
    spec(&["rss", "rssize", "rsz"], "RSS", 5, false, Key::Rss),
    spec(&["stat"], "STAT", 4, true, Key::Stat),
    spec(&["s", "state"], "S", 1, true, Key::State),
    spec(&["tty", "tt", "tname"], "TT", 8, true, Key::Tty),
    spec(&["pcpu", "%cpu"], "%CPU", 4, false, Key::Pcpu),
    spec(&["c"], "C", 2, false, Key::C),
    spec(&["pmem", "%mem"], "%MEM", 4, false, Key::Pmem),
    spec(&["start"], "STARTED", 8, false, Key::Start),
    spec(&["lstart"], "STARTED", 24, false, Key::Lstart),
    spec(&["stime", "start_time"], "STIME", 5, false, Key::Stime),
    spec(&["bsdstart"], "START", 5, false, Key::BsdStart),
    spec(&["nlwp", "thcount"], "NLWP", 4, false, Key::Nlwp),
    spec(&["psr"], "PSR", 3, false, Key::Psr),
];

/// The column `name` selects (case-insensitively), if any.
pub fn lookup(name: &[u8]) -> Option<&'static Spec> {
    let name = name.to_ascii_lowercase();
    SPECS
        .iter()
        .find(|s| s.names.iter().any(|n| n.as_bytes() == name.as_slice()))
}

/// What a value needs that the row does not hold: the clock and the zone for times.
pub struct Clock {
    /// Now, seconds since the epoch.
    pub now: i64,
    /// The local zone.
    pub tz: Tz,
}

/// The text of column `key` for `row`.
pub fn value(key: Key, row: &Row, clock: &Clock) -> Vec<u8> {
    let s = &row.stat;
    let text = |v: String| v.into_bytes();
    match key {
        Key::Pid => text(row.pid.to_string()),
        Key::Ppid => text(s.ppid.to_string()),
        Key::Pgid => text(s.pgrp.to_string()),
        Key::Sid => text(s.session.to_string()),
        Key::User => row.user.clone(),
        Key::Ruser => row.ruser.clone(),
        Key::Group => row.group.clone(),
        Key::Rgroup => row.rgroup.clone(),
        Key::Uid => text(row.ids.euid.to_string()),
        Key::Ruid => text(row.ids.ruid.to_string()),
        Key::Gid => text(row.ids.egid.to_string()),
        Key::Rgid => text(row.ids.rgid.to_string()),
        Key::Comm => row.comm_shown(),
        Key::Args => row.args_shown(),
        Key::Etime => text(etime(row.elapsed())),
        Key::Etimes => text(row.elapsed().to_string()),
        Key::Time => text(cputime(row.cpu_seconds())),
        Key::BsdTime => text(minutes_seconds(row.cpu_seconds())),
        Key::BbTime => text(format!(
            "{:2}:{:02}",
            row.cpu_seconds() / 60,
            row.cpu_seconds() % 60
        )),
        Key::Nice if s.policy == 1 || s.policy == 2 => b"-".to_vec(),
        Key::Nice => text(s.nice.to_string()),
        Key::Pri => text((39 - s.priority).to_string()),
        Key::Vsz => text((s.vsize / 1024).to_string()),
        Key::Rss => text(row.rss_kib().to_string()),
        Key::Stat => row.stat_flags(),
        Key::State => vec![s.state],
        Key::Tty => text(row.tty.clone().unwrap_or_else(|| "?".to_string())),
        Key::Pcpu => text(permille(row.cpu_permille())),
        Key::C => text((row.cpu_permille() / 10).min(99).to_string()),
        Key::Pmem => text(permille(row.mem_permille())),
        Key::Start => {
            let t = row.started();
            let tm = localtime(t, &clock.tz);
            if clock.now - t < 24 * 3600 {
                text(format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec))
            } else {
                text(format!("{} {:02}", month(&tm), tm.mday))
            }
        }
        Key::Lstart => {
            let tm = localtime(row.started(), &clock.tz);
            text(format!(
                "{} {} {:2} {:02}:{:02}:{:02} {}",
                weekday(&tm),
                month(&tm),
                tm.mday,
                tm.hour,
                tm.min,
                tm.sec,
                tm.year
            ))
        }
        Key::Stime | Key::BsdStart => {
            let t = row.started();
            let tm = localtime(t, &clock.tz);
            if clock.now - t < 24 * 3600 {
                text(format!("{:02}:{:02}", tm.hour, tm.min))
            } else {
                text(format!("{}{:02}", month(&tm), tm.mday))
            }
        }
        Key::Nlwp => text(s.threads.to_string()),
        Key::Psr => text(s.processor.to_string()),
    }
}

/// `[[dd-]hh:]mm:ss`, procps's elapsed time.
pub fn etime(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if d > 0 {
        format!("{d}-{h:02}:{m:02}:{s:02}")
    } else if h > 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `[dd-]hh:mm:ss`, procps's CPU time.
pub fn cputime(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if d > 0 {
        format!("{d}-{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

/// `m:ss`, the BSD CPU time.
pub fn minutes_seconds(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A per-mille figure as per cent with one decimal; whole per cent from 100 up.
pub fn permille(v: u64) -> String {
    if v >= 1000 {
        (v / 10).to_string()
    } else {
        format!("{}.{}", v / 10, v % 10)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

fn month(tm: &Tm) -> &'static str {
    MONTHS[(tm.mon.clamp(1, 12) - 1) as usize]
}

fn weekday(tm: &Tm) -> &'static str {
    WEEKDAYS[(tm.wday % 7) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_select_procps_columns() {
        assert_eq!(lookup(b"pid").map(|s| s.header), Some("PID"));
        assert_eq!(lookup(b"%CPU").map(|s| s.key), Some(Key::Pcpu));
        assert_eq!(lookup(b"cmd").map(|s| s.header), Some("CMD"));
        assert_eq!(lookup(b"tt").map(|s| (s.header, s.width)), Some(("TT", 8)));
        assert!(lookup(b"foo").is_none());
    }

    #[test]
    fn times() {
        assert_eq!(etime(21), "00:21");
        assert_eq!(etime(5 * 3600 + 29 * 60 + 37), "05:29:37");
        assert_eq!(etime(2 * 86400 + 3661), "2-01:01:01");
        assert_eq!(cputime(18), "00:00:18");
        assert_eq!(cputime(86400 + 1), "1-00:00:01");
        assert_eq!(minutes_seconds(18), "0:18");
        assert_eq!(minutes_seconds(3725), "62:05");
    }

    #[test]
    fn per_cent() {
        assert_eq!(permille(0), "0.0");
        assert_eq!(permille(123), "12.3");
        assert_eq!(permille(1999), "199");
    }
}
