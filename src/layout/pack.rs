//! Packing and unpacking one field, with CPython 3.11's `struct` rules.

use super::Value;
use super::parse::Kind;
use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;
use alloc::borrow::Cow;

/// `write_uint` and `read_uint` with one arm per unsigned width of the one primitive table
/// ([`crate::order::primitives`]), so that each copy has a constant length (no `memcpy`
/// call). Struct codes are 1, 2, 4 or 8 bytes wide; no code has the other widths.
macro_rules! fixed_width_io {
    (unsigned: $(($ty:ident, $width:literal, $($rest:tt)*))*; $($other:tt)*) => {
        /// Writes the low `dst.len()` (1, 2, 4 or 8) bytes of `v` in the given order.
        fn write_uint(dst: &mut [u8], v: u64, big: bool) {
            match dst.len() {
                $($width => dst.copy_from_slice(&if big {
                    (v as $ty).to_be_bytes()
                } else {
                    (v as $ty).to_le_bytes()
                }),)*
                w => unreachable!("no struct code is {w} bytes wide"),
            }
        }

        /// Reads `src` (1, 2, 4 or 8 bytes) as an unsigned integer in the given order.
        fn read_uint(src: &[u8], big: bool) -> u64 {
            match src.len() {
                $($width => {
                    let mut b = [0u8; $width];
                    b.copy_from_slice(src);
                    (if big { <$ty>::from_be_bytes(b) } else { <$ty>::from_le_bytes(b) }) as u64
                })*
                w => unreachable!("no struct code is {w} bytes wide"),
            }
        }
    };
}

crate::order::primitives!(fixed_width_io);

/// What a value is, for a `TypeMismatch` message.
fn describe(value: &Value) -> Cow<'static, str> {
    match value {
        Value::Int(_) => "an integer".into(),
        Value::Bool(_) => "a bool".into(),
        Value::Float(_) => "a float".into(),
        Value::Bytes(b) => format!("a byte string of length {}", b.len()).into(),
    }
}

fn mismatch(expected: &'static str, value: &Value) -> Error {
    Error::new(ErrorKind::TypeMismatch {
        expected,
        found: describe(value),
    })
}

/// Python's `PyObject_IsTrue` for the values we have.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Int(n) => *n != 0,
        Value::Bool(b) => *b,
        Value::Float(x) => *x != 0.0, // NaN is true, as in Python
        Value::Bytes(b) => !b.is_empty(),
    }
}

/// An integer for an integer code: ints and bools (a Python `bool` is an `int`), never floats.
fn as_int(value: &Value) -> Result<i128> {
    match value {
        Value::Int(n) => Ok(*n),
        Value::Bool(b) => Ok(i128::from(*b)),
        _ => Err(mismatch("an integer", value)),
    }
}

