//! General length fields against tokio-util's `LengthDelimitedCodec`: every example of its
//! `length_delimited` module docs, and a property test running both side by side on random
//! configurations, payloads, chunkings and hostile lengths (same bytes out; same frames,
//! errors and "need more" answers in).

use bytes::BytesMut;
use netorder::ErrorKind;
use netorder::frame::{Decoded, FrameDecoder, Framing, decode_frame, encode_frame};
use proptest::prelude::*;
use tokio_util::codec::length_delimited::Builder;
use tokio_util::codec::{Decoder, Encoder, LengthDelimitedCodec};

/// A configuration, applied to both builders.
#[derive(Debug, Clone, Copy)]
struct Config {
    offset: usize,
    width: usize,
    adjustment: isize,
    num_skip: Option<usize>,
    little: bool,
    max: usize,
}

impl Config {
    fn tokio(&self) -> LengthDelimitedCodec {
        let mut b = Builder::new();
        b.length_field_offset(self.offset)
            .length_field_length(self.width)
            .length_adjustment(self.adjustment)
            .max_frame_length(self.max);
        if let Some(n) = self.num_skip {
            b.num_skip(n);
        }
        if self.little {
            b.little_endian();
        }
        b.new_codec()
    }

    fn netorder(&self) -> netorder::Result<Framing> {
        let mut b = Framing::length_delimited()
            .length_field_offset(self.offset)
            .length_field_length(self.width)
            .length_adjustment(self.adjustment)
            .max_frame_length(self.max);
        if let Some(n) = self.num_skip {
            b = b.num_skip(n);
        }
        if self.little {
            b = b.little_endian();
        }
        b.build()
    }
}

/// What a decoder said, one answer at a time: frames, then an error or nothing.
#[derive(Debug, PartialEq)]
enum Answer {
    Frame(Vec<u8>),
    Error,
}

/// tokio-util's answers for `input` fed in `chunks`; and whether it ends holding nothing.
fn tokio_answers(mut codec: LengthDelimitedCodec, input: &[u8], chunks: &[usize]) -> Vec<Answer> {
    let mut buf = BytesMut::new();
    let mut answers = Vec::new();
    for chunk in chunked(input, chunks) {
        buf.extend_from_slice(chunk);
        loop {
            let before = buf.len();
            match codec.decode(&mut buf) {
                Ok(Some(frame)) if frame.is_empty() && buf.len() == before && before > 0 => {
                    // An empty frame that consumed nothing: tokio-util would yield it for
                    // ever; netorder refuses it (LengthAdjustment).
                    answers.push(Answer::Error);
                    return answers;
                }
                Ok(Some(frame)) => answers.push(Answer::Frame(frame.to_vec())),
                Ok(None) => break,
                Err(_) => {
                    answers.push(Answer::Error);
                    return answers;
                }
            }
        }
    }
    answers
}

/// netorder's answers for the same, through `FrameDecoder`.
fn netorder_answers(framing: Framing, input: &[u8], chunks: &[usize]) -> Vec<Answer> {
    let mut decoder = FrameDecoder::new(framing);
    let mut answers = Vec::new();
    for chunk in chunked(input, chunks) {
        let mut rest = chunk;
        while !rest.is_empty() {
            let took = decoder.feed(rest);
            rest = &rest[took..];
            loop {
                match decoder.next_frame() {
                    Ok(Some(f)) => answers.push(Answer::Frame(f.to_vec())),
                    Ok(None) => break,
                    Err(_) => {
                        answers.push(Answer::Error);
                        return answers;
                    }
                }
            }
            assert!(took > 0 || decoder.buffered() < decoder.buffer_limit());
        }
    }
    answers
}

