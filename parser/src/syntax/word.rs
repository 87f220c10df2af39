//! Words and their parts: quoting, `$` expansions (with nom for the `${...}` operators),
//! command substitutions, arithmetic bodies and tilde prefixes.

use super::ErrorKind;
use super::ast::{Param, ParamExp, ParamOp, Program, ReplaceMode, Subscript, Word, WordPart};
use super::core::{P, R};
use super::lexer::is_meta;
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::value;
use nom::{IResult, Parser as _};

/// Where a word ends and how quotes inside it behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// An ordinary word: ends at a blank or metacharacter.
    Normal,
    /// The right side of `[[ x =~ re ]]`: `( ) |` are part of the word.
    Regex,
    /// The body of `$((...))`: ends at `))` outside parentheses.
    Arith,
    /// The operand of a `${...}` operator.
    Operand {
        /// What ends it besides `}`.
        end: OperandEnd,
        /// Inside double quotes (single quotes are then literal).
        dq: bool,
    },
}

/// Extra terminators for `${...}` operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OperandEnd {
    /// Only `}`.
    Brace,
    /// `/` (the pattern of `${x/p/r}`).
    Slash,
    /// `:` (the offset of `${x:o:l}`).
    Colon,
    /// `]` outside nested brackets (the subscript of `${a[i]}`); `}` does not end it.
    Bracket,
}

/// Accumulates parts, merging adjacent literal bytes.
#[derive(Default)]
pub(super) struct Parts {
    parts: Vec<WordPart>,
    lit: Vec<u8>,
}

impl Parts {
    /// Append a literal byte.
    pub fn byte(&mut self, c: u8) {
        self.lit.push(c);
    }

    /// Append a non-literal part.
    pub fn part(&mut self, p: WordPart) {
        self.flush();
        self.parts.push(p);
    }

    fn flush(&mut self) {
        if !self.lit.is_empty() {
            self.parts
                .push(WordPart::Literal(std::mem::take(&mut self.lit)));
        }
    }

    /// The finished parts.
    pub fn finish(mut self) -> Vec<WordPart> {
        self.flush();
        self.parts
    }
}

/// The `${...}` operators, recognized with nom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OpTag {
    Default(bool),
    Assign(bool),
    Error(bool),
    Alt(bool),
    Prefix(bool),
    Suffix(bool),
    Replace(ReplaceMode),
    Substring,
}

