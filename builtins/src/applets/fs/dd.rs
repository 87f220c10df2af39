//! `dd`: copy a file block by block, converting as asked.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::time::Instant;

use super::util::{path, quote};
use crate::common::num::parse_size;
use crate::prelude::*;

/// The `dd` applet.
pub const APPLET: Applet = Applet::new("dd", main, Run::Fork)
    .usage("[OPERAND]...")
    .help(
        "Copy a file, converting and formatting according to the operands.\n\n\
         if=FILE\tRead from FILE instead of standard input\n\
         of=FILE\tWrite to FILE instead of standard output\n\
         bs=N\tRead and write N bytes at a time (ibs=N, obs=N separately; default 512)\n\
         count=N\tCopy only N input blocks\n\
         skip=N\tSkip N input blocks first\n\
         seek=N\tSkip N output blocks first\n\
         conv=LIST\tnotrunc noerror sync fsync fdatasync ucase lcase swab excl nocreat\n\
         iflag=LIST\tfullblock skip_bytes count_bytes\n\
         oflag=LIST\tappend seek_bytes\n\
         status=LEVEL\tnone, noxfer or progress (accepted)\n\
         N may end in c w b kB K MB M GB G ... and be a product: 2x512.",
    );

#[derive(Default)]
struct Conv {
    notrunc: bool,
    noerror: bool,
    sync: bool,
    fsync: bool,
    fdatasync: bool,
    ucase: bool,
    lcase: bool,
    swab: bool,
    excl: bool,
    nocreat: bool,
    fullblock: bool,
    skip_bytes: bool,
    count_bytes: bool,
    append: bool,
    seek_bytes: bool,
}

fn number(v: &[u8]) -> Result<u64, Error> {
    let bad = || {
        Error::msg(format!(
            "invalid number: {}",
            String::from_utf8_lossy(&quote(v))
        ))
    };
    let mut total: u64 = 1;
    for part in v.split(|&b| b == b'x') {
        let n = parse_size(part).ok_or_else(bad)?;
        total = total.checked_mul(n).ok_or_else(bad)?;
    }
    Ok(total)
}

