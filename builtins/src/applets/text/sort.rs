//! `sort`: sort, merge or check lines of text, with keys, in the C locale's byte order.
//! Input that outgrows the memory budget is sorted in runs written to temporary files,
//! then merged (stable: ties keep input order).

use std::cmp::Ordering;
use std::fs::File;
use std::io::BufReader;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use crate::common::lines::{BUF_SIZE, Records, chomp, open};
use crate::common::num::parse_size;
use crate::prelude::*;

/// The `sort` applet.
pub const APPLET: Applet = Applet::new("sort", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .error_status(2)
    .usage("[-nrufbsdigMhVcCmz] [-k POS1[,POS2]]... [-t SEP] [-o FILE] [FILE]...")
    .help(
        "Sort lines of FILEs (standard input for - or none) and print them.\n\n\
         -b\tIgnore leading blanks\n\
         -d\tDictionary order: only blanks and alphanumerics count\n\
         -f\tFold lower case to upper case\n\
         -g\tGeneral numeric (floating point) order\n\
         -h\tHuman numbers (2K, 1G)\n\
         -i\tIgnore non-printing characters\n\
         -M\tMonth order (JAN < ... < DEC)\n\
         -n\tNumeric order\n\
         -V\tVersion order\n\
         -r\tReverse the result\n\
         -k POS1[,POS2]\tKey from field POS1 to POS2 (F[.C][OPTS], 1-based)\n\
         -t SEP\tFields are separated by SEP, not by blank runs\n\
         -u\tPrint only the first of equal lines\n\
         -s\tStable: no last-resort comparison of whole lines\n\
         -c\tCheck that the input is sorted; -C: the same, silently\n\
         -m\tMerge already sorted files\n\
         -o FILE\tWrite to FILE (may be an input)\n\
         -S SIZE\tMemory budget before temporary files are used (default 256M)\n\
         -T DIR\tTemporary directory (default $TMPDIR or /tmp)\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "ignore-leading-blanks",
    "dictionary-order",
    "ignore-case",
    "general-numeric-sort",
    "human-numeric-sort",
    "ignore-nonprinting",
    "month-sort",
    "numeric-sort",
    "version-sort",
    "reverse",
    "key",
    "field-separator",
    "unique",
    "stable",
    "check",
    "merge",
    "output",
    "buffer-size",
    "temporary-directory",
    "zero-terminated",
    "parallel",
    "sort",
];

/// How one key (or the whole line) is compared.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Order {
    skip_start: bool,
    skip_end: bool,
    dict: bool,
    fold: bool,
    nonprint: bool,
    kind: Kind,
    reverse: bool,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Text,
    Numeric,
    General,
    Human,
    Month,
    Version,
}

impl Order {
    fn is_default(&self) -> bool {
        *self == Order::default()
    }

    /// Applies one ordering letter; false if `c` is not one.
    fn set(&mut self, c: u8, end: bool) -> bool {
        match c {
            b'b' if end => self.skip_end = true,
            b'b' => self.skip_start = true,
            b'd' => self.dict = true,
            b'f' => self.fold = true,
            b'i' => self.nonprint = true,
            b'g' => self.kind = Kind::General,
            b'h' => self.kind = Kind::Human,
            b'M' => self.kind = Kind::Month,
            b'n' => self.kind = Kind::Numeric,
            b'V' => self.kind = Kind::Version,
            b'r' => self.reverse = true,
            _ => return false,
        }
        true
    }
}

/// A `-k` key: fields and characters are 0-based; `end_field == None` is end of line,
/// `end_char == 0` the end of the end field.
#[derive(Clone, Copy)]
struct Key {
    field: usize,
    chr: usize,
    end_field: Option<usize>,
    end_char: usize,
    order: Order,
}

struct Config {
    keys: Vec<Key>,
    tab: Option<u8>,
    reverse: bool,
    unique: bool,
    stable: bool,
    delim: u8,
}

fn key_error(spec: &[u8], why: &str) -> Error {
    Error::msg(format!(
        "{why}: invalid field specification '{}'",
        String::from_utf8_lossy(spec)
    ))
}

fn parse_num(s: &[u8]) -> (Option<usize>, &[u8]) {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return (None, s);
    }
    let v = std::str::from_utf8(&s[..n])
        .ok()
        .and_then(|t| t.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    (Some(v), &s[n..])
}

