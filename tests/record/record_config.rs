//! Config modes (little-endian, varint, fixed-width ASCII), their golden bytes and strictness,
//! and `record_size` for every kind of type.

use integer_encoding::VarInt;
use netorder::record::Config;
use netorder::{ErrorKind, record_size};
use proptest::prelude::*;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::fmt::Debug;
use std::num::NonZeroU32;

const BE: Config = Config::new();
const LE: Config = Config::new().little_endian();
const VARINT: Config = Config::new().varint();
const VARINT_LE: Config = Config::new().varint().little_endian();
const ASCII: Config = Config::new().ascii_fixed();
const ASCII_LE: Config = Config::new().ascii_fixed().little_endian();
const ALL: [Config; 6] = [BE, LE, VARINT, VARINT_LE, ASCII, ASCII_LE];

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
enum Kind {
    Ping,
    Data(u32),
    Pair(i8, bool),
    Named { ok: bool, tag: Option<u16> },
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Mixed {
    a: u8,
    b: i16,
    c: u32,
    d: i64,
    e: u128,
    f: i128,
    g: usize,
    h: f32,
    i: f64,
    j: bool,
    k: [u8; 3],
    l: Option<i32>,
    m: String,
    n: Vec<u16>,
    o: Kind,
    p: char,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Ping),
        any::<u32>().prop_map(Kind::Data),
        any::<(i8, bool)>().prop_map(|(a, b)| Kind::Pair(a, b)),
        any::<(bool, Option<u16>)>().prop_map(|(ok, tag)| Kind::Named { ok, tag }),
    ]
}

prop_compose! {
    fn mixed()(a: u8, b: i16, c: u32, d: i64, e: u128, f: i128, g: usize, h: f32, i: f64, j: bool,
               k: [u8; 3], l: Option<i32>, m in ".{0,6}", n in prop::collection::vec(any::<u16>(), 0..4),
               o in kind(), p: char) -> Mixed {
        Mixed { a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p }
    }
}

fn dbg<T: Debug>(v: &T) -> String {
    format!("{v:?}")
}

