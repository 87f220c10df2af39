//! `hexdump`: the util-linux/BusyBox dumper with its canned formats (`-C -b -c -d -o -x`).

use super::{Fail, each_chunk, shown};
use crate::common::num::parse_size;
use crate::prelude::*;

/// The `hexdump` applet.
pub const APPLET: Applet = Applet::new("hexdump", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-bcCdovx] [-n LENGTH] [-s OFFSET] [FILE]...")
    .help(
        "Dump FILEs (standard input for none), concatenated, 16 bytes a line (2-byte hex\n\
         words by default).\n\n\
         -C\tCanonical hex+ASCII\n\
         -b\tOne-byte octal\n\
         -c\tOne-byte characters\n\
         -d\tTwo-byte decimal\n\
         -o\tTwo-byte octal\n\
         -x\tTwo-byte hex\n\
         -n LENGTH\tDump only LENGTH bytes\n\
         -s OFFSET\tSkip OFFSET bytes first (suffixes b k m...)\n\
         -v\tShow repeated lines instead of *",
    );

const LONGS: &[&str] = &[
    "canonical",
    "one-byte-octal",
    "one-byte-char",
    "two-bytes-decimal",
    "two-bytes-octal",
    "two-bytes-hex",
    "length",
    "skip",
    "no-squeezing",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Default,
    Canonical,
    Octal1,
    Char1,
    Decimal2,
    Octal2,
    Hex2,
}

const LINE: usize = 16;

fn char_field(b: u8) -> String {
    match b {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        9 => "\\t".into(),
        10 => "\\n".into(),
        11 => "\\v".into(),
        12 => "\\f".into(),
        13 => "\\r".into(),
        0x20..=0x7e => (b as char).to_string(),
        _ => format!("{b:03o}"),
    }
}

