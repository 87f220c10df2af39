//! The interactive shell driven through a real pseudo-terminal (`support/pty.rs`): what a
//! user types, and what the screen then shows. Tests run one at a time (a lock): each
//! starts its own shell with a scratch `$HOME`. Every wait is bounded; nothing is timed.

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::path::{Path, PathBuf};

use std::sync::Mutex;

use pty::Pty;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const PROMPT: &str = "rbox> ";
/// What marks a prompt on the screen.
const MARK: &str = PROMPT;

/// A shell on a pty with a known prompt, counting prompts to know when a command is done.
struct Session {
    pty: Pty,
    prompts: usize,
}

fn home(tag: &str) -> PathBuf {
    support::scratch(tag)
}

impl Session {
    fn start(home: &Path, args: &[&str], extra: &[(&str, &str)]) -> Session {
        let home_s = home.to_str().unwrap().to_string();
        let path = format!("{}:/usr/bin:/bin", support::applet_dir().display());
        let mut env: Vec<(&str, &str)> = vec![
            ("HOME", &home_s),
            ("PATH", &path),
            ("TERM", "xterm"),
            ("PS1", PROMPT),
            ("LC_ALL", "C"),
        ];
        for (k, v) in extra {
            env.retain(|(n, _)| n != k);
            env.push((k, v));
        }
        let mut all = vec!["sh"];
        all.extend_from_slice(args);
        let pty = Pty::spawn(support::rbox(), &all, &env, home);
        let mut s = Session { pty, prompts: 0 };
        s.prompt();
        s
    }

    fn new(tag: &str) -> Session {
        let h = home(tag);
        Session::start(&h, &[], &[])
    }

    /// Waits for the next prompt.
    fn prompt(&mut self) -> String {
        self.prompts += 1;
        self.pty.wait_count(MARK, self.prompts)
    }

    /// Types a command and Enter; waits for the next prompt; returns the screen.
    fn run(&mut self, line: &str) -> String {
        self.pty.line(line);
        self.prompt()
    }

    /// The screen rows after the row where `cmd` was typed at a prompt (up to the next
    /// prompt).
    fn output_of(&self, cmd: &str) -> Vec<String> {
        let screen = self.pty.screen();
        let typed = format!("{PROMPT}{cmd}");
        let rows: Vec<&str> = screen.lines().collect();
        let at = rows
            .iter()
            .rposition(|r| r.trim_end() == typed.trim_end())
            .unwrap_or_else(|| panic!("{typed:?} not on the screen:\n{screen}"));
        rows[at + 1..]
            .iter()
            .take_while(|r| !r.starts_with(MARK))
            .map(|r| r.to_string())
            .collect()
    }

    /// Waits until a job (not the shell) has the terminal.
    fn wait_job_in_foreground(&mut self) {
        let shell = self.pty.pid();
        self.pty.wait_foreground_not(shell);
    }
}

fn lock() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn root() -> bool {
    // SAFETY: geteuid has no failure mode.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn typing_and_editing() {
    let _l = lock();
    let mut s = Session::new("type");
    s.run("echo hello");
    assert_eq!(s.output_of("echo hello"), ["hello"]);
    // Left arrow twice, insert a letter: the line is redrawn, the command is fixed.
    s.pty.send("echo wrd\x1b[D\x1b[Do");
    s.pty
        .wait_for("the edited line", |t| t.contains("rbox> echo word"));
    s.pty.send("\r");
    s.prompt();
    assert_eq!(s.output_of("echo word"), ["word"]);
    // Ctrl-A, then a word at the start.
    s.pty.send("hi\x01echo ");
    s.pty
        .wait_for("the edited line", |t| t.contains("rbox> echo hi"));
    s.pty.send("\r");
    s.prompt();
    assert_eq!(s.output_of("echo hi"), ["hi"]);
}

#[test]
fn vi_mode() {
    let _l = lock();
    let mut s = Session::new("vi");
    s.run("set -o vi");
    // Esc to command mode, back a word, change it.
    s.pty.send("echo xyz\x1bbcwabc");
    s.pty
        .wait_for("the changed word", |t| t.contains("rbox> echo abc"));
    s.pty.send("\r");
    s.prompt();
    assert_eq!(s.output_of("echo abc"), ["abc"]);
}

