//! Calendar arithmetic, time zones and strftime, in Rust (no libc localtime: a static
//! glibc would reach for locale and tz machinery that an empty root lacks).
//!
//! - [`days_from_civil`] / [`civil_from_days`]: proleptic Gregorian dates <-> day numbers.
//! - [`Tz`]: a time zone from `TZ` ([`Tz::from_env`]): TZif files (v1, or the 64-bit
//!   section and footer of v2+), POSIX TZ strings (`EST5EDT,M3.2.0,M11.1.0`), UTC.
//! - [`localtime`] / [`gmtime`] -> [`Tm`]; [`mktime`] back; [`strftime`] with GNU's
//!   conversions and flags; [`parse_date`] for `date -d` and `touch -d`.

use std::path::Path;

use crate::ctx::Env;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The day number (days since 1970-01-01) of year `y`, month `m` (1-12), day `d` (1-31).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month 1-12, day 1-31) of day number `z` (days since 1970-01-01).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Whether `y` is a Gregorian leap year.
pub fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// The number of days in month `m` (1-12) of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A broken-down time, as `struct tm` holds it (plus the epoch and nanoseconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tm {
    /// The full year (1970, -1, 10000).
    pub year: i64,
    /// Month, 1-12.
    pub mon: u32,
    /// Day of the month, 1-31.
    pub mday: u32,
    /// Hour, 0-23.
    pub hour: u32,
    /// Minute, 0-59.
    pub min: u32,
    /// Second, 0-59.
    pub sec: u32,
    /// Nanoseconds, 0-999999999 (for `%N`; the caller fills it in).
    pub nsec: u32,
    /// Day of the week, 0 = Sunday.
    pub wday: u32,
    /// Day of the year, 0-365.
    pub yday: u32,
    /// Whether daylight saving time is in effect.
    pub isdst: bool,
    /// Offset from UTC in seconds, east positive.
    pub gmtoff: i32,
    /// The zone abbreviation (`CET`, `EDT`, `+03`).
    pub zone: Vec<u8>,
    /// Seconds since the epoch this time stands for.
    pub epoch: i64,
}

/// One kind of local time: offset, DST flag, abbreviation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LocalType {
    off: i32,
    dst: bool,
    abbr: Vec<u8>,
}

/// When a POSIX TZ rule switches: `Jn`, `n` or `Mm.w.d`, at `time` seconds local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateRule {
    /// `Jn`: day 1-365, February 29 never counted.
    Julian(u32),
    /// `n`: day 0-365, counting February 29.
    Zero(u32),
    /// `Mm.w.d`: day `d` (0 = Sunday) of week `w` (1-5, 5 = last) of month `m`.
    Month(u32, u32, u32),
}

/// A switch date and the local time of day (seconds) it happens at.
type Switch = (DateRule, i32);

/// The rule part of a POSIX TZ string.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    std: LocalType,
    /// The DST type with its start and end (rule, seconds after local midnight).
    dst: Option<(LocalType, Switch, Switch)>,
}

/// A time zone: TZif transitions, then a POSIX rule for times past the last one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tz {
    trans: Vec<i64>,
    idx: Vec<u8>,
    types: Vec<LocalType>,
    rule: Option<Rule>,
}

impl Tz {
    /// Coordinated Universal Time, abbreviated `UTC`.
    pub fn utc() -> Tz {
        Tz::fixed(0, b"UTC")
    }

    fn fixed(off: i32, abbr: &[u8]) -> Tz {
        Tz {
            trans: Vec::new(),
            idx: Vec::new(),
            types: Vec::new(),
            rule: Some(Rule {
                std: LocalType {
                    off,
                    dst: false,
                    abbr: abbr.to_vec(),
                },
                dst: None,
            }),
        }
    }

    /// The zone `TZ` names, as glibc reads it: unset means /etc/localtime (UTC if it is
    /// missing); empty means UTC; otherwise a zone file (with or without a leading `:`,
    /// under `$TZDIR` or /usr/share/zoneinfo unless absolute), else a POSIX TZ string,
    /// else UTC under the name's leading letters.
    pub fn from_env(env: &dyn Env) -> Tz {
        match env.get(b"TZ") {
            None => Tz::from_file(Path::new("/etc/localtime")).unwrap_or_else(Tz::utc),
            Some(v) => {
                let dir = env.get(b"TZDIR").unwrap_or(b"/usr/share/zoneinfo");
                Tz::from_tz_value(v, dir)
            }
        }
    }

    /// The zone for a `TZ` value, with zone files looked up under `dir`.
    pub fn from_tz_value(value: &[u8], dir: &[u8]) -> Tz {
        let name = value.strip_prefix(b":").unwrap_or(value);
        if name.is_empty() {
            return Tz::utc();
        }
        let mut path = Vec::new();
        if !name.starts_with(b"/") {
            path.extend_from_slice(dir);
            path.push(b'/');
        }
        path.extend_from_slice(name);
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(&path));
        if let Some(tz) = Tz::from_file(path) {
            return tz;
        }
        if let Some(tz) = Tz::posix(name) {
            return tz;
        }
        let letters = name.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        match name.get(..letters) {
            Some(abbr) if letters >= 3 => Tz::fixed(0, abbr),
            _ => Tz::utc(),
        }
    }

    /// A zone read from a TZif file; `None` if it is missing or malformed.
    pub fn from_file(path: &Path) -> Option<Tz> {
        if path.is_dir() {
            return None;
        }
        Tz::from_tzif(&std::fs::read(path).ok()?)
    }

    /// A zone parsed from TZif data (RFC 8536): the 64-bit section and footer of a
    /// version 2+ file, or the 32-bit section of a version 1 file. Leap seconds ignored.
    pub fn from_tzif(data: &[u8]) -> Option<Tz> {
        let (v1, rest) = tzif_block(data, 4)?;
        if data.get(4).copied().unwrap_or(0) < b'2' {
            return Some(v1);
        }
        let block_len = rest;
        let tail = data.get(block_len..)?;
        let (mut tz, used) = tzif_block(tail, 8)?;
        let footer = tail.get(used..).unwrap_or_default();
        if let Some(text) = footer.strip_prefix(b"\n") {
            let end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
            let spec = text.get(..end).unwrap_or_default();
            if !spec.is_empty() {
                tz.rule = parse_posix(spec);
            }
        }
        Some(tz)
    }

    /// A zone from a POSIX TZ string such as `EST5EDT,M3.2.0,M11.1.0`, `<+03>-3`,
    /// `UTC0` or `CET-1CEST` (US rules when a DST zone has none).
    pub fn posix(spec: &[u8]) -> Option<Tz> {
        Some(Tz {
            trans: Vec::new(),
            idx: Vec::new(),
            types: Vec::new(),
            rule: Some(parse_posix(spec)?),
        })
    }

    /// The local time type in effect at `t` (seconds since the epoch).
    fn lookup(&self, t: i64) -> LocalType {
        let after_last = self.trans.last().is_none_or(|&last| t >= last);
        if after_last && let Some(rule) = &self.rule {
            return rule_lookup(rule, t);
        }
        if self.trans.first().is_none_or(|&first| t < first) {
            // Before the first transition: the first non-DST type, else type 0.
            let first = self.types.iter().find(|ty| !ty.dst).or(self.types.first());
            return first.cloned().unwrap_or(LocalType {
                off: 0,
                dst: false,
                abbr: b"UTC".to_vec(),
            });
        }
        let i = self.trans.partition_point(|&x| x <= t).saturating_sub(1);
        let ty = self.idx.get(i).copied().unwrap_or(0) as usize;
        self.types.get(ty).cloned().unwrap_or(LocalType {
            off: 0,
            dst: false,
            abbr: b"UTC".to_vec(),
        })
    }

    /// The offset from UTC in seconds (east positive) at `t`.
    pub fn offset_at(&self, t: i64) -> i32 {
        self.lookup(t).off
    }
}

