//! The one serde type tracer: a `Deserializer` that walks a type without a value, for
//! [`record_size`](crate::record::record_size) (the encoded size) and
//! [`Layout::of`](crate::layout::Layout::of) (the fields, as `struct` codes).
//!
//! It plays the part of the input: every primitive adds its encoded size (under the
//! [`Flavor`]), is reported to a [`Sink`] with its field path, and hands the visitor a harmless
//! value; every construct whose size depends on the value (a length-prefixed sequence, a
//! string, an `Option`, a `char`, a varint) is an error naming the field. Enums are choice
//! points: when the sink takes them, the type is traced once with every enum at its first
//! variant and once more per other variant of each enum (bounded), and every trace must come
//! to the same size.

use super::IntMode;
use super::config::Flavor;
use super::fail::{Fail as Error, Res as Result};
use super::path::{Seg, render};
use super::wire::{self, WireInt};
use crate::error::ErrorKind;
use crate::prelude::*;
use alloc::collections::{BTreeSet, VecDeque};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

/// Most traces before giving up.
const MAX_RUNS: usize = 4096;

/// A primitive a trace meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prim {
    /// A `bool`.
    Bool,
    /// An integer of `bytes` bytes.
    Int { bytes: usize, signed: bool },
    /// An IEEE 754 float of `bytes` bytes.
    Float { bytes: usize },
}

/// What a trace reports besides the size it counts: nothing for `record_size`, the fields for
/// `Layout::of`.
pub(crate) trait Sink {
    /// Whether enums are traced (each variant in turn); if not, an enum is
    /// `VariableSize { what: "enum" }`.
    const ENUMS: bool;
    /// A primitive at `path`; an error refuses it (the tracer adds the path).
    fn primitive(&mut self, prim: Prim, path: &[Seg]) -> core::result::Result<(), ErrorKind>;
    /// A struct, tuple or array starts; what it returns is handed to `end_seq`.
    fn start_seq(&mut self) -> usize;
    /// The struct (`named`), tuple or array at `path` that started at `mark` has ended, after
    /// its `len` elements.
    fn end_seq(&mut self, mark: usize, len: usize, named: bool, path: &[Seg]);
}

/// `record_size`'s sink: the size is all it needs.
impl Sink for () {
    const ENUMS: bool = true;
    fn primitive(&mut self, _: Prim, _: &[Seg]) -> core::result::Result<(), ErrorKind> {
        Ok(())
    }
    fn start_seq(&mut self) -> usize {
        0
    }
    fn end_seq(&mut self, _: usize, _: usize, _: bool, _: &[Seg]) {}
}

/// One enum met during a trace: the variant taken, how many there are, and where it is.
struct Choice {
    taken: u32,
    count: u32,
    path: Option<String>,
}

struct Tracer<'s, F, S> {
    flavor: F,
    sink: S,
    size: usize,
    depth: usize,
    path: Vec<Seg>,
    /// Variant to take at each choice point, in the order they are met; 0 past the end.
    script: &'s [u32],
    choices: Vec<Choice>,
    /// The integer value handed to visitors (0, or 1 for types that refuse 0).
    int_value: u8,
}

/// The encoded size of every value of `T` under `flavor`.
pub(crate) fn record_size<T: DeserializeOwned, F: Flavor>(flavor: F) -> Result<usize> {
    trace::<T, F, ()>(flavor, || ()).map(|(size, ())| size)
}

/// Traces `T` under `flavor` with a new sink per run: the size every run agrees on, and the
/// first run's sink. A type that refuses 0 (`NonZeroU32`, a validated newtype) is traced
/// again with 1.
pub(crate) fn trace<T: DeserializeOwned, F: Flavor, S: Sink>(
    flavor: F,
    mut new_sink: impl FnMut() -> S,
) -> Result<(usize, S)> {
    match runs::<T, F, S>(flavor, 0, &mut new_sink) {
        Err(e) if matches!(e.kind(), ErrorKind::Message(_)) => {
            runs::<T, F, S>(flavor, 1, &mut new_sink)
        }
        r => r,
    }
}

