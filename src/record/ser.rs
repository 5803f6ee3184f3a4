//! The record encoder: a serde `Serializer` that writes straight into its output (a slice, or a
//! byte counter), with no allocation per field.
//!
//! The serializer is a small value, not a `&mut` to state in memory: it carries the output,
//! the position and the nesting depth, and every method returns the position after what it
//! wrote (`Ok = usize`). A derived `Serialize` impl that is not inlined into its caller
//! therefore keeps the cursor in a register from field to field and stores nothing but the
//! bytes; the depth goes down with the value and needs no undoing on the way back.

use super::IntMode;
use super::config::Flavor;
use super::depth::Depth;
use super::fail::{Fail as Error, Res as Result, fail};
use super::path::{Seg, in_field};
use super::wire::{self, WireInt};
use crate::error::ErrorKind;
use crate::order::Endian;
use serde::ser::{self, Serialize};

/// Where encoded bytes go.
pub(crate) trait Output {
    /// Puts `bytes` at `pos` (the bytes written so far); the position after them, or `None`
    /// when they do not fit.
    fn write(&mut self, pos: usize, bytes: &[u8]) -> Option<usize>;
    /// The bytes there is room for (`usize::MAX` for a counter).
    fn room(&self) -> usize;
    /// The output from `pos` on (`pos` is at most what was written).
    fn rest(&mut self, pos: usize) -> &mut Self;
}

/// A slice: running out of room is [`ErrorKind::BufferTooSmall`].
impl Output for [u8] {
    #[inline(always)]
    fn write(&mut self, pos: usize, bytes: &[u8]) -> Option<usize> {
        let end = pos.checked_add(bytes.len())?;
        self.get_mut(pos..end)?.copy_from_slice(bytes);
        Some(end)
    }
    #[inline(always)]
    fn room(&self) -> usize {
        self.len()
    }
    #[inline(always)]
    fn rest(&mut self, pos: usize) -> &mut Self {
        self.get_mut(pos..).unwrap_or_default()
    }
}

/// Counts bytes without writing them: the exact encoded size.
pub(crate) struct Counter;

impl Output for Counter {
    #[inline(always)]
    fn write(&mut self, pos: usize, bytes: &[u8]) -> Option<usize> {
        Some(pos + bytes.len())
    }
    #[inline(always)]
    fn room(&self) -> usize {
        usize::MAX
    }
    #[inline(always)]
    fn rest(&mut self, _pos: usize) -> &mut Self {
        self
    }
}

/// The encoder of one value: where its bytes go (`out` starts at its first byte), where that
/// is in the whole output, and how deep it is.
///
/// `DIAGNOSE` says whether errors are built in full where they are found (kind, offset, field
/// path) or are placeholders ([`fail`]) for a first pass that is run again with diagnosis if
/// it fails (`record::encode_slice`): the first pass's code has no error-building code at all.
///
/// An encoder always starts at the first byte of its `out`: a struct, tuple, sequence or
/// variant hands each element an encoder rebased at the element's first byte, and counts its
/// own position in a [`Compound`]. A derived `Serialize` impl that is not inlined into its
/// caller therefore starts at offset 0, and checks each of its fields against the room left at
/// a constant offset (one compare) before storing it at a constant offset.
pub(crate) struct Serializer<'a, O: ?Sized, F, const DIAGNOSE: bool> {
    out: &'a mut O,
    /// Where `out` starts in the whole output.
    base: usize,
    depth: Depth,
    flavor: F,
}

impl<'a, O: Output + ?Sized, F: Flavor, const DIAGNOSE: bool> Serializer<'a, O, F, DIAGNOSE> {
    /// At the start of `out`, at the top level.
    pub(crate) fn new(out: &'a mut O, flavor: F) -> Self {
        Serializer {
            out,
            base: 0,
            depth: Depth::default(),
            flavor,
        }
    }

    /// Writes `bytes` at `pos` of this value; the position after them.
    #[inline(always)]
    fn write(&mut self, pos: usize, bytes: &[u8]) -> Result<usize> {
        match self.out.write(pos, bytes) {
            Some(after) => Ok(after),
            None => Err(self.too_small(pos, bytes.len())),
        }
    }

