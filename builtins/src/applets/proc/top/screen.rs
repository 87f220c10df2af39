//! top's full-screen mode with crossterm: raw mode and the alternate screen, a redraw
//! every delay (and at once on a resize), `q` or Ctrl-C to quit. The terminal is given
//! back on every way out: a guard's `Drop` (normal return, error, panic unwinding), and
//! SIGTERM/SIGHUP/SIGINT/SIGQUIT are blocked and polled so they end the loop instead of
//! the process; once the terminal is restored the guard unblocks them and the pending
//! one ends top as it would have (status 128+N), so callers still see the signal.

use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, queue, terminal};

use super::{Config, first_sample, next_frame};
use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The signals that would otherwise kill top with the terminal in raw mode.
const FATAL: [i32; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT];

/// Restores the terminal and the signal mask when dropped.
struct Guard {
    old_mask: libc::sigset_t,
    stdout_fd: i32,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let mut restore = Vec::new();
        let _ = queue!(restore, terminal::LeaveAlternateScreen, cursor::Show);
        let _ = crate::common::fdio::write_all(self.stdout_fd, &restore);
        let _ = terminal::disable_raw_mode();
        // SAFETY: sets this thread's mask back to the one saved in `enter`.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old_mask, std::ptr::null_mut());
        }
    }
}

fn enter(stdout_fd: i32) -> std::io::Result<Guard> {
    // SAFETY: plain sigset manipulation on locals, then this thread's mask.
    let old_mask = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in FATAL {
            libc::sigaddset(&mut set, s);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
        old
    };
    let guard = Guard {
        old_mask,
        stdout_fd,
    };
    terminal::enable_raw_mode()?;
    let mut setup = Vec::new();
    queue!(setup, terminal::EnterAlternateScreen, cursor::Hide)?;
    crate::common::fdio::write_all(stdout_fd, &setup)?;
    Ok(guard)
}

/// Whether one of the blocked fatal signals is pending.
fn signalled() -> bool {
    // SAFETY: sigpending fills a local set; sigismember only reads it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigpending(&mut set);
        FATAL.iter().any(|&s| libc::sigismember(&set, s) == 1)
    }
}

/// What a wait for input ended with.
enum Wake {
    Quit,
    Redraw,
}

/// Waits up to `delay` for a key, a resize or a signal.
fn wait(delay: Duration) -> std::io::Result<Wake> {
    let end = Instant::now() + delay;
    loop {
        if signalled() {
            return Ok(Wake::Quit);
        }
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Wake::Redraw);
        }
        if event::poll(left.min(Duration::from_millis(100)))? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    let ctrl_c =
                        k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
                    if ctrl_c || matches!(k.code, KeyCode::Char('q') | KeyCode::Char('Q')) {
                        return Ok(Wake::Quit);
                    }
                    if k.code == KeyCode::Char(' ') || k.code == KeyCode::Enter {
                        return Ok(Wake::Redraw);
                    }
                }
                Event::Resize(..) => return Ok(Wake::Redraw),
                _ => {}
            }
        }
    }
}

/// Runs the full-screen loop until `q`, a fatal signal or `-n` frames.
pub fn run(ctx: &mut Ctx<'_>, cfg: &Config) -> Result<(), Error> {
    let fd = ctx.stdout.raw_fd().unwrap_or(1);
    ctx.stdout.flush()?;
    let guard = enter(fd).map_err(|e| Error::io(b"terminal", &e))?;
    let accounts = Accounts::load();
    let mut prev = first_sample(cfg, &accounts);
    let mut shown = 0u64;
    loop {
        let (cols, rows) = match terminal::size() {
            Ok((c, r)) if c > 0 && r > 0 => (c, r),
            _ => (80, 24),
        };
        let (lines, now) = next_frame(ctx, cfg, &accounts, &prev, usize::from(cols));
        prev = now;
        let mut out = Vec::new();
        queue!(
            out,
            cursor::MoveTo(0, 0),
            terminal::Clear(terminal::ClearType::All)
        )
        .map_err(|e| Error::io(b"terminal", &e))?;
        for (i, l) in lines.iter().take(usize::from(rows.max(1))).enumerate() {
            if i > 0 {
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(l.as_bytes());
        }
        crate::common::fdio::write_all(fd, &out)?;
        shown += 1;
        if cfg.frames.is_some_and(|n| shown >= n) {
            break;
        }
        match wait(cfg.delay).map_err(|e| Error::io(b"terminal", &e))? {
            Wake::Quit => break,
            Wake::Redraw => {}
        }
    }
    drop(guard);
    Ok(())
}
