//! The record decoder: a serde `Deserializer` over an [`Input`], either a borrowed slice (zero
//! copy: `&str` and `&[u8]` fields borrow from it) or an `io::Read` that is asked for exactly
//! the bytes of the record and never more.

use super::IntMode;
use super::config::Flavor;
use super::depth::Depth;
use super::fail::{Fail as Error, Res as Result, fail};
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
    /// Whether errors are built in full (kind, offset, field path) where they are found, or are
    /// placeholders (see [`fail`]): a slice is decoded a first time without diagnosis and, if
    /// that fails, a second time with it (`record::decode_exact`); a reader cannot be read
    /// twice and always diagnoses.
    fn diagnose(&self) -> bool;
    /// Fills `buf` exactly, or fails without consuming anything useful.
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()>;
    /// `n` bytes (already checked against the length limit).
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>>;
    /// The LEB128 form of an integer of `bits` bits (not yet checked against its type); errors
    /// at offsets from where it starts.
    fn varint(&mut self, bits: u32) -> Result<u128>;
    /// At most how many more bytes there can be (to cap pre-allocation).
    fn remaining_hint(&self) -> usize;
    /// Runs `visit` on `de` with its nesting level set to `depth`, and puts the level back
    /// after a success (an error ends the decode).
    ///
    /// A slice input runs `visit` on a copy of the whole decoder, a local value, and copies its
    /// cursor back after a success: a derived `Deserialize` impl that is not inlined into its
    /// caller then keeps the cursor in registers from field to field, instead of storing it
    /// through the caller's `&mut` after every field, and checks each field against the bytes
    /// left at a constant offset from where the struct started. A reader runs in place.
    fn nest<F: Flavor, R>(
        de: &mut Deserializer<Self, F>,
        depth: Depth,
        visit: impl FnOnce(&mut Deserializer<Self, F>) -> Result<R>,
    ) -> Result<R>
    where
        Self: Sized;
}

/// A borrowed slice; `DIAGNOSE` says whether errors are built in full ([`Input::diagnose`]).
///
/// The choice is part of the type, not a flag: the first pass's code (one instance of each
/// `Deserialize` impl) has no error-building code at all, and its decoder is no bigger to copy
/// (see [`Input::nest`]).
#[derive(Clone, Copy)]
pub(crate) struct SliceInput<'de, const DIAGNOSE: bool> {
    /// The part not read yet.
    rest: &'de [u8],
    len: usize,
}

impl<'de> SliceInput<'de, false> {
    /// The first pass over `bytes`: errors are placeholders.
    pub(crate) fn new(bytes: &'de [u8]) -> Self {
        SliceInput {
            rest: bytes,
            len: bytes.len(),
        }
    }
}

impl<'de> SliceInput<'de, true> {
    /// The second pass, after a first one failed: errors in full.
    pub(crate) fn diagnosing(bytes: &'de [u8]) -> Self {
        SliceInput {
            rest: bytes,
            len: bytes.len(),
        }
    }
}

