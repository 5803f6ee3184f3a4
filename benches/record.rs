//! A 33-byte record of mixed fields, encoded and decoded by netorder (the serde path, and
//! `#[derive(FixedRecord)]`'s `record::fixed`), hand-written
//! `to_be_bytes`/`from_be_bytes` code, byteorder, and bincode 2 with the same configuration
//! (big-endian, fixed-width integers), each operation in one criterion group.
//!
//! `cargo bench --bench record -- --warm-up-time 1 --measurement-time 2`

use bincode::config::{BigEndian, Configuration, Fixint};
use byteorder::{BigEndian as BE, ByteOrder, ReadBytesExt, WriteBytesExt};
use criterion::{Criterion, criterion_group, criterion_main};
use netorder::record::fixed;
use std::hint::black_box;

use netorder_support::rec;
use rec::{REC, Rec, SIZE, hand_decode, hand_encode_slice};

fn bincode_config() -> Configuration<BigEndian, Fixint> {
    bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding()
}

// ----- hand-written ---------------------------------------------------------------------------

fn hand_encode_vec(r: &Rec) -> Vec<u8> {
    let mut v = Vec::with_capacity(SIZE);
    v.extend_from_slice(&r.port.to_be_bytes());
    v.extend_from_slice(&r.seq.to_be_bytes());
    v.extend_from_slice(&r.id.to_be_bytes());
    v.extend_from_slice(&r.value.to_be_bytes());
    v.push(r.up as u8);
    v.extend_from_slice(&r.addr);
    v.extend_from_slice(&r.delta.to_be_bytes());
    v.extend_from_slice(&r.flags.to_be_bytes());
    v
}

/// The same hand-written decoder behind a call that returns `Result<Rec, netorder::Error>`
/// through memory, as any out-of-line decoder with netorder's signature does: the caller's
/// copy of the 40-byte value reads, with wide loads, what the decoder has just written field by
/// field, and waits for those stores (no store-to-load forwarding). This is the floor for a
/// `from_bytes` whose `Deserialize` impl is not inlined into the caller.
#[inline(never)]
fn hand_decode_out_of_line(b: &[u8]) -> Result<Rec, netorder::Error> {
    hand_decode(b).ok_or_else(|| {
        netorder::Error::new(netorder::ErrorKind::Unsupported { what: "bad record" })
    })
}

// ----- byteorder ------------------------------------------------------------------------------

fn byteorder_encode(r: &Rec) -> Vec<u8> {
    let mut v = Vec::with_capacity(SIZE);
    v.write_u16::<BE>(r.port).unwrap();
    v.write_u32::<BE>(r.seq).unwrap();
    v.write_u64::<BE>(r.id).unwrap();
    v.write_f64::<BE>(r.value).unwrap();
    v.write_u8(r.up as u8).unwrap();
    v.extend_from_slice(&r.addr);
    v.write_i32::<BE>(r.delta).unwrap();
    v.write_u16::<BE>(r.flags).unwrap();
    v
}

