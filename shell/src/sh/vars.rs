//! The variable table: values with export and readonly flags, and function-local scopes.
//! A variable is a scalar or (bash/ksh) an indexed or associative array; scalars cost
//! nothing extra for arrays existing.

use std::collections::BTreeMap;

use super::fasthash::FastMap;

/// One variable. `value: None` (and no array) is a name that was declared (`export x`,
/// `local x`, `readonly x`) but has no value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Var {
    /// The value, if set (never set while `array` is).
    pub value: Option<Vec<u8>>,
    /// Passed to children in their environment.
    pub exported: bool,
    /// Cannot be assigned or unset.
    pub readonly: bool,
    /// The elements of an array variable.
    pub array: Option<Box<Array>>,
}

/// The elements of an array variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Array {
    /// `a=(x y)`, `a[3]=z`: sparse, by index.
    Indexed(BTreeMap<i64, Vec<u8>>),
    /// `declare -A a`: by key, in insertion order.
    Assoc(Vec<(Vec<u8>, Vec<u8>)>),
}

impl Array {
    /// The values in index (or insertion) order.
    pub fn values(&self) -> Vec<Vec<u8>> {
        match self {
            Array::Indexed(m) => m.values().cloned().collect(),
            Array::Assoc(v) => v.iter().map(|(_, x)| x.clone()).collect(),
        }
    }

    /// The indices or keys, in order.
    pub fn keys(&self) -> Vec<Vec<u8>> {
        match self {
            Array::Indexed(m) => m.keys().map(|k| k.to_string().into_bytes()).collect(),
            Array::Assoc(v) => v.iter().map(|(k, _)| k.clone()).collect(),
        }
    }

    /// How many elements are set.
    pub fn len(&self) -> usize {
        match self {
            Array::Indexed(m) => m.len(),
            Array::Assoc(v) => v.len(),
        }
    }

    /// `true` without elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element `$a` stands for: index 0 (key `0` of an associative array).
    pub fn first(&self) -> Option<&[u8]> {
        match self {
            Array::Indexed(m) => m.get(&0).map(Vec::as_slice),
            Array::Assoc(v) => v.iter().find(|(k, _)| k == b"0").map(|(_, x)| x.as_slice()),
        }
    }

    /// The element of an associative array with `key`.
    pub fn get_key(&self, key: &[u8]) -> Option<&[u8]> {
        match self {
            Array::Assoc(v) => v.iter().find(|(k, _)| k == key).map(|(_, x)| x.as_slice()),
            Array::Indexed(_) => None,
        }
    }

    /// Resolves a negative index against the highest one (`a[-1]` is the last element);
    /// `None` when it points before the start.
    pub fn resolve(&self, i: i64) -> Option<i64> {
        if i >= 0 {
            return Some(i);
        }
        let Array::Indexed(m) = self else {
            return Some(i);
        };
        let max = m.keys().next_back().copied().unwrap_or(-1);
        let r = max + 1 + i;
        (r >= 0).then_some(r)
    }

    /// Sets the element at `key` (an index for indexed arrays).
    pub fn set(&mut self, key: &Key, value: Vec<u8>) {
        match (self, key) {
            (Array::Indexed(m), Key::Index(i)) => {
                m.insert(*i, value);
            }
            (Array::Assoc(v), Key::Name(k)) => match v.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = value,
                None => v.push((k.clone(), value)),
            },
            (Array::Indexed(m), Key::Name(_)) => {
                m.insert(0, value);
            }
            (Array::Assoc(v), Key::Index(i)) => {
                let k = i.to_string().into_bytes();
                match v.iter_mut().find(|(n, _)| *n == k) {
                    Some(slot) => slot.1 = value,
                    None => v.push((k, value)),
                }
            }
        }
    }

    /// The element at `key`.
    pub fn get(&self, key: &Key) -> Option<&[u8]> {
        match (self, key) {
            (Array::Indexed(m), Key::Index(i)) => m.get(i).map(Vec::as_slice),
            (Array::Assoc(_), Key::Name(k)) => self.get_key(k),
            (Array::Assoc(_), Key::Index(i)) => self.get_key(i.to_string().as_bytes()),
            (Array::Indexed(_), Key::Name(_)) => None,
        }
    }

    /// Removes the element at `key`.
    pub fn remove(&mut self, key: &Key) {
        match (self, key) {
            (Array::Indexed(m), Key::Index(i)) => {
                m.remove(i);
            }
            (Array::Assoc(v), Key::Name(k)) => v.retain(|(n, _)| n != k),
            (Array::Assoc(v), Key::Index(i)) => {
                let k = i.to_string().into_bytes();
                v.retain(|(n, _)| *n != k);
            }
            (Array::Indexed(_), Key::Name(_)) => {}
        }
    }

    /// The index after the highest one (where `a+=(x)` appends).
    pub fn next_index(&self) -> i64 {
        match self {
            Array::Indexed(m) => m.keys().next_back().map_or(0, |k| k + 1),
            Array::Assoc(_) => 0,
        }
    }
}

