//! FrameDecoder on hostile bytes: any framing, any limit, any chunking. Checks that nothing
//! panics, the buffer stays within its limit, chunked and whole-input decoding agree, and the
//! frames that come out re-encode to a prefix of the input.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::frame::{FrameDecoder, Framing, encode_frame};

/// Decodes `input` fed in chunks whose sizes come from `sizes` (cycled); returns the frames
/// and whether the stream ended cleanly (`Some(true)`), truncated (`Some(false)`) or in error.
fn run(framing: Framing, max: usize, input: &[u8], sizes: &[u8]) -> (Vec<Vec<u8>>, Option<bool>) {
    let mut decoder = FrameDecoder::new(framing.with_max_frame_len(max));
    let mut frames = Vec::new();
    let mut rest = input;
    let mut i = 0;
    while !rest.is_empty() {
        let size = usize::from(sizes.get(i % sizes.len().max(1)).copied().unwrap_or(255)).max(1);
        i += 1;
        let took = decoder.feed(&rest[..size.min(rest.len())]);
        rest = &rest[took..];
        assert!(decoder.capacity() <= decoder.buffer_limit());
        loop {
            match decoder.next_frame() {
                Ok(Some(f)) => frames.push(f.to_vec()),
                Ok(None) => break,
                Err(_) => return (frames, None),
            }
        }
        assert!(
            took > 0 || decoder.buffered() < decoder.buffer_limit(),
            "no progress"
        );
    }
    loop {
        match decoder.decode_eof() {
            Ok(Some(f)) => frames.push(f.to_vec()),
            Ok(None) => return (frames, Some(true)),
            Err(e) => {
                assert!(
                    matches!(e.kind(), netorder::ErrorKind::Truncated { .. }) || !e.is_incomplete()
                );
                return (frames, Some(false));
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((framing, max, sizes, input)) = netorder_fuzz::frame_case(data) else {
        return;
    };

    let (whole, whole_end) = run(framing, max, input, &[]);
    let (chunked, chunked_end) = run(framing, max, input, sizes);
    assert_eq!(whole, chunked);
    assert_eq!(whole_end, chunked_end);

    let mut again = Vec::new();
    for f in &whole {
        encode_frame(framing, f, &mut again).unwrap();
    }
    assert_eq!(&input[..again.len()], &again[..]);
    if whole_end == Some(true) {
        assert_eq!(again.len(), input.len());
    }
});
