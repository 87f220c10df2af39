//! `stty`: print or change terminal settings (of standard input, or `-F DEVICE`).

use std::os::fd::{AsRawFd, RawFd};

use libc::{tcflag_t, termios};

use crate::prelude::*;

/// The `stty` applet.
pub const APPLET: Applet = Applet::new("stty", main, Run::Fork)
    .usage("[-F DEVICE] [-a | -g | SETTING...]")
    .help(
        "Print the terminal settings of standard input (those differing from sane ones),\n\
         or change them.\n\n\
         -a\tPrint all settings\n\
         -g\tPrint all settings in a form stty can read back\n\
         -F DEV\tUse DEV instead of standard input\n\n\
         SETTING: [-]FLAG (icanon echo isig icrnl onlcr opost ixon cs8 parenb ...),\n\
         sane, raw, -raw, cooked, cbreak, nl, ek, evenp, oddp, pass8, litout, crt, dec,\n\
         tabs, CHAR VALUE (intr ^C, erase ^?, eof undef ...), min N, time N,\n\
         rows N, cols N, size, speed, [ispeed|ospeed] BAUD, BAUD, a -g string.",
    );

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Control,
    Input,
    Output,
    Local,
}

/// Shown as `-name` when off (in `-a`, and in the short listing when sane is on).
const REV: u8 = 1;
/// On in `stty sane`.
const SANE_SET: u8 = 2;
/// Off in `stty sane`.
const SANE_UNSET: u8 = 4;
/// An alias: accepted, never printed.
const OMIT: u8 = 8;

