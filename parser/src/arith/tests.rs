use std::collections::{HashMap, HashSet};

use super::*;

/// A variable table like the shell's: text values, readonly names, optional `set -u`.
#[derive(Default)]
struct Table {
    vars: HashMap<Vec<u8>, Vec<u8>>,
    readonly: HashSet<Vec<u8>>,
    nounset: bool,
    gets: usize,
}

impl Table {
    fn with(pairs: &[(&str, &str)]) -> Self {
        let mut t = Table::default();
        for (k, v) in pairs {
            t.vars.insert(k.as_bytes().to_vec(), v.as_bytes().to_vec());
        }
        t
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name.as_bytes())
            .and_then(|v| std::str::from_utf8(v).ok())
    }
}

impl Vars for Table {
    fn get(&mut self, name: &[u8]) -> Result<Option<std::borrow::Cow<'_, [u8]>>, ArithError> {
        self.gets += 1;
        match self.vars.get(name) {
            None if self.nounset => Err(ArithError::new(format!(
                "{}: parameter not set",
                String::from_utf8_lossy(name)
            ))),
            v => Ok(v.map(|v| std::borrow::Cow::Borrowed(v.as_slice()))),
        }
    }

    fn set(&mut self, name: &[u8], value: i64) -> Result<(), ArithError> {
        if self.readonly.contains(name) {
            return Err(ArithError::new(format!(
                "{}: is read only",
                String::from_utf8_lossy(name)
            )));
        }
        self.vars
            .insert(name.to_vec(), value.to_string().into_bytes());
        Ok(())
    }

    // Elements live in the table as `name[i]`.
    fn get_elem(&mut self, name: &[u8], index: i64) -> Result<Option<Vec<u8>>, ArithError> {
        self.get(format!("{}[{index}]", String::from_utf8_lossy(name)).as_bytes())
            .map(|v| v.map(std::borrow::Cow::into_owned))
    }

    fn set_elem(&mut self, name: &[u8], index: i64, value: i64) -> Result<(), ArithError> {
        self.set(
            format!("{}[{index}]", String::from_utf8_lossy(name)).as_bytes(),
            value,
        )
    }
}

fn ev(src: &str) -> Result<i64, ArithError> {
    eval_str(src.as_bytes(), &mut Table::default())
}

fn val(src: &str) -> i64 {
    match ev(src) {
        Ok(v) => v,
        Err(e) => panic!("{src:?}: unexpected error: {e}"),
    }
}

fn err(src: &str) -> String {
    match ev(src) {
        Ok(v) => panic!("{src:?}: expected an error, got {v}"),
        Err(e) => e.to_string(),
    }
}

fn in_table(t: &mut Table, src: &str) -> Result<i64, ArithError> {
    eval_str(src.as_bytes(), t)
}

#[test]
fn array_elements() {
    let mut t = Table::with(&[("a[1]", "5"), ("i", "1"), ("a[2]", "i+1")]);
    assert_eq!(in_table(&mut t, "a[i] * 2 + a[2]").unwrap(), 12);
    assert_eq!(in_table(&mut t, "a[i]++ + ++a[0] + a[3]--").unwrap(), 6);
    assert_eq!(t.value("a[1]"), Some("6"));
    assert_eq!(t.value("a[0]"), Some("1"));
    assert_eq!(t.value("a[3]"), Some("-1"));
    assert_eq!(in_table(&mut t, "a[i+1] = 7, a[1] += a[2]").unwrap(), 13);
    assert_eq!(t.value("a[2]"), Some("7"));
    assert!(in_table(&mut t, "a[1][2]").is_err());
    assert!(in_table(&mut t, "a[1").is_err());
    assert!(in_table(&mut t, "1[2] = 3").is_err());
    assert!(in_table(&mut t, "(a[1]) = 3").is_err());
}

