//! `awk`: the POSIX awk language.
//!
//! `lex` (tokens) -> `parse` (a resolved AST: variables are slots, array-ness inferred)
//! -> `interp` (a tree walker over it). `value` holds the number/string/strnum rules,
//! `printf` the C conversions, `builtins` the string functions and regex handling
//! (awk ERE compiled by `rbox_parser::regex`), `io` records and redirections.
//!
//! Choices where awks differ (POSIX or gawk --posix unless noted):
//! - Strings are bytes: `length`, `substr`, `index`, `printf %c` count bytes (C locale).
//! - Numbers print as integers when integral and below 2^63 in magnitude (otherwise
//!   CONVFMT/OFMT, default `%.6g`): `2^53` is `9007199254740992`, `1e30` is `1e+30`.
//!   `printf "%d"` of values beyond 64 bits prints the exact decimal value (gawk).
//! - Only decimal numbers are recognised in input and source (no hex, no bare `inf`;
//!   `+inf`/`-nan` with a sign as gawk).
//! - An unknown escape in a string keeps its backslash (`"\."` is `\.`), as in mawk,
//!   busybox and BWK awk.
//! - `substr(s, 0, 2)` is `"h"` (positions 0 and 1; POSIX/gawk; mawk and busybox say "he").
//! - `index(s, "")` is 0. Division by zero is fatal (`awk: division by zero`, status 2).
//! - A file operand that cannot be opened is fatal (mawk/busybox), status 2.
//! - Messages: `awk: line N: syntax error at or near X` (mawk-shaped), runtime errors
//!   `awk: MESSAGE`; both exit 2.
//! - `for (k in a)` visits keys in insertion order.

mod ast;
mod builtins;
mod interp;
mod io;
mod lex;
mod parse;
mod printf;
mod value;

use crate::prelude::*;

/// The `awk` applet.
pub const APPLET: Applet = Applet::new("awk", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-F FS] [-v VAR=VAL]... [-f PROGFILE | -e PROGRAM | 'PROGRAM'] [FILE | VAR=VAL]...")
    .help(
        "Run the awk PROGRAM (or the PROGFILEs) over each FILE (standard input without\n\
         FILEs; - is standard input), record by record.\n\n\
         -F FS\t\tThe input field separator (escapes like \\t are processed)\n\
         -v VAR=VAL\tAssign VAR before the program starts\n\
         -f PROGFILE\tRead the program from PROGFILE (may be repeated)\n\
         -e PROGRAM\tProgram text (may be repeated, mixed with -f)\n\
         --\t\tEnd of options",
    )
    .error_status(2);

