//! Job control (`set -m`, on in an interactive shell on a terminal): each pipeline in its
//! own process group, the terminal handed to the foreground group and taken back, stopped
//! jobs, the job table's `%` specs, and the `jobs`, `fg`, `bg` builtins (`kill` and `wait`
//! learn `%` specs here too).
//!
//! The hooks: [`before_fork`]/[`in_child`]/[`in_parent`] around every fork of the
//! top-level shell, [`wait_foreground`] for its foreground waits, [`notify`] before each
//! prompt.

use super::builtins::{misc, out};
use super::state::{Job, R, Shell};

/// Job-control state of the top-level interactive shell.
#[derive(Default)]
pub struct JobControl {
    /// A close-on-exec copy of the terminal's fd; -1 when job control is off.
    pub tty: i32,
    /// The shell's own process group.
    pub shell_pgid: i32,
    /// While a pipeline is being started: the group its stages join (0 until the first
    /// stage exists).
    pub pipeline_pgid: Option<i32>,
    /// The next fork starts a background job (`&`).
    pub background: bool,
    /// The group of the last child put in a group.
    pub last_pgid: i32,
    /// The command line being run: names a foreground job that stops.
    pub line: Vec<u8>,
    /// Job ids, most recently current last (`%+` is the last, `%-` the one before).
    pub order: Vec<usize>,
    /// `exit` was refused once because of stopped jobs.
    pub warned: bool,
    /// The terminal modes of the shell, put back after each foreground job.
    pub modes: Option<libc::termios>,
    /// The terminal modes each stopped job had (an editor in raw mode), by job id: given
    /// back by `fg`.
    pub job_modes: Vec<(usize, libc::termios)>,
}

/// How the next child is grouped: the group to join (0: its own) and whether it gets the
/// terminal.
#[derive(Clone, Copy)]
pub struct Group {
    pgid: i32,
    foreground: bool,
}

/// Turns job control on for an interactive shell whose stdin is a terminal: waits until
/// the shell is in the foreground, ignores the job-control signals, puts the shell in its
/// own process group and takes the terminal. False when it cannot (then no job control).
pub fn enable(sh: &mut Shell) -> bool {
    // SAFETY: fcntl on fd 0; the copy is ours.
    let tty = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 10) };
    if tty < 0 {
        return false;
    }
    // Wait (bounded) until we are in the foreground: a background shell stops on SIGTTIN.
    for _ in 0..100 {
        // SAFETY: plain syscalls on integers.
        let (fg, me) = unsafe { (libc::tcgetpgrp(tty), libc::getpgrp()) };
        if fg < 0 {
            // SAFETY: closing our copy.
            unsafe { libc::close(tty) };
            return false;
        }
        if fg == me {
            break;
        }
        // SAFETY: kill(2) to our own group.
        unsafe { libc::kill(-me, libc::SIGTTIN) };
    }
    for sig in [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU, libc::SIGQUIT] {
        super::signals::set_ignore(sig);
    }
    // SAFETY: plain syscalls on integers; SIGTTOU is ignored so tcsetpgrp cannot stop us.
    unsafe {
        let pid = libc::getpid();
        if libc::getpgrp() != pid {
            libc::setpgid(0, 0);
        }
        libc::tcsetpgrp(tty, pid);
    }
    sh.jc.tty = tty;
    // SAFETY: getpgrp has no failure mode.
    sh.jc.shell_pgid = unsafe { libc::getpgrp() };
    sh.jc.modes = get_modes(tty);
    true
}

/// Whether job control acts on the next fork (on, `set -m`, and not in a subshell).
pub fn active(sh: &Shell) -> bool {
    sh.jc.tty >= 0 && sh.opts.monitor && !sh.subshell
}

fn get_modes(fd: i32) -> Option<libc::termios> {
    // SAFETY: tcgetattr fills a zeroed termios.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(fd, &mut t) == 0).then_some(t)
    }
}

fn set_modes(fd: i32, t: &libc::termios) {
    // SAFETY: tcsetattr with a termios from tcgetattr.
    unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, t) };
}

/// Before a fork: the group the child will be in, or None without job control.
pub fn before_fork(sh: &Shell) -> Option<Group> {
    if !active(sh) {
        return None;
    }
    Some(Group {
        pgid: sh.jc.pipeline_pgid.unwrap_or(0),
        foreground: !sh.jc.background,
    })
}

