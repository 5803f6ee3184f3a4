//! Fixed-width binary integers: `width` bytes (1 to 8), big- or little-endian.
//!
//! Built on layer 1 ([`read_uint`]/[`write_uint`]); this module adds the checks: the width
//! must be 1..=8 ([`ErrorKind::InvalidWidth`]) and the value must fit it
//! ([`ErrorKind::OutOfRange`]), so nothing is ever silently truncated.
//!
//! ```
//! use netorder::{Endian, ErrorKind};
//! use netorder::int::fixed;
//!
//! let mut buf = [0u8; 8];
//! let n = fixed::encode(0x01_02_03, 3, Endian::Big, &mut buf)?;
//! assert_eq!(&buf[..n], [1, 2, 3]);
//! assert_eq!(fixed::decode(&buf[..n], 3, Endian::Big)?, (0x01_02_03, 3));
//!
//! let err = fixed::encode(1 << 24, 3, Endian::Big, &mut buf).unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::OutOfRange { value: 1 << 24, min: 0, max: 0xFF_FF_FF });
//! # Ok::<(), netorder::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::order::{Endian, read_uint, write_uint};

/// Smallest supported width in bytes.
///
/// ```
/// use netorder::int::fixed::{MIN_WIDTH, max_value};
/// assert_eq!(max_value(MIN_WIDTH), Some(255));
/// assert_eq!(max_value(MIN_WIDTH - 1), None);
/// ```
pub const MIN_WIDTH: u8 = 1;
/// Largest supported width in bytes.
///
/// ```
/// use netorder::int::fixed::{MAX_WIDTH, max_value};
/// assert_eq!(max_value(MAX_WIDTH), Some(u64::MAX));
/// assert_eq!(max_value(MAX_WIDTH + 1), None);
/// ```
pub const MAX_WIDTH: u8 = 8;

/// The largest value `width` bytes hold (`2^(8·width) − 1`), or `None` for a width outside
/// 1..=8.
///
/// ```
/// use netorder::int::fixed::max_value;
/// assert_eq!(max_value(3), Some(0xFF_FF_FF));
/// assert_eq!(max_value(8), Some(u64::MAX));
/// assert_eq!(max_value(0), None);
/// ```
pub const fn max_value(width: u8) -> Option<u64> {
    match width {
        MIN_WIDTH..=MAX_WIDTH => Some(u64::MAX >> (64 - 8 * width as u32)),
        _ => None,
    }
}

fn check_width(width: u8) -> Result<u64> {
    max_value(width).ok_or(Error::new(ErrorKind::InvalidWidth {
        width: width as usize,
        min: MIN_WIDTH as usize,
        max: MAX_WIDTH as usize,
    }))
}

/// `InvalidWidth` for a width outside 1..=8, then `OutOfRange` when `v` does not fit.
#[inline]
pub(crate) fn check_fits(v: u64, width: u8) -> Result<()> {
    crate::order::check_max(v, check_width(width)?)
}

/// Writes `v` as `width` bytes in `endian` order at the start of `out`; returns `width`.
///
/// Errors, in this order: [`ErrorKind::InvalidWidth`] for a width outside 1..=8,
/// [`ErrorKind::OutOfRange`] when `v` does not fit, [`ErrorKind::BufferTooSmall`] when `out`
/// is shorter than `width`. On error `out` is untouched.
///
/// ```
/// use netorder::{Endian, ErrorKind};
/// use netorder::int::fixed;
///
/// let mut buf = [0u8; 2];
/// assert_eq!(fixed::encode(0x1234, 2, Endian::Little, &mut buf)?, 2);
/// assert_eq!(buf, [0x34, 0x12]);
/// let err = fixed::encode(1, 9, Endian::Big, &mut buf).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidWidth { width: 9, min: 1, max: 8 });
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn encode(v: u64, width: u8, endian: Endian, out: &mut [u8]) -> Result<usize> {
    check_fits(v, width)?;
    let w = usize::from(width);
    if out.len() < w {
        return Err(Error::new(ErrorKind::BufferTooSmall {
            needed: w,
            available: out.len(),
        }));
    }
    write_uint(v, w, endian, out)
}

/// Reads a `width`-byte unsigned integer in `endian` order from the start of `bytes`:
/// `(value, width)`. Bytes after the first `width` are left for the caller.
///
/// Too few bytes: [`ErrorKind::Incomplete`] `{ offset: 0, needed: width, available }`; a width
/// outside 1..=8: [`ErrorKind::InvalidWidth`]. Every bit pattern of the right length is a
/// valid value.
///
/// ```
/// use netorder::{Endian, ErrorKind};
/// use netorder::int::fixed;
///
/// assert_eq!(fixed::decode(&[0, 0, 1, 0, 0xFF], 4, Endian::Big)?, (256, 4));
/// let err = fixed::decode(&[0, 0, 1], 4, Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 4, available: 3 });
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn decode(bytes: &[u8], width: u8, endian: Endian) -> Result<(u64, usize)> {
    check_width(width)?;
    let w = usize::from(width);
    if bytes.len() < w {
        return Err(Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: w,
            available: bytes.len(),
        }));
    }
    Ok((read_uint(bytes, w, endian)?, w))
}
