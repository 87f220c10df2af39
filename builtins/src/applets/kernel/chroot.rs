//! `chroot`: run a command with another root directory (GNU coreutils' options, messages
//! and statuses: 125 for chroot's own failures, 126/127 when the command cannot run).

use std::ffi::CString;
use std::io;
use std::os::fd::OwnedFd;

use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `chroot` applet.
pub const APPLET: Applet = Applet::new("chroot", main, Run::Exec)
    .dir(InstallDir::UsrSbin)
    .error_status(125)
    .usage("[--userspec=USER:GROUP] [--groups=G,...] [--skip-chdir] NEWROOT [COMMAND [ARG]...]")
    .help(
        "Run COMMAND with NEWROOT as its root directory; without COMMAND, '$SHELL -i'\n\
         (or '/bin/sh -i'). COMMAND is looked up in NEWROOT's PATH; an rbox applet\n\
         name not found there runs this rbox.\n\n\
         --userspec=USER:GROUP\tRun as USER and GROUP (names or numbers)\n\
         --groups=G,...\tSupplementary groups\n\
         --skip-chdir\tKeep the working directory",
    );

const LONGS: &[&str] = &["userspec", "groups", "skip-chdir"];

/// Who the command runs as, resolved before the root changes (as GNU does).
#[derive(Default)]
struct Identity {
    uid: Option<u32>,
    gid: Option<u32>,
    groups: Option<Vec<u32>>,
}

fn resolve_identity(userspec: Option<&[u8]>, groups: Option<&[u8]>) -> Result<Identity, Error> {
    let accounts = Accounts::load();
    let mut id = Identity::default();
    if let Some(spec) = userspec {
        let (user, group) = match spec.iter().position(|&b| b == b':') {
            Some(i) => (&spec[..i], Some(&spec[i + 1..])),
            None => (spec, None),
        };
        if !user.is_empty() {
            let uid = accounts
                .resolve_uid(user)
                .ok_or_else(|| Error::msg("invalid user"))?;
            id.uid = Some(uid);
            id.gid = accounts.user_by_uid(uid).map(|u| u.gid);
        }
        if let Some(g) = group.filter(|g| !g.is_empty()) {
            id.gid = Some(
                accounts
                    .resolve_gid(g)
                    .ok_or_else(|| Error::msg("invalid group"))?,
            );
        }
    }
    if let Some(list) = groups {
        let mut ids = Vec::new();
        for g in list.split(|&b| b == b',').filter(|g| !g.is_empty()) {
            ids.push(accounts.resolve_gid(g).ok_or_else(|| {
                Error::msg(format!("invalid group '{}'", String::from_utf8_lossy(g)))
            })?);
        }
        id.groups = Some(ids);
    } else if let Some(uid) = id.uid {
        let user = accounts.user_by_uid(uid);
        id.groups = Some(match user {
            Some(u) => accounts.groups_of(&u.name, id.gid.unwrap_or(u.gid)),
            None => id.gid.into_iter().collect(),
        });
    }
    Ok(id)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut userspec, mut groups, mut skip_chdir) = (None, None, false);
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Long("userspec") => userspec = Some(opts.value()?),
            Arg::Long("groups") => groups = Some(opts.value()?),
            Arg::Long("skip-chdir") => skip_chdir = true,
            Arg::Value(v) => {
                operands.push(v);
                operands.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let Some((root, command)) = operands.split_first() else {
        return Err(Error::usage("missing operand"));
    };
    let id = resolve_identity(userspec.as_deref(), groups.as_deref())?;
    let mut argv = command.to_vec();
    if argv.is_empty() {
        let shell = ctx.env.get(b"SHELL").unwrap_or(b"/bin/sh");
        argv = vec![shell.to_vec(), b"-i".to_vec()];
    }
    // Opened before the root changes: this rbox, for applet names the new root lacks.
    let myself = nix::fcntl::open(
        "/proc/self/exe",
        nix::fcntl::OFlag::O_PATH | nix::fcntl::OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    )
    .ok();
    enter(root, skip_chdir).map_err(|e| {
        let mut subject = b"cannot change root directory to '".to_vec();
        subject.extend_from_slice(root);
        subject.push(b'\'');
        Error::io(&subject, &e)
    })?;
    become_identity(&id).map_err(|e| Error::io(b"failed to set the user or group", &e))?;
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    let e = exec(ctx, &argv, myself.as_ref());
    let mut subject = b"failed to run command '".to_vec();
    subject.extend_from_slice(&argv[0]);
    subject.push(b'\'');
    let status = if e.raw_os_error() == Some(libc::ENOENT) {
        127
    } else {
        126
    };
    Err(Error::io(&subject, &e).with_status(status))
}

