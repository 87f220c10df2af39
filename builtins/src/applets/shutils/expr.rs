//! `expr EXPRESSION`: evaluate an expression given as separate words (POSIX XCU expr) with
//! GNU's extras (`match`, `substr`, `index`, `length`, `+ TOKEN`), as GNU and BusyBox do.
//!
//! Precedence, lowest first: `|`, `&`, `= == != < <= > >=`, `+ -`, `* / %`, `:`; all left
//! associative. `|` and `&` do not evaluate (so raise no errors in) the side they skip.
//! Integers are 64-bit (GNU uses bignums): a result beyond is `integer overflow`; an
//! integer operand is `-`? digits, nothing else (no `+`, no blanks), as in GNU.
//! `STRING : BRE` matches at the start of STRING with `rbox_parser::regex`: the text of
//! `\(...\)` group 1 if the pattern has one, else the length of the match.
//! Exit status: 0, 1 when the result is null or 0, 2 for a bad expression (and, as in GNU
//! and BusyBox, for a non-integer argument, division by zero and overflow), 3 when a
//! regular-expression search gives up.

use std::cmp::Ordering;

use rbox_parser::regex::{Options, Regex, RegexError};

use crate::prelude::*;

/// The `expr` applet.
pub const APPLET: Applet = Applet::new("expr", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("EXPRESSION")
    .help(
        "Print the value of EXPRESSION; exit 1 if it is null or 0, 2 if it is invalid.\n\n\
         A | B\tA if it is neither null nor 0, else B\n\
         A & B\tA if neither is null or 0, else 0\n\
         A < <= = == != >= > B\tcompare, as integers when both are\n\
         A + - * / % B\tinteger arithmetic\n\
         STRING : REGEX\tanchored BRE match: \\(group 1\\) or the match length\n\
         match STRING REGEX, substr STRING POS LEN, index STRING CHARS, length STRING\n\
         + TOKEN\tTOKEN as a string, even if it is an operator or keyword\n\
         ( EXPRESSION )",
    )
    .error_status(2);

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut args: &[Vec<u8>] = ctx.args;
    if args.first().is_some_and(|a| a == b"--") {
        args = args.get(1..).unwrap_or_default();
    }
    if args.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    let mut p = Parser { args, pos: 0 };
    let v = p.or(true)?;
    if let Some(extra) = args.get(p.pos) {
        return Err(syntax(if extra == b")" {
            "unexpected ')'".into()
        } else {
            format!("unexpected argument {}", quote(extra))
        }));
    }
    let mut line = v.text();
    line.push(b'\n');
    ctx.stdout.write_all(&line)?;
    if v.is_null() {
        return Err(Error::silent(1));
    }
    Ok(())
}

/// A value: what arithmetic produced, or a word.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Val {
    Int(i64),
    Str(Vec<u8>),
}

impl Val {
    fn text(&self) -> Vec<u8> {
        match self {
            Val::Int(i) => i.to_string().into_bytes(),
            Val::Str(s) => s.clone(),
        }
    }

    /// Null or zero: the empty string, or an integer equal to 0 (`0`, `-0`, `00`).
    fn is_null(&self) -> bool {
        match self {
            Val::Int(i) => *i == 0,
            Val::Str(s) => {
                let digits = s.strip_prefix(b"-").unwrap_or(s);
                s.is_empty() || (!digits.is_empty() && digits.iter().all(|&b| b == b'0'))
            }
        }
    }

    /// The decimal digits of an integer-looking value: (negative, digits).
    fn integer_text(&self) -> Option<(bool, Vec<u8>)> {
        match self {
            Val::Int(i) => Some((*i < 0, i.unsigned_abs().to_string().into_bytes())),
            Val::Str(s) => {
                let (neg, digits) = match s.strip_prefix(b"-") {
                    Some(d) => (true, d),
                    None => (false, s.as_slice()),
                };
                (!digits.is_empty() && digits.iter().all(u8::is_ascii_digit))
                    .then(|| (neg, digits.to_vec()))
            }
        }
    }

