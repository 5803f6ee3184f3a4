//! Deep nesting on hostile bytes: recursive enums, `Option<Box<_>>` chains and nested `Vec`s,
//! under every integer mode and a depth limit picked by the first byte (up to the default
//! 128). Decoding must stop at the limit with `DepthLimit` — never overflow the stack, which
//! would kill the fuzzer — and anything accepted re-encodes to the bytes consumed.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::ErrorKind;
use netorder::record::Config;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug)]
enum Tree {
    Leaf(u8),
    Node(Box<Tree>, Box<Tree>),
    Many(Vec<Tree>),
    Maybe(Option<Box<Tree>>),
}

#[derive(Serialize, Deserialize, Debug)]
struct Chain {
    value: u16,
    next: Option<Box<Chain>>,
}

#[derive(Serialize, Deserialize, Debug)]
struct Nest(Vec<Vec<Vec<Vec<Vec<Vec<Vec<Vec<u8>>>>>>>>);

fn check<'a, T: Serialize + Deserialize<'a>>(data: &'a [u8], config: Config) {
    match config.take_from_bytes::<T>(data) {
        Ok((v, used)) => {
            let again = config.to_vec(&v).expect("decoded value encodes");
            assert_eq!(again, &data[..used], "{config:?}");
        }
        Err(e) => {
            if let ErrorKind::DepthLimit { limit, offset } = *e.kind() {
                assert_eq!(limit, config.max_depth());
                assert!(offset <= data.len());
            }
        }
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
    let depth = usize::from(selector >> 2) * 4 % 129;
    let config = mode.with_max_depth(depth).with_max_len(1 << 12);
    check::<Tree>(data, config);
    check::<Chain>(data, config);
    check::<Nest>(data, config);
});
