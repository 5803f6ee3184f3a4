//! Layer 2: integer encodings, one file each, behind one [`IntEncoding`] type.
//!
//! "ASCII or binary? Decisions, decisions." Each encoding of one `u64` lives in its own module
//! with allocation-free primitives (for the record layer and for hot loops); [`IntEncoding`]
//! names an encoding as a value and dispatches to them:
//!
//! | encoding | module | bytes for `v` |
//! |---|---|---|
//! | [`IntEncoding::Fixed`] | [`fixed`] | `width` (1 to 8), big- or little-endian |
//! | [`IntEncoding::Varint`] | [`varint`] | `max(1, ceil(bits(v) / 7))`, 1 to 10 |
//! | [`IntEncoding::ZigZag`] | [`zigzag`] | as varint of the zigzag-mapped `i64` |
//! | [`IntEncoding::Ascii`] | [`ascii`] | decimal digits + 1 terminator, 2 to 21 |
//! | [`IntEncoding::AsciiFixed`] | [`ascii_fixed`] | `width` (1 to 20), zero-padded |
//!
//! Every decoder is strict: only the one canonical form of each value is accepted (no
//! overlong varint, no sign, leading zero or whitespace in ASCII, nothing past `u64::MAX`),
//! and running out of input ([`ErrorKind::Incomplete`](crate::ErrorKind::Incomplete), see
//! [`Error::is_incomplete`](crate::Error::is_incomplete)) is told apart from wrong bytes.
//! Decoders return `(value, bytes consumed)` and leave trailing bytes to the caller.
//!
//! ## One shape in every module
//!
//! | what | signature | on error |
//! |---|---|---|
//! | write one value | `encode(v, params…, out: &mut [u8]) -> Result<usize>` | `out` untouched |
//! | write, cannot fail | `encode_array(v) -> ([u8; N], usize)` ([`varint`], [`zigzag`]; [`ascii::digits_array`] for the bare digits) | — |
//! | read one value | `decode(bytes, params…) -> Result<(value, usize)>` | offset from `bytes[0]` |
//! | size | `encoded_len(v…)` ([`varint`], [`zigzag`], [`ascii::encoded_len_i64`]; [`ascii::digits`]) | — |
//! | many varints | [`varint::encode_batch`] (appends to a `Vec`), [`varint::decode_batch`] | offset in `bytes` |
//!
//! `encode` writes exactly the bytes of the encoding at the start of `out` and returns how many
//! (the rest of `out` is left as it was); an `out` that is too short is
//! [`ErrorKind::BufferTooSmall`](crate::ErrorKind::BufferTooSmall) `{ needed, available }`,
//! after the checks of the value and the parameters (`InvalidWidth`, `OutOfRange`,
//! `Unsupported`). The `_array` forms exist where every value fits a small array and nothing can
//! go wrong. Appending to a `Vec` is [`IntEncoding::encode`], for every encoding: it grows the
//! `Vec` by a fixed width with one store and then sets the length, so no length is branched on.
//!
//! ```
//! use netorder::ErrorKind;
//! use netorder::int::{ascii, ascii_fixed, fixed, varint, zigzag};
//! use netorder::Endian;
//!
//! let mut out = [0u8; 24];
//! assert_eq!(fixed::encode(300, 2, Endian::Big, &mut out)?, 2);
//! assert_eq!(varint::encode(300, &mut out)?, 2);
//! assert_eq!(zigzag::encode(-300, &mut out)?, 2);
//! assert_eq!(ascii::encode(300, b'\n', &mut out)?, 4);
//! assert_eq!(ascii_fixed::encode(300, 5, &mut out)?, 5);
//! // The same error everywhere when `out` is short, and `out` is untouched.
//! let err = varint::encode(300, &mut out[..1]).unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 2, available: 1 });
//! assert_eq!(&out[..5], b"00300");
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! ## ASCII or binary? The sizes, exactly
//!
//! These laws hold for every value (they are property tests in `tests/int_props.rs`; `netorder
//! sizes` applies them to a list of numbers):
//!
//! - varint is always shorter than ASCII with a terminator: `ceil(bits / 7) < digits + 1`.
//! - ASCII with a terminator beats fixed 8 bytes exactly when `v < 10^6` (at most 6 digits + 1
//!   = 7 bytes), ties for `10^6 <= v < 10^7`, and loses from `10^7` on. It beats fixed 4
//!   bytes exactly when `v < 100`.
//! - varint takes at most `w` bytes exactly when `v < 2^(7w)`: it beats fixed 8 bytes below
//!   `2^49`, ties below `2^56`, and loses (9 or 10 bytes) from `2^56` on.
//! - zigzag takes at most `k` bytes exactly when `-2^(7k-1) <= n < 2^(7k-1)`: one byte for
//!   `-64..=63`, two for `-8192..=8191`.
//!
//! ```
//! use netorder::{Endian, IntEncoding};
//!
//! let v = 300;
//! for enc in [
//!     IntEncoding::Fixed { width: 2, endian: Endian::Big },
//!     IntEncoding::Varint,
//!     IntEncoding::ZigZag,
//!     IntEncoding::Ascii { terminator: b'\n' },
//!     IntEncoding::AsciiFixed { width: 5 },
//! ] {
//!     let mut out = Vec::new();
//!     let n = enc.encode(v, &mut out)?;
//!     assert_eq!(Some(n), enc.encoded_len(v));
//!     assert_eq!(enc.decode(&out)?, (v, n));
//! }
//! # Ok::<(), netorder::Error>(())
//! ```

