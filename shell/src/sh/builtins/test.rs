//! `test` and `[`: the applet, plus bash's unary `-v NAME` (the variable is set) and
//! `-o NAME` (the shell option is on), which need the shell's state. They are taken when
//! they are the whole expression (`test -v x`, `[ ! -o errexit ]`); any longer expression
//! goes to the applet, where `-o` is the binary "or".

use crate::sh::exec;
use crate::sh::state::{R, Shell};

/// `test` / `[`.
pub fn test(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let expr = if args[0] == b"[" {
        match args[1..].split_last() {
            Some((last, rest)) if last == b"]" => Some(rest),
            _ => None,
        }
    } else {
        Some(&args[1..])
    };
    let (negate, op, name) = match expr {
        Some([op, name]) => (false, op, name),
        Some([bang, op, name]) if bang == b"!" => (true, op, name),
        _ => return applet(sh, args),
    };
    let yes = match op.as_slice() {
        b"-v" => sh.vars.get(name).is_some(),
        b"-o" => {
            let mut opts = sh.opts;
            opts.named(name).is_some_and(|f| *f)
        }
        _ => return applet(sh, args),
    };
    Ok(u8::from(yes == negate))
}

fn applet(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let Some(applet) = crate::applets::find(&args[0]) else {
        sh.error2(&args[0], "not found");
        return Ok(127);
    };
    Ok(exec::simple::inproc(sh, applet, args, &[], None))
}
