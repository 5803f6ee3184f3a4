//! Python `struct` format strings: the codes, their sizes and alignment, and the parser.

use super::{BitSpec, Item, Layout};
use crate::error::{Error, ErrorKind, Result};
use crate::order::Endian;
use crate::prelude::*;

/// What a format code holds, and so how it is packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `x`: a zero byte on pack, ignored on unpack; no value.
    Pad,
    /// `c`: one byte, as a byte string of length 1.
    Char,
    /// `s`: a byte string of exactly `count` bytes (padded with zeros or truncated).
    Bytes,
    /// `p`: a Pascal string: a length byte, then up to `count - 1` bytes.
    Pascal,
    /// `?`: a bool.
    Bool,
    /// Integer codes, signed or not (`P` is unsigned on unpack but also takes negative values).
    Int {
        /// Whether the code is signed.
        signed: bool,
    },
    /// `P`: a native pointer: packs any value in `i64::MIN..=u64::MAX`, unpacks unsigned.
    Pointer,
    /// `e`: IEEE 754 binary16.
    Half,
    /// `f`: IEEE 754 binary32.
    Single,
    /// `d`: IEEE 754 binary64.
    Double,
}

/// One code's kind, size and alignment under a byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeInfo {
    pub(crate) kind: Kind,
    pub(crate) size: usize,
    pub(crate) align: usize,
}

/// The size, alignment and kind of `code` with `native` or standard sizes, or why the code is
/// not allowed.
///
/// Native sizes and alignment are CPython's on x86_64 Linux (`l`, `L`, `n`, `N`, `P` are 8
/// bytes); standard sizes are `struct`'s table (`l`, `L` are 4) and never align.
pub(crate) fn code_info(code: u8, native: bool) -> Result<CodeInfo, &'static str> {
    let (kind, size) = match code {
        b'x' => (Kind::Pad, 1),
        b'c' => (Kind::Char, 1),
        b's' => (Kind::Bytes, 1),
        b'p' => (Kind::Pascal, 1),
        b'?' => (Kind::Bool, 1),
        b'b' => (Kind::Int { signed: true }, 1),
        b'B' => (Kind::Int { signed: false }, 1),
        b'h' => (Kind::Int { signed: true }, 2),
        b'H' => (Kind::Int { signed: false }, 2),
        b'i' => (Kind::Int { signed: true }, 4),
        b'I' => (Kind::Int { signed: false }, 4),
        b'l' => (Kind::Int { signed: true }, if native { 8 } else { 4 }),
        b'L' => (Kind::Int { signed: false }, if native { 8 } else { 4 }),
        b'q' => (Kind::Int { signed: true }, 8),
        b'Q' => (Kind::Int { signed: false }, 8),
        b'n' | b'N' | b'P' if !native => {
            return Err("'n', 'N' and 'P' exist only with native size ('@' or no prefix)");
        }
        b'n' => (Kind::Int { signed: true }, 8),
        b'N' => (Kind::Int { signed: false }, 8),
        b'P' => (Kind::Pointer, 8),
        b'e' => (Kind::Half, 2),
        b'f' => (Kind::Single, 4),
        b'd' => (Kind::Double, 8),
        b'@' | b'=' | b'<' | b'>' | b'!' => {
            return Err("a byte order character is allowed only at the start");
        }
        _ => return Err("bad char in struct format"),
    };
    let align = if native { size } else { 1 };
    Ok(CodeInfo { kind, size, align })
}

/// Python's `Py_ISSPACE`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
fn is_py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The largest struct Python accepts: `PY_SSIZE_T_MAX`.
const SIZE_MAX: usize = isize::MAX as usize;

const TOO_LONG: &str = "total struct size too long";

fn bad(position: usize, reason: &'static str) -> Error {
    Error::new(ErrorKind::BadFormat { position, reason })
}

/// Builds a layout item by item, computing offsets, alignment padding and the value count
/// with checked arithmetic (sizes up to `isize::MAX`, as Python).
pub(crate) struct Builder {
    endian: Endian,
    native: bool,
    items: Vec<Item>,
    size: usize,
    values: usize,
    /// The open bit group: its first item and the bits so far.
    group: Option<(usize, u32)>,
}

/// What a bit field holds.
pub(crate) enum BitWhat {
    /// Nothing: padding bits, zero when packed.
    Pad,
    /// A bool (one bit).
    Bool,
    /// An unsigned integer, or an enum's value (its variants given).
    Unsigned(Option<super::Variants>),
}

impl Builder {
    pub(crate) fn new(endian: Endian, native: bool) -> Self {
        Builder {
            endian,
            native,
            items: Vec::new(),
            size: 0,
            values: 0,
            group: None,
        }
    }

    fn pad(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        if let Some(last) = self.items.last_mut() {
            // Padding bytes join a run of padding bytes, never padding bits that end a group.
            if last.code == b'x' && last.bits.is_none() {
                last.count += count;
                return;
            }
        }
        self.items.push(Item {
            code: b'x',
            kind: Kind::Pad,
            count,
            offset: self.size,
            size: 1,
            first_value: self.values,
            name: None,
            bits: None,
        });
    }

