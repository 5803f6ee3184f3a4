//! ASCII decimal integers followed by a terminator byte: `b"42\n"`.
//!
//! The canonical form, the only one [`decode`] accepts: one or more ASCII digits, no sign
//! (in the unsigned form), no leading zero (except `0` itself), no whitespace, at most 20
//! digits and nothing above `u64::MAX`, then the terminator. The signed form
//! ([`encode_i64`]/[`decode_i64`]) adds a leading `-` for negative values: no `+`, no `-0`,
//! `i64::MIN` included and nothing past `i64::MIN..=i64::MAX`.
//!
//! A terminator that is itself an ASCII digit (`b'0'..=b'9'`) could not be told apart from the
//! number: every function here refuses it with [`ErrorKind::Unsupported`] before looking at
//! the value or the input.
//!
//! | input (terminator `\n`) | [`decode`] |
//! |---|---|
//! | `42\n` | `Ok((42, 3))` |
//! | ``, `4`, `42` | [`ErrorKind::Incomplete`] |
//! | `042\n`, `00` | [`ErrorKind::LeadingZero`] `{ offset: 0 }` |
//! | ` 42\n`, `+42\n`, `-42\n`, `\n` | [`ErrorKind::InvalidByte`] `{ offset: 0, .. }` |
//! | `42 \n`, `4x` | [`ErrorKind::InvalidByte`] at the first wrong byte |
//! | `18446744073709551616\n`, 21 digits | [`ErrorKind::Overflow`] `{ offset: 0, bits: 64 }` |
//!
//! ```
//! use netorder::ErrorKind;
//! use netorder::int::ascii;
//!
//! let mut out = [0u8; ascii::MAX_DIGITS + 1];
//! let n = ascii::encode(1234, b'\n', &mut out)?;
//! assert_eq!(&out[..n], b"1234\n");
//! assert_eq!(ascii::decode(&out, b'\n')?, (1234, 5));
//! let err = ascii::decode(b"1234 \n", b'\n').unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::InvalidByte { offset: 4, byte: b' ', expected: "a decimal digit or the terminator" });
//! # Ok::<(), netorder::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::order::simd::ascii::{self as kernels, POW10, value8};
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// The most digits a `u64` has (`u64::MAX` = 18446744073709551615).
///
/// ```
/// use netorder::int::ascii::MAX_DIGITS;
/// assert_eq!(u64::MAX.to_string().len(), MAX_DIGITS);
/// ```
pub const MAX_DIGITS: usize = 20;

const EXPECT_DIGIT: &str = "a decimal digit";
const EXPECT_DIGIT_OR_MINUS: &str = "a decimal digit or '-'";
const EXPECT_DIGIT_OR_TERMINATOR: &str = "a decimal digit or the terminator";

/// Decimal digits of `v`: 1 for 0, up to 20 for `u64::MAX`.
///
/// ```
/// use netorder::int::ascii::digits;
/// assert_eq!(digits(0), 1);
/// assert_eq!(digits(999_999), 6);
/// assert_eq!(digits(u64::MAX), 20);
/// ```
#[inline]
pub const fn digits(v: u64) -> usize {
    // floor(log10(2^bits)) from the bit length (1233 / 4096 is close to log10(2)), then one
    // compare with a power of ten: no loop, no branch. (`v | 1`: 0 has one digit, and no power
    // of ten above 1 is odd, so the compare is the same for every other value.)
    let v = v | 1;
    let t = (((64 - v.leading_zeros()) * 1233) >> 12) as usize;
    t + 1 - (v < POW10[t]) as usize
}

/// Bytes the signed form of `v` takes with its terminator: `-`, digits of `|v|`, terminator.
///
/// ```
/// use netorder::int::ascii::encoded_len_i64;
/// assert_eq!(encoded_len_i64(-1), 3);
/// assert_eq!(encoded_len_i64(i64::MIN), 21);
/// ```
#[inline]
pub const fn encoded_len_i64(v: i64) -> usize {
    digits(v.unsigned_abs()) + (v < 0) as usize + 1
}

