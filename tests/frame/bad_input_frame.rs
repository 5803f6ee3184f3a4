//! The bad-input catalogue, layer 4: framing and transport. One table-driven test per class,
//! each asserting the exact error kind and its numbers: huge length prefixes, limit
//! boundaries (max and max + 1), bad varint prefixes, every proper prefix of a frame stream,
//! empty input, frames too long for the encoder's length field, and hostile records inside
//! well-formed frames.

use netorder::ErrorKind;
use netorder::frame::{
    DEFAULT_MAX_FRAME_LEN, Decoded, FrameDecoder, FrameSpan, Framing, FramingKind, decode_frame,
    encode_frame, encode_header,
};
use netorder::transport::{Conn, recv_exact, send_all};
use std::io::Cursor;

const ALL: [Framing; 4] = [
    Framing::U16,
    Framing::U32,
    Framing::VARINT,
    Framing::fixed(5),
];

fn kind<T: std::fmt::Debug>(r: netorder::Result<T>) -> ErrorKind {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.kind().clone(),
    }
}

/// Feeds all of `stream` (a decoder takes at most its buffer limit at a time) and takes frames
/// out until the stream is used up or an error: the frames and the error.
fn frames_until_error(d: &mut FrameDecoder, stream: &[u8]) -> (Vec<Vec<u8>>, Option<ErrorKind>) {
    let mut rest = stream;
    let mut frames = Vec::new();
    for _ in 0..=stream.len() {
        let took = d.feed(rest);
        rest = &rest[took..];
        loop {
            match d.next_frame() {
                Ok(Some(f)) => frames.push(f.to_vec()),
                Ok(None) => break,
                Err(e) => return (frames, Some(e.kind().clone())),
            }
        }
        if rest.is_empty() {
            break;
        }
    }
    (frames, None)
}

fn varint(v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    netorder::IntEncoding::Varint.encode(v, &mut out).unwrap();
    out
}

#[test]
fn huge_length_prefixes() {
    let default = DEFAULT_MAX_FRAME_LEN as u64;
    // (framing, prefix, announced length, limit, verdict with the default limit)
    let cases: Vec<(Framing, Vec<u8>, u64)> = vec![
        (Framing::U16, vec![0xff, 0xff], u64::from(u16::MAX)),
        (Framing::U32, vec![0xff; 4], u64::from(u32::MAX)),
        (
            Framing::VARINT,
            varint(u64::from(u16::MAX)),
            u64::from(u16::MAX),
        ),
        (
            Framing::VARINT,
            varint(u64::from(u32::MAX)),
            u64::from(u32::MAX),
        ),
        (Framing::VARINT, varint(u64::MAX), u64::MAX),
    ];
    for (framing, prefix, len) in cases {
        // A small limit: refused at once, before any allocation, with the numbers.
        let err = kind(decode_frame(framing.with_max_frame_len(1024), &prefix));
        assert_eq!(
            err,
            ErrorKind::LengthLimit {
                offset: 0,
                len,
                limit: 1024
            },
            "{framing:?} {len}"
        );
        // The default limit: over it is refused; under it is a frame that needs its bytes.
        let got = decode_frame(framing, &prefix);
        if len > default {
            assert_eq!(
                kind(got),
                ErrorKind::LengthLimit {
                    offset: 0,
                    len,
                    limit: default
                }
            );
        } else {
            assert_eq!(got.unwrap(), Decoded::Need(len as usize), "{framing:?}");
        }
        // The streaming decoder, after one good frame: the offset counts from the stream start,
        // the buffer never grows for the announced length, and the error is sticky.
        let mut d = FrameDecoder::new(framing.with_max_frame_len(1024));
        let mut stream = Vec::new();
        encode_frame(framing, b"ok", &mut stream).unwrap();
        let good = stream.len();
        stream.extend_from_slice(&prefix);
        d.feed(&stream);
        assert_eq!(d.next_frame().unwrap(), Some(&b"ok"[..]));
        let want = ErrorKind::LengthLimit {
            offset: good,
            len,
            limit: 1024,
        };
        assert_eq!(kind(d.next_frame()), want);
        assert_eq!(kind(d.next_frame()), want, "sticky");
        assert_eq!(kind(d.decode_eof()), want, "sticky at the end");
        assert!(d.capacity() <= 16 << 10, "capacity {}", d.capacity());
        // Through a connection.
        let mut conn = Conn::new(Cursor::new(stream), framing.with_max_frame_len(1024));
        assert_eq!(conn.recv_frame().unwrap(), Some(&b"ok"[..]));
        assert_eq!(kind(conn.recv_frame()), want);
    }
}

