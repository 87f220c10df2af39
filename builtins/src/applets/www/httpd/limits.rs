//! Every bound the server enforces, with defaults; `RBOX_HTTPD_LIMITS` overrides them
//! (`name=value,...`, times in seconds, fractions allowed) so tests can use short ones.

use std::time::Duration;

use super::request::HeadLimits;

/// The server's bounds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Request line, head size and header count (414, 431).
    pub head: HeadLimits,
    /// Time to receive a complete head, from its first byte or the connection (408).
    pub header_timeout: Duration,
    /// An idle keep-alive connection is closed after this.
    pub idle_timeout: Duration,
    /// A response that makes no progress (a client that does not read) is dropped.
    pub write_timeout: Duration,
    /// Connections beyond this get 503.
    pub max_conns: usize,
    /// Largest request body given to a CGI (413).
    pub max_body: u64,
    /// A CGI running longer is killed (500 if nothing was sent yet).
    pub cgi_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head: HeadLimits::default(),
            header_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(60),
            max_conns: 1024,
            max_body: 16 * 1024 * 1024,
            cgi_timeout: Duration::from_secs(60),
        }
    }
}

impl Limits {
    /// The defaults with the overrides of a `RBOX_HTTPD_LIMITS` value applied.
    pub fn from_spec(spec: &[u8]) -> Result<Limits, String> {
        let mut l = Limits::default();
        let text = String::from_utf8_lossy(spec);
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| format!("bad limit '{item}'"))?;
            let num = || -> Result<f64, String> {
                v.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or_else(|| format!("bad limit '{item}'"))
            };
            let secs = || num().map(Duration::from_secs_f64);
            match k {
                "line" => l.head.max_line = num()? as usize,
                "head" => l.head.max_head = num()? as usize,
                "headers" => l.head.max_headers = num()? as usize,
                "header_timeout" => l.header_timeout = secs()?,
                "idle" => l.idle_timeout = secs()?,
                "write" => l.write_timeout = secs()?,
                "conns" => l.max_conns = num()? as usize,
                "body" => l.max_body = num()? as u64,
                "cgi_time" => l.cgi_timeout = secs()?,
                _ => return Err(format!("unknown limit '{k}'")),
            }
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides() {
        let l = Limits::from_spec(b"line=100, idle=0.5,conns=3,body=10,cgi_time=2").unwrap();
        assert_eq!(l.head.max_line, 100);
        assert_eq!(l.idle_timeout, Duration::from_millis(500));
        assert_eq!(l.max_conns, 3);
        assert_eq!(l.max_body, 10);
        assert_eq!(l.cgi_timeout, Duration::from_secs(2));
        assert_eq!(l.head.max_headers, 100);
        assert!(Limits::from_spec(b"nope=1").is_err());
        assert!(Limits::from_spec(b"idle=x").is_err());
        assert!(Limits::from_spec(b"idle").is_err());
    }
}