/// A float for a float code: floats, ints and bools (Python calls `__float__`).
fn as_float(value: &Value) -> Result<f64> {
    match value {
        Value::Float(x) => Ok(*x),
        // Round to nearest, ties to even: what Python's int-to-float conversion does.
        Value::Int(n) => Ok(*n as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Bytes(_) => Err(mismatch("a float", value)),
    }
}

fn check_range(value: i128, min: i128, max: i128) -> Result<()> {
    if value < min || value > max {
        return Err(Error::new(ErrorKind::OutOfRange { value, min, max }));
    }
    Ok(())
}

/// Largest finite binary16 value.
pub(crate) const HALF_MAX: f64 = 65504.0;

/// `x` as IEEE 754 binary16 bits, rounded half to even directly from the `f64` (no double
/// rounding through `f32`), as CPython's `PyFloat_Pack2`: NaN becomes `0x7e00` with the sign
/// kept, infinities stay; `None` when a finite value rounds past [`HALF_MAX`].
pub(crate) fn f64_to_half(x: f64) -> Option<u16> {
    let bits = x.to_bits();
    let sign = ((bits >> 48) as u16) & 0x8000;
    if x.is_nan() {
        return Some(sign | 0x7e00);
    }
    if x.is_infinite() {
        return Some(sign | 0x7c00);
    }
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Zero or an f64 subnormal: far below half a binary16 subnormal step.
        return Some(sign);
    }
    let exp = biased - 1023; // x = m * 2^(exp - 52), m with the implicit bit
    let m = (bits & ((1 << 52) - 1)) | (1 << 52);
    if exp > 15 {
        return None;
    }
    // Keep the bits that land in the result: 11 for a normal binary16 (exponent >= -14),
    // fewer for a subnormal one, whose step is 2^-24.
    let shift = if exp >= -14 { 42 } else { (28 - exp) as u32 };
    let rounded = if shift >= 64 {
        0
    } else {
        let q = m >> shift;
        let rest = m & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rest > half || (rest == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    if exp >= -14 {
        // rounded is in 1024..=2048; 2048 carries into the exponent.
        let (mant, e) = if rounded == 2048 {
            (1024, exp + 1)
        } else {
            (rounded, exp)
        };
        let field = e + 15;
        if field >= 31 {
            return None;
        }
        Some(sign | ((field as u16) << 10) | (mant as u16 - 1024))
    } else {
        // A subnormal (rounded < 1024) or, when it rounds up to 1024, the smallest normal,
        // whose bits are the same number.
        Some(sign | rounded as u16)
    }
}

/// `2^e` for a normal `f64` exponent, from its bits (`powi` needs `std`).
fn pow2(e: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&e));
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// Binary16 bits as an `f64` (exact).
pub(crate) fn half_to_f64(h: u16) -> f64 {
    let negative = h & 0x8000 != 0;
    let e = i32::from((h >> 10) & 0x1f);
    let f = f64::from(h & 0x3ff);
    let magnitude = match e {
        0 => f * pow2(-24),
        31 if f == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1024.0 + f) * pow2(e - 25),
    };
    if negative { -magnitude } else { magnitude }
}

/// Packs `value` for a field of `kind`/`code` into `dst` (exactly the field's bytes, already
/// zeroed).
pub(crate) fn pack_value(
    kind: Kind,
    native: bool,
    big: bool,
    value: &Value,
    dst: &mut [u8],
) -> Result<()> {
    match kind {
        Kind::Pad => {}
        Kind::Char => match value {
            Value::Bytes(b) if b.len() == 1 => dst[0] = b[0],
            _ => return Err(mismatch("a byte string of length 1", value)),
        },
        Kind::Bytes => match value {
            Value::Bytes(b) => {
                let n = b.len().min(dst.len());
                dst[..n].copy_from_slice(&b[..n]);
            }
            _ => return Err(mismatch("a byte string", value)),
        },
        Kind::Pascal => match value {
            // `0p` holds nothing. (CPython 3.11 writes a stray 0xff into the next byte here
            // and fails to unpack `0p`; we do neither.)
            Value::Bytes(_) if dst.is_empty() => {}
            Value::Bytes(b) => {
                let n = b.len().min(dst.len() - 1);
                dst[1..1 + n].copy_from_slice(&b[..n]);
                dst[0] = n.min(255) as u8;
            }
            _ => return Err(mismatch("a byte string", value)),
        },
        Kind::Bool => dst[0] = u8::from(truthy(value)),
        Kind::Int { signed } => {
            let n = as_int(value)?;
            let bits = 8 * dst.len() as u32;
            let (min, max) = if signed {
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            } else {
                (0, (1i128 << bits) - 1)
            };
            check_range(n, min, max)?;
            write_uint(dst, n as u64, big);
        }
        Kind::Pointer => {
            // CPython's PyLong_AsVoidPtr: negative values as a signed long long, others as
            // unsigned.
            let n = as_int(value)?;
            check_range(n, i128::from(i64::MIN), i128::from(u64::MAX))?;
            write_uint(dst, n as u64, big);
        }
        Kind::Half => {
            let x = as_float(value)?;
            let h = f64_to_half(x).ok_or_else(|| {
                Error::new(ErrorKind::FloatOutOfRange {
                    value: x,
                    max: HALF_MAX,
                })
            })?;
            write_uint(dst, u64::from(h), big);
        }
        Kind::Single => {
            let x = as_float(value)?;
            let y = x as f32;
            // Standard sizes refuse a finite value that rounds to infinity (PyFloat_Pack4);
            // native `@f` is a plain C cast in CPython and lets it become infinity.
            if !native && y.is_infinite() && x.is_finite() {
                return Err(Error::new(ErrorKind::FloatOutOfRange {
                    value: x,
                    max: f64::from(f32::MAX),
                }));
            }
            write_uint(dst, u64::from(y.to_bits()), big);
        }
        Kind::Double => {
            let x = as_float(value)?;
            write_uint(dst, x.to_bits(), big);
        }
    }
    Ok(())
}

