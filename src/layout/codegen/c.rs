//! The C header: a struct of the values, `encode` and `decode` at explicit byte offsets.

use super::{Bit, BitWhat, Field, Plan, Unit, upper_snake};
use crate::layout::parse::Kind;
use crate::prelude::*;
use alloc::collections::BTreeSet;
use core::fmt::Write as _;

/// The helpers every generated header shares, guarded so that several headers can be included
/// in one translation unit. Bump the guard's number when they change.
const HELPERS: &str = r#"/* ---- netorder's helpers, shared by every generated header (guarded) ---- */
#ifndef NETORDER_GEN_HELPERS_1
#define NETORDER_GEN_HELPERS_1

_Static_assert(CHAR_BIT == 8, "netorder: bytes of 8 bits");
_Static_assert(sizeof(float) == 4 && sizeof(double) == 8,
               "netorder: float and double are IEEE 754 binary32 and binary64");

/* What encode and decode return: NETORDER_OK, or why they refused. */
enum netorder_status {
    NETORDER_OK = 0,
    NETORDER_ERR_SHORT = 1,       /* decode: fewer bytes than the record (offset 0) */
    NETORDER_ERR_TRAILING = 2,    /* decode: more bytes than the record (offset: its size) */
    NETORDER_ERR_BOOL = 3,        /* decode: a bool byte other than 0 or 1 */
    NETORDER_ERR_ENUM = 4,        /* an enum bit field's value that is no variant */
    NETORDER_ERR_PADDING = 5,     /* decode: a padding byte or bit that is not zero */
    NETORDER_ERR_PASCAL = 6,      /* decode: a Pascal length too large, or bytes after it */
    NETORDER_ERR_RANGE = 7,       /* encode: a bit field's value or a Pascal length too large */
    NETORDER_ERR_FLOAT_RANGE = 8, /* encode: a double too large for a half float ('e') */
    NETORDER_ERR_BUFFER = 9       /* encode: the output buffer is shorter than the record */
};

/* Where encode or decode failed. */
typedef struct netorder_error {
    int code;          /* an enum netorder_status */
    size_t offset;     /* the byte: of the field, or the first bad byte */
    long index;        /* the value's position in the record (as Python's pack/unpack
                          order them), -1 for padding and lengths */
    const char *field; /* the member's name, "" for padding and lengths */
} netorder_error_t;

static inline const char *netorder_strerror(int code)
{
    switch (code) {
    case NETORDER_OK: return "ok";
    case NETORDER_ERR_SHORT: return "fewer bytes than the record";
    case NETORDER_ERR_TRAILING: return "more bytes than the record";
    case NETORDER_ERR_BOOL: return "a bool byte other than 0 or 1";
    case NETORDER_ERR_ENUM: return "a value that is no variant of its enum";
    case NETORDER_ERR_PADDING: return "a padding byte or bit that is not zero";
    case NETORDER_ERR_PASCAL: return "a Pascal string's length too large, or bytes after it";
    case NETORDER_ERR_RANGE: return "a value too large for its field";
    case NETORDER_ERR_FLOAT_RANGE: return "a float too large for a half float";
    case NETORDER_ERR_BUFFER: return "an output buffer shorter than the record";
    default: return "unknown error";
    }
}

static inline int netorder_fail(netorder_error_t *err, int code, size_t offset, long index,
                                const char *field)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->index = index;
        err->field = field;
    }
    return code;
}

/* ntohs, ntohl and a 64-bit ntoh from bytes at any alignment: network order (big-endian),
   portable shifts, whatever the machine's own order. */
static inline uint16_t netorder_load_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}
static inline uint32_t netorder_load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline uint64_t netorder_load_be64(const uint8_t *p)
{
    return (uint64_t)netorder_load_be32(p) << 32 | (uint64_t)netorder_load_be32(p + 4);
}
/* htons, htonl and a 64-bit hton into bytes. */
static inline void netorder_store_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void netorder_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline void netorder_store_be64(uint8_t *p, uint64_t v)
{
    netorder_store_be32(p, (uint32_t)(v >> 32));
    netorder_store_be32(p + 4, (uint32_t)v);
}
/* Little-endian, for '<' and '=' on a little-endian machine. */
static inline uint16_t netorder_load_le16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[1] << 8 | (unsigned)p[0]);
}
static inline uint32_t netorder_load_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}
static inline uint64_t netorder_load_le64(const uint8_t *p)
{
    return (uint64_t)netorder_load_le32(p + 4) << 32 | (uint64_t)netorder_load_le32(p);
}
static inline void netorder_store_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void netorder_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void netorder_store_le64(uint8_t *p, uint64_t v)
{
    netorder_store_le32(p, (uint32_t)v);
    netorder_store_le32(p + 4, (uint32_t)(v >> 32));
}
/* A bit group of n bytes (1 to 8) as one big-endian number, and back. */
static inline uint64_t netorder_load_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}
static inline void netorder_store_be(uint8_t *p, size_t n, uint64_t v)
{
    for (size_t i = n; i-- > 0; v >>= 8)
        p[i] = (uint8_t)v;
}
/* The width bits after start bits of a group (most significant bit first), for groups wider
   than 8 bytes; netorder_put_bits ORs them into zeroed bytes. */
