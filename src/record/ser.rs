//! The record encoder: a serde `Serializer` that writes straight into its output (a `Vec`, a
//! slice, or a byte counter), with no allocation per field.

use super::IntMode;
use super::config::Flavor;
use super::depth::Depth;
use super::fail::{Fail as Error, Res as Result};
use super::path::{Seg, in_field};
use super::wire::{self, WireInt};
use crate::error::ErrorKind;
use crate::order::Endian;
use serde::ser::{self, Serialize};

/// Where encoded bytes go.
pub(crate) trait Output {
    /// Bytes written so far.
    fn pos(&self) -> usize;
    /// Appends `bytes`.
    fn write(&mut self, bytes: &[u8]) -> Result<()>;
}

/// Writes into a slice; running out of room is [`ErrorKind::BufferTooSmall`].
pub(crate) struct SliceOut<'a> {
    /// The part not written yet.
    rest: &'a mut [u8],
    len: usize,
}

impl<'a> SliceOut<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        SliceOut {
            len: buf.len(),
            rest: buf,
        }
    }
}

impl Output for SliceOut<'_> {
    #[inline(always)]
    fn pos(&self) -> usize {
        self.len - self.rest.len()
    }
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        if bytes.len() > self.rest.len() {
            return Err(too_small(self.pos() + bytes.len(), self.len));
        }
        let (head, tail) = core::mem::take(&mut self.rest).split_at_mut(bytes.len());
        head.copy_from_slice(bytes);
        self.rest = tail;
        Ok(())
    }
}

#[cold]
fn too_small(needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::BufferTooSmall { needed, available })
}

/// Counts bytes without writing them: the exact encoded size.
pub(crate) struct Counter(pub(crate) usize);

impl Output for Counter {
    #[inline(always)]
    fn pos(&self) -> usize {
        self.0
    }
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.0 += bytes.len();
        Ok(())
    }
}

/// The encoder.
pub(crate) struct Serializer<O, F> {
    pub(crate) out: O,
    flavor: F,
    depth: Depth,
}

impl<O: Output, F: Flavor> Serializer<O, F> {
    pub(crate) fn new(out: O, flavor: F) -> Self {
        Serializer {
            out,
            flavor,
            depth: Depth::default(),
        }
    }

    #[inline(always)]
    fn write_int<N: WireInt>(&mut self, v: N) -> Result<()> {
        match self.flavor.ints() {
            IntMode::Fixed => match self.flavor.endian() {
                Endian::Big => self.out.write(v.to_be().as_ref()),
                Endian::Little => self.out.write(v.to_le().as_ref()),
            },
            IntMode::Varint if N::BITS == 8 => self.out.write(v.to_be().as_ref()),
            IntMode::Varint if N::BITS <= 64 => {
                // Layer 2's LEB128 (zigzag is already applied at the type's width).
                let mut buf = [0; crate::int::varint::MAX_LEN];
                let n = crate::int::varint::encode(v.to_varint() as u64, &mut buf);
                self.out.write(&buf[..n])
            }
            IntMode::Varint => {
                let mut buf = [0; wire::MAX_VARINT];
                let n = wire::varint_encode(v.to_varint(), &mut buf);
                self.out.write(&buf[..n])
            }
            IntMode::AsciiFixed => {
                let mut buf = [0; wire::MAX_ASCII];
                let n = wire::ascii_encode(v, &mut buf);
                self.out.write(&buf[..n])
            }
        }
    }

    /// A bool or an `Option` tag: one byte, `0`/`1` (ASCII `'0'`/`'1'` in ASCII mode).
    #[inline(always)]
    fn write_flag(&mut self, v: bool) -> Result<()> {
        let byte = match self.flavor.ints() {
            IntMode::AsciiFixed => b'0' + v as u8,
            _ => v as u8,
        };
        self.out.write(&[byte])
    }

    #[inline]
    fn write_len(&mut self, len: usize) -> Result<()> {
        let len = len as u64;
        if len > self.flavor.max_len() {
            return Err(Error::new(ErrorKind::LengthLimit {
                offset: self.out.pos(),
                len,
                limit: self.flavor.max_len(),
            }));
        }
        self.write_int(len)
    }

