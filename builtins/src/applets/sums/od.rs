//! `od`: dump files in octal and other formats (POSIX, with GNU's spacing).

use super::{Fail, each_chunk, shown};
use crate::prelude::*;

/// The `od` applet.
pub const APPLET: Applet = Applet::new("od", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-bcdDfilosxXv] [-A RADIX] [-j SKIP] [-N COUNT] [-t TYPE]... [-w[N]] [FILE]...")
    .help(
        "Dump FILEs (standard input for - or none), concatenated, in the formats asked for\n\
         (octal 2-byte words by default).\n\n\
         -A RADIX\tOffsets in o(ctal), d(ecimal), x (hex) or n(one)\n\
         -j SKIP\tSkip SKIP bytes first (suffixes b 512, k 1024, m; 0x for hex)\n\
         -N COUNT\tDump at most COUNT bytes\n\
         -t TYPE\ta named characters, c characters, d signed, u unsigned, o octal,\n\
         \tx hex decimal (each with a size 1 2 4 8 or C S I L), f float (4 8 F D);\n\
         \ta trailing z adds the printable characters\n\
         -v\tShow repeated lines instead of *\n\
         -w[N]\tN bytes per line (default 16, 32 without N)\n\
         -b -c -d -o -s -x\tSame as -t o1, c, u2, o2, d2, x2\n\
         -D -O -X -i -l -f -F\tSame as -t u4, o4, x4, d4, d8, f4, f8",
    );

const LONGS: &[&str] = &[
    "address-radix",
    "skip-bytes",
    "read-bytes",
    "format",
    "output-duplicates",
    "width",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Named,
    Char,
    Signed,
    Unsigned,
    Octal,
    Hex,
    Float,
}

#[derive(Clone, Copy)]
struct Spec {
    kind: Kind,
    size: usize,
    width: usize,
    trailer: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Radix {
    Octal,
    Decimal,
    Hex,
    None,
}

fn int_digits(kind: Kind, size: usize) -> usize {
    match (kind, size) {
        (Kind::Octal, 1) => 3,
        (Kind::Octal, 2) => 6,
        (Kind::Octal, 4) => 11,
        (Kind::Octal, _) => 22,
        (Kind::Hex, s) => s * 2,
        (Kind::Unsigned, 1) => 3,
        (Kind::Unsigned, 2) => 5,
        (Kind::Unsigned, 4) => 10,
        (Kind::Unsigned, _) => 20,
        (Kind::Signed, 1) => 4,
        (Kind::Signed, 2) => 6,
        (Kind::Signed, 4) => 11,
        (Kind::Signed, _) => 20,
        (Kind::Float, 4) => 15,
        (Kind::Float, _) => 24,
        (Kind::Named | Kind::Char, _) => 3,
    }
}

fn spec(kind: Kind, size: usize) -> Spec {
    Spec {
        kind,
        size,
        width: int_digits(kind, size) + 1,
        trailer: false,
    }
}

fn bad_type(t: &[u8]) -> Error {
    Error::msg(format!(
        "invalid type string '{}'",
        String::from_utf8_lossy(t)
    ))
}

/// Parses one `-t` argument, which may hold several types (`x1z`, `dc`).
fn parse_types(t: &[u8], out: &mut Vec<Spec>) -> Result<(), Error> {
    let mut i = 0;
    if t.is_empty() {
        return Err(bad_type(t));
    }
    while let Some(&c) = t.get(i) {
        i += 1;
        let kind = match c {
            b'a' => Kind::Named,
            b'c' => Kind::Char,
            b'd' => Kind::Signed,
            b'u' => Kind::Unsigned,
            b'o' => Kind::Octal,
            b'x' => Kind::Hex,
            b'f' => Kind::Float,
            _ => {
                return Err(Error::msg(format!(
                    "invalid character '{}' in type string '{}'",
                    c as char,
                    String::from_utf8_lossy(t)
                )));
            }
        };
        let mut size = match kind {
            Kind::Named | Kind::Char => 1,
            Kind::Float => 8,
            _ => 4,
        };
        if matches!(kind, Kind::Named | Kind::Char) {
            // no size
        } else if let Some(&l) = t.get(i).filter(|b| b.is_ascii_uppercase()) {
            i += 1;
            size = match (kind, l) {
                (Kind::Float, b'F') => 4,
                (Kind::Float, b'D') => 8,
                (Kind::Float, _) => return Err(bad_type(t)),
                (_, b'C') => 1,
                (_, b'S') => 2,
                (_, b'I') => 4,
                (_, b'L') => 8,
                _ => return Err(bad_type(t)),
            };
        } else {
            let digits = t
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                let n: usize = std::str::from_utf8(t.get(i..i + digits).unwrap_or_default())
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                i += digits;
                let ok = match kind {
                    Kind::Float => n == 4 || n == 8,
                    _ => matches!(n, 1 | 2 | 4 | 8),
                };
                if !ok {
                    return Err(Error::msg(format!(
                        "invalid type string '{}';\nthis system doesn't provide a {n}-byte {} type",
                        String::from_utf8_lossy(t),
                        if kind == Kind::Float {
                            "floating point"
                        } else {
                            "integral"
                        }
                    )));
                }
                size = n;
            }
        }
        let mut s = spec(kind, size);
        if t.get(i) == Some(&b'z') {
            s.trailer = true;
            i += 1;
        }
        out.push(s);
    }
    Ok(())
}

