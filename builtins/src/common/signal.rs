//! Signal names and numbers: `kill -l`, `timeout -s`, `pkill -SIG`, the shell's `trap`.

/// Signal names without `SIG`, in number order, as Linux on x86-64 numbers them.
pub const NAMES: &[(&str, i32)] = &[
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("ILL", libc::SIGILL),
    ("TRAP", libc::SIGTRAP),
    ("ABRT", libc::SIGABRT),
    ("BUS", libc::SIGBUS),
    ("FPE", libc::SIGFPE),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("SEGV", libc::SIGSEGV),
    ("USR2", libc::SIGUSR2),
    ("PIPE", libc::SIGPIPE),
    ("ALRM", libc::SIGALRM),
    ("TERM", libc::SIGTERM),
    ("STKFLT", libc::SIGSTKFLT),
    ("CHLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("STOP", libc::SIGSTOP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
    ("VTALRM", libc::SIGVTALRM),
    ("PROF", libc::SIGPROF),
    ("WINCH", libc::SIGWINCH),
    ("IO", libc::SIGIO),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// Aliases accepted on input only.
const ALIASES: &[(&str, i32)] = &[
    ("CLD", libc::SIGCHLD),
    ("POLL", libc::SIGIO),
    ("IOT", libc::SIGABRT),
];

/// The name of signal `n` without `SIG` (`RTMIN+N` for real-time ones), if it has one.
pub fn name(n: i32) -> Option<String> {
    if let Some((s, _)) = NAMES.iter().find(|(_, v)| *v == n) {
        return Some((*s).to_string());
    }
    let (lo, hi) = (libc::SIGRTMIN(), libc::SIGRTMAX());
    match n {
        _ if n == lo => Some("RTMIN".into()),
        _ if n == hi => Some("RTMAX".into()),
        _ if n > lo && n < hi => Some(format!("RTMIN+{}", n - lo)),
        _ => None,
    }
}

/// The number of a signal given as a number (0 included) or a name with or without
/// `SIG`, in any case.
pub fn number(s: &[u8]) -> Option<i32> {
    let t = std::str::from_utf8(s).ok()?.to_ascii_uppercase();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = t.parse().ok()?;
        return (0..=libc::SIGRTMAX()).contains(&n).then_some(n);
    }
    let t = t.strip_prefix("SIG").unwrap_or(&t);
    if let Some((_, n)) = NAMES.iter().chain(ALIASES).find(|(name, _)| *name == t) {
        return Some(*n);
    }
    let (lo, hi) = (libc::SIGRTMIN(), libc::SIGRTMAX());
    let offset = |rest: &str| rest.parse::<i32>().ok();
    let n = match t {
        "RTMIN" => lo,
        "RTMAX" => hi,
        _ if t.starts_with("RTMIN+") => lo + offset(&t[6..])?,
        _ if t.starts_with("RTMAX-") => hi - offset(&t[6..])?,
        _ => return None,
    };
    (lo..=hi).contains(&n).then_some(n)
}

/// Sends signal `sig` to `pid` (a process, or `-PGID`, or 0 for this group).
pub fn send(pid: i32, sig: i32) -> std::io::Result<()> {
    // SAFETY: kill(2) has no memory effects.
    if unsafe { libc::kill(pid, sig) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for (n, v) in NAMES {
            assert_eq!(number(n.as_bytes()), Some(*v));
            assert_eq!(name(*v).as_deref(), Some(*n));
        }
        assert_eq!(number(b"sigterm"), Some(15));
        assert_eq!(number(b"0"), Some(0));
        assert_eq!(number(b"9"), Some(9));
        assert_eq!(number(b"CLD"), Some(17));
        assert_eq!(number(b"RTMIN+1"), Some(libc::SIGRTMIN() + 1));
        assert_eq!(name(libc::SIGRTMIN() + 2).as_deref(), Some("RTMIN+2"));
        assert_eq!(number(b"NOPE"), None);
        assert_eq!(number(b"-1"), None);
        assert_eq!(number(b"999"), None);
        assert_eq!(number(b""), None);
    }
}
