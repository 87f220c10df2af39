//! `touch`: change file timestamps, creating files that do not exist.

use std::os::unix::fs::{MetadataExt, OpenOptionsExt};

use nix::fcntl::AT_FDCWD;
use nix::sys::stat::{UtimensatFlags, utimensat};
use nix::sys::time::TimeSpec;

use super::util::{errno, msg, path};
use crate::common::time::{self, Civil, Tz};
use crate::prelude::*;

/// The `touch` applet.
pub const APPLET: Applet = Applet::new("touch", main, Run::InProc)
    .usage("[-acmh] [-d DATE | -t STAMP | -r FILE] FILE...")
    .help(
        "Update the access and modification times of each FILE to now (or the time given),\n\
         creating empty files that do not exist.\n\n\
         -a\tChange only the access time\n\
         -m\tChange only the modification time\n\
         -c\tDo not create files\n\
         -h\tChange a symbolic link itself, not its target\n\
         -d DATE\tUse DATE: YYYY-MM-DD[ HH:MM[:SS]], @EPOCH, and the forms date -d takes\n\
         -t STAMP\tUse [[CC]YY]MMDDhhmm[.ss] (local time)\n\
         -r FILE\tUse FILE's times",
    );

const LONGS: &[&str] = &["no-create", "date", "reference", "time", "no-dereference"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut atime, mut mtime, mut create, mut follow) = (false, false, true, true);
    let mut when: Option<(TimeSpec, TimeSpec)> = None;
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') => atime = true,
            Arg::Short('m') => mtime = true,
            Arg::Short('c') | Arg::Long("no-create") => create = false,
            Arg::Short('h') | Arg::Long("no-dereference") => follow = false,
            Arg::Short('f') => {}
            Arg::Long("time") => match opts.value()?.as_slice() {
                b"atime" | b"access" | b"use" => atime = true,
                b"mtime" | b"modify" => mtime = true,
                other => {
                    return Err(Error::usage(format!(
                        "invalid argument '{}' for '--time'",
                        String::from_utf8_lossy(other)
                    )));
                }
            },
            Arg::Short('d') | Arg::Long("date") => {
                let v = opts.value()?;
                let t = parse_d(ctx, &v).ok_or_else(|| bad_date(&v))?;
                when = Some((t, t));
            }
            Arg::Short('t') => {
                let v = opts.value()?;
                let t = parse_t(ctx, &v).ok_or_else(|| bad_date(&v))?;
                when = Some((t, t));
            }
            Arg::Short('r') | Arg::Long("reference") => {
                let v = opts.value()?;
                let md = std::fs::metadata(path(&v))
                    .map_err(|e| Error::msg(msg("failed to get attributes of", &v, &e)))?;
                when = Some((
                    TimeSpec::new(md.atime(), md.atime_nsec()),
                    TimeSpec::new(md.mtime(), md.mtime_nsec()),
                ));
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        return Err(Error::usage("missing file operand"));
    }
    if !atime && !mtime {
        (atime, mtime) = (true, true);
    }
    let (a, m) = when.unwrap_or((TimeSpec::UTIME_NOW, TimeSpec::UTIME_NOW));
    let a = if atime { a } else { TimeSpec::UTIME_OMIT };
    let m = if mtime { m } else { TimeSpec::UTIME_OMIT };
    let flag = if follow {
        UtimensatFlags::FollowSymlink
    } else {
        UtimensatFlags::NoFollowSymlink
    };
    for f in &files {
        // `-` is the file open on standard output (GNU).
        if f == b"-" {
            let Some(fd) = ctx.stdout.raw_fd() else {
                ctx.warn_msg(b"setting times of '-': Bad file descriptor");
                continue;
            };
            // SAFETY: fd 1 (or the context's stdout fd) stays open for this whole call.
            let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
            if let Err(e) = nix::sys::stat::futimens(fd, &a, &m) {
                ctx.warn_msg(&msg("setting times of", f, &errno(e)));
            }
            continue;
        }
        let r = utimensat(AT_FDCWD, f.as_slice(), &a, &m, flag);
        match r {
            Ok(()) => {}
            Err(nix::errno::Errno::ENOENT) if !create => {}
            Err(nix::errno::Errno::ENOENT) if follow => {
                let opened = std::fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .mode(0o666)
                    .open(path(f));
                match opened {
                    Ok(file) => {
                        if let Err(e) = nix::sys::stat::futimens(&file, &a, &m) {
                            ctx.warn_msg(&msg("setting times of", f, &errno(e)));
                        }
                    }
                    Err(e) => ctx.warn_msg(&msg("cannot touch", f, &e)),
                }
            }
            Err(e) => ctx.warn_msg(&msg("cannot touch", f, &errno(e))),
        }
    }
    Ok(())
}

