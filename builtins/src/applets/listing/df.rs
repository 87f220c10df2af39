//! `df`: free space of mounted file systems, from /proc/self/mounts and statvfs, in
//! GNU's columns (widths fitted to the values), `-P` POSIX format, `-i` inodes.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::common::num::human_size_base;
use crate::prelude::*;

/// The `df` applet.
pub const APPLET: Applet = Applet::new("df", main, Run::Fork)
    .usage("[-ahikmPT] [-t TYPE] [-x TYPE] [FILE]...")
    .help(
        "Show free space on the file systems holding each FILE, or on all of them.\n\n\
         -a\tInclude pseudo, duplicate and empty file systems\n\
         -h\tHuman-readable sizes (1K 234M 2G); --si in powers of 1000\n\
         -i\tInodes instead of blocks\n\
         -k\tSizes in 1024-byte blocks (the default)\n\
         -m\tSizes in 1 MiB blocks\n\
         -P\tPOSIX output format\n\
         -T\tShow file system types\n\
         -t TYPE\tOnly file systems of TYPE\n\
         -x TYPE\tExclude file systems of TYPE\n\
         --total\tAdd a grand total",
    );

const LONGS: &[&str] = &[
    "all",
    "human-readable",
    "si",
    "inodes",
    "kibibytes",
    "portability",
    "print-type",
    "type",
    "exclude-type",
    "total",
    "local",
    "sync",
    "no-sync",
];

/// One line of /proc/self/mounts.
#[derive(Clone)]
struct Mount {
    source: Vec<u8>,
    dir: Vec<u8>,
    fstype: Vec<u8>,
}

struct Config {
    all: bool,
    /// 0: plain numbers in `block` units; else the base of `-h`/`--si`.
    human: u64,
    block: u64,
    inodes: bool,
    posix: bool,
    types: bool,
    only: Vec<Vec<u8>>,
    exclude: Vec<Vec<u8>>,
    total: bool,
}

/// The numbers of one row, in bytes (or inodes).
#[derive(Clone, Copy, Default)]
struct Usage {
    size: u64,
    used: u64,
    avail: u64,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut c = Config {
        all: false,
        human: 0,
        block: 1024,
        inodes: false,
        posix: false,
        types: false,
        only: Vec::new(),
        exclude: Vec::new(),
        total: false,
    };
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => c.all = true,
            Arg::Short('h') | Arg::Long("human-readable") => c.human = 1024,
            Arg::Long("si") => c.human = 1000,
            Arg::Short('H') => c.human = 1000,
            Arg::Short('i') | Arg::Long("inodes") => c.inodes = true,
            Arg::Short('k') | Arg::Long("kibibytes") => (c.human, c.block) = (0, 1024),
            Arg::Short('m') => (c.human, c.block) = (0, 1024 * 1024),
            Arg::Short('P') | Arg::Long("portability") => c.posix = true,
            Arg::Short('T') | Arg::Long("print-type") => c.types = true,
            Arg::Short('t') | Arg::Long("type") => c.only.push(opts.value()?),
            Arg::Short('x') | Arg::Long("exclude-type") => c.exclude.push(opts.value()?),
            Arg::Long("total") => c.total = true,
            Arg::Short('l') | Arg::Long("local") | Arg::Long("sync") | Arg::Long("no-sync") => {}
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let mounts = read_mounts();
    if mounts.is_empty() && files.is_empty() {
        return Err(Error::msg("cannot read table of mounted file systems"));
    }
    let mut rows: Vec<(Mount, Usage)> = Vec::new();
    if files.is_empty() {
        for m in list_mounts(&c, &mounts) {
            if let Some(u) = usage(&c, &m.dir) {
                if !c.all && u.size == 0 {
                    continue;
                }
                rows.push((m, u));
            }
        }
    } else {
        for f in &files {
            let st = match nix::sys::stat::stat(f.as_slice()) {
                Ok(st) => st,
                Err(e) => {
                    let err = std::io::Error::from_raw_os_error(e as i32);
                    ctx.warn(&quote(f), &err);
                    continue;
                }
            };
            let Some(m) = mount_of(f, st.st_dev, &mounts) else {
                ctx.warn_msg(&[&quote(f)[..], b": cannot find the mount point"].concat());
                continue;
            };
            if !type_wanted(&c, &m.fstype) {
                continue;
            }
            match usage(&c, &m.dir) {
                Some(u) => rows.push((m, u)),
                None => {
                    let err = std::io::Error::last_os_error();
                    ctx.warn(&quote(f), &err);
                }
            }
        }
    }
    if c.total {
        let mut t = Usage::default();
        for (_, u) in &rows {
            t.size = t.size.saturating_add(u.size);
            t.used = t.used.saturating_add(u.used);
            t.avail = t.avail.saturating_add(u.avail);
        }
        let m = Mount {
            source: b"total".to_vec(),
            dir: b"-".to_vec(),
            fstype: b"-".to_vec(),
        };
        rows.push((m, t));
    }
    if rows.is_empty() {
        if ctx.status == 0 {
            return Err(Error::msg("no file systems processed"));
        }
        return Ok(());
    }
    let table = table(&c, &rows);
    ctx.stdout.write_all(&table)?;
    Ok(())
}