/// One flag: name, field, the bits it sets, the mask of its field (0: the bits), flags.
struct Mode(&'static str, Kind, tcflag_t, tcflag_t, u8);

use Kind::{Control as C, Input as I, Local as L, Output as O};

/// The flags in GNU's display order.
const MODES: &[Mode] = &[
    Mode("parenb", C, libc::PARENB, 0, REV),
    Mode("parodd", C, libc::PARODD, 0, REV),
    Mode("cmspar", C, libc::CMSPAR, 0, REV),
    Mode("cs5", C, libc::CS5, libc::CSIZE, 0),
    Mode("cs6", C, libc::CS6, libc::CSIZE, 0),
    Mode("cs7", C, libc::CS7, libc::CSIZE, 0),
    Mode("cs8", C, libc::CS8, libc::CSIZE, 0),
    Mode("hupcl", C, libc::HUPCL, 0, REV),
    Mode("hup", C, libc::HUPCL, 0, REV | OMIT),
    Mode("cstopb", C, libc::CSTOPB, 0, REV),
    Mode("cread", C, libc::CREAD, 0, SANE_SET | REV),
    Mode("clocal", C, libc::CLOCAL, 0, REV),
    Mode("crtscts", C, libc::CRTSCTS, 0, REV),
    Mode("ignbrk", I, libc::IGNBRK, 0, SANE_UNSET | REV),
    Mode("brkint", I, libc::BRKINT, 0, SANE_SET | REV),
    Mode("ignpar", I, libc::IGNPAR, 0, REV),
    Mode("parmrk", I, libc::PARMRK, 0, REV),
    Mode("inpck", I, libc::INPCK, 0, REV),
    Mode("istrip", I, libc::ISTRIP, 0, SANE_UNSET | REV),
    Mode("inlcr", I, libc::INLCR, 0, SANE_UNSET | REV),
    Mode("igncr", I, libc::IGNCR, 0, SANE_UNSET | REV),
    Mode("icrnl", I, libc::ICRNL, 0, SANE_SET | REV),
    Mode("ixon", I, libc::IXON, 0, REV),
    Mode("ixoff", I, libc::IXOFF, 0, SANE_UNSET | REV),
    Mode("tandem", I, libc::IXOFF, 0, REV | OMIT),
    Mode("iuclc", I, libc::IUCLC, 0, SANE_UNSET | REV),
    Mode("ixany", I, libc::IXANY, 0, SANE_UNSET | REV),
    Mode("imaxbel", I, libc::IMAXBEL, 0, SANE_SET | REV),
    Mode("iutf8", I, libc::IUTF8, 0, SANE_UNSET | REV),
    Mode("opost", O, libc::OPOST, 0, SANE_SET | REV),
    Mode("olcuc", O, libc::OLCUC, 0, SANE_UNSET | REV),
    Mode("ocrnl", O, libc::OCRNL, 0, SANE_UNSET | REV),
    Mode("onlcr", O, libc::ONLCR, 0, SANE_SET | REV),
    Mode("onocr", O, libc::ONOCR, 0, SANE_UNSET | REV),
    Mode("onlret", O, libc::ONLRET, 0, SANE_UNSET | REV),
    Mode("ofill", O, libc::OFILL, 0, SANE_UNSET | REV),
    Mode("ofdel", O, libc::OFDEL, 0, SANE_UNSET | REV),
    Mode("nl1", O, libc::NL1, libc::NLDLY, SANE_UNSET),
    Mode("nl0", O, libc::NL0, libc::NLDLY, SANE_SET),
    Mode("cr3", O, libc::CR3, libc::CRDLY, SANE_UNSET),
    Mode("cr2", O, libc::CR2, libc::CRDLY, SANE_UNSET),
    Mode("cr1", O, libc::CR1, libc::CRDLY, SANE_UNSET),
    Mode("cr0", O, libc::CR0, libc::CRDLY, SANE_SET),
    Mode("tab3", O, libc::TAB3, libc::TABDLY, SANE_UNSET),
    Mode("tab2", O, libc::TAB2, libc::TABDLY, SANE_UNSET),
    Mode("tab1", O, libc::TAB1, libc::TABDLY, SANE_UNSET),
    Mode("tab0", O, libc::TAB0, libc::TABDLY, SANE_SET),
    Mode("bs1", O, libc::BS1, libc::BSDLY, SANE_UNSET),
    Mode("bs0", O, libc::BS0, libc::BSDLY, SANE_SET),
    Mode("vt1", O, libc::VT1, libc::VTDLY, SANE_UNSET),
    Mode("vt0", O, libc::VT0, libc::VTDLY, SANE_SET),
    Mode("ff1", O, libc::FF1, libc::FFDLY, SANE_UNSET),
    Mode("ff0", O, libc::FF0, libc::FFDLY, SANE_SET),
    Mode("isig", L, libc::ISIG, 0, SANE_SET | REV),
    Mode("icanon", L, libc::ICANON, 0, SANE_SET | REV),
    Mode("iexten", L, libc::IEXTEN, 0, SANE_SET | REV),
    Mode("echo", L, libc::ECHO, 0, SANE_SET | REV),
    Mode("echoe", L, libc::ECHOE, 0, SANE_SET | REV),
    Mode("crterase", L, libc::ECHOE, 0, REV | OMIT),
    Mode("echok", L, libc::ECHOK, 0, SANE_SET | REV),
    Mode("echonl", L, libc::ECHONL, 0, SANE_UNSET | REV),
    Mode("noflsh", L, libc::NOFLSH, 0, SANE_UNSET | REV),
    Mode("xcase", L, libc::XCASE, 0, SANE_UNSET | REV),
    Mode("tostop", L, libc::TOSTOP, 0, SANE_UNSET | REV),
    Mode("echoprt", L, libc::ECHOPRT, 0, SANE_UNSET | REV),
    Mode("prterase", L, libc::ECHOPRT, 0, REV | OMIT),
    Mode("echoctl", L, libc::ECHOCTL, 0, SANE_SET | REV),
    Mode("ctlecho", L, libc::ECHOCTL, 0, REV | OMIT),
    Mode("echoke", L, libc::ECHOKE, 0, SANE_SET | REV),
    Mode("crtkill", L, libc::ECHOKE, 0, REV | OMIT),
    Mode("flusho", L, libc::FLUSHO, 0, SANE_UNSET | REV),
    Mode("extproc", L, libc::EXTPROC, 0, SANE_UNSET | REV),
];

/// `_POSIX_VDISABLE` on Linux: the character slot is off.
const DISABLED: u8 = 0;

/// The special characters in GNU's display order, with their sane values.
const CHARS: &[(&str, usize, u8)] = &[
    ("intr", libc::VINTR, 3),
    ("quit", libc::VQUIT, 0x1c),
    ("erase", libc::VERASE, 0x7f),
    ("kill", libc::VKILL, 0x15),
    ("eof", libc::VEOF, 4),
    ("eol", libc::VEOL, DISABLED),
    ("eol2", libc::VEOL2, DISABLED),
    ("swtch", libc::VSWTC, DISABLED),
    ("start", libc::VSTART, 0x11),
    ("stop", libc::VSTOP, 0x13),
    ("susp", libc::VSUSP, 0x1a),
    ("rprnt", libc::VREPRINT, 0x12),
    ("werase", libc::VWERASE, 0x17),
    ("lnext", libc::VLNEXT, 0x16),
    ("discard", libc::VDISCARD, 0x0f),
];

/// Baud rates: (number, termios constant).
const SPEEDS: &[(u32, libc::speed_t)] = &[
    (0, libc::B0),
    (50, libc::B50),
    (75, libc::B75),
    (110, libc::B110),
    (134, libc::B134),
    (150, libc::B150),
    (200, libc::B200),
    (300, libc::B300),
    (600, libc::B600),
    (1200, libc::B1200),
    (1800, libc::B1800),
    (2400, libc::B2400),
    (4800, libc::B4800),
    (9600, libc::B9600),
    (19200, libc::B19200),
    (38400, libc::B38400),
    (57600, libc::B57600),
    (115_200, libc::B115200),
    (230_400, libc::B230400),
    (460_800, libc::B460800),
    (500_000, libc::B500000),
    (576_000, libc::B576000),
    (921_600, libc::B921600),
    (1_000_000, libc::B1000000),
    (1_152_000, libc::B1152000),
    (1_500_000, libc::B1500000),
    (2_000_000, libc::B2000000),
    (2_500_000, libc::B2500000),
    (3_000_000, libc::B3000000),
    (3_500_000, libc::B3500000),
    (4_000_000, libc::B4000000),
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut all, mut save, mut device) = (false, false, None);
    let mut settings = Vec::new();
    // Settings look like options (`-echo`), so walk the arguments by hand.
    let args = ctx.args;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_slice() {
            b"-a" | b"--all" => all = true,
            b"-g" | b"--save" => save = true,
            b"-F" | b"--file" => match args.get(i) {
                Some(d) => {
                    device = Some(d.clone());
                    i += 1;
                }
                None => return Err(Error::usage("option requires an argument -- 'F'")),
            },
            b"--" => settings.extend(args.get(i..).unwrap_or_default().iter().cloned()),
            _ if a.starts_with(b"-F") => device = a.get(2..).map(<[u8]>::to_vec),
            _ if a.starts_with(b"--file=") => device = a.get(7..).map(<[u8]>::to_vec),
            _ if a.starts_with(b"--") => {
                return Err(Error::usage(format!(
                    "unrecognized option '{}'",
                    String::from_utf8_lossy(a)
                )));
            }
            _ => settings.push(a.clone()),
        }
        if a == b"--" {
            break;
        }
    }
    if (all || save) && !settings.is_empty() {
        return Err(Error::usage(
            "when specifying an output style, modes may not be set",
        ));
    }
    if all && save {
        return Err(Error::usage(
            "the options for verbose and stty-readable output styles are\nmutually exclusive",
        ));
    }
    let columns = ctx
        .env
        .get(b"COLUMNS")
        .and_then(|c| std::str::from_utf8(c).ok()?.parse::<usize>().ok())
        .filter(|&c| c > 0);
    let style = if save {
        Style::Save
    } else if all {
        Style::All
    } else {
        Style::Changed
    };
    let mut out = Vec::new();
    let result = match &device {
        Some(dev) => {
            use std::os::unix::ffi::OsStrExt;
            use std::os::unix::fs::OpenOptionsExt;
            let f = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
                .open(std::ffi::OsStr::from_bytes(dev))
                .map_err(|e| Error::io(dev, &e))?;
            stty_fd(f.as_raw_fd(), dev, &settings, style, columns, &mut out)
        }
        None => match ctx.stdin.raw_fd() {
            Some(fd) => stty_fd(fd, b"'standard input'", &settings, style, columns, &mut out),
            None => Err(Error::io(
                b"'standard input'",
                &std::io::Error::from_raw_os_error(libc::ENOTTY),
            )),
        },
    };
    ctx.stdout.write_all(&out)?;
    result
}