static inline uint64_t netorder_get_bits(const uint8_t *p, size_t start, unsigned width)
{
    uint64_t v = 0;
    for (size_t b = start; b < start + width; b++)
        v = v << 1 | (uint64_t)(p[b / 8] >> (7 - b % 8) & 1u);
    return v;
}
static inline void netorder_put_bits(uint8_t *p, size_t start, unsigned width, uint64_t v)
{
    for (unsigned k = 0; k < width; k++)
        if (v >> (width - 1 - k) & 1u)
            p[(start + k) / 8] |= (uint8_t)(1u << (7 - (start + k) % 8));
}
/* The byte (from p) of the first set bit among width bits after start. */
static inline size_t netorder_first_set_bit(const uint8_t *p, size_t start, size_t width)
{
    for (size_t b = start; b < start + width; b++)
        if (p[b / 8] >> (7 - b % 8) & 1u)
            return b / 8;
    return start / 8;
}
/* The index of the first nonzero byte of p[0..n), or n. */
static inline size_t netorder_first_nonzero(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] == 0)
        i++;
    return i;
}
/* Two's complement from its bits, without implementation-defined conversions. */
static inline int64_t netorder_sext(uint64_t u, unsigned bits)
{
    uint64_t sign = (uint64_t)1 << (bits - 1);
    if (bits == 64)
        return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
    return (int64_t)(u ^ sign) - (int64_t)sign;
}
/* IEEE 754 values from and to their bits. */
static inline float netorder_f32_from_bits(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}
static inline uint32_t netorder_f32_bits(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static inline double netorder_f64_from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}
static inline uint64_t netorder_f64_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
/* A half float ('e', IEEE 754 binary16) as a double: exact; a NaN keeps only its sign. */
static inline double netorder_half_to_double(uint16_t h)
{
    uint64_t sign = (uint64_t)(h & 0x8000u) << 48;
    unsigned e = (unsigned)(h >> 10) & 0x1Fu;
    unsigned f = (unsigned)h & 0x3FFu;
    uint64_t bits;
    if (e == 0x1F) {
        bits = sign | (f ? UINT64_C(0x7FF8000000000000) : UINT64_C(0x7FF0000000000000));
    } else if (e == 0) {
        if (f == 0) {
            bits = sign;
        } else { /* subnormal: f * 2^-24, normalized */
            unsigned k = 0;
            while (!(f & 0x400u)) {
                f <<= 1;
                k++;
            }
            bits = sign | (uint64_t)(1023 - 14 - k) << 52 | (uint64_t)(f & 0x3FFu) << 42;
        }
    } else {
        bits = sign | (uint64_t)(e + 1008u) << 52 | (uint64_t)f << 42;
    }
    return netorder_f64_from_bits(bits);
}
/* A double as a half float, as Python's struct packs 'e': rounded half to even straight from
   the double; infinities stay, a NaN becomes 0x7E00 with its sign. Returns 0 (and writes
   nothing) when a finite value rounds past 65504, the largest half float. */
static inline int netorder_double_to_half(double x, uint16_t *out)
{
    uint64_t bits = netorder_f64_bits(x);
    uint16_t sign = (uint16_t)((bits >> 48) & 0x8000u);
    unsigned biased = (unsigned)(bits >> 52) & 0x7FFu;
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    if (biased == 0x7FF) {
        *out = (uint16_t)(sign | (frac ? 0x7E00u : 0x7C00u));
        return 1;
    }
    if (biased == 0) { /* zero, or far below half the smallest subnormal half */
        *out = sign;
        return 1;
    }
    int exp = (int)biased - 1023;
    uint64_t m = frac | (UINT64_C(1) << 52);
    if (exp > 15)
        return 0;
    unsigned shift = exp >= -14 ? 42u : (unsigned)(28 - exp);
    uint64_t rounded = 0;
    if (shift < 64) {
        uint64_t q = m >> shift;
        uint64_t rest = m & ((UINT64_C(1) << shift) - 1);
        uint64_t half = UINT64_C(1) << (shift - 1);
        rounded = (rest > half || (rest == half && (q & 1))) ? q + 1 : q;
    }
    if (exp >= -14) {
        if (rounded == 2048) { /* carried into the exponent */
            rounded = 1024;
            exp++;
        }
        if (exp + 15 >= 31)
            return 0;
        *out = (uint16_t)(sign | (unsigned)(exp + 15) << 10 | (unsigned)(rounded - 1024));
    } else { /* a subnormal, or the smallest normal when it rounds up to 1024 */
        *out = (uint16_t)(sign | (unsigned)rounded);
    }
    return 1;
}

#endif /* NETORDER_GEN_HELPERS_1 */
"#;

/// The C type of a field's values.
fn c_type(kind: Kind, code: u8) -> &'static str {
    match (kind, code) {
        (Kind::Bool, _) => "bool",
        (Kind::Half | Kind::Double, _) => "double",
        (Kind::Single, _) => "float",
        (_, b'b') => "int8_t",
        (_, b'h') => "int16_t",
        (_, b'i' | b'l') => "int32_t",
        (_, b'q') => "int64_t",
        (_, b'H') => "uint16_t",
        (_, b'I' | b'L') => "uint32_t",
        (_, b'Q') => "uint64_t",
        // B c s p
        _ => "uint8_t",
    }
}

