//! Decodes arbitrary bytes as a record under every configuration (big/little endian; fixed,
//! varint and ASCII integers; a small length limit and depth limit picked by the first byte).
//! Accepted input re-encodes to exactly the bytes consumed; rejected input is an error, never
//! a panic; `record_size` agrees with the encoded length of every fixed-size value.
#![no_main]

netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::record::Config;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug)]
enum Shape {
    Dot,
    Circle(u32),
    Rect { w: i16, h: i16 },
    Poly(Vec<(i32, i32)>),
    Group(Vec<Shape>),
}

#[derive(Serialize, Deserialize, Debug)]
struct Fixed {
    a: u8,
    b: i16,
    c: u32,
    d: i64,
    e: u128,
    f: i128,
    g: f32,
    h: bool,
    i: [u16; 2],
}

#[derive(Serialize, Deserialize, Debug)]
struct Doc {
    head: Fixed,
    name: String,
    shape: Shape,
    extra: Option<Box<Doc>>,
    letter: char,
}

fn check<'a, T>(data: &'a [u8], config: Config)
where
    T: Serialize + Deserialize<'a>,
{
    if let Ok((v, used)) = config.take_from_bytes::<T>(data) {
        let again = config.to_vec(&v).expect("a decoded value encodes");
        assert_eq!(again, &data[..used], "{config:?}");
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    let mode = match selector % 3 {
        0 => Config::new().fixed_int(),
        1 => Config::new().varint(),
        _ => Config::new().ascii_fixed(),
    };
    let mut config = mode;
    if selector & 4 != 0 {
        config = config.little_endian();
    }
    if selector & 8 != 0 {
        config = config
            .with_max_len(u64::from(selector >> 4))
            .with_max_depth(usize::from(selector >> 4));
    }
    check::<Doc>(data, config);
    check::<Fixed>(data, config);
    check::<Shape>(data, config);
    if let Ok((v, _)) = config.take_from_bytes::<Fixed>(data) {
        if let Ok(n) = config.record_size::<Fixed>() {
            assert_eq!(n, config.to_vec(&v).unwrap().len());
        }
    }
});
