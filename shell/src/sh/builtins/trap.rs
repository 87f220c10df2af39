//! `trap [action] [condition...]`, `trap -p`, and the listing in re-usable form.

use super::{out, quote};
use crate::sh::signals;
use crate::sh::state::{R, Shell, Trap};

fn cond_name(n: usize) -> String {
    if n == 0 {
        "EXIT".into()
    } else {
        signals::name(n as i32).map_or_else(|| n.to_string(), |s| format!("SIG{s}"))
    }
}

fn listing(sh: &Shell, only: &[usize]) -> Vec<u8> {
    let mut text = Vec::new();
    for (n, t) in sh.traps.iter().enumerate() {
        if !only.is_empty() && !only.contains(&n) {
            continue;
        }
        let action: &[u8] = match t {
            None => continue,
            Some(Trap::Ignore) => b"",
            Some(Trap::Command(c)) => c,
        };
        text.extend_from_slice(b"trap -- ");
        text.extend_from_slice(&quote(action));
        text.push(b' ');
        text.extend_from_slice(cond_name(n).as_bytes());
        text.push(b'\n');
    }
    text
}

/// `trap`.
pub fn trap(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut rest = &args[1..];
    if rest.first().is_some_and(|a| a == b"--") {
        rest = &rest[1..];
    }
    if rest.is_empty() || rest[0] == b"-p" {
        let only: Vec<usize> = rest
            .get(1..)
            .unwrap_or_default()
            .iter()
            .filter_map(|a| signals::number(a).map(|n| n as usize))
            .collect();
        let text = listing(sh, &only);
        return Ok(out(sh, b"trap", &text));
    }
    if rest[0] == b"-l" {
        let mut text = Vec::new();
        for n in 1..crate::sh::state::NSIG as i32 {
            if let Some(s) = signals::name(n) {
                text.extend_from_slice(format!("{n}) SIG{s}\n").as_bytes());
            }
        }
        return Ok(out(sh, b"trap", &text));
    }
    if rest[0].len() > 1 && rest[0][0] == b'-' && rest[0] != b"-" {
        sh.error2(
            b"trap",
            &format!("{}: invalid option", String::from_utf8_lossy(&rest[0])),
        );
        return Ok(2);
    }
    // A first operand that is a number (blanks around it allowed, as in bash), or a
    // lone condition, means "reset".
    let number = rest[0].trim_ascii();
    let (action, conds): (Option<&[u8]>, &[Vec<u8>]) =
        if rest.len() == 1 || (number.iter().all(u8::is_ascii_digit) && !number.is_empty()) {
            (None, rest)
        } else if rest[0] == b"-" {
            (None, &rest[1..])
        } else {
            (Some(&rest[0]), &rest[1..])
        };
    if let Some(a) = action
        && !a.is_empty()
        && let Err(e) = rbox_parser::syntax::parse_program(a)
    {
        // bash, mksh: an action that cannot parse is refused at once.
        sh.error2(b"trap", &format!("syntax error: {}", e.message));
        return Ok(1);
    }
    let mut st = 0;
    for c in conds {
        let Some(n) = signals::number(c.trim_ascii()) else {
            sh.error2(&[b"trap: ", c.as_slice()].concat(), "bad trap");
            st = 1;
            continue;
        };
        let n = n as usize;
        if n >= sh.traps.len() {
            sh.error2(&[b"trap: ", c.as_slice()].concat(), "bad trap");
            st = 1;
            continue;
        }
        if n == libc::SIGKILL as usize || n == libc::SIGSTOP as usize {
            // Cannot be caught; bash and dash accept the request and do nothing.
            continue;
        }
        if n > 0 && sh.ignored_at_entry[n] && !sh.opts.interactive {
            continue;
        }
        let t = match action {
            None => None,
            Some(b"") => Some(Trap::Ignore),
            Some(a) => Some(Trap::Command(a.to_vec())),
        };
        if n > 0 {
            match &t {
                None => signals::set_default(n as i32),
                Some(Trap::Ignore) => signals::set_ignore(n as i32),
                Some(Trap::Command(_)) => signals::set_catch(n as i32),
            }
            if n == libc::SIGPIPE as usize && t.is_none() {
                // The shell itself keeps SIGPIPE ignored; children get the default.
                signals::set_ignore(n as i32);
            }
        }
        sh.traps[n] = t;
    }
    Ok(st)
}
