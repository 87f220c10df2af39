//! Tab completion and the editor helper: command names (shell builtins, keywords,
//! applets, functions, aliases, PATH) in command position, `$VAR` names, `~user`, file
//! names elsewhere (directories only after `cd`), each candidate quoted so the shell reads
//! it back as the same word.
//!
//! A directory of 100 000 files is one `getdents` pass: names are compared as bytes and
//! only the matches are looked at further (a `stat` for symlinks).

use std::borrow::Cow;
use std::cell::RefCell;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use rustyline::Context;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;

/// What completion knows of the shell, refreshed before each prompt.
#[derive(Default, Clone)]
pub struct Names {
    /// Functions and aliases (builtins, keywords and applets are added by the helper).
    pub commands: Vec<String>,
    /// Variable names.
    pub vars: Vec<String>,
    /// `$PATH`.
    pub path: Vec<u8>,
    /// `$HOME`.
    pub home: Vec<u8>,
    /// The shell's logical cwd (`$PWD`), for relative names.
    pub cwd: Vec<u8>,
}

/// The rustyline helper: completion, and the prompt with its zero-width colours.
#[derive(Default)]
pub struct ShellHelper {
    /// The shell's names.
    pub names: Names,
    /// The prompt as shown (with colours); the editor is given the plain one to measure.
    pub shown_prompt: String,
    /// The prompt without its zero-width parts (what the editor was given).
    pub plain_prompt: String,
    /// PATH executables, listed once per `$PATH` value.
    path_cache: RefCell<Option<(Vec<u8>, Vec<String>)>>,
    /// Builtins, keywords and applets, listed at the first completion.
    fixed: std::cell::OnceCell<Vec<String>>,
}

impl rustyline::Helper for ShellHelper {}
impl Hinter for ShellHelper {
    type Hint = String;
}
impl Validator for ShellHelper {}

