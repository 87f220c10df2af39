//! Evaluation on `i64` with explicit wrapping, through the shell's [`Vars`].

use std::borrow::Cow;

use super::{
    ArithError, BinOp, ErrorKind, Expr, IncDec, MAX_EVAL_DEPTH, MAX_PARSE_DEPTH, MAX_VAR_DEPTH,
    Node, UnaryOp, parse,
};

/// The shell's variables, as arithmetic sees them.
pub trait Vars {
    /// The value of `name`, `None` if it is unset. May fail, e.g. under `set -u`.
    /// Borrowed when the table holds it as text (the common case: no copy per read).
    fn get(&mut self, name: &[u8]) -> Result<Option<Cow<'_, [u8]>>, ArithError>;
    /// Assigns `value` (the shell stores it as decimal text). May fail, e.g. for a
    /// readonly variable; use [`ArithError::new`] for the message.
    fn set(&mut self, name: &[u8], value: i64) -> Result<(), ArithError>;
    /// The element `index` of array `name` (bash arrays); by default arrays do not exist.
    fn get_elem(&mut self, name: &[u8], index: i64) -> Result<Option<Vec<u8>>, ArithError> {
        let _ = (name, index);
        Err(ArithError::new("arrays are not supported".into()))
    }
    /// Assigns element `index` of array `name`.
    fn set_elem(&mut self, name: &[u8], index: i64, value: i64) -> Result<(), ArithError> {
        let _ = (name, index, value);
        Err(ArithError::new("arrays are not supported".into()))
    }
}

/// Evaluates a parsed expression.
pub fn eval(expr: &Expr, vars: &mut dyn Vars) -> Result<i64, ArithError> {
    Evaluator {
        vars,
        depth: 0,
        var_depth: 0,
    }
    .node(&expr.root, &expr.src)
}

/// Parses and evaluates `src` in one step.
pub fn eval_str(src: &[u8], vars: &mut dyn Vars) -> Result<i64, ArithError> {
    eval(&super::parse(src)?, vars)
}

struct Evaluator<'v> {
    vars: &'v mut dyn Vars,
    /// Nested `node` calls, across variables holding expressions.
    depth: usize,
    /// Variables holding expressions currently being evaluated.
    var_depth: usize,
}

impl Evaluator<'_> {
    fn node(&mut self, n: &Node, src: &[u8]) -> Result<i64, ArithError> {
        self.depth += 1;
        let r = if self.depth > MAX_EVAL_DEPTH {
            Err(ArithError::with_kind(
                ErrorKind::TooDeep,
                "arithmetic expression nested too deeply".into(),
            ))
        } else {
            self.node_inner(n, src)
        };
        self.depth -= 1;
        r
    }

    fn node_inner(&mut self, n: &Node, src: &[u8]) -> Result<i64, ArithError> {
        Ok(match n {
            Node::Num(v) => *v,
            Node::Var(name) => self.var(name)?,
            Node::Unary(op, e) => {
                let v = self.node(e, src)?;
                match op {
                    UnaryOp::Plus => v,
                    UnaryOp::Neg => v.wrapping_neg(),
                    UnaryOp::Not => i64::from(v == 0),
                    UnaryOp::BitNot => !v,
                }
            }
            Node::IncDec(kind, name) => {
                let old = self.var(name)?;
                let new = match kind {
                    IncDec::PreInc | IncDec::PostInc => old.wrapping_add(1),
                    IncDec::PreDec | IncDec::PostDec => old.wrapping_sub(1),
                };
                self.vars.set(name, new)?;
                match kind {
                    IncDec::PreInc | IncDec::PreDec => new,
                    IncDec::PostInc | IncDec::PostDec => old,
                }
            }
            Node::Binary(..) | Node::Comma(..) => self.chain(n, src)?,
            Node::Cond(c, a, b) => {
                if self.node(c, src)? != 0 {
                    self.node(a, src)?
                } else {
                    self.node(b, src)?
                }
            }
            Node::Elem(name, index) => {
                let i = self.node(index, src)?;
                let value = self.vars.get_elem(name, i)?;
                self.numeric(name, value)?
            }
            Node::ElemIncDec(kind, name, index) => {
                let i = self.node(index, src)?;
                let value = self.vars.get_elem(name, i)?;
                let old = self.numeric(name, value)?;
                let new = match kind {
                    IncDec::PreInc | IncDec::PostInc => old.wrapping_add(1),
                    IncDec::PreDec | IncDec::PostDec => old.wrapping_sub(1),
                };
                self.vars.set_elem(name, i, new)?;
                match kind {
                    IncDec::PreInc | IncDec::PreDec => new,
                    IncDec::PostInc | IncDec::PostDec => old,
                }
            }
            Node::ElemAssign(op, name, index, e) => {
                let i = self.node(index, src)?;
                let v = match op {
                    None => self.node(e, src)?,
                    Some(op) => {
                        let value = self.vars.get_elem(name, i)?;
                        let old = self.numeric(name, value)?;
                        let rhs = self.node(e, src)?;
                        apply(*op, old, rhs, src)?
                    }
                };
                self.vars.set_elem(name, i, v)?;
                v
            }
            Node::Assign(op, name, e) => {
                let v = match op {
                    None => self.node(e, src)?,
                    // The variable is read before the right side runs, as in bash.
                    Some(op) => {
                        let old = self.var(name)?;
                        let rhs = self.node(e, src)?;
                        apply(*op, old, rhs, src)?
                    }
                };
                self.vars.set(name, v)?;
                v
            }
        })
    }

    /// A binary operator or comma whose left operand may itself be one, and so on: a
    /// long left-associative chain (`1+1+...+1`) is walked in a loop, not recursively.
    fn chain(&mut self, n: &Node, src: &[u8]) -> Result<i64, ArithError> {
        // The spine lives on the stack for the usual short chains (`i + 1`, `a*b+c`).
        const SHORT: usize = 8;
        let mut short: [&Node; SHORT] = [n; SHORT];
        let mut long = Vec::new();
        let mut len = 0;
        let mut leftmost = n;
        while let Node::Binary(_, a, _) | Node::Comma(a, _) = leftmost {
            if len < SHORT {
                short[len] = leftmost;
            } else {
                if len == SHORT {
                    long.extend_from_slice(&short);
                }
                long.push(leftmost);
            }
            len += 1;
            leftmost = a;
        }
        let spine: &[&Node] = if len <= SHORT { &short[..len] } else { &long };
        let mut acc = self.node(leftmost, src)?;
        for &step in spine.iter().rev() {
            acc = match step {
                Node::Binary(BinOp::And, _, b) => i64::from(acc != 0 && self.node(b, src)? != 0),
                Node::Binary(BinOp::Or, _, b) => i64::from(acc != 0 || self.node(b, src)? != 0),
                Node::Binary(op, _, b) => {
                    let y = self.node(b, src)?;
                    apply(*op, acc, y, src)?
                }
                Node::Comma(_, b) => self.node(b, src)?,
                _ => acc,
            };
        }
        Ok(acc)
    }

    /// The numeric value of a variable: unset or blank is 0, a decimal integer is
    /// itself, anything else is evaluated as an expression.
    fn var(&mut self, name: &[u8]) -> Result<i64, ArithError> {
        let text = {
            let Some(value) = self.vars.get(name)? else {
                return Ok(0);
            };
            if let Some(n) = plain_decimal(value.trim_ascii()) {
                return Ok(n);
            }
            value.into_owned()
        };
        self.numeric(name, Some(text))
    }

    /// The numeric value of a variable's (or element's) text.
    fn numeric(&mut self, name: &[u8], value: Option<Vec<u8>>) -> Result<i64, ArithError> {
        let Some(value) = value else {
            return Ok(0);
        };
        let text = value.trim_ascii();
        if let Some(n) = plain_decimal(text) {
            return Ok(n);
        }
        if self.var_depth >= MAX_VAR_DEPTH {
            return Err(ArithError::with_kind(
                ErrorKind::TooDeep,
                "expression recursion level exceeded (does the variable refer to itself?)".into(),
            )
            .in_variable(name));
        }
        let limit = MAX_PARSE_DEPTH.min(MAX_EVAL_DEPTH.saturating_sub(self.depth));
        let tree = parse::parse(text, limit).map_err(|e| e.in_variable(name))?;
        self.var_depth += 1;
        let r = self.node(&tree, text).map_err(|e| e.in_variable(name));
        self.var_depth -= 1;
        r
    }
}

