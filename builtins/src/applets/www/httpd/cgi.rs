//! CGI/1.1: the environment of a script, starting it with the request body on its
//! stdin and its stdout on a pipe, and turning its header block (`Status:`,
//! `Location:`, `Content-Type:` ...) into a response head.

use std::ffi::CString;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;

use nix::unistd::{ForkResult, Pid, fork};

use super::path::Target;
use super::request::{BodyKind, Head};
use super::site::Site;
use crate::ctx::Spawn;

/// A CGI run being prepared: the script, its environment, and how its body comes.
#[derive(Debug)]
pub struct CgiPlan {
    /// The script's absolute path.
    pub script: PathBuf,
    /// The CGI environment (without `CONTENT_LENGTH`, set once the body is read).
    pub env: Vec<(Vec<u8>, Vec<u8>)>,
    /// The request body framing.
    pub body: BodyKind,
    /// Whether the client asked for `100 Continue`.
    pub expect_continue: bool,
    /// HEAD: the script runs, its body is not sent.
    pub head_only: bool,
}

impl CgiPlan {
    /// The plan for `/cgi-bin/NAME/PATH_INFO`.
    pub fn new(
        site: &Site,
        head: &Head,
        target: &Target,
        name: &[u8],
        path_info: &[u8],
        peer: &SocketAddr,
        remote_user: Option<Vec<u8>>,
    ) -> CgiPlan {
        use std::os::unix::ffi::OsStrExt;
        let script = site
            .home
            .join("cgi-bin")
            .join(std::ffi::OsStr::from_bytes(name));
        let mut env: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let mut set = |k: &str, v: &[u8]| env.push((k.as_bytes().to_vec(), v.to_vec()));
        set("GATEWAY_INTERFACE", b"CGI/1.1");
        set("SERVER_SOFTWARE", b"rbox httpd");
        set(
            "SERVER_PROTOCOL",
            if head.minor == 0 {
                b"HTTP/1.0"
            } else {
                b"HTTP/1.1"
            },
        );
        let host = head.header("host").unwrap_or_default();
        let server_name = host.split(|&b| b == b':').next().unwrap_or_default();
        set("SERVER_NAME", server_name);
        set("SERVER_PORT", site.port.to_string().as_bytes());
        set("REQUEST_METHOD", &head.method);
        set("REQUEST_URI", &head.target);
        set("SCRIPT_NAME", &[b"/cgi-bin/".as_slice(), name].concat());
        set("SCRIPT_FILENAME", script.as_os_str().as_bytes());
        set("DOCUMENT_ROOT", site.home.as_os_str().as_bytes());
        if !path_info.is_empty() {
            set("PATH_INFO", path_info);
        }
        set("QUERY_STRING", &target.query);
        set("REMOTE_ADDR", peer.ip().to_string().as_bytes());
        set("REMOTE_PORT", peer.port().to_string().as_bytes());
        set("PATH", &site.cgi_path);
        if let Some(u) = &remote_user {
            set("AUTH_TYPE", b"Basic");
            set("REMOTE_USER", u);
        }
        if let Some(ct) = head.header("content-type") {
            set("CONTENT_TYPE", ct);
        }
        for (k, v) in &head.headers {
            if k.eq_ignore_ascii_case(b"content-type")
                || k.eq_ignore_ascii_case(b"content-length")
                || k.eq_ignore_ascii_case(b"authorization")
                || k.eq_ignore_ascii_case(b"proxy")
            {
                continue;
            }
            let mut name = b"HTTP_".to_vec();
            name.extend(k.iter().map(|&b| {
                if b == b'-' {
                    b'_'
                } else {
                    b.to_ascii_uppercase()
                }
            }));
            if !env.iter().any(|(n, _)| *n == name) {
                env.push((name, v.clone()));
            }
        }
        CgiPlan {
            script,
            env,
            body: head.body,
            expect_continue: head
                .header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case(b"100-continue")),
            head_only: head.method == b"HEAD",
        }
    }
}

