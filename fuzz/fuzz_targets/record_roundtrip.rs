//! Round trip for records on structured input (`arbitrary`): value → encode → decode gives the
//! value back under every configuration (big/little, fixed/varint/ASCII integers), the bytes
//! are fully consumed, fixed-size parts match `Config::record_size`, and the default
//! configuration agrees with `to_slice`. Every proper prefix of the encoding is incomplete (the
//! empty one, one byte short, and two the input picks).
#![no_main]
netorder_fuzz::install_capped_allocator!();

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use netorder::record::Config;
use serde::{Deserialize, Serialize};

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

#[derive(Arbitrary, Debug)]
struct Input {
    mode: u8,
    little: bool,
    message: Message,
    floats: (u32, u64),
    cuts: [u16; 2],
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

fuzz_target!(|input: Input| {
    let mode = match input.mode % 3 {
        0 => Config::new().fixed_int(),
        1 => Config::new().varint(),
        _ => Config::new().ascii_fixed(),
    };
    let mut config = mode;
    if input.little {
        config = config.little_endian();
    }
    let Ok(bytes) = config.to_vec(&input.message) else {
        // Only the depth limit can refuse a value (a long `Nested` chain).
        return;
    };
    decodes_back(&input.message, config, &bytes);
    // Every proper prefix is incomplete: the empty one, the one a byte short, and two the
    // input picks (over a run, every cut; a loop over all of them made each run slow).
    let n = bytes.len();
    let picked = input.cuts.map(|c| usize::from(c) % n.max(1));
    for k in [0, n.saturating_sub(1)].into_iter().chain(picked) {
        if k >= n {
            continue;
        }
        let e = config.from_bytes::<Message>(&bytes[..k]).unwrap_err();
        assert!(e.is_incomplete(), "{config:?} prefix {k}/{n}: {e}");
    }
    // The fixed-size header: its size is known up front and matches.
    let h = round_trip(&input.message.header, config);
    if let Ok(size) = config.record_size::<Header>() {
        assert_eq!(size, h.len(), "{config:?}");
    }
    // Floats, bit for bit (NaN payloads included).
    let (f, d) = (
        f32::from_bits(input.floats.0),
        f64::from_bits(input.floats.1),
    );
    let fb = config.to_vec(&(f, d)).unwrap();
    let (f2, d2): (f32, f64) = config.from_bytes(&fb).unwrap();
    assert_eq!((f2.to_bits(), d2.to_bits()), input.floats);
    // The default configuration through a slice writes the same bytes.
    if config == Config::new() {
        let mut buf = vec![0u8; n];
        assert_eq!(netorder::to_slice(&input.message, &mut buf).unwrap(), n);
        assert_eq!(buf, bytes);
    }
});
