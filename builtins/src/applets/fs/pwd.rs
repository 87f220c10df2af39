//! `pwd`: print the working directory.

use std::os::unix::fs::MetadataExt;

use super::util::{cwd, path};
use crate::prelude::*;

/// The `pwd` applet.
pub const APPLET: Applet = Applet::new("pwd", main, Run::InProc).usage("[-LP]").help(
    "Print the name of the working directory.\n\n\
         -L\tUse $PWD if it names the working directory without . or .. (the default)\n\
         -P\tPrint the physical directory, with no symbolic links",
);

const LONGS: &[&str] = &["logical", "physical"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut logical = true;
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('L') | Arg::Long("logical") => logical = true,
            Arg::Short('P') | Arg::Long("physical") => logical = false,
            other => return Err(opts.unexpected(&other)),
        }
    }
    if logical
        && let Some(pwd) = ctx.env.get(b"PWD")
        && valid_logical(pwd)
    {
        let mut line = pwd.to_vec();
        line.push(b'\n');
        ctx.stdout.write_all(&line)?;
        return Ok(());
    }
    let mut here = cwd().map_err(|e| Error::io(b"error retrieving current directory", &e))?;
    here.push(b'\n');
    ctx.stdout.write_all(&here)?;
    Ok(())
}

/// POSIX: `$PWD` is used when absolute, free of `.` and `..` components, and the
/// same directory as `.`.
fn valid_logical(pwd: &[u8]) -> bool {
    if !pwd.starts_with(b"/") {
        return false;
    }
    if pwd.split(|&b| b == b'/').any(|c| c == b"." || c == b"..") {
        return false;
    }
    match (std::fs::metadata(path(pwd)), std::fs::metadata(".")) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn physical_matches_the_process_cwd() {
        let want = std::env::current_dir().unwrap();
        let want = format!("{}\n", want.display());
        assert_eq!(run("pwd", &["-P"], b"").out(), want);
        // Without $PWD, -L falls back to the physical name.
        assert_eq!(run("pwd", &[], b"").out(), want);
        assert!(super::valid_logical(
            std::env::current_dir()
                .unwrap()
                .to_str()
                .unwrap()
                .as_bytes()
        ));
        assert!(!super::valid_logical(b"/tmp/../tmp"));
        assert!(!super::valid_logical(b"relative"));
        let r = run("pwd", &["-x"], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with("pwd: invalid option -- 'x'\n"));
    }
}
