//! `Layout` (dynamic, Python `struct` semantics) beside its peers for the same bytes: hand
//! written `byteorder` code and bincode 2 (big-endian, fixed ints) on the typed struct.
//!
//! Outputs go to `std::hint::black_box` by reference (the written bytes, the decoded values):
//! criterion 0.5's `black_box` is a volatile read of the value it is given (of a `&Vec`, the
//! pointer), which leaves the bytes behind it free to be optimised away.

use byteorder::{BigEndian, ReadBytesExt, WriteBytesExt};
use criterion::{Criterion, criterion_group, criterion_main};
use netorder::{Layout, Value};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::hint::black_box;

#[derive(Serialize, Deserialize, Clone, Copy)]
struct Header {
    kind: u16,
    len: u32,
    seq: u64,
    ratio: f64,
    up: bool,
    tag: [u8; 4],
}

const HEADER: Header = Header {
    kind: 7,
    len: 1500,
    seq: 1 << 40,
    ratio: 0.25,
    up: true,
    tag: *b"abcd",
};

fn values() -> Vec<Value> {
    vec![
        Value::Int(7),
        Value::Int(1500),
        Value::Int(1 << 40),
        Value::Float(0.25),
        Value::Bool(true),
        Value::Bytes(b"abcd".to_vec()),
    ]
}

fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding()
}

fn pack(c: &mut Criterion) {
    let layout = Layout::parse("!HIQd?4s").unwrap();
    let values = values();
    let mut g = c.benchmark_group("layout_pack");
    g.bench_function("netorder_layout_pack_into", |b| {
        let mut out = Vec::with_capacity(64);
        b.iter(|| {
            out.clear();
            layout.pack_into(black_box(&values), &mut out).unwrap();
            black_box(&out);
        })
    });
    g.bench_function("byteorder_by_hand", |b| {
        let mut out = Vec::with_capacity(64);
        b.iter(|| {
            out.clear();
            let h = black_box(&HEADER);
            out.write_u16::<BigEndian>(h.kind).unwrap();
            out.write_u32::<BigEndian>(h.len).unwrap();
            out.write_u64::<BigEndian>(h.seq).unwrap();
            out.write_f64::<BigEndian>(h.ratio).unwrap();
            out.write_u8(u8::from(h.up)).unwrap();
            out.extend_from_slice(&h.tag);
            black_box(&out);
        })
    });
    g.bench_function("bincode2_serde", |b| {
        let mut out = [0u8; 64];
        b.iter(|| {
            let n =
                bincode::serde::encode_into_slice(black_box(&HEADER), &mut out, bincode_config())
                    .unwrap();
            black_box(&out[..n]);
        })
    });
    g.finish();
}

fn unpack(c: &mut Criterion) {
    let layout = Layout::parse("!HIQd?4s").unwrap();
    let bytes = layout.pack(&values()).unwrap();
    let mut g = c.benchmark_group("layout_unpack");
    g.bench_function("netorder_layout_unpack_into", |b| {
        let mut out = Vec::with_capacity(8);
        b.iter(|| {
            out.clear();
            layout.unpack_into(black_box(&bytes), &mut out).unwrap();
            black_box(&out);
        })
    });
    g.bench_function("byteorder_by_hand", |b| {
        b.iter(|| {
            let mut r = black_box(&bytes[..]);
            let h = Header {
                kind: r.read_u16::<BigEndian>().unwrap(),
                len: r.read_u32::<BigEndian>().unwrap(),
                seq: r.read_u64::<BigEndian>().unwrap(),
                ratio: r.read_f64::<BigEndian>().unwrap(),
                up: r.read_u8().unwrap() != 0,
                tag: r[..4].try_into().unwrap(),
            };
            black_box(&h);
        })
    });
    g.bench_function("bincode2_serde", |b| {
        b.iter(|| {
            let (h, _): (Header, usize) =
                bincode::serde::decode_from_slice(black_box(&bytes), bincode_config()).unwrap();
            black_box(&h);
        })
    });
    g.finish();
}

fn float_text(c: &mut Criterion) {
    let floats: Vec<f64> = (1..=64)
        .map(|i| f64::from(i) / 7.0 * 10f64.powi(i % 20 - 8))
        .collect();
    let mut g = c.benchmark_group("float_text");
    g.bench_function("netorder_value_python_repr", |b| {
        let mut s = String::with_capacity(64 * 24);
        b.iter(|| {
            s.clear();
            for &x in black_box(&floats) {
                let _ = write!(s, "{} ", Value::Float(x));
            }
            black_box(&s);
        })
    });
    g.bench_function("std_display_shortest", |b| {
        let mut s = String::with_capacity(64 * 24);
        b.iter(|| {
            s.clear();
            for &x in black_box(&floats) {
                let _ = write!(s, "{x} ");
            }
            black_box(&s);
        })
    });
    g.finish();
}

criterion_group!(benches, pack, unpack, float_text);
criterion_main!(benches);
