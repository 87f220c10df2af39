//! `httpd`: a static web server and CGI host (BusyBox's command line). The parts:
//! `request` (head parser), `chunked` (request body decoder), `path` (target decoding
//! and confinement), `fsys` (opening below HOME), `files` (ranges, conditions),
//! `mime`, `httpdate`, `response`, `handler` (one request to a response), `cgi`,
//! `config`, `auth`, `limits`, `site` (shared state), `server` (the epoll loop), and
//! `codec` (`-d`/`-e`).

mod auth;
mod cgi;
mod chunked;
mod codec;
mod config;
mod files;
mod fsys;
mod handler;
mod httpdate;
mod limits;
mod mime;
mod path;
pub mod request;
mod response;
mod server;
mod site;

use std::fs::File;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::prelude::*;

use config::Config;
use limits::Limits;
use site::Site;

/// The `httpd` applet.
pub const APPLET: Applet = Applet::new("httpd", main, Run::Exec)
    .dir(InstallDir::UsrSbin)
    .usage("[-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]\nor httpd -d/-e/-m STRING")
    .help(
        "Serve HOME over HTTP/1.1: static files (sendfile, ranges, ETag and\n\
         If-Modified-Since), index.html, CGI scripts under /cgi-bin/, basic auth.\n\n\
         \t-f\t\tRun in foreground (otherwise become a daemon)\n\
         \t-v[v]\t\tVerbose: log each request to stderr\n\
         \t-p [IP:]PORT\tBind to IP:PORT (default *:80)\n\
         \t-u USER[:GRP]\tSet uid/gid after binding to the port\n\
         \t-r REALM\tAuthentication realm for basic authentication\n\
         \t-h HOME\t\tHome directory (default .)\n\
         \t-c FILE\t\tConfiguration file (default /etc/httpd.conf, then HOME/httpd.conf)\n\
         \t-m STRING\tPrint STRING as an MD5 crypt hash\n\
         \t-e STRING\tHTML encode STRING\n\
         \t-d STRING\tURL decode STRING\n\n\
         Config lines: A:IP[/MASK] and D:IP[/MASK] (allow/deny, first match wins, * is\n\
         any), /PATH:USER:PASS (basic auth; PASS plain or $1$/$5$/$6$ crypt), .EXT:TYPE,\n\
         ENNN:PAGE (error page), H:HOME, I:INDEX, O:listing,symlinks (list directories\n\
         without an index; follow symlinks out of HOME). SIGHUP rereads the file.\n\n\
         RBOX_HTTPD_LIMITS=name=value,... overrides the bounds (times in seconds):\n\
         line (8192) head (16384) headers (100) header_timeout (30) idle (30)\n\
         write (60) conns (1024) body (16777216) cgi_time (60).",
    );

/// BusyBox's default realm.
const DEFAULT_REALM: &[u8] = b"Web Server Authentication";

