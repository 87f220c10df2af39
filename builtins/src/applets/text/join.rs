//! `join`: join the lines of two sorted files on a common field.

use std::cmp::Ordering;

use crate::common::lines::LineInput;
use crate::prelude::*;

/// The `join` applet.
pub const APPLET: Applet = Applet::new("join", main, Run::Fork)
    .dir(InstallDir::UsrBin)
    .usage("[-i] [-a 1|2] [-v 1|2] [-e S] [-o LIST] [-t C] [-1 F] [-2 F] [-j F] FILE1 FILE2")
    .help(
        "For each pair of lines of FILE1 and FILE2 (- is standard input) with equal join\n\
         fields, print one line. The files must be sorted on the join fields.\n\n\
         -1 F, -2 F\tJoin on field F of file 1 / file 2 (default 1)\n\
         -j F\tJoin on field F of both files\n\
         -t C\tFields are separated by C (default: blank runs, leading blanks ignored)\n\
         -a N\tAlso print unpairable lines of file N\n\
         -v N\tOnly print unpairable lines of file N\n\
         -e S\tPrint S for missing fields of -o\n\
         -o LIST\tOutput these fields: 0 (join field) or N.F, comma separated; or auto\n\
         -i\tIgnore case in the join fields\n\
         --header\tPair the first lines without checking them\n\
         --check-order, --nocheck-order\tFail on / do not check unsorted input\n\
         -z\tLines end with NUL, not newline",
    );

const LONGS: &[&str] = &[
    "ignore-case",
    "check-order",
    "nocheck-order",
    "header",
    "zero-terminated",
];

#[derive(Clone, Copy)]
enum Spec {
    Join,
    Field(usize, usize),
}

struct Cfg {
    field: [usize; 2],
    tab: Option<u8>,
    empty: Option<Vec<u8>>,
    format: Option<Vec<Spec>>,
    auto: bool,
    fold: bool,
    term: u8,
}

fn split<'l>(line: &'l [u8], tab: Option<u8>, out: &mut Vec<&'l [u8]>) {
    out.clear();
    match tab {
        Some(t) => {
            if !line.is_empty() {
                out.extend(line.split(|&b| b == t));
            }
        }
        None => out.extend(
            line.split(|&b| b == b' ' || b == b'\t')
                .filter(|f| !f.is_empty()),
        ),
    }
}

fn field_num(v: &[u8]) -> Result<usize, Error> {
    std::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            Error::msg(format!(
                "invalid field number: '{}'",
                String::from_utf8_lossy(v)
            ))
        })
}

fn file_num(v: &[u8]) -> Result<usize, Error> {
    match v {
        b"1" => Ok(0),
        b"2" => Ok(1),
        _ => Err(Error::msg(format!(
            "invalid file number: '{}'",
            String::from_utf8_lossy(v)
        ))),
    }
}

