//! One screenful of `top`: two samples of /proc turned into procps's summary lines
//! (uptime and load, tasks, CPU states, memory) and the process table sorted by a field.

use crate::applets::proc::procs::{self, System, meminfo_value};
use crate::applets::proc::ps::row::{self, Need, Row, Sys};
use crate::common::passwd::Accounts;

/// The CPU time counters of /proc/stat's `cpu` line, in ticks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuTimes {
    /// user, nice, system, idle, iowait, irq, softirq, steal.
    pub v: [u64; 8],
}

/// Parses the first (`cpu`) line of /proc/stat.
pub fn parse_cpu(stat: &str) -> CpuTimes {
    let mut t = CpuTimes::default();
    if let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) {
        for (slot, w) in t.v.iter_mut().zip(line.split_whitespace().skip(1)) {
            *slot = w.parse().unwrap_or(0);
        }
    }
    t
}

/// What one look at /proc found.
pub struct Sample {
    /// When it was taken (seconds since boot).
    pub uptime: f64,
    /// The CPU counters.
    pub cpu: CpuTimes,
    /// The processes.
    pub rows: Vec<Row>,
    /// /proc/meminfo.
    pub meminfo: String,
    /// /proc/loadavg.
    pub loadavg: String,
}

/// Reads the system and every process (or only `pids`, when not empty).
pub fn sample(pids: &[i32], full_command: bool, accounts: &Accounts) -> Sample {
    let system = System::read();
    let sys = Sys::from(&system);
    let need = Need {
        cmdline: full_command,
        tty: false,
    };
    let rows = procs::pids()
        .into_iter()
        .filter(|p| pids.is_empty() || pids.contains(p))
        .filter_map(|p| row::read(p, need, sys, accounts))
        .collect();
    let text = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    Sample {
        uptime: system.uptime,
        cpu: parse_cpu(&text("/proc/stat")),
        rows,
        meminfo: text("/proc/meminfo"),
        loadavg: text("/proc/loadavg"),
    }
}

/// A sort field and direction (`-o FIELD`, `-o -FIELD` for low to high).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// Which column.
    pub field: Field,
    /// Low to high instead of high to low.
    pub ascending: bool,
}

/// The columns of top's table that can be sorted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// PID
    Pid,
    /// USER
    User,
    /// PR
    Pr,
    /// NI
    Ni,
    /// VIRT
    Virt,
    /// RES
    Res,
    /// SHR
    Shr,
    /// S
    State,
    /// %CPU
    Cpu,
    /// %MEM
    Mem,
    /// TIME+
    Time,
    /// COMMAND
    Command,
}

/// The field a `-o` name names (as in the header, any case).
pub fn field_named(name: &str) -> Option<Field> {
    Some(match name.to_ascii_uppercase().as_str() {
        "PID" => Field::Pid,
        "USER" => Field::User,
        "PR" => Field::Pr,
        "NI" => Field::Ni,
        "VIRT" => Field::Virt,
        "RES" => Field::Res,
        "SHR" => Field::Shr,
        "S" => Field::State,
        "%CPU" => Field::Cpu,
        "%MEM" => Field::Mem,
        "TIME+" | "TIME" => Field::Time,
        "COMMAND" => Field::Command,
        _ => return None,
    })
}

/// What a frame shows beyond the samples.
pub struct View {
    /// Local time of day (h, m, s).
    pub clock: (u32, u32, u32),
    /// Logged-in users.
    pub users: usize,
    /// The screen width; lines stay one short of it, as procps's do (no wrap at the
    /// last column).
    pub width: usize,
    /// The sort.
    pub sort: Sort,
    /// COMMAND shows the command line.
    pub full_command: bool,
    /// Width of the PID column.
    pub pid_width: usize,
}

/// One process's line values, with its CPU share over the interval.
struct Line<'a> {
    row: &'a Row,
    cpu: f64,
}

