//! What the `#![no_std]` core does with no features at all (no allocator): byte order, the
//! integer encodings' slice functions, records through `to_slice`/`from_bytes`, frames through
//! `write_header`/`decode_frame`, and the one error type.
//!
//! It runs under every feature set; the run that checks the no-allocator code is
//! `cargo test -p netorder --no-default-features --test no_std_core` (the other test files need
//! `std`; `-p netorder`: at the root, the CLI package would turn on its features).
//! Where the two differ (field paths, custom serde messages) both answers are asserted.

use netorder::frame::{Decoded, FrameSpan, Framing, decode_frame, write_header};
use netorder::int::{ascii, varint, zigzag};
use netorder::record::Config;
use netorder::{
    Endian, ErrorKind, IntEncoding, from_bytes, hton_write, ntoh_read, read_slice, to_slice,
    write_slice,
};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Header<'a> {
    kind: u8,
    len: u16,
    name: &'a str,
    flags: [bool; 2],
    code: Option<i32>,
}

const HEADER: Header<'static> = Header {
    kind: 7,
    len: 0x0102,
    name: "ok",
    flags: [true, false],
    code: Some(-2),
};

/// bincode 2 big-endian fixed-int bytes of `HEADER`.
const HEADER_BYTES: [u8; 20] = [
    7, 1, 2, 0, 0, 0, 0, 0, 0, 0, 2, b'o', b'k', 1, 0, 1, 0xff, 0xff, 0xff, 0xfe,
];

#[test]
fn records_go_through_a_slice_and_borrow_back() {
    let mut buf = [0u8; 32];
    let n = to_slice(&HEADER, &mut buf).unwrap();
    assert_eq!(buf[..n], HEADER_BYTES);
    let back: Header<'_> = from_bytes(&buf[..n]).unwrap();
    assert_eq!(back, HEADER);
    // `&str` borrows from the input: no allocation.
    assert!(std::ptr::eq(back.name.as_ptr(), buf[11..].as_ptr()));
}

#[test]
fn record_errors_have_kinds_and_offsets() {
    // The error names the whole record's size; what fitted was written (the name did not).
    let mut small = [0u8; 12];
    let err = to_slice(&HEADER, &mut small).unwrap_err();
    assert_eq!(small[..11], HEADER_BYTES[..11]);
    assert_eq!(small[11], 0);
    assert_eq!(
        err.kind(),
        &ErrorKind::BufferTooSmall {
            needed: 20,
            available: 12
        }
    );

    let err = from_bytes::<Header<'_>>(&HEADER_BYTES[..19]).unwrap_err();
    assert!(err.is_incomplete());
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 16,
            needed: 4,
            available: 3
        }
    );

    let mut bad = HEADER_BYTES;
    bad[14] = 2;
    let err = from_bytes::<Header<'_>>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidBool {
            offset: 14,
            byte: 2
        }
    );
    // Field paths are text: only with an allocator.
    #[cfg(feature = "alloc")]
    {
        assert_eq!(err.field(), Some("flags[1]"));
        assert_eq!(
            err.to_string(),
            "field `flags[1]`: invalid bool at byte 14: 0x02 (expected 0 or 1)"
        );
    }
    #[cfg(not(feature = "alloc"))]
    {
        assert_eq!(err.field(), None);
        assert_eq!(
            err.to_string(),
            "invalid bool at byte 14: 0x02 (expected 0 or 1)"
        );
    }

    let err = from_bytes::<u16>(&[0, 80, 0]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: 2,
            remaining: 1
        }
    );
}

#[test]
fn other_configs_work_without_an_allocator() {
    let mut buf = [0u8; 8];
    let n = Config::new()
        .varint()
        .to_slice(&(300u16, -1i8), &mut buf)
        .unwrap();
    assert_eq!(buf[..n], [0xac, 0x02, 0xff]);
    let n = Config::new()
        .little_endian()
        .to_slice(&0x0102u16, &mut buf)
        .unwrap();
    assert_eq!(buf[..n], [2, 1]);
}

/// Serialized with `collect_str`: without `alloc`, netorder counts the text, then writes it.
struct Port(u16);

impl Serialize for Port {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("port {}", self.0))
    }
}

/// A `Display` that writes one more byte every time it is shown.
struct Growing(std::cell::Cell<usize>);

impl std::fmt::Display for Growing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.get();
        self.0.set(n + 1);
        (0..n).try_for_each(|_| f.write_str("x"))
    }
}

