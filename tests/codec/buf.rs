//! `netorder::buf`: records into `BufMut` and out of `Buf`, the same bytes as `to_vec` and
//! `from_bytes`, across chained (non-contiguous) buffers, with the buffer untouched on error.
#![cfg(feature = "bytes")]

use bytes::{Buf, BufMut, Bytes, BytesMut};
use netorder::buf::{from_buf, to_buf_mut};
use netorder::{Config, ErrorKind};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Msg {
    id: u16,
    name: String,
    data: Vec<u8>,
    flag: Option<bool>,
    pos: [f32; 2],
}

fn msg_strategy() -> impl Strategy<Value = Msg> {
    (
        any::<u16>(),
        "\\PC{0,12}",
        proptest::collection::vec(any::<u8>(), 0..600),
        any::<Option<bool>>(),
        any::<[f32; 2]>().prop_filter("no NaN", |p| p.iter().all(|f| !f.is_nan())),
    )
        .prop_map(|(id, name, data, flag, pos)| Msg {
            id,
            name,
            data,
            flag,
            pos,
        })
}

fn configs() -> [Config; 4] {
    [
        Config::new(),
        Config::new().little_endian(),
        Config::new().varint(),
        Config::new().ascii_fixed(),
    ]
}

/// Golden bytes: a struct as Python's `struct.pack('!HI?', 7, 0x01020304, True)` writes it.
#[test]
fn golden_bytes() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct H {
        kind: u16,
        len: u32,
        ok: bool,
    }
    let h = H {
        kind: 7,
        len: 0x0102_0304,
        ok: true,
    };
    let mut out = BytesMut::new();
    assert_eq!(to_buf_mut(&h, &mut out).unwrap(), 7);
    assert_eq!(&out[..], [0, 7, 1, 2, 3, 4, 1]);
    let mut v: Vec<u8> = Vec::new(); // any BufMut
    to_buf_mut(&h, &mut v).unwrap();
    assert_eq!(v, [0, 7, 1, 2, 3, 4, 1]);
    let mut wire = out.freeze();
    assert_eq!(from_buf::<H, _>(&mut wire).unwrap(), h);
    assert!(wire.is_empty());
}

/// Records over the 256-byte stack buffer take the other path; same bytes.
#[test]
fn large_records() {
    for n in [0, 200, 247, 248, 249, 256, 10_000] {
        let v = vec![n as u8; n];
        let mut out = BytesMut::from(&b"pre"[..]);
        assert_eq!(to_buf_mut(&v, &mut out).unwrap(), n + 8);
        assert_eq!(&out[3..], netorder::to_vec(&v).unwrap());
        out.advance(3);
        // Split in three chunks.
        let bytes = out.freeze();
        let (a, rest) = bytes.split_at(n / 3 + 1);
        let (b, c) = rest.split_at(rest.len() / 2);
        let mut chain = a.chain(b).chain(c);
        assert_eq!(from_buf::<Vec<u8>, _>(&mut chain).unwrap(), v);
        assert_eq!(chain.remaining(), 0);
    }
}

/// A `BufMut` with limited room: `BufferTooSmall` with the exact numbers, nothing written.
#[test]
fn limited_room_is_buffer_too_small() {
    for (elems, room) in [(0usize, 7usize), (10, 0), (400, 407)] {
        let v = vec![1u8; elems];
        let need = elems + 8; // a u64 length, then the elements
        let mut storage = vec![0xeeu8; room];
        let mut dst = &mut storage[..];
        let err = to_buf_mut(&v, &mut dst).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::BufferTooSmall {
                needed: need,
                available: room
            }
        );
        assert!(storage.iter().all(|&b| b == 0xee));
    }
    // A `limit`ed BytesMut, too.
    let mut out = BytesMut::new();
    let mut limited = (&mut out).limit(3);
    let err = to_buf_mut(&(1u16, 2u16), &mut limited).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BufferTooSmall {
            needed: 4,
            available: 3
        }
    );
    assert!(out.is_empty());
}

