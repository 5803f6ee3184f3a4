//! Bulk byte swapping with SIMD: the only `unsafe` code in netorder's byte-order layer
//! (zerocopy style: every `unsafe` block in this layer is in this file, each with a
//! `// SAFETY:` comment).
//!
//! What is here:
//! - [`as_bytes`]/[`as_bytes_mut`]: a slice of a [`NetOrder`] primitive viewed as its bytes;
//! - vector kernels that reverse every `W`-byte group (`W` = 2, 4, 8 or 16) of a buffer with one
//!   byte shuffle per 16 or 32 bytes: SSSE3 `pshufb` and AVX2 `vpshufb` on x86_64 (chosen at run
//!   time with `is_x86_feature_detected!`, detected once and cached; without `std`, the
//!   features the build targets, `-C target-feature`/`-C target-cpu`), NEON `tbl` on aarch64
//!   (always present there);
//! - [`swap_in_place`] and [`swap_copy`], safe entry points that run a named [`BulkPath`], do
//!   the last few bytes with the portable code, and refuse a path the CPU lacks;
//! - [`varint`]: the LEB128 kernels of layer 2's `int::varint` (batch decode with stop masks and
//!   `pext`, batch encode with `pdep`, and the word-level helpers of one value), with their own
//!   [`VarintPath`](varint::VarintPath);
//! - [`ascii`]: the decimal kernel of `int::ascii` (the digit run at the start of 24 bytes,
//!   SSE2 on x86_64, which needs no detection);
//! - [`with_byte_shuffles`]: safe code compiled a second time with AVX2 or SSSE3 enabled, run
//!   when the CPU has them (layer 3's bulk records, which the compiler then vectorizes).
//!
//! The public API ([`convert_in_place`](super::convert_in_place),
//! [`read_slice`](super::read_slice), [`write_slice`](super::write_slice)) is safe and picks
//! [`BulkPath::best`]; tests force every path with the `#[doc(hidden)]` `*_with` functions in
//! the parent module.
#![allow(unsafe_code)]

use super::NetOrder;
use core::sync::atomic::{AtomicU8, Ordering};

pub(crate) mod ascii;
pub(crate) mod varint;

/// One way to run the bulk conversions. `#[doc(hidden)]`: public only so that tests and
/// benches can force each path on and off.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BulkPath {
    /// Plain Rust, one value at a time (whatever the compiler makes of it). Always available.
    Portable,
    /// x86_64 SSSE3 `pshufb`, 16 bytes per shuffle.
    Ssse3,
    /// x86_64 AVX2 `vpshufb`, 32 bytes per shuffle.
    Avx2,
    /// aarch64 NEON `tbl`, 16 bytes per shuffle.
    Neon,
}

/// Bit set in [`FEATURES`] once detection has run.
const DETECTED: u8 = 1;
/// Bit set in [`FEATURES`] when SSSE3 is usable.
const HAS_SSSE3: u8 = 2;
/// Bit set in [`FEATURES`] when AVX2 is usable.
const HAS_AVX2: u8 = 4;
/// Bit set in [`FEATURES`] when NEON is usable.
const HAS_NEON: u8 = 8;
/// Bit set in [`FEATURES`] when the x86_64 varint kernels can run: AVX2, BMI1, BMI2, LZCNT
/// and POPCNT.
const HAS_VARINT_X86: u8 = 16;

/// CPU features, detected on first use (0 = not yet).
static FEATURES: AtomicU8 = AtomicU8::new(0);

/// The feature bits of this CPU, detected once.
#[inline]
fn features() -> u8 {
    let cached = FEATURES.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    let detected = detect();
    FEATURES.store(detected, Ordering::Relaxed);
    detected
}

