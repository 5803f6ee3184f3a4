//! Cross-checks of the default record format against bincode 2
//! (`standard().with_big_endian().with_fixed_int_encoding()`) and Python's `struct` (`!`).
//!
//! For every shape: our bytes == bincode's bytes; bincode's bytes decode with netorder to the
//! same value, ours decode with bincode to the same value; every proper prefix is
//! `Incomplete`; a fixed-size type's `record_size` equals the length of every value's bytes.

use netorder_support as common;

use proptest::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::collections::BTreeMap;
use std::fmt::Debug;

fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding()
}

/// Value equality through `Debug` (so that NaN equals NaN and -0.0 differs from 0.0).
fn same<T: Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn check<T>(v: &T) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + Debug,
{
    let ours = netorder::to_vec(v).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let theirs = bincode::serde::encode_to_vec(v, bincode_config()).unwrap();
    prop_assert_eq!(&ours, &theirs, "encodings differ for {:?}", v);

    // bincode bytes → netorder value; netorder bytes → bincode value.
    let back: T = netorder::from_bytes(&theirs).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        same(&back, v),
        "netorder decoded {:?}, expected {:?}",
        back,
        v
    );
    let (theirs_back, used): (T, usize) =
        bincode::serde::decode_from_slice(&ours, bincode_config()).unwrap();
    prop_assert_eq!(used, ours.len());
    prop_assert!(same(&theirs_back, v));
    // And the round trip is byte-exact.
    prop_assert_eq!(netorder::to_vec(&back).unwrap(), ours.clone());

    // to_slice agrees and reports the whole size when the buffer is short.
    let mut buf = vec![0u8; ours.len()];
    prop_assert_eq!(netorder::to_slice(v, &mut buf).unwrap(), ours.len());
    prop_assert_eq!(&buf, &ours);
    if !ours.is_empty() {
        let err = netorder::to_slice(v, &mut buf[..ours.len() - 1]).unwrap_err();
        prop_assert_eq!(
            err.kind(),
            &netorder::ErrorKind::BufferTooSmall {
                needed: ours.len(),
                available: ours.len() - 1
            }
        );
    }

    // Every proper prefix is incomplete, never garbage, never a panic.
    for cut in 0..ours.len() {
        match netorder::from_bytes::<T>(&ours[..cut]) {
            Err(e) => prop_assert!(e.is_incomplete(), "prefix {} of {:?}: {}", cut, ours, e),
            Ok(x) => prop_assert!(false, "prefix {} decoded to {:?}", cut, x),
        }
    }
    // One trailing byte is an error with the numbers.
    let mut longer = ours.clone();
    longer.push(0);
    let err = netorder::from_bytes::<T>(&longer).unwrap_err();
    prop_assert_eq!(
        err.kind(),
        &netorder::ErrorKind::TrailingBytes {
            offset: ours.len(),
            remaining: 1
        }
    );

    // A fixed-size type's size is that of every value.
    if let Ok(n) = netorder::record_size::<T>() {
        prop_assert_eq!(n, ours.len());
    }
    Ok(())
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Prims {
    a: u8,
    b: u16,
    c: u32,
    d: u64,
    e: u128,
    f: i8,
    g: i16,
    h: i32,
    i: i64,
    j: i128,
    k: usize,
    l: isize,
    m: f32,
    n: f64,
    o: bool,
}

