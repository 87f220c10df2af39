//! Starting a user's session, shared by `su` and `login`: the account (passwd, then the
//! shadow hash), the password check, the supplementary groups from /etc/group, the
//! switch of ids (setgroups, setgid, setuid), the environment, and the exec of the shell.

use std::ffi::CString;
use std::path::Path;

use super::util::{self, b, t};
use crate::common::accountdb::{self, File, Table};
use crate::common::crypt;
use crate::prelude::*;

/// The account a session runs as.
#[derive(Clone, Debug)]
pub struct Account {
    /// Login name.
    pub name: Vec<u8>,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Home directory.
    pub home: Vec<u8>,
    /// Login shell (`/bin/sh` when the field is empty).
    pub shell: Vec<u8>,
    /// The password hash (shadow's when passwd says `x`).
    pub hash: Vec<u8>,
}

impl Account {
    /// Reads `name`'s account from the files (no locking: nothing is written).
    pub fn find(name: &[u8]) -> Option<Account> {
        let root = Path::new("/");
        let pw = Table::load(root, File::Passwd).ok()?.get(name)?;
        if pw.len() < 7 {
            return None;
        }
        let mut hash = pw[1].clone();
        if hash == b"x"
            && let Some(sp) = Table::load(root, File::Shadow)
                .ok()
                .and_then(|s| s.get(name))
        {
            hash = sp.get(1).cloned().unwrap_or_default();
        }
        let shell = if pw[6].is_empty() {
            b("/bin/sh")
        } else {
            pw[6].clone()
        };
        Some(Account {
            name: pw[0].clone(),
            uid: accountdb::parse_u32(&pw[2])?,
            gid: accountdb::parse_u32(&pw[3])?,
            home: pw[5].clone(),
            shell,
            hash,
        })
    }

    /// Whether `password` opens the account: an empty hash needs none; a locked
    /// (`!`, `*`) or unknown hash never matches.
    pub fn password_ok(&self, password: &[u8]) -> bool {
        if self.hash.is_empty() {
            return true;
        }
        crypt::verify(password, &self.hash) == Some(true)
    }

    /// The supplementary groups: the primary one and every group listing the user.
    pub fn groups(&self) -> Vec<u32> {
        let acc = crate::common::passwd::Accounts::load();
        acc.groups_of(&self.name, self.gid)
    }

    /// Switches this process to the account: groups, then gid, then uid.
    pub fn switch_ids(&self) -> Result<(), Error> {
        use nix::unistd::{Gid, Uid, setgid, setgroups, setuid};
        let gids: Vec<Gid> = self.groups().into_iter().map(Gid::from_raw).collect();
        let fail =
            |what: &str, e: nix::errno::Errno| Error::io(what.as_bytes(), &std::io::Error::from(e));
        setgroups(&gids).map_err(|e| fail("cannot set groups", e))?;
        setgid(Gid::from_raw(self.gid)).map_err(|e| fail("cannot set group id", e))?;
        setuid(Uid::from_raw(self.uid)).map_err(|e| fail("cannot set user id", e))?;
        Ok(())
    }

