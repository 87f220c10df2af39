//! `printf`/`sprintf` formatting: the C conversions `d i o u x X c s e E f F g G a A %`
//! with flags `- + space # 0`, widths and precisions (also `*`), over awk values.
//! Floats are formatted with Rust's exact decimal conversion, so output matches glibc.

use super::value::{Value, write_int};

/// The flags of one conversion.
#[derive(Clone, Copy, Default)]
pub struct Flags {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
}

/// Formats `args` by `fmt` into `out`; missing arguments count as uninitialised.
pub fn format(fmt: &[u8], args: &[Value], convfmt: &[u8], out: &mut Vec<u8>) {
    let mut next = 0usize;
    let arg = |next: &mut usize| -> Value {
        let v = args.get(*next).cloned().unwrap_or_default();
        *next += 1;
        v
    };
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt.get(i).copied().unwrap_or(0);
        if c != b'%' {
            // Copy a run of plain bytes at once.
            let end =
                memchr::memchr(b'%', fmt.get(i..).unwrap_or_default()).map_or(fmt.len(), |p| i + p);
            out.extend_from_slice(fmt.get(i..end).unwrap_or_default());
            i = end;
            continue;
        }
        let start = i;
        i += 1;
        let mut fl = Flags::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => fl.left = true,
                b'+' => fl.plus = true,
                b' ' => fl.space = true,
                b'#' => fl.alt = true,
                b'0' => fl.zero = true,
                _ => break,
            }
            i += 1;
        }
        let mut width: usize = 0;
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let w = arg(&mut next).to_num();
            if w < 0.0 {
                fl.left = true;
            }
            width = clamp_usize(w.abs());
        } else {
            while let Some(&d @ b'0'..=b'9') = fmt.get(i) {
                width = width
                    .saturating_mul(10)
                    .saturating_add(usize::from(d - b'0'));
                i += 1;
            }
        }
        let mut prec: Option<usize> = None;
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let p = arg(&mut next).to_num();
                prec = if p < 0.0 { None } else { Some(clamp_usize(p)) };
            } else {
                let mut p = 0usize;
                while let Some(&d @ b'0'..=b'9') = fmt.get(i) {
                    p = p.saturating_mul(10).saturating_add(usize::from(d - b'0'));
                    i += 1;
                }
                prec = Some(p);
            }
        }
        width = width.min(1 << 20);
        prec = prec.map(|p| p.min(1 << 20));
        while let Some(b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't') = fmt.get(i) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            out.extend_from_slice(fmt.get(start..).unwrap_or_default());
            break;
        };
        i += 1;
        match conv {
            b'%' => out.push(b'%'),
            b'd' | b'i' => {
                let n = arg(&mut next).to_num();
                fmt_signed(out, n, prec, fl, width);
            }
            b'o' | b'u' | b'x' | b'X' => {
                let n = arg(&mut next).to_num();
                fmt_unsigned(out, n, conv, prec, fl, width);
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                let n = arg(&mut next).to_num();
                fmt_float(out, n, conv, prec, fl, width);
            }
            b'c' => {
                let v = arg(&mut next);
                let byte: Vec<u8> = match &v {
                    Value::Num(n) | Value::StrNum(_, n) => {
                        let n = if n.is_finite() { n.trunc() } else { 0.0 };
                        vec![(n.rem_euclid(256.0)) as u8]
                    }
                    // gawk and mawk: an uninitialised value or "" gives a NUL.
                    Value::Uninit => vec![0],
                    Value::Str(s) => s.get(..1).unwrap_or(&[0]).to_vec(),
                };
                pad(out, &byte, width, fl.left, false);
            }
            b's' => {
                let s = v_str(&arg(&mut next), convfmt);
                let s = match prec {
                    Some(p) => s.get(..p.min(s.len())).unwrap_or_default().to_vec(),
                    None => s,
                };
                pad(out, &s, width, fl.left, false);
            }
            _ => {
                // Not a conversion: printed as written (gawk).
                out.extend_from_slice(fmt.get(start..i).unwrap_or_default());
            }
        }
    }
}

