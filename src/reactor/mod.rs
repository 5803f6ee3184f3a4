//! Layer 4c: readiness-based (non-blocking) sockets. One thread watches many connections and
//! serves whichever is ready, instead of one thread per client.
//!
//! - [`ReactorServer`]: an event loop (or `threads` of them) over non-blocking sockets, driving
//!   one [`FrameDecoder`] per connection. Each readable socket is read until `WouldBlock` into
//!   one read buffer shared by the loop (at most eight reads a turn: a peer that sends
//!   faster than its frames are handled waits for the others' turns); whole frames go to the caller's [`Handler`], which may
//!   queue replies ([`Reply::send_frame`]) or close. Replies are written when the socket is
//!   writable: a peer that does not read its replies fills only its own queue, and while that
//!   queue is over [`ReactorServer::max_queued_bytes`] the loop stops reading from that peer
//!   (and only that peer). A peer's half-close is honoured (its replies still go out), an idle
//!   connection is closed after [`ReactorServer::idle_timeout`], at most
//!   [`ReactorServer::max_connections`] are served (the rest wait in the listen backlog), and a
//!   connection between frames holds no read buffer at all: frames are decoded straight from
//!   the loop's buffer, and only an unfinished frame is copied into the connection's decoder,
//!   which is dropped again once it is empty.
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

use crate::error::{Error, ErrorKind, Result};
use crate::frame::{
    DEFAULT_MAX_FRAME_LEN, Decoded, FrameDecoder, Framing, decode_frame, encode_frame,
};
use crate::prelude::*;
use crate::transport::{io_error_with_counts, write_zero};
use mio::net::{TcpListener as MioListener, TcpStream as MioStream};
use mio::{Events, Interest, Poll, Registry, Token, Waker};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Default bound on concurrent connections of a [`ReactorServer`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;
/// Default idle timeout of a [`ReactorServer`]'s connections.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
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
const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);
/// Connection `i` is registered as `Token(i + FIRST_CONN)`.
const FIRST_CONN: usize = 2;

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
    /// Closed because of this error: a bad or truncated frame, a handler error, an I/O error
    /// or the idle timeout (an I/O error of kind `TimedOut` with the counts of the unfinished
    /// frame, if any).
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
    /// Errors as [`encode_frame`]: a payload too long for the framing's length field, or not
    /// the length of a `Fixed` frame, leaving the queue as it was.
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

/// Bytes waiting to be written: `buf[sent..]`.
#[derive(Debug, Default)]
struct WriteQueue {
    buf: Vec<u8>,
    sent: usize,
}

impl WriteQueue {
    /// Bytes queued and not yet written.
    fn len(&self) -> usize {
        self.buf.len() - self.sent
    }

    /// Drops the bytes already sent when they are at least half the buffer (amortised O(1)).
    fn compact(&mut self) {
        if self.sent > 0 && self.sent >= self.buf.len() / 2 {
            self.buf.drain(..self.sent);
            self.sent = 0;
        }
    }

    /// Writes until the queue is empty (`Ok(true)`) or the socket would block (`Ok(false)`).
    /// `progress` is set when any byte went out.
    fn flush_to<W: Write>(&mut self, w: &mut W, progress: &mut bool) -> Result<bool> {
        while self.sent < self.buf.len() {
            match w.write(&self.buf[self.sent..]) {
                Ok(0) => return Err(write_zero(self.sent, self.buf.len())),
                Ok(n) => {
                    self.sent += n;
                    *progress = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(io_error_with_counts(&e, "sent", self.sent, self.buf.len()));
                }
            }
        }
        self.buf.clear();
        self.sent = 0;
        if self.buf.capacity() > KEEP_QUEUE_CAPACITY {
            self.buf = Vec::new();
        }
        Ok(true)
    }
}

/// Settings shared by every loop of a server.
#[derive(Debug, Clone, Copy)]
struct Settings {
    framing: Framing,
    max_frame_len: usize,
    max_connections: usize,
    idle_timeout: Option<Duration>,
    max_queued_bytes: usize,
}

