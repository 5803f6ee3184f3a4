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
//! - `ascii_encode`: netorder vs itoa (and `write!` for scale), appending to a `Vec`;
//!   `ascii_decode`: netorder vs `str::parse::<u64>` on the same text, `mixed`/`digits` as a
//!   stream (netorder reads value after value, str::parse gets each value's digits already cut
//!   out as `&str`: no `from_utf8`, no search for the end), `*_exact` with each value in its own
//!   allocation (no byte to read ahead).
//!
//! Inputs (`netorder_support::values`): issue 16's mix, `mixed` (32 768 values a pass: one
//! third below 128, one third below 2^32, one third anywhere in `u64`), and for ASCII also
//! `digits` (digit counts spread evenly over 1..=20). Each iteration takes the next of
//! [`ORDERS`] shuffled orders of the pass: with one fixed order, criterion repeats the same
//! 32 768 values for seconds and the branch predictor learns them (integer-encoding's decode
//! loop: 2.35 ns a value on one order, 7.43 on 16; netorder's branch-free decoder 5.63 and 5.76).
//! Every written byte and decoded value goes through `std::hint::black_box` (criterion 0.5's
//! `black_box` only reads a reference, so stores behind it could be dropped).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use integer_encoding::VarInt;
use netorder::__private::VarintPath;
use netorder::IntEncoding;
use netorder::int::{ascii, varint};
use netorder_support::values::{PASS, digit_count_passes, shuffled_passes};
use std::hint::black_box;
use std::io::Write;

/// Shuffled orders of each pass; the iterations take them in turn.
const ORDERS: usize = 16;

/// The next of `items`, in turn.
fn next<'a, T>(items: &'a [T], turn: &mut usize) -> &'a T {
    *turn = (*turn + 1) % items.len();
    &items[*turn]
}

/// The encodings of each pass, back to back.
fn streams(passes: &[Vec<u64>], encoding: IntEncoding) -> Vec<Vec<u8>> {
    passes
        .iter()
        .map(|values| {
            let mut stream = Vec::new();
            for &v in values {
                encoding.encode(v, &mut stream).unwrap();
            }
            stream
        })
        .collect()
}

fn zigzag(v: u64) -> u64 {
    let n = v as i64;
    ((n << 1) ^ (n >> 63)) as u64
}

