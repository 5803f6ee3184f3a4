//! Fixed-size records without serde: `#[derive(FixedRecord)]`.
//!
//! A struct whose fields all have a fixed encoded size (integers, floats, `bool`, arrays,
//! tuples and other `FixedRecord` structs) can derive [`FixedRecord`]. Its encoder and decoder
//! then write and read every field at a constant offset, after **one** length check for the
//! whole record, the code one would write by hand with `to_be_bytes`/`from_be_bytes`. The
//! serde path ([`to_slice`](crate::record::to_slice), [`from_bytes`](crate::record::from_bytes))
//! cannot tell a record's size in advance and checks room field by field; see the README's
//! Performance table for what that costs. [`write_slice`] and [`read_slice`] take many records
//! at once.
//!
//! The bytes are exactly those of the serde path with the default [`Config`](super::Config)
//! (network order, fixed-width integers: bincode 2's big-endian fixed-int configuration), and of
//! Python's `struct` with a `!` format. A type may derive both `FixedRecord` and
//! `Serialize`/`Deserialize`, and both paths agree byte for byte (tested, and fuzzed).
//!
//! | field type | bytes |
//! |---|---|
//! | `u8`..`u128`, `i8`..`i128` | big-endian, full width |
//! | `f32`, `f64` | IEEE 754, big-endian |
//! | `bool` | one byte, `0` or `1` (any other byte is [`ErrorKind::InvalidBool`]) |
//! | `[T; N]`, tuples (up to 12), `()`, derived structs | the elements in order, no length |
//! | `PhantomData<T>` | none (as serde writes it) |
//!
//! Not fixed-size, and so refused at compile time: `char` (UTF-8, 1 to 4 bytes), `usize`/`isize`
//! (their range differs between targets), `Option`, `Vec`, `String`, enums. Use the serde path
//! for those.
//!
//! ```
//! use netorder::record::{FixedRecord, fixed};
//!
//! #[derive(FixedRecord, Debug, PartialEq)]
//! struct Header { kind: u8, len: u16, seq: u32, up: bool }
//!
//! assert_eq!(Header::SIZE, 8);
//! let h = Header { kind: 1, len: 0x0203, seq: 0x04050607, up: true };
//! let mut buf = [0u8; Header::SIZE];
//! fixed::to_slice(&h, &mut buf)?;
//! assert_eq!(buf, [1, 2, 3, 4, 5, 6, 7, 1]); // struct.pack("!BHI?", 1, 0x203, 0x4050607, True)
//! assert_eq!(fixed::from_bytes::<Header>(&buf)?, h);
//!
//! // Hostile input: a bool that is neither 0 nor 1, with its offset and field.
//! buf[7] = 2;
//! let err = fixed::from_bytes::<Header>(&buf).unwrap_err();
//! assert_eq!(err.kind(), &netorder::ErrorKind::InvalidBool { offset: 7, byte: 2 });
//! assert_eq!(err.field(), Some("up"));
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! A type of variable size does not compile:
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Named { id: u32, name: String }
//! ```
//!
//! Nor does an enum (its size depends on the variant), a union, or a field of type `char`,
//! `Option`, `usize` or `isize`:
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! enum Shape { Dot(u8), Line(u8, u8) }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! union Either { a: u32, b: f32 }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Letter { c: char }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Maybe { port: Option<u16> }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Len(u8, usize);
//! ```
//!
//! A record over `usize::MAX` bytes is a compile-time error (the sum of the sizes overflows
//! in const evaluation, pointing at the field):
//!
//! ```compile_fail
//! use netorder::record::FixedRecord;
//! #[derive(FixedRecord)]
//! struct Huge { a: [[u8; 1 << 62]; 2], b: [[u8; 1 << 62]; 2] }
//! assert!(Huge::SIZE > 0);
//! ```
//!
//! ## With serde's derives
//!
//! The derive reads serde's `rename` and `rename_all` (the deserializer's names) and
//! `transparent`, so that an error's field path is the one the serde path reports. serde
//! attributes that leave a field out or make a map (`skip`, `skip_serializing`,
//! `skip_deserializing`, `skip_serializing_if`, `flatten`) would make the two paths' bytes
//! disagree and are refused (`with`, `into`, `from` and the like are the user's to keep
//! byte-compatible, as `serde_big_array`'s `with` for `[u8; 64]` is):
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord, serde::Serialize)]
//! struct Cached { id: u32, #[serde(skip)] hits: u32 }
//! ```
//!
//! A `#[repr(packed)]` struct may derive `FixedRecord` (its fields are copied out, never
//! borrowed, so they must be `Copy`); the wire has no padding whatever the `repr`.
//!
//! ```
//! use netorder::record::{FixedRecord, fixed};
//!
//! #[derive(FixedRecord, Clone, Copy, Debug)]
//! #[repr(C, packed)]
//! struct Wire { kind: u8, len: u32 }
//!
//! assert_eq!(fixed::to_vec(&Wire { kind: 1, len: 2 })?, [1, 0, 0, 0, 2]);
//! let err = fixed::from_bytes::<Wire>(&[1, 0, 0]).unwrap_err();
//! assert!(err.is_incomplete());
//! # Ok::<(), netorder::Error>(())
//! ```

