//! Rewrites an IPv4 header's TTL in place, as a router does, through the mutable view that
//! `#[derive(FixedRecord)]` generates, and patches the header checksum with RFC 1624's
//! incremental update instead of summing the header again; then checks the result against a
//! full RFC 1071 sum.
//!
//! `cargo run --example ipv4_ttl`

use netorder::checksum::{internet_checksum, update_internet_checksum};
use netorder::record::FixedRecord;

/// The IPv4 header (RFC 791 section 3.1), without options.
#[derive(FixedRecord, Debug, Clone, Copy, PartialEq)]
struct Ipv4 {
    #[netorder(bits = 4)]
    version: u8,
    #[netorder(bits = 4)]
    ihl: u8,
    type_of_service: u8,
    total_length: u16,
    identification: u16,
    #[netorder(bits = 3)]
    flags: u8,
    #[netorder(bits = 13)]
    fragment_offset: u16,
    time_to_live: u8,
    protocol: u8,
    header_checksum: u16,
    source: [u8; 4],
    destination: [u8; 4],
}

/// Decrements the TTL of the packet in `packet` and patches its checksum. `Err` for a packet
/// that is not IPv4, whose header is cut short or wrong, or whose TTL has run out.
fn forward(packet: &mut [u8]) -> Result<u8, String> {
    let mut ip = Ipv4ViewMut::new(packet).map_err(|e| format!("not an IPv4 header: {e}"))?;
    if ip.version() != 4 || ip.ihl() < 5 {
        return Err(format!("version {} IHL {}", ip.version(), ip.ihl()));
    }
    let options = usize::from(ip.ihl()) * 4 - Ipv4::SIZE;
    if ip.payload().len() < options {
        return Err(format!("IHL {} but {} bytes", ip.ihl(), packet_len(&ip)));
    }
    let ttl = ip.time_to_live();
    if ttl <= 1 {
        return Err("time to live exceeded".into());
    }
    // The TTL is the high byte of the 16-bit word it shares with the protocol.
    let old_word = u16::from_be_bytes([ttl, ip.protocol()]);
    ip.set_time_to_live(ttl - 1);
    let new_word = u16::from_be_bytes([ttl - 1, ip.protocol()]);
    let checksum = update_internet_checksum(ip.header_checksum(), old_word, new_word);
    ip.set_header_checksum(checksum);
    Ok(ttl - 1)
}

fn packet_len(ip: &Ipv4ViewMut<'_>) -> usize {
    Ipv4::SIZE + ip.payload().len()
}

fn main() {
    // A UDP datagram over IPv4, captured on a loopback interface (payload "netorder").
    let mut packet: Vec<u8> = [
        0x45, 0x00, 0x00, 0x24, 0x74, 0x5f, 0x40, 0x00, 0x40, 0x11, 0xc8, 0x67, 0x7f, 0x00, 0x00,
        0x01, 0x7f, 0x00, 0x00, 0x01, 0x96, 0x43, 0x82, 0xf2, 0x00, 0x10, 0xfe, 0x23, b'n', b'e',
        b't', b'o', b'r', b'd', b'e', b'r',
    ]
    .to_vec();
    assert_eq!(
        internet_checksum(&packet[..20]),
        0,
        "the capture's checksum is valid"
    );
    let payload_before = packet[20..].to_vec();

    let mut hops = 0;
    loop {
        match forward(&mut packet) {
            Ok(ttl) => {
                hops += 1;
                // After every hop, a full RFC 1071 sum of the header agrees with the patch.
                assert_eq!(internet_checksum(&packet[..20]), 0, "after hop {hops}");
                assert_eq!(packet[8], ttl);
            }
            Err(why) => {
                println!("dropped after {hops} hops: {why}");
                break;
            }
        }
    }
    assert_eq!(hops, 63);
    assert_eq!(packet[20..], payload_before[..], "the payload never moved");

    // A header cut short, or one that claims options it does not have, is refused.
    assert!(forward(&mut packet[..19]).is_err());
    packet[0] = 0x4F; // IHL 15: 40 bytes of options, but only 16 bytes follow
    assert!(forward(&mut packet).is_err());
    println!(
        "ok: TTL 64 -> 1 in place over 63 hops, checksum patched (RFC 1624) and verified (RFC 1071) at each"
    );
}
