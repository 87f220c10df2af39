use crate::testing::run;

fn out(args: &[&str], input: &str) -> (String, u8) {
    let o = run("grep", args, input.as_bytes());
    (o.out(), o.status)
}

#[test]
fn basic_select_and_status() {
    assert_eq!(out(&["b"], "a\nb\nc\nab\n"), ("b\nab\n".into(), 0));
    assert_eq!(out(&["z"], "a\nb\n"), ("".into(), 1));
    assert_eq!(out(&["-v", "b"], "a\nb\nc\n"), ("a\nc\n".into(), 0));
    assert_eq!(out(&["-c", "a"], "a\nb\na\n"), ("2\n".into(), 0));
    assert_eq!(out(&["-c", "z"], "a\n"), ("0\n".into(), 1));
    assert_eq!(out(&["-vc", "a"], "a\nb\nc\n"), ("2\n".into(), 0));
}

#[test]
fn egrep_literal_operators() {
    // A leading `* + ?` repeats nothing and drops out, as in GNU grep.
    assert_eq!(out(&["-E", "*a"], "*a\nxa\nb\n"), ("*a\nxa\n".into(), 0));
    assert_eq!(out(&["-E", "-o", "(+a)"], "x*a\n"), ("a\n".into(), 0));
    assert_eq!(out(&["-E", "-o", "^*a"], "ab\nba\n"), ("a\n".into(), 0));
    assert_eq!(out(&["-E", "-c", "x|?b"], "+b\nb\nc\n"), ("2\n".into(), 0));
    assert_eq!(out(&["-E", "-o", "a{,2}"], "baaa\n"), ("aa\na\n".into(), 0));
    assert_eq!(out(&["-E", "-o", "ba{,}"], "baaa\n"), ("baaa\n".into(), 0));
    assert_eq!(out(&["-E", "a{1"], "a{1\n"), ("a{1\n".into(), 0));
    assert_eq!(out(&["-E", "a{2}"], "aa\na\n"), ("aa\n".into(), 0));
    assert_eq!(out(&["-E", "[{*]x"], "{x\n"), ("{x\n".into(), 0));
}

#[test]
fn words_and_lines() {
    assert_eq!(
        out(&["-w", "foo"], "xfoo foo\nfoobar\nfoo\n"),
        ("xfoo foo\nfoo\n".into(), 0)
    );
    assert_eq!(
        out(&["-ow", "foo@"], "foo@ foo@bar\n"),
        ("foo@\n".into(), 0)
    );
    // The longest match fails at its end; a shorter one at the same start is taken.
    assert_eq!(out(&["-ow", "ab*"], "abbc ab\n"), ("ab\n".into(), 0));
    assert_eq!(out(&["-x", "a.c"], "abc\nabcd\n"), ("abc\n".into(), 0));
    assert_eq!(
        out(&["-x", "-e", "", "-e", "b"], "a\n\nb\n"),
        ("\nb\n".into(), 0)
    );
    assert_eq!(out(&["-w", ""], "abc\n\n"), ("\n".into(), 0));
}

#[test]
fn only_matching_and_offsets() {
    // An empty pattern selects every line, but -o still shows the others' matches.
    assert_eq!(
        out(
            &["-o", "-e", "", "-e", "two"],
            "one two three\none two\none\n"
        ),
        ("two\ntwo\n".into(), 0)
    );
    assert_eq!(
        out(&["-c", "-e", "", "-e", "x"], "a\nb\n"),
        ("2\n".into(), 0)
    );
    assert_eq!(out(&["-o", "b*"], "aaa bbb\n"), ("bbb\n".into(), 0));
    assert_eq!(
        out(&["-ob", "o"], "foo\nxo\n"),
        ("1:o\n2:o\n5:o\n".into(), 0)
    );
    assert_eq!(out(&["-b", "x"], "foo\nxo\n"), ("4:xo\n".into(), 0));
    assert_eq!(out(&["-n", "x"], "a\nx\nb\nx"), ("2:x\n4:x\n".into(), 0));
}

#[test]
fn context_groups() {
    let input = "1a\n2\n3\n4a\n5\n6\n7\n8a\n";
    assert_eq!(
        out(&["-A1", "a"], input),
        ("1a\n2\n--\n4a\n5\n--\n8a\n".into(), 0)
    );
    assert_eq!(out(&["-nB1", "4"], input), ("3-3\n4:4a\n".into(), 0));
    assert_eq!(out(&["-1", "6"], input), ("5\n6\n7\n".into(), 0));
    assert_eq!(out(&["-m1", "-A2", "a"], input), ("1a\n2\n3\n".into(), 0));
}

