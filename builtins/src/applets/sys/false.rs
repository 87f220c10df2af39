//! `false`: do nothing, unsuccessfully.

use crate::prelude::*;

/// The `false` applet.
pub const APPLET: Applet = Applet::new("false", main, Run::InProc)
    .help("Return status 1, ignoring all arguments.")
    .no_help_option();

fn main(_ctx: &mut Ctx<'_>) -> Result<(), Error> {
    Err(Error::silent(1))
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn fails_silently_whatever_the_arguments() {
        let r = run("false", &["--help", "x"], b"");
        assert_eq!(
            (r.status, r.out(), r.err()),
            (1, String::new(), String::new())
        );
    }
}
