//! The frame deadline of a blocking [`Conn`](super::Conn): once the first byte of a frame has
//! arrived, the whole frame must arrive within a time limit. Enforced with the socket's read
//! timeout, shortened while a frame is under way to what is left of its time (the read
//! timeout in force when the frame began, the idle timeout, is put back when it ends).

use crate::error::{Error, Result};
use crate::frame::FrameDecoder;
use std::io;
use std::time::{Duration, Instant};

/// The socket operations the deadline needs, as plain function pointers (so that the
/// connection's receive path needs no `Socket` bound).
pub(super) type GetTimeout<S> = fn(&S) -> io::Result<Option<Duration>>;
pub(super) type SetTimeout<S> = fn(&S, Option<Duration>) -> io::Result<()>;

/// A frame deadline and the state of the frame under way.
#[derive(Debug, Clone, Copy)]
pub(super) struct FrameDeadline<S> {
    pub(super) limit: Duration,
    pub(super) get: GetTimeout<S>,
    pub(super) set: SetTimeout<S>,
    /// The unfinished frame: when its first byte was seen, and the stream offset where it
    /// begins (a new offset is a new frame).
    started: Option<(Instant, usize)>,
    /// The read timeout to put back when the frame ends (`Some` while shortened).
    saved: Option<Option<Duration>>,
}

impl<S> FrameDeadline<S> {
    pub(super) fn new(limit: Duration, get: GetTimeout<S>, set: SetTimeout<S>) -> Self {
        FrameDeadline {
            limit,
            get,
            set,
            started: None,
            saved: None,
        }
    }

    /// Before a read that waits for the peer: between frames, the saved read timeout is put
    /// back; inside one, the read timeout becomes what is left of the frame's time (or the
    /// saved timeout, if shorter), and a frame out of time is the error.
    pub(super) fn before_read(&mut self, stream: &S, decoder: &FrameDecoder) -> Result<()> {
        if decoder.buffered() == 0 {
            self.started = None;
            if let Some(saved) = self.saved.take() {
                (self.set)(stream, saved)?;
            }
            return Ok(());
        }
        let now = Instant::now();
        let at = decoder.position();
        let started = match self.started {
            Some((t, p)) if p == at => t,
            _ => {
                self.started = Some((now, at));
                now
            }
        };
        let left = self
            .limit
            .saturating_sub(now.saturating_duration_since(started));
        if left.is_zero() {
            return Err(self.missed(decoder));
        }
        let saved = match self.saved {
            Some(saved) => saved,
            None => {
                let saved = (self.get)(stream)?;
                self.saved = Some(saved);
                saved
            }
        };
        (self.set)(stream, Some(saved.map_or(left, |idle| idle.min(left))))?;
        Ok(())
    }

    /// After a read timed out: the frame deadline's error when it is what ran out.
    pub(super) fn expired(&self, decoder: &FrameDecoder) -> Option<Error> {
        let (started, at) = self.started?;
        (decoder.buffered() > 0 && decoder.position() == at && started.elapsed() >= self.limit)
            .then(|| self.missed(decoder))
    }

    /// The error for a frame not whole within the deadline, with its counts.
    fn missed(&self, decoder: &FrameDecoder) -> Error {
        let (held, expected) = decoder.unfinished();
        frame_deadline_missed(self.limit, held, expected)
    }
}

/// The error for a frame not whole within the frame deadline `limit` (both servers and
/// [`Conn`](super::Conn) say it this way): `TimedOut`, with the expected and received counts.
pub(crate) fn frame_deadline_missed(limit: Duration, held: usize, expected: usize) -> Error {
    Error::io(
        io::ErrorKind::TimedOut.into(),
        format!(
            "frame not whole within the frame deadline of {} ms (expected {expected} bytes, \
             received {held})",
            limit.as_millis()
        ),
    )
}