/// SWAR: the 4 decimal digits of `v` (below 10^4), zero-padded, as ASCII in the low 4 bytes of
/// a little-endian word (the most significant digit first in memory): split into 2 + 2 digits,
/// then 1 + 1, in lanes, one multiply and shift a split (exact for these ranges).
#[inline(always)]
const fn ascii4(v: u64) -> u64 {
    let q = (v * 5243) >> 19; // v / 100
    let y = q | ((v - q * 100) << 16);
    let t = ((y * 103) >> 10) & 0x000F_000F; // each 16-bit lane / 10
    (t | ((y - t * 10) << 8)) | 0x3030_3030
}

/// SWAR: the 8 decimal digits of `v` (below 10^8), zero-padded, as ASCII in a little-endian
/// word (the most significant digit first in memory): 4 + 4, then 2 + 2, then 1 + 1 digits in
/// 32-, 16- and 8-bit lanes. (itoa's table of digit pairs takes a loop whose length is the
/// number of digits, a branch issue 16's mixed values make unpredictable.)
#[inline(always)]
const fn ascii8(v: u64) -> u64 {
    let hi = v / 10_000;
    let x = hi | ((v - hi * 10_000) << 32);
    // Each 32-bit lane / 100: the products stay below 2^26, inside their lanes.
    let q = ((x * 5243) >> 19) & 0x0000_007F_0000_007F;
    let y = q | ((x - q * 100) << 16);
    // Each 16-bit lane / 10: the products stay below 2^14.
    let t = ((y * 103) >> 10) & 0x000F_000F_000F_000F;
    (t | ((y - t * 10) << 8)) | 0x3030_3030_3030_3030
}

/// All 20 decimal digits of `v`, zero-padded (`ascii_fixed` takes the last `width`), as the
/// first 4 and the 16 after them, little-endian ASCII.
#[inline(always)]
const fn padded(v: u64) -> (u64, u128) {
    let head = ascii4(v / 10_000_000_000_000_000); // digits 1 to 4 (v / 10^16 <= 1844)
    let rest = v % 10_000_000_000_000_000;
    let tail = ascii8(rest / 100_000_000) as u128 | ((ascii8(rest % 100_000_000) as u128) << 64);
    (head, tail)
}

/// All 20 decimal digits of `v`, zero-padded on the left.
#[inline]
pub(crate) fn padded20(v: u64) -> [u8; MAX_DIGITS] {
    let (head, tail) = padded(v);
    let mut digits = [0u8; MAX_DIGITS];
    digits[..4].copy_from_slice(&head.to_le_bytes()[..4]);
    digits[4..].copy_from_slice(&tail.to_le_bytes());
    digits
}

/// All 20 digits of `v` zero-padded at the start of 44 bytes (zeros after them): the 24 bytes
/// from `20 - digits(v)` are the canonical digits, then zeros.
#[inline(always)]
fn padded44(v: u64) -> [u8; 44] {
    let (head, tail) = padded(v);
    let mut buf = [0u8; 44];
    buf[..4].copy_from_slice(&head.to_le_bytes()[..4]);
    buf[4..20].copy_from_slice(&tail.to_le_bytes());
    buf
}

/// The canonical digits of `v` (no sign, no terminator) at the start of an array, and their
/// count (1 to 20): never fails, never allocates. Bytes past the count are 0.
///
/// ```
/// use netorder::int::ascii;
/// let (digits, n) = ascii::digits_array(4096);
/// assert_eq!(&digits[..n], b"4096");
/// let (digits, n) = ascii::digits_array(u64::MAX);
/// assert_eq!(&digits[..n], b"18446744073709551615");
/// ```
#[inline]
pub fn digits_array(v: u64) -> ([u8; MAX_DIGITS], usize) {
    let n = digits(v);
    let buf = padded44(v);
    let mut digits = [0u8; MAX_DIGITS];
    digits.copy_from_slice(&buf[MAX_DIGITS - n..][..MAX_DIGITS]);
    (digits, n)
}

#[inline]
fn check_terminator(terminator: u8) -> Result<()> {
    if terminator.is_ascii_digit() {
        Err(Error::new(ErrorKind::Unsupported {
            what: "an ASCII digit as the terminator",
        }))
    } else {
        Ok(())
    }
}

#[cold]
fn too_small(needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::BufferTooSmall { needed, available })
}

