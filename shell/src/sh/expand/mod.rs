//! Word expansion in POSIX order (XCU 2.6): tilde, parameter, command substitution and
//! arithmetic in one left-to-right pass that records, per byte, whether it was quoted or
//! came from an unquoted expansion; then field splitting ([`split`]), pathname expansion
//! ([`pathname`]) and quote removal (quoted bytes are stored without their quotes).

pub mod arith;
pub mod assign;
pub mod cond;
pub mod param;
pub mod pathname;
pub mod split;

use rbox_parser::syntax::{Param, ParamOp, Subscript, Word, WordPart};

use super::state::{Ctl, Shell};

/// The byte came from quotes: literal for patterns, never split.
pub const QUOTED: u8 = 1;
/// The byte came from an unquoted expansion: subject to field splitting.
pub const SPLIT: u8 = 2;

/// Something that happens between bytes while splitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A quoted piece began here: a field exists even if it stays empty.
    Quote,
    /// A hard field break (between the parameters of `"$@"`).
    Break,
}

/// A word being built: bytes, a flag byte per byte, and events by position.
#[derive(Clone, Debug, Default)]
pub struct WordBuf {
    /// The bytes, quotes already removed.
    pub bytes: Vec<u8>,
    /// [`QUOTED`] / [`SPLIT`] per byte.
    pub flags: Vec<u8>,
    /// Events in the order they happened, with the byte position.
    pub events: Vec<(usize, Event)>,
    /// The flag of unquoted literal text: 0 at the top of a word, [`SPLIT`] inside the
    /// operand of an unquoted `${x:-word}` (whose literal blanks split).
    pub lit_flag: u8,
}

impl WordBuf {
    /// Appends bytes with one flag.
    pub fn push(&mut self, s: &[u8], flag: u8) {
        self.bytes.extend_from_slice(s);
        self.flags.resize(self.bytes.len(), flag);
    }

    /// Records that a quoted piece begins here.
    pub fn mark(&mut self) {
        self.events.push((self.bytes.len(), Event::Quote));
    }

    /// Records a hard field break here.
    pub fn brk(&mut self) {
        self.events.push((self.bytes.len(), Event::Break));
    }

    /// The bytes and whether each is quoted, for pattern compilation.
    pub fn quoted_mask(&self) -> Vec<bool> {
        self.flags.iter().map(|f| f & QUOTED != 0).collect()
    }
}

/// How the expansion result will be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Command words: split and glob afterwards (`"$@"` gives several fields).
    Fields,
    /// One string (assignments, redirection targets, `case` words, here-documents).
    Str,
}

/// Expands command words to fields: split, globbed, quotes removed.
pub fn fields(sh: &mut Shell, words: &[Word]) -> Result<Vec<Vec<u8>>, Ctl> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        word_fields(sh, w, &mut out)?;
    }
    Ok(out)
}

/// Expands command words, treating `name=value` arguments of the declaration utilities
/// (`export`, `readonly`, `local`, `declare`, `typeset`) as assignments: no field
/// splitting or pathname expansion of the value (POSIX 2024, bash, dash).
pub fn command_fields(sh: &mut Shell, words: &[Word]) -> Result<Vec<Vec<u8>>, Ctl> {
    let decl = matches!(
        words.first().and_then(Word::as_literal),
        Some(b"export" | b"readonly" | b"local" | b"declare" | b"typeset")
    );
    if !decl {
        return fields(sh, words);
    }
    let mut out = Vec::with_capacity(words.len());
    let mut arrays = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 && is_assignment_word(w) {
            if let Some(WordPart::Array(elems)) = w.parts.last() {
                // `declare a=(x y)`: the argument is the name, the elements go aside.
                let head = Word {
                    parts: w.parts[..w.parts.len() - 1].to_vec(),
                };
                let mut name = string(sh, &head)?;
                name.pop();
                let append = name.last() == Some(&b'+');
                if append {
                    name.pop();
                }
                let elems = assign::elements(sh, elems)?;
                arrays.push(assign::DeclArray {
                    arg: out.len(),
                    append,
                    elems,
                });
                out.push(name);
                continue;
            }
            out.push(string(sh, w)?);
        } else {
            word_fields(sh, w, &mut out)?;
        }
    }
    sh.decl_arrays = arrays;
    Ok(out)
}

