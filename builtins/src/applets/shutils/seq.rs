//! `seq [-f FMT] [-s SEP] [-w] [FIRST [INCR]] LAST`: print a sequence of numbers, as GNU
//! does. Decimal operands are added exactly (scaled 128-bit integers), so `seq 0 0.1 1`
//! ends at `1.0` and prints with the precision of FIRST and INCR, which is what GNU's long
//! double arithmetic prints in all but contrived cases; hex, `inf`, and numbers beyond
//! 38 digits go through `f64` and `%g`. `-f` formats with printf's own conversions.

use super::printf::float::{self, Spec};
use super::printf::num;
use crate::prelude::*;

/// The `seq` applet.
pub const APPLET: Applet = Applet::new("seq", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-w] [-s SEP] [-f FMT] [FIRST [INCR]] LAST")
    .help(
        "Print numbers from FIRST (1) to LAST, stepping by INCR (1).\n\n\
         -f FMT\tprintf-style floating-point format (one %e, %f, %g or %a)\n\
         -s SEP\tSeparate the numbers with SEP (default: newline)\n\
         -w\tPad with leading zeros to equal width",
    );

/// An operand.
#[derive(Clone, Copy, Debug)]
enum Operand {
    /// `m * 10^-scale`, exactly; `width` is how wide the operand was written.
    Exact { m: i128, scale: u32, width: usize },
    /// Anything else `strtod` reads.
    Float(f64),
}

impl Operand {
    fn value(self) -> f64 {
        match self {
            Operand::Exact { m, scale, .. } => to_f64(m, scale),
            Operand::Float(f) => f,
        }
    }
}

fn to_f64(m: i128, scale: u32) -> f64 {
    format!("{m}e-{scale}").parse().unwrap_or(0.0)
}

fn invalid(what: &str, arg: &[u8]) -> Error {
    Error::usage(format!("{what}: '{}'", String::from_utf8_lossy(arg)))
}

/// Reads an operand: an exact decimal if it is one, else whatever `strtod` accepts.
fn operand(arg: &[u8]) -> Result<Operand, Error> {
    if let Some(exact) = exact(arg) {
        return Ok(exact);
    }
    let (v, used, _) = num::scan_float(arg);
    if used == 0 || used != arg.len() {
        return Err(invalid("invalid floating point argument", arg));
    }
    if v.is_nan() {
        return Err(invalid("invalid 'not-a-number' argument", arg));
    }
    Ok(Operand::Float(v))
}

