//! Parameter expansion (XCU 2.6.2) and the ash/bash forms `${x:o:l}` and `${x/p/r}`.

use rbox_parser::pattern::Extent;
use rbox_parser::syntax::{Param, ParamExp, ParamOp, ReplaceMode, Subscript, Word};

use super::{Mode, QUOTED, SPLIT, WordBuf, compile_pattern, expand_parts, push_result};
use crate::sh::state::{Ctl, Shell};
use crate::sh::vars::{Array, Key};

/// The value of a single parameter (`@`/`*` joined as `"$*"`), or `None` when unset.
pub fn lookup(sh: &mut Shell, p: &Param) -> Option<Vec<u8>> {
    match p {
        Param::Named(n) => {
            if let Some(v) = sh.vars.var(n) {
                return match &v.value {
                    Some(s) => Some(s.clone()),
                    None => v.array.as_ref().and_then(|a| a.first().map(<[u8]>::to_vec)),
                };
            }
            match n.as_slice() {
                b"RANDOM" => Some(sh.next_random().to_string().into_bytes()),
                b"LINENO" => Some(sh.lineno.to_string().into_bytes()),
                b"_" => Some(sh.last_arg.clone()),
                b"SECONDS" => Some(sh.started.elapsed().as_secs().to_string().into_bytes()),
                // bash's: the process (subshells included), the system, the host name.
                b"BASHPID" => Some(nix::unistd::getpid().as_raw().to_string().into_bytes()),
                b"OSTYPE" => Some(b"linux-gnu".to_vec()),
                b"HOSTNAME" => nix::unistd::gethostname()
                    .ok()
                    .map(|h| h.as_encoded_bytes().to_vec()),
                _ => None,
            }
        }
        Param::Positional(0) => Some(sh.arg0.clone()),
        Param::Positional(i) => sh.positional.get(*i as usize - 1).cloned(),
        Param::Special(c) => match c {
            b'?' => Some(sh.status.to_string().into_bytes()),
            b'$' => Some(sh.pid.to_string().into_bytes()),
            b'!' => sh.last_bg.map(|p| p.to_string().into_bytes()),
            b'#' => Some(sh.positional.len().to_string().into_bytes()),
            b'-' => Some(sh.opts.dollar_dash()),
            b'0' => Some(sh.arg0.clone()),
            b'@' | b'*' => Some(join_star(sh)),
            _ => None,
        },
        Param::Index(..) => None,
    }
}

/// The value of a parameter, array elements included (`${a[i]}` evaluates `i`).
pub fn value(sh: &mut Shell, p: &Param) -> Result<Option<Vec<u8>>, Ctl> {
    match p {
        Param::Index(name, Subscript::Expr(w)) => {
            let key = key_of(sh, name, w)?;
            Ok(elem(sh, name, &key))
        }
        Param::Index(name, _) => Ok(list_of(sh, p).map(|vals| {
            let _ = name;
            vals.join(&b' ')
        })),
        _ => Ok(lookup(sh, p)),
    }
}

/// The element of `name` at `key`; a scalar is an array of one element.
pub fn elem(sh: &Shell, name: &[u8], key: &Key) -> Option<Vec<u8>> {
    if let Some(a) = dynamic_array(sh, name) {
        return a.get(key).map(<[u8]>::to_vec);
    }
    match sh.vars.array(name) {
        Some(a) => a.get(key).map(<[u8]>::to_vec),
        None => match key {
            Key::Index(0) => sh.vars.get(name).map(<[u8]>::to_vec),
            _ => None,
        },
    }
}

/// Evaluates a subscript for `name`: a key for associative arrays, else an arithmetic
/// index (negative ones count from the end).
pub fn key_of(sh: &mut Shell, name: &[u8], w: &Word) -> Result<Key, Ctl> {
    if let Some(Array::Assoc(_)) = sh.vars.array(name) {
        return Ok(Key::Name(super::string(sh, w)?));
    }
    let i = arith_word(sh, w)?;
    if i >= 0 {
        return Ok(Key::Index(i));
    }
    let resolved = match sh.vars.array(name) {
        Some(a) => a.resolve(i),
        None => (i == -1 && sh.vars.get(name).is_some()).then_some(0),
    };
    match resolved {
        Some(r) => Ok(Key::Index(r)),
        None => {
            let mut m = name.to_vec();
            m.extend_from_slice(b": bad array subscript");
            sh.error(&m);
            Err(sh.fatal(1))
        }
    }
}