// Without `alloc` the docs still name the `Vec` writers (they link with it).
#![cfg_attr(not(feature = "alloc"), allow(rustdoc::broken_intra_doc_links))]

pub mod ascii;
pub mod ascii_fixed;
pub mod fixed;
pub mod varint;
pub mod zigzag;

use crate::error::Result;
use crate::order::Endian;
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// The encodings of one `u64`.
///
/// ```
/// use netorder::{ErrorKind, IntEncoding};
///
/// let mut out = Vec::new();
/// IntEncoding::Varint.encode(300, &mut out)?;
/// assert_eq!(out, [0xAC, 0x02]);
///
/// // 300 does not fit one byte: an error, never a truncation, and `out` is left alone.
/// let one_byte = IntEncoding::Fixed { width: 1, endian: netorder::Endian::Big };
/// let err = one_byte.encode(300, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::OutOfRange { value: 300, min: 0, max: 255 });
/// assert_eq!(out, [0xAC, 0x02]);
/// # Ok::<(), netorder::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntEncoding {
    /// `width` bytes (1..=8), in `endian` order. Widths 3, 5, 6 and 7 are allowed. See
    /// [`fixed`].
    Fixed {
        /// Bytes on the wire, 1 to 8.
        width: u8,
        /// Byte order.
        endian: Endian,
    },
    /// Unsigned LEB128 (protobuf's `uint64`): 7 bits per byte, least significant group first,
    /// high bit set on every byte but the last. See [`varint`].
    Varint,
    /// The `u64` is the bit pattern of an `i64` (`-1` is `u64::MAX`), zigzag-mapped so small
    /// magnitudes stay small, then LEB128 (protobuf's `sint64`). See [`zigzag`].
    ZigZag,
    /// Canonical decimal digits, then the `terminator` byte. A terminator that is an ASCII
    /// digit could not be told apart from the number and is refused by every method
    /// (`encoded_len` is `None`, `encode` and `decode` fail with
    /// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported)). See [`ascii`].
    Ascii {
        /// The byte after the last digit (`b'\n'`, `b' '`, `0`...).
        terminator: u8,
    },
    /// Exactly `width` decimal digits (1..=20), zero-padded on the left. See [`ascii_fixed`].
    AsciiFixed {
        /// Digits on the wire, 1 to 20.
        width: u8,
    },
}

impl IntEncoding {
    /// Bytes `v` takes in this encoding; `None` where `v` does not fit (`300` in one fixed
    /// byte, `1000` in three ASCII digits) or where the encoding's parameters are invalid
    /// (a fixed width of 0 or 9, an ASCII digit as terminator).
    ///
    /// ```
    /// use netorder::{Endian, IntEncoding};
    /// assert_eq!(IntEncoding::Varint.encoded_len(u64::MAX), Some(10));
    /// assert_eq!(IntEncoding::Ascii { terminator: b'\n' }.encoded_len(1234), Some(5));
    /// assert_eq!(IntEncoding::AsciiFixed { width: 3 }.encoded_len(1000), None);
    /// assert_eq!(IntEncoding::Fixed { width: 9, endian: Endian::Big }.encoded_len(0), None);
    /// ```
    pub fn encoded_len(&self, v: u64) -> Option<usize> {
        match *self {
            IntEncoding::Fixed { width, .. } => {
                (fixed::max_value(width)? >= v).then_some(usize::from(width))
            }
            IntEncoding::Varint => Some(varint::encoded_len(v)),
            IntEncoding::ZigZag => Some(varint::encoded_len(zigzag::encode_i64(v as i64))),
            IntEncoding::Ascii { terminator } => {
                (!terminator.is_ascii_digit()).then_some(ascii::digits(v) + 1)
            }
            IntEncoding::AsciiFixed { width } => {
                (ascii_fixed::max_value(width)? >= v).then_some(usize::from(width))
            }
        }
    }

