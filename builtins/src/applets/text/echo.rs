//! `echo`: write arguments, as bash's builtin and BusyBox do (escapes only with `-e`).

use crate::common::escape::{self, Dialect, Flow};
use crate::prelude::*;

/// The `echo` applet.
pub const APPLET: Applet = Applet::new("echo", main, Run::InProc)
    .usage("[-neE] [ARG]...")
    .help(
        "Write the ARGs, separated by spaces and followed by a newline.\n\n\
         -n\tNo trailing newline\n\
         -e\tInterpret backslash escapes (\\a \\b \\c \\e \\f \\n \\r \\t \\v \\\\ \\0NNN \\xHH \\uHHHH)\n\
         -E\tDo not interpret backslash escapes (the default)",
    )
    .no_help_option();

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut newline, mut escapes) = (true, false);
    let mut first = 0;
    // Options are only leading words made of n, e and E; anything else is text.
    for arg in ctx.args {
        let Some(flags) = arg.strip_prefix(b"-") else {
            break;
        };
        if flags.is_empty() || !flags.iter().all(|c| matches!(c, b'n' | b'e' | b'E')) {
            break;
        }
        for c in flags {
            match c {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    let mut out = Vec::new();
    for (i, arg) in ctx.args.iter().skip(first).enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            if escape::expand(arg, Dialect::Echo, &mut out) == Flow::Stop {
                newline = false;
                break;
            }
        } else {
            out.extend_from_slice(arg);
        }
    }
    if newline {
        out.push(b'\n');
    }
    ctx.stdout.write_all(&out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn out(args: &[&str]) -> Vec<u8> {
        let r = run("echo", args, b"");
        assert_eq!(r.status, 0);
        r.stdout
    }

    #[test]
    fn joins_arguments_with_spaces() {
        assert_eq!(out(&["a", "b  c", ""]), b"a b  c \n");
        assert_eq!(out(&[]), b"\n");
    }

    #[test]
    fn n_drops_the_newline() {
        assert_eq!(out(&["-n", "x"]), b"x");
        assert_eq!(out(&["-n"]), b"");
    }

    #[test]
    fn escapes_only_with_e() {
        assert_eq!(out(&["a\\tb"]), b"a\\tb\n");
        assert_eq!(out(&["-e", "a\\tb\\n"]), b"a\tb\n\n");
        assert_eq!(out(&["-eE", "a\\tb"]), b"a\\tb\n");
        assert_eq!(out(&["-nE", "a\\tb"]), b"a\\tb");
    }

    #[test]
    fn numeric_escapes() {
        assert_eq!(
            out(&["-e", "\\0101\\x41g\\x4|\\033|\\0"]),
            b"AAg\x04|\x1b|\0\n"
        );
        assert_eq!(out(&["-e", "\\101"]), b"\\101\n");
        assert_eq!(out(&["-e", "\\xg"]), b"\\xg\n");
        assert_eq!(out(&["-e", "\\u263a"]), "\u{263a}\n".as_bytes());
    }

    #[test]
    fn backslash_c_stops_everything() {
        assert_eq!(out(&["-e", "x\\cy", "z"]), b"x");
    }

    #[test]
    fn unknown_escapes_and_trailing_backslash_stay() {
        assert_eq!(out(&["-e", "\\q", "t\\"]), b"\\q t\\\n");
    }

    #[test]
    fn non_option_words_are_text() {
        assert_eq!(out(&["--", "-n"]), b"-- -n\n");
        assert_eq!(out(&["-x"]), b"-x\n");
        assert_eq!(out(&["-", "a"]), b"- a\n");
        assert_eq!(out(&["-n", "-x", "-n"]), b"-x -n");
        assert_eq!(out(&["--help"]), b"--help\n");
    }
}
