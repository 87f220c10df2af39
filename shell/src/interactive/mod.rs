//! The interactive shell: start-up (login profiles, job control, history), then the
//! read-eval loop. Lines come from rustyline on a capable terminal, else from plain reads
//! (`TERM=dumb`, stdin or stdout not a terminal). An incomplete command (open quote, `if`
//! without `fi`, trailing `|`, pending here-doc) asks for more with PS2 and becomes one
//! history entry; a pasted block (bracketed paste) runs only when it is complete.
//! Job notices come before each prompt; errors and Ctrl-C return to the prompt.

pub mod complete;
pub mod history;
pub mod prompt;

use std::panic::{AssertUnwindSafe, catch_unwind};

use rbox_parser::syntax::Parser;
use rustyline::config::Configurer;
use rustyline::error::ReadlineError;
use rustyline::history::MemHistory;
use rustyline::{CompletionType, Config, EditMode, Editor};

use crate::sh::jobs;
use crate::sh::signals;
use crate::sh::state::{Aliases, Ctl, R, Shell};
use complete::ShellHelper;

/// Whether the parser wants more input to finish the commands in `buf`.
pub fn is_incomplete(buf: &[u8]) -> bool {
    let mut p = Parser::with_line(buf, 1);
    loop {
        match p.next_complete_command(&rbox_parser::syntax::NoAliases) {
            Ok(Some(_)) => continue,
            Ok(None) => return false,
            Err(e) => return e.is_incomplete(),
        }
    }
}

fn isatty(fd: i32) -> bool {
    // SAFETY: isatty on an integer fd.
    unsafe { libc::isatty(fd) == 1 }
}

/// Whether a shell started without `-c` or a script is interactive by default (POSIX:
/// stdin and stderr are terminals).
pub fn terminal_session() -> bool {
    isatty(0) && isatty(2)
}

/// Start-up of an interactive shell, before `$ENV` is read: signals, job control (on a
/// terminal, with `set -m`), `$HISTFILE`, the login profiles, then the history.
pub fn start(sh: &mut Shell, login: bool) {
    sh.login = login;
    signals::set_catch(libc::SIGINT);
    signals::set_ignore(libc::SIGTERM);
    signals::set_ignore(libc::SIGQUIT);
    if sh.opts.monitor && isatty(0) && !jobs::enable(sh) {
        sh.opts.monitor = false;
    }
    if sh.vars.get(b"HISTFILE").is_none()
        && let Some(home) = sh.vars.get(b"HOME").filter(|h| !h.is_empty())
    {
        let mut f = home.to_vec();
        if !f.ends_with(b"/") {
            f.push(b'/');
        }
        f.extend_from_slice(b".rbox_history");
        let _ = sh.vars.set(b"HISTFILE", f, false);
    }
    if login {
        source_if_exists(sh, b"/etc/profile".to_vec());
        if let Some(home) = sh.vars.get(b"HOME").map(<[u8]>::to_vec) {
            let mut p = home;
            p.extend_from_slice(b"/.profile");
            source_if_exists(sh, p);
        }
    }
    history::load(sh);
}

/// Runs a start-up file; its errors are reported and do not end the shell.
fn source_if_exists(sh: &mut Shell, path: Vec<u8>) {
    use std::os::unix::ffi::OsStrExt;
    let Ok(text) = std::fs::read(std::ffi::OsStr::from_bytes(&path)) else {
        return;
    };
    let saved = std::mem::replace(&mut sh.name, path);
    let _ = catch_unwind(AssertUnwindSafe(|| crate::sh::run_source(sh, &text, 1)));
    sh.name = saved;
}

/// What a read gave.
enum Got {
    Line(String),
    Interrupted,
    Eof,
}

/// Where lines come from.
enum Reader {
    Edit(Box<Editor<ShellHelper, MemHistory>>),
    Plain,
}