/// Writes the digits of `v` and `terminator` at the start of `out`; returns the bytes written
/// (digits + 1). Only those bytes are written: the rest of `out` is left as it was.
///
/// Errors, in this order: a digit as terminator, [`ErrorKind::Unsupported`]; `out` shorter
/// than the encoding, [`ErrorKind::BufferTooSmall`] `{ needed, available }`. On error `out`
/// is untouched. `MAX_DIGITS + 1` bytes always have room.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::ascii;
///
/// let mut out = [b'.'; 8];
/// assert_eq!(ascii::encode(42, b'\n', &mut out)?, 3);
/// assert_eq!(&out, b"42\n.....");
/// let err = ascii::encode(5, b'7', &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Unsupported { what: "an ASCII digit as the terminator" });
/// let err = ascii::encode(1234, b' ', &mut out[..4]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 5, available: 4 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode(v: u64, terminator: u8, out: &mut [u8]) -> Result<usize> {
    check_terminator(terminator)?;
    let (digits, n) = digits_array(v);
    let available = out.len();
    let dst = out
        .get_mut(..=n)
        .ok_or_else(|| too_small(n + 1, available))?;
    dst[..n].copy_from_slice(&digits[..n]);
    dst[n] = terminator;
    Ok(n + 1)
}

/// Appends the digits of `v` and `terminator` to `out`; returns the bytes written. (What
/// [`IntEncoding::Ascii`](crate::IntEncoding::Ascii) does.)
///
/// No branch on the number of digits: all 20 are made (SWAR, zero-padded) into a buffer, the
/// 24 bytes from the first significant one are appended in one copy, the terminator is stored
/// after the digits and the length cut back. (The copy reads bytes just stored, which the
/// processor cannot forward from its store buffer: that costs latency, not throughput.
/// Shifting the padding out in registers instead, with 128-bit shifts and selects, measured
/// 13.1 against 9.8 ns a value on issue 16's mixed values, itoa 12.9.)
#[cfg(feature = "alloc")]
#[inline(always)]
pub(crate) fn append(v: u64, terminator: u8, out: &mut Vec<u8>) -> Result<usize> {
    check_terminator(terminator)?;
    let n = digits(v);
    let buf = padded44(v);
    let start = out.len();
    out.extend_from_slice(
        buf[MAX_DIGITS - n..]
            .first_chunk::<24>()
            .expect("44 - 20 = 24"),
    );
    out[start + n] = terminator;
    out.truncate(start + n + 1);
    Ok(n + 1)
}

/// Writes the signed decimal form of `v` (`-` for negatives) and `terminator` at the start of
/// `out`; returns the bytes written ([`encoded_len_i64`]). Errors as for [`encode`]; on error
/// `out` is untouched.
///
/// ```
/// use netorder::int::ascii;
/// let mut out = [0u8; 32];
/// let n = ascii::encode_i64(i64::MIN, b' ', &mut out)?;
/// let m = ascii::encode_i64(7, b' ', &mut out[n..])?;
/// assert_eq!(&out[..n + m], b"-9223372036854775808 7 ");
/// // A digit cannot end a number:
/// let err = ascii::encode_i64(7, b'0', &mut out).unwrap_err();
/// assert!(matches!(err.kind(), netorder::ErrorKind::Unsupported { .. }), "{err}");
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn encode_i64(v: i64, terminator: u8, out: &mut [u8]) -> Result<usize> {
    check_terminator(terminator)?;
    let (digits, n) = digits_array(v.unsigned_abs());
    let sign = usize::from(v < 0);
    let available = out.len();
    let dst = out
        .get_mut(..sign + n + 1)
        .ok_or_else(|| too_small(sign + n + 1, available))?;
    if v < 0 {
        dst[0] = b'-';
    }
    dst[sign..sign + n].copy_from_slice(&digits[..n]);
    dst[sign + n] = terminator;
    Ok(sign + n + 1)
}

/// The 8 bytes at `at` as a little-endian word with `'0'` subtracted from each byte
/// (`b'0'..=b'9'` become 0 to 9), and a mask with bit 7 set in each byte that was not an
/// ASCII digit. `None` when fewer than 8 bytes are there.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> Option<(u64, u64)> {
    Some(kernels::classify(*bytes.get(at..)?.first_chunk::<8>()?))
}

/// SWAR: the run of ASCII digits (at most 8) at the start of the word `x` from [`word_at`]
/// as `(value, count)`.
#[inline(always)]
fn digits8(x: u64, not_digit: u64) -> (u64, usize) {
    let n = (not_digit.trailing_zeros() / 8) as usize;
    if n == 0 {
        return (0, 0);
    }
    // Move the n digits to the top bytes (zeros below them are leading zeros).
    (value8(x << (8 * (8 - n))), n)
}

