//! The tokio codecs (`netorder::codec`): over real sockets on 127.0.0.1 (many concurrent
//! tasks in every framing, with a truncated peer, a length bomb and a bad record mixed in),
//! byte for byte against `Conn` and `encode_frame`, and as a sans-IO decoder fed random chunks.
#![cfg(feature = "tokio")]

use bytes::{Bytes, BytesMut};
use futures::{SinkExt, StreamExt};
use netorder::codec::{FrameCodec, RecordCodec};
use netorder::frame::{Framing, encode_frame};
use netorder::transport::Conn;
use netorder::{Config, Error, ErrorKind};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Cursor;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_util::codec::{Decoder, Encoder, Framed};

const FRAMINGS: [Framing; 4] = [
    Framing::fixed(16),
    Framing::U16,
    Framing::U32,
    Framing::VARINT,
];
const CLIENTS: u32 = 200;
const RECORDS: u32 = 1000;
const MAX_FRAME: usize = 1 << 20;
const PATIENCE: Duration = Duration::from_secs(120);

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Rec {
    client: u32,
    seq: u32,
    check: u64,
}

fn rec(client: u32, seq: u32) -> Rec {
    Rec {
        client,
        seq,
        check: (u64::from(client) << 32 | u64::from(seq)).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    }
}

fn codec(framing: Framing) -> RecordCodec<Rec> {
    RecordCodec::new(framing.with_max_frame_len(MAX_FRAME))
}

/// What one server connection saw: the records, then how it ended (`None`: cleanly), and
/// the capacity of its read buffer at the end.
#[derive(Debug)]
struct Seen {
    records: Vec<Rec>,
    end: Option<Error>,
    capacity: usize,
}

/// A server on 127.0.0.1:0 for `framing`: every connection is read to its end by its own
/// task and reported on `tx`.
async fn serve(framing: Framing, tx: mpsc::UnboundedSender<Seen>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut frames = Framed::new(stream, codec(framing));
                let mut records = Vec::new();
                let mut end = None;
                while let Some(item) = frames.next().await {
                    match item {
                        Ok(r) => records.push(r),
                        Err(e) => {
                            end = Some(e);
                            break;
                        }
                    }
                }
                let capacity = frames.read_buffer().capacity();
                let _ = tx.send(Seen {
                    records,
                    end,
                    capacity,
                });
            });
        }
    });
    addr
}

/// Sends `bytes` raw and closes.
async fn raw_peer(addr: SocketAddr, bytes: Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(&bytes).await.unwrap();
    s.shutdown().await.unwrap();
}

/// 200 tasks × 1000 records, 50 per framing, each on its own connection, with three bad
/// peers among them: every record arrives exactly once, the bad peers end with their exact
/// errors, and nothing else is disturbed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_every_record_exactly_once_bad_peers_isolated() {
    tokio::time::timeout(PATIENCE, async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut addrs = Vec::new();
        for framing in FRAMINGS {
            addrs.push(serve(framing, tx.clone()).await);
        }
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let i = client as usize % FRAMINGS.len();
            let (addr, framing) = (addrs[i], FRAMINGS[i]);
            tasks.push(tokio::spawn(async move {
                let stream = TcpStream::connect(addr).await.unwrap();
                let mut out = Framed::new(stream, codec(framing));
                for seq in 0..RECORDS {
                    out.feed(rec(client, seq)).await.unwrap(); // flushed as the buffer fills
                }
                SinkExt::<Rec>::close(&mut out).await.unwrap(); // two Encoder impls: name the item
            }));
        }
        // The bad peers, on the u32 server (index 2).
        let u32_addr = addrs[2];
        let mut truncated = Vec::new();
        let mut c = codec(Framing::U32);
        let mut buf = BytesMut::new();
        c.encode(rec(CLIENTS, 0), &mut buf).unwrap();
        truncated.extend_from_slice(&buf);
        truncated.extend_from_slice(&buf[..7]); // a prefix and 3 bytes of the next record
        tasks.push(tokio::spawn(raw_peer(u32_addr, truncated)));
        // Announces 4 GiB - 1: refused before anything is allocated for it.
        tasks.push(tokio::spawn(raw_peer(
            u32_addr,
            vec![0xff, 0xff, 0xff, 0xff, 1, 2],
        )));
        // A whole frame whose 16 bytes are not a record (one byte short).
        tasks.push(tokio::spawn(raw_peer(
            u32_addr,
            [&[0, 0, 0, 15][..], &[7; 15]].concat(),
        )));
        for t in tasks {
            t.await.unwrap();
        }

        let mut seen = HashMap::new();
        let mut errors = Vec::new();
        for _ in 0..CLIENTS + 3 {
            let s = rx.recv().await.unwrap();
            assert!(s.capacity <= 64 << 10, "read buffer grew to {}", s.capacity);
            for r in s.records {
                assert_eq!(r, rec(r.client, r.seq), "a record was invented or mangled");
                *seen.entry((r.client, r.seq)).or_insert(0) += 1;
            }
            if let Some(e) = s.end {
                errors.push(e.into_kind());
            }
        }
        for client in 0..CLIENTS {
            for seq in 0..RECORDS {
                assert_eq!(
                    seen.get(&(client, seq)),
                    Some(&1),
                    "client {client} seq {seq}"
                );
            }
        }
        assert_eq!(
            seen.get(&(CLIENTS, 0)),
            Some(&1),
            "the truncated peer's whole record"
        );
        assert_eq!(seen.len(), (CLIENTS * RECORDS) as usize + 1);
        errors.sort_by_key(|k| format!("{k:?}"));
        assert_eq!(
            errors,
            [
                ErrorKind::Incomplete {
                    offset: 8,
                    needed: 8,
                    available: 7
                },
                ErrorKind::LengthLimit {
                    offset: 0,
                    len: 0xffff_ffff,
                    limit: MAX_FRAME as u64
                },
                ErrorKind::Truncated {
                    expected: 20,
                    received: 7
                },
            ]
        );
    })
    .await
    .expect("the exchange finished in time");
}