#[test]
fn constants() {
    assert_eq!(val("0"), 0);
    assert_eq!(val("42"), 42);
    assert_eq!(val("077"), 63);
    assert_eq!(val("00"), 0);
    assert_eq!(val("0x1F"), 31);
    assert_eq!(val("0X1f"), 31);
    assert_eq!(val("0xffffffffffffffff"), -1);
    assert_eq!(val("9223372036854775807"), i64::MAX);
    assert_eq!(val("9223372036854775808"), i64::MIN);
    assert_eq!(val("-9223372036854775808"), i64::MIN);
    assert_eq!(val("2#101"), 5);
    assert_eq!(val("16#ff"), 255);
    assert_eq!(val("16#FF"), 255);
    assert_eq!(val("36#z"), 35);
    assert_eq!(val("36#Z"), 35);
    assert_eq!(val("37#z"), 35);
    assert_eq!(val("62#Z"), 61);
    assert_eq!(val("64#@"), 62);
    assert_eq!(val("64#_"), 63);
    assert_eq!(val("10#08"), 8);
    assert_eq!(val("  \t\n 7 \n"), 7);
    assert_eq!(val(""), 0);
    assert_eq!(val("   "), 0);
}

#[test]
fn invalid_constants() {
    assert_eq!(
        err("08"),
        r#"arithmetic syntax error: invalid octal number "08""#
    );
    assert_eq!(
        err("012389"),
        r#"arithmetic syntax error: invalid octal number "012389""#
    );
    assert_eq!(
        err("0x"),
        r#"arithmetic syntax error: invalid hexadecimal number "0x""#
    );
    assert_eq!(
        err("0x1g"),
        r#"arithmetic syntax error: invalid hexadecimal number "0x1g""#
    );
    assert_eq!(
        err("1e3"),
        r#"arithmetic syntax error: invalid number "1e3""#
    );
    assert_eq!(
        err("1_000"),
        r#"arithmetic syntax error: invalid number "1_000""#
    );
    assert_eq!(
        err("0b101"),
        r#"arithmetic syntax error: invalid octal number "0b101""#
    );
    assert_eq!(
        err("99999999999999999999"),
        r#"arithmetic syntax error: number too large for 64 bits "99999999999999999999""#
    );
    assert_eq!(
        err("0x10000000000000000"),
        r#"arithmetic syntax error: number too large for 64 bits "0x10000000000000000""#
    );
    assert_eq!(
        err("65#1"),
        r#"arithmetic syntax error: invalid base (2 to 64) in "65#1""#
    );
    assert_eq!(
        err("1#1"),
        r#"arithmetic syntax error: invalid base (2 to 64) in "1#1""#
    );
    assert_eq!(
        err("0#1"),
        r#"arithmetic syntax error: invalid base (2 to 64) in "0#1""#
    );
    assert_eq!(
        err("2#12"),
        r#"arithmetic syntax error: digit too large for base in "2#12""#
    );
    assert_eq!(
        err("10#"),
        r#"arithmetic syntax error: missing digits after the base in "10#""#
    );
    assert_eq!(
        err("16#@"),
        r#"arithmetic syntax error: digit too large for base in "16#@""#
    );
    assert_eq!(
        err("1.5"),
        r#"arithmetic syntax error: invalid character (only integers are supported) at ".5""#
    );
    // A constant is checked even where it is never evaluated, as in bash.
    assert_eq!(
        err("0 && 08"),
        r#"arithmetic syntax error: invalid octal number "08""#
    );
}