fn v_str(v: &Value, convfmt: &[u8]) -> Vec<u8> {
    let mut s = Vec::new();
    v.write_str(convfmt, &mut s);
    s
}

fn clamp_usize(v: f64) -> usize {
    if v.is_nan() {
        0
    } else if v > 1e7 {
        1 << 20
    } else {
        v as usize
    }
}

/// Pads `body` to `width`: spaces left (or right with `left`); with `zero` the zeros go
/// after any sign or `0x` prefix, which the caller passes separately via `prefix_len`.
fn pad(out: &mut Vec<u8>, body: &[u8], width: usize, left: bool, _zero: bool) {
    let fill = width.saturating_sub(body.len());
    if left {
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(body);
    }
}

/// Pads a number made of `prefix` (sign, `0x`) and `digits`.
fn pad_num(
    out: &mut Vec<u8>,
    prefix: &[u8],
    digits: &[u8],
    width: usize,
    fl: Flags,
    zero_ok: bool,
) {
    let len = prefix.len() + digits.len();
    let fill = width.saturating_sub(len);
    if fl.left {
        out.extend_from_slice(prefix);
        out.extend_from_slice(digits);
        out.resize(out.len() + fill, b' ');
    } else if fl.zero && zero_ok {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(digits);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(digits);
    }
}

fn sign_prefix(neg: bool, fl: Flags) -> &'static [u8] {
    if neg {
        b"-"
    } else if fl.plus {
        b"+"
    } else if fl.space {
        b" "
    } else {
        b""
    }
}

fn fmt_signed(out: &mut Vec<u8>, n: f64, prec: Option<usize>, fl: Flags, width: usize) {
    if !n.is_finite() {
        fmt_float(out, n, b'f', None, fl, width);
        return;
    }
    let t = n.trunc();
    let neg = t < 0.0;
    let mut digits = Vec::new();
    if t.abs() < 9.2e18 {
        write_int((t as i64).abs(), &mut digits);
    } else {
        // Beyond 64 bits: the exact decimal value of the double, as gawk prints it.
        digits.extend_from_slice(format!("{:.0}", t.abs()).as_bytes());
    }
    apply_int_prec(&mut digits, prec);
    pad_num(
        out,
        sign_prefix(neg, fl),
        &digits,
        width,
        fl,
        prec.is_none(),
    );
}

fn apply_int_prec(digits: &mut Vec<u8>, prec: Option<usize>) {
    if let Some(p) = prec {
        if p == 0 && digits == b"0" {
            digits.clear();
        } else if digits.len() < p {
            let mut v = vec![b'0'; p - digits.len()];
            v.append(digits);
            *digits = v;
        }
    }
}

fn fmt_unsigned(out: &mut Vec<u8>, n: f64, conv: u8, prec: Option<usize>, fl: Flags, width: usize) {
    if !n.is_finite() {
        fmt_float(out, n, b'f', None, fl, width);
        return;
    }
    let t = n.trunc();
    let u: u64 = if t < 0.0 {
        if t >= -9.2e18 { (t as i64) as u64 } else { 0 }
    } else if t < 1.8e19 {
        t as u64
    } else {
        // Too big for 64 bits: print the value in decimal as %d would.
        fmt_signed(out, n, prec, fl, width);
        return;
    };
    let mut digits = match conv {
        b'o' => format!("{u:o}"),
        b'x' => format!("{u:x}"),
        b'X' => format!("{u:X}"),
        _ => format!("{u}"),
    }
    .into_bytes();
    apply_int_prec(&mut digits, prec);
    let mut prefix: &[u8] = b"";
    if fl.alt {
        match conv {
            b'o' if digits.first() != Some(&b'0') => digits.insert(0, b'0'),
            b'x' if u != 0 => prefix = b"0x",
            b'X' if u != 0 => prefix = b"0X",
            _ => {}
        }
    }
    pad_num(out, prefix, &digits, width, fl, prec.is_none());
}

