//! `read [-rs] [-p PROMPT] [-t SECS] [-n N] [-N N] [-d DELIM] [-u FD] [name...]`: reads
//! one line without reading past it, and splits it over the names with IFS. bash's `-N N`
//! reads exactly N bytes (fewer at end of input), delimiter or not, into the first name
//! unsplit; `-t 0` only tells whether input is ready.

use super::number;
use crate::sh::state::{R, Shell};

struct Opts {
    raw: bool,
    silent: bool,
    prompt: Option<Vec<u8>>,
    timeout: Option<f64>,
    nchars: Option<usize>,
    exact: bool,
    delim: u8,
    fd: i32,
}

/// Reads one byte-or-chunk; `None` at end of input or on a timeout.
fn read_some(fd: i32, buf: &mut [u8], deadline: Option<std::time::Instant>) -> Option<usize> {
    if let Some(d) = deadline {
        let left = d.saturating_duration_since(std::time::Instant::now());
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, left.as_millis().min(i32::MAX as u128) as i32) };
        if r <= 0 {
            return None;
        }
    }
    loop {
        match rbox_builtins::common::fdio::read(fd, buf) {
            Ok(0) => return None,
            Ok(n) => return Some(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        }
    }
}

/// `read`.
pub fn read(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut o = Opts {
        raw: false,
        silent: false,
        prompt: None,
        timeout: None,
        nchars: None,
        exact: false,
        delim: b'\n',
        fd: 0,
    };
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        i += 1;
        let mut j = 1;
        while j < a.len() {
            let c = a[j];
            j += 1;
            let mut value = || -> Option<Vec<u8>> {
                if j < a.len() {
                    let v = a[j..].to_vec();
                    j = a.len();
                    Some(v)
                } else {
                    let v = args.get(i).cloned();
                    i += 1;
                    v
                }
            };
            match c {
                b'r' => o.raw = true,
                b's' => o.silent = true,
                b'p' | b't' | b'n' | b'N' | b'd' | b'u' => {
                    let Some(v) = value() else {
                        sh.error2(
                            b"read",
                            &format!("-{}: option requires an argument", char::from(c)),
                        );
                        return Ok(2);
                    };
                    match c {
                        b'p' => o.prompt = Some(v),
                        b't' => match String::from_utf8_lossy(&v).parse::<f64>() {
                            Ok(t) if t >= 0.0 => o.timeout = Some(t),
                            _ => {
                                sh.error2(
                                    b"read",
                                    &format!("{}: invalid timeout", String::from_utf8_lossy(&v)),
                                );
                                return Ok(2);
                            }
                        },
                        b'n' | b'N' => match number(&v) {
                            Some(n) if n >= 0 => {
                                o.nchars = Some(n as usize);
                                o.exact = c == b'N';
                            }
                            _ => {
                                sh.error2(
                                    b"read",
                                    &format!("{}: invalid count", String::from_utf8_lossy(&v)),
                                );
                                return Ok(2);
                            }
                        },
                        b'd' => o.delim = v.first().copied().unwrap_or(0),
                        _ => match number(&v) {
                            Some(n) if n >= 0 && sh.sandbox_fd_ok(n as i32) => o.fd = n as i32,
                            _ => {
                                sh.error2(
                                    b"read",
                                    &format!(
                                        "{}: invalid file descriptor",
                                        String::from_utf8_lossy(&v)
                                    ),
                                );
                                return Ok(2);
                            }
                        },
                    }
                }
                _ => {
                    sh.error2(b"read", &format!("-{}: invalid option", char::from(c)));
                    return Ok(2);
                }
            }
        }
    }
    let names: Vec<Vec<u8>> = args[i.min(args.len())..].to_vec();
    for n in &names {
        if !rbox_parser::syntax::is_name(n) {
            sh.error2(&[b"read: ", n.as_slice()].concat(), "bad variable name");
            return Ok(2);
        }
    }
    let tty = rbox_builtins::common::fdio::isatty(o.fd);
    if let Some(p) = &o.prompt
        && tty
    {
        let _ = rbox_builtins::common::fdio::write_all(2, p);
    }
    let saved_termios = if o.silent && tty {
        nix::sys::termios::tcgetattr(unsafe_borrow(o.fd))
            .ok()
            .inspect(|t| {
                let mut t2 = t.clone();
                t2.local_flags.remove(nix::sys::termios::LocalFlags::ECHO);
                let _ = nix::sys::termios::tcsetattr(
                    unsafe_borrow(o.fd),
                    nix::sys::termios::SetArg::TCSANOW,
                    &t2,
                );
            })
    } else {
        None
    };
    if o.timeout == Some(0.0) {
        let mut pfd = libc::pollfd {
            fd: o.fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd, no wait.
        let r = unsafe { libc::poll(&mut pfd, 1, 0) };
        return Ok(u8::from(r <= 0 || pfd.revents & libc::POLLNVAL != 0));
    }
    let deadline = o
        .timeout
        .map(|t| std::time::Instant::now() + std::time::Duration::from_secs_f64(t));
    // The line, with a flag per byte: escaped bytes never split.
    let mut line: Vec<u8> = Vec::new();
    let mut esc: Vec<bool> = Vec::new();
    let mut got_delim = false;
    let mut timed_out = false;
    // SAFETY: lseek only queries the offset.
    let seekable = unsafe { libc::lseek(o.fd, 0, libc::SEEK_CUR) } >= 0 && !tty;
    let mut pending: Vec<u8> = Vec::new();
    let mut ppos = 0;
    let mut backslash = false;
    let mut count = 0usize;
    'outer: loop {
        if o.nchars.is_some_and(|n| count >= n) {
            got_delim = true;
            break;
        }
        if ppos >= pending.len() {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                timed_out = true;
                break 'outer;
            }
            pending.clear();
            ppos = 0;
            let mut chunk = [0u8; 256];
            let want = if seekable { chunk.len() } else { 1 };
            match read_some(o.fd, &mut chunk[..want], deadline) {
                Some(n) => pending.extend_from_slice(&chunk[..n]),
                None => {
                    timed_out = deadline.is_some_and(|d| std::time::Instant::now() >= d);
                    break 'outer;
                }
            }
        }
        let c = pending[ppos];
        ppos += 1;
        if backslash {
            backslash = false;
            if c == b'\n' {
                continue;
            }
            line.push(c);
            esc.push(true);
            count += 1;
            continue;
        }
        if c == o.delim && !o.exact {
            got_delim = true;
            break;
        }
        if c == b'\\' && !o.raw {
            backslash = true;
            continue;
        }
        line.push(c);
        esc.push(false);
        count += 1;
    }
    if seekable && ppos < pending.len() {
        let _ = rbox_builtins::common::fdio::seek_relative(o.fd, -((pending.len() - ppos) as i64));
    }
    if let Some(t) = saved_termios {
        let _ = nix::sys::termios::tcsetattr(
            unsafe_borrow(o.fd),
            nix::sys::termios::SetArg::TCSANOW,
            &t,
        );
    }
    if names.is_empty() {
        sh.assign_or_fail(b"REPLY", line)?;
    } else if o.exact {
        let mut first = Some(line);
        for n in &names {
            sh.assign_or_fail(n, first.take().unwrap_or_default())?;
        }
    } else {
        let ifs = sh.ifs().to_vec();
        let values = split_read(&line, &esc, &ifs, names.len());
        for (n, v) in names.iter().zip(values) {
            sh.assign_or_fail(n, v)?;
        }
    }
    if timed_out {
        return Ok(142);
    }
    Ok(u8::from(!got_delim))
}

