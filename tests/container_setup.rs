//! The container-setup comparison of scripts-compat (issue 8, ANCHORS.md 3.7): scripts in
//! the style of vzctl's dist scripts (`scripts-compat/container-setup/`) run twice, each
//! time chrooted, in fresh network, UTS, mount and pid namespaces:
//!
//! - rbox: a root holding only the static rbox (`/bin/rbox` and its `--install -s`
//!   links) and the fixture's /etc, the script run by rbox's `sh`;
//! - reference: a root made of read-only bind mounts of the host's /usr (and /bin, /sbin,
//!   /lib, /lib64, or the same symlinks) with its own copy of the fixture, the script
//!   run by dash with the GNU, shadow and iproute2 tools.
//!
//! Both namespaces start alike: `lo` up, a veth pair `venet0`/`vhost0` with fixed MAC
//! addresses (the peer down, so nothing changes behind the test's back), DAD and
//! link-local addresses off, the host name `oldname`. After every step the host's own
//! `ip` and `hostname` record the namespace's state (one observer for both runs).
//! Then stdout, stderr, status, that state, the mounts below the root and every file
//! the scripts could touch (the whole root but its tool directories) must agree;
//! password hashes are compared by verifying them with perl's crypt().
//!
//! Cases: `scripts-compat/container-setup/cases/*.case` (format in the README there),
//! `RBOX_CASE=name` runs one; `RBOX_SCRIPTS_DIR=DIR` runs an external corpus instead.
//! Needs root and unshare; skips with a message otherwise.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The in-repo corpus.
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scripts-compat/container-setup"
);

/// PATH inside both roots.
const PATH: &str = "/usr/sbin:/usr/bin:/sbin:/bin";

/// Top-level entries of the root that hold tools, not results: never compared. `proc`
/// is mounted in the reference root only (GNU mknod -m sets the mode with glibc's
/// lchmod, which goes through /proc/self/fd); the rbox root stays without it.
const TOOL_DIRS: [&str; 7] = ["bin", "sbin", "usr", "lib", "lib64", "proc", "scripts"];

/// Debian's awk (and other tools) are /etc/alternatives symlinks: the reference root
/// gets the host's directory, read-only, and it is not compared.
const ALTERNATIVES: &str = "etc/alternatives";

/// Files only shadow-utils leaves behind (its backups and its lock file): documented in
/// scripts-compat/README.md and not compared.
const SHADOW_LEFTOVERS: [&str; 5] = [
    "etc/passwd-",
    "etc/shadow-",
    "etc/group-",
    "etc/gshadow-",
    "etc/.pwd.lock",
];

/// Longest a case's namespace may live before it is killed.
const CASE_DEADLINE: Duration = Duration::from_secs(120);

/// One step of a case: a script and the variables it gets.
#[derive(Debug, Clone)]
struct Step {
    script: String,
    env: Vec<(String, String)>,
}

/// A case: a fixture, steps run in order in one namespace, and whether `ip` is hidden.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    fixture: String,
    mask_ip: bool,
    steps: Vec<Step>,
}

/// Parses a case file: `fixture NAME`, `mask ip`, `run SCRIPT` followed by indented
/// `VAR=value` lines (the value is the rest of the line, taken literally); `#` comments.
fn parse_case(name: &str, text: &str) -> Result<Case, String> {
    let mut case = Case {
        name: name.to_string(),
        fixture: "debian".to_string(),
        mask_ip: false,
        steps: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let at = || format!("{name}.case line {}", n + 1);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let step = case
                .steps
                .last_mut()
                .ok_or_else(|| format!("{}: a variable before any run", at()))?;
            let (var, value) = trimmed
                .split_once('=')
                .filter(|(v, _)| {
                    !v.is_empty() && v.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
                })
                .ok_or_else(|| format!("{}: expected VAR=value", at()))?;
            step.env.push((var.to_string(), value.to_string()));
            continue;
        }
        match trimmed.split_once(' ') {
            Some(("fixture", f)) => case.fixture = f.trim().to_string(),
            Some(("mask", "ip")) => case.mask_ip = true,
            Some(("run", s)) if !s.trim().contains('/') => case.steps.push(Step {
                script: s.trim().to_string(),
                env: Vec::new(),
            }),
            _ => return Err(format!("{}: cannot parse {trimmed:?}", at())),
        }
    }
    if case.steps.is_empty() {
        return Err(format!("{name}.case: no run line"));
    }
    Ok(case)
}

/// A corpus: the directory of scripts, its cases, and where fixtures are looked up.
struct Corpus {
    scripts: PathBuf,
    cases: Vec<Case>,
    fixture_dirs: Vec<PathBuf>,
}

