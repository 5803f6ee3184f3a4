//! Many varints at once: [`decode_batch`] and [`encode_batch`]. The kernels (stop masks, SIMD
//! where the CPU has it) are in `order::simd::varint`; here are the public contract, the
//! dispatch and the scalar loop that finishes what a kernel leaves (the last few bytes, and the
//! block with an error, whose offset the scalar decoder names).

#[cfg(all(test, feature = "alloc"))]
use super::MAX_LEN;
use super::{decode, kernels};
use crate::error::Result;
use crate::order::simd::varint::VarintPath;
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// Decodes up to `out.len()` varints from the front of `bytes` into `out`: `(values decoded,
/// bytes consumed)`.
///
/// Decoding stops when `out` is full, when `bytes` is used up, or before a varint cut off by
/// the end of `bytes`: that one is not an error, it is left unconsumed, so a stream can
/// append more bytes and call again from `bytes[consumed..]`.
///
/// An invalid varint is an error, with the offset of its first byte in `bytes`:
/// [`ErrorKind::Overlong`](crate::ErrorKind::Overlong) or
/// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow), exactly what [`decode`] says of it
/// (the same kind and `len`, the offset moved by where the varint starts). The values before
/// it have been written to `out`; nothing after them has. In short: the result is the one of
/// calling [`decode`] value after value, only faster.
///
/// Speed: 64 bytes at a time, from masks of the bytes that end a value (Masked VByte's idea,
/// for 64-bit values); with AVX2 and BMI2 (`pext`) on x86_64, detected at run time, portable
/// code elsewhere. The last 80 bytes (and a block with an error) go through [`decode`].
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::varint;
///
/// let bytes = [0x01, 0xAC, 0x02, 0x96]; // 1, 300, then a varint cut off
/// let mut out = [0u64; 8];
/// assert_eq!(varint::decode_batch(&bytes, &mut out)?, (2, 3));
/// assert_eq!(out[..2], [1, 300]);
///
/// // `out` full: the rest stays for the next call.
/// assert_eq!(varint::decode_batch(&bytes, &mut out[..1])?, (1, 1));
///
/// // An overlong varint at offset 3: 1, 300 written, then the error.
/// let err = varint::decode_batch(&[0x01, 0xAC, 0x02, 0x80, 0x00], &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Overlong { offset: 3, len: 2 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn decode_batch(bytes: &[u8], out: &mut [u64]) -> Result<(usize, usize)> {
    decode_on(VarintPath::best(), bytes, out)
}

/// [`decode_batch`] on a named [`VarintPath`]; `None` (and `out` untouched) when this CPU
/// cannot run it. For tests and benches (`netorder::__private`).
pub fn decode_batch_on(
    path: VarintPath,
    bytes: &[u8],
    out: &mut [u64],
) -> Option<Result<(usize, usize)>> {
    path.is_available().then(|| decode_on(path, bytes, out))
}

fn decode_on(path: VarintPath, bytes: &[u8], out: &mut [u64]) -> Result<(usize, usize)> {
    let (mut n, mut pos) = kernels::decode_blocks(path, bytes, out);
    // What the kernel left: fewer than 80 bytes, a full `out`, or a block with an error.
    while let Some(slot) = out.get_mut(n) {
        match decode(&bytes[pos..]) {
            Ok((v, len)) => {
                *slot = v;
                n += 1;
                pos += len;
            }
            Err(e) if e.is_incomplete() => break,
            Err(e) => return Err(e.offset_by(pos)),
        }
    }
    Ok((n, pos))
}

/// Appends the varints of `values` to `out`, back to back; returns the bytes appended.
///
/// The same bytes as [`encode`](super::encode) value after value, without a branch on any
/// length: one 10-byte store a value (BMI2 `pdep` on x86_64 where the CPU has it, mask and
/// shift steps elsewhere). `out` grows by at most `10 × values.len()` bytes.
///
/// ```
/// use netorder::int::varint;
///
/// let mut out = vec![0xEE];
/// assert_eq!(varint::encode_batch(&[1, 300, u64::MAX], &mut out), 13);
/// assert_eq!(out[..4], [0xEE, 0x01, 0xAC, 0x02]);
///
/// let mut back = [0u64; 3];
/// assert_eq!(varint::decode_batch(&out[1..], &mut back)?, (3, 13));
/// assert_eq!(back, [1, 300, u64::MAX]);
///
/// // 5 bytes is not a whole varint of u64::MAX: only the first two values come back.
/// assert_eq!(varint::decode_batch(&out[1..9], &mut back)?, (2, 3));
/// # Ok::<(), netorder::Error>(())
/// ```
#[cfg(feature = "alloc")]
#[inline]
pub fn encode_batch(values: &[u64], out: &mut Vec<u8>) -> usize {
    kernels::encode_append(VarintPath::best(), values, out).expect("the best path is available")
}

/// [`encode_batch`] on a named [`VarintPath`]; `None` (and `out` untouched) when this CPU
/// cannot run it. For tests and benches (`netorder::__private`).
#[cfg(feature = "alloc")]
pub fn encode_batch_on(path: VarintPath, values: &[u64], out: &mut Vec<u8>) -> Option<usize> {
    kernels::encode_append(path, values, out)
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// The scalar loop the batch decoder must match.
    fn reference(bytes: &[u8], out: &mut [u64]) -> Result<(usize, usize)> {
        let (mut n, mut pos) = (0, 0);
        while n < out.len() {
            match decode(&bytes[pos..]) {
                Ok((v, len)) => {
                    out[n] = v;
                    n += 1;
                    pos += len;
                }
                Err(e) if e.is_incomplete() => break,
                Err(e) => return Err(e.offset_by(pos)),
            }
        }
        Ok((n, pos))
    }

    #[test]
    fn an_error_after_many_blocks_has_its_offset() {
        let values: Vec<u64> = (0..3000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (i % 64))
            .collect();
        let mut bytes = Vec::new();
        encode_batch(&values, &mut bytes);
        let at = bytes.len();
        bytes.extend_from_slice(&[0xFF; MAX_LEN]);
        bytes.extend_from_slice(&[0; 100]);
        for path in VarintPath::ALL {
            let mut out = alloc::vec![0u64; 4000];
            let Some(got) = decode_batch_on(path, &bytes, &mut out) else {
                continue;
            };
            let err = got.unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::Overflow {
                    offset: at,
                    bits: 64
                },
                "{path:?}"
            );
            assert_eq!(out[..3000], values[..]);
            assert!(out[3000..].iter().all(|&v| v == 0));
            let mut want = alloc::vec![0u64; 4000];
            assert_eq!(reference(&bytes, &mut want).unwrap_err(), err);
        }
    }
}
