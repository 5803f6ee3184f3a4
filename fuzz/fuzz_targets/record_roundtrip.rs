//! Round trip for records on structured input (`arbitrary`): value → encode → decode gives the
//! value back under every configuration (big/little, fixed/varint/ASCII integers), the bytes
//! are fully consumed, fixed-size parts match `Config::record_size`, and the default
//! configuration agrees with `to_slice`. Every proper prefix of the encoding is incomplete (the
//! empty one, one byte short, and two the input picks). Each run makes the round trip and one
//! of the further checks (consumption and prefixes, header, floats), which the input picks.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use netorder::record::Config;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Arbitrary, Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
struct Header {
    a: u8,
    b: i8,
    c: u16,
    d: i16,
    e: u32,
    f: i32,
    g: u64,
    h: i64,
    i: u128,
    j: i128,
    k: bool,
    l: [u8; 3],
    m: char,
    n: (u16, i64),
}

#[derive(Arbitrary, Serialize, Deserialize, Debug, PartialEq)]
enum Body {
    Unit,
    Newtype(u32),
    Tuple(i8, String),
    Struct { id: u64, tags: Vec<u16> },
    Nested(Option<Box<Body>>),
}

#[derive(Arbitrary, Serialize, Deserialize, Debug, PartialEq)]
struct Message {
    header: Header,
    name: String,
    body: Body,
    items: Vec<(i32, Option<bool>)>,
    blob: Vec<u8>,
    ratio: u32, // float bits: NaN != NaN, so floats ride as bits and are checked below
    usize_field: usize,
    isize_field: isize,
}

fn round_trip<T>(v: &T, config: Config) -> Vec<u8>
where
    T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    let bytes = config.to_vec(v).expect("a value within limits encodes");
    decodes_back(v, config, &bytes);
    bytes
}

/// `bytes`, `v`'s encoding, decodes to `v` and is consumed whole.
fn decodes_back<T>(v: &T, config: Config, bytes: &[u8])
where
    T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    let back: T = config
        .from_bytes(bytes)
        .unwrap_or_else(|e| panic!("{config:?}: {e} for {v:?}"));
    assert_eq!(&back, v, "{config:?}");
    let (_, used) = config.take_from_bytes::<T>(bytes).unwrap();
    assert_eq!(used, bytes.len());
}

#[derive(Arbitrary, Debug)]
struct Input {
    mode: u8,
    little: bool,
    /// Which of the further checks this run makes (consumption and prefixes, header,
    /// floats): each on a third of the runs, so that a run stays short.
    check: u8,
    message: Message,
    floats: (u32, u64),
    cuts: [u16; 2],
}

/// The six configurations, by `mode % 3 * 2 + little`, with the header's size in each (found
/// once: it depends on the type and the configuration only).
static CONFIGS: LazyLock<[(Config, Option<usize>); 6]> = LazyLock::new(|| {
    let config = |i: usize| {
        let mode = match i / 2 {
            0 => Config::new().fixed_int(),
            1 => Config::new().varint(),
            _ => Config::new().ascii_fixed(),
        };
        let config = if i % 2 == 1 {
            mode.little_endian()
        } else {
            mode
        };
        (config, config.record_size::<Header>().ok())
    };
    std::array::from_fn(config)
});

fuzz_target!(|input: Input| {
    let (config, header_size) =
        CONFIGS[usize::from(input.mode % 3) * 2 + usize::from(input.little)];
    let Ok(bytes) = config.to_vec(&input.message) else {
        // Only the depth limit can refuse a value (a long `Nested` chain).
        return;
    };
    let back: Message = config
        .from_bytes(&bytes)
        .unwrap_or_else(|e| panic!("{config:?}: {e} for {:?}", input.message));
    assert_eq!(back, input.message, "{config:?}");
    let n = bytes.len();
    // The default configuration through a slice writes the same bytes.
    if config == Config::new() {
        let mut stack = [0u8; 1024];
        let mut heap = Vec::new();
        let buf = if n <= stack.len() {
            &mut stack[..n]
        } else {
            heap.resize(n, 0);
            &mut heap[..]
        };
        assert_eq!(netorder::to_slice(&input.message, buf).unwrap(), n);
        assert_eq!(buf, &bytes[..]);
    }
    match input.check % 3 {
        0 => {
            // The whole encoding is consumed.
            let (_, used) = config.take_from_bytes::<Message>(&bytes).unwrap();
            assert_eq!(used, n, "{config:?}");
            // Every proper prefix is incomplete: the empty one, the one a byte short, and two
            // the input picks (over a run, every cut; a loop over all of them made each run
            // slow).
            let picked = input.cuts.map(|c| usize::from(c) % n.max(1));
            for k in [0, n.saturating_sub(1)].into_iter().chain(picked) {
                if k >= n {
                    continue;
                }
                let e = config.from_bytes::<Message>(&bytes[..k]).unwrap_err();
                assert!(e.is_incomplete(), "{config:?} prefix {k}/{n}: {e}");
            }
        }
        1 => {
            // The fixed-size header: its size is known up front and matches.
            let h = round_trip(&input.message.header, config);
            if let Some(size) = header_size {
                assert_eq!(size, h.len(), "{config:?}");
            }
        }
        _ => {
            // Floats, bit for bit (NaN payloads included).
            let (f, d) = (
                f32::from_bits(input.floats.0),
                f64::from_bits(input.floats.1),
            );
            let fb = config.to_vec(&(f, d)).unwrap();
            let (f2, d2): (f32, f64) = config.from_bytes(&fb).unwrap();
            assert_eq!((f2.to_bits(), d2.to_bits()), input.floats);
        }
    }
});
