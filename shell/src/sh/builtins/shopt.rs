//! `shopt` (bash): `-s`/`-u` set and unset, `-p` prints reusable lines, `-q` only tests,
//! `-o` works on the `set -o` options instead.

use crate::sh::state::{OPTION_NAMES, R, SHOPT_NAMES, Shell};

/// `shopt [-pqsuo] [name...]`.
pub fn shopt(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let (mut set, mut unset, mut print, mut quiet, mut setopt) =
        (false, false, false, false, false);
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' {
            break;
        }
        for &c in &a[1..] {
            match c {
                b's' => set = true,
                b'u' => unset = true,
                b'p' => print = true,
                b'q' => quiet = true,
                b'o' => setopt = true,
                _ => {
                    sh.error2(b"shopt", &format!("-{}: invalid option", char::from(c)));
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    if set && unset {
        sh.error2(
            b"shopt",
            "cannot set and unset shell options simultaneously",
        );
        return Ok(1);
    }
    let names = &args[i..];
    let all: Vec<&str> = if setopt {
        OPTION_NAMES.iter().map(|(n, _)| *n).collect()
    } else {
        SHOPT_NAMES.to_vec()
    };
    let mut status = 0;
    let mut text = String::new();
    let show = |name: &str, on: bool, text: &mut String| {
        text.push_str(&line(name, on, setopt, print));
    };
    let selected: Vec<String> = if names.is_empty() {
        all.iter().map(|n| n.to_string()).collect()
    } else {
        names
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
    };
    for name in &selected {
        let known = all.iter().any(|n| n == name);
        if !known {
            sh.error2(b"shopt", &format!("{name}: invalid shell option name"));
            status = 1;
            continue;
        }
        if set || unset {
            if names.is_empty() {
                // `shopt -s` alone lists the options that are on.
                let on = get(sh, name, setopt);
                if on == set {
                    show(name, on, &mut text);
                }
                continue;
            }
            put(sh, name, setopt, set);
            continue;
        }
        let on = get(sh, name, setopt);
        if quiet {
            if !on {
                status = 1;
            }
            continue;
        }
        if !on && !names.is_empty() {
            status = 1;
        }
        show(name, on, &mut text);
    }
    let _ = rbox_builtins::common::fdio::write_all(1, text.as_bytes());
    Ok(status)
}

fn line(name: &str, on: bool, setopt: bool, reusable: bool) -> String {
    match (reusable, setopt) {
        (true, true) => format!("set {}o {name}\n", if on { '-' } else { '+' }),
        (true, false) => format!("shopt {} {name}\n", if on { "-s" } else { "-u" }),
        (false, _) => format!("{name:<15}\t{}\n", if on { "on" } else { "off" }),
    }
}

fn get(sh: &mut Shell, name: &str, setopt: bool) -> bool {
    if setopt {
        return sh.opts.named(name.as_bytes()).is_some_and(|f| *f);
    }
    sh.opts.shopt_on(name)
}

fn put(sh: &mut Shell, name: &str, setopt: bool, on: bool) {
    if setopt {
        if let Some(f) = sh.opts.named(name.as_bytes()) {
            *f = on;
        }
        match name {
            "vi" if on => sh.opts.emacs = false,
            "emacs" if on => sh.opts.vi = false,
            _ => {}
        }
        return;
    }
    if let Some(i) = SHOPT_NAMES.iter().position(|n| *n == name) {
        if on {
            sh.opts.shopt |= 1 << i;
        } else {
            sh.opts.shopt &= !(1 << i);
        }
    }
}
