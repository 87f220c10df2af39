//! Network configuration and clients: ip, ifconfig, route, nslookup, ping.

use crate::applet::Applet;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[];