/// A started script: its process group leader and the read end of its stdout.
pub struct Child {
    /// The script's pid (also its process group).
    pub pid: Pid,
    /// Its standard output, non-blocking.
    pub out: OwnedFd,
}

/// Starts the script with `body` on its standard input. A file the kernel cannot
/// execute (no `#!`) is run by rbox's own `sh` through `spawn`.
pub fn start(plan: &CgiPlan, body: &[u8], spawn: &dyn Spawn) -> io::Result<Child> {
    use std::os::unix::ffi::OsStrExt;
    let mut env = plan.env.clone();
    env.push((
        b"CONTENT_LENGTH".to_vec(),
        body.len().to_string().into_bytes(),
    ));
    let cstr = |b: &[u8]| CString::new(b).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput));
    let path = cstr(plan.script.as_os_str().as_bytes())?;
    let argv = [path.clone()];
    let envp: Vec<CString> = env
        .iter()
        .map(|(k, v)| cstr(&[k.as_slice(), b"=", v.as_slice()].concat()))
        .collect::<io::Result<_>>()?;
    let dir = plan
        .script
        .parent()
        .map(|d| d.to_path_buf())
        .unwrap_or_default();
    let sh_argv = vec![b"sh".to_vec(), plan.script.as_os_str().as_bytes().to_vec()];
    // The body goes into an anonymous file, so the script reads it at its own pace.
    let stdin = memfd(body)?;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 fills the array with two new fds.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned by nothing else.
    let (rd, wr) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: httpd is single-threaded, so the child may run ordinary code; it never
    // returns into the server's stack: it execs or leaves through _exit.
    match unsafe { fork() }.map_err(io::Error::from)? {
        ForkResult::Child => {
            let status = child(
                &stdin, &wr, &dir, &path, &argv, &envp, &sh_argv, &env, spawn,
            );
            // SAFETY: _exit ends the child without running the server's destructors.
            unsafe { libc::_exit(status) }
        }
        ForkResult::Parent { child } => {
            drop(wr);
            // SAFETY: fcntl on an fd this function owns.
            unsafe {
                let fl = libc::fcntl(rd.as_raw_fd(), libc::F_GETFL);
                libc::fcntl(rd.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
            }
            Ok(Child {
                pid: child,
                out: rd,
            })
        }
    }
}

