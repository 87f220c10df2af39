//! `dmesg`: print or control the kernel log through syslog(2) (`klogctl`), with
//! util-linux's default layout (`[    0.000000] text`, level prefixes dropped, unprintable
//! bytes as `\xNN`) and messages, and BusyBox's `-s SIZE`.

use crate::error::strerror;
use crate::prelude::*;

/// The `dmesg` applet.
pub const APPLET: Applet = Applet::new("dmesg", main, Run::Fork)
    .usage("[-c | -C] [-r | -t | -x] [-l LEVELS] [-f FACILITIES] [-k] [-u] [-D | -E] [-n LEVEL] [-s SIZE]")
    .help(
        "Print the kernel ring buffer.\n\n\
         -r\t\tRaw records, with their <N> level prefixes\n\
         -t\t\tNo timestamps\n\
         -x\t\tShow facility and level (kern  :info  : )\n\
         -l LIST\t\tOnly these levels (emerg..debug or 0-7, comma-separated)\n\
         -f LIST\t\tOnly these facilities (kern, user, daemon... or numbers)\n\
         -k, -u\t\tKernel messages only; userspace messages (added to -f)\n\
         -c\t\tClear the buffer after printing it\n\
         -C\t\tClear the buffer, print nothing\n\
         -D, -E\t\tStop or resume printing messages to the console\n\
         -n LEVEL\tSet the console level: 1-8 or a name (emerg..debug)\n\
         -s SIZE\t\tRead at most SIZE bytes (4096 or more): the newest whole records\n\
         -S\t\tRead through syslog(2) (always the case here)",
    );

const LONGS: &[&str] = &[
    "raw",
    "decode",
    "level",
    "facility",
    "kernel",
    "userspace",
    "notime",
    "read-clear",
    "clear",
    "console-off",
    "console-on",
    "console-level",
    "buffer-size",
    "syslog",
    "nopager",
    "help",
];

// syslog(2) actions.
const READ_ALL: i32 = 3;
const READ_CLEAR: i32 = 4;
const CLEAR: i32 = 5;
const CONSOLE_OFF: i32 = 6;
const CONSOLE_ON: i32 = 7;
const CONSOLE_LEVEL: i32 = 8;
const SIZE_BUFFER: i32 = 10;

/// The facility names, in facility order (util-linux's).
const FACILITIES: &[&str] = &[
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv",
    "ftp", "res0", "res1", "res2", "res3", "local0", "local1", "local2", "local3", "local4",
    "local5", "local6", "local7",
];

/// The level names, in level order (util-linux's).
const LEVELS: &[&str] = &[
    "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
];

