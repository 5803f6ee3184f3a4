//! The per-connection state machine of the event loop: a decoder for an unfinished frame, a
//! write queue, back-pressure, the half-close, and the idle deadline. It knows nothing of mio:
//! it runs over any [`Stream`] (a non-blocking socket, or an in-memory double in the tests
//! below) and is told the time, so every transition is tested without sockets.

use super::{Handler, READS_PER_TURN, Reply, Settings, WriteQueue};
use crate::error::{Error, Result};
use crate::frame::{Decoded, FrameDecoder, Framing, decode_frame, refused_prefix_len};
use crate::transport::recv_error;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// What a connection needs of its socket beyond non-blocking `Read + Write`.
pub(super) trait Stream: Read + Write {
    /// Whether bytes are waiting to be read (a peek: nothing is taken).
    fn has_unread(&self) -> bool;
    /// Closes the writing half; the peer reads end-of-stream. Best effort.
    fn shutdown_write(&self);
}

impl Stream for mio::net::TcpStream {
    fn has_unread(&self) -> bool {
        let mut probe = [0u8; 1];
        self.peek(&mut probe).is_ok_and(|n| n > 0)
    }
    fn shutdown_write(&self) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
}

/// Whether and how long to read a connection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum ReadMode {
    /// Only writable: no read.
    No,
    /// Readable: read until a read returns less than asked (the socket was empty then; any
    /// byte that comes later raises a new edge), saving the `WouldBlock` read.
    UntilShort,
    /// Read until `WouldBlock`: a new connection, a resumed one, or one whose peer closed
    /// (no further edge will come).
    UntilWouldBlock,
}

/// What to do with a connection after serving it.
#[derive(Debug, PartialEq)]
pub(super) enum After {
    Keep,
    /// Its turn ended with bytes maybe still in the socket (no new edge will say so): serve
    /// it again after the others.
    Again,
    Close,
}

/// One connection of a loop.
#[derive(Debug)]
pub(super) struct Connection<S> {
    pub(super) stream: S,
    pub(super) peer: SocketAddr,
    /// Holds only an unfinished frame; replaced by a fresh (unallocated) one when empty.
    decoder: FrameDecoder,
    /// Stream bytes taken as frames outside the current decoder (for error offsets).
    base: usize,
    queue: WriteQueue,
    last_active: Instant,
    /// The peer closed its side at a frame boundary.
    read_closed: bool,
    /// The handler asked to close.
    closing: bool,
    /// Reading stopped because the write queue is over its bound.
    paused: bool,
    /// Bytes the peer sent are thrown away (a bad frame, a handler error): close with a
    /// reset, as the kernel does for a socket closed with unread bytes, so the peer learns
    /// that they were not taken.
    pub(super) abort: bool,
}

impl<S: Stream> Connection<S> {
    /// A connection just accepted at `now`.
    pub(super) fn new(stream: S, peer: SocketAddr, framing: Framing, now: Instant) -> Self {
        Connection {
            stream,
            peer,
            decoder: FrameDecoder::new(framing),
            base: 0,
            queue: WriteQueue::default(),
            last_active: now,
            read_closed: false,
            closing: false,
            paused: false,
            abort: false,
        }
    }

    /// Reply bytes queued and not yet written.
    pub(super) fn queued(&self) -> usize {
        self.queue.len()
    }

    /// A last attempt to send what is queued, before a close on an error (best effort: the
    /// peer may be gone).
    pub(super) fn flush_before_close(&mut self) {
        let _ = self.queue.flush_to(&mut self.stream, &mut false);
    }

    /// After a turn: a decoder that holds nothing gives its buffer back (an idle connection
    /// holds no read buffer), and the stream offset it counted moves to `base`.
    pub(super) fn release_decoder(&mut self) {
        if self.decoder.buffered() == 0 && self.decoder.capacity() > 0 {
            self.base = self.base.saturating_add(self.decoder.position());
            self.decoder = FrameDecoder::new(self.decoder.framing());
        }
    }

