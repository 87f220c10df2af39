//! `mkdir`: make directories.

use std::io;

use nix::fcntl::AT_FDCWD;
use nix::sys::stat::{FchmodatFlags, Mode, fchmodat, mkdirat, stat};

use super::util::{errno, fill, msg, parse_mode};
use crate::common::mode::current_umask;
use crate::prelude::*;

/// The `mkdir` applet.
pub const APPLET: Applet = Applet::new("mkdir", main, Run::InProc)
    .usage("[-pv] [-m MODE] DIRECTORY...")
    .help(
        "Create the DIRECTORY(ies), if they do not already exist.\n\n\
         -m MODE\tSet the mode of new directories (as in chmod), not a=rwx - umask\n\
         -p\tNo error if existing, make parent directories as needed\n\
         -v\tPrint a message for each created directory",
    );

const LONGS: &[&str] = &["mode", "parents", "verbose"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut parents, mut verbose, mut mode_spec) = (false, false, None);
    let mut dirs = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('p') | Arg::Long("parents") => parents = true,
            Arg::Short('v') | Arg::Long("verbose") => verbose = true,
            Arg::Short('m') | Arg::Long("mode") => mode_spec = Some(opts.value()?),
            Arg::Value(v) => dirs.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if dirs.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let umask = current_umask();
    let mode = match &mode_spec {
        Some(spec) => Some(parse_mode(spec)?.apply(0o777, true, umask)),
        None => None,
    };
    for dir in &dirs {
        if parents {
            make_parents(ctx, dir, umask, verbose);
        }
        match make(dir, mode) {
            Ok(()) => {
                if verbose {
                    report(ctx, dir)?;
                }
            }
            Err(e) if parents && e.raw_os_error() == Some(libc::EEXIST) && is_dir(dir) => {}
            Err(e) => ctx.warn_msg(&msg("cannot create directory", dir, &e)),
        }
    }
    Ok(())
}

fn is_dir(p: &[u8]) -> bool {
    stat(p).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
}

fn report(ctx: &mut Ctx<'_>, dir: &[u8]) -> Result<(), Error> {
    let mut line = fill("mkdir: created directory {}", &[dir]);
    line.push(b'\n');
    ctx.stdout.write_all(&line)?;
    Ok(())
}

/// Creates `dir` with `mode` exactly (set after creation, so the umask and set-id bits
/// are no obstacle), or with 0777 less the umask.
fn make(dir: &[u8], mode: Option<u32>) -> io::Result<()> {
    let m = mode.unwrap_or(0o777);
    mkdirat(AT_FDCWD, dir, Mode::from_bits_truncate(m & 0o777)).map_err(errno)?;
    if let Some(m) = mode {
        fchmodat(
            AT_FDCWD,
            dir,
            Mode::from_bits_truncate(m),
            FchmodatFlags::FollowSymlink,
        )
        .map_err(errno)?;
    }
    Ok(())
}

/// `mkdir -p`: creates each missing ancestor of `dir` with u+wx added to the default.
fn make_parents(ctx: &mut Ctx<'_>, dir: &[u8], umask: u32, verbose: bool) {
    let mode = (0o777 & !umask) | 0o300;
    let trimmed_len = dir.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    let mut i = 0;
    while let Some(off) = dir
        .get(i..trimmed_len)
        .and_then(|r| r.iter().position(|&b| b == b'/'))
    {
        let end = i + off;
        i = end + 1;
        let Some(prefix) = dir.get(..end) else { break };
        // Skip the root and runs of slashes.
        if prefix.is_empty() || prefix.ends_with(b"/") {
            continue;
        }
        match mkdirat(AT_FDCWD, prefix, Mode::from_bits_truncate(0o777)) {
            Ok(()) => {
                if mode != 0o777 & !umask {
                    let _ = fchmodat(
                        AT_FDCWD,
                        prefix,
                        Mode::from_bits_truncate(mode),
                        FchmodatFlags::FollowSymlink,
                    );
                }
                if verbose {
                    let _ = report(ctx, prefix);
                }
            }
            Err(nix::errno::Errno::EEXIST) => {}
            // The final mkdir reports the real trouble.
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_and_reports_existing() {
        let d = temp_dir("mkdir-basic");
        let a = d.join("a");
        let a = a.to_str().unwrap();
        let r = run("mkdir", &[a], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert!(d.join("a").is_dir());
        let r = run("mkdir", &[a], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            format!("mkdir: cannot create directory '{a}': File exists\n")
        );
        let r = run("mkdir", &["-p", a], b"");
        assert_eq!(r.status, 0);
        std::fs::write(d.join("f"), "").unwrap();
        let f = d.join("f");
        let r = run("mkdir", &["-p", f.to_str().unwrap()], b"");
        assert_eq!(r.status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn parents_and_verbose() {
        let d = temp_dir("mkdir-p");
        let deep = d.join("x//y/z/");
        let r = run("mkdir", &["-pv", deep.to_str().unwrap()], b"");
        assert_eq!(r.status, 0, "{}", r.err());
        assert!(d.join("x/y/z").is_dir());
        let want = format!(
            "mkdir: created directory '{0}/x'\nmkdir: created directory '{0}/x//y'\nmkdir: created directory '{0}/x//y/z/'\n",
            d.display()
        );
        assert_eq!(r.out(), want);
        let r = run("mkdir", &[d.join("no/such").to_str().unwrap()], b"");
        assert_eq!(r.status, 1);
        assert!(
            r.err().ends_with("/no/such': No such file or directory\n"),
            "{}",
            r.err()
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn modes_are_exact() {
        let d = temp_dir("mkdir-m");
        let m = |p: &str| std::fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o7777;
        run("mkdir", &["-m", "700", d.join("a").to_str().unwrap()], b"");
        assert_eq!(m("a"), 0o700);
        run("mkdir", &["-m", "1777", d.join("b").to_str().unwrap()], b"");
        assert_eq!(m("b"), 0o1777);
        run(
            "mkdir",
            &["-m", "g-w,o=", d.join("c").to_str().unwrap()],
            b"",
        );
        assert_eq!(m("c"), 0o750);
        run(
            "mkdir",
            &["--mode=a=rx", "-p", d.join("e/f").to_str().unwrap()],
            b"",
        );
        assert_eq!(m("e/f"), 0o555);
        let r = run(
            "mkdir",
            &["-m", "bogus", d.join("g").to_str().unwrap()],
            b"",
        );
        assert_eq!(
            (r.status, r.err()),
            (1, "mkdir: invalid mode: 'bogus'\n".to_string())
        );
        assert!(!d.join("g").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn odd_names_and_usage() {
        let d = temp_dir("mkdir-names");
        let name = d.join("with space\nand newline");
        assert_eq!(run("mkdir", &[name.to_str().unwrap()], b"").status, 0);
        assert!(name.is_dir());
        let mut raw = d.join("x").into_os_string().into_encoded_bytes();
        raw.push(0xff);
        let r = crate::testing::run_bytes("mkdir", &[raw.clone()], b"");
        assert_eq!(r.status, 0);
        let r = run("mkdir", &[], b"");
        assert_eq!(
            r.err(),
            "mkdir: missing operand\nUsage: mkdir [-pv] [-m MODE] DIRECTORY...\n"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
