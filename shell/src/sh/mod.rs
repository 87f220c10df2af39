//! `rbox sh`: a non-interactive POSIX shell (XCU chapter 2) with the ash/bash extensions
//! real `/bin/sh` scripts use. Source is parsed and run one complete command at a time.

pub mod builtins;
pub mod exec;
pub mod expand;
pub mod fasthash;
pub mod input;
pub mod jobs;
pub mod signals;
pub mod state;
pub mod vars;

use std::ffi::CString;
use std::sync::atomic::{AtomicI32, Ordering};

use rbox_builtins::{Applet, Ctx, Error, Run};
use rbox_parser::syntax::Parser;

use state::{Aliases, Ctl, R, Shell, Trap};

/// The `sh` applet: always the whole process (standalone, or re-exec'd by a shell).
pub const APPLET: Applet = Applet::new("sh", applet_main, Run::Exec)
    .usage("[-abCefhimnuvx] [-o OPT]... [-c STRING [NAME [ARG]...] | -s [ARG]... | FILE [ARG]...]")
    .help(
        "A POSIX shell.\n\n\
         -c STRING\tRun the commands in STRING ($0 is NAME, then the ARGs)\n\
         -s\tRead commands from standard input\n\
         -n\tRead commands but do not run them (syntax check)\n\
         -e -u -x -f -C -a -v -b\tAs for the set builtin; -o OPT sets a long option",
    )
    .no_help_option();

fn applet_main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let env: Vec<(Vec<u8>, Vec<u8>)> = ctx
        .env
        .vars()
        .into_iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect();
    let args = ctx.args.to_vec();
    let st = main(&args, &env);
    if st == 0 {
        Ok(())
    } else {
        Err(Error::silent(st))
    }
}

/// The fd of the running binary (opened `O_PATH` at start-up) for re-exec.
static SELF_FD: AtomicI32 = AtomicI32::new(-1);

