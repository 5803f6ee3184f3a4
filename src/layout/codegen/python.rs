//! The Python module: `struct` for whole bytes, shifts for bit fields, a dataclass.

use super::{Bit, BitWhat, Field, Plan, Unit, upper_snake};
use crate::layout::parse::Kind;
use crate::prelude::*;
use core::fmt::Write as _;

/// The private helpers every module has (the record's own code follows them).
const HELPERS: &str = r#"

class Error(ValueError):
    """A value that pack refuses, or bytes that unpack refuses.

    reason: 'count', 'type', 'range', 'float_range', 'enum' (pack), or 'short', 'trailing',
    'bool', 'enum', 'padding', 'pascal' (unpack). field: the field's name, index: its
    position among the values, offset: its byte (the first bad byte when unpacking); None
    where there is none (padding, lengths, the count of values).
    """

    def __init__(self, reason, message, field=None, index=None, offset=None):
        where = []
        if field is not None:
            where.append(f'field {field!r} (value {index})')
        if offset is not None:
            where.append(f'at byte {offset}')
        super().__init__(f"{' '.join(where)}: {message}" if where else message)
        self.reason = reason
        self.field = field
        self.index = index
        self.offset = offset


class _Bad(Exception):
    """A value the fast path cannot pack; _check says which and why."""


def _uint(v, hi):
    n = operator.index(v)
    if n < 0 or n > hi:
        raise _Bad
    return n


def _enum(v, hi, allowed):
    n = _uint(v, hi)
    if n not in allowed:
        raise _Bad
    return n


def _pascal(v, size):
    # As struct packs 'p': at most size - 1 bytes, the length byte at most 255.
    if not isinstance(v, (bytes, bytearray)):
        raise _Bad
    if size == 0:
        return b''
    n = min(len(v), size - 1)
    return bytes((min(n, 255),)) + bytes(v[:n])


def _type_name(v):
    return type(v).__name__


def _int(v, lo, hi, field, index, offset):
    try:
        n = operator.index(v)
    except TypeError:
        raise Error('type', f'an integer is required, not {_type_name(v)}', field, index,
                    offset) from None
    if n < lo or n > hi:
        raise Error('range', f'{n} is out of range {lo}..{hi}', field, index, offset)


def _bits(v, width, allowed, field, index, offset):
    try:
        n = operator.index(v)
    except TypeError:
        raise Error('type', f'an integer is required, not {_type_name(v)}', field, index,
                    offset) from None
    if n < 0 or n >> width:
        raise Error('range', f'{n} does not fit {width} bits (0..{(1 << width) - 1})', field,
                    index, offset)
    if allowed is not None and n not in allowed:
        raise Error('enum', f'{n} is no variant of the field', field, index, offset)


def _float(v, fmt, field, index, offset):
    try:
        # struct reports an int too large for the field as struct.error: as a float, it is
        # an OverflowError like any other.
        struct.pack(fmt, float(v) if isinstance(v, int) else v)
    except OverflowError:
        raise Error('float_range', f'{v!r} is too large for the field', field, index,
                    offset) from None
    except (struct.error, TypeError):
        raise Error('type', f'a float is required, not {_type_name(v)}', field, index,
                    offset) from None


def _byte_string(v, length, field, index, offset):
    if not isinstance(v, (bytes, bytearray)) or (length is not None and len(v) != length):
        what = 'a bytes object' if length is None else f'a bytes object of length {length}'
        raise Error('type', f'{what} is required, not {_type_name(v)}', field, index, offset)


def _length(n):
    if n < SIZE:
        return Error('short', f'{n} bytes, the record takes {SIZE}', offset=0)
    return Error('trailing', f'{n} bytes, the record takes {SIZE}', offset=SIZE)


def _padding(raw, offset):
    i = next(i for i, b in enumerate(raw) if b)
    return Error('padding', f'padding byte {raw[i]:#04x} is not zero', offset=offset + i)


