//! The awk lexer: bytes to tokens, one at a time, driven by the parser. A `/` is a
//! division token; where the grammar expects an operand the parser asks for a regex
//! instead ([`Lexer::regex`]), which is how `a / b / c` and `/re/` are told apart.

/// A token.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Eof,
    Newline,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Semi,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    Gt,
    Lt,
    Pipe,
    Question,
    Colon,
    Tilde,
    NoMatch,
    Dollar,
    Assign,
    AddAssign,
    SubAssign,
    MulAssign,
    DivAssign,
    ModAssign,
    PowAssign,
    Eq,
    Ne,
    Le,
    Ge,
    And,
    Or,
    Incr,
    Decr,
    Append,
    Number(f64),
    Str(Vec<u8>),
    /// A name; `call` when `(` follows with no blank between (a function call).
    Name(Vec<u8>, bool),
    Builtin(Builtin),
    Begin,
    End,
    Function,
    If,
    Else,
    While,
    For,
    Do,
    Break,
    Continue,
    Next,
    Nextfile,
    Exit,
    Return,
    Delete,
    In,
    Getline,
    Print,
    Printf,
}

/// The built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Length,
    Substr,
    Index,
    Split,
    Sub,
    Gsub,
    Match,
    Sprintf,
    Tolower,
    Toupper,
    Sin,
    Cos,
    Atan2,
    Exp,
    Log,
    Sqrt,
    Int,
    Rand,
    Srand,
    System,
    Close,
    Fflush,
}

fn keyword(name: &[u8]) -> Option<Tok> {
    Some(match name {
        b"BEGIN" => Tok::Begin,
        b"END" => Tok::End,
        b"function" | b"func" => Tok::Function,
        b"if" => Tok::If,
        b"else" => Tok::Else,
        b"while" => Tok::While,
        b"for" => Tok::For,
        b"do" => Tok::Do,
        b"break" => Tok::Break,
        b"continue" => Tok::Continue,
        b"next" => Tok::Next,
        b"nextfile" => Tok::Nextfile,
        b"exit" => Tok::Exit,
        b"return" => Tok::Return,
        b"delete" => Tok::Delete,
        b"in" => Tok::In,
        b"getline" => Tok::Getline,
        b"print" => Tok::Print,
        b"printf" => Tok::Printf,
        _ => return builtin(name).map(Tok::Builtin),
    })
}

fn builtin(name: &[u8]) -> Option<Builtin> {
    use Builtin::*;
    Some(match name {
        b"length" => Length,
        b"substr" => Substr,
        b"index" => Index,
        b"split" => Split,
        b"sub" => Sub,
        b"gsub" => Gsub,
        b"match" => Match,
        b"sprintf" => Sprintf,
        b"tolower" => Tolower,
        b"toupper" => Toupper,
        b"sin" => Sin,
        b"cos" => Cos,
        b"atan2" => Atan2,
        b"exp" => Exp,
        b"log" => Log,
        b"sqrt" => Sqrt,
        b"int" => Int,
        b"rand" => Rand,
        b"srand" => Srand,
        b"system" => System,
        b"close" => Close,
        b"fflush" => Fflush,
        _ => return None,
    })
}

/// Whether `name` is a keyword or built-in function name (not usable as a variable).
pub fn is_reserved(name: &[u8]) -> bool {
    keyword(name).is_some()
}

/// The lexer: a position in the program text. Cheap to clone, for lookahead.
#[derive(Clone)]
pub struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    /// The line of the last token read (1-based).
    pub line: usize,
}

