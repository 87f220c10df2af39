//! Which running processes a start-stop-daemon call means: the one in the pid file or
//! every process, narrowed by executable, name, owner, pid and parent; zombies and
//! this process never count.

use std::io;
use std::os::unix::fs::MetadataExt;

use crate::applets::proc::procs;

/// What processes must match (every given criterion at once).
#[derive(Clone, Debug, Default)]
pub struct Criteria {
    /// The executable's device and inode (`--exec`).
    pub exec: Option<(u64, u64)>,
    /// The process name (`--name`), compared with the kernel's 15-byte name.
    pub name: Option<Vec<u8>>,
    /// The effective user (`--user`).
    pub uid: Option<u32>,
    /// A process id (`--pid`).
    pub pid: Option<i32>,
    /// A parent process id (`--ppid`).
    pub ppid: Option<i32>,
}

/// What the pid file said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PidFile {
    /// No `--pidfile` was given.
    NotGiven,
    /// It does not exist.
    Missing,
    /// It names this process id (or holds no number: `None`).
    Holds(Option<i32>),
}

/// Reads a pid file: its first number.
pub fn read_pidfile(path: Option<&[u8]>) -> io::Result<PidFile> {
    use std::os::unix::ffi::OsStrExt;
    let Some(path) = path else {
        return Ok(PidFile::NotGiven);
    };
    match std::fs::read(std::ffi::OsStr::from_bytes(path)) {
        Ok(data) => {
            let text = String::from_utf8_lossy(&data);
            let pid = text
                .split_whitespace()
                .next()
                .and_then(|w| w.parse::<i32>().ok())
                .filter(|&p| p > 0);
            Ok(PidFile::Holds(pid))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(PidFile::Missing),
        Err(e) => Err(e),
    }
}

/// The running processes that match: only the pid file's process when there is a pid
/// file, else every process; ascending ids.
pub fn find(criteria: &Criteria, pidfile: &PidFile) -> Vec<i32> {
    let candidates = match pidfile {
        PidFile::NotGiven => procs::pids(),
        PidFile::Missing | PidFile::Holds(None) => Vec::new(),
        PidFile::Holds(Some(pid)) => vec![*pid],
    };
    let me = std::process::id() as i32;
    candidates
        .into_iter()
        .filter(|&pid| pid != me && matches(pid, criteria))
        .collect()
}

/// Whether process `pid` is alive (not a zombie) and meets every criterion.
pub fn matches(pid: i32, c: &Criteria) -> bool {
    let Some(stat) = procs::read_stat(pid) else {
        return false;
    };
    if stat.state == b'Z' || stat.state == b'X' {
        return false;
    }
    if c.pid.is_some_and(|p| p != pid) || c.ppid.is_some_and(|p| p != stat.ppid) {
        return false;
    }
    if let Some(name) = &c.name {
        let short = &name[..name.len().min(15)];
        if stat.comm != *name && stat.comm != short {
            return false;
        }
    }
    if let Some(uid) = c.uid
        && procs::read_ids(pid).is_none_or(|ids| ids.euid != uid)
    {
        return false;
    }
    if let Some(id) = c.exec {
        match std::fs::metadata(format!("/proc/{pid}/exe")) {
            Ok(m) if (m.dev(), m.ino()) == id => {}
            _ => return false,
        }
    }
    true
}

/// Whether process `pid` is still running (a zombie is not).
pub fn alive(pid: i32) -> bool {
    procs::read_stat(pid).is_some_and(|s| s.state != b'Z' && s.state != b'X')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_never_matched_but_its_parent_is_found_by_exec() {
        let me = std::process::id() as i32;
        let exe = std::fs::metadata("/proc/self/exe").unwrap();
        let c = Criteria {
            exec: Some((exe.dev(), exe.ino())),
            pid: Some(me),
            ..Criteria::default()
        };
        assert!(matches(me, &c));
        assert!(find(&c, &PidFile::NotGiven).is_empty());
        assert!(alive(me));
    }

    #[test]
    fn pidfiles() {
        let dir = std::env::temp_dir().join(format!("rbox-ssd-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("p.pid");
        std::fs::write(&f, "1234\n").unwrap();
        let path = f.to_str().unwrap().as_bytes();
        assert_eq!(
            read_pidfile(Some(path)).unwrap(),
            PidFile::Holds(Some(1234))
        );
        std::fs::write(&f, "junk\n").unwrap();
        assert_eq!(read_pidfile(Some(path)).unwrap(), PidFile::Holds(None));
        std::fs::remove_file(&f).unwrap();
        assert_eq!(read_pidfile(Some(path)).unwrap(), PidFile::Missing);
        assert_eq!(read_pidfile(None).unwrap(), PidFile::NotGiven);
        let _ = std::fs::remove_dir(&dir);
    }
}