#[test]
fn every_operator() {
    let cases: &[(&str, i64)] = &[
        ("+5", 5),
        ("-5", -5),
        ("!5", 0),
        ("!0", 1),
        ("~5", -6),
        ("-~5", 6),
        ("!!5", 1),
        ("2**10", 1024),
        ("7*6", 42),
        ("7/2", 3),
        ("-7/2", -3),
        ("7%3", 1),
        ("7 % -3", 1),
        ("-7 % 3", -1),
        ("1+2", 3),
        ("1-2", -1),
        ("1<<4", 16),
        ("-16>>2", -4),
        ("1<2", 1),
        ("2<2", 0),
        ("2<=2", 1),
        ("3<=2", 0),
        ("3>2", 1),
        ("2>2", 0),
        ("2>=2", 1),
        ("1>=2", 0),
        ("2==2", 1),
        ("2==3", 0),
        ("2!=3", 1),
        ("2!=2", 0),
        ("6&3", 2),
        ("6^3", 5),
        ("6|3", 7),
        ("2&&3", 1),
        ("2&&0", 0),
        ("0||0", 0),
        ("0||-1", 1),
        ("1?2:3", 2),
        ("0?2:3", 3),
        ("1,2,3", 3),
        ("(1+2)*3", 9),
    ];
    for &(src, want) in cases {
        assert_eq!(val(src), want, "{src}");
    }
}

#[test]
fn precedence_and_associativity() {
    let cases: &[(&str, i64)] = &[
        ("2 + 3 * 4", 14),
        ("(2 + 3) * 4", 20),
        ("1 - 1 - 1", -1),
        ("8 / 2 / 2", 2),
        ("2 * 3 % 4", 2),
        ("2 ** 3 ** 2", 512),
        ("-2 ** 2", 4),
        ("2 ** 3 * 2", 16),
        ("2 * 3 ** 2", 18),
        ("1 << 2 + 1", 8),
        ("1 + 1 << 1", 4),
        ("1 << 2 < 5", 1),
        ("3 > 2 > 1", 0),
        ("1 < 2 == 1", 1),
        ("5 <= 5 >= 1", 1),
        ("1 == 1 & 0", 0),
        ("1 | 2 ^ 3 & 4", 3),
        ("1 ^ 3 | 4", 6),
        ("6 & 3 ^ 1", 3),
        ("1 | 0 && 0", 0),
        ("1 || 0 && 0", 1),
        ("0 && 0 || 1", 1),
        ("1 ? 2 : 3 ? 4 : 5", 2),
        ("0 ? 1 : 0 ? 2 : 3", 3),
        ("0 || 0 ? 4 : 5", 5),
        ("1 ? 2, 3 : 4", 3),
        ("1 ? 2 : 3, 4", 4),
        ("-~0", 1),
        ("- -5", 5),
        ("5 - - 5", 10),
        ("!1 + 1", 1),
    ];
    for &(src, want) in cases {
        assert_eq!(val(src), want, "{src}");
    }
}

#[test]
fn tree_shape() {
    let e = parse(b"a = b ? c : d, e").unwrap_or_else(|e| panic!("{e}"));
    let name = |s: &str| -> Box<[u8]> { s.as_bytes().into() };
    let var = |s: &str| Box::new(Node::Var(name(s)));
    assert_eq!(
        e.root(),
        &Node::Comma(
            Box::new(Node::Assign(
                None,
                name("a"),
                Box::new(Node::Cond(var("b"), var("c"), var("d")))
            )),
            var("e")
        )
    );
    assert_eq!(e.source(), b"a = b ? c : d, e");
    let e = parse(b"x+++y").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        e.root(),
        &Node::Binary(
            BinOp::Add,
            Box::new(Node::IncDec(IncDec::PostInc, name("x"))),
            var("y")
        )
    );
}