/// Reads a corpus directory: `cases/*.case` when there is such a folder, else one case
/// per `*.sh` with no variables on the debian fixture.
fn load_corpus(dir: &Path) -> Corpus {
    let mut cases = Vec::new();
    let case_dir = dir.join("cases");
    if case_dir.is_dir() {
        let mut files: Vec<_> = fs::read_dir(&case_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "case"))
            .collect();
        files.sort();
        for f in files {
            let name = f.file_stem().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&f).unwrap();
            cases.push(parse_case(&name, &text).unwrap_or_else(|e| panic!("{e}")));
        }
    } else {
        let mut scripts: Vec<_> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "sh"))
            .collect();
        scripts.sort();
        for s in scripts {
            let script = s.file_name().unwrap().to_string_lossy().into_owned();
            cases.push(Case {
                name: script.trim_end_matches(".sh").to_string(),
                fixture: "debian".into(),
                mask_ip: false,
                steps: vec![Step {
                    script,
                    env: Vec::new(),
                }],
            });
        }
    }
    if let Ok(only) = std::env::var("RBOX_CASE") {
        cases.retain(|c| c.name == only);
    }
    let mut fixture_dirs = vec![dir.join("fixtures")];
    if dir != Path::new(CORPUS) {
        fixture_dirs.push(Path::new(CORPUS).join("fixtures"));
    }
    Corpus {
        scripts: dir.to_path_buf(),
        cases,
        fixture_dirs,
    }
}

/// Which of the two runs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Rbox,
    Reference,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Rbox => "rbox",
            Side::Reference => "reference",
        }
    }
}

/// What one step left: its output and the namespace's state after it.
#[derive(Debug, Default)]
struct StepResult {
    status: String,
    stdout: String,
    stderr: String,
    addr: String,
    route4: String,
    route6: String,
    link: String,
    hostname: String,
    mounts: String,
    days: BTreeSet<u64>,
}

/// What one side's run of a case left.
struct Outcome {
    steps: Vec<StepResult>,
    /// Every path of the root but the tool directories, with its description.
    tree: BTreeMap<String, Node>,
}

/// One file system object of a root.
#[derive(Debug, PartialEq)]
enum Node {
    Dir { meta: String },
    File { meta: String, text: String },
    Other { meta: String },
}

impl Node {
    /// Its type, mode, owner (and device numbers or link target).
    fn meta(&self) -> &str {
        match self {
            Node::Dir { meta } | Node::File { meta, .. } | Node::Other { meta } => meta,
        }
    }
}

/// The shell script that runs inside the namespaces (with the host's dash and tools,
/// outside the chroot): `$1` the work directory, `$2` the side.
const WRAPPER: &str = r#"set -eu
W=$1
ROOT=$W/root
if [ "$2" = reference ]; then
	while read -r d; do
		mount --bind "/$d" "$ROOT/$d"
		mount -o remount,bind,ro "$ROOT/$d"
	done < "$W/binds"
	while read -r f; do
		mount --bind "$W/absent" "$ROOT$f"
	done < "$W/masks"
	mount --bind /etc/alternatives "$ROOT/etc/alternatives"
	mount -o remount,bind,ro "$ROOT/etc/alternatives"
	mount -t proc proc "$ROOT/proc"
fi
for c in all default; do
	echo 0 > /proc/sys/net/ipv6/conf/$c/accept_dad
	echo 1 > /proc/sys/net/ipv6/conf/$c/addr_gen_mode
done
ip link set lo up
ip link add venet0 address 02:00:00:00:00:01 type veth peer name vhost0 address 02:00:00:00:00:02
# The carrier-off of a new veth reaches its operational state asynchronously
# (linkwatch); until it has, bringing the link up would clear the routes' linkdown.
i=0
until [ $i -ge 100 ] || { ip -o link show venet0; ip -o link show vhost0; } |
	[ "$(grep -c 'state LOWERLAYERDOWN')" = 2 ]; do
	sleep 0.05
	i=$((i + 1))
done
hostname oldname
for n in $(ls "$W/steps" | sort -n); do
	S=$W/steps/$n
	set --
	while IFS= read -r l; do set -- "$@" "$l"; done < "$S/env"
	date -u +%s > "$S/time"
	rc=0
	env -i "$@" /usr/sbin/chroot "$ROOT" $(cat "$S/shell") "/scripts/$(cat "$S/script")" \
		> "$S/stdout" 2> "$S/stderr" < /dev/null || rc=$?
	echo $rc > "$S/status"
	date -u +%s >> "$S/time"
	i=0
	while [ $i -lt 50 ] && ip -o addr show | grep -q tentative; do
		sleep 0.1
		i=$((i + 1))
	done
	ip -o addr show > "$S/addr"
	ip -4 route show > "$S/route4"
	ip -6 route show > "$S/route6"
	ip -o link show > "$S/link"
	hostname > "$S/hostname"
	cat /proc/self/mountinfo > "$S/mountinfo"
