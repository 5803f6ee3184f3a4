//! Layer 4b: blocking sockets that send and receive exact byte counts and typed records.
//!
//! - [`send_all`] and [`recv_exact`]: the classic "loop until everything is sent" and "loop
//!   until you have MSGLEN bytes", with `Interrupted` retried, a zero-byte write an error
//!   rather than a spin, and a close *between* records told apart from a close *inside* one.
//! - [`Conn`]: a connection over any `Read + Write` (`TcpStream`, `UnixStream`, a test double)
//!   that sends and receives framed records: raw frames ([`Conn::send_frame`],
//!   [`Conn::recv_frame`]) or serde values ([`Conn::send`], [`Conn::recv`]). Writes are
//!   buffered until [`Conn::flush`] (many small records, few system calls); reads go through a
//!   [`FrameDecoder`] in large chunks.
//! - [`Server`]: a small threaded server, one thread per client, with a bound on concurrent
//!   connections and an idle timeout so a stalled peer cannot hold a slot for ever.
//!
//! ```
//! use std::net::{TcpListener, TcpStream};
//! use netorder::{frame::Framing, transport::Conn};
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let addr = listener.local_addr()?;
//! let client = std::thread::spawn(move || -> netorder::Result<()> {
//!     let mut conn = Conn::new(TcpStream::connect(addr)?, Framing::U16);
//!     conn.send_frame(b"ping")?;
//!     conn.flush()?;
//!     Ok(())
//! });
//! let (stream, _) = listener.accept()?;
//! let mut conn = Conn::new(stream, Framing::U16);
//! assert_eq!(conn.recv_frame()?, Some(&b"ping"[..]));
//! assert_eq!(conn.recv_frame()?, None); // the client closed at a frame boundary
//! client.join().unwrap()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Decoded, FrameDecoder, Framing, write_header};
use crate::prelude::*;
use crate::record::{self, Config, FixedRecord, fixed};
use serde::{Serialize, de::DeserializeOwned};
use std::collections::HashMap;
use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Writes all of `bytes` to `w`, looping on short writes and retrying `Interrupted`.
///
/// A writer that accepts zero bytes is an error ([`ErrorKind::Io`] of kind `WriteZero`, the
/// message saying how many bytes of how many went out), not an endless loop. Does not flush.
///
/// ```
/// use netorder::{ErrorKind, transport::send_all};
///
/// let mut out = Vec::new();
/// send_all(&mut out, b"all of it")?;
/// assert_eq!(out, b"all of it");
///
/// let mut full = [0u8; 4];
/// let err = send_all(&mut &mut full[..], b"too long").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::Io { kind: std::io::ErrorKind::WriteZero, .. }));
/// assert_eq!(err.to_string(), "I/O error: the writer accepted 0 bytes after 4 of 8 were sent");
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn send_all<W: Write + ?Sized>(w: &mut W, bytes: &[u8]) -> Result<()> {
    let mut sent = 0;
    while sent < bytes.len() {
        match w.write(&bytes[sent..]) {
            Ok(0) => return Err(write_zero(sent, bytes.len())),
            Ok(n) => sent += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error_with_counts(&e, "sent", sent, bytes.len())),
        }
    }
    Ok(())
}

/// Fills `buf` exactly from `r`, looping on short reads and retrying `Interrupted`.
///
/// Returns `Ok(true)` when `buf` is full and `Ok(false)` when the stream ended cleanly before
/// its first byte (a close at a record boundary is not an error). A stream that ends after
/// some of the bytes is [`ErrorKind::Truncated`] with the expected and received counts.
///
/// ```
/// use netorder::{ErrorKind, transport::recv_exact};
///
/// let mut stream: &[u8] = b"abcdefg";
/// let mut record = [0u8; 4];
/// assert!(recv_exact(&mut stream, &mut record)?);
/// assert_eq!(&record, b"abcd");
/// let err = recv_exact(&mut stream, &mut record).unwrap_err(); // only "efg" is left
/// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 4, received: 3 });
/// assert!(!recv_exact(&mut stream, &mut record)?); // clean end
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn recv_exact<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> Result<bool> {
    let mut received = 0;
    while received < buf.len() {
        match r.read(&mut buf[received..]) {
            Ok(0) if received == 0 => return Ok(false),
            Ok(0) => {
                return Err(Error::new(ErrorKind::Truncated {
                    expected: buf.len(),
                    received,
                }));
            }
            Ok(n) => received += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error_with_counts(&e, "received", received, buf.len())),
        }
    }
    Ok(true)
}

