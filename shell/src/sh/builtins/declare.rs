//! `declare` and `typeset` (bash): attributes (`-a -A -r -x -i -g`), array values, the
//! `-p` listing; `local` and `readonly` share the machinery for their flags and arrays.

use rbox_parser::syntax::is_name;

use super::out;
use crate::sh::expand::assign;
use crate::sh::state::{R, Shell};
use crate::sh::vars::{Array, Var};

/// The options of a declaration command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `-a`: indexed array.
    pub array: bool,
    /// `-A`: associative array.
    pub assoc: bool,
    /// `-r`: readonly.
    pub readonly: bool,
    /// `-x` (`+x` clears it).
    pub export: Option<bool>,
    /// `-g`: global even inside a function.
    pub global: bool,
    /// `-p`: print the declarations.
    pub print: bool,
    /// `-f`: functions.
    pub funcs: bool,
    /// `-F`: function names.
    pub func_names: bool,
}

/// Parses the leading options; the index of the first operand, or `None` after an error
/// message (status 2).
pub fn parse_flags(sh: &Shell, cmd: &[u8], args: &[Vec<u8>]) -> Option<(Flags, usize)> {
    let mut f = Flags::default();
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            return Some((f, i + 1));
        }
        let on = match a.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        if a.len() < 2 {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'a' => f.array = on,
                b'A' => f.assoc = on,
                b'r' => f.readonly |= on,
                b'x' => f.export = Some(on),
                b'g' => f.global = on,
                b'p' => f.print = on,
                b'f' => f.funcs = on,
                b'F' => f.func_names = on,
                // Attributes kept only as flags by bash that change nothing here.
                b'i' | b'l' | b'u' | b't' | b'n' => {}
                _ => {
                    sh.error2(cmd, &format!("-{}: invalid option", char::from(c)));
                    return None;
                }
            }
        }
        i += 1;
    }
    Some((f, i))
}

/// `declare [-aAgprx] [name[=value]]...` (also `typeset`).
pub fn declare(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let cmd = args[0].clone();
    let Some((flags, first)) = parse_flags(sh, &cmd, args) else {
        return Ok(2);
    };
    let local = sh.vars.in_function() && !flags.global;
    declare_names(sh, &cmd, args, first, flags, local)
}

/// Declares the operands `args[first..]` with `flags`, as locals when `local`.
pub fn declare_names(
    sh: &mut Shell,
    cmd: &[u8],
    args: &[Vec<u8>],
    first: usize,
    flags: Flags,
    local: bool,
) -> R {
    let arrays = std::mem::take(&mut sh.decl_arrays);
    if flags.funcs || flags.func_names {
        return functions(sh, cmd, &args[first..], flags.func_names);
    }
    if flags.print || args.len() == first {
        return print(sh, cmd, &args[first..], flags);
    }
    let mut st = 0;
    for (i, arg) in args.iter().enumerate().skip(first) {
        let arr = arrays.iter().find(|d| d.arg == i);
        let (name, value, append) = match arr {
            Some(d) => (arg.as_slice(), None, d.append),
            None => split_assign(arg),
        };
        if !is_name(name) {
            sh.error2(
                cmd,
                &format!("`{}': not a valid identifier", String::from_utf8_lossy(arg)),
            );
            st = 1;
            continue;
        }
        if local {
            if sh.vars.var(name).is_some_and(|v| v.readonly) {
                // bash refuses too; like any readonly assignment it ends the script.
                return Err(assign::readonly_error(sh, name));
            }
            sh.vars.make_local(name);
        }
        if (flags.array || flags.assoc) && sh.vars.array(name).is_none() {
            if sh.vars.var(name).is_some_and(|v| v.readonly) {
                return Err(assign::readonly_error(sh, name));
            }
            let mut a = if flags.assoc {
                Array::Assoc(Vec::new())
            } else {
                Array::Indexed(Default::default())
            };
            if let (Array::Indexed(m), Some(v)) = (&mut a, sh.vars.get(name)) {
                m.insert(0, v.to_vec());
            }
            let _ = sh.vars.set_array(name, a);
        }
        if let Some(d) = arr {
            assign::store(sh, name, d.elems.clone(), flags.assoc, append)?;
        } else if let Some(v) = value {
            let v = if append {
                let mut old = sh.vars.get(name).unwrap_or_default().to_vec();
                old.extend_from_slice(v);
                old
            } else {
                v.to_vec()
            };
            sh.assign_or_fail(name, v)?;
        } else if !local && sh.vars.var(name).is_none() {
            // `declare x` makes the name known, without a value.
            sh.vars.restore(name, Some(Var::default()));
        }
        match flags.export {
            Some(true) => sh.vars.export(name),
            Some(false) => {
                if let Some(mut v) = sh.vars.save(name) {
                    v.exported = false;
                    sh.vars.restore(name, Some(v));
                }
            }
            None => {}
        }
        if flags.readonly {
            sh.vars.set_readonly(name);
        }
    }
    Ok(st)
}

/// `name=value`, `name+=value` or a bare `name`.
fn split_assign(a: &[u8]) -> (&[u8], Option<&[u8]>, bool) {
    match a.iter().position(|&c| c == b'=') {
        Some(eq) if eq > 0 && a[eq - 1] == b'+' => (&a[..eq - 1], Some(&a[eq + 1..]), true),
        Some(eq) => (&a[..eq], Some(&a[eq + 1..]), false),
        None => (a, None, false),
    }
}

