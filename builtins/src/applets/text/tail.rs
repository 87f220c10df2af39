//! `tail`: the last lines or bytes of files, optionally following them as they grow.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use super::util::{Fail, default_stdin, put, shown, warn_quoted};
use crate::common::lines::{BUF_SIZE, open};
use crate::common::num::{parse_duration, parse_size};
use crate::opts::Opts;
use crate::prelude::*;

/// The `tail` applet.
pub const APPLET: Applet = Applet::new("tail", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-n [+]N | -c [+]N] [-fFqvz] [-s SECS] [--pid PID] [FILE]...")
    .help(
        "Print the last 10 lines of each FILE (standard input for - or none).\n\n\
         -n [+]N\tPrint the last N lines (with +, from line N on)\n\
         -c [+]N\tPrint the last N bytes (with +, from byte N on); suffixes as head\n\
         -f\tFollow: keep printing what is appended to the files\n\
         -F\tFollow by name, reopening a file that is replaced (--follow=name --retry)\n\
         -s SECS\tWith -f, check every SECS seconds (default 0.1)\n\
         --pid=PID\tWith -f, stop once process PID is gone\n\
         --retry\tKeep trying to open a file that cannot be opened\n\
         -q\tNever print headers\n\
         -v\tAlways print headers\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "lines",
    "bytes",
    "follow",
    "retry",
    "sleep-interval",
    "pid",
    "quiet",
    "silent",
    "verbose",
    "zero-terminated",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Lines,
    Bytes,
}

/// What to print: the last `n` units, or everything from unit `n` (1-based) on.
#[derive(Clone, Copy)]
struct Mode {
    unit: Unit,
    from_start: bool,
    n: u64,
}

fn parse_count(v: &[u8], unit: Unit) -> Result<Mode, Error> {
    let (from_start, digits) = match v.first() {
        Some(b'+') => (true, &v[1..]),
        Some(b'-') => (false, &v[1..]),
        _ => (false, v),
    };
    let what = if unit == Unit::Lines {
        "lines"
    } else {
        "bytes"
    };
    let n = parse_size(digits).ok_or_else(|| {
        Error::msg(format!(
            "invalid number of {what}: '{}'",
            String::from_utf8_lossy(v)
        ))
    })?;
    Ok(Mode {
        unit,
        from_start,
        n,
    })
}

/// Rewrites an obsolete first argument (`-5`, `+5`, `-5c`, `+2lf`) into modern options.
fn obsolete(args: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let first = args.first()?;
    let (&sign, body) = first.split_first()?;
    if sign != b'-' && sign != b'+' {
        return None;
    }
    let digits = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let (num, flags) = body.split_at(digits);
    if digits == 0 && (sign == b'-' || !flags.is_empty()) {
        return None;
    }
    if digits == 0 && flags.is_empty() {
        return None;
    }
    let (mut unit, mut follow) = (b'n', false);
    for (i, &f) in flags.iter().enumerate() {
        match f {
            b'l' | b'c' | b'b' if i == 0 => unit = f,
            b'f' if i + 1 == flags.len() => follow = true,
            _ => return None,
        }
    }
    let mut n = vec![sign];
    n.extend_from_slice(num);
    if unit == b'b' {
        n.push(b'b');
    }
    let opt = if unit == b'n' || unit == b'l' {
        "-n"
    } else {
        "-c"
    };
    let mut out = vec![opt.as_bytes().to_vec(), n];
    if follow {
        out.push(b"-f".to_vec());
    }
    out.extend_from_slice(&args[1..]);
    Some(out)
}