def _padding_bits(g, mask, size, offset):
    # The byte of the first (most significant) padding bit that is set.
    at = (size * 8 - (g & mask).bit_length()) // 8
    byte = g >> (8 * (size - 1 - at)) & 0xFF
    return Error('padding', f'padding bits in byte {byte:#04x} are not zero',
                 offset=offset + at)


def _unpascal(raw, field, index, offset):
    n = raw[0]
    room = min(len(raw) - 1, 255)
    if n > room:
        raise Error('pascal', f'length {n} is more than the field holds ({room})', field, index,
                    offset)
    for i in range(1 + n, len(raw)):
        if raw[i]:
            raise Error('pascal', f'byte {raw[i]:#04x} after the string is not zero', field,
                        index, offset + i)
    return raw[1:1 + n]
"#;

/// A Python string literal of ASCII text.
fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The `struct` code a field is packed with (`x` never: padding is written by the format).
fn code_of(f: &Field) -> char {
    f.code as char
}

/// A group of `size` bytes as a `struct` code: `B H I Q`, or `Ns` for other sizes.
fn group_code(size: usize) -> String {
    match size {
        1 => "B".into(),
        2 => "H".into(),
        4 => "I".into(),
        8 => "Q".into(),
        n => format!("{n}s"),
    }
}

fn mask(width: u32) -> u128 {
    (1u128 << width) - 1
}

/// The bits of `b` in a group of `size` bytes held in `g`.
fn bit_expr(g: &str, b: &Bit, size: usize) -> String {
    let shift = size as u32 * 8 - b.start - b.width;
    let m = mask(b.width);
    if shift == 0 {
        format!("({g} & {m:#x})")
    } else {
        format!("({g} >> {shift} & {m:#x})")
    }
}

