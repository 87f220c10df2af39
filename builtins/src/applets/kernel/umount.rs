//! `umount`: detach filesystems named by mount point or by source; `-a` detaches every
//! mount but `/` and the kernel's proc, newest first. BusyBox's messages
//! (`can't unmount DIR: REASON`, status 1).

use super::losetup;
use super::mounts::{self, MountEntry, PROC_MOUNTS, type_matches};
use crate::prelude::*;

/// The `umount` applet.
pub const APPLET: Applet = Applet::new("umount", main, Run::Fork)
    .usage("[-adflnrv] [-t TYPE] DIR|SOURCE...")
    .help(
        "Unmount filesystems, named by mount point or by source.\n\n\
         -a\tUnmount everything in /proc/mounts but / and /proc, newest first\n\
         -t TYPE\tWith -a, only these types (a comma list, or noTYPE,...)\n\
         -l\tLazy: detach now, clean up once no longer busy\n\
         -f\tForce (unreachable network filesystems)\n\
         -r\tRemount read-only when busy\n\
         -d\tFree the loop device afterwards\n\
         -n\tDon't write /etc/mtab (there is none)\n\
         -v\tSay what was unmounted",
    );

const LONGS: &[&str] = &[
    "all",
    "types",
    "lazy",
    "force",
    "read-only",
    "detach-loop",
    "no-mtab",
    "verbose",
];

/// The switches that shape each unmount.
#[derive(Default)]
struct Mode {
    flags: i32,
    remount_ro: bool,
    free_loop: bool,
    verbose: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut mode = Mode::default();
    let (mut all, mut types) = (false, None);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => all = true,
            Arg::Short('t') | Arg::Long("types") => types = Some(opts.value()?),
            Arg::Short('l') | Arg::Long("lazy") => mode.flags |= libc::MNT_DETACH,
            Arg::Short('f') | Arg::Long("force") => mode.flags |= libc::MNT_FORCE,
            Arg::Short('r') | Arg::Long("read-only") => mode.remount_ro = true,
            Arg::Short('d') | Arg::Long("detach-loop") => mode.free_loop = true,
            Arg::Short('n') | Arg::Long("no-mtab") => {}
            Arg::Short('v') | Arg::Long("verbose") => mode.verbose = true,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let table = mounts::read_table(PROC_MOUNTS).unwrap_or_default();
    if all {
        for m in table.iter().rev() {
            let kernel_proc = m.target == b"/proc" && m.fstype == b"proc";
            if m.target == b"/"
                || kernel_proc
                || types
                    .as_deref()
                    .is_some_and(|t| !type_matches(t, &m.fstype))
            {
                continue;
            }
            unmount(ctx, &mode, &m.target, Some(m));
        }
        return Ok(());
    }
    if ops.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    for op in &ops {
        let entry = find(&table, op);
        let target = entry.map_or(op.clone(), |m| m.target.clone());
        unmount_named(ctx, &mode, op, &target, entry);
    }
    Ok(())
}

/// The newest mount whose mount point, else whose source, is `name`.
fn find<'t>(table: &'t [MountEntry], name: &[u8]) -> Option<&'t MountEntry> {
    let canon = mounts::canonical(name);
    let by = |f: fn(&MountEntry) -> &[u8]| {
        table
            .iter()
            .rev()
            .find(|m| f(m) == name || f(m) == canon.as_slice())
    };
    by(|m| &m.target).or_else(|| by(|m| &m.source))
}

fn unmount(ctx: &mut Ctx<'_>, mode: &Mode, target: &[u8], entry: Option<&MountEntry>) {
    unmount_named(ctx, mode, target, target, entry);
}

/// Unmounts `target` (what the user called `name`), remounting it read-only with `-r`
/// when it is busy, and frees its loop device with `-d`.
fn unmount_named(
    ctx: &mut Ctx<'_>,
    mode: &Mode,
    name: &[u8],
    target: &[u8],
    entry: Option<&MountEntry>,
) {
    match mounts::umount(target, mode.flags) {
        Ok(()) => {
            if mode.free_loop
                && let Some(src) = entry.map(|m| &m.source)
                && src.starts_with(b"/dev/loop")
            {
                let _ = losetup::detach(src);
            }
            if mode.verbose {
                let mut line = b"umount: ".to_vec();
                line.extend_from_slice(name);
                line.extend_from_slice(b" unmounted\n");
                let _ = ctx.stdout.write_all(&line);
            }
        }
        Err(e) if mode.remount_ro && e.raw_os_error() == Some(libc::EBUSY) => {
            let source = entry.map_or(name, |m| &m.source[..]).to_vec();
            let flags = libc::MS_REMOUNT | libc::MS_RDONLY;
            let mut msg = source;
            if mounts::mount(None, target, None, flags, None).is_ok() {
                msg.extend_from_slice(b" busy - remounted read-only");
                ctx.note(&msg);
            } else {
                let mut m = b"can't remount ".to_vec();
                m.extend_from_slice(&msg);
                m.extend_from_slice(b" read-only");
                ctx.warn_msg(&m);
            }
        }
        Err(e) => {
            let mut subject = b"can't unmount ".to_vec();
            subject.extend_from_slice(name);
            ctx.warn(&subject, &e);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn errors() {
        let r = run("umount", &[], b"");
        assert!(
            r.err()
                .starts_with("umount: missing operand\nUsage: umount ")
        );
        let r = run("umount", &["/no/such/dir"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "umount: can't unmount /no/such/dir: No such file or directory\n".to_string(),
                1
            )
        );
    }
}
