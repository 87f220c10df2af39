//! `$((...))`, `let`, `((...))` and arithmetic operands: the parsed text is cached, the
//! shell's variables are read and written through [`rbox_parser::arith::Vars`].

use std::rc::Rc;

use rbox_parser::arith::{self, ArithError, Vars};

use crate::sh::state::{Ctl, Shell};
use crate::sh::vars::{Array, Key};

struct ShellVars<'a>(&'a mut Shell);

impl Vars for ShellVars<'_> {
    fn get(&mut self, name: &[u8]) -> Result<Option<Vec<u8>>, ArithError> {
        let sh = &mut *self.0;
        let v =
            crate::sh::expand::param::lookup(sh, &rbox_parser::syntax::Param::Named(name.to_vec()));
        if v.is_none() && sh.opts.nounset {
            return Err(ArithError::new(format!(
                "{}: parameter not set",
                String::from_utf8_lossy(name)
            )));
        }
        Ok(v)
    }

    fn set(&mut self, name: &[u8], value: i64) -> Result<(), ArithError> {
        self.0
            .assign(name, value.to_string().into_bytes())
            .map_err(|_| {
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

/// Evaluates arithmetic text, giving the error back.
pub fn try_eval(sh: &mut Shell, text: &[u8]) -> Result<i64, ArithError> {
    let expr = match sh.arith_cache.get(text) {
        Some(e) => Rc::clone(e),
        None => {
            let e = Rc::new(arith::parse(text)?);
            if sh.arith_cache.len() > 512 {
                sh.arith_cache.clear();
            }
            sh.arith_cache.insert(text.to_vec(), Rc::clone(&e));
            e
        }
    };
    arith::eval(&expr, &mut ShellVars(sh))
}
