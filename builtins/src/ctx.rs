//! The context an applet runs in: its arguments, standard streams, environment, a handle
//! for running other commands, and the interrupt flag. Applets do all I/O through it, which
//! is what lets one applet run in the shell process, in a fork, standalone, or in a unit
//! test with memory buffers.

use std::io::{self, BufRead, Read, Write};
use std::os::fd::RawFd;

use crate::applet::Applet;
use crate::common::fdio;
use crate::error::subject_reason;
use crate::opts::Opts;

/// Size of the read buffer of an fd-backed [`Input`].
const INPUT_BUF: usize = 64 * 1024;
/// Size of the write buffer of an fd-backed [`Output`].
const OUTPUT_BUF: usize = 32 * 1024;

enum Source<'a> {
    Fd(RawFd),
    Mem(&'a [u8]),
}

/// An applet's standard input: a file descriptor read through a buffer, or memory.
pub struct Input<'a> {
    src: Source<'a>,
    buf: Vec<u8>,
    pos: usize,
}

impl<'a> Input<'a> {
    /// Input read from the file descriptor `fd` (not closed when dropped).
    pub fn fd(fd: RawFd) -> Input<'static> {
        Input {
            src: Source::Fd(fd),
            buf: Vec::new(),
            pos: 0,
        }
    }

    /// Input served from memory.
    pub fn mem(data: &'a [u8]) -> Input<'a> {
        Input {
            src: Source::Mem(data),
            buf: Vec::new(),
            pos: 0,
        }
    }

    /// The file descriptor behind this input, if any.
    pub fn raw_fd(&self) -> Option<RawFd> {
        match self.src {
            Source::Fd(fd) => Some(fd),
            Source::Mem(_) => None,
        }
    }

    /// Gives back what was read ahead but not consumed: on a seekable fd the offset moves
    /// back to just past the consumed bytes (POSIX XCU 1.4), so `while read l; do head -n1;
    /// done <file` loses nothing.
    pub fn finish(&mut self) {
        if let Source::Fd(fd) = self.src {
            let unread = self.buf.len() - self.pos;
            if unread > 0 && fdio::seek_relative(fd, -(unread as i64)).is_ok() {
                self.buf.clear();
                self.pos = 0;
            }
        }
    }
}

impl Read for Input<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Source::Fd(fd) = self.src {
            // Large reads with nothing buffered go straight to the fd.
            if self.pos == self.buf.len() && out.len() >= INPUT_BUF {
                return fdio::read(fd, out);
            }
        }
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Input<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self.src {
            Source::Mem(data) => Ok(data.get(self.pos..).unwrap_or_default()),
            Source::Fd(fd) => {
                if self.pos == self.buf.len() {
                    self.buf.resize(INPUT_BUF, 0);
                    let n = match fdio::read(fd, &mut self.buf) {
                        Ok(n) => n,
                        Err(e) => {
                            self.buf.clear();
                            self.pos = 0;
                            return Err(e);
                        }
                    };
                    self.buf.truncate(n);
                    self.pos = 0;
                }
                Ok(&self.buf[self.pos..])
            }
        }
    }

    fn consume(&mut self, amt: usize) {
        let len = match self.src {
            Source::Mem(data) => data.len(),
            Source::Fd(_) => self.buf.len(),
        };
        self.pos = (self.pos + amt).min(len);
    }
}

enum Sink<'a> {
    Fd(RawFd),
    Mem(&'a mut Vec<u8>),
}

/// An applet's standard output or error: a file descriptor behind a buffer (flushed at
/// each newline when it is a terminal), or memory (for `$(...)` and unit tests).
pub struct Output<'a> {
    sink: Sink<'a>,
    buf: Vec<u8>,
    /// Flush at each newline; `None` until the first write asks whether the fd is a
    /// terminal (so an applet that never writes, like `[` run by the shell, costs no
    /// syscall).
    line_buffered: Option<bool>,
}

