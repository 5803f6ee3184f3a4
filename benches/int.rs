//! Integer encodings beside their peers, one `benchmark_group` per operation so the ratios can
//! be read off one run:
//! - `varint_encode` / `varint_decode`: netorder vs prost vs integer-encoding;
//! - `ascii_encode`: netorder vs itoa (and `write!` for scale);
//! - `ascii_decode`: netorder vs `str::parse::<u64>`.
//!
//! Inputs are a fixed mixed distribution: 1024 `u64`s whose bit lengths are spread evenly over
//! 1..=64 (so every varint length and every digit count appears).

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use integer_encoding::VarInt;
use netorder::int::{ascii, varint};
use std::io::Write;

use netorder_support::values;
use values::{N, mixed_values};

fn varint_encode(c: &mut Criterion) {
    let values = mixed_values();
    // Each encoder appends the varints to one buffer, as a serializer does, through a pointer
    // laundered by `black_box`, so no encoder's stores can be optimised away. (With a local
    // `[u8; 10]` per value and `black_box(&buf)` afterwards, LLVM dropped the stores of a
    // branch-free encoder and the bench timed its length computation alone.)
    let mut out = vec![0u8; N * varint::MAX_LEN];
    let mut g = c.benchmark_group("varint_encode");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function(BenchmarkId::new("netorder", "mixed"), |b| {
        b.iter(|| {
            let out = black_box(&mut out[..]);
            let mut pos = 0;
            for &v in &values {
                let chunk: &mut [u8; varint::MAX_LEN] = (&mut out[pos..pos + varint::MAX_LEN])
                    .try_into()
                    .expect("room for every value");
                pos += varint::encode(black_box(v), chunk);
            }
            pos
        })
    });
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let out = black_box(&mut out[..]);
            let mut pos = 0;
            for &v in &values {
                let mut rest = &mut out[pos..];
                let room = rest.len();
                prost::encoding::encode_varint(black_box(v), &mut rest);
                pos += room - rest.len();
            }
            pos
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let out = black_box(&mut out[..]);
            let mut pos = 0;
            for &v in &values {
                pos += black_box(v).encode_var(&mut out[pos..]);
            }
            pos
        })
    });
    g.finish();
}

fn varint_decode(c: &mut Criterion) {
    let values = mixed_values();
    let mut stream = Vec::new();
    for &v in &values {
        let mut buf = [0u8; varint::MAX_LEN];
        let n = varint::encode(v, &mut buf);
        stream.extend_from_slice(&buf[..n]);
    }
    let mut g = c.benchmark_group("varint_decode");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function(BenchmarkId::new("netorder", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            let mut sum = 0u64;
            while !rest.is_empty() {
                let (v, n) = varint::decode(rest).unwrap();
                sum = sum.wrapping_add(v);
                rest = &rest[n..];
            }
            sum
        })
    });
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            let mut sum = 0u64;
            while !rest.is_empty() {
                sum = sum.wrapping_add(prost::encoding::decode_varint(&mut rest).unwrap());
            }
            sum
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            let mut sum = 0u64;
            while !rest.is_empty() {
                let (v, n) = u64::decode_var(rest).unwrap();
                sum = sum.wrapping_add(v);
                rest = &rest[n..];
            }
            sum
        })
    });
    g.finish();
}

fn ascii_encode(c: &mut Criterion) {
    let values = mixed_values();
    let mut g = c.benchmark_group("ascii_encode");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function(BenchmarkId::new("netorder", "mixed"), |b| {
        b.iter(|| {
            let mut total = 0;
            let mut buf = [0u8; ascii::MAX_DIGITS];
            for &v in &values {
                total += black_box(ascii::encode_u64(black_box(v), &mut buf)).len();
            }
            total
        })
    });
    g.bench_function(BenchmarkId::new("itoa", "mixed"), |b| {
        b.iter(|| {
            let mut total = 0;
            let mut buf = itoa::Buffer::new();
            for &v in &values {
                total += black_box(buf.format(black_box(v))).len();
            }
            total
        })
    });
    g.bench_function(BenchmarkId::new("std_write", "mixed"), |b| {
        b.iter(|| {
            let mut total = 0;
            for &v in &values {
                let mut buf = [0u8; ascii::MAX_DIGITS];
                let mut w = &mut buf[..];
                write!(w, "{}", black_box(v)).unwrap();
                total += ascii::MAX_DIGITS - w.len();
                black_box(&buf);
            }
            total
        })
    });
    g.finish();
}

fn ascii_decode(c: &mut Criterion) {
    let values = mixed_values();
    let terminated: Vec<Vec<u8>> = values
        .iter()
        .map(|v| format!("{v}\n").into_bytes())
        .collect();
    let plain: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    let mut g = c.benchmark_group("ascii_decode");
    g.throughput(Throughput::Elements(N as u64));
    // netorder checks canonical form and finds the terminator; str::parse gets the digits
    // already cut out (and accepts `+`, leading zeros).
    g.bench_function(BenchmarkId::new("netorder", "mixed"), |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for s in black_box(&terminated) {
                sum = sum.wrapping_add(ascii::decode(s, b'\n').unwrap().0);
            }
            sum
        })
    });
    g.bench_function(BenchmarkId::new("str_parse", "mixed"), |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for s in black_box(&plain) {
                sum = sum.wrapping_add(s.parse::<u64>().unwrap());
            }
            sum
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    varint_encode,
    varint_decode,
    ascii_encode,
    ascii_decode
);
criterion_main!(benches);