/// The frame's lines (without newlines): 5 summary lines, a blank, the header, the rows.
pub fn render(prev: &Sample, now: &Sample, view: &View) -> Vec<String> {
    let mut out = vec![
        uptime_line(now, view),
        tasks_line(&now.rows),
        cpu_line(&prev.cpu, &now.cpu),
    ];
    out.extend(memory_lines(&now.meminfo));
    out.push(String::new());
    let pw = view.pid_width;
    out.push(cut(
        &format!(
            "{:>pw$} USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
            "PID"
        ),
        view.width.saturating_sub(1),
    ));
    let elapsed = (now.uptime - prev.uptime).max(0.0);
    let before: std::collections::HashMap<(i32, u64), u64> = prev
        .rows
        .iter()
        .map(|p| ((p.pid, p.stat.start), p.cpu_ticks()))
        .collect();
    let mut lines: Vec<Line<'_>> = now
        .rows
        .iter()
        .map(|r| {
            let then = before.get(&(r.pid, r.stat.start)).copied().unwrap_or(0);
            let delta = r.cpu_ticks().saturating_sub(then) as f64;
            let cpu = if elapsed > 0.0 {
                delta / r.sys.ticks as f64 / elapsed * 100.0
            } else {
                0.0
            };
            Line { row: r, cpu }
        })
        .collect();
    sort(&mut lines, view.sort);
    for l in &lines {
        out.push(cut(&process_line(l, view), view.width.saturating_sub(1)));
    }
    out
}