/// Reads one TZif header and data block whose transition times are `tsize` bytes wide;
/// gives the zone and the number of bytes used (header included).
fn tzif_block(data: &[u8], tsize: usize) -> Option<(Tz, usize)> {
    if data.get(..4)? != b"TZif" {
        return None;
    }
    let count = |i: usize| -> Option<usize> {
        let b = data.get(20 + 4 * i..24 + 4 * i)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let (isut, isstd, leap, timecnt, typecnt, charcnt) = (
        count(0)?,
        count(1)?,
        count(2)?,
        count(3)?,
        count(4)?,
        count(5)?,
    );
    let mut p = 44usize;
    let mut take = |n: usize| -> Option<&[u8]> {
        let s = data.get(p..p.checked_add(n)?)?;
        p += n;
        Some(s)
    };
    let times = take(timecnt.checked_mul(tsize)?)?;
    let idx = take(timecnt)?.to_vec();
    let types_raw = take(typecnt.checked_mul(6)?)?;
    let chars = take(charcnt)?;
    take(leap.checked_mul(tsize + 4)?)?;
    take(isstd)?;
    take(isut)?;
    let trans = times
        .chunks_exact(tsize)
        .map(|c| {
            if tsize == 8 {
                i64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])
            } else {
                i64::from(i32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            }
        })
        .collect();
    let types = types_raw
        .chunks_exact(6)
        .map(|c| {
            let start = c[5] as usize;
            let abbr = chars.get(start..).unwrap_or_default();
            let end = abbr.iter().position(|&b| b == 0).unwrap_or(abbr.len());
            LocalType {
                off: i32::from_be_bytes([c[0], c[1], c[2], c[3]]),
                dst: c[4] != 0,
                abbr: abbr.get(..end).unwrap_or_default().to_vec(),
            }
        })
        .collect();
    Some((
        Tz {
            trans,
            idx,
            types,
            rule: None,
        },
        p,
    ))
}

/// Parses a POSIX TZ string: `std offset [dst [offset] [,start[/time],end[/time]]]`.
fn parse_posix(s: &[u8]) -> Option<Rule> {
    let mut p = Cursor { s, i: 0 };
    let std_name = p.zone_name()?;
    let std_off = -p.offset()?;
    let std = LocalType {
        off: std_off,
        dst: false,
        abbr: std_name,
    };
    if p.done() {
        return Some(Rule { std, dst: None });
    }
    let dst_name = p.zone_name()?;
    let dst_off = if p.peek().is_some_and(|b| b != b',') {
        -p.offset()?
    } else {
        std_off + 3600
    };
    let dst = LocalType {
        off: dst_off,
        dst: true,
        abbr: dst_name,
    };
    let (start, end) = if p.done() {
        (
            (DateRule::Month(3, 2, 0), 7200),
            (DateRule::Month(11, 1, 0), 7200),
        )
    } else {
        p.expect(b',')?;
        let start = p.date_rule()?;
        p.expect(b',')?;
        let end = p.date_rule()?;
        (start, end)
    };
    if !p.done() {
        return None;
    }
    Some(Rule {
        std,
        dst: Some((dst, start, end)),
    })
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn expect(&mut self, b: u8) -> Option<()> {
        (self.peek() == Some(b)).then(|| self.i += 1)
    }
    fn zone_name(&mut self) -> Option<Vec<u8>> {
        let start = self.i;
        if self.peek() == Some(b'<') {
            let len = self.s.get(start..)?.iter().position(|&b| b == b'>')?;
            self.i = start + len + 1;
            let name = self.s.get(start + 1..start + len)?;
            return (name.len() >= 3).then(|| name.to_vec());
        }
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.i += 1;
        }
        let name = self.s.get(start..self.i)?;
        (name.len() >= 3).then(|| name.to_vec())
    }
    fn number(&mut self) -> Option<i32> {
        let start = self.i;
        let mut n: i32 = 0;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            n = n.checked_mul(10)?.checked_add(i32::from(b - b'0'))?;
            self.i += 1;
        }
        (self.i > start).then_some(n)
    }
    /// `[+-]hh[:mm[:ss]]` as seconds (POSIX sign: west positive).
    fn offset(&mut self) -> Option<i32> {
        let neg = match self.peek() {
            Some(b'-') => {
                self.i += 1;
                true
            }
            Some(b'+') => {
                self.i += 1;
                false
            }
            _ => false,
        };
        let h = self.number()?;
        if h > 167 {
            return None;
        }
        let mut secs = h * 3600;
        if self.expect(b':').is_some() {
            secs += self.number()?.min(59) * 60;
            if self.expect(b':').is_some() {
                secs += self.number()?.min(59);
            }
        }
        Some(if neg { -secs } else { secs })
    }
    fn date_rule(&mut self) -> Option<Switch> {
        let rule = match self.peek()? {
            b'J' => {
                self.i += 1;
                DateRule::Julian(self.number()?.clamp(1, 365) as u32)
            }
            b'M' => {
                self.i += 1;
                let m = self.number()?;
                self.expect(b'.')?;
                let w = self.number()?;
                self.expect(b'.')?;
                let d = self.number()?;
                if !(1..=12).contains(&m) || !(1..=5).contains(&w) || !(0..=6).contains(&d) {
                    return None;
                }
                DateRule::Month(m as u32, w as u32, d as u32)
            }
            _ => DateRule::Zero(self.number()?.clamp(0, 365) as u32),
        };
        let time = if self.expect(b'/').is_some() {
            self.offset()?
        } else {
            7200
        };
        Some((rule, time))
    }
}

