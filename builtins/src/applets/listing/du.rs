//! `du`: disk usage of files and directory trees, summed bottom-up over the shared
//! walker (`common/walk`), in 1K blocks rounded up as GNU does; hard links count once.

use std::collections::HashSet;
use std::os::unix::ffi::OsStrExt;

use super::ls::glob_match;
use crate::common::num::human_size_base;
use crate::common::walk::{self, Action, Follow, Kind};
use crate::error::strerror;
use crate::prelude::*;

/// The `du` applet.
pub const APPLET: Applet = Applet::new("du", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-abcHhklLmPSsx0] [-d N] [--exclude=PAT] [FILE]...")
    .help(
        "Summarize disk usage of each FILE, recursively for directories.\n\n\
         -a\tShow files too, not only directories\n\
         -b\tApparent size in bytes (--apparent-size --block-size=1)\n\
         -c\tPrint a grand total\n\
         -d N\tShow directories at most N levels deep (--max-depth=N)\n\
         -H\tFollow symbolic links named on the command line\n\
         -h\tHuman-readable sizes (1K 234M 2G); --si in powers of 1000\n\
         -k\tSizes in 1024-byte blocks (the default)\n\
         -l\tCount hard-linked files every time they are met\n\
         -L\tFollow all symbolic links\n\
         -m\tSizes in 1 MiB blocks\n\
         -P\tFollow no symbolic links (the default)\n\
         -s\tOnly a total for each argument\n\
         -S\tDirectory sizes without their subdirectories\n\
         -x\tSkip directories on other file systems\n\
         -0\tEnd each line with NUL\n\
         --apparent-size\tFile sizes, not disk usage\n\
         --exclude=PAT\tSkip files whose path (or a tail of it) matches PAT\n\
         -X FILE\tSkip files matching any pattern in FILE",
    );

const LONGS: &[&str] = &[
    "all",
    "apparent-size",
    "bytes",
    "total",
    "max-depth",
    "dereference-args",
    "human-readable",
    "si",
    "count-links",
    "dereference",
    "no-dereference",
    "summarize",
    "one-file-system",
    "null",
    "kibibytes",
    "exclude",
    "exclude-from",
    "separate-dirs",
];

/// How sizes print.
#[derive(Clone, Copy)]
enum Unit {
    Blocks(u64),
    Human(u64),
}

