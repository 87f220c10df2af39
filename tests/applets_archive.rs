//! The archive applets end to end: the binary on real trees, with GNU tar, gzip and zcat
//! on the other side.

mod support;

use std::path::Path;
use std::process::Command;

use support::{rbox, run_in, scratch, text};

fn gnu(cwd: &Path, prog: &str, args: &[&str]) -> std::process::Output {
    Command::new(prog)
        .args(args)
        .current_dir(cwd)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

fn tree(d: &Path) {
    std::fs::create_dir_all(d.join("src/sub/deeper")).unwrap();
    std::fs::write(d.join("src/sub/f"), "data\n").unwrap();
    std::fs::write(d.join("src/empty"), "").unwrap();
    std::os::unix::fs::symlink("sub/f", d.join("src/ln")).unwrap();
    std::fs::hard_link(d.join("src/sub/f"), d.join("src/hard")).unwrap();
    std::fs::write(d.join("src").join("n".repeat(150)), "long\n").unwrap();
}

#[test]
fn tar_czf_lists_and_extracts_the_same_with_gnu() {
    let d = scratch("arc-tgz");
    tree(&d);
    let out = run_in(rbox(), &["tar", "czf", "a.tgz", "src"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ours = Command::new(rbox())
        .args(["tar", "tzvf", "a.tgz"])
        .current_dir(&d)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let theirs = gnu(&d, "tar", &["tzvf", "a.tgz"]);
    assert!(theirs.stderr.is_empty(), "{}", text(&theirs.stderr));
    assert_eq!(text(&ours.stdout), text(&theirs.stdout));
    std::fs::create_dir(d.join("x")).unwrap();
    let o = gnu(&d, "tar", &["xzf", "a.tgz", "-C", "x"]);
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(std::fs::read(d.join("x/src/hard")).unwrap(), b"data\n");
    assert!(d.join("x/src/ln").is_symlink());
}

#[test]
fn a_gnu_archive_appending_a_file_under_its_own_symlink_writes_nothing_outside() {
    let d = scratch("arc-evil");
    std::fs::create_dir_all(d.join("outside")).unwrap();
    std::fs::create_dir_all(d.join("layer1")).unwrap();
    std::fs::create_dir_all(d.join("layer2/etc")).unwrap();
    std::os::unix::fs::symlink(d.join("outside"), d.join("layer1/etc")).unwrap();
    std::fs::write(d.join("layer2/etc/passwd"), "evil::0:0::/:/bin/sh\n").unwrap();
    assert!(
        gnu(&d, "tar", &["cf", "evil.tar", "-C", "layer1", "etc"])
            .status
            .success()
    );
    assert!(
        gnu(&d, "tar", &["rf", "evil.tar", "-C", "layer2", "etc/passwd"])
            .status
            .success()
    );
    std::fs::create_dir(d.join("t")).unwrap();
    let out = run_in(rbox(), &["tar", "xf", "evil.tar", "-C", "t"], b"", &d);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "tar: etc/passwd: Cannot open: Not a directory\n\
         tar: Exiting with failure status due to previous errors\n"
    );
    assert!(!d.join("outside/passwd").exists());
    assert!(d.join("t/etc").is_symlink());
}

#[test]
fn gzip_files_read_by_gnu_and_back() {
    let d = scratch("arc-gz");
    let data: String = (0..5000).map(|i| format!("line {i}\n")).collect();
    std::fs::write(d.join("f"), &data).unwrap();
    let out = run_in(rbox(), &["gzip", "-9", "f"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!d.join("f").exists());
    let z = gnu(&d, "/bin/zcat", &["f.gz"]);
    assert_eq!(text(&z.stdout), data);
    let t = gnu(&d, "gzip", &["-tv", "f.gz"]);
    assert!(t.status.success(), "{}", text(&t.stderr));
    std::fs::remove_file(d.join("f.gz")).unwrap();
    std::fs::write(d.join("g"), &data).unwrap();
    assert!(gnu(&d, "gzip", &["g"]).status.success());
    let out = run_in(rbox(), &["gunzip", "g.gz"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(d.join("g")).unwrap(), data);
    let out = run_in(
        rbox(),
        &["sh", "-c", "gzip -c g > g.gz && zcat g.gz g.gz | wc -l"],
        b"",
        &d,
    );
    assert_eq!(text(&out.stdout).trim(), "10000");
}
