//! `cd` and `pwd`: the process cwd is always the shell's physical cwd; `$PWD` carries the
//! logical path.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use super::out;
use crate::sh::state::{R, Shell};

/// Removes `.` and `..` components lexically (`..` eats the previous component).
pub fn canonical(path: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut out = Vec::with_capacity(path.len());
    for p in parts {
        out.push(b'/');
        out.extend_from_slice(p);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

/// Like [`canonical`], but `None` when a component that a `..` removes is not a directory
/// (POSIX cd step 8: `cd nonexistent/..` fails, as in bash; dash lets it through).
fn canonical_checked(path: &[u8]) -> Option<Vec<u8>> {
    let mut prefix: Vec<u8> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                if !stack.is_empty() && !std::path::Path::new(OsStr::from_bytes(&prefix)).is_dir() {
                    return None;
                }
                if let Some(len) = stack.pop() {
                    prefix.truncate(len);
                }
            }
            c => {
                stack.push(prefix.len());
                prefix.push(b'/');
                prefix.extend_from_slice(c);
            }
        }
    }
    if prefix.is_empty() {
        prefix.push(b'/');
    }
    Some(prefix)
}

fn physical_cwd() -> Option<Vec<u8>> {
    std::env::current_dir()
        .ok()
        .map(|p| p.as_os_str().as_bytes().to_vec())
}

/// `cd [-L|-P] [dir | -]`.
pub fn cd(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut physical = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        match a.as_slice() {
            b"-L" => physical = false,
            b"-P" => physical = true,
            b"--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let mut print = false;
    let target = match args.get(i) {
        None => match sh.vars.get(b"HOME") {
            Some(h) if !h.is_empty() => h.to_vec(),
            _ => {
                sh.error2(b"cd", "HOME not set");
                return Ok(1);
            }
        },
        Some(a) if a == b"-" => match sh.vars.get(b"OLDPWD") {
            Some(o) => {
                print = true;
                o.to_vec()
            }
            None => {
                sh.error2(b"cd", "OLDPWD not set");
                return Ok(1);
            }
        },
        Some(a) => a.clone(),
    };
    if target.is_empty() {
        return Ok(0);
    }
    // CDPATH applies to relative names not starting with . or ..
    let mut candidates = Vec::new();
    if !target.starts_with(b"/")
        && !target.starts_with(b"./")
        && !target.starts_with(b"../")
        && target != b"."
        && target != b".."
        && let Some(cdpath) = sh.vars.get(b"CDPATH")
    {
        for d in cdpath.split(|&c| c == b':') {
            if d.is_empty() {
                candidates.push((target.clone(), false));
            } else {
                let mut p = d.to_vec();
                if !p.ends_with(b"/") {
                    p.push(b'/');
                }
                p.extend_from_slice(&target);
                candidates.push((p, true));
            }
        }
    }
    candidates.push((target.clone(), false));
    let mut last_err = None;
    for (cand, from_cdpath) in candidates {
        let logical = if cand.starts_with(b"/") {
            cand.clone()
        } else {
            let mut base = sh.pwd.clone();
            if base.is_empty() {
                base = physical_cwd().unwrap_or_else(|| b"/".to_vec());
            }
            base.push(b'/');
            base.extend_from_slice(&cand);
            base
        };
        let logical = match canonical_checked(&logical) {
            Some(l) => l,
            None if physical => canonical(&logical),
            None => {
                last_err = Some(nix::errno::Errno::ENOENT);
                continue;
            }
        };
        let go: &[u8] = if physical { &cand } else { &logical };
        match nix::unistd::chdir(OsStr::from_bytes(go)) {
            Ok(()) => {
                let new_pwd = if physical {
                    physical_cwd().unwrap_or(logical)
                } else {
                    logical
                };
                let old = std::mem::replace(&mut sh.pwd, new_pwd.clone());
                // OLDPWD is exported, as in bash and dash.
                let _ = sh.vars.set(b"OLDPWD", old, true);
                let _ = sh.vars.set(b"PWD", new_pwd.clone(), false);
                if print || from_cdpath {
                    let mut line = new_pwd;
                    line.push(b'\n');
                    return Ok(out(sh, b"cd", &line));
                }
                return Ok(0);
            }
            Err(e) => last_err = Some(e),
        }
    }
    let e = std::io::Error::from(last_err.unwrap_or(nix::errno::Errno::ENOENT));
    sh.error2(
        &[b"cd: can't cd to ", target.as_slice()].concat(),
        &rbox_builtins::error::strerror(&e),
    );
    Ok(1)
}

/// `pwd [-L|-P]`.
pub fn pwd(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let physical = args[1..].iter().any(|a| a == b"-P");
    let mut p = if physical || sh.pwd.is_empty() {
        match physical_cwd() {
            Some(p) => p,
            None => {
                sh.error2(b"pwd", "cannot determine the current directory");
                return Ok(1);
            }
        }
    } else {
        sh.pwd.clone()
    };
    p.push(b'\n');
    Ok(out(sh, b"pwd", &p))
}

#[cfg(test)]
mod tests {
    use super::{canonical, canonical_checked};

    #[test]
    fn canonical_paths() {
        assert_eq!(canonical(b"/a/./b/../c/"), b"/a/c");
        assert_eq!(canonical(b"/.."), b"/");
        assert_eq!(canonical(b"//x"), b"/x");
        assert_eq!(
            canonical_checked(b"/tmp/../x/.").as_deref(),
            Some(&b"/x"[..])
        );
        assert_eq!(canonical_checked(b"/nonexistent-zz/.."), None);
    }
}
