//! Hostile input for the record decoder: prefixes, lying lengths, bad bytes, depth bombs,
//! error paths and offsets; and the reader/writer entry points.

use netorder::record::{self, Config};
use netorder::{ErrorKind, from_bytes, to_vec};
use serde::{Deserialize, Serialize};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

// ----- an allocator that remembers this thread's largest allocation ---------------------------

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

struct Tracking;

// SAFETY: forwards every call to `System` unchanged; only records sizes in a thread-local
// `Cell` that has no destructor and needs no allocation.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LARGEST.try_with(|l| l.set(l.get().max(layout.size())));
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = LARGEST.try_with(|l| l.set(l.get().max(new_size)));
        // SAFETY: as for `alloc`/`dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Tracking = Tracking;

/// Runs `f` and returns its result with the largest allocation it made on this thread.
fn largest_allocation<R>(f: impl FnOnce() -> R) -> (R, usize) {
    LARGEST.with(|l| l.set(0));
    let r = f();
    (r, LARGEST.with(|l| l.get()))
}

// ----- types ----------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Hdr {
    len: u16,
    up: bool,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Item {
    id: u8,
    name: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Kind {
    Ping,
    Data(u32),
    Pair(u8, bool),
    Named { ok: bool, tag: Option<u8> },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Packet {
    header: Hdr,
    items: Vec<Item>,
    kind: Kind,
    letter: char,
}

fn packet() -> Packet {
    Packet {
        header: Hdr { len: 7, up: true },
        items: vec![
            Item {
                id: 1,
                name: "a".into(),
            },
            Item {
                id: 2,
                name: "bc".into(),
            },
        ],
        kind: Kind::Named {
            ok: true,
            tag: Some(3),
        },
        letter: 'é',
    }
}

// Offsets in `packet()`'s encoding.
const ITEMS_LEN_AT: usize = 3;
const ITEM1_NAME_AT: usize = 3 + 8 + (1 + 8 + 1) + 1; // length of items[1].name
const KIND_AT: usize = ITEM1_NAME_AT + 8 + 2;

#[test]
fn layout_of_the_test_packet() {
    let bytes = to_vec(&packet()).unwrap();
    assert_eq!(&bytes[ITEMS_LEN_AT..ITEMS_LEN_AT + 8], &2u64.to_be_bytes());
    assert_eq!(
        &bytes[ITEM1_NAME_AT..ITEM1_NAME_AT + 10],
        &[0, 0, 0, 0, 0, 0, 0, 2, b'b', b'c']
    );
    assert_eq!(&bytes[KIND_AT..], &[0, 0, 0, 3, 1, 1, 3, 0xc3, 0xa9]);
    assert_eq!(from_bytes::<Packet>(&bytes).unwrap(), packet());
}

#[test]
fn every_proper_prefix_is_incomplete_with_exact_numbers() {
    let bytes = to_vec(&packet()).unwrap();
    for cut in 0..bytes.len() {
        let err = from_bytes::<Packet>(&bytes[..cut]).unwrap_err();
        match *err.kind() {
            ErrorKind::Incomplete {
                offset,
                needed,
                available,
            } => {
                assert!(
                    offset <= cut && available == cut - offset && needed > available,
                    "{cut}: {err}"
                );
            }
            _ => panic!("prefix {cut}: {err}"),
        }
    }
    // Spot checks with every number.
    let err = from_bytes::<Packet>(&bytes[..1]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 2,
            available: 1
        }
    );
    assert_eq!(err.field(), Some("header.len"));
    let err = from_bytes::<Packet>(&bytes[..ITEM1_NAME_AT + 9]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: ITEM1_NAME_AT + 8,
            needed: 2,
            available: 1
        }
    );
    assert_eq!(err.field(), Some("items[1].name"));
    assert_eq!(err.needed_more(), Some(1));
    // Inside the two-byte char: anchored at the char's first byte.
    let err = from_bytes::<Packet>(&bytes[..bytes.len() - 1]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: bytes.len() - 2,
            needed: 2,
            available: 1
        }
    );
    assert_eq!(err.field(), Some("letter"));
}

#[test]
fn trailing_byte() {
    let mut bytes = to_vec(&packet()).unwrap();
    bytes.push(0);
    let err = from_bytes::<Packet>(&bytes).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: bytes.len() - 1,
            remaining: 1
        }
    );
    assert_eq!(
        record::take_from_bytes::<Packet>(&bytes).unwrap(),
        (packet(), bytes.len() - 1)
    );
}

