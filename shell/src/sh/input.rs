//! Commands read from standard input (`sh < script`, `cmd | sh`, `sh -s`): a line at a
//! time and never past it (byte reads on a pipe, read-ahead then `lseek` back on a
//! file), so a command that reads stdin gets the rest of the script, as POSIX requires.

use rbox_parser::syntax::Parser;

use super::exec;
use super::state::{Aliases, Ctl, R, Shell};

/// Reads one line (with its newline) from fd 0 onto `buf`; false at end of input.
pub fn read_line(fd: i32, buf: &mut Vec<u8>) -> bool {
    let start = buf.len();
    // SAFETY: lseek only queries the offset.
    let seekable = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) } >= 0;
    if seekable {
        let mut chunk = [0u8; 512];
        loop {
            let n = match rbox_builtins::common::fdio::read(fd, &mut chunk) {
                Ok(0) | Err(_) => return buf.len() > start,
                Ok(n) => n,
            };
            if let Some(p) = chunk[..n].iter().position(|&c| c == b'\n') {
                buf.extend_from_slice(&chunk[..=p]);
                let back = (n - p - 1) as i64;
                if back > 0 {
                    let _ = rbox_builtins::common::fdio::seek_relative(fd, -back);
                }
                return true;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    }
    let mut b = [0u8; 1];
    loop {
        match rbox_builtins::common::fdio::read(fd, &mut b) {
            Ok(0) | Err(_) => return buf.len() > start,
            Ok(_) => {
                buf.push(b[0]);
                if b[0] == b'\n' {
                    return true;
                }
            }
        }
    }
}

/// Runs the commands on standard input.
pub fn run_stdin(sh: &mut Shell) -> R {
    let mut buf = Vec::new();
    let mut line = 1u32;
    let mut st = 0;
    let mut eof = false;
    loop {
        if !eof && !read_line(0, &mut buf) {
            eof = true;
        }
        if buf.is_empty() && eof {
            break;
        }
        let mut parser = Parser::with_line(&buf, line);
        let r = parser.next_complete_command(&Aliases(&sh.aliases));
        match r {
            Ok(cmd) => {
                if sh.opts.verbose {
                    let _ = rbox_builtins::common::fdio::write_all(2, &buf);
                }
                line += buf.iter().filter(|&&c| c == b'\n').count() as u32;
                buf.clear();
                if let Some(cmd) = cmd
                    && !sh.opts.noexec
                {
                    st = exec::run_list(sh, &cmd, false)?;
                }
            }
            Err(e) if e.is_incomplete() && !eof => continue,
            Err(e) => {
                sh.lineno = e.line;
                sh.error(format!("syntax error: {}", e.message).as_bytes());
                return Err(Ctl::Exit(2));
            }
        }
        if eof && buf.is_empty() {
            break;
        }
    }
    Ok(st)
}