/// The X-macro kind of a field's values.
fn x_kind(f: &Field) -> &'static str {
    match (f.kind, f.code) {
        (Kind::Bool, _) => "BOOL",
        (Kind::Half, _) => "F16",
        (Kind::Single, _) => "F32",
        (Kind::Double, _) => "F64",
        (Kind::Char, _) => "CHAR",
        (Kind::Bytes, _) if f.size == 0 => "EMPTY",
        (Kind::Bytes, _) => "BYTES",
        (Kind::Pascal, _) if f.size == 0 => "EMPTY",
        (Kind::Pascal, _) if f.size == 1 => "PASCAL1",
        (Kind::Pascal, _) => "PASCAL",
        (_, b'b') => "I8",
        (_, b'h') => "I16",
        (_, b'i' | b'l') => "I32",
        (_, b'q') => "I64",
        (_, b'B') => "U8",
        (_, b'H') => "U16",
        (_, b'I' | b'L') => "U32",
        _ => "U64",
    }
}

/// The smallest unsigned type (bits, name) that holds `width` bits.
fn bit_type(width: u32) -> (u32, &'static str) {
    match width {
        0..=8 => (8, "uint8_t"),
        9..=16 => (16, "uint16_t"),
        17..=32 => (32, "uint32_t"),
        _ => (64, "uint64_t"),
    }
}

fn mask(width: u32) -> u64 {
    if width == 64 {
        u64::MAX
    } else {
        (1 << width) - 1
    }
}

/// A C string literal of an identifier (nothing to escape).
fn lit(s: &str) -> String {
    format!("\"{s}\"")
}