/// The values a list parameter stands for: the positional parameters for `$@`/`$*`, the
/// elements for `${a[@]}`/`${a[*]}`; `None` for any other parameter.
pub fn list_of(sh: &Shell, p: &Param) -> Option<Vec<Vec<u8>>> {
    match p {
        Param::Special(b'@' | b'*') => Some(sh.positional.clone()),
        Param::Index(name, Subscript::At | Subscript::Star)
            if let Some(a) = dynamic_array(sh, name) =>
        {
            Some(a.values())
        }
        Param::Index(name, Subscript::At | Subscript::Star) => Some(match sh.vars.array(name) {
            Some(a) => a.values(),
            None => sh
                .vars
                .get(name)
                .map(|v| vec![v.to_vec()])
                .unwrap_or_default(),
        }),
        _ => None,
    }
}

/// The arrays the shell keeps itself: `PIPESTATUS` (until it is assigned).
fn dynamic_array(sh: &Shell, name: &[u8]) -> Option<Array> {
    if name != b"PIPESTATUS" || sh.vars.var(name).is_some() {
        return None;
    }
    let m = sh
        .pipestatus
        .iter()
        .enumerate()
        .map(|(i, s)| (i as i64, s.to_string().into_bytes()))
        .collect();
    Some(Array::Indexed(m))
}

/// Whether the list parameter joins its values (`$*`, `${a[*]}`).
fn is_star(p: &Param) -> bool {
    matches!(p, Param::Special(b'*') | Param::Index(_, Subscript::Star))
}

/// Whether the variable behind `p` exists at all (for `set -u` on `${a[@]}`).
fn list_is_set(sh: &Shell, p: &Param) -> bool {
    match p {
        Param::Index(name, _) => sh.vars.get(name).is_some() || sh.vars.array(name).is_some(),
        _ => true,
    }
}

/// `true` when the shell's character type is UTF-8 (`LC_ALL`, `LC_CTYPE`, `LANG`).
pub fn utf8_locale(sh: &Shell) -> bool {
    let v = [b"LC_ALL".as_slice(), b"LC_CTYPE", b"LANG"]
        .iter()
        .find_map(|n| sh.vars.get(n).filter(|v| !v.is_empty()));
    v.is_some_and(|v| {
        let l = v.to_ascii_lowercase();
        l.windows(5).any(|w| w == b"utf-8") || l.windows(4).any(|w| w == b"utf8")
    })
}

/// `${#x}`: bytes, or characters in a UTF-8 locale.
fn str_len(sh: &Shell, v: &[u8]) -> usize {
    if v.is_ascii() || !utf8_locale(sh) {
        return v.len();
    }
    v.iter().filter(|&&c| c & 0xC0 != 0x80).count()
}

/// The value of a set variable or positional parameter, borrowed; `None` for anything
/// else (unset names, special parameters, the dynamic `$RANDOM`...), which
/// [`lookup`] computes.
#[inline]
pub fn plain_value<'a>(sh: &'a Shell, p: &Param) -> Option<&'a [u8]> {
    match p {
        Param::Named(n) => sh.vars.get(n),
        Param::Positional(0) => Some(&sh.arg0),
        Param::Positional(i) => sh.positional.get(*i as usize - 1).map(Vec::as_slice),
        Param::Special(_) | Param::Index(..) => None,
    }
}

/// `"$*"`: the parameters joined by the first byte of IFS.
pub fn join_star(sh: &Shell) -> Vec<u8> {
    let sep: Option<u8> = match sh.vars.get(b"IFS") {
        None => Some(b' '),
        Some(s) => s.first().copied(),
    };
    let mut out = Vec::new();
    for (i, p) in sh.positional.iter().enumerate() {
        if i > 0
            && let Some(c) = sep
        {
            out.push(c);
        }
        out.extend_from_slice(p);
    }
    out
}

fn name_of(p: &Param) -> Vec<u8> {
    match p {
        Param::Named(n) => n.clone(),
        Param::Positional(i) => i.to_string().into_bytes(),
        Param::Special(c) => vec![*c],
        Param::Index(n, Subscript::At) => [n.as_slice(), b"[@]"].concat(),
        Param::Index(n, Subscript::Star) => [n.as_slice(), b"[*]"].concat(),
        Param::Index(n, Subscript::Expr(w)) => {
            let mut s = n.clone();
            s.push(b'[');
            s.extend_from_slice(&rbox_parser::syntax::print_word(w));
            s.push(b']');
            s
        }
    }
}

