//! Dynamic values and their text forms.

use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;
use core::fmt;

/// A dynamic value for [`Layout::pack`](super::Layout::pack) and
/// [`Layout::unpack`](super::Layout::unpack): what a Python `struct` field holds.
///
/// Its `Display` is the text form the command line prints: integers in decimal, bools
/// `true`/`false`, floats as Python's `repr` (shortest round-trip digits, scientific when the
/// exponent is below -4 or at least 16: `1e+16`, `1e-05`, `1.0`, `inf`, `nan`), byte strings
/// as `0x` and lowercase hex (`0x` alone when empty).
///
/// ```
/// use netorder::Value;
///
/// assert_eq!(Value::Int(-7).to_string(), "-7");
/// assert_eq!(Value::Bool(true).to_string(), "true");
/// assert_eq!(Value::Float(f64::from(3.1415f32)).to_string(), "3.1414999961853027");
/// assert_eq!(Value::Float(1e16).to_string(), "1e+16");
/// assert_eq!(Value::Float(0.0001).to_string(), "0.0001");
/// assert_eq!(Value::Float(1e-5).to_string(), "1e-05");
/// assert_eq!(Value::Bytes(vec![0xab, 1]).to_string(), "0xab01");
/// assert_eq!(Value::Bytes(vec![]).to_string(), "0x");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer (codes `b B h H i I l L q Q n N P`; also accepted by `e f d ?`).
    Int(i128),
    /// A bool (code `?`; also accepted as 0 or 1 by integer and float codes, like Python).
    Bool(bool),
    /// A float (codes `e f d`), widened to `f64` on unpack.
    Float(f64),
    /// A byte string (codes `c s p`).
    Bytes(Vec<u8>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Every struct value fits i64 or u64: their digits come from the int layer's
            // encoder in one `write_str` (fewer instructions than `write!` with `{}`). Only
            // wider values (never unpacked, only built by hand) go through i128's Display.
            // Formatter flags are ignored, as for every variant.
            Value::Int(n) => match u64::try_from(n.unsigned_abs()) {
                Ok(magnitude) => {
                    // A `-` then the digits, in one buffer.
                    let (digits, len) = crate::int::ascii::digits_array(magnitude);
                    let mut buf = [b'-'; 1 + crate::int::ascii::MAX_DIGITS];
                    let sign = usize::from(*n < 0);
                    buf[sign..sign + len].copy_from_slice(&digits[..len]);
                    f.write_str(core::str::from_utf8(&buf[..sign + len]).map_err(|_| fmt::Error)?)
                }
                _ => write!(f, "{n}"),
            },
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Float(x) => write_py_float(f, *x),
            Value::Bytes(bytes) => {
                f.write_str("0x")?;
                // Lowercase hex through a stack buffer, 32 bytes per `write_str`.
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let mut text = [0u8; 64];
                for chunk in bytes.chunks(32) {
                    for (pair, &b) in text.chunks_exact_mut(2).zip(chunk) {
                        pair[0] = HEX[usize::from(b >> 4)];
                        pair[1] = HEX[usize::from(b & 0xF)];
                    }
                    let hex = &text[..2 * chunk.len()];
                    f.write_str(core::str::from_utf8(hex).map_err(|_| fmt::Error)?)?;
                }
                Ok(())
            }
        }
    }
}

/// A fixed buffer that `{:e}` of an `f64` fits in (at most 24 bytes: `-2.2250738585072014e-308`).
struct StackBuf {
    buf: [u8; 48],
    len: usize,
}

