//! The mount applets for real: mount, umount, mountpoint, chroot, pivot_root,
//! switch_root and losetup, each run inside `unshare --mount --fork` (with `--pid` where a
//! fresh proc is mounted or PID 1 is needed), so nothing on the host changes. As root
//! only; a machine that refuses namespaces or loop devices skips with a printed reason.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{applet_dir, rbox, scratch, text};

/// Runs `cmd` with stdin `input`, killing it after two minutes (a hang fails the test).
fn bounded(mut cmd: Command, input: &[u8]) -> Output {
    use std::io::{Read, Write};
    let mut child = cmd
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", applet_dir().display()),
        )
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("command did not finish within two minutes: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    writer.join().unwrap();
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// Whether this machine lets the test make mount and pid namespaces (prints why not).
fn namespaces_work() -> bool {
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--pid", "--fork", "true"]);
    let ok = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: unshare --mount --pid --fork is refused here (needs root)");
    }
    ok
}

/// Runs `rbox sh -c SCRIPT` in a new mount namespace (and pid namespace with `pid`).
fn in_namespace(pid: bool, script: &str) -> Output {
    let mut cmd = Command::new("unshare");
    cmd.arg("--mount");
    if pid {
        cmd.arg("--pid");
    }
    cmd.arg("--fork").arg(rbox()).args(["sh", "-c", script]);
    bounded(cmd, b"")
}

/// stdout, stderr and the status of a run, for one-line assertions.
fn summary(out: &Output) -> (String, String, Option<i32>) {
    (text(&out.stdout), text(&out.stderr), out.status.code())
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn tmpfs_mount_list_remount_read_only_and_umount() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-tmpfs");
    let m = d.join("m");
    std::fs::create_dir(&m).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=1m,mode=700,nosuid rboxtest {m} || exit 9
         mount -t tmpfs | grep rboxtest
         mount | grep -c rboxtest
         [ \"$(mount)\" = \"$(/usr/bin/mount)\" ] && echo same as util-linux
         echo data > {m}/f && cat {m}/f
         mount -o remount,ro {m} && mount -t tmpfs | grep rboxtest
         touch {m}/g 2>/dev/null || echo write refused
         touch {m}/g 2>&1 | grep -c 'Read-only file system'
         mountpoint {m}; umount {m}; mountpoint {m}; echo $?
         umount {m}",
        m = s(&m)
    );
    let out = in_namespace(false, &script);
    let m = s(&m);
    assert_eq!(
        summary(&out),
        (
            format!(
                "rboxtest on {m} type tmpfs (rw,nosuid,relatime,size=1024k,mode=700)\n1\n\
                 same as util-linux\ndata\n\
                 rboxtest on {m} type tmpfs (ro,nosuid,relatime,size=1024k,mode=700)\n\
                 write refused\n1\n{m} is a mountpoint\n{m} is not a mountpoint\n32\n"
            ),
            format!("umount: can't unmount {m}: Invalid argument\n"),
            Some(1)
        )
    );
}

#[test]
fn bind_rbind_move_and_read_only_bind() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-bind");
    for sub in ["src/inner", "b", "r", "moved"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    std::fs::write(d.join("src/file"), "in source\n").unwrap();
    let script = format!(
        "cd {d} || exit 9
         mount -t tmpfs inner src/inner && echo deep > src/inner/x
         mount --bind src b && cat b/file && ls b/inner
         mount --rbind src r && cat r/inner/x
         mount --move b moved && cat moved/file && mountpoint -q b || echo b is free
         mount -o bind,ro src b && mount | grep -c ' {d}/b type .*(ro,'
         {{ echo new > b/new; }} 2>/dev/null || echo read-only bind
         echo new > src/new && cat b/new
         mount -o remount,bind,rw b && echo rw again > b/rw && cat src/rw
         mount --make-private {d}/r && echo private",
        d = s(&d)
    );
    let out = in_namespace(false, &script);
    assert_eq!(
        summary(&out),
        (
            "in source\ndeep\nin source\nb is free\n1\nread-only bind\nnew\nrw again\nprivate\n"
                .to_string(),
            String::new(),
            Some(0)
        )
    );
    assert!(
        !d.join("src/inner/x").exists(),
        "the tmpfs stayed in the namespace"
    );
}

