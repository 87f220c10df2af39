//! `id`: print user and group ids and names. Also the shared identity helpers of
//! `whoami` and `groups`.

use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `id` applet.
pub const APPLET: Applet = Applet::new("id", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-u | -g | -G] [-nrz] [USER]...")
    .help(
        "Print the user and group ids (with names) of USER, or of the current process.\n\n\
         -u\tPrint only the effective user id\n\
         -g\tPrint only the effective group id\n\
         -G\tPrint all group ids\n\
         -n\tPrint names instead of numbers (with -u, -g or -G)\n\
         -r\tPrint the real id instead of the effective one (with -u, -g or -G)\n\
         -z\tEnd entries with NUL, not space or newline (with -u, -g or -G)",
    );

const LONGS: &[&str] = &["user", "group", "groups", "name", "real", "zero", "context"];

/// The ids of a process or of a user's login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ids {
    /// Real user id.
    pub ruid: u32,
    /// Effective user id.
    pub euid: u32,
    /// Real group id.
    pub rgid: u32,
    /// Effective group id.
    pub egid: u32,
    /// Supplementary groups (may repeat the primary ones).
    pub groups: Vec<u32>,
}

impl Ids {
    /// The ids of this process.
    pub fn current() -> Ids {
        use nix::unistd;
        Ids {
            ruid: unistd::getuid().as_raw(),
            euid: unistd::geteuid().as_raw(),
            rgid: unistd::getgid().as_raw(),
            egid: unistd::getegid().as_raw(),
            groups: unistd::getgroups()
                .unwrap_or_default()
                .iter()
                .map(|g| g.as_raw())
                .collect(),
        }
    }

    /// The ids user `spec` (a name, or else a number) logs in with.
    pub fn of_user(acc: &Accounts, spec: &[u8]) -> Option<(Vec<u8>, Ids)> {
        let user = acc.user_by_name(spec).or_else(|| {
            let uid: u32 = std::str::from_utf8(spec).ok()?.parse().ok()?;
            acc.user_by_uid(uid)
        })?;
        Some((
            user.name.clone(),
            Ids {
                ruid: user.uid,
                euid: user.uid,
                rgid: user.gid,
                egid: user.gid,
                groups: acc.groups_of(&user.name, user.gid),
            },
        ))
    }

    /// Every group as GNU lists them: the real group, the effective one if different,
    /// then the supplementary groups without those two or repeats.
    pub fn group_list(&self) -> Vec<u32> {
        let mut list = vec![self.rgid];
        if self.egid != self.rgid {
            list.push(self.egid);
        }
        for &g in &self.groups {
            if !list.contains(&g) {
                list.push(g);
            }
        }
        list
    }
}

/// The error for a user that does not exist.
pub fn no_such_user(spec: &[u8]) -> Error {
    Error::msg(format!("'{}': no such user", String::from_utf8_lossy(spec)))
}

/// `id`'s default line: `uid=0(root) gid=0(root) groups=0(root),1(bin)`, with `euid=`
/// and `egid=` when they differ from the real ids; ids without names print bare.
pub fn full_line(acc: &Accounts, ids: &Ids) -> Vec<u8> {
    let mut out = Vec::new();
    let user = |out: &mut Vec<u8>, key: &str, id: u32| {
        out.extend_from_slice(format!("{key}={id}").as_bytes());
        if let Some(u) = acc.user_by_uid(id) {
            out.push(b'(');
            out.extend_from_slice(&u.name);
            out.push(b')');
        }
    };
    let group = |out: &mut Vec<u8>, key: &str, id: u32| {
        out.extend_from_slice(format!("{key}{id}").as_bytes());
        if let Some(g) = acc.group_by_gid(id) {
            out.push(b'(');
            out.extend_from_slice(&g.name);
            out.push(b')');
        }
    };
    user(&mut out, "uid", ids.ruid);
    out.push(b' ');
    group(&mut out, "gid=", ids.rgid);
    if ids.euid != ids.ruid {
        out.push(b' ');
        user(&mut out, "euid", ids.euid);
    }
    if ids.egid != ids.rgid {
        out.push(b' ');
        group(&mut out, "egid=", ids.egid);
    }
    for (i, g) in ids.group_list().into_iter().enumerate() {
        group(&mut out, if i == 0 { " groups=" } else { "," }, g);
    }
    out.push(b'\n');
    out
}

