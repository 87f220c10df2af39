//! Process hygiene of `rbox sh`: no leaked fds, quiet SIGPIPE deaths, isolated
//! subshells, stdin not over-read.

mod support;

use support::{rbox, run_in, scratch, text};

fn sh(script: &str, stdin: &[u8]) -> (String, String, Option<i32>) {
    let dir = scratch("sh-hygiene");
    let out = run_in(rbox(), &["sh", "-c", script], stdin, &dir);
    (text(&out.stdout), text(&out.stderr), out.status.code())
}

#[test]
fn children_see_only_the_standard_fds() {
    // What /bin/ls lists when started directly: 0 1 2, its own fd, and whatever the test
    // harness itself leaks. The shell must add nothing to that.
    let dir = scratch("sh-fds");
    let base = text(
        &run_in(
            std::path::Path::new("/bin/ls"),
            &["/proc/self/fd"],
            b"",
            &dir,
        )
        .stdout,
    );
    for script in [
        "/bin/ls /proc/self/fd | cat",
        "/bin/ls /proc/self/fd > out; cat out",
        "{ /bin/ls /proc/self/fd; } 2>/dev/null | cat",
        "x=$(/bin/ls /proc/self/fd); echo \"$x\"",
    ] {
        let (out, err, st) = sh(script, b"");
        assert_eq!(out, base, "{script}: {err}");
        assert_eq!(st, Some(0));
    }
}

#[test]
fn writer_to_a_closed_pipe_dies_quietly() {
    let (out, err, st) = sh(
        "cat /dev/zero | head -c1 | wc -c 2>/dev/null || echo 1",
        b"",
    );
    assert!(out.trim() == "1", "{out:?} {err:?}");
    assert_eq!(err, "");
    assert_eq!(st, Some(0));
}

#[test]
fn subshells_isolate_umask_cwd_and_variables() {
    let (out, _, _) = sh(
        "umask 022; (umask 077); umask; x=1; (x=2); echo $x; (cd /); pwd | cat >/dev/null; echo ok",
        b"",
    );
    assert_eq!(out, "0022\n1\nok\n");
}

#[test]
fn read_leaves_the_rest_of_stdin() {
    let (out, _, _) = sh("read a; read b; echo \"$b-$a\"; cat", b"1\n2\n3\n");
    assert_eq!(out, "2-1\n3\n");
}

#[test]
fn script_on_stdin_shares_it_with_commands() {
    let dir = scratch("sh-stdin");
    let out = run_in(rbox(), &["sh"], b"read x\nhello\necho got $x\n", &dir);
    assert_eq!(text(&out.stdout), "got hello\n");
}

#[test]
fn missing_and_unreadable_scripts() {
    let dir = scratch("sh-missing");
    let out = run_in(rbox(), &["sh", "no-such-script"], b"", &dir);
    assert_eq!(out.status.code(), Some(127));
    std::fs::create_dir(dir.join("adir")).unwrap();
    let out = run_in(rbox(), &["sh", "adir"], b"", &dir);
    assert_eq!(out.status.code(), Some(126));
}

#[test]
fn syntax_check_and_bundled_options() {
    let dir = scratch("sh-n");
    std::fs::write(dir.join("s"), "echo never\nif\n").unwrap();
    let out = run_in(rbox(), &["sh", "-n", "s"], b"", &dir);
    assert_eq!(text(&out.stdout), "");
    assert_eq!(out.status.code(), Some(2));
    let out = run_in(
        rbox(),
        &["sh", "-euc", "echo $0 $1; false; echo no", "name", "arg"],
        b"",
        &dir,
    );
    assert_eq!(text(&out.stdout), "name arg\n");
    assert_eq!(out.status.code(), Some(1));
}
