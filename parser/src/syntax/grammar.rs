//! The command grammar (XCU 2.10), by recursive descent over tokens.

use super::ast::{
    AndOr, AndOrOp, Assign, CaseArm, CaseTerm, Command, CompoundCommand, CompoundKind, FunctionDef,
    HereDoc, HereDocBody, List, ListItem, Pipeline, Program, RedirKind, RedirTarget, Redirect,
    SimpleCommand, Word, WordPart, is_name,
};
use super::core::{Op, P, PendingHereDoc, R, TokKind};
use super::error::ErrorKind;
use super::word::split_assign_tildes;

impl P<'_, '_> {
    /// One complete command: a list up to a newline (consumed) or the end of input.
    /// `None` at the end of input.
    pub(super) fn complete_command(&mut self) -> R<Option<List>> {
        self.alias_next = false;
        self.linebreak()?;
        if self.peek()?.kind == TokKind::Eof {
            self.check_no_pending()?;
            return Ok(None);
        }
        let list = self.line_list()?;
        let t = self.next()?;
        match t.kind {
            TokKind::Newline | TokKind::Eof => {}
            _ => return Err(self.unexpected(&t, None)),
        }
        self.check_no_pending()?;
        let mut list = list;
        if !self.st.bodies.is_empty() {
            let mut bodies = std::mem::take(&mut self.st.bodies);
            super::heredoc::fill_list(&mut list, &mut bodies);
        }
        Ok(Some(list))
    }

    pub(super) fn check_no_pending(&self) -> R<()> {
        match self.st.pending.first() {
            Some(h) => Err(self.err_here(
                ErrorKind::Incomplete,
                format!(
                    "here-document delimited by '{}' is not terminated",
                    super::error::show_bytes(&h.delimiter)
                ),
            )),
            None => Ok(()),
        }
    }

    /// The body of `$(...)` after the `$(`, through the closing `)`.
    pub(super) fn command_sub_body(&mut self) -> R<Program> {
        let saved = self.st.peeked.take();
        let list = self.compound_list(true)?;
        self.expect_op(Op::RParen)?;
        self.st.peeked = saved;
        let mut program = Program::default();
        if !list.items.is_empty() {
            program.commands.push(list);
        }
        Ok(program)
    }

    /// A top-level list: and-or lists separated by `;`/`&`, ending before a newline.
    fn line_list(&mut self) -> R<List> {
        let mut items = Vec::new();
        loop {
            let and_or = self.and_or()?;
            let is_async = match self.peek_op()? {
                Some(Op::Semi) => {
                    self.next()?;
                    false
                }
                Some(Op::Amp) => {
                    self.next()?;
                    true
                }
                _ => {
                    items.push(ListItem {
                        and_or,
                        is_async: false,
                    });
                    break;
                }
            };
            items.push(ListItem { and_or, is_async });
            if matches!(self.peek()?.kind, TokKind::Newline | TokKind::Eof) {
                break;
            }
        }
        Ok(List { items })
    }

    /// `true` if the next token ends a compound list (a closing keyword or operator).
    fn at_list_end(&mut self) -> R<bool> {
        self.expand_alias()?;
        let t = self.peek()?;
        Ok(match &t.kind {
            TokKind::Eof => true,
            TokKind::Op(op) => matches!(op, Op::RParen | Op::DSemi | Op::SemiAnd | Op::DSemiAnd),
            TokKind::Word(_) => matches!(
                t.lit(),
                Some(b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}")
            ),
            _ => false,
        })
    }

    /// A compound list: and-or lists separated by `;`, `&` or newlines.
    pub(super) fn compound_list(&mut self, allow_empty: bool) -> R<List> {
        self.enter()?;
        let r = self.compound_list_inner(allow_empty);
        self.leave();
        r
    }

