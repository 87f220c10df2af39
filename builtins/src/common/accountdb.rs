//! The account database for the tools that change it (passwd, chpasswd, useradd,
//! adduser, userdel, groupadd, ...): /etc/passwd, /etc/shadow, /etc/group and
//! /etc/gshadow as tables of colon-separated lines, locked with `FILE.lock` files (as
//! shadow-utils does) and written atomically: a temp file `FILE+` in the same directory,
//! the original's mode and owner, fsync, rename, fsync of the directory. A failed write
//! leaves the original untouched. Also /etc/login.defs, the next free id, the day count
//! of the shadow `lastchg` field, and the name check.

use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// One of the four account files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    /// /etc/passwd
    Passwd,
    /// /etc/shadow
    Shadow,
    /// /etc/group
    Group,
    /// /etc/gshadow
    Gshadow,
}

impl File {
    /// The path below the root, without the leading slash.
    pub fn rel(self) -> &'static str {
        match self {
            File::Passwd => "etc/passwd",
            File::Shadow => "etc/shadow",
            File::Group => "etc/group",
            File::Gshadow => "etc/gshadow",
        }
    }

    /// Whether the file holds secrets (kept 0640 root:shadow or 0600).
    fn secret(self) -> bool {
        matches!(self, File::Shadow | File::Gshadow)
    }
}

/// One account file in memory: every line (comments and odd lines kept as they are).
#[derive(Clone, Debug)]
pub struct Table {
    /// Which file.
    pub file: File,
    /// The file's full path.
    pub path: PathBuf,
    /// Whether the file existed when loaded.
    pub exists: bool,
    /// The lines, without their newlines.
    pub lines: Vec<Vec<u8>>,
    changed: bool,
}

impl Table {
    /// Loads `root/FILE`; a missing file is an empty table that [`Table::exists`] says
    /// was missing.
    pub fn load(root: &Path, file: File) -> io::Result<Table> {
        let path = root.join(file.rel());
        let (exists, text) = match std::fs::read(&path) {
            Ok(t) => (true, t),
            Err(e) if e.kind() == io::ErrorKind::NotFound => (false, Vec::new()),
            Err(e) => return Err(e),
        };
        let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        Ok(Table {
            file,
            path,
            exists,
            lines,
            changed: false,
        })
    }

    /// The index of the entry named `name` (its first field).
    pub fn find(&self, name: &[u8]) -> Option<usize> {
        self.lines.iter().position(|l| first_field(l) == name)
    }

    /// The fields of line `i`.
    pub fn fields(&self, i: usize) -> Vec<Vec<u8>> {
        split_fields(&self.lines[i])
    }

    /// The fields of the entry named `name`.
    pub fn get(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
        self.find(name).map(|i| self.fields(i))
    }

    /// Replaces line `i` with `fields`.
    pub fn set(&mut self, i: usize, fields: &[Vec<u8>]) {
        self.lines[i] = fields.join(&b':');
        self.changed = true;
    }

    /// Replaces the entry named `fields[0]`, or appends it.
    pub fn upsert(&mut self, fields: &[Vec<u8>]) {
        match self.find(&fields[0]) {
            Some(i) => self.set(i, fields),
            None => self.push(fields),
        }
    }

    /// Appends an entry.
    pub fn push(&mut self, fields: &[Vec<u8>]) {
        self.lines.push(fields.join(&b':'));
        self.changed = true;
    }

    /// Removes the entry named `name`; whether there was one.
    pub fn remove(&mut self, name: &[u8]) -> bool {
        let before = self.lines.len();
        self.lines.retain(|l| first_field(l) != name);
        let gone = self.lines.len() != before;
        self.changed |= gone;
        gone
    }

    /// Every numeric id in field `index` (uids of passwd, gids of group).
    pub fn ids(&self, index: usize) -> Vec<u32> {
        self.lines
            .iter()
            .filter_map(|l| split_fields(l).get(index).and_then(|f| parse_u32(f)))
            .collect()
    }

