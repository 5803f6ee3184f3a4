//! The sans-IO framing layer: golden bytes, boundary tables, properties (any chunking, every
//! truncation point, hostile prefixes) and cross-checks against tokio-util and prost.

use netorder::ErrorKind;
use netorder::frame::{
    DEFAULT_MAX_FRAME_LEN, Decoded, FrameDecoder, FrameSpan, Framing, FramingKind, decode_frame,
    encode_frame, encode_header,
};
use proptest::prelude::*;

/// Encodes every payload with `framing`.
fn encode_all(framing: Framing, payloads: &[Vec<u8>]) -> Vec<u8> {
    let mut wire = Vec::new();
    for p in payloads {
        encode_frame(framing, p, &mut wire).unwrap();
    }
    wire
}

/// Feeds `chunks` one after the other, taking every frame; then the end of input.
fn decode_chunks<'a>(
    framing: Framing,
    max: usize,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<Vec<u8>>, netorder::Result<()>) {
    let mut decoder = FrameDecoder::new(framing.with_max_frame_len(max));
    let mut frames = Vec::new();
    for chunk in chunks {
        let mut rest = chunk;
        // Each pass either takes bytes or frames; bounded by the bytes in the chunk.
        for _ in 0..=2 * chunk.len() + 1 {
            let took = decoder.feed(rest);
            rest = &rest[took..];
            loop {
                match decoder.next_frame() {
                    Ok(Some(f)) => frames.push(f.to_vec()),
                    Ok(None) => break,
                    Err(e) => return (frames, Err(e)),
                }
            }
            assert!(decoder.capacity() <= decoder.buffer_limit());
            if rest.is_empty() {
                break;
            }
        }
        assert!(rest.is_empty(), "feed made no progress");
    }
    loop {
        match decoder.decode_eof() {
            Ok(Some(f)) => frames.push(f.to_vec()),
            Ok(None) => return (frames, Ok(())),
            Err(e) => return (frames, Err(e)),
        }
    }
}

#[test]
fn golden_bytes_of_each_framing() {
    let cases: [(Framing, &[u8], &[u8]); 8] = [
        (Framing::U16, b"", b"\x00\x00"),
        (Framing::U16, b"abc", b"\x00\x03abc"),
        (Framing::U32, b"", b"\x00\x00\x00\x00"),
        (Framing::U32, b"abc", b"\x00\x00\x00\x03abc"),
        (Framing::VARINT, b"", b"\x00"),
        (Framing::VARINT, b"abc", b"\x03abc"),
        (Framing::fixed(3), b"abc", b"abc"),
        (Framing::fixed(1), b"\xFF", b"\xFF"),
    ];
    for (framing, payload, wire) in cases {
        let mut out = Vec::new();
        assert_eq!(
            encode_frame(framing, payload, &mut out).unwrap(),
            wire.len()
        );
        assert_eq!(out, wire, "{framing}");
        let span = FrameSpan {
            payload: wire.len() - payload.len()..wire.len(),
            consumed: wire.len(),
        };
        assert_eq!(
            decode_frame(framing.with_max_frame_len(1024), wire).unwrap(),
            Decoded::Frame(span)
        );
    }
    // Varint lengths on the 7-bit boundaries.
    let mut out = Vec::new();
    for (len, prefix) in [
        (127usize, &[0x7F][..]),
        (128, &[0x80, 0x01]),
        (300, &[0xAC, 0x02]),
        (16_383, &[0xFF, 0x7F]),
        (16_384, &[0x80, 0x80, 0x01]),
    ] {
        out.clear();
        assert_eq!(
            encode_header(Framing::VARINT, len, &mut out).unwrap(),
            prefix.len()
        );
        assert_eq!(out, prefix, "{len}");
        assert_eq!(Framing::VARINT.header_len(len), prefix.len());
    }
}

