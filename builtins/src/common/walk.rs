//! A tree walker on directory fds, for cp -R, rm -r, chmod/chown -R, ls -R, du, find.
//!
//! Every step is relative to the parent directory's fd (`openat`, `fstatat`), opened with
//! `O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC` unless symlinks are followed, and each directory
//! opened is checked against the (dev, inode) seen when it was stat'ed, so a directory
//! swapped for a symlink mid-walk is never entered. The callback gets each entry's parent
//! fd and name, so it can act with `unlinkat`, `fchmodat`, ... without building long paths;
//! `Entry::path` is the printable path for messages only.
//!
//! The walk never changes the cwd and keeps at most [`MAX_OPEN`] directory fds open
//! however deep the tree: a level whose fd was closed is reopened through `..` of its
//! child (checked by dev/inode), or else name by name from the nearest open ancestor.
//! A directory's names are read in full when it is entered, so the callback may remove
//! or create entries in it freely.

use std::collections::HashSet;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::{AT_FDCWD, AtFlags, OFlag, openat};
use nix::sys::stat::{FileStat, Mode, fstat, fstatat};

/// The most directory fds a walk keeps open at once.
pub const MAX_OPEN: usize = 24;

/// Which symbolic links the walk follows (the `-P`, `-H`, `-L` of cp, chown, find, du).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Follow {
    /// Never (`-P`): a symlink is reported as itself.
    #[default]
    Never,
    /// Only the root operand (`-H`).
    Roots,
    /// Every symlink (`-L`); loops are reported as [`Kind::Cycle`].
    Always,
}

/// How to walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Which symlinks to follow.
    pub follow: Follow,
    /// Do not descend into directories on another filesystem than the root (they are
    /// still visited, as empty directories).
    pub one_fs: bool,
    /// Do not read directories at this depth or deeper (the root is depth 0): `Some(0)`
    /// visits only the root. Directories at the limit are visited as empty.
    pub max_depth: Option<usize>,
    /// Visit each directory's entries in byte order of their names (else in the order the
    /// filesystem returns them).
    pub sort: bool,
    /// The callback needs only the file type of entries that are not directories: for
    /// those whose type the directory listing gives (`d_type`), no `fstatat` is made and
    /// [`Entry::stat`] has only `st_mode`'s type bits set (find without stat tests).
    pub types_only: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            follow: Follow::Never,
            one_fs: false,
            max_depth: None,
            sort: false,
            types_only: false,
        }
    }
}

/// What an [`Entry`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A directory, before its entries (pre-order).
    Dir,
    /// A directory, after its entries (post-order); also after [`Kind::Unreadable`].
    DirPost,
    /// Anything that is not a directory (or a symlink not followed).
    File,
    /// A directory that is its own ancestor (met by following symlinks or bind mounts);
    /// not entered.
    Cycle,
    /// A directory that could not be opened or read (`err` says why); [`Kind::DirPost`]
    /// follows.
    Unreadable,
    /// An entry that could not be stat'ed (`err` says why; `stat` is `None`), including a
    /// root operand that does not exist.
    NoStat,
}

/// What the callback wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Go on (into the directory, for [`Kind::Dir`]).
    Continue,
    /// For [`Kind::Dir`]: do not enter it and do not post-visit it. Else like `Continue`.
    Skip,
    /// End the whole walk now.
    Stop,
}

/// One visited entry.
#[derive(Debug)]
pub struct Entry<'a> {
    /// The printable path: the root operand, then `/name` per level.
    pub path: &'a [u8],
    /// The name to use with `parent` (the whole operand for the root).
    pub name: &'a [u8],
    /// The directory `name` is relative to (`AT_FDCWD` for the root).
    pub parent: BorrowedFd<'a>,
    /// 0 for the root operand, 1 for its entries, ...
    pub depth: usize,
    /// What this visit is.
    pub kind: Kind,
    /// The entry's status (of the symlink's target when `followed`); `None` for
    /// [`Kind::NoStat`].
    pub stat: Option<&'a FileStat>,
    /// Why the entry could not be stat'ed or read.
    pub err: Option<&'a io::Error>,
    /// Whether `stat` describes the target of a symlink rather than the link.
    pub followed: bool,
}