fn parse_format(v: &[u8]) -> Result<Vec<Spec>, Error> {
    let mut out = Vec::new();
    for part in v
        .split(|&b| b == b',' || b == b' ' || b == b'\t')
        .filter(|p| !p.is_empty())
    {
        if part == b"0" {
            out.push(Spec::Join);
            continue;
        }
        let bad = || {
            Error::msg(format!(
                "invalid field specifier: '{}'",
                String::from_utf8_lossy(part)
            ))
        };
        let dot = part.iter().position(|&b| b == b'.').ok_or_else(bad)?;
        let f = file_num(&part[..dot]).map_err(|_| bad())?;
        let n = field_num(&part[dot + 1..]).map_err(|_| bad())?;
        out.push(Spec::Field(f, n - 1));
    }
    Ok(out)
}

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut cfg = Cfg {
        field: [0, 0],
        tab: None,
        empty: None,
        format: None,
        auto: false,
        fold: false,
        term: b'\n',
    };
    let mut unpaired = [false, false];
    let mut only_unpaired = false;
    let mut check: Option<bool> = None;
    let mut header = false;
    let mut files = Vec::new();
    let mut opts = ctx.opts(LONGS);
    while let Some(arg) = opts.next()? {
        match arg {
            Arg::Short('1') => cfg.field[0] = field_num(&opts.value()?)? - 1,
            Arg::Short('2') => cfg.field[1] = field_num(&opts.value()?)? - 1,
            Arg::Short('j') => {
                let f = field_num(&opts.value()?)? - 1;
                cfg.field = [f, f];
            }
            Arg::Short('t') => {
                let v = opts.value()?;
                cfg.tab = Some(match &v[..] {
                    [c] => *c,
                    b"\\0" => 0,
                    [] => b'\n',
                    _ => {
                        return Err(Error::msg(format!(
                            "multi-character tab '{}'",
                            String::from_utf8_lossy(&v)
                        )));
                    }
                });
            }
            Arg::Short('a') => unpaired[file_num(&opts.value()?)?] = true,
            Arg::Short('v') => {
                unpaired[file_num(&opts.value()?)?] = true;
                only_unpaired = true;
            }
            Arg::Short('e') => cfg.empty = Some(opts.value()?),
            Arg::Short('o') => {
                let v = opts.value()?;
                if v == b"auto" {
                    cfg.auto = true;
                } else {
                    cfg.format
                        .get_or_insert_with(Vec::new)
                        .extend(parse_format(&v)?);
                }
            }
            Arg::Short('i') | Arg::Long("ignore-case") => cfg.fold = true,
            Arg::Long("check-order") => check = Some(true),
            Arg::Long("nocheck-order") => check = Some(false),
            Arg::Long("header") => header = true,
            Arg::Short('z') | Arg::Long("zero-terminated") => cfg.term = 0,
            Arg::Value(v) => files.push(v),
            other => return Err(opts.unexpected(&other)),
        }
    }
    match files.len() {
        0 => return Err(Error::usage("missing operand")),
        1 => {
            return Err(Error::usage(format!(
                "missing operand after '{}'",
                String::from_utf8_lossy(&files[0])
            )));
        }
        2 => {}
        _ => return Err(opts.unexpected(&Arg::Value(files.swap_remove(2)))),
    }
    if files[0] == b"-" && files[1] == b"-" {
        return Err(Error::msg("both files cannot be standard input"));
    }
    let mut ins = Vec::new();
    for name in &files {
        ins.push(LineInput::open(name).map_err(|e| Error::io(name, &e))?);
    }
    let mut j = Joiner {
        cfg: &cfg,
        widths: [0, 0],
        out: Vec::new(),
    };
    let stdin: &mut dyn BufRead = &mut ctx.stdin;
    let out: &mut dyn Write = &mut ctx.stdout;
    // Current line and the group of lines with equal keys, per file.
    let mut cur: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut has = [false, false];
    let mut prev_key: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut warned = [false, false];
    let mut disorder = false;
    let mut fields = Vec::new();
    for k in 0..2 {
        has[k] = ins[k]
            .read_line(stdin, &mut cur[k], cfg.term)
            .map_err(|e| Error::io(&files[k], &e))?;
    }
    if cfg.auto {
        for (k, line) in cur.iter().enumerate() {
            split(line, cfg.tab, &mut fields);
            j.widths[k] = fields.len();
        }
    }
    let mut errors: Vec<Vec<u8>> = Vec::new();
    if header && has[0] && has[1] {
        let (a, b) = (cur[0].clone(), cur[1].clone());
        j.pair(out, &a, &b)?;
        for k in 0..2 {
            has[k] = ins[k]
                .read_line(stdin, &mut cur[k], cfg.term)
                .map_err(|e| Error::io(&files[k], &e))?;
        }
    }
    let mut groups: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
    while has[0] || has[1] {
        let ord = match (has[0], has[1]) {
            (true, true) => cmp_keys(
                &key_of(&cur[0], 0, &cfg),
                &key_of(&cur[1], 1, &cfg),
                cfg.fold,
            ),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let take: &[usize] = match ord {
            Ordering::Less => &[0],
            Ordering::Greater => &[1],
            Ordering::Equal => &[0, 1],
        };
        let key = key_of(&cur[take[0]], take[0], &cfg);
        for &k in take {
            groups[k].clear();
            while has[k] && cmp_keys(&key_of(&cur[k], k, &cfg), &key, cfg.fold) == Ordering::Equal {
                groups[k].push(std::mem::take(&mut cur[k]));
                has[k] = ins[k]
                    .read_line(stdin, &mut cur[k], cfg.term)
                    .map_err(|e| Error::io(&files[k], &e))?;
            }
            // Order check: the next key must not sort before this group's key.
            if has[k] && check != Some(false) && !warned[k] {
                let next = key_of(&cur[k], k, &cfg);
                if cmp_keys(&next, &key, cfg.fold) == Ordering::Less {
                    warned[k] = true;
                    disorder = true;
                    let mut m = format!("{}:", String::from_utf8_lossy(&files[k])).into_bytes();
                    m.extend_from_slice(b" is not sorted: ");
                    m.extend_from_slice(&cur[k]);
                    errors.push(m);
                }
            }
            prev_key[k].clear();
            prev_key[k].extend_from_slice(&key);
        }
        if take.len() == 2 {
            if !only_unpaired {
                for a in &groups[0] {
                    for b in &groups[1] {
                        j.pair(out, a, b)?;
                    }
                }
            }
        } else if unpaired[take[0]] {
            for l in &groups[take[0]] {
                j.single(out, take[0], l)?;
            }
        }
        if disorder && check == Some(true) {
            break;
        }
    }
    out.flush()?;
    for m in &errors {
        ctx.warn_msg(m);
    }
    if disorder {
        return Err(Error::msg("input is not in sorted order"));
    }
    Ok(())
}