fn param_op(i: &[u8]) -> IResult<&[u8], OpTag> {
    alt((
        value(OpTag::Default(true), tag(&b":-"[..])),
        value(OpTag::Assign(true), tag(&b":="[..])),
        value(OpTag::Error(true), tag(&b":?"[..])),
        value(OpTag::Alt(true), tag(&b":+"[..])),
        value(OpTag::Default(false), tag(&b"-"[..])),
        value(OpTag::Assign(false), tag(&b"="[..])),
        value(OpTag::Error(false), tag(&b"?"[..])),
        value(OpTag::Alt(false), tag(&b"+"[..])),
        value(OpTag::Prefix(true), tag(&b"##"[..])),
        value(OpTag::Prefix(false), tag(&b"#"[..])),
        value(OpTag::Suffix(true), tag(&b"%%"[..])),
        value(OpTag::Suffix(false), tag(&b"%"[..])),
        value(OpTag::Replace(ReplaceMode::All), tag(&b"//"[..])),
        value(OpTag::Replace(ReplaceMode::Prefix), tag(&b"/#"[..])),
        value(OpTag::Replace(ReplaceMode::Suffix), tag(&b"/%"[..])),
        value(OpTag::Replace(ReplaceMode::First), tag(&b"/"[..])),
        value(OpTag::Substring, tag(&b":"[..])),
    ))
    .parse(i)
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_special(c: u8) -> bool {
    matches!(c, b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' | b'0')
}

impl P<'_, '_> {
    /// Read one word in `mode`, starting at the next byte.
    pub(super) fn lex_word(&mut self, mode: Mode) -> R<Word> {
        self.enter()?;
        let r = self.lex_word_inner(mode);
        self.leave();
        let mut parts = r?;
        if mode == Mode::Normal {
            split_tilde(&mut parts, 0, false);
        }
        Ok(Word { parts })
    }

    fn lex_word_inner(&mut self, mode: Mode) -> R<Vec<WordPart>> {
        let mut out = Parts::default();
        let mut depth = 0usize;
        let dq = matches!(mode, Mode::Operand { dq: true, .. });
        loop {
            let Some(c) = self.pc() else {
                return match mode {
                    Mode::Normal | Mode::Regex => Ok(out.finish()),
                    Mode::Arith => Err(self.err_here(ErrorKind::Incomplete, "unterminated '$(('")),
                    Mode::Operand { .. } => {
                        Err(self.err_here(ErrorKind::Incomplete, "unterminated '${'"))
                    }
                };
            };
            match mode {
                Mode::Normal => {
                    if is_meta(c) {
                        break;
                    }
                }
                Mode::Regex => match c {
                    b'(' => depth += 1,
                    b')' if depth > 0 => depth -= 1,
                    b'|' | b' ' | b'\t' if depth > 0 => {}
                    _ if is_meta(c) => break,
                    _ => {}
                },
                Mode::Arith => match c {
                    b'(' => depth += 1,
                    b')' if depth > 0 => depth -= 1,
                    b')' => {
                        self.st.inp.bump();
                        if self.pc() == Some(b')') {
                            self.st.inp.bump();
                            break;
                        }
                        self.not_arith = true;
                        return Err(self.err_here(ErrorKind::Syntax, "not arithmetic"));
                    }
                    _ => {}
                },
                Mode::Operand {
                    end: OperandEnd::Bracket,
                    ..
                } => match c {
                    b'[' => depth += 1,
                    b']' if depth > 0 => depth -= 1,
                    b']' => break,
                    _ => {}
                },
                Mode::Operand { end, .. } => match c {
                    b'{' => depth += 1,
                    b'}' if depth > 0 => depth -= 1,
                    b'}' => break,
                    b'/' if end == OperandEnd::Slash && depth == 0 => break,
                    b':' if end == OperandEnd::Colon && depth == 0 => break,
                    _ => {}
                },
            }
            match c {
                b'\\' => {
                    self.st.inp.bump();
                    match self.st.inp.peek() {
                        Some(n) if !dq || matches!(n, b'$' | b'`' | b'"' | b'\\' | b'}') => {
                            self.st.inp.bump();
                            out.part(WordPart::Escaped(n));
                        }
                        // A backslash at the very end stands for itself.
                        None => out.part(WordPart::Escaped(b'\\')),
                        _ => out.byte(b'\\'),
                    }
                }
                b'\'' if !dq => {
                    let s = self.lex_single()?;
                    out.part(WordPart::SingleQuoted(s));
                }
                b'"' => {
                    let p = self.lex_dquote()?;
                    out.part(p);
                }
                b'$' => self.lex_dollar(&mut out, dq)?,
                b'`' => {
                    let p = self.lex_backquote(dq)?;
                    out.part(p);
                }
                _ => {
                    self.st.inp.bump();
                    out.byte(c);
                }
            }
        }
        Ok(out.finish())
    }

    /// `'...'` (the opening quote is next).
    fn lex_single(&mut self) -> R<Vec<u8>> {
        self.st.inp.bump();
        let mut s = Vec::new();
        loop {
            match self.st.inp.bump() {
                None => {
                    return Err(self.err_here(ErrorKind::Incomplete, "unterminated quoted string"));
                }
                Some(b'\'') => return Ok(s),
                Some(c) => s.push(c),
            }
        }
    }

    /// `"..."` (the opening quote is next).
    fn lex_dquote(&mut self) -> R<WordPart> {
        self.enter()?;
        let r = self.lex_dquote_inner();
        self.leave();
        r
    }

    fn lex_dquote_inner(&mut self) -> R<WordPart> {
        self.st.inp.bump();
        let mut out = Parts::default();
        loop {
            let Some(c) = self.pc() else {
                return Err(self.err_here(ErrorKind::Incomplete, "unterminated quoted string"));
            };
            match c {
                b'"' => {
                    self.st.inp.bump();
                    return Ok(WordPart::DoubleQuoted(out.finish()));
                }
                b'\\' => {
                    self.st.inp.bump();
                    match self.st.inp.peek() {
                        Some(n @ (b'$' | b'`' | b'"' | b'\\')) => {
                            self.st.inp.bump();
                            out.part(WordPart::Escaped(n));
                        }
                        _ => out.byte(b'\\'),
                    }
                }
                b'$' => self.lex_dollar(&mut out, true)?,
                b'`' => {
                    let p = self.lex_backquote(true)?;
                    out.part(p);
                }
                _ => {
                    self.st.inp.bump();
                    out.byte(c);
                }
            }
        }
    }

    /// A here-document body: only `$`, backquotes and `\` before `$ \` \\` are special.
    pub(super) fn lex_heredoc_text(&mut self) -> R<Word> {
        let mut out = Parts::default();
        while let Some(c) = self.pc() {
            match c {
                b'\\' => {
                    self.st.inp.bump();
                    match self.st.inp.peek() {
                        Some(n @ (b'$' | b'`' | b'\\')) => {
                            self.st.inp.bump();
                            out.part(WordPart::Escaped(n));
                        }
                        _ => out.byte(b'\\'),
                    }
                }
                b'$' => self.lex_dollar(&mut out, true)?,
                b'`' => {
                    let p = self.lex_backquote(false)?;
                    out.part(p);
                }
                _ => {
                    self.st.inp.bump();
                    out.byte(c);
                }
            }
        }
        Ok(Word {
            parts: out.finish(),
        })
    }

    /// Everything starting with `$` (the `$` is next).
    fn lex_dollar(&mut self, out: &mut Parts, dq: bool) -> R<()> {
        self.st.inp.bump();
        let plain = |param| {
            WordPart::Param(ParamExp {
                param,
                op: ParamOp::Plain,
                braced: false,
                indirect: false,
            })
        };
        match self.pc() {
            Some(b'\'') if !dq => {
                let s = self.lex_ansi_c()?;
                out.part(WordPart::AnsiC(s));
            }
            // `$"..."` (bash's translated string): without a message catalogue it is
            // the plain double-quoted string.
            Some(b'"') if !dq => {
                let p = self.lex_dquote()?;
                out.part(p);
            }
            Some(b'{') => {
                self.enter()?;
                let r = self.lex_braced(dq);
                self.leave();
                out.part(WordPart::Param(r?));
            }
            Some(b'(') => {
                self.st.inp.bump();
                let p = self.lex_paren_sub()?;
                out.part(p);
            }
            Some(c) if is_name_start(c) => {
                let name = self.lex_name();
                out.part(plain(Param::Named(name)));
            }
            Some(c @ b'1'..=b'9') => {
                self.st.inp.bump();
                out.part(plain(Param::Positional(u32::from(c - b'0'))));
            }
            Some(c) if is_special(c) => {
                self.st.inp.bump();
                out.part(plain(Param::Special(c)));
            }
            _ => out.byte(b'$'),
        }
        Ok(())
    }

    fn lex_name(&mut self) -> Vec<u8> {
        let mut name = Vec::new();
        while let Some(c) = self.pc() {
            if !is_name_char(c) {
                break;
            }
            self.st.inp.bump();
            name.push(c);
        }
        name
    }

    /// After a command's opening `(`: the rest of `((expr))` when the next byte is `(`
    /// and the matching `))` closes it (bash); `None` (nothing consumed) for a subshell.
    pub(super) fn try_arith_command(&mut self) -> R<Option<Word>> {
        if self.pc() != Some(b'(') || self.st.peeked.is_some() {
            return Ok(None);
        }
        let key = self.st.inp.main_offset();
        if key.is_some_and(|k| self.st.arith_failed.contains(&k)) {
            return Ok(None);
        }
        let mark = self.st.inp.mark();
        let pending = self.st.pending.len();
        let next_id = self.st.next_id;
        self.st.inp.bump();
        match self.lex_word(Mode::Arith) {
            Ok(w) => Ok(Some(w)),
            // No `))` before the end: read it as subshells (which report the error).
            Err(e) if !self.not_arith && e.kind != ErrorKind::Incomplete => Err(e),
            Err(_) => {
                self.not_arith = false;
                self.st.inp.reset(mark);
                self.st.pending.truncate(pending);
                self.st.next_id = next_id;
                if let Some(k) = key {
                    self.st.arith_failed.insert(k);
                }
                Ok(None)
            }
        }
    }

    /// After `$(`: `$((arith))`, or a command substitution.
    fn lex_paren_sub(&mut self) -> R<WordPart> {
        if self.pc() == Some(b'(') {
            let key = self.st.inp.main_offset();
            if !key.is_some_and(|k| self.st.arith_failed.contains(&k)) {
                let mark = self.st.inp.mark();
                let pending = self.st.pending.len();
                let next_id = self.st.next_id;
                self.st.inp.bump();
                match self.lex_word(Mode::Arith) {
                    Ok(w) => return Ok(WordPart::Arith(w)),
                    Err(e) if !self.not_arith => return Err(e),
                    Err(_) => {
                        self.not_arith = false;
                        self.st.inp.reset(mark);
                        self.st.pending.truncate(pending);
                        self.st.next_id = next_id;
                        if let Some(k) = key {
                            self.st.arith_failed.insert(k);
                        }
                    }
                }
            }
        }
        self.enter()?;
        let r = self.command_sub_body();
        self.leave();
        Ok(WordPart::CommandSub {
            program: r?,
            backquoted: false,
        })
    }

    /// `` `...` `` (the opening backquote is next).
    fn lex_backquote(&mut self, dq: bool) -> R<WordPart> {
        let line = self.st.inp.line();
        self.st.inp.bump();
        let mut buf = Vec::new();
        loop {
            match self.st.inp.bump() {
                None => return Err(self.err_here(ErrorKind::Incomplete, "unterminated '`'")),
                Some(b'`') => break,
                Some(b'\\') => match self.st.inp.peek() {
                    Some(c) if matches!(c, b'$' | b'`' | b'\\') || (dq && c == b'"') => {
                        self.st.inp.bump();
                        buf.push(c);
                    }
                    _ => buf.push(b'\\'),
                },
                Some(c) => buf.push(c),
            }
        }
        self.enter()?;
        let r = self.sub_program(&buf, line);
        self.leave();
        Ok(WordPart::CommandSub {
            program: r?,
            backquoted: true,
        })
    }

    /// Parse already-delimited text as a program (backquote bodies).
    pub(super) fn sub_program(&mut self, text: &[u8], line: u32) -> R<Program> {
        let mut st = super::core::State::new(text, line);
        st.depth = self.st.depth;
        let mut sub = P::new(st, self.hook);
        sub.nested_text = true;
        let mut program = Program::default();
        loop {
            match sub.complete_command() {
                Ok(Some(c)) => program.commands.push(c),
                Ok(None) => return Ok(program),
                Err(mut e) => {
                    e.kind = ErrorKind::Syntax;
                    return Err(e);
                }
            }
        }
    }

    /// `$'...'` with escapes decoded (the quote is next).
    fn lex_ansi_c(&mut self) -> R<Vec<u8>> {
        self.st.inp.bump();
        let mut s = Vec::new();
        let unterminated =
            |p: &Self| p.err_here(ErrorKind::Incomplete, "unterminated quoted string");
        loop {
            let c = self.st.inp.bump().ok_or_else(|| unterminated(self))?;
            match c {
                b'\'' => return Ok(s),
                b'\\' => {
                    let e = self.st.inp.bump().ok_or_else(|| unterminated(self))?;
                    match e {
                        b'a' => s.push(7),
                        b'b' => s.push(8),
                        b'e' | b'E' => s.push(27),
                        b'f' => s.push(12),
                        b'n' => s.push(b'\n'),
                        b'r' => s.push(b'\r'),
                        b't' => s.push(b'\t'),
                        b'v' => s.push(11),
                        b'\\' | b'\'' | b'"' | b'?' => s.push(e),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.st.inp.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        self.st.inp.bump();
                                        v = v * 8 + u32::from(d - b'0');
                                    }
                                    _ => break,
                                }
                            }
                            s.push((v & 0xff) as u8);
                        }
                        b'x' | b'u' | b'U' => {
                            let max = match e {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                            let mut v = 0u32;
                            let mut n = 0;
                            while n < max {
                                match self.st.inp.peek().and_then(|d| char::from(d).to_digit(16)) {
                                    Some(d) => {
                                        self.st.inp.bump();
                                        v = v.wrapping_mul(16).wrapping_add(d);
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            if n == 0 {
                                s.push(b'\\');
                                s.push(e);
                            } else if e == b'x' {
                                s.push((v & 0xff) as u8);
                            } else if let Some(ch) = char::from_u32(v) {
                                let mut b = [0u8; 4];
                                s.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                            }
                        }
                        b'c' => {
                            let x = self.st.inp.bump().ok_or_else(|| unterminated(self))?;
                            s.push(x & 0x1f);
                        }
                        _ => {
                            s.push(b'\\');
                            s.push(e);
                        }
                    }
                }
                _ => s.push(c),
            }
        }
    }

    /// `${...}` (the `{` is next).
    fn lex_braced(&mut self, dq: bool) -> R<ParamExp> {
        self.st.inp.bump();
        if self.pc() == Some(b'#') {
            let mark = self.st.inp.mark();
            self.st.inp.bump();
            if self.pc() != Some(b'}')
                && let Some(param) = self.lex_param_name()?
                && self.pc() == Some(b'}')
            {
                self.st.inp.bump();
                return Ok(ParamExp {
                    param,
                    op: ParamOp::Length,
                    braced: true,
                    indirect: false,
                });
            }
            self.st.inp.reset(mark);
        }
        // `${!name}`, `${!a[@]}`, `${!prefix*}` (bash); `${!}` is `$!`.
        let indirect =
            self.pc() == Some(b'!') && self.st.inp.rest().get(1).is_some_and(|&c| is_name_start(c));
        if indirect {
            self.st.inp.bump();
        }
        let Some(param) = self.lex_param_name()? else {
            return Err(self.bad_subst());
        };
        if self.pc() == Some(b'}') {
            self.st.inp.bump();
            return Ok(ParamExp {
                param,
                op: ParamOp::Plain,
                braced: true,
                indirect,
            });
        }
        if indirect
            && let Param::Named(_) = param
            && let [c @ (b'@' | b'*'), b'}', ..] = self.st.inp.rest()
        {
            let star = *c == b'*';
            self.st.inp.skip(2);
            return Ok(ParamExp {
                param,
                op: ParamOp::Names { star },
                braced: true,
                indirect,
            });
        }
        if let [b'@', op @ (b'Q' | b'U' | b'u' | b'L'), b'}', ..] = self.st.inp.rest() {
            let op = *op;
            self.st.inp.skip(3);
            return Ok(ParamExp {
                param,
                op: ParamOp::Transform { op },
                braced: true,
                indirect,
            });
        }
        let rest = self.st.inp.rest();
        let Ok((left, tag)) = param_op(rest) else {
            return Err(self.bad_subst());
        };
        let used = rest.len() - left.len();
        self.st.inp.skip(used);
        // Pattern operands treat quotes as in unquoted text even inside double quotes
        // (dash and bash agree: "${x#'a'}" removes a literal a).
        let operand = |end| Mode::Operand { end, dq: false };
        let op = match tag {
            OpTag::Default(colon) => ParamOp::Default {
                colon,
                word: self.operand(dq)?,
            },
            OpTag::Assign(colon) => ParamOp::Assign {
                colon,
                word: self.operand(dq)?,
            },
            OpTag::Error(colon) => ParamOp::Error {
                colon,
                word: self.operand(dq)?,
            },
            OpTag::Alt(colon) => ParamOp::Alternative {
                colon,
                word: self.operand(dq)?,
            },
            OpTag::Prefix(longest) => ParamOp::RemovePrefix {
                longest,
                pattern: self.pattern_operand(OperandEnd::Brace)?,
            },
            OpTag::Suffix(longest) => ParamOp::RemoveSuffix {
                longest,
                pattern: self.pattern_operand(OperandEnd::Brace)?,
            },
            OpTag::Replace(mode) => {
                let pattern = self.pattern_operand(OperandEnd::Slash)?;
                let replacement = if self.pc() == Some(b'/') {
                    self.st.inp.bump();
                    Some(self.pattern_operand(OperandEnd::Brace)?)
                } else {
                    None
                };
                ParamOp::Replace {
                    mode,
                    pattern,
                    replacement,
                }
            }
            OpTag::Substring => {
                let offset = self.lex_word(operand(OperandEnd::Colon))?;
                let length = if self.pc() == Some(b':') {
                    self.st.inp.bump();
                    Some(self.lex_word(operand(OperandEnd::Brace))?)
                } else {
                    None
                };
                ParamOp::Substring { offset, length }
            }
        };
        match self.pc() {
            Some(b'}') => {
                self.st.inp.bump();
                Ok(ParamExp {
                    param,
                    op,
                    braced: true,
                    indirect,
                })
            }
            None => Err(self.err_here(ErrorKind::Incomplete, "unterminated '${'")),
            Some(_) => Err(self.bad_subst()),
        }
    }

    /// A pattern (or replacement) operand, with a leading tilde prefix, also inside
    /// double quotes (bash, dash and ash agree: `"${x#~}"` removes `$HOME`).
    fn pattern_operand(&mut self, end: OperandEnd) -> R<Word> {
        let mut w = self.lex_word(Mode::Operand { end, dq: false })?;
        split_tilde(&mut w.parts, 0, false);
        Ok(w)
    }

    /// The operand of `- = ? +`, with a leading tilde prefix when unquoted.
    fn operand(&mut self, dq: bool) -> R<Word> {
        let mut w = self.lex_word(Mode::Operand {
            end: OperandEnd::Brace,
            dq,
        })?;
        if !dq {
            split_tilde(&mut w.parts, 0, false);
        }
        Ok(w)
    }

    fn bad_subst(&self) -> super::ParseError {
        if self.st.inp.peek().is_none() {
            self.err_here(ErrorKind::Incomplete, "unterminated '${'")
        } else {
            self.err_here(ErrorKind::Syntax, "bad substitution")
        }
    }

    /// The parameter after `${` or `${#`, with an array subscript after a name.
    fn lex_param_name(&mut self) -> R<Option<Param>> {
        Ok(match self.pc() {
            Some(c) if is_name_start(c) => {
                let name = self.lex_name();
                if self.pc() != Some(b'[') {
                    return Ok(Some(Param::Named(name)));
                }
                self.st.inp.bump();
                let w = self.lex_word(Mode::Operand {
                    end: OperandEnd::Bracket,
                    dq: false,
                })?;
                if self.pc() != Some(b']') {
                    return Err(self.bad_subst());
                }
                self.st.inp.bump();
                let sub = match w.as_literal() {
                    Some(b"@") => Subscript::At,
                    Some(b"*") => Subscript::Star,
                    _ => Subscript::Expr(w),
                };
                Some(Param::Index(name, sub))
            }
            Some(b'0') => {
                self.st.inp.bump();
                Some(Param::Special(b'0'))
            }
            Some(b'1'..=b'9') => {
                let mut n = 0u32;
                while let Some(d @ b'0'..=b'9') = self.pc() {
                    self.st.inp.bump();
                    n = n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(u32::from(d - b'0')))
                        .ok_or_else(|| self.bad_subst())?;
                }
                Some(Param::Positional(n))
            }
            Some(c) if is_special(c) => {
                self.st.inp.bump();
                Some(Param::Special(c))
            }
            _ => None,
        })
    }
}

/// Login-name bytes allowed in a tilde prefix.
fn is_tilde_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+')
}

