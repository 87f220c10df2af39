//! find's expression: the grammar (`!`, `-a`, `-o`, `,`, parentheses, implicit `-a`),
//! every primary's argument checked up front, with GNU's messages.

use std::fs::File;

use nix::fcntl::AT_FDCWD;
use nix::sys::stat::{FileStat, fstatat};
use rbox_parser::pattern::{Options as PatOptions, Pattern};

use super::glob::Glob;
use rbox_parser::regex::{Options as ReOptions, Regex};

use super::super::{path, quote};
use crate::common::mode::ModeChange;
use crate::common::passwd::Accounts;
use crate::common::walk::Follow;
use crate::error::Error;

/// How a number argument compares: `+N`, `-N`, `N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cmp {
    Lt,
    Eq,
    Gt,
}

impl Cmp {
    pub(super) fn test<T: PartialOrd>(self, value: T, n: T) -> bool {
        match self {
            Cmp::Lt => value < n,
            Cmp::Eq => value == n,
            Cmp::Gt => value > n,
        }
    }
}

/// Which time stamp a test looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stamp {
    Access,
    Modify,
    Change,
}

impl Stamp {
    pub(super) fn of(self, st: &FileStat) -> (i64, i64) {
        match self {
            Stamp::Access => (st.st_atime, st.st_atime_nsec),
            Stamp::Modify => (st.st_mtime, st.st_mtime_nsec),
            Stamp::Change => (st.st_ctime, st.st_ctime_nsec),
        }
    }
}

/// How `-perm` compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PermHow {
    Exact,
    All,
    Any,
}

/// A parsed expression node.
pub(super) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    List(Box<Expr>, Box<Expr>),
    True,
    False,
    /// `-name`/`-iname`: the base name.
    Name(Glob),
    /// `-path`/`-wholename` and their `-i` forms: the whole path.
    Path(Glob),
    Regex(Box<Regex>),
    /// `-type`/`-xtype`: a set of type letters as bits (see [`type_bit`]).
    Type {
        mask: u8,
        x: bool,
    },
    Size {
        cmp: Cmp,
        n: u64,
        unit: u64,
    },
    /// `-mtime` and friends: the age in `unit` seconds, rounded down.
    Age {
        stamp: Stamp,
        cmp: Cmp,
        n: i64,
        unit: i64,
    },
    /// `-lname`/`-ilname`: a symlink's target.
    LinkName(Pattern),
    /// `-newer` and friends: the stamp is later than the reference's.
    Newer {
        stamp: Stamp,
        than: (i64, i64),
    },
    Perm {
        how: PermHow,
        mode: u32,
    },
    Uid(Cmp, u64),
    Gid(Cmp, u64),
    NoUser,
    NoGroup,
    Links(Cmp, u64),
    Inum(Cmp, u64),
    SameFile(u64, u64),
    Empty,
    /// `-readable`, `-writable`, `-executable`: an `access` mode bit (4, 2, 1).
    Access(u8),
    Prune,
    Quit,
    /// `-print`, `-print0`, `-fprint`, `-fprint0`: to sink 0 (stdout) or a file.
    Print {
        sink: usize,
        nul: bool,
    },
    Printf {
        sink: usize,
        fmt: Vec<u8>,
    },
    Ls {
        sink: usize,
    },
    /// An index into [`Parsed::execs`].
    Exec(usize),
    Delete,
}

/// One `-exec`/`-ok` with its command and, for `{} +`, the batch being gathered.
pub(super) struct Exec {
    pub(super) argv: Vec<Vec<u8>>,
    pub(super) plus: bool,
    pub(super) ok: bool,
    /// `-execdir`/`-okdir`: run in the file's directory with `./NAME` for `{}`.
    pub(super) in_dir: bool,
    pub(super) batch: Vec<Vec<u8>>,
    pub(super) batch_len: usize,
    /// For an `-execdir ... +` batch: the directory's path and an fd open on it.
    pub(super) batch_dir: Option<(Vec<u8>, std::os::fd::OwnedFd)>,
}

/// What the command line says.
pub(super) struct Parsed {
    pub(super) follow: Follow,
    pub(super) paths: Vec<Vec<u8>>,
    pub(super) expr: Expr,
    pub(super) max_depth: Option<usize>,
    pub(super) min_depth: usize,
    pub(super) depth_first: bool,
    pub(super) one_fs: bool,
    pub(super) execs: Vec<Exec>,
    /// Output files of `-fprint` and friends; sink `k` is `files[k - 1]`.
    pub(super) files: Vec<(Vec<u8>, File)>,
    pub(super) accounts: Option<Accounts>,
}

