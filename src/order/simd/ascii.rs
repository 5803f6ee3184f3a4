//! ASCII decimal kernel for `int::ascii` (layer 2 calls down into it): the run of digits at the
//! start of 24 bytes, its length and its value, without a branch on the length.
//!
//! On x86_64 the first 16 bytes go through SSE2, which every x86_64 CPU has (so there is no
//! run-time detection, and the kernel inlines into its caller): one compare for the digit mask,
//! `pmaddwd` steps for the value of 16 digits (pairs, quads, octets, as in Lemire's "fast
//! integer parsing" with SIMD). The digits after the run are zeroed first, so the 16-digit value
//! is the run's value times `10^(16 - run)`; an exact division by a power of ten is a shift and
//! a multiply by the inverse of `5^k` modulo 2^64. Bytes 17 to 20 are a SWAR word. Elsewhere
//! the whole window is SWAR ([`digits24_portable`], tested against the SSE2 code here).

/// `10^n` for `n` in `0..=19`.
pub(crate) const POW10: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// The inverse of `5^k` modulo 2^64 for `k` in `0..=16`: `x / 10^k` for an `x` that `10^k`
/// divides is `(x >> k) * INV5[k]` (wrapping).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const INV5: [u64; 17] = {
    let mut table = [1u64; 17];
    let mut k = 0;
    while k < 17 {
        let a = POW10[k] >> k; // 5^k, odd
        // Newton's iteration doubles the correct low bits: 3, 6, 12, 24, 48, 96.
        let mut x = a;
        let mut i = 0;
        while i < 5 {
            x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
            i += 1;
        }
        table[k] = x;
        k += 1;
    }
    table
};

