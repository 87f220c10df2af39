//! The applet table: one explicit list, sorted by name, looked up by binary search.
//! A unit test keeps it sorted, unique and complete (every applet file registered).

use crate::applet::Applet;
use crate::applets::{fs, sys, text};

/// Every working applet, sorted by name. `rbox --list` prints exactly these.
pub static APPLETS: &[&Applet] = &[
    &fs::basename::APPLET,
    &text::cat::APPLET,
    &fs::dirname::APPLET,
    &text::echo::APPLET,
    &sys::r#false::APPLET,
    &sys::r#true::APPLET,
];

/// The applet called `name`, if there is one.
pub fn find(name: &[u8]) -> Option<&'static Applet> {
    APPLETS
        .binary_search_by(|a| a.name.as_bytes().cmp(name))
        .ok()
        .and_then(|i| APPLETS.get(i).copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in APPLETS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} must sort before {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn every_applet_file_is_registered() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/applets");
        let mut files = Vec::new();
        for group in std::fs::read_dir(&root).unwrap() {
            let group = group.unwrap().path();
            if !group.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&group).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                let is_applet = path.is_dir() || path.extension().is_some_and(|e| e == "rs");
                if is_applet && stem != "mod" {
                    files.push(stem.replace('_', "-"));
                }
            }
        }
        assert!(!files.is_empty());
        for name in &files {
            assert!(
                find(name.as_bytes()).is_some(),
                "applet file {name} is not in APPLETS"
            );
        }
    }

    #[test]
    fn every_applet_has_usage_and_help() {
        for a in APPLETS {
            assert!(!a.help.is_empty(), "{} has no help text", a.name);
        }
    }

    #[test]
    fn find_hits_and_misses() {
        assert_eq!(find(b"cat").map(|a| a.name), Some("cat"));
        assert!(find(b"nosuch").is_none());
        assert!(find(b"").is_none());
    }
}