/// Formats a float conversion (`e f g a`, upper-case variants too) into `out`.
pub fn fmt_float(
    out: &mut Vec<u8>,
    n: f64,
    conv: u8,
    prec: Option<usize>,
    fl: Flags,
    width: usize,
) {
    let upper = conv.is_ascii_uppercase();
    let neg = n.is_sign_negative();
    let a = n.abs();
    let mut body: Vec<u8>;
    if !a.is_finite() {
        body = if a.is_nan() {
            b"nan".to_vec()
        } else {
            b"inf".to_vec()
        };
        if upper {
            body.make_ascii_uppercase();
        }
        pad_num(out, sign_prefix(neg, fl), &body, width, fl, false);
        return;
    }
    body = match conv.to_ascii_lowercase() {
        b'f' => fixed(a, prec.unwrap_or(6), fl.alt),
        b'e' => expo(a, prec.unwrap_or(6), fl.alt),
        b'a' => hexfloat(a, prec),
        _ => general(a, prec.unwrap_or(6), fl.alt),
    };
    if upper {
        body.make_ascii_uppercase();
    }
    pad_num(out, sign_prefix(neg, fl), &body, width, fl, true);
}

fn fixed(a: f64, prec: usize, alt: bool) -> Vec<u8> {
    let mut s = format!("{a:.prec$}").into_bytes();
    if alt && prec == 0 {
        s.push(b'.');
    }
    s
}

