//! `patch`: apply a unified diff to the files it names.
//!
//! `parse` reads the patch; this file picks each target, places each hunk (at its line,
//! else the nearest offset, then with up to two lines of context ignored: fuzz), writes
//! the result atomically (a temporary file in the same directory, renamed over the
//! original, keeping its mode), and keeps failed hunks in `FILE.rej`.

pub mod parse;

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

use parse::{FilePatch, Hunk};

use crate::common::lines::read_all;
use crate::prelude::*;

/// The `patch` applet.
pub const APPLET: Applet = Applet::new("patch", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .error_status(2)
    .usage("[-bEfNRst] [-p N] [-i PATCH] [-o OUT] [-d DIR] [-r REJ] [--dry-run] [FILE [PATCH]]")
    .help(
        "Apply a unified diff (standard input, or PATCH) to the files it names, or to FILE.\n\
         Exit 0 if every hunk applied, 1 if some failed, 2 on trouble.\n\n\
         -p N\t\tStrip N leading directories from the names (default: keep the base name)\n\
         -i PATCH\tRead the patch from PATCH\n\
         -R\t\tUndo the patch\n\
         -N\t\tSkip patches that seem applied already\n\
         -f\t\tDo not look for reversed patches\n\
         -t\t\tApply patches that seem reversed as reversed\n\
         --dry-run\tSay what would happen, change nothing\n\
         -o OUT\t\tWrite the result to OUT\n\
         -d DIR\t\tWork in DIR\n\
         -b\t\tKeep the original as FILE.orig\n\
         -r REJ\t\tWrite rejected hunks to REJ\n\
         -F N\t\tAllow at most N lines of ignored context (default 2)\n\
         -E\t\tRemove files left empty\n\
         -s\t\tSay only what failed",
    );

const LONGS: &[&str] = &[
    "backup",
    "batch",
    "directory",
    "dry-run",
    "force",
    "forward",
    "fuzz",
    "input",
    "output",
    "quiet",
    "reject-file",
    "remove-empty-files",
    "reverse",
    "silent",
    "strip",
];

/// The options.
#[derive(Default)]
struct Cfg {
    strip: Option<usize>,
    reverse: bool,
    forward: bool,
    force: bool,
    batch: bool,
    dry_run: bool,
    output: Option<Vec<u8>>,
    dir: Option<Vec<u8>>,
    backup: bool,
    reject: Option<Vec<u8>>,
    fuzz: usize,
    remove_empty: bool,
    silent: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut cfg = Cfg {
        fuzz: 2,
        ..Cfg::default()
    };
    let mut input = None;
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('p') | Arg::Long("strip") => {
                cfg.strip = Some(number(&opts.value()?, "strip count")?)
            }
            Arg::Short('F') | Arg::Long("fuzz") => {
                cfg.fuzz = number(&opts.value()?, "fuzz factor")?
            }
            Arg::Short('i') | Arg::Long("input") => input = Some(opts.value()?),
            Arg::Short('R') | Arg::Long("reverse") => cfg.reverse = true,
            Arg::Short('N') | Arg::Long("forward") => cfg.forward = true,
            Arg::Short('f') | Arg::Long("force") => cfg.force = true,
            Arg::Short('t') | Arg::Long("batch") => cfg.batch = true,
            Arg::Long("dry-run") => cfg.dry_run = true,
            Arg::Short('o') | Arg::Long("output") => cfg.output = Some(opts.value()?),
            Arg::Short('d') | Arg::Long("directory") => cfg.dir = Some(opts.value()?),
            Arg::Short('b') | Arg::Long("backup") => cfg.backup = true,
            Arg::Short('r') | Arg::Long("reject-file") => cfg.reject = Some(opts.value()?),
            Arg::Short('E') | Arg::Long("remove-empty-files") => cfg.remove_empty = true,
            Arg::Short('s') | Arg::Long("silent") | Arg::Long("quiet") => cfg.silent = true,
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if operands.len() > 2 {
        return Err(Error::usage(format!(
            "extra operand '{}'",
            String::from_utf8_lossy(&operands[2])
        )));
    }
    if operands.len() == 2 {
        input = operands.pop();
    }
    let target = operands.pop();
    let mut data = Vec::new();
    match &input {
        Some(p) if p != b"-" => {
            // `-d` applies before anything else, the patch file's name too.
            let r = crate::common::lines::open(&in_dir(&cfg, p))
                .and_then(|mut f| read_all(&mut f, &mut data));
            if let Err(e) = r {
                let mut m = b"**** Can't open patch file ".to_vec();
                m.extend_from_slice(p);
                m.extend_from_slice(b" : ");
                m.extend_from_slice(crate::error::strerror(&e).as_bytes());
                return Err(Error::msg(m));
            }
        }
        _ => read_all(&mut ctx.stdin, &mut data).map_err(|e| Error::io(b"standard input", &e))?,
    }
    let files = parse::parse(&data).map_err(|parse::ParseError::Malformed(n)| {
        Error::msg(format!("**** malformed patch at line {n}"))
    })?;
    if files.is_empty() {
        if data.iter().any(|c| !c.is_ascii_whitespace()) {
            return Err(Error::msg(
                "**** Only garbage was found in the patch input.",
            ));
        }
        return Ok(());
    }
    let mut status = 0u8;
    for fp in &files {
        let s = apply_file(ctx, &cfg, fp, target.as_deref())?;
        status = status.max(s);
    }
    ctx.status = ctx.status.max(status);
    Ok(())
}

fn number(v: &[u8], what: &str) -> Result<usize, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            Error::msg(format!(
                "**** {what} {} is not a number",
                String::from_utf8_lossy(v)
            ))
        })
}

