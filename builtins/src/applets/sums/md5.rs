//! MD5 (RFC 1321), written for `md5sum`'s speed on x86-64.
//!
//! MD5 is one long dependency chain: every step needs the result of the one before, so
//! its speed is the latency of a step, not the number of instructions. Each step is
//! written so that only the work that needs the newest word `b` is on that chain: the
//! message word, the round constant and the parts of the round function that use only
//! the older words are added into `a` first, and the round function is split so that
//! `b` enters as late as possible (for G, `(c & !d) + (b & d)`: the two halves have no
//! bits in common, so `+` is `|` and the sum can be formed in any order). That puts
//! rounds 2 and 3 at four operations per step and rounds 1 and 4 at five, where the
//! md-5 crate's portable code (and GNU's) spends more; measured in BENCHMARKS.md.

/// The 64 round constants: the integer part of `2^32 * |sin(i + 1)|`.
const K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

/// The state before the first block.
const INIT: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/// An MD5 computation in progress.
#[derive(Clone)]
pub(crate) struct Md5 {
    state: [u32; 4],
    /// Bytes of an unfinished block.
    pending: [u8; 64],
    pending_len: usize,
    /// Bytes hashed so far (the length field wraps modulo 2^64 bits, as RFC 1321 says).
    total: u64,
}

impl Md5 {
    /// A fresh computation.
    pub(crate) fn new() -> Md5 {
        Md5 {
            state: INIT,
            pending: [0; 64],
            pending_len: 0,
            total: 0,
        }
    }

    /// Hashes `data` after what came before.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.pending_len > 0 {
            let take = (64 - self.pending_len).min(data.len());
            let (head, rest) = data.split_at(take);
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(head);
            self.pending_len += take;
            data = rest;
            if self.pending_len < 64 {
                return;
            }
            let block = self.pending;
            compress(&mut self.state, &block);
            self.pending_len = 0;
        }
        let whole = data.len() - data.len() % 64;
        let (blocks, tail) = data.split_at(whole);
        compress(&mut self.state, blocks);
        self.pending[..tail.len()].copy_from_slice(tail);
        self.pending_len = tail.len();
    }

    /// The 16-byte digest.
    pub(crate) fn finalize(mut self) -> [u8; 16] {
        let bits = self.total.wrapping_mul(8);
        // A 0x80 byte, zeros up to 56 bytes into a block, then the bit length.
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        let zeros = (55usize.wrapping_sub(self.pending_len)) % 64;
        let end = 1 + zeros;
        pad[end..end + 8].copy_from_slice(&bits.to_le_bytes());
        self.update(&pad[..end + 8]);
        debug_assert_eq!(self.pending_len, 0);
        let mut out = [0u8; 16];
        for (o, w) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// One step: `a = b + ((a + f + m + k) <<< s)`, with `f` already split so that the
/// part not using `b` (`early`) joins `a + m + k` before `b` is known.
macro_rules! step {
    ($a:ident, $b:ident, $early:expr, $late:expr, $m:expr, $k:expr, $s:literal) => {
        $a = opaque($a.wrapping_add($m).wrapping_add($k).wrapping_add($early));
        $a = $a.wrapping_add($late).rotate_left($s).wrapping_add($b);
    };
}

/// `x`, unseen by the optimiser. Without it LLVM reassociates `a + m + k + f` to add
/// the constant last, after the round function, which puts one more addition on every
/// step's critical path (measured: 6 cycles a step instead of 5, 12 % slower).
#[inline(always)]
fn opaque(mut x: u32) -> u32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: an empty asm block that names one register: it reads, writes and touches
    // nothing else (no memory, no stack, no flags).
    unsafe {
        std::arch::asm!("/* {0:e} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    x
}

/// Round 1, F = (b & c) | (!b & d), as ((c ^ d) & b) ^ d: no `not`, two operations after b.
macro_rules! f {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:literal) => {
        step!($a, $b, 0, ((($c ^ $d) & $b) ^ $d), $m, $k, $s)
    };
}

/// Round 2, G = (b & d) | (c & !d), as (c & !d) + (b & d): one operation after b.
macro_rules! g {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:literal) => {
        step!($a, $b, ($c & !$d), ($b & $d), $m, $k, $s)
    };
}

/// Round 3, H = b ^ c ^ d: c ^ d is known early.
macro_rules! h {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:literal) => {
        step!($a, $b, 0, ($b ^ ($c ^ $d)), $m, $k, $s)
    };
}

/// Round 4, I = c ^ (b | !d): !d is known early.
macro_rules! i {
    ($a:ident, $b:ident, $c:ident, $d:ident, $m:expr, $k:expr, $s:literal) => {
        step!($a, $b, 0, ($c ^ ($b | !$d)), $m, $k, $s)
    };
}

