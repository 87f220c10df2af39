//! Text output and text processing.

use crate::applet::Applet;

pub mod cat;
pub mod cmp;
pub mod comm;
pub mod cut;
pub mod diff;
pub mod echo;
pub mod expand;
pub mod fold;
pub mod head;
pub mod join;
pub mod nl;
pub mod paste;
pub mod patch;
pub mod rev;
pub mod sort;
pub mod split;
pub mod strings;
mod tabs;
pub mod tac;
pub mod tail;
pub mod tr;
pub mod unexpand;
pub mod uniq;
mod util;
pub mod wc;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &cat::APPLET,
    &cmp::APPLET,
    &comm::APPLET,
    &cut::APPLET,
    &diff::APPLET,
    &echo::APPLET,
    &expand::APPLET,
    &fold::APPLET,
    &head::APPLET,
    &join::APPLET,
    &nl::APPLET,
    &paste::APPLET,
    &patch::APPLET,
    &rev::APPLET,
    &sort::APPLET,
    &split::APPLET,
    &strings::APPLET,
    &tac::APPLET,
    &tail::APPLET,
    &tr::APPLET,
    &unexpand::APPLET,
    &uniq::APPLET,
    &wc::APPLET,
];
