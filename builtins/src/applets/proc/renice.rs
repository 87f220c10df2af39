//! `renice`: change the niceness of running processes, process groups or users.

use crate::common::passwd::Accounts;
use crate::prelude::*;

/// The `renice` applet.
pub const APPLET: Applet = Applet::new("renice", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-n] PRIORITY [[-p | -g | -u] ID...]...")
    .help(
        "Set the niceness of each ID to PRIORITY (with -n, add PRIORITY to it).\n\n\
         -n\tPRIORITY is an increment\n\
         -p\tThe IDs that follow are process ids (the default)\n\
         -g\tThe IDs that follow are process group ids\n\
         -u\tThe IDs that follow are user names or ids",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = ctx.args.to_vec();
    let mut rest = &args[..];
    let relative = rest.first().is_some_and(|a| a == b"-n");
    if relative {
        rest = &rest[1..];
    }
    let Some((prio, ids)) = rest.split_first() else {
        return Err(Error::usage("missing priority"));
    };
    let prio: i32 = std::str::from_utf8(prio)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            Error::msg(format!(
                "invalid priority '{}'",
                String::from_utf8_lossy(prio)
            ))
        })?;
    if ids.is_empty() {
        return Err(Error::usage("missing ID"));
    }
    let mut which = libc::PRIO_PROCESS;
    let mut accounts: Option<Accounts> = None;
    for id in ids {
        match id.as_slice() {
            b"-p" => which = libc::PRIO_PROCESS,
            b"-g" => which = libc::PRIO_PGRP,
            b"-u" => which = libc::PRIO_USER,
            _ => {
                let text = String::from_utf8_lossy(id).into_owned();
                let number = if which == libc::PRIO_USER {
                    let acc = accounts.get_or_insert_with(Accounts::load);
                    acc.user_by_name(id)
                        .map(|u| u.uid)
                        .or_else(|| text.parse().ok())
                } else {
                    text.parse::<u32>().ok()
                };
                let Some(who) = number else {
                    ctx.warn_msg(format!("bad value '{text}'").as_bytes());
                    continue;
                };
                if let Err(e) = set(which, who, prio, relative) {
                    ctx.warn(format!("setpriority {text}").as_bytes(), &e);
                }
            }
        }
    }
    Ok(())
}

/// Sets (or with `relative`, raises by `prio`) the niceness of one target.
fn set(
    which: libc::__priority_which_t,
    who: u32,
    prio: i32,
    relative: bool,
) -> std::io::Result<()> {
    // SAFETY: get/setpriority have no memory effects; errno is thread-local.
    unsafe {
        let mut target = prio;
        if relative {
            *libc::__errno_location() = 0;
            let old = libc::getpriority(which, who);
            if old == -1 && *libc::__errno_location() != 0 {
                return Err(std::io::Error::last_os_error());
            }
            target = old + prio;
        }
        if libc::setpriority(which, who, target.clamp(-20, 19)) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}
