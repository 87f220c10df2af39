//! `free`: memory and swap in use, from /proc/meminfo, in procps-ng's columns.

use crate::prelude::*;

/// The `free` applet.
pub const APPLET: Applet = Applet::new("free", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[-bkmgh]")
    .help(
        "Show the memory and swap in use (from /proc/meminfo).\n\n\
         -b\tIn bytes\n\
         -k\tIn KiB (the default)\n\
         -m\tIn MiB\n\
         -g\tIn GiB\n\
         -h\tIn the largest unit that keeps 3 digits (B, Ki, Mi, Gi, Ti, Pi)",
    );

const LONGS: &[&str] = &["bytes", "kibi", "mebi", "gibi", "human"];

/// How numbers are shown: a power of 1024 to divide bytes by, or human units.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Unit {
    Shift(u32),
    Human,
}

/// The figures `free` shows, in KiB.
#[derive(Default, Debug, PartialEq, Eq)]
struct Memory {
    total: u64,
    free: u64,
    available: Option<u64>,
    buffers: u64,
    cached: u64,
    reclaimable: u64,
    shared: u64,
    swap_total: u64,
    swap_free: u64,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut unit = Unit::Shift(1);
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        unit = match arg {
            Arg::Short('b') | Arg::Long("bytes") => Unit::Shift(0),
            Arg::Short('k') | Arg::Long("kibi") => Unit::Shift(1),
            Arg::Short('m') | Arg::Long("mebi") => Unit::Shift(2),
            Arg::Short('g') | Arg::Long("gibi") => Unit::Shift(3),
            Arg::Short('h') | Arg::Long("human") => Unit::Human,
            other => return Err(opts.unexpected(&other)),
        };
    }
    let text =
        std::fs::read_to_string("/proc/meminfo").map_err(|e| Error::io(b"/proc/meminfo", &e))?;
    let out = render(&parse(&text), unit);
    ctx.stdout.write_all(out.as_bytes())?;
    Ok(())
}

/// Reads the fields `free` needs from /proc/meminfo text.
fn parse(text: &str) -> Memory {
    let mut m = Memory::default();
    for line in text.lines() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let Some(n) = rest.split_whitespace().next().and_then(|v| v.parse().ok()) else {
            continue;
        };
        match key {
            "MemTotal" => m.total = n,
            "MemFree" => m.free = n,
            "MemAvailable" => m.available = Some(n),
            "Buffers" => m.buffers = n,
            "Cached" => m.cached = n,
            "SReclaimable" => m.reclaimable = n,
            "Shmem" => m.shared = n,
            "SwapTotal" => m.swap_total = n,
            "SwapFree" => m.swap_free = n,
            _ => {}
        }
    }
    m
}

/// The table: a header and the Mem: and Swap: rows.
fn render(m: &Memory, unit: Unit) -> String {
    let buff_cache = m.buffers + m.cached + m.reclaimable;
    let available = m.available.unwrap_or(m.free).min(m.total);
    // procps-ng 4: what is not available is used.
    let used = m.total - available;
    let cell = |kib: u64| show(kib, unit);
    let mut out = format!(
        "{:>20}{:>12}{:>12}{:>12}{:>12}{:>12}\n",
        "total", "used", "free", "shared", "buff/cache", "available"
    );
    out.push_str(&format!(
        "{:<9}{:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\n",
        "Mem:",
        cell(m.total),
        cell(used),
        cell(m.free),
        cell(m.shared),
        cell(buff_cache),
        cell(available)
    ));
    out.push_str(&format!(
        "{:<9}{:>11} {:>11} {:>11}\n",
        "Swap:",
        cell(m.swap_total),
        cell(m.swap_total.saturating_sub(m.swap_free)),
        cell(m.swap_free)
    ));
    out
}

/// One figure in `unit`.
fn show(kib: u64, unit: Unit) -> String {
    let bytes = kib * 1024;
    match unit {
        Unit::Shift(p) => (bytes >> (10 * p)).to_string(),
        Unit::Human => {
            if bytes < 1024 {
                return format!("{bytes}B");
            }
            let units = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            let mut value = bytes as f64 / 1024.0;
            for (i, u) in units.iter().enumerate() {
                if value < 10.0 && format!("{value:.1}") != "10.0" {
                    return format!("{value:.1}{u}");
                }
                if value < 1024.0 || i == units.len() - 1 {
                    return format!("{}{u}", value as u64);
                }
                value /= 1024.0;
            }
            unreachable!("the last unit returns")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMINFO: &str = "MemTotal:       24683584 kB\nMemFree:        12378172 kB\n\
        MemAvailable:   23876180 kB\nBuffers:          251996 kB\nCached:          9888176 kB\n\
        SwapCached:            0 kB\nShmem:             14368 kB\nSReclaimable:    1762468 kB\n\
        SwapTotal:       2097148 kB\nSwapFree:        2000000 kB\n";

    #[test]
    fn kibibytes_in_procps_columns() {
        assert_eq!(
            render(&parse(MEMINFO), Unit::Shift(1)),
            "               total        used        free      shared  buff/cache   available\n\
             Mem:        24683584      807404    12378172       14368    11902640    23876180\n\
             Swap:        2097148       97148     2000000\n"
        );
    }

    #[test]
    fn bytes_widen_the_columns() {
        let out = render(&parse(MEMINFO), Unit::Shift(0));
        assert_eq!(
            out.lines().nth(1),
            Some(
                "Mem:     25275990016   826781696 12675248128    14712832 12188303360 24449208320"
            )
        );
    }

    #[test]
    fn mebibytes_and_gibibytes_truncate() {
        let m = parse(MEMINFO);
        let row = |u| render(&m, u).lines().nth(1).unwrap().to_string();
        assert_eq!(
            row(Unit::Shift(2)),
            "Mem:           24105         788       12088          14       11623       23316"
        );
        assert_eq!(
            row(Unit::Shift(3)),
            "Mem:              23           0          11           0          11          22"
        );
    }

    #[test]
    fn human_units() {
        assert_eq!(show(0, Unit::Human), "0B");
        assert_eq!(show(9356, Unit::Human), "9.1Mi");
        assert_eq!(show(24683584, Unit::Human), "23Gi");
        assert_eq!(show(807404, Unit::Human), "788Mi");
        assert_eq!(show(1, Unit::Human), "1.0Ki");
        assert_eq!(show(1023, Unit::Human), "1023Ki");
    }

    #[test]
    fn without_memavailable_free_is_available() {
        let m = parse("MemTotal: 1000 kB\nMemFree: 400 kB\n");
        assert_eq!(m.available, None);
        assert!(
            render(&m, Unit::Shift(1)).contains("Mem:            1000         600         400")
        );
    }
}
