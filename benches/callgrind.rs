//! Instruction counts for the micro-benchmarks, for `benches/report.sh` under
//! `valgrind --tool=callgrind`: `callgrind --list` prints `op<TAB>group<TAB>function` lines
//! (the group and function names of the criterion benches), `callgrind OP COUNT` runs one
//! operation COUNT times. The script runs COUNT = N and 2N and takes the difference, so
//! start-up and set-up cancel out. Run by `cargo bench` without arguments it does nothing.

use std::hint::black_box;

use byteorder::{BigEndian, ByteOrder};
use integer_encoding::VarInt;
use netorder::int::{ascii, varint};
use netorder::{Endian, convert_in_place, hton32, ntoh64};

/// Deterministic mixed values, as in `benches/int.rs`: bit lengths spread over 1..=64.
fn mixed_values() -> Vec<u64> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..1024)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x >> (i % 64)
        })
        .collect()
}

/// (op, criterion group, function) and the runner: `runner(count)` does `count` operations.
type Op = (&'static str, &'static str, &'static str, fn(usize));

fn each_value(count: usize, mut f: impl FnMut(u64)) {
    let values = mixed_values();
    for i in 0..count {
        f(black_box(values[i % values.len()]));
    }
}

fn varint_stream() -> Vec<u8> {
    let mut stream = Vec::new();
    for v in mixed_values() {
        let mut buf = [0u8; varint::MAX_LEN];
        let n = varint::encode(v, &mut buf);
        stream.extend_from_slice(&buf[..n]);
    }
    stream
}

fn each_varint(count: usize, mut decode: impl FnMut(&[u8]) -> usize) {
    let stream = varint_stream();
    let mut rest = &stream[..];
    for _ in 0..count {
        if rest.is_empty() {
            rest = &stream[..];
        }
        let n = decode(black_box(rest));
        rest = &rest[n..];
    }
}

fn each_decimal(count: usize, mut f: impl FnMut(&[u8])) {
    let texts: Vec<Vec<u8>> = mixed_values()
        .iter()
        .map(|v| format!("{v}\n").into_bytes())
        .collect();
    for i in 0..count {
        f(black_box(&texts[i % texts.len()]));
    }
}

fn each_swap(count: usize, mut f: impl FnMut(&mut [u32], &[u32])) {
    let src: Vec<u32> = (0..4096u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
    let mut buf = src.clone();
    for _ in 0..count {
        f(black_box(&mut buf[..]), black_box(&src[..]));
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
    ("varint_encode", "varint_encode", "netorder", |n| {
        each_value(n, |v| {
            let mut buf = [0u8; varint::MAX_LEN];
            black_box(varint::encode(v, &mut buf));
            black_box(&buf);
        })
    }),
    ("prost_encode", "varint_encode", "prost", |n| {
        each_value(n, |v| {
            let mut buf = [0u8; varint::MAX_LEN];
            prost::encoding::encode_varint(v, &mut &mut buf[..]);
            black_box(&buf);
        })
    }),
    ("ie_encode", "varint_encode", "integer-encoding", |n| {
        each_value(n, |v| {
            let mut buf = [0u8; varint::MAX_LEN];
            black_box(v.encode_var(&mut buf));
            black_box(&buf);
        })
    }),
    ("varint_decode", "varint_decode", "netorder", |n| {
        each_varint(n, |s| varint::decode(s).map_or(1, |(_, n)| n))
    }),
    ("prost_decode", "varint_decode", "prost", |n| {
        each_varint(n, |s| {
            let mut rest = s;
            let _ = black_box(prost::encoding::decode_varint(&mut rest));
            s.len() - rest.len()
        })
    }),
    ("ie_decode", "varint_decode", "integer-encoding", |n| {
        each_varint(n, |s| u64::decode_var(s).map_or(1, |(_, n)| n))
    }),
    ("ascii_encode", "ascii_encode", "netorder", |n| {
        let mut buf = [0u8; ascii::MAX_DIGITS];
        each_value(n, |v| {
            black_box(ascii::encode_u64(v, &mut buf));
        })
    }),
    ("itoa", "ascii_encode", "itoa", |n| {
        let mut buf = itoa::Buffer::new();
        each_value(n, |v| {
            black_box(buf.format(v));
        })
    }),
    ("ascii_decode", "ascii_decode", "netorder", |n| {
        each_decimal(n, |s| {
            let _ = black_box(ascii::decode(s, b'\n'));
        })
    }),
    ("str_parse", "ascii_decode", "str_parse", |n| {
        each_decimal(n, |s| {
            let digits = std::str::from_utf8(&s[..s.len() - 1]).unwrap_or("");
            let _ = black_box(digits.parse::<u64>());
        })
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
        // `cargo bench` passes `--bench`: nothing to time here.
        _ => {}
    }
}