/// `true` when the word starts with an unquoted `name=`.
fn is_assignment_word(w: &Word) -> bool {
    let Some(WordPart::Literal(s)) = w.parts.first() else {
        return false;
    };
    let Some(eq) = s.iter().position(|&c| c == b'=') else {
        return false;
    };
    let name = &s[..eq];
    name.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Expands one word to fields, appending them to `out`.
pub fn word_fields(sh: &mut Shell, w: &Word, out: &mut Vec<Vec<u8>>) -> Result<(), Ctl> {
    if fast_fields(sh, w, out) {
        return Ok(());
    }
    let mut buf = WordBuf::default();
    expand_parts(sh, &w.parts, false, Mode::Fields, &mut buf)?;
    let ifs = sh.ifs().to_vec();
    let utf8 = !ifs.is_ascii() && param::utf8_locale(sh);
    let pieces = split::split_with(&buf, &ifs, utf8);
    for (bytes, flags) in pieces {
        if !sh.opts.noglob && pathname::has_glob(&bytes, &flags) {
            let found = pathname::glob(&bytes, &flags);
            if !found.is_empty() {
                out.extend(found);
                continue;
            }
            if sh.opts.shopt != 0 && pathname::has_live_glob(&bytes, &flags) {
                if sh.opts.shopt_on("failglob") {
                    sh.error(&[b"no match: ", bytes.as_slice()].concat());
                    return Err(sh.fatal(1));
                }
                if sh.opts.shopt_on("nullglob") {
                    continue;
                }
            }
        }
        out.push(bytes);
    }
    Ok(())
}

/// The words most commands are made of, expanded without building a [`WordBuf`]: a
/// literal that cannot be a pattern (`[` and `]` alone are not), `$x` whose value has no
/// pattern characters (split on IFS in place), and `"$x"`. `false`: take the general path
/// (nothing was appended).
fn fast_fields(sh: &Shell, w: &Word, out: &mut Vec<Vec<u8>>) -> bool {
    match w.parts.as_slice() {
        [WordPart::Literal(s)] if !pathname::may_glob(s) => {
            out.push(s.clone());
            true
        }
        [WordPart::Param(pe)] if is_plain(pe) => {
            let Some(v) = param::plain_value(sh, &pe.param) else {
                return false;
            };
            if !sh.opts.noglob && v.iter().any(|c| matches!(c, b'*' | b'?' | b'[')) {
                return false;
            }
            let ifs = sh.ifs();
            if !ifs.is_ascii() {
                // A multibyte IFS character splits as a whole: the general path knows how.
                return false;
            }
            split::split_unquoted(v, ifs, |f| out.push(f.to_vec()));
            true
        }
        [WordPart::DoubleQuoted(inner)] => match inner.as_slice() {
            // `"$@"`: the parameters as they are, none at all when there are none.
            [WordPart::Param(pe)] if is_plain(pe) && pe.param == Param::Special(b'@') => {
                out.extend(sh.positional.iter().cloned());
                true
            }
            [WordPart::Param(pe)] if is_plain(pe) => match param::plain_value(sh, &pe.param) {
                Some(v) => {
                    out.push(v.to_vec());
                    true
                }
                None => false,
            },
            _ => false,
        },
        _ => false,
    }
}

/// `$x` / `${x}` as it stands: no operator, no indirection.
fn is_plain(pe: &rbox_parser::syntax::ParamExp) -> bool {
    pe.op == ParamOp::Plain && !pe.indirect
}

/// Expands a word to one string without splitting or globbing.
pub fn string(sh: &mut Shell, w: &Word) -> Result<Vec<u8>, Ctl> {
    match w.parts.as_slice() {
        [WordPart::Literal(s)] => return Ok(s.clone()),
        [WordPart::Arith(a)] => {
            let mut out = Vec::with_capacity(20);
            arith::push_decimal(&mut out, arith_value(sh, a)?);
            return Ok(out);
        }
        [WordPart::Param(pe)] if is_plain(pe) => {
            if let Some(v) = param::plain_value(sh, &pe.param) {
                return Ok(v.to_vec());
            }
            if let Param::Special(c @ (b'#' | b'?')) = pe.param {
                let n = if c == b'#' {
                    sh.positional.len() as i64
                } else {
                    i64::from(sh.status)
                };
                let mut out = Vec::with_capacity(4);
                arith::push_decimal(&mut out, n);
                return Ok(out);
            }
        }
        [WordPart::DoubleQuoted(inner)] => {
            if let [WordPart::Param(pe)] = inner.as_slice()
                && is_plain(pe)
                && let Some(v) = param::plain_value(sh, &pe.param)
            {
                return Ok(v.to_vec());
            }
        }
        _ => {}
    }
    let mut buf = WordBuf::default();
    expand_parts(sh, &w.parts, false, Mode::Str, &mut buf)?;
    Ok(buf.bytes)
}

/// Expands the text of `$((...))`; single quotes stay in it, so that arithmetic rejects
/// them (dash, bash and ash agree).
pub fn arith_string(sh: &mut Shell, w: &Word) -> Result<Vec<u8>, Ctl> {
    if !w
        .parts
        .iter()
        .any(|p| matches!(p, WordPart::SingleQuoted(_)))
    {
        return string(sh, w);
    }
    let mut buf = WordBuf::default();
    for p in &w.parts {
        match p {
            WordPart::SingleQuoted(s) => {
                buf.push(b"'", 0);
                buf.push(s, 0);
                buf.push(b"'", 0);
            }
            _ => expand_part(sh, p, false, Mode::Str, &mut buf)?,
        }
    }
    Ok(buf.bytes)
}

/// The value of `$((...))`: a literal text is parsed once and cached; text made by
/// expansions is parsed each time.
fn arith_value(sh: &mut Shell, w: &Word) -> Result<i64, Ctl> {
    match w.parts.as_slice() {
        [WordPart::Literal(s)] => arith::eval(sh, s),
        [] => arith::eval(sh, b""),
        _ => {
            let text = arith_string(sh, w)?;
            arith::eval_uncached(sh, &text)
        }
    }
}

/// Expands a word whose literal text is all quoted (here-document bodies).
pub fn quoted_string(sh: &mut Shell, w: &Word) -> Result<Vec<u8>, Ctl> {
    let mut buf = WordBuf::default();
    expand_parts(sh, &w.parts, true, Mode::Str, &mut buf)?;
    Ok(buf.bytes)
}

/// Expands a word as a pattern: bytes and which of them are quoted.
pub fn pattern(sh: &mut Shell, w: &Word) -> Result<WordBuf, Ctl> {
    let mut buf = WordBuf::default();
    expand_parts(sh, &w.parts, false, Mode::Str, &mut buf)?;
    Ok(buf)
}

/// Compiles an expanded pattern word.
pub fn compile_pattern(buf: &WordBuf) -> rbox_parser::pattern::Pattern {
    rbox_parser::pattern::Pattern::new(
        &buf.bytes,
        &buf.quoted_mask(),
        rbox_parser::pattern::Options::default(),
    )
}

/// Expands and compiles a pattern word (`case` arms, `${x#p}`); a plain literal (the
/// usual `*/`, `lib*`) is compiled straight from the tree, all of it live.
pub fn word_pattern(sh: &mut Shell, w: &Word) -> Result<rbox_parser::pattern::Pattern, Ctl> {
    if let [WordPart::Literal(s)] = w.parts.as_slice() {
        return Ok(rbox_parser::pattern::Pattern::new(
            s,
            &[],
            rbox_parser::pattern::Options::default(),
        ));
    }
    Ok(compile_pattern(&pattern(sh, w)?))
}

/// Expands `parts` into `buf`; `quoted` is true inside double quotes.
pub fn expand_parts(
    sh: &mut Shell,
    parts: &[WordPart],
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
) -> Result<(), Ctl> {
    for p in parts {
        expand_part(sh, p, quoted, mode, buf)?;
    }
    Ok(())
}

fn expand_part(
    sh: &mut Shell,
    p: &WordPart,
    quoted: bool,
    mode: Mode,
    buf: &mut WordBuf,
) -> Result<(), Ctl> {
    match p {
        WordPart::Literal(s) => {
            let f = if quoted { QUOTED } else { buf.lit_flag };
            buf.push(s, f)
        }
        WordPart::SingleQuoted(s) | WordPart::AnsiC(s) => {
            buf.mark();
            buf.push(s, QUOTED);
        }
        WordPart::Escaped(c) => {
            buf.mark();
            buf.push(&[*c], QUOTED);
        }
        WordPart::DoubleQuoted(inner) => {
            if !only_at(inner) {
                buf.mark();
            }
            expand_parts(sh, inner, true, mode, buf)?;
        }
        WordPart::Param(pe) => param::expand(sh, pe, quoted, mode, buf)?,
        WordPart::CommandSub { program, .. } => {
            let out = super::exec::cmdsub::capture(sh, program)?;
            push_result(buf, &out, quoted);
        }
        WordPart::Arith(w) => {
            let v = arith_value(sh, w)?;
            let mut text = Vec::with_capacity(20);
            arith::push_decimal(&mut text, v);
            push_result(buf, &text, quoted);
        }
        WordPart::Array(words) => {
            // Only assignments take `(...)`; anywhere else it reads as its words.
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    buf.push(b" ", if quoted { QUOTED } else { SPLIT });
                }
                expand_parts(sh, &w.parts, quoted, mode, buf)?;
            }
        }
        WordPart::Tilde(user) => match tilde(sh, user) {
            Some(home) => {
                buf.mark();
                buf.push(&home, QUOTED);
            }
            None => {
                buf.push(b"~", 0);
                buf.push(user, 0);
            }
        },
    }
    Ok(())
}

