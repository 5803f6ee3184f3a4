//! [`Conn`]: framed records over any `Read + Write`.

use super::deadline::FrameDeadline;
use super::io::{Recv, Socket, recv_error, recv_frame, send_all, send_all_vectored};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{
    FrameBuf, FrameDecoder, Framing, encode_fixed_ref, encode_record_ref, envelope, sealed,
};
use crate::prelude::*;
use crate::record::{Config, FixedRecord, fixed};
use serde::{Serialize, de::DeserializeOwned};
use std::io::{Read, Write};
use std::time::Duration;

/// Default size at which [`Conn`]'s write buffer is sent without waiting for a flush.
pub const DEFAULT_WRITE_BUFFER: usize = 64 << 10;

/// The largest write buffer [`Conn::with_write_buffer`] accepts (64 MiB).
pub const MAX_WRITE_BUFFER: usize = 64 << 20;

/// A connection that sends and receives framed records over any `Read + Write`.
///
/// - Sending appends to a write buffer, sent when it reaches [`DEFAULT_WRITE_BUFFER`] bytes
///   (see [`Conn::with_write_buffer`]), on [`Conn::flush`], and before any receive that has
///   to wait for the peer (so a request/reply exchange never deadlocks on an unsent request).
///   A frame at least as large as the buffer goes out straight from the caller's slice.
/// - Frames go out and come in through the [`frame`](crate::frame) core: the framing's
///   maximum frame length ([`Framing::with_max_frame_len`], 16 MiB by default) refuses a
///   longer outgoing frame ([`ErrorKind::FrameTooLong`], nothing queued) and a longer incoming
///   length prefix ([`ErrorKind::LengthLimit`], nothing allocated for it).
/// - Receiving reads in large chunks into a [`FrameDecoder`] and hands out frames from it;
///   memory is bounded by the maximum frame length.
/// - `None` from a receive is a clean close at a frame boundary; a close inside a frame is
///   [`ErrorKind::Truncated`] with the counts.
/// - Unlike `BufWriter`, dropping a `Conn` does **not** flush: a flush on drop could block on a
///   dead peer and would have to swallow its error. Call [`Conn::flush`] (or
///   [`Conn::shutdown_write`], which flushes) before you let it go, or queued frames are lost.
///
/// ```
/// use std::os::unix::net::UnixStream;
/// use serde::{Deserialize, Serialize};
/// use netorder::{frame::Framing, transport::Conn};
///
/// #[derive(Serialize, Deserialize, Debug, PartialEq)]
/// struct Reading { sensor: u16, value: i32 }
///
/// let (a, b) = UnixStream::pair()?;
/// let mut tx = Conn::new(a, Framing::U16);
/// tx.send(&Reading { sensor: 7, value: -40 })?;
/// tx.shutdown_write()?; // flushes, then half-closes
///
/// let mut rx = Conn::new(b, Framing::U16);
/// assert_eq!(rx.recv::<Reading>()?, Some(Reading { sensor: 7, value: -40 }));
/// assert_eq!(rx.recv::<Reading>()?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Conn<S> {
    stream: S,
    config: Config,
    /// Holds the framing (and its maximum frame length) for both directions.
    decoder: FrameDecoder,
    wbuf: WriteBuf,
    write_buffer: usize,
    /// Set by [`Conn::with_frame_timeout`].
    deadline: Option<FrameDeadline<S>>,
}

/// Room kept beyond the flush threshold, so a small record never waits for a flush to be
/// serialized; also the least room `send` wants before serializing in place.
const WRITE_SLACK: usize = 1024;

/// [`Conn`]'s write buffer: initialised storage, of which the first `len` bytes are queued
/// frames. Allocated on first use (`write_buffer + WRITE_SLACK` bytes), so records are
/// serialized straight into it by the frame encoder; a record longer than the room grows it
/// (once: the storage is kept, so the next such record is serialized in place).
#[derive(Debug, Default)]
struct WriteBuf {
    buf: Vec<u8>,
    len: usize,
}

impl WriteBuf {
    /// Storage of at least `want` bytes (allocated on first use).
    #[inline]
    fn reserve_storage(&mut self, want: usize) {
        if self.buf.len() < want {
            self.buf.resize(want, 0);
        }
    }

    /// Free bytes after the queued ones.
    #[inline]
    fn ready(&self) -> usize {
        self.buf.len() - self.len
    }

