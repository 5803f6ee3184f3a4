//! Decodes arbitrary bytes as a nested record (Vec, String, Option, enums, structs, char,
//! floats) with the default configuration. For every accepted input, encoding the value gives
//! back exactly the bytes that were consumed; every rejected input is an error, never a panic,
//! never an allocation over the fuzz allocator's cap. A reader and a slice give the same
//! value for the same bytes.
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

/// The record read both from a reader and from a slice.
type Tail = (u16, Vec<Item>, Option<String>);

/// `Tail` with its floats as bits, so that a NaN equals itself.
type Comparable<'a> = (u16, Vec<(u16, u32, [bool; 2])>, Option<&'a str>);

/// `t` as a [`Comparable`].
fn comparable(t: &Tail) -> Comparable<'_> {
    let items = t.1.iter().map(|i| (i.id, i.weight.to_bits(), i.flags));
    (t.0, items.collect(), t.2.as_deref())
}

fuzz_target!(|data: &[u8]| {
    // Prefix decode: what was consumed re-encodes exactly.
    let taken = netorder::record::take_from_bytes::<Packet>(data);
    // Whole-input decode: the prefix decode's verdict, trailing bytes an error; anything
    // accepted re-encodes exactly.
    let whole = netorder::from_bytes::<Packet>(data);
    match &taken {
        Ok((p, used)) => {
            let used = *used;
            assert!(used <= data.len());
            let mut stack = [0u8; 4096];
            let mut heap = Vec::new();
            let buf = if used <= stack.len() {
                &mut stack[..used]
            } else {
                heap.resize(used, 0);
                &mut heap[..]
            };
            assert_eq!(netorder::to_slice(p, buf).unwrap(), used);
            assert_eq!(buf, &data[..used]);
            assert_eq!(netorder::to_vec(p).unwrap(), &data[..used]);
            match &whole {
                Ok(w) => {
                    assert_eq!(used, data.len(), "from_bytes accepted trailing bytes");
                    let again = netorder::to_vec(w).expect("a decoded value encodes");
                    assert_eq!(again, data, "decode → encode must give back the input");
                }
                Err(e) => assert_eq!(
                    *e.kind(),
                    netorder::ErrorKind::TrailingBytes {
                        offset: used,
                        remaining: data.len() - used
                    }
                ),
            }
        }
        Err(e) => {
            // An error's offset, when it has one, is inside (or just past) the input.
            if let Some(off) = e.offset() {
                assert!(off <= data.len(), "{e}");
            }
            assert_eq!(
                whole.as_ref().err(),
                Some(e),
                "from_bytes and take_from_bytes"
            );
        }
    }
    // The same bytes through a reader: the same value, the same bytes consumed, and for bad
    // (not short) input the same error.
    let mut reader = data;
    let from_reader = netorder::record::from_reader::<Tail, _>(&mut reader);
    let from_slice = netorder::record::take_from_bytes::<Tail>(data);
    match (&from_reader, &from_slice) {
        (Ok(r), Ok((s, used))) => {
            assert_eq!(comparable(r), comparable(s));
            assert_eq!(
                data.len() - reader.len(),
                *used,
                "bytes the reader consumed"
            );
        }
        (Err(r), Err(s)) => {
            if !s.is_incomplete() {
                assert_eq!(r.kind(), s.kind(), "reader: {r}; slice: {s}");
            }
        }
        (r, s) => panic!("reader {r:?} but slice {s:?}"),
    }
});
