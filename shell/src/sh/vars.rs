//! The variable table: values with export and readonly flags, and function-local scopes.

use std::collections::HashMap;

/// One variable. `value: None` is a name that was declared (`export x`, `local x`,
/// `readonly x`) but has no value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Var {
    /// The value, if set.
    pub value: Option<Vec<u8>>,
    /// Passed to children in their environment.
    pub exported: bool,
    /// Cannot be assigned or unset.
    pub readonly: bool,
}

/// Why an assignment or unset failed.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadOnly;

/// All variables, plus a stack of saved values for `local`.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    map: HashMap<Vec<u8>, Var>,
    /// One frame per function call: the variables made local there, with what they
    /// were before (restored when the function returns).
    scopes: Vec<Vec<(Vec<u8>, Option<Var>)>>,
}

impl Vars {
    /// A table of the environment's variables, all exported.
    pub fn from_env(env: &[(Vec<u8>, Vec<u8>)]) -> Vars {
        let mut v = Vars::default();
        for (k, val) in env {
            if rbox_parser::syntax::is_name(k) {
                v.map.insert(
                    k.clone(),
                    Var {
                        value: Some(val.clone()),
                        exported: true,
                        readonly: false,
                    },
                );
            }
        }
        v
    }

    /// The value of `name`, if set.
    #[inline]
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get(name).and_then(|v| v.value.as_deref())
    }

    /// The whole record of `name`.
    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    /// Sets `name` to `value`, keeping its flags; `export` also exports it.
    pub fn set(&mut self, name: &[u8], value: Vec<u8>, export: bool) -> Result<(), ReadOnly> {
        if let Some(v) = self.map.get_mut(name) {
            if v.readonly {
                return Err(ReadOnly);
            }
            v.value = Some(value);
            v.exported |= export;
            return Ok(());
        }
        self.map.insert(
            name.to_vec(),
            Var {
                value: Some(value),
                exported: export,
                readonly: false,
            },
        );
        Ok(())
    }

    /// Removes `name`'s value and flags.
    pub fn unset(&mut self, name: &[u8]) -> Result<(), ReadOnly> {
        match self.map.get(name) {
            Some(v) if v.readonly => Err(ReadOnly),
            Some(_) => {
                // A local keeps its slot so the caller's value comes back on return.
                if self.is_local(name) {
                    if let Some(v) = self.map.get_mut(name) {
                        v.value = None;
                        v.exported = false;
                    }
                } else {
                    self.map.remove(name);
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn is_local(&self, name: &[u8]) -> bool {
        self.scopes
            .last()
            .is_some_and(|s| s.iter().any(|(n, _)| n == name))
    }

    /// Marks `name` exported (creating it without a value if needed).
    pub fn export(&mut self, name: &[u8]) {
        self.map.entry(name.to_vec()).or_default().exported = true;
    }

    /// Marks `name` readonly (creating it without a value if needed).
    pub fn set_readonly(&mut self, name: &[u8]) {
        self.map.entry(name.to_vec()).or_default().readonly = true;
    }

    /// Replaces the whole record of `name` (restoring a saved variable).
    pub fn restore(&mut self, name: &[u8], old: Option<Var>) {
        match old {
            Some(v) => {
                self.map.insert(name.to_vec(), v);
            }
            None => {
                self.map.remove(name);
            }
        }
    }

    /// Takes the record of `name` out (for saving before a temporary assignment).
    pub fn save(&self, name: &[u8]) -> Option<Var> {
        self.map.get(name).cloned()
    }

    /// Enters a function: a new scope for `local`.
    pub fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    /// Leaves a function: its locals get their previous values back.
    pub fn pop_scope(&mut self) {
        if let Some(frame) = self.scopes.pop() {
            for (name, old) in frame.into_iter().rev() {
                self.restore(&name, old);
            }
        }
    }

    /// Whether a function scope is active (where `local` is allowed).
    pub fn in_function(&self) -> bool {
        !self.scopes.is_empty()
    }

    /// Makes `name` local to the current function; it starts out unset (as in bash; dash
    /// and ash keep the outer value) and gets the outer record back on return.
    pub fn make_local(&mut self, name: &[u8]) {
        let Some(frame) = self.scopes.last_mut() else {
            return;
        };
        if frame.iter().any(|(n, _)| n == name) {
            return;
        }
        let old = self.map.get(name).cloned();
        frame.push((name.to_vec(), old.clone()));
        let _ = old;
        self.map.insert(name.to_vec(), Var::default());
    }

    /// The exported variables with values, as `NAME=value` C strings for `execve`.
    pub fn environ(&self) -> Vec<(&[u8], &[u8])> {
        let mut out: Vec<(&[u8], &[u8])> = self
            .map
            .iter()
            .filter(|(_, v)| v.exported)
            .filter_map(|(k, v)| v.value.as_deref().map(|val| (k.as_slice(), val)))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every variable name, sorted, with its record.
    pub fn sorted(&self) -> Vec<(&[u8], &Var)> {
        let mut out: Vec<(&[u8], &Var)> = self.map.iter().map(|(k, v)| (k.as_slice(), v)).collect();
        out.sort_unstable_by(|a, b| a.0.cmp(b.0));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_unset_readonly() {
        let mut v = Vars::default();
        v.set(b"a", b"1".to_vec(), false).unwrap();
        assert_eq!(v.get(b"a"), Some(&b"1"[..]));
        v.set_readonly(b"a");
        assert_eq!(v.set(b"a", b"2".to_vec(), false), Err(ReadOnly));
        assert_eq!(v.unset(b"a"), Err(ReadOnly));
        v.set(b"b", b"x".to_vec(), true).unwrap();
        assert_eq!(v.environ(), vec![(&b"b"[..], &b"x"[..])]);
        v.unset(b"b").unwrap();
        assert_eq!(v.get(b"b"), None);
    }

    #[test]
    fn locals_come_back() {
        let mut v = Vars::default();
        v.set(b"x", b"outer".to_vec(), false).unwrap();
        v.push_scope();
        v.make_local(b"x");
        assert_eq!(v.get(b"x"), None);
        v.set(b"x", b"inner".to_vec(), false).unwrap();
        v.unset(b"x").unwrap();
        assert_eq!(v.get(b"x"), None);
        v.pop_scope();
        assert_eq!(v.get(b"x"), Some(&b"outer"[..]));
    }
}
