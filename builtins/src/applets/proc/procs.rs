//! The process table as /proc shows it: each process's id, name, command line, owner and
//! start time, for `pidof`, `pgrep` and `pkill`; the fuller [`Stat`] and [`Ids`] of one
//! process and the [`System`] facts (clock ticks, boot time, memory) for `ps` and `top`.

use std::os::unix::fs::MetadataExt;

/// One process.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Process {
    /// Process id.
    pub pid: i32,
    /// The kernel's name for it (`comm`, at most 15 bytes), from /proc/PID/stat.
    pub comm: Vec<u8>,
    /// Its arguments, from /proc/PID/cmdline (empty for kernel threads and zombies).
    pub argv: Vec<Vec<u8>>,
    /// Real user id: the owner of /proc/PID.
    pub uid: u32,
    /// Start time in clock ticks after boot (field 22 of stat).
    pub start: u64,
}

/// Every process readable now, in /proc's order (ascending ids). Processes that vanish
/// while being read are skipped.
pub fn list() -> Vec<Process> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut all: Vec<Process> = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(read)
        .collect();
    all.sort_by_key(|p| p.pid);
    all
}

/// Reads one process, or `None` when it is gone.
pub fn read(pid: i32) -> Option<Process> {
    let base = format!("/proc/{pid}");
    let uid = std::fs::metadata(&base).ok()?.uid();
    let stat = std::fs::read(format!("{base}/stat")).ok()?;
    let (comm, start) = parse_stat(&stat)?;
    let cmdline = std::fs::read(format!("{base}/cmdline")).unwrap_or_default();
    Some(Process {
        pid,
        comm,
        argv: split_cmdline(&cmdline),
        uid,
        start,
    })
}

/// The name between the first `(` and the last `)` of a stat line, and the start time.
pub fn parse_stat(stat: &[u8]) -> Option<(Vec<u8>, u64)> {
    let open = stat.iter().position(|&b| b == b'(')?;
    let close = stat.iter().rposition(|&b| b == b')')?;
    let comm = stat.get(open + 1..close)?.to_vec();
    // After ") " come fields 3 (state) onward; the start time is field 22.
    let rest = std::str::from_utf8(stat.get(close + 1..)?).ok()?;
    let start = rest.split_whitespace().nth(19)?.parse().ok()?;
    Some((comm, start))
}

/// Splits a NUL-separated cmdline; a trailing NUL ends the last argument.
pub fn split_cmdline(data: &[u8]) -> Vec<Vec<u8>> {
    let data = data.strip_suffix(b"\0").unwrap_or(data);
    if data.is_empty() {
        return Vec::new();
    }
    data.split(|&b| b == 0).map(<[u8]>::to_vec).collect()
}

/// The fields of /proc/PID/stat that `ps` and `top` show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    /// The kernel's name (`comm`).
    pub comm: Vec<u8>,
    /// The state letter (`R`, `S`, `D`, `Z`, `T`, `t`, `I`, `X`).
    pub state: u8,
    /// Parent process id.
    pub ppid: i32,
    /// Process group id.
    pub pgrp: i32,
    /// Session id.
    pub session: i32,
    /// The controlling terminal's device number (0 for none).
    pub tty_nr: u64,
    /// The terminal's foreground process group (-1 for none).
    pub tpgid: i32,
    /// User-mode CPU time, in clock ticks.
    pub utime: u64,
    /// Kernel-mode CPU time, in clock ticks.
    pub stime: u64,
    /// The kernel's priority value (20 + nice for normal tasks, negative for real time).
    pub priority: i64,
    /// The nice value, -20..19.
    pub nice: i64,
    /// Number of threads.
    pub threads: u64,
    /// Start time in clock ticks after boot.
    pub start: u64,
    /// Virtual memory size in bytes.
    pub vsize: u64,
    /// Resident set size in pages.
    pub rss: u64,
    /// The CPU it last ran on.
    pub processor: i64,
    /// The scheduling policy (0 normal, 1 FIFO, 2 RR, 3 batch, 5 idle, 6 deadline).
    pub policy: u64,
}