// Without `std` the docs still name `Conn`'s methods (they link with it).
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]

use super::describe::Describe;
use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// A record with a fixed encoded size, in network order with fixed-width integers. Derive it
/// (`#[derive(FixedRecord)]`, feature `derive`) rather than implementing it: the `__` methods
/// are the derive's building blocks, hidden from the docs and not part of the API (they stay
/// on the trait because a derived impl defines them; what the generated code calls besides
/// is in the hidden `netorder::__private`). Encode and decode with [`to_slice`],
/// [`from_bytes`] and [`take_from_bytes`] in this module, or [`Conn::send_fixed`] and
/// [`Conn::recv_fixed`](crate::transport::Conn::recv_fixed).
///
/// ```
/// use netorder::record::{FixedRecord, fixed};
///
/// #[derive(FixedRecord, Debug)]
/// struct Sample(u16, [i32; 2], (bool, f64));
/// assert_eq!(Sample::SIZE, 2 + 8 + 9);
///
/// let err = fixed::from_bytes::<Sample>(&[0; 18]).unwrap_err();
/// assert_eq!(err.kind(), &netorder::ErrorKind::Incomplete { offset: 0, needed: 19, available: 18 });
/// # Ok::<(), netorder::Error>(())
/// ```
///
/// [`Conn::send_fixed`]: crate::transport::Conn::send_fixed
pub trait FixedRecord: Sized {
    /// The encoded size in bytes: the sum of the fields' sizes.
    const SIZE: usize;

    /// Writes `self` into `out`, which is exactly [`Self::SIZE`](FixedRecord::SIZE) bytes long
    /// (the callers in this crate check that; an implementation may panic otherwise).
    #[doc(hidden)]
    fn __write(&self, out: &mut [u8]);

    /// Whether `bytes` (exactly `SIZE` long) hold a valid value: every `bool` is 0 or 1. The
    /// decoders' fast check, without branches where it can be.
    /// The default, for types with no invalid bytes (numbers, zero-sized types), accepts all.
    #[doc(hidden)]
    #[inline(always)]
    fn __is_valid(_bytes: &[u8]) -> bool {
        true
    }

    /// What [`FixedRecord::__is_valid`] refused, as an error: checks `bytes` (exactly `SIZE`
    /// long, starting at `offset` of the caller's input) field by field; errors carry absolute
    /// offsets and the field path. Only called on the error path.
    /// The default matches [`FixedRecord::__is_valid`]'s: nothing to refuse.
    #[doc(hidden)]
    #[inline(always)]
    fn __validate(_bytes: &[u8], _offset: usize) -> Result<()> {
        Ok(())
    }

    /// Reads a value from `bytes` (exactly `SIZE` long) that [`FixedRecord::__is_valid`]
    /// accepted.
    #[doc(hidden)]
    fn __read(bytes: &[u8]) -> Self;

    /// Writes `values` one after the other into `out` (exactly `SIZE * values.len()` long): an
    /// array's elements. `u8` overrides it with one copy: element by element, byte stores
    /// through pointers the compiler cannot tell apart are not merged, and a `[u8; 4]` cost
    /// four loads and four stores where hand-written code copies one word.
    #[doc(hidden)]
    #[inline]
    fn __write_all(values: &[Self], out: &mut [u8]) {
        if Self::SIZE == 0 {
            return;
        }
        for (value, out) in values.iter().zip(out.chunks_exact_mut(Self::SIZE)) {
            value.__write(out);
        }
    }

    // ----- bit fields and descriptions (`record::bits`, `record::describe`) -----------------

