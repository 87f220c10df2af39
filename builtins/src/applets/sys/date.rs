//! `date`: print or set the system date and time.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

use crate::common::time::{self, Civil, Tz};
use crate::prelude::*;

/// The `date` applet.
pub const APPLET: Applet = Applet::new("date", main, Run::InProc)
    .usage("[-uR] [-I[FMT]] [-d STRING | -f FILE | -r FILE | -s STRING] [+FORMAT | MMDDhhmm[[CC]YY][.ss]]")
    .help(
        "Print the date and time in FORMAT, or set the system date.\n\n\
         -d STR\tShow the time STR describes, not now\n\
         -f FILE\tLike -d for each line of FILE\n\
         -r FILE\tShow the last modification time of FILE\n\
         -s STR\tSet the time to STR\n\
         -u\tUse UTC\n\
         -R\tRFC 5322 format (Mon, 14 Aug 2006 02:34:56 -0600)\n\
         -I[FMT]\tISO 8601; FMT is date (default), hours, minutes, seconds or ns\n\
         --rfc-3339=FMT\tRFC 3339; FMT is date, seconds or ns\n\n\
         STR: @SECONDS, YYYY-MM-DD [HH:MM[:SS[.N]]], ISO 8601 with T and Z/+HH:MM,\n\
         MM/DD/YYYY, 'D MONTH YYYY', now, today, yesterday, tomorrow, midnight, noon,\n\
         '[+-]N UNIT [ago]', 'next|last UNIT', '[next|last] WEEKDAY'.\n\
         FORMAT: strftime conversions with GNU's flags (- _ 0 ^ #), widths, %N, %:z.",
    );

const LONGS: &[&str] = &[
    "date",
    "file",
    "iso-8601",
    "reference",
    "rfc-email",
    "rfc-2822",
    "rfc-822",
    "rfc-3339",
    "set",
    "utc",
    "universal",
    "debug",
];

const DEFAULT_FORMAT: &[u8] = b"%a %b %e %H:%M:%S %Z %Y";

/// Where the time to show comes from.
enum Source {
    Now,
    Date(Vec<u8>),
    File(Vec<u8>),
    Reference(Vec<u8>),
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut source = Source::Now;
    let mut set: Option<Vec<u8>> = None;
    let mut format: Option<Vec<u8>> = None;
    let mut utc = false;
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    let pick_source = |source: &mut Source, s: Source| -> Result<(), Error> {
        if !matches!(source, Source::Now) {
            return Err(Error::usage(
                "the options to specify dates for printing are mutually exclusive",
            ));
        }
        *source = s;
        Ok(())
    };
    let pick_format = |format: &mut Option<Vec<u8>>, f: &[u8]| -> Result<(), Error> {
        if format.is_some() {
            return Err(Error::msg("multiple output formats specified"));
        }
        *format = Some(f.to_vec());
        Ok(())
    };
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('d') | Arg::Long("date") => {
                pick_source(&mut source, Source::Date(opts.value()?))?;
            }
            Arg::Short('f') | Arg::Long("file") => {
                pick_source(&mut source, Source::File(opts.value()?))?;
            }
            Arg::Short('r') | Arg::Long("reference") => {
                pick_source(&mut source, Source::Reference(opts.value()?))?;
            }
            Arg::Short('s') | Arg::Long("set") => set = Some(opts.value()?),
            Arg::Short('u') | Arg::Long("utc" | "universal") => utc = true,
            Arg::Short('R') | Arg::Long("rfc-email" | "rfc-2822" | "rfc-822") => {
                pick_format(&mut format, b"%a, %d %b %Y %H:%M:%S %z")?;
            }
            Arg::Short('I') | Arg::Long("iso-8601") => {
                let which = match opts.optional_value() {
                    None => "date",
                    Some(v) => pick_word(
                        &v,
                        &["hours", "minutes", "date", "seconds", "ns"],
                        "--iso-8601",
                    )?,
                };
                let f: &[u8] = match which {
                    "hours" => b"%Y-%m-%dT%H%:z",
                    "minutes" => b"%Y-%m-%dT%H:%M%:z",
                    "seconds" => b"%Y-%m-%dT%H:%M:%S%:z",
                    "ns" => b"%Y-%m-%dT%H:%M:%S,%N%:z",
                    _ => b"%Y-%m-%d",
                };
                pick_format(&mut format, f)?;
            }
            Arg::Long("rfc-3339") => {
                let v = opts.value()?;
                let f: &[u8] = match pick_word(&v, &["date", "seconds", "ns"], "--rfc-3339")? {
                    "seconds" => b"%Y-%m-%d %H:%M:%S%:z",
                    "ns" => b"%Y-%m-%d %H:%M:%S.%N%:z",
                    _ => b"%Y-%m-%d",
                };
                pick_format(&mut format, f)?;
            }
            Arg::Long("debug") => {}
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let mut set_operand = None;
    match operands.as_slice() {
        [] => {}
        [one] if one.starts_with(b"+") => pick_format(&mut format, &one[1..])?,
        [one] if matches!(source, Source::Now) && set.is_none() => set_operand = Some(one.clone()),
        [one] => {
            return Err(Error::usage(format!(
                "the argument '{}' lacks a leading '+';\n\
                 when using an option to specify date(s), any non-option\n\
                 argument must be a format string beginning with '+'",
                String::from_utf8_lossy(one)
            )));
        }
        [_, extra, ..] => return Err(opts.unexpected(&Arg::Value(extra.clone()))),
    }
    if set.is_some() && !matches!(source, Source::Now) {
        return Err(Error::usage(
            "the options to print and set the time may not be used together",
        ));
    }
    let tz = if utc {
        Tz::utc()
    } else {
        Tz::from_env(ctx.env)
    };
    let format = format.unwrap_or_else(|| DEFAULT_FORMAT.to_vec());
    let now = now();