    fn compound_list_inner(&mut self, allow_empty: bool) -> R<List> {
        self.linebreak()?;
        let mut items = Vec::new();
        while !self.at_list_end()? {
            let and_or = self.and_or()?;
            let t = self.peek()?;
            let is_async = match t.kind {
                TokKind::Op(Op::Semi) => false,
                TokKind::Op(Op::Amp) => true,
                TokKind::Newline => {
                    items.push(ListItem {
                        and_or,
                        is_async: false,
                    });
                    self.linebreak()?;
                    continue;
                }
                _ => {
                    items.push(ListItem {
                        and_or,
                        is_async: false,
                    });
                    break;
                }
            };
            self.next()?;
            items.push(ListItem { and_or, is_async });
            self.linebreak()?;
        }
        if items.is_empty() && !allow_empty {
            let t = self.peek()?.clone();
            return Err(self.unexpected(&t, None));
        }
        Ok(List { items })
    }

    fn and_or(&mut self) -> R<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek_op()? {
                Some(Op::AndIf) => AndOrOp::And,
                Some(Op::OrIf) => AndOrOp::Or,
                _ => break,
            };
            self.next()?;
            self.linebreak()?;
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> R<Pipeline> {
        self.expand_alias()?;
        let line = self.peek()?.line;
        let bang = self.peek_is(b"!")?;
        if bang {
            self.next()?;
        }
        let mut commands = vec![self.command()?];
        while let Some(op @ (Op::Pipe | Op::PipeAmp)) = self.peek_op()? {
            self.next()?;
            if op == Op::PipeAmp
                && let Some(last) = commands.last_mut()
            {
                stderr_too(last);
            }
            self.linebreak()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline {
            bang,
            commands,
            line,
        })
    }

    /// One command of a pipeline.
    fn command(&mut self) -> R<Command> {
        self.expand_alias()?;
        let t = self.peek()?;
        let line = t.line;
        match &t.kind {
            TokKind::Op(Op::LParen) => Ok(Command::Compound(self.compound_command()?)),
            TokKind::Op(op) if op.is_redirect() => self.simple_command(line),
            TokKind::IoNumber(_) => self.simple_command(line),
            TokKind::Word(_) => match t.lit() {
                Some(b"{" | b"if" | b"while" | b"until" | b"for" | b"case" | b"[[") => {
                    Ok(Command::Compound(self.compound_command()?))
                }
                Some(b"function") => self.function_keyword(line),
                Some(
                    b"}" | b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"!",
                ) => {
                    let t = t.clone();
                    Err(self.unexpected(&t, None))
                }
                _ => self.simple_command(line),
            },
            _ => {
                let t = t.clone();
                Err(self.unexpected(&t, None))
            }
        }
    }

    /// `true` if the next token starts a compound command.
    fn at_compound(&mut self) -> R<bool> {
        self.expand_alias()?;
        let t = self.peek()?;
        Ok(t.kind == TokKind::Op(Op::LParen)
            || matches!(
                t.lit(),
                Some(b"{" | b"if" | b"while" | b"until" | b"for" | b"case" | b"[[")
            ))
    }

    /// A compound command and its trailing redirections.
    fn compound_command(&mut self) -> R<CompoundCommand> {
        self.enter()?;
        let r = self.compound_command_inner();
        self.leave();
        r
    }

    fn compound_command_inner(&mut self) -> R<CompoundCommand> {
        self.alias_next = false;
        let t = self.next()?;
        let line = t.line;
        let kind = if t.kind == TokKind::Op(Op::LParen) {
            if let Some(w) = self.try_arith_command()? {
                CompoundKind::Arith(w)
            } else {
                let body = self.compound_list(false)?;
                self.expect_op(Op::RParen)?;
                CompoundKind::Subshell(body)
            }
        } else {
            match t.lit() {
                Some(b"{") => {
                    let body = self.compound_list(false)?;
                    self.expect_word("}")?;
                    CompoundKind::Brace(body)
                }
                Some(b"if") => self.if_rest()?,
                Some(b"while") => {
                    let (cond, body) = self.loop_rest()?;
                    CompoundKind::While { cond, body }
                }
                Some(b"until") => {
                    let (cond, body) = self.loop_rest()?;
                    CompoundKind::Until { cond, body }
                }
                Some(b"for") => self.for_rest()?,
                Some(b"case") => self.case_rest()?,
                Some(b"[[") => CompoundKind::Test(self.test_command()?),
                _ => return Err(self.unexpected(&t, Some("a compound command"))),
            }
        };
        let mut redirects = Vec::new();
        while self.at_redirect()? {
            redirects.push(self.redirect()?);
        }
        Ok(CompoundCommand {
            kind,
            redirects,
            line,
        })
    }