done
"#;

/// Copies `from` into `to` recursively: files 0644, directories 0755, owned by root.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &dest);
            fs::set_permissions(&dest, fs::Permissions::from_mode(0o755)).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
            fs::set_permissions(&dest, fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
}

/// Makes a device node, FIFO or the like with mknod(2).
fn mknod(path: &Path, kind: libc::mode_t, mode: libc::mode_t, major: u32, minor: u32) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let rc = unsafe { libc::mknod(c.as_ptr(), kind | mode, libc::makedev(major, minor)) };
    assert_eq!(
        rc,
        0,
        "mknod {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
    // SAFETY: the same valid path; chmod undoes the umask.
    unsafe { libc::chmod(c.as_ptr(), mode) };
}

/// Builds the work directory of one side of a case: the root, the steps, the bind list.
fn prepare(corpus: &Corpus, case: &Case, side: Side) -> PathBuf {
    let work = std::env::temp_dir().join(format!(
        "rbox-cs-{}-{}-{}",
        std::process::id(),
        case.name,
        side.name()
    ));
    if work.exists() {
        remove_work(&work);
    }
    let root = work.join("root");
    fs::create_dir_all(&root).unwrap();
    fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
    for (dir, mode) in [
        ("dev", 0o755),
        ("root", 0o700),
        ("home", 0o755),
        ("tmp", 0o1777),
    ] {
        fs::create_dir(root.join(dir)).unwrap();
        fs::set_permissions(root.join(dir), fs::Permissions::from_mode(mode)).unwrap();
    }
    mknod(&root.join("dev/null"), libc::S_IFCHR, 0o666, 1, 3);
    // The fixture: its "common" layer, then its own.
    let mut found = false;
    for layer in ["common", case.fixture.as_str()] {
        if let Some(dir) = corpus
            .fixture_dirs
            .iter()
            .map(|d| d.join(layer))
            .find(|d| d.is_dir())
        {
            copy_tree(&dir, &root);
            found |= layer == case.fixture;
        }
    }
    assert!(found, "{}: no fixture {:?}", case.name, case.fixture);
    for f in ["etc/shadow", "etc/gshadow"] {
        let p = root.join(f);
        if p.exists() {
            std::os::unix::fs::chown(&p, Some(0), Some(42)).unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
    }
    // The scripts (the corpus's top-level files).
    let scripts = root.join("scripts");
    fs::create_dir(&scripts).unwrap();
    for entry in fs::read_dir(&corpus.scripts).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), scripts.join(entry.file_name())).unwrap();
        }
    }
    let mut binds = String::new();
    let mut masks = String::new();
    match side {
        Side::Rbox => {
            let bin = root.join("bin");
            fs::create_dir(&bin).unwrap();
            fs::copy(support::rbox(), bin.join("rbox")).unwrap();
            // A child another thread forks while the copy's write fd is open holds it
            // until its exec: the fresh binary is busy (ETXTBSY) for that moment.
            let install = || {
                Command::new("/usr/sbin/chroot")
                    .arg(&root)
                    .args(["/bin/rbox", "--install", "-s", "/bin"])
                    .output()
                    .unwrap()
            };
            let mut out = install();
            for _ in 0..50 {
                if out.status.success() || !support::text(&out.stderr).contains("Text file busy") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
                out = install();
            }
            assert!(out.status.success(), "rbox --install in the root: {out:?}");
            if case.mask_ip {
                let _ = fs::remove_file(bin.join("ip"));
            }
        }
        Side::Reference => {
            for dir in ["usr", "bin", "sbin", "lib", "lib64"] {
                let host = Path::new("/").join(dir);
                match fs::symlink_metadata(&host) {
                    Ok(m) if m.file_type().is_symlink() => {
                        symlink(fs::read_link(&host).unwrap(), root.join(dir)).unwrap();
                    }
                    Ok(m) if m.is_dir() => {
                        fs::create_dir(root.join(dir)).unwrap();
                        binds.push_str(dir);
                        binds.push('\n');
                    }
                    _ => {}
                }
            }
            fs::create_dir(root.join("proc")).unwrap();
            fs::create_dir_all(root.join(ALTERNATIVES)).unwrap();
            if case.mask_ip {
                let mut seen = BTreeSet::new();
                for dir in PATH.split(':') {
                    if let Ok(real) = fs::canonicalize(Path::new(dir).join("ip"))
                        && seen.insert(real.clone())
                    {
                        masks.push_str(&real.to_string_lossy());
                        masks.push('\n');
                    }
                }
                fs::write(work.join("absent"), "").unwrap();
            }
        }
    }
    fs::write(work.join("binds"), binds).unwrap();
    fs::write(work.join("masks"), masks).unwrap();
    fs::write(work.join("wrapper.sh"), WRAPPER).unwrap();
    for (n, step) in case.steps.iter().enumerate() {
        let dir = work.join(format!("steps/{}", n + 1));
        fs::create_dir_all(&dir).unwrap();
        let mut env = format!("PATH={PATH}\nHOME=/root\nLC_ALL=C\n");
        for (var, value) in &step.env {
            env.push_str(&format!("{var}={value}\n"));
        }
        fs::write(dir.join("env"), env).unwrap();
        fs::write(dir.join("script"), &step.script).unwrap();
        let shell = match side {
            Side::Rbox => "/bin/sh",
            Side::Reference => "/bin/dash",
        };
        fs::write(dir.join("shell"), shell).unwrap();
    }
    work
}

