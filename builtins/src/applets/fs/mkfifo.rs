//! `mkfifo`: make named pipes.

use nix::sys::stat::{FchmodatFlags, Mode, fchmodat};

use super::util::{errno, msg, parse_mode};
use crate::common::mode::current_umask;
use crate::prelude::*;

/// The `mkfifo` applet.
pub const APPLET: Applet = Applet::new("mkfifo", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-m MODE] NAME...")
    .help("Create named pipes (FIFOs) with the given NAMEs.\n\n-m MODE\tSet the mode (as in chmod), not a=rw - umask");

const LONGS: &[&str] = &["mode"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut mode = None;
    let mut names = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('m') | Arg::Long("mode") => mode = Some(parse_mode(&opts.value()?)?),
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if names.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let exact = mode.map(|m| m.apply(0o666, false, current_umask()));
    for n in &names {
        let r = nix::unistd::mkfifo(n.as_slice(), Mode::from_bits_truncate(0o666)).and_then(|()| {
            match exact {
                Some(m) => fchmodat(
                    nix::fcntl::AT_FDCWD,
                    n.as_slice(),
                    Mode::from_bits_truncate(m),
                    FchmodatFlags::FollowSymlink,
                ),
                None => Ok(()),
            }
        });
        if let Err(e) = r {
            ctx.warn_msg(&msg("cannot create fifo", n, &errno(e)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    #[test]
    fn makes_fifos_with_modes() {
        let d = temp_dir("mkfifo");
        let p = d.join("p");
        assert_eq!(
            run("mkfifo", &["-m", "600", p.to_str().unwrap()], b"").status,
            0
        );
        let md = std::fs::metadata(&p).unwrap();
        assert!(md.file_type().is_fifo());
        assert_eq!(md.permissions().mode() & 0o777, 0o600);
        let r = run("mkfifo", &[p.to_str().unwrap()], b"");
        assert_eq!(
            r.err(),
            format!(
                "mkfifo: cannot create fifo '{}': File exists\n",
                p.display()
            )
        );
        assert_eq!(
            run("mkfifo", &["-m", "z", "x"], b"").err(),
            "mkfifo: invalid mode: 'z'\n"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