prop_compose! {
    fn prims()(a: u8, b: u16, c: u32, d: u64, e: u128, f: i8, g: i16, h: i32, i: i64, j: i128,
               k: usize, l: isize, m: f32, n: f64, o: bool) -> Prims {
        Prims { a, b, c, d, e, f, g, h, i, j, k, l, m, n, o }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Inner {
    x: i16,
    flag: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Outer {
    head: Inner,
    pair: [Inner; 2],
    tail: u16,
}

fn inner() -> impl Strategy<Value = Inner> {
    (any::<i16>(), any::<bool>()).prop_map(|(x, flag)| Inner { x, flag })
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Every {
    Unit,
    Newtype(u32),
    Tuple(i8, String),
    Struct { a: bool, b: Option<u16> },
}

fn every() -> impl Strategy<Value = Every> {
    prop_oneof![
        Just(Every::Unit),
        any::<u32>().prop_map(Every::Newtype),
        (any::<i8>(), ".{0,8}").prop_map(|(a, s)| Every::Tuple(a, s)),
        (any::<bool>(), any::<Option<u16>>()).prop_map(|(a, b)| Every::Struct { a, b }),
    ]
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct UnitStruct;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Newtype(u64);

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct TupleStruct(u8, i64, [u16; 2]);

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Message {
    id: u32,
    kind: Every,
    tags: Vec<String>,
    reply_to: Option<Box<Message>>,
    when: (u16, char),
}

fn message() -> impl Strategy<Value = Message> {
    let leaf = (
        any::<u32>(),
        every(),
        prop::collection::vec(".{0,4}", 0..3),
        any::<(u16, char)>(),
    )
        .prop_map(|(id, kind, tags, when)| Message {
            id,
            kind,
            tags,
            reply_to: None,
            when,
        });
    leaf.prop_recursive(3, 8, 1, |inner| {
        (any::<u32>(), every(), inner).prop_map(|(id, kind, m)| Message {
            id,
            kind,
            tags: vec![],
            reply_to: Some(Box::new(m)),
            when: (0, 'x'),
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn all_primitives(v in prims()) { check(&v)?; }

    #[test]
    fn chars(c: char, s in any::<(char, u8, char)>()) { check(&c)?; check(&s)?; }

    #[test]
    fn nested_structs(head in inner(), a in inner(), b in inner(), tail: u16) {
        check(&Outer { head, pair: [a, b], tail })?;
    }

    #[test]
    fn tuples(v: (u8, (i16, bool), [u32; 3]), w: (f32, u128, i128)) { check(&v)?; check(&w)?; }

    #[test]
    fn arrays(a: [u64; 4], b: [[u8; 3]; 2], c: [i8; 0]) { check(&a)?; check(&b)?; check(&c)?; }

    #[test]
    fn options(a: Option<u32>, b: Option<Option<i8>>, c: Option<(bool, u16)>) {
        check(&a)?; check(&b)?; check(&c)?;
    }

    #[test]
    fn vectors(a in prop::collection::vec(any::<u16>(), 0..10),
               b in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..5), 0..4)) {
        check(&a)?; check(&b)?;
    }

    #[test]
    fn strings(s in ".{0,12}", v in prop::collection::vec(".{0,4}", 0..4)) { check(&s)?; check(&v)?; }

    #[test]
    fn enums_of_every_variant_kind(e in every(), v in prop::collection::vec(every(), 0..4)) {
        check(&e)?; check(&v)?;
    }

    #[test]
    fn unit_newtype_and_tuple_structs(n: u64, t: (u8, i64, [u16; 2])) {
        check(&UnitStruct)?; check(&())?; check(&Newtype(n))?; check(&TupleStruct(t.0, t.1, t.2))?;
    }

    #[test]
    fn maps(m in prop::collection::btree_map(any::<u8>(), ".{0,4}", 0..5)) {
        check::<BTreeMap<u8, String>>(&m)?;
    }

    #[test]
    fn nested_messages(m in message()) { check(&m)?; }
}

#[test]
fn borrowed_str_and_bytes_are_zero_copy() {
    let bytes = netorder::to_vec(&("héllo", &b"\x00\x01"[..])).unwrap();
    assert_eq!(
        bytes,
        bincode::serde::encode_to_vec(("héllo", &b"\x00\x01"[..]), bincode_config()).unwrap()
    );
    let (s, b): (&str, &[u8]) = netorder::from_bytes(&bytes).unwrap();
    assert_eq!((s, b), ("héllo", &[0u8, 1][..]));
    // The &str points into the input: no copy was made.
    assert!(bytes.as_ptr_range().contains(&s.as_ptr()));
}

#[test]
fn char_is_utf8_without_length_like_bincode() {
    for (c, golden) in [
        ('A', &[0x41][..]),
        ('é', &[0xc3, 0xa9]),
        ('€', &[0xe2, 0x82, 0xac]),
        ('😀', &[0xf0, 0x9f, 0x98, 0x80]),
    ] {
        assert_eq!(netorder::to_vec(&c).unwrap(), golden);
        assert_eq!(
            bincode::serde::encode_to_vec(c, bincode_config()).unwrap(),
            golden
        );
        assert_eq!(netorder::from_bytes::<char>(golden).unwrap(), c);
    }
}

#[test]
fn golden_bytes_of_a_mixed_record() {
    #[derive(Serialize)]
    struct Hdr {
        kind: u8,
        len: u16,
        seq: u32,
        at: i64,
        ratio: f32,
        ok: bool,
        tag: Option<u8>,
        name: &'static str,
        v: Every,
    }
    let h = Hdr {
        kind: 1,
        len: 0x0203,
        seq: 0x0405_0607,
        at: -2,
        ratio: 1.5,
        ok: true,
        tag: Some(9),
        name: "ab",
        v: Every::Newtype(7),
    };
    let expected: Vec<u8> = [
        &[1][..],
        &[2, 3],
        &[4, 5, 6, 7],
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
        &[0x3f, 0xc0, 0, 0],
        &[1],
        &[1, 9],
        &[0, 0, 0, 0, 0, 0, 0, 2, b'a', b'b'],
        &[0, 0, 0, 1, 0, 0, 0, 7],
    ]
    .concat();
    assert_eq!(netorder::to_vec(&h).unwrap(), expected);
    assert_eq!(
        bincode::serde::encode_to_vec(&h, bincode_config()).unwrap(),
        expected
    );
}

/// A struct of integers, floats, bools and byte arrays is what Python's `struct.pack` writes
/// with a `!` format, both ways.
#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct PyRecord {
    a: u8,
    b: u16,
    c: u32,
    d: u64,
    e: i8,
    f: i16,
    g: i32,
    h: i64,
    i: f32,
    j: f64,
    k: bool,
    l: [u8; 4],
}

#[test]
fn matches_python_struct_pack() {
    // Deterministic values, extremes included.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut records = vec![
        PyRecord {
            a: 0,
            b: 0,
            c: 0,
            d: 0,
            e: 0,
            f: 0,
            g: 0,
            h: 0,
            i: 0.0,
            j: 0.0,
            k: false,
            l: [0; 4],
        },
        PyRecord {
            a: u8::MAX,
            b: u16::MAX,
            c: u32::MAX,
            d: u64::MAX,
            e: i8::MIN,
            f: i16::MIN,
            g: i32::MIN,
            h: i64::MIN,
            i: f32::MAX,
            j: f64::MIN_POSITIVE,
            k: true,
            l: [0xff, 0, 0x7f, 0x80],
        },
    ];
    for _ in 0..64 {
        let r = next();
        records.push(PyRecord {
            a: r as u8,
            b: (r >> 8) as u16,
            c: (r >> 16) as u32,
            d: next(),
            e: (r >> 3) as i8,
            f: (r >> 11) as i16,
            g: (r >> 5) as i32,
            h: next() as i64,
            i: (r as i32) as f32 / 7.0,
            j: (next() as i64) as f64 / 3.0,
            k: r & 1 == 1,
            l: (next() as u32).to_be_bytes(),
        });
    }
    let script = [
        "import struct, sys",
        "for line in sys.stdin:",
        "    v = line.split()",
        "    vals = [int(x) for x in v[:8]] + [float(v[8]), float(v[9]), v[10] == 'true', bytes.fromhex(v[11])]",
        "    sys.stdout.write(struct.pack('!BHIQbhiqfd?4s', *vals).hex() + '\\n')",
    ]
    .join("\n");
    let mut input = String::new();
    for r in &records {
        let hex: String = r.l.iter().map(|b| format!("{b:02x}")).collect();
        input += &format!(
            "{} {} {} {} {} {} {} {} {:?} {:?} {} {}\n",
            r.a, r.b, r.c, r.d, r.e, r.f, r.g, r.h, r.i as f64, r.j, r.k, hex
        );
    }
    let lines = common::python_lines(&["-c", &script], &input);
    assert_eq!(lines.len(), records.len());
    for (r, line) in records.iter().zip(lines) {
        let ours: String = netorder::to_vec(r)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(ours, line, "for {r:?}");
        let py: Vec<u8> = (0..line.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&line[i..i + 2], 16).unwrap())
            .collect();
        assert_eq!(&netorder::from_bytes::<PyRecord>(&py).unwrap(), r);
    }
    // struct.calcsize('!BHIQbhiqfd?4s') == 47
    assert_eq!(netorder::record_size::<PyRecord>().unwrap(), 47);
}
