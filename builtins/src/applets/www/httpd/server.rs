//! The event loop: one thread, epoll over the listening socket, a signalfd, and every
//! connection (plus each running CGI's output pipe). Each connection is a small state
//! machine over bounded buffers; static bodies go out with `sendfile` straight from
//! the file, so a client that never reads pins no memory beyond one response head.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use super::cgi::{self, CgiPlan};
use super::chunked::{ChunkError, Dechunker};
use super::config::Config;
use super::handler::{self, Action, FileBody};
use super::request::{BodyKind, HeadParser, Parsed};
use super::site::Site;
use crate::ctx::Spawn;

const LISTEN: u64 = u64::MAX;
const SIGNALS: u64 = u64::MAX - 1;
/// How often deadlines are checked while connections are open.
const SWEEP: Duration = Duration::from_millis(100);
/// Bytes read from a socket or pipe at a time.
const READ_CHUNK: usize = 16 * 1024;
/// Pending CGI output beyond which the script's pipe is no longer read.
const OUT_HIGH: usize = 64 * 1024;
/// Largest CGI header block.
const CGI_HEAD_MAX: usize = 16 * 1024;

/// A request body being read for a CGI.
struct BodyRead {
    /// Method and target, for the log line written once the status is known.
    log: (Vec<u8>, Vec<u8>),
    plan: Box<CgiPlan>,
    body: Vec<u8>,
    left: u64,
    chunks: Option<Dechunker>,
}

/// A running script.
struct CgiRun {
    log: (Vec<u8>, Vec<u8>),
    pid: Pid,
    exited: bool,
    pipe: Option<OwnedFd>,
    registered: bool,
    head_buf: Vec<u8>,
    head_done: bool,
    head_only: bool,
}

enum Phase {
    Head,
    Body(Box<BodyRead>),
    Write,
    Cgi(Box<CgiRun>),
}

struct Conn {
    sock: TcpStream,
    peer: SocketAddr,
    inbuf: Vec<u8>,
    parser: HeadParser,
    out: Vec<u8>,
    out_pos: usize,
    file: Option<FileBody>,
    phase: Phase,
    keep_alive: bool,
    deadline: Instant,
    head_started: bool,
    served: u32,
    events: EpollFlags,
    peer_eof: bool,
}

struct Slot {
    generation: u32,
    conn: Option<Conn>,
}

/// Why the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// SIGTERM or SIGINT.
    Signal,
    /// Inetd mode: the one connection ended.
    Done,
}

/// The server: the listening socket, the connections, and what they share.
pub struct Server<'a> {
    ep: Epoll,
    listener: Option<TcpListener>,
    sig: SignalFd,
    /// Home, config, limits.
    pub site: Site,
    slots: Vec<Slot>,
    free: Vec<usize>,
    live: usize,
    children: HashMap<i32, usize>,
    spawn: &'a dyn Spawn,
    log: &'a mut dyn Write,
    next_sweep: Instant,
    accept_paused: bool,
}

fn token(idx: usize, generation: u32, pipe: bool) -> u64 {
    (u64::from(generation) << 32) | ((idx as u64) << 1) | u64::from(pipe)
}

