//! cat end to end, where its output is a real fd: files go out with sendfile, and the
//! read/write loop takes over where the kernel cannot splice (tested through `sh -c`
//! redirections so the output fd is a file, an appended file, a pipe or /dev/full).

mod support;

use support::{rbox, run_in, scratch, text};

#[test]
fn files_reach_files_pipes_and_appended_files_in_order() {
    let d = scratch("cat-fd");
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(d.join("big"), &big).unwrap();
    std::fs::write(d.join("small"), "abc\n").unwrap();
    std::fs::write(d.join("app"), "old\n").unwrap();
    let script = "echo head > out; cat small big small >> out; \
                  cat small >> app; cat small big >> app; cat big | cat > piped";
    let r = rbox().to_str().unwrap();
    let out = run_in(
        rbox(),
        &["sh", "-c", &script.replace("cat", &format!("{r} cat"))],
        b"",
        &d,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut want = b"head\nabc\n".to_vec();
    want.extend_from_slice(&big);
    want.extend_from_slice(b"abc\n");
    assert_eq!(std::fs::read(d.join("out")).unwrap(), want);
    let mut app = b"old\nabc\nabc\n".to_vec();
    app.extend_from_slice(&big);
    assert_eq!(std::fs::read(d.join("app")).unwrap(), app);
    assert_eq!(std::fs::read(d.join("piped")).unwrap(), big);
}

#[test]
fn a_full_device_is_a_write_error() {
    let d = scratch("cat-full");
    std::fs::write(d.join("f"), "abc\n").unwrap();
    let out = run_in(rbox(), &["cat", "f"], b"", &d);
    assert_eq!(text(&out.stdout), "abc\n");
    let r = rbox().to_str().unwrap();
    let out = run_in(
        rbox(),
        &["sh", "-c", &format!("{r} cat f > /dev/full")],
        b"",
        &d,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "cat: write error: No space left on device\n"
    );
}
