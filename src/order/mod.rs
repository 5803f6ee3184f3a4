//! Layer 1: byte order.
//!
//! The socket guide's `htons`/`htonl`/`ntohs`/`ntohl` are [`hton16`], [`hton32`], [`ntoh16`],
//! [`ntoh32`] (and [`hton64`]/[`ntoh64`]). Above them:
//!
//! - [`NetOrder`], a sealed trait implemented for every primitive (`u8`..`u128`, `i8`..`i128`,
//!   `f32`, `f64`): read and write big- or little-endian from and to byte slices, with an
//!   [`ErrorKind::Incomplete`] or [`ErrorKind::BufferTooSmall`] carrying the counts instead of a
//!   panic, plus infallible fixed-array forms ([`NetOrder::to_bytes`], [`NetOrder::from_bytes`]).
//! - Odd widths: [`read_uint`]/[`write_uint`] and [`read_int`]/[`write_int`] for integers of
//!   1 to 8 bytes (u24, u48, ...), as byteorder's `read_uint`, but with an error instead of a
//!   panic for a bad width or a value that does not fit.
//! - Bulk: [`convert_in_place`] (and [`hton_slice`]/[`ntoh_slice`]) swaps a whole slice in
//!   place; [`read_slice`] and [`write_slice`] copy-convert between `&[T]` and bytes.
//!
//! ```
//! use netorder::{Endian, NetOrder, hton32, ntoh_read};
//!
//! // RFC 1700: network order is most significant byte first.
//! assert_eq!(0x0102_0304u32.to_bytes(Endian::Big), [1, 2, 3, 4]);
//! assert_eq!(ntoh_read::<u32>(&[1, 2, 3, 4]).unwrap(), 0x0102_0304);
//! assert_eq!(hton32(0x0102_0304).to_ne_bytes(), [1, 2, 3, 4]);
//!
//! // Too few bytes is "incomplete", with the counts, never a panic.
//! let err = ntoh_read::<u32>(&[1, 2]).unwrap_err();
//! assert_eq!(err.needed_more(), Some(2));
//! ```

use crate::error::{Error, ErrorKind, Result};

pub(crate) mod bulk;
pub(crate) mod simd;

pub use bulk::{convert_in_place, hton_slice, ntoh_slice, read_slice, write_slice};

/// Byte order.
///
/// The default is [`Endian::Big`], network byte order.
///
/// ```
/// use netorder::{Endian, NetOrder};
/// assert_eq!(Endian::default(), Endian::Big);
/// assert_eq!(0x0102u16.to_bytes(Endian::Little), [2, 1]);
/// assert_eq!(Endian::NATIVE.is_native(), true);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Endian {
    /// Most significant byte first: network byte order.
    #[default]
    Big,
    /// Least significant byte first.
    Little,
}

impl Endian {
    /// Network byte order: [`Endian::Big`].
    ///
    /// ```
    /// use netorder::Endian;
    /// assert_eq!(Endian::NETWORK, Endian::Big);
    /// ```
    pub const NETWORK: Endian = Endian::Big;

    /// The byte order of the machine this code runs on.
    ///
    /// ```
    /// use netorder::Endian;
    /// let expected = if cfg!(target_endian = "big") { Endian::Big } else { Endian::Little };
    /// assert_eq!(Endian::NATIVE, expected);
    /// ```
    #[cfg(target_endian = "big")]
    pub const NATIVE: Endian = Endian::Big;
    /// The byte order of the machine this code runs on.
    ///
    /// ```
    /// use netorder::Endian;
    /// let expected = if cfg!(target_endian = "big") { Endian::Big } else { Endian::Little };
    /// assert_eq!(Endian::NATIVE, expected);
    /// ```
    #[cfg(target_endian = "little")]
    pub const NATIVE: Endian = Endian::Little;

    /// Whether this is the machine's own order (converting to it is a no-op).
    ///
    /// ```
    /// use netorder::Endian;
    /// assert!(Endian::NATIVE.is_native());
    /// let other = if Endian::NATIVE == Endian::Big { Endian::Little } else { Endian::Big };
    /// assert!(!other.is_native());
    /// ```
    pub const fn is_native(self) -> bool {
        matches!(
            (self, Endian::NATIVE),
            (Endian::Big, Endian::Big) | (Endian::Little, Endian::Little)
        )
    }
}