/// What to do besides (or instead of) printing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Print,
    PrintClear,
    Clear,
    Console(i32, i32),
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut layout = Layout::default();
    let mut action = Action::Print;
    let mut size: Option<usize> = None;
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('r') | Arg::Long("raw") => layout.raw = true,
            Arg::Short('t') | Arg::Long("notime") => layout.notime = true,
            Arg::Short('x') | Arg::Long("decode") => layout.decode = true,
            Arg::Short('l') | Arg::Long("level") => {
                let v = opts.value()?;
                let mut set = layout.levels.unwrap_or(0);
                for item in list_items(&v, "level")? {
                    let n = level_number(item).ok_or_else(|| unknown("level", item))?;
                    set |= 1 << n;
                }
                layout.levels = Some(set);
            }
            Arg::Short('f') | Arg::Long("facility") => {
                let v = opts.value()?;
                let mut set = layout.facilities.unwrap_or(0);
                for item in list_items(&v, "facility")? {
                    let n = facility_number(item).ok_or_else(|| unknown("facility", item))?;
                    set |= 1 << n;
                }
                layout.facilities = Some(set);
            }
            Arg::Short('k') | Arg::Long("kernel") => {
                layout.facilities = Some(layout.facilities.unwrap_or(0) | 1);
            }
            Arg::Short('u') | Arg::Long("userspace") => {
                layout.facilities = Some(layout.facilities.unwrap_or(0) | !1);
            }
            Arg::Short('c') | Arg::Long("read-clear") => action = Action::PrintClear,
            Arg::Short('C') | Arg::Long("clear") => action = Action::Clear,
            Arg::Short('D') | Arg::Long("console-off") => action = Action::Console(CONSOLE_OFF, 0),
            Arg::Short('E') | Arg::Long("console-on") => action = Action::Console(CONSOLE_ON, 0),
            Arg::Short('n') | Arg::Long("console-level") => {
                let v = opts.value()?;
                let level = parse_level(&v).ok_or_else(|| {
                    Error::msg(format!("unknown level '{}'", String::from_utf8_lossy(&v)))
                })?;
                action = Action::Console(CONSOLE_LEVEL, level);
            }
            Arg::Short('s') | Arg::Long("buffer-size") => size = Some(parse_size(&opts.value()?)?),
            Arg::Short('S' | 'P') | Arg::Long("syslog" | "nopager") => {}
            other => return Err(opts.unexpected(&other)),
        }
    }
    if layout.raw && layout.notime {
        return Err(Error::msg("mutually exclusive arguments: --raw --notime"));
    }
    if layout.raw && layout.decode {
        return Err(Error::msg("mutually exclusive arguments: --raw --decode"));
    }
    match action {
        Action::Clear => {
            return klog(CLEAR, &mut [], 0)
                .map(drop)
                .map_err(|e| failed("clear kernel buffer failed", &e));
        }
        Action::Console(cmd, level) => {
            return klog(cmd, &mut [], level)
                .map(drop)
                .map_err(|e| failed("klogctl failed", &e));
        }
        Action::Print | Action::PrintClear => {}
    }
    let cmd = if action == Action::PrintClear {
        READ_CLEAR
    } else {
        READ_ALL
    };
    let buf = read_log(cmd, size).map_err(|e| failed("read kernel buffer failed", &e))?;
    let out = render(&buf, &layout);
    ctx.stdout.write_all(&out)?;
    Ok(())
}

fn failed(what: &str, e: &std::io::Error) -> Error {
    Error::msg(format!("{what}: {}", strerror(e)))
}

/// One syslog(2) call: `buf` is where READ actions put the log, `arg` the console level.
fn klog(cmd: i32, buf: &mut [u8], arg: i32) -> std::io::Result<usize> {
    let (ptr, len) = if buf.is_empty() {
        (std::ptr::null_mut(), arg)
    } else {
        (
            buf.as_mut_ptr().cast(),
            i32::try_from(buf.len()).unwrap_or(i32::MAX),
        )
    };
    // SAFETY: for the read actions the kernel writes at most `len` bytes at `ptr`, which
    // is `buf`'s live storage; the other actions ignore the pointer.
    let r = unsafe { libc::klogctl(cmd, ptr, len) };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(r as usize)
    }
}

/// The log's text: with a size, the newest whole records that fit it; without, all of
/// it (the buffer grows until the kernel no longer fills it).
fn read_log(cmd: i32, size: Option<usize>) -> std::io::Result<Vec<u8>> {
    if let Some(n) = size {
        let mut buf = vec![0u8; n + 8];
        let got = klog(cmd, &mut buf, 0)?;
        buf.truncate(got);
        return Ok(buf);
    }
    let hint = klog(SIZE_BUFFER, &mut [], 0).unwrap_or(0);
    let mut n = hint.max(16 * 1024) + 8;
    loop {
        let mut buf = vec![0u8; n];
        let got = klog(READ_ALL, &mut buf, 0)?;
        if got < n || n > 1 << 28 {
            if cmd == READ_CLEAR {
                // Read and clear in one call, as large as the read that fitted.
                let got = klog(READ_CLEAR, &mut buf, 0)?;
                buf.truncate(got);
            } else {
                buf.truncate(got);
            }
            return Ok(buf);
        }
        n *= 4;
    }
}

/// A `-s` size as util-linux takes it: a 32-bit unsigned decimal, raised to 4096.
fn parse_size(v: &[u8]) -> Result<usize, Error> {
    let text = String::from_utf8_lossy(v);
    let bad = |suffix: &str| Error::msg(format!("invalid buffer size argument: '{text}'{suffix}"));
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(""));
    }
    match text.parse::<i128>() {
        Ok(n) if (0..=i128::from(u32::MAX)).contains(&n) => Ok((n as usize).max(4096)),
        _ => Err(bad(": Numerical result out of range")),
    }
}