/// How to print the settings.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// What differs from sane (plain `stty`).
    Changed,
    /// Everything (`stty -a`).
    All,
    /// The `-g` form.
    Save,
}

/// Does stty's work on terminal `fd` (named `name` in messages): applies `settings`, or
/// prints the settings in `style` into `out` when there are none. Output wraps at
/// `columns` (else the terminal's width, else 80).
pub fn stty_fd(
    fd: RawFd,
    name: &[u8],
    settings: &[Vec<u8>],
    style: Style,
    columns: Option<usize>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let tty_err =
        |e: nix::errno::Errno| Error::io(name, &std::io::Error::from_raw_os_error(e as i32));
    let mut t = get_attr(fd).map_err(tty_err)?;
    if settings.is_empty() {
        let ws = get_winsize(fd).ok();
        let width = ws
            .map(|w| usize::from(w.ws_col))
            .filter(|&c| c > 0)
            .or(columns)
            .unwrap_or(80);
        match style {
            Style::Save => out.extend_from_slice(&save_string(&t)),
            _ => display(&t, ws, style == Style::All, width, out),
        }
        return Ok(());
    }
    let before = t;
    let mut win: Option<libc::winsize> = None;
    let mut i = 0;
    while let Some(s) = settings.get(i) {
        i += 1;
        let mut arg = || -> Result<&[u8], Error> {
            let v = settings.get(i).ok_or_else(|| {
                Error::usage(format!(
                    "missing argument to '{}'",
                    String::from_utf8_lossy(s)
                ))
            })?;
            i += 1;
            Ok(v)
        };
        match s.as_slice() {
            b"size" => {
                let w = get_winsize(fd).map_err(tty_err)?;
                out.extend_from_slice(format!("{} {}\n", w.ws_row, w.ws_col).as_bytes());
            }
            b"speed" => {
                out.extend_from_slice(format!("{}\n", speed_number(ospeed(&t))).as_bytes());
            }
            b"rows" | b"cols" | b"columns" => {
                let v = arg()?;
                let n = parse_int(v, u64::from(u16::MAX)).ok_or_else(|| invalid_integer(v))? as u16;
                let w = match win {
                    Some(w) => w,
                    None => get_winsize(fd).map_err(tty_err)?,
                };
                let mut w = w;
                if s == b"rows" {
                    w.ws_row = n;
                } else {
                    w.ws_col = n;
                }
                win = Some(w);
            }
            b"ispeed" | b"ospeed" => {
                let v = arg()?;
                let sp = speed_constant(v).ok_or_else(|| invalid_arg(v))?;
                set_speed(&mut t, sp, s == b"ispeed", s == b"ospeed");
            }
            b"min" | b"time" => {
                let v = arg()?;
                let n = parse_int(v, 255).ok_or_else(|| invalid_integer(v))? as u8;
                let idx = if s == b"min" { libc::VMIN } else { libc::VTIME };
                if let Some(c) = t.c_cc.get_mut(idx) {
                    *c = n;
                }
            }
            b"line" => {
                let v = arg()?;
                t.c_line = parse_int(v, 255).ok_or_else(|| invalid_integer(v))? as u8;
            }
            other => {
                if let Some(&(_, idx, _)) = CHARS.iter().find(|c| c.0.as_bytes() == other) {
                    let v = arg()?;
                    let c = char_value(v).ok_or_else(|| invalid_integer(v))?;
                    if let Some(slot) = t.c_cc.get_mut(idx) {
                        *slot = c;
                    }
                } else if let Some(sp) = speed_constant(other) {
                    set_speed(&mut t, sp, true, true);
                } else if !apply_mode(&mut t, other) && !apply_saved(&mut t, other) {
                    return Err(invalid_arg(other));
                }
            }
        }
    }
    if !same(&t, &before) {
        set_attr(fd, &t).map_err(tty_err)?;
        let after = get_attr(fd).map_err(tty_err)?;
        if !same_flags(&after, &t) {
            let mut m = name.to_vec();
            m.extend_from_slice(b": unable to perform all requested operations");
            return Err(Error::msg(m));
        }
    }
    if let Some(w) = win {
        set_winsize(fd, &w).map_err(tty_err)?;
    }
    Ok(())
}

