use crate::testing::{run, run_bytes};

/// (arguments, stdout, stderr, status), each checked against bash 5.2's
/// builtin (LC_ALL=C), except that range errors are errors (status 1, no "warning:"), as in
/// dash and GNU.
const TABLE: &[(&[&str], &str, &str, u8)] = &[
    (&["%s\\n", "a", "b"], "a\nb\n", "", 0),
    (&["%s %s|", "a", "b", "c"], "a b|c |", "", 0),
    (&["x\\n", "a", "b"], "x\n", "", 0),
    (&["%d%%|", "1", "2"], "1%|2%|", "", 0),
    (
        &["%5s|%-5s|%.1s|%5.1s|", "ab", "ab", "xyz", "xyz"],
        "   ab|ab   |x|    x|",
        "",
        0,
    ),
    (&["%c|%5c|%-3c|", "abc", "a", "b"], "a|    a|b  |", "", 0),
    (&["%d %i", "42", "-17"], "42 -17", "", 0),
    (&["%d", "9223372036854775807"], "9223372036854775807", "", 0),
    (
        &["%d", "-9223372036854775808"],
        "-9223372036854775808",
        "",
        0,
    ),
    (
        &["%u %x %X %o", "-1", "255", "255", "8"],
        "18446744073709551615 ff FF 10",
        "",
        0,
    ),
    (
        &["%#x %#X %#o %#x", "255", "255", "8", "0"],
        "0xff 0XFF 010 0",
        "",
        0,
    ),
    (
        &["%05d|%-5d|%+d|% d|%+ d", "42", "42", "42", "42", "42"],
        "00042|42   |+42| 42|+42",
        "",
        0,
    ),
    (&["%.3d|%.0d|%5.0d|", "7", "0", "0"], "007||     |", "", 0),
    (
        &["%d %d %d %d", "010", "0x1f", "-0X10", "+5"],
        "8 31 -16 5",
        "",
        0,
    ),
    (&["%d %d %d", "'a", "\"b", "'"], "97 98 0", "", 0),
    (
        &["%*d|%-*d|%.*d|", "5", "1", "4", "2", "3", "7"],
        "    1|2   |007|",
        "",
        0,
    ),
    (&["%*d|", "-4", "1"], "1   |", "", 0),
    (&["%.*f|", "-1", "2.5"], "2.500000|", "", 0),
    (
        &["%f %e %g %a", "1.5", "1.5", "1.5", "1.5"],
        "1.500000 1.500000e+00 1.5 0x1.8p+0",
        "",
        0,
    ),
    (
        &[
            "%.2f|%10.3e|%-10g|%G",
            "3.14159",
            "31415.9",
            "0.0001",
            "1e-10",
        ],
        "3.14| 3.142e+04|0.0001    |1E-10",
        "",
        0,
    ),
    (&["%f", ".5"], "0.500000", "", 0),
    (&["%f %f", "0x1p3", "'A"], "8.000000 65.000000", "", 0),
    (
        &["%f %f %F", "inf", "-nan", "infinity"],
        "inf -nan INF",
        "",
        0,
    ),
    (&["%b|", "a\\tb\\n"], "a\tb\n|", "", 0),
    (&["%b|", "\\0101\\101\\x41"], "AAA|", "", 0),
    (&["%b", "a\\cb", "c"], "a", "", 0),
    (&["%.2b|%5b|", "abc", "x"], "ab|    x|", "", 0),
    (&["%s", "\\t"], "\\t", "", 0),
    (
        &["\\t\\101\\0101\\x41\\\"\\'\\?\\q\\c|"],
        "\tA\x081A\"'?\\q\\c|",
        "",
        0,
    ),
    (&["a\\"], "a\\", "", 0),
    (&["%d|%s|%c|%f|%b|"], "0||\x00|0.000000||", "", 0),
    (&["%s-%s\\n", "a"], "a-\n", "", 0),
    (&["%%"], "%", "", 0),
    (&["100%%\\n"], "100%\n", "", 0),
    (&[""], "", "", 0),
    (&["", "a"], "", "", 0),
    (&["%s"], "", "", 0),
    (
        &["%ld %lld %hd %jd %zd", "1", "2", "3", "4", "5"],
        "1 2 3 4 5",
        "",
        0,
    ),
    (&["%d", "x"], "0", "printf: x: invalid number\n", 1),
    (
        &["%d|%d", "1x", "2"],
        "1|2",
        "printf: 1x: invalid number\n",
        1,
    ),
    (&["%d", "08"], "0", "printf: 08: invalid octal number\n", 1),
    (&["%d", "0x"], "0", "printf: 0x: invalid hex number\n", 1),
    (&["%d", "1 "], "1", "printf: 1 : invalid number\n", 1),
    (&["%d", " 1"], "1", "", 0),
    (&["%f", "x"], "0.000000", "printf: x: invalid number\n", 1),
    (
        &["%e", "1.5x"],
        "1.500000e+00",
        "printf: 1.5x: invalid number\n",
        1,
    ),
    (
        &["a%yb", "1"],
        "a",
        "printf: `y': invalid format character\n",
        1,
    ),
    (
        &["abc%"],
        "abc",
        "printf: `%': missing format character\n",
        1,
    ),
    (&["%5"], "", "printf: `%5': missing format character\n", 1),
    (
        &["%-.3"],
        "",
        "printf: `%-.3': missing format character\n",
        1,
    ),
    (&["%5%"], "", "printf: `%': invalid format character\n", 1),
    (
        &["%d", "99999999999999999999"],
        "9223372036854775807",
        "printf: 99999999999999999999: Numerical result out of range\n",
        1,
    ),
    (
        &["%d", "-99999999999999999999"],
        "-9223372036854775808",
        "printf: -99999999999999999999: Numerical result out of range\n",
        1,
    ),
    (
        &["%u", "18446744073709551616"],
        "18446744073709551615",
        "printf: 18446744073709551616: Numerical result out of range\n",
        1,
    ),
    (
        &["%s %d\\n", "a", "x", "b", "2"],
        "a 0\nb 2\n",
        "printf: x: invalid number\n",
        1,
    ),
];

