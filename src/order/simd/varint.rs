//! LEB128 varint kernels for `int::varint` (layer 2 calls down into them): the word-level
//! primitives of one value ([`encoded_len`], [`spread`], [`compact`]) and the batch kernels,
//! portable and x86_64 (AVX2 for the stop masks, BMI2 `pext`/`pdep` for the 7-bit groups),
//! chosen at run time like the byte-swap kernels ([`VarintPath::best`]).
//!
//! # Decoding many varints: stop masks (Masked VByte, adapted to 64-bit values)
//!
//! Masked VByte (Plaisance, Kurz and Lemire, "Vectorized VByte Decoding", 2015) takes the
//! continuation bits of 16 bytes with one `pmovmskb` and decodes the values they delimit without
//! a branch per byte, through a table of shuffles keyed by 12 of those bits. Its tables assume
//! values of at most 5 bytes (`u32`); a `u64` takes up to 10, and issue 16's mix has a third of
//! 9- and 10-byte values, so the shuffle table would hold one value per step for them. Here the
//! idea is kept and the table is not:
//!
//! 1. one 64-byte block at a time, three bit masks: *stop* (a byte without continuation bit: a
//!    value ends there), *zero* (a `00` byte) and *big* (a final byte of 2 or more). With AVX2
//!    that is two loads, four compares and six `vpmovmskb`. (The portable kernel builds only
//!    the stop mask, one multiply per 8 bytes, and checks each value instead.)
//! 2. every check of the strict decoder is a mask expression over the whole block, computed
//!    before anything is written (see [`invalid`]): a `00` after a continuation byte is
//!    overlong, a run of 10 continuation bytes is too long, a final byte of 2 or more after 9
//!    continuation bytes is past 64 bits. A block with any of them is left to the caller's
//!    scalar decoder, which names the first error with its offset.
//! 3. the values: the end of the next one is `trailing_zeros` of the stop mask, the mask loses
//!    that bit (`blsr`), so the only dependency from one value to the next is one cycle; the
//!    value is `pext` of its (up to) 8 + 2 bytes with a table mask for its length. No branch
//!    depends on a length, only one on the number of values in the block.
//!
//! Encoding many: the length from `lzcnt`, the 7-bit groups spread to bytes with `pdep` (or
//! mask-and-shift steps), the continuation bits from a table, one 8- and one 2-byte store per
//! value (portably one 16-byte store), no branch on the length.
//!
//! Measured on a Zen 4 with issue 16's mix (criterion, `benches/int.rs`): decoding 2.2 ns a
//! value (portable 5.8), the best scalar peer (prost, integer-encoding) 7.7; encoding 1.6 ns
//! (portable 3.2), the best peer 7.7.
//!
//! Every `unsafe` block here is a raw-pointer access whose bounds are checked by the safe
//! wrapper above it, or a call of a `#[target_feature]` kernel on a CPU that has the features
//! (checked by [`VarintPath::is_available`]); each has its `// SAFETY:` comment and every kernel
//! runs in this module's tests against the portable code.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

/// The longest varint of a `u64`.
pub(crate) const MAX_LEN: usize = 10;
/// Bytes a block decoder classifies at once.
const BLOCK: usize = 64;
/// Bytes a block decoder may read from a block's start: a value that starts at byte 63 reads
/// 8 + 2 bytes (rounded up to 16).
pub(crate) const WINDOW: usize = BLOCK + 16;
/// Bytes the portable batch encoder may store past the end of its last value: each value is
/// one 16-byte store (up to 10 bytes of it used).
#[cfg(feature = "alloc")]
const SLACK: usize = 16 - MAX_LEN;

