//! From a parsed request head to a response: access rules, auth, static files,
//! directories, error pages, or a CGI plan whose body is read next.

use std::fs::File;
use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::{MetadataExt, PermissionsExt};

use super::cgi::CgiPlan;
use super::codec;
use super::files::{self, RangeAsk};
use super::fsys;
use super::path::{self, Target};
use super::request::{BodyKind, Head};
use super::response::{HeadBuilder, error_body};
use super::site::Site;

/// A file body to send after the head, with `sendfile`.
#[derive(Debug)]
pub struct FileBody {
    /// The open file.
    pub file: File,
    /// Where to start.
    pub offset: u64,
    /// How many bytes.
    pub len: u64,
}

/// A response whose head (and any small body) is already in the output buffer.
#[derive(Debug)]
pub struct Reply {
    /// The status, for the log.
    pub code: u16,
    /// A file to send after the buffer.
    pub file: Option<FileBody>,
    /// Whether the connection stays open afterwards.
    pub keep_alive: bool,
}

/// What the connection does next.
#[derive(Debug)]
pub enum Action {
    /// Send the reply.
    Reply(Reply),
    /// Read the request body, then run the CGI.
    Cgi(Box<CgiPlan>),
}

/// The client's IPv4 address as a number (IPv4-mapped IPv6 included).
pub fn ipv4_of(peer: &SocketAddr) -> Option<u32> {
    match peer.ip() {
        IpAddr::V4(a) => Some(u32::from(a)),
        IpAddr::V6(a) => a.to_ipv4_mapped().map(u32::from),
    }
}

/// Handles one request head, writing the response head into `out`.
pub fn handle(site: &Site, head: &Head, peer: &SocketAddr, out: &mut Vec<u8>) -> Action {
    let head_only = head.method == b"HEAD";
    // A body we do not read would be taken for the next request: close after replying.
    let keep = head.keep_alive() && head.body == BodyKind::None;
    let fail =
        |code: u16, out: &mut Vec<u8>| Action::Reply(error(site, code, keep, head_only, out));
    if !site.cfg.allowed(ipv4_of(peer)) {
        return fail(403, out);
    }
    let known = matches!(&head.method[..], b"GET" | b"HEAD" | b"POST");
    if !known {
        return fail(501, out);
    }
    let target = match path::parse_target(&head.target) {
        Ok(t) => t,
        Err(_) => return fail(400, out),
    };
    let rules = site.cfg.auth_for(&target.path);
    let mut remote_user = None;
    if !rules.is_empty() {
        match super::auth::check(head.header("authorization"), &rules) {
            Some(u) => remote_user = Some(u),
            None => return Action::Reply(unauthorized(site, keep, head_only, out)),
        }
    }
    if target.path == b"/cgi-bin" || target.path.starts_with(b"/cgi-bin/") {
        return cgi(site, head, &target, peer, remote_user, keep, out);
    }
    if head.method == b"POST" {
        let mut r = error(site, 405, false, head_only, out);
        r.keep_alive = false;
        return Action::Reply(r);
    }
    Action::Reply(serve_static(site, head, &target, keep, head_only, out))
}

/// An error response: the config's page for the status if it has one, else a small body.
pub fn error(site: &Site, code: u16, keep: bool, head_only: bool, out: &mut Vec<u8>) -> Reply {
    if let Some(page) = site.cfg.error_page(code)
        && let Ok(t) = path::parse_target(page)
        && let Ok(file) =
            fsys::open_beneath(&site.home_fd, &site.home, path::relative(&t.path), false)
        && let Ok(md) = file.metadata()
        && md.is_file()
    {
        let mut h = HeadBuilder::new(out, code, &site.date);
        h.field("Content-Type", b"text/html").length(md.len());
        extra_fields(code, &mut h);
        h.finish(keep);
        let file = (!head_only && md.len() > 0).then_some(FileBody {
            file,
            offset: 0,
            len: md.len(),
        });
        return Reply {
            code,
            file,
            keep_alive: keep,
        };
    }
    let body = error_body(code);
    let mut h = HeadBuilder::new(out, code, &site.date);
    h.field("Content-Type", b"text/html")
        .length(body.len() as u64);
    extra_fields(code, &mut h);
    h.finish(keep);
    if !head_only {
        out.extend_from_slice(&body);
    }
    Reply {
        code,
        file: None,
        keep_alive: keep,
    }
}

