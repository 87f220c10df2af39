//! printf's numeric arguments, read as C's `strtoimax`, `strtoumax` and `strtod` read them
//! (base prefixes, leading blanks, a sign, the longest valid prefix), plus POSIX's `'c`
//! form: a leading quote gives the value of the next byte.

/// What was wrong with an argument; the value is still used, as in the shells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not (completely) a number.
    Invalid,
    /// Beyond the type's range; the value is clamped.
    Range,
}

/// A number read from an argument, with what was wrong with it.
pub type Parsed<T> = (T, Option<Problem>);

/// The message for an argument's problem, in bash's words (`x: invalid number`,
/// `08: invalid octal number`, `0x: invalid hex number`) and, for range errors, in
/// dash's and GNU's (`X: Numerical result out of range`; bash calls that a warning).
pub fn message(arg: &[u8], problem: Problem) -> Vec<u8> {
    let mut m = arg.to_vec();
    m.extend_from_slice(match problem {
        Problem::Range => b": Numerical result out of range".as_slice(),
        Problem::Invalid => match arg {
            [b'0', b'x' | b'X', ..] => b": invalid hex number",
            [b'0', b'0'..=b'9', ..] => b": invalid octal number",
            _ => b": invalid number",
        },
    });
    m
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The `'c` form: the byte after the quote (0 if none).
fn quoted(arg: &[u8]) -> Option<u8> {
    match arg {
        [b'\'' | b'"', rest @ ..] => Some(rest.first().copied().unwrap_or(0)),
        _ => None,
    }
}

/// The integer at the front of `arg`: (negative, magnitude or `None` on overflow, bytes used).
/// Bytes used is 0 when there is no number at all.
fn scan_int(arg: &[u8]) -> (bool, Option<u64>, usize) {
    let mut i = arg.iter().take_while(|&&b| is_space(b)).count();
    let mut neg = false;
    if let Some(&s @ (b'+' | b'-')) = arg.get(i) {
        neg = s == b'-';
        i += 1;
    }
    let hex_digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
    let base = match (arg.get(i), arg.get(i + 1)) {
        (Some(b'0'), Some(b'x' | b'X')) if hex_digit(arg.get(i + 2)) => {
            i += 2;
            16
        }
        (Some(b'0'), _) => 8,
        _ => 10,
    };
    let start = i;
    let mut mag = Some(0u64);
    while let Some(d) = arg.get(i).and_then(|&b| (b as char).to_digit(base)) {
        mag = mag
            .and_then(|m| m.checked_mul(u64::from(base)))
            .and_then(|m| m.checked_add(u64::from(d)));
        i += 1;
    }
    if i == start {
        return (false, Some(0), 0);
    }
    (neg, mag, i)
}

/// An argument for `%d` and `%i` (and `*` widths): `strtoimax`, clamped on overflow.
pub fn signed(arg: &[u8]) -> Parsed<i64> {
    if let Some(b) = quoted(arg) {
        return (i64::from(b), None);
    }
    let (neg, mag, used) = scan_int(arg);
    let (value, range) = match (neg, mag) {
        (false, Some(m)) => match i64::try_from(m) {
            Ok(v) => (v, false),
            Err(_) => (i64::MAX, true),
        },
        (true, Some(m)) if m <= 1 << 63 => ((m as i64).wrapping_neg(), false),
        (true, _) => (i64::MIN, true),
        (false, None) => (i64::MAX, true),
    };
    (value, problem(arg, used, range))
}

/// An argument for `%o %u %x %X`: `strtoumax`, so `-1` is the largest value.
pub fn unsigned(arg: &[u8]) -> Parsed<u64> {
    if let Some(b) = quoted(arg) {
        return (u64::from(b), None);
    }
    let (neg, mag, used) = scan_int(arg);
    let (value, range) = match mag {
        Some(m) if neg => (m.wrapping_neg(), false),
        Some(m) => (m, false),
        None => (u64::MAX, true),
    };
    (value, problem(arg, used, range))
}

fn problem(arg: &[u8], used: usize, range: bool) -> Option<Problem> {
    if used < arg.len() {
        Some(Problem::Invalid)
    } else if range {
        Some(Problem::Range)
    } else {
        None
    }
}

/// An argument for the floating conversions: `strtod` (decimal, hex floats, `inf`,
/// `infinity`, `nan`, `nan(...)`), a range error when a finite number overflows.
pub fn float(arg: &[u8]) -> Parsed<f64> {
    if let Some(b) = quoted(arg) {
        return (f64::from(b), None);
    }
    let (value, used, range) = scan_float(arg);
    (value, problem(arg, used, range))
}

/// The floating number at the front of `s`: (value, bytes used, overflowed).
pub fn scan_float(s: &[u8]) -> (f64, usize, bool) {
    let mut i = s.iter().take_while(|&&b| is_space(b)).count();
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let rest = s.get(i..).unwrap_or_default();
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    let signed = |v: f64| if neg { -v } else { v };
    if starts(b"infinity") {
        return (signed(f64::INFINITY), i + 8, false);
    }
    if starts(b"inf") {
        return (signed(f64::INFINITY), i + 3, false);
    }
    if starts(b"nan") {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            let inner = rest
                .iter()
                .skip(4)
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            if rest.get(4 + inner) == Some(&b')') {
                n = 5 + inner;
            }
        }
        return (signed(f64::NAN), i + n, false);
    }
    let (value, n) = match hex_float(rest) {
        Some(found) => found,
        None => match decimal(rest) {
            Some(found) => found,
            None => return (0.0, 0, false),
        },
    };
    let range = value.is_infinite();
    (signed(value), i + n, range)
}

