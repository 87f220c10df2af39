//! `--transform`/`--xform`: sed-style `s/RE/REPL/FLAGS` rewrites of member names, as GNU
//! tar applies them on create (stored names) and extract (names written to disk).
//!
//! One option holds a `;`-separated list; every option and list item is applied in
//! order, each to the result of the one before. Each expression says which names it
//! touches: `r` regular member names, `s` symlink targets, `h` hard link targets (all
//! three by default; capitals turn one off). `flags=LETTERS` sets the default for the
//! expressions after it, starting from none. Other flags: `g` every match, `N` the Nth
//! match (with `g`: the Nth and later), `i` ignore case, `x` ERE instead of BRE. The
//! replacement knows `&`, `\0`..`\9`, `\L \U \l \u \E` case conversion and the escapes
//! `\n \t \a \b \f \v \r`.
//!
//! Where GNU tar 1.34 misbehaves we do what sed does: a numbered occurrence that is
//! not reached leaves the name alone (GNU repeats part of it), and an empty match with
//! `g` steps on by one byte (GNU loops forever on `s/x*/-/g`).

use rbox_parser::regex::{Options, Regex};

use super::header::{Kind, Member};
use crate::error::Error;

/// Which kind of name is being transformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A member's own name.
    Regular,
    /// The target of a symbolic link.
    Symlink,
    /// The target of a hard link.
    Hard,
}

/// The `r`/`s`/`h` set of one expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Applies {
    regular: bool,
    symlink: bool,
    hard: bool,
}

impl Applies {
    const ALL: Applies = Applies {
        regular: true,
        symlink: true,
        hard: true,
    };
    const NONE: Applies = Applies {
        regular: false,
        symlink: false,
        hard: false,
    };

    /// Applies flag letter `c` if it is one of `rRsShH`; false otherwise.
    fn toggle(&mut self, c: u8) -> bool {
        match c {
            b'r' | b'R' => self.regular = c == b'r',
            b's' | b'S' => self.symlink = c == b's',
            b'h' | b'H' => self.hard = c == b'h',
            _ => return false,
        }
        true
    }

    fn covers(self, k: NameKind) -> bool {
        match k {
            NameKind::Regular => self.regular,
            NameKind::Symlink => self.symlink,
            NameKind::Hard => self.hard,
        }
    }
}

/// One piece of a replacement.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    /// `&` (0) or `\N`.
    Group(usize),
    /// `\U`, `\L`: convert what follows until `\E`.
    Upper,
    Lower,
    /// `\u`, `\l`: convert the next byte only.
    UpperNext,
    LowerNext,
    /// `\E`.
    End,
}

/// One `s` expression.
#[derive(Debug)]
struct Subst {
    re: Regex,
    repl: Vec<Piece>,
    global: bool,
    /// The 1-based occurrence to start replacing at.
    nth: usize,
    applies: Applies,
}

/// Every `--transform` given, in order.
#[derive(Debug, Default)]
pub struct Transforms {
    list: Vec<Subst>,
    /// The `r`/`s`/`h` default for the next expression (`flags=`).
    default: Option<Applies>,
}

/// GNU's option error: the message and the usage hint, status 2.
fn bad(m: &str) -> Error {
    Error::usage(m.to_owned()).with_status(2)
}

impl Transforms {
    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Adds the expressions of one `--transform` operand.
    pub fn add(&mut self, spec: &[u8]) -> Result<(), Error> {
        let mut rest = spec;
        loop {
            rest = self.one(rest)?;
            match rest.split_first() {
                None => return Ok(()),
                Some((b';', [])) => return Ok(()),
                Some((b';', tail)) => rest = tail,
                Some(_) => return Err(bad("Invalid transform expression")),
            }
        }
    }