/// Split a tilde prefix off `parts[at]` if it is an unquoted literal starting with `~`.
/// In assignments (`assign`), the prefix also ends at `:`.
pub(super) fn split_tilde(parts: &mut Vec<WordPart>, at: usize, assign: bool) {
    let Some(WordPart::Literal(s)) = parts.get(at) else {
        return;
    };
    if s.first() != Some(&b'~') {
        return;
    }
    let end = s
        .iter()
        .position(|&c| c == b'/' || (assign && c == b':'))
        .unwrap_or(s.len());
    if end == s.len() && at + 1 < parts.len() {
        return;
    }
    let name = s.get(1..end).unwrap_or(&[]).to_vec();
    if !name.iter().all(|&c| is_tilde_char(c)) {
        return;
    }
    let rest = s.get(end..).unwrap_or(&[]).to_vec();
    parts[at] = WordPart::Tilde(name);
    if !rest.is_empty() {
        parts.insert(at + 1, WordPart::Literal(rest));
    }
}

/// Tilde prefixes in an assignment value: at the start and after each unquoted `:`.
pub(super) fn split_assign_tildes(parts: &mut Vec<WordPart>) {
    split_tilde(parts, 0, true);
    let n = parts.len();
    let mut out = Vec::with_capacity(n);
    for (idx, p) in std::mem::take(parts).into_iter().enumerate() {
        let WordPart::Literal(s) = p else {
            out.push(p);
            continue;
        };
        let mut lit = Vec::new();
        let mut i = 0;
        while let Some(&c) = s.get(i) {
            lit.push(c);
            i += 1;
            if c != b':' || s.get(i) != Some(&b'~') {
                continue;
            }
            let tail = s.get(i + 1..).unwrap_or(&[]);
            let len = tail
                .iter()
                .position(|&c| c == b'/' || c == b':')
                .unwrap_or(tail.len());
            let reaches_end = len == tail.len();
            let name = tail.get(..len).unwrap_or(&[]);
            if (reaches_end && idx + 1 < n) || !name.iter().all(|&c| is_tilde_char(c)) {
                continue;
            }
            out.push(WordPart::Literal(std::mem::take(&mut lit)));
            out.push(WordPart::Tilde(name.to_vec()));
            i += 1 + len;
        }
        if !lit.is_empty() {
            out.push(WordPart::Literal(lit));
        }
    }
    *parts = out;
}
