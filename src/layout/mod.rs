//! Layer 3: [`Layout`], one record schema from a Python `struct` format string or a serde type.
//!
//! A [`Layout`] knows the size, offset and code of every field of a fixed-length record. It
//! comes from a Python format string ([`Layout::parse`], `struct`'s own rules, byte for byte)
//! or from a Rust type ([`Layout::of`], the bytes the record layer writes for it), and packs and
//! unpacks dynamic [`Value`]s with exactly Python's semantics.
//!
//! ```
//! use netorder::{Layout, Value};
//!
//! // struct.pack('!HIQd?4s', 1, 2, 3, 0.5, True, b'ab')
//! let layout = Layout::parse("!HIQd?4s")?;
//! assert_eq!(layout.size(), 27);
//! let bytes = layout.pack(&[
//!     Value::Int(1),
//!     Value::Int(2),
//!     Value::Int(3),
//!     Value::Float(0.5),
//!     Value::Bool(true),
//!     Value::Bytes(b"ab".to_vec()),
//! ])?;
//! assert_eq!(&bytes[..6], &[0, 1, 0, 0, 0, 2]);
//! assert_eq!(&bytes[23..], b"ab\0\0");
//! assert_eq!(layout.unpack(&bytes)?[5], Value::Bytes(b"ab\0\0".to_vec()));
//! # Ok::<(), netorder::Error>(())
//! ```

mod bits;
mod codegen;
mod diagram;
mod pack;
mod parse;
mod strict;
mod trace;
mod value;

pub use value::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::order::Endian;
use crate::prelude::*;
use core::fmt::Write as _;
use parse::Kind;

/// One run of a format: `count` of `code` starting at `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) code: u8,
    pub(crate) kind: Kind,
    /// Repeat count (for `s` and `p`: the byte length of the one field).
    pub(crate) count: usize,
    pub(crate) offset: usize,
    /// Bytes one value takes (`count` for `s` and `p`, 1 for `x`).
    pub(crate) size: usize,
    /// Index of this item's first value in the value list.
    pub(crate) first_value: usize,
    /// The field path, for layouts traced from a serde type.
    pub(crate) name: Option<Box<str>>,
    /// For a bit field: where in its group (`offset`, `size` bytes) it is.
    pub(crate) bits: Option<Box<BitSpec>>,
}

/// A bit field's place in its group, and an enum's variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BitSpec {
    /// Bits before it in the group, most significant first.
    pub(crate) start: u32,
    pub(crate) width: u32,
    pub(crate) variants: Option<Variants>,
}

/// An enum's variants: names and values.
pub(crate) type Variants = Box<[(Box<str>, u64)]>;

impl Item {
    /// Values this item holds.
    fn value_count(&self) -> usize {
        match self.kind {
            Kind::Pad => 0,
            Kind::Bytes | Kind::Pascal => 1,
            _ => self.count,
        }
    }
}

/// A record schema: the fields of a Python `struct` format or of a fixed-size serde type, with
/// their offsets, sizes and codes.
///
/// Parsing never allocates in proportion to repeat counts: `99999999999q` is one run, and its
/// size is computed with checked arithmetic (as Python, up to `isize::MAX` bytes).
///
/// ```
/// use netorder::{ErrorKind, Layout};
///
/// let layout = Layout::parse("@bi")?; // native: 3 bytes of alignment padding before `i`
/// assert_eq!(layout.size(), 8);
/// assert_eq!(layout.struct_format(), "@b3xi");
///
/// let err = Layout::parse("!n").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::BadFormat { position: 1, .. }));
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The byte order of multi-byte values.
    endian: Endian,
    /// Native sizes and alignment (`@`): CPython's on x86_64 Linux.
    native: bool,
    items: Vec<Item>,
    size: usize,
    values: usize,
}