struct Follow {
    by_name: bool,
    retry: bool,
    interval: Duration,
    pid: Option<i32>,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let rewritten = obsolete(ctx.args);
    let mut opts = match &rewritten {
        Some(a) => Opts::new(a, LONGS),
        None => ctx.opts(LONGS),
    };
    let mut mode = Mode {
        unit: Unit::Lines,
        from_start: false,
        n: 10,
    };
    let mut headers: Option<bool> = None;
    let mut delim = b'\n';
    let mut follow: Option<Follow> = None;
    let (mut by_name, mut retry, mut interval, mut pid) = (false, false, DEFAULT_INTERVAL, None);
    let mut files = Vec::new();
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('n') | Arg::Long("lines") => {
                mode = parse_count(&opts.value()?, Unit::Lines)?
            }
            Arg::Short('c') | Arg::Long("bytes") => {
                mode = parse_count(&opts.value()?, Unit::Bytes)?
            }
            Arg::Short('f') => follow = Some(new_follow()),
            Arg::Long("follow") => {
                match opts.optional_value().as_deref() {
                    None | Some(b"descriptor") => {}
                    Some(b"name") => by_name = true,
                    Some(v) => {
                        return Err(Error::usage(format!(
                            "invalid argument '{}' for '--follow'",
                            String::from_utf8_lossy(v)
                        )));
                    }
                }
                follow = Some(new_follow());
            }
            Arg::Short('F') => {
                follow = Some(new_follow());
                (by_name, retry) = (true, true);
            }
            Arg::Long("retry") => retry = true,
            Arg::Short('s') | Arg::Long("sleep-interval") => {
                let v = opts.value()?;
                interval = parse_duration(&v).ok_or_else(|| {
                    Error::msg(format!(
                        "invalid number of seconds: '{}'",
                        String::from_utf8_lossy(&v)
                    ))
                })?;
            }
            Arg::Long("pid") => {
                let v = opts.value()?;
                let p: i32 = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        Error::msg(format!("invalid PID: '{}'", String::from_utf8_lossy(&v)))
                    })?;
                pid = Some(p);
            }
            Arg::Short('q') | Arg::Long("quiet") | Arg::Long("silent") => headers = Some(false),
            Arg::Short('v') | Arg::Long("verbose") => headers = Some(true),
            Arg::Short('z') | Arg::Long("zero-terminated") => delim = 0,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if let Some(f) = &mut follow {
        (f.by_name, f.retry, f.interval, f.pid) = (by_name, retry, interval, pid);
    }
    default_stdin(&mut files);
    let headers = headers.unwrap_or(files.len() > 1);
    let mut watched: Vec<Watched> = Vec::new();
    let mut printed_any = false;
    for name in &files {
        if headers {
            header(&mut ctx.stdout, name, printed_any)?;
        }
        printed_any = true;
        let r = if name == b"-" {
            tail_stream(&mut ctx.stdin, &mut ctx.stdout, mode, delim)
        } else {
            match open(name) {
                Ok(mut file) => {
                    let r = tail_file(&mut file, &mut ctx.stdout, mode, delim);
                    if r.is_ok() {
                        let (dev, ino) = file
                            .metadata()
                            .map(|m| (m.dev(), m.ino()))
                            .unwrap_or((0, 0));
                        watched.push(Watched {
                            name: name.clone(),
                            file: Some(file),
                            id: (dev, ino),
                        });
                    }
                    r
                }
                Err(e) => {
                    warn_quoted(ctx, "cannot open ", name, " for reading", &e);
                    if follow.as_ref().is_some_and(|f| f.retry) {
                        watched.push(Watched {
                            name: name.clone(),
                            file: None,
                            id: (0, 0),
                        });
                    }
                    continue;
                }
            }
        };
        match r {
            Ok(()) => {}
            Err(Fail::Read(e)) => warn_quoted(ctx, "error reading ", name, "", &e),
            Err(f) => return Err(f.into()),
        }
    }
    if let Some(f) = follow
        && !watched.is_empty()
    {
        follow_files(ctx, &mut watched, &f, headers)?;
    }
    Ok(())
}

/// How often -f looks for growth when -s does not say: GNU tail sees appends at once
/// through inotify, so a short poll keeps rbox close to that.
const DEFAULT_INTERVAL: Duration = Duration::from_millis(100);

fn new_follow() -> Follow {
    Follow {
        by_name: false,
        retry: false,
        interval: DEFAULT_INTERVAL,
        pid: None,
    }
}

fn header(out: &mut dyn Write, name: &[u8], blank_first: bool) -> Result<(), Error> {
    let mut h = Vec::new();
    if blank_first {
        h.push(b'\n');
    }
    h.extend_from_slice(b"==> ");
    h.extend_from_slice(shown(name));
    h.extend_from_slice(b" <==\n");
    out.write_all(&h)?;
    Ok(())
}

/// Copies everything from `src` to `out`.
fn copy_rest(src: &mut dyn Read, out: &mut dyn Write) -> Result<(), Fail> {
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Fail::Read(e)),
        };
        put(out, &buf[..n])?;
    }
}

