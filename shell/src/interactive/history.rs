//! Command history: the entries of this session and earlier ones, `$HISTFILE` (default
//! `~/.rbox_history`) appended one entry per command (one `write` with `O_APPEND`, so
//! concurrent shells interleave whole entries and never overwrite each other), `HISTSIZE`
//! entries kept in memory, and the `history` and `fc -l` builtins.
//!
//! A multi-line command is one entry; it is stored as its lines, and reading the file
//! back joins lines while the parser says the command is incomplete.

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;

use crate::sh::builtins::out;
use crate::sh::state::{R, Shell};

/// The default `HISTSIZE`.
pub const DEFAULT_SIZE: usize = 500;

/// The history list.
#[derive(Default, Debug)]
pub struct History {
    /// The entries kept, oldest first.
    pub entries: Vec<String>,
    /// The number of the first kept entry (numbers count from 1 over the whole list,
    /// including those dropped from the front).
    pub first: usize,
    /// Set by `history -c`: the editor's copy must be cleared too.
    pub cleared: bool,
}

impl History {
    /// The number the next entry gets (`\!`).
    pub fn next_number(&self) -> usize {
        self.first.max(1) + self.entries.len()
    }

    /// Adds an entry (not an empty one, nor a repeat of the last), keeping at most `max`.
    pub fn push(&mut self, entry: &str, max: usize) -> bool {
        if entry.trim().is_empty() || self.entries.last().is_some_and(|l| l == entry) {
            return false;
        }
        if self.first == 0 {
            self.first = 1;
        }
        self.entries.push(entry.to_string());
        self.trim(max);
        true
    }

    fn trim(&mut self, max: usize) {
        if self.entries.len() > max {
            let drop = self.entries.len() - max;
            self.entries.drain(..drop);
            self.first += drop;
        }
    }
}

/// `HISTSIZE` (default 500).
pub fn size(sh: &Shell) -> usize {
    sh.vars
        .get(b"HISTSIZE")
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok())
        .unwrap_or(DEFAULT_SIZE)
}

/// `$HISTFILE`, unless unset or empty (then nothing is saved).
pub fn file(sh: &Shell) -> Option<std::path::PathBuf> {
    let f = sh.vars.get(b"HISTFILE")?;
    if f.is_empty() {
        return None;
    }
    Some(std::ffi::OsStr::from_bytes(f).into())
}

/// Splits history file text into entries: lines are joined while they form an incomplete
/// command.
pub fn parse_file(text: &[u8]) -> Vec<String> {
    let mut entries = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    for line in text.split_inclusive(|&c| c == b'\n') {
        cur.extend_from_slice(line);
        if super::is_incomplete(&cur) {
            continue;
        }
        push_text(&mut entries, &cur);
        cur.clear();
    }
    if !cur.is_empty() {
        push_text(&mut entries, &cur);
    }
    entries
}

fn push_text(entries: &mut Vec<String>, t: &[u8]) {
    let t = t.strip_suffix(b"\n").unwrap_or(t);
    if !t.trim_ascii().is_empty() {
        entries.push(String::from_utf8_lossy(t).into_owned());
    }
}

/// Loads `$HISTFILE` into the shell's history (the last `HISTSIZE` entries).
pub fn load(sh: &mut Shell) {
    let max = size(sh);
    let Some(path) = file(sh) else {
        return;
    };
    let Ok(text) = std::fs::read(&path) else {
        return;
    };
    let mut h = History {
        entries: parse_file(&text),
        first: 1,
        cleared: false,
    };
    h.trim(max);
    sh.history = h;
}

/// Adds a command to the history and appends it to `$HISTFILE`. True if it was added.
pub fn add(sh: &mut Shell, entry: &str) -> bool {
    let max = size(sh);
    if !sh.history.push(entry, max) {
        return false;
    }
    if let Some(path) = file(sh) {
        let mut rec = entry.as_bytes().to_vec();
        rec.push(b'\n');
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&path)
        {
            // One write: concurrent shells append whole entries.
            let _ = f.write_all(&rec);
        }
    }
    true
}

/// `history [-c] [N]`: the numbered list (the last N entries).
pub fn history(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let mut count = None;
    for a in &args[1..] {
        match a.as_slice() {
            b"-c" => {
                sh.history.entries.clear();
                sh.history.cleared = true;
                return Ok(0);
            }
            n => match std::str::from_utf8(n)
                .ok()
                .and_then(|t| t.parse::<usize>().ok())
            {
                Some(k) => count = Some(k),
                None => {
                    sh.error2(
                        b"history",
                        &format!("{}: numeric argument required", String::from_utf8_lossy(n)),
                    );
                    return Ok(2);
                }
            },
        }
    }
    let h = &sh.history;
    let skip = count.map_or(0, |k| h.entries.len().saturating_sub(k));
    let mut text = String::new();
    for (i, e) in h.entries.iter().enumerate().skip(skip) {
        text.push_str(&format!("{:>5}  {}\n", h.first + i, e));
    }
    Ok(out(sh, b"history", text.as_bytes()))
}