/// A readiness-based TCP server: `threads` event loops (default 1) over non-blocking sockets,
/// each driving many connections. See the [module documentation](self).
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::{Shutdown, TcpStream};
/// use netorder::frame::Framing;
/// use netorder::reactor::{Handler, ReactorServer, Reply};
///
/// #[derive(Clone)]
/// struct Echo;
/// impl Handler for Echo {
///     fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
///         reply.send_frame(frame)
///     }
/// }
///
/// let server = ReactorServer::bind("127.0.0.1:0", Framing::Fixed(3))?
///     .max_connections(100)
///     .spawn(Echo)?;
/// let mut s = TcpStream::connect(server.local_addr())?;
/// s.write_all(b"abcdef")?;
/// s.shutdown(Shutdown::Write)?; // half-close: the echoes still come back
/// let mut back = Vec::new();
/// s.read_to_end(&mut back)?;
/// assert_eq!(back, b"abcdef");
/// server.stop()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ReactorServer {
    listener: TcpListener,
    settings: Settings,
    threads: usize,
}

impl ReactorServer {
    /// Binds a listening socket (backlog [`LISTEN_BACKLOG`]) on the first address of `addr`
    /// that works, for frames in `framing`.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U32)?;
    /// assert_ne!(server.local_addr()?.port(), 0);
    /// // An address in use: an error, not a panic.
    /// let err = ReactorServer::bind(server.local_addr()?, Framing::U32).unwrap_err();
    /// assert!(matches!(
    ///     err.kind(),
    ///     ErrorKind::Io { kind: std::io::ErrorKind::AddrInUse, .. }
    /// ));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn bind(addr: impl ToSocketAddrs, framing: Framing) -> Result<ReactorServer> {
        let mut last = None;
        for a in addr.to_socket_addrs()? {
            match listen(a) {
                Ok(l) => return Ok(ReactorServer::from_listener(l, framing)),
                Err(e) => last = Some(e),
            }
        }
        Err(last
            .unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address"))
            .into())
    }

    /// A server on an existing listener (made non-blocking when it is spawned).
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let server = ReactorServer::from_listener(listener, Framing::Varint);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_listener(listener: TcpListener, framing: Framing) -> ReactorServer {
        ReactorServer {
            listener,
            settings: Settings {
                framing,
                max_frame_len: DEFAULT_MAX_FRAME_LEN,
                max_connections: DEFAULT_MAX_CONNECTIONS,
                idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
                max_queued_bytes: DEFAULT_MAX_QUEUED_BYTES,
            },
            threads: 1,
        }
    }

    /// The address the server listens on (with the real port).
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?;
    /// assert!(server.local_addr()?.ip().is_loopback());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(Error::from)
    }

    /// The largest frame payload accepted (default 16 MiB); a longer announced length is
    /// [`ErrorKind::LengthLimit`] and closes the connection before anything is allocated.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.max_frame_len(64);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn max_frame_len(mut self, n: usize) -> Self {
        self.settings.max_frame_len = n;
        self
    }

    /// At most `n` connections at once over all loops (at least 1; default
    /// [`DEFAULT_MAX_CONNECTIONS`]); further clients wait in the listen backlog.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.max_connections(4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn max_connections(mut self, n: usize) -> Self {
        self.settings.max_connections = n.max(1);
        self
    }

    /// A connection on which nothing was read or written for this long is closed and
    /// reported (default [`DEFAULT_IDLE_TIMEOUT`]; `None`: never).
    ///
    /// ```
    /// use std::time::Duration;
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?
    ///     .idle_timeout(Some(Duration::from_secs(5)));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.idle_timeout = timeout;
        self
    }

    /// While more than `n` reply bytes wait for a peer, nothing more is read from it (default
    /// [`DEFAULT_MAX_QUEUED_BYTES`]). A peer's queue never holds more than `n` plus the
    /// replies to one read of at most [`READ_CHUNK`] bytes.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.max_queued_bytes(64 << 10);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn max_queued_bytes(mut self, n: usize) -> Self {
        self.settings.max_queued_bytes = n;
        self
    }

    /// Runs `n` event loops (at least 1; default 1), each on its own thread with a clone of
    /// the handler; a new connection goes to whichever loop accepts it first.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.threads(2);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n.max(1);
        self
    }

    /// Serves on background threads; the returned [`ReactorHandle`] gives the address and
    /// stops the server.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// #[derive(Clone)]
    /// struct Quiet;
    /// impl Handler for Quiet {
    ///     fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) }
    /// }
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.threads(2).spawn(Quiet)?;
    /// assert_eq!(handle.active_connections(), 0);
    /// handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn spawn<H>(self, handler: H) -> Result<ReactorHandle>
    where
        H: Handler + Clone + Send + 'static,
    {
        let addr = self.local_addr()?;
        self.listener.set_nonblocking(true)?;
        let shared = Arc::new(Shared::default());
        let mut wakers = Vec::with_capacity(self.threads);
        let mut loops = Vec::with_capacity(self.threads);
        for _ in 0..self.threads {
            let poll = Poll::new()?;
            let mut listener = MioListener::from_std(self.listener.try_clone()?);
            poll.registry()
                .register(&mut listener, LISTENER, Interest::READABLE)?;
            let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
            wakers.push(Arc::clone(&waker));
            loops.push(EventLoop {
                poll,
                listener,
                handler: handler.clone(),
                settings: self.settings,
                shared: Arc::clone(&shared),
                conns: Vec::new(),
                free: Vec::new(),
                scratch: vec![0; READ_CHUNK],
                accept_pending: false,
                again: Vec::new(),
            });
        }
        let mut threads = Vec::with_capacity(loops.len());
        for (i, event_loop) in loops.into_iter().enumerate() {
            let spawned = std::thread::Builder::new()
                .name(format!("netorder-reactor-{i}"))
                .spawn(move || event_loop.run());
            match spawned {
                Ok(t) => threads.push(t),
                Err(e) => {
                    let handle = ReactorHandle {
                        addr,
                        shared,
                        wakers,
                        threads,
                    };
                    let _ = handle.stop();
                    return Err(e.into());
                }
            }
        }
        Ok(ReactorHandle {
            addr,
            shared,
            wakers,
            threads,
        })
    }

    /// Serves until a loop fails on its own (an error of the polling system, not of a
    /// peer): [`ReactorServer::spawn`], then waits.
    ///
    /// ```no_run
    /// use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// #[derive(Clone)]
    /// struct Echo;
    /// impl Handler for Echo {
    ///     fn frame(&mut self, r: &mut Reply<'_>, f: &[u8]) -> netorder::Result<()> {
    ///         r.send_frame(f)
    ///     }
    /// }
    /// ReactorServer::bind("127.0.0.1:9000", Framing::U32)?.run(Echo)?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn run<H>(self, handler: H) -> Result<()>
    where
        H: Handler + Clone + Send + 'static,
    {
        self.spawn(handler)?.wait()
    }
}

