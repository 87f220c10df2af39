//! `start-stop-daemon`: start, stop or query a system daemon the way Debian's init
//! scripts call it, with its exit statuses (start/stop: 0 done, 1 nothing to do, 2 still
//! running after `--retry`, 3 trouble; status: 0 running, 1 dead with a pid file, 3 not
//! running, 4 unknown).

pub mod launch;
pub mod matching;
pub mod schedule;

use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

use launch::{Identity, Plan};
use matching::{Criteria, PidFile};
use schedule::Step;

use super::command::env_of;
use super::signal;
use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `start-stop-daemon` applet.
pub const APPLET: Applet = Applet::new("start-stop-daemon", main, Run::Exec)
    .dir(InstallDir::Sbin)
    .usage("-S|-K|-T [OPTIONS] [-- ARGS...]")
    .help(
        "Start, stop or query a daemon. A process matches when it meets every one of\n\
         --exec, --name, --user and --pidfile given.\n\n\
         -S, --start\tStart the program unless a matching process runs\n\
         -K, --stop\tSignal the matching processes\n\
         -T, --status\tExit 0 if running, 1 if dead with a pid file, 3 if not running\n\
         -x, --exec FILE\tMatch this executable; also what to start\n\
         -p, --pidfile FILE\tMatch the process this file names\n\
         -n, --name NAME\tMatch this process name\n\
         -u, --user USER\tMatch processes of this user\n\
         -a, --startas FILE\tStart this instead of --exec\n\
         -m, --make-pidfile\tWrite the pid file when starting\n\
         --remove-pidfile\tRemove the pid file once stopped\n\
         -b, --background\tDetach: new session, stdio on /dev/null\n\
         -c, --chuid USER[:GROUP]\tRun as this user\n\
         -g, --group GROUP\tRun with this group\n\
         -N, --nicelevel N\tAdd N to the nice value\n\
         -k, --umask MASK\tSet this umask\n\
         -d, --chdir DIR\tWork in DIR (default /)\n\
         -r, --chroot DIR\tChange the root first\n\
         -s, --signal SIG\tThe stop signal (TERM)\n\
         -R, --retry SCHEDULE\tWait for the processes to end: TIMEOUT or SIG/TIMEOUT/...\n\
         -o, --oknodo\tExit 0 when nothing was done\n\
         -t, --test\tOnly say what would be done\n\
         -q, --quiet\tNo informational messages\n\
         -v, --verbose\tMore messages",
    )
    .error_status(3);

const LONGS: &[&str] = &[
    "start",
    "stop",
    "status",
    "exec",
    "pidfile",
    "make-pidfile",
    "remove-pidfile",
    "background",
    "name",
    "user",
    "chuid",
    "group",
    "signal",
    "retry",
    "oknodo",
    "quiet",
    "verbose",
    "test",
    "nicelevel",
    "chdir",
    "startas",
    "chroot",
    "umask",
    "pid",
    "ppid",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Start,
    Stop,
    Status,
}

/// The parsed command line.
#[derive(Default)]
struct Config {
    action: Option<Action>,
    exec: Option<Vec<u8>>,
    pidfile: Option<Vec<u8>>,
    make_pidfile: bool,
    remove_pidfile: bool,
    background: bool,
    name: Option<Vec<u8>>,
    user: Option<Vec<u8>>,
    chuid: Option<Vec<u8>>,
    group: Option<Vec<u8>>,
    signal: Option<i32>,
    retry: Option<Vec<u8>>,
    oknodo: bool,
    quiet: bool,
    verbose: bool,
    test: bool,
    nice: Option<i32>,
    chdir: Option<Vec<u8>>,
    startas: Option<Vec<u8>>,
    chroot: Option<Vec<u8>>,
    umask: Option<u32>,
    pid: Option<i32>,
    ppid: Option<i32>,
    args: Vec<Vec<u8>>,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let cfg = parse(ctx)?;
    let accounts = Accounts::load();
    let criteria = criteria(&cfg, &accounts)?;
    let pidfile = matching::read_pidfile(cfg.pidfile.as_deref());
    match cfg.action {
        Some(Action::Status) => {
            let status = match pidfile {
                Err(_) => 4,
                Ok(pf) => {
                    if !matching::find(&criteria, &pf).is_empty() {
                        0
                    } else if matches!(pf, PidFile::Holds(_)) {
                        1
                    } else {
                        3
                    }
                }
            };
            done(status)
        }
        Some(Action::Start) => {
            let pf = pidfile.map_err(|e| pidfile_error(&cfg, &e))?;
            start(ctx, &cfg, &criteria, &pf, &accounts)
        }
        Some(Action::Stop) => {
            let pf = pidfile.map_err(|e| pidfile_error(&cfg, &e))?;
            stop(ctx, &cfg, &criteria, &pf)
        }
        None => Err(Error::usage("need one of --start or --stop or --status")),
    }
}