/// `0` or `[1-9][0-9]*` that fits in an `i64`: the common case, without parsing.
fn plain_decimal(text: &[u8]) -> Option<i64> {
    match text {
        [b'0'] => Some(0),
        [b'1'..=b'9', rest @ ..] if rest.iter().all(u8::is_ascii_digit) => {
            text.iter().try_fold(0i64, |acc, &d| {
                acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
            })
        }
        _ => None,
    }
}

/// A non-short-circuit binary operator on two values.
fn apply(op: BinOp, x: i64, y: i64, src: &[u8]) -> Result<i64, ArithError> {
    let error =
        |kind, what: &str| ArithError::with_kind(kind, format!("{what} in {}", super::quote(src)));
    Ok(match op {
        BinOp::Pow => {
            if y < 0 {
                return Err(error(ErrorKind::NegativeExponent, "negative exponent"));
            }
            pow(x, y.unsigned_abs())
        }
        BinOp::Mul => x.wrapping_mul(y),
        BinOp::Div | BinOp::Rem if y == 0 => {
            return Err(error(ErrorKind::DivisionByZero, "division by zero"));
        }
        // i64::MIN / -1 wraps to i64::MIN and i64::MIN % -1 is 0, as in bash.
        BinOp::Div => x.wrapping_div(y),
        BinOp::Rem => x.wrapping_rem(y),
        BinOp::Add => x.wrapping_add(y),
        BinOp::Sub => x.wrapping_sub(y),
        // The count is taken modulo 64, as x86-64 (and so bash) does.
        BinOp::Shl => x.wrapping_shl((y & 63) as u32),
        BinOp::Shr => x.wrapping_shr((y & 63) as u32),
        BinOp::Lt => i64::from(x < y),
        BinOp::Le => i64::from(x <= y),
        BinOp::Gt => i64::from(x > y),
        BinOp::Ge => i64::from(x >= y),
        BinOp::Eq => i64::from(x == y),
        BinOp::Ne => i64::from(x != y),
        BinOp::BitAnd => x & y,
        BinOp::BitXor => x ^ y,
        BinOp::BitOr => x | y,
        BinOp::And => i64::from(x != 0 && y != 0),
        BinOp::Or => i64::from(x != 0 || y != 0),
    })
}

/// Wrapping `base ** exp` by squaring.
fn pow(mut base: i64, mut exp: u64) -> i64 {
    let mut acc: i64 = 1;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc.wrapping_mul(base);
        }
        exp >>= 1;
        if exp > 0 {
            base = base.wrapping_mul(base);
        }
    }
    acc
}