/// One way to run the batch varint kernels. `#[doc(hidden)]`: public only so that tests and
/// benches can force each path on and off.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarintPath {
    /// Plain Rust: stop masks and 7-bit groups with mask-and-shift steps. Always available.
    Portable,
    /// x86_64 AVX2 (stop masks with `vpmovmskb`) and BMI1/BMI2 (`pext`, `pdep`, `tzcnt`,
    /// `blsr`, `lzcnt`). (On AMD before Zen 3 `pext` and `pdep` are microcoded and slow; the
    /// measurements behind this path are from a Zen 4, where they take 3 cycles.)
    Avx2Bmi2,
}

impl VarintPath {
    /// Every path, available here or not.
    pub const ALL: [VarintPath; 2] = [VarintPath::Portable, VarintPath::Avx2Bmi2];

    /// Whether this CPU (and this build) can run the path.
    #[inline]
    pub fn is_available(self) -> bool {
        match self {
            VarintPath::Portable => true,
            VarintPath::Avx2Bmi2 => super::features() & super::HAS_VARINT_X86 != 0,
        }
    }

    /// The fastest available path (what `decode_batch` and `encode_batch` use).
    #[inline]
    pub fn best() -> VarintPath {
        if VarintPath::Avx2Bmi2.is_available() {
            VarintPath::Avx2Bmi2
        } else {
            VarintPath::Portable
        }
    }
}

/// Bytes the varint of `v` takes: `ceil(bits / 7)`, 1 to 10.
#[inline(always)]
pub(crate) const fn encoded_len(v: u64) -> usize {
    // ceil(bits / 7) = (bits + 6) / 7 as a multiply and a shift: 37 / 256 is close enough to
    // 1 / 7 for every bits in 1..=64 (a unit test checks them all).
    let bits = 64 - (v | 1).leading_zeros();
    (((bits + 6) * 37) >> 8) as usize
}

/// Per length (index `len & 15`, 1 to 10 used): the continuation bits of a varint of that many
/// bytes (bit 7 of every byte but the last), as the first 8 bytes and the 2 after them.
const CONT: [(u64, u16); 16] = {
    let mut table = [(0u64, 0u16); 16];
    let mut len = 1;
    while len <= MAX_LEN {
        let mut i = 0;
        while i + 1 < len {
            if i < 8 {
                table[len].0 |= 0x80 << (8 * i);
            } else {
                table[len].1 |= 0x80 << (8 * (i - 8));
            }
            i += 1;
        }
        len += 1;
    }
    table
};

/// Per length (index `len & 15`): the bytes of a varint of that many bytes among the first 8,
/// and among the 2 after them.
const KEEP: [(u64, u16); 16] = {
    let mut table = [(0u64, 0u16); 16];
    let mut len = 1;
    while len < 16 {
        table[len].0 = if len >= 8 {
            u64::MAX
        } else {
            (1 << (8 * len)) - 1
        };
        table[len].1 = if len >= 10 {
            u16::MAX
        } else if len == 9 {
            0xFF
        } else {
            0
        };
        len += 1;
    }
    table
};

/// The varint of `v` without a branch: its first 8 bytes as a little-endian word, the 2 bytes
/// after them, and its length. Bytes past the length are 0. The 7-bit groups are spread to one
/// a byte by three mask-and-shift steps (28-, 14- and 7-bit halves).
#[inline(always)]
pub(crate) const fn spread(v: u64) -> (u64, u16, usize) {
    let len = encoded_len(v);
    let mut x = v & 0x00FF_FFFF_FFFF_FFFF;
    x = (x & 0x0000_0000_0FFF_FFFF) | ((x & 0x00FF_FFFF_F000_0000) << 4);
    x = (x & 0x0000_3FFF_0000_3FFF) | ((x & 0x0FFF_C000_0FFF_C000) << 2);
    x = (x & 0x007F_007F_007F_007F) | ((x & 0x3F80_3F80_3F80_3F80) << 1);
    // Bits 56..=62 are the 9th group, bit 63 the 10th.
    let top = (v >> 56) as u16;
    let hi = (top & 0x7F) | ((top & 0x80) << 1);
    let (cont_lo, cont_hi) = CONT[len];
    (x | cont_lo, hi | cont_hi, len)
}

