//! `rm`: remove files and directory trees.

use std::io;

use nix::fcntl::AT_FDCWD;
use nix::sys::stat::{FileStat, fstatat};
use nix::unistd::{AccessFlags, UnlinkatFlags, unlinkat};

use super::util::{ask, describe, errno, fill, msg, path};
use crate::common::fdio;
use crate::common::walk::{self, Action, Entry, Kind, Options};
use crate::prelude::*;

/// The `rm` applet.
pub const APPLET: Applet = Applet::new("rm", main, Run::Fork)
    .usage("[-fiRrdv] FILE...")
    .help(
        "Remove (unlink) the FILE(s).\n\n\
         -f\tIgnore nonexistent files and arguments, never prompt\n\
         -i\tPrompt before every removal\n\
         -r, -R\tRemove directories and their contents recursively\n\
         -d\tRemove empty directories\n\
         -v\tExplain what is being done\n\
         --one-file-system\tWith -r, skip directories on other file systems\n\
         --no-preserve-root\tDo not treat '/' specially\n\
         --preserve-root\tDo not remove '/' (the default)",
    );

const LONGS: &[&str] = &[
    "force",
    "interactive",
    "recursive",
    "dir",
    "verbose",
    "one-file-system",
    "no-preserve-root",
    "preserve-root",
];

#[derive(Clone, Copy, Default)]
struct Flags {
    force: bool,
    interactive: bool,
    recursive: bool,
    dir: bool,
    verbose: bool,
    one_fs: bool,
    no_preserve_root: bool,
    /// Standard input is a terminal: ask before removing write-protected files.
    tty: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut f = Flags::default();
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('f') | Arg::Long("force") => (f.force, f.interactive) = (true, false),
            Arg::Short('i') | Arg::Long("interactive") => (f.force, f.interactive) = (false, true),
            Arg::Short('r' | 'R') | Arg::Long("recursive") => f.recursive = true,
            Arg::Short('d') | Arg::Long("dir") => f.dir = true,
            Arg::Short('v') | Arg::Long("verbose") => f.verbose = true,
            Arg::Long("one-file-system") => f.one_fs = true,
            Arg::Long("no-preserve-root") => f.no_preserve_root = true,
            Arg::Long("preserve-root") => f.no_preserve_root = false,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        if f.force {
            return Ok(());
        }
        return Err(Error::usage("missing operand"));
    }
    f.tty = ctx.stdin.raw_fd().is_some_and(fdio::isatty);
    let root = nix::sys::stat::stat("/").ok();
    for name in &files {
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        let base = crate::common::path::basename(name);
        if base == b"." || base == b".." {
            let mut m = b"refusing to remove '.' or '..' directory: skipping ".to_vec();
            m.extend_from_slice(&super::util::quote(name));
            ctx.warn_msg(&m);
            continue;
        }
        if f.recursive && !f.no_preserve_root {
            let st = fstatat(
                AT_FDCWD,
                name.as_slice(),
                nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
            );
            if let (Ok(st), Some(r)) = (st, &root)
                && st.st_dev == r.st_dev
                && st.st_ino == r.st_ino
            {
                let mut m = b"it is dangerous to operate recursively on ".to_vec();
                m.extend_from_slice(&super::util::quote(name));
                ctx.warn_msg(&m);
                ctx.note(b"use --no-preserve-root to override this failsafe");
                continue;
            }
        }
        remove_operand(ctx, name, f)?;
    }
    Ok(())
}

