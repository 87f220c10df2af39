//! /etc/passwd and /etc/group, read directly (never through NSS: a static glibc would try
//! to dlopen modules). Used by ls, stat, id, chown, ps, su, httpd auth, ...

use std::io;
use std::path::Path;

/// One /etc/passwd entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Login name.
    pub name: Vec<u8>,
    /// The password field (usually `x`: see /etc/shadow).
    pub passwd: Vec<u8>,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// The comment (GECOS) field.
    pub gecos: Vec<u8>,
    /// Home directory.
    pub home: Vec<u8>,
    /// Login shell.
    pub shell: Vec<u8>,
}

/// One /etc/group entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Group name.
    pub name: Vec<u8>,
    /// The password field.
    pub passwd: Vec<u8>,
    /// Group id.
    pub gid: u32,
    /// Supplementary members, by login name.
    pub members: Vec<Vec<u8>>,
}

/// Parses passwd-format text; malformed lines are skipped, as libc does.
pub fn parse_users(text: &[u8]) -> Vec<User> {
    text.split(|&b| b == b'\n')
        .filter_map(|line| {
            let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
            if f.len() < 7 || f[0].is_empty() {
                return None;
            }
            Some(User {
                name: f[0].to_vec(),
                passwd: f[1].to_vec(),
                uid: parse_id(f[2])?,
                gid: parse_id(f[3])?,
                gecos: f[4].to_vec(),
                home: f[5].to_vec(),
                shell: f[6].to_vec(),
            })
        })
        .collect()
}

/// Parses group-format text; malformed lines are skipped.
pub fn parse_groups(text: &[u8]) -> Vec<Group> {
    text.split(|&b| b == b'\n')
        .filter_map(|line| {
            let f: Vec<&[u8]> = line.split(|&b| b == b':').collect();
            if f.len() < 4 || f[0].is_empty() {
                return None;
            }
            let members = f[3]
                .split(|&b| b == b',')
                .filter(|m| !m.is_empty())
                .map(<[u8]>::to_vec)
                .collect();
            Some(Group {
                name: f[0].to_vec(),
                passwd: f[1].to_vec(),
                gid: parse_id(f[2])?,
                members,
            })
        })
        .collect()
}

fn parse_id(field: &[u8]) -> Option<u32> {
    std::str::from_utf8(field).ok()?.parse().ok()
}

/// The account database: users and groups loaded once, then looked up by name or id.
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    /// Every user, in file order.
    pub users: Vec<User>,
    /// Every group, in file order.
    pub groups: Vec<Group>,
}

impl Accounts {
    /// Loads `/etc/passwd` and `/etc/group`; a missing file is an empty list.
    pub fn load() -> Accounts {
        Accounts::load_from(Path::new("/"))
    }

    /// Loads `ROOT/etc/passwd` and `ROOT/etc/group` (for tests and chroots).
    pub fn load_from(root: &Path) -> Accounts {
        let read = |p: &str| read_or_empty(&root.join(p)).unwrap_or_default();
        Accounts {
            users: parse_users(&read("etc/passwd")),
            groups: parse_groups(&read("etc/group")),
        }
    }

    /// The first user named `name`.
    pub fn user_by_name(&self, name: &[u8]) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// The first user with id `uid`.
    pub fn user_by_uid(&self, uid: u32) -> Option<&User> {
        self.users.iter().find(|u| u.uid == uid)
    }

    /// The first group named `name`.
    pub fn group_by_name(&self, name: &[u8]) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The first group with id `gid`.
    pub fn group_by_gid(&self, gid: u32) -> Option<&Group> {
        self.groups.iter().find(|g| g.gid == gid)
    }

    /// The user name for `uid`, or the number as text when it has no entry (as ls does).
    pub fn user_name(&self, uid: u32) -> Vec<u8> {
        self.user_by_uid(uid)
            .map_or_else(|| uid.to_string().into_bytes(), |u| u.name.clone())
    }

    /// The group name for `gid`, or the number as text when it has no entry.
    pub fn group_name(&self, gid: u32) -> Vec<u8> {
        self.group_by_gid(gid)
            .map_or_else(|| gid.to_string().into_bytes(), |g| g.name.clone())
    }

    /// A user id from a name or a number (`chown 1000 f` works without an entry).
    pub fn resolve_uid(&self, spec: &[u8]) -> Option<u32> {
        self.user_by_name(spec)
            .map(|u| u.uid)
            .or_else(|| parse_id(spec))
    }

    /// A group id from a name or a number.
    pub fn resolve_gid(&self, spec: &[u8]) -> Option<u32> {
        self.group_by_name(spec)
            .map(|g| g.gid)
            .or_else(|| parse_id(spec))
    }

    /// The groups of user `name` whose primary group is `primary`: the primary group
    /// first, then every group listing `name` as a member, without repeats.
    pub fn groups_of(&self, name: &[u8], primary: u32) -> Vec<u32> {
        let mut ids = vec![primary];
        for g in &self.groups {
            if g.members.iter().any(|m| m == name) && !ids.contains(&g.gid) {
                ids.push(g.gid);
            }
        }
        ids
    }
}

fn read_or_empty(path: &Path) -> io::Result<Vec<u8>> {
    match std::fs::read(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &[u8] = b"root:x:0:0:root:/root:/bin/sh\n\
        bad line\n\
        alice:x:1000:1000:Alice,,,:/home/alice:/bin/rbox\n\
        bob:x:notanumber:1:::\n";
    const GROUP: &[u8] =
        b"root:x:0:\nwheel:x:10:alice,bob\nalice:x:1000:\nstaff:x:50:carol,alice\n";

    fn db() -> Accounts {
        Accounts {
            users: parse_users(PASSWD),
            groups: parse_groups(GROUP),
        }
    }

    #[test]
    fn parses_valid_lines_and_skips_the_rest() {
        let users = parse_users(PASSWD);
        assert_eq!(users.len(), 2);
        assert_eq!(users[1].name, b"alice");
        assert_eq!((users[1].uid, users[1].gid), (1000, 1000));
        assert_eq!(users[1].home, b"/home/alice");
        assert_eq!(
            parse_groups(GROUP)[1].members,
            vec![b"alice".to_vec(), b"bob".to_vec()]
        );
    }

    #[test]
    fn lookups_by_name_and_id() {
        let db = db();
        assert_eq!(db.user_by_name(b"alice").map(|u| u.uid), Some(1000));
        assert_eq!(db.user_name(0), b"root");
        assert_eq!(db.user_name(4242), b"4242");
        assert_eq!(db.group_name(10), b"wheel");
        assert_eq!(db.resolve_uid(b"1234"), Some(1234));
        assert_eq!(db.resolve_gid(b"staff"), Some(50));
        assert_eq!(db.resolve_uid(b"nobody-here"), None);
    }

    #[test]
    fn supplementary_groups_in_file_order() {
        assert_eq!(db().groups_of(b"alice", 1000), vec![1000, 10, 50]);
        assert_eq!(db().groups_of(b"root", 0), vec![0]);
    }

    #[test]
    fn missing_files_mean_no_accounts() {
        let a = Accounts::load_from(Path::new("/nonexistent-root-for-rbox-tests"));
        assert!(a.users.is_empty() && a.groups.is_empty());
    }
}