fn round_trip<T: Serialize + DeserializeOwned + Debug>(
    v: &T,
    c: Config,
) -> Result<Vec<u8>, TestCaseError> {
    let bytes = c
        .to_vec(v)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T = c
        .from_bytes(&bytes)
        .map_err(|e| TestCaseError::fail(format!("{c:?}: {e}")))?;
    prop_assert_eq!(dbg(&back), dbg(v));
    let mut buf = vec![0u8; bytes.len()];
    prop_assert_eq!(c.to_slice(v, &mut buf).unwrap(), bytes.len());
    prop_assert_eq!(&buf, &bytes);
    for cut in 0..bytes.len() {
        let e = c.from_bytes::<T>(&bytes[..cut]).unwrap_err();
        prop_assert!(e.is_incomplete(), "{:?} prefix {}: {}", c, cut, e);
    }
    let from_reader: T = c.from_reader(&bytes[..]).unwrap();
    prop_assert_eq!(dbg(&from_reader), dbg(v));
    if let Ok(n) = c.record_size::<T>() {
        prop_assert_eq!(n, bytes.len());
    }
    Ok(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_config_round_trips(v in mixed()) {
        for c in ALL {
            round_trip(&v, c)?;
        }
    }

    #[test]
    fn little_endian_is_bincode_little_endian(v in mixed()) {
        let cfg = bincode::config::standard().with_little_endian().with_fixed_int_encoding();
        prop_assert_eq!(LE.to_vec(&v).unwrap(), bincode::serde::encode_to_vec(&v, cfg).unwrap());
    }

    #[test]
    fn varints_match_integer_encoding(a: u64, b: i64, c: u32, d: i32, e: u16, f: i16) {
        prop_assert_eq!(VARINT.to_vec(&a).unwrap(), a.encode_var_vec());
        prop_assert_eq!(VARINT.to_vec(&b).unwrap(), b.encode_var_vec());
        prop_assert_eq!(VARINT.to_vec(&c).unwrap(), c.encode_var_vec());
        prop_assert_eq!(VARINT.to_vec(&d).unwrap(), d.encode_var_vec());
        prop_assert_eq!(VARINT.to_vec(&e).unwrap(), e.encode_var_vec());
        prop_assert_eq!(VARINT.to_vec(&f).unwrap(), f.encode_var_vec());
        let (back, n) = u64::decode_var(&VARINT.to_vec(&a).unwrap()).unwrap();
        prop_assert_eq!((back, n), (a, a.required_space()));
        prop_assert_eq!(VARINT.from_bytes::<i64>(&b.encode_var_vec()).unwrap(), b);
    }

    #[test]
    fn ascii_records_are_fixed_length_and_readable(id: u16, temp: i8, ok: bool, code: [u8; 2], seq: u32, delta: i64) {
        let r = Reading { id, temp, ok, code, seq, delta };
        let bytes = round_trip(&r, ASCII)?;
        prop_assert_eq!(bytes.len(), 46);
        prop_assert_eq!(ASCII.record_size::<Reading>().unwrap(), 46);
        prop_assert!(bytes.iter().all(|b| b.is_ascii_digit() || *b == b'+' || *b == b'-'));
        let id_text = format!("{id:05}");
        prop_assert_eq!(&bytes[..5], id_text.as_bytes());
    }

    #[test]
    fn depth_limits_agree_between_encoder_and_decoder(depth in 0usize..12, limit in 0usize..12) {
        let mut v = Nest::Leaf;
        for _ in 0..depth {
            v = Nest::Node(Box::new(v));
        }
        let c = Config::new().with_max_depth(limit);
        let bytes = to_vec(&v);
        let enc = c.to_vec(&v);
        let dec = c.from_bytes::<Nest>(&bytes);
        prop_assert_eq!(enc.is_ok(), dec.is_ok());
        prop_assert_eq!(enc.is_ok(), depth < limit);
        if let (Err(a), Err(b)) = (enc, dec) {
            prop_assert_eq!(a.kind(), b.kind());
        }
    }
}

fn to_vec<T: Serialize>(v: &T) -> Vec<u8> {
    netorder::to_vec(v).unwrap()
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Nest {
    Leaf,
    Node(Box<Nest>),
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Reading {
    id: u16,
    temp: i8,
    ok: bool,
    code: [u8; 2],
    seq: u32,
    delta: i64,
}

#[test]
fn little_endian_golden() {
    let v = (
        0x0102u16,
        0x0304_0506u32,
        1.5f32,
        -2i64,
        "ab",
        Some(1u8),
        Kind::Data(7),
    );
    let expected: Vec<u8> = [
        &[2, 1][..],
        &[6, 5, 4, 3],
        &[0, 0, 0xc0, 0x3f],
        &[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[2, 0, 0, 0, 0, 0, 0, 0, b'a', b'b'],
        &[1, 1],
        &[1, 0, 0, 0, 7, 0, 0, 0],
    ]
    .concat();
    assert_eq!(LE.to_vec(&v).unwrap(), expected);
    assert_eq!(LE.record_size::<(u16, u32, f32, i64)>().unwrap(), 18);
}

#[test]
fn varint_golden_and_boundaries() {
    assert_eq!(VARINT.to_vec(&300u16).unwrap(), [0xac, 0x02]);
    assert_eq!(VARINT.to_vec(&200u8).unwrap(), [200]); // u8 stays one raw byte
    assert_eq!(VARINT.to_vec(&-1i8).unwrap(), [0xff]);
    assert_eq!(VARINT.to_vec(&-1i32).unwrap(), [1]);
    assert_eq!(VARINT.to_vec(&127u32).unwrap(), [0x7f]);
    assert_eq!(VARINT.to_vec(&128u32).unwrap(), [0x80, 0x01]);
    let mut max64 = vec![0xff; 9];
    max64.push(1);
    assert_eq!(VARINT.to_vec(&u64::MAX).unwrap(), max64);
    assert_eq!(VARINT.to_vec(&i64::MIN).unwrap(), max64);
    let mut max128 = vec![0xff; 18];
    max128.push(3);
    assert_eq!(VARINT.to_vec(&u128::MAX).unwrap(), max128);
    assert_eq!(VARINT.to_vec(&i128::MIN).unwrap(), max128);
    assert_eq!(VARINT.from_bytes::<u128>(&max128).unwrap(), u128::MAX);
    assert_eq!(VARINT.to_vec(&128usize).unwrap(), [0x80, 0x01]);
    assert_eq!(VARINT.to_vec("ab").unwrap(), [2, b'a', b'b']);
    assert_eq!(VARINT.to_vec(&vec![1u16, 300]).unwrap(), [2, 1, 0xac, 0x02]);
    assert_eq!(VARINT.to_vec(&Kind::Data(7)).unwrap(), [1, 7]);
    assert_eq!(VARINT.to_vec(&Some(5u16)).unwrap(), [1, 5]);
    assert_eq!(VARINT.to_vec(&1.5f32).unwrap(), [0x3f, 0xc0, 0, 0]);
    assert_eq!(VARINT_LE.to_vec(&1.5f32).unwrap(), [0, 0, 0xc0, 0x3f]);
}

#[test]
fn varint_decoding_is_strict() {
    let err =
        |bytes: &[u8], f: fn(&[u8]) -> netorder::Result<()>| f(bytes).unwrap_err().into_kind();
    let u16_ = |b: &[u8]| VARINT.from_bytes::<u16>(b).map(drop);
    let u32_ = |b: &[u8]| VARINT.from_bytes::<u32>(b).map(drop);
    let u64_ = |b: &[u8]| VARINT.from_bytes::<u64>(b).map(drop);
    let u128_ = |b: &[u8]| VARINT.from_bytes::<u128>(b).map(drop);
    assert_eq!(
        err(&[0x80, 0x00], u32_),
        ErrorKind::Overlong { offset: 0, len: 2 }
    );
    assert_eq!(
        err(&[0xff, 0x80, 0x00], u32_),
        ErrorKind::Overlong { offset: 0, len: 3 }
    );
    assert_eq!(
        err(&[0xff, 0xff, 0x04], u16_),
        ErrorKind::Overflow {
            offset: 0,
            bits: 16
        }
    );
    assert_eq!(
        VARINT.from_bytes::<u16>(&[0xff, 0xff, 0x03]).unwrap(),
        u16::MAX
    );
    assert_eq!(
        err(&[0x80, 0x80, 0x80, 0x80], u16_),
        ErrorKind::Overflow {
            offset: 0,
            bits: 16
        }
    );
    let mut too_big = vec![0xff; 9];
    too_big.push(0x02);
    assert_eq!(
        err(&too_big, u64_),
        ErrorKind::Overflow {
            offset: 0,
            bits: 64
        }
    );
    assert_eq!(
        err(&[0x80; 11], u64_),
        ErrorKind::Overflow {
            offset: 0,
            bits: 64
        }
    );
    let mut too_big = vec![0xff; 18];
    too_big.push(0x04);
    assert_eq!(
        err(&too_big, u128_),
        ErrorKind::Overflow {
            offset: 0,
            bits: 128
        }
    );
    assert_eq!(
        err(&[0x80], u32_),
        ErrorKind::Incomplete {
            offset: 0,
            needed: 2,
            available: 1
        }
    );
    let e = VARINT
        .from_bytes::<(u8, u32)>(&[5, 0x80, 0x80])
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::Incomplete {
            offset: 1,
            needed: 3,
            available: 2
        }
    );
    assert_eq!(e.field(), Some("[1]"));
    // i32 from a zigzag value past its range.
    assert_eq!(
        VARINT
            .from_bytes::<i32>(&u64::from(u32::MAX).wrapping_add(1).encode_var_vec())
            .unwrap_err()
            .into_kind(),
        ErrorKind::Overflow {
            offset: 0,
            bits: 32
        }
    );
}

#[test]
fn ascii_golden() {
    let r = Reading {
        id: 42,
        temp: -5,
        ok: true,
        code: *b"AB",
        seq: 7,
        delta: -3,
    };
    let bytes = ASCII.to_vec(&r).unwrap();
    assert_eq!(
        std::str::from_utf8(&bytes).unwrap(),
        "00042-00510650660000000007-0000000000000000003"
    );
    assert_eq!(ASCII.from_bytes::<Reading>(&bytes).unwrap(), r);
    // Lengths (20 digits), Option tags and bools (1 digit), variant indexes (10 digits).
    assert_eq!(ASCII.to_vec("hi").unwrap(), b"00000000000000000002hi");
    assert_eq!(ASCII.to_vec(&Some(true)).unwrap(), b"11");
    assert_eq!(ASCII.to_vec(&None::<u8>).unwrap(), b"0");
    assert_eq!(
        ASCII.to_vec(&Kind::Pair(-1, false)).unwrap(),
        b"0000000002-0010"
    );
    // Floats stay binary.
    assert_eq!(ASCII.to_vec(&1.5f32).unwrap(), [0x3f, 0xc0, 0, 0]);
    assert_eq!(ASCII_LE.to_vec(&1.5f32).unwrap(), [0, 0, 0xc0, 0x3f]);
}

macro_rules! ascii_boundaries {
    ($($ty:ty => $width:expr),*) => {$(
        for v in [<$ty>::MIN, 0 as $ty, 1 as $ty, <$ty>::MAX] {
            let bytes = ASCII.to_vec(&v).unwrap();
            assert_eq!(bytes.len(), $width, "{}", stringify!($ty));
            assert_eq!(ASCII.from_bytes::<$ty>(&bytes).unwrap(), v);
            let text = std::str::from_utf8(&bytes).unwrap().trim_start_matches('+').parse::<$ty>().unwrap();
            assert_eq!(text, v);
        }
        assert_eq!(ASCII.record_size::<$ty>().unwrap(), $width);
        // MAX + 1, written in the same width, does not fit.
        let max_plus_one = (<$ty>::MAX as u128).checked_add(1).map(|m| m.to_string()).unwrap_or_default();
        let signed = <$ty>::MIN != 0 as $ty;
        let digits = $width - signed as usize;
        if !max_plus_one.is_empty() && max_plus_one.len() <= digits {
            let text = format!("{}{:0>digits$}", if signed { "+" } else { "" }, max_plus_one);
            assert_eq!(
                ASCII.from_bytes::<$ty>(text.as_bytes()).unwrap_err().into_kind(),
                ErrorKind::Overflow { offset: 0, bits: <$ty>::BITS }
            );
        }
    )*};
}

#[test]
fn ascii_boundary_table() {
    ascii_boundaries!(u8 => 3, u16 => 5, u32 => 10, u64 => 20, u128 => 39, usize => 20,
                      i8 => 4, i16 => 6, i32 => 11, i64 => 20, i128 => 40, isize => 20);
    assert_eq!(
        ASCII.from_bytes::<i16>(b"-32769").unwrap_err().into_kind(),
        ErrorKind::Overflow {
            offset: 0,
            bits: 16
        }
    );
}

#[test]
fn ascii_decoding_is_strict() {
    let kind = |r: netorder::Result<i8>| r.unwrap_err().into_kind();
    assert_eq!(
        kind(ASCII.from_bytes(b"0005")),
        ErrorKind::InvalidByte {
            offset: 0,
            byte: b'0',
            expected: "a sign `+` or `-`"
        }
    );
    assert_eq!(
        kind(ASCII.from_bytes(b"-000")),
        ErrorKind::NegativeZero { offset: 0 }
    );
    assert_eq!(
        kind(ASCII.from_bytes(b"+ 12")),
        ErrorKind::InvalidByte {
            offset: 1,
            byte: b' ',
            expected: "a decimal digit"
        }
    );
    assert_eq!(
        kind(ASCII.from_bytes(b"+12")),
        ErrorKind::Incomplete {
            offset: 0,
            needed: 4,
            available: 3
        }
    );
    let e = ASCII.from_bytes::<(u8, bool)>(b"0012").unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidBool {
            offset: 3,
            byte: b'2'
        }
    );
    assert_eq!(e.field(), Some("[1]"));
    let e = ASCII.from_bytes::<Option<u8>>(b"x").unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidTag {
            offset: 0,
            tag: b'x'
        }
    );
    let e = ASCII.from_bytes::<Kind>(b"0000000009").unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidVariant {
            offset: 0,
            index: 9
        }
    );
    let e = ASCII
        .from_bytes::<String>(b"0000000000000000000x")
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::InvalidByte {
            offset: 19,
            byte: b'x',
            expected: "a decimal digit"
        }
    );
    // A length in ASCII is still checked against the limit before allocating.
    let e = ASCII
        .from_bytes::<String>(b"99999999999999999999")
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::Overflow {
            offset: 0,
            bits: 64
        }
    );
    let e = ASCII
        .from_bytes::<String>(b"18446744073709551615")
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: u64::MAX,
            limit: 16 << 20
        }
    );
}