struct Options {
    foreground: bool,
    inetd: bool,
    verbose: u8,
    listen: Vec<u8>,
    user: Option<Vec<u8>>,
    realm: Vec<u8>,
    home: Vec<u8>,
    conf: Option<Vec<u8>>,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut o = Options {
        foreground: false,
        inetd: false,
        verbose: 0,
        listen: b"80".to_vec(),
        user: None,
        realm: DEFAULT_REALM.to_vec(),
        home: b".".to_vec(),
        conf: None,
    };
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('f') => o.foreground = true,
            Arg::Short('i') => o.inetd = true,
            Arg::Short('v') => o.verbose = o.verbose.saturating_add(1),
            Arg::Short('p') => o.listen = opts.value()?,
            Arg::Short('u') => o.user = Some(opts.value()?),
            Arg::Short('r') => o.realm = opts.value()?,
            Arg::Short('h') => o.home = opts.value()?,
            Arg::Short('c') => o.conf = Some(opts.value()?),
            Arg::Short('d') => {
                ctx.stdout
                    .write_all(&codec::url_decode_lenient(&opts.value()?))?;
                return Ok(());
            }
            Arg::Short('e') => {
                ctx.stdout
                    .write_all(&codec::html_encode_all(&opts.value()?))?;
                return Ok(());
            }
            Arg::Short('m') => {
                let salt = random_salt()?;
                let hash = crate::common::crypt::crypt(&opts.value()?, &salt)
                    .ok_or_else(|| Error::msg("crypt failed"))?;
                ctx.stdout.write_all(&hash)?;
                ctx.stdout.write_all(b"\n")?;
                return Ok(());
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let limits = match ctx.env.get(b"RBOX_HTTPD_LIMITS") {
        Some(spec) => {
            Limits::from_spec(spec).map_err(|m| Error::msg(format!("RBOX_HTTPD_LIMITS: {m}")))?
        }
        None => Limits::default(),
    };
    let addr = parse_listen(&o.listen)?;
    // The config first: its H: may name the home directory.
    let (cfg, conf_path) = load_config(o.conf.as_deref(), &o.home)?;
    let home_arg = cfg.home.clone().unwrap_or_else(|| o.home.clone());
    let home_path = Path::new(std::ffi::OsStr::from_bytes(&home_arg));
    let home = std::fs::canonicalize(home_path).map_err(|e| Error::io(&home_arg, &e))?;
    let home_fd: OwnedFd = File::open(&home)
        .map_err(|e| Error::io(&home_arg, &e))?
        .into();
    if !home.is_dir() {
        return Err(Error::msg(format!("{}: Not a directory", home.display())));
    }
    let conf_id = conf_path
        .as_ref()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| (m.dev(), m.ino()));
    // Inetd mode: standard input is the one connection.
    let inetd = if o.inetd {
        let stdin = ctx
            .stdin
            .raw_fd()
            .ok_or_else(|| Error::msg("-i: standard input is not a connected socket"))?;
        // SAFETY: dup of the stdin fd; the new fd is owned by nothing else.
        let fd = unsafe { libc::dup(stdin) };
        if fd < 0 {
            return Err(Error::io(b"-i", &std::io::Error::last_os_error()));
        }
        // SAFETY: fd was just created by dup.
        let sock = std::net::TcpStream::from(unsafe {
            <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd)
        });
        let peer = sock
            .peer_addr()
            .map_err(|_| Error::msg("-i: standard input is not a connected socket"))?;
        sock.set_nonblocking(true)
            .map_err(|e| Error::msg(crate::error::strerror(&e)))?;
        Some((sock, peer))
    } else {
        None
    };
    let listener = match &inetd {
        Some(_) => None,
        None => Some(
            TcpListener::bind(addr)
                .map_err(|e| Error::msg(format!("bind: {}", crate::error::strerror(&e))))?,
        ),
    };
    let port = match (&listener, &inetd) {
        (Some(l), _) => l.local_addr().map_or(addr.port(), |a| a.port()),
        (None, Some((s, _))) => s.local_addr().map_or(addr.port(), |a| a.port()),
        (None, None) => addr.port(),
    };
    if let Some(spec) = &o.user {
        drop_privileges(spec)?;
    }
    if !o.foreground && inetd.is_none() && !daemonize()? {
        return Ok(());
    }
    let mut site = Site {
        home,
        home_fd,
        cfg,
        conf_path,
        conf_id,
        realm: o.realm,
        limits,
        verbose: o.verbose,
        date: String::new(),
        date_secs: -1,
        port,
        cgi_path: ctx
            .env
            .get(b"PATH")
            .unwrap_or(b"/bin:/sbin:/usr/bin:/usr/sbin")
            .to_vec(),
    };
    site.tick();
    let spawn = ctx.spawn;
    let mut srv = server::Server::new(listener, site, spawn, &mut ctx.stderr)
        .map_err(|e| Error::msg(crate::error::strerror(&e)))?;
    if let Some((sock, peer)) = inetd {
        srv.adopt(sock, peer);
    }
    srv.run()
        .map_err(|e| Error::msg(crate::error::strerror(&e)))?;
    Ok(())
}

/// `PORT`, `IP:PORT` or `[IPv6]:PORT`.
fn parse_listen(s: &[u8]) -> Result<SocketAddr, Error> {
    let bad = || Error::msg(format!("bad address '{}'", String::from_utf8_lossy(s)));
    let text = std::str::from_utf8(s).map_err(|_| bad())?;
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port));
    }
    text.parse::<SocketAddr>().map_err(|_| bad())
}

/// The config file: `-c FILE` (which must be readable), else `/etc/httpd.conf`, else
/// `HOME/httpd.conf`, else none.
fn load_config(explicit: Option<&[u8]>, home: &[u8]) -> Result<(Config, Option<PathBuf>), Error> {
    if let Some(p) = explicit {
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(p));
        let text = std::fs::read(&path).map_err(|e| Error::io(p, &e))?;
        let abs = std::fs::canonicalize(&path).unwrap_or(path);
        return Ok((Config::parse(&text), Some(abs)));
    }
    let in_home = Path::new(std::ffi::OsStr::from_bytes(home)).join("httpd.conf");
    for path in [PathBuf::from("/etc/httpd.conf"), in_home] {
        if let Ok(text) = std::fs::read(&path) {
            let abs = std::fs::canonicalize(&path).unwrap_or(path);
            return Ok((Config::parse(&text), Some(abs)));
        }
    }
    Ok((Config::default(), None))
}

