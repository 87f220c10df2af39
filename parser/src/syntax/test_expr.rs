//! `[[ ... ]]` expressions (bash/ash extension): `||` below `&&` below `!`, with groups.

use super::ast::{TestBinaryOp, TestExpr, TestUnaryOp};
use super::core::{Op, P, R, TokKind};
use super::word::Mode;

impl P<'_, '_> {
    /// After `[[`: the expression and the closing `]]`.
    pub(super) fn test_command(&mut self) -> R<TestExpr> {
        let e = self.test_or()?;
        self.expect_word("]]")?;
        Ok(e)
    }

    /// `a || b || c`. The tree nests one level per operator, so each counts against
    /// the depth limit (dropping or printing the tree recurses that deep).
    fn test_or(&mut self) -> R<TestExpr> {
        let mut levels = 0;
        let r = self.test_or_inner(&mut levels);
        for _ in 0..levels {
            self.leave();
        }
        r
    }

    fn test_or_inner(&mut self, levels: &mut u32) -> R<TestExpr> {
        let mut l = self.test_and()?;
        while self.peek_op()? == Some(Op::OrIf) {
            self.enter()?;
            *levels += 1;
            self.next()?;
            self.linebreak()?;
            let r = self.test_and()?;
            l = TestExpr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn test_and(&mut self) -> R<TestExpr> {
        let mut levels = 0;
        let r = self.test_and_inner(&mut levels);
        for _ in 0..levels {
            self.leave();
        }
        r
    }

    fn test_and_inner(&mut self, levels: &mut u32) -> R<TestExpr> {
        let mut l = self.test_not()?;
        while self.peek_op()? == Some(Op::AndIf) {
            self.enter()?;
            *levels += 1;
            self.next()?;
            self.linebreak()?;
            let r = self.test_not()?;
            l = TestExpr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn test_not(&mut self) -> R<TestExpr> {
        self.enter()?;
        let r = self.test_not_inner();
        self.leave();
        r
    }

    fn test_not_inner(&mut self) -> R<TestExpr> {
        if self.peek_is(b"!")? {
            self.next()?;
            return Ok(TestExpr::Not(Box::new(self.test_not()?)));
        }
        let t = self.next()?;
        let w = match t.kind {
            TokKind::Op(Op::LParen) => {
                let e = self.test_or()?;
                self.expect_op(Op::RParen)?;
                return Ok(TestExpr::Group(Box::new(e)));
            }
            TokKind::Word(ref w) if w.as_literal() != Some(b"]]") => w.clone(),
            _ => return Err(self.unexpected(&t, Some("a test expression"))),
        };
        if let Some(op) = w.as_literal().and_then(TestUnaryOp::from_bytes) {
            let next = self.peek()?;
            if matches!(next.kind, TokKind::Word(_))
                && next.lit() != Some(b"]]")
                && let TokKind::Word(operand) = self.next()?.kind
            {
                return Ok(TestExpr::Unary(op, operand));
            }
        }
        let op = match &self.peek()?.kind {
            TokKind::Op(Op::Less) => Some(TestBinaryOp::Less),
            TokKind::Op(Op::Great) => Some(TestBinaryOp::Greater),
            TokKind::Word(b) => b.as_literal().and_then(TestBinaryOp::from_bytes),
            _ => None,
        };
        let Some(op) = op else {
            return Ok(TestExpr::Word(w));
        };
        self.next()?;
        let rhs = if op == TestBinaryOp::Regex {
            self.skip_blanks();
            let line = self.st.inp.line();
            let col = self.st.inp.column();
            let re = self.lex_word(Mode::Regex)?;
            if re.parts.is_empty() || re.as_literal() == Some(b"]]") {
                let tok = super::core::Token {
                    kind: if re.parts.is_empty() {
                        match self.st.inp.peek() {
                            None => TokKind::Eof,
                            Some(b'\n') => TokKind::Newline,
                            Some(_) => TokKind::Word(super::ast::Word::literal(&[])),
                        }
                    } else {
                        TokKind::Word(re)
                    },
                    line,
                    col,
                };
                return Err(self.unexpected(&tok, Some("a regular expression")));
            }
            re
        } else {
            let t = self.next()?;
            match t.kind {
                TokKind::Word(r) if r.as_literal() != Some(b"]]") => r,
                _ => return Err(self.unexpected(&t, Some("an operand"))),
            }
        };
        Ok(TestExpr::Binary(op, w, rhs))
    }
}
