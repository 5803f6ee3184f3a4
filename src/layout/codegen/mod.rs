//! Code generators: a [`Layout`] as a C header ([`Layout::gen_c`]) and as a Python module
//! ([`Layout::gen_python`]), for peers that are not written in Rust.
//!
//! Both work from one plan of the record (this module): its units in wire order (padding,
//! fields of whole bytes, bit groups), each field's names in each language, and its place in
//! the value list. The generated decoders are strict exactly as [`Layout::unpack_strict`] is,
//! and check fields in the same order, so that the three refuse the same bytes at the same
//! offset; the generated encoders accept what [`Layout::pack`] accepts.

mod c;
mod python;

use super::parse::Kind;
use super::{Item, Layout};
use crate::error::{Error, ErrorKind, Result};
use crate::order::Endian;
use crate::prelude::*;
use alloc::collections::BTreeSet;

/// The most values a generated record may have: each is a struct member or a dataclass field
/// and a line or two of code in each function.
pub(crate) const MAX_VALUES: usize = 4096;

/// The record's name in each spelling.
pub(crate) struct RecordName {
    /// As given: `ipv4` (C types and functions: `ipv4_t`, `ipv4_encode`).
    pub(crate) snake: String,
    /// `IPV4` (C macros: `IPV4_SIZE`).
    pub(crate) upper: String,
    /// `Ipv4` (the Python dataclass).
    pub(crate) camel: String,
}

/// What a bit of a group holds.
#[derive(Debug, Clone)]
pub(crate) enum BitWhat {
    /// Padding: zero when encoded, refused unless zero when decoded.
    Pad,
    /// A one-bit bool.
    Bool,
    /// An unsigned integer.
    Uint,
    /// An unsigned integer that must be one of these (name, value).
    Enum(Vec<(String, u64)>),
}

/// One bit field of a group.
#[derive(Debug, Clone)]
pub(crate) struct Bit {
    /// Bits before it in its group, most significant first.
    pub(crate) start: u32,
    pub(crate) width: u32,
    pub(crate) what: BitWhat,
    /// Its position in the value list (`None` for padding).
    pub(crate) index: Option<usize>,
    /// Its C member and its Python field (empty for padding).
    pub(crate) c_name: String,
    pub(crate) py_name: String,
}

/// A field of whole bytes: `count` values of one code (one value for `s` and `p`).
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) code: u8,
    pub(crate) kind: Kind,
    pub(crate) offset: usize,
    /// Bytes of one value (for `s` and `p`: of the one byte string).
    pub(crate) size: usize,
    /// Values (1 for `s` and `p`).
    pub(crate) count: usize,
    /// Position of its first value in the value list.
    pub(crate) first: usize,
    /// The C member (an array when `count > 1`).
    pub(crate) c_name: String,
    /// One Python field per value.
    pub(crate) py_names: Vec<String>,
}

/// One piece of the record, in wire order.
#[derive(Debug, Clone)]
pub(crate) enum Unit {
    /// `count` padding bytes (`x`) at `offset`.
    Pad { offset: usize, count: usize },
    /// A field of whole bytes.
    Field(Field),
    /// A group of bit fields: the `size` bytes at `offset`, read as one big-endian number.
    Group {
        offset: usize,
        size: usize,
        bits: Vec<Bit>,
    },
}

/// A record ready to be written in a language.
pub(crate) struct Plan {
    pub(crate) name: RecordName,
    /// Big-endian (else little-endian) multi-byte values.
    pub(crate) big: bool,
    pub(crate) size: usize,
    /// How many values `pack` takes and `unpack` gives.
    pub(crate) values: usize,
    /// The layout's canonical format string ([`Layout::struct_format`]).
    pub(crate) format: String,
    pub(crate) units: Vec<Unit>,
}