/// A peer that closes mid-record, in every framing and at every byte of a record: the whole
/// records before it come out, then exactly `Truncated`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_peer_in_every_framing_is_exact() {
    tokio::time::timeout(PATIENCE, async {
        for framing in FRAMINGS {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let addr = serve(framing, tx).await;
            let mut c = codec(framing);
            let mut one = BytesMut::new();
            c.encode(rec(1, 1), &mut one).unwrap();
            for cut in 1..one.len() {
                let wire = [&one[..], &one[..cut]].concat();
                raw_peer(addr, wire).await;
                let s = rx.recv().await.unwrap();
                assert_eq!(s.records, [rec(1, 1)]);
                let header = one.len() - 16;
                // While the prefix is cut (a varint prefix: one byte), the least the frame
                // could be; after it, the whole frame.
                let expected = if cut < header { header } else { one.len() };
                assert_eq!(
                    s.end.map(Error::into_kind),
                    Some(ErrorKind::Truncated {
                        expected,
                        received: cut
                    }),
                    "{framing} cut at {cut}"
                );
            }
            // A close between records is clean.
            raw_peer(addr, [&one[..], &one[..]].concat()).await;
            let s = rx.recv().await.unwrap();
            assert_eq!((s.records.len(), s.end), (2, None));
        }
    })
    .await
    .expect("in time");
}

/// Length bombs: over the limit they are refused at once with the numbers; under it, a peer
/// that announces a megabyte and sends a little costs only a little.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn length_bombs_are_refused_without_allocating() {
    tokio::time::timeout(PATIENCE, async {
        let varint_max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        let cases: [(Framing, Vec<u8>, ErrorKind); 5] = [
            (
                Framing::U32,
                vec![0xff, 0xff, 0xff, 0xff],
                ErrorKind::LengthLimit {
                    offset: 0,
                    len: 0xffff_ffff,
                    limit: MAX_FRAME as u64,
                },
            ),
            (
                Framing::VARINT,
                varint_max.to_vec(),
                ErrorKind::LengthLimit {
                    offset: 0,
                    len: u64::MAX,
                    limit: MAX_FRAME as u64,
                },
            ),
            (
                Framing::U32,
                [&[0, 0x10, 0, 1][..], &[0; 100][..]].concat(),
                ErrorKind::LengthLimit {
                    offset: 0,
                    len: MAX_FRAME as u64 + 1,
                    limit: MAX_FRAME as u64,
                },
            ),
            // Allowed, but only 100 of the announced bytes come.
            (
                Framing::U32,
                [&[0, 0x10, 0, 0][..], &[0; 100][..]].concat(),
                ErrorKind::Truncated {
                    expected: 4 + MAX_FRAME,
                    received: 104,
                },
            ),
            // An overlong varint prefix is wrong bytes, not a length.
            (
                Framing::VARINT,
                vec![0x80, 0x00],
                ErrorKind::Overlong { offset: 0, len: 2 },
            ),
        ];
        for (framing, bytes, kind) in cases {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let addr = serve(framing, tx).await;
            raw_peer(addr, bytes).await;
            let s = rx.recv().await.unwrap();
            assert!(s.records.is_empty());
            assert_eq!(s.end.map(Error::into_kind), Some(kind));
            assert!(
                s.capacity <= 32 << 10,
                "{framing}: buffer of {}",
                s.capacity
            );
        }
    })
    .await
    .expect("in time");
}

