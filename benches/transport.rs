//! Transport and framing, each beside its peers in one group so the ratios can be read:
//!
//! - `transport/small_records`: 1000 records of 35 bytes (u32-prefixed) over loopback TCP:
//!   typed `Conn::send` (serde), `Conn::send_fixed` (`#[derive(FixedRecord)]`) and raw
//!   `Conn::send_frame` vs a naive `write_all` per record and vs a
//!   hand-rolled `BufWriter` loop (bytes written by hand, or by `netorder::to_slice`).
//! - `transport/large_frames`: 64 KiB frames over loopback TCP: `Conn::send_frame` vs raw
//!   `write_all`.
//! - `frame/in_memory`: encode and decode 1000 u32-prefixed 35-byte frames in memory:
//!   `encode_frame` + `FrameDecoder` vs `tokio_util::codec::LengthDelimitedCodec`.
//! - `frame/length_field`: the same job with a general length field (3 bytes, little-endian,
//!   counting itself: `length_field_length(3).little_endian().length_adjustment(-3)`), both
//!   sides built with that configuration.
//! - `frame/length_field_1k`: 200 frames of 1 KiB with that length field, without and with a
//!   CRC-32C trailer (what the checksum costs), vs `LengthDelimitedCodec`.
//!
//! Run one group briefly: `cargo bench --bench transport -- --warm-up-time 1
//! --measurement-time 2 transport/small_records`.

use bytes::{Bytes, BytesMut};
use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use netorder::frame::Checksum;
use netorder::frame::{FrameDecoder, Framing, encode_frame};
use netorder::record::FixedRecord;
use netorder::transport::Conn;
use serde::Serialize;
use std::io::{BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use tokio_util::codec::{Decoder, Encoder, LengthDelimitedCodec};

/// 35 bytes on the wire: 4 + 8 + 2 + 8 + 8 + 4 + 1.
#[derive(Serialize, FixedRecord, Clone, Copy)]
struct Reading {
    id: u32,
    timestamp: u64,
    temperature: i16,
    value: f64,
    tag: [u8; 8],
    seq: u32,
    ok: bool,
}

const RECORD_LEN: usize = 35;
const BATCH: usize = 1000;

impl Reading {
    fn sample(i: u32) -> Reading {
        Reading {
            id: i,
            timestamp: 1_700_000_000_000 + u64::from(i),
            temperature: -40 + (i % 100) as i16,
            value: f64::from(i) * 0.5,
            tag: *b"sensor-1",
            seq: i,
            ok: i % 2 == 0,
        }
    }

    /// The record's bytes by hand, for the peers: the same bytes `netorder` writes.
    fn write_to(&self, out: &mut [u8; RECORD_LEN]) {
        out[0..4].copy_from_slice(&self.id.to_be_bytes());
        out[4..12].copy_from_slice(&self.timestamp.to_be_bytes());
        out[12..14].copy_from_slice(&self.temperature.to_be_bytes());
        out[14..22].copy_from_slice(&self.value.to_be_bytes());
        out[22..30].copy_from_slice(&self.tag);
        out[30..34].copy_from_slice(&self.seq.to_be_bytes());
        out[34] = u8::from(self.ok);
    }
}

/// A loopback connection whose far end a thread drains until the near end closes.
fn loopback() -> (TcpStream, JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let drain = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = vec![0u8; 256 << 10];
        let mut total = 0u64;
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => return total,
                Ok(n) => total += n as u64,
            }
        }
    });
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    (stream, drain)
}

