//! The pretty-printer: syntax tree back to shell text that parses to the same tree.
//!
//! Layout follows what a person writes (and bash's `type f`): compound bodies on their
//! own lines indented by four spaces, conditions inline, here-document bodies after the
//! line that introduces them.

use super::ast::{
    AndOr, AndOrOp, CaseTerm, Command, CompoundCommand, CompoundKind, HereDoc, HereDocBody, List,
    Param, ParamExp, ParamOp, Pipeline, Program, RedirKind, RedirTarget, Redirect, ReplaceMode,
    SimpleCommand, Subscript, TestExpr, Word, WordPart,
};

/// Print a whole program, one complete command per line.
pub fn print_program(p: &Program) -> Vec<u8> {
    let mut pr = Printer::default();
    for c in &p.commands {
        pr.inline_list(c, 0);
        pr.nl();
    }
    pr.out
}

/// Print one complete command (a top-level list) followed by a newline.
pub fn print_list(l: &List) -> Vec<u8> {
    let mut pr = Printer::default();
    pr.inline_list(l, 0);
    pr.nl();
    pr.out
}

/// Print one command (e.g. a function definition for `type`), no trailing newline
/// unless here-documents need one.
pub fn print_command(c: &Command) -> Vec<u8> {
    let mut pr = Printer::default();
    pr.command(c, 0);
    if !pr.pending.is_empty() {
        pr.nl();
    }
    pr.out
}

/// Print a word as it would be written.
pub fn print_word(w: &Word) -> Vec<u8> {
    word_bytes(w)
}

/// A word's text (used in messages and for here-document delimiters).
pub(crate) fn word_bytes(w: &Word) -> Vec<u8> {
    let mut pr = Printer::default();
    pr.parts(&w.parts, false);
    pr.out
}

/// One part's text.
pub(crate) fn part_bytes(p: &WordPart) -> Vec<u8> {
    let mut pr = Printer::default();
    pr.parts(std::slice::from_ref(p), false);
    pr.out
}

#[derive(Default)]
struct Printer<'t> {
    out: Vec<u8>,
    pending: Vec<&'t HereDoc>,
}