impl<const DIAGNOSE: bool> SliceInput<'_, DIAGNOSE> {
    /// Bytes consumed so far.
    #[inline(always)]
    pub(crate) fn consumed(&self) -> usize {
        self.len - self.rest.len()
    }

    /// Whether every byte is consumed.
    #[inline(always)]
    pub(crate) fn at_end(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Out of input: `needed` bytes at `offset`, `available` there.
#[inline(always)]
fn incomplete(diagnose: bool, offset: usize, needed: usize, available: usize) -> Error {
    fail(diagnose, || ErrorKind::Incomplete {
        offset,
        needed,
        available,
    })
}

impl<'de, const DIAGNOSE: bool> Input<'de> for SliceInput<'de, DIAGNOSE> {
    #[inline(always)]
    fn pos(&self) -> usize {
        self.consumed()
    }
    #[inline(always)]
    fn diagnose(&self) -> bool {
        DIAGNOSE
    }
    #[inline(always)]
    fn read_into(&mut self, buf: &mut [u8]) -> Result<()> {
        if buf.len() > self.rest.len() {
            let (pos, left) = (self.consumed(), self.rest.len());
            return Err(incomplete(DIAGNOSE, pos, buf.len(), left));
        }
        let (head, tail) = self.rest.split_at(buf.len());
        buf.copy_from_slice(head);
        self.rest = tail;
        Ok(())
    }
    #[inline]
    fn take<'s>(&'s mut self, n: usize) -> Result<Taken<'de, 's>> {
        if n > self.rest.len() {
            let (pos, left) = (self.consumed(), self.rest.len());
            return Err(incomplete(DIAGNOSE, pos, n, left));
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
    #[inline(always)]
    fn nest<F: Flavor, R>(
        de: &mut Deserializer<Self, F>,
        depth: Depth,
        visit: impl FnOnce(&mut Deserializer<Self, F>) -> Result<R>,
    ) -> Result<R> {
        let mut local = Deserializer { depth, ..*de };
        let value = visit(&mut local)?;
        de.input = local.input;
        Ok(value)
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
    fn diagnose(&self) -> bool {
        true
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
    fn nest<F: Flavor, T>(
        de: &mut Deserializer<Self, F>,
        depth: Depth,
        visit: impl FnOnce(&mut Deserializer<Self, F>) -> Result<T>,
    ) -> Result<T> {
        let outer = core::mem::replace(&mut de.depth, depth);
        let value = visit(de)?;
        de.depth = outer;
        Ok(value)
    }
}

/// The decoder.
#[derive(Clone, Copy)]
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
            incomplete(true, start, before + needed, before + available)
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
        let diagnose = self.input.diagnose();
        N::from_varint(v).ok_or_else(|| {
            fail(diagnose, || ErrorKind::Overflow {
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
            _ => Err(fail(self.input.diagnose(), || ErrorKind::LengthLimit {
                offset: at,
                len,
                limit,
            })),
        }
    }

    /// `visit` one level deeper (a struct, tuple, enum, newtype or `Some`).
    #[inline(always)]
    fn nested<R>(&mut self, visit: impl FnOnce(&mut Self) -> Result<R>) -> Result<R> {
        self.nested_past(0, visit)
    }

    /// `visit` one level deeper, allowed `slack` levels past the limit (1 for sequences and
    /// maps; see the encoder's `nested`).
    #[inline(always)]
    fn nested_past<R>(
        &mut self,
        slack: usize,
        visit: impl FnOnce(&mut Self) -> Result<R>,
    ) -> Result<R> {
        let (max, diagnose) = (self.flavor.max_depth(), self.input.diagnose());
        let depth = self
            .depth
            .enter_past(max, slack, self.input.pos(), diagnose)?;
        I::nest(self, depth, visit)
    }

    /// `visit` at this level: one element of a struct, tuple, sequence or map, or a variant's
    /// content. A slice input visits it on a copy of the decoder (see [`Input::nest`]), so
    /// that the decoder of the enclosing struct stays in registers even when the element's
    /// `Deserialize` impl is not inlined: only the copy goes through memory, stored from
    /// registers just before the call.
    #[inline(always)]
    fn element<R>(&mut self, visit: impl FnOnce(&mut Self) -> Result<R>) -> Result<R> {
        let depth = self.depth;
        I::nest(self, depth, visit)
    }

    /// A string or byte string: as deep as a sequence may be.
    #[inline(always)]
    fn check_leaf(&mut self) -> Result<()> {
        let (max, diagnose) = (self.flavor.max_depth(), self.input.diagnose());
        self.depth.check_leaf(max, self.input.pos(), diagnose)
    }

    /// What records cannot carry (type and field names).
    fn refuse(&self, what: &'static str) -> Error {
        fail(self.input.diagnose(), || ErrorKind::Unsupported { what })
    }

    /// A struct, tuple or array of `len` elements (no length on the wire).
    #[inline]
    fn fixed_seq<V: Visitor<'de>>(
        &mut self,
        len: usize,
        names: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        self.nested(|de| de.elements_at_this_level(len, names, visitor))
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

fn utf8(bytes: &[u8], offset: usize, diagnose: bool) -> Result<&str> {
    core::str::from_utf8(bytes).map_err(|e| {
        fail(diagnose, || ErrorKind::InvalidUtf8 {
            offset,
            valid_up_to: e.valid_up_to(),
        })
    })
}

/// The `Deserializer` methods the decoder and the type tracer (`record::trace`) share:
/// records carry no type or field names (refused with [`ErrorKind::Unsupported`] through the
/// implementor's `refuse`), unit types hold nothing, a newtype is one level of nesting
/// (`nested`), and a tuple, tuple struct or struct is a `fixed_seq` of its elements.
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
            self.nested(|de| visitor.visit_newtype_struct(de))
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
            Err(byte) => Err(fail(self.input.diagnose(), || ErrorKind::InvalidBool {
                offset,
                byte,
            })),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // UTF-8, no length: what bincode 2 writes.
        let start = self.input.pos();
        let diagnose = self.input.diagnose();
        let mut buf = [0u8; 4];
        self.input.read_into(&mut buf[..1])?;
        let width = match buf[0] {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            b => {
                return Err(fail(diagnose, || ErrorKind::InvalidChar {
                    offset: start,
                    value: b.into(),
                }));
            }
        };
        self.input
            .read_into(&mut buf[1..width])
            .map_err(|e| if diagnose { reanchor(e, start) } else { e })?;
        match core::str::from_utf8(&buf[..width])
            .ok()
            .and_then(|s| s.chars().next())
        {
            Some(c) => visitor.visit_char(c),
            None => {
                let raw = buf[..width]
                    .iter()
                    .fold(0u32, |acc, &b| acc << 8 | u32::from(b));
                Err(fail(diagnose, || ErrorKind::InvalidChar {
                    offset: start,
                    value: raw,
                }))
            }
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.check_leaf()?;
        let (offset, diagnose) = (self.input.pos(), self.input.diagnose());
        match self.input.take(len)? {
            Taken::Borrowed(b) => visitor.visit_borrowed_str(utf8(b, offset, diagnose)?),
            Taken::Scratch(b) => visitor.visit_str(utf8(b, offset, diagnose)?),
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
            Ok(true) => self.nested(|de| visitor.visit_some(de)),
            Err(tag) => Err(fail(self.input.diagnose(), || ErrorKind::InvalidTag {
                offset,
                tag,
            })),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.nested_past(1, |de| de.elements_at_this_level(len, None, visitor))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let len = self.read_len()?;
        self.nested_past(1, |de| {
            visitor.visit_map(Map {
                de,
                left: len,
                index: 0,
            })
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.nested(|de| visitor.visit_enum(Enum { de, variants }))
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

/// Prepends `seg` to the error's path when diagnosing (a placeholder has none).
#[inline(always)]
fn locate_in(e: Error, diagnose: bool, seg: Seg) -> Error {
    if diagnose { in_field(e, seg) } else { e }
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
        match self.de.element(|de| seed.deserialize(de)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if self.de.input.diagnose() => Err(locate(e, self.names, index)),
            Err(e) => Err(e),
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
        let diagnose = self.de.input.diagnose();
        self.de
            .element(|de| seed.deserialize(de))
            .map(Some)
            .map_err(|e| locate_in(e, diagnose, Seg::Index(index)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let index = self.index;
        self.index += 1;
        let diagnose = self.de.input.diagnose();
        self.de
            .element(|de| seed.deserialize(de))
            .map_err(|e| locate_in(e, diagnose, Seg::Index(index)))
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
        let diagnose = self.de.input.diagnose();
        let invalid = || {
            fail(diagnose, || ErrorKind::InvalidVariant {
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
        let diagnose = self.de.input.diagnose();
        self.de
            .element(|de| seed.deserialize(de))
            .map_err(|e| locate_in(e, diagnose, Seg::Field(self.name)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        let diagnose = self.de.input.diagnose();
        self.de
            .elements_at_this_level(len, None, visitor)
            .map_err(|e| locate_in(e, diagnose, Seg::Field(self.name)))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let diagnose = self.de.input.diagnose();
        self.de
            .elements_at_this_level(fields.len(), Some(fields), visitor)
            .map_err(|e| locate_in(e, diagnose, Seg::Field(self.name)))
    }
}
