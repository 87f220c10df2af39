//! Content types by file extension, with overrides from the config file (`.ext:type`).

/// The built-in table, extension without the dot, lower case.
const TYPES: &[(&str, &str)] = &[
    ("html", "text/html"),
    ("htm", "text/html"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("mjs", "text/javascript"),
    ("json", "application/json"),
    ("txt", "text/plain"),
    ("text", "text/plain"),
    ("csv", "text/csv"),
    ("xml", "application/xml"),
    ("md", "text/markdown"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("ico", "image/x-icon"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("bmp", "image/bmp"),
    ("woff", "font/woff"),
    ("woff2", "font/woff2"),
    ("ttf", "font/ttf"),
    ("otf", "font/otf"),
    ("pdf", "application/pdf"),
    ("wasm", "application/wasm"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("tgz", "application/gzip"),
    ("tar", "application/x-tar"),
    ("xz", "application/x-xz"),
    ("bz2", "application/x-bzip2"),
    ("mp3", "audio/mpeg"),
    ("ogg", "audio/ogg"),
    ("wav", "audio/wav"),
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("mpeg", "video/mpeg"),
    ("sh", "application/x-sh"),
];

/// The type for files with no or an unknown extension.
pub const DEFAULT: &str = "application/octet-stream";

/// The content type for `name`: the config's extensions first, then the table.
pub fn content_type<'a>(name: &[u8], extra: &'a [(Vec<u8>, Vec<u8>)]) -> &'a [u8] {
    let base = name.rsplit(|&b| b == b'/').next().unwrap_or(name);
    let Some(dot) = base.iter().rposition(|&b| b == b'.') else {
        return DEFAULT.as_bytes();
    };
    let ext = &base[dot + 1..];
    if let Some((_, t)) = extra.iter().find(|(e, _)| e.eq_ignore_ascii_case(ext)) {
        return t;
    }
    TYPES
        .iter()
        .find(|(e, _)| e.as_bytes().eq_ignore_ascii_case(ext))
        .map_or(DEFAULT.as_bytes(), |(_, t)| t.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_extension() {
        assert_eq!(content_type(b"/a/index.HTML", &[]), b"text/html");
        assert_eq!(content_type(b"x.png", &[]), b"image/png");
        assert_eq!(content_type(b"/d.x/noext", &[]), DEFAULT.as_bytes());
        assert_eq!(content_type(b"a.unknown", &[]), DEFAULT.as_bytes());
        let extra = vec![
            (b"au".to_vec(), b"audio/basic".to_vec()),
            (b"png".to_vec(), b"x/y".to_vec()),
        ];
        assert_eq!(content_type(b"s.au", &extra), b"audio/basic");
        assert_eq!(content_type(b"s.png", &extra), b"x/y");
    }
}