    /// Appends `count` of `code`. `Err(reason)` when the code is not allowed or the size
    /// overflows; the builder is unchanged then.
    pub(crate) fn push(
        &mut self,
        code: u8,
        count: usize,
        name: Option<Box<str>>,
    ) -> Result<(), &'static str> {
        let info = code_info(code, self.native)?;
        // Native alignment comes first, even for a zero count (`0q` aligns to 8).
        let padding = (info.align - self.size % info.align) % info.align;
        let start = self
            .size
            .checked_add(padding)
            .filter(|&s| s <= SIZE_MAX)
            .ok_or(TOO_LONG)?;
        let bytes = count.checked_mul(info.size).ok_or(TOO_LONG)?;
        let end = start
            .checked_add(bytes)
            .filter(|&s| s <= SIZE_MAX)
            .ok_or(TOO_LONG)?;
        let values = match info.kind {
            Kind::Pad => 0,
            Kind::Bytes | Kind::Pascal => 1,
            _ => count,
        };
        let new_values = self.values.checked_add(values).ok_or(TOO_LONG)?;
        self.pad(padding);
        self.size = start;
        match info.kind {
            Kind::Pad => self.pad(count),
            _ if values == 0 => {}
            _ => self.items.push(Item {
                code,
                kind: info.kind,
                count,
                offset: start,
                size: if matches!(info.kind, Kind::Bytes | Kind::Pascal) {
                    count
                } else {
                    info.size
                },
                first_value: self.values,
                name,
                bits: None,
            }),
        }
        self.size = end;
        self.values = new_values;
        Ok(())
    }

    /// Starts a group of bit fields at the current byte.
    pub(crate) fn open_group(&mut self) {
        self.group = Some((self.items.len(), 0));
    }

    /// Whether a group is open.
    pub(crate) fn in_group(&self) -> bool {
        self.group.is_some()
    }

    /// Appends a bit field of `width` bits (1 to 64) to the open group: an unsigned integer
    /// (or an enum, with `variants`), a bool (`width` 1), or padding (no value).
    pub(crate) fn push_bits(
        &mut self,
        width: u32,
        what: BitWhat,
        name: Option<Box<str>>,
    ) -> Result<(), &'static str> {
        let Some((_, used)) = self.group.as_mut() else {
            return Err("a bit field outside a bit group");
        };
        let start = *used;
        *used = used.checked_add(width).ok_or(TOO_LONG)?;
        let (code, kind, values) = match what {
            BitWhat::Pad => (b'x', Kind::Pad, 0),
            BitWhat::Bool => (b'?', Kind::Bool, 1),
            BitWhat::Unsigned(_) => (b'u', Kind::Int { signed: false }, 1),
        };
        let variants = match what {
            BitWhat::Unsigned(v) => v,
            _ => None,
        };
        let new_values = self.values.checked_add(values).ok_or(TOO_LONG)?;
        self.items.push(Item {
            code,
            kind,
            count: 1,
            offset: self.size,
            size: 0,
            first_value: self.values,
            name,
            bits: Some(Box::new(BitSpec {
                start,
                width,
                variants,
            })),
        });
        self.values = new_values;
        Ok(())
    }

    /// Ends the open group: its bits must fill whole bytes.
    pub(crate) fn close_group(&mut self) -> Result<(), &'static str> {
        let (first, bits) = self.group.take().ok_or("'}' without '{'")?;
        if bits == 0 {
            return Err("an empty bit group");
        }
        if bits % 8 != 0 {
            return Err("a bit group must fill whole bytes (its widths add up to a multiple of 8)");
        }
        let bytes = (bits / 8) as usize;
        let end = self
            .size
            .checked_add(bytes)
            .filter(|&s| s <= SIZE_MAX)
            .ok_or(TOO_LONG)?;
        for item in &mut self.items[first..] {
            item.size = bytes;
        }
        self.size = end;
        Ok(())
    }

    pub(crate) fn finish(self) -> Layout {
        Layout {
            endian: self.endian,
            native: self.native,
            items: self.items,
            size: self.size,
            values: self.values,
        }
    }
}