fn err(text: impl AsRef<[u8]>) -> Error {
    Error::msg(text.as_ref().to_vec())
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Type letters as bits.
pub(super) fn type_bit(letter: u8) -> Option<u8> {
    Some(match letter {
        b'f' => 1,
        b'd' => 2,
        b'l' => 4,
        b'b' => 8,
        b'c' => 16,
        b'p' => 32,
        b's' => 64,
        _ => return None,
    })
}

/// The bit of a file type (`st_mode & S_IFMT`).
pub(super) fn mode_bit(mode: u32) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => 1,
        libc::S_IFDIR => 2,
        libc::S_IFLNK => 4,
        libc::S_IFBLK => 8,
        libc::S_IFCHR => 16,
        libc::S_IFIFO => 32,
        libc::S_IFSOCK => 64,
        _ => 0,
    }
}

struct Parser<'a> {
    args: &'a [Vec<u8>],
    pos: usize,
    follow: Follow,
    has_action: bool,
    extended_re: bool,
    out: Parsed,
    /// The last primary read, for the hint after "paths must precede expression".
    last: Vec<u8>,
    /// The zone `-newerXt` dates are read in.
    tz: &'a crate::common::time::Tz,
}

/// Parses find's whole command line: leading `-H -L -P -D -O`, the paths, the expression.
pub(super) fn parse<'a>(
    args: &'a [Vec<u8>],
    tz: &'a crate::common::time::Tz,
) -> Result<Parsed, Error> {
    let mut pos = 0;
    let mut follow = Follow::Never;
    while let Some(a) = args.get(pos) {
        match a.as_slice() {
            b"-H" => follow = Follow::Roots,
            b"-L" => follow = Follow::Always,
            b"-P" => follow = Follow::Never,
            b"-D" => pos += 1,
            b"--" => {
                pos += 1;
                break;
            }
            o if o.starts_with(b"-O") || (o.starts_with(b"-D") && o.len() > 2) => {}
            _ => break,
        }
        pos += 1;
    }
    let mut paths = Vec::new();
    while let Some(a) = args.get(pos) {
        if (a.first() == Some(&b'-') && a.len() > 1) || a == b"(" || a == b"!" {
            break;
        }
        paths.push(a.clone());
        pos += 1;
    }
    if paths.is_empty() {
        paths.push(b".".to_vec());
    }
    let mut p = Parser {
        tz,
        args,
        pos,
        follow,
        has_action: false,
        extended_re: false,
        out: Parsed {
            follow,
            paths,
            expr: Expr::True,
            max_depth: None,
            min_depth: 0,
            depth_first: false,
            one_fs: false,
            execs: Vec::new(),
            files: Vec::new(),
            accounts: None,
        },
        last: Vec::new(),
    };
    let expr = if p.pos < args.len() {
        let e = p.list()?;
        if let Some(a) = args.get(p.pos) {
            // Only a stray `)` can stop the top level early.
            return Err(err(cat(&[
                b"invalid expression; you have too many ')' near ",
                &quote(a),
            ])));
        }
        e
    } else {
        Expr::True
    };
    p.out.expr = if p.has_action {
        expr
    } else {
        Expr::And(
            Box::new(expr),
            Box::new(Expr::Print {
                sink: 0,
                nul: false,
            }),
        )
    };
    p.out.follow = p.follow;
    Ok(p.out)
}