/// The day number on which `rule` falls in year `y`.
fn rule_day(rule: DateRule, y: i64) -> i64 {
    let jan1 = days_from_civil(y, 1, 1);
    match rule {
        DateRule::Julian(n) => {
            let n = i64::from(n) - 1;
            jan1 + n + i64::from(is_leap(y) && n >= 59)
        }
        DateRule::Zero(n) => jan1 + i64::from(n),
        DateRule::Month(m, w, d) => {
            let first = days_from_civil(y, m, 1);
            let wday1 = (first + 4).rem_euclid(7);
            let mut mday = 1 + (i64::from(d) - wday1).rem_euclid(7) + 7 * (i64::from(w) - 1);
            while mday > i64::from(days_in_month(y, m)) {
                mday -= 7;
            }
            first + mday - 1
        }
    }
}

fn rule_lookup(rule: &Rule, t: i64) -> LocalType {
    let Some((dst, start, end)) = &rule.dst else {
        return rule.std.clone();
    };
    // As glibc: the switches of the UTC year of `t`; before 1970 none have happened yet.
    let (y, _, _) = civil_from_days(t.div_euclid(DAY));
    let s = rule_day(start.0, y) * DAY + i64::from(start.1) - i64::from(rule.std.off);
    let e = rule_day(end.0, y) * DAY + i64::from(end.1) - i64::from(dst.off);
    let in_dst = if y < 1970 {
        s > e
    } else if s < e {
        (s..e).contains(&t)
    } else {
        // Southern hemisphere: DST spans new year.
        !(e..s).contains(&t)
    };
    if in_dst {
        dst.clone()
    } else {
        rule.std.clone()
    }
}

/// The broken-down time of `t` in zone `tz` (nanoseconds 0).
pub fn localtime(t: i64, tz: &Tz) -> Tm {
    let ty = tz.lookup(t);
    let mut tm = breakdown(t, ty.off);
    tm.isdst = ty.dst;
    tm.zone = ty.abbr;
    tm
}

/// The broken-down time of `t` in UTC.
pub fn gmtime(t: i64) -> Tm {
    let mut tm = breakdown(t, 0);
    tm.zone = b"UTC".to_vec();
    tm
}

fn breakdown(t: i64, off: i32) -> Tm {
    let local = t.saturating_add(i64::from(off));
    let days = local.div_euclid(DAY);
    let secs = local.rem_euclid(DAY) as u32;
    let (year, mon, mday) = civil_from_days(days);
    Tm {
        year,
        mon,
        mday,
        hour: secs / 3600,
        min: secs / 60 % 60,
        sec: secs % 60,
        nsec: 0,
        wday: (days + 4).rem_euclid(7) as u32,
        yday: (days - days_from_civil(year, 1, 1)) as u32,
        isdst: false,
        gmtoff: off,
        zone: Vec::new(),
        epoch: t,
    }
}

/// Local civil time fields, any of which may be out of range (`mon` 13 is January of the
/// next year, `mday` 0 the last day of the previous month), as mktime takes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Civil {
    /// Year.
    pub year: i64,
    /// Month, nominally 1-12.
    pub mon: i64,
    /// Day of the month, nominally 1-31.
    pub mday: i64,
    /// Hour.
    pub hour: i64,
    /// Minute.
    pub min: i64,
    /// Second.
    pub sec: i64,
}

impl Civil {
    /// The fields of `tm`.
    pub fn of(tm: &Tm) -> Civil {
        Civil {
            year: tm.year,
            mon: i64::from(tm.mon),
            mday: i64::from(tm.mday),
            hour: i64::from(tm.hour),
            min: i64::from(tm.min),
            sec: i64::from(tm.sec),
        }
    }

    /// Seconds since the epoch if these fields were UTC (normalized).
    pub fn as_utc(&self) -> Option<i64> {
        let m0 = self.mon.checked_sub(1)?;
        let year = self.year.checked_add(m0.div_euclid(12))?;
        if !(-1_000_000_000..=1_000_000_000).contains(&year) {
            return None;
        }
        let mon = m0.rem_euclid(12) as u32 + 1;
        let days = days_from_civil(year, mon, 1).checked_add(self.mday.checked_sub(1)?)?;
        days.checked_mul(DAY)?
            .checked_add(self.hour.checked_mul(3600)?)?
            .checked_add(self.min.checked_mul(60)?)?
            .checked_add(self.sec)
    }
}

/// Seconds since the epoch of local time `c` in `tz`; `None` for a time skipped by a
/// forward change (as GNU date rejects `02:30` on a spring-forward day) or out of range.
/// An ambiguous time (a backward change) gives the earlier instant.
pub fn mktime(c: &Civil, tz: &Tz) -> Option<i64> {
    let local = c.as_utc()?;
    let mut best: Option<i64> = None;
    // Candidate offsets: those in effect a day either side of the guess.
    for probe in [local - DAY, local, local + DAY] {
        let off = i64::from(tz.offset_at(probe));
        let t = local - off;
        if i64::from(tz.offset_at(t)) == off && best.is_none_or(|b| t < b) {
            best = Some(t);
        }
    }
    best
}

/// Formats `tm` by `fmt` with GNU date's strftime: every C-locale conversion, the flags
/// `- _ 0 ^ #`, field widths, `E`/`O` modifiers (ignored), `%N`, `%q`, `%:z %::z %:::z`.
/// Unknown conversions are copied as they stand.
pub fn strftime(fmt: &[u8], tm: &Tm) -> Vec<u8> {
    let mut out = Vec::with_capacity(fmt.len() + 16);
    strftime_into(&mut out, fmt, tm);
    out
}

/// Cap on field widths, so `%999999999d` cannot exhaust memory.
const MAX_WIDTH: usize = 4096;

#[derive(Clone, Copy)]
struct Spec {
    flag: Option<u8>,
    upper: bool,
    swap: bool,
    width: Option<usize>,
}

/// Appends `tm` formatted by `fmt` to `out` (see [`strftime`]).
pub fn strftime_into(out: &mut Vec<u8>, fmt: &[u8], tm: &Tm) {
    let mut i = 0;
    while let Some(&b) = fmt.get(i) {
        i += 1;
        if b != b'%' {
            out.push(b);
            continue;
        }
        let start = i - 1;
        let mut spec = Spec {
            flag: None,
            upper: false,
            swap: false,
            width: None,
        };
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' | b'_' | b'0' | b'+' => spec.flag = Some(f),
                b'^' => spec.upper = true,
                b'#' => spec.swap = true,
                _ => break,
            }
            i += 1;
        }
        while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
            let w = spec.width.unwrap_or(0) * 10 + usize::from(d - b'0');
            spec.width = Some(w.min(MAX_WIDTH));
            i += 1;
        }
        while matches!(fmt.get(i), Some(b'E' | b'O')) {
            i += 1;
        }
        let mut colons = 0;
        while fmt.get(i) == Some(&b':') {
            colons += 1;
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            out.extend_from_slice(fmt.get(start..).unwrap_or_default());
            break;
        };
        i += 1;
        if colons > 0 && conv != b'z' || colons > 3 {
            out.extend_from_slice(fmt.get(start..i).unwrap_or_default());
            continue;
        }
        convert(
            out,
            conv,
            colons,
            spec,
            tm,
            fmt.get(start..i).unwrap_or_default(),
        );
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn day_name(tm: &Tm) -> &'static str {
    DAYS.get(tm.wday as usize).copied().unwrap_or("?")
}

