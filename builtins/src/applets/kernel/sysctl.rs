//! `sysctl`: read and write kernel parameters under /proc/sys, as procps-ng's sysctl does:
//! `KEY = VALUE` lines, `-w`/`KEY=VALUE` writes, `-p` files (comments, `-` prefixes,
//! globs), `-a` listings, `--system`, and procps's messages.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

use rbox_parser::pattern::{Options as GlobOptions, Pattern};
use rbox_parser::regex::{Options as ReOptions, Regex};

use crate::error::strerror;
use crate::prelude::*;

/// The `sysctl` applet.
pub const APPLET: Applet = Applet::new("sysctl", main, Run::Fork)
    .dir(InstallDir::Sbin)
    .usage("[-neNqbw] [-r REGEX] [-p [FILE]... | --system | -a | KEY[=VALUE]...]")
    .help(
        "Show kernel parameters (KEY = VALUE), or set them from KEY=VALUE operands or files.\n\
         Keys are /proc/sys paths written with dots or slashes (net.ipv4.ip_forward).\n\n\
         -a, -A, -X\tShow every readable parameter\n\
         -n\t\tShow values only\n\
         -N\t\tShow names only\n\
         -b\t\tShow values only, without newlines\n\
         -e\t\tIgnore unknown keys\n\
         -q\t\tDo not show values that were set\n\
         -w\t\tEvery operand is a KEY=VALUE setting\n\
         -p [FILE]\tSet what FILEs (default /etc/sysctl.conf, - for stdin) list\n\
         --system\tSet what the sysctl.d directories and /etc/sysctl.conf list\n\
         -r REGEX\tOnly keys matching the extended regular expression\n\
         --deprecated\tList deprecated parameters too\n\
         --dry-run\tShow what would be set without setting it",
    );

const LONGS: &[&str] = &[
    "all",
    "deprecated",
    "dry-run",
    "binary",
    "ignore",
    "names",
    "values",
    "load",
    "quiet",
    "write",
    "system",
    "pattern",
    "help",
];

const PROC_SYS: &[u8] = b"/proc/sys/";
const DEFAULT_FILE: &[u8] = b"/etc/sysctl.conf";
/// Parameters `-a` leaves out unless --deprecated.
const DEPRECATED: &[&[u8]] = &[b"base_reachable_time", b"retrans_time"];
/// Where --system looks for `*.conf` files, in precedence order.
const SYSTEM_DIRS: &[&str] = &[
    "/etc/sysctl.d",
    "/run/sysctl.d",
    "/usr/local/lib/sysctl.d",
    "/usr/lib/sysctl.d",
    "/lib/sysctl.d",
];

/// The output and error-handling switches.
struct Sysctl {
    print_name: bool,
    newline: bool,
    ignore_errors: bool,
    names_only: bool,
    quiet: bool,
    dry_run: bool,
    with_deprecated: bool,
    pattern: Option<Regex>,
}

