//! # ASCII or binary? Decisions, decisions
//!
//! The lesson: the number 7 is one byte in ASCII ("7") plus a delimiter, but eight as a
//! 64-bit binary integer; the number 1 700 000 000 is ten ASCII digits but four binary bytes.
//! Which encoding is smaller depends on the values you actually send, and which is faster on
//! how much work each byte costs. So measure on real numbers.
//!
//! Five kinds of real numbers, 20 000 of each, from a fixed seed (the same every run): TCP
//! ports, Unix timestamps, file sizes, event counters, and signed deltas between readings.
//! For each, every encoding's total bytes and its encode and decode time per value:
//!
//! - fixed: the narrowest fixed width (1, 2, 4 or 8 bytes, big-endian) every value fits, and
//!   the full 8 bytes of a `u64`;
//! - varint: LEB128, 7 bits a byte (protobuf's `uint64`);
//! - zigzag: varint of the zigzag-mapped `i64` (protobuf's `sint64`): small negatives stay small;
//! - ASCII: decimal digits and a newline, as a text protocol would send them.
//!
//! Times are from `std::time::Instant` over repeated passes (best of several); they are only
//! meaningful with `--release`. The byte counts are exact either way.
//!
//! ```sh
//! cargo run --release --example ascii_or_binary
//! ```

use netorder::{Endian, IntEncoding};
use std::hint::black_box;
use std::time::{Duration, Instant};

const N: usize = 20_000;

/// xorshift64*: a small deterministic generator, so every run measures the same numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The data sets: a name, what the values are, and the values (as the `u64` the encodings
/// take; a negative delta is the bit pattern of its `i64`).
fn datasets() -> Vec<(&'static str, &'static str, Vec<u64>)> {
    let mut rng = Rng(0x6e65_746f_7264_6572); // "netorder"
    let well_known = [22u64, 25, 53, 80, 443, 993, 3306, 5432, 6379, 8080];
    let ports = (0..N)
        .map(|_| match rng.below(10) {
            0..=3 => well_known[rng.below(10) as usize],
            _ => 32_768 + rng.below(61_000 - 32_768), // Linux's ephemeral range
        })
        .collect();
    let timestamps = (0..N)
        .map(|_| 1_672_531_200 + rng.below(3 * 365 * 86_400)) // 2023 to 2025, in seconds
        .collect();
    let file_sizes = (0..N)
        .map(|_| {
            let bits = rng.below(41); // log-uniform: empty files to a terabyte
            if bits == 0 {
                0
            } else {
                (1u64 << (bits - 1)) | rng.below(1 << (bits - 1))
            }
        })
        .collect();
    let counters = (0..N)
        .map(|_| {
            let scale = [10, 100, 1_000, 100_000][rng.below(4) as usize];
            rng.below(scale)
        })
        .collect();
    let deltas = (0..N)
        .map(|_| (rng.below(201) as i64 - 100) as u64) // -100..=100 as an i64 bit pattern
        .collect();
    vec![
        ("ports", "TCP ports: 40% well-known, 60% ephemeral", ports),
        ("timestamps", "Unix seconds, 2023 to 2025", timestamps),
        (
            "file sizes",
            "bytes, log-uniform from 0 to 1 TiB",
            file_sizes,
        ),
        ("counters", "event counts, mostly small", counters),
        (
            "deltas",
            "signed changes between readings, -100..=100",
            deltas,
        ),
    ]
}

/// The narrowest fixed width that every value fits.
fn narrowest_fixed(values: &[u64]) -> IntEncoding {
    let max = values.iter().copied().max().unwrap_or(0);
    let width = [1u8, 2, 4, 8]
        .into_iter()
        .find(|&w| {
            IntEncoding::Fixed {
                width: w,
                endian: Endian::Big,
            }
            .encoded_len(max)
            .is_some()
        })
        .unwrap_or(8);
    IntEncoding::Fixed {
        width,
        endian: Endian::Big,
    }
}

