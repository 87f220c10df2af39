//! `export`, `readonly`, `unset`, `local` (the last two share `declare`'s machinery).

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

/// `readonly [-aAp] [name[=value]]...`.
pub fn readonly(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let Some((mut flags, first)) = super::declare::parse_flags(sh, b"readonly", args) else {
        return Err(sh.fatal(2));
    };
    if args.len() == first {
        let text = listing(sh, "readonly ", |v| v.readonly);
        return Ok(out(sh, b"readonly", &text));
    }
    for a in &args[first..] {
        let (name, _) = split_assign(a);
        if !is_name(name) {
            return bad_name(sh, b"readonly", name);
        }
    }
    flags.readonly = true;
    flags.print = false;
    super::declare::declare_names(sh, b"readonly", args, first, flags, false)
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
        if let Some(open) = name.iter().position(|&c| c == b'[')
            && name.last() == Some(&b']')
            && is_name(&name[..open])
        {
            st = st.max(unset_elem(
                sh,
                &name[..open],
                &name[open + 1..name.len() - 1],
            )?);
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

/// `unset 'a[sub]'`: the subscript text is expanded as a word (`unset 'a[$i]'`), then
/// taken as a key or an arithmetic index.
fn unset_elem(sh: &mut Shell, name: &[u8], sub: &[u8]) -> R {
    let Some(var) = sh.vars.var(name) else {
        return Ok(0);
    };
    if var.array.is_none() {
        sh.error2(&[b"unset: ", name].concat(), "not an array variable");
        return Ok(1);
    }
    let text = expand_text(sh, sub)?;
    let word = rbox_parser::syntax::Word::literal(&text);
    let key = match sh.vars.array(name) {
        Some(crate::sh::vars::Array::Assoc(_)) => crate::sh::vars::Key::Name(text),
        _ => crate::sh::expand::param::key_of(sh, name, &word)?,
    };
    if sh.vars.unset_elem(name, &key).is_err() {
        sh.error2(&[b"unset: ", name].concat(), "is read only");
        return Ok(1);
    }
    Ok(0)
}

/// Expands `text` as the words of a command line would be (quotes removed), joined by
/// blanks; text that does not parse is taken as it is.
fn expand_text(sh: &mut Shell, text: &[u8]) -> Result<Vec<u8>, crate::sh::state::Ctl> {
    use rbox_parser::syntax::{Command, NoAliases, Parser};
    let src = [b": ".as_slice(), text].concat();
    let mut p = Parser::new(&src);
    let Ok(Some(list)) = p.next_complete_command(&NoAliases) else {
        return Ok(text.to_vec());
    };
    let Some(Command::Simple(s)) = list
        .items
        .first()
        .and_then(|i| i.and_or.first.commands.first())
    else {
        return Ok(text.to_vec());
    };
    let mut out = Vec::new();
    for (i, w) in s.words.iter().skip(1).enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(&crate::sh::expand::string(sh, w)?);
    }
    Ok(out)
}

/// `local [-aArx] [name[=value]]...` (only inside a function).
pub fn local(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if !sh.vars.in_function() {
        sh.error2(b"local", "not in a function");
        return Ok(1);
    }
    let Some((flags, first)) = super::declare::parse_flags(sh, b"local", args) else {
        return Ok(2);
    };
    if args.len() == first {
        return Ok(0);
    }
    super::declare::declare_names(sh, b"local", args, first, flags, true)
}
