//! The smaller builtins.

use std::os::unix::ffi::OsStrExt;

use super::{number, out, quote};
use crate::sh::exec::{self, process};
use crate::sh::state::{Ctl, R, Shell};

/// `:` and `true`-like no-ops.
pub fn colon(_sh: &mut Shell, _args: &[Vec<u8>]) -> R {
    Ok(0)
}

fn loop_count(sh: &Shell, args: &[Vec<u8>]) -> Result<u32, Ctl> {
    if args.len() > 2 {
        sh.error2(&args[0], "too many arguments");
        return Err(sh.fatal(2));
    }
    match args.get(1) {
        None => Ok(1),
        Some(a) => match number(a) {
            Some(n) if n >= 1 => Ok(n.min(u32::MAX as i64) as u32),
            _ => {
                sh.error2(
                    &args[0],
                    &format!("Illegal number: {}", String::from_utf8_lossy(a)),
                );
                Err(sh.fatal(2))
            }
        },
    }
}

/// `break [n]`.
pub fn break_(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let n = loop_count(sh, args)?;
    if sh.loop_depth == 0 {
        return Ok(0);
    }
    Err(Ctl::Break(n.min(sh.loop_depth)))
}

/// `continue [n]`.
pub fn continue_(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let n = loop_count(sh, args)?;
    if sh.loop_depth == 0 {
        return Ok(0);
    }
    Err(Ctl::Continue(n.min(sh.loop_depth)))
}

/// `builtin name [args]`: runs a shell builtin, skipping functions and applets.
pub fn builtin(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let args = match args.get(1) {
        Some(a) if a == b"--" => &args[1..],
        _ => args,
    };
    let Some(name) = args.get(1) else {
        return Ok(0);
    };
    match super::special(name).or_else(|| super::regular(name)) {
        Some(b) => b(sh, &args[1..]),
        // The applets `type` calls shell builtins, as they are in bash.
        None if matches!(name.as_slice(), b"echo" | b"true" | b"false")
            && let Some(applet) = crate::applets::find(name) =>
        {
            Ok(exec::simple::inproc(sh, applet, &args[1..], &[], None))
        }
        None => {
            sh.error2(
                &[b"builtin: ", name.as_slice()].concat(),
                "not a shell builtin",
            );
            Ok(1)
        }
    }
}

/// `eval args...`.
pub fn eval(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let skip = if args.get(1).is_some_and(|a| a == b"--") {
        2
    } else {
        1
    };
    let src = args[skip.min(args.len())..].join(&b' ');
    if src.is_empty() {
        return Ok(0);
    }
    let line = sh.lineno;
    sh.status = sh.cmdsub_status.unwrap_or(sh.status);
    let r = crate::sh::run_source(sh, &src, line.max(1));
    sh.lineno = line;
    r
}

fn status_arg(sh: &Shell, args: &[Vec<u8>]) -> Result<u8, Ctl> {
    match args.get(1) {
        None => Ok(sh.status),
        Some(a) => match number(a) {
            Some(n) if n >= 0 => Ok(n as u8),
            Some(n) => Ok(n as u8),
            None => {
                sh.error2(
                    &args[0],
                    &format!("Illegal number: {}", String::from_utf8_lossy(a)),
                );
                Err(sh.fatal(2))
            }
        },
    }
}

/// `exit [n]`.
pub fn exit(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let st = status_arg(sh, args)?;
    Err(Ctl::Exit(st))
}

/// `return [n]`.
pub fn return_(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let st = status_arg(sh, args)?;
    if sh.func_depth == 0 && sh.dot_depth == 0 {
        if sh.in_trap > 0 {
            return Err(Ctl::Return(st));
        }
        // Outside any function or dot script, return ends the shell (dash, busybox).
        return Err(Ctl::Exit(st));
    }
    Err(Ctl::Return(st))
}

/// `shift [n]`.
pub fn shift(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let n = match args.get(1) {
        None => 1,
        Some(a) => match number(a) {
            Some(n) if n >= 0 => n as usize,
            _ => {
                sh.error2(
                    b"shift",
                    &format!("Illegal number: {}", String::from_utf8_lossy(a)),
                );
                return Err(sh.fatal(2));
            }
        },
    };
    if n > sh.positional.len() {
        sh.error2(b"shift", "can't shift that many");
        return Err(sh.fatal(2));
    }
    sh.positional.drain(..n);
    Ok(0)
}

