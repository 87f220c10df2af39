//! Network configuration and clients: ip, ifconfig, route, nslookup, ping.

pub mod ifconfig;
pub mod ip;
pub mod nslookup;
pub mod ping;
pub mod route;

use crate::applet::Applet;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &ifconfig::APPLET,
    &route::APPLET,
    &nslookup::APPLET,
    &ping::APPLET,
    &ip::APPLET,
];
