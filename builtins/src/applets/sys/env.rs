//! `env`: run a command in a modified environment, or print the environment.

use std::io::ErrorKind;

use crate::prelude::*;

/// The `env` applet.
pub const APPLET: Applet = Applet::new("env", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-i0] [-u NAME]... [-S STRING] [NAME=VALUE]... [COMMAND [ARG]...]")
    .help(
        "Set each NAME to VALUE in the environment and run COMMAND, or print the\n\
         resulting environment.\n\n\
         -i, -\tStart with an empty environment\n\
         -u NAME\tRemove NAME from the environment\n\
         -0\tEnd each printed variable with NUL, not newline\n\
         -S STR\tSplit STR into arguments (quotes and \\t \\n \\_ escapes; for #! lines)",
    )
    .error_status(125);

const LONGS: &[&str] = &[
    "ignore-environment",
    "unset",
    "null",
    "split-string",
    "chdir",
];

type Vars = Vec<(Vec<u8>, Vec<u8>)>;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut clear, mut null) = (false, false);
    let mut unset: Vec<Vec<u8>> = Vec::new();
    let mut operands: Vec<Vec<u8>> = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('i') | Arg::Long("ignore-environment") => clear = true,
            Arg::Short('u') | Arg::Long("unset") => unset.push(opts.value()?),
            Arg::Short('0') | Arg::Long("null") => null = true,
            Arg::Short('S') | Arg::Long("split-string") => {
                let s = opts.value()?;
                operands = split_string(&s)?;
                operands.extend(opts.rest());
                break;
            }
            Arg::Short('C') | Arg::Long("chdir") => {
                // Changing directory needs the spawner's help (the cwd is the shell's).
                return Err(Error::msg("option --chdir (-C) is not supported"));
            }
            Arg::Value(v) if v == b"-" && operands.is_empty() => clear = true,
            Arg::Value(v) => {
                operands.push(v);
                operands.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let mut vars: Vars = if clear {
        Vec::new()
    } else {
        ctx.env
            .vars()
            .into_iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect()
    };
    for name in &unset {
        if name.is_empty() || name.contains(&b'=') {
            return Err(Error::msg(format!(
                "cannot unset '{}': Invalid argument",
                String::from_utf8_lossy(name)
            )));
        }
        vars.retain(|(k, _)| k != name);
    }
    let mut rest = operands.into_iter().peekable();
    while let Some(op) = rest.next_if(|op| op.contains(&b'=')) {
        let (k, v) = op.split_at(op.iter().position(|&b| b == b'=').unwrap_or(0));
        let v = v.get(1..).unwrap_or_default();
        match vars.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_vec(),
            None => vars.push((k.to_vec(), v.to_vec())),
        }
    }
    let argv: Vec<Vec<u8>> = rest.collect();
    if argv.is_empty() {
        let end = if null { b'\0' } else { b'\n' };
        let mut out = Vec::new();
        for (k, v) in &vars {
            out.extend_from_slice(k);
            out.push(b'=');
            out.extend_from_slice(v);
            out.push(end);
        }
        ctx.stdout.write_all(&out)?;
        return Ok(());
    }
    if null {
        return Err(Error::usage("cannot specify --null (-0) with command"));
    }
    ctx.stdout.flush()?;
    match ctx.spawn.run(&argv, &vars) {
        Ok(0) => Ok(()),
        Ok(status) => Err(Error::silent(status)),
        Err(e) => {
            let name = argv.first().cloned().unwrap_or_default();
            let mut subject = b"'".to_vec();
            subject.extend_from_slice(&name);
            subject.push(b'\'');
            let status = if e.kind() == ErrorKind::NotFound {
                127
            } else {
                126
            };
            Err(Error::io(&subject, &e).with_status(status))
        }
    }
}

/// Splits an `env -S` string into arguments: blanks separate, `'...'` is literal,
/// `"..."` and bare text take the escapes `\\ \" \' \t \n \_` (a space), `\c` ends the
/// string, and a `#` starting a word starts a comment. `${VAR}` is not expanded.
fn split_string(s: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut args = Vec::new();
    let mut cur: Option<Vec<u8>> = None;
    let mut i = 0;
    let bad = |what: &str| Error::msg(format!("{what} in -S string"));
    while let Some(&b) = s.get(i) {
        i += 1;
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' => {
                if let Some(w) = cur.take() {
                    args.push(w);
                }
            }
            b'#' if cur.is_none() => break,
            b'\'' => {
                let w = cur.get_or_insert_with(Vec::new);
                loop {
                    match s.get(i) {
                        None => return Err(bad("no terminating quote")),
                        Some(b'\'') => break,
                        Some(&c) => w.push(c),
                    }
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                let w = cur.get_or_insert_with(Vec::new);
                loop {
                    match s.get(i) {
                        None => return Err(bad("no terminating quote")),
                        Some(b'"') => break,
                        Some(b'\\') => {
                            i += 1;
                            match escape(s.get(i).copied()) {
                                Some(Some(c)) => w.push(c),
                                Some(None) => {
                                    return Err(bad("'\\c' must not appear in double-quoted"));
                                }
                                None => return Err(bad("invalid backslash")),
                            }
                        }
                        Some(&c) => w.push(c),
                    }
                    i += 1;
                }
                i += 1;
            }
            b'\\' => {
                let next = s.get(i).copied();
                i += 1;
                match escape(next) {
                    Some(Some(c)) => cur.get_or_insert_with(Vec::new).push(c),
                    Some(None) => break,
                    None => return Err(bad("invalid backslash")),
                }
            }
            c => cur.get_or_insert_with(Vec::new).push(c),
        }
    }
    args.extend(cur);
    Ok(args)
}