impl Highlighter for ShellHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        // Other prompts (the Ctrl-R search) are shown as they are.
        if self.shown_prompt.is_empty() || prompt != self.plain_prompt {
            Cow::Borrowed(prompt)
        } else {
            Cow::Borrowed(&self.shown_prompt)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        false
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

/// The word being completed.
#[derive(Debug, PartialEq, Eq)]
pub struct Word {
    /// Where it starts in the line (bytes).
    pub start: usize,
    /// Its text with quotes and backslashes removed.
    pub text: Vec<u8>,
    /// It is in command position.
    pub command: bool,
    /// The command's first word (for `cd`), if this is not it.
    pub first: Option<Vec<u8>>,
}

/// Splits `line[..pos]` far enough to find the word under the cursor: quotes and
/// backslashes, operators (`; | & ( ) < >`) and blanks.
pub fn current_word(line: &str, pos: usize) -> Word {
    let b = &line.as_bytes()[..pos];
    let mut start = 0;
    let mut text = Vec::new();
    let mut command = true;
    let mut first: Option<Vec<u8>> = None;
    let mut in_word = false;
    let mut after_redirect = false;
    let (mut sq, mut dq) = (false, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if sq {
            if c == b'\'' {
                sq = false;
            } else {
                text.push(c);
            }
            i += 1;
            continue;
        }
        if dq {
            match c {
                b'"' => dq = false,
                b'\\' if i + 1 < b.len() && b"$`\"\\".contains(&b[i + 1]) => {
                    text.push(b[i + 1]);
                    i += 1;
                }
                _ => text.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>' => {
                if in_word {
                    let w = std::mem::take(&mut text);
                    if after_redirect {
                        after_redirect = false;
                    } else if command {
                        let stays = is_keyword(&w) || is_assignment(&w);
                        if !stays {
                            command = false;
                            first = Some(w);
                        }
                    }
                    in_word = false;
                }
                if matches!(c, b';' | b'|' | b'&' | b'(' | b')' | b'\n') {
                    command = true;
                    first = None;
                }
                if matches!(c, b'<' | b'>') {
                    after_redirect = true;
                }
                start = i + 1;
            }
            _ => {
                if !in_word {
                    in_word = true;
                    start = i;
                }
                match c {
                    b'\'' => sq = true,
                    b'"' => dq = true,
                    b'\\' if i + 1 < b.len() => {
                        text.push(b[i + 1]);
                        i += 1;
                    }
                    _ => text.push(c),
                }
            }
        }
        i += 1;
    }
    Word {
        start,
        text,
        command: command && !after_redirect,
        first,
    }
}

fn is_keyword(w: &[u8]) -> bool {
    KEYWORDS.iter().any(|k| k.as_bytes() == w)
}

/// Reserved words that leave the next word in command position.
const KEYWORDS: &[&str] = &[
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if",
    "in", "then", "time", "until", "while",
];

fn is_assignment(w: &[u8]) -> bool {
    match w.iter().position(|&c| c == b'=') {
        Some(eq) if eq > 0 => {
            (w[0].is_ascii_alphabetic() || w[0] == b'_')
                && w[..eq]
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        }
        _ => false,
    }
}

/// Backslash-quotes what the shell would otherwise split, expand or glob.
pub fn quote(name: &[u8]) -> String {
    let mut s = Vec::with_capacity(name.len() + 4);
    for (i, &c) in name.iter().enumerate() {
        if b" \t\n\\'\"`$&|;<>()*?[]#!{}=,^".contains(&c) || (c == b'~' && i == 0) {
            if c == b'\n' {
                s.extend_from_slice(b"$'\\n'");
                continue;
            }
            s.push(b'\\');
        }
        s.push(c);
    }
    String::from_utf8_lossy(&s).into_owned()
}

impl ShellHelper {
    /// The start of the replaced text and the candidates for the cursor at `pos`.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let w = current_word(line, pos);
        let text = w.text.as_slice();
        if let Some(name) = text.strip_prefix(b"$")
            && !name.contains(&b'/')
        {
            let (brace, name) = match name.strip_prefix(b"{") {
                Some(n) => (true, n),
                None => (false, name),
            };
            let mut v: Vec<Pair> = self
                .names
                .vars
                .iter()
                .filter(|n| n.as_bytes().starts_with(name))
                .map(|n| {
                    let r = if brace {
                        format!("${{{n}}}")
                    } else {
                        format!("${n}")
                    };
                    Pair {
                        display: n.clone(),
                        replacement: r,
                    }
                })
                .collect();
            v.sort_by(|a, b| a.display.cmp(&b.display));
            return (w.start, v);
        }
        if let Some(user) = text.strip_prefix(b"~")
            && !user.contains(&b'/')
        {
            let accounts = rbox_builtins::common::passwd::Accounts::load();
            let mut v: Vec<Pair> = accounts
                .users
                .iter()
                .filter(|u| u.name.starts_with(user))
                .map(|u| {
                    let n = String::from_utf8_lossy(&u.name);
                    Pair {
                        display: format!("~{n}"),
                        replacement: format!("~{}/", quote(&u.name)),
                    }
                })
                .collect();
            v.sort_by(|a, b| a.display.cmp(&b.display));
            v.dedup_by(|a, b| a.display == b.display);
            return (w.start, v);
        }
        if w.command && !text.contains(&b'/') {
            return (w.start, self.commands(text));
        }
        let dirs_only = w.first.as_deref() == Some(b"cd") || w.first.as_deref() == Some(b"pushd");
        (w.start, self.files(text, dirs_only, w.command))
    }

    fn commands(&self, prefix: &[u8]) -> Vec<Pair> {
        let fixed = self.fixed.get_or_init(fixed_commands);
        let mut names: Vec<&str> = self
            .names
            .commands
            .iter()
            .chain(fixed)
            .map(String::as_str)
            .filter(|n| n.as_bytes().starts_with(prefix))
            .collect();
        let mut cache = self.path_cache.borrow_mut();
        if cache.as_ref().is_none_or(|(p, _)| *p != self.names.path) {
            *cache = Some((self.names.path.clone(), path_commands(&self.names.path)));
        }
        if let Some((_, list)) = cache.as_ref() {
            names.extend(
                list.iter()
                    .map(String::as_str)
                    .filter(|n| n.as_bytes().starts_with(prefix)),
            );
        }
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|n| Pair {
                display: n.to_string(),
                replacement: format!("{} ", quote(n.as_bytes())),
            })
            .collect()
    }

    fn files(&self, text: &[u8], dirs_only: bool, executables: bool) -> Vec<Pair> {
        let (dir_part, base) = match text.iter().rposition(|&c| c == b'/') {
            Some(p) => (&text[..=p], &text[p + 1..]),
            None => (&b""[..], text),
        };
        let mut dir = expand_tilde(dir_part, &self.names.home);
        if dir.is_empty() {
            dir = b".".to_vec();
        }
        if !dir.starts_with(b"/") && !self.names.cwd.is_empty() {
            let mut d = self.names.cwd.clone();
            d.push(b'/');
            d.extend_from_slice(&dir);
            dir = d;
        }
        let Ok(rd) = std::fs::read_dir(std::ffi::OsStr::from_bytes(&dir)) else {
            return Vec::new();
        };
        let show_hidden = base.first() == Some(&b'.');
        let mut out = Vec::new();
        for e in rd.flatten() {
            let name = e.file_name().into_vec();
            if !name.starts_with(base) || (!show_hidden && name.first() == Some(&b'.')) {
                continue;
            }
            let is_dir = match e.file_type() {
                Ok(t) if t.is_symlink() => std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()),
                Ok(t) => t.is_dir(),
                Err(_) => false,
            };
            if dirs_only && !is_dir {
                continue;
            }
            if executables && !is_dir && !is_executable(&e) {
                continue;
            }
            let mut full = dir_part.to_vec();
            full.extend_from_slice(&name);
            let mut replacement = quote(&full);
            // A `~` the user typed at the start stays an unquoted tilde.
            if full.first() == Some(&b'~') {
                replacement.remove(0);
            }
            replacement.push(if is_dir { '/' } else { ' ' });
            let mut display = String::from_utf8_lossy(&name).into_owned();
            if is_dir {
                display.push('/');
            }
            out.push(Pair {
                display,
                replacement,
            });
        }
        out.sort_by(|a, b| a.display.cmp(&b.display));
        out
    }
}

