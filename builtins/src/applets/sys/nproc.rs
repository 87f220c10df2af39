//! `nproc`: print the number of processing units available.

use crate::prelude::*;

/// The `nproc` applet.
pub const APPLET: Applet = Applet::new("nproc", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("[--all] [--ignore=N]")
    .help(
        "Print the number of processors this process may run on (OMP_NUM_THREADS and\n\
         OMP_THREAD_LIMIT are honoured, as by GNU).\n\n\
         --all\t\tPrint the number of installed processors\n\
         --ignore=N\tExclude N processors, if possible",
    );

const LONGS: &[&str] = &["all", "ignore"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut all, mut ignore) = (false, 0u64);
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Long("all") => all = true,
            Arg::Long("ignore") => {
                let v = opts.value()?;
                ignore = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        Error::msg(format!("invalid number: '{}'", String::from_utf8_lossy(&v)))
                    })?;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    let n = if all {
        installed()
    } else {
        let omp = |name: &[u8]| omp_value(ctx.env.get(name).unwrap_or_default());
        let mut n = omp(b"OMP_NUM_THREADS").unwrap_or_else(available);
        if let Some(limit) = omp(b"OMP_THREAD_LIMIT") {
            n = n.min(limit);
        }
        n
    };
    let n = n.saturating_sub(ignore).max(1);
    ctx.stdout.write_all(format!("{n}\n").as_bytes())?;
    Ok(())
}

/// A positive count from an OpenMP variable: its first comma-separated element.
fn omp_value(v: &[u8]) -> Option<u64> {
    let first = v.split(|&b| b == b',').next()?;
    let n: u64 = std::str::from_utf8(first).ok()?.trim().parse().ok()?;
    (n > 0).then_some(n)
}

/// The processors in this process's affinity mask.
fn available() -> u64 {
    use nix::sched::{CpuSet, sched_getaffinity};
    match sched_getaffinity(nix::unistd::Pid::from_raw(0)) {
        Ok(set) => {
            let n = (0..CpuSet::count())
                .filter(|&i| set.is_set(i).unwrap_or(false))
                .count();
            if n > 0 { n as u64 } else { installed() }
        }
        Err(_) => installed(),
    }
}

/// The processors the system has configured.
fn installed() -> u64 {
    use nix::unistd::{SysconfVar, sysconf};
    match sysconf(SysconfVar::_NPROCESSORS_CONF) {
        Ok(Some(n)) if n > 0 => n as u64,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn omp_values() {
        assert_eq!(omp_value(b"4"), Some(4));
        assert_eq!(omp_value(b"5,2"), Some(5));
        assert_eq!(omp_value(b"0"), None);
        assert_eq!(omp_value(b""), None);
        assert_eq!(omp_value(b"x"), None);
    }

    #[test]
    fn counts_and_ignores() {
        let n: u64 = run("nproc", &[], b"").out().trim().parse().unwrap();
        assert!(n >= 1 && n <= installed());
        assert_eq!(run("nproc", &["--ignore=100000"], b"").out(), "1\n");
        let all: u64 = run("nproc", &["--all"], b"").out().trim().parse().unwrap();
        assert!(all >= n);
        let r = run("nproc", &["--ignore", "x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, "nproc: invalid number: 'x'\n".into())
        );
    }
}
