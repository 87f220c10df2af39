//! The account applets end to end, in a temp root entered with chroot: the static rbox
//! copied to ROOT/bin/rbox with its applet links, a fixture /etc (passwd, shadow, group,
//! gshadow, login.defs, default/useradd, skel). The files left behind are compared with
//! what shadow-utils (`useradd -R`, `groupadd -R`, `userdel -R`, `chpasswd -R`,
//! `passwd -R`) makes of an identical copy, or with exact expected text for the BusyBox
//! forms; hashes are checked with the host's crypt (perl's crypt()). su, login and
//! passwd are also driven through a pty. Needs root (chroot); skips with a reason
//! otherwise. Every wait is bounded.

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pty::Pty;
use support::{rbox, scratch, text};

const ALICE_HASH: &str = "$6$fixtureAliceSalt$d6ghFMih0bDrn8UHSjmOjL0lQ.I/L5iHifarKJBCiu58RUd7m3bDmuj5Tuiy9MsAPcwS1XLCprYdFkuG17LdG0";
const ROOT_HASH: &str = "$6$fixtureRootSalt0$8Aw6fajE3YnOjE3idg6VhdeIVDzZM7s2C.l4DgtnBogvnYFfxSSLwnQEnpSjWiizrsvHhBMbvbK3T/yPEidR40";

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
    daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
    alice:x:1000:1000:Alice:/home/alice:/bin/sh\n\
    nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const GROUP: &str = "root:x:0:\ndaemon:x:1:\nwheel:x:10:alice\nshadow:x:42:\nusers:x:100:\n\
    alice:x:1000:\nnogroup:x:65534:\n";
const GSHADOW: &str =
    "root:*::\ndaemon:*::\nwheel:*::alice\nshadow:*::\nusers:*::\nalice:!::\nnogroup:*::\n";
const LOGIN_DEFS: &str = "# fixture\nUID_MIN 1000\nUID_MAX 60000\nSYS_UID_MIN 101\nSYS_UID_MAX 999\n\
    GID_MIN 1000\nGID_MAX 60000\nSYS_GID_MIN 101\nSYS_GID_MAX 999\nUSERGROUPS_ENAB yes\n\
    PASS_MAX_DAYS 99999\nPASS_MIN_DAYS 0\nPASS_WARN_AGE 7\nENCRYPT_METHOD SHA512\n";

fn shadow_text() -> String {
    format!(
        "root:{ROOT_HASH}:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n\
         alice:{ALICE_HASH}:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"
    )
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

macro_rules! need_root {
    () => {
        if !is_root() {
            eprintln!("skipped: the account tests need root (chroot)");
            return;
        }
    };
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

/// The binary under test, copied once per test run (so a rebuild of the target
/// directory while the tests run cannot pull it away from later roots).
fn rbox_copy() -> &'static Path {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let dir = scratch("acct-binary");
        let p = dir.join("rbox");
        std::fs::copy(rbox(), &p).unwrap();
        p
    })
}