fn quote(name: &[u8]) -> Vec<u8> {
    super::ls::quote_name(name, super::ls::Quoting::ShellEscape)
}

/// The mount table: /proc/self/mounts, else /proc/mounts, else /etc/mtab.
fn read_mounts() -> Vec<Mount> {
    let text = ["/proc/self/mounts", "/proc/mounts", "/etc/mtab"]
        .iter()
        .find_map(|p| std::fs::read(p).ok())
        .unwrap_or_default();
    parse_mounts(&text)
}

fn parse_mounts(text: &[u8]) -> Vec<Mount> {
    text.split(|&b| b == b'\n')
        .filter_map(|line| {
            let mut f = line
                .split(|&b| b == b' ' || b == b'\t')
                .filter(|w| !w.is_empty());
            Some(Mount {
                source: unescape(f.next()?),
                dir: unescape(f.next()?),
                fstype: unescape(f.next()?),
            })
        })
        .collect()
}

/// Undoes the kernel's `\040`-style octal escapes in mount fields.
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while let Some(&b) = field.get(i) {
        if b == b'\\'
            && let Some(oct) = field.get(i + 1..i + 4)
            && oct.iter().all(|d| (b'0'..=b'7').contains(d))
        {
            let v = oct.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
            out.push(v as u8);
            i += 4;
            continue;
        }
        out.push(b);
        i += 1;
    }
    out
}

/// GNU's "dummy" file systems, hidden without `-a`.
fn is_dummy(fstype: &[u8]) -> bool {
    const DUMMY: &[&[u8]] = &[
        b"autofs",
        b"proc",
        b"subfs",
        b"debugfs",
        b"devpts",
        b"fusectl",
        b"fuse.portal",
        b"mqueue",
        b"rpc_pipefs",
        b"sysfs",
        b"devfs",
        b"kernfs",
        b"ignore",
        b"none",
        b"rootfs",
        b"binfmt_misc",
        b"securityfs",
        b"tracefs",
        b"configfs",
        b"pstore",
        b"bpf",
        b"nsfs",
    ];
    DUMMY.contains(&fstype)
}

fn type_wanted(c: &Config, fstype: &[u8]) -> bool {
    (c.only.is_empty() || c.only.iter().any(|t| t == fstype))
        && !c.exclude.iter().any(|t| t == fstype)
}

/// The mounts to show without operands: dummies, unwanted types and (unless `-a`)
/// duplicates of one device dropped, keeping the entry GNU keeps.
fn list_mounts(c: &Config, mounts: &[Mount]) -> Vec<Mount> {
    let mut out: Vec<(Option<u64>, Mount)> = Vec::new();
    for m in mounts {
        if !type_wanted(c, &m.fstype) || (!c.all && is_dummy(&m.fstype)) {
            continue;
        }
        if c.all {
            out.push((None, m.clone()));
            continue;
        }
        let dev = nix::sys::stat::stat(m.dir.as_slice())
            .ok()
            .map(|s| s.st_dev);
        match out.iter_mut().find(|(d, _)| d.is_some() && *d == dev) {
            Some((_, old)) => {
                let real = m.source.contains(&b'/') && !old.source.contains(&b'/');
                let nearer = old.dir.len() > m.dir.len();
                let overmount = old.source != m.source && old.dir == m.dir;
                if real || nearer || overmount {
                    *old = m.clone();
                }
            }
            None => out.push((dev, m.clone())),
        }
    }
    out.into_iter().map(|(_, m)| m).collect()
}

