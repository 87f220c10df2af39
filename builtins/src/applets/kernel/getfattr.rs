//! `getfattr`: show extended attributes of files, as the attr package's tool does: the
//! `# file:` header, `NAME="value"` lines, a blank line after each file.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;

use nix::sys::stat::{FileStat, SFlag, lstat, stat};
use rbox_parser::regex::{Options, Regex};

use super::xattr::{self, Deref, Encoding};
use crate::prelude::*;

/// The `getfattr` applet.
pub const APPLET: Applet = Applet::new("getfattr", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage(SYNOPSIS)
    .error_status(2)
    .help(
        "Show the extended attributes of each PATH: their names, or with -d or -n their\n\
         values, under a '# file: PATH' header.\n\n\
         -n NAME\t\tShow the value of attribute NAME\n\
         -d, --dump\tShow the values of all attributes matching the pattern\n\
         -e ENC\t\tShow values as text, hex or base64 (default: text when printable)\n\
         -m PATTERN\tOnly attributes whose names match the ERE (default ^user\\.; - for all)\n\
         --only-values\tPrint the bare values only\n\
         -h\t\tDo not follow symbolic links\n\
         --absolute-names\tKeep a leading '/' in path names\n\
         --one-file-system\tDo not descend into other file systems\n\
         -R\t\tRecurse into directories\n\
         -L\t\tWith -R, follow every symbolic link\n\
         -P\t\tWith -R, follow no symbolic link",
    );

const SYNOPSIS: &str = "[-hRLP] [-n name|-d] [-e en] [-m pattern] path...";

const LONGS: &[&str] = &[
    "name",
    "dump",
    "encoding",
    "match",
    "only-values",
    "no-dereference",
    "absolute-names",
    "one-file-system",
    "recursive",
    "logical",
    "physical",
    "help",
];

/// What to show and how to walk.
struct Config {
    name: Option<Vec<u8>>,
    dump: bool,
    encoding: Encoding,
    only_values: bool,
    deref: Deref,
    strip_slash: bool,
    recursive: bool,
    logical: bool,
    physical: bool,
    one_fs: bool,
}

/// One run: the settings, the compiled name pattern, the one-time absolute-path note.
struct Walker {
    cfg: Config,
    pattern: Regex,
    warned_absolute: bool,
}

/// Prints the attr tools' two-line synopsis and gives the usage status, 2.
fn synopsis(ctx: &mut Ctx<'_>) -> Error {
    let text = format!("Usage: getfattr {SYNOPSIS}\nTry `getfattr --help' for more information.\n");
    let _ = ctx.stderr.write_all(text.as_bytes());
    Error::silent(2)
}

/// An option's value, or the getopt message and the synopsis.
fn need(ctx: &mut Ctx<'_>, opts: &mut crate::opts::Opts) -> Result<Vec<u8>, Error> {
    opts.value().map_err(|e| {
        ctx.note(&e.message);
        synopsis(ctx)
    })
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut cfg = Config {
        name: None,
        dump: false,
        encoding: Encoding::Auto,
        only_values: false,
        deref: Deref::Follow,
        strip_slash: true,
        recursive: false,
        logical: false,
        physical: false,
        one_fs: false,
    };
    let mut pattern = b"^user\\.".to_vec();
    let mut paths = Vec::new();
    let mut opts = ctx.opts(LONGS);
    loop {
        let arg = match opts.next() {
            Ok(Some(a)) => a,
            Ok(None) => break,
            Err(e) => {
                ctx.note(&e.message);
                return Err(synopsis(ctx));
            }
        };
        match arg {
            Arg::Short('n') | Arg::Long("name") => {
                cfg.name = Some(need(ctx, &mut opts)?);
                cfg.dump = true;
            }
            Arg::Short('d') | Arg::Long("dump") => cfg.dump = true,
            Arg::Short('e') | Arg::Long("encoding") => {
                cfg.encoding = match need(ctx, &mut opts)?.as_slice() {
                    b"text" => Encoding::Text,
                    b"hex" => Encoding::Hex,
                    b"base64" => Encoding::Base64,
                    _ => return Err(synopsis(ctx)),
                }
            }
            Arg::Short('m') | Arg::Long("match") => {
                let v = need(ctx, &mut opts)?;
                pattern = if v == b"-" { Vec::new() } else { v };
            }
            Arg::Long("only-values") => cfg.only_values = true,
            Arg::Short('h') | Arg::Long("no-dereference") => cfg.deref = Deref::NoFollow,
            Arg::Long("absolute-names") => cfg.strip_slash = false,
            Arg::Long("one-file-system") => cfg.one_fs = true,
            Arg::Short('R') | Arg::Long("recursive") => cfg.recursive = true,
            Arg::Short('L') | Arg::Long("logical") => (cfg.logical, cfg.physical) = (true, false),
            Arg::Short('P') | Arg::Long("physical") => (cfg.logical, cfg.physical) = (false, true),
            Arg::Long("help") => {
                ctx.stdout.write_all(APPLET.help_text().as_bytes())?;
                return Ok(());
            }
            Arg::Value(v) => paths.push(v),
            other => {
                ctx.note(&opts.unexpected(&other).message);
                return Err(synopsis(ctx));
            }
        }
    }
    if paths.is_empty() {
        return Err(synopsis(ctx));
    }
    let ere = Options {
        extended: true,
        ..Options::default()
    };
    let pattern = Regex::new(&pattern, &ere).map_err(|_| {
        Error::msg(format!(
            "invalid regular expression \"{}\"",
            String::from_utf8_lossy(&pattern)
        ))
        .with_status(1)
    })?;
    let mut walker = Walker {
        cfg,
        pattern,
        warned_absolute: false,
    };
    let mut errors = 0;
    for mut path in paths {
        errors += walker.walk(ctx, &mut path, 0, &mut Vec::new(), None)?;
    }
    if errors > 0 {
        Err(Error::silent(1))
    } else {
        Ok(())
    }
}

fn stat_err(e: nix::errno::Errno) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

fn is_dir(st: &FileStat) -> bool {
    SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits()) == SFlag::S_IFDIR
}

