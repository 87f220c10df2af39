//! `printf FORMAT [ARG]...`: formatted output (POSIX XCU printf), as bash's builtin does
//! it; the shell runs this as its `printf` builtin.
//!
//! Choices where bash, dash and GNU differ:
//! - a first argument starting with `-` is an option (bash and dash agree): `--` ends
//!   options, anything else is `-x: invalid option`, status 2; `--help` is answered, as
//!   bash's builtin and GNU do;
//! - number messages are bash's (`x: invalid number`, `08: invalid octal number`,
//!   `0x: invalid hex number`), status 1, the value read so far is printed;
//! - out-of-range integers are clamped with `X: Numerical result out of range` and
//!   status 1, as dash and GNU do (bash calls it a warning and keeps status 0);
//! - floats are `double`s, like dash (bash and GNU use `long double`): `1e400` is `inf`
//!   with a range error;
//! - `'c` takes the code point of the UTF-8 character after the quote when the locale
//!   (`LC_ALL`, `LC_CTYPE`, `LANG`) is UTF-8, as bash does; else (or for a byte that
//!   starts no valid sequence) the value of the byte, as dash does;
//! - bash's `%q` (quoted for the shell, see `common::shquote`) and `%(FMT)T` (strftime of an
//!   epoch argument, `-1` or none meaning now, in the exported `TZ`; like bash, a result of
//!   128 bytes or more is dropped);
//! - bad directives are bash's `` `y': invalid format character `` and
//!   `` `%5': missing format character ``, status 1, after the output so far;
//! - `\c` stops output only in `%b` arguments; in the format it is printed as written
//!   (bash and dash agree; GNU stops). The escapes themselves are in `common::escape`.

pub mod float;
pub mod num;

use float::Spec;
use num::Problem;

use crate::common::escape::{self, Dialect, Flow};
use crate::ctx::Env;
use crate::prelude::*;

/// The `printf` applet.
pub const APPLET: Applet = Applet::new("printf", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("FORMAT [ARG]...")
    .help(
        "Write the ARGs under the control of FORMAT, reusing FORMAT while ARGs remain.\n\n\
         Escapes: \\a \\b \\e \\f \\n \\r \\t \\v \\\\ \\\" \\NNN \\xHH \\uHHHH\n\
         Conversions: %d %i %o %u %x %X (integers), %e %E %f %F %g %G %a %A (floats),\n\
         %c (first byte), %s (string), %b (string with escapes; \\c stops), %% (a %),\n\
         %q (quoted for the shell), %(FMT)T (strftime of an epoch; -1 is now),\n\
         with flags - + space # 0, a width and a .precision (* takes them from an ARG).\n\
         A numeric ARG may be octal (0NN), hex (0xNN) or 'C (the value of byte C).",
    );

/// How much output is collected before it goes to standard output.
const CHUNK: usize = 32 * 1024;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut args: &[Vec<u8>] = ctx.args;
    if let Some(first) = args.first() {
        if first == b"--" {
            args = args.get(1..).unwrap_or_default();
        } else if first.len() > 1 && first.starts_with(b"-") {
            let mut m = first.clone();
            m.extend_from_slice(b": invalid option");
            return Err(Error::usage(m).with_status(2));
        }
    }
    let Some((format, args)) = args.split_first() else {
        return Err(Error::usage("missing operand").with_status(2));
    };
    let utf8 = utf8_locale(ctx.env);
    let mut p = Printf {
        ctx,
        utf8,
        args,
        next: 0,
        out: Vec::new(),
    };
    let result = p.all(format);
    let flushed = p.flush();
    result.and(flushed)
}

/// Whether the environment's character type locale is UTF-8.
fn utf8_locale(env: &dyn Env) -> bool {
    let v = [b"LC_ALL".as_slice(), b"LC_CTYPE", b"LANG"]
        .iter()
        .find_map(|n| env.get(n).filter(|v| !v.is_empty()))
        .unwrap_or_default()
        .to_ascii_lowercase();
    v.ends_with(b".utf-8") || v.ends_with(b".utf8")
}

/// The code point of the UTF-8 sequence at the front of `s` (lead bytes up to 0xf7, so
/// values above U+10FFFF are read as bash reads them); `None` for a byte that starts no
/// complete, shortest-form sequence.
fn utf8_char(s: &[u8]) -> Option<u32> {
    let (&lead, rest) = s.split_first()?;
    let (len, init, min) = match lead {
        0xc0..=0xdf => (1, u32::from(lead & 0x1f), 0x80),
        0xe0..=0xef => (2, u32::from(lead & 0x0f), 0x800),
        0xf0..=0xf7 => (3, u32::from(lead & 0x07), 0x1_0000),
        _ => return None,
    };
    let tail = rest.get(..len)?;
    let mut v = init;
    for &b in tail {
        if b & 0xc0 != 0x80 {
            return None;
        }
        v = v << 6 | u32::from(b & 0x3f);
    }
    (v >= min).then_some(v)
}

