//! `passwd`: change a user's password (asked twice without echo, the old one first for
//! a non-root user; or one line with `--stdin`), or delete, lock, unlock, expire it, or
//! show its status. Hashes are SHA-512 crypt unless `-a`/`-m` or login.defs say
//! otherwise. Messages and statuses as shadow-utils' passwd.

use std::path::PathBuf;

use super::util::{self, Codes, Db, root_path, t};
use crate::common::accountdb::{self, LoginDefs};
use crate::common::crypt::{self, Method};
use crate::prelude::*;

/// The `passwd` applet.
pub const APPLET: Applet = Applet::new("passwd", main, Run::Exec)
    .dir(InstallDir::UsrBin)
    .usage("[-a ALGO | -m] [-d | -l | -u | -e | -S [-a]] [--stdin] [-q] [-R DIR] [USER]")
    .help(
        "Change USER's password (yours without USER).\n\n\
         -a ALGO\tHash with ALGO: sha512 (default), sha256 or md5 (with -S: all users)\n\
         -m\tHash with MD5\n\
         -d\tDelete the password (the account needs none)\n\
         -l\tLock the password (a '!' before the hash)\n\
         -u\tUnlock the password\n\
         -e\tExpire the password (changed on the next login)\n\
         -S\tShow the password status\n\
         -s, --stdin\tRead the new password from one line of standard input\n\
         -q\tQuiet\n\
         -R DIR\tChange the files under DIR",
    );

const LONGS: &[&str] = &[
    "delete", "lock", "unlock", "expire", "status", "stdin", "quiet", "root", "all", "algo", "md5",
];

/// shadow-utils' statuses.
const E_NOPERM: u8 = 1;
const E_USAGE: u8 = 2;
const E_FAILURE: u8 = 3;
const E_PWDBUSY: u8 = 5;
const E_NOUSER: u8 = 6;
const E_AUTH: u8 = 10;

