//! Here-documents: reading bodies after the newline that ends the line, and attaching
//! them to the redirections that asked for them.

use super::ast::{
    Command, CompoundKind, HereDocBody, List, ParamOp, Program, RedirTarget, Redirect, TestExpr,
    Word, WordPart,
};
use super::core::{P, R, State};
use super::error::{ErrorKind, show_bytes};

/// Bodies read so far, by here-document id.
type Bodies = std::collections::HashMap<u32, HereDocBody>;

impl P<'_, '_> {
    /// Read the bodies of all pending here-documents (a newline was just consumed).
    pub(super) fn read_heredocs(&mut self) -> R<()> {
        let pending = std::mem::take(&mut self.st.pending);
        for h in pending {
            let first_line = self.st.inp.line();
            let mut body = Vec::new();
            loop {
                if self.st.inp.peek().is_none() {
                    return Err(self.err_here(
                        ErrorKind::Incomplete,
                        format!(
                            "here-document delimited by '{}' is not terminated",
                            show_bytes(&h.delimiter)
                        ),
                    ));
                }
                let mut line = self.raw_line();
                if !h.quoted {
                    while line.ends_with(b"\n") && odd_trailing_backslashes(&line) {
                        line.truncate(line.len().saturating_sub(2));
                        if self.st.inp.peek().is_none() {
                            break;
                        }
                        line.extend(self.raw_line());
                    }
                }
                let mut text: &[u8] = &line;
                if h.strip_tabs {
                    while let Some((b'\t', rest)) = text.split_first() {
                        text = rest;
                    }
                }
                let content = text.strip_suffix(b"\n").unwrap_or(text);
                if content == h.delimiter.as_slice() {
                    break;
                }
                body.extend_from_slice(text);
                if !text.ends_with(b"\n") {
                    body.push(b'\n');
                }
            }
            let parsed = if h.quoted {
                HereDocBody::Literal(body)
            } else {
                HereDocBody::Parsed(self.heredoc_word(&body, first_line)?)
            };
            self.st.bodies.insert(h.id, parsed);
        }
        Ok(())
    }

    /// One line including its newline (if any), read without interpretation.
    fn raw_line(&mut self) -> Vec<u8> {
        let mut line = Vec::new();
        while let Some(c) = self.st.inp.bump() {
            line.push(c);
            if c == b'\n' {
                break;
            }
        }
        line
    }

    /// Parse an unquoted body for `$`, backquotes and `\`.
    fn heredoc_word(&mut self, text: &[u8], line: u32) -> R<Word> {
        let mut st = State::new(text, line);
        st.depth = self.st.depth;
        let mut sub = P::new(st, self.hook);
        sub.nested_text = true;
        let to_syntax = |mut e: super::ParseError| {
            e.kind = ErrorKind::Syntax;
            e
        };
        let mut w = sub.lex_heredoc_text().map_err(to_syntax)?;
        sub.check_no_pending().map_err(to_syntax)?;
        let mut bodies = std::mem::take(&mut sub.st.bodies);
        fill_word(&mut w, &mut bodies);
        Ok(w)
    }
}

fn odd_trailing_backslashes(line: &[u8]) -> bool {
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    body.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1
}

/// Replace every `HereDocBody::Pending(id)` in `list` with its body from `bodies`.
pub(super) fn fill_list(list: &mut List, bodies: &mut Bodies) {
    for item in &mut list.items {
        fill_pipeline(&mut item.and_or.first.commands, bodies);
        for (_, p) in &mut item.and_or.rest {
            fill_pipeline(&mut p.commands, bodies);
        }
    }
}

fn fill_pipeline(cmds: &mut [Command], bodies: &mut Bodies) {
    for c in cmds {
        match c {
            Command::Simple(s) => {
                for a in &mut s.assigns {
                    if let Some(i) = &mut a.index {
                        fill_word(i, bodies);
                    }
                    fill_word(&mut a.value, bodies);
                }
                for w in &mut s.words {
                    fill_word(w, bodies);
                }
                fill_redirects(&mut s.redirects, bodies);
            }
            Command::Compound(cc) => fill_compound(cc, bodies),
            Command::FunctionDef(f) => fill_compound(&mut f.body, bodies),
        }
    }
}