/// The byte an `env -S` escape stands for; `Some(None)` for `\c`.
fn escape(c: Option<u8>) -> Option<Option<u8>> {
    Some(Some(match c? {
        b'\\' => b'\\',
        b'"' => b'"',
        b'\'' => b'\'',
        b'#' => b'#',
        b'$' => b'$',
        b'_' => b' ',
        b't' => b'\t',
        b'n' => b'\n',
        b'r' => b'\r',
        b'f' => b'\x0c',
        b'v' => b'\x0b',
        b'c' => return Some(None),
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::{EnvList, Input, Output, Spawn};
    use std::cell::RefCell;

    /// One command env ran: argv and environment.
    type Call = (Vec<Vec<u8>>, Vars);

    /// Records what env asked to run, and answers with a fixed result.
    struct Recorder {
        seen: RefCell<Vec<Call>>,
        answer: fn() -> std::io::Result<u8>,
    }

    impl Spawn for Recorder {
        fn run(&self, argv: &[Vec<u8>], env: &[(Vec<u8>, Vec<u8>)]) -> std::io::Result<u8> {
            self.seen.borrow_mut().push((argv.to_vec(), env.to_vec()));
            (self.answer)()
        }
    }

    fn run_env(
        args: &[&str],
        answer: fn() -> std::io::Result<u8>,
    ) -> (u8, String, String, Vec<Call>) {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let env = EnvList(vec![
            (b"HOME".to_vec(), b"/root".to_vec()),
            (b"PATH".to_vec(), b"/bin".to_vec()),
        ]);
        let spawn = Recorder {
            seen: RefCell::new(Vec::new()),
            answer,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = {
            let mut ctx = Ctx {
                applet: &APPLET,
                args: &args,
                stdin: Input::mem(b""),
                stdout: Output::mem(&mut out),
                stderr: Output::mem(&mut err),
                env: &env,
                spawn: &spawn,
                intr: &|| false,
                status: 0,
            };
            crate::run::run(&mut ctx)
        };
        (
            status,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            spawn.seen.into_inner(),
        )
    }

    fn ok() -> std::io::Result<u8> {
        Ok(0)
    }

    fn b(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn prints_the_modified_environment() {
        assert_eq!(run_env(&[], ok).1, "HOME=/root\nPATH=/bin\n");
        assert_eq!(
            run_env(&["-u", "HOME", "A=1", "PATH=/x"], ok).1,
            "PATH=/x\nA=1\n"
        );
        assert_eq!(run_env(&["-i", "A=1", "B=2"], ok).1, "A=1\nB=2\n");
        assert_eq!(run_env(&["-", "A=1"], ok).1, "A=1\n");
        assert_eq!(run_env(&["-i0", "A=1"], ok).1, "A=1\0");
    }

    #[test]
    fn runs_the_command_with_it() {
        let (status, _, _, seen) = run_env(&["-i", "A=1", "cmd", "-x", "B=2"], ok);
        assert_eq!(status, 0);
        assert_eq!(
            seen,
            vec![(
                b(&["cmd", "-x", "B=2"]),
                vec![(b"A".to_vec(), b"1".to_vec())]
            )]
        );
        let (status, ..) = run_env(&["false"], || Ok(3));
        assert_eq!(status, 3);
        let (_, _, _, seen) = run_env(&["-S", "echo 'a b' c\\tx", "d"], ok);
        assert_eq!(seen[0].0, b(&["echo", "a b", "c\tx", "d"]));
    }

    #[test]
    fn failures_and_statuses() {
        let missing = || Err(std::io::Error::from_raw_os_error(libc::ENOENT));
        let (status, _, err, _) = run_env(&["nope"], missing);
        assert_eq!(
            (status, err.as_str()),
            (127, "env: 'nope': No such file or directory\n")
        );
        let denied = || Err(std::io::Error::from_raw_os_error(libc::EACCES));
        let (status, _, err, _) = run_env(&["/etc/passwd"], denied);
        assert_eq!(
            (status, err.as_str()),
            (126, "env: '/etc/passwd': Permission denied\n")
        );
        let (status, _, err, _) = run_env(&["-u", "a=b"], ok);
        assert_eq!(
            (status, err.as_str()),
            (125, "env: cannot unset 'a=b': Invalid argument\n")
        );
        let (status, _, err, _) = run_env(&["-0", "true"], ok);
        assert_eq!(status, 125);
        assert!(err.starts_with("env: cannot specify --null (-0) with command\n"));
        assert_eq!(run_env(&["-x"], ok).0, 125);
        assert_eq!(run_env(&["-C", "/", "true"], ok).0, 125);
    }

    #[test]
    fn split_strings() {
        assert_eq!(
            split_string(b"  a  b\\_c \"d \\\"e\" #x y").unwrap(),
            b(&["a", "b c", "d \"e"])
        );
        assert_eq!(split_string(b"a\\cb c").unwrap(), b(&["a"]));
        assert_eq!(split_string(b"''").unwrap(), b(&[""]));
        assert!(split_string(b"'open").is_err());
        assert!(split_string(b"\\q").is_err());
    }
}
