//! The tokio codec and the `bytes` adapters, beside what a tokio user writes without netorder.
//!
//! - `codec/records`: encode 1000 32-byte records into a `BytesMut` through the codec, then
//!   decode them all back out of it: `RecordCodec<Rec>` (u32 framing) vs tokio-util's
//!   `LengthDelimitedCodec` with bincode 2 (big-endian, fixed-width integers: the same bytes),
//!   once through the codec's encoder (a `Bytes` per record, as its `Encoder<Bytes>` takes)
//!   and once writing the length and bincode's bytes in place, as netorder's codec does.
//! - `buf/records`: encode 1000 records into a `BytesMut`, then decode them from it:
//!   `netorder::buf::{to_buf_mut, from_buf}` vs bincode 2 into a stack buffer + `put_slice`
//!   and `decode_from_slice` + `advance`.
//!
//! - `frame/owned`: the framing job of `frame/in_memory` with tokio-util's contract on both
//!   sides: `FrameCodec` vs `LengthDelimitedCodec`, each decoded frame an owned `BytesMut`.
//!
//! Run briefly: `cargo bench --features tokio --bench codec -- --warm-up-time 1
//! --measurement-time 2`.
//!
//! Without the `tokio` feature this bench is empty (and says so), so that `cargo bench` and
//! `benches/report.sh` run as before; `--all-features` or `--features tokio` measures.

#[cfg(feature = "tokio")]
mod with_tokio {
    use bytes::{Buf, BufMut, Bytes, BytesMut};
    use criterion::{Criterion, Throughput, black_box, criterion_group};
    use netorder::codec::{FrameCodec, RecordCodec};
    use netorder::frame::Framing;
    use serde::{Deserialize, Serialize};
    use tokio_util::codec::{Decoder, Encoder, LengthDelimitedCodec};

    /// 32 bytes on the wire: 4 + 8 + 8 + 8 + 4.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
    struct Rec {
        id: u32,
        timestamp: u64,
        value: f64,
        tag: [u8; 8],
        seq: u32,
    }

    const RECORD_LEN: usize = 32;
    const BATCH: usize = 1000;

    fn records() -> Vec<Rec> {
        (0..BATCH as u32)
            .map(|i| Rec {
                id: i,
                timestamp: 1_700_000_000_000 + u64::from(i),
                value: f64::from(i) * 0.5,
                tag: *b"sensor-1",
                seq: i,
            })
            .collect()
    }

    fn bincode_config() -> impl bincode::config::Config {
        bincode::config::standard()
            .with_big_endian()
            .with_fixed_int_encoding()
    }

    fn codec_records(c: &mut Criterion) {
        let recs = records();
        // The peers write the same bytes.
        let mut ours = BytesMut::new();
        let mut codec = RecordCodec::<Rec>::new(Framing::U32);
        let mut theirs = BytesMut::new();
        let mut ld = LengthDelimitedCodec::new();
        for r in &recs[..3] {
            codec.encode(r, &mut ours).unwrap();
            let v = bincode::serde::encode_to_vec(r, bincode_config()).unwrap();
            assert_eq!(v.len(), RECORD_LEN);
            ld.encode(Bytes::from(v), &mut theirs).unwrap();
        }
        assert_eq!(ours, theirs);
        let mut in_place = BytesMut::new();
        for r in &recs[..3] {
            in_place.put_u32(RECORD_LEN as u32);
            let start = in_place.len();
            in_place.resize(start + RECORD_LEN, 0);
            bincode::serde::encode_into_slice(r, &mut in_place[start..], bincode_config()).unwrap();
        }
        assert_eq!(ours, in_place);

        let mut group = c.benchmark_group("codec/records");
        group.throughput(Throughput::Elements(BATCH as u64));
        let mut buf = BytesMut::with_capacity(BATCH * (4 + RECORD_LEN));
        group.bench_function("netorder_record_codec", |b| {
            b.iter(|| {
                buf.clear();
                for r in &recs {
                    codec.encode(r, &mut buf).unwrap();
                }
                let mut sum = 0u64;
                while let Some(r) = codec.decode(&mut buf).unwrap() {
                    sum += u64::from(r.seq);
                }
                black_box(sum)
            })
        });
        group.bench_function("tokio_util_length_delimited_bincode", |b| {
            b.iter(|| {
                buf.clear();
                for r in &recs {
                    let v = bincode::serde::encode_to_vec(r, bincode_config()).unwrap();
                    ld.encode(Bytes::from(v), &mut buf).unwrap();
                }
                let mut sum = 0u64;
                while let Some(frame) = ld.decode(&mut buf).unwrap() {
                    let (r, _): (Rec, usize) =
                        bincode::serde::decode_from_slice(&frame, bincode_config()).unwrap();
                    sum += u64::from(r.seq);
                }
                black_box(sum)
            })
        });
        // The same peers, with bincode writing in place as netorder does: the length and the
        // record straight into the `BytesMut` (what LengthDelimitedCodec's encoder writes,
        // without its `Bytes` argument, which costs the row above an allocation per record).
        group.bench_function("tokio_util_length_delimited_bincode_in_place", |b| {
            b.iter(|| {
                buf.clear();
                for r in &recs {
                    buf.put_u32(RECORD_LEN as u32);
                    let start = buf.len();
                    buf.resize(start + RECORD_LEN, 0);
                    let n =
                        bincode::serde::encode_into_slice(r, &mut buf[start..], bincode_config())
                            .unwrap();
                    debug_assert_eq!(n, RECORD_LEN);
                }
                let mut sum = 0u64;
                while let Some(frame) = ld.decode(&mut buf).unwrap() {
                    let (r, _): (Rec, usize) =
                        bincode::serde::decode_from_slice(&frame, bincode_config()).unwrap();
                    sum += u64::from(r.seq);
                }
                black_box(sum)
            })
        });
        group.finish();
    }