#[test]
fn table_matches_bash() {
    for (args, out, err, status) in TABLE {
        let r = run("printf", args, b"");
        assert_eq!(
            (r.out().as_str(), r.err().as_str(), r.status),
            (*out, *err, *status),
            "printf {args:?}"
        );
    }
}

#[test]
fn options() {
    let r = run("printf", &["--", "%s|", "x"], b"");
    assert_eq!((r.out().as_str(), r.status), ("x|", 0));
    assert_eq!(run("printf", &["--", "-x"], b"").out(), "-x");
    assert_eq!(run("printf", &["-"], b"").out(), "-");
    let r = run("printf", &["-x"], b"");
    assert_eq!(r.status, 2);
    assert_eq!(
        r.err(),
        "printf: -x: invalid option\nUsage: printf FORMAT [ARG]...\n"
    );
    let r = run("printf", &[], b"");
    assert_eq!(r.status, 2);
    assert!(r.err().starts_with("printf: missing operand\n"));
    assert_eq!(run("printf", &["--"], b"").status, 2);
    let r = run("printf", &["--help"], b"");
    assert_eq!(r.status, 0);
    assert!(r.out().starts_with("Usage: printf FORMAT [ARG]...\n"));
}

#[test]
fn bytes_pass_through() {
    let args = [
        b"\xff%s\x80|%c|%b".to_vec(),
        b"\xfe\x00z".to_vec(),
        b"\xc3\xa9".to_vec(),
        b"\xe9\\n".to_vec(),
    ];
    let r = run_bytes("printf", &args, b"");
    assert_eq!(r.stdout, b"\xff\xfe\x00z\x80|\xc3|\xe9\n");
    let r = run_bytes("printf", &[b"%d".to_vec(), b"'\xe9".to_vec()], b"");
    assert_eq!(r.stdout, b"233");
    let r = run_bytes("printf", &[b"%d".to_vec(), b"\xe9".to_vec()], b"");
    assert_eq!(
        (r.stdout.as_slice(), r.stderr.as_slice()),
        (&b"0"[..], &b"printf: \xe9: invalid number\n"[..])
    );
}

