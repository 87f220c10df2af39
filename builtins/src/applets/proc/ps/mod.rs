//! `ps`: list processes from /proc. With no options, BusyBox's columns for every
//! process; `-o` takes procps's field names, headers and widths; `-f`/`-ef` and BSD
//! `aux` give procps's full and user-oriented formats; `-p`, `-u`, `-U` and `-C` select.

pub mod fields;
pub mod layout;
pub mod row;
pub mod term;

use fields::{Clock, Key};
use layout::Column;
use row::{Need, Row, Sys};

use super::procs::{self, System};
use crate::common::passwd::Accounts;
use crate::common::time::Tz;
use crate::prelude::*;

/// The `ps` applet.
pub const APPLET: Applet = Applet::new("ps", main, Run::Fork)
    .usage("[-Aef] [-o FIELD[=HEADER],...] [-p PID,...] [-u USER,...] [aux] [w] [h]")
    .help(
        "List processes: every process, as PID, USER, TIME and COMMAND by default.\n\n\
         -e, -A\tEvery process (the default)\n\
         -f\tFull format: UID PID PPID C STIME TTY TIME CMD\n\
         -o LIST\tThese fields (pid ppid pgid sid user ruser group uid comm args cmd\n\
         \tetime time nice vsz rss stat tty pcpu pmem start lstart ...); FIELD=HEADER\n\
         \tnames the column (the header runs to the end of the argument)\n\
         -p LIST\tOnly these process ids\n\
         -u LIST\tOnly processes of these effective users (names or ids)\n\
         -U LIST\tOnly processes of these real users\n\
         -C LIST\tOnly processes with these names\n\
         aux\tBSD user-oriented format: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\n\
         w, ww\tWider lines; twice: never cut (lines are cut only on a terminal)\n\
         h, --no-headers\tNo header line",
    );

/// Which set of columns to show when `-o` is not given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Style {
    #[default]
    BusyBox,
    Full,
    Bsd,
}

/// Everything the arguments asked for.
#[derive(Default)]
struct Request {
    style: Style,
    /// The `-o` columns, in order.
    columns: Vec<Column>,
    pids: Vec<i32>,
    euids: Vec<u32>,
    ruids: Vec<u32>,
    names: Vec<Vec<u8>>,
    /// Whether any selection was given (then finding nothing is status 1, as procps).
    selected: bool,
    no_header: bool,
    wide: u8,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let accounts = Accounts::load();
    let system = System::read();
    let req = parse(ctx.args, &accounts, system.pid_max)?;
    let columns = if req.columns.is_empty() {
        style_columns(req.style, system.pid_max)
    } else {
        req.columns.clone()
    };
    let need = Need {
        cmdline: columns.iter().any(|c| c.key == Key::Args),
        tty: columns.iter().any(|c| c.key == Key::Tty),
    };
    let sys = Sys::from(&system);
    let only_pids = !req.pids.is_empty()
        && req.euids.is_empty()
        && req.ruids.is_empty()
        && req.names.is_empty();
    let rows: Vec<Row> = procs::pids()
        .into_iter()
        .filter(|pid| !only_pids || req.pids.contains(pid))
        .filter_map(|pid| row::read(pid, need, sys, &accounts))
        .filter(|r| selects(&req, r))
        .collect();
    let clock = Clock {
        now: now(),
        tz: Tz::from_env(ctx.env),
    };
    let limit = line_limit(ctx, req.wide);
    let mut out = Vec::with_capacity(64 * (rows.len() + 1));
    if !req.no_header && columns.iter().any(|c| !c.header.is_empty()) {
        let headers: Vec<Vec<u8>> = columns.iter().map(|c| c.header.clone()).collect();
        let all_left = req.style == Style::BusyBox && req.columns.is_empty();
        layout::line(&columns, &headers, all_left, limit, &mut out);
    }
    for r in &rows {
        let cells: Vec<Vec<u8>> = columns
            .iter()
            .map(|c| fields::value(c.key, r, &clock))
            .collect();
        layout::line(&columns, &cells, false, limit, &mut out);
        if out.len() > 1 << 16 {
            ctx.stdout.write_all(&out)?;
            out.clear();
        }
    }
    ctx.stdout.write_all(&out)?;
    if req.selected && rows.is_empty() {
        return Err(Error::silent(1));
    }
    Ok(())
}