    /// Storage of `len` bytes for a record longer than the room: out of line, so the record
    /// paths stay small.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, len: usize) {
        self.buf.resize(len, 0);
    }

    /// Sends the queued bytes (without flushing the stream). Emptied even when the write
    /// fails: after a failed write the stream's state is unknown.
    #[inline]
    fn send_to<W: Write + ?Sized>(&mut self, w: &mut W) -> Result<()> {
        if self.len == 0 {
            return Ok(());
        }
        let result = send_all(w, &self.buf[..self.len]);
        self.len = 0;
        result
    }
}

impl sealed::Sealed for WriteBuf {}

impl FrameBuf for WriteBuf {
    #[inline]
    fn held(&self) -> usize {
        self.len
    }
    /// All the storage from `at` on: records are serialized into the room there is.
    #[inline]
    fn spare(&mut self, at: usize, min: usize) -> &mut [u8] {
        if self.buf.len() < at + min {
            self.grow(at + min);
        }
        &mut self.buf[at..]
    }
    #[inline]
    fn commit(&mut self, len: usize) {
        self.len = len;
    }
    #[inline]
    fn append(&mut self, bytes: &[u8]) {
        let at = self.len;
        self.spare(at, bytes.len())[..bytes.len()].copy_from_slice(bytes);
        self.len = at + bytes.len();
    }
}

