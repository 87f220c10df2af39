//! `useradd` (shadow-utils' form): add a user to passwd, shadow and, with its own group
//! (`-U`, or USERGROUPS_ENAB), group and gshadow; supplementary groups (`-G`); the home
//! from /etc/skel (`-m`); defaults from /etc/default/useradd and /etc/login.defs, shown
//! or changed with `-D`. Statuses as shadow-utils: 2 usage, 3 bad argument, 4 uid in
//! use, 6 no such group, 9 name in use, 12 home not made.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::util::{self, Codes, Db, b, root_path, t};
use crate::common::accountdb::{self, LoginDefs};
use crate::prelude::*;

/// The `useradd` applet.
pub const APPLET: Applet = Applet::new("useradd", main, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .error_status(1)
    .usage("[-c COMMENT] [-d HOME] [-b BASE] [-s SHELL] [-g GROUP] [-G GROUPS] [-u UID [-o]] [-m [-k SKEL] | -M] [-N | -U] [-r] [-p HASH] [-e DATE] [-f DAYS] [-R DIR] LOGIN | -D [OPTIONS]")
    .help(
        "Create the account LOGIN.\n\n\
         -c, --comment TEXT\tThe GECOS field\n\
         -d, --home-dir DIR\tThe home directory (default BASE/LOGIN)\n\
         -b, --base-dir BASE\tWhere homes go (default /home)\n\
         -s, --shell SHELL\tThe login shell\n\
         -g, --gid GROUP\tThe primary group (name or number)\n\
         -G, --groups LIST\tSupplementary groups, comma-separated\n\
         -u, --uid UID\tThe user id; -o, --non-unique allows one in use\n\
         -m, --create-home\tCreate the home from the skeleton (-k, --skel DIR)\n\
         -M, --no-create-home\tDo not create the home\n\
         -N, --no-user-group\tNo group named after the user\n\
         -U, --user-group\tA group named after the user\n\
         -r, --system\tA system account (ids below UID_MIN, no aging)\n\
         -p, --password HASH\tThe already hashed password\n\
         -e, --expiredate DATE\tThe account expires on DATE (YYYY-MM-DD)\n\
         -f, --inactive DAYS\tDays after password expiry until the account is disabled\n\
         -R, --root DIR\tChange the files under DIR\n\
         -D, --defaults\tShow the defaults, or change them with -b -e -f -g -s",
    );

const LONGS: &[&str] = &[
    "comment",
    "home-dir",
    "base-dir",
    "shell",
    "gid",
    "groups",
    "uid",
    "non-unique",
    "create-home",
    "no-create-home",
    "no-user-group",
    "user-group",
    "system",
    "password",
    "expiredate",
    "inactive",
    "root",
    "defaults",
    "skel",
    "no-log-init",
    "badname",
];

const E_USAGE: u8 = 2;
const E_BAD_ARG: u8 = 3;
const E_UID_IN_USE: u8 = 4;
const E_NOTFOUND: u8 = 6;
const E_NAME_IN_USE: u8 = 9;
const E_HOMEDIR: u8 = 12;
const CODES: Codes = Codes {
    passwd: 1,
    group: 10,
};

/// The options as given.
#[derive(Default)]
struct Opts {
    comment: Option<Vec<u8>>,
    home: Option<Vec<u8>>,
    base: Option<Vec<u8>>,
    shell: Option<Vec<u8>>,
    group: Option<Vec<u8>>,
    groups: Option<Vec<u8>>,
    uid: Option<Vec<u8>>,
    non_unique: bool,
    create_home: Option<bool>,
    user_group: Option<bool>,
    system: bool,
    password: Option<Vec<u8>>,
    expire: Option<Vec<u8>>,
    inactive: Option<Vec<u8>>,
    skel: Option<Vec<u8>>,
    defaults: bool,
    badname: bool,
    root: PathBuf,
    names: Vec<Vec<u8>>,
}

fn usage(msg: &str) -> Error {
    Error::usage(msg.to_string()).with_status(E_USAGE)
}

fn bad(msg: String) -> Error {
    Error::msg(msg).with_status(E_BAD_ARG)
}

fn parse(ctx: &Ctx<'_>) -> Result<Opts, Error> {
    let mut o = Opts {
        root: PathBuf::from("/"),
        ..Opts::default()
    };
    let mut p = ctx.opts(LONGS);
    while let Some(arg) = p.next().map_err(|e| e.with_status(E_USAGE))? {
        let val = |p: &mut crate::opts::Opts| p.value().map_err(|e| e.with_status(E_USAGE));
        match arg {
            Arg::Short('c') | Arg::Long("comment") => o.comment = Some(val(&mut p)?),
            Arg::Short('d') | Arg::Long("home-dir") => o.home = Some(val(&mut p)?),
            Arg::Short('b') | Arg::Long("base-dir") => o.base = Some(val(&mut p)?),
            Arg::Short('s') | Arg::Long("shell") => o.shell = Some(val(&mut p)?),
            Arg::Short('g') | Arg::Long("gid") => o.group = Some(val(&mut p)?),
            Arg::Short('G') | Arg::Long("groups") => o.groups = Some(val(&mut p)?),
            Arg::Short('u') | Arg::Long("uid") => o.uid = Some(val(&mut p)?),
            Arg::Short('o') | Arg::Long("non-unique") => o.non_unique = true,
            Arg::Short('m') | Arg::Long("create-home") => o.create_home = Some(true),
            Arg::Short('M') | Arg::Long("no-create-home") => o.create_home = Some(false),
            Arg::Short('N') | Arg::Long("no-user-group") => {
                if o.user_group == Some(true) {
                    return Err(usage("options -U and -N conflict"));
                }
                o.user_group = Some(false)
            }
            Arg::Short('U') | Arg::Long("user-group") => {
                if o.user_group == Some(false) {
                    return Err(usage("options -U and -N conflict"));
                }
                o.user_group = Some(true)
            }
            Arg::Short('r') | Arg::Long("system") => o.system = true,
            Arg::Short('p') | Arg::Long("password") => o.password = Some(val(&mut p)?),
            Arg::Short('e') | Arg::Long("expiredate") => o.expire = Some(val(&mut p)?),
            Arg::Short('f') | Arg::Long("inactive") => o.inactive = Some(val(&mut p)?),
            Arg::Short('k') | Arg::Long("skel") => o.skel = Some(val(&mut p)?),
            Arg::Short('R') | Arg::Long("root") => o.root = root_path(val(&mut p)?),
            Arg::Short('D') | Arg::Long("defaults") => o.defaults = true,
            Arg::Short('l') | Arg::Long("no-log-init") => {}
            Arg::Long("badname") => o.badname = true,
            Arg::Value(v) => o.names.push(v),
            other => return Err(p.unexpected(&other).with_status(E_USAGE)),
        }
    }
    if o.user_group == Some(true) && o.group.is_some() {
        return Err(usage("options -U and -g conflict"));
    }
    if o.non_unique && o.uid.is_none() {
        return Err(usage("-o flag is only allowed with the -u flag"));
    }
    if o.skel.is_some() && o.create_home != Some(true) {
        return Err(usage("-k flag is only allowed with the -m flag"));
    }
    Ok(o)
}

/// /etc/default/useradd: `KEY=VALUE` lines.
struct Defaults {
    path: PathBuf,
    lines: Vec<String>,
}

impl Defaults {
    fn load(root: &Path) -> Defaults {
        let path = root.join("etc/default/useradd");
        let text = std::fs::read(&path).unwrap_or_default();
        Defaults {
            path,
            lines: String::from_utf8_lossy(&text)
                .lines()
                .map(str::to_string)
                .collect(),
        }
    }

    fn get(&self, key: &str) -> Option<String> {
        self.lines.iter().rev().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
        })
    }

    fn value(&self, key: &str, default: &str) -> String {
        self.get(key).unwrap_or_else(|| default.to_string())
    }

    fn set(&mut self, key: &str, value: &str) {
        let line = format!("{key}={value}");
        match self
            .lines
            .iter()
            .position(|l| l.split_once('=').is_some_and(|(k, _)| k.trim() == key))
        {
            Some(i) => self.lines[i] = line,
            None => self.lines.push(line),
        }
    }
}

