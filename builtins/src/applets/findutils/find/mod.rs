//! `find`: walk directory trees and evaluate an expression on every entry.

mod glob;
mod parse;
mod printf;

use std::fs::File;
use std::io::{self, Write as _};
use std::os::fd::{AsFd as _, BorrowedFd, IntoRawFd, OwnedFd};

use nix::fcntl::{AT_FDCWD, AtFlags, OFlag, openat};
use nix::sys::stat::{FileStat, Mode, fstatat};
use nix::unistd::{AccessFlags, UnlinkatFlags, faccessat, unlinkat};

use self::parse::{Exec, Expr, PermHow, mode_bit};
use super::{DEFAULT_LINE_MAX, env_pairs, quote, system_line_max};
use crate::common::passwd::Accounts;
use crate::common::time::Tz;
use crate::common::walk::{self, Action, Entry, Follow, Kind, Options};
use crate::prelude::*;

/// The `find` applet.
pub const APPLET: Applet = Applet::new("find", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-H | -L | -P] [PATH]... [EXPRESSION]")
    .help(
        "Search the directory trees at each PATH (default .) and evaluate EXPRESSION\n\
         on every file; without an action, print the names for which it is true.\n\n\
         -H, -L, -P\tFollow symlinks on the command line / everywhere / never\n\
         Operators:\t( EXPR )  ! EXPR  EXPR [-a] EXPR  EXPR -o EXPR  EXPR , EXPR\n\
         Options:\t-maxdepth N -mindepth N -depth -xdev -mount -follow -regextype T\n\
         Tests:\t-name -iname -path -ipath -wholename -regex -iregex -lname -ilname PATTERN\n\
         \t-type -xtype [fdlbcps] -size [+-]N[bckwMG] -empty -perm [-/]MODE\n\
         \t-mtime -atime -ctime -mmin -amin -cmin [+-]N -newer -anewer -cnewer FILE\n\
         \t-newerXY REF (X, Y: a c m; Y t: REF is a date)\n\
         \t-user -group NAME -uid -gid -links -inum [+-]N -nouser -nogroup\n\
         \t-samefile FILE -readable -writable -executable -true -false\n\
         Actions:\t-print -print0 -printf FMT -ls -fprint FILE -fprint0 FILE\n\
         \t-fprintf FILE FMT -fls FILE -exec CMD {} ; -exec CMD {} + -ok CMD ;\n\
         \t-execdir CMD {} ; -execdir CMD {} + -okdir CMD ; (run in the file's directory)\n\
         \t-delete -prune -quit",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let zone = Tz::from_env(ctx.env);
    let parsed = parse::parse(ctx.args, &zone)?;
    let env = env_pairs(ctx);
    if let Some(x) = parsed.execs.iter().find(|x| x.in_dir) {
        let action: &[u8] = if x.ok { b"-okdir" } else { b"-execdir" };
        let path = env
            .iter()
            .find(|(k, _)| k == b"PATH")
            .map(|(_, v)| v.as_slice());
        check_path_for_execdir(path.unwrap_or_default(), action)?;
    }
    let line_max = system_line_max(&env).min(DEFAULT_LINE_MAX);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or((0, 0), |d| {
            (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                i64::from(d.subsec_nanos()),
            )
        });
    let wopts = Options {
        follow: parsed.follow,
        one_fs: parsed.one_fs,
        max_depth: parsed.max_depth,
        sort: true,
        types_only: !needs_stat(&parsed.expr),
    };
    let mut f = Finder {
        ctx,
        execs: parsed.execs,
        files: parsed
            .files
            .into_iter()
            .map(|(name, file)| Sink {
                name,
                file,
                buf: Vec::new(),
            })
            .collect(),
        accounts: parsed.accounts,
        tz: Some(zone.clone()),
        now,
        env,
        line_max,
        quit: false,
        prune: false,
        root: Vec::new(),
        dirs: Vec::new(),
        depth_first: parsed.depth_first,
        min_depth: parsed.min_depth,
        follow: parsed.follow,
        write_error: None,
    };
    let expr = parsed.expr;
    for root in &parsed.paths {
        f.root.clone_from(root);
        f.dirs.clear();
        walk::walk(root, &wopts, &mut |e| f.visit(&expr, e));
        if f.quit {
            break;
        }
    }
    f.finish()
}

