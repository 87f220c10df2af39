//! File modes: parsing `chmod`-style mode operands (octal and symbolic) and formatting
//! `st_mode` the way `ls -l` shows it. Used by chmod, mkdir -m, install -m, mkfifo -m,
//! mknod -m, ls, stat, find -perm.
//!
//! Semantics follow POSIX chmod, with GNU's refinements: a clause without a "who" part
//! (`+x`, `=r`) leaves the bits set in the umask alone; on directories the set-user-ID
//! and set-group-ID bits survive unless the mode names them (`g-s`, `2755`, `00755`).

/// The permission bits a mode operand can change (`07777`).
pub const MODE_BITS: u32 = 0o7777;

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;
const USER: u32 = S_ISUID | 0o700;
const GROUP: u32 = S_ISGID | 0o070;
const OTHER: u32 = S_ISVTX | 0o007;
const READ: u32 = 0o444;
const WRITE: u32 = 0o222;
const EXEC: u32 = 0o111;

/// Where the value of one action comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The listed letters (`rwxst`), plus `X` when `cond_exec`.
    Letters { bits: u32, cond_exec: bool },
    /// Another class's current permissions (`g=u`), as a 3-bit rwx mask shift.
    Copy(u32),
}

/// One `op` part of a clause: `+rw`, `-x`, `=u`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Action {
    /// The "who" bits; 0 means none given (all classes, umask respected).
    who: u32,
    op: u8,
    src: Source,
    /// The bits the operand names explicitly (for the directory set-id rule).
    mentioned: u32,
}

/// A parsed mode operand: apply it to an old mode with [`ModeChange::apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModeChange {
    actions: Vec<Action>,
    octal: Option<u32>,
}

impl ModeChange {
    /// Parses an octal (`755`, `0644`, `4755`) or symbolic (`u+x,g-w,o=r`, `a+X`, `=`,
    /// `u=g`, `+t`) mode operand. `None` when it is not a valid mode.
    pub fn parse(spec: &[u8]) -> Option<ModeChange> {
        if spec.is_empty() {
            return None;
        }
        if spec.iter().all(u8::is_ascii_digit) {
            return parse_octal(spec);
        }
        parse_symbolic(spec)
    }

    /// The mode when the operand is plain octal, for callers that want it as is.
    pub fn octal(&self) -> Option<u32> {
        self.octal
    }

    /// The new permission bits for a file whose mode was `old` (file type bits are
    /// ignored and not returned). `is_dir` enables `X` and the set-id preservation;
    /// `umask` masks clauses without a "who" part.
    pub fn apply(&self, old: u32, is_dir: bool, umask: u32) -> u32 {
        let mut mode = old & MODE_BITS;
        for a in &self.actions {
            let keep_setid = if is_dir {
                (S_ISUID | S_ISGID) & !a.mentioned
            } else {
                0
            };
            let mut value = match a.src {
                Source::Letters { bits, cond_exec } => {
                    let any_x = mode & EXEC != 0 || is_dir;
                    if cond_exec && any_x {
                        bits | EXEC
                    } else {
                        bits
                    }
                }
                Source::Copy(shift) => {
                    let rwx = (mode >> shift) & 0o7;
                    rwx * 0o111
                }
            };
            let scope = if a.who == 0 {
                !umask & MODE_BITS
            } else {
                a.who
            };
            value &= scope & !keep_setid;
            match a.op {
                b'+' => mode |= value,
                b'-' => mode &= !value,
                _ => {
                    let preserved = if a.who == 0 { umask } else { !a.who } | keep_setid;
                    mode = (mode & preserved & MODE_BITS) | value;
                }
            }
        }
        mode
    }
}

fn parse_octal(spec: &[u8]) -> Option<ModeChange> {
    let mut value: u32 = 0;
    for &d in spec {
        if !(b'0'..=b'7').contains(&d) {
            return None;
        }
        value = value.checked_mul(8)?.checked_add(u32::from(d - b'0'))?;
        if value > MODE_BITS {
            return None;
        }
    }
    // GNU: with five or more digits, or set-id bits given, the set-id bits are named.
    let mentioned = if spec.len() >= 5 {
        MODE_BITS
    } else {
        0o1777 | (value & (S_ISUID | S_ISGID))
    };
    Some(ModeChange {
        actions: vec![Action {
            who: MODE_BITS,
            op: b'=',
            src: Source::Letters {
                bits: value,
                cond_exec: false,
            },
            mentioned,
        }],
        octal: Some(value),
    })
}

