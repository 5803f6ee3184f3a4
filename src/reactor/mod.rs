//! Layer 4c: readiness-based (non-blocking) sockets. One thread watches many connections and
//! serves whichever is ready, instead of one thread per client.
//!
//! - [`ReactorServer`]: an event loop (or `threads` of them) over non-blocking sockets, driving
//!   one [`FrameDecoder`](crate::frame::FrameDecoder) per connection. Each readable socket is read until `WouldBlock` into
//!   one read buffer shared by the loop (at most eight reads a turn: a peer that sends
//!   faster than its frames are handled waits for the others' turns); whole frames go to the caller's [`Handler`], which may
//!   queue replies ([`Reply::send_frame`]) or close. Replies are written when the socket is
//!   writable: a peer that does not read its replies fills only its own queue, and while that
//!   queue is over [`ReactorServer::max_queued_bytes`] the loop stops reading from that peer
//!   (and only that peer). A peer's half-close is honoured (its replies still go out), an idle
//!   connection is closed after [`ReactorServer::idle_timeout`], a frame begun must be whole
//!   within [`ReactorServer::frame_timeout`], at most [`ReactorServer::max_connections`] are
//!   served (by default as many as the open-file limit allows: [`default_max_connections`]),
//!   and a connection between frames holds no read buffer at all: frames are decoded straight
//!   from the loop's buffer, and only an unfinished frame is copied into the connection's
//!   decoder, which is dropped again once it is empty.
//!
//! **Hostile peers.** At the cap, a new peer is admitted by closing the connection idle
//! longest that holds no unfinished frame (idle for at least [`EVICT_AFTER`]); a peer that
//! dribbles a frame is reset at the frame deadline, so neither idle nor slow peers can keep a
//! well-behaved one out for longer than the frame deadline. Out of file descriptors, accepting
//! backs off and [`Handler::accept_paused`] reports the episode once. A handler that panics
//! is caught: that connection is reset and reported, the loop goes on.
//! - [`NonBlockingConn`]: the client side. Records are queued with a bound
//!   ([`NonBlockingConn::try_send_frame`] answers "queue full" instead of growing or blocking)
//!   and written as the socket takes them ([`NonBlockingConn::flush`]); replies are read
//!   without blocking ([`NonBlockingConn::try_recv_frame`]).
//!
//! **Why `mio`.** Both `mio` and `polling` are small, well-kept wrappers over epoll/kqueue/IOCP.
//! `mio` also brings the non-blocking `TcpListener`/`TcpStream` types, a cross-thread
//! [`mio::Waker`] for shutdown, and it is the layer tokio itself stands on, so the comparison
//! in `benches/server.rs` is like for like. `polling` would leave the socket types and the
//! waker to us. `socket2` sets what neither std nor mio does: a listen backlog of
//! [`LISTEN_BACKLOG`] (theirs is 128, too few when thousands of clients connect at once) and
//! `SO_LINGER` 0 for a reset. Both sit behind the `reactor` feature (on with `cli`): users who
//! only want blocking sockets do not compile them.
//!
//! ```
//! use netorder::frame::Framing;
//! use netorder::reactor::{Handler, NonBlockingConn, ReactorServer, Received, Reply};
//!
//! /// Sends every frame back.
//! #[derive(Clone)]
//! struct Echo;
//! impl Handler for Echo {
//!     fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
//!         reply.send_frame(frame)
//!     }
//! }
//!
//! let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Echo)?;
//! let mut client = NonBlockingConn::connect(server.local_addr(), Framing::U16)?;
//! assert!(client.try_send_frame(b"marco")?); // queued
//! let mut got = None;
//! for _ in 0..1000 {
//!     client.flush()?;
//!     if let Received::Frame(f) = client.try_recv_frame()? {
//!         got = Some(f.to_vec());
//!         break;
//!     }
//!     std::thread::sleep(std::time::Duration::from_millis(5));
//! }
//! assert_eq!(got.as_deref(), Some(&b"marco"[..]));
//! server.stop()?;
//! # Ok::<(), netorder::Error>(())
//! ```

mod client;
mod conn;
mod event_loop;
mod queue;
mod server;

