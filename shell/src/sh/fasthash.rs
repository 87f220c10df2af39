//! A fast, non-cryptographic hash for the shell's own tables (variables, functions,
//! parsed arithmetic, `hash`, aliases). The keys are names the script itself chose, so
//! there is nothing to defend against flooding, and SipHash (std's default) cost a tenth
//! of the time of a `while` loop. Multiply-rotate on 8-byte words (the FxHash scheme),
//! written here in a few lines rather than pulled in as a crate.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// The hasher state: one word, mixed in with a rotate, xor and multiply per word.
#[derive(Clone, Copy, Default)]
pub struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The table takes its control bits from the top: fold the low bits up there too.
        self.0 ^ (self.0 >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_works_and_spreads() {
        let mut m: FastMap<Vec<u8>, usize> = FastMap::default();
        for i in 0..1000usize {
            m.insert(format!("v{i}").into_bytes(), i);
        }
        for i in 0..1000usize {
            assert_eq!(m.get(format!("v{i}").as_bytes()), Some(&i));
        }
        assert_eq!(m.get(&b"v1000"[..]), None);
        // As the tables hash their keys: length first, then the bytes.
        let h = |s: &[u8]| {
            use std::hash::Hash;
            let mut x = FastHasher::default();
            s.to_vec().hash(&mut x);
            x.finish()
        };
        assert_ne!(h(b"ab"), h(b"ba"));
        assert_ne!(h(b"a"), h(b"a\0"));
    }
}
