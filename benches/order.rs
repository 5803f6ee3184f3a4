//! Layer 1 (byte order) beside its peers: std's `to_be`/`from_be_bytes`, the `byteorder`
//! crate, and a plain `copy_from_slice` (memcpy) for scale. Each comparison is one
//! `benchmark_group`, so the ratios can be read off one report. Every bulk row hands the
//! buffer it wrote to `std::hint::black_box`, the same for netorder and its peers.

use std::hint::black_box;

use byteorder::{BigEndian, ByteOrder};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use netorder::__private::{BulkPath, convert_in_place_on, read_slice_on, write_slice_on};
use netorder::{Endian, convert_in_place, hton32, ntoh_read, ntoh64, read_slice, write_slice};

/// Values per iteration for the scalar groups (one call is too short to time alone).
const SCALAR_N: usize = 4096;
/// Buffer sizes for the bulk groups.
const BULK_SIZES: [usize; 2] = [16 << 10, 256 << 10];

fn scalar(c: &mut Criterion) {
    let words: Vec<u32> = (0..SCALAR_N as u32)
        .map(|i| i.wrapping_mul(0x9e37_79b9))
        .collect();
    let mut g = c.benchmark_group("scalar_hton32");
    g.throughput(Throughput::Bytes((SCALAR_N * 4) as u64));
    g.bench_function("netorder::hton32", |b| {
        b.iter(|| {
            black_box(&words)
                .iter()
                .fold(0u32, |acc, &w| acc ^ hton32(black_box(w)))
        })
    });
    g.bench_function("u32::to_be", |b| {
        b.iter(|| {
            black_box(&words)
                .iter()
                .fold(0u32, |acc, &w| acc ^ black_box(w).to_be())
        })
    });
    g.bench_function("byteorder::BigEndian::read_u32", |b| {
        b.iter(|| {
            black_box(&words).iter().fold(0u32, |acc, &w| {
                acc ^ BigEndian::read_u32(&black_box(w).to_ne_bytes())
            })
        })
    });
    g.finish();

    let bytes: Vec<u8> = (0..SCALAR_N * 8).map(|i| (i * 7) as u8).collect();
    let mut g = c.benchmark_group("scalar_ntoh64_read");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("netorder::ntoh_read::<u64>", |b| {
        b.iter(|| {
            black_box(&bytes[..])
                .chunks_exact(8)
                .fold(0u64, |acc, c| acc ^ ntoh_read::<u64>(c).unwrap_or(0))
        })
    });
    g.bench_function("netorder::ntoh64", |b| {
        b.iter(|| {
            black_box(&bytes[..]).chunks_exact(8).fold(0u64, |acc, c| {
                acc ^ ntoh64(u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
            })
        })
    });
    g.bench_function("u64::from_be_bytes", |b| {
        b.iter(|| {
            black_box(&bytes[..]).chunks_exact(8).fold(0u64, |acc, c| {
                acc ^ u64::from_be_bytes(c.try_into().unwrap_or([0; 8]))
            })
        })
    });
    g.bench_function("byteorder::BigEndian::read_u64", |b| {
        b.iter(|| {
            black_box(&bytes[..])
                .chunks_exact(8)
                .fold(0u64, |acc, c| acc ^ BigEndian::read_u64(c))
        })
    });
    g.finish();
}

/// One in-place swap group for one element type: netorder (best path, and the portable path
/// forced, to show what the SIMD path buys), byteorder, memcpy.
macro_rules! bulk_swap_group {
    ($c:expr, $t:ty, $group:literal, $from_slice:ident) => {{
        let mut g = $c.benchmark_group($group);
        for size in BULK_SIZES {
            let n = size / std::mem::size_of::<$t>();
            let src: Vec<$t> = (0..n)
                .map(|i| (i as $t).wrapping_mul(0x9e37_79b9 as $t))
                .collect();
            let mut buf = src.clone();
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_with_input(
                BenchmarkId::new("netorder::convert_in_place", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        convert_in_place(black_box(&mut buf[..]), Endian::Big);
                        black_box(&buf);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new("netorder::convert_in_place [portable]", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        convert_in_place_on(
                            BulkPath::Portable,
                            black_box(&mut buf[..]),
                            Endian::Big,
                        );
                        black_box(&buf);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new(
                    concat!("byteorder::BigEndian::", stringify!($from_slice)),
                    size,
                ),
                &size,
                |b, _| {
                    b.iter(|| {
                        BigEndian::$from_slice(black_box(&mut buf[..]));
                        black_box(&buf);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new("memcpy (copy_from_slice)", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        buf.copy_from_slice(black_box(&src[..]));
                        black_box(&buf);
                    })
                },
            );
        }
        g.finish();
    }};
}

fn bulk_swap(c: &mut Criterion) {
    bulk_swap_group!(c, u32, "bulk_swap_u32", from_slice_u32);
    bulk_swap_group!(c, u64, "bulk_swap_u64", from_slice_u64);
}

/// Copy-convert groups for one element type: values to big-endian bytes (`write_slice` vs
/// byteorder's `write_*_into`) and back (`read_slice` vs `read_*_into`), memcpy for scale.
macro_rules! bulk_copy_groups {
    ($c:expr, $t:ty, $write_group:literal, $read_group:literal, $write_into:ident, $read_into:ident) => {{
        const W: usize = std::mem::size_of::<$t>();
        let mut g = $c.benchmark_group($write_group);
        for size in BULK_SIZES {
            let values: Vec<$t> = (0..size / W)
                .map(|i| (i as $t).wrapping_mul(0x9e37_79b9 as $t))
                .collect();
            let same_bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
            let mut out = vec![0u8; size];
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_with_input(
                BenchmarkId::new("netorder::write_slice", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        write_slice(black_box(&values[..]), &mut out, Endian::Big).unwrap();
                        black_box(&out);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new("netorder::write_slice [portable]", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        write_slice_on(
                            BulkPath::Portable,
                            black_box(&values[..]),
                            &mut out,
                            Endian::Big,
                        )
                        .unwrap();
                        black_box(&out);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new(
                    concat!("byteorder::BigEndian::", stringify!($write_into)),
                    size,
                ),
                &size,
                |b, _| {
                    b.iter(|| {
                        BigEndian::$write_into(black_box(&values[..]), &mut out);
                        black_box(&out);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new("memcpy (copy_from_slice)", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        out.copy_from_slice(black_box(&same_bytes[..]));
                        black_box(&out);
                    })
                },
            );
        }
        g.finish();

        let mut g = $c.benchmark_group($read_group);
        for size in BULK_SIZES {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7) as u8).collect();
            let same_values: Vec<$t> = vec![0x0102 as $t; size / W];
            let mut out: Vec<$t> = vec![0; size / W];
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_with_input(
                BenchmarkId::new("netorder::read_slice", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        read_slice(black_box(&bytes[..]), &mut out, Endian::Big).unwrap();
                        black_box(&out);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new("netorder::read_slice [portable]", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        read_slice_on(
                            BulkPath::Portable,
                            black_box(&bytes[..]),
                            &mut out,
                            Endian::Big,
                        )
                        .unwrap();
                        black_box(&out);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new(
                    concat!("byteorder::BigEndian::", stringify!($read_into)),
                    size,
                ),
                &size,
                |b, _| {
                    b.iter(|| {
                        BigEndian::$read_into(black_box(&bytes[..]), &mut out);
                        black_box(&out);
                    })
                },
            );
            g.bench_with_input(
                BenchmarkId::new("memcpy (copy_from_slice)", size),
                &size,
                |b, _| {
                    b.iter(|| {
                        out.copy_from_slice(black_box(&same_values[..]));
                        black_box(&out);
                    })
                },
            );
        }
        g.finish();
    }};
}

fn bulk_copy(c: &mut Criterion) {
    bulk_copy_groups!(
        c,
        u32,
        "bulk_write_u32_to_bytes",
        "bulk_read_u32_from_bytes",
        write_u32_into,
        read_u32_into
    );
    bulk_copy_groups!(
        c,
        u64,
        "bulk_write_u64_to_bytes",
        "bulk_read_u64_from_bytes",
        write_u64_into,
        read_u64_into
    );
}

criterion_group!(benches, scalar, bulk_swap, bulk_copy);
criterion_main!(benches);