/// `Io { WriteZero }` with the counts.
pub(crate) fn write_zero(sent: usize, total: usize) -> Error {
    Error::new(ErrorKind::Io {
        kind: io::ErrorKind::WriteZero,
        message: format!("the writer accepted 0 bytes after {sent} of {total} were sent").into(),
    })
}

/// An I/O error with how far the transfer got, when it got anywhere.
pub(crate) fn io_error_with_counts(e: &io::Error, verb: &str, done: usize, total: usize) -> Error {
    // A socket timeout shows as `WouldBlock` ("Resource temporarily unavailable") on Unix.
    let what = match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => "timed out".to_string(),
        _ => e.to_string(),
    };
    let message = if done == 0 {
        what
    } else {
        format!("{what} (expected {total} bytes, {verb} {done})")
    };
    Error::new(ErrorKind::Io {
        kind: e.kind(),
        message: message.into(),
    })
}

/// Writes `a` then `b` in as few system calls as the writer allows (vectored writes).
fn send_all_vectored<W: Write + ?Sized>(w: &mut W, a: &[u8], b: &[u8]) -> Result<()> {
    let total = a.len() + b.len();
    let mut sent = 0;
    while sent < a.len() {
        let slices = [IoSlice::new(&a[sent..]), IoSlice::new(b)];
        match w.write_vectored(&slices) {
            Ok(0) => return Err(write_zero(sent, total)),
            Ok(n) => sent += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error_with_counts(&e, "sent", sent, total)),
        }
    }
    let done_in_b = sent - a.len();
    send_all(w, &b[done_in_b..]).map_err(|e| match e.kind() {
        ErrorKind::Io {
            kind: io::ErrorKind::WriteZero,
            ..
        } => write_zero(sent, total),
        _ => e,
    })
}

/// The socket operations a [`Conn`] needs beyond `Read + Write`: a half-close and timeouts.
/// Implemented for `TcpStream` and (on Unix) `UnixStream`, and for references to them.
///
/// ```
/// use std::net::{TcpListener, TcpStream};
/// use std::time::Duration;
/// use netorder::transport::Socket;
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let stream = TcpStream::connect(listener.local_addr()?)?;
/// Socket::set_read_timeout(&stream, Some(Duration::from_secs(5)))?;
/// Socket::shutdown_write(&stream)?; // the peer now reads end-of-stream
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait Socket {
    /// Closes the writing half: the peer reads end-of-stream, and can still send to us.
    fn shutdown_write(&self) -> io::Result<()>;
    /// A read that waits longer than this fails (`WouldBlock` or `TimedOut`); `None` waits
    /// for ever.
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
    /// A write that waits longer than this fails; `None` waits for ever.
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
}

/// One `impl Socket` for each socket type, all with the same three std methods.
macro_rules! impl_socket {
    ($($ty:ty),*) => {$(
        impl Socket for $ty {
            fn shutdown_write(&self) -> io::Result<()> {
                self.shutdown(Shutdown::Write)
            }
            fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                <$ty>::set_read_timeout(self, timeout)
            }
            fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                <$ty>::set_write_timeout(self, timeout)
            }
        }
    )*};
}
impl_socket!(TcpStream);
#[cfg(unix)]
impl_socket!(std::os::unix::net::UnixStream);

impl<T: Socket + ?Sized> Socket for &T {
    fn shutdown_write(&self) -> io::Result<()> {
        (**self).shutdown_write()
    }
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        (**self).set_read_timeout(timeout)
    }
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        (**self).set_write_timeout(timeout)
    }
}

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
/// - Receiving reads in large chunks into a [`FrameDecoder`] and hands out frames from it;
///   memory is bounded by the maximum frame length (16 MiB by default,
///   [`Conn::with_max_frame_len`]).
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
    decoder: FrameDecoder,
    /// Initialised storage for queued frames: `wbuf[..wlen]` is queued. Allocated on first use,
    /// `write_buffer + WRITE_SLACK` bytes, so that records are serialized straight into it.
    wbuf: Vec<u8>,
    wlen: usize,
    /// For records that do not fit the room left in `wbuf`.
    scratch: Vec<u8>,
    write_buffer: usize,
}

