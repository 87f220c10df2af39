//! `base64`: encode or decode base64 (RFC 4648), as GNU coreutils does.

use super::{Fail, each_chunk, shown};
use crate::opts::parse_number;
use crate::prelude::*;

/// The `base64` applet.
pub const APPLET: Applet = Applet::new("base64", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-di] [-w COLS] [FILE]")
    .help(
        "Base64 encode or decode FILE (standard input for - or none) to standard output.\n\n\
         -d\tDecode\n\
         -i\tWhen decoding, ignore characters outside the alphabet\n\
         -w COLS\tWrap encoded lines after COLS characters (default 76, 0: never)",
    );

const LONGS: &[&str] = &["decode", "ignore-garbage", "wrap"];

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut decode, mut garbage, mut wrap) = (false, false, 76usize);
    let mut file: Option<Vec<u8>> = None;
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('d') | Arg::Long("decode") => decode = true,
            Arg::Short('i') | Arg::Long("ignore-garbage") => garbage = true,
            Arg::Short('w') | Arg::Long("wrap") => {
                let v = opts.value()?;
                wrap = parse_number(&v, "wrap size")?;
            }
            Arg::Value(v) if file.is_none() => file = Some(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let name = file.unwrap_or_else(|| b"-".to_vec());
    let out = &mut ctx.stdout;
    let result = if decode {
        let mut d = Decoder {
            quantum: [0; 4],
            len: 0,
            garbage,
            bad: false,
        };
        let mut buf = Vec::new();
        let r = each_chunk(&mut ctx.stdin, &name, &mut |chunk| {
            buf.clear();
            d.feed(chunk, &mut buf);
            out.write_all(&buf)
                .map_err(|e| Error::io(b"write error", &e))?;
            if d.bad {
                return Err(Error::msg("invalid input"));
            }
            Ok(())
        });
        if r.is_ok() {
            buf.clear();
            d.finish(&mut buf);
            out.write_all(&buf)
                .map_err(|e| Error::io(b"write error", &e))?;
            if d.bad {
                return Err(Error::msg("invalid input"));
            }
        }
        r
    } else {
        let mut e = Encoder {
            pending: Vec::new(),
            col: 0,
            wrap,
        };
        let mut buf = Vec::new();
        let r = each_chunk(&mut ctx.stdin, &name, &mut |chunk| {
            buf.clear();
            e.feed(chunk, &mut buf);
            out.write_all(&buf)
                .map_err(|e| Error::io(b"write error", &e))
        });
        if r.is_ok() {
            buf.clear();
            e.finish(&mut buf);
            out.write_all(&buf)
                .map_err(|e| Error::io(b"write error", &e))?;
        }
        r
    };
    match result {
        Ok(()) => Ok(()),
        Err(Fail::Read(e)) => Err(Error::io(&shown_plain(&name), &e)),
        Err(Fail::Fatal(e)) => Err(e),
    }
}

fn shown_plain(name: &[u8]) -> Vec<u8> {
    if name == b"-" {
        b"-".to_vec()
    } else {
        shown(name)
    }
}

struct Encoder {
    pending: Vec<u8>,
    col: usize,
    wrap: usize,
}

impl Encoder {
    fn put(&mut self, c: u8, out: &mut Vec<u8>) {
        if self.wrap > 0 && self.col == self.wrap {
            out.push(b'\n');
            self.col = 0;
        }
        out.push(c);
        self.col += 1;
    }

    fn group(&mut self, g: &[u8], out: &mut Vec<u8>) {
        let b0 = g.first().copied().unwrap_or(0);
        let b1 = g.get(1).copied().unwrap_or(0);
        let b2 = g.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let sym = |shift: u32| ALPHABET[((n >> shift) & 63) as usize];
        self.put(sym(18), out);
        self.put(sym(12), out);
        self.put(if g.len() > 1 { sym(6) } else { b'=' }, out);
        self.put(if g.len() > 2 { sym(0) } else { b'=' }, out);
    }

    fn feed(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        out.reserve(data.len() * 4 / 3 + data.len() / 64 + 8);
        while !self.pending.is_empty() && self.pending.len() < 3 {
            let Some((&b, rest)) = data.split_first() else {
                return;
            };
            self.pending.push(b);
            data = rest;
        }
        if self.pending.len() == 3 {
            let g = std::mem::take(&mut self.pending);
            self.group(&g, out);
        }
        let mut groups = data.chunks_exact(3);
        for g in &mut groups {
            self.group(g, out);
        }
        self.pending.extend_from_slice(groups.remainder());
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        if !self.pending.is_empty() {
            let g = std::mem::take(&mut self.pending);
            self.group(&g, out);
        }
        // GNU ends the last line with a newline, except with -w 0.
        if self.col > 0 && self.wrap > 0 {
            out.push(b'\n');
        }
    }
}

