//! `#[derive(FixedRecord)]` (`netorder::record::fixed`): the same bytes as the serde path with
//! the default `Config`, as bincode 2 (big-endian, fixed-width ints) and as Python's `struct`
//! with a `!` format; the same verdicts on hostile input (every byte string of lengths near
//! the record's size); exact errors; and `Conn::send_fixed`/`recv_fixed` over loopback TCP.

use netorder_support as common;

use netorder::record::{self, FixedRecord, fixed};
use netorder::transport::Conn;
use netorder::{ErrorKind, Framing};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::net::{TcpListener, TcpStream};

/// The record of the benches (33 bytes, `!HIQd?4sih`), its sample value and its hand-written
/// `to_be_bytes`/`from_be_bytes` encoder and decoder, shared with `benches/`.
use netorder_support::rec;
use rec::{REC, Rec};

#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, PartialEq)]
struct Flag {
    on: bool,
    level: i8,
}

/// Nesting, arrays of structs, tuples, wide integers, a tuple struct and a generic.
#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, PartialEq)]
struct Nested {
    head: (u8, bool),
    flags: [Flag; 3],
    pair: Pair<u16>,
    wide: (u128, i128),
    small: f32,
    r#type: bool,
    unit: (),
    none: [u64; 0],
}

#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, PartialEq)]
struct Pair<T>(T, T);

#[derive(Serialize, Deserialize, FixedRecord, Clone, Copy, Debug, PartialEq)]
struct Marker;

fn rec() -> impl Strategy<Value = Rec> {
    (
        any::<(u16, u32, u64, f64, bool)>(),
        any::<([u8; 4], i32, u16)>(),
    )
        .prop_map(|((port, seq, id, value, up), (addr, delta, flags))| Rec {
            port,
            seq,
            id,
            value,
            up,
            addr,
            delta,
            flags,
        })
}

fn flag() -> impl Strategy<Value = Flag> {
    any::<(bool, i8)>().prop_map(|(on, level)| Flag { on, level })
}

fn nested() -> impl Strategy<Value = Nested> {
    (
        any::<(u8, bool)>(),
        [flag(), flag(), flag()],
        any::<(u16, u16)>(),
        any::<(u128, i128)>(),
        any::<(f32, bool)>(),
    )
        .prop_map(|(head, flags, (a, b), wide, (small, t))| Nested {
            head,
            flags,
            pair: Pair(a, b),
            wide,
            small,
            r#type: t,
            unit: (),
            none: [],
        })
}

/// Floats compared by their bits (NaN payloads included).
fn same_rec(a: &Rec, b: &Rec) -> bool {
    a.value.to_bits() == b.value.to_bits() && Rec { value: 0.0, ..*a } == Rec { value: 0.0, ..*b }
}

#[test]
fn sizes_are_the_sums_of_the_fields() {
    assert_eq!(Rec::SIZE, 33);
    assert_eq!(Flag::SIZE, 2);
    assert_eq!(Nested::SIZE, 2 + 6 + 4 + 32 + 4 + 1);
    assert_eq!(Pair::<u64>::SIZE, 16);
    assert_eq!(Marker::SIZE, 0);
    assert_eq!(<[Flag; 0]>::SIZE, 0);
    assert_eq!(<((), [(); 1000])>::SIZE, 0);
    // The serde path's tracer agrees.
    assert_eq!(record::record_size::<Rec>().unwrap(), Rec::SIZE);
    assert_eq!(record::record_size::<Nested>().unwrap(), Nested::SIZE);
}

#[test]
fn golden_bytes_match_python_struct() {
    let lines = common::python_lines(
        &[
            "-c",
            "import struct; print(struct.pack('!HIQd?4sih', 8080, 0xdeadbeef, \
             0x0123456789abcdef, 3.25, True, bytes([127, 0, 0, 1]), -42, 0x8001 - 0x10000).hex())",
        ],
        "",
    );
    assert_eq!(lines.len(), 1);
    let ours: String = fixed::to_vec(&REC)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // `h` is signed in Python: 0x8001 is written as -32767, the same two bytes.
    assert_eq!(ours, lines[0]);
    assert_eq!(
        fixed::to_vec(&REC).unwrap(),
        [
            0x1f, 0x90, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
            0x40, 0x0a, 0, 0, 0, 0, 0, 0, 1, 127, 0, 0, 1, 0xff, 0xff, 0xff, 0xd6, 0x80, 0x01
        ]
    );
}

#[test]
fn a_buffer_too_small_is_refused_and_left_untouched() {
    for len in 0..Rec::SIZE {
        let mut buf = vec![0xAA; len];
        let err = fixed::to_slice(&REC, &mut buf).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::BufferTooSmall {
                needed: 33,
                available: len
            }
        );
        assert!(buf.iter().all(|&b| b == 0xAA), "len {len}");
    }
    let mut buf = [0xAA; 40];
    assert_eq!(fixed::to_slice(&REC, &mut buf).unwrap(), 33);
    assert_eq!(buf[..33], fixed::to_vec(&REC).unwrap()[..]);
    assert_eq!(buf[33..], [0xAA; 7]);
}

#[test]
fn every_proper_prefix_is_incomplete_with_the_record_size() {
    let bytes = fixed::to_vec(&REC).unwrap();
    for len in 0..bytes.len() {
        let err = fixed::from_bytes::<Rec>(&bytes[..len]).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::Incomplete {
                offset: 0,
                needed: 33,
                available: len
            }
        );
        assert_eq!(err.needed_more(), Some(33 - len));
        let err = fixed::take_from_bytes::<Rec>(&bytes[..len]).unwrap_err();
        assert_eq!(err.needed_more(), Some(33 - len));
    }
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[1, 2]);
    let err = fixed::from_bytes::<Rec>(&longer).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: 33,
            remaining: 2
        }
    );
    let (back, used) = fixed::take_from_bytes::<Rec>(&longer).unwrap();
    assert_eq!((back, used), (REC, 33));
}

