//! A small pseudo-terminal driver for the interactive-shell tests: a program started on
//! the slave side as a session leader with the pty as its controlling terminal, keys
//! written to the master, and what it prints fed to a minimal terminal model, so tests
//! assert on the screen as a user would see it (cursor moves, line erases and redraws
//! applied). Every wait is bounded.

#![allow(dead_code)]

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a wait for the screen may take before the test fails (a bound, not a
/// threshold: the tests never measure time).
pub const WAIT: Duration = Duration::from_secs(30);

/// The screen width the pty reports.
pub const COLS: usize = 80;

/// A running program on a pty.
pub struct Pty {
    master: OwnedFd,
    child: Child,
    screen: Screen,
    /// Every byte the program wrote, for failure messages.
    raw: Vec<u8>,
}

fn check(r: libc::c_int, what: &str) -> libc::c_int {
    assert!(r >= 0, "{what}: {}", std::io::Error::last_os_error());
    r
}

impl Pty {
    /// Starts `program args` on a new pty in `cwd` with exactly the environment `env`.
    pub fn spawn(program: &Path, args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Pty {
        // SAFETY: plain libc pty calls; the fds returned are owned below.
        let master = unsafe {
            check(
                libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC),
                "posix_openpt",
            )
        };
        // SAFETY: as above, on the master fd.
        unsafe {
            check(libc::grantpt(master), "grantpt");
            check(libc::unlockpt(master), "unlockpt");
        }
        let mut name = [0 as libc::c_char; 128];
        // SAFETY: ptsname_r writes a NUL-terminated name into the buffer.
        unsafe {
            check(
                libc::ptsname_r(master, name.as_mut_ptr(), name.len()),
                "ptsname_r",
            )
        };
        let ws = libc::winsize {
            ws_row: 24,
            ws_col: COLS as u16,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ with a valid winsize.
        unsafe { libc::ioctl(master, libc::TIOCSWINSZ, &ws) };
        // SAFETY: open the slave by the NUL-terminated name.
        let slave = unsafe {
            check(
                libc::open(
                    name.as_ptr(),
                    libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
                ),
                "open slave",
            )
        };
        // SAFETY: the fds are ours and valid.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(cwd)
            .env_clear()
            .envs(env.iter().copied())
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
        Pty {
            master,
            child,
            screen: Screen::default(),
            raw: Vec::new(),
        }
    }

    /// The program's pid.
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// The terminal's foreground process group.
    pub fn foreground_group(&self) -> i32 {
        // SAFETY: tcgetpgrp on the master fd (Linux answers for the slave side).
        unsafe { libc::tcgetpgrp(self.master.as_raw_fd()) }
    }

    /// Waits until the terminal's foreground group is another than `pgid` (a job
    /// took it).
    pub fn wait_foreground_not(&mut self, pgid: i32) {
        let deadline = Instant::now() + WAIT;
        loop {
            let fg = self.foreground_group();
            if fg > 0 && fg != pgid {
                return;
            }
            assert!(
                Instant::now() < deadline && self.pump(20),
                "no job took the terminal; the screen shows:\n{}",
                self.screen.text()
            );
        }
    }

    /// Types `keys` (bytes as a terminal would send them: `\r` for Enter, `\x03` for
    /// Ctrl-C).
    pub fn send(&mut self, keys: &str) {
        let b = keys.as_bytes();
        let mut off = 0;
        while off < b.len() {
            // SAFETY: write from a valid buffer.
            let n = unsafe {
                libc::write(
                    self.master.as_raw_fd(),
                    b[off..].as_ptr().cast(),
                    b.len() - off,
                )
            };
            assert!(n > 0, "write to pty: {}", std::io::Error::last_os_error());
            off += n as usize;
        }
    }

    /// Types a line and Enter.
    pub fn line(&mut self, text: &str) {
        self.send(text);
        self.send("\r");
    }

    /// Reads what is there (waiting at most `ms`); false at end of output.
    fn pump(&mut self, ms: i32) -> bool {
        let mut pfd = libc::pollfd {
            fd: self.master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, ms) };
        if r <= 0 {
            return true;
        }
        let mut buf = [0u8; 4096];
        // SAFETY: read into a valid buffer.
        let n = unsafe { libc::read(self.master.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return false;
        }
        self.raw.extend_from_slice(&buf[..n as usize]);
        self.screen.feed(&buf[..n as usize], &mut |reply| {
            // Answer a cursor position query (ESC [ 6 n) so editors that ask go on.
            let _ = reply;
        });
        true
    }

    /// Waits until `pred` holds for the screen text; panics (showing the screen) if it
    /// does not within [`WAIT`].
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.screen.text();
            if pred(&text) {
                return text;
            }
            if Instant::now() > deadline || !self.pump(50) {
                let text = self.screen.text();
                if pred(&text) {
                    return text;
                }
                panic!(
                    "waiting for {what}; the screen shows:\n{text}\n--- raw output ---\n{:?}",
                    String::from_utf8_lossy(&self.raw)
                );
            }
        }
    }

    /// Waits until the screen contains `needle` `count` times (or more).
    pub fn wait_count(&mut self, needle: &str, count: usize) -> String {
        let n = needle.to_string();
        self.wait_for(&format!("{count} x {needle:?}"), move |t| {
            t.matches(&n).count() >= count
        })
    }

    /// Waits until the screen contains `needle`.
    pub fn expect(&mut self, needle: &str) -> String {
        self.wait_count(needle, 1)
    }

    /// The screen now (rows joined by newlines, trailing blanks trimmed).
    pub fn screen(&self) -> String {
        self.screen.text()
    }

    /// The last non-empty row of the screen.
    pub fn last_row(&self) -> String {
        let t = self.screen.text();
        t.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string()
    }

    /// Waits for the program to exit (bounded) and returns its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                while self.pump(0) {
                    // Drain what is left.
                    let mut pfd = libc::pollfd {
                        fd: self.master.as_raw_fd(),
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // SAFETY: poll on one valid pollfd.
                    if unsafe { libc::poll(&mut pfd, 1, 0) } <= 0 {
                        break;
                    }
                }
                return st.code();
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit; the screen shows:\n{}",
                self.screen.text()
            );
            self.pump(50);
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A minimal terminal: printable characters, CR, LF, BS, tab, and the CSI sequences line
/// editors use (cursor moves, erase in line/display); others are skipped. The screen has
/// no height limit (nothing scrolls away) and wraps at [`COLS`].
#[derive(Default)]
pub struct Screen {
    rows: Vec<Vec<char>>,
    row: usize,
    col: usize,
    /// Bytes of an unfinished escape sequence or UTF-8 character.
    pending: Vec<u8>,
}

