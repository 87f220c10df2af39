//! sysctl, dmesg, getfattr and setfattr end to end, against the host's procps sysctl,
//! util-linux dmesg and the attr package's tools. Writes to kernel parameters happen only
//! inside UTS/network/IPC namespaces the test makes (`unshare`), the kernel log is never
//! cleared, and extended attributes are set only on files in scratch directories. A test
//! whose tool or privilege is missing says why on stderr and returns.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{rbox, scratch, text};

/// What a finished command left.
#[derive(Debug, PartialEq, Eq)]
struct Out {
    status: i32,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Out {
    fn out(&self) -> String {
        text(&self.stdout)
    }
    fn err(&self) -> String {
        text(&self.stderr)
    }
}

/// Longest any one command may run before it is killed and the test fails.
const LIMIT: Duration = Duration::from_secs(120);

/// Runs `program args` in `cwd` with `stdin`, LC_ALL=C and the usual system PATH; kills it
/// (and fails) if it outlives [`LIMIT`].
fn run(program: &Path, args: &[&str], stdin: &[u8], cwd: &Path) -> Out {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("LC_ALL", "C")
        .env("RBOX", rbox())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} {args:?} did not finish", program.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    writer.join().unwrap();
    Out {
        status: status.code().unwrap_or(128),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// `rbox APPLET args` in `cwd`.
fn rb(args: &[&str], stdin: &[u8], cwd: &Path) -> Out {
    run(rbox(), args, stdin, cwd)
}

/// The host's `tool`, if installed: its bare name (found through PATH when run), so
/// its messages carry the same program name as rbox's.
fn host(tool: &str) -> Option<PathBuf> {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .any(|d| Path::new(d).join(tool).is_file())
        .then(|| PathBuf::from(tool))
}

/// The host tools a test needs, or `None` after saying which one is missing.
fn hosts<const N: usize>(test: &str, tools: [&str; N]) -> Option<[PathBuf; N]> {
    let mut found = Vec::new();
    for t in tools {
        match host(t) {
            Some(p) => found.push(p),
            None => {
                eprintln!("{test}: skipped, the host has no {t}");
                return None;
            }
        }
    }
    found.try_into().ok()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Whether this process may make the namespaces the write tests use.
fn namespaces_work(test: &str) -> bool {
    let Some(unshare) = host("unshare") else {
        eprintln!("{test}: skipped, the host has no unshare");
        return false;
    };
    let r = run(
        &unshare,
        &["--uts", "--net", "--ipc", "--fork", "true"],
        b"",
        Path::new("/"),
    );
    if r.status != 0 {
        eprintln!("{test}: skipped, unshare refused: {}", r.err().trim());
        return false;
    }
    true
}

/// Runs shell `script` in fresh UTS, network and IPC namespaces ($RBOX is the binary).
fn in_namespaces(script: &str, cwd: &Path) -> Out {
    let unshare = host("unshare").expect("checked by namespaces_work");
    run(
        &unshare,
        &["--uts", "--net", "--ipc", "--fork", "/bin/sh", "-c", script],
        b"",
        cwd,
    )
}

/// Asserts that rbox's applet and the host tool give the same stdout, stderr and status.
fn same(tool: &Path, applet: &str, args: &[&str], cwd: &Path) {
    let want = run(tool, args, b"", cwd);
    let mut full = vec![applet];
    full.extend_from_slice(args);
    let got = rb(&full, b"", cwd);
    assert_eq!(
        (got.status, got.err(), got.out()),
        (want.status, want.err(), want.out()),
        "{applet} {args:?} differs from {}",
        tool.display()
    );
}

// ---------------------------------------------------------------------------- sysctl

#[test]
fn sysctl_reads_like_procps() {
    let Some([sysctl]) = hosts("sysctl_reads_like_procps", ["sysctl"]) else {
        return;
    };
    let d = scratch("sysctl-read");
    std::fs::write(
        d.join("conf"),
        "# comment\n; comment\n\n  kernel.ostype = BSD  \n-foo.bar = 1\nnoequals\n x\n-excluded.key\n=v\n",
    )
    .unwrap();
    for args in [
        &["kernel.ostype"][..],
        &["-n", "kernel.ostype", "kernel.osrelease"],
        &["kernel/ostype", "kernel.arch"],
        &["-N", "kernel"],
        &["foo.bar", "kernel.ostype", "baz/qux"],
        &["-e", "foo.bar", "kernel.ostype"],
        &["-n", "foo.bar"],
        &["vm.compact_memory", "-N"],
        &["kernel..ostype"],
        &["kernel//ostype"],
        &["../version"],
        &["-b", "kernel.ostype", "kernel.arch"],
        &["-r", "^kernel\\.(os|core_)", "kernel"],
        &["-r", "(", "kernel"],
        &["-w", "kernel.ostype"],
        &["-w", "foo.bar=1"],
        &["-e", "-w", "foo.bar=1"],
        &["=3"],
        &[""],
        &["-p", "/nonexistent/sysctl.conf"],
        &["-q", "-N", "kernel.ostype"],
        &["-n"],
        &["--dry-run", "-p", "conf"],
        &["--dry-run", "--system"],
    ] {
        same(&sysctl, "sysctl", args, &d);
    }
    // A read-only key: procps 4.0.2's message, but a failing status (procps exits 0).
    let want = run(&sysctl, &["-p", "conf"], b"", &d);
    let got = rb(&["sysctl", "-p", "conf"], b"", &d);
    assert_eq!((got.out(), got.err()), (want.out(), want.err()));
    assert!(
        got.err()
            .contains("sysctl: setting key \"kernel.ostype\": Invalid argument\n")
    );
    assert_eq!(got.status, 1);
    let got = rb(&["sysctl", "-w", "kernel.ostype=BSD"], b"", &d);
    assert_eq!(
        (got.status, got.err()),
        (
            1,
            "sysctl: setting key \"kernel.ostype\": Invalid argument\n".to_string()
        )
    );
}

/// Keys whose values move on their own from one read to the next.
const VOLATILE: &[&str] = &[
    "fs.dentry-state",
    "fs.file-nr",
    "fs.inode-nr",
    "fs.inode-state",
    "kernel.ns_last_pid",
    "kernel.pty.nr",
    "kernel.random.entropy_avail",
    "kernel.random.uuid",
];

#[test]
fn sysctl_listing_matches_procps() {
    let test = "sysctl_listing_matches_procps";
    let Some([_sysctl]) = hosts(test, ["sysctl"]) else {
        return;
    };
    if !namespaces_work(test) {
        return;
    }
    let d = scratch("sysctl-all");
    // One fresh network namespace, so every interface the listing shows is the same
    // for the three reads: procps, rbox, procps again.
    let r = in_namespaces(
        "sysctl -a >a.out 2>a.err; echo $? >a.st; \
         \"$RBOX\" sysctl -a >b.out 2>b.err; echo $? >b.st; \
         sysctl -a >c.out 2>c.err; \
         sysctl -N -a >an.out; \"$RBOX\" sysctl -N -a >bn.out; \
         sysctl -a --deprecated -N >ad.out; \"$RBOX\" sysctl --deprecated -aN >bd.out",
        &d,
    );
    assert_eq!(r.status, 0, "{}", r.err());
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    assert_eq!(read("bn.out"), read("an.out"));
    assert_eq!(read("bd.out"), read("ad.out"));
    assert!(read("an.out").lines().count() > 100);
    assert_eq!(read("b.err"), read("a.err"));
    assert_eq!(read("b.st"), read("a.st"));
    let pairs = |f: &str| -> Vec<(String, String)> {
        read(f)
            .lines()
            .map(|l| {
                let (k, v) = l.split_once(" = ").unwrap_or((l, ""));
                (k.to_string(), v.to_string())
            })
            .collect()
    };
    let (a, b, c) = (pairs("a.out"), pairs("b.out"), pairs("c.out"));
    let keys = |v: &[(String, String)]| v.iter().map(|p| p.0.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&b), keys(&a));
    assert_eq!(keys(&c), keys(&a));
    for ((pa, pb), pc) in a.iter().zip(&b).zip(&c) {
        if VOLATILE.contains(&pa.0.as_str()) {
            continue;
        }
        assert!(
            pb.1 == pa.1 || pb.1 == pc.1,
            "{}: rbox read {:?}, procps {:?} then {:?}",
            pa.0,
            pb.1,
            pa.1,
            pc.1
        );
    }
}

const WRITES: &str = r#"
T="$1"
$T -w kernel.hostname=rbox-ns net.ipv4.ip_forward=1 net.ipv4.conf.lo.forwarding=1; echo "status $?"
$T kernel.hostname=second; echo "status $?"
$T -q -w kernel.domainname=dom.example; echo "status $?"
$T -n -w net.ipv4.conf.default.forwarding=1; echo "status $?"
$T -N -w net.ipv4.conf.default.forwarding=0; echo "status $?"
$T --dry-run -w kernel.domainname=not-written; echo "status $?"
$T -w net.ipv4.ip_forward=abc; echo "status $?"
$T -w 'kernel.shmmax = 4096' kernel/msgmax=4096; echo "status $?"
$T -p conf; echo "status $?"
$T -e -p - <conf; echo "status $?"
$T kernel.hostname kernel.domainname net.ipv4.ip_forward kernel.shmmax kernel.msgmax
$T net.ipv4.conf.lo net.ipv4.conf.all.forwarding
cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_forward \
    /proc/sys/net/ipv4/conf/lo/forwarding /proc/sys/kernel/shmmax /proc/sys/kernel/msgmax
"#;

const CONF: &str = "# the namespaced keys only\n\
    kernel.hostname = from-file\n\
    net.ipv4.conf.*.rp_filter = 2\n\
    -net.ipv4.conf.lo.rp_filter\n\
    net.ipv4.conf.lo.rp_filter = 1\n\
    -net.ipv4.no_such_key = 1\n\
    kernel.ostype = read-only\n\
    noequals\n";

#[test]
fn sysctl_writes_inside_namespaces_like_procps() {
    let test = "sysctl_writes_inside_namespaces_like_procps";
    let Some([_sysctl]) = hosts(test, ["sysctl"]) else {
        return;
    };
    if !namespaces_work(test) {
        return;
    }
    let host_name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let d = scratch("sysctl-write");
    std::fs::write(d.join("conf"), CONF).unwrap();
    std::fs::write(d.join("writes.sh"), WRITES).unwrap();
    let procps = in_namespaces("sh writes.sh sysctl", &d);
    let ours = in_namespaces("sh writes.sh \"$RBOX sysctl\"", &d);
    assert_eq!(ours.err(), procps.err());
    assert_eq!(ours.status, 0, "{}", ours.err());
    let (got, want) = (ours.out(), procps.out());
    let (got, want): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    assert_eq!(got.len(), want.len(), "{}", ours.out());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        // The one deliberate difference: procps exits 0 after refusing to write the
        // read-only kernel.ostype (-e hides the other failure of that file); rbox fails.
        if g != w {
            assert_eq!((*g, *w), ("status 1", "status 0"), "line {}", i + 1);
        }
    }
    let out = ours.out();
    assert!(out.starts_with(
        "kernel.hostname = rbox-ns\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.lo.forwarding = 1\nstatus 0\n\
         kernel.hostname = second\nstatus 0\nstatus 0\n1\nstatus 0\n0\nstatus 0\n\
         kernel.domainname = not-written\nstatus 0\nstatus 1\n\
         kernel.shmmax = 4096\nkernel.msgmax = 4096\nstatus 0\n"
    ), "{out}");
    assert!(
        out.ends_with("from-file\ndom.example\n1\n1\n4096\n4096\n"),
        "{out}"
    );
    assert!(out.contains("net.ipv4.conf.lo.rp_filter = 1\n"), "{out}");
    assert!(out.contains("net.ipv4.conf.all.rp_filter = 2\n"), "{out}");
    assert!(
        ours.err()
            .contains("sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument\n")
    );
    assert!(
        ours.err()
            .contains("sysctl: conf(8): invalid syntax, continuing...\n")
    );
    // Nothing leaked out of the namespaces.
    assert_eq!(
        std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap(),
        host_name
    );
}

#[test]
fn sysctl_keys_of_interfaces_with_dots() {
    let test = "sysctl_keys_of_interfaces_with_dots";
    let Some([_sysctl, _ip]) = hosts(test, ["sysctl", "ip"]) else {
        return;
    };
    if !namespaces_work(test) {
        return;
    }
    let d = scratch("sysctl-vlan");
    let script = "ip link add v0.1 type veth peer name v1 || exit 99\n\
        for T in sysctl \"$RBOX sysctl\"; do\n\
          $T -w net.ipv4.conf.v0/1.forwarding=1 net/ipv4/conf/v0.1/rp_filter=2\n\
          $T net.ipv4.conf.v0/1.forwarding net/ipv4/conf/v0.1/rp_filter\n\
          $T -N -r 'v0/1\\.(forwarding|rp_filter)$' net.ipv4.conf\n\
          $T -w net.ipv4.conf.v0/1.forwarding=0 >/dev/null\n\
          cat /proc/sys/net/ipv4/conf/v0.1/forwarding\n\
        done\n";
    let r = in_namespaces(script, &d);
    if r.status == 99 {
        eprintln!("{test}: skipped, no veth pair: {}", r.err().trim());
        return;
    }
    assert_eq!(r.status, 0, "{}", r.err());
    let once = "net.ipv4.conf.v0/1.forwarding = 1\nnet.ipv4.conf.v0/1.rp_filter = 2\n\
                net.ipv4.conf.v0/1.forwarding = 1\nnet.ipv4.conf.v0/1.rp_filter = 2\n\
                net.ipv4.conf.v0/1.forwarding\nnet.ipv4.conf.v0/1.rp_filter\n0\n";
    assert_eq!(r.out(), format!("{once}{once}"));
    assert_eq!(r.err(), "");
}

#[test]
fn sysctl_refusals_for_an_unprivileged_user() {
    let test = "sysctl_refusals_for_an_unprivileged_user";
    let Some([_sysctl, _setpriv]) = hosts(test, ["sysctl", "setpriv"]) else {
        return;
    };
    if !is_root() {
        eprintln!("{test}: skipped, needs root to drop to nobody");
        return;
    }
    if !namespaces_work(test) {
        return;
    }
    let d = scratch("sysctl-nobody");
    std::fs::copy(rbox(), d.join("rbox")).unwrap();
    // Root-only entries are refused by name; writes as well (in a UTS namespace of our own).
    // Each run's stderr, then its stdout: their interleaving depends on buffering only.
    let script = "N='setpriv --reuid=65534 --regid=65534 --clear-groups'\n\
        run() { $N \"$@\" >o.$$ 2>e.$$; echo \"status $?\"; cat e.$$ o.$$; rm o.$$ e.$$; }\n\
        for T in sysctl \"$PWD/rbox sysctl\"; do\n\
          $N $T -a >all.$$ 2>err.$$; echo \"status $?\"; cat err.$$; sed 's/ = .*//' all.$$\n\
          rm all.$$ err.$$\n\
          run $T kernel.cad_pid kernel.ostype\n\
          run $T -w kernel.hostname=nobody\n\
          run $T -N kernel.cad_pid\n\
          echo ===\n\
        done\n";
    let r = in_namespaces(script, &d);
    assert_eq!(r.status, 0, "{}", r.err());
    let out = r.out();
    let halves: Vec<&str> = out.split("===\n").collect();
    assert_eq!(halves.len(), 3, "{out}");
    assert_eq!(halves[1], halves[0]);
    assert!(
        halves[1].contains(
            "status 1\nsysctl: permission denied on key 'kernel.cad_pid'\nkernel.ostype = Linux\n\
             status 1\nsysctl: permission denied on key \"kernel.hostname\"\n\
             status 0\nkernel.cad_pid\n"
        ),
        "{}",
        halves[1]
    );
}

// ----------------------------------------------------------------------------- dmesg

/// Checks that `ours` holds the same records as `before` and `after`, util-linux reads
/// taken just before and after it: records may arrive (at the end) or fall out of the
/// ring (at the start) between the reads, nothing else.
fn same_log(before: &str, ours: &str, after: &str, what: &str) {
    let (a, b, c): (Vec<&str>, Vec<&str>, Vec<&str>) = (
        before.lines().collect(),
        ours.lines().collect(),
        after.lines().collect(),
    );
    assert!(!b.is_empty(), "{what}: rbox read nothing");
    let fits = |older: &[&str], newer: &[&str]| {
        // Some place where `newer` starts inside `older`, after which `older` is a prefix
        // of `newer`.
        older
            .iter()
            .enumerate()
            .filter(|(_, l)| **l == newer[0])
            .any(|(i, _)| newer.starts_with(&older[i..]))
    };
    assert!(
        fits(&a, &b),
        "{what}: rbox's log does not continue util-linux's read before it"
    );
    if c.contains(&b[0]) {
        assert!(
            c.iter()
                .enumerate()
                .filter(|(_, l)| **l == b[0])
                .any(|(i, _)| c[i..].starts_with(&b)),
            "{what}: util-linux's later read does not continue rbox's"
        );
    }
}

#[test]
fn dmesg_matches_util_linux() {
    let test = "dmesg_matches_util_linux";
    let Some([dmesg]) = hosts(test, ["dmesg"]) else {
        return;
    };
    let d = scratch("dmesg");
    let probe = run(&dmesg, &[], b"", &d);
    if probe.status != 0 {
        // No right to read the log here: the refusal must read the same.
        same(&dmesg, "dmesg", &[], &d);
        eprintln!("{test}: the log is not readable here; compared the refusal only");
        return;
    }
    for (ul, ours) in [
        (&[][..], &["dmesg"][..]),
        (&["-r"], &["dmesg", "-r"]),
        (&["-t"], &["dmesg", "-t"]),
        (&["-S"], &["dmesg", "-S"]),
        (&["-S", "-s", "20000"], &["dmesg", "-s", "20000"]),
        (&["-S", "-s", "100"], &["dmesg", "-s", "100"]),
        (&["-x"], &["dmesg", "-x"]),
        (&["-l", "err,warn"], &["dmesg", "-l", "err,warn"]),
        (
            &["-k", "-t", "-l", "info"],
            &["dmesg", "-k", "-t", "-l", "info"],
        ),
        (
            &["-r", "-l", "notice", "-f", "kern"],
            &["dmesg", "-r", "-l", "notice", "-f", "kern"],
        ),
    ] {
        let a = run(&dmesg, ul, b"", &d);
        let b = rb(ours, b"", &d);
        let c = run(&dmesg, ul, b"", &d);
        assert_eq!((b.status, b.err()), (0, String::new()), "{ours:?}");
        same_log(&a.out(), &b.out(), &c.out(), &format!("{ours:?}"));
    }
}

#[test]
fn dmesg_refusals_without_privileges() {
    let test = "dmesg_refusals_without_privileges";
    let Some([dmesg, setpriv]) = hosts(test, ["dmesg", "setpriv"]) else {
        return;
    };
    if !is_root() {
        eprintln!("{test}: skipped, needs root to drop to nobody");
        return;
    }
    let d = scratch("dmesg-nobody");
    // A copy nobody can execute, whatever the permissions of the build tree.
    let bin = d.join("rbox");
    std::fs::copy(rbox(), &bin).unwrap();
    let drop = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    // Clearing the log is only ever tried without capabilities: check that first.
    let caps = run(
        &setpriv,
        &[&drop[..], &["grep", "CapEff", "/proc/self/status"]].concat(),
        b"",
        &d,
    );
    if caps.out().trim() != "CapEff:\t0000000000000000" {
        eprintln!(
            "{test}: skipped, setpriv kept capabilities: {}",
            caps.out().trim()
        );
        return;
    }
    let dm = dmesg.to_str().unwrap();
    let ours = bin.to_str().unwrap();
    for args in [&["-C"][..], &["-c"], &["-n", "4"], &["-D"], &["-E"], &[]] {
        let want = run(&setpriv, &[&drop[..], &[dm], args].concat(), b"", &d);
        let got = run(
            &setpriv,
            &[&drop[..], &[ours, "dmesg"], args].concat(),
            b"",
            &d,
        );
        assert_eq!(
            (got.status, got.err()),
            (want.status, want.err()),
            "dmesg {args:?}"
        );
        if !args.is_empty() {
            assert_eq!(got.status, 1, "dmesg {args:?} as nobody: {}", got.err());
        }
    }
    let got = run(
        &setpriv,
        &[&drop[..], &[ours, "dmesg", "-C"]].concat(),
        b"",
        &d,
    );
    assert_eq!(
        got.err(),
        "dmesg: clear kernel buffer failed: Operation not permitted\n"
    );
}

// ---------------------------------------------------------------------- getfattr/setfattr

/// A scratch directory whose file system takes user.* attributes, or `None` (said why).
fn xattr_dir(test: &str, tag: &str, setfattr: &Path) -> Option<PathBuf> {
    let d = scratch(tag);
    std::fs::write(d.join(".probe"), "").unwrap();
    let r = run(
        setfattr,
        &["-n", "user.probe", "-v", "1", ".probe"],
        b"",
        &d,
    );
    std::fs::remove_file(d.join(".probe")).unwrap();
    if r.status != 0 {
        eprintln!(
            "{test}: skipped, no user.* attributes here: {}",
            r.err().trim()
        );
        return None;
    }
    Some(d)
}

/// A tree with attributes of every kind of value, set with the attr tools.
fn attr_tree(d: &Path, setfattr: &Path) {
    for dir in ["d/sub", "e"] {
        std::fs::create_dir_all(d.join(dir)).unwrap();
    }
    for f in ["d/f1", "d/sub/f2", "t", "a\\b", "n\nl", "plain"] {
        std::fs::write(d.join(f), "x").unwrap();
    }
    std::os::unix::fs::symlink("t", d.join("d/lnk")).unwrap();
    std::os::unix::fs::symlink("d", d.join("dl")).unwrap();
    std::os::unix::fs::symlink("../d", d.join("e/dlink")).unwrap();
    for f in ["d", "d/f1", "d/sub", "d/sub/f2", "t", "a\\b", "n\nl", "e"] {
        let r = run(setfattr, &["-n", "user.k", "-v", f, f], b"", d);
        assert_eq!(r.status, 0, "{}", r.err());
    }
    for (name, value) in [
        ("user.bin", "0x0102ff"),
        ("user.x=y", "\"q\\\"uo\\\\te\""),
        ("user.nl", "\\012x\\015"),
        ("user.empty", ""),
        ("user.nul", "0x41424300"),
        ("user.sevenths", "0x61626364656667ff"),
        ("user.sixths", "0x616263646566ff"),
        ("user.b64", "0sAQIDBA=="),
    ] {
        let r = run(setfattr, &["-n", name, "-v", value, "t"], b"", d);
        assert_eq!(r.status, 0, "{name}: {}", r.err());
    }
    if is_root() {
        let r = run(setfattr, &["-n", "trusted.t", "-v", "secret", "t"], b"", d);
        assert_eq!(r.status, 0, "{}", r.err());
    }
}

#[test]
fn getfattr_output_matches_attr() {
    let test = "getfattr_output_matches_attr";
    let Some([getfattr, setfattr]) = hosts(test, ["getfattr", "setfattr"]) else {
        return;
    };
    let Some(d) = xattr_dir(test, "getfattr", &setfattr) else {
        return;
    };
    attr_tree(&d, &setfattr);
    let abs = d.join("t");
    let abs = abs.to_str().unwrap();
    for args in [
        &["-d", "t"][..],
        &["-d", "-e", "hex", "t"],
        &["-d", "-e", "base64", "t"],
        &["-d", "-e", "text", "t"],
        &["t"],
        &["-m", "-", "t"],
        &["-m", "", "-d", "t"],
        &["-d", "-m", "^user\\.(k|bin)$", "t", "d"],
        &["-R", "-d", "d"],
        &["-R", "-d", "dl"],
        &["-R", "-L", "-d", "e"],
        &["-R", "-P", "-d", "dl"],
        &["-R", "-d", "."],
        &["-R", "-d", "./d"],
        &["-d", "d/"],
        &["-h", "-d", "d/lnk"],
        &["-d", "d/lnk"],
        &["-n", "user.k", "--only-values", "t", "d"],
        &["--only-values", "-d", "t"],
        &["-n", "user.none", "t", "d"],
        &["-n", "user.k", "t", "nofile", "d"],
        &["-d", abs, "./t", ".//t"],
        &["--absolute-names", "-d", abs],
        &["-d", "a\\b", "n\nl"],
        &["-n", "user.x=y", "t"],
        &["-d", "plain"],
        &[],
        &["-e", "octal", "t"],
        &["-z", "t"],
        &["-n"],
        &["-m", "(", "t"],
    ] {
        same(&getfattr, "getfattr", args, &d);
    }
}

/// Runs `args` with the attr tool in one fresh copy of a small tree and with rbox in
/// another; the messages, statuses and resulting attributes must agree.
fn same_setfattr(test: &str, setfattr: &Path, getfattr: &Path, args: &[&str], stdin: &[u8]) {
    let mut results = Vec::new();
    for ours in [false, true] {
        let Some(d) = xattr_dir(test, "setfattr", setfattr) else {
            return;
        };
        for f in ["f", "g"] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        std::os::unix::fs::symlink("f", d.join("l")).unwrap();
        let r = run(setfattr, &["-n", "user.pre", "-v", "1", "f"], b"", &d);
        assert_eq!(r.status, 0);
        std::fs::write(d.join("dump"), DUMP).unwrap();
        let r = if ours {
            let mut full = vec!["setfattr"];
            full.extend_from_slice(args);
            rb(&full, stdin, &d)
        } else {
            run(setfattr, args, stdin, &d)
        };
        let state = run(
            getfattr,
            &["-h", "-R", "-d", "-m", "-", "-e", "hex", "."],
            b"",
            &d,
        );
        results.push((r.status, r.err(), r.out(), state.out(), state.err()));
    }
    if results.len() == 2 {
        assert_eq!(results[1], results[0], "setfattr {args:?}");
    }
}

const DUMP: &str = "# file: f\nuser.a=\"1\"\nuser.b\nuser.c=0x41\n\n\
                    # file: nofile\nuser.c=2\n\n\n\
                    # file: g\nuser.d=0sQQ==\nuser.e=0x4\nuser.f=\"x\\134y\\012\"\n";

#[test]
fn setfattr_matches_attr() {
    let test = "setfattr_matches_attr";
    let Some([setfattr, getfattr]) = hosts(test, ["setfattr", "getfattr"]) else {
        return;
    };
    for args in [
        &["-n", "user.a", "-v", "hello", "f", "g"][..],
        &["-n", "user.a", "f"],
        &["-n", "user.a", "-v", "0x01 02", "f"],
        &["-n", "user.a", "-v", "0sAQID", "f"],
        &["-n", "user.a", "-v", "\"x\\\\y\\\"z\\101\"", "f"],
        &["-n", "user.a", "-v", "\\q\\0123", "f"],
        &["-n", "user.a", "-v", "0x1", "f", "g"],
        &["-n", "user.a", "-v", "0sA", "f"],
        &["-n", "user.a", "-v", "0X41", "f"],
        &["-n", "user.q\\075r", "-v", "1", "f"],
        &["-x", "user.pre", "f"],
        &["-x", "user.none", "f"],
        &["-x", "user.pre", "nofile", "f"],
        &["-h", "-n", "user.a", "-v", "1", "l"],
        &["-n", "user.a", "-v", "1", "l"],
        &["-n", "foo", "-v", "1", "f"],
        &["-v", "1", "f"],
        &["-n", "user.a", "-x", "user.b", "f"],
        &[],
        &["-z", "f"],
        &["-n"],
        &["--restore=dump"],
        &["--restore", "dump", "-n", "user.z", "f"],
        &["-h", "--restore=dump"],
    ] {
        same_setfattr(test, &setfattr, &getfattr, args, b"");
    }
    same_setfattr(
        test,
        &setfattr,
        &getfattr,
        &["--restore=-"],
        DUMP.as_bytes(),
    );
    same_setfattr(
        test,
        &setfattr,
        &getfattr,
        &["--restore=-"],
        b"# file: f\nuser.a=1\n\nbad\n",
    );
    if is_root() {
        same_setfattr(
            test,
            &setfattr,
            &getfattr,
            &["-n", "trusted.t", "-v", "0x00ff", "f"],
            b"",
        );
        same_setfattr(
            test,
            &setfattr,
            &getfattr,
            &["-x", "trusted.none", "f"],
            b"",
        );
    }
}

#[test]
fn dump_and_restore_round_trip() {
    let test = "dump_and_restore_round_trip";
    let Some([setfattr, getfattr]) = hosts(test, ["setfattr", "getfattr"]) else {
        return;
    };
    let Some(src) = xattr_dir(test, "xattr-src", &setfattr) else {
        return;
    };
    attr_tree(&src, &setfattr);
    let dst = scratch("xattr-dst");
    for dir in ["d/sub", "e"] {
        std::fs::create_dir_all(dst.join(dir)).unwrap();
    }
    for f in ["d/f1", "d/sub/f2", "t", "a\\b", "n\nl", "plain"] {
        std::fs::write(dst.join(f), "x").unwrap();
    }
    std::os::unix::fs::symlink("t", dst.join("d/lnk")).unwrap();
    std::os::unix::fs::symlink("d", dst.join("dl")).unwrap();
    std::os::unix::fs::symlink("../d", dst.join("e/dlink")).unwrap();
    // rbox dumps the source, rbox restores into the copy, the attr tools compare.
    // The dangling d/lnk fails the dump (status 1) for both tools alike.
    // base64 keeps every byte (a text dump drops a final NUL, in attr's tools too).
    let args = ["-R", "-P", "-d", "-m", "-", "-e", "base64", "."];
    same(&getfattr, "getfattr", &args, &src);
    let dump = rb(&[&["getfattr"][..], &args].concat(), b"", &src);
    let r = rb(&["setfattr", "--restore=-"], &dump.stdout, &dst);
    assert_eq!((r.status, r.err()), (0, String::new()));
    let view = |d: &Path| {
        run(
            &getfattr,
            &["-R", "-P", "-d", "-m", "-", "-e", "hex", "."],
            b"",
            d,
        )
    };
    let (a, b) = (view(&src), view(&dst));
    assert_eq!((b.status, b.err()), (a.status, a.err()));
    assert_eq!(b.out(), a.out());
    assert!(a.out().contains("user.x\\075y=0x"), "{}", a.out());
}

#[test]
fn capabilities_as_base64() {
    let test = "capabilities_as_base64";
    let Some([_setfattr, getfattr, setcap, getcap]) =
        hosts(test, ["setfattr", "getfattr", "setcap", "getcap"])
    else {
        return;
    };
    if !is_root() {
        eprintln!("{test}: skipped, security.capability needs root");
        return;
    }
    let d = scratch("caps");
    for (cap, value) in [
        ("cap_net_raw", "0sAQAAAgAgAAAAAAAAAAAAAAAAAAA="),
        ("cap_net_bind_service", "0sAQAAAgAEAAAAAAAAAAAAAAAAAAA="),
    ] {
        let (ours, theirs) = (format!("{cap}.rbox"), format!("{cap}.setcap"));
        std::fs::write(d.join(&ours), "x").unwrap();
        std::fs::write(d.join(&theirs), "x").unwrap();
        let r = rb(
            &["setfattr", "-n", "security.capability", "-v", value, &ours],
            b"",
            &d,
        );
        assert_eq!((r.status, r.err()), (0, String::new()));
        let r = run(&setcap, &[&format!("{cap}+ep"), &theirs], b"", &d);
        assert_eq!(r.status, 0, "{}", r.err());
        let raw = |f: &str| {
            run(
                &getfattr,
                &["-n", "security.capability", "--only-values", f],
                b"",
                &d,
            )
            .stdout
        };
        assert_eq!(raw(&ours), raw(&theirs), "{cap}");
        assert_eq!(
            run(&getcap, &[&ours], b"", &d).out(),
            format!("{ours} {cap}=ep\n")
        );
        // And rbox shows setcap's value as the attr tool does.
        same(
            &getfattr,
            "getfattr",
            &["-n", "security.capability", &theirs],
            &d,
        );
        same(
            &getfattr,
            "getfattr",
            &["-d", "-m", "^security\\.", &theirs],
            &d,
        );
        let r = rb(&["getfattr", "-n", "security.capability", &theirs], b"", &d);
        assert_eq!(
            r.out(),
            format!("# file: {theirs}\nsecurity.capability={value}\n\n")
        );
    }
}

#[test]
fn xattr_refusals_for_an_unprivileged_user() {
    let test = "xattr_refusals_for_an_unprivileged_user";
    let Some([setfattr, getfattr, setpriv]) = hosts(test, ["setfattr", "getfattr", "setpriv"])
    else {
        return;
    };
    if !is_root() {
        eprintln!("{test}: skipped, needs root to drop to nobody");
        return;
    }
    let Some(d) = xattr_dir(test, "xattr-nobody", &setfattr) else {
        return;
    };
    let bin = d.join("rbox");
    std::fs::copy(rbox(), &bin).unwrap();
    std::fs::write(d.join("rootfile"), "x").unwrap();
    std::fs::write(d.join("mine"), "x").unwrap();
    std::os::unix::fs::chown(d.join("mine"), Some(65534), Some(65534)).unwrap();
    let r = run(&setfattr, &["-n", "trusted.t", "-v", "1", "mine"], b"", &d);
    assert_eq!(r.status, 0, "{}", r.err());
    let drop = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let ours = bin.to_str().unwrap();
    for (tool, args) in [
        (&setfattr, &["-n", "user.a", "-v", "1", "rootfile"][..]),
        (&setfattr, &["-n", "trusted.a", "-v", "1", "mine"]),
        (&setfattr, &["-n", "user.a", "-v", "1", "mine"]),
        (&setfattr, &["-x", "trusted.t", "mine"]),
        (&getfattr, &["-d", "-m", "-", "mine"]),
        (&getfattr, &["-n", "trusted.t", "mine"]),
    ] {
        let name = tool.file_name().unwrap().to_str().unwrap();
        let want = run(
            &setpriv,
            &[&drop[..], &[tool.to_str().unwrap()], args].concat(),
            b"",
            &d,
        );
        let got = run(
            &setpriv,
            &[&drop[..], &[ours, name], args].concat(),
            b"",
            &d,
        );
        assert_eq!(
            (got.status, got.err(), got.out()),
            (want.status, want.err(), want.out()),
            "{name} {args:?}"
        );
    }
    let got = run(
        &setpriv,
        &[
            &drop[..],
            &[ours, "setfattr", "-n", "user.a", "-v", "1", "rootfile"],
        ]
        .concat(),
        b"",
        &d,
    );
    assert_eq!(
        (got.status, got.err()),
        (1, "setfattr: rootfile: Permission denied\n".to_string())
    );
}
