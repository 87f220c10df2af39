//! `cp`: copy files and directory trees. Also the copy half of `mv` across filesystems.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::fd::BorrowedFd;
use std::os::unix::fs::OpenOptionsExt;

use nix::fcntl::{AT_FDCWD, AtFlags, OFlag, openat, readlinkat};
use nix::sys::stat::{FileStat, Mode, SFlag, UtimensatFlags, fstatat, mknodat, utimensat};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchownat, linkat, symlinkat};

use super::util::{Need, ask, canonicalize, cwd, errno, fill, join, msg, path, quote};
use crate::common::mode::current_umask;
use crate::common::walk::{self, Action, Entry, Follow, Kind, Options};
use crate::prelude::*;

/// The `cp` applet.
pub const APPLET: Applet = Applet::new("cp", main, Run::Fork)
    .usage("[-aRrpfinPLHlsuvdT] [--preserve[=LIST]] [-t DIR] SOURCE... DEST")
    .help(
        "Copy SOURCE to DEST, or the SOURCEs into the directory DEST.\n\n\
         -R, -r\tCopy directories recursively\n\
         -a\tSame as -dR --preserve=all\n\
         -p\tSame as --preserve=mode,ownership,timestamps\n\
         --preserve[=LIST]\tKeep mode, ownership, timestamps, links, all (default: the first three)\n\
         -d\tSame as -P --preserve=links\n\
         -f\tIf a destination cannot be opened, remove it and try again\n\
         -i\tAsk before overwriting\n\
         -n\tNever overwrite an existing file\n\
         -P\tCopy symbolic links as links (the default with -R)\n\
         -L\tFollow every symbolic link in SOURCE\n\
         -H\tFollow symbolic links on the command line\n\
         -l\tMake hard links instead of copying\n\
         -s\tMake symbolic links instead of copying\n\
         -u\tCopy only when SOURCE is newer than DEST or DEST is missing\n\
         -v\tExplain what is being done\n\
         -t DIR\tCopy into DIR\n\
         -T\tTreat DEST as a file, never as a directory",
    );

const LONGS: &[&str] = &[
    "recursive",
    "archive",
    "preserve",
    "no-preserve",
    "force",
    "interactive",
    "no-clobber",
    "no-dereference",
    "dereference",
    "link",
    "symbolic-link",
    "update",
    "verbose",
    "target-directory",
    "no-target-directory",
    "parents",
    "one-file-system",
];

/// What to overwrite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) enum Clobber {
    /// Overwrite (the default).
    #[default]
    Yes,
    /// Ask first (`-i`).
    Ask,
    /// Never (`-n`).
    No,
}

/// How a copy is made: cp's options, and mv's fixed choice.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct CopyOpts {
    pub recursive: bool,
    pub follow: Follow,
    pub mode: bool,
    pub owner: bool,
    pub times: bool,
    pub links: bool,
    pub force: bool,
    pub clobber: Clobber,
    pub hard_link: bool,
    pub sym_link: bool,
    pub update: bool,
    pub verbose: bool,
    pub one_fs: bool,
}

impl CopyOpts {
    /// What mv uses across filesystems: everything kept, links as links.
    pub(super) fn for_move() -> CopyOpts {
        CopyOpts {
            recursive: true,
            follow: Follow::Never,
            mode: true,
            owner: true,
            times: true,
            links: true,
            force: true,
            ..CopyOpts::default()
        }
    }
}