/// In the new child: join the group, take the terminal if in the foreground, and give the
/// job-control signals back their default actions (unless ignored when the shell
/// started).
pub fn in_child(sh: &Shell, g: Group) {
    // Defaults first: a Ctrl-C or Ctrl-Z typed once the terminal is ours must act on us.
    // SIGTTOU stays ignored until we hold the terminal (tcsetpgrp from a background
    // group would stop us).
    for sig in [
        libc::SIGTSTP,
        libc::SIGTTIN,
        libc::SIGQUIT,
        libc::SIGINT,
        libc::SIGTERM,
    ] {
        if !sh.ignored_at_entry[sig as usize] {
            super::signals::set_default(sig);
        }
    }
    // SAFETY: plain syscalls on integers.
    unsafe {
        libc::setpgid(0, g.pgid);
        if g.foreground {
            libc::tcsetpgrp(sh.jc.tty, libc::getpgrp());
        }
    }
    if !sh.ignored_at_entry[libc::SIGTTOU as usize] {
        super::signals::set_default(libc::SIGTTOU);
    }
}

/// In the shell after a fork: a new group is made from this side too (whichever runs
/// first wins the race, the other's call is a no-op). The terminal is handed over by the
/// child only, once its signals are back to default: a Ctrl-C or Ctrl-Z typed as soon
/// as the job holds the terminal then acts on it.
pub fn in_parent(sh: &mut Shell, pid: i32, g: Group) {
    let pgid = if g.pgid == 0 { pid } else { g.pgid };
    if g.pgid == 0 {
        // A new group: made here too, so later stages can join it at once. A later
        // stage joins by itself, once its signals are reset (moved into the foreground
        // group from here, it could miss a Ctrl-Z).
        // SAFETY: plain syscalls on integers.
        unsafe { libc::setpgid(pid, pgid) };
    }
    if sh.jc.pipeline_pgid == Some(0) {
        sh.jc.pipeline_pgid = Some(pgid);
    }
    sh.jc.last_pgid = pgid;
}

/// Gives the terminal back to the shell (and its modes), after a foreground job or before
/// a prompt.
pub fn take_terminal(sh: &Shell) {
    if sh.jc.tty < 0 {
        return;
    }
    // SAFETY: plain syscalls on integers; SIGTTOU is ignored.
    unsafe { libc::tcsetpgrp(sh.jc.tty, sh.jc.shell_pgid) };
    if let Some(m) = &sh.jc.modes {
        set_modes(sh.jc.tty, m);
    }
}

/// The lowest free job number.
pub fn next_id(sh: &Shell) -> usize {
    let mut id = 1;
    while sh.jobs.iter().any(|j| j.id == id) {
        id += 1;
    }
    id
}

/// Waits for a foreground command's processes (all in the group of the last fork) and
/// returns their statuses. A stop makes it a stopped job (announced at once); a death
/// by SIGINT interrupts the shell's current command too, as the user meant.
pub fn wait_foreground(sh: &mut Shell, pids: &[i32]) -> Vec<u8> {
    let job = Job {
        id: 0,
        pid: *pids.last().unwrap_or(&0),
        pids: pids.to_vec(),
        pgid: sh.jc.last_pgid,
        status: None,
        last_status: None,
        stopped: false,
        notified: false,
        text: trim_line(&sh.jc.line),
    };
    wait_job(sh, job)
}

fn trim_line(l: &[u8]) -> Vec<u8> {
    let s = l.trim_ascii();
    s.to_vec()
}

