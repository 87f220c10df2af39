//! `chpasswd`: set passwords in batch from `user:password` lines on standard input,
//! hashed with SHA-512 crypt (or `-c METHOD`, `-m`), or taken as already hashed with
//! `-e`. All lines or none: any bad line leaves every file as it was, as shadow-utils.

use std::path::PathBuf;

use super::util::{self, Codes, Db, root_path, t};
use crate::common::accountdb::{self, LoginDefs};
use crate::common::crypt::{self, Method};
use crate::prelude::*;

/// The `chpasswd` applet.
pub const APPLET: Applet = Applet::new("chpasswd", main, Run::Fork)
    .dir(InstallDir::UsrSbin)
    .usage("[-e] [-c SHA512|SHA256|MD5 | -m] [-s ROUNDS] [-R DIR]")
    .help(
        "Set passwords from 'user:password' lines on standard input.\n\n\
         -e, --encrypted\tThe passwords are already hashed\n\
         -c, --crypt-method M\tHash with M: SHA512 (default), SHA256, MD5 or NONE\n\
         -m, --md5\tHash with MD5\n\
         -s, --sha-rounds N\tRounds for the SHA methods\n\
         -R, --root DIR\tChange the files under DIR",
    );

const LONGS: &[&str] = &["encrypted", "crypt-method", "md5", "sha-rounds", "root"];

/// How the password text becomes the stored field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Hash(Method),
    Encrypted,
    Plain,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut mode, mut rounds) = (None, None);
    let mut root = PathBuf::from("/");
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('e') | Arg::Long("encrypted") => mode = Some(Mode::Encrypted),
            Arg::Short('m') | Arg::Long("md5") => mode = Some(Mode::Hash(Method::Md5)),
            Arg::Short('c') | Arg::Long("crypt-method") => {
                let v = opts.value()?;
                mode = Some(if v.eq_ignore_ascii_case(b"none") {
                    Mode::Plain
                } else {
                    Mode::Hash(
                        util::method_named(&v)
                            .filter(|_| !v.contains(&b'-'))
                            .ok_or_else(|| {
                                Error::usage(format!("unsupported crypt method: {}", t(&v)))
                            })?,
                    )
                });
            }
            Arg::Short('s') | Arg::Long("sha-rounds") => {
                rounds = Some(crate::opts::parse_number::<u32>(
                    &opts.value()?,
                    "numeric argument",
                )?)
            }
            Arg::Short('R') | Arg::Long("root") => root = root_path(opts.value()?),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let defs = LoginDefs::load(&root);
    let mode = mode.unwrap_or_else(|| Mode::Hash(util::default_method(&defs)));
    let rounds = rounds.or_else(|| util::default_rounds(&defs));
    let codes = Codes {
        passwd: 1,
        group: 1,
    };
    let mut db = Db::open(&root, codes)?;
    let day = accountdb::today();
    let (mut lineno, mut failed) = (0usize, false);
    while let Some(line) = util::read_line(ctx)? {
        lineno += 1;
        let Some(colon) = line.iter().position(|&c| c == b':') else {
            ctx.note(format!("line {lineno}: missing new password").as_bytes());
            failed = true;
            continue;
        };
        let (name, pass) = (&line[..colon], &line[colon + 1..]);
        if db.user(name).is_none() {
            ctx.note(format!("line {lineno}: user '{}' does not exist", t(name)).as_bytes());
            failed = true;
            continue;
        }
        let field = match mode {
            Mode::Encrypted | Mode::Plain => pass.to_vec(),
            Mode::Hash(m) => crypt::hash(pass, m, rounds.filter(|&r| m.has_rounds() && r != 5000))
                .map_err(|e| Error::io(b"getrandom", &e))?,
        };
        db.set_hash(name, &field, Some(day));
    }
    if failed {
        return Err(Error::msg("error detected, changes ignored"));
    }
    db.save(codes)
}
