//! Files, directories and path names.

use crate::applet::Applet;

pub mod basename;
pub mod dirname;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&basename::APPLET, &dirname::APPLET];