fn key_of(line: &[u8], k: usize, cfg: &Cfg) -> Vec<u8> {
    let mut f = Vec::new();
    split(line, cfg.tab, &mut f);
    f.get(cfg.field[k]).map(|s| s.to_vec()).unwrap_or_default()
}

fn cmp_keys(a: &[u8], b: &[u8], fold: bool) -> Ordering {
    if fold {
        a.iter()
            .map(u8::to_ascii_lowercase)
            .cmp(b.iter().map(u8::to_ascii_lowercase))
    } else {
        a.cmp(b)
    }
}

struct Joiner<'c> {
    cfg: &'c Cfg,
    widths: [usize; 2],
    out: Vec<u8>,
}

impl Joiner<'_> {
    fn sep(&self) -> u8 {
        self.cfg.tab.unwrap_or(b' ')
    }

    fn put_field(&mut self, first: &mut bool, f: Option<&[u8]>) {
        if !*first {
            let s = self.sep();
            self.out.push(s);
        }
        *first = false;
        match f {
            Some(f) => self.out.extend_from_slice(f),
            None => {
                if let Some(e) = &self.cfg.empty {
                    self.out.extend_from_slice(e);
                }
            }
        }
    }

    /// Writes the output line for `lines` (one per file; `None` for an unpaired side).
    fn emit(&mut self, out: &mut dyn Write, lines: [Option<&[u8]>; 2]) -> std::io::Result<()> {
        let mut f0 = Vec::new();
        let mut f1 = Vec::new();
        if let Some(l) = lines[0] {
            split(l, self.cfg.tab, &mut f0);
        }
        if let Some(l) = lines[1] {
            split(l, self.cfg.tab, &mut f1);
        }
        let fs = [f0, f1];
        let join_field = match (lines[0], lines[1]) {
            (Some(_), _) => fs[0].get(self.cfg.field[0]).copied(),
            (None, Some(_)) => fs[1].get(self.cfg.field[1]).copied(),
            _ => None,
        };
        self.out.clear();
        let mut first = true;
        if let Some(format) = &self.cfg.format {
            let format = format.clone();
            for spec in format {
                let f = match spec {
                    Spec::Join => join_field,
                    Spec::Field(k, n) => fs[k].get(n).copied(),
                };
                self.put_field(&mut first, f);
            }
        } else if self.cfg.auto {
            self.put_field(&mut first, join_field);
            for k in 0..2 {
                for n in 0..self.widths[k] {
                    if n == self.cfg.field[k] {
                        continue;
                    }
                    let f = if lines[k].is_some() {
                        fs[k].get(n).copied()
                    } else {
                        None
                    };
                    self.put_field(&mut first, f);
                }
            }
        } else {
            let e = self.cfg.empty.clone();
            match (join_field, &e) {
                (Some(f), _) => self.put_field(&mut first, Some(f)),
                (None, Some(_)) => self.put_field(&mut first, None),
                (None, None) => first = false,
            }
            for k in 0..2 {
                if lines[k].is_none() {
                    continue;
                }
                for (n, f) in fs[k].iter().enumerate() {
                    if n != self.cfg.field[k] {
                        self.put_field(&mut first, Some(f));
                    }
                }
            }
        }
        self.out.push(self.cfg.term);
        out.write_all(&self.out)
    }

    fn pair(&mut self, out: &mut dyn Write, a: &[u8], b: &[u8]) -> std::io::Result<()> {
        self.emit(out, [Some(a), Some(b)])
    }

    fn single(&mut self, out: &mut dyn Write, k: usize, l: &[u8]) -> std::io::Result<()> {
        if k == 0 {
            self.emit(out, [Some(l), None])
        } else {
            self.emit(out, [None, Some(l)])
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, temp_dir};

    fn files(a: &str, b: &str) -> (std::path::PathBuf, String, String) {
        let dir = temp_dir(&format!("join-{}", a.len() * 31 + b.len()));
        let (pa, pb) = (dir.join("a"), dir.join("b"));
        std::fs::write(&pa, a).unwrap();
        std::fs::write(&pb, b).unwrap();
        let (pa, pb) = (
            pa.to_str().unwrap().to_string(),
            pb.to_str().unwrap().to_string(),
        );
        (dir, pa, pb)
    }

    #[test]
    fn joins() {
        let (dir, a, b) = files("1 a\n2 b\n2 c\n4 d\n", "1 x\n2 y\n3 z\n");
        assert_eq!(run("join", &[&a, &b], b"").out(), "1 a x\n2 b y\n2 c y\n");
        assert_eq!(
            run("join", &["-a1", &a, &b], b"").out(),
            "1 a x\n2 b y\n2 c y\n4 d\n"
        );
        assert_eq!(run("join", &["-v2", &a, &b], b"").out(), "3 z\n");
        assert_eq!(
            run(
                "join",
                &["-a1", "-a2", "-e", "-", "-o", "0,1.2,2.2", &a, &b],
                b""
            )
            .out(),
            "1 a x\n2 b y\n2 c y\n3 - z\n4 d -\n"
        );
        assert_eq!(
            run("join", &["-o", "auto", "-a2", &a, &b], b"").out(),
            "1 a x\n2 b y\n2 c y\n3  z\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn separators_and_fields() {
        let (dir, a, b) = files("x:1\ny:2\n", "1:p\n2:q\n");
        assert_eq!(
            run("join", &["-t:", "-1", "2", "-2", "1", &a, &b], b"").out(),
            "1:x:p\n2:y:q\n"
        );
        assert_eq!(
            run("join", &["-t", ":", "-1", "2", "-", &b], b"a:1\n").out(),
            "1:a:p\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        let (dir, a, b) = files("A 1\nb 2\n", "a x\nB y\n");
        assert_eq!(run("join", &["-i", &a, &b], b"").out(), "A 1 x\nb 2 y\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors() {
        assert_eq!(run("join", &["a"], b"").status, 1);
        let r = run("join", &["/nonexistent/a", "/nonexistent/b"], b"");
        assert_eq!(r.err(), "join: /nonexistent/a: No such file or directory\n");
        assert_eq!(
            run("join", &["-1", "0", "a", "b"], b"").err(),
            "join: invalid field number: '0'\n"
        );
        let (dir, a, b) = files("2 a\n1 b\n", "1 x\n2 y\n");
        let r = run("join", &[&a, &b], b"");
        assert_eq!(r.status, 1);
        assert!(r.err().ends_with("join: input is not in sorted order\n"));
        assert_eq!(run("join", &["--nocheck-order", &a, &b], b"").status, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
