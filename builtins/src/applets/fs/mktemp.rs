//! `mktemp`: create a file or directory with a unique random name.

use std::io;

use nix::fcntl::{AT_FDCWD, OFlag, open};
use nix::sys::stat::{Mode, mkdirat};

use super::util::{errno, fill, quote};
use crate::prelude::*;

/// The `mktemp` applet.
pub const APPLET: Applet = Applet::new("mktemp", main, Run::Fork)
    .usage("[-dqtu] [-p DIR] [--suffix=SUFF] [--tmpdir[=DIR]] [TEMPLATE]")
    .help(
        "Create a temporary file or directory from TEMPLATE, whose trailing X's (at least\n\
         three) are replaced by random letters and digits, and print its name.\n\
         Without TEMPLATE: tmp.XXXXXXXXXX in $TMPDIR or /tmp.\n\n\
         -d\tMake a directory (mode 0700), not a file (mode 0600)\n\
         -u\tMake nothing, only print a name (unsafe)\n\
         -q\tSay nothing about failures\n\
         -p DIR, --tmpdir[=DIR]\tTEMPLATE is relative to DIR (default $TMPDIR, else /tmp)\n\
         -t\tTEMPLATE is relative to $TMPDIR, else -p DIR, else /tmp\n\
         --suffix=SUFF\tAppend SUFF to TEMPLATE (after the X's)",
    );

const LONGS: &[&str] = &["directory", "dry-run", "quiet", "tmpdir", "suffix"];