/// `. file [args]` and `source`.
pub fn dot(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let args = if args.get(1).is_some_and(|a| a == b"--") {
        let mut v = vec![args[0].clone()];
        v.extend(args[2..].iter().cloned());
        std::borrow::Cow::Owned(v)
    } else {
        std::borrow::Cow::Borrowed(args)
    };
    let Some(file) = args.get(1) else {
        sh.error2(&args[0], "filename argument required");
        return Ok(2);
    };
    let path = if file.contains(&b'/') {
        Some(file.clone())
    } else {
        let p = sh.vars.get(b"PATH").unwrap_or(b"").to_vec();
        p.split(|&c| c == b':')
            .map(|d| {
                let d = if d.is_empty() { b".".as_slice() } else { d };
                [d, b"/", file.as_slice()].concat()
            })
            .find(|p| std::fs::metadata(std::ffi::OsStr::from_bytes(p)).is_ok_and(|m| m.is_file()))
            .or_else(|| {
                std::fs::metadata(std::ffi::OsStr::from_bytes(file))
                    .is_ok_and(|m| m.is_file())
                    .then(|| file.clone())
            })
    };
    let text = path.and_then(|p| std::fs::read(std::ffi::OsStr::from_bytes(&p)).ok());
    let Some(text) = text else {
        sh.error2(
            &[b"cannot open ", file.as_slice()].concat(),
            "No such file or directory",
        );
        return Err(sh.fatal(2));
    };
    let saved_pos = if args.len() > 2 {
        Some(std::mem::replace(&mut sh.positional, args[2..].to_vec()))
    } else {
        None
    };
    let line = sh.lineno;
    sh.dot_depth += 1;
    let r = crate::sh::run_source(sh, &text, 1);
    sh.dot_depth -= 1;
    sh.lineno = line;
    if let Some(p) = saved_pos {
        sh.positional = p;
    }
    match r {
        Err(Ctl::Return(s)) => Ok(s),
        other => other,
    }
}

/// `times`.
pub fn times(sh: &mut Shell, _args: &[Vec<u8>]) -> R {
    let mut t: libc::tms = libc::tms {
        tms_utime: 0,
        tms_stime: 0,
        tms_cutime: 0,
        tms_cstime: 0,
    };
    // SAFETY: times() fills the struct; sysconf has no preconditions.
    let hz = unsafe {
        libc::times(&mut t);
        libc::sysconf(libc::_SC_CLK_TCK)
    }
    .max(1) as f64;
    let f = |v: libc::clock_t| {
        let s = v as f64 / hz;
        format!("{}m{:.6}s", (s / 60.0) as u64, s % 60.0)
    };
    let text = format!(
        "{} {}\n{} {}\n",
        f(t.tms_utime),
        f(t.tms_stime),
        f(t.tms_cutime),
        f(t.tms_cstime)
    );
    Ok(out(sh, b"times", text.as_bytes()))
}

/// `alias [name[=value]]...`.
pub fn alias(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let args = skip_dashdash(args);
    let mut text = Vec::new();
    let mut st = 0;
    if args.len() == 1 {
        let mut names: Vec<_> = sh.aliases.iter().collect();
        names.sort();
        for (n, v) in names {
            alias_line(&mut text, n, v);
        }
    }
    for a in &args[1..] {
        if let Some(eq) = a.iter().position(|&c| c == b'=') {
            sh.aliases.insert(a[..eq].to_vec(), a[eq + 1..].to_vec());
        } else if let Some(v) = sh.aliases.get(a) {
            alias_line(&mut text, a, v);
        } else {
            sh.error2(&[b"alias: ", a.as_slice()].concat(), "not found");
            st = 1;
        }
    }
    Ok(out(sh, b"alias", &text).max(st))
}

/// `alias NAME='VALUE'`, re-usable as input (bash's listing).
fn alias_line(text: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    text.extend_from_slice(b"alias ");
    text.extend_from_slice(name);
    text.extend_from_slice(b"='");
    for &c in value {
        if c == b'\'' {
            text.extend_from_slice(b"'\\''");
        } else {
            text.push(c);
        }
    }
    text.extend_from_slice(b"'\n");
}