/// `[blanks][sign]digits[.digits][e[sign]digits]` as a scaled integer, if it fits.
fn exact(arg: &[u8]) -> Option<Operand> {
    let blanks = arg.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let s = arg.get(blanks..)?;
    let (neg, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let int = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = int;
    let mut frac = 0;
    if body.get(i) == Some(&b'.') {
        frac = body
            .iter()
            .skip(i + 1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        i += 1 + frac;
    }
    if int + frac == 0 {
        return None;
    }
    let mut exp: i64 = 0;
    let has_exp = matches!(body.get(i), Some(b'e' | b'E'));
    if has_exp {
        let e = std::str::from_utf8(body.get(i + 1..)?).ok()?;
        if e.is_empty() || e.starts_with('+') && e.len() == 1 {
            return None;
        }
        exp = e.parse().ok()?;
        i = body.len();
    }
    if i != body.len() {
        return None;
    }
    let mut m: i128 = 0;
    for &d in body.iter().filter(|b| b.is_ascii_digit()).take(int + frac) {
        m = m.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
    }
    let mut scale = i64::try_from(frac).ok()? - exp;
    if scale < 0 {
        m = m.checked_mul(10i128.checked_pow(u32::try_from(-scale).ok()?)?)?;
        scale = 0;
    }
    let scale = u32::try_from(scale).ok().filter(|&s| s <= 36)?;
    let m = if neg { -m } else { m };
    let width = if has_exp {
        render(m, scale).len()
    } else {
        s.len()
    };
    Some(Operand::Exact { m, scale, width })
}

/// `m * 10^-scale` in `%.{scale}f` style.
fn render(m: i128, scale: u32) -> String {
    let mut out = Vec::new();
    push_fixed(&mut out, m, scale, 0);
    String::from_utf8_lossy(&out).into_owned()
}

/// Appends `m * 10^-scale` with `scale` decimals, zero-padded to `width` after the sign.
fn push_fixed(out: &mut Vec<u8>, m: i128, scale: u32, width: usize) {
    let mut buf = [0u8; 40];
    let mut n = m.unsigned_abs();
    let mut at = buf.len();
    // 64-bit division is much cheaper than 128-bit: switch once the value fits.
    while n > u128::from(u64::MAX) && at > 0 {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let mut small = u64::try_from(n).unwrap_or(0);
    loop {
        at -= 1;
        buf[at] = b'0' + (small % 10) as u8;
        small /= 10;
        if small == 0 || at == 0 {
            break;
        }
    }
    let digits = std::str::from_utf8(&buf[at..]).unwrap_or("0");
    let scale = scale as usize;
    let (int, frac) = if digits.len() > scale {
        digits.split_at(digits.len() - scale)
    } else {
        ("", digits)
    };
    let len = usize::from(m < 0) + int.len().max(1) + if scale > 0 { 1 + scale } else { 0 };
    if m < 0 {
        out.push(b'-');
    }
    out.resize(out.len() + width.saturating_sub(len), b'0');
    if int.is_empty() {
        out.push(b'0');
    }
    out.extend_from_slice(int.as_bytes());
    if scale > 0 {
        out.push(b'.');
        out.resize(out.len() + scale - frac.len(), b'0');
        out.extend_from_slice(frac.as_bytes());
    }
}

/// The `-f` format: text before, the one conversion, text after (`%%` already undone).
struct Format {
    before: Vec<u8>,
    spec: Spec,
    after: Vec<u8>,
}

fn parse_format(fmt: &[u8]) -> Result<Format, Error> {
    let quoted = || String::from_utf8_lossy(fmt).into_owned();
    let mut parts: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut spec = None;
    let mut i = 0;
    while let Some(&c) = fmt.get(i) {
        i += 1;
        if c != b'%' {
            parts[usize::from(spec.is_some())].push(c);
            continue;
        }
        if fmt.get(i) == Some(&b'%') {
            parts[usize::from(spec.is_some())].push(b'%');
            i += 1;
            continue;
        }
        if spec.is_some() {
            return Err(Error::msg(format!(
                "format '{}' has too many % directives",
                quoted()
            )));
        }
        let start = i - 1;
        let mut sp = Spec::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => sp.left = true,
                b'+' => sp.plus = true,
                b' ' => sp.space = true,
                b'#' => sp.alt = true,
                b'0' => sp.zero = true,
                b'\'' => {}
                _ => break,
            }
            i += 1;
        }
        while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
            sp.width = sp
                .width
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'));
            i += 1;
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            let mut p: usize = 0;
            while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                p = p.saturating_mul(10).saturating_add(usize::from(d - b'0'));
                i += 1;
            }
            sp.prec = Some(p);
        }
        if fmt.get(i) == Some(&b'L') {
            i += 1;
        }
        match fmt.get(i) {
            Some(&c @ (b'a' | b'A' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G')) => {
                sp.conv = c;
                i += 1;
                spec = Some(sp);
            }
            Some(_) => {
                let directive = String::from_utf8_lossy(fmt.get(start..=i).unwrap_or_default());
                return Err(Error::msg(format!(
                    "format '{}' has unknown {directive} directive",
                    quoted()
                )));
            }
            None => {
                return Err(Error::msg(format!("format '{}' ends in %", quoted())));
            }
        }
    }
    let Some(spec) = spec else {
        return Err(Error::msg(format!(
            "format '{}' has no % directive",
            quoted()
        )));
    };
    let [before, after] = parts;
    Ok(Format {
        before,
        spec,
        after,
    })
}

const LONGS: &[&str] = &["equal-width", "format", "separator"];

fn long_name(typed: &[u8]) -> Result<&'static str, Error> {
    let t = String::from_utf8_lossy(typed);
    let hits: Vec<&'static str> = LONGS
        .iter()
        .copied()
        .filter(|l| l.starts_with(&*t))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        _ => Err(Error::usage(format!("unrecognized option '--{t}'"))),
    }
}

struct Options {
    format: Option<Vec<u8>>,
    sep: Vec<u8>,
    width: bool,
    operands: Vec<Vec<u8>>,
}

