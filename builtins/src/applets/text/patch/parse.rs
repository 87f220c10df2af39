//! Reading a unified diff: the `---`/`+++` header of each file and its `@@` hunks,
//! with `\ No newline at end of file` markers; text outside them (`diff -r` lines,
//! `Index:` lines, mail headers) is skipped.

/// One file's part of a patch.
#[derive(Debug, Default)]
pub struct FilePatch {
    /// The name after `--- ` (before any tab).
    pub old_name: Vec<u8>,
    /// The name after `+++ `.
    pub new_name: Vec<u8>,
    /// Whether the `---` time stamp is the epoch (diff -N's mark of a missing file).
    pub old_epoch: bool,
    /// Whether the `+++` time stamp is the epoch.
    pub new_epoch: bool,
    /// The two header lines as they were (for the reject file).
    pub header: Vec<u8>,
    /// The text between the previous file's hunks and the header (`diff -r` lines).
    pub leading: Vec<u8>,
    /// The line number of the `---` line (1-based).
    pub line: usize,
    /// The hunks, in order.
    pub hunks: Vec<Hunk>,
}

/// One `@@ -a,b +c,d @@` hunk.
#[derive(Debug, Default, Clone)]
pub struct Hunk {
    /// `a`: first old line (1-based; 0 for an empty range).
    pub old_start: usize,
    /// `c`: first new line.
    pub new_start: usize,
    /// The body: `b' '`, `b'-'` or `b'+'` and the line's text (with its newline unless
    /// a no-newline marker followed it).
    pub lines: Vec<(u8, Vec<u8>)>,
    /// The hunk as it was written (for the reject file).
    pub raw: Vec<u8>,
}

impl Hunk {
    /// The same hunk undoing itself (`-R`).
    pub fn reversed(&self) -> Hunk {
        Hunk {
            old_start: self.new_start,
            new_start: self.old_start,
            lines: self
                .lines
                .iter()
                .map(|(k, t)| {
                    let k = match k {
                        b'-' => b'+',
                        b'+' => b'-',
                        o => *o,
                    };
                    (k, t.clone())
                })
                .collect(),
            raw: self.raw.clone(),
        }
    }

    /// The lines the file has before the hunk applies.
    pub fn old(&self) -> impl Iterator<Item = &[u8]> {
        self.lines
            .iter()
            .filter(|(k, _)| *k != b'+')
            .map(|(_, t)| t.as_slice())
    }

    /// How many old lines the hunk covers.
    pub fn old_len(&self) -> usize {
        self.old().count()
    }
}

/// Why a patch could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A hunk ends before its line counts say.
    Malformed(usize),
}

/// `name` and whether the time after the tab is the epoch, from a `--- ` header.
fn name_and_epoch(rest: &[u8]) -> (Vec<u8>, bool) {
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
    let (name, time) = match memchr::memchr(b'\t', rest) {
        Some(t) => (&rest[..t], &rest[t + 1..]),
        None => (rest, &b""[..]),
    };
    let epoch = time.starts_with(b"1970-01-01 00:00:00") || time.starts_with(b"1969-12-31");
    let name = name
        .strip_prefix(b"\"")
        .and_then(|n| n.strip_suffix(b"\""))
        .unwrap_or(name);
    (name.to_vec(), epoch)
}

/// `N` or `N,M` from a hunk header field: (start, count).
fn range(s: &[u8]) -> Option<(usize, usize)> {
    let s = std::str::from_utf8(s).ok()?;
    match s.split_once(',') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => Some((s.parse().ok()?, 1)),
    }
}

/// `@@ -a,b +c,d @@...` -> (a, b, c, d).
fn hunk_header(line: &[u8]) -> Option<(usize, usize, usize, usize)> {
    let rest = line.strip_prefix(b"@@ -")?;
    let end = rest.windows(3).position(|w| w == b" @@")?;
    let mut parts = rest[..end].split(|&c| c == b' ');
    let old = range(parts.next()?)?;
    let new = range(parts.next()?.strip_prefix(b"+")?)?;
    Some((old.0, old.1, new.0, new.1))
}