/// Parses a Python `struct` format string, exactly as CPython 3.11's `struct.calcsize` would
/// accept it.
pub(crate) fn parse(fmt: &str) -> Result<Layout> {
    let bytes = fmt.as_bytes();
    // Python encodes the format to ASCII before anything else, and refuses NUL.
    if let Some(pos) = bytes.iter().position(|b| !b.is_ascii()) {
        return Err(bad(pos, "non-ASCII character in struct format"));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(bad(pos, "embedded null character"));
    }
    // The prefix: byte order, and native or standard sizes and alignment.
    let (endian, native, mut i) = match bytes.first() {
        Some(b'@') => (Endian::NATIVE, true, 1),
        Some(b'=') => (Endian::NATIVE, false, 1),
        Some(b'<') => (Endian::Little, false, 1),
        Some(b'>' | b'!') => (Endian::Big, false, 1),
        _ => (Endian::NATIVE, true, 0),
    };
    let mut builder = Builder::new(endian, native);
    let big_standard = matches!(bytes.first(), Some(b'>' | b'!'));
    // netorder's extension (never valid Python, so plain formats parse as before): a name
    // before a field (`ttl:B`), and bit groups (`{version:4 ihl:4}`).
    let mut name: Option<(usize, Box<str>)> = None;
    let mut group_start = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if is_py_space(c) {
            i += 1;
            continue;
        }
        if let Some((ident, after)) = identifier_before_colon(bytes, i) {
            if name.is_some() {
                return Err(bad(i, "two names for one field"));
            }
            name = Some((i, ident.into()));
            i = after;
            if builder.in_group() {
                i = parse_bit(bytes, i, &mut builder, name.take())?;
            }
            continue;
        }
        if c == b'{' {
            if builder.in_group() {
                return Err(bad(i, "a bit group inside a bit group"));
            }
            if !big_standard {
                return Err(bad(
                    i,
                    "bit groups are network order: start the format with '!' or '>'",
                ));
            }
            if let Some((at, _)) = name {
                return Err(bad(at, "a bit group has no name (name its fields)"));
            }
            builder.open_group();
            group_start = i;
            i += 1;
            continue;
        }
        if c == b'}' {
            if let Some((at, _)) = name {
                return Err(bad(at, "a name without a field"));
            }
            builder
                .close_group()
                .map_err(|reason| bad(if reason == TOO_LONG { i } else { group_start }, reason))?;
            i += 1;
            continue;
        }
        if builder.in_group() {
            i = parse_bit(bytes, i, &mut builder, None)?;
            continue;
        }
        let start = i;
        let mut count = 1usize;
        if c.is_ascii_digit() {
            count = 0;
            while let Some(&d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
                count = count
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(usize::from(d - b'0')))
                    .filter(|&n| n <= SIZE_MAX)
                    .ok_or_else(|| bad(start, TOO_LONG))?;
                i += 1;
            }
            if i == bytes.len() {
                return Err(bad(i, "repeat count given without format specifier"));
            }
        }
        let code = bytes[i];
        let field_name = name.take().map(|(_, n)| n);
        if code == b'x' && field_name.is_some() {
            return Err(bad(i, "padding has no name"));
        }
        builder.push(code, count, field_name).map_err(|reason| {
            // A code that is not allowed is reported where it is; an overflow where its count
            // starts.
            bad(if reason == TOO_LONG { start } else { i }, reason)
        })?;
        i += 1;
    }
    if builder.in_group() {
        return Err(bad(group_start, "a bit group without its '}'"));
    }
    if let Some((at, _)) = name {
        return Err(bad(at, "a name without a field"));
    }
    Ok(builder.finish())
}

/// `name:` at `i` (an identifier, then a colon): the name and where its field starts.
fn identifier_before_colon(bytes: &[u8], i: usize) -> Option<(&str, usize)> {
    let first = *bytes.get(i)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let end = i + bytes[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if bytes.get(end) != Some(&b':') {
        return None;
    }
    // ASCII checked by the caller.
    let ident = core::str::from_utf8(&bytes[i..end]).ok()?;
    Some((ident, end + 1))
}

/// One field of a bit group at `i`: `N` (an N-bit unsigned integer), `?` (a one-bit bool) or
/// `Nx` (N bits of padding); returns where the next item starts.
fn parse_bit(
    bytes: &[u8],
    mut i: usize,
    builder: &mut Builder,
    name: Option<(usize, Box<str>)>,
) -> Result<usize> {
    let start = i;
    let name = name.map(|(_, n)| n);
    if bytes.get(i) == Some(&b'?') {
        builder
            .push_bits(1, BitWhat::Bool, name)
            .map_err(|r| bad(start, r))?;
        return Ok(i + 1);
    }
    let mut width: u32 = 0;
    while let Some(&d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
        width = width
            .checked_mul(10)
            .and_then(|w| w.checked_add(u32::from(d - b'0')))
            .ok_or_else(|| bad(start, "a bit field is 1 to 64 bits"))?;
        i += 1;
    }
    if i == start {
        return Err(bad(
            i,
            "in a bit group: a width (`4`, `name:13`), `?` (a one-bit bool) or `Nx` (padding bits)",
        ));
    }
    if bytes.get(i) == Some(&b'x') {
        if name.is_some() {
            return Err(bad(i, "padding has no name"));
        }
        if width == 0 {
            return Err(bad(start, "a bit field is 1 to 64 bits"));
        }
        builder
            .push_bits(width, BitWhat::Pad, None)
            .map_err(|r| bad(start, r))?;
        return Ok(i + 1);
    }
    if width == 0 || width > 64 {
        return Err(bad(start, "a bit field is 1 to 64 bits"));
    }
    builder
        .push_bits(width, BitWhat::Unsigned(None), name)
        .map_err(|r| bad(start, r))?;
    Ok(i)
}