#[test]
fn proc_in_a_pid_namespace_shows_pid_1() {
    if !namespaces_work() {
        return;
    }
    let out = in_namespace(
        true,
        "mount -t proc proc /proc || exit 9
         mount -t proc
         cut -d' ' -f1 /proc/1/stat; echo $$
         ls /proc | grep -c '^[0-9]' | awk '$1 < 10 { print \"few processes\" }'",
    );
    assert_eq!(
        summary(&out),
        (
            "proc on /proc type proc (rw,relatime)\nproc on /proc type proc (rw,relatime)\n1\n1\nfew processes\n"
                .to_string(),
            String::new(),
            Some(0)
        )
    );
}

/// A directory holding only a copy of the static rbox (and `/bin/sh` linked to it).
fn rbox_root(tag: &str) -> std::path::PathBuf {
    let root = scratch(tag);
    std::fs::copy(rbox(), root.join("rbox")).unwrap();
    std::fs::create_dir(root.join("bin")).unwrap();
    std::os::unix::fs::symlink("/rbox", root.join("bin/sh")).unwrap();
    root
}

#[test]
fn mount_a_from_fstab_in_a_chroot_holding_only_rbox() {
    if !namespaces_work() {
        return;
    }
    let root = rbox_root("mnt-fstab");
    for dir in ["etc", "proc", "tmp", "never", "data", "skipped"] {
        std::fs::create_dir(root.join(dir)).unwrap();
    }
    std::fs::write(
        root.join("etc/fstab"),
        "# the test's table\n\
         proc  /proc   proc   defaults       0 0\n\
         tmp   /tmp    tmpfs  size=1m,nodev  0 0\n\
         none  /never  tmpfs  noauto         0 0\n\
         dat\\040a /data tmpfs mode=711      0 0\n\
         sk    /skipped ramfs defaults      0 0\n",
    )
    .unwrap();
    let script = format!(
        "chroot {r} /rbox sh -c '
           mount; echo status $?
           mount -a -t noramfs || exit 9
           mount
           mount -a -t noramfs && mount | wc -l
           mount /skipped && mount -t ramfs
           mount /never && mount -t tmpfs | grep -c never
           mount /nothere; echo status $?'",
        r = s(&root)
    );
    let out = in_namespace(true, &script);
    assert_eq!(
        summary(&out),
        (
            "status 1\n\
             proc on /proc type proc (rw,relatime)\n\
             tmp on /tmp type tmpfs (rw,nodev,relatime,size=1024k)\n\
             dat a on /data type tmpfs (rw,relatime,mode=711)\n3\n\
             sk on /skipped type ramfs (rw,relatime)\n1\nstatus 1\n"
                .to_string(),
            "mount: can't read '/proc/mounts': No such file or directory\n\
             mount: can't find /nothere in /etc/fstab\n"
                .to_string(),
            Some(0)
        )
    );
    // The same table through -T, outside the chroot.
    let fstab = root.join("tab");
    std::fs::write(
        &fstab,
        format!("t1 {r}/tmp tmpfs defaults 0 0\n", r = s(&root)),
    )
    .unwrap();
    let script = format!(
        "mount -a -T {f} -v; mount -t tmpfs | grep -c '^t1 on'; mount -a -T {f} -v",
        f = s(&fstab)
    );
    let out = in_namespace(false, &script);
    assert_eq!(
        summary(&out),
        (
            format!("mount: t1 mounted on {r}/tmp.\n1\n", r = s(&root)),
            String::new(),
            Some(0)
        )
    );
}