/// Record-layer errors on encode: nothing written.
#[test]
fn encode_errors_write_nothing() {
    let mut out = BytesMut::from(&b"x"[..]);
    let err = Config::new()
        .with_max_len(8)
        .to_buf_mut(&vec![0u8; 9], &mut out)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 9,
            limit: 8
        }
    );
    let err = Config::new()
        .ascii_fixed()
        .little_endian()
        .to_buf_mut(&300u16, &mut out);
    assert!(err.is_ok()); // ascii: 5 digits
    assert_eq!(&out[..], b"x00300");
}

/// Every proper prefix of a record, whole or in two chunks: `Incomplete`, buffer untouched.
#[test]
fn prefixes_are_incomplete_and_untouched() {
    let m = Msg {
        id: 1,
        name: "héllo".into(),
        data: vec![9; 40],
        flag: Some(false),
        pos: [1.5, -2.0],
    };
    for config in configs() {
        let bytes = config.to_vec(&m).unwrap();
        for cut in 0..bytes.len() {
            let mut whole = &bytes[..cut];
            let err = config.from_buf::<Msg, _>(&mut whole).unwrap_err();
            assert!(err.is_incomplete(), "{config:?} cut {cut}: {err}");
            assert_eq!(whole.len(), cut);
            for split in 0..=cut {
                let mut chain = (&bytes[..split]).chain(&bytes[split..cut]);
                let err = config.from_buf::<Msg, _>(&mut chain).unwrap_err();
                assert!(err.is_incomplete(), "{config:?} {split}/{cut}");
                assert_eq!(chain.remaining(), cut);
                assert_eq!(chain.first_ref().len(), split);
            }
        }
    }
}

/// Errors in the bytes, in the first chunk or past it: the same error, with the same offset
/// from the start of the buffer, and nothing consumed.
#[test]
fn bad_bytes_across_chunks() {
    let mut bytes = netorder::to_vec(&(1u32, true, 2u8)).unwrap();
    bytes[4] = 2; // the bool
    for split in 0..=bytes.len() {
        let mut chain = (&bytes[..split]).chain(&bytes[split..]);
        let err = from_buf::<(u32, bool, u8), _>(&mut chain).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 4, byte: 2 });
        assert_eq!(chain.remaining(), bytes.len());
    }
    // A huge announced length with a few bytes present: incomplete, nothing allocated for it.
    let mut bomb = [&[0xff; 8][..], &[1, 2, 3][..]].concat();
    bomb[0] = 0; // 0x00ff_ffff_ffff_ffff elements: over the 16 MiB limit
    let mut chain = (&bomb[..3]).chain(&bomb[3..]);
    let err = from_buf::<Vec<u8>, _>(&mut chain).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::LengthLimit { offset: 0, .. }
    ));
    let ok_len = [0u8, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3]; // 1 MiB announced, 3 bytes there
    let mut chain = (&ok_len[..5]).chain(&ok_len[5..]);
    let err = from_buf::<Vec<u8>, _>(&mut chain).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            // `Vec<u8>` is read element by element: the 4th element is missing.
            offset: 11,
            needed: 1,
            available: 0
        }
    );
}

/// A `VecDeque` shows both of its halves: a record across the wrap point decodes.
#[test]
fn vecdeque_across_the_wrap() {
    let bytes = netorder::to_vec(&(0x0102_0304_0506_0708u64, "wrap")).unwrap();
    let mut dq: VecDeque<u8> = VecDeque::with_capacity(32);
    // The first 5 bytes pushed at the front go to the end of the storage: the deque wraps.
    dq.extend(bytes[5..].iter().copied());
    for &b in bytes[..5].iter().rev() {
        dq.push_front(b);
    }
    assert_eq!(dq.as_slices().0.len(), 5, "wraps");
    let v: (u64, String) = from_buf(&mut dq).unwrap();
    assert_eq!(v, (0x0102_0304_0506_0708, "wrap".to_string()));
    assert!(dq.is_empty());
}