#[test]
fn config_is_a_const_copy_default_builder() {
    const C: Config = Config::new()
        .varint()
        .little_endian()
        .with_max_len(5)
        .with_max_depth(2);
    let d = C;
    assert_eq!(C, d);
    assert_eq!(Config::default(), Config::new());
    assert_eq!(
        C.int_encoding(8, false),
        Some(netorder::IntEncoding::Varint)
    );
    assert_eq!(C.endian(), netorder::Endian::Little);
    assert_eq!((C.max_len(), C.max_depth()), (5, 2));
    assert_eq!(
        C.fixed_int().big_endian(),
        Config::new().with_max_len(5).with_max_depth(2)
    );
}

// ----- record_size ----------------------------------------------------------------------------

#[derive(Deserialize)]
#[allow(dead_code)]
struct Fixed {
    a: u8,
    b: i16,
    c: u32,
    d: i64,
    e: u128,
    f: usize,
    g: f32,
    h: f64,
    i: bool,
    j: [u16; 3],
    k: (u8, i8),
    l: (),
    m: Unit,
    n: Newtype,
    o: SameSize,
}

#[derive(Deserialize)]
struct Unit;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Newtype(u32);

#[derive(Deserialize, Serialize, Debug)]
enum SameSize {
    A(u32),
    B(i32),
    C([u8; 4]),
    D { x: u16, y: u16 },
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Varies {
    id: u16,
    inner: Inner,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Inner {
    ok: bool,
    cmd: Cmd,
}

#[derive(Deserialize)]
#[allow(dead_code)]
enum Cmd {
    Stop,
    Go(u8),
}

#[test]
fn record_size_of_fixed_types() {
    // a..k, then l: () and m: Unit take nothing, n: 4, o: 4 + 4.
    let fixed = 1 + 2 + 4 + 8 + 16 + 8 + 4 + 8 + 1 + 6 + 2 + 4 + (4 + 4);
    assert_eq!(record_size::<Fixed>().unwrap(), fixed);
    assert_eq!(LE.record_size::<Fixed>().unwrap(), fixed);
    assert_eq!(record_size::<()>().unwrap(), 0);
    assert_eq!(record_size::<Unit>().unwrap(), 0);
    assert_eq!(record_size::<[[u64; 2]; 3]>().unwrap(), 48);
    assert_eq!(record_size::<SameSize>().unwrap(), 8);
    for v in [
        SameSize::A(1),
        SameSize::B(-1),
        SameSize::C(*b"abcd"),
        SameSize::D { x: 1, y: 2 },
    ] {
        assert_eq!(netorder::to_vec(&v).unwrap().len(), 8, "{v:?}");
    }
    assert_eq!(record_size::<[SameSize; 3]>().unwrap(), 24);
    // Types that refuse 0 are traced with 1.
    assert_eq!(record_size::<(NonZeroU32, u8)>().unwrap(), 5);
}

#[test]
fn record_size_names_what_varies() {
    let case = |r: netorder::Result<usize>| {
        let e = r.unwrap_err();
        match e.kind() {
            ErrorKind::VariableSize { what } => (*what, e.field().map(str::to_owned)),
            _ => panic!("{e}"),
        }
    };
    assert_eq!(
        case(record_size::<Varies>()),
        (
            "enum (variants of different sizes)",
            Some("inner.cmd".into())
        )
    );
    assert_eq!(
        case(record_size::<(u8, Vec<u8>)>()),
        ("sequence (Vec, slice, set)", Some("[1]".into()))
    );
    assert_eq!(case(record_size::<String>()), ("String", None));
    assert_eq!(
        case(record_size::<(u8, [Option<u8>; 2])>()),
        ("Option", Some("[1][0]".into()))
    );
    assert_eq!(case(record_size::<char>()).0, "char (UTF-8, 1 to 4 bytes)");
    assert_eq!(
        case(record_size::<std::collections::BTreeMap<u8, u8>>()).0,
        "map"
    );
    assert_eq!(
        case(record_size::<Box<[u8]>>()).0,
        "sequence (Vec, slice, set)"
    );

    #[derive(Deserialize)]
    #[allow(dead_code)]
    enum Deep {
        A { x: Box<Deep2> },
    }
    #[derive(Deserialize)]
    #[allow(dead_code)]
    enum Deep2 {
        P(u8),
        Q { s: String },
    }
    assert_eq!(
        case(record_size::<Deep>()),
        ("String", Some("A.x.Q.s".into()))
    );
}

#[test]
fn record_size_with_configs() {
    assert_eq!(VARINT.record_size::<(u8, i8, bool, [u8; 4])>().unwrap(), 7);
    let e = VARINT.record_size::<(u8, u32)>().unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::VariableSize {
            what: "integer (varint)"
        }
    );
    assert_eq!(e.field(), Some("[1]"));
    // A varint variant index under 128 is one byte.
    #[derive(Deserialize, Serialize)]
    enum Op {
        Nop,
        Halt,
        Jump(u8),
    }
    assert!(VARINT.record_size::<Op>().is_err()); // Jump carries a byte more
    #[derive(Deserialize, Serialize)]
    enum Flag {
        Off,
        On,
    }
    assert_eq!(VARINT.record_size::<Flag>().unwrap(), 1);
    assert_eq!(ASCII.record_size::<Flag>().unwrap(), 10);
    assert_eq!(ASCII.record_size::<Reading>().unwrap(), 46);
    assert_eq!(ASCII_LE.record_size::<Reading>().unwrap(), 46);
    let _ = (Op::Nop, Op::Halt, Op::Jump(0), Flag::Off, Flag::On);
}

#[test]
fn record_size_tries_each_variant_once_not_every_combination() {
    #[derive(Deserialize, Serialize)]
    enum Two {
        A(u8),
        B(i8),
    }
    // 2^1024 combinations, but 1 + 1024 traces.
    assert_eq!(record_size::<[[Two; 32]; 32]>().unwrap(), 32 * 32 * 5);
    // One odd variant deep inside is found, and named.
    #[derive(Deserialize)]
    #[allow(dead_code)]
    enum Odd {
        A(u8),
        B(u16),
    }
    let e = record_size::<([Two; 8], (u8, [Odd; 3]))>().unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::VariableSize {
            what: "enum (variants of different sizes)"
        }
    );
    assert_eq!(e.field(), Some("[1][1][0]"));
    let _ = (Two::A(0), Two::B(0));
}