/// The mount holding `file` (on device `dev`): the longest mount point that is a
/// prefix of its canonical path, preferring mounts of the same device; later entries
/// (mounted on top) win ties.
fn mount_of(file: &[u8], dev: u64, mounts: &[Mount]) -> Option<Mount> {
    let canon = std::fs::canonicalize(OsStr::from_bytes(file)).ok()?;
    let canon = canon.as_os_str().as_bytes();
    let under = |dir: &[u8]| {
        dir == b"/"
            || canon == dir
            || (canon.starts_with(dir) && canon.get(dir.len()) == Some(&b'/'))
    };
    let mut best: Option<(bool, usize, &Mount)> = None;
    for m in mounts {
        if !under(&m.dir) {
            continue;
        }
        let same = nix::sys::stat::stat(m.dir.as_slice()).is_ok_and(|s| s.st_dev == dev);
        let key = (same, m.dir.len());
        if best.is_none_or(|(s, l, _)| key >= (s, l)) {
            best = Some((same, m.dir.len(), m));
        }
    }
    best.map(|(_, _, m)| m.clone())
}

/// statvfs of a mount point, in bytes (or inodes with `-i`).
fn usage(c: &Config, dir: &[u8]) -> Option<Usage> {
    let v = nix::sys::statvfs::statvfs(dir).ok()?;
    if c.inodes {
        let total = v.files();
        let free = v.files_free();
        return Some(Usage {
            size: total,
            used: total.saturating_sub(free),
            avail: free,
        });
    }
    let unit = match v.fragment_size() {
        0 => v.block_size(),
        f => f,
    };
    let bytes = |n: u64| n.saturating_mul(unit);
    Some(Usage {
        size: bytes(v.blocks()),
        used: bytes(v.blocks().saturating_sub(v.blocks_free())),
        avail: bytes(v.blocks_available()),
    })
}

fn number(c: &Config, n: u64) -> Vec<u8> {
    if c.inodes {
        if c.human != 0 {
            return human(n, c.human);
        }
        return n.to_string().into_bytes();
    }
    if c.human != 0 {
        return human(n, c.human);
    }
    n.div_ceil(c.block.max(1)).to_string().into_bytes()
}

fn human(n: u64, base: u64) -> Vec<u8> {
    let mut s = human_size_base(n, base);
    if base == 1000 && s.ends_with('K') {
        s.pop();
        s.push('k');
    }
    s.into_bytes()
}

/// GNU's percentage: used over used plus available, rounded up; `-` when both are 0.
fn percent(u: &Usage) -> Vec<u8> {
    let whole = u128::from(u.used) + u128::from(u.avail);
    if whole == 0 {
        return b"-".to_vec();
    }
    let pct = (u128::from(u.used) * 100).div_ceil(whole);
    format!("{pct}%").into_bytes()
}

