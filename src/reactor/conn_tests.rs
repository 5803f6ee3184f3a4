//! Unit tests of the per-connection state machine (`conn.rs`), without sockets.

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
        frame_timeout: Some(Duration::from_secs(10)),
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
    let source = core::error::Error::source(&err).and_then(|s| s.downcast_ref::<io::Error>());
    assert_eq!(source.map(io::Error::kind), Some(io::ErrorKind::TimedOut));
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
    assert!(c.abort, "a record cut by the close is refused with a reset");
}

#[test]
fn a_refused_prefix_is_an_error_at_its_offset_and_always_a_reset() {
    let framing = Framing::U16.with_max_frame_len(4);
    let s = settings(framing, 1 << 10);
    let now = Instant::now();
    let refused = ErrorKind::LengthLimit {
        offset: 3,
        len: 9,
        limit: 4,
    };
    // A reset whether bytes after the bad prefix are thrown away or not (issue 15: a refusal
    // reaches the peer even when the refused frame was the last one sent).
    let cases: [&[&[u8]]; 3] = [
        &[b"\0\x01a\0\x09"],
        &[b"\0\x01a\0\x09zz"],
        &[b"\0\x01a\0\x09", b"more"],
    ];
    for chunks in cases {
        let mut c = conn(Mem::new(chunks), framing, now);
        let mut h = Echo::default();
        let err = serve(&mut c, ReadMode::UntilShort, &mut h, &s, now).unwrap_err();
        assert_eq!(err.kind(), &refused, "{chunks:?}");
        assert!(c.abort, "{chunks:?}");
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
    assert!(c.abort, "a handler's error is a refusal: the peer is reset");
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

#[test]
fn the_frame_deadline_runs_from_the_first_byte_of_the_unfinished_frame() {
    let framing = Framing::U16;
    let deadline = Duration::from_secs(10);
    let bytes = wire(framing, &[b"abcd", b"wxyz"]);
    let t0 = Instant::now();
    let mut c = conn(Mem::new(&[]), framing, t0);
    let (mut h, s) = (Echo::default(), settings(framing, 1 << 10));
    // Nothing under way: no deadline, however long the silence (that is the idle timeout's).
    assert!(c.frame_error(t0 + deadline * 3, deadline).is_none());
    assert_eq!(c.evictable_idle(t0 + deadline), Some(deadline));
    // The first frame whole and 3 bytes of the second at t1: the deadline runs from t1.
    let t1 = t0 + Duration::from_secs(1);
    c.stream.input.push_back(Some(bytes[..9].to_vec()));
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t1).unwrap();
    assert_eq!(h.frames, [b"abcd".to_vec()]);
    assert_eq!(
        c.evictable_idle(t1),
        None,
        "a frame under way is never evicted"
    );
    // A dribble (one byte) is progress for the idle timeout, not for the frame deadline.
    let t2 = t1 + Duration::from_secs(9);
    c.stream.input.push_back(Some(bytes[9..10].to_vec()));
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t2).unwrap();
    assert!(
        c.frame_error(t1 + deadline - Duration::from_millis(1), deadline)
            .is_none()
    );
    let err = c.frame_error(t1 + deadline, deadline).unwrap();
    assert!(matches!(
        err.kind(),
        ErrorKind::Io {
            kind: io::ErrorKind::TimedOut,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "I/O error: frame not whole within the frame deadline of 10000 ms \
         (expected 6 bytes, received 4)"
    );
    // The frame completes: no deadline any more.
    c.stream.input.push_back(Some(bytes[10..].to_vec()));
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t2).unwrap();
    assert_eq!(h.frames.len(), 2);
    assert!(c.frame_error(t2 + deadline * 2, deadline).is_none());
}

#[test]
fn a_frame_begun_in_a_later_turn_gets_its_own_deadline() {
    let framing = Framing::fixed(4);
    let deadline = Duration::from_secs(10);
    let t0 = Instant::now();
    let mut c = conn(Mem::new(&[b"ab"]), framing, t0);
    let (mut h, s) = (Echo::default(), settings(framing, 1 << 10));
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t0).unwrap();
    // At t1 the first frame ends and a second begins in the same read.
    let t1 = t0 + Duration::from_secs(8);
    c.stream.input.push_back(Some(b"cde".to_vec()));
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t1).unwrap();
    assert_eq!(h.frames, [b"abcd".to_vec()]);
    assert!(c.frame_error(t0 + deadline, deadline).is_none());
    assert!(c.frame_error(t1 + deadline, deadline).is_some());
}

/// Panics on a frame that says so; echoes the others.
struct Panicky;
impl Handler for Panicky {
    fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> Result<()> {
        if frame == b"boom" {
            panic!("asked to panic");
        }
        reply.send_frame(frame)
    }
}

#[test]
fn a_panicking_handler_is_caught_and_the_connection_reset() {
    let framing = Framing::fixed(4);
    for (input, tail) in [(&b"fineboom"[..], false), (&b"fineboomlate"[..], true)] {
        let t0 = Instant::now();
        let mut c = conn(Mem::new(&[input]), framing, t0);
        let s = settings(framing, 1 << 10);
        let err = c
            .serve(
                ReadMode::UntilWouldBlock,
                &mut Panicky,
                &mut [0u8; 64],
                &s,
                t0,
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the handler panicked on a 4-byte frame: asked to panic",
            "with bytes after it: {tail}"
        );
        assert!(c.abort, "a panic resets the peer, bytes after it or not");
        // The replies before the panic still go out before the reset (as the loop does).
        c.flush_before_close();
        assert_eq!(c.stream.out, b"fine");
    }
}

#[test]
fn the_frame_deadline_waits_while_reading_is_paused_for_the_peers_queue() {
    let framing = Framing::fixed(4);
    let deadline = Duration::from_secs(10);
    let t0 = Instant::now();
    // Two whole frames and half a third; the peer takes no reply.
    let mut stream = Mem::new(&[b"abcdefghij"]);
    stream.room = 0;
    let mut c = conn(stream, framing, t0);
    let mut h = Echo::default();
    // A queue bound of 1 byte: reading pauses after the first read's replies.
    let s = settings(framing, 1);
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t0).unwrap();
    assert_eq!(h.frames.len(), 2);
    c.stream.input.push_back(Some(b"k".to_vec()));
    serve(&mut c, ReadMode::UntilWouldBlock, &mut h, &s, t0).unwrap();
    // Paused: the server waits, not the peer; no deadline runs out.
    assert!(c.frame_error(t0 + deadline * 5, deadline).is_none());
    // The peer reads its replies: reading resumes at t1, and the deadline runs from there.
    let t1 = t0 + deadline * 5;
    c.stream.room = usize::MAX;
    serve(&mut c, ReadMode::No, &mut h, &s, t1).unwrap();
    assert!(c.frame_error(t1 + deadline / 2, deadline).is_none());
    assert!(c.frame_error(t1 + deadline, deadline).is_some());
}
