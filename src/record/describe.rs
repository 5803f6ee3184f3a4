//! What a [`FixedRecord`](super::FixedRecord) is made of, field by field, for
//! [`Layout::of_fixed`](crate::layout::Layout::of_fixed) (diagrams, and the code generators that
//! build on a `Layout`): a visitor that the derive calls, with no allocation, so that every
//! derived record can describe itself whatever the crate's features.
//!
//! Not part of the API: the derive's building block, reached through `netorder::__private`.

/// One step of the path to a field: a struct field by name, or an element by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    /// A struct field.
    Field(&'static str),
    /// An array or tuple element, or a tuple struct's field.
    Index(usize),
}

/// A bit field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitKind {
    /// An unsigned integer.
    Unsigned,
    /// A `bool` (one bit).
    Bool,
    /// An enum: its variants by name and discriminant.
    Enum(&'static [(&'static str, u64)]),
}

/// What a record's `__describe` tells, in order.
pub trait Describe {
    /// A number or `bool` with its `struct` code (`B H I Q b h i q f d ?`), or `0` for a type
    /// that has none (`u128`, `i128`), and its size in bytes.
    fn primitive(&mut self, code: u8, size: usize);
    /// A byte array (`[u8; N]`): `Ns`.
    fn bytes(&mut self, len: usize);
    /// `size` bytes with nothing known about them (a hand-written `FixedRecord`).
    fn opaque(&mut self, size: usize);
    /// A bit field of `bits` bits.
    fn bits(&mut self, bits: u32, kind: BitKind);
    /// The next calls are inside this field or element...
    fn enter(&mut self, seg: Seg);
    /// ...until this one.
    fn leave(&mut self);
    /// Whether the visitor wants no more (it hit a limit): arrays stop early.
    fn full(&self) -> bool;
}

/// The [`BitKind`] of a [`BitValue`](super::BitValue).
#[inline]
pub fn bit_kind<T: super::BitValue>() -> BitKind {
    if T::__BOOL {
        BitKind::Bool
    } else if T::__VARIANTS.is_empty() {
        BitKind::Unsigned
    } else {
        BitKind::Enum(T::__VARIANTS)
    }
}