/// Waits for `job` in the foreground; puts it (back) in the table if it stops.
fn wait_job(sh: &mut Shell, mut job: Job) -> Vec<u8> {
    let mut stop_sig = 0;
    let mut int_death = false;
    let mut signaled = false;
    // Any process of the group may stop first (one stage of a pipeline can still ignore
    // SIGTSTP for an instant after the group got the terminal): wait for the group.
    let mut left = job.pids.clone();
    let mut got: Vec<(i32, u8)> = Vec::with_capacity(left.len());
    let target = if job.pgid > 0 { -job.pgid } else { job.pid };
    while !left.is_empty() {
        let mut status = 0;
        // SAFETY: waitpid with a valid out pointer.
        let r = unsafe { libc::waitpid(target, &mut status, libc::WUNTRACED) };
        if r < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            // None left in the group. A stage that could not join it (its leader was
            // gone already) is waited for by pid; one reaped by `jobs` or a notice had
            // its status kept.
            for p in std::mem::take(&mut left) {
                let mut status = 0;
                let reaped = loop {
                    // SAFETY: waitpid with a valid out pointer.
                    if unsafe { libc::waitpid(p, &mut status, 0) } == p {
                        break true;
                    }
                    if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                        break false;
                    }
                };
                if reaped {
                    let st = super::exec::process::decode(status);
                    if p == job.pid {
                        job.last_status = Some(st);
                    }
                    got.push((p, st));
                }
            }
            break;
        }
        if libc::WIFSTOPPED(status) {
            stop_sig = libc::WSTOPSIG(status);
            break;
        }
        let st = super::exec::process::decode(status);
        if libc::WIFSIGNALED(status) {
            signaled = true;
            int_death |= libc::WTERMSIG(status) == libc::SIGINT;
        }
        if r == job.pid {
            job.last_status = Some(st);
        }
        left.retain(|&p| p != r);
        got.push((r, st));
    }
    let statuses: Vec<u8> = job
        .pids
        .iter()
        .map(|p| match got.iter().find(|(q, _)| q == p) {
            Some((_, st)) => *st,
            None if stop_sig != 0 => 128 + stop_sig as u8,
            None if *p == job.pid => job.last_status.unwrap_or(0),
            None => 0,
        })
        .collect();
    let modes = get_modes(sh.jc.tty);
    if stop_sig != 0 || signaled {
        // It may have left the terminal raw: the shell's own modes come back.
        take_terminal(sh);
    } else {
        // A job that ended normally keeps its changes (`stty erase ^H` sticks).
        // SAFETY: plain syscalls on integers; SIGTTOU is ignored.
        unsafe { libc::tcsetpgrp(sh.jc.tty, sh.jc.shell_pgid) };
        if modes.is_some() {
            sh.jc.modes = modes;
        }
    }
    if stop_sig != 0 {
        job.stopped = true;
        job.notified = true;
        if job.id == 0 {
            job.id = next_id(sh);
        }
        let id = job.id;
        sh.jc.job_modes.retain(|(i, _)| *i != id);
        if let Some(m) = modes {
            sh.jc.job_modes.push((id, m));
        }
        let line = format!(
            "\n[{}]+  {:<24}{}\n",
            id,
            "Stopped",
            String::from_utf8_lossy(&job.text)
        );
        let _ = rbox_builtins::common::fdio::write_all(2, line.as_bytes());
        sh.jobs.push(job);
        sh.jobs.sort_by_key(|j| j.id);
        make_current(sh, id);
    } else {
        if job.id != 0 {
            forget(sh, job.id);
        }
        if int_death {
            // SAFETY: raise to ourselves; the shell catches SIGINT (only a flag is set).
            unsafe { libc::raise(libc::SIGINT) };
        }
    }
    statuses
}

fn make_current(sh: &mut Shell, id: usize) {
    sh.jc.order.retain(|&i| i != id);
    sh.jc.order.push(id);
}

fn forget(sh: &mut Shell, id: usize) {
    sh.jc.job_modes.retain(|(i, _)| *i != id);
    sh.jobs.retain(|j| j.id != id);
    sh.jc.order.retain(|&i| i != id);
}

/// Records a new background job and, interactively, says `[N] PID` on stderr.
pub fn add_background(sh: &mut Shell, pid: i32, text: Vec<u8>) {
    let text = trim_line(&text);
    let id = next_id(sh);
    // Without job control the job shares the shell's group: no group of its own.
    let pgid = if active(sh) { sh.jc.last_pgid } else { 0 };
    sh.jobs.push(Job {
        id,
        pid,
        pids: vec![pid],
        pgid,
        status: None,
        last_status: None,
        stopped: false,
        notified: false,
        text,
    });
    sh.jobs.sort_by_key(|j| j.id);
    make_current(sh, id);
    if sh.opts.interactive && !sh.subshell {
        let _ = rbox_builtins::common::fdio::write_all(2, format!("[{id}] {pid}\n").as_bytes());
    }
}

/// The `+`/`-`/` ` mark of job `id`.
fn mark(sh: &Shell, id: usize) -> char {
    let n = sh.jc.order.len();
    if n > 0 && sh.jc.order[n - 1] == id {
        '+'
    } else if n > 1 && sh.jc.order[n - 2] == id {
        '-'
    } else {
        ' '
    }
}