fn remove_operand(ctx: &mut Ctx<'_>, name: &[u8], f: Flags) -> Result<(), Error> {
    let opts = Options {
        one_fs: f.one_fs,
        // Without -r a directory is removed (-d) or refused, never entered.
        max_depth: if f.recursive { None } else { Some(0) },
        ..Options::default()
    };
    // One flag per open directory: whether something inside it was kept.
    let mut kept: Vec<bool> = Vec::new();
    let mut fatal: Option<Error> = None;
    walk::walk(name, &opts, &mut |e: &Entry<'_>| {
        if ctx.interrupted() {
            fatal = Some(Error::silent(130));
            return Action::Stop;
        }
        let ok = match e.kind {
            Kind::NoStat => {
                let missing = e.err.and_then(io::Error::raw_os_error) == Some(libc::ENOENT);
                if !(f.force && missing && e.depth == 0) {
                    report(ctx, e.path, e.err);
                    false
                } else {
                    true
                }
            }
            Kind::File => remove_one(ctx, e, f, false),
            Kind::Dir if !f.recursive => {
                if f.dir {
                    remove_one(ctx, e, f, true)
                } else {
                    let err = io::Error::from_raw_os_error(libc::EISDIR);
                    report(ctx, e.path, Some(&err));
                    false
                }
            }
            Kind::Dir => {
                if f.interactive && !is_empty(e.path) {
                    let q = fill("descend into directory {}?", &[e.path]);
                    if !ask(ctx, &q) {
                        mark(&mut kept);
                        return Action::Skip;
                    }
                }
                kept.push(false);
                return Action::Continue;
            }
            Kind::DirPost => {
                if !f.recursive {
                    return Action::Continue;
                }
                // A directory something was kept in would only fail with ENOTEMPTY.
                if kept.pop().unwrap_or(false) {
                    false
                } else {
                    remove_one(ctx, e, f, true)
                }
            }
            Kind::Unreadable => {
                report(ctx, e.path, e.err);
                // The post-visit's rmdir will still try (it works if it is empty).
                true
            }
            Kind::Cycle => {
                let mut m = b"WARNING: Circular directory structure.\nThis almost certainly means that you have a corrupted file system.\nNOTIFY YOUR SYSTEM MANAGER.\nThe following directory is part of the cycle:\n  ".to_vec();
                m.extend_from_slice(&super::util::quote(e.path));
                ctx.warn_msg(&m);
                false
            }
        };
        if !ok {
            mark(&mut kept);
        }
        Action::Continue
    });
    match fatal {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Something was kept: no ancestor can be removed.
fn mark(kept: &mut [bool]) {
    for k in kept.iter_mut() {
        *k = true;
    }
}

fn is_empty(dir: &[u8]) -> bool {
    std::fs::read_dir(path(dir)).is_ok_and(|mut d| d.next().is_none())
}

fn report(ctx: &mut Ctx<'_>, name: &[u8], err: Option<&io::Error>) {
    let fallback = io::Error::from_raw_os_error(libc::EIO);
    ctx.warn_msg(&msg("cannot remove", name, err.unwrap_or(&fallback)));
}

/// Removes one entry (a directory with rmdir), asking first when told to. True when the
/// entry is gone (or the user chose to keep it: that is not an error, but its parent
/// must stay).
fn remove_one(ctx: &mut Ctx<'_>, e: &Entry<'_>, f: Flags, is_dir: bool) -> bool {
    let st: Option<&FileStat> = e.stat;
    let protected = !f.force && f.tty && write_protected(e);
    if f.interactive || protected {
        let what = st.map_or("file", describe);
        let prot = if protected { "write-protected " } else { "" };
        let q = fill(&format!("remove {prot}{what} {{}}?"), &[e.path]);
        if !ask(ctx, &q) {
            return false;
        }
    }
    let flag = if is_dir {
        UnlinkatFlags::RemoveDir
    } else {
        UnlinkatFlags::NoRemoveDir
    };
    match unlinkat(e.parent, e.name, flag) {
        Ok(()) => {
            if f.verbose {
                let text = if is_dir {
                    "removed directory {}\n"
                } else {
                    "removed {}\n"
                };
                let line = fill(text, &[e.path]);
                if ctx.stdout.write_all(&line).is_err() {
                    return true;
                }
            }
            true
        }
        Err(nix::errno::Errno::ENOENT) if f.force => true,
        Err(err) => {
            report(ctx, e.path, Some(&errno(err)));
            false
        }
    }
}

/// Whether the entry is not writable by us (symlinks never are asked about).
fn write_protected(e: &Entry<'_>) -> bool {
    if e.is_symlink() {
        return false;
    }
    nix::unistd::faccessat(
        e.parent,
        e.name,
        AccessFlags::W_OK,
        nix::fcntl::AtFlags::empty(),
    )
    .is_err()
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    fn s(p: &std::path::Path) -> String {
        p.to_str().unwrap().to_string()
    }

    #[test]
    fn removes_files_and_reports_missing() {
        let d = temp_dir("rm-files");
        std::fs::write(d.join("a"), "").unwrap();
        let (a, nope) = (s(&d.join("a")), s(&d.join("nope")));
        let r = run("rm", &["-v", &nope, &a], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            format!("rm: cannot remove '{nope}': No such file or directory\n")
        );
        assert_eq!(r.out(), format!("removed '{a}'\n"));
        assert!(!d.join("a").exists());
        let r = run("rm", &["-f", &nope], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        assert_eq!(run("rm", &["-f"], b"").status, 0);
        let r = run("rm", &[], b"");
        assert_eq!(
            r.err(),
            "rm: missing operand\nUsage: rm [-fiRrdv] FILE...\n"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn directories_need_r_or_d() {
        let d = temp_dir("rm-dirs");
        std::fs::create_dir_all(d.join("e")).unwrap();
        std::fs::create_dir_all(d.join("t/u")).unwrap();
        std::fs::write(d.join("t/u/f"), "").unwrap();
        let (e, t) = (s(&d.join("e")), s(&d.join("t")));
        let r = run("rm", &[&e], b"");
        assert_eq!(
            r.err(),
            format!("rm: cannot remove '{e}': Is a directory\n")
        );
        let r = run("rm", &["-d", &t], b"");
        assert_eq!(
            r.err(),
            format!("rm: cannot remove '{t}': Directory not empty\n")
        );
        let r = run("rm", &["-dv", &e], b"");
        assert_eq!(r.out(), format!("removed directory '{e}'\n"));
        let r = run("rm", &["-rv", &t], b"");
        assert_eq!(
            r.out(),
            format!("removed '{t}/u/f'\nremoved directory '{t}/u'\nremoved directory '{t}'\n")
        );
        assert!(!d.join("t").exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn never_follows_symlinks_out_of_the_tree() {
        let d = temp_dir("rm-links");
        std::fs::create_dir_all(d.join("outside/keep")).unwrap();
        std::fs::write(d.join("outside/keep/f"), "x").unwrap();
        std::fs::create_dir_all(d.join("tree/sub")).unwrap();
        std::os::unix::fs::symlink(d.join("outside"), d.join("tree/sub/link")).unwrap();
        std::os::unix::fs::symlink(d.join("outside"), d.join("rootlink")).unwrap();
        assert_eq!(run("rm", &["-rf", &s(&d.join("tree"))], b"").status, 0);
        assert!(!d.join("tree").exists());
        assert_eq!(run("rm", &["-r", &s(&d.join("rootlink"))], b"").status, 0);
        assert!(!d.join("rootlink").exists());
        assert!(d.join("outside/keep/f").is_file());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn refuses_dot_dotdot_and_root() {
        let d = temp_dir("rm-root");
        let dot = format!("{}/.", d.display());
        let r = run("rm", &["-rf", &dot], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            format!("rm: refusing to remove '.' or '..' directory: skipping '{dot}'\n")
        );
        // -i with "no" answers: should the guard ever break, nothing is removed.
        let r = run("rm", &["-ri", "/"], b"n\nn\nn\n");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n"
        );
        let r = run("rm", &["-ri", "//"], b"n\nn\nn\n");
        assert_eq!(r.status, 1);
        assert!(d.exists());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn interactive_asks_on_stderr_and_reads_stdin() {
        let d = temp_dir("rm-i");
        std::fs::create_dir_all(d.join("t")).unwrap();
        std::fs::write(d.join("t/a"), "x").unwrap();
        std::fs::write(d.join("t/b"), "").unwrap();
        let t = s(&d.join("t"));
        // Yes to descend, no to a (sorted order is not guaranteed: answer per question).
        let r = run("rm", &["-ri", &t], b"y\nn\nn\ny\n");
        assert!(
            r.err()
                .starts_with(&format!("rm: descend into directory '{t}'? ")),
            "{}",
            r.err()
        );
        assert_eq!(r.status, 0);
        assert!(d.join("t").exists());
        let f = s(&d.join("t/a"));
        let r = run("rm", &["-i", &f], b"no\n");
        assert_eq!(r.err(), format!("rm: remove regular file '{f}'? "));
        assert!(d.join("t/a").exists());
        let r = run("rm", &["-i", &f], b"yes\n");
        assert_eq!(r.status, 0);
        assert!(!d.join("t/a").exists());
        // -f after -i wins: no question.
        let r = run("rm", &["-if", &f], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn odd_names() {
        let d = temp_dir("rm-names");
        let mut raw = d.join("bad").into_os_string().into_encoded_bytes();
        raw.extend_from_slice(b"\xff name\n");
        std::fs::write(super::super::util::path(&raw), "").unwrap();
        let r = crate::testing::run_bytes("rm", &[raw], b"");
        assert_eq!(r.status, 0);
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
