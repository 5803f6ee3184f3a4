//! Round trip for every `IntEncoding` on structured input (`arbitrary`): value → encode →
//! decode gives the value back and consumes exactly the bytes written (trailing bytes after
//! the encoding are left alone); `encoded_len` agrees with `encode`; a value that does not fit
//! is refused by both `encoded_len` and `encode` without writing anything; every proper prefix
//! of the encoding is incomplete.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use netorder::{Endian, IntEncoding};

#[derive(Arbitrary, Debug)]
enum Pick {
    Fixed { width: u8, little: bool },
    Varint,
    ZigZag,
    Ascii { terminator: u8 },
    AsciiFixed { width: u8 },
}

#[derive(Arbitrary, Debug)]
struct Input {
    pick: Pick,
    value: u64,
    trailing: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let encoding = match input.pick {
        Pick::Fixed { width, little } => IntEncoding::Fixed {
            width: width % 10,
            endian: if little { Endian::Little } else { Endian::Big },
        },
        Pick::Varint => IntEncoding::Varint,
        Pick::ZigZag => IntEncoding::ZigZag,
        Pick::Ascii { terminator } => IntEncoding::Ascii { terminator },
        Pick::AsciiFixed { width } => IntEncoding::AsciiFixed { width: width % 22 },
    };
    let v = input.value;
    let mut out = vec![0xA5];
    match (encoding.encoded_len(v), encoding.encode(v, &mut out)) {
        (Some(len), Ok(n)) => {
            assert_eq!(len, n, "{encoding:?} {v}");
            assert_eq!(out.len(), 1 + n, "encode appends exactly n bytes");
            assert_eq!(out[0], 0xA5, "encode leaves earlier bytes alone");
            let encoded = out[1..].to_vec();
            assert_eq!(encoding.decode(&encoded).unwrap(), (v, n));
            let mut with_tail = encoded.clone();
            with_tail.extend_from_slice(&input.trailing);
            assert_eq!(encoding.decode(&with_tail).unwrap(), (v, n), "{encoding:?}");
            for k in 0..n {
                let e = encoding.decode(&encoded[..k]).unwrap_err();
                assert!(e.is_incomplete(), "{encoding:?} {v} prefix {k}: {e}");
            }
        }
        (None, Err(_)) => assert_eq!(out, [0xA5], "a refused value writes nothing"),
        (len, res) => panic!("{encoding:?} {v}: encoded_len {len:?} but encode {res:?}"),
    }
});