const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Random bytes from the kernel (getrandom), falling back to the clock and pid mixed.
fn random_bytes(buf: &mut [u8]) {
    // SAFETY: `buf` is a valid writable region of `buf.len()` bytes for the whole call.
    let n = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) };
    if usize::try_from(n).is_ok_and(|n| n == buf.len()) {
        return;
    }
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
        ^ (u64::from(std::process::id()) << 32);
    for b in buf.iter_mut() {
        // xorshift
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut dir_mode, mut dry, mut quiet, mut t_flag) = (false, false, false, false);
    let mut tmpdir: Option<Option<Vec<u8>>> = None;
    let mut suffix: Option<Vec<u8>> = None;
    let mut templates = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('d') | Arg::Long("directory") => dir_mode = true,
            Arg::Short('u') | Arg::Long("dry-run") => dry = true,
            Arg::Short('q') | Arg::Long("quiet") => quiet = true,
            Arg::Short('t') => t_flag = true,
            Arg::Short('p') => tmpdir = Some(Some(opts.value()?)),
            Arg::Long("tmpdir") => tmpdir = Some(opts.optional_value()),
            Arg::Long("suffix") => suffix = Some(opts.value()?),
            Arg::Value(v) => templates.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if templates.len() > 1 {
        return Err(Error::usage("too many templates"));
    }
    let env_tmp = ctx
        .env
        .get(b"TMPDIR")
        .filter(|v| !v.is_empty())
        .map(<[u8]>::to_vec);
    let (template, relative) = match templates.pop() {
        Some(t) => (t, t_flag || tmpdir.is_some()),
        None => (b"tmp.XXXXXXXXXX".to_vec(), true),
    };
    let mut template = template;
    if let Some(s) = &suffix {
        if s.contains(&b'/') {
            return Err(Error::msg(fill(
                "invalid suffix {}, contains directory separator",
                &[s],
            )));
        }
        template.extend_from_slice(s);
    }
    let suffix_len = suffix.as_ref().map_or(0, Vec::len);
    let stem = template
        .get(..template.len() - suffix_len)
        .unwrap_or_default();
    let xs = stem.iter().rev().take_while(|&&b| b == b'X').count();
    let fail = |m: Vec<u8>| -> Result<(), Error> {
        if quiet {
            Err(Error::silent(1))
        } else {
            Err(Error::msg(m))
        }
    };
    if xs < 3 {
        return fail(fill("too few X's in template {}", &[&template]));
    }
    let full = if relative {
        if template.contains(&b'/') {
            return fail(fill(
                "invalid template, {}, contains directory separator",
                &[&template],
            ));
        }
        let dir = if t_flag {
            env_tmp.or_else(|| tmpdir.flatten())
        } else {
            tmpdir.flatten().or(env_tmp)
        }
        .unwrap_or_else(|| b"/tmp".to_vec());
        let mut p = dir;
        if !p.ends_with(b"/") {
            p.push(b'/');
        }
        p.extend_from_slice(&template);
        p
    } else {
        template.clone()
    };
    let start = full.len() - suffix_len - xs;
    let mut name = full.clone();
    let mut last_err = io::Error::from_raw_os_error(libc::EEXIST);
    for _ in 0..1000 {
        let mut rnd = vec![0u8; xs];
        random_bytes(&mut rnd);
        for (slot, r) in name.iter_mut().skip(start).take(xs).zip(rnd) {
            *slot = CHARS
                .get(usize::from(r) % CHARS.len())
                .copied()
                .unwrap_or(b'x');
        }
        let made = if dry {
            match nix::sys::stat::lstat(name.as_slice()) {
                Ok(_) => Err(nix::errno::Errno::EEXIST),
                Err(nix::errno::Errno::ENOENT) => Ok(()),
                Err(e) => Err(e),
            }
        } else if dir_mode {
            mkdirat(AT_FDCWD, name.as_slice(), Mode::from_bits_truncate(0o700))
        } else {
            open(
                name.as_slice(),
                OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
                Mode::from_bits_truncate(0o600),
            )
            .map(drop)
        };
        match made {
            Ok(()) => {
                name.push(b'\n');
                ctx.stdout.write_all(&name)?;
                return Ok(());
            }
            Err(nix::errno::Errno::EEXIST) => continue,
            Err(e) => {
                last_err = errno(e);
                break;
            }
        }
    }
    let what = if dir_mode { "directory" } else { "file" };
    let mut m = format!("failed to create {what} via template ").into_bytes();
    m.extend_from_slice(&quote(&full));
    m.extend_from_slice(b": ");
    m.extend_from_slice(crate::error::strerror(&last_err).as_bytes());
    fail(m)
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, run_with_env, temp_dir};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn makes_files_and_directories_with_private_modes() {
        let d = temp_dir("mktemp");
        let ds = d.to_str().unwrap();
        let r = run("mktemp", &["-p", ds], b"");
        assert_eq!(r.status, 0, "{}", r.err());
        let f = r.out().trim_end().to_string();
        assert!(f.starts_with(&format!("{ds}/tmp.")) && f.len() == ds.len() + 15);
        let md = std::fs::metadata(&f).unwrap();
        assert!(md.is_file() && md.permissions().mode() & 0o777 == 0o600);
        let r = run("mktemp", &["-d", &format!("{ds}/dirXXX")], b"");
        let dd = r.out().trim_end().to_string();
        let md = std::fs::metadata(&dd).unwrap();
        assert!(md.is_dir() && md.permissions().mode() & 0o777 == 0o700);
        let r = run_with_env(
            "mktemp",
            &[
                b"-t".to_vec(),
                b"fooXXXXXX".to_vec(),
                b"--suffix=.txt".to_vec(),
            ],
            b"",
            &[("TMPDIR", ds)],
        );
        let f = r.out().trim_end().to_string();
        assert!(
            f.starts_with(&format!("{ds}/foo")) && f.ends_with(".txt"),
            "{f}"
        );
        assert!(std::path::Path::new(&f).is_file());
        let r = run("mktemp", &["-u", &format!("{ds}/uXXXX")], b"");
        assert!(!std::path::Path::new(r.out().trim_end()).exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn template_errors() {
        let r = run("mktemp", &["fooXX"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "mktemp: too few X's in template 'fooXX'\n".into())
        );
        let r = run("mktemp", &["-q", "fooXX"], b"");
        assert_eq!((r.status, r.err()), (1, String::new()));
        let r = run("mktemp", &["-t", "a/bXXX"], b"");
        assert_eq!(
            r.err(),
            "mktemp: invalid template, 'a/bXXX', contains directory separator\n"
        );
        let r = run("mktemp", &["/nonexistent-rbox/XXXX"], b"");
        assert!(r.err().starts_with(
            "mktemp: failed to create file via template '/nonexistent-rbox/XXXX': No such file"
        ));
    }
}