/// Skips the first `n - 1` units of `src` (for `+N`), then copies the rest.
fn from_start(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    mode: Mode,
    delim: u8,
) -> Result<(), Fail> {
    let mut skip = mode.n.saturating_sub(1);
    while skip > 0 {
        let avail = src.fill_buf().map_err(Fail::Read)?;
        if avail.is_empty() {
            return Ok(());
        }
        let used = match mode.unit {
            Unit::Bytes => {
                let k = avail.len().min(usize::try_from(skip).unwrap_or(usize::MAX));
                skip -= k as u64;
                k
            }
            Unit::Lines => {
                let mut used = avail.len();
                for (count, pos) in memchr::memchr_iter(delim, avail).enumerate() {
                    if count as u64 + 1 == skip {
                        used = pos + 1;
                        break;
                    }
                }
                let found = memchr::memchr_iter(delim, &avail[..used]).count() as u64;
                skip -= found.min(skip);
                used
            }
        };
        src.consume(used);
    }
    loop {
        let avail = src.fill_buf().map_err(Fail::Read)?;
        if avail.is_empty() {
            return Ok(());
        }
        let n = avail.len();
        put(out, avail)?;
        src.consume(n);
    }
}

/// Tail of a non-seekable stream: keeps only as many chunks as the last N units need.
fn tail_stream(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    mode: Mode,
    delim: u8,
) -> Result<(), Fail> {
    if mode.from_start {
        return from_start(src, out, mode, delim);
    }
    let mut chunks: VecDeque<(Vec<u8>, u64)> = VecDeque::new();
    let mut total: u64 = 0;
    let mut last_byte = None;
    loop {
        let avail = src.fill_buf().map_err(Fail::Read)?;
        if avail.is_empty() {
            break;
        }
        let chunk = avail.to_vec();
        let n = chunk.len();
        src.consume(n);
        last_byte = chunk.last().copied();
        let units = match mode.unit {
            Unit::Bytes => n as u64,
            Unit::Lines => memchr::memchr_iter(delim, &chunk).count() as u64,
        };
        total += units;
        chunks.push_back((chunk, units));
        // Drop the oldest chunk while the rest still holds more than N units.
        while let Some((_, first)) = chunks.front() {
            if total - first > mode.n {
                total -= first;
                chunks.pop_front();
            } else {
                break;
            }
        }
    }
    let data: Vec<u8> = chunks.into_iter().flat_map(|(c, _)| c).collect();
    let start = match mode.unit {
        Unit::Bytes => data
            .len()
            .saturating_sub(usize::try_from(mode.n).unwrap_or(usize::MAX)),
        Unit::Lines => line_start(&data, mode.n, delim, last_byte == Some(delim)),
    };
    put(out, data.get(start..).unwrap_or_default())
}

/// Where the last `n` lines of `data` start (the final line may lack its terminator).
fn line_start(data: &[u8], n: u64, delim: u8, ends_with_delim: bool) -> usize {
    if n == 0 {
        return data.len();
    }
    let mut need = n;
    if ends_with_delim {
        need += 1;
    }
    for pos in memchr::memrchr_iter(delim, data) {
        need -= 1;
        if need == 0 {
            return pos + 1;
        }
    }
    0
}

/// Tail of a file: seeks back from the end when it can, else reads it as a stream.
fn tail_file(file: &mut File, out: &mut dyn Write, mode: Mode, delim: u8) -> Result<(), Fail> {
    let meta = file.metadata().map_err(Fail::Read)?;
    if !meta.is_file() || mode.from_start {
        let mut r = std::io::BufReader::with_capacity(BUF_SIZE, &mut *file);
        return if mode.from_start {
            from_start(&mut r, out, mode, delim)
        } else {
            tail_stream(&mut r, out, mode, delim)
        };
    }
    let size = meta.len();
    let start = match mode.unit {
        Unit::Bytes => size.saturating_sub(mode.n),
        Unit::Lines => seek_lines(file, size, mode.n, delim).map_err(Fail::Read)?,
    };
    file.seek(SeekFrom::Start(start)).map_err(Fail::Read)?;
    copy_rest(file, out)
}

/// Scans `file` backwards from `size` for the start of its last `n` lines.
fn seek_lines(file: &mut File, size: u64, n: u64, delim: u8) -> std::io::Result<u64> {
    if n == 0 || size == 0 {
        return Ok(size);
    }
    let mut buf = vec![0u8; BUF_SIZE];
    let mut end = size;
    let mut need = n;
    let mut first_block = true;
    while end > 0 {
        let len = (end.min(BUF_SIZE as u64)) as usize;
        let begin = end - len as u64;
        file.seek(SeekFrom::Start(begin))?;
        let block = buf.get_mut(..len).unwrap_or_default();
        file.read_exact(block)?;
        let mut scan: &[u8] = block;
        if first_block {
            first_block = false;
            // A terminator at the very end closes the last line; it does not start one.
            if scan.last() == Some(&delim) {
                scan = &scan[..scan.len() - 1];
            }
        }
        for pos in memchr::memrchr_iter(delim, scan) {
            need -= 1;
            if need == 0 {
                return Ok(begin + pos as u64 + 1);
            }
        }
        end = begin;
    }
    Ok(0)
}

