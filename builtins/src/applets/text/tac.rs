//! `tac`: print files with their records in reverse order.

use super::util::{default_stdin, warn_quoted};
use crate::common::lines::{open, read_all};
use crate::prelude::*;

/// The `tac` applet.
pub const APPLET: Applet = Applet::new("tac", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-b] [-s SEP] [FILE]...")
    .help(
        "Print FILEs (standard input for - or none) last line first.\n\n\
         -b\tThe separator comes before its record, not after\n\
         -s SEP\tRecords are separated by the string SEP, not newline",
    );

const LONGS: &[&str] = &["before", "separator", "regex"];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut before = false;
    let mut sep = b"\n".to_vec();
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('b') | Arg::Long("before") => before = true,
            Arg::Short('s') | Arg::Long("separator") => {
                sep = opts.value()?;
                if sep.is_empty() {
                    return Err(Error::msg("separator cannot be empty"));
                }
            }
            Arg::Short('r') | Arg::Long("regex") => {
                return Err(Error::msg(
                    "-r (regular expression separators) is not supported",
                ));
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    default_stdin(&mut files);
    let mut data = Vec::new();
    for name in &files {
        data.clear();
        let r = if name == b"-" {
            read_all(&mut ctx.stdin, &mut data)
        } else {
            match open(name) {
                Ok(mut f) => read_all(&mut f, &mut data),
                Err(e) => {
                    warn_quoted(ctx, "failed to open ", name, " for reading", &e);
                    continue;
                }
            }
        };
        if let Err(e) = r {
            warn_quoted(ctx, "failed to read ", name, "", &e);
            continue;
        }
        emit(&mut ctx.stdout, &data, &sep, before)?;
    }
    Ok(())
}

/// Writes the records of `data` last first.
fn emit(out: &mut dyn Write, data: &[u8], sep: &[u8], before: bool) -> Result<(), Error> {
    // Record boundaries: the start of each separator.
    let finder = memchr::memmem::Finder::new(sep);
    let starts: Vec<usize> = finder.find_iter(data).collect();
    let mut end = data.len();
    if before {
        // Records begin with their separator: [sep_i, sep_{i+1}).
        for &s in starts.iter().rev() {
            out.write_all(data.get(s..end).unwrap_or_default())?;
            end = s;
        }
        out.write_all(data.get(..end).unwrap_or_default())?;
    } else {
        // Records end with their separator: (sep_{i-1}, sep_i].
        let mut stops: Vec<usize> = starts.iter().map(|s| s + sep.len()).collect();
        if stops.last() != Some(&data.len()) {
            // A last record without separator is printed first, as it is.
            stops.push(data.len());
        }
        end = data.len();
        for i in (0..stops.len()).rev() {
            let begin = if i == 0 { 0 } else { stops[i - 1] };
            out.write_all(data.get(begin..end).unwrap_or_default())?;
            end = begin;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn reverses_records() {
        assert_eq!(run("tac", &[], b"a\nb\nc\n").out(), "c\nb\na\n");
        assert_eq!(run("tac", &[], b"a\nb").out(), "ba\n");
        assert_eq!(run("tac", &[], b"").out(), "");
        assert_eq!(run("tac", &["-s", "::"], b"a::b::").out(), "b::a::");
        assert_eq!(run("tac", &["-b"], b"\na\nb").out(), "\nb\na");
        assert_eq!(run("tac", &["-s", ","], b"1,2,3").out(), "32,1,");
        let r = run("tac", &["/nonexistent/x"], b"");
        assert_eq!(
            r.err(),
            "tac: failed to open '/nonexistent/x' for reading: No such file or directory\n"
        );
    }
}