/// A console level: 1 to 8, or a level name (its number plus one, util-linux's rule).
fn parse_level(v: &[u8]) -> Option<i32> {
    let s = std::str::from_utf8(v).ok()?;
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return s.parse::<i32>().ok().filter(|n| (1..=8).contains(n));
    }
    LEVELS
        .iter()
        .position(|l| l.eq_ignore_ascii_case(s))
        .map(|i| i as i32 + 1)
}

/// How records are shown and which are.
#[derive(Default)]
struct Layout {
    /// Keep the `<N>` prefixes.
    raw: bool,
    /// Drop the `[seconds]` stamps.
    notime: bool,
    /// Show facility and level as `kern  :info  : `.
    decode: bool,
    /// Only these levels (bit N for level N).
    levels: Option<u8>,
    /// Only these facilities (bit N for facility N).
    facilities: Option<u32>,
}

/// The records of `buf` as `layout` wants them: without their `<N>` prefix unless raw
/// (and with `notime`, without their `[seconds]` stamp), filtered by level and
/// facility, unprintable bytes escaped, a final newline added if missing.
fn render(buf: &[u8], layout: &Layout) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf.len());
    for line in buf.split_inclusive(|&b| b == b'\n') {
        let (prio, mut text) = split_prio(line);
        let wanted = |set: Option<u32>, n: Option<u32>| {
            set.is_none_or(|set| n.is_some_and(|n| n < 32 && set & (1 << n) != 0))
        };
        if !wanted(layout.levels.map(u32::from), prio.map(|p| p & 7))
            || !wanted(layout.facilities, prio.map(|p| p >> 3))
        {
            continue;
        }
        if layout.raw {
            out.extend_from_slice(&escape(line));
            continue;
        }
        if layout.notime {
            text = strip_time(text);
        }
        if layout.decode
            && let Some(p) = prio
        {
            let fac = FACILITIES.get((p >> 3) as usize).copied().unwrap_or("");
            let lev = LEVELS[(p & 7) as usize];
            out.extend_from_slice(format!("{fac:<6}:{lev:<6}: ").as_bytes());
        }
        out.extend_from_slice(&escape(text));
    }
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out
}

/// The comma-separated items of a `-l`/`-f` list; an empty item is an error.
fn list_items<'a>(v: &'a [u8], what: &str) -> Result<Vec<&'a [u8]>, Error> {
    let items: Vec<&[u8]> = v.split(|&b| b == b',').collect();
    if items.iter().any(|i| i.is_empty()) {
        return Err(unknown(what, v));
    }
    Ok(items)
}

fn unknown(what: &str, v: &[u8]) -> Error {
    Error::msg(format!("unknown {what} '{}'", String::from_utf8_lossy(v)))
}

/// A `-l` level: 0 to 7 or a name.
fn level_number(v: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(v).ok()?;
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return s.parse::<u32>().ok().filter(|n| *n < 8);
    }
    LEVELS
        .iter()
        .position(|l| l.eq_ignore_ascii_case(s))
        .map(|i| i as u32)
}

/// A `-f` facility: a number below 24 or a name.
fn facility_number(v: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(v).ok()?;
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return s
            .parse::<u32>()
            .ok()
            .filter(|n| (*n as usize) < FACILITIES.len());
    }
    FACILITIES
        .iter()
        .position(|l| l.eq_ignore_ascii_case(s))
        .map(|i| i as u32)
}

/// The priority of a leading `<digits>` and the line after it.
fn split_prio(line: &[u8]) -> (Option<u32>, &[u8]) {
    if let Some(rest) = line.strip_prefix(b"<") {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && rest.get(digits) == Some(&b'>') {
            let n = std::str::from_utf8(&rest[..digits])
                .ok()
                .and_then(|d| d.parse().ok());
            return (n, &rest[digits + 1..]);
        }
    }
    (None, line)
}

/// The line after a leading `[  seconds.micros]` and the one space that follows it.
fn strip_time(line: &[u8]) -> &[u8] {
    let Some(rest) = line.strip_prefix(b"[") else {
        return line;
    };
    let inside = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b' ' || **b == b'.')
        .count();
    if rest.get(inside) != Some(&b']') {
        return line;
    }
    let after = &rest[inside + 1..];
    after.strip_prefix(b" ").unwrap_or(after)
}