#[cold]
fn detect() -> u8 {
    #[allow(unused_mut)]
    let mut bits = DETECTED;
    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    {
        if std::is_x86_feature_detected!("ssse3") {
            bits |= HAS_SSSE3;
        }
        if std::is_x86_feature_detected!("avx2") {
            bits |= HAS_AVX2;
        }
        if std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("bmi1")
            && std::is_x86_feature_detected!("bmi2")
            && std::is_x86_feature_detected!("lzcnt")
            && std::is_x86_feature_detected!("popcnt")
        {
            bits |= HAS_VARINT_X86;
        }
    }
    #[cfg(not(feature = "std"))]
    {
        bits |= compile_time_features();
    }
    #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
    {
        bits |= HAS_NEON;
    }
    bits
}

/// The x86_64 features the build assumes every CPU has (`-C target-feature`, `-C target-cpu`):
/// what [`detect`] uses without `std`, which has no run-time detection.
#[cfg_attr(feature = "std", allow(dead_code))]
fn compile_time_features() -> u8 {
    let mut bits = 0;
    if cfg!(all(target_arch = "x86_64", target_feature = "ssse3")) {
        bits |= HAS_SSSE3;
    }
    if cfg!(all(target_arch = "x86_64", target_feature = "avx2")) {
        bits |= HAS_AVX2;
    }
    if cfg!(all(
        target_arch = "x86_64",
        target_feature = "avx2",
        target_feature = "bmi1",
        target_feature = "bmi2",
        target_feature = "lzcnt",
        target_feature = "popcnt"
    )) {
        bits |= HAS_VARINT_X86;
    }
    bits
}

impl BulkPath {
    /// Every path, available here or not.
    pub const ALL: [BulkPath; 4] = [
        BulkPath::Portable,
        BulkPath::Ssse3,
        BulkPath::Avx2,
        BulkPath::Neon,
    ];

    /// Whether this CPU (and this build) can run the path.
    #[inline]
    pub fn is_available(self) -> bool {
        let f = features();
        match self {
            BulkPath::Portable => true,
            BulkPath::Ssse3 => f & HAS_SSSE3 != 0,
            BulkPath::Avx2 => f & HAS_AVX2 != 0,
            BulkPath::Neon => f & HAS_NEON != 0,
        }
    }

    /// The fastest available path (what the public functions use).
    #[inline]
    pub fn best() -> BulkPath {
        let f = features();
        if f & HAS_AVX2 != 0 {
            BulkPath::Avx2
        } else if f & HAS_SSSE3 != 0 {
            BulkPath::Ssse3
        } else if f & HAS_NEON != 0 {
            BulkPath::Neon
        } else {
            BulkPath::Portable
        }
    }
}

/// `values` viewed as bytes (in memory order).
#[inline]
pub(super) fn as_bytes<T: NetOrder>(values: &[T]) -> &[u8] {
    // SAFETY: `NetOrder` is sealed and implemented only for the primitive integers and floats,
    // which have no padding bytes, so all `size_of_val(values)` bytes are initialised; `u8`
    // has alignment 1; the pointer and length describe exactly the memory of `values`, which
    // stays borrowed (shared) for the returned lifetime.
    unsafe { core::slice::from_raw_parts(values.as_ptr().cast::<u8>(), size_of_val(values)) }
}

/// `values` viewed as mutable bytes (in memory order).
#[inline]
pub(super) fn as_bytes_mut<T: NetOrder>(values: &mut [T]) -> &mut [u8] {
    let len = size_of_val(values);
    // SAFETY: as in `as_bytes`, and moreover every bit pattern is a valid value of every
    // `NetOrder` type (integers and floats), so any bytes written through the returned slice
    // leave valid `T`s; `values` stays borrowed mutably (exclusively) for the returned lifetime.
    unsafe { core::slice::from_raw_parts_mut(values.as_mut_ptr().cast::<u8>(), len) }
}

/// Reverses each `width`-byte group of `bytes` with plain code (the tails of the vector paths).
#[inline]
fn portable_in_place(bytes: &mut [u8], width: usize) {
    bytes.chunks_exact_mut(width).for_each(<[u8]>::reverse);
}

/// Writes each `width`-byte group of `src`, reversed, to `dst` with plain code.
#[inline]
fn portable_copy(src: &[u8], dst: &mut [u8], width: usize) {
    for (d, s) in dst.chunks_exact_mut(width).zip(src.chunks_exact(width)) {
        for (d, s) in d.iter_mut().zip(s.iter().rev()) {
            *d = *s;
        }
    }
}