/// `declare -f` / `-F`: the functions named (all without names).
fn functions(sh: &mut Shell, cmd: &[u8], names: &[Vec<u8>], names_only: bool) -> R {
    let mut list: Vec<Vec<u8>> = if names.is_empty() {
        sh.functions.keys().cloned().collect()
    } else {
        names.to_vec()
    };
    list.sort();
    let mut text = Vec::new();
    let mut st = 0;
    for n in &list {
        let Some(body) = sh.functions.get(n) else {
            st = 1;
            continue;
        };
        if names_only {
            text.extend_from_slice(b"declare -f ");
            text.extend_from_slice(n);
        } else {
            text.extend_from_slice(n);
            text.extend_from_slice(b" () \n");
            text.extend_from_slice(&rbox_parser::syntax::print_command(
                &rbox_parser::syntax::Command::Compound((**body).clone()),
            ));
        }
        text.push(b'\n');
    }
    Ok(out(sh, cmd, &text).max(st))
}

/// `declare -p [name...]`: each variable as a `declare` command that recreates it.
fn print(sh: &mut Shell, cmd: &[u8], names: &[Vec<u8>], flags: Flags) -> R {
    let mut text = Vec::new();
    let mut st = 0;
    if names.is_empty() {
        for (n, v) in sh.vars.sorted() {
            let wanted = (!flags.readonly || v.readonly)
                && (flags.export != Some(true) || v.exported)
                && (!flags.array || matches!(v.array.as_deref(), Some(Array::Indexed(_))))
                && (!flags.assoc || matches!(v.array.as_deref(), Some(Array::Assoc(_))));
            if wanted {
                text.extend_from_slice(&declaration(n, v));
            }
        }
    }
    for n in names {
        match sh.vars.var(n) {
            Some(v) => text.extend_from_slice(&declaration(n, v)),
            None => {
                sh.error2(cmd, &format!("{}: not found", String::from_utf8_lossy(n)));
                st = 1;
            }
        }
    }
    Ok(out(sh, cmd, &text).max(st))
}

/// One `declare -p` line: `declare -- x="v"`, `declare -ra a=([0]="1")`.
pub fn declaration(name: &[u8], v: &Var) -> Vec<u8> {
    let mut flags = String::new();
    if v.readonly {
        flags.push('r');
    }
    match v.array.as_deref() {
        Some(Array::Indexed(_)) => flags.push('a'),
        Some(Array::Assoc(_)) => flags.push('A'),
        None => {}
    }
    if v.exported {
        flags.push('x');
    }
    if flags.is_empty() {
        flags.push('-');
    }
    let mut s = format!("declare -{flags} ").into_bytes();
    s.extend_from_slice(name);
    match (&v.value, v.array.as_deref()) {
        (Some(val), _) => {
            s.push(b'=');
            s.extend_from_slice(&dquote(val));
        }
        (None, Some(a)) => {
            s.extend_from_slice(b"=(");
            let assoc = matches!(a, Array::Assoc(_));
            for (i, (k, val)) in a.keys().iter().zip(a.values()).enumerate() {
                if i > 0 {
                    s.push(b' ');
                }
                s.push(b'[');
                s.extend_from_slice(k);
                s.extend_from_slice(b"]=");
                s.extend_from_slice(&dquote(&val));
            }
            // bash ends a non-empty associative listing with a blank.
            if assoc && !a.is_empty() {
                s.push(b' ');
            }
            s.push(b')');
        }
        (None, None) => {}
    }
    s.push(b'\n');
    s
}

/// `"text"` with `"`, `\`, `$` and `` ` `` escaped, as `declare -p` writes values.
fn dquote(v: &[u8]) -> Vec<u8> {
    let mut s = Vec::with_capacity(v.len() + 2);
    s.push(b'"');
    for &c in v {
        if matches!(c, b'"' | b'\\' | b'$' | b'`') {
            s.push(b'\\');
        }
        s.push(c);
    }
    s.push(b'"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declaration_lines() {
        let mut v = Var {
            value: Some(b"a\"b$".to_vec()),
            exported: true,
            ..Var::default()
        };
        assert_eq!(declaration(b"x", &v), b"declare -x x=\"a\\\"b\\$\"\n");
        v.value = None;
        v.exported = false;
        assert_eq!(declaration(b"x", &v), b"declare -- x\n");
        let mut m = std::collections::BTreeMap::new();
        m.insert(0, b"1".to_vec());
        m.insert(5, b"a b".to_vec());
        v.array = Some(Box::new(Array::Indexed(m)));
        v.readonly = true;
        assert_eq!(
            declaration(b"a", &v),
            b"declare -ra a=([0]=\"1\" [5]=\"a b\")\n"
        );
        v.array = Some(Box::new(Array::Assoc(vec![(b"k".to_vec(), b"v".to_vec())])));
        v.readonly = false;
        assert_eq!(declaration(b"A", &v), b"declare -A A=([k]=\"v\" )\n");
    }

    #[test]
    fn assignments_split() {
        assert_eq!(split_assign(b"a=1"), (&b"a"[..], Some(&b"1"[..]), false));
        assert_eq!(split_assign(b"a+=1"), (&b"a"[..], Some(&b"1"[..]), true));
        assert_eq!(split_assign(b"a"), (&b"a"[..], None, false));
    }
}