impl Entry<'_> {
    /// The `st_mode`, or 0 without a status.
    pub fn mode(&self) -> u32 {
        self.stat.map_or(0, |s| s.st_mode)
    }

    /// Whether the entry is (or, followed, points to) a directory.
    pub fn is_dir(&self) -> bool {
        self.mode() & libc::S_IFMT == libc::S_IFDIR
    }

    /// Whether the entry itself is a symlink (only when not followed).
    pub fn is_symlink(&self) -> bool {
        self.mode() & libc::S_IFMT == libc::S_IFLNK
    }
}

/// One directory on the way down.
struct Level {
    fd: Option<OwnedFd>,
    name: Vec<u8>,
    path_len: usize,
    st: FileStat,
    followed: bool,
    /// The entries' names with their `d_type` (`DT_UNKNOWN` when not given).
    names: Vec<(Vec<u8>, u8)>,
    next: usize,
}

fn is_dir(st: &FileStat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

fn same_file(a: &FileStat, b: &FileStat) -> bool {
    a.st_dev == b.st_dev && a.st_ino == b.st_ino
}

fn changed() -> io::Error {
    io::Error::other("directory changed during the walk")
}

/// Stats `name` in `dir`, following a symlink when `follow` (a dangling one is then
/// reported as the link). Returns the status and whether it is the target's.
fn stat_at(dir: BorrowedFd<'_>, name: &[u8], follow: bool) -> io::Result<(FileStat, bool)> {
    if follow {
        match fstatat(dir, name, AtFlags::empty()) {
            Ok(st) => {
                // Whether a link was followed: cheap to tell only by asking again.
                let link = fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW)
                    .is_ok_and(|l| l.st_mode & libc::S_IFMT == libc::S_IFLNK);
                return Ok((st, link));
            }
            Err(Errno::ENOENT | Errno::ELOOP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW)?, false))
}

/// The `S_IF*` bits for a `d_type` when they are all a types-only walk needs: not for
/// directories (they are always stat'ed), unknown types, or links being followed.
fn type_bits(d_type: u8, follow_all: bool) -> Option<u32> {
    match d_type {
        libc::DT_REG => Some(libc::S_IFREG),
        libc::DT_LNK if !follow_all => Some(libc::S_IFLNK),
        libc::DT_FIFO => Some(libc::S_IFIFO),
        libc::DT_SOCK => Some(libc::S_IFSOCK),
        libc::DT_CHR => Some(libc::S_IFCHR),
        libc::DT_BLK => Some(libc::S_IFBLK),
        _ => None,
    }
}

/// A status with only the file type set, for [`Options::types_only`].
fn typed_stat(bits: u32) -> FileStat {
    // SAFETY: `stat` is plain integers; all zeros is a valid value of it.
    let mut st: FileStat = unsafe { std::mem::zeroed() };
    st.st_mode = bits;
    st
}

/// Opens directory `name` in `dir` and checks it is the one `want` describes.
fn open_dir(
    dir: BorrowedFd<'_>,
    name: &[u8],
    follow: bool,
    want: &FileStat,
) -> io::Result<OwnedFd> {
    let mut flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
    if !follow {
        flags |= OFlag::O_NOFOLLOW;
    }
    let fd = openat(dir, name, flags, Mode::empty())?;
    if !same_file(&fstat(&fd)?, want) {
        return Err(changed());
    }
    Ok(fd)
}

/// Every name in the freshly opened directory `fd` but `.` and `..`, with its `d_type`
/// (`DT_*`), sorted by name bytes when `sort`. Read with `getdents64` on `fd` itself (no
/// second fd, `fstat` and `fcntl`s of a `fdopendir` stream: four syscalls a directory);
/// `fd` stays usable for `*at` calls.
pub fn read_names(fd: BorrowedFd<'_>, sort: bool) -> io::Result<Vec<(Vec<u8>, u8)>> {
    let mut names = DIRENT_BUF.with_borrow_mut(|buf| read_records(fd, buf))?;
    if sort {
        names.sort();
    }
    Ok(names)
}

thread_local! {
    /// The `getdents64` buffer, made (zeroed) once per thread: a fresh zeroed 32 KiB per
    /// directory cost more instructions than reading the directory.
    static DIRENT_BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; 32 * 1024]);
}