/// Removes a work directory, refusing while anything is mounted below it (a bind
/// mount of the host's /usr that outlived its namespace must never be deleted through).
fn remove_work(work: &Path) {
    let prefix = format!("{}/", work.display());
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").unwrap();
    let mounted = mountinfo
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .find(|point| point.starts_with(&prefix));
    assert!(
        mounted.is_none(),
        "{} is still mounted: not removing {}",
        mounted.unwrap(),
        work.display()
    );
    for dir in ["usr", "sbin", "lib", "lib64", "proc", ALTERNATIVES] {
        let p = work.join("root").join(dir);
        if fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            let empty = fs::read_dir(&p)
                .map(|mut d| d.next().is_none())
                .unwrap_or(true);
            assert!(
                empty,
                "{} is not empty: still mounted? not removing",
                p.display()
            );
        }
    }
    fs::remove_dir_all(work).unwrap_or_else(|e| panic!("remove {}: {e}", work.display()));
}

/// Runs one side of a case in fresh namespaces; `Err` when the run itself broke.
fn run_side(corpus: &Corpus, case: &Case, side: Side) -> Result<Outcome, String> {
    let work = prepare(corpus, case, side);
    let mut child = Command::new("unshare")
        .args([
            "--net",
            "--uts",
            "--mount",
            "--pid",
            "--fork",
            "--kill-child",
        ])
        .arg("/bin/dash")
        .arg(work.join("wrapper.sh"))
        .arg(&work)
        .arg(side.name())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("unshare: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > CASE_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let Some(status) = status else {
        return Err(format!(
            "{}: the {} run did not finish in {CASE_DEADLINE:?}",
            case.name,
            side.name()
        ));
    };
    if !status.success() {
        return Err(format!(
            "{}: the {} namespace wrapper failed ({status}): {}",
            case.name,
            side.name(),
            support::text(&out.stderr)
        ));
    }
    let root = work.join("root");
    let root_prefix = format!("{}/", root.display());
    let mut steps = Vec::new();
    for n in 1..=case.steps.len() {
        let dir = work.join(format!("steps/{n}"));
        let read = |f: &str| {
            fs::read(dir.join(f))
                .map(|b| support::text(&b))
                .unwrap_or_default()
        };
        let days = read("time")
            .lines()
            .filter_map(|l| l.trim().parse::<u64>().ok())
            .map(|s| s / 86400)
            .collect();
        steps.push(StepResult {
            status: read("status").trim().to_string(),
            stdout: read("stdout"),
            stderr: read("stderr"),
            addr: read("addr"),
            route4: read("route4"),
            route6: read("route6"),
            link: normalize_links(&read("link")),
            hostname: read("hostname"),
            mounts: mounts_below(&read("mountinfo"), &root_prefix),
            days,
        });
    }
    let mut tree = BTreeMap::new();
    walk(&root, &root, &mut tree);
    if std::env::var_os("RBOX_CS_KEEP").is_some() {
        eprintln!(
            "container-setup {}: {} run kept in {}",
            case.name,
            side.name(),
            work.display()
        );
    } else {
        remove_work(&work);
    }
    Ok(Outcome { steps, tree })
}

