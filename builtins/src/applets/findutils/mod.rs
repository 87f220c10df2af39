//! Finding files and building command lines: find, xargs.

use crate::applet::Applet;
use crate::ctx::Ctx;

pub mod find;
pub mod xargs;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&find::APPLET, &xargs::APPLET];

/// A byte string as a path.
pub(crate) fn path(name: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(name))
}

/// `'name'` as GNU find and xargs quote names in messages.
pub(crate) fn quote(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + 2);
    out.push(b'\'');
    out.extend_from_slice(name);
    out.push(b'\'');
    out
}

/// The environment a spawned command gets: the applet's, as owned pairs.
pub(crate) fn env_pairs(ctx: &Ctx<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
    ctx.env
        .vars()
        .into_iter()
        .map(|(k, v)| (k.to_vec(), v.to_vec()))
        .collect()
}

/// GNU's default cap on a built command line (`xargs --show-limits`: 128 KiB).
pub(crate) const DEFAULT_LINE_MAX: usize = 128 * 1024;

/// The most bytes of arguments (each counted with its NUL) a command may get: the
/// system's `ARG_MAX` less the environment and 2048 bytes of headroom, as POSIX asks
/// of xargs.
pub(crate) fn system_line_max(env: &[(Vec<u8>, Vec<u8>)]) -> usize {
    let arg_max = nix::unistd::sysconf(nix::unistd::SysconfVar::ARG_MAX)
        .ok()
        .flatten()
        .and_then(|v| usize::try_from(v).ok())
        .unwrap_or(DEFAULT_LINE_MAX * 2);
    let env_size: usize = env
        .iter()
        .map(|(k, v)| k.len() + v.len() + 2 + std::mem::size_of::<usize>())
        .sum();
    arg_max
        .saturating_sub(env_size)
        .saturating_sub(2048)
        .max(4096)
}
