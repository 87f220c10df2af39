//! Removing accounts: `userdel` (shadow-utils: the user, its membership everywhere, its
//! own group under USERGROUPS_ENAB, `-r` the home and mail spool; status 6 for no such
//! user) and BusyBox's `deluser` (`deluser USER`, `deluser USER GROUP`) and `delgroup`
//! (`delgroup GROUP`, `delgroup USER GROUP`).

use std::path::{Path, PathBuf};

use super::util::{self, Codes, Db, one_operand, root_path, t};
use crate::common::accountdb::{self, LoginDefs};
use crate::prelude::*;

/// The `userdel` applet.
pub const USERDEL: Applet = Applet::new("userdel", userdel, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[-r] [-f] [-R DIR] LOGIN")
    .help(
        "Delete the account LOGIN.\n\n\
         -r, --remove\tRemove the home directory and mail spool too\n\
         -f, --force\tRemove the user's group even if it has other members\n\
         -R, --root DIR\tChange the files under DIR",
    );

/// The `deluser` applet.
pub const DELUSER: Applet = Applet::new("deluser", deluser, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[-r|--remove-home] USER [GROUP]")
    .help(
        "Delete USER from the system, or remove USER from GROUP\n\n\
         -r, --remove-home\tRemove the home directory",
    );

/// The `delgroup` applet.
pub const DELGROUP: Applet = Applet::new("delgroup", delgroup, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[USER] GROUP")
    .help("Delete group GROUP from the system or user USER from group GROUP");

const CODES: Codes = Codes {
    passwd: 1,
    group: 10,
};
const BB: Codes = Codes {
    passwd: 1,
    group: 1,
};

fn userdel(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut remove, mut force) = (false, false);
    let mut root = PathBuf::from("/");
    let mut names = Vec::new();
    let mut p = ctx.opts(&["remove", "force", "root"]);
    while let Some(arg) = p.next().map_err(|e| e.with_status(2))? {
        match arg {
            Arg::Short('r') | Arg::Long("remove") => remove = true,
            Arg::Short('f') | Arg::Long("force") => force = true,
            Arg::Short('R') | Arg::Long("root") => {
                root = root_path(p.value().map_err(|e| e.with_status(2))?)
            }
            Arg::Value(v) => names.push(v),
            other => return Err(p.unexpected(&other).with_status(2)),
        }
    }
    let name = one_operand(&names, "LOGIN")?;
    let mut db = Db::open(&root, CODES)?;
    let Some(pw) = db.user(&name) else {
        return Err(Error::msg(format!("user '{}' does not exist", t(&name))).with_status(6));
    };
    let uid = pw.get(2).and_then(|u| accountdb::parse_u32(u));
    let gid = pw.get(3).and_then(|g| accountdb::parse_u32(g));
    let home = pw.get(5).cloned().unwrap_or_default();
    db.passwd.remove(&name);
    db.shadow.remove(&name);
    db.remove_member(None, &name, true);
    let defs = LoginDefs::load(&root);
    if defs.yes("USERGROUPS_ENAB")
        && let Some(g) = db.group_named(&name)
        && accountdb::parse_u32(&g[2]) == gid
    {
        let other_primary = (0..db.passwd.lines.len())
            .map(|i| db.passwd.fields(i))
            .find(|f| f.len() > 3 && accountdb::parse_u32(&f[3]) == gid);
        let members = g.get(3).map(|m| accountdb::members(m)).unwrap_or_default();
        if let Some(_other) = other_primary {
            ctx.note(
                format!(
                    "group {} is the primary group of another user and is not removed.",
                    t(&name)
                )
                .as_bytes(),
            );
        } else if !members.is_empty() && !force {
            ctx.note(
                format!(
                    "group {} not removed because it has other members.",
                    t(&name)
                )
                .as_bytes(),
            );
        } else {
            db.group.remove(&name);
            db.gshadow.remove(&name);
        }
    }
    db.save(CODES)?;
    if remove {
        let mail_dir = defs.get("MAIL_DIR").unwrap_or("/var/mail").to_string();
        let spool = [mail_dir.as_bytes(), b"/", &name].concat();
        let spool_path = util::under(&root, &spool);
        let mut refused = false;
        match std::fs::symlink_metadata(&spool_path) {
            Ok(m) if Some(std::os::unix::fs::MetadataExt::uid(&m)) != uid => {
                ctx.note(
                    format!("{} not owned by {}, not removing", t(&spool), t(&name)).as_bytes(),
                );
                refused = true;
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&spool_path);
            }
            Err(_) => {
                ctx.note(format!("{} mail spool ({}) not found", t(&name), t(&spool)).as_bytes())
            }
        }
        let dir = util::under(&root, &home);
        if !home.is_empty() && dir.is_dir() && !is_root_dir(&dir, &root) {
            std::fs::remove_dir_all(&dir).map_err(|e| {
                Error::msg(format!(
                    "error removing directory {}: {}",
                    t(&home),
                    crate::error::strerror(&e)
                ))
                .with_status(12)
            })?;
        } else {
            ctx.note(format!("{} home directory ({}) not found", t(&name), t(&home)).as_bytes());
        }
        if refused {
            return Err(Error::silent(12));
        }
    }
    Ok(())
}

/// Whether `dir` is the account root itself (never removed as a home).
fn is_root_dir(dir: &Path, root: &Path) -> bool {
    match (dir.canonicalize(), root.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// BusyBox's refusal for a non-root caller.
pub fn need_root() -> Result<(), Error> {
    if nix::unistd::geteuid().is_root() {
        Ok(())
    } else {
        Err(Error::msg("permission denied (are you root?)"))
    }
}

fn deluser(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut remove_home = false;
    let mut names = Vec::new();
    let mut p = ctx.opts(&["remove-home"]);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Short('r') | Arg::Long("remove-home") => remove_home = true,
            Arg::Value(v) => names.push(v),
            other => return Err(p.unexpected(&other)),
        }
    }
    need_root()?;
    let root = Path::new("/");
    match &names[..] {
        [user] => {
            let mut db = Db::open(root, BB)?;
            let Some(pw) = db.user(user) else {
                return Err(Error::msg(format!("unknown user {}", t(user))));
            };
            if remove_home {
                let home = util::under(root, pw.get(5).map_or(&b""[..], |v| v));
                if home.is_dir() && home != root {
                    let _ = std::fs::remove_dir_all(&home);
                }
            }
            db.passwd.remove(user);
            db.shadow.remove(user);
            db.remove_member(None, user, true);
            let result = match db.group_named(user) {
                Some(g) => match primary_user_of(&db, &g[2]) {
                    Some(other) => Err(Error::msg(format!(
                        "'{}' still has '{}' as their primary group!",
                        t(&other),
                        t(user)
                    ))),
                    None => {
                        db.group.remove(user);
                        db.gshadow.remove(user);
                        Ok(())
                    }
                },
                None => Ok(()),
            };
            db.save(BB)?;
            result
        }
        [user, group] => remove_from_group(user, group),
        _ => Err(Error::usage("")),
    }
}

/// The first user whose primary gid is `gid`.
fn primary_user_of(db: &Db, gid: &[u8]) -> Option<Vec<u8>> {
    (0..db.passwd.lines.len())
        .map(|i| db.passwd.fields(i))
        .find(|f| f.len() > 3 && f[3] == gid)
        .map(|f| f[0].clone())
}

fn remove_from_group(user: &[u8], group: &[u8]) -> Result<(), Error> {
    let mut db = Db::open(Path::new("/"), BB)?;
    if db.group_named(group).is_none() {
        return Err(Error::msg(format!("unknown group {}", t(group))));
    }
    db.remove_member(Some(group), user, true);
    db.save(BB)
}

fn delgroup(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut names = Vec::new();
    let mut p = ctx.opts(&[]);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Value(v) => names.push(v),
            other => return Err(p.unexpected(&other)),
        }
    }
    need_root()?;
    match &names[..] {
        [group] => {
            let mut db = Db::open(Path::new("/"), BB)?;
            let Some(g) = db.group_named(group) else {
                return Err(Error::msg(format!("unknown group {}", t(group))));
            };
            if let Some(user) = primary_user_of(&db, &g[2]) {
                return Err(Error::msg(format!(
                    "'{}' still has '{}' as their primary group!",
                    t(&user),
                    t(group)
                )));
            }
            db.group.remove(group);
            db.gshadow.remove(group);
            db.save(BB)
        }
        [user, group] => remove_from_group(user, group),
        _ => Err(Error::usage("")),
    }
}
