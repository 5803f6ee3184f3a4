//! Layer 2: integer encodings. (STUB: signatures fixed, bodies to be written.)
#![allow(missing_docs, unused_variables)]

use crate::error::Result;
use crate::order::Endian;

/// The encodings of one `u64`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntEncoding {
    /// `width` bytes (1..=8), in `endian` order.
    Fixed { width: u8, endian: Endian },
    /// Unsigned LEB128.
    Varint,
    /// The `u64` is the bit pattern of an `i64`, zigzag-mapped, then LEB128.
    ZigZag,
    /// Canonical decimal digits, then the terminator byte.
    Ascii { terminator: u8 },
    /// Exactly `width` decimal digits, zero-padded.
    AsciiFixed { width: u8 },
}

impl IntEncoding {
    pub fn encoded_len(&self, v: u64) -> Option<usize> { todo!() }
    pub fn encode(&self, v: u64, out: &mut Vec<u8>) -> Result<usize> { todo!() }
    pub fn decode(&self, bytes: &[u8]) -> Result<(u64, usize)> { todo!() }
}