impl<'a> Server<'a> {
    /// A server on a bound, listening socket (`None` for inetd mode: one connection,
    /// given with [`Server::adopt`]). Blocks SIGHUP, SIGCHLD, SIGTERM and SIGINT (they
    /// arrive through a signalfd) and ignores SIGPIPE.
    pub fn new(
        listener: Option<TcpListener>,
        site: Site,
        spawn: &'a dyn Spawn,
        log: &'a mut dyn Write,
    ) -> io::Result<Server<'a>> {
        let fds = raise_fd_limit();
        let mut site = site;
        // Two fds a connection (its socket, and a file or a CGI pipe), some to spare.
        let by_fds = (fds.saturating_sub(10) / 2).max(1);
        site.limits.max_conns = site.limits.max_conns.min(by_fds);
        let ep = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?;
        if let Some(l) = &listener {
            l.set_nonblocking(true)?;
            // std listens with a backlog of 128; bursts of many clients want more.
            // SAFETY: listen on a socket this server owns; it only changes the backlog.
            unsafe { libc::listen(l.as_raw_fd(), 1024) };
            ep.add(l, EpollEvent::new(EpollFlags::EPOLLIN, LISTEN))?;
        }
        let mut mask = SigSet::empty();
        for s in [
            Signal::SIGHUP,
            Signal::SIGCHLD,
            Signal::SIGTERM,
            Signal::SIGINT,
        ] {
            mask.add(s);
        }
        mask.thread_block()?;
        // SAFETY: SIG_IGN runs no handler code.
        unsafe {
            nix::sys::signal::signal(Signal::SIGPIPE, nix::sys::signal::SigHandler::SigIgn)?;
        }
        let sig = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)?;
        ep.add(&sig, EpollEvent::new(EpollFlags::EPOLLIN, SIGNALS))?;
        Ok(Server {
            ep,
            listener,
            sig,
            site,
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            children: HashMap::new(),
            spawn,
            log,
            next_sweep: Instant::now() + SWEEP,
            accept_paused: false,
        })
    }

    /// Serves until SIGTERM or SIGINT, or in inetd mode until the connection ends.
    pub fn run(&mut self) -> io::Result<Stop> {
        let mut events = vec![EpollEvent::empty(); 256];
        loop {
            if self.listener.is_none() && self.live == 0 {
                return Ok(Stop::Done);
            }
            let timeout = if self.live == 0 && !self.accept_paused {
                EpollTimeout::NONE
            } else {
                let ms = self
                    .next_sweep
                    .saturating_duration_since(Instant::now())
                    .as_millis();
                EpollTimeout::from(ms.min(1000) as u16)
            };
            let n = match self.ep.wait(&mut events, timeout) {
                Ok(n) => n,
                Err(Errno::EINTR) => 0,
                Err(e) => return Err(e.into()),
            };
            self.site.tick();
            for ev in &events[..n] {
                match ev.data() {
                    LISTEN => self.accept_all(),
                    SIGNALS => {
                        if let Some(stop) = self.signals() {
                            return Ok(stop);
                        }
                    }
                    tok => self.on_event(tok, ev.events()),
                }
            }
            let now = Instant::now();
            if self.accept_paused
                && now >= self.next_sweep
                && let Some(l) = &self.listener
            {
                let ev = EpollEvent::new(EpollFlags::EPOLLIN, LISTEN);
                self.accept_paused = self.ep.add(l, ev).is_err();
            }
            if self.live > 0 && now >= self.next_sweep {
                self.sweep(now);
                self.next_sweep = now + SWEEP;
            } else if self.live == 0 {
                self.next_sweep = now + SWEEP;
            }
        }
    }

    fn signals(&mut self) -> Option<Stop> {
        while let Ok(Some(info)) = self.sig.read_signal() {
            match info.ssi_signo as i32 {
                libc::SIGTERM | libc::SIGINT => return Some(Stop::Signal),
                libc::SIGHUP => self.reload(),
                libc::SIGCHLD => self.reap(),
                _ => {}
            }
        }
        None
    }

    /// SIGHUP: reads the config file again (the home directory stays).
    fn reload(&mut self) {
        if let Some(path) = &self.site.conf_path {
            match std::fs::read(path) {
                Ok(text) => {
                    self.site.cfg = Config::parse(&text);
                    self.note(format!("reloaded {}", path.display()).as_bytes());
                }
                Err(e) => {
                    let msg = format!("{}: {}", path.display(), crate::error::strerror(&e));
                    self.note(msg.as_bytes());
                }
            }
        }
    }

    fn reap(&mut self) {
        loop {
            match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) | Err(_) => break,
                Ok(st) => {
                    let Some(pid) = st.pid() else { continue };
                    if let Some(idx) = self.children.remove(&pid.as_raw())
                        && let Some(Some(c)) = self.slots.get_mut(idx).map(|s| s.conn.as_mut())
                        && let Phase::Cgi(run) = &mut c.phase
                        && run.pid == pid
                    {
                        run.exited = true;
                    }
                }
            }
        }
    }

    fn note(&mut self, msg: &[u8]) {
        let mut line = b"httpd: ".to_vec();
        line.extend_from_slice(msg);
        line.push(b'\n');
        let _ = self.log.write_all(&line);
        let _ = self.log.flush();
    }

    fn log_request(&mut self, peer: &SocketAddr, method: &[u8], target: &[u8], code: u16) {
        if self.site.verbose == 0 {
            return;
        }
        let mut line = format!("{peer} ").into_bytes();
        line.extend_from_slice(method);
        line.push(b' ');
        line.extend(
            target
                .iter()
                .map(|&b| if b.is_ascii_graphic() { b } else { b'?' }),
        );
        line.extend_from_slice(format!(" {code}").as_bytes());
        self.note(&line);
    }

    fn accept_all(&mut self) {
        loop {
            let Some(listener) = &self.listener else {
                return;
            };
            let (sock, peer) = match listener.accept() {
                Ok(p) => p,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    // Out of fds: the listener would stay readable and spin the loop.
                    // Stop watching it until the next sweep.
                    let errno = e.raw_os_error();
                    if (errno == Some(libc::EMFILE) || errno == Some(libc::ENFILE))
                        && self.ep.delete(listener).is_ok()
                    {
                        self.accept_paused = true;
                    }
                    break;
                }
            };
            if sock.set_nonblocking(true).is_err() {
                continue;
            }
            let _ = sock.set_nodelay(true);
            if self.live >= self.site.limits.max_conns {
                let mut out = Vec::new();
                handler::error(&self.site, 503, false, false, &mut out);
                let _ = (&sock).write(&out);
                let _ = sock.shutdown(std::net::Shutdown::Write);
                self.log_request(&peer, b"-", b"-", 503);
                continue;
            }
            self.adopt(sock, peer);
        }
    }

    /// Takes on a connected, non-blocking socket.
    pub fn adopt(&mut self, sock: TcpStream, peer: SocketAddr) {
        {
            let idx = match self.free.pop() {
                Some(i) => i,
                None => {
                    self.slots.push(Slot {
                        generation: 0,
                        conn: None,
                    });
                    self.slots.len() - 1
                }
            };
            let generation = self.slots[idx].generation;
            let ev = EpollEvent::new(EpollFlags::EPOLLIN, token(idx, generation, false));
            if self.ep.add(&sock, ev).is_err() {
                self.free.push(idx);
                return;
            }
            self.slots[idx].conn = Some(Conn {
                sock,
                peer,
                inbuf: Vec::new(),
                parser: HeadParser::new(),
                out: Vec::new(),
                out_pos: 0,
                file: None,
                phase: Phase::Head,
                keep_alive: true,
                deadline: Instant::now() + self.site.limits.header_timeout,
                head_started: true,
                served: 0,
                events: EpollFlags::EPOLLIN,
                peer_eof: false,
            });
            self.live += 1;
        }
    }

    fn on_event(&mut self, tok: u64, flags: EpollFlags) {
        let idx = ((tok >> 1) & 0x7fff_ffff) as usize;
        let generation = (tok >> 32) as u32;
        let Some(slot) = self.slots.get_mut(idx) else {
            return;
        };
        if slot.generation != generation {
            return;
        }
        let Some(mut c) = slot.conn.take() else {
            return;
        };
        let alive = if tok & 1 == 1 {
            self.pipe_event(&mut c, idx)
        } else {
            self.sock_event(&mut c, idx, flags)
        };
        self.settle(idx, c, alive);
    }

    /// Puts a connection back (with its epoll interest updated) or closes it.
    fn settle(&mut self, idx: usize, mut c: Conn, alive: bool) {
        if alive && self.update_interest(idx, &mut c) {
            self.slots[idx].conn = Some(c);
        } else {
            self.close(idx, c);
        }
    }

    fn close(&mut self, idx: usize, c: Conn) {
        if let Phase::Cgi(run) = &c.phase
            && !run.exited
        {
            // SAFETY: kill sends a signal to the script's process group; no memory is
            // involved.
            unsafe { libc::kill(-run.pid.as_raw(), libc::SIGKILL) };
        }
        drop(c);
        let slot = &mut self.slots[idx];
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(idx);
        self.live -= 1;
    }

    fn update_interest(&mut self, idx: usize, c: &mut Conn) -> bool {
        let pending = c.out_pos < c.out.len() || c.file.is_some();
        let want = match &c.phase {
            Phase::Head => EpollFlags::EPOLLIN,
            Phase::Write => EpollFlags::EPOLLOUT,
            Phase::Body(_) if pending => EpollFlags::EPOLLIN | EpollFlags::EPOLLOUT,
            Phase::Body(_) => EpollFlags::EPOLLIN,
            Phase::Cgi(_) if pending => EpollFlags::EPOLLOUT,
            Phase::Cgi(_) => EpollFlags::empty(),
        };
        if want != c.events {
            let generation = self.slots[idx].generation;
            let mut ev = EpollEvent::new(want, token(idx, generation, false));
            if self.ep.modify(&c.sock, &mut ev).is_err() {
                return false;
            }
            c.events = want;
        }
        if let Phase::Cgi(run) = &mut c.phase {
            let paused = c.out.len() - c.out_pos > OUT_HIGH;
            if let Some(pipe) = &run.pipe {
                if run.registered && paused {
                    let _ = self.ep.delete(pipe);
                    run.registered = false;
                } else if !run.registered && !paused {
                    let generation = self.slots[idx].generation;
                    let ev = EpollEvent::new(EpollFlags::EPOLLIN, token(idx, generation, true));
                    if self.ep.add(pipe.as_fd(), ev).is_err() {
                        return false;
                    }
                    run.registered = true;
                }
            }
        }
        true
    }

    fn sock_event(&mut self, c: &mut Conn, idx: usize, flags: EpollFlags) -> bool {
        if flags.contains(EpollFlags::EPOLLERR) {
            return false;
        }
        let reading = matches!(c.phase, Phase::Head | Phase::Body(_));
        if reading && flags.intersects(EpollFlags::EPOLLIN | EpollFlags::EPOLLHUP) {
            let cap = self.site.limits.head.max_head.max(4096) + READ_CHUNK;
            match read_into(&mut c.sock, &mut c.inbuf, cap) {
                Ok(true) => {}
                Ok(false) => c.peer_eof = true,
                Err(_) => return false,
            }
        } else if flags.contains(EpollFlags::EPOLLHUP) {
            return false;
        }
        self.drive(c, idx)
    }

    /// Runs a connection's state machine as far as it can go without blocking.
    fn drive(&mut self, c: &mut Conn, idx: usize) -> bool {
        loop {
            match &mut c.phase {
                Phase::Write => {
                    match flush(c) {
                        Err(_) => return false,
                        Ok(Flushed::Partial(progress)) => {
                            if progress {
                                c.deadline = Instant::now() + self.site.limits.write_timeout;
                            }
                            return true;
                        }
                        Ok(Flushed::Done) => {}
                    }
                    if !c.keep_alive {
                        return false;
                    }
                    c.served += 1;
                    c.phase = Phase::Head;
                    c.parser = HeadParser::new();
                    if c.out.capacity() > 4 * OUT_HIGH {
                        c.out = Vec::new();
                    }
                    if c.inbuf.is_empty() {
                        c.head_started = false;
                        c.deadline = Instant::now() + self.site.limits.idle_timeout;
                    } else {
                        c.head_started = true;
                        c.deadline = Instant::now() + self.site.limits.header_timeout;
                    }
                }
                Phase::Head => {
                    if c.inbuf.is_empty() {
                        return !c.peer_eof;
                    }
                    if !c.head_started {
                        c.head_started = true;
                        c.deadline = Instant::now() + self.site.limits.header_timeout;
                    }
                    let lim = self.site.limits.head;
                    match c.parser.parse(&c.inbuf, &lim) {
                        Ok(Parsed::Partial) => return !c.peer_eof,
                        Err(e) => {
                            let code = e.status();
                            handler::error(&self.site, code, false, false, &mut c.out);
                            self.respond(c, false, None);
                            let peer = c.peer;
                            self.log_request(&peer, b"-", b"-", code);
                        }
                        Ok(Parsed::Done(head, used)) => {
                            c.inbuf.drain(..used);
                            let action = handler::handle(&self.site, &head, &c.peer, &mut c.out);
                            match action {
                                Action::Reply(r) => {
                                    let peer = c.peer;
                                    self.log_request(&peer, &head.method, &head.target, r.code);
                                    self.respond(c, r.keep_alive, r.file);
                                }
                                Action::Cgi(plan) => {
                                    if plan.expect_continue {
                                        c.out.extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
                                    }
                                    let left = match plan.body {
                                        BodyKind::Length(n) => n,
                                        _ => 0,
                                    };
                                    let chunks = (plan.body == BodyKind::Chunked)
                                        .then(|| Dechunker::new(self.site.limits.max_body));
                                    c.phase = Phase::Body(Box::new(BodyRead {
                                        log: (head.method.clone(), head.target.clone()),
                                        plan,
                                        body: Vec::new(),
                                        left,
                                        chunks,
                                    }));
                                    c.deadline = Instant::now() + self.site.limits.header_timeout;
                                }
                            }
                        }
                    }
                }
                Phase::Body(b) => {
                    if c.out_pos < c.out.len() {
                        match flush(c) {
                            Err(_) => return false,
                            Ok(Flushed::Partial(_)) => return true,
                            Ok(Flushed::Done) => continue,
                        }
                    }
                    let complete = match &mut b.chunks {
                        Some(d) => match d.feed(&c.inbuf, &mut b.body) {
                            Ok(used) => {
                                c.inbuf.drain(..used);
                                d.done()
                            }
                            Err(e) => {
                                let code = if e == ChunkError::TooLarge { 413 } else { 400 };
                                handler::error(&self.site, code, false, false, &mut c.out);
                                self.respond(c, false, None);
                                continue;
                            }
                        },
                        None => {
                            let n = (c.inbuf.len() as u64).min(b.left) as usize;
                            b.body.extend_from_slice(&c.inbuf[..n]);
                            c.inbuf.drain(..n);
                            b.left -= n as u64;
                            b.left == 0
                        }
                    };
                    if !complete {
                        return !c.peer_eof;
                    }
                    let Phase::Body(b) = std::mem::replace(&mut c.phase, Phase::Write) else {
                        unreachable!("phase checked above")
                    };
                    self.start_cgi(c, idx, &b);
                }
                Phase::Cgi(_) => {
                    match flush(c) {
                        Err(_) => return false,
                        Ok(Flushed::Partial(progress)) => {
                            if progress && matches!(&c.phase, Phase::Cgi(r) if r.pipe.is_none()) {
                                c.deadline = Instant::now() + self.site.limits.write_timeout;
                            }
                            return true;
                        }
                        Ok(Flushed::Done) => {}
                    }
                    let Phase::Cgi(run) = &c.phase else {
                        return false;
                    };
                    return run.pipe.is_some();
                }
            }
        }
    }

    /// Switches to writing a response whose head is in the buffer.
    fn respond(&mut self, c: &mut Conn, keep_alive: bool, file: Option<FileBody>) {
        c.file = file;
        c.keep_alive = keep_alive;
        c.phase = Phase::Write;
        c.deadline = Instant::now() + self.site.limits.write_timeout;
    }

    fn start_cgi(&mut self, c: &mut Conn, idx: usize, b: &BodyRead) {
        match cgi::start(&b.plan, &b.body, self.spawn) {
            Ok(child) => {
                c.phase = Phase::Cgi(Box::new(CgiRun {
                    log: b.log.clone(),
                    pid: child.pid,
                    exited: false,
                    pipe: Some(child.out),
                    registered: false,
                    head_buf: Vec::new(),
                    head_done: false,
                    head_only: b.plan.head_only,
                }));
                c.keep_alive = false;
                c.deadline = Instant::now() + self.site.limits.cgi_timeout;
                self.children.insert(child.pid.as_raw(), idx);
            }
            Err(e) => {
                let msg = format!(
                    "{}: {}",
                    b.plan.script.display(),
                    crate::error::strerror(&e)
                );
                self.note(msg.as_bytes());
                handler::error(&self.site, 500, false, false, &mut c.out);
                self.respond(c, false, None);
            }
        }
    }

    fn pipe_event(&mut self, c: &mut Conn, idx: usize) -> bool {
        let date = self.site.date.clone();
        let peer = c.peer;
        let Phase::Cgi(run) = &mut c.phase else {
            return true;
        };
        let mut buf = [0u8; READ_CHUNK];
        let mut failed = false;
        loop {
            if c.out.len() - c.out_pos > OUT_HIGH {
                break;
            }
            let Some(pipe) = &run.pipe else { break };
            // SAFETY: read into a stack buffer of the given length from an fd we own.
            let n = unsafe { libc::read(pipe.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 {
                match Errno::last() {
                    Errno::EAGAIN => break,
                    Errno::EINTR => continue,
                    _ => {
                        run.pipe = None;
                        break;
                    }
                }
            }
            let n = n as usize;
            if n == 0 {
                run.pipe = None;
                if !run.head_done {
                    failed = true;
                }
                break;
            }
            if run.head_done {
                if !run.head_only {
                    c.out.extend_from_slice(&buf[..n]);
                }
                continue;
            }
            run.head_buf.extend_from_slice(&buf[..n]);
            match cgi::parse_head(&run.head_buf) {
                Ok(Some((h, off))) => {
                    cgi::write_head(&h, &date, &mut c.out);
                    let (m, t) = &run.log;
                    self.log_request(&peer, m, t, h.code);
                    if !run.head_only {
                        c.out.extend_from_slice(&run.head_buf[off..]);
                    }
                    run.head_buf = Vec::new();
                    run.head_done = true;
                }
                Ok(None) if run.head_buf.len() <= CGI_HEAD_MAX => {}
                _ => {
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            let (m, t) = &run.log;
            self.log_request(&peer, m, t, 500);
            if !run.exited {
                // SAFETY: signals the script's process group.
                unsafe { libc::kill(-run.pid.as_raw(), libc::SIGKILL) };
            }
            run.pipe = None;
            run.registered = false;
            c.out.clear();
            c.out_pos = 0;
            handler::error(&self.site, 500, false, false, &mut c.out);
        }
        self.drive(c, idx)
    }

    /// Acts on passed deadlines: 408 for a slow head or body, a silent close for an
    /// idle keep-alive connection or a client that stopped reading, and for a CGI past
    /// its time, SIGKILL and 500 if nothing was sent yet.
    fn sweep(&mut self, now: Instant) {
        for idx in 0..self.slots.len() {
            let due = matches!(&self.slots[idx].conn, Some(c) if now >= c.deadline);
            if !due {
                continue;
            }
            let Some(mut c) = self.slots[idx].conn.take() else {
                continue;
            };
            let alive = match &mut c.phase {
                Phase::Head if c.head_started => {
                    c.out.clear();
                    c.out_pos = 0;
                    handler::error(&self.site, 408, false, false, &mut c.out);
                    self.respond(&mut c, false, None);
                    let peer = c.peer;
                    self.log_request(&peer, b"-", b"-", 408);
                    self.drive(&mut c, idx)
                }
                Phase::Body(_) => {
                    c.out.clear();
                    c.out_pos = 0;
                    handler::error(&self.site, 408, false, false, &mut c.out);
                    self.respond(&mut c, false, None);
                    self.drive(&mut c, idx)
                }
                Phase::Cgi(run) if run.pipe.is_some() => {
                    if !run.exited {
                        // SAFETY: signals the script's process group.
                        unsafe { libc::kill(-run.pid.as_raw(), libc::SIGKILL) };
                    }
                    run.pipe = None;
                    run.registered = false;
                    let msg = b"CGI time limit reached".to_vec();
                    if !run.head_done {
                        c.out.clear();
                        c.out_pos = 0;
                        handler::error(&self.site, 500, false, false, &mut c.out);
                    }
                    self.note(&msg);
                    c.deadline = now + self.site.limits.write_timeout;
                    self.drive(&mut c, idx)
                }
                _ => false,
            };
            self.settle(idx, c, alive);
        }
    }
}

/// The outcome of a flush.
enum Flushed {
    /// Everything is out.
    Done,
    /// The socket is full; whether any byte went out.
    Partial(bool),
}

/// Writes the buffer, then the file body with sendfile.
fn flush(c: &mut Conn) -> io::Result<Flushed> {
    let mut progress = false;
    let fd = c.sock.as_raw_fd();
    while c.out_pos < c.out.len() {
        let more = if c.file.is_some() { libc::MSG_MORE } else { 0 };
        let data = &c.out[c.out_pos..];
        // SAFETY: send reads `data.len()` bytes from a live slice on a socket we own.
        let n = unsafe {
            libc::send(
                fd,
                data.as_ptr().cast(),
                data.len(),
                libc::MSG_NOSIGNAL | more,
            )
        };
        if n < 0 {
            match Errno::last() {
                Errno::EAGAIN => return Ok(Flushed::Partial(progress)),
                Errno::EINTR => continue,
                e => return Err(e.into()),
            }
        }
        c.out_pos += n as usize;
        progress = true;
    }
    c.out.clear();
    c.out_pos = 0;
    if let Some(f) = &mut c.file {
        while f.len > 0 {
            let mut off = f.offset as libc::off_t;
            let count = f.len.min(1 << 30) as usize;
            match nix::sys::sendfile::sendfile(&c.sock, &f.file, Some(&mut off), count) {
                Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
                Ok(n) => {
                    f.offset += n as u64;
                    f.len -= n as u64;
                    progress = true;
                }
                Err(Errno::EAGAIN) => return Ok(Flushed::Partial(progress)),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        c.file = None;
    }
    Ok(Flushed::Done)
}

/// Reads what is available into `buf`, up to `cap` bytes in it. `Ok(false)` at end
/// of file.
fn read_into(sock: &mut TcpStream, buf: &mut Vec<u8>, cap: usize) -> io::Result<bool> {
    loop {
        let old = buf.len();
        if old >= cap {
            return Ok(true);
        }
        let want = READ_CHUNK.min(cap - old);
        buf.reserve(want);
        let spare = buf.spare_capacity_mut();
        // SAFETY: read writes at most `want` bytes into the reserved, unused capacity;
        // only the bytes it reports are then counted as initialised.
        let n = unsafe { libc::read(sock.as_raw_fd(), spare.as_mut_ptr().cast(), want) };
        if n < 0 {
            return match Errno::last() {
                Errno::EAGAIN => Ok(true),
                Errno::EINTR => continue,
                e => Err(e.into()),
            };
        }
        if n == 0 {
            return Ok(false);
        }
        // SAFETY: the first `n` spare bytes were just written by read.
        unsafe { buf.set_len(old + n as usize) };
        if (n as usize) < want {
            return Ok(true);
        }
    }
}

/// Lifts the soft limit on open files to the hard one (each connection costs a socket,
/// and a file being sent or a CGI pipe); returns the limit.
fn raise_fd_limit() -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 1024,
        rlim_max: 1024,
    };
    // SAFETY: getrlimit and setrlimit read or fill the rlimit passed by pointer.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
            }
        }
    }
    usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
}
