//! `getopts optstring name [arg...]` with OPTIND/OPTARG and silent mode (leading `:`).

use crate::sh::state::{R, Shell};

/// `getopts`. OPTARG and OPTIND are set before the name, so a bad name (status 2, as in
/// dash and busybox) still leaves them as the option made them.
pub fn getopts(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let (Some(spec), Some(name)) = (args.get(1), args.get(2)) else {
        sh.error(b"getopts: usage: getopts optstring var [arg...]");
        return Ok(2);
    };
    let mut value = Vec::new();
    let st = next_option(sh, spec, args, &mut value)?;
    if !rbox_parser::syntax::is_name(name) {
        sh.error2(
            &[b"getopts: ", name.as_slice()].concat(),
            "bad variable name",
        );
        return Ok(2);
    }
    sh.assign_or_fail(name, value)?;
    Ok(st)
}

/// Steps over the next option: sets OPTARG and OPTIND, leaves the name's value in `out`.
fn next_option(sh: &mut Shell, spec: &[u8], args: &[Vec<u8>], out: &mut Vec<u8>) -> R {
    let params: Vec<Vec<u8>> = if args.len() > 3 {
        args[3..].to_vec()
    } else {
        sh.positional.clone()
    };
    let silent = spec.first() == Some(&b':');
    let spec = if silent { &spec[1..] } else { spec };
    let mut optind = sh
        .vars
        .get(b"OPTIND")
        .and_then(super::number)
        .unwrap_or(1)
        .max(1) as usize;
    let mut pos = sh.getopts_pos;
    let finish = |sh: &mut Shell, optind: usize, pos: usize| -> Result<(), crate::sh::state::Ctl> {
        sh.assign_or_fail(b"OPTIND", optind.to_string().into_bytes())?;
        sh.getopts_pos = pos;
        Ok(())
    };
    let Some(arg) = params.get(optind - 1) else {
        *out = b"?".to_vec();
        let _ = sh.vars.unset(b"OPTARG");
        // Past the end (OPTIND left over from other arguments): one past the last, as bash.
        finish(sh, optind.min(params.len() + 1), 0)?;
        return Ok(1);
    };
    if pos == 0 {
        if arg.len() < 2 || arg[0] != b'-' {
            *out = b"?".to_vec();
            let _ = sh.vars.unset(b"OPTARG");
            finish(sh, optind, 0)?;
            return Ok(1);
        }
        if arg == b"--" {
            *out = b"?".to_vec();
            let _ = sh.vars.unset(b"OPTARG");
            finish(sh, optind + 1, 0)?;
            return Ok(1);
        }
        pos = 1;
    }
    let c = arg[pos];
    pos += 1;
    let at_end = pos >= arg.len();
    let known = c != b':' && spec.contains(&c);
    let takes_arg = known
        && spec
            .iter()
            .position(|&x| x == c)
            .is_some_and(|i| spec.get(i + 1) == Some(&b':'));
    if !known {
        if silent {
            sh.assign_or_fail(b"OPTARG", vec![c])?;
        } else {
            let _ = sh.vars.unset(b"OPTARG");
            sh.error(format!("Illegal option -{}", char::from(c)).as_bytes());
        }
        *out = b"?".to_vec();
        if at_end {
            optind += 1;
            pos = 0;
        }
        finish(sh, optind, pos)?;
        return Ok(0);
    }
    if takes_arg {
        let value = if !at_end {
            Some(arg[pos..].to_vec())
        } else {
            optind += 1;
            params.get(optind - 1).cloned()
        };
        match value {
            Some(v) => {
                sh.assign_or_fail(b"OPTARG", v)?;
                *out = vec![c];
                finish(sh, optind + 1, 0)?;
            }
            None => {
                if silent {
                    sh.assign_or_fail(b"OPTARG", vec![c])?;
                    *out = b":".to_vec();
                } else {
                    let _ = sh.vars.unset(b"OPTARG");
                    sh.error(format!("No arg for -{} option", char::from(c)).as_bytes());
                    *out = b"?".to_vec();
                }
                finish(sh, optind, 0)?;
            }
        }
        return Ok(0);
    }
    sh.assign_or_fail(b"OPTARG", Vec::new())?;
    *out = vec![c];
    if at_end {
        optind += 1;
        pos = 0;
    }
    finish(sh, optind, pos)?;
    Ok(0)
}
