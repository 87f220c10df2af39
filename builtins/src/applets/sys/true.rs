//! `true`: do nothing, successfully.

use crate::prelude::*;

/// The `true` applet.
pub const APPLET: Applet = Applet::new("true", main, Run::InProc)
    .help("Return status 0, ignoring all arguments.")
    .no_help_option();

fn main(_ctx: &mut Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn succeeds_silently_whatever_the_arguments() {
        let r = run("true", &["--help", "-x", "junk"], b"");
        assert_eq!(
            (r.status, r.out(), r.err()),
            (0, String::new(), String::new())
        );
    }
}
