//! `paste`: join corresponding lines of files, or the lines of each file.

use crate::common::lines::{BUF_SIZE, LineInput};
use crate::prelude::*;

/// The `paste` applet.
pub const APPLET: Applet = Applet::new("paste", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-sz] [-d LIST] [FILE]...")
    .help(
        "Join line N of every FILE (standard input for -) with tabs, for each N.\n\n\
         -d LIST\tUse the bytes of LIST in turn instead of tab (\\n \\t \\\\ \\0=none)\n\
         -s\tJoin all lines of each file into one line instead\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &["delimiters", "serial", "zero-terminated"];

/// The delimiter list: each entry is one byte or nothing (`\0`).
fn parse_delims(v: &[u8]) -> Vec<Option<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let c = v[i];
        i += 1;
        if c == b'\\' && i < v.len() {
            let e = v[i];
            i += 1;
            out.push(match e {
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'\\' => Some(b'\\'),
                b'0' => None,
                b'b' => Some(8),
                b'f' => Some(12),
                b'r' => Some(b'\r'),
                b'v' => Some(11),
                other => Some(other),
            });
        } else {
            out.push(Some(c));
        }
    }
    out
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut delims = vec![Some(b'\t')];
    let mut serial = false;
    let mut term = b'\n';
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('d') | Arg::Long("delimiters") => delims = parse_delims(&opts.value()?),
            Arg::Short('s') | Arg::Long("serial") => serial = true,
            Arg::Short('z') | Arg::Long("zero-terminated") => term = 0,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    if delims.is_empty() {
        delims.push(None);
    }
    let mut inputs = Vec::with_capacity(files.len());
    for name in &files {
        inputs.push(LineInput::open(name).map_err(|e| Error::io(name, &e))?);
    }
    let mut line = Vec::new();
    let mut out = Vec::new();
    if serial {
        for (k, input) in inputs.iter_mut().enumerate() {
            out.clear();
            let mut n = 0usize;
            while input
                .read_line(&mut ctx.stdin, &mut line, term)
                .map_err(|e| Error::io(&files[k], &e))?
            {
                if n > 0
                    && let Some(Some(d)) = delims.get((n - 1) % delims.len())
                {
                    out.push(*d);
                }
                out.extend_from_slice(&line);
                n += 1;
                if out.len() > BUF_SIZE {
                    ctx.stdout.write_all(&out)?;
                    out.clear();
                }
            }
            out.push(term);
            ctx.stdout.write_all(&out)?;
        }
        return Ok(());
    }
    loop {
        out.clear();
        let mut any = false;
        for k in 0..inputs.len() {
            if k > 0
                && let Some(Some(d)) = delims.get((k - 1) % delims.len())
            {
                out.push(*d);
            }
            let input = &mut inputs[k];
            if input
                .read_line(&mut ctx.stdin, &mut line, term)
                .map_err(|e| Error::io(&files[k], &e))?
            {
                any = true;
                out.extend_from_slice(&line);
            }
        }
        if !any {
            return Ok(());
        }
        out.push(term);
        ctx.stdout.write_all(&out)?;
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn parallel_and_serial() {
        let dir = temp_dir("paste");
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::write(&a, "1\n2\n3\n").unwrap();
        std::fs::write(&b, "x\ny").unwrap();
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        assert_eq!(run("paste", &[a, b], b"").out(), "1\tx\n2\ty\n3\t\n");
        assert_eq!(
            run("paste", &["-d", ":,", a, b, a], b"").out(),
            "1:x,1\n2:y,2\n3:,3\n"
        );
        assert_eq!(run("paste", &["-s", a, b], b"").out(), "1\t2\t3\nx\ty\n");
        assert_eq!(run("paste", &["-s", "-d", "\\0", a], b"").out(), "123\n");
        assert_eq!(run("paste", &["-", "-"], b"1\n2\n3\n").out(), "1\t2\n3\t\n");
        assert_eq!(
            run("paste", &["-d", "\\n", a, b], b"").out(),
            "1\nx\n2\ny\n3\n\n"
        );
        let r = run("paste", &["/nonexistent/x"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "paste: /nonexistent/x: No such file or directory\n".into()
            )
        );
        assert_eq!(run("paste", &[], b"").out(), "");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