#[test]
fn frame_limit_boundaries() {
    for framing in [Framing::U16, Framing::U32, Framing::VARINT] {
        for max in [0usize, 1, 127, 128, 300] {
            let ok = vec![7u8; max];
            let mut stream = Vec::new();
            encode_frame(framing, &ok, &mut stream).unwrap();
            let first = stream.len();
            encode_frame(framing, &vec![7u8; max + 1], &mut stream).unwrap();
            let mut d = FrameDecoder::new(framing.with_max_frame_len(max));
            let (frames, err) = frames_until_error(&mut d, &stream);
            assert_eq!(frames, [ok], "{framing:?} {max}");
            assert_eq!(
                err,
                Some(ErrorKind::LengthLimit {
                    offset: first,
                    len: max as u64 + 1,
                    limit: max as u64
                }),
                "{framing:?} {max}"
            );
        }
    }
    // Fixed(n): n at the limit decodes; over the limit is refused up front.
    let mut d = FrameDecoder::new(Framing::fixed(4).with_max_frame_len(4));
    d.feed(b"abcd");
    assert_eq!(d.next_frame().unwrap(), Some(&b"abcd"[..]));
    assert_eq!(
        kind(decode_frame(
            Framing::fixed(5).with_max_frame_len(4),
            b"abcde"
        )),
        ErrorKind::LengthLimit {
            offset: 0,
            len: 5,
            limit: 4
        }
    );
    // Fixed(0) would repeat for ever.
    assert_eq!(
        kind(decode_frame(Framing::fixed(0).with_max_frame_len(4), b"")),
        ErrorKind::InvalidWidth {
            width: 0,
            min: 1,
            max: 4
        }
    );
}

#[test]
fn bad_varint_prefixes() {
    let overflow = ErrorKind::Overflow {
        offset: 0,
        bits: 64,
    };
    let cases: Vec<(Vec<u8>, ErrorKind)> = vec![
        (vec![0x80, 0x00], ErrorKind::Overlong { offset: 0, len: 2 }),
        (
            vec![0x85, 0x80, 0x00],
            ErrorKind::Overlong { offset: 0, len: 3 },
        ),
        ([&[0xff; 9][..], &[0x02]].concat(), overflow.clone()),
        ([&[0xff; 10][..], &[0x00]].concat(), overflow.clone()),
    ];
    for (prefix, want) in cases {
        assert_eq!(
            kind(decode_frame(
                Framing::VARINT.with_max_frame_len(1 << 20),
                &prefix
            )),
            want
        );
        // After a frame, the offset counts from the stream start.
        let mut stream = vec![1, b'x'];
        stream.extend_from_slice(&prefix);
        let mut d = FrameDecoder::new(Framing::VARINT);
        d.feed(&stream);
        assert_eq!(d.next_frame().unwrap(), Some(&b"x"[..]));
        let shifted = match want.clone() {
            ErrorKind::Overlong { len, .. } => ErrorKind::Overlong { offset: 2, len },
            ErrorKind::Overflow { bits, .. } => ErrorKind::Overflow { offset: 2, bits },
            other => other,
        };
        assert_eq!(kind(d.next_frame()), shifted);
    }
    // A prefix still being read is not an error: nine continuation bytes need a tenth.
    assert_eq!(
        decode_frame(Framing::VARINT.with_max_frame_len(1 << 20), &[0x80; 9]).unwrap(),
        Decoded::Need(1)
    );
}