/// `args` less a `--` that ends the options (the name stays first).
fn skip_dashdash(args: &[Vec<u8>]) -> std::borrow::Cow<'_, [Vec<u8>]> {
    match args.get(1) {
        Some(a) if a == b"--" => {
            let mut v = args.to_vec();
            v.remove(1);
            std::borrow::Cow::Owned(v)
        }
        _ => std::borrow::Cow::Borrowed(args),
    }
}

/// `unalias [-a] name...`.
pub fn unalias(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let args = skip_dashdash(args);
    if args.len() < 2 {
        sh.error(b"unalias: usage: unalias [-a] name [name ...]");
        return Ok(2);
    }
    let mut st = 0;
    for a in &args[1..] {
        if a == b"-a" {
            sh.aliases.clear();
        } else if sh.aliases.remove(a).is_none() {
            sh.error2(&[b"unalias: ", a.as_slice()].concat(), "not found");
            st = 1;
        }
    }
    Ok(st)
}

const KEYWORDS: &[&[u8]] = &[
    b"!",
    b"case",
    b"do",
    b"done",
    b"elif",
    b"else",
    b"esac",
    b"fi",
    b"for",
    b"function",
    b"if",
    b"in",
    b"then",
    b"until",
    b"while",
    b"{",
    b"}",
    b"[[",
    b"]]",
];

/// How `name` would be run, for `command -v/-V` and `type`.
enum Kind {
    Alias(Vec<u8>),
    Keyword,
    Special,
    Function,
    Builtin,
    Applet,
    File(Vec<u8>),
}

fn classify(sh: &mut Shell, name: &[u8], aliases: bool) -> Option<Kind> {
    if aliases && let Some(v) = sh.aliases.get(name) {
        return Some(Kind::Alias(v.clone()));
    }
    if KEYWORDS.contains(&name) {
        return Some(Kind::Keyword);
    }
    if name.contains(&b'/') {
        return crate::sh::expand::cond::access(name, libc::X_OK)
            .then(|| Kind::File(name.to_vec()));
    }
    if super::special(name).is_some() {
        return Some(Kind::Special);
    }
    if sh.functions.contains_key(name) {
        return Some(Kind::Function);
    }
    if super::regular(name).is_some() {
        return Some(Kind::Builtin);
    }
    if crate::applets::find(name).is_some() {
        return Some(Kind::Applet);
    }
    process::find_in_path(sh, name).map(Kind::File)
}