/// Waits until the freshly copied `path` in the root can be executed: a child that
/// another test thread forked while the copy's write fd was open holds that fd until
/// its own exec, and until then exec gives ETXTBSY. Bounded: 100 tries, 50 ms apart.
fn wait_runnable(r: &Root, path: &str) {
    for _ in 0..100 {
        let out = Command::new("chroot")
            .arg(&r.dir)
            .args([path, "true"])
            .output()
            .unwrap();
        if out.status.success() {
            return;
        }
        assert!(
            text(&out.stderr).contains("Text file busy"),
            "{path}: {}",
            text(&out.stderr)
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{path} stayed busy");
}

/// A temp root with rbox and the fixture /etc.
struct Root {
    dir: PathBuf,
}

impl Root {
    fn new(tag: &str) -> Root {
        let dir = scratch(&format!("acct-{tag}"));
        for d in [
            "bin",
            "etc/skel/.config",
            "etc/default",
            "home/alice",
            "root",
            "dev",
            "tmp",
            "var/mail",
        ] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        std::fs::copy(rbox_copy(), dir.join("bin/rbox")).unwrap();
        let r = Root { dir };
        r.write("etc/passwd", PASSWD, 0o644);
        r.write("etc/shadow", &shadow_text(), 0o640);
        r.write("etc/group", GROUP, 0o644);
        r.write("etc/gshadow", GSHADOW, 0o640);
        for f in ["etc/shadow", "etc/gshadow"] {
            std::os::unix::fs::chown(r.dir.join(f), Some(0), Some(42)).unwrap();
        }
        r.write("etc/login.defs", LOGIN_DEFS, 0o644);
        r.write("etc/default/useradd", "SHELL=/bin/sh\n", 0o644);
        r.write("etc/skel/.profile", "echo skel profile\n", 0o644);
        r.write("etc/skel/.config/app", "x=1\n", 0o600);
        std::os::unix::fs::chown(r.dir.join("home/alice"), Some(1000), Some(1000)).unwrap();
        r.node("dev/null", 1, 3);
        r.node("dev/tty", 5, 0);
        wait_runnable(&r, "/bin/rbox");
        let out = Command::new("chroot")
            .arg(&r.dir)
            .args(["/bin/rbox", "--install", "-s", "/bin"])
            .output()
            .unwrap();
        assert!(out.status.success(), "install: {}", text(&out.stderr));
        r
    }

    fn node(&self, rel: &str, major: u32, minor: u32) {
        let p = std::ffi::CString::new(self.dir.join(rel).into_os_string().into_encoded_bytes())
            .unwrap();
        // SAFETY: mknod with a NUL-terminated path.
        let r = unsafe {
            libc::mknod(
                p.as_ptr(),
                libc::S_IFCHR | 0o666,
                libc::makedev(major, minor),
            )
        };
        assert_eq!(r, 0, "mknod {rel}: {}", std::io::Error::last_os_error());
    }

    fn write(&self, rel: &str, body: &str, mode: u32) {
        let p = self.dir.join(rel);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// A copy of this root for the reference tools.
    fn copy(&self, tag: &str) -> Root {
        let dir = scratch(&format!("acct-{tag}"));
        let st = Command::new("cp")
            .arg("-a")
            .arg(format!("{}/.", self.dir.display()))
            .arg(&dir)
            .status()
            .unwrap();
        assert!(st.success());
        Root { dir }
    }

    /// `chroot ROOT /bin/sh -c SCRIPT` with PATH=/bin and `stdin`.
    fn sh(&self, script: &str, stdin: &str) -> Output {
        run(
            Command::new("chroot")
                .arg(&self.dir)
                .args(["/bin/sh", "-c", script]),
            stdin,
        )
    }

    /// A host tool run on this root (`useradd -R ROOT ...`).
    fn host(&self, tool: &str, args: &[&str], stdin: &str) -> Output {
        run(
            Command::new(tool).arg("-R").arg(&self.dir).args(args),
            stdin,
        )
    }

    fn mode_owner(&self, rel: &str) -> (u32, u32, u32) {
        let m = std::fs::symlink_metadata(self.dir.join(rel)).unwrap();
        (m.mode() & 0o7777, m.uid(), m.gid())
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &mut Command, stdin: &str) -> Output {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid is async-signal-safe; the child gets no controlling terminal, so
    // the tools read passwords from standard input whatever terminal the tests run on.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = cmd
        .env_clear()
        .env("PATH", "/bin:/usr/sbin:/usr/bin:/sbin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.as_bytes().to_vec();
    let w = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    w.join().unwrap();
    out
}

/// (status, stdout, stderr) of an output.
fn res(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr),
    )
}

/// Whether `hash` is `password`'s hash by the host's crypt(3).
fn host_crypt_ok(password: &str, hash: &str) -> bool {
    let out = Command::new("perl")
        .args([
            "-e",
            "exit(crypt($ARGV[0], $ARGV[1]) eq $ARGV[1] ? 0 : 1)",
            password,
            hash,
        ])
        .status()
        .unwrap();
    out.success()
}

/// The host's crypt(3) of `password` for `setting`.
fn host_crypt(password: &str, setting: &str) -> String {
    let out = Command::new("perl")
        .args(["-e", "print crypt($ARGV[0], $ARGV[1])", password, setting])
        .output()
        .unwrap();
    text(&out.stdout)
}

fn field(line: &str, i: usize) -> String {
    line.split(':').nth(i).unwrap_or("").to_string()
}

fn line_of(file: &str, name: &str) -> String {
    file.lines()
        .find(|l| l.split(':').next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in\n{file}"))
        .to_string()
}

/// Shadow text with each lastchg field replaced by `DAY` and each hash by `HASH` when
/// `hashes` (random salts), for comparison.
fn mask_shadow(s: &str, hashes: bool) -> String {
    s.lines()
        .map(|l| {
            let mut f: Vec<String> = l.split(':').map(str::to_string).collect();
            if f.len() > 2 {
                f[2] = "DAY".into();
                if hashes && f[1].starts_with('$') {
                    f[1] = "HASH".into();
                }
            }
            f.join(":") + "\n"
        })
        .collect()
}

fn today() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86400
}

fn same_accounts(a: &Root, b: &Root, hashes: bool) {
    for f in ["etc/passwd", "etc/group", "etc/gshadow"] {
        assert_eq!(a.read(f), b.read(f), "{f} differs from shadow-utils'");
    }
    assert_eq!(
        mask_shadow(&a.read("etc/shadow"), hashes),
        mask_shadow(&b.read("etc/shadow"), hashes),
        "etc/shadow differs from shadow-utils'"
    );
    for f in ["etc/passwd", "etc/shadow", "etc/group", "etc/gshadow"] {
        assert_eq!(a.mode_owner(f), b.mode_owner(f), "{f} mode/owner");
    }
}

#[test]
fn useradd_matches_shadow_utils() {
    need_root!();
    let ours = Root::new("useradd");
    let theirs = ours.copy("useradd-ref");
    let cmds: &[&[&str]] = &[
        &["bob"],
        &["-m", "-G", "users,wheel", "-c", "Carol C", "carol"],
        &["-r", "sysd"],
        &["-N", "-g", "users", "dave"],
        &["-u", "1500", "erin"],
        &["-p", "$6$abc$def", "frank"],
        &["-m", "-d", "/srv/gina", "-s", "/bin/false", "gina"],
        &["-e", "2030-01-02", "-f", "5", "hank"],
        &["-o", "-u", "1000", "twin"],
        &["-r", "-m", "-N", "sysm"],
    ];
    for args in cmds {
        let script = format!(
            "useradd {}",
            args.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let o = ours.sh(&script, "");
        assert_eq!(res(&o), (0, String::new(), String::new()), "{script}");
        if have("useradd") {
            let h = theirs.host("useradd", args, "");
            assert_eq!(
                h.status.code(),
                Some(0),
                "host {args:?}: {}",
                text(&h.stderr)
            );
        }
    }
    let passwd = ours.read("etc/passwd");
    assert!(
        passwd.ends_with(
            "bob:x:1001:1001::/home/bob:/bin/sh\n\
         carol:x:1002:1002:Carol C:/home/carol:/bin/sh\n\
         sysd:x:999:999::/home/sysd:/bin/sh\n\
         dave:x:1003:100::/home/dave:/bin/sh\n\
         erin:x:1500:1500::/home/erin:/bin/sh\n\
         frank:x:1501:1501::/home/frank:/bin/sh\n\
         gina:x:1502:1502::/srv/gina:/bin/false\n\
         hank:x:1503:1503::/home/hank:/bin/sh\n\
         twin:x:1000:1504::/home/twin:/bin/sh\n\
         sysm:x:998:100::/home/sysm:/bin/sh\n"
        ),
        "{passwd}"
    );
    let day = today();
    let shadow = ours.read("etc/shadow");
    assert_eq!(line_of(&shadow, "bob"), format!("bob:!:{day}:0:99999:7:::"));
    assert_eq!(line_of(&shadow, "sysd"), format!("sysd:!:{day}::::::"));
    assert_eq!(
        line_of(&shadow, "frank"),
        format!("frank:$6$abc$def:{day}:0:99999:7:::")
    );
    assert_eq!(
        line_of(&shadow, "hank"),
        format!("hank:!:{day}:0:99999:7:5:21916:")
    );
    assert!(ours.read("etc/group").contains("wheel:x:10:alice,carol\n"));
    assert!(ours.read("etc/gshadow").contains("users:*::carol\n"));
    // The home from the skeleton, owned by the user, modes kept.
    assert_eq!(ours.mode_owner("home/carol"), (0o755, 1002, 1002));
    assert_eq!(ours.read("home/carol/.profile"), "echo skel profile\n");
    assert_eq!(ours.mode_owner("home/carol/.config"), (0o755, 1002, 1002));
    assert_eq!(
        ours.mode_owner("home/carol/.config/app"),
        (0o600, 1002, 1002)
    );
    assert_eq!(ours.mode_owner("srv/gina"), (0o755, 1502, 1502));
    assert!(!ours.path("home/bob").exists());
    assert_eq!(ours.mode_owner("etc/shadow"), (0o640, 0, 42));
    if !have("useradd") {
        eprintln!("shadow-utils useradd not installed: compared with the expected text only");
        return;
    }
    same_accounts(&ours, &theirs, false);
    // (Only the top level: shadow-utils' -R copies nested skeleton directories 0700 or
    // not at all.)
    for f in ["home/carol", "home/carol/.profile", "srv/gina"] {
        assert_eq!(ours.mode_owner(f), theirs.mode_owner(f), "{f}");
    }
}

#[test]
fn useradd_errors_as_shadow_utils() {
    need_root!();
    let ours = Root::new("useradd-err");
    let theirs = ours.copy("useradd-err-ref");
    // Same message and status as shadow-utils.
    let cases: &[(&[&str], i32, &str)] = &[
        (&["alice"], 9, "useradd: user 'alice' already exists\n"),
        (
            &["-g", "nosuch", "x1"],
            6,
            "useradd: group 'nosuch' does not exist\n",
        ),
        (
            &["-G", "users,nosuch", "x2"],
            6,
            "useradd: group 'nosuch' does not exist\n",
        ),
        (
            &["bad:name"],
            3,
            "useradd: invalid user name 'bad:name': use --badname to ignore\n",
        ),
        (&["-u", "abc", "x3"], 3, "useradd: invalid user ID 'abc'\n"),
        (
            &["-u", "1000", "x4"],
            4,
            "useradd: UID 1000 is not unique\n",
        ),
        (
            &["wheel"],
            9,
            "useradd: group wheel exists - if you want to add this user to that group, use -g.\n",
        ),
    ];
    for (args, status, err) in cases {
        let script = format!(
            "useradd {}",
            args.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(
            res(&ours.sh(&script, "")),
            (*status, String::new(), err.to_string()),
            "{args:?}"
        );
        if have("useradd") {
            let h = theirs.host("useradd", args, "");
            assert_eq!(
                (h.status.code().unwrap(), text(&h.stderr)),
                (*status, err.to_string()),
                "host {args:?}"
            );
        }
    }
    // Usage errors: status 2 as shadow-utils (whose usage text is longer).
    let usage = "Usage: useradd [-c COMMENT] [-d HOME] [-b BASE] [-s SHELL] [-g GROUP] [-G GROUPS] [-u UID [-o]] [-m [-k SKEL] | -M] [-N | -U] [-r] [-p HASH] [-e DATE] [-f DAYS] [-R DIR] LOGIN | -D [OPTIONS]\n";
    let usage_cases: &[(&[&str], &str)] = &[
        (&[], "useradd: missing LOGIN\n"),
        (&["-U", "-N", "x"], "useradd: options -U and -N conflict\n"),
        (
            &["-U", "-g", "users", "x"],
            "useradd: options -U and -g conflict\n",
        ),
        (
            &["-o", "x"],
            "useradd: -o flag is only allowed with the -u flag\n",
        ),
        (
            &["-k", "/etc/skel", "x"],
            "useradd: -k flag is only allowed with the -m flag\n",
        ),
        (&["-Q", "x"], "useradd: invalid option -- 'Q'\n"),
    ];
    for (args, first) in usage_cases {
        let script = format!("useradd {}", args.join(" "));
        assert_eq!(
            res(&ours.sh(&script, "")),
            (2, String::new(), format!("{first}{usage}")),
            "{args:?}"
        );
        if have("useradd") {
            assert_eq!(
                theirs.host("useradd", args, "").status.code(),
                Some(2),
                "host {args:?}"
            );
        }
    }
    assert_eq!(
        ours.read("etc/passwd"),
        PASSWD,
        "failed runs changed nothing"
    );
    assert_eq!(ours.read("etc/group"), GROUP);
}

#[test]
fn useradd_defaults() {
    need_root!();
    let r = Root::new("useradd-d");
    let o = r.sh("useradd -D", "");
    assert_eq!(
        res(&o),
        (
            0,
            "GROUP=100\nHOME=/home\nINACTIVE=-1\nEXPIRE=\nSHELL=/bin/sh\nSKEL=/etc/skel\nCREATE_MAIL_SPOOL=no\n".into(),
            String::new()
        )
    );
    let o = r.sh("useradd -D -s /bin/false -b /srv && useradd -N zed", "");
    assert_eq!(res(&o).0, 0, "{}", text(&o.stderr));
    assert_eq!(
        r.read("etc/default/useradd"),
        "SHELL=/bin/false\nHOME=/srv\n"
    );
    assert!(
        r.read("etc/passwd")
            .ends_with("zed:x:1001:100::/srv/zed:/bin/false\n")
    );
}

#[test]
fn groupadd_matches_shadow_utils() {
    need_root!();
    let ours = Root::new("groupadd");
    let theirs = ours.copy("groupadd-ref");
    let ok: &[&[&str]] = &[
        &["devs"],
        &["-g", "2000", "g2"],
        &["-r", "sysg"],
        &["-f", "devs"],
        &["-f", "-g", "2000", "g3"],
        &["-o", "-g", "10", "wheel2"],
    ];
    for args in ok {
        let o = ours.sh(&format!("groupadd {}", args.join(" ")), "");
        assert_eq!(res(&o), (0, String::new(), String::new()), "{args:?}");
        if have("groupadd") {
            assert_eq!(
                theirs.host("groupadd", args, "").status.code(),
                Some(0),
                "host {args:?}"
            );
        }
    }
    assert!(
        ours.read("etc/group")
            .ends_with("devs:x:1001:\ng2:x:2000:\nsysg:x:999:\ng3:x:2001:\nwheel2:x:10:\n")
    );
    assert!(
        ours.read("etc/gshadow")
            .ends_with("devs:!::\ng2:!::\nsysg:!::\ng3:!::\nwheel2:!::\n")
    );
    let errs: &[(&[&str], i32, &str)] = &[
        (&["devs"], 9, "groupadd: group 'devs' already exists\n"),
        (
            &["-g", "2000", "g4"],
            4,
            "groupadd: GID '2000' already exists\n",
        ),
        (&["-g", "x", "g5"], 3, "groupadd: invalid group ID 'x'\n"),
        (&["b:d"], 3, "groupadd: 'b:d' is not a valid group name\n"),
    ];
    for (args, status, err) in errs {
        assert_eq!(
            res(&ours.sh(&format!("groupadd '{}'", args.join("' '")), "")),
            (*status, String::new(), err.to_string())
        );
        if have("groupadd") {
            let h = theirs.host("groupadd", args, "");
            assert_eq!(
                (h.status.code().unwrap(), text(&h.stderr)),
                (*status, err.to_string()),
                "host {args:?}"
            );
        }
    }
    if have("groupadd") {
        same_accounts(&ours, &theirs, false);
    }
}

#[test]
fn userdel_matches_shadow_utils() {
    need_root!();
    let ours = Root::new("userdel");
    let setup = "useradd -m -G wheel,users bob && useradd -N -g users carl && useradd dora && useradd -g dora eve";
    let o = ours.sh(setup, "");
    assert_eq!(res(&o).0, 0, "{}", text(&o.stderr));
    std::fs::write(ours.path("var/mail/bob"), "mail\n").unwrap();
    std::os::unix::fs::chown(ours.path("var/mail/bob"), Some(1001), Some(1001)).unwrap();
    std::fs::write(ours.path("var/mail/carl"), "not carl's\n").unwrap();
    let theirs = ours.copy("userdel-ref");
    let cases: &[(&[&str], &str)] = &[
        (&["-r", "bob"], ""),
        (
            &["-r", "carl"],
            "userdel: /var/mail/carl not owned by carl, not removing\nuserdel: carl home directory (/home/carl) not found\n",
        ),
        (
            &["dora"],
            "userdel: group dora is the primary group of another user and is not removed.\n",
        ),
        (
            &["-r", "eve"],
            "userdel: eve mail spool (/var/mail/eve) not found\nuserdel: eve home directory (/home/eve) not found\n",
        ),
    ];
    for (args, err) in cases {
        let status = if err.contains("not owned") { 12 } else { 0 };
        assert_eq!(
            res(&ours.sh(&format!("userdel {}", args.join(" ")), "")),
            (status, String::new(), err.to_string()),
            "{args:?}"
        );
        if have("userdel") {
            let h = theirs.host("userdel", args, "");
            assert_eq!(
                (h.status.code().unwrap(), text(&h.stderr)),
                (status, err.to_string()),
                "host {args:?}"
            );
        }
    }
    assert!(!ours.path("home/bob").exists() && !ours.path("var/mail/bob").exists());
    assert_eq!(ours.read("etc/passwd"), PASSWD);
    assert_eq!(ours.read("etc/group"), format!("{GROUP}dora:x:1003:\n"));
    assert_eq!(
        res(&ours.sh("userdel nosuch", "")),
        (
            6,
            String::new(),
            "userdel: user 'nosuch' does not exist\n".into()
        )
    );
    if have("userdel") {
        same_accounts(&ours, &theirs, false);
    }
}

#[test]
fn chpasswd_sets_hashes_the_host_crypt_accepts() {
    need_root!();
    let ours = Root::new("chpasswd");
    let theirs = ours.copy("chpasswd-ref");
    let o = ours.sh("chpasswd", "alice:new pw:1\nroot:r00t\n");
    assert_eq!(res(&o), (0, String::new(), String::new()));
    let shadow = ours.read("etc/shadow");
    let alice = field(&line_of(&shadow, "alice"), 1);
    assert!(
        alice.starts_with("$6$") && host_crypt_ok("new pw:1", &alice),
        "{alice}"
    );
    assert_eq!(field(&line_of(&shadow, "alice"), 2), today().to_string());
    assert!(host_crypt_ok("r00t", &field(&line_of(&shadow, "root"), 1)));
    if have("chpasswd") {
        let h = theirs.host("chpasswd", &["-c", "SHA512"], "alice:new pw:1\nroot:r00t\n");
        assert_eq!(h.status.code(), Some(0), "{}", text(&h.stderr));
        same_accounts(&ours, &theirs, true);
    }
    for (opt, prefix) in [
        ("-c MD5", "$1$"),
        ("-c SHA256", "$5$"),
        ("-m", "$1$"),
        ("-c SHA512 -s 10000", "$6$rounds=10000$"),
    ] {
        let o = ours.sh(&format!("chpasswd {opt}"), "alice:pw2\n");
        assert_eq!(res(&o).0, 0, "{opt}: {}", text(&o.stderr));
        let h = field(&line_of(&ours.read("etc/shadow"), "alice"), 1);
        assert!(
            h.starts_with(prefix) && host_crypt_ok("pw2", &h),
            "{opt}: {h}"
        );
    }
    let o = ours.sh("chpasswd -e", &format!("alice:{ALICE_HASH}\n"));
    assert_eq!(res(&o).0, 0);
    assert_eq!(
        field(&line_of(&ours.read("etc/shadow"), "alice"), 1),
        ALICE_HASH
    );
    // Any bad line: nothing changes, as shadow-utils.
    let before = ours.read("etc/shadow");
    let o = ours.sh("chpasswd", "nosuch:pw\nalice\n\nroot:zz\n");
    assert_eq!(
        res(&o),
        (
            1,
            String::new(),
            "chpasswd: line 1: user 'nosuch' does not exist\nchpasswd: line 2: missing new password\n\
             chpasswd: line 3: missing new password\nchpasswd: error detected, changes ignored\n"
                .into()
        )
    );
    assert_eq!(ours.read("etc/shadow"), before);
    let o = ours.sh("chpasswd -c FOO", "alice:x\n");
    assert_eq!(res(&o).0, 1);
    assert!(text(&o.stderr).starts_with("chpasswd: unsupported crypt method: FOO\n"));
}

#[test]
fn passwd_flags_and_stdin_as_shadow_utils() {
    need_root!();
    let ours = Root::new("passwd");
    let theirs = ours.copy("passwd-ref");
    let steps: &[(&[&str], i32, &str, &str)] = &[
        (&["-S", "alice"], 0, "alice P 2022-01-08 0 99999 7 -1\n", ""),
        (&["-l", "alice"], 0, "passwd: password changed.\n", ""),
        (&["-S", "alice"], 0, "alice L 2022-01-08 0 99999 7 -1\n", ""),
        (&["-u", "alice"], 0, "passwd: password changed.\n", ""),
        (&["-d", "daemon"], 0, "passwd: password changed.\n", ""),
        (
            &["-S", "daemon"],
            0,
            "daemon NP 2022-01-08 0 99999 7 -1\n",
            "",
        ),
        (&["-l", "daemon"], 0, "passwd: password changed.\n", ""),
        (
            &["-u", "daemon"],
            3,
            "",
            "passwd: unlocking the password would result in a passwordless account.\n\
             You should set a password with usermod -p to unlock the password of this account.\n",
        ),
        (
            &["-S", "nosuch"],
            1,
            "",
            "passwd: user 'nosuch' does not exist\n",
        ),
        (
            &["-l", "nosuch"],
            1,
            "",
            "passwd: user 'nosuch' does not exist\n",
        ),
    ];
    for (args, status, out, err) in steps {
        let o = ours.sh(&format!("passwd {}", args.join(" ")), "");
        assert_eq!(
            res(&o),
            (*status, out.to_string(), err.to_string()),
            "{args:?}"
        );
        if have("passwd") {
            let h = theirs.host("passwd", args, "");
            assert_eq!(
                res(&h),
                (*status, out.to_string(), err.to_string()),
                "host {args:?}"
            );
        }
    }
    if have("passwd") {
        same_accounts(&ours, &theirs, false);
    }
    assert_eq!(
        line_of(&ours.read("etc/shadow"), "alice"),
        format!("alice:{ALICE_HASH}:19000:0:99999:7:::")
    );
    let o = ours.sh("passwd --stdin alice", "fresh-pw\n");
    assert_eq!(
        res(&o),
        (
            0,
            String::new(),
            "passwd: password updated successfully\n".into()
        )
    );
    let l = line_of(&ours.read("etc/shadow"), "alice");
    assert!(host_crypt_ok("fresh-pw", &field(&l, 1)), "{l}");
    assert_eq!(field(&l, 2), today().to_string());
    let o = ours.sh("passwd -a md5 --stdin alice && passwd -S -a", "md5-pw\n");
    assert_eq!(res(&o).0, 0);
    let h = field(&line_of(&ours.read("etc/shadow"), "alice"), 1);
    assert!(h.starts_with("$1$") && host_crypt_ok("md5-pw", &h));
    assert!(
        text(&o.stdout).starts_with("root P 2022-01-08 0 99999 7 -1\ndaemon L"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(res(&ours.sh("passwd -a blowfish alice", "")).0, 2);
    assert_eq!(ours.mode_owner("etc/shadow"), (0o640, 0, 42));
}

#[test]
fn shadow_mode_0600_is_kept() {
    need_root!();
    let r = Root::new("mode600");
    std::fs::set_permissions(r.path("etc/shadow"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(r.path("etc/shadow"), Some(0), Some(0)).unwrap();
    assert_eq!(
        res(&r.sh("echo alice:x | chpasswd && useradd bob", "")).0,
        0
    );
    assert_eq!(r.mode_owner("etc/shadow"), (0o600, 0, 0));
    assert_eq!(r.mode_owner("etc/passwd"), (0o644, 0, 0));
}

#[test]
fn a_failed_write_leaves_every_file_intact() {
    need_root!();
    let r = Root::new("failwrite");
    // passwd+ is where the new file would go: a non-empty directory there makes the
    // write fail before anything is renamed.
    std::fs::create_dir(r.path("etc/passwd+")).unwrap();
    std::fs::write(r.path("etc/passwd+/keep"), "").unwrap();
    let o = r.sh("useradd zed", "");
    assert_eq!(
        res(&o),
        (
            1,
            String::new(),
            "useradd: failure while writing changes to /etc/passwd\n".into()
        )
    );
    assert_eq!(r.read("etc/passwd"), PASSWD);
    assert_eq!(r.read("etc/shadow"), shadow_text());
    assert_eq!(r.read("etc/group"), GROUP);
    assert!(!r.path("etc/passwd.lock").exists(), "the lock is released");
    std::fs::remove_dir_all(r.path("etc/passwd+")).unwrap();
    // A lock held by a live process (pid 1) is respected: a bounded wait, then an error.
    std::fs::write(r.path("etc/group.lock"), "1").unwrap();
    let o = r.sh("groupadd devs", "");
    assert_eq!(
        res(&o),
        (
            10,
            String::new(),
            "groupadd: cannot lock /etc/group; try again later.\n".into()
        )
    );
    assert_eq!(r.read("etc/group"), GROUP);
    // A stale lock (no such process) is taken over.
    std::fs::write(r.path("etc/group.lock"), "999999999").unwrap();
    assert_eq!(res(&r.sh("groupadd devs", "")).0, 0);
    assert!(r.read("etc/group").ends_with("devs:x:1001:\n"));
}

#[test]
fn concurrent_useradds_all_land() {
    need_root!();
    let r = Root::new("concurrent");
    let script = "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do useradd -N u$i & done; wait";
    let o = r.sh(script, "");
    assert_eq!(res(&o), (0, String::new(), String::new()));
    let passwd = r.read("etc/passwd");
    let mut uids: Vec<u32> = passwd
        .lines()
        .filter(|l| l.starts_with('u') && !l.starts_with("users"))
        .map(|l| field(l, 2).parse().unwrap())
        .collect();
    uids.sort();
    assert_eq!(uids, (1001..=1012).collect::<Vec<_>>(), "{passwd}");
    assert_eq!(r.read("etc/shadow").lines().count(), 4 + 12);
}

#[test]
fn mkpasswd_and_cryptpw_match_the_host_crypt() {
    need_root!();
    let r = Root::new("mkpasswd");
    let cases = [
        (
            "mkpasswd -m sha512crypt -S saltsalt12345678 pw",
            "$6$saltsalt12345678",
        ),
        (
            "mkpasswd -m sha-256 -R 7000 -S abcdefghij pw",
            "$5$rounds=7000$abcdefghij",
        ),
        ("mkpasswd -m md5 pw abcdefgh", "$1$abcdefgh"),
        ("echo pw | mkpasswd -s -m sha512 -S 12345678", "$6$12345678"),
        (
            "cryptpw -m sha256 pw 'rounds=5000$xyz'",
            "$5$rounds=5000$xyz",
        ),
        ("echo pw | cryptpw -m md5 -S abcdefgh", "$1$abcdefgh"),
        ("cryptpw pw 0123456789abcdef", "$6$0123456789abcdef"),
    ];
    for (cmd, setting) in cases {
        let o = r.sh(cmd, "");
        assert_eq!(
            res(&o),
            (0, format!("{}\n", host_crypt("pw", setting)), String::new()),
            "{cmd}"
        );
    }
    for m in ["sha512crypt", "sha256crypt", "md5crypt"] {
        let o = r.sh(&format!("mkpasswd -m {m} 's3cret pw'"), "");
        let h = text(&o.stdout);
        assert!(host_crypt_ok("s3cret pw", h.trim_end()), "{m}: {h}");
    }
    let errs = [
        ("mkpasswd -m foo pw", "Invalid method 'foo'.\n"),
        ("mkpasswd -S 'bad!salt' pw", "Illegal salt character '!'.\n"),
        (
            "mkpasswd -m sha512crypt -S ab pw",
            "Wrong salt length: 2 bytes when 8 <= n <= 16 expected.\n",
        ),
        ("mkpasswd -R abc pw", "Invalid number 'abc'.\n"),
    ];
    for (cmd, err) in errs {
        assert_eq!(
            res(&r.sh(cmd, "")),
            (1, String::new(), err.to_string()),
            "{cmd}"
        );
        if have("mkpasswd") && !cmd.contains("-S 'bad") {
            let args: Vec<&str> = cmd.split(' ').skip(1).collect();
            let h = run(Command::new("mkpasswd").args(&args), "");
            assert_eq!(
                (h.status.code().unwrap(), text(&h.stderr)),
                (1, err.to_string()),
                "host {cmd}"
            );
        }
    }
    assert_eq!(
        res(&r.sh("cryptpw -m des pw", "")),
        (
            1,
            String::new(),
            "cryptpw: unsupported method 'des'\n".into()
        )
    );
}

#[test]
fn adduser_addgroup_in_busybox_form() {
    need_root!();
    let r = Root::new("adduser");
    let o = r.sh("adduser -D bob && adduser -S sysa && adduser -D -H -G users -s /bin/false -g 'Dan D' -u 2000 dan && addgroup devs && addgroup -S sysg && addgroup -g 3000 g3 && adduser bob devs && addgroup dan wheel", "");
    assert_eq!(res(&o), (0, String::new(), String::new()));
    let day = today();
    assert_eq!(
        r.read("etc/passwd"),
        format!(
            "{PASSWD}bob:x:1001:1001:Linux User,,,:/home/bob:/bin/sh\n\
             sysa:x:100:65534:Linux User,,,:/home/sysa:/bin/false\n\
             dan:x:2000:100:Dan D:/home/dan:/bin/false\n"
        )
    );
    assert_eq!(
        r.read("etc/shadow"),
        format!(
            "{}bob:!:{day}:0:99999:7:::\nsysa:!:{day}:0:99999:7:::\ndan:!:{day}:0:99999:7:::\n",
            shadow_text()
        )
    );
    assert_eq!(
        r.read("etc/group"),
        "root:x:0:\ndaemon:x:1:\nwheel:x:10:alice,dan\nshadow:x:42:\nusers:x:100:dan\n\
         alice:x:1000:\nnogroup:x:65534:sysa\nbob:x:1001:\ndevs:x:1002:bob\nsysg:x:101:\ng3:x:3000:\n"
    );
    assert_eq!(
        r.read("etc/gshadow"),
        "root:*::\ndaemon:*::\nwheel:*::alice,dan\nshadow:*::\nusers:*::dan\nalice:!::\nnogroup:*::sysa\n\
         bob:!::\ndevs:!::bob\nsysg:!::\ng3:!::\n"
    );
    assert_eq!(r.mode_owner("home/bob"), (0o2755, 1001, 1001));
    assert_eq!(r.mode_owner("home/bob/.profile"), (0o644, 1001, 1001));
    assert_eq!(r.mode_owner("home/sysa"), (0o2755, 100, 65534));
    assert!(!r.path("home/dan").exists());
    // Without -D the password is asked through passwd (here from standard input).
    let o = r.sh("adduser -H carl", "carl-pw\ncarl-pw\n");
    assert_eq!(res(&o).0, 0, "{}", text(&o.stderr));
    assert!(host_crypt_ok(
        "carl-pw",
        &field(&line_of(&r.read("etc/shadow"), "carl"), 1)
    ));
    let errs = [
        ("adduser -D bob", "adduser: user 'bob' in use\n"),
        ("adduser -D -G nosuch x", "adduser: unknown group nosuch\n"),
        ("adduser -D -u 2000 x", "adduser: uid '2000' in use\n"),
        ("adduser -D devs", "adduser: group 'devs' in use\n"),
        (
            "adduser -D -- -x",
            "adduser: illegal character with code 45 at position 0\n",
        ),
        ("adduser nosuch users", "adduser: unknown user nosuch\n"),
        ("addgroup devs", "addgroup: group 'devs' in use\n"),
        ("addgroup -g 3000 g4", "addgroup: gid '3000' in use\n"),
        ("addgroup bob nosuch", "addgroup: unknown group nosuch\n"),
    ];
    for (cmd, err) in errs {
        assert_eq!(
            res(&r.sh(cmd, "")),
            (1, String::new(), err.to_string()),
            "{cmd}"
        );
    }
    assert_eq!(
        res(&r.sh("addgroup", "")),
        (
            1,
            String::new(),
            "Usage: addgroup [-g GID] [-S] [USER] GROUP\n".into()
        )
    );
}

#[test]
fn deluser_delgroup_in_busybox_form() {
    need_root!();
    let r = Root::new("deluser");
    let o = r.sh("adduser -D bob && adduser -D -H carl && addgroup devs && adduser bob devs && adduser carl devs && adduser bob wheel", "");
    assert_eq!(res(&o).0, 0, "{}", text(&o.stderr));
    let o = r.sh(
        "deluser carl devs && delgroup bob wheel && deluser -r bob",
        "",
    );
    assert_eq!(res(&o), (0, String::new(), String::new()));
    assert!(!r.path("home/bob").exists());
    assert_eq!(
        r.read("etc/passwd"),
        format!("{PASSWD}carl:x:1002:1002:Linux User,,,:/home/carl:/bin/sh\n")
    );
    assert_eq!(
        r.read("etc/group"),
        format!("{GROUP}carl:x:1002:\ndevs:x:1003:\n")
    );
    assert!(r.read("etc/gshadow").ends_with(
        "wheel:*::alice\nshadow:*::\nusers:*::\nalice:!::\nnogroup:*::\ncarl:!::\ndevs:!::\n"
    ));
    let errs = [
        ("deluser nosuch", "deluser: unknown user nosuch\n"),
        ("delgroup nosuch", "delgroup: unknown group nosuch\n"),
        (
            "delgroup carl",
            "delgroup: 'carl' still has 'carl' as their primary group!\n",
        ),
    ];
    for (cmd, err) in errs {
        assert_eq!(
            res(&r.sh(cmd, "")),
            (1, String::new(), err.to_string()),
            "{cmd}"
        );
    }
    assert_eq!(
        res(&r.sh("delgroup devs && deluser carl", "")),
        (0, String::new(), String::new())
    );
    assert_eq!(r.read("etc/passwd"), PASSWD);
    assert_eq!(r.read("etc/group"), GROUP);
    assert_eq!(r.read("etc/shadow"), shadow_text());
}

#[test]
fn su_as_root_switches_without_a_password() {
    need_root!();
    let r = Root::new("su-root");
    let o = r.sh("su alice -c id", "");
    assert_eq!(
        res(&o),
        (
            0,
            "uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel)\n".into(),
            String::new()
        )
    );
    let o = r.sh(
        "cd /tmp && FOO=kept su alice -c 'echo $HOME $USER $LOGNAME $SHELL ${FOO-unset}; pwd'",
        "",
    );
    assert_eq!(
        res(&o),
        (
            0,
            "/home/alice alice alice /bin/sh kept\n/tmp\n".into(),
            String::new()
        )
    );
    let o = r.sh(
        "FOO=kept su - alice -c 'echo $HOME $USER ${FOO-unset} $PATH; pwd'",
        "",
    );
    assert_eq!(
        res(&o),
        (
            0,
            "/home/alice alice unset /usr/local/bin:/usr/bin:/bin\n/home/alice\n".into(),
            String::new()
        )
    );
    let o = r.sh("su -p alice -c 'echo $HOME'", "");
    assert_eq!(res(&o), (0, "\n".into(), String::new()));
    let o = r.sh("su -s /bin/echo alice hello", "");
    assert_eq!(res(&o), (0, "hello\n".into(), String::new()));
    assert_eq!(
        res(&r.sh("su -c 'id -u'", "")),
        (0, "0\n".into(), String::new())
    );
    let o = r.sh("su nosuch -c id", "");
    assert_eq!(
        res(&o),
        (1, String::new(), "su: user nosuch does not exist or the user entry does not contain all the required fields\n".into())
    );
    let o = r.sh("su -s /nonexistent alice", "");
    assert_eq!(
        res(&o),
        (
            127,
            String::new(),
            "su: failed to execute /nonexistent: No such file or directory\n".into()
        )
    );
}

/// A setuid-root copy of rbox at ROOT/suid/rbox with `su` and `passwd` links beside it.
fn suid_links(r: &Root) {
    std::fs::create_dir_all(r.path("suid")).unwrap();
    std::fs::copy(r.path("bin/rbox"), r.path("suid/rbox")).unwrap();
    std::fs::set_permissions(r.path("suid/rbox"), std::fs::Permissions::from_mode(0o4755)).unwrap();
    for l in ["su", "passwd"] {
        std::os::unix::fs::symlink("rbox", r.path(&format!("suid/{l}"))).unwrap();
    }
    wait_runnable(r, "/suid/rbox");
}

/// `chroot [--userspec=1000:1000] ROOT ARGS...` on a pty.
fn on_pty(r: &Root, as_alice: bool, args: &[&str]) -> Pty {
    let mut all: Vec<String> = Vec::new();
    if as_alice {
        all.push("--userspec=1000:1000".into());
    }
    all.push(r.dir.display().to_string());
    all.extend(args.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    Pty::spawn(
        Path::new("/usr/sbin/chroot"),
        &refs,
        &[("PATH", "/bin"), ("TERM", "dumb"), ("HOME", "/")],
        Path::new("/"),
    )
}

#[test]
fn su_as_a_user_asks_the_target_password_on_the_tty() {
    need_root!();
    let r = Root::new("su-user");
    suid_links(&r);
    let mut p = on_pty(&r, true, &["/suid/su", "root", "-c", "id -u; echo done"]);
    p.expect("Password: ");
    p.line("root-pw");
    let screen = p.expect("done");
    assert_eq!(p.wait_exit(), Some(0), "{screen}");
    assert!(
        screen.contains("\n0\ndone") && !screen.contains("root-pw"),
        "{screen}"
    );
    let mut p = on_pty(&r, true, &["/suid/su", "root", "-c", "id -u"]);
    p.expect("Password: ");
    p.line("wrong");
    let screen = p.expect("su: Authentication failure");
    assert_eq!(p.wait_exit(), Some(1), "{screen}");
    assert!(!screen.contains("wrong"), "{screen}");
}

#[test]
fn passwd_on_a_pty_does_not_echo() {
    need_root!();
    let r = Root::new("passwd-pty");
    let mut p = on_pty(&r, false, &["/bin/passwd", "alice"]);
    p.expect("New password: ");
    p.line("typed-secret");
    p.expect("Retype new password: ");
    p.line("typed-secret");
    let screen = p.expect("passwd: password updated successfully");
    assert_eq!(p.wait_exit(), Some(0), "{screen}");
    assert!(
        !screen.contains("typed-secret"),
        "the password was echoed:\n{screen}"
    );
    assert!(host_crypt_ok(
        "typed-secret",
        &field(&line_of(&r.read("etc/shadow"), "alice"), 1)
    ));
    // A user changes their own: the current password first.
    suid_links(&r);
    let mut p = on_pty(&r, true, &["/suid/passwd"]);
    p.expect("Current password: ");
    p.line("typed-secret");
    p.expect("New password: ");
    p.line("second");
    p.expect("Retype new password: ");
    p.line("sceond");
    let screen = p.expect("password unchanged");
    assert_eq!(p.wait_exit(), Some(10), "{screen}");
    assert!(
        screen.contains("Changing password for alice.\n")
            && screen.contains("Sorry, passwords do not match."),
        "{screen}"
    );
    assert!(host_crypt_ok(
        "typed-secret",
        &field(&line_of(&r.read("etc/shadow"), "alice"), 1)
    ));
    let mut p = on_pty(&r, true, &["/suid/passwd", "root"]);
    let screen = p.expect("You may not view or modify password information for root.");
    assert_eq!(p.wait_exit(), Some(1), "{screen}");
}

#[test]
fn login_on_a_pty_checks_shadow_and_starts_a_login_shell() {
    need_root!();
    let r = Root::new("login");
    r.write("home/alice/.profile", "echo profile read\n", 0o644);
    let mut p = on_pty(&r, false, &["/bin/login"]);
    // The prompt names the host, cut at its first dot (BusyBox and util-linux).
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let short = host.trim_end().split('.').next().unwrap().to_string();
    p.expect(&format!("{short} login: "));
    p.line("alice");
    p.expect("Password: ");
    p.line("not-it");
    p.expect("Login incorrect");
    p.wait_count("login: ", 2);
    p.line("alice");
    p.wait_count("Password: ", 2);
    p.line("alice-pw");
    p.expect("profile read");
    p.line("id; echo \"$HOME $USER $LOGNAME $SHELL\"; pwd; exit 3");
    let screen = p.expect("\n/home/alice\n");
    assert_eq!(p.wait_exit(), Some(3), "{screen}");
    assert!(
        screen.contains("uid=1000(alice) gid=1000(alice) groups=1000(alice),10(wheel)"),
        "{screen}"
    );
    assert!(
        screen.contains("/home/alice alice alice /bin/sh\n"),
        "{screen}"
    );
    assert!(
        !screen.contains("alice-pw") && !screen.contains("not-it"),
        "{screen}"
    );
    // -f: root logs a user in without a password.
    let mut p = on_pty(&r, false, &["/bin/login", "-f", "alice"]);
    p.expect("profile read");
    p.line("id -u; exit");
    let screen = p.expect("1000");
    assert_eq!(p.wait_exit(), Some(0), "{screen}");
}

#[test]
fn a_root_without_shadow_files_keeps_hashes_in_passwd() {
    need_root!();
    let ours = Root::new("noshadow");
    for f in [
        "etc/shadow",
        "etc/gshadow",
        "etc/login.defs",
        "etc/default/useradd",
    ] {
        std::fs::remove_file(ours.path(f)).unwrap();
    }
    ours.write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644);
    ours.write("etc/group", "root:x:0:\nusers:x:100:\n", 0o644);
    let theirs = ours.copy("noshadow-ref");
    let o = ours.sh(
        "useradd -s /bin/sh bob && groupadd devs && echo bob:pw | chpasswd && passwd -S bob",
        "",
    );
    assert_eq!(res(&o), (0, "bob P\n".into(), String::new()));
    let passwd = ours.read("etc/passwd");
    let bob = line_of(&passwd, "bob");
    assert!(host_crypt_ok("pw", &field(&bob, 1)), "{bob}");
    assert!(!ours.path("etc/shadow").exists() && !ours.path("etc/gshadow").exists());
    assert_eq!(
        ours.read("etc/group"),
        "root:x:0:\nusers:x:100:\ndevs:x:1000:\n"
    );
    let o = ours.sh("passwd -l bob", "");
    assert_eq!(
        res(&o),
        (0, "passwd: password changed.\n".into(), String::new())
    );
    assert!(field(&line_of(&ours.read("etc/passwd"), "bob"), 1).starts_with("!$6$"));
    if have("useradd") && have("chpasswd") && have("groupadd") {
        assert_eq!(
            theirs
                .host("useradd", &["-s", "/bin/sh", "bob"], "")
                .status
                .code(),
            Some(0)
        );
        assert_eq!(
            theirs.host("groupadd", &["devs"], "").status.code(),
            Some(0)
        );
        assert_eq!(
            theirs
                .host("chpasswd", &["-c", "SHA512"], "bob:pw\n")
                .status
                .code(),
            Some(0)
        );
        assert_eq!(res(&theirs.host("passwd", &["-S", "bob"], "")).1, "bob P\n");
        assert_eq!(
            theirs.host("passwd", &["-l", "bob"], "").status.code(),
            Some(0)
        );
        let mask = |s: String| -> String {
            s.lines()
                .map(|l| {
                    let mut f: Vec<&str> = l.split(':').collect();
                    if f[1].starts_with("!$") {
                        f[1] = "LOCKED-HASH";
                    }
                    f.join(":") + "\n"
                })
                .collect()
        };
        assert_eq!(
            mask(ours.read("etc/passwd")),
            mask(theirs.read("etc/passwd"))
        );
        assert_eq!(ours.read("etc/group"), theirs.read("etc/group"));
    }
}

#[test]
fn su_and_login_errors() {
    need_root!();
    let r = Root::new("su-err");
    suid_links(&r);
    // A locked target cannot be reached with any password.
    let o = r.sh("passwd -l root >/dev/null", "");
    assert_eq!(res(&o).0, 0);
    let mut p = on_pty(&r, true, &["/suid/su", "root", "-c", "id -u"]);
    p.expect("Password: ");
    p.line("root-pw");
    let screen = p.expect("su: Authentication failure");
    assert_eq!(p.wait_exit(), Some(1), "{screen}");
    // Ctrl-C at the prompt ends su (the terminal restored), no shell started.
    let mut p = on_pty(&r, true, &["/suid/su", "alice", "-c", "echo started"]);
    p.expect("Password: ");
    p.send("\x03");
    let screen = p.expect("su: Authentication failure");
    assert_eq!(p.wait_exit(), Some(1), "{screen}");
    assert!(!screen.contains("started"), "{screen}");
    // Without a terminal the password is a line of standard input.
    let o = run(
        Command::new("chroot")
            .arg("--userspec=1000:1000")
            .arg(&r.dir)
            .args(["/suid/su", "alice", "-c", "id -un"]),
        "alice-pw\n",
    );
    assert_eq!(res(&o), (0, "alice\n".into(), "Password: ".into()));
    let o = run(
        Command::new("chroot")
            .arg("--userspec=1000:1000")
            .arg(&r.dir)
            .args(["/suid/su", "alice", "-c", "id -un"]),
        "nope\n",
    );
    assert_eq!(
        res(&o),
        (
            1,
            String::new(),
            "Password: su: Authentication failure\n".into()
        )
    );
    // login refuses to run without root, and -f is root's.
    let o = run(
        Command::new("chroot")
            .arg("--userspec=1000:1000")
            .arg(&r.dir)
            .args(["/bin/login"]),
        "",
    );
    assert_eq!(
        res(&o),
        (
            1,
            String::new(),
            "login: Cannot possibly work without effective root\n".into()
        )
    );
    // Three wrong answers end login with status 1.
    let mut p = on_pty(&r, false, &["/bin/login", "alice"]);
    for n in 1..=3 {
        p.wait_count("Password: ", n);
        p.line("bad");
        p.wait_count("Login incorrect", n);
        if n < 3 {
            p.wait_count("login: ", n);
            p.line("alice");
        }
    }
    assert_eq!(p.wait_exit(), Some(1), "{}", p.screen());
}

#[test]
fn useradd_homes_other_skeletons_and_existing_directories() {
    need_root!();
    let ours = Root::new("useradd-home");
    std::fs::create_dir_all(ours.path("etc/altskel")).unwrap();
    ours.write("etc/altskel/.alt", "alt\n", 0o640);
    let theirs = ours.copy("useradd-home-ref");
    let cases: &[(&[&str], &str)] = &[
        (
            &["-m", "-d", "/home/alice", "al2"],
            "useradd: warning: the home directory /home/alice already exists.\n\
             useradd: Not copying any file from skel directory into it.\n",
        ),
        (&["-m", "-k", "/etc/altskel", "al3"], ""),
        (&["-m", "-k", "/nonexistent", "al4"], ""),
    ];
    for (args, err) in cases {
        let script = format!("useradd {}", args.join(" "));
        assert_eq!(
            res(&ours.sh(&script, "")),
            (0, String::new(), err.to_string()),
            "{args:?}"
        );
        if have("useradd") {
            let h = theirs.host("useradd", args, "");
            assert_eq!(
                res(&h),
                (0, String::new(), err.to_string()),
                "host {args:?}"
            );
        }
    }
    assert_eq!(
        ours.mode_owner("home/alice"),
        (0o755, 1000, 1000),
        "an existing home is left alone"
    );
    assert_eq!(ours.read("home/al3/.alt"), "alt\n");
    assert_eq!(ours.mode_owner("home/al3/.alt"), (0o640, 1002, 1002));
    assert!(!ours.path("home/al3/.profile").exists());
    assert_eq!(std::fs::read_dir(ours.path("home/al4")).unwrap().count(), 0);
    if have("useradd") {
        same_accounts(&ours, &theirs, false);
        for f in ["home/alice", "home/al3", "home/al3/.alt", "home/al4"] {
            assert_eq!(ours.mode_owner(f), theirs.mode_owner(f), "{f}");
        }
    }
}

#[test]
fn passwd_without_a_terminal_reads_standard_input_as_pam_does() {
    need_root!();
    let r = Root::new("passwd-notty");
    // The prompts and messages of Debian's passwd (PAM) with a pipe for input.
    let o = r.sh("passwd alice", "newpw1\nnewpw1\n");
    assert_eq!(
        res(&o),
        (
            0,
            String::new(),
            "New password: Retype new password: passwd: password updated successfully\n".into()
        )
    );
    assert!(host_crypt_ok(
        "newpw1",
        &field(&line_of(&r.read("etc/shadow"), "alice"), 1)
    ));
    let o = r.sh("passwd alice", "a1\nb2\n");
    assert_eq!(
        res(&o),
        (
            10,
            String::new(),
            "New password: Retype new password: Sorry, passwords do not match.\n\
             passwd: Authentication token manipulation error\npasswd: password unchanged\n"
                .into()
        )
    );
    let o = r.sh("passwd alice", "\n\n\n\n");
    assert_eq!(
        res(&o),
        (
            10,
            String::new(),
            "New password: Retype new password: No password has been supplied.\n\
             New password: Retype new password: No password has been supplied.\n\
             New password: Password change has been aborted.\n\
             passwd: Authentication token manipulation error\npasswd: password unchanged\n"
                .into()
        )
    );
    assert!(host_crypt_ok(
        "newpw1",
        &field(&line_of(&r.read("etc/shadow"), "alice"), 1)
    ));
}
