//! Parser tests: each construct's tree (as the printer shows it, or its word parts) and
//! the exact errors, plus the print/re-parse round trip on every input.

use super::*;

/// Debug text of a program with line numbers zeroed (trees equal up to positions).
pub(crate) fn normalized(p: &Program) -> String {
    let s = format!("{p:?}");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("line: ") {
        out.push_str(&rest[..i + 6]);
        rest = rest[i + 6..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('0');
    }
    out.push_str(rest);
    out
}

/// Parse, print, re-parse and check the trees match; return the printed text.
#[track_caller]
fn rt(src: &str) -> String {
    let p = match parse_program(src.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("parse failed for {src:?}: {e}"),
    };
    let printed = print_program(&p);
    let text = String::from_utf8_lossy(&printed).into_owned();
    let q = match parse_program(&printed) {
        Ok(q) => q,
        Err(e) => panic!("re-parse failed for {text:?} (from {src:?}): {e}"),
    };
    assert_eq!(
        normalized(&p),
        normalized(&q),
        "round trip of {src:?} via {text:?}"
    );
    text
}

#[track_caller]
fn err(src: &str) -> (ErrorKind, String) {
    match parse_program(src.as_bytes()) {
        Ok(p) => panic!(
            "expected error for {src:?}, got {:?}",
            String::from_utf8_lossy(&print_program(&p))
        ),
        Err(e) => (e.kind, e.to_string()),
    }
}

#[track_caller]
fn syntax(src: &str, msg: &str) {
    assert_eq!(
        err(src),
        (ErrorKind::Syntax, msg.to_string()),
        "for {src:?}"
    );
}

#[track_caller]
fn incomplete(src: &str) {
    assert_eq!(
        err(src).0,
        ErrorKind::Incomplete,
        "for {src:?}: {}",
        err(src).1
    );
}

/// The single word of `echo WORD` (the second word of the first simple command).
#[track_caller]
fn word(src: &str) -> Vec<WordPart> {
    let p = parse_program(format!("echo {src}").as_bytes()).unwrap_or_default();
    rt(&format!("echo {src}"));
    match p
        .commands
        .first()
        .map(|l| &l.items[0].and_or.first.commands[0])
    {
        Some(Command::Simple(s)) => s.words.get(1).map(|w| w.parts.clone()).unwrap_or_default(),
        _ => panic!("not a simple command: {src}"),
    }
}

fn lit(s: &str) -> WordPart {
    WordPart::Literal(s.as_bytes().to_vec())
}

fn param(name: &str, op: ParamOp, braced: bool) -> WordPart {
    WordPart::Param(ParamExp {
        param: Param::Named(name.as_bytes().to_vec()),
        op,
        braced,
        indirect: false,
    })
}

fn simple(src: &str) -> SimpleCommand {
    let p = parse_program(src.as_bytes()).unwrap_or_default();
    rt(src);
    match p
        .commands
        .first()
        .map(|l| l.items[0].and_or.first.commands[0].clone())
    {
        Some(Command::Simple(s)) => s,
        _ => panic!("not a simple command: {src}"),
    }
}

#[test]
fn quoting() {
    assert_eq!(
        word("a'b c'd"),
        [lit("a"), WordPart::SingleQuoted(b"b c".to_vec()), lit("d")]
    );
    assert_eq!(word(r"\*x"), [WordPart::Escaped(b'*'), lit("x")]);
    assert_eq!(
        word(r#""a\$b\c$x""#),
        [WordPart::DoubleQuoted(vec![
            lit("a"),
            WordPart::Escaped(b'$'),
            lit("b\\c"),
            param("x", ParamOp::Plain, false)
        ])]
    );
    assert_eq!(
        word(r"$'a\tb\x41\101\'\n\u00e9'"),
        [WordPart::AnsiC(b"a\tbAA'\n\xc3\xa9".to_vec())]
    );
    assert_eq!(word("a\\\nb"), [lit("ab")]);
    assert_eq!(word("a\\"), [lit("a"), WordPart::Escaped(b'\\')]);
    assert_eq!(word("*.c"), [lit("*.c")]);
    assert_eq!(
        word("'*'.c"),
        [WordPart::SingleQuoted(b"*".to_vec()), lit(".c")]
    );
}

#[test]
fn parameters() {
    use ParamOp::*;
    let w = |s: &str| Word::literal(s.as_bytes());
    assert_eq!(
        word("$x${y}z"),
        [param("x", Plain, false), param("y", Plain, true), lit("z")]
    );
    assert_eq!(word("${#x}"), [param("x", Length, true)]);
    assert_eq!(
        word("${x:-a}"),
        [param(
            "x",
            Default {
                colon: true,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x-a}"),
        [param(
            "x",
            Default {
                colon: false,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x:=a}"),
        [param(
            "x",
            Assign {
                colon: true,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x=a}"),
        [param(
            "x",
            Assign {
                colon: false,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x:?a}"),
        [param(
            "x",
            Error {
                colon: true,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x?}"),
        [param(
            "x",
            Error {
                colon: false,
                word: Word::default()
            },
            true
        )]
    );
    assert_eq!(
        word("${x:+a}"),
        [param(
            "x",
            Alternative {
                colon: true,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x+a}"),
        [param(
            "x",
            Alternative {
                colon: false,
                word: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x#a*}"),
        [param(
            "x",
            RemovePrefix {
                longest: false,
                pattern: w("a*")
            },
            true
        )]
    );
    assert_eq!(
        word("${x##a}"),
        [param(
            "x",
            RemovePrefix {
                longest: true,
                pattern: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x%a}"),
        [param(
            "x",
            RemoveSuffix {
                longest: false,
                pattern: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x%%a}"),
        [param(
            "x",
            RemoveSuffix {
                longest: true,
                pattern: w("a")
            },
            true
        )]
    );
    assert_eq!(
        word("${x:1:2}"),
        [param(
            "x",
            Substring {
                offset: w("1"),
                length: Some(w("2"))
            },
            true
        )]
    );
    assert_eq!(
        word("${x: -1}"),
        [param(
            "x",
            Substring {
                offset: w(" -1"),
                length: None
            },
            true
        )]
    );
    let rep = |mode, p: &str, r: Option<&str>| {
        param(
            "x",
            Replace {
                mode,
                pattern: w(p),
                replacement: r.map(w),
            },
            true,
        )
    };
    assert_eq!(word("${x/a/b}"), [rep(ReplaceMode::First, "a", Some("b"))]);
    assert_eq!(word("${x//a/b}"), [rep(ReplaceMode::All, "a", Some("b"))]);
    assert_eq!(
        word("${x/#a/b}"),
        [rep(ReplaceMode::Prefix, "a", Some("b"))]
    );
    assert_eq!(word("${x/%a}"), [rep(ReplaceMode::Suffix, "a", None)]);
    // Special and positional parameters.
    let sp = |c: u8| {
        WordPart::Param(ParamExp {
            param: Param::Special(c),
            op: Plain,
            braced: false,
            indirect: false,
        })
    };
    assert_eq!(
        word("$@$*$#$?$-$$$!$0"),
        [b'@', b'*', b'#', b'?', b'-', b'$', b'!', b'0'].map(sp)
    );
    let pos = |n, braced| {
        WordPart::Param(ParamExp {
            param: Param::Positional(n),
            op: Plain,
            braced,
            indirect: false,
        })
    };
    assert_eq!(
        word("$1${10}$10"),
        [pos(1, false), pos(10, true), pos(1, false), lit("0")]
    );
    assert_eq!(
        word("${#}"),
        [WordPart::Param(ParamExp {
            param: Param::Special(b'#'),
            op: Plain,
            braced: true,
            indirect: false,
        })]
    );
    // ${x#"$y"}: a quoted pattern.
    assert_eq!(
        word(r#"${x#"$y"}"#),
        [param(
            "x",
            RemovePrefix {
                longest: false,
                pattern: Word {
                    parts: vec![WordPart::DoubleQuoted(vec![param("y", Plain, false)])]
                }
            },
            true
        )]
    );
    // Inside double quotes single quotes are literal in the operand.
    assert_eq!(
        word(r#""${x:-'a'}""#),
        [WordPart::DoubleQuoted(vec![param(
            "x",
            Default {
                colon: true,
                word: w("'a'")
            },
            true
        )])]
    );
    assert_eq!(
        word("${x:-{a}}"),
        [param(
            "x",
            Default {
                colon: true,
                word: w("{a}")
            },
            true
        )]
    );
    assert_eq!(
        word("${x:-~}"),
        [param(
            "x",
            Default {
                colon: true,
                word: Word {
                    parts: vec![WordPart::Tilde(vec![])]
                }
            },
            true
        )]
    );
    assert_eq!(word("$"), [lit("$")]);
    assert_eq!(word("a$"), [lit("a$")]);
}

#[test]
fn substitutions() {
    let w = word("$(echo a)`echo b`");
    assert!(matches!(
        &w[0],
        WordPart::CommandSub {
            backquoted: false,
            ..
        }
    ));
    assert!(matches!(
        &w[1],
        WordPart::CommandSub {
            backquoted: true,
            ..
        }
    ));
    assert_eq!(rt("echo $(echo a)`echo b`"), "echo $(echo a)`echo b`\n");
    assert_eq!(rt("echo \"`echo \\\"a\\\"`\""), "echo \"`echo \"a\"`\"\n");
    assert_eq!(rt("echo `echo \\`echo x\\``"), "echo `echo \\`echo x\\``\n");
    assert_eq!(
        rt("echo $(case x in a) echo a;; (b|c) echo b;; esac)"),
        "echo $(case x in\n    a)\n        echo a\n        ;;\n    b | c)\n        echo b\n        ;;\nesac)\n"
    );
    assert_eq!(rt("x=$(echo \")\")"), "x=$(echo \")\")\n");
    assert_eq!(rt("echo $( (a) )"), "echo $( ( a ) )\n");
    assert_eq!(rt("echo $()"), "echo $()\n");
}

#[test]
fn arithmetic() {
    assert_eq!(
        word("$((1 + $x))"),
        [WordPart::Arith(Word {
            parts: vec![lit("1 + "), param("x", ParamOp::Plain, false)]
        })]
    );
    assert_eq!(
        word("$(( (1) * 2 ))"),
        [WordPart::Arith(Word::literal(b" (1) * 2 "))]
    );
    // `$((` that is a command substitution of a subshell.
    let w = word("$((echo a); echo b)");
    let WordPart::CommandSub {
        program,
        backquoted: false,
    } = &w[0]
    else {
        panic!("{w:?}")
    };
    assert_eq!(program.commands[0].items.len(), 2);
    assert_eq!(
        rt("echo $((echo a); echo b)"),
        "echo $( ( echo a ); echo b )\n"
    );
    incomplete("echo $((1 + 2");
}

#[test]
fn tilde() {
    assert_eq!(word("~/a"), [WordPart::Tilde(vec![]), lit("/a")]);
    assert_eq!(word("~bob"), [WordPart::Tilde(b"bob".to_vec())]);
    assert_eq!(
        word("~\"x\""),
        [lit("~"), WordPart::DoubleQuoted(vec![lit("x")])]
    );
    assert_eq!(word("a~"), [lit("a~")]);
    let s = simple("P=~/a:~b:x~ echo");
    assert_eq!(
        s.assigns[0].value.parts,
        [
            WordPart::Tilde(vec![]),
            lit("/a:"),
            WordPart::Tilde(b"b".to_vec()),
            lit(":x~")
        ]
    );
}

#[test]
fn simple_commands() {
    let s = simple("a=1 b= >f cmd x=y 2>&1 arg <in");
    assert_eq!(s.assigns.len(), 2);
    assert_eq!(s.assigns[0].name, b"a");
    assert_eq!(s.assigns[1].value, Word::default());
    assert_eq!(s.words.len(), 3, "x=y after the name is an argument");
    assert_eq!(s.redirects.len(), 3);
    assert_eq!(s.redirects[1].fd, Some(2));
    assert_eq!(s.redirects[1].kind, RedirKind::DupOutput);
    assert_eq!(
        rt("a=1 b= >f cmd x=y 2>&1 arg <in"),
        "a=1 b= cmd x=y arg >f 2>&1 <in\n"
    );
    assert_eq!(rt("echo if then fi done {"), "echo if then fi done {\n");
    assert_eq!(
        rt("3<>f 4>|g 5<&- >>h <<<\"s $x\" cat"),
        "cat 3<>f 4>|g 5<&- >>h <<<\"s $x\"\n"
    );
    assert_eq!(rt("x=1"), "x=1\n");
    assert_eq!(rt("a=1 if"), "a=1 if\n");
    let s = simple("cmd &>f &>>g");
    assert_eq!(s.redirects[0].kind, RedirKind::OutputBoth);
    assert_eq!(s.redirects[1].kind, RedirKind::AppendBoth);
    assert_eq!(s.redirects[0].fd, None);
    assert_eq!(rt("cmd &>f x &>> \"$g\""), "cmd x &>f &>>\"$g\"\n");
    assert_eq!(rt("{ a; } &>f"), "{\n    a\n} &>f\n");
    assert_eq!(rt("a & >f"), "a & >f\n");
    assert_eq!(rt("a&&b"), "a && b\n");
    assert_eq!(rt("'a'=1"), "'a'=1\n");
    assert!(simple("'a'=1").assigns.is_empty());
}

#[test]
fn array_assignments() {
    use ParamOp::*;
    let s = simple("a=(x 'y z'\n $v) b[1+i]=q c+=r d[\"$k\"]+=(e) cmd");
    assert_eq!(s.assigns.len(), 4);
    assert_eq!(
        s.assigns[0].value.parts,
        [WordPart::Array(vec![
            Word::literal(b"x"),
            Word {
                parts: vec![WordPart::SingleQuoted(b"y z".to_vec())]
            },
            Word {
                parts: vec![param("v", Plain, false)]
            },
        ])]
    );
    assert_eq!(s.assigns[1].name, b"b");
    assert_eq!(s.assigns[1].index, Some(Word::literal(b"1+i")));
    assert_eq!(s.assigns[1].value, Word::literal(b"q"));
    assert!(s.assigns[2].append && s.assigns[2].index.is_none());
    assert_eq!(
        s.assigns[3].index,
        Some(Word {
            parts: vec![WordPart::DoubleQuoted(vec![param("k", Plain, false)])]
        })
    );
    assert!(s.assigns[3].append);
    assert_eq!(rt("a=(1 2) b=()"), "a=(1 2) b=()\n");
    assert_eq!(
        rt("declare -a a=(1 [k]=2) x=1"),
        "declare -a a=(1 [k]=2) x=1\n"
    );
    // Only declaration utilities take an array argument; `a[` without `]=` is a word.
    let s = simple("echo a[1]=x b[2");
    assert!(s.assigns.is_empty());
    assert_eq!(s.words.len(), 3);
    syntax("echo a=(1)", "line 1: syntax error: unexpected '('");
    // Declaration utilities' assignments get tilde prefixes after `=` and `:`.
    let s = simple("local x=~/a:~b y=~ echo=~");
    assert_eq!(
        s.words[1].parts,
        [
            lit("x="),
            WordPart::Tilde(vec![]),
            lit("/a:"),
            WordPart::Tilde(b"b".to_vec())
        ]
    );
    assert_eq!(s.words[2].parts, [lit("y="), WordPart::Tilde(vec![])]);
    assert_eq!(simple("echo x=~").words[1].parts, [lit("x=~")]);
    // Pattern operands take a leading tilde prefix, inside double quotes too.
    assert_eq!(
        word("${x#~}"),
        [param(
            "x",
            ParamOp::RemovePrefix {
                longest: false,
                pattern: Word {
                    parts: vec![WordPart::Tilde(vec![])]
                }
            },
            true
        )]
    );
    assert!(matches!(
        word("\"${x/~/~r}\"").as_slice(),
        [WordPart::DoubleQuoted(p)] if matches!(&p[0], WordPart::Param(ParamExp {
            op: ParamOp::Replace { pattern, replacement: Some(r), .. }, ..
        }) if pattern.parts == [WordPart::Tilde(vec![])]
            && r.parts == [WordPart::Tilde(b"r".to_vec())])
    ));
}

#[test]
fn array_expansions() {
    use super::ast::Subscript;
    use ParamOp::*;
    let w = |s: &str| Word::literal(s.as_bytes());
    let idx = |sub: Subscript, op: ParamOp, indirect: bool| {
        WordPart::Param(ParamExp {
            param: Param::Index(b"a".to_vec(), sub),
            op,
            braced: true,
            indirect,
        })
    };
    assert_eq!(word("${a[@]}"), [idx(Subscript::At, Plain, false)]);
    assert_eq!(word("${#a[*]}"), [idx(Subscript::Star, Length, false)]);
    assert_eq!(word("${!a[@]}"), [idx(Subscript::At, Plain, true)]);
    assert_eq!(
        word("${a[i+1]:-d}"),
        [idx(
            Subscript::Expr(Word::literal(b"i+1")),
            Default {
                colon: true,
                word: w("d")
            },
            false
        )]
    );
    assert_eq!(
        word("\"${a['k]']}\""),
        [WordPart::DoubleQuoted(vec![idx(
            Subscript::Expr(Word {
                parts: vec![WordPart::SingleQuoted(b"k]".to_vec())]
            }),
            Plain,
            false
        )])]
    );
    assert_eq!(
        word("${!p*}"),
        [WordPart::Param(ParamExp {
            param: Param::Named(b"p".to_vec()),
            op: Names { star: true },
            braced: true,
            indirect: true,
        })]
    );
    let mut ind = param("r", Plain, true);
    if let WordPart::Param(pe) = &mut ind {
        pe.indirect = true;
    }
    assert_eq!(word("${!r}"), [ind]);
    assert_eq!(
        word("${!}$a[1]").len(),
        3,
        "${{!}} is $!; $a[1] is $a and a literal"
    );
    incomplete("echo ${a[1}");
    assert_eq!(word("${x@Q}"), [param("x", Transform { op: b'Q' }, true)]);
    assert_eq!(word("${a[@]@U}").len(), 1);
    syntax("echo ${x@Z}", "line 1: syntax error: bad substitution");
}

#[test]
fn pipe_with_stderr() {
    assert_eq!(rt("a |& b | c"), "a 2>&1 | b | c\n");
    assert_eq!(rt("{ a; } |& b"), "{\n    a\n} 2>&1 | b\n");
    assert_eq!(rt("a >f |& b"), "a >f 2>&1 | b\n");
}

#[test]
fn lists_and_pipelines() {
    assert_eq!(rt("a && b || ! c | d; e & f"), "a && b || ! c | d; e & f\n");
    assert_eq!(rt("a &&\n\nb |\n c"), "a && b | c\n");
    assert_eq!(rt("a\nb;c\n"), "a\nb; c\n");
    let p = parse_program(b"a | b && c").unwrap_or_default();
    let ao = &p.commands[0].items[0].and_or;
    assert_eq!(ao.first.commands.len(), 2);
    assert_eq!(ao.rest[0].0, AndOrOp::And);
    assert_eq!(rt("a &"), "a &\n");
    assert_eq!(rt("# c\n  # d\na # e"), "a\n");
}

#[test]
fn compound_commands() {
    assert_eq!(rt("{ a; b; }"), "{\n    a\n    b\n}\n");
    assert_eq!(rt("(a; b) >f"), "( a; b ) >f\n");
    assert_eq!(
        rt("if a; then b; elif c; then d; else e; fi"),
        "if a; then\n    b\nelif c; then\n    d\nelse\n    e\nfi\n"
    );
    assert_eq!(rt("while a & do b; done"), "while a & do\n    b\ndone\n");
    assert_eq!(
        rt("until a; do b; done 2>/dev/null"),
        "until a; do\n    b\ndone 2>/dev/null\n"
    );
    assert_eq!(
        rt("for i in 1 2; do echo $i; done"),
        "for i in 1 2; do\n    echo $i\ndone\n"
    );
    assert_eq!(rt("for i\ndo echo; done"), "for i; do\n    echo\ndone\n");
    assert_eq!(rt("for i; do echo; done"), "for i; do\n    echo\ndone\n");
    assert_eq!(
        rt("for i in; do echo; done"),
        "for i in; do\n    echo\ndone\n"
    );
    assert_eq!(
        rt("for i in do done; do :; done"),
        "for i in do done; do\n    :\ndone\n"
    );
    assert_eq!(
        rt("case $x in (a|b) echo;; c) ;& *) x;;& esac"),
        "case $x in\n    a | b)\n        echo\n        ;;\n    c)\n        ;&\n    *)\n        x\n        ;;&\nesac\n"
    );
    assert_eq!(rt("case x in\nesac"), "case x in\nesac\n");
    assert_eq!(
        rt("case x in (esac) a\nesac"),
        "case x in\n    (esac)\n        a\n        ;;\nesac\n"
    );
    assert_eq!(
        rt("case x\nin a) b\nesac"),
        "case x in\n    a)\n        b\n        ;;\nesac\n"
    );
    assert_eq!(rt("f() { echo; }"), "f() {\n    echo\n}\n");
    assert_eq!(rt("f()\n(a) >x"), "f() ( a ) >x\n");
    assert_eq!(rt("function f { a; }"), "f() {\n    a\n}\n");
    assert_eq!(rt("function f() ( a )"), "f() ( a )\n");
    assert_eq!(rt("{ a; } | { b; }"), "{\n    a\n} | {\n    b\n}\n");
}

#[test]
fn dollar_double_quote() {
    assert_eq!(rt("echo $\"a $x\""), "echo \"a $x\"\n");
    assert_eq!(rt("echo \"$\"\"x\""), "echo \"$\"\"x\"\n");
}

#[test]
fn arithmetic_commands() {
    let p = parse_program(b"((x = 1 + (2*3)))").unwrap_or_default();
    let Some(Command::Compound(c)) = p.commands[0].items[0].and_or.first.commands.first() else {
        panic!("not a compound command");
    };
    assert_eq!(
        c.kind,
        CompoundKind::Arith(Word {
            parts: vec![lit("x = 1 + (2*3)")]
        })
    );
    assert_eq!(rt("((x = 1 + (2*3)))"), "((x = 1 + (2*3)))\n");
    assert_eq!(rt("(( $a > 1 )) && echo"), "(( $a > 1 )) && echo\n");
    assert_eq!(rt("((x)) >f"), "((x)) >f\n");
    assert_eq!(rt("if ((1)); then :; fi"), "if ((1)); then\n    :\nfi\n");
    // Not closed by `))`: nested subshells.
    assert_eq!(rt("((a) )"), "( ( a ) )\n");
    assert_eq!(rt("((a); b)"), "( ( a ); b )\n");
    assert_eq!(rt("( (a) )"), "( ( a ) )\n");
    assert_eq!(rt("((echo a) | cat)"), "( ( echo a ) | cat )\n");
    assert_eq!(rt("echo $(( (1) ))"), "echo $(( (1) ))\n");
    incomplete("((1 + 2");
}

#[test]
fn double_brackets() {
    assert_eq!(
        rt("[[ -f $x && ! ( a == b* || c != d ) ]]"),
        "[[ -f $x && ! ( a == b* || c != d ) ]]\n"
    );
    assert_eq!(
        rt("[[ $x =~ ^(a|b)+$ && $y =~ (a b)\\) ]]"),
        "[[ $x =~ ^(a|b)+$ && $y =~ (a b)\\) ]]\n"
    );
    assert_eq!(rt("[[ a < b && c -lt 3 ]]"), "[[ a < b && c -lt 3 ]]\n");
    assert_eq!(rt("[[ -f ]]"), "[[ -f ]]\n");
    let p = parse_program(b"[[ a || b && c ]]").unwrap_or_default();
    let Command::Compound(CompoundCommand {
        kind: CompoundKind::Test(e),
        ..
    }) = &p.commands[0].items[0].and_or.first.commands[0]
    else {
        panic!()
    };
    let w = |s: &str| Box::new(TestExpr::Word(Word::literal(s.as_bytes())));
    assert_eq!(
        *e,
        TestExpr::Or(w("a"), Box::new(TestExpr::And(w("b"), w("c"))))
    );
    syntax(
        "[[ ]]",
        "line 1: syntax error: unexpected ']]' (expected a test expression)",
    );
    syntax(
        "[[ a =~ ]]",
        "line 1: syntax error: unexpected ']]' (expected a regular expression)",
    );
    incomplete("[[ a");
}

#[test]
fn here_documents() {
    let src =
        "cat <<EOF | tr a b; cat <<-'E2'\nhello $x\n\\$y\nEOF\n\tliteral $z\n\tE2\necho done\n";
    let p = parse_program(src.as_bytes()).unwrap_or_default();
    let Command::Simple(s) = &p.commands[0].items[0].and_or.first.commands[0] else {
        panic!()
    };
    let RedirTarget::HereDoc(h) = &s.redirects[0].target else {
        panic!()
    };
    assert!(!h.quoted);
    assert_eq!(
        h.body,
        HereDocBody::Parsed(Word {
            parts: vec![
                lit("hello "),
                param("x", ParamOp::Plain, false),
                lit("\n"),
                WordPart::Escaped(b'$'),
                lit("y\n")
            ]
        })
    );
    let Command::Simple(s2) = &p.commands[0].items[1].and_or.first.commands[0] else {
        panic!()
    };
    let RedirTarget::HereDoc(h2) = &s2.redirects[0].target else {
        panic!()
    };
    assert_eq!(h2.body, HereDocBody::Literal(b"literal $z\n".to_vec()));
    assert_eq!(p.commands.len(), 2);
    rt(src);
    // Inside $(...), and a here-doc whose operator is in a substitution on the line.
    assert_eq!(
        rt("x=$(cat <<EOF\nin\nEOF\n)\necho"),
        "x=$(cat <<EOF\nin\nEOF\n)\necho\n"
    );
    assert_eq!(
        rt("echo $(cat <<E) a\nbody\nE\n"),
        "echo $(cat <<E\nbody\nE\n) a\n"
    );
    assert_eq!(rt("cat <<\"a b\"\n$x\na b\n"), "cat <<'a b'\n$x\na b\n");
    assert_eq!(rt("cat <<E\nfoo\\\nE\nE\n"), "cat <<E\nfooE\nE\n");
    assert_eq!(
        rt("if cat <<E; then\nx\nE\n:; fi"),
        "if cat <<E; then\nx\nE\n    :\nfi\n"
    );
    assert_eq!(
        rt("cat <<E\n$(echo <<F\nf\nF\n)\nE\n"),
        "cat <<E\n$(echo <<F\nf\nF\n)\nE\n"
    );
    incomplete("cat <<EOF\nabc\n");
    incomplete("cat <<EOF");
    assert_eq!(rt("cat <<E\nx\nE"), "cat <<E\nx\nE\n");
}

#[test]
fn errors() {
    syntax(
        "if a\nb\nfi",
        "line 3: syntax error: unexpected 'fi' (expected 'then')",
    );
    syntax("if a; then fi", "line 1: syntax error: unexpected 'fi'");
    syntax("a )", "line 1: syntax error: unexpected ')'");
    syntax("echo a; ;", "line 1: syntax error: unexpected ';'");
    syntax(
        "{ a; ;; }",
        "line 1: syntax error: unexpected ';;' (expected '}')",
    );
    syntax(
        "for 1 in a; do :; done",
        "line 1: syntax error: unexpected '1' (expected a variable name)",
    );
    syntax("a |\n\n|", "line 3: syntax error: unexpected '|'");
    syntax("echo ${a b}", "line 1: syntax error: bad substitution");
    syntax(
        "f() a",
        "line 1: syntax error: unexpected 'a' (expected a function body)",
    );
    syntax(
        "echo >\n",
        "line 1: syntax error: unexpected newline (expected a word after '>')",
    );
}

#[test]
fn incomplete_inputs() {
    for src in [
        "echo 'abc",
        "echo \"abc",
        "if true; then",
        "a |",
        "a &&",
        "echo $(",
        "echo `a",
        "{ a",
        "case x in",
        "while a; do b",
        "echo ${x",
        "for i in a",
        "f() ",
        "echo $'a",
        "(a",
        "echo \\\n",
        "cat <<E\nx",
        "a ||\n",
    ] {
        incomplete(src);
    }
    let e = parse_program(b"echo 'abc").err();
    assert_eq!(e.map(|e| e.is_incomplete()), Some(true));
    // An error inside an already closed backquote is final, not incomplete.
    assert_eq!(err("echo `if`").0, ErrorKind::Syntax);
}

#[test]
fn error_position() {
    let e = parse_program(b"echo a\n  fi").err();
    assert_eq!(e.map(|e| (e.line, e.column)), Some((2, 3)));
}

#[test]
fn incremental_and_lines() {
    let src = b"echo 1\n\nif a\nthen b; fi; c\n) bad\n";
    let mut p = Parser::new(src);
    let a = p.next_complete_command(&NoAliases).ok().flatten();
    assert_eq!(a.map(|l| l.items[0].and_or.first.line), Some(1));
    let b = p.next_complete_command(&NoAliases).ok().flatten();
    assert_eq!(
        b.map(|l| (l.items.len(), l.items[1].and_or.first.line)),
        Some((2, 4))
    );
    assert_eq!(p.line(), 5);
    let e = p
        .next_complete_command(&NoAliases)
        .err()
        .map(|e| e.to_string());
    assert_eq!(e.as_deref(), Some("line 5: syntax error: unexpected ')'"));
    let mut p = Parser::with_line(b"\n\nx", 10);
    let c = p.next_complete_command(&NoAliases).ok().flatten();
    let Some(Command::Simple(s)) = c.map(|l| l.items[0].and_or.first.commands[0].clone()) else {
        panic!()
    };
    assert_eq!(s.line, 12);
    assert_eq!(p.next_complete_command(&NoAliases), Ok(None));
}

struct Aliases(Vec<(&'static str, &'static str)>);

impl AliasHook for Aliases {
    fn alias(&self, name: &[u8]) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, v)| v.as_bytes())
    }
}

fn with_aliases(src: &str, a: &Aliases) -> String {
    let mut p = Parser::new(src.as_bytes());
    let mut out = Vec::new();
    loop {
        match p.next_complete_command(a) {
            Ok(Some(l)) => out.extend(print_list(&l)),
            Ok(None) => break,
            Err(e) => return e.to_string(),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn aliases() {
    let a = Aliases(vec![
        ("ll", "ls -l"),
        ("ls", "ls -F"),
        ("x", "echo "),
        ("y", "hello"),
        ("loop1", "loop2"),
        ("loop2", "loop1"),
        ("iff", "if true; then"),
        ("sub", "$(echo a"),
    ]);
    assert_eq!(with_aliases("ll /tmp", &a), "ls -F -l /tmp\n");
    assert_eq!(with_aliases("x y y", &a), "echo hello y\n");
    assert_eq!(with_aliases("x x", &a), "echo echo\n");
    assert_eq!(with_aliases("loop1", &a), "loop1\n");
    assert_eq!(with_aliases("echo ll; ll", &a), "echo ll; ls -F -l\n");
    assert_eq!(
        with_aliases("iff echo; fi", &a),
        "if true; then\n    echo\nfi\n"
    );
    assert_eq!(with_aliases("a=1 ll", &a), "a=1 ls -F -l\n");
    assert_eq!(with_aliases("'ll'", &a), "'ll'\n");
    assert_eq!(with_aliases("sub)", &a), "$(echo a)\n");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let run = || {
        let cases: Vec<Vec<u8>> = vec![
            "(".repeat(100_000).into_bytes(),
            "$(".repeat(100_000).into_bytes(),
            "{ ".repeat(100_000).into_bytes(),
            "if ".repeat(100_000).into_bytes(),
            "\"$(".repeat(100_000).into_bytes(),
            "${x:-".repeat(100_000).into_bytes(),
            "$((".repeat(100_000).into_bytes(),
            "[[ "
                .to_string()
                .into_bytes()
                .into_iter()
                .chain("! ".repeat(100_000).into_bytes())
                .collect(),
            "echo `".repeat(10).into_bytes(),
            format!("[[ {} ]]", vec!["a"; 100_000].join(" && ")).into_bytes(),
            format!("[[ {} ]]", vec!["a"; 100_000].join(" || ")).into_bytes(),
            "cat <<a".repeat(50_000).into_bytes(),
            format!("{}{}", "(".repeat(150), ")".repeat(150)).into_bytes(),
        ];
        for c in &cases {
            let _ = parse_program(c);
        }
        let deep = format!("{}a{}", "(".repeat(70), ")".repeat(70));
        assert!(parse_program(deep.as_bytes()).is_ok());
        let e = parse_program("(".repeat(100_000).as_bytes()).err();
        assert_eq!(e.map(|e| e.message), Some("nesting too deep".to_string()));
    };
    let h = std::thread::Builder::new().stack_size(2 << 20).spawn(run);
    assert!(h.map(|h| h.join().is_ok()).unwrap_or(false));
}

#[test]
fn arith_backtracking_is_not_exponential() {
    let src = format!("{}{}", "$((".repeat(60), "a) )".repeat(60));
    let t = std::time::Instant::now();
    let _ = parse_program(src.as_bytes());
    assert!(t.elapsed().as_secs() < 5);
}

/// Snippets real scripts use; each must parse and round-trip through the printer.
const CORPUS: &[&str] = &[
    "#!/bin/sh\nset -eu\n: \"${PREFIX:=/usr/local}\"\nexport PATH=\"$PREFIX/bin:$PATH\"\n",
    "usage() {\n\tcat <<EOF\nUsage: ${0##*/} [-v] file...\nEOF\n\texit 1\n}\n",
    "while getopts 'vf:' opt; do\n  case $opt in\n    v) verbose=1 ;;\n    f) file=$OPTARG ;;\n    *) usage ;;\n  esac\ndone\nshift $((OPTIND - 1))\n",
    "for f in \"$@\"; do [ -e \"$f\" ] || { echo \"missing $f\" >&2; exit 1; }; done",
    "if ! command -v gcc >/dev/null 2>&1; then echo no; elif [ \"$CC\" = clang ]; then :; fi",
    "x=`echo \\`date\\``; y=\"$(printf '%s' \"$(echo \"inner\")\")\"",
    "trap 'rm -f \"$tmp\"; exit' INT TERM EXIT\ntmp=$(mktemp) || exit",
    "find . -name '*.c' -exec sh -c 'echo \"$1\"' _ {} \\; | sort -u | while read -r f; do echo \"$f\"; done",
    "exec 3>&1 4<&0 5<>/dev/null\nexec 3>&-",
    "case $1 in\n--) shift; break;;\n-*) echo opt;;\nesac",
    "a=${b:-${c:-$(d)}} e=${#f} g=${h%.*} i=${j#*/} k=${l%%/*} m=${n##*.}",
    "eval \"$(ssh-agent -s)\" && [ -n \"${SSH_AUTH_SOCK-}\" ]",
    "{ echo a; echo b; } 2>&1 | tee log >/dev/null &\nwait $!",
    "f() (\n  cd \"$1\" && pwd\n)\nfunction g { f \"$@\"; }",
    "[[ $a == *.txt && -r $a ]] || [[ ! -d $b || $c =~ ^[0-9]+$ ]]",
    "cat <<-EOF >out\n\tindented $x\n\t\tmore\n\tEOF\ncat <<'A' <<B\n$a\nA\n$b\nB\n",
    "echo $'tab\\there' $\"x\" \\$HOME '\\n' \"\\\\\"",
    "n=0; while [ $n -lt 10 ]; do n=$((n+1)); [ $((n % 2)) -eq 0 ] && continue; echo $n; done",
    "x=$(cat <<EOF\nin cmdsub $(echo nested)\nEOF\n)",
    "echo ${x/foo/bar} ${x//a/b} ${x/#a/b} ${x/%a/b} ${x:1} ${x:1:2} ${x: -1}",
    "case \"$x\" in (a|b) ;; (*) ;; esac; case y in y) echo;; esac",
    "echo \"$(case x in x) echo x;; esac)\" `echo \"q\"`",
    "ls ~ ~/bin ~root/x a=~ --prefix=~/x",
    "! true | false && echo || echo",
    "until false; do break; done; while :; do break 1; done",
    "echo <<<here ${PS1+set} \"${@}\" \"$*\" $# $? $- $$ $! $0 ${10}",
    "a[$i]=1 b+=(x \"${c[@]}\") ${!d[*]} ${#e[1]} ${!f@} ${!g:-h}",
];

#[test]
fn corpus_round_trips() {
    for src in CORPUS {
        rt(src);
    }
}

/// Tiny deterministic generator of random programs from fragments, for the round trip.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    fn word(&mut self, depth: u32) -> String {
        const W: &[&str] = &[
            "a",
            "'q s'",
            "\"d $x\"",
            "$1",
            "${x:-y}",
            "\\*",
            "*.c",
            "~/p",
            "$'\\n'",
            "${#x}",
            "${x%%.*}",
            "$((1+2))",
            "`b`",
            "x=y",
            "if",
            "\"${y#\"$z\"}\"",
            "$@",
        ];
        if depth > 0 && self.next(6) == 0 {
            return format!("\"$({})\"", self.list(depth - 1));
        }
        W[self.next(W.len())].to_string()
    }

    fn command(&mut self, depth: u32) -> String {
        let pick = if depth == 0 { 0 } else { self.next(9) };
        let d = depth.saturating_sub(1);
        match pick {
            1 => format!(
                "if {}; then {}; else {}; fi",
                self.list(d),
                self.list(d),
                self.list(d)
            ),
            2 => format!("while {}; do {}; done", self.list(d), self.list(d)),
            3 => format!(
                "for i in {} {}; do {}; done",
                self.word(d),
                self.word(d),
                self.list(d)
            ),
            4 => format!(
                "case {} in {}|b) {};; *) {};; esac",
                self.word(d),
                self.word(d),
                self.list(d),
                self.list(d)
            ),
            5 => format!("{{ {}; }} >f", self.list(d)),
            6 => format!("( {} ) 2>&1", self.list(d)),
            7 => format!("f() {{ {}; }}", self.list(d)),
            8 => format!("{{ cat <<E | {}\nbody $x\nE\n}}", self.command(0)),
            _ => {
                let n = 1 + self.next(3);
                let mut s = String::from("cmd");
                for _ in 0..n {
                    s.push(' ');
                    s.push_str(&self.word(d));
                }
                s
            }
        }
    }

    fn list(&mut self, depth: u32) -> String {
        let n = 1 + self.next(3);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push_str(["; ", " && ", " || ", " | ", " & ", "\n"][self.next(6)]);
            }
            s.push_str(&self.command(depth));
        }
        s
    }
}

#[test]
fn generated_programs_round_trip() {
    let mut g = Gen(42);
    for _ in 0..400 {
        let src = g.list(3);
        rt(&src);
    }
}

#[test]
fn quotes_in_pattern_operands_inside_double_quotes() {
    assert_eq!(
        word(r#""${x#'a'}""#),
        [WordPart::DoubleQuoted(vec![param(
            "x",
            ParamOp::RemovePrefix {
                longest: false,
                pattern: Word {
                    parts: vec![WordPart::SingleQuoted(b"a".to_vec())]
                }
            },
            true
        )])]
    );
}

/// Inputs the fuzzer found (printer or parser bugs, since fixed).
const FUZZ_FOUND: &[&[u8]] = &[
    b"cat <]<E \x01 a b\n$x `y\xff` \\",
    b"ca| < E !|<\xff\x00.E |<\x02",
    b"<f if",
    b"cat <<E |``\xdf$z\ncat \xc5<E | tr `y aL b\n$x `y a`@ $\\tr``$z\ncat <<E | tr z\nE`y aL b\n$x `y a`@ \\$z\nE\n\x0f",
    b"cat <<E\n`cat <<E\nE`\nE\n",
];

#[test]
fn fuzz_findings_round_trip() {
    for src in FUZZ_FOUND {
        if let Ok(p) = parse_program(src) {
            let printed = print_program(&p);
            let q = parse_program(&printed);
            assert_eq!(
                q.as_ref().map(normalized).ok(),
                Some(normalized(&p)),
                "{src:?}"
            );
        }
    }
}

#[test]
fn deepest_accepted_inputs_print_and_drop_on_a_small_stack() {
    let run = || {
        let gens: Vec<fn(usize) -> String> = vec![
            |n| format!("{}a{}", "( ".repeat(n), " )".repeat(n)),
            |n| format!("{}a{}", "{ ".repeat(n), "; }".repeat(n)),
            |n| format!("{}a{}", "if a; then ".repeat(n), "; fi".repeat(n)),
            |n| format!("{}a{}", "echo \"$(".repeat(n), ")\"".repeat(n)),
            |n| format!("echo {}a{}", "${x:-".repeat(n), "}".repeat(n)),
            |n| format!("echo {}1{}", "$((".repeat(n), "))".repeat(n)),
            |n| format!("[[ {}a{} ]]", "( ".repeat(n), " )".repeat(n)),
            |n| format!("[[ {}a ]]", "! ".repeat(n)),
            |n| format!("f() {}{{ a; }}{}", "{ g() ".repeat(n), "; }".repeat(n)),
        ];
        for g in gens {
            let mut n = 1;
            let mut last = None;
            while let Ok(p) = parse_program(g(n).as_bytes()) {
                last = Some(p);
                n += 1;
            }
            assert!(n > 20, "only {n} levels of {:?}", g(2));
            if let Some(p) = last {
                let printed = print_program(&p);
                let again = parse_program(&printed).map(|q| normalized(&q));
                assert_eq!(again.ok(), Some(normalized(&p)));
            }
        }
    };
    let h = std::thread::Builder::new().stack_size(2 << 20).spawn(run);
    assert!(h.map(|h| h.join().is_ok()).unwrap_or(false));
}
