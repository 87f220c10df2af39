//! `losetup`: set up and control loop devices through `/dev/loop-control` and the
//! `LOOP_*` ioctls (util-linux's output and messages). The device helpers are shared
//! with `mount -o loop`.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use crate::prelude::*;

/// The `losetup` applet.
pub const APPLET: Applet = Applet::new("losetup", main, Run::Fork)
    .dir(InstallDir::Sbin)
    .usage("[-rP] [-o OFFSET] {-f [--show]|LOOPDEV} FILE | -d LOOPDEV... | -a | -f | LOOPDEV")
    .help(
        "Associate loop devices with files, show them, or detach them.\n\n\
         -a\tShow every device in use\n\
         -f\tFind the first free device (print it, or use it for FILE)\n\
         --show\tPrint the device used by -f FILE\n\
         -d\tDetach each LOOPDEV\n\
         -o OFFSET\tStart OFFSET bytes into FILE\n\
         -r\tRead-only\n\
         -P\tScan the device for partitions",
    );

const LONGS: &[&str] = &[
    "all",
    "find",
    "show",
    "detach",
    "offset",
    "read-only",
    "partscan",
];

const LOOP_SET_FD: libc::c_ulong = 0x4C00;
const LOOP_CLR_FD: libc::c_ulong = 0x4C01;
const LOOP_SET_STATUS64: libc::c_ulong = 0x4C04;
const LOOP_GET_STATUS64: libc::c_ulong = 0x4C05;
const LOOP_CONFIGURE: libc::c_ulong = 0x4C0A;
const LOOP_CTL_GET_FREE: libc::c_ulong = 0x4C82;
const LOOP_MAJOR: u64 = 7;

/// `LO_FLAGS_READ_ONLY`.
pub const LO_READ_ONLY: u32 = 1;
/// `LO_FLAGS_AUTOCLEAR`: the kernel detaches the device when its last user closes it.
pub const LO_AUTOCLEAR: u32 = 4;
/// `LO_FLAGS_PARTSCAN`.
pub const LO_PARTSCAN: u32 = 8;

/// The kernel's `struct loop_info64`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct LoopInfo {
    /// `st_dev` of the backing file.
    pub device: u64,
    /// `st_ino` of the backing file.
    pub inode: u64,
    rdevice: u64,
    /// Where the device starts in the file.
    pub offset: u64,
    sizelimit: u64,
    number: u32,
    encrypt_type: u32,
    encrypt_key_size: u32,
    /// `LO_FLAGS_*`.
    pub flags: u32,
    /// The backing file's name, cut at 63 bytes.
    pub file_name: [u8; 64],
    crypt_name: [u8; 64],
    encrypt_key: [u8; 32],
    init: [u64; 2],
}

impl LoopInfo {
    fn zeroed() -> LoopInfo {
        LoopInfo {
            device: 0,
            inode: 0,
            rdevice: 0,
            offset: 0,
            sizelimit: 0,
            number: 0,
            encrypt_type: 0,
            encrypt_key_size: 0,
            flags: 0,
            file_name: [0; 64],
            crypt_name: [0; 64],
            encrypt_key: [0; 32],
            init: [0; 2],
        }
    }
}

/// The kernel's `struct loop_config` for `LOOP_CONFIGURE`.
#[repr(C)]
struct LoopConfig {
    fd: u32,
    block_size: u32,
    info: LoopInfo,
    reserved: [u64; 8],
}

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn os(p: &[u8]) -> &OsStr {
    OsStr::from_bytes(p)
}

/// Opens `dev`, refusing anything that is not a loop block device (ENODEV, as
/// util-linux reports it).
fn open_device(dev: &[u8], write: bool) -> io::Result<File> {
    let md = std::fs::metadata(os(dev)).map_err(|_| io::Error::from_raw_os_error(libc::ENODEV))?;
    if !md.file_type().is_block_device() || libc::major(md.rdev()) as u64 != LOOP_MAJOR {
        return Err(io::Error::from_raw_os_error(libc::ENODEV));
    }
    OpenOptions::new().read(true).write(write).open(os(dev))
}

/// The first free loop device's number, from `/dev/loop-control`.
pub fn first_free() -> io::Result<u32> {
    let ctl = File::open("/dev/loop-control")?;
    // SAFETY: LOOP_CTL_GET_FREE takes no argument and returns a number.
    check(unsafe { libc::ioctl(ctl.as_raw_fd(), LOOP_CTL_GET_FREE) }).map(|n| n as u32)
}

/// The path of loop device `n`.
pub fn device_path(n: u32) -> Vec<u8> {
    format!("/dev/loop{n}").into_bytes()
}

/// What to attach: the file, where to start, and the `LO_FLAGS_*`.
pub struct Attach<'a> {
    /// The backing file.
    pub file: &'a [u8],
    /// Bytes to skip at the start of the file.
    pub offset: u64,
    /// `LO_FLAGS_*` (read-only, autoclear, partscan).
    pub flags: u32,
}