fn parse_key(spec: &[u8]) -> Result<Key, Error> {
    let mut order = Order::default();
    let (f, mut s) = parse_num(spec);
    let f = f.ok_or_else(|| key_error(spec, "invalid number at field start"))?;
    if f == 0 {
        return Err(key_error(spec, "field number is zero"));
    }
    let mut chr = 0;
    if let Some(rest) = s.strip_prefix(b".") {
        let (c, r) = parse_num(rest);
        let c = c.ok_or_else(|| key_error(spec, "invalid number after '.'"))?;
        if c == 0 {
            return Err(key_error(spec, "character offset is zero"));
        }
        chr = c - 1;
        s = r;
    }
    while let Some((&c, r)) = s.split_first() {
        if !order.set(c, false) {
            break;
        }
        s = r;
    }
    let (mut end_field, mut end_char) = (None, 0);
    if let Some(rest) = s.strip_prefix(b",") {
        let (e, r) = parse_num(rest);
        let e = e.ok_or_else(|| key_error(spec, "invalid number after ','"))?;
        if e == 0 {
            return Err(key_error(spec, "field number is zero"));
        }
        end_field = Some(e - 1);
        s = r;
        if let Some(rest) = s.strip_prefix(b".") {
            let (c, r) = parse_num(rest);
            end_char = c.ok_or_else(|| key_error(spec, "invalid number after '.'"))?;
            s = r;
        }
        while let Some((&c, r)) = s.split_first() {
            if !order.set(c, true) {
                break;
            }
            s = r;
        }
    }
    if !s.is_empty() {
        return Err(key_error(spec, "stray character in field spec"));
    }
    Ok(Key {
        field: f - 1,
        chr,
        end_field,
        end_char,
        order,
    })
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn skip_blanks(line: &[u8], mut p: usize) -> usize {
    while p < line.len() && is_blank(line[p]) {
        p += 1;
    }
    p
}

/// Moves past `n` fields from `p`.
fn skip_fields(line: &[u8], mut p: usize, mut n: usize, tab: Option<u8>, keep_tab: bool) -> usize {
    let lim = line.len();
    while p < lim && n > 0 {
        n -= 1;
        match tab {
            Some(t) => {
                p += memchr::memchr(t, &line[p..]).unwrap_or(lim - p);
                if p < lim && (n > 0 || keep_tab) {
                    p += 1;
                }
            }
            None => {
                p = skip_blanks(line, p);
                while p < lim && !is_blank(line[p]) {
                    p += 1;
                }
            }
        }
    }
    p
}

/// The part of `line` that `key` selects.
fn key_slice<'l>(line: &'l [u8], key: &Key, tab: Option<u8>) -> &'l [u8] {
    let lim = line.len();
    let mut beg = skip_fields(line, 0, key.field, tab, true);
    if key.order.skip_start {
        beg = skip_blanks(line, beg);
    }
    beg = beg.saturating_add(key.chr).min(lim);
    let end = match key.end_field {
        None => lim,
        Some(ef) => {
            let words = if key.end_char == 0 { ef + 1 } else { ef };
            let mut p = skip_fields(line, 0, words, tab, key.end_char != 0);
            if key.end_char != 0 {
                if key.order.skip_end {
                    p = skip_blanks(line, p);
                }
                p = p.saturating_add(key.end_char).min(lim);
            }
            p
        }
    };
    if end <= beg { &[] } else { &line[beg..end] }
}

impl Config {
    /// Compares two lines (without terminators) the way the options ask.
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        match self.keys.first() {
            Some(k) => {
                self.compare_keyed(a, key_slice(a, k, self.tab), b, key_slice(b, k, self.tab))
            }
            None => self.compare_keyed(a, a, b, b),
        }
    }

    /// Like `compare`, with the first key of each line already found (`ka`, `kb`).
    fn compare_keyed(&self, a: &[u8], ka: &[u8], b: &[u8], kb: &[u8]) -> Ordering {
        if !self.keys.is_empty() {
            for (i, key) in self.keys.iter().enumerate() {
                let (ka, kb) = if i == 0 {
                    (ka, kb)
                } else {
                    (key_slice(a, key, self.tab), key_slice(b, key, self.tab))
                };
                let mut d = compare_key(ka, kb, &key.order);
                if key.order.reverse {
                    d = d.reverse();
                }
                if d != Ordering::Equal {
                    return d;
                }
            }
            if self.unique || self.stable {
                return Ordering::Equal;
            }
        }
        let d = a.cmp(b);
        if self.reverse { d.reverse() } else { d }
    }
}

fn compare_key(a: &[u8], b: &[u8], o: &Order) -> Ordering {
    match o.kind {
        Kind::Numeric => numeric_cmp(a, b),
        Kind::General => general_cmp(a, b),
        Kind::Human => human_cmp(a, b),
        Kind::Month => month(a).cmp(&month(b)),
        Kind::Version => version_cmp(a, b),
        Kind::Text if !(o.dict || o.fold || o.nonprint) => a.cmp(b),
        Kind::Text => filtered_cmp(a, b, o),
    }
}

