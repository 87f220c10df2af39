//! `link`: call link(2) on exactly two names.

use super::util::{fill, msg, path};
use crate::prelude::*;

/// The `link` applet.
pub const APPLET: Applet = Applet::new("link", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("FILE1 FILE2")
    .help("Make the hard link FILE2 to the existing FILE1.");

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let ops = super::util::exact_operands(ctx, 2)?;
    let (a, b) = (&ops[0], &ops[1]);
    std::fs::hard_link(path(a), path(b)).map_err(|e| {
        let what = fill("cannot create link {} to", &[b]);
        Error::msg(msg(&String::from_utf8_lossy(&what), a, &e))
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn links_two_names_only() {
        let d = temp_dir("link");
        let (a, b) = (d.join("a"), d.join("b"));
        std::fs::write(&a, "x").unwrap();
        assert_eq!(
            run("link", &[a.to_str().unwrap(), b.to_str().unwrap()], b"").status,
            0
        );
        assert_eq!(std::fs::read(&b).unwrap(), b"x");
        let r = run("link", &[a.to_str().unwrap(), b.to_str().unwrap()], b"");
        assert_eq!(
            r.err(),
            format!(
                "link: cannot create link '{}' to '{}': File exists\n",
                b.display(),
                a.display()
            )
        );
        assert_eq!(run("link", &["x"], b"").status, 1);
        assert!(
            run("link", &["x", "y", "z"], b"")
                .err()
                .starts_with("link: extra operand 'z'\n")
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
