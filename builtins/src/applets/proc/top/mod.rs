//! `top`: the summary and the busiest processes, redrawn every few seconds: full screen
//! on a terminal (crossterm: raw mode and the alternate screen, restored on every way
//! out; `q` quits), or frames one after another with `-b` or when not on a terminal.

pub mod frame;
pub mod screen;

use std::time::Duration;

use frame::{Field, Sort, View};

use crate::applets::proc::procs::System;
use crate::applets::proc::ps::term;
use crate::common::passwd::Accounts;
use crate::common::time::{Tz, localtime};
use crate::prelude::*;

/// The `top` applet.
pub const APPLET: Applet = Applet::new("top", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-bc] [-d SECS] [-n COUNT] [-o FIELD] [-p PID,...]")
    .help(
        "Show the system summary and the processes using the most CPU, redrawn every\n\
         few seconds; q quits.\n\n\
         -b\tBatch mode: print frames one after another\n\
         -n COUNT\tStop after COUNT frames\n\
         -d SECS\tSeconds between frames (fractions allowed; default 3)\n\
         -p PID,...\tOnly these processes\n\
         -o FIELD\tSort on this column (PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+\n\
         \tCOMMAND); -FIELD for low to high\n\
         -c\tShow command lines instead of names",
    );

/// What the arguments asked for.
pub struct Config {
    /// Batch mode.
    pub batch: bool,
    /// How many frames (`None`: until quit).
    pub frames: Option<u64>,
    /// Time between frames.
    pub delay: Duration,
    /// Only these processes.
    pub pids: Vec<i32>,
    /// The sort.
    pub sort: Sort,
    /// Command lines instead of names.
    pub full_command: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let cfg = parse(ctx)?;
    let interactive = !cfg.batch && term::stdout_is_tty(ctx);
    if interactive {
        return screen::run(ctx, &cfg);
    }
    batch(ctx, &cfg)
}

