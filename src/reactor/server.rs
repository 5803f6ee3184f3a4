//! [`ReactorServer`], the builder, and [`ReactorHandle`], the running server.

use super::event_loop::{EventLoop, LISTENER, WAKER};
use super::{
    DEFAULT_FRAME_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_QUEUED_BYTES, Handler, LISTEN_BACKLOG,
    READ_CHUNK, Settings, default_max_connections,
};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::Framing;
use crate::prelude::*;
use mio::net::TcpListener as MioListener;
use mio::{Interest, Poll, Waker};
use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A readiness-based TCP server: `threads` event loops (default 1) over non-blocking sockets,
/// each driving many connections. See the [module documentation](super).
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
/// let server = ReactorServer::bind("127.0.0.1:0", Framing::fixed(3))?
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
    /// Set by [`ReactorServer::max_connections`]; else derived at spawn.
    max_connections: Option<usize>,
    threads: usize,
}

impl ReactorServer {
    /// Binds a listening socket (backlog [`LISTEN_BACKLOG`]) on the first address of `addr`
    /// that works, for frames in `framing`. The framing's maximum frame length (16 MiB by
    /// default) is the largest frame accepted (a longer announced length is
    /// [`ErrorKind::LengthLimit`] and closes the connection before anything is allocated) and
    /// the largest reply sent ([`Reply::send_frame`](super::Reply::send_frame)).
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U32.with_max_frame_len(64))?;
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
    /// let server = ReactorServer::from_listener(listener, Framing::VARINT);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_listener(listener: TcpListener, framing: Framing) -> ReactorServer {
        ReactorServer {
            listener,
            settings: Settings {
                framing,
                max_connections: 1,
                idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
                frame_timeout: Some(DEFAULT_FRAME_TIMEOUT),
                max_queued_bytes: DEFAULT_MAX_QUEUED_BYTES,
            },
            max_connections: None,
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

    /// At most `n` connections at once over all loops (at least 1). By default the cap comes
    /// from the open-file limit when the server is spawned: the soft `RLIMIT_NOFILE` is raised
    /// to the hard limit where allowed, and the cap is that limit less
    /// [`RESERVED_DESCRIPTORS`](super::RESERVED_DESCRIPTORS) ([`default_max_connections`]).
    /// At the cap, a new peer is admitted by closing the connection idle longest (for at
    /// least [`EVICT_AFTER`](super::EVICT_AFTER)) that holds no unfinished frame; when there
    /// is none, further clients wait in the listen backlog.
    ///
    /// ```
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.max_connections(4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = Some(n.max(1));
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

    /// Once the first byte of a frame has arrived, the whole frame must arrive within this
    /// time (default [`DEFAULT_FRAME_TIMEOUT`]; `None`: no deadline), or the peer is reset and
    /// reported with an I/O error of kind `TimedOut` naming the frame's expected and received
    /// byte counts. Against peers that dribble a frame a byte at a time; silence between
    /// frames is the [idle timeout](ReactorServer::idle_timeout)'s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use netorder::{frame::Framing, reactor::ReactorServer};
    /// let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)?
    ///     .frame_timeout(Some(Duration::from_secs(2)));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn frame_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.frame_timeout = timeout;
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
        let mut settings = self.settings;
        settings.max_connections = self.max_connections.unwrap_or_else(default_max_connections);
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
                settings,
                shared: Arc::clone(&shared),
                conns: Vec::new(),
                free: Vec::new(),
                scratch: vec![0; READ_CHUNK],
                accept_pending: false,
                short_of_fds: None,
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
                        max_connections: settings.max_connections,
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
            max_connections: settings.max_connections,
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
pub(super) struct Shared {
    pub(super) active: AtomicUsize,
    pub(super) stopping: AtomicBool,
    pub(super) peak_queued: AtomicUsize,
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
    max_connections: usize,
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

    /// The connection cap in force: the one set with [`ReactorServer::max_connections`], or
    /// the one derived from the open-file limit.
    ///
    /// ```
    /// # use netorder::{frame::Framing, reactor::{Handler, ReactorServer, Reply}};
    /// # #[derive(Clone)] struct Q;
    /// # impl Handler for Q { fn frame(&mut self, _: &mut Reply<'_>, _: &[u8]) -> netorder::Result<()> { Ok(()) } }
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.max_connections(7).spawn(Q)?;
    /// assert_eq!(handle.max_connections(), 7);
    /// # handle.stop()?;
    /// let handle = ReactorServer::bind("127.0.0.1:0", Framing::U16)?.spawn(Q)?;
    /// assert_eq!(handle.max_connections(), netorder::reactor::default_max_connections());
    /// # handle.stop()?;
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn max_connections(&self) -> usize {
        self.max_connections
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
