//! Frames round trip for every framing on structured input (`arbitrary`): payloads → encode →
//! decode gives the payloads back, whatever the chunking of the stream (FrameDecoder fed in
//! arbitrary chunks, the one-shot `decode_frame` walking the whole stream, and `Conn` reading
//! through short reads), and the stream ends cleanly; every proper prefix of the stream ends
//! `Truncated` with the exact counts (or cleanly at a frame boundary). Payloads too long for
//! the length field or the limit are refused by the encoder, leaving the output untouched.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use netorder::ErrorKind;
use netorder::frame::{Decoded, FrameDecoder, Framing, FramingKind, decode_frame, encode_frame};
use netorder::transport::Conn;
use std::io::{self, Read, Write};

#[derive(Arbitrary, Debug)]
enum Pick {
    U16,
    U32,
    Varint,
    Fixed(u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    pick: Pick,
    max: u16,
    payloads: Vec<Vec<u8>>,
    chunks: Vec<u8>,
}

/// A stream that hands out at most the next chunk size per read (0 → `Interrupted`).
struct Chunked<'a> {
    data: &'a [u8],
    chunks: &'a [u8],
    i: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.i += 1;
        let size = self
            .chunks
            .get(self.i % self.chunks.len().max(1))
            .copied()
            .unwrap_or(255);
        if size == 0 && self.i % 2 == 0 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "signal"));
        }
        let n = usize::from(size.max(1)).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

impl Write for Chunked<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fuzz_target!(|input: Input| {
    let framing = match input.pick {
        Pick::U16 => Framing::U16,
        Pick::U32 => Framing::U32,
        Pick::Varint => Framing::VARINT,
        Pick::Fixed(n) => Framing::fixed(usize::from(n).max(1)),
    };
    // `Fixed(n)` with `n` over the limit is refused up front (even at a clean end): a
    // contradiction in the configuration, not in the stream; keep the limit at least `n`.
    let max = match framing.kind() {
        FramingKind::Fixed(n) => usize::from(input.max).max(n),
        _ => usize::from(input.max),
    };
    // Every endpoint below takes the same value: the framing and its limit.
    let framing = framing.with_max_frame_len(max);

    // Encode what fits; what does not is refused without touching the output.
    let mut wire = Vec::new();
    let mut sent: Vec<&[u8]> = Vec::new();
    let mut ends = Vec::new();
    for p in input.payloads.iter().take(64) {
        let before = wire.len();
        match encode_frame(framing, p, &mut wire) {
            Ok(n) => {
                assert_eq!(n, framing.header_len(p.len()) + p.len());
                // The encoder refuses what the limit refuses.
                assert!(p.len() <= max);
                sent.push(p);
                ends.push(wire.len());
            }
            Err(e) => {
                assert_eq!(wire.len(), before);
                match (e.kind(), framing.kind()) {
                    (&ErrorKind::LengthMismatch { expected, actual }, FramingKind::Fixed(n)) => {
                        assert_eq!((expected, actual), (n, p.len()))
                    }
                    (&ErrorKind::FrameTooLong { len, max: limit }, _) => {
                        assert!(len > limit && len == p.len() as u64);
                        assert!(limit <= max as u64);
                    }
                    (other, _) => panic!("{other:?}"),
                }
            }
        }
    }

    // The decoder, fed in arbitrary chunks.
    let mut decoder = FrameDecoder::new(framing);
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut rest = &wire[..];
    let mut i = 0;
    while !rest.is_empty() {
        let size = usize::from(
            input
                .chunks
                .get(i % input.chunks.len().max(1))
                .copied()
                .unwrap_or(255),
        )
        .max(1);
        i += 1;
        let took = decoder.feed(&rest[..size.min(rest.len())]);
        rest = &rest[took..];
        while let Some(f) = decoder.next_frame().expect("valid frames decode") {
            got.push(f.to_vec());
        }
        assert!(decoder.capacity() <= decoder.buffer_limit().max(8 << 10));
    }
    assert_eq!(decoder.decode_eof().unwrap(), None);
    assert_eq!(got, sent);

    // The one-shot decoder walks the stream to the same frames.
    let mut at = 0;
    for p in &sent {
        match decode_frame(framing, &wire[at..]).unwrap() {
            Decoded::Frame(span) => {
                assert_eq!(&wire[at..][span.payload], *p);
                at += span.consumed;
            }
            Decoded::Need(n) => panic!("need {n} inside a whole stream"),
        }
    }
    assert_eq!(at, wire.len());

    // Conn through short reads and interrupts.
    let mut conn = Conn::new(
        Chunked {
            data: &wire,
            chunks: &input.chunks,
            i: 0,
        },
        framing,
    );
    for p in &sent {
        assert_eq!(conn.recv_frame().unwrap(), Some(*p));
    }
    assert_eq!(conn.recv_frame().unwrap(), None);

    // Every cut of the stream: clean at a boundary, else Truncated with the exact counts.
    let cuts = [wire.len() / 3, wire.len() / 2, wire.len().saturating_sub(1)];
    for cut in cuts {
        let mut d = FrameDecoder::new(framing);
        // `feed` takes at most the buffer limit: feed, take frames, repeat.
        let mut rest = &wire[..cut];
        let mut n = 0;
        for _ in 0..=cut {
            let took = d.feed(rest);
            rest = &rest[took..];
            while d.next_frame().unwrap().is_some() {
                n += 1;
            }
            if rest.is_empty() {
                break;
            }
        }
        assert!(rest.is_empty());
        let start = if n == 0 { 0 } else { ends[n - 1] };
        match d.decode_eof() {
            Ok(None) => assert_eq!(start, cut),
            Err(e) => {
                let received = cut - start;
                let header = framing.header_len(sent[n].len());
                // While the prefix itself is cut, the least the frame could have been.
                let expected = match framing.kind() {
                    FramingKind::U16 | FramingKind::U32 if received < header => header,
                    FramingKind::Varint if received < header => received + 1,
                    _ => ends[n] - start,
                };
                assert_eq!(e.kind(), &ErrorKind::Truncated { expected, received });
            }
            Ok(Some(_)) => panic!("a frame after next_frame said none"),
        }
    }
});
