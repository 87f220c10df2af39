//! awk values: numbers, strings and "strnums" (input that looks numeric), with the
//! POSIX conversions between them. Strings are bytes (`Rc<[u8]>`, cheap to clone).

use std::cmp::Ordering;
use std::rc::Rc;

use super::printf;

/// A shared immutable byte string.
pub type Str = Rc<[u8]>;

/// A value.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Never assigned: both "" and 0, compares as a number against numbers.
    #[default]
    Uninit,
    Num(f64),
    Str(Str),
    /// A string from input (fields, getline, ARGV, ENVIRON, -v) that looks like a
    /// number: it compares numerically against numbers.
    StrNum(Str, f64),
}

thread_local! {
    static EMPTY: Str = Rc::from(&b""[..]);
}

/// The empty string.
pub fn empty() -> Str {
    EMPTY.with(Rc::clone)
}

impl Value {
    /// A value read from input: a strnum when it looks numeric, else a string.
    pub fn input(bytes: &[u8]) -> Value {
        let s: Str = Rc::from(bytes);
        Value::input_rc(s)
    }

    /// Like [`Value::input`] for an existing string.
    pub fn input_rc(s: Str) -> Value {
        match looks_numeric(&s) {
            Some(n) => Value::StrNum(s, n),
            None => Value::Str(s),
        }
    }

    pub fn from_bytes(bytes: &[u8]) -> Value {
        Value::Str(Rc::from(bytes))
    }

    pub fn to_num(&self) -> f64 {
        match self {
            Value::Uninit => 0.0,
            Value::Num(n) | Value::StrNum(_, n) => *n,
            Value::Str(s) => str_to_num(s),
        }
    }

    /// The string form, numbers converted with `convfmt` (integers as integers).
    pub fn to_str(&self, convfmt: &[u8]) -> Str {
        match self {
            Value::Uninit => empty(),
            Value::Num(n) => Rc::from(fmt_num(*n, convfmt)),
            Value::Str(s) | Value::StrNum(s, _) => s.clone(),
        }
    }

    /// Appends the string form to `out`.
    pub fn write_str(&self, convfmt: &[u8], out: &mut Vec<u8>) {
        match self {
            Value::Uninit => {}
            Value::Num(n) => fmt_num_into(*n, convfmt, out),
            Value::Str(s) | Value::StrNum(s, _) => out.extend_from_slice(s),
        }
    }

    pub fn is_true(&self) -> bool {
        match self {
            Value::Uninit => false,
            Value::Num(n) | Value::StrNum(_, n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
        }
    }

    /// Whether comparisons treat this value as a number.
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Value::Str(_))
    }
}