fn extra_fields(code: u16, h: &mut HeadBuilder<'_>) {
    if code == 405 {
        h.field("Allow", b"GET, HEAD");
    }
}

fn unauthorized(site: &Site, keep: bool, head_only: bool, out: &mut Vec<u8>) -> Reply {
    let body = error_body(401);
    let mut realm = b"Basic realm=\"".to_vec();
    realm.extend(site.realm.iter().filter(|&&b| b != b'"' && b >= b' '));
    realm.push(b'"');
    HeadBuilder::new(out, 401, &site.date)
        .field("WWW-Authenticate", &realm)
        .field("Content-Type", b"text/html")
        .length(body.len() as u64)
        .finish(keep);
    if !head_only {
        out.extend_from_slice(&body);
    }
    Reply {
        code: 401,
        file: None,
        keep_alive: keep,
    }
}

fn redirect(site: &Site, target: &Target, keep: bool, head_only: bool, out: &mut Vec<u8>) -> Reply {
    let mut loc = target.raw_path.clone();
    loc.push(b'/');
    if !target.query.is_empty() {
        loc.push(b'?');
        loc.extend_from_slice(&target.query);
    }
    let body = error_body(301);
    HeadBuilder::new(out, 301, &site.date)
        .field("Location", &loc)
        .field("Content-Type", b"text/html")
        .length(body.len() as u64)
        .finish(keep);
    if !head_only {
        out.extend_from_slice(&body);
    }
    Reply {
        code: 301,
        file: None,
        keep_alive: keep,
    }
}

fn serve_static(
    site: &Site,
    head: &Head,
    target: &Target,
    keep: bool,
    head_only: bool,
    out: &mut Vec<u8>,
) -> Reply {
    let follow = site.cfg.follow_symlinks;
    let rel = path::relative(&target.path);
    let file = match fsys::open_beneath(&site.home_fd, &site.home, rel, follow) {
        Ok(f) => f,
        Err(e) => return error(site, fsys::open_status(e), keep, head_only, out),
    };
    let Ok(mut md) = file.metadata() else {
        return error(site, 500, keep, head_only, out);
    };
    let mut file = file;
    let mut name = target.path.clone();
    if md.is_dir() {
        if !target.slash && target.path != b"/" {
            return redirect(site, target, keep, head_only, out);
        }
        let mut index = rel.to_vec();
        index.push(b'/');
        index.extend_from_slice(&site.cfg.index);
        match fsys::open_beneath(&site.home_fd, &site.home, &index, follow) {
            Ok(f) => match f.metadata() {
                Ok(m) if m.is_file() => {
                    file = f;
                    md = m;
                    name = index;
                }
                _ => return error(site, 403, keep, head_only, out),
            },
            Err(_) if site.cfg.listing => {
                return listing(site, target, keep, head_only, out);
            }
            Err(e) => return error(site, fsys::open_status(e), keep, head_only, out),
        }
    }
    if !md.is_file() || site.conf_id == Some((md.dev(), md.ino())) {
        return error(site, 403, keep, head_only, out);
    }
    let size = md.len();
    let mtime = md.mtime();
    let tag = files::etag(mtime, size);
    let last_modified = super::httpdate::format(mtime);
    if files::not_modified(
        head.header("if-none-match"),
        head.header("if-modified-since"),
        &tag,
        mtime,
    ) {
        HeadBuilder::new(out, 304, &site.date)
            .field("ETag", tag.as_bytes())
            .field("Last-Modified", last_modified.as_bytes())
            .finish(keep);
        return Reply {
            code: 304,
            file: None,
            keep_alive: keep,
        };
    }
    let mut ask = head
        .header("range")
        .map_or(RangeAsk::Full, |v| files::parse_range(v, size));
    if let Some(v) = head.header("if-range")
        && !files::if_range_holds(v, &tag, &last_modified)
    {
        ask = RangeAsk::Full;
    }
    let ctype = super::mime::content_type(&name, &site.cfg.mime);
    let (code, offset, len) = match ask {
        RangeAsk::Full => (200, 0, size),
        RangeAsk::Part(a, b) => (206, a, b - a + 1),
        RangeAsk::Unsatisfiable => {
            let body = error_body(416);
            HeadBuilder::new(out, 416, &site.date)
                .field("Content-Range", format!("bytes */{size}").as_bytes())
                .field("Content-Type", b"text/html")
                .length(body.len() as u64)
                .finish(keep);
            if !head_only {
                out.extend_from_slice(&body);
            }
            return Reply {
                code: 416,
                file: None,
                keep_alive: keep,
            };
        }
    };
    let mut h = HeadBuilder::new(out, code, &site.date);
    h.field("Content-Type", ctype)
        .length(len)
        .field("Last-Modified", last_modified.as_bytes())
        .field("ETag", tag.as_bytes())
        .field("Accept-Ranges", b"bytes");
    if code == 206 {
        let end = offset + len - 1;
        h.field(
            "Content-Range",
            format!("bytes {offset}-{end}/{size}").as_bytes(),
        );
    }
    h.finish(keep);
    let file = (!head_only && len > 0).then_some(FileBody { file, offset, len });
    Reply {
        code,
        file,
        keep_alive: keep,
    }
}