struct Config {
    all: bool,
    apparent: bool,
    total: bool,
    max_depth: Option<usize>,
    count_links: bool,
    /// `-S`: a directory's size leaves out its subdirectories.
    separate: bool,
    one_fs: bool,
    follow: Follow,
    unit: Unit,
    eol: u8,
    /// `--exclude` patterns, matched against the path and each of its tails.
    exclude: Vec<Vec<u8>>,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut c = Config {
        all: false,
        apparent: false,
        total: false,
        max_depth: None,
        count_links: false,
        separate: false,
        one_fs: false,
        follow: Follow::Never,
        unit: Unit::Blocks(1024),
        eol: b'\n',
        exclude: Vec::new(),
    };
    let mut summarize = false;
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => c.all = true,
            Arg::Long("apparent-size") => c.apparent = true,
            Arg::Short('b') | Arg::Long("bytes") => {
                c.apparent = true;
                c.unit = Unit::Blocks(1);
            }
            Arg::Short('c') | Arg::Long("total") => c.total = true,
            Arg::Short('d') | Arg::Long("max-depth") => {
                let v = opts.value()?;
                let n = crate::opts::parse_number::<usize>(&v, "maximum depth").map_err(|_| {
                    Error::usage(format!(
                        "invalid maximum depth '{}'",
                        String::from_utf8_lossy(&v)
                    ))
                })?;
                c.max_depth = Some(n);
            }
            Arg::Short('H') | Arg::Short('D') | Arg::Long("dereference-args") => {
                c.follow = Follow::Roots
            }
            Arg::Short('L') | Arg::Long("dereference") => c.follow = Follow::Always,
            Arg::Short('P') | Arg::Long("no-dereference") => c.follow = Follow::Never,
            Arg::Short('h') | Arg::Long("human-readable") => c.unit = Unit::Human(1024),
            Arg::Long("si") => c.unit = Unit::Human(1000),
            Arg::Short('k') | Arg::Long("kibibytes") => c.unit = Unit::Blocks(1024),
            Arg::Short('m') => c.unit = Unit::Blocks(1024 * 1024),
            Arg::Short('l') | Arg::Long("count-links") => c.count_links = true,
            Arg::Short('s') | Arg::Long("summarize") => summarize = true,
            Arg::Short('S') | Arg::Long("separate-dirs") => c.separate = true,
            Arg::Short('x') | Arg::Long("one-file-system") => c.one_fs = true,
            Arg::Short('0') | Arg::Long("null") => c.eol = 0,
            Arg::Long("exclude") => c.exclude.push(opts.value()?),
            Arg::Short('X') | Arg::Long("exclude-from") => {
                let f = opts.value()?;
                let text = std::fs::read(std::ffi::OsStr::from_bytes(&f))
                    .map_err(|e| Error::io(&f, &e))?;
                c.exclude.extend(
                    text.split(|&b| b == b'\n')
                        .filter(|l| !l.is_empty())
                        .map(<[u8]>::to_vec),
                );
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if summarize {
        if c.all {
            return Err(Error::usage("cannot both summarize and show all entries"));
        }
        if let Some(n) = c.max_depth.filter(|&n| n != 0) {
            ctx.note(format!("warning: summarizing conflicts with --max-depth={n}").as_bytes());
            return Err(Error::usage(""));
        }
        c.max_depth = Some(0);
    }
    if files.is_empty() {
        files.push(b".".to_vec());
    }
    // With several operands or -L, every file is remembered, so one met twice (a
    // directory named twice, a link to a directory) counts once.
    let hash_all = files.len() > 1 || c.follow == Follow::Always;
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut grand = 0u64;
    for f in &files {
        grand += du_tree(ctx, &c, f, hash_all, &mut seen)?;
    }
    if c.total {
        let mut line = size_text(&c, grand).into_bytes();
        line.extend_from_slice(b"\ttotal");
        line.push(c.eol);
        ctx.stdout.write_all(&line)?;
    }
    Ok(())
}

/// Walks one operand, printing as it goes; returns its total in bytes.
fn du_tree(
    ctx: &mut Ctx<'_>,
    c: &Config,
    root: &[u8],
    hash_all: bool,
    seen: &mut HashSet<(u64, u64)>,
) -> Result<u64, Error> {
    let opts = walk::Options {
        follow: c.follow,
        ..walk::Options::default()
    };
    // Sums of the directories on the way down, as (everything, without subdirectories
    // for -S); the root's parent is the bottom slot.
    let mut sums: Vec<(u64, u64)> = vec![(0, 0)];
    let mut root_dev = None;
    let mut out_err: Option<std::io::Error> = None;
    walk::walk(root, &opts, &mut |e| {
        if ctx.interrupted() {
            return Action::Stop;
        }
        let path = trim_path(root, e.path);
        let path = path.as_ref();
        match e.kind {
            Kind::NoStat => {
                let err = e.err.map_or_else(|| "unknown error".to_string(), strerror);
                let _ = ctx.stdout.flush();
                ctx.warn_msg(format!("cannot access {}: {err}", quote(path)).as_bytes());
                return Action::Continue;
            }
            Kind::Unreadable => {
                let err = e.err.map_or_else(|| "unknown error".to_string(), strerror);
                let _ = ctx.stdout.flush();
                ctx.warn_msg(format!("cannot read directory {}: {err}", quote(path)).as_bytes());
                return Action::Continue;
            }
            Kind::Cycle => return Action::Continue,
            _ => {}
        }
        let Some(st) = e.stat else {
            return Action::Continue;
        };
        let should_follow = match c.follow {
            Follow::Always => true,
            Follow::Roots => e.depth == 0,
            Follow::Never => false,
        };
        if should_follow && e.is_symlink() {
            // A dangling link where links are followed: GNU names it, without a reason.
            let _ = ctx.stdout.flush();
            ctx.warn_msg(format!("cannot access {}", quote(path)).as_bytes());
            return Action::Continue;
        }
        let dev = *root_dev.get_or_insert(st.st_dev);
        let is_dir = e.kind == Kind::Dir || e.kind == Kind::DirPost;
        if e.kind == Kind::Dir || e.kind == Kind::File {
            if excluded(c, path) {
                return Action::Skip;
            }
            if c.one_fs && e.depth > 0 && st.st_dev != dev {
                return Action::Skip;
            }
            if !c.count_links
                && (hash_all || (!is_dir && st.st_nlink > 1))
                && !seen.insert((st.st_dev, st.st_ino))
            {
                return Action::Skip;
            }
        }
        let own = if c.apparent {
            st.st_size.max(0) as u64
        } else {
            (st.st_blocks.max(0) as u64).saturating_mul(512)
        };
        let show = c.max_depth.is_none_or(|m| e.depth <= m);
        let (all, separate) = match e.kind {
            Kind::Dir => {
                sums.push((0, 0));
                return Action::Continue;
            }
            Kind::DirPost => {
                let (a, s) = sums.pop().unwrap_or((0, 0));
                (own.saturating_add(a), own.saturating_add(s))
            }
            _ => (own, own),
        };
        if let Some(parent) = sums.last_mut() {
            parent.0 = parent.0.saturating_add(all);
            if e.kind != Kind::DirPost {
                parent.1 = parent.1.saturating_add(all);
            }
        }
        let size = if c.separate && e.kind == Kind::DirPost {
            separate
        } else {
            all
        };
        if show && (e.kind == Kind::DirPost || c.all || e.depth == 0) && out_err.is_none() {
            let mut line = size_text(c, size).into_bytes();
            line.push(b'\t');
            line.extend_from_slice(path);
            line.push(c.eol);
            if let Err(err) = ctx.stdout.write_all(&line) {
                out_err = Some(err);
                return Action::Stop;
            }
        }
        Action::Continue
    });
    if let Some(err) = out_err {
        return Err(err.into());
    }
    if ctx.interrupted() {
        return Err(Error::silent(130));
    }
    Ok(sums.first().map_or(0, |s| s.0))
}

/// Whether `path` or any part of it after a `/` matches an `--exclude` pattern.
fn excluded(c: &Config, path: &[u8]) -> bool {
    c.exclude.iter().any(|p| {
        glob_match(p, path, false)
            || path.iter().enumerate().any(|(i, &b)| {
                b == b'/'
                    && path.get(i + 1).is_some_and(|&n| n != b'/')
                    && glob_match(p, path.get(i + 1..).unwrap_or_default(), false)
            })
    })
}

/// A path as GNU's fts prints it: a root `d//` reads `d/`, its entries `d/x`.
fn trim_path<'a>(root: &[u8], p: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
    if !root.ends_with(b"//") {
        return p.into();
    }
    let keep = root.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    let mut v = root.get(..keep).unwrap_or_default().to_vec();
    v.push(b'/');
    v.extend_from_slice(p.get(root.len()..).unwrap_or_default());
    v.into()
}

