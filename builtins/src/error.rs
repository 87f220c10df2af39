//! The one error path: `applet: subject: reason`, with plain strerror text.

use std::fmt;
use std::io;

/// A fatal applet error. The dispatcher prints `NAME: MESSAGE` (and the usage line for
/// usage errors) and turns it into the exit status.
#[derive(Debug)]
pub struct Error {
    /// The message after `NAME: `, without a trailing newline.
    pub message: Vec<u8>,
    /// The exit status; `None` means the applet's declared error status.
    pub status: Option<u8>,
    /// Whether to print the usage line after the message.
    pub show_usage: bool,
}

impl Error {
    /// A plain fatal error with the applet's error status.
    pub fn msg(message: impl Into<Vec<u8>>) -> Error {
        Error {
            message: message.into(),
            status: None,
            show_usage: false,
        }
    }

    /// A usage error: the message, then the usage line, with the applet's error status.
    pub fn usage(message: impl Into<Vec<u8>>) -> Error {
        Error {
            message: message.into(),
            status: None,
            show_usage: true,
        }
    }

    /// A fatal I/O error about `subject`: `subject: reason`.
    pub fn io(subject: &[u8], err: &io::Error) -> Error {
        Error::msg(subject_reason(subject, err))
    }

    /// An error that only sets the exit status and prints nothing (like `false`).
    pub fn silent(status: u8) -> Error {
        Error {
            message: Vec::new(),
            status: Some(status),
            show_usage: false,
        }
    }

    /// The same error with an explicit exit status.
    pub fn with_status(mut self, status: u8) -> Error {
        self.status = Some(status);
        self
    }
}

impl From<io::Error> for Error {
    /// An I/O error with no subject, e.g. a failed write to standard output.
    fn from(err: io::Error) -> Error {
        Error::msg(strerror(&err))
    }
}

impl From<lexopt::Error> for Error {
    /// An option-parsing error, reported like glibc's getopt, as a usage error.
    fn from(err: lexopt::Error) -> Error {
        Error::usage(crate::opts::describe_error(&err))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message))
    }
}

/// The plain strerror text of an I/O error: "No such file or directory", never with
/// Rust's " (os error 2)" suffix.
pub fn strerror(err: &io::Error) -> String {
    let text = err.to_string();
    match (err.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(cut)) => text[..cut].to_string(),
        _ => text,
    }
}

/// `subject: reason` as bytes, the usual shape of a per-file message.
pub fn subject_reason(subject: &[u8], err: &io::Error) -> Vec<u8> {
    let mut m = subject.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(strerror(err).as_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_drops_the_os_error_suffix() {
        let e = io::Error::from_raw_os_error(libc::ENOENT);
        assert_eq!(strerror(&e), "No such file or directory");
    }

    #[test]
    fn strerror_keeps_custom_messages() {
        let e = io::Error::other("bad thing");
        assert_eq!(strerror(&e), "bad thing");
    }

    #[test]
    fn subject_reason_joins_with_colon() {
        let e = io::Error::from_raw_os_error(libc::EACCES);
        assert_eq!(subject_reason(b"f", &e), b"f: Permission denied".to_vec());
    }
}