/// A listening socket on `addr` with `SO_REUSEADDR` and a backlog of [`LISTEN_BACKLOG`].
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    Ok(socket.into())
}

/// State shared by a server's loops and its handle.
#[derive(Debug, Default)]
struct Shared {
    active: AtomicUsize,
    stopping: AtomicBool,
    peak_queued: AtomicUsize,
}

/// A running [`ReactorServer`] (from [`ReactorServer::spawn`]).
///
/// ```
/// use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
/// #[derive(Clone)]
/// struct Quiet;
/// impl Handler for Quiet {
///     fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) }
/// }
/// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Quiet)?;
/// assert!(handle.local_addr().ip().is_loopback());
/// handle.stop()?;
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug)]
pub struct ReactorHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    wakers: Vec<Arc<Waker>>,
    threads: Vec<JoinHandle<Result<()>>>,
}

impl ReactorHandle {
    /// The address the server listens on.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// # #[derive(Clone)] struct Q;
    /// # impl Handler for Q { fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) } }
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Q)?;
    /// assert_ne!(handle.local_addr().port(), 0);
    /// # handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections open right now, over all loops.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// # #[derive(Clone)] struct Q;
    /// # impl Handler for Q { fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) } }
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Q)?;
    /// assert_eq!(handle.active_connections(), 0);
    /// # handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn active_connections(&self) -> usize {
        self.shared.active.load(Ordering::SeqCst)
    }

    /// The most reply bytes ever queued for one peer (after a write attempt): the measure of
    /// [`ReactorServer::max_queued_bytes`] at work.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// # #[derive(Clone)] struct Q;
    /// # impl Handler for Q { fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) } }
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Q)?;
    /// assert_eq!(handle.peak_queued_bytes(), 0);
    /// # handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn peak_queued_bytes(&self) -> usize {
        self.shared.peak_queued.load(Ordering::SeqCst)
    }

    /// Stops every loop (open connections are closed without a report) and returns the first
    /// loop error, if any.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// # #[derive(Clone)] struct Q;
    /// # impl Handler for Q { fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) } }
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Q)?;
    /// handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn stop(self) -> Result<()> {
        self.shared.stopping.store(true, Ordering::SeqCst);
        for w in &self.wakers {
            let _ = w.wake();
        }
        self.wait()
    }

    /// Waits for every loop to end; the first error wins.
    fn wait(self) -> Result<()> {
        let mut result = Ok(());
        for t in self.threads {
            let r = t.join().unwrap_or_else(|_| {
                Err(Error::new(ErrorKind::Message(
                    "a reactor thread panicked".into(),
                )))
            });
            if result.is_ok() {
                result = r;
            }
        }
        result
    }
}

