//! Files, directories and path names.

use crate::applet::Applet;

pub mod basename;
pub mod chgrp;
pub mod chmod;
pub mod chown;
pub mod cp;
pub mod dirname;
pub mod ln;
pub mod mkdir;
pub mod mv;
pub mod pwd;
pub mod readlink;
pub mod realpath;
pub mod rm;
pub mod rmdir;
pub mod touch;
#[allow(dead_code)] // until every helper has its applet
mod util;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &basename::APPLET,
    &chgrp::APPLET,
    &chmod::APPLET,
    &chown::APPLET,
    &cp::APPLET,
    &dirname::APPLET,
    &mkdir::APPLET,
    &mv::APPLET,
    &pwd::APPLET,
    &readlink::APPLET,
    &realpath::APPLET,
    &ln::APPLET,
    &touch::APPLET,
    &rm::APPLET,
    &rmdir::APPLET,
];