impl Reader {
    fn new(sh: &Shell) -> Reader {
        let dumb = sh.vars.get(b"TERM").is_some_and(|t| t == b"dumb");
        if dumb || !isatty(0) || !isatty(1) {
            return Reader::Plain;
        }
        let size = history::size(sh);
        let Ok(config) = Config::builder()
            .max_history_size(size.max(1))
            .and_then(|b| b.history_ignore_dups(true))
            .map(|b| {
                b.auto_add_history(false)
                    .completion_type(CompletionType::List)
                    .bracketed_paste(true)
                    .build()
            })
        else {
            return Reader::Plain;
        };
        let hist = MemHistory::with_config(&config);
        let Ok(mut ed) = Editor::with_history(config, hist) else {
            return Reader::Plain;
        };
        ed.set_helper(Some(ShellHelper::default()));
        for e in &sh.history.entries {
            let _ = ed.add_history_entry(e.as_str());
        }
        Reader::Edit(Box::new(ed))
    }

    fn read(&mut self, sh: &Shell, p: &prompt::Rendered) -> Got {
        match self {
            Reader::Edit(ed) => {
                ed.set_edit_mode(if sh.opts.vi {
                    EditMode::Vi
                } else {
                    EditMode::Emacs
                });
                if let Some(h) = ed.helper_mut() {
                    h.shown_prompt.clone_from(&p.shown);
                    h.plain_prompt.clone_from(&p.plain);
                    h.names = complete::Names {
                        commands: complete::shell_commands(sh),
                        vars: sh
                            .vars
                            .sorted()
                            .into_iter()
                            .map(|(n, _)| String::from_utf8_lossy(n).into_owned())
                            .collect(),
                        path: sh.vars.get(b"PATH").unwrap_or(b"").to_vec(),
                        home: sh.vars.get(b"HOME").unwrap_or(b"").to_vec(),
                        cwd: sh.pwd.clone(),
                    };
                }
                match ed.readline(p.plain.as_str()) {
                    Ok(l) => Got::Line(l),
                    Err(ReadlineError::Interrupted) => Got::Interrupted,
                    Err(_) => Got::Eof,
                }
            }
            Reader::Plain => {
                let _ = rbox_builtins::common::fdio::write_all(2, p.shown.as_bytes());
                read_plain()
            }
        }
    }

    fn add_history(&mut self, sh: &mut Shell, entry: &str) {
        if let Reader::Edit(ed) = self {
            if sh.history.cleared {
                let _ = ed.clear_history();
            }
            let _ = ed.add_history_entry(entry);
        }
        sh.history.cleared = false;
    }
}

/// One line from fd 0 without an editor; a signal (Ctrl-C) abandons it.
fn read_plain() -> Got {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        // SAFETY: read into a one-byte buffer.
        let n = unsafe { libc::read(0, b.as_mut_ptr().cast(), 1) };
        if n < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                if signals::interrupted() {
                    let _ = rbox_builtins::common::fdio::write_all(2, b"\n");
                    return Got::Interrupted;
                }
                continue;
            }
            return Got::Eof;
        }
        if n == 0 {
            return if line.is_empty() {
                Got::Eof
            } else {
                Got::Line(String::from_utf8_lossy(&line).into_owned())
            };
        }
        if b[0] == b'\n' {
            return Got::Line(String::from_utf8_lossy(&line).into_owned());
        }
        line.push(b[0]);
    }
}