/// `text` with every byte that is neither printable nor white space, and every byte of
/// an invalid UTF-8 sequence, written as `\xNN`.
fn escape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for chunk in text.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() && !c.is_ascii_whitespace() && c != '\x0b' {
                let mut b = [0u8; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    out.extend_from_slice(format!("\\x{byte:02x}").as_bytes());
                }
            } else {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
        for byte in chunk.invalid() {
            out.extend_from_slice(format!("\\x{byte:02x}").as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn formats_records() {
        let notime = Layout {
            notime: true,
            ..Layout::default()
        };
        let log = b"<5>[    0.000000] Linux version\n<6>[    0.000001]   DMA      [mem]\n\
                    <14>[   12.500000] [Firmware Bug]: x\n<4>no stamp\n";
        assert_eq!(
            render(log, &Layout::default()),
            b"[    0.000000] Linux version\n[    0.000001]   DMA      [mem]\n\
              [   12.500000] [Firmware Bug]: x\nno stamp\n"
        );
        assert_eq!(
            render(log, &notime),
            b"Linux version\n  DMA      [mem]\n[Firmware Bug]: x\nno stamp\n"
        );
        assert_eq!(
            render(b"<6>[ 1.0] tail", &Layout::default()),
            b"[ 1.0] tail\n"
        );
        assert_eq!(render(b"", &Layout::default()), b"");
    }

    #[test]
    fn filters_and_decodes() {
        let log =
            b"<3>[    1.000000] an error\n<6>[    2.000000] info\n<14>[    3.000000] from user\n";
        let only = |levels, facilities, decode| Layout {
            levels,
            facilities,
            decode,
            ..Layout::default()
        };
        assert_eq!(
            render(log, &only(Some(1 << 3), None, false)),
            b"[    1.000000] an error\n"
        );
        assert_eq!(
            render(log, &only(None, Some(!1), false)),
            b"[    3.000000] from user\n"
        );
        assert_eq!(
            render(log, &only(None, None, true)),
            b"kern  :err   : [    1.000000] an error\nkern  :info  : [    2.000000] info\n\
              user  :info  : [    3.000000] from user\n"
        );
        let raw = Layout {
            raw: true,
            levels: Some(1 << 6),
            ..Layout::default()
        };
        assert_eq!(
            render(log, &raw),
            b"<6>[    2.000000] info\n<14>[    3.000000] from user\n"
        );
        assert_eq!(level_number(b"warn"), Some(4));
        assert_eq!(level_number(b"7"), Some(7));
        assert_eq!(level_number(b"8"), None);
        assert_eq!(facility_number(b"LOCAL7"), Some(23));
        assert_eq!(facility_number(b"24"), None);
    }

    #[test]
    fn escapes_unprintable_bytes() {
        assert_eq!(escape(b"a\tb\x1bc\x7f\n"), b"a\tb\\x1bc\\x7f\n");
        assert_eq!(escape("caf\u{e9}".as_bytes()), "caf\u{e9}".as_bytes());
        assert_eq!(escape(b"x\xff\0"), b"x\\xff\\x00");
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level(b"1"), Some(1));
        assert_eq!(parse_level(b"8"), Some(8));
        assert_eq!(parse_level(b"0"), None);
        assert_eq!(parse_level(b"9"), None);
        assert_eq!(parse_level(b"warn"), Some(5));
        assert_eq!(parse_level(b"EMERG"), Some(1));
        assert_eq!(parse_level(b"foo"), None);
        assert_eq!(parse_size(b"100").unwrap(), 4096);
        assert_eq!(parse_size(b"20000").unwrap(), 20000);
        assert_eq!(
            parse_size(b"-5").unwrap_err().to_string(),
            "invalid buffer size argument: '-5': Numerical result out of range"
        );
        assert_eq!(
            parse_size(b"10k").unwrap_err().to_string(),
            "invalid buffer size argument: '10k'"
        );
    }

    #[test]
    fn option_errors() {
        let r = run("dmesg", &["-n", "foo"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "dmesg: unknown level 'foo'\n".into())
        );
        let r = run("dmesg", &["-s", "x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "dmesg: invalid buffer size argument: 'x'\n".into())
        );
        let r = run("dmesg", &["-r", "-t"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "dmesg: mutually exclusive arguments: --raw --notime\n".into()
            )
        );
    }
}