    fn int(&self) -> Result<i64, Error> {
        match self {
            Val::Int(i) => Ok(*i),
            Val::Str(s) => match self.integer_text() {
                Some(_) => std::str::from_utf8(s)
                    .ok()
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(overflow),
                None => Err(Error::msg("non-integer argument")),
            },
        }
    }
}

fn overflow() -> Error {
    Error::msg("integer overflow")
}

fn syntax(what: String) -> Error {
    Error::msg(format!("syntax error: {what}"))
}

fn quote(word: &[u8]) -> String {
    format!("'{}'", String::from_utf8_lossy(word))
}

/// Compares two integer texts numerically, whatever their length.
fn cmp_integers((an, ad): (bool, Vec<u8>), (bn, bd): (bool, Vec<u8>)) -> Ordering {
    let strip = |d: &[u8]| -> Vec<u8> {
        let z = d.iter().take_while(|&&b| b == b'0').count();
        d.get(z..).unwrap_or_default().to_vec()
    };
    let (ad, bd) = (strip(&ad), strip(&bd));
    let an = an && !ad.is_empty();
    let bn = bn && !bd.is_empty();
    let magnitude = ad.len().cmp(&bd.len()).then_with(|| ad.cmp(&bd));
    match (an, bn) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

struct Parser<'a> {
    args: &'a [Vec<u8>],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a [u8]> {
        let args: &'a [Vec<u8>] = self.args;
        args.get(self.pos).map(Vec::as_slice)
    }

    /// Takes the next word if it is one of `ops`.
    fn op(&mut self, ops: &[&[u8]]) -> Option<&'a [u8]> {
        let w = self.peek()?;
        if ops.contains(&w) {
            self.pos += 1;
            Some(w)
        } else {
            None
        }
    }

    /// `A | B`; `eval` false parses without evaluating (the skipped side of `|`/`&`).
    fn or(&mut self, eval: bool) -> Result<Val, Error> {
        let mut left = self.and(eval)?;
        while self.op(&[b"|"]).is_some() {
            let take_right = left.is_null();
            let right = self.and(eval && take_right)?;
            if take_right {
                left = if right.is_null() { Val::Int(0) } else { right };
            }
        }
        Ok(left)
    }

    fn and(&mut self, eval: bool) -> Result<Val, Error> {
        let mut left = self.compare(eval)?;
        while self.op(&[b"&"]).is_some() {
            let take_right = !left.is_null();
            let right = self.compare(eval && take_right)?;
            if !take_right || right.is_null() {
                left = Val::Int(0);
            }
        }
        Ok(left)
    }

    fn compare(&mut self, eval: bool) -> Result<Val, Error> {
        let mut left = self.sum(eval)?;
        while let Some(op) = self.op(&[b"=", b"==", b"!=", b"<", b"<=", b">", b">="]) {
            let right = self.sum(eval)?;
            let ord = match (left.integer_text(), right.integer_text()) {
                (Some(a), Some(b)) => cmp_integers(a, b),
                _ => left.text().cmp(&right.text()),
            };
            let truth = match op {
                b"=" | b"==" => ord == Ordering::Equal,
                b"!=" => ord != Ordering::Equal,
                b"<" => ord == Ordering::Less,
                b"<=" => ord != Ordering::Greater,
                b">" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            };
            left = Val::Int(i64::from(truth));
        }
        Ok(left)
    }

    fn sum(&mut self, eval: bool) -> Result<Val, Error> {
        let mut left = self.product(eval)?;
        while let Some(op) = self.op(&[b"+", b"-"]) {
            let right = self.product(eval)?;
            left = if eval {
                let (a, b) = (left.int()?, right.int()?);
                let r = if op == b"+" {
                    a.checked_add(b)
                } else {
                    a.checked_sub(b)
                };
                Val::Int(r.ok_or_else(overflow)?)
            } else {
                Val::Int(0)
            };
        }
        Ok(left)
    }

    fn product(&mut self, eval: bool) -> Result<Val, Error> {
        let mut left = self.colon(eval)?;
        while let Some(op) = self.op(&[b"*", b"/", b"%"]) {
            let right = self.colon(eval)?;
            left = if eval {
                let (a, b) = (left.int()?, right.int()?);
                if b == 0 && op != b"*" {
                    return Err(Error::msg("division by zero"));
                }
                let r = match op {
                    b"*" => a.checked_mul(b),
                    b"/" => a.checked_div(b),
                    _ => a.checked_rem(b),
                };
                Val::Int(r.ok_or_else(overflow)?)
            } else {
                Val::Int(0)
            };
        }
        Ok(left)
    }

    fn colon(&mut self, eval: bool) -> Result<Val, Error> {
        let mut left = self.primary(eval)?;
        while self.op(&[b":"]).is_some() {
            let right = self.primary(eval)?;
            left = if eval {
                matches(&left.text(), &right.text())?
            } else {
                Val::Int(0)
            };
        }
        Ok(left)
    }

    /// The operand after `after`, or "missing argument after".
    fn operand(&mut self, eval: bool, after: &[u8]) -> Result<Val, Error> {
        if self.peek().is_none() {
            return Err(syntax(format!("missing argument after {}", quote(after))));
        }
        self.primary(eval)
    }

    fn primary(&mut self, eval: bool) -> Result<Val, Error> {
        let Some(word) = self.peek() else {
            let prev = self
                .pos
                .checked_sub(1)
                .and_then(|i| self.args.get(i))
                .map(Vec::as_slice)
                .unwrap_or_default();
            return Err(syntax(format!("missing argument after {}", quote(prev))));
        };
        self.pos += 1;
        match word {
            b"(" => {
                if self.peek().is_none() {
                    return Err(syntax("missing argument after '('".into()));
                }
                let v = self.or(eval)?;
                match self.peek() {
                    Some(b")") => {
                        self.pos += 1;
                        Ok(v)
                    }
                    Some(other) => {
                        Err(syntax(format!("expecting ')' instead of {}", quote(other))))
                    }
                    None => {
                        let last = self.args.last().map(Vec::as_slice).unwrap_or_default();
                        Err(syntax(format!("expecting ')' after {}", quote(last))))
                    }
                }
            }
            b")" => Err(syntax("unexpected ')'".into())),
            b"+" => match self.peek() {
                Some(w) => {
                    self.pos += 1;
                    Ok(Val::Str(w.to_vec()))
                }
                None => Err(syntax("missing argument after '+'".into())),
            },
            b"length" => {
                let s = self.operand(eval, word)?;
                Ok(Val::Int(i64::try_from(s.text().len()).unwrap_or(i64::MAX)))
            }
            b"match" => {
                let s = self.operand(eval, word)?;
                let prev = self.args.get(self.pos - 1).cloned().unwrap_or_default();
                let re = self.operand(eval, &prev)?;
                if eval {
                    matches(&s.text(), &re.text())
                } else {
                    Ok(Val::Int(0))
                }
            }
            b"index" => {
                let s = self.operand(eval, word)?;
                let prev = self.args.get(self.pos - 1).cloned().unwrap_or_default();
                let chars = self.operand(eval, &prev)?.text();
                let at = s.text().iter().position(|b| chars.contains(b));
                Ok(Val::Int(at.map_or(0, |i| i as i64 + 1)))
            }
            b"substr" => {
                let s = self.operand(eval, word)?.text();
                let prev = self.args.get(self.pos - 1).cloned().unwrap_or_default();
                let pos = self.operand(eval, &prev)?;
                let prev = self.args.get(self.pos - 1).cloned().unwrap_or_default();
                let len = self.operand(eval, &prev)?;
                Ok(Val::Str(substr(&s, &pos, &len)))
            }
            _ => Ok(Val::Str(word.to_vec())),
        }
    }
}