/// A tuple literal of `items` (with the trailing comma of a one-tuple).
fn tuple(items: &[String]) -> String {
    match items.len() {
        0 => "()".into(),
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

/// Writes `items` as the lines of a call's arguments or a tuple's elements, `indent` deep.
fn lines(out: &mut String, items: &[String], indent: &str) {
    for item in items {
        let _ = writeln!(out, "{indent}{item},");
    }
}

/// The module for `plan`.
pub(crate) fn module(plan: &Plan) -> String {
    let mut out = String::new();
    let n = &plan.name;
    let prefix = if plan.big { '!' } else { '<' };
    let fields = plan.py_fields();
    let _ = writeln!(
        out,
        "\"\"\"{}: generated by netorder {} (`netorder gen python`) from the layout\n",
        n.snake,
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "    {}\n", plan.format.replace('\\', "\\\\"));
    let _ = writeln!(
        out,
        "Do not edit: generate it again. Standard library only (struct, dataclasses, operator).\n\
         \n\
         SIZE, FORMAT and FIELDS; pack(*values) -> bytes and unpack(data) -> tuple, the values in\n\
         field order as struct.pack and struct.unpack take and give them; {camel}, a dataclass of\n\
         them; Error, the ValueError both raise, naming the field and the byte offset. unpack is\n\
         strict: exactly SIZE bytes, bools 0 or 1, enum values checked, padding zero, Pascal\n\
         strings as pack writes them.\n\"\"\"\n",
        camel = n.camel
    );
    out.push_str("import dataclasses\nimport operator\nimport struct\n\n");
    let _ = writeln!(out, "SIZE = {}", plan.size);
    let _ = writeln!(out, "FORMAT = {}", py_str(&plan.format));
    let quoted: Vec<String> = fields.iter().map(|f| py_str(f)).collect();
    let _ = writeln!(out, "FIELDS = {}", tuple(&quoted));
    // Enum values.
    for unit in &plan.units {
        if let Unit::Group { bits, .. } = unit {
            for b in bits {
                if let (BitWhat::Enum(variants), Some(index)) = (&b.what, b.index) {
                    out.push('\n');
                    for (name, value) in variants {
                        let _ = writeln!(
                            out,
                            "{}_{} = {value}",
                            b.py_name.to_ascii_uppercase(),
                            upper_snake(name)
                        );
                    }
                    let values: Vec<String> = variants.iter().map(|(_, v)| v.to_string()).collect();
                    let _ = writeln!(out, "_ENUM_{index} = frozenset({})", tuple(&values));
                }
            }
        }
    }
    out.push_str(HELPERS);
    pack(plan, prefix, &mut out);
    check(plan, prefix, &mut out);
    unpack(plan, prefix, &mut out);
    dataclass(plan, &fields, &mut out);
    out
}

fn pack(plan: &Plan, prefix: char, out: &mut String) {
    let mut fmt = String::from(prefix);
    let mut args: Vec<String> = Vec::new();
    for unit in &plan.units {
        match unit {
            Unit::Pad { count, .. } => {
                let _ = write!(fmt, "{count}x");
            }
            Unit::Field(f) => match f.kind {
                Kind::Bytes => {
                    let _ = write!(fmt, "{}s", f.size);
                    args.push(format!("values[{}]", f.first));
                }
                Kind::Pascal => {
                    let _ = write!(fmt, "{}s", f.size);
                    args.push(format!("_pascal(values[{}], {})", f.first, f.size));
                }
                _ => {
                    if f.count > 1 {
                        let _ = write!(fmt, "{}", f.count);
                    }
                    fmt.push(code_of(f));
                    args.extend((0..f.count).map(|k| format!("values[{}]", f.first + k)));
                }
            },
            Unit::Group { size, bits, .. } => {
                fmt.push_str(&group_code(*size));
                let terms: Vec<String> = bits
                    .iter()
                    .filter_map(|b| {
                        let index = b.index?;
                        let hi = mask(b.width);
                        let v = match &b.what {
                            BitWhat::Enum(_) => {
                                format!("_enum(values[{index}], {hi:#x}, _ENUM_{index})")
                            }
                            _ => format!("_uint(values[{index}], {hi:#x})"),
                        };
                        let shift = *size as u32 * 8 - b.start - b.width;
                        Some(if shift == 0 {
                            v
                        } else {
                            format!("{v} << {shift}")
                        })
                    })
                    .collect();
                let value = if terms.is_empty() {
                    "0".to_owned()
                } else {
                    terms.join("\n            | ")
                };
                args.push(match size {
                    1 | 2 | 4 | 8 => value,
                    _ => format!("({value}).to_bytes({size}, 'big')"),
                });
            }
        }
    }
    let _ = writeln!(out, "\n\n_PACK = struct.Struct({})\n\n", py_str(&fmt));
    let _ = writeln!(
        out,
        "def pack(*values):\n    \
         \"\"\"The values in field order, as struct.pack takes them, to SIZE bytes.\"\"\"\n    \
         if len(values) != {n}:\n        \
         raise Error('count', f'pack takes {n} values, received {{len(values)}}')\n    \
         try:\n        \
         return _PACK.pack(",
        n = plan.values
    );
    lines(out, &args, "            ");
    out.push_str(
        "        )\n    \
         except (_Bad, struct.error, OverflowError, TypeError):\n        \
         _check(values)\n        \
         raise\n",
    );
}

/// `_check(values)`: the first value `pack` refuses, as an `Error`.
fn check(plan: &Plan, prefix: char, out: &mut String) {
    out.push_str(
        "\n\ndef _check(values):\n    \"\"\"Raises Error for the first value pack refuses.\"\"\"\n",
    );
    let mut body = String::new();
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                for k in 0..f.count {
                    let index = f.first + k;
                    let v = format!("values[{index}]");
                    let name = py_str(&f.py_names[k]);
                    let offset = f.offset + k * f.size;
                    let args = format!("{name}, {index}, {offset}");
                    match (f.kind, f.code) {
                        (Kind::Int { signed }, _) => {
                            let bits = 8 * f.size as u32;
                            let (lo, hi) = if signed {
                                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
                            } else {
                                (0, (1i128 << bits) - 1)
                            };
                            let _ = writeln!(body, "    _int({v}, {lo}, {hi}, {args})");
                        }
                        (Kind::Half | Kind::Single | Kind::Double, code) => {
                            let fmt = format!("{prefix}{}", code as char);
                            let _ = writeln!(body, "    _float({v}, {}, {args})", py_str(&fmt));
                        }
                        (Kind::Char, _) => {
                            let _ = writeln!(body, "    _byte_string({v}, 1, {args})");
                        }
                        (Kind::Bytes | Kind::Pascal, _) => {
                            let _ = writeln!(body, "    _byte_string({v}, None, {args})");
                        }
                        _ => {}
                    }
                }
            }
            Unit::Group { offset, bits, .. } => {
                for b in bits {
                    let Some(index) = b.index else { continue };
                    let allowed = match b.what {
                        BitWhat::Enum(_) => format!("_ENUM_{index}"),
                        _ => "None".into(),
                    };
                    let _ = writeln!(
                        body,
                        "    _bits(values[{index}], {}, {allowed}, {}, {index}, {})",
                        b.width,
                        py_str(&b.py_name),
                        offset + (b.start / 8) as usize
                    );
                }
            }
        }
    }
    if body.is_empty() {
        body.push_str("    pass\n");
    }
    out.push_str(&body);
}

