//! `nl`: number the lines of files.

use super::util::{Fail, OpenFail, default_stdin, each_operand, put};
use crate::common::lines::{Records, chomp};
use crate::prelude::*;

/// The `nl` applet.
pub const APPLET: Applet = Applet::new("nl", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-b STYLE] [-h STYLE] [-f STYLE] [-n ln|rn|rz] [-w N] [-s SEP] [-v N] [-i N] [-l N] [-d CC] [-p] [FILE]...")
    .help(
        "Print FILEs (standard input for - or none) with line numbers.\n\n\
         -b STYLE\tWhich body lines to number: a (all), t (non-empty, default), n (none)\n\
         -h STYLE\tThe same for header lines (default n)\n\
         -f STYLE\tThe same for footer lines (default n)\n\
         -n FMT\tln (left), rn (right, default), rz (right, zero-padded)\n\
         -w N\tNumber width (default 6)\n\
         -s SEP\tText after the number (default tab)\n\
         -v N\tFirst number (default 1)\n\
         -i N\tIncrement (default 1)\n\
         -l N\tCount N empty lines in a row as one for -b a\n\
         -d CC\tSection delimiter characters (default \\:)\n\
         -p\tDo not restart numbering at each page",
    );

const LONGS: &[&str] = &[
    "body-numbering",
    "header-numbering",
    "footer-numbering",
    "number-format",
    "number-width",
    "number-separator",
    "starting-line-number",
    "line-increment",
    "join-blank-lines",
    "section-delimiter",
    "no-renumber",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    All,
    NonEmpty,
    None,
}

fn style(v: &[u8], what: &str) -> Result<Style, Error> {
    match v {
        b"a" => Ok(Style::All),
        b"t" => Ok(Style::NonEmpty),
        b"n" => Ok(Style::None),
        _ => Err(Error::usage(format!(
            "invalid {what} numbering style: '{}'",
            String::from_utf8_lossy(v)
        ))),
    }
}

fn int(v: &[u8], what: &str) -> Result<i64, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::msg(format!("invalid {what}: '{}'", String::from_utf8_lossy(v))))
}

struct Cfg {
    styles: [Style; 3],
    format: u8,
    width: usize,
    sep: Vec<u8>,
    start: i64,
    incr: i64,
    join: i64,
    delim: [u8; 2],
    renumber: bool,
}