#[test]
fn huge_lengths_fail_at_once_without_allocating() {
    // u64::MAX: over the limit, refused before anything is read or allocated.
    let mut bytes = to_vec(&packet()).unwrap();
    bytes[ITEMS_LEN_AT..ITEMS_LEN_AT + 8].copy_from_slice(&u64::MAX.to_be_bytes());
    let (r, largest) = largest_allocation(|| from_bytes::<Packet>(&bytes));
    let err = r.unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: ITEMS_LEN_AT,
            len: u64::MAX,
            limit: 16 << 20
        }
    );
    assert_eq!(err.field(), Some("items"));
    assert!(largest < 1024, "allocated {largest} bytes");

    for ty_len in [u64::MAX, (16 << 20) + 1] {
        let bytes = ty_len.to_be_bytes();
        assert!(matches!(
            from_bytes::<String>(&bytes).unwrap_err().kind(),
            ErrorKind::LengthLimit { offset: 0, .. }
        ));
        assert!(matches!(
            from_bytes::<Vec<u8>>(&bytes).unwrap_err().kind(),
            ErrorKind::LengthLimit { offset: 0, .. }
        ));
        assert!(matches!(
            from_bytes::<std::collections::HashMap<u8, u8>>(&bytes)
                .unwrap_err()
                .kind(),
            ErrorKind::LengthLimit { offset: 0, .. }
        ));
    }

    // Just under the limit but with no bytes behind it: incomplete, and the element buffer is
    // sized by the input that is there, not by the length that was promised.
    let mut bytes = (16u64 << 20).to_be_bytes().to_vec();
    bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    let (r, largest) = largest_allocation(|| from_bytes::<Vec<u64>>(&bytes));
    assert_eq!(
        r.unwrap_err().kind(),
        &ErrorKind::Incomplete {
            offset: 16,
            needed: 8,
            available: 2
        }
    );
    assert!(largest < 1024, "allocated {largest} bytes");
    let (r, largest) = largest_allocation(|| from_bytes::<String>(&bytes));
    assert_eq!(
        r.unwrap_err().kind(),
        &ErrorKind::Incomplete {
            offset: 8,
            needed: 16 << 20,
            available: 10
        }
    );
    assert!(largest < 1024, "allocated {largest} bytes");

    // The same from a reader: nothing like the promised 16 MiB is allocated.
    let (r, largest) = largest_allocation(|| record::from_reader::<String, _>(&bytes[..]));
    assert_eq!(
        r.unwrap_err().kind(),
        &ErrorKind::Truncated {
            expected: 8 + (16 << 20),
            received: 18
        }
    );
    assert!(largest < 64 * 1024, "allocated {largest} bytes");
}

#[test]
fn invalid_bool_tag_variant_utf8_and_char() {
    let good = to_vec(&packet()).unwrap();

    let mut bad = good.clone();
    bad[2] = 2;
    let err = from_bytes::<Packet>(&bad).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 2, byte: 2 });
    assert_eq!(err.field(), Some("header.up"));
    assert_eq!(
        err.to_string(),
        "field `header.up`: invalid bool at byte 2: 0x02 (expected 0 or 1)"
    );

    let mut bad = good.clone();
    bad[KIND_AT + 3] = 4; // variant index 4 of a 4-variant enum
    let err = from_bytes::<Packet>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidVariant {
            offset: KIND_AT,
            index: 4
        }
    );
    assert_eq!(err.field(), Some("kind"));
    bad[KIND_AT] = 0xff;
    let err = from_bytes::<Packet>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidVariant {
            offset: KIND_AT,
            index: 0xff00_0004
        }
    );

    let mut bad = good.clone();
    bad[KIND_AT + 5] = 2; // Option tag of Named.tag
    let err = from_bytes::<Packet>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidTag {
            offset: KIND_AT + 5,
            tag: 2
        }
    );
    assert_eq!(err.field(), Some("kind.Named.tag"));

    let mut bad = good.clone();
    bad[ITEM1_NAME_AT + 9] = 0xff; // second byte of "bc"
    let err = from_bytes::<Packet>(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::InvalidUtf8 {
            offset: ITEM1_NAME_AT + 8,
            valid_up_to: 1
        }
    );
    assert_eq!(err.field(), Some("items[1].name"));

    // Chars: a byte that starts no UTF-8 sequence, a surrogate, a broken continuation.
    let at = good.len() - 2;
    for (tail, value) in [
        (&[0xff][..], 0xff),
        (&[0x80], 0x80),
        (&[0xc3, 0x28], 0xc328),
    ] {
        let mut bad = good[..at].to_vec();
        bad.extend_from_slice(tail);
        let err = from_bytes::<Packet>(&bad).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::InvalidChar { offset: at, value },
            "{tail:?}"
        );
        assert_eq!(err.field(), Some("letter"));
    }
    assert_eq!(
        from_bytes::<char>(&[0xed, 0xa0, 0x80]).unwrap_err().kind(),
        &ErrorKind::InvalidChar {
            offset: 0,
            value: 0xeda080
        }
    );
    assert_eq!(
        from_bytes::<char>(&[0xf4, 0x90, 0x80, 0x80])
            .unwrap_err()
            .kind(),
        &ErrorKind::InvalidChar {
            offset: 0,
            value: 0xf4908080
        }
    );
    // bincode agrees that these are errors.
    let cfg = bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding();
    assert!(bincode::serde::decode_from_slice::<char, _>(&[0xed, 0xa0, 0x80], cfg).is_err());
}

