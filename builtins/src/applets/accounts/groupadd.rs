//! `groupadd` (shadow-utils' form): add a group to group and gshadow. `-g GID` (`-o` to
//! allow one in use), `-r` a system group (highest free id below GID_MIN), `-f` success
//! when the group exists (and another gid when `-g`'s is taken). Statuses: 2 usage,
//! 3 bad argument, 4 gid in use, 9 name in use, 10 files not written.

use std::path::PathBuf;

use super::util::{Codes, Db, b, one_operand, root_path, t};
use crate::common::accountdb::{self, LoginDefs};
use crate::prelude::*;

/// The `groupadd` applet.
pub const APPLET: Applet = Applet::new("groupadd", main, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[-g GID [-o]] [-r] [-f] [-p HASH] [-R DIR] GROUP")
    .help(
        "Create the group GROUP.\n\n\
         -g, --gid GID\tThe group id\n\
         -o, --non-unique\tAllow a gid already in use\n\
         -r, --system\tA system group\n\
         -f, --force\tSucceed if GROUP exists; pick another gid if GID is taken\n\
         -p, --password HASH\tThe already hashed group password\n\
         -R, --root DIR\tChange the files under DIR",
    );

const LONGS: &[&str] = &[
    "gid",
    "non-unique",
    "system",
    "force",
    "password",
    "root",
    "key",
];
const CODES: Codes = Codes {
    passwd: 10,
    group: 10,
};

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut gid, mut non_unique, mut system, mut force, mut password) =
        (None, false, false, false, None);
    let mut root = PathBuf::from("/");
    let mut names = Vec::new();
    let mut p = ctx.opts(LONGS);
    while let Some(arg) = p.next().map_err(|e| e.with_status(2))? {
        match arg {
            Arg::Short('g') | Arg::Long("gid") => {
                gid = Some(p.value().map_err(|e| e.with_status(2))?)
            }
            Arg::Short('o') | Arg::Long("non-unique") => non_unique = true,
            Arg::Short('r') | Arg::Long("system") => system = true,
            Arg::Short('f') | Arg::Long("force") => force = true,
            Arg::Short('p') | Arg::Long("password") => {
                password = Some(p.value().map_err(|e| e.with_status(2))?)
            }
            Arg::Short('R') | Arg::Long("root") => {
                root = root_path(p.value().map_err(|e| e.with_status(2))?)
            }
            Arg::Value(v) => names.push(v),
            other => return Err(p.unexpected(&other).with_status(2)),
        }
    }
    let name = one_operand(&names, "GROUP")?;
    if non_unique && gid.is_none() {
        return Err(Error::usage("-o flag is only allowed with the -g flag").with_status(2));
    }
    if !accountdb::valid_name(&name) {
        return Err(Error::msg(format!("'{}' is not a valid group name", t(&name))).with_status(3));
    }
    let wanted = match &gid {
        Some(v) => Some(
            accountdb::parse_u32(v)
                .filter(|&g| g != u32::MAX)
                .ok_or_else(|| Error::msg(format!("invalid group ID '{}'", t(v))).with_status(3))?,
        ),
        None => None,
    };
    let mut db = Db::open(&root, CODES)?;
    if db.group_named(&name).is_some() {
        if force {
            return Ok(());
        }
        return Err(Error::msg(format!("group '{}' already exists", t(&name))).with_status(9));
    }
    let defs = LoginDefs::load(&root);
    let used = db.group.ids(2);
    let gid = match wanted {
        Some(g) if !used.contains(&g) || non_unique => g,
        Some(g) if !force => {
            return Err(Error::msg(format!("GID '{g}' already exists")).with_status(4));
        }
        _ => {
            let (lo, hi) = defs.id_range(true, system);
            accountdb::next_id(&used, lo, hi, system).ok_or_else(|| {
                Error::msg("Can't get unique GID (no more available GIDs)").with_status(4)
            })?
        }
    };
    let pass = password.unwrap_or_else(|| b("!"));
    db.group.push(&[
        name.clone(),
        b("x"),
        gid.to_string().into_bytes(),
        Vec::new(),
    ]);
    db.gshadow.push(&[name, pass, Vec::new(), Vec::new()]);
    db.save(CODES)
}
