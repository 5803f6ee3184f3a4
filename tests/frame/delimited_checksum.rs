//! Delimited frames against tokio-util's `AnyDelimiterCodec` and `LinesCodec`, and checksum
//! trailers: golden values, round trips with every framing, and an exhaustive single-bit-flip
//! test over 1 KiB frames (always the error, never a wrong frame).

use bytes::BytesMut;
use netorder::ErrorKind;
use netorder::frame::{
    Checksum, Decoded, FrameDecoder, Framing, decode_frame, encode_frame, encode_record,
};
use proptest::prelude::*;
use tokio_util::codec::{AnyDelimiterCodec, Decoder, Encoder, LinesCodec};

#[derive(Debug, PartialEq)]
enum Answer {
    Frame(Vec<u8>),
    Error,
}

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

/// netorder's answers for `input` in `chunks`, through `FrameDecoder`.
fn ours(framing: Framing, input: &[u8], chunks: &[usize]) -> Vec<Answer> {
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
        }
    }
    answers
}

/// A tokio-util decoder's answers for the same.
fn theirs<D>(mut codec: D, input: &[u8], chunks: &[usize]) -> Vec<Answer>
where
    D: Decoder,
    D::Item: AsRef<[u8]>,
{
    let mut buf = BytesMut::new();
    let mut answers = Vec::new();
    for chunk in chunked(input, chunks) {
        buf.extend_from_slice(chunk);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(f)) => answers.push(Answer::Frame(f.as_ref().to_vec())),
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

#[test]
fn an_over_long_frame_is_an_error_with_its_counts_before_more_is_buffered() -> netorder::Result<()>
{
    let framing = Framing::LINES.with_max_frame_len(4);
    assert_eq!(decode_frame(framing, b"abcd")?, Decoded::Need(1));
    let err = decode_frame(framing, b"abcde").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 5,
            limit: 4
        }
    );
    // The decoder never holds more than the maximum and the delimiter.
    let mut decoder = FrameDecoder::new(framing);
    assert_eq!(decoder.feed(&[b'x'; 100]), 5);
    assert!(decoder.next_frame().is_err());
    // A two-byte delimiter: the frame may be 4 bytes, its delimiter ends at byte 6.
    let crlf = Framing::delimited(b"\r\n")?.with_max_frame_len(4);
    assert_eq!(decode_frame(crlf, b"abcd\r")?, Decoded::Need(1));
    assert!(matches!(
        decode_frame(crlf, b"abcd\r\n")?,
        Decoded::Frame(_)
    ));
    let err = decode_frame(crlf, b"abcde\r").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 5,
            limit: 4
        }
    );
    Ok(())
}

#[test]
fn a_stream_that_ends_inside_a_delimited_frame_is_truncated() {
    let mut decoder = FrameDecoder::new(Framing::delimited(b"\r\n").unwrap());
    decoder.feed(b"one\r\ntw\r");
    assert_eq!(decoder.next_frame().unwrap(), Some(&b"one"[..]));
    let err = decoder.decode_eof().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: 4,
            received: 3
        }
    );
}

#[test]
fn a_payload_with_the_delimiter_is_refused_going_out() {
    let mut out = Vec::new();
    let err = encode_frame(Framing::LINES, b"a\nb", &mut out).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::DelimiterInPayload { offset: 1 });
    let err = encode_record(Framing::LINES, netorder::Config::new(), &10u16, &mut out).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::DelimiterInPayload { offset: 1 });
    assert!(out.is_empty());
}

#[test]
fn byte_by_byte_feeding_of_a_long_line_scans_each_byte_once() {
    // Not a timing: a 1 MiB line fed a byte at a time completes (a decoder that re-scanned
    // from the start would take ~5e11 steps).
    let framing = Framing::LINES.with_max_frame_len(1 << 20);
    let mut decoder = FrameDecoder::new(framing);
    for _ in 0..(1 << 20) {
        decoder.feed(b"x");
        assert_eq!(decoder.next_frame().unwrap(), None);
    }
    decoder.feed(b"\n");
    assert_eq!(
        decoder.next_frame().unwrap().map(<[u8]>::len),
        Some(1 << 20)
    );
}

