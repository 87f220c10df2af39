//! sed's script parser: the whole script (every `-e` and `-f` joined by newlines) read
//! once into a flat program, `{` blocks and branches resolved to indices, every regex
//! compiled once, `w` files opened once. Errors read like GNU sed's
//! (`-e expression #1, char 3: unterminated `s' command`).

use rbox_parser::regex::{Options as ReOptions, Regex};

use crate::error::Error;

/// Where a part of the script came from, for messages.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The Nth `-e` (or the script operand).
    Expr(usize),
    /// A `-f` file.
    File(Vec<u8>),
}

/// A line address.
#[derive(Clone, Debug)]
pub enum Addr {
    Line(u64),
    Last,
    /// A regex by index; `None` is the empty regex (the last one used).
    Re(Option<usize>),
    /// `first~step`.
    Step(u64, u64),
    /// `0` (only as `0,/re/`).
    Zero,
}

/// The end of a range.
#[derive(Clone, Debug)]
pub enum Addr2 {
    At(Addr),
    /// `addr1,+N`.
    Plus(u64),
    /// `addr1,~N`.
    Multiple(u64),
}

/// One piece of an `s` replacement.
#[derive(Clone, Debug)]
pub enum Piece {
    Lit(Vec<u8>),
    /// `&` (0) or `\1`..`\9`.
    Group(usize),
    /// `\L \U \l \u \E`.
    Case(u8),
}

/// An `s` command.
#[derive(Debug)]
pub struct Subst {
    pub re: Option<usize>,
    pub repl: Vec<Piece>,
    /// Whether the replacement names groups 1-9 (so captures are needed).
    pub groups: bool,
    pub global: bool,
    pub nth: u64,
    pub print: u32,
    pub write: Option<usize>,
}

/// What a command does.
#[derive(Debug)]
pub enum Kind {
    /// `{`, with the index just past its `}`.
    Block(usize),
    /// `}`.
    End,
    Subst(Box<Subst>),
    Trans(Box<[u8; 256]>),
    Append(Vec<u8>),
    Insert(Vec<u8>),
    Change(Vec<u8>),
    Delete,
    DeleteFirst,
    Print,
    PrintFirst,
    Next,
    NextAppend,
    Get,
    GetAppend,
    Hold,
    HoldAppend,
    Exchange,
    /// `b`, `t`, `T` with their target (`None`: the end of the script).
    Branch(u8, Option<usize>),
    Label,
    LineNum,
    List(Option<usize>),
    Quit(bool, i32),
    ReadFile(Vec<u8>),
    ReadLine(Vec<u8>),
    Write(usize),
    WriteFirst(usize),
    Zap,
    FileName,
    Nop,
}

/// One command with its addresses.
#[derive(Debug)]
pub struct Cmd {
    pub a1: Option<Addr>,
    pub a2: Option<Addr2>,
    pub negate: bool,
    pub kind: Kind,
}

/// A parsed script.
pub struct Program {
    pub cmds: Vec<Cmd>,
    pub regexes: Vec<Regex>,
    /// The `w` file names, by index.
    pub wfiles: Vec<Vec<u8>>,
    /// `#n` on the first line.
    pub quiet: bool,
}

/// Parses `script`, whose parts start at the offsets in `origins`.
pub fn parse(script: &[u8], origins: &[(usize, Origin)], ere: bool) -> Result<Program, Error> {
    let mut p = Parser {
        s: script,
        pos: 0,
        origins,
        ere,
        prog: Program {
            cmds: Vec::new(),
            regexes: Vec::new(),
            wfiles: Vec::new(),
            quiet: false,
        },
        labels: Vec::new(),
        jumps: Vec::new(),
        blocks: Vec::new(),
    };
    if script.starts_with(b"#n") && matches!(script.get(2), None | Some(b'\n')) {
        p.prog.quiet = true;
    }
    p.run()?;
    if !p.blocks.is_empty() {
        p.pos = 0;
        return Err(p.err("unmatched `{'"));
    }
    for (at, name) in std::mem::take(&mut p.jumps) {
        let target = p.labels.iter().find(|(n, _)| *n == name).map(|(_, i)| *i);
        let Some(t) = target else {
            let mut m = b"can't find label for jump to `".to_vec();
            m.extend_from_slice(&name);
            m.push(b'\'');
            return Err(Error::msg(m));
        };
        if let Some(Cmd {
            kind: Kind::Branch(_, dest),
            ..
        }) = p.prog.cmds.get_mut(at)
        {
            *dest = Some(t);
        }
    }
    Ok(p.prog)
}

