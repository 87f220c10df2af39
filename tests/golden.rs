//! Golden cases for the binary: every `tests/cases/**/*.case` file holds one or more
//! cases (each starting with `=== NAME` when there are several), with sections:
//!
//! ```text
//! # free comment; a line '# posix' tags the case for the oracle check, and
//! # '# not-busybox: why' keeps it from the busybox one
//! --- argv          one argument per line: the applet, then its arguments (no shell)
//! --- script        shell text, run as `sh -c SCRIPT sh ARGS...`
//! --- args          one positional parameter per line, for script
//! --- env           NAME=value per line (PATH, HOME and LC_ALL are set already)
//! --- stdin
//! --- file NAME     a file created in the case's fresh working directory
//! --- stdout
//! --- stderr
//! --- status        the exit status (0 when the section is absent)
//! ```
//!
//! A section's text is its lines up to the next `---` or `===` header, each with its
//! newline, less the one blank line that may separate cases; `--- stdout noeol` (or any
//! section with `noeol`) drops the last newline.
//! `stdout` and `stderr` default to empty.
//!
//! Scripts run under `rbox sh` once rbox has that applet, and under /bin/sh until then.
//! `RBOX_CASE=substr` runs only the cases whose file or name contains `substr`;
//! `RBOX_BLESS=1` rewrites the expectations from what rbox did; `RBOX_ORACLE=dash`,
//! `=bash` or `=busybox` runs only the `# posix` cases against that reference (host
//! tools for argv cases, or `busybox APPLET`) and compares stdout and status.

mod support;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{applet_dir, rbox, scratch, text};

/// One section header and its body.
#[derive(Clone, Debug)]
struct Section {
    kind: String,
    arg: String,
    body: Vec<u8>,
}

/// One case parsed from a file.
#[derive(Debug)]
struct Case {
    file: PathBuf,
    name: String,
    comments: Vec<String>,
    sections: Vec<Section>,
}

impl Case {
    fn section(&self, kind: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    fn body(&self, kind: &str) -> Vec<u8> {
        self.section(kind)
            .map(|s| s.body.clone())
            .unwrap_or_default()
    }

    fn lines(&self, kind: &str) -> Vec<String> {
        let body = self.body(kind);
        text(&body).lines().map(str::to_string).collect()
    }

    fn is_posix(&self) -> bool {
        self.has_tag("posix")
    }

    /// Whether a comment line holds `tag` as a word (`# posix`, `# not-busybox: why`).
    fn has_tag(&self, tag: &str) -> bool {
        self.comments
            .iter()
            .any(|c| c.split_whitespace().any(|w| w.trim_end_matches(':') == tag))
    }

    /// Whether this case is checked against `oracle`: tagged `posix`, and not excluded for
    /// that oracle with `not-ORACLE` (busybox differs from dash and GNU in places).
    fn checked_by(&self, oracle: &str) -> bool {
        self.is_posix() && !self.has_tag(&format!("not-{oracle}"))
    }

    fn status(&self) -> i32 {
        let s = text(&self.body("status"));
        let s = s.trim();
        if s.is_empty() {
            0
        } else {
            s.parse().unwrap_or_else(|_| panic!("bad status {s:?}"))
        }
    }

    fn label(&self) -> String {
        let file = self.file.strip_prefix(cases_root()).unwrap_or(&self.file);
        if self.name.is_empty() {
            file.display().to_string()
        } else {
            format!("{} [{}]", file.display(), self.name)
        }
    }
}

fn cases_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// Splits a case file into cases and sections.
fn parse_file(file: &Path) -> Vec<Case> {
    let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut cases = Vec::new();
    let mut current = Case {
        file: file.into(),
        name: String::new(),
        comments: vec![],
        sections: vec![],
    };
    let mut in_section = false;
    for line in data.split_inclusive(|&b| b == b'\n') {
        let trimmed = text(line).trim_end_matches('\n').to_string();
        if let Some(name) = trimmed.strip_prefix("=== ") {
            // One blank line before `===` separates cases; it belongs to no section.
            if let Some(last) = current.sections.last_mut()
                && (last.body.ends_with(b"\n\n") || last.body == b"\n")
            {
                last.body.pop();
            }
            if !current.sections.is_empty() || !current.name.is_empty() {
                cases.push(std::mem::replace(
                    &mut current,
                    Case {
                        file: file.into(),
                        name: String::new(),
                        comments: vec![],
                        sections: vec![],
                    },
                ));
            }
            current.name = name.trim().to_string();
            in_section = false;
        } else if let Some(header) = trimmed.strip_prefix("--- ") {
            let mut words = header.splitn(2, ' ');
            let kind = words.next().unwrap_or_default().to_string();
            let arg = words.next().unwrap_or_default().trim().to_string();
            current.sections.push(Section {
                kind,
                arg,
                body: Vec::new(),
            });
            in_section = true;
        } else if in_section {
            if let Some(s) = current.sections.last_mut() {
                s.body.extend_from_slice(line);
            }
        } else if let Some(c) = trimmed.strip_prefix('#') {
            current.comments.push(c.trim().to_string());
        } else if !trimmed.trim().is_empty() {
            panic!("{}: text outside a section: {trimmed:?}", file.display());
        }
    }
    if !current.sections.is_empty() {
        cases.push(current);
    }
    for case in &mut cases {
        for s in &mut case.sections {
            if s.arg.split_whitespace().any(|w| w == "noeol") && s.body.last() == Some(&b'\n') {
                s.body.pop();
            }
        }
    }
    cases
}

/// What running a case produced.
#[derive(Debug, PartialEq, Eq)]
struct Result {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: i32,
}

/// Which implementation runs the case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runner {
    Rbox,
    Oracle(&'static str),
}

fn rbox_has(applet: &str) -> bool {
    rbox_shell::applets::find(applet.as_bytes()).is_some()
}

/// The host's busybox by absolute path: a case's PATH holds only its applet links, and
/// Command searches the child's PATH.
fn busybox() -> PathBuf {
    ["/bin/busybox", "/usr/bin/busybox", "/usr/local/bin/busybox"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("busybox"))
}

fn busybox_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("busybox-bin");
        let out = Command::new(busybox())
            .arg("--install")
            .arg("-s")
            .arg(&dir)
            .output();
        assert!(
            out.is_ok_and(|o| o.status.success()),
            "busybox --install failed"
        );
        dir
    })
}

