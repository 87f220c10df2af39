use crate::testing::run;

fn sed(args: &[&str], input: &str) -> (String, u8) {
    let o = run("sed", args, input.as_bytes());
    (o.out() + &o.err(), o.status)
}

#[test]
fn substitute_basics() {
    assert_eq!(sed(&["s/a/b/"], "aaa\n"), ("baa\n".into(), 0));
    assert_eq!(sed(&["s/a/b/g"], "aaa\n"), ("bbb\n".into(), 0));
    assert_eq!(sed(&["s/a/b/2"], "aaa\n"), ("aba\n".into(), 0));
    assert_eq!(sed(&["s/a/b/2g"], "aaaa\n"), ("abbb\n".into(), 0));
    assert_eq!(sed(&["s/b*/X/g"], "abc\n"), ("XaXcX\n".into(), 0));
    assert_eq!(
        sed(&["s/\\(a\\)\\(b\\)/\\2\\1&/"], "ab\n"),
        ("baab\n".into(), 0)
    );
    assert_eq!(
        sed(&["-E", "s/(x+)/[\\1]/g"], "axxbx\n"),
        ("a[xx]b[x]\n".into(), 0)
    );
    assert_eq!(
        sed(&["s/\\w\\+/\\u&/g"], "hello world\n"),
        ("Hello World\n".into(), 0)
    );
    assert_eq!(sed(&["s/.*/\\U&/"], "abc\n"), ("ABC\n".into(), 0));
    assert_eq!(sed(&["s/X/\\n/g"], "aXb\n"), ("a\nb\n".into(), 0));
    assert_eq!(sed(&["s|/|\\||g"], "a/b\n"), ("a|b\n".into(), 0));
    assert_eq!(sed(&["-n", "s/a/b/p"], "a\nc\n"), ("b\n".into(), 0));
    assert_eq!(sed(&["s/A/b/I"], "a\n"), ("b\n".into(), 0));
}

#[test]
fn addresses_and_ranges() {
    let input = "1\n2\n3\n4\n5\n6\n";
    assert_eq!(sed(&["-n", "2p"], input).0, "2\n");
    assert_eq!(sed(&["-n", "$p"], input).0, "6\n");
    assert_eq!(sed(&["-n", "2,4p"], input).0, "2\n3\n4\n");
    assert_eq!(sed(&["-n", "/2/,/4/p"], input).0, "2\n3\n4\n");
    assert_eq!(sed(&["-n", "1~2p"], input).0, "1\n3\n5\n");
    assert_eq!(sed(&["-n", "0~3p"], input).0, "3\n6\n");
    assert_eq!(sed(&["-n", "2,+2p"], input).0, "2\n3\n4\n");
    assert_eq!(sed(&["-n", "2,~4p"], input).0, "2\n3\n4\n");
    assert_eq!(sed(&["-n", "0,/1/p"], input).0, "1\n");
    assert_eq!(sed(&["-n", "1,/1/p"], "1\n2\n1\n3\n").0, "1\n2\n1\n");
    assert_eq!(sed(&["2!d"], input).0, "2\n");
    assert_eq!(sed(&["-n", "4,2p"], input).0, "4\n");
    assert_eq!(sed(&["-n", "\\,3,p"], input).0, "3\n");
    assert_eq!(sed(&["2,4{/3/d}"], input).0, "1\n2\n4\n5\n6\n");
}

#[test]
fn hold_and_multiline() {
    assert_eq!(sed(&["1!G;h;$!d"], "a\nb\nc\n").0, "c\nb\na\n");
    assert_eq!(sed(&["$!N;s/\\n/ /"], "a\nb\nc\n").0, "a b\nc\n");
    assert_eq!(
        sed(&["-e", ":a", "-e", "$!N;s/\\n//;ta"], "a\nb\nc\n").0,
        "abc\n"
    );
    assert_eq!(sed(&[":a;N;$!ba;s/\\n/,/g"], "a\nb\nc\n").0, "a,b,c\n");
    assert_eq!(sed(&["N;P;D"], "a\nb\nc\n").0, "a\nb\nc\n");
    assert_eq!(sed(&["-n", "h;n;G;p"], "a\nb\n").0, "b\na\n");
    assert_eq!(sed(&["x;$!d;x"], "a\nb\n").0, "b\n");
    assert_eq!(sed(&["n;d"], "1\n2\n3\n").0, "1\n3\n");
    assert_eq!(sed(&["$!d"], "1\n2\n").0, "2\n");
}