/// A byte count as od takes it: decimal, 0x hex or 0 octal, with b/k/m (or KB, MB...).
fn parse_count(v: &[u8]) -> Option<u64> {
    let (digits, radix) = if let Some(h) = v.strip_prefix(b"0x").or(v.strip_prefix(b"0X")) {
        (h, 16)
    } else if v.len() > 1 && v.first() == Some(&b'0') {
        (v.get(1..)?, 8)
    } else {
        (v, 10)
    };
    let end = digits
        .iter()
        .take_while(|b| (**b as char).is_digit(radix))
        .count();
    let num = std::str::from_utf8(digits.get(..end)?).ok()?;
    let n = u64::from_str_radix(num, radix).ok()?;
    let mult: u64 = match digits.get(end..)? {
        b"" => 1,
        b"b" => 512,
        b"k" | b"K" | b"KiB" => 1024,
        b"KB" | b"kB" => 1000,
        b"m" | b"M" | b"MiB" => 1 << 20,
        b"MB" => 1_000_000,
        b"G" | b"GiB" => 1 << 30,
        b"GB" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

struct Dumper {
    specs: Vec<Spec>,
    per_line: usize,
    radix: Radix,
    verbose: bool,
    /// The widest spec's line width; narrower ones spread the difference.
    line_width: usize,
    prev: Option<Vec<u8>>,
    starred: bool,
}

const NAMES: [&str; 33] = [
    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
    "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub", "esc",
    "fs", "gs", "rs", "us", "sp",
];

fn value_of(bytes: &[u8]) -> u64 {
    let mut v = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(8) {
        v |= u64::from(b) << (8 * i);
    }
    v
}

/// A float as `%.Pg` with the fewest digits P (at least 6 or 15) that read back exactly.
pub(crate) fn format_float(v: f64, single: bool) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let tiny = if single {
        v.abs() < f64::from(f32::MIN_POSITIVE)
    } else {
        v.abs() < f64::MIN_POSITIVE
    };
    let start = if tiny {
        1
    } else if single {
        6
    } else {
        15
    };
    // Like ftoastr: the first precision from `start` on whose correctly rounded
    // digits read back as the same value.
    let mut sci = format!("{v:e}");
    for prec in start..=17usize {
        let t = format!("{:.*e}", prec - 1, v);
        let back_ok = if single {
            t.parse::<f32>().ok() == Some(v as f32)
        } else {
            t.parse::<f64>().ok() == Some(v)
        };
        if back_ok {
            sci = t;
            break;
        }
    }
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let mut digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let p = digits.len().max(1) as i32;
    // %g drops trailing zeros.
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if exp < -4 || exp >= p {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        s.push_str(first);
        if !rest.is_empty() {
            s.push('.');
            s.push_str(rest);
        }
        s.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if exp < 0 {
        s.push_str("0.");
        for _ in 0..(-exp - 1) {
            s.push('0');
        }
        s.push_str(&digits);
    } else {
        let point = exp as usize + 1;
        if digits.len() <= point {
            s.push_str(&digits);
            for _ in digits.len()..point {
                s.push('0');
            }
        } else {
            let (int, frac) = digits.split_at(point);
            s.push_str(int);
            s.push('.');
            s.push_str(frac);
        }
    }
    s
}

fn field(sp: &Spec, bytes: &[u8]) -> String {
    let v = value_of(bytes);
    match sp.kind {
        Kind::Octal => format!("{v:0w$o}", w = sp.width - 1),
        Kind::Hex => format!("{v:0w$x}", w = sp.width - 1),
        Kind::Unsigned => v.to_string(),
        Kind::Signed => {
            let shift = 64 - 8 * sp.size as u32;
            (((v << shift) as i64) >> shift).to_string()
        }
        Kind::Float => {
            if sp.size == 4 {
                format_float(f64::from(f32::from_bits(v as u32)), true)
            } else {
                format_float(f64::from_bits(v), false)
            }
        }
        Kind::Named => {
            let b = (v & 0x7f) as u8;
            match NAMES.get(usize::from(b)) {
                Some(n) => (*n).to_string(),
                None if b == 0x7f => "del".to_string(),
                None => (b as char).to_string(),
            }
        }
        Kind::Char => {
            let b = v as u8;
            match b {
                0 => "\\0".to_string(),
                7 => "\\a".to_string(),
                8 => "\\b".to_string(),
                9 => "\\t".to_string(),
                10 => "\\n".to_string(),
                11 => "\\v".to_string(),
                12 => "\\f".to_string(),
                13 => "\\r".to_string(),
                0x20..=0x7e => (b as char).to_string(),
                _ => format!("{b:03o}"),
            }
        }
    }
}

impl Dumper {
    fn offset(&self, off: u64) -> String {
        match self.radix {
            Radix::Octal => format!("{off:07o}"),
            Radix::Decimal => format!("{off:07}"),
            Radix::Hex => format!("{off:06x}"),
            Radix::None => String::new(),
        }
    }

    fn line(&mut self, off: u64, block: &[u8], out: &mut Vec<u8>) {
        if !self.verbose && block.len() == self.per_line {
            if self.prev.as_deref() == Some(block) {
                if !self.starred {
                    out.extend_from_slice(b"*\n");
                    self.starred = true;
                }
                return;
            }
            self.prev = Some(block.to_vec());
            self.starred = false;
        }
        let off_text = self.offset(off);
        for (n, sp) in self.specs.iter().enumerate() {
            if n == 0 {
                out.extend_from_slice(off_text.as_bytes());
            } else {
                out.resize(out.len() + off_text.len(), b' ');
            }
            let fields = self.per_line / sp.size;
            let pad = self.line_width - fields * sp.width;
            let mut pad_left = pad;
            let mut used = 0;
            for i in 0..fields {
                let next = pad * (fields - i - 1) / fields;
                let w = pad_left - next + sp.width;
                pad_left = next;
                let start = i * sp.size;
                let Some(chunk) = block.get(start..) else {
                    break;
                };
                if chunk.is_empty() {
                    break;
                }
                let take = chunk.get(..sp.size).unwrap_or(chunk);
                let text = field(sp, take);
                out.extend_from_slice(format!("{text:>w$}").as_bytes());
                used += w;
            }
            if sp.trailer {
                out.resize(out.len() + self.line_width.saturating_sub(used), b' ');
                out.extend_from_slice(b"  >");
                for &b in block {
                    out.push(if (0x20..0x7f).contains(&b) { b } else { b'.' });
                }
                out.push(b'<');
            }
            out.push(b'\n');
        }
    }
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut specs = Vec::new();
    let mut radix = Radix::Octal;
    let (mut skip, mut limit) = (0u64, None::<u64>);
    let mut verbose = false;
    let mut width: Option<usize> = None;
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('A') | Arg::Long("address-radix") => {
                let v = opts.value()?;
                radix = match v.as_slice() {
                    b"o" => Radix::Octal,
                    b"d" => Radix::Decimal,
                    b"x" => Radix::Hex,
                    b"n" => Radix::None,
                    _ => {
                        return Err(Error::msg(format!(
                            "invalid output address radix '{}'; it must be one character from [doxn]",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                };
            }
            Arg::Short('j') | Arg::Long("skip-bytes") => {
                let v = opts.value()?;
                skip = parse_count(&v).ok_or_else(|| bad_arg(&v, "-j"))?;
            }
            Arg::Short('N') | Arg::Long("read-bytes") => {
                let v = opts.value()?;
                limit = Some(parse_count(&v).ok_or_else(|| bad_arg(&v, "-N"))?);
            }
            Arg::Short('t') | Arg::Long("format") => parse_types(&opts.value()?, &mut specs)?,
            Arg::Short('v') | Arg::Long("output-duplicates") => verbose = true,
            Arg::Short('w') | Arg::Long("width") => {
                width = Some(match opts.optional_value() {
                    None => 32,
                    Some(v) => parse_count(&v)
                        .and_then(|n| usize::try_from(n).ok())
                        .filter(|&n| n > 0)
                        .ok_or_else(|| bad_arg(&v, "-w"))?,
                });
            }
            Arg::Short(c) if "abcdDfilosxXBeFhHILO".contains(c) => specs.push(match c {
                'a' => spec(Kind::Named, 1),
                'b' => spec(Kind::Octal, 1),
                'c' => spec(Kind::Char, 1),
                'd' => spec(Kind::Unsigned, 2),
                'D' => spec(Kind::Unsigned, 4),
                'f' => spec(Kind::Float, 4),
                'e' | 'F' => spec(Kind::Float, 8),
                'i' | 'I' => spec(Kind::Signed, 4),
                'l' | 'L' => spec(Kind::Signed, 8),
                'o' | 'B' => spec(Kind::Octal, 2),
                'O' => spec(Kind::Octal, 4),
                's' => spec(Kind::Signed, 2),
                'x' | 'h' => spec(Kind::Hex, 2),
                'X' | 'H' => spec(Kind::Hex, 4),
                _ => spec(Kind::Octal, 2),
            }),
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if specs.is_empty() {
        specs.push(spec(Kind::Octal, 2));
    }
    let lcm = specs.iter().fold(1usize, |acc, s| lcm(acc, s.size));
    let per_line = match width {
        Some(w) if w % lcm != 0 => {
            ctx.note(format!("warning: invalid width {w}; using {lcm} instead").as_bytes());
            lcm
        }
        Some(w) => w,
        None => 16usize.div_ceil(lcm) * lcm,
    };
    let line_width = specs
        .iter()
        .map(|s| per_line / s.size * s.width)
        .max()
        .unwrap_or(0);
    let mut d = Dumper {
        specs,
        per_line,
        radix,
        verbose,
        line_width,
        prev: None,
        starred: false,
    };
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    let mut block: Vec<u8> = Vec::with_capacity(per_line);
    let mut off = skip;
    let mut to_skip = skip;
    let mut left = limit.unwrap_or(u64::MAX);
    let mut out = Vec::new();
    let mut failed_io = false;
    let mut opened = 0usize;
    for name in &files {
        if left == 0 {
            break;
        }
        let stdout = &mut ctx.stdout;
        let r = each_chunk(&mut ctx.stdin, name, &mut |mut chunk| {
            if to_skip > 0 {
                let n = usize::try_from(to_skip)
                    .unwrap_or(usize::MAX)
                    .min(chunk.len());
                to_skip -= n as u64;
                chunk = chunk.get(n..).unwrap_or_default();
            }
            let take = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
            left -= take as u64;
            chunk = chunk.get(..take).unwrap_or_default();
            while !chunk.is_empty() {
                let room = per_line - block.len();
                let (head, rest) = chunk.split_at(room.min(chunk.len()));
                block.extend_from_slice(head);
                chunk = rest;
                if block.len() == per_line {
                    d.line(off, &block, &mut out);
                    off += per_line as u64;
                    block.clear();
                }
            }
            if out.len() > 64 * 1024 {
                stdout
                    .write_all(&out)
                    .map_err(|e| Error::io(b"write error", &e))?;
                out.clear();
            }
            if left == 0 {
                return Err(Error::silent(0));
            }
            Ok(())
        });
        match r {
            Ok(()) => opened += 1,
            Err(Fail::Read(e)) => {
                ctx.warn(&shown(name), &e);
                failed_io = true;
            }
            Err(Fail::Fatal(e)) if e.status == Some(0) && e.message.is_empty() => {
                opened += 1;
                break;
            }
            Err(Fail::Fatal(e)) => return Err(e),
        }
    }
    if to_skip > 0 {
        ctx.stdout.write_all(&out)?;
        return Err(Error::msg("cannot skip past end of combined input"));
    }
    if opened == 0 && left > 0 {
        // Nothing could be read at all: GNU prints no dump.
        return Ok(());
    }
    if !block.is_empty() {
        d.line(off, &block, &mut out);
        off += block.len() as u64;
    }
    if d.radix != Radix::None {
        out.extend_from_slice(d.offset(off).as_bytes());
        out.push(b'\n');
    }
    ctx.stdout
        .write_all(&out)
        .map_err(|e| Error::io(b"write error", &e))?;
    if failed_io {
        ctx.status = 1;
    }
    Ok(())
}

fn bad_arg(v: &[u8], opt: &str) -> Error {
    Error::msg(format!(
        "invalid {opt} argument '{}'",
        String::from_utf8_lossy(v)
    ))
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: usize, b: usize) -> usize {
    a / gcd(a, b).max(1) * b
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    fn all_bytes() -> Vec<u8> {
        (0..=255u8).collect()
    }

    #[test]
    fn default_is_octal_words_with_final_offset() {
        let r = run("od", &[], b"abcdefghijklmnopqrstuvwxyz\n\0\x01\xff");
        assert_eq!(
            r.out(),
            "0000000 061141 062143 063145 064147 065151 066153 067155 070157\n\
             0000020 071161 072163 073165 074167 075171 000012 177401\n\
             0000036\n"
        );
        assert_eq!(run("od", &[], b"").out(), "0000000\n");
    }

    #[test]
    fn chars_names_and_bytes() {
        let r = run("od", &["-c"], b"ab\n\0\x01\xff");
        assert_eq!(r.out(), "0000000   a   b  \\n  \\0 001 377\n0000006\n");
        let r = run("od", &["-t", "a"], b"a \n\0\x7f\xff");
        assert_eq!(r.out(), "0000000   a  sp  nl nul del del\n0000006\n");
        let r = run("od", &["-An", "-t", "u1"], b"\0\xff");
        assert_eq!(r.out(), "   0 255\n");
        let r = run("od", &["-t", "d2"], b"\x01\xff");
        assert_eq!(r.out(), "0000000   -255\n0000002\n");
    }

    #[test]
    fn repeats_collapse_unless_v() {
        let z = vec![0u8; 64];
        assert_eq!(
            run("od", &[], &z).out(),
            "0000000 000000 000000 000000 000000 000000 000000 000000 000000\n*\n0000100\n"
        );
        assert_eq!(run("od", &["-v"], &z).out().lines().count(), 5);
    }

    #[test]
    fn mixed_types_line_up() {
        let r = run("od", &["-Ad", "-tx1", "-tc"], b"abcde");
        assert_eq!(
            r.out(),
            "0000000  61  62  63  64  65\n          a   b   c   d   e\n0000005\n"
        );
        let r = run("od", &["-Ax", "-tx1z"], b"abcde");
        assert_eq!(
            r.out(),
            format!("000000 61 62 63 64 65{}  >abcde<\n000005\n", " ".repeat(33))
        );
    }

    #[test]
    fn skip_count_and_width() {
        assert_eq!(
            run("od", &["-j2", "-N2", "-c"], b"abcde").out(),
            "0000002   c   d\n0000004\n"
        );
        assert_eq!(
            run("od", &["-w4", "-An", "-tx1"], b"abcdef").out(),
            " 61 62 63 64\n 65 66\n"
        );
        let r = run("od", &["-j10"], b"abc");
        assert_eq!(r.status, 1);
        assert_eq!(r.err(), "od: cannot skip past end of combined input\n");
    }

    #[test]
    fn floats() {
        assert_eq!(super::format_float(0.5000076, true), "0.5000076");
        assert_eq!(super::format_float(1.6777999e22, true), "1.6777999e+22");
        assert_eq!(super::format_float(5.0, true), "5");
        assert_eq!(super::format_float(1e6, true), "1e+06");
        // Correctly rounded at the shortest exact precision (half to even), as printf.
        assert_eq!(super::format_float(3850760.25, true), "3850760.2");
        assert_eq!(super::format_float(1.875, false), "1.875");
        let r = run("od", &["-tf4"], b"\0\0\x80\x7f\0\0\xc0\xff\0\0\0\x80");
        assert_eq!(
            r.out(),
            "0000000             inf            -nan              -0\n0000014\n"
        );
    }

    #[test]
    fn every_format_handles_every_byte() {
        let data = all_bytes();
        for t in [
            "a", "c", "d1", "d2", "d4", "d8", "u1", "u2", "u4", "u8", "o1", "o2", "o4", "o8", "x1",
            "x2", "x4", "x8", "f4", "f8", "x1z",
        ] {
            let r = run("od", &["-t", t], &data);
            assert_eq!(r.status, 0, "{t}");
            assert!(r.out().ends_with("0000400\n"), "{t}");
        }
        assert_eq!(run("od", &["-t", "q"], b"").status, 1);
        assert_eq!(run("od", &["-t", "d3"], b"").status, 1);
    }
}