/// The forked child: its own process group, fds 0 and 1 in place, every other fd
/// above 2 closed, signals back to default, the script's directory as cwd, then exec.
#[allow(clippy::too_many_arguments)]
fn child(
    stdin: &OwnedFd,
    stdout: &OwnedFd,
    dir: &std::path::Path,
    path: &CString,
    argv: &[CString],
    envp: &[CString],
    sh_argv: &[Vec<u8>],
    env: &[(Vec<u8>, Vec<u8>)],
    spawn: &dyn Spawn,
) -> i32 {
    // SAFETY: process-state calls in a fresh single-threaded child; the fds are valid.
    unsafe {
        libc::setpgid(0, 0);
        if libc::dup2(stdin.as_raw_fd(), 0) < 0 || libc::dup2(stdout.as_raw_fd(), 1) < 0 {
            return 127;
        }
        libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // The child is the whole process now; its cwd is its own (CGI/1.1 runs the script
    // in its directory).
    #[allow(clippy::disallowed_methods)]
    if nix::unistd::chdir(dir).is_err() {
        return 127;
    }
    let e = nix::unistd::execve(path, argv, envp).unwrap_err();
    if e == nix::errno::Errno::ENOEXEC {
        return i32::from(spawn.run(sh_argv, env).unwrap_or(127));
    }
    126
}

/// An anonymous file holding `data`, positioned at its start.
fn memfd(data: &[u8]) -> io::Result<OwnedFd> {
    // SAFETY: memfd_create reads the NUL-terminated name; the result is a new fd or -1.
    let fd = unsafe { libc::memfd_create(c"cgi-body".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the fd was just created and belongs to nothing else.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut f = std::fs::File::from(owned);
    f.write_all(data)?;
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(0))?;
    Ok(f.into())
}

/// The script's header block turned into a response head.
#[derive(Debug, PartialEq, Eq)]
pub struct CgiHead {
    /// The status to send.
    pub code: u16,
    /// The reason phrase the script gave, if any.
    pub reason: Vec<u8>,
    /// Fields passed on to the client.
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Finds the end of the script's header block in `buf`: the head and the offset of
/// the body, `None` while incomplete. `Err` for output that is not a header block.
pub fn parse_head(buf: &[u8]) -> Result<Option<(CgiHead, usize)>, ()> {
    let mut i = 0;
    let mut fields = Vec::new();
    let (mut code, mut reason, mut location) = (None, Vec::new(), false);
    loop {
        let Some(nl) = memchr::memchr(b'\n', &buf[i..]) else {
            return Ok(None);
        };
        let line = &buf[i..i + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        i += nl + 1;
        if line.is_empty() {
            break;
        }
        let colon = memchr::memchr(b':', line).ok_or(())?;
        let (k, v) = (&line[..colon], super::request::trim(&line[colon + 1..]));
        if k.is_empty() || k.iter().any(|&b| b <= b' ') {
            return Err(());
        }
        if k.eq_ignore_ascii_case(b"status") {
            let digits = v.get(..3).ok_or(())?;
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(());
            }
            let n = digits
                .iter()
                .fold(0u16, |n, &b| n * 10 + u16::from(b - b'0'));
            if !(100..=999).contains(&n) {
                return Err(());
            }
            code = Some(n);
            reason = super::request::trim(&v[3..]).to_vec();
            continue;
        }
        if k.eq_ignore_ascii_case(b"connection") || k.eq_ignore_ascii_case(b"transfer-encoding") {
            continue;
        }
        if k.eq_ignore_ascii_case(b"location") {
            location = true;
        }
        fields.push((k.to_vec(), v.to_vec()));
    }
    let code = code.unwrap_or(if location { 302 } else { 200 });
    Ok(Some((
        CgiHead {
            code,
            reason,
            fields,
        },
        i,
    )))
}

/// Writes the response head for a script's header block (the connection closes after).
pub fn write_head(h: &CgiHead, date: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(h.code.to_string().as_bytes());
    out.push(b' ');
    if h.reason.is_empty() {
        out.extend_from_slice(super::response::reason(h.code).as_bytes());
    } else {
        out.extend_from_slice(&h.reason);
    }
    out.extend_from_slice(b"\r\nServer: rbox httpd\r\nDate: ");
    out.extend_from_slice(date.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (k, v) in &h.fields {
        out.extend_from_slice(k);
        out.extend_from_slice(b": ");
        out.extend_from_slice(v);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_heads() {
        let (h, n) = parse_head(b"Content-Type: text/plain\n\nbody")
            .unwrap()
            .unwrap();
        assert_eq!((h.code, n), (200, 26));
        assert_eq!(
            h.fields,
            vec![(b"Content-Type".to_vec(), b"text/plain".to_vec())]
        );
        let (h, _) = parse_head(b"Status: 404 Gone Away\r\nX: y\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!((h.code, h.reason.as_slice()), (404, &b"Gone Away"[..]));
        let (h, _) = parse_head(b"Location: /x\n\n").unwrap().unwrap();
        assert_eq!(h.code, 302);
        assert_eq!(parse_head(b"Content-Type: text/plain\n"), Ok(None));
        assert_eq!(parse_head(b"just text\n\n"), Err(()));
        assert_eq!(parse_head(b"Status: abc\n\n"), Err(()));
        let mut out = Vec::new();
        write_head(&h, "D", &mut out);
        assert_eq!(
            out,
            b"HTTP/1.1 302 Found\r\nServer: rbox httpd\r\nDate: D\r\nLocation: /x\r\nConnection: close\r\n\r\n"
        );
    }
}
