//! `sleep NUMBER[smhd]...`: wait for the sum of the intervals, as GNU does (fractions,
//! hex floats, `inf`). It sleeps in short slices and stops when interrupted.

use std::time::{Duration, Instant};

use super::printf::num;
use crate::prelude::*;

/// The `sleep` applet.
pub const APPLET: Applet = Applet::new("sleep", main, Run::Fork)
    .usage("NUMBER[smhd]...")
    .help(
        "Pause for the sum of the NUMBERs: seconds, or with a suffix s (seconds),\n\
         m (minutes), h (hours) or d (days). NUMBER may be fractional, or inf.",
    );

/// The longest single nap between interrupt checks.
const SLICE: Duration = Duration::from_millis(50);

/// One interval in seconds: a non-negative number and an optional unit.
fn interval(arg: &[u8]) -> Option<f64> {
    let (num_part, mult) = match arg.split_last() {
        Some((b's', rest)) => (rest, 1.0),
        Some((b'm', rest)) => (rest, 60.0),
        Some((b'h', rest)) => (rest, 3600.0),
        Some((b'd', rest)) => (rest, 86400.0),
        _ => (arg, 1.0),
    };
    let (v, used, _) = num::scan_float(num_part);
    if used == 0 || used != num_part.len() || v.is_nan() || v < 0.0 {
        return None;
    }
    Some(v * mult)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut total = 0.0;
    let mut any = false;
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => {
                let Some(secs) = interval(&v) else {
                    return Err(Error::usage(format!(
                        "invalid time interval '{}'",
                        String::from_utf8_lossy(&v)
                    )));
                };
                total += secs;
                any = true;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    if !any {
        return Err(Error::usage("missing operand"));
    }
    ctx.stdout.flush()?;
    // Beyond what a Duration holds (or inf), sleep "forever".
    let deadline = Duration::try_from_secs_f64(total)
        .ok()
        .and_then(|d| Instant::now().checked_add(d));
    loop {
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        let nap = match deadline {
            Some(end) => {
                let left = end.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(());
                }
                left.min(SLICE)
            }
            None => SLICE,
        };
        std::thread::sleep(nap);
    }
}

#[cfg(test)]
mod tests {
    use super::interval;
    use crate::testing::run;
    use std::time::Instant;

    #[test]
    fn intervals() {
        let cases: &[(&str, Option<f64>)] = &[
            ("1", Some(1.0)),
            ("0.5", Some(0.5)),
            (".5s", Some(0.5)),
            ("2m", Some(120.0)),
            ("1.5h", Some(5400.0)),
            ("1d", Some(86400.0)),
            ("0x10", Some(16.0)),
            ("inf", Some(f64::INFINITY)),
            ("infinityd", Some(f64::INFINITY)),
            ("x", None),
            ("", None),
            ("s", None),
            ("1x", None),
            ("1ss", None),
            ("-1", None),
            ("nan", None),
            ("1 ", None),
        ];
        for (s, want) in cases {
            assert_eq!(interval(s.as_bytes()), *want, "{s:?}");
        }
    }

    #[test]
    fn sleeps_for_the_sum() {
        let t = Instant::now();
        let r = run("sleep", &["0.05", "0.05s", "0.0005m"], b"");
        assert_eq!(r.status, 0);
        let ms = t.elapsed().as_millis();
        assert!((130..1000).contains(&ms), "{ms} ms");
        assert_eq!(run("sleep", &["0"], b"").status, 0);
    }

    #[test]
    fn errors() {
        let r = run("sleep", &[], b"");
        assert_eq!(
            (r.status, r.err().lines().next()),
            (1, Some("sleep: missing operand"))
        );
        let r = run("sleep", &["1", "x"], b"");
        assert_eq!(
            r.err().lines().next(),
            Some("sleep: invalid time interval 'x'")
        );
        assert_eq!(r.status, 1);
        let r = run("sleep", &["-1"], b"");
        assert_eq!(r.err().lines().next(), Some("sleep: invalid option -- '1'"));
    }
}
