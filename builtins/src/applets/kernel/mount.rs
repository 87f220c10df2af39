//! `mount`: list the mounts, or attach a filesystem, a bind, a move or a propagation
//! change; `-a` mounts what /etc/fstab lists. Messages and statuses are BusyBox's
//! (one line, `mounting SRC on DIR failed: REASON`, status 255).

use std::io;
use std::os::unix::ffi::OsStrExt;

use super::losetup;
use super::mounts::{
    self, FSTAB, MountEntry, MountOptions, PROC_MOUNTS, PROPAGATION, type_matches,
};
use crate::prelude::*;

/// The `mount` applet.
pub const APPLET: Applet = Applet::new("mount", main, Run::Fork)
    .usage("[-afnrvw] [-t TYPE] [-o OPT,...] [-T FSTAB] [SOURCE] [DIR]")
    .help(
        "Mount a filesystem; without operands, list the mounts (of TYPE with -t).\n\n\
         -a\tMount everything in FSTAB but noauto entries and what is mounted already\n\
         -t TYPE\tFilesystem type (a comma list, or noTYPE,... to exclude, with -a or a listing)\n\
         -o OPT\tComma-separated options: ro rw nosuid nodev noexec sync remount bind rbind\n\
         \tmove relatime noatime strictatime [r]shared [r]slave [r]private [r]unbindable\n\
         \tloop[=DEV] offset=N, and filesystem data (size=1m,mode=755)\n\
         -r / -w\tRead-only / read-write\n\
         -f\tDo everything but the mount itself\n\
         -n\tDon't write /etc/mtab (there is none)\n\
         -v\tSay what was mounted\n\
         -T FSTAB\tRead FSTAB instead of /etc/fstab\n\
         --bind, --rbind, --move\tAs -o bind, rbind, move\n\
         --make-[r]shared, --make-[r]slave, --make-[r]private, --make-[r]unbindable DIR",
    );

const LONGS: &[&str] = &[
    "all",
    "types",
    "options",
    "read-only",
    "rw",
    "fake",
    "no-mtab",
    "verbose",
    "fstab",
    "bind",
    "rbind",
    "move",
    "make-shared",
    "make-rshared",
    "make-slave",
    "make-rslave",
    "make-private",
    "make-rprivate",
    "make-unbindable",
    "make-runbindable",
];

/// What the command line asked for.
#[derive(Default)]
struct Request {
    all: bool,
    types: Option<Vec<u8>>,
    options: Vec<u8>,
    fake: bool,
    verbose: bool,
    fstab: Option<Vec<u8>>,
    operands: Vec<Vec<u8>>,
}

fn push_option(list: &mut Vec<u8>, word: &[u8]) {
    if !list.is_empty() {
        list.push(b',');
    }
    list.extend_from_slice(word);
}

fn parse_args(ctx: &Ctx<'_>) -> Result<Request, Error> {
    let mut r = Request::default();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => r.all = true,
            Arg::Short('t') | Arg::Long("types") => r.types = Some(opts.value()?),
            Arg::Short('o') | Arg::Long("options") => push_option(&mut r.options, &opts.value()?),
            Arg::Short('r') | Arg::Long("read-only") => push_option(&mut r.options, b"ro"),
            Arg::Short('w') | Arg::Long("rw") => push_option(&mut r.options, b"rw"),
            Arg::Short('f') | Arg::Long("fake") => r.fake = true,
            // No mtab, no helpers, labels not listed, sloppy options: nothing to do.
            Arg::Short('n' | 'i' | 'l' | 's') | Arg::Long("no-mtab") => {}
            Arg::Short('v') | Arg::Long("verbose") => r.verbose = true,
            Arg::Short('T') | Arg::Long("fstab") => r.fstab = Some(opts.value()?),
            Arg::Short('B') | Arg::Long("bind") => push_option(&mut r.options, b"bind"),
            Arg::Short('R') | Arg::Long("rbind") => push_option(&mut r.options, b"rbind"),
            Arg::Short('M') | Arg::Long("move") => push_option(&mut r.options, b"move"),
            Arg::Long(make) if make.starts_with("make-") => {
                push_option(&mut r.options, &make.as_bytes()["make-".len()..]);
            }
            Arg::Value(v) => r.operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    Ok(r)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let req = parse_args(ctx)?;
    if req.all {
        return mount_all(ctx, &req);
    }
    let opts = MountOptions::parse(&req.options);
    let types = req.types.clone().filter(|t| t != b"auto");
    match req.operands.as_slice() {
        [] if req.options.is_empty() => list(ctx, req.types.as_deref()),
        [] => Err(Error::usage("missing operand")),
        [one] => {
            // Changes to an existing mount need no fstab entry.
            let remount = opts.flags & libc::MS_REMOUNT != 0;
            let propagation_only =
                opts.flags & PROPAGATION != 0 && opts.flags & (libc::MS_BIND | libc::MS_MOVE) == 0;
            if remount || propagation_only {
                return mount_one(ctx, &req, None, one, types.as_deref(), &opts);
            }
            let entry = find_in_fstab(&req, one)?;
            let mut opts = MountOptions::parse(&entry.options);
            opts.apply(&req.options);
            let fstype = types.or_else(|| Some(entry.fstype.clone()).filter(|t| t != b"auto"));
            mount_one(
                ctx,
                &req,
                Some(&entry.source),
                &entry.target,
                fstype.as_deref(),
                &opts,
            )
        }
        [source, dir] => mount_one(ctx, &req, Some(source), dir, types.as_deref(), &opts),
        _ => Err(Error::usage("too many arguments")),
    }
}

