//! The shell's state: variables, parameters, functions, aliases, options, traps, jobs.

use super::fasthash::FastMap;
use std::rc::Rc;

use rbox_parser::syntax::{AliasHook, CompoundCommand};

use super::vars::{ReadOnly, Vars};

/// Non-local control flow out of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctl {
    /// `break N` (levels left to leave).
    Break(u32),
    /// `continue N`.
    Continue(u32),
    /// `return N` from a function or a `.` script.
    Return(u8),
    /// Leave the shell (or the subshell) with this status: `exit`, a fatal error, `set -e`.
    Exit(u8),
    /// A shell error (special builtin, expansion): a non-interactive shell exits with
    /// this status; `command` turns a special builtin's error into a plain status.
    Error(u8),
}

/// A command's result: its status, or a jump.
pub type R = Result<u8, Ctl>;

/// The `set` options, by letter where they have one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Opts {
    pub allexport: bool,
    pub notify: bool,
    pub noclobber: bool,
    pub errexit: bool,
    pub noglob: bool,
    pub hashall: bool,
    pub interactive: bool,
    pub monitor: bool,
    pub noexec: bool,
    pub nounset: bool,
    pub verbose: bool,
    pub xtrace: bool,
    pub ignoreeof: bool,
    pub pipefail: bool,
    pub stdin: bool,
    /// `set -o vi` / `set -o emacs` (line-editing modes; recorded, mutually exclusive).
    pub vi: bool,
    pub emacs: bool,
    /// `shopt` options that are on: bit `i` for `SHOPT_NAMES[i]`.
    pub shopt: u32,
}

/// `shopt` option names (bash). Only `nullglob` and `failglob` change behaviour; the others
/// are accepted and recorded so scripts that set them run.
pub const SHOPT_NAMES: &[&str] = &[
    "dotglob",
    "expand_aliases",
    "extglob",
    "failglob",
    "globstar",
    "lastpipe",
    "nocaseglob",
    "nocasematch",
    "nullglob",
    "xpg_echo",
];

/// `set -o` names with their letters, in `set -o` listing order.
pub const OPTION_NAMES: &[(&str, u8)] = &[
    ("allexport", b'a'),
    ("emacs", 0),
    ("errexit", b'e'),
    ("hashall", b'h'),
    ("ignoreeof", 0),
    ("interactive", b'i'),
    ("monitor", b'm'),
    ("noclobber", b'C'),
    ("noexec", b'n'),
    ("noglob", b'f'),
    ("notify", b'b'),
    ("nounset", b'u'),
    ("pipefail", 0),
    ("verbose", b'v'),
    ("vi", 0),
    ("xtrace", b'x'),
];

impl Opts {
    /// The flag for option letter `c`.
    pub fn letter(&mut self, c: u8) -> Option<&mut bool> {
        Some(match c {
            b'a' => &mut self.allexport,
            b'b' => &mut self.notify,
            b'C' => &mut self.noclobber,
            b'e' => &mut self.errexit,
            b'f' => &mut self.noglob,
            b'h' => &mut self.hashall,
            b'i' => &mut self.interactive,
            b'm' => &mut self.monitor,
            b'n' => &mut self.noexec,
            b'u' => &mut self.nounset,
            b'v' => &mut self.verbose,
            b'x' => &mut self.xtrace,
            b's' => &mut self.stdin,
            _ => return None,
        })
    }

    /// The flag for long option `name`.
    pub fn named(&mut self, name: &[u8]) -> Option<&mut bool> {
        match name {
            b"ignoreeof" => Some(&mut self.ignoreeof),
            b"pipefail" => Some(&mut self.pipefail),
            b"vi" => Some(&mut self.vi),
            b"emacs" => Some(&mut self.emacs),
            _ => {
                let (_, c) = OPTION_NAMES.iter().find(|(n, _)| n.as_bytes() == name)?;
                self.letter(*c)
            }
        }
    }

    /// Whether `shopt` option `name` is on.
    pub fn shopt_on(&self, name: &str) -> bool {
        SHOPT_NAMES
            .iter()
            .position(|n| *n == name)
            .is_some_and(|i| self.shopt & (1 << i) != 0)
    }

    /// `$-`: the letters of the options that are on.
    pub fn dollar_dash(&self) -> Vec<u8> {
        let mut s = Vec::new();
        let mut me = *self;
        for c in b"abCefhimnuvxs" {
            if me.letter(*c).is_some_and(|f| *f) {
                s.push(*c);
            }
        }
        s
    }
}

