//! BusyBox's `adduser` and `addgroup`: a user with its own group (gid = uid), a
//! `/home/USER` made from /etc/skel and set 2755, a shadow line `!:DAY:0:99999:7:::`,
//! the password asked through `passwd` unless `-D`; `adduser USER GROUP` and
//! `addgroup USER GROUP` add an existing user to an existing group. Ids: the first free
//! from 1000 (system: 100-999). Messages as BusyBox's.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::userdel::need_root;
use super::util::{self, Codes, Db, b, t};
use crate::common::accountdb;
use crate::prelude::*;

/// The `adduser` applet.
pub const ADDUSER: Applet = Applet::new("adduser", adduser, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[OPTIONS] USER [GROUP]")
    .help(
        "Create new user, or add USER to GROUP\n\n\
         -h DIR\t\tHome directory\n\
         -g GECOS\tGECOS field\n\
         -s SHELL\tLogin shell\n\
         -G GRP\t\tGroup\n\
         -S\t\tCreate a system user\n\
         -D\t\tDon't assign a password\n\
         -H\t\tDon't create home directory\n\
         -u UID\t\tUser id\n\
         -k SKEL\t\tSkeleton directory (/etc/skel)",
    );

/// The `addgroup` applet.
pub const ADDGROUP: Applet = Applet::new("addgroup", addgroup, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[-g GID] [-S] [USER] GROUP")
    .help(
        "Add a group or add a user to a group\n\n\
         -g GID\tGroup id\n\
         -S\tCreate a system group",
    );

const BB: Codes = Codes {
    passwd: 1,
    group: 1,
};
/// BusyBox's id ranges.
const FIRST_SYSTEM_ID: u32 = 100;
const LAST_SYSTEM_ID: u32 = 999;
const LAST_ID: u32 = 60000;

/// BusyBox's name check: letters, digits, `_`, and after the first character also `-`
/// and `.`, with `$` allowed last.
fn check_name(name: &[u8]) -> Result<(), Error> {
    for (i, &c) in name.iter().enumerate() {
        let ok = c == b'_'
            || c.is_ascii_alphanumeric()
            || (i > 0 && (c == b'-' || c == b'.' || (c == b'$' && i + 1 == name.len())));
        if !ok {
            return Err(Error::msg(format!(
                "illegal character with code {c} at position {i}"
            )));
        }
    }
    if name.is_empty() {
        return Err(Error::msg("illegal character with code 0 at position 0"));
    }
    if name.len() >= 256 {
        return Err(Error::msg("name is too long"));
    }
    Ok(())
}

const ADDUSER_LONGS: &[&str] = &[
    "home",
    "gecos",
    "shell",
    "ingroup",
    "disabled-password",
    "empty-password",
    "system",
    "no-create-home",
    "uid",
    "skel",
];

fn adduser(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut home, mut gecos, mut shell, mut usegroup, mut uid) =
        (None, b("Linux User,,,"), None, None, None);
    let (mut no_pass, mut system, mut no_home, mut skel, mut any_opt) =
        (false, false, false, None, false);
    let mut names = Vec::new();
    let mut p = ctx.opts(ADDUSER_LONGS);
    while let Some(arg) = p.next()? {
        if !matches!(arg, Arg::Value(_)) {
            any_opt = true;
        }
        match arg {
            Arg::Short('h') | Arg::Long("home") => home = Some(p.value()?),
            Arg::Short('g') | Arg::Long("gecos") => gecos = p.value()?,
            Arg::Short('s') | Arg::Long("shell") => shell = Some(p.value()?),
            Arg::Short('G') | Arg::Long("ingroup") => usegroup = Some(p.value()?),
            Arg::Short('D') | Arg::Long("disabled-password" | "empty-password") => no_pass = true,
            Arg::Short('S') | Arg::Long("system") => system = true,
            Arg::Short('H') | Arg::Long("no-create-home") => no_home = true,
            Arg::Short('u') | Arg::Long("uid") => {
                let v = p.value()?;
                uid = Some(
                    accountdb::parse_u32(&v)
                        .filter(|&u| u <= LAST_ID)
                        .ok_or_else(|| Error::msg(format!("invalid number '{}'", t(&v))))?,
                );
            }
            Arg::Short('k') | Arg::Long("skel") => skel = Some(p.value()?),
            Arg::Value(v) => names.push(v),
            other => return Err(p.unexpected(&other)),
        }
    }
    need_root()?;
    if names.is_empty() || names.len() > 2 {
        return Err(Error::usage(""));
    }
    let name = names[0].clone();
    if !any_opt && names.len() == 2 {
        return add_to_group(&name, &names[1]);
    }
    check_name(&name)?;
    let root = Path::new("/");
    let home = home.unwrap_or_else(|| [b"/home/".as_slice(), &name].concat());
    if system {
        no_pass = true;
        if usegroup.is_none() {
            usegroup = Some(b("nogroup"));
        }
    }
    let shell = match shell {
        Some(s) => s,
        None if system => b("/bin/false"),
        None => default_shell(ctx),
    };
    let mut db = Db::open(root, BB)?;
    let gid = match &usegroup {
        Some(g) => Some(
            db.group_by_spec(g)
                .and_then(|f| accountdb::parse_u32(&f[2]))
                .ok_or_else(|| Error::msg(format!("unknown group {}", t(g))))?,
        ),
        None => None,
    };
    if db.user(&name).is_some() {
        return Err(Error::msg(format!("user '{}' in use", t(&name))));
    }
    let (mut id, max) = match uid {
        Some(u) => (u, LAST_ID),
        None if system => (FIRST_SYSTEM_ID, LAST_SYSTEM_ID),
        None => (LAST_SYSTEM_ID + 1, LAST_ID),
    };
    while db.uid_used(id) || (gid.is_none() && db.gid_used(id)) {
        if uid.is_some() {
            return Err(Error::msg(format!("uid '{id}' in use")));
        }
        if id == max {
            return Err(Error::msg("no uids left"));
        }
        id += 1;
    }
    let gid = match gid {
        Some(g) => g,
        None => {
            if db.group_named(&name).is_some() {
                return Err(Error::msg(format!("group '{}' in use", t(&name))));
            }
            id
        }
    };
    db.passwd.push(&[
        name.clone(),
        b("x"),
        id.to_string().into_bytes(),
        gid.to_string().into_bytes(),
        gecos,
        home.clone(),
        shell,
    ]);
    if db.shadow.exists {
        db.shadow.push(&[
            name.clone(),
            b("!"),
            accountdb::today().to_string().into_bytes(),
            b("0"),
            b("99999"),
            b("7"),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ]);
    }
    match &usegroup {
        Some(g) => {
            let gname = db
                .group_by_spec(g)
                .map(|f| f[0].clone())
                .unwrap_or_default();
            db.add_member(&gname, &name);
        }
        None => {
            db.group.push(&[
                name.clone(),
                b("x"),
                gid.to_string().into_bytes(),
                Vec::new(),
            ]);
            db.gshadow
                .push(&[name.clone(), b("!"), Vec::new(), Vec::new()]);
        }
    }
    db.save(BB)?;
    drop(db);
    if !no_home {
        let dir = util::under(root, &home);
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                let skel_dir = util::under(root, skel.as_deref().unwrap_or(b"/etc/skel"));
                if let Err(e) = util::copy_skel(&skel_dir, &dir, id, gid)
                    && skel.is_some()
                {
                    ctx.warn(skel_dir.as_os_str().as_encoded_bytes(), &e);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => ctx.warn(&home, &e),
        }
        if dir.is_dir() {
            let r = std::os::unix::fs::chown(&dir, Some(id), Some(gid)).and_then(|()| {
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o2755))
            });
            if let Err(e) = r {
                ctx.warn(&home, &e);
            }
        }
    }
    if !no_pass {
        let argv = vec![b("passwd"), b("--"), name.clone()];
        let env = crate::applets::proc::command::env_of(ctx);
        ctx.stdout.flush()?;
        ctx.stderr.flush()?;
        match ctx.spawn.run(&argv, &env) {
            Ok(0) => {}
            Ok(st) => return Err(Error::silent(st)),
            Err(_) => {
                return Err(Error::msg(
                    "can't execute passwd, you must set password manually",
                ));
            }
        }
    }
    Ok(())
}