fn parse_symbolic(spec: &[u8]) -> Option<ModeChange> {
    let mut actions = Vec::new();
    for clause in spec.split(|&b| b == b',') {
        let mut i = 0;
        let mut who = 0;
        while let Some(&c) = clause.get(i) {
            who |= match c {
                b'u' => USER,
                b'g' => GROUP,
                b'o' => OTHER,
                b'a' => MODE_BITS,
                _ => break,
            };
            i += 1;
        }
        // At least one action is required: `u` alone is not a mode.
        if !matches!(clause.get(i), Some(b'+' | b'-' | b'=')) {
            return None;
        }
        while let Some(&op) = clause.get(i) {
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let src = match clause.get(i) {
                Some(&c @ (b'u' | b'g' | b'o')) => {
                    i += 1;
                    Source::Copy(match c {
                        b'u' => 6,
                        b'g' => 3,
                        _ => 0,
                    })
                }
                _ => {
                    let (mut bits, mut cond_exec) = (0, false);
                    while let Some(&c) = clause.get(i) {
                        bits |= match c {
                            b'r' => READ,
                            b'w' => WRITE,
                            b'x' => EXEC,
                            b'X' => {
                                cond_exec = true;
                                0
                            }
                            b's' => S_ISUID | S_ISGID,
                            b't' => S_ISVTX,
                            _ => break,
                        };
                        i += 1;
                    }
                    Source::Letters { bits, cond_exec }
                }
            };
            let mentioned = match src {
                Source::Letters { bits, .. } => bits & (S_ISUID | S_ISGID),
                Source::Copy(_) => 0,
            };
            let mentioned = if who == 0 { mentioned } else { mentioned & who };
            actions.push(Action {
                who,
                op,
                src,
                mentioned,
            });
        }
    }
    Some(ModeChange {
        actions,
        octal: None,
    })
}

/// The process umask, from /proc/self/status where it is shown; else by setting it and
/// putting it back at once (the process is single-threaded: nothing sees the moment).
pub fn current_umask() -> u32 {
    use nix::sys::stat::{Mode, umask};
    // Linux shows it in /proc without touching it.
    if let Ok(status) = std::fs::read("/proc/self/status")
        && let Some(line) = status
            .split(|&b| b == b'\n')
            .find(|l| l.starts_with(b"Umask:"))
        && let Some(v) = std::str::from_utf8(&line[6..])
            .ok()
            .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
    {
        return v & 0o777;
    }
    let old = umask(Mode::from_bits_truncate(0o022));
    umask(old);
    old.bits() & 0o777
}

/// The file type letter `ls -l` shows: `-` regular, `d`, `l`, `c`, `b`, `p`, `s`, `?`.
pub fn type_char(st_mode: u32) -> u8 {
    match st_mode & libc::S_IFMT {
        libc::S_IFREG => b'-',
        libc::S_IFDIR => b'd',
        libc::S_IFLNK => b'l',
        libc::S_IFCHR => b'c',
        libc::S_IFBLK => b'b',
        libc::S_IFIFO => b'p',
        libc::S_IFSOCK => b's',
        _ => b'?',
    }
}