fn filtered_cmp(a: &[u8], b: &[u8], o: &Order) -> Ordering {
    let keep = |c: u8| {
        !(o.dict && !(c.is_ascii_alphanumeric() || is_blank(c))
            || o.nonprint && !(0x20..0x7f).contains(&c))
    };
    let map = |c: u8| if o.fold { c.to_ascii_uppercase() } else { c };
    let mut ia = a.iter().copied().filter(|&c| keep(c)).map(map);
    let mut ib = b.iter().copied().filter(|&c| keep(c)).map(map);
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x != y => return x.cmp(&y),
            _ => {}
        }
    }
}

/// A number as `-n` reads it: sign, integer digits without leading zeros, fraction
/// digits without trailing zeros.
fn split_number(s: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut p = skip_blanks(s, 0);
    let neg = s.get(p) == Some(&b'-');
    if neg {
        p += 1;
    }
    let int_start = p;
    while p < s.len() && s[p].is_ascii_digit() {
        p += 1;
    }
    let mut int = &s[int_start..p];
    while let Some((b'0', r)) = int.split_first() {
        int = r;
    }
    let mut frac: &[u8] = &[];
    if s.get(p) == Some(&b'.') {
        let f0 = p + 1;
        let mut q = f0;
        while q < s.len() && s[q].is_ascii_digit() {
            q += 1;
        }
        frac = &s[f0..q];
        while let Some((b'0', r)) = frac.split_last() {
            frac = r;
        }
    }
    (neg, int, frac)
}

fn numeric_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (na, ia, fa) = split_number(a);
    let (nb, ib, fb) = split_number(b);
    let za = ia.is_empty() && fa.is_empty();
    let zb = ib.is_empty() && fb.is_empty();
    let (na, nb) = (na && !za, nb && !zb);
    if na != nb {
        return if na {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let mag = ia
        .len()
        .cmp(&ib.len())
        .then_with(|| ia.cmp(ib))
        .then_with(|| fa.cmp(fb));
    if na { mag.reverse() } else { mag }
}

/// The longest prefix of `s` (after blanks) that reads as a floating-point number.
fn parse_float(s: &[u8]) -> Option<f64> {
    let p = skip_blanks(s, 0);
    let t = &s[p..];
    let mut end = 0;
    let mut best = None;
    // Try successively longer prefixes made of number characters.
    while end < t.len() && end < 400 && b"+-.0123456789eEinfatyINFATY".contains(&t[end]) {
        end += 1;
        if let Some(v) = std::str::from_utf8(&t[..end])
            .ok()
            .and_then(|x| x.parse::<f64>().ok())
        {
            best = Some(v);
        }
    }
    best
}

fn general_cmp(a: &[u8], b: &[u8]) -> Ordering {
    match (parse_float(a), parse_float(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        },
    }
}

fn unit_order(s: &[u8]) -> i32 {
    let p = skip_blanks(s, 0);
    let neg = s.get(p) == Some(&b'-');
    let mut q = p + usize::from(neg);
    let mut nonzero = false;
    while q < s.len() && (s[q].is_ascii_digit() || s[q] == b'.') {
        nonzero |= s[q] > b'0' && s[q] <= b'9';
        q += 1;
    }
    if !nonzero {
        return 0;
    }
    let order = match s.get(q) {
        Some(b'K' | b'k') => 1,
        Some(b'M') => 2,
        Some(b'G') => 3,
        Some(b'T') => 4,
        Some(b'P') => 5,
        Some(b'E') => 6,
        Some(b'Z') => 7,
        Some(b'Y') => 8,
        Some(b'R') => 9,
        Some(b'Q') => 10,
        _ => 0,
    };
    if neg { -order } else { order }
}

fn human_cmp(a: &[u8], b: &[u8]) -> Ordering {
    unit_order(a)
        .cmp(&unit_order(b))
        .then_with(|| numeric_cmp(a, b))
}

fn month(s: &[u8]) -> u8 {
    const MONTHS: [&[u8; 3]; 12] = [
        b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
        b"DEC",
    ];
    let p = skip_blanks(s, 0);
    let Some(t) = s.get(p..p + 3) else { return 0 };
    let up = [
        t[0].to_ascii_uppercase(),
        t[1].to_ascii_uppercase(),
        t[2].to_ascii_uppercase(),
    ];
    MONTHS
        .iter()
        .position(|m| **m == up)
        .map_or(0, |i| i as u8 + 1)
}

/// Length of `s` without a file suffix like `.tar.gz` (`(\.[A-Za-z~][A-Za-z0-9~]*)*$`).
fn prefix_len(s: &[u8]) -> usize {
    let n = s.len();
    let mut prefix = 0;
    let mut i = 0;
    while i < n {
        i += 1;
        prefix = i;
        while i + 1 < n && s[i] == b'.' && (s[i + 1].is_ascii_alphabetic() || s[i + 1] == b'~') {
            i += 2;
            while i < n && (s[i].is_ascii_alphanumeric() || s[i] == b'~') {
                i += 1;
            }
        }
    }
    prefix
}

fn ver_order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

fn ver_rev_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let (x, y) = (ver_order(a.get(i).copied()), ver_order(b.get(j).copied()));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first == Ordering::Equal {
                first = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first != Ordering::Equal {
            return first;
        }
    }
    Ordering::Equal
}

fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    match (a, b) {
        (b"", _) => return Ordering::Less,
        (_, b"") => return Ordering::Greater,
        (b".", _) => return Ordering::Less,
        (_, b".") => return Ordering::Greater,
        (b"..", _) => return Ordering::Less,
        (_, b"..") => return Ordering::Greater,
        _ => {}
    }
    let (mut a, mut b) = (a, b);
    match (a.first() == Some(&b'.'), b.first() == Some(&b'.')) {
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (true, true) => (a, b) = (&a[1..], &b[1..]),
        _ => {}
    }
    let (pa, pb) = (prefix_len(a), prefix_len(b));
    let one_pass = pa == a.len() && pb == b.len();
    let r = ver_rev_cmp(&a[..pa], &b[..pb]);
    if r != Ordering::Equal || one_pass {
        r
    } else {
        ver_rev_cmp(a, b)
    }
}

/// Removes the sort's temporary files when dropped.
struct Temps {
    dir: PathBuf,
    files: Vec<PathBuf>,
}

impl Temps {
    fn create(&mut self) -> std::io::Result<(PathBuf, File)> {
        let mut n = self.files.len();
        loop {
            let path = self
                .dir
                .join(format!("rbox-sort.{}.{n}", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(f) => {
                    self.files.push(path.clone());
                    return Ok((path, f));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1_000_000 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for Temps {
    fn drop(&mut self) {
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// Writes lines to the output, dropping repeats with `-u`.
struct Emitter<'c> {
    cfg: &'c Config,
    last: Option<Vec<u8>>,
}

impl Emitter<'_> {
    fn emit(&mut self, out: &mut dyn Write, line: &[u8]) -> std::io::Result<()> {
        if self.cfg.unique {
            if let Some(prev) = &self.last
                && self.cfg.compare(prev, line) == Ordering::Equal
            {
                return Ok(());
            }
            let last = self.last.get_or_insert_with(Vec::new);
            last.clear();
            last.extend_from_slice(line);
        }
        out.write_all(line)?;
        out.write_all(&[self.cfg.delim])
    }
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut global = Order::default();
    let mut keys = Vec::new();
    let mut tab = None;
    let (mut unique, mut stable, mut check, mut quiet_check) = (false, false, false, false);
    let mut output: Option<Vec<u8>> = None;
    let mut budget: usize = 256 << 20;
    let mut tmpdir: Option<Vec<u8>> = None;
    let mut delim = b'\n';
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short(c @ ('b' | 'd' | 'f' | 'g' | 'h' | 'i' | 'M' | 'n' | 'V' | 'r')) => {
                let c = c as u8;
                if c == b'b' {
                    global.skip_end = true;
                }
                global.set(c, false);
            }
            Arg::Long("ignore-leading-blanks") => {
                (global.skip_start, global.skip_end) = (true, true)
            }
            Arg::Long("dictionary-order") => global.dict = true,
            Arg::Long("ignore-case") => global.fold = true,
            Arg::Long("general-numeric-sort") => global.kind = Kind::General,
            Arg::Long("human-numeric-sort") => global.kind = Kind::Human,
            Arg::Long("ignore-nonprinting") => global.nonprint = true,
            Arg::Long("month-sort") => global.kind = Kind::Month,
            Arg::Long("numeric-sort") => global.kind = Kind::Numeric,
            Arg::Long("version-sort") => global.kind = Kind::Version,
            Arg::Long("reverse") => global.reverse = true,
            Arg::Long("sort") => {
                let v = opts.value()?;
                global.kind = match &v[..] {
                    b"general-numeric" => Kind::General,
                    b"human-numeric" => Kind::Human,
                    b"month" => Kind::Month,
                    b"numeric" => Kind::Numeric,
                    b"version" => Kind::Version,
                    _ => {
                        return Err(Error::usage(format!(
                            "invalid argument '{}' for '--sort'",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                };
            }
            Arg::Short('k') | Arg::Long("key") => keys.push(parse_key(&opts.value()?)?),
            Arg::Short('t') | Arg::Long("field-separator") => {
                let v = opts.value()?;
                let t = match &v[..] {
                    [c] => *c,
                    b"\\0" => 0,
                    [] => return Err(Error::msg("empty tab")),
                    _ => {
                        return Err(Error::msg(format!(
                            "multi-character tab '{}'",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                };
                if tab.is_some_and(|old| old != t) {
                    return Err(Error::msg("incompatible tabs"));
                }
                tab = Some(t);
            }
            Arg::Short('u') | Arg::Long("unique") => unique = true,
            Arg::Short('s') | Arg::Long("stable") => stable = true,
            Arg::Short('c') => check = true,
            Arg::Long("check") => {
                check = true;
                match opts.optional_value().as_deref() {
                    None | Some(b"diagnose-first") => {}
                    Some(b"quiet" | b"silent") => quiet_check = true,
                    Some(v) => {
                        return Err(Error::usage(format!(
                            "invalid argument '{}' for '--check'",
                            String::from_utf8_lossy(v)
                        )));
                    }
                }
            }
            Arg::Short('C') => (check, quiet_check) = (true, true),
            Arg::Short('m') | Arg::Long("merge") => {}
            Arg::Short('o') | Arg::Long("output") => output = Some(opts.value()?),
            Arg::Short('S') | Arg::Long("buffer-size") => {
                let v = opts.value()?;
                let n = parse_size(&v).ok_or_else(|| {
                    Error::msg(format!(
                        "invalid -S argument '{}'",
                        String::from_utf8_lossy(&v)
                    ))
                })?;
                // A bare number is KiB, as in GNU sort.
                let n = if v.last().is_some_and(u8::is_ascii_digit) {
                    n.saturating_mul(1024)
                } else {
                    n
                };
                budget = usize::try_from(n).unwrap_or(usize::MAX).max(4096);
            }
            Arg::Short('T') | Arg::Long("temporary-directory") => tmpdir = Some(opts.value()?),
            Arg::Short('z') | Arg::Long("zero-terminated") => delim = 0,
            Arg::Long("parallel") => {
                opts.value()?;
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    // Keys without ordering options of their own take the global ones.
    for k in &mut keys {
        if k.order.is_default() {
            k.order = global;
        }
    }
    if keys.is_empty() && !global.is_default() {
        keys.push(Key {
            field: 0,
            chr: 0,
            end_field: None,
            end_char: 0,
            order: global,
        });
    }
    let cfg = Config {
        keys,
        tab,
        reverse: global.reverse,
        unique,
        stable,
        delim,
    };
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    if check {
        if files.len() > 1 {
            return Err(Error::usage(format!(
                "extra operand '{}' not allowed with -c",
                String::from_utf8_lossy(&files[1])
            )));
        }
        return check_sorted(ctx, &cfg, &files[0], quiet_check);
    }
    let dir = tmpdir
        .or_else(|| {
            ctx.env
                .get(b"TMPDIR")
                .filter(|d| !d.is_empty())
                .map(<[u8]>::to_vec)
        })
        .unwrap_or_else(|| b"/tmp".to_vec());
    let mut temps = Temps {
        dir: PathBuf::from(std::ffi::OsStr::from_bytes(&dir)),
        files: Vec::new(),
    };
    // Read everything (spilling sorted runs when over budget) before any output, so -o
    // may name an input.
    let mut data: Vec<u8> = Vec::new();
    let mut runs: Vec<PathBuf> = Vec::new();
    for name in &files {
        let r = if name == b"-" {
            read_input(
                &mut ctx.stdin,
                &mut data,
                budget,
                &cfg,
                &mut temps,
                &mut runs,
            )
        } else {
            match open(name) {
                Ok(f) => {
                    let mut f = BufReader::with_capacity(BUF_SIZE, f);
                    read_input(&mut f, &mut data, budget, &cfg, &mut temps, &mut runs)
                }
                Err(e) => Err(e),
            }
        };
        if let Err(e) = r {
            let mut m = b"cannot read: ".to_vec();
            m.extend_from_slice(&crate::error::subject_reason(name, &e));
            return Err(Error::msg(m));
        }
    }
    let mut out_file;
    let out: &mut dyn Write = match &output {
        Some(path) if path != b"-" => {
            let f = File::create(std::ffi::OsStr::from_bytes(path)).map_err(|e| {
                let mut m = b"open failed: ".to_vec();
                m.extend_from_slice(&crate::error::subject_reason(path, &e));
                Error::msg(m)
            })?;
            out_file = std::io::BufWriter::with_capacity(BUF_SIZE, f);
            &mut out_file
        }
        _ => &mut ctx.stdout,
    };
    let mut em = Emitter {
        cfg: &cfg,
        last: None,
    };
    if runs.is_empty() {
        let lines = sorted_lines(&data, &cfg);
        for l in lines {
            em.emit(out, l)?;
        }
    } else {
        if !data.is_empty() {
            spill(&data, &cfg, &mut temps, &mut runs)
                .map_err(|e| Error::io(temps.dir.as_os_str().as_bytes(), &e))?;
            data = Vec::new();
        }
        drop(data);
        merge_runs(&runs, &cfg, out, &mut em).map_err(|e| Error::io(b"temporary file", &e))?;
    }
    out.flush()?;
    Ok(())
}

/// Reads `src` into `data`; whenever `data` goes over `budget`, sorts it into a run file.
fn read_input(
    src: &mut dyn BufRead,
    data: &mut Vec<u8>,
    budget: usize,
    cfg: &Config,
    temps: &mut Temps,
    runs: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    // A previous input without a final terminator gets one.
    if data.last().is_some_and(|&b| b != cfg.delim) {
        data.push(cfg.delim);
    }
    loop {
        let avail = src.fill_buf()?;
        if avail.is_empty() {
            break;
        }
        let n = avail.len();
        data.extend_from_slice(avail);
        src.consume(n);
        // Index entries cost about as much as 16 bytes per line: budget for both.
        if data.len() + data.len() / 4 > budget {
            // Spill complete lines only; keep a partial last line.
            let cut = memchr::memrchr(cfg.delim, data).map_or(0, |i| i + 1);
            if cut > 0 {
                spill(&data[..cut], cfg, temps, runs)?;
                data.drain(..cut);
            }
        }
    }
    if data.last().is_some_and(|&b| b != cfg.delim) {
        data.push(cfg.delim);
    }
    Ok(())
}

/// The lines of `data` (each ending in the delimiter), sorted.
fn sorted_lines<'d>(data: &'d [u8], cfg: &Config) -> Vec<&'d [u8]> {
    let mut lines: Vec<&[u8]> = Vec::with_capacity(data.len() / 32 + 16);
    let mut start = 0;
    for i in memchr::memchr_iter(cfg.delim, data) {
        lines.push(&data[start..i]);
        start = i + 1;
    }
    if start < data.len() {
        lines.push(&data[start..]);
    }
    let Some(first) = cfg.keys.first() else {
        if cfg.reverse {
            lines.sort_by(|a, b| b.cmp(a));
        } else {
            lines.sort();
        }
        return lines;
    };
    {
        // Find each line's first key once, not in every comparison.
        let mut keyed: Vec<(&[u8], &[u8])> = lines
            .into_iter()
            .map(|l| (l, key_slice(l, first, cfg.tab)))
            .collect();
        keyed.sort_by(|a, b| cfg.compare_keyed(a.0, a.1, b.0, b.1));
        keyed.into_iter().map(|(l, _)| l).collect()
    }
}

fn spill(
    data: &[u8],
    cfg: &Config,
    temps: &mut Temps,
    runs: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let (path, f) = temps.create()?;
    let mut w = std::io::BufWriter::with_capacity(BUF_SIZE, f);
    for l in sorted_lines(data, cfg) {
        w.write_all(l)?;
        w.write_all(&[cfg.delim])?;
    }
    w.flush()?;
    runs.push(path);
    Ok(())
}

/// Merges sorted run files; ties go to the earlier run, which keeps the sort stable.
fn merge_runs(
    runs: &[PathBuf],
    cfg: &Config,
    out: &mut dyn Write,
    em: &mut Emitter<'_>,
) -> std::io::Result<()> {
    let mut readers = Vec::with_capacity(runs.len());
    for r in runs {
        readers.push(BufReader::with_capacity(64 * 1024, File::open(r)?));
    }
    let mut recs: Vec<Records<'_>> = readers
        .iter_mut()
        .map(|r| Records::new(r, cfg.delim))
        .collect();
    let mut heads: Vec<Option<Vec<u8>>> = Vec::with_capacity(recs.len());
    for r in &mut recs {
        heads.push(r.next_record()?.map(|l| chomp(l, cfg.delim).to_vec()));
    }
    loop {
        let mut best: Option<usize> = None;
        for (i, h) in heads.iter().enumerate() {
            let Some(line) = h else { continue };
            best = match best {
                Some(b) => match &heads[b] {
                    Some(bl) if cfg.compare(line, bl) == Ordering::Less => Some(i),
                    _ => Some(b),
                },
                None => Some(i),
            };
        }
        let Some(b) = best else { return Ok(()) };
        if let Some(line) = &heads[b] {
            em.emit(out, line)?;
        }
        let next = recs
            .get_mut(b)
            .map(|r| r.next_record())
            .transpose()?
            .flatten();
        match (next, heads.get_mut(b)) {
            (Some(l), Some(Some(h))) => {
                h.clear();
                h.extend_from_slice(chomp(l, cfg.delim));
            }
            (_, Some(h)) => *h = None,
            _ => return Ok(()),
        }
    }
}

fn check_sorted(ctx: &mut Ctx<'_>, cfg: &Config, name: &[u8], quiet: bool) -> Result<(), Error> {
    let mut file;
    let src: &mut dyn BufRead = if name == b"-" {
        &mut ctx.stdin
    } else {
        file = BufReader::with_capacity(
            BUF_SIZE,
            open(name).map_err(|e| {
                let mut m = b"cannot read: ".to_vec();
                m.extend_from_slice(&crate::error::subject_reason(name, &e));
                Error::msg(m)
            })?,
        );
        &mut file
    };
    let mut recs = Records::new(src, cfg.delim);
    let mut prev: Option<Vec<u8>> = None;
    let mut n: u64 = 0;
    while let Some(rec) = recs.next_record()? {
        n += 1;
        let line = chomp(rec, cfg.delim);
        if let Some(p) = &prev {
            let d = cfg.compare(p, line);
            if d == Ordering::Greater || (cfg.unique && d == Ordering::Equal) {
                if !quiet {
                    let mut m = format!("sort: {}:{n}: disorder: ", String::from_utf8_lossy(name))
                        .into_bytes();
                    m.extend_from_slice(line);
                    m.push(b'\n');
                    let _ = ctx.stderr.write_all(&m);
                }
                return Err(Error::silent(1));
            }
        }
        let p = prev.get_or_insert_with(Vec::new);
        p.clear();
        p.extend_from_slice(line);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    fn sort(args: &[&str], input: &str) -> String {
        run("sort", args, input.as_bytes()).out()
    }

    #[test]
    fn plain_byte_order() {
        assert_eq!(sort(&[], "b\na\nB\n\nab\n"), "\nB\na\nab\nb\n");
        assert_eq!(sort(&["-r"], "b\na\nc"), "c\nb\na\n");
        assert_eq!(sort(&[], ""), "");
        assert_eq!(
            run("sort", &[], b"\xff\n\x00x\na\n").stdout,
            b"\x00x\na\n\xff\n"
        );
    }

    #[test]
    fn numeric() {
        assert_eq!(
            sort(&["-n"], "10\n9\n-1\n 2\n1.5\nx\n-0\n0\n"),
            "-1\n-0\n0\nx\n1.5\n 2\n9\n10\n"
        );
        assert_eq!(sort(&["-n"], "1,000\n2\n"), "1,000\n2\n");
        assert_eq!(sort(&["-n", "-r"], "1\n3\n2\n"), "3\n2\n1\n");
        assert_eq!(sort(&["-n"], "-10\n-9\n-9.5\n"), "-10\n-9.5\n-9\n");
        assert_eq!(sort(&["-n"], "007\n7.0\n6.99\n"), "6.99\n007\n7.0\n");
    }

    #[test]
    fn general_human_month_version() {
        assert_eq!(
            sort(&["-g"], "1e3\n2\nx\n-inf\n0.5\n"),
            "x\n-inf\n0.5\n2\n1e3\n"
        );
        assert_eq!(sort(&["-h"], "1G\n2K\n3M\n1K\n5\n"), "5\n1K\n2K\n3M\n1G\n");
        assert_eq!(
            sort(&["-M"], "mar\nFeb\nxyz\njan\n"),
            "xyz\njan\nFeb\nmar\n"
        );
        assert_eq!(
            sort(&["-V"], "a10\na9\na1.2\na1.10\n"),
            "a1.2\na1.10\na9\na10\n"
        );
        assert_eq!(sort(&["-V"], "1.0~rc1\n1.0\n"), "1.0~rc1\n1.0\n");
    }

    #[test]
    fn keys_and_separators() {
        let data = "b 2 x\na 10 y\nc 1 z\n";
        assert_eq!(sort(&["-k2n"], data), "c 1 z\nb 2 x\na 10 y\n");
        assert_eq!(sort(&["-k2,2n", "-r"], data), "c 1 z\nb 2 x\na 10 y\n");
        assert_eq!(sort(&["-k2,2nr"], data), "a 10 y\nb 2 x\nc 1 z\n");
        assert_eq!(sort(&["-k3r"], data), "c 1 z\na 10 y\nb 2 x\n");
        assert_eq!(sort(&["-t:", "-k2"], "x:b\ny:a\n"), "y:a\nx:b\n");
        assert_eq!(
            sort(&["-t", ":", "-k1.2,1.2"], "ab:1\nba:2\naa:3\n"),
            "aa:3\nba:2\nab:1\n"
        );
        // Leading blanks belong to the field unless -b.
        assert_eq!(sort(&["-k2"], "a  b\nb c\n"), "a  b\nb c\n");
        assert_eq!(sort(&["-k2b"], "x  c\ny b\n"), "y b\nx  c\n");
        // Last resort: the whole line, unless -s.
        assert_eq!(sort(&["-k1,1"], "a 2\na 1\n"), "a 1\na 2\n");
        assert_eq!(sort(&["-s", "-k1,1"], "a 2\na 1\n"), "a 2\na 1\n");
        assert_eq!(sort(&["-k2,2", "-t,"], "1\n2,\n"), "1\n2,\n");
    }

    #[test]
    fn unique_fold_dict() {
        assert_eq!(sort(&["-u"], "b\na\nb\na\n"), "a\nb\n");
        assert_eq!(sort(&["-u", "-k1,1"], "a 2\na 1\nb 0\n"), "a 2\nb 0\n");
        assert_eq!(sort(&["-f"], "b\nA\na\nB\n"), "A\na\nB\nb\n");
        assert_eq!(sort(&["-fu"], "b\nA\na\n"), "A\nb\n");
        assert_eq!(sort(&["-d"], "-b\na\n"), "a\n-b\n");
    }

    #[test]
    fn check_and_zero() {
        let r = run("sort", &["-c"], b"a\nc\nb\n");
        assert_eq!((r.status, r.err()), (1, "sort: -:3: disorder: b\n".into()));
        let r = run("sort", &["-C"], b"a\nc\nb\n");
        assert_eq!((r.status, r.err()), (1, String::new()));
        assert_eq!(run("sort", &["-c"], b"a\nb\n").status, 0);
        assert_eq!(run("sort", &["-cu"], b"a\na\n").status, 1);
        assert_eq!(run("sort", &["-z"], b"b\0a\nx\0").stdout, b"a\nx\0b\0");
    }

    #[test]
    fn errors() {
        let r = run("sort", &["/nonexistent/f"], b"");
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            "sort: cannot read: /nonexistent/f: No such file or directory\n"
        );
        let r = run("sort", &["-k", "0"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                2,
                "sort: field number is zero: invalid field specification '0'\n".into()
            )
        );
        assert_eq!(run("sort", &["-k", "1.0"], b"").status, 2);
        assert_eq!(
            run("sort", &["-t", "ab"], b"").err(),
            "sort: multi-character tab 'ab'\n"
        );
        assert_eq!(run("sort", &["-Q"], b"").status, 2);
    }

    #[test]
    fn files_output_and_external_merge() {
        let dir = temp_dir("sort-files");
        let a = dir.join("a");
        std::fs::write(&a, "3\n1\n2").unwrap();
        let a = a.to_str().unwrap();
        let r = run("sort", &["-o", a, a, "-"], b"0\n");
        assert_eq!((r.status, r.out()), (0, String::new()));
        assert_eq!(std::fs::read_to_string(a).unwrap(), "0\n1\n2\n3\n");
        // A tiny budget forces sorted runs in temporary files and a merge.
        let mut input = String::new();
        for i in 0..20_000u32 {
            input.push_str(&format!("{} {}\n", (i * 7919) % 1000, i));
        }
        let mut want: Vec<&str> = input.lines().collect();
        want.sort_by_key(|l| l.split(' ').next().unwrap().parse::<u32>().unwrap());
        let want: String = want.iter().map(|l| format!("{l}\n")).collect();
        let tmp = dir.to_str().unwrap();
        let r = run(
            "sort",
            &["-S", "8K", "-T", tmp, "-s", "-n", "-k1,1"],
            input.as_bytes(),
        );
        assert_eq!(r.out(), want);
        // Temporary files are gone.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn long_lines() {
        let a = "x".repeat(200_000);
        let b = "w".repeat(150_000);
        let r = sort(&[], &format!("{a}\n{b}\n"));
        assert_eq!(r, format!("{b}\n{a}\n"));
    }
}
