//! Shell builtins: `fn(&mut Shell, args) -> R`, args[0] being the name. Special builtins
//! (XCU 2.14) and regular ones are looked up in two sorted tables.

pub mod cd;
pub mod declare;
pub mod exec;
pub mod getopts;
pub mod misc;
pub mod read;
pub mod set;
pub mod shopt;
pub mod test;
pub mod trap;
pub mod vars;

use super::state::{R, Shell};

/// A builtin's entry point.
pub type Builtin = fn(&mut Shell, &[Vec<u8>]) -> R;

/// Special builtins, sorted.
const SPECIAL: &[(&[u8], Builtin)] = &[
    (b".", misc::dot),
    (b":", misc::colon),
    (b"break", misc::break_),
    (b"continue", misc::continue_),
    (b"eval", misc::eval),
    (b"exec", misc::colon),
    (b"exit", misc::exit),
    (b"export", vars::export),
    (b"readonly", vars::readonly),
    (b"return", misc::return_),
    (b"set", set::set),
    (b"shift", misc::shift),
    (b"source", misc::dot),
    (b"times", misc::times),
    (b"trap", trap::trap),
    (b"unset", vars::unset),
];

/// Regular shell builtins, sorted.
const REGULAR: &[(&[u8], Builtin)] = &[
    (b"[", test::test),
    (b"alias", misc::alias),
    (b"bg", crate::sh::jobs::bg),
    (b"builtin", misc::builtin),
    (b"cd", cd::cd),
    (b"chdir", cd::cd),
    (b"command", misc::command),
    (b"declare", declare::declare),
    (b"fc", crate::interactive::history::fc),
    (b"fg", crate::sh::jobs::fg),
    (b"getopts", getopts::getopts),
    (b"hash", misc::hash),
    (b"history", crate::interactive::history::history),
    (b"jobs", crate::sh::jobs::jobs),
    (b"kill", crate::sh::jobs::kill),
    (b"let", misc::let_),
    (b"local", vars::local),
    (b"logout", crate::interactive::logout),
    (b"printf", misc::printf),
    (b"pwd", cd::pwd),
    (b"read", read::read),
    (b"shopt", shopt::shopt),
    (b"test", test::test),
    (b"type", misc::type_),
    (b"typeset", declare::declare),
    (b"ulimit", misc::ulimit),
    (b"umask", misc::umask),
    (b"unalias", misc::unalias),
    (b"wait", crate::sh::jobs::wait),
];

fn find(table: &'static [(&'static [u8], Builtin)], name: &[u8]) -> Option<Builtin> {
    table
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| table[i].1)
}

/// The special builtin `name`.
pub fn special(name: &[u8]) -> Option<Builtin> {
    find(SPECIAL, name)
}

/// The regular builtin `name`.
pub fn regular(name: &[u8]) -> Option<Builtin> {
    find(REGULAR, name)
}

/// Every builtin's name (for completion).
pub fn names() -> impl Iterator<Item = &'static [u8]> {
    SPECIAL.iter().chain(REGULAR).map(|(n, _)| *n)
}

/// Writes to fd 1; a failure is reported like an applet's write error.
pub fn out(sh: &Shell, name: &[u8], data: &[u8]) -> u8 {
    match rbox_builtins::common::fdio::write_all(1, data) {
        Ok(()) => 0,
        Err(e) => {
            sh.error2(
                name,
                &format!("write error: {}", rbox_builtins::error::strerror(&e)),
            );
            1
        }
    }
}

/// Quotes a value so the shell reads it back as the same word (for `set`, `export -p`,
/// `trap`, `alias` listings and `set -x`).
pub fn quote(v: &[u8]) -> Vec<u8> {
    if !v.is_empty()
        && v.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"%+,-./:=@_^".contains(c))
    {
        return v.to_vec();
    }
    let mut s = Vec::with_capacity(v.len() + 2);
    s.push(b'\'');
    for &c in v {
        if c == b'\'' {
            s.extend_from_slice(b"'\\''");
        } else {
            s.push(c);
        }
    }
    s.push(b'\'');
    s
}

/// Parses a decimal argument.
pub fn number(s: &[u8]) -> Option<i64> {
    let t = std::str::from_utf8(s).ok()?;
    if t.is_empty() {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sorted() {
        for t in [SPECIAL, REGULAR] {
            assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(b"abc"), b"abc");
        assert_eq!(quote(b""), b"''");
        assert_eq!(quote(b"a b"), b"'a b'");
        assert_eq!(quote(b"it's"), b"'it'\\''s'");
    }
}