fn block_size(v: &[u8]) -> Result<usize, Error> {
    let n = number(v)?;
    if n == 0 || n > (1 << 31) {
        return Err(Error::msg(format!(
            "invalid number: {}",
            String::from_utf8_lossy(&quote(v))
        )));
    }
    Ok(usize::try_from(n).unwrap_or(512))
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut input, mut output) = (None::<Vec<u8>>, None::<Vec<u8>>);
    let (mut ibs, mut obs, mut bs) = (512usize, 512usize, None::<usize>);
    let (mut count, mut skip, mut seek) = (None::<u64>, 0u64, 0u64);
    let mut c = Conv::default();
    let mut status = b"default".to_vec();
    for arg in ctx.args {
        let Some(eq) = arg.iter().position(|&b| b == b'=') else {
            return Err(Error::usage(format!(
                "unrecognized operand {}",
                String::from_utf8_lossy(&quote(arg))
            )));
        };
        let (key, val) = (&arg[..eq], &arg[eq + 1..]);
        match key {
            b"if" => input = Some(val.to_vec()),
            b"of" => output = Some(val.to_vec()),
            b"bs" => bs = Some(block_size(val)?),
            b"ibs" => ibs = block_size(val)?,
            b"obs" => obs = block_size(val)?,
            b"count" => count = Some(number(val)?),
            b"skip" | b"iseek" => skip = number(val)?,
            b"seek" | b"oseek" => seek = number(val)?,
            b"status" => {
                if !matches!(val, b"none" | b"noxfer" | b"progress") {
                    return Err(Error::usage(format!(
                        "invalid status level: {}",
                        String::from_utf8_lossy(&quote(val))
                    )));
                }
                status = val.to_vec();
            }
            b"conv" | b"iflag" | b"oflag" => {
                for flag in val.split(|&b| b == b',').filter(|f| !f.is_empty()) {
                    let slot = match (key, flag) {
                        (b"conv", b"notrunc") => &mut c.notrunc,
                        (b"conv", b"noerror") => &mut c.noerror,
                        (b"conv", b"sync") => &mut c.sync,
                        (b"conv", b"fsync") => &mut c.fsync,
                        (b"conv", b"fdatasync") => &mut c.fdatasync,
                        (b"conv", b"ucase") => &mut c.ucase,
                        (b"conv", b"lcase") => &mut c.lcase,
                        (b"conv", b"swab") => &mut c.swab,
                        (b"conv", b"excl") => &mut c.excl,
                        (b"conv", b"nocreat") => &mut c.nocreat,
                        (b"iflag", b"fullblock") => &mut c.fullblock,
                        (b"iflag", b"skip_bytes") => &mut c.skip_bytes,
                        (b"iflag", b"count_bytes") => &mut c.count_bytes,
                        (b"oflag", b"append") => &mut c.append,
                        (b"oflag", b"seek_bytes") => &mut c.seek_bytes,
                        _ => {
                            let what = match key {
                                b"conv" => "conversion",
                                b"iflag" => "input flag",
                                _ => "output flag",
                            };
                            return Err(Error::usage(format!(
                                "invalid {what}: {}",
                                String::from_utf8_lossy(&quote(flag))
                            )));
                        }
                    };
                    *slot = true;
                }
            }
            _ => {
                return Err(Error::usage(format!(
                    "unrecognized operand {}",
                    String::from_utf8_lossy(&quote(arg))
                )));
            }
        }
    }
    if c.ucase && c.lcase {
        return Err(Error::usage("cannot combine lcase and ucase"));
    }
    if c.excl && c.nocreat {
        return Err(Error::usage("cannot combine excl and nocreat"));
    }
    if let Some(b) = bs {
        (ibs, obs) = (b, b);
    }
    let in_name = input.clone().unwrap_or_else(|| b"standard input".to_vec());
    let out_name = output
        .clone()
        .unwrap_or_else(|| b"standard output".to_vec());
    let mut in_file = match &input {
        Some(p) => Some(File::open(path(p)).map_err(|e| open_error(p, &e))?),
        None => None,
    };
    let mut out_file = match &output {
        Some(p) => {
            let mut o = OpenOptions::new();
            o.write(true).mode(0o666);
            if c.append {
                o.append(true);
            }
            if c.excl {
                o.create_new(true);
            } else if !c.nocreat {
                o.create(true);
            }
            Some(o.open(path(p)).map_err(|e| open_error(p, &e))?)
        }
        None => None,
    };
    let start = Instant::now();
    let mut st = Stats::default();
    // skip: seek when the input allows it, else read and throw away.
    let skip_bytes = if c.skip_bytes {
        skip
    } else {
        skip.saturating_mul(ibs as u64)
    };
    if skip_bytes > 0 {
        let sought = in_file
            .as_mut()
            .is_some_and(|f| f.seek(SeekFrom::Current(skip_bytes as i64)).is_ok());
        if !sought {
            let mut left = skip_bytes;
            let mut buf = vec![0u8; ibs.min(64 * 1024)];
            while left > 0 {
                let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let n = read_some(&mut in_file, ctx, &mut buf[..want])
                    .map_err(|e| Error::io(&cat(b"error reading ", &quote(&in_name)), &e))?;
                if n == 0 {
                    ctx.note(&cat(&quote(&in_name), b": cannot skip to specified offset"));
                    break;
                }
                left -= n as u64;
            }
        }
    }
    let seek_bytes = if c.seek_bytes {
        seek
    } else {
        seek.saturating_mul(obs as u64)
    };
    if let Some(f) = out_file.as_mut() {
        if seek_bytes > 0 {
            f.seek(SeekFrom::Start(seek_bytes))
                .map_err(|e| Error::io(&cat(b"cannot seek in ", &quote(&out_name)), &e))?;
        }
        if !c.notrunc && !c.append {
            let is_reg = f.metadata().is_ok_and(|m| m.is_file());
            if is_reg {
                f.set_len(seek_bytes).map_err(|e| {
                    Error::io(&cat(b"failed to truncate to ", &quote(&out_name)), &e)
                })?;
            }
        }
    } else if seek_bytes > 0 {
        // Standard output: write zeros is wrong for a pipe; GNU seeks fd 1 when it can.
        if let Some(fd) = ctx.stdout.raw_fd() {
            crate::common::fdio::seek_relative(fd, seek_bytes as i64)
                .map_err(|e| Error::io(&cat(b"cannot seek in ", &quote(&out_name)), &e))?;
        }
    }
    let mut ibuf = vec![0u8; ibs];
    let mut obuf: Vec<u8> = Vec::with_capacity(obs);
    let mut result: Result<(), Error> = Ok(());
    let mut bytes_in: u64 = 0;
    loop {
        if ctx.interrupted() {
            result = Err(Error::silent(130));
            break;
        }
        let want = match count {
            Some(n) if c.count_bytes => {
                let left = n.saturating_sub(bytes_in);
                if left == 0 {
                    break;
                }
                ibs.min(usize::try_from(left).unwrap_or(usize::MAX))
            }
            Some(n) if st.in_full + st.in_part >= n => break,
            _ => ibs,
        };
        let got = if c.fullblock {
            let mut n = 0;
            let mut err = None;
            while n < want {
                match read_some(&mut in_file, ctx, &mut ibuf[n..want]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            match err {
                Some(e) if n == 0 => Err(e),
                _ => Ok(n),
            }
        } else {
            read_some(&mut in_file, ctx, &mut ibuf[..want])
        };
        let n = match got {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                ctx.warn(&cat(b"error reading ", &quote(&in_name)), &e);
                if c.noerror {
                    ctx.status = 1;
                    if c.sync {
                        st.in_part += 1;
                        ibuf[..want].fill(0);
                        obuf.extend_from_slice(&ibuf[..want]);
                    }
                    continue;
                }
                result = Err(Error::silent(1));
                break;
            }
        };
        bytes_in += n as u64;
        if n == want && want == ibs {
            st.in_full += 1;
        } else {
            st.in_part += 1;
        }
        let mut len = n;
        if c.sync && n < ibs {
            ibuf[n..].fill(0);
            len = ibs;
        }
        let block = &mut ibuf[..len];
        if c.swab {
            for pair in block.chunks_exact_mut(2) {
                pair.swap(0, 1);
            }
        }
        if c.ucase {
            block.make_ascii_uppercase();
        } else if c.lcase {
            block.make_ascii_lowercase();
        }
        if bs.is_some() {
            // bs=: every input block is one output block, as GNU does.
            if let Err(e) = write_block(&mut out_file, ctx, block, &mut st, obs) {
                result = Err(Error::io(&cat(b"error writing ", &quote(&out_name)), &e));
                break;
            }
            continue;
        }
        obuf.extend_from_slice(block);
        while obuf.len() >= obs {
            let rest = obuf.split_off(obs);
            if let Err(e) = write_block(&mut out_file, ctx, &obuf, &mut st, obs) {
                result = Err(Error::io(&cat(b"error writing ", &quote(&out_name)), &e));
                break;
            }
            obuf = rest;
        }
        if result.is_err() {
            break;
        }
    }
    if result.is_ok()
        && !obuf.is_empty()
        && let Err(e) = write_block(&mut out_file, ctx, &obuf, &mut st, obs)
    {
        result = Err(Error::io(&cat(b"error writing ", &quote(&out_name)), &e));
    }
    if result.is_ok()
        && let Some(f) = &out_file
    {
        let synced = if c.fsync {
            f.sync_all()
        } else if c.fdatasync {
            f.sync_data()
        } else {
            Ok(())
        };
        if let Err(e) = synced {
            result = Err(Error::io(&cat(b"fsync failed for ", &quote(&out_name)), &e));
        }
    }
    if status != b"none" {
        let mut s = format!(
            "{}+{} records in\n{}+{} records out\n",
            st.in_full, st.in_part, st.out_full, st.out_part
        );
        if status != b"noxfer" {
            s.push_str(&transfer_line(st.bytes, start.elapsed().as_secs_f64()));
        }
        if let Some(e) = &result
            .as_ref()
            .err()
            .filter(|e| !e.message.is_empty())
            .map(|e| e.message.clone())
        {
            ctx.note(e);
            let _ = ctx.stderr.write_all(s.as_bytes());
            let _ = ctx.stderr.flush();
            return Err(Error::silent(1));
        }
        let _ = ctx.stderr.write_all(s.as_bytes());
        let _ = ctx.stderr.flush();
    }
    result
}