/// An output file of `-fprint` and friends, buffered.
struct Sink {
    name: Vec<u8>,
    file: File,
    buf: Vec<u8>,
}

/// The walk's state.
struct Finder<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    execs: Vec<Exec>,
    files: Vec<Sink>,
    accounts: Option<Accounts>,
    tz: Option<Tz>,
    now: (i64, i64),
    env: Vec<(Vec<u8>, Vec<u8>)>,
    line_max: usize,
    quit: bool,
    prune: bool,
    /// The starting point being walked (`%H`, `%P`).
    root: Vec<u8>,
    /// The directories being walked, for the file system loop message.
    dirs: Vec<(u64, u64, Vec<u8>)>,
    depth_first: bool,
    min_depth: usize,
    follow: Follow,
    write_error: Option<io::Error>,
}

/// One entry being evaluated.
pub(super) struct Item<'e> {
    pub(super) path: &'e [u8],
    pub(super) name: &'e [u8],
    pub(super) parent: BorrowedFd<'e>,
    pub(super) depth: usize,
    pub(super) st: &'e FileStat,
}

impl Finder<'_, '_> {
    fn visit(&mut self, expr: &Expr, e: &Entry<'_>) -> Action {
        if self.ctx.interrupted() {
            self.quit = true;
            return Action::Stop;
        }
        let fallback = io::Error::from_raw_os_error(libc::EIO);
        let st = match (e.kind, e.stat) {
            (Kind::NoStat, _) | (_, None) => {
                self.ctx.warn(&quote(e.path), e.err.unwrap_or(&fallback));
                return Action::Continue;
            }
            (Kind::Unreadable, _) => {
                self.ctx.warn(&quote(e.path), e.err.unwrap_or(&fallback));
                return Action::Continue;
            }
            (Kind::Cycle, Some(st)) => {
                let first = self
                    .dirs
                    .iter()
                    .find(|(dev, ino, _)| *dev == st.st_dev && *ino == st.st_ino)
                    .map_or_else(|| e.path.to_vec(), |d| d.2.clone());
                let mut m = b"File system loop detected; ".to_vec();
                m.extend_from_slice(&quote(e.path));
                m.extend_from_slice(b" is part of the same file system loop as ");
                m.extend_from_slice(&quote(&first));
                m.push(b'.');
                self.ctx.warn_msg(&m);
                return Action::Continue;
            }
            (_, Some(st)) => st,
        };
        if self.follow == Follow::Always
            && !e.followed
            && e.is_symlink()
            && let Err(err) = fstatat(e.parent, e.name, AtFlags::empty())
            && err == nix::errno::Errno::ELOOP
        {
            self.ctx.warn(&quote(e.path), &io::Error::from(err));
            return Action::Continue;
        }
        let evaluate = match e.kind {
            Kind::Dir => !self.depth_first,
            Kind::DirPost => {
                self.dirs.pop();
                self.depth_first
            }
            _ => true,
        };
        self.prune = false;
        if evaluate && e.depth >= self.min_depth {
            let item = Item {
                path: e.path,
                name: e.name,
                parent: e.parent,
                depth: e.depth,
                st,
            };
            self.eval(expr, &item);
        }
        if self.quit || self.write_error.is_some() {
            return Action::Stop;
        }
        if e.kind == Kind::Dir {
            if self.prune && !self.depth_first {
                return Action::Skip;
            }
            self.dirs.push((st.st_dev, st.st_ino, e.path.to_vec()));
        }
        Action::Continue
    }

