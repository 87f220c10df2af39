//! What the account applets share: the locked database of the four files, password
//! prompts without echo, the password of a user (shadow first), group membership edits,
//! and home directories (made from a skeleton, removed).

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::accountdb::{self, File, Lock, LoginDefs, Table};
use crate::common::crypt::Method;
use crate::prelude::*;

/// The four account files, locked while this value lives.
pub struct Db {
    /// The root the files are under (`/`, or `-R DIR`).
    pub root: PathBuf,
    /// /etc/passwd
    pub passwd: Table,
    /// /etc/shadow
    pub shadow: Table,
    /// /etc/group
    pub group: Table,
    /// /etc/gshadow
    pub gshadow: Table,
    _locks: Vec<Lock>,
}

/// The statuses a database failure gives (shadow-utils' per-tool codes).
#[derive(Clone, Copy)]
pub struct Codes {
    /// Status when the passwd/shadow files cannot be locked or written.
    pub passwd: u8,
    /// Status when the group files cannot be locked or written.
    pub group: u8,
}

impl Db {
    /// Locks and loads every file under `root`.
    pub fn open(root: &Path, codes: Codes) -> Result<Db, Error> {
        let files = [File::Passwd, File::Shadow, File::Group, File::Gshadow];
        let locks = accountdb::lock_all(root, &files).map_err(|(f, _)| {
            Error::msg(format!("cannot lock /{}; try again later.", f.rel()))
                .with_status(code_of(codes, f))
        })?;
        let load = |f: File| {
            Table::load(root, f).map_err(|e| {
                Error::io(format!("cannot open /{}", f.rel()).as_bytes(), &e)
                    .with_status(code_of(codes, f))
            })
        };
        Ok(Db {
            root: root.to_path_buf(),
            passwd: load(File::Passwd)?,
            shadow: load(File::Shadow)?,
            group: load(File::Group)?,
            gshadow: load(File::Gshadow)?,
            _locks: locks,
        })
    }

    /// Loads every file under `root` without locking, for reading only.
    pub fn read(root: &Path) -> Result<Db, Error> {
        let load = |f: File| {
            Table::load(root, f)
                .map_err(|e| Error::io(format!("cannot open /{}", f.rel()).as_bytes(), &e))
        };
        Ok(Db {
            root: root.to_path_buf(),
            passwd: load(File::Passwd)?,
            shadow: load(File::Shadow)?,
            group: load(File::Group)?,
            gshadow: load(File::Gshadow)?,
            _locks: Vec::new(),
        })
    }

    /// Writes back every changed file (each one atomically).
    pub fn save(&self, codes: Codes) -> Result<(), Error> {
        for t in [&self.passwd, &self.shadow, &self.group, &self.gshadow] {
            t.save(&self.root).map_err(|_| {
                Error::msg(format!(
                    "failure while writing changes to /{}",
                    t.file.rel()
                ))
                .with_status(code_of(codes, t.file))
            })?;
        }
        Ok(())
    }

    /// The passwd fields of `name` (a short line padded to seven fields).
    pub fn user(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
        self.passwd.get(name).map(|f| padded(f, 7))
    }

    /// The group fields of `name` (padded to four).
    pub fn group_named(&self, name: &[u8]) -> Option<Vec<Vec<u8>>> {
        self.group.get(name).map(|f| padded(f, 4))
    }

    /// The group fields of a name or, failing that, a number.
    pub fn group_by_spec(&self, spec: &[u8]) -> Option<Vec<Vec<u8>>> {
        self.group_named(spec).or_else(|| {
            let gid = accountdb::parse_u32(spec)?;
            (0..self.group.lines.len())
                .map(|i| self.group.fields(i))
                .find(|f| f.len() > 2 && accountdb::parse_u32(&f[2]) == Some(gid))
                .map(|f| padded(f, 4))
        })
    }

    /// Whether a user has uid `uid`.
    pub fn uid_used(&self, uid: u32) -> bool {
        self.passwd.ids(2).contains(&uid)
    }

    /// Whether a group has gid `gid`.
    pub fn gid_used(&self, gid: u32) -> bool {
        self.group.ids(2).contains(&gid)
    }

    /// The user's password hash: the shadow field when passwd says `x` and shadow has
    /// the user, else the passwd field.
    pub fn hash_of(&self, name: &[u8]) -> Option<Vec<u8>> {
        let pw = self.user(name)?;
        if pw.get(1).is_some_and(|p| p == b"x")
            && let Some(sp) = self.shadow.get(name)
        {
            return sp.get(1).cloned();
        }
        pw.get(1).cloned()
    }