    /// No room for `n` more bytes at `pos`.
    #[inline(always)]
    fn too_small(&self, pos: usize, n: usize) -> Error {
        let (base, room) = (self.base, self.out.room());
        fail(DIAGNOSE, || ErrorKind::BufferTooSmall {
            needed: base.saturating_add(pos).saturating_add(n),
            available: base.saturating_add(room),
        })
    }

    /// `pos` of this value in the whole output: what a serializer method returns.
    #[inline(always)]
    fn end(&self, pos: usize) -> usize {
        self.base + pos
    }

    #[inline(always)]
    fn write_int<N: WireInt>(&mut self, pos: usize, v: N) -> Result<usize> {
        match self.flavor.ints() {
            IntMode::Fixed => match self.flavor.endian() {
                Endian::Big => self.write(pos, v.to_be().as_ref()),
                Endian::Little => self.write(pos, v.to_le().as_ref()),
            },
            IntMode::Varint if N::BITS == 8 => self.write(pos, v.to_be().as_ref()),
            IntMode::Varint => wire::with_varint(v, |bytes| self.write(pos, bytes)),
            IntMode::AsciiFixed => {
                let mut buf = [0; wire::MAX_ASCII];
                let n = wire::ascii_encode(v, &mut buf);
                self.write(pos, &buf[..n])
            }
        }
    }

    /// A bool or an `Option` tag: one byte, `0`/`1` (ASCII `'0'`/`'1'` in ASCII mode).
    #[inline(always)]
    fn write_flag(&mut self, pos: usize, v: bool) -> Result<usize> {
        let byte = match self.flavor.ints() {
            IntMode::AsciiFixed => b'0' + v as u8,
            _ => v as u8,
        };
        self.write(pos, &[byte])
    }

    /// A length prefix at `pos`, checked against the limit.
    #[inline]
    fn write_len(&mut self, pos: usize, len: usize) -> Result<usize> {
        let len = len as u64;
        let limit = self.flavor.max_len();
        if len > limit {
            let offset = self.end(pos);
            return Err(fail(DIAGNOSE, || ErrorKind::LengthLimit {
                offset,
                len,
                limit,
            }));
        }
        self.write_int(pos, len)
    }

    /// The encoder of what starts at `pos`, at the same level.
    #[inline(always)]
    fn at(self, pos: usize) -> Self {
        Serializer {
            out: self.out.rest(pos),
            base: self.base + pos,
            depth: self.depth,
            flavor: self.flavor,
        }
    }

    /// The encoder of what starts at `pos`, one level deeper: checked there, where the nested
    /// value starts, with `slack` levels allowed past the limit (see [`Depth::enter_past`]).
    #[inline(always)]
    fn nested(self, pos: usize, slack: usize) -> Result<Self> {
        let offset = self.end(pos);
        let depth = self
            .depth
            .enter_past(self.flavor.max_depth(), slack, offset, DIAGNOSE)?;
        Ok(Serializer {
            depth,
            ..self.at(pos)
        })
    }

    /// A tuple or struct variant: one level of nesting (as the decoder counts it), its index,
    /// then its fields.
    #[inline]
    fn variant_compound(
        self,
        index: u32,
        variant: &'static str,
    ) -> Result<Compound<'a, O, F, DIAGNOSE>> {
        let mut inner = self.nested(0, 0)?;
        let pos = inner.write_int(0, index)?;
        Ok(Compound::at(inner, pos, Some(variant)))
    }
}

