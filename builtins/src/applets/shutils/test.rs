//! `test` and `[`: evaluate a conditional expression (POSIX XCU test), as bash's builtin
//! does: the classic rules by argument count for up to four arguments, then the
//! `! ( ) -a -o` grammar (`-a` binds tighter than `-o`).
//!
//! Choices where the shells differ (bash wins, since the shell's users see these):
//! - messages are bash's: `X: unary operator expected`, `X: binary operator expected`,
//!   `` `)' expected``, `argument expected`, `too many arguments`,
//!   `X: integer expression expected` (also for values out of the 64-bit range, where
//!   coreutils saturates silently), and `` [: missing `]' ``; all with status 2;
//! - `==` is `=` (bash, GNU, busybox; dash refuses it); `-a FILE` as a unary operator
//!   is "exists" (bash; the others refuse it);
//! - `-t FD` with a non-number is `X: integer expression expected`, status 2 (dash, GNU;
//!   bash says false); a number beyond the fd range is false;
//! - `! ! ! a` follows the counted rules (false), not dash's grammar (true).

use std::ffi::OsStr;
use std::fs::{self, Metadata};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use nix::unistd::{AccessFlags, eaccess};

use crate::common::fdio;
use crate::prelude::*;

/// The `test` applet.
pub const APPLET: Applet = Applet::new("test", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("EXPRESSION")
    .help(HELP)
    .no_help_option()
    .error_status(2);

/// The `[` applet: `test` whose last argument must be `]`.
pub const BRACKET: Applet = Applet::new("[", main_bracket, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("EXPRESSION ]")
    .help(HELP)
    .no_help_option()
    .error_status(2);

const HELP: &str = "Exit 0 if EXPRESSION is true, 1 if false, 2 on error.\n\n\
     STRING\t\tSTRING is not empty\n\
     -n S / -z S\tS is not empty / is empty\n\
     S1 = S2, S1 != S2, S1 < S2, S1 > S2\tbyte-wise string comparisons\n\
     N1 -eq -ne -gt -ge -lt -le N2\tinteger comparisons\n\
     F1 -nt -ot -ef F2\tnewer than, older than, same file\n\
     -e -f -d -b -c -p -S -h -L FILE\texists, regular, directory, block, char, fifo, socket, symlink\n\
     -r -w -x FILE\treadable, writable, executable (effective ids)\n\
     -s FILE\t\tnot empty\n\
     -u -g -k FILE\tset-user-id, set-group-id, sticky\n\
     -O -G FILE\towned by the effective user / group\n\
     -N FILE\t\tmodified since last read\n\
     -t FD\t\tFD is a terminal\n\
     ! E, E1 -a E2, E1 -o E2, ( E )\tnot, and, or, grouping";

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = ctx.args;
    verdict(evaluate(ctx, args)?)
}

fn main_bracket(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let args = ctx.args;
    match args.split_last() {
        Some((last, rest)) if last == b"]" => verdict(evaluate(ctx, rest)?),
        _ => Err(Error::msg("missing `]'")),
    }
}

fn verdict(truth: bool) -> Result<(), Error> {
    if truth { Ok(()) } else { Err(Error::silent(1)) }
}

/// Evaluates a test expression given as separate words, as `test` and `[` (without the
/// closing `]`) see them. The shell's builtin `test` comes through here too.
pub fn evaluate(ctx: &Ctx<'_>, args: &[Vec<u8>]) -> Result<bool, Error> {
    let fds = [ctx.stdin.raw_fd(), ctx.stdout.raw_fd(), ctx.stderr.raw_fd()];
    let mut p = Parser { args, pos: 0, fds };
    p.counted()
}

struct Parser<'a> {
    args: &'a [Vec<u8>],
    pos: usize,
    /// What the applet's fds 0, 1 and 2 are (memory streams are no terminal).
    fds: [Option<i32>; 3],
}

fn err(subject: &[u8], text: &str) -> Error {
    let mut m = subject.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(text.as_bytes());
    Error::msg(m)
}

