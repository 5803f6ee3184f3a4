//! The I/O loops: send everything, receive exactly, and the one receive step of the framed
//! connections (blocking [`Conn`](super::Conn) and the reactor's `NonBlockingConn`); the
//! errors they give, with counts; the socket operations beyond `Read + Write`.

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{Decoded, FrameDecoder};
use crate::prelude::*;
use core::ops::Range;
use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, TcpStream};
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
            Err(e) => return Err(io_error_with_counts(e, "sent", sent, bytes.len())),
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
            Err(e) => return Err(io_error_with_counts(e, "received", received, buf.len())),
        }
    }
    Ok(true)
}

/// `Io { WriteZero }` with the counts.
pub(crate) fn write_zero(sent: usize, total: usize) -> Error {
    Error::io(
        io::ErrorKind::WriteZero.into(),
        format!("the writer accepted 0 bytes after {sent} of {total} were sent"),
    )
}

/// An I/O error with how far the transfer got, when it got anywhere; `e` is its source.
pub(crate) fn io_error_with_counts(e: io::Error, verb: &str, done: usize, total: usize) -> Error {
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
    Error::io(e, message)
}

/// What one [`recv_frame`] step gave.
#[derive(Debug)]
pub(crate) enum Recv {
    /// A whole frame: its payload's range in the decoder's buffer.
    Frame(Range<usize>),
    /// The stream ended cleanly at a frame boundary.
    Closed,
    /// The read would block: on a non-blocking socket, nothing more for now; on a blocking
    /// one, a read timeout (which the caller reports with [`recv_error`]).
    WouldBlock(io::Error),
}

/// The receive step of every framed connection (the blocking `Conn` and the reactor's
/// `NonBlockingConn`): the next frame the decoder holds, or else a read straight into the
/// decoder's unfilled room and another try. `before_wait` runs before each read, with the
/// decoder (a blocking connection sends its queued frames there, so a request never waits
/// behind its own reply, and sets the read timeout for its frame deadline). `Interrupted` is retried; the end of the stream gives the last buffered frame,
/// [`Recv::Closed`], or [`ErrorKind::Truncated`] with the counts; any other I/O error comes
/// with the counts of the unfinished frame ([`recv_error`]).
#[inline(always)]
pub(crate) fn recv_frame<S: Read + ?Sized>(
    decoder: &mut FrameDecoder,
    stream: &mut S,
    mut before_wait: impl FnMut(&mut S, &FrameDecoder) -> Result<()>,
) -> Result<Recv> {
    loop {
        if let Decoded::Frame(range) = decoder.decode_span()? {
            return Ok(Recv::Frame(range));
        }
        before_wait(stream, decoder)?;
        let room = decoder.unfilled();
        debug_assert!(!room.is_empty(), "a full decoder holds a frame or an error");
        match stream.read(room) {
            Ok(0) => {
                return Ok(match decoder.decode_eof_span()? {
                    Some(range) => Recv::Frame(range),
                    None => Recv::Closed,
                });
            }
            Ok(n) => decoder.filled(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Recv::WouldBlock(e)),
            Err(e) => return Err(recv_error(e, decoder)),
        }
    }
}

/// An I/O error while receiving, with the counts of the frame the decoder holds part of
/// (`expected N bytes, received M`), when it holds any.
pub(crate) fn recv_error(e: io::Error, decoder: &FrameDecoder) -> Error {
    let (held, expected) = decoder.unfinished();
    io_error_with_counts(e, "received", held, expected)
}

/// Writes `a` then `b` in as few system calls as the writer allows (vectored writes).
pub(super) fn send_all_vectored<W: Write + ?Sized>(w: &mut W, a: &[u8], b: &[u8]) -> Result<()> {
    let total = a.len() + b.len();
    let mut sent = 0;
    while sent < a.len() {
        let slices = [IoSlice::new(&a[sent..]), IoSlice::new(b)];
        match w.write_vectored(&slices) {
            Ok(0) => return Err(write_zero(sent, total)),
            Ok(n) => sent += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error_with_counts(e, "sent", sent, total)),
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

/// The socket operations a [`Conn`](super::Conn) needs beyond `Read + Write`: a half-close and timeouts.
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
    /// The read timeout in force (`None` by default: a socket type that cannot tell).
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(None)
    }
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
            fn read_timeout(&self) -> io::Result<Option<Duration>> {
                <$ty>::read_timeout(self)
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
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        (**self).read_timeout()
    }
}
