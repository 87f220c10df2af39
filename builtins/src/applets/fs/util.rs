//! Helpers the file applets share: byte paths, GNU-style quoting and messages, prompts.

use std::ffi::OsStr;
use std::io::{self, BufRead, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::ctx::Ctx;
use crate::error::strerror;

/// A byte string as a path.
pub fn path(name: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(name))
}

/// `'name'` as GNU quotes file names in messages (`"it's"` when it holds a `'`).
pub fn quote(name: &[u8]) -> Vec<u8> {
    let q = if name.contains(&b'\'') && !name.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = Vec::with_capacity(name.len() + 2);
    out.push(q);
    out.extend_from_slice(name);
    out.push(q);
    out
}

/// `WHAT 'name': reason`, the shape of most file-applet messages
/// (`cannot remove 'x': No such file or directory`).
pub fn msg(what: &str, name: &[u8], err: &io::Error) -> Vec<u8> {
    let mut m = Vec::with_capacity(what.len() + name.len() + 40);
    m.extend_from_slice(what.as_bytes());
    if !what.is_empty() {
        m.push(b' ');
    }
    m.extend_from_slice(&quote(name));
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(err).as_bytes());
    m
}

/// `text` with every `{}` replaced by the quoted names in turn (`'a' -> 'b'`).
pub fn fill(text: &str, names: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut parts = text.split("{}");
    let mut names = names.iter();
    if let Some(first) = parts.next() {
        out.extend_from_slice(first.as_bytes());
    }
    for part in parts {
        if let Some(n) = names.next() {
            out.extend_from_slice(&quote(n));
        }
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// Asks `NAME: question` on stderr and reads one answer line from stdin: yes when it
/// starts with `y` or `Y`.
pub fn ask(ctx: &mut Ctx<'_>, question: &[u8]) -> bool {
    let mut q = Vec::with_capacity(question.len() + 16);
    q.extend_from_slice(ctx.name().as_bytes());
    q.extend_from_slice(b": ");
    q.extend_from_slice(question);
    q.push(b' ');
    let _ = ctx.stderr.write_all(&q);
    let _ = ctx.stderr.flush();
    let mut line = Vec::new();
    if ctx.stdin.read_until(b'\n', &mut line).is_err() {
        return false;
    }
    matches!(line.first(), Some(b'y' | b'Y'))
}

/// What a file is, as rm -i and cp's messages name it.
pub fn describe(st: &nix::sys::stat::FileStat) -> &'static str {
    match st.st_mode & libc::S_IFMT {
        libc::S_IFDIR => "directory",
        libc::S_IFLNK => "symbolic link",
        libc::S_IFREG if st.st_size == 0 => "regular empty file",
        libc::S_IFREG => "regular file",
        libc::S_IFIFO => "fifo",
        libc::S_IFSOCK => "socket",
        libc::S_IFCHR => "character special file",
        libc::S_IFBLK => "block special file",
        _ => "file",
    }
}

/// An errno as an `io::Error`.
pub fn errno(e: nix::errno::Errno) -> io::Error {
    io::Error::from(e)
}

/// Parses a mode operand, or the GNU message `invalid mode: 'SPEC'`.
pub fn parse_mode(spec: &[u8]) -> Result<crate::common::mode::ModeChange, crate::error::Error> {
    crate::common::mode::ModeChange::parse(spec).ok_or_else(|| {
        crate::error::Error::msg(format!("invalid mode: '{}'", String::from_utf8_lossy(spec)))
    })
}

/// Joins `dir` and `name` with one `/`.
pub fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.is_empty() && !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

/// How much of a path must exist for [`canonicalize`] (`readlink -e`, `-f`, `-m`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Every component.
    All,
    /// All but the last.
    AllButLast,
    /// None.
    Nothing,
}

/// The absolute path of `name` with `.`, `..` and (unless `!links`) symlinks resolved,
/// as `realpath`/`readlink -f` compute it; `cwd` is the physical working directory.
pub fn canonicalize(name: &[u8], need: Need, links: bool, cwd: &[u8]) -> io::Result<Vec<u8>> {
    use std::collections::VecDeque;
    if name.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::ENOENT));
    }
    let split = |p: &[u8]| -> Vec<Vec<u8>> {
        p.split(|&b| b == b'/')
            .filter(|c| !c.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    };
    let mut out: Vec<u8> = if name.starts_with(b"/") {
        Vec::new()
    } else {
        cwd.to_vec()
    };
    if out == b"/" {
        out.clear();
    }
    let mut todo: VecDeque<Vec<u8>> = split(name).into();
    let mut hops = 0;
    let mut missing = false;
    while let Some(comp) = todo.pop_front() {
        if comp == b"." {
            continue;
        }
        if comp == b".." {
            let cut = out.iter().rposition(|&b| b == b'/').unwrap_or(0);
            out.truncate(cut);
            continue;
        }
        out.push(b'/');
        out.extend_from_slice(&comp);
        if missing {
            continue;
        }
        match std::fs::symlink_metadata(path(&out)) {
            Ok(md) => {
                let ft = md.file_type();
                // -e without resolving links still wants what a link names to exist.
                if ft.is_symlink() && !links && need == Need::All {
                    std::fs::metadata(path(&out))?;
                }
                if ft.is_symlink() && links {
                    hops += 1;
                    if hops > 40 {
                        return Err(io::Error::from_raw_os_error(libc::ELOOP));
                    }
                    let target = std::fs::read_link(path(&out))?;
                    let target = target.as_os_str().as_bytes();
                    let cut = out.iter().rposition(|&b| b == b'/').unwrap_or(0);
                    out.truncate(cut);
                    if target.starts_with(b"/") {
                        out.clear();
                    }
                    for c in split(target).into_iter().rev() {
                        todo.push_front(c);
                    }
                } else if !ft.is_dir() && !todo.is_empty() && !ft.is_symlink() {
                    if need != Need::Nothing {
                        return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
                    }
                    missing = true;
                }
            }
            Err(e) => {
                let last = todo.iter().all(|c| c == b".");
                match need {
                    Need::All => return Err(e),
                    Need::AllButLast if !last || e.raw_os_error() != Some(libc::ENOENT) => {
                        return Err(e);
                    }
                    _ => missing = true,
                }
            }
        }
    }
    if out.is_empty() {
        out.push(b'/');
    }
    Ok(out)
}

/// The physical working directory as bytes.
pub fn cwd() -> io::Result<Vec<u8>> {
    Ok(std::env::current_dir()?
        .into_os_string()
        .into_encoded_bytes())
}

/// Exactly `n` operands (after `--`), for link and unlink: `missing operand` or
/// `extra operand 'x'` otherwise.
pub fn exact_operands(ctx: &Ctx<'_>, n: usize) -> Result<Vec<Vec<u8>>, crate::error::Error> {
    use crate::opts::Arg;
    let mut ops = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if ops.len() < n {
        let m = match ops.last() {
            Some(last) => {
                let mut m = b"missing operand after ".to_vec();
                m.extend_from_slice(&quote(last));
                m
            }
            None => b"missing operand".to_vec(),
        };
        return Err(crate::error::Error::usage(m));
    }
    if let Some(extra) = ops.get(n) {
        return Err(opts.unexpected(&Arg::Value(extra.clone())));
    }
    Ok(ops)
}