#[test]
fn bad_bools_name_their_offset_and_field_like_the_serde_path() {
    let value = Nested {
        head: (1, true),
        flags: [Flag {
            on: true,
            level: -1,
        }; 3],
        pair: Pair(1, 2),
        wide: (u128::MAX, i128::MIN),
        small: 0.5,
        r#type: false,
        unit: (),
        none: [],
    };
    let good = fixed::to_vec(&value).unwrap();
    // (offset of a bool, its path)
    let bools = [
        (1, "head[1]"),
        (2, "flags[0].on"),
        (4, "flags[1].on"),
        (6, "flags[2].on"),
        (48, "type"),
    ];
    for (offset, path) in bools {
        for byte in [2u8, 0x80, 0xFF] {
            let mut bad = good.clone();
            bad[offset] = byte;
            let err = fixed::from_bytes::<Nested>(&bad).unwrap_err();
            assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset, byte });
            assert_eq!(err.field(), Some(path));
            let serde_err = record::from_bytes::<Nested>(&bad).unwrap_err();
            assert_eq!(serde_err, err, "offset {offset}");
        }
    }
    // The first bad bool is the one reported.
    let mut bad = good.clone();
    bad[4] = 9;
    bad[48] = 9;
    let err = fixed::from_bytes::<Nested>(&bad).unwrap_err();
    assert_eq!(err.field(), Some("flags[1].on"));
}

/// Regression (found by the `record_fixed` fuzz target): a newtype struct adds no `[0]` to an
/// error's path, as in serde, which writes a one-field tuple struct as a newtype.
#[test]
fn newtypes_add_nothing_to_the_path() {
    #[derive(Serialize, Deserialize, FixedRecord, Debug)]
    struct Bools([[bool; 3]; 4]);
    #[derive(Serialize, Deserialize, FixedRecord, Debug)]
    struct Two(bool, bool);
    let mut bytes = [0u8; 12];
    bytes[4] = 22;
    let err = fixed::from_bytes::<Bools>(&bytes).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidBool {
            offset: 4,
            byte: 22
        }
    );
    assert_eq!(err.field(), Some("[1][1]"));
    assert_eq!(record::from_bytes::<Bools>(&bytes).unwrap_err(), err);
    let err = fixed::from_bytes::<Two>(&[0, 3]).unwrap_err();
    assert_eq!(err.field(), Some("[1]"));
    assert_eq!(record::from_bytes::<Two>(&[0, 3]).unwrap_err(), err);
}

/// The derive's own names (locals, parameters) cannot capture the user's: a lowercase
/// constant used in a field's type and fields named like the generated code's variables.
#[allow(non_upper_case_globals)]
const at: usize = 2;
#[allow(non_upper_case_globals)]
const end: usize = 3;

#[derive(FixedRecord, Serialize, Debug, PartialEq)]
struct Names<T>
where
    T: Copy,
{
    out: u8,
    bytes: [u8; at],
    offset: bool,
    at: [T; end],
    e: u8,
    ok: bool,
}

#[test]
fn the_derive_is_hygienic_and_keeps_where_clauses() {
    let v = Names {
        out: 1,
        bytes: [2, 3],
        offset: true,
        at: [4u16, 5, 6],
        e: 7,
        ok: false,
    };
    assert_eq!(Names::<u16>::SIZE, 1 + 2 + 1 + 6 + 1 + 1);
    let bytes = fixed::to_vec(&v).unwrap();
    assert_eq!(bytes, [1, 2, 3, 1, 0, 4, 0, 5, 0, 6, 7, 0]);
    assert_eq!(bytes, record::to_vec(&v).unwrap());
    assert_eq!(fixed::from_bytes::<Names<u16>>(&bytes).unwrap(), v);
    let mut bad = bytes.clone();
    bad[11] = 9;
    let err = fixed::from_bytes::<Names<u16>>(&bad).unwrap_err();
    assert_eq!((err.offset(), err.field()), (Some(11), Some("ok")));
}

#[test]
fn zero_sized_records_round_trip() {
    assert_eq!(fixed::to_vec(&Marker).unwrap(), Vec::<u8>::new());
    assert_eq!(fixed::from_bytes::<Marker>(&[]).unwrap(), Marker);
    let err = fixed::from_bytes::<Marker>(&[0]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: 0,
            remaining: 1
        }
    );
    assert_eq!(fixed::from_bytes::<[(); 3]>(&[]).unwrap(), [(); 3]);
}

#[test]
fn bincode_writes_the_same_bytes() {
    let config = bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding();
    let theirs = bincode::serde::encode_to_vec(REC, config).unwrap();
    assert_eq!(fixed::to_vec(&REC).unwrap(), theirs);
}