fn open_self() {
    if SELF_FD.load(Ordering::Relaxed) >= 0 {
        return;
    }
    // SAFETY: open with a static C string.
    let fd = unsafe { libc::open(c"/proc/self/exe".as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
    if fd >= 0 {
        // Keep it out of the way of the script's fds.
        // SAFETY: F_DUPFD_CLOEXEC and close on our own fd.
        let high = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        if high >= 0 {
            // SAFETY: closing the low copy we own.
            unsafe { libc::close(fd) };
            SELF_FD.store(high, Ordering::Relaxed);
        } else {
            SELF_FD.store(fd, Ordering::Relaxed);
        }
    }
}

/// Re-executes rbox with `argv` (argv[0] naming the applet). Returns only on failure.
pub fn self_exec(argv: &[Vec<u8>], envp: &[CString]) {
    let cargv: Vec<CString> = argv
        .iter()
        .filter_map(|a| CString::new(a.as_slice()).ok())
        .collect();
    let mut pargv: Vec<*const libc::c_char> = cargv.iter().map(|c| c.as_ptr()).collect();
    pargv.push(std::ptr::null());
    let mut penv: Vec<*const libc::c_char> = envp.iter().map(|c| c.as_ptr()).collect();
    penv.push(std::ptr::null());
    let fd = SELF_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: argv/envp are NUL-terminated arrays of valid C strings that outlive the
        // call; the path is the empty C string with AT_EMPTY_PATH.
        unsafe {
            libc::syscall(
                libc::SYS_execveat,
                fd,
                c"".as_ptr(),
                pargv.as_ptr(),
                penv.as_ptr(),
                libc::AT_EMPTY_PATH,
            );
        }
    }
    if let Ok(p) = crate::install::self_path(b"rbox") {
        use std::os::unix::ffi::OsStrExt;
        if let Ok(c) = CString::new(p.as_os_str().as_bytes()) {
            // SAFETY: as above, with a path.
            unsafe { libc::execve(c.as_ptr(), pargv.as_ptr(), penv.as_ptr()) };
        }
    }
}

/// Where the commands come from.
enum Source {
    Command(Vec<u8>),
    File(Vec<u8>),
    Stdin,
}

/// Runs the shell with `args` (after the command name) and environment `env`; returns
/// the exit status.
pub fn main(args: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> u8 {
    let mut sh = Shell::new(env);
    signals::init(&mut sh);
    // The shell itself survives writes to a closed pipe; its children get the default.
    signals::set_ignore(libc::SIGPIPE);
    open_self();
    let mut i = 0;
    let mut cflag = false;
    let mut sflag = false;
    // A login shell: started as `-sh` (argv[0]) or with `-l`/`--login`.
    let argv0 = std::env::args_os().next().map(|a| a.into_encoded_bytes());
    let base0 = argv0
        .as_deref()
        .map(rbox_builtins::common::path::basename)
        .unwrap_or_default();
    let mut login = base0.starts_with(b"-");
    // Started through a link (`/bin/sh`, `-sh`), $0 is argv[0] as dash and ash have it;
    // as `rbox sh` it stays `sh`.
    if let Some(a0) = argv0
        .as_ref()
        .filter(|_| base0.strip_prefix(b"-").unwrap_or(base0) != b"rbox")
    {
        sh.arg0 = a0.clone();
        sh.name = a0.clone();
    }
    let mut monitor_given = false;
    while let Some(a) = args.get(i) {
        if a == b"--" || a == b"-" {
            i += 1;
            break;
        }
        if a == b"--help" {
            let usage = b"Usage: sh [-abCefhimnuvx] [-o option]... [-O shopt]... \
                          [-c string [name [arg...]] | -s [arg...] | file [arg...]]\n";
            let _ = rbox_builtins::common::fdio::write_all(1, usage);
            return 0;
        }
        if matches!(
            a.as_slice(),
            b"--login" | b"--posix" | b"--norc" | b"--noprofile"
        ) {
            login |= a == b"--login";
            // bash's long flags: accepted; none changes a script's meaning here.
            i += 1;
            continue;
        }
        let on = match a.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        if a.len() < 2 {
            break;
        }
        i += 1;
        for &c in &a[1..] {
            match c {
                // `+c` reads as `-c` (bash).
                b'c' => cflag = true,
                b's' => sflag = on,
                // `-l`: a login shell (reads the profiles when interactive).
                b'l' => login = on,
                b'm' => {
                    monitor_given = true;
                    sh.opts.monitor = on;
                }
                b'O' => {
                    let Some(name) = args.get(i) else {
                        sh.error(b"-O requires an argument");
                        return 2;
                    };
                    i += 1;
                    let n = String::from_utf8_lossy(name);
                    match state::SHOPT_NAMES.iter().position(|s| *s == n) {
                        Some(k) if on => sh.opts.shopt |= 1 << k,
                        Some(k) => sh.opts.shopt &= !(1 << k),
                        None => {
                            sh.error2(name, "invalid shell option name");
                            return 2;
                        }
                    }
                }
                b'o' => {
                    let Some(name) = args.get(i) else {
                        builtins::set::print_options(&sh, !on);
                        continue;
                    };
                    i += 1;
                    match sh.opts.named(name) {
                        Some(f) => *f = on,
                        None => {
                            sh.error2(name, "bad option");
                            return 2;
                        }
                    }
                }
                c => match sh.opts.letter(c) {
                    Some(f) => *f = on,
                    None => {
                        let m = format!("-{}: bad option", char::from(c));
                        sh.error(m.as_bytes());
                        return 2;
                    }
                },
            }
        }
    }
    let rest = &args[i.min(args.len())..];
    let source = if cflag {
        let Some(cmd) = rest.first() else {
            sh.error(b"-c requires an argument");
            return 2;
        };
        if let Some(n) = rest.get(1) {
            sh.arg0 = n.clone();
            sh.name = n.clone();
            sh.positional = rest[2..].to_vec();
        }
        Source::Command(cmd.clone())
    } else if sflag || rest.is_empty() {
        sh.positional = rest.to_vec();
        sh.opts.stdin = true;
        Source::Stdin
    } else {
        sh.arg0 = rest[0].clone();
        sh.name = rest[0].clone();
        sh.positional = rest[1..].to_vec();
        Source::File(rest[0].clone())
    };
    if matches!(source, Source::Stdin)
        && !sh.opts.interactive
        && crate::interactive::terminal_session()
    {
        sh.opts.interactive = true;
    }
    if sh.opts.interactive && !sh.opts.vi {
        // Line editing starts in emacs mode, as in bash and ash.
        sh.opts.emacs = true;
    }
    let interactive_loop = sh.opts.interactive && matches!(source, Source::Stdin);
    if interactive_loop {
        if !monitor_given {
            sh.opts.monitor = true;
        }
        crate::interactive::start(&mut sh, login);
    }
    if sh.opts.interactive
        && let Some(envfile) = sh.vars.get(b"ENV").map(<[u8]>::to_vec)
    {
        let path = prompt_expand(&mut sh, &envfile);
        if let Ok(text) = std::fs::read(std::ffi::OsStr::new(&*String::from_utf8_lossy(&path))) {
            let _ = run_source(&mut sh, &text, 1);
        }
    }
    let r = match source {
        Source::Command(cmd) => run_top(&mut sh, &cmd),
        Source::File(path) => {
            use std::os::unix::ffi::OsStrExt;
            match std::fs::read(std::ffi::OsStr::from_bytes(&path)) {
                Ok(text) => run_top(&mut sh, &text),
                Err(e) => {
                    sh.lineno = 0;
                    let st = if e.kind() == std::io::ErrorKind::NotFound {
                        127
                    } else {
                        126
                    };
                    sh.error2(
                        &[b"cannot open ", path.as_slice()].concat(),
                        &rbox_builtins::error::strerror(&e),
                    );
                    return st;
                }
            }
        }
        Source::Stdin if interactive_loop => crate::interactive::run(&mut sh),
        Source::Stdin => input::run_stdin(&mut sh),
    };
    let st = exec::status_of(r);
    run_exit_trap(&mut sh, st)
}

/// Runs a whole script text at top level; the last command may exec in place.
fn run_top(sh: &mut Shell, src: &[u8]) -> R {
    let last = last_content_line(src);
    run_source_inner(sh, src, 1, Some(last))
}

/// The number of the last line with anything but blanks on it.
fn last_content_line(src: &[u8]) -> u32 {
    let mut line = 1u32;
    let mut last = 1u32;
    for &c in src {
        if c == b'\n' {
            line += 1;
        } else if !matches!(c, b' ' | b'\t' | b'\r') {
            last = line;
        }
    }
    last
}

/// Parses and runs `src` one complete command at a time (for `eval`, `.`, traps).
/// Runs `src` in a fresh shell in sandbox mode (see `Shell::sandbox`) with a budget of
/// `steps` commands; the fuzz target's entry. Returns the status.
pub fn run_sandboxed(src: &[u8], steps: u64) -> u8 {
    let mut sh = Shell::new(&[]);
    sh.sandbox = Some(steps);
    // Test and fuzz threads may have small stacks.
    sh.stack_limit = sh.stack_limit.min(512 << 10);
    // stdin is /dev/null meanwhile: `read` must not wait on the host's terminal.
    // SAFETY: fcntl/open/dup2/close on fds this function owns; fd 0 is put back below.
    let saved0 = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 10) };
    // SAFETY: open with a static C string.
    let null = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if null >= 0 {
        // SAFETY: as above.
        unsafe {
            libc::dup2(null, 0);
            libc::close(null);
        }
    }
    let st = match run_source(&mut sh, src, 1) {
        Ok(st) => st,
        Err(Ctl::Exit(st) | Ctl::Error(st) | Ctl::Return(st)) => st,
        Err(Ctl::Break(_) | Ctl::Continue(_)) => sh.status,
    };
    if saved0 >= 0 {
        // SAFETY: restoring fd 0 from our copy.
        unsafe {
            libc::dup2(saved0, 0);
            libc::close(saved0);
        }
    }
    st
}