/// Runs the compression function over whole 64-byte blocks (`blocks.len()` a multiple
/// of 64; any tail is ignored).
fn compress(state: &mut [u32; 4], blocks: &[u8]) {
    let [mut a, mut b, mut c, mut d] = *state;
    for block in blocks.chunks_exact(64) {
        let mut m = [0u32; 16];
        for (w, bytes) in m.iter_mut().zip(block.chunks_exact(4)) {
            *w = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        let (a0, b0, c0, d0) = (a, b, c, d);

        f!(a, b, c, d, m[0], K[0], 7);
        f!(d, a, b, c, m[1], K[1], 12);
        f!(c, d, a, b, m[2], K[2], 17);
        f!(b, c, d, a, m[3], K[3], 22);
        f!(a, b, c, d, m[4], K[4], 7);
        f!(d, a, b, c, m[5], K[5], 12);
        f!(c, d, a, b, m[6], K[6], 17);
        f!(b, c, d, a, m[7], K[7], 22);
        f!(a, b, c, d, m[8], K[8], 7);
        f!(d, a, b, c, m[9], K[9], 12);
        f!(c, d, a, b, m[10], K[10], 17);
        f!(b, c, d, a, m[11], K[11], 22);
        f!(a, b, c, d, m[12], K[12], 7);
        f!(d, a, b, c, m[13], K[13], 12);
        f!(c, d, a, b, m[14], K[14], 17);
        f!(b, c, d, a, m[15], K[15], 22);

        g!(a, b, c, d, m[1], K[16], 5);
        g!(d, a, b, c, m[6], K[17], 9);
        g!(c, d, a, b, m[11], K[18], 14);
        g!(b, c, d, a, m[0], K[19], 20);
        g!(a, b, c, d, m[5], K[20], 5);
        g!(d, a, b, c, m[10], K[21], 9);
        g!(c, d, a, b, m[15], K[22], 14);
        g!(b, c, d, a, m[4], K[23], 20);
        g!(a, b, c, d, m[9], K[24], 5);
        g!(d, a, b, c, m[14], K[25], 9);
        g!(c, d, a, b, m[3], K[26], 14);
        g!(b, c, d, a, m[8], K[27], 20);
        g!(a, b, c, d, m[13], K[28], 5);
        g!(d, a, b, c, m[2], K[29], 9);
        g!(c, d, a, b, m[7], K[30], 14);
        g!(b, c, d, a, m[12], K[31], 20);

        h!(a, b, c, d, m[5], K[32], 4);
        h!(d, a, b, c, m[8], K[33], 11);
        h!(c, d, a, b, m[11], K[34], 16);
        h!(b, c, d, a, m[14], K[35], 23);
        h!(a, b, c, d, m[1], K[36], 4);
        h!(d, a, b, c, m[4], K[37], 11);
        h!(c, d, a, b, m[7], K[38], 16);
        h!(b, c, d, a, m[10], K[39], 23);
        h!(a, b, c, d, m[13], K[40], 4);
        h!(d, a, b, c, m[0], K[41], 11);
        h!(c, d, a, b, m[3], K[42], 16);
        h!(b, c, d, a, m[6], K[43], 23);
        h!(a, b, c, d, m[9], K[44], 4);
        h!(d, a, b, c, m[12], K[45], 11);
        h!(c, d, a, b, m[15], K[46], 16);
        h!(b, c, d, a, m[2], K[47], 23);

        i!(a, b, c, d, m[0], K[48], 6);
        i!(d, a, b, c, m[7], K[49], 10);
        i!(c, d, a, b, m[14], K[50], 15);
        i!(b, c, d, a, m[5], K[51], 21);
        i!(a, b, c, d, m[12], K[52], 6);
        i!(d, a, b, c, m[3], K[53], 10);
        i!(c, d, a, b, m[10], K[54], 15);
        i!(b, c, d, a, m[1], K[55], 21);
        i!(a, b, c, d, m[8], K[56], 6);
        i!(d, a, b, c, m[15], K[57], 10);
        i!(c, d, a, b, m[6], K[58], 15);
        i!(b, c, d, a, m[13], K[59], 21);
        i!(a, b, c, d, m[4], K[60], 6);
        i!(d, a, b, c, m[11], K[61], 10);
        i!(c, d, a, b, m[2], K[62], 15);
        i!(b, c, d, a, m[9], K[63], 21);

        a = a.wrapping_add(a0);
        b = b.wrapping_add(b0);
        c = c.wrapping_add(c0);
        d = d.wrapping_add(d0);
    }
    *state = [a, b, c, d];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(data: &[u8]) -> String {
        let mut h = Md5::new();
        h.update(data);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn rfc1321_test_suite() {
        // RFC 1321, appendix A.5.
        let cases: [(&[u8], &str); 7] = [
            (b"", "d41d8cd98f00b204e9800998ecf8427e"),
            (b"a", "0cc175b9c0f1b6a831c399e269772661"),
            (b"abc", "900150983cd24fb0d6963f7d28e17f72"),
            (b"message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                b"abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(hex(input), want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn constants_are_the_sines() {
        for (i, k) in K.iter().enumerate() {
            let want = ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32;
            assert_eq!(*k, want, "K[{i}]");
        }
    }

    #[test]
    fn any_split_of_the_input_gives_the_same_digest() {
        // Lengths around the padding boundaries (55, 56, 63, 64 bytes into a block), fed
        // whole, byte by byte and in uneven pieces.
        let data: Vec<u8> = (0..300u32).map(|i| (i * 131 % 251) as u8).collect();
        for len in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 300] {
            let part = &data[..len];
            let whole = hex(part);
            let mut h = Md5::new();
            for b in part {
                h.update(std::slice::from_ref(b));
            }
            let bytes: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(bytes, whole, "len {len}");
            let mut h = Md5::new();
            for piece in part.chunks(37) {
                h.update(piece);
            }
            let pieces: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(pieces, whole, "len {len}");
        }
    }

    #[test]
    fn matches_the_md5_crate() {
        use md5::Digest as _;
        let data: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        for len in (0..5000).step_by(97) {
            let want: String = md5::Md5::digest(&data[..len])
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(hex(&data[..len]), want, "len {len}");
        }
    }
}