    /// The default PATH of a login: root's has the sbin directories.
    pub fn login_path(&self) -> Vec<u8> {
        if self.uid == 0 {
            b("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        } else {
            b("/usr/local/bin:/usr/bin:/bin")
        }
    }
}

/// Sets `key` in an environment list (replacing an earlier value).
pub fn set_env(env: &mut Vec<(Vec<u8>, Vec<u8>)>, key: &[u8], value: &[u8]) {
    env.retain(|(k, _)| k != key);
    env.push((key.to_vec(), value.to_vec()));
}

/// The environment of a login: only TERM kept, then HOME SHELL USER LOGNAME PATH.
pub fn login_env(ctx: &Ctx<'_>, acct: &Account, shell: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut env = Vec::new();
    if let Some(term) = ctx.env.get(b"TERM") {
        env.push((b("TERM"), term.to_vec()));
    }
    set_user_env(&mut env, acct, shell);
    set_env(&mut env, b"PATH", &acct.login_path());
    env
}

/// Sets HOME, SHELL, USER and LOGNAME for `acct`.
pub fn set_user_env(env: &mut Vec<(Vec<u8>, Vec<u8>)>, acct: &Account, shell: &[u8]) {
    set_env(env, b"HOME", &acct.home);
    set_env(env, b"SHELL", shell);
    set_env(env, b"USER", &acct.name);
    set_env(env, b"LOGNAME", &acct.name);
}

/// Changes to the home directory; `false` when that failed (the caller says so).
pub fn enter_home(home: &[u8]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    // A session applet runs as its own process (Run::Exec): the chdir moves no shell.
    #[allow(clippy::disallowed_methods)]
    let ok = std::env::set_current_dir(std::ffi::OsStr::from_bytes(home)).is_ok();
    ok
}

/// Goes back to `/` after a failed [`enter_home`].
pub fn enter_root_dir() {
    #[allow(clippy::disallowed_methods)]
    let _ = std::env::set_current_dir("/");
}

/// `argv[0]` for `shell`: its base name, with a `-` before it for a login shell.
pub fn shell_argv0(shell: &[u8], login: bool) -> Vec<u8> {
    let base = shell.rsplit(|&c| c == b'/').next().unwrap_or(shell);
    if login {
        [b"-".as_slice(), base].concat()
    } else {
        base.to_vec()
    }
}

/// Replaces this process with `shell` run as `argv` in `env`; returns only with the
/// error to report: `failed to execute SHELL: reason`, 127 when it is missing, else 126.
pub fn exec_shell(shell: &[u8], argv: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> Error {
    let cstr = |v: &[u8]| CString::new(v.to_vec()).ok();
    let path = cstr(shell);
    let args: Option<Vec<CString>> = argv.iter().map(|a| cstr(a)).collect();
    let envp: Option<Vec<CString>> = env
        .iter()
        .map(|(k, v)| cstr(&[k.as_slice(), b"=", v.as_slice()].concat()))
        .collect();
    let err = match (path, args, envp) {
        (Some(p), Some(a), Some(e)) => match nix::unistd::execve(&p, &a, &e) {
            Err(e) => std::io::Error::from(e),
        },
        _ => std::io::Error::from_raw_os_error(libc::EINVAL),
    };
    let status = if err.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    };
    Error::io(format!("failed to execute {}", t(shell)).as_bytes(), &err).with_status(status)
}

/// Whether `shell` is listed in /etc/shells (or there is no /etc/shells).
pub fn shell_allowed(shell: &[u8]) -> bool {
    match std::fs::read("/etc/shells") {
        Ok(text) => text
            .split(|&c| c == b'\n')
            .map(|l| l.trim_ascii())
            .any(|l| l == shell),
        Err(_) => true,
    }
}

/// The read-only db lookup used for messages.
pub fn unknown_user(name: &[u8]) -> Error {
    Error::msg(format!(
        "user {} does not exist or the user entry does not contain all the required fields",
        t(name)
    ))
}

/// Asks for a password on the terminal (or standard input without one).
pub fn ask(ctx: &mut Ctx<'_>, prompt: &str) -> Result<Vec<u8>, Error> {
    Ok(util::ask_password(ctx, prompt)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv0_and_env() {
        assert_eq!(shell_argv0(b"/bin/sh", true), b"-sh");
        assert_eq!(shell_argv0(b"/usr/bin/rbox", false), b"rbox");
        let mut env = vec![(b("HOME"), b("/root")), (b("X"), b("1"))];
        let acct = Account {
            name: b("bob"),
            uid: 1000,
            gid: 1000,
            home: b("/home/bob"),
            shell: b("/bin/sh"),
            hash: Vec::new(),
        };
        set_user_env(&mut env, &acct, b"/bin/sh");
        assert_eq!(
            env.iter().find(|(k, _)| k == b"HOME").unwrap().1,
            b"/home/bob"
        );
        assert_eq!(env.len(), 5);
        assert!(acct.password_ok(b"anything"));
        let locked = Account {
            hash: b("!$6$x$y"),
            ..acct
        };
        assert!(!locked.password_ok(b""));
    }
}