    fn eval(&mut self, expr: &Expr, it: &Item<'_>) -> bool {
        let st = it.st;
        match expr {
            Expr::And(a, b) => self.eval(a, it) && !self.quit && self.eval(b, it),
            Expr::Or(a, b) => self.eval(a, it) || (!self.quit && self.eval(b, it)),
            Expr::Not(a) => !self.eval(a, it),
            Expr::List(a, b) => {
                self.eval(a, it);
                !self.quit && self.eval(b, it)
            }
            Expr::True => true,
            Expr::False => false,
            Expr::Name(p) => p.matches(base_name(it)),
            Expr::LinkName(p) => {
                st.st_mode & libc::S_IFMT == libc::S_IFLNK
                    && nix::fcntl::readlinkat(it.parent, it.name).is_ok_and(|t| {
                        use std::os::unix::ffi::OsStrExt as _;
                        p.matches(t.as_bytes())
                    })
            }
            Expr::Path(p) => p.matches(it.path),
            Expr::Regex(re) => re
                .find_span_at(it.path, 0)
                .is_some_and(|(s, e)| s == 0 && e == it.path.len()),
            Expr::Type { mask, x } => {
                let mode = if *x { self.xtype_mode(it) } else { st.st_mode };
                mask & mode_bit(mode) != 0
            }
            Expr::Size { cmp, n, unit } => {
                let size = u64::try_from(st.st_size).unwrap_or(0);
                cmp.test(size.div_ceil(*unit), *n)
            }
            Expr::Age {
                stamp,
                cmp,
                n,
                unit,
            } => {
                let (s, ns) = stamp.of(st);
                let age = (i128::from(self.now.0) - i128::from(s)) * 1_000_000_000
                    + i128::from(self.now.1)
                    - i128::from(ns);
                let units = age.div_euclid(i128::from(*unit) * 1_000_000_000);
                cmp.test(units, i128::from(*n))
            }
            Expr::Newer { stamp, than } => stamp.of(st) > *than,
            Expr::Perm { how, mode } => {
                let bits = st.st_mode & 0o7777;
                match how {
                    PermHow::Exact => bits == *mode,
                    PermHow::All => bits & mode == *mode,
                    PermHow::Any => *mode == 0 || bits & mode != 0,
                }
            }
            Expr::Uid(c, n) => c.test(u64::from(st.st_uid), *n),
            Expr::Gid(c, n) => c.test(u64::from(st.st_gid), *n),
            Expr::NoUser => self
                .accounts
                .as_ref()
                .is_some_and(|a| a.user_by_uid(st.st_uid).is_none()),
            Expr::NoGroup => self
                .accounts
                .as_ref()
                .is_some_and(|a| a.group_by_gid(st.st_gid).is_none()),
            Expr::Links(c, n) => c.test(st.st_nlink, *n),
            Expr::Inum(c, n) => c.test(st.st_ino, *n),
            Expr::SameFile(dev, ino) => st.st_dev == *dev && st.st_ino == *ino,
            Expr::Empty => match st.st_mode & libc::S_IFMT {
                libc::S_IFREG => st.st_size == 0,
                libc::S_IFDIR => dir_is_empty(it.parent, it.name),
                _ => false,
            },
            Expr::Access(bit) => {
                let flags = match bit {
                    4 => AccessFlags::R_OK,
                    2 => AccessFlags::W_OK,
                    _ => AccessFlags::X_OK,
                };
                faccessat(it.parent, it.name, flags, AtFlags::empty()).is_ok()
            }
            Expr::Prune => {
                self.prune = true;
                true
            }
            Expr::Quit => {
                self.quit = true;
                true
            }
            Expr::Print { sink, nul } => {
                self.write(*sink, it.path);
                self.write(*sink, if *nul { b"\0" } else { b"\n" });
                true
            }
            Expr::Printf { sink, fmt } => {
                let text = printf::format(self, fmt, it);
                self.write(*sink, &text);
                true
            }
            Expr::Ls { sink } => {
                let text = printf::ls(self, it);
                self.write(*sink, &text);
                true
            }
            Expr::Exec(i) => self.exec(*i, it),
            Expr::Delete => self.delete(it),
        }
    }

    /// The mode `-xtype` looks at: the target's for a symlink not followed, the link's
    /// own for one followed.
    fn xtype_mode(&self, it: &Item<'_>) -> u32 {
        let link = it.st.st_mode & libc::S_IFMT == libc::S_IFLNK;
        if link {
            fstatat(it.parent, it.name, AtFlags::empty()).map_or(it.st.st_mode, |s| s.st_mode)
        } else if self.follow != Follow::Never {
            fstatat(it.parent, it.name, AtFlags::AT_SYMLINK_NOFOLLOW)
                .map_or(it.st.st_mode, |s| s.st_mode)
        } else {
            it.st.st_mode
        }
    }

