//! ZigZag varints (protobuf's `sint64`): an `i64` mapped so that small magnitudes get small
//! codes (`0 → 0, -1 → 1, 1 → 2, -2 → 3, …`), then written as an unsigned LEB128
//! [`varint`].
//!
//! In [`IntEncoding::ZigZag`](crate::IntEncoding::ZigZag) the `u64` is the bit pattern of the
//! `i64` (`-1i64 as u64`). `|n| < 64` takes 1 byte, `|n| < 8192` 2 bytes; `i64::MIN` and
//! `i64::MAX` take 10.
//!
//! ```
//! use netorder::ErrorKind;
//! use netorder::int::zigzag;
//!
//! let mut buf = [0u8; 10];
//! let n = zigzag::encode(-2, &mut buf)?;
//! assert_eq!(&buf[..n], [0x03]);
//! assert_eq!(zigzag::decode(&buf[..n])?, (-2, 1));
//! // Strictness is the varint's: an overlong form is refused.
//! assert_eq!(zigzag::decode(&[0x83, 0x00]).unwrap_err().kind(), &ErrorKind::Overlong { offset: 0, len: 2 });
//! # Ok::<(), netorder::Error>(())
//! ```

use super::varint;
#[cfg(doc)]
use crate::error::ErrorKind;
use crate::error::Result;

/// The zigzag map: `0 → 0, -1 → 1, 1 → 2, -2 → 3, …, i64::MAX → u64::MAX - 1,
/// i64::MIN → u64::MAX`. A bijection; [`decode_i64`] is its inverse.
///
/// ```
/// use netorder::int::zigzag::encode_i64;
/// assert_eq!(encode_i64(-1), 1);
/// assert_eq!(encode_i64(1), 2);
/// assert_eq!(encode_i64(i64::MIN), u64::MAX);
/// ```
#[inline]
pub const fn encode_i64(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

/// The inverse of [`encode_i64`]: `1 → -1, 2 → 1, u64::MAX → i64::MIN`.
///
/// ```
/// use netorder::int::zigzag::decode_i64;
/// assert_eq!(decode_i64(3), -2);
/// assert_eq!(decode_i64(u64::MAX - 1), i64::MAX);
/// ```
#[inline]
pub const fn decode_i64(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Bytes the zigzag varint of `n` takes, 1 to 10.
///
/// ```
/// use netorder::int::zigzag::encoded_len;
/// assert_eq!(encoded_len(-64), 1);
/// assert_eq!(encoded_len(64), 2);
/// assert_eq!(encoded_len(i64::MIN), 10);
/// ```
#[inline]
pub const fn encoded_len(n: i64) -> usize {
    varint::encoded_len(encode_i64(n))
}

/// Writes the zigzag varint of `n` at the start of `out`; returns the bytes written (1 to 10).
/// Only those bytes are written. `out` too short: [`ErrorKind::BufferTooSmall`], as for
/// [`varint::encode`], and `out` is untouched.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::zigzag;
/// let mut buf = [0u8; 10];
/// assert_eq!(zigzag::encode(-1, &mut buf)?, 1);
/// assert_eq!(buf[0], 0x01);
/// let err = zigzag::encode(i64::MIN, &mut buf[..9]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 10, available: 9 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode(n: i64, out: &mut [u8]) -> Result<usize> {
    varint::encode(encode_i64(n), out)
}

/// The zigzag varint of `n` at the start of an array, and its length (1 to 10): never fails.
///
/// ```
/// use netorder::int::zigzag;
/// let (bytes, len) = zigzag::encode_array(-65);
/// assert_eq!(&bytes[..len], [0x81, 0x01]);
/// ```
#[inline]
pub fn encode_array(n: i64) -> ([u8; varint::MAX_LEN], usize) {
    varint::encode_array(encode_i64(n))
}

/// Decodes a zigzag varint from the start of `bytes`: `(value, bytes consumed)`. Errors are
/// those of [`varint::decode`].
///
/// ```
/// use netorder::int::zigzag;
/// assert_eq!(zigzag::decode(&[0x02])?, (1, 1));
/// assert!(zigzag::decode(&[0x81]).unwrap_err().is_incomplete());
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn decode(bytes: &[u8]) -> Result<(i64, usize)> {
    let (z, n) = varint::decode(bytes)?;
    Ok((decode_i64(z), n))
}