/// `htons`: a `u16` from host order to network order (a byte swap on little-endian machines).
///
/// ```
/// use netorder::hton16;
/// assert_eq!(hton16(0x0102).to_ne_bytes(), [0x01, 0x02]);
/// ```
#[inline]
pub const fn hton16(x: u16) -> u16 {
    x.to_be()
}

/// `ntohs`: a `u16` from network order to host order.
///
/// ```
/// use netorder::ntoh16;
/// assert_eq!(ntoh16(u16::from_ne_bytes([0x01, 0x02])), 0x0102);
/// ```
#[inline]
pub const fn ntoh16(x: u16) -> u16 {
    u16::from_be(x)
}

/// `htonl`: a `u32` from host order to network order.
///
/// ```
/// use netorder::hton32;
/// assert_eq!(hton32(0x0102_0304).to_ne_bytes(), [1, 2, 3, 4]);
/// ```
#[inline]
pub const fn hton32(x: u32) -> u32 {
    x.to_be()
}

/// `ntohl`: a `u32` from network order to host order.
///
/// ```
/// use netorder::ntoh32;
/// assert_eq!(ntoh32(u32::from_ne_bytes([1, 2, 3, 4])), 0x0102_0304);
/// ```
#[inline]
pub const fn ntoh32(x: u32) -> u32 {
    u32::from_be(x)
}

/// `htonll`: a `u64` from host order to network order.
///
/// ```
/// use netorder::hton64;
/// assert_eq!(hton64(0x0102_0304_0506_0708).to_ne_bytes(), [1, 2, 3, 4, 5, 6, 7, 8]);
/// ```
#[inline]
pub const fn hton64(x: u64) -> u64 {
    x.to_be()
}

/// `ntohll`: a `u64` from network order to host order.
///
/// ```
/// use netorder::ntoh64;
/// assert_eq!(ntoh64(u64::from_ne_bytes([1, 2, 3, 4, 5, 6, 7, 8])), 0x0102_0304_0506_0708);
/// ```
#[inline]
pub const fn ntoh64(x: u64) -> u64 {
    u64::from_be(x)
}

mod sealed {
    pub trait Sealed {}
}

/// A primitive with a fixed-size byte representation in either order: `u8`..`u128`,
/// `i8`..`i128`, `f32`, `f64`. Sealed: the crate implements it, nobody else can.
///
/// The slice forms ([`read`](NetOrder::read), [`write`](NetOrder::write)) check lengths and
/// return errors with the counts; the array forms ([`to_bytes`](NetOrder::to_bytes),
/// [`from_bytes`](NetOrder::from_bytes) and the `_be_`/`_le_` variants) cannot fail.
///
/// ```
/// use netorder::{Endian, ErrorKind, NetOrder};
///
/// let mut buf = [0u8; 8];
/// assert_eq!((-2i16).write(&mut buf, Endian::Big).unwrap(), 2);
/// assert_eq!(&buf[..2], &[0xff, 0xfe]);
/// assert_eq!(i16::read(&buf, Endian::Big).unwrap(), -2);
/// assert_eq!(f64::read(&1.5f64.to_bytes(Endian::Little), Endian::Little).unwrap(), 1.5);
///
/// // A u64 does not fit in 3 bytes of output.
/// let err = 7u64.write(&mut buf[..3], Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 8, available: 3 });
/// ```
pub trait NetOrder: Copy + sealed::Sealed {
    /// Size in bytes.
    ///
    /// ```
    /// use netorder::NetOrder;
    /// assert_eq!(<u16 as NetOrder>::SIZE, 2);
    /// assert_eq!(<f64 as NetOrder>::SIZE, 8);
    /// ```
    const SIZE: usize;

    /// The byte representation: `[u8; SIZE]`.
    type Bytes: Copy + AsRef<[u8]> + AsMut<[u8]> + Default + core::fmt::Debug + Eq;

    /// The bytes of `self`, most significant first.
    ///
    /// ```
    /// use netorder::NetOrder;
    /// assert_eq!(0x0102_0304u32.to_be_array(), [1, 2, 3, 4]);
    /// ```
    fn to_be_array(self) -> Self::Bytes;

    /// The bytes of `self`, least significant first.
    ///
    /// ```
    /// use netorder::NetOrder;
    /// assert_eq!(0x0102_0304u32.to_le_array(), [4, 3, 2, 1]);
    /// ```
    fn to_le_array(self) -> Self::Bytes;

