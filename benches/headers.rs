//! Protocol headers with bit fields decoded by netorder (the derive path, `fixed::from_bytes`,
//! and the generated views, every field read through its getter), by hand-written
//! shift-and-mask code, and by deku: the CCSDS space packet primary header and the IPv4
//! header. Each iteration decodes 256 different headers of random bytes, so that no branch
//! predictor learns the values.
//!
//! Two groups per header, so that `benches/report.py` gives both ratios: `headers_decode/*`
//! (netorder against the hand-written code) and `headers_vs_deku/*` (against deku).
//!
//! `cargo bench --bench headers -- --warm-up-time 1 --measurement-time 2`

use criterion::{Criterion, criterion_group, criterion_main};
use deku::prelude::*;
use netorder::record::{FixedRecord, fixed};
use netorder_support::deku_headers::{DekuIpv4, DekuSpacePacket};
use netorder_support::headers::{
    Ipv4, Ipv4View, SpacePacket, SpacePacketView, hand_decode_ipv4, hand_decode_space_packet,
};
use std::hint::black_box;

/// 256 headers of `size` random bytes (SplitMix64, seeded).
fn pool(size: usize) -> Vec<Vec<u8>> {
    let mut x: u64 = 0x1234_5678;
    let mut next = move || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as u8
    };
    (0..256)
        .map(|_| (0..size).map(|_| next()).collect())
        .collect()
}

#[inline]
fn view_space_packet(b: &[u8]) -> Option<SpacePacket> {
    let v = SpacePacketView::new(b).ok()?;
    Some(SpacePacket {
        version: v.version(),
        packet_type: v.packet_type(),
        secondary_header: v.secondary_header(),
        apid: v.apid(),
        sequence_flags: v.sequence_flags(),
        sequence_count: v.sequence_count(),
        data_length: v.data_length(),
    })
}

#[inline]
fn view_ipv4(b: &[u8]) -> Option<Ipv4> {
    let v = Ipv4View::new(b).ok()?;
    Some(Ipv4 {
        version: v.version(),
        ihl: v.ihl(),
        type_of_service: v.type_of_service(),
        total_length: v.total_length(),
        identification: v.identification(),
        flags: v.flags(),
        fragment_offset: v.fragment_offset(),
        time_to_live: v.time_to_live(),
        protocol: v.protocol(),
        header_checksum: v.header_checksum(),
        source: v.source(),
        destination: v.destination(),
    })
}

/// Every decoder agrees on every header of the pools.
fn check_all_agree(ccsds: &[Vec<u8>], ipv4: &[Vec<u8>]) {
    for b in ccsds {
        let ours = fixed::from_bytes::<SpacePacket>(b).unwrap();
        assert_eq!(Some(ours), hand_decode_space_packet(b));
        assert_eq!(Some(ours), view_space_packet(b));
        let (_, d) = DekuSpacePacket::from_bytes((b, 0)).unwrap();
        assert_eq!(
            (d.version, d.apid, d.sequence_count, d.data_length),
            (
                ours.version,
                ours.apid,
                ours.sequence_count,
                ours.data_length
            )
        );
    }
    for b in ipv4 {
        let ours = fixed::from_bytes::<Ipv4>(b).unwrap();
        assert_eq!(Some(ours), hand_decode_ipv4(b));
        assert_eq!(Some(ours), view_ipv4(b));
        let (_, d) = DekuIpv4::from_bytes((b, 0)).unwrap();
        assert_eq!(
            (d.ihl, d.fragment_offset, d.source),
            (ours.ihl, ours.fragment_offset, ours.source)
        );
    }
}

/// Decodes every header of `pool` with `f`, keeping each result as the decoder returns it (a
/// `Result` from `fixed::from_bytes`, an `Option` from the others): turning the derive path's
/// 24-byte `Result` into an `Option` in the loop costs a copy that the processor cannot
/// forward from the decoder's narrow stores, which is the loop's cost, not the decoder's.
#[inline(always)]
fn each<T>(pool: &[Vec<u8>], f: impl Fn(&[u8]) -> T) {
    for b in pool {
        black_box(f(black_box(b)));
    }
}

fn decode(c: &mut Criterion) {
    let ccsds = pool(SpacePacket::SIZE);
    let ipv4 = pool(Ipv4::SIZE);
    check_all_agree(&ccsds, &ipv4);
    for (group, with_hand, with_deku) in [
        ("headers_decode", true, false),
        ("headers_vs_deku", false, true),
    ] {
        let mut g = c.benchmark_group(format!("{group}/ccsds"));
        g.bench_function("netorder_fixed", |b| {
            b.iter(|| each(&ccsds, fixed::from_bytes::<SpacePacket>))
        });
        g.bench_function("netorder_view", |b| {
            b.iter(|| each(&ccsds, view_space_packet))
        });
        if with_hand {
            g.bench_function("hand", |b| {
                b.iter(|| each(&ccsds, hand_decode_space_packet))
            });
        }
        if with_deku {
            g.bench_function("deku", |b| {
                b.iter(|| {
                    each(&ccsds, |h| {
                        DekuSpacePacket::from_bytes((h, 0)).ok().map(|r| r.1)
                    })
                })
            });
        }
        g.finish();
        let mut g = c.benchmark_group(format!("{group}/ipv4"));
        g.bench_function("netorder_fixed", |b| {
            b.iter(|| each(&ipv4, fixed::from_bytes::<Ipv4>))
        });
        g.bench_function("netorder_view", |b| b.iter(|| each(&ipv4, view_ipv4)));
        if with_hand {
            g.bench_function("hand", |b| b.iter(|| each(&ipv4, hand_decode_ipv4)));
        }
        if with_deku {
            g.bench_function("deku", |b| {
                b.iter(|| each(&ipv4, |h| DekuIpv4::from_bytes((h, 0)).ok().map(|r| r.1)))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
