//! `mknod`: make block or character special files, or FIFOs.

use nix::sys::stat::{FchmodatFlags, Mode, SFlag, fchmodat, makedev, mknod};

use super::util::{errno, parse_mode};
use crate::common::mode::current_umask;
use crate::prelude::*;

/// The `mknod` applet.
pub const APPLET: Applet = Applet::new("mknod", main, Run::Fork)
    .usage("[-m MODE] NAME TYPE [MAJOR MINOR]")
    .help(
        "Create the special file NAME of TYPE: b (block), c or u (character) with\n\
         MAJOR and MINOR numbers, or p (FIFO) without.\n\n\
         -m MODE\tSet the mode (as in chmod), not a=rw - umask",
    );

const LONGS: &[&str] = &["mode"];

fn number(v: &[u8]) -> Result<u64, Error> {
    let s = std::str::from_utf8(v).unwrap_or("");
    let n = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    };
    n.filter(|n| *n <= u64::from(u32::MAX)).ok_or_else(|| {
        Error::msg(format!(
            "invalid device number '{}'",
            String::from_utf8_lossy(v)
        ))
    })
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut mode = None;
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('m') | Arg::Long("mode") => mode = Some(parse_mode(&opts.value()?)?),
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    let (name, kind) = match ops.as_slice() {
        [name, kind, ..] => (name.clone(), kind.clone()),
        _ => return Err(Error::usage("missing operand")),
    };
    let (flag, dev) = match (kind.as_slice(), ops.len()) {
        (b"p", 2) => (SFlag::S_IFIFO, 0),
        (b"p", _) => {
            return Err(Error::usage(
                "fifos do not have major and minor device numbers",
            ));
        }
        (b"b" | b"c" | b"u", 4) => {
            let f = if kind == b"b" {
                SFlag::S_IFBLK
            } else {
                SFlag::S_IFCHR
            };
            (f, makedev(number(&ops[2])?, number(&ops[3])?))
        }
        (b"b" | b"c" | b"u", n) if n < 4 => {
            return Err(Error::usage(
                "special files require major and minor device numbers",
            ));
        }
        (b"b" | b"c" | b"u", _) => {
            return Err(opts.unexpected(&Arg::Value(ops.get(4).cloned().unwrap_or_default())));
        }
        _ => {
            return Err(Error::usage(format!(
                "invalid device type '{}'",
                String::from_utf8_lossy(&kind)
            )));
        }
    };
    let exact = mode.map(|m| m.apply(0o666, false, current_umask()));
    mknod(name.as_slice(), flag, Mode::from_bits_truncate(0o666), dev)
        .and_then(|()| match exact {
            Some(m) => fchmodat(
                nix::fcntl::AT_FDCWD,
                name.as_slice(),
                Mode::from_bits_truncate(m),
                FchmodatFlags::FollowSymlink,
            ),
            None => Ok(()),
        })
        .map_err(|e| Error::io(&name, &errno(e)))
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};
    use std::os::unix::fs::{FileTypeExt, MetadataExt};

    #[test]
    fn fifos_and_devices() {
        let d = temp_dir("mknod");
        let p = d.join("p");
        assert_eq!(run("mknod", &[p.to_str().unwrap(), "p"], b"").status, 0);
        assert!(std::fs::metadata(&p).unwrap().file_type().is_fifo());
        let r = run("mknod", &[p.to_str().unwrap(), "p"], b"");
        assert_eq!(r.err(), format!("mknod: {}: File exists\n", p.display()));
        assert_eq!(run("mknod", &["x", "c"], b"").status, 1);
        assert!(
            run("mknod", &["x", "q"], b"")
                .err()
                .starts_with("mknod: invalid device type 'q'\n")
        );
        assert!(
            run("mknod", &["x", "c", "1", "z"], b"")
                .err()
                .starts_with("mknod: invalid device number 'z'")
        );
        // Device nodes need CAP_MKNOD: only as root.
        if nix::unistd::geteuid().is_root() {
            let c = d.join("null");
            let r = run(
                "mknod",
                &["-m", "640", c.to_str().unwrap(), "c", "1", "3"],
                b"",
            );
            if r.status == 0 {
                let md = std::fs::metadata(&c).unwrap();
                assert!(md.file_type().is_char_device());
                assert_eq!(
                    (md.mode() & 0o777, md.rdev()),
                    (0o640, nix::sys::stat::makedev(1, 3))
                );
            }
        }
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn modes_and_every_type() {
        let d = temp_dir("mknod-types");
        let fifo = d.join("fifo");
        let r = run(
            "mknod",
            &["-m", "u=rw,go=", fifo.to_str().unwrap(), "p"],
            b"",
        );
        assert_eq!(r.status, 0, "{}", r.err());
        let md = std::fs::metadata(&fifo).unwrap();
        assert!(md.file_type().is_fifo());
        assert_eq!(md.mode() & 0o7777, 0o600);
        let r = run(
            "mknod",
            &["--mode=4755", d.join("s").to_str().unwrap(), "p"],
            b"",
        );
        assert_eq!(r.status, 0, "{}", r.err());
        assert_eq!(
            std::fs::metadata(d.join("s")).unwrap().mode() & 0o7777,
            0o4755
        );
        let r = run("mknod", &["x", "p", "1", "2"], b"");
        assert!(
            r.err()
                .starts_with("mknod: fifos do not have major and minor device numbers\n")
        );
        let r = run("mknod", &["-m", "bad", "x", "p"], b"");
        assert_eq!(
            (r.err(), r.status),
            ("mknod: invalid mode: 'bad'\n".to_string(), 1)
        );
        if nix::unistd::geteuid().is_root() {
            // b, and u (a synonym of c), with hex and octal numbers.
            let blk = d.join("blk");
            let r = run("mknod", &[blk.to_str().unwrap(), "b", "0x7", "010"], b"");
            if r.status == 0 {
                let md = std::fs::metadata(&blk).unwrap();
                assert!(md.file_type().is_block_device());
                assert_eq!(md.rdev(), nix::sys::stat::makedev(7, 8));
                let chr = d.join("chr");
                let r = run("mknod", &[chr.to_str().unwrap(), "u", "1", "5"], b"");
                assert_eq!(r.status, 0, "{}", r.err());
                let md = std::fs::metadata(&chr).unwrap();
                assert!(md.file_type().is_char_device());
                assert_eq!(md.rdev(), nix::sys::stat::makedev(1, 5));
            }
        }
        std::fs::remove_dir_all(&d).unwrap();
    }
}
