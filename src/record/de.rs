//! The record decoder: a serde `Deserializer` over an [`Input`], either a borrowed slice (zero
//! copy: `&str` and `&[u8]` fields borrow from it) or an `io::Read` that is asked for exactly
//! the bytes of the record and never more.

use super::IntMode;
use super::config::Flavor;
use super::depth::Depth;
use super::fail::{Fail as Error, Res as Result};
use super::path::{Seg, in_field};
use super::wire::{self, WireInt};
use crate::error::ErrorKind;
use crate::order::Endian;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
#[cfg(feature = "std")]
use std::vec::Vec;

/// Bytes handed out by [`Input::take`]: borrowed from the input for the whole decode, or from a
/// scratch buffer until the next call.
pub(crate) enum Taken<'de, 's> {
    Borrowed(&'de [u8]),
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // only an `io::Read` input has scratch
    Scratch(&'s [u8]),
}

/// Where a decoder's bytes come from.
pub(crate) trait Input<'de> {
    /// Bytes consumed so far.
    fn pos(&self) -> usize;
    /// Fills `buf` exactly, or fails without consuming anything useful.
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()>;
    /// `n` bytes (already checked against the length limit).
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>>;
    /// The LEB128 form of an integer of `bits` bits (not yet checked against its type); errors
    /// at offsets from where it starts.
    fn varint(&mut self, bits: u32) -> Result<u128>;
    /// At most how many more bytes there can be (to cap pre-allocation).
    fn remaining_hint(&self) -> usize;
}

/// A borrowed slice.
pub(crate) struct SliceInput<'de> {
    /// The part not read yet.
    rest: &'de [u8],
    len: usize,
}

impl<'de> SliceInput<'de> {
    pub(crate) fn new(bytes: &'de [u8]) -> Self {
        SliceInput {
            rest: bytes,
            len: bytes.len(),
        }
    }

    /// Bytes consumed so far.
    #[inline(always)]
    pub(crate) fn consumed(&self) -> usize {
        self.len - self.rest.len()
    }
}

#[cold]
fn incomplete(offset: usize, needed: usize, available: usize) -> Error {
    Error::new(ErrorKind::Incomplete {
        offset,
        needed,
        available,
    })
}

impl<'de> Input<'de> for SliceInput<'de> {
    #[inline(always)]
    fn pos(&self) -> usize {
        self.consumed()
    }
    #[inline(always)]
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()> {
        if buf.len() > self.rest.len() {
            return Err(incomplete(self.consumed(), buf.len(), self.rest.len()));
        }
        let (head, tail) = self.rest.split_at(buf.len());
        buf.copy_from_slice(head);
        self.rest = tail;
        Ok(())
    }
    #[inline]
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>> {
        if n > self.rest.len() {
            return Err(incomplete(self.consumed(), n, self.rest.len()));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(Taken::Borrowed(head))
    }
    #[inline]
    fn varint(&mut self, bits: u32) -> Result<u128> {
        let (v, n) = wire::varint_decode(self.rest, bits)?;
        self.rest = self.rest.get(n..).unwrap_or_default();
        Ok(v)
    }
    #[inline(always)]
    fn remaining_hint(&self) -> usize {
        self.rest.len()
    }
}

#[cfg(feature = "std")]
/// An `io::Read`, read exactly as far as the record goes. The end of the stream inside the
/// record is [`ErrorKind::Truncated`].
pub(crate) struct ReaderInput<R> {
    reader: R,
    pos: usize,
    scratch: Vec<u8>,
}

#[cfg(feature = "std")]
impl<R: std::io::Read> ReaderInput<R> {
    pub(crate) fn new(reader: R) -> Self {
        ReaderInput {
            reader,
            pos: 0,
            scratch: Vec::new(),
        }
    }
}

/// Reads until `buf` is full or the stream ends; returns the bytes read.
#[cfg(feature = "std")]
pub(crate) fn read_full(reader: &mut impl std::io::Read, buf: &mut [u8]) -> Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(got)
}

