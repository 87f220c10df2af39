//! `xargs`: build command lines from standard input and run them.

use std::fs::File;
use std::io::{self, BufReader};

use super::{DEFAULT_LINE_MAX, env_pairs, path, quote, system_line_max};
use crate::prelude::*;

/// The `xargs` applet.
pub const APPLET: Applet = Applet::new("xargs", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-0prtx] [-d DELIM] [-E EOF] [-I REPL] [-L N] [-n N] [-P N] [-s N] [-a FILE] [COMMAND [ARG]...]")
    .help(
        "Run COMMAND (default echo) with the initial ARGs and arguments read from standard\n\
         input: blank-separated words, with quotes and backslashes as in POSIX.\n\n\
         -0, --null\tItems end in NUL; no quotes, backslashes or EOF string\n\
         -d DELIM\tItems end in the character DELIM (\\n, \\t, \\0, \\xHH, \\OOO escapes)\n\
         -a FILE\tRead the items from FILE, not standard input\n\
         -n N\tAt most N arguments per command\n\
         -L N\tAt most N non-blank input lines per command (-l: 1)\n\
         -I REPL\tOne command per input line, REPL in ARGs replaced by it (-i: {})\n\
         -s N\tAt most N bytes of command line\n\
         -x\tExit if a command line with -n/-L arguments does not fit -s\n\
         -E EOF\tStop at an input word EOF\n\
         -r\tDo not run the command when the input has no items\n\
         -t\tPrint each command on standard error before running it\n\
         -p\tAsk on /dev/tty before running each command (implies -t)\n\
         -P N\tRun up to N commands at a time (0: as many as possible)\n\
         --process-slot-var VAR\tSet VAR in each command to its slot number (0 to N-1)\n\n\
         Exit status: 123 if a command failed, 124 if one exited with 255, 125 if one was\n\
         killed by a signal, 126 if it could not be run, 127 if it was not found.",
    );

const LONGS: &[&str] = &[
    "null",
    "delimiter",
    "arg-file",
    "max-args",
    "max-lines",
    "replace",
    "max-chars",
    "exit",
    "eof",
    "no-run-if-empty",
    "verbose",
    "interactive",
    "max-procs",
    "process-slot-var",
];

/// How items are separated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    /// POSIX: blanks and newlines, with quotes and backslashes.
    Blank,
    /// `-0`, `-d`: one byte, nothing special.
    Byte(u8),
}

struct Config {
    split: Split,
    max_args: Option<usize>,
    max_lines: Option<usize>,
    replace: Option<Vec<u8>>,
    no_empty: bool,
    max_chars: usize,
    verbose: bool,
    interactive: bool,
    eof: Option<Vec<u8>>,
    exit_on_size: bool,
    slot_var: Option<Vec<u8>>,
    /// `-P`: how many commands may run at once (0: no limit).
    max_procs: usize,
}

