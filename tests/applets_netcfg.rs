//! Network configuration applets (ifconfig, route, hostname, nslookup, ping) run for real
//! inside a fresh network + UTS + mount namespace the test makes with `unshare`: only
//! `lo` and a veth pair exist there, so nothing leaves it and the host is untouched.
//! Listings are compared byte for byte with `busybox` run in the same namespace, settings
//! are checked with the host's iproute2 `ip`. A test prints why and returns when
//! namespaces cannot be made (not root).

mod support;

use std::os::fd::AsRawFd;
use std::process::{Child, Command, Output, Stdio};

use support::{rbox, scratch, text};

/// A network/UTS/mount namespace kept alive by a `sleep` inside it.
struct Ns {
    child: Child,
    pid: String,
    /// The file mounted over /etc/resolv.conf inside (when the host has one to mount
    /// over: see [`Ns::conf_mounted`]).
    conf: std::path::PathBuf,
}

impl Ns {
    /// A new namespace with `lo` up, a veth pair `v0`/`v1` and, bind-mounted over
    /// /etc/resolv.conf, a file naming 127.0.0.1 (nothing from the host's resolver
    /// setup is used); `None` when refused.
    fn new() -> Option<Ns> {
        let dir = scratch("ns");
        let conf = dir.join("resolv.conf");
        std::fs::write(&conf, "nameserver 127.0.0.1\n").ok()?;
        let mut child = Command::new("unshare")
            .args(["--net", "--uts", "--mount", "--fork", "sh", "-c"])
            .arg(
                "ip link set lo up && ip link add v0 type veth peer name v1 && \
                 { [ ! -e /etc/resolv.conf ] || mount --bind \"$1\" /etc/resolv.conf; } && \
                 echo $$ && exec sleep 120",
            )
            .arg("sh")
            .arg(&conf)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        {
            use std::io::BufRead;
            let out = child.stdout.take()?;
            let _ = std::io::BufReader::new(out).read_line(&mut line);
        }
        let pid = line.trim().to_string();
        if pid.is_empty() {
            let _ = child.kill();
            let out = child.wait_with_output().ok()?;
            eprintln!("skipped: cannot make a namespace: {}", text(&out.stderr));
            return None;
        }
        Some(Ns { child, pid, conf })
    }

    /// Runs `argv` inside the namespace.
    fn run(&self, argv: &[&str]) -> Output {
        Command::new("nsenter")
            .args(["-t", &self.pid, "-n", "-u", "-m", "--"])
            .args(argv)
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .expect("nsenter")
    }

    /// Runs rbox APPLET ARGS inside the namespace.
    fn rbox(&self, args: &[&str]) -> Output {
        let mut argv = vec![rbox().to_str().unwrap()];
        argv.extend_from_slice(args);
        self.run(&argv)
    }

    /// Runs a shell command line inside the namespace; its stdout, asserting success.
    fn sh(&self, script: &str) -> String {
        let out = self.run(&["sh", "-c", script]);
        assert!(out.status.success(), "{script}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    /// Whether writes to `conf` reach /etc/resolv.conf inside; tests of resolv.conf
    /// settings skip with a reason otherwise.
    fn conf_mounted(&self) -> bool {
        let ok = std::path::Path::new("/etc/resolv.conf").exists();
        if !ok {
            eprintln!("skipped: the host has no /etc/resolv.conf to mount over");
        }
        ok
    }

    /// The namespace's network namespace file, for `setns` from a test thread.
    fn netns_file(&self) -> std::fs::File {
        std::fs::File::open(format!("/proc/{}/ns/net", self.pid)).expect("open netns")
    }
}

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(&self.pid).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (status, stdout, stderr) as text.
fn res(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr),
    )
}

/// Whether the host has busybox, to compare with (CI installs it).
fn have_busybox() -> bool {
    Command::new("busybox")
        .arg("true")
        .status()
        .is_ok_and(|s| s.success())
}

/// The `ip -o addr show dev IF` lines, without the index and the lifetimes.
fn addrs(ns: &Ns, dev: &str) -> String {
    ns.sh(&format!("ip -o addr show dev {dev}"))
        .lines()
        .map(|l| {
            let l = l.split_once(": ").map_or(l, |(_, rest)| rest);
            // DAD's "tentative" comes and goes with the link state: not checked.
            let l = l.split('\\').next().unwrap_or(l).replace(" tentative", "");
            format!("{}\n", l.trim_end())
        })
        .collect()
}

#[test]
fn ifconfig_lists_like_busybox() {
    let Some(ns) = Ns::new() else { return };
    ns.sh("ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up && \
         ip addr add 10.9.9.9/8 dev v0 label v0:1 && \
         ip -6 addr add 2001:db8::5/64 dev v0 nodad");
    let lo = ns.rbox(&["ifconfig", "lo"]);
    assert_eq!(res(&lo).0, 0, "{}", text(&lo.stderr));
    let lo = text(&lo.stdout);
    assert!(
        lo.starts_with(
            "lo        Link encap:Local Loopback  \n\
             \x20         inet addr:127.0.0.1  Mask:255.0.0.0\n\
             \x20         inet6 addr: ::1/128 Scope:Host\n\
             \x20         UP LOOPBACK RUNNING  MTU:65536  Metric:1\n\
             \x20         RX packets:"
        ),
        "{lo}"
    );
    assert!(
        lo.ends_with(" (0.0 B)\n\n") || lo.contains("RX bytes:"),
        "{lo}"
    );
    let all = text(&ns.rbox(&["ifconfig", "-a"]).stdout);
    let names: Vec<&str> = all
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(names, ["lo", "v0", "v0:1", "v1"]);
    let up = text(&ns.rbox(&["ifconfig"]).stdout);
    assert!(!up.contains("v1 "), "{up}");
    assert!(
        up.contains("v0:1      Link encap:Ethernet  HWaddr "),
        "{up}"
    );
    assert!(
        up.contains("          inet addr:10.1.2.3  Bcast:0.0.0.0  Mask:255.255.255.0\n"),
        "{up}"
    );
    assert!(
        up.contains("          inet6 addr: 2001:db8::5/64 Scope:Global\n"),
        "{up}"
    );
    assert_eq!(
        res(&ns.rbox(&["ifconfig", "nosuch"])),
        (
            1,
            String::new(),
            "ifconfig: nosuch: error fetching interface information: Device not found\n".into()
        )
    );
    if !have_busybox() {
        eprintln!("busybox missing: listings not compared with it");
        return;
    }
    for args in [
        &[][..],
        &["-a"],
        &["v0"],
        &["v0:1"],
        &["lo"],
        &["v1"],
        &["nosuch"],
    ] {
        let mut bb = vec!["busybox", "ifconfig"];
        bb.extend_from_slice(args);
        let mut ours = vec!["ifconfig"];
        ours.extend_from_slice(args);
        // Counters may move between the two runs only through traffic; there is none.
        assert_eq!(res(&ns.rbox(&ours)), res(&ns.run(&bb)), "ifconfig {args:?}");
    }
}

