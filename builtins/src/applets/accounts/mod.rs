//! Accounts: passwd, shadow and group files written atomically; crypt; su and login.

use crate::applet::Applet;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[];