/// The built-in defaults behind /etc/default/useradd.
const BUILTIN: &[(&str, &str)] = &[
    ("GROUP", "100"),
    ("HOME", "/home"),
    ("INACTIVE", "-1"),
    ("EXPIRE", ""),
    ("SHELL", "/bin/sh"),
    ("SKEL", "/etc/skel"),
    ("CREATE_MAIL_SPOOL", "no"),
];

fn builtin(key: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| v)
}

/// Days since the epoch of a `YYYY-MM-DD` date, or of a plain day number; empty and
/// `-1` mean never (an empty field).
fn expire_days(v: &[u8]) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(v).ok()?;
    if s.is_empty() || s == "-1" {
        return Some(Vec::new());
    }
    if s.bytes().all(|c| c.is_ascii_digit()) {
        return Some(s.as_bytes().to_vec());
    }
    let mut it = s.splitn(3, '-');
    let (y, m, d) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || d < 1 || d > crate::common::time::days_in_month(y, m) {
        return None;
    }
    Some(
        crate::common::time::days_from_civil(y, m, d)
            .to_string()
            .into_bytes(),
    )
}

fn show_or_set_defaults(ctx: &mut Ctx<'_>, o: &Opts) -> Result<(), Error> {
    let mut d = Defaults::load(&o.root);
    let changes = o.base.is_some()
        || o.shell.is_some()
        || o.group.is_some()
        || o.expire.is_some()
        || o.inactive.is_some();
    if !changes {
        let mut out = String::new();
        for (k, v) in BUILTIN {
            out.push_str(&format!("{k}={}\n", d.value(k, v)));
        }
        ctx.stdout.write_all(out.as_bytes())?;
        return Ok(());
    }
    if let Some(g) = &o.group {
        let db = Db::open(&o.root, CODES)?;
        let f = db.group_by_spec(g).ok_or_else(|| {
            Error::msg(format!("group '{}' does not exist", t(g))).with_status(E_NOTFOUND)
        })?;
        d.set("GROUP", &t(&f[2]));
    }
    if let Some(v) = &o.base {
        d.set("HOME", &t(v));
    }
    if let Some(v) = &o.shell {
        d.set("SHELL", &t(v));
    }
    if let Some(v) = &o.inactive {
        d.set("INACTIVE", &t(v));
    }
    if let Some(v) = &o.expire {
        d.set("EXPIRE", &t(v));
    }
    let mut text = d.lines.join("\n");
    text.push('\n');
    if let Some(dir) = d.path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    accountdb::write_atomic(&d.path, text.as_bytes(), 0o644, None)
        .map_err(|_| Error::msg("cannot create new defaults file").with_status(1))
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let o = parse(ctx)?;
    if o.defaults {
        if !o.names.is_empty() {
            return Err(usage("-D takes no LOGIN"));
        }
        return show_or_set_defaults(ctx, &o);
    }
    let name = match &o.names[..] {
        [one] => one.clone(),
        [] => return Err(usage("missing LOGIN")),
        [_, extra, ..] => return Err(usage(&format!("extra operand '{}'", t(extra)))),
    };
    if !o.badname && !accountdb::valid_name(&name) {
        return Err(bad(format!(
            "invalid user name '{}': use --badname to ignore",
            t(&name)
        )));
    }
    let defaults = Defaults::load(&o.root);
    let defs = LoginDefs::load(&o.root);
    let field_ok = |v: &[u8]| !v.contains(&b':') && !v.contains(&b'\n');
    let comment = o.comment.clone().unwrap_or_default();
    if !field_ok(&comment) {
        return Err(bad(format!("invalid comment '{}'", t(&comment))));
    }
    let base = o
        .base
        .clone()
        .unwrap_or_else(|| defaults.value("HOME", builtin("HOME")).into_bytes());
    let home = o
        .home
        .clone()
        .unwrap_or_else(|| [base.as_slice(), b"/", &name].concat());
    if !field_ok(&home) || !home.starts_with(b"/") {
        return Err(bad(format!("invalid home directory '{}'", t(&home))));
    }
    let shell = o
        .shell
        .clone()
        .unwrap_or_else(|| defaults.value("SHELL", builtin("SHELL")).into_bytes());
    if !field_ok(&shell) || (!shell.is_empty() && !shell.starts_with(b"/")) {
        return Err(bad(format!("invalid shell '{}'", t(&shell))));
    }
    let password = o.password.clone().unwrap_or_else(|| b"!".to_vec());
    if !field_ok(&password) {
        return Err(bad("invalid field 'password'".to_string()));
    }
    let expire = match &o.expire {
        Some(v) => expire_days(v).ok_or_else(|| bad(format!("invalid date '{}'", t(v))))?,
        None => expire_days(defaults.value("EXPIRE", "").as_bytes()).unwrap_or_default(),
    };
    let inactive = match &o.inactive {
        Some(v) => v.clone(),
        None => defaults.value("INACTIVE", "-1").into_bytes(),
    };
    let inactive = match std::str::from_utf8(&inactive)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
    {
        Some(-1) => Vec::new(),
        Some(n) if n >= 0 => n.to_string().into_bytes(),
        _ => return Err(bad(format!("invalid numeric argument '{}'", t(&inactive)))),
    };
    let uid_arg = match &o.uid {
        Some(v) => Some(
            accountdb::parse_u32(v)
                .filter(|&u| u != u32::MAX)
                .ok_or_else(|| bad(format!("invalid user ID '{}'", t(v))))?,
        ),
        None => None,
    };

    let mut db = Db::open(&o.root, CODES)?;
    if db.user(&name).is_some() {
        return Err(
            Error::msg(format!("user '{}' already exists", t(&name))).with_status(E_NAME_IN_USE)
        );
    }
    let user_group = o
        .user_group
        .unwrap_or_else(|| o.group.is_none() && defs.yes("USERGROUPS_ENAB"));
    let mut supplementary = Vec::new();
    if let Some(list) = &o.groups {
        for g in list.split(|&c| c == b',').filter(|g| !g.is_empty()) {
            let f = db.group_by_spec(g).ok_or_else(|| {
                Error::msg(format!("group '{}' does not exist", t(g))).with_status(E_NOTFOUND)
            })?;
            if !supplementary.contains(&f[0]) {
                supplementary.push(f[0].clone());
            }
        }
    }
    let primary = match &o.group {
        Some(g) => Some(db.group_by_spec(g).ok_or_else(|| {
            Error::msg(format!("group '{}' does not exist", t(g))).with_status(E_NOTFOUND)
        })?),
        None => None,
    };
    if user_group && db.group_named(&name).is_some() {
        return Err(Error::msg(format!(
            "group {} exists - if you want to add this user to that group, use -g.",
            t(&name)
        ))
        .with_status(E_NAME_IN_USE));
    }
    let uid = match uid_arg {
        Some(u) => {
            if db.uid_used(u) && !o.non_unique {
                return Err(Error::msg(format!("UID {u} is not unique")).with_status(E_UID_IN_USE));
            }
            u
        }
        None => {
            let (lo, hi) = defs.id_range(false, o.system);
            accountdb::next_id(&db.passwd.ids(2), lo, hi, o.system).ok_or_else(|| {
                Error::msg("can't get unique UID (no more available UIDs)")
                    .with_status(E_UID_IN_USE)
            })?
        }
    };
    let gid = if user_group {
        let used = db.group.ids(2);
        let gid = if !used.contains(&uid) {
            uid
        } else {
            let (lo, hi) = defs.id_range(true, o.system);
            accountdb::next_id(&used, lo, hi, o.system)
                .ok_or_else(|| Error::msg("can't create group").with_status(4))?
        };
        db.group.push(&[
            name.clone(),
            b("x"),
            gid.to_string().into_bytes(),
            Vec::new(),
        ]);
        db.gshadow
            .push(&[name.clone(), b("!"), Vec::new(), Vec::new()]);
        gid
    } else {
        match &primary {
            Some(f) => accountdb::parse_u32(&f[2]).unwrap_or(0),
            None => {
                let g = defaults.value("GROUP", builtin("GROUP"));
                match db.group_by_spec(g.as_bytes()) {
                    Some(f) => accountdb::parse_u32(&f[2]).unwrap_or(100),
                    None => g.parse().unwrap_or(100),
                }
            }
        }
    };
    db.passwd.push(&[
        name.clone(),
        b("x"),
        uid.to_string().into_bytes(),
        gid.to_string().into_bytes(),
        comment,
        home.clone(),
        shell,
    ]);
    let aging = |key: &str| -> Vec<u8> {
        match defs.get(key).and_then(|v| v.parse::<i64>().ok()) {
            Some(n) if n >= 0 && !o.system => n.to_string().into_bytes(),
            _ => Vec::new(),
        }
    };
    if db.shadow.exists {
        db.shadow.push(&[
            name.clone(),
            password,
            accountdb::today().to_string().into_bytes(),
            aging("PASS_MIN_DAYS"),
            aging("PASS_MAX_DAYS"),
            aging("PASS_WARN_AGE"),
            inactive,
            expire,
            Vec::new(),
        ]);
    } else {
        let i = db.passwd.lines.len() - 1;
        let mut f = db.passwd.fields(i);
        f[1] = password;
        db.passwd.set(i, &f);
    }
    for g in &supplementary {
        db.add_member(g, &name);
    }
    db.save(CODES)?;
    let create = o
        .create_home
        .unwrap_or_else(|| !o.system && defs.yes("CREATE_HOME"));
    if create {
        let dir = util::under(&o.root, &home);
        let skel = o
            .skel
            .clone()
            .unwrap_or_else(|| defaults.value("SKEL", builtin("SKEL")).into_bytes());
        make_home(
            ctx,
            &dir,
            &util::under(&o.root, &skel),
            &home,
            uid,
            gid,
            util::home_mode(&defs),
        )?;
    }
    Ok(())
}