/// One `KEY=VALUE` from the command line or a file.
struct Setting {
    path: Vec<u8>,
    value: Vec<u8>,
    /// `-KEY = VALUE`: a failure to open the key is only reported.
    ignore_failure: bool,
    /// `-KEY` alone: keep the key out of the globs of other lines.
    glob_exclude: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    if ctx.args.is_empty() {
        let _ = ctx.stderr.write_all(APPLET.help_text().as_bytes());
        return Err(Error::silent(1));
    }
    let mut s = Sysctl {
        print_name: true,
        newline: true,
        ignore_errors: false,
        names_only: false,
        quiet: false,
        dry_run: false,
        with_deprecated: false,
        pattern: None,
    };
    let (mut write, mut all, mut load, mut system) = (false, false, false, false);
    let mut files = Vec::new();
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') | Arg::Long("binary") => {
                s.newline = false;
                s.print_name = false;
            }
            Arg::Short('n') | Arg::Long("values") => s.print_name = false,
            Arg::Short('e') | Arg::Long("ignore") => s.ignore_errors = true,
            // -N also turns names off: procps 4.0.2 shows only the values it sets.
            Arg::Short('N') | Arg::Long("names") => (s.names_only, s.print_name) = (true, false),
            Arg::Short('w') | Arg::Long("write") => write = true,
            Arg::Short('p' | 'f') | Arg::Long("load") => {
                load = true;
                if let Some(f) = opts.optional_value() {
                    files.push(f);
                }
            }
            Arg::Short('q') | Arg::Long("quiet") => s.quiet = true,
            Arg::Short('o' | 'x') => {}
            Arg::Short('a' | 'A' | 'X') | Arg::Long("all") => all = true,
            Arg::Long("deprecated") => s.with_deprecated = true,
            Arg::Long("dry-run") => s.dry_run = true,
            // procps applies the system files at once, ignoring what follows.
            Arg::Long("system") => {
                system = true;
                break;
            }
            Arg::Short('r') | Arg::Long("pattern") => {
                let v = opts.value()?;
                let ere = ReOptions {
                    extended: true,
                    ..ReOptions::default()
                };
                // As procps: a pattern that does not compile matches nothing.
                s.pattern = Some(Regex::new(&v, &ere).unwrap_or_else(|_| never_matches()));
            }
            Arg::Short('h' | 'd') | Arg::Long("help") => {
                ctx.stdout.write_all(APPLET.help_text().as_bytes())?;
                return Ok(());
            }
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let status: i32 = if system {
        s.ignore_errors = true;
        let mut list = Vec::new();
        let rc = s.load_system(ctx, &mut list)?;
        rc | s.write_list(ctx, &list)?
    } else if all {
        s.display_all(ctx, PROC_SYS)?
    } else if load {
        if files.is_empty() && operands.is_empty() {
            files.push(DEFAULT_FILE.to_vec());
        }
        files.extend(operands);
        let mut list = Vec::new();
        let mut rc = 0;
        for f in &files {
            rc |= s.load(ctx, f, &mut list)?;
        }
        rc | s.write_list(ctx, &list)?
    } else {
        if operands.is_empty() {
            return Err(Error::msg(
                "no variables specified\nTry `sysctl --help' for more information.",
            ));
        }
        if s.names_only && s.quiet {
            return Err(Error::msg(
                "options -N and -q cannot coexist\nTry `sysctl --help' for more information.",
            ));
        }
        let mut rc = 0i32;
        for op in &operands {
            if write || op.contains(&b'=') {
                rc |= match s.parse_line(ctx, "command line", 0, op) {
                    Some(setting) => s.write_setting(ctx, &setting, &setting.path)?,
                    None => 1,
                };
            } else {
                rc = rc.wrapping_add(s.read_setting(ctx, op)?);
            }
        }
        rc
    };
    match status as u8 {
        0 => Ok(()),
        n => Err(Error::silent(n)),
    }
}

/// A pattern that matches no key.
fn never_matches() -> Regex {
    let ere = ReOptions {
        extended: true,
        ..ReOptions::default()
    };
    Regex::new(b"$.^", &ere).expect("a fixed pattern compiles")
}

fn is_sep(b: u8) -> bool {
    b == b'.' || b == b'/'
}

/// Turns a key between its dotted and its path form: from the first separator on, `old`
/// becomes `new` and `new` becomes `old` (so `eth0/1` in a dotted key is the interface
/// `eth0.1`), unless the first separator already is `new`. Repeated separators get
/// procps's warning, once.
fn slashdot(ctx: &mut Ctx<'_>, s: &[u8], old: u8, new: u8) -> Vec<u8> {
    let mut out = s.to_vec();
    let Some(first) = s.iter().position(|&b| is_sep(b)) else {
        return out;
    };
    if s[first] == new {
        return out;
    }
    let mut warned = false;
    for p in first..s.len() {
        if !is_sep(s[p]) {
            continue;
        }
        if !warned && s.get(p + 1).is_some_and(|&b| is_sep(b)) {
            let mut msg = b"separators should not be repeated: ".to_vec();
            msg.extend_from_slice(&s[p..]);
            ctx.note(&msg);
            warned = true;
        }
        out[p] = if s[p] == old { new } else { old };
    }
    out
}

fn os(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}

/// procps's whitespace (C `isspace`).
fn space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn lstrip(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| space(b)).count();
    &s[n..]
}