impl fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self
            .len
            .checked_add(s.len())
            .filter(|&e| e <= self.buf.len())
            .ok_or(fmt::Error)?;
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes `x` as Python's `repr(float)` does: the shortest digits that round-trip (Rust's
/// `{:e}` finds the same digits), in positional form when the decimal exponent is in
/// `-4..16` (always with a fractional part, `1.0`), otherwise as `d.ddde+XX` with at least two
/// exponent digits.
fn write_py_float(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    if x.is_nan() {
        return f.write_str("nan");
    }
    if x.is_infinite() {
        return f.write_str(if x < 0.0 { "-inf" } else { "inf" });
    }
    if x == 0.0 {
        return f.write_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
    }
    let mut sci = StackBuf {
        buf: [0; 48],
        len: 0,
    };
    fmt::write(&mut sci, format_args!("{:e}", x.abs()))?;
    let text = core::str::from_utf8(&sci.buf[..sci.len]).map_err(|_| fmt::Error)?;
    // `{:e}` writes `d[.ddd]e[-]N`.
    let (mantissa, exp) = text.split_once('e').ok_or(fmt::Error)?;
    let exp: i32 = exp.parse().map_err(|_| fmt::Error)?;
    // Rust's shortest digits break a tie between two equally close shortest strings
    // upwards; Python's (David Gay's dtoa) to the even digit. A tie leaves an odd last digit,
    // so only then compare with the correctly rounded (ties to even) string of that length,
    // and take it when it reads back as `x`.
    let mut even = StackBuf {
        buf: [0; 48],
        len: 0,
    };
    let digits = mantissa.len() - usize::from(mantissa.len() > 1);
    let last_odd = mantissa
        .as_bytes()
        .last()
        .is_some_and(|d| (d - b'0') % 2 == 1);
    let mantissa = if last_odd && may_tie(x) {
        fmt::write(&mut even, format_args!("{:.*e}", digits - 1, x.abs()))?;
        let text = core::str::from_utf8(&even.buf[..even.len]).map_err(|_| fmt::Error)?;
        match text.split_once('e') {
            Some((m, e)) if e.parse::<i32>() == Ok(exp) && text.parse::<f64>() == Ok(x.abs()) => m,
            _ => mantissa,
        }
    } else {
        mantissa
    };
    let (lead, rest) = mantissa.split_at(1);
    let rest = rest.strip_prefix('.').unwrap_or("");
    // The whole text in one buffer, one `write_str`: at most 1 + 17 digits, a sign, `0.`
    // and 3 more zeros (exponent -4), or `.` and `e-308`; 48 bytes is plenty.
    let mut out = StackBuf {
        buf: [0; 48],
        len: 0,
    };
    {
        use fmt::Write as _;
        let out = &mut out;
        if x < 0.0 {
            out.write_str("-")?;
        }
        if !(-4..16).contains(&exp) {
            out.write_str(lead)?;
            if !rest.is_empty() {
                out.write_str(".")?;
                out.write_str(rest)?;
            }
            out.write_str(if exp < 0 { "e-" } else { "e+" })?;
            let e = exp.unsigned_abs();
            if e >= 100 {
                out.write_str(&DIGITS[(e / 100) as usize..][..1])?;
            }
            out.write_str(&DIGITS[((e / 10) % 10) as usize..][..1])?;
            out.write_str(&DIGITS[(e % 10) as usize..][..1])?;
        } else if exp < 0 {
            out.write_str("0.")?;
            out.write_str(&"000"[..(-exp - 1) as usize])?;
            out.write_str(lead)?;
            out.write_str(rest)?;
        } else {
            // exp in 0..16: `exp + 1` digits before the point.
            let int_digits = exp as usize + 1;
            out.write_str(lead)?;
            if rest.len() < int_digits {
                out.write_str(rest)?;
                out.write_str(&"000000000000000"[..int_digits - 1 - rest.len()])?;
                out.write_str(".0")?;
            } else {
                let (int_rest, frac) = rest.split_at(int_digits - 1);
                out.write_str(int_rest)?;
                out.write_str(".")?;
                out.write_str(if frac.is_empty() { "0" } else { frac })?;
            }
        }
    }
    f.write_str(core::str::from_utf8(&out.buf[..out.len]).map_err(|_| fmt::Error)?)
}

const DIGITS: &str = "0123456789";