    /// Parses one expression at the start of `s`; gives what follows it.
    fn one<'s>(&mut self, s: &'s [u8]) -> Result<&'s [u8], Error> {
        if let Some(letters) = s.strip_prefix(b"flags=") {
            let end = letters
                .iter()
                .position(|&b| b == b';')
                .unwrap_or(letters.len());
            let mut a = Applies::NONE;
            for &c in &letters[..end] {
                if !a.toggle(c) {
                    return Err(bad(&format!(
                        "Unknown transform flag: {}",
                        String::from_utf8_lossy(&[c])
                    )));
                }
            }
            self.default = Some(a);
            return Ok(&letters[end..]);
        }
        let invalid = || bad("Invalid transform expression");
        let (&kind, body) = s.split_first().ok_or_else(invalid)?;
        let (&delim, body) = body.split_first().ok_or_else(invalid)?;
        if kind != b's' || delim == b'\\' || delim == b'\n' {
            return Err(invalid());
        }
        let (re_text, body) = split_at_delim(body, delim).ok_or_else(invalid)?;
        let (repl_text, body) = split_at_delim(body, delim).ok_or_else(invalid)?;
        let mut applies = self.default.unwrap_or(Applies::ALL);
        let (mut global, mut icase, mut extended) = (false, false, false);
        let mut nth: Option<usize> = None;
        let mut i = 0;
        while let Some(&c) = body.get(i) {
            match c {
                b';' => break,
                b'g' => global = true,
                b'i' => icase = true,
                b'x' => extended = true,
                b'0'..=b'9' => {
                    let d = usize::from(c - b'0');
                    nth = Some(nth.unwrap_or(0).saturating_mul(10).saturating_add(d));
                }
                c if applies.toggle(c) => {}
                c => {
                    return Err(bad(&format!(
                        "Unknown flag in transform expression: {}",
                        String::from_utf8_lossy(&[c])
                    )));
                }
            }
            i += 1;
        }
        let re = Regex::new(
            &re_text,
            &Options {
                extended,
                icase,
                newline: false,
            },
        )
        .map_err(|e| bad(&format!("Invalid transform expression: {e}")))?;
        let repl = parse_replacement(&repl_text);
        let groups = re.captures_len();
        if repl
            .iter()
            .any(|p| matches!(p, Piece::Group(n) if *n >= groups))
        {
            return Err(bad(
                "Invalid transform replacement: back reference out of range",
            ));
        }
        self.list.push(Subst {
            re,
            repl,
            global,
            nth: nth.unwrap_or(1).max(1),
            applies,
        });
        Ok(&body[i..])
    }

    /// `name` after every expression that covers `kind`; `None` when none changed it.
    pub fn apply(&self, name: &[u8], kind: NameKind) -> Option<Vec<u8>> {
        let mut cur: Option<Vec<u8>> = None;
        for t in self.list.iter().filter(|t| t.applies.covers(kind)) {
            let src = cur.as_deref().unwrap_or(name);
            if let Some(next) = t.run(src) {
                cur = Some(next);
            }
        }
        cur
    }

    /// Transforms a member in place: its name (a directory's without its trailing
    /// `/`, which is put back), and a link's target as a symlink or hard link target.
    /// A hard link target left empty becomes `.`, and so does an empty name when
    /// `dot_for_empty_name` (reading an archive), as GNU tar does; the notes to print
    /// for those are returned.
    pub fn member(&self, m: &mut Member, dot_for_empty_name: bool) -> Vec<&'static [u8]> {
        let mut notes = Vec::new();
        if self.is_empty() {
            return notes;
        }
        let dir = m.kind == Kind::Dir && m.name.len() > 1 && m.name.ends_with(b"/");
        let bare = if dir {
            &m.name[..m.name.len() - 1]
        } else {
            &m.name[..]
        };
        if let Some(mut n) = self.apply(bare, NameKind::Regular) {
            if n.is_empty() && dot_for_empty_name {
                notes.push(&b"Substituting `.' for empty member name"[..]);
                n.push(b'.');
            }
            if dir {
                n.push(b'/');
            }
            m.name = n;
        }
        let kind = match m.kind {
            Kind::Symlink => NameKind::Symlink,
            Kind::Hard => NameKind::Hard,
            _ => return notes,
        };
        if let Some(mut l) = self.apply(&m.link, kind) {
            if l.is_empty() && kind == NameKind::Hard {
                notes.push(&b"Substituting `.' for empty hard link target"[..]);
                l.push(b'.');
            }
            m.link = l;
        }
        notes
    }
}

