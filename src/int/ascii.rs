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
//! let mut out = Vec::new();
//! ascii::encode(1234, b'\n', &mut out)?;
//! assert_eq!(out, b"1234\n");
//! assert_eq!(ascii::decode(&out, b'\n')?, (1234, 5));
//! let err = ascii::decode(b"1234 \n", b'\n').unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::InvalidByte { offset: 4, byte: b' ', expected: "a decimal digit or the terminator" });
//! # Ok::<(), netorder::Error>(())
//! ```

// Without `alloc` the docs still name the `Vec` functions (they link with it).
#![cfg_attr(not(feature = "alloc"), allow(rustdoc::broken_intra_doc_links))]

use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "alloc")]
use crate::prelude::*;

/// The most digits a `u64` has (`u64::MAX` = 18446744073709551615).
///
/// ```
/// use netorder::int::ascii::MAX_DIGITS;
/// assert_eq!(u64::MAX.to_string().len(), MAX_DIGITS);
/// ```
pub const MAX_DIGITS: usize = 20;

const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

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
    if v == 0 { 1 } else { v.ilog10() as usize + 1 }
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

/// Writes the decimal digits of `v` at the end of `buf` and returns them (a sub-slice of
/// `buf`). No allocation, no formatting machinery: two digits per step from a table, as
/// `itoa` does.
///
/// ```
/// use netorder::int::ascii;
/// let mut buf = [0u8; ascii::MAX_DIGITS];
/// assert_eq!(ascii::encode_u64(0, &mut buf), b"0");
/// assert_eq!(ascii::encode_u64(u64::MAX, &mut buf), b"18446744073709551615");
/// ```
#[inline]
pub fn encode_u64(v: u64, buf: &mut [u8; MAX_DIGITS]) -> &[u8] {
    let mut pos = MAX_DIGITS;
    let mut n = v;
    // At most 4 rounds of 4 digits for 20 digits; what is left is below 10_000.
    while n >= 10_000 {
        let rem = (n % 10_000) as usize;
        n /= 10_000;
        let (hi, lo) = ((rem / 100) * 2, (rem % 100) * 2);
        pos -= 4;
        buf[pos..pos + 2].copy_from_slice(&PAIRS[hi..hi + 2]);
        buf[pos + 2..pos + 4].copy_from_slice(&PAIRS[lo..lo + 2]);
    }
    let mut n = n as usize;
    if n >= 100 {
        let lo = (n % 100) * 2;
        n /= 100;
        pos -= 2;
        buf[pos..pos + 2].copy_from_slice(&PAIRS[lo..lo + 2]);
    }
    if n >= 10 {
        pos -= 2;
        buf[pos..pos + 2].copy_from_slice(&PAIRS[n * 2..n * 2 + 2]);
    } else {
        pos -= 1;
        buf[pos] = b'0' + n as u8;
    }
    &buf[pos..]
}

fn check_terminator(terminator: u8) -> Result<()> {
    if terminator.is_ascii_digit() {
        Err(Error::new(ErrorKind::Unsupported {
            what: "an ASCII digit as the terminator",
        }))
    } else {
        Ok(())
    }
}

#[cfg(feature = "alloc")]
/// Appends the digits of `v` and `terminator` to `out`; returns the bytes written.
///
/// A digit as terminator: [`ErrorKind::Unsupported`], and `out` is unchanged.
///
/// ```
/// use netorder::ErrorKind;
/// use netorder::int::ascii;
///
/// let mut out = Vec::new();
/// assert_eq!(ascii::encode(0, b'\n', &mut out)?, 2);
/// assert_eq!(out, [0x30, 0x0a]);
/// let err = ascii::encode(5, b'7', &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Unsupported { what: "an ASCII digit as the terminator" });
/// assert_eq!(out.len(), 2);
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn encode(v: u64, terminator: u8, out: &mut Vec<u8>) -> Result<usize> {
    check_terminator(terminator)?;
    let mut buf = [0u8; MAX_DIGITS];
    let digits = encode_u64(v, &mut buf);
    out.reserve(digits.len() + 1);
    out.extend_from_slice(digits);
    out.push(terminator);
    Ok(digits.len() + 1)
}

#[cfg(feature = "alloc")]
/// Appends the signed decimal form of `v` (`-` for negatives) and `terminator` to `out`;
/// returns the bytes written.
///
/// ```
/// use netorder::int::ascii;
/// let mut out = Vec::new();
/// ascii::encode_i64(i64::MIN, b' ', &mut out)?;
/// ascii::encode_i64(7, b' ', &mut out)?;
/// assert_eq!(out, b"-9223372036854775808 7 ");
/// // A digit cannot end a number:
/// let err = ascii::encode_i64(7, b'0', &mut out).unwrap_err();
/// assert!(matches!(err.kind(), netorder::ErrorKind::Unsupported { .. }), "{err}");
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn encode_i64(v: i64, terminator: u8, out: &mut Vec<u8>) -> Result<usize> {
    check_terminator(terminator)?;
    let mut buf = [0u8; MAX_DIGITS];
    let digits = encode_u64(v.unsigned_abs(), &mut buf);
    out.reserve(digits.len() + 2);
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(digits);
    out.push(terminator);
    Ok(encoded_len_i64(v))
}

/// `10^n` for `n` in `0..=8`.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// The 8 bytes at `at` as a little-endian word with `'0'` subtracted from each byte
/// (`b'0'..=b'9'` become 0 to 9), and a mask with bit 7 set in each byte that was not an
/// ASCII digit. `None` when fewer than 8 bytes are there.
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> Option<(u64, u64)> {
    let chunk = bytes.get(at..)?.first_chunk::<8>()?;
    // Digits become 0..=9 in their byte; anything else becomes >= 10 or has bit 7 set.
    let x = u64::from_le_bytes(*chunk) ^ 0x3030_3030_3030_3030;
    let not_digit =
        (((x & 0x7F7F_7F7F_7F7F_7F7F) + 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080;
    Some((x, not_digit))
}

/// SWAR: the value of 8 digits (0 to 9 each, the first, most significant one in the lowest
/// byte): combine pairs, quads and octets, one multiply each.
#[inline(always)]
fn value8(mut d: u64) -> u64 {
    d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    d = (d.wrapping_mul(100) + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    (d.wrapping_mul(10_000) + (d >> 32)) & 0xFFFF_FFFF
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
#[inline]
pub fn decode(bytes: &[u8], terminator: u8) -> Result<(u64, usize)> {
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
