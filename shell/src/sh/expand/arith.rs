//! `$((...))`, `let`, `((...))` and arithmetic operands: the parsed text is cached, the
//! shell's variables are read and written through [`rbox_parser::arith::Vars`].

use std::rc::Rc;

use rbox_parser::arith::{self, ArithError, Vars};

use crate::sh::state::{Ctl, Shell};

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