/// Words C reserves (C11 keywords, C23's new ones, and `<stdbool.h>`'s macros).
const C_RESERVED: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "bool",
    "true",
    "false",
    "alignas",
    "alignof",
    "constexpr",
    "nullptr",
    "static_assert",
    "thread_local",
    "typeof",
    "typeof_unqual",
    "NULL",
];

/// Python's keywords, and the names the generated dataclass uses itself.
const PY_RESERVED: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "self",
    "cls",
    "to_bytes",
    "from_bytes",
];

/// `raw` as an identifier: letters, digits and single underscores between them; a leading
/// digit gets an `f` before it. Empty when `raw` has no letter or digit.
fn identifier(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 1);
    let mut gap = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'f');
    }
    out
}

/// Hands out names that are unique (ignoring case: C's macros are upper case) and not
/// reserved.
struct Names {
    used: BTreeSet<String>,
    reserved: &'static [&'static str],
}

impl Names {
    fn new(reserved: &'static [&'static str]) -> Self {
        Names {
            used: BTreeSet::new(),
            reserved,
        }
    }

    fn taken(&self, name: &str) -> bool {
        self.used.contains(&name.to_ascii_lowercase()) || self.reserved.contains(&name)
    }

    /// `wanted`, or `wanted_2`, `wanted_3`... (a reserved word gets `_` first: `int_`).
    fn claim(&mut self, wanted: &str) -> String {
        let base = if self.reserved.contains(&wanted) {
            format!("{wanted}_")
        } else {
            wanted.to_owned()
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(name.to_ascii_lowercase());
        name
    }

    /// Marks `name` as used (a name the generated code derives from another: `name_len`).
    fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_ascii_lowercase());
    }
}

/// `Telecommand` → `TELECOMMAND`, `IQuery` → `I_QUERY`, `dont_fragment` → `DONT_FRAGMENT`.
pub(crate) fn upper_snake(raw: &str) -> String {
    let id = identifier(raw);
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::with_capacity(id.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// Checks the record's name: an identifier (`[A-Za-z][A-Za-z0-9_]*`, at most 64 characters)
/// that is no C or Python keyword and does not start with `netorder` (the prefix of the
/// helpers every generated C header shares).
fn record_name(name: &str) -> Result<RecordName> {
    let bad = |what| Err(Error::new(ErrorKind::Unsupported { what }));
    let ok_chars = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok_chars || name.len() > 64 {
        return bad(
            "a record name that is no identifier (a letter, then letters, digits and '_'; \
             at most 64 characters)",
        );
    }
    if name.to_ascii_lowercase().starts_with("netorder") {
        return bad("a record name starting with 'netorder' (the generated helpers' prefix)");
    }
    let camel: String = name
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(cs)
                .collect::<String>()
        })
        .collect();
    if C_RESERVED.contains(&name) || PY_RESERVED.contains(&camel.as_str()) || camel == "Error" {
        return bad("a record name that is a C or Python keyword, or 'error'");
    }
    Ok(RecordName {
        snake: name.to_owned(),
        upper: name.to_ascii_uppercase(),
        camel,
    })
}

