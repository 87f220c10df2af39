//! The applet contract: what every applet declares about itself (DESIGN.md section 4).

use crate::ctx::Ctx;
use crate::error::Error;

/// An applet's entry point. All I/O goes through the context; it returns instead of exiting.
pub type Main = fn(&mut Ctx<'_>) -> Result<(), Error>;

/// Where the shell may run an applet (busybox's NOFORK / NOEXEC / plain applets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// Inside the shell process: short, bounded, and changes no process state.
    InProc,
    /// In a forked child that calls `main` directly, without exec.
    Fork,
    /// In a forked child that re-executes rbox: daemons, threads, privileges, long-lived.
    Exec,
}

/// The directory `rbox --install` (without a DIR) links an applet into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallDir {
    /// `/bin`
    Bin,
    /// `/sbin`
    Sbin,
    /// `/usr/bin`
    UsrBin,
    /// `/usr/sbin`
    UsrSbin,
}

impl InstallDir {
    /// The absolute directory path.
    pub const fn path(self) -> &'static str {
        match self {
            InstallDir::Bin => "/bin",
            InstallDir::Sbin => "/sbin",
            InstallDir::UsrBin => "/usr/bin",
            InstallDir::UsrSbin => "/usr/sbin",
        }
    }
}

/// One applet's declaration: each applet file exports one of these as `APPLET`.
#[derive(Clone, Copy, Debug)]
pub struct Applet {
    /// The command name, as typed.
    pub name: &'static str,
    /// The entry point.
    pub main: Main,
    /// Where the shell may run it.
    pub run: Run,
    /// Where `rbox --install` links it.
    pub dir: InstallDir,
    /// The synopsis after the name, e.g. `[-nu] [FILE]...`.
    pub usage: &'static str,
    /// The body of `--help`: a one-line summary, a blank line, then the options.
    pub help: &'static str,
    /// Whether the dispatcher answers a first argument `--help` from `help`. Off for
    /// commands that must print or ignore every argument (`echo`, `true`, `test`).
    pub takes_help: bool,
    /// The status for usage errors and reported failures (1 for most; 2 for grep, test...).
    pub error_status: u8,
    /// Whether `$(NAME FILE...)` may run inside the shell although `run` says fork:
    /// only when every operand is a regular file, so the run reads no terminal or pipe
    /// and cannot block (`cat` of small files in a command substitution).
    pub captures_files_in_process: bool,
}

impl Applet {
    /// A declaration with the common defaults: installed in `/bin`, `--help` answered,
    /// failure status 1, no usage or help text yet.
    pub const fn new(name: &'static str, main: Main, run: Run) -> Applet {
        Applet {
            name,
            main,
            run,
            dir: InstallDir::Bin,
            usage: "",
            help: "",
            takes_help: true,
            error_status: 1,
            captures_files_in_process: false,
        }
    }

    /// Sets the synopsis.
    pub const fn usage(mut self, usage: &'static str) -> Applet {
        self.usage = usage;
        self
    }

    /// Sets the help text.
    pub const fn help(mut self, help: &'static str) -> Applet {
        self.help = help;
        self
    }

    /// Sets the install directory.
    pub const fn dir(mut self, dir: InstallDir) -> Applet {
        self.dir = dir;
        self
    }

    /// Makes `--help` an ordinary argument for this applet.
    pub const fn no_help_option(mut self) -> Applet {
        self.takes_help = false;
        self
    }

    /// Lets `$(NAME FILE...)` run inside the shell when every operand is a regular file
    /// (see [`Applet::captures_files_in_process`]).
    pub const fn captures_files_in_process(mut self) -> Applet {
        self.captures_files_in_process = true;
        self
    }

    /// Sets the status used for usage errors and reported failures.
    pub const fn error_status(mut self, status: u8) -> Applet {
        self.error_status = status;
        self
    }

    /// The one-line usage message: `Usage: NAME SYNOPSIS`.
    pub fn usage_line(&self) -> String {
        if self.usage.is_empty() {
            format!("Usage: {}", self.name)
        } else {
            format!("Usage: {} {}", self.name, self.usage)
        }
    }

    /// The full `--help` text: the usage line, then the help body.
    pub fn help_text(&self) -> String {
        let mut s = self.usage_line();
        s.push('\n');
        if !self.help.is_empty() {
            s.push('\n');
            s.push_str(self.help);
            if !self.help.ends_with('\n') {
                s.push('\n');
            }
        }
        s
    }
}