/// Binds `dev` to the file and gives back the open device: with `LO_AUTOCLEAR` the
/// kernel frees the device at its last close, so a mount keeps it open until it holds
/// the device itself. A file that cannot be opened for writing is bound read-only (as
/// util-linux does).
pub fn attach(dev: &[u8], what: &Attach<'_>) -> io::Result<File> {
    let mut flags = what.flags;
    let file = if flags & LO_READ_ONLY != 0 {
        File::open(os(what.file))?
    } else {
        match OpenOptions::new()
            .read(true)
            .write(true)
            .open(os(what.file))
        {
            Ok(f) => f,
            Err(e) if matches!(e.raw_os_error(), Some(libc::EROFS | libc::EACCES)) => {
                flags |= LO_READ_ONLY;
                File::open(os(what.file))?
            }
            Err(e) => return Err(e),
        }
    };
    let device = open_device(dev, flags & LO_READ_ONLY == 0)?;
    let mut info = LoopInfo::zeroed();
    info.offset = what.offset;
    info.flags = flags;
    let name = what.file;
    let n = name.len().min(63);
    info.file_name[..n].copy_from_slice(&name[..n]);
    let config = LoopConfig {
        fd: file.as_raw_fd() as u32,
        block_size: 0,
        info,
        reserved: [0; 8],
    };
    // SAFETY: LOOP_CONFIGURE reads a `struct loop_config` that lives across the call.
    let rc = unsafe { libc::ioctl(device.as_raw_fd(), LOOP_CONFIGURE, &config) };
    match check(rc) {
        Ok(_) => return Ok(device),
        Err(e) if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOTTY)) => return Err(e),
        Err(_) => {}
    }
    // Kernels before 5.8: bind, then set the status.
    // SAFETY: LOOP_SET_FD takes the backing file's descriptor as its argument.
    check(unsafe { libc::ioctl(device.as_raw_fd(), LOOP_SET_FD, file.as_raw_fd()) })?;
    // SAFETY: LOOP_SET_STATUS64 reads a `struct loop_info64` that lives across the call.
    if let Err(e) = check(unsafe { libc::ioctl(device.as_raw_fd(), LOOP_SET_STATUS64, &info) }) {
        // SAFETY: LOOP_CLR_FD takes no argument.
        unsafe { libc::ioctl(device.as_raw_fd(), LOOP_CLR_FD, 0) };
        return Err(e);
    }
    Ok(device)
}