/// Compares two values by the POSIX rules: numerically when both are numeric (numbers,
/// strnums, uninitialised), else as strings (bytes). `None` when a NaN is involved.
pub fn compare(a: &Value, b: &Value, convfmt: &[u8]) -> Option<Ordering> {
    if a.is_numeric() && b.is_numeric() {
        a.to_num().partial_cmp(&b.to_num())
    } else {
        let (x, y) = (a.to_str(convfmt), b.to_str(convfmt));
        Some(x.as_ref().cmp(y.as_ref()))
    }
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Scans a decimal number at the start of `s` (after blanks): the value and where it
/// ended, or `None` when no digits are there. `+inf`, `-inf`, `+nan`, `-nan` (with their
/// sign, as gawk) are recognised too.
pub fn scan_number(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while s.get(i).is_some_and(|&c| is_blank(c)) {
        i += 1;
    }
    let start = i;
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
        let word = s.get(i..i + 3).map(|w| w.to_ascii_lowercase());
        if let Some(w) = word
            && (w == b"inf" || w == b"nan")
        {
            {
                let v = if w == b"inf" { f64::INFINITY } else { f64::NAN };
                let mut end = i + 3;
                if w == b"inf"
                    && s.get(end..end + 5)
                        .is_some_and(|r| r.eq_ignore_ascii_case(b"inity"))
                {
                    end += 5;
                }
                return Some((if neg { -v } else { v }, end));
            }
        }
    }
    let digits_start = i;
    let mut digits = 0;
    while s.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits += 1;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        let mut j = i + 1;
        if let Some(b'+' | b'-') = s.get(j) {
            j += 1;
        }
        if s.get(j).is_some_and(u8::is_ascii_digit) {
            while s.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    let text = s.get(digits_start..i).unwrap_or_default();
    // Fast path for short plain integers.
    let v = if text.len() <= 15 && text.iter().all(u8::is_ascii_digit) {
        text.iter()
            .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0')) as f64
    } else {
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let _ = start;
    Some((if neg { -v } else { v }, i))
}

/// The numeric value of a string: its longest numeric prefix, 0 when there is none.
pub fn str_to_num(s: &[u8]) -> f64 {
    scan_number(s).map_or(0.0, |(v, _)| v)
}

/// Whether input text looks numeric (blanks, a number, blanks): its value if so.
pub fn looks_numeric(s: &[u8]) -> Option<f64> {
    let (v, end) = scan_number(s)?;
    if s.get(end..)
        .unwrap_or_default()
        .iter()
        .all(|&c| is_blank(c))
    {
        Some(v)
    } else {
        None
    }
}

/// Formats a number the way awk converts it to a string: an integral value that fits
/// in 64 bits as an integer, anything else with `fmt` (CONVFMT or OFMT).
pub fn fmt_num(n: f64, fmt: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    fmt_num_into(n, fmt, &mut out);
    out
}

/// Like [`fmt_num`], appending to `out`.
pub fn fmt_num_into(n: f64, fmt: &[u8], out: &mut Vec<u8>) {
    if n == n.trunc() && n.abs() < 9.2e18 {
        write_int(n as i64, out);
    } else if fmt == b"%.6g" {
        printf::fmt_float(out, n, b'g', Some(6), printf::Flags::default(), 0);
    } else {
        printf::format_num_with(fmt, n, out);
    }
}

/// Appends a decimal integer.
pub fn write_int(v: i64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let neg = v < 0;
    let mut u = v.unsigned_abs();
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (u % 10) as u8;
        }
        u /= 10;
        if u == 0 || i == 0 {
            break;
        }
    }
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(buf.get(i..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: f64) -> String {
        String::from_utf8(fmt_num(n, b"%.6g")).unwrap()
    }

    #[test]
    fn numbers_to_strings() {
        assert_eq!(s(1e6), "1000000");
        assert_eq!(s(0.1 + 0.2), "0.3");
        assert_eq!(s(2f64.powi(53)), "9007199254740992");
        assert_eq!(s(-3.0), "-3");
        assert_eq!(s(-0.0), "0");
        assert_eq!(s(1e30), "1e+30");
        assert_eq!(s(1.0 / 3.0), "0.333333");
        assert_eq!(s(123456789.5), "1.23457e+08");
        assert_eq!(s(f64::INFINITY), "inf");
        assert_eq!(s(-f64::INFINITY), "-inf");
        assert_eq!(s(0.0001), "0.0001");
        assert_eq!(s(0.00001), "1e-05");
    }

    #[test]
    fn strings_to_numbers() {
        assert_eq!(str_to_num(b"  12abc"), 12.0);
        assert_eq!(str_to_num(b"-1.5e2x"), -150.0);
        assert_eq!(str_to_num(b"1e"), 1.0);
        assert_eq!(str_to_num(b".5"), 0.5);
        assert_eq!(str_to_num(b"abc"), 0.0);
        assert_eq!(str_to_num(b"0x1A"), 0.0);
        assert_eq!(str_to_num(b"+inf"), f64::INFINITY);
        assert_eq!(str_to_num(b"inf"), 0.0);
    }

    #[test]
    fn strnum_detection() {
        assert_eq!(looks_numeric(b" 10 "), Some(10.0));
        assert_eq!(looks_numeric(b"1e3"), Some(1000.0));
        assert_eq!(looks_numeric(b"10x"), None);
        assert_eq!(looks_numeric(b""), None);
        assert_eq!(looks_numeric(b"."), None);
        assert_eq!(looks_numeric(b"+"), None);
    }

    #[test]
    fn comparison_rules() {
        let ten = Value::input(b"10");
        let nine = Value::input(b"9");
        assert_eq!(compare(&ten, &nine, b"%.6g"), Some(Ordering::Greater));
        let ten_s = Value::from_bytes(b"10");
        assert_eq!(compare(&ten_s, &nine, b"%.6g"), Some(Ordering::Less));
        assert_eq!(
            compare(&Value::Uninit, &Value::Num(0.0), b"%.6g"),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare(&Value::Uninit, &Value::from_bytes(b""), b"%.6g"),
            Some(Ordering::Equal)
        );
    }
}
