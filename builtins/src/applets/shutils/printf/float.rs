//! C's `printf` conversions of numbers, byte for byte as glibc prints them for a `double`
//! and a 64-bit integer: `%d %i %o %u %x %X %e %E %f %F %g %G %a %A` with the flags
//! `- + space # 0`, a width and a precision. Also used by `seq`.
//!
//! The decimal digits come from Rust's exact formatting (`{:.N}` and `{:.Ne}`, both
//! correctly rounded with ties to even, like glibc in the default rounding mode); this
//! file adds what C does around them: exponents of at least two digits, `%g`'s choice of
//! style and trailing-zero removal, `%a`'s hex digits (unnormalized like glibc: `%.0a`
//! of 1.5 is `0x2p+0`), and the sign, prefix and padding rules.

/// One conversion specification: `%[flags][width][.precision]conv`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    /// `-`: pad on the right.
    pub left: bool,
    /// `+`: always a sign.
    pub plus: bool,
    /// space: a space where a `+` would be.
    pub space: bool,
    /// `#`: the alternate form.
    pub alt: bool,
    /// `0`: pad numbers with zeros.
    pub zero: bool,
    /// The minimum field width.
    pub width: usize,
    /// The precision, if one was given.
    pub prec: Option<usize>,
    /// The conversion character.
    pub conv: u8,
}

