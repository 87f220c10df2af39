//! `setfattr`: set, remove or restore extended attributes, as the attr package's tool
//! does. Values are text (`"..."` optional), `0x` hex or `0s` base64, so binary values
//! such as `security.capability` can be given.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use super::xattr::{self, Deref};
use crate::prelude::*;

/// The `setfattr` applet.
pub const APPLET: Applet = Applet::new("setfattr", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("{-n name} [-v value] [-h] file...\n       setfattr {-x name} [-h] file...")
    .error_status(2)
    .help(
        "Set (-n) or remove (-x) an extended attribute of each FILE, or restore attributes\n\
         from a 'getfattr -d' dump.\n\n\
         -n NAME\t\tThe attribute to set\n\
         -v VALUE\tIts value: text, \"text\", 0x hex digits or 0s base64 (default empty)\n\
         -x NAME\t\tThe attribute to remove\n\
         -h\t\tAct on symbolic links themselves\n\
         --restore=FILE\tSet the attributes a dump lists (- for standard input)",
    );

const LONGS: &[&str] = &[
    "name",
    "remove",
    "value",
    "no-dereference",
    "restore",
    "help",
];

/// What the command line asked for.
#[derive(Default)]
struct Request {
    name: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    set: bool,
    remove: bool,
    restored: bool,
    deref_off: bool,
}

impl Request {
    fn deref(&self) -> Deref {
        if self.deref_off {
            Deref::NoFollow
        } else {
            Deref::Follow
        }
    }
}

/// Prints the attr tools' synopsis and gives the usage status, 2.
fn synopsis(ctx: &mut Ctx<'_>) -> Error {
    let text = "Usage: setfattr {-n name} [-v value] [-h] file...\n       \
                setfattr {-x name} [-h] file...\n\
                Try `setfattr --help' for more information.\n";
    let _ = ctx.stderr.write_all(text.as_bytes());
    Error::silent(2)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut req = Request::default();
    let mut files = Vec::new();
    let mut failed = false;
    let mut opts = ctx.opts(LONGS);
    loop {
        let arg = match opts.next() {
            Ok(Some(a)) => a,
            Ok(None) => break,
            Err(e) => {
                ctx.note(&e.message);
                return Err(synopsis(ctx));
            }
        };
        let needs_value = matches!(
            arg,
            Arg::Short('n' | 'x' | 'v') | Arg::Long("name" | "remove" | "value" | "restore")
        );
        let value = if needs_value {
            match opts.value() {
                Ok(v) => v,
                Err(e) => {
                    ctx.note(&e.message);
                    return Err(synopsis(ctx));
                }
            }
        } else {
            Vec::new()
        };
        match arg {
            Arg::Short('n') | Arg::Long("name") => {
                if req.name.is_some() || req.remove {
                    return Err(synopsis(ctx));
                }
                req.name = Some(value);
                req.set = true;
            }
            Arg::Short('v') | Arg::Long("value") => {
                if req.value.is_some() || req.remove {
                    return Err(synopsis(ctx));
                }
                req.value = Some(value);
            }
            Arg::Short('x') | Arg::Long("remove") => {
                if req.name.is_some() || req.set {
                    return Err(synopsis(ctx));
                }
                req.name = Some(value);
                req.remove = true;
            }
            Arg::Short('h') | Arg::Long("no-dereference") => req.deref_off = true,
            // Restores run where they stand, with the options seen so far (as attr's).
            Arg::Long("restore") => {
                req.restored = true;
                failed |= restore(ctx, &value, req.deref())?;
            }
            Arg::Long("help") => {
                ctx.stdout.write_all(APPLET.help_text().as_bytes())?;
                return Ok(());
            }
            Arg::Value(v) => files.push(v),
            other => {
                ctx.note(&opts.unexpected(&other).message);
                return Err(synopsis(ctx));
            }
        }
    }
    if !(((req.set || req.remove) && !files.is_empty()) || req.restored) {
        return Err(synopsis(ctx));
    }
    if let Some(name) = &req.name {
        let name = xattr::unquote(name);
        for f in &files {
            let action = if req.remove {
                Action::Remove
            } else {
                Action::Set(req.value.as_deref())
            };
            failed |= !apply(ctx, f, &name, action, req.deref())?;
        }
    }
    if failed {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

/// What to do to one attribute of one file.
#[derive(Clone, Copy)]
enum Action<'a> {
    /// Set it to this encoded value (`None`: empty).
    Set(Option<&'a [u8]>),
    /// Remove it.
    Remove,
}

/// Sets or removes `name` on `path`, reporting a failure. Returns whether it worked.
fn apply(
    ctx: &mut Ctx<'_>,
    path: &[u8],
    name: &[u8],
    action: Action<'_>,
    deref: Deref,
) -> Result<bool, Error> {
    let result = match action {
        Action::Set(value) => {
            let decoded = match value {
                None => Vec::new(),
                Some(v) => match xattr::decode(v) {
                    Some(d) => d,
                    None => {
                        ctx.stdout.flush()?;
                        let _ = ctx.stderr.write_all(b"bad input encoding\n");
                        let _ = ctx.stderr.flush();
                        return Ok(false);
                    }
                },
            };
            xattr::set(path, name, &decoded, deref)
        }
        Action::Remove => xattr::remove(path, name, deref),
    };
    match result {
        Ok(()) => Ok(true),
        Err(e) => {
            let mut msg = xattr::quote(path, b"\n\r");
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(xattr::reason(&e).as_bytes());
            ctx.note(&msg);
            Ok(false)
        }
    }
}

/// `--restore=FILE`: sets every attribute of a `getfattr -d` dump (`# file: PATH`, then
/// `NAME=VALUE` lines up to a blank line). Returns whether anything failed.
fn restore(ctx: &mut Ctx<'_>, file: &[u8], deref: Deref) -> Result<bool, Error> {
    let data = if file == b"-" {
        let mut d = Vec::new();
        ctx.stdin
            .read_to_end(&mut d)
            .map_err(|e| Error::io(b"-", &e))?;
        d
    } else {
        match std::fs::read(OsStr::from_bytes(file)) {
            Ok(d) => d,
            Err(e) => {
                let mut msg = file.to_vec();
                msg.extend_from_slice(b": ");
                msg.extend_from_slice(xattr::reason(&e).as_bytes());
                ctx.note(&msg);
                return Ok(true);
            }
        }
    };
    let mut lines = data
        .split_inclusive(|&b| b == b'\n')
        .map(|l| {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            l.strip_suffix(b"\r").unwrap_or(l)
        })
        .peekable();
    let mut line = 0usize;
    let mut failed = false;
    loop {
        let before = line;
        while lines.peek().is_some_and(|l| l.is_empty()) {
            lines.next();
            line += 1;
        }
        let Some(head) = lines.next() else { break };
        line += 1;
        let Some(quoted_path) = head.strip_prefix(b"# file: ") else {
            let msg = if file == b"-" {
                format!("No filename found in line {before} of standard input, aborting")
            } else {
                format!(
                    "{}: No filename found in line {before}, aborting",
                    String::from_utf8_lossy(file)
                )
            };
            ctx.note(msg.as_bytes());
            return Ok(true);
        };
        let path = xattr::unquote(quoted_path);
        for l in lines.by_ref() {
            line += 1;
            if l.is_empty() {
                break;
            }
            let (name, value) = match l.iter().position(|&b| b == b'=') {
                Some(eq) => (&l[..eq], Some(&l[eq + 1..])),
                None => (l, None),
            };
            let name = xattr::unquote(name);
            failed |= !apply(ctx, &path, &name, Action::Set(value), deref)?;
        }
    }
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    const USAGE: &str = "Usage: setfattr {-n name} [-v value] [-h] file...\n       \
                         setfattr {-x name} [-h] file...\n\
                         Try `setfattr --help' for more information.\n";

    #[test]
    fn usage_errors_exit_2() {
        for args in [
            &[][..],
            &["-v", "1", "f"],
            &["-n", "user.a", "-x", "user.b", "f"],
            &["-x", "user.a", "-v", "1", "f"],
            &["-n", "user.a"],
        ] {
            let r = run("setfattr", args, b"");
            assert_eq!((r.status, r.err()), (2, USAGE.to_string()), "{args:?}");
        }
    }

    #[test]
    fn restore_reports_bad_dumps() {
        let r = run(
            "setfattr",
            &["--restore=-"],
            b"\n# file: /nonexistent/f\nuser.a=1\n",
        );
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "setfattr: /nonexistent/f: No such file or directory\n".into()
            )
        );
        let r = run("setfattr", &["--restore=-"], b"\n\njunk\n");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "setfattr: No filename found in line 0 of standard input, aborting\n".into()
            )
        );
        let r = run(
            "setfattr",
            &["-n", "user.a", "-v", "0x1", "/nonexistent/f"],
            b"",
        );
        assert_eq!((r.status, r.err()), (1, "bad input encoding\n".into()));
    }
}
