//! The record decoder: a serde `Deserializer` over an [`Input`], either a borrowed slice (zero
//! copy: `&str` and `&[u8]` fields borrow from it) or an `io::Read` that is asked for exactly
//! the bytes of the record and never more (the inputs are in `input.rs`).

use super::IntMode;
use super::config::Flavor;
use super::depth::Depth;
use super::fail::{Fail as Error, Res as Result, fail};
use super::input::incomplete;
pub(crate) use super::input::{Input, SliceInput, Taken};
#[cfg(feature = "std")]
pub(crate) use super::input::{ReaderInput, read_full};
use super::path::{Seg, in_field};
use super::wire::{self, WireInt};
use crate::error::ErrorKind;
use crate::order::Endian;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// The decoder.
#[derive(Clone, Copy)]
pub(crate) struct Deserializer<I, F> {
    pub(crate) input: I,
    pub(super) flavor: F,
    pub(super) depth: Depth,
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
