//! `chown`: change file owner and group. `chgrp` shares this code.

use nix::fcntl::AtFlags;
use nix::unistd::{Gid, Uid, fchownat};

use super::util::{errno, fill, msg};
use crate::common::passwd::Accounts;
use crate::common::walk::{self, Action, Follow, Kind, Options};
use crate::prelude::*;

/// The `chown` applet.
pub const APPLET: Applet = Applet::new("chown", main, Run::Fork)
    .usage("[-RhHLPcfv] OWNER[:[GROUP]] FILE... | --reference=RFILE FILE...")
    .help(
        "Change the owner and/or group of each FILE. OWNER and GROUP are names or\n\
         numbers; OWNER: alone means OWNER's login group, :GROUP only the group;\n\
         OWNER.GROUP is accepted too.\n\n\
         -R\tOperate on files and directories recursively\n\
         -h\tChange symbolic links themselves, not their targets\n\
         -H\tWith -R, follow symbolic links on the command line\n\
         -L\tWith -R, follow every symbolic link\n\
         -P\tWith -R, follow no symbolic link (the default)\n\
         -c\tReport only the changes made\n\
         -v\tReport every file processed\n\
         -f\tSuppress most error messages\n\
         --reference=RFILE\tUse RFILE's owner and group",
    );

pub(super) const LONGS: &[&str] = &[
    "recursive",
    "no-dereference",
    "dereference",
    "changes",
    "silent",
    "quiet",
    "verbose",
    "reference",
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    run_owner(ctx, false)
}

#[derive(Clone, Copy, Default)]
struct Flags {
    recursive: bool,
    no_deref: bool,
    changes: bool,
    verbose: bool,
    quiet: bool,
}

/// Parses `OWNER[:[GROUP]]` (or `.`) into ids.
fn parse_spec(acc: &Accounts, spec: &[u8]) -> Result<(Option<u32>, Option<u32>), Error> {
    let sep = spec.iter().position(|&b| b == b':').or_else(|| {
        // user.group, unless the whole thing is a user name with a dot.
        if acc.user_by_name(spec).is_some() {
            None
        } else {
            spec.iter().position(|&b| b == b'.')
        }
    });
    let (user, group) = match sep {
        Some(i) => (
            spec.get(..i).unwrap_or_default(),
            Some(spec.get(i + 1..).unwrap_or_default()),
        ),
        None => (spec, None),
    };
    let bad_user = || Error::msg(fill("invalid user: {}", &[spec]));
    let uid = if user.is_empty() {
        None
    } else {
        Some(acc.resolve_uid(user).ok_or_else(bad_user)?)
    };
    let gid = match group {
        None => None,
        Some([]) => match uid {
            // "user:" is the user's login group.
            Some(u) => Some(acc.user_by_uid(u).map(|u| u.gid).ok_or_else(bad_user)?),
            None => None,
        },
        Some(g) => Some(
            acc.resolve_gid(g)
                .ok_or_else(|| Error::msg(fill("invalid group: {}", &[spec])))?,
        ),
    };
    Ok((uid, gid))
}