#[test]
fn length_field_boundaries_never_wrap() {
    // (framing, len, Ok(header) or Err(max))
    // No maximum frame length: the length field is the only limit.
    let unlimited = |f: Framing| f.with_max_frame_len(usize::MAX);
    let table: [(Framing, usize, Result<usize, u64>); 9] = [
        (Framing::U16, 0, Ok(2)),
        (Framing::U16, 1, Ok(2)),
        (Framing::U16, 65_535, Ok(2)),
        (Framing::U16, 65_536, Err(65_535)),
        (Framing::U16, 70_000, Err(65_535)),
        (unlimited(Framing::U32), u32::MAX as usize, Ok(4)),
        // The default maximum frame length (16 MiB) is below the u32 field's reach.
        (Framing::U32, 16 << 20, Ok(4)),
        (Framing::U32, (16 << 20) + 1, Err(16 << 20)),
        // And a maximum above the u16 field's reach leaves the field the limit.
        (
            Framing::U16.with_max_frame_len(1 << 20),
            65_536,
            Err(65_535),
        ),
    ];
    for (framing, len, expected) in table {
        let mut out = vec![9];
        match expected {
            Ok(header) => {
                assert_eq!(encode_header(framing, len, &mut out).unwrap(), header);
                assert_eq!(out.len(), 1 + header);
            }
            Err(max) => {
                let err = encode_header(framing, len, &mut out).unwrap_err();
                assert_eq!(
                    err.kind(),
                    &ErrorKind::FrameTooLong {
                        len: len as u64,
                        max
                    }
                );
                assert_eq!(out, [9], "untouched");
            }
        }
    }
    #[cfg(target_pointer_width = "64")]
    {
        let len = u32::MAX as usize + 1;
        let err = encode_header(unlimited(Framing::U32), len, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::FrameTooLong {
                len: len as u64,
                max: u32::MAX.into()
            }
        );
    }
    // The brief's example, through encode_frame with a real 70 000-byte payload.
    let mut out = Vec::new();
    let err = encode_frame(Framing::U16, &vec![1; 70_000], &mut out).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::FrameTooLong {
            len: 70_000,
            max: 65_535
        }
    );
    assert!(out.is_empty());
    // Fixed: exactly n bytes.
    for (n, len) in [(4, 3), (4, 5), (1, 0)] {
        let err = encode_frame(Framing::fixed(n), &vec![0; len], &mut out).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthMismatch {
                expected: n,
                actual: len
            }
        );
    }
}

#[test]
fn max_frame_len_boundary_table() {
    // (announced length, limit, accepted?)
    for (len, limit, ok) in [
        (0u16, 0usize, true),
        (1, 0, false),
        (5, 5, true),
        (6, 5, false),
        (65_535, 65_535, true),
    ] {
        let wire = len.to_be_bytes();
        let got = decode_frame(Framing::U16.with_max_frame_len(limit), &wire);
        if ok {
            let need = usize::from(len);
            let expected = if need == 0 {
                Decoded::Frame(FrameSpan {
                    payload: 2..2,
                    consumed: 2,
                })
            } else {
                Decoded::Need(need)
            };
            assert_eq!(got.unwrap(), expected);
        } else {
            assert_eq!(
                got.unwrap_err().kind(),
                &ErrorKind::LengthLimit {
                    offset: 0,
                    len: len.into(),
                    limit: limit as u64
                }
            );
        }
    }
    // Fixed(n) over the limit, and Fixed(0).
    assert_eq!(
        decode_frame(Framing::fixed(9).with_max_frame_len(8), b"")
            .unwrap_err()
            .kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 9,
            limit: 8
        }
    );
    assert_eq!(
        decode_frame(Framing::fixed(0).with_max_frame_len(8), b"abc")
            .unwrap_err()
            .kind(),
        &ErrorKind::InvalidWidth {
            width: 0,
            min: 1,
            max: 8
        }
    );
}

#[test]
fn need_counts_are_exact_once_the_prefix_is_known() {
    let wire = b"\x00\x00\x00\x05hello";
    let expected_need = [4, 3, 2, 1, 5, 4, 3, 2, 1];
    for (cut, need) in expected_need.iter().enumerate() {
        assert_eq!(
            decode_frame(Framing::U32.with_max_frame_len(64), &wire[..cut]).unwrap(),
            Decoded::Need(*need),
            "cut {cut}"
        );
    }
    // A cut varint prefix: at least one more byte.
    assert_eq!(
        decode_frame(Framing::VARINT.with_max_frame_len(1 << 20), &[0x80, 0x80]).unwrap(),
        Decoded::Need(1)
    );
}