/// The serde path's verdict on `bytes`, in the fixed path's terms: the fixed path checks the
/// length first, so anything shorter than the record is `Incomplete` for the whole record and
/// anything longer `TrailingBytes` (the serde path reads field by field and may find a bad
/// byte first).
fn expected_verdict<T>(bytes: &[u8]) -> Result<T, netorder::Error>
where
    T: FixedRecord + serde::de::DeserializeOwned,
{
    if bytes.len() < T::SIZE {
        return Err(netorder::Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: T::SIZE,
            available: bytes.len(),
        }));
    }
    if bytes.len() > T::SIZE {
        return Err(netorder::Error::new(ErrorKind::TrailingBytes {
            offset: T::SIZE,
            remaining: bytes.len() - T::SIZE,
        }));
    }
    record::from_bytes::<T>(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn encodes_like_the_serde_path(r in rec(), n in nested()) {
        prop_assert_eq!(fixed::to_vec(&r).unwrap(), record::to_vec(&r).unwrap());
        // ...and like the hand-written encoder and decoder of the benches.
        let mut hand = [0u8; rec::SIZE];
        prop_assert_eq!(rec::hand_encode_slice(&r, &mut hand), Some(Rec::SIZE));
        prop_assert_eq!(&fixed::to_vec(&r).unwrap()[..], &hand[..]);
        prop_assert_eq!(
            rec::hand_decode(&hand).map(|h| fixed::to_vec(&h).unwrap()),
            fixed::from_bytes::<Rec>(&hand).ok().map(|f| fixed::to_vec(&f).unwrap())
        );
        prop_assert_eq!(fixed::to_vec(&n).unwrap(), record::to_vec(&n).unwrap());
        let mut buf = [0u8; 64];
        prop_assert_eq!(fixed::to_slice(&n, &mut buf).unwrap(), Nested::SIZE);
        prop_assert_eq!(&buf[..Nested::SIZE], &record::to_vec(&n).unwrap()[..]);
    }

    #[test]
    fn round_trips(r in rec(), n in nested()) {
        let back = fixed::from_bytes::<Rec>(&fixed::to_vec(&r).unwrap()).unwrap();
        prop_assert!(same_rec(&back, &r));
        let bytes = fixed::to_vec(&n).unwrap();
        let back = fixed::from_bytes::<Nested>(&bytes).unwrap();
        prop_assert_eq!(fixed::to_vec(&back).unwrap(), bytes);
    }

    /// Any bytes: the same value or the same error as the serde path.
    #[test]
    fn decodes_any_bytes_like_the_serde_path(
        bytes in proptest::collection::vec(
            prop_oneof![Just(0u8), Just(1u8), Just(2u8), any::<u8>()],
            Nested::SIZE - 3..=Nested::SIZE + 2,
        )
    ) {
        match (fixed::from_bytes::<Nested>(&bytes), expected_verdict::<Nested>(&bytes)) {
            (Ok(a), Ok(b)) => prop_assert_eq!(fixed::to_vec(&a).unwrap(), fixed::to_vec(&b).unwrap()),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "fixed {:?} vs serde {:?}", a, b),
        }
        let take = fixed::take_from_bytes::<Nested>(&bytes);
        let serde_take = record::take_from_bytes::<Nested>(&bytes);
        if bytes.len() >= Nested::SIZE {
            prop_assert_eq!(take.is_ok(), serde_take.is_ok());
        } else {
            prop_assert_eq!(take.unwrap_err().needed_more(), Some(Nested::SIZE - bytes.len()));
            return Ok(());
        }
        if let (Ok((a, n)), Ok((b, m))) = (take, serde_take) {
            prop_assert_eq!((fixed::to_vec(&a).unwrap(), n), (fixed::to_vec(&b).unwrap(), m));
        }
    }
}

#[test]
fn conn_sends_the_bytes_of_send_in_every_framing() {
    for framing in [
        Framing::U16,
        Framing::U32,
        Framing::Varint,
        Framing::Fixed(33),
    ] {
        let mut serde_conn = Conn::new(Cursor::new(Vec::new()), framing);
        let mut fixed_conn = Conn::new(Cursor::new(Vec::new()), framing);
        for i in 0..100u32 {
            let r = Rec { seq: i, ..REC };
            serde_conn.send(&r).unwrap();
            fixed_conn.send_fixed(&r).unwrap();
        }
        serde_conn.flush().unwrap();
        fixed_conn.flush().unwrap();
        let wire = fixed_conn.get_ref().get_ref().clone();
        assert_eq!(&wire, serde_conn.get_ref().get_ref(), "{framing:?}");

        let mut rx = Conn::new(Cursor::new(wire), framing);
        for i in 0..100u32 {
            assert_eq!(rx.recv_fixed::<Rec>().unwrap(), Some(Rec { seq: i, ..REC }));
        }
        assert_eq!(rx.recv_fixed::<Rec>().unwrap(), None);
    }
}

#[test]
fn conn_refuses_what_does_not_fit_and_queues_nothing() {
    // The wrong fixed frame size.
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::Fixed(32));
    let err = conn.send_fixed(&REC).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 32,
            actual: 33
        }
    );
    // Over the frame limit.
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16).with_max_frame_len(32);
    let err = conn.send_fixed(&REC).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 33, max: 32 });
    conn.flush().unwrap();
    assert!(conn.get_ref().get_ref().is_empty());
    // Another Config: a FixedRecord has only network order, fixed-width integers.
    for config in [
        record::Config::new().little_endian(),
        record::Config::new().varint(),
        record::Config::new().ascii_fixed(),
    ] {
        let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16).with_config(config);
        assert!(matches!(
            conn.send_fixed(&REC).unwrap_err().kind(),
            ErrorKind::Unsupported { .. }
        ));
        assert!(matches!(
            conn.recv_fixed::<Rec>().unwrap_err().kind(),
            ErrorKind::Unsupported { .. }
        ));
    }
    // Limits other than the encoding do not matter.
    let config = record::Config::new().with_max_len(1).with_max_depth(1);
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16).with_config(config);
    conn.send_fixed(&REC).unwrap();
}

#[test]
fn conn_sends_records_larger_than_the_write_slack() {
    #[derive(FixedRecord, Serialize, Debug, PartialEq)]
    struct Big {
        id: u32,
        body: [[[u8; 32]; 32]; 5],
    }
    let big = Big {
        id: 7,
        body: [[[3; 32]; 32]; 5],
    };
    for framing in [Framing::U16, Framing::Varint] {
        let mut a = Conn::new(Cursor::new(Vec::new()), framing);
        let mut b = Conn::new(Cursor::new(Vec::new()), framing);
        for _ in 0..3 {
            a.send_fixed(&REC).unwrap();
            a.send_fixed(&big).unwrap();
            b.send(&REC).unwrap();
            b.send(&big).unwrap();
        }
        a.flush().unwrap();
        b.flush().unwrap();
        assert_eq!(a.get_ref().get_ref(), b.get_ref().get_ref(), "{framing:?}");
    }
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::Fixed(5124));
    conn.send_fixed(&big).unwrap();
    conn.flush().unwrap();
    let wire = conn.get_ref().get_ref().clone();
    assert_eq!(wire.len(), 5124);
    let mut rx = Conn::new(Cursor::new(wire), Framing::Fixed(5124));
    assert_eq!(rx.recv_fixed::<Big>().unwrap(), Some(big));
}

