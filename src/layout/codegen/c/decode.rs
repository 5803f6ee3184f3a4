//! The generated `decode` function: bytes to values at explicit offsets, strictly (bools 0/1,
//! enum values, padding, exact length).

use super::*;

pub(super) fn decode(plan: &Plan, out: &mut String) {
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