pub fn run_source(sh: &mut Shell, src: &[u8], first_line: u32) -> R {
    if sh.stack_exhausted() {
        sh.error(b"eval/source nesting too deep");
        return Err(sh.fatal(2));
    }
    run_source_inner(sh, src, first_line, None)
}

fn run_source_inner(sh: &mut Shell, src: &[u8], first_line: u32, tail_line: Option<u32>) -> R {
    let mut parser = Parser::with_line(src, first_line);
    let mut st = 0;
    loop {
        let before = parser.line();
        let cmd = match parser.next_complete_command(&Aliases(&sh.aliases)) {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                sh.lineno = e.line;
                sh.error(format!("syntax error: {}", e.message).as_bytes());
                // POSIX (dash, bash --posix): fatal in a non-interactive shell, also
                // inside `eval` and `.`.
                return Err(Ctl::Error(2));
            }
        };
        if sh.opts.verbose {
            echo_lines(src, first_line, before, parser.line());
        }
        if sh.opts.noexec && !sh.opts.interactive {
            continue;
        }
        let start = cmd.items.first().map_or(0, |i| i.and_or.first.line);
        let tail = tail_line.is_some_and(|l| start >= l && sh.traps.iter().all(Option::is_none));
        if tail {
            sh.subshell_exec_ok();
        }
        st = exec::run_list(sh, &cmd, tail)?;
    }
    Ok(st)
}