/// Reverses every `width`-byte group of `bytes` in place using `path`. `width` is the size of
/// a [`NetOrder`] type (1, 2, 4, 8 or 16) and `bytes.len()` a multiple of it. Returns `false`
/// (and changes nothing) when `path` is not available here.
#[inline]
pub(super) fn swap_in_place(path: BulkPath, bytes: &mut [u8], width: usize) -> bool {
    if !path.is_available() {
        return false;
    }
    if width < 2 {
        return true;
    }
    let len = bytes.len();
    let ptr = bytes.as_mut_ptr();
    // SAFETY: `ptr` is valid for reads and writes of `len` bytes (it comes from `bytes`, borrowed
    // mutably here); source and destination are the same buffer, which the kernels allow; the
    // path was checked available just above, and `width` is 2, 4, 8 or 16.
    let done = unsafe { vector_prefix(path, ptr, ptr, len, width) };
    portable_in_place(&mut bytes[done..], width);
    true
}

/// Writes every `width`-byte group of `src`, reversed, to `dst` using `path`. `src` and `dst`
/// have the same length, a multiple of `width`. Returns `false` (and changes nothing) when
/// `path` is not available here.
#[inline]
pub(super) fn swap_copy(path: BulkPath, src: &[u8], dst: &mut [u8], width: usize) -> bool {
    if !path.is_available() {
        return false;
    }
    let len = src.len().min(dst.len());
    if width < 2 {
        dst[..len].copy_from_slice(&src[..len]);
        return true;
    }
    // SAFETY: `src` is valid for reads and `dst` for writes of `len` bytes (the shorter of the
    // two slices); they cannot overlap (a shared and an exclusive borrow); the path was checked
    // available just above, and `width` is 2, 4, 8 or 16.
    let done = unsafe { vector_prefix(path, src.as_ptr(), dst.as_mut_ptr(), len, width) };
    portable_copy(&src[done..len], &mut dst[done..len], width);
    true
}

/// Runs the vector kernel of `path` for `width` over the longest prefix of `len` bytes it
/// handles; returns that prefix's length (a multiple of `width`). 0 for the portable path or
/// an unknown width.
///
/// # Safety
/// `src` must be valid for reads and `dst` for writes of `len` bytes; they must be equal or
/// not overlap. `path` must be available on this CPU ([`BulkPath::is_available`]).
#[inline]
// On targets without a vector path (thumbv7em, riscv...) only the portable code remains.
#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "aarch64", target_feature = "neon")
    )),
    allow(unused_variables, unused_macros)
)]
unsafe fn vector_prefix(
    path: BulkPath,
    src: *const u8,
    dst: *mut u8,
    len: usize,
    width: usize,
) -> usize {
    /// One kernel, instantiated for the width at hand.
    macro_rules! by_width {
        ($($kernel:ident)::+) => {
            match width {
                // SAFETY: the caller's contract is the kernel's contract.
                2 => unsafe { $($kernel)::+::<2>(src, dst, len) },
                // SAFETY: the caller's contract is the kernel's contract.
                4 => unsafe { $($kernel)::+::<4>(src, dst, len) },
                // SAFETY: the caller's contract is the kernel's contract.
                8 => unsafe { $($kernel)::+::<8>(src, dst, len) },
                // SAFETY: the caller's contract is the kernel's contract.
                16 => unsafe { $($kernel)::+::<16>(src, dst, len) },
                _ => 0,
            }
        };
    }
    match path {
        #[cfg(target_arch = "x86_64")]
        BulkPath::Ssse3 => by_width!(x86::swap_ssse3),
        #[cfg(target_arch = "x86_64")]
        BulkPath::Avx2 => by_width!(x86::swap_avx2),
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        BulkPath::Neon => by_width!(arm::swap_neon),
        _ => 0,
    }
}

