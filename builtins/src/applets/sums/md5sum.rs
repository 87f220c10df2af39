//! `md5sum` and its siblings `sha1sum`, `sha224sum`, `sha256sum`, `sha384sum`, `sha512sum`: print or
//! check message digests, as GNU coreutils does (output, escaping, `-c` and its warnings).

use sha2::Digest;

use super::{Fail, each_chunk, quotef, shown};
use crate::common::lines::Records;
use crate::prelude::*;

const USAGE: &str = "[-bctwz] [--tag] [--quiet|--status] [--strict] [--ignore-missing] [FILE]...";

macro_rules! hash_applet {
    ($name:literal, $what:literal) => {
        Applet::new($name, main, Run::Fork)
            .dir(InstallDir::UsrBin)
            .usage(USAGE)
            .help(concat!(
                "Print or check ",
                $what,
                " checksums of FILEs (standard input for - or none).\n\n",
                "-b\tRead in binary mode (marks the output with *)\n",
                "-t\tRead in text mode (the default)\n",
                "--tag\tBSD-style output: ALGO (FILE) = HASH\n",
                "-z\tEnd output lines with NUL and do not escape names\n",
                "-c\tCheck the sums listed in FILEs\n\n",
                "With -c:\n",
                "--ignore-missing\tDo not fail or report for missing files\n",
                "--quiet\tDo not print OK for each verified file\n",
                "--status\tPrint nothing; the exit status tells\n",
                "--strict\tFail on improperly formatted lines\n",
                "-w\tWarn about improperly formatted lines"
            ))
    };
}

/// The `md5sum` applet.
pub const MD5SUM: Applet = hash_applet!("md5sum", "MD5 (128-bit)");
/// The `sha1sum` applet.
pub const SHA1SUM: Applet = hash_applet!("sha1sum", "SHA1 (160-bit)");
/// The `sha224sum` applet.
pub const SHA224SUM: Applet = hash_applet!("sha224sum", "SHA224");
/// The `sha256sum` applet.
pub const SHA256SUM: Applet = hash_applet!("sha256sum", "SHA256");
/// The `sha384sum` applet.
pub const SHA384SUM: Applet = hash_applet!("sha384sum", "SHA384");
/// The `sha512sum` applet.
pub const SHA512SUM: Applet = hash_applet!("sha512sum", "SHA512");