#[test]
fn hostile_prefixes_are_refused_before_any_allocation() {
    let limit = 64;
    for (framing, wire, len) in [
        (Framing::U32, &[0xFF, 0xFF, 0xFF, 0xFF][..], 0xFFFF_FFFFu64),
        (Framing::U16, &[0xFF, 0xFF], 0xFFFF),
        (
            Framing::VARINT,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
            0xFFFF_FFFF,
        ),
        (
            Framing::VARINT,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            u64::MAX,
        ),
    ] {
        let mut decoder = FrameDecoder::new(framing.with_max_frame_len(limit));
        assert_eq!(decoder.feed(wire), wire.len());
        let err = decoder.decode().unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthLimit {
                offset: 0,
                len,
                limit: limit as u64
            }
        );
        assert!(
            decoder.capacity() <= decoder.buffer_limit(),
            "{}",
            decoder.capacity()
        );
        // Sticky: the same answer again, and at the end of input.
        assert_eq!(decoder.decode().unwrap_err(), err);
        assert_eq!(decoder.decode_eof().unwrap_err(), err);
    }
    // With the default 16 MiB limit, `FF FF FF FF` is still over it, and nothing is reserved.
    let mut decoder = FrameDecoder::new(Framing::U32);
    decoder.feed(&[0xFF; 4]);
    assert_eq!(
        decoder.decode().unwrap_err().kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 0xFFFF_FFFF,
            limit: DEFAULT_MAX_FRAME_LEN as u64
        }
    );
    assert!(decoder.capacity() <= 8 << 10);
}

#[test]
fn a_large_allowed_announcement_costs_only_what_arrives() {
    // 16 MiB announced (allowed), 4 + 10 bytes sent: the buffer stays small.
    let mut decoder = FrameDecoder::new(Framing::U32);
    let room = decoder.unfilled();
    room[..4].copy_from_slice(&(16u32 << 20).to_be_bytes());
    decoder.filled(4);
    assert_eq!(decoder.decode().unwrap(), Decoded::Need(16 << 20));
    let room = decoder.unfilled();
    assert!(room.len() <= 16 << 10, "{}", room.len());
    room[..10].fill(7);
    decoder.filled(10);
    assert!(decoder.capacity() <= 16 << 10);
    assert_eq!(
        decoder.decode_eof().unwrap_err().kind(),
        &ErrorKind::Truncated {
            expected: 4 + (16 << 20),
            received: 14
        }
    );
}

#[test]
fn bad_varint_prefixes_name_their_stream_offset() {
    let mut decoder = FrameDecoder::new(Framing::VARINT);
    decoder.feed(b"\x01a\x02bc\x80\x00");
    assert_eq!(decoder.next_frame().unwrap(), Some(&b"a"[..]));
    assert_eq!(decoder.next_frame().unwrap(), Some(&b"bc"[..]));
    assert_eq!(
        decoder.next_frame().unwrap_err().kind(),
        &ErrorKind::Overlong { offset: 5, len: 2 }
    );

    let mut decoder = FrameDecoder::new(Framing::VARINT);
    decoder.feed(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]);
    assert_eq!(
        decoder.decode().unwrap_err().kind(),
        &ErrorKind::Overflow {
            offset: 0,
            bits: 64
        }
    );
}

#[test]
fn truncation_counts_for_each_framing() {
    // (framing, bytes, expected, received)
    let table: [(Framing, &[u8], usize, usize); 7] = [
        (Framing::fixed(8), b"abc", 8, 3),
        (Framing::U16, b"\x00", 2, 1),
        (Framing::U16, b"\x00\x05ab", 7, 4),
        (Framing::U32, b"\x00\x00\x00", 4, 3),
        (Framing::U32, b"\x00\x00\x01\x00", 260, 4),
        (Framing::VARINT, b"\x80", 2, 1),
        (Framing::VARINT, b"\x80\x01abc", 130, 5),
    ];
    for (framing, bytes, expected, received) in table {
        let mut decoder = FrameDecoder::new(framing);
        decoder.feed(bytes);
        assert_eq!(decoder.next_frame().unwrap(), None);
        assert_eq!(
            decoder.decode_eof().unwrap_err().kind(),
            &ErrorKind::Truncated { expected, received },
            "{framing}"
        );
    }
}

