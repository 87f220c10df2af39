//! `sed`: the stream editor (POSIX plus the GNU extensions scripts rely on).

mod exec;
mod parse;
#[cfg(test)]
mod tests;

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};

use self::exec::{Exec, Inputs, Settings};
use self::parse::Origin;
use crate::common::{lines, path};
use crate::opts::parse_number;
use crate::prelude::*;

/// The `sed` applet.
pub const APPLET: Applet = Applet::new("sed", main, Run::Fork)
    .usage("[OPTION]... {script-only-if-no-other-script} [input-file]...")
    .help(
        "Edit each FILE (standard input for - or none) with SCRIPT.\n\n\
         -n, --quiet\tDo not print the pattern space at the end of each cycle\n\
         -e SCRIPT\tAdd SCRIPT to the commands\n\
         -f FILE\t\tAdd the contents of FILE to the commands\n\
         -E, -r\t\tUse extended regular expressions\n\
         -i[SUFFIX]\tEdit files in place (backup with SUFFIX; * in it is the name)\n\
         -s\t\tTreat files as separate streams\n\
         -z\t\tLines end with NUL\n\
         -u\t\tFlush output after each line\n\
         -l N\t\tWrap `l' output at N columns\n\
         --posix\t\tAccepted; GNU extensions stay on",
    );

const LONGS: &[&str] = &[
    "quiet",
    "silent",
    "expression",
    "file",
    "regexp-extended",
    "in-place",
    "separate",
    "null-data",
    "zero-terminated",
    "unbuffered",
    "line-length",
    "posix",
    "debug",
    "sandbox",
    "follow-symlinks",
];

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut opts = ctx.opts(LONGS);
    let mut script = Vec::new();
    let mut origins = Vec::new();
    let mut quiet = false;
    let mut ere = false;
    let mut separate = false;
    let mut in_place: Option<Vec<u8>> = None;
    let mut delim = b'\n';
    let mut unbuffered = false;
    let mut wrap = 70usize;
    let mut files = Vec::new();
    let mut exprs = 0;
    let mut have_script = false;
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('n') | Arg::Long("quiet" | "silent") => quiet = true,
            Arg::Short('e') | Arg::Long("expression") => {
                let v = opts.value()?;
                exprs += 1;
                if have_script {
                    script.push(b'\n');
                }
                origins.push((script.len(), Origin::Expr(exprs)));
                script.extend_from_slice(&v);
                have_script = true;
            }
            Arg::Short('f') | Arg::Long("file") => {
                let v = opts.value()?;
                let mut text = Vec::new();
                let r = if v == b"-" {
                    lines::read_all(&mut ctx.stdin, &mut text)
                } else {
                    lines::open(&v).and_then(|mut f| lines::read_all(&mut f, &mut text))
                };
                if let Err(e) = r {
                    let mut m = b"couldn't open file ".to_vec();
                    m.extend_from_slice(&crate::error::subject_reason(&v, &e));
                    return Err(Error::msg(m));
                }
                if text.last() == Some(&b'\n') {
                    text.pop();
                }
                if have_script {
                    script.push(b'\n');
                }
                origins.push((script.len(), Origin::File(v)));
                script.extend_from_slice(&text);
                have_script = true;
            }
            Arg::Short('E' | 'r') | Arg::Long("regexp-extended") => ere = true,
            Arg::Short('i') | Arg::Long("in-place") => {
                in_place = Some(opts.optional_value().unwrap_or_default());
                separate = true;
            }
            Arg::Short('s') | Arg::Long("separate") => separate = true,
            Arg::Short('z') | Arg::Long("null-data" | "zero-terminated") => delim = 0,
            Arg::Short('u') | Arg::Long("unbuffered") => unbuffered = true,
            Arg::Short('l') | Arg::Long("line-length") => {
                wrap = parse_number(&opts.value()?, "line length")?;
            }
            Arg::Long("posix" | "debug" | "sandbox" | "follow-symlinks") => {}
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    if !have_script {
        if files.is_empty() {
            let line = ctx.applet.usage_line();
            ctx.stderr.write_all(line.as_bytes())?;
            ctx.stderr.write_all(b"\n")?;
            return Err(Error::silent(1));
        }
        let s = files.remove(0);
        origins.push((0, Origin::Expr(1)));
        script = s;
    }
    let prog = parse::parse(&script, &origins, ere).map_err(|e| {
        if e.message.starts_with(b"can't find label") {
            e.with_status(4)
        } else {
            e
        }
    })?;
    let set = Settings {
        quiet: quiet || prog.quiet,
        delim,
        wrap,
        unbuffered,
    };
    let mut ex = Exec::new(&prog, set).map_err(|m| Error::msg(m).with_status(4))?;
    if files.is_empty() {
        if in_place.is_some() {
            return Err(Error::msg("no input files").with_status(1));
        }
        files.push(b"-".to_vec());
    }
    let mut stdin = std::mem::replace(&mut ctx.stdin, crate::ctx::Input::mem(b""));
    let r = run_files(
        ctx,
        &mut ex,
        &mut stdin,
        files,
        separate,
        in_place.as_deref(),
    );
    ctx.stdin = stdin;
    for m in std::mem::take(&mut ex.errors) {
        ctx.warn_msg(&m);
        ctx.status = 4;
    }
    r?;
    if let Some(code) = ex.quit
        && code != 0
    {
        return Err(Error::silent(u8::try_from(code & 0xff).unwrap_or(1)));
    }
    Ok(())
}

fn report(ctx: &mut Ctx<'_>, inp: &mut Inputs<'_, '_>) {
    for m in std::mem::take(&mut inp.errors) {
        ctx.warn_msg(&m);
        ctx.status = 2;
    }
}