const CODES: Codes = Codes {
    passwd: E_PWDBUSY,
    group: E_PWDBUSY,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Change,
    Delete,
    Lock,
    Unlock,
    Expire,
    Status,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let status_mode = ctx.args.iter().any(|a| {
        a == b"-S"
            || a == b"--status"
            || (a.starts_with(b"-") && !a.starts_with(b"--") && a.contains(&b'S'))
    });
    let (mut action, mut method, mut from_stdin, mut quiet, mut all) =
        (None, None, false, false, false);
    let mut root = PathBuf::from("/");
    let mut users = Vec::new();
    let mut opts = ctx.opts(LONGS);
    let set = |a: &mut Option<Action>, new: Action| -> Result<(), Error> {
        if a.is_some_and(|old| old != new) {
            return Err(
                Error::usage("only one of -d, -l, -u, -e and -S may be given").with_status(E_USAGE),
            );
        }
        *a = Some(new);
        Ok(())
    };
    while let Some(arg) = opts.next().map_err(|e| e.with_status(E_USAGE))? {
        match arg {
            Arg::Short('d') | Arg::Long("delete") => set(&mut action, Action::Delete)?,
            Arg::Short('l') | Arg::Long("lock") => set(&mut action, Action::Lock)?,
            Arg::Short('u') | Arg::Long("unlock") => set(&mut action, Action::Unlock)?,
            Arg::Short('e') | Arg::Long("expire") => set(&mut action, Action::Expire)?,
            Arg::Short('S') | Arg::Long("status") => set(&mut action, Action::Status)?,
            Arg::Short('a') | Arg::Long("all") if status_mode => all = true,
            Arg::Short('a') | Arg::Long("algo") => {
                let v = opts.value().map_err(|e| e.with_status(E_USAGE))?;
                method = Some(util::method_named(&v).ok_or_else(|| {
                    Error::msg(format!("unsupported crypt method: {}", t(&v))).with_status(E_USAGE)
                })?);
            }
            Arg::Short('m') | Arg::Long("md5") => method = Some(Method::Md5),
            Arg::Short('s') | Arg::Long("stdin") => from_stdin = true,
            Arg::Short('q') | Arg::Long("quiet") => quiet = true,
            Arg::Short('R') | Arg::Long("root") => {
                root = root_path(opts.value().map_err(|e| e.with_status(E_USAGE))?)
            }
            Arg::Value(v) => users.push(v),
            other => return Err(opts.unexpected(&other).with_status(E_USAGE)),
        }
    }
    if users.len() > 1 {
        return Err(opts
            .unexpected(&Arg::Value(users.swap_remove(1)))
            .with_status(E_USAGE));
    }
    let action = action.unwrap_or(Action::Change);
    let root_caller = util::is_root();
    if action == Action::Status && all {
        if !root_caller {
            return Err(Error::msg("Permission denied.").with_status(E_NOPERM));
        }
        let db = Db::read(&root)?;
        for i in 0..db.passwd.lines.len() {
            let f = db.passwd.fields(i);
            if f.len() >= 7 {
                let line = status_line(&db, &f[0]);
                ctx.stdout.write_all(&line)?;
            }
        }
        return Ok(());
    }
    let mut db = if action == Action::Status {
        Db::read(&root)?
    } else {
        Db::open(&root, CODES)?
    };
    let me = util::caller_name(&db);
    let name = match users.pop() {
        Some(u) => u,
        None => me
            .clone()
            .ok_or_else(|| Error::msg("Cannot determine your user name.").with_status(E_NOUSER))?,
    };
    if db.user(&name).is_none() {
        return Err(Error::msg(format!("user '{}' does not exist", t(&name))).with_status(E_NOPERM));
    }
    if !root_caller
        && (me.as_deref() != Some(&name[..])
            || action != Action::Change && action != Action::Status)
    {
        return Err(Error::msg(format!(
            "You may not view or modify password information for {}.",
            t(&name)
        ))
        .with_status(E_NOPERM));
    }
    let old = db.hash_of(&name).unwrap_or_default();
    let changed_msg = |ctx: &mut Ctx<'_>, what: &str| -> Result<(), Error> {
        if !quiet {
            ctx.stdout
                .write_all(format!("passwd: {what}.\n").as_bytes())?;
        }
        Ok(())
    };
    match action {
        Action::Status => {
            let line = status_line(&db, &name);
            ctx.stdout.write_all(&line)?;
            Ok(())
        }
        Action::Delete => {
            db.set_hash(&name, b"", None);
            db.save(CODES)?;
            changed_msg(ctx, "password changed")
        }
        Action::Lock => {
            if !old.starts_with(b"!") {
                db.set_hash(&name, &[b"!".as_slice(), &old].concat(), None);
                db.save(CODES)?;
            }
            changed_msg(ctx, "password changed")
        }
        Action::Unlock => {
            if let Some(rest) = old.strip_prefix(b"!") {
                if rest.is_empty() {
                    ctx.stderr.write_all(
                        b"passwd: unlocking the password would result in a passwordless account.\n\
                          You should set a password with usermod -p to unlock the password of this account.\n",
                    )?;
                    return Err(Error::silent(E_FAILURE));
                }
                db.set_hash(&name, rest, None);
                db.save(CODES)?;
            }
            changed_msg(ctx, "password changed")
        }
        Action::Expire => {
            if let Some(i) = db.shadow.find(&name) {
                let mut f = db.shadow.fields(i);
                f.resize(f.len().max(9), Vec::new());
                f[2] = b"0".to_vec();
                db.shadow.set(i, &f);
                db.save(CODES)?;
            }
            changed_msg(ctx, "password expiry information changed")
        }
        Action::Change => {
            let new = if from_stdin {
                if !root_caller {
                    return Err(Error::msg("Only root can do that.").with_status(E_NOPERM));
                }
                match util::read_line(ctx)? {
                    Some(p) => p,
                    None => return Err(unchanged(ctx, "")),
                }
            } else {
                if !root_caller {
                    ctx.stdout
                        .write_all(format!("Changing password for {}.\n", t(&name)).as_bytes())?;
                    ctx.stdout.flush()?;
                    if !old.is_empty() {
                        let cur =
                            util::ask_password(ctx, "Current password: ")?.unwrap_or_default();
                        if crypt::verify(&cur, &old) != Some(true) {
                            return Err(unchanged(ctx, ""));
                        }
                    }
                }
                ask_new(ctx)?
            };
            let defs = LoginDefs::load(&root);
            let m = method.unwrap_or_else(|| util::default_method(&defs));
            let hash = crypt::hash(
                &new,
                m,
                util::default_rounds(&defs).filter(|_| m.has_rounds()),
            )
            .map_err(|e| Error::io(b"getrandom", &e).with_status(E_FAILURE))?;
            db.set_hash(&name, &hash, Some(accountdb::today()));
            db.save(CODES)?;
            if !quiet {
                ctx.stderr
                    .write_all(b"passwd: password updated successfully\n")?;
            }
            Ok(())
        }
    }
}

