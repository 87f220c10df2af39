//! Colours: GNU's built-in defaults (what ls uses when `LS_COLORS` names nothing else).
//! `LS_COLORS` itself is not parsed; its presence only says the terminal takes colours.

use super::Entry;
use crate::ctx::Env;

/// Whether `--color` should colour at all: GNU colours only when `LS_COLORS` or
/// `COLORTERM` is set, or `TERM` is one dircolors knows.
pub fn terminal_wants_color(env: &dyn Env) -> bool {
    let set = |n: &[u8]| env.get(n).is_some_and(|v| !v.is_empty());
    if set(b"LS_COLORS") || set(b"COLORTERM") {
        return true;
    }
    let Some(term) = env.get(b"TERM") else {
        return false;
    };
    const EXACT: &[&[u8]] = &[
        b"Eterm",
        b"ansi",
        b"cons25",
        b"console",
        b"cygwin",
        b"dtterm",
        b"gnome",
        b"hurd",
        b"jfbterm",
        b"konsole",
        b"kterm",
        b"linux",
        b"linux-c",
        b"mlterm",
        b"putty",
        b"st",
        b"terminator",
        b"vt100",
        b"alacritty",
        b"foot",
        b"kitty",
    ];
    const PREFIX: &[&[u8]] = &[b"rxvt", b"screen", b"tmux", b"xterm", b"st-", b"putty-"];
    let contains = |needle: &[u8]| term.windows(needle.len()).any(|w| w == needle);
    EXACT.contains(&term)
        || PREFIX.iter().any(|p| term.starts_with(p))
        || contains(b"color")
        || contains(b"direct")
        || (term.starts_with(b"con") && term.contains(&b'x'))
}

/// The colour of an entry's name.
pub fn entry_code(e: &Entry) -> Option<&'static str> {
    match e.st.as_ref() {
        Some(st) => mode_code(st.st_mode, true),
        None => e.dtype.and_then(|t| mode_code(t, false)),
    }
}

/// The colour for a file of mode `mode`; `perms` says whether its permission bits are
/// known (an entry that could not be stat'ed has only its type).
pub fn mode_code(mode: u32, perms: bool) -> Option<&'static str> {
    let p = |bit: u32| perms && mode & bit != 0;
    Some(match mode & libc::S_IFMT {
        libc::S_IFDIR => match (p(0o1000), p(0o002)) {
            (true, true) => "30;42",
            (false, true) => "34;42",
            (true, false) => "37;44",
            (false, false) => "01;34",
        },
        libc::S_IFLNK => "01;36",
        libc::S_IFIFO => "33",
        libc::S_IFSOCK => "01;35",
        libc::S_IFBLK | libc::S_IFCHR => "01;33",
        libc::S_IFREG => {
            if p(0o4000) {
                "37;41"
            } else if p(0o2000) {
                "30;43"
            } else if p(0o111) {
                "01;32"
            } else {
                return None;
            }
        }
        _ => return None,
    })
}