/// Unpacks the field bytes `src` of a field of `kind`. Every byte pattern is a value.
pub(crate) fn unpack_value(kind: Kind, big: bool, src: &[u8]) -> Value {
    match kind {
        Kind::Pad | Kind::Char | Kind::Bytes => Value::Bytes(src.to_vec()),
        Kind::Pascal => match src.split_first() {
            None => Value::Bytes(Vec::new()),
            Some((&len, rest)) => {
                let n = usize::from(len).min(rest.len());
                Value::Bytes(rest[..n].to_vec())
            }
        },
        Kind::Bool => Value::Bool(src[0] != 0),
        Kind::Int { signed: true } => {
            let unused = 64 - 8 * src.len() as u32;
            // Sign-extend from the field's width.
            let n = ((read_uint(src, big) << unused) as i64) >> unused;
            Value::Int(i128::from(n))
        }
        Kind::Int { signed: false } | Kind::Pointer => Value::Int(i128::from(read_uint(src, big))),
        Kind::Half => Value::Float(half_to_f64(read_uint(src, big) as u16)),
        Kind::Single => Value::Float(f64::from(f32::from_bits(read_uint(src, big) as u32))),
        Kind::Double => Value::Float(f64::from_bits(read_uint(src, big))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow2_matches_powi() {
        for e in (-1022..=1023).step_by(7).chain([-1022, -24, 0, 5, 1023]) {
            assert_eq!(pow2(e), 2f64.powi(e), "2^{e}");
        }
    }

    #[test]
    fn half_boundaries() {
        // (value, bits) from IEEE 754 binary16 tables; round half to even.
        let table: &[(f64, u16)] = &[
            (0.0, 0x0000),
            (-0.0, 0x8000),
            (1.0, 0x3c00),
            (-2.0, 0xc000),
            (65504.0, 0x7bff),
            (65519.99, 0x7bff),
            (2f64.powi(-24), 0x0001),
            (2f64.powi(-25), 0x0000),             // tie, rounds to even 0
            (2f64.powi(-25) * 1.0000001, 0x0001), // just above the tie
            (3.0 * 2f64.powi(-25), 0x0002),       // tie between 1 and 2: even 2
            (2f64.powi(-14), 0x0400),             // smallest normal
            (2f64.powi(-14) - 2f64.powi(-25), 0x0400), // rounds up into the normals
            (1.0 + 2f64.powi(-11), 0x3c00),       // tie: even
            (1.0 + 3.0 * 2f64.powi(-11), 0x3c02), // tie: even (up)
            (f64::INFINITY, 0x7c00),
            (f64::NEG_INFINITY, 0xfc00),
            (f64::NAN, 0x7e00),
            (-f64::NAN, 0xfe00),
            (f64::MIN_POSITIVE / 4.0, 0x0000),
        ];
        for &(x, bits) in table {
            assert_eq!(f64_to_half(x), Some(bits), "{x:e}");
        }
        assert_eq!(f64_to_half(65520.0), None);
        assert_eq!(f64_to_half(-1e300), None);
        assert_eq!(f64_to_half(65536.0), None);
    }

    #[test]
    fn every_half_round_trips() {
        for h in 0..=u16::MAX {
            let x = half_to_f64(h);
            if x.is_nan() {
                assert_eq!(f64_to_half(x), Some((h & 0x8000) | 0x7e00));
            } else {
                assert_eq!(f64_to_half(x), Some(h), "{h:04x}");
            }
        }
    }
}