    /// A tuple or struct variant: one level of nesting (as the decoder counts it), its index,
    /// then its fields.
    #[inline]
    fn variant_compound(
        &mut self,
        index: u32,
        variant: &'static str,
    ) -> Result<Compound<'_, O, F>> {
        self.enter()?;
        self.write_int(index)?;
        Ok(Compound {
            ser: self,
            index: 0,
            variant: Some(variant),
        })
    }

    /// One more level of nesting (a struct, tuple, enum, newtype or `Some`).
    #[inline(always)]
    fn enter(&mut self) -> Result<()> {
        self.enter_past(0)
    }

    /// One more level, allowed `slack` levels past the limit. Sequences and maps take a slack
    /// of 1, and strings and byte strings are checked with the same bound: a `&[u8]` is
    /// written as a sequence of `u8` but read back as bytes, and both sides must agree on
    /// what is too deep.
    #[inline(always)]
    fn enter_past(&mut self, slack: usize) -> Result<()> {
        self.depth
            .enter_past(self.flavor.max_depth(), slack, self.out.pos())
    }

    /// A string or byte string: as deep as a sequence may be.
    #[inline(always)]
    fn check_leaf(&mut self) -> Result<()> {
        self.depth
            .check_leaf(self.flavor.max_depth(), self.out.pos())
    }

    #[inline(always)]
    fn leave(&mut self) {
        self.depth.leave();
    }
}

macro_rules! serialize_ints {
    ($($method:ident $ty:ty),*) => {$(
        #[inline]
        fn $method(self, v: $ty) -> Result<()> {
            self.write_int(v)
        }
    )*};
}

macro_rules! serialize_floats {
    ($($method:ident $ty:ty),*) => {$(
        #[inline]
        fn $method(self, v: $ty) -> Result<()> {
            match self.flavor.endian() {
                Endian::Big => self.out.write(&v.to_be_bytes()),
                Endian::Little => self.out.write(&v.to_le_bytes()),
            }
        }
    )*};
}

impl<'a, O: Output, F: Flavor> ser::Serializer for &'a mut Serializer<O, F> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, O, F>;
    type SerializeTuple = Compound<'a, O, F>;
    type SerializeTupleStruct = Compound<'a, O, F>;
    type SerializeTupleVariant = Compound<'a, O, F>;
    type SerializeMap = Compound<'a, O, F>;
    type SerializeStruct = Compound<'a, O, F>;
    type SerializeStructVariant = Compound<'a, O, F>;

    serialize_ints!(
        serialize_u8 u8, serialize_u16 u16, serialize_u32 u32, serialize_u64 u64,
        serialize_u128 u128, serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
        serialize_i64 i64, serialize_i128 i128
    );
    serialize_floats!(serialize_f32 f32, serialize_f64 f64);

    #[inline]
    fn serialize_bool(self, v: bool) -> Result<()> {
        self.write_flag(v)
    }

    #[inline]
    fn serialize_char(self, v: char) -> Result<()> {
        let mut buf = [0; 4];
        self.out.write(v.encode_utf8(&mut buf).as_bytes())
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<()> {
        self.serialize_bytes(v.as_bytes())
    }

    #[inline]
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.write_len(v.len())?;
        self.check_leaf()?;
        self.out.write(v)
    }

    #[inline]
    fn serialize_none(self) -> Result<()> {
        self.write_flag(false)
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        self.write_flag(true)?;
        self.enter()?;
        value.serialize(&mut *self)?;
        self.leave();
        Ok(())
    }

    #[inline]
    fn serialize_unit(self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        _variant: &'static str,
    ) -> Result<()> {
        // An enum is one level of nesting, whatever its variant (as in the decoder).
        self.enter()?;
        self.write_int(index)?;
        self.leave();
        Ok(())
    }

    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        self.enter()?;
        value.serialize(&mut *self)?;
        self.leave();
        Ok(())
    }

    #[inline]
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.enter()?;
        self.write_int(index)?;
        value
            .serialize(&mut *self)
            .map_err(|e| in_field(e, Seg::Field(variant)))?;
        self.leave();
        Ok(())
    }

    #[inline]
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        let len = len.ok_or(Error::new(ErrorKind::Unsupported {
            what: "a sequence or map whose length is not known in advance",
        }))?;
        self.write_len(len)?;
        self.enter_past(1)?;
        Ok(Compound {
            ser: self,
            index: 0,
            variant: None,
        })
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
    fn collect_str<T: core::fmt::Display + ?Sized>(self, value: &T) -> Result<()> {
        collect_str(self, value)
    }
}