#[test]
fn framing_names() {
    for (name, framing) in [
        ("u16", Framing::U16),
        ("u32", Framing::U32),
        ("varint", Framing::VARINT),
        ("fixed:12", Framing::fixed(12)),
        ("lines", Framing::LINES),
        ("crlf", Framing::delimited(b"\r\n").unwrap()),
        ("delim:00ff", Framing::delimited(b"\0\xff").unwrap()),
        (
            "u24le",
            Framing::length_delimited()
                .length_field_length(3)
                .little_endian()
                .max_frame_length(DEFAULT_MAX_FRAME_LEN)
                .build()
                .unwrap(),
        ),
        (
            "u16be,offset=1,adjust=-3,skip=4",
            Framing::length_delimited()
                .length_field_offset(1)
                .length_field_length(2)
                .length_adjustment(-3)
                .num_skip(4)
                .max_frame_length(DEFAULT_MAX_FRAME_LEN)
                .build()
                .unwrap(),
        ),
        (
            "u32+internet",
            Framing::U32.with_checksum(netorder::frame::Checksum::Internet),
        ),
    ] {
        assert_eq!(name.parse::<Framing>().unwrap(), framing);
        assert_eq!(framing.to_string(), name);
        assert_eq!(Framing::from_name(name, 99).unwrap(), framing);
    }
    assert_eq!(Framing::from_name("fixed", 7).unwrap(), Framing::fixed(7));
    // (`u64` is a general length field since issue 17; `u12` is no width in bytes.)
    for bad in [
        "fixed", "U16", "u12", "", "fixed:", "fixed:x", "fixed:-1", "u16+md5", "delim:0", "u8,x=1",
    ] {
        let err = bad.parse::<Framing>().unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::BadFraming { name, .. } if &**name == bad),
            "{bad}"
        );
        // The message names the text and what is accepted.
        assert_eq!(
            err.to_string(),
            format!(
                "bad framing `{bad}` (accepted: fixed:N, u16, u32, varint, \
                 uBITS[be|le][,offset=N][,adjust=N][,skip=N] with BITS 8 to 64, lines, crlf, \
                 delim:HEX; each with an optional +crc32c, +crc32 or +internet)"
            )
        );
        assert!(
            Framing::from_name(bad, 7).is_err() || bad == "fixed",
            "{bad}"
        );
    }
    // The limit is not part of the name.
    let limited = Framing::U32.with_max_frame_len(9);
    assert_eq!(limited.to_string(), "u32");
    assert_ne!(limited.to_string().parse::<Framing>().unwrap(), limited);
}

#[test]
fn cross_check_u32_framing_with_tokio_util() {
    use bytes::BytesMut;
    use tokio_util::codec::{Decoder, Encoder, LengthDelimitedCodec};

    let payloads: Vec<Vec<u8>> = (0..50u8).map(|i| vec![i; usize::from(i) * 13]).collect();
    // Ours → tokio.
    let wire = encode_all(Framing::U32, &payloads);
    let mut codec = LengthDelimitedCodec::new();
    let mut buf = BytesMut::from(&wire[..]);
    let mut theirs = Vec::new();
    while let Some(frame) = codec.decode(&mut buf).unwrap() {
        theirs.push(frame.to_vec());
    }
    assert_eq!(theirs, payloads);
    // Tokio → ours.
    let mut out = BytesMut::new();
    for p in &payloads {
        codec
            .encode(bytes::Bytes::from(p.clone()), &mut out)
            .unwrap();
    }
    assert_eq!(&out[..], &wire[..]);
    let (frames, end) = decode_chunks(Framing::U32, 1 << 20, [&out[..]]);
    assert_eq!(frames, payloads);
    end.unwrap();
    // U16 against tokio's 2-byte prefix.
    let mut codec = LengthDelimitedCodec::builder()
        .length_field_length(2)
        .new_codec();
    let mut out = BytesMut::new();
    for p in &payloads {
        codec
            .encode(bytes::Bytes::from(p.clone()), &mut out)
            .unwrap();
    }
    assert_eq!(&out[..], &encode_all(Framing::U16, &payloads)[..]);
}

#[test]
fn cross_check_varint_framing_with_prost() {
    let payloads: Vec<Vec<u8>> = [0usize, 1, 127, 128, 300, 16_383, 16_384, 70_000]
        .iter()
        .map(|&n| vec![0xA5; n])
        .collect();
    let mut theirs = Vec::new();
    for p in &payloads {
        prost::encoding::encode_length_delimiter(p.len(), &mut theirs).unwrap();
        theirs.extend_from_slice(p);
    }
    assert_eq!(encode_all(Framing::VARINT, &payloads), theirs);
    let (frames, end) = decode_chunks(Framing::VARINT, 1 << 20, [&theirs[..]]);
    assert_eq!(frames, payloads);
    end.unwrap();
}

