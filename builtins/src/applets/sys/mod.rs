//! Processes, identity and the system.

use crate::applet::Applet;

pub mod date;
pub mod r#false;
pub mod r#true;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&date::APPLET, &r#false::APPLET, &r#true::APPLET];
