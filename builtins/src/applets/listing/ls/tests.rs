use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::testing::{run_with_env, temp_dir};

/// 2020-01-02 03:04:05 UTC.
const OLD: i64 = 1_577_934_245;

fn set_mtime(p: &Path, secs: i64) {
    use nix::sys::stat::{UtimensatFlags, utimensat};
    use nix::sys::time::TimeSpec;
    let t = TimeSpec::new(secs, 0);
    utimensat(
        nix::fcntl::AT_FDCWD,
        p,
        &t,
        &t,
        UtimensatFlags::NoFollowSymlink,
    )
    .unwrap();
}

fn ls(args: &[&str]) -> crate::testing::Outcome {
    ls_env(args, &[])
}

fn ls_env(args: &[&str], env: &[(&str, &str)]) -> crate::testing::Outcome {
    let mut e = vec![("TZ", "UTC")];
    e.extend_from_slice(env);
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    run_with_env("ls", &args, b"", &e)
}

/// A tree: `a` (3 bytes), `bb` (10 bytes, executable), `c/` (a directory), `.hid`,
/// `link -> a`, `dead -> nowhere`, all with old fixed times.
fn tree(tag: &str) -> (std::path::PathBuf, String) {
    let dir = temp_dir(tag);
    std::fs::write(dir.join("a"), "abc").unwrap();
    std::fs::write(dir.join("bb"), "0123456789").unwrap();
    std::fs::set_permissions(
        dir.join("bb"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.join("a"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    std::fs::create_dir(dir.join("c")).unwrap();
    std::fs::write(dir.join(".hid"), "").unwrap();
    std::os::unix::fs::symlink("a", dir.join("link")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.join("dead")).unwrap();
    for (i, n) in ["a", "bb", "c", ".hid", "link", "dead"].iter().enumerate() {
        set_mtime(&dir.join(n), OLD + i as i64 * 60);
    }
    let d = dir.to_str().unwrap().to_string();
    (dir, d)
}

#[test]
fn plain_listing_is_sorted_one_per_line_when_not_a_tty() {
    let (dir, d) = tree("ls-plain");
    let r = ls(&[&d]);
    assert_eq!((r.status, r.out().as_str()), (0, "a\nbb\nc\ndead\nlink\n"));
    assert_eq!(ls(&["-a", &d]).out(), ".\n..\n.hid\na\nbb\nc\ndead\nlink\n");
    assert_eq!(ls(&["-A", &d]).out(), ".hid\na\nbb\nc\ndead\nlink\n");
    assert_eq!(ls(&["-r", &d]).out(), "link\ndead\nc\nbb\na\n");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn long_format_matches_gnu() {
    let (dir, d) = tree("ls-long");
    let nlink_c = std::fs::metadata(dir.join("c")).unwrap().nlink();
    let size_c = std::fs::metadata(dir.join("c")).unwrap().len();
    let w = size_c.to_string().len().max(2);
    let r = ls(&["-lgo", &d]);
    let blocks: u64 = ["a", "bb", "c", "dead", "link"]
        .iter()
        .map(|n| std::fs::symlink_metadata(dir.join(n)).unwrap().blocks())
        .sum();
    let want = format!(
        "total {}\n\
         -rw-r--r-- 1 {:>w$} Jan  2  2020 a\n\
         -rwxr-xr-x 1 {:>w$} Jan  2  2020 bb\n\
         drwxr-xr-x {nlink_c} {:>w$} Jan  2  2020 c\n\
         lrwxrwxrwx 1 {:>w$} Jan  2  2020 dead -> nowhere\n\
         lrwxrwxrwx 1 {:>w$} Jan  2  2020 link -> a\n",
        blocks.div_ceil(2),
        3,
        10,
        size_c,
        7,
        1,
    );
    assert_eq!(r.out(), want);
    let r = ls(&["-lgo", "--time-style=long-iso", &format!("{d}/a")]);
    assert_eq!(r.out(), format!("-rw-r--r-- 1 3 2020-01-02 03:04 {d}/a\n"));
    let r = ls(&["-go", "--full-time", &format!("{d}/a")]);
    assert_eq!(
        r.out(),
        format!("-rw-r--r-- 1 3 2020-01-02 03:04:05.000000000 +0000 {d}/a\n")
    );
    let r = ls_env(&["-lgo", &format!("{d}/a")], &[("TIME_STYLE", "long-iso")]);
    assert_eq!(r.out(), format!("-rw-r--r-- 1 3 2020-01-02 03:04 {d}/a\n"));
    // posix-STYLE in the C locale is the locale's style.
    let r = ls_env(
        &["-lgo", "--time-style=posix-long-iso", &format!("{d}/a")],
        &[],
    );
    assert_eq!(r.out(), format!("-rw-r--r-- 1 3 Jan  2  2020 {d}/a\n"));
    let r = ls(&["-lgo", "--time-style=iso", &format!("{d}/a")]);
    assert_eq!(r.out(), format!("-rw-r--r-- 1 3 2020-01-02  {d}/a\n"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn recent_times_show_the_clock_and_zone_applies() {
    let dir = temp_dir("ls-recent");
    let f = dir.join("f");
    std::fs::write(&f, "").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let t = now - 3600;
    set_mtime(&f, t);
    let tz = crate::common::time::Tz::from_tz_value(b"UTC0", b"/nonexistent");
    let tm = crate::common::time::localtime(t, &tz);
    let when = String::from_utf8(crate::common::time::strftime(b"%b %e %H:%M", &tm)).unwrap();
    let fs = f.to_str().unwrap();
    assert_eq!(
        ls(&["-lgo", fs]).out(),
        format!("-rw-r--r-- 1 0 {when} {fs}\n")
    );
    // A fixed zone five hours west moves the clock.
    let tz = crate::common::time::Tz::from_tz_value(b"EST5", b"/nonexistent");
    let tm = crate::common::time::localtime(t, &tz);
    let when = String::from_utf8(crate::common::time::strftime(b"%b %e %H:%M", &tm)).unwrap();
    let args: Vec<Vec<u8>> = ["-lgo", fs].iter().map(|a| a.as_bytes().to_vec()).collect();
    let r = run_with_env("ls", &args, b"", &[("TZ", "EST5")]);
    assert_eq!(r.out(), format!("-rw-r--r-- 1 0 {when} {fs}\n"));
    // In the future: the year, not the clock.
    set_mtime(&f, now + 400 * 86400);
    assert!(!ls(&["-lgo", fs]).out().contains(':'));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn owners_numeric_and_named() {
    let (dir, d) = tree("ls-owner");
    let m = std::fs::metadata(dir.join("a")).unwrap();
    let r = ls(&["-n", &format!("{d}/a")]);
    assert_eq!(
        r.out(),
        format!(
            "-rw-r--r-- 1 {} {} 3 Jan  2  2020 {d}/a\n",
            m.uid(),
            m.gid()
        )
    );
    let acc = crate::common::passwd::Accounts::load();
    let user = String::from_utf8(acc.user_name(m.uid())).unwrap();
    let group = String::from_utf8(acc.group_name(m.gid())).unwrap();
    let r = ls(&["-l", &format!("{d}/a")]);
    assert_eq!(
        r.out(),
        format!("-rw-r--r-- 1 {user} {group} 3 Jan  2  2020 {d}/a\n")
    );
    let r = ls(&["-o", &format!("{d}/a")]);
    assert_eq!(
        r.out(),
        format!("-rw-r--r-- 1 {user} 3 Jan  2  2020 {d}/a\n")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn sorting_by_time_and_size() {
    let (dir, d) = tree("ls-sort");
    assert_eq!(ls(&["-t", &d]).out(), "dead\nlink\nc\nbb\na\n");
    assert_eq!(ls(&["-tr", &d]).out(), "a\nbb\nc\nlink\ndead\n");
    assert_eq!(ls(&["-S", &d]).out(), "c\nbb\ndead\na\nlink\n");
    assert_eq!(ls(&["-U", "-d", &d]).out(), format!("{d}\n"));
    assert_eq!(
        ls(&["--group-directories-first", &d]).out(),
        "c\na\nbb\ndead\nlink\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn indicators_inodes_and_blocks() {
    let (dir, d) = tree("ls-ind");
    assert_eq!(ls(&["-F", &d]).out(), "a\nbb*\nc/\ndead@\nlink@\n");
    assert_eq!(ls(&["-p", &d]).out(), "a\nbb\nc/\ndead\nlink\n");
    assert_eq!(ls(&["--file-type", &d]).out(), "a\nbb\nc/\ndead@\nlink@\n");
    let r = ls(&["-lgoF", &format!("{d}/link"), &format!("{d}/dead")]);
    assert!(r.out().contains("link -> a\n"), "{}", r.out());
    assert!(r.out().contains("dead -> nowhere\n"));
    let ino = std::fs::metadata(dir.join("a")).unwrap().ino();
    assert_eq!(
        ls(&["-i", &format!("{d}/a")]).out(),
        format!("{ino} {d}/a\n")
    );
    let blocks = std::fs::metadata(dir.join("bb"))
        .unwrap()
        .blocks()
        .div_ceil(2);
    assert_eq!(
        ls(&["-s", &format!("{d}/bb")]).out(),
        format!("{blocks} {d}/bb\n")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn operands_files_first_then_directories_with_headers() {
    let (dir, d) = tree("ls-ops");
    std::fs::write(dir.join("c/inner"), "").unwrap();
    let r = ls(&[&format!("{d}/c"), &format!("{d}/a"), &format!("{d}/nope")]);
    assert_eq!(r.out(), format!("{d}/a\n\n{d}/c:\ninner\n"));
    assert_eq!(
        r.err(),
        format!("ls: cannot access '{d}/nope': No such file or directory\n")
    );
    assert_eq!(r.status, 2);
    let r = ls(&["-R", &format!("{d}/c")]);
    assert_eq!(r.out(), format!("{d}/c:\ninner\n"));
    std::fs::create_dir(dir.join("c/sub")).unwrap();
    let r = ls(&["-R", &format!("{d}/c")]);
    assert_eq!(r.out(), format!("{d}/c:\ninner\nsub\n\n{d}/c/sub:\n"));
    // -d lists the directory itself; a symlink operand to a directory is followed.
    assert_eq!(ls(&["-d", &d]).out(), format!("{d}\n"));
    std::os::unix::fs::symlink("c", dir.join("lc")).unwrap();
    assert_eq!(ls(&[&format!("{d}/lc")]).out(), "inner\nsub\n");
    assert_eq!(ls(&["-F", &format!("{d}/lc")]).out(), format!("{d}/lc@\n"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn empty_directory_and_long_total() {
    let dir = temp_dir("ls-empty");
    let d = dir.to_str().unwrap();
    let r = ls(&[d]);
    assert_eq!((r.status, r.out().as_str()), (0, ""));
    assert_eq!(ls(&["-l", d]).out(), "total 0\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn odd_names_are_listed_raw_when_piped_and_quoted_on_request() {
    let dir = temp_dir("ls-odd");
    for n in [&b"sp ace"[..], b"new\nline", b"bad\xff", b"it's"] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(n)), "").unwrap();
    }
    let d = dir.to_str().unwrap();
    let r = ls(&[d]);
    assert_eq!(r.stdout, b"bad\xff\nit's\nnew\nline\nsp ace\n");
    assert_eq!(
        ls(&["-Q", d]).out(),
        "\"bad\\377\"\n\"it's\"\n\"new\\nline\"\n\"sp ace\"\n"
    );
    assert_eq!(
        ls(&["-b", d]).out(),
        "bad\\377\nit's\nnew\\nline\nsp\\ ace\n"
    );
    assert_eq!(ls(&["-q", d]).out(), "bad?\nit's\nnew?line\nsp ace\n");
    assert_eq!(
        ls_env(&[d], &[("QUOTING_STYLE", "c")]).out(),
        "\"bad\\377\"\n\"it's\"\n\"new\\nline\"\n\"sp ace\"\n"
    );
    assert_eq!(
        ls(&["--quoting-style=shell-escape", d]).out(),
        "'bad'$'\\377'\n\"it's\"\n'new'$'\\n''line'\n'sp ace'\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn columns_follow_gnu_layout() {
    let dir = temp_dir("ls-cols");
    for n in ["a", "bbbb", "cc", "dddddd", "e", "ffff", "g"] {
        std::fs::write(dir.join(n), "").unwrap();
    }
    let d = dir.to_str().unwrap();
    let cols = |args: &[&str], w: &str| ls_env(args, &[("COLUMNS", w)]).out();
    // Seven names in 20 columns: three rows, filled top to bottom.
    assert_eq!(
        cols(&["-C", d], "20"),
        "a     dddddd  g\nbbbb  e\ncc    ffff\n"
    );
    assert_eq!(cols(&["-x", d], "20"), "a  bbbb  cc  dddddd\ne  ffff  g\n");
    assert_eq!(cols(&["-C", d], "80"), "a  bbbb  cc  dddddd  e\tffff  g\n");
    assert_eq!(cols(&["-m", d], "20"), "a, bbbb, cc, dddddd,\ne, ffff, g\n");
    assert_eq!(
        cols(&["-C", "-w", "0", d], "20"),
        "a  bbbb  cc  dddddd  e  ffff  g\n"
    );
    assert_eq!(cols(&["-1", d], "20"), "a\nbbbb\ncc\ndddddd\ne\nffff\ng\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn colours_use_gnu_defaults() {
    let (dir, d) = tree("ls-color");
    let r = ls_env(&["--color=always", &d], &[("TERM", "xterm")]);
    assert_eq!(
        r.out(),
        "a\n\x1b[0m\x1b[01;32mbb\x1b[0m\n\x1b[01;34mc\x1b[0m\n\
         \x1b[01;36mdead\x1b[0m\n\x1b[01;36mlink\x1b[0m\n"
    );
    // LS_COLORS: type keys, suffixes (any case, the last defined wins), ln=target, or.
    std::fs::write(dir.join("x.TAR"), "").unwrap();
    let r = ls_env(
        &["--color=always", &d],
        &[("LS_COLORS", "di=4:*.tar=1:*r=3:ln=target:or=41:ex=")],
    );
    assert_eq!(
        r.out(),
        "a\nbb\n\x1b[0m\x1b[4mc\x1b[0m\n\x1b[41mdead\x1b[0m\nlink\n\x1b[3mx.TAR\x1b[0m\n"
    );
    std::fs::remove_file(dir.join("x.TAR")).unwrap();
    // No TERM that takes colours: none, as GNU does.
    assert_eq!(ls(&["--color=always", &d]).out(), "a\nbb\nc\ndead\nlink\n");
    assert_eq!(
        ls_env(&["--color=never", &d], &[("TERM", "xterm")]).out(),
        "a\nbb\nc\ndead\nlink\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn devices_show_major_and_minor() {
    if !Path::new("/dev/null").exists() {
        return;
    }
    let r = ls(&["-lgo", "/dev/null"]);
    assert!(r.out().starts_with("crw-rw-rw- 1 1, 3 "), "{}", r.out());
    assert!(r.out().ends_with(" /dev/null\n"));
}

#[test]
fn usage_errors_have_status_2() {
    let r = ls(&["-j"]);
    assert_eq!(r.status, 2);
    assert!(r.err().starts_with("ls: invalid option -- 'j'\n"));
    let r = ls(&["--sort=bogus"]);
    assert_eq!(r.status, 2);
    assert_eq!(
        r.err().lines().next(),
        Some("ls: invalid argument 'bogus' for '--sort'")
    );
}