fn done(status: u8) -> Result<(), Error> {
    if status == 0 {
        Ok(())
    } else {
        Err(Error::silent(status))
    }
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn pidfile_error(cfg: &Config, e: &std::io::Error) -> Error {
    let path = cfg.pidfile.as_deref().unwrap_or_default();
    Error::io(
        format!("unable to open pidfile {}", show(path)).as_bytes(),
        e,
    )
    .with_status(2)
}

/// Reads the options; values after `--` (or any operand) are the program's arguments.
fn parse(ctx: &Ctx<'_>) -> Result<Config, Error> {
    let mut cfg = Config::default();
    let mut opts = ctx.opts(LONGS);
    let set_action = |cfg: &mut Config, a: Action| -> Result<(), Error> {
        if cfg.action.is_some_and(|old| old != a) {
            return Err(Error::usage("only one command can be specified"));
        }
        cfg.action = Some(a);
        Ok(())
    };
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('S') | Arg::Long("start") => set_action(&mut cfg, Action::Start)?,
            Arg::Short('K') | Arg::Long("stop") => set_action(&mut cfg, Action::Stop)?,
            Arg::Short('T') | Arg::Long("status") => set_action(&mut cfg, Action::Status)?,
            Arg::Short('x') | Arg::Long("exec") => cfg.exec = Some(opts.value()?),
            Arg::Short('p') | Arg::Long("pidfile") => cfg.pidfile = Some(opts.value()?),
            Arg::Short('m') | Arg::Long("make-pidfile") => cfg.make_pidfile = true,
            Arg::Long("remove-pidfile") => cfg.remove_pidfile = true,
            Arg::Short('b') | Arg::Long("background") => cfg.background = true,
            Arg::Short('n') | Arg::Long("name") => cfg.name = Some(opts.value()?),
            Arg::Short('u') | Arg::Long("user") => cfg.user = Some(opts.value()?),
            Arg::Short('c') | Arg::Long("chuid") => cfg.chuid = Some(opts.value()?),
            Arg::Short('g') | Arg::Long("group") => cfg.group = Some(opts.value()?),
            Arg::Short('s') | Arg::Long("signal") => {
                let v = opts.value()?;
                let v = v.strip_prefix(b"SIG").unwrap_or(&v).to_vec();
                cfg.signal = Some(signal::number(&v).ok_or_else(|| {
                    Error::usage("signal value must be numeric or name of signal (KILL, INT, ...)")
                })?);
            }
            Arg::Short('R') | Arg::Long("retry") => cfg.retry = Some(opts.value()?),
            Arg::Short('o') | Arg::Long("oknodo") => cfg.oknodo = true,
            Arg::Short('q') | Arg::Long("quiet") => cfg.quiet = true,
            Arg::Short('v') | Arg::Long("verbose") => cfg.verbose = true,
            Arg::Short('t') | Arg::Long("test") => cfg.test = true,
            Arg::Short('N') | Arg::Long("nicelevel") => {
                let v = opts.value()?;
                cfg.nice = Some(number(&v).ok_or_else(|| {
                    Error::usage(format!("nicelevel value must be a number: '{}'", show(&v)))
                })?);
            }
            Arg::Short('d') | Arg::Long("chdir") => cfg.chdir = Some(opts.value()?),
            Arg::Short('a') | Arg::Long("startas") => cfg.startas = Some(opts.value()?),
            Arg::Short('r') | Arg::Long("chroot") => cfg.chroot = Some(opts.value()?),
            Arg::Short('k') | Arg::Long("umask") => {
                let v = opts.value()?;
                let mask = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| u32::from_str_radix(s, 8).ok())
                    .filter(|&m| m <= 0o777)
                    .ok_or_else(|| {
                        Error::usage(format!(
                            "umask value must be a positive number: '{}'",
                            show(&v)
                        ))
                    })?;
                cfg.umask = Some(mask);
            }
            Arg::Long("pid") | Arg::Long("ppid") => {
                let which = arg.clone();
                let v = opts.value()?;
                let n = number(&v).filter(|&n| n > 0).ok_or_else(|| {
                    Error::usage(format!(
                        "pid value must be a number greater than 0: '{}'",
                        show(&v)
                    ))
                })?;
                if which == Arg::Long("pid") {
                    cfg.pid = Some(n);
                } else {
                    cfg.ppid = Some(n);
                }
            }
            Arg::Value(v) => cfg.args.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if cfg.action.is_none() {
        return Err(Error::usage("need one of --start or --stop or --status"));
    }
    if cfg.exec.is_none()
        && cfg.pidfile.is_none()
        && cfg.user.is_none()
        && cfg.name.is_none()
        && cfg.pid.is_none()
        && cfg.ppid.is_none()
    {
        return Err(Error::usage(
            "need at least one of --exec, --pid, --ppid, --pidfile, --user or --name",
        ));
    }
    if cfg.action == Some(Action::Start) && cfg.exec.is_none() && cfg.startas.is_none() {
        return Err(Error::usage("--start needs --exec or --startas"));
    }
    if cfg.make_pidfile && cfg.pidfile.is_none() {
        return Err(Error::usage("--make-pidfile requires --pidfile"));
    }
    if cfg.remove_pidfile && cfg.pidfile.is_none() {
        return Err(Error::usage("--remove-pidfile requires --pidfile"));
    }
    if let Some(r) = &cfg.retry {
        schedule::parse(r, libc::SIGTERM).map_err(Error::usage)?;
    }
    Ok(cfg)
}