/// `ip -o link` lines reduced to what a script sets: name, administrative flags, mtu and
/// address. Carrier and operational state change asynchronously (linkwatch) and are left
/// out.
fn normalize_links(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let _index = words.next();
        let name = words.next().unwrap_or("").trim_end_matches(':');
        let flags = words.next().unwrap_or("").trim_matches(['<', '>']);
        let flags: Vec<&str> = flags
            .split(',')
            .filter(|f| {
                !matches!(
                    *f,
                    "NO-CARRIER" | "LOWER_UP" | "RUNNING" | "DORMANT" | "M-DOWN"
                )
            })
            .collect();
        let rest: Vec<&str> = line.split_whitespace().collect();
        let after = |key: &str| {
            rest.iter()
                .position(|w| *w == key)
                .and_then(|i| rest.get(i + 1))
                .copied()
                .unwrap_or("-")
        };
        let ether = rest
            .iter()
            .position(|w| w.starts_with("link/"))
            .map(|i| rest[i..(i + 2).min(rest.len())].join(" "))
            .unwrap_or_default();
        out.push_str(&format!(
            "{name} <{}> mtu {} {ether}\n",
            flags.join(","),
            after("mtu")
        ));
    }
    out
}

/// The mounts whose mount point is below `root` (the fixture's own, not the
/// reference's tool binds): point, options, type, source, super-block options.
fn mounts_below(mountinfo: &str, root: &str) -> String {
    let mut out = String::new();
    for line in mountinfo.lines() {
        let (left, right) = line.split_once(" - ").unwrap_or((line, ""));
        let left: Vec<&str> = left.split(' ').collect();
        let (Some(point), Some(opts)) = (left.get(4), left.get(5)) else {
            continue;
        };
        let Some(rel) = point.strip_prefix(root) else {
            continue;
        };
        let top = rel.split('/').next().unwrap_or("");
        if TOOL_DIRS.contains(&top) || rel == ALTERNATIVES {
            continue;
        }
        out.push_str(&format!("/{rel} {opts} {right}\n"));
    }
    out
}

/// Records every path below `dir` (relative to `root`) but the tool directories.
fn walk(root: &Path, dir: &Path, tree: &mut BTreeMap<String, Node>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if dir == root && TOOL_DIRS.contains(&rel.as_str()) {
            continue;
        }
        if SHADOW_LEFTOVERS.contains(&rel.as_str()) || rel == ALTERNATIVES {
            continue;
        }
        let m = fs::symlink_metadata(&path).unwrap();
        let owner = format!("{:o} {}:{}", m.mode() & 0o7777, m.uid(), m.gid());
        let ft = m.file_type();
        let node = if ft.is_dir() {
            walk(root, &path, tree);
            Node::Dir {
                meta: format!("directory {owner}"),
            }
        } else if ft.is_file() {
            Node::File {
                meta: format!("file {owner}"),
                text: support::text(&fs::read(&path).unwrap()),
            }
        } else if ft.is_symlink() {
            Node::Other {
                meta: format!("symlink -> {}", fs::read_link(&path).unwrap().display()),
            }
        } else if ft.is_char_device() || ft.is_block_device() {
            let kind = if ft.is_char_device() { "char" } else { "block" };
            let rdev = m.rdev();
            Node::Other {
                meta: format!(
                    "{kind} device {},{} {owner}",
                    libc::major(rdev),
                    libc::minor(rdev)
                ),
            }
        } else if ft.is_fifo() {
            Node::Other {
                meta: format!("fifo {owner}"),
            }
        } else {
            Node::Other {
                meta: format!("socket {owner}"),
            }
        };
        tree.insert(rel, node);
    }
}

/// Does `hash` verify `password` under the host's crypt(3) (through perl)?
fn crypt_verifies(password: &str, hash: &str) -> bool {
    Command::new("perl")
        .args([
            "-e",
            "exit(crypt($ARGV[0], $ARGV[1]) eq $ARGV[1] ? 0 : 1)",
            password,
            hash,
        ])
        .status()
        .is_ok_and(|s| s.success())
}

/// The passwords a case sets for `user`: every `user:password` word of its variables.
fn passwords_for(case: &Case, user: &str) -> Vec<String> {
    let mut out = Vec::new();
    for step in &case.steps {
        for (_, value) in &step.env {
            for word in value.split_whitespace() {
                if let Some((u, p)) = word.split_once(':')
                    && u == user
                    && !out.iter().any(|o| o == p)
                {
                    out.push(p.to_string());
                }
            }
        }
    }
    out
}