impl Plan {
    /// The plan of `layout` under the record name `name`, or why it cannot be generated.
    pub(crate) fn new(layout: &Layout, name: &str) -> Result<Plan> {
        if layout.native {
            return Err(Error::new(ErrorKind::Unsupported {
                what: "native formats ('@' or no prefix: the machine's sizes and alignment); \
                       use '!', '>', '<' or '='",
            }));
        }
        if layout.values > MAX_VALUES {
            return Err(Error::new(ErrorKind::LengthLimit {
                offset: 0,
                len: layout.values as u64,
                limit: MAX_VALUES as u64,
            }));
        }
        if layout.size > Layout::MAX_PACKED_SIZE {
            return Err(Error::new(ErrorKind::LengthLimit {
                offset: 0,
                len: layout.size as u64,
                limit: Layout::MAX_PACKED_SIZE as u64,
            }));
        }
        let name = record_name(name)?;
        let mut c_names = Names::new(C_RESERVED);
        let mut py_names = Names::new(PY_RESERVED);
        let mut units: Vec<Unit> = Vec::new();
        for item in &layout.items {
            if let Some(spec) = &item.bits {
                let bit = bit_of(item, spec, &mut c_names, &mut py_names);
                match units.last_mut() {
                    Some(Unit::Group { offset, bits, .. }) if *offset == item.offset => {
                        bits.push(bit);
                    }
                    _ => units.push(Unit::Group {
                        offset: item.offset,
                        size: item.size,
                        bits: vec![bit],
                    }),
                }
                continue;
            }
            if item.kind == Kind::Pad {
                units.push(Unit::Pad {
                    offset: item.offset,
                    count: item.count,
                });
                continue;
            }
            units.push(Unit::Field(field_of(item, &mut c_names, &mut py_names)));
        }
        Ok(Plan {
            name,
            big: layout.endian == Endian::Big,
            size: layout.size,
            values: layout.values,
            format: layout.struct_format(),
            units,
        })
    }

    /// The value-bearing units' Python names, in value order.
    pub(crate) fn py_fields(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.values);
        for unit in &self.units {
            match unit {
                Unit::Pad { .. } => {}
                Unit::Field(f) => out.extend(f.py_names.iter().map(String::as_str)),
                Unit::Group { bits, .. } => out.extend(
                    bits.iter()
                        .filter(|b| b.index.is_some())
                        .map(|b| b.py_name.as_str()),
                ),
            }
        }
        out
    }
}

/// A whole-byte field's names: the layout's name made an identifier, or `f` and the index of
/// its first value.
fn field_of(item: &Item, c_names: &mut Names, py_names: &mut Names) -> Field {
    let count = match item.kind {
        Kind::Bytes | Kind::Pascal => 1,
        _ => item.count,
    };
    let given = item
        .name
        .as_deref()
        .map(identifier)
        .filter(|s| !s.is_empty());
    let base = given
        .clone()
        .unwrap_or_else(|| format!("f{}", item.first_value));
    let c_name = c_names.claim(&base);
    if item.kind == Kind::Pascal {
        c_names.reserve(&format!("{c_name}_len"));
    }
    let py: Vec<String> = (0..count)
        .map(|k| match (&given, count) {
            (Some(n), 1) => py_names.claim(n),
            (Some(n), _) => py_names.claim(&format!("{n}_{k}")),
            (None, _) => py_names.claim(&format!("f{}", item.first_value + k)),
        })
        .collect();
    Field {
        code: item.code,
        kind: item.kind,
        offset: item.offset,
        size: item.size,
        count,
        first: item.first_value,
        c_name,
        py_names: py,
    }
}

fn bit_of(item: &Item, spec: &super::BitSpec, c_names: &mut Names, py_names: &mut Names) -> Bit {
    let what = match (item.kind, &spec.variants) {
        (Kind::Pad, _) => BitWhat::Pad,
        (Kind::Bool, _) => BitWhat::Bool,
        (_, Some(variants)) => {
            BitWhat::Enum(variants.iter().map(|(n, v)| (n.to_string(), *v)).collect())
        }
        (_, None) => BitWhat::Uint,
    };
    let (index, c_name, py_name) = if matches!(what, BitWhat::Pad) {
        (None, String::new(), String::new())
    } else {
        let base = item
            .name
            .as_deref()
            .map(identifier)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("f{}", item.first_value));
        (
            Some(item.first_value),
            c_names.claim(&base),
            py_names.claim(&base),
        )
    };
    Bit {
        start: spec.start,
        width: spec.width,
        what,
        index,
        c_name,
        py_name,
    }
}

