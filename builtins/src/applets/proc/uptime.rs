//! `uptime`: the time, how long the system has been up, users and load averages.

use crate::prelude::*;

/// The `uptime` applet.
pub const APPLET: Applet = Applet::new("uptime", main, Run::InProc)
    .dir(InstallDir::UsrBin)
    .usage("")
    .help(
        "Print the current time, how long the system has been running, the number of\n\
         logged-in users (from /var/run/utmp) and the 1, 5 and 15 minute load averages.",
    );

/// The size of one glibc x86-64 utmp record, and the type of a user's login record.
const UTMP_RECORD: usize = 384;
const USER_PROCESS: i32 = 7;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut opts = ctx.opts(&[]);
    if let Some(arg) = opts.next()? {
        return Err(opts.unexpected(&arg));
    }
    let up = std::fs::read_to_string("/proc/uptime").map_err(|e| Error::io(b"/proc/uptime", &e))?;
    let load =
        std::fs::read_to_string("/proc/loadavg").map_err(|e| Error::io(b"/proc/loadavg", &e))?;
    let seconds = up
        .split_whitespace()
        .next()
        .and_then(|s| s.parse::<f64>().ok())
        .ok_or_else(|| Error::msg("/proc/uptime: unexpected format"))? as u64;
    let loads: Vec<&str> = load.split_whitespace().take(3).collect();
    if loads.len() < 3 {
        return Err(Error::msg("/proc/loadavg: unexpected format"));
    }
    let users = std::fs::read("/var/run/utmp").map_or(0, |d| count_users(&d));
    let line = render(now_local(), seconds, users, [loads[0], loads[1], loads[2]]);
    ctx.stdout.write_all(line.as_bytes())?;
    Ok(())
}

/// The local time of day as (hours, minutes, seconds).
fn now_local() -> (u32, u32, u32) {
    // SAFETY: time and localtime_r write only into the locals given.
    unsafe {
        let t = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return (0, 0, 0);
        }
        (tm.tm_hour as u32, tm.tm_min as u32, tm.tm_sec as u32)
    }
}

/// Counts the login records in utmp data.
fn count_users(data: &[u8]) -> usize {
    data.chunks_exact(UTMP_RECORD)
        .filter(|r| i32::from_ne_bytes([r[0], r[1], r[2], r[3]]) == USER_PROCESS)
        .count()
}

/// The BusyBox line: ` HH:MM:SS up [N days, ]H:MM|M min,  U users,  load average: A, B, C`.
fn render((h, m, s): (u32, u32, u32), up: u64, users: usize, load: [&str; 3]) -> String {
    let days = up / 86400;
    let minutes = up / 60;
    let (hours, mins) = ((minutes / 60) % 24, minutes % 60);
    let mut out = format!(" {h:02}:{m:02}:{s:02} up ");
    if days > 0 {
        out.push_str(&format!("{days} day{}, ", if days == 1 { "" } else { "s" }));
    }
    if hours > 0 {
        out.push_str(&format!("{hours:2}:{mins:02}"));
    } else {
        out.push_str(&format!("{mins} min"));
    }
    out.push_str(&format!(
        ",  {users} users,  load average: {}, {}, {}\n",
        load[0], load[1], load[2]
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOAD: [&str; 3] = ["3.38", "5.66", "7.71"];

    #[test]
    fn busybox_layout() {
        assert_eq!(
            render((19, 59, 57), 17020, 0, LOAD),
            " 19:59:57 up  4:43,  0 users,  load average: 3.38, 5.66, 7.71\n"
        );
        assert_eq!(
            render((1, 2, 3), 86400 + 11 * 3600 + 5 * 60, 2, LOAD),
            " 01:02:03 up 1 day, 11:05,  2 users,  load average: 3.38, 5.66, 7.71\n"
        );
        assert_eq!(
            render((0, 0, 0), 3 * 86400 + 42 * 60, 1, LOAD),
            " 00:00:00 up 3 days, 42 min,  1 users,  load average: 3.38, 5.66, 7.71\n"
        );
        assert_eq!(
            render((0, 0, 0), 59, 0, LOAD),
            " 00:00:00 up 0 min,  0 users,  load average: 3.38, 5.66, 7.71\n"
        );
    }

    #[test]
    fn counts_user_records() {
        let mut data = vec![0u8; UTMP_RECORD * 3];
        data[0..4].copy_from_slice(&USER_PROCESS.to_ne_bytes());
        data[UTMP_RECORD..UTMP_RECORD + 4].copy_from_slice(&2i32.to_ne_bytes());
        data[2 * UTMP_RECORD..2 * UTMP_RECORD + 4].copy_from_slice(&USER_PROCESS.to_ne_bytes());
        assert_eq!(count_users(&data), 2);
        assert_eq!(count_users(&data[..100]), 0);
    }
}
