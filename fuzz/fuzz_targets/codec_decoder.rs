//! The tokio codecs' decoders on hostile bytes: `RecordCodec<T>` and `FrameCodec` fed in
//! arbitrary chunks, under every framing and a small frame limit. Never panics, never
//! allocates past the limit (the capped allocator), leaves the buffer as it was on every
//! error, and agrees with the sans-IO path (`FrameDecoder` on the whole input, then
//! `from_bytes` on each frame): same frames, same records, same kind of end.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use netorder::codec::{FrameCodec, RecordCodec};
use netorder::frame::{FrameDecoder, Framing};
use serde::{Deserialize, Serialize};
use tokio_util::codec::Decoder;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Msg {
    id: u16,
    name: String,
    data: Option<Vec<u8>>,
}

/// How a stream ended: cleanly, or with an error of this kind (compared by its Debug text
/// without the numbers that depend on the path).
#[derive(Debug, PartialEq)]
enum End {
    Clean,
    Failed(String),
}

fn end_of(e: &netorder::Error) -> End {
    let text = format!("{:?}", e.kind());
    End::Failed(text.split([' ', '{', '(']).next().unwrap_or("").to_string())
}

/// Runs `decoder` over `input` in chunks whose sizes cycle through `sizes`.
fn run<D>(mut decoder: D, input: &[u8], sizes: &[u8]) -> (Vec<D::Item>, End)
where
    D: Decoder<Error = netorder::Error>,
{
    let mut src = BytesMut::new();
    let mut items = Vec::new();
    let mut rest = input;
    let mut i = 0;
    loop {
        let size = usize::from(sizes.get(i % sizes.len().max(1)).copied().unwrap_or(255)).max(1);
        i += 1;
        let n = size.min(rest.len());
        src.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
        let eof = rest.is_empty();
        loop {
            let before = src.clone();
            let result = if eof {
                decoder.decode_eof(&mut src)
            } else {
                decoder.decode(&mut src)
            };
            match result {
                Ok(Some(item)) => items.push(item),
                Ok(None) if eof => return (items, End::Clean),
                Ok(None) => break,
                Err(e) => {
                    assert_eq!(src, before, "a failing decoder left the buffer as it was");
                    return (items, end_of(&e));
                }
            }
        }
    }
}

/// The sans-IO path: frames from `FrameDecoder` on the whole input.
fn frames_of(framing: Framing, max: usize, input: &[u8]) -> (Vec<Vec<u8>>, End) {
    let mut d = FrameDecoder::new(framing.with_max_frame_len(max));
    let mut frames = Vec::new();
    let mut rest = input;
    loop {
        let took = d.feed(rest);
        rest = &rest[took..];
        loop {
            let r = if rest.is_empty() {
                d.decode_eof()
            } else {
                d.next_frame()
            };
            match r {
                Ok(Some(f)) => frames.push(f.to_vec()),
                Ok(None) if rest.is_empty() => return (frames, End::Clean),
                Ok(None) => break,
                Err(e) => return (frames, end_of(&e)),
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((framing, max, sizes, input)) = netorder_fuzz::frame_case(data) else {
        return;
    };

    let (want_frames, want_end) = frames_of(framing, max, input);
    let (frames, end) = run(
        FrameCodec::new(framing.with_max_frame_len(max)),
        input,
        sizes,
    );
    let frames: Vec<Vec<u8>> = frames.iter().map(|f| f.to_vec()).collect();
    assert_eq!(frames, want_frames);
    assert_eq!(end, want_end);

    let codec = RecordCodec::<Msg>::new(framing.with_max_frame_len(max));
    let (records, end) = run(codec, input, sizes);
    // Record for record what from_bytes makes of each frame, up to the first bad one.
    let mut want = Vec::new();
    let mut want_end = want_end;
    for f in &want_frames {
        match netorder::from_bytes::<Msg>(f) {
            Ok(m) => want.push(m),
            Err(e) => {
                want_end = end_of(&e);
                break;
            }
        }
    }
    assert_eq!(records, want);
    assert_eq!(end, want_end);
    // What decoded re-encodes to the same frames.
    for (m, f) in records.iter().zip(&want_frames) {
        assert_eq!(&netorder::to_vec(m).unwrap(), f);
    }
});
