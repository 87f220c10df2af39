//! `mkpasswd` (whois' form) and `cryptpw` (BusyBox's): print the crypt(3) hash of a
//! password, with a given or random salt. The hashes are glibc's for the same salt.

use std::os::fd::{FromRawFd, OwnedFd};

use super::util;
use crate::common::crypt::{self, Method};
use crate::prelude::*;

/// The `mkpasswd` applet.
pub const MKPASSWD: Applet = Applet::new("mkpasswd", mkpasswd, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-m METHOD] [-5] [-S SALT] [-R ROUNDS] [-s | -P FD] [PASSWORD [SALT]]")
    .help(
        "Print the crypt(3) hash of PASSWORD (asked on the terminal, or read from\n\
         standard input, when missing).\n\n\
         -m, --method M\tsha512crypt (default), sha256crypt, md5crypt; 'help' lists them\n\
         -5\t\tLike -m md5crypt\n\
         -S, --salt SALT\tUse SALT instead of a random one\n\
         -R, --rounds N\tRounds for the SHA methods\n\
         -P, --password-fd N\tRead the password from file descriptor N\n\
         -s, --stdin\tLike -P 0",
    );

/// The `cryptpw` applet.
pub const CRYPTPW: Applet = Applet::new("cryptpw", cryptpw, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-s] [-P FD] [-m TYPE] [-S SALT] [PASSWORD] [SALT]")
    .help(
        "Print the crypt(3) hash of PASSWORD (a line of standard input when missing).\n\n\
         -P N\tRead the password from fd N\n\
         -m TYPE\tmd5, sha256 or sha512 (default)\n\
         -S SALT\tThe salt (may start with rounds=N$)",
    );

const MK_LONGS: &[&str] = &["method", "salt", "rounds", "password-fd", "stdin"];
const CP_LONGS: &[&str] = &["method", "salt", "password-fd", "stdin"];

/// The methods `mkpasswd -m help` lists.
const METHODS: &str = "Available methods:\n\
    sha512crypt     SHA-512\n\
    sha256crypt     SHA-256\n\
    md5crypt        MD5\n";

/// Prints whois-style bare messages (no applet prefix) and fails with status 1.
fn bare(ctx: &mut Ctx<'_>, msg: &str) -> Error {
    let _ = ctx.stderr.write_all(msg.as_bytes());
    let _ = ctx.stderr.write_all(b"\n");
    Error::silent(1)
}

fn mkpasswd(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut method, mut salt, mut rounds, mut fd) = (Method::Sha512, None, None, None);
    let mut operands = Vec::new();
    let mut opts = ctx.opts(MK_LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('m') | Arg::Long("method") => {
                let v = opts.value()?;
                if v == b"help" {
                    ctx.stdout.write_all(METHODS.as_bytes())?;
                    return Ok(());
                }
                let known = matches!(
                    &v[..],
                    b"sha512crypt"
                        | b"sha-512"
                        | b"sha512"
                        | b"sha256crypt"
                        | b"sha-256"
                        | b"sha256"
                        | b"md5crypt"
                        | b"md5"
                );
                method = match util::method_named(&v).filter(|_| known) {
                    Some(m) => m,
                    None => return Err(bare(ctx, &format!("Invalid method '{}'.", util::t(&v)))),
                };
            }
            Arg::Short('5') => method = Method::Md5,
            Arg::Short('S') | Arg::Long("salt") => salt = Some(opts.value()?),
            Arg::Short('R') | Arg::Long("rounds") => {
                let v = opts.value()?;
                match accountdb_number(&v) {
                    Some(n) => rounds = Some(n),
                    None => return Err(bare(ctx, &format!("Invalid number '{}'.", util::t(&v)))),
                }
            }
            Arg::Short('P') | Arg::Long("password-fd") => {
                let v = opts.value()?;
                match accountdb_number(&v) {
                    Some(n) => fd = Some(n as i32),
                    None => return Err(bare(ctx, &format!("Invalid number '{}'.", util::t(&v)))),
                }
            }
            Arg::Short('s') | Arg::Long("stdin") => fd = Some(0),
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let (password, salt_operand) = password_and_salt(operands)?;
    let salt = match salt.or(salt_operand) {
        Some(s) => {
            if let Some(&c) = s.iter().find(|&&c| !crypt::is_salt_char(c)) {
                return Err(bare(
                    ctx,
                    &format!("Illegal salt character '{}'.", c as char),
                ));
            }
            let (min, max) = match method {
                Method::Md5 => (8, 8),
                _ => (8, 16),
            };
            if s.len() < min || s.len() > max {
                let want = if min == max {
                    format!("{min}")
                } else {
                    format!("{min} <= n <= {max}")
                };
                return Err(bare(
                    ctx,
                    &format!("Wrong salt length: {} bytes when {want} expected.", s.len()),
                ));
            }
            s
        }
        None => crypt::random_salt(method.salt_len()).map_err(|e| Error::io(b"getrandom", &e))?,
    };
    let password = match password {
        Some(p) => p,
        None => read_password(ctx, fd, "Password: ", true)?.unwrap_or_default(),
    };
    let hash = crypt::crypt(&password, &crypt::setting(method, rounds, &salt))
        .ok_or_else(|| Error::msg("crypt: Invalid argument").with_status(2))?;
    ctx.stdout.write_all(&hash)?;
    ctx.stdout.write_all(b"\n")?;
    Ok(())
}