/// What `id -u`, `-g` or `-G` prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    User,
    Group,
    Groups,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut only, mut names, mut real, mut zero) = (Vec::new(), false, false, false);
    let mut users = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('u') | Arg::Long("user") => only.push(Only::User),
            Arg::Short('g') | Arg::Long("group") => only.push(Only::Group),
            Arg::Short('G') | Arg::Long("groups") => only.push(Only::Groups),
            Arg::Short('n') | Arg::Long("name") => names = true,
            Arg::Short('r') | Arg::Long("real") => real = true,
            Arg::Short('z') | Arg::Long("zero") => zero = true,
            Arg::Short('a') => {}
            Arg::Short('Z') | Arg::Long("context") => {
                return Err(Error::msg(
                    "--context (-Z) works only on an SELinux-enabled kernel",
                ));
            }
            Arg::Value(v) => users.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    only.dedup();
    if only.len() > 1 {
        return Err(Error::usage(
            "cannot print \"only\" of more than one choice",
        ));
    }
    let only = only.first().copied();
    if only.is_none() && (names || real) {
        return Err(Error::usage(
            "cannot print only names or real IDs in default format",
        ));
    }
    if only.is_none() && zero {
        return Err(Error::usage(
            "option --zero not permitted in default format",
        ));
    }
    let acc = Accounts::load();
    let mut targets = Vec::new();
    if users.is_empty() {
        targets.push(Some(Ids::current()));
    }
    for spec in &users {
        match Ids::of_user(&acc, spec) {
            Some((_, ids)) => targets.push(Some(ids)),
            None => {
                let msg = no_such_user(spec).message;
                ctx.warn_msg(&msg);
                targets.push(None);
            }
        }
    }
    let mut out = Vec::new();
    for ids in targets.iter().flatten() {
        let Some(only) = only else {
            out.extend_from_slice(&full_line(&acc, ids));
            continue;
        };
        let (list, is_user) = match only {
            Only::User => (vec![if real { ids.ruid } else { ids.euid }], true),
            Only::Group => (vec![if real { ids.rgid } else { ids.egid }], false),
            Only::Groups => (ids.group_list(), false),
        };
        let delim = if zero { b'\0' } else { b' ' };
        for (i, id) in list.into_iter().enumerate() {
            if i > 0 {
                out.push(delim);
            }
            if !names {
                out.extend_from_slice(id.to_string().as_bytes());
                continue;
            }
            let name = if is_user {
                acc.user_by_uid(id).map(|u| u.name.clone())
            } else {
                acc.group_by_gid(id).map(|g| g.name.clone())
            };
            match name {
                Some(n) => out.extend_from_slice(&n),
                None => {
                    let kind = if is_user { "user" } else { "group" };
                    ctx.warn_msg(format!("cannot find name for {kind} ID {id}").as_bytes());
                    out.extend_from_slice(id.to_string().as_bytes());
                }
            }
        }
        out.push(if zero { b'\0' } else { b'\n' });
    }
    ctx.stdout.write_all(&out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::passwd::{parse_groups, parse_users};
    use crate::testing::run;

    fn db() -> Accounts {
        Accounts {
            users: parse_users(
                b"root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
            ),
            groups: parse_groups(b"root:x:0:\nwheel:x:10:alice\nalice:x:1000:\nstaff:x:50:alice\n"),
        }
    }

    #[test]
    fn full_lines_from_fixed_accounts() {
        let acc = db();
        let (name, ids) = Ids::of_user(&acc, b"alice").unwrap();
        assert_eq!(name, b"alice");
        assert_eq!(
            String::from_utf8(full_line(&acc, &ids)).unwrap(),
            "uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel),50(staff)\n"
        );
        assert_eq!(Ids::of_user(&acc, b"0").unwrap().0, b"root");
        assert!(Ids::of_user(&acc, b"nobody").is_none());
        let odd = Ids {
            ruid: 1000,
            euid: 0,
            rgid: 1000,
            egid: 777,
            groups: vec![10, 1000, 4242, 10],
        };
        assert_eq!(
            String::from_utf8(full_line(&acc, &odd)).unwrap(),
            "uid=1000(alice) gid=1000(alice) euid=0(root) egid=777 \
             groups=1000(alice),777,10(wheel),4242\n"
        );
    }

    #[test]
    fn the_current_process_as_root() {
        if nix::unistd::geteuid().as_raw() != 0 {
            return;
        }
        let r = run("id", &[], b"");
        assert!(
            r.out()
                .starts_with("uid=0(root) gid=0(root) groups=0(root)"),
            "{}",
            r.out()
        );
        assert_eq!(run("id", &["-u"], b"").out(), "0\n");
        assert_eq!(run("id", &["-un"], b"").out(), "root\n");
        assert_eq!(run("id", &["-gnr"], b"").out(), "root\n");
        assert_eq!(run("id", &["-uz"], b"").stdout, b"0\0");
        assert_eq!(run("id", &["-u", "root", "root"], b"").out(), "0\n0\n");
    }

    #[test]
    fn errors_read_like_gnu() {
        let r = run("id", &["no-such-user-here"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "id: 'no-such-user-here': no such user\n".into())
        );
        let r = run("id", &["-ug"], b"");
        assert!(
            r.err()
                .starts_with("id: cannot print \"only\" of more than one choice\n")
        );
        let r = run("id", &["-n"], b"");
        assert!(
            r.err()
                .starts_with("id: cannot print only names or real IDs in default format\n")
        );
        let r = run("id", &["-z"], b"");
        assert!(
            r.err()
                .starts_with("id: option --zero not permitted in default format\n")
        );
        assert_eq!(run("id", &["-q"], b"").status, 1);
    }
}
