//! Layouts of headers: netorder's format extension (names, bit groups) packs, unpacks and
//! explains an IPv4 header; `Layout::diagram` draws it with RFC 791 section 3.1's fields in
//! order and width; a derived record's layout (`Layout::of_fixed`) is the same.

use netorder::{ErrorKind, Layout, Value};
use netorder_support::headers::{Ipv4, SpacePacket};

/// RFC 791 section 3.1's header (without the options row), as the RFC draws it.
const RFC_791: &str = "\
\x200                   1                   2                   3
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|Version|  IHL  |Type of Service|          Total Length         |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|         Identification        |Flags|      Fragment Offset    |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|  Time to Live |    Protocol   |         Header Checksum       |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|                       Source Address                          |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|                    Destination Address                        |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
";

const IPV4: &str = "!{version:4 ihl:4} type_of_service:B total_length:H identification:H \
                    {flags:3 fragment_offset:13} time_to_live:B protocol:B header_checksum:H \
                    source:4s destination:4s";

/// The boxes of a diagram, row by row: (name, width in bits), names lowercased with spaces
/// and underscores dropped.
fn boxes(diagram: &str) -> Vec<Vec<(String, usize)>> {
    diagram
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            l[1..]
                .split_inclusive('|')
                .map(|b| {
                    let inner = b.trim_end_matches('|');
                    let name: String = inner
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                        .to_lowercase();
                    (name, inner.len().div_ceil(2))
                })
                .collect()
        })
        .collect()
}