fn invalid_arg(v: &[u8]) -> Error {
    Error::usage(format!("invalid argument '{}'", String::from_utf8_lossy(v)))
}

fn invalid_integer(v: &[u8]) -> Error {
    Error::msg(format!(
        "invalid integer argument: '{}'",
        String::from_utf8_lossy(v)
    ))
}

fn same(a: &termios, b: &termios) -> bool {
    same_flags(a, b) && a.c_ispeed == b.c_ispeed && a.c_ospeed == b.c_ospeed
}

fn same_flags(a: &termios, b: &termios) -> bool {
    a.c_iflag == b.c_iflag
        && a.c_oflag == b.c_oflag
        && a.c_cflag == b.c_cflag
        && a.c_lflag == b.c_lflag
        && a.c_cc == b.c_cc
}

fn field(t: &mut termios, k: Kind) -> &mut tcflag_t {
    match k {
        Kind::Control => &mut t.c_cflag,
        Kind::Input => &mut t.c_iflag,
        Kind::Output => &mut t.c_oflag,
        Kind::Local => &mut t.c_lflag,
    }
}

fn field_value(t: &termios, k: Kind) -> tcflag_t {
    match k {
        Kind::Control => t.c_cflag,
        Kind::Input => t.c_iflag,
        Kind::Output => t.c_oflag,
        Kind::Local => t.c_lflag,
    }
}

/// Sets (or with `-`, clears) one flag by name.
fn set_mode(t: &mut termios, name: &[u8], on: bool) -> bool {
    let Some(m) = MODES.iter().find(|m| m.0.as_bytes() == name) else {
        return false;
    };
    if !on && m.4 & REV == 0 {
        return false;
    }
    let mask = if m.3 == 0 { m.2 } else { m.3 };
    let f = field(t, m.1);
    *f &= !mask;
    if on {
        *f |= m.2;
    }
    true
}

/// Applies `list` of flag settings (`-name` clears).
fn set_all(t: &mut termios, list: &[&str]) {
    for s in list {
        match s.strip_prefix('-') {
            Some(n) => set_mode(t, n.as_bytes(), false),
            None => set_mode(t, s.as_bytes(), true),
        };
    }
}

fn set_char(t: &mut termios, idx: usize, v: u8) {
    if let Some(c) = t.c_cc.get_mut(idx) {
        *c = v;
    }
}

