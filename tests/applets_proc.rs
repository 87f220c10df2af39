//! The process applets on real processes the tests start: ps rows for known pids, a busy
//! system of thousands of processes for ps and top, start-stop-daemon round trips with a
//! pid file, watch under a bounded wait, and top's full screen through a pty. Every
//! process started here is killed and reaped before the test ends.

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{rbox, run_in, scratch, text};

/// Children killed and reaped when dropped, even when an assertion fails.
struct Children(Vec<Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
        }
        for c in &mut self.0 {
            let _ = c.wait();
        }
    }
}

/// The first `sleep` on the host's PATH (coreutils), so ps sees a real exec'd program.
fn sleep_binary() -> &'static str {
    ["/bin/sleep", "/usr/bin/sleep"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("a sleep binary")
}

/// Starts `sleep SECS` and waits (bounded) until it is asleep, so its state is `S` (its
/// own process group: never a terminal's foreground `+`). Callers hold it in a
/// [`Children`] guard, which kills and reaps it.
#[allow(clippy::zombie_processes)]
fn start_sleep(secs: &str) -> Child {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(sleep_binary())
        .arg(secs)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sleep");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap_or_default();
        if stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('S')
        {
            return child;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sleep never went to sleep: {stat}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn rbox_out(args: &[&str]) -> Output {
    run_in(rbox(), args, b"", &std::env::temp_dir())
}

/// The user name of uid `uid` from /etc/passwd (as ps shows it), or the number.
fn user_name(uid: u32) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 2 && f[2] == uid.to_string()).then(|| f[0].to_string())
        })
        .unwrap_or_else(|| uid.to_string())
}

fn my_uid() -> u32 {
    // SAFETY: getuid has no failure modes and touches no memory.
    unsafe { libc::geteuid() }
}

/// The line of `out` whose second (or first) field is `pid`.
fn row_of(out: &str, pid: u32, field: usize) -> String {
    out.lines()
        .find(|l| l.split_whitespace().nth(field) == Some(&pid.to_string()))
        .unwrap_or_else(|| panic!("no row for {pid} in:\n{out}"))
        .to_string()
}

#[test]
fn ps_rows_of_processes_the_test_started() {
    let kids = Children(vec![start_sleep("300"), start_sleep("301")]);
    let (a, b) = (kids.0[0].id(), kids.0[1].id());
    let me = std::process::id();
    let user = user_name(my_uid());
    let list = format!("{a},{b}");
    let sleep = sleep_binary();

    let out = rbox_out(&[
        "ps", "-o", "pid=", "-o", "ppid=", "-o", "comm=", "-o", "args=", "-p", &list,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{a:>5} {me:>5} sleep           {sleep} 300\n{b:>5} {me:>5} sleep           {sleep} 301\n"
        )
    );

    let out = rbox_out(&["ps", "-o", "pid,user,stat,args", "-p", &a.to_string()]);
    assert_eq!(
        text(&out.stdout),
        format!("  PID USER     STAT COMMAND\n{a:>5} {user:<8} S    {sleep} 300\n")
    );

    // BusyBox's default columns.
    let out = rbox_out(&["ps"]);
    let line = row_of(&text(&out.stdout), a, 0);
    assert_eq!(line, format!("{a:>5} {user:<8}  0:00 {sleep} 300"));

    // procps's -ef: UID PID PPID C STIME TTY TIME CMD.
    let out = rbox_out(&["ps", "-ef"]);
    let line = row_of(&text(&out.stdout), a, 1);
    let f: Vec<&str> = line.split_whitespace().collect();
    assert_eq!((f[0], f[2]), (user.as_str(), me.to_string().as_str()));
    // C is the lifetime CPU share: a tick at start-up may show as a few per cent.
    assert!(f[3].parse::<u32>().is_ok(), "{line}");
    assert_eq!(&f[6..], ["00:00:00", sleep, "300"]);
    assert!(
        line.starts_with(&format!("{user:<8} {a:>5} {me:>5} ")),
        "{line}"
    );

    // BSD aux: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND.
    let out = rbox_out(&["ps", "aux"]);
    let line = row_of(&text(&out.stdout), a, 1);
    let f: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(f[0], user.as_str());
    assert!(
        f[2].parse::<f64>().is_ok() && f[3].parse::<f64>().is_ok(),
        "{line}"
    );
    assert!(f[4].parse::<u64>().unwrap() > 0, "{line}");
    assert!(f[7].starts_with('S'), "{line}");
    assert_eq!(&f[9..], ["0:00", sleep, "300"]);

    // -u selects by user; -C by name.
    let out = rbox_out(&["ps", "-u", &user, "-o", "pid="]);
    assert!(text(&out.stdout).lines().any(|l| l.trim() == a.to_string()));
    let out = rbox_out(&["ps", "-C", "sleep", "-o", "pid=", "-o", "args="]);
    assert!(text(&out.stdout).contains(&format!("{a:>5} {sleep} 300")));
}

