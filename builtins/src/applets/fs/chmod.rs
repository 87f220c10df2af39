//! `chmod`: change file mode bits.

use nix::sys::stat::{FchmodatFlags, Mode, fchmodat};

use super::util::{errno, fill, msg};
use crate::common::mode::{ModeChange, current_umask, format_mode};
use crate::common::walk::{self, Action, Follow, Kind, Options};
use crate::opts::Opts;
use crate::prelude::*;

/// The `chmod` applet.
pub const APPLET: Applet = Applet::new("chmod", main, Run::Fork)
    .usage("[-Rcfv] MODE[,MODE]... FILE... | --reference=RFILE FILE...")
    .help(
        "Change the mode of each FILE to MODE: octal (755) or symbolic\n\
         ([ugoa]*[-+=]([rwxXst]*|[ugo]), comma-separated: u+x,g-w,o=r).\n\n\
         -R\tChange files and directories recursively (symlinks met are skipped)\n\
         -c\tReport only the changes made\n\
         -v\tReport every file processed\n\
         -f\tSuppress most error messages\n\
         --reference=RFILE\tUse RFILE's mode",
    );

const LONGS: &[&str] = &[
    "recursive",
    "changes",
    "silent",
    "quiet",
    "verbose",
    "reference",
];

/// A leading `-` argument that is a mode (`-w`, `-x,g+r`), not an option.
fn looks_like_mode(a: &[u8]) -> bool {
    a.len() > 1
        && a.starts_with(b"-")
        && a.iter()
            .skip(1)
            .all(|c| b"rwxXstugoa,+-=01234567".contains(c))
        && ModeChange::parse(a).is_some()
}