/// Byte by byte: up to `MAX` more digits from index `START`, appended to `value`; returns the
/// value and the index after the last digit.
#[inline(always)]
fn digit_run<const START: usize, const MAX: usize>(bytes: &[u8], mut value: u64) -> (u64, usize) {
    let mut i = START;
    for &b in bytes.get(START..).unwrap_or_default().iter().take(MAX) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        value = value * 10 + u64::from(d);
        i += 1;
    }
    (value, i)
}

/// Reads the run of ASCII digits at the start of `bytes` (up to the first non-digit or the
/// end): `(value, digit count)`. The count is 0 when `bytes` does not start with a digit.
/// Refuses a leading zero followed by a digit and anything past `u64::MAX` as soon as it is
/// seen, so a prefix of bad input is reported as bad, not as incomplete.
///
/// Three cases, each with a short dependency chain (the values of a mixed stream are
/// independent, so the processor overlaps them only if each is short):
/// - the first 8 bytes are not all digits (or not all there): a byte loop over at most 7;
/// - they are: one SWAR word for them, then the next 8 bytes as a second SWAR word (its
///   digit run moved to the top by a shift) and a byte loop for digits 17 to 19, or, when
///   fewer than 16 bytes are there, a byte loop for digits 9 to 15.
///
/// 19 digits always fit a `u64`, so only a 20th needs checked arithmetic. (The previous
/// version read every word through SWAR, short inputs through a zero-padded load: fewer
/// instructions, but a longer chain, and slower on the mixed bench: 5.4 ns against 4.0 ns a
/// value, and slower than `str::parse` below 11 digits.)
#[inline]
fn parse_digits(bytes: &[u8]) -> Result<(u64, usize)> {
    let (mut value, i) = match word_at(bytes, 0) {
        Some((x, 0)) => match word_at(bytes, 8) {
            Some((x2, not_digit2)) => {
                let (more, n) = digits8(x2, not_digit2);
                let value = value8(x) * POW10[n] + more;
                if n == 8 {
                    digit_run::<16, { MAX_DIGITS - 1 - 16 }>(bytes, value)
                } else {
                    (value, 8 + n)
                }
            }
            None => digit_run::<8, 7>(bytes, value8(x)),
        },
        _ => digit_run::<0, 7>(bytes, 0),
    };
    if i > 1 && bytes[0] == b'0' {
        return Err(Error::new(ErrorKind::LeadingZero { offset: 0 }));
    }
    if i < MAX_DIGITS - 1 {
        return Ok((value, i));
    }
    let overflow = || {
        Error::new(ErrorKind::Overflow {
            offset: 0,
            bits: 64,
        })
    };
    match bytes.get(MAX_DIGITS - 1).map(|b| b.wrapping_sub(b'0')) {
        Some(d) if d <= 9 => {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d)))
                .ok_or_else(overflow)?;
            if bytes.get(MAX_DIGITS).is_some_and(u8::is_ascii_digit) {
                return Err(overflow());
            }
            Ok((value, MAX_DIGITS))
        }
        _ => Ok((value, MAX_DIGITS - 1)),
    }
}

/// After `start` bytes of sign and `n` digits: the terminator must follow.
#[inline]
fn expect_terminator(bytes: &[u8], end: usize, terminator: u8) -> Result<usize> {
    match bytes.get(end) {
        Some(&b) if b == terminator => Ok(end + 1),
        Some(&byte) => Err(Error::new(ErrorKind::InvalidByte {
            offset: end,
            byte,
            expected: EXPECT_DIGIT_OR_TERMINATOR,
        })),
        None => Err(Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: end + 1,
            available: bytes.len(),
        })),
    }
}

/// No digit at `at`: the input ended there (incomplete) or holds a wrong byte.
#[cold]
fn no_digit(bytes: &[u8], at: usize, expected: &'static str) -> Error {
    match bytes.get(at) {
        Some(&byte) => Error::new(ErrorKind::InvalidByte {
            offset: at,
            byte,
            expected,
        }),
        None => Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: at + 1,
            available: bytes.len(),
        }),
    }
}

