//! The rbox binary as a user meets it: multi-call dispatch, --list, --install, --help,
//! option errors, the static build and running in an empty chroot.

mod support;

use std::os::unix::fs::MetadataExt;
use std::process::Command;

use support::{applet_dir, rbox, run_in, run_rbox, scratch, text};

#[test]
fn list_prints_every_applet_sorted_one_per_line() {
    let out = run_rbox(&["--list"], b"");
    assert!(out.status.success());
    let listed = text(&out.stdout);
    let want: String = rbox_shell::applets::all()
        .iter()
        .map(|a| format!("{}\n", a.name))
        .collect();
    assert_eq!(listed, want);
    for name in ["basename", "cat", "dirname", "echo", "false", "sh", "true"] {
        assert!(
            listed.lines().any(|l| l == name),
            "{name} missing from --list"
        );
    }
}

#[test]
fn applet_by_name_and_through_a_link() {
    let out = run_rbox(&["echo", "hi", "there"], b"");
    assert_eq!(
        (text(&out.stdout), out.status.code()),
        ("hi there\n".into(), Some(0))
    );
    let dir = scratch("argv0");
    std::os::unix::fs::symlink(rbox(), dir.join("cat")).unwrap();
    let out = run_in(&dir.join("cat"), &["-n"], b"x\n", &dir);
    assert_eq!(text(&out.stdout), "     1\tx\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn shell_dollar_zero_is_argv0_through_a_link_as_in_dash() {
    let dir = scratch("sh-argv0");
    let link = dir.join("sh");
    std::os::unix::fs::symlink(rbox(), &link).unwrap();
    let out = run_in(&link, &["-c", "echo $0; nosuch"], b"", &dir);
    let l = link.display();
    assert_eq!(text(&out.stdout), format!("{l}\n"));
    assert_eq!(text(&out.stderr), format!("{l}: 1: nosuch: not found\n"));
    assert_eq!(out.status.code(), Some(127));
    // A login shell started as `-sh` (what login and su - do) keeps the dash in $0.
    use std::os::unix::process::CommandExt;
    let out = Command::new(&link)
        .arg0("-sh")
        .args(["-c", "echo $0"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "-sh\n");
    // As `rbox sh`, $0 is plain `sh`.
    let out = run_rbox(&["sh", "-c", "echo $0"], b"");
    assert_eq!(text(&out.stdout), "sh\n");
}

#[test]
fn unknown_applet_is_127_by_name_and_by_link() {
    let out = run_rbox(&["nosuch", "x"], b"");
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(text(&out.stderr), "rbox: nosuch: applet not found\n");
    assert!(out.stdout.is_empty());
    let dir = scratch("unknown-link");
    std::os::unix::fs::symlink(rbox(), dir.join("frobnicate")).unwrap();
    let out = run_in(&dir.join("frobnicate"), &[], b"", &dir);
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(text(&out.stderr), "rbox: frobnicate: applet not found\n");
}

#[test]
fn bare_rbox_and_help_show_usage_and_applets() {
    for args in [&[][..], &["--help"][..]] {
        let out = run_rbox(args, b"");
        assert_eq!(out.status.code(), Some(0));
        let s = text(&out.stdout);
        assert!(s.contains("Usage: rbox APPLET [ARG]..."), "{s}");
        assert!(s.contains("rbox --install [-s] [DIR]"), "{s}");
        for name in ["basename, ", "cat, ", "echo, ", "sh, ", "true"] {
            assert!(s.contains(name), "{name} missing: {s}");
        }
    }
    let out = run_rbox(&["--version"], b"");
    assert_eq!(
        text(&out.stdout),
        format!("rbox {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = run_rbox(&["--bogus"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("rbox: unknown option '--bogus'\n"));
}

#[test]
fn applet_help_from_either_side() {
    let a = run_rbox(&["cat", "--help"], b"");
    let b = run_rbox(&["--help", "cat"], b"");
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    assert!(text(&a.stdout).starts_with("Usage: cat [-nbsuvetAET] [FILE]...\n\nConcatenate"));
    // echo and true take --help as an ordinary argument.
    assert_eq!(text(&run_rbox(&["echo", "--help"], b"").stdout), "--help\n");
    assert!(run_rbox(&["true", "--help"], b"").stdout.is_empty());
}

#[test]
fn install_symlinks_then_links_work() {
    let dir = scratch("install-s");
    let out = Command::new(rbox())
        .args(["--install", "-s"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let n = rbox_shell::applets::all().len();
    assert!(text(&out.stdout).starts_with(&format!("rbox: made {n} symbolic links to ")));
    assert_eq!(std::fs::read_link(dir.join("cat")).unwrap(), rbox());
    std::fs::write(dir.join("f"), "file\n").unwrap();
    let out = run_in(&dir.join("cat"), &["f"], b"", &dir);
    assert_eq!(text(&out.stdout), "file\n");
    let out = run_in(&dir.join("echo"), &["-n", "x"], b"", &dir);
    assert_eq!(text(&out.stdout), "x");
}

#[test]
fn install_makes_hard_links_and_never_overwrites() {
    // Hard links must stay on rbox's filesystem: copy the binary next to the target.
    let dir = scratch("install-hard");
    let exe = dir.join("rbox");
    std::fs::copy(rbox(), &exe).unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("echo"), "keep me").unwrap();
    let out = Command::new(&exe)
        .arg("--install")
        .arg(&bin)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(text(&out.stderr).contains("echo: already exists, left alone"));
    assert_eq!(
        std::fs::read_to_string(bin.join("echo")).unwrap(),
        "keep me"
    );
    let cat = std::fs::symlink_metadata(bin.join("cat")).unwrap();
    assert!(cat.file_type().is_file());
    assert_eq!(cat.ino(), std::fs::metadata(&exe).unwrap().ino());
    let out = run_in(&bin.join("basename"), &["/a/b.c", ".c"], b"", &dir);
    assert_eq!(text(&out.stdout), "b\n");
}

#[test]
fn option_layer_end_to_end() {
    // A cluster, and -- ending options so a file named -n is read.
    let dir = scratch("opts");
    std::fs::write(dir.join("-n"), "dash-n\n").unwrap();
    let out = run_in(rbox(), &["cat", "-nE", "--", "-n"], b"", &dir);
    assert_eq!(text(&out.stdout), "     1\tdash-n$\n");
    // An unknown option: one line naming the applet, then the usage line, status 1.
    let out = run_rbox(&["cat", "-q"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "cat: invalid option -- 'q'\nUsage: cat [-nbsuvetAET] [FILE]...\n"
    );
    assert!(out.stdout.is_empty());
    let out = run_rbox(&["basename", "-s"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "basename: option requires an argument -- 's'\nUsage: basename NAME [SUFFIX] | -a NAME... | -s SUFFIX NAME...\n"
    );
}

#[test]
fn cat_reports_and_continues_past_missing_files() {
    let dir = scratch("cat-missing");
    std::fs::write(dir.join("a"), "A\n").unwrap();
    let out = run_in(rbox(), &["cat", "missing", "a", "-"], b"in\n", &dir);
    assert_eq!(text(&out.stdout), "A\nin\n");
    assert_eq!(
        text(&out.stderr),
        "cat: missing: No such file or directory\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn writer_to_a_closed_pipe_dies_of_sigpipe_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = scratch("sigpipe");
    let big = vec![b'y'; 4 << 20];
    std::fs::write(dir.join("big"), &big).unwrap();
    let mut child = Command::new(rbox())
        .args(["cat", "big"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.signal(), Some(13), "{out:?}");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn binary_is_statically_linked() {
    let elf = std::fs::read(rbox()).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap()) as usize;
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    const PT_INTERP: u32 = 3;
    assert!(phnum > 0);
    for i in 0..phnum {
        let at = phoff + i * phentsize;
        let p_type = u32::from_le_bytes(elf[at..at + 4].try_into().unwrap());
        assert_ne!(p_type, PT_INTERP, "the binary asks for a dynamic loader");
    }
}

#[test]
fn runs_in_an_empty_chroot() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: chroot needs root");
        return;
    }
    let root = scratch("chroot");
    std::fs::copy(rbox(), root.join("rbox")).unwrap();
    let out = Command::new("chroot")
        .arg(&root)
        .args(["/rbox", "echo", "hi"])
        .output()
        .unwrap();
    assert_eq!(
        (text(&out.stdout), out.status.code()),
        ("hi\n".into(), Some(0)),
        "{out:?}"
    );
    // --install works there too, without /proc.
    let out = Command::new("chroot")
        .arg(&root)
        .args(["/rbox", "--install", "-s", "/bin"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = Command::new("chroot")
        .arg(&root)
        .args(["/bin/basename", "/x/y"])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "y\n");
}

#[test]
fn applet_links_dir_has_every_applet() {
    for a in rbox_shell::applets::all() {
        assert!(
            applet_dir().join(a.name).symlink_metadata().is_ok(),
            "{} not linked",
            a.name
        );
    }
}