/// A trap's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trap {
    /// `trap '' SIG`.
    Ignore,
    /// `trap 'cmd' SIG`.
    Command(Vec<u8>),
}

/// A job: a background list, or a foreground one that stopped (`jobs.rs`).
#[derive(Clone, Debug)]
pub struct Job {
    /// The job number (`%N`).
    pub id: usize,
    /// The last process of the job (`$!`).
    pub pid: i32,
    /// Every process of the job.
    pub pids: Vec<i32>,
    /// Its process group under job control; 0 without (it shares the shell's).
    pub pgid: i32,
    /// The status once it is done.
    pub status: Option<u8>,
    /// The last process's status once it is reaped (the others may still run).
    pub last_status: Option<u8>,
    /// Stopped (Ctrl-Z, SIGSTOP, SIGTTIN).
    pub stopped: bool,
    /// Its current state was reported (by a notice or `jobs`).
    pub notified: bool,
    /// The command text for `jobs`.
    pub text: Vec<u8>,
}

/// The whole interpreter state.
pub struct Shell {
    /// The variables.
    pub vars: Vars,
    /// `$0`.
    pub arg0: Vec<u8>,
    /// The name in error messages (the `$0` the shell started with).
    pub name: Vec<u8>,
    /// `$1`...
    pub positional: Vec<Vec<u8>>,
    /// Function bodies, shared so a call does not clone the tree.
    pub functions: FastMap<Vec<u8>, Rc<CompoundCommand>>,
    /// Aliases.
    pub aliases: FastMap<Vec<u8>, Vec<u8>>,
    /// The `set` options.
    pub opts: Opts,
    /// `$?`.
    pub status: u8,
    /// `$$`.
    pub pid: i32,
    /// `$PPID`.
    pub ppid: i32,
    /// `$!`.
    pub last_bg: Option<i32>,
    /// Background jobs not yet waited for.
    pub jobs: Vec<Job>,
    /// Job control: the terminal, process groups (`jobs.rs`).
    pub jc: super::jobs::JobControl,
    /// A login shell (`-sh`, `-l`): reads the profiles; `logout` works.
    pub login: bool,
    /// The interactive shell's command history (`history`, `fc`).
    pub history: crate::interactive::history::History,
    /// Traps by signal number; index 0 is EXIT.
    pub traps: Vec<Option<Trap>>,
    /// Signals that were ignored when the shell started (traps on them are no-ops).
    pub ignored_at_entry: Vec<bool>,
    /// `$LINENO`: line of the command being run.
    pub lineno: u32,
    /// Nested loops being run (for `break`/`continue`).
    pub loop_depth: u32,
    /// Nested function calls.
    pub func_depth: u32,
    /// Nested `.` scripts.
    pub dot_depth: u32,
    /// Above zero while `set -e` is suspended (conditions, `&&`/`||` left sides, `!`).
    pub errexit_off: u32,
    /// True in a forked subshell (pipeline stage, `( )`, `&`, `$( )`).
    pub subshell: bool,
    /// The status of the last command substitution of the current simple command.
    pub cmdsub_status: Option<u8>,
    /// `hash`: command name to path.
    pub hash: FastMap<Vec<u8>, Vec<u8>>,
    /// State of `$RANDOM`.
    pub random: u32,
    /// `getopts`: position inside the current option cluster.
    pub getopts_pos: usize,
    /// Parsed arithmetic by source text.
    pub arith_cache: FastMap<Vec<u8>, Rc<rbox_parser::arith::Expr>>,
    /// Parsed trap actions.
    pub trap_cache: FastMap<Vec<u8>, Rc<rbox_parser::syntax::Program>>,
    /// `$OLDPWD` bookkeeping is in vars; this is the logical cwd (`$PWD`).
    pub pwd: Vec<u8>,
    /// The status to exit with when a trap action running inside `exit` ends.
    pub in_trap: u32,
    /// Sandbox mode (the fuzz target): the commands left to run. No applets, no `PATH`
    /// search, no fork (a subshell is a child that did nothing), redirections open
    /// `/dev/null`, and `exec`, `kill`, `ulimit` and `.` are not found.
    pub sandbox: Option<u64>,

