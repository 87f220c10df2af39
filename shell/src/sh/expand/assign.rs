//! Array and compound assignments (bash/ksh): `a=(x y)`, `a=([k]=v)`, `a[i]=v`, `x+=v`,
//! `a+=(z)`, and the array arguments of `declare`, `local` and `readonly`.

use rbox_parser::syntax::{Assign, Word, WordPart, subscript_split};

use crate::sh::state::{Ctl, Shell};
use crate::sh::vars::{Array, Key, ReadOnly};

/// One element of an array value: `[key]=value` or a plain value (the next index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elem {
    /// The subscript after expansion (arithmetic text for indexed arrays).
    pub key: Option<Vec<u8>>,
    /// The value.
    pub value: Vec<u8>,
}

/// An array value given to a declaration utility: `declare a=(x y)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclArray {
    /// The position of the argument (`a`) among the command's fields.
    pub arg: usize,
    /// `a+=(...)`.
    pub append: bool,
    /// The elements.
    pub elems: Vec<Elem>,
}

/// Expands the words of `(...)`: `[k]=v` words to one keyed element (no splitting),
/// other words to their fields.
pub fn elements(sh: &mut Shell, words: &[Word]) -> Result<Vec<Elem>, Ctl> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        if let Some(WordPart::Literal(t)) = w.parts.first()
            && t.first() == Some(&b'[')
            && let Some((sub, _, at, off)) = subscript_split(&w.parts, 1)
        {
            let key = super::string(sh, &sub)?;
            let mut parts = Vec::new();
            if let Some(WordPart::Literal(t)) = w.parts.get(at) {
                let rest = t.get(off..).unwrap_or(&[]);
                if !rest.is_empty() {
                    parts.push(WordPart::Literal(rest.to_vec()));
                }
            }
            parts.extend(w.parts.iter().skip(at + 1).cloned());
            let value = super::string(sh, &Word { parts })?;
            out.push(Elem {
                key: Some(key),
                value,
            });
            continue;
        }
        let mut fields = Vec::new();
        super::word_fields(sh, w, &mut fields)?;
        out.extend(fields.into_iter().map(|value| Elem { key: None, value }));
    }
    Ok(out)
}

/// Reports an assignment to a readonly variable (status 1, as other assignments).
pub fn readonly_error(sh: &Shell, name: &[u8]) -> Ctl {
    sh.error2(name, "is read only");
    sh.fatal(1)
}

/// Sets one element, reporting a readonly variable.
pub fn set_elem_or_fail(sh: &mut Shell, name: &[u8], key: &Key, v: Vec<u8>) -> Result<(), Ctl> {
    sh.vars
        .set_elem(name, key, v)
        .map_err(|ReadOnly| readonly_error(sh, name))
}

/// Stores `elems` as the array `name`: associative when `assoc` or when it already is
/// one; `append` keeps the elements there are (a scalar becomes element 0).
pub fn store(
    sh: &mut Shell,
    name: &[u8],
    elems: Vec<Elem>,
    assoc: bool,
    append: bool,
) -> Result<(), Ctl> {
    if sh.vars.var(name).is_some_and(|v| v.readonly) {
        return Err(readonly_error(sh, name));
    }
    let existing = sh.vars.array(name).cloned();
    let is_assoc = assoc || matches!(existing, Some(Array::Assoc(_)));
    let mut arr = match existing {
        Some(a) if append => a,
        _ if append && !is_assoc => {
            let mut m = std::collections::BTreeMap::new();
            if let Some(v) = sh.vars.get(name) {
                m.insert(0, v.to_vec());
            }
            Array::Indexed(m)
        }
        _ if is_assoc => Array::Assoc(Vec::new()),
        _ => Array::Indexed(Default::default()),
    };
    let mut next = arr.next_index();
    for e in elems {
        match e.key {
            Some(k) if is_assoc => arr.set(&Key::Name(k), e.value),
            Some(k) => {
                let i = super::arith::eval(sh, &k)?;
                let i = match arr.resolve(i) {
                    Some(i) => i,
                    None => {
                        sh.error(&[name, b": bad array subscript"].concat());
                        return Err(sh.fatal(1));
                    }
                };
                arr.set(&Key::Index(i), e.value);
                next = i + 1;
            }
            None if is_assoc => arr.set(&Key::Name(e.value), Vec::new()),
            None => {
                arr.set(&Key::Index(next), e.value);
                next += 1;
            }
        }
    }
    sh.vars
        .set_array(name, arr)
        .map_err(|ReadOnly| readonly_error(sh, name))
}

/// `true` for the assignments only [`assign`] can make (arrays, subscripts, `+=`).
pub fn is_complex(a: &Assign) -> bool {
    a.index.is_some() || a.append || matches!(a.value.parts.last(), Some(WordPart::Array(_)))
}

/// Makes an array, element or `+=` assignment.
pub fn assign(sh: &mut Shell, a: &Assign) -> Result<(), Ctl> {
    if let Some(WordPart::Array(words)) = a.value.parts.last() {
        if a.index.is_some() {
            sh.error(&[a.name.as_slice(), b": cannot assign list to array member"].concat());
            return Err(sh.fatal(1));
        }
        let elems = elements(sh, words)?;
        return store(sh, &a.name, elems, false, a.append);
    }
    let v = super::string(sh, &a.value)?;
    if let Some(w) = &a.index {
        let key = super::param::key_of(sh, &a.name, w)?;
        let v = if a.append {
            let mut old = super::param::elem(sh, &a.name, &key).unwrap_or_default();
            old.extend_from_slice(&v);
            old
        } else {
            v
        };
        return set_elem_or_fail(sh, &a.name, &key, v);
    }
    let mut old = sh.vars.get(&a.name).unwrap_or_default().to_vec();
    old.extend_from_slice(&v);
    sh.assign_or_fail(&a.name, old)
}