macro_rules! many_variants {
    ($($v:ident)*) => {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        enum Many { $($v),* }
    };
}
many_variants!(V0 V1 V2 V3 V4 V5 V6 V7 V8 V9 V10 V11 V12 V13 V14 V15 V16 V17 V18 V19 V20 V21 V22 V23 V24 V25 V26 V27 V28 V29 V30 V31 V32 V33 V34 V35 V36 V37 V38 V39 V40 V41 V42 V43 V44 V45 V46 V47 V48 V49 V50 V51 V52 V53 V54 V55 V56 V57 V58 V59 V60 V61 V62 V63 V64 V65 V66 V67 V68 V69 V70 V71 V72 V73 V74 V75 V76 V77 V78 V79 V80 V81 V82 V83 V84 V85 V86 V87 V88 V89 V90 V91 V92 V93 V94 V95 V96 V97 V98 V99 V100 V101 V102 V103 V104 V105 V106 V107 V108 V109 V110 V111 V112 V113 V114 V115 V116 V117 V118 V119 V120 V121 V122 V123 V124 V125 V126 V127 V128 V129);

#[test]
fn record_size_gives_up_past_4096_traces() {
    // 32 enums of 130 variants: 1 + 32 * 129 = 4129 traces, over the bound.
    let e = record_size::<[Many; 32]>().unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Unsupported { .. }), "{e}");
    assert_eq!(record_size::<[Many; 31]>().unwrap(), 31 * 4);
}