fn accountdb_number(v: &[u8]) -> Option<u32> {
    crate::common::accountdb::parse_u32(v)
}

/// The password from `fd` (a line), or, with no fd, from the terminal when standard input
/// is one (`prompt` without echo, if `ask`) else from a line of standard input.
fn read_password(
    ctx: &mut Ctx<'_>,
    fd: Option<i32>,
    prompt: &str,
    ask: bool,
) -> Result<Option<Vec<u8>>, Error> {
    match fd {
        Some(0) | None => {
            let stdin_tty = ctx.stdin.raw_fd().is_some_and(crate::common::fdio::isatty);
            if fd.is_none()
                && ask
                && stdin_tty
                && let Some(tty) = util::open_tty()
            {
                use std::os::fd::AsFd;
                return util::read_noecho(tty.as_fd(), prompt)
                    .map_err(|e| Error::io(b"/dev/tty", &e));
            }
            util::read_line(ctx)
        }
        Some(n) => {
            // SAFETY: a dup of the caller's fd, owned and closed here.
            let dup = unsafe { libc::fcntl(n, libc::F_DUPFD_CLOEXEC, 0) };
            if dup < 0 {
                return Err(Error::io(
                    format!("fd {n}").as_bytes(),
                    &std::io::Error::last_os_error(),
                ));
            }
            // SAFETY: the fresh dup is ours.
            let owned = unsafe { OwnedFd::from_raw_fd(dup) };
            let mut f = std::fs::File::from(owned);
            let mut line = Vec::new();
            let mut byte = [0u8; 1];
            loop {
                match f.read(&mut byte) {
                    Ok(0) => break,
                    Ok(_) if byte[0] == b'\n' => return Ok(Some(line)),
                    Ok(_) => line.push(byte[0]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(Error::io(format!("fd {n}").as_bytes(), &e)),
                }
            }
            Ok(if line.is_empty() { None } else { Some(line) })
        }
    }
}

fn cryptpw(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut method, mut salt, mut fd) = (Method::Sha512, None, None);
    let mut operands = Vec::new();
    let mut opts = ctx.opts(CP_LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('m' | 'a') | Arg::Long("method") => {
                let v = opts.value()?;
                method = util::method_named(&v)
                    .ok_or_else(|| Error::msg(format!("unsupported method '{}'", util::t(&v))))?;
            }
            Arg::Short('S') | Arg::Long("salt") => salt = Some(opts.value()?),
            Arg::Short('P') | Arg::Long("password-fd") => {
                let v = opts.value()?;
                fd = Some(
                    accountdb_number(&v)
                        .ok_or_else(|| Error::msg(format!("invalid number '{}'", util::t(&v))))?
                        as i32,
                );
            }
            Arg::Short('s') | Arg::Long("stdin") => fd = Some(0),
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let (password, salt_operand) = password_and_salt(operands)?;
    let salt = match salt.or(salt_operand) {
        Some(s) => s,
        None => crypt::random_salt(method.salt_len()).map_err(|e| Error::io(b"getrandom", &e))?,
    };
    let password = match password {
        Some(p) => p,
        None => match read_password(ctx, fd.or(Some(0)), "", false)? {
            Some(p) => p,
            None => return Ok(()),
        },
    };
    let setting = [method.prefix(), &salt].concat();
    let hash = crypt::crypt(&password, &setting).ok_or_else(|| Error::msg("crypt failed"))?;
    ctx.stdout.write_all(&hash)?;
    ctx.stdout.write_all(b"\n")?;
    Ok(())
}

/// A password and a salt, each given or not.
type PasswordAndSalt = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The `[PASSWORD [SALT]]` operands both tools take; a third is a usage error.
fn password_and_salt(operands: Vec<Vec<u8>>) -> Result<PasswordAndSalt, Error> {
    if let Some(extra) = operands.get(2) {
        return Err(Error::usage(format!("extra operand '{}'", util::t(extra))));
    }
    let mut operands = operands.into_iter();
    Ok((operands.next(), operands.next()))
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn mkpasswd_matches_the_system_crypt() {
        let r = run(
            "mkpasswd",
            &["-m", "sha512crypt", "-S", "saltsalt", "pw"],
            b"",
        );
        assert_eq!(
            r.out(),
            "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/\n"
        );
        let r = run(
            "mkpasswd",
            &["-s", "-m", "md5", "-S", "abcdefgh"],
            b"pw\nxx\n",
        );
        assert_eq!(r.out(), "$1$abcdefgh$IQtUouv7y7Q9dRWkQEPCc.\n");
        let r = run(
            "mkpasswd",
            &["-m", "sha-256", "-R", "10000", "pw", "abcdefghij"],
            b"",
        );
        assert_eq!(
            r.out(),
            "$5$rounds=10000$abcdefghij$c3swGXLaqzNiA7O./i6urY1lE0tTceDn5YEHvRaPkC1\n"
        );
        let r = run("mkpasswd", &["pw"], b"");
        assert!(
            r.out().starts_with("$6$") && r.out().len() == 3 + 16 + 1 + 86 + 1,
            "{}",
            r.out()
        );
    }

    #[test]
    fn mkpasswd_errors_read_like_whois() {
        let cases: &[(&[&str], &str)] = &[
            (&["-m", "foo", "pw"], "Invalid method 'foo'.\n"),
            (&["-S", "bad!salt", "pw"], "Illegal salt character '!'.\n"),
            (
                &["-S", "ab", "pw"],
                "Wrong salt length: 2 bytes when 8 <= n <= 16 expected.\n",
            ),
            (
                &["-m", "md5", "-S", "abcdefghijk", "pw"],
                "Wrong salt length: 11 bytes when 8 expected.\n",
            ),
            (&["-R", "abc", "pw"], "Invalid number 'abc'.\n"),
        ];
        for (args, err) in cases {
            let r = run("mkpasswd", args, b"");
            assert_eq!((r.status, r.err().as_str()), (1, *err), "{args:?}");
        }
        assert!(
            run("mkpasswd", &["-m", "help"], b"")
                .out()
                .contains("sha512crypt     SHA-512")
        );
    }

    #[test]
    fn cryptpw_takes_salt_verbatim() {
        let r = run(
            "cryptpw",
            &["-m", "sha512", "pw", "rounds=1000$saltsalt"],
            b"",
        );
        assert_eq!(
            r.out(),
            "$6$rounds=1000$saltsalt$nII71HJmawaDYdXrUHYtoWV/pe6ZN/eQzrZXdKjhrcMU0onLRg6A5m38udZu.lA6f53rIQturF4FMx1X99KF/0\n"
        );
        let r = run("cryptpw", &["-m", "md5", "-S", "abcdefgh"], b"pw\n");
        assert_eq!(r.out(), "$1$abcdefgh$IQtUouv7y7Q9dRWkQEPCc.\n");
        assert_eq!(run("cryptpw", &[], b"").out(), "");
        let r = run("cryptpw", &["-m", "des", "pw"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "cryptpw: unsupported method 'des'\n".into())
        );
    }
}