#[cfg(feature = "std")]
impl<'de, R: std::io::Read> Input<'de> for ReaderInput<R> {
    fn pos(&self) -> usize {
        self.pos
    }
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()> {
        let got = read_full(&mut self.reader, buf)?;
        self.pos += got;
        if got < buf.len() {
            return Err(Error::new(ErrorKind::Truncated {
                expected: self.pos - got + buf.len(),
                received: self.pos,
            }));
        }
        Ok(())
    }
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>> {
        use std::io::Read;
        self.scratch.clear();
        // `read_to_end` grows the buffer with the data that actually arrives, so a length
        // prefix that lies costs nothing until the bytes are there.
        let got = (&mut self.reader)
            .take(n as u64)
            .read_to_end(&mut self.scratch)?;
        self.pos += got;
        if got < n {
            return Err(Error::new(ErrorKind::Truncated {
                expected: self.pos - got + n,
                received: self.pos,
            }));
        }
        Ok(Taken::Scratch(&self.scratch))
    }
    fn varint(&mut self, bits: u32) -> Result<u128> {
        // Byte by byte up to the last one (no high bit): the bytes after it are not the
        // record's. The end of the stream is `Truncated`, as everywhere in a reader.
        let max = wire::max_varint_len(bits);
        let mut buf = [0u8; wire::MAX_VARINT];
        let mut n = 0;
        while n < max {
            self.read_into(&mut buf[n..n + 1])?;
            n += 1;
            if buf[n - 1] < 0x80 {
                break;
            }
        }
        let (v, _) = wire::varint_decode(&buf[..n], bits)?;
        Ok(v)
    }
    fn remaining_hint(&self) -> usize {
        4096
    }
}

/// The decoder.
pub(crate) struct Deserializer<I, F> {
    pub(crate) input: I,
    flavor: F,
    depth: Depth,
}

/// An error that ran out of input inside a multi-byte value that started at `start`:
/// re-anchors an `Incomplete` to the value's start.
#[cold]
fn reanchor(e: Error, start: usize) -> Error {
    match *e.kind() {
        ErrorKind::Incomplete {
            offset,
            needed,
            available,
        } => {
            let before = offset - start;
            incomplete(start, before + needed, before + available)
        }
        _ => e,
    }
}

impl<'de, I: Input<'de>, F: Flavor> Deserializer<I, F> {
    pub(crate) fn new(input: I, flavor: F) -> Self {
        Deserializer {
            input,
            flavor,
            depth: Depth::default(),
        }
    }

    #[inline(always)]
    fn read_int<N: WireInt>(&mut self) -> Result<N> {
        match self.flavor.ints() {
            IntMode::Fixed => {
                let mut b = N::Bytes::default();
                self.input.read_into(b.as_mut())?;
                Ok(match self.flavor.endian() {
                    Endian::Big => N::from_be(b),
                    Endian::Little => N::from_le(b),
                })
            }
            IntMode::Varint if N::BITS == 8 => {
                let mut b = N::Bytes::default();
                self.input.read_into(b.as_mut())?;
                Ok(N::from_be(b))
            }
            IntMode::Varint => self.read_varint(),
            IntMode::AsciiFixed => {
                let start = self.input.pos();
                let mut buf = [0; wire::MAX_ASCII];
                let digits = &mut buf[..wire::ascii_len::<N>()];
                self.input.read_into(digits)?;
                wire::ascii_decode::<N>(digits, start)
            }
        }
    }

    /// Strict LEB128 (layer 2's, through `wire`): no overlong form, nothing past the type's
    /// range.
    fn read_varint<N: WireInt>(&mut self) -> Result<N> {
        let start = self.input.pos();
        let v = self.input.varint(N::BITS).map_err(|e| e.offset_by(start))?;
        N::from_varint(v).ok_or_else(|| {
            Error::new(ErrorKind::Overflow {
                offset: start,
                bits: N::BITS,
            })
        })
    }

    /// A bool or an `Option` tag: `Ok(Err(byte))` when the byte is neither 0 nor 1.
    #[inline(always)]
    fn read_flag(&mut self) -> Result<core::result::Result<bool, u8>> {
        let mut b = [0u8];
        self.input.read_into(&mut b)?;
        let zero = match self.flavor.ints() {
            IntMode::AsciiFixed => b'0',
            _ => 0,
        };
        Ok(match b[0].wrapping_sub(zero) {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(b[0]),
        })
    }

    #[inline]
    fn read_len(&mut self) -> Result<usize> {
        let at = self.input.pos();
        let len: u64 = self.read_int()?;
        let limit = self.flavor.max_len();
        match usize::try_from(len) {
            Ok(n) if len <= limit => Ok(n),
            _ => Err(Error::new(ErrorKind::LengthLimit {
                offset: at,
                len,
                limit,
            })),
        }
    }

    /// One more level of nesting (a struct, tuple, enum, newtype or `Some`).
    #[inline(always)]
    fn enter(&mut self) -> Result<()> {
        self.enter_past(0)
    }

    /// One more level, allowed `slack` levels past the limit (1 for sequences and maps; see
    /// the encoder's `nested`).
    #[inline(always)]
    fn enter_past(&mut self, slack: usize) -> Result<()> {
        self.depth = self
            .depth
            .enter_past(self.flavor.max_depth(), slack, self.input.pos())?;
        Ok(())
    }

    /// A string or byte string: as deep as a sequence may be.
    #[inline(always)]
    fn check_leaf(&mut self) -> Result<()> {
        self.depth
            .check_leaf(self.flavor.max_depth(), self.input.pos())
    }

