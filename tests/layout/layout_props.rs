//! Properties of `Layout` that hold for every format and every byte string.

use netorder::{ErrorKind, Layout, Value};
use proptest::prelude::*;

/// A valid format: a prefix and up to 10 items with optional counts.
fn format() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec!["", "@", "=", "<", ">", "!"]);
    let item = (
        prop::sample::select(b"xcbB?hHiIlLqQnNefdspP".to_vec()),
        prop::option::of(0usize..6),
        any::<bool>(),
    );
    (prefix, prop::collection::vec(item, 0..10)).prop_map(|(prefix, items)| {
        let native = prefix.is_empty() || prefix == "@";
        let mut fmt = prefix.to_owned();
        for (code, count, space) in items {
            if !native && b"nNP".contains(&code) {
                continue;
            }
            if space {
                fmt.push(' ');
            }
            if let Some(n) = count {
                fmt.push_str(&n.to_string());
            }
            fmt.push(code as char);
        }
        fmt
    })
}

/// A layout and bytes of exactly its size.
fn layout_and_bytes() -> impl Strategy<Value = (String, Layout, Vec<u8>)> {
    format().prop_flat_map(|fmt| {
        let layout = Layout::parse(&fmt).unwrap();
        let size = layout.size();
        (
            Just(fmt),
            Just(layout),
            prop::collection::vec(any::<u8>(), size),
        )
    })
}