/// How a job ended or stands, as `jobs` shows it.
fn state_text(j: &Job) -> String {
    match j.status {
        None if j.stopped => "Stopped".into(),
        None => "Running".into(),
        Some(0) => "Done".into(),
        Some(s) if s > 128 => signal_text(i32::from(s - 128)),
        Some(s) => format!("Exit {s}"),
    }
}

fn signal_text(sig: i32) -> String {
    match sig {
        libc::SIGHUP => "Hangup".into(),
        libc::SIGINT => "Interrupt".into(),
        libc::SIGQUIT => "Quit".into(),
        libc::SIGKILL => "Killed".into(),
        libc::SIGTERM => "Terminated".into(),
        libc::SIGSEGV => "Segmentation fault".into(),
        libc::SIGABRT => "Aborted".into(),
        libc::SIGPIPE => "Broken pipe".into(),
        _ => format!("Signal {sig}"),
    }
}

fn job_line(sh: &Shell, j: &Job, long: bool) -> String {
    let amp = if j.status.is_none() && !j.stopped {
        " &"
    } else {
        ""
    };
    let pid = if long {
        format!("{} ", j.pid)
    } else {
        String::new()
    };
    format!(
        "[{}]{}  {}{:<24}{}{}\n",
        j.id,
        mark(sh, j.id),
        pid,
        state_text(j),
        String::from_utf8_lossy(&j.text),
        amp
    )
}

/// Before a prompt: reports jobs that finished or stopped since the last report, and
/// drops the finished ones.
pub fn notify(sh: &mut Shell) {
    super::exec::process::reap_jobs(sh);
    let mut text = String::new();
    for j in &sh.jobs {
        if (j.status.is_some() || j.stopped) && !j.notified {
            text.push_str(&job_line(sh, j, false));
        }
    }
    for j in &mut sh.jobs {
        j.notified = j.notified || j.stopped;
    }
    let done: Vec<usize> = sh
        .jobs
        .iter()
        .filter(|j| j.status.is_some())
        .map(|j| j.id)
        .collect();
    for id in done {
        forget(sh, id);
    }
    if !text.is_empty() {
        let _ = rbox_builtins::common::fdio::write_all(2, text.as_bytes());
    }
}

/// Whether any job is stopped.
pub fn any_stopped(sh: &Shell) -> bool {
    sh.jobs.iter().any(|j| j.stopped && j.status.is_none())
}

/// Finds the job a `%` spec (or, with `None`, the current job) names.
pub fn resolve(sh: &Shell, spec: Option<&[u8]>) -> Result<usize, String> {
    let s = spec.map(|s| s.strip_prefix(b"%").unwrap_or(s));
    // Jobs `wait` took out of the table may still be in the order.
    let live: Vec<usize> = sh
        .jc
        .order
        .iter()
        .copied()
        .filter(|id| sh.jobs.iter().any(|j| j.id == *id))
        .collect();
    let by_order = |back: usize| {
        let n = live.len();
        (n > back).then(|| live[n - 1 - back])
    };
    let found = match s {
        None | Some(b"" | b"%" | b"+") => by_order(0),
        Some(b"-") => by_order(1),
        Some(n) if n.iter().all(u8::is_ascii_digit) => {
            let id: usize = std::str::from_utf8(n)
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            sh.jobs.iter().find(|j| j.id == id).map(|j| j.id)
        }
        Some(q) => {
            let (sub, pat) = match q.strip_prefix(b"?") {
                Some(p) => (true, p),
                None => (false, q),
            };
            let hits: Vec<usize> = sh
                .jobs
                .iter()
                .filter(|j| {
                    if sub {
                        j.text.windows(pat.len()).any(|w| w == pat)
                    } else {
                        j.text.starts_with(pat)
                    }
                })
                .map(|j| j.id)
                .collect();
            if hits.len() > 1 {
                return Err(format!("{}: ambiguous job spec", show(spec)));
            }
            hits.first().copied()
        }
    };
    match found {
        Some(id) => Ok(id),
        None if spec.is_none() => Err("current: no such job".into()),
        None => Err(format!("{}: no such job", show(spec))),
    }
}

fn show(spec: Option<&[u8]>) -> String {
    String::from_utf8_lossy(spec.unwrap_or(b"")).into_owned()
}

