//! `xxd`: a hex dump and its reverse, in the formats of vim's xxd.

use std::fs::File;

use super::{CHUNK, Fail, each_chunk, shown};
use crate::opts::parse_number;
use crate::prelude::*;

/// The `xxd` applet.
pub const APPLET: Applet = Applet::new("xxd", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-abeipru] [-c COLS] [-g BYTES] [-l LEN] [-o OFF] [-s SEEK] [INFILE [OUTFILE]]")
    .help(
        "Hex dump INFILE (standard input for - or none), or with -r turn a dump back into\n\
         bytes.\n\n\
         -a\tShow a run of all-zero lines as *\n\
         -b\tBits instead of hex (6 bytes a line)\n\
         -c COLS\tBytes per line (default 16, -p 30, -i 12, -b 6); with -r, at most\n\
         \tCOLS bytes are read from each line\n\
         -e\tLittle-endian: each group's bytes in reverse order (groups of 4)\n\
         -g BYTES\tBytes per group (default 2, -b 1; 0: one group)\n\
         -i\tC include file style\n\
         -l LEN\tStop after LEN bytes\n\
         -o OFF\tAdd OFF to the offsets shown\n\
         -p\tPlain hex, no offsets or text\n\
         -r\tReverse: read a dump (with -p, plain hex) and write the bytes\n\
         -s SEEK\tStart at byte SEEK\n\
         -u\tUpper case hex digits",
    );

const LONGS: &[&str] = &[];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Normal,
    Plain,
    Include,
    Bits,
}

struct Dump {
    style: Style,
    cols: usize,
    group: usize,
    upper: bool,
    autoskip: bool,
    /// `-e`: groups shown little-endian.
    little: bool,
    offset: u64,
    line: Vec<u8>,
    /// The last line was all zeros (for -a), and whether one is held back for the end.
    prev_zero: bool,
    held: Option<(u64, Vec<u8>)>,
    /// Bytes written so far in -i style (for the commas and the length line).
    count: u64,
}

impl Dump {
    fn hex(&self, b: u8, out: &mut Vec<u8>) {
        let digits: &[u8; 16] = if self.upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        out.push(digits[usize::from(b >> 4)]);
        out.push(digits[usize::from(b & 15)]);
    }

    fn feed(&mut self, data: &[u8], out: &mut Vec<u8>) {
        for &b in data {
            self.line.push(b);
            if self.line.len() == self.cols {
                self.flush_line(out);
            }
        }
    }

    fn flush_line(&mut self, out: &mut Vec<u8>) {
        if self.line.is_empty() {
            return;
        }
        let line = std::mem::take(&mut self.line);
        match self.style {
            Style::Plain => {
                for &b in &line {
                    self.hex(b, out);
                }
                out.push(b'\n');
            }
            Style::Include => {
                for &b in &line {
                    if self.count > 0 {
                        out.extend_from_slice(if self.count.is_multiple_of(self.cols as u64) {
                            b",\n"
                        } else {
                            b", "
                        });
                    }
                    if self.count.is_multiple_of(self.cols as u64) {
                        out.extend_from_slice(b"  ");
                    }
                    out.extend_from_slice(b"0x");
                    self.hex(b, out);
                    self.count += 1;
                }
            }
            Style::Normal | Style::Bits => {
                let zero = line.iter().all(|&b| b == 0) && line.len() == self.cols;
                if self.autoskip && zero && self.prev_zero {
                    if self.held.is_none() {
                        out.extend_from_slice(b"*\n");
                    }
                    self.held = Some((self.offset, line.clone()));
                } else {
                    self.held = None;
                    self.normal_line(self.offset, &line, out);
                }
                self.prev_zero = zero;
            }
        }
        self.offset += line.len() as u64;
    }

