//! The integer primitives of a record, generated for every width by one macro: fixed-width
//! bytes in either order, the LEB128/zigzag form and the fixed-width ASCII form.
//!
//! Everything here is allocation-free and works on `u128` so that one code path serves every
//! width from `u8` to `i128` (layer 2's `u64` primitives cannot hold a `u128`).

use super::fail::{Fail as Error, Res as Result};
use crate::error::ErrorKind;
use crate::int::varint;

/// An integer type a record can hold.
pub(crate) trait WireInt: Copy {
    /// `[u8; size_of::<Self>()]`.
    type Bytes: AsRef<[u8]> + AsMut<[u8]> + Default;
    /// Width in bits.
    const BITS: u32;
    /// Decimal digits of the widest magnitude (`u8` → 3, `i8` → 3 for 128).
    const ASCII_DIGITS: usize;
    /// Whether a sign byte precedes the ASCII digits.
    const SIGNED: bool;
    fn to_be(self) -> Self::Bytes;
    fn to_le(self) -> Self::Bytes;
    fn from_be(b: Self::Bytes) -> Self;
    fn from_le(b: Self::Bytes) -> Self;
    /// The value the varint form writes: the value itself, zigzag-mapped when signed.
    fn to_varint(self) -> u128;
    /// The inverse of `to_varint`; `None` when the value does not fit.
    fn from_varint(v: u128) -> Option<Self>;
    /// Sign and magnitude.
    fn to_sign_magnitude(self) -> (bool, u128);
    /// The inverse of `to_sign_magnitude`; `None` when the value does not fit.
    fn from_sign_magnitude(negative: bool, magnitude: u128) -> Option<Self>;
}

/// Decimal digits of `max` (at least 1): the ASCII width of a type whose widest magnitude
/// is `max`.
const fn decimal_digits(mut max: u128) -> usize {
    let mut digits = 1;
    while max >= 10 {
        max /= 10;
        digits += 1;
    }
    digits
}

/// [`WireInt`] for the integers of the one primitive table ([`crate::order::primitives`]).
macro_rules! wire_int {
    (
        unsigned: $(($u:ident, $ub:literal, $utwin:ident, $($urest:tt)*))*;
        signed: $(($s:ident, $sb:literal, $stwin:ident, $($srest:tt)*))*;
        float: $($floats:tt)*
    ) => {
        $(
            impl WireInt for $u {
                wire_int!(@bytes $u);
                const ASCII_DIGITS: usize = decimal_digits(<$u>::MAX as u128);
                const SIGNED: bool = false;
                #[inline]
                fn to_varint(self) -> u128 { self as u128 }
                #[inline]
                fn from_varint(v: u128) -> Option<Self> { <$u>::try_from(v).ok() }
                #[inline]
                fn to_sign_magnitude(self) -> (bool, u128) { (false, self as u128) }
                #[inline]
                fn from_sign_magnitude(negative: bool, magnitude: u128) -> Option<Self> {
                    if negative { None } else { <$u>::try_from(magnitude).ok() }
                }
            }
        )*
        $(
            impl WireInt for $s {
                wire_int!(@bytes $s);
                const ASCII_DIGITS: usize = decimal_digits(<$s>::MIN.unsigned_abs() as u128);
                const SIGNED: bool = true;
                #[inline]
                fn to_varint(self) -> u128 {
                    // zigzag: 0, -1, 1, -2, ... → 0, 1, 2, 3, ...
                    (((self << 1) ^ (self >> (<$s>::BITS - 1))) as $stwin) as u128
                }
                #[inline]
                fn from_varint(v: u128) -> Option<Self> {
                    let u = <$stwin>::try_from(v).ok()?;
                    Some(((u >> 1) as $s) ^ -((u & 1) as $s))
                }
                #[inline]
                fn to_sign_magnitude(self) -> (bool, u128) {
                    (self < 0, self.unsigned_abs() as u128)
                }
                #[inline]
                fn from_sign_magnitude(negative: bool, magnitude: u128) -> Option<Self> {
                    if negative {
                        // The magnitude of MIN is one more than MAX.
                        let m = <$stwin>::try_from(magnitude).ok()?;
                        if m > <$s>::MIN.unsigned_abs() { return None; }
                        Some((0 as $s).wrapping_sub_unsigned(m))
                    } else {
                        <$s>::try_from(magnitude).ok()
                    }
                }
            }
        )*
    };
    // What every integer has alike: its bytes in either order.
    (@bytes $t:ident) => {
        type Bytes = [u8; size_of::<$t>()];
        const BITS: u32 = <$t>::BITS;
        #[inline(always)]
        fn to_be(self) -> Self::Bytes { self.to_be_bytes() }
        #[inline(always)]
        fn to_le(self) -> Self::Bytes { self.to_le_bytes() }
        #[inline(always)]
        fn from_be(b: Self::Bytes) -> Self { <$t>::from_be_bytes(b) }
        #[inline(always)]
        fn from_le(b: Self::Bytes) -> Self { <$t>::from_le_bytes(b) }
    };
}

