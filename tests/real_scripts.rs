//! Large real scripts from Debian packages, run by `rbox sh` and by dash on the same
//! inputs with the same tools in PATH: stdout, stderr, status and the files they write
//! must be identical (issue 4: "scripts that dash runs, rbox runs").
//!
//! The scripts come from packages `.ci/run` installs (autoconf, debootstrap, gzip). Off
//! CI a missing package skips its test with a message; on CI (`CI` set) it fails.

mod support;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of a script left behind.
#[derive(Debug, PartialEq)]
struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    files: Vec<(String, String)>,
}

/// A shell under comparison: its path, and the name its runs are kept under.
struct Shell {
    name: &'static str,
    path: PathBuf,
}

/// dash and rbox (through a link named `sh`), or `None` (skip) when dash is missing.
fn shells(test: &str) -> Option<[Shell; 2]> {
    let dash = find("dash", test)?;
    let bin = support::scratch(&format!("{test}-bin"));
    let sh = bin.join("sh");
    symlink(support::rbox(), &sh).unwrap();
    Some([
        Shell {
            name: "dash",
            path: dash,
        },
        Shell {
            name: "rbox",
            path: sh,
        },
    ])
}

/// The path of `program`, or `None` after a skip notice; on CI its absence is a failure.
fn find(program: &str, test: &str) -> Option<PathBuf> {
    for dir in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
        let p = Path::new(dir).join(program);
        if p.exists() {
            return Some(p);
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {program} is not installed (.ci/run installs it)"
    );
    eprintln!("skipping {test}: {program} is not installed");
    None
}

/// Runs `shell script args...` in `dir` with the host's tools and a fixed environment,
/// then reads back `keep` (files the script should have written; missing ones read as
/// "<missing>").
fn run(shell: &Shell, dir: &Path, script: &[&str], keep: &[&str]) -> Run {
    let out = Command::new(&shell.path)
        .args(script)
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("LC_ALL", "C")
        .env("HOME", dir)
        .env("CONFIG_SHELL", &shell.path)
        .output()
        .expect("start the shell");
    let files = keep
        .iter()
        .map(|f| {
            let text =
                fs::read(dir.join(f)).map_or_else(|_| "<missing>".into(), |b| support::text(&b));
            (f.to_string(), text)
        })
        .collect();
    Run {
        status: out.status.code(),
        stdout: support::text(&out.stdout),
        stderr: support::text(&out.stderr),
        files,
    }
}