/// `SRC on DIR type TYPE (OPTS)` for each mount (of the `-t` types).
fn list(ctx: &mut Ctx<'_>, types: Option<&[u8]>) -> Result<(), Error> {
    let table = mounts::read_table(PROC_MOUNTS)
        .map_err(|e| Error::io(format!("can't read '{PROC_MOUNTS}'").as_bytes(), &e))?;
    let mut out = Vec::new();
    for m in table
        .iter()
        .filter(|m| types.is_none_or(|t| type_matches(t, &m.fstype)))
    {
        for part in [
            &m.source[..],
            b" on ",
            &m.target,
            b" type ",
            &m.fstype,
            b" (",
            &m.options,
            b")\n",
        ] {
            out.extend_from_slice(part);
        }
    }
    ctx.stdout.write_all(&out)?;
    Ok(())
}

fn fstab_path(req: &Request) -> Vec<u8> {
    req.fstab
        .clone()
        .unwrap_or_else(|| FSTAB.as_bytes().to_vec())
}

fn read_fstab(req: &Request) -> Result<Vec<MountEntry>, Error> {
    let path = fstab_path(req);
    std::fs::read(std::ffi::OsStr::from_bytes(&path))
        .map(|t| mounts::parse_table(&t))
        .map_err(|e| {
            Error::io(
                format!("can't read '{}'", String::from_utf8_lossy(&path)).as_bytes(),
                &e,
            )
        })
}

/// The fstab entry for `mount DIR` or `mount SOURCE`: by mount point first.
fn find_in_fstab(req: &Request, name: &[u8]) -> Result<MountEntry, Error> {
    let not_found = || {
        Error::msg(format!(
            "can't find {} in {}",
            String::from_utf8_lossy(name),
            String::from_utf8_lossy(&fstab_path(req))
        ))
    };
    let table = read_fstab(req).map_err(|_| not_found())?;
    let canon = mounts::canonical(name);
    table
        .iter()
        .find(|e| e.target == name || e.target == canon)
        .or_else(|| table.iter().find(|e| e.source == name || e.source == canon))
        .cloned()
        .ok_or_else(not_found)
}

/// `mount -a`: every fstab entry but noauto, swap and what is mounted already.
fn mount_all(ctx: &mut Ctx<'_>, req: &Request) -> Result<(), Error> {
    let table = read_fstab(req)?;
    let mut failed = false;
    for entry in &table {
        let mut opts = MountOptions::parse(&entry.options);
        opts.apply(&req.options);
        if opts.noauto
            || entry.fstype == b"swap"
            || entry.target == b"none"
            || entry.target == b"swap"
            || req
                .types
                .as_deref()
                .is_some_and(|t| !type_matches(t, &entry.fstype))
            || is_mounted(entry)
        {
            continue;
        }
        let fstype = Some(&entry.fstype[..]).filter(|t| *t != b"auto");
        if let Err(e) = mount_one(ctx, req, Some(&entry.source), &entry.target, fstype, &opts) {
            ctx.warn_msg(&e.message);
            failed = true;
        }
    }
    if failed {
        Err(Error::silent(255))
    } else {
        Ok(())
    }
}

/// Whether the kernel's table has `entry`'s source on its mount point already.
fn is_mounted(entry: &MountEntry) -> bool {
    let Ok(table) = mounts::read_table(PROC_MOUNTS) else {
        return false;
    };
    let target = mounts::canonical(&entry.target);
    let source = mounts::canonical(&entry.source);
    table.iter().any(|m| {
        (m.target == entry.target || m.target == target)
            && (m.source == entry.source || m.source == source)
    })
}

