//! `groups`: print the groups a user (or the current process) is in.

use super::id::{Ids, no_such_user};
use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `groups` applet.
pub const APPLET: Applet = Applet::new("groups", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[USER]...")
    .help(
        "Print the group names of each USER (as `USER : GROUP...`), or of the current\n\
         process.",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut users = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => users.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let acc = Accounts::load();
    if users.is_empty() {
        let line = group_line(ctx, &acc, None, &Ids::current());
        ctx.stdout.write_all(&line)?;
    }
    for spec in &users {
        match Ids::of_user(&acc, spec) {
            Some((name, ids)) => {
                let line = group_line(ctx, &acc, Some(&name), &ids);
                ctx.stdout.write_all(&line)?;
            }
            None => {
                let msg = no_such_user(spec).message;
                ctx.warn_msg(&msg);
            }
        }
    }
    Ok(())
}

/// `[USER : ]GROUP GROUP...` and a newline; a group without a name prints its number
/// after a warning, as GNU does.
fn group_line(ctx: &mut Ctx<'_>, acc: &Accounts, user: Option<&[u8]>, ids: &Ids) -> Vec<u8> {
    let mut line = Vec::new();
    if let Some(u) = user {
        line.extend_from_slice(u);
        line.extend_from_slice(b" : ");
    }
    for (i, g) in ids.group_list().into_iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        match acc.group_by_gid(g) {
            Some(grp) => line.extend_from_slice(&grp.name),
            None => {
                ctx.warn_msg(format!("cannot find name for group ID {g}").as_bytes());
                line.extend_from_slice(g.to_string().as_bytes());
            }
        }
    }
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn named_users_get_a_prefix() {
        let r = run("groups", &["root"], b"");
        assert_eq!((r.status, r.out()), (0, "root : root\n".into()));
        let r = run("groups", &["no-such-user-here", "root"], b"");
        assert_eq!(r.status, 1);
        assert_eq!(r.out(), "root : root\n");
        assert_eq!(r.err(), "groups: 'no-such-user-here': no such user\n");
    }

    #[test]
    fn the_current_process() {
        if nix::unistd::geteuid().as_raw() == 0 {
            assert!(run("groups", &[], b"").out().starts_with("root"));
        }
        assert_eq!(run("groups", &["-x"], b"").status, 1);
    }
}
