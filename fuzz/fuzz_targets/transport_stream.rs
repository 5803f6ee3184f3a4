//! `Conn::recv_frame` over a hostile peer: arbitrary bytes arriving in arbitrary read sizes with
//! `Interrupted` mixed in. Checks that nothing panics, that the frames equal those of the
//! sans-IO decoder on the whole input, and that the end is reported the same way.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::frame::FrameDecoder;
use netorder::transport::Conn;
use std::io::{self, Read, Write};

struct Peer<'a> {
    data: &'a [u8],
    sizes: &'a [u8],
    calls: usize,
}

impl Read for Peer<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        assert!(self.calls < 1_000_000);
        let size = self
            .sizes
            .get(self.calls % self.sizes.len().max(1))
            .copied()
            .unwrap_or(64);
        // A 0 is an `Interrupted` (on odd calls only, so that the reader always moves on).
        if size == 0 && self.calls % 2 == 1 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "signal"));
        }
        let n = usize::from(size.max(1)).min(buf.len()).min(self.data.len());
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
    if data.len() < 3 {
        return;
    }
    let framing = netorder_fuzz::framing_of(data[0], data[1]);
    let max = usize::from(data[1]) * 64;
    let split = usize::from(data[2]).min(data.len() - 3);
    let (sizes, input) = data[3..].split_at(split);

    let mut conn = Conn::new(
        Peer {
            data: input,
            sizes,
            calls: 0,
        },
        framing.with_max_frame_len(max),
    );
    let mut got = Vec::new();
    let conn_end = loop {
        match conn.recv_frame() {
            Ok(Some(f)) => got.push(f.to_vec()),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
        assert!(got.len() <= input.len() + 1);
    };

    let mut decoder = FrameDecoder::new(framing.with_max_frame_len(max));
    let mut expected = Vec::new();
    let mut rest = input;
    let decoder_end = 'outer: loop {
        let took = decoder.feed(rest);
        rest = &rest[took..];
        loop {
            match decoder.next_frame() {
                Ok(Some(f)) => expected.push(f.to_vec()),
                Ok(None) => break,
                Err(e) => break 'outer Err(e),
            }
        }
        if rest.is_empty() {
            loop {
                match decoder.decode_eof() {
                    Ok(Some(f)) => expected.push(f.to_vec()),
                    Ok(None) => break 'outer Ok(()),
                    Err(e) => break 'outer Err(e),
                }
            }
        }
    };
    assert_eq!(got, expected);
    assert_eq!(conn_end, decoder_end);
});
