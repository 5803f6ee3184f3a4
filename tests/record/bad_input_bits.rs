//! The bad-input catalogue for bit fields and views: each row asserts the exact error kind and
//! every number in it, and the field path.
//!
//! Classes: every proper prefix of a header (decoder and views: `Incomplete` with the counts),
//! trailing bytes, enum bits that are no variant (offset of the field's byte, the value),
//! values that do not fit their bits (the value and the width, never truncated), and bit-group
//! format strings that the extension refuses (position and reason).

use netorder::record::{FixedRecord, fixed};
use netorder::{ErrorKind, Layout};
use netorder_support::headers::*;

#[test]
fn every_proper_prefix_of_a_header_is_incomplete() {
    let bytes = [
        0x45u8, 0, 0, 20, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    for k in 0..bytes.len() {
        let want = ErrorKind::Incomplete {
            offset: 0,
            needed: 20,
            available: k,
        };
        assert_eq!(
            fixed::from_bytes::<Ipv4>(&bytes[..k]).unwrap_err().kind(),
            &want
        );
        assert_eq!(Ipv4View::new(&bytes[..k]).unwrap_err().kind(), &want);
        let mut copy = bytes[..k].to_vec();
        assert_eq!(Ipv4ViewMut::new(&mut copy).unwrap_err().kind(), &want);
    }
    // A view takes the rest as payload; the decoder refuses it.
    let mut long = bytes.to_vec();
    long.push(9);
    assert_eq!(Ipv4View::new(&long).unwrap().payload(), &[9]);
    assert_eq!(
        fixed::from_bytes::<Ipv4>(&long).unwrap_err().kind(),
        &ErrorKind::TrailingBytes {
            offset: 20,
            remaining: 1
        }
    );
}

#[test]
fn enum_bits_that_are_no_variant() {
    // (bytes, offset of the field's first byte, value, path)
    let rows: [(&[u8], usize, u64, &str); 4] = [
        (&[0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, 3, "opcode"),
        (&[0, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, 6, "opcode"),
        (&[0, 0, 0x78, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, 15, "opcode"),
        (&[0, 0, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, 7, "opcode"),
    ];
    for (bytes, offset, index, path) in rows {
        let err = fixed::from_bytes::<Dns>(bytes).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::InvalidVariant { offset, index });
        assert_eq!(err.field(), Some(path));
        assert_eq!(DnsView::new(bytes).unwrap_err(), err);
        // Inside another record: the offset and the path grow.
        let mut outer = vec![0xAA, 0xBB];
        outer.extend_from_slice(bytes);
        let err = fixed::from_bytes::<(u16, Dns)>(&outer).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::InvalidVariant {
                offset: offset + 2,
                index
            }
        );
        assert_eq!(err.field(), Some(format!("[1].{path}").as_str()));
    }
}

#[test]
fn values_that_do_not_fit_their_bits() {
    let p = SpacePacket {
        version: 0,
        packet_type: PacketType::Telemetry,
        secondary_header: false,
        apid: 0,
        sequence_flags: SequenceFlags::Unsegmented,
        sequence_count: 0,
        data_length: 0,
    };
    // (record, value, bits, path): the smallest value that does not fit, and the largest.
    let rows = [
        (SpacePacket { version: 8, ..p }, 8, 3, "version"),
        (SpacePacket { version: 255, ..p }, 255, 3, "version"),
        (SpacePacket { apid: 0x800, ..p }, 0x800, 11, "apid"),
        (
            SpacePacket {
                apid: u16::MAX,
                ..p
            },
            0xFFFF,
            11,
            "apid",
        ),
        (
            SpacePacket {
                sequence_count: 0x4000,
                ..p
            },
            0x4000,
            14,
            "sequence_count",
        ),
    ];
    for (record, value, bits, path) in rows {
        let err = fixed::to_vec(&record).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::BitsOutOfRange { value, bits });
        assert_eq!(err.field(), Some(path));
        let mut out = [0xEEu8; 6];
        assert_eq!(fixed::to_slice(&record, &mut out).unwrap_err(), err);
        assert_eq!(out, [0xEE; 6], "nothing written");
    }
    // The largest values that fit are written whole.
    let max = SpacePacket {
        version: 7,
        apid: 0x7FF,
        sequence_count: 0x3FFF,
        ..p
    };
    assert_eq!(fixed::to_vec(&max).unwrap(), [0xE7, 0xFF, 0xFF, 0xFF, 0, 0]);
    assert_eq!(SpacePacket::SIZE, 6);
}

#[test]
fn bit_group_formats_the_extension_refuses() {
    let rows: [(&str, usize, &str); 8] = [
        (
            "!{a:3 b:4}",
            1,
            "a bit group must fill whole bytes (its widths add up to a multiple of 8)",
        ),
        (
            "{a:8}",
            0,
            "bit groups are network order: start the format with '!' or '>'",
        ),
        (
            "=H{a:8}",
            2,
            "bit groups are network order: start the format with '!' or '>'",
        ),
        ("!{a:65}", 4, "a bit field is 1 to 64 bits"),
        ("!{a:8", 1, "a bit group without its '}'"),
        ("!{{a:8}}", 2, "a bit group inside a bit group"),
        ("!{}", 1, "an empty bit group"),
        ("!a:x", 3, "padding has no name"),
    ];
    for (fmt, position, reason) in rows {
        assert_eq!(
            Layout::parse(fmt).unwrap_err().kind(),
            &ErrorKind::BadFormat { position, reason },
            "{fmt}"
        );
    }
}