impl Layout {
    /// A C header for this record, for a peer written in C: its values as a struct, and
    /// `encode` and `decode` functions that put them on the wire and take them off at the
    /// layout's byte offsets (portable shifts in the layout's byte order, as `htonl` and
    /// `ntohl` would, at any alignment; never the compiler's struct layout).
    ///
    /// The header is self-contained C11 (`gcc -std=c11 -Wall -Wextra -Werror -pedantic`
    /// compiles it alone), all `static inline`, and names everything after `name` (an
    /// identifier; `ipv4` here):
    ///
    /// | name | what it is |
    /// |---|---|
    /// | `IPV4_SIZE` | the record's size in bytes (`_Static_assert`ed against the fields' widths) |
    /// | `ipv4_t` (`struct ipv4`) | the values: one member per field, in order; `uint8_t`..`int64_t`, `bool`, `float`, `double` (`e`, half floats, too), `uint8_t[N]` (`s`), `uint8_t x_len` + `uint8_t x[N-1]` (`p`), an array for a repeat count; a bit field in the smallest unsigned type that holds it |
    /// | `int ipv4_encode(const ipv4_t *rec, uint8_t *out, size_t out_len, netorder_error_t *err)` | writes `IPV4_SIZE` bytes, or nothing when a value does not fit |
    /// | `int ipv4_decode(ipv4_t *rec, const uint8_t *in, size_t in_len, netorder_error_t *err)` | reads exactly `IPV4_SIZE` bytes; `*rec` is written only when every check passes |
    /// | `IPV4_OFFSET_TTL`... | each member's byte offset (a bit field's: the byte of its first bit) |
    /// | `IPV4_OPCODE_QUERY`... | an enum bit field's values |
    /// | `IPV4_FIELDS(X)` | an X-macro: `X(KIND, member)` for every value in order (`KIND`: `U8`..`U64`, `I8`..`I64`, `BOOL`, `F16`, `F32`, `F64`, `CHAR`, `BYTES`, `PASCAL`, `PASCAL1`, `EMPTY`), for generic code |
    ///
    /// Both functions return `NETORDER_OK` (0) or an error code and fill `*err` (when not
    /// `NULL`) with the code, the byte offset, the value's index and the member's name; the
    /// helpers they share (`netorder_error_t`, `netorder_strerror`, `netorder_load_be32`...)
    /// are guarded, so several generated headers can be included together. The decoder
    /// refuses exactly what [`Layout::unpack_strict`] refuses, in the same order, at the same
    /// offsets (`NETORDER_ERR_SHORT`, `_TRAILING`, `_BOOL`, `_ENUM`, `_PADDING`, `_PASCAL`);
    /// the encoder refuses a bit field's value that does not fit its bits or is no variant
    /// (`NETORDER_ERR_RANGE`, `_ENUM`), a Pascal length the field cannot hold
    /// (`NETORDER_ERR_RANGE`), a value too large for a half float (`NETORDER_ERR_FLOAT_RANGE`,
    /// with Python's rounding: round half to even from the `double`), and a short buffer
    /// (`NETORDER_ERR_BUFFER`).
    ///
    /// Native formats (`@`, or no prefix) are refused: their sizes and alignment are the
    /// machine's. `=` is standard sizes in the byte order of the machine that parsed the
    /// format, which the header then writes explicitly. A layout of more than 4096 values is
    /// refused ([`ErrorKind::LengthLimit`]). A derived record generates the same way through
    /// [`Layout::of_fixed`] (or a serde type through [`Layout::of`]).
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout};
    ///
    /// let layout = Layout::parse("!{version:4 ihl:4} ttl:B checksum:H")?;
    /// let header = layout.gen_c("ipv4")?;
    /// assert!(header.contains("#define IPV4_SIZE 4\n"));
    /// assert!(header.contains("typedef struct ipv4 {"));
    /// assert!(header.contains("    uint8_t version;"));
    /// assert!(header.contains("static inline int ipv4_decode(ipv4_t *rec, const uint8_t *in"));
    ///
    /// let err = Layout::parse("HI")?.gen_c("pair").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }), "{err}");
    /// let err = layout.gen_c("2fast").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }), "{err}");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn gen_c(&self, name: &str) -> Result<String> {
        Ok(c::header(&Plan::new(self, name)?))
    }

    /// A Python module for this record, for a peer written in Python: standard library only
    /// (`struct`, shifts for bit fields, `dataclasses`), Python 3.11.
    ///
    /// Module-level names:
    ///
    /// | name | what it is |
    /// |---|---|
    /// | `SIZE` | the record's size in bytes |
    /// | `FORMAT` | the layout as a format string ([`Layout::struct_format`]) |
    /// | `FIELDS` | the field names, in value order |
    /// | `pack(*values) -> bytes` | the values in field order, as `struct.pack` takes them (and what it accepts: `?` takes any value's truth, `s` pads or cuts, `e f d` take ints) |
    /// | `unpack(data) -> tuple` | exactly `SIZE` bytes to the values, as `struct.unpack` gives them (a bit field as an `int`, or a `bool` for `name:?`) |
    /// | `Ipv4` (the name in CamelCase) | a dataclass with one field per value: `.to_bytes()`, `Ipv4.from_bytes(data)` |
    /// | `Error` | a `ValueError`: `.reason`, `.field` (its name, or `None` for padding and lengths), `.index` (the value's position), `.offset` (the byte) |
    /// | `OPCODE_QUERY`... | an enum bit field's values |
    ///
    /// `pack` refuses what [`Layout::pack`] refuses (an integer out of its code's range or a
    /// bit field's, a value that is no variant, a float too large for `e` or `f`, a value of
    /// the wrong type, the wrong number of values) and `unpack` what
    /// [`Layout::unpack_strict`] refuses, in the same order, at the same offsets; each raises
    /// `Error` with `reason` one of `count`, `type`, `range`, `float_range`, `enum`, `short`,
    /// `trailing`, `bool`, `padding`, `pascal`. Native formats and layouts of more than 4096
    /// values are refused, as by [`Layout::gen_c`].
    ///
    /// ```
    /// use netorder::{ErrorKind, Layout};
    ///
    /// let layout = Layout::parse("!{version:4 ihl:4} ttl:B checksum:H")?;
    /// let module = layout.gen_python("ipv4")?;
    /// assert!(module.contains("\nSIZE = 4\n"));
    /// assert!(module.contains("\nclass Ipv4:\n"));
    /// assert!(module.contains("\ndef unpack(data):\n"));
    ///
    /// let err = Layout::parse("@i")?.gen_python("one").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }), "{err}");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn gen_python(&self, name: &str) -> Result<String> {
        Ok(python::module(&Plan::new(self, name)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(identifier("hdr.len"), "hdr_len");
        assert_eq!(identifier("addr[2]"), "addr_2");
        assert_eq!(identifier("[0].x"), "f0_x");
        assert_eq!(identifier("__a__b_"), "a_b");
        assert_eq!(identifier("[]"), "");
        assert_eq!(upper_snake("IQuery"), "I_QUERY");
        assert_eq!(upper_snake("Telecommand"), "TELECOMMAND");
        assert_eq!(upper_snake("ipv4Header"), "IPV4_HEADER");
        let mut names = Names::new(C_RESERVED);
        assert_eq!(names.claim("int"), "int_");
        assert_eq!(names.claim("ttl"), "ttl");
        assert_eq!(names.claim("TTL"), "TTL_2");
        assert_eq!(names.claim("ttl"), "ttl_3");
    }

    #[test]
    fn record_names() {
        assert_eq!(record_name("space_packet").unwrap().camel, "SpacePacket");
        assert_eq!(record_name("ipv4").unwrap().upper, "IPV4");
        for bad in ["", "1x", "a-b", "int", "none", "error", "netorder_x", "_x"] {
            assert!(record_name(bad).is_err(), "{bad}");
        }
    }
}
