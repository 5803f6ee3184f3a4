//! [`NonBlockingConn`]: the client side of a non-blocking connection.

use super::{DEFAULT_MAX_QUEUED_BYTES, WriteQueue};
use crate::error::{Error, Result};
use crate::frame::{FrameDecoder, Framing, encode_frame};
use crate::transport::{Recv, recv_frame};
use mio::net::TcpStream as MioStream;
use mio::{Interest, Registry, Token};
use std::io;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

/// One answer of [`NonBlockingConn::try_recv_frame`].
///
/// ```
/// use netorder::reactor::Received;
/// assert_ne!(Received::WouldBlock, Received::Closed);
/// assert_eq!(Received::Frame(b"x"), Received::Frame(b"x"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received<'a> {
    /// A whole frame's payload.
    Frame(&'a [u8]),
    /// No whole frame yet and the socket has nothing more now: wait for readable.
    WouldBlock,
    /// The peer closed at a frame boundary.
    Closed,
}

/// The client side of a non-blocking connection: frames are queued, up to a bound, and
/// written as the socket takes them, so a sender never blocks on a full socket buffer.
/// Register it with a [`mio::Poll`] (it is a [`mio::event::Source`]) to learn when to
/// [`flush`](NonBlockingConn::flush) or [`try_recv_frame`](NonBlockingConn::try_recv_frame)
/// again, or simply call them in a loop.
///
/// ```
/// use netorder::{frame::Framing, reactor::NonBlockingConn};
///
/// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?
///     .with_max_queued_bytes(1024);
/// // Nobody reads: the kernel's buffers fill, then the queue, then the answer is "full".
/// let mut queued = 0;
/// while conn.try_send_frame(&[7; 1000])? {
///     queued += 1;
///     assert!(queued < 1_000_000);
/// }
/// assert!(conn.queued() <= 1024 + 1002);
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug)]
pub struct NonBlockingConn {
    stream: MioStream,
    /// Holds the framing (and its maximum frame length) for both directions.
    decoder: FrameDecoder,
    queue: WriteQueue,
    max_queued_bytes: usize,
}