/// The text up to the next unescaped `delim` (with `\delim` turned into `delim`) and
/// what follows that delimiter.
fn split_at_delim(s: &[u8], delim: u8) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        match (s.get(i)?, s.get(i + 1)) {
            (&c, _) if c == delim => return Some((out, s.get(i + 1..).unwrap_or_default())),
            (b'\\', Some(&n)) if n == delim => {
                out.push(n);
                i += 2;
            }
            (b'\\', Some(&n)) => {
                out.extend_from_slice(&[b'\\', n]);
                i += 2;
            }
            (&c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
}

fn parse_replacement(s: &[u8]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut lit = Vec::new();
    let push = |out: &mut Vec<Piece>, lit: &mut Vec<u8>, p: Piece| {
        if !lit.is_empty() {
            out.push(Piece::Literal(std::mem::take(lit)));
        }
        out.push(p);
    };
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        i += 1;
        if c == b'&' {
            push(&mut out, &mut lit, Piece::Group(0));
            continue;
        }
        if c != b'\\' {
            lit.push(c);
            continue;
        }
        let Some(&n) = s.get(i) else {
            lit.push(b'\\');
            break;
        };
        i += 1;
        match n {
            b'0'..=b'9' => push(&mut out, &mut lit, Piece::Group(usize::from(n - b'0'))),
            b'U' => push(&mut out, &mut lit, Piece::Upper),
            b'L' => push(&mut out, &mut lit, Piece::Lower),
            b'u' => push(&mut out, &mut lit, Piece::UpperNext),
            b'l' => push(&mut out, &mut lit, Piece::LowerNext),
            b'E' => push(&mut out, &mut lit, Piece::End),
            b'n' => lit.push(b'\n'),
            b't' => lit.push(b'\t'),
            b'a' => lit.push(0x07),
            b'b' => lit.push(0x08),
            b'f' => lit.push(0x0c),
            b'v' => lit.push(0x0b),
            b'r' => lit.push(b'\r'),
            b'&' | b'\\' => lit.push(n),
            other => lit.extend_from_slice(&[b'\\', other]),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Literal(lit));
    }
    out
}

/// The case conversion state while a replacement is written.
#[derive(Clone, Copy, Default)]
struct Case {
    all: Option<bool>,
    next: Option<bool>,
}

impl Case {
    fn put(&mut self, out: &mut Vec<u8>, bytes: &[u8]) {
        for &b in bytes {
            let upper = self.next.take().or(self.all);
            out.push(match upper {
                Some(true) => b.to_ascii_uppercase(),
                Some(false) => b.to_ascii_lowercase(),
                None => b,
            });
        }
    }
}

impl Subst {
    /// `s` with this expression applied; `None` when it did not match (or the wanted
    /// occurrence was not reached).
    fn run(&self, s: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(s.len() + 16);
        let mut copied = 0;
        let mut at = 0;
        let mut count = 0;
        let mut changed = false;
        let mut prev_end = None;
        while at <= s.len() {
            let Some(m) = self.re.find_at(s, at) else {
                break;
            };
            // As sed: an empty match right where the previous one ended does not count.
            if m.start == m.end && prev_end == Some(m.start) {
                at = m.end + 1;
                continue;
            }
            prev_end = Some(m.end);
            count += 1;
            if count >= self.nth {
                out.extend_from_slice(s.get(copied..m.start).unwrap_or_default());
                self.expand(&mut out, s, &m.groups);
                copied = m.end;
                changed = true;
                if !self.global {
                    break;
                }
            }
            // An empty match moves on one byte, copying it on the next replacement.
            at = if m.end == m.start { m.end + 1 } else { m.end };
        }
        if !changed {
            return None;
        }
        out.extend_from_slice(s.get(copied..).unwrap_or_default());
        Some(out)
    }