fn unsafe_borrow(fd: i32) -> std::os::fd::BorrowedFd<'static> {
    // SAFETY: the fd stays open for the duration of the read builtin that uses it.
    unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }
}

/// Splits a read line over `n` names: all but the last get one field, the last the rest
/// (less trailing IFS white space).
pub fn split_read(line: &[u8], esc: &[bool], ifs: &[u8], n: usize) -> Vec<Vec<u8>> {
    let is_ifs = |i: usize| !esc[i] && ifs.contains(&line[i]);
    let is_ws = |i: usize| is_ifs(i) && matches!(line[i], b' ' | b'\t' | b'\n');
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    let len = line.len();
    while i < len && is_ws(i) {
        i += 1;
    }
    for k in 0..n {
        if k + 1 == n {
            let mut end = len;
            while end > i && is_ws(end - 1) {
                end -= 1;
            }
            // A lone delimiter ending the line goes too (`a:b:` -> `b`, `b::` stays).
            if end > i && is_ifs(end - 1) {
                let mut q = end - 1;
                while q > i && is_ws(q - 1) {
                    q -= 1;
                }
                if q == i || !is_ifs(q - 1) {
                    end = q;
                }
            }
            out.push(line[i.min(end)..end].to_vec());
            break;
        }
        let start = i;
        while i < len && !is_ifs(i) {
            i += 1;
        }
        out.push(line[start..i].to_vec());
        // One delimiter: white space, at most one other IFS byte, white space.
        while i < len && is_ws(i) {
            i += 1;
        }
        if i < len && is_ifs(i) && !is_ws(i) {
            i += 1;
            while i < len && is_ws(i) {
                i += 1;
            }
        }
    }
    while out.len() < n {
        out.push(Vec::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_read;

    fn s(line: &str, ifs: &str, n: usize) -> Vec<String> {
        let esc = vec![false; line.len()];
        split_read(line.as_bytes(), &esc, ifs.as_bytes(), n)
            .into_iter()
            .map(|v| String::from_utf8(v).unwrap())
            .collect()
    }

    #[test]
    fn splits_and_keeps_the_rest() {
        assert_eq!(s("  a  b  c  ", " \t\n", 2), ["a", "b  c"]);
        assert_eq!(s("a:b::c", ":", 3), ["a", "b", ":c"]);
        assert_eq!(s("a", " ", 3), ["a", "", ""]);
        assert_eq!(s("a:b:", ":", 2), ["a", "b"]);
        assert_eq!(s("a:b::", ":", 2), ["a", "b::"]);
        assert_eq!(s("xx", "x ", 2), ["", ""]);
        assert_eq!(s("xxx", "x ", 2), ["", "xx"]);
        assert_eq!(s("xax  ", "x ", 2), ["", "a"]);
    }
}
