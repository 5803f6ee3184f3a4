//! Real protocol headers as `#[derive(FixedRecord)]` records with bit fields, shared by the
//! header tests (`tests/headers/`), the header bench and the `headers` fuzz target: IPv4
//! (RFC 791 section 3.1), UDP (RFC 768), TCP (RFC 9293 section 3.1), ICMP echo (RFC 792), the
//! DNS header (RFC 1035 section 4.1.1) and the CCSDS space packet primary header
//! (CCSDS 133.0-B-2 section 4.1.3). Beside the two the benches measure (IPv4, CCSDS), the
//! hand-written shift-and-mask decoders they are compared with.

// The derive crate directly (see `rec.rs`).
use netorder_derive::{BitValue, FixedRecord};

/// The IPv4 header without options (RFC 791 section 3.1), its fields named and sized as the
/// RFC's diagram has them.
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4 {
    /// 4 for IPv4.
    #[netorder(bits = 4)]
    pub version: u8,
    /// The header's length in 32-bit words: 5 without options, up to 15.
    #[netorder(bits = 4)]
    pub ihl: u8,
    pub type_of_service: u8,
    pub total_length: u16,
    pub identification: u16,
    /// Bit 0 reserved (zero), bit 1 don't fragment, bit 2 more fragments.
    #[netorder(bits = 3)]
    pub flags: u8,
    #[netorder(bits = 13)]
    pub fragment_offset: u16,
    pub time_to_live: u8,
    pub protocol: u8,
    pub header_checksum: u16,
    pub source: [u8; 4],
    pub destination: [u8; 4],
}

/// The UDP header (RFC 768).
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Udp {
    pub source_port: u16,
    pub destination_port: u16,
    pub length: u16,
    pub checksum: u16,
}

/// The TCP header without options (RFC 9293 section 3.1): the data offset, 4 reserved bits
/// and the eight control bits.
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tcp {
    pub source_port: u16,
    pub destination_port: u16,
    pub sequence_number: u32,
    pub acknowledgment_number: u32,
    /// The header's length in 32-bit words: 5 without options.
    #[netorder(bits = 4)]
    pub data_offset: u8,
    #[netorder(bits = 4)]
    pub reserved: u8,
    #[netorder(bits = 1)]
    pub cwr: bool,
    #[netorder(bits = 1)]
    pub ece: bool,
    #[netorder(bits = 1)]
    pub urg: bool,
    #[netorder(bits = 1)]
    pub ack: bool,
    #[netorder(bits = 1)]
    pub psh: bool,
    #[netorder(bits = 1)]
    pub rst: bool,
    #[netorder(bits = 1)]
    pub syn: bool,
    #[netorder(bits = 1)]
    pub fin: bool,
    pub window: u16,
    pub checksum: u16,
    pub urgent_pointer: u16,
}

/// An ICMP echo request or reply (RFC 792): type 8 or 0, code 0.
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq, Eq)]
pub struct IcmpEcho {
    pub r#type: u8,
    pub code: u8,
    pub checksum: u16,
    pub identifier: u16,
    pub sequence_number: u16,
}

/// The DNS header's OPCODE (RFC 1035 4.1.1; 4 NOTIFY from RFC 1996, 5 UPDATE from RFC 2136):
/// the other values of its 4 bits are refused.
#[derive(BitValue, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opcode {
    Query = 0,
    IQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}

/// The DNS header (RFC 1035 section 4.1.1).
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dns {
    pub id: u16,
    #[netorder(bits = 1)]
    pub qr: bool,
    #[netorder(bits = 4)]
    pub opcode: Opcode,
    #[netorder(bits = 1)]
    pub aa: bool,
    #[netorder(bits = 1)]
    pub tc: bool,
    #[netorder(bits = 1)]
    pub rd: bool,
    #[netorder(bits = 1)]
    pub ra: bool,
    /// Reserved in RFC 1035 (later RFCs use two of its bits: AD and CD).
    #[netorder(bits = 3)]
    pub z: u8,
    #[netorder(bits = 4)]
    pub rcode: u8,
    pub qdcount: u16,
    pub ancount: u16,
    pub nscount: u16,
    pub arcount: u16,
}

/// A space packet's type (CCSDS 133.0-B-2 4.1.3.3.2).
#[derive(BitValue, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketType {
    Telemetry = 0,
    Telecommand = 1,
}

/// A space packet's sequence flags (CCSDS 133.0-B-2 4.1.3.4.2).
#[derive(BitValue, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceFlags {
    Continuation = 0,
    First = 1,
    Last = 2,
    Unsegmented = 3,
}

/// The CCSDS space packet primary header (CCSDS 133.0-B-2 section 4.1.3).
#[derive(FixedRecord, Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpacePacket {
    #[netorder(bits = 3)]
    pub version: u8,
    #[netorder(bits = 1)]
    pub packet_type: PacketType,
    #[netorder(bits = 1)]
    pub secondary_header: bool,
    #[netorder(bits = 11)]
    pub apid: u16,
    #[netorder(bits = 2)]
    pub sequence_flags: SequenceFlags,
    #[netorder(bits = 14)]
    pub sequence_count: u16,
    /// The packet data field's length minus one.
    pub data_length: u16,
}

/// The IPv4 header decoded by hand: `from_be_bytes`, shifts and masks, the floor the derive
/// and the views are measured against. `None` unless `b` is exactly 20 bytes.
#[inline]
pub fn hand_decode_ipv4(b: &[u8]) -> Option<Ipv4> {
    let b: &[u8; 20] = b.try_into().ok()?;
    let frag = u16::from_be_bytes([b[6], b[7]]);
    Some(Ipv4 {
        version: b[0] >> 4,
        ihl: b[0] & 0xF,
        type_of_service: b[1],
        total_length: u16::from_be_bytes([b[2], b[3]]),
        identification: u16::from_be_bytes([b[4], b[5]]),
        flags: (frag >> 13) as u8,
        fragment_offset: frag & 0x1FFF,
        time_to_live: b[8],
        protocol: b[9],
        header_checksum: u16::from_be_bytes([b[10], b[11]]),
        source: [b[12], b[13], b[14], b[15]],
        destination: [b[16], b[17], b[18], b[19]],
    })
}

/// The CCSDS primary header decoded by hand. `None` unless `b` is exactly 6 bytes (every
/// pattern of them is a header: the two enums cover their bits).
#[inline]
pub fn hand_decode_space_packet(b: &[u8]) -> Option<SpacePacket> {
    let b: &[u8; 6] = b.try_into().ok()?;
    let id = u16::from_be_bytes([b[0], b[1]]);
    let seq = u16::from_be_bytes([b[2], b[3]]);
    Some(SpacePacket {
        version: (id >> 13) as u8,
        packet_type: if id & 0x1000 != 0 {
            PacketType::Telecommand
        } else {
            PacketType::Telemetry
        },
        secondary_header: id & 0x0800 != 0,
        apid: id & 0x07FF,
        sequence_flags: match seq >> 14 {
            0 => SequenceFlags::Continuation,
            1 => SequenceFlags::First,
            2 => SequenceFlags::Last,
            _ => SequenceFlags::Unsegmented,
        },
        sequence_count: seq & 0x3FFF,
        data_length: u16::from_be_bytes([b[4], b[5]]),
    })
}
