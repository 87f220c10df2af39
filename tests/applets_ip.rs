//! `ip` end to end, each test in a fresh network namespace (`unshare --net --fork`: only
//! `lo`, nothing leaves it): rbox's `ip` makes every change, and after each one the host's
//! iproute2 `ip` and rbox's print the same state, byte for byte, with the same stderr and
//! status. Needs root, util-linux `unshare` and iproute2; without them a test says why and
//! returns.

mod support;

use std::path::Path;
use std::process::Command;

use support::{rbox, scratch, text};

/// One step of a scenario.
enum Step {
    /// rbox's `ip ARGS`, which must succeed silently.
    Do(&'static str),
    /// rbox's `ip ARGS` and iproute2's, which must agree on stdout, stderr and status.
    Same(&'static str),
    /// rbox's `ip ARGS` with this stderr and status and no output (for changes that
    /// succeed, which iproute2 could not then repeat).
    Expect(&'static str, &'static str, u8),
    /// Like `Same`, with rbox run from an empty root holding only the binary (`$D/root`,
    /// made by an `Sh` step): nothing `ip` prints may come from files.
    Chroot(&'static str),
    /// A shell command (setup inside the namespace, e.g. a sysctl).
    Sh(&'static str),
}
use Step::{Chroot, Do, Expect, Same, Sh};

/// Why this machine cannot run the scenarios, if it cannot.
fn unavailable() -> Option<String> {
    let ok = |prog: &str, args: &[&str]| {
        Command::new(prog)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !ok("unshare", &["--net", "--fork", "true"]) {
        return Some("unshare --net is refused (not root?)".into());
    }
    if !ok("ip", &["-V"]) && !Path::new("/sbin/ip").exists() {
        return Some("iproute2's ip is not installed".into());
    }
    None
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Runs the steps in one new network namespace and checks each.
fn scenario(tag: &str, steps: &[Step]) {
    if let Some(why) = unavailable() {
        eprintln!("skipping ip scenario {tag}: {why}");
        return;
    }
    let dir = scratch(&format!("ip-{tag}"));
    let mut script = String::from("PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH\n");
    script.push_str(&format!(
        "R={}\nD={}\n",
        quote(&rbox().display().to_string()),
        quote(&dir.display().to_string())
    ));
    for (n, step) in steps.iter().enumerate() {
        match step {
            Do(args) | Expect(args, ..) => script.push_str(&format!(
                "\"$R\" ip {args} >$D/{n}.rbox.out 2>$D/{n}.rbox.err; echo $? >$D/{n}.rbox.rc\n"
            )),
            Same(args) => script.push_str(&format!(
                "ip {args} >$D/{n}.host.out 2>$D/{n}.host.err; echo $? >$D/{n}.host.rc\n\
                 \"$R\" ip {args} >$D/{n}.rbox.out 2>$D/{n}.rbox.err; echo $? >$D/{n}.rbox.rc\n"
            )),
            Chroot(args) => script.push_str(&format!(
                "ip {args} >$D/{n}.host.out 2>$D/{n}.host.err; echo $? >$D/{n}.host.rc\n\
                 chroot $D/root /rbox ip {args} >$D/{n}.rbox.out 2>$D/{n}.rbox.err; echo $? >$D/{n}.rbox.rc\n"
            )),
            Sh(cmd) => script.push_str(&format!("{cmd}\n")),
        }
    }
    let path = dir.join("script.sh");
    std::fs::write(&path, script).unwrap();
    // Every command in the script returns at once; the timeout only bounds a hang.
    let out = Command::new("timeout")
        .args(["120", "unshare", "--net", "--fork", "sh"])
        .arg(&path)
        .output()
        .expect("run unshare");
    assert!(
        out.status.success(),
        "scenario {tag} failed to run: {}",
        text(&out.stderr)
    );
    let read = |n: usize, who: &str, what: &str| {
        std::fs::read_to_string(dir.join(format!("{n}.{who}.{what}"))).unwrap_or_default()
    };
    for (n, step) in steps.iter().enumerate() {
        match step {
            Do(args) => {
                let (o, e, rc) = (
                    read(n, "rbox", "out"),
                    read(n, "rbox", "err"),
                    read(n, "rbox", "rc"),
                );
                assert_eq!(
                    (rc.trim(), e.as_str(), o.as_str()),
                    ("0", "", ""),
                    "{tag} step {n}: rbox ip {args}"
                );
            }
            Same(args) | Chroot(args) => {
                for what in ["out", "err", "rc"] {
                    assert_eq!(
                        read(n, "rbox", what),
                        read(n, "host", what),
                        "{tag} step {n}: ip {args}: std{what} differs (left rbox, right iproute2)"
                    );
                }
            }
            Expect(args, err, status) => {
                let (o, e, rc) = (
                    read(n, "rbox", "out"),
                    read(n, "rbox", "err"),
                    read(n, "rbox", "rc"),
                );
                assert_eq!(
                    (rc.trim(), e.as_str(), o.as_str()),
                    (status.to_string().as_str(), *err, ""),
                    "{tag} step {n}: rbox ip {args}"
                );
            }
            Sh(_) => {}
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn loopback_in_every_listing_form() {
    scenario(
        "lo",
        &[
            Same("addr"),
            Same("link"),
            Same("-s link"),
            Same("-s -s link"),
            Same("-d link"),
            Same("-d -o link"),
            Same("-d a"),
            Same("-6 link"),
            Same("-4 l"),
            Same("-0 a"),
            Same("route"),
            Same("-o a"),
            Same("-br a"),
            Do("link set lo up"),
            Same("a"),
            Same("addr show dev lo"),
            Same("addr ls"),
            Same("a lst lo"),
            Same("-4 a"),
            Same("-6 a"),
            Same("-6 a s dev lo"),
            Same("-o a"),
            Same("-o -4 a"),
            Same("-br a"),
            Same("-br -6 a"),
            Same("-br l"),
            Same("-o l"),
            Same("l l"),
            Same("link show lo"),
            Same("-s l show lo"),
            Same("-s a"),
            Same("-d a"),
            Same("r"),
            Same("r show table local"),
            Same("-6 r show table local"),
            Same("ro show table all"),
            Same("r get 127.0.0.1"),
            Same("-6 r get ::1"),
        ],
    );
}

#[test]
fn addresses_on_loopback_and_a_veth_pair() {
    scenario(
        "addr",
        &[
            // No duplicate address detection: link-local addresses are final at once.
            Sh("echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad"),
            Do("link set lo up"),
            Do("addr add 127.0.0.2/8 dev lo"),
            Do("a a 10.1.1.1/32 dev lo label lo:1"),
            Same("a show lo"),
            Do("link add v0 type veth peer name v1"),
            Same("a"),
            Do("link set v0 up"),
            Do("l s v1 up"),
            Do("addr add 10.0.0.1/24 dev v0"),
            Do("addr add 10.0.0.2/24 broadcast + dev v1 label v1:x"),
            Do("addr add 10.0.0.3/24 dev v0"),
            Do("addr add 10.0.1.1 peer 10.0.1.2 dev v0"),
            Do("addr add 192.168.9.1/24 brd 192.168.9.255 scope link dev v1"),
            Do("addr add 2001:db8::1/64 dev v0 nodad"),
            Do("-6 addr add 2001:db8::2/64 dev v1"),
            Do("addr add 2001:db8:5::1/64 dev v1 noprefixroute"),
            Same("a"),
            Same("addr show v0"),
            Same("a s dev v1"),
            Same("-4 a"),
            Same("-6 a"),
            Same("-o a"),
            Same("-o -6 a s v0"),
            Same("-br a"),
            Same("-br -4 a"),
            Same("a s scope global"),
            Same("a s scope link"),
            Same("a s up"),
            Same("a s primary"),
            Same("a s secondary"),
            Same("a s label v1:x"),
            Same("a s to 10.0.0.0/24"),
            Same("r"),
            Same("-6 r"),
            Do("addr del 10.0.0.3/24 dev v0"),
            Do("a d 2001:db8::2/64 dev v1"),
            Same("a"),
            Do("-4 addr flush dev v0"),
            Same("a s v0"),
            Do("addr flush scope global"),
            Same("a"),
            Do("addr flush dev v1"),
            Same("a"),
            Do("a replace 10.0.0.9/24 dev v0"),
            Do("a replace 10.0.0.9/24 dev v0"),
            Do("a change 10.0.0.9/24 dev v0 scope link"),
            Same("-4 a"),
            // Duplicate address detection on: an address on a down link stays tentative
            // until the link is up and DAD settles (waited for, at most ten seconds).
            Sh("echo 1 >/proc/sys/net/ipv6/conf/default/accept_dad"),
            Do("link add v2 type veth peer name v3"),
            Do("addr add 2001:db8:9::1/64 dev v2"),
            Same("-6 a s v2"),
            Same("a s tentative"),
            Same("-br -6 a s v2"),
            Do("link set v3 up"),
            Do("link set v2 up"),
            Sh(
                "i=0; while ip a | grep -q tentative && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done",
            ),
            Same("-6 a s v2"),
            Same("a s tentative"),
        ],
    );
}

#[test]
fn links_set_rename_and_bridge() {
    scenario(
        "link",
        &[
            Do("link add v0 type veth peer name v1"),
            Same("-d link show v1"),
            Do("link add br0 type bridge"),
            Same("link"),
            Same("-br link"),
            Do("link set v0 mtu 1400"),
            Do("link set dev v0 txqueuelen 0 promisc on arp off"),
            Same("link show v0"),
            Do("link set v0 address 02:00:00:00:00:01 name vv0"),
            Same("l"),
            Do("link set vv0 up"),
            Same("l"),
            Same("-o l"),
            Do("l s v1 up"),
            Same("link show up"),
            Do("link set vv0 master br0"),
            Same("l"),
            Same("link show type bridge"),
            Same("link show master br0"),
            Same("link show nomaster"),
            Same("link show master nope"),
            Same("-color=never l"),
            Same("-c=auto a"),
            Same("link show type veth"),
            Do("link set v1 dynamic on trailers off alias hello"),
            Same("link show v1"),
            Same("-d -o link show v1"),
            Same("a s v1"),
            Do("link set v1 dynamic off trailers on alias ''"),
            Do("link set vv0 nomaster arp on promisc off"),
            Do("link set vv0 down"),
            Same("l"),
            Do("link del br0"),
            Do("link delete vv0"),
            Same("l"),
        ],
    );
}

#[test]
fn routes_add_replace_delete() {
    scenario(
        "route",
        &[
            Sh("echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad"),
            Do("link set lo up"),
            Do("link add v0 type veth peer name v1"),
            Do("link set v0 up"),
            Do("link set v1 up"),
            Do("addr add 10.0.0.1/24 dev v0"),
            Do("addr add 2001:db8::1/64 dev v0"),
            Do("route add default via 10.0.0.254"),
            Do("route add 192.168.5.0/24 via 10.0.0.3 metric 10 proto static"),
            Do("ro a 192.168.6.0/24 dev v1 scope link src 10.0.0.1 table 100"),
            Do("route add 172.16.0.0/12 dev v0 mtu 1400"),
            Do("route add 10.9.0.0/16 via 10.0.0.5 dev v0 table 1000"),
            Do("route add unreachable 10.8.0.0/16"),
            Do("route add blackhole 10.7.0.0/16 metric 5"),
            Do("route add prohibit 10.6.0.0/16"),
            Do("route add 10.5.0.0/16 dev v0 onlink via 10.99.0.1"),
            Same("route"),
            Same("r show table 100"),
            Same("r show table 1000"),
            Same("r show table all"),
            Same("r show table local"),
            Same("r l t local"),
            Same("r s pro kernel"),
            Same("r s sc link"),
            Same("r s all"),
            Same("r show dev v0"),
            Same("r show proto static"),
            Same("r show scope link"),
            Same("r show type unreachable"),
            Same("r show 192.168.5.0/24"),
            Same("r show root 10.0.0.0/8"),
            Same("r show match 10.7.1.1"),
            Same("r show via 10.0.0.3"),
            Same("-o r"),
            Do("route replace 192.168.5.0/24 via 10.0.0.4 metric 10 proto static"),
            Do("route replace 192.168.7.0/24 dev v0"),
            Do("route change default via 10.0.0.253"),
            Same("r"),
            Do("route del 192.168.5.0/24 via 10.0.0.4 metric 10"),
            Do("ro d 192.168.7.0/24"),
            Do("route del default"),
            Do("route del 192.168.6.0/24 table 100"),
            Do("route del unreachable 10.8.0.0/16"),
            Same("r"),
            Same("r show table all"),
            Do("-6 route add 2001:db8:1::/48 via 2001:db8::5"),
            Do("route add 2001:db8:2::/48 dev v0 metric 100 pref high"),
            Do("-6 route add default via 2001:db8::fe dev v0"),
            Same("-6 r"),
            Same("-6 r show dev v0"),
            Do("-6 route del 2001:db8:1::/48"),
            Do("route replace 2001:db8:2::/48 dev v0 metric 100 pref low"),
            Same("-6 route"),
            Same("r get 10.0.0.9"),
            Same("r get 8.8.8.8"),
            Same("r get 10.0.0.1"),
            Same("-6 r get 2001:db8::9"),
            Do("route add 10.20.0.0/16 via 10.0.0.7 proto static"),
            Do("route add 10.21.0.0/16 via 10.0.0.7 proto static table 100"),
            Do("route add 10.22.0.0/16 dev v1 table 100"),
            Do("route flush proto static"),
            Same("r show table all"),
            Do("route flush table 100"),
            Same("r show table all"),
            Do("route flush dev v0"),
            Same("r show table all"),
        ],
    );
}

#[test]
fn errors_match_iproute2() {
    scenario(
        "errors",
        &[
            Do("link add v0 type veth peer name v1"),
            Do("addr add 10.0.0.1/24 dev v0"),
            Same("addr add 10.0.0.1/24 dev v0"),
            Same("addr del 10.9.9.9/24 dev v0"),
            Same("addr add 10.0.0.7/24 dev nope"),
            Same("addr add bogus dev v0"),
            Same("addr add 10.0.0.8/24"),
            Same("addr show dev nope"),
            Same("a s nope"),
            Same("addr flush"),
            Same("addr frob"),
            Do("-6 addr add 2001:db8::1/64 dev v0 nodad"),
            Same("-6 addr add 2001:db8::1/64 dev v0 nodad"),
            Expect(
                "addr del 10.0.0.1 dev v0",
                "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         \
                 Explicitly specify the prefix length (10.0.0.1/32) to avoid this warning.\n         \
                 This special behaviour is likely to disappear in further releases,\n         \
                 fix your scripts!\n",
                0,
            ),
            Same("-4 a"),
            Same("link set nope up"),
            Same("link set"),
            Same("link set v0 foo"),
            Same("link set v0 mtu abc"),
            Same("link set v0 mtu 10"),
            Same("link set v0 address zz"),
            Same("link set v0 arp maybe"),
            Same("link set v0 master nope"),
            Same("link show nope"),
            Same("link show v0 v1"),
            Same("link del nope"),
            Same("link add v0 type veth peer name v9"),
            Same("link add v5"),
            Same("link add v5 type frob"),
            Same("link add waytoolongforaninterface type veth"),
            Same("link set v0 name a/b"),
            Same("link del"),
            Same("link frob"),
            Same("route add 10.0.0.0/33 dev v0"),
            Same("route add 10.2.0.0/16 dev nope"),
            Same("route add 10.2.0.0/16"),
            Same("route del 10.3.0.0/16"),
            Same("route add 10.2.0.0/16 via 10.0.0.1"),
            Same("route show table foo"),
            Same("route show table 100"),
            Same("-6 route show table 100"),
            Same("route show table default"),
            Same("route add 10.2.0.0/16 dev v0 table foo"),
            Same("-6 route add 10.2.0.0/16 dev v0"),
            Same("-4 route add 2001:db8::/64 dev v0"),
            Same("route flush"),
            Same("route get"),
            Same("route get 10.0.0.9"),
            Same("route frob"),
            Same("frob"),
            Same("-x a"),
            Same("-family foo a"),
        ],
    );
}

#[test]
fn an_empty_root_prints_the_same() {
    scenario(
        "chroot",
        &[
            Sh("mkdir $D/root && cp \"$R\" $D/root/rbox"),
            Do("link set lo up"),
            Do("link add v0 type veth peer name v1"),
            Do("addr add 10.0.0.1/24 dev v0"),
            Do("link set v0 up"),
            Do("route add 10.9.0.0/16 via 10.0.0.2 proto static"),
            Chroot("a"),
            Chroot("-d link"),
            Chroot("r show table all"),
            Chroot("-6 r show table all"),
            Chroot("link set nope up"),
        ],
    );
}
