//! Hooks for the crate's own tests, benches, fuzz targets and derive: public only so that they
//! can reach them. Not part of the API (hidden from the docs, no semver promise): nothing
//! outside this repository should name `netorder::__private`.
//!
//! - Bulk paths: [`BulkPath`] and the `*_on` functions run a named SIMD (or the portable) path
//!   of [`convert_in_place`](crate::convert_in_place), [`read_slice`](crate::read_slice) and
//!   [`write_slice`](crate::write_slice), so that tests and benches can force each one.
//! - Batch varint paths: [`VarintPath`], [`decode_batch_on`] and `encode_batch_on` run a named
//!   SIMD (or the portable) path of
//!   [`int::varint::decode_batch`](crate::int::varint::decode_batch) and `encode_batch`.
//! - What `#[derive(FixedRecord)]`'s generated code calls besides the trait:
//!   [`in_field`] and [`in_index`]; for bit fields the word loads and stores ([`load_be`],
//!   [`store_be`] and their 128-bit twins), [`bits_out_of_range`] and [`no_variant`]; for
//!   views [`view`] and [`view_mut`]; for descriptions the [`Describe`] visitor. (The trait's
//!   own `__` methods are what a derived impl defines, so they stay on
//!   [`FixedRecord`](crate::record::FixedRecord), hidden.)

use crate::error::{Error, ErrorKind, Result};
use crate::record::FixedRecord;
use crate::record::path::Seg;

pub use crate::int::varint::batch::decode_batch_on;
#[cfg(feature = "alloc")]
pub use crate::int::varint::batch::encode_batch_on;
pub use crate::record::bits::{bits_needed, max_of};
pub use crate::record::describe::{
    BitKind, Describe, Seg as DescribeSeg, bit_kind as describe_bit_kind,
};

pub use crate::order::bulk::{BulkPath, convert_in_place_on, read_slice_on, write_slice_on};
pub use crate::order::simd::varint::VarintPath;

/// Prepends a struct field's name to an error's field path (a derived record's field).
///
/// ```
/// use netorder::{Error, ErrorKind};
/// let e = Error::new(ErrorKind::InvalidBool { offset: 3, byte: 2 });
/// let e = netorder::__private::in_field(netorder::__private::in_index(e, 1), "flags");
/// # #[cfg(feature = "alloc")]
/// assert_eq!(e.field(), Some("flags[1]"));
/// assert_eq!(e.offset(), Some(3));
/// ```
#[cold]
#[inline(never)]
pub fn in_field(e: Error, name: &'static str) -> Error {
    prepend(e, Seg::Field(name))
}

/// Prepends an element's `[index]` to an error's field path (an array or tuple element).
///
/// ```
/// use netorder::{Error, ErrorKind};
/// let e = netorder::__private::in_index(Error::new(ErrorKind::InvalidBool { offset: 0, byte: 9 }), 2);
/// # #[cfg(feature = "alloc")]
/// assert_eq!(e.field(), Some("[2]"));
/// ```
#[cold]
#[inline(never)]
pub fn in_index(e: Error, index: usize) -> Error {
    prepend(e, Seg::Index(index))
}

#[cfg(feature = "alloc")]
fn prepend(e: Error, seg: Seg) -> Error {
    let path = crate::record::path::join(seg, e.field());
    e.with_field(path)
}

/// Without `alloc`, errors carry no field path.
#[cfg(not(feature = "alloc"))]
fn prepend(e: Error, _seg: Seg) -> Error {
    e
}

/// The error for a bit field's value that does not fit its `bits` (the caller adds the path).
///
/// ```
/// let e = netorder::__private::bits_out_of_range(16, 4);
/// assert_eq!(e.kind(), &netorder::ErrorKind::BitsOutOfRange { value: 16, bits: 4 });
/// ```
#[cold]
#[inline(never)]
pub fn bits_out_of_range(value: u64, bits: u32) -> Error {
    crate::record::bits::out_of_range(value, bits)
}

/// The error for enum bits at `offset` that are no variant (the caller adds the path).
///
/// ```
/// let e = netorder::__private::no_variant(2, 3);
/// assert_eq!(e.kind(), &netorder::ErrorKind::InvalidVariant { offset: 2, index: 3 });
/// ```
#[cold]
#[inline(never)]
pub fn no_variant(offset: usize, bits: u64) -> Error {
    crate::record::bits::no_variant(offset, bits)
}