    fn accounts(&mut self) -> &Accounts {
        self.accounts.get_or_insert_with(Accounts::load)
    }

    fn tz(&mut self) -> &Tz {
        if self.tz.is_none() {
            self.tz = Some(Tz::from_env(self.ctx.env));
        }
        self.tz.get_or_insert_with(Tz::utc)
    }

    fn write(&mut self, sink: usize, data: &[u8]) {
        let r = match sink.checked_sub(1) {
            None => self.ctx.stdout.write_all(data),
            Some(k) => match self.files.get_mut(k) {
                Some(s) => {
                    s.buf.extend_from_slice(data);
                    if s.buf.len() >= 32 * 1024 {
                        let r = s.file.write_all(&s.buf);
                        s.buf.clear();
                        r
                    } else {
                        Ok(())
                    }
                }
                None => Ok(()),
            },
        };
        if let Err(e) = r
            && self.write_error.is_none()
        {
            self.write_error = Some(e);
        }
    }

    fn delete(&mut self, it: &Item<'_>) -> bool {
        if it.depth == 0 && it.path == b"." {
            return true;
        }
        let flag = if it.st.st_mode & libc::S_IFMT == libc::S_IFDIR {
            UnlinkatFlags::RemoveDir
        } else {
            UnlinkatFlags::NoRemoveDir
        };
        match unlinkat(it.parent, it.name, flag) {
            Ok(()) => true,
            Err(e) => {
                let mut m = b"cannot delete ".to_vec();
                m.extend_from_slice(&quote(it.path));
                m.extend_from_slice(b": ");
                m.extend_from_slice(crate::error::strerror(&io::Error::from(e)).as_bytes());
                self.ctx.warn_msg(&m);
                false
            }
        }
    }

    fn exec(&mut self, i: usize, it: &Item<'_>) -> bool {
        let Some(x) = self.execs.get(i) else {
            return false;
        };
        // -execdir: the directory to run in and the name `{}` stands for there.
        let place = if x.in_dir {
            match exec_dir(it) {
                Ok(p) => Some(p),
                Err(e) => {
                    self.ctx.warn(&quote(it.path), &e);
                    return false;
                }
            }
        } else {
            None
        };
        let arg = place.as_ref().map_or(it.path, |p| p.arg.as_slice());
        if x.plus {
            let need = arg.len() + 1;
            let base: usize = x.argv.iter().map(|a| a.len() + 1).sum();
            let moved = match (&place, &x.batch_dir) {
                (Some(p), Some((dir, _))) => *dir != p.dir_path,
                _ => false,
            };
            if !x.batch.is_empty() && (moved || base + x.batch_len + need > self.line_max) {
                self.run_batch(i);
            }
            if let Some(x) = self.execs.get_mut(i) {
                x.batch.push(arg.to_vec());
                x.batch_len += need;
                if let Some(p) = place
                    && x.batch_dir.is_none()
                {
                    x.batch_dir = Some((p.dir_path, p.dir));
                }
            }
            return true;
        }
        let argv: Vec<Vec<u8>> = x.argv.iter().map(|a| replace(a, arg)).collect();
        if x.ok {
            let mut q = b"< ".to_vec();
            q.extend_from_slice(argv.first().map_or(&b""[..], Vec::as_slice));
            q.extend_from_slice(b" ... ");
            q.extend_from_slice(it.path);
            q.extend_from_slice(b" > ? ");
            self.flush_outputs();
            let _ = self.ctx.stderr.write_all(&q);
            let _ = self.ctx.stderr.flush();
            let mut line = Vec::new();
            if self.ctx.stdin.read_until(b'\n', &mut line).is_err()
                || !matches!(line.first(), Some(b'y' | b'Y'))
            {
                return false;
            }
        }
        let dir = place.as_ref().map(|p| p.dir.as_fd());
        self.spawn(&argv, dir) == Some(0)
    }