/// The names and types of `fd`'s entries but `.` and `..`, read through `buf`.
fn read_records(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<Vec<(Vec<u8>, u8)>> {
    let mut names = Vec::new();
    loop {
        // SAFETY: `buf` is writable for its whole length, which is what the kernel is
        // told; `fd` is an open directory for the duration of the call.
        let n = unsafe {
            libc::syscall(
                libc::SYS_getdents64,
                fd.as_raw_fd(),
                buf.as_mut_ptr(),
                buf.len(),
            )
        };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        if n == 0 {
            break;
        }
        let filled = buf.get(..n as usize).unwrap_or_default();
        for_each_dirent(filled, |name, kind| {
            if name != b"." && name != b".." {
                names.push((name.to_vec(), kind));
            }
        });
    }
    Ok(names)
}

/// Calls `f(name, d_type)` for each `linux_dirent64` record in `buf` (d_ino: 8 bytes,
/// d_off: 8, d_reclen: 2, d_type: 1, then the NUL-terminated name).
fn for_each_dirent(buf: &[u8], mut f: impl FnMut(&[u8], u8)) {
    let mut at = 0;
    while let Some(rec) = buf.get(at..) {
        let Some(&[lo, hi]) = rec.get(16..18) else {
            break;
        };
        let reclen = usize::from(u16::from_ne_bytes([lo, hi]));
        let (Some(&kind), Some(tail)) = (rec.get(18), rec.get(19..reclen.min(rec.len()))) else {
            break;
        };
        let name = tail.split(|&b| b == 0).next().unwrap_or_default();
        f(name, kind);
        if reclen == 0 {
            break;
        }
        at += reclen;
    }
}

/// The walk's state: the levels on the way down and the printable path.
struct Walker<'v> {
    opts: Options,
    visit: &'v mut dyn FnMut(&Entry<'_>) -> Action,
    stack: Vec<Level>,
    path: Vec<u8>,
    active: HashSet<(u64, u64)>,
    root_dev: u64,
}

/// Walks the tree at `root`, calling `visit` for every entry: directories twice
/// ([`Kind::Dir`] before, [`Kind::DirPost`] after their entries), everything else once.
/// Errors are reported as entries ([`Kind::NoStat`], [`Kind::Unreadable`], [`Kind::Cycle`])
/// and the walk goes on. Returns `false` when the callback stopped the walk.
pub fn walk(root: &[u8], opts: &Options, visit: &mut dyn FnMut(&Entry<'_>) -> Action) -> bool {
    let mut w = Walker {
        opts: *opts,
        visit,
        stack: Vec::new(),
        path: root.to_vec(),
        active: HashSet::new(),
        root_dev: 0,
    };
    w.run(root)
}

/// What is known about one visit, besides where it is.
#[derive(Clone, Copy)]
struct Seen<'a> {
    kind: Kind,
    stat: Option<&'a FileStat>,
    err: Option<&'a io::Error>,
    followed: bool,
}

impl<'a> Seen<'a> {
    fn ok(kind: Kind, stat: &'a FileStat, followed: bool) -> Seen<'a> {
        Seen {
            kind,
            stat: Some(stat),
            err: None,
            followed,
        }
    }
}

impl Walker<'_> {
    /// Visits the root operand (parent: the cwd).
    fn emit_root(&mut self, root: &[u8], seen: Seen<'_>) -> Action {
        let e = Entry {
            path: &self.path,
            name: root,
            parent: AT_FDCWD,
            depth: 0,
            kind: seen.kind,
            stat: seen.stat,
            err: seen.err,
            followed: seen.followed,
        };
        (self.visit)(&e)
    }

    /// Visits `name`, an entry of the directory at stack index `depth - 1`.
    fn emit_at(&mut self, depth: usize, name: &[u8], seen: Seen<'_>) -> Action {
        if let Err(e) = self.ensure_open(depth.saturating_sub(1)) {
            return self.emit_lost(depth, &e);
        }
        let parent = self
            .stack
            .get(depth.saturating_sub(1))
            .and_then(|l| l.fd.as_ref())
            .map_or(AT_FDCWD, |fd| fd.as_fd());
        let e = Entry {
            path: &self.path,
            name,
            parent,
            depth,
            kind: seen.kind,
            stat: seen.stat,
            err: seen.err,
            followed: seen.followed,
        };
        (self.visit)(&e)
    }

