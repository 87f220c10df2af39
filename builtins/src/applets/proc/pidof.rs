//! `pidof`: print the ids of the processes running a program.

use super::procs::{self, Process};
use crate::prelude::*;

/// The `pidof` applet.
pub const APPLET: Applet = Applet::new("pidof", main, Run::InProc)
    .dir(InstallDir::Bin)
    .usage("[-s] [-o PID]... NAME...")
    .help(
        "Print the ids of the processes whose name (as in /proc/PID/stat) or first argument's\n\
         basename is NAME, newest first. Exits 1 when there is none.\n\n\
         -s\tPrint only one id\n\
         -o PID\tOmit PID (%PPID: this pidof's parent); may be repeated or comma-separated",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut single = false;
    let mut omit: Vec<i32> = Vec::new();
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('s') => single = true,
            Arg::Short('o') => {
                let v = opts.value()?;
                for item in v.split(|&b| b == b',') {
                    if item == b"%PPID" {
                        omit.push(nix::unistd::getppid().as_raw());
                        continue;
                    }
                    let pid = std::str::from_utf8(item).ok().and_then(|s| s.parse().ok());
                    match pid {
                        Some(pid) => omit.push(pid),
                        None => {
                            return Err(Error::msg(format!(
                                "invalid number '{}'",
                                String::from_utf8_lossy(item)
                            )));
                        }
                    }
                }
            }
            Arg::Value(v) => names.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let me = std::process::id() as i32;
    let mut table = procs::list();
    table.reverse();
    let mut found: Vec<i32> = Vec::new();
    for name in &names {
        for p in table
            .iter()
            .filter(|p| p.pid != me && !omit.contains(&p.pid))
        {
            if runs(p, name) && !found.contains(&p.pid) {
                found.push(p.pid);
                if single {
                    break;
                }
            }
        }
    }
    if found.is_empty() {
        return Err(Error::silent(1));
    }
    let line: Vec<String> = found.iter().map(i32::to_string).collect();
    ctx.stdout
        .write_all(format!("{}\n", line.join(" ")).as_bytes())?;
    Ok(())
}

/// Whether `p` runs the program `name`: its first argument or that argument's basename,
/// or (for a process without arguments, or one whose name was cut to 15 bytes) its comm.
pub(super) fn runs(p: &Process, name: &[u8]) -> bool {
    if let Some(arg0) = p.argv.first() {
        let base = arg0.rsplit(|&b| b == b'/').next().unwrap_or(arg0);
        if arg0 == name || base == name {
            return true;
        }
    }
    p.comm == name || (p.comm.len() == 15 && name.starts_with(&p.comm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc_of(comm: &str, argv: &[&str]) -> Process {
        Process {
            comm: comm.as_bytes().to_vec(),
            argv: argv.iter().map(|a| a.as_bytes().to_vec()).collect(),
            ..Process::default()
        }
    }

    #[test]
    fn matches_argv0_its_basename_or_comm() {
        assert!(runs(&proc_of("sleep", &["/bin/sleep", "1"]), b"sleep"));
        assert!(runs(&proc_of("x", &["/bin/sleep"]), b"/bin/sleep"));
        assert!(runs(&proc_of("kworker/0:1", &[]), b"kworker/0:1"));
        assert!(runs(
            &proc_of("averyveryverylo", &["a"]),
            b"averyveryverylongname"
        ));
        assert!(!runs(&proc_of("sh", &["sh", "sleep"]), b"sleep"));
    }
}