/// The block filesystem types the kernel knows (`/proc/filesystems` without `nodev`),
/// tried in turn when no type is given.
fn block_types() -> Vec<Vec<u8>> {
    let text = std::fs::read("/proc/filesystems").unwrap_or_default();
    text.split(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"nodev"))
        .map(|l| l.trim_ascii().to_vec())
        .filter(|t| !t.is_empty())
        .collect()
}

fn failure(source: Option<&[u8]>, dir: &[u8], e: &io::Error) -> Error {
    let mut subject = b"mounting ".to_vec();
    subject.extend_from_slice(source.unwrap_or(b"none"));
    subject.extend_from_slice(b" on ");
    subject.extend_from_slice(dir);
    subject.extend_from_slice(b" failed");
    Error::io(&subject, e).with_status(255)
}

/// One mount: the main call, then a read-only remount of a bind and a propagation
/// change, which the kernel takes only in calls of their own.
fn mount_one(
    ctx: &mut Ctx<'_>,
    req: &Request,
    source: Option<&[u8]>,
    dir: &[u8],
    fstype: Option<&[u8]>,
    opts: &MountOptions,
) -> Result<(), Error> {
    let propagation = opts.flags & PROPAGATION;
    let flags = opts.flags & !PROPAGATION;
    let main_flags = flags & !libc::MS_REC;
    let rec = opts.flags & libc::MS_REC;
    let fail = |e: &io::Error| failure(source, dir, e);
    if req.fake {
        return Ok(());
    }
    if main_flags & libc::MS_REMOUNT != 0 {
        let mut flags = flags;
        if main_flags & libc::MS_BIND == 0 {
            let canon = mounts::canonical(dir);
            let table = mounts::read_table(PROC_MOUNTS).unwrap_or_default();
            if let Some(m) = table.iter().rev().find(|m| m.target == canon) {
                flags = opts.remount_flags(&m.options) & !PROPAGATION;
            }
        }
        mounts::mount(None, dir, None, flags, Some(&opts.data)).map_err(|e| fail(&e))?;
    } else if main_flags & libc::MS_MOVE != 0 {
        mounts::mount(source, dir, None, libc::MS_MOVE, None).map_err(|e| fail(&e))?;
    } else if main_flags & libc::MS_BIND != 0 {
        mounts::mount(source, dir, None, libc::MS_BIND | rec, None).map_err(|e| fail(&e))?;
        // A bind takes the other flags (ro, nosuid...) only through a remount.
        let extra = main_flags & !libc::MS_BIND;
        if extra != 0 {
            let remount = libc::MS_REMOUNT | libc::MS_BIND | extra;
            mounts::mount(None, dir, None, remount, None).map_err(|e| fail(&e))?;
        }
    } else if main_flags != 0 || propagation == 0 || source.is_some() {
        new_mount(source, dir, fstype, main_flags, opts)?;
    }
    if propagation != 0 {
        mounts::mount(None, dir, None, propagation | rec, None).map_err(|e| fail(&e))?;
    }
    if req.verbose {
        let mut line = b"mount: ".to_vec();
        line.extend_from_slice(source.unwrap_or(b"none"));
        line.extend_from_slice(b" mounted on ");
        line.extend_from_slice(dir);
        line.extend_from_slice(b".\n");
        ctx.stdout.write_all(&line)?;
    }
    Ok(())
}

