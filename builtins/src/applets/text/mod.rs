//! Text output and text processing.

use crate::applet::Applet;

pub mod cat;
pub mod cut;
pub mod echo;
pub mod head;
pub mod sort;
pub mod tail;
pub mod tr;
pub mod uniq;
mod util;
pub mod wc;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &cat::APPLET,
    &cut::APPLET,
    &echo::APPLET,
    &head::APPLET,
    &sort::APPLET,
    &tail::APPLET,
    &tr::APPLET,
    &uniq::APPLET,
    &wc::APPLET,
];