/// Traces `T` once with every enum at its first variant, then once more for each other
/// variant of each enum met (the enums inside a variant are met, and varied, in the runs
/// that take that variant). Sizes are sums, so if every such run has the size of the first,
/// every combination does: the runs grow with the number of variants, not their product.
fn runs<T: DeserializeOwned, F: Flavor, S: Sink>(
    flavor: F,
    int_value: u8,
    new_sink: &mut impl FnMut() -> S,
) -> Result<(usize, S)> {
    let mut queue: VecDeque<(Vec<u32>, Option<String>)> = VecDeque::from([(Vec::new(), None)]);
    // Enums already varied, by field path ("" for the root).
    let mut varied: BTreeSet<String> = BTreeSet::new();
    let mut first: Option<(usize, S)> = None;
    let mut runs = 0;
    while let Some((script, changed)) = queue.pop_front() {
        runs += 1;
        if runs > MAX_RUNS {
            return Err(Error::new(ErrorKind::Unsupported {
                what: "record_size: more than 4096 enum variants to try",
            }));
        }
        let mut t = Tracer {
            flavor,
            sink: new_sink(),
            size: 0,
            depth: 0,
            path: Vec::new(),
            script: &script,
            choices: Vec::new(),
            int_value,
        };
        T::deserialize(&mut t)?;
        let Tracer {
            size: run_size,
            sink,
            choices,
            ..
        } = t;
        match &first {
            None => first = Some((run_size, sink)),
            Some((s, _)) if *s != run_size => {
                let e = Error::new(ErrorKind::VariableSize {
                    what: "enum (variants of different sizes)",
                });
                return Err(match changed {
                    Some(p) => e.with_field(p),
                    None => e,
                });
            }
            Some(_) => {}
        }
        // Enums met for the first time in this run (they took variant 0): try the others.
        for (k, c) in choices.iter().enumerate().skip(script.len()) {
            if !varied.insert(c.path.clone().unwrap_or_default()) {
                continue;
            }
            for v in 1..c.count {
                let mut next: Vec<u32> = choices[..k].iter().map(|c| c.taken).collect();
                next.push(v);
                queue.push_back((next, c.path.clone()));
            }
        }
    }
    // The first run always happens.
    first.ok_or_else(|| {
        Error::new(ErrorKind::Unsupported {
            what: "record_size: no trace",
        })
    })
}

impl<F: Flavor, S: Sink> Tracer<'_, F, S> {
    fn here(&self, kind: ErrorKind) -> Error {
        let e = Error::new(kind);
        match render(&self.path) {
            Some(p) => e.with_field(p),
            None => e,
        }
    }

    fn varies(&self, what: &'static str) -> Error {
        self.here(ErrorKind::VariableSize { what })
    }

    /// A primitive of `size` bytes.
    fn primitive(&mut self, prim: Prim, size: usize) -> Result<()> {
        self.size += size;
        match self.sink.primitive(prim, &self.path) {
            Ok(()) => Ok(()),
            Err(kind) => Err(self.here(kind)),
        }
    }

    fn int<N: WireInt>(&mut self) -> Result<()> {
        let size = match self.flavor.ints() {
            IntMode::Fixed => size_of::<N::Bytes>(),
            IntMode::Varint if N::BITS == 8 => 1,
            IntMode::Varint => return Err(self.varies("integer (varint)")),
            IntMode::AsciiFixed => wire::ascii_len::<N>(),
        };
        let prim = Prim::Int {
            bytes: size_of::<N::Bytes>(),
            signed: N::SIGNED,
        };
        self.primitive(prim, size)
    }

    fn refuse(&self, what: &'static str) -> Error {
        self.here(ErrorKind::Unsupported { what })
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// `visit` one level deeper.
    fn nested<R>(&mut self, visit: impl FnOnce(&mut Self) -> Result<R>) -> Result<R> {
        self.enter()?;
        let v = visit(self)?;
        self.leave();
        Ok(v)
    }

    fn enter(&mut self) -> Result<()> {
        if self.depth >= self.flavor.max_depth() {
            return Err(self.here(ErrorKind::DepthLimit {
                offset: self.size,
                limit: self.flavor.max_depth(),
            }));
        }
        self.depth += 1;
        Ok(())
    }

    fn fixed_seq<'de, V: Visitor<'de>>(
        &mut self,
        len: usize,
        names: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value> {
        self.enter()?;
        let mark = self.sink.start_seq();
        let v = visitor.visit_seq(TraceSeq {
            t: self,
            len,
            index: 0,
            names,
        })?;
        self.sink.end_seq(mark, len, names.is_some(), &self.path);
        self.leave();
        Ok(v)
    }
}

/// Deserializer methods for what has no fixed size: an error naming it (and the field).
macro_rules! varies {
    ($($method:ident => $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(self.varies($what))
        }
    )*};
}