    /// Reports that the directory holding the current path could not be reopened: as
    /// unreadable, named by its printable path from the cwd.
    fn emit_lost(&mut self, depth: usize, err: &io::Error) -> Action {
        let cut = self.path.iter().rposition(|&b| b == b'/').unwrap_or(0);
        let dir = self.path.get(..cut).unwrap_or_default().to_vec();
        let e = Entry {
            path: &dir,
            name: &dir,
            parent: AT_FDCWD,
            depth: depth.saturating_sub(1),
            kind: Kind::Unreadable,
            stat: None,
            err: Some(err),
            followed: false,
        };
        (self.visit)(&e)
    }

    fn run(&mut self, root: &[u8]) -> bool {
        let follow_root = self.opts.follow != Follow::Never;
        let (st, followed) = match stat_at(AT_FDCWD, root, follow_root) {
            Ok(s) => s,
            Err(e) => {
                let seen = Seen {
                    kind: Kind::NoStat,
                    stat: None,
                    err: Some(&e),
                    followed: false,
                };
                return self.emit_root(root, seen) != Action::Stop;
            }
        };
        if !is_dir(&st) {
            return self.emit_root(root, Seen::ok(Kind::File, &st, followed)) != Action::Stop;
        }
        self.root_dev = st.st_dev;
        match self.emit_root(root, Seen::ok(Kind::Dir, &st, followed)) {
            Action::Stop => return false,
            Action::Skip => return true,
            Action::Continue => {}
        }
        if self.opts.max_depth == Some(0) {
            return self.emit_root(root, Seen::ok(Kind::DirPost, &st, followed)) != Action::Stop;
        }
        let opened = open_dir(AT_FDCWD, root, follow_root, &st)
            .and_then(|fd| Ok((read_names(fd.as_fd(), self.opts.sort)?, fd)));
        match opened {
            Ok((names, fd)) => {
                self.active.insert((st.st_dev, st.st_ino));
                self.stack.push(Level {
                    fd: Some(fd),
                    name: root.to_vec(),
                    path_len: root.len(),
                    st,
                    followed: follow_root,
                    names,
                    next: 0,
                });
            }
            Err(e) => {
                let seen = Seen {
                    kind: Kind::Unreadable,
                    stat: Some(&st),
                    err: Some(&e),
                    followed,
                };
                return self.emit_root(root, seen) != Action::Stop
                    && self.emit_root(root, Seen::ok(Kind::DirPost, &st, followed))
                        != Action::Stop;
            }
        }
        self.descend()
    }

    /// The main loop: the next name of the deepest directory, or that directory's end.
    fn descend(&mut self) -> bool {
        let follow_all = self.opts.follow == Follow::Always;
        loop {
            let depth = self.stack.len();
            let Some(top) = self.stack.last_mut() else {
                break;
            };
            let Some((name, d_type)) = top.names.get_mut(top.next).map(std::mem::take) else {
                if !self.finish_level() {
                    return false;
                }
                continue;
            };
            top.next += 1;
            let path_len = top.path_len;
            self.path.truncate(path_len);
            if !self.path.ends_with(b"/") {
                self.path.push(b'/');
            }
            self.path.extend_from_slice(&name);
            if let Err(e) = self.ensure_open(depth - 1) {
                // The directory is gone or was moved: report it once, drop its entries.
                if let Some(top) = self.stack.last_mut() {
                    top.next = top.names.len();
                }
                if self.emit_lost(depth, &e) == Action::Stop {
                    return false;
                }
                continue;
            }
            let parent = self
                .stack
                .get(depth - 1)
                .and_then(|l| l.fd.as_ref())
                .map_or(AT_FDCWD, |fd| fd.as_fd());
            let known = if self.opts.types_only {
                type_bits(d_type, follow_all)
            } else {
                None
            };
            let stat = match known {
                Some(bits) => Ok((typed_stat(bits), false)),
                None => stat_at(parent, &name, follow_all),
            };
            let (st, followed) = match stat {
                Ok(s) => s,
                Err(e) => {
                    let seen = Seen {
                        kind: Kind::NoStat,
                        stat: None,
                        err: Some(&e),
                        followed: false,
                    };
                    if self.emit_at(depth, &name, seen) == Action::Stop {
                        return false;
                    }
                    continue;
                }
            };
            let kind = if !is_dir(&st) {
                Kind::File
            } else if self.active.contains(&(st.st_dev, st.st_ino)) {
                Kind::Cycle
            } else {
                Kind::Dir
            };
            match self.emit_at(depth, &name, Seen::ok(kind, &st, followed)) {
                Action::Stop => return false,
                Action::Skip => continue,
                Action::Continue if kind != Kind::Dir => continue,
                Action::Continue => {}
            }
            let leaf = (self.opts.one_fs && st.st_dev != self.root_dev)
                || self.opts.max_depth.is_some_and(|m| depth >= m);
            let opened = if leaf {
                None
            } else {
                Some(self.ensure_open(depth - 1).and_then(|()| {
                    let parent = self
                        .stack
                        .get(depth - 1)
                        .and_then(|l| l.fd.as_ref())
                        .map_or(AT_FDCWD, |fd| fd.as_fd());
                    let fd = open_dir(parent, &name, follow_all, &st)?;
                    Ok((read_names(fd.as_fd(), self.opts.sort)?, fd))
                }))
            };
            let post = Seen::ok(Kind::DirPost, &st, followed);
            match opened {
                None => {
                    if self.emit_at(depth, &name, post) == Action::Stop {
                        return false;
                    }
                }
                Some(Err(e)) => {
                    let seen = Seen {
                        kind: Kind::Unreadable,
                        stat: Some(&st),
                        err: Some(&e),
                        followed,
                    };
                    if self.emit_at(depth, &name, seen) == Action::Stop
                        || self.emit_at(depth, &name, post) == Action::Stop
                    {
                        return false;
                    }
                }
                Some(Ok((names, fd))) => {
                    self.active.insert((st.st_dev, st.st_ino));
                    self.stack.push(Level {
                        fd: Some(fd),
                        name,
                        path_len: self.path.len(),
                        st,
                        followed: follow_all,
                        names,
                        next: 0,
                    });
                    self.bound_fds(usize::MAX);
                }
            }
        }
        true
    }