fn text_lines(sep: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec("[a-z ]{0,24}", 0..8), "[a-z]{0,30}").prop_map(move |(lines, tail)| {
        let mut s = String::new();
        for l in lines {
            s.push_str(&l);
            s.push_str(sep);
        }
        s.push_str(&tail);
        s.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn one_byte_delimiters_give_any_delimiter_codecs_answers(
        delimiter in prop_oneof![Just(b'\n'), Just(0u8), Just(b';')],
        input in prop::collection::vec(prop_oneof![4 => 0u8..4, 4 => Just(b'\n'), 1 => any::<u8>()], 0..120),
        max in 0usize..30,
        chunks in prop::collection::vec(1usize..9, 0..5),
    ) {
        let input: Vec<u8> = input.iter().map(|&b| if b == 3 { delimiter } else { b }).collect();
        let framing = Framing::delimited(&[delimiter]).unwrap().with_max_frame_len(max);
        let codec = AnyDelimiterCodec::new_with_max_length(vec![delimiter], vec![delimiter], max);
        prop_assert_eq!(ours(framing, &input, &chunks), theirs(codec, &input, &chunks));
    }

    #[test]
    fn lines_give_lines_codecs_answers(
        input in text_lines("\n"),
        max in 0usize..30,
        chunks in prop::collection::vec(1usize..9, 0..5),
    ) {
        let framing = Framing::LINES.with_max_frame_len(max);
        let codec = LinesCodec::new_with_max_length(max);
        prop_assert_eq!(ours(framing, &input, &chunks), theirs(codec, &input, &chunks));
    }

    #[test]
    fn crlf_lines_give_lines_codecs_answers(
        input in text_lines("\r\n"),
        max in 0usize..30,
        chunks in prop::collection::vec(1usize..9, 0..5),
    ) {
        // LinesCodec counts the `\r` in its maximum; netorder's excludes the whole delimiter.
        let framing = Framing::delimited(b"\r\n").unwrap().with_max_frame_len(max);
        let codec = LinesCodec::new_with_max_length(max + 1);
        prop_assert_eq!(ours(framing, &input, &chunks), theirs(codec, &input, &chunks));
    }

    #[test]
    fn delimited_encoding_gives_tokio_utils_bytes(lines in prop::collection::vec("[a-z ]{0,24}", 0..6)) {
        let mut any = AnyDelimiterCodec::new(b"\n".to_vec(), b"\n".to_vec());
        let mut lines_codec = LinesCodec::new();
        let (mut a, mut b, mut o) = (BytesMut::new(), BytesMut::new(), Vec::new());
        for l in &lines {
            any.encode(l.as_str(), &mut a).unwrap();
            lines_codec.encode(l.as_str(), &mut b).unwrap();
            encode_frame(Framing::LINES, l.as_bytes(), &mut o).unwrap();
        }
        prop_assert_eq!(&o, &a.to_vec());
        prop_assert_eq!(&o, &b.to_vec());
    }

    #[test]
    fn every_framing_with_every_checksum_round_trips(
        payloads in prop::collection::vec(prop::collection::vec(1u8..=255, 0..100), 0..6),
        chunks in prop::collection::vec(1usize..13, 0..5),
    ) {
        for checksum in CHECKSUMS {
            for base in framings() {
                let framing = base.with_checksum(checksum);
                let mut wire = Vec::new();
                let mut sent = Vec::new();
                for p in &payloads {
                    // `fixed(4)` takes 4-byte payloads only, lines none with a `\n`.
                    if encode_frame(framing, p, &mut wire).is_ok() {
                        sent.push(Answer::Frame(p.clone()));
                    }
                }
                prop_assert_eq!(ours(framing, &wire, &chunks), sent, "{}", framing);
            }
        }
    }
}

const CHECKSUMS: [Checksum; 3] = [Checksum::Crc32c, Checksum::Crc32, Checksum::Internet];

fn framings() -> Vec<Framing> {
    vec![
        Framing::U16,
        Framing::U32,
        Framing::VARINT,
        Framing::fixed(4),
        Framing::LINES,
        Framing::delimited(b"\r\n").unwrap(),
        Framing::length_delimited()
            .length_field_length(3)
            .little_endian()
            .build()
            .unwrap(),
        Framing::length_delimited()
            .length_field_type::<u16>()
            .length_adjustment(-2)
            .build()
            .unwrap(),
    ]
}

#[test]
fn checksum_golden_values() {
    // The check values of the CRC catalogue ("123456789") and RFC 1071's example.
    let mut out = Vec::new();
    encode_frame(
        Framing::fixed(9).with_checksum(Checksum::Crc32c),
        b"123456789",
        &mut out,
    )
    .unwrap();
    assert_eq!(out[9..], 0xE306_9283u32.to_be_bytes());
    out.clear();
    encode_frame(
        Framing::fixed(9).with_checksum(Checksum::Crc32),
        b"123456789",
        &mut out,
    )
    .unwrap();
    assert_eq!(out[9..], 0xCBF4_3926u32.to_be_bytes());
    out.clear();
    let rfc = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
    encode_frame(
        Framing::fixed(8).with_checksum(Checksum::Internet),
        &rfc,
        &mut out,
    )
    .unwrap();
    assert_eq!(out[8..], [0x22, 0x0d]);
    // The checksum covers the head too: u16 length 2, "hi".
    out.clear();
    encode_frame(Framing::U16.with_checksum(Checksum::Crc32), b"hi", &mut out).unwrap();
    assert_eq!(out[4..], crc32fast::hash(b"\x00\x02hi").to_be_bytes());
}

#[test]
fn a_mismatch_names_both_sums_and_the_offset_and_delivers_nothing() {
    let framing = Framing::U16.with_checksum(Checksum::Crc32c);
    let mut wire = Vec::new();
    encode_frame(framing, b"first", &mut wire).unwrap();
    encode_frame(framing, b"second", &mut wire).unwrap();
    encode_frame(framing, b"third", &mut wire).unwrap();
    wire[13] ^= 0x20; // inside "second"
    let mut decoder = FrameDecoder::new(framing);
    decoder.feed(&wire);
    assert_eq!(decoder.next_frame().unwrap(), Some(&b"first"[..]));
    let err = decoder.next_frame().unwrap_err();
    let good = crc32c::crc32c(b"\x00\x06second");
    let bad = crc32c::crc32c(&wire[11..19]);
    assert_eq!(
        err.kind(),
        &ErrorKind::ChecksumMismatch {
            expected: good,
            computed: bad,
            offset: 11 + 8
        },
    );
    // Sticky: the later frame is not parsed, and the bytes stay.
    assert_eq!(decoder.next_frame().unwrap_err(), err);
    assert_eq!(decoder.buffered(), wire.len() - 11);
}

/// Every single-bit flip of a 1 KiB frame (head, payload, trailer) followed by a good frame:
/// the first answer is an error (or, for a length flipped upwards, "need more" and then a
/// truncated stream), never a frame.
#[test]
fn every_single_bit_flip_of_a_1_kib_frame_is_an_error_never_a_wrong_frame() {
    let mut payload = vec![0u8; 1024];
    let mut x = 0x9E37_79B9u32;
    for b in &mut payload {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = (x as u8) | 1; // no `\0` and, below, no `\n` (the delimited framings)
        if *b == b'\n' || *b == b'\r' {
            *b = b'a';
        }
    }
    let mut checked = 0;
    for checksum in CHECKSUMS {
        for base in framings() {
            if matches!(base.kind(), netorder::frame::FramingKind::Fixed(_)) {
                continue;
            }
            if checksum == Checksum::Internet
                && matches!(base.kind(), netorder::frame::FramingKind::Delimited(_))
            {
                // A flip that makes a delimiter ends the frame early and takes payload bytes
                // as the trailer: a 16-bit sum matches those by chance once in 65 536.
                continue;
            }
            let framing = base.with_checksum(checksum);
            let mut wire = Vec::new();
            encode_frame(framing, &payload, &mut wire).unwrap();
            let first = wire.len();
            encode_frame(framing, b"next", &mut wire).unwrap();
            for bit in 0..first * 8 {
                let mut bad = wire.clone();
                bad[bit / 8] ^= 1 << (bit % 8);
                let mut decoder = FrameDecoder::new(framing);
                decoder.feed(&bad);
                let answer = match decoder.next_frame() {
                    Ok(Some(frame)) => {
                        panic!("{framing}: bit {bit} gave a frame of {}", frame.len())
                    }
                    Ok(None) => decoder.decode_eof().map(|f| f.map(<[u8]>::len)),
                    Err(e) => Err(e),
                };
                assert!(answer.is_err(), "{framing}: bit {bit}: {answer:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100_000, "{checked}");
}