#[test]
fn loopback_exactly_once_then_truncated_peer() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    const N: u32 = 20_000;
    let sender = std::thread::spawn(move || {
        let stream = TcpStream::connect(addr).unwrap();
        let mut conn = Conn::new(stream, Framing::U32);
        for i in 0..N {
            conn.send_fixed(&Rec { seq: i, ..REC }).unwrap();
        }
        conn.flush().unwrap();
        // Then half a record, and close.
        use std::io::Write;
        conn.get_mut().write_all(&[0, 0, 0, 33, 1, 2, 3]).unwrap();
    });
    let (stream, _) = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut conn = Conn::new(stream, Framing::U32);
    for i in 0..N {
        assert_eq!(
            conn.recv_fixed::<Rec>().unwrap(),
            Some(Rec { seq: i, ..REC })
        );
    }
    let err = conn.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: 37,
            received: 7
        }
    );
    sender.join().unwrap();
}

/// Regression: the generated code names the primitive types by their full path, so a type
/// alias or struct named `u8`, `usize` or `bool` where the derive is used does not change the
/// generated methods' signatures (it failed to compile: "expected `&mut [u8]`, found `&mut
/// [u16]`").
mod primitives_shadowed {
    #![allow(non_camel_case_types)]
    use netorder::record::{FixedRecord, fixed};

    type u8 = u16;
    type usize = u32;
    type bool = [u16; 1];

    #[derive(FixedRecord, Debug, PartialEq)]
    pub struct Shadowed {
        a: u8,
        b: usize,
        c: bool,
    }

    #[test]
    fn primitive_names_shadowed_where_the_derive_runs() {
        assert_eq!(Shadowed::SIZE, 2 + 4 + 2);
        let v = Shadowed {
            a: 0x0102,
            b: 0x03040506,
            c: [0x0708],
        };
        let bytes = fixed::to_vec(&v).unwrap();
        assert_eq!(bytes, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(fixed::from_bytes::<Shadowed>(&bytes).unwrap(), v);
    }
}

/// Regression: serde's renames change the names in the serde path's error paths; the derive
/// reads them too (it wrote the Rust names: `is_up` where serde says `isUp`). A transparent
/// struct adds no segment, as in serde.
#[test]
fn serde_renames_and_transparent_give_the_same_paths() {
    #[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Camel {
        is_up: bool,
        #[serde(rename = "Down")]
        down: bool,
        #[serde(rename(serialize = "ignored", deserialize = "de_name"))]
        both: bool,
        #[serde(rename(serialize = "only_ser"))]
        ser_only: bool,
        r#type: bool,
        #[serde(alias = "other", default)]
        long_field_name_here: bool,
    }
    #[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    #[serde(rename_all(serialize = "UPPERCASE", deserialize = "SCREAMING-KEBAB-CASE"))]
    struct Kebab {
        a_b: bool,
        inner: [Camel; 2],
    }
    #[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    #[serde(transparent)]
    struct Transparent {
        inner: (u8, Kebab),
    }
    #[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct Pascal {
        x_y_z: bool,
        t: Transparent,
    }
    assert_eq!(Camel::SIZE, 6);
    assert_eq!(Pascal::SIZE, 1 + 1 + 1 + 12);
    let mut expected = Vec::new();
    for offset in 0..Pascal::SIZE {
        if offset == 1 {
            continue; // the tuple's u8
        }
        let mut bytes = vec![0u8; Pascal::SIZE];
        bytes[offset] = 2;
        let err = fixed::from_bytes::<Pascal>(&bytes).unwrap_err();
        let serde_err = record::from_bytes::<Pascal>(&bytes).unwrap_err();
        assert_eq!(err, serde_err, "offset {offset}");
        expected.push(err.field().unwrap().to_owned());
    }
    assert_eq!(
        expected,
        [
            "XYZ",
            "T[1].A-B",
            "T[1].INNER[0].isUp",
            "T[1].INNER[0].Down",
            "T[1].INNER[0].de_name",
            "T[1].INNER[0].serOnly",
            "T[1].INNER[0].type",
            "T[1].INNER[0].longFieldNameHere",
            "T[1].INNER[1].isUp",
            "T[1].INNER[1].Down",
            "T[1].INNER[1].de_name",
            "T[1].INNER[1].serOnly",
            "T[1].INNER[1].type",
            "T[1].INNER[1].longFieldNameHere",
        ][..]
    );
}

/// Regression: a `#[repr(packed)]` struct did not compile (E0793, "reference to field of
/// packed struct is unaligned", on a reference the user never wrote); its fields are now
/// copied out.
#[test]
fn packed_structs_derive_too() {
    #[derive(FixedRecord, Serialize, Deserialize, Clone, Copy, Debug)]
    #[repr(C, packed)]
    struct Packed {
        kind: u8,
        len: u32,
        wide: u128,
        up: bool,
    }
    #[derive(FixedRecord, Clone, Copy, Debug)]
    #[repr(Rust, packed(2))]
    struct Packed2(u8, u64, Packed);
    let v = Packed {
        kind: 1,
        len: 0x0203_0405,
        wide: 6,
        up: true,
    };
    let bytes = fixed::to_vec(&v).unwrap();
    assert_eq!(bytes, record::to_vec(&v).unwrap());
    assert_eq!(bytes.len(), 22);
    assert_eq!(
        fixed::to_vec(&fixed::from_bytes::<Packed>(&bytes).unwrap()).unwrap(),
        bytes
    );
    let two = fixed::to_vec(&Packed2(9, 10, v)).unwrap();
    assert_eq!(two[..9], [9, 0, 0, 0, 0, 0, 0, 0, 10]);
    assert_eq!(two[9..], bytes[..]);
    let mut bad = two.clone();
    bad[30] = 3;
    let err = fixed::from_bytes::<Packed2>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidBool {
            offset: 30,
            byte: 3
        }
    );
    assert_eq!(err.field(), Some("[2].up"));
}

