//! What every request handler reads: the home directory, the config, the limits, the
//! realm, and the cached `Date` value.

use std::os::fd::OwnedFd;
use std::path::PathBuf;

use super::config::Config;
use super::limits::Limits;

/// The server's shared, read-mostly state.
pub struct Site {
    /// The home directory, canonical.
    pub home: PathBuf,
    /// The home directory, open, for `openat2` below it.
    pub home_fd: OwnedFd,
    /// The parsed config file (defaults without one).
    pub cfg: Config,
    /// The config file in use, for SIGHUP.
    pub conf_path: Option<PathBuf>,
    /// The config file's device and inode, never served.
    pub conf_id: Option<(u64, u64)>,
    /// The basic-auth realm.
    pub realm: Vec<u8>,
    /// The bounds.
    pub limits: Limits,
    /// `-v` count.
    pub verbose: u8,
    /// The current HTTP date, refreshed once a second.
    pub date: String,
    /// The second `date` was made for.
    pub date_secs: i64,
    /// The listening port, for `SERVER_PORT`.
    pub port: u16,
    /// `PATH` given to CGI scripts.
    pub cgi_path: Vec<u8>,
}

impl Site {
    /// Refreshes the cached date when the second changed.
    pub fn tick(&mut self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        if now != self.date_secs {
            self.date_secs = now;
            self.date = super::httpdate::format(now);
        }
    }
}
