//! Response heads and the small bodies of error responses.

/// The reason phrase of a status code.
pub fn reason(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Builds one response head in a byte buffer.
pub struct HeadBuilder<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> HeadBuilder<'a> {
    /// Starts `HTTP/1.1 CODE REASON` with the `Server` and `Date` fields.
    pub fn new(out: &'a mut Vec<u8>, code: u16, date: &str) -> HeadBuilder<'a> {
        out.extend_from_slice(b"HTTP/1.1 ");
        out.extend_from_slice(code.to_string().as_bytes());
        out.push(b' ');
        out.extend_from_slice(reason(code).as_bytes());
        out.extend_from_slice(b"\r\nServer: rbox httpd\r\nDate: ");
        out.extend_from_slice(date.as_bytes());
        out.extend_from_slice(b"\r\n");
        HeadBuilder { out }
    }

    /// Adds `name: value`.
    pub fn field(&mut self, name: &str, value: &[u8]) -> &mut Self {
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b": ");
        self.out.extend_from_slice(value);
        self.out.extend_from_slice(b"\r\n");
        self
    }

    /// Adds `Content-Length: n`.
    pub fn length(&mut self, n: u64) -> &mut Self {
        self.field("Content-Length", n.to_string().as_bytes())
    }

    /// Adds the `Connection` field and the empty line.
    pub fn finish(&mut self, keep_alive: bool) {
        self.out.extend_from_slice(if keep_alive {
            b"Connection: keep-alive\r\n\r\n".as_slice()
        } else {
            b"Connection: close\r\n\r\n".as_slice()
        });
    }
}

/// The small HTML body of an error response.
pub fn error_body(code: u16) -> Vec<u8> {
    let r = reason(code);
    format!(
        "<HTML><HEAD><TITLE>{code} {r}</TITLE></HEAD>\n<BODY><H1>{code} {r}</H1>\n</BODY></HTML>\n"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_heads() {
        let mut v = Vec::new();
        HeadBuilder::new(&mut v, 404, "D")
            .field("Content-Type", b"text/html")
            .length(3)
            .finish(false);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "HTTP/1.1 404 Not Found\r\nServer: rbox httpd\r\nDate: D\r\n\
             Content-Type: text/html\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"
        );
        assert!(
            String::from_utf8(error_body(503))
                .unwrap()
                .contains("503 Service Unavailable")
        );
    }
}