/// `${!ref}`: the parameter the value of `ref` names (`x`, `a[1]`, `a[@]`, `1`, `@`).
fn indirect_target(sh: &mut Shell, p: &Param) -> Result<Param, Ctl> {
    let Some(text) = value(sh, p)? else {
        let mut m = name_of(p);
        m.extend_from_slice(b": invalid indirect expansion");
        sh.error(&m);
        return Err(sh.fatal(1));
    };
    match parse_ref(&text) {
        Some(t) => Ok(t),
        None => {
            let mut m = text;
            m.extend_from_slice(b": invalid variable name");
            sh.error(&m);
            Err(sh.fatal(1))
        }
    }
}

/// A parameter reference as text: `name`, `name[sub]`, a number, a special character.
pub fn parse_ref(text: &[u8]) -> Option<Param> {
    if let Ok(s) = std::str::from_utf8(text)
        && let Ok(n) = s.parse::<u32>()
    {
        return Some(if n == 0 {
            Param::Special(b'0')
        } else {
            Param::Positional(n)
        });
    }
    if let [c @ (b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!')] = text {
        return Some(Param::Special(*c));
    }
    let open = text.iter().position(|&c| c == b'[');
    let (name, sub) = match open {
        Some(i) if text.last() == Some(&b']') => (&text[..i], Some(&text[i + 1..text.len() - 1])),
        Some(_) => return None,
        None => (text, None),
    };
    if !rbox_parser::syntax::is_name(name) {
        return None;
    }
    Some(match sub {
        None => Param::Named(name.to_vec()),
        Some(b"@") => Param::Index(name.to_vec(), Subscript::At),
        Some(b"*") => Param::Index(name.to_vec(), Subscript::Star),
        Some(s) => Param::Index(name.to_vec(), Subscript::Expr(Word::literal(s))),
    })
}

/// Reports an unset parameter under `set -u` and gives the fatal jump.
fn unset_error(sh: &Shell, p: &Param) -> Ctl {
    sh.error2(&name_of(p), "parameter not set");
    sh.fatal(1)
}

/// Expands `pe` into `buf`.
pub fn expand(
    sh: &mut Shell,
    pe: &ParamExp,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
) -> Result<(), Ctl> {
    if pe.indirect {
        return indirect(sh, pe, quoted, mode, buf);
    }
    let list = list_of(sh, &pe.param);
    let star = is_star(&pe.param);
    match &pe.op {
        ParamOp::Plain => {
            if let Some(values) = list {
                if values.is_empty() && sh.opts.nounset && !list_is_set(sh, &pe.param) {
                    return Err(unset_error(sh, &pe.param));
                }
                emit_list(sh, &values, star, quoted, mode, buf);
                return Ok(());
            }
            match value(sh, &pe.param)? {
                Some(v) => push_result(buf, &v, quoted),
                None if sh.opts.nounset => return Err(unset_error(sh, &pe.param)),
                None => {}
            }
        }
        ParamOp::Length => {
            let n = if let Some(values) = &list {
                values.len()
            } else {
                match value(sh, &pe.param)? {
                    Some(v) => str_len(sh, &v),
                    None if sh.opts.nounset => return Err(unset_error(sh, &pe.param)),
                    None => 0,
                }
            };
            push_result(buf, n.to_string().as_bytes(), quoted);
        }
        ParamOp::Names { .. } => {}
        ParamOp::Transform { op } => {
            let op = *op;
            let f = |v: &[u8]| transform(op, v);
            if list.is_none() && value(sh, &pe.param)?.is_none() {
                // An unset parameter stays empty (bash), or is an error under `set -u`.
                if sh.opts.nounset {
                    return Err(unset_error(sh, &pe.param));
                }
                return Ok(());
            }
            with_values(sh, pe, list, quoted, mode, buf, f)?;
        }
        ParamOp::Default { colon, word }
        | ParamOp::Assign { colon, word }
        | ParamOp::Error { colon, word }
        | ParamOp::Alternative { colon, word } => {
            let (set, value) = if let Some(values) = &list {
                let n = values.len();
                let nonempty = if star && (quoted || mode == Mode::Str) {
                    // "$*" is null when the joined text is (bash 5).
                    !star_join(sh, values).is_empty()
                } else {
                    n > 1 || values.first().is_some_and(|p| !p.is_empty())
                };
                (n > 0 && (!colon || nonempty), None)
            } else {
                let v = value(sh, &pe.param)?;
                let set = match &v {
                    None => false,
                    Some(s) => !(*colon && s.is_empty()),
                };
                (set, v)
            };
            let emit_value = |sh: &mut Shell, buf: &mut WordBuf| {
                if let Some(values) = &list {
                    emit_list(sh, values, star, quoted, mode, buf);
                } else if let Some(v) = &value {
                    push_result(buf, v, quoted);
                }
            };
            match &pe.op {
                ParamOp::Default { .. } => {
                    if set {
                        emit_value(sh, buf);
                    } else {
                        operand(sh, word, quoted, mode, buf)?;
                    }
                }
                ParamOp::Alternative { .. } => {
                    if set {
                        operand(sh, word, quoted, mode, buf)?;
                    }
                }
                ParamOp::Assign { .. } => {
                    if set {
                        emit_value(sh, buf);
                    } else {
                        let v = super::string(sh, word)?;
                        match &pe.param {
                            Param::Named(name) => sh.assign_or_fail(name, v.clone())?,
                            Param::Index(name, Subscript::Expr(w)) => {
                                let key = key_of(sh, name, w)?;
                                super::assign::set_elem_or_fail(sh, name, &key, v.clone())?;
                            }
                            _ => {
                                sh.error2(&name_of(&pe.param), "bad variable name");
                                return Err(sh.fatal(2));
                            }
                        }
                        push_result(buf, &v, quoted);
                    }
                }
                _ => {
                    if set {
                        emit_value(sh, buf);
                    } else {
                        let msg = if word.parts.is_empty() {
                            if *colon {
                                b"parameter null or not set".to_vec()
                            } else {
                                b"parameter not set".to_vec()
                            }
                        } else {
                            super::string(sh, word)?
                        };
                        let mut m = name_of(&pe.param);
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(&msg);
                        sh.error(&m);
                        return Err(sh.fatal(1));
                    }
                }
            }
        }
        ParamOp::RemovePrefix { longest, pattern } | ParamOp::RemoveSuffix { longest, pattern } => {
            let pat = super::word_pattern(sh, pattern)?;
            let ext = if *longest {
                Extent::Longest
            } else {
                Extent::Shortest
            };
            let prefix = matches!(pe.op, ParamOp::RemovePrefix { .. });
            let cut = |v: &[u8]| -> Vec<u8> {
                if prefix {
                    match pat.match_prefix(v, ext) {
                        Some(n) => v[n..].to_vec(),
                        None => v.to_vec(),
                    }
                } else {
                    match pat.match_suffix(v, ext) {
                        Some(n) => v[..n].to_vec(),
                        None => v.to_vec(),
                    }
                }
            };
            with_values(sh, pe, list, quoted, mode, buf, cut)?;
        }
        ParamOp::Replace {
            mode: rmode,
            pattern,
            replacement,
        } => {
            let pbuf = super::pattern(sh, pattern)?;
            let pat = compile_pattern(&pbuf);
            let rep = match replacement {
                Some(w) => super::string(sh, w)?,
                None => Vec::new(),
            };
            let rmode = *rmode;
            let empty_pat = pbuf.bytes.is_empty();
            let f = |v: &[u8]| replace(v, &pat, &rep, rmode, empty_pat);
            with_values(sh, pe, list, quoted, mode, buf, f)?;
        }
        ParamOp::Substring { offset, length } => {
            let off = arith_word(sh, offset)?;
            let len = match length {
                Some(w) => Some(arith_word(sh, w)?),
                None => None,
            };
            if let Param::Index(name, Subscript::At | Subscript::Star) = &pe.param {
                let slice = array_slice(sh, name, off, len);
                emit_list(sh, &slice, star, quoted, mode, buf);
                return Ok(());
            }
            if list.is_some() {
                // ${@:o:l}: a slice of the parameters, $0 being index 0.
                let mut all = vec![sh.arg0.clone()];
                all.extend(sh.positional.iter().cloned());
                let n = all.len() as i64;
                let start = if off < 0 {
                    (n + off).max(0)
                } else {
                    off.min(n)
                };
                let end = match len {
                    None => n,
                    Some(l) if l < 0 => (n + l).max(start),
                    Some(l) => (start + l).min(n),
                };
                let start = if off == 0 && length.is_none() {
                    1
                } else {
                    start
                };
                let slice: Vec<Vec<u8>> = all
                    .get(start as usize..end.max(start) as usize)
                    .unwrap_or_default()
                    .to_vec();
                emit_list(sh, &slice, star, quoted, mode, buf);
                return Ok(());
            }
            let v = match value(sh, &pe.param)? {
                Some(v) => v,
                None if sh.opts.nounset => return Err(unset_error(sh, &pe.param)),
                None => Vec::new(),
            };
            let n = v.len() as i64;
            let start = if off < 0 {
                (n + off).max(0)
            } else {
                off.min(n)
            };
            let end = match len {
                None => n,
                Some(l) if l < 0 => {
                    let e = n + l;
                    if e < start {
                        sh.error2(&name_of(&pe.param), "substring expression < 0");
                        return Err(sh.fatal(1));
                    }
                    e
                }
                Some(l) => (start + l).min(n),
            };
            push_result(buf, &v[start as usize..end as usize], quoted);
        }
    }
    Ok(())
}

/// `${x@Q}` and the case changes of one value.
fn transform(op: u8, v: &[u8]) -> Vec<u8> {
    match op {
        b'Q' => {
            let mut s = Vec::with_capacity(v.len() + 2);
            s.push(b'\'');
            for &c in v {
                if c == b'\'' {
                    s.extend_from_slice(b"'\\''");
                } else {
                    s.push(c);
                }
            }
            s.push(b'\'');
            s
        }
        b'U' => v.to_ascii_uppercase(),
        b'L' => v.to_ascii_lowercase(),
        b'u' => {
            let mut s = v.to_vec();
            if let Some(c) = s.first_mut() {
                c.make_ascii_uppercase();
            }
            s
        }
        _ => v.to_vec(),
    }
}

/// `${a[@]:off:len}`: the elements from index `off` on (negative: from the end), at
/// most `len` of them.
fn array_slice(sh: &Shell, name: &[u8], off: i64, len: Option<i64>) -> Vec<Vec<u8>> {
    let pairs: Vec<(i64, Vec<u8>)> = match sh.vars.array(name) {
        Some(Array::Indexed(m)) => m.iter().map(|(k, v)| (*k, v.clone())).collect(),
        Some(Array::Assoc(v)) => v
            .iter()
            .enumerate()
            .map(|(i, (_, x))| (i as i64, x.clone()))
            .collect(),
        None => sh
            .vars
            .get(name)
            .map(|v| vec![(0, v.to_vec())])
            .unwrap_or_default(),
    };
    let end_index = pairs.last().map_or(0, |p| p.0 + 1);
    let start = if off < 0 { end_index + off } else { off };
    if start < 0 {
        return Vec::new();
    }
    let it = pairs
        .into_iter()
        .filter(|(k, _)| *k >= start)
        .map(|(_, v)| v);
    match len {
        Some(l) if l >= 0 => it.take(l as usize).collect(),
        _ => it.collect(),
    }
}

/// `"$*"`-style join of `values` with the first byte of IFS.
fn star_join(sh: &Shell, values: &[Vec<u8>]) -> Vec<u8> {
    let sep: Option<u8> = match sh.vars.get(b"IFS") {
        None => Some(b' '),
        Some(s) => s.first().copied(),
    };
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0
            && let Some(c) = sep
        {
            out.push(c);
        }
        out.extend_from_slice(v);
    }
    out
}