    let when = if let Some(s) = set {
        let t = time::parse_date(&s, now, &tz).ok_or_else(|| invalid_date(&s))?;
        set_clock(ctx, t);
        t
    } else if let Some(s) = set_operand {
        let t = parse_posix_set(&s, now, &tz).ok_or_else(|| invalid_date(&s))?;
        set_clock(ctx, t);
        t
    } else {
        match source {
            Source::Now => now,
            Source::Date(s) => time::parse_date(&s, now, &tz).ok_or_else(|| invalid_date(&s))?,
            Source::Reference(path) => {
                let md = std::fs::metadata(OsStr::from_bytes(&path))
                    .map_err(|e| Error::io(&path, &e))?;
                (md.mtime(), md.mtime_nsec().clamp(0, 999_999_999) as u32)
            }
            Source::File(path) => return date_file(ctx, &path, now, &tz, &format),
        }
    };
    show(ctx, when, &tz, &format)
}

/// Matches `v` against `words` as argmatch does (exact, or a unique prefix).
fn pick_word(v: &[u8], words: &[&'static str], option: &str) -> Result<&'static str, Error> {
    if let Some(w) = words.iter().find(|w| w.as_bytes() == v) {
        return Ok(w);
    }
    let matches: Vec<&&str> = words
        .iter()
        .filter(|w| !v.is_empty() && w.as_bytes().starts_with(v))
        .collect();
    if let [one] = matches.as_slice() {
        return Ok(one);
    }
    let kind = if matches.is_empty() {
        "invalid"
    } else {
        "ambiguous"
    };
    let mut msg = format!(
        "{kind} argument '{}' for '{option}'\nValid arguments are:",
        String::from_utf8_lossy(v)
    );
    for w in words {
        msg.push_str(&format!("\n  - '{w}'"));
    }
    Err(Error::usage(msg))
}

fn invalid_date(s: &[u8]) -> Error {
    Error::msg(format!("invalid date '{}'", String::from_utf8_lossy(s)))
}

/// The current time as (seconds, nanoseconds) since the epoch.
fn now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let (s, n) = (-(d.as_secs() as i64), d.subsec_nanos());
            if n == 0 {
                (s, 0)
            } else {
                (s - 1, 1_000_000_000 - n)
            }
        }
    }
}

fn show(ctx: &mut Ctx<'_>, t: (i64, u32), tz: &Tz, format: &[u8]) -> Result<(), Error> {
    let mut tm = time::localtime(t.0, tz);
    tm.nsec = t.1;
    // GNU's limit: years a C `int tm_year` holds.
    let years = i64::from(i32::MIN) + 1900..=i64::from(i32::MAX) + 1900;
    if !years.contains(&tm.year) {
        return Err(Error::msg(format!("time '{}' is out of range", t.0)));
    }
    let mut line = time::strftime(format, &tm);
    line.push(b'\n');
    ctx.stdout.write_all(&line)?;
    Ok(())
}