pub use crate::transport::ACCEPT_BACKOFF_MAX;
pub use crate::transport::limits::{
    FALLBACK_MAX_CONNECTIONS, MAX_DERIVED_CONNECTIONS, RESERVED_DESCRIPTORS,
    default_max_connections, open_file_limit, raise_open_file_limit,
};
pub use client::{NonBlockingConn, Received};
pub use server::{ReactorHandle, ReactorServer};

use crate::error::{Error, Result};
use crate::frame::{Framing, encode_frame};
use queue::WriteQueue;
use std::net::SocketAddr;
use std::time::Duration;

/// Default idle timeout of a [`ReactorServer`]'s connections.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default frame deadline of a [`ReactorServer`]: once the first byte of a frame has arrived,
/// the whole frame must arrive within this time.
pub const DEFAULT_FRAME_TIMEOUT: Duration = Duration::from_secs(10);
/// At its connection cap, a [`ReactorServer`] admits a new peer by closing a connection that
/// holds no unfinished frame and has been idle (nothing read or written) for at least this
/// long, the one idle longest.
pub const EVICT_AFTER: Duration = Duration::from_secs(1);
/// Default bound on the reply bytes queued for one peer before the loop stops reading from
/// it: 256 KiB.
pub const DEFAULT_MAX_QUEUED_BYTES: usize = 256 << 10;
/// The listen backlog of [`ReactorServer::bind`] (std and mio use 128: too few when
/// thousands of clients connect at once; the kernel caps it at `net.core.somaxconn`).
pub const LISTEN_BACKLOG: i32 = 4096;
/// Bytes one read takes from a socket at most: the loop's shared read buffer.
pub const READ_CHUNK: usize = 64 << 10;

/// Reads one connection gets per turn; then the loop serves the others and comes back
/// (a peer that sends faster than its frames are handled would otherwise keep the loop).
const READS_PER_TURN: usize = 8;

/// A write queue bigger than this is given back to the allocator once it has been sent, so an
/// idle connection holds no large buffer.
const KEEP_QUEUE_CAPACITY: usize = 1 << 10;

/// What a [`ReactorServer`] does with each frame and connection. One handler value serves all
/// the connections of one event loop; with several loops ([`ReactorServer::threads`]) each
/// gets a clone.
///
/// ```
/// use netorder::{Error, ErrorKind, frame::Framing};
/// use netorder::reactor::{Event, Handler, Reply};
/// use std::net::SocketAddr;
///
/// /// Answers each 4-byte frame with its bytes reversed; any other length is an error,
/// /// which closes the connection and is reported through `event`.
/// #[derive(Clone)]
/// struct Reverse;
/// impl Handler for Reverse {
///     fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
///         if frame.len() != 4 {
///             return Err(Error::new(ErrorKind::Message("not 4 bytes".into())));
///         }
///         let mut r = frame.to_vec();
///         r.reverse();
///         reply.send_frame(&r)
///     }
///     fn event(&mut self, peer: SocketAddr, event: Event<'_>) {
///         if let Event::Failed(err) = event {
///             eprintln!("{peer}: {err}");
///         }
///     }
/// }
/// ```
pub trait Handler {
    /// One whole frame from the peer (the payload, without its length prefix). An error
    /// closes the connection (after a last attempt to send what is queued) and is reported
    /// as [`Event::Failed`].
    fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> Result<()>;

    /// A connection was accepted, closed cleanly, or failed. Does nothing by default.
    fn event(&mut self, peer: SocketAddr, event: Event<'_>) {
        let _ = (peer, event);
    }

    /// Accepting has stopped for want of file descriptors (`EMFILE`, `ENFILE`) or memory:
    /// called once per episode, with an error that names the open-file limit and the
    /// connections open. The loop retries with a growing pause (at most
    /// [`ACCEPT_BACKOFF_MAX`]), and at once whenever one of its connections closes; new peers
    /// wait in the listen backlog meanwhile. Prints the error as one line on stderr by default.
    ///
    /// ```
    /// use netorder::{Error, reactor::{Handler, Reply}};
    /// #[derive(Clone)]
    /// struct Quiet;
    /// impl Handler for Quiet {
    ///     fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) }
    ///     fn accept_paused(&mut self, error: &Error) {
    ///         assert!(error.to_string().contains("open-file limit"));
    ///     }
    /// }
    /// ```
    fn accept_paused(&mut self, error: &Error) {
        std::eprintln!("netorder: {error}");
    }
}