    #[cfg(feature = "alloc")]
    /// Appends the encoding of `v` to `out`; returns the number of bytes written.
    ///
    /// When `v` cannot be written (it does not fit:
    /// [`OutOfRange`](crate::ErrorKind::OutOfRange); a bad width:
    /// [`InvalidWidth`](crate::ErrorKind::InvalidWidth); a digit as ASCII terminator:
    /// [`Unsupported`](crate::ErrorKind::Unsupported)) it fails and `out` is unchanged.
    ///
    /// ```
    /// use netorder::{ErrorKind, IntEncoding};
    /// let mut out = Vec::new();
    /// IntEncoding::ZigZag.encode(-2i64 as u64, &mut out)?;
    /// IntEncoding::Ascii { terminator: b'\n' }.encode(42, &mut out)?;
    /// assert_eq!(out, [0x03, b'4', b'2', b'\n']);
    ///
    /// let err = IntEncoding::AsciiFixed { width: 21 }.encode(1, &mut out).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::InvalidWidth { width: 21, min: 1, max: 20 });
    /// assert_eq!(out.len(), 4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline(always)]
    pub fn encode(&self, v: u64, out: &mut Vec<u8>) -> Result<usize> {
        match *self {
            IntEncoding::Fixed { width, endian } => {
                fixed::check_fits(v, width)?;
                // The `width` bytes to send are the first `width` of one 8-byte word: one
                // 8-byte store (big-endian: shifted to the top), then the length.
                let n = usize::from(width);
                let word = match endian {
                    Endian::Big => (v << (64 - 8 * n)).to_be_bytes(),
                    Endian::Little => v.to_le_bytes(),
                };
                let start = out.len();
                out.extend_from_slice(&word);
                out.truncate(start + n);
                Ok(n)
            }
            IntEncoding::Varint => Ok(varint::append(v, out)),
            IntEncoding::ZigZag => Ok(varint::append(zigzag::encode_i64(v as i64), out)),
            IntEncoding::Ascii { terminator } => ascii::append(v, terminator, out),
            IntEncoding::AsciiFixed { width } => {
                let mut buf = [0u8; ascii::MAX_DIGITS];
                let n = ascii_fixed::encode(v, width, &mut buf)?;
                out.extend_from_slice(&buf[..n]);
                Ok(n)
            }
        }
    }

    /// Decodes one value from the start of `bytes`: `(value, bytes consumed)`. Bytes after
    /// the encoding are left for the caller.
    ///
    /// Running out of input is [`ErrorKind::Incomplete`](crate::ErrorKind::Incomplete)
    /// ([`Error::is_incomplete`](crate::Error::is_incomplete)): more bytes may complete it.
    /// Every other error means the bytes are wrong, whatever follows.
    ///
    /// ```
    /// use netorder::{ErrorKind, IntEncoding};
    /// assert_eq!(IntEncoding::Varint.decode(&[0xAC, 0x02, 0xFF])?, (300, 2));
    ///
    /// let ascii = IntEncoding::Ascii { terminator: b'\n' };
    /// assert!(ascii.decode(b"12").unwrap_err().is_incomplete());
    /// assert_eq!(ascii.decode(b"012\n").unwrap_err().kind(), &ErrorKind::LeadingZero { offset: 0 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline(always)]
    pub fn decode(&self, bytes: &[u8]) -> Result<(u64, usize)> {
        match *self {
            IntEncoding::Fixed { width, endian } => fixed::decode(bytes, width, endian),
            IntEncoding::Varint => varint::decode(bytes),
            IntEncoding::ZigZag => {
                let (z, n) = varint::decode(bytes)?;
                Ok((zigzag::decode_i64(z) as u64, n))
            }
            IntEncoding::Ascii { terminator } => ascii::decode(bytes, terminator),
            IntEncoding::AsciiFixed { width } => ascii_fixed::decode(bytes, width),
        }
    }
}