#[test]
fn ps_and_top_on_a_busy_system() {
    const COUNT: usize = 3000;
    let mut kids = Children(Vec::with_capacity(COUNT));
    for _ in 0..COUNT {
        match Command::new(sleep_binary())
            .arg("600")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => kids.0.push(c),
            Err(e) => panic!("could start only {} processes: {e}", kids.0.len()),
        }
    }
    let pids: Vec<u32> = kids.0.iter().map(Child::id).collect();

    let out = rbox_out(&["ps", "-e", "-o", "pid="]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed: std::collections::HashSet<u32> = text(&out.stdout)
        .lines()
        .map(|l| l.trim().parse().expect("a pid per line"))
        .collect();
    let missing: Vec<&u32> = pids.iter().filter(|p| !listed.contains(p)).collect();
    assert!(missing.is_empty(), "ps -e missed {} of them", missing.len());

    let out = rbox_out(&["top", "-b", "-n", "1", "-d", "0"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    let tasks: usize = t
        .lines()
        .nth(1)
        .and_then(|l| l.strip_prefix("Tasks:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no Tasks line:\n{}", &t[..t.len().min(500)]));
    assert!(
        tasks >= COUNT,
        "Tasks: {tasks} total, fewer than the {COUNT} started"
    );
    let rows: std::collections::HashSet<u32> = t
        .lines()
        .skip(7)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(
        pids.iter().all(|p| rows.contains(p)),
        "top's table misses some of them"
    );
    assert!(t.lines().skip(7).filter(|l| l.ends_with(" sleep")).count() >= COUNT);
}

#[test]
fn top_batch_frames_for_one_process() {
    let kids = Children(vec![start_sleep("300")]);
    let pid = kids.0[0].id();
    let user = user_name(my_uid());
    let out = rbox_out(&["top", "-b", "-n", "2", "-d", "0.1", "-p", &pid.to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 17, "{t}");
    for frame in [&lines[..8], &lines[9..]] {
        assert!(frame[0].starts_with("top - ") && frame[0].contains(" load average: "));
        assert_eq!(
            frame[1],
            "Tasks:   1 total,   0 running,   1 sleeping,   0 stopped,   0 zombie"
        );
        assert!(frame[2].starts_with("%Cpu(s): ") && frame[2].ends_with(" st "));
        assert!(frame[3].starts_with("MiB Mem : ") && frame[3].ends_with(" buff/cache     "));
        assert!(frame[4].starts_with("MiB Swap: ") && frame[4].ends_with(" avail Mem "));
        assert_eq!(frame[5], "");
        assert_eq!(
            frame[6],
            "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND"
        );
        let f: Vec<&str> = frame[7].split_whitespace().collect();
        assert_eq!(
            (f[0], f[1], f[7]),
            (pid.to_string().as_str(), user.as_str(), "S")
        );
        assert!(f[8].parse::<f64>().is_ok() && f[9].parse::<f64>().is_ok());
        assert!(
            f[10].starts_with("0:00.") && f[10].len() == 7,
            "{}",
            frame[7]
        );
        assert_eq!(f[11], "sleep");
    }
    assert_eq!(lines[8], "");
}

/// Runs `start-stop-daemon ARGS`; status and stdout.
fn ssd(args: &[&str]) -> (i32, String) {
    let mut all = vec!["start-stop-daemon"];
    all.extend_from_slice(args);
    let out = rbox_out(&all);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout) + &text(&out.stderr),
    )
}

/// Whether `pid` is gone or a zombie (an orphan's parent may not reap it at once).
fn ended(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(s) => s
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
    }
}

