//! `unlink`: call unlink(2) on exactly one name.

use super::util::{msg, path};
use crate::prelude::*;

/// The `unlink` applet.
pub const APPLET: Applet = Applet::new("unlink", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("FILE")
    .help("Remove the name FILE (never a directory).");

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let ops = super::util::exact_operands(ctx, 1)?;
    std::fs::remove_file(path(&ops[0])).map_err(|e| Error::msg(msg("cannot unlink", &ops[0], &e)))
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn unlinks_one_file() {
        let d = temp_dir("unlink");
        let a = d.join("a");
        std::fs::write(&a, "x").unwrap();
        assert_eq!(run("unlink", &[a.to_str().unwrap()], b"").status, 0);
        assert!(!a.exists());
        let r = run("unlink", &[a.to_str().unwrap()], b"");
        assert_eq!(
            r.err(),
            format!(
                "unlink: cannot unlink '{}': No such file or directory\n",
                a.display()
            )
        );
        let r = run("unlink", &[], b"");
        assert_eq!(r.err(), "unlink: missing operand\nUsage: unlink FILE\n");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