/// `name` less `strip` leading components (`None`: its base name).
fn strip_name(name: &[u8], strip: Option<usize>) -> Option<Vec<u8>> {
    match strip {
        None => Some(crate::common::path::basename(name).to_vec()),
        Some(0) => Some(name.to_vec()),
        Some(n) => {
            let mut rest = name;
            for _ in 0..n {
                let slash = memchr::memchr(b'/', rest)?;
                rest = &rest[slash + 1..];
                while let Some(r) = rest.strip_prefix(b"/") {
                    rest = r;
                }
            }
            (!rest.is_empty()).then(|| rest.to_vec())
        }
    }
}

/// GNU's choice between two names for a file that does not exist yet: the one with
/// fewer components, then the shorter base name, then the shorter name; the old one on
/// a tie.
fn best_name(old: Option<&[u8]>, new: Option<&[u8]>) -> Option<Vec<u8>> {
    let rank = |n: &[u8]| {
        (
            n.iter().filter(|&&c| c == b'/').count(),
            crate::common::path::basename(n).len(),
            n.len(),
        )
    };
    match (old, new) {
        (Some(o), Some(n)) => Some(if rank(n) < rank(o) { n } else { o }.to_vec()),
        (o, n) => o.or(n).map(<[u8]>::to_vec),
    }
}

/// `name` inside `-d DIR`.
fn in_dir(cfg: &Cfg, name: &[u8]) -> Vec<u8> {
    match &cfg.dir {
        Some(d) if !name.starts_with(b"/") => {
            let mut p = d.clone();
            if !p.ends_with(b"/") {
                p.push(b'/');
            }
            p.extend_from_slice(name);
            p
        }
        _ => name.to_vec(),
    }
}

fn exists(cfg: &Cfg, name: &[u8]) -> bool {
    fs::symlink_metadata(OsStr::from_bytes(&in_dir(cfg, name))).is_ok()
}

fn say(ctx: &mut Ctx<'_>, text: &[u8]) -> Result<(), Error> {
    ctx.stdout
        .write_all(text)
        .map_err(|e| Error::io(b"write error", &e))
}