#[test]
fn self_describing_requests_are_unsupported() {
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Untagged {
        A(u8),
    }
    let err = from_bytes::<Untagged>(&[1]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }), "{err}");
}

#[test]
fn custom_errors_are_messages_with_a_path() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Ports {
        from: std::num::NonZeroU16,
    }
    let err = from_bytes::<Ports>(&[0, 0]).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Message(m) if m.contains("nonzero")),
        "{err}"
    );
    assert_eq!(err.field(), Some("from"));
}

// ----- depth ---------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, Debug)]
enum Nest {
    Leaf,
    Node(Box<Nest>),
}

#[derive(Serialize, Deserialize, Debug)]
struct Tree(Vec<Tree>);

#[derive(Serialize, Deserialize, Debug)]
struct List {
    next: Option<Box<List>>,
}

const BOMB: usize = 100_000;

#[test]
fn depth_bombs_hit_the_limit_not_the_stack() {
    // enum Nest: 100 000 × `Node` then `Leaf`.
    let mut bytes = [0, 0, 0, 1].repeat(BOMB);
    bytes.extend_from_slice(&[0, 0, 0, 0]);
    let err = from_bytes::<Nest>(&bytes).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::DepthLimit {
            offset: 128 * 4,
            limit: 128
        }
    );
    assert!(err.field().unwrap().starts_with("Node.Node."));

    // struct Tree(Vec<Tree>): 100 000 × length 1.
    let bytes = 1u64.to_be_bytes().repeat(BOMB);
    let err = from_bytes::<Tree>(&bytes).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::DepthLimit { limit: 128, .. }),
        "{err}"
    );

    // Option<Box<List>>: 100 000 × Some.
    let bytes = vec![1u8; BOMB];
    let err = from_bytes::<List>(&bytes).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::DepthLimit { limit: 128, .. }),
        "{err}"
    );

    // The same through a reader and through record_size's tracer.
    let err = record::from_reader::<Nest, _>(&[0, 0, 0, 1].repeat(BOMB)[..]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::DepthLimit {
            offset: 128 * 4,
            limit: 128
        }
    );
    let err = netorder::record_size::<Nest>().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::VariableSize { .. }),
        "{err}"
    );

    // A lower limit applies exactly.
    let c = Config::new().with_max_depth(3);
    let three = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
    assert!(c.from_bytes::<Nest>(&three).is_ok());
    let four = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
    assert_eq!(
        c.from_bytes::<Nest>(&four).unwrap_err().kind(),
        &ErrorKind::DepthLimit {
            offset: 12,
            limit: 3
        }
    );
}

#[test]
fn depth_is_checked_when_encoding() {
    let mut deep = Nest::Leaf;
    for _ in 0..1000 {
        deep = Nest::Node(Box::new(deep));
    }
    let err = to_vec(&deep).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::DepthLimit {
            offset: 128 * 4,
            limit: 128
        }
    );
    let mut buf = [0u8; 8192];
    let err = netorder::to_slice(&deep, &mut buf).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::DepthLimit {
            offset: 128 * 4,
            limit: 128
        }
    );
    // Unwind iteratively so that dropping the value cannot overflow the stack either.
    while let Nest::Node(inner) = deep {
        deep = *inner;
    }
}

// ----- encode-side errors ---------------------------------------------------------------------

