//! Numbers as utilities read and print them: sizes with suffixes (`10K`, `1MB`, `512b`),
//! human-readable sizes (`4.0K`, `1.5M`), and durations (`1.5`, `2m`).

use std::time::Duration;

/// Parses a size with an optional GNU-style suffix: `c`=1, `w`=2, `b`=512, `K`/`k`/`KiB`
/// =1024, `KB`/`kB`=1000, and likewise `M G T P E` (`MiB`, `MB`, ...). `None` on junk or
/// overflow.
pub fn parse_size(s: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(s).ok()?;
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits_end == 0 {
        return None;
    }
    let n: u64 = s[..digits_end].parse().ok()?;
    let mult = suffix_multiplier(&s[digits_end..])?;
    n.checked_mul(mult)
}

fn suffix_multiplier(suffix: &str) -> Option<u64> {
    let simple = match suffix {
        "" | "c" => Some(1),
        "w" => Some(2),
        "b" => Some(512),
        _ => None,
    };
    if simple.is_some() {
        return simple;
    }
    let mut chars = suffix.chars();
    let unit = chars.next()?;
    let power = match unit.to_ascii_uppercase() {
        'K' => 1,
        'M' => 2,
        'G' => 3,
        'T' => 4,
        'P' => 5,
        'E' => 6,
        _ => return None,
    };
    if unit == 'k' || unit.is_ascii_uppercase() {
        let base: u64 = match chars.as_str() {
            "" | "iB" => 1024,
            "B" => 1000,
            _ => return None,
        };
        return base.checked_pow(power);
    }
    None
}

/// `n` as GNU's `-h` prints it: plain below 1024, else one decimal below 10 and none
/// above, rounded up, with a `K M G T P E` suffix (`1023`, `1.0K`, `1.5K`, `15K`, `1.0M`).
pub fn human_size(n: u64) -> String {
    human_size_base(n, 1024)
}

/// Like [`human_size`] with powers of `base` (1000 for `--si`).
pub fn human_size_base(n: u64, base: u64) -> String {
    const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];
    if n < base {
        return n.to_string();
    }
    let mut unit = 0;
    let mut scale = base;
    while unit + 1 < UNITS.len() && n / scale >= base {
        scale *= base;
        unit += 1;
    }
    // Tenths, rounded up.
    let tenths = (u128::from(n) * 10).div_ceil(u128::from(scale));
    if tenths < 100 {
        return format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit]);
    }
    let whole = u128::from(n).div_ceil(u128::from(scale));
    if whole >= u128::from(base) && unit + 1 < UNITS.len() {
        return format!("1.0{}", UNITS[unit + 1]);
    }
    format!("{whole}{}", UNITS[unit])
}

/// Parses a duration: a decimal number of seconds with an optional `s m h d` suffix.
pub fn parse_duration(s: &[u8]) -> Option<Duration> {
    let s = std::str::from_utf8(s).ok()?;
    let (num, mult) = match s.as_bytes().last()? {
        b's' => (&s[..s.len() - 1], 1.0),
        b'm' => (&s[..s.len() - 1], 60.0),
        b'h' => (&s[..s.len() - 1], 3600.0),
        b'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let secs: f64 = num.parse().ok()?;
    let total = secs * mult;
    if !total.is_finite() || !(0.0..=1e15).contains(&total) {
        return None;
    }
    Some(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_suffixes() {
        let cases: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("17", Some(17)),
            ("2c", Some(2)),
            ("3w", Some(6)),
            ("2b", Some(1024)),
            ("1k", Some(1024)),
            ("1K", Some(1024)),
            ("1KiB", Some(1024)),
            ("1KB", Some(1000)),
            ("1kB", Some(1000)),
            ("2M", Some(2 << 20)),
            ("1MB", Some(1_000_000)),
            ("1G", Some(1 << 30)),
            ("1E", Some(1 << 60)),
            ("16E", None),
            ("", None),
            ("K", None),
            ("1X", None),
            ("1m", None),
            ("-1", None),
            ("1.5K", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_size(s.as_bytes()), *want, "{s}");
        }
    }

    #[test]
    fn human_sizes_round_up_like_gnu() {
        let cases: &[(u64, &str)] = &[
            (0, "0"),
            (1023, "1023"),
            (1024, "1.0K"),
            (1025, "1.1K"),
            (1536, "1.5K"),
            (10 * 1024 - 1, "10K"),
            (10 * 1024, "10K"),
            (15 * 1024 + 1, "16K"),
            (1024 * 1024 - 1, "1.0M"),
            (1024 * 1024, "1.0M"),
            (5 * 1024 * 1024 * 1024, "5.0G"),
        ];
        for (n, want) in cases {
            assert_eq!(human_size(*n), *want, "{n}");
        }
        assert_eq!(human_size_base(1500, 1000), "1.5K");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration(b"1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration(b"2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration(b"1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration(b"0.25s"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration(b"1d"), Some(Duration::from_secs(86400)));
        assert_eq!(parse_duration(b"x"), None);
        assert_eq!(parse_duration(b""), None);
        assert_eq!(parse_duration(b"-1"), None);
        assert_eq!(parse_duration(b"s"), None);
    }
}