fn fill_compound(cc: &mut super::ast::CompoundCommand, bodies: &mut Bodies) {
    match &mut cc.kind {
        CompoundKind::Brace(l) | CompoundKind::Subshell(l) => fill_list(l, bodies),
        CompoundKind::If {
            branches,
            else_body,
        } => {
            for (c, b) in branches {
                fill_list(c, bodies);
                fill_list(b, bodies);
            }
            if let Some(e) = else_body {
                fill_list(e, bodies);
            }
        }
        CompoundKind::While { cond, body } | CompoundKind::Until { cond, body } => {
            fill_list(cond, bodies);
            fill_list(body, bodies);
        }
        CompoundKind::For { words, body, .. } => {
            for w in words.iter_mut().flatten() {
                fill_word(w, bodies);
            }
            fill_list(body, bodies);
        }
        CompoundKind::Case { word, arms } => {
            fill_word(word, bodies);
            for a in arms {
                for p in &mut a.patterns {
                    fill_word(p, bodies);
                }
                fill_list(&mut a.body, bodies);
            }
        }
        CompoundKind::Test(e) => fill_test(e, bodies),
        CompoundKind::Arith(w) => fill_word(w, bodies),
    }
    fill_redirects(&mut cc.redirects, bodies);
}

fn fill_test(e: &mut TestExpr, bodies: &mut Bodies) {
    match e {
        TestExpr::Word(w) | TestExpr::Unary(_, w) => fill_word(w, bodies),
        TestExpr::Binary(_, a, b) => {
            fill_word(a, bodies);
            fill_word(b, bodies);
        }
        TestExpr::Not(x) | TestExpr::Group(x) => fill_test(x, bodies),
        TestExpr::And(a, b) | TestExpr::Or(a, b) => {
            fill_test(a, bodies);
            fill_test(b, bodies);
        }
    }
}

fn fill_redirects(rs: &mut [Redirect], bodies: &mut Bodies) {
    for r in rs {
        match &mut r.target {
            RedirTarget::Word(w) => fill_word(w, bodies),
            RedirTarget::HereDoc(h) => {
                if let HereDocBody::Pending(id) = h.body
                    && let Some(b) = bodies.remove(&id)
                {
                    h.body = b;
                }
                if let HereDocBody::Parsed(w) = &mut h.body {
                    fill_word(w, bodies);
                }
            }
        }
    }
}

fn fill_word(w: &mut Word, bodies: &mut Bodies) {
    fill_parts(&mut w.parts, bodies);
}

fn fill_parts(parts: &mut [WordPart], bodies: &mut Bodies) {
    for p in parts {
        match p {
            WordPart::DoubleQuoted(inner) => fill_parts(inner, bodies),
            WordPart::CommandSub { program, .. } => fill_program(program, bodies),
            WordPart::Arith(w) => fill_word(w, bodies),
            WordPart::Array(words) => {
                for w in words {
                    fill_word(w, bodies);
                }
            }
            WordPart::Param(pe) => {
                if let super::ast::Param::Index(_, super::ast::Subscript::Expr(w)) = &mut pe.param {
                    fill_word(w, bodies);
                }
                match &mut pe.op {
                    ParamOp::Plain
                    | ParamOp::Length
                    | ParamOp::Names { .. }
                    | ParamOp::Transform { .. } => {}
                    ParamOp::Default { word, .. }
                    | ParamOp::Assign { word, .. }
                    | ParamOp::Error { word, .. }
                    | ParamOp::Alternative { word, .. } => fill_word(word, bodies),
                    ParamOp::RemovePrefix { pattern, .. }
                    | ParamOp::RemoveSuffix { pattern, .. } => fill_word(pattern, bodies),
                    ParamOp::Substring { offset, length } => {
                        fill_word(offset, bodies);
                        if let Some(l) = length {
                            fill_word(l, bodies);
                        }
                    }
                    ParamOp::Replace {
                        pattern,
                        replacement,
                        ..
                    } => {
                        fill_word(pattern, bodies);
                        if let Some(r) = replacement {
                            fill_word(r, bodies);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn fill_program(p: &mut Program, bodies: &mut Bodies) {
    for l in &mut p.commands {
        fill_list(l, bodies);
    }
}
