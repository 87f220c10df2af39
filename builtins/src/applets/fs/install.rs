//! `install`: copy files into place atomically and set their mode and owner; make
//! directories.

use std::fs::File;
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

use nix::sys::stat::{FileStat, Mode, fchmod, stat};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchown};

use super::cp::destinations;
use super::util::{errno, fill, join, msg, parse_mode, path, quote};
use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `install` applet.
pub const APPLET: Applet = Applet::new("install", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-cCDdpsv] [-m MODE] [-o OWNER] [-g GROUP] [-t DIR] [-T] SOURCE... DEST | -d DIR...")
    .help(
        "Copy each SOURCE to DEST (or into the directory DEST) through a temporary file\n\
         renamed into place, then set its mode (default 0755) and owner; with -d, make\n\
         each DIR and its missing parents.\n\n\
         -c\tIgnored (always copy)\n\
         -C\tLeave a DEST that already has the same contents, mode and owner alone\n\
         -d\tMake directories\n\
         -D\tMake the missing parents of DEST (or of -t DIR) first\n\
         -m MODE\tSet this mode (octal or symbolic) instead of 0755\n\
         -o OWNER\tSet the owner (root only)\n\
         -g GROUP\tSet the group\n\
         -p\tKeep the access and modification times of SOURCE\n\
         -s\tAccepted and ignored (rbox has no strip)\n\
         -t DIR\tCopy into DIR\n\
         -T\tTreat DEST as a file, never as a directory\n\
         -v\tSay what is being done",
    );

const LONGS: &[&str] = &[
    "compare",
    "directory",
    "mode",
    "owner",
    "group",
    "preserve-timestamps",
    "strip",
    "target-directory",
    "no-target-directory",
    "verbose",
];

struct Opts {
    compare: bool,
    mkdirs: bool,
    leading: bool,
    mode: u32,
    dir_mode: u32,
    uid: Option<u32>,
    gid: Option<u32>,
    times: bool,
    verbose: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut o = Opts {
        compare: false,
        mkdirs: false,
        leading: false,
        mode: 0o755,
        dir_mode: 0o755,
        uid: None,
        gid: None,
        times: false,
        verbose: false,
    };
    let (mut target, mut no_target) = (None, false);
    let (mut owner, mut group) = (None, None);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') => {}
            Arg::Short('s') | Arg::Long("strip") => {}
            Arg::Short('C') | Arg::Long("compare") => o.compare = true,
            Arg::Short('d') | Arg::Long("directory") => o.mkdirs = true,
            Arg::Short('D') => o.leading = true,
            Arg::Short('m') | Arg::Long("mode") => {
                let spec = opts.value()?;
                let m = parse_mode(&spec)?;
                o.mode = m.octal().unwrap_or_else(|| m.apply(0, false, 0));
                o.dir_mode = m.octal().unwrap_or_else(|| m.apply(0, true, 0));
            }
            Arg::Short('o') | Arg::Long("owner") => owner = Some(opts.value()?),
            Arg::Short('g') | Arg::Long("group") => group = Some(opts.value()?),
            Arg::Short('p') | Arg::Long("preserve-timestamps") => o.times = true,
            Arg::Short('t') | Arg::Long("target-directory") => target = Some(opts.value()?),
            Arg::Short('T') | Arg::Long("no-target-directory") => no_target = true,
            Arg::Short('v') | Arg::Long("verbose") => o.verbose = true,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if owner.is_some() || group.is_some() {
        let acc = Accounts::load();
        if let Some(u) = owner {
            o.uid = Some(
                acc.resolve_uid(&u)
                    .ok_or_else(|| Error::msg(fill("invalid user {}", &[&u])))?,
            );
        }
        if let Some(g) = group {
            o.gid = Some(
                acc.resolve_gid(&g)
                    .ok_or_else(|| Error::msg(fill("invalid group {}", &[&g])))?,
            );
        }
    }
    if o.mkdirs {
        if ops.is_empty() {
            return Err(Error::usage("missing file operand"));
        }
        for d in &ops {
            make_dirs(ctx, d, &o, true);
        }
        return Ok(());
    }
    if o.leading {
        let dir = match &target {
            Some(t) => Some(t.clone()),
            None if ops.len() >= 2 => ops.last().map(|l| crate::common::path::dirname(l).to_vec()),
            None => None,
        };
        if let Some(dir) = dir
            && !make_dirs(ctx, &dir, &o, false)
        {
            return Ok(());
        }
    }
    let pairs = destinations(ops, target, no_target)?;
    for (src, dest) in &pairs {
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        if let Err(m) = install_file(src, dest, &o) {
            ctx.warn_msg(&m);
        } else if o.verbose {
            let line = fill("{} -> {}\n", &[src, dest]);
            ctx.stdout.write_all(&line)?;
        }
    }
    Ok(())
}

