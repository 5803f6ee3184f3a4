//! The derive's bit fields against an independent oracle: Python's `struct` plus shifts and
//! masks written from the RFCs (`tests/python/header_oracle.py`), on random bytes (so random
//! values of every field). For each header and input: the fields netorder decodes (through
//! `fixed::from_bytes` and the view) are Python's, the bytes netorder encodes from them are
//! Python's, and an input Python refuses (an unknown DNS opcode) netorder refuses too.

use netorder::record::{FixedRecord, fixed};
use netorder_support::headers::*;
use netorder_support::python_lines;

/// SplitMix64, seeded: a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn b(v: bool) -> String {
    u8::from(v).to_string()
}

fn ipv4(h: &Ipv4) -> Vec<String> {
    vec![
        h.version.to_string(),
        h.ihl.to_string(),
        h.type_of_service.to_string(),
        h.total_length.to_string(),
        h.identification.to_string(),
        h.flags.to_string(),
        h.fragment_offset.to_string(),
        h.time_to_live.to_string(),
        h.protocol.to_string(),
        h.header_checksum.to_string(),
        hex(&h.source),
        hex(&h.destination),
    ]
}

fn udp(h: &Udp) -> Vec<String> {
    [h.source_port, h.destination_port, h.length, h.checksum]
        .map(|v| v.to_string())
        .to_vec()
}

fn tcp(h: &Tcp) -> Vec<String> {
    let mut f = vec![
        h.source_port.to_string(),
        h.destination_port.to_string(),
        h.sequence_number.to_string(),
        h.acknowledgment_number.to_string(),
        h.data_offset.to_string(),
        h.reserved.to_string(),
    ];
    f.extend([h.cwr, h.ece, h.urg, h.ack, h.psh, h.rst, h.syn, h.fin].map(b));
    f.extend([h.window, h.checksum, h.urgent_pointer].map(|v| v.to_string()));
    f
}

fn icmp(h: &IcmpEcho) -> Vec<String> {
    vec![
        h.r#type.to_string(),
        h.code.to_string(),
        h.checksum.to_string(),
        h.identifier.to_string(),
        h.sequence_number.to_string(),
    ]
}

fn dns(h: &Dns) -> Vec<String> {
    vec![
        h.id.to_string(),
        b(h.qr),
        (h.opcode as u8).to_string(),
        b(h.aa),
        b(h.tc),
        b(h.rd),
        b(h.ra),
        h.z.to_string(),
        h.rcode.to_string(),
        h.qdcount.to_string(),
        h.ancount.to_string(),
        h.nscount.to_string(),
        h.arcount.to_string(),
    ]
}

fn ccsds(h: &SpacePacket) -> Vec<String> {
    vec![
        h.version.to_string(),
        (h.packet_type as u8).to_string(),
        b(h.secondary_header),
        h.apid.to_string(),
        (h.sequence_flags as u8).to_string(),
        h.sequence_count.to_string(),
        h.data_length.to_string(),
    ]
}

/// netorder's answer for one input, in the oracle's form: `ok FIELDS | HEX` or `err`.
fn ours<T: FixedRecord>(
    bytes: &[u8],
    fields: fn(&T) -> Vec<String>,
    view: fn(&[u8]) -> netorder::Result<T>,
) -> String {
    let decoded = fixed::from_bytes::<T>(bytes);
    let viewed = view(bytes);
    match (decoded, viewed) {
        (Ok(h), Ok(v)) => {
            assert_eq!(
                fields(&h),
                fields(&v),
                "the view disagrees on {}",
                hex(bytes)
            );
            let back = fixed::to_vec(&h).unwrap();
            format!("ok {} | {}", fields(&h).join(" "), hex(&back))
        }
        (Err(e), Err(f)) => {
            assert_eq!(e, f, "the view's error differs on {}", hex(bytes));
            "err".to_owned()
        }
        (d, v) => panic!(
            "decoder and view disagree on {}: {:?} vs {:?}",
            hex(bytes),
            d.is_ok(),
            v.is_ok()
        ),
    }
}

#[test]
fn random_headers_agree_with_python() {
    let mut rng = Rng(18);
    let mut requests = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..2000 {
        let b = rng.bytes(Ipv4::SIZE);
        answers.push(ours(&b, ipv4, |b| Ipv4View::new(b).map(|v| v.to_record())));
        requests.push(format!("ipv4 {}", hex(&b)));
        let b = rng.bytes(Udp::SIZE);
        answers.push(ours(&b, udp, |b| UdpView::new(b).map(|v| v.to_record())));
        requests.push(format!("udp {}", hex(&b)));
        let b = rng.bytes(Tcp::SIZE);
        answers.push(ours(&b, tcp, |b| TcpView::new(b).map(|v| v.to_record())));
        requests.push(format!("tcp {}", hex(&b)));
        let b = rng.bytes(IcmpEcho::SIZE);
        answers.push(ours(&b, icmp, |b| {
            IcmpEchoView::new(b).map(|v| v.to_record())
        }));
        requests.push(format!("icmp {}", hex(&b)));
        let b = rng.bytes(Dns::SIZE);
        answers.push(ours(&b, dns, |b| DnsView::new(b).map(|v| v.to_record())));
        requests.push(format!("dns {}", hex(&b)));
        let b = rng.bytes(SpacePacket::SIZE);
        answers.push(ours(&b, ccsds, |b| {
            SpacePacketView::new(b).map(|v| v.to_record())
        }));
        requests.push(format!("ccsds {}", hex(&b)));
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/header_oracle.py");
    let python = python_lines(&[script], &requests.join("\n"));
    assert_eq!(python.len(), requests.len());
    let mut refused = 0;
    for ((request, ours), theirs) in requests.iter().zip(&answers).zip(&python) {
        if theirs.starts_with("err") {
            assert_eq!(ours, "err", "{request}: Python refuses ({theirs})");
            refused += 1;
        } else {
            assert_eq!(ours, theirs, "{request}");
        }
    }
    // 11 of the 16 opcodes are unassigned: most random DNS headers are refused.
    assert!(refused > 1000, "{refused} refusals");
}