/// What packing the unpacked values gives back: the bytes with padding zeroed, `?` as 0 or 1,
/// `p` with its length clamped and the bytes past it zeroed, NaNs as packing makes them (`e`
/// the canonical 0x7e00, `f` quieted by the f32-f64-f32 round trip).
fn normalized(layout: &Layout, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0; bytes.len()];
    let big = layout.endian() == netorder::Endian::Big;
    for f in layout.fields() {
        let src = &bytes[f.offset..f.offset + f.size];
        let dst = &mut out[f.offset..f.offset + f.size];
        dst.copy_from_slice(src);
        let read = |b: &[u8]| {
            let mut v = 0u64;
            for i in 0..b.len() {
                let byte = if big { b[i] } else { b[b.len() - 1 - i] };
                v = v << 8 | u64::from(byte);
            }
            v
        };
        let write = |dst: &mut [u8], v: u64| {
            let n = dst.len();
            for i in 0..n {
                let byte = (v >> (8 * (n - 1 - i))) as u8;
                dst[if big { i } else { n - 1 - i }] = byte;
            }
        };
        match f.code {
            '?' => dst[0] = u8::from(src[0] != 0),
            'p' if f.size > 0 => {
                let n = usize::from(src[0]).min(f.size - 1);
                dst[0] = n as u8;
                dst[1 + n..].fill(0);
            }
            'e' => {
                let h = read(src) as u16;
                if h & 0x7c00 == 0x7c00 && h & 0x3ff != 0 {
                    write(dst, u64::from((h & 0x8000) | 0x7e00));
                }
            }
            'f' => {
                let x = read(src) as u32;
                if f32::from_bits(x).is_nan() {
                    write(dst, u64::from(x | 0x0040_0000));
                }
            }
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn unpack_then_pack_gives_the_bytes_back((fmt, layout, bytes) in layout_and_bytes()) {
        let values = layout.unpack(&bytes).unwrap();
        prop_assert_eq!(values.len(), layout.value_count());
        let packed = layout.pack(&values).unwrap();
        prop_assert_eq!(packed, normalized(&layout, &bytes), "{}", fmt);
    }

    #[test]
    fn text_forms_round_trip((fmt, layout, bytes) in layout_and_bytes()) {
        // What `unpack` prints, `pack` reads back to the same bytes.
        let values = layout.unpack(&bytes).unwrap();
        let text: Vec<String> = values.iter().map(Value::to_string).collect();
        let again = layout.values_from_text(&text).unwrap();
        prop_assert_eq!(again.len(), values.len());
        for (a, b) in again.iter().zip(&values) {
            // NaN prints as `nan` whatever its sign and payload, as in Python.
            let same = match (a, b) {
                (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                _ => a == b,
            };
            prop_assert!(same, "{}: {:?} read back as {:?}", fmt, b, a);
        }
    }

    #[test]
    fn every_proper_prefix_is_incomplete((_fmt, layout, bytes) in layout_and_bytes()) {
        for cut in 0..bytes.len() {
            let err = layout.unpack(&bytes[..cut]).unwrap_err();
            prop_assert!(err.is_incomplete());
            prop_assert_eq!(
                err.kind(),
                &ErrorKind::Incomplete { offset: 0, needed: bytes.len(), available: cut }
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let err = layout.unpack(&longer).unwrap_err();
        prop_assert_eq!(err.kind(), &ErrorKind::TrailingBytes { offset: bytes.len(), remaining: 1 });
    }

    #[test]
    fn fields_tile_the_record(fmt in format()) {
        let layout = Layout::parse(&fmt).unwrap();
        let mut end = 0;
        for (i, f) in layout.fields().enumerate() {
            prop_assert_eq!(f.index, i);
            prop_assert!(f.offset >= end, "fields in order, not overlapping: {}", fmt);
            end = f.offset + f.size;
        }
        prop_assert!(end <= layout.size());
        prop_assert_eq!(layout.fields().count(), layout.value_count());
        let canonical = Layout::parse(&layout.struct_format()).unwrap();
        prop_assert_eq!(canonical.size(), layout.size());
        prop_assert_eq!(canonical.struct_format(), layout.struct_format());
        let a: Vec<_> = layout.fields().map(|f| (f.offset, f.size, f.code)).collect();
        let b: Vec<_> = canonical.fields().map(|f| (f.offset, f.size, f.code)).collect();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn parse_never_panics(fmt in "[ -~\t\n]{0,40}") {
        if let Ok(layout) = Layout::parse(&fmt) {
            prop_assert_eq!(Layout::parse(&layout.struct_format()).unwrap().size(), layout.size());
        } else {
            let err = Layout::parse(&fmt).unwrap_err();
            let is_bad_format = matches!(err.kind(), ErrorKind::BadFormat { position, .. } if *position <= fmt.len());
            prop_assert!(is_bad_format);
        }
    }

    #[test]
    fn float_text_round_trips(bits: u64) {
        let x = f64::from_bits(bits);
        let text = Value::Float(x).to_string();
        match Value::from_text(&text, 'd').unwrap() {
            Value::Float(y) => prop_assert!(y.to_bits() == x.to_bits() || (x.is_nan() && y.is_nan())),
            other => prop_assert!(false, "{text} read as {other:?}"),
        }
    }
}

#[test]
fn integer_boundaries_per_code() {
    // (format, min, max): 0, 1, max, max + 1 and the other end.
    let table: &[(&str, i128, i128)] = &[
        ("!b", -128, 127),
        ("!B", 0, 255),
        ("!h", -32768, 32767),
        ("!H", 0, 65535),
        ("!i", i32::MIN.into(), i32::MAX.into()),
        ("!I", 0, u32::MAX.into()),
        ("!l", i32::MIN.into(), i32::MAX.into()),
        ("@l", i64::MIN.into(), i64::MAX.into()),
        ("<L", 0, u32::MAX.into()),
        ("@L", 0, u64::MAX.into()),
        ("!q", i64::MIN.into(), i64::MAX.into()),
        ("!Q", 0, u64::MAX.into()),
        ("@n", i64::MIN.into(), i64::MAX.into()),
        ("@N", 0, u64::MAX.into()),
        ("@P", i64::MIN.into(), u64::MAX.into()),
    ];
    for &(fmt, min, max) in table {
        let layout = Layout::parse(fmt).unwrap();
        for v in [0, 1, min, max] {
            let bytes = layout.pack(&[Value::Int(v)]).unwrap();
            let back = layout.unpack(&bytes).unwrap();
            // `P` unpacks unsigned.
            let expected = if fmt == "@P" && v < 0 {
                v + (1i128 << 64)
            } else {
                v
            };
            assert_eq!(back, [Value::Int(expected)], "{fmt} {v}");
        }
        for v in [min - 1, max + 1] {
            let err = layout.pack(&[Value::Int(v)]).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::OutOfRange { value: v, min, max },
                "{fmt}"
            );
            assert_eq!(err.field(), Some(format!("0 ('{}')", &fmt[1..]).as_str()));
        }
    }
}

#[test]
fn float_boundaries_per_code() {
    let e = Layout::parse("!e").unwrap();
    assert_eq!(e.pack(&[Value::Float(65504.0)]).unwrap(), [0x7b, 0xff]);
    assert_eq!(e.pack(&[Value::Float(65519.99)]).unwrap(), [0x7b, 0xff]);
    assert_eq!(
        e.pack(&[Value::Float(65520.0)]).unwrap_err().kind(),
        &ErrorKind::FloatOutOfRange {
            value: 65520.0,
            max: 65504.0
        }
    );
    assert_eq!(e.pack(&[Value::Float(f64::INFINITY)]).unwrap(), [0x7c, 0]);
    assert_eq!(e.pack(&[Value::Int(1)]).unwrap(), [0x3c, 0]);

    let f = Layout::parse("<f").unwrap();
    let max = f64::from(f32::MAX);
    assert_eq!(
        f.pack(&[Value::Float(max)]).unwrap(),
        f32::MAX.to_le_bytes()
    );
    // Halfway between f32::MAX and 2^128 rounds to even, past f32::MAX: refused; the double
    // just below it still rounds to f32::MAX.
    let tie: f64 = 3.4028235677973366e38;
    let below = f64::from_bits(tie.to_bits() - 1);
    assert_eq!(
        f.pack(&[Value::Float(below)]).unwrap(),
        f32::MAX.to_le_bytes()
    );
    assert_eq!(
        f.pack(&[Value::Float(tie)]).unwrap_err().kind(),
        &ErrorKind::FloatOutOfRange { value: tie, max }
    );
    // Native `@f` is a plain cast in CPython: no overflow check.
    let native = Layout::parse("@f").unwrap();
    assert_eq!(
        native.pack(&[Value::Float(1e300)]).unwrap(),
        f32::INFINITY.to_ne_bytes()
    );
    assert_eq!(
        f.pack(&[Value::Float(f64::NAN)]).unwrap(),
        [0, 0, 0xc0, 0x7f]
    );
}

#[test]
fn byte_strings_pad_truncate_and_pascal() {
    let s = Layout::parse("!4s").unwrap();
    assert_eq!(s.pack(&[Value::Bytes(b"ab".to_vec())]).unwrap(), b"ab\0\0");
    assert_eq!(
        s.pack(&[Value::Bytes(b"abcdef".to_vec())]).unwrap(),
        b"abcd"
    );
    let p = Layout::parse("!4p").unwrap();
    assert_eq!(
        p.pack(&[Value::Bytes(b"ab".to_vec())]).unwrap(),
        b"\x02ab\0"
    );
    assert_eq!(
        p.pack(&[Value::Bytes(b"abcdef".to_vec())]).unwrap(),
        b"\x03abc"
    );
    assert_eq!(
        p.unpack(b"\x09abc").unwrap(),
        [Value::Bytes(b"abc".to_vec())]
    );
    let long = Layout::parse("!300p").unwrap();
    let packed = long.pack(&[Value::Bytes(vec![7; 299])]).unwrap();
    assert_eq!(packed[0], 255, "the length byte saturates at 255");
    assert_eq!(long.unpack(&packed).unwrap(), [Value::Bytes(vec![7; 255])]);
    let c = Layout::parse("c").unwrap();
    let err = c.pack(&[Value::Bytes(b"ab".to_vec())]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TypeMismatch {
            expected: "a byte string of length 1",
            found: "a byte string of length 2".into()
        }
    );
    let err = s.pack(&[Value::Int(1)]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TypeMismatch {
            expected: "a byte string",
            found: "an integer".into()
        }
    );
}

#[test]
fn bool_truthiness() {
    let b = Layout::parse("?").unwrap();
    for (v, byte) in [
        (Value::Int(0), 0),
        (Value::Int(-3), 1),
        (Value::Float(0.0), 0),
        (Value::Float(f64::NAN), 1),
        (Value::Bytes(vec![]), 0),
        (Value::Bytes(vec![0]), 1),
        (Value::Bool(true), 1),
    ] {
        assert_eq!(b.pack(std::slice::from_ref(&v)).unwrap(), [byte], "{v:?}");
    }
    assert_eq!(b.unpack(&[0x80]).unwrap(), [Value::Bool(true)]);
}

#[test]
fn huge_formats_cost_nothing_until_packed() {
    let layout = Layout::parse("99999999999q").unwrap();
    assert_eq!(layout.size(), 799_999_999_992);
    assert_eq!(layout.value_count(), 99_999_999_999);
    assert_eq!(layout.struct_format(), "@99999999999q");
    assert_eq!(
        layout.pack(&[]).unwrap_err().kind(),
        &ErrorKind::ValueCount {
            expected: 99_999_999_999,
            received: 0
        }
    );
    let big = Layout::parse("99999999999s").unwrap();
    assert_eq!(
        big.pack(&[Value::Bytes(vec![])]).unwrap_err().kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 99_999_999_999,
            limit: Layout::MAX_PACKED_SIZE as u64
        }
    );
    assert!(matches!(
        big.unpack(&[0; 10]).unwrap_err().kind(),
        ErrorKind::Incomplete {
            needed: 99_999_999_999,
            ..
        }
    ));
}
