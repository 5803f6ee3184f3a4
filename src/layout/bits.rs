//! Bit fields of a layout: packing and unpacking one field of a group (the group's bytes read
//! as one big-endian number, most significant bit first).

use super::parse::Kind;
use super::{BitSpec, Value};
use crate::error::{Error, ErrorKind, Result};

/// The `width` bits after `start` bits of `group`.
fn get(group: &[u8], start: u32, width: u32) -> u64 {
    let mut v = 0u64;
    for bit in start..start + width {
        let byte = group[(bit / 8) as usize];
        v = v << 1 | u64::from(byte >> (7 - bit % 8) & 1);
    }
    v
}

/// Writes `value` (below `2^width`) into the `width` bits after `start` bits of `group`.
/// `width` may pass 64 (padding bits, `value` 0): the bits above the 64th are zeros.
fn put(group: &mut [u8], start: u32, width: u32, value: u64) {
    for (k, bit) in (start..start + width).enumerate() {
        let one = value.checked_shr(width - 1 - k as u32).unwrap_or(0) & 1;
        let byte = &mut group[(bit / 8) as usize];
        let mask = 1u8 << (7 - bit % 8);
        if one == 1 {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
    }
}

/// Packs one bit field (`value` is `None` for padding) into its group's bytes.
pub(crate) fn pack(
    kind: Kind,
    spec: &BitSpec,
    value: Option<&Value>,
    group: &mut [u8],
) -> Result<()> {
    let bits = match (kind, value) {
        (Kind::Pad, _) | (_, None) => 0,
        (Kind::Bool, Some(v)) => match v {
            Value::Bool(b) => u64::from(*b),
            Value::Int(0) => 0,
            Value::Int(1) => 1,
            Value::Int(n) => {
                return Err(Error::new(ErrorKind::BitsOutOfRange { value: *n, bits: 1 }));
            }
            other => return Err(type_error("a bool", other)),
        },
        (_, Some(v)) => {
            let n = match v {
                Value::Int(n) => *n,
                Value::Bool(b) => i128::from(*b),
                other => return Err(type_error("an integer", other)),
            };
            let max = if spec.width == 64 {
                u64::MAX
            } else {
                (1 << spec.width) - 1
            };
            if n < 0 || n > i128::from(max) {
                return Err(Error::new(ErrorKind::BitsOutOfRange {
                    value: n,
                    bits: spec.width,
                }));
            }
            let n = n as u64;
            if let Some(variants) = &spec.variants {
                if !variants.iter().any(|(_, v)| *v == n) {
                    return Err(Error::new(ErrorKind::InvalidVariant {
                        offset: (spec.start / 8) as usize,
                        index: n,
                    }));
                }
            }
            n
        }
    };
    put(group, spec.start, spec.width, bits);
    Ok(())
}

#[cold]
fn type_error(expected: &'static str, value: &Value) -> Error {
    let found = match value {
        Value::Float(_) => "a float".into(),
        Value::Bytes(b) => alloc::format!("a byte string of length {}", b.len()).into(),
        Value::Int(_) => "an integer".into(),
        Value::Bool(_) => "a bool".into(),
    };
    Error::new(ErrorKind::TypeMismatch { expected, found })
}

/// Unpacks one bit field of a group that starts at `offset` of the record: `None` for
/// padding; an enum's value that is no variant is an error.
pub(crate) fn unpack(
    kind: Kind,
    spec: &BitSpec,
    group: &[u8],
    offset: usize,
) -> Result<Option<Value>> {
    if kind == Kind::Pad {
        // Padding bits (any number of them, 64 or more included) are not read.
        return Ok(None);
    }
    let bits = get(group, spec.start, spec.width);
    Ok(match kind {
        Kind::Pad => None,
        Kind::Bool => Some(Value::Bool(bits != 0)),
        _ => {
            if let Some(variants) = &spec.variants {
                if !variants.iter().any(|(_, v)| *v == bits) {
                    return Err(Error::new(ErrorKind::InvalidVariant {
                        offset: offset + (spec.start / 8) as usize,
                        index: bits,
                    }));
                }
            }
            Some(Value::Int(i128::from(bits)))
        }
    })
}