/// GNU's option rules: options may follow operands, and a word that looks like a negative
/// number (`-1`, `-.5`) ends the options.
fn parse_options(args: &[Vec<u8>]) -> Result<Options, Error> {
    let mut o = Options {
        format: None,
        sep: b"\n".to_vec(),
        width: false,
        operands: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let negative = matches!(arg.get(1), Some(b'0'..=b'9' | b'.'));
        if arg == b"--" || (arg.first() == Some(&b'-') && negative) {
            if arg != b"--" {
                o.operands.push(arg.clone());
            }
            o.operands.extend(it.cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix(b"--") {
            let (name, value) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (&long[..eq], Some(long[eq + 1..].to_vec())),
                None => (long, None),
            };
            let name = long_name(name)?;
            let need = || -> Result<Vec<u8>, Error> {
                Err(Error::usage(format!(
                    "option '--{name}' requires an argument"
                )))
            };
            match name {
                "equal-width" if value.is_none() => o.width = true,
                "equal-width" => {
                    return Err(Error::usage(
                        "option '--equal-width' doesn't allow an argument",
                    ));
                }
                _ => {
                    let v = match value {
                        Some(v) => v,
                        None => match it.next() {
                            Some(v) => v.clone(),
                            None => need()?,
                        },
                    };
                    if name == "format" {
                        o.format = Some(v);
                    } else {
                        o.sep = v;
                    }
                }
            }
            continue;
        }
        let Some(cluster) = arg.strip_prefix(b"-").filter(|c| !c.is_empty()) else {
            o.operands.push(arg.clone());
            continue;
        };
        let mut j = 0;
        while let Some(&c) = cluster.get(j) {
            j += 1;
            match c {
                b'w' => o.width = true,
                b'f' | b's' => {
                    let v = match cluster.get(j..).filter(|r| !r.is_empty()) {
                        Some(rest) => rest.to_vec(),
                        None => match it.next() {
                            Some(v) => v.clone(),
                            None => {
                                return Err(Error::usage(format!(
                                    "option requires an argument -- '{}'",
                                    c as char
                                )));
                            }
                        },
                    };
                    if c == b'f' {
                        o.format = Some(v);
                    } else {
                        o.sep = v;
                    }
                    break;
                }
                _ => {
                    return Err(Error::usage(format!(
                        "invalid option -- '{}'",
                        String::from_utf8_lossy(&[c])
                    )));
                }
            }
        }
    }
    Ok(o)
}

/// Where output collects before it goes to standard output.
const CHUNK: usize = 64 * 1024;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let o = parse_options(ctx.args)?;
    let one = Operand::Exact {
        m: 1,
        scale: 0,
        width: 1,
    };
    let (first, step, last) = match o.operands.as_slice() {
        [] => return Err(Error::usage("missing operand")),
        [l] => (one, one, operand(l)?),
        [f, l] => (operand(f)?, one, operand(l)?),
        [f, s, l] => {
            let step = operand(s)?;
            if step.value() == 0.0 {
                return Err(invalid("invalid Zero increment value", s));
            }
            (operand(f)?, step, operand(l)?)
        }
        [_, _, _, extra, ..] => {
            return Err(Error::usage(format!(
                "extra operand '{}'",
                String::from_utf8_lossy(extra)
            )));
        }
    };
    let format = match &o.format {
        Some(_) if o.width => {
            return Err(Error::usage(
                "format string may not be specified when printing equal width strings",
            ));
        }
        Some(f) => Some(parse_format(f)?),
        None => None,
    };
    let mut w = Writer {
        out: Vec::with_capacity(CHUNK + 256),
        first: true,
        sep: &o.sep,
        format: format.as_ref(),
    };
    let r = match (first, step, last) {
        (
            Operand::Exact {
                m: fm,
                scale: fs,
                width: fw,
            },
            Operand::Exact {
                m: sm, scale: ss, ..
            },
            last,
        ) => exact_run(ctx, &mut w, (fm, fs, fw), (sm, ss), last, o.width),
        _ => float_run(ctx, &mut w, first.value(), step.value(), last.value()),
    };
    if !w.first {
        w.out.push(b'\n');
    }
    ctx.stdout.write_all(&w.out)?;
    r
}

struct Writer<'o> {
    out: Vec<u8>,
    first: bool,
    sep: &'o [u8],
    format: Option<&'o Format>,
}

