//! `pivot_root`: make NEW_ROOT the root filesystem and move the old root to PUT_OLD
//! (util-linux's message: BusyBox's names no path).

use crate::prelude::*;

/// The `pivot_root` applet.
pub const APPLET: Applet = Applet::new("pivot_root", main, Run::Fork)
    .dir(InstallDir::Sbin)
    .usage("NEW_ROOT PUT_OLD")
    .help(
        "Move the root filesystem of this mount namespace to PUT_OLD (a directory under\n\
         NEW_ROOT) and make NEW_ROOT, a mount point, the root.",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut ops = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let [new_root, put_old] = ops.as_slice() else {
        return Err(Error::usage(if ops.len() < 2 {
            "missing operand"
        } else {
            "too many arguments"
        }));
    };
    nix::unistd::pivot_root(new_root.as_slice(), put_old.as_slice()).map_err(|e| {
        let text = format!(
            "failed to change root from `{}' to `{}'",
            String::from_utf8_lossy(new_root),
            String::from_utf8_lossy(put_old)
        );
        Error::io(text.as_bytes(), &std::io::Error::from(e))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn operands_are_checked() {
        let r = run("pivot_root", &["/a"], b"");
        assert!(
            r.err()
                .starts_with("pivot_root: missing operand\nUsage: pivot_root ")
        );
        let r = run("pivot_root", &["/no/such/a", "/no/such/b"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "pivot_root: failed to change root from `/no/such/a' to `/no/such/b': No such file or directory\n"
                    .to_string(),
                1
            )
        );
    }
}