/// Where in an array: an index (indexed arrays) or a key (associative ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// An evaluated arithmetic index (already resolved when negative).
    Index(i64),
    /// An associative array's key.
    Name(Vec<u8>),
}

/// Why an assignment or unset failed.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadOnly;

/// All variables, plus a stack of saved values for `local`.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    map: FastMap<Vec<u8>, Var>,
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
                        ..Var::default()
                    },
                );
            }
        }
        v
    }

    /// The value of `name`, if set (element 0 of an array).
    #[inline]
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        let v = self.map.get(name)?;
        match &v.value {
            Some(s) => Some(s),
            None => v.array.as_ref().and_then(|a| a.first()),
        }
    }

    /// The array `name`, if it is one.
    pub fn array(&self, name: &[u8]) -> Option<&Array> {
        self.map.get(name).and_then(|v| v.array.as_deref())
    }

    /// Sets one element of `name`, making it an indexed array if needed (a scalar value
    /// becomes element 0).
    pub fn set_elem(&mut self, name: &[u8], key: &Key, value: Vec<u8>) -> Result<(), ReadOnly> {
        let v = self.map.entry(name.to_vec()).or_default();
        if v.readonly {
            return Err(ReadOnly);
        }
        let arr = v.array.get_or_insert_with(|| {
            let mut m = BTreeMap::new();
            if let Some(old) = v.value.take() {
                m.insert(0, old);
            }
            Box::new(Array::Indexed(m))
        });
        arr.set(key, value);
        Ok(())
    }

    /// Replaces the value of `name` with an array (keeping its flags).
    pub fn set_array(&mut self, name: &[u8], arr: Array) -> Result<(), ReadOnly> {
        let v = self.map.entry(name.to_vec()).or_default();
        if v.readonly {
            return Err(ReadOnly);
        }
        v.value = None;
        v.array = Some(Box::new(arr));
        Ok(())
    }

    /// Removes one element of array `name`; `Ok(false)` when `name` is not an array.
    pub fn unset_elem(&mut self, name: &[u8], key: &Key) -> Result<bool, ReadOnly> {
        let Some(v) = self.map.get_mut(name) else {
            return Ok(false);
        };
        if v.readonly {
            return Err(ReadOnly);
        }
        match v.array.as_mut() {
            Some(a) => {
                a.remove(key);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The whole record of `name`.
    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    /// Sets `name` to `value`, keeping its flags; `export` also exports it. For an array
    /// this sets element 0.
    pub fn set(&mut self, name: &[u8], value: Vec<u8>, export: bool) -> Result<(), ReadOnly> {
        if let Some(v) = self.map.get_mut(name) {
            if v.readonly {
                return Err(ReadOnly);
            }
            v.exported |= export;
            if let Some(a) = v.array.as_mut() {
                a.set(&Key::Index(0), value);
                return Ok(());
            }
            v.value = Some(value);
            return Ok(());
        }
        self.map.insert(
            name.to_vec(),
            Var {
                value: Some(value),
                exported: export,
                ..Var::default()
            },
        );
        Ok(())
    }

    /// Removes `name`'s value and flags.
    pub fn unset(&mut self, name: &[u8]) -> Result<(), ReadOnly> {
        match self.map.get(name) {
            Some(v) if v.readonly => Err(ReadOnly),
            Some(_) => {
                // The innermost function that made `name` local: in the running function
                // the local stays, unset, and the caller's value comes back on return;
                // a local of a calling function goes away at once and the value it
                // hid shows again (bash).
                let owner = self
                    .scopes
                    .iter()
                    .rposition(|s| s.iter().any(|(n, _)| n == name));
                match owner {
                    Some(i) if i + 1 == self.scopes.len() => {
                        if let Some(v) = self.map.get_mut(name) {
                            v.value = None;
                            v.array = None;
                            v.exported = false;
                        }
                    }
                    Some(i) => {
                        let frame = &mut self.scopes[i];
                        let pos = frame.iter().position(|(n, _)| n == name);
                        let old = pos.and_then(|p| frame.remove(p).1);
                        self.restore(name, old);
                    }
                    None => {
                        self.map.remove(name);
                    }
                }
                Ok(())
            }
            None => Ok(()),
        }
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

    /// Enters a scope whose variables were already set, with what they were before:
    /// the prefix assignments of a function call (`x=1 f`), which `unset` inside the
    /// function removes, showing the value they hid (bash).
    pub fn push_frame(&mut self, saved: Vec<(Vec<u8>, Option<Var>)>) {
        self.scopes.push(saved);
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