/// `fc -l [-nr] [first [last]]`: lists history entries (the last 16 by default). Editing
/// and re-running (`fc` without `-l`, `fc -s`) are not supported.
pub fn fc(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    let (mut list, mut numbers, mut reverse) = (false, true, false);
    let mut ops = Vec::new();
    for a in &args[1..] {
        if a.len() > 1 && a[0] == b'-' && !a[1].is_ascii_digit() {
            for &c in &a[1..] {
                match c {
                    b'l' => list = true,
                    b'n' => numbers = false,
                    b'r' => reverse = true,
                    _ => {
                        sh.error2(b"fc", &format!("-{}: invalid option", char::from(c)));
                        return Ok(2);
                    }
                }
            }
        } else {
            ops.push(a.clone());
        }
    }
    if !list {
        sh.error2(b"fc", "only listing (-l) is supported");
        return Ok(2);
    }
    let h = &sh.history;
    // Interactively the last entry is this `fc` command itself: not listed (bash).
    let own = usize::from(sh.opts.interactive);
    if h.entries.len() <= own {
        return Ok(0);
    }
    let last_no = h.first + h.entries.len() - 1 - own;
    let find = |spec: &[u8]| -> Option<usize> {
        let t = std::str::from_utf8(spec).ok()?;
        if let Ok(n) = t.parse::<i64>() {
            let no = if n < 0 { last_no as i64 + 1 + n } else { n };
            return Some((no.max(h.first as i64) as usize).min(last_no));
        }
        h.entries
            .iter()
            .rposition(|e| e.starts_with(t))
            .map(|i| h.first + i)
    };
    let (from, to) = match ops.as_slice() {
        [] => (last_no.saturating_sub(15).max(h.first), last_no),
        [a] => match find(a) {
            Some(f) => (f, last_no),
            None => return Ok(no_command(sh)),
        },
        [a, b, ..] => match (find(a), find(b)) {
            (Some(f), Some(t)) => (f, t),
            _ => return Ok(no_command(sh)),
        },
    };
    let (lo, hi, rev) = if from <= to {
        (from, to, reverse)
    } else {
        (to, from, !reverse)
    };
    let mut nos: Vec<usize> = (lo..=hi).collect();
    if rev {
        nos.reverse();
    }
    let mut text = String::new();
    for no in nos {
        let e = &sh.history.entries[no - sh.history.first];
        if numbers {
            text.push_str(&format!("{no}\t {e}\n"));
        } else {
            text.push_str(&format!("\t {e}\n"));
        }
    }
    Ok(out(sh, b"fc", text.as_bytes()))
}

fn no_command(sh: &Shell) -> u8 {
    sh.error2(b"fc", "history specification out of range");
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_entries_join_incomplete_lines() {
        let text = b"ls -l\nfor i in 1 2\ndo echo $i\ndone\necho 'a\nb'\ncat <<E\nx\nE\n\necho end";
        assert_eq!(
            parse_file(text),
            [
                "ls -l",
                "for i in 1 2\ndo echo $i\ndone",
                "echo 'a\nb'",
                "cat <<E\nx\nE",
                "echo end"
            ]
        );
    }

    #[test]
    fn push_skips_blank_and_repeats_and_trims() {
        let mut h = History::default();
        assert!(h.push("a", 2));
        assert!(!h.push("a", 2));
        assert!(!h.push("  ", 2));
        assert!(h.push("b", 2));
        assert!(h.push("c", 2));
        assert_eq!(h.entries, ["b", "c"]);
        assert_eq!(h.first, 2);
        assert_eq!(h.next_number(), 4);
    }

    #[test]
    fn added_entries_are_appended_to_the_file() {
        let dir = std::env::temp_dir().join(format!("rbox-hist-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("h");
        std::fs::write(&path, b"old one\n").unwrap();
        let mut sh = Shell::new(&[(b"HISTFILE".to_vec(), path.as_os_str().as_bytes().to_vec())]);
        load(&mut sh);
        assert!(add(&mut sh, "if true\nthen echo y\nfi"));
        // Another shell appended meanwhile: kept, not overwritten.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"other shell\n").unwrap();
        assert!(add(&mut sh, "echo z"));
        let text = std::fs::read(&path).unwrap();
        assert_eq!(
            parse_file(&text),
            [
                "old one",
                "if true\nthen echo y\nfi",
                "other shell",
                "echo z"
            ]
        );
        assert_eq!(sh.history.entries.len(), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