fn run_files(
    ctx: &mut Ctx<'_>,
    ex: &mut Exec<'_>,
    stdin: &mut crate::ctx::Input<'_>,
    files: Vec<Vec<u8>>,
    separate: bool,
    in_place: Option<&[u8]>,
) -> Result<(), Error> {
    if let Some(suffix) = in_place {
        for f in files {
            if ex.quit.is_some() {
                break;
            }
            ex.restart_lines();
            edit_in_place(ctx, ex, stdin, &f, suffix)?;
        }
        return Ok(());
    }
    if separate {
        for f in files {
            if ex.quit.is_some() {
                break;
            }
            ex.restart_lines();
            let mut inp = Inputs::new(vec![f], stdin);
            let r = ex.run(&mut inp, &mut ctx.stdout);
            report(ctx, &mut inp);
            r?;
        }
        return Ok(());
    }
    let mut inp = Inputs::new(files, stdin);
    let r = ex.run(&mut inp, &mut ctx.stdout);
    report(ctx, &mut inp);
    r?;
    Ok(())
}

fn couldnt_edit(ctx: &mut Ctx<'_>, name: &[u8], why: &str) {
    let mut m = b"couldn't edit ".to_vec();
    m.extend_from_slice(name);
    m.extend_from_slice(b": ");
    m.extend_from_slice(why.as_bytes());
    ctx.warn_msg(&m);
    ctx.status = 4;
}

/// `-i`: the output goes to a new file in the same directory, which then replaces the
/// original (after it is renamed to the backup, with a suffix); on failure the original
/// stays as it was.
fn edit_in_place(
    ctx: &mut Ctx<'_>,
    ex: &mut Exec<'_>,
    stdin: &mut crate::ctx::Input<'_>,
    name: &[u8],
    suffix: &[u8],
) -> Result<(), Error> {
    let os = std::ffi::OsStr::from_bytes(name);
    let meta = match fs::metadata(os) {
        Ok(m) => m,
        Err(e) => {
            let mut m = b"can't read ".to_vec();
            m.extend_from_slice(&crate::error::subject_reason(name, &e));
            ctx.warn_msg(&m);
            ctx.status = 2;
            return Ok(());
        }
    };
    if !meta.is_file() {
        couldnt_edit(ctx, name, "not a regular file");
        return Ok(());
    }
    let dir = path::dirname(name).to_vec();
    let (tmp_path, tmp) = match temp_file(&dir) {
        Ok(t) => t,
        Err(e) => {
            let mut m = b"couldn't open temporary file ".to_vec();
            m.extend_from_slice(&crate::error::subject_reason(&dir, &e));
            return Err(Error::msg(m).with_status(4));
        }
    };
    let tmp_os = std::ffi::OsStr::from_bytes(&tmp_path).to_owned();
    let mut out = BufWriter::with_capacity(lines::BUF_SIZE, tmp);
    let mut inp = Inputs::new(vec![name.to_vec()], stdin);
    ex.new_output();
    let r = ex.run(&mut inp, &mut out);
    let read_failed = !inp.errors.is_empty();
    report(ctx, &mut inp);
    let finish = r.and_then(|()| out.flush()).and_then(|()| {
        let f = out.get_ref();
        f.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        let _ = std::os::unix::fs::fchown(f, Some(meta.uid()), Some(meta.gid()));
        Ok(())
    });
    if let Err(e) = finish {
        let _ = fs::remove_file(&tmp_os);
        let mut m = b"couldn't write to ".to_vec();
        m.extend_from_slice(&crate::error::subject_reason(&tmp_path, &e));
        return Err(Error::msg(m).with_status(4));
    }
    if read_failed {
        let _ = fs::remove_file(&tmp_os);
        return Ok(());
    }
    if !suffix.is_empty() {
        let backup = backup_name(name, suffix);
        if let Err(e) = fs::rename(os, std::ffi::OsStr::from_bytes(&backup)) {
            let _ = fs::remove_file(&tmp_os);
            let mut m = b"cannot rename ".to_vec();
            m.extend_from_slice(&crate::error::subject_reason(name, &e));
            return Err(Error::msg(m).with_status(4));
        }
    }
    if let Err(e) = fs::rename(&tmp_os, os) {
        let _ = fs::remove_file(&tmp_os);
        let mut m = b"cannot rename ".to_vec();
        m.extend_from_slice(&crate::error::subject_reason(&tmp_path, &e));
        return Err(Error::msg(m).with_status(4));
    }
    Ok(())
}

/// The backup name: `suffix` appended, or with each `*` in it replaced by the base name.
fn backup_name(name: &[u8], suffix: &[u8]) -> Vec<u8> {
    if !suffix.contains(&b'*') {
        let mut b = name.to_vec();
        b.extend_from_slice(suffix);
        return b;
    }
    let base = path::basename(name);
    let mut b = Vec::new();
    for &c in suffix {
        if c == b'*' {
            b.extend_from_slice(base);
        } else {
            b.push(c);
        }
    }
    if b.contains(&b'/') {
        b
    } else {
        let mut full = path::dirname(name).to_vec();
        full.push(b'/');
        full.extend_from_slice(&b);
        full
    }
}

/// A new file `DIR/sedXXXXXX` created exclusively, mode 0600.
fn temp_file(dir: &[u8]) -> io::Result<(Vec<u8>, File)> {
    let seed = std::process::id();
    let mut last = io::Error::from_raw_os_error(libc::EEXIST);
    for n in 0..100u32 {
        let mut p = dir.to_vec();
        p.extend_from_slice(
            format!(
                "/sed{:06x}",
                (seed.wrapping_mul(31).wrapping_add(n)) & 0xff_ffff
            )
            .as_bytes(),
        );
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(std::ffi::OsStr::from_bytes(&p))
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
