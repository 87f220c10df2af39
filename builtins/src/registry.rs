//! The applet table: every group's explicit list, merged and sorted by name at compile
//! time, looked up by binary search. Unit tests keep it sorted, unique and complete
//! (every applet file registered).

use crate::applet::Applet;
use crate::applets::GROUPS;

/// How many applets there are, over all groups.
const COUNT: usize = {
    let mut n = 0;
    let mut g = 0;
    while g < GROUPS.len() {
        n += GROUPS[g].len();
        g += 1;
    }
    n
};

/// Every working applet, sorted by name. `rbox --list` prints exactly these. Each group
/// lists its own applets (`applets/GROUP/mod.rs`); this table merges and sorts them at
/// compile time, so adding an applet touches only its group.
pub static APPLETS: &[&Applet] = &SORTED;

static SORTED: [&Applet; COUNT] = sorted();

const fn sorted() -> [&'static Applet; COUNT] {
    let mut out: [&Applet; COUNT] = [&crate::applets::sys::r#true::APPLET; COUNT];
    let mut n = 0;
    let mut g = 0;
    while g < GROUPS.len() {
        let mut i = 0;
        while i < GROUPS[g].len() {
            // Insertion sort: shift larger names right, then place this one.
            let item = GROUPS[g][i];
            let mut j = n;
            while j > 0 && name_less(item.name, out[j - 1].name) {
                out[j] = out[j - 1];
                j -= 1;
            }
            out[j] = item;
            n += 1;
            i += 1;
        }
        g += 1;
    }
    out
}

/// Byte-wise `a < b`, usable in const context.
const fn name_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

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
    fn table_holds_every_group_entry() {
        let total: usize = GROUPS.iter().map(|g| g.len()).sum();
        assert_eq!(APPLETS.len(), total);
    }

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
    fn every_declared_applet_is_registered() {
        // Every `Applet::new("NAME", ...)` in the applet sources must be in the table, so an
        // applet cannot be written and forgotten. Helper modules declare none and are skipped
        // (as are declarations made through a macro; the table test above still sees them).
        fn scan(dir: &Path, names: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    scan(&path, names);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for piece in text.split("Applet::new(\"").skip(1) {
                        if let Some(end) = piece.find('"') {
                            names.push(piece[..end].to_string());
                        }
                    }
                }
            }
        }
        let mut names = Vec::new();
        scan(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/applets"),
            &mut names,
        );
        assert!(!names.is_empty(), "no applet declarations found");
        for name in &names {
            assert!(
                find(name.as_bytes()).is_some(),
                "applet {name} is declared but not in APPLETS"
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
