//! Real headers, byte for byte: IPv4, UDP, TCP and ICMP captured on a Linux loopback
//! interface, the DNS header of a `dig` query and its answer, and a CCSDS telecommand from a
//! reference document, each decoded through `fixed::from_bytes` and through both views, checked
//! field by field against the bytes, and encoded back to the same bytes.
//!
//! The loopback captures were taken with an `AF_PACKET` socket on `lo` while a UDP datagram
//! (payload `netorder`), a TCP connection and an ICMP echo went over 127.0.0.1; the kernel
//! wrote every header except the ICMP echo request (whose reply, below, the kernel wrote).
//! Loopback leaves the UDP and TCP checksums partial (offloaded), as they are below.

use netorder::checksum::internet_checksum;
use netorder::record::{FixedRecord, fixed};
use netorder_support::headers::*;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// An IPv4 packet carrying a UDP datagram with the payload `netorder` (captured).
const UDP_PACKET: &str = "45000024 745f4000 4011c867 7f000001 7f000001 \
                          964382f2 0010fe23 6e65746f72646572";
/// A TCP SYN with options (data offset 10: 40 bytes of header).
const TCP_SYN: &str = "4500003c 716e4000 4006cb4b 7f000001 7f000001 \
                       9c0ae3d3 5b303cd2 00000000 a002ffd7 fe300000 \
                       0204ffd7 0402080a fdb153d2 00000000 0103030a";
/// The SYN-ACK that answered it.
const TCP_SYN_ACK: &str = "4500003c 00004000 40063cba 7f000001 7f000001 \
                           e3d39c0a 9c2d0b7d 5b303cd3 a012ffcb fe300000 \
                           0204ffd7 0402080a 3ce0830a fdb153d2 0103030a";
/// The ACK that completed the handshake (data offset 8: a timestamp option).
const TCP_ACK: &str = "45000034 716f4000 4006cb52 7f000001 7f000001 \
                       9c0ae3d3 5b303cd3 9c2d0b7e 80100040 fe280000 \
                       0101080a fdb153d2 3ce0830a";
/// An ICMP echo reply (the kernel's answer to an echo request with identifier 0x1234,
/// sequence 1 and the payload `netorder`).
const ICMP_REPLY: &str = "45000024 ad5b0000 4001cf7b 7f000001 7f000001 \
                          0000331f 12340001 6e65746f72646572";

/// Checks a header three ways (decoder, view, mutable view) and that it encodes back.
fn round_trip<T>(bytes: &[u8], want: &T, view: impl Fn(&[u8]) -> T)
where
    T: FixedRecord + PartialEq + std::fmt::Debug,
{
    let head = &bytes[..T::SIZE];
    assert_eq!(&fixed::from_bytes::<T>(head).unwrap(), want);
    assert_eq!(&view(bytes), want);
    assert_eq!(fixed::to_vec(want).unwrap(), head);
    let (taken, used) = fixed::take_from_bytes::<T>(bytes).unwrap();
    assert_eq!((&taken, used), (want, T::SIZE));
}

#[test]
fn ipv4_and_udp_captured() {
    let packet = hex(UDP_PACKET);
    let ip = Ipv4 {
        version: 4,
        ihl: 5,
        type_of_service: 0,
        total_length: 36,
        identification: 0x745f,
        flags: 0b010, // don't fragment
        fragment_offset: 0,
        time_to_live: 64,
        protocol: 17,
        header_checksum: 0xc867,
        source: [127, 0, 0, 1],
        destination: [127, 0, 0, 1],
    };
    round_trip(&packet, &ip, |b| Ipv4View::new(b).unwrap().to_record());
    assert_eq!(
        internet_checksum(&packet[..20]),
        0,
        "a valid IPv4 header sums to zero"
    );

    let view = Ipv4View::new(&packet).unwrap();
    assert_eq!((view.version(), view.ihl(), view.flags()), (4, 5, 2));
    assert_eq!(view.total_length() as usize, packet.len());
    // Options length from IHL: none here, so the payload is the UDP datagram.
    let options = usize::from(view.ihl()) * 4 - Ipv4::SIZE;
    assert_eq!(options, 0);
    let udp_bytes = &view.payload()[options..];
    let udp = UdpView::new(udp_bytes).unwrap();
    assert_eq!(
        udp.to_record(),
        Udp {
            source_port: 0x9643,
            destination_port: 0x82f2,
            length: 16,
            checksum: 0xfe23,
        }
    );
    assert_eq!(udp.length() as usize, udp_bytes.len());
    assert_eq!(udp.payload(), b"netorder");
    round_trip(udp_bytes, &udp.to_record(), |b| {
        UdpView::new(b).unwrap().to_record()
    });
}