fn set_preserve(o: &mut CopyOpts, list: &[u8], on: bool) -> Result<(), Error> {
    for item in list.split(|&b| b == b',') {
        match item {
            b"mode" => o.mode = on,
            b"ownership" => o.owner = on,
            b"timestamps" => o.times = on,
            b"links" => o.links = on,
            b"all" => (o.mode, o.owner, o.times, o.links) = (on, on, on, on),
            b"context" | b"xattr" => {}
            _ => {
                return Err(Error::usage(format!(
                    "invalid argument '{}' for '--preserve'",
                    String::from_utf8_lossy(item)
                )));
            }
        }
    }
    Ok(())
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut o = CopyOpts::default();
    let mut follow: Option<Follow> = None;
    let (mut target_dir, mut no_target_dir, mut parents) = (None, false, false);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('r' | 'R') | Arg::Long("recursive") => o.recursive = true,
            Arg::Short('a') | Arg::Long("archive") => {
                o.recursive = true;
                follow = Some(Follow::Never);
                set_preserve(&mut o, b"all", true)?;
            }
            Arg::Short('p') => set_preserve(&mut o, b"mode,ownership,timestamps", true)?,
            Arg::Long("preserve") => match opts.optional_value() {
                Some(list) => set_preserve(&mut o, &list, true)?,
                None => set_preserve(&mut o, b"mode,ownership,timestamps", true)?,
            },
            Arg::Long("no-preserve") => set_preserve(&mut o, &opts.value()?, false)?,
            Arg::Short('d') => {
                follow = Some(Follow::Never);
                o.links = true;
            }
            Arg::Short('f') | Arg::Long("force") => o.force = true,
            Arg::Short('i') | Arg::Long("interactive") => o.clobber = Clobber::Ask,
            Arg::Short('n') | Arg::Long("no-clobber") => o.clobber = Clobber::No,
            Arg::Short('P') | Arg::Long("no-dereference") => follow = Some(Follow::Never),
            Arg::Short('L') | Arg::Long("dereference") => follow = Some(Follow::Always),
            Arg::Short('H') => follow = Some(Follow::Roots),
            Arg::Short('l') | Arg::Long("link") => o.hard_link = true,
            Arg::Short('s') | Arg::Long("symbolic-link") => o.sym_link = true,
            Arg::Short('u') | Arg::Long("update") => o.update = true,
            Arg::Short('v') | Arg::Long("verbose") => o.verbose = true,
            Arg::Short('x') | Arg::Long("one-file-system") => o.one_fs = true,
            Arg::Short('t') | Arg::Long("target-directory") => target_dir = Some(opts.value()?),
            Arg::Short('T') | Arg::Long("no-target-directory") => no_target_dir = true,
            Arg::Long("parents") => parents = true,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    // Without -R every link is followed; with it none is, unless told.
    o.follow = follow.unwrap_or(if o.recursive {
        Follow::Never
    } else {
        Follow::Always
    });
    let pairs = if parents {
        with_parents(ops, target_dir)?
    } else {
        destinations(ops, target_dir, no_target_dir)?
    };
    for (src, dest) in &pairs {
        if parents
            && let Some(cut) = dest.iter().rposition(|&b| b == b'/')
            && let Err(e) = std::fs::create_dir_all(path(dest.get(..cut).unwrap_or_default()))
        {
            ctx.warn_msg(&msg("cannot make directory for", dest, &e));
            continue;
        }
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        copy(ctx, src, dest, &o);
    }
    Ok(())
}

/// `--parents`: each SOURCE goes to DIR/SOURCE (leading `/` dropped), DIR being the
/// last operand or `-t`, which must be a directory (GNU).
fn with_parents(mut ops: Vec<Vec<u8>>, target_dir: Option<Vec<u8>>) -> Result<Vec<Pair>, Error> {
    let dir = match target_dir {
        Some(d) => d,
        None if ops.len() >= 2 => ops.pop().unwrap_or_default(),
        None => return Err(Error::usage("missing destination file operand")),
    };
    if ops.is_empty() {
        return Err(Error::usage("missing file operand"));
    }
    if !is_dir(&dir) {
        return Err(Error::usage(
            "with --parents, the destination must be a directory",
        ));
    }
    Ok(ops
        .into_iter()
        .map(|s| {
            let rel = s
                .iter()
                .position(|&b| b != b'/')
                .map_or(&b""[..], |k| s.get(k..).unwrap_or_default());
            let d = join(&dir, rel);
            (s, d)
        })
        .collect())
}

/// A source and where it goes.
pub(super) type Pair = (Vec<u8>, Vec<u8>);