impl Serialize for Growing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[test]
fn collect_str_writes_a_length_prefixed_string() {
    let mut buf = [0u8; 32];
    let n = to_slice(&Port(8080), &mut buf).unwrap();
    assert_eq!(buf[..n], *b"\0\0\0\0\0\0\0\x09port 8080");
    assert_eq!(from_bytes::<&str>(&buf[..n]).unwrap(), "port 8080");

    let mut small = [0u8; 12];
    let err = to_slice(&Port(8080), &mut small).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BufferTooSmall {
            needed: 17,
            available: 12
        }
    );

    let err = Config::new()
        .with_max_len(5)
        .to_slice(&Port(1), &mut buf)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 6,
            limit: 5
        }
    );

    // Shown once with an allocator (collected into a `String`), twice without (counted, then
    // written): the second showing differs, and that is refused, not written half.
    let result = to_slice(&Growing(std::cell::Cell::new(2)), &mut buf);
    #[cfg(feature = "alloc")]
    assert_eq!(result.unwrap(), 10);
    #[cfg(not(feature = "alloc"))]
    assert!(matches!(
        result.unwrap_err().kind(),
        ErrorKind::Unsupported { what } if what.contains("Display")
    ));
}

/// Refuses every value with a custom serde error.
#[derive(Debug)]
struct Refuses;

impl<'de> Deserialize<'de> for Refuses {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let _ = u8::deserialize(d)?;
        Err(serde::de::Error::custom("no thanks"))
    }
}

#[test]
fn custom_serde_errors_keep_their_message_only_with_an_allocator() {
    let err = from_bytes::<Refuses>(&[1]).unwrap_err();
    #[cfg(feature = "alloc")]
    assert_eq!(err.kind(), &ErrorKind::Message("no thanks".into()));
    #[cfg(not(feature = "alloc"))]
    assert!(matches!(
        err.kind(),
        ErrorKind::Unsupported { what } if what.contains("custom error")
    ));
}

#[test]
fn byte_order_and_bulk_conversions() {
    assert_eq!(ntoh_read::<u32>(&[1, 2, 3, 4, 5]).unwrap(), 0x0102_0304);
    let mut out = [0u8; 2];
    assert_eq!(hton_write(0xabcdu16, &mut out).unwrap(), 2);
    assert_eq!(out, [0xab, 0xcd]);
    let err = ntoh_read::<u64>(&[0; 5]).unwrap_err();
    assert_eq!(err.needed_more(), Some(3));

    let values = [1u32, 0x0a0b_0c0d, u32::MAX];
    let mut bytes = [0u8; 12];
    write_slice(&values, &mut bytes, Endian::Big).unwrap();
    assert_eq!(bytes[4..8], [0x0a, 0x0b, 0x0c, 0x0d]);
    let mut back = [0u32; 3];
    read_slice(&bytes, &mut back, Endian::Big).unwrap();
    assert_eq!(back, values);
    let err = read_slice(&bytes[..11], &mut back, Endian::Big).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 12,
            actual: 11
        }
    );
}

#[test]
fn integer_encodings_on_slices() {
    let mut buf = [0u8; varint::MAX_LEN];
    let n = varint::encode(300, &mut buf).unwrap();
    assert_eq!(buf[..n], [0xac, 0x02]);
    assert_eq!(IntEncoding::Varint.decode(&buf[..n]).unwrap(), (300, 2));
    let n = zigzag::encode(-2, &mut buf).unwrap();
    assert_eq!(buf[..n], [0x03]);
    let (digits, _) = ascii::digits_array(4096);
    assert_eq!(digits[..4], *b"4096");
    let ascii = IntEncoding::Ascii { terminator: b'\n' };
    assert_eq!(ascii.decode(b"42\nrest").unwrap(), (42, 3));
    assert!(ascii.decode(b"42").unwrap_err().is_incomplete());
    assert_eq!(
        IntEncoding::Varint
            .decode(&[0x80, 0x00])
            .unwrap_err()
            .kind(),
        &ErrorKind::Overlong { offset: 0, len: 2 }
    );
}