#[test]
fn tcp_handshake_captured() {
    let want = [
        // (packet, flags as cwr ece urg ack psh rst syn fin, data offset, seq, ack, window)
        (
            TCP_SYN,
            [0, 0, 0, 0, 0, 0, 1, 0],
            10,
            0x5b30_3cd2,
            0,
            0xffd7,
        ),
        (
            TCP_SYN_ACK,
            [0, 0, 0, 1, 0, 0, 1, 0],
            10,
            0x9c2d_0b7d,
            0x5b30_3cd3,
            0xffcb,
        ),
        (
            TCP_ACK,
            [0, 0, 0, 1, 0, 0, 0, 0],
            8,
            0x5b30_3cd3,
            0x9c2d_0b7e,
            0x0040,
        ),
    ];
    for (text, flags, offset, seq, ack, window) in want {
        let packet = hex(text);
        let ip = Ipv4View::new(&packet).unwrap();
        assert_eq!((ip.version(), ip.ihl(), ip.protocol()), (4, 5, 6));
        assert_eq!(internet_checksum(&packet[..20]), 0);
        let segment = &ip.payload()[usize::from(ip.ihl()) * 4 - 20..];
        let tcp = TcpView::new(segment).unwrap();
        let got = [
            tcp.cwr(),
            tcp.ece(),
            tcp.urg(),
            tcp.ack(),
            tcp.psh(),
            tcp.rst(),
            tcp.syn(),
            tcp.fin(),
        ]
        .map(u8::from);
        assert_eq!(got, flags, "{text}");
        assert_eq!(tcp.data_offset(), offset);
        assert_eq!(tcp.reserved(), 0);
        assert_eq!(tcp.sequence_number(), seq);
        assert_eq!(tcp.acknowledgment_number(), ack);
        assert_eq!(tcp.window(), window);
        // The options are the bytes between the fixed header and the data offset.
        let options = &tcp.payload()[..usize::from(tcp.data_offset()) * 4 - Tcp::SIZE];
        assert_eq!(
            options[0],
            if offset == 10 { 2 } else { 1 },
            "MSS or NOP first"
        );
        assert!(
            tcp.payload()[options.len()..].is_empty(),
            "no data in a handshake"
        );
        round_trip(segment, &tcp.to_record(), |b| {
            TcpView::new(b).unwrap().to_record()
        });
    }
}