/// Encodes `value` with both paths, then corrupts every byte of it in turn (2, 0x80, 0xFF):
/// the fixed path must give the serde path's value (re-encoded) or its error, exactly.
fn agrees_with_serde<T>(value: &T)
where
    T: FixedRecord + Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let bytes = fixed::to_vec(value).unwrap();
    assert_eq!(bytes.len(), T::SIZE);
    assert_eq!(bytes, record::to_vec(value).unwrap());
    assert_eq!(record::record_size::<T>().unwrap(), T::SIZE);
    for offset in 0..bytes.len() {
        for byte in [2u8, 0x80, 0xFF] {
            let mut bad = bytes.clone();
            bad[offset] = byte;
            match (fixed::from_bytes::<T>(&bad), record::from_bytes::<T>(&bad)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(fixed::to_vec(&a).unwrap(), record::to_vec(&b).unwrap())
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "offset {offset} byte {byte}"),
                (a, b) => panic!("offset {offset}: fixed {a:?} vs serde {b:?}"),
            }
            // With trailing data, take_from_bytes reads the same record.
            bad.extend_from_slice(&[2, 2]);
            match (
                fixed::take_from_bytes::<T>(&bad),
                record::take_from_bytes::<T>(&bad),
            ) {
                (Ok((a, n)), Ok((b, m))) => {
                    assert_eq!(
                        (fixed::to_vec(&a).unwrap(), n),
                        (record::to_vec(&b).unwrap(), m)
                    );
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "take, offset {offset} byte {byte}"),
                (a, b) => panic!("take, offset {offset}: fixed {a:?} vs serde {b:?}"),
            }
        }
    }
}

/// Generic structs: a type parameter with a default, const generics, a lifetime (through
/// `PhantomData`), where clauses.
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct WithDefault<T = u16>
where
    T: Copy,
{
    items: [T; 2],
    last: bool,
}

/// (serde has no `[T; N]` for a const `N`: compared with the tuple serde writes.)
#[derive(FixedRecord, Debug, PartialEq)]
struct ConstGeneric<const N: usize, T: Copy = bool>(u8, [T; N]);

#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct Borrowing<'a, T: 'a> {
    id: u8,
    #[serde(default)]
    _unused: (),
    marker: std::marker::PhantomData<&'a T>,
    up: bool,
}

/// Names of std types and of the trait itself, as struct names.
mod std_names {
    #![allow(non_camel_case_types)]
    use serde::{Deserialize, Serialize};

    #[derive(netorder::record::FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    pub struct Result {
        pub ok: bool,
    }
    #[derive(netorder::record::FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    pub struct Option(pub bool);
    #[derive(netorder::record::FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    pub struct Vec<T>(pub T, pub Result);
    #[derive(netorder::record::FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    pub struct r#FixedRecord {
        pub r#fn: Option,
        pub r#match: [Result; 2],
    }
    #[derive(netorder::record::FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
    pub struct Error {
        pub e: Vec<u8>,
    }
}

type Port = u16;
mod aliases {
    pub type Flags = [bool; 3];
}

/// Paths to type aliases, nested arrays, a newtype over a tuple, unit structs and
/// zero-sized arrays in the middle.
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct Shapes {
    port: Port,
    flags: self::aliases::Flags,
    grid: [[bool; 2]; 3],
    newtype: NewTuple,
    empty: [[Marker; 3]; 0],
    markers: [Marker; 4],
    units: [(); 5],
    nothing: [[u64; 0]; 7],
    deep: Deep,
}

#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct NewTuple((bool, [bool; 2]));

/// A struct in an array in a tuple in a newtype in a tuple struct.
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct Deep(u8, Inner, (Wrap, [Flag; 2]));
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct Inner([Wrap; 2]);
#[derive(FixedRecord, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
struct Wrap((Flag, [Flag; 1]));

macro_rules! record_from_macro {
    ($name:ident { $($field:ident: $ty:ty),* }) => {
        #[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
        pub(crate) struct $name { $(pub $field: $ty),* }
    };
}
record_from_macro!(FromMacro {
    at: u16,
    end: bool,
    out: [bool; 2]
});

#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct EmptyTuple();
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct EmptyNamed {}
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq)]
struct Empties(EmptyTuple, [EmptyNamed; 2], bool, Marker, (EmptyTuple,));