/// A flag or a combination setting; false if `s` is neither.
fn apply_mode(t: &mut termios, s: &[u8]) -> bool {
    let (on, name) = match s.strip_prefix(b"-") {
        Some(n) => (false, n),
        None => (true, s),
    };
    match (name, on) {
        (b"sane", true) => {
            for m in MODES.iter().filter(|m| m.4 & OMIT == 0) {
                if m.4 & SANE_SET != 0 {
                    set_mode(t, m.0.as_bytes(), true);
                } else if m.4 & SANE_UNSET != 0 && m.3 == 0 {
                    set_mode(t, m.0.as_bytes(), false);
                }
            }
            for &(_, idx, v) in CHARS {
                set_char(t, idx, v);
            }
            set_char(t, libc::VMIN, 1);
            set_char(t, libc::VTIME, 0);
        }
        (b"raw", true) | (b"cooked", false) => {
            t.c_iflag = 0;
            t.c_oflag &= !libc::OPOST;
            t.c_lflag &= !(libc::ISIG | libc::ICANON | libc::XCASE);
            set_char(t, libc::VMIN, 1);
            set_char(t, libc::VTIME, 0);
        }
        (b"raw", false) | (b"cooked", true) => {
            t.c_iflag |= libc::BRKINT | libc::IGNPAR | libc::ISTRIP | libc::ICRNL | libc::IXON;
            t.c_oflag |= libc::OPOST;
            t.c_lflag |= libc::ISIG | libc::ICANON;
        }
        (b"cbreak", _) => set_all(t, &[if on { "-icanon" } else { "icanon" }]),
        (b"evenp" | b"parity", true) => set_all(t, &["parenb", "-parodd", "cs7"]),
        (b"oddp", true) => set_all(t, &["parenb", "parodd", "cs7"]),
        (b"evenp" | b"parity" | b"oddp", false) => set_all(t, &["-parenb", "cs8"]),
        (b"nl", true) => set_all(t, &["-icrnl", "-onlcr"]),
        (b"nl", false) => set_all(
            t,
            &["icrnl", "-inlcr", "-igncr", "onlcr", "-ocrnl", "-onlret"],
        ),
        (b"ek", true) => {
            set_char(t, libc::VERASE, 0x7f);
            set_char(t, libc::VKILL, 0x15);
        }
        (b"pass8", true) => set_all(t, &["-parenb", "-istrip", "cs8"]),
        (b"pass8", false) => set_all(t, &["parenb", "istrip", "cs7"]),
        (b"litout", true) => set_all(t, &["-parenb", "-istrip", "-opost", "cs8"]),
        (b"litout", false) => set_all(t, &["parenb", "istrip", "opost", "cs7"]),
        (b"crt", true) => set_all(t, &["echoe", "echoctl", "echoke"]),
        (b"dec", true) => {
            set_all(t, &["echoe", "echoctl", "echoke", "-ixany"]);
            set_char(t, libc::VINTR, 3);
            set_char(t, libc::VERASE, 0x7f);
            set_char(t, libc::VKILL, 0x15);
        }
        (b"decctlq", _) => set_all(t, &[if on { "-ixany" } else { "ixany" }]),
        (b"tabs", _) => set_all(t, &[if on { "tab0" } else { "tab3" }]),
        (b"lcase" | b"LCASE", true) => set_all(t, &["xcase", "iuclc", "olcuc"]),
        (b"lcase" | b"LCASE", false) => set_all(t, &["-xcase", "-iuclc", "-olcuc"]),
        _ => return set_mode(t, name, on),
    }
    true
}

/// The value of a special character argument: `^X`, `^?`, `^-`/`undef` (off), a single
/// character, or a number (decimal, 0x hex, 0 octal) up to 255.
fn char_value(v: &[u8]) -> Option<u8> {
    match v {
        b"^-" | b"undef" => Some(DISABLED),
        b"^?" => Some(0x7f),
        [c] => Some(*c),
        [b'^', c] => Some(c & 0x1f),
        _ => parse_int(v, 255).map(|n| n as u8),
    }
}

/// A number as GNU stty takes it (decimal, `0x` hex or `0` octal), at most `max`.
fn parse_int(v: &[u8], max: u64) -> Option<u64> {
    let s = std::str::from_utf8(v).ok()?;
    let n = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else if s.len() > 1 && s.starts_with('0') {
        u64::from_str_radix(s.get(1..)?, 8).ok()?
    } else {
        s.parse().ok()?
    };
    (n <= max).then_some(n)
}

fn speed_constant(v: &[u8]) -> Option<libc::speed_t> {
    let n: u32 = std::str::from_utf8(v).ok()?.parse().ok()?;
    SPEEDS.iter().find(|s| s.0 == n).map(|s| s.1)
}