/// Appends an expansion's result: quoted inside double quotes, else split-eligible.
pub fn push_result(buf: &mut WordBuf, s: &[u8], quoted: bool) {
    if quoted {
        buf.push(s, QUOTED);
    } else {
        buf.push(s, SPLIT);
    }
}

/// Whether double-quoted parts are nothing but `$@` (which may give zero fields).
fn only_at(parts: &[WordPart]) -> bool {
    !parts.is_empty()
        && parts.iter().all(|p| {
            // bash: "${a[@]+x}" of an empty array is no field either.
            if let WordPart::Param(pe) = p
                && let Param::Index(_, Subscript::At) = pe.param
                && !pe.indirect
                && matches!(pe.op, ParamOp::Alternative { .. })
            {
                return true;
            }
            matches!(p, WordPart::Param(pe) if (pe.param == Param::Special(b'@')
                    || matches!(pe.param, Param::Index(_, Subscript::At)) && !pe.indirect)
                && matches!(pe.op, ParamOp::Plain | ParamOp::Substring { .. }
                    | ParamOp::RemovePrefix { .. } | ParamOp::RemoveSuffix { .. }
                    | ParamOp::Replace { .. }))
        })
}

/// `~` or `~user`: the home directory, or `None` to leave the text as it is.
pub fn tilde(sh: &Shell, user: &[u8]) -> Option<Vec<u8>> {
    if user.is_empty() {
        if let Some(h) = sh.vars.get(b"HOME") {
            return Some(h.to_vec());
        }
        let uid = nix::unistd::getuid().as_raw();
        let acc = rbox_builtins::common::passwd::Accounts::load();
        return acc.user_by_uid(uid).map(|u| u.home.clone());
    }
    let acc = rbox_builtins::common::passwd::Accounts::load();
    acc.user_by_name(user).map(|u| u.home.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rbox_parser::syntax::{Command, NoAliases, Parser};

    fn words_of(src: &str) -> Vec<Word> {
        let mut p = Parser::new(src.as_bytes());
        let list = p.next_complete_command(&NoAliases).unwrap().unwrap();
        match &list.items[0].and_or.first.commands[0] {
            Command::Simple(s) => s.words.clone(),
            _ => panic!(),
        }
    }

    fn expand(sh: &mut Shell, src: &str) -> Vec<String> {
        let w = words_of(src);
        fields(sh, &w)
            .unwrap()
            .into_iter()
            .map(|f| String::from_utf8(f).unwrap())
            .collect()
    }

    #[test]
    fn quoting_and_splitting() {
        let mut sh = Shell::new(&[]);
        sh.vars.set(b"x", b" a  b ".to_vec(), false).unwrap();
        sh.vars.set(b"e", b"".to_vec(), false).unwrap();
        assert_eq!(expand(&mut sh, "echo $x"), ["echo", "a", "b"]);
        assert_eq!(expand(&mut sh, "echo \"$x\""), ["echo", " a  b "]);
        assert_eq!(expand(&mut sh, "echo p${x}q"), ["echo", "p", "a", "b", "q"]);
        assert_eq!(expand(&mut sh, "echo $e \"\" ''$e"), ["echo", "", ""]);
        sh.vars.set(b"IFS", b":".to_vec(), false).unwrap();
        sh.vars.set(b"y", b"a::b:".to_vec(), false).unwrap();
        assert_eq!(expand(&mut sh, "echo $y"), ["echo", "a", "", "b"]);
    }

    #[test]
    fn at_and_star() {
        let mut sh = Shell::new(&[]);
        sh.positional = vec![b"a b".to_vec(), b"".to_vec(), b"c".to_vec()];
        assert_eq!(expand(&mut sh, "x \"$@\""), ["x", "a b", "", "c"]);
        assert_eq!(expand(&mut sh, "x $@"), ["x", "a", "b", "c"]);
        assert_eq!(expand(&mut sh, "x \"$*\""), ["x", "a b  c"]);
        assert_eq!(expand(&mut sh, "x \"<$@>\""), ["x", "<a b", "", "c>"]);
        sh.positional.clear();
        assert_eq!(expand(&mut sh, "x \"$@\""), ["x"]);
        assert_eq!(expand(&mut sh, "x \"$*\""), ["x", ""]);
    }
}