/// `chroot(2)`, then (unless told not to) `chdir("/")` inside the new root.
fn enter(root: &[u8], skip_chdir: bool) -> io::Result<()> {
    let root_c = CString::new(root).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    nix::unistd::chroot(root_c.as_c_str())?;
    if !skip_chdir {
        // chroot is Run::Exec: this process is the command's, never the shell's.
        #[allow(clippy::disallowed_methods)]
        nix::unistd::chdir("/")?;
    }
    Ok(())
}

/// Drops to the requested groups, group and user, in that order.
fn become_identity(id: &Identity) -> io::Result<()> {
    use nix::unistd::{Gid, Uid};
    if let Some(groups) = &id.groups {
        let gids: Vec<Gid> = groups.iter().map(|&g| Gid::from_raw(g)).collect();
        nix::unistd::setgroups(&gids)?;
    }
    if let Some(gid) = id.gid {
        nix::unistd::setgid(Gid::from_raw(gid))?;
    }
    if let Some(uid) = id.uid {
        nix::unistd::setuid(Uid::from_raw(uid))?;
    }
    Ok(())
}

/// Replaces this process with `argv`: a name with a slash as given, else the first match
/// in PATH, else (for an rbox applet name) this rbox through `myself`.
fn exec(ctx: &Ctx<'_>, argv: &[Vec<u8>], myself: Option<&OwnedFd>) -> io::Error {
    let cstr = |b: &[u8]| CString::new(b.to_vec()).ok();
    let envp: Option<Vec<CString>> = ctx
        .env
        .vars()
        .into_iter()
        .map(|(k, v)| cstr(&[k, b"=", v].concat()))
        .collect();
    let args: Option<Vec<CString>> = argv.iter().map(|a| cstr(a)).collect();
    let (Some(envp), Some(args)) = (envp, args) else {
        return io::Error::from_raw_os_error(libc::EINVAL);
    };
    let name = &argv[0];
    if name.contains(&b'/') {
        return match cstr(name) {
            Some(c) => {
                let Err(e) = nix::unistd::execve(&c, &args, &envp);
                e.into()
            }
            None => io::Error::from_raw_os_error(libc::EINVAL),
        };
    }
    let path = ctx
        .env
        .get(b"PATH")
        .unwrap_or(b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    let mut err = io::Error::from_raw_os_error(libc::ENOENT);
    for dir in path.split(|&b| b == b':') {
        let dir = if dir.is_empty() { &b"."[..] } else { dir };
        let Some(c) = cstr(&[dir, b"/", name.as_slice()].concat()) else {
            continue;
        };
        let Err(e) = nix::unistd::execve(&c, &args, &envp);
        if e != nix::errno::Errno::ENOENT && e != nix::errno::Errno::ENOTDIR {
            err = e.into();
        }
    }
    if err.raw_os_error() == Some(libc::ENOENT)
        && crate::registry::find(name).is_some()
        && let Some(fd) = myself
    {
        let Err(e) =
            nix::unistd::execveat(fd, c"", &args, &envp, nix::fcntl::AtFlags::AT_EMPTY_PATH);
        return e.into();
    }
    err
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn usage_and_failures() {
        let r = run("chroot", &[], b"");
        assert!(
            r.err()
                .starts_with("chroot: missing operand\nUsage: chroot ")
        );
        assert_eq!(r.status, 125);
        let r = run("chroot", &["--userspec=no-such-user-x", "/", "true"], b"");
        assert_eq!(
            (r.err(), r.status),
            ("chroot: invalid user\n".to_string(), 125)
        );
    }
}