fn is_link(st: &FileStat) -> bool {
    SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits()) == SFlag::S_IFLNK
}

impl Walker {
    /// Shows `path`, then with -R what is below it. Returns the number of failures.
    fn walk(
        &mut self,
        ctx: &mut Ctx<'_>,
        path: &mut Vec<u8>,
        depth: usize,
        stack: &mut Vec<(u64, u64)>,
        top_dev: Option<u64>,
    ) -> Result<usize, Error> {
        let cfg = &self.cfg;
        let follow_links =
            cfg.logical || (cfg.deref == Deref::Follow && !cfg.physical && depth == 0);
        let mut st = match lstat(path.as_slice()) {
            Ok(st) => st,
            Err(e) => return self.failed(ctx, path, &stat_err(e)),
        };
        let link = is_link(&st);
        let mut have_target = !link;
        if link && cfg.deref == Deref::Follow {
            st = match stat(path.as_slice()) {
                Ok(st) => st,
                Err(e) => return self.failed(ctx, path, &stat_err(e)),
            };
            have_target = true;
        }
        let mut errors = self.show(ctx, path)?;
        let cfg = &self.cfg;
        let descend = cfg.recursive && ((!link && is_dir(&st)) || (link && follow_links));
        if !descend {
            return Ok(errors);
        }
        if !have_target {
            match stat(path.as_slice()) {
                Ok(s) => st = s,
                Err(_) => return Ok(errors),
            }
        }
        if !is_dir(&st) {
            return Ok(errors);
        }
        let id = (st.st_dev, st.st_ino);
        let top_dev = top_dev.unwrap_or(st.st_dev);
        if stack.contains(&id) || (cfg.one_fs && st.st_dev != top_dev) {
            return Ok(errors);
        }
        let dir = match std::fs::read_dir(OsStr::from_bytes(path)) {
            Ok(d) => d,
            Err(e) => {
                if !matches!(e.raw_os_error(), Some(libc::ENOTDIR | libc::ENOENT)) {
                    errors += self.failed(ctx, path, &e)?;
                }
                return Ok(errors);
            }
        };
        // The names are read first and the directory closed, so a deep tree holds no
        // descriptor per level (readdir order is kept).
        let mut names = Vec::new();
        for entry in dir {
            match entry {
                Ok(e) => names.push(e.file_name()),
                Err(e) => {
                    errors += self.failed(ctx, path, &e)?;
                    break;
                }
            }
        }
        stack.push(id);
        let len = path.len();
        for name in names {
            path.push(b'/');
            path.extend_from_slice(name.as_bytes());
            errors += self.walk(ctx, path, depth + 1, stack, Some(top_dev))?;
            path.truncate(len);
        }
        stack.pop();
        Ok(errors)
    }

    /// `getfattr: PATH: reason` for a file that could not be looked at.
    fn failed(&mut self, ctx: &mut Ctx<'_>, path: &[u8], e: &io::Error) -> Result<usize, Error> {
        let mut msg = xattr::quote(path, b"\n\r");
        msg.extend_from_slice(b": ");
        msg.extend_from_slice(xattr::reason(e).as_bytes());
        ctx.stdout.flush()?;
        ctx.note(&msg);
        Ok(1)
    }