#[test]
fn umount_busy_lazy_read_only_by_source_and_all() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-umount");
    for sub in ["a", "b", "c"] {
        std::fs::create_dir(d.join(sub)).unwrap();
    }
    let script = format!(
        "cd {d} || exit 9
         mount -t tmpfs busyfs a && echo kept > a/f
         exec 3< a/f
         umount a; echo status $?
         umount -r a; mount | grep -c ' {d}/a type tmpfs (ro,'
         umount -l a && mountpoint -q a || echo detached
         cat <&3
         mount -t tmpfs bysource b && umount bysource && echo unmounted by source",
        d = s(&d)
    );
    let out = in_namespace(false, &script);
    assert_eq!(
        summary(&out),
        (
            "status 1\n1\ndetached\nkept\nunmounted by source\n".to_string(),
            "umount: can't unmount a: Device or resource busy\n\
             umount: busyfs busy - remounted read-only\n"
                .to_string(),
            Some(0)
        )
    );
}

#[test]
fn pivot_root_then_umount_a_keeps_root_and_proc() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-pivot");
    let script = format!(
        "mount -t tmpfs newroot {d} && cp {rbox} {d}/rbox && mkdir {d}/old {d}/proc {d}/a {d}/b || exit 9
         cd {d} && pivot_root . old || exit 8
         cd / && umount -l /old && ls /
         mount -t proc proc /proc && mount -t tmpfs a /a && mount -t tmpfs b /b
         umount -a && cut -d' ' -f1-3 /proc/mounts
         pivot_root /nowhere /old",
        d = s(&d),
        rbox = s(rbox())
    );
    let out = in_namespace(true, &script);
    assert_eq!(
        summary(&out),
        (
            "a\nb\nold\nproc\nrbox\nnewroot / tmpfs\nproc /proc proc\n".to_string(),
            "pivot_root: failed to change root from `/nowhere' to `/old': No such file or directory\n"
                .to_string(),
            Some(1)
        )
    );
}

#[test]
fn switch_root_as_pid_1_deletes_the_old_root_and_execs_init() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-switch");
    let script = format!(
        "mount -t tmpfs initramfs {d} || exit 9
         cp {rbox} {d}/rbox && echo > {d}/init && mkdir -p {d}/junk/deep {d}/new && echo x > {d}/junk/deep/f
         mount -t tmpfs realroot {d}/new && cp {rbox} {d}/new/rbox && mkdir {d}/new/spy {d}/new/proc
         mount --bind {d} {d}/new/spy
         switch_root {d}/new /rbox true; echo not pid 1: $?
         exec chroot {d} /rbox switch_root /new /rbox sh -c 'echo pid $$; ls /; echo old root:; ls /spy; echo args \"$0\" \"$1\"' zero one",
        d = s(&d),
        rbox = s(rbox())
    );
    let out = in_namespace(true, &script);
    assert_eq!(
        summary(&out),
        (
            "not pid 1: 1\npid 1\nproc\nrbox\nspy\nold root:\nnew\nargs zero one\n".to_string(),
            "switch_root: PID must be 1\nUsage: switch_root [-c CONSOLE_DEV] NEW_ROOT NEW_INIT [ARGS]\n"
                .to_string(),
            Some(0)
        )
    );
}

#[test]
fn switch_root_c_reopens_stdio_on_the_console() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-switch-console");
    // The new root is a host directory bound in, so what init writes outlives the run.
    let real = scratch("mnt-switch-real");
    std::fs::copy(rbox(), real.join("rbox")).unwrap();
    std::fs::write(real.join("console"), "").unwrap();
    let script = format!(
        "mount -t tmpfs initramfs {d} && cp {rbox} {d}/rbox && echo > {d}/init && mkdir {d}/new || exit 9
         mount --bind {real} {d}/new || exit 8
         exec chroot {d} /rbox switch_root -c /console /new /rbox sh -c 'echo on the console; echo to stderr >&2; echo pid $$'",
        d = s(&d),
        real = s(&real),
        rbox = s(rbox())
    );
    let out = in_namespace(true, &script);
    assert_eq!(summary(&out), (String::new(), String::new(), Some(0)));
    assert_eq!(
        std::fs::read_to_string(real.join("console")).unwrap(),
        "on the console\nto stderr\npid 1\n"
    );
}