/// Room kept beyond the flush threshold, so a small record never waits for a flush to be
/// serialized; also the least room `send` wants before serializing in place.
const WRITE_SLACK: usize = 1024;

impl<S: Read + Write> Conn<S> {
    /// A connection over `stream` with this framing, the default record [`Config`] and a
    /// maximum frame length of 16 MiB.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::Varint);
    /// assert_eq!(conn.framing(), Framing::Varint);
    /// ```
    pub fn new(stream: S, framing: Framing) -> Self {
        Conn {
            stream,
            config: Config::new(),
            decoder: FrameDecoder::new(framing),
            wbuf: Vec::new(),
            wlen: 0,
            scratch: Vec::new(),
            write_buffer: DEFAULT_WRITE_BUFFER,
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

    /// Sets the largest frame sent or received. A longer incoming length prefix is
    /// [`ErrorKind::LengthLimit`] (nothing allocated for it); a longer outgoing frame is
    /// [`ErrorKind::FrameTooLong`].
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::U32)
    ///     .with_max_frame_len(4);
    /// let err = conn.send_frame(b"12345").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 5, max: 4 });
    /// ```
    pub fn with_max_frame_len(mut self, max_frame_len: usize) -> Self {
        self.decoder = self.decoder.with_max_frame_len(max_frame_len);
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

    /// The framing in use.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::Fixed(8));
    /// assert_eq!(conn.framing(), Framing::Fixed(8));
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
        self.wlen
    }

    /// Queues one frame (prefix, then `payload`); it is sent when the write buffer fills, on
    /// [`Conn::flush`], or before the next receive waits. Errors, with nothing queued: a
    /// payload over the maximum frame length or its length field ([`ErrorKind::FrameTooLong`]),
    /// or not exactly `n` bytes for `Fixed(n)` ([`ErrorKind::LengthMismatch`]); a failed write
    /// of earlier frames ([`ErrorKind::Io`]).
    ///
    /// ```
    /// use std::io::Cursor;
    /// use netorder::{ErrorKind, frame::Framing, transport::Conn};
    ///
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::Varint);
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
        let max = self.decoder.max_frame_len();
        if payload.len() > max {
            return Err(Error::new(ErrorKind::FrameTooLong {
                len: payload.len() as u64,
                max: max as u64,
            }));
        }
        let framing = self.decoder.framing();
        let mut header = [0u8; 10];
        let header_len = write_header(framing, payload.len(), &mut header)?;
        let total = header_len + payload.len();
        if self.room() < total {
            self.write_buffered()?;
            self.reserve_wbuf();
        }
        if payload.len() >= self.write_buffer.max(1) || self.room() < total {
            // A large frame: what is queued, the prefix and the payload go out together,
            // without copying the payload.
            self.wbuf[self.wlen..self.wlen + header_len].copy_from_slice(&header[..header_len]);
            self.wlen += header_len;
            let result = send_all_vectored(&mut self.stream, &self.wbuf[..self.wlen], payload);
            self.wlen = 0;
            return result;
        }
        let at = self.wlen;
        self.wbuf[at..at + header_len].copy_from_slice(&header[..header_len]);
        self.wbuf[at + header_len..at + total].copy_from_slice(payload);
        self.wlen = at + total;
        if self.wlen >= self.write_buffer {
            self.write_buffered()?;
        }
        Ok(())
    }

    /// Free bytes after the queued ones.
    #[inline]
    fn room(&self) -> usize {
        self.wbuf.len() - self.wlen
    }

    /// Sends what is queued and allocates the write buffer on first use: out of line, so the
    /// record paths that call it only when the buffer is nearly full stay small.
    #[cold]
    #[inline(never)]
    fn make_room(&mut self) -> Result<()> {
        self.write_buffered()?;
        self.reserve_wbuf();
        Ok(())
    }

    /// Sends the write buffer once it has reached its size: out of line, for the same reason.
    #[cold]
    #[inline(never)]
    fn write_full(&mut self) -> Result<()> {
        self.write_buffered()
    }

    /// Allocates the write buffer on first use.
    #[inline]
    fn reserve_wbuf(&mut self) {
        let want = self.write_buffer.saturating_add(WRITE_SLACK);
        if self.wbuf.len() < want {
            self.wbuf.resize(want, 0);
        }
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
        let framing = self.decoder.framing();
        let max = self.decoder.max_frame_len();
        if self.room() < WRITE_SLACK {
            self.make_room()?;
        }
        // Serialize in place, after room for the prefix (a varint prefix is guessed at one
        // byte and the record moved if it needs more).
        let guess = match framing {
            Framing::Fixed(_) => 0,
            Framing::U16 => 2,
            Framing::U32 => 4,
            Framing::Varint => 1,
        };
        let at = self.wlen;
        let len = match record::to_slice_with(value, &mut self.wbuf[at + guess..], self.config) {
            Ok(len) => len,
            Err(e) if matches!(e.kind(), ErrorKind::BufferTooSmall { .. }) => {
                return self.send_via_scratch(value);
            }
            Err(e) => return Err(e),
        };
        if len > max {
            return Err(Error::new(ErrorKind::FrameTooLong {
                len: len as u64,
                max: max as u64,
            }));
        }
        let header_len = framing.header_len(len);
        if header_len != guess {
            // Only a varint prefix of two bytes or more: move the record up, if it fits.
            if self.room() < header_len + len {
                return self.send_via_scratch(value);
            }
            self.wbuf
                .copy_within(at + guess..at + guess + len, at + header_len);
        }
        write_header(framing, len, &mut self.wbuf[at..at + header_len])?;
        self.wlen = at + header_len + len;
        if self.wlen >= self.write_buffer {
            return self.write_full();
        }
        Ok(())
    }

    /// `send` for a record too large for the room in the write buffer: serialize it into the
    /// scratch buffer (grown to its size, within the frame limit), then `send_frame`.
    #[cold]
    fn send_via_scratch<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        let max = self.decoder.max_frame_len();
        let result = serialize_into(value, self.config, &mut scratch, max)
            .and_then(|len| self.send_frame(&scratch[..len]));
        self.scratch = scratch;
        result
    }

    /// Queues a [`FixedRecord`] as one frame: its header and bytes are written straight into
    /// the write buffer at their known size, one length check for the record (see
    /// [`record::fixed`]). The bytes are those [`Conn::send`] writes for the same type under
    /// the default [`Config`].
    ///
    /// Errors: the connection's [`Config`] is not network order with fixed-width integers
    /// ([`ErrorKind::Unsupported`]: a `FixedRecord` has only that encoding); a record longer
    /// than the maximum frame length ([`ErrorKind::FrameTooLong`]) or, with
    /// [`Framing::Fixed`], of another size ([`ErrorKind::LengthMismatch`]); nothing is queued
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
    /// let mut conn = Conn::new(Cursor::new(Vec::new()), Framing::Fixed(4));
    /// let err = conn.send_fixed(&Reading { sensor: 7, value: -40 }).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 4, actual: 6 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn send_fixed<T: FixedRecord>(&mut self, value: &T) -> Result<()> {
        check_fixed_config(self.config)?;
        let len = T::SIZE;
        let framing = self.decoder.framing();
        let header_len = framing.header_len(len);
        if len > self.decoder.max_frame_len() || header_len + len > WRITE_SLACK {
            return self.send_fixed_large(value);
        }
        if self.room() < WRITE_SLACK {
            self.make_room()?;
        }
        let at = self.wlen;
        let end = at + header_len + len;
        let out = &mut self.wbuf[at..end];
        write_header(framing, len, out)?;
        fixed::to_slice(value, &mut out[header_len..])?;
        self.wlen = end;
        if self.wlen >= self.write_buffer {
            return self.write_full();
        }
        Ok(())
    }

    /// `send_fixed` for a record over the maximum frame length or larger than the write
    /// buffer's slack: through the scratch buffer and [`Conn::send_frame`], which checks the
    /// frame's length and sends it without another copy.
    #[cold]
    fn send_fixed_large<T: FixedRecord>(&mut self, value: &T) -> Result<()> {
        let max = self.decoder.max_frame_len();
        if T::SIZE > max {
            return Err(Error::new(ErrorKind::FrameTooLong {
                len: T::SIZE as u64,
                max: max as u64,
            }));
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.resize(T::SIZE, 0);
        let result = fixed::to_slice(value, &mut scratch).and_then(|_| self.send_frame(&scratch));
        self.scratch = scratch;
        result
    }

    /// Sends everything queued and flushes the stream.
    ///
    /// ```
    /// use netorder::{frame::Framing, transport::Conn};
    /// let mut conn = Conn::new(std::io::Cursor::new(Vec::new()), Framing::Fixed(2));
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
    fn write_buffered(&mut self) -> Result<()> {
        if self.wlen == 0 {
            return Ok(());
        }
        let result = send_all(&mut self.stream, &self.wbuf[..self.wlen]);
        self.wlen = 0;
        result
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
        loop {
            match self.decoder.decode_span()? {
                Decoded::Frame(range) => return Ok(Some(self.decoder.slice(range))),
                Decoded::Need(need) => {
                    self.write_buffered()?;
                    let room = self.decoder.unfilled();
                    debug_assert!(!room.is_empty(), "a full decoder holds a frame or an error");
                    match self.stream.read(room) {
                        Ok(0) => return self.decoder.decode_eof(),
                        Ok(n) => self.decoder.filled(n),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            let held = self.decoder.buffered();
                            return Err(io_error_with_counts(&e, "received", held, held + need));
                        }
                    }
                }
            }
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
    /// let mut conn = Conn::new(Cursor::new(bytes), Framing::Fixed(6));
    /// assert_eq!(conn.recv::<(u16, u32)>()?, Some((1, 2)));
    /// let err = conn.recv::<(u16, u32)>().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 6, received: 3 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn recv<T: DeserializeOwned>(&mut self) -> Result<Option<T>> {
        let config = self.config;
        match self.recv_frame()? {
            Some(frame) => record::from_bytes_with(frame, config).map(Some),
            None => Ok(None),
        }
    }

    /// Receives one frame and decodes it as a [`FixedRecord`]: `Some(value)`, or `None` when
    /// the peer closed cleanly at a frame boundary. Errors as for [`Conn::recv_frame`], and
    /// [`record::fixed::from_bytes`]'s for a frame that is not a `T` (the wrong length, a bad
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
    /// let mut conn = Conn::new(Cursor::new(bytes), Framing::Fixed(3));
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

/// Serializes `value` into `scratch` (grown to the record's size when it is too small, within
/// `max`); returns the record's length.
fn serialize_into<T: Serialize + ?Sized>(
    value: &T,
    config: Config,
    scratch: &mut Vec<u8>,
    max: usize,
) -> Result<usize> {
    if scratch.is_empty() {
        scratch.resize(256, 0);
    }
    match record::to_slice_with(value, scratch, config) {
        Err(e) => match *e.kind() {
            ErrorKind::BufferTooSmall { needed, .. } if needed <= max => {
                scratch.resize(needed, 0);
                record::to_slice_with(value, scratch, config)
            }
            ErrorKind::BufferTooSmall { needed, .. } => Err(Error::new(ErrorKind::FrameTooLong {
                len: needed as u64,
                max: max as u64,
            })),
            _ => Err(e),
        },
        ok => ok,
    }
}

/// A handler for one client of a [`Server`]: the accepted stream (timeouts already set) and
/// the peer's address.
type Handler = dyn Fn(TcpStream, SocketAddr) -> Result<()> + Send + Sync;
/// Where a [`Server`] reports a client whose handler failed.
type Reporter = dyn Fn(SocketAddr, &Error) + Send + Sync;

/// A small threaded TCP server: one thread per client, at most `max_connections` at a time
/// (further clients wait in the listen backlog), and an idle timeout on every read and write
/// so a peer that sends half a record and stalls frees its slot. A handler's error is reported
/// with the peer's address, the connection is closed, and the server goes on serving others.
///
/// ```
/// use std::net::TcpStream;
/// use netorder::{frame::Framing, transport::{Conn, Server}};
///
/// // An echo server for u16-framed frames.
/// let server = Server::bind("127.0.0.1:0")?.spawn(
///     |stream, _peer| {
///         let mut conn = Conn::new(stream, Framing::U16);
///         while let Some(frame) = conn.recv_frame()? {
///             let frame = frame.to_vec();
///             conn.send_frame(&frame)?;
///         }
///         conn.flush()
///     },
///     |peer, err| eprintln!("{peer}: {err}"),
/// )?;
///
/// let mut client = Conn::new(TcpStream::connect(server.local_addr())?, Framing::U16);
/// client.send_frame(b"marco")?;
/// assert_eq!(client.recv_frame()?, Some(&b"marco"[..]));
/// drop(client);
/// server.stop()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    max_connections: usize,
    idle_timeout: Option<Duration>,
}