fn speed_number(c: libc::speed_t) -> u32 {
    SPEEDS.iter().find(|s| s.1 == c).map_or(0, |s| s.0)
}

fn ospeed(t: &termios) -> libc::speed_t {
    t.c_cflag & libc::CBAUD
}

fn ispeed(t: &termios) -> libc::speed_t {
    // Linux keeps the input speed in CIBAUD; 0 there means "same as output".
    match (t.c_cflag & libc::CIBAUD) >> 16 {
        0 => ospeed(t),
        s => s,
    }
}

fn set_speed(t: &mut termios, sp: libc::speed_t, input: bool, output: bool) {
    if output {
        t.c_cflag = (t.c_cflag & !libc::CBAUD) | sp;
        t.c_ospeed = sp;
    }
    if input {
        t.c_cflag = (t.c_cflag & !libc::CIBAUD) | (sp << 16);
        t.c_ispeed = sp;
    }
}

/// `iflag:oflag:cflag:lflag:cc0:...` in hex, as GNU's `stty -g`.
fn save_string(t: &termios) -> Vec<u8> {
    let mut s = format!(
        "{:x}:{:x}:{:x}:{:x}",
        t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag
    );
    for c in t.c_cc {
        s.push_str(&format!(":{c:x}"));
    }
    s.push('\n');
    s.into_bytes()
}

/// Reads back a `-g` string; false if `s` is not one.
fn apply_saved(t: &mut termios, s: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(s) else {
        return false;
    };
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 4 + t.c_cc.len() {
        return false;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        match u32::from_str_radix(p, 16) {
            Ok(n) => nums.push(n),
            Err(_) => return false,
        }
    }
    let [i, o, c, l, cc @ ..] = nums.as_slice() else {
        return false;
    };
    if cc.iter().any(|&v| v > 255) {
        return false;
    }
    (t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag) = (*i, *o, *c, *l);
    for (slot, &v) in t.c_cc.iter_mut().zip(cc) {
        *slot = v as u8;
    }
    let sp = t.c_cflag & libc::CBAUD;
    t.c_ospeed = sp;
    t.c_ispeed = ispeed(t);
    true
}

/// How a special character prints: `^C`, `^?`, `M-x`, `<undef>`.
fn visible(c: u8) -> String {
    if c == DISABLED {
        return "<undef>".to_string();
    }
    let mut s = String::new();
    let mut c = c;
    if c >= 0x80 {
        s.push_str("M-");
        c -= 0x80;
    }
    match c {
        0x7f => s.push_str("^?"),
        0..=0x1f => {
            s.push('^');
            s.push(char::from(c + 0x40));
        }
        _ => s.push(char::from(c)),
    }
    s
}

/// Output with GNU stty's wrapping: items joined by spaces, a new line when the next
/// item would pass `width`.
struct Wrap<'a> {
    out: &'a mut Vec<u8>,
    col: usize,
    width: usize,
}

impl Wrap<'_> {
    fn item(&mut self, s: &str) {
        if self.col > 0 {
            if self.width.saturating_sub(self.col) < s.len() {
                self.out.push(b'\n');
                self.col = 0;
            } else {
                self.out.push(b' ');
                self.col += 1;
            }
        }
        self.out.extend_from_slice(s.as_bytes());
        self.col += s.len();
    }

    fn end_line(&mut self) {
        if self.col > 0 {
            self.out.push(b'\n');
            self.col = 0;
        }
    }
}

/// `stty` (changed settings only) or `stty -a` (everything), in GNU's layout.
fn display(t: &termios, ws: Option<libc::winsize>, all: bool, width: usize, out: &mut Vec<u8>) {
    let mut w = Wrap { out, col: 0, width };
    let (isp, osp) = (speed_number(ispeed(t)), speed_number(ospeed(t)));
    if isp == osp {
        w.item(&format!("speed {osp} baud;"));
    } else {
        w.item(&format!("ispeed {isp} baud; ospeed {osp} baud;"));
    }
    if all && let Some(ws) = ws {
        w.item(&format!("rows {}; columns {};", ws.ws_row, ws.ws_col));
    }
    w.item(&format!("line = {};", t.c_line));
    w.end_line();
    let cc = |idx: usize| t.c_cc.get(idx).copied().unwrap_or(0);
    for &(name, idx, sane) in CHARS {
        if all || cc(idx) != sane {
            w.item(&format!("{name} = {};", visible(cc(idx))));
        }
    }
    if all || t.c_lflag & libc::ICANON == 0 {
        w.item(&format!(
            "min = {}; time = {};",
            cc(libc::VMIN),
            cc(libc::VTIME)
        ));
    }
    w.end_line();
    let mut prev = Kind::Control;
    for m in MODES.iter().filter(|m| m.4 & OMIT == 0) {
        if m.1 != prev {
            w.end_line();
            prev = m.1;
        }
        let mask = if m.3 == 0 { m.2 } else { m.3 };
        let on = field_value(t, m.1) & mask == m.2;
        if all {
            if on {
                w.item(m.0);
            } else if m.4 & REV != 0 {
                w.item(&format!("-{}", m.0));
            }
        } else if on {
            if m.4 & SANE_UNSET != 0 {
                w.item(m.0);
            }
        } else if m.4 & (SANE_SET | REV) == SANE_SET | REV {
            w.item(&format!("-{}", m.0));
        }
    }
    w.end_line();
}

