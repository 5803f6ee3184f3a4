//! Bit fields of fixed-size records: `#[netorder(bits = N)]` and the values it takes.
//!
//! A field of a `#[derive(FixedRecord)]` struct marked `#[netorder(bits = N)]` takes `N` bits
//! instead of whole bytes. Adjacent bit fields form a *run*, packed most significant bit first
//! (network order: the first field is in the high bits of the first byte, as the box diagrams
//! of RFCs draw them), and a run fills whole bytes: a run of 7 or 12 bits does not compile. The
//! record's `SIZE` counts bytes.
//!
//! The field's type is a [`BitValue`]: `u8`, `u16`, `u32`, `u64`, `bool` (one bit), or a
//! fieldless enum with explicit discriminants that derives [`BitValue`](trait@BitValue).
//!
//! - **Encoding** a value that does not fit its bits is [`ErrorKind::BitsOutOfRange`] naming
//!   the field, never a silent truncation: `fixed::to_slice` and `fixed::to_vec` check every
//!   bit field narrower than its type (a record with no such field has no check at all).
//! - **Decoding** a run is one big-endian load of its bytes, then a constant shift and mask
//!   per field. An enum field whose bits are no variant is [`ErrorKind::InvalidVariant`] with
//!   the field's byte offset and path.
//!
//! ```
//! use netorder::record::{BitValue, FixedRecord, fixed};
//!
//! /// The CCSDS space packet primary header (CCSDS 133.0-B-2, section 4.1.3).
//! #[derive(FixedRecord, Debug, PartialEq)]
//! struct SpacePacket {
//!     #[netorder(bits = 3)] version: u8,
//!     #[netorder(bits = 1)] kind: PacketType,
//!     #[netorder(bits = 1)] secondary_header: bool,
//!     #[netorder(bits = 11)] apid: u16,
//!     #[netorder(bits = 2)] sequence_flags: u8,
//!     #[netorder(bits = 14)] sequence_count: u16,
//!     data_length: u16,
//! }
//!
//! #[derive(BitValue, Debug, PartialEq, Clone, Copy)]
//! enum PacketType { Telemetry = 0, Telecommand = 1 }
//!
//! assert_eq!(SpacePacket::SIZE, 6);
//! let p = SpacePacket {
//!     version: 0, kind: PacketType::Telecommand, secondary_header: true, apid: 0x7FF,
//!     sequence_flags: 3, sequence_count: 1, data_length: 9,
//! };
//! let bytes = fixed::to_vec(&p)?;
//! assert_eq!(bytes, [0x1F, 0xFF, 0xC0, 0x01, 0x00, 0x09]);
//! assert_eq!(fixed::from_bytes::<SpacePacket>(&bytes)?, p);
//!
//! // An APID of 12 bits does not fit 11: refused, never truncated.
//! let err = fixed::to_vec(&SpacePacket { apid: 0x800, ..p }).unwrap_err();
//! assert_eq!(err.kind(), &netorder::ErrorKind::BitsOutOfRange { value: 0x800, bits: 11 });
//! assert_eq!(err.field(), Some("apid"));
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! A run that does not fill whole bytes does not compile (the message names the run):
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Half { #[netorder(bits = 3)] a: u8, #[netorder(bits = 4)] b: u8, c: u16 }
//! ```
//!
//! Nor do bits on a signed or float field, a width of 0 or wider than the type, or a `bool`
//! wider than one bit:
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Signed { #[netorder(bits = 4)] a: i8, #[netorder(bits = 4)] b: u8 }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Float { #[netorder(bits = 32)] a: f32 }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Wide { #[netorder(bits = 9)] a: u8, #[netorder(bits = 7)] b: u8 }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Zero { #[netorder(bits = 0)] a: u8, b: u8 }
//! ```
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Flag { #[netorder(bits = 2)] a: bool, #[netorder(bits = 6)] b: u8 }
//! ```
//!
//! An alias of an integer is checked too, after the derive (by a constant assertion that names
//! the field):
//!
//! ```compile_fail
//! type Byte = u8;
//! #[derive(netorder::record::FixedRecord)]
//! struct Aliased { #[netorder(bits = 12)] a: Byte, #[netorder(bits = 4)] b: u8 }
//! ```

use crate::error::{Error, ErrorKind};

/// A value a bit field can hold: `u8`, `u16`, `u32`, `u64`, `bool`, and fieldless enums with
/// explicit discriminants that derive it (`#[derive(BitValue)]`).
///
/// A field `#[netorder(bits = N)]` of type `T` needs `T::MIN_BITS <= N <= T::MAX_BITS` (checked
/// when the record compiles). When `N < T::VALUE_BITS` some values do not fit, and encoding
/// checks each one ([`ErrorKind::BitsOutOfRange`]); when some `N`-bit patterns are no value
/// ([`BitValue::from_bits`] returns `None`, as for an enum with gaps), decoding checks them
/// ([`ErrorKind::InvalidVariant`]).
///
/// ```
/// use netorder::record::BitValue;
///
/// /// DNS opcodes (RFC 1035 4.1.1, RFC 1996, RFC 2136) in a 4-bit field.
/// #[derive(BitValue, Debug, Clone, Copy, PartialEq)]
/// enum Opcode { Query = 0, IQuery = 1, Status = 2, Notify = 4, Update = 5 }
///
/// assert_eq!(Opcode::MIN_BITS, 3); // the largest discriminant, 5, needs 3 bits
/// assert_eq!(Opcode::Notify.to_bits(), 4);
/// assert_eq!(Opcode::from_bits(5), Some(Opcode::Update));
/// assert_eq!(Opcode::from_bits(3), None); // no opcode 3: refused when decoding
/// assert_eq!(<u16 as BitValue>::MAX_BITS, 16);
/// assert_eq!(bool::from_bits(1), Some(true));
/// ```
///
/// An enum without explicit discriminants, with a field, or with a negative discriminant does
/// not derive it:
///
/// ```compile_fail
/// #[derive(netorder::record::BitValue)]
/// enum Implicit { A, B }
/// ```
///
/// ```compile_fail
/// #[derive(netorder::record::BitValue)]
/// enum Carrying { A(u8) = 1 }
/// ```
///
/// ```compile_fail
/// #[derive(netorder::record::BitValue)]
/// #[repr(i8)]
/// enum Negative { A = -1, B = 1 }
/// ```
pub trait BitValue: Sized {
    /// The narrowest bit field that holds every value (integers, `bool`: 1; an enum: the bits
    /// of its largest discriminant).
    const MIN_BITS: u32;
    /// The widest bit field allowed (an integer: its width; `bool`: 1; an enum: 64).
    const MAX_BITS: u32;
    /// The bits of the largest value [`to_bits`](BitValue::to_bits) gives (an integer: its
    /// width; `bool`: 1; an enum: its `MIN_BITS`). A field narrower than this checks every
    /// value it encodes.
    const VALUE_BITS: u32;

    /// The value as bits (an integer: itself; `bool`: 0 or 1; an enum: its discriminant).
    fn to_bits(&self) -> u64;

    /// The value of these bits, or `None` where they are no value of the type (an enum's
    /// unknown discriminant). `bits` is below `2^MAX_BITS`.
    fn from_bits(bits: u64) -> Option<Self>;

    /// The variants of an enum, by name and discriminant, in declaration order (empty for
    /// integers and `bool`): what a [`Layout`](crate::layout::Layout) of the record lists.
    #[doc(hidden)]
    const __VARIANTS: &'static [(&'static str, u64)] = &[];

    /// Whether the value is a `bool` (a [`Layout`](crate::layout::Layout) shows it as one).
    #[doc(hidden)]
    const __BOOL: bool = false;

    /// The value of bits that [`from_bits`](BitValue::from_bits) accepted (the decoders check
    /// first). The derive and the built-in impls never panic here; this default does only if
    /// called with bits `from_bits` refuses.
    #[doc(hidden)]
    #[inline(always)]
    fn __from_valid_bits(bits: u64) -> Self {
        match Self::from_bits(bits) {
            Some(value) => value,
            None => panic!("BitValue::__from_valid_bits called with bits from_bits refuses"),
        }
    }
}

/// Derives [`BitValue`](trait@BitValue) for a fieldless enum whose every variant has an
/// explicit, non-negative discriminant: `to_bits` is the discriminant and `from_bits` refuses
/// any other value. See the trait for an example.
#[cfg(feature = "derive")]
pub use netorder_derive::BitValue;

macro_rules! bit_value_uint {
    ($($t:ident)*) => {$(
        impl BitValue for $t {
            const MIN_BITS: u32 = 1;
            const MAX_BITS: u32 = <$t>::BITS;
            const VALUE_BITS: u32 = <$t>::BITS;
            #[inline(always)]
            fn to_bits(&self) -> u64 {
                u64::from(*self)
            }
            #[inline(always)]
            fn from_bits(bits: u64) -> Option<Self> {
                Some(bits as $t)
            }
            #[inline(always)]
            fn __from_valid_bits(bits: u64) -> Self {
                bits as $t
            }
        }
    )*};
}

bit_value_uint!(u8 u16 u32 u64);

impl BitValue for bool {
    const MIN_BITS: u32 = 1;
    const MAX_BITS: u32 = 1;
    const VALUE_BITS: u32 = 1;
    const __BOOL: bool = true;
    #[inline(always)]
    fn to_bits(&self) -> u64 {
        u64::from(*self)
    }
    #[inline(always)]
    fn from_bits(bits: u64) -> Option<Self> {
        Some(bits != 0)
    }
    #[inline(always)]
    fn __from_valid_bits(bits: u64) -> Self {
        bits != 0
    }
}

/// The bits needed for `value` (0 for 0): what the derive computes an enum's `MIN_BITS` with.
#[doc(hidden)]
pub const fn bits_needed(value: u64) -> u32 {
    u64::BITS - value.leading_zeros()
}

/// The largest of `values` (0 when empty), in a constant.
#[doc(hidden)]
pub const fn max_of(values: &[u64]) -> u64 {
    let mut max = 0;
    let mut i = 0;
    while i < values.len() {
        if values[i] > max {
            max = values[i];
        }
        i += 1;
    }
    max
}

/// The error for `value` in a field of `bits` bits.
#[cold]
#[inline(never)]
pub(crate) fn out_of_range(value: u64, bits: u32) -> Error {
    Error::new(ErrorKind::BitsOutOfRange {
        value: i128::from(value),
        bits,
    })
}

/// The error for enum bits that are no variant, at `offset`.
#[cold]
#[inline(never)]
pub(crate) fn no_variant(offset: usize, bits: u64) -> Error {
    Error::new(ErrorKind::InvalidVariant {
        offset,
        index: bits,
    })
}