/// The header for `plan`.
pub(crate) fn header(plan: &Plan) -> String {
    let mut out = String::new();
    let n = &plan.name;
    let (upper, snake) = (&n.upper, &n.snake);
    let order = if plan.big {
        "network byte order (big-endian)"
    } else {
        "little-endian"
    };
    // The comment at the top: where it came from, the layout, the API.
    let _ = writeln!(
        out,
        "/* {snake}.h: generated by netorder {} (`netorder gen c`) from the layout",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, " *");
    for line in wrap(&plan.format, 88) {
        let _ = writeln!(out, " *     {line}");
    }
    let _ = writeln!(out, " *");
    let _ = writeln!(
        out,
        " * Do not edit: generate it again.\n \
         *\n \
         * {} bytes, {order}. Every field is at the byte offset below (bits\n \
         * counted from that byte's most significant bit), written and read with shifts: no\n \
         * reliance on the compiler's struct layout.",
        plan.size
    );
    let _ = writeln!(out, " *");
    out.push_str(&field_table(plan));
    let _ = writeln!(out, " *");
    let _ = writeln!(
        out,
        " *   {upper}_SIZE                 the record's size in bytes\n \
         *   {snake}_t                    the values (struct {snake})\n \
         *   {snake}_encode(rec, out, out_len, err)  writes {upper}_SIZE bytes, or nothing\n \
         *   {snake}_decode(rec, in, in_len, err)    reads exactly {upper}_SIZE bytes\n \
         *   {upper}_FIELDS(X)            X(KIND, member) for every value, in order\n \
         *\n \
         * Both functions return NETORDER_OK (0) or a NETORDER_ERR_ code, and fill *err (unless\n \
         * NULL) with the code, the byte offset, the value's index and the member's name.\n \
         * Decoding is strict: exactly {upper}_SIZE bytes, bools 0 or 1, enum values checked,\n \
         * padding zero, Pascal strings as encoded; *rec is written only when all pass.\n \
         */"
    );
    let _ = writeln!(out, "#ifndef {upper}_H\n#define {upper}_H\n");
    out.push_str(
        "#include <limits.h>\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\
         #include <string.h>\n\n",
    );
    out.push_str(HELPERS);
    out.push('\n');
    let _ = writeln!(out, "/* ---- {snake} ---- */\n");
    let _ = writeln!(out, "#define {upper}_SIZE {}", plan.size);
    // The fields' widths add up to the size: a check of the generator's arithmetic that a
    // reader can redo.
    let widths: Vec<String> = plan
        .units
        .iter()
        .map(|u| match u {
            Unit::Pad { count, .. } => count.to_string(),
            Unit::Field(f) if f.count > 1 => format!("{} * {}", f.count, f.size),
            Unit::Field(f) => f.size.to_string(),
            Unit::Group { size, .. } => size.to_string(),
        })
        .collect();
    let sum = if widths.is_empty() {
        "0".to_owned()
    } else {
        widths.join(" + ")
    };
    let _ = writeln!(
        out,
        "_Static_assert({} == {upper}_SIZE, \"{snake}: the fields' widths add up to its size\");",
        wrap(&sum, 80).join("\n               ")
    );
    // Offsets and enum values; every macro name once.
    let mut macros: BTreeSet<String> = [
        format!("{upper}_H"),
        format!("{upper}_SIZE"),
        format!("{upper}_FIELDS"),
    ]
    .into_iter()
    .collect();
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                macros.insert(format!("{upper}_OFFSET_{}", f.c_name.to_ascii_uppercase()));
            }
            Unit::Group { bits, .. } => macros.extend(
                bits.iter()
                    .filter(|b| b.index.is_some())
                    .map(|b| format!("{upper}_OFFSET_{}", b.c_name.to_ascii_uppercase())),
            ),
        }
    }
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                let _ = writeln!(
                    out,
                    "#define {upper}_OFFSET_{} {}",
                    f.c_name.to_ascii_uppercase(),
                    f.offset
                );
            }
            Unit::Group { offset, bits, .. } => {
                for b in bits.iter().filter(|b| b.index.is_some()) {
                    let _ = writeln!(
                        out,
                        "#define {upper}_OFFSET_{} {}",
                        b.c_name.to_ascii_uppercase(),
                        offset + (b.start / 8) as usize
                    );
                    if let BitWhat::Enum(variants) = &b.what {
                        for (name, value) in variants {
                            let mut macro_name = format!(
                                "{upper}_{}_{}",
                                b.c_name.to_ascii_uppercase(),
                                upper_snake(name)
                            );
                            // Another macro of this header may have the name already (a
                            // member `offset` with a variant `Ttl` beside a member `ttl`).
                            let base = macro_name.clone();
                            let mut n = 2;
                            while macros.contains(&macro_name) {
                                macro_name = format!("{base}_{n}");
                                n += 1;
                            }
                            let _ = writeln!(out, "#define {macro_name} {}", u64_lit(*value));
                            macros.insert(macro_name);
                        }
                    }
                }
            }
        }
    }
    out.push('\n');
    // The struct.
    let _ = writeln!(out, "typedef struct {snake} {{");
    let mut members = 0;
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                let ty = c_type(f.kind, f.code);
                let m = &f.c_name;
                match f.kind {
                    Kind::Bytes | Kind::Pascal if f.size == 0 => {
                        let _ = writeln!(out, "    /* {m}: always empty (0 bytes) */");
                    }
                    Kind::Bytes => {
                        let _ = writeln!(out, "    uint8_t {m}[{}];", f.size);
                        members += 1;
                    }
                    Kind::Pascal => {
                        let room = (f.size - 1).min(255);
                        let _ = writeln!(out, "    uint8_t {m}_len; /* 0 to {room} */");
                        if f.size > 1 {
                            let _ = writeln!(out, "    uint8_t {m}[{}];", f.size - 1);
                        }
                        members += 1;
                    }
                    Kind::Half => {
                        let _ = writeln!(
                            out,
                            "    double {m}{}; /* a half float on the wire */",
                            dims(f.count)
                        );
                        members += 1;
                    }
                    _ => {
                        let _ = writeln!(out, "    {ty} {m}{};", dims(f.count));
                        members += 1;
                    }
                }
            }
            Unit::Group { bits, .. } => {
                for b in bits.iter().filter(|b| b.index.is_some()) {
                    let ty = match b.what {
                        BitWhat::Bool => "bool",
                        _ => bit_type(b.width).1,
                    };
                    let note = match &b.what {
                        BitWhat::Enum(_) => format!(
                            " /* {} bits: {}_{}_* */",
                            b.width,
                            upper,
                            b.c_name.to_ascii_uppercase()
                        ),
                        BitWhat::Bool => " /* 1 bit */".to_owned(),
                        _ => format!(
                            " /* {} bit{} */",
                            b.width,
                            if b.width == 1 { "" } else { "s" }
                        ),
                    };
                    let _ = writeln!(out, "    {ty} {};{note}", b.c_name);
                    members += 1;
                }
            }
        }
    }
    if members == 0 {
        let _ = writeln!(out, "    char empty_; /* no values (C wants a member) */");
    }
    let _ = writeln!(out, "}} {snake}_t;\n");
    // The X-macro.
    let mut entries = Vec::new();
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) if f.count > 1 => {
                for k in 0..f.count {
                    entries.push(format!("X({}, {}[{k}])", x_kind(f), f.c_name));
                }
            }
            Unit::Field(f) => entries.push(format!("X({}, {})", x_kind(f), f.c_name)),
            Unit::Group { bits, .. } => {
                for b in bits.iter().filter(|b| b.index.is_some()) {
                    let kind = match b.what {
                        BitWhat::Bool => "BOOL",
                        _ => ["U8", "U16", "U32", "U64"][match bit_type(b.width).0 {
                            8 => 0,
                            16 => 1,
                            32 => 2,
                            _ => 3,
                        }],
                    };
                    entries.push(format!("X({kind}, {})", b.c_name));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "/* X(KIND, member) for every value in order: KIND is U8..U64, I8..I64, BOOL, F16 (a\n   \
         double), F32, F64, CHAR (uint8_t), BYTES (uint8_t[N]), PASCAL (member_len and\n   \
         member[N-1]), PASCAL1 (member_len only) or EMPTY (no member). */"
    );
    if entries.is_empty() {
        let _ = writeln!(out, "#define {upper}_FIELDS(X)\n");
    } else {
        let _ = writeln!(out, "#define {upper}_FIELDS(X) \\");
        for (i, e) in entries.iter().enumerate() {
            let _ = writeln!(
                out,
                "    {e}{}",
                if i + 1 < entries.len() { " \\" } else { "" }
            );
        }
        out.push('\n');
    }
    encode(plan, &mut out);
    out.push('\n');
    decode(plan, &mut out);
    let _ = writeln!(out, "\n#endif /* {upper}_H */");
    out
}

/// `[n]` for an array member, nothing for one value.
fn dims(count: usize) -> String {
    if count > 1 {
        format!("[{count}]")
    } else {
        String::new()
    }
}