    /// Whether anything changed since loading.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// The file's text.
    pub fn text(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for l in &self.lines {
            out.extend_from_slice(l);
            out.push(b'\n');
        }
        out
    }

    /// Writes the table back atomically if it changed (and, for shadow and gshadow, only
    /// if the file existed: a system without them keeps none).
    pub fn save(&self, root: &Path) -> io::Result<()> {
        if !self.changed || (self.file.secret() && !self.exists) {
            return Ok(());
        }
        let (mode, uid, gid) = match std::fs::metadata(&self.path) {
            Ok(m) => (m.permissions().mode() & 0o7777, m.uid(), m.gid()),
            Err(_) if self.file.secret() => match shadow_gid(root) {
                Some(g) => (0o640, 0, g),
                None => (0o600, 0, 0),
            },
            Err(_) => (0o644, 0, 0),
        };
        write_atomic(&self.path, &self.text(), mode, Some((uid, gid)))
    }
}

/// The gid of group `shadow` in `root/etc/group`, if any.
fn shadow_gid(root: &Path) -> Option<u32> {
    let t = Table::load(root, File::Group).ok()?;
    t.get(b"shadow")
        .and_then(|f| f.get(2).and_then(|g| parse_u32(g)))
}

/// The first field of a line.
pub fn first_field(line: &[u8]) -> &[u8] {
    line.split(|&b| b == b':').next().unwrap_or_default()
}

/// A line's fields.
pub fn split_fields(line: &[u8]) -> Vec<Vec<u8>> {
    line.split(|&b| b == b':').map(<[u8]>::to_vec).collect()
}