/// Parses a whole /proc/PID/stat line; `None` when it is cut short or malformed.
pub fn parse_stat_fields(stat: &[u8]) -> Option<Stat> {
    let open = stat.iter().position(|&b| b == b'(')?;
    let close = stat.iter().rposition(|&b| b == b')')?;
    let comm = stat.get(open + 1..close)?.to_vec();
    let rest = std::str::from_utf8(stat.get(close + 1..)?).ok()?;
    // f[0] is field 3 of proc(5) (the state), so field N is f[N - 3].
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |n: usize| -> Option<i64> { f.get(n - 3)?.parse().ok() };
    let unum = |n: usize| -> Option<u64> { f.get(n - 3)?.parse().ok() };
    Some(Stat {
        comm,
        state: *f.first()?.as_bytes().first()?,
        ppid: num(4)? as i32,
        pgrp: num(5)? as i32,
        session: num(6)? as i32,
        tty_nr: num(7)? as u64 & 0xffff_ffff,
        tpgid: num(8)? as i32,
        utime: unum(14)?,
        stime: unum(15)?,
        priority: num(18)?,
        nice: num(19)?,
        threads: unum(20)?,
        start: unum(22)?,
        vsize: unum(23)?,
        rss: num(24)?.max(0) as u64,
        processor: num(39).unwrap_or(0),
        policy: unum(41).unwrap_or(0),
    })
}

/// Reads /proc/PID/stat, or `None` when the process is gone.
pub fn read_stat(pid: i32) -> Option<Stat> {
    parse_stat_fields(&std::fs::read(format!("/proc/{pid}/stat")).ok()?)
}

/// The ids and memory figures of /proc/PID/status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ids {
    /// Real user id.
    pub ruid: u32,
    /// Effective user id.
    pub euid: u32,
    /// Real group id.
    pub rgid: u32,
    /// Effective group id.
    pub egid: u32,
    /// Locked memory in KiB (`VmLck`).
    pub locked_kib: u64,
    /// Shared resident memory in KiB (`RssFile` + `RssShmem`).
    pub shared_kib: u64,
}

/// Parses /proc/PID/status text; `None` without `Uid:` and `Gid:` lines.
pub fn parse_status(text: &[u8]) -> Option<Ids> {
    let mut ids = Ids::default();
    let (mut uid, mut gid) = (false, false);
    for line in text.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (key, value) = (&line[..colon], &line[colon + 1..]);
        let nums: Vec<u64> = std::str::from_utf8(value)
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        let first = nums.first().copied().unwrap_or(0);
        match key {
            b"Uid" if nums.len() >= 2 => {
                (ids.ruid, ids.euid, uid) = (nums[0] as u32, nums[1] as u32, true);
            }
            b"Gid" if nums.len() >= 2 => {
                (ids.rgid, ids.egid, gid) = (nums[0] as u32, nums[1] as u32, true);
            }
            b"VmLck" => ids.locked_kib = first,
            b"RssFile" | b"RssShmem" => ids.shared_kib += first,
            _ => {}
        }
    }
    (uid && gid).then_some(ids)
}

/// Reads /proc/PID/status, or `None` when the process is gone.
pub fn read_ids(pid: i32) -> Option<Ids> {
    parse_status(&std::fs::read(format!("/proc/{pid}/status")).ok()?)
}

/// Every process id in /proc now, ascending.
pub fn pids() -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut all: Vec<i32> = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .collect();
    all.sort_unstable();
    all
}

/// What the whole system says, for turning ticks and pages into times and sizes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct System {
    /// Clock ticks per second (`_SC_CLK_TCK`).
    pub ticks: u64,
    /// Page size in KiB.
    pub page_kib: u64,
    /// Boot time, seconds since the epoch (`btime` of /proc/stat).
    pub boot_time: i64,
    /// Seconds since boot (/proc/uptime).
    pub uptime: f64,
    /// Total memory in KiB (`MemTotal` of /proc/meminfo).
    pub mem_total_kib: u64,
    /// The largest process id plus one (/proc/sys/kernel/pid_max).
    pub pid_max: u64,
}