#[test]
fn wrapping() {
    assert_eq!(val("9223372036854775807 + 1"), i64::MIN);
    assert_eq!(val("0x7fffffffffffffff+1"), i64::MIN);
    assert_eq!(val("-9223372036854775807 - 2"), i64::MAX);
    assert_eq!(val("(-9223372036854775807-1) / -1"), i64::MIN);
    assert_eq!(val("(-9223372036854775807-1) % -1"), 0);
    assert_eq!(val("(-9223372036854775807-1) * -1"), i64::MIN);
    assert_eq!(val("-(-9223372036854775807-1)"), i64::MIN);
    assert_eq!(val("2**62*4"), 0);
    assert_eq!(val("2**63"), i64::MIN);
    assert_eq!(val("2**64"), 0);
    assert_eq!(val("3**40"), 3i64.wrapping_pow(40));
    assert_eq!(val("(-1)**9223372036854775807"), -1);
    assert_eq!(val("0**0"), 1);
    assert_eq!(val("1<<63"), i64::MIN);
    assert_eq!(val("1<<64"), 1);
    assert_eq!(val("1<<-1"), i64::MIN);
    assert_eq!(val("1>>65"), 0);
    assert_eq!(val("4>>-1"), 0);
    assert_eq!(val("-1>>63"), -1);
    let mut t = Table::with(&[("m", "9223372036854775807"), ("n", "-9223372036854775808")]);
    assert_eq!(in_table(&mut t, "m++, m").ok(), Some(i64::MIN));
    assert_eq!(in_table(&mut t, "--n").ok(), Some(i64::MAX));
    assert_eq!(in_table(&mut t, "m *= -1").ok(), Some(i64::MIN));
    assert_eq!(in_table(&mut t, "m /= -1").ok(), Some(i64::MIN));
}

#[test]
fn assignments_and_side_effects() {
    let mut t = Table::with(&[("x", "3"), ("y", "4")]);
    let mut run = |src: &str| in_table(&mut t, src).unwrap_or_else(|e| panic!("{src}: {e}"));
    assert_eq!(run("a = 5"), 5);
    assert_eq!(run("a = b = 3"), 3);
    assert_eq!(run("x = y = 2, x + y"), 4);
    assert_eq!(run("x = 10"), 10);
    assert_eq!(run("x += 2"), 12);
    assert_eq!(run("x -= 3"), 9);
    assert_eq!(run("x *= 4"), 36);
    assert_eq!(run("x /= 5"), 7);
    assert_eq!(run("x %= 4"), 3);
    assert_eq!(run("x <<= 3"), 24);
    assert_eq!(run("x >>= 1"), 12);
    assert_eq!(run("x &= 10"), 8);
    assert_eq!(run("x ^= 12"), 4);
    assert_eq!(run("x |= 3"), 7);
    assert_eq!(run("x++"), 7);
    assert_eq!(run("x"), 8);
    assert_eq!(run("x--"), 8);
    assert_eq!(run("++x"), 8);
    assert_eq!(run("--x"), 7);
    assert_eq!(run("++ x"), 8);
    assert_eq!(run("x ++"), 8);
    assert_eq!(run("x"), 9);
    assert_eq!(run("x = 3, x++ + x"), 7);
    assert_eq!(run("x = 3, x+++y"), 5);
    assert_eq!(run("x = 3, x---y"), 1);
    assert_eq!(run("x = 3, x-- - --x"), 2);
    assert_eq!(run("x = 3, a = x++ + ++x, a"), 8);
    assert_eq!(run("x = 1, x += (x = 5)"), 6);
    assert_eq!(run("x = 1 ? 2 : 3"), 2);
    assert_eq!(run("x+=y+=1, x"), 5);
    // `++`/`--` not next to a name are two signs.
    assert_eq!(run("++5"), 5);
    assert_eq!(run("--5"), 5);
    assert_eq!(run("++(x)"), 5);
    assert_eq!(run("5 ++ 5"), 10);
    assert_eq!(run("5 --5"), 10);
    assert_eq!(run("x"), 5);
    assert_eq!(t.value("a"), Some("8"));
    assert_eq!(t.value("b"), Some("3"));
    assert_eq!(t.value("y"), Some("3"));
}