#[derive(Clone, Copy, Default)]
struct Flags {
    recursive: bool,
    changes: bool,
    verbose: bool,
    quiet: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut f = Flags::default();
    let mut reference = None;
    let mut ops: Vec<Vec<u8>> = Vec::new();
    // Modes such as -w are operands: take them out before option parsing.
    let mut rest: Vec<Vec<u8>> = Vec::new();
    let mut mode_arg: Option<Vec<u8>> = None;
    let mut after_dashdash = false;
    for a in ctx.args {
        if !after_dashdash && a == b"--" {
            after_dashdash = true;
        }
        if !after_dashdash && mode_arg.is_none() && looks_like_mode(a) {
            mode_arg = Some(a.clone());
        } else {
            rest.push(a.clone());
        }
    }
    let mut opts = Opts::new(&rest, LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('R') | Arg::Long("recursive") => f.recursive = true,
            Arg::Short('c') | Arg::Long("changes") => f.changes = true,
            Arg::Short('v') | Arg::Long("verbose") => f.verbose = true,
            Arg::Short('f') | Arg::Long("silent" | "quiet") => f.quiet = true,
            Arg::Long("reference") => reference = Some(opts.value()?),
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let change = if let Some(r) = reference {
        let st = nix::sys::stat::stat(r.as_slice())
            .map_err(|e| Error::msg(msg("failed to get attributes of", &r, &errno(e))))?;
        ModeChange::parse(format!("{:o}", st.st_mode & 0o7777).as_bytes())
            .ok_or_else(|| Error::msg("invalid reference mode"))?
    } else {
        let spec = match mode_arg {
            Some(m) => m,
            None if ops.is_empty() => return Err(Error::usage("missing operand")),
            None => ops.remove(0),
        };
        ModeChange::parse(&spec).ok_or_else(|| {
            Error::msg(format!(
                "invalid mode: '{}'",
                String::from_utf8_lossy(&spec)
            ))
        })?
    };
    if ops.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let umask = current_umask();
    let wopts = Options {
        follow: Follow::Roots,
        max_depth: if f.recursive { None } else { Some(0) },
        ..Options::default()
    };
    for file in &ops {
        walk::walk(file, &wopts, &mut |e| {
            match e.kind {
                Kind::NoStat | Kind::Unreadable => {
                    if !f.quiet {
                        let fallback = std::io::Error::from_raw_os_error(libc::EIO);
                        let err = e.err.unwrap_or(&fallback);
                        ctx.warn_msg(&msg("cannot access", e.path, err));
                    } else {
                        ctx.status = 1;
                    }
                }
                Kind::Dir | Kind::File if e.is_symlink() => {}
                Kind::Dir | Kind::File => {
                    let old = e.mode();
                    let new = change.apply(old, e.is_dir(), umask);
                    let r = fchmodat(
                        e.parent,
                        e.name,
                        Mode::from_bits_truncate(new),
                        FchmodatFlags::FollowSymlink,
                    );
                    match r {
                        Ok(()) => report(ctx, f, e.path, old, new),
                        Err(err) if f.quiet => {
                            let _ = err;
                            ctx.status = 1;
                        }
                        Err(err) => {
                            ctx.warn_msg(&msg("changing permissions of", e.path, &errno(err)))
                        }
                    }
                }
                Kind::DirPost | Kind::Cycle => {}
            }
            Action::Continue
        });
    }
    Ok(())
}

fn describe(mode: u32) -> String {
    let text = format_mode(mode);
    format!(
        "{:04o} ({})",
        mode & 0o7777,
        String::from_utf8_lossy(text.get(1..).unwrap_or_default())
    )
}

fn report(ctx: &mut Ctx<'_>, f: Flags, name: &[u8], old: u32, new: u32) {
    let changed = old & 0o7777 != new & 0o7777;
    let line = if changed && (f.changes || f.verbose) {
        let t = format!(
            "mode of {{}} changed from {} to {}\n",
            describe(old),
            describe(new)
        );
        fill(&t, &[name])
    } else if !changed && f.verbose {
        fill(
            &format!("mode of {{}} retained as {}\n", describe(old)),
            &[name],
        )
    } else {
        return;
    };
    let _ = ctx.stdout.write_all(&line);
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn octal_symbolic_and_dash_modes() {
        let d = temp_dir("chmod");
        let f = d.join("f");
        std::fs::write(&f, "").unwrap();
        let fs = f.to_str().unwrap();
        run("chmod", &["640", fs], b"");
        assert_eq!(mode(&f), 0o640);
        run("chmod", &["u+x,g-w,o=r", fs], b"");
        assert_eq!(mode(&f), 0o744);
        run("chmod", &["-w", fs], b"");
        assert_eq!(mode(&f) & 0o200, 0);
        run("chmod", &["a+X", fs], b"");
        assert_eq!(mode(&f), 0o555);
        let r = run("chmod", &["-v", "644", fs], b"");
        assert_eq!(
            r.out(),
            format!("mode of '{fs}' changed from 0555 (r-xr-xr-x) to 0644 (rw-r--r--)\n")
        );
        let r = run("chmod", &["-v", "644", fs], b"");
        assert_eq!(
            r.out(),
            format!("mode of '{fs}' retained as 0644 (rw-r--r--)\n")
        );
        assert_eq!(run("chmod", &["-c", "644", fs], b"").out(), "");
        let r = run("chmod", &["u+q", fs], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "chmod: invalid mode: 'u+q'\n".to_string())
        );
        let nope = d.join("nope");
        let r = run("chmod", &["644", nope.to_str().unwrap()], b"");
        assert_eq!(
            r.err(),
            format!(
                "chmod: cannot access '{}': No such file or directory\n",
                nope.display()
            )
        );
        assert_eq!(
            run("chmod", &["-f", "644", nope.to_str().unwrap()], b"").err(),
            ""
        );
        assert_eq!(run("chmod", &["644"], b"").status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn recursive_skips_symlinks_met_inside() {
        let d = temp_dir("chmod-r");
        std::fs::create_dir_all(d.join("t/sub")).unwrap();
        std::fs::write(d.join("t/sub/f"), "").unwrap();
        std::fs::write(d.join("outside"), "").unwrap();
        std::fs::set_permissions(d.join("outside"), std::fs::Permissions::from_mode(0o600))
            .unwrap();
        std::os::unix::fs::symlink(d.join("outside"), d.join("t/ln")).unwrap();
        run(
            "chmod",
            &["-R", "go=rX", d.join("t").to_str().unwrap()],
            b"",
        );
        assert_eq!(mode(&d.join("t/sub")) & 0o077, 0o055);
        assert_eq!(mode(&d.join("t/sub/f")) & 0o077, 0o044);
        assert_eq!(mode(&d.join("outside")), 0o600);
        let r = run(
            "chmod",
            &[
                "--reference",
                d.join("outside").to_str().unwrap(),
                d.join("t/sub/f").to_str().unwrap(),
            ],
            b"",
        );
        assert_eq!(r.status, 0);
        assert_eq!(mode(&d.join("t/sub/f")), 0o600);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