/// 150 fields of every kind (the derive's sums and offsets at scale).
#[derive(FixedRecord, Serialize, Deserialize, Debug, PartialEq, Default)]
struct Many {
    f0: u8,
    f1: bool,
    f2: i16,
    f3: u32,
    f4: bool,
    f5: f32,
    f6: [bool; 2],
    f7: u64,
    f8: (bool, i8),
    f9: i128,
    f10: u8,
    f11: bool,
    f12: i16,
    f13: u32,
    f14: bool,
    f15: f32,
    f16: [bool; 2],
    f17: u64,
    f18: (bool, i8),
    f19: i128,
    f20: u8,
    f21: bool,
    f22: i16,
    f23: u32,
    f24: bool,
    f25: f32,
    f26: [bool; 2],
    f27: u64,
    f28: (bool, i8),
    f29: i128,
    f30: u8,
    f31: bool,
    f32: i16,
    f33: u32,
    f34: bool,
    f35: f32,
    f36: [bool; 2],
    f37: u64,
    f38: (bool, i8),
    f39: i128,
    f40: u8,
    f41: bool,
    f42: i16,
    f43: u32,
    f44: bool,
    f45: f32,
    f46: [bool; 2],
    f47: u64,
    f48: (bool, i8),
    f49: i128,
    f50: u8,
    f51: bool,
    f52: i16,
    f53: u32,
    f54: bool,
    f55: f32,
    f56: [bool; 2],
    f57: u64,
    f58: (bool, i8),
    f59: i128,
    f60: u8,
    f61: bool,
    f62: i16,
    f63: u32,
    f64: bool,
    f65: f32,
    f66: [bool; 2],
    f67: u64,
    f68: (bool, i8),
    f69: i128,
    f70: u8,
    f71: bool,
    f72: i16,
    f73: u32,
    f74: bool,
    f75: f32,
    f76: [bool; 2],
    f77: u64,
    f78: (bool, i8),
    f79: i128,
    f80: u8,
    f81: bool,
    f82: i16,
    f83: u32,
    f84: bool,
    f85: f32,
    f86: [bool; 2],
    f87: u64,
    f88: (bool, i8),
    f89: i128,
    f90: u8,
    f91: bool,
    f92: i16,
    f93: u32,
    f94: bool,
    f95: f32,
    f96: [bool; 2],
    f97: u64,
    f98: (bool, i8),
    f99: i128,
    f100: u8,
    f101: bool,
    f102: i16,
    f103: u32,
    f104: bool,
    f105: f32,
    f106: [bool; 2],
    f107: u64,
    f108: (bool, i8),
    f109: i128,
    f110: u8,
    f111: bool,
    f112: i16,
    f113: u32,
    f114: bool,
    f115: f32,
    f116: [bool; 2],
    f117: u64,
    f118: (bool, i8),
    f119: i128,
    f120: u8,
    f121: bool,
    f122: i16,
    f123: u32,
    f124: bool,
    f125: f32,
    f126: [bool; 2],
    f127: u64,
    f128: (bool, i8),
    f129: i128,
    f130: u8,
    f131: bool,
    f132: i16,
    f133: u32,
    f134: bool,
    f135: f32,
    f136: [bool; 2],
    f137: u64,
    f138: (bool, i8),
    f139: i128,
    f140: u8,
    f141: bool,
    f142: i16,
    f143: u32,
    f144: bool,
    f145: f32,
    f146: [bool; 2],
    f147: u64,
    f148: (bool, i8),
    f149: i128,
}

#[test]
fn derive_edge_cases_agree_with_the_serde_path() {
    let flag = Flag {
        on: true,
        level: -3,
    };
    let wrap = Wrap((flag, [flag]));
    let deep = Deep(7, Inner([wrap, wrap]), (wrap, [flag, flag]));
    assert_eq!(Deep::SIZE, 1 + 8 + 4 + 4);
    let shapes = Shapes {
        port: 0x1234,
        flags: [true, false, true],
        grid: [[true, false], [false, true], [true, true]],
        newtype: NewTuple((true, [false, true])),
        empty: [],
        markers: [Marker, Marker, Marker, Marker],
        units: [(); 5],
        nothing: [[]; 7],
        deep,
    };
    assert_eq!(Shapes::SIZE, 2 + 3 + 6 + 3 + Deep::SIZE);
    agrees_with_serde(&shapes);
    agrees_with_serde(&WithDefault {
        items: [1u16, 2],
        last: true,
    });
    agrees_with_serde(&WithDefault::<(i8, Flag)> {
        items: [(-1, flag); 2],
        last: false,
    });
    let c = ConstGeneric::<3>(1, [true, false, true]);
    assert_eq!(ConstGeneric::<3>::SIZE, 4);
    assert_eq!(
        fixed::to_vec(&c).unwrap(),
        record::to_vec(&(1u8, [true, false, true])).unwrap()
    );
    assert_eq!(
        fixed::from_bytes::<ConstGeneric<3>>(&[1, 1, 0, 1]).unwrap(),
        c
    );
    let err = fixed::from_bytes::<ConstGeneric<3>>(&[1, 1, 0, 7]).unwrap_err();
    let serde_err = record::from_bytes::<(u8, [bool; 3])>(&[1, 1, 0, 7]).unwrap_err();
    assert_eq!(err, serde_err);
    assert_eq!(err.field(), Some("[1][2]"));
    assert_eq!(ConstGeneric::<0, u64>::SIZE, 1);
    let b: Borrowing<'_, [u8; 3]> = Borrowing {
        id: 1,
        _unused: (),
        marker: Default::default(),
        up: true,
    };
    assert_eq!(Borrowing::<'static, ()>::SIZE, 2);
    agrees_with_serde(&b);
    {
        use std_names::*;
        agrees_with_serde(&Vec(Option(true), Result { ok: false }));
        agrees_with_serde(&FixedRecord {
            r#fn: Option(false),
            r#match: [Result { ok: true }, Result { ok: false }],
        });
        agrees_with_serde(&Error {
            e: Vec(3, Result { ok: true }),
        });
    }
    agrees_with_serde(&FromMacro {
        at: 1,
        end: true,
        out: [false, true],
    });
    agrees_with_serde(&Many::default());
    agrees_with_serde(&Empties(
        EmptyTuple(),
        [EmptyNamed {}, EmptyNamed {}],
        true,
        Marker,
        (EmptyTuple(),),
    ));
    assert_eq!(Empties::SIZE, 1);
    let many = Many {
        f149: -1,
        f148: (true, -128),
        ..Default::default()
    };
    agrees_with_serde(&many);

    // Some paths, spelled out.
    let bytes = fixed::to_vec(&shapes).unwrap();
    let path_at = |offset: usize| {
        let mut bad = bytes.clone();
        bad[offset] = 9;
        let err = fixed::from_bytes::<Shapes>(&bad).unwrap_err();
        assert_eq!(err.offset(), Some(offset));
        err.field().unwrap().to_owned()
    };
    assert_eq!(path_at(4), "flags[2]");
    assert_eq!(path_at(9), "grid[2][0]");
    assert_eq!(path_at(12), "newtype[1][0]");
    assert_eq!(path_at(15), "deep[1][0][0].on");
    assert_eq!(path_at(17), "deep[1][0][1][0].on");
    assert_eq!(path_at(21), "deep[1][1][1][0].on");
    assert_eq!(path_at(25), "deep[2][0][1][0].on");
    assert_eq!(path_at(29), "deep[2][1][1].on");
}

