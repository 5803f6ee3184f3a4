//! Views in place and the corners of bit fields: setters that refuse what does not fit and
//! leave the bytes as they were, neighbours untouched, runs longer than 8 bytes (a 128-bit
//! word), 64-bit fields, nested records with bit fields (their paths), tuple, packed and generic
//! structs.

use netorder::ErrorKind;
use netorder::record::{BitValue, FixedRecord, fixed};
use netorder_support::headers::*;

#[test]
fn setters_write_in_place_and_refuse_what_does_not_fit() {
    let mut bytes = vec![0u8; Ipv4::SIZE + 3];
    bytes[20..].copy_from_slice(b"abc");
    let mut ip = Ipv4ViewMut::new(&mut bytes).unwrap();
    ip.set_version(4).unwrap();
    ip.set_ihl(5).unwrap();
    ip.set_flags(0b010).unwrap();
    ip.set_fragment_offset(0x1FFF).unwrap();
    ip.set_time_to_live(64);
    ip.set_source([10, 0, 0, 1]);
    assert_eq!(ip.payload(), b"abc");
    ip.payload_mut()[0] = b'x';
    let err = ip.set_ihl(16).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BitsOutOfRange { value: 16, bits: 4 }
    );
    assert_eq!(err.field(), Some("ihl"));
    let err = ip.set_fragment_offset(0x2000).unwrap_err();
    assert_eq!(
        err.to_string(),
        "field `fragment_offset`: value 8192 out of range for 13 bits (0..=8191)"
    );
    assert_eq!(ip.as_view().fragment_offset(), 0x1FFF, "nothing written");
    assert_eq!(ip.flags(), 0b010, "the neighbour is untouched");
    assert_eq!(
        bytes[..12],
        [0x45, 0, 0, 0, 0, 0, 0x5F, 0xFF, 64, 0, 0, 0],
        "version/IHL in one byte, flags and offset in one word"
    );
    assert_eq!(&bytes[20..], b"xbc");
    let record = Ipv4ViewMut::new(&mut bytes).unwrap().to_record();
    assert_eq!(record, fixed::from_bytes::<Ipv4>(&bytes[..20]).unwrap());

    // A whole record at once, refused as fixed::to_slice refuses it.
    let mut view = Ipv4ViewMut::new(&mut bytes).unwrap();
    let err = view
        .set_record(&Ipv4 {
            version: 99,
            ..record
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("version"));
    view.set_record(&Ipv4 {
        time_to_live: 1,
        ..record
    })
    .unwrap();
    assert_eq!(bytes[8], 1);
}

#[test]
fn views_check_length_and_validity_once() {
    let err = Ipv4View::new(&[0x45; 19]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 20,
            available: 19
        }
    );
    assert!(err.is_incomplete());
    // An unknown enum value: refused at construction, so getters never fail.
    let mut bytes = [0u8; 12];
    bytes[2] = 0x78; // opcode 15
    let err = DnsView::new(&bytes).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidVariant {
            offset: 2,
            index: 15
        }
    );
    let mut bytes = [0u8; 12];
    let mut dns = DnsViewMut::new(&mut bytes).unwrap();
    dns.set_opcode(Opcode::Update).unwrap();
    dns.set_rcode(3).unwrap();
    dns.set_qr(true).unwrap();
    assert_eq!(dns.opcode(), Opcode::Update);
    assert_eq!(bytes[2..4], [0xA8, 0x03]);
}

/// A run of 12 bytes (a 128-bit word), a 64-bit field and a 1-bit flag.
#[derive(FixedRecord, Debug, PartialEq, Clone, Copy)]
struct Wide {
    tag: u8,
    #[netorder(bits = 64)]
    big: u64,
    #[netorder(bits = 31)]
    mid: u32,
    #[netorder(bits = 1)]
    flag: bool,
    tail: u16,
}

#[test]
fn long_runs_and_64_bit_fields() {
    assert_eq!(Wide::SIZE, 1 + 12 + 2);
    let w = Wide {
        tag: 7,
        big: 0x0123_4567_89AB_CDEF,
        mid: 0x7FFF_FFFF,
        flag: false,
        tail: 0xBEEF,
    };
    let bytes = fixed::to_vec(&w).unwrap();
    assert_eq!(
        bytes,
        [
            7, 1, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFF, 0xFF, 0xFF, 0xFE, 0xBE, 0xEF
        ]
    );
    assert_eq!(fixed::from_bytes::<Wide>(&bytes).unwrap(), w);
    let mut bytes = bytes;
    let mut v = WideViewMut::new(&mut bytes).unwrap();
    v.set_flag(true).unwrap();
    v.set_big(u64::MAX).unwrap();
    assert_eq!(v.mid(), 0x7FFF_FFFF);
    assert!(v.flag());
    let err = v.set_mid(1 << 31).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BitsOutOfRange {
            value: 1 << 31,
            bits: 31
        }
    );
    assert_eq!(v.to_record().big, u64::MAX);
}

