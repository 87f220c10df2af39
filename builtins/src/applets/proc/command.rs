//! Running the COMMAND operand of `nice`, `nohup`, `setsid` and friends through the
//! spawner, with GNU's statuses: 127 when it is not found, 126 when it cannot run.

use std::io::ErrorKind;

use crate::prelude::*;

/// The context's environment as a child's list of variables.
pub fn env_of(ctx: &Ctx<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
    ctx.env
        .vars()
        .into_iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

/// Runs `argv`, waits for it, and turns its status into this applet's result.
pub fn run(ctx: &mut Ctx<'_>, argv: &[Vec<u8>]) -> Result<(), Error> {
    let env = env_of(ctx);
    ctx.stdout.flush()?;
    ctx.stderr.flush()?;
    match ctx.spawn.run(argv, &env) {
        Ok(0) => Ok(()),
        Ok(status) => Err(Error::silent(status)),
        Err(e) => Err(spawn_error(argv, &e)),
    }
}

/// The error for a command the spawner could not start: `'NAME': reason`, 127 or 126.
pub fn spawn_error(argv: &[Vec<u8>], e: &std::io::Error) -> Error {
    let mut subject = b"'".to_vec();
    subject.extend_from_slice(argv.first().map_or(&b""[..], |v| v));
    subject.push(b'\'');
    let status = if e.kind() == ErrorKind::NotFound {
        127
    } else {
        126
    };
    Error::io(&subject, e).with_status(status)
}

/// Replaces this process with `argv` (an applet through `/proc/self/exe`, else the first
/// `PATH` match from the context's environment); returns only with the error to report.
/// For `setsid`, whose command must itself be the session leader. Flush first.
pub fn exec(ctx: &Ctx<'_>, argv: &[Vec<u8>]) -> std::io::Error {
    use std::ffi::CString;
    let env = env_of(ctx);
    let cstr = |b: &[u8]| CString::new(b.to_vec()).ok();
    let name = argv.first().cloned().unwrap_or_default();
    let envp: Option<Vec<CString>> = env
        .iter()
        .map(|(k, v)| cstr(&[k.as_slice(), b"=", v.as_slice()].concat()))
        .collect();
    let args: Option<Vec<CString>> = argv.iter().map(|a| cstr(a)).collect();
    let (Some(envp), Some(mut args)) = (envp, args) else {
        return std::io::Error::from_raw_os_error(libc::EINVAL);
    };
    if !name.contains(&b'/') && crate::registry::find(&name).is_some() {
        let mut with_rbox = vec![c"rbox".to_owned()];
        with_rbox.append(&mut args);
        let _ = nix::unistd::execve(c"/proc/self/exe", &with_rbox, &envp);
        args = with_rbox.split_off(1);
    }
    let path = env
        .iter()
        .find(|(k, _)| k == b"PATH")
        .map_or(&b"/usr/sbin:/usr/bin:/sbin:/bin"[..], |(_, v)| v.as_slice());
    let candidates: Vec<Vec<u8>> = if name.contains(&b'/') {
        vec![name.clone()]
    } else {
        path.split(|&b| b == b':')
            .map(|dir| {
                let dir = if dir.is_empty() { &b"."[..] } else { dir };
                [dir, b"/", name.as_slice()].concat()
            })
            .collect()
    };
    let mut err = std::io::Error::from_raw_os_error(libc::ENOENT);
    for cand in candidates {
        let Some(c) = cstr(&cand) else { continue };
        let Err(e) = nix::unistd::execve(&c, &args, &envp);
        if e != nix::errno::Errno::ENOENT && e != nix::errno::Errno::ENOTDIR {
            err = std::io::Error::from(e);
        }
    }
    err
}