/// `input` cut into pieces of the sizes in `chunks` (cycled; empty: one piece).
fn chunked<'a>(mut input: &'a [u8], chunks: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while !input.is_empty() {
        let n = chunks
            .get(i % chunks.len().max(1))
            .copied()
            .unwrap_or(input.len())
            .max(1);
        let (a, b) = input.split_at(n.min(input.len()));
        out.push(a);
        input = b;
        i += 1;
    }
    out
}

/// Decodes one frame of `input` with both, in one piece: the payload.
fn both_decode(config: Config, input: &[u8]) -> Vec<u8> {
    let mut buf = BytesMut::from(input);
    let tokio = config.tokio().decode(&mut buf).unwrap().unwrap().to_vec();
    let framing = config.netorder().unwrap();
    let Decoded::Frame(span) = decode_frame(framing, input).unwrap() else {
        panic!("no frame")
    };
    assert_eq!(span.consumed, input.len());
    assert_eq!(input[span.payload.clone()], tokio[..]);
    tokio
}

const DEFAULT: Config = Config {
    offset: 0,
    width: 4,
    adjustment: 0,
    num_skip: None,
    little: false,
    max: 8 << 20,
};

#[test]
fn docs_getting_started_u32_big_endian() {
    // `LengthDelimitedCodec::new()`: "hello world" after \x00\x00\x00\x0b.
    let mut tokio = BytesMut::new();
    LengthDelimitedCodec::new()
        .encode(&b"hello world"[..], &mut tokio)
        .unwrap();
    let mut ours = Vec::new();
    encode_frame(DEFAULT.netorder().unwrap(), b"hello world", &mut ours).unwrap();
    assert_eq!(ours, b"\x00\x00\x00\x0bhello world");
    assert_eq!(ours, tokio.to_vec());
    assert_eq!(both_decode(DEFAULT, &ours), b"hello world");
}

#[test]
fn docs_example_1_u16_head_omitted() {
    let c = Config {
        width: 2,
        ..DEFAULT
    };
    assert_eq!(both_decode(c, b"\x00\x0BHello world"), b"Hello world");
}

#[test]
fn docs_example_2_u16_head_included() {
    let c = Config {
        width: 2,
        adjustment: 2,
        num_skip: Some(0),
        ..DEFAULT
    };
    assert_eq!(
        both_decode(c, b"\x00\x0BHello world"),
        b"\x00\x0BHello world"
    );
}

#[test]
fn docs_example_3_length_counts_the_head() {
    let c = Config {
        width: 2,
        adjustment: -2,
        ..DEFAULT
    };
    assert_eq!(both_decode(c, b"\x00\x0DHello world"), b"Hello world");
}

#[test]
fn docs_example_4_u24_in_a_5_byte_head() {
    let c = Config {
        width: 3,
        adjustment: 5,
        num_skip: Some(0),
        ..DEFAULT
    };
    let input = b"\x00\x00\x0B\xCA\xFEHello world";
    assert_eq!(both_decode(c, input), input);
}

#[test]
fn docs_example_5_field_in_the_middle() {
    let c = Config {
        offset: 1,
        width: 2,
        adjustment: 1,
        num_skip: Some(3),
        ..DEFAULT
    };
    assert_eq!(
        both_decode(c, b"\xCA\x00\x0B\xFEHello world"),
        b"\xFEHello world"
    );
}

#[test]
fn docs_example_6_field_in_the_middle_counting_the_head() {
    let c = Config {
        offset: 1,
        width: 2,
        adjustment: -3,
        num_skip: Some(3),
        ..DEFAULT
    };
    assert_eq!(
        both_decode(c, b"\xCA\x00\x0F\xFEHello world"),
        b"\xFEHello world"
    );
}

#[test]
fn docs_example_7_unused_byte_after_the_field() {
    let c = Config {
        width: 3,
        num_skip: Some(4),
        ..DEFAULT
    };
    assert_eq!(
        both_decode(c, b"\x00\x00\x0B\xFFHello world"),
        b"Hello world"
    );
}