fn bad_date(v: &[u8]) -> Error {
    Error::msg(format!(
        "invalid date format '{}'",
        String::from_utf8_lossy(v)
    ))
}

fn now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(_) => (0, 0),
    }
}

fn spec(secs: i64, nanos: u32) -> TimeSpec {
    TimeSpec::new(secs, i64::from(nanos))
}

/// `-d`: the date strings `date -d` understands.
fn parse_d(ctx: &Ctx<'_>, v: &[u8]) -> Option<TimeSpec> {
    let tz = Tz::from_env(ctx.env);
    let (s, ns) = time::parse_date(v, now(), &tz)?;
    Some(spec(s, ns))
}

/// `-t [[CC]YY]MMDDhhmm[.ss]` in local time.
fn parse_t(ctx: &Ctx<'_>, v: &[u8]) -> Option<TimeSpec> {
    let (main, sec) = match v.iter().position(|&b| b == b'.') {
        Some(i) => (v.get(..i)?, Some(v.get(i + 1..)?)),
        None => (v, None),
    };
    let num = |b: &[u8]| -> Option<i64> {
        if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(b).ok()?.parse().ok()
    };
    let sec = match sec {
        Some(s) if s.len() == 2 => num(s)?,
        Some(_) => return None,
        None => 0,
    };
    if !main.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let tail = main.len().checked_sub(8)?;
    let year = match tail {
        0 => {
            let tz = Tz::from_env(ctx.env);
            time::localtime(now().0, &tz).year
        }
        2 => {
            let yy = num(main.get(..2)?)?;
            if yy < 69 { 2000 + yy } else { 1900 + yy }
        }
        4 => num(main.get(..4)?)?,
        _ => return None,
    };
    let f = |i: usize| num(main.get(tail + i..tail + i + 2)?);
    let c = Civil {
        year,
        mon: f(0)?,
        mday: f(2)?,
        hour: f(4)?,
        min: f(6)?,
        sec,
    };
    if !(1..=12).contains(&c.mon)
        || !(1..=31).contains(&c.mday)
        || c.hour > 23
        || c.min > 59
        || c.sec > 60
    {
        return None;
    }
    let tz = Tz::from_env(ctx.env);
    Some(spec(time::mktime(&c, &tz)?, 0))
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn creates_and_sets_times() {
        let d = temp_dir("touch");
        let f = d.join("f");
        let fs = f.to_str().unwrap();
        assert_eq!(run("touch", &[fs], b"").status, 0);
        assert!(f.is_file());
        let r = run("touch", &["-d", "2001-02-03 04:05:06Z", fs], b"");
        assert_eq!(r.status, 0, "{}", r.err());
        let md = std::fs::metadata(&f).unwrap();
        assert_eq!((md.mtime(), md.atime()), (981173106, 981173106));
        run("touch", &["-m", "-d", "@1000", fs], b"");
        let md = std::fs::metadata(&f).unwrap();
        assert_eq!((md.mtime(), md.atime()), (1000, 981173106));
        run("touch", &["-a", "-d", "@2000", fs], b"");
        let md = std::fs::metadata(&f).unwrap();
        assert_eq!((md.mtime(), md.atime()), (1000, 2000));
        let g = d.join("g");
        let gs = g.to_str().unwrap();
        run("touch", &["-r", fs, gs], b"");
        let md = std::fs::metadata(&g).unwrap();
        assert_eq!((md.mtime(), md.atime()), (1000, 2000));
        // -t in the zone TZ says; the test env has none, so UTC.
        run("touch", &["-t", "200102030405.06", gs], b"");
        assert_eq!(std::fs::metadata(&g).unwrap().mtime(), 981173106);
        run("touch", &["-t", "0102030405", gs], b"");
        assert_eq!(std::fs::metadata(&g).unwrap().mtime(), 981173100);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn errors() {
        let d = temp_dir("touch-err");
        let nope = d.join("nope");
        let ns = nope.to_str().unwrap();
        assert_eq!(run("touch", &["-c", ns], b"").status, 0);
        assert!(!nope.exists());
        let deep = d.join("no/x");
        let r = run("touch", &[deep.to_str().unwrap()], b"");
        assert_eq!(
            r.err(),
            format!(
                "touch: cannot touch '{}': No such file or directory\n",
                deep.display()
            )
        );
        let r = run("touch", &["-d", "garbage", ns], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "touch: invalid date format 'garbage'\n".to_string())
        );
        for bad in ["99", "201301011299", "1301011200.5", "13x1011200"] {
            assert_eq!(run("touch", &["-t", bad, ns], b"").status, 1, "{bad}");
        }
        let r = run("touch", &["-r", ns, ns], b"");
        assert_eq!(
            r.err(),
            format!("touch: failed to get attributes of '{ns}': No such file or directory\n")
        );
        assert_eq!(run("touch", &[], b"").status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