/// A decimal number that fits a u32.
pub fn parse_u32(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// A comma-separated member list.
pub fn members(field: &[u8]) -> Vec<Vec<u8>> {
    field
        .split(|&b| b == b',')
        .filter(|m| !m.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Writes `data` to `path` atomically: `path+` created fresh with `mode` (and `owner`),
/// written, fsynced, renamed over `path`, then the directory fsynced.
pub fn write_atomic(
    path: &Path,
    data: &[u8],
    mode: u32,
    owner: Option<(u32, u32)>,
) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push("+");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&tmp)?;
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::fchown(&f, Some(uid), Some(gid))?;
        }
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A held lock on one account file: `FILE.lock` holding our pid, removed on drop.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// How many times a busy lock is tried, 100 ms apart: 15 s, as lckpwdf(3) waits.
const LOCK_TRIES: u32 = 150;

/// Takes the lock of `root/FILE` as shadow-utils does: our pid is written to `FILE.PID`,
/// which is then hard-linked to `FILE.lock` (atomic, and never seen empty). A lock whose
/// pid is not a live process is stale and taken over; a live one is waited for a
/// bounded time, then `EBUSY`.
pub fn lock(root: &Path, file: File) -> io::Result<Lock> {
    let base = root.join(file.rel()).into_os_string();
    let me = std::process::id();
    let mut path = base.clone();
    path.push(".lock");
    let path = PathBuf::from(path);
    let mut tmp = base;
    tmp.push(format!(".{me}"));
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?
        .write_all(format!("{me}").as_bytes())?;
    let result = (|| {
        for _ in 0..LOCK_TRIES {
            match std::fs::hard_link(&tmp, &path) {
                Ok(()) => return Ok(Lock { path: path.clone() }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read(&path)
                        .ok()
                        .and_then(|t| parse_u32(t.trim_ascii()).map(|p| p as i32));
                    let alive = holder.is_some_and(|p| {
                        p > 0
                            && (p as u32 == me || {
                                // SAFETY: kill with signal 0 only checks that the process exists.
                                let r = unsafe { libc::kill(p, 0) };
                                r == 0
                                    || io::Error::last_os_error().raw_os_error()
                                        == Some(libc::EPERM)
                            })
                    });
                    if !alive && holder.is_some() {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::from_raw_os_error(libc::EBUSY))
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Locks several files in the given order; all or none.
pub fn lock_all(root: &Path, files: &[File]) -> Result<Vec<Lock>, (File, io::Error)> {
    let mut held = Vec::new();
    for &f in files {
        match lock(root, f) {
            Ok(l) => held.push(l),
            Err(e) => return Err((f, e)),
        }
    }
    Ok(held)
}

/// /etc/login.defs: `KEY VALUE` lines, `#` comments.
#[derive(Clone, Debug, Default)]
pub struct LoginDefs {
    pairs: Vec<(String, String)>,
}

impl LoginDefs {
    /// Loads `root/etc/login.defs` (missing: every key at its default).
    pub fn load(root: &Path) -> LoginDefs {
        let text = std::fs::read(root.join("etc/login.defs")).unwrap_or_default();
        LoginDefs::parse(&String::from_utf8_lossy(&text))
    }

    /// Parses login.defs text.
    pub fn parse(text: &str) -> LoginDefs {
        let pairs = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut it = l.splitn(2, |c: char| c.is_ascii_whitespace());
                let k = it.next()?;
                let v = it.next().unwrap_or("").trim().trim_matches('"');
                Some((k.to_string(), v.to_string()))
            })
            .collect();
        LoginDefs { pairs }
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A numeric value, or `default` when unset or not a number.
    pub fn num(&self, key: &str, default: i64) -> i64 {
        self.get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// A yes/no value.
    pub fn yes(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| v.eq_ignore_ascii_case("yes"))
    }

    /// The uid (or gid, `group`) range for new accounts, `system` or not, per
    /// shadow-utils' defaults: 1000-60000, system 101-999.
    pub fn id_range(&self, group: bool, system: bool) -> (u32, u32) {
        let k = if group { "GID" } else { "UID" };
        let (lo, hi) = if system {
            (
                self.num(&format!("SYS_{k}_MIN"), 101),
                self.num(
                    &format!("SYS_{k}_MAX"),
                    self.num(&format!("{k}_MIN"), 1000) - 1,
                ),
            )
        } else {
            (
                self.num(&format!("{k}_MIN"), 1000),
                self.num(&format!("{k}_MAX"), 60000),
            )
        };
        (
            lo.clamp(0, u32::MAX as i64) as u32,
            hi.clamp(0, u32::MAX as i64) as u32,
        )
    }
}

/// The next free id in `lo..=hi` as shadow-utils picks it: for ordinary accounts one
/// above the highest used id in the range (or the first free one when that is the top);
/// for system accounts the highest free id, counting down.
pub fn next_id(used: &[u32], lo: u32, hi: u32, system: bool) -> Option<u32> {
    if lo > hi {
        return None;
    }
    let taken = |id: u32| used.contains(&id);
    if system {
        return (lo..=hi).rev().find(|&id| !taken(id));
    }
    match used
        .iter()
        .copied()
        .filter(|&id| (lo..=hi).contains(&id))
        .max()
    {
        None => Some(lo),
        Some(top) if top < hi => Some(top + 1),
        Some(_) => (lo..=hi).find(|&id| !taken(id)),
    }
}

/// The first free id in `lo..=hi` counting up (BusyBox's adduser and addgroup).
pub fn first_free_id(used: &[u32], lo: u32, hi: u32) -> Option<u32> {
    (lo..=hi).find(|id| !used.contains(id))
}

/// Days since 1970-01-01 (UTC), for shadow's `lastchg` field. `SOURCE_DATE_EPOCH` is not
/// consulted: the field records the real day.
pub fn today() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400)
}

/// Whether `name` may name an account (shadow-utils' relaxed Debian rule): not empty,
/// not `.`/`..`, not starting with `-`, `+` or `~`, and no `:`, `,`, `/`, whitespace or
/// control characters; at most 32 bytes.
pub fn valid_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name != b"."
        && name != b".."
        && !matches!(name[0], b'-' | b'+' | b'~')
        && name
            .iter()
            .all(|&c| c > b' ' && c != 0x7f && !matches!(c, b':' | b',' | b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rbox-acctdb-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("etc")).unwrap();
        d
    }

    #[test]
    fn edits_keep_other_lines_and_mode() {
        let r = root("edit");
        let p = r.join("etc/passwd");
        std::fs::write(&p, "# comment\nroot:x:0:0:root:/root:/bin/sh\nodd line\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o604)).unwrap();
        let mut t = Table::load(&r, File::Passwd).unwrap();
        assert_eq!(t.ids(2), vec![0]);
        let f: Vec<Vec<u8>> = ["bob", "x", "1000", "1000", "", "/home/bob", "/bin/sh"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        t.push(&f);
        t.save(&r).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "# comment\nroot:x:0:0:root:/root:/bin/sh\nodd line\nbob:x:1000:1000::/home/bob:/bin/sh\n"
        );
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o604
        );
        let mut t = Table::load(&r, File::Passwd).unwrap();
        assert!(t.remove(b"bob") && !t.remove(b"bob"));
        t.save(&r).unwrap();
        assert!(!std::fs::read_to_string(&p).unwrap().contains("bob"));
        let _ = std::fs::remove_dir_all(&r);
    }

    #[test]
    fn a_failed_write_leaves_the_original() {
        let r = root("fail");
        let p = r.join("etc/group");
        std::fs::write(&p, "root:x:0:\n").unwrap();
        std::fs::create_dir(r.join("etc/group+")).unwrap();
        std::fs::write(r.join("etc/group+/x"), "").unwrap();
        let mut t = Table::load(&r, File::Group).unwrap();
        t.push(&[b"g".to_vec(), b"x".to_vec(), b"5".to_vec(), Vec::new()]);
        assert!(t.save(&r).is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "root:x:0:\n");
        let _ = std::fs::remove_dir_all(&r);
    }

    #[test]
    fn missing_shadow_is_not_created() {
        let r = root("noshadow");
        let mut t = Table::load(&r, File::Shadow).unwrap();
        assert!(!t.exists);
        t.push(&[b"a".to_vec(), b"!".to_vec()]);
        t.save(&r).unwrap();
        assert!(!r.join("etc/shadow").exists());
        let _ = std::fs::remove_dir_all(&r);
    }

    #[test]
    fn locks_exclude_and_stale_ones_are_taken() {
        let r = root("lock");
        let l = lock(&r, File::Passwd).unwrap();
        assert!(r.join("etc/passwd.lock").exists());
        drop(l);
        assert!(!r.join("etc/passwd.lock").exists());
        // A pid that cannot be alive is stale.
        std::fs::write(r.join("etc/group.lock"), "999999999").unwrap();
        let l = lock(&r, File::Group).unwrap();
        drop(l);
        let _ = std::fs::remove_dir_all(&r);
    }

    #[test]
    fn ids_are_picked_like_shadow_utils() {
        assert_eq!(next_id(&[0, 1, 65534], 1000, 60000, false), Some(1000));
        assert_eq!(next_id(&[0, 1000, 1500], 1000, 60000, false), Some(1501));
        assert_eq!(next_id(&[1000, 1002], 1000, 1002, false), Some(1001));
        assert_eq!(next_id(&[999, 998], 101, 999, true), Some(997));
        assert_eq!(next_id(&[1, 2], 1, 2, true), None);
        assert_eq!(first_free_id(&[1000, 1001, 1003], 1000, 60000), Some(1002));
        let d = LoginDefs::parse("# x\nUID_MIN 500\nSYS_UID_MAX\t499\nUSERGROUPS_ENAB yes\n");
        assert_eq!(d.id_range(false, false), (500, 60000));
        assert_eq!(d.id_range(false, true), (101, 499));
        assert_eq!(d.id_range(true, true), (101, 999));
        assert!(d.yes("USERGROUPS_ENAB") && !d.yes("MAIL_CHECK_ENAB"));
    }

    #[test]
    fn names() {
        for ok in ["bob", "Bob", "a.b", "_x", "z$", "1234"] {
            assert!(valid_name(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "-x", "a:b", "a,b", "a b", "a/b", "..", "+x"] {
            assert!(!valid_name(bad.as_bytes()), "{bad}");
        }
    }
}