#[test]
fn ifconfig_sets_addresses_flags_and_mtu() {
    let Some(ns) = Ns::new() else { return };
    let ok = |args: &[&str]| {
        let o = ns.rbox(args);
        assert_eq!(res(&o), (0, String::new(), String::new()), "{args:?}");
    };
    ok(&["ifconfig", "v1", "10.3.3.3"]);
    assert_eq!(
        addrs(&ns, "v1"),
        "v1    inet 10.3.3.3/8 brd 10.255.255.255 scope global v1\n"
    );
    let flags = ns.sh("ip -o link show v1");
    assert!(
        flags.contains(",UP"),
        "an address brings the interface up: {flags}"
    );
    ok(&[
        "ifconfig",
        "v1",
        "netmask",
        "255.255.0.0",
        "broadcast",
        "10.3.255.254",
        "mtu",
        "1400",
        "hw",
        "ether",
        "02:00:00:00:00:09",
    ]);
    ok(&["ifconfig", "v1:2", "10.4.4.4", "netmask", "255.255.255.0"]);
    ok(&["ifconfig", "v1", "add", "2001:db8::9/64"]);
    ok(&["ifconfig", "v1", "-arp", "promisc"]);
    assert_eq!(
        addrs(&ns, "v1"),
        "v1    inet 10.3.3.3/16 brd 10.3.255.254 scope global v1\n\
         v1    inet 10.4.4.4/24 brd 10.4.4.255 scope global v1:2\n\
         v1    inet6 2001:db8::9/64 scope global\n"
    );
    let link = ns.sh("ip -o link show v1");
    assert!(link.contains("NOARP,PROMISC,UP"), "{link}");
    assert!(link.contains(" mtu 1400 "), "{link}");
    assert!(link.contains("link/ether 02:00:00:00:00:09 "), "{link}");
    ok(&["ifconfig", "v1", "del", "2001:db8::9/64"]);
    assert!(!addrs(&ns, "v1").contains("inet6"));
    // A label taken down loses its address; a bare IPv6 operand is added.
    ok(&["ifconfig", "v1:2", "down"]);
    ok(&["ifconfig", "v1", "2001:db8::7/64"]);
    assert_eq!(
        addrs(&ns, "v1"),
        "v1    inet 10.3.3.3/16 brd 10.3.255.254 scope global v1\n\
         v1    inet6 2001:db8::7/64 scope global\n"
    );
    ok(&["ifconfig", "v1", "down", "arp", "-promisc"]);
    let link = ns.sh("ip -o link show v1");
    assert!(link.contains("<BROADCAST,MULTICAST,M-DOWN>"), "{link}");
    ok(&[
        "ifconfig",
        "v0",
        "10.7.0.1",
        "pointopoint",
        "10.7.0.2",
        "-broadcast",
    ]);
    // veth cannot take the POINTOPOINT flag: the kernel keeps the peer address only.
    assert!(
        addrs(&ns, "v0").contains("inet 10.7.0.1 peer 10.7.0.2/8 "),
        "{}",
        addrs(&ns, "v0")
    );
    let err = |args: &[&str], msg: &str| {
        assert_eq!(
            res(&ns.rbox(args)),
            (1, String::new(), format!("ifconfig: {msg}\n")),
            "{args:?}"
        );
    };
    err(
        &["ifconfig", "v1", "del", "2001:db8::9/64"],
        "SIOCDIFADDR: Cannot assign requested address",
    );
    err(
        &["ifconfig", "v1", "hw", "ether", "zz"],
        "invalid hw-addr zz",
    );
    err(
        &["ifconfig", "v1", "mtu", "abc"],
        "SIOCSIFMTU: Invalid argument",
    );
    err(
        &["ifconfig", "nosuch", "up"],
        "SIOCGIFFLAGS: No such device",
    );
    err(&["ifconfig", "v1", "bogus"], "bad address 'bogus'");
    err(&["ifconfig", "v1", "add", "zz::1"], "bad address 'zz::1'");
    err(
        &["ifconfig", "nosuch", "10.0.0.1"],
        "SIOCSIFADDR: No such device",
    );
    let usage = res(&ns.rbox(&["ifconfig", "v1", "netmask"]));
    assert_eq!(usage.0, 1);
    assert!(
        usage
            .2
            .starts_with("ifconfig: 'netmask' needs an argument\n"),
        "{}",
        usage.2
    );
}