#[test]
fn ipv4_diagram_has_rfc_791_fields_in_order_and_width() {
    let ours = Layout::parse(IPV4).unwrap().diagram();
    let theirs = boxes(RFC_791);
    let mine = boxes(&ours);
    let widths = |rows: &[Vec<(String, usize)>]| -> Vec<Vec<usize>> {
        rows.iter()
            .map(|r| r.iter().map(|b| b.1).collect())
            .collect()
    };
    assert_eq!(widths(&mine), widths(&theirs), "{ours}");
    // The RFC's names, abbreviated as it writes them, against ours.
    let rfc_names = [
        "version",
        "ihl",
        "typeofservice",
        "totallength",
        "identification",
        "flags",
        "fragmentoffset",
        "timetolive",
        "protocol",
        "headerchecksum",
        "sourceaddress",
        "destinationaddress",
    ];
    let names: Vec<String> = theirs.iter().flatten().map(|b| b.0.clone()).collect();
    assert_eq!(names, rfc_names);
    let ours_names: Vec<String> = mine.iter().flatten().map(|b| b.0.clone()).collect();
    for (o, t) in ours_names.iter().zip(&names) {
        assert!(
            t.starts_with(o.as_str()) || o == "source" || o == "destination",
            "{o} vs {t}"
        );
    }
    // The rules and the bit-number header are the RFC's exactly.
    let rules = |d: &str| -> Vec<String> {
        d.lines()
            .filter(|l| !l.starts_with('|'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(rules(&ours), rules(RFC_791));
    // A derived record draws the same diagram.
    assert_eq!(Layout::of_fixed::<Ipv4>().unwrap().diagram(), ours);
}

#[test]
fn extension_packs_unpacks_and_explains_an_ipv4_header() {
    let layout = Layout::parse(IPV4).unwrap();
    assert_eq!(layout.size(), 20);
    assert_eq!(layout.value_count(), 12);
    let captured = [
        0x45, 0x00, 0x00, 0x24, 0x74, 0x5f, 0x40, 0x00, 0x40, 0x11, 0xc8, 0x67, 127, 0, 0, 1, 127,
        0, 0, 1,
    ];
    let values = layout.unpack(&captured).unwrap();
    assert_eq!(values[..3], [Value::Int(4), Value::Int(5), Value::Int(0)]);
    assert_eq!(values[5], Value::Int(2), "flags: don't fragment");
    assert_eq!(layout.pack(&values).unwrap(), captured);
    let text = layout.explain(&captured).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "     0  45           field 0 bits 0-3 version           4"
    );
    assert_eq!(
        lines[1],
        "     0  45           field 1 bits 4-7 ihl               5"
    );
    assert_eq!(
        lines[5],
        "     6  40           field 5 bits 0-2 flags             2"
    );
    assert_eq!(
        lines[6],
        "     6  40 00        field 6 bits 3-15 fragment_offset  0"
    );
    // A value that does not fit its bits: refused, naming the field and its width.
    let mut bad = values.clone();
    bad[1] = Value::Int(16);
    let err = layout.pack(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BitsOutOfRange { value: 16, bits: 4 }
    );
    assert_eq!(err.field(), Some("1 (ihl:4)"));
    assert_eq!(
        err.to_string(),
        "field `1 (ihl:4)`: value 16 out of range for 4 bits (0..=15)"
    );
    // The derived record's layout packs the same bytes.
    let derived = Layout::of_fixed::<Ipv4>().unwrap();
    assert_eq!(derived.size(), 20);
    assert_eq!(derived.pack(&values).unwrap(), captured);
    assert_eq!(
        derived.struct_format(),
        Layout::parse(IPV4).unwrap().struct_format()
    );
}

#[test]
fn derived_enums_are_checked_by_the_layout() {
    let layout = Layout::of_fixed::<SpacePacket>().unwrap();
    assert_eq!(
        layout.struct_format(),
        "!{version:3 packet_type:1 secondary_header:? apid:11 sequence_flags:2 \
         sequence_count:14} data_length:H"
    );
    let kinds = layout
        .fields()
        .nth(1)
        .unwrap()
        .bits
        .unwrap()
        .variants
        .unwrap();
    assert_eq!(kinds[1], ("Telecommand".into(), 1));
    let values = layout.unpack(&[0x18, 0x73, 0xc0, 0x19, 0, 4]).unwrap();
    assert_eq!(values[2], Value::Bool(true));
    assert_eq!(values[3], Value::Int(0x73));
    let diagram = layout.diagram();
    assert!(
        diagram.contains("|versi|p|s|         apid        |seq|"),
        "{diagram}"
    );
}

#[test]
fn extension_errors_and_plain_formats() {
    let position = |fmt: &str| match Layout::parse(fmt).unwrap_err().kind() {
        ErrorKind::BadFormat { position, reason } => (*position, *reason),
        other => panic!("{other:?}"),
    };
    assert_eq!(position("!{a:3 b:4}").0, 1, "7 bits: the group");
    assert!(position("!{a:3 b:4}").1.contains("whole bytes"));
    assert_eq!(position("{a:8}").0, 0, "bit groups need ! or >");
    assert_eq!(position("<{a:8}").0, 1);
    assert_eq!(position("!{a:65}").0, 4);
    assert_eq!(position("!{a:0 b:8}").0, 4);
    assert_eq!(position("!{a:8").0, 1);
    assert_eq!(
        position("!a:8}").0,
        4,
        "a closing brace without an opening one"
    );
    assert_eq!(position("!pad:x").0, 5);
    assert_eq!(position("!name:").0, 1);
    assert!(Layout::parse("!{}").is_err());
    // Padding bits, unnamed and bool bits.
    let layout = Layout::parse("!{3x df:? mf:? 11} ttl:B").unwrap();
    assert_eq!(layout.value_count(), 4);
    let bytes = layout
        .pack(&[
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(0x2BC),
            Value::Int(9),
        ])
        .unwrap();
    assert_eq!(bytes, [0x12, 0xBC, 9]);
    assert_eq!(
        layout.unpack(&[0xFF, 0xBC, 9]).unwrap(),
        [
            Value::Bool(true),
            Value::Bool(true),
            Value::Int(0x7BC),
            Value::Int(9)
        ]
    );
    // Plain formats: names are optional, and a format without them is Python's.
    assert_eq!(Layout::parse("!HI").unwrap().struct_format(), "!HI");
    assert_eq!(
        Layout::parse("!port:H addr:4s")
            .unwrap()
            .fields()
            .map(|f| f.name)
            .collect::<Vec<_>>(),
        [Some("port"), Some("addr")]
    );
}

/// Padding bytes after a bit group that ends in padding bits are padding bytes of their own:
/// they were once counted into the group's last item (the layout's size was right, but
/// `explain` lost their line and the format lost them).
#[test]
fn padding_bytes_after_padding_bits_stay_bytes() {
    let layout = Layout::parse("!{3x k:? 4x} 2x").unwrap();
    assert_eq!(layout.size(), 3);
    assert_eq!(layout.struct_format(), "!{3x k:? 4x} 2x");
    let text = layout.explain(&[0x10, 0xff, 0xff]).unwrap();
    assert_eq!(
        text.lines().last(),
        Some("     1  ff ff  pad 'x'"),
        "{text}"
    );
    let again = Layout::parse(&layout.struct_format()).unwrap();
    assert_eq!(again, layout);
}

/// Padding bits wider than 64 in a bit group (`{80x}`, allowed: only a field is 1 to 64 bits)
/// made `pack` shift a `u64` by 64 or more: a panic in a debug build (found by the
/// `layout_parse` fuzz target, format `!999s{80x}ss999s{8x8x}`). They pack as zeros, unpack
/// as nothing, and the fields beside them keep their bits.
#[test]
fn padding_bits_wider_than_64_pack_as_zeros() {
    for (format, size) in [
        ("!{80x}", 10),
        ("!{8 80x ?7x}", 12),
        ("!999s{80x}ss999s{8x8x}", 2012),
    ] {
        let layout = Layout::parse(format).unwrap();
        assert_eq!(layout.size(), size, "{format}");
        let bytes = vec![0xff; size];
        let values = layout.unpack(&bytes).unwrap();
        assert_eq!(values.len(), layout.value_count(), "{format}");
        let packed = layout.pack(&values).unwrap();
        assert_eq!(layout.unpack(&packed).unwrap(), values, "{format}");
    }
    let layout = Layout::parse("!{8 80x ?7x}").unwrap();
    let values = layout.unpack(&[0xff; 12]).unwrap();
    assert_eq!(values, [Value::Int(0xff), Value::Bool(true)]);
    let mut want = [0u8; 12];
    want[0] = 0xff; // the 8-bit field
    want[11] = 0x80; // the bool, after 8 + 80 bits
    assert_eq!(layout.pack(&values).unwrap(), want);
}