/// A decimal floating number at the front of `s`: (value, bytes used).
fn decimal(s: &[u8]) -> Option<(f64, usize)> {
    let digits = |from: usize| {
        s.iter()
            .skip(from)
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int = digits(0);
    let mut n = int;
    let mut frac = 0;
    if s.get(n) == Some(&b'.') {
        frac = digits(n + 1);
        if int + frac > 0 {
            n += 1 + frac;
        }
    }
    if int + frac == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = s.get(n) {
        let sign = usize::from(matches!(s.get(n + 1), Some(b'+' | b'-')));
        let exp = digits(n + 1 + sign);
        if exp > 0 {
            n += 1 + sign + exp;
        }
    }
    let text = std::str::from_utf8(s.get(..n)?).ok()?;
    Some((text.parse().ok()?, n))
}

/// A hexadecimal floating number (`0x1.8p3`) at the front of `s`, correctly rounded:
/// (value, bytes used).
fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    if !matches!(s, [b'0', b'x' | b'X', ..]) {
        return None;
    }
    let mut i = 2;
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut any = false;
    let mut seen_point = false;
    loop {
        match s.get(i) {
            Some(b'.') if !seen_point => seen_point = true,
            Some(&b) if b.is_ascii_hexdigit() => {
                any = true;
                let d = u64::from((b as char).to_digit(16).unwrap_or(0));
                if mant >> 60 == 0 {
                    mant = mant << 4 | d;
                    if seen_point {
                        exp -= 4;
                    }
                } else {
                    sticky |= d != 0;
                    if !seen_point {
                        exp += 4;
                    }
                }
            }
            _ => break,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if let Some(b'p' | b'P') = s.get(i) {
        let mut j = i + 1;
        let mut eneg = false;
        if let Some(&c @ (b'+' | b'-')) = s.get(j) {
            eneg = c == b'-';
            j += 1;
        }
        let start = j;
        let mut e: i64 = 0;
        while let Some(&b) = s.get(j).filter(|b| b.is_ascii_digit()) {
            e = (e * 10 + i64::from(b - b'0')).min(100_000);
            j += 1;
        }
        if j > start {
            exp += if eneg { -e } else { e };
            i = j;
        }
    }
    Some((compose(mant, sticky, exp), i))
}

/// `mant * 2^exp` (plus a little if `sticky`) rounded to the nearest double, ties to even.
fn compose(mant: u64, sticky: bool, exp: i64) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let lz = mant.leading_zeros();
    let m = mant << lz;
    // The value is m * 2^e2 with m's top bit set, so its leading bit is worth 2^top.
    let e2 = exp - i64::from(lz);
    let top = e2 + 63;
    if top > 1023 {
        return f64::INFINITY;
    }
    let shift = if top >= -1022 { 11 } else { -1011 - top };
    let (mut kept, rest, half) = if shift >= 64 {
        (0u64, if shift == 64 { m } else { 0 }, 1u64 << 63)
    } else {
        let shift = shift as u32;
        (m >> shift, m & ((1u64 << shift) - 1), 1u64 << (shift - 1))
    };
    let sticky = sticky || (shift > 64);
    if rest > half || (rest == half && (sticky || kept & 1 == 1)) {
        kept += 1;
    }
    if top >= -1022 {
        let mut top = top;
        if kept == 1 << 53 {
            kept >>= 1;
            top += 1;
            if top > 1023 {
                return f64::INFINITY;
            }
        }
        f64::from_bits(((top + 1023) as u64) << 52 | (kept & ((1 << 52) - 1)))
    } else {
        f64::from_bits(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_integers() {
        let cases: &[(&str, i64, Option<Problem>)] = &[
            ("", 0, None),
            ("42", 42, None),
            ("  -42", -42, None),
            ("+7", 7, None),
            ("010", 8, None),
            ("0x1f", 31, None),
            ("-0X10", -16, None),
            ("'a", 97, None),
            ("\"ab", 97, None),
            ("'", 0, None),
            ("x", 0, Some(Problem::Invalid)),
            ("1x", 1, Some(Problem::Invalid)),
            ("1 ", 1, Some(Problem::Invalid)),
            (" ", 0, Some(Problem::Invalid)),
            ("-", 0, Some(Problem::Invalid)),
            ("08", 0, Some(Problem::Invalid)),
            ("0x", 0, Some(Problem::Invalid)),
            ("9223372036854775807", i64::MAX, None),
            ("-9223372036854775808", i64::MIN, None),
            ("9223372036854775808", i64::MAX, Some(Problem::Range)),
            ("-9223372036854775809", i64::MIN, Some(Problem::Range)),
            ("99999999999999999999", i64::MAX, Some(Problem::Range)),
            ("99999999999999999999x", i64::MAX, Some(Problem::Invalid)),
        ];
        for (s, v, p) in cases {
            assert_eq!(signed(s.as_bytes()), (*v, *p), "{s:?}");
        }
    }

    #[test]
    fn unsigned_integers() {
        assert_eq!(unsigned(b"-1"), (u64::MAX, None));
        assert_eq!(unsigned(b"18446744073709551615"), (u64::MAX, None));
        assert_eq!(
            unsigned(b"18446744073709551616"),
            (u64::MAX, Some(Problem::Range))
        );
        assert_eq!(unsigned(b"-18446744073709551615"), (1, None));
        assert_eq!(
            unsigned(b"-9223372036854775809"),
            (9223372036854775807, None)
        );
    }

    #[test]
    fn floats() {
        let cases: &[(&str, f64, usize)] = &[
            ("1.5", 1.5, 3),
            (" -.5", -0.5, 4),
            ("5.", 5.0, 2),
            ("1e3", 1000.0, 3),
            ("1e", 1.0, 1),
            ("1e+", 1.0, 1),
            ("2E-2x", 0.02, 4),
            ("inf", f64::INFINITY, 3),
            ("-Infinity", f64::NEG_INFINITY, 9),
            ("0x1p3", 8.0, 5),
            ("0x.8", 0.5, 4),
            ("0x1.8P-1", 0.75, 8),
            ("0x", 0.0, 1),
            ("0x1p", 1.0, 3),
            ("0x1.fffffffffffff8p0", 2.0, 20),
            ("0x1.fffffffffffff7ffp0", 1.9999999999999998, 22),
            ("0x1p-1074", 5e-324, 9),
            ("0x1p-1075", 0.0, 9),
            ("0x1.1p-1075", 5e-324, 11),
            ("0x1p1024", f64::INFINITY, 8),
            (".", 0.0, 0),
            ("x", 0.0, 0),
        ];
        for (s, v, n) in cases {
            let (got, used, _) = scan_float(s.as_bytes());
            assert_eq!((got, used), (*v, *n), "{s:?}");
        }
        assert!(scan_float(b"nan(0x1)").0.is_nan());
        assert_eq!(scan_float(b"nan(0x1)").1, 8);
        assert_eq!(scan_float(b"nan(").1, 3);
        assert!(scan_float(b"-nan").0.is_sign_negative());
        assert_eq!(float(b"1e400"), (f64::INFINITY, Some(Problem::Range)));
        assert_eq!(float(b"'a"), (97.0, None));
        assert_eq!(float(b""), (0.0, None));
        assert_eq!(float(b"1x"), (1.0, Some(Problem::Invalid)));
    }

    #[test]
    fn messages() {
        assert_eq!(message(b"x", Problem::Invalid), b"x: invalid number");
        assert_eq!(
            message(b"08", Problem::Invalid),
            b"08: invalid octal number"
        );
        assert_eq!(message(b"0x", Problem::Invalid), b"0x: invalid hex number");
        assert_eq!(
            message(b"1e999", Problem::Range),
            b"1e999: Numerical result out of range"
        );
    }
}
