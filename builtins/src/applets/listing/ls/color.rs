//! Colours: GNU's built-in defaults, overridden by `LS_COLORS` (`di=01;34:*.tar=01;31`
//! ...: the type keys and `*SUFFIX` patterns; `ln=target` colours links as what they
//! point to; `or` and `mi` colour dangling links and their targets).

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

/// The colour table: one code per key, and suffix patterns for plain files.
pub struct Colors {
    keys: Vec<([u8; 2], Vec<u8>)>,
    exts: Vec<(Vec<u8>, Vec<u8>)>,
    /// `ln=target`.
    link_as_target: bool,
}

const DEFAULTS: &[(&[u8; 2], &[u8])] = &[
    (b"di", b"01;34"),
    (b"ln", b"01;36"),
    (b"pi", b"33"),
    (b"so", b"01;35"),
    (b"bd", b"01;33"),
    (b"cd", b"01;33"),
    (b"ex", b"01;32"),
    (b"do", b"01;35"),
    (b"su", b"37;41"),
    (b"sg", b"30;43"),
    (b"st", b"37;44"),
    (b"ow", b"34;42"),
    (b"tw", b"30;42"),
];

impl Colors {
    /// GNU's defaults with `LS_COLORS` from `env` on top (malformed items are ignored).
    pub fn from_env(env: &dyn Env) -> Colors {
        let mut c = Colors {
            keys: DEFAULTS.iter().map(|(k, v)| (**k, v.to_vec())).collect(),
            exts: Vec::new(),
            link_as_target: false,
        };
        let Some(spec) = env.get(b"LS_COLORS") else {
            return c;
        };
        for item in spec.split(|&b| b == b':') {
            let Some(eq) = item.iter().position(|&b| b == b'=') else {
                continue;
            };
            let (key, value) = (item.get(..eq).unwrap_or_default(), item.get(eq + 1..));
            let value = value.unwrap_or_default().to_vec();
            if let Some(suffix) = key.strip_prefix(b"*") {
                c.exts.retain(|(s, _)| !s.eq_ignore_ascii_case(suffix));
                c.exts.push((suffix.to_vec(), value));
            } else if let [a, b] = key {
                if key == b"ln" && value == b"target" {
                    c.link_as_target = true;
                    continue;
                }
                c.keys.retain(|(k, _)| k != &[*a, *b]);
                c.keys.push(([*a, *b], value));
            }
        }
        c
    }

    fn key(&self, k: &[u8; 2]) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_slice())
            .filter(|v| !v.is_empty())
    }

    /// Whether dangling links need their targets looked up (`or` or `mi` is set).
    pub fn wants_targets(&self) -> bool {
        self.link_as_target || self.key(b"or").is_some() || self.key(b"mi").is_some()
    }

    /// The colour of an entry's name.
    pub fn entry(&self, e: &Entry) -> Option<Vec<u8>> {
        let (mode, perms, nlink) = match e.st.as_ref() {
            Some(st) => (st.st_mode, true, st.st_nlink),
            None => (e.dtype?, false, 1),
        };
        if mode & libc::S_IFMT == libc::S_IFLNK {
            match e.target_mode {
                Some(t) if self.link_as_target => return self.mode(&e.name, t, true, 1),
                None if e.looked_up_target => {
                    let orphan = self.key(b"or").map(<[u8]>::to_vec);
                    if orphan.is_some() || self.link_as_target {
                        return orphan;
                    }
                }
                _ => {}
            }
        }
        self.mode(&e.name, mode, perms, nlink)
    }

    /// The colour of a link's target after ` -> `: its type, or `mi` when it is missing.
    pub fn target(&self, e: &Entry, target: &[u8]) -> Option<Vec<u8>> {
        match e.target_mode {
            Some(m) => self.mode(target, m, true, 1),
            None => self.key(b"mi").map(<[u8]>::to_vec),
        }
    }

    /// The colour for a file named `name` of mode `mode`; `perms` says whether its
    /// permission bits are known (an entry that could not be stat'ed has only its type).
    fn mode(&self, name: &[u8], mode: u32, perms: bool, nlink: u64) -> Option<Vec<u8>> {
        let p = |bit: u32| perms && mode & bit != 0;
        let key: &[u8; 2] = match mode & libc::S_IFMT {
            libc::S_IFDIR => match (p(0o1000), p(0o002)) {
                (true, true) => b"tw",
                (false, true) => b"ow",
                (true, false) => b"st",
                (false, false) => b"di",
            },
            libc::S_IFLNK => b"ln",
            libc::S_IFIFO => b"pi",
            libc::S_IFSOCK => b"so",
            libc::S_IFBLK => b"bd",
            libc::S_IFCHR => b"cd",
            libc::S_IFREG => {
                let special = if p(0o4000) {
                    self.key(b"su")
                } else if p(0o2000) {
                    self.key(b"sg")
                } else if p(0o111) {
                    self.key(b"ex")
                } else if nlink > 1 {
                    self.key(b"mh")
                } else {
                    None
                };
                if let Some(c) = special {
                    return Some(c.to_vec());
                }
                return self
                    .suffix(name)
                    .or_else(|| self.key(b"fi"))
                    .map(<[u8]>::to_vec);
            }
            _ => return None,
        };
        self.key(key).map(<[u8]>::to_vec)
    }

    /// The colour of the suffix pattern matching `name`, ignoring ASCII case (as GNU
    /// 9.1 does); of several that match, the one defined last.
    fn suffix(&self, name: &[u8]) -> Option<&[u8]> {
        self.exts
            .iter()
            .rev()
            .find(|(s, _)| {
                name.len() >= s.len()
                    && name
                        .get(name.len() - s.len()..)
                        .is_some_and(|tail| tail.eq_ignore_ascii_case(s))
            })
            .map(|(_, v)| v.as_slice())
            .filter(|v| !v.is_empty())
    }
}