    /// Runs the batch gathered for `-exec ... {} +` number `i`.
    fn run_batch(&mut self, i: usize) {
        let Some(x) = self.execs.get_mut(i) else {
            return;
        };
        if x.batch.is_empty() {
            return;
        }
        let mut argv = x.argv.clone();
        argv.append(&mut x.batch);
        x.batch_len = 0;
        let dir = x.batch_dir.take();
        if self.spawn(&argv, dir.as_ref().map(|(_, fd)| fd.as_fd())) != Some(0) {
            self.ctx.status = 1;
        }
    }

    fn flush_outputs(&mut self) {
        if let Err(e) = self.ctx.stdout.flush()
            && self.write_error.is_none()
        {
            self.write_error = Some(e);
        }
        for s in &mut self.files {
            if !s.buf.is_empty() {
                let _ = s.file.write_all(&s.buf);
                s.buf.clear();
            }
        }
    }

    /// Runs a command and waits for it; `None` when it could not be started.
    fn spawn(&mut self, argv: &[Vec<u8>], dir: Option<BorrowedFd<'_>>) -> Option<u8> {
        self.flush_outputs();
        let ran = match dir {
            None => self.ctx.spawn.run(argv, &self.env),
            Some(fd) => self
                .ctx
                .spawn
                .start(argv, &self.env, Some(fd))
                .and_then(crate::ctx::Child::wait),
        };
        match ran {
            Ok(s) => Some(s),
            Err(e) => {
                let name = argv.first().cloned().unwrap_or_default();
                self.ctx.warn(&quote(&name), &e);
                None
            }
        }
    }

    /// Runs what is left of the `+` batches and flushes the output files.
    fn finish(mut self) -> Result<(), Error> {
        for i in 0..self.execs.len() {
            self.run_batch(i);
        }
        self.flush_outputs();
        for s in &mut self.files {
            if let Err(e) = s.file.flush() {
                let name = std::mem::take(&mut s.name);
                self.ctx.warn(&quote(&name), &e);
            }
        }
        if let Some(e) = self.write_error.take() {
            return Err(Error::msg(format!(
                "write error: {}",
                crate::error::strerror(&e)
            )));
        }
        if self.ctx.interrupted() {
            return Err(Error::silent(130));
        }
        Ok(())
    }
}

/// Whether evaluating `e` looks at more of an entry's status than its file type; when
/// not, the walk takes the type from the directory listing and stats only directories
/// (GNU find skips those stats too).
fn needs_stat(e: &Expr) -> bool {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) | Expr::List(a, b) => needs_stat(a) || needs_stat(b),
        Expr::Not(a) => needs_stat(a),
        Expr::True
        | Expr::False
        | Expr::Name(_)
        | Expr::Path(_)
        | Expr::Regex(_)
        | Expr::Type { x: false, .. }
        | Expr::LinkName(_)
        | Expr::Prune
        | Expr::Quit
        | Expr::Print { .. }
        | Expr::Exec(_)
        | Expr::Delete => false,
        _ => true,
    }
}

/// The name `-name` and `%f` look at: the last component, trailing slashes kept off
/// for the match (`find a/ -name a`), `/` for the root.
fn base_name<'p>(it: &Item<'p>) -> &'p [u8] {
    if it.depth > 0 {
        return it.name;
    }
    crate::common::path::basename(it.path)
}

/// Where `-execdir` runs for an entry: an fd on the directory holding it, that
/// directory's path (to tell batches apart) and what `{}` becomes there.
struct ExecPlace {
    dir: OwnedFd,
    dir_path: Vec<u8>,
    arg: Vec<u8>,
}