/// The shuffle control that reverses every `w`-byte group of 16 bytes: byte `i` takes byte
/// `(i / w) * w + (w - 1 - i % w)`.
#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "aarch64", target_feature = "neon")
    )),
    allow(dead_code)
)]
const fn lane_mask(w: usize) -> [u8; 16] {
    let mut mask = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        mask[i] = ((i / w) * w + (w - 1 - i % w)) as u8;
        i += 1;
    }
    mask
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::lane_mask;
    use core::arch::x86_64::{
        __m128i, __m256i, _mm_loadu_si128, _mm_shuffle_epi8, _mm_storeu_si128, _mm256_loadu_si256,
        _mm256_shuffle_epi8, _mm256_storeu_si256,
    };

    /// SSSE3: reverses every `W`-byte group of the longest prefix of `len` that is a multiple
    /// of 16 bytes, 64 bytes per round while it can; returns the prefix length.
    ///
    /// # Safety
    /// The CPU has SSSE3; `src` is valid for reads and `dst` for writes of `len` bytes, and
    /// they are equal or do not overlap.
    #[target_feature(enable = "ssse3")]
    pub(super) unsafe fn swap_ssse3<const W: usize>(
        src: *const u8,
        dst: *mut u8,
        len: usize,
    ) -> usize {
        let mask_bytes = lane_mask(W);
        // SAFETY: `mask_bytes` is 16 readable bytes; `loadu` has no alignment requirement.
        let mask = unsafe { _mm_loadu_si128(mask_bytes.as_ptr().cast::<__m128i>()) };
        let mut i = 0;
        while i + 64 <= len {
            // SAFETY: `i + 64 <= len`, so the 4 × 16 bytes at `src + i` and `dst + i` are in
            // bounds; unaligned loads and stores; all four loads come before the stores, so an
            // in-place call (src == dst) reads each byte before overwriting it.
            unsafe {
                let s = src.add(i);
                let d = dst.add(i);
                let a = _mm_loadu_si128(s.cast::<__m128i>());
                let b = _mm_loadu_si128(s.add(16).cast::<__m128i>());
                let c = _mm_loadu_si128(s.add(32).cast::<__m128i>());
                let e = _mm_loadu_si128(s.add(48).cast::<__m128i>());
                _mm_storeu_si128(d.cast::<__m128i>(), _mm_shuffle_epi8(a, mask));
                _mm_storeu_si128(d.add(16).cast::<__m128i>(), _mm_shuffle_epi8(b, mask));
                _mm_storeu_si128(d.add(32).cast::<__m128i>(), _mm_shuffle_epi8(c, mask));
                _mm_storeu_si128(d.add(48).cast::<__m128i>(), _mm_shuffle_epi8(e, mask));
            }
            i += 64;
        }
        while i + 16 <= len {
            // SAFETY: `i + 16 <= len`: the 16 bytes at `src + i` and `dst + i` are in bounds.
            unsafe {
                let a = _mm_loadu_si128(src.add(i).cast::<__m128i>());
                _mm_storeu_si128(dst.add(i).cast::<__m128i>(), _mm_shuffle_epi8(a, mask));
            }
            i += 16;
        }
        i
    }

    /// AVX2: as [`swap_ssse3`] with 32-byte vectors (`vpshufb` shuffles within each 16-byte
    /// lane, and every `W` divides 16), 128 bytes per round while it can, then one 16-byte step.
    ///
    /// # Safety
    /// The CPU has AVX2; `src` is valid for reads and `dst` for writes of `len` bytes, and
    /// they are equal or do not overlap.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn swap_avx2<const W: usize>(
        src: *const u8,
        dst: *mut u8,
        len: usize,
    ) -> usize {
        let lane = lane_mask(W);
        let mut mask_bytes = [0u8; 32];
        mask_bytes[..16].copy_from_slice(&lane);
        mask_bytes[16..].copy_from_slice(&lane);
        // SAFETY: `mask_bytes` is 32 readable bytes; `loadu` has no alignment requirement.
        let mask = unsafe { _mm256_loadu_si256(mask_bytes.as_ptr().cast::<__m256i>()) };
        let mut i = 0;
        while i + 128 <= len {
            // SAFETY: `i + 128 <= len`, so the 4 × 32 bytes at `src + i` and `dst + i` are in
            // bounds; unaligned loads and stores; all loads come before the stores (in-place
            // safe).
            unsafe {
                let s = src.add(i);
                let d = dst.add(i);
                let a = _mm256_loadu_si256(s.cast::<__m256i>());
                let b = _mm256_loadu_si256(s.add(32).cast::<__m256i>());
                let c = _mm256_loadu_si256(s.add(64).cast::<__m256i>());
                let e = _mm256_loadu_si256(s.add(96).cast::<__m256i>());
                _mm256_storeu_si256(d.cast::<__m256i>(), _mm256_shuffle_epi8(a, mask));
                _mm256_storeu_si256(d.add(32).cast::<__m256i>(), _mm256_shuffle_epi8(b, mask));
                _mm256_storeu_si256(d.add(64).cast::<__m256i>(), _mm256_shuffle_epi8(c, mask));
                _mm256_storeu_si256(d.add(96).cast::<__m256i>(), _mm256_shuffle_epi8(e, mask));
            }
            i += 128;
        }
        while i + 32 <= len {
            // SAFETY: `i + 32 <= len`: the 32 bytes at `src + i` and `dst + i` are in bounds.
            unsafe {
                let a = _mm256_loadu_si256(src.add(i).cast::<__m256i>());
                _mm256_storeu_si256(dst.add(i).cast::<__m256i>(), _mm256_shuffle_epi8(a, mask));
            }
            i += 32;
        }
        if i + 16 <= len {
            // SAFETY: `i + 16 <= len`: the 16 bytes at `src + i` and `dst + i` are in bounds;
            // AVX2 implies the SSSE3 `pshufb` used here; the low lane of `mask` is `lane`.
            unsafe {
                let lane_mask = _mm_loadu_si128(lane.as_ptr().cast::<__m128i>());
                let a = _mm_loadu_si128(src.add(i).cast::<__m128i>());
                _mm_storeu_si128(dst.add(i).cast::<__m128i>(), _mm_shuffle_epi8(a, lane_mask));
            }
            i += 16;
        }
        i
    }
}

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod arm {
    use super::lane_mask;
    use core::arch::aarch64::{vld1q_u8, vqtbl1q_u8, vst1q_u8};

    /// NEON: reverses every `W`-byte group of the longest prefix of `len` that is a multiple
    /// of 16 bytes with `tbl` (the same control bytes as `pshufb`); returns the prefix length.
    ///
    /// # Safety
    /// `src` is valid for reads and `dst` for writes of `len` bytes, and they are equal or do
    /// not overlap. (NEON is part of every aarch64 target this module is compiled for.)
    #[target_feature(enable = "neon")]
    pub(super) unsafe fn swap_neon<const W: usize>(
        src: *const u8,
        dst: *mut u8,
        len: usize,
    ) -> usize {
        let mask_bytes = lane_mask(W);
        // SAFETY: `mask_bytes` is 16 readable bytes; `vld1q_u8` has no alignment requirement.
        let mask = unsafe { vld1q_u8(mask_bytes.as_ptr()) };
        let mut i = 0;
        while i + 32 <= len {
            // SAFETY: `i + 32 <= len`: the 2 × 16 bytes at `src + i` and `dst + i` are in
            // bounds; both loads come before the stores (in-place safe).
            unsafe {
                let a = vld1q_u8(src.add(i));
                let b = vld1q_u8(src.add(i + 16));
                vst1q_u8(dst.add(i), vqtbl1q_u8(a, mask));
                vst1q_u8(dst.add(i + 16), vqtbl1q_u8(b, mask));
            }
            i += 32;
        }
        while i + 16 <= len {
            // SAFETY: `i + 16 <= len`: the 16 bytes at `src + i` and `dst + i` are in bounds.
            unsafe { vst1q_u8(dst.add(i), vqtbl1q_u8(vld1q_u8(src.add(i)), mask)) };
            i += 16;
        }
        i
    }
}