/// `serialize_u8`..`serialize_i128`, from the one primitive table
/// ([`crate::order::primitives`]): as the flavor says.
macro_rules! serialize_ints {
    ($(($t:ident, $b:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*) => {$(
        #[inline]
        fn $ser(mut self, v: $t) -> Result<usize> {
            let pos = self.write_int(0, v)?;
            Ok(self.end(pos))
        }
    )*};
}

/// `serialize_f32` and `serialize_f64`: IEEE 754 in the flavor's byte order.
macro_rules! serialize_floats {
    ($(($t:ident, $b:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*) => {$(
        #[inline]
        fn $ser(mut self, v: $t) -> Result<usize> {
            let pos = match self.flavor.endian() {
                Endian::Big => self.write(0, &v.to_be_bytes())?,
                Endian::Little => self.write(0, &v.to_le_bytes())?,
            };
            Ok(self.end(pos))
        }
    )*};
}

impl<'a, O: Output + ?Sized, F: Flavor, const D: bool> ser::Serializer for Serializer<'a, O, F, D> {
    /// The position after the value, in the whole output.
    type Ok = usize;
    type Error = Error;
    type SerializeSeq = Compound<'a, O, F, D>;
    type SerializeTuple = Compound<'a, O, F, D>;
    type SerializeTupleStruct = Compound<'a, O, F, D>;
    type SerializeTupleVariant = Compound<'a, O, F, D>;
    type SerializeMap = Compound<'a, O, F, D>;
    type SerializeStruct = Compound<'a, O, F, D>;
    type SerializeStructVariant = Compound<'a, O, F, D>;

    crate::order::primitives!(ints: serialize_ints, floats: serialize_floats);

    #[inline]
    fn serialize_bool(mut self, v: bool) -> Result<usize> {
        let pos = self.write_flag(0, v)?;
        Ok(self.end(pos))
    }

    #[inline]
    fn serialize_char(mut self, v: char) -> Result<usize> {
        let mut buf = [0; 4];
        let pos = self.write(0, v.encode_utf8(&mut buf).as_bytes())?;
        Ok(self.end(pos))
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<usize> {
        self.serialize_bytes(v.as_bytes())
    }

    #[inline]
    fn serialize_bytes(mut self, v: &[u8]) -> Result<usize> {
        let pos = self.write_len(0, v.len())?;
        // A string or byte string: as deep as a sequence may be.
        self.depth
            .check_leaf(self.flavor.max_depth(), self.end(pos), D)?;
        let pos = self.write(pos, v)?;
        Ok(self.end(pos))
    }

    #[inline]
    fn serialize_none(mut self) -> Result<usize> {
        let pos = self.write_flag(0, false)?;
        Ok(self.end(pos))
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Result<usize> {
        let pos = self.write_flag(0, true)?;
        value.serialize(self.nested(pos, 0)?)
    }

    #[inline]
    fn serialize_unit(self) -> Result<usize> {
        Ok(self.base)
    }

    #[inline]
    fn serialize_unit_struct(self, _name: &'static str) -> Result<usize> {
        Ok(self.base)
    }

    #[inline]
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
    ) -> Result<usize> {
        // An enum is one level of nesting, whatever its variant (as in the decoder).
        let mut inner = self.nested(0, 0)?;
        let pos = inner.write_int(0, index)?;
        Ok(inner.end(pos))
    }

    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<usize> {
        value.serialize(self.nested(0, 0)?)
    }

    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<usize> {
        let mut inner = self.nested(0, 0)?;
        let pos = inner.write_int(0, index)?;
        value.serialize(inner.at(pos)).map_err(|e| {
            if D {
                in_field(e, Seg::Field(variant))
            } else {
                e
            }
        })
    }

    #[inline]
    fn serialize_seq(mut self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        let Some(len) = len else {
            return Err(fail(D, || ErrorKind::Unsupported {
                what: "a sequence or map whose length is not known in advance",
            }));
        };
        let pos = self.write_len(0, len)?;
        Ok(Compound::at(self.nested(pos, 1)?, 0, None))
    }

    #[inline]
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Compound::new(self, None)
    }

    #[inline]
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Compound::new(self, None)
    }

    #[inline]
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.variant_compound(index, variant)
    }

    #[inline]
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        self.serialize_seq(len)
    }

    #[inline]
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Compound::new(self, None)
    }

    #[inline]
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.variant_compound(index, variant)
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    // serde's default collects into a `String`.
    #[cfg(not(feature = "alloc"))]
    fn collect_str<T: core::fmt::Display + ?Sized>(self, value: &T) -> Result<usize> {
        collect_str(self, value)
    }
}

