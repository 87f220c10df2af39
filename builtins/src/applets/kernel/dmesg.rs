//! `dmesg`: print or control the kernel log through syslog(2) (`klogctl`), with
//! util-linux's default layout (`[    0.000000] text`, level prefixes dropped, unprintable
//! bytes as `\xNN`) and messages, and BusyBox's `-s SIZE`.

use crate::error::strerror;
use crate::prelude::*;

/// The `dmesg` applet.
pub const APPLET: Applet = Applet::new("dmesg", main, Run::Fork)
    .usage("[-c | -C] [-r | -t] [-D | -E] [-n LEVEL] [-s SIZE]")
    .help(
        "Print the kernel ring buffer.\n\n\
         -r\t\tRaw records, with their <N> level prefixes\n\
         -t\t\tNo timestamps\n\
         -c\t\tClear the buffer after printing it\n\
         -C\t\tClear the buffer, print nothing\n\
         -D, -E\t\tStop or resume printing messages to the console\n\
         -n LEVEL\tSet the console level: 1-8 or a name (emerg..debug)\n\
         -s SIZE\t\tRead at most SIZE bytes (4096 or more): the newest whole records\n\
         -S\t\tRead through syslog(2) (always the case here)",
    );

const LONGS: &[&str] = &[
    "raw",
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
    let (mut raw, mut notime) = (false, false);
    let mut action = Action::Print;
    let mut size: Option<usize> = None;
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('r') | Arg::Long("raw") => raw = true,
            Arg::Short('t') | Arg::Long("notime") => notime = true,
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
    if raw && notime {
        return Err(Error::msg("mutually exclusive arguments: --raw --notime"));
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
    let out = if raw {
        let mut o = escape(&buf);
        if !o.is_empty() && !o.ends_with(b"\n") {
            o.push(b'\n');
        }
        o
    } else {
        format(&buf, notime)
    };
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

/// The default layout: each line without its `<N>` prefix (and with `notime`, without
/// its `[seconds]` stamp), unprintable bytes escaped.
fn format(buf: &[u8], notime: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf.len());
    for line in buf.split_inclusive(|&b| b == b'\n') {
        let mut l = strip_level(line);
        if notime {
            l = strip_time(l);
        }
        out.extend_from_slice(&escape(l));
    }
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out
}

/// The line after a leading `<digits>`.
fn strip_level(line: &[u8]) -> &[u8] {
    if let Some(rest) = line.strip_prefix(b"<") {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && rest.get(digits) == Some(&b'>') {
            return &rest[digits + 1..];
        }
    }
    line
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
        let log = b"<5>[    0.000000] Linux version\n<6>[    0.000001]   DMA      [mem]\n\
                    <14>[   12.500000] [Firmware Bug]: x\n<4>no stamp\n";
        assert_eq!(
            format(log, false),
            b"[    0.000000] Linux version\n[    0.000001]   DMA      [mem]\n\
              [   12.500000] [Firmware Bug]: x\nno stamp\n"
        );
        assert_eq!(
            format(log, true),
            b"Linux version\n  DMA      [mem]\n[Firmware Bug]: x\nno stamp\n"
        );
        assert_eq!(format(b"<6>[ 1.0] tail", false), b"[ 1.0] tail\n");
        assert_eq!(format(b"", false), b"");
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
