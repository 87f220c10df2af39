//! The process table as /proc shows it: each process's id, name, command line, owner and
//! start time, for `pidof`, `pgrep` and `pkill`.

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
}
