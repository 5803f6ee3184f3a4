//! Typed records from a hostile stream: `Conn::recv::<T>` over fuzzed bytes arriving in
//! arbitrary read sizes, under every record configuration. Never panics, never allocates
//! past the frame limit, and agrees record for record with the sans-IO path (FrameDecoder fed
//! in chunks, then `Config::from_bytes` on each frame): same values, same final error. The
//! decoder takes what its buffer has room for, no more, never nothing while it holds no
//! frame, and accounts for every byte it took.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::frame::{FrameDecoder, Framing};
use netorder::record::Config;
use netorder::transport::Conn;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Kind {
    Ping,
    Data(Vec<u16>),
    Named { name: String, tag: Option<char> },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Msg {
    id: u32,
    kind: Kind,
    flag: bool,
    extra: Option<Box<Msg>>,
}

struct Peer<'a> {
    data: &'a [u8],
    size: usize,
}

impl Read for Peer<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

impl Write for Peer<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let [sel, lim, ref input @ ..] = *data else {
        return;
    };
    let framing = match sel % 3 {
        0 => Framing::U16,
        1 => Framing::U32,
        _ => Framing::VARINT,
    };
    let mode = match (sel >> 2) % 3 {
        0 => Config::new().fixed_int(),
        1 => Config::new().varint(),
        _ => Config::new().ascii_fixed(),
    };
    let config = mode.with_max_len(256).with_max_depth(16);
    // The frame limit, 16 to 1024 bytes, so that a short input can fill the decoder.
    let max = (usize::from(lim % 64) + 1) * 16;
    // The peer's read size (1 to 16) and the decoder's feed size (1 to 4 times that).
    let size = usize::from(sel >> 4) + 1;
    let chunk_size = size * (usize::from(lim >> 6) + 1);

    let mut conn =
        Conn::new(Peer { data: input, size }, framing.with_max_frame_len(max)).with_config(config);
    let mut got = Vec::new();
    let conn_end = loop {
        match conn.recv::<Msg>() {
            Ok(Some(m)) => got.push(m),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
        assert!(got.len() <= input.len());
    };

    // The sans-IO path, fed in chunks of `chunk_size` bytes (the decoder may take fewer: it
    // never buffers past its limit); the bytes it takes are accounted for, and it always moves.
    let mut decoder = FrameDecoder::new(framing.with_max_frame_len(max));
    let mut rest = input;
    let mut want = Vec::new();
    let end = 'stream: loop {
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => match config.from_bytes::<Msg>(frame) {
                    Ok(m) => want.push(m),
                    Err(e) => break 'stream Err(e),
                },
                Ok(None) => break,
                Err(e) => break 'stream Err(e),
            }
        }
        if rest.is_empty() {
            // The input ended: what is left is a last frame, a clean end, or a cut frame.
            loop {
                match decoder.decode_eof() {
                    Ok(Some(frame)) => match config.from_bytes::<Msg>(frame) {
                        Ok(m) => want.push(m),
                        Err(e) => break 'stream Err(e),
                    },
                    Ok(None) => break 'stream Ok(()),
                    Err(e) => break 'stream Err(e),
                }
            }
        }
        let chunk = &rest[..chunk_size.min(rest.len())];
        let (held, room) = (
            decoder.buffered(),
            decoder.buffer_limit() - decoder.buffered(),
        );
        let took = decoder.feed(chunk);
        assert_eq!(
            took,
            chunk.len().min(room),
            "feed took {took} of {}",
            chunk.len()
        );
        assert!(
            took > 0,
            "a full buffer with no frame and no error: the loop would spin"
        );
        assert_eq!(decoder.buffered(), held + took);
        assert_eq!(
            decoder.position() + decoder.buffered(),
            input.len() - rest.len() + took
        );
        rest = &rest[took..];
    };
    if end.is_ok() {
        // A clean end: every byte was taken out as a frame.
        assert_eq!((decoder.position(), decoder.buffered()), (input.len(), 0));
    }
    assert_eq!(got, want);
    assert_eq!(conn_end, end);
    // What was accepted re-encodes to frames of the same bytes.
    for m in &got {
        let bytes = config.to_vec(m).unwrap();
        assert_eq!(config.from_bytes::<Msg>(&bytes).unwrap(), *m);
    }
});