fn unpack(plan: &Plan, prefix: char, out: &mut String) {
    let mut fmt = String::from(prefix);
    let mut checks = String::new();
    let mut values: Vec<String> = Vec::new();
    let mut k = 0usize; // the next raw value
    for unit in &plan.units {
        match unit {
            Unit::Pad { offset, count } => {
                let _ = write!(fmt, "{count}s");
                let _ = writeln!(
                    checks,
                    "    if any(r[{k}]):\n        raise _padding(r[{k}], {offset})"
                );
                k += 1;
            }
            Unit::Field(f) => match f.kind {
                Kind::Bytes => {
                    let _ = write!(fmt, "{}s", f.size);
                    values.push(format!("r[{k}]"));
                    k += 1;
                }
                Kind::Pascal => {
                    let _ = write!(fmt, "{}s", f.size);
                    if f.size == 0 {
                        values.push("b''".into());
                    } else {
                        let _ = writeln!(
                            checks,
                            "    p{} = _unpascal(r[{k}], {}, {}, {})",
                            f.first,
                            py_str(&f.py_names[0]),
                            f.first,
                            f.offset
                        );
                        values.push(format!("p{}", f.first));
                    }
                    k += 1;
                }
                Kind::Bool => {
                    if f.count > 1 {
                        let _ = write!(fmt, "{}", f.count);
                    }
                    fmt.push('B');
                    for j in 0..f.count {
                        let _ = writeln!(
                            checks,
                            "    if r[{k}] > 1:\n        \
                             raise Error('bool', f'byte {{r[{k}]:#04x}} is not 0 or 1', {}, {}, {})",
                            py_str(&f.py_names[j]),
                            f.first + j,
                            f.offset + j
                        );
                        values.push(format!("r[{k}] == 1"));
                        k += 1;
                    }
                }
                _ => {
                    if f.count > 1 {
                        let _ = write!(fmt, "{}", f.count);
                    }
                    fmt.push(code_of(f));
                    for _ in 0..f.count {
                        values.push(format!("r[{k}]"));
                        k += 1;
                    }
                }
            },
            Unit::Group { offset, size, bits } => {
                fmt.push_str(&group_code(*size));
                let g = format!("g{k}");
                let load = match size {
                    1 | 2 | 4 | 8 => format!("r[{k}]"),
                    _ => format!("int.from_bytes(r[{k}], 'big')"),
                };
                let _ = writeln!(checks, "    {g} = {load}");
                for b in bits {
                    let expr = bit_expr(&g, b, *size);
                    match (&b.what, b.index) {
                        (BitWhat::Pad, _) => {
                            // One check per padding run, in field order.
                            // The mask as Python writes it: a group may be wider than
                            // any Rust integer.
                            let shift = *size as u64 * 8 - u64::from(b.start + b.width);
                            let run = match shift {
                                0 => format!("{:#x}", mask(b.width)),
                                s => format!("({:#x} << {s})", mask(b.width)),
                            };
                            let _ = writeln!(
                                checks,
                                "    if {g} & {run}:\n        \
                                 raise _padding_bits({g}, {run}, {size}, {offset})"
                            );
                        }
                        (BitWhat::Enum(_), Some(index)) => {
                            let _ = writeln!(
                                checks,
                                "    if {expr} not in _ENUM_{index}:\n        \
                                 raise Error('enum', f'{{{expr}}} is no variant of the field', \
                                 {}, {index}, {})",
                                py_str(&b.py_name),
                                offset + (b.start / 8) as usize
                            );
                            values.push(expr);
                        }
                        (BitWhat::Bool, _) => values.push(format!("{expr} == 1")),
                        _ => values.push(expr),
                    }
                }
                k += 1;
            }
        }
    }
    let _ = writeln!(out, "\n\n_UNPACK = struct.Struct({})\n\n", py_str(&fmt));
    out.push_str(
        "def unpack(data):\n    \
         \"\"\"Exactly SIZE bytes to the values in field order, as struct.unpack gives them.\"\"\"\n    \
         if len(data) != SIZE:\n        \
         raise _length(len(data))\n",
    );
    if k > 0 {
        out.push_str("    r = _UNPACK.unpack(data)\n");
    }
    out.push_str(&checks);
    if values.is_empty() {
        out.push_str("    return ()\n");
    } else {
        out.push_str("    return (\n");
        lines(out, &values, "        ");
        out.push_str("    )\n");
    }
}

