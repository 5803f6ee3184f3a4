//! General length fields side by side with tokio-util's `LengthDelimitedCodec`: a random
//! configuration (offset, width 1 to 8, adjustment, num_skip, byte order, maximum), a hostile
//! byte stream in random chunks, and payloads to encode. Both decoders must give the same
//! frames and fail at the same frame (tokio-util's endless empty frame at byte 0 counts as
//! netorder's error); both encoders the same bytes or both an error; delimited frames with one
//! byte the answers of `AnyDelimiterCodec`.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use netorder::frame::{FrameDecoder, Framing, encode_frame};
use tokio_util::codec::length_delimited::Builder;
use tokio_util::codec::{AnyDelimiterCodec, Decoder, Encoder};

#[derive(Debug, PartialEq)]
enum Answer {
    Frame(Vec<u8>),
    Error,
}

fn chunks<'a>(mut input: &'a [u8], sizes: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while !input.is_empty() {
        let n = usize::from(sizes.get(i % sizes.len().max(1)).copied().unwrap_or(255)).max(1);
        let (a, b) = input.split_at(n.min(input.len()));
        out.push(a);
        input = b;
        i += 1;
    }
    out
}

fn theirs<D: Decoder>(mut codec: D, input: &[u8], sizes: &[u8]) -> Vec<Answer>
where
    D::Item: AsRef<[u8]>,
{
    let mut buf = BytesMut::new();
    let mut answers = Vec::new();
    for chunk in chunks(input, sizes) {
        buf.extend_from_slice(chunk);
        loop {
            let before = buf.len();
            match codec.decode(&mut buf) {
                Ok(Some(f)) if f.as_ref().is_empty() && buf.len() == before && before > 0 => {
                    answers.push(Answer::Error);
                    return answers;
                }
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

fn ours(framing: Framing, input: &[u8], sizes: &[u8]) -> Vec<Answer> {
    let mut decoder = FrameDecoder::new(framing);
    let mut answers = Vec::new();
    for chunk in chunks(input, sizes) {
        let mut rest = chunk;
        while !rest.is_empty() {
            let took = decoder.feed(rest);
            rest = &rest[took..];
            assert!(decoder.capacity() <= decoder.buffer_limit().max(8 << 10));
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
            assert!(
                took > 0 || decoder.buffered() < decoder.buffer_limit(),
                "no progress"
            );
        }
    }
    answers
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, d, e, m0, m1, split, rest @ ..] = data else {
        return;
    };
    let offset = usize::from(a % 5);
    let width = usize::from(b % 8) + 1;
    let adjustment = isize::from(*c as i8 % 12);
    let num_skip = (d & 0x80 != 0).then_some(usize::from(d % 13));
    let little = e & 1 == 1;
    // At most 64 KiB: tokio-util reserves the announced frame before its bytes arrive.
    let max = usize::from(u16::from_le_bytes([*m0, *m1]));
    let (sizes, input) = rest.split_at(usize::from(*split).min(rest.len()));

    let mut builder = Builder::new();
    builder
        .length_field_offset(offset)
        .length_field_length(width)
        .length_adjustment(adjustment)
        .max_frame_length(max);
    let mut ours_builder = Framing::length_delimited()
        .length_field_offset(offset)
        .length_field_length(width)
        .length_adjustment(adjustment)
        .max_frame_length(max);
    if let Some(n) = num_skip {
        builder.num_skip(n);
        ours_builder = ours_builder.num_skip(n);
    }
    if little {
        builder.little_endian();
        ours_builder = ours_builder.little_endian();
    }
    let Ok(framing) = ours_builder.build() else {
        // Refused: no field value gives a frame (a negative adjustment over the maximum, or an
        // empty frame at byte 0 with a maximum of 0).
        assert!(adjustment < 0 || num_skip == Some(0));
        return;
    };

    let expected = theirs(builder.new_codec(), input, sizes);
    assert_eq!(ours(framing, input, sizes), expected, "{framing}");
    assert_eq!(ours(framing, input, &[]), expected, "{framing}");

    // Encoding: pieces of the input as payloads.
    let mut codec = builder.new_codec();
    for payload in input.chunks(usize::from(*split).max(1)).take(8) {
        let mut t = BytesMut::new();
        let their = codec.encode(payload, &mut t);
        let mut o = Vec::new();
        let mine = encode_frame(framing, payload, &mut o);
        assert_eq!(their.is_ok(), mine.is_ok(), "{framing} {}", payload.len());
        assert_eq!(&t[..], &o[..]);
    }

    // One-byte delimiters against AnyDelimiterCodec (the byte from the configuration).
    let delimiter = *d;
    let lines = Framing::delimited(&[delimiter])
        .unwrap()
        .with_max_frame_len(max % 300);
    let any = AnyDelimiterCodec::new_with_max_length(vec![delimiter], vec![delimiter], max % 300);
    assert_eq!(ours(lines, input, sizes), theirs(any, input, sizes));
});