fn month_name(tm: &Tm) -> &'static str {
    MONTHS
        .get((tm.mon as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// The ISO 8601 week-based year and week number (1-53) of `tm`.
pub fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday_mon = i64::from((tm.wday + 6) % 7);
    let w = (i64::from(tm.yday) - wday_mon + 10).div_euclid(7);
    if w < 1 {
        (tm.year - 1, iso_weeks_in(tm.year - 1))
    } else if w > i64::from(iso_weeks_in(tm.year)) {
        (tm.year + 1, 1)
    } else {
        (tm.year, w as u32)
    }
}

fn iso_weeks_in(y: i64) -> u32 {
    let p = |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
    if p(y) == 4 || p(y - 1) == 3 { 53 } else { 52 }
}

fn convert(out: &mut Vec<u8>, conv: u8, colons: usize, spec: Spec, tm: &Tm, raw: &[u8]) {
    let hour12 = if tm.hour.is_multiple_of(12) {
        12
    } else {
        tm.hour % 12
    };
    let num = |out: &mut Vec<u8>, v: i64, w: usize, pad: u8| number(out, v, w, pad, spec, b"");
    match conv {
        b'a' => text(out, day_name(tm).get(..3).unwrap_or_default(), spec, true),
        b'A' => text(out, day_name(tm), spec, true),
        b'b' | b'h' => text(out, month_name(tm).get(..3).unwrap_or_default(), spec, true),
        b'B' => text(out, month_name(tm), spec, true),
        b'c' => composite(out, b"%a %b %e %H:%M:%S %Y", spec, tm),
        b'C' => num(out, tm.year.div_euclid(100), 2, b'0'),
        b'd' => num(out, i64::from(tm.mday), 2, b'0'),
        b'D' | b'x' => composite(out, b"%m/%d/%y", spec, tm),
        b'e' => num(out, i64::from(tm.mday), 2, b' '),
        b'F' => composite(out, b"%+4Y-%m-%d", spec, tm),
        b'g' => num(out, (iso_week(tm).0 % 100).abs(), 2, b'0'),
        b'G' => num(out, iso_week(tm).0, 4, b'0'),
        b'H' => num(out, i64::from(tm.hour), 2, b'0'),
        b'I' => num(out, i64::from(hour12), 2, b'0'),
        b'j' => num(out, i64::from(tm.yday) + 1, 3, b'0'),
        b'k' => num(out, i64::from(tm.hour), 2, b' '),
        b'l' => num(out, i64::from(hour12), 2, b' '),
        b'm' => num(out, i64::from(tm.mon), 2, b'0'),
        b'M' => num(out, i64::from(tm.min), 2, b'0'),
        b'n' => text(out, "\n", spec, false),
        b't' => text(out, "\t", spec, false),
        b'N' => nanos(out, tm.nsec, spec),
        b'p' | b'P' => {
            let s = if tm.hour < 12 { "AM" } else { "PM" };
            let lower = conv == b'P' || spec.swap;
            let s = if lower {
                s.to_ascii_lowercase()
            } else {
                s.to_string()
            };
            text(
                out,
                &s,
                Spec {
                    swap: false,
                    ..spec
                },
                false,
            );
        }
        b'q' => num(out, i64::from(tm.mon.div_ceil(3)), 1, b'0'),
        b'r' => composite(out, b"%I:%M:%S %p", spec, tm),
        b'R' => composite(out, b"%H:%M", spec, tm),
        b's' => num(out, tm.epoch, 1, b'0'),
        b'S' => num(out, i64::from(tm.sec), 2, b'0'),
        b'T' | b'X' => composite(out, b"%H:%M:%S", spec, tm),
        b'u' => num(out, i64::from((tm.wday + 6) % 7 + 1), 1, b'0'),
        b'U' => num(out, i64::from((tm.yday + 7 - tm.wday) / 7), 2, b'0'),
        b'V' => num(out, i64::from(iso_week(tm).1), 2, b'0'),
        b'w' => num(out, i64::from(tm.wday), 1, b'0'),
        b'W' => num(
            out,
            i64::from((tm.yday + 7 - (tm.wday + 6) % 7) / 7),
            2,
            b'0',
        ),
        b'y' => num(out, (tm.year % 100).abs(), 2, b'0'),
        b'Y' => num(out, tm.year, 4, b'0'),
        // A zero offset named `-00` (RFC 3339's unknown offset) prints as -0000.
        b'z' => zone_offset(out, tm.gmtoff, tm.zone.starts_with(b"-"), colons, spec),
        b'Z' => {
            let z = String::from_utf8_lossy(&tm.zone).into_owned();
            let z = if spec.swap { z.to_ascii_lowercase() } else { z };
            text(
                out,
                &z,
                Spec {
                    swap: false,
                    ..spec
                },
                false,
            );
        }
        b'%' => text(out, "%", spec, false),
        _ => out.extend_from_slice(raw),
    }
}

/// Pads `body` (already cased) on the left to the spec's width.
fn pad_left(out: &mut Vec<u8>, body: &[u8], spec: Spec, default_pad: u8) {
    let pad = match spec.flag {
        Some(b'-') => None,
        Some(b'_') => Some(b' '),
        Some(b'0' | b'+') => Some(b'0'),
        _ => Some(default_pad),
    };
    if let (Some(pad), Some(w)) = (pad, spec.width) {
        out.resize(out.len() + w.saturating_sub(body.len()), pad);
    }
    out.extend_from_slice(body);
}

fn text(out: &mut Vec<u8>, s: &str, spec: Spec, name: bool) {
    let s = if spec.upper || spec.swap && name {
        s.to_ascii_uppercase()
    } else {
        s.to_string()
    };
    pad_left(out, s.as_bytes(), spec, b' ');
}

fn composite(out: &mut Vec<u8>, fmt: &[u8], spec: Spec, tm: &Tm) {
    let mut inner = strftime(fmt, tm);
    if spec.upper {
        inner.make_ascii_uppercase();
    }
    pad_left(out, &inner, spec, b' ');
}

/// A number padded to `width` (the sign counted), then `suffix`.
fn number(out: &mut Vec<u8>, v: i64, width: usize, pad: u8, spec: Spec, suffix: &[u8]) {
    number_signed(out, v, v < 0, width, pad, spec, suffix);
}

fn number_signed(
    out: &mut Vec<u8>,
    v: i64,
    sign: bool,
    width: usize,
    default_pad: u8,
    spec: Spec,
    suffix: &[u8],
) {
    let digits = v.unsigned_abs().to_string();
    let width = spec.width.unwrap_or(width);
    // The `+` flag: a plus sign when the number is wider than the field.
    let plus = spec.flag == Some(b'+') && digits.len() > width;
    let sign_char = if v < 0 {
        Some(b'-')
    } else if sign || plus {
        Some(b'+')
    } else {
        None
    };
    let pad = match spec.flag {
        Some(b'-') => None,
        Some(b'_') => Some(b' '),
        Some(b'0' | b'+') => Some(b'0'),
        _ => Some(default_pad),
    };
    let body = digits.len() + usize::from(sign_char.is_some()) + suffix.len();
    let fill = width.saturating_sub(body);
    match pad {
        Some(b'0') => {
            out.extend(sign_char);
            out.resize(out.len() + fill, b'0');
        }
        Some(p) => {
            out.resize(out.len() + fill, p);
            out.extend(sign_char);
        }
        None => out.extend(sign_char),
    }
    out.extend_from_slice(digits.as_bytes());
    out.extend_from_slice(suffix);
}

fn nanos(out: &mut Vec<u8>, nsec: u32, spec: Spec) {
    let digits = format!("{:09}", nsec.min(999_999_999));
    let w = spec.width.unwrap_or(9).max(1);
    let d = digits.as_bytes();
    out.extend_from_slice(d.get(..w.min(9)).unwrap_or(d));
    let fill = match spec.flag {
        Some(b'-') => return,
        Some(b'_') => b' ',
        _ => b'0',
    };
    out.resize(out.len() + w.saturating_sub(9), fill);
}

fn zone_offset(out: &mut Vec<u8>, gmtoff: i32, minus_zero: bool, colons: usize, spec: Spec) {
    let a = gmtoff.unsigned_abs();
    let (h, m, s) = (i64::from(a / 3600), a / 60 % 60, a % 60);
    let neg = gmtoff < 0 || gmtoff == 0 && minus_zero;
    let signed = |v: i64| if neg { -v } else { v };
    // With a negative offset under an hour, the sign must survive a zero hour.
    let (value, suffix, width) = match colons {
        0 => (signed(h * 100 + i64::from(m)), String::new(), 5),
        1 => (signed(h), format!(":{m:02}"), 6),
        2 => (signed(h), format!(":{m:02}:{s:02}"), 9),
        _ if s != 0 => (signed(h), format!(":{m:02}:{s:02}"), 9),
        _ if m != 0 => (signed(h), format!(":{m:02}"), 6),
        _ => (signed(h), String::new(), 3),
    };
    if neg && value == 0 {
        // -00xx: write the sign by hand.
        let mut tmp = Vec::new();
        number_signed(&mut tmp, 0, true, width, b'0', spec, suffix.as_bytes());
        if let Some(p) = tmp.iter().position(|&b| b == b'+') {
            tmp[p] = b'-';
        }
        out.extend_from_slice(&tmp);
        return;
    }
    number_signed(out, value, true, width, b'0', spec, suffix.as_bytes());
}

// ---------------------------------------------------------------------------------------
// Date strings (`date -d`, `touch -d`).

/// What a unit word adds: months or seconds.
#[derive(Clone, Copy)]
enum Unit {
    Months(i64),
    Days(i64),
    Seconds(i64),
}

fn unit_word(w: &str) -> Option<Unit> {
    let w = w.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(w);
    Some(match w {
        "year" => Unit::Months(12),
        "month" => Unit::Months(1),
        "fortnight" => Unit::Days(14),
        "week" => Unit::Days(7),
        "day" => Unit::Days(1),
        "hour" => Unit::Seconds(3600),
        "minute" | "min" => Unit::Seconds(60),
        "second" | "sec" => Unit::Seconds(1),
        _ => return None,
    })
}

fn weekday_word(w: &str) -> Option<i64> {
    const NAMES: [&str; 7] = [
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
    ];
    let short = matches!(w.len(), 3) || matches!(w, "tues" | "wednes" | "thur" | "thurs");
    NAMES
        .iter()
        .position(|n| w == *n || short && n.starts_with(w))
        .map(|p| p as i64)
}

fn month_word(w: &str) -> Option<i64> {
    MONTHS
        .iter()
        .position(|n| {
            let n = n.to_ascii_lowercase();
            w == n || (w.len() == 3 || w == "sept") && n.starts_with(w)
        })
        .map(|p| p as i64 + 1)
}

fn ordinal_word(w: &str) -> Option<i64> {
    Some(match w {
        "last" => -1,
        "this" => 0,
        "next" | "first" => 1,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        _ => return None,
    })
}

/// The pieces a date string names.
#[derive(Default)]
struct Parsed {
    date: Option<(Option<i64>, i64, i64)>,
    time: Option<(i64, i64, i64, u32)>,
    zone: Option<i64>,
    weekday: Option<(i64, i64)>,
    rel_months: i64,
    rel_days: i64,
    rel_secs: i64,
}

/// Parses a date string as `date -d` does, relative to `now` (seconds, nanoseconds) in
/// zone `tz`; gives seconds and nanoseconds since the epoch, or `None` if it is invalid.
///
/// Accepted, case-insensitively, in any order and combination:
/// `` (the start of today); `@SECONDS[.FRAC]` (alone); dates `YYYY-MM-DD`, `MM/DD[/YY[YY]]`, `YYYYMMDD`,
/// `D MONTH [YYYY]`, `MONTH D[,] [YYYY]`; times `HH:MM[:SS[.FRAC]]` with optional
/// `am`/`pm`, joined to a date by `T` or a space; zones `Z`, `UTC`, `UT`, `GMT`,
/// `+HH[:MM]`, `+HHMM` right after a time or alone; `now`, `today`, `yesterday`,
/// `tomorrow`, `midnight`, `noon`; relative items `[+-]N UNIT [ago]`, `UNIT [ago]`,
/// `next|last|this UNIT` (UNIT: year month fortnight week day hour minute min second
/// sec, plural too); weekdays `[next|last|this|N] monday` (with `mon`, `tue`, ...).
/// A date or weekday without a time means midnight; relative items alone keep the
/// current time. Day, week, month and year offsets move the wall clock (DST-aware),
/// hours/minutes/seconds move the instant. A leading `TZ="VALUE"` (GNU; `\\` and `\"`
/// escaped inside) reads the rest in the zone VALUE names instead of `tz`.
pub fn parse_date(s: &[u8], now: (i64, u32), tz: &Tz) -> Option<(i64, u32)> {
    if let Some(prefixed) = tz_prefix(s) {
        let (value, rest) = prefixed?;
        let zone = Tz::from_tz_value(&value, b"/usr/share/zoneinfo");
        return parse_in(rest, now, &zone);
    }
    parse_in(s, now, tz)
}

/// [`parse_date`] after any `TZ="..."` prefix.
fn parse_in(s: &[u8], now: (i64, u32), tz: &Tz) -> Option<(i64, u32)> {
    let s = std::str::from_utf8(s).ok()?.trim().to_ascii_lowercase();
    if let Some(rest) = s.strip_prefix('@') {
        return parse_epoch(rest.trim());
    }
    let tokens = tokenize(&s)?;
    let mut p = Parsed::default();
    if tokens.is_empty() {
        // An empty string is the start of today.
        p.time = Some((0, 0, 0, 0));
    }
    let mut i = 0;
    while i < tokens.len() {
        i = parse_item(&tokens, i, &mut p)?;
    }
    resolve(&p, now, tz)
}

/// The zone of a leading `TZ="VALUE"` and the text after it: `None` without one,
/// `Some(None)` when it is malformed (no closing quote, or a backslash before anything
/// but `\\` or `"`), as GNU's parser takes it: `TZ=` in capitals, after blanks only.
fn tz_prefix(s: &[u8]) -> Option<Option<(Vec<u8>, &[u8])>> {
    let start = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let body = s.get(start..)?.strip_prefix(b"TZ=\"")?;
    let mut value = Vec::new();
    let mut i = 0;
    loop {
        match (body.get(i), body.get(i + 1)) {
            (None, _) => return Some(None),
            (Some(b'"'), _) => return Some(Some((value, body.get(i + 1..).unwrap_or_default()))),
            (Some(b'\\'), Some(&c @ (b'\\' | b'"'))) => {
                value.push(c);
                i += 2;
            }
            (Some(b'\\'), _) => return Some(None),
            (Some(&c), _) => {
                value.push(c);
                i += 1;
            }
        }
    }
}

fn parse_epoch(s: &str) -> Option<(i64, u32)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let (int, frac) = body.split_once(['.', ',']).unwrap_or((body, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = int.parse().ok()?;
    let ns = frac_nanos(frac);
    if neg {
        if ns == 0 {
            Some((-secs, 0))
        } else {
            Some((-secs - 1, 1_000_000_000 - ns))
        }
    } else {
        Some((secs, ns))
    }
}

fn frac_nanos(frac: &str) -> u32 {
    let mut ns = 0u32;
    for (k, b) in frac.bytes().take(9).enumerate() {
        ns += u32::from(b - b'0') * 10u32.pow(8 - k as u32);
    }
    ns
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(String),
    Word(String),
    Sym(char),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace() || c == b',' && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            out.push(Tok::Num(s.get(start..i)?.to_string()));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
            {
                i += 1;
            }
            let w = s.get(start..i)?.trim_end_matches('.').replace('.', "");
            out.push(Tok::Word(w));
        } else if b"+-:/.,".contains(&c) {
            out.push(Tok::Sym(c as char));
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

fn num_at(t: &[Tok], i: usize) -> Option<&str> {
    match t.get(i) {
        Some(Tok::Num(n)) => Some(n),
        _ => None,
    }
}

fn sym_at(t: &[Tok], i: usize, c: char) -> bool {
    t.get(i) == Some(&Tok::Sym(c))
}

fn word_at(t: &[Tok], i: usize) -> Option<&str> {
    match t.get(i) {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

fn set<T>(slot: &mut Option<T>, v: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(v);
    Some(())
}

/// Parses one item at `i`, records it in `p` and gives the index after it.
fn parse_item(t: &[Tok], i: usize, p: &mut Parsed) -> Option<usize> {
    match t.get(i)? {
        Tok::Num(n) => {
            let v: i64 = n.parse().ok()?;
            // YYYY-MM-DD
            if sym_at(t, i + 1, '-') && num_at(t, i + 2).is_some() && sym_at(t, i + 3, '-') {
                let m: i64 = num_at(t, i + 2)?.parse().ok()?;
                let d: i64 = num_at(t, i + 4)?.parse().ok()?;
                set(&mut p.date, (Some(v), m, d))?;
                let mut j = i + 5;
                // ISO 8601 `T` before the time.
                if word_at(t, j) == Some("t") && num_at(t, j + 1).is_some() {
                    j += 1;
                }
                return Some(j);
            }
            // MM/DD[/YYYY]
            if sym_at(t, i + 1, '/') {
                let d: i64 = num_at(t, i + 2)?.parse().ok()?;
                if sym_at(t, i + 3, '/') {
                    let y = num_at(t, i + 4)?;
                    let yv: i64 = y.parse().ok()?;
                    set(&mut p.date, (Some(two_digit_year(yv, y.len())), v, d))?;
                    return Some(i + 5);
                }
                set(&mut p.date, (None, v, d))?;
                return Some(i + 3);
            }
            // HH:MM[:SS[.frac]]
            if sym_at(t, i + 1, ':') {
                return parse_time(t, i, v, p);
            }
            // Hpm
            if let Some(w @ ("am" | "pm")) = word_at(t, i + 1) {
                if !(1..=12).contains(&v) {
                    return None;
                }
                let h = if w == "pm" { v % 12 + 12 } else { v % 12 };
                set(&mut p.time, (h, 0, 0, 0))?;
                return Some(i + 2);
            }
            // D MONTH [YYYY]
            if let Some(m) = word_at(t, i + 1).and_then(month_word) {
                let mut j = i + 2;
                let mut year = None;
                if sym_at(t, j, '-') {
                    j += 1;
                }
                if let Some(y) = num_at(t, j)
                    && !sym_at(t, j + 1, ':')
                {
                    year = Some(two_digit_year(y.parse().ok()?, y.len()));
                    j += 1;
                }
                set(&mut p.date, (year, m, v))?;
                return Some(j);
            }
            // N UNIT [ago]
            if let Some(u) = word_at(t, i + 1).and_then(unit_word) {
                return Some(add_rel(t, i + 2, p, u, v));
            }
            // N WEEKDAY
            if let Some(wd) = word_at(t, i + 1).and_then(weekday_word) {
                set(&mut p.weekday, (v, wd))?;
                return Some(i + 2);
            }
            match n.len() {
                8 => set(&mut p.date, (Some(v / 10000), v / 100 % 100, v % 100))?,
                // A bare year after a date without one (`jan 5 2020` is handled above).
                4 if p.date.is_some_and(|d| d.0.is_none()) => {
                    if let Some(d) = &mut p.date {
                        d.0 = Some(v);
                    }
                }
                // `HHMM` or `HH` as a time of day once a date is known.
                1..=4 if p.time.is_none() && p.date.is_some() => {
                    let (h, m) = if n.len() <= 2 {
                        (v, 0)
                    } else {
                        (v / 100, v % 100)
                    };
                    p.time = Some((h, m, 0, 0));
                }
                _ => return None,
            }
            Some(i + 1)
        }
        Tok::Sym(c @ ('+' | '-')) => {
            let sign = if *c == '-' { -1 } else { 1 };
            let n = num_at(t, i + 1)?;
            let v: i64 = n.parse().ok()?;
            let u = word_at(t, i + 2).and_then(unit_word)?;
            Some(add_rel(t, i + 3, p, u, sign * v))
        }
        Tok::Sym(_) => None,
        Tok::Word(w) => {
            let w = w.as_str();
            match w {
                "now" => return Some(i + 1),
                "today" => return Some(i + 1),
                "yesterday" => {
                    p.rel_days -= 1;
                    return Some(i + 1);
                }
                "tomorrow" => {
                    p.rel_days += 1;
                    return Some(i + 1);
                }
                "midnight" => {
                    set(&mut p.time, (0, 0, 0, 0))?;
                    return Some(i + 1);
                }
                "noon" => {
                    set(&mut p.time, (12, 0, 0, 0))?;
                    return Some(i + 1);
                }
                "z" | "utc" | "ut" | "gmt" => {
                    set(&mut p.zone, 0)?;
                    // `UTC+2`-style offsets are not read; `UTC` then `+2 hours` is.
                    return Some(i + 1);
                }
                "ago" => return None,
                _ => {}
            }
            if let Some(m) = month_word(w) {
                // MONTH D [YYYY]
                let d: i64 = num_at(t, i + 1)?.parse().ok()?;
                let mut j = i + 2;
                let mut year = None;
                if sym_at(t, j, ',') {
                    j += 1;
                }
                if let Some(y) = num_at(t, j)
                    && !sym_at(t, j + 1, ':')
                {
                    year = Some(two_digit_year(y.parse().ok()?, y.len()));
                    j += 1;
                }
                set(&mut p.date, (year, m, d))?;
                return Some(j);
            }
            if let Some(wd) = weekday_word(w) {
                set(&mut p.weekday, (0, wd))?;
                return Some(i + 1);
            }
            if let Some(ord) = ordinal_word(w) {
                if let Some(wd) = word_at(t, i + 1).and_then(weekday_word) {
                    set(&mut p.weekday, (ord, wd))?;
                    return Some(i + 2);
                }
                let u = word_at(t, i + 1).and_then(unit_word)?;
                return Some(add_rel(t, i + 2, p, u, ord));
            }
            if let Some(u) = unit_word(w) {
                return Some(add_rel(t, i + 1, p, u, 1));
            }
            None
        }
    }
}

fn two_digit_year(y: i64, len: usize) -> i64 {
    match len {
        1 | 2 if y < 69 => 2000 + y,
        1 | 2 => 1900 + y,
        _ => y,
    }
}

fn add_rel(t: &[Tok], j: usize, p: &mut Parsed, u: Unit, n: i64) -> usize {
    let (n, j) = if word_at(t, j) == Some("ago") {
        (-n, j + 1)
    } else {
        (n, j)
    };
    match u {
        Unit::Months(k) => p.rel_months = p.rel_months.saturating_add(n.saturating_mul(k)),
        Unit::Days(k) => p.rel_days = p.rel_days.saturating_add(n.saturating_mul(k)),
        Unit::Seconds(k) => p.rel_secs = p.rel_secs.saturating_add(n.saturating_mul(k)),
    }
    j
}

fn parse_time(t: &[Tok], i: usize, h: i64, p: &mut Parsed) -> Option<usize> {
    let m: i64 = num_at(t, i + 2)?.parse().ok()?;
    let mut j = i + 3;
    let (mut s, mut ns) = (0, 0);
    if sym_at(t, j, ':') {
        s = num_at(t, j + 1)?.parse().ok()?;
        j += 2;
        if sym_at(t, j, '.') || sym_at(t, j, ',') {
            ns = frac_nanos(num_at(t, j + 1)?);
            j += 2;
        }
    }
    let mut h = h;
    match word_at(t, j) {
        Some("am") => {
            if !(1..=12).contains(&h) {
                return None;
            }
            h %= 12;
            j += 1;
        }
        Some("pm") => {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = h % 12 + 12;
            j += 1;
        }
        _ => {}
    }
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    set(&mut p.time, (h, m, s, ns))?;
    // As in GNU's grammar, a signed number right after a time is its zone
    // (`12:00 +1 day` is noon at UTC+1, plus a day).
    if let Some(Tok::Sym(c @ ('+' | '-'))) = t.get(j)
        && num_at(t, j + 1).is_some()
    {
        let sign = if *c == '-' { -1 } else { 1 };
        return parse_zone_offset(t, j + 1, sign, p);
    }
    Some(j)
}

fn parse_zone_offset(t: &[Tok], i: usize, sign: i64, p: &mut Parsed) -> Option<usize> {
    let n = num_at(t, i)?;
    let v: i64 = n.parse().ok()?;
    let (secs, j) = if sym_at(t, i + 1, ':') {
        let m: i64 = num_at(t, i + 2)?.parse().ok()?;
        (v * 3600 + m * 60, i + 3)
    } else if n.len() <= 2 {
        (v * 3600, i + 1)
    } else if n.len() == 4 {
        (v / 100 * 3600 + v % 100 * 60, i + 1)
    } else {
        return None;
    };
    if secs > 24 * 3600 {
        return None;
    }
    set(&mut p.zone, sign * secs)?;
    Some(j)
}

fn resolve(p: &Parsed, now: (i64, u32), tz: &Tz) -> Option<(i64, u32)> {
    // With an explicit zone, "today" and the current time are those of that zone.
    let local_now = match p.zone {
        Some(off) => breakdown(now.0, i32::try_from(off).ok()?),
        None => localtime(now.0, tz),
    };
    let mut c = Civil::of(&local_now);
    let mut ns = now.1;
    if let Some((y, m, d)) = p.date {
        if !(1..=12).contains(&m)
            || d < 1
            || d > i64::from(days_in_month(y.unwrap_or(c.year), m as u32))
        {
            return None;
        }
        c.year = y.unwrap_or(c.year);
        c.mon = m;
        c.mday = d;
    }
    if let Some((h, m, s, n)) = p.time {
        (c.hour, c.min, c.sec, ns) = (h, m, s, n);
    } else if p.date.is_some() || p.weekday.is_some() {
        (c.hour, c.min, c.sec, ns) = (0, 0, 0, 0);
    }
    if let Some((ord, wd)) = p.weekday {
        let base = c.as_utc()?.div_euclid(DAY);
        let cur = (base + 4).rem_euclid(7);
        let step = (wd - cur).rem_euclid(7);
        let extra = ord - i64::from(ord > 0 && cur != wd);
        c.mday = c
            .mday
            .checked_add(step.checked_add(extra.checked_mul(7)?)?)?;
    }
    c.mon = c.mon.checked_add(p.rel_months)?;
    // Month arithmetic keeps the day number and lets it overflow, as GNU does.
    c.mday = c.mday.checked_add(p.rel_days)?;
    let base = match p.zone {
        Some(off) => c.as_utc()?.checked_sub(off)?,
        None => mktime(&c, tz)?,
    };
    Some((base.checked_add(p.rel_secs)?, ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips() {
        for z in [-800_000i64, -719_468, -1, 0, 1, 11_016, 24_855, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn posix_rules() {
        let tz = Tz::posix(b"EST5EDT,M3.2.0,M11.1.0").unwrap();
        // 2023-03-12 06:59:59 UTC is 01:59:59 EST; a second later 03:00 EDT.
        assert_eq!(tz.offset_at(1_678_604_399), -5 * 3600);
        assert_eq!(tz.offset_at(1_678_604_400), -4 * 3600);
        // 2023-11-05 05:59:59 UTC is 01:59:59 EDT; a second later 01:00 EST.
        assert_eq!(tz.offset_at(1_699_163_999), -4 * 3600);
        assert_eq!(tz.offset_at(1_699_164_000), -5 * 3600);
        let south = Tz::posix(b"AEST-10AEDT,M10.1.0,M4.1.0/3").unwrap();
        assert_eq!(south.offset_at(1_704_067_200), 11 * 3600); // January
        assert_eq!(south.offset_at(1_719_792_000), 10 * 3600); // July
        assert_eq!(Tz::posix(b"<+03>-3").unwrap().offset_at(0), 3 * 3600);
        assert!(Tz::posix(b"EST").is_none());
        assert!(Tz::posix(b"EST5EDT,M13.1.0,M1.1.0").is_none());
    }

    #[test]
    fn garbage_tzif_is_rejected_not_a_panic() {
        assert!(Tz::from_tzif(b"").is_none());
        assert!(Tz::from_tzif(b"TZif2").is_none());
        let mut d = b"TZif2".to_vec();
        d.resize(44, 0);
        d[35] = 0xff; // a huge timecnt
        assert!(Tz::from_tzif(&d).is_none());
    }

    #[test]
    fn mktime_gaps_and_overlaps() {
        let tz = Tz::posix(b"EST5EDT,M3.2.0,M11.1.0").unwrap();
        let c = |h, m| Civil {
            year: 2023,
            mon: 3,
            mday: 12,
            hour: h,
            min: m,
            sec: 0,
        };
        assert_eq!(mktime(&c(2, 30), &tz), None);
        assert_eq!(mktime(&c(3, 0), &tz), Some(1_678_604_400));
        let fall = Civil {
            year: 2023,
            mon: 11,
            mday: 5,
            hour: 1,
            min: 30,
            sec: 0,
        };
        assert_eq!(mktime(&fall, &tz), Some(1_699_162_200));
    }

    #[test]
    fn strftime_flags() {
        let tm = gmtime(1_700_000_000);
        let f = |s: &str| String::from_utf8(strftime(s.as_bytes(), &tm)).unwrap();
        assert_eq!(
            f("%10A|%-10A|%_10A|%010A"),
            "   Tuesday|Tuesday|   Tuesday|000Tuesday"
        );
        assert_eq!(
            f("%^a|%#a|%#p|%#Z|%P|%q|%Q|%+|%Ey|%Od"),
            "TUE|TUE|pm|utc|pm|4|%Q|%+|23|14"
        );
        assert_eq!(
            f("%_5d|%-5d|%5e|%-e|%05e|abc%"),
            "   14|14|   14|14|00014|abc%"
        );
        let z = gmtime(0);
        let f = |s: &str| String::from_utf8(strftime(s.as_bytes(), &z)).unwrap();
        assert_eq!(
            f("%-Q|%5z|%_z|%-z|%:z|%10:z|%#A|%^B|%5s|%_5s|%-y|%j|%-j|%_j|%5%|%^c|%10D|%E"),
            "%-Q|+0000|   +0|+0|+00:00|+000000:00|THURSDAY|JANUARY|00000|    0|70|001|1|  1|    %|THU JAN  1 00:00:00 1970|  01/01/70|%E"
        );
        let mut n = gmtime(1);
        n.nsec = 123_456_789;
        let f = |s: &str| String::from_utf8(strftime(s.as_bytes(), &n)).unwrap();
        assert_eq!(
            f("%10N|%3N|%-3N|%_12N|%1N|%N"),
            "1234567890|123|123|123456789   |1|123456789"
        );
    }

    #[test]
    fn tz_prefix_reads_the_rest_in_that_zone() {
        let utc = Tz::utc();
        let now = (1_700_000_000, 0);
        let p = |s: &str| parse_date(s.as_bytes(), now, &utc);
        // 10:00 at UTC-3 (POSIX sign) is 13:00 UTC.
        let ten = p("2020-01-01 10:00").unwrap().0;
        assert_eq!(
            p(r#"TZ="UTC+3" 2020-01-01 10:00"#),
            Some((ten + 3 * 3600, 0))
        );
        assert_eq!(
            p(r#"  TZ="UTC+3"2020-01-01 10:00"#),
            Some((ten + 3 * 3600, 0))
        );
        assert_eq!(p(r#"TZ="" 2020-01-01 10:00"#), Some((ten, 0)));
        // An explicit zone in the rest still wins.
        assert_eq!(p(r#"TZ="UTC+3" 2020-01-01 10:00 UTC"#), Some((ten, 0)));
        // Alone: the start of today there.
        let midnight = p("").unwrap().0;
        assert_eq!(p(r#"TZ="UTC-9""#), Some((midnight - 9 * 3600 + 86_400, 0)));
        // Escapes: only \\ and \" are allowed inside the quotes.
        assert_eq!(p(r#"TZ="UTC\+3" 2020-01-01"#), None);
        assert_eq!(p(r#"TZ="UTC+3 2020-01-01"#), None);
        assert_eq!(p(r#"tz="UTC+3" 2020-01-01"#), None);
        assert_eq!(p(r#"TZ=UTC+3 2020-01-01"#), None);
        assert_eq!(p(r#"TZ="UTC+3" TZ="UTC" 2020-01-01"#), None);
        assert_eq!(
            tz_prefix(br#"TZ="a\"b\\c" x"#),
            Some(Some((br#"a"b\c"#.to_vec(), &b" x"[..])))
        );
    }
}