/// Many records back to back in many small chunks: each decoded in turn.
#[test]
fn a_stream_of_records_in_small_chunks() {
    let mut out = BytesMut::new();
    for i in 0..50u32 {
        to_buf_mut(&(i, format!("n{i}")), &mut out).unwrap();
    }
    let bytes = out.freeze();
    // Pieces of 3 bytes, chained two at a time (a Chain of Chains).
    let pieces: Vec<Bytes> = bytes.chunks(3).map(Bytes::copy_from_slice).collect();
    let mut rest: Box<dyn Buf> = Box::new(Bytes::new());
    for p in pieces.into_iter().rev() {
        rest = Box::new(p.chain(rest));
    }
    // Only the first 64 chunks are looked at: records stay well within that.
    for i in 0..50u32 {
        let v: (u32, String) = from_buf(&mut rest).unwrap();
        assert_eq!(v, (i, format!("n{i}")));
    }
    assert_eq!(rest.remaining(), 0);
}

/// Two chunks, but `chunks_vectored` is the trait's default: only the first is shown.
struct Hidden {
    first: Bytes,
    second: Bytes,
}

impl Buf for Hidden {
    fn remaining(&self) -> usize {
        self.first.len() + self.second.len()
    }
    fn chunk(&self) -> &[u8] {
        if self.first.is_empty() {
            &self.second
        } else {
            &self.first
        }
    }
    fn advance(&mut self, n: usize) {
        let a = n.min(self.first.len());
        self.first.advance(a);
        self.second.advance(n - a);
    }
}

/// A `Buf` that hides its later chunks: a record spanning them is `Unsupported` (more input
/// would not help, so not `Incomplete`), a record past its end is still `Incomplete`, and a
/// record in the first chunk decodes.
#[test]
fn a_buf_that_hides_its_chunks() {
    let bytes = Bytes::from(netorder::to_vec(&(1u32, 2u32)).unwrap());
    let mut hidden = Hidden {
        first: bytes.slice(..6),
        second: bytes.slice(6..),
    };
    let err = from_buf::<(u32, u32), _>(&mut hidden).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unsupported { .. }),
        "{err:?}"
    );
    assert_eq!(hidden.remaining(), 8);
    // 16 bytes needed at once, 8 held: out of input whatever is hidden.
    let err = from_buf::<u128, _>(&mut hidden).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 16,
            available: 6
        }
    );
    assert_eq!(from_buf::<u32, _>(&mut hidden).unwrap(), 1);
    // The second u32 starts in the first chunk and ends in the hidden one.
    let err = from_buf::<u32, _>(&mut hidden).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unsupported { .. }),
        "{err:?}"
    );
    hidden.advance(2);
    assert_eq!(from_buf::<[u8; 2], _>(&mut hidden).unwrap(), [0, 2]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `to_buf_mut` writes the bytes of `to_vec`; `from_buf` reads them back from any split
    /// into two chunks, and leaves what follows.
    #[test]
    fn round_trip_any_split(m in msg_strategy(), split in any::<prop::sample::Index>(), ci in 0usize..4) {
        let config = configs()[ci];
        let mut out = BytesMut::new();
        let n = config.to_buf_mut(&m, &mut out).unwrap();
        let expected = config.to_vec(&m).unwrap();
        prop_assert_eq!(n, expected.len());
        prop_assert_eq!(&out[..], &expected[..]);
        out.put_slice(b"after");
        let split = split.index(out.len() + 1);
        let mut chain = (&out[..split]).chain(&out[split..]);
        let back: Msg = config.from_buf(&mut chain).unwrap();
        prop_assert_eq!(back, m);
        prop_assert_eq!(chain.remaining(), 5);
        prop_assert_eq!(chain.copy_to_bytes(5), Bytes::from_static(b"after"));
    }
}