struct State {
    n: i64,
    section: usize,
    blanks: i64,
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut cfg = Cfg {
        styles: [Style::None, Style::NonEmpty, Style::None],
        format: b'r',
        width: 6,
        sep: b"\t".to_vec(),
        start: 1,
        incr: 1,
        join: 1,
        delim: [b'\\', b':'],
        renumber: true,
    };
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') | Arg::Long("body-numbering") => {
                cfg.styles[1] = style(&opts.value()?, "body")?
            }
            Arg::Short('h') | Arg::Long("header-numbering") => {
                cfg.styles[0] = style(&opts.value()?, "header")?
            }
            Arg::Short('f') | Arg::Long("footer-numbering") => {
                cfg.styles[2] = style(&opts.value()?, "footer")?
            }
            Arg::Short('n') | Arg::Long("number-format") => {
                let v = opts.value()?;
                cfg.format = match &v[..] {
                    b"ln" => b'l',
                    b"rn" => b'r',
                    b"rz" => b'z',
                    _ => {
                        return Err(Error::usage(format!(
                            "invalid line numbering format: '{}'",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                };
            }
            Arg::Short('w') | Arg::Long("number-width") => {
                let v = opts.value()?;
                cfg.width = usize::try_from(int(&v, "line number field width")?)
                    .ok()
                    .filter(|&w| w > 0)
                    .ok_or_else(|| {
                        Error::msg(format!(
                            "invalid line number field width: '{}'",
                            String::from_utf8_lossy(&v)
                        ))
                    })?;
            }
            Arg::Short('s') | Arg::Long("number-separator") => cfg.sep = opts.value()?,
            Arg::Short('v') | Arg::Long("starting-line-number") => {
                cfg.start = int(&opts.value()?, "starting line number")?
            }
            Arg::Short('i') | Arg::Long("line-increment") => {
                cfg.incr = int(&opts.value()?, "line number increment")?
            }
            Arg::Short('l') | Arg::Long("join-blank-lines") => {
                cfg.join = int(&opts.value()?, "line number of blank lines")?.max(1)
            }
            Arg::Short('d') | Arg::Long("section-delimiter") => {
                let v = opts.value()?;
                match v.as_slice() {
                    [a] => cfg.delim = [*a, b':'],
                    [a, b, ..] => cfg.delim = [*a, *b],
                    [] => {}
                }
            }
            Arg::Short('p') | Arg::Long("no-renumber") => cfg.renumber = false,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    let mut st = State {
        n: cfg.start,
        section: 1,
        blanks: 0,
    };
    let mut buf = Vec::new();
    each_operand(ctx, &files, OpenFail::Plain, |src, out| {
        nl_one(src, out, &cfg, &mut st, &mut buf)
    })
}

/// Which section a delimiter line starts (0 header, 1 body, 2 footer), if it is one.
fn section_of(line: &[u8], d: [u8; 2]) -> Option<usize> {
    let n = line.len();
    if n == 0 || !n.is_multiple_of(2) || n > 6 {
        return None;
    }
    if !line.chunks(2).all(|c| c == d) {
        return None;
    }
    Some(match n / 2 {
        3 => 0,
        2 => 1,
        _ => 2,
    })
}

fn nl_one(
    src: &mut dyn BufRead,
    out: &mut dyn Write,
    cfg: &Cfg,
    st: &mut State,
    buf: &mut Vec<u8>,
) -> Result<(), Fail> {
    let mut recs = Records::new(src, b'\n');
    while let Some(rec) = recs.next_record().map_err(Fail::Read)? {
        let line = chomp(rec, b'\n');
        if let Some(sec) = section_of(line, cfg.delim) {
            st.section = sec;
            if cfg.renumber {
                st.n = cfg.start;
            }
            put(out, b"\n")?;
            continue;
        }
        let number = match cfg.styles[st.section] {
            Style::All => {
                if line.is_empty() {
                    st.blanks += 1;
                    if st.blanks >= cfg.join {
                        st.blanks = 0;
                        true
                    } else {
                        false
                    }
                } else {
                    st.blanks = 0;
                    true
                }
            }
            Style::NonEmpty => !line.is_empty(),
            Style::None => false,
        };
        buf.clear();
        if number {
            let w = cfg.width;
            let s = match cfg.format {
                b'l' => format!("{:<w$}", st.n),
                b'z' if st.n < 0 => format!("-{:0>w$}", -st.n, w = w.saturating_sub(1)),
                b'z' => format!("{:0>w$}", st.n),
                _ => format!("{:>w$}", st.n),
            };
            buf.extend_from_slice(s.as_bytes());
            buf.extend_from_slice(&cfg.sep);
            st.n = st.n.wrapping_add(cfg.incr);
        } else {
            buf.resize(cfg.width + cfg.sep.len(), b' ');
        }
        buf.extend_from_slice(rec);
        put(out, buf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn numbers() {
        assert_eq!(
            run("nl", &[], b"a\n\nb\n").out(),
            "     1\ta\n       \n     2\tb\n"
        );
        assert_eq!(
            run("nl", &["-b", "a"], b"a\n\nb").out(),
            "     1\ta\n     2\t\n     3\tb"
        );
        assert_eq!(
            run("nl", &["-n", "ln", "-w", "3", "-s", ":"], b"a\n").out(),
            "1  :a\n"
        );
        assert_eq!(
            run("nl", &["-n", "rz", "-w", "3"], b"a\n").out(),
            "001\ta\n"
        );
        assert_eq!(
            run("nl", &["-v", "10", "-i", "5"], b"a\nb\n").out(),
            "    10\ta\n    15\tb\n"
        );
        assert_eq!(run("nl", &["-b", "n"], b"a\n").out(), "       a\n");
        assert_eq!(
            run("nl", &["-ba", "-l", "2"], b"\n\n\n").out(),
            "       \n     1\t\n       \n"
        );
    }

    #[test]
    fn sections() {
        assert_eq!(
            run("nl", &[], b"a\n\\:\\:\\:\nh\n\\:\\:\nb\n\\:\nf\n").out(),
            "     1\ta\n\n       h\n\n     1\tb\n\n       f\n"
        );
        assert_eq!(
            run("nl", &["-p"], b"a\n\\:\\:\\:\n\\:\\:\nb\n").out(),
            "     1\ta\n\n\n     2\tb\n"
        );
        assert_eq!(
            run("nl", &[], b"a\n\\:\\:\nb\n").out(),
            "     1\ta\n\n     1\tb\n"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(run("nl", &["-b", "x"], b"").status, 1);
        assert_eq!(run("nl", &["-n", "xx"], b"").status, 1);
        let r = run("nl", &["/nonexistent/x"], b"");
        assert_eq!(r.err(), "nl: /nonexistent/x: No such file or directory\n");
    }
}
