//! `echo`: write arguments, as bash's builtin and BusyBox do (escapes only with `-e`).

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
            if expand_escapes(arg, &mut out) == Flow::Stop {
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

/// Whether output goes on after an escaped argument (`\c` stops it).
#[derive(PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// Appends `arg` to `out` with echo's backslash escapes interpreted.
fn expand_escapes(arg: &[u8], out: &mut Vec<u8>) -> Flow {
    let mut i = 0;
    while let Some(&c) = arg.get(i) {
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = arg.get(i) else {
            out.push(b'\\');
            break;
        };
        i += 1;
        match e {
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'c' => return Flow::Stop,
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'\\' => out.push(b'\\'),
            b'0' => {
                let (v, n) = digits(arg.get(i..).unwrap_or_default(), 8, 3);
                out.push(v as u8);
                i += n;
            }
            b'x' => match digits(arg.get(i..).unwrap_or_default(), 16, 2) {
                (_, 0) => out.extend_from_slice(b"\\x"),
                (v, n) => {
                    out.push(v as u8);
                    i += n;
                }
            },
            b'u' | b'U' => {
                let max = if e == b'u' { 4 } else { 8 };
                match digits(arg.get(i..).unwrap_or_default(), 16, max) {
                    (_, 0) => out.extend_from_slice(&[b'\\', e]),
                    (v, n) => {
                        let ch = char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER);
                        out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        i += n;
                    }
                }
            }
            other => out.extend_from_slice(&[b'\\', other]),
        }
    }
    Flow::Go
}

/// Reads up to `max` digits of `radix` from the front of `s`: (value, digits used).
fn digits(s: &[u8], radix: u32, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    for &b in s.iter().take(max) {
        match (b as char).to_digit(radix) {
            Some(d) => {
                v = v * radix + d;
                n += 1;
            }
            None => break,
        }
    }
    (v, n)
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