/// `deserialize_u8`..`deserialize_i128`, from the one primitive table
/// ([`crate::order::primitives`]): the integer's size under the flavor.
macro_rules! trace_ints {
    ($(($t:ident, $b:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*) => {$(
        fn $de<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.int::<$t>()?;
            visitor.$visit(self.int_value as $t)
        }
    )*};
}

/// `deserialize_f32` and `deserialize_f64`: their width.
macro_rules! trace_floats {
    ($(($t:ident, $b:literal, $twin:ident, $ser:ident, $de:ident, $visit:ident))*) => {$(
        fn $de<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.primitive(Prim::Float { bytes: $b }, $b)?;
            visitor.$visit(<$t>::from(self.int_value))
        }
    )*};
}

impl<'de, F: Flavor, S: Sink> de::Deserializer<'de> for &mut Tracer<'_, F, S> {
    type Error = Error;

    super::de::fixed_shapes!();

    varies! {
        deserialize_char => "char (UTF-8, 1 to 4 bytes)";
        deserialize_str => "string";
        deserialize_string => "String";
        deserialize_bytes => "bytes";
        deserialize_byte_buf => "byte buffer";
        deserialize_option => "Option";
        deserialize_seq => "sequence (Vec, slice, set)";
        deserialize_map => "map";
    }

    crate::order::primitives!(ints: trace_ints, floats: trace_floats);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.primitive(Prim::Bool, 1)?;
        visitor.visit_bool(false)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if !S::ENUMS {
            return Err(self.varies("enum"));
        }
        self.enter()?;
        let n = self.choices.len();
        let taken = self.script.get(n).copied().unwrap_or(0);
        let count = u32::try_from(variants.len()).unwrap_or(u32::MAX);
        self.size += match self.flavor.ints() {
            IntMode::Fixed => 4,
            IntMode::Varint => wire::varint_len(taken),
            IntMode::AsciiFixed => wire::ascii_len::<u32>(),
        };
        self.choices.push(Choice {
            taken,
            count,
            path: render(&self.path),
        });
        let name = variants.get(taken as usize).copied().unwrap_or("?");
        let v = visitor.visit_enum(TraceEnum {
            t: &mut *self,
            taken,
            name,
        })?;
        self.leave();
        Ok(v)
    }
}

struct TraceSeq<'a, 's, F, S> {
    t: &'a mut Tracer<'s, F, S>,
    len: usize,
    index: usize,
    names: Option<&'static [&'static str]>,
}

impl<'de, F: Flavor, S: Sink> de::SeqAccess<'de> for TraceSeq<'_, '_, F, S> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.index == self.len {
            return Ok(None);
        }
        let seg = match self.names.and_then(|n| n.get(self.index)) {
            Some(name) => Seg::Field(name),
            None => Seg::Index(self.index),
        };
        self.index += 1;
        self.t.path.push(seg);
        let v = seed.deserialize(&mut *self.t)?;
        self.t.path.pop();
        Ok(Some(v))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len - self.index)
    }
}

struct TraceEnum<'a, 's, F, S> {
    t: &'a mut Tracer<'s, F, S>,
    taken: u32,
    name: &'static str,
}

impl<'de, 'a, 's, F: Flavor, S: Sink> de::EnumAccess<'de> for TraceEnum<'a, 's, F, S> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<D: DeserializeSeed<'de>>(self, seed: D) -> Result<(D::Value, Self)> {
        let v = seed.deserialize(IntoDeserializer::<Error>::into_deserializer(self.taken))?;
        Ok((v, self))
    }
}

impl<'de, F: Flavor, S: Sink> de::VariantAccess<'de> for TraceEnum<'_, '_, F, S> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.t.path.push(Seg::Field(self.name));
        let v = seed.deserialize(&mut *self.t)?;
        self.t.path.pop();
        Ok(v)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        self.t.path.push(Seg::Field(self.name));
        let v = self.t.fixed_seq(len, None, visitor)?;
        self.t.path.pop();
        Ok(v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.t.path.push(Seg::Field(self.name));
        let v = self.t.fixed_seq(fields.len(), Some(fields), visitor)?;
        self.t.path.pop();
        Ok(v)
    }
}