    /// The attributes of one file, then a blank line if anything was shown.
    fn show(&mut self, ctx: &mut Ctx<'_>, path: &[u8]) -> Result<usize, Error> {
        let mut header = false;
        let errors = if let Some(name) = self.cfg.name.clone() {
            self.attribute(ctx, path, &name, &mut header)?
        } else {
            match xattr::list(path, self.cfg.deref) {
                Err(e) => self.failed(ctx, path, &e)?,
                Ok(mut names) => {
                    names.retain(|n| self.pattern.is_match(n));
                    names.sort();
                    // As the attr tools do, a value that vanished between the listing
                    // and the read is reported but does not fail the run.
                    for n in names {
                        self.attribute(ctx, path, &n, &mut header)?;
                    }
                    0
                }
            }
        };
        if header {
            ctx.stdout.write_all(b"\n")?;
        }
        Ok(errors)
    }

    /// One attribute: its value read first (so a failure prints no header), then the
    /// header if it is the file's first, then the line.
    fn attribute(
        &mut self,
        ctx: &mut Ctx<'_>,
        path: &[u8],
        name: &[u8],
        header: &mut bool,
    ) -> Result<usize, Error> {
        let cfg = &self.cfg;
        let mut value = Vec::new();
        if cfg.dump || cfg.only_values {
            match xattr::get(path, name, cfg.deref) {
                Ok(v) => value = v,
                Err(e) => {
                    let mut msg = xattr::quote(path, b"\n\r");
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(&xattr::quote(name, b"\n\r"));
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(xattr::reason(&e).as_bytes());
                    msg.push(b'\n');
                    ctx.stdout.flush()?;
                    let _ = ctx.stderr.write_all(&msg);
                    let _ = ctx.stderr.flush();
                    return Ok(1);
                }
            }
        }
        let shown = self.shown_path(ctx, path);
        let cfg = &self.cfg;
        let mut out = Vec::new();
        if !*header && !cfg.only_values {
            out.extend_from_slice(b"# file: ");
            out.extend_from_slice(&xattr::quote(shown, b"\n\r"));
            out.push(b'\n');
            *header = true;
        }
        if cfg.only_values {
            out.extend_from_slice(&value);
        } else {
            out.extend_from_slice(&xattr::quote(name, b"=\n\r"));
            if cfg.dump {
                out.push(b'=');
                out.extend_from_slice(&xattr::encode(&value, cfg.encoding));
            }
            out.push(b'\n');
        }
        ctx.stdout.write_all(&out)?;
        Ok(0)
    }

    /// The path as the header shows it: leading `/` removed (with a note the first
    /// time) unless --absolute-names, a leading `./` dropped.
    fn shown_path<'p>(&mut self, ctx: &mut Ctx<'_>, path: &'p [u8]) -> &'p [u8] {
        if !self.cfg.strip_slash {
            return path;
        }
        let mut p = path;
        if p.first() == Some(&b'/') {
            if !self.warned_absolute {
                let _ = ctx.stdout.flush();
                ctx.note(b"Removing leading '/' from absolute path names");
                self.warned_absolute = true;
            }
            while let [b'/', rest @ ..] = p {
                p = rest;
            }
        } else if p.starts_with(b"./") {
            p = &p[1..];
            while let [b'/', rest @ ..] = p {
                p = rest;
            }
        }
        if p.is_empty() { b"." } else { p }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn usage_errors_exit_2() {
        let usage = "Usage: getfattr [-hRLP] [-n name|-d] [-e en] [-m pattern] path...\n\
                     Try `getfattr --help' for more information.\n";
        let r = run("getfattr", &[], b"");
        assert_eq!((r.status, r.err()), (2, usage.to_string()));
        let r = run("getfattr", &["-e", "octal", "f"], b"");
        assert_eq!((r.status, r.err()), (2, usage.to_string()));
        let r = run("getfattr", &["-z", "f"], b"");
        assert_eq!(
            (r.status, r.err()),
            (2, format!("getfattr: invalid option -- 'z'\n{usage}"))
        );
    }

    #[test]
    fn missing_files_and_bad_patterns() {
        let r = run("getfattr", &["-d", "/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "getfattr: /nonexistent/x: No such file or directory\n".to_string()
            )
        );
        let r = run("getfattr", &["-m", "(", "."], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "getfattr: invalid regular expression \"(\"\n".to_string()
            )
        );
    }
}
