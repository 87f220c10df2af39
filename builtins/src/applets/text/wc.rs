//! `wc`: count lines, words, characters and bytes.

use std::os::unix::ffi::OsStrExt;

use crate::common::lines::{BUF_SIZE, open};
use crate::prelude::*;

/// The `wc` applet.
pub const APPLET: Applet = Applet::new("wc", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-lwcmL] [FILE]...")
    .help(
        "Count lines, words and bytes of each FILE (standard input for - or none).\n\n\
         -l\tNewlines\n\
         -w\tWords (runs of non-blank characters)\n\
         -c\tBytes\n\
         -m\tCharacters (UTF-8 in a UTF-8 locale, else bytes)\n\
         -L\tLength of the longest line\n\
         --total=WHEN\tPrint the total line: auto, always, only, never",
    );

const LONGS: &[&str] = &[
    "lines",
    "words",
    "bytes",
    "chars",
    "max-line-length",
    "total",
];

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
    max_len: u64,
}

#[derive(Clone, Copy, Default)]
struct Which {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    max_len: bool,
}

/// The counting state carried across buffers.
struct Counter {
    c: Counts,
    in_word: bool,
    col: u64,
    utf8: bool,
}

/// Whitespace as the C locale's isspace sees it.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

impl Counter {
    fn feed(&mut self, buf: &[u8], w: Which) {
        self.c.bytes += buf.len() as u64;
        if !(w.words || w.chars || w.max_len) {
            if w.lines {
                self.c.lines += memchr::memchr_iter(b'\n', buf).count() as u64;
            }
            return;
        }
        if w.chars {
            self.c.chars += if self.utf8 {
                buf.iter().filter(|&&b| (b as i8) >= -0x40).count() as u64
            } else {
                buf.len() as u64
            };
        }
        if !(w.words || w.max_len) {
            self.c.lines += memchr::memchr_iter(b'\n', buf).count() as u64;
            return;
        }
        for &b in buf {
            if is_space(b) {
                if self.in_word {
                    self.c.words += 1;
                    self.in_word = false;
                }
                match b {
                    b'\n' | b'\r' | 0x0c => {
                        if b == b'\n' {
                            self.c.lines += 1;
                        }
                        self.c.max_len = self.c.max_len.max(self.col);
                        self.col = 0;
                    }
                    b'\t' => self.col = (self.col / 8 + 1) * 8,
                    b' ' => self.col += 1,
                    _ => {}
                }
            } else if (0x21..0x7f).contains(&b) || (self.utf8 && b >= 0x80) {
                // Only printable characters make words (GNU in the C locale); other bytes
                // neither start nor end one.
                self.in_word = true;
                if !(0x80..0xc0).contains(&b) {
                    self.col += 1;
                }
            }
        }
    }

    fn end(mut self) -> Counts {
        if self.in_word {
            self.c.words += 1;
        }
        self.c.max_len = self.c.max_len.max(self.col);
        self.c
    }
}