#[test]
fn encode_errors_name_the_field() {
    let c = Config::new().with_max_len(1);
    let err = c.to_vec(&packet()).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: ITEMS_LEN_AT,
            len: 2,
            limit: 1
        }
    );
    assert_eq!(err.field(), Some("items"));

    let mut small = [0u8; 10];
    let err = netorder::to_slice(&packet(), &mut small).unwrap_err();
    let full = to_vec(&packet()).unwrap().len();
    assert_eq!(
        err.kind(),
        &ErrorKind::BufferTooSmall {
            needed: full,
            available: 10
        }
    );
    let mut exact = vec![0u8; full];
    assert_eq!(netorder::to_slice(&packet(), &mut exact).unwrap(), full);
    assert_eq!(exact, to_vec(&packet()).unwrap());
}

// ----- readers and writers --------------------------------------------------------------------

/// A reader that hands out at most `chunk` bytes per call and counts what it gave.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
    given: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.chunk).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.given += n;
        Ok(n)
    }
}

#[test]
fn from_reader_takes_exactly_the_record() {
    let one = to_vec(&packet()).unwrap();
    let mut stream = one.repeat(3);
    stream.push(0xee);
    for chunk in [1, 3, 1000] {
        let mut r = Trickle {
            data: &stream,
            chunk,
            given: 0,
        };
        for i in 1..=3 {
            assert_eq!(record::from_reader::<Packet, _>(&mut r).unwrap(), packet());
            assert_eq!(
                r.given,
                i * one.len(),
                "chunk {chunk}: read past the record"
            );
        }
        assert_eq!(r.data, [0xee]);
    }
    // Fixed-size records come in one read of record_size bytes.
    let fixed = to_vec(&(1u32, Hdr { len: 2, up: false })).unwrap();
    let mut r = Trickle {
        data: &fixed.repeat(2),
        chunk: 1000,
        given: 0,
    };
    assert_eq!(
        record::from_reader::<(u32, Hdr), _>(&mut r).unwrap(),
        (1, Hdr { len: 2, up: false })
    );
    assert_eq!(r.given, 7);
}

#[test]
fn from_reader_truncation_and_clean_end() {
    let one = to_vec(&packet()).unwrap();
    for cut in [1, ITEMS_LEN_AT + 4, one.len() - 1] {
        let err = record::from_reader::<Packet, _>(&one[..cut]).unwrap_err();
        match *err.kind() {
            ErrorKind::Truncated { expected, received } => {
                assert_eq!(received, cut);
                assert!(expected > received);
            }
            _ => panic!("{cut}: {err}"),
        }
    }
    let err = record::from_reader::<(u16, u32), _>(&[][..]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: 6,
            received: 0
        }
    );
    // Bad bytes from a reader are the same errors as from a slice.
    let mut bad = one.clone();
    bad[2] = 9;
    let err = record::from_reader::<Packet, _>(&bad[..]).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 2, byte: 9 });
    assert_eq!(err.field(), Some("header.up"));
}

#[test]
fn to_writer_writes_the_record() {
    let mut out = Vec::new();
    let n = record::to_writer(&packet(), &mut out).unwrap();
    assert_eq!(n, out.len());
    assert_eq!(out, to_vec(&packet()).unwrap());
    let c = Config::new().little_endian().varint();
    let mut out = Vec::new();
    c.to_writer(&packet(), &mut out).unwrap();
    assert_eq!(c.from_reader::<Packet, _>(&out[..]).unwrap(), packet());
}

// ----- arbitrary bytes ------------------------------------------------------------------------

mod arbitrary_bytes {
    use super::*;
    use proptest::prelude::*;

    /// Accepted input re-encodes to exactly itself; rejected input names an offset inside it.
    fn verdict(bytes: &[u8]) -> Result<(), TestCaseError> {
        match from_bytes::<Packet>(bytes) {
            Ok(p) => prop_assert_eq!(to_vec(&p).unwrap(), bytes),
            Err(e) => {
                if let Some(off) = e.offset() {
                    prop_assert!(off <= bytes.len(), "{}", e);
                }
                if e.is_incomplete() {
                    prop_assert!(e.needed_more().unwrap() > 0);
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            verdict(&bytes)?;
        }

        #[test]
        fn one_changed_byte_is_caught_or_round_trips(at in any::<prop::sample::Index>(), byte: u8) {
            let mut bytes = to_vec(&packet()).unwrap();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            verdict(&bytes)?;
        }
    }
}
