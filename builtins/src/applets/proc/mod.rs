//! Processes: ps, kill, pgrep and friends, timeouts and daemons' helpers.

use crate::applet::Applet;

pub mod command;
pub mod free;
pub mod kill;
pub mod killall;
pub mod nice;
pub mod nohup;
pub mod pgrep;
pub mod pidof;
pub mod procs;
pub mod ps;
pub mod renice;
pub mod setsid;
pub mod start_stop_daemon;
pub use crate::common::signal;
pub mod timeout;
pub mod top;
pub mod uptime;
pub mod watch;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &free::APPLET,
    &kill::APPLET,
    &killall::APPLET,
    &nice::APPLET,
    &nohup::APPLET,
    &pgrep::PGREP,
    &pgrep::PKILL,
    &pidof::APPLET,
    &ps::APPLET,
    &renice::APPLET,
    &setsid::APPLET,
    &start_stop_daemon::APPLET,
    &timeout::APPLET,
    &top::APPLET,
    &uptime::APPLET,
    &watch::APPLET,
];