impl<'t> Printer<'t> {
    fn s(&mut self, s: &[u8]) {
        self.out.extend_from_slice(s);
    }

    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.s(b"    ");
        }
    }

    /// A newline token: here-document bodies follow it.
    fn nl(&mut self) {
        self.s(b"\n");
        for h in std::mem::take(&mut self.pending) {
            match &h.body {
                HereDocBody::Literal(b) => self.s(b),
                HereDocBody::Parsed(w) => {
                    let mut sub = Printer::default();
                    sub.heredoc_parts(&w.parts);
                    self.s(&sub.out);
                }
                HereDocBody::Pending(_) => {}
            }
            self.s(&h.delimiter);
            self.s(b"\n");
        }
    }

    /// Items on one line: `a; b & c`.
    fn inline_list(&mut self, l: &'t List, ind: usize) {
        for (i, item) in l.items.iter().enumerate() {
            if i > 0 {
                self.s(b" ");
            }
            self.and_or(&item.and_or, ind);
            if item.is_async {
                self.s(b" &");
            } else if i + 1 < l.items.len() {
                self.s(b";");
            }
        }
    }

    /// An inline list followed by a keyword: `a; then`, `a & then`.
    fn list_then(&mut self, l: &'t List, ind: usize, kw: &[u8]) {
        self.inline_list(l, ind);
        if l.items.last().is_some_and(|i| i.is_async) {
            self.s(b" ");
        } else {
            self.s(b"; ");
        }
        self.s(kw);
    }

    /// Items one per line at indentation `ind` (each line ends with a newline).
    fn lines(&mut self, l: &'t List, ind: usize) {
        for item in &l.items {
            self.indent(ind);
            self.and_or(&item.and_or, ind);
            if item.is_async {
                self.s(b" &");
            }
            self.nl();
        }
    }

    fn and_or(&mut self, a: &'t AndOr, ind: usize) {
        self.pipeline(&a.first, ind);
        for (op, p) in &a.rest {
            self.s(match op {
                AndOrOp::And => b" && ",
                AndOrOp::Or => b" || ",
            });
            self.pipeline(p, ind);
        }
    }

    fn pipeline(&mut self, p: &'t Pipeline, ind: usize) {
        if p.bang {
            self.s(b"! ");
        }
        for (i, c) in p.commands.iter().enumerate() {
            if i > 0 {
                self.s(b" | ");
            }
            self.command(c, ind);
        }
    }

    fn command(&mut self, c: &'t Command, ind: usize) {
        match c {
            Command::Simple(s) => self.simple(s),
            Command::Compound(cc) => self.compound(cc, ind),
            Command::FunctionDef(f) => {
                self.s(&f.name);
                self.s(b"() ");
                self.compound(&f.body, ind);
            }
        }
    }

    fn simple(&mut self, s: &'t SimpleCommand) {
        let mut first = true;
        let mut sep = |pr: &mut Self| {
            if !first {
                pr.s(b" ");
            }
            first = false;
        };
        for a in &s.assigns {
            sep(self);
            self.s(&a.name);
            if let Some(i) = &a.index {
                self.s(b"[");
                self.parts(&i.parts, false);
                self.s(b"]");
            }
            self.s(if a.append { b"+=" } else { b"=" });
            self.parts(&a.value.parts, false);
        }
        // Redirections go last, except before a name that would read as a reserved word
        // in command position (`<f !` must not print as `! <f`).
        let redirects_first = s.assigns.is_empty()
            && s.words
                .first()
                .and_then(Word::as_literal)
                .is_some_and(super::lexer::is_reserved);
        if redirects_first {
            for r in &s.redirects {
                sep(self);
                self.redirect(r);
            }
        }
        for w in &s.words {
            sep(self);
            self.parts(&w.parts, false);
        }
        if !redirects_first {
            for r in &s.redirects {
                sep(self);
                self.redirect(r);
            }
        }
    }

    fn redirects(&mut self, rs: &'t [Redirect]) {
        for r in rs {
            self.s(b" ");
            self.redirect(r);
        }
    }

    fn redirect(&mut self, r: &'t Redirect) {
        if let Some(fd) = r.fd {
            self.s(fd.to_string().as_bytes());
        }
        self.s(match r.kind {
            RedirKind::Input => b"<",
            RedirKind::Output => b">",
            RedirKind::Clobber => b">|",
            RedirKind::Append => b">>",
            RedirKind::DupInput => b"<&",
            RedirKind::DupOutput => b">&",
            RedirKind::ReadWrite => b"<>",
            RedirKind::HereDoc => b"<<",
            RedirKind::HereDocStrip => b"<<-",
            RedirKind::HereString => b"<<<",
            RedirKind::OutputBoth => b"&>",
            RedirKind::AppendBoth => b"&>>",
        });
        match &r.target {
            RedirTarget::Word(w) => self.parts(&w.parts, false),
            RedirTarget::HereDoc(h) => {
                if h.quoted {
                    self.single_quote(&h.delimiter);
                } else {
                    self.s(&h.delimiter);
                }
                self.pending.push(h);
            }
        }
    }

    fn single_quote(&mut self, s: &[u8]) {
        self.s(b"'");
        for &c in s {
            if c == b'\'' {
                self.s(b"'\\''");
            } else {
                self.out.push(c);
            }
        }
        self.s(b"'");
    }

    fn compound(&mut self, cc: &'t CompoundCommand, ind: usize) {
        match &cc.kind {
            CompoundKind::Brace(l) => {
                self.s(b"{");
                self.nl();
                self.lines(l, ind + 1);
                self.indent(ind);
                self.s(b"}");
            }
            CompoundKind::Subshell(l) => {
                self.s(b"( ");
                self.inline_list(l, ind);
                self.s(b" )");
            }
            CompoundKind::If {
                branches,
                else_body,
            } => {
                for (i, (c, b)) in branches.iter().enumerate() {
                    if i == 0 {
                        self.s(b"if ");
                    } else {
                        self.indent(ind);
                        self.s(b"elif ");
                    }
                    self.list_then(c, ind, b"then");
                    self.nl();
                    self.lines(b, ind + 1);
                }
                if let Some(e) = else_body {
                    self.indent(ind);
                    self.s(b"else");
                    self.nl();
                    self.lines(e, ind + 1);
                }
                self.indent(ind);
                self.s(b"fi");
            }
            CompoundKind::While { cond, body } | CompoundKind::Until { cond, body } => {
                self.s(if matches!(cc.kind, CompoundKind::While { .. }) {
                    b"while "
                } else {
                    b"until "
                });
                self.list_then(cond, ind, b"do");
                self.nl();
                self.lines(body, ind + 1);
                self.indent(ind);
                self.s(b"done");
            }
            CompoundKind::For { var, words, body } => {
                self.s(b"for ");
                self.s(var);
                if let Some(ws) = words {
                    self.s(b" in");
                    for w in ws {
                        self.s(b" ");
                        self.parts(&w.parts, false);
                    }
                }
                self.s(b"; do");
                self.nl();
                self.lines(body, ind + 1);
                self.indent(ind);
                self.s(b"done");
            }
            CompoundKind::Case { word, arms } => {
                self.s(b"case ");
                self.parts(&word.parts, false);
                self.s(b" in");
                self.nl();
                for arm in arms {
                    self.indent(ind + 1);
                    if arm.patterns.first().and_then(Word::as_literal) == Some(b"esac") {
                        self.s(b"(");
                    }
                    for (i, p) in arm.patterns.iter().enumerate() {
                        if i > 0 {
                            self.s(b" | ");
                        }
                        self.parts(&p.parts, false);
                    }
                    self.s(b")");
                    self.nl();
                    self.lines(&arm.body, ind + 2);
                    self.indent(ind + 2);
                    self.s(match arm.term {
                        CaseTerm::Break => b";;",
                        CaseTerm::FallThrough => b";&",
                        CaseTerm::Continue => b";;&",
                    });
                    self.nl();
                }
                self.indent(ind);
                self.s(b"esac");
            }
            CompoundKind::Test(e) => {
                self.s(b"[[ ");
                self.test(e);
                self.s(b" ]]");
            }
            CompoundKind::Arith(w) => {
                self.s(b"((");
                self.parts(&w.parts, false);
                self.s(b"))");
            }
        }
        self.redirects(&cc.redirects);
    }

    fn test(&mut self, e: &'t TestExpr) {
        match e {
            TestExpr::Word(w) => self.parts(&w.parts, false),
            TestExpr::Unary(op, w) => {
                self.s(op.as_bytes());
                self.s(b" ");
                self.parts(&w.parts, false);
            }
            TestExpr::Binary(op, a, b) => {
                self.parts(&a.parts, false);
                self.s(b" ");
                self.s(op.as_bytes());
                self.s(b" ");
                self.parts(&b.parts, false);
            }
            TestExpr::Not(x) => {
                self.s(b"! ");
                self.test(x);
            }
            TestExpr::And(a, b) => {
                self.test(a);
                self.s(b" && ");
                self.test(b);
            }
            TestExpr::Or(a, b) => {
                self.test(a);
                self.s(b" || ");
                self.test(b);
            }
            TestExpr::Group(x) => {
                self.s(b"( ");
                self.test(x);
                self.s(b" )");
            }
        }
    }

    /// Word parts; `dq` when inside double quotes.
    fn parts(&mut self, parts: &'t [WordPart], dq: bool) {
        for p in parts {
            match p {
                WordPart::Literal(s) => self.s(s),
                WordPart::SingleQuoted(s) => {
                    self.s(b"'");
                    self.s(s);
                    self.s(b"'");
                }
                WordPart::DoubleQuoted(inner) => {
                    self.s(b"\"");
                    self.parts(inner, true);
                    self.s(b"\"");
                }
                WordPart::Escaped(c) => {
                    self.s(b"\\");
                    self.out.push(*c);
                }
                WordPart::AnsiC(s) => self.ansi_c(s),
                WordPart::Param(pe) => self.param(pe, dq),
                WordPart::CommandSub {
                    program,
                    backquoted,
                } => self.command_sub(program, *backquoted),
                WordPart::Arith(w) => {
                    self.s(b"$((");
                    self.parts(&w.parts, false);
                    self.s(b"))");
                }
                WordPart::Tilde(name) => {
                    self.s(b"~");
                    self.s(name);
                }
                WordPart::Array(words) => {
                    self.s(b"(");
                    for (i, w) in words.iter().enumerate() {
                        if i > 0 {
                            self.s(b" ");
                        }
                        self.parts(&w.parts, false);
                    }
                    self.s(b")");
                }
            }
        }
    }

    /// The parts of an unquoted here-document body.
    fn heredoc_parts(&mut self, parts: &'t [WordPart]) {
        self.parts(parts, true);
    }

    fn command_sub(&mut self, program: &'t Program, backquoted: bool) {
        if backquoted {
            let mut sub = Printer::default();
            for (i, l) in program.commands.iter().enumerate() {
                if i > 0 {
                    sub.nl();
                }
                sub.inline_list(l, 0);
            }
            if !sub.pending.is_empty() {
                // The last delimiter ends at the closing backquote, as the parser allows:
                // a newline there could put a line equal to an enclosing here-document's
                // delimiter into its body.
                sub.nl();
                sub.out.pop();
            }
            self.s(b"`");
            for &c in &sub.out {
                if matches!(c, b'\\' | b'`') {
                    self.out.push(b'\\');
                }
                self.out.push(c);
            }
            self.s(b"`");
            return;
        }
        self.s(b"$(");
        let start = self.out.len();
        for (i, l) in program.commands.iter().enumerate() {
            if i > 0 {
                self.s(b"; ");
            }
            self.inline_list(l, 0);
        }
        if self.out.get(start) == Some(&b'(') {
            self.out.insert(start, b' ');
            self.s(b" ");
        }
        if !self.pending.is_empty() {
            self.nl();
        }
        self.s(b")");
    }

    fn ansi_c(&mut self, s: &[u8]) {
        self.s(b"$'");
        for &c in s {
            match c {
                b'\'' => self.s(b"\\'"),
                b'\\' => self.s(b"\\\\"),
                b'\n' => self.s(b"\\n"),
                b'\t' => self.s(b"\\t"),
                0x20..=0x7e => self.out.push(c),
                _ => self.s(format!("\\{c:03o}").as_bytes()),
            }
        }
        self.s(b"'");
    }

    fn param(&mut self, pe: &'t ParamExp, dq: bool) {
        let name = match &pe.param {
            Param::Named(n) | Param::Index(n, _) => n.clone(),
            Param::Positional(n) => n.to_string().into_bytes(),
            Param::Special(c) => vec![*c],
        };
        if !pe.braced
            && pe.op == ParamOp::Plain
            && !pe.indirect
            && matches!(
                pe.param,
                Param::Named(_) | Param::Special(_) | Param::Positional(..10)
            )
        {
            self.s(b"$");
            self.s(&name);
            return;
        }
        self.s(b"${");
        if pe.op == ParamOp::Length {
            self.s(b"#");
        }
        if pe.indirect {
            self.s(b"!");
        }
        self.s(&name);
        if let Param::Index(_, sub) = &pe.param {
            self.s(b"[");
            match sub {
                Subscript::At => self.s(b"@"),
                Subscript::Star => self.s(b"*"),
                Subscript::Expr(w) => self.parts(&w.parts, false),
            }
            self.s(b"]");
        }
        let word = |pr: &mut Self, w: &'t Word| pr.parts(&w.parts, dq);
        let c = |colon: bool| if colon { &b":"[..] } else { &b""[..] };
        match &pe.op {
            ParamOp::Plain | ParamOp::Length => {}
            ParamOp::Names { star } => self.s(if *star { b"*" } else { b"@" }),
            ParamOp::Transform { op } => {
                self.s(b"@");
                self.out.push(*op);
            }
            ParamOp::Default { colon, word: w } => {
                self.s(c(*colon));
                self.s(b"-");
                word(self, w);
            }
            ParamOp::Assign { colon, word: w } => {
                self.s(c(*colon));
                self.s(b"=");
                word(self, w);
            }
            ParamOp::Error { colon, word: w } => {
                self.s(c(*colon));
                self.s(b"?");
                word(self, w);
            }
            ParamOp::Alternative { colon, word: w } => {
                self.s(c(*colon));
                self.s(b"+");
                word(self, w);
            }
            ParamOp::RemovePrefix { longest, pattern } => {
                self.s(if *longest { b"##" } else { b"#" });
                word(self, pattern);
            }
            ParamOp::RemoveSuffix { longest, pattern } => {
                self.s(if *longest { b"%%" } else { b"%" });
                word(self, pattern);
            }
            ParamOp::Substring { offset, length } => {
                self.s(b":");
                word(self, offset);
                if let Some(l) = length {
                    self.s(b":");
                    word(self, l);
                }
            }
            ParamOp::Replace {
                mode,
                pattern,
                replacement,
            } => {
                self.s(match mode {
                    ReplaceMode::First => b"/",
                    ReplaceMode::All => b"//",
                    ReplaceMode::Prefix => b"/#",
                    ReplaceMode::Suffix => b"/%",
                });
                word(self, pattern);
                if let Some(r) = replacement {
                    self.s(b"/");
                    word(self, r);
                }
            }
        }
        self.s(b"}");
    }
}