#[test]
fn route_adds_deletes_and_lists_like_busybox() {
    let Some(ns) = Ns::new() else { return };
    ns.sh("ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up && \
         ip -6 addr add 2001:db8::5/64 dev v0 nodad");
    let ok = |args: &[&str]| {
        let o = ns.rbox(args);
        assert_eq!(res(&o), (0, String::new(), String::new()), "{args:?}");
    };
    ok(&[
        "route",
        "add",
        "-net",
        "10.5.0.0",
        "netmask",
        "255.255.0.0",
        "gw",
        "10.1.2.1",
    ]);
    ok(&["route", "add", "-host", "10.6.0.1", "dev", "v0"]);
    ok(&["route", "add", "default", "gw", "10.1.2.1", "metric", "5"]);
    ok(&[
        "route",
        "add",
        "-net",
        "10.7.0.0/16",
        "dev",
        "v0",
        "metric",
        "3",
    ]);
    ok(&["route", "add", "10.8.0.0", "v0"]);
    ok(&[
        "route",
        "add",
        "-net",
        "10.11.0.0",
        "netmask",
        "255.255.0.0",
        "reject",
    ]);
    assert_eq!(
        ns.sh("ip route"),
        "default via 10.1.2.1 dev v0 metric 5 linkdown \n\
         10.1.2.0/24 dev v0 proto kernel scope link src 10.1.2.3 linkdown \n\
         10.5.0.0/16 via 10.1.2.1 dev v0 linkdown \n\
         10.6.0.1 dev v0 scope link linkdown \n\
         10.7.0.0/16 dev v0 scope link metric 3 linkdown \n\
         10.8.0.0 dev v0 scope link linkdown \n\
         unreachable 10.11.0.0/16 scope host \n"
    );
    let listing = ns.rbox(&["route", "-n"]);
    assert_eq!(
        res(&listing),
        (
            0,
            "Kernel IP routing table\n\
             Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n\
             0.0.0.0         10.1.2.1        0.0.0.0         UG    5      0        0 v0\n\
             10.1.2.0        0.0.0.0         255.255.255.0   U     0      0        0 v0\n\
             10.5.0.0        10.1.2.1        255.255.0.0     UG    0      0        0 v0\n\
             10.6.0.1        0.0.0.0         255.255.255.255 UH    0      0        0 v0\n\
             10.7.0.0        0.0.0.0         255.255.0.0     U     3      0        0 v0\n\
             10.8.0.0        0.0.0.0         255.255.255.255 UH    0      0        0 v0\n\
             10.11.0.0       0.0.0.0         255.255.0.0     !     0      0        0 *\n"
                .into(),
            String::new()
        )
    );
    ok(&[
        "route",
        "-A",
        "inet6",
        "add",
        "2001:db8:1::/48",
        "dev",
        "v0",
    ]);
    ok(&[
        "route",
        "-A",
        "inet6",
        "add",
        "2001:db8:2::/48",
        "gw",
        "fe80::1",
        "dev",
        "v0",
    ]);
    ok(&[
        "route", "-A", "inet6", "add", "default", "gw", "fe80::1", "v0",
    ]);
    let six = ns.sh("ip -6 route show dev v0");
    assert!(six.contains("2001:db8:1::/48 metric 1 linkdown"), "{six}");
    assert!(
        six.contains("2001:db8:2::/48 via fe80::1 metric 1 linkdown"),
        "{six}"
    );
    assert!(
        six.contains("default via fe80::1 metric 1 linkdown"),
        "{six}"
    );
    if have_busybox() {
        for args in [
            &["-n"][..],
            &[],
            &["-e"],
            &["-ne"],
            &["-A", "inet6"],
            &["-A", "inet6", "-n"],
        ] {
            let mut bb = vec!["busybox", "route"];
            bb.extend_from_slice(args);
            let mut ours = vec!["route"];
            ours.extend_from_slice(args);
            assert_eq!(res(&ns.rbox(&ours)), res(&ns.run(&bb)), "route {args:?}");
        }
    } else {
        eprintln!("busybox missing: listings not compared with it");
    }
    ok(&["route", "del", "-net", "10.5.0.0", "netmask", "255.255.0.0"]);
    ok(&["route", "del", "default"]);
    ok(&[
        "route",
        "-A",
        "inet6",
        "del",
        "2001:db8:1::/48",
        "dev",
        "v0",
    ]);
    let routes = ns.sh("ip route; ip -6 route show dev v0");
    assert!(
        !routes.contains("10.5.0.0") && !routes.contains("default via 10.1.2.1"),
        "{routes}"
    );
    assert!(!routes.contains("2001:db8:1::/48"), "{routes}");
    let err = |args: &[&str], msg: &str| {
        assert_eq!(
            res(&ns.rbox(args)),
            (1, String::new(), format!("route: {msg}\n")),
            "{args:?}"
        );
    };
    err(
        &["route", "del", "-net", "10.5.0.0", "netmask", "255.255.0.0"],
        "SIOCDELRT: No such process",
    );
    err(
        &[
            "route",
            "add",
            "-net",
            "10.8.0.0",
            "netmask",
            "255.255.0.0",
            "gw",
            "10.99.0.1",
        ],
        "SIOCADDRT: Network is unreachable",
    );
    err(
        &["route", "add", "-net", "10.12.0.0/16", "dev", "nosuch"],
        "SIOCADDRT: No such device",
    );
    err(
        &[
            "route",
            "add",
            "-net",
            "10.7.0.0/16",
            "dev",
            "v0",
            "metric",
            "3",
        ],
        "SIOCADDRT: File exists",
    );
    err(&["route", "add", "nosuch.name"], "resolving nosuch.name");
    err(
        &["route", "add", "-net", "10.0.0.1", "netmask", "255.0.0.0"],
        "netmask and route address conflict",
    );
    err(
        &[
            "route",
            "add",
            "-host",
            "10.9.0.0",
            "netmask",
            "255.255.0.0",
        ],
        "netmask 0000ffff and host route conflict",
    );
    err(
        &[
            "route",
            "-A",
            "inet6",
            "add",
            "2001:db8:3::/48",
            "dev",
            "nosuch",
        ],
        "SIOCGIFINDEX: No such device",
    );
    err(
        &[
            "route",
            "-A",
            "inet6",
            "del",
            "2001:db8:9::/48",
            "dev",
            "v0",
        ],
        "SIOCDELRT: No such process",
    );
    err(
        &["route", "-A", "inet6", "add", "zz::/48"],
        "resolving zz::",
    );
    let usage = res(&ns.rbox(&["route", "add"]));
    assert_eq!(usage.0, 1);
    assert!(usage.2.starts_with("route: bad arguments\n"), "{}", usage.2);
    let usage = res(&ns.rbox(&["route", "-A", "ipx"]));
    assert!(
        usage.2.starts_with("route: unknown address family 'ipx'\n"),
        "{}",
        usage.2
    );
}