/// Seconds since the epoch.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How many characters a line may have: unlimited unless writing to a terminal; there,
/// its width (`COLUMNS` first), at least 132 with `w`, unlimited with `ww`.
fn line_limit(ctx: &Ctx<'_>, wide: u8) -> Option<usize> {
    if wide >= 2 || !term::stdout_is_tty(ctx) {
        return None;
    }
    let (cols, _) = term::size(ctx, (80, 24));
    Some(if wide == 1 { cols.max(132) } else { cols })
}

/// Whether row `r` passes the user and name selections (pids were taken earlier). Any
/// one criterion that matches is enough, as with procps.
fn selects(req: &Request, r: &Row) -> bool {
    if !req.selected {
        return true;
    }
    req.pids.contains(&r.pid)
        || req.euids.contains(&r.ids.euid)
        || req.ruids.contains(&r.ids.ruid)
        || req.names.contains(&r.stat.comm)
}

/// The width of process-id columns: enough digits for the largest id, at least 5.
fn pid_width(pid_max: u64) -> usize {
    pid_max.saturating_sub(1).to_string().len().max(5)
}

fn column(key: Key, header: &str, width: usize, left: bool) -> Column {
    Column {
        header: header.as_bytes().to_vec(),
        width,
        left,
        key,
    }
}

/// The columns of the formats that `-o` did not replace.
fn style_columns(style: Style, pid_max: u64) -> Vec<Column> {
    let pw = pid_width(pid_max);
    match style {
        Style::BusyBox => vec![
            column(Key::Pid, "PID", 5, false),
            column(Key::User, "USER", 8, true),
            column(Key::BbTime, "TIME", 5, false),
            column(Key::Args, "COMMAND", 0, true),
        ],
        Style::Full => vec![
            column(Key::User, "UID", 8, true),
            column(Key::Pid, "PID", pw, false),
            column(Key::Ppid, "PPID", pw, false),
            column(Key::C, "C", 2, false),
            column(Key::Stime, "STIME", 5, false),
            column(Key::Tty, "TTY", 8, true),
            column(Key::Time, "TIME", 8, false),
            column(Key::Args, "CMD", 0, true),
        ],
        Style::Bsd => vec![
            column(Key::User, "USER", 8, true),
            column(Key::Pid, "PID", pw, false),
            column(Key::Pcpu, "%CPU", 4, false),
            column(Key::Pmem, "%MEM", 4, false),
            column(Key::Vsz, "VSZ", 6, false),
            column(Key::Rss, "RSS", 5, false),
            column(Key::Tty, "TTY", 8, true),
            column(Key::Stat, "STAT", 4, true),
            column(Key::BsdStart, "START", 5, false),
            column(Key::BsdTime, "TIME", 6, false),
            column(Key::Args, "COMMAND", 0, true),
        ],
    }
}

/// Reads the arguments: dashed UNIX options (`-ef`, `-o LIST`), BSD letters without a
/// dash (`aux`, `w`, `h`), bare process ids, and the long `--no-headers`/`--pid`/`--user`.
fn parse(args: &[Vec<u8>], accounts: &Accounts, pid_max: u64) -> Result<Request, Error> {
    let mut req = Request::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_slice();
        i += 1;
        if let Some(long) = arg.strip_prefix(b"--") {
            let (name, attached) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (&long[..eq], Some(long[eq + 1..].to_vec())),
                None => (long, None),
            };
            let mut value = || -> Result<Vec<u8>, Error> {
                if let Some(v) = attached.clone() {
                    return Ok(v);
                }
                let v = args.get(i).cloned().ok_or_else(|| {
                    Error::usage(format!(
                        "option '--{}' requires an argument",
                        String::from_utf8_lossy(name)
                    ))
                })?;
                i += 1;
                Ok(v)
            };
            match name {
                b"no-headers" | b"no-heading" => req.no_header = true,
                b"pid" => add_pids(&mut req, &value()?)?,
                b"user" => add_users(&mut req, &value()?, accounts, true)?,
                b"format" => add_format(&mut req, &value()?, pid_max)?,
                _ => {
                    return Err(Error::usage(format!(
                        "unrecognized option '--{}'",
                        String::from_utf8_lossy(name)
                    )));
                }
            }
        } else if arg.len() > 1 && arg[0] == b'-' {
            if arg == b"-aux" {
                bsd_letters(&mut req, b"aux")?;
                continue;
            }
            let mut j = 1;
            while j < arg.len() {
                let c = arg[j];
                j += 1;
                match c {
                    b'e' | b'A' | b'a' | b'd' => {}
                    b'f' => req.style = Style::Full,
                    b'w' => req.wide = req.wide.saturating_add(1),
                    b'o' | b'p' | b'u' | b'U' | b'C' => {
                        let value = if j < arg.len() {
                            arg[j..].to_vec()
                        } else {
                            let v = args.get(i).cloned().ok_or_else(|| {
                                Error::usage(format!(
                                    "option requires an argument -- '{}'",
                                    c as char
                                ))
                            })?;
                            i += 1;
                            v
                        };
                        j = arg.len();
                        match c {
                            b'o' => add_format(&mut req, &value, pid_max)?,
                            b'p' => add_pids(&mut req, &value)?,
                            b'u' => add_users(&mut req, &value, accounts, true)?,
                            b'U' => add_users(&mut req, &value, accounts, false)?,
                            _ => {
                                req.selected = true;
                                req.names.extend(split_list(&value).map(<[u8]>::to_vec));
                            }
                        }
                    }
                    _ => {
                        return Err(Error::usage(format!(
                            "invalid option -- '{}'",
                            String::from_utf8_lossy(&[c])
                        )));
                    }
                }
            }
        } else if !arg.is_empty() && arg.iter().all(|b| b.is_ascii_digit() || *b == b',') {
            add_pids(&mut req, arg)?;
        } else {
            bsd_letters(&mut req, arg)?;
        }
    }
    Ok(req)
}