#[test]
fn prompt_escapes_and_colours() {
    let _l = lock();
    let h = home("ps1");
    std::fs::create_dir_all(h.join("proj")).unwrap();
    let mut s = Session::start(&h, &[], &[("PS1", "rbox> ")]);
    let sign = if root() { '#' } else { '$' };
    s.pty
        .line("cd proj; PS1='\\[\\e[32m\\]\\W\\[\\e[0m\\] \\w \\$ '");
    let want = format!("proj ~/proj {sign} ");
    s.pty
        .wait_for("the new prompt", |t| t.lines().any(|l| l == want));
    // The colours take no columns: a long line wraps exactly at the 80th column.
    let long = "x".repeat(80 - want.len() + 5);
    s.pty.send(&format!("echo {long}"));
    let wrapped = format!("{want}echo {}", &long[..80 - want.len() - 5]);
    s.pty
        .wait_for("the wrapped line", |t| t.lines().any(|l| l == wrapped));
    s.pty.send("\x03");
}

#[test]
fn tab_completion() {
    let _l = lock();
    let h = home("tab");
    std::fs::write(h.join("my long file.txt"), b"contents\n").unwrap();
    std::fs::create_dir_all(h.join("subdir")).unwrap();
    std::fs::write(h.join("subfile"), b"").unwrap();
    let mut s = Session::start(&h, &[], &[]);
    // A command name.
    s.pty.send("ech\t");
    s.pty
        .wait_for("echo completed", |t| t.contains("rbox> echo "));
    s.pty.send("done\r");
    s.prompt();
    assert_eq!(s.output_of("echo done"), ["done"]);
    // A file name with spaces, quoted.
    s.pty.send("cat my\t");
    s.pty.wait_for("the quoted name", |t| {
        t.contains("rbox> cat my\\ long\\ file.txt ")
    });
    s.pty.send("\r");
    s.prompt();
    assert_eq!(s.output_of("cat my\\ long\\ file.txt"), ["contents"]);
    // cd completes directories only.
    s.pty.send("cd sub\t");
    s.pty
        .wait_for("the directory", |t| t.contains("rbox> cd subdir/"));
    s.pty.send("\r");
    s.prompt();
    // A variable name.
    s.pty.send("echo $HO\t");
    s.pty
        .wait_for("the variable", |t| t.contains("rbox> echo $HOME"));
    s.pty.send("\x03");
    s.prompt();
}

#[test]
fn history_recall_search_and_file() {
    let _l = lock();
    let h = home("hist");
    let mut s = Session::start(&h, &[], &[]);
    s.run("echo one");
    s.run("echo two");
    // Up twice: the older command comes back.
    s.pty.send("\x1b[A\x1b[A");
    s.pty
        .wait_for("echo one recalled", |t| t.ends_with("rbox> echo one\n"));
    s.pty.send("\r");
    s.prompt();
    // Ctrl-R: incremental search.
    s.pty.send("\x12tw");
    s.pty.wait_for("the search", |t| {
        t.contains("(reverse-i-search)`tw': echo two")
    });
    s.pty.send("\r");
    s.prompt();
    s.run("history");
    assert_eq!(
        s.output_of("history"),
        [
            "    1  echo one",
            "    2  echo two",
            "    3  echo one",
            "    4  echo two",
            "    5  history"
        ]
    );
    // fc -l lists up to the command before itself (tabs show as spaces).
    s.run("fc -l -2");
    assert_eq!(
        s.output_of("fc -l -2"),
        ["4        echo two", "5        history"]
    );
    s.pty.line("exit");
    assert_eq!(s.pty.wait_exit(), Some(0));
    // The file kept every entry; a new shell starts with them.
    let text = std::fs::read_to_string(h.join(".rbox_history")).unwrap();
    assert_eq!(
        text,
        "echo one\necho two\necho one\necho two\nhistory\nfc -l -2\nexit\n"
    );
    let mut s2 = Session::start(&h, &[], &[]);
    s2.pty.send("\x1b[A");
    s2.pty
        .wait_for("the last entry", |t| t.ends_with("rbox> exit\n"));
    s2.pty.send("\x03");
    s2.prompt();
}