/// Pairs each SOURCE with its destination, as cp, mv and install read their operands.
pub(super) fn destinations(
    mut ops: Vec<Vec<u8>>,
    target_dir: Option<Vec<u8>>,
    no_target_dir: bool,
) -> Result<Vec<Pair>, Error> {
    let into = |dir: &[u8], srcs: Vec<Vec<u8>>| -> Vec<Pair> {
        srcs.into_iter()
            .map(|s| {
                let d = join(dir, crate::common::path::basename(&s));
                (s, d)
            })
            .collect()
    };
    if let Some(dir) = target_dir {
        if no_target_dir {
            return Err(Error::usage(
                "cannot combine --target-directory (-t) and --no-target-directory (-T)",
            ));
        }
        if ops.is_empty() {
            return Err(Error::usage("missing file operand"));
        }
        if !is_dir(&dir) {
            return Err(Error::msg(fill(
                "target directory {} is not a directory",
                &[&dir],
            )));
        }
        return Ok(into(&dir, ops));
    }
    match ops.len() {
        0 => return Err(Error::usage("missing file operand")),
        1 => {
            let mut m = b"missing destination file operand after ".to_vec();
            m.extend_from_slice(&quote(&ops[0]));
            return Err(Error::usage(m));
        }
        _ => {}
    }
    let Some(last) = ops.pop() else {
        return Ok(Vec::new());
    };
    if no_target_dir {
        if ops.len() > 1 {
            return Err(Error::usage(fill("extra operand {}", &[&ops[1]])));
        }
        return Ok(ops.into_iter().map(|s| (s, last.clone())).collect());
    }
    if is_dir(&last) {
        return Ok(into(&last, ops));
    }
    if ops.len() > 1 {
        return Err(match nix::sys::stat::stat(last.as_slice()) {
            Err(e) => Error::msg(msg("target", &last, &errno(e))),
            Ok(_) => Error::msg(fill("target {} is not a directory", &[&last])),
        });
    }
    Ok(ops.into_iter().map(|s| (s, last.clone())).collect())
}

fn is_dir(p: &[u8]) -> bool {
    nix::sys::stat::stat(p).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
}

fn ftype(st: &FileStat) -> u32 {
    st.st_mode & libc::S_IFMT
}

/// Copies `src` to `dest` (a whole tree with -R), reporting every failure on the way.
/// Returns whether everything was copied.
pub(super) fn copy(ctx: &mut Ctx<'_>, src: &[u8], dest: &[u8], o: &CopyOpts) -> bool {
    let before = ctx.status;
    ctx.status = 0;
    copy_inner(ctx, src, dest, o);
    let ok = ctx.status == 0;
    ctx.status = ctx.status.max(before);
    ok
}

fn copy_inner(ctx: &mut Ctx<'_>, src: &[u8], dest: &[u8], o: &CopyOpts) {
    let follow_root = o.follow != Follow::Never;
    let flag = if follow_root {
        AtFlags::empty()
    } else {
        AtFlags::AT_SYMLINK_NOFOLLOW
    };
    let sst = match fstatat(AT_FDCWD, src, flag) {
        Ok(s) => s,
        Err(e) => {
            ctx.warn_msg(&msg("cannot stat", src, &errno(e)));
            return;
        }
    };
    if let Ok(dst) = nix::sys::stat::stat(dest)
        && dst.st_dev == sst.st_dev
        && dst.st_ino == sst.st_ino
        && !(o.sym_link || (o.hard_link && ftype(&sst) != libc::S_IFDIR))
    {
        ctx.warn_msg(&fill("{} and {} are the same file", &[src, dest]));
        return;
    }
    if ftype(&sst) == libc::S_IFDIR {
        if !o.recursive {
            ctx.warn_msg(&fill("-r not specified; omitting directory {}", &[src]));
            return;
        }
        // cp -r dir dir/sub would never end.
        let here = cwd().unwrap_or_default();
        if let (Ok(s), Ok(d)) = (
            canonicalize(src, Need::All, true, &here),
            canonicalize(dest, Need::Nothing, true, &here),
        ) && (d == s || d.starts_with(&join(&s, b"")))
        {
            ctx.warn_msg(&fill(
                "cannot copy a directory, {}, into itself, {}",
                &[src, dest],
            ));
            return;
        }
    }
    let umask = current_umask();
    let mut seen_links: HashMap<(u64, u64), Vec<u8>> = HashMap::new();
    // Directories made, to fix their modes and times after their contents.
    let mut made: Vec<bool> = Vec::new();
    let wopts = Options {
        follow: o.follow,
        one_fs: o.one_fs,
        ..Options::default()
    };
    let src_len = src.len();
    walk::walk(src, &wopts, &mut |e: &Entry<'_>| {
        let rel = e.path.get(src_len..).unwrap_or_default();
        let mut to = dest.to_vec();
        to.extend_from_slice(rel);
        match e.kind {
            Kind::NoStat => {
                let fallback = io::Error::from_raw_os_error(libc::EIO);
                ctx.warn_msg(&msg("cannot stat", e.path, e.err.unwrap_or(&fallback)));
            }
            Kind::Unreadable => {
                let fallback = io::Error::from_raw_os_error(libc::EIO);
                ctx.warn_msg(&msg("cannot access", e.path, e.err.unwrap_or(&fallback)));
            }
            Kind::Cycle => {
                ctx.warn_msg(&fill("cannot copy cyclic symbolic link {}", &[e.path]));
            }
            Kind::Dir => {
                let Some(st) = e.stat else {
                    return Action::Skip;
                };
                match make_dir(&to, st, umask) {
                    Ok(new) => {
                        if o.verbose && new {
                            let line = fill("{} -> {}\n", &[e.path, &to]);
                            let _ = ctx.stdout.write_all(&line);
                        }
                        made.push(new);
                    }
                    Err(err) => {
                        report(ctx, &to, e.path, err);
                        return Action::Skip;
                    }
                }
            }
            Kind::DirPost => {
                let new = made.pop().unwrap_or(false);
                if let Some(st) = e.stat {
                    let mode = if o.mode {
                        st.st_mode & 0o7777
                    } else {
                        st.st_mode & 0o777 & !umask
                    };
                    if new || o.mode {
                        let _ = nix::sys::stat::fchmodat(
                            AT_FDCWD,
                            to.as_slice(),
                            Mode::from_bits_truncate(mode),
                            nix::sys::stat::FchmodatFlags::FollowSymlink,
                        );
                    }
                    finish_attrs(ctx, &to, st, o, false);
                }
            }
            Kind::File => {
                if let Some(st) = e.stat {
                    copy_entry(ctx, e, st, &to, o, &mut seen_links);
                }
            }
        }
        if ctx.interrupted() {
            return Action::Stop;
        }
        Action::Continue
    });
}