fn dataclass(plan: &Plan, fields: &[&str], out: &mut String) {
    let camel = &plan.name.camel;
    let _ = writeln!(
        out,
        "\n\n@dataclasses.dataclass\nclass {camel}:\n    \
         \"\"\"One record: to_bytes() packs it, {camel}.from_bytes(data) unpacks one.\"\"\"\n"
    );
    let mut i = 0;
    for unit in &plan.units {
        match unit {
            Unit::Pad { .. } => {}
            Unit::Field(f) => {
                let (ty, default) = match f.kind {
                    Kind::Bool => ("bool", "False"),
                    Kind::Half | Kind::Single | Kind::Double => ("float", "0.0"),
                    Kind::Char => ("bytes", "b'\\x00'"),
                    Kind::Bytes | Kind::Pascal => ("bytes", "b''"),
                    _ => ("int", "0"),
                };
                for _ in 0..f.count {
                    let _ = writeln!(out, "    {}: {ty} = {default}", fields[i]);
                    i += 1;
                }
            }
            Unit::Group { bits, .. } => {
                for b in bits.iter().filter(|b| b.index.is_some()) {
                    let (ty, default) = match b.what {
                        BitWhat::Bool => ("bool", "False"),
                        _ => ("int", "0"),
                    };
                    let _ = writeln!(out, "    {}: {ty} = {default}", fields[i]);
                    i += 1;
                }
            }
        }
    }
    let args: Vec<String> = fields.iter().map(|f| format!("self.{f}")).collect();
    out.push_str("\n    def to_bytes(self) -> bytes:\n        return pack(\n");
    lines(out, &args, "            ");
    let _ = writeln!(
        out,
        "        )\n\n    \
         @classmethod\n    \
         def from_bytes(cls, data) -> '{camel}':\n        \
         return cls(*unpack(data))"
    );
}