/// Default bound on concurrent connections of a [`Server`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;
/// Default idle timeout of a [`Server`]'s connections.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl Server {
    /// Binds a listening socket (`127.0.0.1:0` picks a free port; see
    /// [`Server::local_addr`]).
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let server = Server::bind("127.0.0.1:0")?;
    /// assert_ne!(server.local_addr()?.port(), 0);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn bind(addr: impl ToSocketAddrs) -> Result<Server> {
        Ok(Server::from_listener(TcpListener::bind(addr)?))
    }

    /// A server on an existing listener.
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let server = Server::from_listener(std::net::TcpListener::bind("127.0.0.1:0")?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_listener(listener: TcpListener) -> Server {
        Server {
            listener,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
        }
    }

    /// The address the server listens on (with the real port).
    ///
    /// ```
    /// use netorder::transport::Server;
    /// assert!(Server::bind("127.0.0.1:0")?.local_addr()?.ip().is_loopback());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(Error::from)
    }

    /// At most `n` clients are served at once (at least 1; default
    /// [`DEFAULT_MAX_CONNECTIONS`]).
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let server = Server::bind("127.0.0.1:0")?.max_connections(4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// A read or write that waits longer than this fails, and the handler's error closes the
    /// connection (default [`DEFAULT_IDLE_TIMEOUT`]; `None` waits for ever: not advised).
    ///
    /// ```
    /// use std::time::Duration;
    /// use netorder::transport::Server;
    /// let server = Server::bind("127.0.0.1:0")?.idle_timeout(Some(Duration::from_secs(5)));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Serves clients on this thread until the process ends: each accepted client runs
    /// `handler` on its own thread; a handler's error goes to `on_error` with the peer address.
    /// Returns only on an error of the listening socket itself.
    ///
    /// ```no_run
    /// use netorder::{frame::Framing, transport::{Conn, Server}};
    /// Server::bind("127.0.0.1:9000")?.run(
    ///     |stream, peer| {
    ///         let mut conn = Conn::new(stream, Framing::U32);
    ///         while let Some(frame) = conn.recv_frame()? {
    ///             println!("{peer}: {} bytes", frame.len());
    ///         }
    ///         Ok(())
    ///     },
    ///     |peer, err| eprintln!("{peer}: {err}"),
    /// )?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn run<H, E>(self, handler: H, on_error: E) -> Result<()>
    where
        H: Fn(TcpStream, SocketAddr) -> Result<()> + Send + Sync + 'static,
        E: Fn(SocketAddr, &Error) + Send + Sync + 'static,
    {
        let shared = Arc::new(Shared::default());
        self.accept_loop(Arc::new(handler), Arc::new(on_error), shared)
    }

    /// Serves clients on a background thread; the returned [`ServerHandle`] gives the
    /// address and stops the server.
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let server = Server::bind("127.0.0.1:0")?.spawn(|_stream, _peer| Ok(()), |_, _| {})?;
    /// let addr = server.local_addr();
    /// server.stop()?;
    /// # let _ = addr;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn spawn<H, E>(self, handler: H, on_error: E) -> Result<ServerHandle>
    where
        H: Fn(TcpStream, SocketAddr) -> Result<()> + Send + Sync + 'static,
        E: Fn(SocketAddr, &Error) + Send + Sync + 'static,
    {
        let addr = self.local_addr()?;
        let shared = Arc::new(Shared::default());
        let thread_shared = Arc::clone(&shared);
        let (handler, on_error): (Arc<Handler>, Arc<Reporter>) =
            (Arc::new(handler), Arc::new(on_error));
        let thread = std::thread::Builder::new()
            .name("netorder-accept".into())
            .spawn(move || self.accept_loop(handler, on_error, thread_shared))?;
        Ok(ServerHandle {
            addr,
            shared,
            thread,
        })
    }

    fn accept_loop(
        self,
        handler: Arc<Handler>,
        on_error: Arc<Reporter>,
        shared: Arc<Shared>,
    ) -> Result<()> {
        loop {
            // Wait for a free slot (clients wait in the backlog meanwhile).
            {
                let mut active = shared.active.lock().unwrap_or_else(|p| p.into_inner());
                while *active >= self.max_connections && !shared.stopping.load(Ordering::SeqCst) {
                    active = shared
                        .changed
                        .wait_timeout(active, Duration::from_millis(100))
                        .unwrap_or_else(|p| p.into_inner())
                        .0;
                }
            }
            if shared.stopping.load(Ordering::SeqCst) {
                return Ok(());
            }
            let (stream, peer) = match self.listener.accept() {
                Ok(accepted) => accepted,
                Err(e) if is_transient_accept_error(&e) => {
                    // Out of descriptors, a client that reset before accept...: try again soon.
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if shared.stopping.load(Ordering::SeqCst) {
                return Ok(());
            }
            let setup = stream
                .set_read_timeout(self.idle_timeout)
                .and_then(|()| stream.set_write_timeout(self.idle_timeout));
            if let Err(e) = setup {
                on_error(peer, &e.into());
                continue;
            }
            *shared.active.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
            if let Ok(handle) = stream.try_clone() {
                shared
                    .open
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id, handle);
            }
            let (handler, report, slot) = (
                Arc::clone(&handler),
                Arc::clone(&on_error),
                Arc::clone(&shared),
            );
            let spawned = std::thread::Builder::new()
                .name(format!("netorder-{peer}"))
                .spawn(move || {
                    let _slot = SlotGuard(&slot, id);
                    if let Err(e) = handler(stream, peer) {
                        report(peer, &e);
                    }
                });
            if let Err(e) = spawned {
                // The closure never ran: its guard gives the slot back here.
                drop(SlotGuard(&shared, id));
                on_error(peer, &e.into());
            }
        }
    }
}

/// Accept errors after which the listener still works.
fn is_transient_accept_error(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock | TimedOut
    ) || matches!(e.raw_os_error(), Some(23 | 24)) // ENFILE, EMFILE on Linux
}

