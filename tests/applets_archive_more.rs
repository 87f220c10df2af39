//! tar `--transform`/`--xform` end to end: names stored on create, names written on
//! extract, what `-t` and `-v` show. Expected texts were produced by GNU tar 1.34 on
//! the same tree (`LC_ALL=C`).

mod support;

use std::path::Path;

use support::{rbox, run_in, scratch, text};

/// uno/ with a file, a symlink to it and a hard link to it, and uno/sub/File.TXT;
/// every mtime 2020-01-01 00:00 UTC.
fn tree(d: &Path) {
    std::fs::create_dir_all(d.join("uno/sub")).unwrap();
    std::fs::write(d.join("uno/tres"), "hi\n").unwrap();
    std::os::unix::fs::symlink("tres", d.join("uno/dos")).unwrap();
    std::fs::hard_link(d.join("uno/tres"), d.join("uno/quatro")).unwrap();
    std::fs::write(d.join("uno/sub/File.TXT"), "x\n").unwrap();
}

fn tar(d: &Path, args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["tar"];
    argv.extend_from_slice(args);
    let out = run_in(rbox(), &argv, b"", d);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// Operands in a fixed order, so the archive does not depend on directory order.
const OPS: [&str; 6] = [
    "uno",
    "uno/quatro",
    "uno/tres",
    "uno/dos",
    "uno/sub",
    "uno/sub/File.TXT",
];

fn create(d: &Path, xform: &str) -> (i32, String, String) {
    let mut args = vec![
        "cf",
        "a.tar",
        "--no-recursion",
        "--mtime=@1577836800",
        "--owner=0",
        "--group=0",
        "--xform",
        xform,
    ];
    args.extend_from_slice(&OPS);
    tar(d, &args)
}

fn names(d: &Path) -> String {
    let (status, out, err) = tar(d, &["tvf", "a.tar"]);
    assert_eq!((status, err.as_str()), (0, ""));
    out.lines()
        .map(|l| l.splitn(6, ' ').last().unwrap_or_default().trim_start())
        .map(|l| l.split_once("00:00 ").map_or(l, |(_, n)| n).to_owned() + "\n")
        .collect()
}

#[test]
fn create_stores_transformed_names_and_link_targets() {
    let d = scratch("xform-create");
    tree(&d);
    let cases = [
        (
            "s/uno/one/;s/one/ONE/",
            "ONE/\nONE/quatro\nONE/tres link to ONE/quatro\nONE/dos -> tres\nONE/sub/\nONE/sub/File.TXT\n",
        ),
        // S: not symlink targets; flags= sets the default for the expressions after it.
        (
            "s/uno/one/S;s/dos/two/S;s/tres/three/S;s/quatro/four/S",
            "one/\none/four\none/three link to one/four\none/two -> tres\none/sub/\none/sub/File.TXT\n",
        ),
        (
            "s/uno/one/;flags=rh;s/dos/two/;s/tres/three/;s/quatro/four/",
            "one/\none/four\none/three link to one/four\none/two -> tres\none/sub/\none/sub/File.TXT\n",
        ),
        // R: not member names, but hard link targets still.
        (
            "s/uno/one/R",
            "uno/\nuno/quatro\nuno/tres link to one/quatro\nuno/dos -> tres\nuno/sub/\nuno/sub/File.TXT\n",
        ),
        // A directory is matched without its slash; g, x, \U and groups.
        (
            r"s,^uno/,,;s/\(s\)\(u\)b/\2\1-&/;s/[a-z]*$/\U&/x",
            "UNO/\nQUATRO\nTRES link to QUATRO\nDOS -> TRES\nus-SUB/\nus-sub/File.TXT\n",
        ),
    ];
    for (xform, want) in cases {
        assert_eq!(
            create(&d, xform),
            (0, String::new(), String::new()),
            "{xform}"
        );
        assert_eq!(names(&d), want, "{xform}");
    }
    // -v shows the names as given, or with --show-transformed-names as stored.
    let mut args = vec!["cvf", "a.tar", "--no-recursion", "--xform", "s/uno/X/"];
    args.extend_from_slice(&OPS);
    let (_, out, _) = tar(&d, &args);
    assert_eq!(
        out,
        "uno/\nuno/quatro\nuno/tres\nuno/dos\nuno/sub/\nuno/sub/File.TXT\n"
    );
    args.push("--show-transformed-names");
    let (_, out, _) = tar(&d, &args);
    assert_eq!(out, "X/\nX/quatro\nX/tres\nX/dos\nX/sub/\nX/sub/File.TXT\n");
}

#[test]
fn extract_writes_transformed_names_and_lists_stored_ones() {
    let d = scratch("xform-extract");
    tree(&d);
    assert_eq!(create(&d, "s/^//").0, 0);
    std::fs::create_dir(d.join("out")).unwrap();
    let (status, out, err) = tar(
        &d,
        &[
            "xvf",
            "a.tar",
            "-C",
            "out",
            "--transform",
            "s/uno/one/;s/t/T/g",
        ],
    );
    assert_eq!((status, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "uno/\nuno/quatro\nuno/tres\nuno/dos\nuno/sub/\nuno/sub/File.TXT\n"
    );
    let o = d.join("out/one");
    assert_eq!(std::fs::read(o.join("quaTro")).unwrap(), b"hi\n");
    assert_eq!(std::fs::read(o.join("Tres")).unwrap(), b"hi\n");
    assert_eq!(
        std::fs::read_link(o.join("dos")).unwrap().to_str(),
        Some("Tres")
    );
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(o.join("Tres")).unwrap().ino(),
        std::fs::metadata(o.join("quaTro")).unwrap().ino()
    );
    assert!(o.join("sub/File.TXT").is_file());
    // Transforms come before --strip-components; members are chosen by stored names.
    std::fs::create_dir(d.join("out2")).unwrap();
    let (status, _, err) = tar(
        &d,
        &[
            "xf",
            "a.tar",
            "-C",
            "out2",
            "--strip-components=1",
            "--xform",
            "s,^uno/sub,uno-sub,",
            "uno/sub/File.TXT",
            "uno/quatro",
        ],
    );
    assert_eq!((status, err.as_str()), (0, ""));
    let mut got: Vec<String> = std::fs::read_dir(d.join("out2"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    got.sort();
    assert_eq!(got, ["File.TXT", "quatro"]);
}

#[test]
fn listing_shows_stored_names_with_transformed_link_targets() {
    let d = scratch("xform-list");
    tree(&d);
    assert_eq!(create(&d, "s/^//").0, 0);
    let (status, out, _) = tar(&d, &["tf", "a.tar", "--xform", "s/uno/X/"]);
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "uno/\nuno/quatro\nuno/tres\nuno/dos\nuno/sub/\nuno/sub/File.TXT\n"
    );
    let (_, out, _) = tar(&d, &["tvf", "a.tar", "--xform", "s/uno/X/;s/tres/T/"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[2].ends_with(" uno/tres link to X/quatro"), "{out}");
    assert!(lines[3].ends_with(" uno/dos -> T"), "{out}");
    let (_, out, _) = tar(
        &d,
        &[
            "tf",
            "a.tar",
            "--xform",
            "s/uno/X/",
            "--show-transformed-names",
        ],
    );
    assert_eq!(out, "X/\nX/quatro\nX/tres\nX/dos\nX/sub/\nX/sub/File.TXT\n");
}

#[test]
fn bad_transforms_are_usage_errors() {
    let d = scratch("xform-bad");
    tree(&d);
    let cases = [
        ("x/a/b/", "tar: Invalid transform expression\n"),
        ("s/a/b", "tar: Invalid transform expression\n"),
        ("s/a/b/q", "tar: Unknown flag in transform expression: q\n"),
        ("flags=q", "tar: Unknown transform flag: q\n"),
        (
            r"s/\(a/b/",
            "tar: Invalid transform expression: Unmatched ( or \\(\n",
        ),
        (
            r"s/a/\1/",
            "tar: Invalid transform replacement: back reference out of range\n",
        ),
    ];
    for (xform, want) in cases {
        let (status, out, err) = tar(&d, &["cf", "a.tar", "--xform", xform, "uno"]);
        assert_eq!(status, 2, "{xform}");
        assert_eq!(out, "");
        assert!(err.starts_with(want), "{xform}: {err}");
    }
}

/// A 10 MiB file with three data chunks (one at the end) and a 1 MiB hole, archived by
/// GNU tar -S in each sparse format: rbox lists the real sizes as GNU does and extracts
/// the same bytes, with the same holes (block counts equal to GNU's extraction).
#[test]
fn gnu_sparse_members_list_and_extract() {
    use std::os::unix::fs::{FileExt, MetadataExt};
    let d = scratch("tar-sparse");
    let f = std::fs::File::create(d.join("holes")).unwrap();
    f.set_len(10 << 20).unwrap();
    f.write_all_at(b"AAAA", 100_000).unwrap();
    f.write_all_at(b"BBBB", 5_000_000).unwrap();
    f.write_all_at(b"tail\n", 10 << 20).unwrap();
    drop(f);
    std::fs::File::create(d.join("allhole"))
        .unwrap()
        .set_len(1 << 20)
        .unwrap();
    std::fs::write(d.join("small"), "x").unwrap();
    let formats: [&[&str]; 4] = [
        &["--format=gnu"],
        &["--format=posix", "--sparse-version=0.0"],
        &["--format=posix", "--sparse-version=0.1"],
        &["--format=posix", "--sparse-version=1.0"],
    ];
    for (k, fmt) in formats.iter().enumerate() {
        let name = format!("s{k}.tar");
        let gnu = |args: &[&str]| {
            std::process::Command::new("tar")
                .env("LC_ALL", "C")
                .env("TZ", "UTC")
                .current_dir(&d)
                .args(args)
                .output()
                .unwrap()
        };
        let mut args = vec!["-cSf", name.as_str()];
        args.extend_from_slice(fmt);
        args.extend_from_slice(&["holes", "allhole", "small"]);
        assert!(gnu(&args).status.success(), "{fmt:?}");
        let want = gnu(&["-tvf", &name]);
        let (status, out, err) = tar(&d, &["-tvf", &name]);
        assert_eq!(
            (status, out, err),
            (0, text(&want.stdout), String::new()),
            "{fmt:?}"
        );
        for who in ["ours", "gnu"] {
            let out = d.join(format!("{who}{k}"));
            std::fs::create_dir(&out).unwrap();
            let dir = out.to_str().unwrap();
            if who == "ours" {
                assert_eq!(tar(&d, &["-xf", &name, "-C", dir]).0, 0, "{fmt:?}");
            } else {
                assert!(gnu(&["-xf", &name, "-C", dir]).status.success());
            }
        }
        for file in ["holes", "allhole", "small"] {
            let ours = d.join(format!("ours{k}/{file}"));
            let theirs = d.join(format!("gnu{k}/{file}"));
            assert_eq!(
                std::fs::read(&ours).unwrap(),
                std::fs::read(d.join(file)).unwrap(),
                "{fmt:?} {file}"
            );
            let (a, b) = (
                std::fs::metadata(&ours).unwrap(),
                std::fs::metadata(&theirs).unwrap(),
            );
            assert_eq!(
                (a.len(), a.blocks()),
                (b.len(), b.blocks()),
                "{fmt:?} {file}"
            );
        }
        let out = run_in(rbox(), &["tar", "-xOf", &name, "holes"], b"", &d);
        assert_eq!(
            out.stdout,
            std::fs::read(d.join("holes")).unwrap(),
            "{fmt:?}"
        );
    }
}

/// Old GNU sparse headers hold 4 chunks; more go in extension blocks of 21.
#[test]
fn gnu_sparse_maps_longer_than_one_header() {
    use std::os::unix::fs::FileExt;
    let d = scratch("tar-sparse-many");
    let f = std::fs::File::create(d.join("many")).unwrap();
    f.set_len(50 << 20).unwrap();
    for i in 1..=60u64 {
        f.write_all_at(format!("chunk{i}").as_bytes(), i * 800_000)
            .unwrap();
    }
    drop(f);
    for fmt in ["--format=gnu", "--sparse-version=1.0"] {
        let mut args = vec!["-cSf", "m.tar", fmt, "many"];
        if fmt.starts_with("--sparse") {
            args.insert(1, "--format=posix");
        }
        let o = std::process::Command::new("tar")
            .current_dir(&d)
            .args(&args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        let out = run_in(rbox(), &["tar", "-xOf", "m.tar"], b"", &d);
        assert_eq!(text(&out.stderr), "", "{fmt}");
        assert!(
            out.stdout == std::fs::read(d.join("many")).unwrap(),
            "{fmt}: {} bytes",
            out.stdout.len()
        );
    }
}

/// `tar -cS` writes the same bytes as GNU tar -S (old GNU sparse headers, extension
/// blocks past four chunks, whole files when there is no hole), and reads them back.
#[test]
fn create_sparse_is_gnu_tar_s() {
    use std::os::unix::fs::FileExt;
    let d = scratch("tar-sparse-create");
    let f = std::fs::File::create(d.join("holes")).unwrap();
    f.set_len(10 << 20).unwrap();
    f.write_all_at(b"AAAA", 100_000).unwrap();
    f.write_all_at(b"tail\n", 10 << 20).unwrap();
    drop(f);
    let f = std::fs::File::create(d.join("many")).unwrap();
    f.set_len(30 << 20).unwrap();
    for i in 1..=30u64 {
        f.write_all_at(b"x", i * 900_000).unwrap();
    }
    drop(f);
    std::fs::File::create(d.join("allhole"))
        .unwrap()
        .set_len(1 << 20)
        .unwrap();
    std::fs::write(d.join("small"), "x").unwrap();
    let files = ["holes", "many", "allhole", "small"];
    let mut args = vec!["-cSf", "ours.tar", "--mtime=@0", "--owner=0", "--group=0"];
    args.extend_from_slice(&files);
    assert_eq!(tar(&d, &args), (0, String::new(), String::new()));
    args[1] = "gnu.tar";
    let o = std::process::Command::new("tar")
        .current_dir(&d)
        .args(&args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let ours = std::fs::read(d.join("ours.tar")).unwrap();
    assert!(ours == std::fs::read(d.join("gnu.tar")).unwrap());
    assert!(
        ours.len() < 1 << 20,
        "holes were stored: {} bytes",
        ours.len()
    );
    std::fs::create_dir(d.join("out")).unwrap();
    assert_eq!(tar(&d, &["-xf", "ours.tar", "-C", "out"]).0, 0);
    for f in files {
        assert!(
            std::fs::read(d.join("out").join(f)).unwrap() == std::fs::read(d.join(f)).unwrap(),
            "{f}"
        );
    }
    let (status, _, err) = tar(&d, &["-cSf", "u.tar", "-H", "ustar", "small"]);
    assert_eq!(status, 2);
    assert!(
        err.starts_with("tar: GNU features wanted on incompatible archive format\n"),
        "{err}"
    );
}