#[test]
fn frames_without_a_decoder() {
    let mut wire = [0u8; 16];
    let n = write_header(Framing::U16, 3, &mut wire).unwrap();
    wire[n..n + 3].copy_from_slice(b"abc");
    assert_eq!(
        decode_frame(Framing::U16, 64, &wire[..n + 3]).unwrap(),
        Decoded::Frame(FrameSpan {
            payload: 2..5,
            consumed: 5
        })
    );
    assert_eq!(
        decode_frame(Framing::U16, 64, &wire[..n + 1]).unwrap(),
        Decoded::Need(2)
    );
    let err = decode_frame(Framing::U16, 2, &wire[..n + 3]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 3,
            limit: 2
        }
    );
}

#[test]
fn the_error_is_core_error_which_is_std_error() {
    fn as_core(e: &dyn core::error::Error) -> String {
        e.to_string()
    }
    fn as_std(e: &dyn std::error::Error) -> String {
        e.to_string()
    }
    let err = ntoh_read::<u16>(&[]).unwrap_err();
    assert_eq!(
        as_core(&err),
        "incomplete input at byte 0: need 2 bytes, have 0"
    );
    assert_eq!(as_std(&err), as_core(&err));
}

/// The fixed-size path (`record::fixed`) needs neither an allocator nor serde: tuples and
/// arrays always, `#[derive(FixedRecord)]` with the `derive` feature (CI runs this file with
/// `--no-default-features --features derive` too).
#[test]
fn fixed_records_without_an_allocator() {
    use netorder::record::fixed;
    let mut buf = [0u8; 8];
    assert_eq!(
        fixed::to_slice(&(0x0102u16, [true, false], -2i32), &mut buf),
        Ok(8)
    );
    assert_eq!(buf, [1, 2, 1, 0, 0xff, 0xff, 0xff, 0xfe]);
    assert_eq!(
        fixed::from_bytes::<(u16, [bool; 2], i32)>(&buf),
        Ok((0x0102, [true, false], -2))
    );
    buf[3] = 7;
    let err = fixed::from_bytes::<(u16, [bool; 2], i32)>(&buf).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 3, byte: 7 });
    #[cfg(feature = "alloc")]
    assert_eq!(err.field(), Some("[1][1]"));
    #[cfg(not(feature = "alloc"))]
    assert_eq!(err.field(), None);

    #[cfg(feature = "derive")]
    {
        #[derive(netorder::record::FixedRecord, Debug, PartialEq)]
        struct Reading {
            sensor: u16,
            up: bool,
        }
        let mut out = [0u8; 3];
        assert_eq!(
            fixed::to_slice(
                &Reading {
                    sensor: 7,
                    up: true
                },
                &mut out
            ),
            Ok(3)
        );
        assert_eq!(out, [0, 7, 1]);
        assert_eq!(
            fixed::from_bytes::<Reading>(&out),
            Ok(Reading {
                sensor: 7,
                up: true
            })
        );
        assert!(
            fixed::from_bytes::<Reading>(&out[..2])
                .unwrap_err()
                .is_incomplete()
        );
    }

    // Bit fields and views without an allocator (no field paths then: the offset and the
    // kind still say what and where).
    #[cfg(feature = "derive")]
    {
        #[derive(netorder::record::BitValue, Debug, PartialEq, Clone, Copy)]
        enum Kind {
            Data = 0,
            Ack = 2,
        }
        #[derive(netorder::record::FixedRecord, Debug, PartialEq)]
        struct Header {
            #[netorder(bits = 2)]
            kind: Kind,
            #[netorder(bits = 1)]
            last: bool,
            #[netorder(bits = 13)]
            length: u16,
        }
        let mut out = [0u8; 3];
        let h = Header {
            kind: Kind::Ack,
            last: true,
            length: 0x1FFF,
        };
        assert_eq!(fixed::to_slice(&h, &mut out), Ok(2));
        assert_eq!(out[..2], [0xBF, 0xFF]); // 10 1 1111111111111
        let too_long = Header {
            length: 0x2000,
            ..h
        };
        let err = fixed::to_slice(&too_long, &mut out).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::BitsOutOfRange {
                value: 0x2000,
                bits: 13
            }
        );
        let view = HeaderView::new(&out).unwrap();
        assert_eq!(
            (view.kind(), view.last(), view.length()),
            (Kind::Ack, true, 0x1FFF)
        );
        assert_eq!(view.payload(), &[0]);
        out[0] = 0x7F; // kind 1: no variant
        let err = fixed::from_bytes::<Header>(&out[..2]).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::InvalidVariant {
                offset: 0,
                index: 1
            }
        );
        assert_eq!(HeaderViewMut::new(&mut out[..]).unwrap_err(), err);
    }
}