/// `date -f FILE`: each line is a date string; bad lines are reported and skipped.
fn date_file(
    ctx: &mut Ctx<'_>,
    path: &[u8],
    now: (i64, u32),
    tz: &Tz,
    format: &[u8],
) -> Result<(), Error> {
    let data = if path == b"-" {
        let mut v = Vec::new();
        ctx.stdin.read_to_end(&mut v)?;
        v
    } else {
        std::fs::read(OsStr::from_bytes(path)).map_err(|e| Error::io(path, &e))?
    };
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") {
        lines.pop();
    }
    for line in lines {
        match time::parse_date(line, now, tz) {
            Some(t) => show(ctx, t, tz, format)?,
            None => {
                let msg = invalid_date(line).message;
                ctx.warn_msg(&msg);
            }
        }
    }
    Ok(())
}

/// The POSIX operand `MMDDhhmm[[CC]YY][.ss]` as a local time in `tz`.
fn parse_posix_set(s: &[u8], now: (i64, u32), tz: &Tz) -> Option<(i64, u32)> {
    let (main, secs) = match s.iter().position(|&b| b == b'.') {
        Some(p) => (s.get(..p)?, Some(s.get(p + 1..)?)),
        None => (s, None),
    };
    let all_digits = |d: &[u8]| !d.is_empty() && d.iter().all(u8::is_ascii_digit);
    if !all_digits(main) || !matches!(main.len(), 8 | 10 | 12) {
        return None;
    }
    let n = |i: usize| -> i64 {
        main.get(i..i + 2)
            .map_or(0, |d| i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
    };
    let cur = time::localtime(now.0, tz);
    let year = match main.len() {
        12 => n(8) * 100 + n(10),
        10 if n(8) < 69 => 2000 + n(8),
        10 => 1900 + n(8),
        _ => cur.year,
    };
    let sec = match secs {
        Some(d) if d.len() == 2 && all_digits(d) => {
            i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0')
        }
        Some(_) => return None,
        None => 0,
    };
    let c = Civil {
        year,
        mon: n(0),
        mday: n(2),
        hour: n(4),
        min: n(6),
        sec,
    };
    let valid = (1..=12).contains(&c.mon)
        && c.mday >= 1
        && c.mday <= i64::from(time::days_in_month(year, c.mon as u32))
        && c.hour < 24
        && c.min < 60
        && c.sec <= 60;
    if !valid {
        return None;
    }
    Some((time::mktime(&c, tz)?, 0))
}

/// Sets the system clock; a failure is reported (and the date still printed), as GNU does.
fn set_clock(ctx: &mut Ctx<'_>, t: (i64, u32)) {
    use nix::sys::time::TimeSpec;
    let ts = TimeSpec::new(t.0, i64::from(t.1));
    if let Err(e) = nix::time::clock_settime(nix::time::ClockId::CLOCK_REALTIME, ts) {
        let err = std::io::Error::from_raw_os_error(e as i32);
        ctx.warn(b"cannot set date", &err);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::{EnvList, Input, Output, Spawn};
    use crate::testing::run;

    struct NoSpawn;
    impl Spawn for NoSpawn {
        fn run(&self, _: &[Vec<u8>], _: &[(Vec<u8>, Vec<u8>)]) -> std::io::Result<u8> {
            Err(std::io::Error::other("no spawn"))
        }
    }

    /// Runs date with `TZ` set: (status, stdout, stderr).
    fn run_tz(tz: &str, args: &[&str]) -> (u8, String, String) {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let env = EnvList(vec![(b"TZ".to_vec(), tz.as_bytes().to_vec())]);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = {
            let mut ctx = Ctx {
                applet: &APPLET,
                args: &args,
                stdin: Input::mem(b""),
                stdout: Output::mem(&mut out),
                stderr: Output::mem(&mut err),
                env: &env,
                spawn: &NoSpawn,
                intr: &|| false,
                status: 0,
            };
            crate::run::run(&mut ctx)
        };
        (
            status,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[allow(clippy::disallowed_macros)] // a test's skip notice
    fn have_zoneinfo() -> bool {
        let ok = std::path::Path::new("/usr/share/zoneinfo/America/New_York").exists()
            && std::path::Path::new("/usr/share/zoneinfo/Europe/Berlin").exists();
        if !ok {
            eprintln!("skipping: /usr/share/zoneinfo is missing");
        }
        ok
    }

    #[test]
    fn posix_set_operand_parses() {
        let tz = Tz::utc();
        let now = (1_700_000_000, 0);
        assert_eq!(
            parse_posix_set(b"010203042001.05", now, &tz),
            Some((978_404_645, 0))
        );
        assert_eq!(
            parse_posix_set(b"01020304", now, &tz),
            Some((1_672_628_640, 0))
        );
        assert_eq!(
            parse_posix_set(b"0102030499", now, &tz).map(|t| t.0),
            Some(915_246_240)
        );
        assert_eq!(parse_posix_set(b"13020304", now, &tz), None);
        assert_eq!(parse_posix_set(b"0230030420", now, &tz), None);
        assert_eq!(parse_posix_set(b"01020304.5", now, &tz), None);
        assert_eq!(parse_posix_set(b"x", now, &tz), None);
    }

    #[test]
    fn option_errors() {
        let r = run("date", &["-R", "-I"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "date: multiple output formats specified\n".into())
        );
        let r = run("date", &["-d", "yesterday week", "x"], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().contains("lacks a leading '+'"), "{}", r.err());
        let r = run("date", &["-d", "1", "-s", "2"], b"");
        assert!(r.err().starts_with("date: the options to print and set"));
        let r = run("date", &["-Ix"], b"");
        assert!(
            r.err()
                .starts_with("date: invalid argument 'x' for '--iso-8601'\n")
        );
        let r = run("date", &["-d", "bogus"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "date: invalid date 'bogus'\n".into())
        );
        let r = run("date", &["-s", "bogus"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "date: invalid date 'bogus'\n".into())
        );
        let r = run("date", &["-r", "/nonexistent/x"], b"");
        assert_eq!(r.err(), "date: /nonexistent/x: No such file or directory\n");
        let r = run("date", &["-d", "@67768036191676800"], b"");
        assert_eq!(r.err(), "date: time '67768036191676800' is out of range\n");
        let r = run("date", &["+%s", "+%s"], b"");
        assert!(r.err().starts_with("date: extra operand '+%s'\n"));
    }

    #[test]
    fn output_formats() {
        let t = |args: &[&str]| run_tz("UTC0", args).1;
        assert_eq!(t(&["-d", "@1700000000"]), "Tue Nov 14 22:13:20 UTC 2023\n");
        assert_eq!(t(&["-R", "-d", "@0"]), "Thu, 01 Jan 1970 00:00:00 +0000\n");
        assert_eq!(t(&["-I", "-d", "@0"]), "1970-01-01\n");
        assert_eq!(t(&["-Ih", "-d", "@0"]), "1970-01-01T00+00:00\n");
        assert_eq!(t(&["-Iminutes", "-d", "@0"]), "1970-01-01T00:00+00:00\n");
        assert_eq!(
            t(&["--iso-8601=s", "-d", "@0"]),
            "1970-01-01T00:00:00+00:00\n"
        );
        assert_eq!(
            t(&["-Ins", "-d", "@1.5"]),
            "1970-01-01T00:00:01,500000000+00:00\n"
        );
        assert_eq!(
            t(&["--rfc-3339=ns", "-d", "@1.5"]),
            "1970-01-01 00:00:01.500000000+00:00\n"
        );
        assert_eq!(
            t(&["--rfc-3339=sec", "-d", "@0"]),
            "1970-01-01 00:00:00+00:00\n"
        );
        assert_eq!(t(&["--rfc-3339=date", "-d", "@0"]), "1970-01-01\n");
        assert_eq!(run_tz("EST5", &["-u", "-d", "@0", "+%H %Z"]).1, "00 UTC\n");
    }

    /// (epoch, TZ, format, GNU date's output), checked with `TZ=.. date -d @N +FMT`.
    const TABLE: &[(i64, &str, &str, &str)] = &[
        (
            0,
            "UTC0",
            "%a %A %b %B %c",
            "Thu Thursday Jan January Thu Jan  1 00:00:00 1970",
        ),
        (
            0,
            "UTC0",
            "%C %d %D %e %F %g %G %h",
            "19 01 01/01/70  1 1970-01-01 70 1970 Jan",
        ),
        (
            0,
            "UTC0",
            "%H %I %j %k %l %m %M %p %P",
            "00 12 001  0 12 01 00 AM am",
        ),
        (
            0,
            "UTC0",
            "%r %R %s %S %T %u %U %V %w %W",
            "12:00:00 AM 00:00 0 00 00:00:00 4 00 01 4 00",
        ),
        (
            0,
            "UTC0",
            "%x %X %y %Y %z %:z %::z %:::z %Z %%",
            "01/01/70 00:00:00 70 1970 +0000 +00:00 +00:00:00 +00 UTC %",
        ),
        (0, "UTC0", "%n%t|", "\n\t|"),
        (-1, "UTC0", "%F %T %s", "1969-12-31 23:59:59 -1"),
        (
            -86_401,
            "UTC0",
            "%F %T %a %j",
            "1969-12-30 23:59:59 Tue 364",
        ),
        (
            -2_208_988_800,
            "UTC0",
            "%F %a %U %W %V",
            "1900-01-01 Mon 00 01 01",
        ),
        (-62_135_596_800, "UTC0", "%F %a", "0001-01-01 Mon"),
        (951_782_400, "UTC0", "%F %j %a", "2000-02-29 060 Tue"),
        (4_107_542_399, "UTC0", "%F %T %j", "2100-02-28 23:59:59 059"),
        (4_107_542_400, "UTC0", "%F %j", "2100-03-01 060"),
        (2_147_483_647, "UTC0", "%F %T", "2038-01-19 03:14:07"),
        (2_147_483_648, "UTC0", "%F %T", "2038-01-19 03:14:08"),
        (
            253_402_300_800,
            "UTC0",
            "%F %Y %C %y",
            "+10000-01-01 10000 100 00",
        ),
        // ISO weeks around new year.
        (
            1_104_451_200,
            "UTC0",
            "%F %a %G-%V %g %U %W",
            "2004-12-31 Fri 2004-53 04 52 52",
        ),
        (
            1_104_537_600,
            "UTC0",
            "%F %a %G-%V %g %U %W",
            "2005-01-01 Sat 2004-53 04 00 00",
        ),
        (
            1_104_710_400,
            "UTC0",
            "%F %a %G-%V %U %W",
            "2005-01-03 Mon 2005-01 01 01",
        ),
        (
            1_230_681_600,
            "UTC0",
            "%F %a %G-%V",
            "2008-12-31 Wed 2009-01",
        ),
        (
            1_262_217_600,
            "UTC0",
            "%F %a %G-%V",
            "2009-12-31 Thu 2009-53",
        ),
        (
            1_293_753_600,
            "UTC0",
            "%F %a %G-%V",
            "2010-12-31 Fri 2010-52",
        ),
        (
            1_704_067_200,
            "UTC0",
            "%F %a %G-%V %U %W",
            "2024-01-01 Mon 2024-01 00 01",
        ),
        (
            1_735_603_200,
            "UTC0",
            "%F %a %G-%V",
            "2024-12-31 Tue 2025-01",
        ),
        // Flags and widths.
        (
            1_700_000_000,
            "UTC0",
            "%-d|%_H|%-H|%_m|%-j|%_j|%3N|%e",
            "14|22|22|11|318|318|000|14",
        ),
        (
            1_700_000_000,
            "UTC0",
            "%^A|%^b|%#b|%#Z|%^Z|%10B|%-10B|%_10B",
            "TUESDAY|NOV|NOV|utc|UTC|  November|November|  November",
        ),
        (1_700_000_000, "UTC0", "%I %l %p %r", "10 10 PM 10:13:20 PM"),
        (
            1_700_000_000,
            "UTC0",
            "%8F|%12T|%_3d|%03e|%q",
            "2023-11-14|    22:13:20| 14|014|4",
        ),
        // POSIX TZ strings.
        (
            1_700_000_000,
            "EST5EDT,M3.2.0,M11.1.0",
            "%F %T %Z %z",
            "2023-11-14 17:13:20 EST -0500",
        ),
        (
            1_690_000_000,
            "EST5EDT,M3.2.0,M11.1.0",
            "%F %T %Z %z",
            "2023-07-22 00:26:40 EDT -0400",
        ),
        (
            1_700_000_000,
            "<+0530>-5:30",
            "%T %Z %z %:z %:::z",
            "03:43:20 +0530 +0530 +05:30 +05:30",
        ),
        (
            1_700_000_000,
            "JST-9",
            "%F %T %Z",
            "2023-11-15 07:13:20 JST",
        ),
        (0, "NST3:30", "%T %z %:::z", "20:30:00 -0330 -03:30"),
        (0, "XYZ0:30", "%z %:z", "-0030 -00:30"),
        (1_700_000_000, "", "%T %Z", "22:13:20 UTC"),
        // glibc applies POSIX rules from 1970 on only.
        (
            -799_948_340,
            "EST5EDT,M3.2.0,M11.1.0",
            "%T %Z",
            "03:07:40 EST",
        ),
        (
            -298_345_371,
            "CET-1CEST,M3.5.0,M10.5.0/3",
            "%T %Z",
            "23:17:09 CET",
        ),
        (
            -298_345_371,
            "AEST-10AEDT,M10.1.0,M4.1.0/3",
            "%T %Z",
            "09:17:09 AEDT",
        ),
        (
            1_704_067_200,
            "AEST-10AEDT,M10.1.0,M4.1.0/3",
            "%T %Z",
            "11:00:00 AEDT",
        ),
        (1_700_000_000, "Foo/Bar", "%T %Z", "22:13:20 Foo"),
    ];

    #[test]
    fn conversion_table() {
        for (epoch, tz, fmt, want) in TABLE {
            let arg = format!("@{epoch}");
            let got = run_tz(tz, &["-d", &arg, &format!("+{fmt}")]);
            assert_eq!(
                got,
                (0, format!("{want}\n"), String::new()),
                "{epoch} {tz} {fmt}"
            );
        }
    }

    /// Zone-file cases: DST transitions in New York and Berlin, historical offsets.
    const ZONES: &[(i64, &str, &str)] = &[
        (
            1_678_604_399,
            "America/New_York",
            "2023-03-12 01:59:59 EST -0500",
        ),
        (
            1_678_604_400,
            "America/New_York",
            "2023-03-12 03:00:00 EDT -0400",
        ),
        (
            1_699_163_999,
            "America/New_York",
            "2023-11-05 01:59:59 EDT -0400",
        ),
        (
            1_699_164_000,
            "America/New_York",
            "2023-11-05 01:00:00 EST -0500",
        ),
        (-1, "America/New_York", "1969-12-31 18:59:59 EST -0500"),
        (
            -2_000_000_000,
            "America/New_York",
            "1906-08-16 15:26:40 EST -0500",
        ),
        (
            -3_000_000_000,
            "America/New_York",
            "1874-12-07 13:43:58 LMT -0456",
        ),
        (
            4_102_444_800,
            "America/New_York",
            "2099-12-31 19:00:00 EST -0500",
        ),
        (
            4_118_000_000,
            "America/New_York",
            "2100-06-29 20:53:20 EDT -0400",
        ),
        (
            1_679_792_399,
            "Europe/Berlin",
            "2023-03-26 01:59:59 CET +0100",
        ),
        (
            1_679_792_400,
            "Europe/Berlin",
            "2023-03-26 03:00:00 CEST +0200",
        ),
        (
            1_698_541_199,
            "Europe/Berlin",
            "2023-10-29 02:59:59 CEST +0200",
        ),
        (
            1_698_541_200,
            "Europe/Berlin",
            "2023-10-29 02:00:00 CET +0100",
        ),
        (
            -800_000_000,
            "Europe/Berlin",
            "1944-08-25 19:46:40 CEST +0200",
        ),
        (
            3_000_000_000,
            "Europe/Berlin",
            "2065-01-24 06:20:00 CET +0100",
        ),
        (
            1_700_000_000,
            "Asia/Kolkata",
            "2023-11-15 03:43:20 IST +0530",
        ),
        (
            1_700_000_000,
            "Australia/Sydney",
            "2023-11-15 09:13:20 AEDT +1100",
        ),
        (
            1_700_000_000,
            ":America/Sao_Paulo",
            "2023-11-14 19:13:20 -03 -0300",
        ),
    ];

    #[test]
    fn zone_files() {
        if !have_zoneinfo() {
            return;
        }
        for (epoch, tz, want) in ZONES {
            let arg = format!("@{epoch}");
            let got = run_tz(tz, &["-d", &arg, "+%F %T %Z %z"]);
            assert_eq!(got, (0, format!("{want}\n"), String::new()), "{epoch} {tz}");
        }
    }

    /// `-d 'TZ="Area/City" ...'`: the date is read in that zone and shown in `TZ`'s
    /// (outputs from GNU date 9.1).
    #[test]
    fn tz_prefix_in_date_strings() {
        if !have_zoneinfo() {
            return;
        }
        let cases = [
            (
                "UTC",
                r#"TZ="America/New_York" 2020-07-01 12:00"#,
                "Wed Jul  1 16:00:00 UTC 2020",
            ),
            (
                "UTC",
                r#"TZ="Europe/Berlin" 2020-01-01"#,
                "Tue Dec 31 23:00:00 UTC 2019",
            ),
            (
                "Europe/Berlin",
                r#"TZ="America/New_York" 2020-01-01 09:00"#,
                "Wed Jan  1 15:00:00 CET 2020",
            ),
            (
                "UTC",
                r#"TZ="Foo/Bar" 2020-01-01 00:00"#,
                "Wed Jan  1 00:00:00 UTC 2020",
            ),
        ];
        for (tz, arg, want) in cases {
            let got = run_tz(tz, &["-d", arg]);
            assert_eq!(got, (0, format!("{want}\n"), String::new()), "{tz} {arg}");
        }
        let got = run_tz("UTC", &["-d", r#"TZ="America/New_York" 2020-03-08 02:30"#]);
        assert_eq!(got.0, 1, "a time in the DST gap is invalid there: {got:?}");
        let got = run_tz("UTC", &["-d", r#"TZ="Europe/Berlin 2020-01-01"#]);
        assert_eq!(got.0, 1, "{got:?}");
    }

    /// (TZ, -d string, GNU's `+%F %T %z`); the relative ones are fixed by an absolute date.
    const STRINGS: &[(&str, &str, &str)] = &[
        ("UTC0", "2020-02-29", "2020-02-29 00:00:00 +0000"),
        ("UTC0", "2020-02-29 13:14", "2020-02-29 13:14:00 +0000"),
        ("UTC0", "2020-02-29 13:14:15.5", "2020-02-29 13:14:15 +0000"),
        ("UTC0", "2020-02-29T13:14:15Z", "2020-02-29 13:14:15 +0000"),
        (
            "UTC0",
            "2020-02-29T13:14:15+05:30",
            "2020-02-29 07:44:15 +0000",
        ),
        (
            "UTC0",
            "2020-02-29 13:14:15 -0800",
            "2020-02-29 21:14:15 +0000",
        ),
        (
            "America/New_York",
            "2020-07-01 12:00",
            "2020-07-01 12:00:00 -0400",
        ),
        (
            "America/New_York",
            "2020-07-01 12:00 UTC",
            "2020-07-01 08:00:00 -0400",
        ),
        (
            "America/New_York",
            "2023-11-05 01:30",
            "2023-11-05 01:30:00 -0400",
        ),
        (
            "America/New_York",
            "2023-03-11 12:00 1 day",
            "2023-03-12 12:00:00 -0400",
        ),
        (
            "America/New_York",
            "2023-03-11 12:00 24 hours",
            "2023-03-12 13:00:00 -0400",
        ),
        (
            "America/New_York",
            "2023-03-11 12:00 +1 day",
            "2023-03-12 07:00:00 -0400",
        ),
        ("UTC0", "2020-01-31 +1 month", "2020-03-02 00:00:00 +0000"),
        ("UTC0", "2020-02-29 1 year ago", "2019-03-01 00:00:00 +0000"),
        ("UTC0", "2020-03-01 -1 day", "2020-02-29 00:00:00 +0000"),
        (
            "UTC0",
            "2020-03-01 2 weeks ago",
            "2020-02-16 00:00:00 +0000",
        ),
        (
            "UTC0",
            "2020-03-01 10:00 next hour",
            "2020-03-01 11:00:00 +0000",
        ),
        ("UTC0", "12/25/2021", "2021-12-25 00:00:00 +0000"),
        ("UTC0", "25 Dec 2021 5:06pm", "2021-12-25 17:06:00 +0000"),
        ("UTC0", "Dec 25, 2021 12:00am", "2021-12-25 00:00:00 +0000"),
        ("UTC0", "20211225", "2021-12-25 00:00:00 +0000"),
        ("UTC0", "@-1.5", "1969-12-31 23:59:58 +0000"),
        (
            "UTC0",
            "@67768036191676799",
            "+2147485547-12-31 23:59:59 +0000",
        ),
        ("UTC0", "2020-01-01 1230", "2020-01-01 12:30:00 +0000"),
        ("UTC0", "2020-01-01 12", "2020-01-01 12:00:00 +0000"),
        ("UTC0", "sept 3 2020", "2020-09-03 00:00:00 +0000"),
        ("UTC0", "2020-01-01 12:00 pm", "2020-01-01 12:00:00 +0000"),
        ("UTC0", "2020-01-01 12am", "2020-01-01 00:00:00 +0000"),
        ("UTC0", "2020-01-01 1pm", "2020-01-01 13:00:00 +0000"),
        ("UTC0", "2020-12-01T10:00", "2020-12-01 10:00:00 +0000"),
        (
            "America/New_York",
            "2023-03-11 12:00 UTC +1 day",
            "2023-03-12 08:00:00 -0400",
        ),
    ];

    #[test]
    fn date_strings() {
        if !have_zoneinfo() {
            return;
        }
        for (tz, s, want) in STRINGS {
            let got = run_tz(tz, &["-d", s, "+%F %T %z"]);
            assert_eq!(got, (0, format!("{want}\n"), String::new()), "{tz} {s}");
        }
        let r = run_tz("America/New_York", &["-d", "2023-03-12 02:30"]);
        assert_eq!(
            r,
            (
                1,
                String::new(),
                "date: invalid date '2023-03-12 02:30'\n".into()
            )
        );
        for bad in [
            "2020-02-30",
            "25:00",
            "13/01/2020",
            "1 fortnights ago ago",
            "@x",
            "10:00:60",
            "2020-12-01 24:00",
            "13pm",
        ] {
            assert_eq!(run_tz("UTC0", &["-d", bad]).0, 1, "{bad}");
        }
    }

    #[test]
    fn relative_to_now() {
        // Relative items against the real clock, compared with each other.
        let secs = |s: &str| -> i64 {
            run_tz("UTC0", &["-d", s, "+%s"])
                .1
                .trim()
                .parse()
                .unwrap_or(i64::MIN)
        };
        let today = secs("today 00:00");
        assert_eq!(secs(""), today);
        assert_eq!(secs("yesterday 00:00"), today - 86_400);
        assert_eq!(secs("tomorrow 00:00"), today + 86_400);
        assert_eq!(secs("midnight"), today);
        assert_eq!(secs("noon"), today + 43_200);
        let monday = secs("monday");
        let wday = (monday.div_euclid(86_400) + 4).rem_euclid(7);
        assert_eq!(wday, 1);
        assert!((today..today + 7 * 86_400).contains(&monday));
        let next = secs("next monday");
        assert!(next > today && next <= today + 7 * 86_400);
        let last = secs("last monday");
        assert!(last < today && last >= today - 7 * 86_400);
    }

    #[test]
    fn reference_file_and_date_file() {
        let dir = crate::testing::temp_dir("date");
        let f = dir.join("f");
        std::fs::write(&f, b"@0\nnope\n2001-02-03\n").unwrap();
        let path = f.to_str().unwrap();
        let (status, out, err) = run_tz("UTC0", &["-f", path, "+%F"]);
        assert_eq!(status, 1);
        assert_eq!(out, "1970-01-01\n2001-02-03\n");
        assert_eq!(err, "date: invalid date 'nope'\n");
        let (status, out, _) = run_tz("UTC0", &["-r", path, "+%Y"]);
        assert_eq!(status, 0);
        assert!(out.starts_with("20"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