    /// The value whose bytes, most significant first, are `bytes`.
    ///
    /// ```
    /// use netorder::NetOrder;
    /// assert_eq!(i16::from_be_array([0xff, 0xfe]), -2);
    /// ```
    fn from_be_array(bytes: Self::Bytes) -> Self;

    /// The value whose bytes, least significant first, are `bytes`.
    ///
    /// ```
    /// use netorder::NetOrder;
    /// assert_eq!(i16::from_le_array([0xfe, 0xff]), -2);
    /// ```
    fn from_le_array(bytes: Self::Bytes) -> Self;

    /// `self` with its bytes in reverse order (bit-exact for floats, NaN payloads included).
    ///
    /// ```
    /// use netorder::NetOrder;
    /// assert_eq!(NetOrder::swap_bytes(0x0102u16), 0x0201);
    /// ```
    fn swap_bytes(self) -> Self;

    /// The bytes of `self` in the given order.
    ///
    /// ```
    /// use netorder::{Endian, NetOrder};
    /// assert_eq!(0x0102u16.to_bytes(Endian::Big), [1, 2]);
    /// assert_eq!(0x0102u16.to_bytes(Endian::Little), [2, 1]);
    /// ```
    #[inline]
    fn to_bytes(self, endian: Endian) -> Self::Bytes {
        match endian {
            Endian::Big => self.to_be_array(),
            Endian::Little => self.to_le_array(),
        }
    }

    /// The value whose bytes, in the given order, are `bytes`.
    ///
    /// ```
    /// use netorder::{Endian, NetOrder};
    /// assert_eq!(u16::from_bytes([1, 2], Endian::Big), 0x0102);
    /// assert_eq!(u16::from_bytes([1, 2], Endian::Little), 0x0201);
    /// ```
    #[inline]
    fn from_bytes(bytes: Self::Bytes, endian: Endian) -> Self {
        match endian {
            Endian::Big => Self::from_be_array(bytes),
            Endian::Little => Self::from_le_array(bytes),
        }
    }

    /// Reads `Self` from the start of `bytes` in the given order; bytes after the first `SIZE`
    /// are ignored. `ErrorKind::Incomplete { offset: 0, needed: SIZE, available }` when too short.
    ///
    /// ```
    /// use netorder::{Endian, ErrorKind, NetOrder};
    /// assert_eq!(u32::read(&[0, 0, 1, 0, 99], Endian::Big).unwrap(), 256);
    /// let err = u32::read(&[0, 0, 1], Endian::Big).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 4, available: 3 });
    /// ```
    fn read(bytes: &[u8], endian: Endian) -> Result<Self>;

    /// Writes `self` at the start of `out`; returns `SIZE`. Bytes after the first `SIZE` are
    /// left alone. `BufferTooSmall { needed: SIZE, available }` when too short, and then `out`
    /// is not touched.
    ///
    /// ```
    /// use netorder::{Endian, ErrorKind, NetOrder};
    /// let mut out = [0u8; 3];
    /// assert_eq!(0xabcdu16.write(&mut out, Endian::Little).unwrap(), 2);
    /// assert_eq!(out, [0xcd, 0xab, 0]);
    /// let err = 1u32.write(&mut out, Endian::Big).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 4, available: 3 });
    /// assert_eq!(out, [0xcd, 0xab, 0]);
    /// ```
    fn write(self, out: &mut [u8], endian: Endian) -> Result<usize>;
}

/// The error for reading a `needed`-byte value from `available` bytes at offset 0.
#[cold]
fn incomplete(needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::Incomplete {
        offset: 0,
        needed,
        available,
    })
}

/// The error for writing `needed` bytes into `available`.
#[cold]
fn too_small(needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::BufferTooSmall { needed, available })
}