fn read_pid(path: &Path) -> i32 {
    std::fs::read_to_string(path)
        .expect("pid file")
        .trim()
        .parse()
        .expect("a pid")
}

/// Sends SIGKILL to `pid` if it still runs (cleanup after a failed assertion).
struct KillOnDrop(i32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0 > 0 && !ended(self.0) {
            // SAFETY: kill(2) has no memory effects.
            unsafe { libc::kill(self.0, libc::SIGKILL) };
        }
    }
}

#[test]
fn start_stop_daemon_round_trip_with_a_pid_file() {
    let d = scratch("ssd");
    let pidfile = d.join("sleep.pid");
    let pf = pidfile.to_str().unwrap();
    let sleep = sleep_binary();
    let (st, out) = ssd(&["-S", "-b", "-m", "-p", pf, "-x", sleep, "--", "300"]);
    assert_eq!((st, out.as_str()), (0, ""));
    let pid = read_pid(&pidfile);
    let _guard = KillOnDrop(pid);
    assert_eq!(
        std::fs::read(format!("/proc/{pid}/cmdline")).unwrap(),
        format!("{sleep}\x00300\x00").as_bytes()
    );
    // Detached: its own session, not a session leader's child of ours.
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let sid: i32 = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(sid, nix_getsid());

    assert_eq!(ssd(&["-T", "-p", pf]).0, 0);
    assert_eq!(ssd(&["-T", "-x", sleep, "-p", pf]).0, 0);
    assert_eq!(
        ssd(&["-S", "-p", pf, "-x", sleep, "--", "300"]),
        (1, format!("{sleep} already running.\n"))
    );
    assert_eq!(
        ssd(&["-S", "-o", "-q", "-p", pf, "-x", sleep, "--", "300"]),
        (0, String::new())
    );
    assert_eq!(
        ssd(&["-K", "-t", "-p", pf]),
        (0, format!("Would send signal 15 to {pid}.\n"))
    );
    assert!(!ended(pid));

    let (st, out) = ssd(&["-K", "-v", "-p", pf, "--retry", "10", "--remove-pidfile"]);
    assert_eq!(
        (st, out),
        (
            0,
            format!("Stopped process in pidfile '{pf}' (pid {pid}).\n")
        )
    );
    assert!(ended(pid), "the daemon still runs");
    assert!(!pidfile.exists(), "--remove-pidfile left the pid file");
    assert_eq!(ssd(&["-T", "-p", pf]).0, 3);
    assert_eq!(
        ssd(&["-K", "-p", pf]),
        (
            1,
            format!("No process in pidfile '{pf}' found running; none killed.\n")
        )
    );
    std::fs::write(&pidfile, format!("{pid}\n")).unwrap();
    assert_eq!(ssd(&["-T", "-p", pf]).0, 1, "a stale pid file is status 1");
}

fn nix_getsid() -> i32 {
    // SAFETY: getsid(0) only queries this process.
    unsafe { libc::getsid(0) }
}

