//! Every applet the user can run: the builtins crate's registry plus the applets defined
//! in this crate (`sh`), merged into one sorted list for dispatch, `--list`, `--install`
//! and the spawner.

use std::sync::OnceLock;

use rbox_builtins::{Applet, registry};

/// The applets this crate defines (the builtins crate cannot depend on the shell).
const SHELL_APPLETS: &[&Applet] = &[&crate::sh::APPLET];

/// The applet named `name`.
pub fn find(name: &[u8]) -> Option<&'static Applet> {
    if let Some(a) = SHELL_APPLETS.iter().find(|a| a.name.as_bytes() == name) {
        return Some(a);
    }
    registry::find(name)
}

/// Every applet, sorted by name.
pub fn all() -> &'static [&'static Applet] {
    static ALL: OnceLock<Vec<&'static Applet>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static Applet> = registry::APPLETS.to_vec();
        for a in SHELL_APPLETS {
            if !v.iter().any(|b| b.name == a.name) {
                v.push(a);
            }
        }
        v.sort_by(|a, b| a.name.cmp(b.name));
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sh_is_listed_once_and_sorted() {
        let names: Vec<&str> = all().iter().map(|a| a.name).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(names.iter().filter(|n| **n == "sh").count(), 1);
        assert!(find(b"sh").is_some());
        assert!(find(b"cat").is_some());
    }
}