/// What happened to a connection, for [`Handler::event`].
///
/// ```
/// use netorder::reactor::Event;
/// assert_eq!(Event::Connected, Event::Connected);
/// assert_ne!(Event::Connected, Event::Closed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event<'a> {
    /// Accepted.
    Connected,
    /// Closed without error: the peer closed at a frame boundary (or the handler asked to
    /// close) and every queued reply was sent.
    Closed,
    /// Closed because of this error: a bad or truncated frame, a handler error or panic, an
    /// I/O error, the idle timeout or the frame deadline (I/O errors of kind `TimedOut` with
    /// the counts of the unfinished frame, if any), or an eviction to admit a new peer at the
    /// connection cap.
    Failed(&'a Error),
}

/// The handle a [`Handler`] gets with each frame: who sent it, and a way to answer or close.
///
/// ```
/// use netorder::reactor::{Handler, Reply};
///
/// #[derive(Clone)]
/// struct OneShot;
/// impl Handler for OneShot {
///     fn frame(&mut self, reply: &mut Reply<'_>, _frame: &[u8]) -> netorder::Result<()> {
///         reply.send_frame(b"bye")?;
///         reply.close(); // after "bye" has been sent
///         Ok(())
///     }
/// }
/// ```
#[derive(Debug)]
pub struct Reply<'a> {
    peer: SocketAddr,
    framing: Framing,
    queue: &'a mut WriteQueue,
    close: &'a mut bool,
}

impl Reply<'_> {
    /// The peer's address.
    ///
    /// ```
    /// # use netorder::reactor::{Handler, Reply};
    /// # #[derive(Clone)] struct H;
    /// # impl Handler for H {
    /// fn frame(&mut self, reply: &mut Reply<'_>, _frame: &[u8]) -> netorder::Result<()> {
    ///     assert!(reply.peer().ip().is_loopback());
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn peer(&self) -> SocketAddr {
        self.peer
    }

    /// Queues one frame (prefix, then `payload`) to be sent when the socket is writable.
    /// Errors as [`encode_frame`], leaving the queue as it was: a payload over the framing's
    /// maximum frame length or its length field
    /// ([`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong)), or not the length of a
    /// fixed-length frame. The error, returned from [`Handler::frame`], closes the connection.
    ///
    /// ```
    /// # use netorder::reactor::{Handler, Reply};
    /// # #[derive(Clone)] struct H;
    /// # impl Handler for H {
    /// fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
    ///     reply.send_frame(frame)?; // echo
    ///     assert!(reply.queued() >= frame.len());
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn send_frame(&mut self, payload: &[u8]) -> Result<()> {
        self.queue.compact();
        encode_frame(self.framing, payload, &mut self.queue.buf).map(|_| ())
    }

    /// Reply bytes queued for this peer and not yet sent.
    ///
    /// ```
    /// # use netorder::reactor::{Handler, Reply};
    /// # #[derive(Clone)] struct H;
    /// # impl Handler for H {
    /// fn frame(&mut self, reply: &mut Reply<'_>, _frame: &[u8]) -> netorder::Result<()> {
    ///     let before = reply.queued();
    ///     reply.send_frame(b"ok")?;
    ///     assert!(reply.queued() > before);
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Closes the connection once the queued replies are sent; later frames already received
    /// are dropped. Reported as [`Event::Closed`].
    ///
    /// ```
    /// # use netorder::reactor::{Handler, Reply};
    /// # #[derive(Clone)] struct H;
    /// # impl Handler for H {
    /// fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
    ///     if frame == b"quit" {
    ///         reply.close();
    ///     }
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn close(&mut self) {
        *self.close = true;
    }
}

/// Settings shared by every loop of a server.
#[derive(Debug, Clone, Copy)]
struct Settings {
    /// With the maximum frame length, for the frames received and the replies.
    framing: Framing,
    max_connections: usize,
    idle_timeout: Option<Duration>,
    frame_timeout: Option<Duration>,
    max_queued_bytes: usize,
}