fn varint_encode(c: &mut Criterion) {
    let passes = shuffled_passes(ORDERS);
    let mut out = vec![0u8; PASS * varint::MAX_LEN];
    let mut g = c.benchmark_group("varint_encode");
    g.throughput(Throughput::Elements(PASS as u64));
    // Into one slice, value after value, as a serializer does.
    let mut turn = 0;
    g.bench_function(BenchmarkId::new("netorder::varint::encode", "mixed"), |b| {
        b.iter(|| {
            let mut pos = 0;
            for &v in black_box(next(&passes, &mut turn)) {
                pos += varint::encode(v, &mut out[pos..]).unwrap();
            }
            black_box(&out[..pos]);
        })
    });
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = &mut out[..];
            for &v in black_box(next(&passes, &mut turn)) {
                prost::encoding::encode_varint(v, &mut rest);
            }
            let pos = PASS * varint::MAX_LEN - rest.len();
            black_box(&out[..pos]);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut pos = 0;
            for &v in black_box(next(&passes, &mut turn)) {
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
                for &v in black_box(next(&passes, &mut turn)) {
                    enc.encode(v, &mut vec).unwrap();
                }
                black_box(&vec);
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(next(&passes, &mut turn)) {
                prost::encoding::encode_varint(v, &mut vec);
            }
            black_box(&vec);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(next(&passes, &mut turn)) {
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
    let passes = shuffled_passes(ORDERS);
    let mut vec = Vec::with_capacity(PASS * varint::MAX_LEN);
    let mut turn = 0;
    let mut g = c.benchmark_group("zigzag_encode");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::IntEncoding::ZigZag", "mixed_vec"),
        |b| {
            b.iter(|| {
                vec.clear();
                let enc = black_box(IntEncoding::ZigZag);
                for &v in black_box(next(&passes, &mut turn)) {
                    enc.encode(v, &mut vec).unwrap();
                }
                black_box(&vec);
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(next(&passes, &mut turn)) {
                prost::encoding::encode_varint(zigzag(v), &mut vec);
            }
            black_box(&vec);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed_vec"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(next(&passes, &mut turn)) {
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
    let streams = streams(&shuffled_passes(ORDERS), IntEncoding::Varint);
    let mut turn = 0;
    let mut g = c.benchmark_group("varint_decode");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(BenchmarkId::new("netorder::varint::decode", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
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
                let mut rest = black_box(&next(&streams, &mut turn)[..]);
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
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
            while !rest.is_empty() {
                black_box(prost::encoding::decode_varint(&mut rest).unwrap());
            }
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
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
    let streams = streams(&shuffled_passes(ORDERS), IntEncoding::ZigZag);
    let mut turn = 0;
    let mut g = c.benchmark_group("zigzag_decode");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::IntEncoding::ZigZag", "mixed"),
        |b| {
            b.iter(|| {
                let enc = black_box(IntEncoding::ZigZag);
                let mut rest = black_box(&next(&streams, &mut turn)[..]);
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
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
            while !rest.is_empty() {
                let z = prost::encoding::decode_varint(&mut rest).unwrap();
                black_box(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
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
    let passes = shuffled_passes(ORDERS);
    let mut vec = Vec::with_capacity(PASS * varint::MAX_LEN);
    let mut turn = 0;
    let mut g = c.benchmark_group("varint_encode_batch");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::varint::encode_batch", "mixed"),
        |b| {
            b.iter(|| {
                vec.clear();
                varint::encode_batch(black_box(&next(&passes, &mut turn)[..]), &mut vec);
                black_box(&vec);
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("netorder::varint::encode_batch [portable]", "mixed"),
        |b| {
            b.iter(|| {
                vec.clear();
                let values = black_box(next(&passes, &mut turn));
                netorder::__private::encode_batch_on(VarintPath::Portable, values, &mut vec);
                black_box(&vec);
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            vec.clear();
            for &v in black_box(next(&passes, &mut turn)) {
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
            for &v in black_box(next(&passes, &mut turn)) {
                pos += v.encode_var(&mut vec[pos..]);
            }
            vec.truncate(pos);
            black_box(&vec);
        })
    });
    g.finish();
}

fn varint_decode_batch(c: &mut Criterion) {
    let streams = streams(&shuffled_passes(ORDERS), IntEncoding::Varint);
    let mut out = vec![0u64; PASS];
    let mut turn = 0;
    let mut g = c.benchmark_group("varint_decode_batch");
    g.throughput(Throughput::Elements(PASS as u64));
    g.bench_function(
        BenchmarkId::new("netorder::varint::decode_batch", "mixed"),
        |b| {
            b.iter(|| {
                let stream = black_box(&next(&streams, &mut turn)[..]);
                let got = varint::decode_batch(stream, &mut out).unwrap();
                black_box(&out);
                got
            })
        },
    );
    g.bench_function(
        BenchmarkId::new("netorder::varint::decode_batch [portable]", "mixed"),
        |b| {
            b.iter(|| {
                let stream = black_box(&next(&streams, &mut turn)[..]);
                let got =
                    netorder::__private::decode_batch_on(VarintPath::Portable, stream, &mut out);
                black_box(&out);
                got.unwrap().unwrap()
            })
        },
    );
    g.bench_function(BenchmarkId::new("prost", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
            for slot in out.iter_mut() {
                *slot = prost::encoding::decode_varint(&mut rest).unwrap();
            }
            black_box(&out);
        })
    });
    g.bench_function(BenchmarkId::new("integer-encoding", "mixed"), |b| {
        b.iter(|| {
            let mut rest = black_box(&next(&streams, &mut turn)[..]);
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
    let mut turn = 0;
    let mixes = [
        ("mixed", shuffled_passes(ORDERS)),
        ("digits", digit_count_passes(ORDERS)),
    ];
    for (mix, passes) in &mixes {
        // Appending digits and a terminator to a `Vec`, as a text protocol writer does.
        g.bench_function(BenchmarkId::new("netorder::IntEncoding::Ascii", mix), |b| {
            b.iter(|| {
                vec.clear();
                let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
                for &v in black_box(next(passes, &mut turn)) {
                    enc.encode(v, &mut vec).unwrap();
                }
                black_box(&vec);
            })
        });
        g.bench_function(BenchmarkId::new("itoa", mix), |b| {
            b.iter(|| {
                vec.clear();
                let mut buf = itoa::Buffer::new();
                for &v in black_box(next(passes, &mut turn)) {
                    vec.extend_from_slice(buf.format(v).as_bytes());
                    vec.push(b'\n');
                }
                black_box(&vec);
            })
        });
        g.bench_function(BenchmarkId::new("std_write", mix), |b| {
            b.iter(|| {
                vec.clear();
                for &v in black_box(next(passes, &mut turn)) {
                    writeln!(vec, "{v}").unwrap();
                }
                black_box(&vec);
            })
        });
    }
    g.finish();
}

/// A pass as decimal text (a value and `\n` after another), and each value's digits as
/// `&str` ranges of it.
fn decimal_text(values: &[u64]) -> (String, Vec<std::ops::Range<usize>>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for v in values {
        let start = text.len();
        text.push_str(&v.to_string());
        spans.push(start..text.len());
        text.push('\n');
    }
    (text, spans)
}

fn ascii_decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("ascii_decode");
    g.throughput(Throughput::Elements(PASS as u64));
    let mut turn = 0;
    let mixes = [
        ("mixed", shuffled_passes(ORDERS)),
        ("digits", digit_count_passes(ORDERS)),
    ];
    for (mix, passes) in &mixes {
        // One text, as a line protocol reader sees it: netorder decodes value after value from
        // the rest of it (checking the canonical form and finding the terminator); str::parse
        // gets each value's digits already cut out of the same text as `&str` (and accepts `+`
        // and leading zeros).
        let texts: Vec<_> = passes.iter().map(|p| decimal_text(p)).collect();
        let cut: Vec<Vec<&str>> = texts
            .iter()
            .map(|(text, spans)| spans.iter().map(|r| &text[r.clone()]).collect())
            .collect();
        g.bench_function(BenchmarkId::new("netorder::IntEncoding::Ascii", mix), |b| {
            b.iter(|| {
                let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
                let mut rest = black_box(next(&texts, &mut turn).0.as_bytes());
                while !rest.is_empty() {
                    let (v, n) = enc.decode(rest).unwrap();
                    black_box(v);
                    rest = &rest[n..];
                }
            })
        });
        g.bench_function(BenchmarkId::new("str_parse", mix), |b| {
            b.iter(|| {
                for s in black_box(next(&cut, &mut turn)) {
                    black_box(s.parse::<u64>().unwrap());
                }
            })
        });
        // Each value its own exact slice (no byte after the terminator to read ahead), both
        // sides: separately allocated, as in a `Vec` of fields; one set of allocations, read in
        // the order of the pass at hand.
        let exact = format!("{mix}_exact");
        let first = &passes[0];
        let terminated: Vec<Vec<u8>> = first
            .iter()
            .map(|v| format!("{v}\n").into_bytes())
            .collect();
        let plain: Vec<String> = first.iter().map(|v| v.to_string()).collect();
        let orders: Vec<Vec<usize>> = passes
            .iter()
            .map(|p| {
                let mut at: Vec<usize> = (0..first.len()).collect();
                at.sort_by_key(|&i| first[i]);
                let mut order: Vec<(u64, usize)> = Vec::new();
                // The indices of `first` in the order the values come in this pass (values
                // repeat: take the equal ones in turn).
                let mut used = std::collections::HashMap::new();
                for &v in p {
                    let lo = at.partition_point(|&i| first[i] < v);
                    let k = used.entry(v).or_insert(0usize);
                    order.push((v, at[lo + *k]));
                    *k += 1;
                }
                order.into_iter().map(|(_, i)| i).collect()
            })
            .collect();
        g.bench_function(
            BenchmarkId::new("netorder::IntEncoding::Ascii", &exact),
            |b| {
                b.iter(|| {
                    let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
                    for &i in black_box(next(&orders, &mut turn)) {
                        black_box(enc.decode(&terminated[i]).unwrap());
                    }
                })
            },
        );
        g.bench_function(BenchmarkId::new("str_parse", &exact), |b| {
            b.iter(|| {
                for &i in black_box(next(&orders, &mut turn)) {
                    black_box(plain[i].parse::<u64>().unwrap());
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