impl NonBlockingConn {
    /// Connects (blocking until the connection is made, at most 10 s) and switches the socket
    /// to non-blocking mode.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing, reactor::NonBlockingConn};
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U32)?;
    /// assert_eq!(conn.queued(), 0);
    /// drop(listener);
    /// // Nobody listens there any more: an error.
    /// let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    /// let err = NonBlockingConn::connect(addr, Framing::U32).unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::Io { kind: std::io::ErrorKind::ConnectionRefused, .. }
    /// ));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn connect(addr: SocketAddr, framing: Framing) -> Result<NonBlockingConn> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        NonBlockingConn::new(stream, framing)
    }

    /// Wraps a connected stream, switching it to non-blocking mode.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let stream = std::net::TcpStream::connect(listener.local_addr()?)?;
    /// let conn = NonBlockingConn::new(stream, Framing::VARINT)?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn new(stream: TcpStream, framing: Framing) -> Result<NonBlockingConn> {
        stream.set_nonblocking(true)?;
        Ok(NonBlockingConn {
            stream: MioStream::from_std(stream),
            decoder: FrameDecoder::new(framing),
            queue: WriteQueue::default(),
            max_queued_bytes: DEFAULT_MAX_QUEUED_BYTES,
        })
    }

    /// Sets the queue bound (default [`DEFAULT_MAX_QUEUED_BYTES`]).
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?
    ///     .with_max_queued_bytes(4096);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn with_max_queued_bytes(mut self, n: usize) -> Self {
        self.max_queued_bytes = n;
        self
    }

    /// The framing, with its maximum frame length: the largest frame sent and received.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let framing = Framing::U16.with_max_frame_len(64);
    /// let conn = NonBlockingConn::connect(listener.local_addr()?, framing)?;
    /// assert_eq!(conn.framing(), framing);
    /// assert_ne!(conn.framing(), Framing::U16);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn framing(&self) -> Framing {
        self.decoder.framing()
    }

    /// Bytes queued and not yet written.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// assert!(conn.try_send_frame(b"hi")?);
    /// assert!(conn.queued() <= 4); // written already, or still queued
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Queues one frame and writes what the socket takes now. `Ok(false)` when the queue is
    /// over its bound even after that write (backpressure: wait until the socket is writable,
    /// [`flush`](NonBlockingConn::flush), and try again); the frame was not queued. The queue
    /// never holds more than the bound plus one frame. Errors: a payload the framing cannot
    /// carry, over its maximum frame length or its length field
    /// ([`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong), as every endpoint
    /// refuses it; nothing queued), or the socket's error.
    ///
    /// ```
    /// # use netorder::{ErrorKind, frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// assert!(conn.try_send_frame(b"hello")?);
    /// let err = conn.try_send_frame(&vec![0; 70_000]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 70_000, max: 65_535 });
    ///
    /// let framing = Framing::U16.with_max_frame_len(4);
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, framing)?;
    /// let err = conn.try_send_frame(b"hello").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 5, max: 4 });
    /// assert_eq!(conn.queued(), 0);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn try_send_frame(&mut self, payload: &[u8]) -> Result<bool> {
        if self.queue.len() > self.max_queued_bytes {
            self.flush()?;
            if self.queue.len() > self.max_queued_bytes {
                return Ok(false);
            }
        }
        self.queue.compact();
        encode_frame(self.decoder.framing(), payload, &mut self.queue.buf)?;
        if self.queue.len() > self.max_queued_bytes {
            self.flush()?;
        }
        Ok(true)
    }

    /// Writes queued bytes until the queue is empty (`Ok(true)`) or the socket would block
    /// (`Ok(false)`).
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// conn.try_send_frame(b"x")?;
    /// assert!(conn.flush()?); // three bytes fit in any socket buffer
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn flush(&mut self) -> Result<bool> {
        self.queue.flush_to(&mut self.stream, &mut false)
    }

    /// Reads what the socket has (without blocking) and returns the next whole frame, or
    /// that none is there yet, or that the peer closed at a frame boundary. Errors: a close
    /// inside a frame ([`ErrorKind::Truncated`](crate::ErrorKind::Truncated)), a bad or too long prefix, the socket's error.
    ///
    /// ```
    /// use std::io::Write;
    /// use netorder::{ErrorKind, frame::Framing, reactor::{NonBlockingConn, Received}};
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// assert_eq!(conn.try_recv_frame()?, Received::WouldBlock);
    /// let (mut server, _) = listener.accept()?;
    /// server.write_all(b"\0\x02hi\0\x09cut")?;
    /// drop(server);
    /// let mut frames = Vec::new();
    /// let err = loop {
    ///     match conn.try_recv_frame() {
    ///         Ok(Received::Frame(f)) => frames.push(f.to_vec()),
    ///         Ok(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
    ///         Err(e) => break e,
    ///     }
    /// };
    /// assert_eq!(frames, [b"hi".to_vec()]);
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 11, received: 5 });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_recv_frame(&mut self) -> Result<Received<'_>> {
        Ok(
            match recv_frame(&mut self.decoder, &mut self.stream, |_, _| Ok(()))? {
                Recv::Frame(range) => Received::Frame(self.decoder.slice(range)),
                Recv::Closed => Received::Closed,
                Recv::WouldBlock(_) => Received::WouldBlock,
            },
        )
    }

    /// Closes the writing half (call once [`flush`](NonBlockingConn::flush) says the queue
    /// is empty): the peer reads end-of-stream and can still answer.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// conn.shutdown_write()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn shutdown_write(&mut self) -> Result<()> {
        self.stream.shutdown(Shutdown::Write).map_err(Error::from)
    }

    /// The socket.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// assert_eq!(conn.get_ref().peer_addr()?, listener.local_addr()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_ref(&self) -> &MioStream {
        &self.stream
    }
}

impl mio::event::Source for NonBlockingConn {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        self.stream.register(registry, token, interests)
    }
    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        self.stream.reregister(registry, token, interests)
    }
    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        self.stream.deregister(registry)
    }
}