fn rstrip(s: &[u8]) -> &[u8] {
    let n = s.iter().rev().take_while(|b| space(b)).count();
    &s[..s.len() - n]
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

impl Sysctl {
    fn matches(&self, name: &[u8]) -> bool {
        self.pattern.as_ref().is_none_or(|p| p.is_match(name))
    }

    /// Whether `path` resolves to something under /proc/sys/ (procps refuses `..` and
    /// symlinks out); says so when it resolves elsewhere.
    fn under_proc_sys(&self, ctx: &mut Ctx<'_>, path: &[u8]) -> bool {
        let Ok(real) = std::fs::canonicalize(os(path)) else {
            return false;
        };
        if real.as_os_str().as_bytes().starts_with(PROC_SYS) {
            return true;
        }
        ctx.note(&cat(&[b"Path is not under /proc/sys/: ", path]));
        false
    }

    /// Shows one key (or every key below a directory key). The status procps adds up:
    /// 0, 1, or -1 for keys that cannot be a parameter.
    fn read_setting(&self, ctx: &mut Ctx<'_>, name: &[u8]) -> Result<i32, Error> {
        if name.is_empty() {
            ctx.note(b"\"\" is an unknown key");
            return Ok(-1);
        }
        // procps 4.0.2 converts the shown name twice (before and after the path), so a
        // repeated separator there is reported twice; the warnings follow that order.
        let out = slashdot(ctx, name, b'/', b'.');
        let path = cat(&[PROC_SYS, &slashdot(ctx, name, b'.', b'/')]);
        slashdot(ctx, name, b'/', b'.');
        let meta = match std::fs::metadata(os(&path)) {
            Ok(m) => m,
            Err(e) => {
                if self.ignore_errors {
                    return Ok(0);
                }
                ctx.note(&cat(&[
                    b"cannot stat ",
                    &path,
                    b": ",
                    strerror(&e).as_bytes(),
                ]));
                return Ok(1);
            }
        };
        // Write-only entries (vm.compact_memory...) are skipped without a word.
        if meta.mode() & 0o400 == 0 {
            return Ok(0);
        }
        if !self.under_proc_sys(ctx, &path) {
            return Ok(-1);
        }
        if meta.is_dir() {
            return self.display_all(ctx, &cat(&[&path, b"/"]));
        }
        if !self.matches(&out) {
            return Ok(0);
        }
        if self.names_only {
            ctx.stdout.write_all(&cat(&[&out, b"\n"]))?;
            return Ok(0);
        }
        let quoted = |what: &str| cat(&[what.as_bytes(), b" \"", &out, b"\""]);
        let mut file = match std::fs::File::open(os(&path)) {
            Ok(f) => f,
            Err(e) => {
                return Ok(match e.raw_os_error() {
                    Some(libc::ENOENT) if self.ignore_errors => 0,
                    Some(libc::ENOENT) => {
                        ctx.note(&cat(&[b"\"", &out, b"\" is an unknown key"]));
                        1
                    }
                    Some(libc::EACCES) => {
                        ctx.note(&cat(&[b"permission denied on key '", &out, b"'"]));
                        1
                    }
                    // stable_secret and friends: unreadable until set, not worth a word.
                    Some(libc::EIO) => 1,
                    _ => {
                        let mut m = quoted("reading key");
                        m.extend_from_slice(b": ");
                        m.extend_from_slice(strerror(&e).as_bytes());
                        ctx.note(&m);
                        1
                    }
                });
            }
        };
        let mut data = Vec::new();
        if let Err(e) = file.read_to_end(&mut data) {
            return Ok(match e.raw_os_error() {
                Some(libc::EACCES) => {
                    ctx.note(&cat(&[b"permission denied on key '", &out, b"'"]));
                    1
                }
                Some(libc::EISDIR) => return self.display_all(ctx, &cat(&[&path, b"/"])),
                Some(libc::EIO) => 1,
                _ => {
                    ctx.note(&quoted("reading key"));
                    1
                }
            });
        }
        let mut text = Vec::with_capacity(data.len() + out.len() + 4);
        for line in data.split_inclusive(|&b| b == b'\n') {
            if self.print_name {
                text.extend_from_slice(&out);
                text.extend_from_slice(b" = ");
                text.extend_from_slice(line);
                if !line.ends_with(b"\n") {
                    text.push(b'\n');
                }
            } else if self.newline {
                text.extend_from_slice(line);
            } else {
                text.extend_from_slice(line.strip_suffix(b"\n").unwrap_or(line));
            }
        }
        ctx.stdout.write_all(&text)?;
        Ok(0)
    }

    /// Shows every parameter below the directory `dir` (which ends in `/`), in the order
    /// the kernel lists them. Failures below subdirectories do not count, as in procps.
    fn display_all(&self, ctx: &mut Ctx<'_>, dir: &[u8]) -> Result<i32, Error> {
        let entries = match std::fs::read_dir(os(dir)) {
            Ok(d) => d,
            Err(_) => {
                ctx.note(&cat(&[b"unable to open directory \"", dir, b"\""]));
                return Ok(1);
            }
        };
        let mut rc = 0;
        for entry in entries {
            let Ok(entry) = entry else { break };
            let name = entry.file_name();
            let name = name.as_bytes();
            if !self.with_deprecated && DEPRECATED.contains(&name) {
                continue;
            }
            let path = cat(&[dir, name]);
            match std::fs::metadata(os(&path)) {
                Err(e) => {
                    ctx.note(&cat(&[
                        b"cannot stat ",
                        &path,
                        b": ",
                        strerror(&e).as_bytes(),
                    ]));
                }
                Ok(m) if m.is_dir() => {
                    self.display_all(ctx, &cat(&[&path, b"/"]))?;
                }
                Ok(_) => rc |= self.read_setting(ctx, &path[PROC_SYS.len()..])?,
            }
        }
        Ok(rc)
    }

    /// One `KEY = VALUE` line (or a `-KEY` exclusion) of a file or the command line;
    /// `None` for comments, blank lines and (with a warning) lines without `=`.
    fn parse_line(
        &self,
        ctx: &mut Ctx<'_>,
        source: &str,
        number: usize,
        line: &[u8],
    ) -> Option<Setting> {
        let text = lstrip(line);
        // The length counts the newline, as procps's does: `x` alone on a line is a
        // (bad) setting, `x` at the end of a file without one is nothing.
        if text.len() < 2 {
            return None;
        }
        if text[0] == b'#' || text[0] == b';' {
            return None;
        }
        if !self.matches(text) {
            return None;
        }
        let (key, value, ignore_failure, glob_exclude) = match text.iter().position(|&b| b == b'=')
        {
            None if text[0] == b'-' => (rstrip(&text[1..]), Vec::new(), false, true),
            None => {
                let msg = format!("{source}({number}): invalid syntax, continuing...");
                ctx.note(msg.as_bytes());
                return None;
            }
            Some(eq) => {
                let (mut key, mut ignore) = (&text[..eq], false);
                if key.first() == Some(&b'-') {
                    key = &key[1..];
                    ignore = true;
                }
                let value = rstrip(lstrip(&text[eq + 1..])).to_vec();
                (rstrip(key), value, ignore, false)
            }
        };
        let path = cat(&[PROC_SYS, &slashdot(ctx, key, b'.', b'/')]);
        Some(Setting {
            path,
            value,
            ignore_failure,
            glob_exclude,
        })
    }

    /// Reads the settings of FILE (`-` for standard input) into `list`.
    fn load(&self, ctx: &mut Ctx<'_>, file: &[u8], list: &mut Vec<Setting>) -> Result<i32, Error> {
        let names = if file == b"-" {
            vec![file.to_vec()]
        } else {
            let found = glob(file);
            if found.is_empty() {
                vec![file.to_vec()]
            } else {
                found
            }
        };
        for name in names {
            let data = if name == b"-" {
                let mut d = Vec::new();
                ctx.stdin
                    .read_to_end(&mut d)
                    .map_err(|e| Error::io(b"-", &e))?;
                d
            } else {
                match std::fs::read(os(&name)) {
                    Ok(d) => d,
                    Err(e) => {
                        let m = cat(&[b"cannot open \"", &name, b"\": ", strerror(&e).as_bytes()]);
                        ctx.note(&m);
                        return Ok(1);
                    }
                }
            };
            let source = String::from_utf8_lossy(&name).into_owned();
            for (i, line) in data.split_inclusive(|&b| b == b'\n').enumerate() {
                if line.len() < 2 {
                    continue;
                }
                if let Some(s) = self.parse_line(ctx, &source, i + 1, line) {
                    list.push(s);
                }
            }
        }
        Ok(0)
    }

    /// `--system`: every `*.conf` of the sysctl.d directories (the first of a name wins),
    /// in name order, then /etc/sysctl.conf.
    fn load_system(&self, ctx: &mut Ctx<'_>, list: &mut Vec<Setting>) -> Result<i32, Error> {
        let mut confs: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for dir in SYSTEM_DIRS {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().as_bytes().to_vec();
                if !name.ends_with(b".conf") || confs.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                let path = cat(&[dir.as_bytes(), b"/", &name]);
                confs.push((name, path));
            }
        }
        confs.sort();
        let mut rc = 0;
        let default = std::fs::metadata(os(DEFAULT_FILE)).is_ok_and(|m| m.is_file());
        let files = confs
            .into_iter()
            .map(|(_, p)| p)
            .chain(default.then(|| DEFAULT_FILE.to_vec()));
        for path in files {
            if !self.quiet {
                ctx.stdout
                    .write_all(&cat(&[b"* Applying ", &path, b" ...\n"]))?;
            }
            rc |= self.load(ctx, &path, list)?;
        }
        Ok(rc)
    }

    /// Writes every setting of `list`; a key with glob characters sets each parameter it
    /// matches that no other line names.
    fn write_list(&self, ctx: &mut Ctx<'_>, list: &[Setting]) -> Result<i32, Error> {
        let mut rc = 0;
        for s in list.iter().filter(|s| !s.glob_exclude) {
            if s.path.iter().any(|b| b"*?[".contains(b)) {
                for path in glob(&s.path) {
                    if list.iter().any(|o| o.path == path) {
                        continue;
                    }
                    rc |= self.write_setting(ctx, s, &path)?;
                }
            } else {
                rc |= self.write_setting(ctx, s, &s.path)?;
            }
        }
        Ok(rc)
    }

    /// Writes `setting`'s value to the parameter at `path`, then shows `KEY = VALUE`.
    fn write_setting(
        &self,
        ctx: &mut Ctx<'_>,
        setting: &Setting,
        path: &[u8],
    ) -> Result<i32, Error> {
        let meta = match std::fs::metadata(os(path)) {
            Ok(m) => m,
            Err(e) => {
                if self.ignore_errors {
                    return Ok(0);
                }
                ctx.note(&cat(&[
                    b"cannot stat ",
                    path,
                    b": ",
                    strerror(&e).as_bytes(),
                ]));
                return Ok(1);
            }
        };
        if !self.under_proc_sys(ctx, path) {
            return Ok(1);
        }
        let key = slashdot(ctx, &path[PROC_SYS.len()..], b'/', b'.');
        let setting_key = |why: &str| cat(&[b"setting key \"", &key, b"\"", why.as_bytes()]);
        // procps 4.0.2 says "Invalid argument" for read-only keys and directories (and
        // exits 0); the message is kept, the failure is not hidden.
        if meta.mode() & 0o200 == 0 || meta.is_dir() {
            ctx.note(&setting_key(": Invalid argument"));
            return Ok(1);
        }
        let ignoring = if setting.ignore_failure {
            ", ignoring"
        } else {
            ""
        };
        if !self.dry_run {
            let file = std::fs::OpenOptions::new().write(true).open(os(path));
            let mut file = match file {
                Ok(f) => f,
                Err(e) => {
                    let errno = e.raw_os_error();
                    match errno {
                        Some(libc::ENOENT) if self.ignore_errors => {}
                        Some(libc::ENOENT) => {
                            let m =
                                cat(&[b"\"", &key, b"\" is an unknown key", ignoring.as_bytes()]);
                            ctx.note(&m);
                        }
                        Some(libc::EPERM | libc::EROFS | libc::EACCES) => {
                            let m = cat(&[
                                b"permission denied on key \"",
                                &key,
                                b"\"",
                                ignoring.as_bytes(),
                            ]);
                            ctx.note(&m);
                        }
                        _ => {
                            let mut m = setting_key(ignoring);
                            m.extend_from_slice(b": ");
                            m.extend_from_slice(strerror(&e).as_bytes());
                            ctx.note(&m);
                        }
                    }
                    let failed = !(setting.ignore_failure
                        || (errno == Some(libc::ENOENT) && self.ignore_errors));
                    return Ok(i32::from(failed));
                }
            };
            // One write of the whole line: the kernel parses it as one value.
            if let Err(e) = file.write_all(&cat(&[&setting.value, b"\n"])) {
                let mut m = setting_key("");
                m.extend_from_slice(b": ");
                m.extend_from_slice(strerror(&e).as_bytes());
                ctx.note(&m);
                return Ok(1);
            }
        }
        if !self.quiet || self.dry_run {
            let line = if self.print_name {
                cat(&[&key, b" = ", &setting.value, b"\n"])
            } else if self.newline {
                cat(&[&setting.value, b"\n"])
            } else {
                setting.value.clone()
            };
            ctx.stdout.write_all(&line)?;
        }
        Ok(0)
    }
}