/// One line of `fmt` for `block` (at most 16 bytes) at offset `off`.
fn render(fmt: Fmt, off: u64, block: &[u8], out: &mut Vec<u8>) {
    if fmt == Fmt::Canonical {
        out.extend_from_slice(format!("{off:08x} ").as_bytes());
        for i in 0..LINE {
            if i == 8 {
                out.push(b' ');
            }
            match block.get(i) {
                Some(b) => out.extend_from_slice(format!(" {b:02x}").as_bytes()),
                None => out.extend_from_slice(b"   "),
            }
        }
        out.extend_from_slice(b"  |");
        for &b in block {
            out.push(if (0x20..0x7f).contains(&b) { b } else { b'.' });
        }
        out.extend_from_slice(b"|\n");
        return;
    }
    out.extend_from_slice(format!("{off:07x}").as_bytes());
    let one = matches!(fmt, Fmt::Octal1 | Fmt::Char1);
    let (size, width) = match fmt {
        Fmt::Default => (2, 5),
        Fmt::Octal1 | Fmt::Char1 => (1, 4),
        _ => (2, 8),
    };
    for i in 0..LINE / size {
        let start = i * size;
        let Some(bytes) = block.get(start..).filter(|b| !b.is_empty()) else {
            out.resize(out.len() + width, b' ');
            continue;
        };
        let lo = u16::from(bytes.first().copied().unwrap_or(0));
        let hi = u16::from(bytes.get(1).copied().unwrap_or(0));
        let v = if one { lo } else { lo | hi << 8 };
        let text = match fmt {
            Fmt::Default | Fmt::Hex2 => format!("{v:04x}"),
            Fmt::Octal1 => format!("{v:03o}"),
            Fmt::Char1 => char_field(v as u8),
            Fmt::Decimal2 => format!("{v:05}"),
            Fmt::Octal2 => format!("{v:06o}"),
            Fmt::Canonical => String::new(),
        };
        out.extend_from_slice(format!("{text:>width$}").as_bytes());
    }
    out.push(b'\n');
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut fmts = Vec::new();
    let (mut skip, mut limit, mut verbose) = (0u64, None::<u64>, false);
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('C') | Arg::Long("canonical") => fmts.push(Fmt::Canonical),
            Arg::Short('b') | Arg::Long("one-byte-octal") => fmts.push(Fmt::Octal1),
            Arg::Short('c') | Arg::Long("one-byte-char") => fmts.push(Fmt::Char1),
            Arg::Short('d') | Arg::Long("two-bytes-decimal") => fmts.push(Fmt::Decimal2),
            Arg::Short('o') | Arg::Long("two-bytes-octal") => fmts.push(Fmt::Octal2),
            Arg::Short('x') | Arg::Long("two-bytes-hex") => fmts.push(Fmt::Hex2),
            Arg::Short('v') | Arg::Long("no-squeezing") => verbose = true,
            Arg::Short('n') | Arg::Long("length") => {
                let v = opts.value()?;
                limit = Some(parse_size(&v).ok_or_else(|| bad(&v, "length"))?);
            }
            Arg::Short('s') | Arg::Long("skip") => {
                let v = opts.value()?;
                skip = parse_size(&v).ok_or_else(|| bad(&v, "offset"))?;
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if fmts.is_empty() {
        fmts.push(Fmt::Default);
    }
    let any_files = !files.is_empty();
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    let (mut to_skip, mut left) = (skip, limit.unwrap_or(u64::MAX));
    let mut off = 0u64;
    let mut block = Vec::with_capacity(LINE);
    let mut prev: Option<Vec<u8>> = None;
    let mut starred = false;
    let mut out = Vec::new();
    let mut opened = 0;
    let emit = |off: u64,
                block: &[u8],
                prev: &mut Option<Vec<u8>>,
                starred: &mut bool,
                out: &mut Vec<u8>| {
        if block.len() == LINE && !verbose {
            if prev.as_deref() == Some(block) {
                if !*starred {
                    out.extend_from_slice(b"*\n");
                    *starred = true;
                }
                return;
            }
            *prev = Some(block.to_vec());
            *starred = false;
        }
        for &f in &fmts {
            render(f, off, block, out);
        }
    };
    for name in &files {
        if left == 0 {
            break;
        }
        let stdout = &mut ctx.stdout;
        let r = each_chunk(&mut ctx.stdin, name, &mut |mut c| {
            if to_skip > 0 {
                let n = usize::try_from(to_skip).unwrap_or(usize::MAX).min(c.len());
                to_skip -= n as u64;
                off += n as u64;
                c = c.get(n..).unwrap_or_default();
            }
            let take = usize::try_from(left).unwrap_or(usize::MAX).min(c.len());
            left -= take as u64;
            c = c.get(..take).unwrap_or_default();
            while !c.is_empty() {
                let (head, rest) = c.split_at((LINE - block.len()).min(c.len()));
                block.extend_from_slice(head);
                c = rest;
                if block.len() == LINE {
                    emit(off, &block, &mut prev, &mut starred, &mut out);
                    off += LINE as u64;
                    block.clear();
                }
            }
            if out.len() >= 64 * 1024 {
                stdout
                    .write_all(&out)
                    .map_err(|e| Error::io(b"write error", &e))?;
                out.clear();
            }
            if left == 0 {
                return Err(Error::silent(0));
            }
            Ok(())
        });
        match r {
            Ok(()) => opened += 1,
            Err(Fail::Read(e)) => ctx.warn(&shown(name), &e),
            Err(Fail::Fatal(e)) if e.status == Some(0) && e.message.is_empty() => {
                opened += 1;
                break;
            }
            Err(Fail::Fatal(e)) => return Err(e),
        }
    }
    if any_files && opened == 0 {
        return Err(Error::msg("all input file arguments failed"));
    }
    if !block.is_empty() {
        emit(off, &block, &mut prev, &mut starred, &mut out);
        off += block.len() as u64;
    }
    if fmts.first() == Some(&Fmt::Canonical) {
        out.extend_from_slice(format!("{off:08x}\n").as_bytes());
    } else {
        out.extend_from_slice(format!("{off:07x}\n").as_bytes());
    }
    ctx.stdout
        .write_all(&out)
        .map_err(|e| Error::io(b"write error", &e))
}

fn bad(v: &[u8], what: &str) -> Error {
    Error::msg(format!(
        "invalid {what} argument: '{}'",
        String::from_utf8_lossy(v)
    ))
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    const BIN: &[u8] = b"abcdefghijklmnopqrstuvwxyz\n\0\x01\xff";

    #[test]
    fn default_words() {
        assert_eq!(
            run("hexdump", &[], BIN).out(),
            "0000000 6261 6463 6665 6867 6a69 6c6b 6e6d 706f\n\
             0000010 7271 7473 7675 7877 7a79 000a ff01     \n\
             000001e\n"
        );
        assert_eq!(run("hexdump", &[], b"").out(), "0000000\n");
    }

    #[test]
    fn canonical() {
        assert_eq!(
            run("hexdump", &["-C"], BIN).out(),
            "00000000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|\n\
             00000010  71 72 73 74 75 76 77 78  79 7a 0a 00 01 ff        |qrstuvwxyz....|\n\
             0000001e\n"
        );
        assert_eq!(
            run("hexdump", &["-C", "-n", "3", "-s", "1"], b"abcde").out(),
            format!("00000001  62 63 64{}|bcd|\n00000004\n", " ".repeat(42))
        );
    }

    #[test]
    fn other_formats_and_repeats() {
        assert_eq!(
            run("hexdump", &["-b", "-c"], b"ab\n").out(),
            format!(
                "0000000 141 142 012{}\n0000000   a   b  \\n{}\n0000003\n",
                " ".repeat(52),
                " ".repeat(52)
            )
        );
        assert_eq!(
            run("hexdump", &["-x"], b"abcde").out(),
            format!(
                "0000000    6261    6463    0065{}\n0000005\n",
                " ".repeat(40)
            )
        );
        let z = vec![0u8; 64];
        assert_eq!(
            run("hexdump", &[], &z).out(),
            "0000000 0000 0000 0000 0000 0000 0000 0000 0000\n*\n0000040\n"
        );
        assert_eq!(run("hexdump", &["-v"], &z).out().lines().count(), 5);
        let all: Vec<u8> = (0..=255u8).collect();
        for f in ["-b", "-c", "-C", "-d", "-o", "-x"] {
            let r = run("hexdump", &[f], &all);
            assert_eq!(r.out().lines().count(), 17, "{f}");
        }
    }

    #[test]
    fn missing_files() {
        let r = run("hexdump", &["/nonexistent/x"], b"");
        assert_eq!(r.status, 1);
        assert_eq!(
            r.err(),
            "hexdump: /nonexistent/x: No such file or directory\n\
             hexdump: all input file arguments failed\n"
        );
    }
}
