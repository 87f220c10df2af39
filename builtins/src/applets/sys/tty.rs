//! `tty`: print the name of the terminal on standard input.

use std::os::fd::RawFd;

use crate::common::fdio;
use crate::prelude::*;

/// The `tty` applet.
pub const APPLET: Applet = Applet::new("tty", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-s]")
    .help(
        "Print the file name of the terminal on standard input, or `not a tty` (status 1).\n\n\
         -s\tPrint nothing, only set the status",
    )
    .error_status(2);

const LONGS: &[&str] = &["silent", "quiet"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut silent = false;
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('s') | Arg::Long("silent" | "quiet") => silent = true,
            other => return Err(opts.unexpected(&other)),
        }
    }
    let name = ctx.stdin.raw_fd().and_then(tty_name);
    if silent {
        return if name.is_some() {
            Ok(())
        } else {
            Err(Error::silent(1))
        };
    }
    match name {
        Some(mut n) => {
            n.push(b'\n');
            ctx.stdout.write_all(&n)?;
            Ok(())
        }
        None => {
            ctx.stdout.write_all(b"not a tty\n")?;
            Err(Error::silent(1))
        }
    }
}

/// The path of the terminal open on `fd`, or `None` if it is not a terminal.
pub fn tty_name(fd: RawFd) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    if !fdio::isatty(fd) {
        return None;
    }
    if let Ok(p) = std::fs::read_link(format!("/proc/self/fd/{fd}")) {
        let p = p.as_os_str().as_bytes();
        if p.starts_with(b"/dev/") {
            return Some(p.to_vec());
        }
    }
    // SAFETY: the descriptor is open (isatty just succeeded on it) and stays open for
    // this call; the borrow does not outlive it.
    let borrowed = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    nix::unistd::ttyname(borrowed)
        .ok()
        .map(|p| p.as_os_str().as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;
    use std::os::fd::AsRawFd;

    #[test]
    fn memory_input_is_not_a_tty() {
        let r = run("tty", &[], b"");
        assert_eq!((r.status, r.out()), (1, "not a tty\n".into()));
        let r = run("tty", &["-s"], b"");
        assert_eq!((r.status, r.out()), (1, String::new()));
        let r = run("tty", &["x"], b"");
        assert_eq!(r.status, 2);
        assert!(r.err().starts_with("tty: extra operand 'x'\n"));
    }

    #[test]
    fn a_pty_has_a_name() {
        let Ok(pty) = nix::pty::openpty(None, None) else {
            return;
        };
        let name = tty_name(pty.slave.as_raw_fd()).unwrap();
        assert!(
            name.starts_with(b"/dev/pts/"),
            "{}",
            String::from_utf8_lossy(&name)
        );
        let f = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(tty_name(f.as_raw_fd()), None);
    }
}