fn is_unary(op: &[u8]) -> bool {
    matches!(
        op,
        b"-a"
            | b"-b"
            | b"-c"
            | b"-d"
            | b"-e"
            | b"-f"
            | b"-g"
            | b"-h"
            | b"-k"
            | b"-L"
            | b"-n"
            | b"-p"
            | b"-r"
            | b"-s"
            | b"-S"
            | b"-t"
            | b"-u"
            | b"-w"
            | b"-x"
            | b"-z"
            | b"-O"
            | b"-G"
            | b"-N"
    )
}

fn is_binary(op: &[u8]) -> bool {
    matches!(
        op,
        b"=" | b"=="
            | b"!="
            | b"<"
            | b">"
            | b"-eq"
            | b"-ne"
            | b"-gt"
            | b"-ge"
            | b"-lt"
            | b"-le"
            | b"-nt"
            | b"-ot"
            | b"-ef"
    )
}

impl<'a> Parser<'a> {
    /// POSIX's rules by argument count (0 to 4), then the grammar.
    fn counted(&mut self) -> Result<bool, Error> {
        let a = self.args;
        match a {
            [] => Ok(false),
            [x] => Ok(!x.is_empty()),
            [x, y] => self.two(x, y),
            [x, y, z] => self.three(x, y, z),
            [w, x, y, z] if w == b"!" => Ok(!self.three(x, y, z)?),
            [w, x, y, z] if w == b"(" && z == b")" => self.two(x, y),
            _ => {
                let v = self.or()?;
                if self.pos < a.len() {
                    return Err(Error::msg("too many arguments"));
                }
                Ok(v)
            }
        }
    }

    fn two(&self, x: &[u8], y: &[u8]) -> Result<bool, Error> {
        if x == b"!" {
            Ok(y.is_empty())
        } else if is_unary(x) {
            self.unary(x, y)
        } else {
            Err(err(x, "unary operator expected"))
        }
    }

    fn three(&self, x: &[u8], y: &[u8], z: &[u8]) -> Result<bool, Error> {
        if is_binary(y) {
            binary(x, y, z)
        } else if y == b"-a" {
            Ok(!x.is_empty() && !z.is_empty())
        } else if y == b"-o" {
            Ok(!x.is_empty() || !z.is_empty())
        } else if x == b"!" {
            Ok(!self.two(y, z)?)
        } else if x == b"(" && z == b")" {
            Ok(!y.is_empty())
        } else {
            Err(err(y, "binary operator expected"))
        }
    }

