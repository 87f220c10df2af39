//! One process as `ps` and `top` show it: its stat, ids, command line, names and terminal,
//! read from /proc in one go; a process that vanishes on the way is simply not a row.

use crate::applets::proc::procs::{self, Ids, Stat, System};
use crate::common::passwd::Accounts;

/// What a listing needs beyond stat (reading less is faster on a busy system).
#[derive(Clone, Copy, Debug, Default)]
pub struct Need {
    /// The command line (/proc/PID/cmdline).
    pub cmdline: bool,
    /// The terminal's name.
    pub tty: bool,
}

/// One process.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// Process id.
    pub pid: i32,
    /// /proc/PID/stat.
    pub stat: Stat,
    /// /proc/PID/status ids and memory.
    pub ids: Ids,
    /// /proc/PID/cmdline split at NULs (empty for kernel threads and zombies).
    pub argv: Vec<Vec<u8>>,
    /// Effective and real user names, effective and real group names.
    pub user: Vec<u8>,
    /// Real user name.
    pub ruser: Vec<u8>,
    /// Effective group name.
    pub group: Vec<u8>,
    /// Real group name.
    pub rgroup: Vec<u8>,
    /// The terminal, if any and if asked for.
    pub tty: Option<String>,
    /// The system's figures at the time of reading.
    pub sys: Sys,
}

/// The system figures a row's values are computed with.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sys {
    /// Clock ticks per second.
    pub ticks: u64,
    /// Page size in KiB.
    pub page_kib: u64,
    /// Boot time, seconds since the epoch.
    pub boot_time: i64,
    /// Seconds since boot.
    pub uptime: f64,
    /// Total memory in KiB.
    pub mem_total_kib: u64,
}

impl From<&System> for Sys {
    fn from(s: &System) -> Sys {
        Sys {
            ticks: s.ticks.max(1),
            page_kib: s.page_kib,
            boot_time: s.boot_time,
            uptime: s.uptime,
            mem_total_kib: s.mem_total_kib,
        }
    }
}

/// Reads process `pid`, or `None` when it is gone (or unreadable) by the end.
pub fn read(pid: i32, need: Need, sys: Sys, accounts: &Accounts) -> Option<Row> {
    let stat = procs::read_stat(pid)?;
    let ids = procs::read_ids(pid)?;
    let argv = if need.cmdline {
        procs::split_cmdline(&std::fs::read(format!("/proc/{pid}/cmdline")).ok()?)
    } else {
        Vec::new()
    };
    let tty = if need.tty {
        procs::tty_of(pid, stat.tty_nr)
    } else {
        None
    };
    Some(Row {
        pid,
        user: accounts.user_name(ids.euid),
        ruser: accounts.user_name(ids.ruid),
        group: accounts.group_name(ids.egid),
        rgroup: accounts.group_name(ids.rgid),
        stat,
        ids,
        argv,
        tty,
        sys,
    })
}

impl Row {
    /// Seconds since the process started.
    pub fn elapsed(&self) -> u64 {
        let up = self.sys.uptime - self.stat.start as f64 / self.sys.ticks as f64;
        if up > 0.0 { up as u64 } else { 0 }
    }

    /// When it started, seconds since the epoch.
    pub fn started(&self) -> i64 {
        self.sys.boot_time + (self.stat.start / self.sys.ticks) as i64
    }

    /// User plus system CPU time in whole seconds.
    pub fn cpu_seconds(&self) -> u64 {
        self.cpu_ticks() / self.sys.ticks
    }

    /// User plus system CPU time in clock ticks.
    pub fn cpu_ticks(&self) -> u64 {
        self.stat.utime + self.stat.stime
    }

    /// CPU time over elapsed time, per mille (procps's `%CPU`).
    pub fn cpu_permille(&self) -> u64 {
        let secs = self.elapsed();
        if secs == 0 {
            return 0;
        }
        self.cpu_ticks() * 1000 / self.sys.ticks / secs
    }

    /// Resident size in KiB.
    pub fn rss_kib(&self) -> u64 {
        self.stat.rss * self.sys.page_kib
    }

