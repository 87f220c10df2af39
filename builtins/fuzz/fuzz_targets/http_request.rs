//! httpd's request parsing on arbitrary bytes: the head parser (whole and fed in two
//! pieces), the chunked body decoder and the target decoder must never panic, and a
//! decoded target must never climb out of the root.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../src/applets/www/httpd/request.rs"]
mod request;

#[allow(dead_code)]
#[path = "../../src/applets/www/httpd/chunked.rs"]
mod chunked;

#[allow(dead_code)]
#[path = "../../src/applets/www/httpd/path.rs"]
mod path;

fuzz_target!(|data: &[u8]| {
    let lim = request::HeadLimits {
        max_line: 256,
        max_head: 1024,
        max_headers: 16,
    };
    let whole = request::HeadParser::new().parse(data, &lim);
    let mut p = request::HeadParser::new();
    let split = data.len() / 2;
    let first = p.parse(&data[..split], &lim);
    let second = p.parse(data, &lim);
    if first == Ok(request::Parsed::Partial) {
        assert_eq!(whole, second, "incremental parse differs");
    }
    if let Ok(request::Parsed::Done(head, used)) = &whole {
        assert!(*used <= data.len());
        if let Ok(t) = path::parse_target(&head.target) {
            assert!(t.path.starts_with(b"/"));
            assert!(!t.path.split(|&b| b == b'/').any(|s| s == b".."));
            assert!(!t.path.contains(&0) && !t.path.contains(&b'\\'));
        }
    }
    let mut d = chunked::Dechunker::new(4096);
    let mut out = Vec::new();
    if let Ok(used) = d.feed(data, &mut out) {
        assert!(used <= data.len());
        assert!(out.len() <= 4096);
    }
});
