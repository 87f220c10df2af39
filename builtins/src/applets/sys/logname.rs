//! `logname`: print the login name.

use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `logname` applet.
pub const APPLET: Applet = Applet::new("logname", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .help(
        "Print the name of the user who logged in on this session (the audit login\n\
         uid of /proc/self/loginuid; utmp is not read).",
    );

/// The login uid of a process that was never part of a login session.
const UNSET: u32 = u32::MAX;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut opts = ctx.opts(&[]);
    if let Some(arg) = opts.next()? {
        return Err(opts.unexpected(&arg));
    }
    let loginuid = std::fs::read("/proc/self/loginuid").unwrap_or_default();
    let mut line =
        login_name(&Accounts::load(), &loginuid).ok_or_else(|| Error::msg("no login name"))?;
    line.push(b'\n');
    ctx.stdout.write_all(&line)?;
    Ok(())
}

/// The user name for the contents of /proc/self/loginuid, if it names one.
fn login_name(acc: &Accounts, loginuid: &[u8]) -> Option<Vec<u8>> {
    let uid: u32 = std::str::from_utf8(loginuid).ok()?.trim().parse().ok()?;
    if uid == UNSET {
        return None;
    }
    acc.user_by_uid(uid).map(|u| u.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::passwd::parse_users;
    use crate::testing::run;

    #[test]
    fn login_uid_to_name() {
        let acc = Accounts {
            users: parse_users(b"carol:x:1001:1001::/:/bin/sh\n"),
            groups: Vec::new(),
        };
        assert_eq!(login_name(&acc, b"1001"), Some(b"carol".to_vec()));
        assert_eq!(login_name(&acc, b"4294967295"), None);
        assert_eq!(login_name(&acc, b"1002"), None);
        assert_eq!(login_name(&acc, b""), None);
    }

    #[test]
    fn no_session_is_an_error() {
        let r = run("logname", &[], b"");
        if r.status != 0 {
            assert_eq!((r.status, r.err()), (1, "logname: no login name\n".into()));
        }
        assert!(
            run("logname", &["x"], b"")
                .err()
                .starts_with("logname: extra operand 'x'\n")
        );
    }
}
