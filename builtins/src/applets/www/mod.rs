//! The web server (httpd) and its helpers.

use crate::applet::Applet;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[];
