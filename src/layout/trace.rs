//! `Layout::of`: the layout of a serde type, found by tracing its `Deserialize` impl through a
//! Deserializer that records what is asked for instead of reading bytes.

use super::Layout;
use super::parse::Builder;
use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;
use core::fmt::{self, Write as _};
use serde::de::{self, DeserializeSeed, Visitor};

/// Nesting deeper than this is refused (a type that contains itself through a `Box` would
/// otherwise recurse forever).
const MAX_DEPTH: usize = 64;
/// More fields than this are refused (nested arrays multiply quickly).
const MAX_FIELDS: usize = 1 << 16;

pub(crate) fn layout_of<T: serde::de::DeserializeOwned>() -> Result<Layout> {
    let mut tracer = Tracer {
        entries: Vec::new(),
        path: String::new(),
        depth: 0,
    };
    T::deserialize(&mut tracer).map_err(|e| e.0)?;
    let mut builder = Builder::new(crate::order::Endian::Big, false);
    for entry in tracer.entries {
        let name = entry.name.clone();
        builder
            .push(entry.code, entry.count, entry.name)
            .map_err(|reason| {
                // Only an overflow can fail here; every traced code exists in `!`.
                let e = Error::new(ErrorKind::Unsupported { what: reason });
                match name {
                    Some(n) => e.with_field(n),
                    None => e,
                }
            })?;
    }
    Ok(builder.finish())
}

struct Entry {
    code: u8,
    count: usize,
    name: Option<Box<str>>,
}

struct Tracer {
    entries: Vec<Entry>,
    /// The path of the value being traced (`hdr.len`, `tag[2]`).
    path: String,
    depth: usize,
}

/// The crate's error, wrapped to implement `serde::de::Error` without claiming that impl for
/// `crate::Error` itself (the record layer owns that).
struct TraceError(Error);

impl fmt::Debug for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl core::error::Error for TraceError {}

impl de::Error for TraceError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TraceError(Error::new(ErrorKind::Message(
            msg.to_string().into_boxed_str(),
        )))
    }
}

type TraceResult<T> = core::result::Result<T, TraceError>;

impl Tracer {
    fn fail(&self, kind: ErrorKind) -> TraceError {
        let e = Error::new(kind);
        TraceError(if self.path.is_empty() {
            e
        } else {
            e.with_field(self.path.as_str())
        })
    }

    fn record(&mut self, code: u8) -> TraceResult<()> {
        if self.entries.len() >= MAX_FIELDS {
            return Err(self.fail(ErrorKind::LengthLimit {
                offset: 0,
                len: self.entries.len() as u64 + 1,
                limit: MAX_FIELDS as u64,
            }));
        }
        let name = (!self.path.is_empty()).then(|| self.path.as_str().into());
        self.entries.push(Entry {
            code,
            count: 1,
            name,
        });
        Ok(())
    }

    fn enter(&mut self) -> TraceResult<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(ErrorKind::DepthLimit {
                offset: 0,
                limit: MAX_DEPTH,
            }));
        }
        self.depth += 1;
        Ok(())
    }

    fn sequence<'de, V: Visitor<'de>>(
        &mut self,
        len: usize,
        names: Option<&'static [&'static str]>,
        visitor: V,
    ) -> TraceResult<V::Value> {
        self.enter()?;
        let start = self.entries.len();
        let value = visitor.visit_seq(Seq {
            tracer: self,
            len,
            index: 0,
            names,
        })?;
        self.depth -= 1;
        // A tuple or array of `u8` is a byte string: `[u8; 4]` is `4s`.
        let traced = &self.entries[start..];
        if names.is_none()
            && len > 0
            && traced.len() == len
            && traced.iter().all(|e| e.code == b'B')
        {
            self.entries.truncate(start);
            let name = (!self.path.is_empty()).then(|| self.path.as_str().into());
            self.entries.push(Entry {
                code: b's',
                count: len,
                name,
            });
        }
        Ok(value)
    }
}

struct Seq<'a> {
    tracer: &'a mut Tracer,
    len: usize,
    index: usize,
    names: Option<&'static [&'static str]>,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = TraceError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> TraceResult<Option<S::Value>> {
        if self.index >= self.len {
            return Ok(None);
        }
        let path = &mut self.tracer.path;
        let saved = path.len();
        match self.names.and_then(|names| names.get(self.index)) {
            Some(name) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            None => {
                let _ = write!(path, "[{}]", self.index);
            }
        }
        self.index += 1;
        let result = seed.deserialize(&mut *self.tracer).map_err(|e| {
            if e.0.field().is_none() {
                TraceError(e.0.with_field(self.tracer.path.as_str()))
            } else {
                e
            }
        });
        self.tracer.path.truncate(saved);
        result.map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len - self.index)
    }
}

/// Deserializer methods for primitives: record the code, hand the visitor a value. Integers
/// get 1 rather than 0 so that `NonZero` types trace too.
macro_rules! primitives {
    ($($method:ident => $visit:ident($value:expr), $code:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> TraceResult<V::Value> {
            self.record($code)?;
            visitor.$visit($value)
        }
    )*};
}

/// Deserializer methods for what has no fixed size or no `struct` code.
macro_rules! refused {
    ($($method:ident => $kind:ident($what:literal);)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> TraceResult<V::Value> {
            Err(self.fail(ErrorKind::$kind { what: $what }))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Tracer {
    type Error = TraceError;

    primitives! {
        deserialize_bool => visit_bool(false), b'?';
        deserialize_i8 => visit_i8(1), b'b';
        deserialize_u8 => visit_u8(1), b'B';
        deserialize_i16 => visit_i16(1), b'h';
        deserialize_u16 => visit_u16(1), b'H';
        deserialize_i32 => visit_i32(1), b'i';
        deserialize_u32 => visit_u32(1), b'I';
        deserialize_i64 => visit_i64(1), b'q';
        deserialize_u64 => visit_u64(1), b'Q';
        deserialize_f32 => visit_f32(0.0), b'f';
        deserialize_f64 => visit_f64(0.0), b'd';
    }

    refused! {
        deserialize_any => Unsupported("self-describing types (deserialize_any)");
        deserialize_ignored_any => Unsupported("ignored values (deserialize_ignored_any)");
        deserialize_identifier => Unsupported("identifiers");
        deserialize_i128 => Unsupported("i128 (no struct code)");
        deserialize_u128 => Unsupported("u128 (no struct code)");
        deserialize_char => VariableSize("char");
        deserialize_str => VariableSize("String");
        deserialize_string => VariableSize("String");
        deserialize_bytes => VariableSize("byte buffer");
        deserialize_byte_buf => VariableSize("byte buffer");
        deserialize_option => VariableSize("Option");
        deserialize_seq => VariableSize("Vec (sequence)");
        deserialize_map => VariableSize("map");
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> TraceResult<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> TraceResult<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> TraceResult<V::Value> {
        self.enter()?;
        let value = visitor.visit_newtype_struct(&mut *self)?;
        self.depth -= 1;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> TraceResult<V::Value> {
        self.sequence(len, None, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> TraceResult<V::Value> {
        self.sequence(len, None, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> TraceResult<V::Value> {
        self.sequence(fields.len(), Some(fields), visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> TraceResult<V::Value> {
        Err(self.fail(ErrorKind::VariableSize { what: "enum" }))
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}