enum Fail {
    NotDir,
    Io(io::Error),
}

fn report(ctx: &mut Ctx<'_>, to: &[u8], from: &[u8], f: Fail) {
    match f {
        Fail::NotDir => ctx.warn_msg(&fill(
            "cannot overwrite non-directory {} with directory {}",
            &[to, from],
        )),
        Fail::Io(e) => ctx.warn_msg(&msg("cannot create directory", to, &e)),
    }
}

/// Makes the directory `to` for a source directory (merging into an existing one);
/// returns whether it was created.
fn make_dir(to: &[u8], st: &FileStat, umask: u32) -> Result<bool, Fail> {
    match fstatat(AT_FDCWD, to, AtFlags::empty()) {
        Ok(d) if ftype(&d) == libc::S_IFDIR => return Ok(false),
        Ok(_) => return Err(Fail::NotDir),
        Err(_) => {}
    }
    // Owner rwx while filling it; the real mode comes after.
    let mode = (st.st_mode & 0o777 & !umask) | 0o700;
    nix::sys::stat::mkdirat(AT_FDCWD, to, Mode::from_bits_truncate(mode))
        .map_err(|e| Fail::Io(errno(e)))?;
    Ok(true)
}

/// Ownership and times, as asked, for a copied entry (`link`: the entry itself is a
/// symlink).
fn finish_attrs(ctx: &mut Ctx<'_>, to: &[u8], st: &FileStat, o: &CopyOpts, link: bool) {
    let flag = if link {
        AtFlags::AT_SYMLINK_NOFOLLOW
    } else {
        AtFlags::empty()
    };
    if o.owner {
        // Like GNU cp, a failure to give a file away (not root) is not reported.
        let r = fchownat(
            AT_FDCWD,
            to,
            Some(Uid::from_raw(st.st_uid)),
            Some(Gid::from_raw(st.st_gid)),
            flag,
        );
        if r.is_err() && !link && o.mode {
            // Set-id bits must not survive a failed chown.
            let _ = nix::sys::stat::fchmodat(
                AT_FDCWD,
                to,
                Mode::from_bits_truncate(st.st_mode & 0o1777),
                nix::sys::stat::FchmodatFlags::FollowSymlink,
            );
        }
    }
    if o.times {
        let a = TimeSpec::new(st.st_atime, st.st_atime_nsec);
        let m = TimeSpec::new(st.st_mtime, st.st_mtime_nsec);
        let uflag = if link {
            UtimensatFlags::NoFollowSymlink
        } else {
            UtimensatFlags::FollowSymlink
        };
        if let Err(e) = utimensat(AT_FDCWD, to, &a, &m, uflag) {
            ctx.warn_msg(&msg("preserving times for", to, &errno(e)));
        }
    }
}