#[test]
fn icmp_echo_reply_captured() {
    let packet = hex(ICMP_REPLY);
    let ip = Ipv4View::new(&packet).unwrap();
    assert_eq!((ip.protocol(), ip.flags(), ip.time_to_live()), (1, 0, 64));
    let icmp_bytes = ip.payload();
    let want = IcmpEcho {
        r#type: 0,
        code: 0,
        checksum: 0x331f,
        identifier: 0x1234,
        sequence_number: 1,
    };
    round_trip(icmp_bytes, &want, |b| {
        IcmpEchoView::new(b).unwrap().to_record()
    });
    let view = IcmpEchoView::new(icmp_bytes).unwrap();
    assert_eq!(view.r#type(), 0);
    assert_eq!(view.payload(), b"netorder");
    // The kernel's ICMP checksum covers the header and the data.
    assert_eq!(internet_checksum(icmp_bytes), 0);
    // Turn the reply back into a request in place: type 0 -> 8, checksum patched (RFC 1624).
    let mut bytes = icmp_bytes.to_vec();
    let mut view = IcmpEchoViewMut::new(&mut bytes).unwrap();
    let old = u16::from_be_bytes([view.r#type(), view.code()]);
    view.set_type(8);
    let new = u16::from_be_bytes([view.r#type(), view.code()]);
    let sum = netorder::checksum::update_internet_checksum(view.checksum(), old, new);
    view.set_checksum(sum);
    assert_eq!(internet_checksum(&bytes), 0);
    assert_eq!(
        bytes[..4],
        [8, 0, 0x2b, 0x1f],
        "the request's checksum as sent"
    );
}

/// A `dig` query for google.com and its answer from a public resolver, as captured with `nc`
/// in Emil Hernvall's DNS guide (dnsguide, chapter 1): the 12-byte headers.
#[test]
fn dns_header_of_a_dig_query_and_answer() {
    let query = hex("862a 0120 0001 0000 0000 0000");
    let q = Dns {
        id: 0x862a,
        qr: false,
        opcode: Opcode::Query,
        aa: false,
        tc: false,
        rd: true,
        ra: false,
        z: 0b010, // dig's AD bit (RFC 4035), inside RFC 1035's Z
        rcode: 0,
        qdcount: 1,
        ancount: 0,
        nscount: 0,
        arcount: 0,
    };
    round_trip(&query, &q, |b| DnsView::new(b).unwrap().to_record());
    let answer = hex("862a 8180 0001 0001 0000 0000");
    let a = Dns {
        qr: true,
        ra: true,
        z: 0,
        ancount: 1,
        ..q
    };
    round_trip(&answer, &a, |b| DnsView::new(b).unwrap().to_record());
    let view = DnsView::new(&answer).unwrap();
    assert_eq!(
        (view.qr(), view.opcode(), view.rcode()),
        (true, Opcode::Query, 0)
    );

    // Opcode 3 is unassigned: refused, with the field's byte and path.
    let mut bad = query.clone();
    bad[2] |= 3 << 3;
    let err = fixed::from_bytes::<Dns>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &netorder::ErrorKind::InvalidVariant {
            offset: 2,
            index: 3
        }
    );
    assert_eq!(err.field(), Some("opcode"));
    assert_eq!(DnsView::new(&bad).unwrap_err(), err);
    assert_eq!(DnsViewMut::new(&mut bad).unwrap_err(), err);
}

/// A PUS TC[17,1] ping as a space packet: the primary header `18 73 c0 19 00 04` (version 0,
/// telecommand, secondary header, APID 0x73, unsegmented, count 25, data length 4), from the
/// packet overview of the `spacepackets` Python library's documentation.
#[test]
fn ccsds_primary_header_of_a_pus_ping() {
    let bytes = hex("1873 c019 0004");
    let want = SpacePacket {
        version: 0,
        packet_type: PacketType::Telecommand,
        secondary_header: true,
        apid: 0x73,
        sequence_flags: SequenceFlags::Unsegmented,
        sequence_count: 25,
        data_length: 4,
    };
    round_trip(&bytes, &want, |b| {
        SpacePacketView::new(b).unwrap().to_record()
    });
    assert_eq!(hand_decode_space_packet(&bytes), Some(want));
    // Every byte pattern is a header: the two enums cover their bits.
    for first in 0..=255u8 {
        let b = [first, !first, first, 0, 0, first];
        let ours = fixed::from_bytes::<SpacePacket>(&b).unwrap();
        assert_eq!(Some(ours), hand_decode_space_packet(&b));
        assert_eq!(SpacePacketView::new(&b).unwrap().to_record(), ours);
    }
}

#[test]
fn ipv4_options_length_from_ihl() {
    // An IPv4 header with IHL 6: one 4-byte option word (a record route stub) before the data.
    let mut packet = hex(UDP_PACKET);
    packet[0] = 0x46;
    packet.splice(20..20, [0x07, 0x04, 0x00, 0x00]);
    packet[10..12].fill(0);
    let sum = internet_checksum(&packet[..24]);
    packet[10..12].copy_from_slice(&sum.to_be_bytes());
    let ip = Ipv4View::new(&packet).unwrap();
    let options = usize::from(ip.ihl()) * 4 - Ipv4::SIZE;
    assert_eq!(options, 4);
    assert_eq!(ip.payload()[..options], [7, 4, 0, 0]);
    assert_eq!(UdpView::new(&ip.payload()[options..]).unwrap().length(), 16);
    // The header checksum covers the options too.
    let mut check = netorder::checksum::InternetChecksum::new();
    check.add(ip.as_bytes());
    check.add(&ip.payload()[..options]);
    assert_eq!(check.finish(), 0);
}