#[test]
fn every_proper_prefix_of_a_frame_stream() {
    for framing in ALL {
        let payloads: Vec<Vec<u8>> = match framing.kind() {
            FramingKind::Fixed(n) => vec![vec![1; n], vec![2; n], vec![3; n]],
            _ => vec![vec![], vec![9; 200], b"abc".to_vec()],
        };
        let mut stream = Vec::new();
        let mut bounds = vec![0];
        for p in &payloads {
            encode_frame(framing, p, &mut stream).unwrap();
            bounds.push(stream.len());
        }
        for cut in 0..stream.len() {
            let mut d = FrameDecoder::new(framing);
            assert_eq!(d.feed(&stream[..cut]), cut);
            let mut n = 0;
            while d.next_frame().unwrap().is_some() {
                n += 1;
            }
            let start = bounds[n];
            assert!(start <= cut && cut < bounds[n + 1]);
            let received = cut - start;
            if received == 0 {
                // A cut at a frame boundary is a clean end.
                assert_eq!(d.decode_eof().unwrap(), None, "{framing:?} {cut}");
                continue;
            }
            let header = framing.header_len(payloads[n].len());
            let expected = if received < header {
                match framing.kind() {
                    FramingKind::Varint => received + 1,
                    _ => header,
                }
            } else {
                bounds[n + 1] - start
            };
            assert_eq!(
                kind(d.decode_eof()),
                ErrorKind::Truncated { expected, received },
                "{framing:?} cut {cut}"
            );
            // The one-shot decoder says how many more bytes, exactly once the prefix is known.
            match decode_frame(framing, &stream[start..cut]).unwrap() {
                Decoded::Need(k) => {
                    assert!(k >= 1);
                    if received >= header {
                        assert_eq!(k, bounds[n + 1] - cut, "{framing:?} cut {cut}");
                    }
                }
                Decoded::Frame(span) => panic!("{framing:?} cut {cut}: frame {span:?}"),
            }
        }
    }
}

#[test]
fn empty_and_zero_length() {
    for framing in ALL {
        let mut d = FrameDecoder::new(framing);
        assert_eq!(d.decode_eof().unwrap(), None, "{framing:?}");
        let need = match framing.kind() {
            FramingKind::U16 => 2,
            FramingKind::U32 => 4,
            FramingKind::Varint => 1,
            FramingKind::Fixed(n) => n,
            _ => unreachable!("a framing this test does not know"),
        };
        assert_eq!(
            decode_frame(framing.with_max_frame_len(64), &[]).unwrap(),
            Decoded::Need(need),
            "{framing:?}"
        );
        let mut conn = Conn::new(Cursor::new(Vec::new()), framing);
        assert_eq!(conn.recv_frame().unwrap(), None);
    }
    // Zero-length frames are frames.
    for (framing, bytes) in [
        (Framing::U16, vec![0, 0]),
        (Framing::U32, vec![0, 0, 0, 0]),
        (Framing::VARINT, vec![0]),
    ] {
        assert_eq!(
            decode_frame(framing.with_max_frame_len(0), &bytes).unwrap(),
            Decoded::Frame(FrameSpan {
                payload: bytes.len()..bytes.len(),
                consumed: bytes.len()
            })
        );
    }
    // recv_exact and send_all with nothing to move.
    let mut none: &[u8] = &[];
    assert!(recv_exact(&mut none, &mut []).unwrap());
    assert!(!recv_exact(&mut none, &mut [0; 4]).unwrap());
    send_all(&mut Vec::new(), &[]).unwrap();
}

