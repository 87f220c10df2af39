//! httpd end to end: each test starts `rbox httpd -f -p 127.0.0.1:PORT -h DIR` on a free
//! port with short limits, talks to it with curl and raw sockets, and kills it when the
//! guard drops (also on failure). Every wait is bounded; no assertion depends on timing.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{rbox, scratch};

/// Short limits so the timeout tests are quick.
const LIMITS: &str =
    "header_timeout=2,idle=2,write=5,cgi_time=2,body=1000,line=200,head=1000,headers=20";

/// A running server, killed on drop.
struct Server {
    child: Child,
    port: u16,
    home: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (bounded) until the server answers on `port`; the probe's connection is
/// closed by the server itself, so it no longer counts when this returns.
fn wait_listening(port: u16, child: &mut Child) {
    let end = Instant::now() + Duration::from_secs(10);
    while Instant::now() < end {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            if s.write_all(b"HEAD / HTTP/1.0\r\n\r\n").is_ok() && !read_to_close(&mut s).is_empty()
            {
                return;
            }
        }
        if let Ok(Some(st)) = child.try_wait() {
            panic!("httpd exited early: {st}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("httpd did not listen on {port}");
}

impl Server {
    /// Starts httpd on `home` with extra arguments.
    fn start(home: &Path, extra: &[&str]) -> Server {
        Server::start_env(home, extra, LIMITS)
    }

    fn start_env(home: &Path, extra: &[&str], limits: &str) -> Server {
        Server::start_on(home, extra, limits, free_port)
    }

    /// Starts httpd on a port `pick` chooses (tried up to five times).
    fn start_on(home: &Path, extra: &[&str], limits: &str, pick: fn() -> u16) -> Server {
        for _ in 0..5 {
            let port = pick();
            let mut child = Command::new(rbox())
                .arg("httpd")
                .arg("-f")
                .arg("-p")
                .arg(format!("127.0.0.1:{port}"))
                .arg("-h")
                .arg(home)
                .args(extra)
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .env("RBOX_HTTPD_LIMITS", limits)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // Lost the port to another process: try another.
            std::thread::sleep(Duration::from_millis(50));
            if let Ok(Some(_)) = child.try_wait() {
                continue;
            }
            wait_listening(port, &mut child);
            return Server {
                child,
                port,
                home: home.to_path_buf(),
            };
        }
        panic!("could not start httpd");
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sends raw bytes, reads until the server closes (bounded), returns the text.
    fn raw(&self, req: &[u8]) -> String {
        let mut s = self.connect();
        s.write_all(req).unwrap();
        read_to_close(&mut s)
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

fn read_to_close(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("read: {e} after {:?}", String::from_utf8_lossy(&out)),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads exactly one response with a Content-Length body from a kept-alive connection.
fn read_response(s: &mut TcpStream) -> String {
    read_response_to(s, true)
}

/// Reads one response head, and its body when `with_body` (not after HEAD).
fn read_response_to(s: &mut TcpStream, with_body: bool) -> String {
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    while !out.ends_with(b"\r\n\r\n") {
        assert_eq!(
            s.read(&mut byte).unwrap(),
            1,
            "eof in head: {:?}",
            String::from_utf8_lossy(&out)
        );
        out.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&out).into_owned();
    let len: usize = match header(&head, "content-length") {
        Some(v) if with_body => v.parse().unwrap(),
        _ => 0,
    };
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    head + &String::from_utf8_lossy(&body)
}

/// The value of a header in a response text.
fn header<'a>(resp: &'a str, name: &str) -> Option<&'a str> {
    resp.split("\r\n\r\n").next()?.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn status(resp: &str) -> u16 {
    resp.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn body(resp: &str) -> &str {
    resp.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// Runs curl with a bounded time; returns (stdout, http status).
fn curl(args: &[&str]) -> (String, u16) {
    let out = Command::new("curl")
        .args([
            "-s",
            "-S",
            "--max-time",
            "10",
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
        ])
        .args(args)
        .output()
        .expect("curl (apt-get install curl)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (body.to_string(), code.parse().unwrap_or(0))
}

/// A home with a few files.
fn site(tag: &str) -> PathBuf {
    let dir = scratch(tag);
    let home = dir.join("www");
    std::fs::create_dir_all(home.join("sub")).unwrap();
    std::fs::create_dir_all(home.join("cgi-bin")).unwrap();
    std::fs::write(home.join("index.html"), "<h1>home</h1>\n").unwrap();
    std::fs::write(home.join("hello.txt"), "hello world\n").unwrap();
    std::fs::write(home.join("a b.txt"), "spaced\n").unwrap();
    std::fs::write(home.join("%2e%2e"), "literal name\n").unwrap();
    std::fs::write(home.join("sub/page.css"), "p{}\n").unwrap();
    std::fs::write(home.join("data.bin"), (0..=255u8).collect::<Vec<u8>>()).unwrap();
    std::fs::write(dir.join("secret"), "TOP SECRET\n").unwrap();
    std::os::unix::fs::symlink("../secret", home.join("out")).unwrap();
    std::os::unix::fs::symlink("hello.txt", home.join("in")).unwrap();
    home
}

fn script(home: &Path, name: &str, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    let p = home.join("cgi-bin").join(name);
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn serves_files_with_types_and_heads() {
    let home = site("static");
    let srv = Server::start(&home, &[]);
    assert_eq!(
        curl(&[&srv.url("/hello.txt")]),
        ("hello world\n".into(), 200)
    );
    assert_eq!(curl(&[&srv.url("/")]), ("<h1>home</h1>\n".into(), 200));
    assert_eq!(curl(&[&srv.url("/a%20b.txt")]), ("spaced\n".into(), 200));
    assert_eq!(curl(&[&srv.url("/nope")]).1, 404);
    let r = srv.raw(b"GET /sub/page.css HTTP/1.0\r\n\r\n");
    assert_eq!(status(&r), 200);
    assert_eq!(header(&r, "content-type"), Some("text/css"));
    assert_eq!(header(&r, "content-length"), Some("4"));
    assert_eq!(header(&r, "connection"), Some("close"));
    assert_eq!(body(&r), "p{}\n");
    let r = srv.raw(b"HEAD /hello.txt HTTP/1.0\r\n\r\n");
    assert_eq!(
        (status(&r), header(&r, "content-length"), body(&r)),
        (200, Some("12"), "")
    );
    let r = srv.raw(b"GET /data.bin HTTP/1.0\r\n\r\n");
    assert_eq!(header(&r, "content-type"), Some("application/octet-stream"));
    // A directory without its slash is redirected.
    let r = srv.raw(b"GET /sub?x=1 HTTP/1.0\r\n\r\n");
    assert_eq!(
        (status(&r), header(&r, "location")),
        (301, Some("/sub/?x=1"))
    );
    // No index and no listing.
    assert_eq!(status(&srv.raw(b"GET /sub/ HTTP/1.0\r\n\r\n")), 404);
}

#[test]
fn keep_alive_and_pipelining() {
    let home = site("pipe");
    let srv = Server::start(&home, &[]);
    let mut s = srv.connect();
    s.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /sub/page.css HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\n\r\n")
        .unwrap();
    let a = read_response(&mut s);
    let b = read_response(&mut s);
    let c = read_response_to(&mut s, false);
    assert_eq!((status(&a), body(&a)), (200, "hello world\n"));
    assert_eq!(header(&a, "connection"), Some("keep-alive"));
    assert_eq!((status(&b), body(&b)), (200, "p{}\n"));
    assert_eq!(
        (status(&c), header(&c, "content-length")),
        (200, Some("14"))
    );
    // Still open for another; then Connection: close ends it.
    s.write_all(b"GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let d = read_to_close(&mut s);
    assert_eq!((status(&d), body(&d)), (200, "hello world\n"));
    // HTTP/1.0 keep-alive on request.
    let mut s = srv.connect();
    s.write_all(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    let e = read_response(&mut s);
    assert_eq!(header(&e, "connection"), Some("keep-alive"));
}

#[test]
fn ranges_and_conditional_requests() {
    let home = site("range");
    let srv = Server::start(&home, &[]);
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nRange: bytes=0-4\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (206, "hello"));
    assert_eq!(header(&r, "content-range"), Some("bytes 0-4/12"));
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nRange: bytes=-6\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (206, "world\n"));
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nRange: bytes=6-\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (206, "world\n"));
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nRange: bytes=50-60\r\n\r\n");
    assert_eq!(
        (status(&r), header(&r, "content-range")),
        (416, Some("bytes */12"))
    );
    assert_eq!(
        curl(&["-r", "1-3", &srv.url("/hello.txt")]),
        ("ell".into(), 206)
    );
    // Multiple ranges: the whole file.
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nRange: bytes=0-1,3-4\r\n\r\n");
    assert_eq!(status(&r), 200);

    let full = srv.raw(b"GET /hello.txt HTTP/1.0\r\n\r\n");
    let lm = header(&full, "last-modified").unwrap().to_string();
    let tag = header(&full, "etag").unwrap().to_string();
    let r =
        srv.raw(format!("GET /hello.txt HTTP/1.0\r\nIf-Modified-Since: {lm}\r\n\r\n").as_bytes());
    assert_eq!((status(&r), body(&r)), (304, ""));
    let r = srv.raw(
        b"GET /hello.txt HTTP/1.0\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\n",
    );
    assert_eq!(status(&r), 200);
    let r = srv
        .raw(format!("GET /hello.txt HTTP/1.0\r\nIf-None-Match: \"x\", {tag}\r\n\r\n").as_bytes());
    assert_eq!((status(&r), header(&r, "etag")), (304, Some(tag.as_str())));
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nIf-None-Match: \"other\"\r\n\r\n");
    assert_eq!(status(&r), 200);
    // If-Range with a stale tag ignores the range.
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\nRange: bytes=0-1\r\nIf-Range: \"old\"\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (200, "hello world\n"));
    let r = srv.raw(
        format!("GET /hello.txt HTTP/1.0\r\nRange: bytes=0-1\r\nIf-Range: {tag}\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!((status(&r), body(&r)), (206, "he"));
}

#[test]
fn never_serves_outside_home() {
    let home = site("escape");
    let srv = Server::start(&home, &[]);
    for t in [
        "/../secret",
        "/sub/../../secret",
        "/%2e%2e/secret",
        "/%2E%2E%2Fsecret",
        "/sub/%2e%2e%2f%2e%2e%2fsecret",
        "/..%2fsecret",
        "/hello.txt%00.html",
        "/..%5csecret",
        "/..\\secret",
        "http://127.0.0.1/../secret",
        "http://x/%2e%2e/secret",
    ] {
        let r = srv.raw(format!("GET {t} HTTP/1.0\r\n\r\n").as_bytes());
        assert_eq!(status(&r), 400, "{t}: {r}");
        assert!(!r.contains("SECRET"), "{t}");
    }
    // Double encoding decodes once: a literal file name, never a parent.
    let r = srv.raw(b"GET /%252e%252e HTTP/1.0\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (200, "literal name\n"));
    assert_eq!(
        status(&srv.raw(b"GET /%252e%252e/secret HTTP/1.0\r\n\r\n")),
        404
    );
    // Absolute form inside home is fine.
    let r = srv.raw(b"GET http://example.com/hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (200, "hello world\n"));
    // curl --path-as-is sends the dots unchanged.
    assert_eq!(curl(&["--path-as-is", &srv.url("/../secret")]).1, 400);
    // Symlinks: inside home yes, out of it no.
    assert_eq!(curl(&[&srv.url("/in")]), ("hello world\n".into(), 200));
    let (out, code) = curl(&[&srv.url("/out")]);
    assert_eq!(code, 403);
    assert!(!out.contains("SECRET"));
    drop(srv);
    // ... unless the config allows it.
    std::fs::write(home.join("httpd.conf"), "O:symlinks\n").unwrap();
    let srv = Server::start(&home, &[]);
    assert_eq!(curl(&[&srv.url("/out")]), ("TOP SECRET\n".into(), 200));
    // The config file itself is never served.
    assert_eq!(curl(&[&srv.url("/httpd.conf")]).1, 403);
}

#[test]
fn error_statuses() {
    let home = site("errors");
    script(
        &home,
        "echo",
        "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\ncat\n",
    );
    let srv = Server::start(&home, &[]);
    let r = srv.raw(b"garbage\r\n\r\n");
    assert_eq!(status(&r), 400);
    assert!(body(&r).contains("400 Bad Request"));
    assert_eq!(status(&srv.raw(b"GET / HTTP/2.0\r\n\r\n")), 505);
    let r = srv.raw(b"POST /hello.txt HTTP/1.0\r\nContent-Length: 2\r\n\r\nab");
    assert_eq!((status(&r), header(&r, "allow")), (405, Some("GET, HEAD")));
    assert_eq!(status(&srv.raw(b"PUT /hello.txt HTTP/1.0\r\n\r\n")), 501);
    assert_eq!(status(&srv.raw(b"BREW /pot HTTP/1.0\r\n\r\n")), 501);
    // Request line over 200 bytes: 414.
    let long = format!("GET /{} HTTP/1.0\r\n\r\n", "a".repeat(300));
    assert_eq!(status(&srv.raw(long.as_bytes())), 414);
    // Head over 1000 bytes, or more than 20 fields: 431.
    let big = format!("GET / HTTP/1.0\r\nX: {}\r\n\r\n", "b".repeat(1200));
    assert_eq!(status(&srv.raw(big.as_bytes())), 431);
    let many: String = (0..25).map(|i| format!("X{i}: y\r\n")).collect();
    assert_eq!(
        status(&srv.raw(format!("GET / HTTP/1.0\r\n{many}\r\n").as_bytes())),
        431
    );
    // CGI body over 1000 bytes: 413, by length or once de-chunked.
    let r = srv.raw(b"POST /cgi-bin/echo HTTP/1.1\r\nContent-Length: 5000\r\n\r\n");
    assert_eq!(status(&r), 413);
    let chunked = format!(
        "POST /cgi-bin/echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n{}\r\n0\r\n\r\n",
        "c".repeat(2000)
    );
    assert_eq!(status(&srv.raw(chunked.as_bytes())), 413);
    assert_eq!(
        status(
            &srv.raw(b"POST /cgi-bin/echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        ),
        400
    );
    // Smuggling shapes.
    assert_eq!(status(&srv.raw(b"POST /cgi-bin/echo HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")), 400);
    assert_eq!(
        status(&srv.raw(b"POST /cgi-bin/echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")),
        501
    );
}

#[test]
fn slow_and_idle_clients_are_cut_off() {
    let home = site("slow");
    let srv = Server::start(&home, &[]);
    // Slowloris: a head that never completes gets 408 after header_timeout (2 s here).
    let mut s = srv.connect();
    s.write_all(b"GET / HTTP/1.1\r\nX-a: 1\r\n").unwrap();
    let r = read_to_close(&mut s);
    assert_eq!(status(&r), 408, "{r}");
    // Nothing sent at all: also 408.
    let mut s = srv.connect();
    assert_eq!(status(&read_to_close(&mut s)), 408);
    // An idle keep-alive connection is closed without a response.
    let mut s = srv.connect();
    s.write_all(b"GET /hello.txt HTTP/1.1\r\n\r\n").unwrap();
    assert_eq!(status(&read_response(&mut s)), 200);
    assert_eq!(read_to_close(&mut s), "");
}

#[test]
fn connection_limit_gives_503() {
    let home = site("conns");
    let srv = Server::start_env(&home, &[], "conns=2,header_timeout=20,idle=20");
    let mut a = srv.connect();
    let mut b = srv.connect();
    // Both are accepted before the third arrives.
    a.write_all(b"GET /hello.txt HTTP/1.1\r\n\r\n").unwrap();
    b.write_all(b"GET /hello.txt HTTP/1.1\r\n\r\n").unwrap();
    assert_eq!(status(&read_response(&mut a)), 200);
    assert_eq!(status(&read_response(&mut b)), 200);
    let mut c = srv.connect();
    let r = read_to_close(&mut c);
    assert_eq!(status(&r), 503, "{r}");
    drop(a);
    // Once one closes, new clients are served again (bounded retry: the close is async).
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\n\r\n");
        if status(&r) == 200 {
            break;
        }
        assert!(Instant::now() < end, "never served again: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn rss_kib(pid: u32) -> u64 {
    let st = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    st.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_client_that_never_reads_pins_no_memory() {
    let home = site("noread");
    std::fs::write(home.join("big"), vec![b'x'; 8 << 20]).unwrap();
    let srv = Server::start_env(&home, &[], "write=30,idle=30,header_timeout=30");
    let before = rss_kib(srv.pid());
    let mut clients = Vec::new();
    for _ in 0..8 {
        let mut s = srv.connect();
        let reqs = "GET /big HTTP/1.1\r\n\r\n".repeat(50);
        s.write_all(reqs.as_bytes()).unwrap();
        clients.push(s);
    }
    // Let the server fill the socket buffers (bounded: it makes no progress after that).
    std::thread::sleep(Duration::from_millis(500));
    let after = rss_kib(srv.pid());
    // 8 clients x 50 x 8 MiB asked for; the server holds no body in memory.
    assert!(
        after < before + 4096,
        "RSS grew from {before} to {after} KiB"
    );
    // And it still serves others.
    assert_eq!(curl(&[&srv.url("/hello.txt")]).1, 200);
}

#[test]
fn cgi_environment_body_and_headers() {
    let home = site("cgi");
    script(
        &home,
        "env",
        "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n\
         echo \"method=$REQUEST_METHOD query=$QUERY_STRING info=$PATH_INFO\"\n\
         echo \"script=$SCRIPT_NAME gw=$GATEWAY_INTERFACE proto=$SERVER_PROTOCOL\"\n\
         echo \"len=$CONTENT_LENGTH type=$CONTENT_TYPE ua=$HTTP_USER_AGENT addr=$REMOTE_ADDR\"\n\
         echo \"body=$(cat)\"\n",
    );
    // No #!: run by rbox's own sh.
    script(
        &home,
        "plain",
        "printf 'Status: 201 Made\\n\\n'\necho \"made $QUERY_STRING\"\n",
    );
    script(
        &home,
        "redir",
        "#!/bin/sh\nprintf 'Location: /hello.txt\\n\\n'\n",
    );
    script(&home, "bad", "#!/bin/sh\necho no header block\n");
    script(
        &home,
        "slow",
        "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nsleep 30\n",
    );
    script(&home, "fail", "#!/bin/sh\nexit 3\n");
    std::fs::write(home.join("cgi-bin/noexec"), "#!/bin/sh\necho hi\n").unwrap();
    let srv = Server::start(&home, &[]);
    let (out, code) = curl(&["-A", "tester", &srv.url("/cgi-bin/env/extra/path?a=1&b=2")]);
    assert_eq!(code, 200);
    assert_eq!(
        out,
        "method=GET query=a=1&b=2 info=/extra/path\n\
         script=/cgi-bin/env gw=CGI/1.1 proto=HTTP/1.1\n\
         len=0 type= ua=tester addr=127.0.0.1\nbody=\n"
    );
    let (out, _) = curl(&["--data-binary", "x=1&y=2", &srv.url("/cgi-bin/env")]);
    assert!(
        out.contains("method=POST")
            && out.contains("len=7 type=application/x-www-form-urlencoded")
            && out.contains("body=x=1&y=2"),
        "{out}"
    );
    // A chunked body is de-chunked for the script.
    let (out, _) = curl(&[
        "-H",
        "Transfer-Encoding: chunked",
        "--data-binary",
        "chunky data",
        &srv.url("/cgi-bin/env"),
    ]);
    assert!(
        out.contains("len=11") && out.contains("body=chunky data"),
        "{out}"
    );
    let r = srv.raw(b"POST /cgi-bin/env HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n");
    assert!(body(&r).contains("body=abcde"), "{r}");
    // Expect: 100-continue gets its interim response.
    let r = srv
        .raw(b"POST /cgi-bin/env HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nok");
    assert!(
        r.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"),
        "{r}"
    );
    let r = srv.raw(b"GET /cgi-bin/plain?q HTTP/1.0\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (201, "made q\n"));
    assert!(r.starts_with("HTTP/1.1 201 Made\r\n"));
    let r = srv.raw(b"GET /cgi-bin/redir HTTP/1.0\r\n\r\n");
    assert_eq!(
        (status(&r), header(&r, "location")),
        (302, Some("/hello.txt"))
    );
    let r = srv.raw(b"HEAD /cgi-bin/plain HTTP/1.0\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (201, ""));
    assert_eq!(status(&srv.raw(b"GET /cgi-bin/bad HTTP/1.0\r\n\r\n")), 500);
    assert_eq!(status(&srv.raw(b"GET /cgi-bin/fail HTTP/1.0\r\n\r\n")), 500);
    assert_eq!(
        status(&srv.raw(b"GET /cgi-bin/noexec HTTP/1.0\r\n\r\n")),
        403
    );
    assert_eq!(
        status(&srv.raw(b"GET /cgi-bin/missing HTTP/1.0\r\n\r\n")),
        404
    );
    // Past cgi_time (2 s) the script is killed and, with its head sent, the response ends.
    let r = srv.raw(b"GET /cgi-bin/slow HTTP/1.0\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (200, ""));
    script(&home, "silent", "#!/bin/sh\nsleep 30\n");
    assert_eq!(
        status(&srv.raw(b"GET /cgi-bin/silent HTTP/1.0\r\n\r\n")),
        500
    );
}

#[test]
fn config_rules_auth_and_reload() {
    let home = site("conf");
    let hash = Command::new(rbox())
        .args(["httpd", "-m", "s3cret"])
        .output()
        .unwrap();
    let hash = String::from_utf8(hash.stdout).unwrap();
    let conf = home.join("../httpd.conf");
    std::fs::write(
        &conf,
        format!(
            "# test config\n/sub:alice:plainpw\n/sub:bob:{}\n.txt:text/x-test\nE404:/e404.html\nI:start.htm\n",
            hash.trim()
        ),
    )
    .unwrap();
    std::fs::write(home.join("e404.html"), "custom missing\n").unwrap();
    std::fs::write(home.join("sub/start.htm"), "sub start\n").unwrap();
    let conf_arg = conf.to_str().unwrap().to_string();
    let srv = Server::start(&home, &["-c", &conf_arg, "-r", "My Realm"]);
    let r = srv.raw(b"GET /sub/ HTTP/1.0\r\n\r\n");
    assert_eq!(status(&r), 401);
    assert_eq!(
        header(&r, "www-authenticate"),
        Some("Basic realm=\"My Realm\"")
    );
    assert_eq!(
        curl(&["-u", "alice:plainpw", &srv.url("/sub/")]),
        ("sub start\n".into(), 200)
    );
    assert_eq!(
        curl(&["-u", "bob:s3cret", &srv.url("/sub/page.css")]),
        ("p{}\n".into(), 200)
    );
    assert_eq!(curl(&["-u", "bob:wrong", &srv.url("/sub/page.css")]).1, 401);
    assert_eq!(
        curl(&["-u", "alice:s3cret", &srv.url("/sub/page.css")]).1,
        401
    );
    // Unprotected paths need nothing.
    let r = srv.raw(b"GET /hello.txt HTTP/1.0\r\n\r\n");
    assert_eq!(header(&r, "content-type"), Some("text/x-test"));
    let r = srv.raw(b"GET /missing HTTP/1.0\r\n\r\n");
    assert_eq!((status(&r), body(&r)), (404, "custom missing\n"));

    // SIGHUP rereads the file: now loopback is denied and listing is on.
    std::fs::write(&conf, "D:127.0.0.1\n").unwrap();
    Command::new("kill")
        .args(["-HUP", &srv.pid().to_string()])
        .status()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(10);
    while status(&srv.raw(b"GET /hello.txt HTTP/1.0\r\n\r\n")) != 403 {
        assert!(Instant::now() < end, "reload not seen");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::write(&conf, "A:10.0.0.0/8\nA:127.\nD:*\nO:listing\n").unwrap();
    Command::new("kill")
        .args(["-HUP", &srv.pid().to_string()])
        .status()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let r = srv.raw(b"GET /sub/ HTTP/1.0\r\n\r\n");
        if status(&r) == 200 {
            assert!(
                body(&r).contains("<a href=\"page.css\">page.css</a>"),
                "{r}"
            );
            break;
        }
        assert!(Instant::now() < end, "reload not seen: {r}");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(srv);
    // H: in the config names the home directory, over -h.
    let other = home.parent().unwrap().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("hello.txt"), "from H:\n").unwrap();
    std::fs::write(&conf, format!("H:{}\n", other.display())).unwrap();
    let srv = Server::start(&home, &["-c", &conf_arg]);
    assert_eq!(curl(&[&srv.url("/hello.txt")]), ("from H:\n".into(), 200));
    assert_eq!(curl(&[&srv.url("/index.html")]).1, 404);
    let _ = &srv.home;
}

#[test]
fn url_helpers_and_usage() {
    let out = Command::new(rbox())
        .args(["httpd", "-d", "a%20b+c%2F"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a b c/");
    let out = Command::new(rbox())
        .args(["httpd", "-e", "<a&b>"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "&#60;a&#38;b&#62;");
    let out = Command::new(rbox())
        .args(["httpd", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("RBOX_HTTPD_LIMITS"));
    let out = Command::new(rbox())
        .args(["httpd", "-f", "-p", "127.0.0.1:1", "-h", "/nonexistent-dir"])
        .output()
        .unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned()
        ),
        (
            Some(1),
            "httpd: /nonexistent-dir: No such file or directory\n".into()
        )
    );
}

/// The pids of processes whose command line contains `needle`.
fn pids_with(needle: &str) -> Vec<u32> {
    let mut pids = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline"))
            && String::from_utf8_lossy(&cmd).contains(needle)
        {
            pids.push(pid);
        }
    }
    pids
}

/// Kills the daemons of a test when dropped.
struct KillByHome(String);

impl Drop for KillByHome {
    fn drop(&mut self) {
        for pid in pids_with(&self.0) {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

#[test]
fn daemonizes_without_f() {
    let home = site("daemon");
    let home_s = home.to_str().unwrap().to_string();
    let _guard = KillByHome(home_s.clone());
    let port = free_port();
    let st = Command::new(rbox())
        .args(["httpd", "-p", &format!("127.0.0.1:{port}"), "-h", &home_s])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    let end = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < end, "daemon not listening");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        curl(&[&format!("http://127.0.0.1:{port}/hello.txt")]),
        ("hello world\n".into(), 200)
    );
    let pids = pids_with(&home_s);
    assert_eq!(pids.len(), 1, "one daemon");
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pids[0])).unwrap();
    // Fields after the command: state, ppid, pgrp, session; the daemon leads no
    // session (double fork) but is in its own.
    let fields: Vec<&str> = stat.rsplit_once(") ").unwrap().1.split(' ').collect();
    let (pgrp, sid) = (fields[2], fields[3]);
    assert_eq!(pgrp, sid);
    assert_ne!(sid, pids[0].to_string());
    assert_eq!(
        std::fs::read_link(format!("/proc/{}/cwd", pids[0])).unwrap(),
        Path::new("/")
    );
}

#[test]
fn drops_privileges_after_binding() {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        return; // needs root to switch users
    }
    let home = site("user");
    let parent = home.parent().unwrap();
    for p in [parent, &home] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let srv = Server::start(&home, &["-u", "nobody"]);
    assert_eq!(
        curl(&[&srv.url("/hello.txt")]),
        ("hello world\n".into(), 200)
    );
    let st = std::fs::read_to_string(format!("/proc/{}/status", srv.pid())).unwrap();
    let uid_line = st.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert_eq!(uid_line.split_whitespace().nth(1), Some("65534"));
}

#[test]
fn large_cgi_output_reaches_a_slow_reader_whole() {
    let home = site("cgibig");
    script(
        &home,
        "big",
        "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\nhead -c 3000000 /dev/zero | tr '\\0' a\n",
    );
    let srv = Server::start(&home, &[]);
    let mut s = srv.connect();
    s.write_all(b"GET /cgi-bin/big HTTP/1.0\r\n\r\n").unwrap();
    // Read slowly at first, so the server has to stop and restart reading the pipe.
    let mut first = [0u8; 1000];
    s.read_exact(&mut first).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let rest = read_to_close(&mut s);
    let all = String::from_utf8_lossy(&first).into_owned() + &rest;
    assert_eq!(status(&all), 200);
    let b = body(&all);
    assert_eq!(b.len(), 3_000_000);
    assert!(b.bytes().all(|c| c == b'a'));
}

#[test]
fn verbose_logs_each_request() {
    let home = site("verbose");
    script(
        &home,
        "made",
        "#!/bin/sh\nprintf 'Status: 201 Made\\n\\n'\n",
    );
    let mut srv = Server::start(&home, &["-v"]);
    assert_eq!(curl(&[&srv.url("/hello.txt")]).1, 200);
    assert_eq!(curl(&[&srv.url("/nope")]).1, 404);
    assert_eq!(curl(&[&srv.url("/cgi-bin/made?x")]).1, 201);
    let _ = srv.child.kill();
    let _ = srv.child.wait();
    let mut err = String::new();
    srv.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(lines[0].ends_with(" HEAD / 200"), "{err}"); // the start-up probe
    assert!(
        lines[1].starts_with("httpd: 127.0.0.1:") && lines[1].ends_with(" GET /hello.txt 200"),
        "{err}"
    );
    assert!(lines[2].ends_with(" GET /nope 404"), "{err}");
    assert!(lines[3].ends_with(" GET /cgi-bin/made?x 201"), "{err}");
}

#[test]
fn few_file_descriptors_mean_fewer_connections() {
    let home = site("emfile");
    let port = free_port();
    // 16 fds: after the standard ones, home, epoll, signalfd and the listener, only a
    // few connections fit.
    let child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 16 && exec \"$0\" httpd -f -p \"$1\" -h \"$2\"")
        .arg(rbox())
        .arg(format!("127.0.0.1:{port}"))
        .arg(&home)
        .env("RBOX_HTTPD_LIMITS", "header_timeout=30,idle=30")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut srv = Server {
        child,
        port,
        home: home.clone(),
    };
    wait_listening(port, &mut srv.child);
    let mut held = Vec::new();
    for _ in 0..20 {
        let mut s = srv.connect();
        s.write_all(b"GET /hello.txt HTTP/1.1\r\n\r\n").unwrap();
        held.push(s);
    }
    // The connection limit shrinks to what the fds allow: a few clients are served,
    // the rest get 503 rather than an accept loop spinning on EMFILE.
    let mut codes = Vec::new();
    for mut s in held {
        codes.push(status(&read_response(&mut s)));
    }
    assert!(codes.iter().all(|&c| c == 200 || c == 503), "{codes:?}");
    assert!(codes.contains(&200) && codes.contains(&503), "{codes:?}");
    assert_eq!(curl(&[&srv.url("/hello.txt")]).1, 200);
}

#[test]
fn inetd_mode_serves_the_connection_on_stdin() {
    let home = site("inetd");
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let (server_side, _) = l.accept().unwrap();
    let fd: std::os::fd::OwnedFd = server_side.into();
    let mut child = Command::new(rbox())
        .args(["httpd", "-i", "-h"])
        .arg(&home)
        .env("RBOX_HTTPD_LIMITS", LIMITS)
        .stdin(Stdio::from(fd))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    client
        .write_all(b"GET /hello.txt HTTP/1.1\r\n\r\nGET /sub/page.css HTTP/1.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let a = read_response(&mut client);
    let b = read_to_close(&mut client);
    assert_eq!((status(&a), body(&a)), (200, "hello world\n"));
    assert_eq!((status(&b), body(&b)), (200, "p{}\n"));
    // The connection is over, so is the server.
    let end = Instant::now() + Duration::from_secs(10);
    let st = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("httpd -i did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(st.success());
    // Standard input that is not a socket.
    let out = Command::new(rbox())
        .args(["httpd", "-i", "-h"])
        .arg(&home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned()
        ),
        (
            Some(1),
            "httpd: -i: standard input is not a connected socket\n".into()
        )
    );
}
