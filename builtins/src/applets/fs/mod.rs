//! Files, directories and path names.

use crate::applet::Applet;

pub mod basename;
pub mod dirname;
pub mod mkdir;
pub mod rm;
pub mod rmdir;
#[allow(dead_code)] // until every helper has its applet
mod util;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &basename::APPLET,
    &dirname::APPLET,
    &mkdir::APPLET,
    &rm::APPLET,
    &rmdir::APPLET,
];