struct Parser<'s> {
    s: &'s [u8],
    pos: usize,
    origins: &'s [(usize, Origin)],
    ere: bool,
    prog: Program,
    labels: Vec<(Vec<u8>, usize)>,
    jumps: Vec<(usize, Vec<u8>)>,
    blocks: Vec<usize>,
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Parser<'_> {
    fn err(&self, msg: &str) -> Error {
        let (start, origin) = self
            .origins
            .iter()
            .rev()
            .find(|(s, _)| *s < self.pos)
            .or(self.origins.first())
            .cloned()
            .unwrap_or((0, Origin::Expr(1)));
        let text = match origin {
            Origin::Expr(n) => format!(
                "-e expression #{n}, char {}: {msg}",
                self.pos.saturating_sub(start)
            ),
            Origin::File(name) => {
                let upto = self.s.get(start..self.pos).unwrap_or_default();
                let line = 1 + upto.iter().filter(|&&b| b == b'\n').count();
                let line = if upto.ends_with(b"\n") {
                    line - 1
                } else {
                    line
                };
                format!("file {} line {line}: {msg}", String::from_utf8_lossy(&name))
            }
        };
        Error::msg(text)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn number(&mut self) -> u64 {
        let mut n: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
            self.pos += 1;
        }
        n
    }

    fn run(&mut self) -> Result<(), Error> {
        loop {
            while self
                .peek()
                .is_some_and(|b| is_space(b) || b == b'\n' || b == b';')
            {
                self.pos += 1;
            }
            if self.peek().is_none() {
                return Ok(());
            }
            self.command()?;
        }
    }

    /// A regex or `y` part up to the unescaped `delim`, with `\n` made a newline and
    /// `\delim` the delimiter itself. `None` at the end of the script.
    fn delimited(&mut self, delim: u8, regex: bool) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let b = self.bump()?;
            if b == delim {
                return Some(out);
            }
            if b == b'\n' && regex {
                return None;
            }
            if b == b'[' && regex {
                self.bracket(&mut out)?;
                continue;
            }
            if b == b'\\' {
                let c = self.bump()?;
                if c == delim {
                    out.push(c);
                } else if c == b'n' || c == b'\n' {
                    out.push(b'\n');
                } else {
                    out.push(b'\\');
                    out.push(c);
                }
            } else {
                out.push(b);
            }
        }
    }

    /// The rest of a bracket expression after its `[`, copied to `out` as it is (the
    /// delimiter does not end a regex inside one, and `\\` is an ordinary byte there;
    /// only `\\n` becomes a newline, as in GNU sed). `None` at a newline or the end.
    fn bracket(&mut self, out: &mut Vec<u8>) -> Option<()> {
        out.push(b'[');
        let mut first = true;
        if self.peek() == Some(b'^') {
            self.pos += 1;
            out.push(b'^');
        }
        loop {
            let b = self.bump()?;
            match b {
                b'\n' => return None,
                b']' if !first => {
                    out.push(b);
                    return Some(());
                }
                b'[' if matches!(self.peek(), Some(b':' | b'.' | b'=')) => {
                    let kind = self.bump()?;
                    out.extend_from_slice(&[b'[', kind]);
                    // Up to the matching `kind]`.
                    loop {
                        let c = self.bump()?;
                        if c == b'\n' {
                            return None;
                        }
                        out.push(c);
                        if c == kind && self.peek() == Some(b']') {
                            self.pos += 1;
                            out.push(b']');
                            break;
                        }
                    }
                }
                b'\\' if self.peek() == Some(b'n') => {
                    self.pos += 1;
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
            first = false;
        }
    }

    /// Compiles a regex source (empty: `None`, the last regex) with flags.
    fn regex(&mut self, src: &[u8], icase: bool, multiline: bool) -> Result<Option<usize>, Error> {
        if src.is_empty() {
            return Ok(None);
        }
        let src = escapes(src);
        if self.ere && stray_close_paren(&src) {
            // glibc's regcomp takes it as a literal; GNU sed rejects it.
            return Err(self.err("Unmatched ) or \\)"));
        }
        let opts = ReOptions {
            extended: self.ere,
            icase,
            newline: multiline,
        };
        let re = Regex::new(&src, &opts).map_err(|e| self.err(&e.to_string()))?;
        self.prog.regexes.push(re);
        Ok(Some(self.prog.regexes.len() - 1))
    }

    fn address(&mut self) -> Result<Option<Addr>, Error> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                let n = self.number();
                if self.peek() == Some(b'~') {
                    self.pos += 1;
                    let step = self.number();
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(if n == 0 { Addr::Zero } else { Addr::Line(n) }))
            }
            Some(b'$') => {
                self.pos += 1;
                Ok(Some(Addr::Last))
            }
            Some(b'/') | Some(b'\\') => {
                let mut delim = b'/';
                if self.bump() == Some(b'\\') {
                    delim = match self.bump() {
                        Some(d) if d != b'\n' && d != b'\\' => d,
                        _ => return Err(self.err("unexpected `,'")),
                    };
                }
                let Some(src) = self.delimited(delim, true) else {
                    return Err(self.err("unterminated address regex"));
                };
                let (mut icase, mut multi) = (false, false);
                loop {
                    match self.peek() {
                        Some(b'I') => icase = true,
                        Some(b'M') => multi = true,
                        _ => break,
                    }
                    self.pos += 1;
                }
                Ok(Some(Addr::Re(self.regex(&src, icase, multi)?)))
            }
            _ => Ok(None),
        }
    }

    /// The label or file name argument: to the end of the line (labels also stop at `;`,
    /// `}` and blanks, as in GNU sed).
    fn argument(&mut self, label: bool) -> Vec<u8> {
        self.skip_spaces();
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b'\n' || (label && (b == b';' || b == b'}' || is_space(b))) {
                break;
            }
            self.pos += 1;
        }
        let v = self.s.get(start..self.pos).unwrap_or_default().to_vec();
        if label {
            self.skip_spaces();
        }
        v
    }

    /// The text of `a`, `i`, `c` (one-liner or `\`-newline form), ending in its newline;
    /// empty (nothing to write) for an `a\` that ends the script.
    fn text(&mut self) -> Result<Vec<u8>, Error> {
        self.skip_spaces();
        if self.peek().is_none() {
            return Err(self.err("expected \\ after `a', `c' or `i'"));
        }
        if self.peek() == Some(b'\\') {
            self.pos += 1;
            match self.peek() {
                Some(b'\n') => self.pos += 1,
                // `a\` ending the script: GNU appends nothing at all.
                None => return Ok(Vec::new()),
                // `a\text`: GNU keeps what follows, leading spaces included.
                Some(_) => {}
            }
        }
        let mut out = Vec::new();
        while let Some(b) = self.bump() {
            match b {
                b'\n' => break,
                b'\\' => {
                    if let Some(c) = self.bump() {
                        self.text_escape(c, &mut out);
                    }
                }
                _ => out.push(b),
            }
        }
        out.push(b'\n');
        Ok(out)
    }

    /// The byte(s) for `\c` in `a`/`i`/`c` text, as GNU sed: `\t \n \r \a \f \v`,
    /// `\xHH`, `\oNNN`, `\dNNN`; any other byte stands for itself.
    fn text_escape(&mut self, c: u8, out: &mut Vec<u8>) {
        let (radix, max) = match c {
            b't' => return out.push(b'\t'),
            b'n' => return out.push(b'\n'),
            b'r' => return out.push(b'\r'),
            b'a' => return out.push(7),
            b'f' => return out.push(12),
            b'v' => return out.push(11),
            b'x' => (16, 2),
            b'o' => (8, 3),
            b'd' => (10, 3),
            _ => return out.push(c),
        };
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max {
            let Some(d) = self.peek().and_then(|b| char::from(b).to_digit(radix)) else {
                break;
            };
            v = v * radix + d;
            self.pos += 1;
            n += 1;
        }
        match u8::try_from(v) {
            Ok(b) if n > 0 => out.push(b),
            _ => out.push(c),
        }
    }

    /// After a command: spaces, then `;`, newline, `}`, `#` or the end.
    fn end_of_command(&mut self) -> Result<(), Error> {
        self.skip_spaces();
        match self.peek() {
            None | Some(b'}') | Some(b'#') => Ok(()),
            Some(b';') | Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => {
                self.pos += 1;
                Err(self.err("extra characters after command"))
            }
        }
    }

    fn wfile(&mut self, name: Vec<u8>) -> usize {
        if let Some(i) = self.prog.wfiles.iter().position(|n| *n == name) {
            return i;
        }
        self.prog.wfiles.push(name);
        self.prog.wfiles.len() - 1
    }

    fn command(&mut self) -> Result<(), Error> {
        let a1 = self.address()?;
        let mut a2 = None;
        if a1.is_some() {
            self.skip_spaces();
            if self.peek() == Some(b',') {
                self.pos += 1;
                self.skip_spaces();
                a2 = match self.peek() {
                    Some(b'+') => {
                        self.pos += 1;
                        Some(Addr2::Plus(self.number()))
                    }
                    Some(b'~') => {
                        self.pos += 1;
                        Some(Addr2::Multiple(self.number()))
                    }
                    _ => match self.address()? {
                        Some(Addr::Zero) => {
                            return Err(self.err("invalid usage of line address 0"));
                        }
                        Some(Addr::Step(n, _)) => Some(Addr2::At(Addr::Line(n))),
                        Some(a) => Some(Addr2::At(a)),
                        None => return Err(self.err("unexpected `,'")),
                    },
                };
            }
        }
        if matches!(a1, Some(Addr::Zero)) && !matches!(a2, Some(Addr2::At(Addr::Re(_)))) {
            return Err(self.err("invalid usage of line address 0"));
        }
        self.skip_spaces();
        let mut negate = false;
        while self.peek() == Some(b'!') {
            self.pos += 1;
            negate = true;
            self.skip_spaces();
        }
        let Some(c) = self.bump() else {
            return Err(self.err("missing command"));
        };
        let has_addr = a1.is_some();
        let kind = match c {
            b'{' => {
                self.blocks.push(self.prog.cmds.len());
                Kind::Block(0)
            }
            b'}' => {
                if has_addr {
                    return Err(self.err("} doesn't want any addresses"));
                }
                let Some(open) = self.blocks.pop() else {
                    return Err(self.err("unexpected `}'"));
                };
                let here = self.prog.cmds.len();
                if let Some(Cmd {
                    kind: Kind::Block(end),
                    ..
                }) = self.prog.cmds.get_mut(open)
                {
                    *end = here + 1;
                }
                self.end_of_command()?;
                Kind::End
            }
            b'a' => Kind::Append(self.text()?),
            b'i' => Kind::Insert(self.text()?),
            b'c' => Kind::Change(self.text()?),
            b':' => {
                if has_addr {
                    return Err(self.err(": doesn't want any addresses"));
                }
                let l = self.argument(true);
                if l.is_empty() {
                    return Err(self.err("\":\" lacks a label"));
                }
                if self.peek() == Some(b';') {
                    self.pos += 1;
                }
                self.labels.push((l, self.prog.cmds.len()));
                Kind::Label
            }
            b'b' | b't' | b'T' => {
                let l = self.argument(true);
                if self.peek() == Some(b';') {
                    self.pos += 1;
                }
                if !l.is_empty() {
                    self.jumps.push((self.prog.cmds.len(), l));
                }
                Kind::Branch(c, None)
            }
            b'r' | b'R' | b'w' | b'W' => {
                let name = self.argument(false);
                if name.is_empty() {
                    return Err(self.err("missing filename in r/R/w/W commands"));
                }
                match c {
                    b'r' => Kind::ReadFile(name),
                    b'R' => Kind::ReadLine(name),
                    b'w' => Kind::Write(self.wfile(name)),
                    _ => Kind::WriteFirst(self.wfile(name)),
                }
            }
            b's' => self.subst()?,
            b'y' => self.trans()?,
            b'q' | b'Q' => {
                if a2.is_some() {
                    return Err(self.err("command only uses one address"));
                }
                self.skip_spaces();
                let code = i32::try_from(self.number()).unwrap_or(i32::MAX);
                self.end_of_command()?;
                Kind::Quit(c == b'q', code)
            }
            b'l' | b'L' => {
                self.skip_spaces();
                let w = self
                    .peek()
                    .filter(u8::is_ascii_digit)
                    .map(|_| usize::try_from(self.number()).unwrap_or(usize::MAX));
                self.end_of_command()?;
                Kind::List(w)
            }
            b'#' => {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.pos += 1;
                }
                Kind::Nop
            }
            b'v' => {
                self.argument(true);
                Kind::Nop
            }
            b'=' | b'd' | b'D' | b'p' | b'P' | b'n' | b'N' | b'g' | b'G' | b'h' | b'H' | b'x'
            | b'z' | b'F' => {
                self.end_of_command()?;
                match c {
                    b'=' => Kind::LineNum,
                    b'd' => Kind::Delete,
                    b'D' => Kind::DeleteFirst,
                    b'p' => Kind::Print,
                    b'P' => Kind::PrintFirst,
                    b'n' => Kind::Next,
                    b'N' => Kind::NextAppend,
                    b'g' => Kind::Get,
                    b'G' => Kind::GetAppend,
                    b'h' => Kind::Hold,
                    b'H' => Kind::HoldAppend,
                    b'x' => Kind::Exchange,
                    b'z' => Kind::Zap,
                    _ => Kind::FileName,
                }
            }
            _ => {
                let shown = String::from_utf8_lossy(&[c]).into_owned();
                return Err(self.err(&format!("unknown command: `{shown}'")));
            }
        };
        if matches!(kind, Kind::Nop) && !has_addr && c == b'#' {
            return Ok(());
        }
        self.prog.cmds.push(Cmd {
            a1,
            a2,
            negate,
            kind,
        });
        Ok(())
    }

    fn subst(&mut self) -> Result<Kind, Error> {
        let delim = match self.bump() {
            Some(d) if d != b'\n' && d != b'\\' => d,
            _ => return Err(self.err("unterminated `s' command")),
        };
        let Some(pat) = self.delimited(delim, true) else {
            return Err(self.err("unterminated `s' command"));
        };
        let Some(repl) = self.replacement(delim) else {
            return Err(self.err("unterminated `s' command"));
        };
        let mut s = Subst {
            re: None,
            groups: repl.iter().any(|p| matches!(p, Piece::Group(g) if *g > 0)),
            repl,
            global: false,
            nth: 1,
            print: 0,
            write: None,
        };
        let (mut icase, mut multi) = (false, false);
        loop {
            match self.peek() {
                Some(b'g') => s.global = true,
                Some(b'p') => s.print += 1,
                Some(b'I' | b'i') => icase = true,
                Some(b'M' | b'm') => multi = true,
                Some(b'0'..=b'9') => {
                    let n = self.number();
                    if n == 0 {
                        return Err(self.err("number option to `s' command may not be zero"));
                    }
                    s.nth = n;
                    continue;
                }
                Some(b'w') => {
                    self.pos += 1;
                    let name = self.argument(false);
                    if name.is_empty() {
                        return Err(self.err("missing filename in r/R/w/W commands"));
                    }
                    s.write = Some(self.wfile(name));
                    break;
                }
                Some(b'e') => {
                    self.pos += 1;
                    return Err(self.err("the `e' flag is not supported"));
                }
                _ => break,
            }
            self.pos += 1;
        }
        if s.write.is_none() {
            self.skip_spaces();
            match self.peek() {
                None | Some(b'}') | Some(b'#') => {}
                Some(b';') | Some(b'\n') => self.pos += 1,
                Some(_) => {
                    self.pos += 1;
                    return Err(self.err("unknown option to `s'"));
                }
            }
        }
        s.re = self.regex(&pat, icase, multi)?;
        if let Some(i) = s.re {
            let max = s
                .repl
                .iter()
                .filter_map(|p| match p {
                    Piece::Group(g) => Some(*g),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            let have = self.prog.regexes.get(i).map_or(1, Regex::captures_len);
            if max >= have {
                return Err(self.err(&format!("invalid reference \\{max} on `s' command's RHS")));
            }
        }
        Ok(Kind::Subst(Box::new(s)))
    }

    fn replacement(&mut self, delim: u8) -> Option<Vec<Piece>> {
        let mut parts = Vec::new();
        let mut lit = Vec::new();
        loop {
            let b = self.bump()?;
            if b == delim {
                break;
            }
            match b {
                b'&' => {
                    if !lit.is_empty() {
                        parts.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(Piece::Group(0));
                }
                b'\\' => {
                    let c = self.bump()?;
                    match c {
                        // `\DELIM` is the delimiter itself, even `&` or a digit.
                        c if c == delim => lit.push(c),
                        b'0'..=b'9' => {
                            if !lit.is_empty() {
                                parts.push(Piece::Lit(std::mem::take(&mut lit)));
                            }
                            parts.push(Piece::Group(usize::from(c - b'0')));
                        }
                        b'L' | b'U' | b'l' | b'u' | b'E' => {
                            if !lit.is_empty() {
                                parts.push(Piece::Lit(std::mem::take(&mut lit)));
                            }
                            parts.push(Piece::Case(c));
                        }
                        b'n' => lit.push(b'\n'),
                        b't' => lit.push(b'\t'),
                        b'r' => lit.push(b'\r'),
                        b'a' => lit.push(7),
                        b'f' => lit.push(12),
                        b'v' => lit.push(11),
                        _ => lit.push(c),
                    }
                }
                _ => lit.push(b),
            }
        }
        if !lit.is_empty() {
            parts.push(Piece::Lit(lit));
        }
        Some(parts)
    }

    fn trans(&mut self) -> Result<Kind, Error> {
        let delim = match self.bump() {
            Some(d) if d != b'\n' && d != b'\\' => d,
            _ => return Err(self.err("unterminated `y' command")),
        };
        let mut parts = Vec::new();
        for _ in 0..2 {
            let mut out = Vec::new();
            loop {
                let Some(b) = self.bump() else {
                    return Err(self.err("unterminated `y' command"));
                };
                if b == delim {
                    break;
                }
                if b == b'\\' {
                    match self.bump() {
                        Some(b'n') => out.push(b'\n'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'\\') => out.push(b'\\'),
                        Some(c) if c == delim => out.push(c),
                        Some(c) => {
                            out.push(b'\\');
                            out.push(c);
                        }
                        None => return Err(self.err("unterminated `y' command")),
                    }
                } else {
                    out.push(b);
                }
            }
            parts.push(out);
        }
        let (from, to) = (
            parts.first().cloned().unwrap_or_default(),
            parts.get(1).cloned().unwrap_or_default(),
        );
        if from.len() != to.len() {
            return Err(self.err("strings for `y' command are different lengths"));
        }
        self.end_of_command()?;
        let mut map = Box::new([0u8; 256]);
        for (i, slot) in map.iter_mut().enumerate() {
            *slot = u8::try_from(i).unwrap_or(0);
        }
        for (&f, &t) in from.iter().zip(&to) {
            map[usize::from(f)] = t;
        }
        Ok(Kind::Trans(map))
    }
}

/// Whether an ERE has a `)` with no `(` open (outside brackets and escapes).
fn stray_close_paren(re: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = re.get(i) {
        match b {
            b'\\' => i += 1,
            b'[' => {
                // Skip the bracket expression: `]` first is literal, `[:...:]` inside.
                i += 1;
                if re.get(i) == Some(&b'^') {
                    i += 1;
                }
                if re.get(i) == Some(&b']') {
                    i += 1;
                }
                while let Some(&c) = re.get(i) {
                    if c == b']' {
                        break;
                    }
                    if c == b'[' && matches!(re.get(i + 1), Some(b':' | b'.' | b'=')) {
                        let kind = re.get(i + 1).copied().unwrap_or(b':');
                        i += 2;
                        while i + 1 < re.len()
                            && !(re.get(i) == Some(&kind) && re.get(i + 1) == Some(&b']'))
                        {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' if depth == 0 => return true,
            b')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    false
}

/// GNU sed's escapes inside a regex: `\t \r \f \v \a` and `\xHH` become the byte
/// (`\n` was done while splitting); a byte special to regexes is kept escaped.
fn escapes(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&c) = src.get(i + 1) else {
            out.push(b);
            break;
        };
        i += 2;
        let byte = match c {
            b't' => Some(b'\t'),
            b'r' => Some(b'\r'),
            b'f' => Some(12),
            b'v' => Some(11),
            b'a' => Some(7),
            b'x' => {
                let hex: Vec<u8> = src
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .take(2)
                    .take_while(|h| h.is_ascii_hexdigit())
                    .copied()
                    .collect();
                let v = std::str::from_utf8(&hex)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if v.is_some() {
                    i += hex.len();
                }
                v
            }
            _ => None,
        };
        match byte {
            Some(v) if b".[]*^$\\+?(){}|/".contains(&v) => {
                out.push(b'\\');
                out.push(v);
            }
            Some(v) => out.push(v),
            None => {
                out.push(b'\\');
                out.push(c);
            }
        }
    }
    out
}