fn small_records(c: &mut Criterion) {
    let records: Vec<Reading> = (0..BATCH as u32).map(Reading::sample).collect();
    let mut group = c.benchmark_group("transport/small_records");
    group.throughput(Throughput::Elements(BATCH as u64));

    {
        let (stream, drain) = loopback();
        let mut conn = Conn::new(stream, Framing::U32);
        group.bench_function("netorder_conn_send_typed", |b| {
            b.iter(|| {
                for r in &records {
                    conn.send(r).unwrap();
                }
                conn.flush().unwrap();
            })
        });
        drop(conn);
        drain.join().unwrap();
    }
    {
        let (stream, drain) = loopback();
        let mut conn = Conn::new(stream, Framing::U32);
        group.bench_function("netorder_conn_send_fixed", |b| {
            b.iter(|| {
                for r in &records {
                    conn.send_fixed(r).unwrap();
                }
                conn.flush().unwrap();
            })
        });
        drop(conn);
        drain.join().unwrap();
    }
    {
        let (stream, drain) = loopback();
        let mut conn = Conn::new(stream, Framing::U32);
        let mut bytes = [0u8; RECORD_LEN];
        group.bench_function("netorder_conn_send_frame", |b| {
            b.iter(|| {
                for r in &records {
                    r.write_to(&mut bytes);
                    conn.send_frame(&bytes).unwrap();
                }
                conn.flush().unwrap();
            })
        });
        drop(conn);
        drain.join().unwrap();
    }
    {
        let (mut stream, drain) = loopback();
        let mut frame = [0u8; 4 + RECORD_LEN];
        frame[..4].copy_from_slice(&(RECORD_LEN as u32).to_be_bytes());
        group.bench_function("naive_write_all_per_record", |b| {
            b.iter(|| {
                for r in &records {
                    r.write_to((&mut frame[4..]).try_into().unwrap());
                    stream.write_all(&frame).unwrap();
                }
            })
        });
        drop(stream);
        drain.join().unwrap();
    }
    {
        let (stream, drain) = loopback();
        let mut w = BufWriter::with_capacity(64 << 10, stream);
        let mut bytes = [0u8; RECORD_LEN];
        group.bench_function("hand_rolled_bufwriter", |b| {
            b.iter(|| {
                for r in &records {
                    r.write_to(&mut bytes);
                    w.write_all(&(RECORD_LEN as u32).to_be_bytes()).unwrap();
                    w.write_all(&bytes).unwrap();
                }
                w.flush().unwrap();
            })
        });
        drop(w);
        drain.join().unwrap();
    }
    {
        // The same loop with the same serializer as `Conn::send`: isolates what `Conn` adds.
        let (stream, drain) = loopback();
        let mut w = BufWriter::with_capacity(64 << 10, stream);
        let mut bytes = [0u8; RECORD_LEN];
        group.bench_function("hand_rolled_bufwriter_to_slice", |b| {
            b.iter(|| {
                for r in &records {
                    let n = netorder::to_slice(r, &mut bytes).unwrap();
                    w.write_all(&(n as u32).to_be_bytes()).unwrap();
                    w.write_all(&bytes[..n]).unwrap();
                }
                w.flush().unwrap();
            })
        });
        drop(w);
        drain.join().unwrap();
    }
    group.finish();
}

fn large_frames(c: &mut Criterion) {
    const LEN: usize = 64 << 10;
    const FRAMES: usize = 16;
    let payload = vec![0xA5u8; LEN];
    let mut group = c.benchmark_group("transport/large_frames");
    group.throughput(Throughput::Bytes((LEN * FRAMES) as u64));
    {
        let (stream, drain) = loopback();
        let mut conn = Conn::new(stream, Framing::U32);
        group.bench_function(BenchmarkId::new("netorder_conn_send_frame", "64KiB"), |b| {
            b.iter(|| {
                for _ in 0..FRAMES {
                    conn.send_frame(&payload).unwrap();
                }
                conn.flush().unwrap();
            })
        });
        drop(conn);
        drain.join().unwrap();
    }
    {
        let (mut stream, drain) = loopback();
        group.bench_function(BenchmarkId::new("raw_write_all", "64KiB"), |b| {
            b.iter(|| {
                for _ in 0..FRAMES {
                    stream.write_all(&payload).unwrap();
                }
            })
        });
        drop(stream);
        drain.join().unwrap();
    }
    group.finish();
}

fn in_memory(c: &mut Criterion) {
    let payloads: Vec<[u8; RECORD_LEN]> = (0..BATCH as u32)
        .map(|i| {
            let mut b = [0u8; RECORD_LEN];
            Reading::sample(i).write_to(&mut b);
            b
        })
        .collect();
    let mut group = c.benchmark_group("frame/in_memory");
    group.throughput(Throughput::Elements(BATCH as u64));

    let mut wire = Vec::with_capacity(BATCH * (4 + RECORD_LEN));
    let mut decoder = FrameDecoder::new(Framing::U32);
    group.bench_function("netorder_encode_decode", |b| {
        b.iter(|| {
            wire.clear();
            for p in &payloads {
                encode_frame(Framing::U32, p, &mut wire).unwrap();
            }
            let mut sum = 0usize;
            let mut rest = &wire[..];
            while !rest.is_empty() {
                let took = decoder.feed(rest);
                rest = &rest[took..];
                while let Some(frame) = decoder.next_frame().unwrap() {
                    sum += usize::from(frame[0]);
                }
            }
            black_box(sum)
        })
    });

    // Payloads as `Bytes` made beforehand: each encode clones a reference, no copy.
    let shared: Vec<Bytes> = payloads.iter().map(|p| Bytes::copy_from_slice(p)).collect();
    let mut codec = LengthDelimitedCodec::new();
    let mut buf = BytesMut::with_capacity(BATCH * (4 + RECORD_LEN));
    group.bench_function("tokio_util_length_delimited", |b| {
        b.iter(|| {
            buf.clear();
            for p in &shared {
                codec.encode(p.clone(), &mut buf).unwrap();
            }
            let mut sum = 0usize;
            while let Some(frame) = codec.decode(&mut buf).unwrap() {
                sum += usize::from(frame[0]);
            }
            black_box(sum)
        })
    });
    group.finish();
}