    fn if_rest(&mut self) -> R<CompoundKind> {
        let mut branches = Vec::new();
        loop {
            let cond = self.compound_list(false)?;
            self.expect_word("then")?;
            let body = self.compound_list(false)?;
            branches.push((cond, body));
            let t = self.next()?;
            match t.lit() {
                Some(b"elif") => continue,
                Some(b"else") => {
                    let e = self.compound_list(false)?;
                    self.expect_word("fi")?;
                    return Ok(CompoundKind::If {
                        branches,
                        else_body: Some(e),
                    });
                }
                Some(b"fi") => {
                    return Ok(CompoundKind::If {
                        branches,
                        else_body: None,
                    });
                }
                _ => return Err(self.unexpected(&t, Some("'fi'"))),
            }
        }
    }

    fn loop_rest(&mut self) -> R<(List, List)> {
        let cond = self.compound_list(false)?;
        let body = self.do_group()?;
        Ok((cond, body))
    }

    fn do_group(&mut self) -> R<List> {
        self.expect_word("do")?;
        let body = self.compound_list(false)?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn for_rest(&mut self) -> R<CompoundKind> {
        let t = self.next()?;
        let var = match t.lit() {
            Some(s) if is_name(s) => s.to_vec(),
            _ => return Err(self.unexpected(&t, Some("a variable name"))),
        };
        let mut words = None;
        match self.peek()?.kind {
            TokKind::Op(Op::Semi) => {
                self.next()?;
                self.linebreak()?;
            }
            _ => {
                self.linebreak()?;
                if self.peek_is(b"in")? {
                    self.next()?;
                    let mut list = Vec::new();
                    while let TokKind::Word(_) = self.peek()?.kind {
                        if let TokKind::Word(w) = self.next()?.kind {
                            list.push(w);
                        }
                    }
                    let t = self.next()?;
                    if !matches!(t.kind, TokKind::Op(Op::Semi) | TokKind::Newline) {
                        return Err(self.unexpected(&t, Some("'do'")));
                    }
                    self.linebreak()?;
                    words = Some(list);
                }
            }
        }
        let body = self.do_group()?;
        Ok(CompoundKind::For { var, words, body })
    }

    fn case_rest(&mut self) -> R<CompoundKind> {
        let t = self.next()?;
        let TokKind::Word(word) = t.kind else {
            return Err(self.unexpected(&t, Some("a word")));
        };
        self.linebreak()?;
        self.expect_word("in")?;
        self.linebreak()?;
        let mut arms = Vec::new();
        loop {
            if self.peek_is(b"esac")? {
                self.next()?;
                break;
            }
            if self.peek_op()? == Some(Op::LParen) {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                let t = self.next()?;
                let TokKind::Word(w) = t.kind else {
                    return Err(self.unexpected(&t, Some("a pattern")));
                };
                patterns.push(w);
                let t = self.next()?;
                match t.kind {
                    TokKind::Op(Op::Pipe) => continue,
                    TokKind::Op(Op::RParen) => break,
                    _ => return Err(self.unexpected(&t, Some("')'"))),
                }
            }
            let body = self.compound_list(true)?;
            let term = match self.peek_op()? {
                Some(Op::DSemi) => CaseTerm::Break,
                Some(Op::SemiAnd) => CaseTerm::FallThrough,
                Some(Op::DSemiAnd) => CaseTerm::Continue,
                _ => {
                    if self.peek_is(b"esac")? {
                        arms.push(CaseArm {
                            patterns,
                            body,
                            term: CaseTerm::Break,
                        });
                        continue;
                    }
                    let t = self.next()?;
                    return Err(self.unexpected(&t, Some("';;'")));
                }
            };
            self.next()?;
            self.linebreak()?;
            arms.push(CaseArm {
                patterns,
                body,
                term,
            });
        }
        Ok(CompoundKind::Case { word, arms })
    }

    /// `function name [()] compound-command`.
    fn function_keyword(&mut self, line: u32) -> R<Command> {
        self.next()?;
        let t = self.next()?;
        let name = match t.lit() {
            Some(s) if valid_function_name(s) => s.to_vec(),
            _ => return Err(self.unexpected(&t, Some("a function name"))),
        };
        if self.peek_op()? == Some(Op::LParen) {
            self.next()?;
            self.expect_op(Op::RParen)?;
        }
        self.function_body(name, line)
    }

    fn function_body(&mut self, name: Vec<u8>, line: u32) -> R<Command> {
        self.linebreak()?;
        if !self.at_compound()? {
            let t = self.next()?;
            return Err(self.unexpected(&t, Some("a function body")));
        }
        let body = Box::new(self.compound_command()?);
        Ok(Command::FunctionDef(FunctionDef { name, body, line }))
    }

    fn at_redirect(&mut self) -> R<bool> {
        Ok(match self.peek()?.kind {
            TokKind::IoNumber(_) => true,
            TokKind::Op(op) => op.is_redirect(),
            _ => false,
        })
    }

    fn simple_command(&mut self, line: u32) -> R<Command> {
        let mut sc = SimpleCommand {
            line,
            ..SimpleCommand::default()
        };
        // Prefix: assignments and redirections.
        loop {
            if self.at_redirect()? {
                sc.redirects.push(self.redirect()?);
                continue;
            }
            let is_assign = match &self.peek()?.kind {
                TokKind::Word(w) => assignment_split(w).is_some(),
                _ => false,
            };
            if !is_assign {
                break;
            }
            if let TokKind::Word(w) = self.next()?.kind
                && let Some(mut a) = assignment_split(&w)
            {
                if a.value.parts.is_empty() && self.peek_op()? == Some(Op::LParen) {
                    a.value.parts.push(WordPart::Array(self.array_words()?));
                }
                sc.assigns.push(a);
            }
        }
        if !sc.assigns.is_empty() || !sc.redirects.is_empty() {
            self.expand_alias()?;
        }
        let first_is_name = sc.assigns.is_empty() && sc.redirects.is_empty();
        loop {
            if self.at_redirect()? {
                sc.redirects.push(self.redirect()?);
                continue;
            }
            let TokKind::Word(_) = self.peek()?.kind else {
                break;
            };
            let TokKind::Word(w) = self.next()?.kind else {
                break;
            };
            let fname = if first_is_name && sc.words.is_empty() && sc.redirects.is_empty() {
                w.as_literal().map(<[u8]>::to_vec)
            } else {
                None
            };
            let decl = sc
                .words
                .first()
                .and_then(Word::as_literal)
                .is_some_and(|c| {
                    matches!(
                        c,
                        b"declare" | b"typeset" | b"local" | b"readonly" | b"export"
                    )
                });
            let mut w = w;
            if decl && !sc.words.is_empty() {
                decl_tildes(&mut w);
            }
            sc.words.push(w);
            if decl
                && let Some(last) = sc.words.last()
                && matches!(last.parts.last(), Some(WordPart::Literal(t)) if t.ends_with(b"="))
                && assignment_split(last).is_some_and(|a| a.value.parts.is_empty())
                && self.peek_op()? == Some(Op::LParen)
            {
                let words = self.array_words()?;
                if let Some(last) = sc.words.last_mut() {
                    last.parts.push(WordPart::Array(words));
                }
            }
            if std::mem::take(&mut self.alias_next) {
                self.expand_alias()?;
            }
            if let Some(name) = fname
                && self.peek_op()? == Some(Op::LParen)
            {
                let t = self.next()?;
                if !valid_function_name(&name) {
                    return Err(self.unexpected(&t, None));
                }
                self.expect_op(Op::RParen)?;
                return self.function_body(name, line);
            }
        }
        if sc.assigns.is_empty() && sc.words.is_empty() && sc.redirects.is_empty() {
            let t = self.next()?;
            return Err(self.unexpected(&t, None));
        }
        Ok(Command::Simple(sc))
    }

    /// `( word... )` after `name=` (the `(` is next): the elements of an array value;
    /// newlines between them are allowed.
    fn array_words(&mut self) -> R<Vec<Word>> {
        self.next()?;
        let mut words = Vec::new();
        loop {
            let t = self.next()?;
            match t.kind {
                TokKind::Newline => {}
                TokKind::Op(Op::RParen) => return Ok(words),
                TokKind::Word(w) => words.push(w),
                _ => return Err(self.unexpected(&t, Some("')'"))),
            }
        }
    }

    /// `[n]op word`.
    fn redirect(&mut self) -> R<Redirect> {
        let mut fd = None;
        if let TokKind::IoNumber(n) = self.peek()?.kind {
            self.next()?;
            fd = Some(n);
        }
        let t = self.next()?;
        let TokKind::Op(op) = t.kind else {
            return Err(self.unexpected(&t, Some("a redirection operator")));
        };
        let kind = match op {
            Op::Less => RedirKind::Input,
            Op::Great => RedirKind::Output,
            Op::Clobber => RedirKind::Clobber,
            Op::DGreat => RedirKind::Append,
            Op::LessAnd => RedirKind::DupInput,
            Op::GreatAnd => RedirKind::DupOutput,
            Op::LessGreat => RedirKind::ReadWrite,
            Op::DLess => RedirKind::HereDoc,
            Op::DLessDash => RedirKind::HereDocStrip,
            Op::TLess => RedirKind::HereString,
            Op::AndGreat => RedirKind::OutputBoth,
            Op::AndDGreat => RedirKind::AppendBoth,
            _ => return Err(self.unexpected(&t, Some("a redirection operator"))),
        };
        let w = self.next()?;
        let TokKind::Word(word) = w.kind else {
            return Err(self.unexpected(&w, Some(&format!("a word after '{}'", op.text()))));
        };
        let target = if matches!(kind, RedirKind::HereDoc | RedirKind::HereDocStrip) {
            let (delimiter, quoted) = heredoc_delimiter(&word);
            let id = self.st.next_id;
            self.st.next_id = self.st.next_id.wrapping_add(1);
            self.st.pending.push(PendingHereDoc {
                id,
                delimiter: delimiter.clone(),
                quoted,
                strip_tabs: kind == RedirKind::HereDocStrip,
            });
            RedirTarget::HereDoc(HereDoc {
                delimiter,
                quoted,
                body: HereDocBody::Pending(id),
            })
        } else {
            RedirTarget::Word(word)
        };
        Ok(Redirect { fd, kind, target })
    }
}

/// `cmd |& next` is `cmd 2>&1 | next` (bash): the redirection goes after the others.
fn stderr_too(c: &mut Command) {
    let r = Redirect {
        fd: Some(2),
        kind: RedirKind::DupOutput,
        target: RedirTarget::Word(Word::literal(b"1")),
    };
    match c {
        Command::Simple(s) => s.redirects.push(r),
        Command::Compound(cc) => cc.redirects.push(r),
        Command::FunctionDef(f) => f.body.redirects.push(r),
    }
}

/// Names `name()` and `function name` accept: any unquoted literal without `=` that is
/// not a reserved word.
fn valid_function_name(s: &[u8]) -> bool {
    !s.is_empty() && !s.contains(&b'=') && !super::lexer::is_reserved(s) && !s.contains(&b'$')
}

/// `name=value` if the word starts with an unquoted valid name and `=`; also
/// `name+=value`, `name[sub]=value` and `name[sub]+=value` (bash arrays).
pub(super) fn assignment_split(w: &Word) -> Option<Assign> {
    let Some(WordPart::Literal(s)) = w.parts.first() else {
        return None;
    };
    let n = s
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    let name = s.get(..n)?;
    if !is_name(name) {
        return None;
    }
    // Where the value starts: (part, byte offset in it).
    let (index, append, at, off) = match s.get(n) {
        Some(b'=') => (None, false, 0, n + 1),
        Some(b'+') if s.get(n + 1) == Some(&b'=') => (None, true, 0, n + 2),
        Some(b'[') => {
            let (sub, append, at, off) = subscript_split(&w.parts, n + 1)?;
            (Some(sub), append, at, off)
        }
        _ => return None,
    };
    let mut parts = Vec::with_capacity(w.parts.len());
    if let Some(WordPart::Literal(t)) = w.parts.get(at) {
        let rest = t.get(off..).unwrap_or(&[]);
        if !rest.is_empty() {
            parts.push(WordPart::Literal(rest.to_vec()));
        }
    }
    parts.extend(w.parts.iter().skip(at + 1).cloned());
    split_assign_tildes(&mut parts);
    Some(Assign {
        name: name.to_vec(),
        index,
        append,
        value: Word { parts },
    })
}

/// The tilde prefixes of an assignment argument of a declaration utility (`local
/// x=~/a:~b`), expanded as in an assignment (POSIX 2024; bash, dash and ash agree).
fn decl_tildes(w: &mut Word) {
    let Some(a) = assignment_split(w) else {
        return;
    };
    if a.index.is_some()
        || !a
            .value
            .parts
            .iter()
            .any(|p| matches!(p, WordPart::Tilde(_)))
    {
        return;
    }
    let mut prefix = a.name;
    if a.append {
        prefix.push(b'+');
    }
    prefix.push(b'=');
    let mut rest = a.value.parts.into_iter().peekable();
    if let Some(WordPart::Literal(l)) = rest.peek() {
        prefix.extend_from_slice(l);
        rest.next();
    }
    let mut parts = vec![WordPart::Literal(prefix)];
    parts.extend(rest);
    w.parts = parts;
}

/// The subscript starting at byte `from` of the first part, up to the unquoted `]` that
/// is followed by `=` or `+=`: the subscript word, `+=`, and where the value starts.
pub fn subscript_split(parts: &[WordPart], from: usize) -> Option<(Word, bool, usize, usize)> {
    let mut depth = 0usize;
    let mut sub = Vec::new();
    for (pi, p) in parts.iter().enumerate() {
        let WordPart::Literal(t) = p else {
            sub.push(p.clone());
            continue;
        };
        let start = if pi == 0 { from } else { 0 };
        let mut lit = Vec::new();
        for (i, &c) in t.iter().enumerate().skip(start) {
            match c {
                b'[' => depth += 1,
                b']' if depth > 0 => depth -= 1,
                b']' => {
                    let after = t.get(i + 1..).unwrap_or(&[]);
                    let (append, skip) = if after.first() == Some(&b'=') {
                        (false, 1)
                    } else if after.starts_with(b"+=") {
                        (true, 2)
                    } else {
                        return None;
                    };
                    if !lit.is_empty() {
                        sub.push(WordPart::Literal(lit));
                    }
                    if sub.is_empty() {
                        return None;
                    }
                    return Some((Word { parts: sub }, append, pi, i + 1 + skip));
                }
                _ => {}
            }
            lit.push(c);
        }
        if !lit.is_empty() {
            sub.push(WordPart::Literal(lit));
        }
    }
    None
}

/// The delimiter after quote removal, and whether any of it was quoted.
fn heredoc_delimiter(w: &Word) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut quoted = false;
    for p in &w.parts {
        match p {
            WordPart::Literal(s) => out.extend_from_slice(s),
            WordPart::SingleQuoted(s) | WordPart::AnsiC(s) => {
                quoted = true;
                out.extend_from_slice(s);
            }
            WordPart::Escaped(c) => {
                quoted = true;
                out.push(*c);
            }
            WordPart::DoubleQuoted(inner) => {
                quoted = true;
                for q in inner {
                    match q {
                        WordPart::Literal(s) => out.extend_from_slice(s),
                        WordPart::Escaped(c) => out.push(*c),
                        other => out.extend(super::print::part_bytes(other)),
                    }
                }
            }
            other => out.extend(super::print::part_bytes(other)),
        }
    }
    (out, quoted)
}