/// The header and rows, each column as wide as its widest cell (and at least GNU's
/// minimum), left-aligned names and right-aligned numbers, the last column unpadded.
fn table(c: &Config, rows: &[(Mount, Usage)]) -> Vec<u8> {
    let size_header = if c.inodes {
        "Inodes".to_string()
    } else if c.human != 0 {
        "Size".to_string()
    } else if c.posix {
        format!("{}-blocks", c.block)
    } else if c.block == 1024 * 1024 {
        "1M-blocks".to_string()
    } else {
        "1K-blocks".to_string()
    };
    let (used_h, avail_h, pct_h) = if c.inodes {
        ("IUsed", "IFree", "IUse%")
    } else if c.human != 0 {
        ("Used", "Avail", "Use%")
    } else if c.posix {
        ("Used", "Available", "Capacity")
    } else {
        ("Used", "Available", "Use%")
    };
    // (header, minimum width, right-aligned)
    let mut cols: Vec<(&str, usize, bool)> = vec![("Filesystem", 14, false)];
    if c.types {
        cols.push(("Type", 4, false));
    }
    cols.extend([
        (size_header.as_str(), 5, true),
        (used_h, 5, true),
        (avail_h, 5, true),
        (pct_h, 4, true),
        ("Mounted on", 0, false),
    ]);
    let mut cells: Vec<Vec<Vec<u8>>> = vec![cols.iter().map(|c| c.0.as_bytes().to_vec()).collect()];
    for (m, u) in rows {
        let mut row = vec![m.source.clone()];
        if c.types {
            row.push(m.fstype.clone());
        }
        row.extend([
            number(c, u.size),
            number(c, u.used),
            number(c, u.avail),
            percent(u),
            m.dir.clone(),
        ]);
        cells.push(row);
    }
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, col)| {
            cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(Vec::len)
                .max()
                .unwrap_or(0)
                .max(col.1)
        })
        .collect();
    let mut out = Vec::new();
    for row in &cells {
        for (i, cell) in row.iter().enumerate() {
            let last = i + 1 == row.len();
            if i > 0 {
                out.push(b' ');
            }
            let w = widths.get(i).copied().unwrap_or(0);
            let pad = w.saturating_sub(cell.len());
            if cols.get(i).is_some_and(|c| c.2) {
                out.resize(out.len() + pad, b' ');
                out.extend_from_slice(cell);
            } else {
                out.extend_from_slice(cell);
                if !last {
                    out.resize(out.len() + pad, b' ');
                }
            }
        }
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run;

    #[test]
    fn mount_lines_unescape() {
        let m = parse_mounts(b"/dev/a /mnt/x\\040y ext4 rw 0 0\nproc /proc proc rw 0 0\n\n");
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].dir, b"/mnt/x y");
        assert_eq!(m[1].fstype, b"proc");
        assert_eq!(unescape(b"a\\134b\\12"), b"a\\b\\12");
    }

    #[test]
    fn percentages_round_up() {
        let u = |used, avail| Usage {
            size: 0,
            used,
            avail,
        };
        assert_eq!(percent(&u(0, 0)), b"-");
        assert_eq!(percent(&u(1, 99)), b"1%");
        assert_eq!(percent(&u(1, 199)), b"1%");
        assert_eq!(percent(&u(15, 85)), b"15%");
        assert_eq!(percent(&u(151, 849)), b"16%");
    }

    #[test]
    fn table_layout() {
        let c = Config {
            all: false,
            human: 0,
            block: 1024,
            inodes: false,
            posix: false,
            types: false,
            only: vec![],
            exclude: vec![],
            total: false,
        };
        let rows = vec![(
            Mount {
                source: b"/dev/vda".to_vec(),
                dir: b"/".to_vec(),
                fstype: b"ext4".to_vec(),
            },
            Usage {
                size: 264_212_084 * 1024,
                used: 13_846_224 * 1024,
                avail: 81_439_664 * 1024,
            },
        )];
        assert_eq!(
            String::from_utf8(table(&c, &rows)).unwrap(),
            "Filesystem     1K-blocks     Used Available Use% Mounted on\n\
             /dev/vda       264212084 13846224  81439664  15% /\n"
        );
        let c = Config { posix: true, ..c };
        assert_eq!(
            String::from_utf8(table(&c, &rows)).unwrap(),
            "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
             /dev/vda         264212084 13846224  81439664      15% /\n"
        );
    }

    #[test]
    fn operands_show_their_mount() {
        let r = run("df", &["/"], b"");
        if r.status != 0 {
            return; // no mount table in this sandbox
        }
        let out = r.out();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("Filesystem "));
        assert!(lines[1].ends_with(" /"));
        let r = run("df", &["/nonexistent-rbox"], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "df: /nonexistent-rbox: No such file or directory\n"
        );
    }
}