/// `${!ref...}`, `${!a[@]}` (the keys) and `${!prefix@}` (the names).
fn indirect(
    sh: &mut Shell,
    pe: &ParamExp,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
) -> Result<(), Ctl> {
    if let ParamOp::Names { star } = pe.op {
        let Param::Named(prefix) = &pe.param else {
            return Ok(());
        };
        let names: Vec<Vec<u8>> = sh
            .vars
            .sorted()
            .into_iter()
            .filter(|(n, v)| n.starts_with(prefix) && (v.value.is_some() || v.array.is_some()))
            .map(|(n, _)| n.to_vec())
            .collect();
        emit_list(sh, &names, star, quoted, mode, buf);
        return Ok(());
    }
    if let Param::Index(name, sub @ (Subscript::At | Subscript::Star)) = &pe.param
        && pe.op == ParamOp::Plain
    {
        let keys = match sh.vars.array(name) {
            Some(a) => a.keys(),
            None if sh.vars.get(name).is_some() => vec![b"0".to_vec()],
            None => Vec::new(),
        };
        emit_list(sh, &keys, *sub == Subscript::Star, quoted, mode, buf);
        return Ok(());
    }
    let target = indirect_target(sh, &pe.param)?;
    let direct = ParamExp {
        param: target,
        op: pe.op.clone(),
        braced: true,
        indirect: false,
    };
    expand(sh, &direct, quoted, mode, buf)
}