crate::order::primitives!(wire_int);

/// Longest LEB128 form of a `u128` (19 bytes) and longest ASCII form of an `i128` (40 bytes).
pub(crate) const MAX_VARINT: usize = 19;
pub(crate) const MAX_ASCII: usize = 40;

/// Bytes of the varint form of a `bits`-bit integer at most.
pub(crate) const fn max_varint_len(bits: u32) -> usize {
    bits.div_ceil(7) as usize
}

// ----- LEB128: layer 2's one loop -----------------------------------------------------------
//
// Every varint of a record goes through `int::varint` (the three calls below, so that a change
// of its signatures is a change here only). An integer of up to 64 bits is one call; a `u128`
// is up to three: nine bytes that all continue hold 63 bits, and layer 2 decodes or encodes
// them as a 10-byte `u64` varint whose last byte is fixed.

/// Layer 2's encoder: `v` at the front of `out`, the bytes used.
#[inline(always)]
fn leb128_encode(v: u64, out: &mut [u8; varint::MAX_LEN]) -> usize {
    let n;
    (*out, n) = varint::encode_array(v);
    n
}

/// Layer 2's strict decoder: `(value, bytes)` from the start of `bytes`; errors at offset 0.
#[inline(always)]
fn leb128_decode(bytes: &[u8]) -> crate::error::Result<(u64, usize)> {
    varint::decode(bytes)
}

/// Calls `write` with the LEB128 form of `v` (zigzag-mapped first when signed).
#[inline(always)]
pub(crate) fn with_varint<N: WireInt, R>(v: N, write: impl FnOnce(&[u8]) -> R) -> R {
    let v = v.to_varint();
    if N::BITS <= 64 {
        let mut buf = [0; varint::MAX_LEN];
        let n = leb128_encode(v as u64, &mut buf);
        write(&buf[..n])
    } else {
        let mut buf = [0; MAX_VARINT];
        let n = varint_encode(v, &mut buf);
        write(&buf[..n])
    }
}

/// Length of the LEB128 form of `v`.
#[cfg_attr(not(feature = "alloc"), allow(dead_code))] // used by `record_size`
pub(crate) fn varint_len<N: WireInt>(v: N) -> usize {
    with_varint(v, <[u8]>::len)
}

/// Writes `v` as LEB128 into `out`; returns the length (1 to 19).
pub(crate) fn varint_encode(mut v: u128, out: &mut [u8; MAX_VARINT]) -> usize {
    let mut buf = [0; varint::MAX_LEN];
    let mut at = 0;
    // At most twice: 128 bits are 63 + 63 + 2.
    while v > u128::from(u64::MAX) {
        // The low 63 bits, and bit 63 set: nine bytes that all continue (the tenth is dropped).
        leb128_encode(v as u64 | 1 << 63, &mut buf);
        out[at..at + 9].copy_from_slice(&buf[..9]);
        v >>= 63;
        at += 9;
    }
    let n = leb128_encode(v as u64, &mut buf);
    out[at..at + n].copy_from_slice(&buf[..n]);
    at + n
}

/// Decodes the LEB128 form of an integer of `bits` bits from the start of `bytes`:
/// `(value, bytes used)`; the caller checks that the value fits its type. Strict, as layer 2:
/// errors at offset 0 are `Incomplete` when the input ends inside the varint, `Overlong` for a
/// final zero byte, and `Overflow { bits }` for more bytes than `bits` need or bits past 128.
#[inline]
pub(crate) fn varint_decode(bytes: &[u8], bits: u32) -> Result<(u128, usize)> {
    if bits > 64 {
        return varint_decode_wide(bytes);
    }
    let max = max_varint_len(bits);
    let head = bytes.get(..max).unwrap_or(bytes);
    match leb128_decode(head) {
        Ok((v, n)) => Ok((u128::from(v), n)),
        Err(e) => Err(varint_failed(e, 0, head.len() == max, bits)),
    }
}