impl System {
    /// Reads the system's figures now; missing files give safe defaults.
    pub fn read() -> System {
        // SAFETY: sysconf only reads a configuration value.
        let (ticks, page) = unsafe {
            (
                libc::sysconf(libc::_SC_CLK_TCK),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        let text = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let boot_time = text("/proc/stat")
            .lines()
            .find_map(|l| l.strip_prefix("btime ")?.trim().parse().ok())
            .unwrap_or(0);
        let uptime = text("/proc/uptime")
            .split_whitespace()
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0);
        let mem_total_kib = meminfo_value(&text("/proc/meminfo"), "MemTotal").unwrap_or(0);
        let pid_max = text("/proc/sys/kernel/pid_max")
            .trim()
            .parse()
            .unwrap_or(32768);
        System {
            ticks: if ticks > 0 { ticks as u64 } else { 100 },
            page_kib: if page > 0 { page as u64 / 1024 } else { 4 },
            boot_time,
            uptime,
            mem_total_kib,
            pid_max,
        }
    }
}

/// The KiB value of `key` in /proc/meminfo text.
pub fn meminfo_value(meminfo: &str, key: &str) -> Option<u64> {
    meminfo.lines().find_map(|l| {
        let rest = l.strip_prefix(key)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The name of a terminal device number as ps shows it (`pts/3`, `tty1`, `ttyS0`), or
/// `None` for none or one not known by number alone.
pub fn tty_name(tty_nr: u64) -> Option<String> {
    if tty_nr == 0 {
        return None;
    }
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    match major {
        136..=143 => Some(format!("pts/{}", (major - 136) * 256 + minor)),
        4 if minor < 64 => Some(format!("tty{minor}")),
        4 => Some(format!("ttyS{}", minor - 64)),
        5 if minor == 1 => Some("console".to_string()),
        _ => None,
    }
}

/// The terminal of process `pid` by its device number: the name from [`tty_name`], else
/// the /dev path one of its standard fds points at when that is the same device.
pub fn tty_of(pid: i32, tty_nr: u64) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    if let Some(name) = tty_name(tty_nr) {
        return Some(name);
    }
    if tty_nr == 0 {
        return None;
    }
    for fd in [0, 1, 2, 255] {
        let Ok(target) = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")) else {
            continue;
        };
        let Ok(meta) = std::fs::metadata(&target) else {
            continue;
        };
        if meta.file_type().is_char_device() && meta.rdev() == tty_nr {
            let path = target.to_string_lossy().into_owned();
            return Some(path.strip_prefix("/dev/").unwrap_or(&path).to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_names_may_hold_parentheses_and_spaces() {
        let stat = b"42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 12345 1000 10";
        assert_eq!(parse_stat(stat), Some((b"a) b (c".to_vec(), 12345)));
        assert_eq!(parse_stat(b"garbage"), None);
    }

    #[test]
    fn cmdlines() {
        assert_eq!(
            split_cmdline(b"sleep\x0030\x00"),
            vec![b"sleep".to_vec(), b"30".to_vec()]
        );
        assert_eq!(split_cmdline(b""), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn reads_this_process() {
        let me = read(std::process::id() as i32).expect("own /proc entry");
        assert!(!me.comm.is_empty());
        assert!(!me.argv.is_empty());
        assert!(list().iter().any(|p| p.pid == me.pid));
    }
    #[test]
    fn full_stat_fields() {
        let stat = b"77 (my (prog)) S 1 77 70 34816 77 4194560 1 2 3 4 150 25 0 0 20 0 3 0 9000 10485760 256 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        let s = parse_stat_fields(stat).expect("parsed");
        assert_eq!(s.comm, b"my (prog)");
        assert_eq!((s.state, s.ppid, s.pgrp, s.session), (b'S', 1, 77, 70));
        assert_eq!((s.tty_nr, s.tpgid), (34816, 77));
        assert_eq!((s.utime, s.stime, s.priority, s.nice), (150, 25, 20, 0));
        assert_eq!(
            (s.threads, s.start, s.vsize, s.rss),
            (3, 9000, 10485760, 256)
        );
        assert_eq!(s.processor, 1);
        assert_eq!(parse_stat_fields(b"1 (x) S 0"), None);
    }

    #[test]
    fn status_ids() {
        let text = b"Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t100\t50\t50\t50\nVmLck:\t       4 kB\nRssFile:\t  10 kB\nRssShmem:\t 2 kB\n";
        let ids = parse_status(text).expect("parsed");
        assert_eq!((ids.ruid, ids.euid, ids.rgid, ids.egid), (1000, 0, 100, 50));
        assert_eq!((ids.locked_kib, ids.shared_kib), (4, 12));
        assert_eq!(parse_status(b"Name:\tx\n"), None);
    }

    #[test]
    fn tty_names_by_number() {
        assert_eq!(tty_name(0), None);
        assert_eq!(tty_name(136 << 8 | 3).as_deref(), Some("pts/3"));
        assert_eq!(tty_name(4 << 8 | 1).as_deref(), Some("tty1"));
        assert_eq!(tty_name(4 << 8 | 64).as_deref(), Some("ttyS0"));
        assert_eq!(tty_name((136 << 8) | (1 << 20)).as_deref(), Some("pts/256"));
    }

    #[test]
    fn system_figures() {
        let sys = System::read();
        assert!(sys.ticks > 0 && sys.page_kib > 0 && sys.boot_time > 0);
        assert!(sys.mem_total_kib > 0);
        assert_eq!(
            meminfo_value("MemTotal:  100 kB\nMemFree: 5 kB\n", "MemFree"),
            Some(5)
        );
        let me = std::process::id() as i32;
        assert!(pids().contains(&me));
        assert_eq!(
            read_stat(me).expect("own stat").pgrp,
            nix::unistd::getpgrp().as_raw()
        );
        assert_eq!(
            read_ids(me).expect("own status").euid,
            nix::unistd::geteuid().as_raw()
        );
    }
}