    fn normal_line(&self, offset: u64, line: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(format!("{offset:08x}: ").as_bytes());
        let start = out.len();
        let group = if self.group == 0 {
            self.cols
        } else {
            self.group
        };
        if self.little && self.style == Style::Normal {
            for chunk in line.chunks(group) {
                out.resize(out.len() + (group - chunk.len()) * 2, b' ');
                for &b in chunk.iter().rev() {
                    self.hex(b, out);
                }
                out.push(b' ');
            }
        }
        for (i, &b) in line.iter().enumerate() {
            if self.little && self.style == Style::Normal {
                break;
            }
            if self.style == Style::Bits {
                for k in (0..8).rev() {
                    out.push(if b >> k & 1 == 1 { b'1' } else { b'0' });
                }
            } else {
                self.hex(b, out);
            }
            if (i + 1).is_multiple_of(group) || i + 1 == line.len() {
                out.push(b' ');
            }
        }
        let per = if self.style == Style::Bits { 8 } else { 2 };
        let full = self.cols * per + self.cols.div_ceil(group);
        let used = out.len() - start;
        out.resize(out.len() + full.saturating_sub(used) + 1, b' ');
        for &b in line {
            out.push(if (0x20..0x7f).contains(&b) { b } else { b'.' });
        }
        out.push(b'\n');
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        self.flush_line(out);
        if let Some((off, line)) = self.held.take() {
            self.normal_line(off, &line, out);
        }
    }
}

/// The C identifier xxd -i makes of a file name.
fn c_name(name: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = name
        .iter()
        .map(|&b| if b.is_ascii_alphanumeric() { b } else { b'_' })
        .collect();
    if v.first().is_some_and(u8::is_ascii_digit) {
        v.insert(0, b'_');
        v.insert(0, b'_');
    }
    v
}

fn number(v: &[u8], what: &str) -> Result<u64, Error> {
    let s = String::from_utf8_lossy(v);
    let t = s.trim().trim_start_matches('+');
    let parsed = if let Some(h) = t.strip_prefix("0x").or(t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if t.len() > 1 && t.starts_with('0') {
        u64::from_str_radix(&t[1..], 8).ok()
    } else {
        t.parse().ok()
    };
    parsed.ok_or_else(|| Error::msg(format!("invalid {what}: '{s}'")).with_status(2))
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut style = Style::Normal;
    let (mut cols, mut group) = (None::<usize>, None::<usize>);
    let (mut upper, mut reverse, mut autoskip, mut little) = (false, false, false, false);
    let (mut len, mut seek, mut shift) = (None::<u64>, 0u64, 0u64);
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') => autoskip = true,
            Arg::Short('b') => style = Style::Bits,
            Arg::Short('p') => style = Style::Plain,
            Arg::Short('i') => style = Style::Include,
            Arg::Short('u') => upper = true,
            Arg::Short('e') => little = true,
            Arg::Short('o') => shift = number(&opts.value()?, "offset")?,
            Arg::Short('r') => reverse = true,
            Arg::Short('c') => cols = Some(parse_number(&opts.value()?, "number of columns")?),
            Arg::Short('g') => group = Some(parse_number(&opts.value()?, "group size")?),
            Arg::Short('l') => len = Some(number(&opts.value()?, "length")?),
            Arg::Short('s') => seek = number(&opts.value()?, "seek offset")?,
            Arg::Value(v) if files.len() < 2 => files.push(v),
            other => return Err(opts.unexpected(&other).with_status(1)),
        }
    }
    let input = files.first().cloned().unwrap_or_else(|| b"-".to_vec());
    let mut outfile = None;
    if let Some(o) = files.get(1).filter(|o| o.as_slice() != b"-") {
        use std::os::unix::ffi::OsStrExt;
        match File::create(std::ffi::OsStr::from_bytes(o)) {
            Ok(f) => outfile = Some(f),
            Err(e) => return Err(Error::io(&shown(o), &e).with_status(2)),
        }
    }
    if reverse {
        let mut data = Vec::new();
        let r = each_chunk(&mut ctx.stdin, &input, &mut |c| {
            data.extend_from_slice(c);
            Ok(())
        });
        if let Err(Fail::Read(e)) = r {
            return Err(Error::io(&shown(&input), &e).with_status(2));
        }
        let bytes = if style == Style::Plain {
            unplain(&data)
        } else {
            undump(&data, cols.unwrap_or(16).max(1))
        };
        return write_out(ctx, outfile.as_mut(), &bytes);
    }
    let cols = cols.unwrap_or(match style {
        Style::Plain => 30,
        Style::Include => 12,
        Style::Bits => 6,
        Style::Normal => 16,
    });
    if cols == 0 || (cols > 256 && matches!(style, Style::Normal | Style::Bits)) {
        return Err(Error::msg("invalid number of columns (max. 256).").with_status(1));
    }
    let group = group.unwrap_or(match style {
        Style::Bits => 1,
        _ if little => 4,
        _ => 2,
    });
    if little && style == Style::Normal && !group.is_power_of_two() {
        return Err(
            Error::msg("number of octets per group must be a power of 2 with -e.").with_status(1),
        );
    }
    let mut d = Dump {
        style,
        cols,
        group,
        upper,
        autoskip,
        little,
        offset: seek.wrapping_add(shift),
        line: Vec::with_capacity(cols),
        prev_zero: false,
        held: None,
        count: 0,
    };
    let mut out = Vec::new();
    if style == Style::Include && input != b"-" {
        out.extend_from_slice(b"unsigned char ");
        out.extend_from_slice(&c_name(&input));
        out.extend_from_slice(b"[] = {\n");
    }
    let (mut to_skip, mut left) = (seek, len.unwrap_or(u64::MAX));
    let stdout = &mut ctx.stdout;
    let mut sink = outfile.as_mut();
    let r = each_chunk(&mut ctx.stdin, &input, &mut |mut c| {
        if to_skip > 0 {
            let n = usize::try_from(to_skip).unwrap_or(usize::MAX).min(c.len());
            to_skip -= n as u64;
            c = c.get(n..).unwrap_or_default();
        }
        let take = usize::try_from(left).unwrap_or(usize::MAX).min(c.len());
        left -= take as u64;
        d.feed(c.get(..take).unwrap_or_default(), &mut out);
        if out.len() >= CHUNK {
            emit(sink.as_deref_mut(), stdout, &out)?;
            out.clear();
        }
        Ok(())
    });
    if let Err(Fail::Read(e)) = r {
        return Err(Error::io(&shown(&input), &e).with_status(2));
    }
    d.finish(&mut out);
    if style == Style::Include {
        if d.count > 0 {
            out.push(b'\n');
        }
        if input != b"-" {
            out.extend_from_slice(b"};\nunsigned int ");
            out.extend_from_slice(&c_name(&input));
            out.extend_from_slice(format!("_len = {};\n", d.count).as_bytes());
        }
    }
    write_out(ctx, outfile.as_mut(), &out)
}