/// SWAR: the value of 8 digits (0 to 9 each, the first, most significant one in the lowest
/// byte): combine pairs, quads and octets, one multiply each.
#[inline(always)]
pub(crate) const fn value8(mut d: u64) -> u64 {
    d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    d = (d.wrapping_mul(100) + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    (d.wrapping_mul(10_000) + (d >> 32)) & 0xFFFF_FFFF
}

/// The 8 bytes of `chunk` as a little-endian word with `'0'` subtracted from each byte (digits
/// become 0 to 9), and bit 7 set in each byte of the mask that is not an ASCII digit.
#[inline(always)]
pub(crate) const fn classify(chunk: [u8; 8]) -> (u64, u64) {
    // Digits become 0..=9 in their byte; anything else becomes >= 10 or has bit 7 set.
    let x = u64::from_le_bytes(chunk) ^ 0x3030_3030_3030_3030;
    let not_digit =
        (((x & 0x7F7F_7F7F_7F7F_7F7F) + 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080;
    (x, not_digit)
}

/// The first `c` digits (0 to 8) of the classified word `x`, moved to its top bytes (the zeros
/// below them are leading zeros, so [`value8`] of the result is their value); 0 for `c = 0`.
#[inline(always)]
const fn top(x: u64, c: usize) -> u64 {
    x.wrapping_shl(8 * (8 - c) as u32) & ((c != 0) as u64).wrapping_neg()
}

/// `Some((value, digits))` when `window` starts with 1 to 20 canonical digits (no leading
/// zero) whose value fits a `u64`; `None` otherwise (no digit, a leading zero, more than 20
/// digits, past `u64::MAX`). Branch free.
#[inline(always)]
pub(crate) fn digits24(window: &[u8; 24]) -> Option<(u64, usize)> {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::digits24(window)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        digits24_portable(window)
    }
}

/// [`digits24`] in plain Rust (the kernel off x86_64; tested against SSE2 on it): three SWAR words, each one's digits moved to its top bytes and
/// summed by [`value8`].
#[inline(always)]
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(crate) fn digits24_portable(window: &[u8; 24]) -> Option<(u64, usize)> {
    let word = |i: usize| classify(*window[8 * i..].first_chunk::<8>().expect("3 × 8 bytes"));
    let ((x0, nd0), (x1, nd1), (x2, nd2)) = (word(0), word(1), word(2));
    // The first non-digit: in the first two words (one 128-bit `trailing_zeros`), else the
    // third; no branch (this is a stream decoder's loop-carried path).
    let t01 = (u128::from(nd0) | (u128::from(nd1) << 64)).trailing_zeros();
    let t2 = (nd2 | (1 << 63)).trailing_zeros();
    let t = t01 + (t2 & 0u32.wrapping_sub(t01 >> 7));
    let n = (t / 8) as usize;
    let (c0, c1, c2) = (
        n.min(8),
        n.saturating_sub(8).min(8),
        n.saturating_sub(16).min(8),
    );
    let (v0, v1, v2) = (
        value8(top(x0, c0)),
        value8(top(x1, c1)),
        value8(top(x2, c2)),
    );
    let value = u128::from(v0) * u128::from(POW10[c1 + c2]) + u128::from(v1 * POW10[c2] + v2);
    finish(window, n, value)
}

/// The checks shared by both kernels: 1 to 20 digits, no leading zero, at most `u64::MAX`.
#[inline(always)]
fn finish(window: &[u8; 24], n: usize, value: u128) -> Option<(u64, usize)> {
    let canonical = (n == 1) | (window[0] != b'0');
    ((1..=20).contains(&n) & canonical & (value <= u128::from(u64::MAX)))
        .then_some((value as u64, n))
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::{INV5, POW10, classify, finish, top, value8};
    use core::arch::x86_64::{
        _mm_and_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_cvtsi128_si64, _mm_loadu_si128,
        _mm_madd_epi16, _mm_min_epu8, _mm_movemask_epi8, _mm_packs_epi32, _mm_set1_epi8,
        _mm_set1_epi32, _mm_setr_epi8, _mm_setzero_si128, _mm_sub_epi8, _mm_unpackhi_epi8,
        _mm_unpacklo_epi8,
    };

    /// [`super::digits24`] with SSE2 for the first 16 bytes.
    #[inline(always)]
    pub(super) fn digits24(window: &[u8; 24]) -> Option<(u64, usize)> {
        let (x2, nd2) = classify(*window[16..].first_chunk::<8>().expect("8 of 24"));
        // SAFETY: `window` is 24 readable bytes, the load reads its first 16 (unaligned). SSE2
        // is part of every x86_64 target, so the intrinsics are available. (They sit in the
        // block of the load: before Rust 1.87 every intrinsic was an `unsafe fn`.)
        let (run, octets) = unsafe {
            let bytes = _mm_loadu_si128(window.as_ptr().cast());
            let d = _mm_sub_epi8(bytes, _mm_set1_epi8(b'0' as i8));
            // A digit byte is 0..=9 after the subtraction: min(d, 9) == d (unsigned).
            let is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
            let digit_mask = _mm_movemask_epi8(is_digit) as u32;
            let run = (!digit_mask | 0x1_0000).trailing_zeros();
            // Zero everything from the first non-digit on (signed compare: run <= 16).
            let iota = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            let d = _mm_and_si128(d, _mm_cmplt_epi8(iota, _mm_set1_epi8(run as i8)));
            let zero = _mm_setzero_si128();
            // Pairs (d0 * 10 + d1), quads (* 100), octets (* 10000) in 32-bit lanes.
            let ten = _mm_set1_epi32(0x0001_000A);
            let pairs = _mm_packs_epi32(
                _mm_madd_epi16(_mm_unpacklo_epi8(d, zero), ten),
                _mm_madd_epi16(_mm_unpackhi_epi8(d, zero), ten),
            );
            let quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001_0064));
            let octets = _mm_madd_epi16(_mm_packs_epi32(quads, quads), _mm_set1_epi32(0x0001_2710));
            (run as usize, _mm_cvtsi128_si64(octets) as u64)
        };
        // All 16 digits: then the digits of the third word count too.
        let more = (nd2 | (1 << 63)).trailing_zeros() as usize / 8;
        let n = run + (more & 0usize.wrapping_sub(run >> 4));
        // The 16-digit number is the run's value times 10^(16 - run): divide exactly.
        let k = 16 - run;
        let v16 = ((octets & 0xFFFF_FFFF) * 100_000_000 + (octets >> 32)) >> k;
        let v16 = v16.wrapping_mul(INV5[k]);
        let c2 = n.saturating_sub(16).min(8);
        let value = u128::from(v16) * u128::from(POW10[c2]) + u128::from(value8(top(x2, c2)));
        finish(window, n, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn inverses_of_powers_of_five() {
        for (k, inv) in INV5.iter().enumerate() {
            assert_eq!((POW10[k] >> k).wrapping_mul(*inv), 1, "{k}");
            assert_eq!((POW10[k] * 7).wrapping_shr(k as u32).wrapping_mul(*inv), 7);
        }
    }

    fn window(text: &[u8]) -> [u8; 24] {
        let mut w = [b'x'; 24];
        w[..text.len()].copy_from_slice(text);
        w
    }

    #[test]
    fn both_kernels_read_the_same_runs() {
        let mut cases: Vec<[u8; 24]> = alloc::vec![
            window(b""),
            window(b"0"),
            window(b"0\n"),
            window(b"00"),
            window(b"01"),
            window(b"7 8"),
            window(b"18446744073709551615\n"),
            window(b"18446744073709551616\n"),
            window(b"99999999999999999999\n"),
            window(b"9999999999999999999\n"),
            window(b"123456789012345678901"),
            *b"123456789012345678901234",
            *b"1234567890123456\n1234567",
        ];
        for n in 1..=24 {
            for fill in [b'1', b'9', b'0'] {
                let mut w = [fill; 24];
                w[0] = b'5';
                if n < 24 {
                    w[n] = b'/';
                }
                cases.push(w);
                w[n.min(23)] = b':';
                cases.push(w);
                w[n.min(23)] = 0x80 | b'0';
                cases.push(w);
            }
        }
        for w in cases {
            let want = {
                let n = w.iter().take_while(|b| b.is_ascii_digit()).count();
                let text = core::str::from_utf8(&w[..n]).unwrap();
                let fits = text.parse::<u64>().ok();
                ((1..=20).contains(&n) && (n == 1 || w[0] != b'0'))
                    .then_some(fits)
                    .flatten()
                    .map(|v| (v, n))
            };
            assert_eq!(
                digits24_portable(&w),
                want,
                "{:?}",
                core::str::from_utf8(&w)
            );
            assert_eq!(digits24(&w), want, "{:?}", core::str::from_utf8(&w));
        }
    }
}