fn u64_lit(v: u64) -> String {
    if v <= i32::MAX as u64 {
        v.to_string()
    } else {
        format!("UINT64_C({v})")
    }
}

/// Splits `s` at spaces into lines of at most about `width` characters.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split(' ') {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// The comment's table: offset, bits, member, C type.
fn field_table(plan: &Plan) -> String {
    let mut rows: Vec<[String; 4]> = vec![[
        "offset".into(),
        "bits".into(),
        "member".into(),
        "C type".into(),
    ]];
    for unit in &plan.units {
        match unit {
            Unit::Pad { offset, count } => rows.push([
                offset.to_string(),
                String::new(),
                format!(
                    "({count} padding byte{})",
                    if *count == 1 { "" } else { "s" }
                ),
                String::new(),
            ]),
            Unit::Field(f) => {
                let ty = match f.kind {
                    Kind::Bytes | Kind::Pascal if f.size == 0 => "(none: always empty)".to_owned(),
                    Kind::Bytes => format!("uint8_t[{}]", f.size),
                    Kind::Pascal if f.size == 1 => {
                        format!("uint8_t {}_len (Pascal string, always empty)", f.c_name)
                    }
                    Kind::Pascal => format!(
                        "uint8_t {}_len + uint8_t[{}] (Pascal string)",
                        f.c_name,
                        f.size - 1
                    ),
                    Kind::Half => "double (half float)".to_owned(),
                    _ => format!("{}{}", c_type(f.kind, f.code), dims(f.count)),
                };
                rows.push([f.offset.to_string(), String::new(), f.c_name.clone(), ty]);
            }
            Unit::Group { offset, bits, .. } => {
                for b in bits {
                    let first = offset + (b.start / 8) as usize;
                    let range = match b.width {
                        1 => format!("{}", b.start % 8),
                        _ => format!("{}-{}", b.start % 8, b.start % 8 + b.width - 1),
                    };
                    let (member, ty) = match &b.what {
                        BitWhat::Pad => ("(padding bits)".to_owned(), String::new()),
                        BitWhat::Bool => (b.c_name.clone(), "bool".to_owned()),
                        BitWhat::Uint => (b.c_name.clone(), bit_type(b.width).1.to_owned()),
                        BitWhat::Enum(_) => {
                            (b.c_name.clone(), format!("{} (enum)", bit_type(b.width).1))
                        }
                    };
                    rows.push([first.to_string(), range, member, ty]);
                }
            }
        }
    }
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].len()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        let _ = writeln!(out, " *   {}", line.trim_end());
    }
    out
}

/// The load of an `n`-byte unsigned value at `in + off` in the plan's order.
fn load(big: bool, n: usize, off: &str) -> String {
    match (n, big) {
        (1, _) => format!("in[{off}]"),
        (_, true) => format!("netorder_load_be{}(in + {off})", n * 8),
        (_, false) => format!("netorder_load_le{}(in + {off})", n * 8),
    }
}

/// The store of `value` as `n` bytes at `out + off`.
fn store(big: bool, n: usize, off: &str, value: &str) -> String {
    match (n, big) {
        (1, _) => format!("out[{off}] = {value};"),
        (_, true) => format!("netorder_store_be{}(out + {off}, {value});", n * 8),
        (_, false) => format!("netorder_store_le{}(out + {off}, {value});", n * 8),
    }
}

/// The byte offset of a value (`4`, or `4 + 2 * i` in an array's loop).
fn off_expr(f: &Field) -> String {
    if f.count > 1 && f.size == 1 {
        format!("{} + i", f.offset)
    } else if f.count > 1 {
        format!("{} + {} * i", f.offset, f.size)
    } else {
        f.offset.to_string()
    }
}

/// The member expression for a value (`rec->x` or `rec->x[i]`).
fn member(f: &Field, rec: &str) -> String {
    if f.count > 1 {
        format!("{rec}->{}[i]", f.c_name)
    } else {
        format!("{rec}->{}", f.c_name)
    }
}

/// The value index expression (`3` or `3 + (long)i`).
fn index_expr(f: &Field) -> String {
    if f.count > 1 {
        format!("{} + (long)i", f.first)
    } else {
        f.first.to_string()
    }
}

/// Opens a loop over an array field's values (and returns the indent of its body).
fn open_loop(out: &mut String, f: &Field) -> &'static str {
    if f.count > 1 {
        let _ = writeln!(out, "    for (size_t i = 0; i < {}; i++) {{", f.count);
        "        "
    } else {
        "    "
    }
}

fn close_loop(out: &mut String, f: &Field) {
    if f.count > 1 {
        out.push_str("    }\n");
    }
}

/// The expression of bit field `b` of a group at `offset` of `size` bytes: from `g` (the
/// group loaded as one number) when it has at most 8 bytes.
fn bit_get(b: &Bit, offset: usize, size: usize, base: &str) -> String {
    if size <= 8 {
        let shift = size as u32 * 8 - b.start - b.width;
        match (shift, b.width) {
            (0, 64) => "g".to_owned(),
            (0, _) => format!("(g & UINT64_C({:#X}))", mask(b.width)),
            _ => format!("((g >> {shift}) & UINT64_C({:#X}))", mask(b.width)),
        }
    } else {
        format!(
            "netorder_get_bits({base} + {offset}, {}, {})",
            b.start, b.width
        )
    }
}

