//! Language interpreters: awk.

use crate::applet::Applet;

pub mod awk;

/// The applets of this group.
pub const APPLETS: &[&Applet] = &[&awk::APPLET];
