//! `df`: free space of mounted file systems, from /proc/self/mounts and statvfs, in
//! GNU's columns (widths fitted to the values), `-P` POSIX format, `-i` inodes.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::common::num::human_size_base;
use crate::prelude::*;

/// The `df` applet.
pub const APPLET: Applet = Applet::new("df", main, Run::Fork)
    .usage("[-ahikmPT] [-t TYPE] [-x TYPE] [--output[=FIELDS]] [FILE]...")
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
         --total\tAdd a grand total\n\
         --output[=FIELDS]\tColumns to show, from source fstype itotal iused iavail ipcent\n\
         \tsize used avail pcent file target",
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
    "output",
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

impl Usage {
    fn add(&mut self, o: &Usage) {
        self.size = self.size.saturating_add(o.size);
        self.used = self.used.saturating_add(o.used);
        self.avail = self.avail.saturating_add(o.avail);
    }
}

/// One output line: the mount, its block and inode numbers, the operand that led to it.
struct Row {
    mount: Mount,
    blocks: Usage,
    inodes: Usage,
    file: Vec<u8>,
}

/// A column, as `--output` names them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Source,
    Fstype,
    ITotal,
    IUsed,
    IAvail,
    IPcent,
    Size,
    Used,
    Avail,
    Pcent,
    File,
    Target,
}

const FIELD_NAMES: &[(&str, Field)] = &[
    ("source", Field::Source),
    ("fstype", Field::Fstype),
    ("itotal", Field::ITotal),
    ("iused", Field::IUsed),
    ("iavail", Field::IAvail),
    ("ipcent", Field::IPcent),
    ("size", Field::Size),
    ("used", Field::Used),
    ("avail", Field::Avail),
    ("pcent", Field::Pcent),
    ("file", Field::File),
    ("target", Field::Target),
];