#[test]
fn docs_encoding_u16() {
    let c = Config {
        width: 2,
        ..DEFAULT
    };
    let mut tokio = BytesMut::new();
    c.tokio().encode(&b"hello world"[..], &mut tokio).unwrap();
    let mut ours = Vec::new();
    encode_frame(c.netorder().unwrap(), b"hello world", &mut ours).unwrap();
    assert_eq!(ours, b"\x00\x0bhello world");
    assert_eq!(ours, tokio.to_vec());
}

#[test]
fn the_encoder_ignores_offset_and_num_skip_as_tokio_util_does() {
    let c = Config {
        offset: 3,
        width: 2,
        num_skip: Some(9),
        ..DEFAULT
    };
    let mut tokio = BytesMut::new();
    c.tokio().encode(&b"abc"[..], &mut tokio).unwrap();
    let mut ours = Vec::new();
    encode_frame(c.netorder().unwrap(), b"abc", &mut ours).unwrap();
    assert_eq!(ours, b"\x00\x03abc");
    assert_eq!(ours, tokio.to_vec());
}

#[test]
fn the_maximum_applies_to_the_raw_field_before_the_adjustment() {
    // Field 12 with adjustment -2 is a 10-byte frame, but 12 > 10: both refuse it.
    let c = Config {
        width: 1,
        adjustment: -2,
        max: 10,
        ..DEFAULT
    };
    let input = b"\x0cxxxxxxxxxx";
    assert!(c.tokio().decode(&mut BytesMut::from(&input[..])).is_err());
    let err = decode_frame(c.netorder().unwrap(), input).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 12,
            limit: 10
        }
    );
    // And tokio-util lowers the maximum to what the field holds plus the adjustment.
    let f = Config {
        width: 1,
        adjustment: -2,
        ..DEFAULT
    }
    .netorder()
    .unwrap();
    assert_eq!(f.max_frame_len(), 253);
    assert_eq!(f.with_max_frame_len(1000).max_frame_len(), 253);
}

#[test]
fn an_adjustment_below_zero_is_an_error_with_the_numbers() {
    let c = Config {
        width: 2,
        adjustment: -2,
        ..DEFAULT
    };
    assert!(
        c.tokio()
            .decode(&mut BytesMut::from(&b"\x00\x01"[..]))
            .is_err()
    );
    let err = decode_frame(c.netorder().unwrap(), b"\x00\x01").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthAdjustment {
            offset: 0,
            len: 1,
            adjustment: -2
        }
    );
    // Going out: a 1-byte payload with adjustment +2 would need a field of -1.
    let c = Config {
        width: 2,
        adjustment: 2,
        ..DEFAULT
    };
    assert!(c.tokio().encode(&b"x"[..], &mut BytesMut::new()).is_err());
    let err = encode_frame(c.netorder().unwrap(), b"x", &mut Vec::new()).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthAdjustment {
            offset: 0,
            len: 1,
            adjustment: 2
        }
    );
}

#[test]
fn an_empty_frame_at_byte_zero_is_refused_not_repeated() {
    let c = Config {
        width: 1,
        num_skip: Some(0),
        ..DEFAULT
    };
    let framing = c.netorder().unwrap();
    let err = decode_frame(framing, b"\x00").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthAdjustment {
            offset: 0,
            len: 0,
            adjustment: 0
        }
    );
    // tokio-util hands out the same empty frame again and again without consuming it.
    let mut codec = c.tokio();
    let mut buf = BytesMut::from(&b"\x00"[..]);
    for _ in 0..3 {
        assert_eq!(codec.decode(&mut buf).unwrap().unwrap().len(), 0);
        assert_eq!(buf.len(), 1);
    }
}