/// `jobs [-lp] [%spec...]`.
pub fn jobs(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    super::exec::process::reap_jobs(sh);
    let (mut long, mut pids) = (false, false);
    let mut specs = Vec::new();
    for a in &args[1..] {
        match a.as_slice() {
            b"-l" => long = true,
            b"-p" => pids = true,
            _ => specs.push(a.clone()),
        }
    }
    let mut ids = Vec::new();
    if specs.is_empty() {
        ids = sh.jobs.iter().map(|j| j.id).collect();
    }
    let mut st = 0;
    for s in &specs {
        match resolve(sh, Some(s)) {
            Ok(id) => ids.push(id),
            Err(m) => {
                sh.error2(b"jobs", &m);
                st = 1;
            }
        }
    }
    let mut text = String::new();
    for id in &ids {
        let Some(j) = sh.jobs.iter().find(|j| j.id == *id) else {
            continue;
        };
        if pids {
            let leader = if j.pgid > 0 { j.pgid } else { j.pid };
            text.push_str(&format!("{leader}\n"));
        } else {
            text.push_str(&job_line(sh, j, long));
        }
    }
    for j in &mut sh.jobs {
        j.notified = j.notified || j.stopped || j.status.is_some();
    }
    let done: Vec<usize> = sh
        .jobs
        .iter()
        .filter(|j| j.status.is_some())
        .map(|j| j.id)
        .collect();
    for id in done {
        forget(sh, id);
    }
    let w = out(sh, b"jobs", text.as_bytes());
    Ok(if st != 0 { st } else { w })
}

fn job_arg<'a>(sh: &Shell, name: &[u8], args: &'a [Vec<u8>]) -> Result<usize, u8> {
    if sh.jc.tty < 0 || !sh.opts.monitor {
        sh.error2(name, "no job control");
        return Err(1);
    }
    let spec: Option<&'a [u8]> = args.get(1).map(Vec::as_slice);
    let id = resolve(sh, spec).map_err(|m| {
        sh.error2(name, &m);
        1
    })?;
    if sh.jobs.iter().any(|j| j.id == id && j.pgid <= 0) {
        sh.error2(name, &format!("job {id} started without job control"));
        return Err(1);
    }
    Ok(id)
}

/// `fg [%spec]`: continues the job in the foreground and waits for it.
pub fn fg(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let id = match job_arg(sh, b"fg", args) {
        Ok(id) => id,
        Err(st) => return Ok(st),
    };
    let Some(pos) = sh.jobs.iter().position(|j| j.id == id) else {
        return Ok(1);
    };
    let mut job = sh.jobs.remove(pos);
    let _ = out(sh, b"fg", &[job.text.as_slice(), b"\n"].concat());
    if let Some(st) = job.status {
        forget(sh, id);
        return Ok(st);
    }
    if let Some((_, m)) = sh.jc.job_modes.iter().find(|(i, _)| *i == id) {
        set_modes(sh.jc.tty, m);
    }
    // SAFETY: plain syscalls on integers; SIGTTOU is ignored by the shell.
    unsafe {
        libc::tcsetpgrp(sh.jc.tty, job.pgid);
        libc::kill(-job.pgid, libc::SIGCONT);
    }
    job.stopped = false;
    job.notified = false;
    let st = wait_job(sh, job);
    Ok(st.last().copied().unwrap_or(0))
}

/// `bg [%spec]`: continues a stopped job in the background.
pub fn bg(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let id = match job_arg(sh, b"bg", args) {
        Ok(id) => id,
        Err(st) => return Ok(st),
    };
    let Some(j) = sh.jobs.iter_mut().find(|j| j.id == id) else {
        return Ok(1);
    };
    if j.status.is_none() {
        // SAFETY: kill(2) on integers.
        unsafe { libc::kill(-j.pgid, libc::SIGCONT) };
        j.stopped = false;
        j.notified = false;
    }
    let text = format!("[{}]+ {} &\n", id, String::from_utf8_lossy(&j.text));
    make_current(sh, id);
    Ok(out(sh, b"bg", text.as_bytes()))
}