fn parse(ctx: &Ctx<'_>) -> Result<Config, Error> {
    let mut cfg = Config {
        batch: false,
        frames: None,
        delay: Duration::from_secs(3),
        pids: Vec::new(),
        sort: Sort {
            field: Field::Cpu,
            ascending: false,
        },
        full_command: false,
    };
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') => cfg.batch = true,
            Arg::Short('c') => cfg.full_command = true,
            Arg::Short('n') => {
                let v = opts.value()?;
                let n = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "bad iterations argument '{}'",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
                cfg.frames = Some(n.max(1));
            }
            Arg::Short('d') => {
                let v = opts.value()?;
                let secs = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "bad delay interval '{}'",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
                cfg.delay = Duration::from_secs_f64(secs);
            }
            Arg::Short('p') => {
                let v = opts.value()?;
                for item in v.split(|&b| b == b',') {
                    let pid = std::str::from_utf8(item)
                        .ok()
                        .and_then(|s| s.parse::<i32>().ok())
                        .filter(|&p| p > 0)
                        .ok_or_else(|| {
                            Error::msg(format!("bad pid '{}'", String::from_utf8_lossy(item)))
                        })?;
                    cfg.pids.push(pid);
                }
            }
            Arg::Short('o') => {
                let v = opts.value()?;
                let text = String::from_utf8_lossy(&v).into_owned();
                let (ascending, name) = match text.as_bytes().first() {
                    Some(b'-') => (true, &text[1..]),
                    Some(b'+') => (false, &text[1..]),
                    _ => (false, text.as_str()),
                };
                let field = frame::field_named(name)
                    .ok_or_else(|| Error::msg(format!("unrecognized field name '{name}'")))?;
                cfg.sort = Sort { field, ascending };
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    Ok(cfg)
}

/// Renders one frame from the previous sample to a new one (which it returns).
pub fn next_frame(
    ctx: &Ctx<'_>,
    cfg: &Config,
    accounts: &Accounts,
    prev: &frame::Sample,
    width: usize,
) -> (Vec<String>, frame::Sample) {
    let now = frame::sample(&cfg.pids, cfg.full_command, accounts);
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let tm = localtime(secs, &Tz::from_env(ctx.env));
    let view = View {
        clock: (tm.hour, tm.min, tm.sec),
        users: logged_in_users(),
        width,
        sort: cfg.sort,
        full_command: cfg.full_command,
        pid_width: System::read()
            .pid_max
            .saturating_sub(1)
            .to_string()
            .len()
            .max(5),
    };
    let lines = frame::render(prev, &now, &view);
    (lines, now)
}

/// The first sample, and a short pause so the first frame has an interval to show.
pub fn first_sample(cfg: &Config, accounts: &Accounts) -> frame::Sample {
    let s = frame::sample(&cfg.pids, cfg.full_command, accounts);
    std::thread::sleep(Duration::from_millis(100).min(cfg.delay.max(Duration::from_millis(10))));
    s
}

fn batch(ctx: &mut Ctx<'_>, cfg: &Config) -> Result<(), Error> {
    let accounts = Accounts::load();
    let width = term::env_number(ctx, b"COLUMNS")
        .or_else(|| ctx.stdout.raw_fd().and_then(term::size_of_fd).map(|s| s.0))
        .unwrap_or(80);
    let mut prev = first_sample(cfg, &accounts);
    let mut shown = 0u64;
    loop {
        let (lines, now) = next_frame(ctx, cfg, &accounts, &prev, width);
        prev = now;
        let mut out = Vec::new();
        if shown > 0 {
            out.push(b'\n');
        }
        for l in &lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
        ctx.stdout.write_all(&out)?;
        ctx.stdout.flush()?;
        shown += 1;
        if cfg.frames.is_some_and(|n| shown >= n) {
            return Ok(());
        }
        if !ctx.pause(cfg.delay) {
            return Err(Error::silent(130));
        }
    }
}

/// Login records in /var/run/utmp (0 without one).
fn logged_in_users() -> usize {
    const RECORD: usize = 384;
    const USER_PROCESS: i32 = 7;
    std::fs::read("/var/run/utmp").map_or(0, |d| {
        d.chunks_exact(RECORD)
            .filter(|r| i32::from_ne_bytes([r[0], r[1], r[2], r[3]]) == USER_PROCESS)
            .count()
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn bad_arguments() {
        let out = run("top", &["-b", "-n", "abc"], b"");
        assert_eq!(
            (out.status, out.err()),
            (1, "top: bad iterations argument 'abc'\n".into())
        );
        let out = run("top", &["-b", "-d", "x"], b"");
        assert_eq!(out.err(), "top: bad delay interval 'x'\n");
        let out = run("top", &["-b", "-p", "1,x"], b"");
        assert_eq!(out.err(), "top: bad pid 'x'\n");
        let out = run("top", &["-b", "-o", "foo"], b"");
        assert_eq!(out.err(), "top: unrecognized field name 'foo'\n");
    }

    #[test]
    fn one_batch_frame_of_this_process() {
        let me = std::process::id().to_string();
        let out = run("top", &["-b", "-n", "1", "-d", "0", "-p", &me], b"");
        assert_eq!(out.status, 0, "{}", out.err());
        let lines: Vec<&str> = out
            .stdout
            .split(|&b| b == b'\n')
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        assert!(lines[0].starts_with("top - "), "{}", lines[0]);
        assert!(lines[1].starts_with("Tasks:   1 total,"), "{}", lines[1]);
        assert!(lines[2].starts_with("%Cpu(s): "));
        assert!(lines[3].starts_with("MiB Mem : "));
        assert!(lines[4].starts_with("MiB Swap: "));
        assert_eq!(lines[5], "");
        assert!(lines[6].ends_with(
            "PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND"
        ));
        assert!(lines[7].trim_start().starts_with(&format!("{me} ")));
        assert_eq!(lines.len(), 9);
    }
}