/// Through `Framed` both ways: an echo of raw frames with `FrameCodec`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frame_codec_echo() {
    tokio::time::timeout(PATIENCE, async {
        for framing in [Framing::U16, Framing::U32, Framing::VARINT] {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = tokio::spawn(async move {
                let (s, _) = listener.accept().await.unwrap();
                let mut f = Framed::new(s, FrameCodec::new(framing));
                while let Some(frame) = f.next().await {
                    f.send(frame.unwrap().freeze()).await.unwrap();
                }
            });
            let mut f = Framed::new(
                TcpStream::connect(addr).await.unwrap(),
                FrameCodec::new(framing),
            );
            let payloads: Vec<Vec<u8>> = (0..300usize).map(|n| vec![n as u8; n * 7]).collect();
            for p in &payloads {
                f.send(&p[..]).await.unwrap();
                assert_eq!(f.next().await.unwrap().unwrap(), &p[..]);
            }
            f.get_mut().shutdown().await.unwrap();
            assert!(f.next().await.is_none(), "clean end");
            server.await.unwrap();
        }
    })
    .await
    .expect("in time");
}

/// The records the golden and chunking tests use: variable size, so every prefix length of
/// the varint framing shows up.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Msg {
    id: u16,
    name: String,
    data: Vec<u8>,
    flag: Option<bool>,
}

fn msg(n: usize) -> Msg {
    Msg {
        id: n as u16,
        name: "x".repeat(n % 5),
        data: vec![n as u8; n * 13 % 300],
        flag: [None, Some(true), Some(false)][n % 3],
    }
}

/// The bytes of `RecordCodec` are the bytes of `Conn::send` and of `encode_frame(to_vec)`,
/// in every framing and record configuration; `FrameCodec` reads `Conn`'s frames back.
#[test]
fn golden_bytes_match_conn_and_encode_frame() {
    for framing in [Framing::U16, Framing::U32, Framing::VARINT] {
        for config in [
            Config::new(),
            Config::new().little_endian(),
            Config::new().varint(),
        ] {
            let msgs: Vec<Msg> = (0..60).map(msg).collect();
            let mut ours = BytesMut::new();
            let mut codec = RecordCodec::<Msg>::new(framing).with_config(config);
            let mut conn = Conn::new(Cursor::new(Vec::new()), framing).with_config(config);
            let mut by_hand = Vec::new();
            for m in &msgs {
                codec.encode(m, &mut ours).unwrap();
                conn.send(m).unwrap();
                let bytes = config.to_vec(m).unwrap();
                encode_frame(framing, &bytes, &mut by_hand).unwrap();
            }
            conn.flush().unwrap();
            assert_eq!(&ours[..], &by_hand[..], "{framing} {config:?}");
            assert_eq!(conn.get_ref().get_ref(), &by_hand, "{framing} {config:?}");

            let mut frames = FrameCodec::new(framing);
            let mut wire = BytesMut::from(&by_hand[..]);
            for m in &msgs {
                let frame = frames.decode(&mut wire).unwrap().unwrap();
                assert_eq!(frame, config.to_vec(m).unwrap());
            }
            assert_eq!(frames.decode_eof(&mut wire).unwrap(), None);
            let mut back = Vec::new();
            while let Some(m) = codec.decode_eof(&mut ours).unwrap() {
                back.push(m);
            }
            assert_eq!(back, msgs);
        }
    }
    // Fixed framing: no prefix at all, the bytes of `to_vec`.
    let mut codec = RecordCodec::<Rec>::fixed(Config::new()).unwrap();
    let mut wire = BytesMut::new();
    codec.encode(rec(1, 2), &mut wire).unwrap();
    assert_eq!(&wire[..], netorder::to_vec(&rec(1, 2)).unwrap());
    // A literal: u16 prefix, then the record.
    let mut codec = RecordCodec::<(u8, u32)>::new(Framing::U16);
    let mut wire = BytesMut::new();
    codec.encode((9, 0x0102_0304), &mut wire).unwrap();
    assert_eq!(&wire[..], [0, 5, 9, 1, 2, 3, 4]);
}