#[test]
fn text_commands() {
    assert_eq!(sed(&["a foo"], "x\n").0, "x\nfoo\n");
    assert_eq!(sed(&["i\\\nfoo\\\nbar"], "x\n").0, "foo\nbar\nx\n");
    assert_eq!(sed(&["1a\\  lead"], "x\n").0, "x\n  lead\n");
    assert_eq!(sed(&["2,3c\\\nX"], "1\n2\n3\n4\n").0, "1\nX\n4\n");
    assert_eq!(sed(&["c X"], "1\n2\n").0, "X\nX\n");
    assert_eq!(sed(&["-n", "$="], "a\nb\n").0, "2\n");
    assert_eq!(sed(&["-n", "l"], "a\tb\\\x01\n").0, "a\\tb\\\\\\001$\n");
    assert_eq!(sed(&["y/abc/xyz/"], "aabbcc\n").0, "xxyyzz\n");
    assert_eq!(sed(&["2q"], "1\n2\n3\n").0, "1\n2\n");
    assert_eq!(sed(&["2Q"], "1\n2\n3\n").0, "1\n");
    assert_eq!(sed(&["q5"], "1\n2\n"), ("1\n".into(), 5));
    assert_eq!(sed(&["z;s/^$/E/"], "1\n").0, "E\n");
    assert_eq!(sed(&["-s", "F"], "1\n").0, "-\n1\n");
    assert_eq!(sed(&["#n\np"], "1\n").0, "1\n");
}

#[test]
fn newline_handling() {
    assert_eq!(sed(&["p"], "a").0, "a\na");
    assert_eq!(sed(&["s/a/b/"], "").0, "");
    assert_eq!(sed(&["-z", "s/\\n/,/g"], "a\nb\n").0, "a,b,");
    let o = run("sed", &["s/x/y/"], b"\xffx\r\n");
    assert_eq!(o.stdout, b"\xffy\r\n");
}

#[test]
fn script_errors() {
    // GNU sed rejects a stray ERE `)` (glibc's regcomp would take it literally).
    assert_eq!(
        sed(&["-E", "s/x)/Y/"], "x)\n"),
        (
            "sed: -e expression #1, char 7: Unmatched ) or \\)\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["-E", "-n", "/x)/p"], "x)\n"),
        (
            "sed: -e expression #1, char 4: Unmatched ) or \\)\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["-E", "s/[[:alpha:])]/Y/;s/(Y)/<&>/"], "x)\n"),
        ("<Y>)\n".into(), 0)
    );
    assert_eq!(sed(&["-E", "s/x\\)/Y/"], "x)\n"), ("Y\n".into(), 0));
    assert_eq!(
        sed(&["s/a/b"], ""),
        (
            "sed: -e expression #1, char 5: unterminated `s' command\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["k"], ""),
        (
            "sed: -e expression #1, char 1: unknown command: `k'\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["s/a/b/q"], ""),
        (
            "sed: -e expression #1, char 7: unknown option to `s'\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["/x/{p"], ""),
        ("sed: -e expression #1, char 0: unmatched `{'\n".into(), 1)
    );
    assert_eq!(
        sed(&["p}"], ""),
        ("sed: -e expression #1, char 2: unexpected `}'\n".into(), 1)
    );
    assert_eq!(
        sed(&["y/ab/c/"], ""),
        (
            "sed: -e expression #1, char 7: strings for `y' command are different lengths\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["s/x/\\2/"], ""),
        (
            "sed: -e expression #1, char 7: invalid reference \\2 on `s' command's RHS\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["=junk"], ""),
        (
            "sed: -e expression #1, char 2: extra characters after command\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["-e", "p", "-e", "s/a"], ""),
        (
            "sed: -e expression #2, char 3: unterminated `s' command\n".into(),
            1
        )
    );
    assert_eq!(
        sed(&["b foo"], ""),
        ("sed: can't find label for jump to `foo'\n".into(), 4)
    );
    assert_eq!(
        sed(&["p", "/nonexistent/x"], ""),
        (
            "sed: can't read /nonexistent/x: No such file or directory\n".into(),
            2
        )
    );
}

#[test]
fn in_place_edits() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::testing::temp_dir("sed-i");
    let f = dir.join("conf");
    std::fs::write(&f, "#PermitRootLogin yes\nPort 22\n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    let fs = f.to_str().unwrap();
    let o = run(
        "sed",
        &["-i.bak", "s/^#\\?\\(PermitRootLogin\\).*/\\1 no/", fs],
        b"",
    );
    assert_eq!(o.status, 0, "{}", o.err());
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        "PermitRootLogin no\nPort 22\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("conf.bak")).unwrap(),
        "#PermitRootLogin yes\nPort 22\n"
    );
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let o = run("sed", &["-i", "-n", "$=", fs, fs], b"");
    assert_eq!(o.status, 0);
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "1\n");
    let _ = std::fs::remove_dir_all(&dir);
}
