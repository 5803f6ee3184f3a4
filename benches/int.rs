//! Integer encodings beside their peers, one `benchmark_group` per operation so the ratios can
//! be read off one run (`benches/report.sh`: a function whose id starts with `netorder` is
//! netorder, every other function of the same group and parameter is a peer):
//! - `varint_encode` / `varint_decode`: one value at a time, netorder vs prost vs
//!   integer-encoding; parameter `mixed` writes into (reads from) one slice, `mixed_vec`
//!   appends each value to a `Vec` (`IntEncoding::encode` against the peers' `Vec` writers);
//! - `zigzag_encode` / `zigzag_decode`: the same for the `i64` bit patterns of the values;
//! - `varint_encode_batch` / `varint_decode_batch`: a whole pass at once (`encode_batch`,
//!   `decode_batch`, with the best SIMD path and the portable one as its own row) against the
//!   peers' scalar loops;
//! - `ascii_encode`: netorder vs itoa (and `write!` for scale); `ascii_decode`: netorder vs
//!   `str::parse::<u64>` on the digits already cut out as `&str` (no `from_utf8` in the loop).
//!
//! Inputs (`benches/common/values.rs`): issue 16's mix, `mixed` (32 768 values: one third below
//! 128, one third below 2^32, one third anywhere in `u64`, shuffled so no branch predictor can
//! learn the lengths), and for ASCII also `digits` (digit counts spread evenly over 1..=20,
//! shuffled). Every written byte and decoded value goes through `std::hint::black_box`
//! (criterion 0.5's `black_box` only reads a reference, so stores behind it could be dropped).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use integer_encoding::VarInt;
use netorder::IntEncoding;
use netorder::int::varint::VarintPath;
use netorder::int::{ascii, varint};
use std::hint::black_box;
use std::io::Write;

use netorder_support::values::{PASS, digit_count_values, shuffled_values};

/// The varints of `values`, back to back.
fn varint_stream(values: &[u64]) -> Vec<u8> {
    let mut stream = Vec::new();
    for &v in values {
        IntEncoding::Varint.encode(v, &mut stream).unwrap();
    }
    stream
}

fn zigzag(v: u64) -> u64 {
    let n = v as i64;
    ((n << 1) ^ (n >> 63)) as u64
}

fn varint_encode(c: &mut Criterion) {
    let values = shuffled_values();
    let mut out = vec![0u8; PASS * varint::MAX_LEN];
    let mut g = c.benchmark_group("varint_encode");
    g.throughput(Throughput::Elements(PASS as u64));
    // Into one slice, value after value, as a serializer does.
    g.bench_function(BenchmarkId::new("netorder::varint::encode", "mixed"), |b| {
        b.iter(|| {
            let mut pos = 0;
            for &v in black_box(&values[..]) {
                pos += varint::encode(v, &mut out[pos..]).unwrap();
            }
            black_box(&out[..pos]);
        })
    });
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = &mut out[..];
            for &v in black_box(&values[..]) {
                prost::encoding::encode_varint(v, &mut rest);
            }
            let pos = PASS * varint::MAX_LEN - rest.len();
            black_box(&out[..pos]);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut pos = 0;
            for &v in black_box(&values[..]) {
                pos += v.encode_var(&mut out[pos..]);
            }
            black_box(&out[..pos]);
        })
    });
    // Appending to a `Vec` (capacity kept from pass to pass).
    let mut vec = Vec::with_capacity(PASS * varint::MAX_LEN);
    g.bench_function(
        BenchmarkId::new("netorder::IntEncoding::Varint", "mixed_vec"),
        |b| {
            b.iter(|| {
                vec.clear();
                let enc = black_box(IntEncoding::Varint);
                for &v in black_box(&values[..]) {
                    enc.encode(v, &mut vec).unwrap();
                }
                black_box(&vec);
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(&values[..]) {
                prost::encoding::encode_varint(v, &mut vec);
            }
            black_box(&vec);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(&values[..]) {
                let mut buf = [0u8; varint::MAX_LEN];
                let n = v.encode_var(&mut buf);
                vec.extend_from_slice(&buf[..n]);
            }
            black_box(&vec);
        })
    });
    g.finish();
}