// ----- agreement with layer 2's IntEncoding ---------------------------------------------------

proptest! {
    #[test]
    fn u64_and_i64_agree_with_int_encoding(a: u64, b: i64) {
        use netorder::IntEncoding;
        let mut out = Vec::new();
        IntEncoding::Varint.encode(a, &mut out).unwrap();
        prop_assert_eq!(VARINT.to_vec(&a).unwrap(), out.clone());
        out.clear();
        IntEncoding::ZigZag.encode(b as u64, &mut out).unwrap();
        prop_assert_eq!(VARINT.to_vec(&b).unwrap(), out.clone());
        out.clear();
        IntEncoding::AsciiFixed { width: 20 }.encode(a, &mut out).unwrap();
        prop_assert_eq!(ASCII.to_vec(&a).unwrap(), out);
    }

    #[test]
    fn u64_decoders_agree_with_int_encoding(bytes in prop::collection::vec(any::<u8>(), 0..12), digits in "[0-9]{0,21}") {
        use netorder::IntEncoding;
        let ours = VARINT.take_from_bytes::<u64>(&bytes);
        let theirs = IntEncoding::Varint.decode(&bytes);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.kind(), b.kind()),
            _ => prop_assert!(false, "{:?} vs {:?}", ours, theirs),
        }
        let ours = ASCII.take_from_bytes::<u64>(digits.as_bytes());
        let theirs = IntEncoding::AsciiFixed { width: 20 }.decode(digits.as_bytes());
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.is_incomplete(), b.is_incomplete()),
            _ => prop_assert!(false, "{:?} vs {:?}", ours, theirs),
        }
    }
}