/// Encoding errors leave the output as it was.
#[test]
fn encode_errors_append_nothing() {
    let mut dst = BytesMut::from(&b"keep"[..]);
    let mut c = RecordCodec::<Vec<u8>>::new(Framing::U16);
    let err = c.encode(vec![0; 70_000], &mut dst).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::FrameTooLong {
            len: 70_008,
            max: 65_535
        }
    );
    let mut c = RecordCodec::<Vec<u8>>::new(Framing::U32.with_max_frame_len(300));
    let err = c.encode(vec![0; 293], &mut dst).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 301, max: 300 });
    let err = c.encode(vec![0; 100], &mut dst).map(|_| dst.len());
    assert_eq!(err.unwrap(), 4 + 4 + 108);
    dst.truncate(4);
    let mut c = RecordCodec::<Vec<u8>>::new(Framing::fixed(8));
    let err = c.encode(vec![1], &mut dst).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 8,
            actual: 9
        }
    );
    let mut c =
        RecordCodec::<Vec<u8>>::new(Framing::U32).with_config(Config::new().with_max_len(2));
    let err = c.encode(vec![1, 2, 3], &mut dst).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::LengthLimit {
            len: 3,
            limit: 2,
            ..
        }
    ));
    let mut f = FrameCodec::new(Framing::fixed(3));
    let err = f.encode(Bytes::from_static(b"ab"), &mut dst).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 3,
            actual: 2
        }
    );
    assert_eq!(&dst[..], b"keep");
}

/// A varint prefix that needs more than the one byte guessed: the record is moved up.
#[test]
fn long_records_under_varint_framing() {
    let mut c = RecordCodec::<Vec<u8>>::new(Framing::VARINT);
    for n in [119, 120, 16_375, 16_376, 100_000] {
        let v = vec![0xab; n];
        let mut wire = BytesMut::from(&b"z"[..]);
        c.encode(&v, &mut wire).unwrap();
        let mut by_hand = b"z".to_vec();
        encode_frame(
            Framing::VARINT,
            &netorder::to_vec(&v).unwrap(),
            &mut by_hand,
        )
        .unwrap();
        assert_eq!(&wire[..], &by_hand[..], "{n}");
        let _ = wire.split_to(1);
        assert_eq!(c.decode(&mut wire).unwrap(), Some(v));
    }
}

/// Decoder errors leave the buffer as it was, and say the same thing when asked again;
/// frame error offsets count from the start of the stream.
#[test]
fn decode_errors_leave_the_buffer() {
    let mut c = RecordCodec::<u16>::new(Framing::U16.with_max_frame_len(4));
    let mut src = BytesMut::from(&[0, 2, 0, 1, 0, 9, 1, 2][..]);
    assert_eq!(c.decode(&mut src).unwrap(), Some(1));
    for _ in 0..2 {
        let err = c.decode(&mut src).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthLimit {
                offset: 4,
                len: 9,
                limit: 4
            }
        );
        assert_eq!(&src[..], [0, 9, 1, 2]);
    }
    // A frame of the wrong size for the record: the record layer's error, frame kept.
    let mut src = BytesMut::from(&[0, 3, 0, 1, 2][..]);
    let err = c.decode(&mut src).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::TrailingBytes {
            offset: 2,
            remaining: 1
        }
    );
    assert_eq!(src.len(), 5);
    let mut src = BytesMut::from(&[0, 1, 7][..]);
    let err = c.decode_eof(&mut src).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 2,
            available: 1
        }
    );
    assert_eq!(src.len(), 3);
    // Fixed(0) can never make progress.
    let mut f = FrameCodec::new(Framing::fixed(0));
    let err = f.decode(&mut BytesMut::from(&b"x"[..])).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::InvalidWidth { width: 0, .. }
    ));
}

fn framing_strategy() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::U16),
        Just(Framing::U32),
        Just(Framing::VARINT)
    ]
}

fn msg_strategy() -> impl Strategy<Value = Msg> {
    (
        any::<u16>(),
        "[a-z]{0,12}",
        proptest::collection::vec(any::<u8>(), 0..300),
        any::<Option<bool>>(),
    )
        .prop_map(|(id, name, data, flag)| Msg {
            id,
            name,
            data,
            flag,
        })
}