fn utf8_locale(ctx: &Ctx<'_>) -> bool {
    let v = [&b"LC_ALL"[..], b"LC_CTYPE", b"LANG"]
        .iter()
        .filter_map(|k| ctx.env.get(k))
        .find(|v| !v.is_empty());
    v.is_some_and(|v| {
        let l = v.to_ascii_lowercase();
        l.windows(5).any(|w| w == b"utf-8") || l.windows(4).any(|w| w == b"utf8")
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Total {
    Auto,
    Always,
    Only,
    Never,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut w = Which::default();
    let mut total = Total::Auto;
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('l') | Arg::Long("lines") => w.lines = true,
            Arg::Short('w') | Arg::Long("words") => w.words = true,
            Arg::Short('c') | Arg::Long("bytes") => w.bytes = true,
            Arg::Short('m') | Arg::Long("chars") => w.chars = true,
            Arg::Short('L') | Arg::Long("max-line-length") => w.max_len = true,
            Arg::Long("total") => {
                let v = opts.value()?;
                total = match &v[..] {
                    b"auto" => Total::Auto,
                    b"always" => Total::Always,
                    b"only" => Total::Only,
                    b"never" => Total::Never,
                    _ => {
                        return Err(Error::usage(format!(
                            "invalid argument '{}' for '--total'",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                }
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if !(w.lines || w.words || w.chars || w.bytes || w.max_len) {
        (w.lines, w.words, w.bytes) = (true, true, true);
    }
    let utf8 = utf8_locale(ctx);
    let no_operands = files.is_empty();
    if no_operands {
        files.push(b"-".to_vec());
    }
    let shown = [w.lines, w.words, w.chars, w.bytes, w.max_len]
        .iter()
        .filter(|&&x| x)
        .count();
    // GNU's width: digits of the total size of regular files, at least 7 when any input
    // is not a regular file; 1 for a single count of a single input.
    let width = if shown == 1 && files.len() == 1 {
        1
    } else {
        let mut min = 1;
        let mut size_total: u64 = 0;
        for name in &files {
            let meta = if name == b"-" {
                match ctx.stdin.raw_fd() {
                    // Without unsafe there is no fstat on a raw fd: ask /proc, and count
                    // stdin as not regular when /proc is missing.
                    Some(fd) => std::fs::metadata(format!("/proc/self/fd/{fd}"))
                        .ok()
                        .map(|m| (m.is_file(), m.len()))
                        .or(Some((false, 0))),
                    None => Some((false, 0)),
                }
            } else {
                std::fs::metadata(std::ffi::OsStr::from_bytes(name))
                    .ok()
                    .map(|m| (m.is_file(), m.len()))
            };
            match meta {
                Some((true, size)) => size_total = size_total.saturating_add(size),
                Some((false, _)) => min = 7,
                None => {}
            }
        }
        (size_total.to_string().len()).max(min)
    };
    let mut sum = Counts::default();
    let mut buf = vec![0u8; BUF_SIZE];
    for name in &files {
        let mut counter = Counter {
            c: Counts::default(),
            in_word: false,
            col: 0,
            utf8,
        };
        let result = if name == b"-" {
            count_from(&mut ctx.stdin, &mut buf, &mut counter, w)
        } else {
            match open(name) {
                Ok(mut f) => count_from(&mut f, &mut buf, &mut counter, w),
                Err(e) => {
                    ctx.warn(name, &e);
                    continue;
                }
            }
        };
        if let Err(e) = result {
            ctx.warn(name, &e);
        }
        let c = counter.end();
        sum.lines += c.lines;
        sum.words += c.words;
        sum.chars += c.chars;
        sum.bytes += c.bytes;
        sum.max_len = sum.max_len.max(c.max_len);
        if total != Total::Only {
            let label: &[u8] = if no_operands { b"" } else { name };
            print_counts(&mut ctx.stdout, c, w, width, label)?;
        }
    }
    let print_total = match total {
        Total::Auto => files.len() > 1,
        Total::Always => true,
        Total::Only => {
            let width = if shown == 1 { 1 } else { width };
            print_counts(&mut ctx.stdout, sum, w, width, b"")?;
            false
        }
        Total::Never => false,
    };
    if print_total {
        print_counts(&mut ctx.stdout, sum, w, width, b"total")?;
    }
    Ok(())
}

fn count_from(
    src: &mut dyn Read,
    buf: &mut [u8],
    counter: &mut Counter,
    w: Which,
) -> std::io::Result<()> {
    loop {
        let n = match src.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        counter.feed(buf.get(..n).unwrap_or_default(), w);
    }
}

fn print_counts(
    out: &mut dyn Write,
    c: Counts,
    w: Which,
    width: usize,
    label: &[u8],
) -> Result<(), Error> {
    let mut line = String::new();
    let fields = [
        (w.lines, c.lines),
        (w.words, c.words),
        (w.chars, c.chars),
        (w.bytes, c.bytes),
        (w.max_len, c.max_len),
    ];
    for (on, n) in fields {
        if on {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&format!("{n:>width$}"));
        }
    }
    let mut bytes = line.into_bytes();
    if !label.is_empty() {
        bytes.push(b' ');
        bytes.extend_from_slice(label);
    }
    bytes.push(b'\n');
    out.write_all(&bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn counts_stdin_with_width_seven() {
        assert_eq!(
            run("wc", &[], b"a b\nccc\n").out(),
            "      2       3       8\n"
        );
        assert_eq!(run("wc", &["-l"], b"a b\nccc\n").out(), "2\n");
        assert_eq!(run("wc", &["-w"], b" a  b\tc\n").out(), "3\n");
        assert_eq!(run("wc", &["-c"], b"abc").out(), "3\n");
        assert_eq!(run("wc", &["-l"], b"no newline").out(), "0\n");
        assert_eq!(run("wc", &[], b"").out(), "      0       0       0\n");
    }

    #[test]
    fn chars_and_longest_line() {
        assert_eq!(run("wc", &["-m"], "é\n".as_bytes()).out(), "3\n");
        assert_eq!(run("wc", &["-L"], b"a\tb\nxy\n").out(), "9\n");
        assert_eq!(run("wc", &["-L"], b"abc").out(), "3\n");
        assert_eq!(run("wc", &["-w"], b"a\0b c\xff\n").out(), "2\n");
    }

    #[test]
    fn files_and_totals() {
        let dir = temp_dir("wc-files");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, "a b\nccc\n").unwrap();
        std::fs::write(&b, "x\n").unwrap();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        assert_eq!(
            run("wc", &[a, b], b"").out(),
            format!(" 2  3  8 {a}\n 1  1  2 {b}\n 3  4 10 total\n")
        );
        assert_eq!(run("wc", &["-l", a], b"").out(), format!("2 {a}\n"));
        assert_eq!(run("wc", &["--total=only", "-l", a, b], b"").out(), "3\n");
        assert_eq!(
            run("wc", &["--total=never", "-c", a, b], b"").out(),
            format!(" 8 {a}\n 2 {b}\n")
        );
        let r = run("wc", &["-c", a, "/nonexistent/q"], b"");
        assert_eq!(r.status, 1);
        assert_eq!(r.err(), "wc: /nonexistent/q: No such file or directory\n");
        assert_eq!(r.out(), format!("8 {a}\n8 total\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn long_lines() {
        let mut data = vec![b'x'; 300_000];
        data.push(b'\n');
        assert_eq!(run("wc", &["-L"], &data).out(), "300000\n");
        assert_eq!(run("wc", &["-lw"], &data).out(), "      1       1\n");
    }
}