/// Runs the interactive read-eval loop until `exit`, `logout` or end of input; returns
/// the status to exit with.
pub fn run(sh: &mut Shell) -> R {
    let mut reader = Reader::new(sh);
    let mut buf: Vec<u8> = Vec::new();
    let mut line_no = 1u32;
    let mut cmd_no = 1usize;
    let mut eofs = 0;
    loop {
        if buf.is_empty() {
            let _ = signals::run_traps(sh);
            jobs::notify(sh);
        }
        jobs::take_terminal(sh);
        let ps = if buf.is_empty() {
            sh.vars.get(b"PS1").unwrap_or(b"$ ").to_vec()
        } else {
            sh.vars.get(b"PS2").unwrap_or(b"> ").to_vec()
        };
        let p = prompt::render(sh, &ps, sh.history.next_number(), cmd_no);
        let got = reader.read(sh, &p);
        // A Ctrl-C that arrived while reading belongs to the line, not to the next command.
        signals::clear_interrupt();
        match got {
            Got::Line(l) => {
                eofs = 0;
                buf.extend_from_slice(l.as_bytes());
                buf.push(b'\n');
            }
            Got::Interrupted => {
                buf.clear();
                sh.status = 130;
                continue;
            }
            Got::Eof => {
                if !buf.is_empty() {
                    sh.error(b"syntax error: unexpected end of file");
                    buf.clear();
                    sh.status = 2;
                    continue;
                }
                if sh.opts.ignoreeof && eofs < 9 && isatty(0) {
                    eofs += 1;
                    let _ = rbox_builtins::common::fdio::write_all(
                        2,
                        b"Use \"exit\" to leave the shell.\n",
                    );
                    continue;
                }
                if isatty(0) {
                    let _ = rbox_builtins::common::fdio::write_all(2, b"exit\n");
                }
                if refuse_exit(sh) {
                    continue;
                }
                return Ok(sh.status);
            }
        }
        if is_incomplete(&buf) {
            continue;
        }
        let text = std::mem::take(&mut buf);
        let entry = String::from_utf8_lossy(text.strip_suffix(b"\n").unwrap_or(&text)).into_owned();
        if history::add(sh, &entry) {
            reader.add_history(sh, &entry);
        }
        sh.jc.line.clone_from(&entry.into_bytes());
        let first = line_no;
        line_no += text.iter().filter(|&&c| c == b'\n').count() as u32;
        cmd_no += 1;
        match run_text(sh, &text, first) {
            Some(st) => {
                if isatty(0) {
                    let _ = rbox_builtins::common::fdio::write_all(2, b"exit\n");
                }
                if refuse_exit(sh) {
                    continue;
                }
                return Err(Ctl::Exit(st));
            }
            None => sh.jc.warned = false,
        }
    }
}

/// `exit` with stopped jobs: warns once (true: stay); the next `exit` leaves.
fn refuse_exit(sh: &mut Shell) -> bool {
    if jobs::any_stopped(sh) && !sh.jc.warned {
        sh.jc.warned = true;
        let _ = rbox_builtins::common::fdio::write_all(2, b"There are stopped jobs.\n");
        return true;
    }
    false
}

/// Runs the commands of one complete input; Some(status) when the shell must exit.
fn run_text(sh: &mut Shell, text: &[u8], first_line: u32) -> Option<u8> {
    let mut parser = Parser::with_line(text, first_line);
    loop {
        let cmd = match parser.next_complete_command(&Aliases(&sh.aliases)) {
            Ok(Some(c)) => c,
            Ok(None) => return None,
            Err(e) => {
                sh.lineno = e.line;
                sh.error(format!("syntax error: {}", e.message).as_bytes());
                sh.status = 2;
                return None;
            }
        };
        sh.jc.pipeline_pgid = None;
        let r = catch_unwind(AssertUnwindSafe(|| {
            crate::sh::exec::run_list(sh, &cmd, false)
        }));
        match r {
            Ok(Ok(st)) => sh.status = st,
            Ok(Err(Ctl::Exit(st))) => return Some(st),
            Ok(Err(Ctl::Error(st))) => {
                sh.status = st;
                return None;
            }
            Ok(Err(_)) => {}
            Err(_) => {
                sh.error(b"internal error: the command was abandoned");
                sh.status = 70;
                return None;
            }
        }
    }
}

/// `logout`: leaves a login shell.
pub fn logout(sh: &mut Shell, args: &[Vec<u8>]) -> R {
    if !sh.login {
        sh.error2(b"logout", "not login shell: use `exit'");
        return Ok(1);
    }
    crate::sh::builtins::misc::exit(sh, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_inputs_ask_for_more() {
        for s in [
            "echo 'open\n",
            "if true\n",
            "echo a |\n",
            "true &&\n",
            "cat <<EOF\nline\n",
            "for i in 1 2; do\n",
            "echo \\\n",
        ] {
            assert!(is_incomplete(s.as_bytes()), "{s:?}");
        }
        for s in [
            "echo a\n",
            "if true; then :; fi\n",
            "fi\n",
            "cat <<E\nx\nE\n",
            "",
        ] {
            assert!(!is_incomplete(s.as_bytes()), "{s:?}");
        }
    }
}