impl<'a> Output<'a> {
    /// Output to the file descriptor `fd` (not closed when dropped); line-buffered when
    /// `fd` is a terminal.
    pub fn fd(fd: RawFd) -> Output<'static> {
        Output {
            sink: Sink::Fd(fd),
            buf: Vec::new(),
            line_buffered: None,
        }
    }

    /// Output to the file descriptor `fd`, flushed after every write (for stderr).
    pub fn fd_unbuffered(fd: RawFd) -> Output<'static> {
        Output {
            sink: Sink::Fd(fd),
            buf: Vec::new(),
            line_buffered: Some(true),
        }
    }

    /// Output appended to a memory buffer.
    pub fn mem(v: &'a mut Vec<u8>) -> Output<'a> {
        Output {
            sink: Sink::Mem(v),
            buf: Vec::new(),
            line_buffered: Some(false),
        }
    }

    /// The file descriptor behind this output, if any.
    pub fn raw_fd(&self) -> Option<RawFd> {
        match self.sink {
            Sink::Fd(fd) => Some(fd),
            Sink::Mem(_) => None,
        }
    }
}

impl Write for Output<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Mem(v) => {
                v.extend_from_slice(data);
                Ok(())
            }
            Sink::Fd(fd) => {
                let fd = *fd;
                if self.buf.len() + data.len() > OUTPUT_BUF {
                    self.flush()?;
                    if data.len() >= OUTPUT_BUF {
                        return fdio::write_all(fd, data);
                    }
                }
                if self.buf.capacity() == 0 {
                    self.buf.reserve(OUTPUT_BUF);
                }
                self.buf.extend_from_slice(data);
                let line_buffered = *self.line_buffered.get_or_insert_with(|| fdio::isatty(fd));
                if line_buffered && data.contains(&b'\n') {
                    self.flush()?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.sink {
            Sink::Fd(fd) if !self.buf.is_empty() => {
                let r = fdio::write_all(fd, &self.buf);
                self.buf.clear();
                r
            }
            _ => Ok(()),
        }
    }
}

/// The environment an applet sees: the exported variables of the shell or process.
pub trait Env {
    /// The value of `name`, if set.
    fn get(&self, name: &[u8]) -> Option<&[u8]>;
    /// Every variable as `(name, value)`, in the order a child's `envp` would list them.
    fn vars(&self) -> Vec<(&[u8], &[u8])>;
}

/// A plain list of variables: the process environment in standalone mode, or a test's.
#[derive(Clone, Debug, Default)]
pub struct EnvList(pub Vec<(Vec<u8>, Vec<u8>)>);

impl Env for EnvList {
    fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    fn vars(&self) -> Vec<(&[u8], &[u8])> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .collect()
    }
}

/// Runs another command for spawner applets (xargs, find -exec, env, nice, timeout):
/// an applet or a `PATH` command, looked up the way the shell does it.
pub trait Spawn {
    /// Runs `argv` with environment `env`, sharing this process's fds 0, 1 and 2, and
    /// waits for it. Returns the status as the shell reports it (128+N for signal N).
    /// Flush the context's output before calling.
    fn run(&self, argv: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> io::Result<u8>;

    /// Starts `argv` with a pipe on its standard input (`PipeDir::ToChild`) or output
    /// (`PipeDir::FromChild`); the other standard streams are shared. The caller keeps
    /// the other end (close-on-exec) and must [`PipedChild::wait`] for the child. For
    /// awk's `print | "cmd"` and `"cmd" | getline`.
    fn pipe(
        &self,
        _argv: &[Vec<u8>],
        _env: &[(Vec<u8>, Vec<u8>)],
        _dir: PipeDir,
    ) -> io::Result<PipedChild> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "cannot start a piped command here",
        ))
    }

    /// Starts `argv` without waiting for it, sharing fds 0, 1 and 2; the child first
    /// changes its working directory to `cwd` when one is given (find -execdir). The
    /// caller waits with [`Child::wait`] (or `waitpid`, for xargs -P). Flush first.
    fn start(
        &self,
        _argv: &[Vec<u8>],
        _env: &[(Vec<u8>, Vec<u8>)],
        _cwd: Option<std::os::fd::BorrowedFd<'_>>,
    ) -> io::Result<Child> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "cannot start a command here",
        ))
    }
}

/// A child started by [`Spawn::start`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Child {
    /// The child's process id.
    pub pid: i32,
}