fn quote(name: &[u8]) -> String {
    String::from_utf8_lossy(&super::ls::quote_name(
        name,
        super::ls::Quoting::ShellEscapeAlways,
    ))
    .into_owned()
}

/// `bytes` in the output unit, rounded up.
fn size_text(c: &Config, bytes: u64) -> String {
    match c.unit {
        Unit::Blocks(b) => bytes.div_ceil(b.max(1)).to_string(),
        Unit::Human(base) => {
            let mut s = human_size_base(bytes, base);
            if base == 1000 && s.ends_with('K') {
                s.pop();
                s.push('k');
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    use crate::testing::{run, temp_dir};

    fn kb(p: &Path) -> u64 {
        std::fs::symlink_metadata(p).unwrap().blocks() * 512
    }

    /// `d/` with `f` (5000 bytes), `sub/` holding `g` (1 byte).
    fn tree(tag: &str) -> (std::path::PathBuf, String) {
        let dir = temp_dir(tag);
        let d = dir.join("d");
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("f"), vec![b'x'; 5000]).unwrap();
        std::fs::write(d.join("sub/g"), "y").unwrap();
        let s = d.to_str().unwrap().to_string();
        (dir, s)
    }

    #[test]
    fn sums_directories_bottom_up() {
        let (dir, d) = tree("du-sum");
        let dp = Path::new(&d);
        let sub = kb(&dp.join("sub")) + kb(&dp.join("sub/g"));
        let all = kb(dp) + kb(&dp.join("f")) + sub;
        let r = run("du", &[&d], b"");
        assert_eq!(r.status, 0);
        assert_eq!(
            r.out(),
            format!(
                "{}\t{d}/sub\n{}\t{d}\n",
                sub.div_ceil(1024),
                all.div_ceil(1024)
            )
        );
        let r = run("du", &["-s", &d], b"");
        assert_eq!(r.out(), format!("{}\t{d}\n", all.div_ceil(1024)));
        let r = run("du", &["-sb", &d], b"");
        let apparent: u64 = ["", "f", "sub", "sub/g"]
            .iter()
            .map(|n| std::fs::symlink_metadata(dp.join(n)).unwrap().len())
            .sum();
        assert_eq!(r.out(), format!("{apparent}\t{d}\n"));
        let r = run("du", &["-d", "0", "-c", &d], b"");
        let n = all.div_ceil(1024);
        assert_eq!(r.out(), format!("{n}\t{d}\n{n}\ttotal\n"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn all_shows_files() {
        let (dir, d) = tree("du-all");
        let out = run("du", &["-a", &d], b"").out();
        let mut lines: Vec<&str> = out.lines().map(|l| l.split('\t').nth(1).unwrap()).collect();
        assert_eq!(lines.last().copied(), Some(d.as_str()));
        lines.sort();
        let want = [
            d.clone(),
            format!("{d}/f"),
            format!("{d}/sub"),
            format!("{d}/sub/g"),
        ];
        assert_eq!(lines, want);
        // -a on a file operand prints it alone.
        let f = format!("{d}/f");
        assert_eq!(run("du", &["-b", &f], b"").out(), format!("5000\t{f}\n"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn hard_links_count_once_unless_l() {
        let (dir, d) = tree("du-links");
        let dp = Path::new(&d);
        std::fs::hard_link(dp.join("f"), dp.join("sub/f2")).unwrap();
        let once: u64 = ["", "f", "sub", "sub/g"]
            .iter()
            .map(|n| kb(&dp.join(n)))
            .sum();
        let r = run("du", &["-s", &d], b"");
        assert_eq!(r.out(), format!("{}\t{d}\n", once.div_ceil(1024)));
        let twice = once + kb(&dp.join("f"));
        let r = run("du", &["-sl", &d], b"");
        assert_eq!(r.out(), format!("{}\t{d}\n", twice.div_ceil(1024)));
        // The same directory twice on the command line counts once.
        let r = run("du", &["-s", &d, &d], b"");
        assert_eq!(r.out(), format!("{}\t{d}\n", once.div_ceil(1024)));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn human_and_units() {
        let (dir, d) = tree("du-human");
        let f = format!("{d}/f");
        assert_eq!(
            run("du", &["-b", "-h", &f], b"").out(),
            format!("4.9K\t{f}\n")
        );
        assert_eq!(
            run("du", &["-b", "--si", &f], b"").out(),
            format!("5.0k\t{f}\n")
        );
        assert_eq!(
            run("du", &["-m", "--apparent-size", &f], b"").out(),
            format!("1\t{f}\n")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn symlinks_followed_only_when_asked() {
        let (dir, d) = tree("du-sym");
        let l = dir.join("l");
        std::os::unix::fs::symlink(&d, &l).unwrap();
        let l = l.to_str().unwrap();
        let r = run("du", &["-s", l], b"");
        assert_eq!(r.out(), format!("0\t{l}\n"));
        let deep = run("du", &["-s", &d], b"").out();
        let n = deep.split('\t').next().unwrap();
        assert_eq!(run("du", &["-sH", l], b"").out(), format!("{n}\t{l}\n"));
        assert_eq!(run("du", &["-sL", l], b"").out(), format!("{n}\t{l}\n"));
        std::os::unix::fs::symlink("nowhere", dir.join("dead")).unwrap();
        let dead = dir.join("dead");
        let dead = dead.to_str().unwrap();
        assert_eq!(run("du", &[dead], b"").out(), format!("0\t{dead}\n"));
        let r = run("du", &["-L", dead], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, format!("du: cannot access '{dead}'\n"))
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn separate_dirs_leave_out_subdirectories() {
        let (dir, d) = tree("du-sep");
        let dp = Path::new(&d);
        let top = kb(dp) + kb(&dp.join("f"));
        let all = top + kb(&dp.join("sub")) + kb(&dp.join("sub/g"));
        let out = run("du", &["-Sc", &d], b"").out();
        let last: Vec<&str> = out.lines().rev().take(2).collect();
        assert_eq!(
            last,
            [
                format!("{}\ttotal", all.div_ceil(1024)),
                format!("{}\t{d}", top.div_ceil(1024))
            ]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn exclude_skips_matching_paths() {
        let (dir, d) = tree("du-excl");
        let out = run("du", &["-a", "--exclude=sub", &d], b"").out();
        assert!(!out.contains("sub"), "{out}");
        assert!(out.contains(&format!("\t{d}/f\n")));
        let out = run("du", &["-a", "--exclude=*/g", &d], b"").out();
        assert!(
            out.contains(&format!("\t{d}/sub\n")) && !out.contains("sub/g"),
            "{out}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn errors_and_usage() {
        let dir = temp_dir("du-err");
        let missing = dir.join("nope");
        let m = missing.to_str().unwrap();
        let r = run("du", &[m], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            format!("du: cannot access '{m}': No such file or directory\n")
        );
        let r = run("du", &["-sa", "."], b"");
        assert_eq!(r.status, 1);
        assert!(
            r.err()
                .starts_with("du: cannot both summarize and show all entries\n")
        );
        let r = run("du", &["-d", "x"], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with("du: invalid maximum depth 'x'\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