/// Writes `prefix` (sign, `0x`) and `body` into `out`, padded to the spec's width: with
/// spaces on the left, on the right (`-`), or with zeros between prefix and body (`0`,
/// when `zeros` allows it).
pub fn pad(out: &mut Vec<u8>, spec: &Spec, prefix: &[u8], body: &[u8], zeros: bool) {
    let len = prefix.len() + body.len();
    let fill = spec.width.saturating_sub(len);
    if spec.left {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if spec.zero && zeros {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// The sign a number gets under the spec's flags.
fn sign(spec: &Spec, negative: bool) -> &'static [u8] {
    if negative {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    }
}

/// An integer conversion (`d i o u x X`) of the value `-magnitude` or `magnitude`.
pub fn integer(out: &mut Vec<u8>, spec: &Spec, negative: bool, magnitude: u64) {
    let mut digits = match spec.conv {
        b'o' => format!("{magnitude:o}"),
        b'x' => format!("{magnitude:x}"),
        b'X' => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    }
    .into_bytes();
    if spec.prec == Some(0) && magnitude == 0 {
        digits.clear();
    }
    let prec = spec.prec.unwrap_or(0);
    if digits.len() < prec {
        let mut padded = vec![b'0'; prec - digits.len()];
        padded.extend_from_slice(&digits);
        digits = padded;
    }
    let prefix: &[u8] = match spec.conv {
        b'o' => {
            if spec.alt && digits.first() != Some(&b'0') {
                digits.insert(0, b'0');
            }
            b""
        }
        b'x' if spec.alt && magnitude != 0 => b"0x",
        b'X' if spec.alt && magnitude != 0 => b"0X",
        b'd' | b'i' => sign(spec, negative),
        _ => b"",
    };
    pad(out, spec, prefix, &digits, spec.prec.is_none());
}

/// A floating conversion (`e E f F g G a A`) of `x`.
pub fn float(out: &mut Vec<u8>, spec: &Spec, x: f64) {
    let upper = spec.conv.is_ascii_uppercase();
    let prefix = sign(spec, x.is_sign_negative());
    if !x.is_finite() {
        let body: &[u8] = match (x.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        return pad(out, spec, prefix, body, false);
    }
    let x = x.abs();
    let prec = spec.prec.unwrap_or(6);
    let body = match spec.conv.to_ascii_lowercase() {
        b'e' => exponential(x, prec, spec.alt, upper),
        b'f' => fixed(x, prec, spec.alt),
        b'g' => general(x, prec, spec.alt, upper),
        _ => {
            let (hex_prefix, body) = hex(x, spec.prec, spec.alt, upper);
            let mut p = prefix.to_vec();
            p.extend_from_slice(hex_prefix);
            return pad(out, spec, &p, &body, true);
        }
    };
    pad(out, spec, prefix, &body, true)
}

/// `%f` of a finite `x >= 0`.
fn fixed(x: f64, prec: usize, alt: bool) -> Vec<u8> {
    let mut s = fixed_digits(x, prec);
    if alt && prec == 0 {
        s.push(b'.');
    }
    s
}

/// The digits `d.ddd` and the decimal exponent of a finite `x >= 0` rounded to
/// `prec` digits after the point.
fn mantissa_exponent(x: f64, prec: usize) -> (Vec<u8>, i32) {
    let p = prec.min(MAX_SIGNIFICANT);
    let s = format!("{x:.p$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mut mant = mant.as_bytes().to_vec();
    mant.resize(mant.len() + (prec - p), b'0');
    (mant, exp.parse().unwrap_or(0))
}

/// Past this many decimals every digit of a double is 0 (the smallest subnormal has
/// 1074), and Rust's formatter takes no precision above 65535: the rest are added here.
const MAX_DECIMALS: usize = 1100;
/// Likewise for significant digits (a double has at most 767).
const MAX_SIGNIFICANT: usize = 800;

/// `x >= 0` with `prec` decimals, exactly rounded.
fn fixed_digits(x: f64, prec: usize) -> Vec<u8> {
    let p = prec.min(MAX_DECIMALS);
    let mut s = format!("{x:.p$}").into_bytes();
    s.resize(s.len() + (prec - p), b'0');
    s
}

/// C's exponent suffix: `e+05`, `E-123`.
fn push_exponent(s: &mut Vec<u8>, exp: i32, upper: bool) {
    s.push(if upper { b'E' } else { b'e' });
    s.push(if exp < 0 { b'-' } else { b'+' });
    let digits = exp.unsigned_abs().to_string();
    if digits.len() < 2 {
        s.push(b'0');
    }
    s.extend_from_slice(digits.as_bytes());
}

/// `%e` of a finite `x >= 0`.
fn exponential(x: f64, prec: usize, alt: bool, upper: bool) -> Vec<u8> {
    let (mut s, exp) = mantissa_exponent(x, prec);
    if alt && prec == 0 {
        s.push(b'.');
    }
    push_exponent(&mut s, exp, upper);
    s
}

/// `%g` of a finite `x >= 0`: `%e` style when the exponent is below -4 or not below the
/// precision, else `%f` style; without `#`, trailing zeros (and a bare point) go.
fn general(x: f64, prec: usize, alt: bool, upper: bool) -> Vec<u8> {
    let p = prec.max(1);
    let (mant, exp) = mantissa_exponent(x, p - 1);
    let p = i64::try_from(p).unwrap_or(i64::MAX);
    let exp64 = i64::from(exp);
    let (mut digits, suffix) = if exp64 < p && exp64 >= -4 {
        let after = usize::try_from(p - 1 - exp64).unwrap_or(0);
        (fixed_digits(x, after), None)
    } else {
        (mant, Some(exp))
    };
    // glibc's quirk, kept for identical output: with `#`, when rounding carries a value
    // below 10^P up to 10^P (so `%e` style), the zeros go anyway: `%#g` of 999999.5 is
    // `1.e+06`, not `1.00000e+06`.
    let carried = exp64 == p && format!("{:.0}", x.trunc()).len() as i64 <= p;
    let strip = !alt || carried;
    if strip && digits.contains(&b'.') {
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
    }
    if alt && !digits.contains(&b'.') {
        digits.push(b'.');
    }
    if !alt && digits.last() == Some(&b'.') {
        digits.pop();
    }
    if let Some(exp) = suffix {
        push_exponent(&mut digits, exp, upper);
    }
    digits
}

/// `%a` of a finite `x >= 0`, as glibc prints a double: `0x1.8p+1`; subnormals as
/// `0x0.xxxp-1022`; rounding to a precision may carry into the leading digit (`0x2p+0`).
/// Returns the `0x` prefix (it goes before zero padding) and the rest.
fn hex(x: f64, prec: Option<usize>, alt: bool, upper: bool) -> (&'static [u8], Vec<u8>) {
    let bits = x.to_bits();
    let field = (bits >> 52) & 0x7ff;
    let mut frac = bits & ((1 << 52) - 1);
    let (mut lead, exp) = match (field, frac) {
        (0, 0) => (0u64, 0i64),
        (0, _) => (0, -1022),
        _ => (1, field as i64 - 1023),
    };
    let mut ndigits = 13;
    match prec {
        Some(p) if p < 13 => {
            let drop = 52 - 4 * p as u32;
            let kept = frac >> drop;
            let rest = frac & ((1 << drop) - 1);
            let half = 1 << (drop - 1);
            let odd = if p == 0 { lead & 1 } else { kept & 1 };
            let mut kept = kept;
            if rest > half || (rest == half && odd == 1) {
                kept += 1;
            }
            if kept >> (4 * p) != 0 {
                kept = 0;
                lead += 1;
            }
            frac = kept;
            ndigits = p;
        }
        Some(_) => {}
        None => {
            while ndigits > 0 && frac & 0xf == 0 {
                frac >>= 4;
                ndigits -= 1;
            }
        }
    }
    let mut body = format!("{lead}").into_bytes();
    let mut digits = if ndigits == 0 {
        Vec::new()
    } else if upper {
        format!("{frac:0ndigits$X}").into_bytes()
    } else {
        format!("{frac:0ndigits$x}").into_bytes()
    };
    if let Some(p) = prec {
        digits.resize(digits.len().max(p), b'0');
    }
    if !digits.is_empty() || alt {
        body.push(b'.');
    }
    body.extend_from_slice(&digits);
    body.push(if upper { b'P' } else { b'p' });
    body.extend_from_slice(format!("{exp:+}").as_bytes());
    (if upper { b"0X" } else { b"0x" }, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> Spec {
        // %[flags][width][.prec]conv, for tests only.
        let b = s.as_bytes();
        let mut sp = Spec::default();
        let mut i = 1;
        while let Some(&c) = b.get(i) {
            match c {
                b'-' => sp.left = true,
                b'+' => sp.plus = true,
                b' ' => sp.space = true,
                b'#' => sp.alt = true,
                b'0' => sp.zero = true,
                _ => break,
            }
            i += 1;
        }
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            sp.width = sp.width * 10 + usize::from(d - b'0');
            i += 1;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0;
            while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
                p = p * 10 + usize::from(d - b'0');
                i += 1;
            }
            sp.prec = Some(p);
        }
        sp.conv = b[i];
        sp
    }

    fn f(fmt: &str, x: f64) -> String {
        let mut out = Vec::new();
        float(&mut out, &spec(fmt), x);
        String::from_utf8(out).unwrap()
    }

    fn i(fmt: &str, x: i64) -> String {
        let mut out = Vec::new();
        let sp = spec(fmt);
        if matches!(sp.conv, b'd' | b'i') {
            integer(&mut out, &sp, x < 0, x.unsigned_abs());
        } else {
            integer(&mut out, &sp, false, x as u64);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_like_glibc() {
        // Expected values checked against dash's printf (glibc, double).
        let cases: &[(&str, f64, &str)] = &[
            ("%f", 1.0, "1.000000"),
            ("%f", -1.5, "-1.500000"),
            ("%.0f", 0.5, "0"),
            ("%.0f", 1.5, "2"),
            ("%.0f", 2.5, "2"),
            ("%.2f", 0.125, "0.12"),
            ("%#.0f", 1.0, "1."),
            ("%08.2f", -1.5, "-0001.50"),
            ("%-10f", 1.0, "1.000000  "),
            ("%+.1e", 12345.0, "+1.2e+04"),
            ("%e", 0.0, "0.000000e+00"),
            ("%e", -0.0, "-0.000000e+00"),
            ("%E", 1e100, "1.000000E+100"),
            ("%.0e", 5e-324, "5e-324"),
            ("%#.0e", 1.0, "1.e+00"),
            ("% g", 1.0, " 1"),
            ("%#g", 1.0, "1.00000"),
            ("%#.1g", 1.0, "1."),
            ("%#g", 999999.5, "1.e+06"),
            ("%#.2g", 99.5, "1.e+02"),
            ("%#.1g", 9.5, "1.e+01"),
            ("%#.4g", 99999.5, "1.000e+05"),
            ("%#.2g", 9.96, "10."),
            ("%#g", 9.9999995e10, "1.00000e+11"),
            ("%g", 100000.0, "100000"),
            ("%g", 1000000.0, "1e+06"),
            ("%g", 999999.5, "1e+06"),
            ("%g", 0.0001, "0.0001"),
            ("%g", 0.00001, "1e-05"),
            ("%g", 0.1, "0.1"),
            ("%g", 0.0, "0"),
            ("%.0g", 0.5, "0.5"),
            ("%.3g", 1234.5, "1.23e+03"),
            ("%G", 1e100, "1E+100"),
            ("%g", 123456789.0, "1.23457e+08"),
            ("%.10g", 0.1, "0.1"),
            ("%.20g", 0.1, "0.10000000000000000555"),
            ("%08f", f64::NEG_INFINITY, "    -inf"),
            ("%-8e", f64::NAN, "nan     "),
            ("%F", f64::INFINITY, "INF"),
            ("%+f", f64::INFINITY, "+inf"),
            ("%f", -f64::NAN, "-nan"),
            ("%a", 1.0, "0x1p+0"),
            ("%a", 3.0, "0x1.8p+1"),
            ("%a", 0.1, "0x1.999999999999ap-4"),
            ("%A", 255.0, "0X1.FEP+7"),
            ("%.2a", 1.999, "0x2.00p+0"),
            ("%a", 0.0, "0x0p+0"),
            ("%a", -0.0, "-0x0p+0"),
            ("%010a", 1.0, "0x00001p+0"),
            ("%-10a", 1.0, "0x1p+0    "),
            ("%+a", 1.0, "+0x1p+0"),
            ("%#a", 1.0, "0x1.p+0"),
            ("%.0a", 1.5, "0x2p+0"),
            ("%.0a", 2.5, "0x1p+1"),
            ("%.0a", 3.5, "0x2p+1"),
            ("%.1a", 1.03125, "0x1.0p+0"),
            ("%.1a", 1.09375, "0x1.2p+0"),
            ("%.3a", 1.0, "0x1.000p+0"),
            ("%.15a", 1.0, "0x1.000000000000000p+0"),
            ("%a", 5e-324, "0x0.0000000000001p-1022"),
            ("%a", 2.225_073_858_507_201e-308, "0x0.fffffffffffffp-1022"),
            ("%a", 1e308, "0x1.1ccf385ebc8ap+1023"),
            ("%a", f64::NEG_INFINITY, "-inf"),
        ];
        for (fmt, x, want) in cases {
            assert_eq!(f(fmt, *x), *want, "{fmt} {x}");
        }
    }

    #[test]
    fn precisions_beyond_rusts_limit() {
        let z = "0".repeat(70000);
        assert_eq!(f("%.70000f", 0.5), format!("0.5{}", &z[1..]));
        assert_eq!(f("%.70000e", 1.0), format!("1.{z}e+00"));
        assert_eq!(f("%#.70001g", 2.0), format!("2.{z}"));
        assert_eq!(
            f("%.70000g", 0.1),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        let tiny = f("%.70000f", 5e-324);
        assert_eq!(tiny.len(), 70002);
        assert!(tiny.starts_with("0.000") && tiny[..1076].ends_with("447265625"));
    }

    #[test]
    fn integers_like_glibc() {
        let cases: &[(&str, i64, &str)] = &[
            ("%d", 0, "0"),
            ("%d", i64::MIN, "-9223372036854775808"),
            ("%.0d", 0, ""),
            ("%5.0d", 0, "     "),
            ("%.3d", -5, "-005"),
            ("%05d", -3, "-0003"),
            ("% 05d", 3, " 0003"),
            ("%-05d", 1, "1    "),
            ("%05.2d", 1, "   01"),
            ("%+d", 5, "+5"),
            ("%+u", 5, "5"),
            ("%u", -1, "18446744073709551615"),
            ("%x", -1, "ffffffffffffffff"),
            ("%o", -1, "1777777777777777777777"),
            ("%#x", 0, "0"),
            ("%#x", 255, "0xff"),
            ("%#X", 255, "0XFF"),
            ("%#05x", 255, "0x0ff"),
            ("%#5x", 255, " 0xff"),
            ("%#o", 0, "0"),
            ("%#o", 8, "010"),
            ("%#.3o", 8, "010"),
            ("%#.0o", 0, "0"),
            ("%-#8o", 8, "010     "),
        ];
        for (fmt, x, want) in cases {
            assert_eq!(i(fmt, *x), *want, "{fmt} {x}");
        }
    }
}
