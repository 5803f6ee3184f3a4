//! Instruction counts for the micro-benchmarks, for `benches/report.sh` under
//! `valgrind --tool=callgrind`: `callgrind --list` prints `op<TAB>group<TAB>function` lines
//! (the group and function names of the criterion benches), `callgrind OP COUNT` runs one
//! operation COUNT times. The script runs COUNT = N and 2N and takes the difference, so
//! start-up and set-up cancel out. Run by `cargo bench` without arguments it does nothing.

use std::hint::black_box;

use byteorder::{BigEndian, ByteOrder};
use integer_encoding::VarInt;
use netorder::__private::VarintPath;
use netorder::IntEncoding;
use netorder::frame::Framing;
use netorder::int::varint;
use netorder::transport::Conn;
use netorder::{Endian, convert_in_place, hton32, ntoh64};
use std::fmt::Write as _;
use std::io::{BufWriter, Read, Write};

use netorder_support::values;
use values::{PASS, mixed_values, shuffled_values};

/// (op, criterion group, function) and the runner: `runner(count)` does `count` operations.
type Op = (&'static str, &'static str, &'static str, fn(usize));

fn each_value(count: usize, mut f: impl FnMut(u64)) {
    let values = mixed_values();
    for i in 0..count {
        f(black_box(values[i % values.len()]));
    }
}

/// The integer rows use issue 16's mix (`shuffled_values`: a third below 128, below 2^32,
/// anywhere), value after value, as `benches/int.rs` does.
fn each_mixed(count: usize, mut f: impl FnMut(u64)) {
    let values = shuffled_values();
    for i in 0..count {
        f(black_box(values[i % values.len()]));
    }
}

/// The varints (or zigzag varints) of the mix, back to back.
fn varint_stream(encoding: IntEncoding) -> Vec<u8> {
    let mut stream = Vec::new();
    for v in shuffled_values() {
        encoding
            .encode(v, &mut stream)
            .expect("every u64 has a varint");
    }
    stream
}

fn each_varint(count: usize, encoding: IntEncoding, mut decode: impl FnMut(&[u8]) -> usize) {
    let stream = varint_stream(encoding);
    let mut rest = &stream[..];
    for _ in 0..count {
        if rest.is_empty() {
            rest = &stream[..];
        }
        let n = decode(black_box(rest));
        rest = &rest[n..];
    }
}

/// A `Vec` that `f` appends to, cleared every pass (its capacity kept).
fn each_append(count: usize, mut f: impl FnMut(u64, &mut Vec<u8>)) {
    let mut out = Vec::with_capacity(PASS * 21);
    each_mixed(count, |v| {
        if out.len() > (PASS - 1) * 21 {
            out.clear();
        }
        f(v, &mut out);
        black_box(&out);
    });
}

/// The batch rows: `count` values in one call (up to one pass), so that Ir(2N) - Ir(N) is the
/// cost of N values.
fn batch_decode(count: usize, decode: impl FnOnce(&[u8], &mut [u64])) {
    let values = shuffled_values();
    let count = count.min(values.len());
    // The whole pass is encoded (and `out` allocated) whatever `count`: set-up cancels out.
    let mut stream = Vec::new();
    let mut ends = Vec::with_capacity(values.len() + 1);
    ends.push(0);
    for &v in &values {
        IntEncoding::Varint
            .encode(v, &mut stream)
            .expect("a varint");
        ends.push(stream.len());
    }
    let mut out = vec![0u64; values.len()];
    decode(black_box(&stream[..ends[count]]), &mut out[..count]);
    black_box(&out);
}

fn batch_encode(count: usize, encode: impl FnOnce(&[u64], &mut Vec<u8>)) {
    let values = shuffled_values();
    let mut out = Vec::with_capacity(values.len() * varint::MAX_LEN);
    encode(black_box(&values[..count.min(values.len())]), &mut out);
    black_box(&out);
}

/// The decimal text of the mix: one string, a value and `\n` after another, and where each
/// value's digits are.
fn decimal_text() -> (String, Vec<std::ops::Range<usize>>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for v in shuffled_values() {
        let start = text.len();
        text.push_str(&v.to_string());
        spans.push(start..text.len());
        text.push('\n');
    }
    (text, spans)
}

fn each_swap(count: usize, mut f: impl FnMut(&mut [u32], &[u32])) {
    let src: Vec<u32> = (0..4096u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
    let mut buf = src.clone();
    for _ in 0..count {
        f(black_box(&mut buf[..]), black_box(&src[..]));
    }
}

use netorder_support::rec;
use rec::{REC, Rec, hand_decode, hand_encode_slice};

/// The floats of `benches/layout.rs`'s `float_text` group.
fn each_float(count: usize, mut f: impl FnMut(f64)) {
    let floats: Vec<f64> = (1..=64)
        .map(|i| f64::from(i) / 7.0 * 10f64.powi(i % 20 - 8))
        .collect();
    for i in 0..count {
        f(black_box(floats[i % floats.len()]));
    }
}

fn each_rec(count: usize, mut f: impl FnMut(&Rec)) {
    for _ in 0..count {
        f(black_box(&REC));
    }
}

/// What every record decoder's result goes through: the decoded record, by reference where the
/// decoder put it, where the optimizer cannot see it used (the same for netorder, bincode and
/// the hand-written decoder, whatever their error types; as `benches/record.rs` does, no row
/// moves the value out of its `Result` first).
#[inline(always)]
fn keep<T, E>(decoded: &Result<T, E>) {
    if let Ok(value) = decoded {
        black_box(value);
    }
}

fn each_rec_bytes(count: usize, mut f: impl FnMut(&[u8])) {
    let bytes = netorder::to_vec(&REC).expect("encodes");
    for _ in 0..count {
        f(black_box(&bytes));
    }
}

/// A stream that swallows writes (and has nothing to read): the typed send path without the
/// socket.
struct Sink;

impl Read for Sink {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Ok(0)
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(black_box(buf).len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `hton32` behind a call boundary, so that `objdump -d` shows its code beside [`probe_to_be`]
/// (`benches/RESULTS.md` quotes both).
#[inline(never)]
pub fn probe_hton32(x: u32) -> u32 {
    hton32(x)
}

/// `u32::to_be` behind a call boundary, for comparison with [`probe_hton32`].
#[inline(never)]
pub fn probe_to_be(x: u32) -> u32 {
    x.to_be()
}

/// `ntoh64` behind a call boundary.
#[inline(never)]
pub fn probe_ntoh64(x: u64) -> u64 {
    ntoh64(x)
}

/// `u64::from_be` behind a call boundary.
#[inline(never)]
pub fn probe_from_be(x: u64) -> u64 {
    u64::from_be(x)
}

/// The derive's encoder behind a call boundary, beside [`probe_hand_encode`] (the
/// hand-written `to_be_bytes` code): `benches/RESULTS.md` quotes both.
#[inline(never)]
pub fn probe_fixed_encode(r: &Rec, out: &mut [u8]) -> netorder::Result<usize> {
    netorder::record::fixed::to_slice(r, out)
}

/// The hand-written encoder behind a call boundary.
#[inline(never)]
pub fn probe_hand_encode(r: &Rec, out: &mut [u8]) -> Option<usize> {
    hand_encode_slice(r, out)
}

/// The derive's decoder behind a call boundary, beside [`probe_hand_decode`].
#[inline(never)]
pub fn probe_fixed_decode(b: &[u8]) -> netorder::Result<Rec> {
    netorder::record::fixed::from_bytes(b)
}

/// The hand-written decoder behind a call boundary.
#[inline(never)]
pub fn probe_hand_decode(b: &[u8]) -> Option<Rec> {
    hand_decode(b)
}

use deku::prelude::*;
use netorder::record::FixedRecord;
use netorder_support::deku_headers::{DekuIpv4, DekuSpacePacket};
use netorder_support::headers::{
    Ipv4, Ipv4View, SpacePacket, SpacePacketView, hand_decode_ipv4, hand_decode_space_packet,
};

/// 256 headers of `size` random bytes (as `benches/headers.rs` makes them), decoded in turn.
fn each_header(count: usize, size: usize, mut f: impl FnMut(&[u8])) {
    let mut x: u64 = 0x1234_5678;
    let pool: Vec<Vec<u8>> = (0..256)
        .map(|_| {
            (0..size)
                .map(|_| {
                    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = x;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    (z ^ (z >> 31)) as u8
                })
                .collect()
        })
        .collect();
    for i in 0..count {
        f(black_box(&pool[i % pool.len()]));
    }
}

/// A view's getter of a bit field behind a call boundary: one load, a byte swap, a shift and
/// a mask (`benches/RESULTS.md` quotes it).
#[inline(never)]
pub fn probe_view_fragment_offset(v: &Ipv4View<'_>) -> u16 {
    v.fragment_offset()
}

/// A view's getter of a whole-byte field behind a call boundary.
#[inline(never)]
pub fn probe_view_total_length(v: &Ipv4View<'_>) -> u16 {
    v.total_length()
}

/// The derive's IPv4 decoder (bit fields) behind a call boundary.
#[inline(never)]
pub fn probe_fixed_decode_ipv4(b: &[u8]) -> netorder::Result<Ipv4> {
    netorder::record::fixed::from_bytes(b)
}

/// The hand-written IPv4 decoder behind a call boundary.
#[inline(never)]
pub fn probe_hand_decode_ipv4(b: &[u8]) -> Option<Ipv4> {
    hand_decode_ipv4(b)
}

/// 35-byte payloads whose bytes vary, 1000 of them (the `frame/in_memory` job).
fn frame_payloads(len: usize) -> Vec<Vec<u8>> {
    (0..1000)
        .map(|i| (0..len).map(|j| (i * 31 + j * 7) as u8).collect())
        .collect()
}

/// Encodes one frame per operation into a `Vec` (cleared every 1000 frames).
#[inline(never)]
fn each_frame_encoded(count: usize, framing: Framing, len: usize) {
    // The framing as endpoints hold it: a value known only at run time.
    let framing = black_box(framing);
    let payloads = frame_payloads(len);
    let mut out = Vec::with_capacity(1000 * (len + 16));
    for i in 0..count {
        if i % 1000 == 0 {
            out.clear();
        }
        let _ = netorder::frame::encode_frame(framing, black_box(&payloads[i % 1000]), &mut out);
    }
    black_box(out.len());
}

/// Decodes one frame per operation with a `FrameDecoder` (fed 1000 frames at a time).
#[inline(never)]
fn each_frame_decoded(count: usize, framing: Framing, len: usize) {
    let framing = black_box(framing);
    let mut wire = Vec::new();
    for p in frame_payloads(len) {
        netorder::frame::encode_frame(framing, &p, &mut wire).expect("encodable");
    }
    let mut decoder = netorder::frame::FrameDecoder::new(framing);
    let mut sum = 0usize;
    for _ in 0..count {
        let frame = match decoder.next_frame() {
            Ok(Some(frame)) => frame,
            _ => {
                decoder.feed(&wire);
                decoder.next_frame().ok().flatten().unwrap_or(&[0])
            }
        };
        sum += usize::from(black_box(frame)[0]);
    }
    black_box(sum);
}

/// The general length field of `frame/length_field` (3 bytes, little-endian, counting itself).
fn length_field() -> Framing {
    Framing::length_delimited()
        .length_field_length(3)
        .little_endian()
        .length_adjustment(-3)
        .build()
        .expect("a valid length field")
}

#[cfg(feature = "tokio")]
fn each_codec_encoded(count: usize) {
    use tokio_util::codec::Encoder;
    let payloads = frame_payloads(35);
    let mut codec = netorder::codec::FrameCodec::new(Framing::U32);
    let mut out = bytes::BytesMut::with_capacity(1000 * 40);
    for i in 0..count {
        if i % 1000 == 0 {
            out.clear();
        }
        let _ = codec.encode(black_box(&payloads[i % 1000][..]), &mut out);
    }
    black_box(out.len());
}

#[cfg(feature = "tokio")]
fn each_codec_decoded(count: usize) {
    use tokio_util::codec::Decoder;
    let mut wire = Vec::new();
    for p in frame_payloads(35) {
        netorder::frame::encode_frame(Framing::U32, &p, &mut wire).expect("encodable");
    }
    let mut codec = netorder::codec::FrameCodec::new(Framing::U32);
    let mut buf = bytes::BytesMut::with_capacity(wire.len());
    let mut sum = 0usize;
    for _ in 0..count {
        if buf.is_empty() {
            buf.extend_from_slice(&wire);
        }
        if let Ok(Some(frame)) = codec.decode(&mut buf) {
            sum += usize::from(black_box(&frame[..])[0]);
        }
    }
    black_box(sum);
}

/// tokio-util's `LengthDelimitedCodec` for the same jobs: `width`-byte field, little-endian
/// with adjustment -3 when `adjusted` (the general length field above), big-endian otherwise.
fn tokio_codec(width: usize, adjusted: bool) -> tokio_util::codec::LengthDelimitedCodec {
    let mut b = tokio_util::codec::LengthDelimitedCodec::builder();
    b.length_field_length(width);
    if adjusted {
        b.little_endian().length_adjustment(-3);
    }
    b.new_codec()
}

#[inline(never)]
fn each_tokio_encoded(count: usize, width: usize, adjusted: bool, len: usize) {
    use tokio_util::codec::Encoder;
    let payloads: Vec<bytes::Bytes> = frame_payloads(len)
        .into_iter()
        .map(bytes::Bytes::from)
        .collect();
    let mut codec = tokio_codec(width, adjusted);
    let mut out = bytes::BytesMut::with_capacity(1000 * (len + 16));
    for i in 0..count {
        if i % 1000 == 0 {
            out.clear();
        }
        let _ = codec.encode(black_box(payloads[i % 1000].clone()), &mut out);
    }
    black_box(out.len());
}

#[inline(never)]
fn each_tokio_decoded(count: usize, width: usize, adjusted: bool, len: usize) {
    use tokio_util::codec::{Decoder, Encoder};
    let mut codec = tokio_codec(width, adjusted);
    let mut wire = bytes::BytesMut::new();
    for p in frame_payloads(len) {
        codec
            .encode(bytes::Bytes::from(p), &mut wire)
            .expect("encodable");
    }
    let mut buf = bytes::BytesMut::with_capacity(wire.len());
    let mut sum = 0usize;
    for _ in 0..count {
        if buf.is_empty() {
            buf.extend_from_slice(&wire);
        }
        if let Ok(Some(frame)) = codec.decode(&mut buf) {
            sum += usize::from(black_box(&frame[..])[0]);
        }
    }
    black_box(sum);
}

const OPS: &[Op] = &[
    ("hton32", "scalar_hton32", "netorder::hton32", |n| {
        each_value(n, |v| {
            black_box(probe_hton32(v as u32));
        })
    }),
    ("to_be", "scalar_hton32", "u32::to_be", |n| {
        each_value(n, |v| {
            black_box(probe_to_be(v as u32));
        })
    }),
    ("ntoh64", "scalar_ntoh64", "netorder::ntoh64", |n| {
        each_value(n, |v| {
            black_box(probe_ntoh64(v));
        })
    }),
    ("from_be", "scalar_ntoh64", "u64::from_be", |n| {
        each_value(n, |v| {
            black_box(probe_from_be(v));
        })
    }),
    (
        "varint_encode",
        "varint_encode",
        "netorder::varint::encode",
        |n| {
            let mut buf = [0u8; varint::MAX_LEN];
            each_mixed(n, |v| {
                let _ = black_box(varint::encode(v, &mut buf));
                black_box(&buf);
            })
        },
    ),
    (
        "varint_append",
        "varint_encode",
        "netorder::IntEncoding::Varint",
        |n| {
            let enc = black_box(IntEncoding::Varint);
            each_append(n, |v, out| {
                let _ = enc.encode(v, out);
            })
        },
    ),
    ("prost_encode", "varint_encode", "prost", |n| {
        each_append(n, prost::encoding::encode_varint)
    }),
    ("ie_encode", "varint_encode", "integer-encoding", |n| {
        each_append(n, |v, out| {
            let mut buf = [0u8; varint::MAX_LEN];
            let len = v.encode_var(&mut buf);
            out.extend_from_slice(&buf[..len]);
        })
    }),
    (
        "varint_decode",
        "varint_decode",
        "netorder::varint::decode",
        |n| {
            each_varint(n, IntEncoding::Varint, |s| {
                varint::decode(s).map_or(1, |(v, n)| {
                    black_box(v);
                    n
                })
            })
        },
    ),
    (
        "varint_decode_enc",
        "varint_decode",
        "netorder::IntEncoding::Varint",
        |n| {
            let enc = black_box(IntEncoding::Varint);
            each_varint(n, IntEncoding::Varint, |s| {
                enc.decode(s).map_or(1, |(v, n)| {
                    black_box(v);
                    n
                })
            })
        },
    ),
    ("prost_decode", "varint_decode", "prost", |n| {
        each_varint(n, IntEncoding::Varint, |s| {
            let mut rest = s;
            if let Ok(v) = prost::encoding::decode_varint(&mut rest) {
                black_box(v);
            }
            s.len() - rest.len()
        })
    }),
    ("ie_decode", "varint_decode", "integer-encoding", |n| {
        each_varint(n, IntEncoding::Varint, |s| {
            u64::decode_var(s).map_or(1, |(v, n)| {
                black_box(v);
                n
            })
        })
    }),
    (
        "zigzag_append",
        "zigzag_encode",
        "netorder::IntEncoding::ZigZag",
        |n| {
            let enc = black_box(IntEncoding::ZigZag);
            each_append(n, |v, out| {
                let _ = enc.encode(v, out);
            })
        },
    ),
    ("prost_zigzag_encode", "zigzag_encode", "prost", |n| {
        each_append(n, |v, out| {
            let z = ((v << 1) as i64 ^ ((v as i64) >> 63)) as u64;
            prost::encoding::encode_varint(z, out)
        })
    }),
    (
        "ie_zigzag_encode",
        "zigzag_encode",
        "integer-encoding",
        |n| {
            each_append(n, |v, out| {
                let mut buf = [0u8; varint::MAX_LEN];
                let len = (v as i64).encode_var(&mut buf);
                out.extend_from_slice(&buf[..len]);
            })
        },
    ),
    (
        "zigzag_decode",
        "zigzag_decode",
        "netorder::IntEncoding::ZigZag",
        |n| {
            let enc = black_box(IntEncoding::ZigZag);
            each_varint(n, IntEncoding::ZigZag, |s| {
                enc.decode(s).map_or(1, |(v, n)| {
                    black_box(v);
                    n
                })
            })
        },
    ),
    ("prost_zigzag_decode", "zigzag_decode", "prost", |n| {
        each_varint(n, IntEncoding::ZigZag, |s| {
            let mut rest = s;
            if let Ok(z) = prost::encoding::decode_varint(&mut rest) {
                black_box(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
            s.len() - rest.len()
        })
    }),
    (
        "ie_zigzag_decode",
        "zigzag_decode",
        "integer-encoding",
        |n| {
            each_varint(n, IntEncoding::ZigZag, |s| {
                i64::decode_var(s).map_or(1, |(v, n)| {
                    black_box(v);
                    n
                })
            })
        },
    ),
    (
        "encode_batch",
        "varint_encode_batch",
        "netorder::varint::encode_batch",
        |n| {
            batch_encode(n, |values, out| {
                varint::encode_batch(values, out);
            })
        },
    ),
    (
        "encode_batch_portable",
        "varint_encode_batch",
        "netorder::varint::encode_batch [portable]",
        |n| {
            batch_encode(n, |values, out| {
                netorder::__private::encode_batch_on(VarintPath::Portable, values, out);
            })
        },
    ),
    ("prost_encode_batch", "varint_encode_batch", "prost", |n| {
        batch_encode(n, |values, out| {
            for &v in values {
                prost::encoding::encode_varint(v, out);
            }
        })
    }),
    (
        "ie_encode_batch",
        "varint_encode_batch",
        "integer-encoding",
        |n| {
            batch_encode(n, |values, out| {
                out.resize(values.len() * varint::MAX_LEN, 0);
                let mut pos = 0;
                for &v in values {
                    pos += v.encode_var(&mut out[pos..]);
                }
                out.truncate(pos);
            })
        },
    ),
    (
        "decode_batch",
        "varint_decode_batch",
        "netorder::varint::decode_batch",
        |n| {
            batch_decode(n, |bytes, out| {
                let _ = black_box(varint::decode_batch(bytes, out));
            })
        },
    ),
    (
        "decode_batch_portable",
        "varint_decode_batch",
        "netorder::varint::decode_batch [portable]",
        |n| {
            batch_decode(n, |bytes, out| {
                let _ = black_box(netorder::__private::decode_batch_on(
                    VarintPath::Portable,
                    bytes,
                    out,
                ));
            })
        },
    ),
    ("prost_decode_batch", "varint_decode_batch", "prost", |n| {
        batch_decode(n, |bytes, out| {
            let mut rest = bytes;
            for slot in out {
                *slot = prost::encoding::decode_varint(&mut rest).unwrap_or(0);
            }
        })
    }),
    (
        "ie_decode_batch",
        "varint_decode_batch",
        "integer-encoding",
        |n| {
            batch_decode(n, |bytes, out| {
                let mut rest = bytes;
                for slot in out {
                    let (v, len) = u64::decode_var(rest).unwrap_or((0, 1));
                    *slot = v;
                    rest = &rest[len..];
                }
            })
        },
    ),
    (
        "ascii_encode",
        "ascii_encode",
        "netorder::IntEncoding::Ascii",
        |n| {
            let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
            each_append(n, |v, out| {
                let _ = enc.encode(v, out);
            })
        },
    ),
    ("itoa", "ascii_encode", "itoa", |n| {
        let mut buf = itoa::Buffer::new();
        each_append(n, |v, out| {
            out.extend_from_slice(buf.format(v).as_bytes());
            out.push(b'\n');
        })
    }),
    // Both rows read the same text: netorder value after value from the rest of it, str::parse
    // each value's digits already cut out as `&str` (no `from_utf8` in the loop, as in
    // criterion's row).
    (
        "ascii_decode",
        "ascii_decode",
        "netorder::IntEncoding::Ascii",
        |n| {
            let (text, _) = decimal_text();
            let enc = black_box(IntEncoding::Ascii { terminator: b'\n' });
            let mut rest = text.as_bytes();
            for _ in 0..n {
                if rest.is_empty() {
                    rest = text.as_bytes();
                }
                let used = enc.decode(black_box(rest)).map_or(1, |(v, used)| {
                    black_box(v);
                    used
                });
                rest = &rest[used..];
            }
        },
    ),
    ("str_parse", "ascii_decode", "str_parse", |n| {
        let (text, spans) = decimal_text();
        for i in 0..n {
            let digits = black_box(&text[spans[i % spans.len()].clone()]);
            let _ = black_box(digits.parse::<u64>());
        }
    }),
    (
        "swap_u32",
        "bulk_swap_u32/16384",
        "netorder::convert_in_place",
        |n| each_swap(n, |buf, _| convert_in_place(buf, Endian::Big)),
    ),
    (
        "byteorder_swap_u32",
        "bulk_swap_u32/16384",
        "byteorder::BigEndian::from_slice_u32",
        |n| each_swap(n, |buf, _| BigEndian::from_slice_u32(buf)),
    ),
    (
        "memcpy_u32",
        "bulk_swap_u32/16384",
        "memcpy (copy_from_slice)",
        |n| each_swap(n, |buf, src| buf.copy_from_slice(src)),
    ),
    (
        "float_text",
        "float_text",
        "netorder_value_python_repr",
        |n| {
            let mut s = String::with_capacity(64);
            each_float(n, |x| {
                s.clear();
                let _ = write!(s, "{} ", netorder::Value::Float(x));
                black_box(&s);
            })
        },
    ),
    (
        "float_text_std",
        "float_text",
        "std_display_shortest",
        |n| {
            let mut s = String::with_capacity(64);
            each_float(n, |x| {
                s.clear();
                let _ = write!(s, "{x} ");
                black_box(&s);
            })
        },
    ),
    ("record_encode", "record_encode", "netorder_to_slice", |n| {
        let mut out = [0u8; 64];
        each_rec(n, |r| {
            let _ = netorder::to_slice(r, &mut out);
            black_box(&out);
        })
    }),
    (
        "record_encode_fixed",
        "record_encode",
        "netorder_fixed_to_slice",
        |n| {
            let mut out = [0u8; 64];
            each_rec(n, |r| {
                let _ = netorder::record::fixed::to_slice(r, &mut out);
                black_box(&out);
            })
        },
    ),
    ("record_encode_hand", "record_encode", "hand_slice", |n| {
        let mut out = [0u8; 33];
        each_rec(n, |r| {
            let _ = hand_encode_slice(r, &mut out);
            black_box(&out);
        })
    }),
    ("record_decode", "record_decode", "netorder", |n| {
        each_rec_bytes(n, |b| {
            keep(&netorder::from_bytes::<Rec>(b));
        })
    }),
    (
        "record_decode_fixed",
        "record_decode",
        "netorder_fixed",
        |n| {
            each_rec_bytes(n, |b| {
                keep(&netorder::record::fixed::from_bytes::<Rec>(b));
            })
        },
    ),
    (
        "headers_ipv4_fixed",
        "headers_decode/ipv4",
        "netorder_fixed",
        |n| {
            each_header(n, Ipv4::SIZE, |b| {
                keep(&netorder::record::fixed::from_bytes::<Ipv4>(b));
            })
        },
    ),
    (
        "headers_ipv4_view",
        "headers_decode/ipv4",
        "netorder_view",
        |n| {
            each_header(n, Ipv4::SIZE, |b| {
                keep(&Ipv4View::new(b).map(|v| {
                    (
                        v.version(),
                        v.ihl(),
                        v.type_of_service(),
                        v.total_length(),
                        v.identification(),
                        v.flags(),
                        v.fragment_offset(),
                        v.time_to_live(),
                        v.protocol(),
                        v.header_checksum(),
                        v.source(),
                        v.destination(),
                    )
                }));
            })
        },
    ),
    ("headers_ipv4_hand", "headers_decode/ipv4", "hand", |n| {
        each_header(n, Ipv4::SIZE, |b| keep(&hand_decode_ipv4(b).ok_or(())))
    }),
    ("headers_ipv4_deku", "headers_vs_deku/ipv4", "deku", |n| {
        each_header(n, Ipv4::SIZE, |b| {
            keep(&DekuIpv4::from_bytes((b, 0)).map(|r| r.1))
        })
    }),
    (
        "headers_ccsds_fixed",
        "headers_decode/ccsds",
        "netorder_fixed",
        |n| {
            each_header(n, SpacePacket::SIZE, |b| {
                keep(&netorder::record::fixed::from_bytes::<SpacePacket>(b));
            })
        },
    ),
    (
        "headers_ccsds_view",
        "headers_decode/ccsds",
        "netorder_view",
        |n| {
            each_header(n, SpacePacket::SIZE, |b| {
                keep(&SpacePacketView::new(b).map(|v| {
                    (
                        v.version(),
                        v.packet_type(),
                        v.secondary_header(),
                        v.apid(),
                        v.sequence_flags(),
                        v.sequence_count(),
                        v.data_length(),
                    )
                }));
            })
        },
    ),
    ("headers_ccsds_hand", "headers_decode/ccsds", "hand", |n| {
        each_header(n, SpacePacket::SIZE, |b| {
            keep(&hand_decode_space_packet(b).ok_or(()))
        })
    }),
    ("headers_ccsds_deku", "headers_vs_deku/ccsds", "deku", |n| {
        each_header(n, SpacePacket::SIZE, |b| {
            keep(&DekuSpacePacket::from_bytes((b, 0)).map(|r| r.1))
        })
    }),
    ("record_decode_hand", "record_decode", "hand", |n| {
        each_rec_bytes(n, |b| {
            keep(&hand_decode(b).ok_or(()));
        })
    }),
    ("record_decode_bincode", "record_decode", "bincode", |n| {
        let config = bincode::config::standard()
            .with_big_endian()
            .with_fixed_int_encoding();
        each_rec_bytes(n, |b| {
            keep(&bincode::serde::decode_from_slice::<Rec, _>(b, config));
        })
    }),
    (
        "conn_send",
        "transport_send_typed",
        "netorder_conn_send_typed",
        |n| {
            let mut conn = Conn::new(Sink, Framing::U32);
            each_rec(n, |r| {
                let _ = conn.send(r);
            });
            let _ = conn.flush();
        },
    ),
    (
        "conn_send_fixed",
        "transport_send_typed",
        "netorder_conn_send_fixed",
        |n| {
            let mut conn = Conn::new(Sink, Framing::U32);
            each_rec(n, |r| {
                let _ = conn.send_fixed(r);
            });
            let _ = conn.flush();
        },
    ),
    (
        "bufwriter_send",
        "transport_send_typed",
        "hand_rolled_bufwriter_to_slice",
        |n| {
            let mut w = BufWriter::with_capacity(64 << 10, Sink);
            let mut bytes = [0u8; 64];
            each_rec(n, |r| {
                let len = netorder::to_slice(r, &mut bytes).unwrap_or(0);
                let _ = w.write_all(&(len as u32).to_be_bytes());
                let _ = w.write_all(&bytes[..len]);
            });
            let _ = w.flush();
        },
    ),
    (
        "bufwriter_send_hand",
        "transport_send_typed",
        "hand_rolled_bufwriter",
        |n| {
            let mut w = BufWriter::with_capacity(64 << 10, Sink);
            let mut bytes = [0u8; 33];
            each_rec(n, |r| {
                let _ = hand_encode_slice(r, &mut bytes);
                let _ = w.write_all(&33u32.to_be_bytes());
                let _ = w.write_all(&bytes);
            });
            let _ = w.flush();
        },
    ),
    (
        "frame_encode_u32",
        "frame_encode/u32",
        "netorder_encode_frame_u32",
        |n| each_frame_encoded(n, Framing::U32, 35),
    ),
    (
        "frame_decode_u32",
        "frame_decode/u32",
        "netorder_frame_decoder_u32",
        |n| each_frame_decoded(n, Framing::U32, 35),
    ),
    (
        "frame_encode_length_field",
        "frame_encode/length_field",
        "netorder_encode_frame",
        |n| each_frame_encoded(n, length_field(), 35),
    ),
    (
        "frame_decode_length_field",
        "frame_decode/length_field",
        "netorder_frame_decoder",
        |n| each_frame_decoded(n, length_field(), 35),
    ),
    (
        "frame_encode_1k",
        "frame_encode/length_field_1k",
        "netorder_encode_frame",
        |n| each_frame_encoded(n, length_field(), 1024),
    ),
    (
        "frame_encode_1k_crc32c",
        "frame_encode/length_field_1k",
        "netorder_encode_frame_crc32c",
        |n| {
            each_frame_encoded(
                n,
                length_field().with_checksum(netorder::frame::Checksum::Crc32c),
                1024,
            )
        },
    ),
    (
        "frame_decode_1k",
        "frame_decode/length_field_1k",
        "netorder_frame_decoder",
        |n| each_frame_decoded(n, length_field(), 1024),
    ),
    (
        "frame_decode_1k_crc32c",
        "frame_decode/length_field_1k",
        "netorder_frame_decoder_crc32c",
        |n| {
            each_frame_decoded(
                n,
                length_field().with_checksum(netorder::frame::Checksum::Crc32c),
                1024,
            )
        },
    ),
    #[cfg(feature = "tokio")]
    (
        "frame_codec_encode",
        "frame_encode/u32",
        "netorder_frame_codec_encode",
        each_codec_encoded,
    ),
    #[cfg(feature = "tokio")]
    (
        "frame_codec_decode",
        "frame_decode/u32",
        "netorder_frame_codec_decode",
        each_codec_decoded,
    ),
    (
        "tokio_encode_u32",
        "frame_encode/u32",
        "tokio_util_length_delimited",
        |n| each_tokio_encoded(n, 4, false, 35),
    ),
    (
        "tokio_decode_u32",
        "frame_decode/u32",
        "tokio_util_length_delimited",
        |n| each_tokio_decoded(n, 4, false, 35),
    ),
    (
        "tokio_encode_length_field",
        "frame_encode/length_field",
        "tokio_util_length_delimited",
        |n| each_tokio_encoded(n, 3, true, 35),
    ),
    (
        "tokio_decode_length_field",
        "frame_decode/length_field",
        "tokio_util_length_delimited",
        |n| each_tokio_decoded(n, 3, true, 35),
    ),
    (
        "tokio_encode_1k",
        "frame_encode/length_field_1k",
        "tokio_util_length_delimited",
        |n| each_tokio_encoded(n, 3, true, 1024),
    ),
    (
        "tokio_decode_1k",
        "frame_decode/length_field_1k",
        "tokio_util_length_delimited",
        |n| each_tokio_decoded(n, 3, true, 1024),
    ),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--list" => {
            for (op, group, func, _) in OPS {
                println!("{op}\t{group}\t{func}");
            }
        }
        [op, count] => {
            let count: usize = count.parse().expect("COUNT is a number");
            let (.., run) = OPS
                .iter()
                .find(|(name, ..)| name == op)
                .expect("unknown op: see --list");
            run(count);
        }
        // `cargo bench` passes `--bench`: nothing to time here. The record probes are only
        // for `objdump`: their addresses escape, so they are compiled as they are, not
        // specialised for one caller.
        _ => {
            black_box([probe_fixed_encode as fn(&Rec, &mut [u8]) -> netorder::Result<usize>]);
            black_box([probe_hand_encode as fn(&Rec, &mut [u8]) -> Option<usize>]);
            black_box([probe_fixed_decode as fn(&[u8]) -> netorder::Result<Rec>]);
            black_box([probe_hand_decode as fn(&[u8]) -> Option<Rec>]);
            black_box([probe_view_fragment_offset as fn(&Ipv4View<'_>) -> u16]);
            black_box([probe_view_total_length as fn(&Ipv4View<'_>) -> u16]);
            black_box([probe_fixed_decode_ipv4 as fn(&[u8]) -> netorder::Result<Ipv4>]);
            black_box([probe_hand_decode_ipv4 as fn(&[u8]) -> Option<Ipv4>]);
        }
    }
}
