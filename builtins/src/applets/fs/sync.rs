//! `sync`: flush file system buffers.

use std::os::fd::AsFd;

use super::util::{msg, path};
use crate::prelude::*;

/// The `sync` applet.
pub const APPLET: Applet = Applet::new("sync", main, Run::InProc)
    .usage("[-df] [FILE]...")
    .help(
        "Write buffered data to disk: everything, or only the FILEs.\n\n\
         -d\tSync only the FILEs' data (fdatasync)\n\
         -f\tSync the file systems holding the FILEs (syncfs)",
    );

const LONGS: &[&str] = &["data", "file-system"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut data, mut fs) = (false, false);
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('d') | Arg::Long("data") => data = true,
            Arg::Short('f') | Arg::Long("file-system") => fs = true,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        if data || fs {
            return Err(Error::usage("--data needs at least one argument"));
        }
        nix::unistd::sync();
        return Ok(());
    }
    for f in &files {
        let r = std::fs::File::open(path(f)).and_then(|file| {
            let r = if fs {
                nix::unistd::syncfs(file.as_fd())
            } else if data {
                nix::unistd::fdatasync(file.as_fd())
            } else {
                nix::unistd::fsync(file.as_fd())
            };
            r.map_err(std::io::Error::from)
        });
        if let Err(e) = r {
            ctx.warn_msg(&msg("error syncing", f, &e));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn syncs_files() {
        let d = temp_dir("sync");
        let a = d.join("a");
        std::fs::write(&a, "x").unwrap();
        assert_eq!(run("sync", &[a.to_str().unwrap()], b"").status, 0);
        assert_eq!(run("sync", &["-d", a.to_str().unwrap()], b"").status, 0);
        let r = run("sync", &[d.join("no").to_str().unwrap()], b"");
        assert_eq!(r.status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
