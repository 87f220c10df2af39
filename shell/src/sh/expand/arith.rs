//! `$((...))`, `let`, `((...))` and arithmetic operands: the parsed text is cached, the
//! shell's variables are read (borrowed, not copied) and written through
//! [`rbox_parser::arith::Vars`].

use std::borrow::Cow;
use std::rc::Rc;

use rbox_parser::arith::{self, ArithError, Vars};

use crate::sh::state::{Ctl, Shell};
use crate::sh::vars::{Array, Key};

/// How many parsed texts the cache keeps before it starts over.
const CACHE_MAX: usize = 512;

struct ShellVars<'a>(&'a mut Shell);

impl Vars for ShellVars<'_> {
    fn get(&mut self, name: &[u8]) -> Result<Option<Cow<'_, [u8]>>, ArithError> {
        let sh = &mut *self.0;
        if sh.vars.var(name).is_none() {
            // Unset, or one of the dynamic names (`$RANDOM`, `$LINENO`...).
            let p = rbox_parser::syntax::Param::Named(name.to_vec());
            let v = crate::sh::expand::param::lookup(sh, &p);
            if v.is_none() && sh.opts.nounset {
                return Err(ArithError::new(format!(
                    "{}: parameter not set",
                    String::from_utf8_lossy(name)
                )));
            }
            return Ok(v.map(Cow::Owned));
        }
        // A set variable is read in place; an array stands for its element 0, as in `$a`.
        Ok(sh.vars.var(name).and_then(|v| {
            v.value
                .as_deref()
                .or_else(|| v.array.as_ref().and_then(|a| a.first()))
                .map(Cow::Borrowed)
        }))
    }

    fn set(&mut self, name: &[u8], value: i64) -> Result<(), ArithError> {
        let mut text = Vec::with_capacity(20);
        push_decimal(&mut text, value);
        self.0.assign(name, text).map_err(|_| {
            ArithError::new(format!("{}: is read only", String::from_utf8_lossy(name)))
        })
    }

    fn get_elem(&mut self, name: &[u8], index: i64) -> Result<Option<Vec<u8>>, ArithError> {
        let key = self.key(name, index)?;
        let v = crate::sh::expand::param::elem(self.0, name, &key);
        if v.is_none() && self.0.opts.nounset {
            return Err(ArithError::new(format!(
                "{}[{index}]: parameter not set",
                String::from_utf8_lossy(name)
            )));
        }
        Ok(v)
    }

    fn set_elem(&mut self, name: &[u8], index: i64, value: i64) -> Result<(), ArithError> {
        let key = self.key(name, index)?;
        self.0
            .vars
            .set_elem(name, &key, value.to_string().into_bytes())
            .map_err(|_| {
                ArithError::new(format!("{}: is read only", String::from_utf8_lossy(name)))
            })
    }
}

impl ShellVars<'_> {
    /// The element an arithmetic subscript names: negative indices count from the end;
    /// an associative array takes the number as its key.
    fn key(&self, name: &[u8], index: i64) -> Result<Key, ArithError> {
        match self.0.vars.array(name) {
            Some(Array::Assoc(_)) => Ok(Key::Name(index.to_string().into_bytes())),
            Some(a) => a.resolve(index).map(Key::Index).ok_or_else(|| {
                ArithError::new(format!(
                    "{}: bad array subscript",
                    String::from_utf8_lossy(name)
                ))
            }),
            None if index == -1 && self.0.vars.get(name).is_some() => Ok(Key::Index(0)),
            None => Ok(Key::Index(index)),
        }
    }
}

/// Appends `v` in decimal (without going through `fmt`).
pub fn push_decimal(out: &mut Vec<u8>, v: i64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[i..]);
}

/// Evaluates arithmetic text, reporting an error as fatal (status 2).
pub fn eval(sh: &mut Shell, text: &[u8]) -> Result<i64, Ctl> {
    match try_eval(sh, text) {
        Ok(v) => Ok(v),
        Err(e) => {
            sh.error(format!("arithmetic expression: {}", e.message()).as_bytes());
            Err(sh.fatal(1))
        }
    }
}

/// Evaluates arithmetic text, giving the error back. Parses are cached by text: the
/// text of a loop's `$((i + 1))` is the same each time round.
pub fn try_eval(sh: &mut Shell, text: &[u8]) -> Result<i64, ArithError> {
    let expr = match sh.arith_cache.get(text) {
        Some(e) => Rc::clone(e),
        None => {
            let e = Rc::new(arith::parse(text)?);
            if sh.arith_cache.len() >= CACHE_MAX {
                sh.arith_cache.clear();
            }
            sh.arith_cache.insert(text.to_vec(), Rc::clone(&e));
            e
        }
    };
    arith::eval(&expr, &mut ShellVars(sh))
}

/// Evaluates text made by expanding parameters (`$(( $1 + 1 ))`): different nearly
/// every time, so it is parsed afresh rather than filling the cache.
pub fn eval_uncached(sh: &mut Shell, text: &[u8]) -> Result<i64, Ctl> {
    if let Some(e) = sh.arith_cache.get(text) {
        let e = Rc::clone(e);
        let r = arith::eval(&e, &mut ShellVars(sh));
        return report(sh, r);
    }
    let r = arith::parse(text).and_then(|e| arith::eval(&e, &mut ShellVars(sh)));
    report(sh, r)
}

fn report(sh: &mut Shell, r: Result<i64, ArithError>) -> Result<i64, Ctl> {
    r.map_err(|e| {
        sh.error(format!("arithmetic expression: {}", e.message()).as_bytes());
        sh.fatal(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_text() {
        for v in [0, 7, -7, 10, 1_000_003, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            push_decimal(&mut out, v);
            assert_eq!(out, v.to_string().into_bytes());
        }
    }
}
