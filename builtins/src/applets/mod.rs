//! The applets, one file each, grouped by area. Each group's `mod.rs` lists its applets
//! in `APPLETS`; the registry merges the groups named here.

use crate::applet::Applet;

pub mod accounts;
pub mod archive;
pub mod findutils;
pub mod fs;
pub mod kernel;
pub mod lang;
pub mod listing;
pub mod net;
pub mod proc;
pub mod search;
pub mod shutils;
pub mod sums;
pub mod sys;
pub mod text;
pub mod www;

/// Every group's applet list, for the registry.
pub const GROUPS: &[&[&Applet]] = &[
    accounts::APPLETS,
    archive::APPLETS,
    findutils::APPLETS,
    fs::APPLETS,
    kernel::APPLETS,
    lang::APPLETS,
    listing::APPLETS,
    net::APPLETS,
    proc::APPLETS,
    search::APPLETS,
    shutils::APPLETS,
    sums::APPLETS,
    sys::APPLETS,
    text::APPLETS,
    www::APPLETS,
];