// ----- the encoder and decoder agree on what is too deep ---------------------------------------

/// Leaves that are written one way and read another (`&[u8]`: a sequence of `u8` out, bytes
/// in), strings, and every kind of nesting.
#[derive(Serialize, Deserialize, Debug, Clone)]
enum Deep<'a> {
    Raw(&'a [u8]),
    Text(String),
    Many(Vec<Deep<'a>>),
    Maybe(Option<Box<Deep<'a>>>),
    Nested(Box<Deep<'a>>),
    Pair((u8, [Box<Deep<'a>>; 1])),
}

fn deep() -> impl Strategy<Value = Deep<'static>> {
    let leaf = prop_oneof![
        Just(Deep::Raw(b"ab")),
        Just(Deep::Raw(b"")),
        ".{0,3}".prop_map(Deep::Text),
        Just(Deep::Maybe(None)),
    ];
    leaf.prop_recursive(8, 32, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Deep::Many),
            inner.clone().prop_map(|d| Deep::Maybe(Some(Box::new(d)))),
            inner.clone().prop_map(|d| Deep::Nested(Box::new(d))),
            inner.prop_map(|d| Deep::Pair((1, [Box::new(d)]))),
        ]
    })
}

proptest! {
    #[test]
    fn encoder_and_decoder_agree_on_depth(v in deep(), limit in 0usize..10) {
        let c = Config::new().with_max_depth(limit);
        let bytes = to_vec(&v);
        let enc = c.to_vec(&v);
        let dec = c.from_bytes::<Deep>(&bytes);
        match (&enc, &dec) {
            (Ok(e), Ok(_)) => prop_assert_eq!(e, &bytes),
            (Err(a), Err(b)) => prop_assert_eq!(a.kind(), b.kind()),
            _ => prop_assert!(false, "limit {}: encode {:?}, decode {:?}", limit, enc, dec),
        }
    }
}
