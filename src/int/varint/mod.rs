//! Unsigned LEB128 varints (protobuf's `uint64`): 7 bits per byte, least significant group
//! first, the high bit set on every byte but the last. 1 to [`MAX_LEN`] bytes.
//!
//! The decoder is strict: it accepts only the shortest encoding of each value.
//!
//! | input | result |
//! |---|---|
//! | `AC 02` | `Ok((300, 2))` |
//! | (empty), `80`, `FF FF` | [`ErrorKind::Incomplete`]: a continuation bit promises more |
//! | `80 00`, `FF 80 00` | [`ErrorKind::Overlong`]: a final zero group adds nothing |
//! | 9 × `FF` then `02`..=`7F` | [`ErrorKind::Overflow`]: bits past 64 |
//! | 9 × `FF` then `80`..=`FF` | [`ErrorKind::Overflow`]: an 11th byte would be needed |
//!
//! One value at a time: [`encode`] (into a slice), [`encode_array`] (infallible, into an array),
//! [`decode`]; many at once: [`encode_batch`] and [`decode_batch`], which take the SIMD path
//! where the CPU has one (see [`decode_batch`]).
//!
//! ```
//! use netorder::ErrorKind;
//! use netorder::int::varint;
//!
//! let mut buf = [0u8; varint::MAX_LEN];
//! let n = varint::encode(624_485, &mut buf)?;
//! assert_eq!(&buf[..n], [0xE5, 0x8E, 0x26]);
//! assert_eq!(varint::decode(&buf[..n])?, (624_485, 3));
//!
//! let err = varint::decode(&[0x80, 0x00]).unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::Overlong { offset: 0, len: 2 });
//! # Ok::<(), netorder::Error>(())
//! ```

// Without `alloc` the docs still name `encode_batch` (it links with it).
#![cfg_attr(not(feature = "alloc"), allow(rustdoc::broken_intra_doc_links))]

// `pub(crate)`: `__private` re-exports its `*_on` hooks.
pub(crate) mod batch;

use crate::order::simd::varint as kernels;
pub use batch::decode_batch;
#[cfg(feature = "alloc")]
pub use batch::encode_batch;

use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// The longest varint of a `u64`: 10 bytes (`u64::MAX` is 9 × `FF` then `01`).
///
/// ```
/// use netorder::int::varint;
/// let (bytes, n) = varint::encode_array(u64::MAX);
/// assert_eq!(n, varint::MAX_LEN);
/// assert_eq!(bytes, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
/// // an 11th byte is never accepted
/// assert!(!varint::decode(&[0xFF; 11]).unwrap_err().is_incomplete());
/// ```
pub const MAX_LEN: usize = 10;

/// Bytes the varint of `v` takes: `max(1, ceil(bits(v) / 7))`, 1 to 10.
///
/// ```
/// use netorder::int::varint::encoded_len;
/// assert_eq!(encoded_len(0), 1);
/// assert_eq!(encoded_len(127), 1);
/// assert_eq!(encoded_len(128), 2);
/// assert_eq!(encoded_len(u64::MAX), 10);
/// ```
#[inline]
pub const fn encoded_len(v: u64) -> usize {
    kernels::encoded_len(v)
}

/// Writes the varint of `v` at the start of `out`; returns the bytes written (1 to 10). Only
/// those bytes are written: the rest of `out` is left as it was.
///
/// `out` shorter than the encoding: [`ErrorKind::BufferTooSmall`] `{ needed, available }`, and
/// `out` is untouched. A `[u8; MAX_LEN]` (or any slice of at least [`MAX_LEN`] bytes) always
/// has room; [`encode_array`] returns one.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::varint;
///
/// let mut buf = [0xEE; 4];
/// assert_eq!(varint::encode(300, &mut buf)?, 2);
/// assert_eq!(buf, [0xAC, 0x02, 0xEE, 0xEE]);
/// let err = varint::encode(1 << 21, &mut buf[..2]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 4, available: 2 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode(v: u64, out: &mut [u8]) -> Result<usize> {
    match out.first_chunk_mut::<MAX_LEN>() {
        // Room for any varint: a byte loop, which writes exactly the bytes of this one (the
        // branch-free word of `encode_array` would need a variable-length copy: a `memcpy`
        // call, 9.1 against about 3 ns a value here).
        Some(chunk) => {
            let (mut v, mut i) = (v, 0);
            // At most 9 rounds: each shifts 7 bits out and 9 × 7 = 63, so `i` stays below 10.
            while v >= 0x80 {
                chunk[i] = (v as u8) | 0x80;
                v >>= 7;
                i += 1;
            }
            chunk[i] = v as u8;
            Ok(i + 1)
        }
        None => {
            let (bytes, len) = encode_array(v);
            let available = out.len();
            let dst = out
                .get_mut(..len)
                .ok_or_else(|| too_small(len, available))?;
            dst.copy_from_slice(&bytes[..len]);
            Ok(len)
        }
    }
}

