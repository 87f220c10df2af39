//! `watch`: run a command every few seconds and show its output under procps's title
//! line (`Every 2.0s: CMD` on the left, `HOST: DATE` on the right). On a terminal each
//! run clears the screen (as BusyBox's does: no raw mode, nothing to restore); elsewhere
//! the runs follow one another. The command goes to rbox's own `sh -c`, or is run
//! directly with `-x`.

use std::io::Read;
use std::time::Duration;

use super::command::{env_of, spawn_error};
use super::ps::term;
use crate::common::time::{Tz, localtime};
use crate::ctx::{Child, PipeDir};
use crate::prelude::*;

/// The `watch` applet.
pub const APPLET: Applet = Applet::new("watch", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-tegx] [-n SECS] COMMAND...")
    .help(
        "Run COMMAND every 2 seconds, showing its output full screen.\n\n\
         -n SECS\tSeconds between runs (fractions allowed; at least 0.1)\n\
         -t\tNo title line\n\
         -e\tStop when the command fails, with its status\n\
         -g\tStop when the output changes\n\
         -x\tRun COMMAND directly, not through sh -c",
    );

const LONGS: &[&str] = &["interval", "no-title", "errexit", "chgexit", "exec"];

struct Config {
    interval: Duration,
    title: bool,
    errexit: bool,
    chgexit: bool,
    exec: bool,
    command: Vec<Vec<u8>>,
}

fn parse(ctx: &Ctx<'_>) -> Result<Config, Error> {
    let mut cfg = Config {
        interval: Duration::from_secs(2),
        title: true,
        errexit: false,
        chgexit: false,
        exec: false,
        command: Vec::new(),
    };
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('n') | Arg::Long("interval") => {
                let v = opts.value()?;
                let secs = std::str::from_utf8(&v)
                    .ok()
                    .map(|s| s.replace(',', "."))
                    .and_then(|s| s.parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "failed to parse argument: '{}'",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
                cfg.interval = Duration::from_secs_f64(secs.max(0.1));
            }
            Arg::Short('t') | Arg::Long("no-title") => cfg.title = false,
            Arg::Short('e') | Arg::Long("errexit") => cfg.errexit = true,
            Arg::Short('g') | Arg::Long("chgexit") => cfg.chgexit = true,
            Arg::Short('x') | Arg::Long("exec") => cfg.exec = true,
            Arg::Value(v) => {
                cfg.command.push(v);
                cfg.command.extend(opts.rest());
                break;
            }
            other => return Err(opts.unexpected(&other)),
        }
    }
    if cfg.command.is_empty() {
        return Err(Error::usage("no command given"));
    }
    Ok(cfg)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let cfg = parse(ctx)?;
    let tty = term::stdout_is_tty(ctx);
    let shown = cfg.command.join(&b' ');
    let argv: Vec<Vec<u8>> = if cfg.exec {
        cfg.command.clone()
    } else {
        // On a terminal the command's errors belong on the screen with its output.
        let script = if tty {
            [b"exec 2>&1\n".as_slice(), &shown].concat()
        } else {
            shown.clone()
        };
        vec![b"sh".to_vec(), b"-c".to_vec(), script]
    };
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    let tz = Tz::from_env(ctx.env);
    let mut previous: Option<Vec<u8>> = None;
    loop {
        let (output, status) = capture(ctx, &argv)?;
        let (width, height) = term::size(ctx, (80, 24));
        let mut frame = Vec::new();
        if tty {
            frame.extend_from_slice(b"\x1b[H\x1b[2J");
        }
        if cfg.title {
            let secs = cfg.interval.as_secs_f64();
            let left = format!("Every {secs:.1}s: {}", String::from_utf8_lossy(&shown));
            let right = format!("{host}: {}", date(&tz));
            frame.extend_from_slice(title(&left, &right, width).as_bytes());
            frame.extend_from_slice(b"\n\n");
        }
        if tty {
            let rows = height.saturating_sub(if cfg.title { 2 } else { 0 });
            frame.extend_from_slice(&screen_text(&output, width, rows));
        } else {
            frame.extend_from_slice(&output);
            if !output.is_empty() && !output.ends_with(b"\n") {
                frame.push(b'\n');
            }
        }
        ctx.stdout.write_all(&frame)?;
        ctx.stdout.flush()?;
        if cfg.errexit && status != 0 {
            ctx.note(b"command exit with a non-zero status");
            return Err(Error::silent(status));
        }
        if cfg.chgexit && previous.as_ref().is_some_and(|p| *p != output) {
            return Ok(());
        }
        previous = Some(output);
        if !ctx.pause(cfg.interval) {
            return Err(Error::silent(130));
        }
    }
}

/// Runs the command with its output in a pipe; the output and the exit status.
fn capture(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<(Vec<u8>, u8), Error> {
    let env = env_of(ctx);
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    let child = ctx
        .spawn
        .pipe(argv, &env, PipeDir::FromChild)
        .map_err(|e| spawn_error(argv, &e))?;
    let pid = child.pid;
    let mut file = std::fs::File::from(child.fd);
    let mut output = Vec::new();
    let read = file.read_to_end(&mut output);
    drop(file);
    let status = Child { pid }.wait()?;
    read?;
    Ok((output, status))
}

/// The local time as `Tue Dec  1 21:28:08 2026`.
fn date(tz: &Tz) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let tm = localtime(now, tz);
    String::from_utf8_lossy(&crate::common::time::strftime(b"%a %b %e %H:%M:%S %Y", &tm))
        .into_owned()
}

/// The title line: `left`, then `right` ending at column `width`; `left` is cut (with
/// `...`) when both do not fit, and `right` dropped when even that is too narrow.
fn title(left: &str, right: &str, width: usize) -> String {
    let (l, r) = (left.chars().count(), right.chars().count());
    if l + 1 + r <= width {
        return format!("{left}{}{right}", " ".repeat(width - l - r));
    }
    if r + 5 <= width {
        let keep = width - r - 4;
        let cut: String = left.chars().take(keep).collect();
        return format!("{cut}... {right}");
    }
    left.chars().take(width).collect()
}

/// The output as it fits the screen: lines cut to `width`, at most `rows` of them.
fn screen_text(output: &[u8], width: usize, rows: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, line) in output.split(|&b| b == b'\n').take(rows).enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let text = String::from_utf8_lossy(line);
        out.extend(text.chars().take(width).collect::<String>().bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn title_layout() {
        assert_eq!(
            title("Every 1.0s: echo hi", "vm: Tue Dec  1 21:28:08 2026", 80),
            format!(
                "Every 1.0s: echo hi{}vm: Tue Dec  1 21:28:08 2026",
                " ".repeat(33)
            )
        );
        assert_eq!(
            title("Every 1.0s: a long command", "h: D", 20),
            "Every 1.0s: ... h: D"
        );
        assert_eq!(title("Every 1.0s: x", "host: date", 8), "Every 1.");
    }

    #[test]
    fn screen_cut() {
        assert_eq!(screen_text(b"abcdef\nxy\nz\n", 3, 2), b"abc\nxy");
    }

    #[test]
    fn usage_errors() {
        let out = run("watch", &[], b"");
        assert_eq!(out.status, 1);
        assert!(out.err().starts_with("watch: no command given\n"));
        let out = run("watch", &["-n", "soon", "true"], b"");
        assert_eq!(out.err(), "watch: failed to parse argument: 'soon'\n");
    }
}