struct Decoder {
    quantum: [u8; 4],
    len: usize,
    garbage: bool,
    bad: bool,
}

fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

impl Decoder {
    fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) {
        for &c in data {
            if self.bad {
                return;
            }
            if c == b'\n' {
                continue;
            }
            if c != b'=' && value(c).is_none() {
                if self.garbage {
                    continue;
                }
                self.bad = true;
                return;
            }
            if let Some(slot) = self.quantum.get_mut(self.len) {
                *slot = c;
            }
            self.len += 1;
            if self.len == 4 {
                self.len = 0;
                self.emit(out);
            }
        }
    }

    /// Decodes one complete quantum; `=` only as its last one or two characters.
    fn emit(&mut self, out: &mut Vec<u8>) {
        let q = self.quantum;
        let pads = q.iter().rev().take_while(|&&c| c == b'=').count();
        let body = q.get(..4 - pads).unwrap_or_default();
        if pads > 2 || body.contains(&b'=') {
            self.bad = true;
            return;
        }
        self.decode_body(body, out);
    }

    fn decode_body(&mut self, body: &[u8], out: &mut Vec<u8>) {
        let mut n = 0u32;
        for (i, &c) in body.iter().enumerate() {
            n |= u32::from(value(c).unwrap_or(0)) << (18 - 6 * i as u32);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = match body.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(bytes.get(..keep).unwrap_or_default());
    }

    /// End of input: a partial quantum still decodes what it can, but is invalid.
    fn finish(&mut self, out: &mut Vec<u8>) {
        if self.bad || self.len == 0 {
            return;
        }
        let q = self.quantum;
        let part = q.get(..self.len).unwrap_or_default();
        if !part.contains(&b'=') && part.len() >= 2 {
            self.decode_body(part, out);
        }
        self.bad = true;
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn encodes_with_wrapping() {
        assert_eq!(
            run("base64", &[], b"hello world").out(),
            "aGVsbG8gd29ybGQ=\n"
        );
        assert_eq!(run("base64", &[], b"").out(), "");
        assert_eq!(run("base64", &[], b"a").out(), "YQ==\n");
        let r = run("base64", &["-w", "4"], b"abcdefgh");
        assert_eq!(r.out(), "YWJj\nZGVm\nZ2g=\n");
        let long = vec![0u8; 100];
        let r = run("base64", &[], &long);
        let first = r.out().lines().next().unwrap().len();
        assert_eq!(first, 76);
        assert_eq!(run("base64", &["-w0"], &long).out().lines().count(), 1);
        assert_eq!(run("base64", &["-w0"], b"a").out(), "YQ==");
    }

    #[test]
    fn decodes_and_rejects() {
        assert_eq!(
            run("base64", &["-d"], b"aGVsbG8=\nd29y\n").out(),
            "hellowor"
        );
        assert_eq!(run("base64", &["-d"], b"aGVsbG8=aGk=").out(), "hellohi");
        let r = run("base64", &["-d"], b"aGVs#bG8=");
        assert_eq!((r.status, r.out()), (1, "hel".to_string()));
        assert_eq!(r.err(), "base64: invalid input\n");
        let r = run("base64", &["-di"], b"aGVs#bG8=");
        assert_eq!((r.status, r.out()), (0, "hello".to_string()));
        let r = run("base64", &["-d"], b"aGVsbG8");
        assert_eq!((r.status, r.out()), (1, "hello".to_string()));
        let r = run("base64", &["-d"], b"a===");
        assert_eq!(r.status, 1);
        let r = run("base64", &["-w", "x"], b"");
        assert_eq!(r.err(), "base64: invalid wrap size: 'x'\n");
    }

    #[test]
    fn round_trips_random_data_at_every_width() {
        let mut seed = 0x1234_5678_u32;
        let mut data = Vec::new();
        for _ in 0..1000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            data.push(seed as u8);
        }
        for len in [0, 1, 2, 3, 4, 5, 97, 1000] {
            let d = &data[..len];
            for w in [0usize, 1, 2, 3, 4, 5, 7, 60, 76, 77, 200] {
                let ws = w.to_string();
                let enc = run("base64", &["-w", &ws], d).stdout;
                if w > 0 {
                    assert!(enc.split(|&b| b == b'\n').all(|l| l.len() <= w));
                }
                let dec = run("base64", &["-d"], &enc);
                assert_eq!(dec.stdout, d, "len {len} wrap {w}");
                assert_eq!(dec.status, 0);
            }
        }
    }
}
