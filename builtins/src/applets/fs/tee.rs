//! `tee`: copy standard input to standard output and to files.

use std::fs::File;

use super::util::path;
use crate::prelude::*;

/// The `tee` applet.
pub const APPLET: Applet = Applet::new("tee", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-ai] [FILE]...")
    .help(
        "Copy standard input to standard output and to each FILE.\n\n\
         -a\tAppend to the FILEs, do not truncate them\n\
         -i\tIgnore interrupt signals (the shell runs tee in a child)",
    );

const LONGS: &[&str] = &["append", "ignore-interrupts"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut append, mut ignore_int) = (false, false);
    let mut names = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("append") => append = true,
            Arg::Short('i') | Arg::Long("ignore-interrupts") => ignore_int = true,
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if ignore_int {
        // SAFETY: setting SIGINT to SIG_IGN installs no handler code; tee runs in a
        // forked child (Run::Fork), so the shell's own disposition is untouched.
        let _ = unsafe {
            nix::sys::signal::signal(
                nix::sys::signal::Signal::SIGINT,
                nix::sys::signal::SigHandler::SigIgn,
            )
        };
    }
    let mut files: Vec<Option<File>> = Vec::new();
    for n in &names {
        let r = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .append(append)
            .truncate(!append)
            .open(path(n));
        match r {
            Ok(f) => files.push(Some(f)),
            Err(e) => {
                ctx.warn(n, &e);
                files.push(None);
            }
        }
    }
    let mut buf = vec![0u8; 64 * 1024];
    let mut stdout_ok = true;
    loop {
        let n = match ctx.stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(b"read error", &e)),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        if stdout_ok && (ctx.stdout.write_all(chunk).is_err() || ctx.stdout.flush().is_err()) {
            ctx.warn_msg(b"standard output: write error");
            stdout_ok = false;
        }
        for (i, slot) in files.iter_mut().enumerate() {
            if let Some(f) = slot
                && let Err(e) = f.write_all(chunk)
            {
                let name = names.get(i).cloned().unwrap_or_default();
                ctx.warn(&name, &e);
                *slot = None;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn copies_to_stdout_and_files() {
        let d = temp_dir("tee");
        let (a, b) = (d.join("a"), d.join("b"));
        std::fs::write(&b, "old\n").unwrap();
        let r = run("tee", &[a.to_str().unwrap()], b"hello\n");
        assert_eq!(r.out(), "hello\n");
        assert_eq!(std::fs::read(&a).unwrap(), b"hello\n");
        run("tee", &["-a", b.to_str().unwrap()], b"more\n");
        assert_eq!(std::fs::read(&b).unwrap(), b"old\nmore\n");
        let bad = d.join("no/x");
        let r = run("tee", &[bad.to_str().unwrap(), a.to_str().unwrap()], b"z");
        assert_eq!((r.status, r.out()), (1, "z".to_string()));
        assert_eq!(
            r.err(),
            format!("tee: {}: No such file or directory\n", bad.display())
        );
        assert_eq!(std::fs::read(&a).unwrap(), b"z");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
