//! The peer the header decoders are measured against (feature `deku`, for the benches only):
//! deku's decoders of the CCSDS primary header and the IPv4 header, field for field
//! [`crate::headers`]'s.
#![allow(missing_docs)]

use deku::prelude::*;

/// The CCSDS space packet primary header, as deku reads it.
#[derive(DekuRead, Debug, PartialEq)]
#[deku(endian = "big")]
pub struct DekuSpacePacket {
    #[deku(bits = 3)]
    pub version: u8,
    #[deku(bits = 1)]
    pub packet_type: u8,
    #[deku(bits = 1)]
    pub secondary_header: bool,
    #[deku(bits = 11)]
    pub apid: u16,
    #[deku(bits = 2)]
    pub sequence_flags: u8,
    #[deku(bits = 14)]
    pub sequence_count: u16,
    pub data_length: u16,
}

/// The IPv4 header without options, as deku reads it.
#[derive(DekuRead, Debug, PartialEq)]
#[deku(endian = "big")]
pub struct DekuIpv4 {
    #[deku(bits = 4)]
    pub version: u8,
    #[deku(bits = 4)]
    pub ihl: u8,
    pub type_of_service: u8,
    pub total_length: u16,
    pub identification: u16,
    #[deku(bits = 3)]
    pub flags: u8,
    #[deku(bits = 13)]
    pub fragment_offset: u16,
    pub time_to_live: u8,
    pub protocol: u8,
    pub header_checksum: u16,
    pub source: [u8; 4],
    pub destination: [u8; 4],
}