#[test]
fn short_circuit_has_no_side_effects() {
    let mut t = Table::with(&[("bad", "1+")]);
    let mut run = |src: &str| in_table(&mut t, src).unwrap_or_else(|e| panic!("{src}: {e}"));
    assert_eq!(run("0 && (a = 1)"), 0);
    assert_eq!(run("1 || (b = 1)"), 1);
    assert_eq!(run("1 ? 2 : (c = 1)"), 2);
    assert_eq!(run("0 ? (d = 1) : 2"), 2);
    assert_eq!(run("0 && 1/0"), 0);
    assert_eq!(run("1 || 1 % 0"), 1);
    assert_eq!(run("0 ? 1/0 : 2"), 2);
    assert_eq!(run("1 ? 2 : 2**-1"), 2);
    assert_eq!(run("0 && e++"), 0);
    assert_eq!(run("0 && bad"), 0);
    assert_eq!(run("1 && (f = 4)"), 1);
    assert_eq!(run("0 || (g = 0)"), 0);
    for name in ["a", "b", "c", "d", "e"] {
        assert_eq!(t.value(name), None, "{name} was assigned");
    }
    assert_eq!(t.value("f"), Some("4"));
    assert_eq!(t.value("g"), Some("0"));
    let mut t = Table::default();
    assert_eq!(in_table(&mut t, "0 && (x + y + z)").ok(), Some(0));
    assert_eq!(t.gets, 0, "the skipped side read variables");
}

#[test]
fn variables() {
    let mut t = Table::with(&[
        ("x", "3"),
        ("y", "4"),
        ("z", "y+1"),
        ("r", "z*2"),
        ("v", " 7 "),
        ("neg", " -3"),
        ("trail", "3 "),
        ("empty", ""),
        ("blank", "   "),
        ("hex", "0x10"),
        ("oct", "010"),
        ("asg", "(w=5),w"),
        ("self", "(self=5),self"),
        ("inc", "y++"),
    ]);
    let mut run = |src: &str| in_table(&mut t, src).unwrap_or_else(|e| panic!("{src}: {e}"));
    assert_eq!(run("unset"), 0);
    assert_eq!(run("empty + blank"), 0);
    assert_eq!(run("z"), 5);
    assert_eq!(run("r"), 10);
    assert_eq!(run("v"), 7);
    assert_eq!(run("neg"), -3);
    assert_eq!(run("trail + 1"), 4);
    assert_eq!(run("hex + oct"), 24);
    assert_eq!(run("asg"), 5);
    assert_eq!(run("self"), 5);
    assert_eq!(run("inc"), 4);
    assert_eq!(run("y"), 5);
    assert_eq!(run("z++"), 6);
    assert_eq!(run("z"), 7);
    assert_eq!(t.value("w"), Some("5"));
    assert_eq!(t.value("z"), Some("7"));
}

#[test]
fn variable_errors_name_the_variable() {
    let mut t = Table::with(&[
        ("q", "1+"),
        ("p", "q"),
        ("d", "1/0"),
        ("o", "08"),
        ("x", "x"),
        ("a", "b"),
        ("b", "a"),
        ("c", "c+1"),
    ]);
    let mut run = |src: &str| match in_table(&mut t, src) {
        Ok(v) => panic!("{src}: expected an error, got {v}"),
        Err(e) => e,
    };
    assert_eq!(
        run("q").to_string(),
        r#"q: arithmetic syntax error: expected an operand at end of "1+""#
    );
    assert_eq!(
        run("p + 1").to_string(),
        r#"q: arithmetic syntax error: expected an operand at end of "1+""#
    );
    assert_eq!(run("d").to_string(), r#"d: division by zero in "1/0""#);
    assert_eq!(
        run("o").to_string(),
        r#"o: arithmetic syntax error: invalid octal number "08""#
    );
    let e = run("x");
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    assert_eq!(
        e.message(),
        "x: expression recursion level exceeded (does the variable refer to itself?)"
    );
    assert_eq!(run("a").kind(), ErrorKind::TooDeep);
    assert_eq!(run("c").kind(), ErrorKind::TooDeep);
}

#[test]
fn shell_errors_pass_through() {
    let mut t = Table::with(&[("r", "1"), ("indirect", "nope")]);
    t.readonly.insert(b"r".to_vec());
    let e = in_table(&mut t, "r = 2").err();
    assert_eq!(e.as_ref().map(ArithError::kind), Some(ErrorKind::Shell));
    assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("r: is read only"));
    assert!(in_table(&mut t, "r++").is_err());
    assert_eq!(t.value("r"), Some("1"));
    t.nounset = true;
    let e = in_table(&mut t, "nope + 1").err().map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("nope: parameter not set"));
    // Not wrapped with the name of the variable that referred to it.
    let e = in_table(&mut t, "indirect").err().map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("nope: parameter not set"));
}