/// `-u USER[:GRP]`: names or numbers from /etc/passwd and /etc/group.
fn drop_privileges(spec: &[u8]) -> Result<(), Error> {
    use nix::unistd::{Gid, Uid, setgid, setgroups, setuid};
    let acc = crate::common::passwd::Accounts::load();
    let (user, group) = match spec.iter().position(|&b| b == b':') {
        Some(i) => (&spec[..i], Some(&spec[i + 1..])),
        None => (spec, None),
    };
    let unknown =
        |what: &str, v: &[u8]| Error::msg(format!("unknown {what} {}", String::from_utf8_lossy(v)));
    let uid = acc.resolve_uid(user).ok_or_else(|| unknown("user", user))?;
    let gid = match group {
        Some(g) => acc.resolve_gid(g).ok_or_else(|| unknown("group", g))?,
        None => acc
            .user_by_uid(uid)
            .map(|u| u.gid)
            .ok_or_else(|| unknown("user", user))?,
    };
    let fail =
        |e: nix::errno::Errno| Error::msg(format!("-u: {}", crate::error::strerror(&e.into())));
    setgroups(&[Gid::from_raw(gid)]).map_err(fail)?;
    setgid(Gid::from_raw(gid)).map_err(fail)?;
    setuid(Uid::from_raw(uid)).map_err(fail)?;
    Ok(())
}

/// Becomes a daemon: fork (the parent returns `false` and exits 0), setsid, fork
/// again, cwd `/`, fds 0-2 on /dev/null. The daemon gets `true`.
fn daemonize() -> Result<bool, Error> {
    use nix::unistd::{ForkResult, fork, setsid};
    let err =
        |e: nix::errno::Errno| Error::msg(format!("fork: {}", crate::error::strerror(&e.into())));
    // SAFETY: httpd is single-threaded; the intermediate child only calls setsid, fork
    // and _exit.
    if let ForkResult::Parent { .. } = unsafe { fork() }.map_err(err)? {
        return Ok(false);
    }
    let _ = setsid();
    // SAFETY: as above.
    match unsafe { fork() } {
        Ok(ForkResult::Parent { .. }) | Err(_) => {
            // SAFETY: leaves the intermediate child at once.
            unsafe { libc::_exit(0) }
        }
        Ok(ForkResult::Child) => {}
    }
    // The daemon is the whole process: it may leave its cwd.
    #[allow(clippy::disallowed_methods)]
    let _ = nix::unistd::chdir("/");
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        use std::os::fd::AsRawFd;
        for fd in 0..3 {
            // SAFETY: dup2 onto the standard fds of this process.
            unsafe { libc::dup2(null.as_raw_fd(), fd) };
        }
    }
    Ok(true)
}

/// Eight random crypt-alphabet bytes as a `$1$` setting, for `-m`.
fn random_salt() -> Result<Vec<u8>, Error> {
    const ALPHA: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut raw = [0u8; 8];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut raw))
        .map_err(|e| Error::io(b"/dev/urandom", &e))?;
    let mut s = b"$1$".to_vec();
    s.extend(raw.iter().map(|b| ALPHA[usize::from(b & 63)]));
    s.push(b'$');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn url_helpers() {
        assert_eq!(run("httpd", &["-d", "a%20b+c"], b"").out(), "a b c");
        assert_eq!(run("httpd", &["-e", "a<b"], b"").out(), "a&#60;b");
        let r = run("httpd", &["-m", "pass"], b"");
        let hash = r.out();
        assert!(hash.starts_with("$1$") && hash.len() == 35, "{hash}");
        assert_eq!(
            crate::common::crypt::verify(b"pass", hash.trim_end().as_bytes()),
            Some(true)
        );
    }

    #[test]
    fn listen_addresses() {
        assert_eq!(
            parse_listen(b"8080").unwrap(),
            "0.0.0.0:8080".parse().unwrap()
        );
        assert_eq!(
            parse_listen(b"127.0.0.1:81").unwrap(),
            "127.0.0.1:81".parse().unwrap()
        );
        assert_eq!(
            parse_listen(b"[::1]:82").unwrap(),
            "[::1]:82".parse().unwrap()
        );
        assert!(parse_listen(b"x:1").is_err());
    }

    #[test]
    fn bad_options() {
        let r = run("httpd", &["-x"], b"");
        assert_eq!(r.status, 1);
        let r = run_with_limits("nope=1");
        assert_eq!(
            (r.status, r.err()),
            (1, "httpd: RBOX_HTTPD_LIMITS: unknown limit 'nope'\n".into())
        );
    }

    fn run_with_limits(spec: &str) -> crate::testing::Outcome {
        crate::testing::run_with_env(
            "httpd",
            &["-f", "-p", "127.0.0.1:0", "-h", "/nonexistent"].map(|a| a.as_bytes().to_vec()),
            b"",
            &[("RBOX_HTTPD_LIMITS", spec)],
        )
    }
}