fn zigzag_encode(c: &mut Criterion) {
    let values = shuffled_values();
    let mut vec = Vec::with_capacity(PASS * varint::MAX_LEN);
    let mut g = c.benchmark_group("zigzag_encode");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::IntEncoding::ZigZag", "mixed_vec"),
        |b| {
            b.iter(|| {
                vec.clear();
                let enc = black_box(IntEncoding::ZigZag);
                for &v in black_box(&values[..]) {
                    enc.encode(v, &mut vec).unwrap();
                }
                black_box(&vec);
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(&values[..]) {
                prost::encoding::encode_varint(zigzag(v), &mut vec);
            }
            black_box(&vec);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(&values[..]) {
                let mut buf = [0u8; varint::MAX_LEN];
                let n = (v as i64).encode_var(&mut buf);
                vec.extend_from_slice(&buf[..n]);
            }
            black_box(&vec);
        })
    });
    g.finish();
}

fn varint_decode(c: &mut Criterion) {
    let values = shuffled_values();
    let stream = varint_stream(&values);
    let mut g = c.benchmark_group("varint_decode");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(BenchmarkId::new("netorder::varint::decode", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            while !rest.is_empty() {
                let (v, n) = varint::decode(rest).unwrap();
                black_box(v);
                rest = &rest[n..];
            }
        })
    });
    g.bench_function(
        BenchmarkId::new("netorder::IntEncoding::Varint", "mixed"),
        |b| {
            b.iter(|| {
                let enc = black_box(IntEncoding::Varint);
                let mut rest = black_box(&stream[..]);
                while !rest.is_empty() {
                    let (v, n) = enc.decode(rest).unwrap();
                    black_box(v);
                    rest = &rest[n..];
                }
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            while !rest.is_empty() {
                black_box(prost::encoding::decode_varint(&mut rest).unwrap());
            }
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            while !rest.is_empty() {
                let (v, n) = u64::decode_var(rest).unwrap();
                black_box(v);
                rest = &rest[n..];
            }
        })
    });
    g.finish();
}