/// The caller's shell: `$SHELL`, else the passwd entry's, else /bin/sh.
fn default_shell(ctx: &Ctx<'_>) -> Vec<u8> {
    if let Some(s) = ctx.env.get(b"SHELL").filter(|s| !s.is_empty()) {
        return s.to_vec();
    }
    let uid = nix::unistd::getuid().as_raw();
    let acc = crate::common::passwd::Accounts::load();
    acc.user_by_uid(uid)
        .map(|u| u.shell.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| b("/bin/sh"))
}

/// `adduser USER GROUP` / `addgroup USER GROUP`: both must exist; a member already is
/// success.
fn add_to_group(user: &[u8], group: &[u8]) -> Result<(), Error> {
    let mut db = Db::open(Path::new("/"), BB)?;
    if db.user(user).is_none() {
        return Err(Error::msg(format!("unknown user {}", t(user))));
    }
    let Some(g) = db.group_named(group) else {
        return Err(Error::msg(format!("unknown group {}", t(group))));
    };
    if g.get(3)
        .is_some_and(|m| accountdb::members(m).iter().any(|x| x == user))
    {
        return Ok(());
    }
    db.add_member(group, user);
    db.save(BB)
}

fn addgroup(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut gid, mut system) = (None, false);
    let mut names = Vec::new();
    let mut p = ctx.opts(&["gid", "system"]);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Short('g') | Arg::Long("gid") => {
                let v = p.value()?;
                gid = Some(
                    accountdb::parse_u32(&v)
                        .filter(|&g| g <= LAST_ID)
                        .ok_or_else(|| Error::msg(format!("invalid number '{}'", t(&v))))?,
                );
            }
            Arg::Short('S') | Arg::Long("system") => system = true,
            Arg::Value(v) => names.push(v),
            other => return Err(p.unexpected(&other)),
        }
    }
    need_root()?;
    match &names[..] {
        [user, group] => {
            if gid.is_some() {
                return Err(Error::usage(""));
            }
            add_to_group(user, group)
        }
        [group] => {
            check_name(group)?;
            let mut db = Db::open(Path::new("/"), BB)?;
            if db.group_named(group).is_some() {
                return Err(Error::msg(format!("group '{}' in use", t(group))));
            }
            let given = gid.filter(|&g| g != 0);
            let (mut id, max) = match given {
                Some(g) => (g, LAST_ID),
                None if system => (FIRST_SYSTEM_ID, LAST_SYSTEM_ID),
                None => (LAST_SYSTEM_ID + 1, LAST_ID),
            };
            while db.gid_used(id) {
                if given.is_some() {
                    return Err(Error::msg(format!("gid '{id}' in use")));
                }
                if id == max {
                    return Err(Error::msg("no gids left"));
                }
                id += 1;
            }
            db.group.push(&[
                group.clone(),
                b("x"),
                id.to_string().into_bytes(),
                Vec::new(),
            ]);
            db.gshadow
                .push(&[group.clone(), b("!"), Vec::new(), Vec::new()]);
            db.save(BB)
        }
        _ => Err(Error::usage("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busybox_names() {
        assert!(
            check_name(b"bob").is_ok() && check_name(b"a.b-c").is_ok() && check_name(b"m$").is_ok()
        );
        assert_eq!(
            check_name(b"-x").unwrap_err().to_string(),
            "illegal character with code 45 at position 0"
        );
        assert_eq!(
            check_name(b"a:b").unwrap_err().to_string(),
            "illegal character with code 58 at position 1"
        );
    }
}