/// Runs `f` compiled with AVX2 enabled when this CPU has it, else with SSSE3 when it has
/// that; `None`, with `f` not run, when it has neither (or is not x86_64), for the caller to
/// run `f` as it is.
///
/// For loops of plain, safe code that the compiler vectorizes only with byte shuffles at hand:
/// `FixedRecord`s whose fields all have one width, written or read record after record
/// (`record::fixed::write_slice`, `read_slice`), are runs of loads, byte swaps and stores at
/// consecutive offsets, which LLVM turns into one `vpshufb` per 32 bytes (`pshufb` per 16) in a
/// function that may use them. The default x86_64 target has only SSE2, where a vector byte
/// swap takes several instructions and LLVM keeps the scalar `bswap`s: a mesh of `f32`
/// triangles then costs 2.9 times a `memcpy` of its bytes, and 1.02 times in an AVX2 function
/// (benches/record.rs, `record_bulk_*`). On aarch64 NEON is always there and the plain code is
/// vectorized as it is.
#[inline]
pub(crate) fn with_byte_shuffles<R>(f: impl FnOnce() -> R) -> Option<R> {
    #[cfg(target_arch = "x86_64")]
    {
        // `unsafe fn`s so that `#[target_feature]` is allowed on Rust 1.85; they do nothing
        // unsafe themselves.
        #[target_feature(enable = "avx2")]
        unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        #[target_feature(enable = "ssse3")]
        unsafe fn ssse3<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        let found = features();
        if found & HAS_AVX2 != 0 {
            // SAFETY: the CPU has AVX2 (detected at run time, or assumed by a build without
            // `std` that targets it), which is all `avx2` requires; `f` is safe code.
            return Some(unsafe { avx2(f) });
        }
        if found & HAS_SSSE3 != 0 {
            // SAFETY: as above, for SSSE3.
            return Some(unsafe { ssse3(f) });
        }
    }
    let _ = f;
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::prelude::*;

    #[test]
    fn lane_masks_reverse_each_group() {
        assert_eq!(lane_mask(2)[..4], [1, 0, 3, 2]);
        assert_eq!(lane_mask(4)[..8], [3, 2, 1, 0, 7, 6, 5, 4]);
        assert_eq!(lane_mask(8)[8..], [15, 14, 13, 12, 11, 10, 9, 8]);
        let rev: Vec<u8> = (0..16).rev().collect();
        assert_eq!(lane_mask(16)[..], rev[..]);
    }

    #[test]
    fn compile_time_features_are_a_subset_of_detected_ones() {
        // What the build assumes the CPU has (the no_std choice), the CPU has.
        let assumed = compile_time_features();
        assert_eq!(assumed & features(), assumed);
        assert_eq!(assumed & !(HAS_SSSE3 | HAS_AVX2 | HAS_VARINT_X86), 0);
        // Without std they are all there is (`-C target-feature=+avx2` turns the AVX2 path on).
        #[cfg(not(feature = "std"))]
        assert_eq!(
            features() & (HAS_SSSE3 | HAS_AVX2 | HAS_VARINT_X86),
            assumed
        );
        #[cfg(all(not(feature = "std"), target_arch = "x86_64", target_feature = "avx2"))]
        assert_eq!(BulkPath::best(), BulkPath::Avx2);
    }

    #[test]
    fn portable_is_always_available_and_best_is_available() {
        assert!(BulkPath::Portable.is_available());
        assert!(BulkPath::best().is_available());
    }

    #[test]
    fn unavailable_path_changes_nothing() {
        for path in BulkPath::ALL {
            if path.is_available() {
                continue;
            }
            let mut bytes = [1u8, 2, 3, 4];
            assert!(!swap_in_place(path, &mut bytes, 2));
            assert_eq!(bytes, [1, 2, 3, 4]);
            let mut out = [0u8; 4];
            assert!(!swap_copy(path, &bytes, &mut out, 2));
            assert_eq!(out, [0; 4]);
        }
    }
}