    /// Address of a local of the frame that made the shell (about where its stack starts).
    pub stack_base: usize,
    /// How many bytes of stack below `stack_base` the shell may use before function calls,
    /// `eval` and `.` refuse to nest deeper.
    pub stack_limit: usize,
    /// Whether EXIT trap has run already.
    pub exiting: bool,
    /// `$_`: the last argument of the previous simple command.
    pub last_arg: Vec<u8>,
    /// When the shell started (for `$SECONDS`).
    pub started: std::time::Instant,
    /// The array values of the declaration utility being run (`declare a=(x y)`), by
    /// argument position; filled by `expand::command_fields`.
    pub decl_arrays: Vec<crate::sh::expand::assign::DeclArray>,
    /// `${PIPESTATUS[@]}`: the statuses of the last pipeline's commands.
    pub pipestatus: Vec<u8>,
}

impl AliasHook for Shell {
    fn alias(&self, name: &[u8]) -> Option<&[u8]> {
        self.aliases.get(name).map(Vec::as_slice)
    }
}

/// Just the aliases, for the parser while the shell itself is borrowed.
pub struct Aliases<'a>(pub &'a FastMap<Vec<u8>, Vec<u8>>);

impl AliasHook for Aliases<'_> {
    fn alias(&self, name: &[u8]) -> Option<&[u8]> {
        self.0.get(name).map(Vec::as_slice)
    }
}

/// The highest signal number traps track.
pub const NSIG: usize = 65;

impl Shell {
    /// A fresh shell over the environment `env`.
    pub fn new(env: &[(Vec<u8>, Vec<u8>)]) -> Shell {
        let pid = nix::unistd::getpid().as_raw();
        let ppid = nix::unistd::getppid().as_raw();
        let mut vars = Vars::from_env(env);
        let _ = vars.set(b"PPID", ppid.to_string().into_bytes(), false);
        if vars.get(b"IFS").is_none() {
            let _ = vars.set(b"IFS", b" \t\n".to_vec(), false);
        }
        if vars.get(b"PS1").is_none() {
            let _ = vars.set(b"PS1", b"$ ".to_vec(), false);
        }
        if vars.get(b"PS2").is_none() {
            let _ = vars.set(b"PS2", b"> ".to_vec(), false);
        }
        if vars.get(b"PS4").is_none() {
            let _ = vars.set(b"PS4", b"+ ".to_vec(), false);
        }
        let _ = vars.set(b"OPTIND", b"1".to_vec(), false);
        if vars.get(b"PATH").is_none() {
            let _ = vars.set(
                b"PATH",
                b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_vec(),
                false,
            );
        }
        let uid = nix::unistd::getuid().as_raw().to_string().into_bytes();
        let euid = nix::unistd::geteuid().as_raw().to_string().into_bytes();
        // The real ids, whatever the environment says (bash).
        for (name, id) in [(&b"UID"[..], uid), (&b"EUID"[..], euid)] {
            vars.restore(name, None);
            let _ = vars.set(name, id, false);
            vars.set_readonly(name);
        }
        let pwd = initial_pwd(vars.get(b"PWD"));
        if !pwd.is_empty() {
            let _ = vars.set(b"PWD", pwd.clone(), true);
        }
        Shell {
            vars,
            arg0: b"sh".to_vec(),
            name: b"sh".to_vec(),
            positional: Vec::new(),
            functions: FastMap::default(),
            aliases: FastMap::default(),
            opts: Opts::default(),
            status: 0,
            pid,
            ppid,
            last_bg: None,
            jobs: Vec::new(),
            jc: super::jobs::JobControl {
                tty: -1,
                ..Default::default()
            },
            login: false,
            history: Default::default(),
            traps: vec![None; NSIG],
            ignored_at_entry: vec![false; NSIG],
            lineno: 0,
            loop_depth: 0,
            func_depth: 0,
            dot_depth: 0,
            errexit_off: 0,
            subshell: false,
            cmdsub_status: None,
            hash: FastMap::default(),
            random: (pid as u32).wrapping_mul(2_654_435_761) ^ 0x9e37_79b9,
            getopts_pos: 0,
            arith_cache: FastMap::default(),
            trap_cache: FastMap::default(),
            pwd,
            in_trap: 0,
            sandbox: None,
            stack_base: stack_here(),
            stack_limit: stack_budget(),
            exiting: false,
            last_arg: Vec::new(),
            started: std::time::Instant::now(),
            decl_arrays: Vec::new(),
            pipestatus: Vec::new(),
        }
    }