/// `set -v`: writes the source lines `from..to` to stderr.
fn echo_lines(src: &[u8], first: u32, from: u32, to: u32) {
    let mut out = Vec::new();
    for (n, l) in src.split_inclusive(|&c| c == b'\n').enumerate() {
        let n = first + n as u32;
        if n >= from && (n < to || to == from) {
            out.extend_from_slice(l);
        }
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let _ = rbox_builtins::common::fdio::write_all(2, &out);
}

impl Shell {
    /// At the last command of `sh -c`: nothing runs after it, so an external command may
    /// replace the shell process as it would in a subshell.
    fn subshell_exec_ok(&mut self) {
        self.subshell = true;
    }
}

/// Runs the EXIT trap once (if set) and returns the status to exit with.
pub fn run_exit_trap(sh: &mut Shell, st: u8) -> u8 {
    if sh.exiting {
        return st;
    }
    sh.exiting = true;
    if let Some(Some(Trap::Command(cmd))) = sh.traps.first().cloned() {
        sh.traps[0] = None;
        sh.status = st;
        let saved_line = sh.lineno;
        match signals::run_action(sh, &cmd) {
            Err(Ctl::Exit(s) | Ctl::Error(s)) => return s,
            _ => sh.lineno = saved_line,
        }
    }
    st
}

/// In an already forked child: runs a file that `execve` refused (no `#!`) as a shell
/// script, in a fresh shell, and returns its status.
pub fn run_script_fresh(args: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> u8 {
    main(args, env)
}

/// Expands a prompt-like string (`PS4`, `ENV`): parameters, command substitution and
/// arithmetic, as inside double quotes.
pub fn prompt_expand(sh: &mut Shell, raw: &[u8]) -> Vec<u8> {
    let mut src = Vec::with_capacity(raw.len() + 2);
    src.push(b'"');
    for &c in raw {
        if c == b'"' {
            src.push(b'\\');
        }
        src.push(c);
    }
    src.push(b'"');
    let Ok(prog) = rbox_parser::syntax::parse_program(&src) else {
        return raw.to_vec();
    };
    let word = prog
        .commands
        .first()
        .and_then(|l| l.items.first())
        .and_then(|i| match i.and_or.first.commands.first() {
            Some(rbox_parser::syntax::Command::Simple(s)) => s.words.first().cloned(),
            _ => None,
        });
    let Some(w) = word else {
        return raw.to_vec();
    };
    let saved = sh.opts.xtrace;
    sh.opts.xtrace = false;
    let r = expand::string(sh, &w).unwrap_or_else(|_| raw.to_vec());
    sh.opts.xtrace = saved;
    r
}

#[cfg(test)]
mod sandbox_tests {
    /// Inputs the fuzz target (`shell/fuzz`) found or that exercise the sandbox: each must
    /// run to the end without a panic.
    #[test]
    fn sandboxed_runs_end() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions");
        let mut inputs: Vec<Vec<u8>> = vec![
            b"while :; do :; done".to_vec(),
            b"f() { f; }; f".to_vec(),
            b"echo a | cat; x=$(ls); (exit 3); echo $? & wait".to_vec(),
            b"ls >/etc/passwd; . /etc/passwd; exec ls; kill -9 -1".to_vec(),
        ];
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                if let Ok(b) = std::fs::read(e.path()) {
                    inputs.push(b);
                }
            }
        }
        for i in &inputs {
            super::run_sandboxed(i, 2000);
        }
        assert_eq!(super::run_sandboxed(b"while :; do :; done", 100), 124);
        assert_eq!(super::run_sandboxed(b"nosuch", 100), 127);
    }
}