    /// Sets the user's password field (shadow when the user is there, with `lastchg`
    /// set to `day` when given; else the passwd field).
    pub fn set_hash(&mut self, name: &[u8], hash: &[u8], day: Option<u64>) {
        if let Some(i) = self.shadow.find(name) {
            let mut f = self.shadow.fields(i);
            f.resize(f.len().max(9), Vec::new());
            f[1] = hash.to_vec();
            if let Some(d) = day {
                f[2] = d.to_string().into_bytes();
            }
            self.shadow.set(i, &f);
        } else if let Some(i) = self.passwd.find(name) {
            let mut f = padded(self.passwd.fields(i), 7);
            f[1] = hash.to_vec();
            self.passwd.set(i, &f);
        }
    }

    /// Adds `user` to the member list (field 3) of `group` in group and gshadow.
    pub fn add_member(&mut self, group: &[u8], user: &[u8]) {
        for t in [&mut self.group, &mut self.gshadow] {
            if let Some(i) = t.find(group) {
                let mut f = t.fields(i);
                f.resize(f.len().max(4), Vec::new());
                let mut m = accountdb::members(&f[3]);
                if !m.iter().any(|x| x == user) {
                    m.push(user.to_vec());
                    f[3] = m.join(&b',');
                    t.set(i, &f);
                }
            }
        }
    }

    /// Removes `user` from the member list of `group` (every group when `None`) in
    /// the group file and, when `gshadow` is set, from gshadow's members and admins.
    pub fn remove_member(&mut self, group: Option<&[u8]>, user: &[u8], gshadow: bool) {
        let mut tables = vec![&mut self.group];
        if gshadow {
            tables.push(&mut self.gshadow);
        }
        for t in tables {
            for i in 0..t.lines.len() {
                let mut f = t.fields(i);
                if f.len() < 4 || group.is_some_and(|g| f[0] != g) {
                    continue;
                }
                let mut changed = false;
                let cols = if t.file == File::Gshadow { 2..4 } else { 3..4 };
                for c in cols {
                    let mut m = accountdb::members(&f[c]);
                    let n = m.len();
                    m.retain(|x| x != user);
                    if m.len() != n {
                        f[c] = m.join(&b',');
                        changed = true;
                    }
                }
                if changed {
                    t.set(i, &f);
                }
            }
        }
    }
}

/// `fields` with empty ones added up to `n`.
fn padded(mut fields: Vec<Vec<u8>>, n: usize) -> Vec<Vec<u8>> {
    if fields.len() < n {
        fields.resize(n, Vec::new());
    }
    fields
}

fn code_of(codes: Codes, f: File) -> u8 {
    match f {
        File::Passwd | File::Shadow => codes.passwd,
        File::Group | File::Gshadow => codes.group,
    }
}

/// The bytes of a string field.
pub fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Lossy text of bytes, for messages.
pub fn t(v: &[u8]) -> String {
    String::from_utf8_lossy(v).into_owned()
}

/// The directory a `-R/--root DIR` option names, byte for byte.
pub fn root_path(v: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(v))
}

/// The one operand of a shadow-utils tool (`groupadd GROUP`, `userdel LOGIN`); usage
/// errors (status 2) for none or more than one.
pub fn one_operand(names: &[Vec<u8>], what: &str) -> Result<Vec<u8>, Error> {
    match names {
        [one] => Ok(one.clone()),
        [] => Err(Error::usage(format!("missing {what}")).with_status(2)),
        [_, extra, ..] => Err(Error::usage(format!("extra operand '{}'", t(extra))).with_status(2)),
    }
}

/// A crypt method by any of the names the tools accept: `sha512`, `SHA512`, `sha-512`,
/// `sha512crypt`, `6`, and so on for sha256 and md5.
pub fn method_named(name: &[u8]) -> Option<Method> {
    let n = String::from_utf8_lossy(name)
        .to_ascii_lowercase()
        .replace('-', "");
    match n.trim_end_matches("crypt") {
        "sha512" | "6" => Some(Method::Sha512),
        "sha256" | "5" => Some(Method::Sha256),
        "md5" | "1" => Some(Method::Md5),
        _ => None,
    }
}

/// The crypt method login.defs asks for (`ENCRYPT_METHOD`, else SHA-512).
pub fn default_method(defs: &LoginDefs) -> Method {
    defs.get("ENCRYPT_METHOD")
        .and_then(|m| method_named(m.as_bytes()))
        .unwrap_or(Method::Sha512)
}

/// The rounds login.defs asks for SHA methods (`SHA_CRYPT_MAX_ROUNDS`/`MIN_ROUNDS`),
/// `None` for the method's default.
pub fn default_rounds(defs: &LoginDefs) -> Option<u32> {
    let v = defs
        .get("SHA_CRYPT_MAX_ROUNDS")
        .or_else(|| defs.get("SHA_CRYPT_MIN_ROUNDS"))?;
    v.parse().ok()
}

