//! Layer 1: byte order. (STUB: signatures fixed, bodies to be written.)
#![allow(missing_docs, unused_variables)]

use crate::error::Result;

/// Byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Endian {
    /// Most significant byte first: network byte order.
    #[default]
    Big,
    /// Least significant byte first.
    Little,
}

pub const fn hton16(x: u16) -> u16 {
    x.to_be()
}
pub const fn ntoh16(x: u16) -> u16 {
    u16::from_be(x)
}
pub const fn hton32(x: u32) -> u32 {
    x.to_be()
}
pub const fn ntoh32(x: u32) -> u32 {
    u32::from_be(x)
}
pub const fn hton64(x: u64) -> u64 {
    x.to_be()
}
pub const fn ntoh64(x: u64) -> u64 {
    u64::from_be(x)
}

mod sealed {
    pub trait Sealed {}
}

/// A primitive with a fixed-size byte representation in either order.
pub trait NetOrder: Copy + sealed::Sealed {
    /// Size in bytes.
    const SIZE: usize;
    /// Reads `Self` from the start of `bytes` in the given order.
    /// `ErrorKind::Incomplete { offset: 0, needed: SIZE, available }` when too short.
    fn read(bytes: &[u8], endian: Endian) -> Result<Self>;
    /// Writes `self` at the start of `out`; returns `SIZE`. `BufferTooSmall` when too short.
    fn write(self, out: &mut [u8], endian: Endian) -> Result<usize>;
}

/// Reads a `T` in network order from the start of `bytes`.
pub fn ntoh_read<T: NetOrder>(bytes: &[u8]) -> Result<T> {
    T::read(bytes, Endian::Big)
}
/// Writes `v` in network order at the start of `out`; returns bytes written.
pub fn hton_write<T: NetOrder>(v: T, out: &mut [u8]) -> Result<usize> {
    v.write(out, Endian::Big)
}

/// Reads an unsigned integer of `width` (1..=8) bytes from the start of `bytes`.
pub fn read_uint(bytes: &[u8], width: usize, endian: Endian) -> Result<u64> {
    todo!()
}
/// Writes `v` as `width` (1..=8) bytes at the start of `out`; `OutOfRange` when it does not fit.
pub fn write_uint(v: u64, width: usize, endian: Endian, out: &mut [u8]) -> Result<usize> {
    todo!()
}