/// A struct, tuple, sequence, map or variant being written: the encoder one level inside it,
/// where the next element goes, and the index of the next element, for error paths.
pub(crate) struct Compound<'a, O: ?Sized, F, const D: bool> {
    ser: Serializer<'a, O, F, D>,
    pos: usize,
    index: usize,
    variant: Option<&'static str>,
}

impl<'a, O: Output + ?Sized, F: Flavor, const D: bool> Compound<'a, O, F, D> {
    /// One level of nesting (a struct or tuple), entered at the current position.
    #[inline(always)]
    fn new(ser: Serializer<'a, O, F, D>, variant: Option<&'static str>) -> Result<Self> {
        Ok(Compound::at(ser.nested(0, 0)?, 0, variant))
    }

    /// Elements written by `ser`, already at their level, from `pos` on.
    #[inline(always)]
    fn at(ser: Serializer<'a, O, F, D>, pos: usize, variant: Option<&'static str>) -> Self {
        Compound {
            ser,
            pos,
            index: 0,
            variant,
        }
    }

    /// The encoder for the next element: the rest of the output, at the same level.
    #[inline(always)]
    fn next(&mut self) -> Serializer<'_, O, F, D> {
        Serializer {
            out: self.ser.out.rest(self.pos),
            base: self.ser.base + self.pos,
            depth: self.ser.depth,
            flavor: self.ser.flavor,
        }
    }

    /// Takes the position an element's encoder returned (in the whole output).
    #[inline(always)]
    fn advance(&mut self, end: usize) {
        self.pos = end - self.ser.base;
    }

    /// The next element; an error from it gets the element's index prepended to its path.
    #[inline(always)]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.index;
        self.index = index + 1;
        // The index and variant go to the cold path as plain values: nothing is built in
        // memory before the call, so a success costs no stores.
        let variant = self.variant;
        let end = value.serialize(self.next()).map_err(|e| {
            if D {
                locate_index(e, index, variant)
            } else {
                e
            }
        })?;
        self.advance(end);
        Ok(())
    }

    /// A named struct field.
    #[inline(always)]
    fn field<T: Serialize + ?Sized>(&mut self, value: &T, name: &'static str) -> Result<()> {
        let variant = self.variant;
        let end = value
            .serialize(self.next())
            .map_err(|e| if D { locate_field(e, name, variant) } else { e })?;
        self.advance(end);
        Ok(())
    }

    #[inline(always)]
    fn finish(self) -> Result<usize> {
        Ok(self.ser.end(self.pos))
    }
}

/// Prepends `[index]` (and the variant's name, if any) to an error's path.
#[cold]
#[inline(never)]
fn locate_index(e: Error, index: usize, variant: Option<&'static str>) -> Error {
    in_variant(in_field(e, Seg::Index(index)), variant)
}

/// Prepends `name` (and the variant's name, if any) to an error's path.
#[cold]
#[inline(never)]
fn locate_field(e: Error, name: &'static str, variant: Option<&'static str>) -> Error {
    in_variant(in_field(e, Seg::Field(name)), variant)
}

fn in_variant(e: Error, variant: Option<&'static str>) -> Error {
    match variant {
        Some(v) => in_field(e, Seg::Field(v)),
        None => e,
    }
}

macro_rules! compound_elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<O: Output + ?Sized, F: Flavor, const D: bool> ser::$trait for Compound<'_, O, F, D> {
            type Ok = usize;
            type Error = Error;
            #[inline]
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            #[inline]
            fn end(self) -> Result<usize> {
                self.finish()
            }
        }
    )*};
}

compound_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! compound_fields {
    ($($trait:ident),*) => {$(
        impl<O: Output + ?Sized, F: Flavor, const D: bool> ser::$trait for Compound<'_, O, F, D> {
            type Ok = usize;
            type Error = Error;
            #[inline]
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
                self.field(value, key)
            }
            #[inline]
            fn end(self) -> Result<usize> {
                self.finish()
            }
        }
    )*};
}

compound_fields!(SerializeStruct, SerializeStructVariant);

