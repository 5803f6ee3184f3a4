//! Fixed-width ASCII decimal integers: exactly `width` digits (1 to 20), zero-padded on the
//! left (`width` 5: `42` is `b"00042"`). No sign, no spaces, no terminator.
//!
//! Each value has exactly one form for a given width, so the padding zeros are canonical here
//! (unlike in [`ascii`]). A value with more digits than `width` is refused by
//! the encoder ([`ErrorKind::OutOfRange`]), never truncated.
//!
//! ```
//! use netorder::ErrorKind;
//! use netorder::int::ascii_fixed;
//!
//! let mut buf = [0u8; 5];
//! assert_eq!(ascii_fixed::encode(42, 5, &mut buf)?, 5);
//! assert_eq!(&buf, b"00042");
//! assert_eq!(ascii_fixed::decode(b"00042rest", 5)?, (42, 5));
//! let err = ascii_fixed::decode(b"00 42", 5).unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::InvalidByte { offset: 2, byte: b' ', expected: "a decimal digit" });
//! # Ok::<(), netorder::Error>(())
//! ```

use super::ascii;
use crate::error::{Error, ErrorKind, Result};

/// Smallest supported width.
///
/// ```
/// use netorder::IntEncoding;
/// use netorder::int::ascii_fixed::MIN_WIDTH;
/// assert_eq!(IntEncoding::AsciiFixed { width: MIN_WIDTH }.encoded_len(9), Some(1));
/// assert_eq!(IntEncoding::AsciiFixed { width: MIN_WIDTH - 1 }.encoded_len(0), None);
/// ```
pub const MIN_WIDTH: u8 = 1;
/// Largest supported width: every `u64` fits 20 digits.
///
/// ```
/// use netorder::IntEncoding;
/// use netorder::int::ascii_fixed::MAX_WIDTH;
/// assert_eq!(IntEncoding::AsciiFixed { width: MAX_WIDTH }.encoded_len(u64::MAX), Some(20));
/// assert_eq!(IntEncoding::AsciiFixed { width: MAX_WIDTH + 1 }.encoded_len(0), None);
/// ```
pub const MAX_WIDTH: u8 = ascii::MAX_DIGITS as u8;

/// The largest value `width` digits hold (`10^width − 1`, or `u64::MAX` for 20), `None` for a
/// width outside 1..=20.
///
/// ```
/// use netorder::int::ascii_fixed::max_value;
/// assert_eq!(max_value(3), Some(999));
/// assert_eq!(max_value(20), Some(u64::MAX));
/// assert_eq!(max_value(21), None);
/// ```
pub const fn max_value(width: u8) -> Option<u64> {
    match width {
        0 => None,
        1..=19 => Some(10u64.pow(width as u32) - 1),
        20 => Some(u64::MAX),
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

/// Writes `v` as exactly `width` zero-padded digits at the start of `out`; returns `width`.
///
/// Errors, in this order: [`ErrorKind::InvalidWidth`] for a width outside 1..=20,
/// [`ErrorKind::OutOfRange`] `{ value, min: 0, max: 10^width − 1 }` when `v` has more digits,
/// [`ErrorKind::BufferTooSmall`] when `out` is shorter than `width`. On error `out` is
/// untouched.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::ascii_fixed;
///
/// let mut buf = [0u8; 20];
/// assert_eq!(ascii_fixed::encode(7, 1, &mut buf)?, 1);
/// let err = ascii_fixed::encode(1000, 3, &mut buf).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::OutOfRange { value: 1000, min: 0, max: 999 });
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn encode(v: u64, width: u8, out: &mut [u8]) -> Result<usize> {
    crate::order::check_max(v, check_width(width)?)?;
    let w = usize::from(width);
    let Some(field) = out.get_mut(..w) else {
        return Err(Error::new(ErrorKind::BufferTooSmall {
            needed: w,
            available: out.len(),
        }));
    };
    // v <= max, so its digits fit `w`: the last `w` of its 20 zero-padded digits.
    field.copy_from_slice(&ascii::padded20(v)[ascii::MAX_DIGITS - w..]);
    Ok(w)
}

/// Decodes exactly `width` digits from the start of `bytes`: `(value, width)`. Bytes after
/// them are left for the caller.
///
/// Errors: [`ErrorKind::InvalidWidth`]; [`ErrorKind::InvalidByte`] at the first non-digit
/// among the first `width` bytes (checked before the length, so wrong bytes are reported as
/// wrong even in a short input); [`ErrorKind::Incomplete`] `{ offset: 0, needed: width,
/// available }` when fewer than `width` bytes are there; [`ErrorKind::Overflow`]
/// `{ offset: 0, bits: 64 }` for 20 digits above `u64::MAX`.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::ascii_fixed;
///
/// let err = ascii_fixed::decode(b"004", 4).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 4, available: 3 });
/// let err = ascii_fixed::decode(b"99999999999999999999", 20).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Overflow { offset: 0, bits: 64 });
/// ```
pub fn decode(bytes: &[u8], width: u8) -> Result<(u64, usize)> {
    check_width(width)?;
    let w = usize::from(width);
    let field = &bytes[..bytes.len().min(w)];
    let mut value: u64 = 0;
    let mut overflow = false;
    for (i, &b) in field.iter().enumerate() {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return Err(Error::new(ErrorKind::InvalidByte {
                offset: i,
                byte: b,
                expected: "a decimal digit",
            }));
        }
        match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d)))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
    }
    if field.len() < w {
        return Err(Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: w,
            available: bytes.len(),
        }));
    }
    if overflow {
        return Err(Error::new(ErrorKind::Overflow {
            offset: 0,
            bits: 64,
        }));
    }
    Ok((value, w))
}