#[test]
fn ctrl_c_at_prompt_and_during_sleep() {
    let _l = lock();
    let mut s = Session::new("intr");
    s.pty.send("echo partial");
    s.pty
        .wait_for("typed text", |t| t.contains("rbox> echo partial"));
    s.pty.send("\x03");
    s.prompt();
    s.run("echo $?");
    assert_eq!(s.output_of("echo $?"), ["130"]);
    assert!(!s.pty.screen().lines().any(|l| l == "partial"));
    s.pty.line("sleep 10");
    s.wait_job_in_foreground();
    s.pty.send("\x03");
    s.prompt();
    s.run("echo status $?");
    assert_eq!(s.output_of("echo status $?"), ["status 130"]);
    // Ctrl-C interrupts a loop of foreground jobs too, not only the one job.
    s.pty.line("while :; do sleep 10; done");
    s.wait_job_in_foreground();
    s.pty.send("\x03");
    s.prompt();
    s.run("echo alive");
    assert_eq!(s.output_of("echo alive"), ["alive"]);
}

#[test]
fn ctrl_z_jobs_fg_bg() {
    let _l = lock();
    let mut s = Session::new("jobs");
    // cat in the foreground: Ctrl-Z stops it.
    s.pty.line("cat");
    s.wait_job_in_foreground();
    s.pty.send("\x1a");
    s.prompt();
    assert!(
        s.pty
            .screen()
            .contains("[1]+  Stopped                 cat\n"),
        "{}",
        s.pty.screen()
    );
    s.run("sleep 100 &");
    s.run("jobs");
    assert_eq!(
        s.output_of("jobs"),
        [
            "[1]-  Stopped                 cat",
            "[2]+  Running                 sleep 100 &"
        ]
    );
    // fg %1: cat has the terminal again and echoes what is typed.
    s.pty.line("fg %1");
    s.wait_job_in_foreground();
    s.pty.send("abc\r");
    s.pty.wait_count("abc\n", 2);
    s.pty.send("\x04");
    s.prompt();
    s.run("kill %sleep; wait %2; echo $?");
    assert_eq!(s.output_of("kill %sleep; wait %2; echo $?"), ["143"]);
    s.run("jobs");
    assert!(s.output_of("jobs").is_empty());
    // A background job's end is announced before a prompt.
    s.run("true &");
    let mut tries = 0;
    while !s.pty.screen().contains("Done                    true") {
        tries += 1;
        assert!(tries < 500, "no Done notice:\n{}", s.pty.screen());
        s.run("");
    }
    // Stopped job, then bg continues it.
    s.pty.line("sleep 100");
    s.wait_job_in_foreground();
    s.pty.send("\x1a");
    s.prompt();
    s.run("bg");
    assert_eq!(s.output_of("bg"), ["[1]+ sleep 100 &"]);
    s.run("jobs -l");
    let out = s.output_of("jobs -l");
    assert_eq!(out.len(), 1);
    assert!(
        out[0].starts_with("[1]+  ") && out[0].ends_with("Running                 sleep 100 &")
    );
    s.run("kill %1");
}

#[test]
fn stopped_pipeline_is_one_job() {
    let _l = lock();
    let mut s = Session::new("pipe");
    s.pty.line("sleep 100 | cat");
    s.wait_job_in_foreground();
    s.pty.send("\x1a");
    s.prompt();
    s.run("echo next");
    // Announced once, though both stages stopped.
    let screen = s.pty.screen();
    assert_eq!(
        screen
            .matches("Stopped                 sleep 100 | cat")
            .count(),
        1,
        "{screen}"
    );
    s.run("jobs");
    assert_eq!(
        s.output_of("jobs"),
        ["[1]+  Stopped                 sleep 100 | cat"]
    );
    s.pty.line("fg");
    s.wait_job_in_foreground();
    s.pty.send("\x03");
    s.prompt();
    s.run("jobs");
    assert!(s.output_of("jobs").is_empty());
}

#[test]
fn fg_gives_a_job_back_its_terminal_modes() {
    let _l = lock();
    let mut s = Session::new("modes");
    // The job turns echo off, then stops itself; the shell's prompt has its own modes.
    s.run("sh -c 'stty -echo; kill -TSTP $$; exec cat'");
    s.run("echo typed");
    assert_eq!(s.output_of("echo typed"), ["typed"]);
    // Back in the foreground, echo is off again: cat's copy is the only one.
    s.pty.line("fg");
    s.wait_job_in_foreground();
    s.pty.send("secret\r\x04");
    s.prompt();
    assert_eq!(
        s.output_of("fg"),
        ["sh -c 'stty -echo; kill -TSTP $$; exec cat'", "secret"]
    );
    s.run("stty echo");
}

