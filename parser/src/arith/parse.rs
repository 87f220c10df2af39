//! Precedence climbing over the token list, C precedence, bash's `++`/`--` rules.

use super::lex::{Op, Tok, Token, tokenize};
use super::{ArithError, BinOp, ErrorKind, IncDec, MAX_HEIGHT, Node, UnaryOp};

/// Binding powers, loosest first.
const COMMA: u8 = 1;
const ASSIGN: u8 = 2;
const COND: u8 = 3;
const ADDITIVE: u8 = 12;
const POW: u8 = 14;

/// Parses `src`, nesting at most `limit` deep; blank text is `Num(0)`.
pub(super) fn parse(src: &[u8], limit: usize) -> Result<Node, ArithError> {
    let toks = tokenize(src)?;
    let mut p = Parser {
        src,
        toks,
        i: 0,
        depth: 0,
        limit,
    };
    if p.peek().tok == Tok::Eof {
        return Ok(Node::Num(0));
    }
    let e = p.expr(COMMA)?;
    let t = p.peek();
    match t.tok {
        Tok::Eof => Ok(e.node),
        Tok::Op(Op::RParen) => Err(p.error("unmatched \")\"", t.pos)),
        _ => Err(p.error("expected an operator", t.pos)),
    }
}

/// A parsed operand: the tree, its height, and whether it is a bare variable name
/// (the only thing that can be assigned to: `(x)=1` is an error, as in bash).
struct Sub {
    node: Node,
    height: usize,
    name: bool,
}

