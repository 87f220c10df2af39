//! Shared helpers for the integration tests: the binary under test, scratch
//! directories, and a directory of applet links.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The rbox binary cargo built for these tests.
pub fn rbox() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_rbox"))
}

/// A fresh, empty scratch directory, unique per test.
///
/// They live under one `rbox-it-PID` folder per test process; the first call sweeps away
/// the folders of test processes that have ended, so runs do not pile up in $TMPDIR.
pub fn scratch(tag: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(sweep_ended_runs);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir()
        .join(format!("rbox-it-{}", std::process::id()))
        .join(format!("{tag}-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Removes `$TMPDIR/rbox-it-PID*` left by test processes that no longer run.
fn sweep_ended_runs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix("rbox-it-")) else {
            continue;
        };
        let digits = rest.split('-').next().unwrap_or_default();
        let Ok(pid) = digits.parse::<i32>() else {
            continue;
        };
        // SAFETY: kill with signal 0 only checks whether the process exists.
        let gone = unsafe { libc::kill(pid, 0) } != 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A directory holding a symlink to rbox for every applet (made once per test binary).
pub fn applet_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("bin");
        let out = Command::new(rbox())
            .arg("--install")
            .arg("-s")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "rbox --install failed: {out:?}");
        dir
    })
}

/// Runs rbox with `args` and `stdin`, in `cwd`, with a minimal environment.
pub fn run_rbox(args: &[&str], stdin: &[u8]) -> Output {
    run_in(rbox(), args, stdin, &std::env::temp_dir())
}

/// Runs `program` with `args` and `stdin` in `cwd`, with PATH pointing at the applets.
pub fn run_in(program: &Path, args: &[&str], stdin: &[u8], cwd: &Path) -> Output {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", applet_dir())
        .env("LC_ALL", "C")
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
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// Lossy text of some output bytes.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
