//! The archive applets: tar, cpio, gzip, gunzip, zcat. Archives are hostile input: every
//! field is bounds-checked, and extraction never writes outside its target directory
//! (see `safe`).

use crate::applet::Applet;

pub mod cpio;
pub mod gzip;
pub mod tar;

/// The archive group's applets.
pub const APPLETS: &[&Applet] = &[
    &cpio::APPLET,
    &gzip::APPLET,
    &gzip::GUNZIP,
    &gzip::ZCAT,
    &tar::APPLET,
];
