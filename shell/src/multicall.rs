//! Multi-call dispatch: `rbox APPLET ARGS`, a link named after an applet, and rbox's own
//! options (`--list`, `--install`, `--help`, `--version`).

use std::io::Write;
use std::os::unix::ffi::OsStringExt;

use crate::install::{self, LinkKind};
use crate::standalone;

/// The version printed by `rbox --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The binary's entry point: dispatch on argv and exit with the status.
pub fn main() -> ! {
    let args: Vec<Vec<u8>> = std::env::args_os().map(OsStringExt::into_vec).collect();
    let status = dispatch(&args);
    std::process::exit(i32::from(status))
}

/// Chooses what to run from the whole argv (argv[0] included) and returns the status.
pub fn dispatch(args: &[Vec<u8>]) -> u8 {
    let argv0 = args.first().map_or(&b"rbox"[..], Vec::as_slice);
    let base = rbox_builtins::common::path::basename(argv0);
    // A login shell is started as `-sh`: the dash only marks it as a login.
    let name = base.strip_prefix(b"-").unwrap_or(base);
    let rest = args.get(1..).unwrap_or_default();
    if name == b"rbox" {
        rbox_command(argv0, rest)
    } else {
        run_applet(name, rest)
    }
}

fn run_applet(name: &[u8], args: &[Vec<u8>]) -> u8 {
    match crate::applets::find(name) {
        Some(applet) => standalone::run(applet, args),
        None => {
            eprintln!("rbox: {}: applet not found", String::from_utf8_lossy(name));
            127
        }
    }
}

/// `rbox ...` with rbox's own name: its options, or an applet name and its arguments.
fn rbox_command(argv0: &[u8], args: &[Vec<u8>]) -> u8 {
    let Some(first) = args.first() else {
        print_out(&usage());
        return 0;
    };
    let rest = args.get(1..).unwrap_or_default();
    match first.as_slice() {
        b"--help" | b"-h" => match rest.first() {
            Some(name) => run_applet(name, &[b"--help".to_vec()]),
            None => {
                print_out(&usage());
                0
            }
        },
        b"--list" => {
            let mut out = String::new();
            for a in crate::applets::all() {
                out.push_str(a.name);
                out.push('\n');
            }
            print_out(&out);
            0
        }
        b"--version" => {
            print_out(&format!("rbox {VERSION}\n"));
            0
        }
        b"--install" => install_command(argv0, rest),
        opt if opt.starts_with(b"-") => {
            eprintln!("rbox: unknown option '{}'", String::from_utf8_lossy(opt));
            eprintln!("Usage: rbox APPLET [ARG]... (rbox --help for more)");
            1
        }
        name => run_applet(name, rest),
    }
}

/// `rbox --install [-s] [DIR]`.
fn install_command(argv0: &[u8], args: &[Vec<u8>]) -> u8 {
    let mut kind = LinkKind::Hard;
    let mut dir = None;
    for arg in args {
        match arg.as_slice() {
            b"-s" => kind = LinkKind::Symbolic,
            opt if opt.starts_with(b"-") && opt.len() > 1 => {
                eprintln!(
                    "rbox: --install: unknown option '{}'",
                    String::from_utf8_lossy(opt)
                );
                eprintln!("Usage: rbox --install [-s] [DIR]");
                return 1;
            }
            d if dir.is_none() => {
                dir = Some(std::path::PathBuf::from(std::ffi::OsString::from_vec(
                    d.to_vec(),
                )))
            }
            extra => {
                eprintln!(
                    "rbox: --install: extra operand '{}'",
                    String::from_utf8_lossy(extra)
                );
                eprintln!("Usage: rbox --install [-s] [DIR]");
                return 1;
            }
        }
    }
    let exe = match install::self_path(argv0) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("rbox: --install: {}", rbox_builtins::error::strerror(&e));
            return 1;
        }
    };
    let report = install::install(&exe, dir.as_deref(), kind);
    for path in &report.existing {
        eprintln!("rbox: {}: already exists, left alone", path.display());
    }
    for (path, why) in &report.failed {
        eprintln!("rbox: {}: {why}", path.display());
    }
    let what = match kind {
        LinkKind::Hard => "hard links",
        LinkKind::Symbolic => "symbolic links",
    };
    let place = dir.as_deref().map_or_else(
        || "their install directories".to_string(),
        |d| d.display().to_string(),
    );
    print_out(&format!(
        "rbox: made {} {what} to {} in {place}; {} already existed, {} failed\n",
        report.made.len(),
        exe.display(),
        report.existing.len(),
        report.failed.len()
    ));
    u8::from(!report.failed.is_empty())
}

/// The text of `rbox --help`: how to call rbox, then the applet list.
pub fn usage() -> String {
    let mut s = format!(
        "rbox {VERSION}: one static binary that is a whole Unix userland.\n\n\
         Usage: rbox APPLET [ARG]...        run an applet\n   \
         or: APPLET [ARG]...             the same, through a link named after it\n   \
         or: rbox --list                 list the applets, one per line\n   \
         or: rbox --install [-s] [DIR]   link every applet into DIR (hard links; -s: symbolic)\n   \
         or: rbox --help [APPLET]        this text, or an applet's help\n   \
         or: rbox --version\n\n\
         Applets:\n"
    );
    let mut line = String::from("\t");
    let applets = crate::applets::all();
    for (i, a) in applets.iter().enumerate() {
        let sep = if i + 1 < applets.len() { ", " } else { "" };
        if line.len() + a.name.len() + sep.len() > 78 {
            s.push_str(line.trim_end());
            s.push('\n');
            line = String::from("\t");
        }
        line.push_str(a.name);
        line.push_str(sep);
    }
    s.push_str(&line);
    s.push('\n');
    s
}

/// Writes to stdout, quietly giving up if it is closed (like `rbox --list | head -1`).
fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
