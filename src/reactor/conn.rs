//! The per-connection state machine of the event loop: a decoder for an unfinished frame, a
//! write queue, back-pressure, the half-close, the idle and frame deadlines, and the one call
//! of the handler (a panic there is caught). It knows nothing of mio:
//! it runs over any [`Stream`] (a non-blocking socket, or an in-memory double in the tests
//! below) and is told the time, so every transition is tested without sockets.

use super::{Handler, READS_PER_TURN, Reply, Settings, WriteQueue};
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::frame::{Decoded, FrameDecoder, Framing, decode_frame};
use crate::transport::{frame_deadline_missed, recv_error};
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// What a connection needs of its socket beyond non-blocking `Read + Write`.
pub(super) trait Stream: Read + Write {
    /// Closes the writing half; the peer reads end-of-stream. Best effort.
    fn shutdown_write(&self);
}

impl Stream for mio::net::TcpStream {
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
    /// When the first byte of the unfinished frame the decoder holds arrived (`None`: it
    /// holds none).
    frame_started: Option<Instant>,
    /// Frames handed to the handler in this turn (a frame begun after one of them began in
    /// this turn).
    delivered: usize,
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
            frame_started: None,
            delivered: 0,
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
        Some(recv_error(io::ErrorKind::TimedOut.into(), &self.decoder))
    }

    /// The frame deadline: when the unfinished frame began more than `deadline` before `now`,
    /// the error that resets the connection (`TimedOut`, with the frame's expected and
    /// received counts). Not while reading is paused for the peer's queue (the wait is the
    /// server's then, not the peer's).
    pub(super) fn frame_error(&self, now: Instant, deadline: Duration) -> Option<Error> {
        let started = self.frame_started?;
        if self.paused || now.saturating_duration_since(started) < deadline {
            return None;
        }
        let (held, expected) = self.decoder.unfinished();
        Some(frame_deadline_missed(deadline, held, expected))
    }

    /// How long the connection has been idle at `now`, when it holds no unfinished frame (it
    /// may then be closed to admit a new peer at the cap); `None` while a frame is under way.
    pub(super) fn evictable_idle(&self, now: Instant) -> Option<Duration> {
        (self.decoder.buffered() == 0).then(|| now.saturating_duration_since(self.last_active))
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
        self.delivered = 0;
        let was_paused = self.paused;
        let result = self.turn(read, handler, scratch, settings, now);
        // The frame deadline runs from the turn that brought the unfinished frame's first
        // byte: a frame handed over in this turn means the unfinished one began in it too.
        // While reading is paused (the peer's replies are not taken), the server is the one
        // that waits: the deadline starts over when reading resumes.
        if self.decoder.buffered() == 0 {
            self.frame_started = None;
        } else if self.frame_started.is_none() || self.delivered > 0 || was_paused || self.paused {
            self.frame_started = Some(now);
        }
        result
    }

    /// One turn of [`Connection::serve`].
    fn turn<H: Handler>(
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
                        // A close inside a frame or a refused last frame: a reset too.
                        self.end_of_stream(handler)
                            .inspect_err(|_| self.abort = true)?;
                        break;
                    }
                    Ok(n) => {
                        progress = true;
                        if let Err(e) = self.take_frames(&scratch[..n], handler) {
                            // A refused frame (bad bytes, a handler's error or panic) resets
                            // the connection, even when it was the last one sent: the peer
                            // learns that its frames were not all taken.
                            self.abort = true;
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
                    Err(e) => return Err(recv_error(e, &self.decoder)),
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
                    let (queue, closing) = (&mut self.queue, &mut self.closing);
                    deliver(handler, self.peer, framing, queue, closing, frame)?;
                    self.delivered += 1;
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
    /// across reads. The unfinished tail stays in the decoder. After an error, the bytes
    /// received after the failing frame (or prefix) are thrown away.
    fn take_frames<H: Handler>(&mut self, mut bytes: &[u8], handler: &mut H) -> Result<()> {
        let framing = self.decoder.framing();
        while !bytes.is_empty() {
            if self.decoder.buffered() == 0 {
                // Zero copy: frames straight from the read buffer.
                loop {
                    match decode_frame(framing, bytes) {
                        Ok(Decoded::Frame(span)) => {
                            let (queue, closing) = (&mut self.queue, &mut self.closing);
                            let frame = &bytes[span.payload];
                            let handled =
                                deliver(handler, self.peer, framing, queue, closing, frame);
                            self.delivered += 1;
                            self.base = self.base.saturating_add(span.consumed);
                            bytes = &bytes[span.consumed..];
                            handled?;
                            if self.closing || bytes.is_empty() {
                                return Ok(());
                            }
                        }
                        Ok(Decoded::Need(_)) => break,
                        Err(e) => return Err(e.offset_by(self.base + self.decoder.position())),
                    }
                }
            }
            let took = self.decoder.feed(bytes);
            bytes = &bytes[took..];
            loop {
                match self.decoder.decode_span() {
                    Ok(Decoded::Frame(range)) => {
                        let (queue, closing) = (&mut self.queue, &mut self.closing);
                        let frame = self.decoder.slice(range);
                        let handled = deliver(handler, self.peer, framing, queue, closing, frame);
                        self.delivered += 1;
                        handled?;
                        if self.closing {
                            return Ok(());
                        }
                    }
                    Ok(Decoded::Need(_)) => break,
                    Err(e) => return Err(e.offset_by(self.base)),
                }
            }
        }
        Ok(())
    }
}

/// Hands one frame to the handler, with a [`Reply`] on the connection's queue: the one place a
/// handler is called. A panic in the handler is caught here: it becomes the error that closes
/// (resets) the connection.
#[inline]
fn deliver<H: Handler>(
    handler: &mut H,
    peer: SocketAddr,
    framing: Framing,
    queue: &mut WriteQueue,
    close: &mut bool,
    frame: &[u8],
) -> Result<()> {
    let mut reply = Reply {
        peer,
        framing,
        queue,
        close,
    };
    match catch_unwind(AssertUnwindSafe(|| handler.frame(&mut reply, frame))) {
        Ok(handled) => handled,
        Err(payload) => Err(handler_panicked(payload.as_ref(), frame.len())),
    }
}

/// The error for a handler that panicked on a frame of `len` bytes, with the panic's message.
#[cold]
fn handler_panicked(payload: &(dyn core::any::Any + Send), len: usize) -> Error {
    let what = crate::transport::panic_message(payload);
    Error::new(ErrorKind::Message(
        format!("the handler panicked on a {len}-byte frame: {what}").into(),
    ))
}

/// The state machine without sockets: an in-memory [`Stream`] whose reads come in the chunks
/// a test gives and whose writes are taken only while it has room.
#[cfg(test)]
#[path = "conn_tests.rs"]
mod tests;
