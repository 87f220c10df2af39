//! `getopts optstring name [arg...]` with OPTIND/OPTARG and silent mode (leading `:`).

use crate::sh::state::{R, Shell};

/// `getopts`.
pub fn getopts(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let (Some(spec), Some(name)) = (args.get(1), args.get(2)) else {
        sh.error(b"getopts: usage: getopts optstring var [arg...]");
        return Ok(2);
    };
    let params: Vec<Vec<u8>> = if args.len() > 3 {
        args[3..].to_vec()
    } else {
        sh.positional.clone()
    };
    let silent = spec.first() == Some(&b':');
    let spec = if silent { &spec[1..] } else { &spec[..] };
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
        sh.assign_or_fail(name, b"?".to_vec())?;
        let _ = sh.vars.unset(b"OPTARG");
        finish(sh, optind, 0)?;
        return Ok(1);
    };
    if pos == 0 {
        if arg.len() < 2 || arg[0] != b'-' {
            sh.assign_or_fail(name, b"?".to_vec())?;
            let _ = sh.vars.unset(b"OPTARG");
            finish(sh, optind, 0)?;
            return Ok(1);
        }
        if arg == b"--" {
            sh.assign_or_fail(name, b"?".to_vec())?;
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
        sh.assign_or_fail(name, b"?".to_vec())?;
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
                sh.assign_or_fail(name, vec![c])?;
                finish(sh, optind + 1, 0)?;
            }
            None => {
                if silent {
                    sh.assign_or_fail(b"OPTARG", vec![c])?;
                    sh.assign_or_fail(name, b":".to_vec())?;
                } else {
                    let _ = sh.vars.unset(b"OPTARG");
                    sh.error(format!("No arg for -{} option", char::from(c)).as_bytes());
                    sh.assign_or_fail(name, b"?".to_vec())?;
                }
                finish(sh, optind, 0)?;
            }
        }
        return Ok(0);
    }
    let _ = sh.vars.unset(b"OPTARG");
    sh.assign_or_fail(name, vec![c])?;
    if at_end {
        optind += 1;
        pos = 0;
    }
    finish(sh, optind, pos)?;
    Ok(0)
}