/// A struct, tuple, sequence, map or variant being written; knows the index of the next
/// element, for error paths.
pub(crate) struct Compound<'a, O, F> {
    ser: &'a mut Serializer<O, F>,
    index: usize,
    variant: Option<&'static str>,
}

impl<'a, O: Output, F: Flavor> Compound<'a, O, F> {
    #[inline(always)]
    fn new(ser: &'a mut Serializer<O, F>, variant: Option<&'static str>) -> Result<Self> {
        ser.enter()?;
        Ok(Compound {
            ser,
            index: 0,
            variant,
        })
    }

    /// The next element; an error from it gets the element's index prepended to its path.
    #[inline(always)]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.index;
        self.index = index + 1;
        // The index and variant go to the cold path as plain values: nothing is built in
        // memory before the call, so a success costs no stores.
        value
            .serialize(&mut *self.ser)
            .map_err(|e| locate_index(e, index, self.variant))
    }

    /// A named struct field.
    #[inline(always)]
    fn field<T: Serialize + ?Sized>(&mut self, value: &T, name: &'static str) -> Result<()> {
        value
            .serialize(&mut *self.ser)
            .map_err(|e| locate_field(e, name, self.variant))
    }

    #[inline(always)]
    fn finish(self) -> Result<()> {
        self.ser.leave();
        Ok(())
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
        impl<O: Output, F: Flavor> ser::$trait for Compound<'_, O, F> {
            type Ok = ();
            type Error = Error;
            #[inline]
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            #[inline]
            fn end(self) -> Result<()> {
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
        impl<O: Output, F: Flavor> ser::$trait for Compound<'_, O, F> {
            type Ok = ();
            type Error = Error;
            #[inline]
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
                self.field(value, key)
            }
            #[inline]
            fn end(self) -> Result<()> {
                self.finish()
            }
        }
    )*};
}

compound_fields!(SerializeStruct, SerializeStructVariant);

impl<O: Output, F: Flavor> ser::SerializeMap for Compound<'_, O, F> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let index = self.index;
        key.serialize(&mut *self.ser)
            .map_err(|e| locate_index(e, index, self.variant))
    }
    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }
    #[inline]
    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// A `Display` value written as a string without an allocator: one pass counts its bytes (the
/// length prefix), a second writes them. A value that writes a different length the second
/// time is [`ErrorKind::Unsupported`].
#[cfg(not(feature = "alloc"))]
fn collect_str<O: Output, F: Flavor, T: core::fmt::Display + ?Sized>(
    ser: &mut Serializer<O, F>,
    value: &T,
) -> Result<()> {
    use core::fmt::{self, Write};
    struct Count(usize);
    impl Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    struct Emit<'o, O> {
        out: &'o mut O,
        left: usize,
        err: Option<Error>,
    }
    impl<O: Output> Write for Emit<'_, O> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            if s.len() > self.left {
                return Err(fmt::Error);
            }
            self.left -= s.len();
            self.out.write(s.as_bytes()).map_err(|e| {
                self.err = Some(e);
                fmt::Error
            })
        }
    }
    let unstable = || {
        Error::new(ErrorKind::Unsupported {
            what: "a Display impl that failed or wrote different lengths when written twice",
        })
    };
    let mut count = Count(0);
    write!(count, "{value}").map_err(|_| unstable())?;
    ser.write_len(count.0)?;
    ser.check_leaf()?;
    let mut emit = Emit {
        out: &mut ser.out,
        left: count.0,
        err: None,
    };
    match (write!(emit, "{value}"), emit.err.take()) {
        (_, Some(e)) => Err(e),
        (Ok(()), None) if emit.left == 0 => Ok(()),
        _ => Err(unstable()),
    }
}