fn number(v: &[u8]) -> Option<i32> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// The match criteria; `--exec` is looked at inside `--chroot` when there is one.
fn criteria(cfg: &Config, accounts: &Accounts) -> Result<Criteria, Error> {
    let mut c = Criteria {
        name: cfg.name.clone(),
        pid: cfg.pid,
        ppid: cfg.ppid,
        ..Criteria::default()
    };
    if let Some(user) = &cfg.user {
        c.uid = Some(accounts.resolve_uid(user).ok_or_else(|| {
            Error::msg(format!("user '{}' not found", show(user))).with_status(2)
        })?);
    }
    if let Some(exec) = &cfg.exec {
        let path = match &cfg.chroot {
            Some(root) => [root.as_slice(), b"/", exec.as_slice()].concat(),
            None => exec.clone(),
        };
        use std::os::unix::ffi::OsStrExt;
        let meta = std::fs::metadata(std::ffi::OsStr::from_bytes(&path)).map_err(|e| {
            Error::msg(format!(
                "unable to stat {} ({})",
                show(&path),
                crate::error::strerror(&e)
            ))
            .with_status(2)
        })?;
        c.exec = Some((meta.dev(), meta.ino()));
    }
    Ok(c)
}

/// What Debian calls the matched processes in messages: the name, the executable, the
/// pid file's process, the pid, or the user's processes.
fn what(cfg: &Config) -> String {
    if let Some(n) = &cfg.name {
        show(n)
    } else if let Some(x) = &cfg.exec {
        show(x)
    } else if let Some(p) = &cfg.pidfile {
        format!("process in pidfile '{}'", show(p))
    } else if let Some(p) = cfg.pid {
        format!("process with pid {p}")
    } else if let Some(p) = cfg.ppid {
        format!("process(es) with parent pid {p}")
    } else {
        format!(
            "process(es) owned by '{}'",
            show(cfg.user.as_deref().unwrap_or_default())
        )
    }
}

fn say(ctx: &mut Ctx<'_>, text: &str) -> Result<(), Error> {
    ctx.stdout.write_all(text.as_bytes())?;
    ctx.stdout.flush()?;
    Ok(())
}