/// Runs the script under both shells in fresh copies of a directory that `setup`
/// fills, and asserts the two runs agree; returns rbox's run.
fn compare(test: &str, setup: impl Fn(&Path), script: &[&str], keep: &[&str]) -> Option<Run> {
    let [dash, rbox] = shells(test)?;
    let mut runs = Vec::new();
    for shell in [&dash, &rbox] {
        // The same path for both runs, so paths the scripts print agree.
        let dir = std::env::temp_dir().join(format!("rbox-real-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        setup(&dir);
        runs.push((shell.name, run(shell, &dir, script, keep)));
        let _ = fs::remove_dir_all(&dir);
    }
    let (_, rbox_run) = runs.pop().unwrap();
    let (_, dash_run) = runs.pop().unwrap();
    assert_eq!(
        dash_run, rbox_run,
        "{test}: dash (left) and rbox sh (right) differ"
    );
    Some(rbox_run)
}

#[test]
fn autoconf_configure_matches_dash() {
    let test = "configure";
    let (Some(autoconf), Some(autoheader)) = (find("autoconf", test), find("autoheader", test))
    else {
        return;
    };
    if find("cc", test).is_none() {
        return;
    }
    // One configure script, generated once, used by both runs.
    let src = support::scratch("configure-src");
    fs::write(
        src.join("configure.ac"),
        "AC_INIT([realcheck], [1.2.3], [dev@example.org])\n\
         AC_CONFIG_SRCDIR([hello.c])\n\
         AC_CONFIG_HEADERS([config.h])\n\
         AC_PROG_CC\n\
         AC_CHECK_HEADERS([stdlib.h unistd.h sys/stat.h no/such.h])\n\
         AC_CHECK_FUNCS([strdup fork no_such_function])\n\
         AC_CHECK_SIZEOF([long])\n\
         AC_ARG_ENABLE([feature], [AS_HELP_STRING([--enable-feature], [turn it on])],\n\
           [feat=$enableval], [feat=no])\n\
         AC_ARG_WITH([flavour], [AS_HELP_STRING([--with-flavour=F], [pick one])],\n\
           [flavour=$withval], [flavour=plain])\n\
         AS_CASE([$flavour], [sweet|sour], [AC_MSG_NOTICE([flavour $flavour])],\n\
           [AC_MSG_WARN([unusual flavour $flavour])])\n\
         AC_SUBST([FEATURE], [$feat])\n\
         AC_SUBST([FLAVOUR], [$flavour])\n\
         AC_CONFIG_FILES([Makefile sub/paths.txt])\n\
         AC_OUTPUT\n",
    )
    .unwrap();
    fs::write(src.join("hello.c"), "int main(void) { return 0; }\n").unwrap();
    for tool in [&autoconf, &autoheader] {
        let out = Command::new(tool).current_dir(&src).output().unwrap();
        assert!(out.status.success(), "{}: {out:?}", tool.display());
    }
    let copy = |dir: &Path| {
        for f in ["configure", "config.h.in", "hello.c"] {
            fs::copy(src.join(f), dir.join(f)).unwrap();
        }
        fs::write(
            dir.join("Makefile.in"),
            "FEATURE = @FEATURE@\nFLAVOUR = @FLAVOUR@\nCC = @CC@\nVERSION = @PACKAGE_VERSION@\n\
             prefix = @prefix@\nsrcdir = @srcdir@\n",
        )
        .unwrap();
        fs::create_dir(dir.join("sub")).unwrap();
        fs::write(
            dir.join("sub/paths.txt.in"),
            "bindir=@bindir@\nlibdir=@libdir@\n",
        )
        .unwrap();
    };
    let keep = ["Makefile", "config.h", "sub/paths.txt"];
    let args = [
        "./configure",
        "--enable-feature=yes",
        "--with-flavour=odd",
        "--prefix=/opt/x",
    ];
    let run = compare(test, copy, &args, &keep).unwrap();
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert!(
        run.files[0].1.contains("FEATURE = yes\nFLAVOUR = odd\n"),
        "{:?}",
        run.files[0]
    );
    assert!(
        run.files[1].1.contains("#define HAVE_UNISTD_H 1"),
        "{:?}",
        run.files[1]
    );
    assert!(
        run.files[2].1.contains("bindir=${exec_prefix}/bin\n"),
        "{:?}",
        run.files[2]
    );
    assert!(
        run.stderr.contains("WARNING: unusual flavour odd"),
        "{}",
        run.stderr
    );
    // A bad option: configure's own error path.
    let bad = compare("configure-bad", copy, &["./configure", "--bogus"], &[]).unwrap();
    assert_eq!(bad.status, Some(1), "{bad:?}");
    // --help walks every option's help text.
    let help = compare("configure-help", copy, &["./configure", "--help"], &[]).unwrap();
    assert!(help.stdout.contains("--enable-feature"), "{}", help.stdout);
}

#[test]
fn debootstrap_front_end_matches_dash() {
    let test = "debootstrap";
    let Some(script) = find("debootstrap", test) else {
        return;
    };
    let script = script.to_str().unwrap();
    let help = compare(test, |_| {}, &[script, "--help"], &[]).unwrap();
    assert!(
        help.stdout.contains("Usage: debootstrap"),
        "{}",
        help.stdout
    );
    compare("debootstrap-version", |_| {}, &[script, "--version"], &[]).unwrap();
    // Option parsing and its error path, before anything touches the network.
    let bad = compare(
        "debootstrap-bad",
        |_| {},
        &[script, "--no-such-option"],
        &[],
    )
    .unwrap();
    assert_ne!(bad.status, Some(0));
    compare(
        "debootstrap-args",
        |_| {},
        &[
            script,
            "--variant=nonsense",
            "bookworm",
            "/nonexistent-target",
        ],
        &[],
    )
    .unwrap();
}

#[test]
fn zgrep_matches_dash() {
    let test = "zgrep";
    let (Some(zgrep), Some(gzip)) = (find("zgrep", test), find("gzip", test)) else {
        return;
    };
    let zgrep = zgrep.to_str().unwrap().to_owned();
    let setup = |dir: &Path| {
        fs::write(dir.join("a.txt"), "alpha\nBeta\ngamma beta\n").unwrap();
        fs::write(dir.join("b.txt"), "nothing here\nBETA max\n").unwrap();
        for f in ["a.txt", "b.txt"] {
            let st = Command::new(&gzip)
                .arg(f)
                .current_dir(dir)
                .status()
                .unwrap();
            assert!(st.success());
        }
        fs::write(dir.join("plain.txt"), "beta plain\n").unwrap();
    };
    let r = compare(
        test,
        setup,
        &[
            &zgrep,
            "-n",
            "-i",
            "beta",
            "a.txt.gz",
            "b.txt.gz",
            "plain.txt",
        ],
        &[],
    )
    .unwrap();
    assert_eq!(
        r.stdout,
        "a.txt.gz:2:Beta\na.txt.gz:3:gamma beta\nb.txt.gz:2:BETA max\nplain.txt:1:beta plain\n"
    );
    compare(
        "zgrep-count",
        setup,
        &[&zgrep, "-c", "-e", "a", "-e", "x", "a.txt.gz"],
        &[],
    )
    .unwrap();
    let none = compare("zgrep-none", setup, &[&zgrep, "zzz", "a.txt.gz"], &[]).unwrap();
    assert_eq!(none.status, Some(1));
    compare("zgrep-missing", setup, &[&zgrep, "a", "missing.gz"], &[]).unwrap();
}
