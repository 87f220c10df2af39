use crate::testing::{run, temp_dir};
use std::path::Path;

fn tree(tag: &str) -> std::path::PathBuf {
    let d = temp_dir(tag);
    std::fs::create_dir_all(d.join("a/b")).unwrap();
    std::fs::create_dir_all(d.join("e")).unwrap();
    std::fs::write(d.join("a/f.c"), "12345").unwrap();
    std::fs::write(d.join("a/b/g.h"), "").unwrap();
    std::fs::write(d.join(".hidden"), "x").unwrap();
    std::os::unix::fs::symlink("a/f.c", d.join("ln")).unwrap();
    d
}

fn find_in(d: &Path, args: &[&str]) -> (u8, String, String) {
    let ds = d.to_str().unwrap();
    let mut a = vec![ds];
    a.extend_from_slice(args);
    let r = run("find", &a, b"");
    let out = r.out().replace(ds, "D");
    (r.status, out, r.err().replace(ds, "D"))
}

#[test]
fn lists_everything_sorted_by_default() {
    let d = tree("find-all");
    let (s, out, _) = find_in(&d, &[]);
    assert_eq!(s, 0);
    assert_eq!(
        out,
        "D\nD/.hidden\nD/a\nD/a/b\nD/a/b/g.h\nD/a/f.c\nD/e\nD/ln\n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn name_type_and_operators() {
    let d = tree("find-name");
    assert_eq!(find_in(&d, &["-name", "*.c"]).1, "D/a/f.c\n");
    assert_eq!(find_in(&d, &["-iname", "*.C"]).1, "D/a/f.c\n");
    // No FNM_PERIOD: `*` matches dot files.
    assert_eq!(
        find_in(&d, &["-name", "*", "-maxdepth", "1", "-type", "f"]).1,
        "D/.hidden\n"
    );
    assert_eq!(find_in(&d, &["-type", "l"]).1, "D/ln\n");
    assert_eq!(find_in(&d, &["-type", "d", "-name", "b"]).1, "D/a/b\n");
    assert_eq!(
        find_in(&d, &["-name", "*.c", "-o", "-name", "*.h"]).1,
        "D/a/b/g.h\nD/a/f.c\n"
    );
    assert_eq!(
        find_in(&d, &["!", "-type", "d", "!", "-name", ".*", "-type", "f"]).1,
        "D/a/b/g.h\nD/a/f.c\n"
    );
    assert_eq!(
        find_in(&d, &["(", "-name", "a", "-o", "-name", "e", ")", "-print"]).1,
        "D/a\nD/e\n"
    );
    assert_eq!(find_in(&d, &["-path", "*/b/*"]).1, "D/a/b/g.h\n");
    assert_eq!(
        find_in(&d, &["-type", "f,l", "-name", "[lf]*"]).1,
        "D/a/f.c\nD/ln\n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn depth_prune_and_quit() {
    let d = tree("find-depth");
    assert_eq!(
        find_in(&d, &["-mindepth", "2", "-maxdepth", "2"]).1,
        "D/a/b\nD/a/f.c\n"
    );
    assert_eq!(
        find_in(&d, &["-name", "a", "-prune", "-o", "-print"]).1,
        "D\nD/.hidden\nD/e\nD/ln\n"
    );
    assert_eq!(
        find_in(&d, &["-depth", "-path", "*a*"]).1,
        "D/a/b/g.h\nD/a/b\nD/a/f.c\nD/a\n"
    );
    assert_eq!(
        find_in(&d, &["-type", "f", "-print", "-quit"]).1,
        "D/.hidden\n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn size_empty_perm_and_printf() {
    let d = tree("find-size");
    // A symlink's size is its target's length.
    assert_eq!(find_in(&d, &["-size", "5c"]).1, "D/a/f.c\nD/ln\n");
    assert_eq!(
        find_in(&d, &["-size", "-1k", "-type", "f"]).1,
        "D/a/b/g.h\n"
    );
    assert_eq!(find_in(&d, &["-size", "+4c", "-type", "f"]).1, "D/a/f.c\n");
    assert_eq!(find_in(&d, &["-empty"]).1, "D/a/b/g.h\nD/e\n");
    std::fs::write(d.join("e/x"), "").unwrap();
    run("chmod", &["4751", d.join("e/x").to_str().unwrap()], b"");
    assert_eq!(find_in(&d, &["-perm", "4751"]).1, "D/e/x\n");
    assert_eq!(find_in(&d, &["-perm", "-u+s"]).1, "D/e/x\n");
    assert_eq!(find_in(&d, &["-perm", "/o+x", "-type", "f"]).1, "D/e/x\n");
    assert_eq!(
        find_in(
            &d,
            &[
                "-name",
                "f.c",
                "-printf",
                "%f|%h|%P|%s|%d|%y|%m|%M|%5s|%-3d|\\n"
            ]
        )
        .1,
        "f.c|D/a|a/f.c|5|2|f|644|-rw-r--r--|    5|2  |\n"
    );
    assert_eq!(
        find_in(&d, &["-name", "ln", "-printf", "%l %y %Y\\t%%\\n"]).1,
        "a/f.c l f\t%\n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn follow_symlinks_and_loops() {
    let d = tree("find-follow");
    std::os::unix::fs::symlink("..", d.join("a/b/up")).unwrap();
    let ds = d.to_str().unwrap();
    let r = run("find", &["-L", ds, "-name", "up"], b"");
    let (s, out, err) = (r.status, r.out(), r.err().replace(ds, "D"));
    assert_eq!(s, 1);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "find: File system loop detected; 'D/a/b/up' is part of the same file system loop as 'D/a'.\n"
    );
    let r = run(
        "find",
        &["-L", d.join("ln").to_str().unwrap(), "-type", "f"],
        b"",
    );
    assert_eq!(r.status, 0);
    assert!(r.out().ends_with("/ln\n"));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn delete_removes_depth_first() {
    let d = tree("find-delete");
    let (s, out, err) = find_in(&d, &["-path", "*/a*", "-delete"]);
    assert_eq!((s, out.as_str(), err.as_str()), (0, "", ""));
    assert!(!d.join("a").exists());
    assert!(d.join("e").exists());
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn errors_read_like_gnu() {
    let r = run("find", &["/nonexistent-rbox"], b"");
    assert_eq!(
        (r.status, r.err()),
        (
            1,
            "find: '/nonexistent-rbox': No such file or directory\n".into()
        )
    );
    let r = run("find", &[".", "-foo"], b"");
    assert_eq!(r.err(), "find: unknown predicate '-foo'\n");
    let r = run("find", &[".", "-exec", "ls"], b"");
    assert_eq!(r.err(), "find: missing argument to '-exec'\n");
    let r = run("find", &[".", "-name", "a", "b"], b"");
    assert_eq!(
        r.err(),
        "find: paths must precede expression: 'b'\n\
         find: possible unquoted pattern after predicate '-name'?\n"
    );
    let r = run("find", &[".", "-type", "z"], b"");
    assert_eq!(r.err(), "find: Unknown argument to -type: z\n");
    let r = run("find", &[".", "-o"], b"");
    assert_eq!(
        r.err(),
        "find: invalid expression; you have used a binary operator '-o' with nothing before it.\n"
    );
    let r = run("find", &[".", "(", "-true"], b"");
    assert!(r.err().contains("expected to find a ')'"));
    let r = run("find", &[".", "-size", "1X"], b"");
    assert_eq!(r.err(), "find: invalid -size type 'X'\n");
    let r = run("find", &[".", "-perm", "999"], b"");
    assert_eq!(r.err(), "find: invalid mode '999'\n");
    let r = run("find", &[".", "-maxdepth", "x"], b"");
    assert_eq!(
        r.err(),
        "find: Expected a positive decimal integer argument to -maxdepth, but got 'x'\n"
    );
    let r = run("find", &[".", "-execdir", "ls", "{}", "{}", "+"], b"");
    assert_eq!(
        r.err(),
        "find: Only one instance of {} is supported with -execdir ... +\n"
    );
    let r = run("find", &[".", "-newer", "/nonexistent-rbox"], b"");
    assert_eq!(
        r.err(),
        "find: '/nonexistent-rbox': No such file or directory\n"
    );
}

#[test]
fn print0_and_regex() {
    let d = tree("find-print0");
    let ds = d.to_str().unwrap();
    let r = run("find", &[ds, "-name", "*.[ch]", "-print0"], b"");
    assert_eq!(r.out(), format!("{ds}/a/b/g.h\0{ds}/a/f.c\0"));
    assert_eq!(find_in(&d, &["-regex", ".*/f\\.c"]).1, "D/a/f.c\n");
    assert_eq!(
        find_in(
            &d,
            &["-regextype", "posix-extended", "-regex", ".*\\.(c|h)"]
        )
        .1,
        "D/a/b/g.h\nD/a/f.c\n"
    );
    assert_eq!(find_in(&d, &["-regex", "f\\.c"]).1, "");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn execdir_refuses_a_relative_path_entry() {
    assert!(super::check_path_for_execdir(b"/bin:/usr/bin", b"-execdir").is_ok());
    for bad in [&b"/bin::/usr/bin"[..], b".:/bin", b"/bin:", b""] {
        let e = super::check_path_for_execdir(bad, b"-execdir").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("The current directory is included"),
            "{e}"
        );
    }
    let e = super::check_path_for_execdir(b"/bin:bin", b"-okdir").unwrap_err();
    assert_eq!(
        e.to_string(),
        "The relative path 'bin' is included in the PATH environment variable, which is \
         insecure in combination with the -okdir action of find.  Please remove that entry \
         from $PATH"
    );
}