/// The `-execdir` place of `it`: its parent and `./NAME`; for a starting point, the
/// directory part of the operand (`.` without one) and `./BASENAME`, `/` for `/`.
fn exec_dir(it: &Item<'_>) -> io::Result<ExecPlace> {
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
    if it.depth > 0 {
        let dir = nix::unistd::dup(it.parent)?;
        let cut = it.path.len().saturating_sub(it.name.len() + 1);
        let dir_path = it.path.get(..cut).unwrap_or_default().to_vec();
        return Ok(ExecPlace {
            dir,
            dir_path,
            arg: [b"./", it.name].concat(),
        });
    }
    let trimmed_len = it.path.len() - it.path.iter().rev().take_while(|&&b| b == b'/').count();
    let trimmed = it.path.get(..trimmed_len).unwrap_or_default();
    if trimmed.is_empty() {
        let dir = openat(AT_FDCWD, "/", flags, Mode::empty())?;
        return Ok(ExecPlace {
            dir,
            dir_path: b"/".to_vec(),
            arg: b"/".to_vec(),
        });
    }
    let (dir_path, base) = match trimmed.iter().rposition(|&b| b == b'/') {
        Some(0) => (b"/".to_vec(), trimmed.get(1..).unwrap_or_default()),
        Some(k) => (
            trimmed.get(..k).unwrap_or_default().to_vec(),
            trimmed.get(k + 1..).unwrap_or_default(),
        ),
        None => (b".".to_vec(), trimmed),
    };
    let dir = openat(AT_FDCWD, dir_path.as_slice(), flags, Mode::empty())?;
    Ok(ExecPlace {
        dir,
        dir_path,
        arg: [b"./", base].concat(),
    })
}

/// Refuses `-execdir`/`-okdir` when `PATH` has the current directory or a relative
/// entry in it, as GNU find does: a file in the visited directory could be run.
fn check_path_for_execdir(path: &[u8], action: &[u8]) -> Result<(), Error> {
    let action = String::from_utf8_lossy(action);
    for entry in path.split(|&b| b == b':') {
        if entry.is_empty() || entry == b"." {
            return Err(Error::msg(format!(
                "The current directory is included in the PATH environment variable, which \
                 is insecure in combination with the {action} action of find.  Please remove \
                 the current directory from your $PATH (that is, remove \".\", doubled colons, \
                 or leading or trailing colons)"
            )));
        }
        if !entry.starts_with(b"/") {
            return Err(Error::msg(format!(
                "The relative path {} is included in the PATH environment variable, which is \
                 insecure in combination with the {action} action of find.  Please remove that \
                 entry from $PATH",
                String::from_utf8_lossy(&quote(entry))
            )));
        }
    }
    Ok(())
}

/// `arg` with every `{}` replaced by `path`.
fn replace(arg: &[u8], path: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(arg.len());
    let mut i = 0;
    while let Some(&b) = arg.get(i) {
        if b == b'{' && arg.get(i + 1) == Some(&b'}') {
            out.extend_from_slice(path);
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

/// A directory stream from `fdopendir`, closed when dropped.
struct DirStream(std::ptr::NonNull<libc::DIR>);

impl Drop for DirStream {
    fn drop(&mut self) {
        // SAFETY: the pointer came from a successful fdopendir and is closed only here.
        unsafe { libc::closedir(self.0.as_ptr()) };
    }
}

/// Whether directory `name` in `parent` holds nothing but `.` and `..` (an unreadable
/// one is not empty).
fn dir_is_empty(parent: BorrowedFd<'_>, name: &[u8]) -> bool {
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
    let Ok(fd) = openat(parent, name, flags, Mode::empty()) else {
        return false;
    };
    let raw = fd.into_raw_fd();
    // SAFETY: `raw` is an open directory fd owned here; on success the stream owns it.
    let dirp = unsafe { libc::fdopendir(raw) };
    let Some(dirp) = std::ptr::NonNull::new(dirp) else {
        // SAFETY: fdopendir failed, so `raw` is still ours to close, once.
        unsafe { libc::close(raw) };
        return false;
    };
    let stream = DirStream(dirp);
    loop {
        // SAFETY: the stream is open until `stream` drops at the end of this function.
        let ent = unsafe { libc::readdir64(stream.0.as_ptr()) };
        if ent.is_null() {
            return true;
        }
        // SAFETY: readdir64 returned a valid entry with a NUL-terminated d_name, read
        // before the next readdir64 call.
        let n = unsafe { std::ffi::CStr::from_ptr((*ent).d_name.as_ptr()) }.to_bytes();
        if n != b"." && n != b".." {
            return false;
        }
    }
}

#[cfg(test)]
mod tests;
