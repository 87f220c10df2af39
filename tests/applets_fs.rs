//! The file applets end to end: the binary on real trees, checking the tree left behind.

mod support;

use support::{rbox, run_in, scratch, text};

#[test]
fn rm_r_leaves_symlink_targets_outside_the_tree() {
    let d = scratch("fs-rm");
    std::fs::create_dir_all(d.join("outside/keep")).unwrap();
    std::fs::write(d.join("outside/keep/f"), "x").unwrap();
    std::fs::create_dir_all(d.join("tree/a/b")).unwrap();
    std::os::unix::fs::symlink(d.join("outside"), d.join("tree/a/b/link")).unwrap();
    let out = run_in(rbox(), &["rm", "-rf", "tree"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!d.join("tree").exists());
    assert!(d.join("outside/keep/f").is_file());
}

#[test]
fn cp_a_then_mv_keep_the_tree() {
    let d = scratch("fs-cp");
    std::fs::create_dir_all(d.join("src/sub")).unwrap();
    std::fs::write(d.join("src/sub/f"), "data").unwrap();
    std::os::unix::fs::symlink("sub/f", d.join("src/ln")).unwrap();
    let out = run_in(rbox(), &["cp", "-a", "src", "copy"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(d.join("copy/sub/f")).unwrap(), b"data");
    assert!(d.join("copy/ln").is_symlink());
    let out = run_in(rbox(), &["mv", "copy", "copy"], b"", &d);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "mv: cannot move 'copy' to a subdirectory of itself, 'copy/copy'\n"
    );
    let out = run_in(rbox(), &["mv", "-v", "copy", "moved"], b"", &d);
    assert_eq!(text(&out.stdout), "renamed 'copy' -> 'moved'\n");
    assert!(d.join("moved/sub/f").is_file() && !d.join("copy").exists());
}

#[test]
fn mkdir_p_and_chmod_r() {
    let d = scratch("fs-mkdir");
    let out = run_in(rbox(), &["mkdir", "-p", "-m", "700", "a/b/c"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run_in(rbox(), &["chmod", "-R", "go+rX", "a"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(d.join("a/b/c"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o755);
}