// ---------------------------------------------------------------------------------------
// The system calls, on a raw descriptor the caller keeps open.

fn borrow(fd: RawFd) -> std::os::fd::BorrowedFd<'static> {
    // SAFETY: every caller passes a descriptor that stays open for the whole call it is
    // borrowed for (stdin, a device opened by main, or a test's pty); the borrow is only
    // used within that call.
    unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }
}

fn get_attr(fd: RawFd) -> nix::Result<termios> {
    nix::sys::termios::tcgetattr(borrow(fd)).map(termios::from)
}

fn set_attr(fd: RawFd, t: &termios) -> nix::Result<()> {
    let t = nix::sys::termios::Termios::from(*t);
    nix::sys::termios::tcsetattr(borrow(fd), nix::sys::termios::SetArg::TCSADRAIN, &t)
}

nix::ioctl_read_bad!(tiocgwinsz, libc::TIOCGWINSZ, libc::winsize);
nix::ioctl_write_ptr_bad!(tiocswinsz, libc::TIOCSWINSZ, libc::winsize);

fn get_winsize(fd: RawFd) -> nix::Result<libc::winsize> {
    let mut w = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one winsize into `w`, which lives across the call.
    unsafe { tiocgwinsz(fd, &mut w) }?;
    Ok(w)
}