/// A `switch` on `v` (a `uint64_t` expression) that runs `fail` (a statement) unless `v` is
/// one of `variants`, `indent` deep.
fn switch_variants(
    out: &mut String,
    indent: &str,
    v: &str,
    variants: &[(String, u64)],
    fail: &str,
) {
    let _ = writeln!(out, "{indent}switch ({v}) {{");
    let mut line = String::new();
    for (_, x) in variants {
        let label = format!("case {}:", u64_lit(*x));
        if !line.is_empty() && indent.len() + line.len() + 1 + label.len() > 92 {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&label);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(
        out,
        "{indent}    break;\n{indent}default:\n{indent}    {fail}\n{indent}}}"
    );
}

/// Whether `variants` hold every value of `width` bits (then there is nothing to check).
fn covers_all(variants: &[(String, u64)], width: u32) -> bool {
    width < 16 && {
        let all = 1u64 << width;
        let mut seen = vec![false; all as usize];
        for (_, v) in variants {
            if let Some(s) = seen.get_mut(*v as usize) {
                *s = true;
            }
        }
        seen.iter().all(|&s| s)
    }
}

fn encode(plan: &Plan, out: &mut String) {
    let (upper, snake) = (&plan.name.upper, &plan.name.snake);
    let _ = writeln!(
        out,
        "/* Writes the record to out[0..{upper}_SIZE): NETORDER_OK, or an error and nothing\n   \
         written (a bit field's value that does not fit or is no variant, a Pascal length too\n   \
         large, a double too large for a half float, a buffer shorter than {upper}_SIZE). */"
    );
    let _ = writeln!(
        out,
        "static inline int {snake}_encode(const {snake}_t *rec, uint8_t *out, size_t out_len,\n    \
         netorder_error_t *err)\n{{"
    );
    if !has_members(plan) {
        out.push_str("    (void)rec;\n");
    }
    if plan.size > 0 {
        let _ = writeln!(
            out,
            "    if (out_len < {upper}_SIZE)\n        \
             return netorder_fail(err, NETORDER_ERR_BUFFER, out_len, -1, \"\");"
        );
    } else {
        out.push_str("    (void)out_len;\n    (void)err;\n");
    }
    // 1. Checks, in field order.
    let mut checks = String::new();
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => match f.kind {
                Kind::Pascal if f.size > 0 && f.size - 1 < 255 => {
                    let _ = writeln!(
                        checks,
                        "    if ({}_len > {})\n        \
                         return netorder_fail(err, NETORDER_ERR_RANGE, {}, {}, {});",
                        member(f, "rec"),
                        f.size - 1,
                        f.offset,
                        f.first,
                        lit(&f.c_name)
                    );
                }
                Kind::Half => {
                    let _ = writeln!(checks, "    uint16_t half_{}{};", f.first, dims(f.count));
                    let ind = open_loop(&mut checks, f);
                    let dst = if f.count > 1 {
                        format!("&half_{}[i]", f.first)
                    } else {
                        format!("&half_{}", f.first)
                    };
                    let _ = writeln!(
                        checks,
                        "{ind}if (!netorder_double_to_half({}, {dst}))\n{ind}    \
                         return netorder_fail(err, NETORDER_ERR_FLOAT_RANGE, {}, {}, {});",
                        member(f, "rec"),
                        off_expr(f),
                        index_expr(f),
                        lit(&f.c_name)
                    );
                    close_loop(&mut checks, f);
                }
                _ => {}
            },
            Unit::Group { offset, bits, .. } => {
                for b in bits {
                    let Some(index) = b.index else { continue };
                    let m = format!("rec->{}", b.c_name);
                    let at = offset + (b.start / 8) as usize;
                    let fail = |code: &str| {
                        format!(
                            "return netorder_fail(err, {code}, {at}, {index}, {});",
                            lit(&b.c_name)
                        )
                    };
                    let (type_bits, _) = bit_type(b.width);
                    if matches!(b.what, BitWhat::Uint | BitWhat::Enum(_)) && b.width < type_bits {
                        let _ = writeln!(
                            checks,
                            "    if ((uint64_t){m} > UINT64_C({:#X}))\n        {}",
                            mask(b.width),
                            fail("NETORDER_ERR_RANGE")
                        );
                    }
                    if let BitWhat::Enum(variants) = &b.what {
                        if !covers_all(variants, b.width) {
                            switch_variants(
                                &mut checks,
                                "    ",
                                &m,
                                variants,
                                &fail("NETORDER_ERR_ENUM"),
                            );
                        }
                    }
                }
            }
        }
    }
    if !checks.is_empty() {
        out.push_str("    /* Every value is checked before anything is written. */\n");
        out.push_str(&checks);
    }
    // 2. Writes.
    let _ = writeln!(
        out,
        "    memset(out, 0, {upper}_SIZE); /* padding, and the bytes after a Pascal string */"
    );
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                let m = member(f, "rec");
                let off = off_expr(f);
                match f.kind {
                    Kind::Bytes if f.size > 0 => {
                        let _ = writeln!(
                            out,
                            "    memcpy(out + {}, rec->{}, {});",
                            f.offset, f.c_name, f.size
                        );
                    }
                    Kind::Pascal if f.size > 0 => {
                        let _ = writeln!(out, "    out[{}] = rec->{}_len;", f.offset, f.c_name);
                        if f.size > 1 {
                            let _ = writeln!(
                                out,
                                "    memcpy(out + {}, rec->{}, rec->{}_len);",
                                f.offset + 1,
                                f.c_name,
                                f.c_name
                            );
                        }
                    }
                    Kind::Bytes | Kind::Pascal => {}
                    _ => {
                        let ind = open_loop(out, f);
                        let value = match (f.kind, f.code) {
                            (Kind::Bool, _) => format!("(uint8_t)({m} ? 1u : 0u)"),
                            (Kind::Half, _) => {
                                if f.count > 1 {
                                    format!("half_{}[i]", f.first)
                                } else {
                                    format!("half_{}", f.first)
                                }
                            }
                            (Kind::Single, _) => format!("netorder_f32_bits({m})"),
                            (Kind::Double, _) => format!("netorder_f64_bits({m})"),
                            (_, b'b' | b'h' | b'i' | b'l' | b'q') => {
                                format!("(uint{}_t){m}", f.size * 8)
                            }
                            _ => m.clone(),
                        };
                        let _ = writeln!(out, "{ind}{}", store(plan.big, f.size, &off, &value));
                        close_loop(out, f);
                    }
                }
            }
            Unit::Group {
                offset, size, bits, ..
            } => {
                let values: Vec<&Bit> = bits.iter().filter(|b| b.index.is_some()).collect();
                if values.is_empty() {
                    continue;
                }
                let bit_value = |b: &Bit| match b.what {
                    BitWhat::Bool => format!("(uint64_t)(rec->{} ? 1u : 0u)", b.c_name),
                    _ => format!("(uint64_t)rec->{}", b.c_name),
                };
                if *size <= 8 {
                    let terms: Vec<String> = values
                        .iter()
                        .map(|b| {
                            let shift = *size as u32 * 8 - b.start - b.width;
                            if shift == 0 {
                                bit_value(b)
                            } else {
                                format!("{} << {shift}", bit_value(b))
                            }
                        })
                        .collect();
                    let value = terms.join("\n        | ");
                    let text = match size {
                        1 | 2 | 4 | 8 => {
                            let cast = format!("(uint{}_t)({value})", size * 8);
                            store(true, *size, &offset.to_string(), &cast)
                        }
                        _ => format!("netorder_store_be(out + {offset}, {size}, {value});"),
                    };
                    let _ = writeln!(out, "    {text}");
                } else {
                    for b in values {
                        let _ = writeln!(
                            out,
                            "    netorder_put_bits(out + {offset}, {}, {}, {});",
                            b.start,
                            b.width,
                            bit_value(b)
                        );
                    }
                }
            }
        }
    }
    out.push_str("    return NETORDER_OK;\n}\n");
}