/// A file being followed.
struct Watched {
    name: Vec<u8>,
    file: Option<File>,
    id: (u64, u64),
}

fn pid_alive(pid: i32) -> bool {
    let r = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None);
    r != Err(nix::errno::Errno::ESRCH)
}

fn follow_files(
    ctx: &mut Ctx<'_>,
    watched: &mut [Watched],
    f: &Follow,
    headers: bool,
) -> Result<(), Error> {
    let mut last_shown = watched.len().saturating_sub(1);
    let mut buf = vec![0u8; BUF_SIZE];
    loop {
        ctx.stdout.flush()?;
        // Sleep in short steps so an interrupt stops us promptly.
        let mut slept = Duration::ZERO;
        let step = Duration::from_millis(50);
        while slept < f.interval {
            if ctx.interrupted() {
                return Ok(());
            }
            let d = step.min(f.interval - slept);
            std::thread::sleep(d);
            slept += d;
        }
        if ctx.interrupted() {
            return Ok(());
        }
        let done = f.pid.is_some_and(|p| !pid_alive(p));
        // The file shown last goes first: its growth needs no new header (GNU, which
        // sees appends as they happen, usually goes on with it too).
        let count = watched.len();
        let first = last_shown;
        for k in 0..count {
            let i = (first + k) % count;
            let Some(w) = watched.get_mut(i) else {
                continue;
            };
            if f.by_name {
                reopen_if_replaced(ctx, w)?;
            }
            let Some(file) = &mut w.file else { continue };
            // A truncated file is read again from its start.
            if let (Ok(meta), Ok(pos)) = (file.metadata(), file.stream_position())
                && meta.is_file()
                && meta.len() < pos
            {
                let mut m = b"tail: ".to_vec();
                m.extend_from_slice(&w.name);
                m.extend_from_slice(b": file truncated\n");
                let _ = ctx.stderr.write_all(&m);
                let _ = file.seek(SeekFrom::Start(0));
            }
            loop {
                let n = match file.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => 0,
                };
                if n == 0 {
                    break;
                }
                if headers && last_shown != i {
                    header(&mut ctx.stdout, &w.name, true)?;
                    last_shown = i;
                }
                ctx.stdout.write_all(&buf[..n])?;
            }
        }
        if done {
            ctx.stdout.flush()?;
            return Ok(());
        }
    }
}