fn is_executable(e: &std::fs::DirEntry) -> bool {
    crate::sh::expand::cond::access(e.path().as_os_str().as_bytes(), libc::X_OK)
}

fn expand_tilde(dir: &[u8], home: &[u8]) -> Vec<u8> {
    if let Some(rest) = dir.strip_prefix(b"~") {
        let (user, tail) = match rest.iter().position(|&c| c == b'/') {
            Some(p) => (&rest[..p], &rest[p..]),
            None => (rest, &b""[..]),
        };
        let base = if user.is_empty() {
            Some(home.to_vec())
        } else {
            rbox_builtins::common::passwd::Accounts::load()
                .user_by_name(user)
                .map(|u| u.home.clone())
        };
        if let Some(mut b) = base {
            b.extend_from_slice(tail);
            return b;
        }
    }
    dir.to_vec()
}

/// The executable file names in the directories of `path`.
fn path_commands(path: &[u8]) -> Vec<String> {
    let mut v = Vec::new();
    for d in path.split(|&c| c == b':') {
        let d = if d.is_empty() { &b"."[..] } else { d };
        let Ok(rd) = std::fs::read_dir(std::ffi::OsStr::from_bytes(d)) else {
            continue;
        };
        for e in rd.flatten() {
            let is_file = match e.file_type() {
                Ok(t) if t.is_symlink() => std::fs::metadata(e.path()).is_ok_and(|m| m.is_file()),
                Ok(t) => t.is_file(),
                Err(_) => false,
            };
            if is_file && is_executable(&e) {
                v.push(String::from_utf8_lossy(&e.file_name().into_vec()).into_owned());
            }
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// The shell's own command names that can change: functions and aliases.
pub fn shell_commands(sh: &crate::sh::state::Shell) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    v.extend(
        sh.functions
            .keys()
            .map(|k| String::from_utf8_lossy(k).into_owned()),
    );
    v.extend(
        sh.aliases
            .keys()
            .map(|k| String::from_utf8_lossy(k).into_owned()),
    );
    v
}

/// The command names fixed for the binary: builtins, keywords and applets.
fn fixed_commands() -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    v.extend(crate::sh::builtins::names().map(|n| String::from_utf8_lossy(n).into_owned()));
    v.extend(KEYWORDS.iter().map(|k| (*k).to_string()));
    v.extend(crate::applets::all().iter().map(|a| a.name.to_string()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_command_position() {
        let w = current_word("ec", 2);
        assert_eq!(
            (w.start, w.text.as_slice(), w.command),
            (0, &b"ec"[..], true)
        );
        let w = current_word("ls -l my\\ fi", 12);
        assert_eq!(
            (w.start, w.text.as_slice(), w.command),
            (6, &b"my fi"[..], false)
        );
        assert_eq!(w.first.as_deref(), Some(&b"ls"[..]));
        let w = current_word("echo a | gr", 11);
        assert_eq!((w.start, w.command), (9, true));
        let w = current_word("if X=1 ca", 9);
        assert!(w.command);
        let w = current_word("cd 'My Doc", 10);
        assert_eq!((w.start, w.text.as_slice()), (3, &b"My Doc"[..]));
        assert_eq!(w.first.as_deref(), Some(&b"cd"[..]));
        let w = current_word("cat > ou", 8);
        assert!(!w.command);
        let w = current_word("echo ", 5);
        assert_eq!(
            (w.start, w.text.as_slice(), w.command),
            (5, &b""[..], false)
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(b"a b'c"), "a\\ b\\'c");
        assert_eq!(quote(b"$x&(1)*"), "\\$x\\&\\(1\\)\\*");
        assert_eq!(quote(b"~x~"), "\\~x~");
        assert_eq!(quote(b"plain-name.txt"), "plain-name.txt");
    }

    fn helper_in(dir: &std::path::Path) -> ShellHelper {
        ShellHelper {
            names: Names {
                commands: vec!["myfunc".into()],
                vars: vec!["HOME".into(), "HOSTNAME".into(), "PATH".into()],
                path: Vec::new(),
                home: dir.as_os_str().as_bytes().to_vec(),
                cwd: dir.as_os_str().as_bytes().to_vec(),
            },
            ..Default::default()
        }
    }

    fn replacements(h: &ShellHelper, line: &str) -> (usize, Vec<String>) {
        let (s, v) = h.candidates(line, line.len());
        (s, v.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn files_dirs_vars_commands() {
        let dir = std::env::temp_dir().join(format!("rbox-compl-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("My Docs")).unwrap();
        std::fs::create_dir_all(dir.join("mydir")).unwrap();
        std::fs::write(dir.join("my file"), b"").unwrap();
        std::fs::write(dir.join("my$cash"), b"").unwrap();
        std::fs::write(dir.join(".hidden"), b"").unwrap();
        let h = helper_in(&dir);
        assert_eq!(
            replacements(&h, "cat my"),
            (
                4,
                vec!["my\\ file ".into(), "my\\$cash ".into(), "mydir/".into()]
            )
        );
        assert_eq!(replacements(&h, "cd My"), (3, vec!["My\\ Docs/".into()]));
        assert_eq!(replacements(&h, "cd m"), (3, vec!["mydir/".into()]));
        assert_eq!(replacements(&h, "cat ."), (4, vec![".hidden ".into()]));
        assert_eq!(
            replacements(&h, "cat ~/my\\ f"),
            (4, vec!["~/my\\ file ".into()])
        );
        assert_eq!(
            replacements(&h, "echo $HO"),
            (5, vec!["$HOME".into(), "$HOSTNAME".into()])
        );
        assert_eq!(replacements(&h, "echo ${PA"), (5, vec!["${PATH}".into()]));
        // Builtins and applets, with functions and aliases from the shell.
        let (start, ex) = replacements(&h, "ex");
        assert_eq!(start, 0);
        for want in ["exit ", "export ", "expr "] {
            assert!(ex.iter().any(|c| c == want), "{want} in {ex:?}");
        }
        assert!(ex.iter().all(|c| c.starts_with("ex")), "{ex:?}");
        assert_eq!(replacements(&h, "myf"), (0, vec!["myfunc ".into()]));
        assert_eq!(replacements(&h, "ls; ec"), (4, vec!["echo ".into()]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn root_user_completes() {
        let h = ShellHelper::default();
        let (_, v) = replacements(&h, "ls ~roo");
        if std::fs::read("/etc/passwd").is_ok_and(|t| t.starts_with(b"root:")) {
            assert_eq!(v, ["~root/"]);
        }
    }
}