/// One value-bearing field of a [`Layout`], as [`Layout::fields`] lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Field<'a> {
    /// Position of the field's value in the value list of [`Layout::pack`] and
    /// [`Layout::unpack`].
    pub index: usize,
    /// The field's path (`header.len`, `addr[2]`) for a layout made by [`Layout::of`];
    /// `None` for a parsed format string.
    pub name: Option<&'a str>,
    /// Byte offset of the field in the record.
    pub offset: usize,
    /// Bytes the field takes.
    pub size: usize,
    /// The `struct` format code (`H`, `d`, `s`...); for a bit field `u` (an unsigned integer
    /// or an enum) or `?` (a one-bit bool).
    pub code: char,
    /// For a bit field (netorder's extension, `{version:4 ihl:4}`, or a derived record's
    /// `#[netorder(bits = N)]`): where it is in its group, which is the `size` bytes at
    /// `offset`, read as one big-endian number.
    pub bits: Option<FieldBits<'a>>,
}

/// Where a bit field is: `width` bits, after `start` bits of its group (most significant bit
/// first), and an enum's variants.
///
/// ```
/// use netorder::Layout;
/// let layout = Layout::parse("!{version:4 ihl:4} tos:B")?;
/// let ihl = layout.fields().nth(1).unwrap();
/// assert_eq!((ihl.offset, ihl.size, ihl.name), (0, 1, Some("ihl")));
/// let bits = ihl.bits.unwrap();
/// assert_eq!((bits.start, bits.width), (4, 4));
/// assert!(layout.fields().nth(2).unwrap().bits.is_none());
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldBits<'a> {
    /// Bits before the field in its group.
    pub start: u32,
    /// The field's width in bits (1 to 64).
    pub width: u32,
    /// For an enum (from a derived record), its variants by name and value: any other value is
    /// refused by [`Layout::pack`] and [`Layout::unpack`].
    pub variants: Option<&'a [(Box<str>, u64)]>,
}

impl Field<'_> {
    /// The field as errors name it: its index and code, and its path when it has one
    /// (`2 ('h')`, `1 ('H' hdr.len)`).
    ///
    /// ```
    /// use netorder::Layout;
    /// let layout = Layout::parse("!bh")?;
    /// assert_eq!(layout.fields().nth(1).unwrap().label(), "1 ('h')");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn label(&self) -> String {
        match self.bits {
            Some(b) => bits_label(self.index, self.code, b.width, self.name),
            None => field_label(self.index, self.code, self.name),
        }
    }
}

/// How errors name a bit field: `1 (ihl:4)`, `5 (df:?)`, `2 (:4)` without a name.
fn bits_label(index: usize, code: char, width: u32, name: Option<&str>) -> String {
    let name = name.unwrap_or("");
    if code == '?' {
        format!("{index} ({name}:?)")
    } else {
        format!("{index} ({name}:{width})")
    }
}

/// How errors name a field: `2 ('h')`, or `1 ('H' hdr.len)` with a path.
fn field_label(index: usize, code: char, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{index} ('{code}' {name})"),
        None => format!("{index} ('{code}')"),
    }
}

impl Layout {
    /// The largest record [`Layout::pack`] writes. Python's `struct.calcsize` accepts formats up
    /// to `isize::MAX` bytes and so does [`Layout::parse`], but packing one of those would
    /// allocate it: `pack` refuses records over this size with [`ErrorKind::LengthLimit`].
    pub const MAX_PACKED_SIZE: usize = 1 << 30;