impl Child {
    /// Waits for the child; the status as the shell reports it (128+N for signal N).
    pub fn wait(self) -> io::Result<u8> {
        wait_pid(self.pid)
    }
}

/// Waits for process `pid`; its status as the shell reports it (128+N for signal N).
fn wait_pid(pid: i32) -> io::Result<u8> {
    use nix::sys::wait::{WaitStatus, waitpid};
    loop {
        match waitpid(nix::unistd::Pid::from_raw(pid), None) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(code as u8),
            Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(128u8.wrapping_add(sig as u8)),
            Ok(_) | Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Which way the pipe of [`Spawn::pipe`] carries data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeDir {
    /// The caller writes, the child reads it as its standard input.
    ToChild,
    /// The child's standard output, read by the caller.
    FromChild,
}

/// A child started by [`Spawn::pipe`]: the caller's end of the pipe and the process id.
#[derive(Debug)]
pub struct PipedChild {
    /// The caller's end of the pipe.
    pub fd: std::os::fd::OwnedFd,
    /// The child's process id.
    pub pid: i32,
}

impl PipedChild {
    /// Closes the caller's end (the child sees end of file, or SIGPIPE) and waits for the
    /// child; the status as the shell reports it (128+N for signal N).
    pub fn wait(self) -> io::Result<u8> {
        let PipedChild { fd, pid } = self;
        drop(fd);
        wait_pid(pid)
    }
}

/// Everything an applet may touch. Built by the shell, the multi-call dispatcher, or a
/// unit test, and handed to the applet's `main`.
pub struct Ctx<'a> {
    /// The applet being run (for its name in messages, its usage and error status).
    pub applet: &'static Applet,
    /// The arguments after the command name.
    pub args: &'a [Vec<u8>],
    /// Standard input.
    pub stdin: Input<'a>,
    /// Standard output.
    pub stdout: Output<'a>,
    /// Standard error.
    pub stderr: Output<'a>,
    /// The exported environment.
    pub env: &'a dyn Env,
    /// The command runner for spawner applets.
    pub spawn: &'a dyn Spawn,
    /// True once an interrupt (SIGINT) arrived; long loops poll it.
    pub intr: &'a dyn Fn() -> bool,
    /// The sticky exit status for report-and-continue.
    pub status: u8,
}

impl<'a> Ctx<'a> {
    /// The applet's name, for messages.
    pub fn name(&self) -> &'static str {
        self.applet.name
    }

    /// An option parser over the arguments; `longs` lists the long options this applet
    /// accepts (unique prefixes are expanded, as with getopt_long).
    pub fn opts(&self, longs: &'static [&'static str]) -> Opts {
        Opts::new(self.args, longs)
    }

    /// Reports `NAME: subject: reason` on stderr and marks the run failed; the applet then
    /// goes on with its next operand.
    pub fn warn(&mut self, subject: &[u8], err: &io::Error) {
        let msg = subject_reason(subject, err);
        self.warn_msg(&msg);
    }

    /// Reports `NAME: message` on stderr and marks the run failed.
    pub fn warn_msg(&mut self, message: &[u8]) {
        self.note(message);
        self.status = self.applet.error_status;
    }

    /// Prints `NAME: message` on stderr without changing the status.
    pub fn note(&mut self, message: &[u8]) {
        let mut line = Vec::with_capacity(message.len() + 16);
        line.extend_from_slice(self.applet.name.as_bytes());
        line.extend_from_slice(b": ");
        line.extend_from_slice(message);
        line.push(b'\n');
        // A failing stderr has nowhere left to report to.
        let _ = self.stderr.write_all(&line);
        let _ = self.stderr.flush();
    }

    /// Whether an interrupt arrived since the command started.
    pub fn interrupted(&self) -> bool {
        (self.intr)()
    }

    /// Sleeps `d` in steps of at most 100 ms; false when an interrupt cut it short.
    pub fn pause(&self, d: std::time::Duration) -> bool {
        let end = std::time::Instant::now() + d;
        loop {
            if self.interrupted() {
                return false;
            }
            let left = end.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(std::time::Duration::from_millis(100)));
        }
    }
}