fn run_case(case: &Case, runner: Runner) -> Result {
    let dir = scratch("case");
    for s in case.sections.iter().filter(|s| s.kind == "file") {
        // The name is the argument less the `noeol` flag (`--- file b noeol`).
        let name: Vec<&str> = s.arg.split_whitespace().filter(|w| *w != "noeol").collect();
        let path = dir.join(name.join(" "));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, &s.body).unwrap();
    }
    let (program, args, path_env): (PathBuf, Vec<String>, String) =
        if let Some(argv) = case.section("argv") {
            let argv: Vec<String> = text(&argv.body).lines().map(str::to_string).collect();
            assert!(!argv.is_empty(), "{}: empty argv", case.label());
            match runner {
                Runner::Rbox => (rbox().into(), argv, applet_dir().display().to_string()),
                Runner::Oracle("busybox") => (busybox(), argv, "/usr/bin:/bin".into()),
                Runner::Oracle(_) => (
                    argv[0].clone().into(),
                    argv[1..].to_vec(),
                    "/usr/bin:/bin".into(),
                ),
            }
        } else {
            let script = text(&case.body("script"));
            let mut args = vec!["-c".to_string(), script, "sh".to_string()];
            args.extend(case.lines("args"));
            match runner {
                Runner::Rbox if rbox_has("sh") => {
                    let mut a = vec!["sh".to_string()];
                    a.extend(args);
                    (rbox().into(), a, applet_dir().display().to_string())
                }
                Runner::Rbox => ("/bin/sh".into(), args, applet_dir().display().to_string()),
                Runner::Oracle("busybox") => {
                    let mut a = vec!["sh".to_string()];
                    a.extend(args);
                    (busybox(), a, busybox_dir().display().to_string())
                }
                Runner::Oracle(shell) => (shell.into(), args, "/usr/bin:/bin".into()),
            }
        };
    let mut cmd = Command::new(&program);
    cmd.args(&args)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", path_env)
        .env("HOME", &dir)
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for line in case.lines("env") {
        if let Some((k, v)) = line.split_once('=') {
            cmd.env(k, v);
        }
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{}: spawn {program:?}: {e}", case.label()));
    let mut stdin = child.stdin.take().unwrap();
    let input = case.body("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    use std::os::unix::process::ExitStatusExt;
    let status = out
        .status
        .code()
        .unwrap_or_else(|| 128 + out.status.signal().unwrap_or(0));
    Result {
        stdout: out.stdout,
        stderr: out.stderr,
        status,
    }
}

fn expected(case: &Case) -> Result {
    Result {
        stdout: case.body("stdout"),
        stderr: case.body("stderr"),
        status: case.status(),
    }
}

fn describe_mismatch(
    case: &Case,
    want: &Result,
    got: &Result,
    compare_stderr: bool,
) -> Option<String> {
    let mut report = String::new();
    if want.stdout != got.stdout {
        let _ = write!(
            report,
            "  stdout:\n    want {:?}\n    got  {:?}\n",
            text(&want.stdout),
            text(&got.stdout)
        );
    }
    if compare_stderr && want.stderr != got.stderr {
        let _ = write!(
            report,
            "  stderr:\n    want {:?}\n    got  {:?}\n",
            text(&want.stderr),
            text(&got.stderr)
        );
    }
    if want.status != got.status {
        let _ = writeln!(report, "  status: want {} got {}", want.status, got.status);
    }
    (!report.is_empty()).then(|| format!("{}\n{report}", case.label()))
}

/// Writes a case file back with the expectations replaced by what rbox produced.
fn bless(file: &Path, cases: &[Case], results: &[Result]) {
    let mut out = Vec::new();
    let several = cases.len() > 1 || cases.iter().any(|c| !c.name.is_empty());
    for (case, got) in cases.iter().zip(results) {
        if several {
            if !out.is_empty() {
                out.push(b'\n');
            }
            out.extend_from_slice(format!("=== {}\n", case.name).as_bytes());
        }
        for c in &case.comments {
            out.extend_from_slice(format!("# {c}\n").as_bytes());
        }
        for s in case
            .sections
            .iter()
            .filter(|s| !matches!(s.kind.as_str(), "stdout" | "stderr" | "status"))
        {
            write_section(&mut out, &s.kind, &s.arg, &s.body);
        }
        if !got.stdout.is_empty() {
            write_section(&mut out, "stdout", "", &got.stdout);
        }
        if !got.stderr.is_empty() {
            write_section(&mut out, "stderr", "", &got.stderr);
        }
        if got.status != 0 {
            write_section(
                &mut out,
                "status",
                "",
                format!("{}\n", got.status).as_bytes(),
            );
        }
    }
    std::fs::write(file, out).unwrap();
}

fn write_section(out: &mut Vec<u8>, kind: &str, arg: &str, body: &[u8]) {
    let noeol = !body.is_empty() && !body.ends_with(b"\n");
    let mut header = format!("--- {kind}");
    for word in arg.split_whitespace().filter(|w| *w != "noeol") {
        header.push(' ');
        header.push_str(word);
    }
    if noeol {
        header.push_str(" noeol");
    }
    out.extend_from_slice(header.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(body);
    if noeol {
        out.push(b'\n');
    }
}

#[test]
fn golden_cases() {
    let filter = std::env::var("RBOX_CASE").ok();
    let bless_mode = std::env::var_os("RBOX_BLESS").is_some();
    let runner = match std::env::var("RBOX_ORACLE").ok().as_deref() {
        None | Some("") => Runner::Rbox,
        Some("dash") => Runner::Oracle("dash"),
        Some("bash") => Runner::Oracle("bash"),
        Some("busybox") => Runner::Oracle("busybox"),
        Some(other) => panic!("RBOX_ORACLE={other}: use dash, bash or busybox"),
    };
    let pattern = format!("{}/**/*.case", cases_root().display());
    let mut files: Vec<PathBuf> = glob::glob(&pattern)
        .unwrap()
        .filter_map(|p| p.ok())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no case files under {}",
        cases_root().display()
    );
    let (mut ran, mut failures) = (0, Vec::new());
    for file in &files {
        let cases = parse_file(file);
        assert!(!cases.is_empty(), "{}: no cases", file.display());
        let mut results = Vec::new();
        let mut any_ran = false;
        for case in &cases {
            let selected = filter.as_deref().is_none_or(|f| case.label().contains(f));
            let wanted = match runner {
                Runner::Rbox => true,
                Runner::Oracle(name) => case.checked_by(name),
            };
            if !selected || !wanted {
                results.push(expected(case));
                continue;
            }
            let got = run_case(case, runner);
            ran += 1;
            any_ran = true;
            if let Some(m) = describe_mismatch(case, &expected(case), &got, runner == Runner::Rbox)
            {
                failures.push(m);
            }
            results.push(got);
        }
        // Files none of whose cases ran are left exactly as they are.
        if bless_mode && runner == Runner::Rbox && any_ran {
            bless(file, &cases, &results);
        }
    }
    eprintln!("golden: {ran} cases run, {} failed", failures.len());
    if !bless_mode {
        assert!(
            failures.is_empty(),
            "{} of {ran} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

#[test]
fn case_format_parses_sections_and_several_cases() {
    let dir = scratch("format");
    let f = dir.join("t.case");
    std::fs::write(&f, "=== one\n# posix\n--- argv\necho\n-n\nx\n--- stdout noeol\nx\n=== two\n--- script\nexit 3\n--- status\n3\n").unwrap();
    let cases = parse_file(&f);
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].name, "one");
    assert!(cases[0].is_posix());
    assert_eq!(cases[0].lines("argv"), ["echo", "-n", "x"]);
    assert_eq!(cases[0].body("stdout"), b"x");
    assert_eq!(cases[1].status(), 3);
    assert!(!cases[1].is_posix());
    let got = run_case(&cases[0], Runner::Rbox);
    assert_eq!(
        got,
        Result {
            stdout: b"x".to_vec(),
            stderr: vec![],
            status: 0
        }
    );
}