fn zigzag_decode(c: &mut Criterion) {
    let values = shuffled_values();
    let mut stream = Vec::new();
    for &v in &values {
        IntEncoding::ZigZag.encode(v, &mut stream).unwrap();
    }
    let mut g = c.benchmark_group("zigzag_decode");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::IntEncoding::ZigZag", "mixed"),
        |b| {
            b.iter(|| {
                let enc = black_box(IntEncoding::ZigZag);
                let mut rest = black_box(&stream[..]);
                while !rest.is_empty() {
                    let (v, n) = enc.decode(rest).unwrap();
                    black_box(v);
                    rest = &rest[n..];
                }
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            while !rest.is_empty() {
                let z = prost::encoding::decode_varint(&mut rest).unwrap();
                black_box(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            while !rest.is_empty() {
                let (v, n) = i64::decode_var(rest).unwrap();
                black_box(v);
                rest = &rest[n..];
            }
        })
    });
    g.finish();
}

fn varint_encode_batch(c: &mut Criterion) {
    let values = shuffled_values();
    let mut vec = Vec::with_capacity(PASS * varint::MAX_LEN);
    let mut g = c.benchmark_group("varint_encode_batch");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::varint::encode_batch", "mixed"),
        |b| {
            b.iter(|| {
                vec.clear();
                varint::encode_batch(black_box(&values[..]), &mut vec);
                black_box(&vec);
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("netorder::varint::encode_batch [portable]", "mixed"),
        |b| {
            b.iter(|| {
                vec.clear();
                varint::encode_batch_with(VarintPath::Portable, black_box(&values[..]), &mut vec);
                black_box(&vec);
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(&values[..]) {
                prost::encoding::encode_varint(v, &mut vec);
            }
            black_box(&vec);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            vec.clear();
            vec.resize(PASS * varint::MAX_LEN, 0);
            let mut pos = 0;
            for &v in black_box(&values[..]) {
                pos += v.encode_var(&mut vec[pos..]);
            }
            vec.truncate(pos);
            black_box(&vec);
        })
    });
    g.finish();
}

fn varint_decode_batch(c: &mut Criterion) {
    let values = shuffled_values();
    let stream = varint_stream(&values);
    let mut out = vec![0u64; PASS];
    let mut g = c.benchmark_group("varint_decode_batch");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::varint::decode_batch", "mixed"),
        |b| {
            b.iter(|| {
                let got = varint::decode_batch(black_box(&stream[..]), &mut out).unwrap();
                black_box(&out);
                got
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("netorder::varint::decode_batch [portable]", "mixed"),
        |b| {
            b.iter(|| {
                let got = varint::decode_batch_with(
                    VarintPath::Portable,
                    black_box(&stream[..]),
                    &mut out,
                );
                black_box(&out);
                got.unwrap().unwrap()
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            for slot in out.iter_mut() {
                *slot = prost::encoding::decode_varint(&mut rest).unwrap();
            }
            black_box(&out);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&stream[..]);
            for slot in out.iter_mut() {
                let (v, n) = u64::decode_var(rest).unwrap();
                *slot = v;
                rest = &rest[n..];
            }
            black_box(&out);
        })
    });
    g.finish();
}

fn ascii_encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("ascii_encode");
    g.throughput(Throughput::Elements(PASS as u64));
    let mut vec = Vec::with_capacity(PASS * (ascii::MAX_DIGITS + 1));
    for (mix, values) in [
        ("mixed", shuffled_values()),
        ("digits", digit_count_values()),
    ] {
        // Appending digits and a terminator to a `Vec`, as a text protocol writer does.
        g.bench_function(BenchmarkId::new("netorder::IntEncoding::Ascii", mix), |b| {
            b.iter(|| {
                vec.clear();
                let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
                for &v in black_box(&values[..]) {
                    enc.encode(v, &mut vec).unwrap();
                }
                black_box(&vec);
            })
        });
        g.bench_function(BenchmarkId::new("itoa", mix), |b| {
            b.iter(|| {
                vec.clear();
                let mut buf = itoa::Buffer::new();
                for &v in black_box(&values[..]) {
                    vec.extend_from_slice(buf.format(v).as_bytes());
                    vec.push(b'\n');
                }
                black_box(&vec);
            })
        });
        g.bench_function(BenchmarkId::new("std_write", mix), |b| {
            b.iter(|| {
                vec.clear();
                for &v in black_box(&values[..]) {
                    writeln!(vec, "{v}").unwrap();
                }
                black_box(&vec);
            })
        });
    }
    g.finish();
}

fn ascii_decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("ascii_decode");
    g.throughput(Throughput::Elements(PASS as u64));
    for (mix, values) in [
        ("mixed", shuffled_values()),
        ("digits", digit_count_values()),
    ] {
        // One text, a value and `\n` after another, as a line protocol reader sees it:
        // netorder decodes value after value from the rest of it (checking the canonical
        // form and finding the terminator); str::parse gets each value's digits already cut
        // out of the same text as `&str` (and accepts `+` and leading zeros).
        let mut text = String::new();
        let mut spans = Vec::new();
        for v in &values {
            let start = text.len();
            text.push_str(&v.to_string());
            spans.push(start..text.len());
            text.push('\n');
        }
        let cut: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        g.bench_function(BenchmarkId::new("netorder::IntEncoding::Ascii", mix), |b| {
            b.iter(|| {
                let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
                let mut rest = black_box(text.as_bytes());
                while !rest.is_empty() {
                    let (v, n) = enc.decode(rest).unwrap();
                    black_box(v);
                    rest = &rest[n..];
                }
            })
        });
        g.bench_function(BenchmarkId::new("str_parse", mix), |b| {
            b.iter(|| {
                for s in black_box(&cut) {
                    black_box(s.parse::<u64>().unwrap());
                }
            })
        });
        // Each value its own exact slice (no byte after the terminator to look ahead at),
        // both sides: separately allocated, as in a `Vec` of fields.
        let exact = format!("{mix}_exact");
        let terminated: Vec<Vec<u8>> = values
            .iter()
            .map(|v| format!("{v}\n").into_bytes())
            .collect();
        let plain: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        g.bench_function(
            BenchmarkId::new("netorder::IntEncoding::Ascii", &exact),
            |b| {
                b.iter(|| {
                    let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
                    for s in black_box(&terminated) {
                        black_box(enc.decode(s).unwrap());
                    }
                })
            },
        );
        g.bench_function(BenchmarkId::new("str_parse", &exact), |b| {
            b.iter(|| {
                for s in black_box(&plain) {
                    black_box(s.parse::<u64>().unwrap());
                }
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    varint_encode,
    varint_decode,
    zigzag_encode,
    zigzag_decode,
    varint_encode_batch,
    varint_decode_batch,
    ascii_encode,
    ascii_decode
);
criterion_main!(benches);