    /// Whether some value of the type cannot be encoded: it has a bit field narrower than its
    /// type (`#[netorder(bits = N)]`), or contains a type that has. Only then do the encoders
    /// call [`FixedRecord::__check`]: for every other type the test is a constant `false` and
    /// the encoder's code is what it was without bit fields.
    #[doc(hidden)]
    const __FALLIBLE: bool = false;

    /// Whether `u8`: an array of it is a byte string in a description (`4s`).
    #[doc(hidden)]
    const __BYTE: bool = false;

    /// Checks that every bit field's value fits its bits ([`ErrorKind::BitsOutOfRange`], with
    /// the field's path). Called before [`FixedRecord::__write`] when
    /// [`FixedRecord::__FALLIBLE`]; `__write` itself masks, so that it never spills into a
    /// neighbour.
    #[doc(hidden)]
    #[inline(always)]
    fn __check(&self) -> Result<()> {
        Ok(())
    }

    /// Tells `d` the fields, in order (see `netorder::__private::Describe`). The default, for
    /// a hand-written implementation, is `SIZE` opaque bytes.
    #[doc(hidden)]
    fn __describe(d: &mut dyn Describe) {
        d.opaque(Self::SIZE);
    }
}

#[cfg(feature = "derive")]
pub use netorder_derive::FixedRecord;

/// Encodes `value` into the start of `out`; returns the bytes written,
/// [`T::SIZE`](FixedRecord::SIZE). One length check, then every field at its constant offset.
///
/// ```
/// use netorder::{ErrorKind, record::fixed};
///
/// let mut buf = [0u8; 8];
/// assert_eq!(fixed::to_slice(&(0x0102u16, true), &mut buf)?, 3);
/// assert_eq!(buf[..3], [1, 2, 1]);
///
/// let err = fixed::to_slice(&[0u64; 2], &mut buf).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 16, available: 8 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn to_slice<T: FixedRecord>(value: &T, out: &mut [u8]) -> Result<usize> {
    if T::__FALLIBLE {
        value.__check()?;
    }
    let available = out.len();
    match out.get_mut(..T::SIZE) {
        Some(out) => {
            value.__write(out);
            Ok(T::SIZE)
        }
        None => Err(too_small(T::SIZE, available)),
    }
}

#[cfg(feature = "alloc")]
/// Encodes `value` into a new `Vec` of exactly [`T::SIZE`](FixedRecord::SIZE) bytes.
///
/// Only a record with a bit field narrower than its type can fail to encode: a value that
/// does not fit its bits is [`ErrorKind::BitsOutOfRange`] naming the field (see
/// [`record::bits`](super::bits)).
///
/// ```
/// use netorder::{ErrorKind, record::{FixedRecord, fixed}};
/// assert_eq!(fixed::to_vec(&(1u8, -2i16))?, [1, 0xFF, 0xFE]);
///
/// #[derive(FixedRecord)]
/// struct Nibbles { #[netorder(bits = 4)] high: u8, #[netorder(bits = 4)] low: u8 }
/// assert_eq!(fixed::to_vec(&Nibbles { high: 0xA, low: 0x5 })?, [0xA5]);
/// let err = fixed::to_vec(&Nibbles { high: 0x10, low: 0 }).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BitsOutOfRange { value: 16, bits: 4 });
/// assert_eq!(err.field(), Some("high"));
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn to_vec<T: FixedRecord>(value: &T) -> Result<Vec<u8>> {
    if T::__FALLIBLE {
        value.__check()?;
    }
    let mut out = vec![0; T::SIZE];
    value.__write(&mut out);
    Ok(out)
}

/// Decodes a `T` from exactly `bytes`.
///
/// The length is checked first, for the whole record: fewer than
/// [`T::SIZE`](FixedRecord::SIZE) bytes is [`ErrorKind::Incomplete`] `{ offset: 0, needed:
/// SIZE, available }` (so a caller knows how much to read), more is
/// [`ErrorKind::TrailingBytes`]. Then a `bool` byte other than 0 or 1 is
/// [`ErrorKind::InvalidBool`] with its offset and field path, as the serde path reports it.
///
/// ```
/// use netorder::{ErrorKind, record::fixed};
///
/// assert_eq!(fixed::from_bytes::<(u16, [u8; 2])>(&[0, 80, 1, 2])?, (80, [1, 2]));
///
/// let err = fixed::from_bytes::<u16>(&[0, 80, 0]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::TrailingBytes { offset: 2, remaining: 1 });
///
/// let err = fixed::from_bytes::<(u8, [bool; 2])>(&[1, 1, 7]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 2, byte: 7 });
/// assert_eq!(err.field(), Some("[1][1]"));
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn from_bytes<T: FixedRecord>(bytes: &[u8]) -> Result<T> {
    if bytes.len() != T::SIZE {
        return Err(wrong_length(bytes.len(), T::SIZE));
    }
    if !T::__is_valid(bytes) {
        return Err(invalid::<T>(bytes));
    }
    Ok(T::__read(bytes))
}