impl<S: Read + Write> Conn<S> {
    /// A connection over `stream` with this framing (and its maximum frame length, for both
    /// directions) and the default record [`Config`].
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::VARINT);
    /// assert_eq!(conn.framing(), Framing::VARINT);
    ///
    /// let framing = Framing::U32.with_max_frame_len(4);
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::new()), framing);
    /// let err = conn.send_frame(b"12345").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 5, max: 4 });
    /// ```
    pub fn new(stream: S, framing: Framing) -> Self {
        Conn {
            stream,
            config: Config::new(),
            decoder: FrameDecoder::new(framing),
            wbuf: WriteBuf::default(),
            write_buffer: DEFAULT_WRITE_BUFFER,
            deadline: None,
        }
    }

    /// Uses `config` for the records of [`Conn::send`] and [`Conn::recv`].
    ///
    /// ```
    /// use netorder::{Config, frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::U32)
    ///     .with_config(Config::new());
    /// assert_eq!(conn.config(), Config::new());
    /// ```
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Sets how many bytes the write buffer holds before they are sent without a flush
    /// (default [`DEFAULT_WRITE_BUFFER`]). `0` sends every frame at once. At most
    /// [`MAX_WRITE_BUFFER`] (larger values are capped: the buffer is allocated on first use).
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::U16)
    ///     .with_write_buffer(0);
    /// conn.send_frame(b"now")?;
    /// assert_eq!(conn.get_ref().get_ref(), b"\0\x03now"); // sent without a flush
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn with_write_buffer(mut self, bytes: usize) -> Self {
        self.write_buffer = bytes.min(MAX_WRITE_BUFFER);
        self
    }

    /// The framing in use, with its maximum frame length.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::fixed(8));
    /// assert_eq!(conn.framing(), Framing::fixed(8));
    /// ```
    pub fn framing(&self) -> Framing {
        self.decoder.framing()
    }

    /// The record configuration in use.
    ///
    /// ```
    /// use netorder::{Config, frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::U16);
    /// assert_eq!(conn.config(), Config::default());
    /// ```
    pub fn config(&self) -> Config {
        self.config
    }

    /// The underlying stream.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(vec![1u8]), Framing::U16);
    /// assert_eq!(conn.get_ref().get_ref(), &[1]);
    /// ```
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The underlying stream, mutably. Bytes written to it directly overtake buffered frames.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::<u8>::new()), Framing::U16);
    /// conn.get_mut().set_position(0);
    /// ```
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Bytes waiting in the write buffer.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::U16);
    /// conn.send_frame(b"abc")?;
    /// assert_eq!(conn.pending_write(), 5);
    /// conn.flush()?;
    /// assert_eq!(conn.pending_write(), 0);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn pending_write(&self) -> usize {
        self.wbuf.len
    }

    /// Queues one frame (prefix, then `payload`); it is sent when the write buffer fills, on
    /// [`Conn::flush`], or before the next receive waits. Errors, with nothing queued: a
    /// payload over the maximum frame length or its length field ([`ErrorKind::FrameTooLong`]),
    /// or not exactly `n` bytes for `fixed(n)` ([`ErrorKind::LengthMismatch`]); a failed write
    /// of earlier frames ([`ErrorKind::Io`]).
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    ///
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::VARINT);
    /// conn.send_frame(b"one")?;
    /// conn.send_frame(b"")?;
    /// conn.flush()?;
    /// assert_eq!(conn.get_ref().get_ref(), b"\x03one\x00");
    ///
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16);
    /// let err = conn.send_frame(&[0; 70_000]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 70_000, max: 65_535 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn send_frame(&mut self, payload: &[u8]) -> Result<()> {
        let envelope = envelope(self.framing(), payload)?;
        let total = envelope.len() + payload.len();
        if self.wbuf.ready() < total {
            self.make_room()?;
        }
        if payload.len() >= self.write_buffer.max(1) || self.wbuf.ready() < total {
            // A large frame: what is queued and the prefix, the payload, and what follows it
            // go out together, without copying the payload.
            self.wbuf.append(envelope.head());
            let queued = &self.wbuf.buf[..self.wbuf.len];
            let mut result = send_all_vectored(&mut self.stream, queued, payload);
            if result.is_ok() && !envelope.tail().is_empty() {
                result = send_all(&mut self.stream, envelope.tail());
            }
            self.wbuf.len = 0;
            return result;
        }
        self.wbuf.append(envelope.head());
        self.wbuf.append(payload);
        if !envelope.tail().is_empty() {
            self.wbuf.append(envelope.tail());
        }
        if self.wbuf.len >= self.write_buffer {
            self.write_buffered()?;
        }
        Ok(())
    }

    /// Sends what is queued and allocates the write buffer on first use: out of line, so the
    /// record paths that call it only when the buffer is nearly full stay small.
    #[cold]
    #[inline(never)]
    fn make_room(&mut self) -> Result<()> {
        self.write_buffered()?;
        self.wbuf
            .reserve_storage(self.write_buffer.saturating_add(WRITE_SLACK));
        Ok(())
    }

    /// Sends the write buffer once it has reached its size: out of line, for the same reason.
    #[cold]
    #[inline(never)]
    fn write_full(&mut self) -> Result<()> {
        self.write_buffered()
    }

    /// Serializes `value` with the connection's record [`Config`] and queues it as one frame
    /// (see [`Conn::send_frame`]). A value that cannot be serialized queues nothing.
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{frame::Framing, transport::Conn};
    ///
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16);
    /// conn.send(&(1u16, 0x0A0B0C0Du32))?;
    /// conn.flush()?;
    /// assert_eq!(conn.get_ref().get_ref(), &[0, 6, 0, 1, 0x0A, 0x0B, 0x0C, 0x0D]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn send<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if self.wbuf.ready() < WRITE_SLACK {
            self.make_room()?;
        }
        // Serialized in place, in the room after the queued frames (grown for a long record).
        encode_record_ref(
            self.decoder.framing_ref(),
            self.config,
            value,
            &mut self.wbuf,
        )?;
        if self.wbuf.len >= self.write_buffer {
            return self.write_full();
        }
        Ok(())
    }

    /// Queues a [`FixedRecord`] as one frame: its header and bytes are written straight into
    /// the write buffer at their known size, one length check for the record (see
    /// [`record::fixed`](crate::record::fixed)). The bytes are those [`Conn::send`] writes for the same type under
    /// the default [`Config`].
    ///
    /// Errors: the connection's [`Config`] is not network order with fixed-width integers
    /// ([`ErrorKind::Unsupported`]: a `FixedRecord` has only that encoding); a record longer
    /// than the maximum frame length ([`ErrorKind::FrameTooLong`]) or, with
    /// [`Framing::fixed`], of another size ([`ErrorKind::LengthMismatch`]); nothing is queued
    /// then. I/O errors as for [`Conn::send_frame`].
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{ErrorKind, frame::Framing, record::FixedRecord, transport::Conn};
    ///
    /// #[derive(FixedRecord)]
    /// struct Reading { sensor: u16, value: i32 }
    ///
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::U16);
    /// conn.send_fixed(&Reading { sensor: 7, value: -40 })?;
    /// conn.flush()?;
    /// assert_eq!(conn.get_ref().get_ref(), &[0, 6, 0, 7, 0xFF, 0xFF, 0xFF, 0xD8]);
    ///
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::fixed(4));
    /// let err = conn.send_fixed(&Reading { sensor: 7, value: -40 }).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 4, actual: 6 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn send_fixed<T: FixedRecord>(&mut self, value: &T) -> Result<()> {
        check_fixed_config(self.config)?;
        if self.wbuf.ready() < WRITE_SLACK {
            self.make_room()?;
        }
        encode_fixed_ref(self.decoder.framing_ref(), value, &mut self.wbuf)?;
        if self.wbuf.len >= self.write_buffer {
            return self.write_full();
        }
        Ok(())
    }

    /// Sends everything queued and flushes the stream.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::fixed(2));
    /// conn.send_frame(b"ok")?;
    /// assert!(conn.get_ref().get_ref().is_empty()); // still buffered
    /// conn.flush()?;
    /// assert_eq!(conn.get_ref().get_ref(), b"ok");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn flush(&mut self) -> Result<()> {
        self.write_buffered()?;
        self.stream.flush().map_err(Error::from)
    }

    /// Sends the write buffer (without flushing the stream). The buffer is emptied even when
    /// the write fails: after a failed write the stream's state is unknown.
    #[inline]
    fn write_buffered(&mut self) -> Result<()> {
        self.wbuf.send_to(&mut self.stream)
    }

    /// Receives one frame: `Some(payload)`, or `None` when the peer closed cleanly at a frame
    /// boundary. Queued writes are sent before waiting for the peer.
    ///
    /// Errors: the peer closed inside a frame ([`ErrorKind::Truncated`], expected and received
    /// counts); a length over the maximum ([`ErrorKind::LengthLimit`]) or a bad varint prefix;
    /// an I/O error such as a read timeout ([`ErrorKind::Io`], its message saying how many
    /// bytes of the unfinished frame had arrived).
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    ///
    /// let mut conn = Conn::new(Cursor::new(b"\0\x02hi\0\x09abc".to_vec()), Framing::U16);
    /// assert_eq!(conn.recv_frame()?, Some(&b"hi"[..]));
    /// let err = conn.recv_frame().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 11, received: 5 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn recv_frame(&mut self) -> Result<Option<&[u8]>> {
        let (wbuf, deadline) = (&mut self.wbuf, &mut self.deadline);
        // Queued frames go out before the wait for the peer; a frame under way gets what is
        // left of its deadline as the read timeout.
        let received = recv_frame(&mut self.decoder, &mut self.stream, |s, decoder| {
            wbuf.send_to(s)?;
            match deadline {
                Some(d) => d.before_read(s, decoder),
                None => Ok(()),
            }
        })?;
        match received {
            Recv::Frame(range) => Ok(Some(self.decoder.slice(range))),
            Recv::Closed => Ok(None),
            // A read timeout on a blocking socket: the frame deadline's, or the idle one.
            Recv::WouldBlock(e) => Err(self
                .deadline
                .as_ref()
                .and_then(|d| d.expired(&self.decoder))
                .unwrap_or_else(|| recv_error(e, &self.decoder))),
        }
    }

    /// Receives one frame and deserializes it with the connection's record [`Config`]:
    /// `Some(value)`, or `None` when the peer closed cleanly at a frame boundary. Errors as
    /// for [`Conn::recv_frame`], and the record layer's errors for bytes that are not a `T`
    /// (offsets from the start of the frame's payload).
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    ///
    /// let bytes = vec![0, 1, 0, 0, 0, 2, /* a cut record: */ 0, 3, 0];
    /// let mut conn = Conn::new(Cursor::new(bytes), Framing::fixed(6));
    /// assert_eq!(conn.recv::<(u16, u32)>()?, Some((1, 2)));
    /// let err = conn.recv::<(u16, u32)>().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 6, received: 3 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn recv<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        let config = self.config;
        match self.recv_frame()? {
            Some(frame) => config.from_bytes(frame).map(Some),
            None => Ok(None),
        }
    }

    /// Receives one frame and decodes it as a [`FixedRecord`]: `Some(value)`, or `None` when
    /// the peer closed cleanly at a frame boundary. Errors as for [`Conn::recv_frame`], and
    /// [`record::fixed::from_bytes`](crate::record::fixed::from_bytes)'s for a frame that is not a `T` (the wrong length, a bad
    /// `bool`). The connection's [`Config`] must be network order with fixed-width integers
    /// ([`ErrorKind::Unsupported`] otherwise).
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{ErrorKind, frame::Framing, record::FixedRecord, transport::Conn};
    ///
    /// #[derive(FixedRecord, Debug, PartialEq)]
    /// struct Reading { sensor: u16, up: bool }
    ///
    /// let bytes = vec![0, 7, 1, /* not a bool: */ 0, 8, 2];
    /// let mut conn = Conn::new(Cursor::new(bytes), Framing::fixed(3));
    /// assert_eq!(conn.recv_fixed::<Reading>()?, Some(Reading { sensor: 7, up: true }));
    /// let err = conn.recv_fixed::<Reading>().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 2, byte: 2 });
    /// assert_eq!(err.field(), Some("up"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn recv_fixed<T: FixedRecord>(&mut self) -> Result<Option<T>> {
        check_fixed_config(self.config)?;
        match self.recv_frame()? {
            Some(frame) => fixed::from_bytes(frame).map(Some),
            None => Ok(None),
        }
    }
}