fn name(enc: IntEncoding) -> String {
    match enc {
        IntEncoding::Fixed { width, .. } => format!("fixed {width}"),
        IntEncoding::Varint => "varint".into(),
        IntEncoding::ZigZag => "zigzag".into(),
        IntEncoding::Ascii { .. } => "ascii + \\n".into(),
        _ => format!("{enc:?}"),
    }
}

/// Best time per value of `pass` (which handles all `N` values) over repeated runs.
fn ns_per_value(mut pass: impl FnMut()) -> f64 {
    const BUDGET: Duration = Duration::from_millis(12);
    let start = Instant::now();
    let mut best = Duration::MAX;
    let mut runs = 0;
    while runs < 3 || (start.elapsed() < BUDGET && runs < 1000) {
        let t = Instant::now();
        pass();
        best = best.min(t.elapsed());
        runs += 1;
    }
    best.as_nanos() as f64 / N as f64
}

fn main() -> Result<(), netorder::Error> {
    let started = Instant::now();
    let mut winners = Vec::new();
    for (set, about, values) in datasets() {
        let encodings = [
            narrowest_fixed(&values),
            IntEncoding::Fixed {
                width: 8,
                endian: Endian::Big,
            },
            IntEncoding::Varint,
            IntEncoding::ZigZag,
            IntEncoding::Ascii { terminator: b'\n' },
        ];
        println!("{set}: {about} ({N} values)");
        println!(
            "  {:<12} {:>9} {:>11} {:>10} {:>10}",
            "encoding", "bytes", "bytes/value", "encode ns", "decode ns"
        );
        let mut best: Option<(usize, String)> = None;
        let mut seen_fixed8 = false;
        let mut buf = Vec::with_capacity(N * 21);
        for enc in encodings {
            if enc
                == (IntEncoding::Fixed {
                    width: 8,
                    endian: Endian::Big,
                })
            {
                if seen_fixed8 {
                    continue; // the narrowest was already 8
                }
                seen_fixed8 = true;
            }
            // The exact total, from encoded_len, and the same from encoding everything.
            let total: usize = values
                .iter()
                .map(|&v| enc.encoded_len(v).expect("fits"))
                .sum();
            buf.clear();
            for &v in &values {
                enc.encode(v, &mut buf)?;
            }
            assert_eq!(buf.len(), total);
            // Every value decodes back, and the bytes are consumed exactly.
            let mut pos = 0;
            for &v in &values {
                let (got, n) = enc.decode(&buf[pos..])?;
                assert_eq!(got, v);
                pos += n;
            }
            assert_eq!(pos, buf.len());

            let mut scratch = Vec::with_capacity(buf.len());
            let encode = ns_per_value(|| {
                scratch.clear();
                for &v in black_box(&values) {
                    let _ = enc.encode(v, &mut scratch);
                }
                black_box(&scratch);
            });
            let decode = ns_per_value(|| {
                let (mut pos, mut sum) = (0, 0u64);
                let bytes = black_box(&buf[..]);
                while pos < bytes.len() {
                    match enc.decode(&bytes[pos..]) {
                        Ok((v, n)) => {
                            sum = sum.wrapping_add(v);
                            pos += n;
                        }
                        Err(_) => break,
                    }
                }
                black_box(sum);
            });
            println!(
                "  {:<12} {:>9} {:>11.2} {:>10.1} {:>10.1}",
                name(enc),
                total,
                total as f64 / N as f64,
                encode,
                decode
            );
            if best.as_ref().is_none_or(|(b, _)| total < *b) {
                best = Some((total, name(enc)));
            }
        }
        let (bytes, enc) = best.expect("some encoding");
        println!("  smallest: {enc}, {bytes} bytes\n");
        winners.push((set, enc));
    }
    let summary: Vec<String> = winners.iter().map(|(s, e)| format!("{s}: {e}")).collect();
    println!("smallest per data set: {}", summary.join("; "));
    println!(
        "(ran in {:.2} s{})",
        started.elapsed().as_secs_f64(),
        if cfg!(debug_assertions) {
            "; a debug build: times are only meaningful with --release"
        } else {
            ""
        }
    );
    Ok(())
}