/// Applies `f` to the parameter's value, or to each value of a list parameter.
fn with_values(
    sh: &mut Shell,
    pe: &ParamExp,
    list: Option<Vec<Vec<u8>>>,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
    f: impl Fn(&[u8]) -> Vec<u8>,
) -> Result<(), Ctl> {
    if let Some(list) = list {
        let values: Vec<Vec<u8>> = list.iter().map(|v| f(v)).collect();
        emit_list(sh, &values, is_star(&pe.param), quoted, mode, buf);
        return Ok(());
    }
    let v = match value(sh, &pe.param)? {
        Some(v) => v,
        None if sh.opts.nounset => return Err(unset_error(sh, &pe.param)),
        None => Vec::new(),
    };
    push_result(buf, &f(&v), quoted);
    Ok(())
}

/// Emits a list of values as `$@` / `$*` do in this context.
pub fn emit_list(
    sh: &Shell,
    values: &[Vec<u8>],
    star: bool,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
) {
    if quoted && star || mode == Mode::Str {
        let sep: Option<u8> = if star || quoted {
            match sh.vars.get(b"IFS") {
                None => Some(b' '),
                Some(s) => s.first().copied(),
            }
        } else {
            Some(b' ')
        };
        let sep = if mode == Mode::Str && !star {
            Some(b' ')
        } else {
            sep
        };
        if quoted {
            buf.mark();
        }
        let flag = if quoted { QUOTED } else { SPLIT };
        for (i, v) in values.iter().enumerate() {
            if i > 0
                && let Some(c) = sep
            {
                buf.push(&[c], flag);
            }
            buf.push(v, flag);
        }
        return;
    }
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            buf.brk();
        }
        if quoted {
            buf.mark();
            buf.push(v, QUOTED);
        } else {
            buf.push(v, SPLIT);
        }
    }
}