#[test]
fn patterns_from_options() {
    assert_eq!(
        out(&["-e", "a", "-e", "c"], "a\nb\nc\n"),
        ("a\nc\n".into(), 0)
    );
    assert_eq!(out(&["a\nc"], "a\nb\nc\n"), ("a\nc\n".into(), 0));
    assert_eq!(out(&["-F", "a.c"], "abc\na.c\n"), ("a.c\n".into(), 0));
    assert_eq!(out(&["-iF", "ABC"], "xabcx\n"), ("xabcx\n".into(), 0));
    assert_eq!(
        out(&["-i", "-e", "X", "-e", "Y"], "x\ny\nz\n"),
        ("x\ny\n".into(), 0)
    );
    assert_eq!(
        out(&["-e", "\\(a\\)\\1", "-e", "zz"], "aa\nzz\nab\n"),
        ("aa\nzz\n".into(), 0)
    );
    assert_eq!(out(&[""], "a\n\n"), ("a\n\n".into(), 0));
}

#[test]
fn binary_and_odd_input() {
    let o = run("grep", &["a"], b"a\0b\nab\n");
    assert_eq!(
        (o.out(), o.err(), o.status),
        (
            "".into(),
            "grep: (standard input): binary file matches\n".into(),
            0
        )
    );
    assert_eq!(run("grep", &["-a", "b"], b"a\0b\n").stdout, b"a\0b\n");
    assert_eq!(run("grep", &["-c", "a"], b"a\0\na\n").out(), "2\n");
    assert_eq!(run("grep", &["-I", "a"], b"a\0\n").status, 1);
    assert_eq!(run("grep", &["x"], b"no\nx").out(), "x\n");
    assert_eq!(run("grep", &["."], b"\xff\xfe\n").stdout, b"\xff\xfe\n");
    assert_eq!(run("grep", &["-z", "b"], b"a\0b\nc\0").stdout, b"b\nc\0");
    assert_eq!(run("grep", &["x"], b"").status, 1);
    let long = format!("{}x\n", "y".repeat(1 << 20));
    assert_eq!(run("grep", &["-c", "x$"], long.as_bytes()).out(), "1\n");
}

#[test]
fn errors_and_statuses() {
    let o = run("grep", &["a[b"], b"");
    assert_eq!(
        (o.err(), o.status),
        ("grep: Unmatched [, [^, [:, [., or [=\n".into(), 2)
    );
    let o = run("grep", &["a["], b"");
    assert_eq!(o.err(), "grep: Invalid regular expression\n");
    let o = run("grep", &["-P", "x"], b"x\n");
    assert_eq!(o.status, 2);
    let o = run("grep", &[], b"");
    assert_eq!(o.status, 2);
    assert!(o.err().starts_with("Usage: grep"));
    let o = run("grep", &["-q", "x", "/nonexistent/f", "-"], b"x\n");
    assert_eq!(o.status, 0);
    let o = run("grep", &["x", "/nonexistent/f", "-"], b"x\n");
    assert_eq!((o.out(), o.status), ("(standard input):x\n".into(), 2));
    let o = run("grep", &["-s", "x", "/nonexistent/f"], b"");
    assert_eq!((o.err(), o.status), ("".into(), 2));
    assert_eq!(
        run("grep", &["-A", "x", "a"], b"").err(),
        "grep: x: invalid context length argument\n"
    );
}

#[test]
fn recursive_walk() {
    let dir = crate::testing::temp_dir("grep-r");
    std::fs::create_dir_all(dir.join("d/e")).unwrap();
    std::fs::write(dir.join("d/a.txt"), "hit\n").unwrap();
    std::fs::write(dir.join("d/e/b.log"), "hit\nmiss\n").unwrap();
    std::os::unix::fs::symlink(dir.join("d/a.txt"), dir.join("d/link")).unwrap();
    let d = dir.join("d");
    let d = d.to_str().unwrap();
    let mut o = run("grep", &["-r", "hit", d], b"").out();
    let mut lines: Vec<&str> = o.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [format!("{d}/a.txt:hit"), format!("{d}/e/b.log:hit")]
    );
    o = run("grep", &["-rc", "--include=*.log", "hit", d], b"").out();
    assert_eq!(o, format!("{d}/e/b.log:1\n"));
    o = run("grep", &["-rl", "--exclude-dir=e", "hit", d], b"").out();
    assert_eq!(o, format!("{d}/a.txt\n"));
    o = run("grep", &["-Rl", "--exclude=*.log", "hit", d], b"").out();
    let mut l: Vec<&str> = o.lines().collect();
    l.sort();
    assert_eq!(l, [format!("{d}/a.txt"), format!("{d}/link")]);
    let o = run("grep", &["hit", d], b"");
    assert_eq!(
        (o.err(), o.status),
        (format!("grep: {d}: Is a directory\n"), 2)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
