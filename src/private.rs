//! Hooks for the crate's own tests, benches, fuzz targets and derive: public only so that they
//! can reach them. Not part of the API (hidden from the docs, no semver promise): nothing
//! outside this repository should name `netorder::__private`.
//!
//! - Bulk paths: [`BulkPath`] and the `*_on` functions run a named SIMD (or the portable) path
//!   of [`convert_in_place`](crate::convert_in_place), [`read_slice`](crate::read_slice) and
//!   [`write_slice`](crate::write_slice), so that tests and benches can force each one.
//! - What `#[derive(FixedRecord)]`'s generated code calls besides the trait:
//!   [`in_field`] and [`in_index`]. (The trait's own `__` methods are what a derived impl
//!   defines, so they stay on [`FixedRecord`](crate::record::FixedRecord), hidden.)

use crate::error::Error;
use crate::record::path::Seg;

pub use crate::order::bulk::{BulkPath, convert_in_place_on, read_slice_on, write_slice_on};

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