#[test]
fn sysfs_devpts_ramfs_and_type_lists() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-kinds");
    for sub in ["sys", "pts", "ram", "either"] {
        std::fs::create_dir(d.join(sub)).unwrap();
    }
    let script = format!(
        "cd {d} || exit 9
         mount -t sysfs sysfs sys && test -d sys/kernel && echo sysfs
         mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts pts && ls pts
         mount -t ramfs -o mode=750 ram ram && echo x > ram/f && cat ram/f
         mount -t no-such-fs,tmpfs either either && mount -t tmpfs | grep -c '^either on'
         mount -t sysfs,devpts,ramfs | cut -d' ' -f1,4-
         [ \"$(mount -t sysfs,devpts,ramfs)\" = \"$(/usr/bin/mount -t sysfs,devpts,ramfs)\" ] && echo same as util-linux",
        d = s(&d)
    );
    let out = in_namespace(false, &script);
    let (stdout, stderr, status) = summary(&out);
    assert_eq!((stderr.as_str(), status), ("", Some(0)));
    assert!(stdout.starts_with("sysfs\nptmx\nx\n1\n"), "{stdout}");
    assert!(
        stdout.contains("\ndevpts type devpts (rw,relatime,mode=620,ptmxmode=666)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\nram type ramfs (rw,relatime,mode=750)\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("same as util-linux\n"), "{stdout}");
}

#[test]
fn switch_root_checks_the_old_root() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-switch-checks");
    std::fs::create_dir(d.join("new")).unwrap();
    std::fs::create_dir(d.join("plain")).unwrap();
    std::fs::copy(rbox(), d.join("rbox")).unwrap();
    std::fs::write(d.join("init"), "").unwrap();
    // Each runs as PID 1 of its namespace, after a tmpfs is mounted on NEW.
    let pid1 = |then: &str| {
        let script = format!(
            "mount -t tmpfs n {d}/new || exit 9; exec {rbox} {then}",
            d = s(&d),
            rbox = s(rbox())
        );
        let mut cmd = Command::new("unshare");
        cmd.args(["--mount", "--pid", "--fork", "sh", "-c", &script]);
        summary(&bounded(cmd, b""))
    };
    let usage = "Usage: switch_root [-c CONSOLE_DEV] NEW_ROOT NEW_INIT [ARGS]\n";
    // The host's root has no /init.
    assert_eq!(
        pid1(&format!("switch_root {}/new /x", s(&d))),
        (
            String::new(),
            "switch_root: '/init' is not a regular file\n".to_string(),
            Some(1)
        )
    );
    // A root on a disk filesystem is never emptied.
    assert_eq!(
        pid1(&format!("chroot {} /rbox switch_root /new /x", s(&d))),
        (
            String::new(),
            "switch_root: root filesystem is not ramfs/tmpfs\n".to_string(),
            Some(1)
        )
    );
    assert_eq!(
        pid1(&format!("chroot {} /rbox switch_root /plain /x", s(&d))),
        (
            String::new(),
            format!("switch_root: NEW_ROOT must be a mountpoint\n{usage}"),
            Some(1)
        )
    );
    assert_eq!(
        pid1("switch_root /no/such/root /x"),
        (
            String::new(),
            "switch_root: can't change directory to '/no/such/root': No such file or directory\n"
                .to_string(),
            Some(1)
        )
    );
    assert!(d.join("init").exists() && d.join("rbox").exists() && d.join("plain").exists());
}

#[test]
fn chroot_runs_commands_in_a_root_holding_only_rbox() {
    if !nix_root() {
        return;
    }
    let root = rbox_root("chroot");
    let r = s(&root);
    let run = |args: &[&str], input: &[u8]| {
        let mut cmd = Command::new(rbox());
        cmd.arg("chroot").args(args);
        summary(&bounded(cmd, input))
    };
    assert_eq!(
        run(&[r, "/rbox", "sh", "-c", "ls /; pwd"], b""),
        ("bin\nrbox\n/\n".to_string(), String::new(), Some(0))
    );
    // An applet name the root's PATH lacks runs this rbox.
    assert_eq!(
        run(&[r, "echo", "hi"], b""),
        ("hi\n".to_string(), String::new(), Some(0))
    );
    // Without a command: /bin/sh -i (SHELL is unset here).
    let (out, _, status) = run(&[r], b"echo in the root; ls /\n");
    assert_eq!(
        (out, status),
        ("in the root\nbin\nrbox\n".to_string(), Some(0))
    );
    assert_eq!(
        run(&[r, "no-such-command"], b""),
        (
            String::new(),
            "chroot: failed to run command 'no-such-command': No such file or directory\n"
                .to_string(),
            Some(127)
        )
    );
    std::fs::write(root.join("plain"), "").unwrap();
    assert_eq!(
        run(&[r, "/plain"], b""),
        (
            String::new(),
            "chroot: failed to run command '/plain': Permission denied\n".to_string(),
            Some(126)
        )
    );
    assert_eq!(
        run(&["/no/such/root", "true"], b""),
        (
            String::new(),
            "chroot: cannot change root directory to '/no/such/root': No such file or directory\n"
                .to_string(),
            Some(125)
        )
    );
    assert_eq!(
        run(&["--userspec=65534:65534", r, "/rbox", "id", "-u"], b""),
        ("65534\n".to_string(), String::new(), Some(0))
    );
}

fn nix_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("skipped: chroot needs root");
    }
    root
}