    /// Ends the deepest level: closes it and post-visits it from its parent.
    fn finish_level(&mut self) -> bool {
        let n = self.stack.len();
        // Reopen a closed parent through `..` while the child is still open.
        if n >= 2 && self.stack.get(n - 2).is_some_and(|p| p.fd.is_none()) {
            let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
            let up = self
                .stack
                .get(n - 1)
                .and_then(|c| c.fd.as_ref())
                .and_then(|fd| openat(fd, "..", flags, Mode::empty()).ok());
            if let (Some(fd), Some(p)) = (up, self.stack.get_mut(n - 2))
                && fstat(&fd).is_ok_and(|s| same_file(&s, &p.st))
            {
                p.fd = Some(fd);
            }
        }
        let Some(lvl) = self.stack.pop() else {
            return true;
        };
        drop(lvl.fd);
        self.active.remove(&(lvl.st.st_dev, lvl.st.st_ino));
        self.path.truncate(lvl.path_len);
        let depth = self.stack.len();
        let seen = Seen::ok(Kind::DirPost, &lvl.st, lvl.followed);
        let a = if depth == 0 {
            self.emit_root(&lvl.name, seen)
        } else {
            self.emit_at(depth, &lvl.name, seen)
        };
        a != Action::Stop
    }

    /// Keeps at most [`MAX_OPEN`] levels' fds open, closing the shallowest (but `keep`).
    fn bound_fds(&mut self, keep: usize) {
        let open = self.stack.iter().filter(|l| l.fd.is_some()).count();
        if open > MAX_OPEN
            && let Some((_, l)) = self
                .stack
                .iter_mut()
                .enumerate()
                .find(|(k, l)| *k != keep && l.fd.is_some())
        {
            l.fd = None;
        }
    }