/// One piece of program text, for error messages.
struct Source {
    name: Option<Vec<u8>>,
    first_line: usize,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = ctx.args;
    let mut fs: Option<Vec<u8>> = None;
    let mut assigns: Vec<Vec<u8>> = Vec::new();
    // -f files and -e texts, in order: (is_text, file name or program text).
    let mut progfiles: Vec<(bool, Vec<u8>)> = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a.first() != Some(&b'-') {
            break;
        }
        let opt = a.get(1).copied().unwrap_or(0);
        let attached = a.get(2..).unwrap_or_default();
        let mut value = || -> Result<Vec<u8>, Error> {
            if !attached.is_empty() {
                return Ok(attached.to_vec());
            }
            i += 1;
            args.get(i).cloned().ok_or_else(|| {
                Error::usage(format!("option requires an argument -- '{}'", opt as char))
            })
        };
        match opt {
            b'F' => fs = Some(value()?),
            b'v' => {
                let v = value()?;
                if !v.contains(&b'=') {
                    return Err(Error::msg(format!(
                        "improper assignment: -v {}",
                        String::from_utf8_lossy(&v)
                    )));
                }
                assigns.push(v);
            }
            b'f' => progfiles.push((false, value()?)),
            // gawk and busybox: -e TEXT is program text, mixed with -f in order.
            b'e' => progfiles.push((true, value()?)),
            b'-' if a == b"--version" => {
                ctx.stdout.write_all(b"awk (rbox) POSIX awk\n")?;
                return Ok(());
            }
            _ => {
                return Err(Error::usage(format!(
                    "invalid option -- '{}'",
                    String::from_utf8_lossy(a.get(1..).unwrap_or_default())
                )));
            }
        }
        i += 1;
    }
    let mut text: Vec<u8> = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    if progfiles.is_empty() {
        let Some(p) = args.get(i) else {
            return Err(Error::usage("no program given"));
        };
        text = p.clone();
        sources.push(Source {
            name: None,
            first_line: 1,
        });
        i += 1;
    } else {
        let mut line = 1;
        for (is_text, f) in &progfiles {
            let data = if *is_text {
                f.clone()
            } else if f == b"-" {
                let mut d = Vec::new();
                ctx.stdin
                    .read_to_end(&mut d)
                    .map_err(|e| Error::io(f, &e))?;
                d
            } else {
                use std::os::unix::ffi::OsStrExt;
                std::fs::read(std::ffi::OsStr::from_bytes(f)).map_err(|e| {
                    Error::msg(format!(
                        "cannot open \"{}\" ({})",
                        String::from_utf8_lossy(f),
                        crate::error::strerror(&e)
                    ))
                })?
            };
            sources.push(Source {
                name: (!is_text).then(|| f.clone()),
                first_line: line,
            });
            line += data.iter().filter(|&&c| c == b'\n').count() + 1;
            text.extend_from_slice(&data);
            text.push(b'\n');
        }
    }
    let prog = match parse::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            let src = sources.iter().rev().find(|s| s.first_line <= e.line);
            let (name, line) = match src {
                Some(s) => (s.name.as_deref(), e.line - s.first_line + 1),
                None => (None, e.line),
            };
            let msg = match name {
                Some(n) => format!("{}: line {line}: {}", String::from_utf8_lossy(n), e.msg),
                None => format!("line {line}: {}", e.msg),
            };
            return Err(Error::msg(msg));
        }
    };
    let mut argv: Vec<Vec<u8>> = vec![b"awk".to_vec()];
    argv.extend(args.get(i..).unwrap_or_default().iter().cloned());
    let mut it = interp::Interp::new(ctx, &prog, &argv);
    let mut setup = || -> Result<(), String> {
        if let Some(fs) = &fs {
            let fs = if fs == b"t" {
                b"\t".to_vec()
            } else {
                interp::process_escapes(fs)
            };
            let mut a = b"FS=".to_vec();
            a.extend_from_slice(&fs);
            assign_raw(&mut it, &a)?;
        }
        for a in &assigns {
            match it.assign_operand(a) {
                Ok(true) => {}
                Ok(false) => {
                    return Err(format!(
                        "improper assignment: -v {}",
                        String::from_utf8_lossy(a)
                    ));
                }
                Err(interp::Stop::Fatal(m)) => return Err(m),
                Err(_) => {}
            }
        }
        Ok(())
    };
    let r = setup().and_then(|()| it.run());
    it.close_all();
    let status = it.exit_status;
    drop(it);
    match r {
        Err(m) => Err(Error::msg(m)),
        Ok(()) if status != 0 => Err(Error::silent(status)),
        Ok(()) => Ok(()),
    }
}