    /// Resident size over total memory, per mille.
    pub fn mem_permille(&self) -> u64 {
        if self.sys.mem_total_kib == 0 {
            return 0;
        }
        self.rss_kib() * 1000 / self.sys.mem_total_kib
    }

    /// Whether it is a zombie.
    pub fn is_zombie(&self) -> bool {
        self.stat.state == b'Z'
    }

    /// The name, with ` <defunct>` for a zombie.
    pub fn comm_shown(&self) -> Vec<u8> {
        let mut v = printable(&self.stat.comm);
        if self.is_zombie() {
            v.extend_from_slice(b" <defunct>");
        }
        v
    }

    /// The command line with control characters as `?`; `[name]` when there is none.
    pub fn args_shown(&self) -> Vec<u8> {
        if self.argv.is_empty() {
            let mut v = b"[".to_vec();
            v.extend_from_slice(&printable(&self.stat.comm));
            v.push(b']');
            if self.is_zombie() {
                v.extend_from_slice(b" <defunct>");
            }
            return v;
        }
        printable(&self.argv.join(&b' '))
    }

    /// The state letter and BSD flags: `<` high priority, `N` low, `L` locked pages,
    /// `s` session leader, `l` threaded, `+` in the terminal's foreground group.
    pub fn stat_flags(&self) -> Vec<u8> {
        let s = &self.stat;
        let mut v = vec![s.state];
        if s.nice < 0 {
            v.push(b'<');
        } else if s.nice > 0 {
            v.push(b'N');
        }
        if self.ids.locked_kib > 0 {
            v.push(b'L');
        }
        if s.session == self.pid {
            v.push(b's');
        }
        if s.threads > 1 {
            v.push(b'l');
        }
        if s.tty_nr != 0 && s.tpgid == s.pgrp {
            v.push(b'+');
        }
        v
    }
}

/// `data` with control characters shown as `?`.
pub fn printable(data: &[u8]) -> Vec<u8> {
    data.iter()
        .map(|&b| if b < 0x20 || b == 0x7f { b'?' } else { b })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> Row {
        Row {
            pid: 10,
            stat: Stat {
                comm: b"sleep".to_vec(),
                state: b'S',
                session: 10,
                threads: 2,
                nice: -5,
                tty_nr: 34816,
                pgrp: 10,
                tpgid: 10,
                utime: 150,
                stime: 50,
                start: 1000,
                rss: 100,
                ..Stat::default()
            },
            sys: Sys {
                ticks: 100,
                page_kib: 4,
                boot_time: 1_000_000,
                uptime: 30.0,
                mem_total_kib: 4000,
            },
            ..Row::default()
        }
    }

    #[test]
    fn derived_figures() {
        let r = row();
        assert_eq!(r.elapsed(), 20);
        assert_eq!(r.started(), 1_000_010);
        assert_eq!(r.cpu_seconds(), 2);
        assert_eq!(r.cpu_permille(), 100);
        assert_eq!(r.rss_kib(), 400);
        assert_eq!(r.mem_permille(), 100);
        assert_eq!(r.stat_flags(), b"S<sl+");
    }

    #[test]
    fn a_process_that_is_gone_is_no_row() {
        let sys = Sys::default();
        let accounts = Accounts::default();
        assert!(read(i32::MAX, Need::default(), sys, &accounts).is_none());
        let me = std::process::id() as i32;
        let need = Need {
            cmdline: true,
            tty: true,
        };
        let row = read(me, need, sys, &accounts).expect("this process");
        assert!(!row.argv.is_empty());
    }

    #[test]
    fn names_of_threads_and_zombies() {
        let mut r = row();
        assert_eq!(r.args_shown(), b"[sleep]");
        r.argv = vec![b"sleep".to_vec(), b"a\nb".to_vec()];
        assert_eq!(r.args_shown(), b"sleep a?b");
        r.argv.clear();
        r.stat.state = b'Z';
        assert_eq!(r.args_shown(), b"[sleep] <defunct>");
        assert_eq!(r.comm_shown(), b"sleep <defunct>");
    }
}