#[test]
fn large_fields() {
    let r = run("printf", &["%20000d|", "1"], b"");
    assert_eq!(r.stdout.len(), 20001);
    assert!(r.out().ends_with("01|") || r.out().ends_with(" 1|"));
    let r = run("printf", &["%.5000f", "1"], b"");
    assert_eq!(r.stdout.len(), 5002);
    let r = run("printf", &["%.3000d", "-1"], b"");
    assert_eq!(r.stdout.len(), 3001);
    let r = run("printf", &["%2147483648d", "1"], b"");
    assert_eq!(r.status, 1);
    assert_eq!(
        r.err(),
        "printf: `%2147483648': Value too large for defined data type\n"
    );
    let r = run("printf", &["%.*s|", "99999999999", "abc"], b"");
    assert_eq!((r.out().as_str(), r.status), ("abc|", 1));
    assert_eq!(
        r.err(),
        "printf: 99999999999: Numerical result out of range\n"
    );
}

#[test]
fn format_is_reused_while_arguments_remain() {
    let args: Vec<String> = (0..10000).map(|i| i.to_string()).collect();
    let mut argv = vec!["%s,"];
    argv.extend(args.iter().map(String::as_str));
    let r = run("printf", &argv, b"");
    assert_eq!(r.stdout.iter().filter(|&&b| b == b',').count(), 10000);
    assert!(r.out().starts_with("0,1,2,"));
    // A format that uses no argument runs once.
    assert_eq!(run("printf", &["%%\\n", "a", "b"], b"").out(), "%\n");
}
/// Doubles that exercise rounding: ties, powers of ten, subnormals, huge values, and a
/// spread of pseudo-random bit patterns. Written in Rust's shortest round-trip form,
/// which any correct `strtod` reads back to the same double.
fn sample_values() -> Vec<String> {
    let mut v: Vec<f64> = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1.5,
        2.5,
        0.125,
        0.375,
        9.5,
        99.5,
        999.5,
        0.05,
        0.15,
        0.25,
        0.35,
        1e-5,
        1e-4,
        9.9999e-5,
        0.1,
        0.2,
        0.3,
        123456.0,
        999999.5,
        1e6,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e23,
        1e100,
        1.7976931348623157e308,
        2.2250738585072014e-308,
        2.225_073_858_507_201e-308,
        5e-324,
        1e-310,
        3.0,
        255.0,
        4095.9375,
        1.999,
        1.0625,
        1.03125,
        1.09375,
        0.999999,
        9.999999e9,
        1e-300,
        6.02214076e23,
        std::f64::consts::PI,
        std::f64::consts::E,
        1.0 / 3.0,
        2.0 / 3.0,
        1e10 / 3.0,
        123.456,
        -987.654321,
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while v.len() < 200 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if f.is_finite() && f.abs() < 1e30 && f.abs() > 1e-30 {
            v.push(f);
        } else if f.is_finite() {
            v.push(f64::from_bits(x & 0x800f_ffff_ffff_ffff | 0x3ff0_0000_0000_0000) * 1e3);
        }
    }
    v.iter().map(|f| format!("{f:e}")).collect()
}

const ORACLE_FORMATS: &[&str] = &[
    "%e",
    "%.0e",
    "%.1e",
    "%.3e",
    "%.17e",
    "%.25e",
    "%E",
    "%#.0e",
    "%+e",
    "%f",
    "%.0f",
    "%.1f",
    "%.2f",
    "%.10f",
    "%.30f",
    "%#.0f",
    "% f",
    "%012.3f",
    "%-14.2f|",
    "%g",
    "%.0g",
    "%.1g",
    "%.2g",
    "%.3g",
    "%.10g",
    "%.17g",
    "%.20g",
    "%#g",
    "%#.1g",
    "%#.2g",
    "%#.3g",
    "%#.17g",
    "%G",
    "%+08g",
    "%a",
    "%.0a",
    "%.1a",
    "%.2a",
    "%.5a",
    "%.12a",
    "%.13a",
    "%.16a",
    "%A",
    "%#a",
    "%#.0a",
    "%025a",
    "%-+25.3a|",
];