fn write_out(ctx: &mut Ctx<'_>, file: Option<&mut File>, data: &[u8]) -> Result<(), Error> {
    emit(file, &mut ctx.stdout, data)
}

fn emit(
    file: Option<&mut File>,
    stdout: &mut crate::ctx::Output<'_>,
    data: &[u8],
) -> Result<(), Error> {
    let r = match file {
        Some(f) => f.write_all(data),
        None => stdout.write_all(data),
    };
    r.map_err(|e| Error::io(b"write error", &e))
}

fn nibble(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// `xxd -r -p`: every pair of hex digits is a byte; anything else is skipped.
fn unplain(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for &c in data {
        if let Some(n) = nibble(c) {
            match high.take() {
                Some(h) => out.push(h << 4 | n),
                None => high = Some(n),
            }
        }
    }
    out
}

/// `xxd -r`: each line is `OFFSET: hex...  text` (the colon may be missing: then the
/// offset is the first run of hex digits); at most `cols` bytes a line, landing at
/// their offsets (gaps are zero-filled).
fn undump(data: &[u8], cols: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let lead = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let line = line.get(lead..).unwrap_or_default();
        let (addr, rest) = match line.iter().position(|&b| b == b':') {
            Some(colon) => (
                line.get(..colon).unwrap_or_default(),
                line.get(colon + 1..).unwrap_or_default(),
            ),
            None => {
                let n = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                (
                    line.get(..n).unwrap_or_default(),
                    line.get(n..).unwrap_or_default(),
                )
            }
        };
        let Some(mut pos) = std::str::from_utf8(addr)
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
        else {
            continue;
        };
        let mut i = 0;
        let mut spaces = 0;
        let mut taken = 0;
        while let Some(&c) = rest.get(i) {
            if taken == cols {
                break;
            }
            if c == b' ' {
                spaces += 1;
                if spaces >= 2 && i > 1 {
                    break;
                }
                i += 1;
                continue;
            }
            spaces = 0;
            let (Some(h), Some(l)) = (nibble(c), rest.get(i + 1).and_then(|&c| nibble(c))) else {
                break;
            };
            if pos >= out.len() {
                out.resize(pos + 1, 0);
            }
            if let Some(slot) = out.get_mut(pos) {
                *slot = h << 4 | l;
            }
            pos += 1;
            i += 2;
            taken += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn default_layout() {
        let r = run("xxd", &[], b"abcdefghijklmnopqrstuvwxyz\n\0\x01\xff");
        assert_eq!(
            r.out(),
            "00000000: 6162 6364 6566 6768 696a 6b6c 6d6e 6f70  abcdefghijklmnop\n\
             00000010: 7172 7374 7576 7778 797a 0a00 01ff       qrstuvwxyz....\n"
        );
        assert_eq!(run("xxd", &[], b"").out(), "");
    }

    #[test]
    fn groups_columns_bits_and_case() {
        assert_eq!(
            run("xxd", &["-g1", "-c8"], b"abcde").out(),
            "00000000: 61 62 63 64 65           abcde\n"
        );
        assert_eq!(
            run("xxd", &["-g0"], b"abcde").out(),
            format!("00000000: 6162636465{}abcde\n", " ".repeat(24))
        );
        assert_eq!(
            run("xxd", &["-b"], b"abcde").out(),
            "00000000: 01100001 01100010 01100011 01100100 01100101           abcde\n"
        );
        assert_eq!(
            run("xxd", &["-u", "-s", "2", "-l", "5"], b"abcdefghij\xfa").out(),
            "00000002: 6364 6566 67                             cdefg\n"
        );
        assert_eq!(run("xxd", &["-u", "-p"], b"\xfa").out(), "FA\n");
    }

    #[test]
    fn plain_and_include() {
        let data: Vec<u8> = (0..=255u8).collect();
        let r = run("xxd", &["-p"], &data);
        assert_eq!(r.out().lines().count(), 9);
        assert_eq!(r.out().lines().next().unwrap().len(), 60);
        assert_eq!(
            run("xxd", &["-i"], b"abcde").out(),
            "  0x61, 0x62, 0x63, 0x64, 0x65\n"
        );
        assert_eq!(
            run("xxd", &["-i", "-c", "4"], b"abcde").out(),
            "  0x61, 0x62, 0x63, 0x64,\n  0x65\n"
        );
    }

    #[test]
    fn autoskip_zero_lines() {
        let z = vec![0u8; 64];
        let r = run("xxd", &["-a"], &z);
        assert_eq!(
            r.out(),
            "00000000: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n*\n\
             00000030: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
        );
    }

    #[test]
    fn reverse_round_trips() {
        let data: Vec<u8> = (0..=255u8).chain(0..=100u8).collect();
        for args in [&[][..], &["-g1"], &["-c7", "-g3"], &["-u"], &["-g0"]] {
            let dump = run("xxd", args, &data).stdout;
            let back = run("xxd", &["-r"], &dump);
            assert_eq!(back.stdout, data, "{args:?}");
        }
        let plain = run("xxd", &["-p"], &data).stdout;
        assert_eq!(run("xxd", &["-r", "-p"], &plain).stdout, data);
        assert_eq!(run("xxd", &["-r", "-p"], b"6162\n63 64\n6").out(), "abcd");
        assert_eq!(
            run("xxd", &["-r"], b"00000002: 4142\n").stdout,
            b"\0\0AB".to_vec()
        );
    }

    #[test]
    fn errors() {
        let r = run("xxd", &["/nonexistent/x"], b"");
        assert_eq!(r.status, 2);
        assert_eq!(r.err(), "xxd: /nonexistent/x: No such file or directory\n");
        assert_eq!(run("xxd", &["-c", "300"], b"").status, 1);
    }
}