/// A record of `N + 1` bytes (a bool at the end, so a bad frame can be told apart).
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq)]
struct Blob<const N: usize> {
    body: [u8; N],
    up: bool,
}

fn blob<const N: usize>(seed: u8) -> Blob<N> {
    Blob {
        body: std::array::from_fn(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)),
        up: seed % 2 == 1,
    }
}

/// `send_fixed` writes what `send_frame` writes for the record's bytes, in every framing, for
/// records around the write buffer's 1 KiB slack (1022 to 1026 bytes with the prefix), larger
/// than the write buffer, and with write buffers of 0 to 64 KiB; `recv_fixed` reads them back.
#[test]
fn conn_send_fixed_matches_send_frame_around_every_buffer_edge() {
    fn run<const N: usize>(framing: Framing, write_buffer: usize, wire: &mut Vec<u8>) {
        let mut a = Conn::new(Cursor::new(Vec::new()), framing).with_write_buffer(write_buffer);
        let mut b = Conn::new(Cursor::new(Vec::new()), framing).with_write_buffer(write_buffer);
        for seed in 0..5u8 {
            a.send_fixed(&blob::<N>(seed)).unwrap();
            b.send_frame(&fixed::to_vec(&blob::<N>(seed)).unwrap())
                .unwrap();
            if !matches!(framing, Framing::Fixed(_)) {
                a.send_fixed(&REC).unwrap();
                b.send_frame(&fixed::to_vec(&REC).unwrap()).unwrap();
            }
            assert_eq!(a.pending_write(), b.pending_write(), "N {N} {framing:?}");
        }
        a.flush().unwrap();
        b.flush().unwrap();
        assert_eq!(
            a.get_ref().get_ref(),
            b.get_ref().get_ref(),
            "N {N} {framing:?}"
        );
        let mut rx = Conn::new(Cursor::new(a.get_ref().get_ref().clone()), framing);
        for seed in 0..5u8 {
            assert_eq!(rx.recv_fixed::<Blob<N>>().unwrap(), Some(blob::<N>(seed)));
            if !matches!(framing, Framing::Fixed(_)) {
                assert_eq!(rx.recv_fixed::<Rec>().unwrap(), Some(REC));
            }
        }
        assert_eq!(rx.recv_fixed::<Blob<N>>().unwrap(), None);
        wire.extend_from_slice(a.get_ref().get_ref());
    }
    let mut wire = Vec::new();
    for write_buffer in [0, 1, 100, 1023, 1024, 1025, 5000, 64 << 10] {
        for framing in [Framing::U16, Framing::U32, Framing::Varint] {
            // Record sizes (N + 1) whose frames end just before, at and after the slack.
            run::<1017>(framing, write_buffer, &mut wire);
            run::<1018>(framing, write_buffer, &mut wire);
            run::<1019>(framing, write_buffer, &mut wire);
            run::<1020>(framing, write_buffer, &mut wire);
            run::<1021>(framing, write_buffer, &mut wire);
            run::<1022>(framing, write_buffer, &mut wire);
            run::<1023>(framing, write_buffer, &mut wire);
            run::<1024>(framing, write_buffer, &mut wire);
            run::<126>(framing, write_buffer, &mut wire);
            run::<127>(framing, write_buffer, &mut wire);
            run::<6000>(framing, write_buffer, &mut wire);
            run::<70_000>(Framing::U32, write_buffer, &mut wire);
        }
        run::<1023>(Framing::Fixed(1024), write_buffer, &mut wire);
        run::<1024>(Framing::Fixed(1025), write_buffer, &mut wire);
        run::<6000>(Framing::Fixed(6001), write_buffer, &mut wire);
    }
    assert!(wire.len() > 10 << 20);
}

/// A refused `send_fixed` (another Config, a wrong `Fixed` size, over the frame limit or the
/// `U16` prefix) leaves what was queued before it as it was, and queues nothing.
#[test]
fn conn_a_refused_send_fixed_queues_nothing() {
    type Big = Blob<2047>;
    let big = blob::<2047>(1);
    let refusals: Vec<(Framing, record::Config, usize, ErrorKind)> = vec![
        (
            Framing::Fixed(33),
            record::Config::new(),
            usize::MAX,
            ErrorKind::LengthMismatch {
                expected: 33,
                actual: 2048,
            },
        ),
        (
            Framing::U32,
            record::Config::new(),
            2047,
            ErrorKind::FrameTooLong {
                len: 2048,
                max: 2047,
            },
        ),
        (
            Framing::Varint,
            record::Config::new().little_endian(),
            usize::MAX,
            ErrorKind::Unsupported {
                what: "send_fixed/recv_fixed on a connection whose Config is not big-endian \
                       with fixed-width integers",
            },
        ),
    ];
    for (framing, config, max, want) in refusals {
        let mut conn = Conn::new(Cursor::new(Vec::new()), framing)
            .with_config(config)
            .with_max_frame_len(max);
        if framing == Framing::Fixed(33) {
            conn.send_frame(&fixed::to_vec(&REC).unwrap()).unwrap();
        } else {
            conn.send_frame(b"before").unwrap();
        }
        let before = conn.pending_write();
        let err = conn.send_fixed::<Big>(&big).unwrap_err();
        assert_eq!(err.kind(), &want, "{framing:?}");
        assert_eq!(conn.pending_write(), before, "{framing:?}");
        conn.flush().unwrap();
        assert_eq!(conn.get_ref().get_ref().len(), before, "{framing:?}");
    }
    // A record over the U16 prefix's 65,535 bytes.
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16);
    let err = conn.send_fixed(&blob::<65_535>(0)).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::FrameTooLong {
            len: 65_536,
            max: 65_535
        }
    );
    assert_eq!(conn.pending_write(), 0);
    conn.send_fixed(&blob::<65_534>(0)).unwrap();
    conn.flush().unwrap();
    assert_eq!(conn.get_ref().get_ref().len(), 2 + 65_535);
}