fn decode(plan: &Plan, out: &mut String) {
    let (upper, snake) = (&plan.name.upper, &plan.name.snake);
    let _ = writeln!(
        out,
        "/* Reads the record from exactly in[0..in_len), in_len == {upper}_SIZE: NETORDER_OK, or\n   \
         an error (the first failing check, in field order) and *rec left as it was. */"
    );
    let _ = writeln!(
        out,
        "static inline int {snake}_decode({snake}_t *rec, const uint8_t *in, size_t in_len,\n    \
         netorder_error_t *err)\n{{"
    );
    if plan.size > 0 {
        let _ = writeln!(
            out,
            "    if (in_len < {upper}_SIZE)\n        \
             return netorder_fail(err, NETORDER_ERR_SHORT, 0, -1, \"\");"
        );
    }
    let _ = writeln!(
        out,
        "    if (in_len > {upper}_SIZE)\n        \
         return netorder_fail(err, NETORDER_ERR_TRAILING, {upper}_SIZE, -1, \"\");"
    );
    // 1. Checks.
    let mut checks = String::new();
    for unit in &plan.units {
        match unit {
            Unit::Pad { offset, count } => {
                let _ = writeln!(
                    checks,
                    "    if (netorder_first_nonzero(in + {offset}, {count}) < {count})\n        \
                     return netorder_fail(err, NETORDER_ERR_PADDING,\n            \
                     {offset} + netorder_first_nonzero(in + {offset}, {count}), -1, \"\");"
                );
            }
            Unit::Field(f) => match f.kind {
                Kind::Bool => {
                    let ind = open_loop(&mut checks, f);
                    let _ = writeln!(
                        checks,
                        "{ind}if (in[{}] > 1)\n{ind}    \
                         return netorder_fail(err, NETORDER_ERR_BOOL, {}, {}, {});",
                        off_expr(f),
                        off_expr(f),
                        index_expr(f),
                        lit(&f.c_name)
                    );
                    close_loop(&mut checks, f);
                }
                Kind::Pascal if f.size > 0 => {
                    let (o, room) = (f.offset, (f.size - 1).min(255));
                    let rest = f.size - 1;
                    let name = lit(&f.c_name);
                    if room < 255 {
                        let _ = writeln!(
                            checks,
                            "    if (in[{o}] > {room})\n        \
                             return netorder_fail(err, NETORDER_ERR_PASCAL, {o}, {}, {name});",
                            f.first
                        );
                    }
                    if rest > 0 {
                        let _ = writeln!(
                            checks,
                            "    {{\n        \
                             size_t used = (size_t)1 + in[{o}];\n        \
                             size_t nz = netorder_first_nonzero(in + {o} + used, {} - used);\n        \
                             if (nz < {} - used)\n            \
                             return netorder_fail(err, NETORDER_ERR_PASCAL, {o} + used + nz, {}, {name});\n    \
                             }}",
                            f.size, f.size, f.first
                        );
                    }
                }
                _ => {}
            },
            Unit::Group { offset, size, bits } => {
                let needs: Vec<&Bit> = bits
                    .iter()
                    .filter(|b| match &b.what {
                        BitWhat::Pad => true,
                        BitWhat::Enum(v) => !covers_all(v, b.width),
                        _ => false,
                    })
                    .collect();
                if needs.is_empty() {
                    continue;
                }
                let _ = writeln!(checks, "    {{");
                if *size <= 8 {
                    let _ = writeln!(
                        checks,
                        "        uint64_t g = {};",
                        group_load(*offset, *size)
                    );
                }
                for b in needs {
                    let get = bit_get(b, *offset, *size, "in");
                    match &b.what {
                        BitWhat::Pad => {
                            let _ = writeln!(
                                checks,
                                "        if ({get} != 0)\n            \
                                 return netorder_fail(err, NETORDER_ERR_PADDING,\n                \
                                 {offset} + netorder_first_set_bit(in + {offset}, {}, {}), -1, \"\");",
                                b.start, b.width
                            );
                        }
                        BitWhat::Enum(variants) => {
                            let fail = format!(
                                "return netorder_fail(err, NETORDER_ERR_ENUM, {}, {}, {});",
                                offset + (b.start / 8) as usize,
                                b.index.unwrap_or(0),
                                lit(&b.c_name)
                            );
                            switch_variants(&mut checks, "        ", &get, variants, &fail);
                        }
                        _ => {}
                    }
                }
                let _ = writeln!(checks, "    }}");
            }
        }
    }
    if !checks.is_empty() {
        out.push_str("    /* Every check passes before *rec is written. */\n");
        out.push_str(&checks);
    }
    if !has_members(plan) {
        out.push_str("    (void)rec;\n");
    }
    if plan.size == 0 {
        out.push_str("    (void)in;\n");
    }
    // 2. Reads.
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                let m = member(f, "rec");
                let off = off_expr(f);
                match f.kind {
                    Kind::Bytes if f.size > 0 => {
                        let _ = writeln!(
                            out,
                            "    memcpy(rec->{}, in + {}, {});",
                            f.c_name, f.offset, f.size
                        );
                    }
                    Kind::Pascal if f.size > 0 => {
                        let _ = writeln!(out, "    rec->{}_len = in[{}];", f.c_name, f.offset);
                        if f.size > 1 {
                            let _ = writeln!(
                                out,
                                "    memcpy(rec->{}, in + {}, {});",
                                f.c_name,
                                f.offset + 1,
                                f.size - 1
                            );
                        }
                    }
                    Kind::Bytes | Kind::Pascal => {}
                    _ => {
                        let ind = open_loop(out, f);
                        let raw = load(plan.big, f.size, &off);
                        let value = match (f.kind, f.code) {
                            (Kind::Bool, _) => format!("{raw} == 1"),
                            (Kind::Half, _) => format!("netorder_half_to_double({raw})"),
                            (Kind::Single, _) => format!("netorder_f32_from_bits({raw})"),
                            (Kind::Double, _) => format!("netorder_f64_from_bits({raw})"),
                            (_, b'b' | b'h' | b'i' | b'l' | b'q') => format!(
                                "({})netorder_sext({raw}, {})",
                                c_type(f.kind, f.code),
                                f.size * 8
                            ),
                            (Kind::Char, _) | (_, b'B') => raw,
                            _ => raw,
                        };
                        let _ = writeln!(out, "{ind}{m} = {value};");
                        close_loop(out, f);
                    }
                }
            }
            Unit::Group {
                offset, size, bits, ..
            } => {
                let values: Vec<&Bit> = bits.iter().filter(|b| b.index.is_some()).collect();
                if values.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "    {{");
                if *size <= 8 {
                    let _ = writeln!(out, "        uint64_t g = {};", group_load(*offset, *size));
                }
                for b in values {
                    let get = bit_get(b, *offset, *size, "in");
                    let value = match b.what {
                        BitWhat::Bool => format!("{get} != 0"),
                        _ => format!("({}){get}", bit_type(b.width).1),
                    };
                    let _ = writeln!(out, "        rec->{} = {value};", b.c_name);
                }
                let _ = writeln!(out, "    }}");
            }
        }
    }
    out.push_str("    return NETORDER_OK;\n}\n");
}

/// Whether the struct has a member that encode and decode touch.
fn has_members(plan: &Plan) -> bool {
    plan.units.iter().any(|u| match u {
        Unit::Pad { .. } => false,
        Unit::Field(f) => f.size > 0,
        Unit::Group { bits, .. } => bits.iter().any(|b| b.index.is_some()),
    })
}

/// A bit group of `size` bytes (1 to 8) at `offset` as one big-endian number.
fn group_load(offset: usize, size: usize) -> String {
    match size {
        1 => format!("in[{offset}]"),
        2 | 4 | 8 => format!("netorder_load_be{}(in + {offset})", size * 8),
        _ => format!("netorder_load_be(in + {offset}, {size})"),
    }
}