    fn expand(&self, out: &mut Vec<u8>, s: &[u8], groups: &[Option<(usize, usize)>]) {
        let mut case = Case::default();
        for p in &self.repl {
            match p {
                Piece::Literal(l) => case.put(out, l),
                Piece::Group(n) => {
                    if let Some(Some((a, b))) = groups.get(*n) {
                        case.put(out, s.get(*a..*b).unwrap_or_default());
                    }
                }
                Piece::Upper => case.all = Some(true),
                Piece::Lower => case.all = Some(false),
                Piece::UpperNext => case.next = Some(true),
                Piece::LowerNext => case.next = Some(false),
                Piece::End => case = Case::default(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(specs: &[&str], name: &str, kind: NameKind) -> String {
        let mut x = Transforms::default();
        for s in specs {
            x.add(s.as_bytes()).unwrap();
        }
        let got = x.apply(name.as_bytes(), kind);
        String::from_utf8(got.unwrap_or_else(|| name.as_bytes().to_vec())).unwrap()
    }

    fn err(spec: &str) -> String {
        let mut x = Transforms::default();
        String::from_utf8(x.add(spec.as_bytes()).unwrap_err().message).unwrap()
    }

    #[test]
    fn replacements_as_gnu_tar() {
        let r = NameKind::Regular;
        // Each row checked with GNU tar 1.34 (`tar cf - --xform X uno | tar t`).
        let rows = [
            ("s/u/[&]/", "[u]no"),
            (r"s/\(u\)\(n\)/\2\1\0/", "nuuno"),
            (r"s/u/\U&x\Ey/", "UXyno"),
            (r"s/uno/\u&/", "Uno"),
            ("s/UNO/x/i", "x"),
            (r"s/u\|o/X/g", "XnX"),
            ("s/u|o/X/gx", "XnX"),
            ("s/$/-end/", "uno-end"),
            ("s/^/pre-/", "pre-uno"),
            ("s,u,a,;s,a,b,;s,b,c,", "cno"),
            (r"s/u/\n\t/", "\n\tno"),
            (r"s/u/\&\\/", "&\\no"),
            (r"s/u/\q/", "\\qno"),
            (r"s/u/\//", "/no"),
            ("s/[a-z]*$/\\U&/", "UNO"),
        ];
        for (spec, want) in rows {
            assert_eq!(t(&[spec], "uno", r), want, "{spec}");
        }
        // Where GNU tar misbehaves, sed's answers.
        assert_eq!(t(&["s/n/X/2"], "uno", r), "uno");
        assert_eq!(t(&["s/[no]/X/2g"], "unon", r), "unXX");
        assert_eq!(t(&["s/x*/-/g"], "uno", r), "-u-n-o-");
        assert_eq!(t(&["s/n*/X/3"], "uno", r), "unoX");
        assert_eq!(t(&["s/b*/X/g"], "abc", r), "XaXcX");
        assert_eq!(t(&["s/x*/-/g"], "xax", r), "-a-");
        // Several options chain.
        assert_eq!(t(&["s/uno/one/", "s/one/ONE/"], "uno/dos", r), "ONE/dos");
    }

    #[test]
    fn name_kinds_and_flags() {
        use NameKind::{Hard, Regular, Symlink};
        let spec = "s/uno/one/;flags=rh;s/dos/two/;s/tres/three/";
        assert_eq!(t(&[spec], "uno/dos", Regular), "one/two");
        assert_eq!(t(&[spec], "tres", Symlink), "tres");
        assert_eq!(t(&[spec], "uno/tres", Hard), "one/three");
        assert_eq!(t(&["s/uno/one/R"], "uno/tres", Regular), "uno/tres");
        assert_eq!(t(&["s/uno/one/R"], "uno/tres", Hard), "one/tres");
        assert_eq!(t(&["s/a/b/S"], "a", Symlink), "a");
        assert_eq!(t(&["flags=rHhsS;s/a/b/"], "a", Hard), "b");
        assert_eq!(t(&["flags=rHhsS;s/a/b/"], "a", Symlink), "a");
    }

    #[test]
    fn bad_expressions() {
        assert_eq!(err("x/a/b/"), "Invalid transform expression");
        assert_eq!(err("s/a/b"), "Invalid transform expression");
        assert_eq!(err(";s/a/b/"), "Invalid transform expression");
        assert_eq!(err("s/a/b/q"), "Unknown flag in transform expression: q");
        assert_eq!(err("flags=q"), "Unknown transform flag: q");
        assert_eq!(
            err(r"s/\(a/b/"),
            r"Invalid transform expression: Unmatched ( or \("
        );
        assert_eq!(
            err(r"s/a/\1/"),
            "Invalid transform replacement: back reference out of range"
        );
        let mut x = Transforms::default();
        assert!(x.add(b"s/a/b/;").is_ok() && x.add(b"s|a|b|g2").is_ok());
    }
}