/// `recv_fixed` on frames of the wrong length: the record's length error (`Incomplete` for the
/// whole record, `TrailingBytes`), the frame consumed and the connection still usable; a
/// frame cut by the peer's close is `Truncated`; a bad bool names its field.
#[test]
fn conn_recv_fixed_on_wrong_length_frames() {
    let mut wire = Vec::new();
    let good = fixed::to_vec(&REC).unwrap();
    for frame in [
        &good[..32],
        &good[..],
        &[&good[..], &[0][..]].concat(),
        &[][..],
        &good[..],
    ] {
        wire.extend_from_slice(&(frame.len() as u16).to_be_bytes());
        wire.extend_from_slice(frame);
    }
    let mut bad = good.clone();
    bad[22] = 2;
    wire.extend_from_slice(&[0, 33]);
    wire.extend_from_slice(&bad);
    wire.extend_from_slice(&[0, 33, 1, 2, 3]);
    let mut rx = Conn::new(Cursor::new(wire), Framing::U16);
    let err = rx.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 33,
            available: 32
        }
    );
    assert_eq!(rx.recv_fixed::<Rec>().unwrap(), Some(REC));
    let err = rx.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: 33,
            remaining: 1
        }
    );
    let err = rx.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 33,
            available: 0
        }
    );
    assert_eq!(rx.recv_fixed::<Rec>().unwrap(), Some(REC));
    let err = rx.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidBool {
            offset: 22,
            byte: 2
        }
    );
    assert_eq!(err.field(), Some("up"));
    let err = rx.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: 35,
            received: 5
        }
    );

    // A Fixed framing of another size than the record.
    let mut rx = Conn::new(Cursor::new(good.clone()), Framing::Fixed(11));
    let err = rx.recv_fixed::<Rec>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 33,
            available: 11
        }
    );
}

/// Floats by their bits (NaN payloads, signalling NaNs, -0.0, subnormals, infinities) and the
/// 128-bit integers' extremes: the bytes of `to_be_bytes`, the serde path's, and back bit for
/// bit on both paths.
#[test]
fn floats_and_wide_integers_bit_for_bit() {
    let f32s = [
        0x7fc0_0001u32, // quiet NaN with a payload
        0x7f80_0001,    // signalling NaN
        0xffff_ffff,    // negative NaN, all payload bits
        0x8000_0000,    // -0.0
        0x0000_0001,    // smallest subnormal
        0x7f80_0000,    // inf
        0xff80_0000,    // -inf
    ];
    let f64s = [
        0x7ff8_0000_0000_0001u64,
        0x7ff0_0000_0000_0001,
        0xffff_ffff_ffff_ffff,
        0x8000_0000_0000_0000,
        0x0000_0000_0000_0001,
    ];
    for (&a, &b) in f32s.iter().zip(f64s.iter().cycle()) {
        let v = (f32::from_bits(a), f64::from_bits(b), u128::MAX, i128::MIN);
        let bytes = fixed::to_vec(&v).unwrap();
        let mut want = a.to_be_bytes().to_vec();
        want.extend_from_slice(&b.to_be_bytes());
        want.extend_from_slice(&[0xFF; 16]);
        want.extend_from_slice(&i128::MIN.to_be_bytes());
        assert_eq!(bytes, want);
        assert_eq!(bytes, record::to_vec(&v).unwrap());
        let (x, y, u, i) = fixed::from_bytes::<(f32, f64, u128, i128)>(&bytes).unwrap();
        let (sx, sy, su, si) = record::from_bytes::<(f32, f64, u128, i128)>(&bytes).unwrap();
        assert_eq!(
            (x.to_bits(), y.to_bits(), u, i),
            (a, b, u128::MAX, i128::MIN)
        );
        assert_eq!(
            (sx.to_bits(), sy.to_bits(), su, si),
            (a, b, u128::MAX, i128::MIN)
        );
    }
}

/// Any bytes (mostly 0, 1 and 2, so that bools are both valid and not): the derive's decoder
/// agrees with the serde path on the deep, zero-sized-in-the-middle and 150-field shapes.
fn agrees_on_bytes<T>(bytes: &[u8]) -> std::result::Result<(), TestCaseError>
where
    T: FixedRecord + Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match (fixed::from_bytes::<T>(bytes), expected_verdict::<T>(bytes)) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(fixed::to_vec(&a).unwrap(), bytes);
            prop_assert_eq!(record::to_vec(&b).unwrap(), bytes);
        }
        (Err(a), Err(b)) => prop_assert_eq!(a, b),
        (a, b) => prop_assert!(false, "fixed {:?} vs serde {:?}", a, b),
    }
    Ok(())
}

fn mostly_bools(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = std::vec::Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![4 => Just(0u8), 4 => Just(1u8), 1 => Just(2u8), 1 => any::<u8>()],
        len,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decodes_deep_shapes_like_the_serde_path(
        shapes in mostly_bools(Shapes::SIZE - 1..=Shapes::SIZE + 1),
        deep in mostly_bools(Deep::SIZE..=Deep::SIZE),
        many in mostly_bools(Many::SIZE..=Many::SIZE),
    ) {
        agrees_on_bytes::<Shapes>(&shapes)?;
        agrees_on_bytes::<Deep>(&deep)?;
        agrees_on_bytes::<Many>(&many)?;
    }
}
