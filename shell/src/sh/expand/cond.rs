//! `[[ expression ]]`: words are expanded without splitting or globbing; the right side
//! of `==`/`!=` is a pattern and of `=~` an ERE (quoted parts match literally).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use rbox_parser::syntax::{TestBinaryOp as B, TestExpr, TestUnaryOp as U, Word};

use super::QUOTED;
use crate::sh::state::{Ctl, Shell};

/// Evaluates the expression: true, false, or a fatal expansion error.
pub fn eval(sh: &mut Shell, e: &TestExpr) -> Result<bool, Ctl> {
    Ok(match e {
        TestExpr::Word(w) => !super::string(sh, w)?.is_empty(),
        TestExpr::Not(e) => !eval(sh, e)?,
        TestExpr::And(a, b) => eval(sh, a)? && eval(sh, b)?,
        TestExpr::Or(a, b) => eval(sh, a)? || eval(sh, b)?,
        TestExpr::Group(e) => eval(sh, e)?,
        TestExpr::Unary(op, w) => {
            let s = super::string(sh, w)?;
            unary(sh, *op, &s)
        }
        TestExpr::Binary(op, l, r) => binary(sh, *op, l, r)?,
    })
}

fn unary(sh: &Shell, op: U, s: &[u8]) -> bool {
    let path = OsStr::from_bytes(s);
    let meta = || std::fs::metadata(path);
    match op {
        U::Empty => s.is_empty(),
        U::NonEmpty => !s.is_empty(),
        U::Exists | U::ExistsA => meta().is_ok(),
        U::File => meta().is_ok_and(|m| m.is_file()),
        U::Dir => meta().is_ok_and(|m| m.is_dir()),
        U::Block => meta().is_ok_and(|m| m.file_type().is_block_device()),
        U::Char => meta().is_ok_and(|m| m.file_type().is_char_device()),
        U::Fifo => meta().is_ok_and(|m| m.file_type().is_fifo()),
        U::Socket => meta().is_ok_and(|m| m.file_type().is_socket()),
        U::Symlink | U::SymlinkH => {
            std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        }
        U::NonEmptyFile => meta().is_ok_and(|m| m.len() > 0),
        U::SetGid => meta().is_ok_and(|m| m.permissions().mode() & 0o2000 != 0),
        U::SetUid => meta().is_ok_and(|m| m.permissions().mode() & 0o4000 != 0),
        U::Sticky => meta().is_ok_and(|m| m.permissions().mode() & 0o1000 != 0),
        U::Readable => access(s, libc::R_OK),
        U::Writable => access(s, libc::W_OK),
        U::Executable => access(s, libc::X_OK),
        U::Owned => meta().is_ok_and(|m| m.uid() == nix::unistd::geteuid().as_raw()),
        U::OwnedGroup => meta().is_ok_and(|m| m.gid() == nix::unistd::getegid().as_raw()),
        U::Modified => meta().is_ok_and(|m| m.mtime() > m.atime()),
        U::Terminal => std::str::from_utf8(s)
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok())
            .is_some_and(rbox_builtins::common::fdio::isatty),
        U::Option => {
            let mut o = sh.opts;
            o.named(s).is_some_and(|f| *f)
        }
        U::VarSet => sh.vars.get(s).is_some(),
        U::NameRef => false,
    }
}

/// `access(2)` on a byte path.
pub fn access(s: &[u8], mode: i32) -> bool {
    let Ok(c) = std::ffi::CString::new(s) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string for the duration of the call.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

fn binary(sh: &mut Shell, op: B, l: &Word, r: &Word) -> Result<bool, Ctl> {
    let left = super::string(sh, l)?;
    Ok(match op {
        B::Match | B::MatchEq | B::NoMatch => {
            let pat = super::compile_pattern(&super::pattern(sh, r)?);
            pat.matches(&left) == (op != B::NoMatch)
        }
        B::Regex => {
            let rbuf = super::pattern(sh, r)?;
            let mut src = Vec::with_capacity(rbuf.bytes.len());
            for (c, f) in rbuf.bytes.iter().zip(&rbuf.flags) {
                if f & QUOTED != 0 && b"\\.[]()*+?{}|^$".contains(c) {
                    src.push(b'\\');
                }
                src.push(*c);
            }
            let opts = rbox_parser::regex::Options {
                extended: true,
                ..Default::default()
            };
            match rbox_parser::regex::Regex::new(&src, &opts) {
                Ok(re) => re.is_match(&left),
                Err(e) => {
                    sh.error(format!("regex: {e}").as_bytes());
                    return Err(Ctl::Error(2));
                }
            }
        }
        B::Less => left < super::string(sh, r)?,
        B::Greater => left > super::string(sh, r)?,
        B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge => {
            let a = super::arith::eval(sh, &left)?;
            let rt = super::string(sh, r)?;
            let b = super::arith::eval(sh, &rt)?;
            match op {
                B::Eq => a == b,
                B::Ne => a != b,
                B::Lt => a < b,
                B::Le => a <= b,
                B::Gt => a > b,
                _ => a >= b,
            }
        }
        B::NewerThan | B::OlderThan | B::SameFile => {
            let right = super::string(sh, r)?;
            let a = std::fs::metadata(OsStr::from_bytes(&left));
            let b = std::fs::metadata(OsStr::from_bytes(&right));
            match op {
                B::SameFile => match (a, b) {
                    (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                    _ => false,
                },
                B::NewerThan => match (a, b) {
                    (Ok(a), Ok(b)) => mtime(&a) > mtime(&b),
                    (Ok(_), Err(_)) => true,
                    _ => false,
                },
                _ => match (a, b) {
                    (Ok(a), Ok(b)) => mtime(&a) < mtime(&b),
                    (Err(_), Ok(_)) => true,
                    _ => false,
                },
            }
        }
    })
}

fn mtime(m: &std::fs::Metadata) -> (i64, i64) {
    (m.mtime(), m.mtime_nsec())
}