/// BSD option letters: `a` and `x` (every process here anyway), `u`, `w`, `h`, `e`.
fn bsd_letters(req: &mut Request, letters: &[u8]) -> Result<(), Error> {
    for &c in letters {
        match c {
            b'a' | b'x' | b'e' | b'g' => {}
            b'u' => req.style = Style::Bsd,
            b'w' => req.wide = req.wide.saturating_add(1),
            b'h' => req.no_header = true,
            _ => {
                return Err(Error::usage(format!(
                    "unsupported option (BSD syntax): '{}'",
                    String::from_utf8_lossy(&[c])
                )));
            }
        }
    }
    Ok(())
}

/// Items of a list separated by commas or blanks, empty ones dropped.
fn split_list(list: &[u8]) -> impl Iterator<Item = &[u8]> {
    list.split(|&b| b == b',' || b == b' ' || b == b'\t')
        .filter(|s| !s.is_empty())
}

/// Adds `-p` ids: positive numbers separated by commas or blanks.
fn add_pids(req: &mut Request, list: &[u8]) -> Result<(), Error> {
    req.selected = true;
    let inner_empty = list.windows(2).any(|w| w == b",,");
    if list.is_empty() || inner_empty || list.first() == Some(&b',') || list.last() == Some(&b',') {
        return Err(Error::msg("improper list"));
    }
    for item in split_list(list) {
        let pid = std::str::from_utf8(item)
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| Error::msg("process ID list syntax error"))?;
        if pid < 1 || pid > i64::from(i32::MAX) {
            return Err(Error::msg("process ID out of range"));
        }
        req.pids.push(pid as i32);
    }
    Ok(())
}

/// Adds `-u` (effective) or `-U` (real) users: names or numeric ids.
fn add_users(
    req: &mut Request,
    list: &[u8],
    accounts: &Accounts,
    effective: bool,
) -> Result<(), Error> {
    req.selected = true;
    for item in split_list(list) {
        let uid = accounts
            .resolve_uid(item)
            .ok_or_else(|| Error::msg("user name does not exist"))?;
        if effective {
            req.euids.push(uid);
        } else {
            req.ruids.push(uid);
        }
    }
    Ok(())
}

/// Adds `-o` columns. `FIELD=HEADER` takes the rest of the argument as the header.
fn add_format(req: &mut Request, list: &[u8], pid_max: u64) -> Result<(), Error> {
    let mut rest = list;
    loop {
        let rest_trimmed = trim_separators(rest);
        if rest_trimmed.is_empty() {
            break;
        }
        let end = rest_trimmed
            .iter()
            .position(|&b| b == b',' || b == b' ' || b == b'=')
            .unwrap_or(rest_trimmed.len());
        let name = &rest_trimmed[..end];
        let spec = fields::lookup(name).ok_or_else(|| {
            Error::msg(format!(
                "unknown user-defined format specifier \"{}\"",
                String::from_utf8_lossy(name)
            ))
        })?;
        let mut width = spec.width;
        if matches!(spec.key, Key::Pid | Key::Ppid | Key::Pgid | Key::Sid) {
            width = width.max(pid_width(pid_max));
        }
        let (header, next) = if rest_trimmed.get(end) == Some(&b'=') {
            (rest_trimmed[end + 1..].to_vec(), &b""[..])
        } else {
            (spec.header.as_bytes().to_vec(), &rest_trimmed[end..])
        };
        req.columns.push(Column {
            width: width.max(layout::char_count(&header)),
            header,
            left: spec.left,
            key: spec.key,
        });
        rest = next;
    }
    Ok(())
}

