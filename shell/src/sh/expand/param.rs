//! Parameter expansion (XCU 2.6.2) and the ash/bash forms `${x:o:l}` and `${x/p/r}`.

use rbox_parser::pattern::Extent;
use rbox_parser::syntax::{Param, ParamExp, ParamOp, ReplaceMode, Word};

use super::{Mode, QUOTED, SPLIT, WordBuf, compile_pattern, expand_parts, push_result};
use crate::sh::state::{Ctl, Shell};

/// The value of a single parameter (`@`/`*` joined as `"$*"`), or `None` when unset.
pub fn lookup(sh: &mut Shell, p: &Param) -> Option<Vec<u8>> {
    match p {
        Param::Named(n) => {
            if let Some(v) = sh.vars.var(n) {
                return v.value.clone();
            }
            match n.as_slice() {
                b"RANDOM" => Some(sh.next_random().to_string().into_bytes()),
                b"LINENO" => Some(sh.lineno.to_string().into_bytes()),
                b"_" => Some(sh.last_arg.clone()),
                b"SECONDS" => Some(sh.started.elapsed().as_secs().to_string().into_bytes()),
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
    }
}

fn is_list(p: &Param) -> bool {
    matches!(p, Param::Special(b'@' | b'*'))
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
    let list = is_list(&pe.param);
    match &pe.op {
        ParamOp::Plain => {
            if list {
                let values = sh.positional.clone();
                emit_list(
                    sh,
                    &values,
                    pe.param == Param::Special(b'*'),
                    quoted,
                    mode,
                    buf,
                );
                return Ok(());
            }
            match lookup(sh, &pe.param) {
                Some(v) => push_result(buf, &v, quoted),
                None if sh.opts.nounset => return Err(unset_error(sh, &pe.param)),
                None => {}
            }
        }
        ParamOp::Length => {
            let n = if list {
                sh.positional.len()
            } else {
                match lookup(sh, &pe.param) {
                    Some(v) => v.len(),
                    None if sh.opts.nounset => return Err(unset_error(sh, &pe.param)),
                    None => 0,
                }
            };
            push_result(buf, n.to_string().as_bytes(), quoted);
        }
        ParamOp::Default { colon, word }
        | ParamOp::Assign { colon, word }
        | ParamOp::Error { colon, word }
        | ParamOp::Alternative { colon, word } => {
            let (set, value) = if list {
                let n = sh.positional.len();
                let nonempty = if pe.param == Param::Special(b'*') {
                    sh.positional.iter().any(|p| !p.is_empty())
                } else {
                    n > 1 || sh.positional.first().is_some_and(|p| !p.is_empty())
                };
                (n > 0 && (!colon || nonempty), None)
            } else {
                let v = lookup(sh, &pe.param);
                let set = match &v {
                    None => false,
                    Some(s) => !(*colon && s.is_empty()),
                };
                (set, v)
            };
            let emit_value = |sh: &mut Shell, buf: &mut WordBuf| {
                if list {
                    let values = sh.positional.clone();
                    emit_list(
                        sh,
                        &values,
                        pe.param == Param::Special(b'*'),
                        quoted,
                        mode,
                        buf,
                    );
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
                        let Param::Named(name) = &pe.param else {
                            sh.error2(&name_of(&pe.param), "bad variable name");
                            return Err(sh.fatal(2));
                        };
                        let v = super::string(sh, word)?;
                        sh.assign_or_fail(name, v.clone())?;
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
            let pat = compile_pattern(&super::pattern(sh, pattern)?);
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
            with_values(sh, pe, quoted, mode, buf, cut)?;
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
            with_values(sh, pe, quoted, mode, buf, f)?;
        }
        ParamOp::Substring { offset, length } => {
            let off = arith_word(sh, offset)?;
            let len = match length {
                Some(w) => Some(arith_word(sh, w)?),
                None => None,
            };
            if list {
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
                emit_list(
                    sh,
                    &slice,
                    pe.param == Param::Special(b'*'),
                    quoted,
                    mode,
                    buf,
                );
                return Ok(());
            }
            let v = match lookup(sh, &pe.param) {
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

/// Applies `f` to the parameter's value, or to each positional parameter for `@`/`*`.
fn with_values(
    sh: &mut Shell,
    pe: &ParamExp,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
    f: impl Fn(&[u8]) -> Vec<u8>,
) -> Result<(), Ctl> {
    if is_list(&pe.param) {
        let values: Vec<Vec<u8>> = sh.positional.iter().map(|v| f(v)).collect();
        emit_list(
            sh,
            &values,
            pe.param == Param::Special(b'*'),
            quoted,
            mode,
            buf,
        );
        return Ok(());
    }
    let v = match lookup(sh, &pe.param) {
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