/// Replaces `%spec` arguments by the job's process group (`-PGID`, for `kill`) or its
/// last pid (for `wait`). Err: the message for a spec that names no job.
fn translate(sh: &Shell, args: &[Vec<u8>], group: bool) -> Result<Vec<Vec<u8>>, String> {
    let mut v = Vec::with_capacity(args.len());
    for a in args {
        if a.first() == Some(&b'%') {
            let id = resolve(sh, Some(a))?;
            let j = sh.jobs.iter().find(|j| j.id == id).ok_or("no such job")?;
            let n = if group && j.pgid > 0 { -j.pgid } else { j.pid };
            v.push(n.to_string().into_bytes());
        } else {
            v.push(a.clone());
        }
    }
    Ok(v)
}

/// `kill` with `%` job specs: a job's whole process group gets the signal (and a stopped
/// job a SIGCONT after it, so it can act on it).
pub fn kill(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let has_spec = args.iter().skip(1).any(|a| a.first() == Some(&b'%'));
    if !has_spec {
        return misc::kill(sh, args);
    }
    let mut argv = match translate(sh, args, true) {
        Ok(v) => v,
        Err(m) => {
            sh.error2(b"kill", &m);
            return Ok(1);
        }
    };
    if args[1].first() == Some(&b'%') {
        // A negative number first would read as a signal: name the default one.
        argv.splice(1..1, [b"-s".to_vec(), b"TERM".to_vec()]);
    }
    let st = misc::kill(sh, &argv)?;
    for a in args.iter().skip(1).filter(|a| a.first() == Some(&b'%')) {
        if let Ok(id) = resolve(sh, Some(a))
            && let Some(j) = sh
                .jobs
                .iter()
                .find(|j| j.id == id && j.stopped && j.pgid > 0)
        {
            // SAFETY: kill(2) on integers.
            unsafe { libc::kill(-j.pgid, libc::SIGCONT) };
        }
    }
    Ok(st)
}

/// `wait` with `%` job specs.
pub fn wait(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    match translate(sh, args, false) {
        Ok(v) => misc::wait(sh, &v),
        Err(m) => {
            sh.error2(b"wait", &m);
            Ok(127)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell_with_jobs() -> Shell {
        let mut sh = Shell::new(&[]);
        for (id, text) in [(1, "sleep 100"), (2, "vi notes"), (3, "sleep 5 | cat")] {
            sh.jobs.push(Job {
                id,
                pid: 1000 + id as i32,
                pids: vec![1000 + id as i32],
                pgid: 1000 + id as i32,
                status: None,
                last_status: None,
                stopped: false,
                notified: false,
                text: text.as_bytes().to_vec(),
            });
            sh.jc.order.push(id);
        }
        sh
    }

    #[test]
    fn specs_name_jobs() {
        let sh = shell_with_jobs();
        assert_eq!(resolve(&sh, None), Ok(3));
        assert_eq!(resolve(&sh, Some(b"%+")), Ok(3));
        assert_eq!(resolve(&sh, Some(b"%%")), Ok(3));
        assert_eq!(resolve(&sh, Some(b"%-")), Ok(2));
        assert_eq!(resolve(&sh, Some(b"%1")), Ok(1));
        assert_eq!(resolve(&sh, Some(b"%vi")), Ok(2));
        assert_eq!(resolve(&sh, Some(b"%?cat")), Ok(3));
        assert_eq!(
            resolve(&sh, Some(b"%sleep")),
            Err("%sleep: ambiguous job spec".into())
        );
        assert_eq!(resolve(&sh, Some(b"%7")), Err("%7: no such job".into()));
        assert_eq!(
            resolve(&Shell::new(&[]), None),
            Err("current: no such job".into())
        );
    }

    #[test]
    fn lines_show_state_and_mark() {
        let mut sh = shell_with_jobs();
        sh.jobs[1].stopped = true;
        sh.jobs[0].status = Some(1);
        assert_eq!(
            job_line(&sh, &sh.jobs[0], false),
            "[1]   Exit 1                  sleep 100\n"
        );
        assert_eq!(
            job_line(&sh, &sh.jobs[1], false),
            "[2]-  Stopped                 vi notes\n"
        );
        assert_eq!(
            job_line(&sh, &sh.jobs[2], false),
            "[3]+  Running                 sleep 5 | cat &\n"
        );
    }

    #[test]
    fn job_numbers_reuse_the_lowest_free() {
        let mut sh = shell_with_jobs();
        assert_eq!(next_id(&sh), 4);
        sh.jobs.remove(1);
        assert_eq!(next_id(&sh), 2);
    }
}