fn set_winsize(fd: RawFd, w: &libc::winsize) -> nix::Result<()> {
    // SAFETY: TIOCSWINSZ reads one winsize from `w`, which lives across the call.
    unsafe { tiocswinsz(fd, w) }.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    fn pty() -> Option<nix::pty::OpenptyResult> {
        nix::pty::openpty(None, None).ok()
    }

    fn stty(fd: RawFd, args: &[&str], style: Style) -> Result<String, String> {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let mut out = Vec::new();
        stty_fd(fd, b"'standard input'", &args, style, None, &mut out)
            .map(|()| String::from_utf8_lossy(&out).into_owned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn not_a_tty() {
        let r = run("stty", &[], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "stty: 'standard input': Inappropriate ioctl for device\n".into()
            )
        );
        let f = std::fs::File::open("/dev/null").unwrap();
        assert_eq!(
            stty(f.as_raw_fd(), &[], Style::All),
            Err("'standard input': Inappropriate ioctl for device".into())
        );
    }

    #[test]
    fn sane_then_display() {
        let Some(p) = pty() else { return };
        let fd = p.slave.as_raw_fd();
        stty(fd, &["sane", "cols", "0", "rows", "0"], Style::Changed).unwrap();
        let changed = stty(fd, &[], Style::Changed).unwrap();
        assert!(changed.starts_with("speed "), "{changed}");
        assert!(changed.ends_with("line = 0;\n"), "{changed}");
        let all = stty(fd, &[], Style::All).unwrap();
        let lines: Vec<&str> = all.lines().collect();
        assert!(lines[0].ends_with("rows 0; columns 0; line = 0;"), "{all}");
        assert_eq!(
            lines[1],
            "intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>;"
        );
        assert_eq!(
            lines[2],
            "eol2 = <undef>; swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R;"
        );
        assert_eq!(
            lines[3],
            "werase = ^W; lnext = ^V; discard = ^O; min = 1; time = 0;"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("isig icanon iexten echo echoe echok -echonl"))
        );
        assert!(all.contains(" nl0 cr0 tab0 bs0 vt0 ff0"), "{all}");
        assert!(lines.iter().all(|l| l.len() <= 80));
    }

    #[test]
    fn raw_cooked_and_flags() {
        let Some(p) = pty() else { return };
        let fd = p.slave.as_raw_fd();
        stty(fd, &["sane"], Style::Changed).unwrap();
        stty(fd, &["raw"], Style::Changed).unwrap();
        let t = get_attr(fd).unwrap();
        assert_eq!(t.c_iflag, 0);
        assert_eq!(t.c_lflag & (libc::ICANON | libc::ISIG), 0);
        assert_eq!(t.c_oflag & libc::OPOST, 0);
        let shown = stty(fd, &[], Style::Changed).unwrap();
        assert!(
            shown
                .contains("\nmin = 1; time = 0;\n-brkint -icrnl -imaxbel\n-opost\n-isig -icanon\n"),
            "{shown}"
        );
        stty(
            fd,
            &["-raw", "sane", "-echo", "intr", "^A", "erase", "undef"],
            Style::Changed,
        )
        .unwrap();
        let shown = stty(fd, &[], Style::Changed).unwrap();
        assert!(
            shown.contains("\nintr = ^A; erase = <undef>;\n-echo\n"),
            "{shown}"
        );
        stty(
            fd,
            &["sane", "-icanon", "min", "0", "time", "5"],
            Style::Changed,
        )
        .unwrap();
        let shown = stty(fd, &[], Style::Changed).unwrap();
        assert!(shown.contains("\nmin = 0; time = 5;\n-icanon\n"), "{shown}");
        stty(fd, &["sane", "nl", "tabs", "-tabs"], Style::Changed).unwrap();
        let t = get_attr(fd).unwrap();
        assert_eq!(t.c_iflag & libc::ICRNL, 0);
        assert_eq!(t.c_oflag & libc::TABDLY, libc::TAB3);
        // A pty keeps cs8 and -parenb, so check the parity combinations on a struct.
        let mut t = t;
        assert!(apply_mode(&mut t, b"evenp"));
        assert_eq!(
            t.c_cflag & (libc::CSIZE | libc::PARENB | libc::PARODD),
            libc::CS7 | libc::PARENB
        );
        assert!(apply_mode(&mut t, b"-oddp"));
        assert_eq!(t.c_cflag & (libc::CSIZE | libc::PARENB), libc::CS8);
        assert!(!apply_mode(&mut t, b"-cs8"));
        stty(fd, &["sane"], Style::Changed).unwrap();
    }

    #[test]
    fn save_string_round_trips() {
        let Some(p) = pty() else { return };
        let fd = p.slave.as_raw_fd();
        stty(fd, &["sane"], Style::Changed).unwrap();
        let saved = stty(fd, &[], Style::Save).unwrap();
        assert_eq!(saved.trim().split(':').count(), 4 + libc::NCCS);
        stty(fd, &["raw", "-echo", "kill", "^K"], Style::Changed).unwrap();
        assert_ne!(stty(fd, &[], Style::Save).unwrap(), saved);
        stty(fd, &[saved.trim()], Style::Changed).unwrap();
        assert_eq!(stty(fd, &[], Style::Save).unwrap(), saved);
    }

    #[test]
    fn window_size_and_speed() {
        let Some(p) = pty() else { return };
        let fd = p.slave.as_raw_fd();
        stty(fd, &["rows", "30", "cols", "100"], Style::Changed).unwrap();
        assert_eq!(stty(fd, &["size"], Style::Changed).unwrap(), "30 100\n");
        stty(fd, &["columns", "0x50"], Style::Changed).unwrap();
        assert_eq!(stty(fd, &["size"], Style::Changed).unwrap(), "30 80\n");
        let speed = stty(fd, &["speed"], Style::Changed).unwrap();
        assert!(speed.trim().parse::<u32>().is_ok(), "{speed}");
    }

    #[test]
    fn bad_settings() {
        let Some(p) = pty() else { return };
        let fd = p.slave.as_raw_fd();
        assert_eq!(
            stty(fd, &["foo"], Style::Changed),
            Err("invalid argument 'foo'".into())
        );
        assert_eq!(
            stty(fd, &["-cs8"], Style::Changed),
            Err("invalid argument '-cs8'".into())
        );
        assert_eq!(
            stty(fd, &["intr"], Style::Changed),
            Err("missing argument to 'intr'".into())
        );
        assert_eq!(
            stty(fd, &["rows", "x"], Style::Changed),
            Err("invalid integer argument: 'x'".into())
        );
        assert_eq!(
            stty(fd, &["12345"], Style::Changed),
            Err("invalid argument '12345'".into())
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(visible(3), "^C");
        assert_eq!(visible(0x7f), "^?");
        assert_eq!(visible(0), "<undef>");
        assert_eq!(visible(b'a'), "a");
        assert_eq!(visible(0x83), "M-^C");
        assert_eq!(char_value(b"^c"), Some(3));
        assert_eq!(char_value(b"^?"), Some(0x7f));
        assert_eq!(char_value(b"0177"), Some(0x7f));
        assert_eq!(char_value(b"undef"), Some(0));
        assert_eq!(char_value(b"300"), None);
        assert_eq!(parse_int(b"0x10", 255), Some(16));
    }

    #[test]
    fn output_style_conflicts() {
        let r = run("stty", &["-a", "-g"], b"");
        assert_eq!(r.status, 1);
        let r = run("stty", &["-a", "echo"], b"");
        assert!(
            r.err()
                .starts_with("stty: when specifying an output style, modes may not be set\n")
        );
        let r = run("stty", &["--bogus"], b"");
        assert_eq!(r.status, 1);
    }
}