/// The lines of `data`, each with its newline (the last may lack it).
fn split_lines(data: &[u8]) -> Vec<Vec<u8>> {
    data.split_inclusive(|&c| c == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn body(l: &[u8]) -> &[u8] {
    l.strip_suffix(b"\n").unwrap_or(l)
}

/// Where a hunk goes: its first old line in the original file and the fuzz used.
struct Placed {
    at: usize,
    fuzz: usize,
}

/// Finds where `h` applies in `lines`, at or after `floor`, nearest to `guess` first
/// (forward before backward). At fuzz level `f` the hunk may ignore `f` lines of
/// context at each end, counted from the side with more context: a hunk with less
/// leading (trailing) context than trailing (leading) belongs at the start (end) of the
/// file until the fuzz makes up the difference.
fn locate(
    lines: &[Vec<u8>],
    h: &Hunk,
    guess: usize,
    floor: usize,
    fuzzes: std::ops::RangeInclusive<usize>,
) -> Option<Placed> {
    let old: Vec<&[u8]> = h.old().collect();
    let prefix = h.lines.iter().take_while(|(k, _)| *k == b' ').count();
    let suffix = h.lines.iter().rev().take_while(|(k, _)| *k == b' ').count();
    let context = prefix.max(suffix);
    let n = lines.len();
    for fuzz in fuzzes {
        let pre_fuzz = (fuzz + prefix) as isize - context as isize;
        let suf_fuzz = (fuzz + suffix) as isize - context as isize;
        let (pre, suf) = (pre_fuzz.max(0) as usize, suf_fuzz.max(0) as usize);
        if pre + suf > old.len() {
            break;
        }
        let want = &old[pre..old.len() - suf];
        let fits = |at: usize| -> bool {
            let start = at + pre;
            if at < floor || start + want.len() > n {
                return false;
            }
            if pre_fuzz < 0 && at != 0 {
                return false;
            }
            if suf_fuzz < 0 && at + old.len() != n {
                return false;
            }
            want.iter()
                .zip(&lines[start..])
                .all(|(w, l)| body(w) == body(l))
        };
        let mut off = 0usize;
        loop {
            let up = guess.checked_add(off);
            let down = guess.checked_sub(off);
            if up.is_some_and(&fits) {
                return Some(Placed { at: up?, fuzz });
            }
            if off > 0 && down.is_some_and(&fits) {
                return Some(Placed { at: down?, fuzz });
            }
            if guess + off > n && down.is_none_or(|d| d < floor) {
                break;
            }
            off += 1;
        }
        if context == 0 {
            break;
        }
    }
    None
}

/// The expected 0-based position of a hunk's first old line.
fn expected(h: &Hunk) -> usize {
    if h.old_len() == 0 {
        h.old_start
    } else {
        h.old_start.saturating_sub(1)
    }
}

/// How the hunks of one file came out.
struct Outcome {
    /// The first hunk fits only the other way round (nothing was applied).
    reversed: bool,
    result: Vec<u8>,
    /// The failed hunks and how far their line numbers moved (for the reject file).
    failed: Vec<(usize, isize)>,
    mismatch: bool,
    messages: Vec<u8>,
}

/// Appends `data`, first ending a last line that lacks its newline (a line without
/// one can only be the last).
fn push(result: &mut Vec<u8>, data: &[u8]) {
    if !data.is_empty() && result.last().is_some_and(|&c| c != b'\n') {
        result.push(b'\n');
    }
    result.extend_from_slice(data);
}

/// Applies `hunks` to `lines` as far as they go. With `detect`, the first hunk is also
/// tried reversed (without fuzz) once it fails forward without fuzz.
fn apply_hunks(lines: &[Vec<u8>], hunks: &[Hunk], max_fuzz: usize, detect: bool) -> Outcome {
    let mut out = Outcome {
        reversed: false,
        result: Vec::new(),
        failed: Vec::new(),
        mismatch: false,
        messages: Vec::new(),
    };
    let (mut pos, mut last_offset, mut net) = (0usize, 0isize, 0isize);
    for (k, h) in hunks.iter().enumerate() {
        let exp = expected(h);
        let guess = (exp as isize + last_offset).max(0) as usize;
        let placed = if h.old_len() == 0 && guess > lines.len() && pos <= lines.len() {
            Some(Placed {
                at: lines.len(),
                fuzz: 0,
            })
        } else if k == 0 && detect {
            let back = h.reversed();
            let mut found = None;
            for f in 0..=max_fuzz {
                found = locate(lines, h, guess, pos, f..=f);
                if found.is_some() {
                    break;
                }
                if f == 0 && locate(lines, &back, expected(&back), 0, f..=f).is_some() {
                    out.reversed = true;
                    return out;
                }
            }
            found
        } else {
            locate(lines, h, guess, pos, 0..=max_fuzz)
        };
        match placed {
            None => {
                out.failed.push((k, last_offset + net));
                out.mismatch = true;
                let at = guess as isize + net + 1;
                out.messages
                    .extend_from_slice(format!("Hunk #{} FAILED at {at}.\n", k + 1).as_bytes());
            }
            Some(p) => {
                for l in &lines[pos..p.at] {
                    push(&mut out.result, l);
                }
                let mut src = p.at;
                for (kind, text) in &h.lines {
                    match kind {
                        b' ' => {
                            push(&mut out.result, &lines[src]);
                            src += 1;
                        }
                        b'-' => src += 1,
                        _ => push(&mut out.result, text),
                    }
                }
                pos = src;
                let offset = if h.old_len() == 0 && exp > lines.len() {
                    0
                } else {
                    p.at as isize - exp as isize
                };
                last_offset = offset;
                let added = h.lines.iter().filter(|(k, _)| *k == b'+').count() as isize;
                let removed = h.lines.iter().filter(|(k, _)| *k == b'-').count() as isize;
                if offset != 0 || p.fuzz != 0 {
                    out.mismatch = true;
                    let mut m = format!("Hunk #{} succeeded at {}", k + 1, p.at as isize + net + 1);
                    if p.fuzz != 0 {
                        m.push_str(&format!(" with fuzz {}", p.fuzz));
                    }
                    if offset != 0 {
                        let s = if offset == 1 { "" } else { "s" };
                        m.push_str(&format!(" (offset {offset} line{s})"));
                    }
                    m.push_str(".\n");
                    out.messages.extend_from_slice(m.as_bytes());
                }
                net += added - removed;
            }
        }
    }
    for l in &lines[pos.min(lines.len())..] {
        push(&mut out.result, l);
    }
    out
}

/// Writes `data` to `path` through a temporary file in the same directory, renamed
/// over it; the mode is `mode` (the original's) when given.
fn write_atomic(path: &[u8], data: &[u8], mode: Option<u32>) -> io::Result<()> {
    let p = std::path::Path::new(OsStr::from_bytes(path));
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let base = p
        .file_name()
        .map(|b| b.as_bytes().to_vec())
        .unwrap_or_default();
    let mut n = 0u32;
    let (tmp, mut f) = loop {
        let mut name = b".".to_vec();
        name.extend_from_slice(&base);
        name.extend_from_slice(format!(".patch{}-{n}", std::process::id()).as_bytes());
        let t = dir.join(OsStr::from_bytes(&name));
        match fs::OpenOptions::new().write(true).create_new(true).open(&t) {
            Ok(f) => break (t, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let r = (|| {
        f.write_all(data)?;
        if let Some(m) = mode {
            f.set_permissions(fs::Permissions::from_mode(m))?;
        }
        f.sync_all()?;
        fs::rename(&tmp, p)
    })();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

/// The `N out of M hunks` phrase.
fn count(n: usize, m: usize) -> String {
    format!("{n} out of {m} hunk{}", if m == 1 { "" } else { "s" })
}

/// Applies one file's patch; the status is 0 or 1 (failed hunks); trouble is an error.
fn apply_file(
    ctx: &mut Ctx<'_>,
    cfg: &Cfg,
    fp: &FilePatch,
    target: Option<&[u8]>,
) -> Result<u8, Error> {
    let (mut old_name, mut new_name) = (fp.old_name.clone(), fp.new_name.clone());
    let (mut old_epoch, mut new_epoch) = (fp.old_epoch, fp.new_epoch);
    let mut hunks: Vec<Hunk> = fp.hunks.clone();
    if cfg.reverse {
        std::mem::swap(&mut old_name, &mut new_name);
        std::mem::swap(&mut old_epoch, &mut new_epoch);
        hunks = hunks.iter().map(Hunk::reversed).collect();
    }
    let empty_old = hunks.iter().all(|h| h.old_len() == 0);
    let creating = old_name == b"/dev/null" || (old_epoch && empty_old);
    let deleting = new_name == b"/dev/null" || new_epoch;
    let strip = |n: &[u8]| -> Option<Vec<u8>> {
        if n == b"/dev/null" {
            None
        } else {
            strip_name(n, cfg.strip)
        }
    };
    let (so, sn) = (strip(&old_name), strip(&new_name));
    let name = match target {
        Some(t) => Some(t.to_vec()),
        None if creating => best_name(so.as_deref(), sn.as_deref()),
        None => [&so, &sn]
            .into_iter()
            .flatten()
            .find(|n| exists(cfg, n))
            .cloned(),
    };
    let Some(name) = name else {
        let mut m =
            format!("can't find file to patch at input line {}\n", fp.line + 2).into_bytes();
        m.extend_from_slice(b"Perhaps you ");
        m.extend_from_slice(if cfg.strip.is_some() {
            b"used the wrong -p or --strip option?\n".as_slice()
        } else {
            b"should have used the -p or --strip option?\n".as_slice()
        });
        m.extend_from_slice(b"The text leading up to this was:\n--------------------------\n");
        for l in [&fp.leading, &fp.header]
            .into_iter()
            .flat_map(|t| t.split_inclusive(|&c| c == b'\n'))
        {
            m.push(b'|');
            m.extend_from_slice(l);
        }
        m.extend_from_slice(b"--------------------------\nFile to patch: \nSkip this patch? [y] \nSkipping patch.\n");
        m.extend_from_slice(format!("{} ignored\n", count(hunks.len(), hunks.len())).as_bytes());
        say(ctx, &m)?;
        return Ok(1);
    };
    let path = in_dir(cfg, &name);
    let (data, mode) = match fs::read(OsStr::from_bytes(&path)) {
        Ok(d) => {
            let mode = fs::metadata(OsStr::from_bytes(&path))
                .ok()
                .map(|m| m.permissions().mode());
            (d, mode)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound && creating => (Vec::new(), None),
        Err(e) => {
            let mut m = b"**** Can't open file ".to_vec();
            m.extend_from_slice(&name);
            m.extend_from_slice(b" : ");
            m.extend_from_slice(crate::error::strerror(&e).as_bytes());
            return Err(Error::msg(m));
        }
    };
    let lines = split_lines(&data);
    let mut head = Vec::new();
    if !cfg.silent {
        head.extend_from_slice(if cfg.dry_run {
            b"checking file "
        } else {
            b"patching file "
        });
        match &cfg.output {
            Some(o) => {
                head.extend_from_slice(o);
                head.extend_from_slice(b" (read from ");
                head.extend_from_slice(&name);
                head.extend_from_slice(b")\n");
            }
            None => {
                head.extend_from_slice(&name);
                head.push(b'\n');
            }
        }
    }
    say(ctx, &head)?;
    let mut outcome = apply_hunks(&lines, &hunks, cfg.fuzz, !cfg.force);
    // The first hunk fits only backward: a reversed or already applied patch.
    if outcome.reversed {
        let mut m = b"Reversed (or previously applied) patch detected!".to_vec();
        if cfg.forward {
            m.extend_from_slice(b"  Skipping patch.\n");
        } else if cfg.batch {
            m.extend_from_slice(b"  Assuming -R.\n");
        } else {
            m.extend_from_slice(b"  Assume -R? [n] \nApply anyway? [n] \nSkipping patch.\n");
        }
        say(ctx, &m)?;
        if cfg.batch && !cfg.forward {
            hunks = hunks.iter().map(Hunk::reversed).collect();
            outcome = apply_hunks(&lines, &hunks, cfg.fuzz, false);
            outcome.mismatch = true;
        } else {
            let n = hunks.len();
            let mut m = format!("{} ignored", count(n, n)).into_bytes();
            let all: Vec<(usize, isize)> = (0..n).map(|k| (k, 0)).collect();
            reject(ctx, cfg, fp, &all, &name, &mut m)?;
            return Ok(1);
        }
    }
    if !outcome.messages.is_empty() {
        say(ctx, &outcome.messages)?;
    }
    if !cfg.dry_run {
        let dest = cfg.output.as_ref().map_or(path.clone(), |o| in_dir(cfg, o));
        let remove =
            outcome.result.is_empty() && cfg.output.is_none() && (deleting || cfg.remove_empty);
        if (cfg.backup || (outcome.mismatch && cfg.output.is_none())) && !creating {
            let mut b = path.clone();
            b.extend_from_slice(b".orig");
            if let Err(e) = fs::write(OsStr::from_bytes(&b), &data) {
                return Err(Error::io(&b, &e));
            }
        }
        let r = if remove {
            fs::remove_file(OsStr::from_bytes(&path))
        } else {
            write_atomic(&dest, &outcome.result, mode)
        };
        if let Err(e) = r {
            return Err(Error::io(&dest, &e));
        }
    }
    if outcome.failed.is_empty() {
        return Ok(0);
    }
    let mut m = format!("{} FAILED", count(outcome.failed.len(), hunks.len())).into_bytes();
    reject(ctx, cfg, fp, &outcome.failed, &name, &mut m)?;
    Ok(1)
}

/// Saves the hunks `which` of `fp` in the reject file and says so after `msg`.
fn reject(
    ctx: &mut Ctx<'_>,
    cfg: &Cfg,
    fp: &FilePatch,
    which: &[(usize, isize)],
    name: &[u8],
    msg: &mut Vec<u8>,
) -> Result<(), Error> {
    let rej = cfg.reject.clone().unwrap_or_else(|| {
        let mut r = name.to_vec();
        r.extend_from_slice(b".rej");
        r
    });
    msg.extend_from_slice(b" -- saving rejects to file ");
    msg.extend_from_slice(&rej);
    msg.push(b'\n');
    say(ctx, msg)?;
    if cfg.dry_run {
        return Ok(());
    }
    let mut text = fp.header.clone();
    for &(k, delta) in which {
        let h = &fp.hunks[k];
        let shift = |n: usize| (n as isize + delta).max(0) as usize;
        let count = |kind: u8| {
            h.lines
                .iter()
                .filter(|(k, _)| *k == b' ' || *k == kind)
                .count()
        };
        let range = |start: usize, n: usize| match n {
            1 => format!("{start}"),
            _ => format!("{start},{n}"),
        };
        text.extend_from_slice(
            format!(
                "@@ -{} +{} @@\n",
                range(shift(h.old_start), count(b'-')),
                range(shift(h.new_start), count(b'+'))
            )
            .as_bytes(),
        );
        for (kind, t) in &h.lines {
            text.push(*kind);
            text.extend_from_slice(t);
        }
    }
    let path = in_dir(cfg, &rej);
    fs::write(OsStr::from_bytes(&path), &text).map_err(|e| Error::io(&rej, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Vec<u8>> {
        split_lines(s.as_bytes())
    }

    fn hunk(old_start: usize, body: &str) -> Hunk {
        Hunk {
            old_start,
            new_start: old_start,
            lines: body
                .split_inclusive('\n')
                .map(|l| (l.as_bytes()[0], l.as_bytes()[1..].to_vec()))
                .collect(),
            raw: Vec::new(),
        }
    }

    #[test]
    fn places_hunks_with_offset_and_fuzz() {
        let file = lines("0\n1\n2\n3\n4\n5\n6\n");
        let h = hunk(1, " 2\n-3\n+three\n 4\n");
        let o = apply_hunks(&file, &[h], 2, false);
        assert_eq!(o.result, b"0\n1\n2\nthree\n4\n5\n6\n");
        assert_eq!(o.messages, b"Hunk #1 succeeded at 3 (offset 2 lines).\n");
        let h = hunk(3, " x\n-3\n+three\n 4\n");
        let o = apply_hunks(&file, &[h], 2, false);
        assert_eq!(o.messages, b"Hunk #1 succeeded at 3 with fuzz 1.\n");
        let h = hunk(3, " x\n y\n q\n-3\n+three\n z\n w\n r\n");
        let o = apply_hunks(&file, std::slice::from_ref(&h), 2, false);
        assert_eq!(o.failed, vec![(0, 0)]);
        assert_eq!(o.messages, b"Hunk #1 FAILED at 3.\n");
    }

    #[test]
    fn strips_names() {
        assert_eq!(strip_name(b"a/b/c", Some(1)).unwrap(), b"b/c");
        assert_eq!(strip_name(b"a/b/c", None).unwrap(), b"c");
        assert_eq!(strip_name(b"a/b/c", Some(0)).unwrap(), b"a/b/c");
        assert!(strip_name(b"c", Some(1)).is_none());
    }
}