    /// The idle deadline: when nothing was read or written for `idle` up to `now`, the error
    /// that closes the connection (`TimedOut`, with the counts of the unfinished frame, if
    /// any).
    pub(super) fn idle_error(&self, now: Instant, idle: Duration) -> Option<Error> {
        if now.saturating_duration_since(self.last_active) < idle {
            return None;
        }
        Some(recv_error(
            &io::Error::from(io::ErrorKind::TimedOut),
            &self.decoder,
        ))
    }

    /// Serves the connection after a readiness event at `now`: writes what is queued, reads
    /// into `scratch` and hands whole frames to `handler` until the socket would block (or
    /// the queue is over its bound, or the turn is over), and says what comes next.
    pub(super) fn serve<H: Handler>(
        &mut self,
        read: ReadMode,
        handler: &mut H,
        scratch: &mut [u8],
        settings: &Settings,
        now: Instant,
    ) -> Result<After> {
        let mut progress = false;
        let mut reads = 0;
        let mut again = false;
        self.queue.flush_to(&mut self.stream, &mut progress)?;
        let can_read = !self.read_closed && !self.closing;
        let read = if self.paused {
            ReadMode::UntilWouldBlock
        } else {
            read
        };
        if can_read && read != ReadMode::No {
            self.paused = false;
            loop {
                if self.queue.len() > settings.max_queued_bytes {
                    // A peer that does not read its replies: stop reading from it until the
                    // queue drains (the writable event brings us back here).
                    self.paused = true;
                    break;
                }
                match self.stream.read(scratch) {
                    Ok(0) => {
                        self.end_of_stream(handler)?;
                        break;
                    }
                    Ok(n) => {
                        progress = true;
                        if let Err((e, thrown_away)) = self.take_frames(&scratch[..n], handler) {
                            // Reset (as the kernel does when unread bytes are closed on) when
                            // bytes after the bad frame are dropped, here or still in the
                            // socket.
                            self.abort = thrown_away > 0 || self.stream.has_unread();
                            return Err(e);
                        }
                        if self.closing {
                            break;
                        }
                        // Send as we go: one write per read keeps the queue short.
                        self.queue.flush_to(&mut self.stream, &mut progress)?;
                        if n < scratch.len() && read == ReadMode::UntilShort {
                            break;
                        }
                        reads += 1;
                        if reads == READS_PER_TURN {
                            again = true;
                            break;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(recv_error(&e, &self.decoder)),
                }
            }
        }
        let flushed = self.queue.flush_to(&mut self.stream, &mut progress)?;
        if progress {
            self.last_active = now;
        }
        if flushed && (self.read_closed || self.closing) {
            self.stream.shutdown_write();
            return Ok(After::Close);
        }
        Ok(if again { After::Again } else { After::Keep })
    }

    /// The peer closed its side: the frames still buffered go to the handler; a close inside
    /// a frame is [`ErrorKind::Truncated`](crate::ErrorKind::Truncated).
    fn end_of_stream<H: Handler>(&mut self, handler: &mut H) -> Result<()> {
        let framing = self.decoder.framing();
        loop {
            match self.decoder.decode_eof() {
                Ok(Some(frame)) => {
                    let mut reply = Reply {
                        peer: self.peer,
                        framing,
                        queue: &mut self.queue,
                        close: &mut self.closing,
                    };
                    handler.frame(&mut reply, frame)?;
                }
                Ok(None) => break,
                Err(e) => return Err(e.offset_by(self.base)),
            }
        }
        self.read_closed = true;
        Ok(())
    }

    /// Hands every whole frame in `bytes` (after what the decoder holds) to the handler:
    /// straight from `bytes` while the decoder is empty, through the decoder for a frame split
    /// across reads. The unfinished tail stays in the decoder. An error comes with the count
    /// of bytes received after the failing frame (or prefix), which are thrown away.
    fn take_frames<H: Handler>(
        &mut self,
        mut bytes: &[u8],
        handler: &mut H,
    ) -> std::result::Result<(), (Error, usize)> {
        let framing = self.decoder.framing();
        while !bytes.is_empty() {
            if self.decoder.buffered() == 0 {
                // Zero copy: frames straight from the read buffer.
                loop {
                    match decode_frame(framing, bytes) {
                        Ok(Decoded::Frame(span)) => {
                            let mut reply = Reply {
                                peer: self.peer,
                                framing,
                                queue: &mut self.queue,
                                close: &mut self.closing,
                            };
                            let handled = handler.frame(&mut reply, &bytes[span.payload]);
                            self.base = self.base.saturating_add(span.consumed);
                            bytes = &bytes[span.consumed..];
                            handled.map_err(|e| (e, bytes.len()))?;
                            if self.closing || bytes.is_empty() {
                                return Ok(());
                            }
                        }
                        Ok(Decoded::Need(_)) => break,
                        Err(e) => {
                            let after = bytes.len().saturating_sub(refused_prefix_len(framing, &e));
                            return Err((e.offset_by(self.base + self.decoder.position()), after));
                        }
                    }
                }
            }
            let took = self.decoder.feed(bytes);
            bytes = &bytes[took..];
            loop {
                match self.decoder.decode_span() {
                    Ok(Decoded::Frame(range)) => {
                        let mut reply = Reply {
                            peer: self.peer,
                            framing,
                            queue: &mut self.queue,
                            close: &mut self.closing,
                        };
                        let handled = handler.frame(&mut reply, self.decoder.slice(range));
                        handled.map_err(|e| (e, bytes.len() + self.decoder.buffered()))?;
                        if self.closing {
                            return Ok(());
                        }
                    }
                    Ok(Decoded::Need(_)) => break,
                    Err(e) => {
                        let after = (bytes.len() + self.decoder.buffered())
                            .saturating_sub(refused_prefix_len(framing, &e));
                        return Err((e.offset_by(self.base), after));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The state machine without sockets: an in-memory [`Stream`] whose reads come in the chunks
/// a test gives and whose writes are taken only while it has room.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::frame::encode_frame;
    use crate::prelude::*;
    use std::cell::Cell;
    use std::collections::VecDeque;

    /// A socket in memory. Each read returns (part of) the next chunk of `input`, `Ok(0)` at a
    /// `None` (the peer closed), `WouldBlock` when there is nothing; each write takes at most
    /// `room` bytes (then `WouldBlock`).
    #[derive(Debug, Default)]
    struct Mem {
        input: VecDeque<Option<Vec<u8>>>,
        out: Vec<u8>,
        room: usize,
        shut: Cell<bool>,
    }

    impl Mem {
        fn new(chunks: &[&[u8]]) -> Mem {
            Mem {
                input: chunks.iter().map(|c| Some(c.to_vec())).collect(),
                room: usize::MAX,
                ..Mem::default()
            }
        }
        fn then_close(mut self) -> Mem {
            self.input.push_back(None);
            self
        }
    }

    impl Read for Mem {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.input.front_mut() {
                None => Err(io::ErrorKind::WouldBlock.into()),
                Some(None) => Ok(0),
                Some(Some(chunk)) => {
                    let n = chunk.len().min(buf.len());
                    buf[..n].copy_from_slice(&chunk[..n]);
                    chunk.drain(..n);
                    if chunk.is_empty() {
                        self.input.pop_front();
                    }
                    Ok(n)
                }
            }
        }
    }

    impl Write for Mem {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = self.room.min(buf.len());
            self.out.extend_from_slice(&buf[..n]);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Stream for Mem {
        fn has_unread(&self) -> bool {
            matches!(self.input.front(), Some(Some(_)))
        }
        fn shutdown_write(&self) {
            self.shut.set(true);
        }
    }

    /// Echoes every frame, and remembers it. `twice` echoes it two times over (a reply
    /// longer than the frame); `close_after` asks to close after that many frames.
    #[derive(Default)]
    struct Echo {
        frames: Vec<Vec<u8>>,
        twice: bool,
        close_after: Option<usize>,
    }

    impl Handler for Echo {
        fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> Result<()> {
            self.frames.push(frame.to_vec());
            if self.twice {
                reply.send_frame(&[frame, frame].concat())?;
            } else {
                reply.send_frame(frame)?;
            }
            if self.close_after == Some(self.frames.len()) {
                reply.close();
            }
            Ok(())
        }
    }

    fn settings(framing: Framing, max_queued_bytes: usize) -> Settings {
        Settings {
            framing,
            max_connections: 1,
            idle_timeout: Some(Duration::from_secs(30)),
            max_queued_bytes,
        }
    }

    fn wire(framing: Framing, payloads: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in payloads {
            encode_frame(framing, p, &mut out).unwrap();
        }
        out
    }

    fn conn(stream: Mem, framing: Framing, now: Instant) -> Connection<Mem> {
        Connection::new(stream, "127.0.0.1:9".parse().unwrap(), framing, now)
    }

    /// Serves once with a 64-byte read buffer.
    fn serve(
        c: &mut Connection<Mem>,
        read: ReadMode,
        h: &mut Echo,
        s: &Settings,
        now: Instant,
    ) -> Result<After> {
        c.serve(read, h, &mut [0u8; 64], s, now)
    }

    #[test]
    fn frames_split_across_reads_are_handled_and_echoed() {
        let framing = Framing::U16;
        let bytes = wire(framing, &[b"abc", b"", b"z"]);
        let stream = Mem::new(&[&bytes[..3], &bytes[3..6], &bytes[6..]]);
        let now = Instant::now();
        let mut c = conn(stream, framing, now);
        let mut h = Echo::default();
        let s = settings(framing, 1 << 10);
        assert_eq!(
            serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap(),
            After::Keep
        );
        assert_eq!(h.frames, [b"abc".to_vec(), Vec::new(), b"z".to_vec()]);
        assert_eq!(c.stream.out, bytes);
        assert_eq!(c.queued(), 0);
        // Between frames the connection holds no read buffer.
        assert!(c.decoder.capacity() > 0);
        c.release_decoder();
        assert_eq!(c.decoder.capacity(), 0);
        assert_eq!(c.base, bytes.len());
    }

    #[test]
    fn a_readable_edge_reads_until_a_short_read_and_a_turn_ends_after_eight_reads() {
        let framing = Framing::fixed(2);
        let s = settings(framing, 1 << 10);
        let now = Instant::now();
        // Short reads: the socket is empty after the first, as far as an edge can tell.
        let mut c = conn(Mem::new(&[b"ab", b"cd"]), framing, now);
        let mut h = Echo::default();
        assert_eq!(
            serve(&mut c, ReadMode::UntilShort, &mut h, &s, now).unwrap(),
            After::Keep
        );
        assert_eq!(h.frames, [b"ab".to_vec()]);
        // Full reads: at most READS_PER_TURN per turn, then the others get theirs.
        let chunk = [7u8; 64];
        let chunks = vec![&chunk[..]; READS_PER_TURN + 1];
        let mut c = conn(Mem::new(&chunks), framing, now);
        let mut h = Echo::default();
        assert_eq!(
            serve(&mut c, ReadMode::UntilShort, &mut h, &s, now).unwrap(),
            After::Again
        );
        assert_eq!(h.frames.len(), READS_PER_TURN * 32);
        let again = serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap();
        assert_eq!(again, After::Keep);
        assert_eq!(h.frames.len(), (READS_PER_TURN + 1) * 32);
    }

    #[test]
    fn a_peer_that_does_not_read_is_paused_until_its_queue_drains() {
        let framing = Framing::U16;
        let frame = wire(framing, &[&[1; 8]]);
        let mut stream = Mem::new(&[&frame, &frame, &frame, &frame]);
        stream.room = 0; // the peer reads nothing
        let now = Instant::now();
        let mut c = conn(stream, framing, now);
        let mut h = Echo::default();
        let s = settings(framing, frame.len());
        assert_eq!(
            serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap(),
            After::Keep
        );
        // Two echoes queued (over the bound of one): reading stopped, two frames unread.
        assert_eq!(h.frames.len(), 2);
        assert!(c.paused);
        assert_eq!(c.queued(), 2 * frame.len());
        assert_eq!(c.stream.input.len(), 2);
        // A readable edge changes nothing while the queue is full.
        assert_eq!(
            serve(&mut c, ReadMode::UntilShort, &mut h, &s, now).unwrap(),
            After::Keep
        );
        assert_eq!(h.frames.len(), 2);
        assert!(c.paused);
        // The peer reads: the writable edge drains the queue and reading resumes.
        c.stream.room = usize::MAX;
        assert_eq!(
            serve(&mut c, ReadMode::No, &mut h, &s, now).unwrap(),
            After::Keep
        );
        assert_eq!(h.frames.len(), 4);
        assert!(!c.paused);
        assert_eq!(c.stream.out, [&frame[..]; 4].concat());
        assert_eq!(c.queued(), 0);
    }

    #[test]
    fn the_idle_deadline_counts_from_the_last_progress_with_the_unfinished_frame() {
        let framing = Framing::U16;
        let idle = Duration::from_secs(30);
        let t0 = Instant::now();
        let mut c = conn(Mem::new(&[b"\0\x09abc"]), framing, t0);
        let mut h = Echo::default();
        let s = settings(framing, 1 << 10);
        assert_eq!(
            serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t0).unwrap(),
            After::Keep
        );
        assert!(
            c.idle_error(t0 + idle - Duration::from_millis(1), idle)
                .is_none()
        );
        let err = c.idle_error(t0 + idle, idle).unwrap();
        assert!(matches!(
            err.kind(),
            ErrorKind::Io {
                kind: io::ErrorKind::TimedOut,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "I/O error: timed out (expected 11 bytes, received 5)"
        );
        // Progress moves the deadline; a turn without progress does not.
        let t1 = t0 + Duration::from_secs(20);
        c.stream.input.push_back(Some(b"def".to_vec()));
        serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t1).unwrap();
        assert!(c.idle_error(t0 + idle, idle).is_none());
        serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t1 + idle).unwrap();
        let err = c.idle_error(t1 + idle, idle).unwrap();
        assert_eq!(
            err.to_string(),
            "I/O error: timed out (expected 11 bytes, received 8)"
        );
        // Between frames there are no counts to give.
        let c = conn(Mem::new(&[]), framing, t0);
        let err = c.idle_error(t0 + idle, idle).unwrap();
        assert_eq!(err.to_string(), "I/O error: timed out");
    }

    #[test]
    fn a_half_close_sends_the_replies_then_closes() {
        let framing = Framing::VARINT;
        let bytes = wire(framing, &[b"last", b"words"]);
        let now = Instant::now();
        let mut c = conn(Mem::new(&[&bytes]).then_close(), framing, now);
        let mut h = Echo::default();
        let s = settings(framing, 1 << 10);
        assert_eq!(
            serve(&mut c, ReadMode::UntilShort, &mut h, &s, now).unwrap(),
            After::Keep
        );
        assert_eq!(
            serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap(),
            After::Close
        );
        assert_eq!(c.stream.out, bytes);
        assert!(c.stream.shut.get());
        // Replies still queued when the peer closes: the close waits for them.
        let mut stream = Mem::new(&[&bytes]).then_close();
        stream.room = 0;
        let mut c = conn(stream, framing, now);
        let mut h = Echo::default();
        assert_eq!(
            serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap(),
            After::Keep
        );
        assert!(!c.stream.shut.get());
        c.stream.room = usize::MAX;
        assert_eq!(
            serve(&mut c, ReadMode::No, &mut h, &s, now).unwrap(),
            After::Close
        );
        assert_eq!(c.stream.out, bytes);
    }

    #[test]
    fn a_close_inside_a_frame_is_truncated_with_counts() {
        let framing = Framing::U16;
        let now = Instant::now();
        let mut c = conn(Mem::new(&[b"\0\x01a\0\x05ab"]).then_close(), framing, now);
        let mut h = Echo::default();
        let s = settings(framing, 1 << 10);
        let err = serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::Truncated {
                expected: 7,
                received: 4
            }
        );
        assert_eq!(h.frames, [b"a".to_vec()]);
    }

    #[test]
    fn a_refused_prefix_is_an_error_at_its_offset_and_a_reset_when_bytes_are_dropped() {
        let framing = Framing::U16.with_max_frame_len(4);
        let s = settings(framing, 1 << 10);
        let now = Instant::now();
        let refused = ErrorKind::LengthLimit {
            offset: 3,
            len: 9,
            limit: 4,
        };
        // (chunks, bytes after the bad prefix are thrown away)
        let cases: [(&[&[u8]], bool); 3] = [
            (&[b"\0\x01a\0\x09"], false),
            (&[b"\0\x01a\0\x09zz"], true),
            (&[b"\0\x01a\0\x09", b"more"], true),
        ];
        for (chunks, reset) in cases {
            let mut c = conn(Mem::new(chunks), framing, now);
            let mut h = Echo::default();
            let err = serve(&mut c, ReadMode::UntilShort, &mut h, &s, now).unwrap_err();
            assert_eq!(err.kind(), &refused, "{chunks:?}");
            assert_eq!(c.abort, reset, "{chunks:?}");
            assert_eq!(h.frames, [b"a".to_vec()]);
        }
        // The same through the decoder, for a prefix split across reads.
        let mut c = conn(Mem::new(&[b"\0\x01a\0", b"\x09z"]), framing, now);
        let err = serve(
            &mut c,
            ReadMode::UntilWouldBlock,
            &mut Echo::default(),
            &s,
            now,
        );
        assert_eq!(err.unwrap_err().kind(), &refused);
        assert!(c.abort);
    }

    #[test]
    fn a_reply_over_the_maximum_frame_length_is_refused_and_nothing_is_queued() {
        let framing = Framing::U16.with_max_frame_len(4);
        let s = settings(framing, 1 << 10);
        let now = Instant::now();
        let mut c = conn(Mem::new(&[b"\0\x03abc"]), framing, now);
        let mut h = Echo {
            twice: true,
            ..Echo::default()
        };
        let err = serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 6, max: 4 });
        assert_eq!(c.queued(), 0);
        assert!(c.stream.out.is_empty());
        assert!(!c.abort, "no byte the peer sent was dropped");
    }

    #[test]
    fn a_handler_that_closes_drops_the_later_frames_after_its_replies() {
        let framing = Framing::U16;
        let bytes = wire(framing, &[b"one", b"two", b"three"]);
        let now = Instant::now();
        let mut c = conn(Mem::new(&[&bytes]), framing, now);
        let mut h = Echo {
            close_after: Some(2),
            ..Echo::default()
        };
        let s = settings(framing, 1 << 10);
        assert_eq!(
            serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, now).unwrap(),
            After::Close
        );
        assert_eq!(h.frames, [b"one".to_vec(), b"two".to_vec()]);
        assert_eq!(c.stream.out, wire(framing, &[b"one", b"two"]));
        assert!(c.stream.shut.get());
    }
}