/// A `u128`: 63 bits from each run of nine bytes that all continue, then the rest.
fn varint_decode_wide(bytes: &[u8]) -> Result<(u128, usize)> {
    let max = max_varint_len(128);
    let mut value = 0u128;
    let mut at = 0;
    loop {
        let rest = &bytes[at..];
        if at + 9 < max {
            if let Some(nine) = rest
                .first_chunk::<9>()
                .filter(|n| n.iter().all(|b| b & 0x80 != 0))
            {
                let mut ten = [1; varint::MAX_LEN];
                ten[..9].copy_from_slice(nine);
                let low = leb128_decode(&ten).map_or(0, |(v, _)| v & (u64::MAX >> 1));
                value |= u128::from(low) << (7 * at);
                at += 9;
                continue;
            }
        }
        let head = rest.get(..max - at).unwrap_or(rest);
        return match leb128_decode(head) {
            // A last byte of zero after nine that continue: overlong.
            Ok((0, 1)) if at > 0 => Err(Error::new(ErrorKind::Overlong {
                offset: 0,
                len: at + 1,
            })),
            Ok((v, n)) if 7 * at + (64 - v.leading_zeros() as usize) <= 128 => {
                Ok((value | u128::from(v) << (7 * at), at + n))
            }
            Ok(_) => Err(Error::new(ErrorKind::Overflow {
                offset: 0,
                bits: 128,
            })),
            Err(e) => Err(varint_failed(e, at, head.len() == max - at, 128)),
        };
    }
}

/// Layer 2's error for a varint whose part from byte `at` it decoded, as the record reports it:
/// running out of the bytes a `bits`-bit type may take (`full`) is an `Overflow`, not
/// `Incomplete`.
#[cold]
fn varint_failed(e: crate::error::Error, at: usize, full: bool, bits: u32) -> Error {
    Error::new(match *e.kind() {
        ErrorKind::Incomplete {
            needed, available, ..
        } if !full => ErrorKind::Incomplete {
            offset: 0,
            needed: at + needed,
            available: at + available,
        },
        ErrorKind::Overlong { len, .. } => ErrorKind::Overlong {
            offset: 0,
            len: at + len,
        },
        _ => ErrorKind::Overflow { offset: 0, bits },
    })
}

/// Width of the ASCII form of `N` (sign byte included).
pub(crate) const fn ascii_len<N: WireInt>() -> usize {
    N::ASCII_DIGITS + N::SIGNED as usize
}

/// Writes `v` as fixed-width ASCII into `out`; returns the length ([`ascii_len`]).
///
/// Up to 64 bits the digits are layer 2's [`ascii_fixed::encode`](crate::int::ascii_fixed::encode);
/// `u128`/`i128` (up to 39 digits) have their own loop.
pub(crate) fn ascii_encode<N: WireInt>(v: N, out: &mut [u8; MAX_ASCII]) -> usize {
    let (negative, mut magnitude) = v.to_sign_magnitude();
    let len = ascii_len::<N>();
    let digits = &mut out[N::SIGNED as usize..len];
    let done = N::BITS <= 64
        && crate::int::ascii_fixed::encode(magnitude as u64, N::ASCII_DIGITS as u8, digits).is_ok();
    if !done {
        for d in digits.iter_mut().rev() {
            *d = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
        }
    }
    if N::SIGNED {
        out[0] = if negative { b'-' } else { b'+' };
    }
    len
}

