//! [`Layout::unpack_strict`]: decoding that accepts only what [`Layout::pack`] writes for some
//! values, as the generated C and Python decoders do ([`Layout::gen_c`],
//! [`Layout::gen_python`]).

use super::parse::Kind;
use super::{Layout, Value, bits};
use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;

/// What a padding byte or bit must be, in words.
pub(crate) const PAD_BYTE: &str = "0 (padding)";
/// What a padding bit must be.
pub(crate) const PAD_BITS: &str = "0 (padding bits)";
/// A Pascal string's length byte that is larger than its room.
pub(crate) const PASCAL_LEN: &str = "a Pascal string length no larger than the field holds";
/// A byte after a Pascal string's bytes.
pub(crate) const PASCAL_TAIL: &str = "0 (after a Pascal string)";

impl Layout {
    /// Unpacks one record strictly: as [`Layout::unpack`], but only the bytes that
    /// [`Layout::pack`] writes are accepted, so that a byte pattern is never read as a value it
    /// does not encode. On top of the exact length and an enum's variants, it refuses:
    ///
    /// - a `?` byte other than 0 or 1: [`ErrorKind::InvalidBool`];
    /// - a padding byte (`x`) or padding bit (`Nx` in a bit group) that is not zero:
    ///   [`ErrorKind::InvalidByte`] at the first such byte;
    /// - a Pascal string (`p`) whose length byte is larger than the field holds (`Np` holds
    ///   up to `N - 1` bytes, at most 255), or with a nonzero byte after its string:
    ///   [`ErrorKind::InvalidByte`]. (`pack` cuts a longer value as `struct` does; in a field
    ///   of more than 256 bytes `struct` writes a value of more than 255 bytes whole, after a
    ///   length byte of 255, which no decoder reads back as that value and this one refuses.)
    ///
    /// Fields are checked in order, and the first failure is reported with its byte offset and
    /// field (as [`Layout::unpack`] labels it; padding has no field). These are exactly the
    /// checks and the order of the decoders that [`Layout::gen_c`] and [`Layout::gen_python`]
    /// generate, so a Rust peer refuses what they refuse, at the same offset.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("!?x{flag:? 7x}")?;
    /// assert_eq!(layout.unpack_strict(&[1, 0, 0x80])?, [Value::Bool(true), Value::Bool(true)]);
    ///
    /// // `struct.unpack` reads 2 as True; the strict decoder refuses it.
    /// assert_eq!(layout.unpack(&[2, 0, 0])?[0], Value::Bool(true));
    /// let err = layout.unpack_strict(&[2, 0, 0]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 0, byte: 2 });
    /// assert_eq!(err.field(), Some("0 ('?')"));
    ///
    /// // Padding bits must be zero.
    /// let err = layout.unpack_strict(&[1, 0, 0x81]).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InvalidByte { offset: 2, byte: 0x81, .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn unpack_strict(&self, bytes: &[u8]) -> Result<Vec<Value>> {
        self.check_len(bytes)?;
        self.check_strict(bytes)?;
        self.unpack(bytes)
    }

    /// The strict checks, in field order, on bytes of the right length.
    fn check_strict(&self, bytes: &[u8]) -> Result<()> {
        for item in &self.items {
            if let Some(spec) = &item.bits {
                let group = &bytes[item.offset..item.offset + item.size];
                match item.kind {
                    Kind::Pad => {
                        let first_set = (spec.start..spec.start + spec.width)
                            .find(|&b| group[(b / 8) as usize] >> (7 - b % 8) & 1 == 1);
                        if let Some(b) = first_set {
                            let at = (b / 8) as usize;
                            return Err(Error::new(ErrorKind::InvalidByte {
                                offset: item.offset + at,
                                byte: group[at],
                                expected: PAD_BITS,
                            }));
                        }
                    }
                    // An enum's variants.
                    _ => {
                        bits::unpack(item.kind, spec, group, item.offset)
                            .map_err(|e| e.with_field(self.label(item, item.first_value)))?;
                    }
                }
                continue;
            }
            match item.kind {
                Kind::Pad => {
                    let field = &bytes[item.offset..item.offset + item.count];
                    if let Some(at) = field.iter().position(|&b| b != 0) {
                        return Err(Error::new(ErrorKind::InvalidByte {
                            offset: item.offset + at,
                            byte: field[at],
                            expected: PAD_BYTE,
                        }));
                    }
                }
                Kind::Bool => {
                    let field = &bytes[item.offset..item.offset + item.count];
                    if let Some(k) = field.iter().position(|&b| b > 1) {
                        return Err(Error::new(ErrorKind::InvalidBool {
                            offset: item.offset + k,
                            byte: field[k],
                        })
                        .with_field(self.label(item, item.first_value + k)));
                    }
                }
                Kind::Pascal if item.count > 0 => {
                    let field = &bytes[item.offset..item.offset + item.count];
                    let room = (item.count - 1).min(255);
                    let len = usize::from(field[0]);
                    let fail = |at: usize, expected| {
                        Error::new(ErrorKind::InvalidByte {
                            offset: item.offset + at,
                            byte: field[at],
                            expected,
                        })
                        .with_field(self.label(item, item.first_value))
                    };
                    if len > room {
                        return Err(fail(0, PASCAL_LEN));
                    }
                    if let Some(at) = field[1 + len..].iter().position(|&b| b != 0) {
                        return Err(fail(1 + len + at, PASCAL_TAIL));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}