/// Whether the shortest digits of `x` can be a tie between two strings: only when the exact
/// decimal expansion of `x` is short (at most 18 significant digits), which needs `x` to be
/// `m / 2^k` with `m` odd, `1 <= k <= 25` and `m * 5^k < 10^18`. (An integer never ties: its
/// rounding interval is narrower than half a unit of the digit that would be dropped.)
fn may_tie(x: f64) -> bool {
    let bits = x.abs().to_bits();
    let biased = (bits >> 52) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (significand, exp) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if significand == 0 {
        return false;
    }
    let zeros = significand.trailing_zeros();
    let k = -(exp + i64::from(zeros));
    if !(1..=25).contains(&k) {
        return false;
    }
    let odd = u128::from(significand >> zeros);
    odd * 5u128.pow(k as u32) < 10u128.pow(18)
}

/// `0x` followed by an even number of hex digits, decoded; `None` for anything else.
fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let hex = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// `[+-]digits` with at most 19 digits (so no overflow is possible) as an integer, the
/// common case of [`Value::from_text`], without `i128` parsing; `None` for anything else.
#[inline]
fn small_integer(text: &str) -> Option<i128> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u64::from(d);
    }
    let n = i128::from(n);
    Some(if negative { -n } else { n })
}

/// Whether `text` is an optionally signed run of decimal digits.
fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

impl Value {
    /// Reads a value from its text form for a field with struct code `code`.
    ///
    /// For `c s p` fields: `0x` and an even number of hex digits is those bytes; any other text
    /// is its own UTF-8 bytes. For every other field the form decides: `true`/`false` (or
    /// Python's `True`/`False`) is a bool, decimal digits an integer, anything `f64` parses
    /// (`1.5`, `1e-05`, `inf`, `-inf`, `nan`) a float; other text is
    /// [`ErrorKind::TypeMismatch`]. Whether the value suits the field is
    /// [`Layout::pack`](super::Layout::pack)'s business.
    ///
    /// ```
    /// use netorder::{ErrorKind, Value};
    ///
    /// assert_eq!(Value::from_text("-7", 'h')?, Value::Int(-7));
    /// assert_eq!(Value::from_text("1e-05", 'd')?, Value::Float(1e-5));
    /// assert_eq!(Value::from_text("0x00ff", 's')?, Value::Bytes(vec![0, 0xff]));
    /// assert_eq!(Value::from_text("hi", 's')?, Value::Bytes(b"hi".to_vec()));
    /// assert_eq!(Value::from_text("1.5", 'h')?, Value::Float(1.5)); // pack refuses it later
    /// let err = Value::from_text("hi", 'h').unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TypeMismatch { expected: "a number or true/false", .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn from_text(text: &str, code: char) -> Result<Value> {
        if matches!(code, 'c' | 's' | 'p') {
            return Ok(Value::Bytes(
                parse_hex(text).unwrap_or_else(|| text.as_bytes().to_vec()),
            ));
        }
        match text {
            "true" | "True" => return Ok(Value::Bool(true)),
            "false" | "False" => return Ok(Value::Bool(false)),
            _ => {}
        }
        if let Some(n) = small_integer(text) {
            return Ok(Value::Int(n));
        }
        if is_integer_text(text) {
            return text.parse::<i128>().map(Value::Int).map_err(|_| {
                // Past i128: out of range for every struct code.
                Error::new(ErrorKind::Message(
                    format!("value {text} out of range (no struct integer code holds it)").into(),
                ))
            });
        }
        // Decimal, exponent, `inf`, `infinity`, `nan` in any case: what Python's float() takes.
        if let Ok(x) = text.parse::<f64>() {
            return Ok(Value::Float(x));
        }
        Err(Error::new(ErrorKind::TypeMismatch {
            expected: "a number or true/false",
            found: format!("{text:?}").into(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_take_the_even_digit() {
        // 0.00067234039306640625 exactly: 16-digit candidates ...062 and ...063 are equally
        // close; Python's repr (and so ours) takes the even one.
        assert!(may_tie(f64::from_bits(0x3f46_0800_0000_0000)));
        assert_eq!(
            Value::Float(f64::from_bits(0x3f46_0800_0000_0000)).to_string(),
            "0.0006723403930664062"
        );
        assert!(!may_tie(1.0 / 3.0));
        assert!(!may_tie(1e300));
        assert!(!may_tie(0.0));
    }
}