/// One connection of a loop.
#[derive(Debug)]
struct Connection {
    stream: MioStream,
    peer: SocketAddr,
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
    abort: bool,
}

/// What to do with a connection after serving it.
enum After {
    Keep,
    /// Its turn ended with bytes maybe still in the socket (no new edge will say so): serve
    /// it again after the others.
    Again,
    Close,
}

/// One event loop: a poll, the listener, its connections.
struct EventLoop<H> {
    poll: Poll,
    listener: MioListener,
    handler: H,
    settings: Settings,
    shared: Arc<Shared>,
    /// Slot `i` is `Token(i + FIRST_CONN)`; `free` lists the empty slots.
    conns: Vec<Option<Connection>>,
    free: Vec<usize>,
    scratch: Vec<u8>,
    /// A client waits in the backlog because the connection bound was reached (or
    /// descriptors ran out): try `accept` again soon.
    accept_pending: bool,
    /// Connections whose turn ended before their socket was empty.
    again: Vec<usize>,
}

impl<H: Handler> EventLoop<H> {
    fn run(mut self) -> Result<()> {
        let mut events = Events::with_capacity(1024);
        let sweep_every = self
            .settings
            .idle_timeout
            .map(|d| (d / 4).clamp(Duration::from_millis(10), Duration::from_secs(1)));
        let mut next_sweep = sweep_every.map(|d| Instant::now() + d);
        loop {
            let now = Instant::now();
            let mut timeout = next_sweep.map(|t| t.saturating_duration_since(now));
            if !self.again.is_empty() {
                timeout = Some(Duration::ZERO);
            }
            if self.accept_pending {
                let retry = Duration::from_millis(20);
                timeout = Some(timeout.map_or(retry, |t| t.min(retry)));
            }
            match self.poll.poll(&mut events, timeout) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
            if self.shared.stopping.load(Ordering::SeqCst) {
                self.close_all();
                return Ok(());
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_all()?,
                    WAKER => {}
                    Token(t) => {
                        let read = if event.is_read_closed() || event.is_error() {
                            ReadMode::UntilWouldBlock
                        } else if event.is_readable() {
                            ReadMode::UntilShort
                        } else {
                            ReadMode::No
                        };
                        self.serve(t - FIRST_CONN, read);
                    }
                }
            }
            for idx in std::mem::take(&mut self.again) {
                self.serve(idx, ReadMode::UntilWouldBlock);
            }
            if self.accept_pending {
                self.accept_all()?;
            }
            if let (Some(every), Some(at)) = (sweep_every, next_sweep) {
                if Instant::now() >= at {
                    self.sweep_idle();
                    next_sweep = Some(Instant::now() + every);
                }
            }
        }
    }

    /// Accepts until the backlog is empty or the connection bound is reached.
    fn accept_all(&mut self) -> Result<()> {
        loop {
            let max = self.settings.max_connections;
            let reserved =
                self.shared
                    .active
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |a| {
                        (a < max).then_some(a + 1)
                    });
            if reserved.is_err() {
                self.accept_pending = true;
                return Ok(());
            }
            match self.listener.accept() {
                Ok((stream, peer)) => self.add(stream, peer),
                Err(e) => {
                    self.shared.active.fetch_sub(1, Ordering::SeqCst);
                    match e.kind() {
                        io::ErrorKind::WouldBlock => {
                            self.accept_pending = false;
                            return Ok(());
                        }
                        io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::NetworkDown
                        | io::ErrorKind::NetworkUnreachable
                        | io::ErrorKind::HostUnreachable => {}
                        // Linux's accept(2) also passes a pending connection's own network
                        // errors through (EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, EOPNOTSUPP):
                        // that connection is gone, the listener is fine; keep accepting.
                        _ if cfg!(target_os = "linux")
                            && matches!(e.raw_os_error(), Some(71 | 92 | 112 | 64 | 95)) => {}
                        // Out of descriptors (ENFILE, EMFILE) or memory: try again soon.
                        _ if matches!(e.raw_os_error(), Some(12 | 23 | 24 | 105)) => {
                            self.accept_pending = true;
                            return Ok(());
                        }
                        _ => return Err(e.into()),
                    }
                }
            }
        }
    }

    /// Registers an accepted connection (its slot is already counted in `active`).
    fn add(&mut self, mut stream: MioStream, peer: SocketAddr) {
        let idx = self.free.pop().unwrap_or(self.conns.len());
        let token = Token(idx + FIRST_CONN);
        if let Err(e) = self.poll.registry().register(
            &mut stream,
            token,
            Interest::READABLE | Interest::WRITABLE,
        ) {
            self.shared.active.fetch_sub(1, Ordering::SeqCst);
            if idx < self.conns.len() {
                self.free.push(idx);
            }
            self.handler.event(peer, Event::Failed(&e.into()));
            return;
        }
        let conn = Connection {
            stream,
            peer,
            decoder: self.fresh_decoder(),
            base: 0,
            queue: WriteQueue::default(),
            last_active: Instant::now(),
            read_closed: false,
            closing: false,
            paused: false,
            abort: false,
        };
        if idx == self.conns.len() {
            self.conns.push(Some(conn));
        } else {
            self.conns[idx] = Some(conn);
        }
        self.handler.event(peer, Event::Connected);
        // Bytes may already be waiting (edge-triggered: no event for what came before).
        self.serve(idx, ReadMode::UntilWouldBlock);
    }

    fn fresh_decoder(&self) -> FrameDecoder {
        FrameDecoder::new(self.settings.framing).with_max_frame_len(self.settings.max_frame_len)
    }

    /// Serves connection `idx` after a readiness event: writes what is queued, reads and
    /// handles frames, and closes it when it is done or failed.
    fn serve(&mut self, idx: usize, read: ReadMode) {
        let Some(Some(conn)) = self.conns.get_mut(idx) else {
            return;
        };
        let result = serve_conn(
            conn,
            read,
            &mut self.handler,
            &mut self.scratch,
            &self.settings,
        );
        let queued = conn.queue.len();
        if queued > 0 {
            self.shared.peak_queued.fetch_max(queued, Ordering::Relaxed);
        }
        if conn.decoder.buffered() == 0 && conn.decoder.capacity() > 0 {
            conn.base = conn.base.saturating_add(conn.decoder.position());
            conn.decoder = FrameDecoder::new(self.settings.framing)
                .with_max_frame_len(self.settings.max_frame_len);
        }
        match result {
            Ok(After::Keep) => {}
            Ok(After::Again) => self.again.push(idx),
            Ok(After::Close) => self.remove(idx, None),
            Err(e) => self.remove(idx, Some(e)),
        }
    }

    /// Closes connection `idx`, reporting `error` (or a clean close).
    fn remove(&mut self, idx: usize, error: Option<Error>) {
        let Some(mut conn) = self.conns.get_mut(idx).and_then(Option::take) else {
            return;
        };
        if error.is_some() {
            // A last attempt to send what is queued (best effort: the peer may be gone).
            let _ = conn.queue.flush_to(&mut conn.stream, &mut false);
        }
        if conn.abort {
            let _ = socket2::SockRef::from(&conn.stream).set_linger(Some(Duration::ZERO));
        }
        let _ = self.poll.registry().deregister(&mut conn.stream);
        drop(conn.stream);
        self.free.push(idx);
        self.shared.active.fetch_sub(1, Ordering::SeqCst);
        match &error {
            Some(e) => self.handler.event(conn.peer, Event::Failed(e)),
            None => self.handler.event(conn.peer, Event::Closed),
        }
        // A client waiting for this slot is accepted by the loop after this round of events
        // (`accept_pending`), not from here: `accept_all` → `add` → `serve` → `remove` would
        // recurse once per waiting client and overflow the stack.
    }

    /// Closes the connections idle for longer than the timeout, with the counts of the
    /// unfinished frame.
    fn sweep_idle(&mut self) {
        let Some(idle) = self.settings.idle_timeout else {
            return;
        };
        let now = Instant::now();
        for idx in 0..self.conns.len() {
            let Some(conn) = self.conns[idx].as_mut() else {
                continue;
            };
            if now.duration_since(conn.last_active) < idle {
                continue;
            }
            let held = conn.decoder.buffered();
            let need = match conn.decoder.decode() {
                Ok(Decoded::Need(n)) => n,
                _ => 0,
            };
            let timed_out = io::Error::from(io::ErrorKind::TimedOut);
            let err = io_error_with_counts(&timed_out, "received", held, held + need);
            self.remove(idx, Some(err));
        }
    }

    /// Drops every connection (the server is stopping).
    fn close_all(&mut self) {
        for slot in &mut self.conns {
            if let Some(mut conn) = slot.take() {
                let _ = self.poll.registry().deregister(&mut conn.stream);
                let _ = conn.stream.shutdown(Shutdown::Both);
                self.shared.active.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// Whether and how long to read a connection.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ReadMode {
    /// Only writable: no read.
    No,
    /// Readable: read until a read returns less than asked (the socket was empty then; any
    /// byte that comes later raises a new edge), saving the `WouldBlock` read.
    UntilShort,
    /// Read until `WouldBlock`: a new connection, a resumed one, or one whose peer closed
    /// (no further edge will come).
    UntilWouldBlock,
}

/// Writes, reads and handles frames for one connection until its socket would block (or its
/// queue is over the bound); says whether it is finished.
fn serve_conn<H: Handler>(
    conn: &mut Connection,
    read: ReadMode,
    handler: &mut H,
    scratch: &mut [u8],
    settings: &Settings,
) -> Result<After> {
    let mut progress = false;
    let mut reads = 0;
    let mut again = false;
    conn.queue.flush_to(&mut conn.stream, &mut progress)?;
    let can_read = !conn.read_closed && !conn.closing;
    let read = if conn.paused {
        ReadMode::UntilWouldBlock
    } else {
        read
    };
    if can_read && read != ReadMode::No {
        conn.paused = false;
        loop {
            if conn.queue.len() > settings.max_queued_bytes {
                // A peer that does not read its replies: stop reading from it until the
                // queue drains (the writable event brings us back here).
                conn.paused = true;
                break;
            }
            match conn.stream.read(scratch) {
                Ok(0) => {
                    loop {
                        match conn.decoder.decode_eof() {
                            Ok(Some(frame)) => {
                                let mut reply = Reply {
                                    peer: conn.peer,
                                    framing: settings.framing,
                                    queue: &mut conn.queue,
                                    close: &mut conn.closing,
                                };
                                handler.frame(&mut reply, frame)?;
                            }
                            Ok(None) => break,
                            Err(e) => return Err(e.offset_by(conn.base)),
                        }
                    }
                    conn.read_closed = true;
                    break;
                }
                Ok(n) => {
                    progress = true;
                    if let Err((e, thrown_away)) =
                        take_frames(conn, &scratch[..n], handler, settings)
                    {
                        // Reset (as the kernel does when unread bytes are closed on) when
                        // bytes after the bad frame are dropped, here or still in the socket.
                        let mut probe = [0u8; 1];
                        conn.abort =
                            thrown_away > 0 || conn.stream.peek(&mut probe).is_ok_and(|n| n > 0);
                        return Err(e);
                    }
                    if conn.closing {
                        break;
                    }
                    // Send as we go: one write per read keeps the queue short.
                    conn.queue.flush_to(&mut conn.stream, &mut progress)?;
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
                Err(e) => {
                    let held = conn.decoder.buffered();
                    let need = match conn.decoder.decode() {
                        Ok(Decoded::Need(n)) => n,
                        _ => 0,
                    };
                    return Err(io_error_with_counts(&e, "received", held, held + need));
                }
            }
        }
    }
    let flushed = conn.queue.flush_to(&mut conn.stream, &mut progress)?;
    if progress {
        conn.last_active = Instant::now();
    }
    if flushed && (conn.read_closed || conn.closing) {
        let _ = conn.stream.shutdown(Shutdown::Write);
        return Ok(After::Close);
    }
    Ok(if again { After::Again } else { After::Keep })
}

/// Hands every whole frame in `bytes` (after what the decoder holds) to the handler: straight
/// from `bytes` while the decoder is empty, through the decoder for a frame split across
/// reads. The unfinished tail stays in the decoder. An error comes with the count of bytes
/// received after the failing frame (or prefix), which are thrown away.
fn take_frames<H: Handler>(
    conn: &mut Connection,
    mut bytes: &[u8],
    handler: &mut H,
    settings: &Settings,
) -> std::result::Result<(), (Error, usize)> {
    while !bytes.is_empty() {
        if conn.decoder.buffered() == 0 {
            // Zero copy: frames straight from the read buffer.
            loop {
                match decode_frame(settings.framing, settings.max_frame_len, bytes) {
                    Ok(Decoded::Frame(span)) => {
                        let mut reply = Reply {
                            peer: conn.peer,
                            framing: settings.framing,
                            queue: &mut conn.queue,
                            close: &mut conn.closing,
                        };
                        let handled = handler.frame(&mut reply, &bytes[span.payload]);
                        conn.base = conn.base.saturating_add(span.consumed);
                        bytes = &bytes[span.consumed..];
                        handled.map_err(|e| (e, bytes.len()))?;
                        if conn.closing || bytes.is_empty() {
                            return Ok(());
                        }
                    }
                    Ok(Decoded::Need(_)) => break,
                    Err(e) => {
                        let after = bytes.len().saturating_sub(bad_prefix_len(settings, &e));
                        return Err((e.offset_by(conn.base + conn.decoder.position()), after));
                    }
                }
            }
        }
        let took = conn.decoder.feed(bytes);
        bytes = &bytes[took..];
        loop {
            match conn.decoder.decode_span() {
                Ok(Decoded::Frame(range)) => {
                    let mut reply = Reply {
                        peer: conn.peer,
                        framing: settings.framing,
                        queue: &mut conn.queue,
                        close: &mut conn.closing,
                    };
                    let handled = handler.frame(&mut reply, conn.decoder.slice(range));
                    handled.map_err(|e| (e, bytes.len() + conn.decoder.buffered()))?;
                    if conn.closing {
                        return Ok(());
                    }
                }
                Ok(Decoded::Need(_)) => break,
                Err(e) => {
                    let after = (bytes.len() + conn.decoder.buffered())
                        .saturating_sub(bad_prefix_len(settings, &e));
                    return Err((e.offset_by(conn.base), after));
                }
            }
        }
    }
    Ok(())
}

/// The bytes of a refused prefix: exact for a length over the limit (a one-byte varint
/// prefix is one byte, not ten), the framing's longest prefix otherwise.
fn bad_prefix_len(settings: &Settings, e: &Error) -> usize {
    match (settings.framing, e.kind()) {
        (Framing::Varint, ErrorKind::LengthLimit { len, .. }) => {
            crate::int::varint::encoded_len(*len)
        }
        (framing, _) => framing.max_header_len(),
    }
}

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
    framing: Framing,
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
    /// let conn = NonBlockingConn::new(stream, Framing::Varint)?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn new(stream: TcpStream, framing: Framing) -> Result<NonBlockingConn> {
        stream.set_nonblocking(true)?;
        Ok(NonBlockingConn {
            stream: MioStream::from_std(stream),
            framing,
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

    /// Sets the largest reply frame accepted (default 16 MiB).
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?
    ///     .with_max_frame_len(64);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn with_max_frame_len(mut self, n: usize) -> Self {
        self.decoder = self.decoder.with_max_frame_len(n);
        self
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
    /// never holds more than the bound plus one frame. Errors: a payload that does not fit
    /// the framing (nothing queued), or the socket's error.
    ///
    /// ```
    /// # use netorder::{ErrorKind, frame::Framing, reactor::NonBlockingConn};
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut conn = NonBlockingConn::connect(listener.local_addr()?, Framing::U16)?;
    /// assert!(conn.try_send_frame(b"hello")?);
    /// let err = conn.try_send_frame(&vec![0; 70_000]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 70_000, max: 65_535 });
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
        encode_frame(self.framing, payload, &mut self.queue.buf)?;
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
    /// inside a frame ([`ErrorKind::Truncated`]), a bad or too long prefix, the socket's error.
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
        loop {
            match self.decoder.decode_span()? {
                Decoded::Frame(range) => return Ok(Received::Frame(self.decoder.slice(range))),
                Decoded::Need(need) => {
                    let room = self.decoder.unfilled();
                    match self.stream.read(room) {
                        Ok(0) => {
                            return Ok(match self.decoder.decode_eof()? {
                                Some(frame) => Received::Frame(frame),
                                None => Received::Closed,
                            });
                        }
                        Ok(n) => self.decoder.filled(n),
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                            return Ok(Received::WouldBlock);
                        }
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