impl Screen {
    fn put(&mut self, c: char) {
        if self.col >= COLS {
            self.col = 0;
            self.row += 1;
        }
        while self.rows.len() <= self.row {
            self.rows.push(Vec::new());
        }
        let r = &mut self.rows[self.row];
        while r.len() < self.col {
            r.push(' ');
        }
        if self.col < r.len() {
            r[self.col] = c;
        } else {
            r.push(c);
        }
        self.col += 1;
    }

    fn csi(&mut self, params: &str, fin: char) {
        let nums: Vec<usize> = params
            .trim_start_matches('?')
            .split(';')
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        let n = nums.first().copied().unwrap_or(0).max(1);
        match fin {
            'A' => self.row = self.row.saturating_sub(n),
            'B' => self.row += n,
            'C' => self.col = (self.col + n).min(COLS - 1),
            'D' => self.col = self.col.saturating_sub(n),
            'G' => self.col = n - 1,
            'K' => {
                let mode = nums.first().copied().unwrap_or(0);
                if let Some(r) = self.rows.get_mut(self.row) {
                    match mode {
                        0 => r.truncate(self.col),
                        1 => r.iter_mut().take(self.col + 1).for_each(|c| *c = ' '),
                        _ => r.clear(),
                    }
                }
            }
            'J' => {
                let mode = nums.first().copied().unwrap_or(0);
                if mode == 0 {
                    if let Some(r) = self.rows.get_mut(self.row) {
                        r.truncate(self.col);
                    }
                    self.rows.truncate(self.row + 1);
                } else if mode == 2 {
                    self.rows.clear();
                    self.row = 0;
                    self.col = 0;
                }
            }
            'H' => {
                // Home relative to the top of what exists (no fixed height here).
                let r = nums.first().copied().unwrap_or(1).max(1) - 1;
                let c = nums.get(1).copied().unwrap_or(1).max(1) - 1;
                let top = self.rows.len().saturating_sub(24);
                self.row = top + r;
                self.col = c;
            }
            _ => {}
        }
    }

    /// Applies output bytes; `reply` gets answers to terminal queries.
    pub fn feed(&mut self, bytes: &[u8], reply: &mut dyn FnMut(&[u8])) {
        let _ = reply;
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(bytes);
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            match b {
                0x1b => {
                    let Some(&next) = data.get(i + 1) else {
                        self.pending = data[i..].to_vec();
                        return;
                    };
                    if next == b'[' {
                        let mut j = i + 2;
                        while j < data.len() && !(0x40..=0x7e).contains(&data[j]) {
                            j += 1;
                        }
                        if j >= data.len() {
                            self.pending = data[i..].to_vec();
                            return;
                        }
                        let params = String::from_utf8_lossy(&data[i + 2..j]).into_owned();
                        self.csi(&params, data[j] as char);
                        i = j + 1;
                    } else if next == b']' {
                        // OSC: up to BEL or ESC \.
                        let mut j = i + 2;
                        while j < data.len() && data[j] != 0x07 && data[j] != 0x1b {
                            j += 1;
                        }
                        if j >= data.len() {
                            self.pending = data[i..].to_vec();
                            return;
                        }
                        i = if data[j] == 0x1b { j + 2 } else { j + 1 };
                    } else {
                        i += 2;
                    }
                }
                b'\r' => {
                    self.col = 0;
                    i += 1;
                }
                b'\n' => {
                    self.row += 1;
                    while self.rows.len() <= self.row {
                        self.rows.push(Vec::new());
                    }
                    i += 1;
                }
                0x08 => {
                    self.col = self.col.saturating_sub(1);
                    i += 1;
                }
                b'\t' => {
                    let to = (self.col / 8 + 1) * 8;
                    while self.col < to.min(COLS) {
                        self.put(' ');
                    }
                    i += 1;
                }
                0..=0x1f | 0x7f => i += 1,
                _ => {
                    let len = match b {
                        0xc0..=0xdf => 2,
                        0xe0..=0xef => 3,
                        0xf0..=0xf7 => 4,
                        _ => 1,
                    };
                    if i + len > data.len() {
                        self.pending = data[i..].to_vec();
                        return;
                    }
                    let s = String::from_utf8_lossy(&data[i..i + len]).into_owned();
                    for c in s.chars() {
                        self.put(c);
                    }
                    i += len;
                }
            }
        }
    }

    /// The screen as text (a row ends where its last written character is).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for r in &self.rows {
            let line: String = r.iter().collect();
            s.push_str(&line);
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redraws_apply() {
        let mut s = Screen::default();
        s.feed(b"$ ech\r$ echo hi\x1b[K\r\x1b[4C!\r\n", &mut |_| {});
        assert_eq!(s.text(), "$ ec!o hi\n\n");
    }
}
