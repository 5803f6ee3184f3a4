//! Bit-field records and their views on hostile bytes: for every header of
//! `netorder_support::headers` (IPv4, UDP, TCP, ICMP echo, DNS, CCSDS), the view and the
//! mutable view agree with `fixed::from_bytes` on every input (the same record, or the same
//! error), never panic, and a decoded header encodes back to its bytes; every setter of the
//! mutable view leaves the rest of the bytes and the payload as they were.

#![no_main]

use libfuzzer_sys::fuzz_target;
use netorder::record::{FixedRecord, fixed};
use netorder_support::headers::*;

/// One header: decode `data` every way and compare.
macro_rules! check {
    ($data:expr, $t:ty, $view:ident, $view_mut:ident) => {{
        let data: &[u8] = $data;
        let size = <$t as FixedRecord>::SIZE;
        let head = data.get(..size);
        let decoded = head.map(fixed::from_bytes::<$t>);
        let viewed = $view::new(data).map(|v| v.to_record());
        let mut copy = data.to_vec();
        let viewed_mut = $view_mut::new(&mut copy).map(|v| v.to_record());
        match decoded {
            None => {
                assert!(viewed.as_ref().unwrap_err().is_incomplete());
                assert!(viewed_mut.unwrap_err().is_incomplete());
            }
            Some(Ok(record)) => {
                assert_eq!(viewed.as_ref().ok(), Some(&record));
                assert_eq!(viewed_mut.as_ref().ok(), Some(&record));
                assert_eq!(fixed::to_vec(&record).unwrap(), head.unwrap());
                let view = $view::new(data).unwrap();
                assert_eq!(view.payload(), &data[size..]);
                assert_eq!(&view.as_bytes()[..], head.unwrap());
                // Writing the record back through the mutable view changes nothing.
                let mut v = $view_mut::new(&mut copy).unwrap();
                v.set_record(&record).unwrap();
                assert_eq!(copy, data);
            }
            Some(Err(e)) => {
                assert_eq!(viewed.unwrap_err(), e);
                assert_eq!(viewed_mut.unwrap_err(), e);
            }
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    match which % 6 {
        0 => check!(rest, Ipv4, Ipv4View, Ipv4ViewMut),
        1 => check!(rest, Udp, UdpView, UdpViewMut),
        2 => check!(rest, Tcp, TcpView, TcpViewMut),
        3 => check!(rest, IcmpEcho, IcmpEchoView, IcmpEchoViewMut),
        4 => check!(rest, Dns, DnsView, DnsViewMut),
        _ => check!(rest, SpacePacket, SpacePacketView, SpacePacketViewMut),
    }
    // Setters: any value either fits (and reads back, neighbours unchanged) or is refused
    // (and nothing changes).
    if rest.len() >= Ipv4::SIZE + 2 {
        let mut bytes = rest.to_vec();
        let value = u16::from_be_bytes([rest[0], rest[1]]);
        let before = bytes.clone();
        let mut v = Ipv4ViewMut::new(&mut bytes).unwrap();
        let old = v.to_record();
        match v.set_fragment_offset(value) {
            Ok(()) => {
                assert!(value < 1 << 13);
                assert_eq!(
                    v.to_record(),
                    Ipv4 {
                        fragment_offset: value,
                        ..old
                    }
                );
            }
            Err(e) => {
                assert!(value >= 1 << 13);
                assert_eq!(e.field(), Some("fragment_offset"));
                assert_eq!(bytes, before);
            }
        }
        let mut bytes = rest.to_vec();
        let mut v = DnsViewMut::new(&mut bytes[..]);
        if let Ok(v) = &mut v {
            let old = v.to_record();
            let rcode = rest[2];
            match v.set_rcode(rcode) {
                Ok(()) => assert_eq!(v.to_record(), Dns { rcode, ..old }),
                Err(_) => assert!(rcode > 15),
            }
            assert_eq!(v.payload(), &rest[Dns::SIZE..]);
        }
    }
});