/// How many times an empty new password is asked again (as PAM's pam_unix).
const TRIES: usize = 3;

/// Asks the new password twice, as PAM does: an empty one is asked again (up to
/// [`TRIES`] times), end of input aborts, a mismatch ends it.
fn ask_new(ctx: &mut Ctx<'_>) -> Result<Vec<u8>, Error> {
    for _ in 0..TRIES {
        let Some(a) = util::ask_password(ctx, "New password: ")? else {
            return Err(unchanged(ctx, "Password change has been aborted.\n"));
        };
        let Some(b) = util::ask_password(ctx, "Retype new password: ")? else {
            return Err(unchanged(ctx, "Password change has been aborted.\n"));
        };
        if a.is_empty() && b.is_empty() {
            ctx.stderr.write_all(b"No password has been supplied.\n")?;
            continue;
        }
        if a != b {
            return Err(unchanged(ctx, "Sorry, passwords do not match.\n"));
        }
        return Ok(a);
    }
    Err(unchanged(ctx, ""))
}

/// Reports a refused change in PAM's words (after `why`), status 10.
fn unchanged(ctx: &mut Ctx<'_>, why: &str) -> Error {
    let _ = ctx.stderr.write_all(why.as_bytes());
    let _ = ctx.stderr.write_all(
        b"passwd: Authentication token manipulation error\npasswd: password unchanged\n",
    );
    Error::silent(E_AUTH)
}

/// `NAME STATUS LASTCHG MIN MAX WARN INACTIVE` as `passwd -S` prints it: status `L`
/// (locked), `NP` (no password) or `P`; the date as YYYY-MM-DD; -1 for empty fields.
pub fn status_line(db: &Db, name: &[u8]) -> Vec<u8> {
    let hash = db.hash_of(name).unwrap_or_default();
    let state = if hash.starts_with(b"!") || hash.starts_with(b"*") {
        "L"
    } else if hash.is_empty() {
        "NP"
    } else {
        "P"
    };
    let mut out = name.to_vec();
    out.extend_from_slice(format!(" {state}").as_bytes());
    if let Some(sp) = db.shadow.get(name) {
        let field = |i: usize| -> String {
            match sp
                .get(i)
                .and_then(|v| std::str::from_utf8(v).ok())
                .filter(|v| !v.is_empty())
            {
                Some(v) => v.to_string(),
                None => "-1".to_string(),
            }
        };
        let date = match sp.get(2).and_then(|v| accountdb::parse_u32(v)) {
            Some(0) | None => "never".to_string(),
            Some(d) => ymd(i64::from(d)),
        };
        out.extend_from_slice(
            format!(
                " {date} {} {} {} {}",
                field(3),
                field(4),
                field(5),
                field(6)
            )
            .as_bytes(),
        );
    }
    out.push(b'\n');
    out
}

/// The civil date of a day count since 1970-01-01.
fn ymd(days: i64) -> String {
    let (y, m, d) = crate::common::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_as_iso() {
        assert_eq!(ymd(19000), "2022-01-08");
        assert_eq!(ymd(0), "1970-01-01");
    }
}