/// Parses exactly [`ascii_len::<N>()`](ascii_len) bytes of fixed-width ASCII; `offset` is where
/// `bytes` starts in the caller's input.
pub(crate) fn ascii_decode<N: WireInt>(bytes: &[u8], offset: usize) -> Result<N> {
    let (negative, digits, digits_at) = if N::SIGNED {
        match bytes.first() {
            Some(b'+') => (false, &bytes[1..], offset + 1),
            Some(b'-') => (true, &bytes[1..], offset + 1),
            Some(&byte) => {
                return Err(Error::new(ErrorKind::InvalidByte {
                    offset,
                    byte,
                    expected: "a sign `+` or `-`",
                }));
            }
            None => {
                return Err(Error::new(ErrorKind::Incomplete {
                    offset,
                    needed: 1,
                    available: 0,
                }));
            }
        }
    } else {
        (false, bytes, offset)
    };
    if N::BITS <= 64 {
        // Layer 2's strict fixed-width digits (exactly `width` digits, no sign, no space).
        let (magnitude, _) = crate::int::ascii_fixed::decode(digits, N::ASCII_DIGITS as u8)
            .map_err(|e| match e.kind() {
                ErrorKind::Overflow { .. } => Error::new(ErrorKind::Overflow {
                    offset,
                    bits: N::BITS,
                }),
                _ => Error::from(e.offset_by(digits_at)),
            })?;
        if negative && magnitude == 0 {
            return Err(Error::new(ErrorKind::NegativeZero { offset }));
        }
        return N::from_sign_magnitude(negative, magnitude.into()).ok_or_else(|| {
            Error::new(ErrorKind::Overflow {
                offset,
                bits: N::BITS,
            })
        });
    }
    let mut magnitude: u128 = 0;
    let mut overflow = false;
    for (i, &b) in digits.iter().enumerate() {
        if !b.is_ascii_digit() {
            return Err(Error::new(ErrorKind::InvalidByte {
                offset: digits_at + i,
                byte: b,
                expected: "a decimal digit",
            }));
        }
        match magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(b - b'0')))
        {
            Some(m) => magnitude = m,
            None => overflow = true,
        }
    }
    if negative && magnitude == 0 && !overflow {
        return Err(Error::new(ErrorKind::NegativeZero { offset }));
    }
    if overflow {
        return Err(Error::new(ErrorKind::Overflow {
            offset,
            bits: N::BITS,
        }));
    }
    N::from_sign_magnitude(negative, magnitude).ok_or(Error::new(ErrorKind::Overflow {
        offset,
        bits: N::BITS,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn ascii<N: WireInt>(v: N) -> Vec<u8> {
        let mut buf = [0; MAX_ASCII];
        let n = ascii_encode(v, &mut buf);
        buf[..n].to_vec()
    }

    #[test]
    fn ascii_widths_hold_the_extremes() {
        assert_eq!(ascii(u8::MAX), b"255");
        assert_eq!(ascii(i8::MIN), b"-128");
        assert_eq!(ascii(i8::MAX), b"+127");
        assert_eq!(ascii(0i16), b"+00000");
        assert_eq!(ascii(u64::MAX), b"18446744073709551615");
        assert_eq!(ascii(i64::MIN), b"-9223372036854775808");
        assert_eq!(ascii(u128::MAX), u128::MAX.to_string().as_bytes());
        assert_eq!(ascii(i128::MIN), i128::MIN.to_string().as_bytes());
        assert_eq!(ascii(i128::MAX).len(), 40);
    }

    /// The error of decoding `bytes` (at `offset`) as an `N`.
    fn ascii_err<N: WireInt>(bytes: &[u8], offset: usize) -> ErrorKind {
        ascii_decode::<N>(bytes, offset)
            .map(|_| ())
            .unwrap_err()
            .into_kind()
    }

    #[test]
    fn ascii_decode_is_strict() {
        assert_eq!(ascii_decode::<i8>(b"-128", 0).unwrap(), i8::MIN);
        let sign = "a sign `+` or `-`";
        let digit = "a decimal digit";
        let cases = [
            (
                ascii_err::<i8>(b"-129", 5),
                ErrorKind::Overflow { offset: 5, bits: 8 },
            ),
            (
                ascii_err::<u8>(b"256", 0),
                ErrorKind::Overflow { offset: 0, bits: 8 },
            ),
            (
                ascii_err::<i8>(b"-000", 0),
                ErrorKind::NegativeZero { offset: 0 },
            ),
            (
                ascii_err::<i8>(b"0127", 2),
                ErrorKind::InvalidByte {
                    offset: 2,
                    byte: b'0',
                    expected: sign,
                },
            ),
            (
                ascii_err::<u16>(b"12 45", 0),
                ErrorKind::InvalidByte {
                    offset: 2,
                    byte: b' ',
                    expected: digit,
                },
            ),
            (
                ascii_err::<u128>(&[b'9'; 39], 0),
                ErrorKind::Overflow {
                    offset: 0,
                    bits: 128,
                },
            ),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn zigzag_and_varint_lengths() {
        assert_eq!(0i32.to_varint(), 0);
        assert_eq!((-1i32).to_varint(), 1);
        assert_eq!(1i32.to_varint(), 2);
        assert_eq!(i64::MIN.to_varint(), u64::MAX as u128);
        assert_eq!(i128::MIN.to_varint(), u128::MAX);
        assert_eq!(i128::from_varint(u128::MAX), Some(i128::MIN));
        assert_eq!(i8::from_varint(256), None);
        assert_eq!(varint_len(0u8), 1);
        assert_eq!(varint_len(127u32), 1);
        assert_eq!(varint_len(128u64), 2);
        assert_eq!(varint_len(u128::MAX), 19);
        let mut buf = [0; MAX_VARINT];
        let n = varint_encode(300, &mut buf);
        assert_eq!(&buf[..n], &[0xac, 0x02]);
        assert_eq!(max_varint_len(64), 10);
        assert_eq!(max_varint_len(128), 19);
    }

    fn decode(bytes: &[u8], bits: u32) -> core::result::Result<(u128, usize), ErrorKind> {
        varint_decode(bytes, bits).map_err(|e| e.into_kind())
    }

    #[test]
    fn wide_varints_round_trip_through_layer_2() {
        // Every power of two, one less and one more, and the extremes.
        let mut values = alloc::vec![0u128, 1, u128::MAX, u128::MAX - 1];
        for k in 1..128 {
            values.extend([(1u128 << k) - 1, 1 << k, (1 << k) + 1]);
        }
        for v in values {
            let mut buf = [0; MAX_VARINT];
            let n = varint_encode(v, &mut buf);
            let bits = (128 - v.leading_zeros()).max(1) as usize;
            assert_eq!(n, bits.div_ceil(7), "{v:#x}");
            assert!(buf[..n - 1].iter().all(|b| b & 0x80 != 0), "{v:#x}");
            assert!(buf[n - 1] < 0x80 && (n == 1 || buf[n - 1] != 0), "{v:#x}");
            assert_eq!(decode(&buf[..n], 128), Ok((v, n)), "{v:#x}");
            // With more bytes after it, and every prefix cut short.
            let mut longer = buf[..n].to_vec();
            longer.extend_from_slice(&[0xff; 20]);
            assert_eq!(decode(&longer, 128), Ok((v, n)), "{v:#x}");
            for cut in 0..n {
                assert_eq!(
                    decode(&buf[..cut], 128),
                    Err(ErrorKind::Incomplete {
                        offset: 0,
                        needed: cut + 1,
                        available: cut
                    }),
                    "{v:#x} cut at {cut}"
                );
            }
            if v <= u128::from(u64::MAX) {
                assert_eq!(with_varint(v as u64, <[u8]>::to_vec), buf[..n]);
                assert_eq!(decode(&buf[..n], 64), Ok((v, n)));
            }
        }
    }

    #[test]
    fn wide_varints_are_strict() {
        let overlong = |len| Err(ErrorKind::Overlong { offset: 0, len });
        let overflow = |bits| Err(ErrorKind::Overflow { offset: 0, bits });
        // `n` bytes of 0xff, then `last`.
        let run = |n: usize, last: &[u8]| [&alloc::vec![0xff; n][..], last].concat();
        let cases = [
            // A final zero byte after 1, 9 (a whole group), 10 and 18 bytes that continue.
            (alloc::vec![0x80, 0], 128, overlong(2)),
            (run(9, &[0]), 128, overlong(10)),
            (run(10, &[0]), 128, overlong(11)),
            (run(18, &[0]), 128, overlong(19)),
            // The 19th byte holds bits 126 and 127 only.
            (run(18, &[0x03]), 128, Ok((u128::MAX, 19))),
            (run(18, &[0x04]), 128, overflow(128)),
            (run(18, &[0x83]), 128, overflow(128)),
            (run(30, &[]), 128, overflow(128)),
            // A narrower type: only the bytes its width needs.
            (run(3, &[]), 16, overflow(16)),
            (
                run(2, &[]),
                16,
                Err(ErrorKind::Incomplete {
                    offset: 0,
                    needed: 3,
                    available: 2,
                }),
            ),
            (run(10, &[]), 64, overflow(64)),
            (alloc::vec![0x80, 0], 32, overlong(2)),
            // The value's range is the caller's to check.
            (run(2, &[0x7f]), 16, Ok((0x1f_ffff, 3))),
        ];
        for (bytes, bits, expected) in cases {
            assert_eq!(
                decode(&bytes, bits),
                expected,
                "{bytes:02x?} as {bits} bits"
            );
        }
    }
}