/// An HTML list of a directory's entries (`O:listing`).
fn listing(site: &Site, target: &Target, keep: bool, head_only: bool, out: &mut Vec<u8>) -> Reply {
    use std::os::unix::ffi::OsStrExt;
    let dir = site
        .home
        .join(std::ffi::OsStr::from_bytes(path::relative(&target.path)));
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return error(site, 403, keep, head_only, out);
    };
    let mut names: Vec<(Vec<u8>, bool)> = rd
        .filter_map(Result::ok)
        .map(|e| {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.file_name().as_bytes().to_vec(), is_dir)
        })
        .collect();
    names.sort();
    let mut title = Vec::new();
    codec::html_escape(&target.path, &mut title);
    if target.path != b"/" {
        title.push(b'/');
    }
    let mut body = b"<!DOCTYPE html>\n<html><head><title>Index of ".to_vec();
    body.extend_from_slice(&title);
    body.extend_from_slice(b"</title></head>\n<body><h1>Index of ");
    body.extend_from_slice(&title);
    body.extend_from_slice(b"</h1>\n<ul>\n");
    if target.path != b"/" {
        body.extend_from_slice(b"<li><a href=\"../\">../</a></li>\n");
    }
    for (name, is_dir) in &names {
        body.extend_from_slice(b"<li><a href=\"");
        codec::url_encode(name, &mut body);
        if *is_dir {
            body.push(b'/');
        }
        body.extend_from_slice(b"\">");
        codec::html_escape(name, &mut body);
        if *is_dir {
            body.push(b'/');
        }
        body.extend_from_slice(b"</a></li>\n");
    }
    body.extend_from_slice(b"</ul>\n</body></html>\n");
    HeadBuilder::new(out, 200, &site.date)
        .field("Content-Type", b"text/html")
        .length(body.len() as u64)
        .finish(keep);
    if !head_only {
        out.extend_from_slice(&body);
    }
    Reply {
        code: 200,
        file: None,
        keep_alive: keep,
    }
}

fn cgi(
    site: &Site,
    head: &Head,
    target: &Target,
    peer: &SocketAddr,
    remote_user: Option<Vec<u8>>,
    keep: bool,
    out: &mut Vec<u8>,
) -> Action {
    let head_only = head.method == b"HEAD";
    let rest = target.path.strip_prefix(b"/cgi-bin").unwrap_or_default();
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let (name, path_info) = match rest.iter().position(|&b| b == b'/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, &b""[..]),
    };
    if name.is_empty() {
        return Action::Reply(error(site, 404, keep, head_only, out));
    }
    let rel = [b"cgi-bin/".as_slice(), name].concat();
    let file = match fsys::open_beneath(&site.home_fd, &site.home, &rel, site.cfg.follow_symlinks) {
        Ok(f) => f,
        Err(e) => return Action::Reply(error(site, fsys::open_status(e), keep, head_only, out)),
    };
    match file.metadata() {
        Ok(md) if md.is_file() && md.permissions().mode() & 0o111 != 0 => {}
        Ok(_) => return Action::Reply(error(site, 403, keep, head_only, out)),
        Err(_) => return Action::Reply(error(site, 500, keep, head_only, out)),
    }
    if let BodyKind::Length(n) = head.body
        && n > site.limits.max_body
    {
        let mut r = error(site, 413, false, head_only, out);
        r.keep_alive = false;
        return Action::Reply(r);
    }
    let plan = CgiPlan::new(site, head, target, name, path_info, peer, remote_user);
    Action::Cgi(Box::new(plan))
}