impl Parser<'_> {
    fn peek(&self) -> Option<&[u8]> {
        self.args.get(self.pos).map(Vec::as_slice)
    }

    fn list(&mut self) -> Result<Expr, Error> {
        let mut e = self.or()?;
        while self.peek() == Some(b",") {
            self.pos += 1;
            if self.at_end_of_group() {
                return Err(err("invalid expression; expected an expression after ','"));
            }
            e = Expr::List(Box::new(e), Box::new(self.or()?));
        }
        Ok(e)
    }

    fn at_end_of_group(&self) -> bool {
        matches!(self.peek(), None | Some(b")"))
    }

    fn or(&mut self) -> Result<Expr, Error> {
        let mut e = self.and()?;
        while matches!(self.peek(), Some(b"-o" | b"-or")) {
            let op = self.peek().unwrap_or_default().to_vec();
            self.pos += 1;
            if self.at_end_of_group() || self.peek() == Some(b",") {
                return Err(err(cat(&[
                    b"invalid expression; you have used a binary operator ",
                    &quote(&op),
                    b" with nothing after it.",
                ])));
            }
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, Error> {
        let mut e = self.unary()?;
        loop {
            match self.peek() {
                None | Some(b")" | b"-o" | b"-or" | b",") => return Ok(e),
                Some(b"-a" | b"-and") => {
                    let op = self.peek().unwrap_or_default().to_vec();
                    self.pos += 1;
                    if matches!(
                        self.peek(),
                        None | Some(b")" | b"-o" | b"-or" | b"," | b"-a")
                    ) {
                        return Err(err(cat(&[
                            b"invalid expression; you have used a binary operator ",
                            &quote(&op),
                            b" with nothing after it.",
                        ])));
                    }
                }
                Some(_) => {}
            }
            e = Expr::And(Box::new(e), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        let Some(tok) = self.peek().map(<[u8]>::to_vec) else {
            return Err(err("invalid expression"));
        };
        match tok.as_slice() {
            b"!" | b"-not" => {
                self.pos += 1;
                if matches!(
                    self.peek(),
                    None | Some(b")" | b"-o" | b"-or" | b"-a" | b",")
                ) {
                    return Err(err(cat(&[b"expected an expression after ", &quote(&tok)])));
                }
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            b"(" => {
                self.pos += 1;
                if self.peek() == Some(b")") {
                    return Err(err(
                        "invalid expression; empty parentheses are not allowed.",
                    ));
                }
                let e = self.list()?;
                if self.peek() != Some(b")") {
                    return Err(err(
                        "invalid expression; expected to find a ')' but didn't see one. \
                         Perhaps you need an extra predicate after '('",
                    ));
                }
                self.pos += 1;
                Ok(e)
            }
            b"-o" | b"-or" | b"-a" | b"-and" | b"," => Err(err(cat(&[
                b"invalid expression; you have used a binary operator ",
                &quote(&tok),
                b" with nothing before it.",
            ]))),
            b")" => Err(err("invalid expression; you have too many ')'")),
            _ => {
                self.pos += 1;
                let e = self.primary(&tok)?;
                self.last = tok;
                Ok(e)
            }
        }
    }

    /// The argument of primary `name`.
    fn arg(&mut self, name: &[u8]) -> Result<Vec<u8>, Error> {
        match self.args.get(self.pos) {
            Some(a) => {
                self.pos += 1;
                Ok(a.clone())
            }
            None => Err(err(cat(&[b"missing argument to ", &quote(name)]))),
        }
    }

    fn invalid_arg(name: &[u8], value: &[u8]) -> Error {
        err(cat(&[
            b"invalid argument ",
            &quote(value),
            b" to ",
            &quote(name),
        ]))
    }

    /// `[+-]N`.
    fn number(&mut self, name: &[u8]) -> Result<(Cmp, u64), Error> {
        let v = self.arg(name)?;
        parse_cmp_number(&v).ok_or_else(|| Self::invalid_arg(name, &v))
    }

    fn sink_file(&mut self, name: &[u8]) -> Result<usize, Error> {
        let file = self.arg(name)?;
        let f = File::create(path(&file)).map_err(|e| Error::io(&quote(&file), &e))?;
        self.out.files.push((file, f));
        Ok(self.out.files.len())
    }

    fn reference(&mut self, name: &[u8]) -> Result<FileStat, Error> {
        let file = self.arg(name)?;
        let flags = if self.follow == Follow::Never {
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW
        } else {
            nix::fcntl::AtFlags::empty()
        };
        fstatat(AT_FDCWD, file.as_slice(), flags)
            .map_err(|e| Error::io(&quote(&file), &std::io::Error::from(e)))
    }

    fn accounts(&mut self) -> &Accounts {
        self.out.accounts.get_or_insert_with(Accounts::load)
    }

    fn primary(&mut self, name: &[u8]) -> Result<Expr, Error> {
        let pat = |text: &[u8], casefold: bool| {
            Pattern::parse(
                text,
                PatOptions {
                    pathname: false,
                    period: false,
                    casefold,
                },
            )
        };
        Ok(match name {
            b"-true" => Expr::True,
            b"-false" => Expr::False,
            b"-name" | b"-iname" => {
                let v = self.arg(name)?;
                Expr::Name(Glob::new(&v, name == b"-iname"))
            }
            b"-lname" | b"-ilname" => {
                let v = self.arg(name)?;
                Expr::LinkName(pat(&v, name == b"-ilname"))
            }
            b"-path" | b"-wholename" | b"-ipath" | b"-iwholename" => {
                let v = self.arg(name)?;
                Expr::Path(Glob::new(&v, name.starts_with(b"-i")))
            }
            b"-regex" | b"-iregex" => {
                let v = self.arg(name)?;
                let opts = ReOptions {
                    extended: self.extended_re,
                    icase: name == b"-iregex",
                    newline: false,
                };
                let re = Regex::new(&v, &opts).map_err(|e| {
                    err(cat(&[
                        b"failed to compile regular expression ",
                        &quote(&v),
                        b": ",
                        e.to_string().as_bytes(),
                    ]))
                })?;
                Expr::Regex(Box::new(re))
            }
            b"-regextype" => {
                let v = self.arg(name)?;
                self.extended_re = match v.as_slice() {
                    b"posix-extended" | b"posix-egrep" | b"egrep" | b"awk" | b"gnu-awk"
                    | b"posix-awk" | b"findutils-default" => true,
                    b"emacs"
                    | b"posix-basic"
                    | b"grep"
                    | b"ed"
                    | b"sed"
                    | b"posix-minimal-basic"
                    | b"gnu-find" => false,
                    _ => {
                        return Err(err(cat(&[
                            b"Unknown regular expression type ",
                            &quote(&v),
                            b"; valid types are 'findutils-default', 'ed', 'emacs', \
                              'gnu-awk', 'grep', 'posix-awk', 'awk', 'posix-basic', \
                              'posix-egrep', 'egrep', 'posix-extended', \
                              'posix-minimal-basic', 'sed'.",
                        ])));
                    }
                };
                Expr::True
            }
            b"-type" | b"-xtype" => {
                let v = self.arg(name)?;
                let mut mask = 0;
                let mut ok = !v.is_empty();
                for (i, part) in v.split(|&b| b == b',').enumerate() {
                    match part {
                        [c] => match type_bit(*c) {
                            Some(bit) if mask & bit == 0 => mask |= bit,
                            Some(_) => {
                                return Err(err(cat(&[
                                    b"Duplicate file type ",
                                    &quote(part),
                                    b" in the argument list to ",
                                    name,
                                    b".",
                                ])));
                            }
                            None => ok = false,
                        },
                        [] if i > 0 => {
                            return Err(err(cat(&[
                                b"Last file type in list argument to ",
                                name,
                                b" is missing, i.e., list is ending on: ','",
                            ])));
                        }
                        _ => {
                            if part.len() > 1 {
                                return Err(err(cat(&[
                                    b"Must separate multiple arguments to ",
                                    name,
                                    b" using: ','",
                                ])));
                            }
                            ok = false;
                        }
                    }
                }
                if !ok {
                    return Err(err(cat(&[b"Unknown argument to ", name, b": ", &v])));
                }
                Expr::Type {
                    mask,
                    x: name == b"-xtype",
                }
            }
            b"-size" => {
                let v = self.arg(name)?;
                let (sign, rest) = split_sign(&v);
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                let (num, suffix) = rest.split_at(digits);
                let unit = match suffix {
                    b"" | b"b" => 512,
                    b"c" => 1,
                    b"w" => 2,
                    b"k" => 1024,
                    b"M" => 1 << 20,
                    b"G" => 1 << 30,
                    b"T" => 1 << 40,
                    _ => {
                        let bad = suffix.first().map_or(&b""[..], std::slice::from_ref);
                        return Err(err(cat(&[b"invalid -size type ", &quote(bad)])));
                    }
                };
                let n = std::str::from_utf8(num)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| Self::invalid_arg(name, &v))?;
                Expr::Size { cmp: sign, n, unit }
            }
            b"-mtime" | b"-atime" | b"-ctime" | b"-mmin" | b"-amin" | b"-cmin" => {
                let stamp = match name.get(1) {
                    Some(b'a') => Stamp::Access,
                    Some(b'c') => Stamp::Change,
                    _ => Stamp::Modify,
                };
                let unit = if name.ends_with(b"min") { 60 } else { 86400 };
                let (cmp, n) = self.number(name)?;
                let n = i64::try_from(n).map_err(|_| Self::invalid_arg(name, b"N"))?;
                Expr::Age {
                    stamp,
                    cmp,
                    n,
                    unit,
                }
            }
            b"-newer" | b"-anewer" | b"-cnewer" => {
                let st = self.reference(name)?;
                let stamp = match name.get(1) {
                    Some(b'a') => Stamp::Access,
                    Some(b'c') => Stamp::Change,
                    _ => Stamp::Modify,
                };
                Expr::Newer {
                    stamp,
                    than: Stamp::Modify.of(&st),
                }
            }
            _ if name.len() == 8
                && name.starts_with(b"-newer")
                && matches!(name.get(6), Some(b'a' | b'c' | b'm' | b'B'))
                && matches!(name.get(7), Some(b'a' | b'c' | b'm' | b'B' | b't')) =>
            {
                let of = |c: Option<&u8>| match c {
                    Some(b'a') => Some(Stamp::Access),
                    Some(b'c') => Some(Stamp::Change),
                    Some(b'm') => Some(Stamp::Modify),
                    _ => None,
                };
                let (Some(stamp), y) = (of(name.get(6)), name.get(7)) else {
                    return Err(err(
                        "This system does not provide a way to find the birth time of a file.",
                    ));
                };
                let than = if y == Some(&b't') {
                    let v = self.arg(name)?;
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or((0, 0), |d| {
                            (i64::try_from(d.as_secs()).unwrap_or(0), d.subsec_nanos())
                        });
                    let (t, ns) =
                        crate::common::time::parse_date(&v, now, self.tz).ok_or_else(|| {
                            err(cat(&[
                                b"I cannot figure out how to interpret ",
                                &quote(&v),
                                b" as a date or time",
                            ]))
                        })?;
                    (t, i64::from(ns))
                } else {
                    let st = self.reference(name)?;
                    match of(y) {
                        Some(s) => s.of(&st),
                        None => {
                            return Err(err(
                                "This system does not provide a way to find the birth time of a file.",
                            ));
                        }
                    }
                };
                Expr::Newer { stamp, than }
            }
            b"-perm" => {
                let v = self.arg(name)?;
                let (how, spec) = match v.first() {
                    Some(b'-') => (PermHow::All, v.get(1..).unwrap_or_default()),
                    Some(b'/') => (PermHow::Any, v.get(1..).unwrap_or_default()),
                    _ => (PermHow::Exact, v.as_slice()),
                };
                let m = ModeChange::parse(spec)
                    .ok_or_else(|| err(cat(&[b"invalid mode ", &quote(&v)])))?;
                let mode = m.octal().unwrap_or_else(|| m.apply(0, false, 0));
                Expr::Perm { how, mode }
            }
            b"-user" => {
                let v = self.arg(name)?;
                let uid = self
                    .accounts()
                    .resolve_uid(&v)
                    .ok_or_else(|| err(cat(&[&quote(&v), b" is not the name of a known user"])))?;
                Expr::Uid(Cmp::Eq, u64::from(uid))
            }
            b"-group" => {
                let v = self.arg(name)?;
                let gid = self.accounts().resolve_gid(&v).ok_or_else(|| {
                    err(cat(&[&quote(&v), b" is not the name of an existing group"]))
                })?;
                Expr::Gid(Cmp::Eq, u64::from(gid))
            }
            b"-uid" => {
                let (c, n) = self.number(name)?;
                Expr::Uid(c, n)
            }
            b"-gid" => {
                let (c, n) = self.number(name)?;
                Expr::Gid(c, n)
            }
            b"-nouser" => {
                self.accounts();
                Expr::NoUser
            }
            b"-nogroup" => {
                self.accounts();
                Expr::NoGroup
            }
            b"-links" => {
                let (c, n) = self.number(name)?;
                Expr::Links(c, n)
            }
            b"-inum" => {
                let (c, n) = self.number(name)?;
                Expr::Inum(c, n)
            }
            b"-samefile" => {
                let st = self.reference(name)?;
                Expr::SameFile(st.st_dev, st.st_ino)
            }
            b"-empty" => Expr::Empty,
            b"-readable" => Expr::Access(4),
            b"-writable" => Expr::Access(2),
            b"-executable" => Expr::Access(1),
            b"-prune" => Expr::Prune,
            b"-quit" => Expr::Quit,
            b"-maxdepth" | b"-mindepth" => {
                let v = self.arg(name)?;
                let n: usize = std::str::from_utf8(&v)
                    .ok()
                    .filter(|s| s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty())
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        err(cat(&[
                            b"Expected a positive decimal integer argument to ",
                            name,
                            b", but got ",
                            &quote(&v),
                        ]))
                    })?;
                if name == b"-maxdepth" {
                    self.out.max_depth = Some(n);
                } else {
                    self.out.min_depth = n;
                }
                Expr::True
            }
            b"-depth" | b"-d" => {
                self.out.depth_first = true;
                Expr::True
            }
            b"-xdev" | b"-mount" => {
                self.out.one_fs = true;
                Expr::True
            }
            b"-follow" => {
                self.follow = Follow::Always;
                Expr::True
            }
            b"-noleaf"
            | b"-ignore_readdir_race"
            | b"-noignore_readdir_race"
            | b"-nowarn"
            | b"-warn"
            | b"-daystart" => Expr::True,
            b"-print" | b"-print0" => {
                self.has_action = true;
                Expr::Print {
                    sink: 0,
                    nul: name == b"-print0",
                }
            }
            b"-fprint" | b"-fprint0" => {
                self.has_action = true;
                let sink = self.sink_file(name)?;
                Expr::Print {
                    sink,
                    nul: name == b"-fprint0",
                }
            }
            b"-printf" => {
                self.has_action = true;
                let fmt = self.arg(name)?;
                Expr::Printf { sink: 0, fmt }
            }
            b"-fprintf" => {
                self.has_action = true;
                let sink = self.sink_file(name)?;
                let fmt = self.arg(name)?;
                Expr::Printf { sink, fmt }
            }
            b"-ls" => {
                self.has_action = true;
                self.accounts();
                Expr::Ls { sink: 0 }
            }
            b"-fls" => {
                self.has_action = true;
                self.accounts();
                let sink = self.sink_file(name)?;
                Expr::Ls { sink }
            }
            b"-delete" => {
                self.has_action = true;
                self.out.depth_first = true;
                Expr::Delete
            }
            b"-exec" | b"-ok" | b"-execdir" | b"-okdir" => {
                self.has_action = true;
                self.exec(name)?
            }
            _ if name.first() == Some(&b'-') => {
                return Err(err(cat(&[b"unknown predicate ", &quote(name)])));
            }
            _ => {
                let mut m = cat(&[b"paths must precede expression: ", &quote(name)]);
                if matches!(
                    self.last.as_slice(),
                    b"-name" | b"-iname" | b"-path" | b"-ipath" | b"-wholename"
                ) {
                    m.extend_from_slice(b"\nfind: possible unquoted pattern after predicate ");
                    m.extend_from_slice(&quote(&self.last));
                    m.push(b'?');
                }
                return Err(err(m));
            }
        })
    }

    fn exec(&mut self, name: &[u8]) -> Result<Expr, Error> {
        let mut argv = Vec::new();
        let mut plus = false;
        loop {
            let Some(a) = self.args.get(self.pos) else {
                return Err(err(cat(&[b"missing argument to ", &quote(name)])));
            };
            self.pos += 1;
            if a == b";" {
                break;
            }
            if a == b"+" && argv.last().is_some_and(|l: &Vec<u8>| l == b"{}") {
                plus = true;
                argv.pop();
                break;
            }
            argv.push(a.clone());
        }
        let ok = name == b"-ok" || name == b"-okdir";
        let in_dir = name == b"-execdir" || name == b"-okdir";
        if argv.is_empty() || (plus && ok) {
            return Err(err(cat(&[b"missing argument to ", &quote(name)])));
        }
        if plus && argv.iter().any(|a| a.windows(2).any(|w| w == b"{}")) {
            return Err(err(cat(&[
                b"Only one instance of {} is supported with ",
                name,
                b" ... +",
            ])));
        }
        self.out.execs.push(Exec {
            argv,
            plus,
            ok,
            in_dir,
            batch: Vec::new(),
            batch_len: 0,
            batch_dir: None,
        });
        Ok(Expr::Exec(self.out.execs.len() - 1))
    }
}

fn split_sign(v: &[u8]) -> (Cmp, &[u8]) {
    match v.first() {
        Some(b'+') => (Cmp::Gt, v.get(1..).unwrap_or_default()),
        Some(b'-') => (Cmp::Lt, v.get(1..).unwrap_or_default()),
        _ => (Cmp::Eq, v),
    }
}

/// `[+-]N` as a comparison and a number.
pub(super) fn parse_cmp_number(v: &[u8]) -> Option<(Cmp, u64)> {
    let (cmp, digits) = split_sign(v);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((cmp, std::str::from_utf8(digits).ok()?.parse().ok()?))
}
