//! The web server (httpd) and its helpers.

use crate::applet::Applet;

pub mod httpd;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&httpd::APPLET];