impl<'s> Lexer<'s> {
    pub fn new(src: &'s [u8]) -> Lexer<'s> {
        Lexer {
            src,
            pos: 0,
            line: 1,
        }
    }

    fn peek_byte(&self, off: usize) -> u8 {
        self.src.get(self.pos + off).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// The next token; errors are messages without the line prefix.
    pub fn next_token(&mut self) -> Result<Tok, String> {
        // Blanks, comments and backslash-newline continuations.
        loop {
            match self.peek_byte(0) {
                b' ' | b'\t' | b'\r' if !self.at_end() => self.pos += 1,
                b'\\' if self.peek_byte(1) == b'\n' => {
                    self.pos += 2;
                    self.line += 1;
                }
                b'\\' if self.peek_byte(1) == b'\r' && self.peek_byte(2) == b'\n' => {
                    self.pos += 3;
                    self.line += 1;
                }
                b'#' => {
                    while !self.at_end() && self.peek_byte(0) != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        if self.at_end() {
            return Ok(Tok::Eof);
        }
        let c = self.peek_byte(0);
        let c1 = self.peek_byte(1);
        self.pos += 1;
        let two = |l: &mut Lexer, t: Tok| {
            l.pos += 1;
            t
        };
        Ok(match c {
            b'\n' => {
                self.line += 1;
                Tok::Newline
            }
            b'{' => Tok::LBrace,
            b'}' => Tok::RBrace,
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b';' => Tok::Semi,
            b',' => Tok::Comma,
            b'?' => Tok::Question,
            b':' => Tok::Colon,
            b'~' => Tok::Tilde,
            b'$' => Tok::Dollar,
            b'+' if c1 == b'+' => two(self, Tok::Incr),
            b'+' if c1 == b'=' => two(self, Tok::AddAssign),
            b'+' => Tok::Plus,
            b'-' if c1 == b'-' => two(self, Tok::Decr),
            b'-' if c1 == b'=' => two(self, Tok::SubAssign),
            b'-' => Tok::Minus,
            b'*' if c1 == b'*' => {
                self.pos += 1;
                if self.peek_byte(0) == b'=' {
                    self.pos += 1;
                    Tok::PowAssign
                } else {
                    Tok::Caret
                }
            }
            b'*' if c1 == b'=' => two(self, Tok::MulAssign),
            b'*' => Tok::Star,
            b'/' if c1 == b'=' => two(self, Tok::DivAssign),
            b'/' => Tok::Slash,
            b'%' if c1 == b'=' => two(self, Tok::ModAssign),
            b'%' => Tok::Percent,
            b'^' if c1 == b'=' => two(self, Tok::PowAssign),
            b'^' => Tok::Caret,
            b'!' if c1 == b'=' => two(self, Tok::Ne),
            b'!' if c1 == b'~' => two(self, Tok::NoMatch),
            b'!' => Tok::Not,
            b'>' if c1 == b'=' => two(self, Tok::Ge),
            b'>' if c1 == b'>' => two(self, Tok::Append),
            b'>' => Tok::Gt,
            b'<' if c1 == b'=' => two(self, Tok::Le),
            b'<' => Tok::Lt,
            b'=' if c1 == b'=' => two(self, Tok::Eq),
            b'=' => Tok::Assign,
            b'&' if c1 == b'&' => two(self, Tok::And),
            b'|' if c1 == b'|' => two(self, Tok::Or),
            b'|' => Tok::Pipe,
            b'"' => Tok::Str(self.string()?),
            b'0'..=b'9' | b'.' if c != b'.' || c1.is_ascii_digit() => {
                self.pos -= 1;
                Tok::Number(self.number())
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = self.pos - 1;
                while matches!(self.peek_byte(0), b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9') {
                    self.pos += 1;
                }
                let name = self.src.get(start..self.pos).unwrap_or_default();
                match keyword(name) {
                    Some(t) => t,
                    None => Tok::Name(name.to_vec(), self.peek_byte(0) == b'('),
                }
            }
            _ => return Err(format!("syntax error at or near {}", show_byte(c))),
        })
    }

    fn number(&mut self) -> f64 {
        let start = self.pos;
        // Hex constants are not POSIX awk; decimal only, like gawk --posix.
        while self.peek_byte(0).is_ascii_digit() {
            self.pos += 1;
        }
        if self.peek_byte(0) == b'.' {
            self.pos += 1;
            while self.peek_byte(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        if matches!(self.peek_byte(0), b'e' | b'E') {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek_byte(0), b'+' | b'-') {
                self.pos += 1;
            }
            if self.peek_byte(0).is_ascii_digit() {
                while self.peek_byte(0).is_ascii_digit() {
                    self.pos += 1;
                }
            } else {
                self.pos = save;
            }
        }
        let text = self.src.get(start..self.pos).unwrap_or_default();
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .unwrap_or(0.0)
    }

    /// A string literal after its opening quote, with escapes processed.
    fn string(&mut self) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        loop {
            if self.at_end() {
                return Err("runaway string constant".into());
            }
            let c = self.peek_byte(0);
            self.pos += 1;
            match c {
                b'"' => return Ok(out),
                b'\n' => return Err("runaway string constant".into()),
                b'\\' => {
                    if self.at_end() {
                        return Err("runaway string constant".into());
                    }
                    let e = self.peek_byte(0);
                    if e == b'\n' {
                        self.pos += 1;
                        self.line += 1;
                        continue;
                    }
                    let (bytes, used) = escape(self.src.get(self.pos..).unwrap_or_default());
                    self.pos += used;
                    match bytes {
                        Some(b) => out.push(b),
                        None => {
                            // An unknown escape keeps its backslash (mawk, busybox, BWK awk):
                            // "\." stays a regex escape.
                            out.push(b'\\');
                        }
                    }
                }
                _ => out.push(c),
            }
        }
    }

    /// A regex literal: the parser saw `/` (or `/=`, then `prefix` is `=`) where an
    /// operand belongs. Returns the regex text, with `\/` turned into `/`.
    pub fn regex(&mut self, prefix: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = prefix.to_vec();
        let mut in_bracket = false;
        loop {
            if self.at_end() {
                return Err("runaway regular expression".into());
            }
            let c = self.peek_byte(0);
            self.pos += 1;
            match c {
                b'\n' => return Err("runaway regular expression".into()),
                b'/' if !in_bracket => return Ok(out),
                b'\\' if self.peek_byte(0) == b'/' => {
                    self.pos += 1;
                    out.push(b'/');
                }
                b'\\' if !self.at_end() => {
                    out.push(b'\\');
                    out.push(self.peek_byte(0));
                    self.pos += 1;
                }
                b'[' if !in_bracket => {
                    in_bracket = true;
                    out.push(c);
                    if self.peek_byte(0) == b'^' {
                        out.push(b'^');
                        self.pos += 1;
                    }
                    if self.peek_byte(0) == b']' {
                        out.push(b']');
                        self.pos += 1;
                    }
                }
                b'[' if in_bracket && matches!(self.peek_byte(0), b':' | b'.' | b'=') => {
                    // A class like [:alpha:] inside a bracket expression.
                    let close = self.peek_byte(0);
                    out.push(c);
                    while !self.at_end() {
                        let d = self.peek_byte(0);
                        out.push(d);
                        self.pos += 1;
                        if d == b']' && out.len() >= 3 && out.get(out.len() - 2) == Some(&close) {
                            break;
                        }
                        if d == b'\n' {
                            return Err("runaway regular expression".into());
                        }
                    }
                }
                b']' if in_bracket => {
                    in_bracket = false;
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
    }
}

/// Decodes one escape after a backslash: `(Some(byte), used)` for a known escape, or
/// `(None, 0)` for an unknown one (the caller keeps the backslash).
pub fn escape(rest: &[u8]) -> (Option<u8>, usize) {
    let Some(&c) = rest.first() else {
        return (None, 0);
    };
    let b = match c {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'0'..=b'7' => {
            let mut v: u32 = 0;
            let mut n = 0;
            while n < 3 {
                match rest.get(n) {
                    Some(&d @ b'0'..=b'7') => v = v * 8 + u32::from(d - b'0'),
                    _ => break,
                }
                n += 1;
            }
            return (Some((v & 0xff) as u8), n);
        }
        // gawk and mawk: `\xHH`, at most two hex digits.
        b'x' => {
            let hex = rest
                .iter()
                .skip(1)
                .take(2)
                .take_while(|h| h.is_ascii_hexdigit())
                .fold((0u8, 0usize), |(v, n), &h| {
                    let d = char::from(h).to_digit(16).unwrap_or(0) as u8;
                    (v.wrapping_mul(16).wrapping_add(d), n + 1)
                });
            if hex.1 == 0 {
                return (None, 0);
            }
            return (Some(hex.0), 1 + hex.1);
        }
        _ => return (None, 0),
    };
    (Some(b), 1)
}

/// A byte as shown in a syntax error.
pub fn show_byte(c: u8) -> String {
    if c.is_ascii_graphic() {
        (c as char).to_string()
    } else {
        format!("\\{c:03o}")
    }
}

/// A token as shown in a syntax error (`syntax error at or near X`).
pub fn show(t: &Tok) -> String {
    let s: &str = match t {
        Tok::Eof => "end of file",
        Tok::Newline => "end of line",
        Tok::LBrace => "{",
        Tok::RBrace => "}",
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::Semi => ";",
        Tok::Comma => ",",
        Tok::Plus => "+",
        Tok::Minus => "-",
        Tok::Star => "*",
        Tok::Slash => "/",
        Tok::Percent => "%",
        Tok::Caret => "^",
        Tok::Not => "!",
        Tok::Gt => ">",
        Tok::Lt => "<",
        Tok::Pipe => "|",
        Tok::Question => "?",
        Tok::Colon => ":",
        Tok::Tilde => "~",
        Tok::NoMatch => "!~",
        Tok::Dollar => "$",
        Tok::Assign => "=",
        Tok::AddAssign => "+=",
        Tok::SubAssign => "-=",
        Tok::MulAssign => "*=",
        Tok::DivAssign => "/=",
        Tok::ModAssign => "%=",
        Tok::PowAssign => "^=",
        Tok::Eq => "==",
        Tok::Ne => "!=",
        Tok::Le => "<=",
        Tok::Ge => ">=",
        Tok::And => "&&",
        Tok::Or => "||",
        Tok::Incr => "++",
        Tok::Decr => "--",
        Tok::Append => ">>",
        Tok::Number(n) => {
            return String::from_utf8_lossy(&super::value::fmt_num(*n, b"%.6g")).into_owned();
        }
        Tok::Str(s) => return format!("\"{}\"", String::from_utf8_lossy(s)),
        Tok::Name(n, _) => return String::from_utf8_lossy(n).into_owned(),
        Tok::Builtin(b) => return format!("{b:?}").to_lowercase(),
        Tok::Begin => "BEGIN",
        Tok::End => "END",
        Tok::Function => "function",
        Tok::If => "if",
        Tok::Else => "else",
        Tok::While => "while",
        Tok::For => "for",
        Tok::Do => "do",
        Tok::Break => "break",
        Tok::Continue => "continue",
        Tok::Next => "next",
        Tok::Nextfile => "nextfile",
        Tok::Exit => "exit",
        Tok::Return => "return",
        Tok::Delete => "delete",
        Tok::In => "in",
        Tok::Getline => "getline",
        Tok::Print => "print",
        Tok::Printf => "printf",
    };
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        let mut l = Lexer::new(src.as_bytes());
        let mut v = Vec::new();
        loop {
            let t = l.next_token().unwrap();
            if t == Tok::Eof {
                return v;
            }
            v.push(t);
        }
    }

    #[test]
    fn operators_and_names() {
        assert_eq!(
            toks("a+=1**2 f(x) g (y)"),
            vec![
                Tok::Name(b"a".to_vec(), false),
                Tok::AddAssign,
                Tok::Number(1.0),
                Tok::Caret,
                Tok::Number(2.0),
                Tok::Name(b"f".to_vec(), true),
                Tok::LParen,
                Tok::Name(b"x".to_vec(), false),
                Tok::RParen,
                Tok::Name(b"g".to_vec(), false),
                Tok::LParen,
                Tok::Name(b"y".to_vec(), false),
                Tok::RParen,
            ]
        );
    }

    #[test]
    fn strings_numbers_comments() {
        assert_eq!(
            toks("\"a\\tb\\101\\.\" 1.5e3 .5 # c\n"),
            vec![
                Tok::Str(b"a\tbA\\.".to_vec()),
                Tok::Number(1500.0),
                Tok::Number(0.5),
                Tok::Newline
            ]
        );
        assert!(Lexer::new(b"\"abc").next_token().is_err());
    }

    #[test]
    fn regex_scanning() {
        let mut l = Lexer::new(b"/a\\/b[/]c/ x");
        assert_eq!(l.next_token().unwrap(), Tok::Slash);
        assert_eq!(l.regex(b"").unwrap(), b"a/b[/]c".to_vec());
        assert_eq!(l.next_token().unwrap(), Tok::Name(b"x".to_vec(), false));
    }

    #[test]
    fn continuation_lines() {
        assert_eq!(
            toks("a \\\n b"),
            vec![
                Tok::Name(b"a".to_vec(), false),
                Tok::Name(b"b".to_vec(), false)
            ]
        );
    }
}
