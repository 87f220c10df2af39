//! `cksum`: the POSIX CRC-32 checksum and byte count of files.

use super::{Fail, each_chunk, shown};
use crate::prelude::*;

/// The `cksum` applet.
pub const APPLET: Applet = Applet::new("cksum", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-a crc] [FILE]...")
    .help(
        "Print the POSIX CRC checksum and byte count of each FILE (standard input for - or\n\
         none) as CRC SIZE NAME.\n\n\
         -a crc\tThe algorithm (only the POSIX CRC is built in)",
    );

const LONGS: &[&str] = &["algorithm"];

/// The CRC of POSIX cksum: polynomial 0x04C11DB7, most significant bit first.
const TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = (i as u32) << 24;
        let mut k = 0;
        while k < 8 {
            c = if c & 0x8000_0000 != 0 {
                (c << 1) ^ 0x04C1_1DB7
            } else {
                c << 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

fn step(crc: u32, b: u8) -> u32 {
    (crc << 8) ^ TABLE[usize::from((crc >> 24) as u8 ^ b)]
}

/// The CRC over `data` so far, continued from `crc`.
pub(crate) fn update(mut crc: u32, data: &[u8]) -> u32 {
    for &b in data {
        crc = step(crc, b);
    }
    crc
}

/// The final POSIX value: the length folded in (low byte first), then inverted.
pub(crate) fn finish(mut crc: u32, mut len: u64) -> u32 {
    while len > 0 {
        crc = step(crc, len as u8);
        len >>= 8;
    }
    !crc
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("algorithm") => {
                let v = opts.value()?;
                if v != b"crc" {
                    return Err(Error::usage(format!(
                        "invalid argument '{}' for '--algorithm' (only crc is built in)",
                        String::from_utf8_lossy(&v)
                    )));
                }
            }
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let operands = !files.is_empty();
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    for name in &files {
        let (mut crc, mut len) = (0u32, 0u64);
        let r = each_chunk(&mut ctx.stdin, name, &mut |chunk| {
            crc = update(crc, chunk);
            len += chunk.len() as u64;
            Ok(())
        });
        match r {
            Ok(()) => {}
            Err(Fail::Read(e)) => {
                ctx.warn(&shown(name), &e);
                continue;
            }
            Err(Fail::Fatal(e)) => return Err(e),
        }
        let mut line = format!("{} {}", finish(crc, len), len).into_bytes();
        // GNU names even `-` when it is given as an operand.
        if operands {
            line.push(b' ');
            line.extend_from_slice(name);
        }
        line.push(b'\n');
        ctx.stdout
            .write_all(&line)
            .map_err(|e| Error::io(b"write error", &e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    #[test]
    fn known_values() {
        assert_eq!(run("cksum", &[], b"").out(), "4294967295 0\n");
        assert_eq!(run("cksum", &[], b"abc").out(), "1219131554 3\n");
        assert_eq!(run("cksum", &["-"], b"abc").out(), "1219131554 3 -\n");
        let big = vec![b'a'; 1_000_000];
        let r = run("cksum", &[], &big);
        assert_eq!(r.out(), "3401932319 1000000\n");
    }

    #[test]
    fn files_and_errors() {
        let dir = temp_dir("cksum");
        let a = dir.join("a");
        std::fs::write(&a, b"abc").unwrap();
        let a = a.to_str().unwrap();
        let r = run("cksum", &[a, "/nonexistent/x"], b"");
        assert_eq!(r.out(), format!("1219131554 3 {a}\n"));
        assert_eq!(
            r.err(),
            "cksum: /nonexistent/x: No such file or directory\n"
        );
        assert_eq!(r.status, 1);
        assert_eq!(run("cksum", &["-a", "sha1"], b"").status, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