/// [`spread`] as 16 bytes (the encoding, then zeros), for writers that store 16 bytes and then
/// advance by the length.
#[cfg(feature = "alloc")]
#[inline(always)]
pub(crate) const fn spread16(v: u64) -> ([u8; 16], usize) {
    let (lo, hi, len) = spread(v);
    ((lo as u128 | ((hi as u128) << 64)).to_le_bytes(), len)
}

/// Gathers the low 7 bits of each byte of `x` (the high bits are dropped): 8 groups into 56
/// bits, least significant group first.
#[inline(always)]
pub(crate) const fn compact(x: u64) -> u64 {
    let x = x & 0x7F7F_7F7F_7F7F_7F7F;
    let x = (x & 0x007F_007F_007F_007F) | ((x & 0x7F00_7F00_7F00_7F00) >> 1);
    let x = (x & 0x0000_3FFF_0000_3FFF) | ((x & 0x3FFF_0000_3FFF_0000) >> 2);
    (x & 0x0000_0000_0FFF_FFFF) | ((x & 0x0FFF_FFFF_0000_0000) >> 4)
}

/// The value of a varint of `len` bytes (1 to 10) whose first 8 bytes are `w0` and next 2
/// `w1` (bytes past `len` may be anything).
#[inline(always)]
const fn value_of(w0: u64, w1: u16, len: usize) -> u64 {
    let (keep_lo, keep_hi) = KEEP[len & 15];
    let hi = (w1 & keep_hi) as u64;
    compact(w0 & keep_lo) | ((hi & 0x7F) << 56) | ((hi & 0x100) << 55)
}

/// One varint from 10 bytes without a branch on its length: `Some((value, len))`, or `None`
/// when it is not the canonical varint of a `u64` (overlong, past 64 bits, more than 10 bytes).
///
/// The length is where the first stop bit is (`trailing_zeros`); overlong is exactly
/// `encoded_len(value) < len`, and the 10th byte must be `01`.
#[inline(always)]
pub(crate) fn decode_word(chunk: &[u8; MAX_LEN]) -> Option<(u64, usize)> {
    let (w0, w1) = chunk.split_first_chunk::<8>().expect("10 = 8 + 2");
    let w0 = u64::from_le_bytes(*w0);
    let w1 = u16::from_le_bytes(*w1.first_chunk::<2>().expect("2 bytes"));
    let stop0 = !w0 & 0x8080_8080_8080_8080;
    let stop1 = u32::from(!w1 & 0x8080) | 0x1_0000;
    // Bit 7 of the last byte, counted from bit 0 of the first: 7, 15, ... 79 (none: 80).
    // Arithmetic, not `if`: a third of issue 16's values have no stop bit in the first word,
    // and a branch on it was mispredicted 0.4 times a value (callgrind --branch-sim).
    let t0 = stop0.trailing_zeros();
    let t = t0 + (stop1.trailing_zeros() & 0u32.wrapping_sub(t0 >> 6));
    let len = (t / 8 + 1) as usize;
    let value = value_of(w0, w1, len);
    if encoded_len(value) == len && (w1 & KEEP[len & 15].1) >> 8 <= 1 {
        Some((value, len))
    } else {
        None
    }
}

/// The error bits of a 64-byte block classified into `stop`, `zero` and `big` (see the module
/// doc): bit `i` is set where byte `i` ends an overlong or too-large varint, or starts a run of
/// 10 continuation bytes. Only bits up to the last byte of the values decoded count: runs of
/// continuation bytes are seen only within the block, and a block starts where a value starts.
#[inline(always)]
const fn invalid(stop: u64, zero: u64, big: u64) -> u64 {
    let cont = !stop;
    let c2 = cont & (cont >> 1);
    let c4 = c2 & (c2 >> 2);
    let c8 = c4 & (c4 >> 4);
    // Bit j: bytes j..j+9 (or j..j+10) are all continuation bytes.
    let c9 = c8 & (cont >> 8);
    let c10 = c9 & (cont >> 9);
    (zero & (cont << 1)) | (big & (c9 << 9)) | c10
}

