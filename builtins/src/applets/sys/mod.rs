//! Processes, identity and the system.

use crate::applet::Applet;

pub mod date;
pub mod env;
pub mod r#false;
pub mod groups;
pub mod hostname;
pub mod id;
pub mod logname;
pub mod nproc;
pub mod printenv;
pub mod stty;
pub mod r#true;
pub mod tty;
pub mod uname;
pub mod which;
pub mod whoami;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &date::APPLET,
    &env::APPLET,
    &r#false::APPLET,
    &groups::APPLET,
    &hostname::APPLET,
    &hostname::DNSDOMAINNAME,
    &id::APPLET,
    &logname::APPLET,
    &nproc::APPLET,
    &printenv::APPLET,
    &r#true::APPLET,
    &stty::APPLET,
    &tty::APPLET,
    &uname::APPLET,
    &which::APPLET,
    &whoami::APPLET,
];