/// The one table of primitives: every integer and float type with its width in bytes, its
/// kind (the group it is listed in), its unsigned twin (for a float, the unsigned integer of its
/// bits) and the serde methods that carry it. `primitives!(callback)` expands to
///
/// ```text
/// callback! {
///     unsigned: (u8, 1, u8, serialize_u8, deserialize_u8, visit_u8) ...;
///     signed: (i8, 1, u8, serialize_i8, deserialize_i8, visit_i8) ...;
///     float: (f32, 4, u32, serialize_f32, deserialize_f32, visit_f32) ...;
/// }
/// ```
///
/// and `primitives!(ints: a, floats: b)` to `a! { rows }` with the integers' rows (unsigned,
/// then signed) and `b! { rows }` with the floats'. A callback that takes every row matches
/// `$($kind:ident: $(($t:ident, $bytes:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*;)*`.
///
/// Every per-primitive impl of the crate comes from it: [`NetOrder`] here, the record layer's
/// integers (`record::wire`), its encoder, decoder and type tracer, the derive path's
/// [`FixedRecord`](crate::record::FixedRecord) impls and `layout`'s field I/O.
macro_rules! primitives {
    (@table $($to:tt)*) => {
        $crate::order::primitives! { @to [$($to)*]
            unsigned:
                (u8, 1, u8, serialize_u8, deserialize_u8, visit_u8)
                (u16, 2, u16, serialize_u16, deserialize_u16, visit_u16)
                (u32, 4, u32, serialize_u32, deserialize_u32, visit_u32)
                (u64, 8, u64, serialize_u64, deserialize_u64, visit_u64)
                (u128, 16, u128, serialize_u128, deserialize_u128, visit_u128);
            signed:
                (i8, 1, u8, serialize_i8, deserialize_i8, visit_i8)
                (i16, 2, u16, serialize_i16, deserialize_i16, visit_i16)
                (i32, 4, u32, serialize_i32, deserialize_i32, visit_i32)
                (i64, 8, u64, serialize_i64, deserialize_i64, visit_i64)
                (i128, 16, u128, serialize_i128, deserialize_i128, visit_i128);
            float:
                (f32, 4, u32, serialize_f32, deserialize_f32, visit_f32)
                (f64, 8, u64, serialize_f64, deserialize_f64, visit_f64);
        }
    };
    (@to [$callback:ident] $($rows:tt)*) => {
        $callback! { $($rows)* }
    };
    (@to [$ints:ident $floats:ident]
        unsigned: $(($($u:tt)*))*; signed: $(($($s:tt)*))*; float: $(($($f:tt)*))*;
    ) => {
        $ints! { $(($($u)*))* $(($($s)*))* }
        $floats! { $(($($f)*))* }
    };
    (ints: $ints:ident, floats: $floats:ident) => {
        $crate::order::primitives! { @table $ints $floats }
    };
    ($callback:ident) => {
        $crate::order::primitives! { @table $callback }
    };
}
pub(crate) use primitives;

/// Implements [`NetOrder`] for every primitive of the table: every width comes from this one
/// body.
macro_rules! impl_net_order {
    ($($kind:ident: $(($t:ident, $bytes:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*;)*) => {$($(
        impl sealed::Sealed for $t {}

        impl NetOrder for $t {
            const SIZE: usize = $bytes;
            type Bytes = [u8; $bytes];

            #[inline]
            fn to_be_array(self) -> Self::Bytes {
                self.to_be_bytes()
            }
            #[inline]
            fn to_le_array(self) -> Self::Bytes {
                self.to_le_bytes()
            }
            #[inline]
            fn from_be_array(bytes: Self::Bytes) -> Self {
                <$t>::from_be_bytes(bytes)
            }
            #[inline]
            fn from_le_array(bytes: Self::Bytes) -> Self {
                <$t>::from_le_bytes(bytes)
            }
            #[inline]
            fn swap_bytes(self) -> Self {
                // Reading the little-endian bytes as big-endian reverses them; for floats this
                // goes through the bits, so every NaN payload survives.
                <$t>::from_be_bytes(self.to_le_bytes())
            }
            #[inline]
            fn read(bytes: &[u8], endian: Endian) -> Result<Self> {
                match bytes.first_chunk::<$bytes>() {
                    Some(chunk) => Ok(Self::from_bytes(*chunk, endian)),
                    None => Err(incomplete(Self::SIZE, bytes.len())),
                }
            }
            #[inline]
            fn write(self, out: &mut [u8], endian: Endian) -> Result<usize> {
                let available = out.len();
                match out.first_chunk_mut::<$bytes>() {
                    Some(chunk) => {
                        *chunk = self.to_bytes(endian);
                        Ok(Self::SIZE)
                    }
                    None => Err(too_small(Self::SIZE, available)),
                }
            }
        }
    )*)*};
}

primitives!(impl_net_order);

/// Reads a `T` in network order from the start of `bytes`.
///
/// ```
/// use netorder::{ErrorKind, ntoh_read};
/// assert_eq!(ntoh_read::<u16>(&[0x01, 0x02]).unwrap(), 0x0102);
/// let err = ntoh_read::<u64>(&[0; 5]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 8, available: 5 });
/// ```
#[inline]
pub fn ntoh_read<T: NetOrder>(bytes: &[u8]) -> Result<T> {
    T::read(bytes, Endian::Big)
}

/// Writes `v` in network order at the start of `out`; returns bytes written.
///
/// ```
/// use netorder::{ErrorKind, hton_write};
/// let mut out = [0u8; 4];
/// assert_eq!(hton_write(0x0102_0304u32, &mut out).unwrap(), 4);
/// assert_eq!(out, [1, 2, 3, 4]);
/// let err = hton_write(1u64, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 8, available: 4 });
/// ```
#[inline]
pub fn hton_write<T: NetOrder>(v: T, out: &mut [u8]) -> Result<usize> {
    v.write(out, Endian::Big)
}

// ----- odd widths ------------------------------------------------------------------------------

/// Smallest width [`read_uint`] and friends accept.
const MIN_WIDTH: usize = 1;
/// Largest width [`read_uint`] and friends accept.
const MAX_WIDTH: usize = 8;

/// `InvalidWidth` unless `1 <= width <= 8`.
#[inline]
fn check_width(width: usize) -> Result<()> {
    if (MIN_WIDTH..=MAX_WIDTH).contains(&width) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::InvalidWidth {
            width,
            min: MIN_WIDTH,
            max: MAX_WIDTH,
        }))
    }
}

