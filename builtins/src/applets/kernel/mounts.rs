//! The mount tables and mount options shared by mount, umount, mountpoint and switch_root:
//! `/proc/mounts` and `/etc/fstab` lines (fields with `\040`-style octal escapes), the
//! `-o` option words as `MS_*` flags plus the data string, and thin `mount(2)` /
//! `umount2(2)` wrappers.

use std::ffi::CString;
use std::io;

/// The kernel's table of this process's mounts.
pub const PROC_MOUNTS: &str = "/proc/mounts";

/// The default table `mount -a` and `mount DIR` read.
pub const FSTAB: &str = "/etc/fstab";

/// One line of `/proc/mounts` or `/etc/fstab`, fields unescaped.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MountEntry {
    /// The device or source (`fs_spec`).
    pub source: Vec<u8>,
    /// The mount point (`fs_file`).
    pub target: Vec<u8>,
    /// The filesystem type (`fs_vfstype`).
    pub fstype: Vec<u8>,
    /// The comma-separated options (`fs_mntops`).
    pub options: Vec<u8>,
}

/// Undoes the octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash)
/// the kernel and fstab use inside fields.
pub fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let digits = field.get(i + 1..i + 4);
        if field[i] == b'\\'
            && let Some(d) = digits
            && d.iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = d.iter().fold(0u32, |n, c| n * 8 + u32::from(c - b'0'));
            if v <= 0xff {
                out.push(v as u8);
                i += 4;
                continue;
            }
        }
        out.push(field[i]);
        i += 1;
    }
    out
}

/// Parses a mount table: one entry per line, whitespace-separated fields, `#` comments
/// and blank lines skipped; lines with fewer than two fields are ignored.
pub fn parse_table(text: &[u8]) -> Vec<MountEntry> {
    let mut entries = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let mut fields = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|f| !f.is_empty());
        let Some(source) = fields.next() else {
            continue;
        };
        if source.starts_with(b"#") {
            continue;
        }
        let Some(target) = fields.next() else {
            continue;
        };
        let fstype = fields.next().unwrap_or(b"auto");
        let options = fields.next().unwrap_or(b"defaults");
        entries.push(MountEntry {
            source: unescape(source),
            target: unescape(target),
            fstype: unescape(fstype),
            options: unescape(options),
        });
    }
    entries
}

/// Reads and parses the table at `path`.
pub fn read_table(path: &str) -> io::Result<Vec<MountEntry>> {
    std::fs::read(path).map(|t| parse_table(&t))
}

/// Whether `fstype` passes a `-t` filter: a comma list of types, or of `noTYPE`s to exclude
/// (a filter starting with `no` negates the whole list, as util-linux and BusyBox do).
pub fn type_matches(filter: &[u8], fstype: &[u8]) -> bool {
    let negated = filter.starts_with(b"no");
    let listed = filter.split(|&b| b == b',').any(|t| {
        let t = if negated {
            t.strip_prefix(b"no").unwrap_or(t)
        } else {
            t
        };
        t == fstype
    });
    listed != negated
}

/// One option word's effect on the `mount(2)` flags.
struct FlagWord {
    name: &'static str,
    flags: u64,
    /// Whether the word clears `flags` instead of setting them.
    clears: bool,
}

const fn set(name: &'static str, flags: u64) -> FlagWord {
    FlagWord {
        name,
        flags,
        clears: false,
    }
}

const fn clear(name: &'static str, flags: u64) -> FlagWord {
    FlagWord {
        name,
        flags,
        clears: true,
    }
}

/// The `MS_*` propagation flags: these go to the kernel in a call of their own.
pub const PROPAGATION: u64 =
    libc::MS_SHARED | libc::MS_SLAVE | libc::MS_PRIVATE | libc::MS_UNBINDABLE;

/// The flags a remount would reset unless given again.
const PER_MOUNT: u64 = libc::MS_RDONLY
    | libc::MS_NOSUID
    | libc::MS_NODEV
    | libc::MS_NOEXEC
    | libc::MS_NOATIME
    | libc::MS_NODIRATIME
    | libc::MS_RELATIME
    | libc::MS_STRICTATIME
    | libc::MS_NOSYMFOLLOW;