    /// Makes sure the level at stack index `i` has an open fd, reopening it name by name
    /// from the nearest open ancestor (or the cwd), each step checked by dev/inode.
    fn ensure_open(&mut self, i: usize) -> io::Result<()> {
        if self.stack.get(i).ok_or_else(changed)?.fd.is_some() {
            return Ok(());
        }
        let below = self.stack.get(..i).unwrap_or_default();
        let start = below.iter().rposition(|l| l.fd.is_some());
        let mut cur: Option<OwnedFd> = None;
        for k in start.map_or(0, |j| j + 1)..=i {
            let l = self.stack.get(k).ok_or_else(changed)?;
            let dir = match (&cur, start) {
                (Some(fd), _) => fd.as_fd(),
                (None, Some(j)) => self
                    .stack
                    .get(j)
                    .and_then(|a| a.fd.as_ref())
                    .map_or(AT_FDCWD, |fd| fd.as_fd()),
                (None, None) => AT_FDCWD,
            };
            cur = Some(open_dir(dir, &l.name, l.followed, &l.st)?);
        }
        if let Some(l) = self.stack.get_mut(i) {
            l.fd = cur;
        }
        self.bound_fds(i);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::temp_dir;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    fn b(p: &Path) -> Vec<u8> {
        p.as_os_str().as_bytes().to_vec()
    }

    /// Walks and records `KIND depth relative-path` per visit.
    fn trace(root: &Path, opts: &Options) -> Vec<String> {
        let base = b(root);
        let mut out = Vec::new();
        walk(&base, opts, &mut |e| {
            let rel = String::from_utf8_lossy(e.path.get(base.len()..).unwrap_or_default());
            out.push(format!("{:?} {} {}", e.kind, e.depth, rel));
            Action::Continue
        });
        out
    }

    fn sorted() -> Options {
        Options {
            sort: true,
            ..Options::default()
        }
    }

    #[test]
    fn types_only_gives_file_types_without_stat() {
        let d = temp_dir("walk-types");
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::fs::write(d.join("a/f"), "data").unwrap();
        std::os::unix::fs::symlink("f", d.join("a/l")).unwrap();
        let opts = Options {
            types_only: true,
            ..sorted()
        };
        let mut seen = Vec::new();
        walk(&b(&d), &opts, &mut |e| {
            let st = e.stat.unwrap();
            seen.push((
                e.kind,
                st.st_mode & libc::S_IFMT,
                st.st_size,
                st.st_ino != 0,
            ));
            Action::Continue
        });
        // Directories are stat'ed in full; a file and a link get their type only (on
        // filesystems that give d_type, as all Linux ones used here do).
        assert_eq!(
            seen,
            [
                (Kind::Dir, libc::S_IFDIR, seen[0].2, true),
                (Kind::Dir, libc::S_IFDIR, seen[1].2, true),
                (Kind::File, libc::S_IFREG, 0, false),
                (Kind::File, libc::S_IFLNK, 0, false),
                (Kind::DirPost, libc::S_IFDIR, seen[4].2, true),
                (Kind::DirPost, libc::S_IFDIR, seen[5].2, true),
            ]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn pre_and_post_order_with_depths() {
        let d = temp_dir("walk-order");
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::fs::write(d.join("a/b/f"), "").unwrap();
        std::fs::write(d.join("a/g"), "").unwrap();
        std::fs::write(d.join("z"), "").unwrap();
        assert_eq!(
            trace(&d, &sorted()),
            [
                "Dir 0 ",
                "Dir 1 /a",
                "Dir 2 /a/b",
                "File 3 /a/b/f",
                "DirPost 2 /a/b",
                "File 2 /a/g",
                "DirPost 1 /a",
                "File 1 /z",
                "DirPost 0 ",
            ]
        );
        let limited = Options {
            max_depth: Some(1),
            ..sorted()
        };
        assert_eq!(
            trace(&d, &limited),
            [
                "Dir 0 ",
                "Dir 1 /a",
                "DirPost 1 /a",
                "File 1 /z",
                "DirPost 0 "
            ]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn missing_root_and_plain_file_root() {
        let d = temp_dir("walk-missing");
        let mut seen = Vec::new();
        walk(&b(&d.join("nope")), &Options::default(), &mut |e| {
            seen.push((e.kind, e.err.and_then(io::Error::raw_os_error)));
            Action::Continue
        });
        assert_eq!(seen, [(Kind::NoStat, Some(libc::ENOENT))]);
        std::fs::write(d.join("f"), "x").unwrap();
        assert_eq!(trace(&d.join("f"), &Options::default()), ["File 0 "]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn symlinks_followed_only_when_asked_and_loops_are_cycles() {
        let d = temp_dir("walk-links");
        std::fs::create_dir_all(d.join("t/sub")).unwrap();
        std::os::unix::fs::symlink("..", d.join("t/sub/up")).unwrap();
        std::os::unix::fs::symlink("sub", d.join("t/ln")).unwrap();
        std::os::unix::fs::symlink("nowhere", d.join("t/dangling")).unwrap();
        let t = d.join("t");
        assert_eq!(
            trace(&t, &sorted()),
            [
                "Dir 0 ",
                "File 1 /dangling",
                "File 1 /ln",
                "Dir 1 /sub",
                "File 2 /sub/up",
                "DirPost 1 /sub",
                "DirPost 0 ",
            ]
        );
        let all = Options {
            follow: Follow::Always,
            ..sorted()
        };
        assert_eq!(
            trace(&t, &all),
            [
                "Dir 0 ",
                "File 1 /dangling",
                "Dir 1 /ln",
                "Cycle 2 /ln/up",
                "DirPost 1 /ln",
                "Dir 1 /sub",
                "Cycle 2 /sub/up",
                "DirPost 1 /sub",
                "DirPost 0 ",
            ]
        );
        // -H: a root that is a symlink is entered, links below are not.
        let roots = Options {
            follow: Follow::Roots,
            ..sorted()
        };
        assert_eq!(
            trace(&t.join("ln"), &roots),
            ["Dir 0 ", "File 1 /up", "DirPost 0 "]
        );
        assert_eq!(trace(&t.join("ln"), &sorted()), ["File 0 "]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn skip_and_stop() {
        let d = temp_dir("walk-skip");
        std::fs::create_dir_all(d.join("a/deep")).unwrap();
        std::fs::create_dir_all(d.join("b")).unwrap();
        let mut seen = Vec::new();
        walk(&b(&d), &sorted(), &mut |e| {
            seen.push(format!("{:?} {}", e.kind, String::from_utf8_lossy(e.name)));
            if e.name == b"a" {
                Action::Skip
            } else {
                Action::Continue
            }
        });
        let root_post = format!("DirPost {}", d.display());
        assert_eq!(seen[1..], ["Dir a", "Dir b", "DirPost b", &root_post]);
        let mut n = 0;
        assert!(!walk(&b(&d), &sorted(), &mut |_| {
            n += 1;
            if n == 2 {
                Action::Stop
            } else {
                Action::Continue
            }
        }));
        assert_eq!(n, 2);
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// How many of this process's fds are open on directories under `root`.
    fn fds_under(root: &Path) -> usize {
        std::fs::read_dir("/proc/self/fd")
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| std::fs::read_link(e.path()).is_ok_and(|t| t.starts_with(root)))
                    .count()
            })
            .unwrap_or(0)
    }

    #[test]
    fn deep_trees_use_a_bounded_number_of_fds_and_can_be_removed() {
        let d = temp_dir("walk-deep");
        let depth = 300;
        let mut p = d.join("r");
        for _ in 0..depth {
            p.push("d");
        }
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("leaf"), "").unwrap();
        let root = d.join("r");
        let (mut max_fds, mut dirs, mut max_depth) = (0, 0, 0);
        walk(&b(&root), &Options::default(), &mut |e| {
            if e.kind == Kind::Dir {
                dirs += 1;
                if e.depth % 50 == 0 {
                    max_fds = max_fds.max(fds_under(&d));
                }
            }
            max_depth = max_depth.max(e.depth);
            // rm -r: remove files at once, directories after their entries.
            match e.kind {
                Kind::File => {
                    nix::unistd::unlinkat(e.parent, e.name, nix::unistd::UnlinkatFlags::NoRemoveDir)
                        .unwrap()
                }
                Kind::DirPost => {
                    nix::unistd::unlinkat(e.parent, e.name, nix::unistd::UnlinkatFlags::RemoveDir)
                        .unwrap()
                }
                _ => {}
            }
            Action::Continue
        });
        assert_eq!((dirs, max_depth), (depth + 1, depth + 1));
        assert!(max_fds <= MAX_OPEN + 2, "{max_fds} fds open");
        assert!(!root.exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn removing_a_tree_leaves_symlink_targets_alone() {
        let d = temp_dir("walk-outside");
        std::fs::create_dir_all(d.join("outside/keep")).unwrap();
        std::fs::create_dir_all(d.join("tree/sub")).unwrap();
        std::os::unix::fs::symlink(d.join("outside"), d.join("tree/sub/link")).unwrap();
        walk(&b(&d.join("tree")), &Options::default(), &mut |e| {
            let flag = match e.kind {
                Kind::File => nix::unistd::UnlinkatFlags::NoRemoveDir,
                Kind::DirPost => nix::unistd::UnlinkatFlags::RemoveDir,
                _ => return Action::Continue,
            };
            nix::unistd::unlinkat(e.parent, e.name, flag).unwrap();
            Action::Continue
        });
        assert!(!d.join("tree").exists());
        assert!(d.join("outside/keep").is_dir());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