#[test]
fn impossible_combinations_are_refused_at_build() {
    let cases: [(Config, &str); 3] = [
        (
            Config {
                width: 0,
                ..DEFAULT
            },
            "invalid width 0",
        ),
        (
            Config {
                width: 9,
                ..DEFAULT
            },
            "invalid width 9",
        ),
        (
            Config {
                width: 1,
                adjustment: -256,
                ..DEFAULT
            },
            "no length field value",
        ),
    ];
    for (c, says) in cases {
        let err = c.netorder().unwrap_err();
        assert!(err.to_string().contains(says), "{c:?}: {err}");
    }
    let err = Framing::length_delimited()
        .length_field_offset(usize::MAX)
        .build()
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::InvalidFraming { .. }),
        "{err}"
    );
}

#[test]
fn every_width_and_order_round_trips_and_matches_tokio() {
    for width in 1..=8 {
        for little in [false, true] {
            let c = Config {
                width,
                little,
                ..DEFAULT
            };
            let framing = c.netorder().unwrap();
            for len in [0usize, 1, 200, 255, 256, 1000] {
                let payload = vec![0xA5; len];
                let mut tokio = BytesMut::new();
                let t = c.tokio().encode(&payload[..], &mut tokio);
                let mut ours = Vec::new();
                let o = encode_frame(framing, &payload, &mut ours);
                assert_eq!(t.is_ok(), o.is_ok(), "{c:?} {len}");
                assert_eq!(ours, tokio.to_vec(), "{c:?} {len}");
                if o.is_ok() {
                    assert_eq!(both_decode(c, &ours), payload);
                }
            }
        }
    }
}

fn config() -> impl Strategy<Value = Config> {
    (
        0usize..4,
        1usize..=8,
        -6isize..6,
        prop::option::of(0usize..12),
        any::<bool>(),
        prop_oneof![0usize..300, 0usize..70_000],
    )
        .prop_map(
            |(offset, width, adjustment, num_skip, little, max)| Config {
                offset,
                width,
                adjustment,
                num_skip,
                little,
                max,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoding_any_stream_gives_tokio_utils_answers(
        c in config(),
        input in prop::collection::vec(prop_oneof![3 => 0u8..8, 1 => any::<u8>()], 0..200),
        chunks in prop::collection::vec(1usize..20, 0..6),
    ) {
        let Ok(framing) = c.netorder() else {
            // Refused at build: tokio-util gives no frame for any field value either.
            prop_assert!(c.adjustment < 0 || c.num_skip == Some(0));
            return Ok(());
        };
        let tokio = tokio_answers(c.tokio(), &input, &chunks);
        prop_assert_eq!(&netorder_answers(framing, &input, &chunks), &tokio);
        prop_assert_eq!(&netorder_answers(framing, &input, &[]), &tokio);
    }

    #[test]
    fn encoding_gives_tokio_utils_bytes(
        c in config(),
        payloads in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..5),
    ) {
        let Ok(framing) = c.netorder() else { return Ok(()) };
        let mut codec = c.tokio();
        for p in &payloads {
            let mut tokio = BytesMut::new();
            let t = codec.encode(&p[..], &mut tokio);
            let mut ours = Vec::new();
            let o = encode_frame(framing, p, &mut ours);
            prop_assert_eq!(t.is_ok(), o.is_ok());
            prop_assert_eq!(&ours, &tokio.to_vec());
            // Decoding what was written gives tokio-util's answer, which is the payload back
            // when the decoder reads the field where the encoder wrote it, unless the raw field
            // (length minus adjustment) is over the maximum: tokio-util's encoder checks the
            // payload's length, its decoder the raw field.
            if o.is_ok() {
                let answers = netorder_answers(framing, &ours, &[]);
                prop_assert_eq!(&answers, &tokio_answers(c.tokio(), &ours, &[]));
                let raw = p.len() as i128 - c.adjustment as i128;
                if c.offset == 0 && c.num_skip.is_none() && raw <= framing.max_frame_len() as i128 {
                    prop_assert_eq!(&answers, &vec![Answer::Frame(p.clone())]);
                }
            }
        }
    }
}
