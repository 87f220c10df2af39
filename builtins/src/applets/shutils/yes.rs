//! `yes [STRING]...`: print the STRINGs (or `y`) on a line, over and over, fast: the line
//! is repeated into one large buffer once, and that buffer is written until the reader
//! goes away (SIGPIPE in a fork, a write error in-process) or an interrupt arrives.

use crate::prelude::*;

/// The `yes` applet.
pub const APPLET: Applet = Applet::new("yes", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[STRING]...")
    .help("Repeatedly print a line with the STRINGs (default: y) until killed.");

/// The size of the block written each time.
const BLOCK: usize = 64 * 1024;

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut words = Vec::new();
    let mut opts = ctx.opts(&[]);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Value(v) => words.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let mut line = if words.is_empty() {
        b"y".to_vec()
    } else {
        words.join(&b' ')
    };
    line.push(b'\n');
    let mut block = Vec::with_capacity(BLOCK + line.len());
    while block.len() + line.len() <= BLOCK || block.is_empty() {
        block.extend_from_slice(&line);
    }
    ctx.stdout.flush()?;
    loop {
        if ctx.interrupted() {
            return Err(Error::silent(130));
        }
        ctx.stdout.write_all(&block)?;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::io;

    use crate::ctx::{Ctx, EnvList, Input, Output, Spawn};
    use crate::registry;

    struct NoSpawn;

    impl Spawn for NoSpawn {
        fn run(&self, _: &[Vec<u8>], _: &[(Vec<u8>, Vec<u8>)]) -> io::Result<u8> {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
    }

    /// Runs yes until its third interrupt poll: (status, stdout).
    fn yes(args: &[&str]) -> (u8, Vec<u8>, Vec<u8>) {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        let polls = Cell::new(0);
        let intr = || {
            polls.set(polls.get() + 1);
            polls.get() > 2
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let env = EnvList::default();
        let status = {
            let mut ctx = Ctx {
                applet: registry::find(b"yes").unwrap(),
                args: &args,
                stdin: Input::mem(b""),
                stdout: Output::mem(&mut out),
                stderr: Output::mem(&mut err),
                env: &env,
                spawn: &NoSpawn,
                intr: &intr,
                status: 0,
            };
            crate::run::run(&mut ctx)
        };
        (status, out, err)
    }

    #[test]
    fn repeats_y_in_whole_lines() {
        let (status, out, _) = yes(&[]);
        assert_eq!(status, 130);
        assert_eq!(out.len(), 2 * 64 * 1024);
        assert!(out.chunks(2).all(|c| c == b"y\n"));
    }

    #[test]
    fn joins_its_arguments() {
        let (_, out, _) = yes(&["a", "b c"]);
        assert!(out.starts_with(b"a b c\na b c\n"));
        assert_eq!(out.len() % 6, 0);
        let (_, out, _) = yes(&["--", "-n"]);
        assert!(out.starts_with(b"-n\n-n\n"));
        let (_, out, _) = yes(&[""]);
        assert!(out.iter().all(|&b| b == b'\n'));
        let long = "x".repeat(100_000);
        let (_, out, _) = yes(&[&long]);
        assert_eq!(out.len(), 2 * 100_001);
    }

    #[test]
    fn rejects_options() {
        let r = crate::testing::run("yes", &["-x"], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().starts_with("yes: invalid option -- 'x'\n"));
    }
}
