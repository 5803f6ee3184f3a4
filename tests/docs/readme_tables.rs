//! The README's "Choosing an encoding" table is true: it is recomputed here from
//! `IntEncoding::encoded_len` and must appear in README.md exactly as generated.
//!
//! Each cell is the smallest and largest encoded length over the row's range. Every length
//! function is a step function of the magnitude, so the extremes are at the range's ends; that
//! is checked too, against every power-of-two and power-of-ten boundary inside the range and
//! a deterministic sample of 10 000 values per row.

use netorder::{Endian, IntEncoding};

/// The rows: a label and the range, as `i128` so that negative `i64` and all of `u64` fit.
const ROWS: &[(&str, i128, i128)] = &[
    ("`0..=127`", 0, 127),
    ("`128..=16_383`", 128, 16_383),
    ("`16_384..=u32::MAX`", 16_384, u32::MAX as i128),
    (
        "`u32::MAX + 1..=u64::MAX`",
        u32::MAX as i128 + 1,
        u64::MAX as i128,
    ),
    ("`-64..=-1`", -64, -1),
    ("`-8_192..=-65`", -8_192, -65),
];

/// The columns: a header and the encoding.
fn columns() -> Vec<(&'static str, IntEncoding)> {
    let fixed = |width| IntEncoding::Fixed {
        width,
        endian: Endian::Big,
    };
    vec![
        ("fixed 2", fixed(2)),
        ("fixed 4", fixed(4)),
        ("fixed 8", fixed(8)),
        ("varint", IntEncoding::Varint),
        ("zigzag", IntEncoding::ZigZag),
        ("ASCII + `\\n`", IntEncoding::Ascii { terminator: b'\n' }),
    ]
}

/// The `u64` an encoding is given for `v`: the value itself, or a negative `i64`'s bit pattern.
fn wire(v: i128) -> u64 {
    if v < 0 { v as i64 as u64 } else { v as u64 }
}

/// Whether `v` belongs in a column at all: zigzag is for signed values, so an unsigned value
/// above `i64::MAX` (whose bit pattern is a negative `i64`) is not one of its values.
fn applies(enc: IntEncoding, v: i128) -> bool {
    enc != IntEncoding::ZigZag || v <= i128::from(i64::MAX)
}

/// Boundaries and a deterministic sample inside `lo..=hi`, ends included.
fn sample(lo: i128, hi: i128) -> Vec<i128> {
    let mut points = vec![lo, hi];
    let powers = (0..=64)
        .map(|k| 1i128 << k)
        .chain((0..=20).map(|k| 10i128.pow(k)));
    for p in powers {
        for q in [p - 1, p, p + 1, -p - 1, -p, -p + 1] {
            if (lo..=hi).contains(&q) {
                points.push(q);
            }
        }
    }
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let span = (hi - lo) as u128 + 1;
    for _ in 0..10_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        points.push(lo + (u128::from(x) % span) as i128);
    }
    points
}

/// `"n"`, `"lo–hi"`, or `"—"` where no value of the row fits the encoding.
fn cell(enc: IntEncoding, lo: i128, hi: i128) -> String {
    let ends: Vec<i128> = [
        lo,
        hi.min(if enc == IntEncoding::ZigZag {
            i128::from(i64::MAX)
        } else {
            hi
        }),
    ]
    .into_iter()
    .filter(|&v| applies(enc, v) && (lo..=hi).contains(&v))
    .collect();
    let lens: Vec<Option<usize>> = ends.iter().map(|&v| enc.encoded_len(wire(v))).collect();
    if lens.iter().any(Option::is_none) || lens.is_empty() {
        // Some end does not fit: then no value of the row may be claimed to fit either
        // (a fixed width holds a prefix of the unsigned values, and no negative one).
        assert!(
            lens.iter().all(Option::is_none) || lo >= 0,
            "partly fitting negative row"
        );
        return "—".into();
    }
    let (min, max) = lens
        .iter()
        .flatten()
        .fold((usize::MAX, 0), |(a, b), &n| (a.min(n), b.max(n)));
    // The extremes are at the ends: nothing inside the range is shorter or longer.
    for v in sample(lo, hi) {
        if applies(enc, v) {
            let n = enc.encoded_len(wire(v)).expect("fits, as both ends do");
            assert!(
                (min..=max).contains(&n),
                "{enc:?} {v}: {n} outside {min}..={max}"
            );
        }
    }
    if min == max {
        min.to_string()
    } else {
        format!("{min}–{max}")
    }
}

fn table() -> String {
    let cols = columns();
    let mut out = String::from("| values |");
    for (name, _) in &cols {
        out += &format!(" {name} |");
    }
    out += "\n|---|";
    out += &"---|".repeat(cols.len());
    out += "\n";
    for &(label, lo, hi) in ROWS {
        out += &format!("| {label} |");
        for &(_, enc) in &cols {
            out += &format!(" {} |", cell(enc, lo, hi));
        }
        out += "\n";
    }
    out
}

#[test]
fn choosing_an_encoding_table_matches_encoded_len() {
    let readme = include_str!("../../README.md");
    let table = table();
    assert!(
        readme.contains(&table),
        "README.md's \"Choosing an encoding\" table is out of date; it should read:\n\n{table}"
    );
}

#[test]
fn table_cells_are_what_the_encoders_write() {
    // Independent of encoded_len: a few cells by encoding and counting bytes.
    let mut out = Vec::new();
    for (enc, v, len) in [
        (IntEncoding::Varint, 127u64, 1usize),
        (IntEncoding::Varint, 128, 2),
        (IntEncoding::Varint, 16_383, 2),
        (IntEncoding::Varint, 16_384, 3),
        (IntEncoding::Varint, u64::from(u32::MAX), 5),
        (IntEncoding::Varint, u64::MAX, 10),
        (IntEncoding::Varint, -1i64 as u64, 10),
        (IntEncoding::ZigZag, -1i64 as u64, 1),
        (IntEncoding::ZigZag, -64i64 as u64, 1),
        (IntEncoding::ZigZag, -65i64 as u64, 2),
        (IntEncoding::ZigZag, 64, 2),
        (IntEncoding::ZigZag, i64::MAX as u64, 10),
        (IntEncoding::Ascii { terminator: b'\n' }, 0, 2),
        (IntEncoding::Ascii { terminator: b'\n' }, u64::MAX, 21),
    ] {
        out.clear();
        assert_eq!(enc.encode(v, &mut out).unwrap(), len, "{enc:?} {v}");
        assert_eq!(out.len(), len);
    }
}
