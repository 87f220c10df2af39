//! The text applets that make files and trees (split, diff -r, patch) end to end: the
//! binary on real directories, checking what it leaves behind.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::{rbox, run_in, scratch, text};

/// A small deterministic generator, so the round trips cover many shapes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn lines(g: &mut Lcg, n: u64, alphabet: u64) -> Vec<String> {
    (0..g.next(n))
        .map(|_| format!("l{}", g.next(alphabet)))
        .collect()
}

fn edit(g: &mut Lcg, mut v: Vec<String>, alphabet: u64) -> Vec<String> {
    for _ in 0..g.next(8) {
        let p = g.next(v.len() as u64 + 1) as usize;
        match g.next(3) {
            0 => v.insert(p, format!("n{}", g.next(alphabet))),
            1 if p < v.len() => {
                v.remove(p);
            }
            _ if p < v.len() => v[p] = format!("c{}", g.next(alphabet)),
            _ => {}
        }
    }
    v
}

fn write(path: &Path, lines: &[String], eol: bool) {
    let mut s = lines.join("\n");
    if eol && !lines.is_empty() {
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

#[test]
fn diff_then_patch_round_trips() {
    let d = scratch("text-roundtrip");
    let mut g = Lcg(7);
    for round in 0..150 {
        let alphabet = [3, 10, 1000][round % 3];
        let a = lines(&mut g, 40, alphabet);
        let b = edit(&mut g, a.clone(), alphabet);
        let eol = g.next(8) != 0;
        write(&d.join("a"), &a, eol);
        write(&d.join("b"), &b, true);
        let context = ["-u", "-U1", "-U5"][round % 3];
        let diff = run_in(rbox(), &["diff", context, "a", "b"], b"", &d);
        let want_status =
            if std::fs::read(d.join("a")).unwrap() == std::fs::read(d.join("b")).unwrap() {
                0
            } else {
                1
            };
        assert_eq!(diff.status.code(), Some(want_status), "round {round}");
        let patch = run_in(rbox(), &["patch", "-s", "a"], &diff.stdout, &d);
        assert!(
            patch.status.success(),
            "round {round}: {}",
            text(&patch.stdout)
        );
        assert_eq!(
            std::fs::read(d.join("a")).unwrap(),
            std::fs::read(d.join("b")).unwrap(),
            "round {round}:\n{}",
            text(&diff.stdout)
        );
    }
}

#[test]
fn diff_r_patch_p1_rebuilds_a_tree() {
    let d = scratch("text-tree");
    for (p, c) in [
        ("old/keep", "same\n"),
        ("old/sub/changed", "1\n2\n3\n"),
        ("old/gone", "bye\n"),
        ("new/keep", "same\n"),
        ("new/sub/changed", "1\ntwo\n3\n"),
        ("new/sub/deeper/added", "hello\n"),
    ] {
        let f = d.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, c).unwrap();
    }
    let diff = run_in(rbox(), &["diff", "-ruN", "old", "new"], b"", &d);
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff.stderr));
    let out = text(&diff.stdout);
    assert!(out.contains("diff -ruN old/gone new/gone\n"), "{out}");
    assert!(out.contains("+++ new/sub/deeper/added\t"), "{out}");
    let work = d.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let cp = run_in(rbox(), &["cp", "-R", "old/.", "work"], b"", &d);
    assert!(cp.status.success(), "{}", text(&cp.stderr));
    let patch = run_in(rbox(), &["patch", "-p1"], &diff.stdout, &work);
    assert!(patch.status.success(), "{}", text(&patch.stdout));
    let check = run_in(rbox(), &["diff", "-r", "work", "new"], b"", &d);
    assert_eq!(
        (check.status.code(), text(&check.stdout)),
        (Some(0), String::new())
    );
    assert!(!work.join("gone").exists());
    // Without -N, a file on one side only is reported.
    let only = run_in(rbox(), &["diff", "-rq", "old", "new"], b"", &d);
    assert_eq!(
        text(&only.stdout),
        "Only in old: gone\nFiles old/sub/changed and new/sub/changed differ\nOnly in new/sub: deeper\n"
    );
}

#[test]
fn patch_keeps_the_mode_and_leaves_no_temporary_files() {
    let d = scratch("text-mode");
    std::fs::write(d.join("f"), "a\nb\n").unwrap();
    std::fs::write(d.join("g"), "a\nc\n").unwrap();
    std::fs::set_permissions(d.join("f"), std::fs::Permissions::from_mode(0o740)).unwrap();
    let diff = run_in(rbox(), &["diff", "-u", "f", "g"], b"", &d);
    let patch = run_in(rbox(), &["patch", "f"], &diff.stdout, &d);
    assert!(patch.status.success());
    let mode = std::fs::metadata(d.join("f")).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o740);
    let mut names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["f", "g"]);
}

#[test]
fn split_pieces_join_back() {
    let d = scratch("text-split");
    let data: Vec<u8> = (0..100_000u32)
        .flat_map(|i| format!("{i}\n").into_bytes())
        .collect();
    std::fs::write(d.join("in"), &data).unwrap();
    for args in [
        &["-l", "777"][..],
        &["-b", "4K"],
        &["-C", "1000"],
        &["-n", "7"],
        &["-n", "l/5"],
    ] {
        let dir = d.join(args.join("").replace('/', "_"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut argv = vec!["split"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["../in", "p"]);
        let out = run_in(rbox(), &argv, b"", &dir);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        let joined: Vec<u8> = names
            .iter()
            .flat_map(|p| std::fs::read(p).unwrap())
            .collect();
        assert_eq!(joined, data, "{args:?}");
        if args[0] == "-C" || args[1].starts_with("l/") {
            for p in &names {
                assert!(std::fs::read(p).unwrap().ends_with(b"\n"), "{args:?} {p:?}");
            }
        }
    }
}