/// Copies one non-directory entry to `to`.
fn copy_entry(
    ctx: &mut Ctx<'_>,
    e: &Entry<'_>,
    st: &FileStat,
    to: &[u8],
    o: &CopyOpts,
    seen: &mut HashMap<(u64, u64), Vec<u8>>,
) {
    let existing = fstatat(AT_FDCWD, to, AtFlags::AT_SYMLINK_NOFOLLOW).ok();
    if let Some(d) = &existing {
        if ftype(d) == libc::S_IFDIR {
            ctx.warn_msg(&fill(
                "cannot overwrite directory {} with non-directory",
                &[to],
            ));
            return;
        }
        if d.st_dev == st.st_dev && d.st_ino == st.st_ino && !o.sym_link {
            ctx.warn_msg(&fill("{} and {} are the same file", &[e.path, to]));
            return;
        }
        match o.clobber {
            Clobber::No => return,
            Clobber::Ask => {
                if !ask(ctx, &fill("overwrite {}?", &[to])) {
                    return;
                }
            }
            Clobber::Yes => {}
        }
        if o.update && (d.st_mtime, d.st_mtime_nsec) >= (st.st_mtime, st.st_mtime_nsec) {
            return;
        }
    }
    let kind = ftype(st);
    let replace = existing.is_some() && (o.hard_link || o.sym_link || kind != libc::S_IFREG);
    if replace && let Err(err) = std::fs::remove_file(path(to)) {
        ctx.warn_msg(&msg("cannot remove", to, &err));
        return;
    }
    // Hard links inside the tree stay hard links with --preserve=links.
    if o.links && st.st_nlink > 1 {
        if let Some(first) = seen.get(&(st.st_dev, st.st_ino)) {
            if existing.is_some() {
                let _ = std::fs::remove_file(path(to));
            }
            match linkat(AT_FDCWD, first.as_slice(), AT_FDCWD, to, AtFlags::empty()) {
                Ok(()) => verbose(ctx, o, e.path, to),
                Err(err) => ctx.warn_msg(&msg("cannot create hard link", to, &errno(err))),
            }
            return;
        }
        seen.insert((st.st_dev, st.st_ino), to.to_vec());
    }
    let result = if o.hard_link {
        let flag = if e.followed {
            AtFlags::AT_SYMLINK_FOLLOW
        } else {
            AtFlags::empty()
        };
        linkat(e.parent, e.name, AT_FDCWD, to, flag)
            .map_err(|err| msg("cannot create hard link", to, &errno(err)))
    } else if o.sym_link {
        symlinkat(e.path, AT_FDCWD, to)
            .map_err(|err| msg("cannot create symbolic link", to, &errno(err)))
    } else {
        match kind {
            libc::S_IFLNK => copy_symlink(e.parent, e.name, to),
            libc::S_IFREG => copy_file(e.parent, e.name, e.path, to, st, o, existing.is_some()),
            _ if o.recursive => copy_special(to, st),
            _ => copy_file(e.parent, e.name, e.path, to, st, o, existing.is_some()),
        }
    };
    match result {
        Ok(()) => {
            verbose(ctx, o, e.path, to);
            if !o.hard_link && !o.sym_link {
                if o.mode && kind != libc::S_IFLNK {
                    let _ = nix::sys::stat::fchmodat(
                        AT_FDCWD,
                        to,
                        Mode::from_bits_truncate(st.st_mode & 0o7777),
                        nix::sys::stat::FchmodatFlags::FollowSymlink,
                    );
                }
                finish_attrs(ctx, to, st, o, kind == libc::S_IFLNK);
            }
        }
        Err(m) => ctx.warn_msg(&m),
    }
}

fn verbose(ctx: &mut Ctx<'_>, o: &CopyOpts, from: &[u8], to: &[u8]) {
    if o.verbose {
        let line = fill("{} -> {}\n", &[from, to]);
        let _ = ctx.stdout.write_all(&line);
    }
}

fn copy_symlink(parent: BorrowedFd<'_>, name: &[u8], to: &[u8]) -> Result<(), Vec<u8>> {
    let target =
        readlinkat(parent, name).map_err(|e| msg("cannot read symbolic link", name, &errno(e)))?;
    symlinkat(target.as_os_str(), AT_FDCWD, to)
        .map_err(|e| msg("cannot create symbolic link", to, &errno(e)))
}