    #[inline(always)]
    fn leave(&mut self) {
        self.depth.leave();
    }

    /// What records cannot carry (type and field names).
    fn refuse(&self, what: &'static str) -> Error {
        Error::new(ErrorKind::Unsupported { what })
    }

    /// A struct, tuple or array of `len` elements (no length on the wire).
    #[inline]
    fn fixed_seq<V: Visitor<'de>>(
        &mut self,
        len: usize,
        names: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        self.enter()?;
        self.visit_elements(len, names, visitor)
    }

    /// Visits `len` elements at a level already entered, then leaves it.
    #[inline(always)]
    fn visit_elements<V: Visitor<'de>>(
        &mut self,
        len: usize,
        names: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        let v = self.elements_at_this_level(len, names, visitor)?;
        self.leave();
        Ok(v)
    }

    /// Visits `len` elements without a level of their own: the fields of a tuple or struct
    /// enum variant sit at the enum's level, as the encoder counts them.
    #[inline(always)]
    fn elements_at_this_level<V: Visitor<'de>>(
        &mut self,
        len: usize,
        names: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_seq(Seq {
            de: self,
            len,
            index: 0,
            names,
        })
    }
}

/// `deserialize_u8`..`deserialize_i128`, from the one primitive table
/// ([`crate::order::primitives`]): as the flavor says.
macro_rules! deserialize_ints {
    ($(($t:ident, $b:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*) => {$(
        #[inline]
        fn $de<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let v: $t = self.read_int()?;
            visitor.$visit(v)
        }
    )*};
}

/// `deserialize_f32` and `deserialize_f64`: IEEE 754 in the flavor's byte order.
macro_rules! deserialize_floats {
    ($(($t:ident, $b:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*) => {$(
        #[inline]
        fn $de<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let mut b = [0; $b];
            self.input.read_into(&mut b)?;
            visitor.$visit(match self.flavor.endian() {
                Endian::Big => <$t>::from_be_bytes(b),
                Endian::Little => <$t>::from_le_bytes(b),
            })
        }
    )*};
}

fn utf8(bytes: &[u8], offset: usize) -> Result<&str> {
    core::str::from_utf8(bytes).map_err(|e| {
        Error::new(ErrorKind::InvalidUtf8 {
            offset,
            valid_up_to: e.valid_up_to(),
        })
    })
}

/// The `Deserializer` methods the decoder and the type tracer (`record::trace`) share:
/// records carry no type or field names (refused with [`ErrorKind::Unsupported`] through the
/// implementor's `refuse`), unit types hold nothing, a newtype is one level of nesting
/// (`enter`, `leave`), and a tuple, tuple struct or struct is a `fixed_seq` of its elements.
macro_rules! fixed_shapes {
    () => {
        fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(self.refuse("deserialize_any: records are not self-describing"))
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(self.refuse("deserialize_ignored_any: records are not self-describing"))
        }

        fn deserialize_identifier<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(self.refuse("deserialize_identifier: records carry no field names"))
        }

        fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.visit_unit()
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value> {
            visitor.visit_unit()
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value> {
            self.enter()?;
            let v = visitor.visit_newtype_struct(&mut *self)?;
            self.leave();
            Ok(v)
        }

        #[inline]
        fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
            self.fixed_seq(len, None, visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            len: usize,
            visitor: V,
        ) -> Result<V::Value> {
            self.fixed_seq(len, None, visitor)
        }

        #[inline]
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value> {
            self.fixed_seq(fields.len(), Some(fields), visitor)
        }

        fn is_human_readable(&self) -> bool {
            false
        }
    };
}
#[cfg(feature = "alloc")] // the type tracer
pub(super) use fixed_shapes;

impl<'de, I: Input<'de>, F: Flavor> de::Deserializer<'de> for &mut Deserializer<I, F> {
    type Error = Error;

    fixed_shapes!();

    crate::order::primitives!(ints: deserialize_ints, floats: deserialize_floats);

    #[inline]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let offset = self.input.pos();
        match self.read_flag()? {
            Ok(b) => visitor.visit_bool(b),
            Err(byte) => Err(Error::new(ErrorKind::InvalidBool { offset, byte })),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // UTF-8, no length: what bincode 2 writes.
        let start = self.input.pos();
        let mut buf = [0u8; 4];
        self.input.read_into(&mut buf[..1])?;
        let width = match buf[0] {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            b => {
                return Err(Error::new(ErrorKind::InvalidChar {
                    offset: start,
                    value: b.into(),
                }));
            }
        };
        self.input
            .read_into(&mut buf[1..width])
            .map_err(|e| reanchor(e, start))?;
        match core::str::from_utf8(&buf[..width])
            .ok()
            .and_then(|s| s.chars().next())
        {
            Some(c) => visitor.visit_char(c),
            None => {
                let raw = buf[..width]
                    .iter()
                    .fold(0u32, |acc, &b| acc << 8 | u32::from(b));
                Err(Error::new(ErrorKind::InvalidChar {
                    offset: start,
                    value: raw,
                }))
            }
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.check_leaf()?;
        let offset = self.input.pos();
        match self.input.take(len)? {
            Taken::Borrowed(b) => visitor.visit_borrowed_str(utf8(b, offset)?),
            Taken::Scratch(b) => visitor.visit_str(utf8(b, offset)?),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.check_leaf()?;
        match self.input.take(len)? {
            Taken::Borrowed(b) => visitor.visit_borrowed_bytes(b),
            Taken::Scratch(b) => visitor.visit_bytes(b),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let offset = self.input.pos();
        match self.read_flag()? {
            Ok(false) => visitor.visit_none(),
            Ok(true) => {
                self.enter()?;
                let v = visitor.visit_some(&mut *self)?;
                self.leave();
                Ok(v)
            }
            Err(tag) => Err(Error::new(ErrorKind::InvalidTag { offset, tag })),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.enter_past(1)?;
        self.visit_elements(len, None, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.enter_past(1)?;
        let v = visitor.visit_map(Map {
            de: self,
            left: len,
            index: 0,
        })?;
        self.leave();
        Ok(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.enter()?;
        let v = visitor.visit_enum(Enum {
            de: &mut *self,
            variants,
        })?;
        self.leave();
        Ok(v)
    }
}

/// The elements of a struct, tuple, array or sequence.
struct Seq<'a, I, F> {
    de: &'a mut Deserializer<I, F>,
    len: usize,
    index: usize,
    names: Option<&'static [&'static str]>,
}

/// Prepends the element's name (a struct field) or index to an error's path. Takes plain
/// values, not the `Seq`, so that the `Seq` can live in registers on the success path.
#[cold]
#[inline(never)]
fn locate(e: Error, names: Option<&'static [&'static str]>, index: usize) -> Error {
    match names.and_then(|n| n.get(index)) {
        Some(name) => in_field(e, Seg::Field(name)),
        None => in_field(e, Seg::Index(index)),
    }
}

impl<'de, I: Input<'de>, F: Flavor> de::SeqAccess<'de> for Seq<'_, I, F> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let index = self.index;
        if index == self.len {
            return Ok(None);
        }
        self.index = index + 1;
        match seed.deserialize(&mut *self.de) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(locate(e, self.names, index)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        // Never promise more elements than there are bytes left: a hostile length must not
        // turn into a large pre-allocation.
        Some((self.len - self.index).min(self.de.input.remaining_hint()))
    }
}

/// The entries of a map.
struct Map<'a, I, F> {
    de: &'a mut Deserializer<I, F>,
    left: usize,
    index: usize,
}

impl<'de, I: Input<'de>, F: Flavor> de::MapAccess<'de> for Map<'_, I, F> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let index = self.index;
        seed.deserialize(&mut *self.de)
            .map(Some)
            .map_err(|e| in_field(e, Seg::Index(index)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let index = self.index;
        self.index += 1;
        seed.deserialize(&mut *self.de)
            .map_err(|e| in_field(e, Seg::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left.min(self.de.input.remaining_hint()))
    }
}

/// An enum: a variant index (`u32`), then the variant's content.
struct Enum<'a, I, F> {
    de: &'a mut Deserializer<I, F>,
    variants: &'static [&'static str],
}