#[cold]
fn too_small(needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::BufferTooSmall { needed, available })
}

/// The varint of `v` at the start of an array, and its length (1 to 10): never fails, never
/// allocates. Bytes past the length are 0.
///
/// ```
/// use netorder::int::varint;
/// let (bytes, n) = varint::encode_array(300);
/// assert_eq!(&bytes[..n], [0xAC, 0x02]);
/// assert_eq!(varint::decode(&bytes)?, (300, 2));
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_array(v: u64) -> ([u8; MAX_LEN], usize) {
    // No branch on the length: the 7-bit groups spread to bytes by mask-and-shift steps, the
    // continuation bits from a table. (The byte loop it replaces exits after 1, 5 or 10
    // rounds on issue 16's mixed values, a branch no predictor learns.)
    let (lo, hi, len) = kernels::spread(v);
    let mut bytes = [0u8; MAX_LEN];
    bytes[..8].copy_from_slice(&lo.to_le_bytes());
    bytes[8..].copy_from_slice(&hi.to_le_bytes());
    (bytes, len)
}

/// Appends the varint of `v` to `out`; returns the bytes written. One 16-byte store and a
/// length update, no branch on the length.
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn append(v: u64, out: &mut Vec<u8>) -> usize {
    let (bytes, len) = kernels::spread16(v);
    let start = out.len();
    out.extend_from_slice(&bytes);
    out.truncate(start + len);
    len
}

/// Decodes a varint from the start of `bytes`: `(value, bytes consumed)`. Bytes after the
/// varint are left for the caller.
///
/// Errors (offsets are from the start of `bytes`):
/// - [`ErrorKind::Incomplete`] `{ offset: 0, needed: n + 1, available: n }` when all `n`
///   bytes present have the continuation bit set (`n = 0` included);
/// - [`ErrorKind::Overlong`] `{ offset: 0, len }` when the last byte of a multi-byte varint
///   is `00`: a shorter encoding of the same value exists;
/// - [`ErrorKind::Overflow`] `{ offset: 0, bits: 64 }` when the 10th byte is above `01`
///   (bits past 64, or a continuation bit asking for an 11th byte).
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::varint;
///
/// assert_eq!(varint::decode(&[0x96, 0x01, 0xFF])?, (150, 2));
/// let err = varint::decode(&[0x96]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 2, available: 1 });
/// let err = varint::decode(&[0xFF; 10]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Overflow { offset: 0, bits: 64 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn decode(bytes: &[u8]) -> Result<(u64, usize)> {
    match bytes.first_chunk::<MAX_LEN>() {
        // The common case: the length from the first stop bit, the value from the word, one
        // check, no branch on the length (see `order::simd::varint::decode_word`). The
        // unrolled byte loop it replaces branched once a byte, and on issue 16's shuffled
        // lengths mispredicted about once a value.
        Some(chunk) => match kernels::decode_word(chunk) {
            Some(ok) => Ok(ok),
            None => Err(decode_bytes(bytes).expect_err("decode_word refused it")),
        },
        None => decode_bytes(bytes),
    }
}

/// The reference decoder, one byte at a time: every length, every error. Used for inputs
/// shorter than 10 bytes and to name the error `decode_word` refused.
#[inline(never)]
pub(crate) fn decode_bytes(bytes: &[u8]) -> Result<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().take(MAX_LEN).enumerate() {
        value |= u64::from(b & 0x7F) << (7 * i);
        if b < 0x80 {
            if b == 0 && i > 0 {
                return Err(Error::new(ErrorKind::Overlong {
                    offset: 0,
                    len: i + 1,
                }));
            }
            if i == MAX_LEN - 1 && b > 1 {
                return Err(overflow());
            }
            return Ok((value, i + 1));
        }
    }
    if bytes.len() >= MAX_LEN {
        return Err(overflow());
    }
    Err(Error::new(ErrorKind::Incomplete {
        offset: 0,
        needed: bytes.len() + 1,
        available: bytes.len(),
    }))
}

#[cold]
fn overflow() -> Error {
    Error::new(ErrorKind::Overflow {
        offset: 0,
        bits: 64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_and_byte_decoders_agree_at_every_boundary() {
        for k in 0..64 {
            for v in [(1u64 << k) - 1, 1 << k, (1 << k) + 1] {
                let (bytes, n) = encode_array(v);
                let mut ten = [0xFFu8; MAX_LEN];
                ten[..n].copy_from_slice(&bytes[..n]);
                assert_eq!(kernels::decode_word(&ten), Some((v, n)), "{v:#x}");
                assert_eq!(decode_bytes(&ten), Ok((v, n)));
                assert_eq!(decode(&ten), Ok((v, n)));
            }
        }
    }
}