const LONGS: &[&str] = &[
    "binary",
    "check",
    "text",
    "tag",
    "zero",
    "quiet",
    "status",
    "strict",
    "warn",
    "ignore-missing",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Algo {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algo {
    fn of(applet: &str) -> Algo {
        match applet {
            "sha1sum" => Algo::Sha1,
            "sha224sum" => Algo::Sha224,
            "sha256sum" => Algo::Sha256,
            "sha384sum" => Algo::Sha384,
            "sha512sum" => Algo::Sha512,
            _ => Algo::Md5,
        }
    }

    /// The name in `--tag` lines and in messages.
    fn tag(self) -> &'static str {
        match self {
            Algo::Md5 => "MD5",
            Algo::Sha1 => "SHA1",
            Algo::Sha224 => "SHA224",
            Algo::Sha256 => "SHA256",
            Algo::Sha384 => "SHA384",
            Algo::Sha512 => "SHA512",
        }
    }

    /// Digest length in hex digits.
    fn hex_len(self) -> usize {
        match self {
            Algo::Md5 => 32,
            Algo::Sha1 => 40,
            Algo::Sha224 => 56,
            Algo::Sha256 => 64,
            Algo::Sha384 => 96,
            Algo::Sha512 => 128,
        }
    }

    fn hasher(self) -> Hasher {
        match self {
            Algo::Md5 => Hasher::Md5(super::md5::Md5::new()),
            Algo::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algo::Sha224 => Hasher::Sha224(sha2::Sha224::new()),
            Algo::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algo::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            Algo::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
}

enum Hasher {
    Md5(super::md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha224(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    /// The digest as lowercase hex.
    fn hex(self) -> Vec<u8> {
        let raw: Vec<u8> = match self {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        };
        let digits = b"0123456789abcdef";
        let mut out = Vec::with_capacity(raw.len() * 2);
        for b in raw {
            out.push(digits[usize::from(b >> 4)]);
            out.push(digits[usize::from(b & 15)]);
        }
        out
    }
}

#[derive(Default)]
struct Flags {
    binary: bool,
    text: bool,
    check: bool,
    tag: bool,
    zero: bool,
    quiet: bool,
    status: bool,
    strict: bool,
    warn: bool,
    ignore_missing: bool,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let algo = Algo::of(ctx.name());
    let mut f = Flags::default();
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') | Arg::Long("binary") => (f.binary, f.text) = (true, false),
            Arg::Short('t') | Arg::Long("text") => (f.text, f.binary) = (true, false),
            Arg::Short('c') | Arg::Long("check") => f.check = true,
            Arg::Long("tag") => (f.tag, f.text) = (true, false),
            Arg::Short('z') | Arg::Long("zero") => f.zero = true,
            Arg::Long("quiet") => (f.quiet, f.status, f.warn) = (true, false, false),
            Arg::Long("status") => (f.status, f.quiet, f.warn) = (true, false, false),
            Arg::Long("strict") => f.strict = true,
            Arg::Short('w') | Arg::Long("warn") => {
                (f.warn, f.quiet, f.status) = (true, false, false)
            }
            Arg::Long("ignore-missing") => f.ignore_missing = true,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if f.tag && f.text {
        return Err(Error::usage("--tag does not support --text mode"));
    }
    if f.check && f.tag {
        return Err(Error::usage(
            "the --tag option is meaningless when verifying checksums",
        ));
    }
    if f.check && (f.binary || f.text) {
        return Err(Error::usage(
            "the --binary and --text options are meaningless when verifying checksums",
        ));
    }
    if !f.check {
        let only = [
            (f.ignore_missing, "--ignore-missing"),
            (f.status, "--status"),
            (f.warn, "--warn"),
            (f.quiet, "--quiet"),
            (f.strict, "--strict"),
        ];
        if let Some((_, opt)) = only.iter().find(|(on, _)| *on) {
            return Err(Error::usage(format!(
                "the {opt} option is meaningful only when verifying checksums"
            )));
        }
    }
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    for name in &files {
        if f.check {
            check_list(ctx, algo, &f, name)?;
        } else {
            print_sum(ctx, algo, &f, name)?;
        }
    }
    Ok(())
}

/// Hashes all of `name`; `Err` is a read failure (already a plain I/O error).
fn digest(ctx: &mut Ctx<'_>, algo: Algo, name: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut h = algo.hasher();
    let r = each_chunk(&mut ctx.stdin, name, &mut |chunk| {
        h.update(chunk);
        Ok(())
    });
    match r {
        Ok(()) => Ok(h.hex()),
        Err(Fail::Read(e)) => Err(e),
        Err(Fail::Fatal(e)) => Err(std::io::Error::other(e.to_string())),
    }
}

/// `\` and newline spelled `\\` and `\n`, as GNU writes names that hold them.
fn escape(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + 4);
    for &b in name {
        match b {
            b'\\' => v.extend_from_slice(b"\\\\"),
            b'\n' => v.extend_from_slice(b"\\n"),
            c => v.push(c),
        }
    }
    v
}

fn print_sum(ctx: &mut Ctx<'_>, algo: Algo, f: &Flags, name: &[u8]) -> Result<(), Error> {
    let hex = match digest(ctx, algo, name) {
        Ok(h) => h,
        Err(e) => {
            let subject = shown(name);
            ctx.warn(&subject, &e);
            return Ok(());
        }
    };
    let needs_escape = !f.zero && name.iter().any(|&b| b == b'\\' || b == b'\n');
    let shown_name = if needs_escape {
        escape(name)
    } else {
        name.to_vec()
    };
    let mut line = Vec::with_capacity(hex.len() + shown_name.len() + 16);
    if needs_escape {
        line.push(b'\\');
    }
    if f.tag {
        line.extend_from_slice(algo.tag().as_bytes());
        line.extend_from_slice(b" (");
        line.extend_from_slice(&shown_name);
        line.extend_from_slice(b") = ");
        line.extend_from_slice(&hex);
    } else {
        line.extend_from_slice(&hex);
        line.extend_from_slice(if f.binary { b" *" } else { b"  " });
        line.extend_from_slice(&shown_name);
    }
    line.push(if f.zero { 0 } else { b'\n' });
    ctx.stdout
        .write_all(&line)
        .map_err(|e| Error::io(b"write error", &e))
}

/// Undoes [`escape`]; `None` for an unknown or dangling escape.
fn unescape(name: &[u8]) -> Option<Vec<u8>> {
    let mut v = Vec::with_capacity(name.len());
    let mut it = name.iter();
    while let Some(&b) = it.next() {
        if b == b'\\' {
            match it.next() {
                Some(b'\\') => v.push(b'\\'),
                Some(b'n') => v.push(b'\n'),
                _ => return None,
            }
        } else {
            v.push(b);
        }
    }
    Some(v)
}

/// Splits one checksum line into (hex digest, file name), in GNU or BSD (`--tag`) form.
/// `one_space` is GNU's sticky choice for the `HASH NAME` form (BSD `md5 -r`): the
/// first line of either form decides, and the other form is then malformed.
fn parse_line(line: &[u8], algo: Algo, one_space: &mut Option<bool>) -> Option<(Vec<u8>, Vec<u8>)> {
    let start = line.iter().position(|&b| b != b' ' && b != b'\t')?;
    let mut s = line.get(start..)?;
    let escaped = s.first() == Some(&b'\\');
    if escaped {
        s = s.get(1..)?;
    }
    let n = algo.hex_len();
    let is_hex = |h: &[u8]| h.len() == n && h.iter().all(u8::is_ascii_hexdigit);
    let (hex, name) = if let Some(rest) = s.strip_prefix(algo.tag().as_bytes()) {
        // BSD form: ALGO (NAME) = HASH
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        let rest = rest.strip_prefix(b"(")?;
        let close = rest.iter().rposition(|&b| b == b')')?;
        let name = rest.get(..close)?;
        let mut tail = rest.get(close + 1..)?;
        while let Some(t) = tail.strip_prefix(b" ") {
            tail = t;
        }
        let mut tail = tail.strip_prefix(b"=")?;
        while let Some(t) = tail.strip_prefix(b" ") {
            tail = t;
        }
        (tail, name)
    } else {
        let hex = s.get(..n)?;
        match s.get(n..n + 2)? {
            b"  " | b" *" if *one_space != Some(true) => {
                *one_space = Some(false);
                (hex, s.get(n + 2..)?)
            }
            [b' ', _] if *one_space != Some(false) => {
                *one_space = Some(true);
                (hex, s.get(n + 1..)?)
            }
            _ => return None,
        }
    };
    if !is_hex(hex) || name.is_empty() {
        return None;
    }
    let name = if escaped {
        unescape(name)?
    } else {
        name.to_vec()
    };
    Some((hex.to_ascii_lowercase(), name))
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Verifies every line of the checksum list `list`.
fn check_list(ctx: &mut Ctx<'_>, algo: Algo, f: &Flags, list: &[u8]) -> Result<(), Error> {
    let lines = match read_list(ctx, list) {
        Ok(l) => l,
        Err(e) => {
            let subject = shown(list);
            ctx.warn(&subject, &e);
            return Ok(());
        }
    };
    let (mut good, mut bad, mut unread, mut improper, mut proper) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut one_space = None;
    for (idx, raw) in lines.iter().enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.first() == Some(&b'#') || line.iter().all(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        let Some((want, name)) = parse_line(line, algo, &mut one_space) else {
            improper += 1;
            if f.warn {
                let mut m = shown(list);
                m.extend_from_slice(
                    format!(
                        ": {}: improperly formatted {} checksum line",
                        idx + 1,
                        algo.tag()
                    )
                    .as_bytes(),
                );
                ctx.note(&m);
            }
            continue;
        };
        proper += 1;
        let result = digest(ctx, algo, &name);
        let verdict: &[u8] = match result {
            Err(e) if f.ignore_missing && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                unread += 1;
                let subject = quotef(&name);
                ctx.note(&crate::error::subject_reason(&subject, &e));
                b"FAILED open or read"
            }
            Ok(got) if got == want => {
                good += 1;
                if f.quiet || f.status {
                    continue;
                }
                b"OK"
            }
            Ok(_) => {
                bad += 1;
                b"FAILED"
            }
        };
        if f.status {
            continue;
        }
        let mut out = Vec::with_capacity(name.len() + 24);
        if name.contains(&b'\n') {
            out.push(b'\\');
            out.extend_from_slice(&escape(&name));
        } else {
            out.extend_from_slice(&name);
        }
        out.extend_from_slice(b": ");
        out.extend_from_slice(verdict);
        out.push(b'\n');
        ctx.stdout
            .write_all(&out)
            .map_err(|e| Error::io(b"write error", &e))?;
    }
    let mut failed = false;
    if proper == 0 {
        let mut m = shown(list);
        m.extend_from_slice(b": no properly formatted checksum lines found");
        ctx.warn_msg(&m);
        return Ok(());
    }
    if !f.status {
        if improper > 0 {
            let m = plural(improper, "line is", "lines are");
            ctx.note(format!("WARNING: {m} improperly formatted").as_bytes());
        }
        if unread > 0 {
            let m = plural(unread, "listed file", "listed files");
            ctx.note(format!("WARNING: {m} could not be read").as_bytes());
        }
        if bad > 0 {
            let m = plural(bad, "computed checksum", "computed checksums");
            ctx.note(format!("WARNING: {m} did NOT match").as_bytes());
        }
    }
    if f.ignore_missing && good + bad == 0 && unread == 0 {
        let mut m = shown(list);
        m.extend_from_slice(b": no file was verified");
        ctx.note(&m);
        failed = true;
    }
    if bad > 0 || unread > 0 || (f.strict && improper > 0) {
        failed = true;
    }
    if failed {
        ctx.status = 1;
    }
    Ok(())
}

/// Every line of the list (without its newline).
fn read_list(ctx: &mut Ctx<'_>, list: &[u8]) -> std::io::Result<Vec<Vec<u8>>> {
    let mut data = Vec::new();
    let r = each_chunk(&mut ctx.stdin, list, &mut |chunk| {
        data.extend_from_slice(chunk);
        Ok(())
    });
    match r {
        Ok(()) => {}
        Err(Fail::Read(e)) => return Err(e),
        Err(Fail::Fatal(e)) => return Err(std::io::Error::other(e.to_string())),
    }
    let mut src: &[u8] = &data;
    let mut rec = Records::new(&mut src, b'\n');
    let mut out = Vec::new();
    while let Some(r) = rec.next_record()? {
        out.push(crate::common::lines::chomp(r, b'\n').to_vec());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, run_bytes, temp_dir};

    #[test]
    fn known_vectors() {
        let cases = [
            ("md5sum", "", "d41d8cd98f00b204e9800998ecf8427e"),
            ("md5sum", "abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("sha1sum", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                "sha224sum",
                "abc",
                "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            ),
            (
                "sha256sum",
                "",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                "sha256sum",
                "abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                "sha384sum",
                "abc",
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
                 8086072ba1e7cc2358baeca134c825a7",
            ),
            (
                "sha512sum",
                "abc",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            ),
        ];
        for (applet, input, hex) in cases {
            let r = run(applet, &[], input.as_bytes());
            assert_eq!(r.out(), format!("{hex}  -\n"), "{applet} {input:?}");
        }
    }

    #[test]
    fn million_a() {
        let data = vec![b'a'; 1_000_000];
        let r = run("sha256sum", &[], &data);
        assert_eq!(
            r.out(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0  -\n"
        );
    }

    #[test]
    fn binary_tag_zero_and_escaped_names() {
        let dir = temp_dir("hashsum-names");
        let odd = dir.join("b\\c");
        std::fs::write(&odd, "x").unwrap();
        let nl = dir.join("n\nl");
        std::fs::write(&nl, "y").unwrap();
        let (o, n) = (odd.to_str().unwrap(), nl.to_str().unwrap());
        let r = run("md5sum", &[o, n], b"");
        let eo = o.replace('\\', "\\\\");
        let en = n.replace('\n', "\\n");
        assert_eq!(
            r.out(),
            format!(
                "\\9dd4e461268c8034f5c8564e155c67a6  {eo}\n\\415290769594460e2e485922904f345d  {en}\n"
            )
        );
        assert_eq!(
            run("md5sum", &["--tag", o], b"").out(),
            format!("\\MD5 ({eo}) = 9dd4e461268c8034f5c8564e155c67a6\n")
        );
        assert_eq!(
            run("md5sum", &["-z", o], b"").out(),
            format!("9dd4e461268c8034f5c8564e155c67a6  {o}\0")
        );
        assert_eq!(
            run("md5sum", &["-b"], b"abc").out(),
            "900150983cd24fb0d6963f7d28e17f72 *-\n"
        );
        // And they check back.
        let list = run("md5sum", &[o, n], b"").stdout;
        let r = run("md5sum", &["-c"], &list);
        assert_eq!(r.out(), format!("{o}: OK\n\\{en}: OK\n"));
        assert_eq!(r.status, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_counts_and_warnings() {
        let dir = temp_dir("hashsum-check");
        let a = dir.join("a");
        std::fs::write(&a, "abc").unwrap();
        let a = a.to_str().unwrap();
        let missing = dir.join("missing");
        let m = missing.to_str().unwrap();
        let list = format!(
            "900150983cd24fb0d6963f7d28e17f72  {a}\n\
             900150983CD24FB0D6963F7D28E17F72 *{a}\n\
             MD5 ({a}) = 900150983cd24fb0d6963f7d28e17f72\n\
             00000000000000000000000000000000  {a}\n\
             # comment\n\n\
             garbage\n\
             900150983cd24fb0d6963f7d28e17f72 {a}\n\
             00000000000000000000000000000000  {m}\n"
        );
        let r = run("md5sum", &["-c"], list.as_bytes());
        assert_eq!(
            r.out(),
            format!("{a}: OK\n{a}: OK\n{a}: OK\n{a}: FAILED\n{m}: FAILED open or read\n")
        );
        assert_eq!(
            r.err(),
            format!(
                "md5sum: {m}: No such file or directory\n\
                 md5sum: WARNING: 2 lines are improperly formatted\n\
                 md5sum: WARNING: 1 listed file could not be read\n\
                 md5sum: WARNING: 1 computed checksum did NOT match\n"
            )
        );
        assert_eq!(r.status, 1);
        let r = run("md5sum", &["-c", "--status"], list.as_bytes());
        assert_eq!((r.status, r.out()), (1, String::new()));
        assert_eq!(r.err(), format!("md5sum: {m}: No such file or directory\n"));
        let r = run("md5sum", &["-c", "--quiet", "-w"], list.as_bytes());
        assert!(
            r.err()
                .contains("md5sum: 'standard input': 7: improperly formatted MD5 checksum line\n")
        );
        let good = format!("900150983cd24fb0d6963f7d28e17f72  {a}\n");
        assert_eq!(run("md5sum", &["-c", "--quiet"], good.as_bytes()).out(), "");
        let r = run(
            "md5sum",
            &["-c", "--strict"],
            format!("{good}x\n").as_bytes(),
        );
        assert_eq!(r.status, 1);
        let r = run("md5sum", &["-c"], format!("{good}x\n").as_bytes());
        assert_eq!(r.status, 0);
        let r = run(
            "md5sum",
            &["-c", "--ignore-missing"],
            format!("{good}00000000000000000000000000000000  {m}\n").as_bytes(),
        );
        assert_eq!((r.status, r.out()), (0, format!("{a}: OK\n")));
        let r = run(
            "md5sum",
            &["-c", "--ignore-missing"],
            format!("00000000000000000000000000000000  {m}\n").as_bytes(),
        );
        assert_eq!(r.status, 1);
        assert_eq!(r.err(), "md5sum: 'standard input': no file was verified\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_proper_lines_and_errors() {
        let r = run("sha256sum", &["-c"], b"garbage\n");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "sha256sum: 'standard input': no properly formatted checksum lines found\n"
                    .to_string()
            )
        );
        let r = run("md5sum", &["/nonexistent/x", "-"], b"abc");
        assert_eq!(r.status, 1);
        assert_eq!(r.out(), "900150983cd24fb0d6963f7d28e17f72  -\n");
        assert_eq!(
            r.err(),
            "md5sum: /nonexistent/x: No such file or directory\n"
        );
        let r = run("md5sum", &["--tag", "-t"], b"");
        assert_eq!(r.status, 1);
        let r = run("md5sum", &["--quiet"], b"");
        assert_eq!(r.status, 1);
        let r = run_bytes("md5sum", &[b"-q".to_vec()], b"");
        assert!(r.err().starts_with("md5sum: invalid option -- 'q'\n"));
    }
}