/// `${x/p/r}` and friends on one value.
fn replace(
    v: &[u8],
    pat: &rbox_parser::pattern::Pattern,
    rep: &[u8],
    mode: ReplaceMode,
    empty_pat: bool,
) -> Vec<u8> {
    match mode {
        ReplaceMode::Prefix => match pat.match_prefix(v, Extent::Longest) {
            Some(n) => [rep, &v[n..]].concat(),
            None => v.to_vec(),
        },
        // The longest matching suffix: the smallest start index.
        ReplaceMode::Suffix => match pat.match_suffix(v, Extent::Longest) {
            Some(start) => [&v[..start], rep].concat(),
            None => v.to_vec(),
        },
        ReplaceMode::First | ReplaceMode::All => {
            if empty_pat {
                return v.to_vec();
            }
            let mut out = Vec::with_capacity(v.len());
            let mut i = 0;
            while i <= v.len() {
                match pat.find(v, i) {
                    Some((s, e)) if e > s => {
                        out.extend_from_slice(&v[i..s]);
                        out.extend_from_slice(rep);
                        i = e;
                        if mode == ReplaceMode::First {
                            break;
                        }
                    }
                    Some((s, _)) => {
                        // An empty match: step over one byte.
                        if s >= v.len() {
                            break;
                        }
                        out.extend_from_slice(&v[i..=s]);
                        i = s + 1;
                    }
                    None => break,
                }
            }
            if i <= v.len() {
                out.extend_from_slice(&v[i..]);
            }
            out
        }
    }
}

/// Expands the operand of `${x:-word}` / `${x:+word}`: unquoted literal text in it splits.
fn operand(
    sh: &mut Shell,
    word: &Word,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
) -> Result<(), Ctl> {
    let saved = buf.lit_flag;
    if !quoted {
        buf.lit_flag = SPLIT;
    }
    let r = expand_parts(sh, &word.parts, quoted, mode, buf);
    buf.lit_flag = saved;
    r
}

fn arith_word(sh: &mut Shell, w: &Word) -> Result<i64, Ctl> {
    let text = super::string(sh, w)?;
    super::arith::eval(sh, &text)
}