fn positive(v: &[u8], opt: char) -> Result<usize, Error> {
    let n: u64 = crate::opts::parse_number(v, "number")
        .map_err(|_| Error::usage(format!("invalid number \"{}\" for -{opt} option", lossy(v))))?;
    if n == 0 {
        return Err(Error::usage(format!(
            "value {n} for -{opt} option should be >= 1"
        )));
    }
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

fn lossy(v: &[u8]) -> String {
    String::from_utf8_lossy(v).into_owned()
}

/// The byte of a `-d` argument: one character or an escape.
fn delimiter(v: &[u8]) -> Result<u8, Error> {
    let bad = || {
        Error::msg(format!(
            "invalid input delimiter specification {}: the delimiter must be either a single \
             character or an escape sequence starting with \\.",
            lossy(v)
        ))
    };
    match v {
        [c] => Ok(*c),
        [b'\\', rest @ ..] => {
            let simple = match rest {
                b"n" => Some(b'\n'),
                b"t" => Some(b'\t'),
                b"r" => Some(b'\r'),
                b"a" => Some(7),
                b"b" => Some(8),
                b"f" => Some(12),
                b"v" => Some(11),
                b"\\" => Some(b'\\'),
                _ => None,
            };
            if let Some(c) = simple {
                return Ok(c);
            }
            let s = std::str::from_utf8(rest).map_err(|_| bad())?;
            let n = if let Some(hex) = s.strip_prefix('x') {
                u32::from_str_radix(hex, 16).ok()
            } else {
                u32::from_str_radix(s, 8).ok()
            };
            n.and_then(|n| u8::try_from(n).ok()).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let env = env_pairs(ctx);
    let limit = system_line_max(&env);
    let mut c = Config {
        split: Split::Blank,
        max_args: None,
        max_lines: None,
        replace: None,
        no_empty: false,
        max_chars: limit.min(DEFAULT_LINE_MAX),
        verbose: false,
        interactive: false,
        eof: None,
        exit_on_size: false,
        slot_var: None,
        max_procs: 1,
    };
    let mut arg_file = None;
    let mut command = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('0') | Arg::Long("null") => c.split = Split::Byte(0),
            Arg::Short('d') | Arg::Long("delimiter") => {
                c.split = Split::Byte(delimiter(&opts.value()?)?)
            }
            Arg::Short('a') | Arg::Long("arg-file") => arg_file = Some(opts.value()?),
            Arg::Short('n') | Arg::Long("max-args") => {
                c.max_args = Some(positive(&opts.value()?, 'n')?);
                c.max_lines = None;
                c.replace = None;
            }
            Arg::Short('L') | Arg::Long("max-lines") => {
                c.max_lines = Some(positive(&opts.value()?, 'L')?);
                c.max_args = None;
                c.replace = None;
            }
            Arg::Short('l') => {
                c.max_lines = Some(match opts.optional_value() {
                    Some(v) => positive(&v, 'l')?,
                    None => 1,
                });
                c.max_args = None;
                c.replace = None;
            }
            Arg::Short('I') => {
                c.replace = Some(opts.value()?);
                (c.max_args, c.max_lines, c.exit_on_size) = (None, Some(1), true);
            }
            Arg::Short('i') | Arg::Long("replace") => {
                c.replace = Some(opts.optional_value().unwrap_or_else(|| b"{}".to_vec()));
                (c.max_args, c.max_lines, c.exit_on_size) = (None, Some(1), true);
            }
            Arg::Short('s') | Arg::Long("max-chars") => {
                c.max_chars = positive(&opts.value()?, 's')?.min(limit);
            }
            Arg::Short('x') | Arg::Long("exit") => c.exit_on_size = true,
            Arg::Short('E') => c.eof = Some(opts.value()?).filter(|e| !e.is_empty()),
            Arg::Short('e') | Arg::Long("eof") => {
                c.eof = opts.optional_value().filter(|e| !e.is_empty());
            }
            Arg::Short('r') | Arg::Long("no-run-if-empty") => c.no_empty = true,
            Arg::Short('t') | Arg::Long("verbose") => c.verbose = true,
            Arg::Short('p') | Arg::Long("interactive") => c.interactive = true,
            Arg::Short('P') | Arg::Long("max-procs") => {
                let v = opts.value()?;
                let n = crate::opts::parse_number::<u64>(&v, "number").map_err(|_| {
                    Error::usage(format!("invalid number \"{}\" for -P option", lossy(&v)))
                })?;
                c.max_procs = usize::try_from(n).unwrap_or(usize::MAX);
            }
            Arg::Long("process-slot-var") => c.slot_var = Some(opts.value()?),
            Arg::Value(v) => {
                command.push(v);
                command.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    if command.is_empty() {
        command.push(b"echo".to_vec());
    }
    let mut file_reader;
    let src: &mut dyn BufRead = match &arg_file {
        Some(name) => {
            let f = File::open(path(name)).map_err(|e| {
                let mut m = b"cannot open ".to_vec();
                m.extend_from_slice(&quote(name));
                m.extend_from_slice(b" for reading");
                Error::io(&m, &e)
            })?;
            file_reader = BufReader::with_capacity(64 * 1024, f);
            &mut file_reader
        }
        None => return run_all(ctx, &c, &command, env, None),
    };
    run_all(ctx, &c, &command, env, Some(src))
}

/// Reads items from `src` (or the context's stdin) and runs the commands.
fn run_all(
    ctx: &mut Ctx<'_>,
    c: &Config,
    command: &[Vec<u8>],
    mut env: Vec<(Vec<u8>, Vec<u8>)>,
    src: Option<&mut dyn BufRead>,
) -> Result<(), Error> {
    if let Some(var) = &c.slot_var {
        env.retain(|(k, _)| k != var);
        if c.max_procs == 1 {
            env.push((var.clone(), b"0".to_vec()));
        }
    }
    let mut x = Xargs {
        c,
        command,
        env,
        reader: Reader {
            split: c.split,
            eof: c.eof.as_deref(),
            whole_lines: c.replace.is_some(),
            done: false,
        },
        pending: None,
        failed: false,
        resolved: None,
        running: Vec::new(),
    };
    let r = match src {
        Some(s) => x.go(ctx, s),
        None => {
            // The context's stdin is read through a separate handle so `ctx` stays usable.
            let mut stdin = std::mem::replace(&mut ctx.stdin, crate::ctx::Input::mem(b""));
            let r = x.go(ctx, &mut stdin);
            ctx.stdin = stdin;
            r
        }
    };
    // Whatever happened, the commands still running are waited for; the first error
    // (from the input or from a command) is the one reported.
    let rest = x.wait_all();
    r?;
    rest?;
    if x.failed {
        return Err(Error::silent(123));
    }
    Ok(())
}

/// One input item and whether it ended a logical line (for `-L`).
struct Item {
    arg: Vec<u8>,
    eol: bool,
}

/// Splits the input into items.
struct Reader<'c> {
    split: Split,
    eof: Option<&'c [u8]>,
    whole_lines: bool,
    done: bool,
}

fn read_byte(src: &mut dyn BufRead) -> io::Result<Option<u8>> {
    let b = loop {
        match src.fill_buf() {
            Ok(buf) => break buf.first().copied(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    if b.is_some() {
        src.consume(1);
    }
    Ok(b)
}

fn unmatched(kind: &str) -> Error {
    Error::msg(format!(
        "unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option"
    ))
}

impl Reader<'_> {
    fn next(&mut self, src: &mut dyn BufRead) -> Result<Option<Item>, Error> {
        if self.done {
            return Ok(None);
        }
        let io_err = |e: io::Error| Error::io(b"read error", &e);
        if let Split::Byte(d) = self.split {
            let mut arg = Vec::new();
            let n = src.read_until(d, &mut arg).map_err(io_err)?;
            if n == 0 {
                self.done = true;
                return Ok(None);
            }
            if arg.last() == Some(&d) {
                arg.pop();
            }
            return Ok(Some(Item { arg, eol: true }));
        }
        let mut arg = Vec::new();
        let mut have = false;
        let mut quote: Option<u8> = None;
        loop {
            let Some(b) = read_byte(src).map_err(io_err)? else {
                if let Some(q) = quote {
                    return Err(unmatched(if q == b'\'' { "single" } else { "double" }));
                }
                self.done = true;
                return Ok(if have { self.item(arg, true) } else { None });
            };
            if let Some(q) = quote {
                if b == q {
                    quote = None;
                } else if b == b'\n' {
                    return Err(unmatched(if q == b'\'' { "single" } else { "double" }));
                } else {
                    arg.push(b);
                }
                continue;
            }
            match b {
                b'\n' => {
                    if have {
                        return Ok(self.item(arg, true));
                    }
                    // An empty line, or a line ending in blanks (continued), ends no item.
                }
                b' ' | b'\t' if self.whole_lines => {
                    if have {
                        arg.push(b);
                    }
                }
                b' ' | b'\t' => {
                    if have {
                        return Ok(self.item(arg, false));
                    }
                }
                b'\'' | b'"' => {
                    quote = Some(b);
                    have = true;
                }
                b'\\' => {
                    if let Some(n) = read_byte(src).map_err(io_err)? {
                        arg.push(n);
                    }
                    have = true;
                }
                _ => {
                    arg.push(b);
                    have = true;
                }
            }
        }
    }

    /// An item, unless it is the EOF string (which ends the input).
    fn item(&mut self, arg: Vec<u8>, eol: bool) -> Option<Item> {
        if self.eof.is_some_and(|e| e == arg.as_slice()) {
            self.done = true;
            return None;
        }
        Some(Item { arg, eol })
    }
}

struct Xargs<'c> {
    c: &'c Config,
    command: &'c [Vec<u8>],
    env: Vec<(Vec<u8>, Vec<u8>)>,
    reader: Reader<'c>,
    pending: Option<Item>,
    failed: bool,
    /// Whether the command exists (checked before the first run).
    resolved: Option<bool>,
    /// With `-P`: the commands started and not yet waited for.
    running: Vec<Running>,
}

/// How a command ended.
#[derive(Clone, Copy)]
enum Ended {
    Code(u8),
    Signal(i32),
}

/// A command started and not yet waited for.
struct Running {
    pid: i32,
    name: Vec<u8>,
    slot: usize,
}

fn size_of(args: &[Vec<u8>]) -> usize {
    args.iter().map(|a| a.len() + 1).sum()
}

impl Xargs<'_> {
    fn go(&mut self, ctx: &mut Ctx<'_>, src: &mut dyn BufRead) -> Result<(), Error> {
        if let Some(repl) = self.c.replace.clone() {
            while let Some(item) = self.reader.next(src)? {
                let argv: Vec<Vec<u8>> = self
                    .command
                    .iter()
                    .map(|a| replace_all(a, &repl, &item.arg))
                    .collect();
                if size_of(&argv) > self.c.max_chars {
                    return Err(Error::msg("argument line too long"));
                }
                self.run(ctx, argv)?;
                if ctx.interrupted() {
                    return Err(Error::silent(130));
                }
            }
            return Ok(());
        }
        let base = size_of(self.command);
        if base > self.c.max_chars {
            return Err(Error::msg(
                "cannot fit single argument within argument list size limit",
            ));
        }
        let mut ran = false;
        loop {
            let mut argv = self.command.to_vec();
            let mut size = base;
            let (mut args, mut lines) = (0usize, 0usize);
            let mut eof = false;
            loop {
                let item = match self.pending.take() {
                    Some(i) => i,
                    None => match self.reader.next(src)? {
                        Some(i) => i,
                        None => {
                            eof = true;
                            break;
                        }
                    },
                };
                let need = item.arg.len() + 1;
                if size + need > self.c.max_chars {
                    if args == 0 {
                        return Err(Error::msg("argument line too long"));
                    }
                    if self.c.exit_on_size
                        && (self.c.max_args.is_some() || self.c.max_lines.is_some())
                    {
                        return Err(Error::msg("argument list too long"));
                    }
                    self.pending = Some(item);
                    break;
                }
                size += need;
                args += 1;
                if item.eol {
                    lines += 1;
                }
                argv.push(item.arg);
                if self.c.max_args.is_some_and(|n| args >= n)
                    || self.c.max_lines.is_some_and(|n| lines >= n)
                {
                    break;
                }
            }
            if args > 0 || (!ran && !self.c.no_empty) {
                self.run(ctx, argv)?;
                ran = true;
            }
            if ctx.interrupted() {
                return Err(Error::silent(130));
            }
            if eof && self.pending.is_none() {
                return Ok(());
            }
        }
    }

    /// Whether `name` is something the spawner can run: an applet, or an executable in
    /// PATH (or at a path with a slash).
    fn exists(&self, name: &[u8]) -> bool {
        use std::os::unix::fs::PermissionsExt;
        let runnable = |p: &[u8]| {
            std::fs::metadata(path(p))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        };
        if name.contains(&b'/') {
            return runnable(name);
        }
        if crate::registry::find(name).is_some() {
            return true;
        }
        let path_var = self
            .env
            .iter()
            .find(|(k, _)| k == b"PATH")
            .map_or(&b"/usr/sbin:/usr/bin:/sbin:/bin"[..], |(_, v)| v.as_slice());
        path_var.split(|&b| b == b':').any(|dir| {
            let dir = if dir.is_empty() { &b"."[..] } else { dir };
            runnable(&[dir, b"/", name].concat())
        })
    }

    fn run(&mut self, ctx: &mut Ctx<'_>, argv: Vec<Vec<u8>>) -> Result<(), Error> {
        let name = argv.first().cloned().unwrap_or_default();
        if self.c.verbose || self.c.interactive {
            let mut line = argv.join(&b' ');
            if self.c.interactive {
                line.extend_from_slice(b" ?...");
            } else {
                line.push(b'\n');
            }
            let _ = ctx.stderr.write_all(&line);
            let _ = ctx.stderr.flush();
            if self.c.interactive && !ask_tty()? {
                return Ok(());
            }
        }
        // Checked once, so that 126 and 127 from a command that ran are plain failures.
        if self.resolved.is_none() {
            self.resolved = Some(self.exists(&name));
        }
        if self.resolved == Some(false) {
            let e = io::Error::from_raw_os_error(libc::ENOENT);
            return Err(Error::io(&name, &e).with_status(127));
        }
        ctx.stdout.flush()?;
        self.start(ctx, argv, name)?;
        if self.c.max_procs == 1 {
            self.wait_all()?;
        }
        Ok(())
    }

    /// `-P`: starts a command once a slot is free (waiting for one when all are busy).
    fn start(&mut self, ctx: &mut Ctx<'_>, argv: Vec<Vec<u8>>, name: Vec<u8>) -> Result<(), Error> {
        while self.c.max_procs != 0 && self.running.len() >= self.c.max_procs {
            self.wait_one()?;
        }
        let slot = (0..)
            .find(|k| self.running.iter().all(|r| r.slot != *k))
            .unwrap_or(0);
        let mut env;
        let env_ref = match &self.c.slot_var {
            Some(var) if self.c.max_procs != 1 => {
                env = self.env.clone();
                env.push((var.clone(), slot.to_string().into_bytes()));
                &env
            }
            _ => &self.env,
        };
        match ctx.spawn.start(&argv, env_ref, None) {
            Ok(child) => {
                self.running.push(Running {
                    pid: child.pid,
                    name,
                    slot,
                });
                Ok(())
            }
            Err(e) => self.outcome(name, Err(e)),
        }
    }

    /// Waits for one of the running commands and judges its status.
    fn wait_one(&mut self) -> Result<(), Error> {
        use nix::sys::wait::{WaitStatus, waitpid};
        loop {
            // xargs runs in its own process (Run::Fork): every child is one of ours.
            let (pid, status) = match waitpid(nix::unistd::Pid::from_raw(-1), None) {
                Ok(WaitStatus::Exited(p, code)) => (p.as_raw(), Ended::Code(code as u8)),
                Ok(WaitStatus::Signaled(p, sig, _)) => (p.as_raw(), Ended::Signal(sig as i32)),
                Ok(_) | Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => {
                    self.running.clear();
                    return Err(Error::io(b"wait", &io::Error::from(e)));
                }
            };
            let Some(k) = self.running.iter().position(|r| r.pid == pid) else {
                continue;
            };
            let done = self.running.swap_remove(k);
            return self.outcome(done.name, Ok(status));
        }
    }

    /// Waits for every running command; the first error among them.
    fn wait_all(&mut self) -> Result<(), Error> {
        let mut first = Ok(());
        while !self.running.is_empty() {
            let r = self.wait_one();
            if first.is_ok() {
                first = r;
            }
        }
        first
    }

    /// What a command's status means for xargs: 255 and signals stop it (124, 125),
    /// other failures give 123 at the end, a command that could not run 126 or 127.
    fn outcome(&mut self, name: Vec<u8>, ran: io::Result<Ended>) -> Result<(), Error> {
        match ran {
            Ok(Ended::Code(0)) => Ok(()),
            Ok(Ended::Code(255)) => {
                let mut m = name;
                m.extend_from_slice(b": exited with status 255; aborting");
                Err(Error::msg(m).with_status(124))
            }
            Ok(Ended::Signal(sig)) => {
                let mut m = name;
                m.extend_from_slice(format!(": terminated by signal {sig}").as_bytes());
                Err(Error::msg(m).with_status(125))
            }
            Ok(Ended::Code(_)) => {
                self.failed = true;
                Ok(())
            }
            Err(e) => {
                let status = if e.kind() == io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                Err(Error::io(&name, &e).with_status(status))
            }
        }
    }
}

/// Reads the `-p` answer from the terminal: yes when it starts with `y` or `Y`.
fn ask_tty() -> Result<bool, Error> {
    let tty = File::open("/dev/tty")
        .map_err(|e| Error::io(b"failed to open /dev/tty for reading", &e))?;
    let mut r = BufReader::new(tty);
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line)
        .map_err(|e| Error::io(b"/dev/tty", &e))?;
    Ok(matches!(line.first(), Some(b'y' | b'Y')))
}

/// `arg` with every `repl` replaced by `with`.
fn replace_all(arg: &[u8], repl: &[u8], with: &[u8]) -> Vec<u8> {
    if repl.is_empty() {
        return arg.to_vec();
    }
    let mut out = Vec::with_capacity(arg.len());
    let mut i = 0;
    while i < arg.len() {
        if arg.get(i..).is_some_and(|r| r.starts_with(repl)) {
            out.extend_from_slice(with);
            i += repl.len();
        } else {
            out.extend_from_slice(arg.get(i..=i).unwrap_or_default());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(input: &[u8], split: Split, lines: bool) -> Result<Vec<(String, bool)>, String> {
        let mut r = Reader {
            split,
            eof: Some(b"_END_"),
            whole_lines: lines,
            done: false,
        };
        let mut src: &[u8] = input;
        let mut out = Vec::new();
        loop {
            match r.next(&mut src) {
                Ok(Some(i)) => out.push((String::from_utf8_lossy(&i.arg).into_owned(), i.eol)),
                Ok(None) => return Ok(out),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn posix_quoting() {
        let got = items(b"a 'b c' \"d'e\" f\\ g\n\nh\\\n", Split::Blank, false).unwrap();
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["a", "b c", "d'e", "f g", "h\n"]);
        assert!(
            items(b"a 'b\n", Split::Blank, false)
                .unwrap_err()
                .starts_with("unmatched single quote")
        );
        assert!(
            items(b"\"b", Split::Blank, false)
                .unwrap_err()
                .starts_with("unmatched double quote")
        );
        let got = items(b"x _END_ y", Split::Blank, false).unwrap();
        assert_eq!(got, [("x".into(), false)]);
    }

    #[test]
    fn line_ends_for_dash_l() {
        let got = items(b"a b \nc\nd", Split::Blank, false).unwrap();
        let eols: Vec<bool> = got.iter().map(|(_, e)| *e).collect();
        assert_eq!(eols, [false, false, true, true]);
    }

    #[test]
    fn whole_lines_for_dash_i() {
        let got = items(b"  x y \nz\n", Split::Blank, true).unwrap();
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["x y ", "z"]);
    }

    #[test]
    fn delimited_items() {
        let got = items(b"a b\0\0c", Split::Byte(0), false).unwrap();
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["a b", "", "c"]);
        assert_eq!(delimiter(b"\\n").unwrap(), b'\n');
        assert_eq!(delimiter(b"\\x41").unwrap(), b'A');
        assert_eq!(delimiter(b"\\0").unwrap(), 0);
        assert!(delimiter(b"ab").is_err());
    }

    #[test]
    fn replace_every_occurrence() {
        assert_eq!(replace_all(b"[{}]{}", b"{}", b"x"), b"[x]x");
        assert_eq!(replace_all(b"none", b"{}", b"x"), b"none");
    }

    #[test]
    fn option_errors() {
        let r = crate::testing::run("xargs", &["-n", "0"], b"");
        assert_eq!(r.status, 1);
        assert!(
            r.err()
                .starts_with("xargs: value 0 for -n option should be >= 1\n")
        );
        let r = crate::testing::run("xargs", &["-s", "5", "echo"], b"aaaaaaaa\n");
        assert_eq!(
            (r.status, r.err()),
            (1, "xargs: argument line too long\n".into())
        );
        let r = crate::testing::run("xargs", &["-a", "/nonexistent-rbox"], b"");
        assert_eq!(
            r.err(),
            "xargs: cannot open '/nonexistent-rbox' for reading: No such file or directory\n"
        );
    }
}