/// `d.ddde+XX` as C prints it.
fn expo(a: f64, prec: usize, alt: bool) -> Vec<u8> {
    let s = format!("{a:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let mut out = mant.as_bytes().to_vec();
    if alt && prec == 0 {
        out.push(b'.');
    }
    out.push(b'e');
    out.push(if e < 0 { b'-' } else { b'+' });
    let ea = e.unsigned_abs();
    if ea < 10 {
        out.push(b'0');
    }
    out.extend_from_slice(ea.to_string().as_bytes());
    out
}

fn general(a: f64, prec: usize, alt: bool) -> Vec<u8> {
    let p = if prec == 0 { 1 } else { prec };
    if a == 0.0 {
        let mut s = fixed(0.0, p - 1, alt);
        if !alt {
            strip_zeros(&mut s);
        }
        return s;
    }
    // The exponent after rounding to p significant digits.
    let e = format!("{:.*e}", p - 1, a);
    let x: i64 = e
        .split_once('e')
        .and_then(|(_, x)| x.parse().ok())
        .unwrap_or(0);
    let mut s = if x < -4 || x >= p as i64 {
        expo(a, p - 1, alt)
    } else {
        fixed(a, (p as i64 - 1 - x).max(0) as usize, alt)
    };
    if !alt {
        strip_zeros(&mut s);
    }
    s
}

/// Removes trailing zeros of the fraction (and a bare point), keeping any exponent.
fn strip_zeros(s: &mut Vec<u8>) {
    let epos = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
    let (mant, exp) = s.split_at(epos);
    if !mant.contains(&b'.') {
        return;
    }
    let mut m = mant.to_vec();
    while m.last() == Some(&b'0') {
        m.pop();
    }
    if m.last() == Some(&b'.') {
        m.pop();
    }
    m.extend_from_slice(exp);
    *s = m;
}

fn hexfloat(a: f64, prec: Option<usize>) -> Vec<u8> {
    let bits = a.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    let (lead, exp) = if exp_bits == 0 {
        if mant == 0 { (0u64, 0i64) } else { (0, -1022) }
    } else {
        (1, exp_bits - 1023)
    };
    let mut lead = lead;
    let mut digits = 13usize;
    if let Some(p) = prec {
        if p < 13 {
            let shift = (13 - p) * 4;
            let full = (lead << 52) | mant;
            let half = 1u64 << (shift - 1);
            let rem = full & ((1u64 << shift) - 1);
            let mut q = full >> shift;
            if rem > half || (rem == half && q & 1 == 1) {
                q += 1;
            }
            let full = q << shift;
            lead = full >> 52;
            mant = full & ((1u64 << 52) - 1);
        }
        digits = p;
    }
    let mut hex = format!("{mant:013x}");
    if prec.is_none() {
        while hex.ends_with('0') {
            hex.pop();
        }
    } else {
        hex.truncate(digits.min(13));
        while hex.len() < digits {
            hex.push('0');
        }
    }
    let sign = if exp < 0 { '-' } else { '+' };
    let dot = if hex.is_empty() { "" } else { "." };
    format!("0x{lead}{dot}{hex}p{sign}{}", exp.unsigned_abs()).into_bytes()
}

/// Formats one number with a CONVFMT/OFMT-style format (a single float conversion).
pub fn format_num_with(fmt: &[u8], n: f64, out: &mut Vec<u8>) {
    format(fmt, &[Value::Num(n)], b"%.6g", out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Value]) -> String {
        let mut out = Vec::new();
        format(fmt.as_bytes(), args, b"%.6g", &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn n(v: f64) -> Value {
        Value::Num(v)
    }

    #[test]
    fn integers() {
        assert_eq!(
            f(
                "%d|%5d|%-5d|%05d|%+d|% d",
                &[n(3.9), n(-42.0), n(7.0), n(-7.0), n(5.0), n(5.0)]
            ),
            "3|  -42|7    |-0007|+5| 5"
        );
        assert_eq!(f("%.3d|%.0d|%i", &[n(5.0), n(0.0), n(12.0)]), "005||12");
        assert_eq!(
            f(
                "%x|%X|%o|%#x|%#o|%u",
                &[n(255.0), n(255.0), n(8.0), n(255.0), n(8.0), n(-1.0)]
            ),
            "ff|FF|10|0xff|010|18446744073709551615"
        );
        assert_eq!(f("%d", &[n(2f64.powi(64))]), "18446744073709551616");
    }

    #[test]
    fn floats() {
        assert_eq!(
            f(
                "%f|%.2f|%e|%E|%g|%G",
                &[
                    n(3.25159),
                    n(2.675),
                    n(12345.678),
                    n(0.00012),
                    n(100000.0),
                    n(1e-10)
                ]
            ),
            "3.251590|2.67|1.234568e+04|1.200000E-04|100000|1E-10"
        );
        assert_eq!(
            f("%g|%g|%#g|%.3g", &[n(1e6), n(0.0001), n(1.5), n(3.25159)]),
            "1e+06|0.0001|1.50000|3.25"
        );
        assert_eq!(
            f("%8.3f|%-8.2e|%08.2f", &[n(3.25159), n(1.0), n(-3.25159)]),
            "   3.252|1.00e+00|-0003.25"
        );
        assert_eq!(f("%a", &[n(1.0)]), "0x1p+0");
        assert_eq!(
            f("%f %f", &[n(f64::INFINITY), n(-f64::INFINITY)]),
            "inf -inf"
        );
    }

    #[test]
    fn strings_and_chars() {
        let s = |x: &str| Value::from_bytes(x.as_bytes());
        assert_eq!(
            f(
                "%s|%5s|%-5s|%.2s|%c|%c|%c",
                &[
                    s("ab"),
                    s("ab"),
                    s("ab"),
                    s("abc"),
                    n(65.0),
                    s("hello"),
                    n(321.0)
                ]
            ),
            "ab|   ab|ab   |ab|A|h|A"
        );
        assert_eq!(
            f(
                "%*d|%-*d|%.*f",
                &[n(4.0), n(1.0), n(3.0), n(2.0), n(1.0), n(2.5)]
            ),
            "   1|2  |2.5"
        );
        assert_eq!(f("100%%|%z|%", &[]), "100%|%z|%");
        assert_eq!(f("%s %d", &[]), " 0");
    }
}
