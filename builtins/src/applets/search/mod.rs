//! Searching and editing text by regular expression: grep (with egrep and fgrep) and sed.

use crate::applet::Applet;

pub mod grep;
pub mod sed;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&grep::APPLET, &grep::EGREP, &grep::FGREP, &sed::APPLET];