/// State shared by a server's accept loop, its connection threads and its handle.
#[derive(Default, Debug)]
struct Shared {
    active: Mutex<usize>,
    changed: Condvar,
    stopping: AtomicBool,
    /// A handle on each open connection, by id, so that `stop` can shut them down.
    open: Mutex<HashMap<u64, TcpStream>>,
    next_id: AtomicU64,
}

/// Frees a connection slot (and forgets its handle) when a connection thread ends, even by a
/// panic.
struct SlotGuard<'a>(&'a Shared, u64);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        self.0
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
        let mut active = self.0.active.lock().unwrap_or_else(|p| p.into_inner());
        *active = active.saturating_sub(1);
        self.0.changed.notify_all();
    }
}

/// A running [`Server`] (from [`Server::spawn`]).
///
/// ```
/// use netorder::transport::Server;
/// let handle = Server::bind("127.0.0.1:0")?.spawn(|_, _| Ok(()), |_, _| {})?;
/// assert_eq!(handle.active_connections(), 0);
/// handle.stop()?;
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: JoinHandle<Result<()>>,
}

impl ServerHandle {
    /// The address the server listens on.
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let handle = Server::bind("127.0.0.1:0")?.spawn(|_, _| Ok(()), |_, _| {})?;
    /// assert!(handle.local_addr().ip().is_loopback());
    /// handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Clients being served right now.
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let handle = Server::bind("127.0.0.1:0")?.spawn(|_, _| Ok(()), |_, _| {})?;
    /// assert_eq!(handle.active_connections(), 0);
    /// handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn active_connections(&self) -> usize {
        *self.shared.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops accepting, shuts down the connections still open (their handlers see the end of
    /// the stream or an error, which is reported), waits for their threads to finish, and
    /// returns the accept loop's result.
    ///
    /// ```
    /// use netorder::transport::Server;
    /// let handle = Server::bind("127.0.0.1:0")?.spawn(|_, _| Ok(()), |_, _| {})?;
    /// handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn stop(self) -> Result<()> {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        // Wake a blocked `accept` with a connection of our own (closed at once).
        let wake = if self.addr.ip().is_unspecified() {
            let ip: std::net::IpAddr = if self.addr.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            };
            SocketAddr::new(ip, self.addr.port())
        } else {
            self.addr
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        let result = self.thread.join().unwrap_or_else(|_| {
            Err(Error::new(ErrorKind::Message(
                "the accept thread panicked".into(),
            )))
        });
        // The accept loop has ended: no connection is added any more.
        for stream in self
            .shared
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
        {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let mut active = self.shared.active.lock().unwrap_or_else(|p| p.into_inner());
        while *active > 0 {
            active = self
                .shared
                .changed
                .wait_timeout(active, Duration::from_millis(100))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        result
    }
}
