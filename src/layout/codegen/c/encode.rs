//! The generated `encode` function: values to bytes at explicit offsets, refusing what does
//! not fit.

use super::*;

pub(super) fn encode(plan: &Plan, out: &mut String) {
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
