//! Decodes arbitrary bytes as a nested record (Vec, String, Option, enums, structs, char,
//! floats) with the default configuration. For every accepted input, encoding the value gives
//! back exactly the bytes that were consumed; every rejected input is an error, never a panic,
//! never an allocation over the fuzz allocator's cap.
#![no_main]

netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug)]
enum Body<'a> {
    Empty,
    Number(i64),
    Pair(u8, bool),
    Text { name: String, tag: Option<char> },
    Raw(&'a [u8]),
    Nested(Box<Body<'a>>),
}

#[derive(Serialize, Deserialize, Debug)]
struct Item {
    id: u16,
    weight: f32,
    flags: [bool; 2],
}

#[derive(Serialize, Deserialize, Debug)]
struct Packet<'a> {
    version: u8,
    seq: u32,
    #[serde(borrow)]
    body: Body<'a>,
    items: Vec<Item>,
    note: Option<&'a str>,
    wide: (u128, i128, usize),
    when: f64,
}

fuzz_target!(|data: &[u8]| {
    // Whole-input decode: trailing bytes are an error; anything accepted re-encodes exactly.
    if let Ok(p) = netorder::from_bytes::<Packet>(data) {
        let again = netorder::to_vec(&p).expect("a decoded value encodes");
        assert_eq!(again, data, "decode → encode must give back the input");
    }
    // Prefix decode: what was consumed re-encodes exactly.
    match netorder::record::take_from_bytes::<Packet>(data) {
        Ok((p, used)) => {
            assert!(used <= data.len());
            assert_eq!(netorder::to_vec(&p).unwrap(), &data[..used]);
            let mut buf = vec![0u8; used];
            assert_eq!(netorder::to_slice(&p, &mut buf).unwrap(), used);
            assert_eq!(buf, &data[..used]);
        }
        Err(e) => {
            // An error's offset, when it has one, is inside (or just past) the input.
            if let Some(off) = e.offset() {
                assert!(off <= data.len(), "{e}");
            }
        }
    }
    // The same bytes through a reader: same verdict.
    let from_reader = netorder::record::from_reader::<(u16, Vec<Item>, Option<String>), _>(data);
    let from_slice = netorder::record::take_from_bytes::<(u16, Vec<Item>, Option<String>)>(data);
    assert_eq!(from_reader.is_ok(), from_slice.is_ok());
});