/// `st_mode` as `ls -l` shows it: the type letter, then `rwx` three times with
/// `s`/`S` for set-id and `t`/`T` for sticky (`drwxr-sr-t`, `-rwSr--r--`).
pub fn format_mode(st_mode: u32) -> [u8; 10] {
    let mut out = *b"----------";
    out[0] = type_char(st_mode);
    let classes = [(6, S_ISUID, b's'), (3, S_ISGID, b's'), (0, S_ISVTX, b't')];
    for (n, (shift, special, letter)) in classes.into_iter().enumerate() {
        let bits = (st_mode >> shift) & 0o7;
        let at = 1 + n * 3;
        if bits & 4 != 0 {
            out[at] = b'r';
        }
        if bits & 2 != 0 {
            out[at + 1] = b'w';
        }
        let x = bits & 1 != 0;
        out[at + 2] = match (st_mode & special != 0, x) {
            (true, true) => letter,
            (true, false) => letter.to_ascii_uppercase(),
            (false, true) => b'x',
            (false, false) => b'-',
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ap(spec: &str, old: u32, dir: bool, umask: u32) -> u32 {
        ModeChange::parse(spec.as_bytes())
            .unwrap_or_else(|| panic!("bad mode {spec}"))
            .apply(old, dir, umask)
    }

    #[test]
    fn octal_modes() {
        assert_eq!(ap("755", 0o644, false, 0o022), 0o755);
        assert_eq!(ap("0", 0o777, false, 0), 0);
        assert_eq!(ap("4755", 0, false, 0), 0o4755);
        assert_eq!(ModeChange::parse(b"644").unwrap().octal(), Some(0o644));
        assert!(ModeChange::parse(b"8").is_none());
        assert!(ModeChange::parse(b"17777").is_none());
        assert!(ModeChange::parse(b"99999999999999999999").is_none());
    }

    #[test]
    fn octal_on_directories_keeps_setid_unless_named() {
        assert_eq!(ap("755", 0o2755, true, 0), 0o2755);
        assert_eq!(ap("0755", 0o2755, true, 0), 0o2755);
        assert_eq!(ap("00755", 0o2755, true, 0), 0o755);
        assert_eq!(ap("2755", 0o4755, true, 0), 0o6755);
        assert_eq!(ap("755", 0o2755, false, 0), 0o755);
    }

    #[test]
    fn symbolic_who_op_perm() {
        assert_eq!(ap("u+x", 0o644, false, 0o022), 0o744);
        assert_eq!(ap("u+x,g-w,o=r", 0o666, false, 0), 0o744);
        assert_eq!(ap("go-rwx", 0o755, false, 0), 0o700);
        assert_eq!(ap("a=r", 0o777, false, 0), 0o444);
        assert_eq!(ap("ug=rw,o=", 0o777, false, 0), 0o660);
        assert_eq!(ap("u+r-w", 0o200, false, 0), 0o400);
        assert_eq!(ap("a+", 0o640, false, 0), 0o640);
    }

    #[test]
    fn no_who_respects_the_umask() {
        assert_eq!(ap("+x", 0o644, false, 0o022), 0o755);
        assert_eq!(ap("+w", 0o444, false, 0o022), 0o644);
        assert_eq!(ap("-w", 0o666, false, 0o022), 0o022 | 0o444);
        assert_eq!(ap("=r", 0o777, false, 0o022), 0o444 | 0o022);
        assert_eq!(ap("=", 0o777, false, 0), 0);
        assert_eq!(ap("a+x", 0o644, false, 0o077), 0o755);
    }

    #[test]
    fn conditional_exec() {
        assert_eq!(ap("a+X", 0o644, false, 0), 0o644);
        assert_eq!(ap("a+X", 0o744, false, 0), 0o755);
        assert_eq!(ap("a+X", 0o600, true, 0), 0o711);
        assert_eq!(ap("go+rX", 0o700, false, 0), 0o755);
        assert_eq!(ap("go+rX", 0o600, false, 0), 0o644);
    }

    #[test]
    fn setid_and_sticky() {
        assert_eq!(ap("u+s", 0o755, false, 0), 0o4755);
        assert_eq!(ap("g+s", 0o755, false, 0), 0o2755);
        assert_eq!(ap("+t", 0o777, true, 0), 0o1777);
        assert_eq!(ap("o+t", 0o777, true, 0), 0o1777);
        assert_eq!(ap("u+t", 0o777, true, 0), 0o777);
        assert_eq!(ap("g-s", 0o2755, true, 0), 0o755);
        assert_eq!(ap("u=rwx", 0o4755, true, 0), 0o4755);
        assert_eq!(ap("u=rwx", 0o4755, false, 0), 0o755);
    }

    #[test]
    fn copy_from_another_class() {
        assert_eq!(ap("g=u", 0o740, false, 0), 0o770);
        assert_eq!(ap("o+g", 0o750, false, 0), 0o755);
        assert_eq!(ap("u-o", 0o707, false, 0), 0o007);
    }

    #[test]
    fn bad_symbolic_modes() {
        for bad in ["", "u", "z+x", "u+q", "u+x,", ",", "+x,g", "u+x y", "rwx"] {
            assert!(ModeChange::parse(bad.as_bytes()).is_none(), "{bad:?}");
        }
        assert!(ModeChange::parse(b"-w").is_some());
        assert!(ModeChange::parse(b"-").is_some());
    }

    #[test]
    fn formats_like_ls() {
        assert_eq!(&format_mode(libc::S_IFREG | 0o755), b"-rwxr-xr-x");
        assert_eq!(&format_mode(libc::S_IFDIR | 0o1777), b"drwxrwxrwt");
        assert_eq!(&format_mode(libc::S_IFDIR | 0o1776), b"drwxrwxrwT");
        assert_eq!(&format_mode(libc::S_IFREG | 0o4644), b"-rwSr--r--");
        assert_eq!(&format_mode(libc::S_IFREG | 0o6711), b"-rws--s--x");
        assert_eq!(&format_mode(libc::S_IFLNK | 0o777), b"lrwxrwxrwx");
        assert_eq!(&format_mode(libc::S_IFCHR | 0o620), b"crw--w----");
        assert_eq!(&format_mode(libc::S_IFBLK | 0o660), b"brw-rw----");
        assert_eq!(&format_mode(libc::S_IFIFO | 0o644), b"prw-r--r--");
        assert_eq!(&format_mode(libc::S_IFSOCK | 0o755), b"srwxr-xr-x");
        assert_eq!(&format_mode(0o644), b"?rw-r--r--");
    }

    #[test]
    fn umask_reads_back_unchanged() {
        let a = current_umask();
        assert_eq!(current_umask(), a);
    }
}