    /// Parses a Python `struct` format string: an optional byte order (`@ = < > !`, native
    /// when absent), then codes `x c b B ? h H i I l L q Q n N e f d s p P`, each with an
    /// optional decimal repeat count (`4s`, `3h`, `0q`), whitespace allowed between items.
    ///
    /// Native (`@` or no prefix) sizes and alignment are CPython's on x86_64 Linux; `n`, `N`
    /// and `P` exist only there. Errors are [`ErrorKind::BadFormat`] with the character
    /// position and the reason, where `struct.error` would be raised.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout};
    ///
    /// assert_eq!(Layout::parse("!HIQd?4s")?.size(), 27);
    /// assert_eq!(Layout::parse("@c 0q")?.size(), 8); // `0q` only aligns
    ///
    /// let err = Layout::parse("!h3").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::BadFormat {
    ///     position: 3,
    ///     reason: "repeat count given without format specifier",
    /// });
    /// let err = Layout::parse("q!").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::BadFormat { position: 1, .. }), "{err}");
    /// let err = Layout::parse("?x9999999999999999999999s").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::BadFormat { .. }), "{err}");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn parse(fmt: &str) -> Result<Layout> {
        parse::parse(fmt)
    }

    /// The layout of a fixed-size serde type, as the record layer writes it with its default
    /// configuration: big-endian, fixed-width integers, no padding (a `!` format).
    ///
    /// The type is traced through its `Deserialize` impl: `bool` is `?`, `u8`..`i64` are
    /// `B b H h I i Q q`, `f32`/`f64` are `f`/`d`, a tuple or array of `u8` is `Ns`, unit is
    /// nothing, structs and tuples are their fields in order. A type whose size varies
    /// (`Option`, `Vec`, `String`, `char`, enums) or that has no `struct` code (`u128`) is an
    /// error naming the field.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout};
    /// use serde::Deserialize;
    ///
    /// #[derive(Deserialize)]
    /// struct Header { kind: u16, len: u32, seq: u64, ratio: f64, up: bool, tag: [u8; 4] }
    ///
    /// let layout = Layout::of::<Header>()?;
    /// assert_eq!(layout.struct_format(), "!HIQd?4s");
    /// assert_eq!(layout.size(), 27);
    ///
    /// #[derive(Deserialize)]
    /// struct Named { id: u32, name: String }
    /// let err = Layout::of::<Named>().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::VariableSize { what: "String" });
    /// assert_eq!(err.field(), Some("name"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn of<T: serde::de::DeserializeOwned>() -> Result<Layout> {
        trace::layout_of::<T>()
    }

    /// The record's size in bytes: what Python's `struct.calcsize` returns.
    ///
    /// ```
    /// use netorder::Layout;
    /// assert_eq!(Layout::parse("@bq")?.size(), 16);
    /// assert_eq!(Layout::parse("=bq")?.size(), 9);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// How many values [`Layout::pack`] takes and [`Layout::unpack`] returns (`x` has none,
    /// `4s` has one).
    ///
    /// ```
    /// use netorder::Layout;
    /// assert_eq!(Layout::parse("!3h2x4s")?.value_count(), 4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn value_count(&self) -> usize {
        self.values
    }

    /// The byte order of multi-byte values: [`Endian::Big`] for `!` and `>`, [`Endian::Little`]
    /// for `<`, the machine's ([`Endian::NATIVE`]) for `@`, `=` and no prefix.
    ///
    /// ```
    /// use netorder::{Endian, Layout};
    /// assert_eq!(Layout::parse("!h")?.endian(), Endian::Big);
    /// assert_eq!(Layout::parse("<h")?.endian(), Endian::Little);
    /// assert_eq!(Layout::parse("h")?.endian(), Endian::NATIVE);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn endian(&self) -> Endian {
        self.endian
    }

    /// Whether sizes and alignment are native (`@` or no prefix: CPython's on x86_64 Linux,
    /// `l` and `L` 8 bytes, every code aligned to its size) rather than standard (`= < > !`:
    /// `l` and `L` 4 bytes, no padding). [`Layout::endian`] and this are everything the prefix
    /// says: `>` and `!` are the same layout, and so are `=` and `<` on a little-endian machine.
    ///
    /// ```
    /// use netorder::Layout;
    /// assert!(Layout::parse("@bi")?.native_alignment());
    /// assert_eq!(Layout::parse("@bi")?.size(), 8);
    /// assert!(!Layout::parse("=bi")?.native_alignment());
    /// assert_eq!(Layout::parse("=bi")?.size(), 5);
    /// // Standard sizes have no `n`, `N` or `P`.
    /// assert!(Layout::parse("=n").is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn native_alignment(&self) -> bool {
        self.native
    }

    /// A canonical format string for this layout: the prefix (`@` for native sizes and
    /// alignment, else `!` for big-endian and `<` for little-endian), then each item with its
    /// count (omitted when 1), alignment padding written out as `x`, no whitespace. Parsing it
    /// gives a layout of the same size and fields.
    ///
    /// ```
    /// use netorder::Layout;
    /// assert_eq!(Layout::parse(" 2h x 4s")?.struct_format(), "@2hx4s");
    /// assert_eq!(Layout::parse("@h0q")?.struct_format(), "@h6x");
    /// assert_eq!(Layout::parse("!")?.struct_format(), "!");
    /// assert_eq!(Layout::parse(">h2h")?.struct_format(), "!h2h");
    /// assert_eq!(Layout::parse("<h")?.struct_format(), "<h");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn struct_format(&self) -> String {
        let mut out = String::with_capacity(1 + self.items.len() * 2);
        out.push(match (self.native, self.endian) {
            (true, _) => '@',
            (false, Endian::Big) => '!',
            (false, Endian::Little) => '<',
        });
        let extended = self.items.iter().any(|i| i.bits.is_some());
        let mut group_end: Option<usize> = None;
        for item in &self.items {
            let in_group = item.bits.is_some();
            if group_end.is_some()
                && (!in_group
                    || group_end != Some(item.offset + item.size)
                    || item.bits.as_ref().is_some_and(|b| b.start == 0))
            {
                out.push('}');
                group_end = None;
            }
            if let Some(spec) = &item.bits {
                if group_end.is_none() {
                    out.push('{');
                    group_end = Some(item.offset + item.size);
                } else {
                    out.push(' ');
                }
                if let Some(name) = &item.name {
                    let _ = write!(out, "{name}:");
                }
                match item.code {
                    b'x' => {
                        let _ = write!(out, "{}x", spec.width);
                    }
                    b'?' => out.push('?'),
                    _ => {
                        let _ = write!(out, "{}", spec.width);
                    }
                }
                continue;
            }
            if extended {
                if !out.ends_with('!') && !out.ends_with('<') && !out.ends_with('@') {
                    out.push(' ');
                }
                if let Some(name) = &item.name {
                    let _ = write!(out, "{name}:");
                }
            }
            if item.count != 1 {
                let _ = write!(out, "{}", item.count);
            }
            out.push(item.code as char);
        }
        if group_end.is_some() {
            out.push('}');
        }
        out
    }

    /// The value-bearing fields in order (padding is not listed): index, name, offset, size
    /// and code. Lazily expanded, so a layout like `99999999999q` costs nothing until iterated.
    ///
    /// ```
    /// use netorder::Layout;
    /// let layout = Layout::parse("@b2h4s")?;
    /// let fields: Vec<_> = layout.fields().map(|f| (f.index, f.offset, f.size, f.code)).collect();
    /// assert_eq!(fields, [(0, 0, 1, 'b'), (1, 2, 2, 'h'), (2, 4, 2, 'h'), (3, 6, 4, 's')]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = Field<'_>> + '_ {
        self.items
            .iter()
            .filter(|item| item.kind != Kind::Pad)
            .flat_map(move |item| {
                let size = item.size;
                (0..item.value_count()).map(move |k| Field {
                    index: item.first_value + k,
                    name: item.name.as_deref(),
                    offset: item.offset + k * size,
                    size,
                    code: item.code as char,
                    bits: item.bits.as_deref().map(|b| FieldBits {
                        start: b.start,
                        width: b.width,
                        variants: b.variants.as_deref(),
                    }),
                })
            })
    }

    /// The label errors use for the field holding value `index` of `item`.
    fn label(&self, item: &Item, index: usize) -> String {
        match &item.bits {
            Some(b) => bits_label(index, item.code as char, b.width, item.name.as_deref()),
            None => field_label(index, item.code as char, item.name.as_deref()),
        }
    }

    /// Packs one record, as Python's `struct.pack(fmt, *values)`.
    ///
    /// Each value must suit its code: integers (or bools) for integer codes, in the code's
    /// range (standard sizes for `< > ! =`, native for `@`); numbers for `e f d` (a float that
    /// rounds past the largest finite `e` or standard `f` is refused; infinities and NaN are
    /// allowed); a byte string of length 1 for `c`; byte strings for `s` (zero-padded or
    /// truncated) and `p`; anything for `?` (truthiness). Floats are refused for integer codes.
    ///
    /// Errors carry the field (`with_field`, e.g. `1 ('h')`): [`ErrorKind::OutOfRange`],
    /// [`ErrorKind::FloatOutOfRange`], [`ErrorKind::TypeMismatch`], and
    /// [`ErrorKind::ValueCount`] for the wrong number of values.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("!bh")?;
    /// assert_eq!(layout.pack(&[Value::Int(-1), Value::Int(258)])?, [0xff, 1, 2]);
    ///
    /// let err = layout.pack(&[Value::Int(0), Value::Int(40000)]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::OutOfRange { value: 40000, min: -32768, max: 32767 });
    /// assert_eq!(err.field(), Some("1 ('h')"));
    ///
    /// let err = layout.pack(&[Value::Int(0)]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::ValueCount { expected: 2, received: 1 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn pack(&self, values: &[Value]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.pack_into(values, &mut out)?;
        Ok(out)
    }

    /// Packs one record onto the end of `out` (for packing many records into one buffer).
    /// On error `out` is left as it was.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("!H")?;
    /// let mut out = Vec::new();
    /// layout.pack_into(&[Value::Int(1)], &mut out)?;
    /// layout.pack_into(&[Value::Int(2)], &mut out)?;
    /// assert_eq!(out, [0, 1, 0, 2]);
    ///
    /// let err = layout.pack_into(&[Value::Float(1.0)], &mut out).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TypeMismatch { .. }));
    /// assert_eq!(out, [0, 1, 0, 2]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn pack_into(&self, values: &[Value], out: &mut Vec<u8>) -> Result<()> {
        if values.len() != self.values {
            return Err(Error::new(ErrorKind::ValueCount {
                expected: self.values,
                received: values.len(),
            }));
        }
        if self.size > Self::MAX_PACKED_SIZE {
            return Err(Error::new(ErrorKind::LengthLimit {
                offset: 0,
                len: self.size as u64,
                limit: Self::MAX_PACKED_SIZE as u64,
            }));
        }
        let start = out.len();
        out.resize(start + self.size, 0);
        let big = self.endian == Endian::Big;
        let native = self.native;
        let record = &mut out[start..];
        for item in &self.items {
            if let Some(spec) = &item.bits {
                let group = &mut record[item.offset..item.offset + item.size];
                let value = values
                    .get(item.first_value)
                    .filter(|_| item.value_count() == 1);
                if let Err(e) = bits::pack(item.kind, spec, value, group) {
                    out.truncate(start);
                    return Err(e.with_field(self.label(item, item.first_value)));
                }
                continue;
            }
            let size = item.size;
            let item_values = &values[item.first_value..item.first_value + item.value_count()];
            for (k, value) in item_values.iter().enumerate() {
                let at = item.offset + k * size;
                let dst = &mut record[at..at + size];
                if let Err(e) = pack::pack_value(item.kind, native, big, value, dst) {
                    out.truncate(start);
                    return Err(e.with_field(self.label(item, item.first_value + k)));
                }
            }
        }
        Ok(())
    }

    /// Unpacks one record, as Python's `struct.unpack(fmt, bytes)`: integers as
    /// [`Value::Int`], `?` as [`Value::Bool`] (any nonzero byte is true), `e f d` as
    /// [`Value::Float`] (widened to `f64`), `c s p` as [`Value::Bytes`].
    ///
    /// `bytes` must be exactly [`Layout::size`] long: fewer is [`ErrorKind::Incomplete`] (more
    /// input would help), more is [`ErrorKind::TrailingBytes`].
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("<h?e")?;
    /// assert_eq!(
    ///     layout.unpack(&[0xfe, 0xff, 7, 0x55, 0x35])?,
    ///     [Value::Int(-2), Value::Bool(true), Value::Float(0.333251953125)],
    /// );
    ///
    /// let err = layout.unpack(&[1, 2]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 5, available: 2 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn unpack(&self, bytes: &[u8]) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        self.unpack_into(bytes, &mut out)?;
        Ok(out)
    }

    /// Unpacks one record, appending its values to `out` (for reusing one vector across many
    /// records). On error `out` is left as it was.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("!B")?;
    /// let mut values = Vec::new();
    /// layout.unpack_into(&[7], &mut values)?;
    /// assert_eq!(values, [Value::Int(7)]);
    ///
    /// let err = layout.unpack_into(&[7, 8], &mut values).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::TrailingBytes { offset: 1, remaining: 1 });
    /// assert_eq!(values.len(), 1);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn unpack_into(&self, bytes: &[u8], out: &mut Vec<Value>) -> Result<()> {
        self.check_len(bytes)?;
        let big = self.endian == Endian::Big;
        out.reserve(self.values);
        let start = out.len();
        for item in &self.items {
            if let Some(spec) = &item.bits {
                let group = &bytes[item.offset..item.offset + item.size];
                match bits::unpack(item.kind, spec, group, item.offset) {
                    Ok(Some(value)) => out.push(value),
                    Ok(None) => {}
                    Err(e) => {
                        out.truncate(start);
                        return Err(e.with_field(self.label(item, item.first_value)));
                    }
                }
                continue;
            }
            let size = item.size;
            for k in 0..item.value_count() {
                let at = item.offset + k * size;
                out.push(pack::unpack_value(item.kind, big, &bytes[at..at + size]));
            }
        }
        Ok(())
    }

    fn check_len(&self, bytes: &[u8]) -> Result<()> {
        if bytes.len() < self.size {
            return Err(Error::new(ErrorKind::Incomplete {
                offset: 0,
                needed: self.size,
                available: bytes.len(),
            }));
        }
        if bytes.len() > self.size {
            return Err(Error::new(ErrorKind::TrailingBytes {
                offset: self.size,
                remaining: bytes.len() - self.size,
            }));
        }
        Ok(())
    }

    /// An annotated hexdump of one record: one line per field (padding included) with its
    /// offset, its bytes in hex, its index and code (and path), and its value as
    /// [`Value`]'s `Display` writes it. Fails like [`Layout::unpack`] on the wrong byte count.
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout};
    ///
    /// let layout = Layout::parse("!Hxf")?;
    /// let text = layout.explain(&[0, 7, 0, 0x40, 0x49, 0x0e, 0x56])?;
    /// assert_eq!(text.lines().collect::<Vec<_>>(), [
    ///     "     0  00 07        field 0 'H'  7",
    ///     "     2  00           pad 'x'",
    ///     "     3  40 49 0e 56  field 1 'f'  3.1414999961853027",
    /// ]);
    /// assert!(matches!(layout.explain(&[0]).unwrap_err().kind(), ErrorKind::Incomplete { .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn explain(&self, bytes: &[u8]) -> Result<String> {
        let mut out = String::new();
        self.explain_at(bytes, 0, &mut out)?;
        Ok(out)
    }

    /// Like [`Layout::explain`], appending to `out` and adding `base` to every offset shown
    /// (for the n-th record of a stream).
    ///
    /// ```
    /// use netorder::Layout;
    /// let mut out = String::new();
    /// Layout::parse("!B")?.explain_at(&[9], 4, &mut out)?;
    /// assert_eq!(out, "     4  09  field 0 'B'  9\n");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn explain_at(&self, bytes: &[u8], base: usize, out: &mut String) -> Result<()> {
        self.check_len(bytes)?;
        let big = self.endian == Endian::Big;
        // (offset, size, label, value) for every line, then align the columns.
        let mut lines: Vec<(usize, usize, String, Option<Value>)> = Vec::new();
        for item in &self.items {
            if let Some(spec) = &item.bits {
                let group = &bytes[item.offset..item.offset + item.size];
                let first = (spec.start / 8) as usize;
                let last = ((spec.start + spec.width - 1) / 8) as usize;
                let range = format!("bits {}-{}", spec.start, spec.start + spec.width - 1);
                let value = bits::unpack(item.kind, spec, group, item.offset)
                    .map_err(|e| e.with_field(self.label(item, item.first_value)))?;
                let label = match (&value, &item.name) {
                    (None, _) => format!("pad {range}"),
                    (Some(_), Some(name)) => format!("field {} {range} {name}", item.first_value),
                    (Some(_), None) => format!("field {} {range}", item.first_value),
                };
                lines.push((item.offset + first, last - first + 1, label, value));
                continue;
            }
            if item.kind == Kind::Pad {
                lines.push((item.offset, item.count, "pad 'x'".to_owned(), None));
                continue;
            }
            let size = item.size;
            for k in 0..item.value_count() {
                let at = item.offset + k * size;
                let value = pack::unpack_value(item.kind, big, &bytes[at..at + size]);
                let label = match &item.name {
                    Some(name) => format!(
                        "field {} '{}' {}",
                        item.first_value + k,
                        item.code as char,
                        name
                    ),
                    None => format!("field {} '{}'", item.first_value + k, item.code as char),
                };
                lines.push((at, size, label, Some(value)));
            }
        }
        let hex_width = lines
            .iter()
            .map(|l| (l.1 * 3).saturating_sub(1))
            .max()
            .unwrap_or(0);
        let label_width = lines.iter().map(|l| l.2.len()).max().unwrap_or(0);
        for (offset, size, label, value) in &lines {
            let _ = write!(out, "{:>6}  ", base.saturating_add(*offset));
            let mut hex_len = 0;
            for (i, b) in bytes[*offset..*offset + *size].iter().enumerate() {
                let _ = write!(out, "{}{b:02x}", if i == 0 { "" } else { " " });
                hex_len += if i == 0 { 2 } else { 3 };
            }
            let _ = write!(out, "{:pad$}  ", "", pad = hex_width - hex_len);
            match value {
                Some(v) => {
                    let _ = writeln!(out, "{label:<label_width$}  {v}");
                }
                None => {
                    out.push_str(label);
                    out.push('\n');
                }
            }
        }
        Ok(())
    }

    /// Values from their text forms (as [`Value`]'s `Display` writes them), one token per
    /// field: integers in decimal, `true`/`false`, floats (`1.5`, `1e-05`, `inf`, `nan`), byte
    /// strings as `0x` and hex or, for `c s p` fields, as plain text. A token is read by its
    /// form, so `1.5` for an integer field is a float (and [`Layout::pack`] refuses it, as
    /// Python does).
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    ///
    /// let layout = Layout::parse("!h?d4s")?;
    /// let values = layout.values_from_text(&["-7", "true", "1e-05", "ab"])?;
    /// assert_eq!(values, [
    ///     Value::Int(-7), Value::Bool(true), Value::Float(1e-5), Value::Bytes(b"ab".to_vec()),
    /// ]);
    /// let err = layout.values_from_text(&["x", "true", "1", "ab"]).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TypeMismatch { .. }));
    /// assert_eq!(err.field(), Some("0 ('h')"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn values_from_text<S: AsRef<str>>(&self, tokens: &[S]) -> Result<Vec<Value>> {
        let mut out = Vec::with_capacity(tokens.len().min(self.values));
        self.values_from_text_into(tokens, &mut out)?;
        Ok(out)
    }

    /// Like [`Layout::values_from_text`], appending to `out` (left as it was on error).
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout, Value};
    /// let layout = Layout::parse("!c")?;
    /// let mut values = Vec::new();
    /// layout.values_from_text_into(&["0x41"], &mut values)?;
    /// assert_eq!(values, [Value::Bytes(b"A".to_vec())]);
    /// let err = layout.values_from_text_into(&["a", "b"], &mut values).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::ValueCount { expected: 1, received: 2 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn values_from_text_into<S: AsRef<str>>(
        &self,
        tokens: &[S],
        out: &mut Vec<Value>,
    ) -> Result<()> {
        if tokens.len() != self.values {
            return Err(Error::new(ErrorKind::ValueCount {
                expected: self.values,
                received: tokens.len(),
            }));
        }
        let start = out.len();
        for item in &self.items {
            for k in 0..item.value_count() {
                let index = item.first_value + k;
                let code = match (&item.bits, item.code) {
                    (Some(_), b'u') => 'Q',
                    (_, code) => code as char,
                };
                match Value::from_text(tokens[index].as_ref(), code) {
                    Ok(v) => out.push(v),
                    Err(e) => {
                        out.truncate(start);
                        return Err(e.with_field(self.label(item, index)));
                    }
                }
            }
        }
        Ok(())
    }
}
