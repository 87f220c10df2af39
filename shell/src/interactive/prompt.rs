//! PS1/PS2: the backslash escapes (`\u \h \w \W \$ \n \t \[ \]` and the rest of bash's
//! common set), then parameter expansion, command substitution and arithmetic. Text
//! between `\[` and `\]` (colours) is shown but not counted, so line wrapping stays right.

use crate::sh::state::Shell;

/// Marks the start of text that takes no room on the screen (readline's byte for `\[`).
const IGNORE_START: u8 = 0x01;
/// Marks its end (`\]`).
const IGNORE_END: u8 = 0x02;

/// A prompt ready to show: `shown` as written to the terminal, `plain` without the
/// zero-width parts (what the editor measures).
#[derive(Debug, PartialEq, Eq)]
pub struct Rendered {
    /// Everything, colours included.
    pub shown: String,
    /// The visible characters only.
    pub plain: String,
}

/// What the escapes need to know besides the shell's variables.
pub struct Facts {
    /// The user name (`\u`).
    pub user: Vec<u8>,
    /// The host name (`\h` is up to the first dot, `\H` all of it).
    pub host: Vec<u8>,
    /// The effective uid (`\$`).
    pub euid: u32,
    /// Local time of day as `(hours, minutes, seconds)`, and the `\d` date text.
    pub time: (u32, u32, u32),
    /// `\d`: `Tue May 26`.
    pub date: Vec<u8>,
    /// `\!`: the history number of this command.
    pub histnum: usize,
    /// `\#`: the command number in this session.
    pub cmdnum: usize,
}

/// The escape letters `ps` uses.
fn escapes_in(ps: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    let mut i = 0;
    while i + 1 < ps.len() {
        if ps[i] == b'\\' {
            v.push(ps[i + 1]);
            i += 2;
        } else {
            i += 1;
        }
    }
    v
}

impl Facts {
    /// Gathers the facts prompt `ps` shows (only those: the time zone, the account
    /// database and the host name are not looked at for a plain `$ `).
    pub fn now(sh: &Shell, ps: &[u8], histnum: usize, cmdnum: usize) -> Facts {
        // SAFETY: geteuid has no failure mode.
        let euid = unsafe { libc::geteuid() };
        let used = escapes_in(ps);
        let wants = |set: &[u8]| used.iter().any(|c| set.contains(c));
        let (time, date) = if wants(b"tTAd") {
            local_time(sh)
        } else {
            ((0, 0, 0), Vec::new())
        };
        Facts {
            user: if wants(b"u") {
                user_name(sh, euid)
            } else {
                Vec::new()
            },
            host: if wants(b"hH") {
                host_name()
            } else {
                Vec::new()
            },
            euid,
            time,
            date,
            histnum,
            cmdnum,
        }
    }
}

/// The local time of day and the `\d` date.
fn local_time(sh: &Shell) -> ((u32, u32, u32), Vec<u8>) {
    {
        use rbox_builtins::common::time;
        let tz = match sh.vars.get(b"TZ") {
            None => time::Tz::from_file(std::path::Path::new("/etc/localtime"))
                .unwrap_or_else(time::Tz::utc),
            Some(v) => {
                time::Tz::from_tz_value(v, sh.vars.get(b"TZDIR").unwrap_or(b"/usr/share/zoneinfo"))
            }
        };
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let tm = time::localtime(secs, &tz);
        ((tm.hour, tm.min, tm.sec), time::strftime(b"%a %b %d", &tm))
    }
}

fn user_name(sh: &Shell, euid: u32) -> Vec<u8> {
    thread_local! {
        static CACHE: std::cell::RefCell<Option<(u32, Vec<u8>)>> = const { std::cell::RefCell::new(None) };
    }
    CACHE.with(|c| {
        if let Some((u, n)) = &*c.borrow()
            && *u == euid
        {
            return n.clone();
        }
        let accounts = rbox_builtins::common::passwd::Accounts::load();
        let name = match accounts.user_by_uid(euid) {
            Some(u) => u.name.clone(),
            None => sh
                .vars
                .get(b"USER")
                .map_or_else(|| euid.to_string().into_bytes(), <[u8]>::to_vec),
        };
        *c.borrow_mut() = Some((euid, name.clone()));
        name
    })
}