fn framing_strategy() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::U16),
        Just(Framing::U32),
        Just(Framing::VARINT),
        (1usize..40).prop_map(Framing::fixed),
    ]
}

/// A framing and payloads valid for it.
fn stream_strategy() -> impl Strategy<Value = (Framing, Vec<Vec<u8>>)> {
    framing_strategy().prop_flat_map(|framing| {
        let payload = match framing.kind() {
            FramingKind::Fixed(n) => proptest::collection::vec(any::<u8>(), n).boxed(),
            _ => prop_oneof![
                4 => proptest::collection::vec(any::<u8>(), 0..40),
                1 => proptest::collection::vec(any::<u8>(), 100..400),
            ]
            .boxed(),
        };
        (Just(framing), proptest::collection::vec(payload, 0..12))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// However the stream is cut into chunks, the same frames come out, and the end is clean.
    #[test]
    fn any_chunking_gives_the_same_frames(
        (framing, payloads) in stream_strategy(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let wire = encode_all(framing, &payloads);
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(wire.len() + 1)).collect();
        points.push(0);
        points.push(wire.len());
        points.sort_unstable();
        let chunks: Vec<&[u8]> = points.windows(2).map(|w| &wire[w[0]..w[1]]).collect();
        let (frames, end) = decode_chunks(framing, 1024, chunks);
        prop_assert_eq!(&frames, &payloads);
        prop_assert!(end.is_ok());
        // And byte by byte.
        let (frames, end) = decode_chunks(framing, 1024, wire.chunks(1));
        prop_assert_eq!(&frames, &payloads);
        prop_assert!(end.is_ok());
    }

    /// Cut anywhere: the whole frames before the cut come out, then a clean end exactly at
    /// frame boundaries and otherwise `Truncated` with the frame's size and the bytes that came.
    #[test]
    fn every_truncation_point_is_reported_exactly((framing, payloads) in stream_strategy()) {
        let wire = encode_all(framing, &payloads);
        let mut boundaries = vec![0usize];
        for p in &payloads {
            let prev = *boundaries.last().unwrap();
            boundaries.push(prev + framing.header_len(p.len()) + p.len());
        }
        for cut in 0..=wire.len() {
            let (frames, end) = decode_chunks(framing, 1024, [&wire[..cut]]);
            let whole = boundaries.iter().filter(|&&b| b <= cut).count() - 1;
            prop_assert_eq!(&frames[..], &payloads[..whole]);
            if boundaries.contains(&cut) {
                prop_assert!(end.is_ok());
            } else {
                let start = boundaries[whole];
                let p = &payloads[whole];
                let full = framing.header_len(p.len()) + p.len();
                let received = cut - start;
                let header = framing.header_len(p.len());
                let expected = if received >= header {
                    full
                } else {
                    match framing.kind() {
                        // Only the next varint byte is known to be needed.
                        FramingKind::Varint => received + 1,
                        _ => header,
                    }
                };
                let err = end.unwrap_err();
                prop_assert_eq!(err.kind(), &ErrorKind::Truncated { expected, received });
            }
        }
    }

    /// Random bytes never panic, the buffer stays within its limit, and whatever comes out
    /// before an error re-encodes to a prefix of the input.
    #[test]
    fn random_bytes_are_safe(
        framing in framing_strategy(),
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        max in 0usize..64,
    ) {
        let framing = match framing.kind() {
            FramingKind::Fixed(n) => Framing::fixed(n.min(max.max(1))),
            _ => framing,
        };
        let (frames, _end) = decode_chunks(framing, max.max(1), bytes.chunks(7));
        let again = encode_all(framing, &frames);
        prop_assert_eq!(&bytes[..again.len()], &again[..]);
    }

    /// The pure decoder agrees with the buffered one on any input's first frame.
    #[test]
    fn decode_frame_matches_decoder((framing, payloads) in stream_strategy()) {
        let wire = encode_all(framing, &payloads);
        match decode_frame(framing.with_max_frame_len(1024), &wire).unwrap() {
            Decoded::Frame(span) => prop_assert_eq!(&wire[span.payload], &payloads[0][..]),
            Decoded::Need(n) => {
                prop_assert!(payloads.is_empty());
                prop_assert!(n >= 1);
            }
        }
    }
}