/// Assigns FS from -F (its escapes are already processed, so no second pass).
fn assign_raw(it: &mut interp::Interp<'_, '_, '_>, a: &[u8]) -> Result<(), String> {
    // Backslashes were processed already: protect them from the operand escape pass.
    let mut protected = Vec::with_capacity(a.len());
    for &c in a {
        if c == b'\\' {
            protected.extend_from_slice(b"\\\\");
        } else {
            protected.push(c);
        }
    }
    match it.assign_operand(&protected) {
        Ok(_) => Ok(()),
        Err(interp::Stop::Fatal(m)) => Err(m),
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn awk(args: &[&str], input: &str) -> (String, String, u8) {
        let o = run("awk", args, input.as_bytes());
        (o.out(), o.err(), o.status)
    }

    fn out(prog: &str, input: &str) -> String {
        let (o, e, st) = awk(&[prog], input);
        assert_eq!((e.as_str(), st), ("", 0), "program {prog:?}");
        o
    }

    #[test]
    fn fields_and_sums() {
        assert_eq!(
            out("{ s += $2 } END { print s, NR }", "a 1\nb 2\nc 3\n"),
            "6 3\n"
        );
        assert_eq!(out("{ print NF, $NF }", "a b c\n\n x \n"), "3 c\n0 \n1 x\n");
        assert_eq!(
            out("{ $2 = \"X\"; print; print NF }", "a b c\n"),
            "a X c\n3\n"
        );
        assert_eq!(out("{ $5 = \"e\"; print }", "a b\n"), "a b   e\n");
        assert_eq!(out("{ NF = 2; print }", "a b c d\n"), "a b\n");
        assert_eq!(out("BEGIN { FS = \":\" } { print $2 }", "a:b:c\n"), "b\n");
    }

    #[test]
    fn patterns_and_ranges() {
        assert_eq!(out("/b/", "a\nb\nc\nab\n"), "b\nab\n");
        assert_eq!(out("/2/,/4/", "1\n2\n3\n4\n5\n"), "2\n3\n4\n");
        assert_eq!(
            out("NR == 2, NR == 2 { print \"x\" $0 }", "1\n2\n3\n"),
            "x2\n"
        );
        assert_eq!(out("$1 > 5", "3\n10\n7\nx\n"), "10\n7\nx\n");
    }

    #[test]
    fn numbers_print_like_awk() {
        assert_eq!(
            out(
                "BEGIN { print 1e6, 0.1 + 0.2, 2^53, 1/3, -0, 100000 * 100000 }",
                ""
            ),
            "1000000 0.3 9007199254740992 0.333333 0 10000000000\n"
        );
        assert_eq!(
            out(
                "BEGIN { OFMT = \"%.2f\"; print 3.14159; x = 3.14159 \"\"; print x }",
                ""
            ),
            "3.14\n3.14159\n"
        );
        assert_eq!(
            out("BEGIN { print 2 ** 10, 2 ^ 3 ^ 2, -2 ^ 2 }", ""),
            "1024 512 -4\n"
        );
    }

    #[test]
    fn strnum_comparisons() {
        assert_eq!(out("{ print ($1 < $2) }", "10 9\n"), "0\n");
        assert_eq!(out("{ print ($1 < \"9\") }", "10\n"), "1\n");
        assert_eq!(out("BEGIN { print (x == 0), (x == \"\") }", ""), "1 1\n");
        assert_eq!(out("{ print ($1 == 1) }", " 1.0 \n"), "1\n");
    }

    #[test]
    fn arrays_and_functions() {
        assert_eq!(
            out(
                "{ c[$1]++ } END { n = 0; for (k in c) n++; print n, c[\"a\"] }",
                "a\nb\na\n"
            ),
            "2 2\n"
        );
        assert_eq!(
            out(
                "function fill(a, n,  i) { for (i = 1; i <= n; i++) a[i] = i * i } BEGIN { fill(sq, 3); print sq[3], length(sq) }",
                ""
            ),
            "9 3\n"
        );
        assert_eq!(
            out("function f(x) { x = 5 } BEGIN { y = 1; f(y); print y }", ""),
            "1\n"
        );
        assert_eq!(
            out(
                "BEGIN { a[1,2] = 3; if ((1,2) in a) print \"yes\"; delete a; print length(a) }",
                ""
            ),
            "yes\n0\n"
        );
        assert_eq!(
            out(
                "function fib(n) { return n < 2 ? n : fib(n-1) + fib(n-2) } BEGIN { print fib(15) }",
                ""
            ),
            "610\n"
        );
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            out(
                "BEGIN { s = \"hello world\"; n = gsub(/o/, \"[&]\", s); print n, s; sub(/l+/, \"\\\\&\", s); print s }",
                ""
            ),
            "2 hell[o] w[o]rld\nhe&[o] w[o]rld\n"
        );
        assert_eq!(
            out(
                "BEGIN { n = split(\"a:b:c\", p, \":\"); print n, p[1], p[3] }",
                ""
            ),
            "3 a c\n"
        );
        assert_eq!(
            out(
                "BEGIN { print match(\"foobar\", /o+/), RSTART, RLENGTH }",
                ""
            ),
            "2 2 2\n"
        );
        assert_eq!(
            out(
                "BEGIN { print substr(\"hello\", 2, 3), index(\"hello\", \"lo\"), toupper(\"ab\"), length(\"abc\") }",
                ""
            ),
            "ell 4 AB 3\n"
        );
        assert_eq!(out("{ print length }", "abcd\n"), "4\n");
        assert_eq!(
            out(
                "BEGIN { printf \"%5.2f|%-3d|%x|%c|%s\\n\", 3.14159, 7, 255, 65, \"s\" }",
                ""
            ),
            " 3.14|7  |ff|A|s\n"
        );
    }

    #[test]
    fn control_flow_and_exit() {
        assert_eq!(
            awk(&["BEGIN { exit 3 } END { print \"end\" }"], ""),
            ("end\n".into(), String::new(), 3)
        );
        assert_eq!(out("NR == 2 { next } { print }", "1\n2\n3\n"), "1\n3\n");
        assert_eq!(
            out(
                "BEGIN { while (i < 3) { i++; if (i == 2) continue; print i } }",
                ""
            ),
            "1\n3\n"
        );
        assert_eq!(
            out("BEGIN { do { i++ } while (i < 5); print i }", ""),
            "5\n"
        );
        assert_eq!(
            out("BEGIN { if (1) print \"a\"; else print \"b\" }", ""),
            "a\n"
        );
    }

    #[test]
    fn options_and_assignments() {
        assert_eq!(awk(&["-F", ":", "{ print $2 }"], "a:b\n").0, "b\n");
        assert_eq!(awk(&["-F\\t", "{ print $2 }"], "a\tb\n").0, "b\n");
        assert_eq!(awk(&["-v", "x=a\\tb", "BEGIN { print x }"], "").0, "a\tb\n");
        assert_eq!(awk(&["{ print x, $0 }", "x=1", "-"], "l\n").0, "1 l\n");
        assert_eq!(
            awk(&["BEGIN { print ARGC, ARGV[1] }", "foo"], "").0,
            "2 foo\n"
        );
    }

    #[test]
    fn records() {
        assert_eq!(
            out(
                "BEGIN { RS = \"\" } { print NR \": \" $1 \"/\" NF }",
                "\n\na b\nc\n\n\nd\n"
            ),
            "1: a/3\n2: d/1\n"
        );
        assert_eq!(out("BEGIN { RS = \";\" } { print }", "a;b;c"), "a\nb\nc\n");
        assert_eq!(
            out("BEGIN { RS = \"[0-9]+\" } { print }", "a12b3c\n"),
            "a\nb\nc\n\n"
        );
        assert_eq!(
            out(
                "BEGIN { ORS = \"|\"; OFS = \"-\" } { $1 = $1; print }",
                "a b\nc d\n"
            ),
            "a-b|c-d|"
        );
        assert_eq!(
            out("{ getline; print \"got\", $0, NR }", "1\n2\n3\n4\n"),
            "got 2 2\ngot 4 4\n"
        );
    }

    #[test]
    fn errors_have_status_2() {
        let (o, e, st) = awk(&["BEGIN { print 1/0 }"], "");
        assert_eq!(
            (o.as_str(), e.as_str(), st),
            ("", "awk: division by zero\n", 2)
        );
        let (_, e, st) = awk(&["BEGIN {\n x = \n}"], "");
        assert_eq!(
            (e.as_str(), st),
            ("awk: line 3: syntax error at or near }\n", 2)
        );
        let (_, e, st) = awk(&["{ print }", "/nonexistent/file"], "");
        assert_eq!(
            (e.as_str(), st),
            (
                "awk: cannot open \"/nonexistent/file\" (No such file or directory)\n",
                2
            )
        );
        assert_eq!(awk(&["BEGIN { printf }"], "").2, 2);
        assert_eq!(awk(&[], "").2, 2);
    }

    #[test]
    fn random_programs_never_panic() {
        // A small deterministic fuzz: byte soup built from awk's own vocabulary.
        let atoms = [
            "{", "}", "(", ")", "[", "]", "$", "1", "x", "a", "\"s\"", "/r/", "+", "-", "*", "/",
            "%", "^", "!", "<", ">", "|", "?", ":", "~", ",", ";", "\n", "=", "++", "--", "in",
            "getline", "print", "printf", "if", "else", "while", "for", "function", "f", "BEGIN",
            "END", "length", "split", "sub", "delete", "exit", "next", "return", "&&", "||",
        ];
        let mut state: u64 = 12345;
        for _ in 0..400 {
            let mut prog = String::new();
            let n = (state % 24) as usize + 1;
            for _ in 0..n {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let atom = atoms[(state >> 33) as usize % atoms.len()];
                prog.push_str(atom);
                prog.push(' ');
            }
            let o = run("awk", &[&prog], b"a b\nc d\n");
            assert!(o.status == 0 || o.status == 2 || o.status < 128, "{prog:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = format!("BEGIN {{ x = {}1{} }}", "(".repeat(2000), ")".repeat(2000));
        let (_, e, st) = awk(&[&deep], "");
        assert_eq!(st, 2);
        assert!(e.contains("nesting too deep"), "{e}");
    }
}