/// Rewrites /etc/shadow texts for comparison: a hash field that differs between the two
/// runs becomes `<$ID$ hash of 'PASSWORD'>` in each that verifies one of the case's
/// passwords (with its scheme kept); the last-change day is masked only when the runs
/// straddle midnight. Returns the two texts and the verification failures.
fn normalize_shadow(
    case: &Case,
    reference: &str,
    rbox: &str,
    mask_day: bool,
) -> (String, String, Vec<String>) {
    let split = |t: &str| -> Vec<Vec<String>> {
        t.lines()
            .map(|l| l.split(':').map(str::to_string).collect())
            .collect()
    };
    let (mut a, mut b) = (split(reference), split(rbox));
    let mut problems = Vec::new();
    let hashes: BTreeMap<String, String> = a
        .iter()
        .filter(|f| f.len() > 1)
        .map(|f| (f[0].clone(), f[1].clone()))
        .collect();
    let others: BTreeMap<String, String> = b
        .iter()
        .filter(|f| f.len() > 1)
        .map(|f| (f[0].clone(), f[1].clone()))
        .collect();
    for (side, lines, theirs) in [("reference", &mut a, &others), ("rbox", &mut b, &hashes)] {
        for fields in lines.iter_mut() {
            if fields.len() < 3 {
                continue;
            }
            if mask_day {
                fields[2] = "<day>".into();
            }
            let user = fields[0].clone();
            let hash = fields[1].clone();
            if !hash.starts_with('$') || theirs.get(&user) == Some(&hash) {
                continue;
            }
            let scheme: String = hash.splitn(3, '$').take(2).collect::<Vec<_>>().join("$") + "$";
            match passwords_for(case, &user).into_iter().find(|p| crypt_verifies(p, &hash)) {
                Some(p) => fields[1] = format!("<{scheme} hash of '{p}'>"),
                None => problems.push(format!(
                    "{side}'s /etc/shadow: the hash of {user} verifies none of the case's passwords {:?}",
                    passwords_for(case, &user)
                )),
            }
        }
    }
    let join = |v: Vec<Vec<String>>| {
        v.into_iter()
            .map(|f| f.join(":") + "\n")
            .collect::<String>()
    };
    (join(a), join(b), problems)
}

/// The first line where two texts differ, described.
fn first_difference(what: &str, reference: &str, rbox: &str) -> Option<String> {
    if reference == rbox {
        return None;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (reference.lines().collect(), rbox.lines().collect());
    let n = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(a.len());
    let show = |l: Option<&&str>| l.map_or("<no line>".to_string(), |l| format!("{l:?}"));
    let extra = if n >= a.len() && n >= b.len() {
        " (final newline)"
    } else {
        ""
    };
    Some(format!(
        "{what} line {}{extra}:\n      reference: {}\n      rbox:      {}",
        n + 1,
        show(a.get(n)),
        show(b.get(n))
    ))
}

/// Every difference between the two runs of a case, described.
fn compare(case: &Case, reference: &Outcome, rbox: &Outcome) -> Vec<String> {
    let mut diffs = Vec::new();
    for (n, (r, x)) in reference.steps.iter().zip(&rbox.steps).enumerate() {
        let step = &case.steps[n];
        let label = format!("step {} ({})", n + 1, step.script);
        if r.status != x.status {
            diffs.push(format!(
                "{label}: status: reference {}, rbox {}",
                r.status, x.status
            ));
        }
        for (what, a, b) in [
            ("stdout", &r.stdout, &x.stdout),
            ("stderr", &r.stderr, &x.stderr),
            ("`ip -o addr`", &r.addr, &x.addr),
            ("`ip -4 route`", &r.route4, &x.route4),
            ("`ip -6 route`", &r.route6, &x.route6),
            ("`ip -o link`", &r.link, &x.link),
            ("hostname", &r.hostname, &x.hostname),
            ("mounts below the root", &r.mounts, &x.mounts),
        ] {
            if let Some(d) = first_difference(what, a, b) {
                diffs.push(format!("{label}: {d}"));
            }
        }
    }
    let days: BTreeSet<u64> = reference
        .steps
        .iter()
        .chain(&rbox.steps)
        .flat_map(|s| s.days.iter().copied())
        .collect();
    let mask_day = days.len() > 1;
    let paths: BTreeSet<&String> = reference.tree.keys().chain(rbox.tree.keys()).collect();
    for path in paths {
        match (reference.tree.get(path), rbox.tree.get(path)) {
            (Some(_), None) => diffs.push(format!("/{path}: only in the reference run")),
            (None, Some(_)) => diffs.push(format!("/{path}: only in the rbox run")),
            (Some(Node::File { meta: ma, text: ta }), Some(Node::File { meta: mb, text: tb })) => {
                if ma != mb {
                    diffs.push(format!("/{path}: reference {ma}, rbox {mb}"));
                }
                let (ta, tb) = if path == "etc/shadow" {
                    let (ta, tb, problems) = normalize_shadow(case, ta, tb, mask_day);
                    diffs.extend(problems);
                    (ta, tb)
                } else {
                    (ta.clone(), tb.clone())
                };
                if let Some(d) = first_difference(&format!("/{path}"), &ta, &tb) {
                    diffs.push(d);
                }
            }
            (Some(a), Some(b)) if a != b => diffs.push(format!(
                "/{path}: reference {}, rbox {}",
                a.meta(),
                b.meta()
            )),
            _ => {}
        }
    }
    diffs
}

/// Why this machine cannot run the comparison, if it cannot. A missing reference tool
/// fails on CI (`CI` set: `.ci/run` installs them) and skips elsewhere.
fn unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root (chroot and namespaces need it)".into());
    }
    let mut missing: Vec<String> = ["/bin/dash", "/usr/sbin/chroot", "/usr/bin/perl"]
        .into_iter()
        .filter(|t| !Path::new(t).exists())
        .map(String::from)
        .collect();
    for tool in [
        "ip", "ifconfig", "route", "hostname", "mount", "awk", "chpasswd", "useradd", "userdel",
        "groupadd", "unshare",
    ] {
        if !PATH.split(':').any(|d| Path::new(d).join(tool).exists()) {
            missing.push(tool.to_string());
        }
    }
    let pam = glob::glob("/usr/lib/*/security/pam_unix.so").is_ok_and(|mut g| g.next().is_some())
        || glob::glob("/lib/*/security/pam_unix.so").is_ok_and(|mut g| g.next().is_some());
    if !pam {
        missing.push("pam_unix.so (libpam-modules)".into());
    }
    if !missing.is_empty() {
        let why = format!(
            "the reference run needs {} (see scripts-compat/README.md)",
            missing.join(", ")
        );
        assert!(std::env::var_os("CI").is_none(), "container_setup: {why}");
        return Some(why);
    }
    let ok = Command::new("unshare")
        .args(["--net", "--uts", "--mount", "--pid", "--fork", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return Some("unshare --net --uts --mount --pid --fork is refused".into());
    }
    None
}