/// `command [-pvV] name [args]`.
pub fn command(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut i = 1;
    let (mut v, mut big_v, mut p) = (false, false, false);
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'v' => v = true,
                b'V' => big_v = true,
                b'p' => p = true,
                _ => {
                    sh.error2(b"command", &format!("-{}: invalid option", char::from(c)));
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let rest = &args[i.min(args.len())..];
    if rest.is_empty() {
        return Ok(0);
    }
    if v || big_v {
        let mut st = 0;
        let mut text = Vec::new();
        for name in rest {
            match describe(sh, name, big_v) {
                Some(line) => text.extend_from_slice(&line),
                None => {
                    if big_v {
                        sh.error2(name, "not found");
                    }
                    st = 1;
                }
            }
        }
        return Ok(out(sh, b"command", &text)
            .max(if st != 0 { 1 } else { 0 })
            .max(st));
    }
    if p {
        let saved = sh.vars.save(b"PATH");
        let _ = sh
            .vars
            .set(b"PATH", b"/usr/sbin:/usr/bin:/sbin:/bin".to_vec(), false);
        sh.hash.clear();
        let r = exec::simple::dispatch(sh, rest, Vec::new(), &[], false, true);
        sh.vars.restore(b"PATH", saved);
        sh.hash.clear();
        return r;
    }
    exec::simple::dispatch(sh, rest, Vec::new(), &[], false, true)
}

fn describe(sh: &mut Shell, name: &[u8], verbose: bool) -> Option<Vec<u8>> {
    let k = classify(sh, name, true)?;
    let n = String::from_utf8_lossy(name);
    let s = if verbose {
        match k {
            Kind::Alias(v) => format!("{n} is an alias for {}", String::from_utf8_lossy(&v)),
            Kind::Keyword => format!("{n} is a shell keyword"),
            Kind::Special => format!("{n} is a special shell builtin"),
            Kind::Function => format!("{n} is a shell function"),
            Kind::Builtin => format!("{n} is a shell builtin"),
            // Applets that every shell has as builtins are described as bash does.
            Kind::Applet if matches!(name, b"echo" | b"test" | b"[" | b"true" | b"false") => {
                format!("{n} is a shell builtin")
            }
            Kind::Applet => format!("{n} is an rbox applet"),
            Kind::File(p) => format!("{n} is {}", String::from_utf8_lossy(&p)),
        }
    } else {
        match k {
            Kind::Alias(v) => format!("alias {n}={}", String::from_utf8_lossy(&quote(&v))),
            Kind::File(p) => String::from_utf8_lossy(&p).into_owned(),
            _ => n.into_owned(),
        }
    };
    let mut b = s.into_bytes();
    b.push(b'\n');
    Some(b)
}

/// `type name...`.
pub fn type_(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut st = 0;
    let mut text = Vec::new();
    for name in &args[1..] {
        match describe(sh, name, true) {
            Some(l) => text.extend_from_slice(&l),
            None => {
                // bash: on stderr, status 1.
                sh.error2(
                    b"type",
                    &format!("{}: not found", String::from_utf8_lossy(name)),
                );
                st = 1;
            }
        }
    }
    Ok(out(sh, b"type", &text).max(st))
}

/// `hash [-r] [name...]`.
pub fn hash(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if args.len() == 1 {
        let mut v: Vec<_> = sh.hash.values().cloned().collect();
        v.sort();
        let mut text = Vec::new();
        for p in v {
            text.extend_from_slice(&p);
            text.push(b'\n');
        }
        return Ok(out(sh, b"hash", &text));
    }
    let mut st = 0;
    for a in &args[1..] {
        if a == b"-r" {
            sh.hash.clear();
            continue;
        }
        if super::special(a).is_some()
            || super::regular(a).is_some()
            || sh.functions.contains_key(a)
            || crate::applets::find(a).is_some()
        {
            continue;
        }
        sh.hash.remove(a);
        if process::find_in_path(sh, a).is_none() {
            sh.error2(a, "not found");
            st = 1;
        }
    }
    Ok(st)
}

/// `jobs`: the background jobs not yet waited for.
pub fn jobs(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    process::reap_jobs(sh);
    let pids_only = args.get(1).is_some_and(|a| a == b"-p");
    let mut text = Vec::new();
    for (i, j) in sh.jobs.iter().enumerate() {
        if pids_only {
            text.extend_from_slice(format!("{}\n", j.pid).as_bytes());
            continue;
        }
        let state = match j.status {
            None => "Running".to_string(),
            Some(0) => "Done".to_string(),
            Some(s) => format!("Done({s})"),
        };
        text.extend_from_slice(
            format!(
                "[{}] {} {}\n",
                i + 1,
                state,
                String::from_utf8_lossy(j.text.trim_ascii())
            )
            .as_bytes(),
        );
    }
    sh.jobs.retain(|j| j.status.is_none());
    Ok(out(sh, b"jobs", &text))
}

/// `fg`/`bg`: there is no job control in a non-interactive shell.
pub fn fg_bg(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    sh.error2(&args[0], "no job control");
    Ok(1)
}

/// `kill [-s SIG | -SIG] pid... | -l [status]`.
pub fn kill(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut sig = libc::SIGTERM;
    let mut i = 1;
    match args.get(1).map(Vec::as_slice) {
        None => {
            sh.error(b"kill: usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
            return Ok(2);
        }
        Some(b"-l" | b"-L") => {
            let mut text = Vec::new();
            let mut st = 0;
            if args.len() > 2 {
                for a in &args[2..] {
                    let line = match number(a) {
                        Some(0) => Some("EXIT".to_string()),
                        Some(n) => {
                            let n = if n > 128 { n - 128 } else { n };
                            i32::try_from(n).ok().and_then(crate::sh::signals::name)
                        }
                        None => crate::sh::signals::number(a).map(|n| n.to_string()),
                    };
                    match line {
                        Some(l) => {
                            text.extend_from_slice(l.as_bytes());
                            text.push(b'\n');
                        }
                        None => {
                            sh.error2(
                                b"kill",
                                &format!("{}: invalid signal", String::from_utf8_lossy(a)),
                            );
                            st = 1;
                        }
                    }
                }
            } else {
                for n in 1..crate::sh::state::NSIG as i32 {
                    if let Some(s) = crate::sh::signals::name(n) {
                        text.extend_from_slice(format!("{s}\n").as_bytes());
                    }
                }
            }
            let w = out(sh, b"kill", &text);
            return Ok(if st != 0 { st } else { w });
        }
        Some(b"-s" | b"-n") => {
            let Some(s) = args.get(2).and_then(|a| crate::sh::signals::number(a)) else {
                sh.error2(b"kill", "invalid signal");
                return Ok(1);
            };
            sig = s;
            i = 3;
        }
        Some(b"--") => i = 2,
        Some(a)
            if a.len() > 1 && a[0] == b'-' && !a[1..].iter().all(u8::is_ascii_digit)
                || a.len() > 1
                    && a[0] == b'-'
                    && a[1..].iter().all(u8::is_ascii_digit)
                    && args.len() > 2 =>
        {
            match crate::sh::signals::number(&a[1..]) {
                Some(s) => sig = s,
                None => {
                    sh.error2(
                        b"kill",
                        &format!("{}: invalid signal", String::from_utf8_lossy(&a[1..])),
                    );
                    return Ok(1);
                }
            }
            i = 2;
        }
        _ => {}
    }
    let mut st = 0;
    if i >= args.len() {
        sh.error(b"kill: usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ... or kill -l [sigspec]");
        return Ok(2);
    }
    for a in &args[i..] {
        let pid = if a.starts_with(b"%") {
            job_index(sh, a).map(|j| i64::from(sh.jobs[j].pid))
        } else {
            number(a)
        };
        let Some(pid) = pid else {
            sh.error2(
                b"kill",
                &format!(
                    "{}: arguments must be process or job IDs",
                    String::from_utf8_lossy(a)
                ),
            );
            st = 1;
            continue;
        };
        // SAFETY: kill(2) on integers.
        if unsafe { libc::kill(pid as i32, sig) } < 0 {
            let e = std::io::Error::last_os_error();
            sh.error2(
                &[b"kill: ", a.as_slice()].concat(),
                &rbox_builtins::error::strerror(&e),
            );
            st = 1;
        }
    }
    Ok(st)
}

/// `let expr...`: status 0 when the last value is non-zero.
pub fn let_(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if args.len() < 2 {
        sh.error2(b"let", "expression expected");
        return Ok(1);
    }
    let mut v = 0;
    for a in &args[1..] {
        v = crate::sh::expand::arith::eval(sh, a)?;
    }
    Ok(u8::from(v == 0))
}

/// `printf`: the applet, plus `-v VAR` to assign the output instead.
pub fn printf(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let Some(applet) = crate::applets::find(b"printf") else {
        sh.error2(b"printf", "not found");
        return Ok(127);
    };
    if args.get(1).is_some_and(|a| a == b"-v") {
        let Some(var) = args.get(2) else {
            sh.error2(b"printf", "-v: option requires an argument");
            return Ok(2);
        };
        let mut fields = vec![args[0].clone()];
        fields.extend(args[3..].iter().cloned());
        let mut buf = Vec::new();
        let st = exec::simple::inproc(sh, applet, &fields, &[], Some(&mut buf));
        if !rbox_parser::syntax::is_name(var) {
            sh.error2(
                b"printf",
                &format!("`{}': not a valid identifier", String::from_utf8_lossy(var)),
            );
            return Ok(2);
        }
        sh.assign_or_fail(var, buf)?;
        return Ok(st);
    }
    Ok(exec::simple::inproc(sh, applet, args, &[], None))
}

/// `umask [-p] [-S] [mode]`: `-p` prints `umask 0022`, which reads back (bash).
pub fn umask(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut i = 1;
    let mut symbolic = false;
    let mut reusable = false;
    while let Some(a) = args.get(i) {
        match a.as_slice() {
            b"--" => {
                i += 1;
                break;
            }
            [b'-', flags @ ..] if !flags.is_empty() => {
                for &f in flags {
                    match f {
                        b'S' => symbolic = true,
                        b'p' => reusable = true,
                        _ => {
                            sh.error2(b"umask", &format!("Illegal option -{}", char::from(f)));
                            return Ok(2);
                        }
                    }
                }
                i += 1;
            }
            _ => break,
        }
    }
    if args.len() > i + 1 {
        sh.error2(b"umask", "too many arguments");
        return Ok(2);
    }
    // SAFETY: umask is always safe; read and restore.
    let cur = unsafe {
        let m = libc::umask(0);
        libc::umask(m);
        m
    } as u32;
    let Some(spec) = args.get(i) else {
        let text = if symbolic {
            let perm = !cur & 0o777;
            let part = |shift: u32| {
                let b = (perm >> shift) & 7;
                let mut s = String::new();
                if b & 4 != 0 {
                    s.push('r');
                }
                if b & 2 != 0 {
                    s.push('w');
                }
                if b & 1 != 0 {
                    s.push('x');
                }
                s
            };
            format!("u={},g={},o={}\n", part(6), part(3), part(0))
        } else if reusable {
            format!("umask {cur:04o}\n")
        } else {
            format!("{cur:04o}\n")
        };
        return Ok(out(sh, b"umask", text.as_bytes()));
    };
    let new = if !spec.is_empty() && spec.iter().all(|c| (b'0'..=b'7').contains(c)) {
        u32::from_str_radix(&String::from_utf8_lossy(spec), 8).unwrap_or(0) & 0o777
    } else {
        match rbox_builtins::common::mode::ModeChange::parse(spec) {
            Some(m) => {
                let perm = m.apply(!cur & 0o777, true, 0);
                !perm & 0o777
            }
            None => {
                sh.error2(
                    b"umask",
                    &format!("Illegal mode: {}", String::from_utf8_lossy(spec)),
                );
                return Ok(1);
            }
        }
    };
    // SAFETY: umask has no preconditions.
    unsafe { libc::umask(new as libc::mode_t) };
    Ok(0)
}

/// `ulimit [-HSa] [-fcdnstuv] [limit]`.
pub fn ulimit(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    const RES: &[(u8, libc::__rlimit_resource_t, &str, u64)] = &[
        (b't', libc::RLIMIT_CPU, "time(seconds)", 1),
        (b'f', libc::RLIMIT_FSIZE, "file(blocks)", 512),
        (b'd', libc::RLIMIT_DATA, "data(kb)", 1024),
        (b's', libc::RLIMIT_STACK, "stack(kb)", 1024),
        (b'c', libc::RLIMIT_CORE, "coredump(blocks)", 512),
        (b'm', libc::RLIMIT_RSS, "memory(kb)", 1024),
        (b'l', libc::RLIMIT_MEMLOCK, "locked memory(kb)", 1024),
        (b'u', libc::RLIMIT_NPROC, "process", 1),
        (b'n', libc::RLIMIT_NOFILE, "nofiles", 1),
        (b'v', libc::RLIMIT_AS, "vmemory(kb)", 1024),
    ];
    let mut hard = false;
    let mut soft = false;
    let mut all = false;
    let mut which = b'f';
    let mut value = None;
    for a in &args[1..] {
        if a.first() == Some(&b'-') && a.len() > 1 {
            for &c in &a[1..] {
                match c {
                    b'H' => hard = true,
                    b'S' => soft = true,
                    b'a' => all = true,
                    c if RES.iter().any(|r| r.0 == c) => which = c,
                    _ => {
                        sh.error2(b"ulimit", &format!("-{}: invalid option", char::from(c)));
                        return Ok(2);
                    }
                }
            }
        } else if value.is_some() {
            sh.error2(b"ulimit", "too many arguments");
            return Ok(2);
        } else {
            value = Some(a.clone());
        }
    }
    if all && value.is_some() {
        sh.error2(b"ulimit", "too many arguments");
        return Ok(2);
    }
    let get = |res| {
        let mut rl = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit fills the struct.
        unsafe { libc::getrlimit(res, &mut rl) };
        rl
    };
    let show = |rl: libc::rlimit, unit: u64| {
        let v = if hard { rl.rlim_max } else { rl.rlim_cur };
        if v == libc::RLIM_INFINITY {
            "unlimited".to_string()
        } else {
            (v / unit).to_string()
        }
    };
    if all {
        let mut text = String::new();
        for (c, res, label, unit) in RES {
            text.push_str(&format!(
                "-{} {:<20} {}\n",
                char::from(*c),
                label,
                show(get(*res), *unit)
            ));
        }
        return Ok(out(sh, b"ulimit", text.as_bytes()));
    }
    let Some(&(_, res, _, unit)) = RES.iter().find(|r| r.0 == which) else {
        return Ok(2);
    };
    match value {
        None => {
            let text = format!("{}\n", show(get(res), unit));
            Ok(out(sh, b"ulimit", text.as_bytes()))
        }
        Some(v) => {
            let n = if v == b"unlimited" {
                libc::RLIM_INFINITY
            } else {
                match number(&v) {
                    Some(n) if n >= 0 => (n as u64).saturating_mul(unit),
                    _ => {
                        sh.error2(
                            b"ulimit",
                            &format!("{}: bad number", String::from_utf8_lossy(&v)),
                        );
                        return Ok(1);
                    }
                }
            };
            let mut rl = get(res);
            if hard || !soft {
                rl.rlim_max = n;
            }
            if soft || !hard {
                rl.rlim_cur = n;
            }
            // SAFETY: setrlimit with a valid struct.
            if unsafe { libc::setrlimit(res, &rl) } < 0 {
                let e = std::io::Error::last_os_error();
                sh.error2(b"ulimit", &rbox_builtins::error::strerror(&e));
                return Ok(1);
            }
            Ok(0)
        }
    }
}

/// The index in `sh.jobs` of a job spec (`%N %% %+ %- %?TEXT %TEXT`), resolved as `fg`
/// and `jobs` resolve it (`jobs::resolve`): None when no job, or more than one, matches.
pub fn job_index(sh: &Shell, spec: &[u8]) -> Option<usize> {
    let id = crate::sh::jobs::resolve(sh, Some(spec.strip_prefix(b"%")?)).ok()?;
    sh.jobs.iter().position(|j| j.id == id)
}

/// `wait -n [id...]`: waits for the next of the jobs (those named, or all) to finish and
/// returns its status; 127 when there is none to wait for.
fn wait_next(sh: &mut Shell, ids: &[Vec<u8>]) -> R {
    let mut pids = Vec::new();
    for a in ids {
        let pid = if a.starts_with(b"%") {
            job_index(sh, a).map(|j| sh.jobs[j].pid)
        } else {
            number(a).and_then(|n| i32::try_from(n).ok())
        };
        match pid {
            Some(p) => pids.push(p),
            None => sh.error2(
                b"wait",
                &format!(
                    "`{}': not a pid or valid job spec",
                    String::from_utf8_lossy(a)
                ),
            ),
        }
    }
    let wanted = |j: &crate::sh::state::Job| ids.is_empty() || pids.contains(&j.pid);
    loop {
        process::reap_jobs(sh);
        if let Some(i) = sh.jobs.iter().position(|j| wanted(j) && j.status.is_some()) {
            let j = sh.jobs.remove(i);
            return Ok(j.status.unwrap_or(0));
        }
        if !sh.jobs.iter().any(wanted) {
            return Ok(127);
        }
        match reap_one(sh)? {
            Reaped::Again => {}
            Reaped::Trap(st) => return Ok(st),
            Reaped::NoChildren => {
                sh.jobs.retain(|j| !wanted(j));
                return Ok(127);
            }
        }
    }
}

/// `wait [pid...]`: a trapped signal interrupts it (status 128+N after the trap runs).
pub fn wait(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if args.get(1).is_some_and(|a| a == b"-n") {
        return wait_next(sh, &args[2..]);
    }
    let args: &[Vec<u8>] = match args.get(1) {
        Some(a) if a == b"--" => &args[1..],
        _ => args,
    };
    if args.len() == 1 {
        loop {
            process::reap_jobs(sh);
            if sh.jobs.iter().all(|j| j.status.is_some()) {
                sh.jobs.clear();
                return Ok(0);
            }
            match reap_one(sh)? {
                Reaped::Again => {}
                Reaped::Trap(st) => return Ok(st),
                Reaped::NoChildren => {
                    sh.jobs.clear();
                    return Ok(0);
                }
            }
        }
    }
    let mut st = 0;
    for a in &args[1..] {
        let pid = if a.starts_with(b"%") {
            let Some(j) = job_index(sh, a) else {
                sh.error2(
                    b"wait",
                    &format!("{}: no such job", String::from_utf8_lossy(a)),
                );
                st = 127;
                continue;
            };
            Some(i64::from(sh.jobs[j].pid))
        } else {
            number(a)
        };
        let Some(pid) = pid else {
            sh.error2(
                b"wait",
                &format!("Illegal number: {}", String::from_utf8_lossy(a)),
            );
            return Ok(2);
        };
        let pid = pid as i32;
        if let Some(j) = sh.jobs.iter().find(|j| j.pid == pid)
            && let Some(s) = j.status
        {
            st = s;
            sh.jobs.retain(|j| j.pid != pid);
            continue;
        }
        if !sh.jobs.iter().any(|j| j.pid == pid) {
            st = 127;
            continue;
        }
        loop {
            let mut status = 0;
            // SAFETY: waitpid with a valid out pointer.
            let r = unsafe { libc::waitpid(pid, &mut status, 0) };
            if r == pid {
                st = process::decode(status);
                report_signaled(sh, pid, status);
                break;
            }
            let e = std::io::Error::last_os_error();
            if r < 0 && e.raw_os_error() == Some(libc::EINTR) {
                if let Some(sig) = pending_trap(sh) {
                    crate::sh::signals::run_traps(sh)?;
                    return Ok(128 + sig as u8);
                }
                continue;
            }
            st = 127;
            break;
        }
        sh.jobs.retain(|j| j.pid != pid);
    }
    Ok(st)
}

/// Like bash, `wait PID` tells on stderr that the job was killed by a signal (other
/// than SIGINT, SIGPIPE and SIGTERM): `sh: LINE: PID Hangup`.
fn report_signaled(sh: &Shell, pid: i32, status: i32) {
    if !libc::WIFSIGNALED(status) {
        return;
    }
    let sig = libc::WTERMSIG(status);
    if sig == libc::SIGINT || sig == libc::SIGPIPE || sig == libc::SIGTERM {
        return;
    }
    // SAFETY: strsignal returns a pointer to a static or thread-local string.
    let desc = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(sig)) };
    sh.error(format!("{pid} {}", desc.to_string_lossy()).as_bytes());
}