/// Encodes every payload with `framing` into `wire`, then decodes them all with `decoder`;
/// a sum over the frames' first bytes.
#[inline(always)]
fn netorder_round<P: AsRef<[u8]>>(
    framing: Framing,
    payloads: &[P],
    wire: &mut Vec<u8>,
    decoder: &mut FrameDecoder,
) -> usize {
    wire.clear();
    for p in payloads {
        encode_frame(framing, p.as_ref(), wire).unwrap();
    }
    let mut sum = 0usize;
    let mut rest = &wire[..];
    while !rest.is_empty() {
        let took = decoder.feed(rest);
        rest = &rest[took..];
        while let Some(frame) = decoder.next_frame().unwrap() {
            sum += usize::from(frame[0]);
        }
    }
    sum
}

/// The same job with tokio-util's codec.
#[inline(always)]
fn tokio_round(codec: &mut LengthDelimitedCodec, payloads: &[Bytes], buf: &mut BytesMut) -> usize {
    buf.clear();
    for p in payloads {
        codec.encode(p.clone(), buf).unwrap();
    }
    let mut sum = 0usize;
    while let Some(frame) = codec.decode(buf).unwrap() {
        sum += usize::from(frame[0]);
    }
    sum
}

/// `frame/length_field` and `frame/length_field_1k` (see the module docs).
fn length_field(c: &mut Criterion) {
    let framing = Framing::length_delimited()
        .length_field_length(3)
        .little_endian()
        .length_adjustment(-3)
        .build()
        .unwrap();
    let tokio_builder = || {
        LengthDelimitedCodec::builder()
            .length_field_length(3)
            .little_endian()
            .length_adjustment(-3)
            .new_codec()
    };
    run::<RECORD_LEN>(c, "frame/length_field", BATCH, framing, tokio_builder());
    run::<1024>(c, "frame/length_field_1k", 200, framing, tokio_builder());
}

/// One group of `length_field`: `count` fixed-size payloads of `N` bytes whose bytes vary (the
/// checksum reads them all), as `frame/in_memory` has them.
fn run<const N: usize>(
    c: &mut Criterion,
    name: &str,
    count: usize,
    framing: Framing,
    tokio: LengthDelimitedCodec,
) {
    let payloads: Vec<[u8; N]> = (0..count)
        .map(|i| core::array::from_fn(|j| (i * 31 + j * 7) as u8))
        .collect();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(count as u64));
    let mut wire = Vec::with_capacity(count * (N + 8));
    let mut decoder = FrameDecoder::new(framing);
    group.bench_function("netorder_encode_decode", |b| {
        b.iter(|| {
            black_box(netorder_round(
                framing,
                black_box(&payloads),
                &mut wire,
                &mut decoder,
            ))
        })
    });
    if N >= 1024 {
        let crc = framing.with_checksum(Checksum::Crc32c);
        let mut decoder = FrameDecoder::new(crc);
        group.bench_function("netorder_encode_decode_crc32c", |b| {
            b.iter(|| {
                black_box(netorder_round(
                    crc,
                    black_box(&payloads),
                    &mut wire,
                    &mut decoder,
                ))
            })
        });
    }
    let shared: Vec<Bytes> = payloads.iter().map(|p| Bytes::copy_from_slice(p)).collect();
    let mut codec = tokio;
    let mut buf = BytesMut::with_capacity(count * (N + 8));
    group.bench_function("tokio_util_length_delimited", |b| {
        b.iter(|| black_box(tokio_round(&mut codec, black_box(&shared), &mut buf)))
    });
    group.finish();
}

criterion_group!(
    benches,
    small_records,
    large_frames,
    in_memory,
    length_field
);
criterion_main!(benches);
