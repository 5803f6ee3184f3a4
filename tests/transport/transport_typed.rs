//! Typed records through `Conn::send`/`Conn::recv`: every framing and record configuration,
//! cross-checked against bincode 2 (big-endian, fixed-int) and Python's `struct`, with
//! truncation and bad bytes reported with their numbers.

use netorder::ErrorKind;
use netorder::frame::{Framing, FramingKind, encode_frame};
use netorder::record::{self, Config};
use netorder::transport::Conn;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::os::unix::net::UnixStream;
use std::time::Duration;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Reading {
    sensor: u32,
    timestamp: u64,
    celsius: i16,
    value: f64,
    tag: [u8; 4],
    ok: bool,
}

fn reading(i: u32) -> Reading {
    Reading {
        sensor: i,
        timestamp: 1_700_000_000_000 + u64::from(i),
        celsius: -40 + (i % 100) as i16,
        value: f64::from(i) / 4.0,
        tag: *b"abcd",
        ok: i % 2 == 0,
    }
}

/// Reads everything a `Conn` over a cursor receives, until a clean close or an error.
fn recv_all<T: serde::de::DeserializeOwned>(
    conn: &mut Conn<Cursor<Vec<u8>>>,
    bound: usize,
) -> (Vec<T>, netorder::Result<()>) {
    let mut out = Vec::new();
    for _ in 0..=bound {
        match conn.recv::<T>() {
            Ok(Some(v)) => out.push(v),
            Ok(None) => return (out, Ok(())),
            Err(e) => return (out, Err(e)),
        }
    }
    panic!("more than {bound} records");
}

fn configs() -> [Config; 4] {
    [
        Config::new(),
        Config::new().little_endian(),
        Config::new().varint(),
        Config::new().ascii_fixed(),
    ]
}

#[test]
fn typed_records_round_trip_in_every_framing_and_config() {
    let records: Vec<Reading> = (0..100).map(reading).collect();
    for config in configs() {
        let size = config.record_size::<Reading>();
        for framing in [
            Framing::U16,
            Framing::U32,
            Framing::VARINT,
            Framing::fixed(0),
        ] {
            let framing = match framing.kind() {
                FramingKind::Fixed(_) => match size {
                    Ok(n) => Framing::fixed(n),
                    Err(_) => continue, // varint records have no fixed size
                },
                _ => framing,
            };
            let mut tx = Conn::new(Cursor::new(Vec::new()), framing).with_config(config);
            for r in &records {
                tx.send(r).unwrap();
            }
            tx.flush().unwrap();
            // The payloads are exactly the record layer's bytes.
            let mut expected = Vec::new();
            for r in &records {
                encode_frame(framing, &config.to_vec(r).unwrap(), &mut expected).unwrap();
            }
            let wire = tx.get_ref().get_ref().clone();
            assert_eq!(wire, expected, "{framing} {config:?}");
            let mut rx = Conn::new(Cursor::new(wire), framing).with_config(config);
            let (got, end) = recv_all::<Reading>(&mut rx, records.len());
            assert_eq!(got, records, "{framing} {config:?}");
            end.unwrap();
        }
    }
}

#[test]
fn default_config_payloads_are_bincode_2_big_endian_fixed_int() {
    let bincode_config = bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding();
    let mut tx = Conn::new(Cursor::new(Vec::new()), Framing::U32);
    let mut expected = Vec::new();
    for i in 0..20 {
        let r = reading(i);
        tx.send(&r).unwrap();
        let theirs = bincode::serde::encode_to_vec(&r, bincode_config).unwrap();
        encode_frame(Framing::U32, &theirs, &mut expected).unwrap();
    }
    tx.flush().unwrap();
    assert_eq!(tx.get_ref().get_ref(), &expected);
}

#[test]
fn typed_records_match_python_struct() {
    // Python packs three records with "!IQhd4s?" behind u16 prefixes; Conn::recv reads them.
    let script = r#"
import struct, sys
out = b""
for i in range(3):
    rec = struct.pack("!IQhd4s?", i, 1700000000000 + i, -40 + i % 100, i / 4.0, b"abcd", i % 2 == 0)
    out += struct.pack("!H", len(rec)) + rec
sys.stdout.buffer.write(out)
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .output()
        .expect("python3");
    assert!(out.status.success());
    let mut rx = Conn::new(Cursor::new(out.stdout), Framing::U16);
    let (got, end) = recv_all::<Reading>(&mut rx, 3);
    assert_eq!(got, (0..3).map(reading).collect::<Vec<_>>());
    end.unwrap();
}

#[test]
fn a_close_inside_a_typed_record_is_truncated_with_counts() {
    let mut wire = Vec::new();
    let bytes = record::to_vec(&reading(1)).unwrap();
    wire.extend_from_slice(&bytes);
    wire.extend_from_slice(&bytes[..10]);
    let mut rx = Conn::new(Cursor::new(wire), Framing::fixed(bytes.len()));
    let (got, end) = recv_all::<Reading>(&mut rx, 2);
    assert_eq!(got, [reading(1)]);
    assert_eq!(
        end.unwrap_err().kind(),
        &ErrorKind::Truncated {
            expected: bytes.len(),
            received: 10
        }
    );
}

