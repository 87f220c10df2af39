//! `cmp`: compare two files byte by byte (POSIX words: "differ: char N, line L").

use std::fs::File;
use std::io::BufReader;

use crate::common::lines::{BUF_SIZE, open};
use crate::common::num::parse_size;
use crate::prelude::*;

/// The `cmp` applet.
pub const APPLET: Applet = Applet::new("cmp", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .error_status(2)
    .usage("[-bls] [-i SKIP1[:SKIP2]] [-n LIMIT] FILE1 [FILE2 [SKIP1 [SKIP2]]]")
    .help(
        "Compare FILE1 and FILE2 (standard input for - or a missing FILE2) byte by byte.\n\
         Exit status: 0 same, 1 different, 2 trouble.\n\n\
         -b\tAlso print the differing bytes\n\
         -l\tList every differing byte: offset and both values in octal\n\
         -s\tPrint nothing, only set the status\n\
         -i SKIP\tSkip SKIP bytes of both files (SKIP1:SKIP2 for each)\n\
         -n LIMIT\tCompare at most LIMIT bytes",
    );

const LONGS: &[&str] = &[
    "print-bytes",
    "verbose",
    "quiet",
    "silent",
    "ignore-initial",
    "bytes",
];

fn size_arg(v: &[u8]) -> Result<u64, Error> {
    parse_size(v).ok_or_else(|| {
        Error::usage(format!(
            "invalid --ignore-initial value '{}'",
            String::from_utf8_lossy(v)
        ))
    })
}

enum In {
    Stdin,
    File(BufReader<File>),
}

fn fill<'a>(input: &'a mut In, stdin: &'a mut dyn BufRead) -> std::io::Result<&'a [u8]> {
    match input {
        In::Stdin => stdin.fill_buf(),
        In::File(f) => f.fill_buf(),
    }
}

fn consume(input: &mut In, stdin: &mut dyn BufRead, n: usize) {
    match input {
        In::Stdin => stdin.consume(n),
        In::File(f) => f.consume(n),
    }
}

fn skip(input: &mut In, stdin: &mut dyn BufRead, mut n: u64) -> std::io::Result<()> {
    while n > 0 {
        let avail = fill(input, stdin)?.len();
        if avail == 0 {
            return Ok(());
        }
        let k = avail.min(usize::try_from(n).unwrap_or(usize::MAX));
        consume(input, stdin, k);
        n -= k as u64;
    }
    Ok(())
}

fn visible(b: u8) -> String {
    let mut s = String::new();
    let low = if b >= 0x80 {
        s.push_str("M-");
        b - 0x80
    } else {
        b
    };
    match low {
        0x7f => s.push_str("^?"),
        c if c < 0x20 => {
            s.push('^');
            s.push(char::from(c + 0x40));
        }
        c => s.push(char::from(c)),
    }
    s
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut bytes, mut list, mut silent) = (false, false, false);
    let mut skips = [0u64, 0u64];
    let mut limit: Option<u64> = None;
    let mut operands = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') | Arg::Long("print-bytes") => bytes = true,
            Arg::Short('l') | Arg::Long("verbose") => list = true,
            Arg::Short('s') | Arg::Long("quiet" | "silent") => silent = true,
            Arg::Short('i') | Arg::Long("ignore-initial") => {
                let v = opts.value()?;
                match v.iter().position(|&c| c == b':') {
                    Some(p) => skips = [size_arg(&v[..p])?, size_arg(&v[p + 1..])?],
                    None => {
                        let n = size_arg(&v)?;
                        skips = [n, n];
                    }
                }
            }
            Arg::Short('n') | Arg::Long("bytes") => {
                let v = opts.value()?;
                limit = Some(parse_size(&v).ok_or_else(|| {
                    Error::usage(format!(
                        "invalid --bytes value '{}'",
                        String::from_utf8_lossy(&v)
                    ))
                })?);
            }
            Arg::Value(v) => operands.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if operands.is_empty() {
        return Err(Error::usage("missing operand"));
    }
    if operands.len() > 4 {
        return Err(opts.unexpected(&Arg::Value(operands.swap_remove(4))));
    }
    if operands.len() == 1 {
        operands.push(b"-".to_vec());
    }
    for (i, v) in operands.iter().skip(2).enumerate() {
        skips[i] = size_arg(v)?;
    }
    let names = [operands[0].clone(), operands[1].clone()];
    let mut ins = Vec::new();
    let mut sizes = [0u64; 2];
    for (k, name) in names.iter().enumerate() {
        if name == b"-" {
            ins.push(In::Stdin);
        } else {
            // GNU cmp -s does not even say that a file cannot be opened.
            let f = open(name).map_err(|e| {
                if silent {
                    Error::silent(2)
                } else {
                    Error::io(name, &e)
                }
            })?;
            sizes[k] = f.metadata().map(|m| m.len()).unwrap_or(0);
            ins.push(In::File(BufReader::with_capacity(BUF_SIZE, f)));
        }
    }
    let [mut a, mut b]: [In; 2] = match ins.try_into() {
        Ok(x) => x,
        Err(_) => return Err(Error::msg("internal error")),
    };
    let stdin: &mut dyn BufRead = &mut ctx.stdin;
    skip(&mut a, stdin, skips[0]).map_err(|e| Error::io(&names[0], &e))?;
    skip(&mut b, stdin, skips[1]).map_err(|e| Error::io(&names[1], &e))?;
    let width = sizes[0].max(sizes[1]).max(1).to_string().len();
    let (mut offset, mut line) = (0u64, 1u64);
    let mut differ = false;
    let mut last_nl = true;
    let mut out = Vec::new();
    loop {
        if limit.is_some_and(|l| offset >= l) {
            break;
        }
        let (ca, cb) = {
            let x = fill(&mut a, stdin)
                .map_err(|e| Error::io(&names[0], &e))?
                .first()
                .copied();
            let y = fill(&mut b, stdin)
                .map_err(|e| Error::io(&names[1], &e))?
                .first()
                .copied();
            (x, y)
        };
        let (x, y) = match (ca, cb) {
            (Some(x), Some(y)) => (x, y),
            (None, None) => break,
            (xa, _) => {
                let short = if xa.is_none() { &names[0] } else { &names[1] };
                if !silent {
                    ctx.stdout.write_all(&out)?;
                    ctx.stdout.flush()?;
                    let name = String::from_utf8_lossy(short);
                    let m = if offset == 0 {
                        format!("EOF on {name} which is empty")
                    } else if list {
                        format!("EOF on {name} after byte {offset}")
                    } else if last_nl {
                        format!("EOF on {name} after byte {offset}, line {}", line - 1)
                    } else {
                        format!("EOF on {name} after byte {offset}, in line {line}")
                    };
                    ctx.note(m.as_bytes());
                }
                return Err(Error::silent(1));
            }
        };
        consume(&mut a, stdin, 1);
        consume(&mut b, stdin, 1);
        offset += 1;
        if x != y {
            differ = true;
            if silent {
                return Err(Error::silent(1));
            }
            if !list {
                let mut m = format!(
                    "{} {} differ: char {offset}, line {line}",
                    String::from_utf8_lossy(&names[0]),
                    String::from_utf8_lossy(&names[1])
                );
                if bytes {
                    m.push_str(&format!(" is {x:3o} {} {y:3o} {}", visible(x), visible(y)));
                }
                m.push('\n');
                ctx.stdout.write_all(m.as_bytes())?;
                return Err(Error::silent(1));
            }
            if bytes {
                out.extend_from_slice(
                    format!(
                        "{offset:>width$} {x:3o} {:<4} {y:3o} {}\n",
                        visible(x),
                        visible(y)
                    )
                    .as_bytes(),
                );
            } else {
                out.extend_from_slice(format!("{offset:>width$} {x:3o} {y:3o}\n").as_bytes());
            }
            if out.len() > BUF_SIZE {
                ctx.stdout.write_all(&out)?;
                out.clear();
            }
        }
        last_nl = x == b'\n';
        if last_nl {
            line += 1;
        }
    }
    ctx.stdout.write_all(&out)?;
    if differ {
        return Err(Error::silent(1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn compares() {
        let dir = temp_dir("cmp");
        let w = |n: &str, d: &[u8]| {
            let p = dir.join(n);
            std::fs::write(&p, d).unwrap();
            p.to_str().unwrap().to_string()
        };
        let (c1, c2, c3, c4) = (
            w("c1", b"abc\ndef\n"),
            w("c2", b"abc\ndxf\n"),
            w("c3", b"abc"),
            w("c4", b""),
        );
        let r = run("cmp", &[&c1, &c2], b"");
        assert_eq!(
            (r.status, r.out()),
            (1, format!("{c1} {c2} differ: char 6, line 2\n"))
        );
        let r = run("cmp", &[&c1, &c3], b"");
        assert_eq!(
            (r.status, r.err()),
            (1, format!("cmp: EOF on {c3} after byte 3, in line 1\n"))
        );
        let r = run("cmp", &[&c1, &c4], b"");
        assert_eq!(r.err(), format!("cmp: EOF on {c4} which is empty\n"));
        assert_eq!(run("cmp", &["-l", &c1, &c2], b"").out(), "6 145 170\n");
        assert_eq!(
            run("cmp", &["-b", &c1, &c2], b"").out(),
            format!("{c1} {c2} differ: char 6, line 2 is 145 e 170 x\n")
        );
        let r = run("cmp", &["-s", &c1, &c2], b"");
        assert_eq!(
            (r.status, r.out(), r.err()),
            (1, String::new(), String::new())
        );
        assert_eq!(run("cmp", &[&c1, &c1], b"").status, 0);
        assert_eq!(run("cmp", &["-n", "5", &c1, &c2], b"").status, 0);
        assert_eq!(run("cmp", &["-i", "6", &c1, &c2], b"").status, 0);
        assert_eq!(run("cmp", &[&c1, "-"], b"abc\ndef\n").status, 0);
        let r = run("cmp", &[&c1, "/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (2, "cmp: /nonexistent/x: No such file or directory\n".into())
        );
        assert_eq!(run("cmp", &[], b"").status, 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