/// `OutOfRange { value, min: 0, max }` when `v > max`: the range check of every unsigned
/// fixed-width writer (binary here, ASCII digits in `int::ascii_fixed`).
#[inline]
pub(crate) fn check_max(v: u64, max: u64) -> Result<()> {
    if v > max {
        return Err(Error::new(ErrorKind::OutOfRange {
            value: i128::from(v),
            min: 0,
            max: i128::from(max),
        }));
    }
    Ok(())
}

/// The largest unsigned value of `width` (1..=8) bytes: `2^(8 * width) - 1`.
#[inline]
const fn uint_max(width: usize) -> u64 {
    u64::MAX >> (64 - 8 * width)
}

/// Reads an unsigned integer of `width` (1..=8) bytes from the start of `bytes`, as byteorder's
/// `read_uint` (u24, u40, u48, u56 and the power-of-two widths).
///
/// Errors, checked in this order: `InvalidWidth { width, min: 1, max: 8 }` for a width of 0 or
/// more than 8; `Incomplete { offset: 0, needed: width, available }` when `bytes` is shorter
/// than `width`.
///
/// ```
/// use netorder::{Endian, ErrorKind, read_uint};
/// assert_eq!(read_uint(&[0x01, 0x02, 0x03], 3, Endian::Big).unwrap(), 0x01_02_03);
/// assert_eq!(read_uint(&[0x01, 0x02, 0x03], 3, Endian::Little).unwrap(), 0x03_02_01);
///
/// let err = read_uint(&[0x01, 0x02], 3, Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 3, available: 2 });
/// let err = read_uint(&[0; 16], 9, Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidWidth { width: 9, min: 1, max: 8 });
/// ```
#[inline]
pub fn read_uint(bytes: &[u8], width: usize, endian: Endian) -> Result<u64> {
    check_width(width)?;
    // Fast path: with 8 readable bytes, one whole-word load and a shift or mask (no
    // variable-length copy, which compiles to a call to memcpy).
    if let Some(word) = bytes.first_chunk::<8>() {
        return Ok(match endian {
            Endian::Big => u64::from_be_bytes(*word) >> (64 - 8 * width),
            Endian::Little => u64::from_le_bytes(*word) & uint_max(width),
        });
    }
    let Some(src) = bytes.get(..width) else {
        return Err(incomplete(width, bytes.len()));
    };
    let mut buf = [0u8; 8];
    Ok(match endian {
        Endian::Big => {
            buf[MAX_WIDTH - width..].copy_from_slice(src);
            u64::from_be_bytes(buf)
        }
        Endian::Little => {
            buf[..width].copy_from_slice(src);
            u64::from_le_bytes(buf)
        }
    })
}

