//! Path-name arithmetic on bytes, POSIX style (as GNU basename/dirname compute it).

/// The last component of `path`, trailing slashes ignored: `a/b/` → `b`, `/` → `/`,
/// `` → ``.
pub fn basename(path: &[u8]) -> &[u8] {
    if path.is_empty() {
        return path;
    }
    let trimmed = trim_trailing_slashes(path);
    if trimmed.is_empty() {
        return b"/";
    }
    match trimmed.iter().rposition(|&b| b == b'/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Everything before the last component of `path`: `a/b` → `a`, `a` → `.`, `/a` → `/`,
/// `//a//b//` → `//a`.
pub fn dirname(path: &[u8]) -> &[u8] {
    let trimmed = trim_trailing_slashes(path);
    if trimmed.is_empty() {
        return if path.is_empty() { b"." } else { b"/" };
    }
    match trimmed.iter().rposition(|&b| b == b'/') {
        None => b".",
        Some(i) => {
            let parent = trim_trailing_slashes(&trimmed[..i]);
            if parent.is_empty() { b"/" } else { parent }
        }
    }
}

fn trim_trailing_slashes(path: &[u8]) -> &[u8] {
    let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    &path[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basename_table() {
        let cases: &[(&str, &str)] = &[
            ("/", "/"),
            ("//", "/"),
            ("//a", "a"),
            ("a", "a"),
            ("a/", "a"),
            ("a/b/", "b"),
            ("../", ".."),
            ("", ""),
            ("/usr/lib//", "lib"),
        ];
        for (input, want) in cases {
            assert_eq!(
                basename(input.as_bytes()),
                want.as_bytes(),
                "basename {input:?}"
            );
        }
    }

    #[test]
    fn dirname_table() {
        let cases: &[(&str, &str)] = &[
            ("/", "/"),
            ("//", "/"),
            ("///", "/"),
            ("//a", "/"),
            ("//a/b", "//a"),
            ("a", "."),
            ("a/", "."),
            ("a/b/", "a"),
            ("/a", "/"),
            ("./a", "."),
            ("../", "."),
            ("", "."),
            ("a//b", "a"),
        ];
        for (input, want) in cases {
            assert_eq!(
                dirname(input.as_bytes()),
                want.as_bytes(),
                "dirname {input:?}"
            );
        }
    }
}