/// Compares %e %f %g %a against dash's printf (glibc's printf on a double) for a few
/// thousand format and value pairs, when dash is installed.
#[test]
fn floats_match_dash() {
    let dash = ["/usr/bin/dash", "/bin/dash"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(dash) = dash else { return };
    let values = sample_values();
    for fmt in ORACLE_FORMATS {
        let line = format!("{fmt}\\n");
        let out = std::process::Command::new(dash)
            .arg("-c")
            .arg("printf \"$@\"")
            .arg("sh")
            .arg(&line)
            .args(&values)
            .output()
            .unwrap();
        let mut args = vec![line.as_bytes().to_vec()];
        args.extend(values.iter().map(|v| v.as_bytes().to_vec()));
        let ours = run_bytes("printf", &args, b"");
        let (want, got) = (String::from_utf8_lossy(&out.stdout), ours.out());
        for ((w, g), v) in want.lines().zip(got.lines()).zip(&values) {
            assert_eq!(g, w, "printf '{fmt}' {v}");
        }
        assert_eq!(got.lines().count(), values.len(), "{fmt}");
    }
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> crate::testing::Outcome {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    crate::testing::run_with_env("printf", &args, b"", env)
}

#[test]
fn quote_conversion() {
    let r = run(
        "printf",
        &["[%q] [%6q] [%q] [%q]", "a b", "a b", "it's", "x"],
        b"",
    );
    assert_eq!(r.out(), "['a b'] [ 'a b'] [$'it\\'s'] [x]");
    assert_eq!(run("printf", &["[%q]", ""], b"").out(), "['']");
}

#[test]
fn strftime_conversion() {
    let tz = [("TZ", "Asia/Tokyo"), ("TZDIR", "/usr/share/zoneinfo")];
    let r = run_env(&["%(%Y-%m-%d)T|", "1557978599"], &tz);
    if std::path::Path::new("/usr/share/zoneinfo/Asia/Tokyo").exists() {
        assert_eq!(r.out(), "2019-05-16|");
    }
    let utc = [("TZ", "UTC0")];
    let r = run_env(&["[%10.5(%Y-%m-%d)T] %(%H:%M)T", "1557978599", "0"], &utc);
    assert_eq!(r.out(), "[     2019-] 00:00");
    // like bash, a result of 128 bytes or more is dropped
    let long = format!("%({})T", "%Y".repeat(32));
    assert_eq!(run_env(&[&long, "0"], &utc).out(), "");
    let r = run_env(&["%(%Y", "0"], &utc);
    assert_eq!(
        (r.status, r.err()),
        (1, "printf: `%(%Y': missing format character\n".into())
    );
}

#[test]
fn quoted_char_is_a_code_point_in_utf8() {
    let utf8 = [("LC_ALL", "C.UTF-8")];
    let r = run_env(&["%x %u %o|", "'μ", "'三", "\"μ"], &utf8);
    assert_eq!(r.out(), "3bc 19977 1674|");
    // not UTF-8, overlong, or in the C locale: the first byte
    let args = [
        b"%x %x %x".to_vec(),
        b"'\xce\xce".to_vec(),
        b"'\xc1\x81".to_vec(),
        b"'\xf4\x91\x84\x91".to_vec(),
    ];
    let r = crate::testing::run_with_env("printf", &args, b"", &utf8);
    assert_eq!(r.stdout, b"ce c1 111111");
    assert_eq!(run_env(&["%x", "'μ"], &[("LC_ALL", "C")]).out(), "ce");
}
