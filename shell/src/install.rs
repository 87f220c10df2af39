//! `rbox --install [-s] [DIR]`: a link per applet, never replacing an existing file.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// How to link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// Hard links (the default: `/sbin/init` must not be a symlink).
    Hard,
    /// Symbolic links to the binary's absolute path.
    Symbolic,
}

/// What one install run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Links made.
    pub made: Vec<PathBuf>,
    /// Paths left alone because something already existed there.
    pub existing: Vec<PathBuf>,
    /// Paths that could not be made, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}

/// Links every applet to `exe`: into `dir` when given, else into each applet's own
/// install directory. Missing directories are created.
pub fn install(exe: &Path, dir: Option<&Path>, kind: LinkKind) -> Report {
    let mut report = Report::default();
    for applet in crate::applets::all() {
        let target_dir = dir.map_or_else(|| PathBuf::from(applet.dir.path()), Path::to_path_buf);
        let link = target_dir.join(OsStr::from_bytes(applet.name.as_bytes()));
        if link.symlink_metadata().is_ok() {
            report.existing.push(link);
            continue;
        }
        let made = std::fs::create_dir_all(&target_dir).and_then(|()| match kind {
            LinkKind::Hard => std::fs::hard_link(exe, &link),
            LinkKind::Symbolic => std::os::unix::fs::symlink(exe, &link),
        });
        match made {
            Ok(()) => report.made.push(link),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => report.existing.push(link),
            Err(e) => report
                .failed
                .push((link, rbox_builtins::error::strerror(&e))),
        }
    }
    report
}

/// The running binary's absolute path: `/proc/self/exe`, or argv[0] resolved against
/// the cwd and `PATH` when there is no /proc (an empty chroot).
pub fn self_path(argv0: &[u8]) -> io::Result<PathBuf> {
    if let Ok(p) = std::env::current_exe()
        && p.exists()
    {
        return Ok(p);
    }
    let arg = Path::new(OsStr::from_bytes(argv0));
    let found = if argv0.contains(&b'/') {
        Some(arg.to_path_buf())
    } else {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join(arg))
                .find(|p| p.is_file())
        })
    };
    match found {
        Some(p) if p.is_absolute() => Ok(p),
        Some(p) => Ok(std::env::current_dir()?.join(p)),
        None => Err(io::Error::new(
            io::ErrorKind::NotFound,
            "cannot find the rbox binary",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rbox-install-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn links_every_applet_and_leaves_existing_files_alone() {
        let d = temp("unit");
        let exe = d.join("rbox");
        std::fs::write(&exe, b"binary").unwrap();
        let bin = d.join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::write(bin.join("cat"), b"mine").unwrap();
        let r = install(&exe, Some(&bin), LinkKind::Symbolic);
        assert_eq!(r.existing, vec![bin.join("cat")]);
        assert!(r.failed.is_empty(), "{:?}", r.failed);
        assert_eq!(r.made.len(), crate::applets::all().len() - 1);
        assert_eq!(std::fs::read(bin.join("cat")).unwrap(), b"mine");
        assert_eq!(std::fs::read_link(bin.join("echo")).unwrap(), exe);
        let again = install(&exe, Some(&bin), LinkKind::Hard);
        assert!(again.made.is_empty());
        assert_eq!(again.existing.len(), crate::applets::all().len());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
