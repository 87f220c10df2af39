//! `truncate`: shrink or extend files to a size.

use std::os::unix::fs::MetadataExt;

use super::util::{msg, path};
use crate::common::num::parse_size;
use crate::prelude::*;

/// The `truncate` applet.
pub const APPLET: Applet = Applet::new("truncate", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-c] -s [+-<>/%]SIZE | -r RFILE FILE...")
    .help(
        "Set each FILE's size, creating it if missing. SIZE takes K M G... suffixes;\n\
         a prefix makes it relative: + extend by, - shrink by, < at most, > at least,\n\
         / round down to a multiple of, % round up to a multiple of.\n\n\
         -c\tDo not create files\n\
         -s SIZE\tSet or adjust the size\n\
         -r RFILE\tUse RFILE's size (with -s, relative to it)",
    );

const LONGS: &[&str] = &["no-create", "size", "reference", "io-blocks"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut create, mut size, mut reference) = (true, None, None);
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('c') | Arg::Long("no-create") => create = false,
            Arg::Short('o') | Arg::Long("io-blocks") => {
                return Err(Error::msg("--io-blocks is not supported"));
            }
            Arg::Short('s') | Arg::Long("size") => {
                let v = opts.value()?;
                let (op, num) = match v.first() {
                    Some(&c @ (b'+' | b'-' | b'<' | b'>' | b'/' | b'%')) => {
                        (c, v.get(1..).unwrap_or_default())
                    }
                    _ => (b'=', v.as_slice()),
                };
                // GNU truncate also takes lower-case units (1m, 1g), as toybox does.
                let mut num = num.to_vec();
                if let Some(u) = num.iter_mut().find(|b| !b.is_ascii_digit())
                    && matches!(u, b'm' | b'g' | b't' | b'p' | b'e')
                {
                    u.make_ascii_uppercase();
                }
                let n = parse_size(&num).ok_or_else(|| {
                    Error::msg(format!("Invalid number: '{}'", String::from_utf8_lossy(&v)))
                })?;
                if matches!(op, b'/' | b'%') && n == 0 {
                    return Err(Error::msg("division by zero"));
                }
                size = Some((op, n));
            }
            Arg::Short('r') | Arg::Long("reference") => {
                let r = opts.value()?;
                let md = std::fs::metadata(path(&r))
                    .map_err(|e| Error::msg(msg("cannot stat", &r, &e)))?;
                reference = Some(md.size());
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if size.is_none() && reference.is_none() {
        return Err(Error::usage(
            "you must specify either '--size' or '--reference'",
        ));
    }
    if files.is_empty() {
        return Err(Error::usage("missing file operand"));
    }
    for f in &files {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(create)
            .truncate(false)
            .open(path(f));
        let file = match file {
            Ok(file) => file,
            Err(e) if !create && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                ctx.warn_msg(&msg("cannot open", f, &e));
                continue;
            }
        };
        let cur = match reference {
            Some(r) => r,
            None => file.metadata().map(|m| m.size()).unwrap_or(0),
        };
        let new = match size {
            None => Some(cur),
            Some((b'=', n)) => Some(n),
            Some((b'+', n)) => cur.checked_add(n),
            Some((b'-', n)) => Some(cur.saturating_sub(n)),
            Some((b'<', n)) => Some(cur.min(n)),
            Some((b'>', n)) => Some(cur.max(n)),
            Some((b'/', n)) => Some(cur / n * n),
            Some((_, n)) => cur.div_ceil(n).checked_mul(n),
        };
        let Some(new) = new.filter(|n| i64::try_from(*n).is_ok()) else {
            ctx.warn_msg(&super::util::fill(
                "overflow extending size of file {}",
                &[f],
            ));
            continue;
        };
        if let Err(e) = file.set_len(new) {
            ctx.warn_msg(&msg("failed to truncate", f, &e));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn absolute_and_relative_sizes() {
        let d = temp_dir("truncate");
        let f = d.join("f");
        let fs = f.to_str().unwrap();
        let len = || std::fs::metadata(&f).unwrap().len();
        assert_eq!(run("truncate", &["-s", "10", fs], b"").status, 0);
        assert_eq!(len(), 10);
        run("truncate", &["-s", "+1K", fs], b"");
        assert_eq!(len(), 1034);
        run("truncate", &["-s", "-34", fs], b"");
        assert_eq!(len(), 1000);
        run("truncate", &["-s", "%512", fs], b"");
        assert_eq!(len(), 1024);
        run("truncate", &["-s", "/1000", fs], b"");
        assert_eq!(len(), 1000);
        run("truncate", &["-s", "<100", fs], b"");
        assert_eq!(len(), 100);
        run("truncate", &["-s", ">50", fs], b"");
        assert_eq!(len(), 100);
        run("truncate", &["-s", "-1M", fs], b"");
        assert_eq!(len(), 0);
        let g = d.join("g");
        run("truncate", &["-c", "-s", "5", g.to_str().unwrap()], b"");
        assert!(!g.exists());
        std::fs::write(&g, "12345678").unwrap();
        run("truncate", &["-r", g.to_str().unwrap(), fs], b"");
        assert_eq!(len(), 8);
        let r = run("truncate", &["-s", "x", fs], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "truncate: Invalid number: 'x'\n".to_string())
        );
        assert_eq!(run("truncate", &[fs], b"").status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
