//! Listing files and file systems: ls, stat, du, df.

use crate::applet::Applet;

pub mod df;
pub mod du;
pub mod ls;
pub mod stat;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&df::APPLET, &du::APPLET, &ls::APPLET, &stat::APPLET];