/// A small authoritative-looking DNS server on 127.0.0.1:53 (UDP and TCP) inside a
/// namespace, answering from a fixed table; stopped and joined on drop.
struct Dns {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// The table: (name, type, rdata) with names in lower case.
fn dns_table() -> Vec<(&'static str, u16, Vec<u8>)> {
    let name = |n: &str| {
        let mut v = Vec::new();
        for l in n.split('.') {
            v.push(l.len() as u8);
            v.extend_from_slice(l.as_bytes());
        }
        v.push(0);
        v
    };
    let mut t = vec![
        ("host.test", 1, vec![10, 0, 0, 1]),
        (
            "host.test",
            28,
            "2001:db8::1"
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
                .octets()
                .to_vec(),
        ),
        ("v4only.test", 1, vec![10, 0, 0, 2]),
        ("alias.test", 5, name("host.test")),
        ("mail.test", 15, [vec![0, 10], name("mx.test")].concat()),
        ("txt.test", 16, b"\x0bhello world".to_vec()),
        ("test", 2, name("ns1.test")),
        ("1.0.0.10.in-addr.arpa", 12, name("host.test")),
        ("srch.example", 1, vec![10, 0, 0, 3]),
        ("pinghost.example", 1, vec![127, 0, 0, 1]),
        (
            "lo6.test",
            28,
            std::net::Ipv6Addr::LOCALHOST.octets().to_vec(),
        ),
    ];
    let mut soa = [name("ns1.test"), name("admin.test")].concat();
    for v in [2024u32, 3600, 600, 86400, 300] {
        soa.extend_from_slice(&v.to_be_bytes());
    }
    t.push(("test", 6, soa));
    for i in 0..40u8 {
        t.push(("big.test", 1, vec![10, 1, 0, i]));
    }
    t
}

/// The answer to one query message (None for garbage); `udp` truncates past 512 bytes.
fn dns_answer(q: &[u8], udp: bool) -> Option<Vec<u8>> {
    let mut pos = 12;
    let mut labels = Vec::new();
    loop {
        let n = *q.get(pos)? as usize;
        pos += 1;
        if n == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(q.get(pos..pos + n)?).to_ascii_lowercase());
        pos += n;
    }
    let qname = labels.join(".");
    let qtype = u16::from_be_bytes([*q.get(pos)?, *q.get(pos + 1)?]);
    let question = q.get(12..pos + 4)?;
    let table = dns_table();
    let known = table.iter().any(|(n, _, _)| *n == qname);
    let mut records: Vec<&(&str, u16, Vec<u8>)> = table
        .iter()
        .filter(|(n, t, _)| *n == qname && (*t == qtype || *t == 5))
        .collect();
    // Follow one CNAME, as a recursive server would.
    if let Some((_, 5, _)) = records.first()
        && qtype != 5
    {
        records.extend(
            table
                .iter()
                .filter(|(n, t, _)| *n == "host.test" && *t == qtype),
        );
    }
    let mut m = q[..2].to_vec();
    let rcode = if known { 0 } else { 3 };
    m.extend_from_slice(&[0x81, 0x80 | rcode, 0, 1]);
    m.extend_from_slice(&(records.len() as u16).to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(question);
    for (owner, t, rd) in &records {
        if *owner == qname {
            m.extend_from_slice(&[0xc0, 12]);
        } else {
            for l in owner.split('.') {
                m.push(l.len() as u8);
                m.extend_from_slice(l.as_bytes());
            }
            m.push(0);
        }
        m.extend_from_slice(&t.to_be_bytes());
        m.extend_from_slice(&[0, 1, 0, 0, 0x0e, 0x10]);
        m.extend_from_slice(&(rd.len() as u16).to_be_bytes());
        m.extend_from_slice(rd);
    }
    if udp && m.len() > 512 {
        m.truncate(12 + question.len());
        m[2] |= 0x02;
        m[6..8].copy_from_slice(&[0, 0]);
    }
    Some(m)
}

impl Dns {
    /// Starts the server inside `ns`' network namespace (each thread joins it by setns).
    fn start(ns: &Ns) -> Dns {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let (tx, rx) = std::sync::mpsc::channel();
        let mut threads = Vec::new();
        for tcp in [false, true] {
            let file = ns.netns_file();
            let stop = stop.clone();
            let tx = tx.clone();
            threads.push(std::thread::spawn(move || {
                // SAFETY: setns on a namespace fd we own; it moves only this thread.
                let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
                assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
                let started = std::time::Instant::now();
                let bounded = || {
                    !stop.load(Ordering::Relaxed)
                        && started.elapsed() < std::time::Duration::from_secs(120)
                };
                if tcp {
                    use std::io::{Read, Write};
                    let l = std::net::TcpListener::bind("127.0.0.1:53").expect("bind tcp 53");
                    l.set_nonblocking(true).unwrap();
                    tx.send(()).unwrap();
                    while bounded() {
                        let Ok((mut c, _)) = l.accept() else {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            continue;
                        };
                        c.set_nonblocking(false).unwrap();
                        c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                            .unwrap();
                        let mut len = [0u8; 2];
                        if c.read_exact(&mut len).is_err() {
                            continue;
                        }
                        let mut q = vec![0u8; u16::from_be_bytes(len) as usize];
                        if c.read_exact(&mut q).is_err() {
                            continue;
                        }
                        if let Some(a) = dns_answer(&q, false) {
                            let mut framed = (a.len() as u16).to_be_bytes().to_vec();
                            framed.extend_from_slice(&a);
                            let _ = c.write_all(&framed);
                        }
                    }
                } else {
                    let s = std::net::UdpSocket::bind("127.0.0.1:53").expect("bind udp 53");
                    s.set_read_timeout(Some(std::time::Duration::from_millis(100)))
                        .unwrap();
                    tx.send(()).unwrap();
                    let mut buf = [0u8; 1500];
                    while bounded() {
                        if let Ok((n, from)) = s.recv_from(&mut buf)
                            && let Some(a) = dns_answer(&buf[..n], true)
                        {
                            let _ = s.send_to(&a, from);
                        }
                    }
                }
            }));
        }
        for _ in 0..2 {
            rx.recv_timeout(std::time::Duration::from_secs(10))
                .expect("dns server started");
        }
        Dns { stop, threads }
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

#[test]
fn nslookup_asks_the_resolv_conf_server() {
    let Some(ns) = Ns::new() else { return };
    if !ns.conf_mounted() {
        return;
    }
    let _dns = Dns::start(&ns);
    std::fs::write(&ns.conf, "search example\nnameserver 127.0.0.1\n").unwrap();
    let head = "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\n";
    let na = "Non-authoritative answer:\n";
    let expect = |args: &[&str], status: i32, body: &str| {
        let mut argv = vec!["nslookup"];
        argv.extend_from_slice(args);
        assert_eq!(
            res(&ns.rbox(&argv)),
            (status, format!("{head}{body}"), String::new()),
            "{args:?}"
        );
    };
    expect(
        &["host.test"],
        0,
        &format!(
            "{na}Name:\thost.test\nAddress: 10.0.0.1\n\n{na}Name:\thost.test\nAddress: 2001:db8::1\n\n"
        ),
    );
    expect(
        &["nosuch.test"],
        1,
        "** server can't find nosuch.test: NXDOMAIN\n\n** server can't find nosuch.test: NXDOMAIN\n\n",
    );
    expect(
        &["10.0.0.1"],
        0,
        &format!("{na}1.0.0.10.in-addr.arpa\tname = host.test\n\n"),
    );
    expect(
        &["srch"],
        0,
        &format!("{na}Name:\tsrch.example\nAddress: 10.0.0.3\n\n{na}\n"),
    );
    // 40 addresses do not fit in 512 bytes: the truncated UDP answer is asked again over
    // TCP (busybox prints nothing there).
    let big: String = (0..40)
        .map(|i| format!("Name:\tbig.test\nAddress: 10.1.0.{i}\n"))
        .collect();
    expect(&["-type=a", "big.test"], 0, &format!("{na}{big}\n"));
    expect(
        &["-query=MX", "mail.test", "127.0.0.1"],
        0,
        &format!("{na}mail.test\tmail exchanger = 10 mx.test\n\n"),
    );
    let refused = ns.rbox(&["nslookup", "-port=54", "host.test"]);
    assert_eq!(
        res(&refused),
        (
            1,
            ";; connection timed out; no servers could be reached\n\n".into(),
            "nslookup: write to '127.0.0.1': Connection refused\n".into()
        )
    );
    assert_eq!(
        res(&ns.rbox(&["nslookup", "host.test", "10.99.0.1"])),
        (
            1,
            String::new(),
            "nslookup: can't connect to remote host (10.99.0.1): Network is unreachable\n".into()
        )
    );
    assert_eq!(
        res(&ns.rbox(&["nslookup", "-type=bogus", "host.test"])),
        (
            1,
            String::new(),
            "nslookup: invalid query type \"bogus\"\n".into()
        )
    );
    if !have_busybox() {
        eprintln!("busybox missing: nslookup not compared with it");
        return;
    }
    for args in [
        &["host.test"][..],
        &["v4only.test"],
        &["nosuch.test"],
        &["alias.test"],
        &["-type=mx", "mail.test"],
        &["-type=txt", "txt.test"],
        &["-type=ns", "test"],
        &["-type=ns", "test."],
        &["-type=soa", "test."],
        &["-type=aaaa", "host.test"],
        &["-query=ptr", "1.0.0.10.in-addr.arpa"],
        &["10.0.0.1"],
        &["::1"],
        &["srch"],
        &["host.test", "127.0.0.1"],
        &["-port=53", "host.test"],
        &["-type=a", "nosuch.test"],
        &["-port=54", "host.test"],
        &["host.test", "10.99.0.1"],
        &["-type=bogus", "host.test"],
    ] {
        let mut bb = vec!["busybox", "nslookup"];
        bb.extend_from_slice(args);
        let mut ours = vec!["nslookup"];
        ours.extend_from_slice(args);
        assert_eq!(res(&ns.rbox(&ours)), res(&ns.run(&bb)), "nslookup {args:?}");
    }
}

/// Output with every `time=` and round-trip figure replaced by `T`.
fn mask_times(s: &str) -> String {
    s.lines()
        .map(|l| {
            if let Some(p) = l.find("time=") {
                format!("{}time=T ms\n", &l[..p])
            } else if l.starts_with("round-trip min/avg/max = ") {
                "round-trip min/avg/max = T/T/T ms\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

#[test]
fn ping_loopback_and_unreachable() {
    let Some(ns) = Ns::new() else { return };
    ns.sh("ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up");
    let stats = |host: &str, tx: u32, rx: u32| {
        let loss = (tx - rx) * 100 / tx;
        let mut s = format!(
            "\n--- {host} ping statistics ---\n{tx} packets transmitted, {rx} packets received, {loss}% packet loss\n"
        );
        if rx > 0 {
            s.push_str("round-trip min/avg/max = T/T/T ms\n");
        }
        s
    };
    let two = ns.rbox(&["ping", "-c", "2", "-i", "0.2", "127.0.0.1"]);
    assert_eq!(
        (
            res(&two).0,
            mask_times(&text(&two.stdout)),
            text(&two.stderr)
        ),
        (
            0,
            format!(
                "PING 127.0.0.1 (127.0.0.1): 56 data bytes\n\
                 64 bytes from 127.0.0.1: seq=0 ttl=64 time=T ms\n\
                 64 bytes from 127.0.0.1: seq=1 ttl=64 time=T ms\n{}",
                stats("127.0.0.1", 2, 2)
            ),
            String::new()
        )
    );
    let quiet = ns.rbox(&["ping", "-q", "-c", "1", "-s", "100", "-t", "9", "localhost"]);
    assert_eq!(
        (res(&quiet).0, mask_times(&text(&quiet.stdout))),
        (
            0,
            format!(
                "PING localhost (127.0.0.1): 100 data bytes\n{}",
                stats("localhost", 1, 1)
            )
        )
    );
    let six = ns.rbox(&["ping", "-6", "-c", "1", "::1"]);
    assert_eq!(
        mask_times(&text(&six.stdout)),
        format!(
            "PING ::1 (::1): 56 data bytes\n64 bytes from ::1: seq=0 ttl=64 time=T ms\n{}",
            stats("::1", 1, 1)
        )
    );
    // 10.1.2.9 is on v0's subnet but nobody answers: the request goes nowhere.
    let lost = ns.rbox(&["ping", "-W", "1", "-c", "1", "10.1.2.9"]);
    assert_eq!(
        res(&lost),
        (
            1,
            format!(
                "PING 10.1.2.9 (10.1.2.9): 56 data bytes\n{}",
                stats("10.1.2.9", 1, 0)
            ),
            String::new()
        )
    );
    let deadline = ns.rbox(&["ping", "-c", "3", "-w", "1", "10.1.2.9"]);
    assert_eq!(res(&deadline).0, 1);
    assert_eq!(
        res(&ns.rbox(&["ping", "-c", "1", "10.99.0.1"])),
        (
            1,
            "PING 10.99.0.1 (10.99.0.1): 56 data bytes\n".into(),
            "ping: sendto: Network is unreachable\n".into()
        )
    );
    assert_eq!(
        res(&ns.rbox(&["ping", "-c", "1", "nosuch.test"])),
        (1, String::new(), "ping: bad address 'nosuch.test'\n".into())
    );
    assert_eq!(
        res(&ns.rbox(&["ping", "-4", "-c", "1", "::1"])),
        (1, String::new(), "ping: bad address '::1'\n".into())
    );
    // Unprivileged ping sockets allowed (per namespace): the SOCK_DGRAM path, same lines.
    ns.sh("echo '0 2147483647' > /proc/sys/net/ipv4/ping_group_range");
    for (args, addr) in [
        (&["-c", "1", "127.0.0.1"][..], "127.0.0.1"),
        (&["-6", "-c", "1", "::1"], "::1"),
    ] {
        let mut argv = vec!["ping"];
        argv.extend_from_slice(args);
        let o = ns.rbox(&argv);
        assert_eq!(
            (res(&o).0, mask_times(&text(&o.stdout))),
            (
                0,
                format!(
                    "PING {addr} ({addr}): 56 data bytes\n64 bytes from {addr}: seq=0 ttl=64 time=T ms\n{}",
                    stats(addr, 1, 1)
                )
            ),
            "{args:?}"
        );
    }
    ns.sh("echo '1 0' > /proc/sys/net/ipv4/ping_group_range");
    if have_busybox() {
        let bb = ns.run(&["busybox", "ping", "-c", "2", "-i", "0.2", "127.0.0.1"]);
        assert_eq!(
            mask_times(&text(&bb.stdout)),
            mask_times(&text(&two.stdout))
        );
        let bb = ns.run(&["busybox", "ping", "-W", "1", "-c", "1", "10.1.2.9"]);
        assert_eq!(res(&bb), res(&lost));
    }
}

#[test]
fn hostname_sets_and_reads_etc_hosts_in_a_uts_namespace() {
    let Some(ns) = Ns::new() else { return };
    let dir = scratch("hostname");
    let hosts = dir.join("hosts");
    std::fs::write(
        &hosts,
        "127.0.0.1 localhost\n10.0.0.5\tweb.example.org web\n2001:db8::5 web.example.org web\n\
         10.0.0.6 web\n",
    )
    .unwrap();
    let name_file = dir.join("name");
    std::fs::write(&name_file, "# the box\n\n  box1 extra\nbox2 # last wins\n").unwrap();
    ns.sh(&format!("mount --bind {} /etc/hosts", hosts.display()));
    let out = |args: &[&str]| res(&ns.rbox(args));
    let ok = |s: &str| (0, s.to_string(), String::new());
    let fail = |e: &str| (1, String::new(), e.to_string());
    assert_eq!(out(&["hostname", "web"]), ok(""));
    assert_eq!(ns.sh("uname -n"), "web\n");
    assert_eq!(out(&["hostname"]), ok("web\n"));
    assert_eq!(out(&["hostname", "-f"]), ok("web.example.org\n"));
    assert_eq!(out(&["hostname", "-s"]), ok("web\n"));
    assert_eq!(out(&["hostname", "-d"]), ok("example.org\n"));
    assert_eq!(out(&["dnsdomainname"]), ok("example.org\n"));
    assert_eq!(out(&["hostname", "-i"]), ok("10.0.0.5 10.0.0.6\n"));
    assert_eq!(
        out(&["hostname", "-F", name_file.to_str().unwrap()]),
        ok("")
    );
    assert_eq!(ns.sh("uname -n"), "box2\n");
    let lookup = "hostname: box2: Host name lookup failure\n";
    assert_eq!(out(&["hostname", "-f"]), fail(lookup));
    assert_eq!(out(&["hostname", "-i"]), fail(lookup));
    assert_eq!(out(&["hostname", "-d"]), fail(lookup));
    assert_eq!(out(&["hostname", "a.b.c"]), ok(""));
    assert_eq!(out(&["hostname", "-s"]), ok("a\n"));
    assert_eq!(
        out(&["hostname", &"x".repeat(70)]),
        fail("hostname: sethostname: Invalid argument\n")
    );
    assert_eq!(
        out(&["hostname", "-F", "/nonexistent"]),
        fail("hostname: can't open '/nonexistent': No such file or directory\n")
    );
    assert_eq!(out(&["hostname", "-F", "/dev/null"]), ok(""));
    assert_eq!(out(&["hostname"]), ok("a.b.c\n"));
    if have_busybox() {
        for args in [&["-f"][..], &["-s"], &["-d"], &["-i"], &[]] {
            let mut bb = vec!["busybox", "hostname"];
            bb.extend_from_slice(args);
            let mut ours = vec!["hostname"];
            ours.extend_from_slice(args);
            assert_eq!(res(&ns.rbox(&ours)), res(&ns.run(&bb)), "hostname {args:?}");
        }
        ns.sh("hostname web");
        for args in [&["-f"][..], &["-d"], &["-i"]] {
            let mut bb = vec!["busybox", "hostname"];
            bb.extend_from_slice(args);
            let mut ours = vec!["hostname"];
            ours.extend_from_slice(args);
            assert_eq!(res(&ns.rbox(&ours)), res(&ns.run(&bb)), "hostname {args:?}");
        }
    }
}

#[test]
fn resolver_search_list_aaaa_and_timeouts() {
    let Some(ns) = Ns::new() else { return };
    if !ns.conf_mounted() {
        return;
    }
    ns.sh("ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up");
    let _dns = Dns::start(&ns);
    std::fs::write(&ns.conf, "domain example\nnameserver 127.0.0.1\n").unwrap();
    // One label: the search domain is tried first (ndots:1), then the name as given.
    let o = ns.rbox(&["ping", "-c", "1", "pinghost"]);
    assert_eq!(res(&o).0, 0, "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with(
            "PING pinghost (127.0.0.1): 56 data bytes\n64 bytes from 127.0.0.1: seq=0 "
        ),
        "{}",
        text(&o.stdout)
    );
    let o = ns.rbox(&["ping", "-6", "-c", "1", "lo6.test"]);
    assert!(
        text(&o.stdout)
            .starts_with("PING lo6.test (::1): 56 data bytes\n64 bytes from ::1: seq=0 "),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(
        res(&ns.rbox(&["ping", "-c", "1", "nosuch.test"])),
        (1, String::new(), "ping: bad address 'nosuch.test'\n".into())
    );
    // With ndots:2 a one-dot name goes through the search list first, found there.
    std::fs::write(
        &ns.conf,
        "search nowhere example\noptions ndots:2\nnameserver 127.0.0.1\n",
    )
    .unwrap();
    let o = ns.rbox(&["ping", "-c", "1", "-q", "pinghost"]);
    assert_eq!(res(&o).0, 0, "{}", text(&o.stderr));
    // A nameserver that never answers: one attempt of one second, then the message.
    std::fs::write(
        &ns.conf,
        "nameserver 10.1.2.9\noptions timeout:1 attempts:1\n",
    )
    .unwrap();
    assert_eq!(
        res(&ns.rbox(&["nslookup", "host.test"])),
        (
            1,
            ";; connection timed out; no servers could be reached\n\n".into(),
            String::new()
        )
    );
    assert_eq!(
        res(&ns.rbox(&["ping", "-c", "1", "host.test"])),
        (1, String::new(), "ping: bad address 'host.test'\n".into())
    );
    // The second nameserver answers when the first does not.
    std::fs::write(
        &ns.conf,
        "nameserver 10.1.2.9\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    )
    .unwrap();
    let o = ns.rbox(&["nslookup", "-type=a", "host.test"]);
    assert_eq!(
        res(&o),
        (
            0,
            "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\nNon-authoritative answer:\n\
             Name:\thost.test\nAddress: 10.0.0.1\n\n"
                .into(),
            String::new()
        )
    );
}

#[test]
fn ping_prints_statistics_on_sigint() {
    use std::io::{BufRead, Read};
    let Some(ns) = Ns::new() else { return };
    // nsenter without --pid execs the command itself: the child is ping.
    let mut child = Command::new("nsenter")
        .args(["-t", &ns.pid, "-n", "-u", "-m", "--"])
        .arg(rbox())
        .args(["ping", "-i", "0.2", "127.0.0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nsenter ping");
    let pid = child.id() as i32;
    // Bound the whole run: kill ping if it is still there after a minute.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let guard = std::thread::spawn(move || {
        if done_rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .is_err()
        {
            // SAFETY: kill(2) on the child we started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut head = String::new();
    for _ in 0..3 {
        out.read_line(&mut head).unwrap();
    }
    // SAFETY: kill(2) on the child we started.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    let _ = done_tx.send(());
    guard.join().unwrap();
    let all = mask_times(&(head + &rest));
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines[0], "PING 127.0.0.1 (127.0.0.1): 56 data bytes");
    assert_eq!(lines[1], "64 bytes from 127.0.0.1: seq=0 ttl=64 time=T ms");
    assert_eq!(lines[2], "64 bytes from 127.0.0.1: seq=1 ttl=64 time=T ms");
    let stats_at = lines
        .iter()
        .position(|l| l.starts_with("--- "))
        .expect("statistics");
    assert_eq!(lines[stats_at - 1], "");
    assert_eq!(lines[stats_at], "--- 127.0.0.1 ping statistics ---");
    let n = stats_at - 2;
    let counts = lines[stats_at + 1];
    assert!(
        counts == format!("{n} packets transmitted, {n} packets received, 0% packet loss")
            || counts
                == format!(
                    "{} packets transmitted, {n} packets received, {}% packet loss",
                    n + 1,
                    100 / (n + 1)
                ),
        "{counts}"
    );
    assert_eq!(lines[stats_at + 2], "round-trip min/avg/max = T/T/T ms");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn route_names_gateways_from_etc_hosts_and_adds_networks_by_name() {
    let Some(ns) = Ns::new() else { return };
    let dir = scratch("route-names");
    std::fs::write(
        dir.join("hosts"),
        "10.1.2.1 gw.lan\n10.6.0.1 hostroute.lan\n",
    )
    .unwrap();
    std::fs::write(dir.join("networks"), "lan 10.5.0.0\n").unwrap();
    // Files are only mounted over, never created on the host: without an /etc/networks
    // the network is given by number.
    let networks = std::path::Path::new("/etc/networks").exists();
    ns.sh(&format!(
        "mount --bind {d}/hosts /etc/hosts && \
         {{ [ {n} = false ] || mount --bind {d}/networks /etc/networks; }} && \
         ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up",
        d = dir.display(),
        n = networks
    ));
    let lan = if networks { "lan" } else { "10.5.0.0" };
    for args in [
        &["add", "-net", lan, "netmask", "255.255.0.0", "gw", "gw.lan"][..],
        &["add", "-host", "hostroute.lan", "dev", "v0"],
        &["add", "-net", "10.9.0.0/16", "gw", "10.1.2.9"],
    ] {
        let mut argv = vec!["route"];
        argv.extend_from_slice(args);
        assert_eq!(
            res(&ns.rbox(&argv)),
            (0, String::new(), String::new()),
            "{args:?}"
        );
    }
    let listing = text(&ns.rbox(&["route"]).stdout);
    assert_eq!(
        listing,
        "Kernel IP routing table\n\
         Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n\
         10.1.2.0        *               255.255.255.0   U     0      0        0 v0\n\
         10.5.0.0        gw.lan          255.255.0.0     UG    0      0        0 v0\n\
         10.6.0.1        *               255.255.255.255 UH    0      0        0 v0\n\
         10.9.0.0        10.1.2.9        255.255.0.0     UG    0      0        0 v0\n"
    );
    if have_busybox() {
        for args in [&[][..], &["-e"]] {
            let mut bb = vec!["busybox", "route"];
            bb.extend_from_slice(args);
            let mut ours = vec!["route"];
            ours.extend_from_slice(args);
            assert_eq!(res(&ns.rbox(&ours)), res(&ns.run(&bb)), "route {args:?}");
        }
    }
}

#[test]
fn works_in_an_empty_root() {
    let Some(ns) = Ns::new() else { return };
    let _dns = Dns::start(&ns);
    let root = scratch("empty-root");
    // A hard link when the scratch directory is on the same file system, else a copy.
    if std::fs::hard_link(rbox(), root.join("rbox")).is_err() {
        std::fs::copy(rbox(), root.join("rbox")).unwrap();
    }
    let root_dir = root.clone();
    let root = root.to_str().unwrap().to_string();
    let inside = |args: &[&str]| {
        let mut argv = vec!["chroot", root.as_str(), "/rbox"];
        argv.extend_from_slice(args);
        res(&ns.run(&argv))
    };
    // No /proc: the ioctls still answer, counters and IPv6 lines come from rtnetlink.
    let lo = inside(&["ifconfig", "lo"]);
    assert_eq!(lo, res(&ns.rbox(&["ifconfig", "lo"])));
    assert!(
        lo.1.contains("inet6 addr: ::1/128 Scope:Host\n") && lo.1.contains("RX packets:"),
        "{lo:?}"
    );
    assert_eq!(
        inside(&["ifconfig", "v0", "10.1.2.3", "netmask", "255.255.255.0"]).0,
        0
    );
    assert_eq!(inside(&["route", "add", "default", "gw", "10.1.2.1"]).0, 0);
    assert!(ns.sh("ip route").starts_with("default via 10.1.2.1 dev v0"));
    let table = inside(&["route", "-n"]);
    assert_eq!(table, res(&ns.rbox(&["route", "-n"])));
    assert!(
        table.1.contains(
            "0.0.0.0         10.1.2.1        0.0.0.0         UG    0      0        0 v0\n"
        ),
        "{table:?}"
    );
    assert_eq!(
        inside(&["hostname", "box"]),
        (0, String::new(), String::new())
    );
    assert_eq!(inside(&["hostname"]), (0, "box\n".into(), String::new()));
    // No resolv.conf: the nameserver is 127.0.0.1, where the test's server answers.
    assert_eq!(
        inside(&["nslookup", "-type=a", "host.test"]),
        (
            0,
            "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1:53\n\nNon-authoritative answer:\n\
             Name:\thost.test\nAddress: 10.0.0.1\n\n"
                .into(),
            String::new()
        )
    );
    let (status, out, _) = inside(&["ping", "-c", "1", "pinghost.example"]);
    assert_eq!(status, 0);
    assert!(
        out.starts_with("PING pinghost.example (127.0.0.1): 56 data bytes\n"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(root_dir);
}

/// A directory holding only the rbox binary, to chroot into: no /proc, no /etc.
struct EmptyRoot(std::path::PathBuf);

impl EmptyRoot {
    fn new(tag: &str) -> EmptyRoot {
        let root = scratch(tag);
        if std::fs::hard_link(rbox(), root.join("rbox")).is_err() {
            std::fs::copy(rbox(), root.join("rbox")).unwrap();
        }
        EmptyRoot(root)
    }

    /// `rbox ARGS` chrooted there, inside `ns`.
    fn run(&self, ns: &Ns, args: &[&str]) -> (i32, String, String) {
        let root = self.0.to_str().unwrap();
        let mut argv = vec!["chroot", root, "/rbox"];
        argv.extend_from_slice(args);
        res(&ns.run(&argv))
    }
}

impl Drop for EmptyRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The IPv6 table with its Ref column blanked: the kernel's reference count of a route
/// is in the file but not in a route dump.
fn without_ref(table: &str) -> String {
    table
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split_whitespace().collect();
            if f.len() == 7 && f[0] != "Destination" {
                f[4] = "-";
            }
            format!("{}\n", f.join(" "))
        })
        .collect()
}

#[test]
fn route_lists_the_same_tables_without_proc() {
    let Some(ns) = Ns::new() else { return };
    ns.sh("ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up && \
         ip -6 addr add 2001:db8::5/64 dev v0 nodad && \
         ip -6 addr add 2001:db8:77::1/64 dev lo && \
         ip route add default via 10.1.2.1 metric 5 && \
         ip route add 10.5.0.0/16 via 10.1.2.1 advmss 1360 window 1000 rtt 100ms && \
         ip route add 10.6.0.1 dev v0 && \
         ip route add unreachable 10.11.0.0/16 && ip route add prohibit 10.14.0.0/16 && \
         ip route add blackhole 10.12.0.0/16 && \
         ip route add 10.13.0.0/16 nexthop via 10.1.2.7 dev v0 nexthop via 10.1.2.8 dev v0 && \
         ip route add local 10.20.0.1 dev v0 table main && \
         ip route add 10.30.0.0/16 dev v0 table 100 && \
         ip -6 route add 2001:db8:1::/48 dev v0 && \
         ip -6 route add 2001:db8:2::/48 via fe80::1 dev v0 onlink && \
         ip -6 route add unreachable 2001:db8:9::/48 && \
         ip -6 route add 2001:db8:6::/48 nexthop via fe80::2 dev v0 nexthop via fe80::3 dev v0 && \
         ip -6 route add 2001:db8:3::/48 dev v0 table 100");
    let root = EmptyRoot::new("route-no-proc");
    for args in [&["-n"][..], &["-e"], &["-ne"], &[]] {
        let mut argv = vec!["route"];
        argv.extend_from_slice(args);
        let with_proc = res(&ns.rbox(&argv));
        assert_eq!(with_proc.0, 0, "{with_proc:?}");
        assert_eq!(root.run(&ns, &argv), with_proc, "route {args:?}");
    }
    let proc = res(&ns.rbox(&["route", "-ne"])).1;
    assert!(
        proc.contains(
            "10.5.0.0        10.1.2.1        255.255.0.0     UG     1400 1000     100 v0\n"
        ) && proc.contains(
            "10.13.0.0       10.1.2.7        255.255.0.0     UG        0 0          0 v0\n"
        ) && !proc.contains("10.30.0.0"),
        "{proc}"
    );
    for args in [&["-A", "inet6", "-n"][..], &["-A", "inet6"]] {
        let mut argv = vec!["route"];
        argv.extend_from_slice(args);
        let (status, out, err) = res(&ns.rbox(&argv));
        assert_eq!((status, err.as_str()), (0, ""), "{out}");
        let (status2, out2, err2) = root.run(&ns, &argv);
        assert_eq!((status2, err2.as_str()), (0, ""), "{out2}");
        assert_eq!(without_ref(&out2), without_ref(&out), "route {args:?}");
        // Every table's lines, the null entries and the two next hops are there.
        assert!(
            out2.contains("2001:db8:6::/48                             fe80::3                                 UG    1024   1        0 v0      \n")
                && out2.contains("2001:db8:2::/48                             fe80::1                                 UGH   1024   1        0 v0      \n")
                && out2.contains("2001:db8:77::/64                            ::                                      !n    256    1        0 lo      \n")
                && out2.matches("::/0                                        ::                                      !n    -1     1        0 lo").count() == 3,
            "{out2}"
        );
    }
}

#[test]
fn ifconfig_lists_the_same_without_proc() {
    let Some(ns) = Ns::new() else { return };
    // The IPv6 addresses go on v1, which stays down: an up interface sends MLD reports
    // for them, moving its counters between the runs compared.
    ns.sh("ip addr add 10.1.2.3/24 dev v0 && ip link set v0 up && \
         ip addr add 10.9.9.9/8 dev v0 label v0:1 && \
         ip -6 addr add fd00::5/64 dev v1 nodad && \
         ip -6 addr add 2001:db8::5/64 dev v1 nodad && \
         ip -6 addr add 2001:db8::1/64 dev v1 nodad && \
         ip -6 addr add ::10.0.0.1/96 dev v1 nodad");
    let root = EmptyRoot::new("ifconfig-no-proc");
    for args in [
        &[][..],
        &["-a"],
        &["v0"],
        &["v0:1"],
        &["lo"],
        &["v1"],
        &["nosuch"],
    ] {
        let mut argv = vec!["ifconfig"];
        argv.extend_from_slice(args);
        assert_eq!(
            root.run(&ns, &argv),
            res(&ns.rbox(&argv)),
            "ifconfig {args:?}"
        );
    }
    let all = root.run(&ns, &["ifconfig", "-a"]);
    let names: Vec<&str> = all
        .1
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(names, ["lo", "v0", "v0:1", "v1"]);
    // An interface's IPv6 addresses in address order, whatever the file's hash order;
    // the compat scope comes from the address, its text is inet_ntop's dotted tail.
    let v1 = root.run(&ns, &["ifconfig", "v1"]).1;
    assert!(
        v1.contains(
            "          inet6 addr: ::10.0.0.1/96 Scope:Compat\n\
             \x20         inet6 addr: 2001:db8::1/64 Scope:Global\n\
             \x20         inet6 addr: 2001:db8::5/64 Scope:Global\n\
             \x20         inet6 addr: fd00::5/64 Scope:Global\n"
        ) && v1.contains("RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n"),
        "{v1}"
    );
}

#[test]
fn ifconfig_takes_an_address_family_word() {
    let Some(ns) = Ns::new() else { return };
    let ok = |args: &[&str]| {
        let o = ns.rbox(args);
        assert_eq!(res(&o), (0, String::new(), String::new()), "{args:?}");
    };
    ok(&[
        "ifconfig",
        "v1",
        "inet",
        "10.3.3.3",
        "netmask",
        "255.255.255.0",
    ]);
    ok(&["ifconfig", "v1", "inet6", "add", "fd00::2/64"]);
    ok(&["ifconfig", "v1", "inet6", "fd00::3/64"]);
    assert_eq!(
        addrs(&ns, "v1"),
        "v1    inet 10.3.3.3/24 brd 10.3.3.255 scope global v1\n\
         v1    inet6 fd00::3/64 scope global\n\
         v1    inet6 fd00::2/64 scope global\n"
    );
    ok(&["ifconfig", "v1", "inet6", "del", "fd00::2/64"]);
    ok(&["ifconfig", "v1", "inet6", "del", "fd00::3/64"]);
    assert!(!addrs(&ns, "v1").contains("inet6"), "{}", addrs(&ns, "v1"));
    assert_eq!(
        res(&ns.rbox(&["ifconfig", "v1", "inet6", "del", "fd00::2/64"])),
        (
            1,
            String::new(),
            "ifconfig: SIOCDIFADDR: Cannot assign requested address\n".into()
        )
    );
    // With inet6 named, an IPv4-looking operand is no IPv6 address.
    assert_eq!(
        res(&ns.rbox(&["ifconfig", "v1", "inet6", "add", "10.0.0.1"])),
        (
            1,
            String::new(),
            "ifconfig: bad address '10.0.0.1'\n".into()
        )
    );
}