struct Printf<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    utf8: bool,
    args: &'a [Vec<u8>],
    next: usize,
    out: Vec<u8>,
}

impl<'a> Printf<'_, 'a> {
    /// Runs the format once, then again while it consumes arguments and some remain.
    fn all(&mut self, format: &[u8]) -> Result<(), Error> {
        loop {
            let before = self.next;
            if self.once(format)? == Flow::Stop {
                return Ok(());
            }
            if self.next == before || self.next >= self.args.len() {
                return Ok(());
            }
            if self.ctx.interrupted() {
                return Err(Error::silent(130));
            }
        }
    }

    fn flush(&mut self) -> Result<(), Error> {
        let r = self.ctx.stdout.write_all(&self.out);
        self.out.clear();
        r.map_err(Error::from)
    }

    fn arg(&mut self) -> Option<&'a [u8]> {
        let args: &'a [Vec<u8>] = self.args;
        let a = args.get(self.next)?;
        self.next += 1;
        Some(a)
    }

    /// Reports a bad numeric argument and marks the run failed; output goes on.
    fn report(&mut self, arg: &[u8], problem: Option<Problem>) {
        if let Some(problem) = problem {
            self.ctx.warn_msg(&num::message(arg, problem));
        }
    }

    /// The code point of a `'c` argument's character, in a UTF-8 locale.
    fn wide_char(&self, a: &[u8]) -> Option<u32> {
        match a {
            [b'\'' | b'"', rest @ ..] if self.utf8 => utf8_char(rest),
            _ => None,
        }
    }

    fn signed_arg(&mut self) -> i64 {
        let Some(a) = self.arg() else { return 0 };
        if let Some(c) = self.wide_char(a) {
            return i64::from(c);
        }
        let (v, problem) = num::signed(a);
        self.report(a, problem);
        v
    }

    fn unsigned_arg(&mut self) -> u64 {
        let Some(a) = self.arg() else { return 0 };
        if let Some(c) = self.wide_char(a) {
            return u64::from(c);
        }
        let (v, problem) = num::unsigned(a);
        self.report(a, problem);
        v
    }

    fn float_arg(&mut self) -> f64 {
        let Some(a) = self.arg() else { return 0.0 };
        let (v, problem) = num::float(a);
        self.report(a, problem);
        v
    }

    /// A `*` width or precision from the next argument, limited to C's `int`.
    fn star_arg(&mut self) -> i64 {
        let Some(a) = self.arg() else { return 0 };
        let (v, mut problem) = num::signed(a);
        let clamped = v.clamp(i64::from(i32::MIN), i64::from(i32::MAX));
        if clamped != v && problem.is_none() {
            problem = Some(Problem::Range);
        }
        self.report(a, problem);
        clamped
    }

    /// One pass over the format.
    fn once(&mut self, fmt: &[u8]) -> Result<Flow, Error> {
        let mut i = 0;
        while let Some(&c) = fmt.get(i) {
            if self.out.len() >= CHUNK {
                self.flush()?;
            }
            i += 1;
            match c {
                b'\\' => {
                    let rest = fmt.get(i..).unwrap_or_default();
                    i += escape::decode(rest, Dialect::PrintfFormat, &mut self.out).unwrap_or(0);
                }
                b'%' => {
                    let (flow, used) = self.directive(fmt, i)?;
                    i = used;
                    if flow == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                }
                _ => self.out.push(c),
            }
        }
        Ok(Flow::Go)
    }

    /// Reads and runs the directive whose `%` is just before `fmt[start]`; returns where
    /// the format goes on.
    fn directive(&mut self, fmt: &[u8], start: usize) -> Result<(Flow, usize), Error> {
        if fmt.get(start) == Some(&b'%') {
            self.out.push(b'%');
            return Ok((Flow::Go, start + 1));
        }
        let mut spec = Spec::default();
        let mut i = start;
        while let Some(&c) = fmt.get(i) {
            match c {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        let too_big = |fmt: &[u8], i: usize| {
            let mut m = b"`%".to_vec();
            m.extend_from_slice(fmt.get(start..i).unwrap_or_default());
            m.extend_from_slice(b"': Value too large for defined data type");
            Error::msg(m)
        };
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let w = self.star_arg();
            spec.left |= w < 0;
            spec.width = usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX);
        } else {
            let (w, n) = decimal(fmt.get(i..).unwrap_or_default());
            i += n;
            spec.width = w.ok_or_else(|| too_big(fmt, i))?;
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let p = self.star_arg();
                spec.prec = usize::try_from(p).ok();
            } else {
                let (p, n) = decimal(fmt.get(i..).unwrap_or_default());
                i += n;
                spec.prec = Some(p.ok_or_else(|| too_big(fmt, i))?);
            }
        }
        if fmt.get(i) == Some(&b'(') {
            return self.strftime(fmt, start, i + 1, &spec);
        }
        while let Some(b'h' | b'l' | b'L' | b'j' | b'z' | b't') = fmt.get(i) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            let mut m = b"`%".to_vec();
            m.extend_from_slice(fmt.get(start..).unwrap_or_default());
            m.extend_from_slice(b"': missing format character");
            return Err(Error::msg(m));
        };
        i += 1;
        spec.conv = conv;
        match conv {
            b'd' | b'i' => {
                let v = self.signed_arg();
                float::integer(&mut self.out, &spec, v < 0, v.unsigned_abs());
            }
            b'o' | b'u' | b'x' | b'X' => {
                let v = self.unsigned_arg();
                float::integer(&mut self.out, &spec, false, v);
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                let v = self.float_arg();
                float::float(&mut self.out, &spec, v);
            }
            b'c' => {
                let byte = self.arg().and_then(|a| a.first().copied()).unwrap_or(0);
                float::pad(&mut self.out, &spec, b"", &[byte], false);
            }
            b's' => {
                let a = self.arg().unwrap_or_default();
                let a = match spec.prec {
                    Some(p) => a.get(..p).unwrap_or(a),
                    None => a,
                };
                float::pad(&mut self.out, &spec, b"", a, false);
            }
            b'q' => {
                let a = self.arg().unwrap_or_default();
                let mut text = crate::common::shquote::quote(a);
                if let Some(p) = spec.prec {
                    text.truncate(p);
                }
                float::pad(&mut self.out, &spec, b"", &text, false);
            }
            b'b' => {
                let a = self.arg().unwrap_or_default();
                let mut text = Vec::new();
                let flow = escape::expand(a, Dialect::PrintfArg, &mut text);
                if let Some(p) = spec.prec {
                    text.truncate(p);
                }
                float::pad(&mut self.out, &spec, b"", &text, false);
                return Ok((flow, i));
            }
            _ => {
                let mut m = b"`".to_vec();
                m.push(conv);
                m.extend_from_slice(b"': invalid format character");
                return Err(Error::msg(m));
            }
        }
        Ok((Flow::Go, i))
    }
}