fn copy_special(to: &[u8], st: &FileStat) -> Result<(), Vec<u8>> {
    let kind = SFlag::from_bits_truncate(st.st_mode & libc::S_IFMT);
    mknodat(
        AT_FDCWD,
        to,
        kind,
        Mode::from_bits_truncate(st.st_mode & 0o777),
        st.st_rdev,
    )
    .map_err(|e| msg("cannot create special file", to, &errno(e)))
}

/// Copies a regular file's data: into the existing file (truncated, as GNU cp does; with
/// -f removed and recreated if it cannot be opened), or a new one.
fn copy_file(
    parent: BorrowedFd<'_>,
    name: &[u8],
    shown: &[u8],
    to: &[u8],
    st: &FileStat,
    o: &CopyOpts,
    exists: bool,
) -> Result<(), Vec<u8>> {
    let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    let fd = openat(parent, name, flags, Mode::empty()).map_err(|e| {
        let mut m = fill("cannot open {} for reading: ", &[shown]);
        m.extend_from_slice(crate::error::strerror(&errno(e)).as_bytes());
        m
    })?;
    let mut input = File::from(fd);
    let open_out = |create_new: bool| {
        let mut oo = std::fs::OpenOptions::new();
        oo.write(true).mode(st.st_mode & 0o777);
        if create_new {
            oo.create_new(true);
        } else {
            oo.truncate(true);
        }
        oo.open(path(to))
    };
    let out = if exists {
        match open_out(false) {
            Ok(f) => Ok(f),
            Err(_) if o.force => {
                let _ = std::fs::remove_file(path(to));
                open_out(true)
            }
            Err(e) => Err(e),
        }
    } else {
        open_out(true)
    };
    let mut out = out.map_err(|e| msg("cannot create regular file", to, &e))?;
    io::copy(&mut input, &mut out).map_err(|e| msg("error copying", shown, &e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn copies_files_and_into_directories() {
        let d = temp_dir("cp-files");
        let ds = d.to_str().unwrap();
        std::fs::write(d.join("a"), "AAA").unwrap();
        std::fs::create_dir(d.join("dir")).unwrap();
        let a = format!("{ds}/a");
        let r = run("cp", &["-v", &a, &format!("{ds}/b")], b"");
        assert_eq!((r.status, r.out()), (0, format!("'{a}' -> '{ds}/b'\n")));
        assert_eq!(std::fs::read(d.join("b")).unwrap(), b"AAA");
        run("cp", &[&a, &format!("{ds}/b"), &format!("{ds}/dir")], b"");
        assert_eq!(std::fs::read(d.join("dir/a")).unwrap(), b"AAA");
        assert!(d.join("dir/b").is_file());
        // Overwrites in place, keeping the inode.
        std::fs::write(d.join("c"), "old old").unwrap();
        let ino = std::fs::metadata(d.join("c")).unwrap().ino();
        run("cp", &[&a, &format!("{ds}/c")], b"");
        assert_eq!(std::fs::read(d.join("c")).unwrap(), b"AAA");
        assert_eq!(std::fs::metadata(d.join("c")).unwrap().ino(), ino);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn errors_read_like_gnu() {
        let d = temp_dir("cp-errors");
        let ds = d.to_str().unwrap();
        std::fs::write(d.join("a"), "A").unwrap();
        std::fs::create_dir(d.join("dir")).unwrap();
        let (a, dir) = (format!("{ds}/a"), format!("{ds}/dir"));
        let r = run("cp", &[&a, &a], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, format!("cp: '{a}' and '{a}' are the same file\n"))
        );
        let r = run("cp", &[&format!("{ds}/nope"), &dir], b"");
        assert_eq!(
            r.err(),
            format!("cp: cannot stat '{ds}/nope': No such file or directory\n")
        );
        let r = run("cp", &[&dir, &format!("{ds}/e")], b"");
        assert_eq!(
            r.err(),
            format!("cp: -r not specified; omitting directory '{dir}'\n")
        );
        let r = run("cp", &["-r", &dir, &format!("{dir}/sub")], b"");
        assert_eq!(
            r.err(),
            format!("cp: cannot copy a directory, '{dir}', into itself, '{dir}/sub'\n")
        );
        assert!(!d.join("dir/sub").exists());
        let r = run("cp", &[&a, &a, &format!("{ds}/nodir")], b"");
        assert_eq!(
            r.err(),
            format!("cp: target '{ds}/nodir': No such file or directory\n")
        );
        let r = run("cp", &[&a, &format!("{ds}/no/x")], b"");
        assert_eq!(
            r.err(),
            format!("cp: cannot create regular file '{ds}/no/x': No such file or directory\n")
        );
        let r = run("cp", &[&a], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with(&format!(
            "cp: missing destination file operand after '{a}'\n"
        )));
        let r = run("cp", &["-r", &dir, &a], b"");
        assert_eq!(
            r.err(),
            format!("cp: cannot overwrite non-directory '{a}' with directory '{dir}'\n")
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn recursive_with_links_and_preserve() {
        let d = temp_dir("cp-tree");
        let ds = d.to_str().unwrap();
        std::fs::create_dir_all(d.join("src/sub")).unwrap();
        std::fs::write(d.join("src/sub/f"), "F").unwrap();
        std::fs::set_permissions(d.join("src/sub/f"), std::fs::Permissions::from_mode(0o741))
            .unwrap();
        std::os::unix::fs::symlink("sub/f", d.join("src/ln")).unwrap();
        std::fs::hard_link(d.join("src/sub/f"), d.join("src/hard")).unwrap();
        run(
            "touch",
            &["-d", "@1000000", &format!("{ds}/src/sub/f")],
            b"",
        );
        let r = run(
            "cp",
            &["-a", &format!("{ds}/src"), &format!("{ds}/dst")],
            b"",
        );
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(std::fs::read(d.join("dst/sub/f")).unwrap(), b"F");
        assert_eq!(
            std::fs::read_link(d.join("dst/ln")).unwrap().to_str(),
            Some("sub/f")
        );
        let md = std::fs::metadata(d.join("dst/sub/f")).unwrap();
        assert_eq!((md.mode() & 0o7777, md.mtime()), (0o741, 1000000));
        assert_eq!(
            std::fs::metadata(d.join("dst/hard")).unwrap().ino(),
            md.ino()
        );
        // -L copies the link's target; plain -r keeps links as links.
        run(
            "cp",
            &["-rL", &format!("{ds}/src"), &format!("{ds}/deref")],
            b"",
        );
        assert!(!d.join("deref/ln").is_symlink() && d.join("deref/ln").is_file());
        // Into an existing directory: dst/src.
        run(
            "cp",
            &["-r", &format!("{ds}/src"), &format!("{ds}/dst")],
            b"",
        );
        assert!(d.join("dst/src/sub/f").is_file());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn clobber_choices() {
        let d = temp_dir("cp-clobber");
        let ds = d.to_str().unwrap();
        std::fs::write(d.join("a"), "new").unwrap();
        std::fs::write(d.join("b"), "old").unwrap();
        let (a, b) = (format!("{ds}/a"), format!("{ds}/b"));
        run("cp", &["-n", &a, &b], b"");
        assert_eq!(std::fs::read(&b).unwrap(), b"old");
        let r = run("cp", &["-i", &a, &b], b"n\n");
        assert_eq!(r.err(), format!("cp: overwrite '{b}'? "));
        assert_eq!(std::fs::read(&b).unwrap(), b"old");
        run("cp", &["-i", &a, &b], b"y\n");
        assert_eq!(std::fs::read(&b).unwrap(), b"new");
        std::fs::write(&b, "newer").unwrap();
        run("touch", &["-d", "@100", &a], b"");
        run("cp", &["-u", &a, &b], b"");
        assert_eq!(std::fs::read(&b).unwrap(), b"newer");
        run("cp", &["-l", &a, &format!("{ds}/hl")], b"");
        assert_eq!(
            std::fs::metadata(d.join("hl")).unwrap().ino(),
            std::fs::metadata(&a).unwrap().ino()
        );
        run("cp", &["-s", &a, &format!("{ds}/sl")], b"");
        assert_eq!(
            std::fs::read_link(d.join("sl")).unwrap().to_str(),
            Some(a.as_str())
        );
        let t = format!("{ds}/tdir");
        std::fs::create_dir(&t).unwrap();
        run("cp", &["-t", &t, &a, &b], b"");
        assert!(d.join("tdir/a").is_file() && d.join("tdir/b").is_file());
        let r = run("cp", &["-T", &a, &t], b"");
        assert_eq!(
            r.err(),
            format!("cp: cannot overwrite directory '{t}' with non-directory\n")
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