/// `mkdir -p` for `dir`; the mode and owner go on the last component when `last`
/// (install -d), on none otherwise (-D parents get 0755). Returns success.
fn make_dirs(ctx: &mut Ctx<'_>, dir: &[u8], o: &Opts, last: bool) -> bool {
    let mut prefix = Vec::new();
    if dir.starts_with(b"/") {
        prefix.push(b'/');
    }
    let parts: Vec<&[u8]> = dir
        .split(|&b| b == b'/')
        .filter(|p| !p.is_empty())
        .collect();
    for part in &parts {
        if !prefix.is_empty() && !prefix.ends_with(b"/") {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(part);
        match std::fs::create_dir(path(&prefix)) {
            Ok(()) => {
                let _ =
                    std::fs::set_permissions(path(&prefix), std::fs::Permissions::from_mode(0o755));
                if o.verbose {
                    let mut line = ctx.name().as_bytes().to_vec();
                    line.extend_from_slice(b": creating directory ");
                    line.extend_from_slice(&quote(&prefix));
                    line.push(b'\n');
                    let _ = ctx.stdout.write_all(&line);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path(&prefix).is_dir() => {}
            Err(e) => {
                ctx.warn_msg(&msg("cannot create directory", &prefix, &e));
                return false;
            }
        }
    }
    if last {
        let r = std::fs::set_permissions(path(dir), std::fs::Permissions::from_mode(o.dir_mode))
            .and_then(|()| {
                if o.uid.is_some() || o.gid.is_some() {
                    nix::unistd::chown(dir, o.uid.map(Uid::from_raw), o.gid.map(Gid::from_raw))
                        .map_err(errno)
                } else {
                    Ok(())
                }
            });
        if let Err(e) = r {
            ctx.warn_msg(&msg("cannot change permissions of", dir, &e));
            return false;
        }
    }
    true
}

/// Whether `dest` already holds what installing `src` would give it.
fn same(src: &[u8], sst: &FileStat, dest: &[u8], o: &Opts) -> bool {
    let Ok(dst) = stat(dest) else {
        return false;
    };
    if dst.st_mode & libc::S_IFMT != libc::S_IFREG
        || dst.st_mode & 0o7777 != o.mode
        || dst.st_size != sst.st_size
        || o.uid.is_some_and(|u| u != dst.st_uid)
        || o.gid.is_some_and(|g| g != dst.st_gid)
    {
        return false;
    }
    match (std::fs::read(path(src)), std::fs::read(path(dest))) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Copies `src` to a temporary file beside `dest`, sets mode, owner and times on it,
/// and renames it over `dest`; on any failure the temporary file is removed.
fn install_file(src: &[u8], dest: &[u8], o: &Opts) -> Result<(), Vec<u8>> {
    let sst = stat(src).map_err(|e| msg("cannot stat", src, &errno(e)))?;
    if sst.st_mode & libc::S_IFMT == libc::S_IFDIR {
        return Err(fill("omitting directory {}", &[src]));
    }
    if let Ok(d) = stat(dest)
        && d.st_dev == sst.st_dev
        && d.st_ino == sst.st_ino
    {
        return Err(fill("{} and {} are the same file", &[src, dest]));
    }
    if o.compare && same(src, &sst, dest, o) {
        return Ok(());
    }
    let mut input = File::open(path(src)).map_err(|e| {
        let mut m = fill("cannot open {} for reading: ", &[src]);
        m.extend_from_slice(crate::error::strerror(&e).as_bytes());
        m
    })?;
    let dir = crate::common::path::dirname(dest);
    let base = crate::common::path::basename(dest);
    let mut tmp = Vec::new();
    let mut out = None;
    let mut last = io::Error::from_raw_os_error(libc::EEXIST);
    for k in 0..100u32 {
        let mut name = b".".to_vec();
        name.extend_from_slice(base);
        name.extend_from_slice(format!(".rbox-install.{}.{k}", std::process::id()).as_bytes());
        tmp = join(dir, &name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path(&tmp))
        {
            Ok(f) => {
                out = Some(f);
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => {
                last = e;
                break;
            }
        }
    }
    let Some(mut out) = out else {
        return Err(msg("cannot create regular file", dest, &last));
    };
    let fail = |tmp: &[u8], m: Vec<u8>| {
        let _ = std::fs::remove_file(path(tmp));
        Err(m)
    };
    if let Err(e) = io::copy(&mut input, &mut out) {
        return fail(&tmp, msg("error copying", src, &e));
    }
    if (o.uid.is_some() || o.gid.is_some())
        && let Err(e) = fchown(&out, o.uid.map(Uid::from_raw), o.gid.map(Gid::from_raw))
    {
        return fail(&tmp, msg("cannot change ownership of", dest, &errno(e)));
    }
    if let Err(e) = fchmod(&out, Mode::from_bits_truncate(o.mode)) {
        return fail(&tmp, msg("cannot change permissions of", dest, &errno(e)));
    }
    if o.times {
        let a = TimeSpec::new(sst.st_atime, sst.st_atime_nsec);
        let m = TimeSpec::new(sst.st_mtime, sst.st_mtime_nsec);
        if let Err(e) = nix::sys::stat::futimens(&out, &a, &m) {
            return fail(&tmp, msg("cannot set timestamps for", dest, &errno(e)));
        }
    }
    drop(out);
    if let Err(e) = std::fs::rename(path(&tmp), path(dest)) {
        return fail(&tmp, msg("cannot create regular file", dest, &e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn installs_files_with_modes_atomically() {
        let d = temp_dir("install-files");
        let ds = d.to_str().unwrap();
        std::fs::write(d.join("src"), "data").unwrap();
        std::fs::write(d.join("old"), "old").unwrap();
        let ino = std::fs::metadata(d.join("old")).unwrap().ino();
        let r = run(
            "install",
            &[&format!("{ds}/src"), &format!("{ds}/old")],
            b"",
        );
        assert_eq!((r.status, r.err()), (0, String::new()));
        let md = std::fs::metadata(d.join("old")).unwrap();
        assert_eq!(std::fs::read(d.join("old")).unwrap(), b"data");
        assert_eq!(md.permissions().mode() & 0o7777, 0o755);
        assert_ne!(md.ino(), ino, "replaced by rename, not rewritten");
        let r = run(
            "install",
            &[
                "-m",
                "640",
                "-D",
                &format!("{ds}/src"),
                &format!("{ds}/a/b/c"),
            ],
            b"",
        );
        assert_eq!(r.status, 0, "{}", r.err());
        let md = std::fs::metadata(d.join("a/b/c")).unwrap();
        assert_eq!(md.permissions().mode() & 0o7777, 0o640);
        let r = run("install", &["-d", "-m", "u=rwx", &format!("{ds}/x/y")], b"");
        assert_eq!(r.status, 0);
        let md = std::fs::metadata(d.join("x/y")).unwrap();
        assert_eq!(md.permissions().mode() & 0o7777, 0o700);
        assert_eq!(
            std::fs::metadata(d.join("x")).unwrap().permissions().mode() & 0o777,
            0o755
        );
        let r = run(
            "install",
            &["-v", "-t", &format!("{ds}/x"), &format!("{ds}/src")],
            b"",
        );
        assert_eq!(r.out(), format!("'{ds}/src' -> '{ds}/x/src'\n"));
        // No temporary files left behind.
        let names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.to_string_lossy().contains("rbox-install"))
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn errors() {
        let d = temp_dir("install-errors");
        let ds = d.to_str().unwrap();
        let r = run("install", &[&format!("{ds}/nope"), &format!("{ds}/x")], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                format!("install: cannot stat '{ds}/nope': No such file or directory\n")
            )
        );
        std::fs::write(d.join("f"), "").unwrap();
        let r = run(
            "install",
            &[&format!("{ds}/f"), &format!("{ds}/no/dir/x")],
            b"",
        );
        assert_eq!(
            r.err(),
            format!(
                "install: cannot create regular file '{ds}/no/dir/x': No such file or directory\n"
            )
        );
        let r = run("install", &["-m", "zz", "a", "b"], b"");
        assert_eq!(r.err(), "install: invalid mode: 'zz'\n");
        let r = run("install", &["-o", "no-such-user-rbox", "a", "b"], b"");
        assert_eq!(r.err(), "install: invalid user 'no-such-user-rbox'\n");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