/// Decodes canonical digits and the terminator from the start of `bytes`:
/// `(value, bytes consumed including the terminator)`. Bytes after the terminator are left
/// for the caller.
///
/// Errors (offsets from the start of `bytes`): [`ErrorKind::Incomplete`]
/// `{ offset: 0, needed: n + 1, available: n }` when the input ends before the terminator;
/// [`ErrorKind::LeadingZero`] `{ offset: 0 }`; [`ErrorKind::Overflow`] `{ offset: 0, bits: 64 }`
/// past `u64::MAX` or 20 digits; [`ErrorKind::InvalidByte`] at the first byte that is neither
/// a digit nor (after at least one digit) the terminator; [`ErrorKind::Unsupported`] for a
/// digit as terminator.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::ascii;
///
/// assert_eq!(ascii::decode(b"0\nrest", b'\n')?, (0, 2));
/// let err = ascii::decode(b"12", b'\n').unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 3, available: 2 });
/// let err = ascii::decode(b"-1\n", b'\n').unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidByte { offset: 0, byte: b'-', expected: "a decimal digit" });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline(always)]
pub fn decode(bytes: &[u8], terminator: u8) -> Result<(u64, usize)> {
    // A stream (24 bytes or more to read): one branch-free SWAR pass, then the terminator.
    // (`window[n]` is not a digit, so a digit as terminator never matches here.)
    if let Some(window) = bytes.first_chunk::<24>() {
        if let Some((value, n)) = kernels::digits24(window) {
            if window[n] == terminator {
                return Ok((value, n + 1));
            }
        }
    }
    decode_exact(bytes, terminator)
}

/// [`decode`] on fewer than 24 bytes, or to name what is wrong: the exact path.
#[inline]
fn decode_exact(bytes: &[u8], terminator: u8) -> Result<(u64, usize)> {
    check_terminator(terminator)?;
    let (value, n) = parse_digits(bytes)?;
    if n == 0 {
        return Err(no_digit(bytes, 0, EXPECT_DIGIT));
    }
    Ok((value, expect_terminator(bytes, n, terminator)?))
}

/// Decodes the signed form (`-` for negatives) and the terminator from the start of `bytes`:
/// `(value, bytes consumed including the terminator)`.
///
/// Errors as for [`decode`], plus: [`ErrorKind::NegativeZero`] `{ offset: 0 }` for `-0`;
/// [`ErrorKind::Overflow`] `{ offset: 0, bits: 64 }` outside `i64::MIN..=i64::MAX`;
/// [`ErrorKind::InvalidByte`] for `+` or a second `-`. A leading zero (`-07`) is
/// [`ErrorKind::LeadingZero`] `{ offset: 0 }`. Wrong input is reported as soon as no
/// continuation could make it right (`-0` with nothing after it is already `NegativeZero`).
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::ascii;
///
/// assert_eq!(ascii::decode_i64(b"-9223372036854775808\n", b'\n')?, (i64::MIN, 21));
/// let err = ascii::decode_i64(b"-9223372036854775809\n", b'\n').unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Overflow { offset: 0, bits: 64 });
/// let err = ascii::decode_i64(b"-0\n", b'\n').unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::NegativeZero { offset: 0 });
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn decode_i64(bytes: &[u8], terminator: u8) -> Result<(i64, usize)> {
    check_terminator(terminator)?;
    let overflow = || {
        Error::new(ErrorKind::Overflow {
            offset: 0,
            bits: 64,
        })
    };
    if bytes.first() == Some(&b'-') {
        let rest = &bytes[1..];
        let (magnitude, n) = parse_digits(rest)?;
        if n == 0 {
            return Err(no_digit(bytes, 1, EXPECT_DIGIT));
        }
        if magnitude > i64::MIN.unsigned_abs() {
            return Err(overflow());
        }
        if magnitude == 0 {
            return Err(Error::new(ErrorKind::NegativeZero { offset: 0 }));
        }
        let used = expect_terminator(bytes, n + 1, terminator)?;
        // magnitude is in 1..=2^63, so 0 - magnitude fits an i64.
        Ok((0i64.wrapping_sub_unsigned(magnitude), used))
    } else {
        let (value, n) = parse_digits(bytes)?;
        if n == 0 {
            return Err(no_digit(bytes, 0, EXPECT_DIGIT_OR_MINUS));
        }
        let value = i64::try_from(value).map_err(|_| overflow())?;
        Ok((value, expect_terminator(bytes, n, terminator)?))
    }
}