/// A new filesystem: through a loop device for `-o loop` or a regular file, trying the
/// kernel's block types when none is given.
fn new_mount(
    source: Option<&[u8]>,
    dir: &[u8],
    fstype: Option<&[u8]>,
    flags: u64,
    opts: &MountOptions,
) -> Result<(), Error> {
    let is_file = source.is_some_and(|s| {
        std::fs::metadata(std::ffi::OsStr::from_bytes(s)).is_ok_and(|m| m.is_file())
    });
    let mut device = source.map(by_tag);
    let mut attached = None;
    if let Some(src) = source
        && (opts.r#loop.is_some() || (is_file && fstype.is_none_or(|t| !is_virtual(t))))
    {
        let mut lo_flags = losetup::LO_AUTOCLEAR;
        if flags & libc::MS_RDONLY != 0 {
            lo_flags |= losetup::LO_READ_ONLY;
        }
        let file = mounts::canonical(src);
        let what = losetup::Attach {
            file: &file,
            offset: opts.offset,
            flags: lo_flags,
        };
        let (dev, held) = match opts.r#loop.as_deref() {
            Some(dev) if !dev.is_empty() => losetup::attach(dev, &what).map(|f| (dev.to_vec(), f)),
            _ => losetup::attach_free(&what),
        }
        .map_err(|e| Error::io(b"can't setup loop device", &e).with_status(255))?;
        // Held open until the mount holds the device (autoclear frees it at last close).
        attached = Some(held);
        device = Some(dev);
    }
    // `-t ext4,ext2` tries each in turn, as no type tries every block type.
    let types = match fstype {
        Some(t) => t.split(|&b| b == b',').map(<[u8]>::to_vec).collect(),
        None => block_types(),
    };
    let several = types.len() > 1;
    let mut last = io::Error::from_raw_os_error(libc::EINVAL);
    let mut done = false;
    for t in types.iter() {
        match mounts::mount(device.as_deref(), dir, Some(t), flags, Some(&opts.data)) {
            Ok(()) => {
                done = true;
                break;
            }
            Err(e) => {
                let retry =
                    several && matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENODEV));
                last = e;
                if !retry {
                    break;
                }
            }
        }
    }
    // Closing the device frees it unless the mount took it.
    drop(attached);
    if done {
        return Ok(());
    }
    Err(failure(source, dir, &last))
}

/// `LABEL=`, `UUID=`, `PARTLABEL=` and `PARTUUID=` sources as the device udev links under
/// /dev/disk (the link itself when it is missing, for the kernel's error); others as given.
fn by_tag(source: &[u8]) -> Vec<u8> {
    const TAGS: &[(&[u8], &[u8])] = &[
        (b"LABEL=", b"/dev/disk/by-label/"),
        (b"UUID=", b"/dev/disk/by-uuid/"),
        (b"PARTLABEL=", b"/dev/disk/by-partlabel/"),
        (b"PARTUUID=", b"/dev/disk/by-partuuid/"),
    ];
    for (tag, dir) in TAGS {
        if let Some(value) = source.strip_prefix(*tag) {
            let value = value
                .strip_prefix(b"\"")
                .and_then(|v| v.strip_suffix(b"\""))
                .unwrap_or(value);
            return mounts::canonical(&[dir, value].concat());
        }
    }
    source.to_vec()
}

/// Filesystems without a backing device: their source is only a name.
fn is_virtual(fstype: &[u8]) -> bool {
    matches!(
        fstype,
        b"tmpfs"
            | b"ramfs"
            | b"proc"
            | b"sysfs"
            | b"devpts"
            | b"devtmpfs"
            | b"cgroup"
            | b"cgroup2"
            | b"mqueue"
            | b"debugfs"
            | b"securityfs"
            | b"overlay"
            | b"fuse"
    )
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn listing_matches_proc_mounts() {
        let r = run("mount", &[], b"");
        assert_eq!(r.status, 0, "{}", r.err());
        let table = super::mounts::read_table("/proc/mounts").unwrap();
        assert_eq!(r.out().lines().count(), table.len());
        assert!(r.out().contains(" on / type "));
        let r = run("mount", &["-t", "proc"], b"");
        assert!(r.out().lines().all(|l| l.contains(" type proc (")));
    }

    #[test]
    fn tagged_sources_name_udev_links() {
        assert_eq!(
            super::by_tag(b"UUID=no-such-uuid"),
            b"/dev/disk/by-uuid/no-such-uuid"
        );
        assert_eq!(super::by_tag(b"LABEL=\"x\""), b"/dev/disk/by-label/x");
        assert_eq!(super::by_tag(b"tmpfs"), b"tmpfs");
    }

    #[test]
    fn fstab_lookups_and_usage() {
        let d = temp_dir("mount-fstab");
        let fstab = d.join("fstab");
        std::fs::write(&fstab, "# none\n").unwrap();
        let f = fstab.to_str().unwrap();
        let r = run("mount", &["-T", f, "/nowhere"], b"");
        assert_eq!(
            (r.err(), r.status),
            (format!("mount: can't find /nowhere in {f}\n"), 1)
        );
        let r = run("mount", &["-T", "/no/such/fstab", "-a"], b"");
        assert_eq!(
            r.err(),
            "mount: can't read '/no/such/fstab': No such file or directory\n"
        );
        let r = run("mount", &["a", "b", "c"], b"");
        assert!(
            r.err()
                .starts_with("mount: too many arguments\nUsage: mount ")
        );
        let r = run("mount", &["-f", "-t", "tmpfs", "x", "/nowhere"], b"");
        assert_eq!(r.status, 0);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