/// Bit 7 of each byte of `x`, gathered into the 8 low bits (byte 0's in bit 0): `pmovmskb` on
/// one word, with one multiply.
#[inline(always)]
const fn movemask(x: u64) -> u64 {
    (((x >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// The portable block decoder: decodes whole values from the front of `bytes` into `out`, one
/// 64-byte block at a time, while a block and its look-ahead ([`WINDOW`] bytes) are there and
/// `out` has room; returns (values written, bytes consumed). Stops before a block with an
/// invalid value, or with no value ending in it: the caller's scalar decoder goes on from there.
///
/// Portably the stop mask takes one multiply per 8 bytes, and the checks are per value (is the
/// length `encoded_len` of the value? at most 10? 10th byte `01`?), so a block is decoded into a
/// scratch array first and copied out only when it is valid.
pub(crate) fn decode_portable(bytes: &[u8], out: &mut [u64]) -> (usize, usize) {
    let mut scratch = [0u64; BLOCK];
    let (mut n, mut pos) = (0, 0);
    while let Some(window) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<WINDOW>) {
        let room = out.len() - n;
        let mut stop = 0u64;
        for (i, word) in window.chunks_exact(8).take(BLOCK / 8).enumerate() {
            let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            stop |= movemask(!w) << (8 * i);
        }
        let k = (stop.count_ones() as usize).min(room);
        if k == 0 {
            break;
        }
        let (mut m, mut start, mut bad) = (stop, 0usize, false);
        for slot in &mut scratch[..k] {
            let end = m.trailing_zeros() as usize;
            m &= m - 1;
            let len = end + 1 - start;
            let at = window[start..]
                .first_chunk::<MAX_LEN>()
                .expect("start < 64");
            let w0 = u64::from_le_bytes(*at.first_chunk::<8>().expect("8 of 10"));
            let w1 = u16::from_le_bytes([at[8], at[9]]);
            let v = value_of(w0, w1, len);
            bad |= (len > MAX_LEN) | (encoded_len(v) != len) | ((w1 & KEEP[len & 15].1) > 0x1FF);
            *slot = v;
            start = end + 1;
        }
        if bad {
            break;
        }
        out[n..n + k].copy_from_slice(&scratch[..k]);
        n += k;
        pos += start;
    }
    (n, pos)
}

/// The block decoder of `path` (see [`decode_portable`]): (values written, bytes consumed). An
/// unavailable path decodes nothing: `(0, 0)`.
#[inline]
pub(crate) fn decode_blocks(path: VarintPath, bytes: &[u8], out: &mut [u64]) -> (usize, usize) {
    match path {
        VarintPath::Portable => decode_portable(bytes, out),
        #[cfg(target_arch = "x86_64")]
        VarintPath::Avx2Bmi2 if path.is_available() => {
            // SAFETY: the CPU has the kernel's features (checked just above); `bytes` is valid
            // for reads of `bytes.len()` bytes and `out` for writes of `out.len()` values, and
            // they cannot overlap (a shared and an exclusive borrow).
            unsafe { x86::decode_blocks(bytes.as_ptr(), bytes.len(), out.as_mut_ptr(), out.len()) }
        }
        _ => (0, 0),
    }
}

/// The portable batch encoder: writes the varints of `values` back to back at the start of
/// `out`, one 16-byte store each; returns the bytes of varints written.
#[cfg(feature = "alloc")]
fn encode_portable(values: &[u64], out: &mut [u8]) -> usize {
    let mut pos = 0;
    for &v in values {
        let (bytes, len) = spread16(v);
        out[pos..pos + 16].copy_from_slice(&bytes);
        pos += len;
    }
    pos
}

/// Values per round of [`encode_append`]'s portable path: the zeroed scratch it grows `out` by
/// (`CHUNK * 10` bytes) stays in the L1 cache.
#[cfg(feature = "alloc")]
const CHUNK: usize = 256;

/// Appends the varints of `values` to `out` on `path`; `None` (and `out` untouched) when the
/// path is not available here, else the bytes appended.
#[cfg(feature = "alloc")]
pub(crate) fn encode_append(path: VarintPath, values: &[u64], out: &mut Vec<u8>) -> Option<usize> {
    let start = out.len();
    match path {
        VarintPath::Portable => {
            // Safe code cannot write into spare capacity: grow by zeros a chunk at a time,
            // store, and cut back to what was written.
            for chunk in values.chunks(CHUNK) {
                let at = out.len();
                out.resize(at + chunk.len() * MAX_LEN + SLACK, 0);
                let written = encode_portable(chunk, &mut out[at..]);
                out.truncate(at + written);
            }
        }
        #[cfg(target_arch = "x86_64")]
        VarintPath::Avx2Bmi2 if path.is_available() => {
            let room = values.len() * MAX_LEN;
            out.reserve(room);
            let spare = out.spare_capacity_mut();
            assert!(spare.len() >= room);
            // SAFETY: the CPU has the kernel's features (checked just above); `spare` is valid
            // for writes of `room` = 10 × values bytes (asserted), what the kernel may store;
            // `values` is valid for reads of `values.len()` values and does not overlap `out`.
            let written =
                unsafe { x86::encode(values.as_ptr(), values.len(), spare.as_mut_ptr().cast()) };
            assert!(written <= room);
            // SAFETY: the kernel initialised the first `written` bytes of the spare capacity
            // (every byte up to the end of its last value), and `written <= room <= capacity -
            // len` (asserted).
            unsafe { out.set_len(start + written) };
        }
        _ => return None,
    }
    Some(out.len() - start)
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    #[cfg(feature = "alloc")]
    use super::{CONT, encoded_len};
    use super::{KEEP, WINDOW, invalid};
    #[cfg(feature = "alloc")]
    use core::arch::x86_64::_pdep_u64;
    use core::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
        _mm256_set1_epi8, _mm256_setzero_si256, _pext_u64,
    };

    /// The 7-bit groups of a varint of `len` bytes among its first 8 bytes (`pext` masks),
    /// index `len & 15`.
    const PEXT_LO: [u64; 16] = {
        let mut t = [0u64; 16];
        let mut i = 0;
        while i < 16 {
            t[i] = KEEP[i].0 & 0x7F7F_7F7F_7F7F_7F7F;
            i += 1;
        }
        t
    };
    /// The same among the 2 bytes after them: 7 bits of the 9th byte, and of the 10th (only its
    /// bit 0 lands below bit 64; the checks make sure the others are 0).
    const PEXT_HI: [u64; 16] = {
        let mut t = [0u64; 16];
        let mut i = 0;
        while i < 16 {
            t[i] = KEEP[i].1 as u64 & 0x7F7F;
            i += 1;
        }
        t
    };

    // The intrinsics below sit in the same `unsafe` blocks as the pointer accesses: before
    // Rust 1.87 (the crate's `rust-version` is 1.85) every `core::arch` intrinsic was an
    // `unsafe fn`, since then most are safe in a function with their features.

    /// The three masks of the 64 bytes at `p`: stop (no continuation bit), zero (`00`), big
    /// (a byte in `02..=7F`).
    ///
    /// # Safety
    /// The CPU has AVX2; `p` is valid for reads of 64 bytes.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn masks(p: *const u8) -> (u64, u64, u64) {
        // SAFETY: the caller's contract: 64 readable bytes at `p` (two unaligned 32-byte
        // loads), and AVX2 for the compares and `vpmovmskb`.
        let [cont_a, cont_b, zero_a, zero_b, big_a, big_b] = unsafe {
            let a = _mm256_loadu_si256(p.cast::<__m256i>());
            let b = _mm256_loadu_si256(p.add(32).cast::<__m256i>());
            let z = _mm256_setzero_si256();
            // Signed compare: continuation bytes are negative, so only 02..=7F are above 1.
            let one = _mm256_set1_epi8(1);
            [
                _mm256_movemask_epi8(a),
                _mm256_movemask_epi8(b),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(a, z)),
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(b, z)),
                _mm256_movemask_epi8(_mm256_cmpgt_epi8(a, one)),
                _mm256_movemask_epi8(_mm256_cmpgt_epi8(b, one)),
            ]
        };
        let join = |lo: i32, hi: i32| u64::from(lo as u32) | (u64::from(hi as u32) << 32);
        (
            !join(cont_a, cont_b),
            join(zero_a, zero_b),
            join(big_a, big_b),
        )
    }

    /// The block decoder with AVX2 masks and BMI2 `pext` (see the module doc): decodes whole
    /// values from the front of the `len` bytes at `src` into the `cap` values at `out`;
    /// returns (values written, bytes consumed). Stops before a block with an invalid value or
    /// with no value ending in it, when fewer than [`WINDOW`] bytes remain, or when `out` is
    /// full. Writes only values that are valid.
    ///
    /// # Safety
    /// The CPU has AVX2, BMI1, BMI2, LZCNT and POPCNT; `src` is valid for reads of `len` bytes
    /// and `out` for writes of `cap` values.
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
    pub(super) unsafe fn decode_blocks(
        src: *const u8,
        len: usize,
        out: *mut u64,
        cap: usize,
    ) -> (usize, usize) {
        let (mut n, mut pos) = (0usize, 0usize);
        while len - pos >= WINDOW && n < cap {
            // SAFETY: `pos + WINDOW <= len`: the block and its look-ahead are in bounds.
            let p = unsafe { src.add(pos) };
            // SAFETY: 64 readable bytes at `p` (`WINDOW` > 64); the CPU has AVX2.
            let (stop, zero, big) = unsafe { masks(p) };
            let total = stop.count_ones() as usize;
            let k = total.min(cap - n);
            if k == 0 {
                break;
            }
            // The last byte of the k-th value: the highest stop bit, or (when `out` has room
            // for fewer values than end here) the k-th lowest.
            let last = if k == total {
                63 - stop.leading_zeros()
            } else {
                let mut m = stop;
                for _ in 1..k {
                    m &= m - 1;
                }
                m.trailing_zeros()
            };
            if invalid(stop, zero, big) & (u64::MAX >> (63 - last)) != 0 {
                break;
            }
            let (mut m, mut start) = (stop, 0usize);
            for i in 0..k {
                let end = m.trailing_zeros() as usize;
                m &= m - 1;
                let vlen = (end + 1 - start) & 15;
                // SAFETY: `start < 64`, so the 10 bytes at `p + start` are within the window
                // (`WINDOW` = 64 + 16), which is in bounds (unaligned reads); `n + i < n + k <=
                // cap`, so `out + n + i` is in bounds; the CPU has BMI2 (`pext`).
                unsafe {
                    let q = p.add(start);
                    let w0 = q.cast::<u64>().read_unaligned();
                    let w1 = u64::from(q.add(8).cast::<u16>().read_unaligned());
                    let v = _pext_u64(w0, PEXT_LO[vlen]) | (_pext_u64(w1, PEXT_HI[vlen]) << 56);
                    out.add(n + i).write(v);
                }
                start = end + 1;
            }
            n += k;
            pos += start;
        }
        (n, pos)
    }

    /// The batch encoder with BMI2 `pdep`: writes the varints of the `count` values at
    /// `values` back to back at `out`, one 8- and one 2-byte store each; returns the bytes of
    /// varints written (at most `10 × count`).
    ///
    /// # Safety
    /// The CPU has BMI1, BMI2 and LZCNT; `values` is valid for reads of `count` values and
    /// `out` for writes of `10 × count` bytes (need not be initialised).
    #[cfg(feature = "alloc")]
    #[target_feature(enable = "bmi1,bmi2,lzcnt")]
    pub(super) unsafe fn encode(values: *const u64, count: usize, out: *mut u8) -> usize {
        let mut pos = 0usize;
        for i in 0..count {
            // SAFETY: `i < count`: in bounds of `values`.
            let v = unsafe { values.add(i).read() };
            let len = encoded_len(v) & 15;
            let (cont_lo, cont_hi) = CONT[len];
            // SAFETY: `pos <= 10 × i`, so the 10 bytes at `out + pos` are within the
            // `10 × count` writable bytes (unaligned writes); the CPU has BMI2 (`pdep`).
            unsafe {
                let lo = _pdep_u64(v, 0x7F7F_7F7F_7F7F_7F7F) | cont_lo;
                let hi = _pdep_u64(v >> 56, 0x017F) as u16 | cont_hi;
                let q = out.add(pos);
                q.cast::<u64>().write_unaligned(lo);
                q.add(8).cast::<u16>().write_unaligned(hi);
            }
            pos += len;
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(feature = "alloc"))]
    use crate::prelude::*;

    #[test]
    fn encoded_len_is_ceil_bits_over_7() {
        for bits in 0..=64u32 {
            let v = if bits == 0 {
                0
            } else {
                u64::MAX >> (64 - bits)
            };
            assert_eq!(encoded_len(v), (bits.max(1) as usize).div_ceil(7), "{bits}");
        }
    }

    #[test]
    fn tables() {
        assert_eq!(CONT[1], (0, 0));
        assert_eq!(CONT[2], (0x80, 0));
        assert_eq!(CONT[9], (0x8080_8080_8080_8080, 0));
        assert_eq!(CONT[10], (0x8080_8080_8080_8080, 0x80));
        assert_eq!(KEEP[1], (0xFF, 0));
        assert_eq!(KEEP[8], (u64::MAX, 0));
        assert_eq!(KEEP[9], (u64::MAX, 0xFF));
        assert_eq!(KEEP[10], (u64::MAX, 0xFFFF));
    }

    #[test]
    fn movemask_gathers_bit_7_of_each_byte() {
        assert_eq!(movemask(0x8000_0000_0000_0080), 0b1000_0001);
        assert_eq!(movemask(0x80FF_7F00_8001_FF7F), 0b1100_1010);
        assert_eq!(movemask(u64::MAX), 0xFF);
    }

    #[test]
    fn spread_and_decode_word_at_every_boundary() {
        for k in 0..64 {
            for v in [(1u64 << k) - 1, 1 << k, (1 << k) | 1] {
                let (lo, hi, len) = spread(v);
                let mut ten = [0xFFu8; MAX_LEN];
                let mut bytes = [0u8; MAX_LEN];
                bytes[..8].copy_from_slice(&lo.to_le_bytes());
                bytes[8..].copy_from_slice(&hi.to_le_bytes());
                ten[..len].copy_from_slice(&bytes[..len]);
                assert_eq!(bytes[len..], [0; MAX_LEN][len..], "{v:#x}");
                assert_eq!(decode_word(&ten), Some((v, len)), "{v:#x}");
            }
        }
    }

    /// The invalid-bit expression against the byte rules, on blocks that hold one value at
    /// the start then `00`s.
    #[test]
    fn invalid_bits_name_every_bad_value() {
        let classify = |block: &[u8; 64]| {
            let (mut stop, mut zero, mut big) = (0u64, 0u64, 0u64);
            for (i, &b) in block.iter().enumerate() {
                stop |= u64::from(b < 0x80) << i;
                zero |= u64::from(b == 0) << i;
                big |= u64::from((2..0x80).contains(&b)) << i;
            }
            invalid(stop, zero, big)
        };
        let mut block = [1u8; 64];
        assert_eq!(classify(&block), 0);
        block[..2].copy_from_slice(&[0x80, 0x00]); // overlong at byte 1
        assert_eq!(classify(&block), 0b10);
        block[..10].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]);
        assert_eq!(classify(&block), 1 << 9); // past 64 bits at byte 9
        block[9] = 0x01;
        assert_eq!(classify(&block), 0); // u64::MAX
        block[9] = 0x81; // 11 bytes: a run of 10 continuation bytes from byte 0
        assert_eq!(classify(&block), 1);
    }

    fn stream(values: &[u64]) -> Vec<u8> {
        let mut out = Vec::new();
        for &v in values {
            let (lo, hi, len) = spread(v);
            out.extend_from_slice(&[lo.to_le_bytes(), [0; 8]].concat()[..len.min(8)]);
            out.extend_from_slice(&hi.to_le_bytes()[..len.saturating_sub(8)]);
        }
        out
    }

    fn mixed(count: usize) -> Vec<u64> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        (0..count)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x >> (x % 64) >> (i % 3)
            })
            .collect()
    }

    /// Every available path decodes what the portable one does, writes the same values and
    /// stops at the same place: on valid streams, with a short `out`, and before a bad block.
    #[test]
    fn every_path_decodes_like_the_portable_one() {
        let values = mixed(2000);
        let bytes = stream(&values);
        for path in VarintPath::ALL.into_iter().filter(|p| p.is_available()) {
            for cap in [0, 1, 7, 100, 2000] {
                let mut want = alloc::vec![0u64; cap];
                let mut got = alloc::vec![0u64; cap];
                let a = decode_portable(&bytes, &mut want);
                let b = decode_blocks(path, &bytes, &mut got);
                assert_eq!(a, b, "{path:?} cap {cap}");
                assert_eq!(want, got);
                assert_eq!(want[..a.0], values[..a.0]);
                assert!(bytes.len() - a.1 < WINDOW || a.0 == cap);
            }
            // A bad value in the middle: both stop at the start of its block.
            for bad in [
                &[0x80, 0x00][..],
                &[0xFF; 11][..],
                &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F][..],
            ] {
                let mut broken = stream(&values[..500]);
                let at = broken.len();
                broken.extend_from_slice(bad);
                broken.extend_from_slice(&stream(&values[500..]));
                let mut want = alloc::vec![0u64; 2000];
                let mut got = alloc::vec![0u64; 2000];
                let a = decode_portable(&broken, &mut want);
                let b = decode_blocks(path, &broken, &mut got);
                assert_eq!(a, b, "{path:?} {bad:x?}");
                assert_eq!(want, got);
                assert!(a.1 <= at && at < a.1 + BLOCK, "{a:?} {at}");
            }
        }
    }

    #[test]
    #[cfg(feature = "alloc")]
    fn every_path_encodes_like_spread() {
        let values = mixed(1000);
        let want = stream(&values);
        for path in VarintPath::ALL.into_iter().filter(|p| p.is_available()) {
            for take in [0, 1, 255, 256, 257, 1000] {
                let mut out = alloc::vec![7u8];
                assert_eq!(
                    encode_append(path, &values[..take], &mut out),
                    Some(out.len() - 1)
                );
                assert_eq!(out[1..], stream(&values[..take])[..], "{path:?} {take}");
            }
            let mut out = Vec::new();
            encode_append(path, &values, &mut out);
            assert_eq!(out, want);
        }
    }

    #[test]
    fn unavailable_paths_do_nothing() {
        for path in VarintPath::ALL.into_iter().filter(|p| !p.is_available()) {
            let mut out = alloc::vec![0u64; 4];
            assert_eq!(decode_blocks(path, &[0; 200], &mut out), (0, 0));
            #[cfg(feature = "alloc")]
            {
                let mut bytes = Vec::new();
                assert_eq!(encode_append(path, &[1, 2], &mut bytes), None);
                assert!(bytes.is_empty());
            }
        }
        assert!(VarintPath::Portable.is_available());
        assert!(VarintPath::best().is_available());
    }
}