impl Writer<'_> {
    fn start(&mut self) {
        if !self.first {
            self.out.extend_from_slice(self.sep);
        }
        self.first = false;
    }

    fn formatted(&mut self, f: &Format, x: f64) {
        self.out.extend_from_slice(&f.before);
        float::float(&mut self.out, &f.spec, x);
        self.out.extend_from_slice(&f.after);
    }

    fn drain(&mut self, ctx: &mut Ctx<'_>) -> Result<(), Error> {
        if self.out.len() >= CHUNK {
            ctx.stdout.write_all(&self.out)?;
            self.out.clear();
            if ctx.interrupted() {
                return Err(Error::silent(130));
            }
        }
        Ok(())
    }
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// The exact run: every number is `first + i*step` in units of `10^-prec`.
fn exact_run(
    ctx: &mut Ctx<'_>,
    w: &mut Writer<'_>,
    (fm, fs, fw): (i128, u32, usize),
    (sm, ss): (i128, u32),
    last: Operand,
    equal: bool,
) -> Result<(), Error> {
    let prec = fs.max(ss);
    let (Some(x0), Some(step)) = (
        pow10(prec - fs).and_then(|p| fm.checked_mul(p)),
        pow10(prec - ss).and_then(|p| sm.checked_mul(p)),
    ) else {
        return float_run(ctx, w, to_f64(fm, fs), to_f64(sm, ss), last.value());
    };
    let up = step > 0;
    // The last value in units of 10^-prec, rounded towards the first (x is a multiple).
    let (limit, width) = match last {
        Operand::Exact { m, scale, width } => {
            let limit = if scale > prec {
                let d = pow10(scale - prec).unwrap_or(i128::MAX);
                if up {
                    m.div_euclid(d)
                } else {
                    -(-m).div_euclid(d)
                }
            } else {
                match pow10(prec - scale).and_then(|p| m.checked_mul(p)) {
                    Some(v) => v,
                    None => {
                        if m > 0 {
                            i128::MAX
                        } else {
                            i128::MIN
                        }
                    }
                }
            };
            // GNU's -w width: each end as written, adjusted to the output precision.
            let adjust = |width: usize, scale: u32| -> usize {
                let mut w = width as i64 + i64::from(prec) - i64::from(scale);
                if scale > 0 && prec == 0 {
                    w -= 1;
                }
                if scale == 0 && prec > 0 {
                    w += 1;
                }
                usize::try_from(w).unwrap_or(0)
            };
            (limit, adjust(fw, fs).max(adjust(width, scale)))
        }
        Operand::Float(f) if f.is_infinite() => (if f > 0.0 { i128::MAX } else { i128::MIN }, 0),
        Operand::Float(f) => {
            return float_run(ctx, w, to_f64(fm, fs), to_f64(sm, ss), f);
        }
    };
    let width = if equal { width } else { 0 };
    let mut x = x0;
    while if up { x <= limit } else { x >= limit } {
        w.start();
        match w.format {
            Some(f) => w.formatted(f, to_f64(x, prec)),
            None => push_fixed(&mut w.out, x, prec, width),
        }
        w.drain(ctx)?;
        match x.checked_add(step) {
            Some(next) => x = next,
            None => break,
        }
    }
    Ok(())
}