#[test]
fn start_stop_daemon_retry_schedule_on_a_daemon_that_ignores_term() {
    let d = scratch("ssd-retry");
    let pidfile = d.join("stubborn.pid");
    let pf = pidfile.to_str().unwrap();
    let script = "trap '' TERM; while :; do sleep 1; done";
    let (st, out) = ssd(&[
        "-S", "-b", "-m", "-p", pf, "-a", "/bin/sh", "-x", "/bin/sh", "--", "-c", script,
    ]);
    assert_eq!((st, out.as_str()), (0, ""));
    let pid = read_pid(&pidfile);
    let _guard = KillOnDrop(pid);
    // Wait (bounded) until the shell has set its trap: its signal mask shows TERM ignored.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let ignored = status
            .lines()
            .find_map(|l| l.strip_prefix("SigIgn:"))
            .and_then(|h| u64::from_str_radix(h.trim(), 16).ok())
            .unwrap_or(0);
        if ignored & (1 << (libc::SIGTERM - 1)) != 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the daemon never ignored TERM");
        std::thread::sleep(Duration::from_millis(20));
    }
    let what = format!("process in pidfile '{pf}'");
    let (st, out) = ssd(&["-K", "-p", pf, "--retry", "TERM/1"]);
    assert_eq!(
        (st, out),
        (
            2,
            format!("Program {what}, 1 process(es), refused to die.\n")
        )
    );
    assert!(!ended(pid));
    let (st, out) = ssd(&["-K", "-v", "-p", pf, "--retry", "TERM/1/KILL/10"]);
    assert_eq!(
        (st, out),
        (
            0,
            format!("Stopped {what} (pid {pid}).\nStopped {what} (pid {pid}), retry #1.\n")
        )
    );
    assert!(ended(pid));
}

#[test]
fn start_stop_daemon_changes_user_directory_and_umask() {
    if my_uid() != 0 {
        eprintln!("skipped: --chuid needs root");
        return;
    }
    let d = scratch("ssd-chuid");
    let pidfile = d.join("n.pid");
    let pf = pidfile.to_str().unwrap();
    let report = d.join("report");
    std::fs::set_permissions(&d, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let script = format!(
        "id -u > {0}.tmp; pwd >> {0}.tmp; umask >> {0}.tmp; echo \"$HOME\" >> {0}.tmp; mv {0}.tmp {0}; exec sleep 300",
        report.display()
    );
    let (st, out) = ssd(&[
        "-S", "-b", "-m", "-p", pf, "-c", "nobody", "-d", "/tmp", "-k", "027", "-x", "/bin/sh",
        "--", "-c", &script,
    ]);
    assert_eq!((st, out.as_str()), (0, ""));
    let pid = read_pid(&pidfile);
    let _guard = KillOnDrop(pid);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !report.exists() {
        assert!(
            Instant::now() < deadline,
            "the daemon never wrote its report"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let home = std::fs::read_to_string("/etc/passwd")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("nobody:"))
        .map(|l| l.split(':').nth(5).unwrap().to_string())
        .unwrap();
    let uid = std::fs::read_to_string("/etc/passwd")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("nobody:"))
        .map(|l| l.split(':').nth(2).unwrap().to_string())
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        format!("{uid}\n/tmp\n0027\n{home}\n")
    );
    assert_eq!(ssd(&["-K", "-u", "nobody", "-p", pf, "--retry", "10"]).0, 0);
    assert!(ended(pid));
}

/// Runs rbox with `args`, killing it if it has not ended within a bound.
fn bounded(args: &[&str], dir: &Path) -> Output {
    let mut child = Command::new(rbox())
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", support::applet_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rbox {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn watch_stops_on_change_and_on_error() {
    let d = scratch("watch");
    let counter = "n=$(cat c 2>/dev/null || echo 0); echo $((n + 1)) > c";
    let out = bounded(
        &[
            "watch",
            "-t",
            "-g",
            "-n",
            "0.1",
            &format!("{counter}; [ $n -ge 3 ] && echo new || echo old"),
        ],
        &d,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "old\nold\nold\nnew\n");
    assert_eq!(std::fs::read_to_string(d.join("c")).unwrap(), "4\n");

    std::fs::remove_file(d.join("c")).unwrap();
    let out = bounded(
        &[
            "watch",
            "-t",
            "-e",
            "-n",
            "0.1",
            &format!("{counter}; echo run $n; [ $n -lt 2 ]"),
        ],
        &d,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "run 0\nrun 1\nrun 2\n");
    assert_eq!(
        text(&out.stderr),
        "watch: command exit with a non-zero status\n"
    );
}