fn trim_separators(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&b| b != b',' && b != b' ')
        .unwrap_or(s.len());
    &s[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    fn req(args: &[&str]) -> Result<Request, String> {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let accounts = Accounts {
            users: crate::common::passwd::parse_users(b"root:x:0:0::/root:/bin/sh\n"),
            groups: Vec::new(),
        };
        parse(&args, &accounts, 32768).map_err(|e| e.to_string())
    }

    fn headers(r: &Request) -> Vec<String> {
        r.columns
            .iter()
            .map(|c| String::from_utf8_lossy(&c.header).into_owned())
            .collect()
    }

    #[test]
    fn format_lists_and_renamed_headers() {
        let r = req(&["-o", "pid,comm", "-o", "user=Owner,x"]).unwrap();
        assert_eq!(headers(&r), ["PID", "COMMAND", "Owner,x"]);
        assert_eq!(r.columns[2].width, 8);
        let r = req(&["-opid=", "-o", "comm="]).unwrap();
        assert_eq!(headers(&r), ["", ""]);
        let r = req(&["-o", "pid=PROCESSID"]).unwrap();
        assert_eq!(r.columns[0].width, 9);
        assert_eq!(
            req(&["-o", "pid,foo"]).err().unwrap(),
            "unknown user-defined format specifier \"foo\""
        );
    }

    #[test]
    fn styles_and_selections() {
        let r = req(&["-ef"]).unwrap();
        assert_eq!(r.style, Style::Full);
        assert!(!r.selected);
        let r = req(&["aux"]).unwrap();
        assert_eq!(r.style, Style::Bsd);
        let r = req(&["-p", "1,2", "-p3", "4"]).unwrap();
        assert_eq!(r.pids, [1, 2, 3, 4]);
        let r = req(&["-u", "root,5"]).unwrap();
        assert_eq!(r.euids, [0, 5]);
        assert!(req(&["h", "ww"]).unwrap().no_header);
        assert_eq!(req(&["ww"]).unwrap().wide, 2);
    }

    #[test]
    fn bad_lists_and_options() {
        assert_eq!(
            req(&["-p", "abc"]).err().unwrap(),
            "process ID list syntax error"
        );
        assert_eq!(req(&["-p", "1,,2"]).err().unwrap(), "improper list");
        assert_eq!(req(&["-p", "0"]).err().unwrap(), "process ID out of range");
        assert_eq!(
            req(&["-u", "nosuchuser"]).err().unwrap(),
            "user name does not exist"
        );
        assert_eq!(req(&["-Z"]).err().unwrap(), "invalid option -- 'Z'");
        assert_eq!(
            req(&["-o"]).err().unwrap(),
            "option requires an argument -- 'o'"
        );
        assert_eq!(
            req(&["--bogus"]).err().unwrap(),
            "unrecognized option '--bogus'"
        );
        assert_eq!(
            req(&["aQ"]).err().unwrap(),
            "unsupported option (BSD syntax): 'Q'"
        );
    }

    #[test]
    fn lists_this_process() {
        let me = std::process::id().to_string();
        let out = run("ps", &["-o", "pid=", "-oppid=", "-p", &me], b"");
        assert_eq!(out.status, 0, "{}", out.err());
        let parent = std::os::unix::process::parent_id();
        assert_eq!(out.out(), format!("{me:>5} {parent:>5}\n"));
        let out = run("ps", &[], b"");
        assert!(out.out().starts_with("PID   USER     TIME  COMMAND\n"));
    }

    #[test]
    fn a_selection_that_finds_nothing_fails() {
        let out = run("ps", &["-p", "2147483647"], b"");
        assert_eq!(out.status, 1);
        assert_eq!(out.out(), "PID   USER     TIME  COMMAND\n");
    }
}