    fn buf_records(c: &mut Criterion) {
        let recs = records();
        let mut group = c.benchmark_group("buf/records");
        group.throughput(Throughput::Elements(BATCH as u64));
        let mut buf = BytesMut::with_capacity(BATCH * RECORD_LEN);
        group.bench_function("netorder_to_buf_mut_from_buf", |b| {
            b.iter(|| {
                buf.clear();
                for r in &recs {
                    netorder::buf::to_buf_mut(r, &mut buf).unwrap();
                }
                let mut rest = buf.split().freeze();
                let mut sum = 0u64;
                while rest.has_remaining() {
                    let r: Rec = netorder::buf::from_buf(&mut rest).unwrap();
                    sum += u64::from(r.seq);
                }
                black_box(sum)
            })
        });
        group.bench_function("bincode_slice_put_slice", |b| {
            b.iter(|| {
                buf.clear();
                for r in &recs {
                    let mut stack = [0u8; 64];
                    let n =
                        bincode::serde::encode_into_slice(r, &mut stack, bincode_config()).unwrap();
                    buf.put_slice(&stack[..n]);
                }
                let mut rest = buf.split().freeze();
                let mut sum = 0u64;
                while rest.has_remaining() {
                    let (r, n): (Rec, usize) =
                        bincode::serde::decode_from_slice(&rest, bincode_config()).unwrap();
                    rest.advance(n);
                    sum += u64::from(r.seq);
                }
                black_box(sum)
            })
        });
        group.finish();
    }

    /// `frame/owned`: the `frame/in_memory` job (1000 35-byte payloads, u32 prefixes, encode
    /// all, then decode all) with the same contract on both sides: tokio codecs over one
    /// `BytesMut`, every decoded frame an owned, reference-counted `BytesMut` split off it.
    /// (`frame/in_memory` in `benches/transport.rs` gives netorder's `FrameDecoder` borrowed
    /// slices instead, which is what its users get, but not what tokio-util's give.)
    fn frame_owned(c: &mut Criterion) {
        let payloads: Vec<Bytes> = (0..BATCH as u32)
            .map(|i| {
                let mut p = [0u8; 35];
                p[..4].copy_from_slice(&i.to_be_bytes());
                p[4] = i as u8;
                Bytes::copy_from_slice(&p)
            })
            .collect();
        let mut group = c.benchmark_group("frame/owned");
        group.throughput(Throughput::Elements(BATCH as u64));
        let mut buf = BytesMut::with_capacity(BATCH * (4 + 35));
        let mut ours = FrameCodec::new(Framing::U32);
        group.bench_function("netorder_frame_codec", |b| {
            b.iter(|| {
                buf.clear();
                for p in &payloads {
                    ours.encode(p, &mut buf).unwrap();
                }
                let mut sum = 0usize;
                while let Some(frame) = ours.decode(&mut buf).unwrap() {
                    sum += usize::from(frame[4]);
                }
                black_box(sum)
            })
        });
        let mut theirs = LengthDelimitedCodec::new();
        group.bench_function("tokio_util_length_delimited", |b| {
            b.iter(|| {
                buf.clear();
                for p in &payloads {
                    theirs.encode(p.clone(), &mut buf).unwrap();
                }
                let mut sum = 0usize;
                while let Some(frame) = theirs.decode(&mut buf).unwrap() {
                    sum += usize::from(frame[4]);
                }
                black_box(sum)
            })
        });
        group.finish();
    }

    criterion_group!(benches, codec_records, buf_records, frame_owned);
}

#[cfg(feature = "tokio")]
criterion::criterion_main!(with_tokio::benches);

#[cfg(not(feature = "tokio"))]
fn main() {
    eprintln!("benches/codec.rs measures the tokio codec: run it with --features tokio");
}