/// A [`FixedRecord`] has one encoding: network order, fixed-width integers.
#[inline]
fn check_fixed_config(config: Config) -> Result<()> {
    if config.is_default_encoding() {
        Ok(())
    } else {
        Err(fixed_config_refused())
    }
}

#[cold]
fn fixed_config_refused() -> Error {
    Error::new(ErrorKind::Unsupported {
        what: "send_fixed/recv_fixed on a connection whose Config is not big-endian with \
               fixed-width integers",
    })
}

impl<S: Read + Write + Socket> Conn<S> {
    /// Once the first byte of a frame has arrived, the whole frame must arrive within
    /// `limit` (`None`: no deadline, the default), or a receive fails with an I/O error of
    /// kind `TimedOut` that names the deadline and the frame's expected and received counts.
    /// Against peers that dribble a frame a byte at a time: the socket's read timeout (the
    /// idle timeout) still covers silence between frames. Enforced by shortening the read
    /// timeout while a frame is under way; the one in force when the frame began is put back
    /// when it ends.
    ///
    /// ```
    /// use std::{io::Write, os::unix::net::UnixStream, time::Duration};
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    ///
    /// let (a, mut b) = UnixStream::pair()?;
    /// a.set_read_timeout(Some(Duration::from_secs(30)))?; // the idle timeout
    /// let mut conn = Conn::new(a, Framing::U16).with_frame_timeout(Some(Duration::from_millis(50)));
    /// b.write_all(b"\0\x05ab")?; // 2 of 5 bytes, then nothing
    /// let err = conn.recv_frame().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Io { kind: std::io::ErrorKind::TimedOut, .. }));
    /// assert!(err.to_string().ends_with("(expected 7 bytes, received 4)"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_frame_timeout(mut self, limit: Option<Duration>) -> Self {
        self.deadline = limit.map(|limit| {
            FrameDeadline::new(
                limit,
                |s| Socket::read_timeout(s),
                |s, t| Socket::set_read_timeout(s, t),
            )
        });
        self
    }

    /// Sends everything queued, then closes the writing half: the peer reads end-of-stream
    /// (a clean close at a frame boundary) and can still answer.
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use netorder::{frame::Framing, transport::Conn};
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// let (mut a, mut b) = (Conn::new(a, Framing::U32), Conn::new(b, Framing::U32));
    /// a.send_frame(b"last words")?;
    /// a.shutdown_write()?;
    /// assert_eq!(b.recv_frame()?, Some(&b"last words"[..]));
    /// assert_eq!(b.recv_frame()?, None);
    /// b.send_frame(b"reply")?; // the other direction still works
    /// b.flush()?;
    /// assert_eq!(a.recv_frame()?, Some(&b"reply"[..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shutdown_write(&mut self) -> Result<()> {
        self.flush()?;
        self.stream.shutdown_write().map_err(Error::from)
    }

    /// Sets the read timeout: a receive that waits longer fails with [`ErrorKind::Io`].
    ///
    /// ```
    /// use std::{os::unix::net::UnixStream, time::Duration};
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    ///
    /// let (a, _b) = UnixStream::pair()?;
    /// let mut conn = Conn::new(a, Framing::U16);
    /// conn.set_read_timeout(Some(Duration::from_millis(20)))?;
    /// let err = conn.recv_frame().unwrap_err(); // the peer sends nothing
    /// assert!(matches!(err.kind(), ErrorKind::Io { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.stream.set_read_timeout(timeout).map_err(Error::from)
    }

    /// Sets the write timeout: a send that waits longer fails with [`ErrorKind::Io`].
    ///
    /// ```
    /// use std::{os::unix::net::UnixStream, time::Duration};
    /// use netorder::{frame::Framing, transport::Conn};
    /// let (a, _b) = UnixStream::pair()?;
    /// Conn::new(a, Framing::U16).set_write_timeout(Some(Duration::from_secs(1)))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.stream.set_write_timeout(timeout).map_err(Error::from)
    }
}
