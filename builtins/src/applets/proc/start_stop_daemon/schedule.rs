//! `--retry`'s schedule: signals to send and seconds to wait for the processes to go,
//! as Debian's start-stop-daemon reads it (`TIMEOUT`, or `SIG/TIMEOUT/SIG/TIMEOUT...`
//! with `forever`).

use crate::applets::proc::signal;

/// One step of a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send this signal to the processes still running.
    Signal(i32),
    /// Wait this many seconds for them to exit.
    Wait(u64),
    /// Go back to the start of the schedule.
    Forever,
}

/// The message for an item that is none of the forms.
pub const BAD_ITEM: &str =
    "invalid schedule item (must be [-]<signal-name>, -<signal-number>, <timeout> or 'forever'";

/// Parses a `--retry` value; `sig` is the `--signal` (TERM by default). A lone number N
/// means `SIG/N/KILL/N`.
pub fn parse(text: &[u8], sig: i32) -> Result<Vec<Step>, &'static str> {
    if let Some(n) = number(text) {
        return Ok(vec![
            Step::Signal(sig),
            Step::Wait(n),
            Step::Signal(libc::SIGKILL),
            Step::Wait(n),
        ]);
    }
    let mut steps = Vec::new();
    for item in text.split(|&b| b == b'/') {
        let step = if item == b"forever" {
            Step::Forever
        } else if let Some(n) = number(item) {
            Step::Wait(n)
        } else {
            let name = item.strip_prefix(b"-").unwrap_or(item);
            Step::Signal(signal::number(name).ok_or(BAD_ITEM)?)
        };
        steps.push(step);
    }
    if steps.is_empty() || steps[0] == Step::Forever {
        return Err(BAD_ITEM);
    }
    Ok(steps)
}

fn number(text: &[u8]) -> Option<u64> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_alone_means_signal_then_kill() {
        assert_eq!(
            parse(b"5", libc::SIGHUP),
            Ok(vec![
                Step::Signal(libc::SIGHUP),
                Step::Wait(5),
                Step::Signal(libc::SIGKILL),
                Step::Wait(5)
            ])
        );
    }

    #[test]
    fn full_schedules() {
        assert_eq!(
            parse(b"TERM/30/-9/5/forever", libc::SIGTERM),
            Ok(vec![
                Step::Signal(libc::SIGTERM),
                Step::Wait(30),
                Step::Signal(9),
                Step::Wait(5),
                Step::Forever
            ])
        );
        assert_eq!(parse(b"foo", libc::SIGTERM), Err(BAD_ITEM));
        assert_eq!(parse(b"TERM//5", libc::SIGTERM), Err(BAD_ITEM));
        assert_eq!(parse(b"forever", libc::SIGTERM), Err(BAD_ITEM));
    }
}