/// What one blocking wait for any child came to.
enum Reaped {
    /// A child was reaped (its job records its status), or the wait was interrupted
    /// with no trap to run: look again.
    Again,
    /// A trapped signal interrupted the wait; its traps ran. `wait` returns this status.
    Trap(u8),
    /// There are no children left to wait for.
    NoChildren,
}

/// Waits for any child and records its status in the job table (for `wait` and
/// `wait -n`); a trapped signal ends the wait after running the traps.
fn reap_one(sh: &mut Shell) -> Result<Reaped, Ctl> {
    let mut status = 0;
    // SAFETY: waitpid with a valid out pointer.
    let r = unsafe { libc::waitpid(-1, &mut status, 0) };
    if r > 0 {
        let st = process::decode(status);
        for j in &mut sh.jobs {
            if j.pid == r {
                j.status = Some(st);
            }
            j.pids.retain(|&p| p != r || j.pid == r);
        }
        return Ok(Reaped::Again);
    }
    if r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
        if r < 0
            && let Some(sig) = pending_trap(sh)
        {
            crate::sh::signals::run_traps(sh)?;
            return Ok(Reaped::Trap(128 + sig as u8));
        }
        return Ok(Reaped::Again);
    }
    Ok(Reaped::NoChildren)
}

fn pending_trap(sh: &Shell) -> Option<usize> {
    crate::sh::signals::peek_pending().filter(|s| {
        matches!(
            sh.traps.get(*s),
            Some(Some(crate::sh::state::Trap::Command(_)))
        )
    })
}