struct Parser<'a> {
    src: &'a [u8],
    /// Always ends with `Eof`, which is never consumed.
    toks: Vec<Token>,
    i: usize,
    depth: usize,
    limit: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        self.toks.get(self.i).copied().unwrap_or(Token {
            tok: Tok::Eof,
            pos: self.src.len(),
        })
    }

    fn peek2(&self) -> Tok {
        self.toks.get(self.i + 1).map_or(Tok::Eof, |t| t.tok)
    }

    fn advance(&mut self) {
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
    }

    /// Turns the current `++`/`--` into its second `+`/`-`, the first one having been
    /// used as a binary or unary operator.
    fn split_current(&mut self, op: Op) {
        if let Some(t) = self.toks.get_mut(self.i) {
            t.tok = Tok::Op(op);
            t.pos += 1;
        }
    }

    fn error(&self, what: &str, pos: usize) -> ArithError {
        ArithError::syntax(what, self.src, pos)
    }

    fn enter(&mut self) -> Result<(), ArithError> {
        self.depth += 1;
        if self.depth > self.limit {
            return Err(self.too_deep());
        }
        Ok(())
    }

    fn too_deep(&self) -> ArithError {
        let mut e = self.error("expression nested too deeply", self.peek().pos);
        e.0.kind = ErrorKind::TooDeep;
        e
    }

    fn checked(&self, node: Node, height: usize) -> Result<Sub, ArithError> {
        if height > MAX_HEIGHT {
            return Err(self.too_deep());
        }
        Ok(Sub {
            node,
            height,
            name: false,
        })
    }

    /// An expression whose operators all bind at least as tightly as `min_bp`.
    fn expr(&mut self, min_bp: u8) -> Result<Sub, ArithError> {
        self.enter()?;
        let r = self.climb(min_bp);
        self.depth -= 1;
        r
    }

    fn climb(&mut self, min_bp: u8) -> Result<Sub, ArithError> {
        let mut lhs = self.operand()?;
        loop {
            let t = self.peek();
            let Tok::Op(op) = t.tok else { break };
            let Some(bp) = infix_power(op) else { break };
            if bp < min_bp {
                break;
            }
            lhs = match op {
                Op::Assign(aop) => self.assign(lhs, aop, t.pos)?,
                Op::Quest => self.cond(lhs)?,
                _ => self.binary(lhs, op, bp)?,
            };
        }
        Ok(lhs)
    }

    /// `name = rhs` or `name op= rhs`, the operator being the current token.
    fn assign(&mut self, lhs: Sub, op: Option<BinOp>, pos: usize) -> Result<Sub, ArithError> {
        if !lhs.name {
            return Err(self.error("assignment to a non-variable", pos));
        }
        let height = lhs.height;
        match lhs.node {
            Node::Var(name) => {
                self.advance();
                let rhs = self.expr(ASSIGN)?;
                self.checked(Node::Assign(op, name, Box::new(rhs.node)), rhs.height + 1)
            }
            Node::Elem(name, index) => {
                self.advance();
                let rhs = self.expr(ASSIGN)?;
                let h = 1 + rhs.height.max(height);
                self.checked(Node::ElemAssign(op, name, index, Box::new(rhs.node)), h)
            }
            _ => Err(self.error("assignment to a non-variable", pos)),
        }
    }

    /// `[index]` after a name, when the current token is `[`.
    fn subscript(&mut self) -> Result<Option<Sub>, ArithError> {
        if self.peek().tok != Tok::Op(Op::LBracket) {
            return Ok(None);
        }
        self.advance();
        let index = self.expr(COMMA)?;
        let close = self.peek();
        if close.tok != Tok::Op(Op::RBracket) {
            return Err(self.error("expected \"]\"", close.pos));
        }
        self.advance();
        Ok(Some(index))
    }

    /// `cond ? then : else`, the `?` being the current token.
    fn cond(&mut self, cond: Sub) -> Result<Sub, ArithError> {
        self.advance();
        let then = self.expr(COMMA)?;
        let colon = self.peek();
        if colon.tok != Tok::Op(Op::Colon) {
            return Err(self.error("expected \":\" for \"?\"", colon.pos));
        }
        self.advance();
        let els = self.expr(COND)?;
        let height = 1 + cond.height.max(then.height).max(els.height);
        let node = Node::Cond(Box::new(cond.node), Box::new(then.node), Box::new(els.node));
        self.checked(node, height)
    }

    /// `lhs op rhs` for the binary operators and the comma, `op` being the current token.
    fn binary(&mut self, lhs: Sub, op: Op, bp: u8) -> Result<Sub, ArithError> {
        let bin = match op {
            Op::Bin(b) => Some(b),
            Op::Plus | Op::Inc => Some(BinOp::Add),
            Op::Minus | Op::Dec => Some(BinOp::Sub),
            _ => None,
        };
        match op {
            // After an operand that is not a name, `++` is `+ +`.
            Op::Inc => self.split_current(Op::Plus),
            Op::Dec => self.split_current(Op::Minus),
            _ => self.advance(),
        }
        // `**` is right-associative, the others left.
        let rhs = self.expr(if bin == Some(BinOp::Pow) { bp } else { bp + 1 })?;
        let height = 1 + lhs.height.max(rhs.height);
        let node = match bin {
            Some(b) => Node::Binary(b, Box::new(lhs.node), Box::new(rhs.node)),
            None => Node::Comma(Box::new(lhs.node), Box::new(rhs.node)),
        };
        self.checked(node, height)
    }

    /// A constant, name (with postfix `++`/`--`), parenthesised expression, or a prefix
    /// operator applied to an operand.
    fn operand(&mut self) -> Result<Sub, ArithError> {
        self.enter()?;
        let r = self.operand_inner();
        self.depth -= 1;
        r
    }

    fn operand_inner(&mut self) -> Result<Sub, ArithError> {
        let t = self.peek();
        let unary = match t.tok {
            Tok::Num(n) => {
                self.advance();
                return self.checked(Node::Num(n), 1);
            }
            Tok::Name(end) => {
                self.advance();
                let name: Box<[u8]> = self.src.get(t.pos..end).unwrap_or_default().into();
                let index = self.subscript()?;
                let post = match self.peek().tok {
                    Tok::Op(Op::Inc) => Some(IncDec::PostInc),
                    Tok::Op(Op::Dec) => Some(IncDec::PostDec),
                    _ => None,
                };
                if let Some(index) = index {
                    let h = index.height + 1;
                    if let Some(post) = post {
                        self.advance();
                        return self.checked(Node::ElemIncDec(post, name, Box::new(index.node)), h);
                    }
                    let mut sub = self.checked(Node::Elem(name, Box::new(index.node)), h)?;
                    sub.name = true;
                    return Ok(sub);
                }
                if let Some(post) = post {
                    self.advance();
                    return self.checked(Node::IncDec(post, name), 1);
                }
                return Ok(Sub {
                    node: Node::Var(name),
                    height: 1,
                    name: true,
                });
            }
            Tok::Op(Op::LParen) => {
                self.advance();
                let inner = self.expr(COMMA)?;
                let close = self.peek();
                if close.tok != Tok::Op(Op::RParen) {
                    return Err(self.error("expected \")\"", close.pos));
                }
                self.advance();
                return self.checked(inner.node, inner.height);
            }
            Tok::Op(op @ (Op::Inc | Op::Dec)) => {
                let (pre, single, unary) = match op {
                    Op::Inc => (IncDec::PreInc, Op::Plus, UnaryOp::Plus),
                    _ => (IncDec::PreDec, Op::Minus, UnaryOp::Neg),
                };
                if let Tok::Name(end) = self.peek2() {
                    self.advance();
                    let name_pos = self.peek().pos;
                    self.advance();
                    let name = self.src.get(name_pos..end).unwrap_or_default().into();
                    if let Some(index) = self.subscript()? {
                        let h = index.height + 1;
                        return self.checked(Node::ElemIncDec(pre, name, Box::new(index.node)), h);
                    }
                    return self.checked(Node::IncDec(pre, name), 1);
                }
                // Not before a name: two unary operators (`--5` is 5).
                self.split_current(single);
                unary
            }
            Tok::Op(Op::Plus) => UnaryOp::Plus,
            Tok::Op(Op::Minus) => UnaryOp::Neg,
            Tok::Op(Op::Not) => UnaryOp::Not,
            Tok::Op(Op::Tilde) => UnaryOp::BitNot,
            _ => return Err(self.error("expected an operand", t.pos)),
        };
        if !matches!(t.tok, Tok::Op(Op::Inc | Op::Dec)) {
            self.advance();
        }
        let inner = self.operand()?;
        self.checked(Node::Unary(unary, Box::new(inner.node)), inner.height + 1)
    }
}

/// The left binding power of an infix operator, `None` for tokens that end an
/// expression.
fn infix_power(op: Op) -> Option<u8> {
    use BinOp::*;
    Some(match op {
        Op::Comma => COMMA,
        Op::Assign(_) => ASSIGN,
        Op::Quest => COND,
        Op::Bin(Or) => 4,
        Op::Bin(And) => 5,
        Op::Bin(BitOr) => 6,
        Op::Bin(BitXor) => 7,
        Op::Bin(BitAnd) => 8,
        Op::Bin(Eq | Ne) => 9,
        Op::Bin(Lt | Le | Gt | Ge) => 10,
        Op::Bin(Shl | Shr) => 11,
        Op::Plus | Op::Minus | Op::Inc | Op::Dec => ADDITIVE,
        Op::Bin(Add | Sub) => ADDITIVE,
        Op::Bin(Mul | Div | Rem) => 13,
        Op::Bin(Pow) => POW,
        _ => return None,
    })
}