fn byteorder_decode(mut b: &[u8]) -> std::io::Result<Rec> {
    let port = b.read_u16::<BE>()?;
    let seq = b.read_u32::<BE>()?;
    let id = b.read_u64::<BE>()?;
    let value = b.read_f64::<BE>()?;
    let up = match b.read_u8()? {
        0 => false,
        1 => true,
        _ => return Err(std::io::ErrorKind::InvalidData.into()),
    };
    let mut addr = [0; 4];
    std::io::Read::read_exact(&mut b, &mut addr)?;
    let delta = b.read_i32::<BE>()?;
    let flags = BE::read_u16(b.get(..2).ok_or(std::io::ErrorKind::UnexpectedEof)?);
    if b.len() != 2 {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    Ok(Rec {
        port,
        seq,
        id,
        value,
        up,
        addr,
        delta,
        flags,
    })
}

fn check_all_agree() {
    let ours = netorder::to_vec(&REC).unwrap();
    assert_eq!(ours.len(), SIZE);
    assert_eq!(ours, hand_encode_vec(&REC));
    assert_eq!(ours, byteorder_encode(&REC));
    assert_eq!(
        ours,
        bincode::serde::encode_to_vec(REC, bincode_config()).unwrap()
    );
    assert_eq!(hand_decode(&ours), Some(REC));
    assert_eq!(hand_decode_out_of_line(&ours).unwrap(), REC);
    assert_eq!(byteorder_decode(&ours).unwrap(), REC);
    assert_eq!(netorder::from_bytes::<Rec>(&ours).unwrap(), REC);
    assert_eq!(ours, fixed::to_vec(&REC).unwrap());
    assert_eq!(fixed::from_bytes::<Rec>(&ours).unwrap(), REC);
}

/// Every row hands its output to `std::hint::black_box` inside the timed closure and returns
/// nothing: the encoders' written bytes (the whole buffer, or the `Vec`'s heap bytes) and the
/// decoders' records, the same way for netorder and every peer. (Returned to criterion 0.5, a
/// value goes through its own `black_box`, a volatile read of the value: of a `usize` or a
/// `Vec`'s three words, it leaves the written bytes free to be optimised away; of a 40-byte
/// record, a wide reload of what the decoder has just stored field by field, which stalls on
/// store forwarding for some decoders and not others.)
fn encode(c: &mut Criterion) {
    check_all_agree();
    let mut g = c.benchmark_group("record_encode_vec");
    g.bench_function("netorder_to_vec", |b| {
        b.iter(|| black_box(&netorder::to_vec(black_box(&REC)).unwrap()[..]).len())
    });
    g.bench_function("hand_vec", |b| {
        b.iter(|| black_box(&hand_encode_vec(black_box(&REC))[..]).len())
    });
    g.bench_function("byteorder_vec", |b| {
        b.iter(|| black_box(&byteorder_encode(black_box(&REC))[..]).len())
    });
    g.bench_function("bincode_to_vec", |b| {
        b.iter(|| {
            let v = bincode::serde::encode_to_vec(black_box(&REC), bincode_config()).unwrap();
            black_box(&v[..]).len()
        })
    });
    g.finish();

    // Into a slice: its own group, so that a `Vec` row is never measured against a slice row
    // (benches/report.py pairs each netorder row with the fastest peer of its group).
    let mut g = c.benchmark_group("record_encode");
    let mut buf = [0u8; 64];
    g.bench_function("netorder_to_slice", |b| {
        b.iter(|| {
            let n = netorder::to_slice(black_box(&REC), black_box(&mut buf[..])).unwrap();
            black_box(&buf[..n]);
        })
    });
    g.bench_function("netorder_fixed_to_slice", |b| {
        b.iter(|| {
            let n = fixed::to_slice(black_box(&REC), black_box(&mut buf[..])).unwrap();
            black_box(&buf[..n]);
        })
    });
    g.bench_function("hand_slice", |b| {
        b.iter(|| {
            let n = hand_encode_slice(black_box(&REC), black_box(&mut buf[..])).unwrap();
            black_box(&buf[..n]);
        })
    });
    g.bench_function("bincode_into_slice", |b| {
        b.iter(|| {
            let n = bincode::serde::encode_into_slice(
                black_box(&REC),
                black_box(&mut buf[..]),
                bincode_config(),
            )
            .unwrap();
            black_box(&buf[..n]);
        })
    });
    g.finish();
}

/// What every decoder row does with its result: the decoded value, where the decoder put it,
/// goes to `black_box` by reference (an error panics). No row moves the value out of its
/// `Result` first: the move of a record that an out-of-line decoder has just stored field by
/// field reloads it with 16-byte loads, which stall on store forwarding (about 4 ns a record
/// here); a cost of the caller's copy that falls on out-of-line decoders only (netorder's
/// serde path, bincode, `hand_out_of_line`), not of the decoding.
#[inline(always)]
fn keep<T, E>(result: &Result<T, E>) {
    match result {
        Ok(value) => {
            black_box(value);
        }
        Err(_) => panic!("the record decodes"),
    }
}

fn decode(c: &mut Criterion) {
    let bytes = netorder::to_vec(&REC).unwrap();
    let mut g = c.benchmark_group("record_decode");
    g.bench_function("netorder", |b| {
        b.iter(|| {
            keep(&netorder::from_bytes::<Rec>(black_box(&bytes)));
        })
    });
    g.bench_function("netorder_fixed", |b| {
        b.iter(|| {
            keep(&fixed::from_bytes::<Rec>(black_box(&bytes)));
        })
    });
    g.bench_function("hand", |b| {
        b.iter(|| {
            keep(&hand_decode(black_box(&bytes)).ok_or(()));
        })
    });
    g.bench_function("hand_out_of_line", |b| {
        b.iter(|| {
            keep(&hand_decode_out_of_line(black_box(&bytes)));
        })
    });
    g.bench_function("byteorder", |b| {
        b.iter(|| {
            keep(&byteorder_decode(black_box(&bytes)));
        })
    });
    g.bench_function("bincode", |b| {
        b.iter(|| {
            keep(&bincode::serde::decode_from_slice::<Rec, _>(
                black_box(&bytes),
                bincode_config(),
            ));
        })
    });
    g.finish();
}

/// Many records at once, the "mesh" shape of rust_serialization_benchmark: 4 096 triangles of
/// four `f32` vectors, 192 KiB on the wire (L2-resident), beside a hand-written field-by-field
/// loop and `memcpy` of the records' native bytes (what a native-endian zero-copy format
/// costs: the floor).
fn bulk(c: &mut Criterion) {
    use netorder_support::mesh::{TRIANGLE_SIZE, TRIANGLES, Triangle, hand_read, hand_write, mesh};
    let triangles = mesh(TRIANGLES);
    let mut wire = vec![0u8; TRIANGLES * TRIANGLE_SIZE];
    fixed::write_slice(&triangles, &mut wire).unwrap();
    let mut check = vec![0u8; wire.len()];
    hand_write(&triangles, &mut check);
    assert_eq!(wire, check);
    // The native bytes of the mesh, for memcpy.
    let native: Vec<u8> = triangles
        .iter()
        .flat_map(|t| [t.v0, t.v1, t.v2, t.normal])
        .flat_map(|v| [v.x, v.y, v.z])
        .flat_map(f32::to_ne_bytes)
        .collect();
    let mut copy = vec![0u8; native.len()];

    let mut g = c.benchmark_group("record_bulk_write/mesh");
    g.throughput(criterion::Throughput::Bytes(wire.len() as u64));
    g.bench_function("netorder_fixed_write_slice", |b| {
        b.iter(|| {
            fixed::write_slice(black_box(&triangles), black_box(&mut wire[..])).unwrap();
            black_box(&wire);
        })
    });
    g.bench_function("hand_loop", |b| {
        b.iter(|| {
            hand_write(black_box(&triangles), black_box(&mut wire[..]));
            black_box(&wire);
        })
    });
    g.bench_function("memcpy_native", |b| {
        b.iter(|| {
            black_box(&mut copy[..]).copy_from_slice(black_box(&native));
            black_box(&copy);
        })
    });
    g.finish();

    let mut out = vec![Triangle::default(); TRIANGLES];
    let mut g = c.benchmark_group("record_bulk_read/mesh");
    g.throughput(criterion::Throughput::Bytes(wire.len() as u64));
    g.bench_function("netorder_fixed_read_slice", |b| {
        b.iter(|| {
            fixed::read_slice(black_box(&wire), black_box(&mut out[..])).unwrap();
            black_box(&out);
        })
    });
    g.bench_function("hand_loop", |b| {
        b.iter(|| {
            hand_read(black_box(&wire), black_box(&mut out[..]));
            black_box(&out);
        })
    });
    g.bench_function("memcpy_native", |b| {
        b.iter(|| {
            black_box(&mut copy[..]).copy_from_slice(black_box(&native));
            black_box(&copy);
        })
    });
    g.finish();
}

criterion_group!(benches, encode, decode, bulk);
criterion_main!(benches);