/// The inexact run, in `f64`: `first + i*step` printed with `%g` (or `-f`); like GNU, a
/// value just past LAST that prints the same as LAST still counts.
fn float_run(
    ctx: &mut Ctx<'_>,
    w: &mut Writer<'_>,
    first: f64,
    step: f64,
    last: f64,
) -> Result<(), Error> {
    let general = Format {
        before: Vec::new(),
        spec: Spec {
            conv: b'g',
            ..Spec::default()
        },
        after: Vec::new(),
    };
    let format = w.format.unwrap_or(&general);
    let mut last_text = Vec::new();
    float::float(&mut last_text, &format.spec, last);
    let mut i: f64 = 0.0;
    loop {
        let x = first + i * step;
        let beyond = if step > 0.0 { x > last } else { x < last };
        if beyond {
            let mut text = Vec::new();
            float::float(&mut text, &format.spec, x);
            if text != last_text {
                break;
            }
        }
        w.start();
        w.formatted(format, x);
        w.drain(ctx)?;
        if beyond || !x.is_finite() {
            break;
        }
        i += 1.0;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn seq(args: &[&str]) -> String {
        let r = run("seq", args, b"");
        assert_eq!(r.status, 0, "{args:?}: {}", r.err());
        r.out().replace('\n', " ")
    }

    fn fails(args: &[&str], msg: &str) {
        let r = run("seq", args, b"");
        assert_eq!(r.status, 1, "{args:?}");
        assert!(
            r.err().starts_with(&format!("seq: {msg}\n")),
            "{args:?}: {}",
            r.err()
        );
        assert!(r.stdout.is_empty());
    }

    #[test]
    fn like_gnu() {
        // Expected values from GNU coreutils 9.1.
        let cases: &[(&[&str], &str)] = &[
            (&["3"], "1 2 3 "),
            (&["0"], ""),
            (&["-1"], ""),
            (&["2", "4"], "2 3 4 "),
            (&["5", "-2", "0"], "5 3 1 "),
            (&["10", "1"], ""),
            (
                &["0", "0.1", "1"],
                "0.0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0 ",
            ),
            (&["1", "2.50"], "1 2 "),
            (&["1.50", "2.5"], "1.50 2.50 "),
            (&["1", "0.5", "3"], "1.0 1.5 2.0 2.5 3.0 "),
            (&["0.1", "0.1", "0.35"], "0.1 0.2 0.3 "),
            (&["2", "-0.7", "0"], "2.0 1.3 0.6 "),
            (&["-0.5", "1"], "-0.5 0.5 "),
            (&["1.5"], "1 "),
            (&["1.", "3"], "1 2 3 "),
            (&[".5", "2"], "0.5 1.5 "),
            (&["+1", "2"], "1 2 "),
            (&[" 1", "2"], "1 2 "),
            (&["1e2", "1e2", "3e2"], "100 200 300 "),
            (&["1e-3", "1e-3", "3e-3"], "0.001 0.002 0.003 "),
            (&["1.0e0", "3"], "1.0 2.0 3.0 "),
            (&["0x10", "0x12"], "16 17 18 "),
            (
                &["18446744073709551615", "18446744073709551617"],
                "18446744073709551615 18446744073709551616 18446744073709551617 ",
            ),
            (&["-w", "1", "10"], "01 02 03 04 05 06 07 08 09 10 "),
            (&["-w", "-1", "1"], "-1 00 01 "),
            (&["-w", "0.5", "0.5", "2"], "0.5 1.0 1.5 2.0 "),
            (&["-w", "9", "0.5", "10.25"], "09.0 09.5 10.0 "),
            (&["-w", "-0.5", "1"], "-0.5 00.5 "),
            (&["-w", "003"], "001 002 003 "),
            (&["-w", "1", "003"], "001 002 003 "),
            (&["-f", "%03.1f", "1", "3"], "1.0 2.0 3.0 "),
            (&["-f", "x%gy%%", "1", "2"], "x1y% x2y% "),
            (&["-f", "%.3e", "1", "2"], "1.000e+00 2.000e+00 "),
            (&["--format=%g", "2"], "1 2 "),
            (&["--", "-1", "1"], "-1 0 1 "),
            (&["-s", ",", "1", "3"], "1,2,3 "),
            (&["-s,", "1", "3"], "1,2,3 "),
            (&["-ws", ":", "9", "10"], "09:10 "),
            (&["--sep", "", "1", "3"], "123 "),
            (&["1", "-w", "2"], "1 2 "),
        ];
        for (args, want) in cases {
            assert_eq!(seq(args), *want, "seq {args:?}");
        }
    }

    #[test]
    fn errors() {
        fails(&[], "missing operand");
        fails(&["x"], "invalid floating point argument: 'x'");
        fails(&["1 ", "2"], "invalid floating point argument: '1 '");
        fails(&["1", "0", "5"], "invalid Zero increment value: '0'");
        fails(&["nan"], "invalid 'not-a-number' argument: 'nan'");
        fails(&["1", "2", "3", "4"], "extra operand '4'");
        fails(&["-f", "%d", "3"], "format '%d' has unknown %d directive");
        fails(&["-f", "x", "3"], "format 'x' has no % directive");
        fails(
            &["-f", "%f%f", "3"],
            "format '%f%f' has too many % directives",
        );
        fails(
            &["-w", "-f", "%g", "3"],
            "format string may not be specified when printing equal width strings",
        );
        fails(&["-x", "3"], "invalid option -- 'x'");
        fails(&["-s"], "option requires an argument -- 's'");
    }

    #[test]
    fn long_and_empty_runs() {
        // `seq 1 inf` runs until the reader goes away; in a test, check the start only.
        let r = run("seq", &["-f", "%g", "1", "1", "0"], b"");
        assert_eq!(r.out(), "");
        let r = run("seq", &["1000000"], b"");
        assert_eq!(r.stdout.len(), 6_888_896);
        assert!(r.out().ends_with("\n999999\n1000000\n"));
    }
}