#[test]
fn encoders_refuse_frames_too_long_for_their_length_field() {
    let cases: Vec<(Framing, usize, ErrorKind)> = vec![
        (
            Framing::U16,
            65_536,
            ErrorKind::FrameTooLong {
                len: 65_536,
                max: 65_535,
            },
        ),
        // With no maximum frame length, the length field's reach is the limit...
        (
            Framing::U32.with_max_frame_len(usize::MAX),
            1 << 32,
            ErrorKind::FrameTooLong {
                len: 1 << 32,
                max: u64::from(u32::MAX),
            },
        ),
        // ...and with the default one (16 MiB), the smaller of the two.
        (
            Framing::U32,
            1 << 32,
            ErrorKind::FrameTooLong {
                len: 1 << 32,
                max: 16 << 20,
            },
        ),
        (
            Framing::U32.with_max_frame_len(usize::MAX),
            usize::MAX,
            ErrorKind::FrameTooLong {
                len: u64::MAX,
                max: u64::from(u32::MAX),
            },
        ),
        (
            Framing::fixed(5),
            6,
            ErrorKind::LengthMismatch {
                expected: 5,
                actual: 6,
            },
        ),
        (
            Framing::fixed(5),
            4,
            ErrorKind::LengthMismatch {
                expected: 5,
                actual: 4,
            },
        ),
    ];
    for (framing, len, want) in cases {
        let mut out = vec![0xAA];
        assert_eq!(
            kind(encode_header(framing, len, &mut out)),
            want,
            "{framing:?}"
        );
        assert_eq!(out, [0xAA], "untouched");
    }
    // Max fits; max + 1 does not, with a real payload.
    let mut out = Vec::new();
    assert_eq!(
        encode_frame(Framing::U16, &vec![0; 65_535], &mut out).unwrap(),
        65_537
    );
    let before = out.len();
    assert_eq!(
        kind(encode_frame(Framing::U16, &vec![0; 65_536], &mut out)),
        ErrorKind::FrameTooLong {
            len: 65_536,
            max: 65_535
        }
    );
    assert_eq!(out.len(), before);
    // A connection refuses to send a frame or record over its own limit, and queues nothing.
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U32.with_max_frame_len(8));
    assert_eq!(
        kind(conn.send_frame(&[0; 9])),
        ErrorKind::FrameTooLong { len: 9, max: 8 }
    );
    assert_eq!(
        kind(conn.send(&[0u8; 9])),
        ErrorKind::FrameTooLong { len: 9, max: 8 }
    );
    assert_eq!(conn.pending_write(), 0);
    let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16);
    assert_eq!(
        kind(conn.send_frame(&vec![0; 65_536])),
        ErrorKind::FrameTooLong {
            len: 65_536,
            max: 65_535
        }
    );
}

#[test]
fn hostile_records_inside_good_frames() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Rec {
        id: u16,
        ok: bool,
        name: String,
    }
    let frame = |payload: &[u8]| {
        let mut out = Vec::new();
        encode_frame(Framing::U16, payload, &mut out).unwrap();
        out
    };
    let good = [&[0, 7, 1][..], &8u64.to_be_bytes(), b"abcdefgh"].concat();
    let cases: Vec<(Vec<u8>, ErrorKind)> = vec![
        (
            [&[0, 7, 2][..], &0u64.to_be_bytes()].concat(),
            ErrorKind::InvalidBool { offset: 2, byte: 2 },
        ),
        (
            [&[0, 7, 1][..], &u64::MAX.to_be_bytes()].concat(),
            ErrorKind::LengthLimit {
                offset: 3,
                len: u64::MAX,
                limit: 16 << 20,
            },
        ),
        (
            [&[0, 7, 1][..], &9u64.to_be_bytes(), b"abcdefgh"].concat(),
            ErrorKind::Incomplete {
                offset: 11,
                needed: 9,
                available: 8,
            },
        ),
        (
            [&good[..], &[0]].concat(),
            ErrorKind::TrailingBytes {
                offset: good.len(),
                remaining: 1,
            },
        ),
        (
            [&[0, 7, 1][..], &1u64.to_be_bytes(), &[0xff]].concat(),
            ErrorKind::InvalidUtf8 {
                offset: 11,
                valid_up_to: 0,
            },
        ),
    ];
    for (payload, want) in cases {
        let stream = [frame(&good), frame(&payload), frame(&good)].concat();
        let mut conn = Conn::new(Cursor::new(stream), Framing::U16);
        assert_eq!(
            conn.recv::<Rec>().unwrap(),
            Some(Rec {
                id: 7,
                ok: true,
                name: "abcdefgh".into()
            })
        );
        // Offsets count from the start of the frame's payload.
        assert_eq!(kind(conn.recv::<Rec>()), want);
    }
}