fn start(
    ctx: &mut Ctx<'_>,
    cfg: &Config,
    criteria: &Criteria,
    pidfile: &PidFile,
    accounts: &Accounts,
) -> Result<(), Error> {
    let nothing = if cfg.oknodo { 0 } else { 1 };
    if !matching::find(criteria, pidfile).is_empty() {
        if !cfg.quiet {
            let name = cfg.exec.as_deref().map_or("process".to_string(), show);
            say(ctx, &format!("{name} already running.\n"))?;
        }
        return done(nothing);
    }
    let path = cfg
        .startas
        .clone()
        .or_else(|| cfg.exec.clone())
        .unwrap_or_default();
    if cfg.test {
        let mut line = format!("Would start {} ", show(&path));
        for a in &cfg.args {
            line.push_str(&show(a));
            line.push(' ');
        }
        line.push_str(".\n");
        return say(ctx, &line);
    }
    let plan = Plan {
        path: path.clone(),
        args: cfg.args.clone(),
        env: env_of(ctx),
        background: cfg.background,
        make_pidfile: if cfg.make_pidfile {
            cfg.pidfile.clone()
        } else {
            None
        },
        nice: cfg.nice,
        umask: cfg.umask,
        chroot: cfg.chroot.clone(),
        chdir: cfg.chdir.clone(),
        identity: identity(cfg, accounts)?,
    };
    if cfg.verbose {
        let verb = if cfg.background {
            "Detaching to start"
        } else {
            "Starting"
        };
        say(ctx, &format!("{verb} {}...\n", show(&path)))?;
    }
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    launch::start(&plan).map_err(|f| {
        let e = std::io::Error::from_raw_os_error(f.errno);
        Error::msg(format!("{} ({})", f.what, crate::error::strerror(&e))).with_status(2)
    })
}

/// The user and group of `--chuid USER[:GROUP]` and `--group`.
fn identity(cfg: &Config, accounts: &Accounts) -> Result<Identity, Error> {
    let mut id = Identity::default();
    let mut group = cfg.group.clone();
    if let Some(spec) = &cfg.chuid {
        let (user, g) = match spec.iter().position(|&b| b == b':') {
            Some(i) => (&spec[..i], Some(spec[i + 1..].to_vec())),
            None => (spec.as_slice(), None),
        };
        if g.is_some() {
            group = g;
        }
        let entry = accounts.user_by_name(user).cloned().or_else(|| {
            let uid = number(user)? as u32;
            accounts.user_by_uid(uid).cloned()
        });
        let Some(entry) = entry else {
            return Err(Error::msg(format!("user '{}' not found", show(user))).with_status(2));
        };
        id.uid = Some(entry.uid);
        id.gid = Some(entry.gid);
        id.groups = accounts.groups_of(&entry.name, entry.gid);
        id.home = Some(entry.home.clone());
    }
    if let Some(g) = group {
        let gid = accounts
            .resolve_gid(&g)
            .ok_or_else(|| Error::msg(format!("group '{}' not found", show(&g))).with_status(2))?;
        id.gid = Some(gid);
        if let Some(first) = id.groups.first_mut() {
            *first = gid;
        }
    }
    Ok(id)
}

fn stop(
    ctx: &mut Ctx<'_>,
    cfg: &Config,
    criteria: &Criteria,
    pidfile: &PidFile,
) -> Result<(), Error> {
    let nothing = if cfg.oknodo { 0 } else { 1 };
    let sig = cfg.signal.unwrap_or(libc::SIGTERM);
    let found = matching::find(criteria, pidfile);
    if found.is_empty() {
        if !cfg.quiet {
            say(
                ctx,
                &format!("No {} found running; none killed.\n", what(cfg)),
            )?;
        }
        if cfg.remove_pidfile && !cfg.test {
            remove_pidfile(ctx, cfg);
        }
        return done(nothing);
    }
    if cfg.test {
        for pid in &found {
            say(ctx, &format!("Would send signal {sig} to {pid}.\n"))?;
        }
        return Ok(());
    }
    let steps = match &cfg.retry {
        Some(r) => schedule::parse(r, sig).map_err(Error::usage)?,
        None => vec![Step::Signal(sig)],
    };
    let mut alive = found;
    let mut signalled = 0;
    let waits = steps.iter().any(|s| matches!(s, Step::Wait(_)));
    let mut i = 0;
    while i < steps.len() {
        match steps[i] {
            Step::Signal(s) => {
                for &pid in &alive {
                    if let Err(e) = signal::send(pid, s) {
                        ctx.note(
                            format!("failed to kill {pid}: {}", crate::error::strerror(&e))
                                .as_bytes(),
                        );
                    } else if cfg.verbose {
                        let retry = if signalled > 0 {
                            format!(", retry #{signalled}")
                        } else {
                            String::new()
                        };
                        say(ctx, &format!("Stopped {} (pid {pid}){retry}.\n", what(cfg)))?;
                    }
                }
                signalled += 1;
            }
            Step::Wait(secs) => {
                alive = wait_gone(ctx, alive, Duration::from_secs(secs));
                if alive.is_empty() {
                    break;
                }
            }
            Step::Forever if waits => {
                i = 0;
                continue;
            }
            Step::Forever => break,
        }
        i += 1;
    }
    if cfg.retry.is_some() && !alive.is_empty() {
        if !cfg.quiet {
            say(
                ctx,
                &format!(
                    "Program {}, {} process(es), refused to die.\n",
                    what(cfg),
                    alive.len()
                ),
            )?;
        }
        return done(2);
    }
    if cfg.remove_pidfile {
        remove_pidfile(ctx, cfg);
    }
    Ok(())
}