/// Writes `v` as `width` (1..=8) bytes at the start of `out`; returns `width`.
///
/// Errors, checked in this order, with `out` untouched: `InvalidWidth { width, min: 1, max: 8 }`;
/// `OutOfRange { value, min: 0, max: 2^(8 * width) - 1 }` when `v` does not fit;
/// `BufferTooSmall { needed: width, available }` when `out` is shorter than `width`.
///
/// ```
/// use netorder::{Endian, ErrorKind, write_uint};
/// let mut out = [0u8; 3];
/// assert_eq!(write_uint(0x01_02_03, 3, Endian::Big, &mut out).unwrap(), 3);
/// assert_eq!(out, [1, 2, 3]);
///
/// let err = write_uint(1 << 24, 3, Endian::Big, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::OutOfRange { value: 1 << 24, min: 0, max: 0xff_ffff });
/// let err = write_uint(1, 4, Endian::Big, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 4, available: 3 });
/// ```
#[inline]
pub fn write_uint(v: u64, width: usize, endian: Endian, out: &mut [u8]) -> Result<usize> {
    check_width(width)?;
    check_max(v, uint_max(width))?;
    write_low_bytes(v, width, endian, out)
}

/// Writes the low `width` bytes of `v` (width already checked) at the start of `out`.
#[inline]
fn write_low_bytes(v: u64, width: usize, endian: Endian, out: &mut [u8]) -> Result<usize> {
    let available = out.len();
    let Some(dst) = out.get_mut(..width) else {
        return Err(too_small(width, available));
    };
    match endian {
        Endian::Big => dst.copy_from_slice(&v.to_be_bytes()[MAX_WIDTH - width..]),
        Endian::Little => dst.copy_from_slice(&v.to_le_bytes()[..width]),
    }
    Ok(width)
}

/// Reads a two's-complement signed integer of `width` (1..=8) bytes from the start of `bytes`,
/// sign-extended to `i64` (as byteorder's `read_int`).
///
/// Errors as [`read_uint`]: `InvalidWidth`, then `Incomplete`.
///
/// ```
/// use netorder::{Endian, ErrorKind, read_int};
/// assert_eq!(read_int(&[0xff, 0xff, 0xfe], 3, Endian::Big).unwrap(), -2);
/// assert_eq!(read_int(&[0x7f, 0xff, 0xff], 3, Endian::Big).unwrap(), 0x7f_ffff);
/// let err = read_int(&[0xff], 3, Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 3, available: 1 });
/// ```
#[inline]
pub fn read_int(bytes: &[u8], width: usize, endian: Endian) -> Result<i64> {
    let raw = read_uint(bytes, width, endian)?;
    let unused = 64 - 8 * width as u32;
    // Move the field's sign bit to bit 63, then shift back arithmetically to sign-extend.
    Ok(((raw << unused) as i64) >> unused)
}

/// Writes `v` as a two's-complement integer of `width` (1..=8) bytes at the start of `out`;
/// returns `width`.
///
/// Errors, checked in this order, with `out` untouched: `InvalidWidth`;
/// `OutOfRange { value, min: -2^(8 * width - 1), max: 2^(8 * width - 1) - 1 }`;
/// `BufferTooSmall { needed: width, available }`.
///
/// ```
/// use netorder::{Endian, ErrorKind, write_int};
/// let mut out = [0u8; 3];
/// assert_eq!(write_int(-2, 3, Endian::Big, &mut out).unwrap(), 3);
/// assert_eq!(out, [0xff, 0xff, 0xfe]);
/// let err = write_int(-129, 1, Endian::Big, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::OutOfRange { value: -129, min: -128, max: 127 });
/// ```
#[inline]
pub fn write_int(v: i64, width: usize, endian: Endian, out: &mut [u8]) -> Result<usize> {
    check_width(width)?;
    let max = (uint_max(width) >> 1) as i64;
    let min = -max - 1;
    if v < min || v > max {
        return Err(Error::new(ErrorKind::OutOfRange {
            value: i128::from(v),
            min: i128::from(min),
            max: i128::from(max),
        }));
    }
    write_low_bytes(v as u64 & uint_max(width), width, endian, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_max_per_width() {
        let expected = [
            0xff,
            0xffff,
            0xff_ffff,
            0xffff_ffff,
            (1 << 40) - 1,
            (1 << 48) - 1,
        ];
        for (i, want) in expected.iter().enumerate() {
            assert_eq!(uint_max(i + 1), *want);
        }
        assert_eq!(uint_max(7), (1 << 56) - 1);
        assert_eq!(uint_max(8), u64::MAX);
    }
}