#[test]
fn ps2_continuation_is_one_history_entry() {
    let _l = lock();
    let h = home("ps2");
    let mut s = Session::start(&h, &[], &[("PS2", "more> ")]);
    s.pty.line("if true");
    s.pty.wait_count("more> ", 1);
    s.pty.line("then echo 'yes");
    s.pty.wait_count("more> ", 2);
    s.pty.line("sir'");
    s.pty.wait_count("more> ", 3);
    s.pty.line("fi");
    s.prompt();
    let screen = s.pty.screen();
    assert!(
        screen.contains("rbox> if true\nmore> then echo 'yes\nmore> sir'\nmore> fi\nyes\nsir\n"),
        "{screen}"
    );
    s.run("history");
    assert_eq!(
        s.output_of("history"),
        [
            "    1  if true",
            "then echo 'yes",
            "sir'",
            "fi",
            "    2  history"
        ]
    );
}

#[test]
fn bracketed_paste_runs_when_complete() {
    let _l = lock();
    let mut s = Session::new("paste");
    s.pty.send("\x1b[200~echo one\recho two\r\x1b[201~");
    let t = s
        .pty
        .wait_for("the pasted block", |t| t.contains("echo two"));
    // Nothing ran yet: the block is still being edited.
    assert!(!t.lines().any(|l| l == "one"), "{t}");
    s.pty.send("\r");
    s.prompt();
    let screen = s.pty.screen();
    // The pasted newline after `echo two` is part of the block: an empty line.
    assert!(
        screen.contains("rbox> echo one\necho two\n\none\ntwo\n"),
        "{screen}"
    );
}

#[test]
fn exit_warns_once_about_stopped_jobs() {
    let _l = lock();
    let mut s = Session::new("exit");
    s.pty.line("sleep 100");
    s.wait_job_in_foreground();
    s.pty.send("\x1a");
    s.prompt();
    s.run("exit");
    assert_eq!(s.output_of("exit"), ["exit", "There are stopped jobs."]);
    s.pty.line("exit 3");
    assert_eq!(s.pty.wait_exit(), Some(3));
}

#[test]
fn login_profiles_env_and_logout() {
    let _l = lock();
    let h = home("login");
    // PS1 again: /etc/profile (read first) may set its own.
    std::fs::write(
        h.join(".profile"),
        "FROM_PROFILE=yes\nENV=$HOME/.shrc\nPS1='rbox> '\n",
    )
    .unwrap();
    std::fs::write(h.join(".shrc"), "alias hi='echo hi from env'\n").unwrap();
    let mut s = Session::start(&h, &["-l"], &[]);
    s.run("echo $FROM_PROFILE");
    assert_eq!(s.output_of("echo $FROM_PROFILE"), ["yes"]);
    s.run("hi");
    assert_eq!(s.output_of("hi"), ["hi from env"]);
    s.pty.line("logout");
    assert_eq!(s.pty.wait_exit(), Some(0));
    // Not a login shell: logout refuses.
    let mut s = Session::start(&h, &[], &[]);
    s.run("logout");
    assert_eq!(
        s.output_of("logout"),
        ["sh: 1: logout: not login shell: use `exit'"]
    );
}

#[test]
fn dumb_terminal_reads_plain_lines() {
    let _l = lock();
    let h = home("dumb");
    let mut s = Session::start(&h, &[], &[("TERM", "dumb")]);
    s.run("echo plain");
    assert_eq!(s.output_of("echo plain"), ["plain"]);
    s.pty.line("exit 4");
    assert_eq!(s.pty.wait_exit(), Some(4));
}

#[test]
fn not_a_terminal_with_dash_i() {
    let out = support::run_rbox(
        &["sh", "-i"],
        b"PS1='P> '\necho hi\nif true\nthen echo ok; fi\n",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\nok\n");
    // Prompts go to stderr; PS2 for the continuation; no history file is written.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "$ P> P> > P> ");
    assert_eq!(out.status.code(), Some(0));
}
