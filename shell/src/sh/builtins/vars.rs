//! `export`, `readonly`, `unset`, `local`.

use rbox_parser::syntax::is_name;

use super::{out, quote};
use crate::sh::state::{R, Shell};

fn split_assign(a: &[u8]) -> (&[u8], Option<&[u8]>) {
    match a.iter().position(|&c| c == b'=') {
        Some(eq) => (&a[..eq], Some(&a[eq + 1..])),
        None => (a, None),
    }
}

fn bad_name(sh: &Shell, cmd: &[u8], name: &[u8]) -> R {
    sh.error2(&[cmd, b": ", name].concat(), "bad variable name");
    Err(sh.fatal(2))
}

fn listing(sh: &Shell, prefix: &str, pick: impl Fn(&crate::sh::vars::Var) -> bool) -> Vec<u8> {
    let mut text = Vec::new();
    for (n, v) in sh.vars.sorted() {
        if !pick(v) {
            continue;
        }
        text.extend_from_slice(prefix.as_bytes());
        text.extend_from_slice(n);
        if let Some(val) = &v.value {
            text.push(b'=');
            text.extend_from_slice(&quote(val));
        }
        text.push(b'\n');
    }
    text
}

/// `export [-p] [name[=value]]...`.
pub fn export(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut rest = &args[1..];
    let mut unexport = false;
    while let Some(a) = rest.first() {
        match a.as_slice() {
            b"-p" => {}
            b"-n" => unexport = true,
            b"--" => {
                rest = &rest[1..];
                break;
            }
            _ => break,
        }
        rest = &rest[1..];
    }
    if rest.is_empty() {
        let text = listing(sh, "export ", |v| v.exported);
        return Ok(out(sh, b"export", &text));
    }
    for a in rest {
        let (name, value) = split_assign(a);
        if !is_name(name) {
            return bad_name(sh, b"export", name);
        }
        if let Some(v) = value {
            sh.assign_or_fail(name, v.to_vec())?;
        }
        if unexport {
            if let Some(mut v) = sh.vars.save(name) {
                v.exported = false;
                sh.vars.restore(name, Some(v));
            }
        } else {
            sh.vars.export(name);
        }
    }
    Ok(0)
}

/// `readonly [-p] [name[=value]]...`.
pub fn readonly(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let rest: Vec<&Vec<u8>> = args[1..].iter().filter(|a| a.as_slice() != b"-p").collect();
    if rest.is_empty() {
        let text = listing(sh, "readonly ", |v| v.readonly);
        return Ok(out(sh, b"readonly", &text));
    }
    for a in rest {
        let (name, value) = split_assign(a);
        if !is_name(name) {
            return bad_name(sh, b"readonly", name);
        }
        if let Some(v) = value {
            sh.assign_or_fail(name, v.to_vec())?;
        }
        sh.vars.set_readonly(name);
    }
    Ok(0)
}

/// `unset [-fv] name...`.
pub fn unset(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut funcs = false;
    let mut vars_only = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        match a.as_slice() {
            b"-f" => funcs = true,
            b"-v" => vars_only = true,
            b"--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let mut st = 0;
    for name in &args[i.min(args.len())..] {
        if funcs && !vars_only {
            sh.functions.remove(name);
            continue;
        }
        if !is_name(name) {
            return bad_name(sh, b"unset", name);
        }
        if sh.vars.var(name).is_none() && !vars_only && sh.functions.contains_key(name) {
            sh.functions.remove(name);
            continue;
        }
        if sh.vars.unset(name).is_err() {
            // bash: a failure of this name only (dash exits).
            sh.error2(&[b"unset: ", name.as_slice()].concat(), "is read only");
            st = 1;
            continue;
        }
        if name == b"PATH" {
            sh.hash.clear();
        }
    }
    Ok(st)
}

/// `local [name[=value]]...` (only inside a function).
pub fn local(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if !sh.vars.in_function() {
        sh.error2(b"local", "not in a function");
        return Ok(1);
    }
    for a in &args[1..] {
        if a.first() == Some(&b'-') {
            continue;
        }
        let (name, value) = split_assign(a);
        if !is_name(name) {
            sh.error2(&[b"local: ", name].concat(), "bad variable name");
            return Ok(1);
        }
        sh.vars.make_local(name);
        if let Some(v) = value {
            sh.assign_or_fail(name, v.to_vec())?;
        }
    }
    Ok(0)
}