/// GNU's `substr`: from the 1-based POS, LEN bytes; empty when either is not a positive
/// integer or POS is past the end.
fn substr(s: &[u8], pos: &Val, len: &Val) -> Vec<u8> {
    let (Ok(pos), Ok(len)) = (pos.int(), len.int()) else {
        return Vec::new();
    };
    if pos < 1 || len < 1 {
        return Vec::new();
    }
    let start = usize::try_from(pos - 1).unwrap_or(usize::MAX);
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    s.get(start..)
        .map(|rest| rest.get(..len).unwrap_or(rest).to_vec())
        .unwrap_or_default()
}

/// `STRING : REGEX`, anchored at the start of STRING.
fn matches(s: &[u8], pattern: &[u8]) -> Result<Val, Error> {
    let re = Regex::new(pattern, &Options::default()).map_err(|e| Error::msg(e.to_string()))?;
    let found = re.try_find_at(s, 0).map_err(|e| match e {
        RegexError::BacktrackLimit => Error::msg(e.to_string()).with_status(3),
        other => Error::msg(other.to_string()),
    })?;
    let anchored = found.filter(|m| m.start == 0);
    if re.captures_len() > 1 {
        let text = anchored
            .and_then(|m| m.groups.get(1).copied().flatten())
            .and_then(|(a, b)| s.get(a..b))
            .unwrap_or_default();
        return Ok(Val::Str(text.to_vec()));
    }
    Ok(Val::Int(
        anchored.map_or(0, |m| i64::try_from(m.end).unwrap_or(i64::MAX)),
    ))
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn ex(args: &[&str]) -> (String, u8) {
        let r = run("expr", args, b"");
        assert!(r.status > 1 || r.stderr.is_empty(), "{args:?}: {}", r.err());
        (r.out(), r.status)
    }

    fn fails(args: &[&str], msg: &str, status: u8) {
        let r = run("expr", args, b"");
        assert_eq!(r.status, status, "{args:?}");
        assert_eq!(
            r.err().lines().next(),
            Some(format!("expr: {msg}").as_str()),
            "{args:?}"
        );
        assert!(r.stdout.is_empty());
    }

    #[test]
    fn like_gnu() {
        // Expected values from GNU coreutils 9.1 (within 64 bits).
        let cases: &[(&[&str], &str, u8)] = &[
            (&["1", "+", "2"], "3", 0),
            (&["7", "%", "-3"], "1", 0),
            (&["-7", "/", "2"], "-3", 0),
            (&["3", "-", "2", "-", "1"], "0", 1),
            (&["2", "*", "3", "+", "1"], "7", 0),
            (&["1", "+", "2", "*", "3"], "7", 0),
            (&["(", "1", "+", "2", ")", "*", "3"], "9", 0),
            (&["010", "+", "1"], "11", 0),
            (&["5", "+", "-3"], "2", 0),
            (&["9223372036854775807", "+", "0"], "9223372036854775807", 0),
            (&["", "|", ""], "0", 1),
            (&["0", "|", ""], "0", 1),
            (&["", "|", "0"], "0", 1),
            (&["", "|", "b"], "b", 0),
            (&["a", "|", "b"], "a", 0),
            (&["0", "&", "a"], "0", 1),
            (&["a", "&", "b"], "a", 0),
            (&["a", "&", ""], "0", 1),
            (&["1", "|", "1", "/", "0"], "1", 0),
            (&["0", "&", "1", "/", "0"], "0", 1),
            (&["00"], "00", 1),
            (&["-0"], "-0", 1),
            (&[""], "", 1),
            (&["abc"], "abc", 0),
            (&["2", "<", "10"], "1", 0),
            (&["2", "<", "10a"], "0", 1),
            (&["-5", "<", "3"], "1", 0),
            (&["99999999999999999999", ">", "9"], "1", 0),
            (&["-99999999999999999999", "<", "-9"], "1", 0),
            (&["010", "=", "10"], "1", 0),
            (&["abc", "=", "abc"], "1", 0),
            (&["abc", "==", "abd"], "0", 1),
            (&["a", "!=", "b"], "1", 0),
            (&["abc", "<", "abd"], "1", 0),
            (&["b", ">=", "b"], "1", 0),
            (&["1", "=", "1", "=", "1"], "1", 0),
            (&["abc", ":", "a\\(.\\)c"], "b", 0),
            (&["abc", ":", "b"], "0", 1),
            (&["abc", ":", "a.*"], "3", 0),
            (&["abc", ":", "\\(x\\)"], "", 1),
            (&["abc", ":", "^a"], "1", 0),
            (&["abc", ":", "a\\(b\\)\\(c\\)"], "b", 0),
            (&["a", ":", "\\(a\\)\\(b\\)*"], "a", 0),
            (&["ab", ":", "a\\|b"], "1", 0),
            (&["a", ":", "b*"], "0", 1),
            (&["", ":", ""], "0", 1),
            (&["abc", ":", ".*\\(\\)"], "", 1),
            (&["aXbXc", ":", "\\(.*\\)X"], "aXb", 0),
            (&["match", "abc", "a."], "2", 0),
            (&["substr", "hello", "2", "3"], "ell", 0),
            (&["substr", "hello", "0", "2"], "", 1),
            (&["substr", "hello", "4", "10"], "lo", 0),
            (&["substr", "hello", "2", "-1"], "", 1),
            (&["substr", "hello", "x", "2"], "", 1),
            (&["substr", "hello", "9", "2"], "", 1),
            (&["index", "hello", "lo"], "3", 0),
            (&["index", "hello", "z"], "0", 1),
            (&["index", "abc", ""], "0", 1),
            (&["length", "hello"], "5", 0),
            (&["length", "+", "length"], "6", 0),
            (&["+", "length"], "length", 0),
            (&["+", "("], "(", 0),
            (&["--", "5"], "5", 0),
            (&["-x"], "-x", 0),
            (&["=", "=", "="], "1", 0),
        ];
        for (args, out, status) in cases {
            assert_eq!(ex(args), (format!("{out}\n"), *status), "expr {args:?}");
        }
    }

    #[test]
    fn errors() {
        fails(&[], "missing operand", 2);
        fails(&["5", "/", "0"], "division by zero", 2);
        fails(&["5", "%", "0"], "division by zero", 2);
        fails(&["a", "+", "1"], "non-integer argument", 2);
        fails(&[" 1", "+", "1"], "non-integer argument", 2);
        fails(&["+1", "+", "1"], "non-integer argument", 2);
        fails(&["9223372036854775807", "+", "1"], "integer overflow", 2);
        fails(&["-9223372036854775808", "-", "1"], "integer overflow", 2);
        fails(&["3037000500", "*", "3037000500"], "integer overflow", 2);
        fails(&["-9223372036854775808", "/", "-1"], "integer overflow", 2);
        fails(&["99999999999999999999", "+", "0"], "integer overflow", 2);
        fails(&["1", "+"], "syntax error: missing argument after '+'", 2);
        fails(&["1", "2"], "syntax error: unexpected argument '2'", 2);
        fails(&["(", "1"], "syntax error: expecting ')' after '1'", 2);
        fails(
            &["(", "1", "2"],
            "syntax error: expecting ')' instead of '2'",
            2,
        );
        fails(&["(", ")"], "syntax error: unexpected ')'", 2);
        fails(&["1", "+", ")"], "syntax error: unexpected ')'", 2);
        fails(
            &["length"],
            "syntax error: missing argument after 'length'",
            2,
        );
        fails(
            &["match", "a"],
            "syntax error: missing argument after 'a'",
            2,
        );
        fails(&["+"], "syntax error: missing argument after '+'", 2);
        fails(&["a", "|"], "syntax error: missing argument after '|'", 2);
        fails(&["-", "1"], "syntax error: unexpected argument '1'", 2);
        fails(&["abc", ":", "a\\{"], "Unmatched \\{", 2);
    }

    #[test]
    fn bytes() {
        let r = crate::testing::run_bytes(
            "expr",
            &[
                b"\xff\xfeab".to_vec(),
                b":".to_vec(),
                b"..\\(.*\\)".to_vec(),
            ],
            b"",
        );
        assert_eq!((r.stdout.as_slice(), r.status), (&b"ab\n"[..], 0));
        let r = crate::testing::run_bytes("expr", &[b"length".to_vec(), b"\xc3\xa9".to_vec()], b"");
        assert_eq!(r.stdout, b"2\n");
    }
}