/// Waits up to `limit` for the processes to exit (polling /proc); those still there.
fn wait_gone(ctx: &Ctx<'_>, mut pids: Vec<i32>, limit: Duration) -> Vec<i32> {
    let end = Instant::now() + limit;
    let mut pause = Duration::from_millis(5);
    loop {
        pids.retain(|&p| matching::alive(p));
        if pids.is_empty() || Instant::now() >= end || (ctx.intr)() {
            return pids;
        }
        std::thread::sleep(pause.min(end.saturating_duration_since(Instant::now())));
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

fn remove_pidfile(ctx: &mut Ctx<'_>, cfg: &Config) {
    use std::os::unix::ffi::OsStrExt;
    let Some(p) = &cfg.pidfile else { return };
    match std::fs::remove_file(std::ffi::OsStr::from_bytes(p)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => ctx.note(
            format!(
                "cannot remove pidfile '{}': {}",
                show(p),
                crate::error::strerror(&e)
            )
            .as_bytes(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn usage_errors_are_status_3() {
        let out = run("start-stop-daemon", &["-x", "/bin/true"], b"");
        assert_eq!(out.status, 3);
        assert!(
            out.err()
                .starts_with("start-stop-daemon: need one of --start or --stop or --status\n")
        );
        let out = run("start-stop-daemon", &["-S"], b"");
        assert_eq!(out.status, 3);
        assert!(out.err().starts_with(
            "start-stop-daemon: need at least one of --exec, --pid, --ppid, --pidfile, --user or --name\n"
        ));
        let out = run("start-stop-daemon", &["-S", "-K", "-n", "x"], b"");
        assert!(
            out.err()
                .starts_with("start-stop-daemon: only one command can be specified\n")
        );
        let out = run("start-stop-daemon", &["-K", "-n", "x", "-R", "foo"], b"");
        assert_eq!(out.status, 3);
        assert!(
            out.err()
                .starts_with("start-stop-daemon: invalid schedule item")
        );
    }

    #[test]
    fn missing_executable_is_status_2() {
        let out = run("start-stop-daemon", &["-S", "-x", "/nonexistent/prog"], b"");
        assert_eq!(out.status, 2);
        assert_eq!(
            out.err(),
            "start-stop-daemon: unable to stat /nonexistent/prog (No such file or directory)\n"
        );
    }

    #[test]
    fn test_mode_and_nothing_running() {
        let name = "rbox-no-such-daemon";
        let out = run(
            "start-stop-daemon",
            &["-S", "-t", "-n", name, "-x", "/bin/sh", "--", "-c", "x"],
            b"",
        );
        assert_eq!(
            (out.status, out.out().as_str()),
            (0, "Would start /bin/sh -c x .\n")
        );
        let out = run("start-stop-daemon", &["-K", "-n", name], b"");
        assert_eq!(out.status, 1);
        assert_eq!(
            out.out(),
            format!("No {name} found running; none killed.\n")
        );
        let out = run("start-stop-daemon", &["-K", "-o", "-q", "-n", name], b"");
        assert_eq!((out.status, out.out().as_str()), (0, ""));
        let out = run("start-stop-daemon", &["-T", "-n", name], b"");
        assert_eq!(out.status, 3);
    }
}