/// Runs every case of a corpus and fails with every difference of every case.
fn check_corpus(corpus: &Corpus) {
    assert!(
        !corpus.cases.is_empty(),
        "no cases in {}",
        corpus.scripts.display()
    );
    let mut report = Vec::new();
    for case in &corpus.cases {
        // The two sides share nothing (own work directory, own namespaces): run together.
        let (reference, rbox) = std::thread::scope(|s| {
            let reference = s.spawn(|| run_side(corpus, case, Side::Reference));
            let rbox = run_side(corpus, case, Side::Rbox);
            (reference.join().expect("the reference run panicked"), rbox)
        });
        match (reference, rbox) {
            (Ok(reference), Ok(rbox)) => {
                let diffs = compare(case, &reference, &rbox);
                if diffs.is_empty() {
                    eprintln!("container-setup {}: same", case.name);
                } else {
                    eprintln!(
                        "container-setup {}: {} difference(s)",
                        case.name,
                        diffs.len()
                    );
                    report.push(format!("== {} ==\n  {}", case.name, diffs.join("\n  ")));
                }
            }
            (Err(e), _) | (_, Err(e)) => report.push(format!("== {} ==\n  {e}", case.name)),
        }
    }
    assert!(
        report.is_empty(),
        "the reference (dash + GNU/shadow/iproute2) and rbox runs differ:\n{}",
        report.join("\n")
    );
}

#[test]
fn container_setup_scripts_match_reference() {
    if std::env::var_os("RBOX_SCRIPTS_DIR").is_some() {
        eprintln!("container_setup: RBOX_SCRIPTS_DIR is set; the external corpus test runs it");
        return;
    }
    if let Some(why) = unavailable() {
        eprintln!("skipping container_setup: {why}");
        return;
    }
    check_corpus(&load_corpus(Path::new(CORPUS)));
}

#[test]
fn external_corpus_matches_reference() {
    let Some(dir) = std::env::var_os("RBOX_SCRIPTS_DIR") else {
        eprintln!("container_setup: no RBOX_SCRIPTS_DIR, no external corpus to run");
        return;
    };
    if let Some(why) = unavailable() {
        eprintln!("skipping container_setup: {why}");
        return;
    }
    check_corpus(&load_corpus(Path::new(&dir)));
}

