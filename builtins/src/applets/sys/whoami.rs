//! `whoami`: print the effective user's name.

use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `whoami` applet.
pub const APPLET: Applet = Applet::new("whoami", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .help("Print the user name of the effective user id (like id -un).");

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut opts = ctx.opts(&[]);
    if let Some(arg) = opts.next()? {
        return Err(opts.unexpected(&arg));
    }
    let uid = nix::unistd::geteuid().as_raw();
    let line = name_line(&Accounts::load(), uid)?;
    ctx.stdout.write_all(&line)?;
    Ok(())
}

/// The name of `uid` and a newline, or GNU's error.
fn name_line(acc: &Accounts, uid: u32) -> Result<Vec<u8>, Error> {
    let user = acc
        .user_by_uid(uid)
        .ok_or_else(|| Error::msg(format!("cannot find name for user ID {uid}")))?;
    let mut line = user.name.clone();
    line.push(b'\n');
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::passwd::parse_users;
    use crate::testing::run;

    #[test]
    fn names_from_fixed_accounts() {
        let acc = Accounts {
            users: parse_users(b"root:x:0:0::/:/bin/sh\nbob:x:7:7::/:/bin/sh\n"),
            groups: Vec::new(),
        };
        assert_eq!(name_line(&acc, 7).unwrap(), b"bob\n");
        assert_eq!(
            name_line(&acc, 9).unwrap_err().to_string(),
            "cannot find name for user ID 9"
        );
    }

    #[test]
    fn root_and_operands() {
        if nix::unistd::geteuid().as_raw() == 0 {
            assert_eq!(run("whoami", &[], b"").out(), "root\n");
        }
        let r = run("whoami", &["x"], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with("whoami: extra operand 'x'\n"));
    }
}