#[test]
fn evaluation_errors() {
    assert_eq!(err("1/0"), r#"division by zero in "1/0""#);
    assert_eq!(err("1 % 0"), r#"division by zero in "1 % 0""#);
    assert_eq!(err("2**-1"), r#"negative exponent in "2**-1""#);
    assert_eq!(
        ev("1/0").err().map(|e| e.kind()),
        Some(ErrorKind::DivisionByZero)
    );
    assert_eq!(
        ev("2**-1").err().map(|e| e.kind()),
        Some(ErrorKind::NegativeExponent)
    );
    let mut t = Table::with(&[("y", "7")]);
    assert!(in_table(&mut t, "y /= 0").is_err());
    assert!(in_table(&mut t, "y %= 0").is_err());
    assert_eq!(t.value("y"), Some("7"), "a failed assignment changed y");
}

#[test]
fn syntax_errors() {
    let cases: &[(&str, &str)] = &[
        ("1+", r#"expected an operand at end of "1+""#),
        ("1 +  ", r#"expected an operand at end of "1 +  ""#),
        ("1 + * 2", r#"expected an operand at "* 2""#),
        ("$", r#"invalid character at "$""#),
        ("#1", r##"invalid character at "#1""##),
        ("x[1", r#"expected "]" at end of "x[1""#),
        ("1[2]", r#"expected an operator at "[2]""#),
        ("1 2", r#"expected an operator at "2""#),
        ("a b", r#"expected an operator at "b""#),
        ("1 (2)", r#"expected an operator at "(2)""#),
        ("1)", r#"unmatched ")" at ")""#),
        ("(1", r#"expected ")" at end of "(1""#),
        ("(1 2)", r#"expected ")" at "2)""#),
        ("()", r#"expected an operand at ")""#),
        ("1?2", r#"expected ":" for "?" at end of "1?2""#),
        ("1?2:", r#"expected an operand at end of "1?2:""#),
        ("x ? : 1", r#"expected an operand at ": 1""#),
        (",", r#"expected an operand at ",""#),
        ("1,", r#"expected an operand at end of "1,""#),
        ("!", r#"expected an operand at end of "!""#),
        ("~", r#"expected an operand at end of "~""#),
        ("+", r#"expected an operand at end of "+""#),
        ("5++", r#"expected an operand at end of "5++""#),
        ("1 ++", r#"expected an operand at end of "1 ++""#),
        ("(x)++", r#"expected an operand at end of "(x)++""#),
        ("x--5", r#"expected an operator at "5""#),
        ("x++y", r#"expected an operator at "y""#),
        ("x**=2", r#"expected an operand at "=2""#),
        ("x=", r#"expected an operand at end of "x=""#),
        ("1=2", r#"assignment to a non-variable at "=2""#),
        ("5 = 3", r#"assignment to a non-variable at "= 3""#),
        ("(x)=5", r#"assignment to a non-variable at "=5""#),
        ("(x)+=1", r#"assignment to a non-variable at "+=1""#),
        ("x++ = 1", r#"assignment to a non-variable at "= 1""#),
        ("1 + x = 5", r#"assignment to a non-variable at "= 5""#),
        ("0 && x = 5", r#"assignment to a non-variable at "= 5""#),
        ("0 ? x=2 : y=3", r#"assignment to a non-variable at "=3""#),
        ("3 ? 4 : 5 = 6", r#"assignment to a non-variable at "= 6""#),
        ("\"1\"", r#"invalid character at "\"1\"""#),
        ("1 +\x01", r#"invalid character at "\x01""#),
        (
            "1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 +",
            r#"expected an operand at end of "... 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 +""#,
        ),
        (
            "1 ) + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1",
            r#"unmatched ")" at ") + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + ...""#,
        ),
    ];
    for &(src, want) in cases {
        let got = err(src);
        assert_eq!(got, format!("arithmetic syntax error: {want}"), "{src:?}");
        assert_eq!(
            ev(src).err().map(|e| e.kind()),
            Some(ErrorKind::Syntax),
            "{src:?}"
        );
    }
}

/// Runs `f` on a thread with the 2 MiB stack test threads get by default, whatever
/// RUST_MIN_STACK says.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let joined = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .map(std::thread::JoinHandle::join);
    assert!(matches!(joined, Ok(Ok(()))), "the thread failed");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    on_small_stack(|| {
        let n = 100_000;
        let deep = |open: &str, mid: &str, close: &str| {
            let mut s = open.repeat(n);
            s.push_str(mid);
            s.push_str(&close.repeat(n));
            s
        };
        for src in [
            deep("(", "1", ")"),
            deep("(", "", ""),
            deep("-", "1", ""),
            deep("!", "1", ""),
            deep("- ", "1", ""),
            deep("++", "1", ""),
            deep("1+", "1", ""),
            deep("1*(", "1", ")"),
            deep("x=", "1", ""),
            deep("2**", "1", ""),
            deep("1?", "1", ":1"),
            deep("1?1:", "1", ""),
            deep("1,", "1", ""),
            deep("", "1", "+1"),
            deep("", "1", "||1"),
        ] {
            let e = ev(&src).err();
            assert_eq!(
                e.map(|e| e.kind()),
                Some(ErrorKind::TooDeep),
                "{}",
                &src[..10]
            );
        }
        // Just inside the limits still works.
        assert_eq!(val(&format!("{}1{}", "(".repeat(120), ")".repeat(120))), 1);
        assert_eq!(val(&format!("{}1", "-".repeat(250))), 1);
        assert_eq!(val(&format!("{}1", "x=".repeat(250))), 1);
        // Long flat chains are loops, limited only by the tree height.
        assert_eq!(val(&format!("1{}", "+1".repeat(990))), 991);
        assert_eq!(val(&format!("1{}", "||1".repeat(990))), 1);
        let chain = format!("1{}", "*1".repeat(998));
        let tree = parse(chain.as_bytes());
        let copy = tree.clone();
        assert!(tree.is_ok());
        assert!(copy == tree);
        drop(tree);
        drop(copy);
        let e = ev(&format!("1{}", "*1".repeat(1000))).err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::TooDeep));
    });
}

#[test]
fn deep_variable_chains_are_an_error_not_a_crash() {
    on_small_stack(|| {
        // A long chain of variables, each a deep expression naming the next.
        let mut t = Table::default();
        let body = format!("{}v{{}}{}", "(".repeat(120), ")".repeat(120));
        for i in 0..300 {
            let value = body.replace("v{}", &format!("v{}", i + 1));
            t.vars
                .insert(format!("v{i}").into_bytes(), value.into_bytes());
        }
        let e = in_table(&mut t, "v0").err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::TooDeep));
        // A long chain of plain names.
        let mut t = Table::default();
        for i in 0..100_000 {
            let value = format!("w{}", i + 1).into_bytes();
            t.vars.insert(format!("w{i}").into_bytes(), value);
        }
        let e = in_table(&mut t, "w0").err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::TooDeep));
        // A short one is fine.
        let mut t = Table::with(&[("a", "b+1"), ("b", "c*2"), ("c", "(d)"), ("d", "3")]);
        assert_eq!(in_table(&mut t, "a").ok(), Some(7));
    });
}

#[test]
fn long_flat_input_is_fast() {
    // Linear time: a long comma list of short terms (height grows, so keep it under
    // the limit) and a long run of spaces.
    let src = format!("{}1", " ".repeat(1_000_000));
    assert_eq!(val(&src), 1);
    let src = format!("{}1", "x=1, ".repeat(990));
    assert_eq!(val(&src), 1);
}

/// Expected values checked by hand against dash 0.5.12 and bash 5.2 (`x=3 y=4`), for
/// expressions both accept; the bash-only extensions are compared with bash.
#[test]
fn agrees_with_dash_and_bash() {
    let both: &[(&str, i64)] = &[
        ("-9223372036854775807-1", i64::MIN),
        ("1<<64", 1),
        ("1<<-1", i64::MIN),
        ("1>>65", 0),
        ("-1>>63", -1),
        ("x++ +1", 4),
        ("x+=1", 4),
        ("0 && 1/0", 0),
        ("1 || 1/0", 1),
        ("0 ? 1/0 : 2", 2),
        ("7 % -3", 1),
        ("-7 % 3", -1),
        ("-7/2", -3),
        ("1 ? 2 : 3 ? 4 : 5", 2),
        ("a=b=3", 3),
        ("4 >> -1", 0),
        ("1 << 63", i64::MIN),
        ("0x7fffffffffffffff+1", i64::MIN),
        ("077", 63),
        ("0X1f", 31),
        ("5 - - 5", 10),
        ("5 --5", 10),
        ("5 ++ 5", 10),
        ("!!5", 1),
        ("~5", -6),
        ("-~5", 6),
        ("++(x)", 3),
        ("x = 1 ? 2 : 3", 2),
        ("1 ? x=2 : (y=3)", 2),
        ("x+++y", 7),
        ("x---y", -1),
        ("3 > 2 > 1", 0),
        ("1 - 1 - 1", -1),
        ("8/2/2", 2),
        ("2 + 3 * 4", 14),
        ("1 | 2 ^ 3 & 4", 3),
        ("1 == 1 && 2 != 3", 1),
        ("5 <= 5 >= 1", 1),
        ("1 << 2 + 1", 8),
        ("0x1F + 0X0a", 41),
        ("010 + 0", 8),
        ("-1 && 0", 0),
        ("2 && 3", 1),
        ("0 || 0", 0),
        ("(((1)))", 1),
    ];
    let bash: &[(&str, i64)] = &[
        ("++x", 4),
        ("--x", 2),
        ("x++", 3),
        ("x=5,x++,x", 6),
        ("x = y = 2, x + y", 4),
        ("2**3**2", 512),
        ("-2**2", 4),
        ("-x**2", 9),
        ("2**0x40", 0),
        ("16#ff", 255),
        ("64#@", 62),
        ("1 ? 2,3 : 4", 3),
        ("1 ? 2 : 3, 4", 4),
        ("x<<=1", 6),
        ("a=x++ + ++x, a", 8),
        ("0 && (x = 5), x", 3),
        ("9223372036854775808", i64::MIN),
        ("0xffffffffffffffff", -1),
        ("-9223372036854775808", i64::MIN),
        ("", 0),
    ];
    for &(src, want) in both.iter().chain(bash) {
        let mut t = Table::with(&[("x", "3"), ("y", "4")]);
        let got = in_table(&mut t, src).map_err(|e| e.to_string());
        assert_eq!(got, Ok(want), "{src}");
    }
}

#[test]
fn error_messages_quote_safely() {
    let src = b"1 + \xff\xfe";
    let e = eval_str(src, &mut Table::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some(r#"arithmetic syntax error: invalid character at "\xff\xfe""#)
    );
}