impl<'de, 'a, I: Input<'de>, F: Flavor> de::EnumAccess<'de> for Enum<'a, I, F> {
    type Error = Error;
    type Variant = Variant<'a, I, F>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant)> {
        let offset = self.de.input.pos();
        let index: u32 = self.de.read_int()?;
        let invalid = || {
            Error::new(ErrorKind::InvalidVariant {
                offset,
                index: index.into(),
            })
        };
        let value = seed
            .deserialize(IntoDeserializer::<Error>::into_deserializer(index))
            .map_err(|_| invalid())?;
        let name = self.variants.get(index as usize).copied().unwrap_or("?");
        Ok((value, Variant { de: self.de, name }))
    }
}

/// The content of one variant; errors inside it name the variant.
struct Variant<'a, I, F> {
    de: &'a mut Deserializer<I, F>,
    name: &'static str,
}

impl<'de, I: Input<'de>, F: Flavor> de::VariantAccess<'de> for Variant<'_, I, F> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.de)
            .map_err(|e| in_field(e, Seg::Field(self.name)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        self.de
            .elements_at_this_level(len, None, visitor)
            .map_err(|e| in_field(e, Seg::Field(self.name)))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.de
            .elements_at_this_level(fields.len(), Some(fields), visitor)
            .map_err(|e| in_field(e, Seg::Field(self.name)))
    }
}