fn host_name() -> Vec<u8> {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return b"localhost".to_vec();
    }
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    buf[..n].to_vec()
}

/// Decodes the backslash escapes of `ps` into text for parameter expansion (inside
/// double quotes): what an escape yields is quoted so `$` or a backquote in a
/// directory name stays literal. `\[`/`\]` become the zero-width markers.
pub fn decode_escapes(ps: &[u8], sh: &Shell, f: &Facts) -> Vec<u8> {
    let mut out = Vec::with_capacity(ps.len() + 16);
    let lit = |out: &mut Vec<u8>, s: &[u8]| {
        for &c in s {
            if matches!(c, b'$' | b'`' | b'\\') {
                out.push(b'\\');
            }
            out.push(c);
        }
    };
    let pwd = sh.vars.get(b"PWD").unwrap_or(&sh.pwd).to_vec();
    let home = sh.vars.get(b"HOME").map(<[u8]>::to_vec);
    let mut i = 0;
    while i < ps.len() {
        let c = ps[i];
        if c != b'\\' || i + 1 == ps.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = ps[i + 1];
        i += 2;
        match e {
            b'u' => lit(&mut out, &f.user),
            b'h' => {
                let short = f.host.split(|&c| c == b'.').next().unwrap_or(b"");
                lit(&mut out, short);
            }
            b'H' => lit(&mut out, &f.host),
            b'w' => lit(&mut out, &tilde_dir(&pwd, home.as_deref())),
            b'W' => {
                let t = tilde_dir(&pwd, home.as_deref());
                let base = if t == b"~" || t == b"/" {
                    &t[..]
                } else {
                    rbox_builtins::common::path::basename(&t)
                };
                lit(&mut out, base);
            }
            b'$' => out.extend_from_slice(if f.euid == 0 { b"#" } else { b"\\$" }),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(0x07),
            b'e' => out.push(0x1b),
            b't' => {
                let (h, m, s) = f.time;
                out.extend_from_slice(format!("{h:02}:{m:02}:{s:02}").as_bytes());
            }
            b'T' => {
                let (h, m, s) = f.time;
                let h12 = if h % 12 == 0 { 12 } else { h % 12 };
                out.extend_from_slice(format!("{h12:02}:{m:02}:{s:02}").as_bytes());
            }
            b'A' => {
                let (h, m, _) = f.time;
                out.extend_from_slice(format!("{h:02}:{m:02}").as_bytes());
            }
            b'd' => lit(&mut out, &f.date),
            b's' => out.extend_from_slice(b"rbox"),
            b'!' => out.extend_from_slice(f.histnum.to_string().as_bytes()),
            b'#' => out.extend_from_slice(f.cmdnum.to_string().as_bytes()),
            b'[' => out.push(IGNORE_START),
            b']' => out.push(IGNORE_END),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && i < ps.len() && (b'0'..=b'7').contains(&ps[i]) {
                    v = v * 8 + u32::from(ps[i] - b'0');
                    i += 1;
                    n += 1;
                }
                lit(&mut out, &[v as u8]);
            }
            other => {
                // Unknown: kept as written (bash does the same).
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    out
}

/// `$PWD` with `$HOME` at its start written `~`.
pub fn tilde_dir(pwd: &[u8], home: Option<&[u8]>) -> Vec<u8> {
    if let Some(h) = home
        && !h.is_empty()
        && h != b"/"
        && pwd.starts_with(h)
        && (pwd.len() == h.len() || pwd[h.len()] == b'/')
    {
        let mut t = b"~".to_vec();
        t.extend_from_slice(&pwd[h.len()..]);
        return t;
    }
    pwd.to_vec()
}

/// Splits expanded prompt text at the zero-width markers.
pub fn split_markers(text: &[u8]) -> Rendered {
    let mut shown = Vec::with_capacity(text.len());
    let mut plain = Vec::with_capacity(text.len());
    let mut hidden = false;
    for &c in text {
        match c {
            IGNORE_START => hidden = true,
            IGNORE_END => hidden = false,
            _ => {
                shown.push(c);
                if !hidden {
                    plain.push(c);
                }
            }
        }
    }
    Rendered {
        shown: String::from_utf8_lossy(&shown).into_owned(),
        plain: String::from_utf8_lossy(&plain).into_owned(),
    }
}

/// The prompt `ps` (the value of PS1 or PS2) fully expanded.
pub fn render(sh: &mut Shell, ps: &[u8], histnum: usize, cmdnum: usize) -> Rendered {
    let facts = Facts::now(sh, ps, histnum, cmdnum);
    let decoded = decode_escapes(ps, sh, &facts);
    let saved = sh.status;
    let expanded = crate::sh::prompt_expand(sh, &decoded);
    sh.status = saved;
    split_markers(&expanded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            user: b"ann".to_vec(),
            host: b"box.example.org".to_vec(),
            euid: 1000,
            time: (9, 5, 7),
            date: b"Tue May 26".to_vec(),
            histnum: 12,
            cmdnum: 3,
        }
    }

    fn shell() -> Shell {
        let mut sh = Shell::new(&[
            (b"HOME".to_vec(), b"/home/ann".to_vec()),
            (b"PWD".to_vec(), b"/".to_vec()),
        ]);
        let _ = sh.vars.set(b"PWD", b"/home/ann/src/$x".to_vec(), false);
        sh
    }

    fn show(ps: &str) -> Rendered {
        let mut sh = shell();
        let d = decode_escapes(ps.as_bytes(), &sh, &facts());
        split_markers(&crate::sh::prompt_expand(&mut sh, &d))
    }

    #[test]
    fn escapes() {
        assert_eq!(show("\\u@\\h:\\w\\$ ").plain, "ann@box:~/src/$x$ ");
        assert_eq!(show("\\W \\H").plain, "$x box.example.org");
        assert_eq!(
            show("[\\t] \\A \\! \\# \\s").plain,
            "[09:05:07] 09:05 12 3 rbox"
        );
        assert_eq!(show("a\\nb\\\\c\\101\\q").plain, "a\nb\\cA\\q");
        assert_eq!(show("\\d").plain, "Tue May 26");
    }

    #[test]
    fn colours_take_no_width() {
        let r = show("\\[\\e[1;32m\\]\\u\\[\\e[0m\\] \\$ ");
        assert_eq!(r.plain, "ann $ ");
        assert_eq!(r.shown, "\x1b[1;32mann\x1b[0m $ ");
    }

    #[test]
    fn parameters_expand_after_escapes() {
        let mut sh = shell();
        let _ = sh.vars.set(b"X", b"42".to_vec(), false);
        let d = decode_escapes(b"$X $((1+2)) $(echo hi) \\$ ", &sh, &facts());
        let r = split_markers(&crate::sh::prompt_expand(&mut sh, &d));
        assert_eq!(r.plain, "42 3 hi $ ");
    }

    #[test]
    fn only_used_facts_are_gathered() {
        let sh = shell();
        let f = Facts::now(&sh, b"\\w \\$ ", 1, 1);
        assert!(f.user.is_empty() && f.host.is_empty() && f.date.is_empty());
        let f = Facts::now(&sh, b"\\u@\\h \\d", 1, 1);
        assert!(!f.user.is_empty() && !f.host.is_empty() && !f.date.is_empty());
    }

    #[test]
    fn root_gets_hash() {
        let mut f = facts();
        f.euid = 0;
        let mut sh = shell();
        let d = decode_escapes(b"\\$ ", &sh, &f);
        assert_eq!(
            split_markers(&crate::sh::prompt_expand(&mut sh, &d)).plain,
            "# "
        );
    }

    #[test]
    fn tilde_only_at_component_boundary() {
        assert_eq!(
            tilde_dir(b"/home/annex", Some(b"/home/ann")),
            b"/home/annex"
        );
        assert_eq!(tilde_dir(b"/home/ann", Some(b"/home/ann")), b"~");
        assert_eq!(tilde_dir(b"/home/ann", None), b"/home/ann");
    }
}
