//! `uname`: print system information.

use crate::prelude::*;

/// The `uname` applet.
pub const APPLET: Applet = Applet::new("uname", main, Run::InProc)
    .usage("[-asnrvmpio]")
    .help(
        "Print system information (the kernel name with no option).\n\n\
         -a\tAll of the below, without -p and -i when they are unknown\n\
         -s\tKernel name\n\
         -n\tNetwork node (host) name\n\
         -r\tKernel release\n\
         -v\tKernel version\n\
         -m\tMachine (hardware) name\n\
         -p\tProcessor type (unknown)\n\
         -i\tHardware platform (unknown)\n\
         -o\tOperating system",
    );

const LONGS: &[&str] = &[
    "all",
    "kernel-name",
    "nodename",
    "kernel-release",
    "kernel-version",
    "machine",
    "processor",
    "hardware-platform",
    "operating-system",
];

/// The fields in GNU's output order.
const FIELDS: [char; 8] = ['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut want = [false; 8];
    let mut all = false;
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        let c = match arg {
            Arg::Short('a') | Arg::Long("all") => {
                all = true;
                continue;
            }
            Arg::Short(c) if FIELDS.contains(&c) => c,
            Arg::Long(long) => match LONGS.iter().position(|l| *l == long) {
                Some(p) => FIELDS.get(p.wrapping_sub(1)).copied().unwrap_or('s'),
                None => return Err(opts.unexpected(&Arg::Long(long))),
            },
            other => return Err(opts.unexpected(&other)),
        };
        if let Some(p) = FIELDS.iter().position(|f| *f == c) {
            want[p] = true;
        }
    }
    let uts = nix::sys::utsname::uname().map_err(|e| {
        Error::io(
            b"cannot get system name",
            &std::io::Error::from_raw_os_error(e as i32),
        )
    })?;
    let line = format_line(&uts_fields(&uts), &want, all);
    ctx.stdout.write_all(&line)?;
    Ok(())
}

/// The eight fields, in [`FIELDS`] order.
fn uts_fields(uts: &nix::sys::utsname::UtsName) -> [Vec<u8>; 8] {
    use std::os::unix::ffi::OsStrExt;
    let b = |s: &std::ffi::OsStr| s.as_bytes().to_vec();
    [
        b(uts.sysname()),
        b(uts.nodename()),
        b(uts.release()),
        b(uts.version()),
        b(uts.machine()),
        b"unknown".to_vec(),
        b"unknown".to_vec(),
        b"GNU/Linux".to_vec(),
    ]
}

/// The selected fields joined by spaces; `-a` selects all but unknown `-p`/`-i`; none
/// selected means `-s`.
fn format_line(fields: &[Vec<u8>; 8], want: &[bool; 8], all: bool) -> Vec<u8> {
    let none = !all && !want.contains(&true);
    let mut line = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let unknown = f == b"unknown";
        let on = want.get(i).copied().unwrap_or(false) || all && !unknown || none && i == 0;
        if on {
            if !line.is_empty() {
                line.push(b' ');
            }
            line.extend_from_slice(f);
        }
    }
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    fn fields() -> [Vec<u8>; 8] {
        [
            "Linux",
            "box",
            "6.1",
            "#1 SMP",
            "x86_64",
            "unknown",
            "unknown",
            "GNU/Linux",
        ]
        .map(|s| s.as_bytes().to_vec())
    }

    #[test]
    fn gnu_order_and_unknowns() {
        let f = fields();
        let mut w = [false; 8];
        assert_eq!(format_line(&f, &w, false), b"Linux\n");
        assert_eq!(
            format_line(&f, &w, true),
            b"Linux box 6.1 #1 SMP x86_64 GNU/Linux\n"
        );
        w = [true; 8];
        assert_eq!(
            format_line(&f, &w, false),
            b"Linux box 6.1 #1 SMP x86_64 unknown unknown GNU/Linux\n"
        );
        w = [false, false, false, false, true, true, false, false];
        assert_eq!(format_line(&f, &w, false), b"x86_64 unknown\n");
    }

    #[test]
    fn real_system() {
        assert_eq!(run("uname", &[], b"").out(), "Linux\n");
        assert_eq!(run("uname", &["-o"], b"").out(), "GNU/Linux\n");
        assert_eq!(
            run("uname", &["--processor", "-i"], b"").out(),
            "unknown unknown\n"
        );
        assert_eq!(
            run("uname", &["-sm"], b"").out(),
            format!("Linux {}\n", std::env::consts::ARCH)
        );
        let r = run("uname", &["x"], b"");
        assert!(r.err().starts_with("uname: extra operand 'x'\n"));
        assert_eq!(run("uname", &["-q"], b"").status, 1);
    }
}
