//! `rmdir`: remove empty directories.

use super::util::{fill, msg, path};
use crate::prelude::*;

/// The `rmdir` applet.
pub const APPLET: Applet = Applet::new("rmdir", main, Run::InProc)
    .usage("[-pv] [--ignore-fail-on-non-empty] DIRECTORY...")
    .help(
        "Remove the DIRECTORY(ies), if they are empty.\n\n\
         -p\tRemove DIRECTORY and its ancestors (rmdir -p a/b/c is rmdir a/b/c a/b a)\n\
         -v\tPrint a message for each removed directory\n\
         --ignore-fail-on-non-empty\tDo not report a directory that is not empty",
    );

const LONGS: &[&str] = &["parents", "verbose", "ignore-fail-on-non-empty"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut parents, mut verbose, mut ignore) = (false, false, false);
    let mut dirs = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('p') | Arg::Long("parents") => parents = true,
            Arg::Short('v') | Arg::Long("verbose") => verbose = true,
            Arg::Long("ignore-fail-on-non-empty") => ignore = true,
            Arg::Value(v) => dirs.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if dirs.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    for dir in &dirs {
        let mut cur: Vec<u8> = dir.clone();
        loop {
            if verbose {
                let mut line = fill("rmdir: removing directory, {}", &[&cur]);
                line.push(b'\n');
                ctx.stdout.write_all(&line)?;
            }
            if let Err(e) = std::fs::remove_dir(path(&cur)) {
                let non_empty = matches!(e.raw_os_error(), Some(libc::ENOTEMPTY | libc::EEXIST));
                if !(ignore && non_empty) {
                    ctx.warn_msg(&msg("failed to remove", &cur, &e));
                }
                break;
            }
            if !parents {
                break;
            }
            let trimmed = cur.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
            let Some(slash) = cur
                .get(..trimmed)
                .and_then(|c| c.iter().rposition(|&b| b == b'/'))
            else {
                break;
            };
            let parent_end = cur
                .get(..slash)
                .and_then(|c| c.iter().rposition(|&b| b != b'/'))
                .map_or(0, |i| i + 1);
            if parent_end == 0 {
                break;
            }
            cur.truncate(parent_end);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn removes_empty_and_reports_the_rest() {
        let d = temp_dir("rmdir");
        std::fs::create_dir_all(d.join("a/b/c")).unwrap();
        std::fs::create_dir_all(d.join("e")).unwrap();
        std::fs::write(d.join("e/f"), "").unwrap();
        let e = d.join("e");
        let e = e.to_str().unwrap();
        let r = run("rmdir", &[e], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                format!("rmdir: failed to remove '{e}': Directory not empty\n")
            )
        );
        let r = run("rmdir", &["--ignore-fail-on-non-empty", e], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        let r = run("rmdir", &[d.join("nope").to_str().unwrap()], b"");
        assert!(r.err().ends_with("nope': No such file or directory\n"));
        // -p stops at the first failure (d itself is not empty).
        let abc = format!("{}/a/b/c", d.display());
        let r = run("rmdir", &["-pv", &abc], b"");
        assert!(!d.join("a").exists());
        assert!(
            r.out()
                .starts_with(&format!("rmdir: removing directory, '{abc}'\n"))
        );
        assert_eq!(r.status, 1);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