/// Decodes a `T` from the start of `bytes`; returns it and the bytes it took,
/// [`T::SIZE`](FixedRecord::SIZE). What follows is left for the caller.
///
/// ```
/// use netorder::record::fixed;
///
/// let bytes = [0, 1, 0, 2, 9];
/// assert_eq!(fixed::take_from_bytes::<u16>(&bytes)?, (1, 2));
///
/// let err = fixed::take_from_bytes::<u16>(&bytes[4..]).unwrap_err();
/// assert_eq!(err.needed_more(), Some(1));
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn take_from_bytes<T: FixedRecord>(bytes: &[u8]) -> Result<(T, usize)> {
    match bytes.get(..T::SIZE) {
        Some(record) if T::__is_valid(record) => Ok((T::__read(record), T::SIZE)),
        Some(record) => Err(invalid::<T>(record)),
        None => Err(wrong_length(bytes.len(), T::SIZE)),
    }
}

/// Encodes every record of `values`, one after the other, into exactly `out`; returns the bytes
/// written, `values.len() * T::SIZE`.
///
/// `out` must be exactly that long, else [`ErrorKind::LengthMismatch`] `{ expected, actual:
/// out.len() }` and `out` is untouched; so is it when a record does not fit its bit fields
/// ([`ErrorKind::BitsOutOfRange`], with the record's index in the field path). The bytes are
/// those of [`to_slice`] record after record. On x86_64 the loop runs compiled with AVX2 or
/// SSSE3 where the CPU has them (aarch64 always has NEON), so that a record whose fields all
/// have one width (a mesh of `f32`s, say) is written with one vector byte swap per 16 or 32
/// bytes: about the cost of a `memcpy` of the records.
///
/// ```
/// use netorder::{ErrorKind, record::{FixedRecord, fixed}};
///
/// #[derive(FixedRecord, Debug, PartialEq, Clone, Copy, Default)]
/// struct Point { x: f32, y: f32 }
///
/// let points = [Point { x: 1.0, y: -2.0 }, Point { x: 0.5, y: 4.0 }];
/// let mut wire = [0u8; 16];
/// assert_eq!(fixed::write_slice(&points, &mut wire)?, 16);
/// assert_eq!(wire[..8], [0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0]); // struct.pack("!ff", 1.0, -2.0)
///
/// let err = fixed::write_slice(&points, &mut wire[..15]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 16, actual: 15 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn write_slice<T: FixedRecord>(values: &[T], out: &mut [u8]) -> Result<usize> {
    check_bulk_len::<T>(values.len(), out.len())?;
    if T::__FALLIBLE {
        for (i, value) in values.iter().enumerate() {
            if let Err(e) = value.__check() {
                return Err(crate::__private::in_index(e, i));
            }
        }
    }
    // Compiled a second time with byte shuffles where the CPU has them (see
    // `order::simd::with_byte_shuffles`): a record whose fields all have one width is then
    // one vector byte swap per 16 or 32 bytes.
    if crate::order::simd::with_byte_shuffles(|| T::__write_all(values, &mut *out)).is_none() {
        T::__write_all(values, out);
    }
    Ok(out.len())
}