/// The existing paths a glob pattern (`*`, `?`, `[...]` in any component) matches,
/// sorted; a component without magic is taken as it is.
fn glob(pattern: &[u8]) -> Vec<Vec<u8>> {
    let absolute = pattern.first() == Some(&b'/');
    let mut found: Vec<Vec<u8>> = vec![if absolute { b"/".to_vec() } else { Vec::new() }];
    let opts = GlobOptions {
        pathname: true,
        period: true,
        casefold: false,
    };
    for comp in pattern.split(|&b| b == b'/').filter(|c| !c.is_empty()) {
        let pat = Pattern::parse(comp, opts);
        let mut next = Vec::new();
        for base in &found {
            let join = |name: &[u8]| {
                let mut p = base.clone();
                if !p.is_empty() && !p.ends_with(b"/") {
                    p.push(b'/');
                }
                p.extend_from_slice(name);
                p
            };
            match pat.literal() {
                Some(lit) => next.push(join(&lit)),
                None => {
                    let dir: &[u8] = if base.is_empty() { b"." } else { base };
                    let Ok(entries) = std::fs::read_dir(os(dir)) else {
                        continue;
                    };
                    let mut names: Vec<Vec<u8>> = entries
                        .flatten()
                        .map(|e| e.file_name().as_bytes().to_vec())
                        .filter(|n| pat.matches(n))
                        .collect();
                    names.sort();
                    next.extend(names.iter().map(|n| join(n)));
                }
            }
        }
        found = next;
    }
    found.retain(|p| std::fs::symlink_metadata(os(p)).is_ok());
    found
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn reads_keys_with_dots_or_slashes() {
        let ostype = std::fs::read_to_string("/proc/sys/kernel/ostype").unwrap();
        let r = run("sysctl", &["kernel.ostype", "kernel/ostype"], b"");
        assert_eq!(
            r.out(),
            format!("kernel.ostype = {ostype}kernel.ostype = {ostype}")
        );
        assert_eq!(run("sysctl", &["-n", "kernel.ostype"], b"").out(), ostype);
        assert_eq!(
            run("sysctl", &["-N", "kernel.ostype"], b"").out(),
            "kernel.ostype\n"
        );
    }

    #[test]
    fn unknown_keys() {
        let r = run("sysctl", &["foo.bar", "baz/qux"], b"");
        assert_eq!(r.status, 2);
        assert_eq!(
            r.err(),
            "sysctl: cannot stat /proc/sys/foo/bar: No such file or directory\n\
             sysctl: cannot stat /proc/sys/baz/qux: No such file or directory\n"
        );
        let r = run("sysctl", &["-e", "foo.bar"], b"");
        assert_eq!((r.status, r.err()), (0, String::new()));
        let r = run("sysctl", &[""], b"");
        assert_eq!(
            (r.status, r.err()),
            (255, "sysctl: \"\" is an unknown key\n".into())
        );
    }

    #[test]
    fn parses_setting_lines() {
        let r = run("sysctl", &["-w", "kernel.ostype"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "sysctl: command line(0): invalid syntax, continuing...\n".into()
            )
        );
        let r = run("sysctl", &["-p", "-"], b"# c\n; c\n\n x\nnoeq\n-excluded\n");
        assert_eq!(
            (r.status, r.err()),
            (
                0,
                "sysctl: -(4): invalid syntax, continuing...\n\
                 sysctl: -(5): invalid syntax, continuing...\n"
                    .into()
            )
        );
    }

    #[test]
    fn slashdot_swaps_from_the_first_separator() {
        let r = run("sysctl", &["-N", "kernel..ostype"], b"");
        assert_eq!(r.out(), "kernel..ostype\n");
        assert_eq!(
            r.err(),
            "sysctl: separators should not be repeated: ..ostype\n"
        );
    }
}