impl<O: Output + ?Sized, F: Flavor, const D: bool> ser::SerializeMap for Compound<'_, O, F, D> {
    type Ok = usize;
    type Error = Error;
    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let index = self.index;
        let variant = self.variant;
        let end = key.serialize(self.next()).map_err(|e| {
            if D {
                locate_index(e, index, variant)
            } else {
                e
            }
        })?;
        self.advance(end);
        Ok(())
    }
    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    #[inline]
    fn end(self) -> Result<usize> {
        self.finish()
    }
}

/// A `Display` value written as a string without an allocator: one pass counts its bytes (the
/// length prefix), a second writes them. A value that writes a different length the second
/// time is [`ErrorKind::Unsupported`].
#[cfg(not(feature = "alloc"))]
fn collect_str<O: Output + ?Sized, F: Flavor, const D: bool, T: core::fmt::Display + ?Sized>(
    mut ser: Serializer<'_, O, F, D>,
    value: &T,
) -> Result<usize> {
    use core::fmt::{self, Write};
    struct Count(usize);
    impl Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    struct Emit<'s, 'o, O: ?Sized, F, const D: bool> {
        ser: &'s mut Serializer<'o, O, F, D>,
        pos: usize,
        left: usize,
        err: Option<Error>,
    }
    impl<O: Output + ?Sized, F: Flavor, const D: bool> Write for Emit<'_, '_, O, F, D> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            if s.len() > self.left {
                return Err(fmt::Error);
            }
            self.left -= s.len();
            match self.ser.write(self.pos, s.as_bytes()) {
                Ok(pos) => {
                    self.pos = pos;
                    Ok(())
                }
                Err(e) => {
                    self.err = Some(e);
                    Err(fmt::Error)
                }
            }
        }
    }
    let unstable = || {
        fail(D, || ErrorKind::Unsupported {
            what: "a Display impl that failed or wrote different lengths when written twice",
        })
    };
    let mut count = Count(0);
    write!(count, "{value}").map_err(|_| unstable())?;
    let pos = ser.write_len(0, count.0)?;
    ser.depth
        .check_leaf(ser.flavor.max_depth(), ser.end(pos), D)?;
    let mut emit = Emit {
        ser: &mut ser,
        pos,
        left: count.0,
        err: None,
    };
    match (write!(emit, "{value}"), emit.err.take()) {
        (_, Some(e)) => Err(e),
        (Ok(()), None) if emit.left == 0 => Ok(emit.ser.end(emit.pos)),
        _ => Err(unstable()),
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use crate::ErrorKind;
    use crate::record::Config;

    #[test]
    fn siblings_start_at_their_parents_level() {
        // The depth travels down with the value: a level entered by one element is not
        // carried over to the next. Each `Some` below is at level 2 (tuple, then `Some`).
        let c = Config::new().with_max_depth(2);
        let siblings = (Some(1u8), Some(2u8), Some(3u8), [Some(4u8)]);
        assert_eq!(
            c.to_vec(&(Some(1u8), Some(2u8), Some(3u8))).unwrap(),
            [1, 1, 1, 2, 1, 3]
        );
        // `[Some(4)]`: tuple, array, `Some` is level 3: one too deep, at the `Some`'s content.
        let err = c.to_vec(&siblings).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::DepthLimit {
                offset: 7,
                limit: 2
            }
        );
        assert_eq!(err.field(), Some("[3][0]"));
    }

    #[test]
    fn the_position_returned_is_the_bytes_written() {
        let mut buf = [0xee; 20];
        let value = (1u16, "ab", Some(-1i8), [7u8; 2]);
        let n = Config::new().to_slice(&value, &mut buf).unwrap();
        assert_eq!(n, 2 + 8 + 2 + 2 + 2);
        assert_eq!(
            buf[..n],
            [0, 1, 0, 0, 0, 0, 0, 0, 0, 2, b'a', b'b', 1, 0xff, 7, 7]
        );
        assert_eq!(buf[n..], [0xee; 4]);
        // A record that does not fit names its whole size.
        let mut short = [0xee; 15];
        let err = Config::new().to_slice(&value, &mut short).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::BufferTooSmall {
                needed: 16,
                available: 15
            }
        );
    }
}