/// Binds the first free device to the file and gives its path and the open device; a
/// device another process took in between is skipped (a bounded number of times).
pub fn attach_free(what: &Attach<'_>) -> io::Result<(Vec<u8>, File)> {
    let mut last = io::Error::from_raw_os_error(libc::EBUSY);
    for _ in 0..16 {
        let dev = device_path(first_free()?);
        match attach(&dev, what) {
            Ok(file) => return Ok((dev, file)),
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// The status of a bound device (ENXIO when it is free).
pub fn status(dev: &[u8]) -> io::Result<LoopInfo> {
    let device = open_device(dev, false)?;
    let mut info = LoopInfo::zeroed();
    // SAFETY: LOOP_GET_STATUS64 fills a `struct loop_info64` we own.
    check(unsafe { libc::ioctl(device.as_raw_fd(), LOOP_GET_STATUS64, &mut info) })?;
    Ok(info)
}

/// Unbinds `dev`.
pub fn detach(dev: &[u8]) -> io::Result<()> {
    let device = open_device(dev, false)?;
    // SAFETY: LOOP_CLR_FD takes no argument.
    check(unsafe { libc::ioctl(device.as_raw_fd(), LOOP_CLR_FD, 0) }).map(|_| ())
}

/// The backing file's full name: sysfs has it uncut, the status only its first 63 bytes.
fn backing_file(dev: &[u8], info: &LoopInfo) -> Vec<u8> {
    let base = crate::common::path::basename(dev);
    let sys = [b"/sys/block/", base, b"/loop/backing_file"].concat();
    if let Ok(mut name) = std::fs::read(os(&sys)) {
        while name.last() == Some(&b'\n') {
            name.pop();
        }
        return name;
    }
    let end = info.file_name.iter().position(|&b| b == 0).unwrap_or(64);
    info.file_name[..end].to_vec()
}

/// util-linux's line for a bound device: `DEV: [DEVNO]:INODE (FILE), offset N`.
fn describe(dev: &[u8], info: &LoopInfo) -> Vec<u8> {
    let mut line = dev.to_vec();
    line.extend_from_slice(format!(": [{:04}]:{} (", info.device, info.inode).as_bytes());
    line.extend_from_slice(&backing_file(dev, info));
    line.push(b')');
    if info.offset != 0 {
        line.extend_from_slice(format!(", offset {}", info.offset).as_bytes());
    }
    line.push(b'\n');
    line
}

/// Every `/dev/loopN` node, in numeric order.
fn loop_devices() -> Vec<Vec<u8>> {
    let mut numbers: Vec<u32> = std::fs::read_dir("/dev")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let digits = name.as_bytes().strip_prefix(b"loop")?;
            std::str::from_utf8(digits).ok()?.parse().ok()
        })
        .collect();
    numbers.sort_unstable();
    numbers.into_iter().map(device_path).collect()
}

fn parse_offset(v: &[u8]) -> Result<u64, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            Error::msg(format!(
                "failed to parse offset: '{}': Invalid argument",
                String::from_utf8_lossy(v)
            ))
        })
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let (mut all, mut find, mut show, mut detach_mode) = (false, false, false, false);
    let (mut offset, mut flags) = (0u64, 0u32);
    let mut ops = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('a') | Arg::Long("all") => all = true,
            Arg::Short('f') | Arg::Long("find") => find = true,
            Arg::Long("show") => show = true,
            Arg::Short('d') | Arg::Long("detach") => detach_mode = true,
            Arg::Short('o') | Arg::Long("offset") => offset = parse_offset(&opts.value()?)?,
            Arg::Short('r') | Arg::Long("read-only") => flags |= LO_READ_ONLY,
            Arg::Short('P') | Arg::Long("partscan") => flags |= LO_PARTSCAN,
            Arg::Value(v) => ops.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if detach_mode {
        if ops.is_empty() {
            return Err(Error::usage("option requires an argument -- 'd'"));
        }
        for dev in &ops {
            if let Err(e) = detach(dev) {
                let mut subject = dev.clone();
                subject.extend_from_slice(b": detach failed");
                ctx.warn(&subject, &e);
            }
        }
        return Ok(());
    }
    if all || (ops.is_empty() && !find) {
        if !ops.is_empty() {
            return Err(Error::usage("unexpected arguments"));
        }
        let mut out = Vec::new();
        for dev in loop_devices() {
            if let Ok(info) = status(&dev) {
                out.extend_from_slice(&describe(&dev, &info));
            }
        }
        ctx.stdout.write_all(&out)?;
        return Ok(());
    }
    fn what(file: &[u8], offset: u64, flags: u32) -> Attach<'_> {
        Attach {
            file,
            offset,
            flags,
        }
    }
    let set_up_failed = |file: &[u8], e: &io::Error| {
        let mut subject = file.to_vec();
        subject.extend_from_slice(b": failed to set up loop device");
        Error::io(&subject, e)
    };
    if find {
        return match ops.as_slice() {
            [] => {
                let n = first_free()
                    .map_err(|e| Error::io(b"cannot find an unused loop device", &e))?;
                ctx.stdout.write_all(&device_path(n))?;
                ctx.stdout.write_all(b"\n")?;
                Ok(())
            }
            [file] => {
                let file = absolute(file);
                let (dev, _) = attach_free(&what(&file, offset, flags))
                    .map_err(|e| set_up_failed(&file, &e))?;
                if show {
                    ctx.stdout.write_all(&dev)?;
                    ctx.stdout.write_all(b"\n")?;
                }
                Ok(())
            }
            _ => Err(Error::usage("unexpected arguments")),
        };
    }
    match ops.as_slice() {
        [dev] => match status(dev) {
            Ok(info) => {
                ctx.stdout.write_all(&describe(dev, &info))?;
                Ok(())
            }
            Err(e) if e.raw_os_error() == Some(libc::ENODEV) => {
                let mut subject = dev.clone();
                subject.extend_from_slice(b": failed to use device");
                Err(Error::io(&subject, &e))
            }
            Err(e) => Err(Error::io(dev, &e)),
        },
        [dev, file] => {
            let file = absolute(file);
            attach(dev, &what(&file, offset, flags))
                .map(drop)
                .map_err(|e| set_up_failed(&file, &e))
        }
        _ => Err(Error::usage("unexpected arguments")),
    }
}

/// The file name the kernel records: absolute, as util-linux gives it.
fn absolute(file: &[u8]) -> Vec<u8> {
    if file.starts_with(b"/") {
        return file.to_vec();
    }
    super::mounts::canonical(file)
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn bad_usage() {
        let r = run("losetup", &["-o", "abc", "-f", "x"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "losetup: failed to parse offset: 'abc': Invalid argument\n".to_string(),
                1
            )
        );
        let r = run("losetup", &["-f", "x", "y"], b"");
        assert!(r.err().starts_with("losetup: unexpected arguments\n"));
        let r = run("losetup", &["/dev/null"], b"");
        assert_eq!(
            r.err(),
            "losetup: /dev/null: failed to use device: No such device\n"
        );
        let r = run("losetup", &["-d", "/dev/null"], b"");
        assert_eq!(
            (r.err(), r.status),
            (
                "losetup: /dev/null: detach failed: No such device\n".to_string(),
                1
            )
        );
    }

    #[test]
    fn struct_sizes_match_the_kernel() {
        assert_eq!(std::mem::size_of::<super::LoopInfo>(), 232);
        assert_eq!(std::mem::size_of::<super::LoopConfig>(), 304);
    }
}