    /// Prints `NAME: LINE: message` on stderr (dash's shape).
    pub fn error(&self, msg: &[u8]) {
        let mut line = Vec::with_capacity(msg.len() + 24);
        line.extend_from_slice(&self.name);
        line.extend_from_slice(b": ");
        if self.lineno > 0 {
            line.extend_from_slice(self.lineno.to_string().as_bytes());
            line.extend_from_slice(b": ");
        }
        line.extend_from_slice(msg);
        line.push(b'\n');
        let _ = rbox_builtins::common::fdio::write_all(2, &line);
    }

    /// [`Shell::error`] with a `subject: reason` message.
    pub fn error2(&self, subject: &[u8], reason: &str) {
        let mut m = subject.to_vec();
        m.extend_from_slice(b": ");
        m.extend_from_slice(reason.as_bytes());
        self.error(&m);
    }

    /// Assigns a variable the way an assignment word does (`set -a` exports it).
    pub fn assign(&mut self, name: &[u8], value: Vec<u8>) -> Result<(), ReadOnly> {
        let export = self.opts.allexport;
        if name == b"PATH" {
            self.hash.clear();
        }
        if name == b"RANDOM"
            && let Ok(s) = std::str::from_utf8(&value)
            && let Ok(n) = s.trim().parse::<i64>()
        {
            self.random = n as u32;
        }
        if name == b"OPTIND" {
            self.getopts_pos = 0;
        }
        self.vars.set(name, value, export)
    }

    /// Assigns, reporting a readonly variable as a fatal error (`x: is read only`).
    pub fn assign_or_fail(&mut self, name: &[u8], value: Vec<u8>) -> Result<(), Ctl> {
        match self.assign(name, value) {
            Ok(()) => Ok(()),
            Err(ReadOnly) => {
                self.error2(name, "is read only");
                Err(self.fatal(1))
            }
        }
    }

    /// `true` when the stack is used up to the limit (deep recursion must stop with an
    /// error instead of overflowing).
    pub fn stack_exhausted(&self) -> bool {
        self.stack_base.saturating_sub(stack_here()) > self.stack_limit
    }

    /// In sandbox mode only fds 0-2 may be named (the others belong to the host process).
    pub fn sandbox_fd_ok(&self, fd: i32) -> bool {
        self.sandbox.is_none() || (0..=2).contains(&fd)
    }

    /// Counts one command against the sandbox budget; out of budget, the shell exits.
    pub fn step(&mut self) -> Result<(), Ctl> {
        match &mut self.sandbox {
            Some(0) => Err(Ctl::Exit(124)),
            Some(n) => {
                *n -= 1;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// The jump for a fatal shell error: the shell (or subshell) exits with `status`.
    /// An interactive shell would go back to the prompt instead.
    pub fn fatal(&self, status: u8) -> Ctl {
        Ctl::Error(status)
    }

    /// The next `$RANDOM` value (0..32767).
    pub fn next_random(&mut self) -> u32 {
        // xorshift32 on the state; 15 bits out, as bash gives.
        let mut x = self.random.max(1);
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.random = x;
        (x >> 8) & 0x7fff
    }

    /// `IFS`, with the default when unset.
    pub fn ifs(&self) -> &[u8] {
        self.vars.get(b"IFS").unwrap_or(b" \t\n")
    }
}

/// `$PWD` at start-up: inherited if it names the cwd, else the physical cwd.
fn initial_pwd(env_pwd: Option<&[u8]>) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    if let Some(p) = env_pwd
        && p.starts_with(b"/")
        && let (Ok(a), Ok(b)) = (
            std::fs::metadata(std::ffi::OsStr::from_bytes(p)),
            std::fs::metadata(&cwd),
        )
        && a.dev() == b.dev()
        && a.ino() == b.ino()
        && !p.split(|&c| c == b'/').any(|c| c == b"." || c == b"..")
    {
        return p.to_vec();
    }
    cwd.as_os_str().as_bytes().to_vec()
}

/// An address on the current stack (it grows down on every supported target).
#[inline(never)]
pub fn stack_here() -> usize {
    let x = 0u8;
    std::hint::black_box(&x) as *const u8 as usize
}

/// Half of the soft stack limit (8 MiB when unlimited or unknown), leaving the rest for
/// the frames between two checks and for applets run in the process.
fn stack_budget() -> usize {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit fills the struct.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut r) } == 0;
    let cur = if ok && r.rlim_cur != libc::RLIM_INFINITY {
        usize::try_from(r.rlim_cur).unwrap_or(8 << 20)
    } else {
        8 << 20
    };
    cur.min(64 << 20) / 2
}
