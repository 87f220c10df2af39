//! Shell patterns for `ls -I`/`--hide` and `du --exclude`: a thin wrapper over the shared
//! POSIX matcher in `rbox_parser::pattern`.

use rbox_parser::pattern::{Options, Pattern};

/// Whether `name` matches the shell pattern `pat` (`*`, `?`, `[...]`, `\` quoting), as
/// fnmatch does; with `period` (`FNM_PERIOD`, for `ls -I` and `--hide`) a leading `.`
/// matches only a literal `.`.
pub fn glob_match(pat: &[u8], name: &[u8], period: bool) -> bool {
    let opts = Options {
        period,
        ..Options::default()
    };
    Pattern::parse(pat, opts).matches(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        for (p, n, want) in [
            ("*.o", "a.o", true),
            ("*.o", "a.c", false),
            ("*", ".hidden", false),
            (".*", ".hidden", true),
            ("a?c", "abc", true),
            ("[a-c]x", "bx", true),
            ("[!a-c]x", "bx", false),
            ("[]]", "]", true),
            ("\\*", "*", true),
            ("*b*c", "abxbc", true),
            ("[", "[", true), // a lone [ is literal, as in GNU ls --hide='['
        ] {
            assert_eq!(
                glob_match(p.as_bytes(), n.as_bytes(), true),
                want,
                "{p} {n}"
            );
        }
        assert!(glob_match(b"*", b".x", false));
    }
}