/// Decodes exactly `bytes` into `out`, record after record: `bytes` must be `out.len() *
/// T::SIZE` long, else [`ErrorKind::LengthMismatch`] `{ expected, actual: bytes.len() }`.
///
/// Every record is checked before any is written: a `bool` byte other than 0 or 1 anywhere is
/// [`ErrorKind::InvalidBool`] with its offset in `bytes` and its path from the record's index
/// (`[3].up`), the first one in the input, as [`from_bytes`] of that record reports it; `out`
/// is then untouched. As in [`write_slice`], a record whose fields all have one width (a mesh
/// of `f32`s, say) is read with one vector byte swap per 16 or 32 bytes where the CPU has
/// them.
///
/// ```
/// use netorder::{ErrorKind, record::{FixedRecord, fixed}};
///
/// #[derive(FixedRecord, Debug, PartialEq, Clone, Copy, Default)]
/// struct Flag { id: u16, up: bool }
///
/// let mut out = [Flag::default(); 2];
/// fixed::read_slice(&[0, 1, 1, 0, 2, 0], &mut out)?;
/// assert_eq!(out, [Flag { id: 1, up: true }, Flag { id: 2, up: false }]);
///
/// let err = fixed::read_slice(&[0, 1, 1, 0, 2, 7], &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 5, byte: 7 });
/// assert_eq!(err.field(), Some("[1].up"));
///
/// let err = fixed::read_slice(&[0, 1, 1], &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 6, actual: 3 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn read_slice<T: FixedRecord>(bytes: &[u8], out: &mut [T]) -> Result<()> {
    check_bulk_len::<T>(out.len(), bytes.len())?;
    if T::SIZE == 0 {
        out.iter_mut().for_each(|slot| *slot = T::__read(&[]));
        return Ok(());
    }
    // As in `write_slice`, compiled a second time with byte shuffles where the CPU has them.
    let valid = match crate::order::simd::with_byte_shuffles(|| read_all(bytes, &mut *out)) {
        Some(valid) => valid,
        None => read_all(bytes, out),
    };
    if !valid {
        return Err(invalid_in_slice::<T>(bytes));
    }
    Ok(())
}

/// [`read_slice`]'s loops: checks every record of `bytes` (no branch per record), then, if all
/// are valid, reads them into `out`; whether they were.
#[inline(always)]
fn read_all<T: FixedRecord>(bytes: &[u8], out: &mut [T]) -> bool {
    let valid = bytes
        .chunks_exact(T::SIZE)
        .fold(true, |ok, record| ok & T::__is_valid(record));
    if valid {
        for (slot, record) in out.iter_mut().zip(bytes.chunks_exact(T::SIZE)) {
            *slot = T::__read(record);
        }
    }
    valid
}

/// `LengthMismatch` unless `bytes_len == count * T::SIZE` (without overflow).
#[inline]
fn check_bulk_len<T: FixedRecord>(count: usize, bytes_len: usize) -> Result<()> {
    match count.checked_mul(T::SIZE) {
        Some(expected) if expected == bytes_len => Ok(()),
        expected => Err(length_mismatch(expected.unwrap_or(usize::MAX), bytes_len)),
    }
}

#[cold]
fn length_mismatch(expected: usize, actual: usize) -> Error {
    Error::new(ErrorKind::LengthMismatch { expected, actual })
}

/// [`read_slice`]'s error: the first record that [`FixedRecord::__is_valid`] refuses, with
/// its index prepended to the path and offsets in the whole input.
#[cold]
#[inline(never)]
fn invalid_in_slice<T: FixedRecord>(bytes: &[u8]) -> Error {
    for (i, record) in bytes.chunks_exact(T::SIZE).enumerate() {
        if let Err(e) = T::__validate(record, i * T::SIZE) {
            return crate::__private::in_index(e, i);
        }
    }
    Error::new(ErrorKind::Unsupported {
        what: "a FixedRecord implementation whose __is_valid and __validate disagree",
    })
}

/// The error for a record that [`FixedRecord::__is_valid`] refused: out of line, so that the
/// decoders' success path needs no stack frame.
#[cold]
#[inline(never)]
pub(crate) fn invalid<T: FixedRecord>(bytes: &[u8]) -> Error {
    match T::__validate(bytes, 0) {
        Err(e) => e,
        // Only a hand-written implementation whose two checks disagree gets here.
        Ok(()) => Error::new(ErrorKind::Unsupported {
            what: "a FixedRecord implementation whose __is_valid and __validate disagree",
        }),
    }
}

#[cold]
fn too_small(needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::BufferTooSmall { needed, available })
}

/// `len` bytes where a record takes `size`: too few is `Incomplete`, too many `TrailingBytes`.
#[cold]
fn wrong_length(len: usize, size: usize) -> Error {
    if len < size {
        Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: size,
            available: len,
        })
    } else {
        Error::new(ErrorKind::TrailingBytes {
            offset: size,
            remaining: len - size,
        })
    }
}

mod impls;