/// `--output[=LIST]`: the fields in order; every one without a list.
fn parse_output(list: Option<&[u8]>, fields: &mut Vec<Field>) -> Result<(), Error> {
    let Some(list) = list else {
        fields.extend(FIELD_NAMES.iter().map(|f| f.1));
        return Ok(());
    };
    for name in list.split(|&b| b == b',').filter(|n| !n.is_empty()) {
        let text = String::from_utf8_lossy(name);
        let field = FIELD_NAMES
            .iter()
            .find(|f| f.0.as_bytes() == name)
            .map(|f| f.1)
            .ok_or_else(|| Error::usage(format!("option --output: field '{text}' unknown")))?;
        if fields.contains(&field) {
            return Err(Error::usage(format!(
                "option --output: field '{text}' used more than once"
            )));
        }
        fields.push(field);
    }
    Ok(())
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
    let mut output: Option<Vec<Field>> = None;
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
            Arg::Long("output") => {
                let list = opts.optional_value();
                parse_output(list.as_deref(), output.get_or_insert_with(Vec::new))?;
            }
            Arg::Short('l') | Arg::Long("local") | Arg::Long("sync") | Arg::Long("no-sync") => {}
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if output.is_some() && (c.inodes || c.types || c.posix) {
        let other = if c.inodes {
            "-i"
        } else if c.types {
            "-T"
        } else {
            "-P"
        };
        return Err(Error::usage(format!(
            "options {other} and --output are mutually exclusive"
        )));
    }
    let mounts = read_mounts();
    if mounts.is_empty() && files.is_empty() {
        return Err(Error::msg("cannot read table of mounted file systems"));
    }
    let mut rows: Vec<Row> = Vec::new();
    if files.is_empty() {
        for m in list_mounts(&c, &mounts) {
            if let Some((blocks, inodes)) = usage(&m.dir) {
                if !c.all && blocks.size == 0 {
                    continue;
                }
                rows.push(Row {
                    mount: m,
                    blocks,
                    inodes,
                    file: b"-".to_vec(),
                });
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
            match usage(&m.dir) {
                Some((blocks, inodes)) => rows.push(Row {
                    mount: m,
                    blocks,
                    inodes,
                    file: f.clone(),
                }),
                None => {
                    let err = std::io::Error::last_os_error();
                    ctx.warn(&quote(f), &err);
                }
            }
        }
    }
    if c.total {
        let (mut blocks, mut inodes) = (Usage::default(), Usage::default());
        for r in &rows {
            blocks.add(&r.blocks);
            inodes.add(&r.inodes);
        }
        let mount = Mount {
            source: b"total".to_vec(),
            dir: b"-".to_vec(),
            fstype: b"-".to_vec(),
        };
        let file = b"-".to_vec();
        rows.push(Row {
            mount,
            blocks,
            inodes,
            file,
        });
    }
    if rows.is_empty() {
        if ctx.status == 0 {
            return Err(Error::msg("no file systems processed"));
        }
        return Ok(());
    }
    let custom = output.is_some();
    let fields = output.unwrap_or_else(|| default_fields(&c));
    let table = table(&c, &fields, custom, &rows);
    ctx.stdout.write_all(&table)?;
    Ok(())
}

/// The columns without `--output`.
fn default_fields(c: &Config) -> Vec<Field> {
    let mut f = vec![Field::Source];
    if c.types {
        f.push(Field::Fstype);
    }
    if c.inodes {
        f.extend([Field::ITotal, Field::IUsed, Field::IAvail, Field::IPcent]);
    } else {
        f.extend([Field::Size, Field::Used, Field::Avail, Field::Pcent]);
    }
    f.push(Field::Target);
    f
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

/// statvfs of a mount point: blocks (in bytes) and inodes.
fn usage(dir: &[u8]) -> Option<(Usage, Usage)> {
    let v = nix::sys::statvfs::statvfs(dir).ok()?;
    let (total, free) = (v.files(), v.files_free());
    let inodes = Usage {
        size: total,
        used: total.saturating_sub(free),
        avail: free,
    };
    let unit = match v.fragment_size() {
        0 => v.block_size(),
        f => f,
    };
    let bytes = |n: u64| n.saturating_mul(unit);
    let blocks = Usage {
        size: bytes(v.blocks()),
        used: bytes(v.blocks().saturating_sub(v.blocks_free())),
        avail: bytes(v.blocks_available()),
    };
    Some((blocks, inodes))
}

fn number(c: &Config, n: u64, inodes: bool) -> Vec<u8> {
    if inodes {
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

/// A column's header, minimum width and alignment (right for numbers).
fn header(c: &Config, f: Field, custom: bool) -> (String, usize, bool) {
    let (h, min, right): (&str, usize, bool) = match f {
        Field::Source => ("Filesystem", 14, false),
        Field::Fstype => ("Type", 4, false),
        Field::ITotal => ("Inodes", 5, true),
        Field::IUsed => ("IUsed", 5, true),
        Field::IAvail => ("IFree", 5, true),
        Field::IPcent => ("IUse%", 4, true),
        Field::Size if c.human != 0 => ("Size", 5, true),
        Field::Size if c.posix => return (format!("{}-blocks", c.block), 5, true),
        Field::Size if c.block == 1024 * 1024 => ("1M-blocks", 5, true),
        Field::Size => ("1K-blocks", 5, true),
        Field::Used => ("Used", 5, true),
        Field::Avail if c.human != 0 || custom => ("Avail", 5, true),
        Field::Avail => ("Available", 5, true),
        Field::Pcent if c.posix && c.human == 0 => ("Capacity", 4, true),
        Field::Pcent => ("Use%", 4, true),
        Field::File => ("File", 0, false),
        Field::Target => ("Mounted on", 0, false),
    };
    (h.to_string(), min, right)
}

fn cell(c: &Config, f: Field, r: &Row) -> Vec<u8> {
    match f {
        Field::Source => r.mount.source.clone(),
        Field::Fstype => r.mount.fstype.clone(),
        Field::ITotal => number(c, r.inodes.size, true),
        Field::IUsed => number(c, r.inodes.used, true),
        Field::IAvail => number(c, r.inodes.avail, true),
        Field::IPcent => percent(&r.inodes),
        Field::Size => number(c, r.blocks.size, false),
        Field::Used => number(c, r.blocks.used, false),
        Field::Avail => number(c, r.blocks.avail, false),
        Field::Pcent => percent(&r.blocks),
        Field::File => r.file.clone(),
        Field::Target => r.mount.dir.clone(),
    }
}

/// The header and rows, each column as wide as its widest cell (and at least GNU's
/// minimum), left-aligned names and right-aligned numbers, the last column unpadded.
fn table(c: &Config, fields: &[Field], custom: bool, rows: &[Row]) -> Vec<u8> {
    let cols: Vec<(String, usize, bool)> = fields.iter().map(|&f| header(c, f, custom)).collect();
    let mut cells: Vec<Vec<Vec<u8>>> = vec![cols.iter().map(|h| h.0.as_bytes().to_vec()).collect()];
    for r in rows {
        cells.push(fields.iter().map(|&f| cell(c, f, r)).collect());
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
        let rows = vec![Row {
            mount: Mount {
                source: b"/dev/vda".to_vec(),
                dir: b"/".to_vec(),
                fstype: b"ext4".to_vec(),
            },
            blocks: Usage {
                size: 264_212_084 * 1024,
                used: 13_846_224 * 1024,
                avail: 81_439_664 * 1024,
            },
            inodes: Usage {
                size: 16_777_216,
                used: 426_700,
                avail: 16_350_516,
            },
            file: b"/".to_vec(),
        }];
        assert_eq!(
            String::from_utf8(table(&c, &default_fields(&c), false, &rows)).unwrap(),
            "Filesystem     1K-blocks     Used Available Use% Mounted on\n\
             /dev/vda       264212084 13846224  81439664  15% /\n"
        );
        let all: Vec<Field> = FIELD_NAMES.iter().map(|f| f.1).collect();
        assert_eq!(
            String::from_utf8(table(&c, &all, true, &rows)).unwrap(),
            "Filesystem     Type   Inodes  IUsed    IFree IUse% 1K-blocks     Used    Avail \
             Use% File Mounted on\n\
             /dev/vda       ext4 16777216 426700 16350516    3% 264212084 13846224 81439664  \
             15% /    /\n"
        );
        let c = Config { posix: true, ..c };
        assert_eq!(
            String::from_utf8(table(&c, &default_fields(&c), false, &rows)).unwrap(),
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