/// Reads a password: from /dev/tty with echo off when there is a terminal (the prompt
/// written there, a newline after), else one line of standard input (the prompt on
/// standard error). `None` at end of input.
pub fn ask_password(ctx: &mut Ctx<'_>, prompt: &str) -> Result<Option<Vec<u8>>, Error> {
    match open_tty() {
        Some(tty) => read_noecho(tty.as_fd(), prompt).map_err(|e| Error::io(b"/dev/tty", &e)),
        None => {
            let _ = ctx.stderr.write_all(prompt.as_bytes());
            let _ = ctx.stderr.flush();
            read_line(ctx)
        }
    }
}

/// One line of standard input without its newline (and a `\r` before it); `None` at
/// end of input with nothing read.
pub fn read_line(ctx: &mut Ctx<'_>) -> Result<Option<Vec<u8>>, Error> {
    let mut line = Vec::new();
    let n = ctx.stdin.read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// The controlling terminal, opened for reading and writing.
pub fn open_tty() -> Option<OwnedFd> {
    // SAFETY: open with a NUL-terminated path; the fd is owned below.
    let fd = unsafe {
        libc::open(
            c"/dev/tty".as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: a fresh fd that nothing else owns.
    Some(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Writes `prompt` to the terminal and reads a line with echo off (the terminal's modes
/// are restored after, even on a read error).
pub fn read_noecho(tty: BorrowedFd<'_>, prompt: &str) -> io::Result<Option<Vec<u8>>> {
    use nix::sys::termios::{self, LocalFlags, SetArg};
    let fd = tty.as_raw_fd();
    // Ctrl-C is caught and echo goes off before the prompt shows, so nothing typed
    // after it is echoed or kills the process with echo left off.
    let old_int = catch_interrupts();
    let saved = termios::tcgetattr(tty).ok();
    if let Some(old) = &saved {
        let mut quiet = old.clone();
        quiet.local_flags &=
            !(LocalFlags::ECHO | LocalFlags::ECHOE | LocalFlags::ECHOK | LocalFlags::ECHONL);
        quiet.local_flags |= LocalFlags::ICANON;
        let _ = termios::tcsetattr(tty, SetArg::TCSANOW, &quiet);
    }
    if let Err(e) = crate::common::fdio::write_all(fd, prompt.as_bytes()) {
        if let Some(old) = &saved {
            let _ = termios::tcsetattr(tty, SetArg::TCSANOW, old);
        }
        restore_interrupts(old_int);
        return Err(e);
    }
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    let result = loop {
        // A signal that lands between a check and a blocking read would be lost, so the
        // read waits in short polls and the flag is looked at between them.
        if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
            break Ok(None);
        }
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd.
        let ready = unsafe { libc::poll(&mut pfd, 1, 100) };
        if ready <= 0 {
            continue;
        }
        // SAFETY: a one-byte read into a valid buffer.
        let n = unsafe { libc::read(fd, byte.as_mut_ptr().cast(), 1) };
        match n {
            0 => break Ok(if line.is_empty() { None } else { Some(line) }),
            1 if byte[0] == b'\n' || byte[0] == b'\r' => break Ok(Some(line)),
            1 => line.push(byte[0]),
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted && e.kind() != io::ErrorKind::WouldBlock {
                    break Err(e);
                }
            }
        }
    };
    restore_interrupts(old_int);
    if let Some(old) = &saved {
        let _ = termios::tcsetattr(tty, SetArg::TCSANOW, old);
    }
    let _ = crate::common::fdio::write_all(fd, b"\n");
    result
}

/// Set by the prompt's SIGINT/SIGQUIT handler.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn note_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Handles SIGINT and SIGQUIT without restarting reads (so a prompt can restore the
/// terminal and give up); returns the old actions.
fn catch_interrupts() -> Vec<(nix::sys::signal::Signal, nix::sys::signal::SigAction)> {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
    INTERRUPTED.store(false, std::sync::atomic::Ordering::SeqCst);
    let act = SigAction::new(
        SigHandler::Handler(note_interrupt),
        SaFlags::empty(),
        SigSet::empty(),
    );
    [Signal::SIGINT, Signal::SIGQUIT]
        .into_iter()
        // SAFETY: the handler only stores to an atomic.
        .filter_map(|sig| unsafe { sigaction(sig, &act) }.ok().map(|old| (sig, old)))
        .collect()
}

/// Puts back the actions [`catch_interrupts`] replaced.
fn restore_interrupts(old: Vec<(nix::sys::signal::Signal, nix::sys::signal::SigAction)>) {
    for (sig, act) in old {
        // SAFETY: restoring the action that was in place before.
        let _ = unsafe { nix::sys::signal::sigaction(sig, &act) };
    }
}

/// Whether the real user is root.
pub fn is_root() -> bool {
    nix::unistd::getuid().is_root()
}

/// The name of the real user, from the passwd file.
pub fn caller_name(db: &Db) -> Option<Vec<u8>> {
    let uid = nix::unistd::getuid().as_raw();
    (0..db.passwd.lines.len())
        .map(|i| db.passwd.fields(i))
        .find(|f| f.len() > 2 && accountdb::parse_u32(&f[2]) == Some(uid))
        .map(|f| f[0].clone())
}

/// `ROOT/PATH` for an absolute path inside the account root.
pub fn under(root: &Path, path: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let rel = path.strip_prefix(b"/").unwrap_or(path);
    root.join(std::ffi::OsStr::from_bytes(rel))
}

/// Copies the skeleton tree `skel` into `home` (which exists), then gives everything,
/// `home` too, to `uid:gid`. Modes are the skeleton's; symlinks stay symlinks.
pub fn copy_skel(skel: &Path, home: &Path, uid: u32, gid: u32) -> io::Result<()> {
    if let Ok(entries) = std::fs::read_dir(skel) {
        for e in entries {
            let e = e?;
            let from = e.path();
            let to = home.join(e.file_name());
            let meta = std::fs::symlink_metadata(&from)?;
            let ft = meta.file_type();
            if ft.is_dir() {
                match std::fs::create_dir(&to) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                    _ => {}
                }
                copy_skel(&from, &to, uid, gid)?;
                std::fs::set_permissions(&to, meta.permissions())?;
            } else if ft.is_symlink() {
                let target = std::fs::read_link(&from)?;
                let _ = std::fs::remove_file(&to);
                std::os::unix::fs::symlink(target, &to)?;
                std::os::unix::fs::lchown(&to, Some(uid), Some(gid))?;
            } else if ft.is_file() {
                std::fs::copy(&from, &to)?;
                std::fs::set_permissions(
                    &to,
                    std::fs::Permissions::from_mode(meta.permissions().mode() & 0o7777),
                )?;
                std::os::unix::fs::lchown(&to, Some(uid), Some(gid))?;
            }
        }
    }
    std::os::unix::fs::lchown(home, Some(uid), Some(gid))
}

/// The umask-derived home mode of login.defs: `HOME_MODE`, else `0777 & ~UMASK`
/// (UMASK 022 when unset).
pub fn home_mode(defs: &LoginDefs) -> u32 {
    let oct = |k: &str| defs.get(k).and_then(|v| u32::from_str_radix(v, 8).ok());
    oct("HOME_MODE").unwrap_or_else(|| 0o777 & !oct("UMASK").unwrap_or(0o022))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_padded_not_panicked_on() {
        let root = std::env::temp_dir().join(format!("rbox-acct-util-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/passwd"), "# comment\nbob\n").unwrap();
        std::fs::write(root.join("etc/group"), "users\n").unwrap();
        let mut db = Db::open(
            &root,
            Codes {
                passwd: 1,
                group: 1,
            },
        )
        .unwrap();
        assert_eq!(db.group_by_spec(b"users").unwrap().len(), 4);
        assert_eq!(db.hash_of(b"bob"), Some(Vec::new()));
        db.set_hash(b"bob", b"!", None);
        db.add_member(b"users", b"bob");
        db.save(Codes {
            passwd: 1,
            group: 1,
        })
        .unwrap();
        drop(db);
        assert_eq!(
            std::fs::read_to_string(root.join("etc/passwd")).unwrap(),
            "# comment\nbob:!:::::\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("etc/group")).unwrap(),
            "users:::bob\n"
        );
        assert!(!root.join("etc/passwd.lock").exists());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn method_names() {
        for n in ["sha512", "SHA512", "sha-512", "sha512crypt", "6"] {
            assert_eq!(method_named(n.as_bytes()), Some(Method::Sha512), "{n}");
        }
        assert_eq!(method_named(b"SHA256"), Some(Method::Sha256));
        assert_eq!(method_named(b"md5crypt"), Some(Method::Md5));
        assert_eq!(method_named(b"des"), None);
        assert_eq!(
            default_method(&LoginDefs::parse("ENCRYPT_METHOD MD5\n")),
            Method::Md5
        );
        assert_eq!(home_mode(&LoginDefs::parse("UMASK 077\n")), 0o700);
        assert_eq!(
            home_mode(&LoginDefs::parse("HOME_MODE 0750\nUMASK 077\n")),
            0o750
        );
    }
}