/// chown and chgrp: the same walk, with the spec read as `OWNER[:GROUP]` or `GROUP`.
pub(super) fn run_owner(ctx: &mut Ctx<'_>, group_only: bool) -> Result<(), Error> {
    let mut f = Flags::default();
    let mut follow = Follow::Never;
    let mut reference = None;
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('R') | Arg::Long("recursive") => f.recursive = true,
            Arg::Short('h') | Arg::Long("no-dereference") => f.no_deref = true,
            Arg::Long("dereference") => f.no_deref = false,
            Arg::Short('H') => follow = Follow::Roots,
            Arg::Short('L') => follow = Follow::Always,
            Arg::Short('P') => follow = Follow::Never,
            Arg::Short('c') | Arg::Long("changes") => f.changes = true,
            Arg::Short('v') | Arg::Long("verbose") => f.verbose = true,
            Arg::Short('f') | Arg::Long("silent" | "quiet") => f.quiet = true,
            Arg::Long("reference") => reference = Some(opts.value()?),
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let acc = Accounts::load();
    let (uid, gid) = if let Some(r) = reference {
        let st = nix::sys::stat::stat(r.as_slice())
            .map_err(|e| Error::msg(msg("failed to get attributes of", &r, &errno(e))))?;
        (
            if group_only { None } else { Some(st.st_uid) },
            Some(st.st_gid),
        )
    } else {
        if ops.is_empty() {
            return Err(Error::usage("missing operand"));
        }
        let spec = ops.remove(0);
        if group_only {
            let g = acc
                .resolve_gid(&spec)
                .ok_or_else(|| Error::msg(fill("invalid group: {}", &[&spec])))?;
            (None, Some(g))
        } else {
            parse_spec(&acc, &spec)?
        }
    };
    if ops.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    // Without -R a symlink operand is followed unless -h; with -R as -H/-L/-P say.
    let wopts = Options {
        follow: if f.recursive {
            follow
        } else if f.no_deref {
            Follow::Never
        } else {
            Follow::Roots
        },
        max_depth: if f.recursive { None } else { Some(0) },
        ..Options::default()
    };
    let what = if group_only { "group" } else { "ownership" };
    for file in &ops {
        walk::walk(file, &wopts, &mut |e| {
            match e.kind {
                Kind::NoStat | Kind::Unreadable => {
                    if f.quiet {
                        ctx.status = 1;
                    } else {
                        let fallback = std::io::Error::from_raw_os_error(libc::EIO);
                        ctx.warn_msg(&msg("cannot access", e.path, e.err.unwrap_or(&fallback)));
                    }
                }
                Kind::Dir | Kind::File => {
                    let Some(st) = e.stat else {
                        return Action::Continue;
                    };
                    let flag = if e.is_symlink() {
                        AtFlags::AT_SYMLINK_NOFOLLOW
                    } else {
                        AtFlags::empty()
                    };
                    let r = fchownat(
                        e.parent,
                        e.name,
                        uid.map(Uid::from_raw),
                        gid.map(Gid::from_raw),
                        flag,
                    );
                    match r {
                        Ok(()) => {
                            let changed = uid.is_some_and(|u| u != st.st_uid)
                                || gid.is_some_and(|g| g != st.st_gid);
                            let show = |u: Option<u32>, g: Option<u32>| -> Vec<u8> {
                                let mut s = Vec::new();
                                if let Some(u) = u {
                                    s.extend_from_slice(&acc.user_name(u));
                                }
                                if let Some(g) = g {
                                    if u.is_some() {
                                        s.push(b':');
                                    }
                                    s.extend_from_slice(&acc.group_name(g));
                                }
                                s
                            };
                            let old = show(uid.map(|_| st.st_uid), gid.map(|_| st.st_gid));
                            let new = show(uid, gid);
                            let line = if changed && (f.changes || f.verbose) {
                                let mut l =
                                    fill(&format!("changed {what} of {{}} from "), &[e.path]);
                                l.extend_from_slice(&old);
                                l.extend_from_slice(b" to ");
                                l.extend_from_slice(&new);
                                Some(l)
                            } else if !changed && f.verbose {
                                let mut l =
                                    fill(&format!("{what} of {{}} retained as "), &[e.path]);
                                l.extend_from_slice(&new);
                                Some(l)
                            } else {
                                None
                            };
                            if let Some(mut l) = line {
                                l.push(b'\n');
                                let _ = ctx.stdout.write_all(&l);
                            }
                        }
                        Err(_) if f.quiet => ctx.status = 1,
                        Err(err) => {
                            let verb = if group_only {
                                "changing group of"
                            } else {
                                "changing ownership of"
                            };
                            ctx.warn_msg(&msg(verb, e.path, &errno(err)));
                        }
                    }
                }
                Kind::DirPost | Kind::Cycle => {}
            }
            Action::Continue
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_spec;
    use crate::common::passwd::{Accounts, parse_groups, parse_users};
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::MetadataExt;

    fn db() -> Accounts {
        Accounts {
            users: parse_users(
                b"root:x:0:0::/root:/bin/sh\nbob:x:1000:100::/home/bob:/bin/sh\na.b:x:7:7:::\n",
            ),
            groups: parse_groups(b"root:x:0:\nusers:x:100:\nstaff:x:50:\n"),
        }
    }

    #[test]
    fn owner_specs() {
        let a = db();
        let p = |s: &str| parse_spec(&a, s.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(p("bob"), Ok((Some(1000), None)));
        assert_eq!(p("bob:staff"), Ok((Some(1000), Some(50))));
        assert_eq!(p("bob."), Ok((Some(1000), Some(100))));
        assert_eq!(p("bob:"), Ok((Some(1000), Some(100))));
        assert_eq!(p(":staff"), Ok((None, Some(50))));
        assert_eq!(p("12:34"), Ok((Some(12), Some(34))));
        assert_eq!(p("a.b"), Ok((Some(7), None)));
        assert_eq!(p("nobody-x"), Err("invalid user: 'nobody-x'".into()));
        assert_eq!(p("bob:nogroup"), Err("invalid group: 'bob:nogroup'".into()));
    }

    #[test]
    fn changes_ids_recursively_without_following_links() {
        // Tests run as root; numeric ids need no /etc entries.
        if !nix::unistd::geteuid().is_root() {
            return;
        }
        let d = temp_dir("chown");
        std::fs::create_dir_all(d.join("t/sub")).unwrap();
        std::fs::write(d.join("t/sub/f"), "").unwrap();
        std::fs::write(d.join("out"), "").unwrap();
        std::os::unix::fs::symlink(d.join("out"), d.join("t/ln")).unwrap();
        let t = d.join("t");
        let r = run("chown", &["-R", "1234:2345", t.to_str().unwrap()], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        let md = std::fs::metadata(d.join("t/sub/f")).unwrap();
        assert_eq!((md.uid(), md.gid()), (1234, 2345));
        assert_eq!(
            std::fs::symlink_metadata(d.join("t/ln")).unwrap().uid(),
            1234
        );
        assert_eq!(std::fs::metadata(d.join("out")).unwrap().uid(), 0);
        let r = run("chgrp", &["-v", "77", d.join("out").to_str().unwrap()], b"");
        assert_eq!(
            r.out(),
            format!(
                "changed group of '{}' from root to 77\n",
                d.join("out").display()
            )
            .replace(
                "from root",
                &format!(
                    "from {}",
                    String::from_utf8_lossy(&Accounts::load().group_name(0))
                )
            )
        );
        assert_eq!(std::fs::metadata(d.join("out")).unwrap().gid(), 77);
        let r = run(
            "chown",
            &["-h", "55", d.join("t/ln").to_str().unwrap()],
            b"",
        );
        assert_eq!(r.status, 0);
        assert_eq!(std::fs::symlink_metadata(d.join("t/ln")).unwrap().uid(), 55);
        assert_eq!(std::fs::metadata(d.join("out")).unwrap().uid(), 0);
        let r = run("chown", &["0", d.join("nope").to_str().unwrap()], b"");
        assert_eq!(
            r.err(),
            format!(
                "chown: cannot access '{}': No such file or directory\n",
                d.join("nope").display()
            )
        );
        let r = run(
            "chgrp",
            &["no-such-group-x", d.join("out").to_str().unwrap()],
            b"",
        );
        assert_eq!(r.err(), "chgrp: invalid group: 'no-such-group-x'\n");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