    fn peek(&self, off: usize) -> Option<&'a [u8]> {
        let args: &'a [Vec<u8>] = self.args;
        args.get(self.pos + off).map(Vec::as_slice)
    }

    fn or(&mut self) -> Result<bool, Error> {
        let left = self.and()?;
        if self.peek(0) == Some(b"-o") {
            self.pos += 1;
            let right = self.or()?;
            return Ok(left || right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<bool, Error> {
        let left = self.term()?;
        if self.peek(0) == Some(b"-a") {
            self.pos += 1;
            let right = self.and()?;
            return Ok(left && right);
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<bool, Error> {
        let Some(word) = self.peek(0) else {
            return Err(Error::msg("argument expected"));
        };
        if word == b"!" {
            self.pos += 1;
            return Ok(!self.term()?);
        }
        if word == b"(" {
            self.pos += 1;
            let v = self.or()?;
            return match self.peek(0) {
                Some(b")") => {
                    self.pos += 1;
                    Ok(v)
                }
                Some(other) => {
                    let mut m = b"`)' expected, found ".to_vec();
                    m.extend_from_slice(other);
                    Err(Error::msg(m))
                }
                None => Err(Error::msg("`)' expected")),
            };
        }
        if let (Some(op), Some(right)) = (self.peek(1), self.peek(2))
            && is_binary(op)
        {
            self.pos += 3;
            return binary(word, op, right);
        }
        if let Some(operand) = self.peek(1)
            && is_unary(word)
        {
            self.pos += 2;
            return self.unary(word, operand);
        }
        self.pos += 1;
        Ok(!word.is_empty())
    }

    fn unary(&self, op: &[u8], arg: &[u8]) -> Result<bool, Error> {
        if op == b"-t" && integer(arg).is_none() {
            return Err(err(arg, "integer expression expected"));
        }
        Ok(match op {
            b"-n" => !arg.is_empty(),
            b"-z" => arg.is_empty(),
            b"-t" => self.is_tty(arg),
            b"-h" | b"-L" => fs::symlink_metadata(path(arg)).is_ok_and(|m| m.is_symlink()),
            b"-r" => access(arg, AccessFlags::R_OK),
            b"-w" => access(arg, AccessFlags::W_OK),
            b"-x" => access(arg, AccessFlags::X_OK),
            _ => fs::metadata(path(arg)).is_ok_and(|m| file_test(op, &m)),
        })
    }

    fn is_tty(&self, arg: &[u8]) -> bool {
        let Some(fd) = integer(arg).and_then(|n| i32::try_from(n).ok()) else {
            return false;
        };
        match usize::try_from(fd).ok().and_then(|i| self.fds.get(i)) {
            Some(Some(real)) => fdio::isatty(*real),
            Some(None) => false,
            None => fd >= 0 && fdio::isatty(fd),
        }
    }
}

fn path(b: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(b))
}

fn access(file: &[u8], mode: AccessFlags) -> bool {
    !file.is_empty() && eaccess(path(file), mode).is_ok()
}

/// The tests answered from `stat` of an existing file.
fn file_test(op: &[u8], m: &Metadata) -> bool {
    let ft = m.file_type();
    match op {
        b"-a" | b"-e" => true,
        b"-b" => ft.is_block_device(),
        b"-c" => ft.is_char_device(),
        b"-d" => ft.is_dir(),
        b"-f" => ft.is_file(),
        b"-p" => ft.is_fifo(),
        b"-S" => ft.is_socket(),
        b"-s" => m.size() > 0,
        b"-u" => m.mode() & 0o4000 != 0,
        b"-g" => m.mode() & 0o2000 != 0,
        b"-k" => m.mode() & 0o1000 != 0,
        b"-O" => m.uid() == nix::unistd::geteuid().as_raw(),
        b"-G" => m.gid() == nix::unistd::getegid().as_raw(),
        b"-N" => (m.mtime(), m.mtime_nsec()) > (m.atime(), m.atime_nsec()),
        _ => false,
    }
}

/// A decimal integer with optional blanks around it and an optional sign (bash's
/// `legal_number`); `None` for anything else, including values beyond 64 bits.
pub fn integer(s: &[u8]) -> Option<i64> {
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
    let start = s.iter().position(|b| !blank(b))?;
    let end = s.iter().rposition(|b| !blank(b))? + 1;
    let t = s.get(start..end)?;
    let (neg, digits) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for d in digits {
        let d = i64::from(d - b'0');
        v = v.checked_mul(10)?;
        v = if neg {
            v.checked_sub(d)?
        } else {
            v.checked_add(d)?
        };
    }
    Some(v)
}

fn binary(x: &[u8], op: &[u8], y: &[u8]) -> Result<bool, Error> {
    let int = |s: &[u8]| integer(s).ok_or_else(|| err(s, "integer expression expected"));
    Ok(match op {
        b"=" | b"==" => x == y,
        b"!=" => x != y,
        b"<" => x < y,
        b">" => x > y,
        b"-eq" => int(x)? == int(y)?,
        b"-ne" => int(x)? != int(y)?,
        b"-gt" => int(x)? > int(y)?,
        b"-ge" => int(x)? >= int(y)?,
        b"-lt" => int(x)? < int(y)?,
        b"-le" => int(x)? <= int(y)?,
        b"-nt" => match (mtime(x), mtime(y)) {
            (Some(a), Some(b)) => a > b,
            (a, b) => a.is_some() && b.is_none(),
        },
        b"-ot" => match (mtime(x), mtime(y)) {
            (Some(a), Some(b)) => a < b,
            (a, b) => a.is_none() && b.is_some(),
        },
        b"-ef" => match (fs::metadata(path(x)), fs::metadata(path(y))) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        },
        _ => false,
    })
}

fn mtime(file: &[u8]) -> Option<(i64, i64)> {
    fs::metadata(path(file))
        .ok()
        .map(|m| (m.mtime(), m.mtime_nsec()))
}

#[cfg(test)]
mod tests {
    use super::integer;
    use crate::testing::{run, temp_dir};

    fn st(args: &[&str]) -> u8 {
        run("test", args, b"").status
    }

    fn fails(args: &[&str], msg: &str) {
        let r = run("test", args, b"");
        assert_eq!(
            (r.status, r.err()),
            (2, format!("test: {msg}\n")),
            "{args:?}"
        );
    }

    #[test]
    fn counted_rules() {
        let cases: &[(&[&str], u8)] = &[
            (&[], 1),
            (&[""], 1),
            (&["x"], 0),
            (&["-n"], 0),
            (&["-z"], 0),
            (&["!"], 0),
            (&["("], 0),
            (&[")"], 0),
            (&["--help"], 0),
            (&["!", ""], 0),
            (&["!", "x"], 1),
            (&["-n", ""], 1),
            (&["-z", ""], 0),
            (&["!", "-n"], 1),
            (&["a", "=", "a"], 0),
            (&["a", "==", "b"], 1),
            (&["a", "!=", "b"], 0),
            (&["!", "=", "a"], 1),
            (&["=", "=", "="], 0),
            (&["-o", "-o", "-o"], 0),
            (&["-a", "-a", "-a"], 0),
            (&["", "-o", ""], 1),
            (&["x", "-a", ""], 1),
            (&["(", "!", ")"], 0),
            (&["(", "", ")"], 1),
            (&["!", "-z", ""], 1),
            (&["!", "!", "!", "a"], 1),
            (&["!", "a", "-o", "b"], 1),
            (&["!", "", "-a", ""], 0),
            (&["(", "-n", "", ")"], 1),
            (&["(", "(", "a", ")", ")"], 0),
            (&["(", "x", ")", "-a", "(", "", ")"], 1),
            (&["a", "-o", "b", "-a", ""], 0),
            (&["(", "a", "-o", "b", ")", "-a", ""], 1),
            (&["", "-o", "", "-a", "x"], 1),
            (&["!", "!", "a", "=", "a"], 0),
            (&["a", "-a", "-n"], 0),
            (&["b", ">", "a"], 0),
            (&["a", "<", "b"], 0),
            (&["B", ">", "a"], 1),
        ];
        for (args, want) in cases {
            assert_eq!(st(args), *want, "{args:?}");
        }
    }

    #[test]
    fn syntax_errors() {
        fails(&["a", "b"], "a: unary operator expected");
        fails(&["-q", "x"], "-q: unary operator expected");
        fails(&["(", ")"], "(: unary operator expected");
        fails(&["a", "b", "c"], "b: binary operator expected");
        fails(&["!", "(", ")"], "(: unary operator expected");
        fails(&["(", "a", "b", "c"], "`)' expected, found b");
        fails(&["(", "a", "=", "b"], "`)' expected");
        fails(&["a", "-a", "b", "c"], "too many arguments");
        fails(&["a", "b", "c", "d", "e"], "too many arguments");
        fails(&["1", "-eq", "1", "-a"], "argument expected");
        fails(&["a", "=", "b", "-o"], "argument expected");
    }

    #[test]
    fn integers() {
        let cases: &[(&[&str], u8)] = &[
            (&["1", "-eq", "1"], 0),
            (&[" 1 ", "-eq", "1"], 0),
            (&["\t+1\n", "-eq", "1"], 0),
            (&["010", "-eq", "10"], 0),
            (&["-1", "-lt", "0"], 0),
            (&["2", "-gt", "10"], 1),
            (&["2", "-ge", "2"], 0),
            (&["2", "-le", "1"], 1),
            (&["2", "-ne", "1"], 0),
            (&["-9223372036854775808", "-lt", "9223372036854775807"], 0),
        ];
        for (args, want) in cases {
            assert_eq!(st(args), *want, "{args:?}");
        }
        fails(&["x", "-lt", "2"], "x: integer expression expected");
        fails(&["1", "-eq", " "], " : integer expression expected");
        fails(&["", "-eq", "0"], ": integer expression expected");
        fails(&["0x10", "-eq", "16"], "0x10: integer expression expected");
        fails(&["-", "-eq", "0"], "-: integer expression expected");
        fails(
            &["9223372036854775808", "-gt", "0"],
            "9223372036854775808: integer expression expected",
        );
        assert_eq!(integer(b"  -42 "), Some(-42));
        assert_eq!(integer(b"1 2"), None);
        assert_eq!(integer(b"+"), None);
    }

    #[test]
    fn bracket_needs_its_close() {
        assert_eq!(run("[", &["a", "]"], b"").status, 0);
        assert_eq!(run("[", &["]"], b"").status, 1);
        assert_eq!(run("[", &["]", "]"], b"").status, 0);
        assert_eq!(run("[", &["--help", "]"], b"").status, 0);
        for args in [&[][..], &["a"], &["a", "]", "b"], &["--help"]] {
            let r = run("[", args, b"");
            assert_eq!((r.status, r.err()), (2, "[: missing `]'\n".to_string()));
        }
        let r = run("[", &["a", "b", "]"], b"");
        assert_eq!(
            (r.status, r.err().as_str()),
            (2, "[: a: unary operator expected\n")
        );
    }

    #[test]
    fn files() {
        let dir = temp_dir("test-files");
        let d = dir.to_str().unwrap();
        let f = format!("{d}/f");
        let e = format!("{d}/empty");
        let l = format!("{d}/link");
        let dangling = format!("{d}/dangling");
        let nope = format!("{d}/nope");
        std::fs::write(&f, "x").unwrap();
        std::fs::write(&e, "").unwrap();
        std::os::unix::fs::symlink(&f, &l).unwrap();
        std::os::unix::fs::symlink(&nope, &dangling).unwrap();
        let cases: &[(&str, &str, u8)] = &[
            ("-e", &f, 0),
            ("-e", &nope, 1),
            ("-a", &f, 0),
            ("-e", "", 1),
            ("-f", &f, 0),
            ("-f", d, 1),
            ("-d", d, 0),
            ("-d", &f, 1),
            ("-s", &f, 0),
            ("-s", &e, 1),
            ("-h", &l, 0),
            ("-L", &l, 0),
            ("-h", &f, 1),
            ("-L", &dangling, 0),
            ("-e", &dangling, 1),
            ("-f", &l, 0),
            ("-c", "/dev/null", 0),
            ("-b", "/dev/null", 1),
            ("-p", &f, 1),
            ("-S", &f, 1),
            ("-u", &f, 1),
            ("-g", &f, 1),
            ("-k", &f, 1),
            ("-O", &f, 0),
            ("-G", &f, 0),
            ("-r", &f, 0),
            ("-w", &f, 0),
            ("-x", &f, 1),
            ("-x", d, 0),
            ("-r", &nope, 1),
            ("-t", "x", 2),
            ("-t", "99999999999999999999", 2),
            ("-t", "12345678910", 1),
            ("-t", "1", 1),
        ];
        for (op, file, want) in cases {
            assert_eq!(st(&[op, file]), *want, "{op} {file}");
        }
        assert_eq!(st(&[&f, "-ef", &l]), 0);
        assert_eq!(st(&[&f, "-ef", &e]), 1);
        assert_eq!(st(&[&f, "-ef", &nope]), 1);
        assert_eq!(st(&[&f, "-nt", &nope]), 0);
        assert_eq!(st(&[&nope, "-nt", &f]), 1);
        assert_eq!(st(&[&nope, "-ot", &f]), 0);
        assert_eq!(st(&[&f, "-ot", &nope]), 1);
        assert_eq!(st(&[&f, "-nt", &f]), 1);
        assert_eq!(st(&["-f", &f, "-a", "-d", d]), 0);
        assert_eq!(st(&["-f", d, "-o", "!", "-d", d]), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bytes_compare_as_bytes() {
        let r = crate::testing::run_bytes(
            "test",
            &[b"\xff".to_vec(), b">".to_vec(), b"a".to_vec()],
            b"",
        );
        assert_eq!(r.status, 0);
    }
}