/// The first `W` bytes of `bytes` (`W` at most 8) as a big-endian number.
///
/// ```
/// assert_eq!(netorder::__private::load_be::<3>(&[1, 2, 3, 4]), 0x010203);
/// ```
#[inline(always)]
pub fn load_be<const W: usize>(bytes: &[u8]) -> u64 {
    let mut raw = [0u8; 8];
    raw[8 - W..].copy_from_slice(&bytes[..W]);
    u64::from_be_bytes(raw)
}

/// The first `W` bytes of `bytes` (`W` at most 16) as a big-endian number.
///
/// ```
/// assert_eq!(netorder::__private::load_be128::<9>(&[1; 9]), 0x010101010101010101);
/// ```
#[inline(always)]
pub fn load_be128<const W: usize>(bytes: &[u8]) -> u128 {
    let mut raw = [0u8; 16];
    raw[16 - W..].copy_from_slice(&bytes[..W]);
    u128::from_be_bytes(raw)
}

/// Writes the low `W` bytes of `word` (`W` at most 8) big-endian into the start of `out`.
///
/// ```
/// let mut out = [0u8; 3];
/// netorder::__private::store_be::<3>(0x010203, &mut out);
/// assert_eq!(out, [1, 2, 3]);
/// ```
#[inline(always)]
pub fn store_be<const W: usize>(word: u64, out: &mut [u8]) {
    out[..W].copy_from_slice(&word.to_be_bytes()[8 - W..]);
}

/// Writes the low `W` bytes of `word` (`W` at most 16) big-endian into the start of `out`.
///
/// ```
/// let mut out = [0u8; 9];
/// netorder::__private::store_be128::<9>(1, &mut out);
/// assert_eq!(out, [0, 0, 0, 0, 0, 0, 0, 0, 1]);
/// ```
#[inline(always)]
pub fn store_be128<const W: usize>(word: u128, out: &mut [u8]) {
    out[..W].copy_from_slice(&word.to_be_bytes()[16 - W..]);
}

/// A view's parts: the first `N` (= `T::SIZE`) bytes, checked as `T` would be decoded, and
/// the rest. Fewer than `N` bytes is [`ErrorKind::Incomplete`].
///
/// ```
/// let (head, rest) = netorder::__private::view::<u16, 2>(&[1, 2, 3])?;
/// assert_eq!((head, rest), (&[1, 2], &[3][..]));
/// assert!(netorder::__private::view::<u16, 2>(&[1]).unwrap_err().is_incomplete());
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn view<T: FixedRecord, const N: usize>(bytes: &[u8]) -> Result<(&[u8; N], &[u8])> {
    match bytes.split_first_chunk::<N>() {
        Some((head, rest)) if T::__is_valid(head) => Ok((head, rest)),
        Some((head, _)) => Err(crate::record::fixed::invalid::<T>(head)),
        None => Err(too_short(bytes.len(), N)),
    }
}

/// [`view`] for a mutable view.
///
/// ```
/// let mut bytes = [1, 2, 3];
/// let (head, rest) = netorder::__private::view_mut::<bool, 1>(&mut bytes)?;
/// head[0] = 0;
/// rest[0] = 9;
/// assert_eq!(bytes, [0, 9, 3]);
/// let err = netorder::__private::view_mut::<bool, 1>(&mut [2]).unwrap_err();
/// assert_eq!(err.kind(), &netorder::ErrorKind::InvalidBool { offset: 0, byte: 2 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn view_mut<T: FixedRecord, const N: usize>(
    bytes: &mut [u8],
) -> Result<(&mut [u8; N], &mut [u8])> {
    let len = bytes.len();
    match bytes.split_first_chunk_mut::<N>() {
        Some((head, rest)) if T::__is_valid(head) => Ok((head, rest)),
        Some((head, _)) => Err(crate::record::fixed::invalid::<T>(head)),
        None => Err(too_short(len, N)),
    }
}

#[cold]
fn too_short(available: usize, needed: usize) -> Error {
    Error::new(ErrorKind::Incomplete {
        offset: 0,
        needed,
        available,
    })
}