#[test]
fn bad_bytes_in_a_frame_are_the_record_layers_error() {
    // A bool byte of 2 inside a whole frame.
    let mut bytes = record::to_vec(&reading(1)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] = 2;
    let mut wire = Vec::new();
    encode_frame(Framing::VARINT, &bytes, &mut wire).unwrap();
    let mut rx = Conn::new(Cursor::new(wire), Framing::VARINT);
    let err = rx.recv::<Reading>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidBool {
            offset: last,
            byte: 2
        }
    );
    // A frame with a byte too many.
    let mut bytes = record::to_vec(&reading(1)).unwrap();
    bytes.push(0);
    let mut wire = Vec::new();
    encode_frame(Framing::U16, &bytes, &mut wire).unwrap();
    let mut rx = Conn::new(Cursor::new(wire), Framing::U16);
    let err = rx.recv::<Reading>().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: bytes.len() - 1,
            remaining: 1
        }
    );
}

#[test]
fn a_record_too_long_for_the_frame_limit_is_refused_before_sending() {
    let mut tx = Conn::new(
        Cursor::new(Vec::new()),
        Framing::U32.with_max_frame_len(300),
    );
    let err = tx.send(&vec![7u8; 1000]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::FrameTooLong {
            len: 1008,
            max: 300
        }
    );
    assert_eq!(tx.pending_write(), 0);
    // Variable-size records grow the write buffer as needed (past its first 256 bytes).
    tx.send(&vec![7u8; 200]).unwrap();
    tx.flush().unwrap();
    let mut wire = tx.get_ref().get_ref().clone();
    let mut tx = Conn::new(
        Cursor::new(Vec::new()),
        Framing::U32.with_max_frame_len(1 << 20),
    );
    tx.send(&vec![9u8; 5000]).unwrap();
    tx.flush().unwrap();
    wire.extend_from_slice(tx.get_ref().get_ref());
    let mut rx = Conn::new(Cursor::new(wire), Framing::U32);
    assert_eq!(rx.recv::<Vec<u8>>().unwrap(), Some(vec![7u8; 200]));
    assert_eq!(rx.recv::<Vec<u8>>().unwrap(), Some(vec![9u8; 5000]));
    assert_eq!(rx.recv::<Vec<u8>>().unwrap(), None);
}

#[test]
fn request_reply_over_a_unix_socket() {
    let (a, b) = UnixStream::pair().unwrap();
    for s in [&a, &b] {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    }
    let server = std::thread::spawn(move || {
        let mut conn = Conn::new(b, Framing::VARINT);
        let mut n = 0;
        while let Some(r) = conn.recv::<Reading>().unwrap() {
            conn.send(&(r.sensor, r.ok)).unwrap();
            n += 1;
        }
        conn.shutdown_write().unwrap();
        n
    });
    let mut conn = Conn::new(a, Framing::VARINT);
    for i in 0..50 {
        conn.send(&reading(i)).unwrap();
        // recv sends the queued request first: no explicit flush, no deadlock.
        assert_eq!(conn.recv::<(u32, bool)>().unwrap(), Some((i, i % 2 == 0)));
    }
    conn.shutdown_write().unwrap();
    assert_eq!(conn.recv::<(u32, bool)>().unwrap(), None);
    assert_eq!(server.join().unwrap(), 50);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_records_round_trip(
        values in proptest::collection::vec((any::<u16>(), any::<i64>(), any::<bool>(), proptest::collection::vec(any::<u8>(), 0..20)), 0..30),
        framing in prop_oneof![Just(Framing::U16), Just(Framing::U32), Just(Framing::VARINT)],
        config_index in 0usize..4,
    ) {
        let config = configs()[config_index];
        let mut tx = Conn::new(Cursor::new(Vec::new()), framing).with_config(config);
        for v in &values {
            tx.send(v).unwrap();
        }
        tx.flush().unwrap();
        let wire = tx.get_ref().get_ref().clone();
        let mut rx = Conn::new(Cursor::new(wire), framing).with_config(config);
        let (got, end) = recv_all::<(u16, i64, bool, Vec<u8>)>(&mut rx, values.len());
        prop_assert_eq!(got, values);
        prop_assert!(end.is_ok());
    }

    /// Records serialized in place, moved for a longer varint prefix, or sent through the
    /// scratch buffer when they do not fit: the bytes are always prefix + the record layer's.
    #[test]
    fn in_place_serialization_matches_the_reference_bytes(
        lens in proptest::collection::vec(0usize..3000, 0..12),
        framing in prop_oneof![Just(Framing::U16), Just(Framing::U32), Just(Framing::VARINT)],
        write_buffer in prop_oneof![Just(0usize), 1usize..200, Just(1usize << 16)],
    ) {
        let mut tx = Conn::new(Cursor::new(Vec::new()), framing).with_write_buffer(write_buffer);
        let mut expected = Vec::new();
        for (i, len) in lens.iter().enumerate() {
            let v = vec![i as u8; *len];
            tx.send(&v).unwrap();
            encode_frame(framing, &record::to_vec(&v).unwrap(), &mut expected).unwrap();
        }
        tx.flush().unwrap();
        prop_assert_eq!(tx.get_ref().get_ref(), &expected);
    }
}