fn sort(lines: &mut [Line<'_>], s: Sort) {
    use std::cmp::Ordering;
    let key = |a: &Line<'_>, b: &Line<'_>| -> Ordering {
        let (x, y) = (a.row, b.row);
        match s.field {
            Field::Pid => x.pid.cmp(&y.pid),
            Field::User => x.user.cmp(&y.user),
            Field::Pr => x.stat.priority.cmp(&y.stat.priority),
            Field::Ni => x.stat.nice.cmp(&y.stat.nice),
            Field::Virt => x.stat.vsize.cmp(&y.stat.vsize),
            Field::Res => x.stat.rss.cmp(&y.stat.rss),
            Field::Shr => x.ids.shared_kib.cmp(&y.ids.shared_kib),
            Field::State => x.stat.state.cmp(&y.stat.state),
            Field::Cpu => a.cpu.total_cmp(&b.cpu),
            Field::Mem => x.stat.rss.cmp(&y.stat.rss),
            Field::Time => x.cpu_ticks().cmp(&y.cpu_ticks()),
            Field::Command => x.stat.comm.cmp(&y.stat.comm),
        }
    };
    // Stable: equal keys stay in pid order.
    if s.ascending {
        lines.sort_by(key);
    } else {
        lines.sort_by(|a, b| key(b, a));
    }
}

/// Cuts a line to `width` characters, the last one `+` when something was cut.
fn cut(line: &str, width: usize) -> String {
    if line.chars().count() <= width || width == 0 {
        return line.to_string();
    }
    let mut s: String = line.chars().take(width - 1).collect();
    s.push('+');
    s
}

fn process_line(l: &Line<'_>, view: &View) -> String {
    let r = l.row;
    let s = &r.stat;
    let pr = if s.priority < -99 || s.policy == 1 || s.policy == 2 && s.priority < 0 {
        "rt".to_string()
    } else {
        s.priority.to_string()
    };
    let mut user = String::from_utf8_lossy(&r.user).into_owned();
    if user.chars().count() > 8 {
        user = user.chars().take(7).collect::<String>() + "+";
    }
    let command = if view.full_command {
        r.args_shown()
    } else {
        r.comm_shown()
    };
    let cs = r.cpu_ticks() * 100 / r.sys.ticks;
    let time = format!("{}:{:02}.{:02}", cs / 6000, cs / 100 % 60, cs % 100);
    let mem = if r.sys.mem_total_kib > 0 {
        r.rss_kib() as f64 * 100.0 / r.sys.mem_total_kib as f64
    } else {
        0.0
    };
    let pw = view.pid_width;
    format!(
        "{:>pw$} {:<8} {:>3} {:>3} {:>7} {:>6} {:>6} {} {:>5} {:>5} {:>9} {}",
        r.pid,
        user,
        pr,
        s.nice,
        kib(s.vsize / 1024, 7),
        kib(r.rss_kib(), 6),
        kib(r.ids.shared_kib, 6),
        s.state as char,
        percent(l.cpu),
        percent(mem),
        time,
        String::from_utf8_lossy(&command)
    )
}

/// A per-cent figure with one decimal, whole from 1000 up.
fn percent(v: f64) -> String {
    if v >= 999.95 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A KiB amount in `width` characters: plain, or in m/g/t units when it does not fit.
fn kib(v: u64, width: usize) -> String {
    let plain = v.to_string();
    if plain.len() <= width {
        return plain;
    }
    let mut scaled = v as f64;
    for unit in ["m", "g", "t", "p"] {
        scaled /= 1024.0;
        let s = format!("{scaled:.1}{unit}");
        if s.len() <= width {
            return s;
        }
    }
    plain
}

fn uptime_line(now: &Sample, view: &View) -> String {
    let up = now.uptime as u64;
    let (days, hours, mins) = (up / 86400, up / 3600 % 24, up / 60 % 60);
    let mut when = String::new();
    if days > 0 {
        when.push_str(&format!("{days} day{}, ", if days == 1 { "" } else { "s" }));
    }
    if hours > 0 {
        when.push_str(&format!("{hours:2}:{mins:02}"));
    } else {
        when.push_str(&format!("{mins} min"));
    }
    let load: Vec<f64> = now
        .loadavg
        .split_whitespace()
        .take(3)
        .map(|w| w.parse().unwrap_or(0.0))
        .chain(std::iter::repeat(0.0))
        .take(3)
        .collect();
    let (h, m, s) = view.clock;
    let word = if view.users > 1 { "users" } else { "user" };
    format!(
        "top - {h:02}:{m:02}:{s:02} up {when}, {:2} {word},  load average: {:.2}, {:.2}, {:.2}",
        view.users, load[0], load[1], load[2]
    )
}

/// The `Tasks:` line: processes by state.
pub fn tasks_line(rows: &[Row]) -> String {
    let count = |f: &dyn Fn(u8) -> bool| rows.iter().filter(|r| f(r.stat.state)).count();
    format!(
        "Tasks: {:3} total, {:3} running, {:3} sleeping, {:3} stopped, {:3} zombie",
        rows.len(),
        count(&|s| s == b'R'),
        count(&|s| matches!(s, b'S' | b'D' | b'I')),
        count(&|s| matches!(s, b'T' | b't')),
        count(&|s| s == b'Z'),
    )
}

fn cpu_line(prev: &CpuTimes, now: &CpuTimes) -> String {
    let d: Vec<u64> = now
        .v
        .iter()
        .zip(prev.v)
        .map(|(n, p)| n.saturating_sub(p))
        .collect();
    let total: u64 = d.iter().sum();
    let pct = |i: usize| {
        if total == 0 {
            if i == 3 { 100.0 } else { 0.0 }
        } else {
            d[i] as f64 * 100.0 / total as f64
        }
    };
    format!(
        "%Cpu(s): {:4.1} us, {:4.1} sy, {:4.1} ni, {:4.1} id, {:4.1} wa, {:4.1} hi, {:4.1} si, {:4.1} st ",
        pct(0),
        pct(2),
        pct(1),
        pct(3),
        pct(4),
        pct(5),
        pct(6),
        pct(7)
    )
}

fn memory_lines(meminfo: &str) -> [String; 2] {
    let get = |k: &str| meminfo_value(meminfo, k).unwrap_or(0) as f64 / 1024.0;
    let total = get("MemTotal");
    let avail = get("MemAvailable");
    let cache = get("Buffers") + get("Cached") + get("SReclaimable");
    let (swap_total, swap_free) = (get("SwapTotal"), get("SwapFree"));
    [
        format!(
            "MiB Mem : {total:8.1} total, {:8.1} free, {:8.1} used, {cache:8.1} buff/cache     ",
            get("MemFree"),
            (total - avail).max(0.0)
        ),
        format!(
            "MiB Swap: {swap_total:8.1} total, {swap_free:8.1} free, {:8.1} used. {avail:8.1} avail Mem ",
            (swap_total - swap_free).max(0.0)
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::applets::proc::procs::Stat;

    fn proc_row(pid: i32, state: u8, ticks: u64) -> Row {
        Row {
            pid,
            user: b"root".to_vec(),
            stat: Stat {
                comm: b"averyverylongname".to_vec(),
                state,
                priority: 20,
                utime: ticks,
                vsize: 9088 * 1024,
                rss: 1290,
                ..Stat::default()
            },
            sys: Sys {
                ticks: 100,
                page_kib: 4,
                mem_total_kib: 1_000_000,
                ..Sys::default()
            },
            ..Row::default()
        }
    }

    fn sample(uptime: f64, rows: Vec<Row>, cpu: [u64; 8]) -> Sample {
        Sample {
            uptime,
            cpu: CpuTimes { v: cpu },
            rows,
            meminfo: "MemTotal: 1048576 kB\nMemFree: 524288 kB\nMemAvailable: 786432 kB\n\
                      Buffers: 1024 kB\nCached: 102400 kB\nSReclaimable: 1024 kB\n\
                      SwapTotal: 0 kB\nSwapFree: 0 kB\n"
                .into(),
            loadavg: "0.77 0.97 1.78 1/83 27448\n".into(),
        }
    }

    #[test]
    fn procps_layout() {
        let prev = sample(
            100.0,
            vec![proc_row(1, b'S', 0), proc_row(7, b'R', 100)],
            [0; 8],
        );
        let now = sample(
            101.0,
            vec![
                proc_row(1, b'S', 10),
                proc_row(7, b'R', 150),
                proc_row(9, b'Z', 0),
            ],
            [10, 0, 30, 60, 0, 0, 0, 0],
        );
        let view = View {
            clock: (20, 46, 57),
            users: 0,
            width: 80,
            sort: Sort {
                field: Field::Cpu,
                ascending: false,
            },
            full_command: false,
            pid_width: 5,
        };
        let lines = render(&prev, &now, &view);
        assert_eq!(
            lines[..7],
            [
                "top - 20:46:57 up 1 min,  0 user,  load average: 0.77, 0.97, 1.78",
                "Tasks:   3 total,   1 running,   1 sleeping,   0 stopped,   1 zombie",
                "%Cpu(s): 10.0 us, 30.0 sy,  0.0 ni, 60.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st ",
                "MiB Mem :   1024.0 total,    512.0 free,    256.0 used,    102.0 buff/cache     ",
                "MiB Swap:      0.0 total,      0.0 free,      0.0 used.    768.0 avail Mem ",
                "",
                "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
            ]
        );
        assert_eq!(
            lines[7],
            "    7 root      20   0    9088   5160      0 R  50.0   0.5   0:01.50 averyvery+"
        );
        assert!(lines[8].starts_with("    1 root ") && lines[8].contains(" 10.0 "));
        assert!(lines[9].starts_with("    9 "));
    }

    #[test]
    fn field_names_and_sizes() {
        assert_eq!(field_named("%cpu"), Some(Field::Cpu));
        assert_eq!(field_named("TIME+"), Some(Field::Time));
        assert_eq!(field_named("foo"), None);
        assert_eq!(kib(1234567, 7), "1234567");
        assert_eq!(kib(12345678, 7), "11.8g");
        assert_eq!(kib(123456789, 6), "117.7g");
        assert_eq!(cut("abcdef", 4), "abc+");
        assert_eq!(percent(12.34), "12.3");
    }
}