/// A record inside another: the inner bit fields' errors carry the outer path.
#[derive(FixedRecord, Debug, PartialEq, Clone, Copy)]
struct Framed {
    sync: u16,
    header: SpacePacket,
    trailer: [u8; 2],
}

#[test]
fn nested_records_check_and_name_their_bit_fields() {
    const { assert!(<Framed as FixedRecord>::SIZE == 10) };
    let p = SpacePacket {
        version: 0,
        packet_type: PacketType::Telemetry,
        secondary_header: false,
        apid: 0x7FF,
        sequence_flags: SequenceFlags::First,
        sequence_count: 0x3FFF,
        data_length: 1,
    };
    let f = Framed {
        sync: 0x1ACF,
        header: p,
        trailer: [1, 2],
    };
    let bytes = fixed::to_vec(&f).unwrap();
    assert_eq!(fixed::from_bytes::<Framed>(&bytes).unwrap(), f);
    let bad = Framed {
        header: SpacePacket { apid: 0x800, ..p },
        ..f
    };
    let err = fixed::to_vec(&bad).unwrap_err();
    assert_eq!(err.field(), Some("header.apid"));
    let mut buf = [0u8; 10];
    assert_eq!(fixed::to_slice(&bad, &mut buf).unwrap_err(), err);
    assert_eq!(buf, [0; 10], "nothing written");
    // The view's setter of a nested record checks it too.
    let mut bytes = bytes;
    let mut v = FramedViewMut::new(&mut bytes).unwrap();
    assert_eq!(
        v.set_header(SpacePacket { apid: 0x800, ..p }).unwrap_err(),
        err
    );
    v.set_header(SpacePacket { apid: 1, ..p }).unwrap();
    assert_eq!(v.header().apid, 1);
    // Arrays and tuples of records with bit fields are checked element by element.
    let err = fixed::to_vec(&[p, SpacePacket { version: 8, ..p }]).unwrap_err();
    assert_eq!(err.field(), Some("[1].version"));
    let err = fixed::to_vec(&(
        1u8,
        SpacePacket {
            sequence_count: 1 << 14,
            ..p
        },
    ))
    .unwrap_err();
    assert_eq!(err.field(), Some("[1].sequence_count"));
}

/// Tuple, packed and generic structs take bit fields too (views are for named, non-generic
/// structs).
#[derive(FixedRecord, Debug, PartialEq, Clone, Copy)]
struct Pair(#[netorder(bits = 4)] u8, #[netorder(bits = 12)] u16);

#[derive(FixedRecord, Debug, Clone, Copy)]
#[repr(C, packed)]
struct Packed {
    a: u8,
    #[netorder(bits = 3)]
    b: u8,
    #[netorder(bits = 13)]
    c: u16,
}

#[derive(FixedRecord, Debug, PartialEq)]
struct Generic<T> {
    #[netorder(bits = 4)]
    high: u8,
    #[netorder(bits = 4)]
    low: u8,
    value: T,
}

#[test]
fn tuple_packed_and_generic_structs() {
    assert_eq!(fixed::to_vec(&Pair(0xA, 0xBCD)).unwrap(), [0xAB, 0xCD]);
    let err = fixed::to_vec(&Pair(0x10, 0)).unwrap_err();
    assert_eq!(err.field(), Some("[0]"));
    let bytes = fixed::to_vec(&Packed { a: 1, b: 7, c: 2 }).unwrap();
    assert_eq!(bytes, [1, 0xE0, 2]);
    let p = fixed::from_bytes::<Packed>(&bytes).unwrap();
    assert_eq!({ p.c }, 2);
    let g = Generic {
        high: 1,
        low: 2,
        value: 0x0304u16,
    };
    assert_eq!(fixed::to_vec(&g).unwrap(), [0x12, 3, 4]);
    assert_eq!(fixed::from_bytes::<Generic<u16>>(&[0x12, 3, 4]).unwrap(), g);
}

#[test]
fn bit_values_of_the_headers_enums() {
    assert_eq!(Opcode::MIN_BITS, 3);
    assert_eq!(Opcode::__VARIANTS.len(), 5);
    assert_eq!(SequenceFlags::from_bits(2), Some(SequenceFlags::Last));
    assert_eq!(PacketType::from_bits(2), None);
    assert_eq!(SequenceFlags::Unsegmented.to_bits(), 3);
}