/// Every option word that is a flag (the rest go to the filesystem as data).
const FLAG_WORDS: &[FlagWord] = &[
    set("defaults", 0),
    set("ro", libc::MS_RDONLY),
    clear("rw", libc::MS_RDONLY),
    set("nosuid", libc::MS_NOSUID),
    clear("suid", libc::MS_NOSUID),
    set("nodev", libc::MS_NODEV),
    clear("dev", libc::MS_NODEV),
    set("noexec", libc::MS_NOEXEC),
    clear("exec", libc::MS_NOEXEC),
    set("sync", libc::MS_SYNCHRONOUS),
    clear("async", libc::MS_SYNCHRONOUS),
    set("dirsync", libc::MS_DIRSYNC),
    set("remount", libc::MS_REMOUNT),
    set("bind", libc::MS_BIND),
    set("rbind", libc::MS_BIND | libc::MS_REC),
    set("move", libc::MS_MOVE),
    set("mand", libc::MS_MANDLOCK),
    clear("nomand", libc::MS_MANDLOCK),
    set("noatime", libc::MS_NOATIME),
    clear("atime", libc::MS_NOATIME),
    set("nodiratime", libc::MS_NODIRATIME),
    clear("diratime", libc::MS_NODIRATIME),
    set("relatime", libc::MS_RELATIME),
    clear("norelatime", libc::MS_RELATIME),
    set("strictatime", libc::MS_STRICTATIME),
    clear("nostrictatime", libc::MS_STRICTATIME),
    set("lazytime", libc::MS_LAZYTIME),
    clear("nolazytime", libc::MS_LAZYTIME),
    set("silent", libc::MS_SILENT),
    clear("loud", libc::MS_SILENT),
    set("nosymfollow", libc::MS_NOSYMFOLLOW),
    clear("symfollow", libc::MS_NOSYMFOLLOW),
    set("shared", libc::MS_SHARED),
    set("rshared", libc::MS_SHARED | libc::MS_REC),
    set("slave", libc::MS_SLAVE),
    set("rslave", libc::MS_SLAVE | libc::MS_REC),
    set("private", libc::MS_PRIVATE),
    set("rprivate", libc::MS_PRIVATE | libc::MS_REC),
    set("unbindable", libc::MS_UNBINDABLE),
    set("runbindable", libc::MS_UNBINDABLE | libc::MS_REC),
];

/// Words that only mean something to mount itself or to fstab, never to the kernel.
const USERSPACE_WORDS: &[&str] = &[
    "auto", "noauto", "user", "nouser", "users", "owner", "group", "_netdev", "nofail", "noowner",
    "nogroup", "nousers",
];

/// Options parsed from `-o` words (and fstab's fourth field).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    /// The `MS_*` flags.
    pub flags: u64,
    /// The comma-separated words the filesystem gets as data (`size=1m,mode=700`).
    pub data: Vec<u8>,
    /// `loop` or `loop=DEVICE`: mount a file through a loop device (the device if named).
    pub r#loop: Option<Vec<u8>>,
    /// `offset=N`, for a loop device.
    pub offset: u64,
    /// `noauto`: `mount -a` skips the entry.
    pub noauto: bool,
    /// Every flag bit some word named, set or cleared.
    pub touched: u64,
}

impl MountOptions {
    /// Applies the comma-separated words of `list`, later words winning.
    pub fn apply(&mut self, list: &[u8]) {
        for word in list.split(|&b| b == b',').filter(|w| !w.is_empty()) {
            self.apply_word(word);
        }
    }

    fn apply_word(&mut self, word: &[u8]) {
        if let Some(w) = FLAG_WORDS.iter().find(|w| w.name.as_bytes() == word) {
            self.touched |= w.flags;
            if w.clears {
                self.flags &= !w.flags;
            } else {
                self.flags |= w.flags;
            }
            return;
        }
        match word {
            b"loop" => self.r#loop = Some(Vec::new()),
            b"noauto" => self.noauto = true,
            b"auto" => self.noauto = false,
            _ if word.starts_with(b"loop=") => self.r#loop = Some(word[5..].to_vec()),
            _ if word.starts_with(b"offset=") => {
                self.offset = std::str::from_utf8(&word[7..])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
            }
            _ if USERSPACE_WORDS.iter().any(|w| w.as_bytes() == word)
                || word.starts_with(b"x-")
                || word.starts_with(b"comment=") => {}
            _ => {
                if !self.data.is_empty() {
                    self.data.push(b',');
                }
                self.data.extend_from_slice(word);
            }
        }
    }