#[test]
fn case_files_parse() {
    let case = parse_case(
        "t",
        "# c\nfixture redhat\nmask ip\nrun a.sh\n\tX=1 2  3\n\tY=\nrun b.sh\n",
    )
    .unwrap();
    assert_eq!(case.fixture, "redhat");
    assert!(case.mask_ip);
    assert_eq!(case.steps.len(), 2);
    assert_eq!(
        case.steps[0].env,
        vec![("X".into(), "1 2  3".into()), ("Y".into(), String::new())]
    );
    assert!(parse_case("t", "\tX=1\n").is_err());
    assert!(parse_case("t", "run ../x.sh\n").is_err());
    assert!(parse_case("t", "fixture debian\n").is_err());
    let corpus = load_corpus(Path::new(CORPUS));
    assert!(corpus.cases.len() >= 8 || std::env::var_os("RBOX_CASE").is_some());
}

#[test]
fn comparison_reports_the_line() {
    let d = first_difference("/etc/hosts", "a\nb\nc\n", "a\nB\nc\n").unwrap();
    assert!(
        d.contains("line 2") && d.contains("\"b\"") && d.contains("\"B\""),
        "{d}"
    );
    assert_eq!(first_difference("x", "a\n", "a\n"), None);
    let links = normalize_links(
        "2: venet0@vhost0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\\    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n",
    );
    assert_eq!(
        links,
        "venet0@vhost0 <BROADCAST,MULTICAST,UP> mtu 1500 link/ether 02:00:00:00:00:01\n"
    );
}

#[test]
fn shadow_hashes_compare_by_verification() {
    if !Path::new("/usr/bin/perl").exists() {
        eprintln!("skipping: no perl for crypt()");
        return;
    }
    let hash = |password: &str, salt: &str| {
        let out = Command::new("perl")
            .args(["-e", "print crypt($ARGV[0], $ARGV[1])", password, salt])
            .output()
            .unwrap();
        support::text(&out.stdout)
    };
    let case = parse_case("t", "run s.sh\n\tUSERPW=root:secret bob:pw\n").unwrap();
    let line = |h: &str, day: u32| format!("root:{h}:{day}:0:99999:7:::\n");
    let (a, b) = (hash("secret", "$6$saltone$"), hash("secret", "$6$salttwo$"));
    let (x, y, problems) = normalize_shadow(&case, &line(&a, 20000), &line(&b, 20000), false);
    assert_eq!((x.as_str(), problems.len()), (y.as_str(), 0));
    assert_eq!(x, "root:<$6$ hash of 'secret'>:20000:0:99999:7:::\n");
    // Another password, or another scheme, is a difference.
    let wrong = hash("other", "$6$saltone$");
    let (x, y, problems) = normalize_shadow(&case, &line(&a, 20000), &line(&wrong, 20000), false);
    assert!(x != y && problems.len() == 1, "{problems:?}");
    let md5 = hash("secret", "$1$saltone$");
    let (x, y, _) = normalize_shadow(&case, &line(&a, 20000), &line(&md5, 20000), false);
    assert_ne!(x, y);
    // The day is masked only when asked (the runs straddled midnight).
    let (x, y, _) = normalize_shadow(&case, &line("*", 20000), &line("*", 20001), false);
    assert_ne!(x, y);
    let (x, y, _) = normalize_shadow(&case, &line("*", 20000), &line("*", 20001), true);
    assert_eq!(x, y);
}

#[test]
fn compare_names_every_difference() {
    let case = parse_case("t", "run a.sh\n").unwrap();
    let outcome = |status: &str, mode: &str, text: &str, extra: bool| {
        let mut tree = BTreeMap::new();
        tree.insert(
            "etc/hosts".to_string(),
            Node::File {
                meta: format!("file {mode} 0:0"),
                text: text.to_string(),
            },
        );
        if extra {
            tree.insert(
                "dev/zero".to_string(),
                Node::Other {
                    meta: "char device 1,5 666 0:0".into(),
                },
            );
        }
        Outcome {
            steps: vec![StepResult {
                status: status.into(),
                stdout: "same\n".into(),
                ..StepResult::default()
            }],
            tree,
        }
    };
    let a = outcome("0", "644", "127.0.0.1 localhost\n", true);
    assert!(
        compare(
            &case,
            &a,
            &outcome("0", "644", "127.0.0.1 localhost\n", true)
        )
        .is_empty()
    );
    let diffs = compare(&case, &a, &outcome("1", "600", "127.0.0.1 other\n", false));
    assert_eq!(diffs.len(), 4, "{diffs:#?}");
    assert!(
        diffs[0].contains("status: reference 0, rbox 1"),
        "{}",
        diffs[0]
    );
    assert!(
        diffs[1].contains("/dev/zero: only in the reference run"),
        "{}",
        diffs[1]
    );
    assert!(
        diffs[2].contains("reference file 644 0:0, rbox file 600 0:0"),
        "{}",
        diffs[2]
    );
    assert!(diffs[3].contains("/etc/hosts line 1"), "{}", diffs[3]);
}