/// For `-F`: reopens `w` when its name now points at another file (or appeared).
fn reopen_if_replaced(ctx: &mut Ctx<'_>, w: &mut Watched) -> Result<(), Error> {
    use std::os::unix::ffi::OsStrExt;
    let meta = match std::fs::metadata(std::ffi::OsStr::from_bytes(&w.name)) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    let id = (meta.dev(), meta.ino());
    if w.file.is_some() && id == w.id {
        return Ok(());
    }
    if let Ok(file) = open(&w.name) {
        let mut m = b"tail: ".to_vec();
        m.extend_from_slice(&super::util::quoted(&w.name));
        m.extend_from_slice(if w.file.is_some() {
            b" has been replaced;  following new file\n"
        } else {
            b" has appeared;  following new file\n"
        });
        let _ = ctx.stderr.write_all(&m);
        w.file = Some(file);
        w.id = id;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    fn lines(a: usize, b: usize) -> String {
        (a..=b).map(|i| format!("{i}\n")).collect()
    }

    #[test]
    fn last_lines_of_stdin_and_files() {
        assert_eq!(
            run("tail", &[], lines(1, 20).as_bytes()).out(),
            lines(11, 20)
        );
        assert_eq!(run("tail", &["-n", "2"], b"a\nb\nc").out(), "b\nc");
        assert_eq!(run("tail", &["-n", "0"], b"a\nb\n").out(), "");
        assert_eq!(run("tail", &["-n", "9"], b"a\nb\n").out(), "a\nb\n");
        let dir = temp_dir("tail-files");
        let f = dir.join("f");
        let big = lines(1, 50_000);
        std::fs::write(&f, &big).unwrap();
        let f = f.to_str().unwrap();
        assert_eq!(
            run("tail", &["-n", "3", f], b"").out(),
            lines(49_998, 50_000)
        );
        assert_eq!(
            run("tail", &["-n", "30000", f], b"").out(),
            lines(20_001, 50_000)
        );
        assert_eq!(
            run("tail", &["-n", "+49999", f], b"").out(),
            lines(49_999, 50_000)
        );
        assert_eq!(run("tail", &["-c", "6", f], b"").out(), "50000\n");
        assert_eq!(
            run("tail", &["-n", "30000"], big.as_bytes()).out(),
            lines(20_001, 50_000)
        );
        std::fs::write(dir.join("g"), "x\ny").unwrap();
        let g = dir.join("g");
        assert_eq!(run("tail", &["-n1", g.to_str().unwrap()], b"").out(), "y");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn from_start_and_obsolete() {
        assert_eq!(run("tail", &["-n", "+2"], b"a\nb\nc\n").out(), "b\nc\n");
        assert_eq!(run("tail", &["-n", "+0"], b"a\nb\n").out(), "a\nb\n");
        assert_eq!(run("tail", &["+2"], b"a\nb\nc\n").out(), "b\nc\n");
        assert_eq!(run("tail", &["-2"], b"a\nb\nc\n").out(), "b\nc\n");
        assert_eq!(run("tail", &["-3c"], b"abcdef").out(), "def");
        assert_eq!(run("tail", &["+3c"], b"abcdef").out(), "cdef");
        assert_eq!(run("tail", &["-c", "+2"], b"abc").out(), "bc");
        assert_eq!(run("tail", &["-c", "2"], b"abc").out(), "bc");
    }

    #[test]
    fn nul_terminated_and_headers() {
        assert_eq!(run("tail", &["-z", "-n1"], b"a\0b\0").stdout, b"b\0");
        let dir = temp_dir("tail-headers");
        let a = dir.join("a");
        std::fs::write(&a, "1\n2\n").unwrap();
        let a = a.to_str().unwrap();
        assert_eq!(
            run("tail", &["-n1", a, "-"], b"s\n").out(),
            format!("==> {a} <==\n2\n\n==> standard input <==\ns\n")
        );
        let r = run("tail", &["/nonexistent/x"], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "tail: cannot open '/nonexistent/x' for reading: No such file or directory\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_arguments() {
        let r = run("tail", &["-n", "x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "tail: invalid number of lines: 'x'\n".into())
        );
        assert_eq!(run("tail", &["-s", "x", "-f"], b"").status, 1);
    }

    #[test]
    fn follow_stops_when_the_pid_is_gone() {
        let dir = temp_dir("tail-follow");
        let f = dir.join("f");
        std::fs::write(&f, "one\n").unwrap();
        let fp = f.to_str().unwrap().to_string();
        let mut writer = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("sleep 0.3; echo two >> '{fp}'; sleep 0.3"))
            .spawn()
            .unwrap();
        let pid = writer.id().to_string();
        // Reap the writer as soon as it ends, so its pid really disappears.
        let reaper = std::thread::spawn(move || writer.wait());
        let started = std::time::Instant::now();
        let r = run("tail", &["-f", "-s", "0.1", "--pid", &pid, &fp], b"");
        let _ = reaper.join();
        assert_eq!(r.out(), "one\ntwo\n");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn follow_stops_on_interrupt() {
        use crate::ctx::{Ctx, EnvList, Input, Output};
        let dir = temp_dir("tail-intr");
        let f = dir.join("f");
        std::fs::write(&f, "x\n").unwrap();
        let args = vec![b"-f".to_vec(), f.to_str().unwrap().as_bytes().to_vec()];
        let started = std::time::Instant::now();
        let intr = move || started.elapsed() > std::time::Duration::from_millis(200);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let env = EnvList::default();
        struct NoSpawn;
        impl crate::ctx::Spawn for NoSpawn {
            fn run(&self, _: &[Vec<u8>], _: &[(Vec<u8>, Vec<u8>)]) -> std::io::Result<u8> {
                Ok(127)
            }
        }
        let status = {
            let mut ctx = Ctx {
                applet: &super::APPLET,
                args: &args,
                stdin: Input::mem(b""),
                stdout: Output::mem(&mut out),
                stderr: Output::mem(&mut err),
                env: &env,
                spawn: &NoSpawn,
                intr: &intr,
                status: 0,
            };
            crate::run::run(&mut ctx)
        };
        assert_eq!((status, out), (0, b"x\n".to_vec()));
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