    /// The flags for a remount: the mount's current per-mount flags (from its
    /// `/proc/mounts` options) where no word of ours named them, as BusyBox and
    /// util-linux keep `nosuid` through `-o remount,ro`.
    pub fn remount_flags(&self, current: &[u8]) -> u64 {
        let kept = MountOptions::parse(current).flags & PER_MOUNT & !self.touched;
        self.flags | kept
    }

    /// Parses a whole option list.
    pub fn parse(list: &[u8]) -> MountOptions {
        let mut o = MountOptions::default();
        o.apply(list);
        o
    }
}

fn cstring(b: &[u8]) -> io::Result<CString> {
    CString::new(b).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// `mount(2)`: `None` source, type or data pass NULL.
pub fn mount(
    source: Option<&[u8]>,
    target: &[u8],
    fstype: Option<&[u8]>,
    flags: u64,
    data: Option<&[u8]>,
) -> io::Result<()> {
    let source = source.map(cstring).transpose()?;
    let target = cstring(target)?;
    let fstype = fstype.map(cstring).transpose()?;
    let data = data.filter(|d| !d.is_empty()).map(cstring).transpose()?;
    let ptr = |c: &Option<CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: every pointer is NULL or a NUL-terminated string that outlives the call.
    let rc = unsafe {
        libc::mount(
            ptr(&source),
            target.as_ptr(),
            ptr(&fstype),
            flags as libc::c_ulong,
            ptr(&data).cast(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `umount2(2)` with `MNT_*` flags.
pub fn umount(target: &[u8], flags: i32) -> io::Result<()> {
    let target = cstring(target)?;
    // SAFETY: `target` is a NUL-terminated string that outlives the call.
    if unsafe { libc::umount2(target.as_ptr(), flags) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The canonical absolute form of `path` (symlinks resolved), or `path` itself when it
/// cannot be resolved.
pub fn canonical(path: &[u8]) -> Vec<u8> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    std::fs::canonicalize(std::ffi::OsStr::from_bytes(path))
        .map(|p| p.into_os_string().into_vec())
        .unwrap_or_else(|_| path.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_escapes_are_undone() {
        assert_eq!(unescape(br"a\040b\011c\134d"), b"a b\tc\\d");
        assert_eq!(unescape(br"\04"), br"\04");
        assert_eq!(unescape(br"x\999"), br"x\999");
    }

    #[test]
    fn tables_skip_comments_and_fill_defaults() {
        let t = parse_table(
            b"# comment\n\nproc /proc proc rw,nosuid 0 0\n  /dev/sda1\t/mnt\\040x ext4\nonly\n",
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].fstype, b"proc");
        assert_eq!(t[0].options, b"rw,nosuid");
        assert_eq!(t[1].target, b"/mnt x");
        assert_eq!(t[1].options, b"defaults");
    }

    #[test]
    fn options_split_into_flags_and_data() {
        let o = MountOptions::parse(b"ro,nosuid,size=1m,noauto,mode=700,x-foo,loop=/dev/loop3");
        assert_eq!(o.flags, libc::MS_RDONLY | libc::MS_NOSUID);
        assert_eq!(o.data, b"size=1m,mode=700");
        assert!(o.noauto);
        assert_eq!(o.r#loop.as_deref(), Some(&b"/dev/loop3"[..]));
        let o = MountOptions::parse(b"ro,rw,rbind,rprivate,defaults,offset=512");
        assert_eq!(o.flags, libc::MS_BIND | libc::MS_REC | libc::MS_PRIVATE);
        assert_eq!(o.offset, 512);
        let o = MountOptions::parse(b"remount,ro,dev");
        assert_eq!(
            o.remount_flags(b"rw,nosuid,nodev,relatime,size=10k"),
            libc::MS_REMOUNT | libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_RELATIME
        );
    }

    #[test]
    fn type_filters() {
        assert!(type_matches(b"tmpfs,proc", b"proc"));
        assert!(!type_matches(b"tmpfs", b"proc"));
        assert!(type_matches(b"nonfs,proc", b"tmpfs"));
        assert!(!type_matches(b"nonfs,noproc", b"proc"));
    }
}