impl Printf<'_, '_> {
    /// `%(FMT)T`, with `fmt[open]` just after the `(`: strftime of the next argument
    /// (seconds since the epoch; none, `-1` or `-2` mean now) in the local time zone.
    fn strftime(
        &mut self,
        fmt: &[u8],
        start: usize,
        open: usize,
        spec: &Spec,
    ) -> Result<(Flow, usize), Error> {
        let rest = fmt.get(open..).unwrap_or_default();
        let close = rest.iter().position(|&c| c == b')');
        let Some(close) = close.filter(|&c| rest.get(c + 1) == Some(&b'T')) else {
            let mut m = b"`%".to_vec();
            m.extend_from_slice(fmt.get(start..).unwrap_or_default());
            m.extend_from_slice(b"': missing format character");
            return Err(Error::msg(m));
        };
        let pattern = &rest[..close];
        let t = match self.args.get(self.next) {
            None => -1,
            Some(_) => self.signed_arg(),
        };
        let t = if (-2..0).contains(&t) {
            match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                Err(_) => 0,
            }
        } else {
            t
        };
        let tz = crate::common::time::Tz::from_env(self.ctx.env);
        let tm = crate::common::time::localtime(t, &tz);
        let mut text = crate::common::time::strftime(pattern, &tm);
        if text.len() >= 128 {
            text.clear();
        }
        if let Some(p) = spec.prec {
            text.truncate(p);
        }
        float::pad(&mut self.out, spec, b"", &text, false);
        Ok((Flow::Go, open + close + 2))
    }
}

/// The decimal digits at the front of `s` as a C `int`: (value or `None` when too large,
/// digits used).
fn decimal(s: &[u8]) -> (Option<usize>, usize) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut v: Option<usize> = Some(0);
    for &d in s.iter().take(n) {
        v = v
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(usize::from(d - b'0')))
            .filter(|&v| v <= i32::MAX as usize);
    }
    (v, n)
}

#[cfg(test)]
mod tests;
