//! `set`: options, positional parameters, and the variable listing.

use rbox_builtins::common::shquote;

use super::out;
use crate::sh::state::{OPTION_NAMES, R, Shell};

/// `set -o` / `set +o` listings.
pub fn print_options(sh: &Shell, reusable: bool) {
    let mut text = String::new();
    let mut o = sh.opts;
    for (name, _) in OPTION_NAMES {
        let on = o.named(name.as_bytes()).is_some_and(|f| *f);
        if reusable {
            text.push_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
        } else {
            text.push_str(&format!("{name:<16}{}\n", if on { "on" } else { "off" }));
        }
    }
    let _ = rbox_builtins::common::fdio::write_all(1, text.as_bytes());
}

/// `set [-+abCefhmnuvx] [-+o name]... [--] [arg...]`.
pub fn set(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if args.len() == 1 {
        let mut text = Vec::new();
        for (n, v) in sh.vars.sorted() {
            if let Some(val) = &v.value {
                text.extend_from_slice(n);
                text.push(b'=');
                // One line per variable ($'...' for control characters), so the
                // listing can be filtered line by line and read back.
                shquote::quote_into(&mut text, val);
                text.push(b'\n');
            }
        }
        return Ok(out(sh, b"set", &text));
    }
    let mut i = 1;
    let mut set_params = false;
    while let Some(a) = args.get(i) {
        if a == b"--" {
            i += 1;
            set_params = true;
            break;
        }
        if a == b"-" {
            // Ends the options and turns off -x and -v; the parameters change only when
            // operands follow (`set + -` keeps them, as in dash and bash).
            i += 1;
            sh.opts.xtrace = false;
            sh.opts.verbose = false;
            break;
        }
        if a == b"+" {
            // A lone `+` is an ignored flag (bash, dash).
            i += 1;
            continue;
        }
        let on = match a.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        if a.len() < 2 {
            break;
        }
        i += 1;
        for &c in &a[1..] {
            if c == b'o' {
                match args.get(i) {
                    None => {
                        print_options(sh, !on);
                    }
                    Some(name) => {
                        i += 1;
                        match sh.opts.named(name) {
                            Some(f) => {
                                *f = on;
                                match name.as_slice() {
                                    b"vi" if on => sh.opts.emacs = false,
                                    b"emacs" if on => sh.opts.vi = false,
                                    _ => {}
                                }
                            }
                            None => {
                                sh.error2(
                                    b"set",
                                    &format!("Illegal option -o {}", String::from_utf8_lossy(name)),
                                );
                                return Err(sh.fatal(2));
                            }
                        }
                    }
                }
                continue;
            }
            match sh.opts.letter(c) {
                Some(f) if c != b's' && c != b'i' => *f = on,
                _ => {
                    sh.error2(b"set", &format!("Illegal option -{}", char::from(c)));
                    return Err(sh.fatal(2));
                }
            }
        }
    }
    if set_params || i < args.len() {
        sh.positional = args[i.min(args.len())..].to_vec();
    }
    Ok(0)
}