/// Whether `stty -a` output on the screen shows a cooked terminal (canonical input and
/// echo on), as it was before top's raw mode.
fn cooked(screen: &str) -> bool {
    let words: Vec<&str> = screen.split_whitespace().collect();
    words.contains(&"icanon") && words.contains(&"echo") && !words.contains(&"-icanon")
}

/// The first child of process `pid` (bounded wait until it has one).
fn child_of(pid: i32) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let kids =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        if let Some(k) = kids.split_whitespace().next() {
            return k.parse().unwrap();
        }
        assert!(Instant::now() < deadline, "{pid} never started a child");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn top_full_screen_quits_on_q_and_gives_the_terminal_back() {
    let d = scratch("top-pty");
    let path = format!("{}", support::applet_dir().display());
    let env = [("PATH", path.as_str()), ("TERM", "xterm")];
    let script = "top -d 0.2; s=$?; echo; echo \"top status $s\"; stty -a";
    let mut p = pty::Pty::spawn(rbox(), &["sh", "-c", script], &env, &d);
    p.expect("Tasks:");
    p.expect("PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND");
    p.send("q");
    let screen = p.expect("top status 0");
    assert_eq!(p.wait_exit(), Some(0));
    let screen = p
        .screen()
        .split_off(screen.find("top status 0").unwrap_or(0));
    assert!(cooked(&screen), "the terminal stayed raw:\n{screen}");
}

#[test]
fn top_full_screen_gives_the_terminal_back_before_sigterm_ends_it() {
    let d = scratch("top-term");
    let path = format!("{}", support::applet_dir().display());
    let env = [("PATH", path.as_str()), ("TERM", "xterm")];
    let script = "top -d 0.2; s=$?; echo; echo \"top status $s\"; stty -a";
    let mut p = pty::Pty::spawn(rbox(), &["sh", "-c", script], &env, &d);
    p.expect("Tasks:");
    let top = child_of(p.pid());
    // SAFETY: kill(2) has no memory effects.
    assert_eq!(unsafe { libc::kill(top, libc::SIGTERM) }, 0);
    let screen = p.expect("top status 143");
    assert_eq!(p.wait_exit(), Some(0));
    let screen = p
        .screen()
        .split_off(screen.find("top status 143").unwrap_or(0));
    assert!(cooked(&screen), "the terminal stayed raw:\n{screen}");
}

#[test]
fn ps_cuts_lines_to_the_terminal_unless_ww() {
    let long = "x".repeat(150);
    // The shell waits in `read` on a pipe rather than in a child `sleep`, so killing it
    // leaves no orphan behind.
    let kids = Children(vec![
        Command::new("/bin/sh")
            .args(["-c", &format!("read x; : {long}")])
            .stdin(Stdio::piped())
            .spawn()
            .expect("start sh"),
    ]);
    let pid = kids.0[0].id();
    let d = scratch("ps-pty");
    let path = format!("{}", support::applet_dir().display());
    let env = [
        ("PATH", path.as_str()),
        ("TERM", "xterm"),
        ("COLUMNS", "40"),
    ];
    let script = format!(
        "ps h -o pid,args -p {pid}; echo one; ps hw -o pid,args -p {pid}; echo two; ps hww -o pid,args -p {pid} | cat; echo three"
    );
    let mut p = pty::Pty::spawn(rbox(), &["sh", "-c", &script], &env, &d);
    let screen = p.expect("three");
    assert_eq!(p.wait_exit(), Some(0));
    let cut = format!("{pid:>5} /bin/sh -c read x; : ");
    let rows: Vec<&str> = screen.lines().collect();
    let one = rows.iter().position(|r| *r == "one").expect("one");
    let two = rows.iter().position(|r| *r == "two").expect("two");
    // 40 columns on the terminal.
    assert_eq!(
        rows[..one].join(""),
        format!("{cut}{}", "x".repeat(40 - cut.len()))
    );
    // w: at least 132.
    assert_eq!(
        rows[one + 1..two].join(""),
        format!("{cut}{}", "x".repeat(132 - cut.len()))
    );
    // Not a terminal (a pipe): never cut.
    assert!(
        rows[two + 1..]
            .join("")
            .starts_with(&format!("{cut}{long}"))
    );
}