/// Creates the home `dir` with `mode` and the skeleton's files, all owned by the user;
/// an existing one is left alone, with shadow-utils' warning.
fn make_home(
    ctx: &mut Ctx<'_>,
    dir: &Path,
    skel: &Path,
    shown: &[u8],
    uid: u32,
    gid: u32,
    mode: u32,
) -> Result<(), Error> {
    if dir.exists() {
        ctx.note(format!("warning: the home directory {} already exists.", t(shown)).as_bytes());
        ctx.note(b"Not copying any file from skel directory into it.");
        return Ok(());
    }
    let fail = |e: std::io::Error| {
        Error::msg(format!(
            "cannot create directory {}: {}",
            t(shown),
            crate::error::strerror(&e)
        ))
        .with_status(E_HOMEDIR)
    };
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::create_dir(dir).map_err(fail)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).map_err(fail)?;
    util::copy_skel(skel, dir, uid, gid).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_dates() {
        assert_eq!(expire_days(b"2030-01-02"), Some(b"21916".to_vec()));
        assert_eq!(expire_days(b""), Some(Vec::new()));
        assert_eq!(expire_days(b"-1"), Some(Vec::new()));
        assert_eq!(expire_days(b"2030-02-30"), None);
        assert_eq!(expire_days(b"soon"), None);
    }
}