/// Every file patch in `data`.
pub fn parse(data: &[u8]) -> Result<Vec<FilePatch>, ParseError> {
    let lines: Vec<&[u8]> = data.split_inclusive(|&c| c == b'\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut leading = Vec::new();
    while i < lines.len() {
        let starts = lines[i].starts_with(b"--- ")
            && lines.get(i + 1).is_some_and(|l| l.starts_with(b"+++ "))
            && lines.get(i + 2).is_some_and(|l| hunk_header(l).is_some());
        if !starts {
            leading.extend_from_slice(lines[i]);
            i += 1;
            continue;
        }
        let (old_name, old_epoch) = name_and_epoch(&lines[i][4..]);
        let (new_name, new_epoch) = name_and_epoch(&lines[i + 1][4..]);
        let mut fp = FilePatch {
            old_name,
            new_name,
            old_epoch,
            new_epoch,
            header: [lines[i], lines[i + 1]].concat(),
            leading: std::mem::take(&mut leading),
            line: i + 1,
            hunks: Vec::new(),
        };
        i += 2;
        while let Some((os, mut ol, ns, mut nl)) = lines.get(i).and_then(|l| hunk_header(l)) {
            let mut h = Hunk {
                old_start: os,
                new_start: ns,
                lines: Vec::new(),
                raw: lines[i].to_vec(),
            };
            i += 1;
            while ol > 0 || nl > 0 {
                let Some(&l) = lines.get(i) else {
                    return Err(ParseError::Malformed(i + 1));
                };
                let (kind, text) = match l.first() {
                    Some(b' ') => (b' ', &l[1..]),
                    Some(b'\n') => (b' ', l),
                    Some(b'\r') if l == b"\r\n" => (b' ', &l[1..]),
                    Some(b'-') => (b'-', &l[1..]),
                    Some(b'+') => (b'+', &l[1..]),
                    Some(b'\\') => {
                        no_newline(&mut h);
                        h.raw.extend_from_slice(l);
                        i += 1;
                        continue;
                    }
                    _ => return Err(ParseError::Malformed(i + 1)),
                };
                let (o, n) = match kind {
                    b' ' => (1, 1),
                    b'-' => (1, 0),
                    _ => (0, 1),
                };
                if ol < o || nl < n {
                    return Err(ParseError::Malformed(i + 1));
                }
                ol -= o;
                nl -= n;
                h.lines.push((kind, text.to_vec()));
                h.raw.extend_from_slice(l);
                i += 1;
            }
            if lines.get(i).is_some_and(|l| l.starts_with(b"\\")) {
                no_newline(&mut h);
                h.raw.extend_from_slice(lines[i]);
                i += 1;
            }
            fp.hunks.push(h);
        }
        out.push(fp);
    }
    Ok(out)
}

fn no_newline(h: &mut Hunk) {
    if let Some((_, t)) = h.lines.last_mut()
        && t.ends_with(b"\n")
    {
        t.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_files_and_hunks() {
        let p = b"diff -u a b\n--- a\t2024-01-01 00:00:00.000000000 +0000\n+++ b\t1970-01-01 00:00:00.000000000 +0000\n@@ -1,2 +1 @@\n x\n-y\n\\ No newline at end of file\n--- c\n+++ c\n@@ -0,0 +1 @@\n+new\n";
        let fs = parse(p).unwrap();
        assert_eq!(fs.len(), 2);
        assert_eq!(fs[0].old_name, b"a");
        assert!(!fs[0].old_epoch && fs[0].new_epoch);
        assert_eq!(
            fs[0].hunks[0].lines,
            vec![(b' ', b"x\n".to_vec()), (b'-', b"y".to_vec())]
        );
        assert_eq!(fs[1].hunks[0].old_start, 0);
        assert_eq!(fs[1].hunks[0].lines, vec![(b'+', b"new\n".to_vec())]);
        assert_eq!(fs[1].hunks[0].reversed().lines[0].0, b'-');
    }

    #[test]
    fn short_hunks_are_errors() {
        assert_eq!(
            parse(b"--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n").unwrap_err(),
            ParseError::Malformed(5)
        );
        assert!(parse(b"just text\n").unwrap().is_empty());
    }
}
