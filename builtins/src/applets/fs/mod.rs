//! Files, directories and path names.

use crate::applet::Applet;

pub mod basename;
pub mod chgrp;
pub mod chmod;
pub mod chown;
pub mod cp;
pub mod dd;
pub mod dirname;
pub mod install;
pub mod link;
pub mod ln;
pub mod mkdir;
pub mod mkfifo;
pub mod mknod;
pub mod mktemp;
pub mod mv;
pub mod pwd;
pub mod readlink;
pub mod realpath;
pub mod rm;
pub mod rmdir;
pub mod sync;
pub mod tee;
pub mod touch;
pub mod truncate;
pub mod unlink;
mod util;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &basename::APPLET,
    &chgrp::APPLET,
    &chmod::APPLET,
    &chown::APPLET,
    &link::APPLET,
    &unlink::APPLET,
    &sync::APPLET,
    &mkfifo::APPLET,
    &mknod::APPLET,
    &tee::APPLET,
    &truncate::APPLET,
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
    &mktemp::APPLET,
    &install::APPLET,
    &dd::APPLET,
];