/// Feeds `wire` to a fresh codec in the chunks cut at `points`, decoding after each; returns
/// the records and how the stream ended.
fn decode_chunked(
    mut codec: RecordCodec<Msg>,
    wire: &[u8],
    points: &[usize],
) -> (Vec<Msg>, Result<(), Error>) {
    let mut src = BytesMut::new();
    let mut got = Vec::new();
    let mut from = 0;
    for &to in points.iter().chain([&wire.len()]) {
        src.extend_from_slice(&wire[from..to]);
        from = to;
        loop {
            match codec.decode(&mut src) {
                Ok(Some(m)) => got.push(m),
                Ok(None) => break,
                Err(e) => return (got, Err(e)),
            }
        }
    }
    loop {
        match codec.decode_eof(&mut src) {
            Ok(Some(m)) => got.push(m),
            Ok(None) => return (got, Ok(())),
            Err(e) => return (got, Err(e)),
        }
    }
}

fn cut_points(cuts: &[prop::sample::Index], len: usize) -> Vec<usize> {
    let mut points: Vec<usize> = cuts.iter().map(|i| i.index(len + 1)).collect();
    points.sort_unstable();
    points
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// However the stream is cut into chunks, the same records come out, and the end is clean.
    #[test]
    fn round_trip_through_any_chunking(
        framing in framing_strategy(),
        msgs in proptest::collection::vec(msg_strategy(), 0..20),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..30),
    ) {
        let mut enc = RecordCodec::<Msg>::new(framing);
        let mut wire = BytesMut::new();
        for m in &msgs {
            enc.encode(m, &mut wire).unwrap();
        }
        let points = cut_points(&cuts, wire.len());
        let (got, end) = decode_chunked(RecordCodec::new(framing), &wire, &points);
        prop_assert!(end.is_ok(), "{:?}", end);
        prop_assert_eq!(got, msgs);
    }

    /// A stream cut inside a frame: the whole records before the cut come out, then exactly
    /// `Truncated` with the bytes of the cut frame.
    #[test]
    fn a_cut_stream_is_truncated(
        framing in framing_strategy(),
        msgs in proptest::collection::vec(msg_strategy(), 1..8),
        cut in any::<prop::sample::Index>(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
    ) {
        let mut enc = RecordCodec::<Msg>::new(framing);
        let mut wire = BytesMut::new();
        let mut ends = Vec::new();
        for m in &msgs {
            enc.encode(m, &mut wire).unwrap();
            ends.push(wire.len());
        }
        let cut = cut.index(wire.len());
        let whole = ends.iter().filter(|&&e| e <= cut).count();
        let start = if whole == 0 { 0 } else { ends[whole - 1] };
        let points = cut_points(&cuts, cut);
        let (got, end) = decode_chunked(RecordCodec::new(framing), &wire[..cut], &points);
        prop_assert_eq!(&got[..], &msgs[..whole]);
        if cut == start {
            prop_assert!(end.is_ok());
        } else {
            let kind = end.unwrap_err().into_kind();
            let ErrorKind::Truncated { expected, received } = kind else {
                return Err(TestCaseError::fail(format!("{kind:?}")));
            };
            prop_assert_eq!(received, cut - start);
            let frame = ends[whole] - start;
            // Once the prefix is known, the whole frame; before, at least one byte more.
            prop_assert!(expected == frame || (expected > received && expected < frame));
        }
    }

    /// Raw frames: `FrameCodec` gives back exactly the payloads `encode_frame` framed.
    #[test]
    fn frame_codec_matches_encode_frame(
        framing in framing_strategy(),
        payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..400), 0..12),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..30),
    ) {
        let mut wire = Vec::new();
        let mut enc = FrameCodec::new(framing);
        let mut ours = BytesMut::new();
        for p in &payloads {
            encode_frame(framing, p, &mut wire).unwrap();
            enc.encode(&p[..], &mut ours).unwrap();
        }
        prop_assert_eq!(&ours[..], &wire[..]);
        let mut dec = FrameCodec::new(framing);
        let mut src = BytesMut::new();
        let mut got = Vec::new();
        let mut from = 0;
        for to in cut_points(&cuts, wire.len()).into_iter().chain([wire.len()]) {
            src.extend_from_slice(&wire[from..to]);
            from = to;
            while let Some(f) = dec.decode(&mut src).unwrap() {
                got.push(f.to_vec());
            }
        }
        prop_assert_eq!(dec.decode_eof(&mut src).unwrap(), None);
        prop_assert_eq!(got, payloads);
        prop_assert_eq!(dec.position(), wire.len());
    }
}