#[test]
fn mount_errors_are_busybox_shaped() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-errors");
    let script = format!(
        "mount -t tmpfs none /no/such/dir; echo status $?
         mount -t no-such-fs none {d}; echo status $?
         mount --bind /no/such/src {d}; echo status $?
         umount {d}; echo status $?
         umount; echo status $?
         mountpoint -d {d}; echo status $?",
        d = s(&d)
    );
    let out = in_namespace(false, &script);
    let d = s(&d);
    assert_eq!(
        summary(&out),
        (
            format!(
                "status 255\nstatus 255\nstatus 255\nstatus 1\nstatus 1\n{d} is not a mountpoint\nstatus 32\n"
            ),
            format!(
                "mount: mounting none on /no/such/dir failed: No such file or directory\n\
                 mount: mounting none on {d} failed: No such device\n\
                 mount: mounting /no/such/src on {d} failed: No such file or directory\n\
                 umount: can't unmount {d}: Invalid argument\n\
                 umount: missing operand\nUsage: umount [-adflnrv] [-t TYPE] DIR|SOURCE...\n"
            ),
            Some(0)
        )
    );
}

#[test]
fn mountpoint_d_and_x_match_util_linux() {
    if !namespaces_work() {
        return;
    }
    let d = scratch("mnt-devno");
    let script = format!(
        "mount -t tmpfs t {d} || exit 9
         [ \"$(mountpoint -d {d})\" = \"$(/usr/bin/mountpoint -d {d})\" ] && echo same -d
         mountpoint -d {d} | grep -c '^0:[0-9]*$'
         mountpoint -x /dev/null; echo status $?",
        d = s(&d)
    );
    let out = in_namespace(false, &script);
    assert_eq!(
        summary(&out),
        (
            "same -d\n1\nstatus 32\n".to_string(),
            "mountpoint: /dev/null: not a block device\n".to_string(),
            Some(0)
        )
    );
}

/// Whether a loop device can be had here (prints why not).
fn loop_devices_work() -> bool {
    let ok = Path::new("/dev/loop-control").exists()
        && Command::new(rbox())
            .args(["losetup", "-f"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: no usable loop devices (/dev/loop-control)");
    }
    ok
}

/// Detaches a loop device when the test ends, however it ends, if it is still bound to
/// the test's file (the number may have gone to someone else since).
struct Detach(String, String);

impl Drop for Detach {
    fn drop(&mut self) {
        let shown = Command::new(rbox()).args(["losetup", &self.0]).output();
        if shown.is_ok_and(|o| text(&o.stdout).contains(&format!(" ({})", self.1))) {
            let _ = Command::new(rbox())
                .args(["losetup", "-d", &self.0])
                .output();
        }
    }
}

#[test]
fn losetup_attach_show_detach_and_mount_o_loop() {
    if !namespaces_work() || !loop_devices_work() {
        return;
    }
    let d = scratch("losetup");
    let img = d.join("disk.img");
    std::fs::write(&img, vec![0u8; 4 << 20]).unwrap();
    let img_s = s(&img);
    let lo = |args: &[&str]| {
        let mut cmd = Command::new(rbox());
        cmd.arg("losetup").args(args);
        bounded(cmd, b"")
    };
    let out = lo(&["-f", "--show", "-o", "512", img_s]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dev = text(&out.stdout).trim_end().to_string();
    let _guard = Detach(dev.clone(), img_s.to_string());
    assert!(dev.starts_with("/dev/loop"), "{dev}");
    let shown = text(&lo(&[&dev]).stdout);
    let host = Command::new("losetup").arg(&dev).output().unwrap();
    assert_eq!(shown, text(&host.stdout));
    assert!(
        shown.ends_with(&format!(" ({img_s}), offset 512\n")),
        "{shown}"
    );
    assert!(text(&lo(&["-a"]).stdout).contains(&shown));
    let again = lo(&[&dev, img_s]);
    assert_eq!(
        summary(&again),
        (
            String::new(),
            format!("losetup: {img_s}: failed to set up loop device: Device or resource busy\n"),
            Some(1)
        )
    );
    assert_eq!(lo(&["-d", &dev]).status.code(), Some(0));
    // -r and -P reach the kernel's flags (read back by util-linux).
    let out = lo(&["-r", "-P", "-f", "--show", img_s]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ro_dev = text(&out.stdout).trim_end().to_string();
    let _ro_guard = Detach(ro_dev.clone(), img_s.to_string());
    let flags = Command::new("losetup")
        .args(["-l", "-n", "-O", "RO,PARTSCAN,OFFSET", &ro_dev])
        .output()
        .unwrap();
    assert_eq!(
        text(&flags.stdout).split_whitespace().collect::<Vec<_>>(),
        ["1", "1", "0"]
    );
    assert_eq!(lo(&["-d", &ro_dev]).status.code(), Some(0));
    assert_eq!(
        summary(&lo(&[&dev])),
        (
            String::new(),
            format!("losetup: {dev}: No such device or address\n"),
            Some(1)
        )
    );
    assert_eq!(
        summary(&lo(&["-d", &dev])),
        (
            String::new(),
            format!("losetup: {dev}: detach failed: No such device or address\n"),
            Some(1)
        )
    );
    // mount -o loop, when mkfs.ext2 can make a filesystem to mount.
    let mkfs = Command::new("mkfs.ext2").args(["-q", "-F", img_s]).output();
    if !mkfs.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped mount -o loop: no mkfs.ext2 (e2fsprogs)");
        return;
    }
    let m = d.join("m");
    std::fs::create_dir(&m).unwrap();
    let script = format!(
        "mount -o loop /no/such.img {m}; echo status $?
         mount -o loop {img} {m} || exit 9
         dev=$(mount | grep ' on {m} type ext2' | cut -d' ' -f1)
         case $dev in /dev/loop*) echo on a loop device;; esac
         echo written > {m}/f && umount {m} && mountpoint -q {m} || echo unmounted
         losetup $dev 2>/dev/null || echo freed
         mount -r {img} {m} && cat {m}/f && mount | grep -c ' on {m} type ext2 (ro,'
         umount {m}",
        img = img_s,
        m = s(&m)
    );
    let out = in_namespace(false, &script);
    assert_eq!(
        summary(&out),
        (
            "status 255\non a loop device\nunmounted\nfreed\nwritten\n1\n".to_string(),
            "mount: can't setup loop device: No such file or directory\n".to_string(),
            Some(0)
        )
    );
}