fn cat(a: &[u8], b: &[u8]) -> Vec<u8> {
    [a, b].concat()
}

fn open_error(p: &[u8], e: &io::Error) -> Error {
    Error::io(&cat(b"failed to open ", &quote(p)), e)
}

#[derive(Default)]
struct Stats {
    in_full: u64,
    in_part: u64,
    out_full: u64,
    out_part: u64,
    bytes: u64,
}

fn read_some(f: &mut Option<File>, ctx: &mut Ctx<'_>, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        let r = match f {
            Some(f) => f.read(buf),
            None => ctx.stdin.read(buf),
        };
        match r {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn write_block(
    f: &mut Option<File>,
    ctx: &mut Ctx<'_>,
    data: &[u8],
    st: &mut Stats,
    obs: usize,
) -> io::Result<()> {
    match f {
        Some(f) => f.write_all(data)?,
        None => {
            ctx.stdout.write_all(data)?;
            ctx.stdout.flush()?;
        }
    }
    if data.len() >= obs {
        st.out_full += 1;
    } else {
        st.out_part += 1;
    }
    st.bytes += data.len() as u64;
    Ok(())
}

/// `N` with GNU's autoscaled units: `1.0 kB`, `118 MiB` (one decimal below 10).
fn human(n: f64, base: f64, units: &[&str]) -> String {
    let mut v = n;
    let mut unit = "";
    for u in units {
        if v < base {
            break;
        }
        v /= base;
        unit = u;
    }
    if v < 10.0 {
        format!("{:.1} {unit}", (v * 10.0).round() / 10.0)
    } else {
        format!("{:.0} {unit}", v.round())
    }
}

/// The third summary line: `N bytes (X kB, Y KiB) copied, T s, R kB/s`.
fn transfer_line(bytes: u64, secs: f64) -> String {
    const SI: &[&str] = &["kB", "MB", "GB", "TB", "PB", "EB"];
    const IEC: &[&str] = &["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let b = bytes as f64;
    let mut s = if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    };
    if bytes >= 1000 {
        s.push_str(&format!(" ({}", human(b, 1000.0, SI)));
        if bytes >= 1024 {
            s.push_str(&format!(", {}", human(b, 1024.0, IEC)));
        }
        s.push(')');
    }
    let secs = secs.max(1e-9);
    let rate = b / secs;
    let rate = if rate < 1000.0 {
        format!("{rate:.0} B/s")
    } else {
        format!("{}/s", human(rate, 1000.0, SI))
    };
    format!("{s} copied, {} s, {rate}\n", short_float(secs))
}

/// Seconds as `%g` prints them (six significant digits).
fn short_float(v: f64) -> String {
    if v >= 1e-4 {
        let digits = 5 - (v.log10().floor() as i32).clamp(-5, 5);
        let s = format!("{v:.*}", usize::try_from(digits).unwrap_or(0));
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{v:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{run, temp_dir};

    #[test]
    fn sizes_multiply() {
        assert_eq!(number(b"2x512").unwrap(), 1024);
        assert_eq!(number(b"1K").unwrap(), 1024);
        assert_eq!(number(b"1kB").unwrap(), 1000);
        assert!(number(b"x").is_err());
    }

    #[test]
    fn copies_with_counts_and_records() {
        let r = run("dd", &["bs=2", "count=2"], b"abcdef");
        assert_eq!(r.status, 0);
        assert_eq!(r.out(), "abcd");
        assert!(
            r.err()
                .starts_with("2+0 records in\n2+0 records out\n4 bytes copied, ")
        );
        let r = run("dd", &["ibs=4", "obs=3", "conv=ucase"], b"abcdef");
        assert_eq!(r.out(), "ABCDEF");
        assert!(r.err().starts_with("1+1 records in\n2+0 records out\n"));
        let r = run(
            "dd",
            &["bs=4", "conv=sync,swab", "status=noxfer"],
            b"abcdef",
        );
        assert_eq!(r.stdout, b"badcfe\0\0");
        assert_eq!(r.err(), "1+1 records in\n2+0 records out\n");
        let r = run("dd", &["skip=1", "bs=2", "status=none"], b"abcdef");
        assert_eq!((r.out(), r.err()), ("cdef".into(), String::new()));
    }

    #[test]
    fn files_seek_and_notrunc() {
        let d = temp_dir("dd-files");
        let f = d.join("out");
        std::fs::write(&f, "0123456789").unwrap();
        let of = format!("of={}", f.display());
        let r = run(
            "dd",
            &[&of, "bs=1", "seek=2", "conv=notrunc", "status=none"],
            b"ab",
        );
        assert_eq!(r.status, 0, "{}", r.err());
        assert_eq!(std::fs::read(&f).unwrap(), b"01ab456789");
        run("dd", &[&of, "bs=1", "seek=3", "status=none"], b"X");
        assert_eq!(std::fs::read(&f).unwrap(), b"01aX");
        let r = run("dd", &[&of, "conv=excl"], b"");
        assert!(r.err().contains("failed to open"));
        let r = run("dd", &["if=/nonexistent-rbox"], b"");
        assert_eq!(
            (r.status, r.err()),
            (
                1,
                "dd: failed to open '/nonexistent-rbox': No such file or directory\n".into()
            )
        );
        let r = run("dd", &["foo"], b"");
        assert!(r.err().starts_with("dd: unrecognized operand 'foo'\n"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn transfer_summary_shape() {
        assert!(transfer_line(5, 0.5).starts_with("5 bytes copied, 0.5 s, 10 B/s"));
        assert!(
            transfer_line(1048576, 1.0)
                .starts_with("1048576 bytes (1.0 MB, 1.0 MiB) copied, 1 s, 1.0 MB/s")
        );
    }
}
