//! [`Server`]: a small threaded TCP server, one thread per client.

use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;
use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A handler for one client of a [`Server`]: the accepted stream (timeouts already set) and
/// the peer's address.
type Handler = dyn Fn(TcpStream, SocketAddr) -> Result<()> + Send + Sync;
/// Where a [`Server`] reports a client whose handler failed.
type Reporter = dyn Fn(SocketAddr, &Error) + Send + Sync;

/// A small threaded TCP server: one thread per client, at most `max_connections` at a time
/// (further clients wait in the listen backlog), and an idle timeout on every read and write
/// so a peer that sends half a record and stalls frees its slot. A handler's error is reported
/// with the peer's address, the connection is closed, and the server goes on serving others;
/// a handler that panics is reported the same way and its connection is reset. When `accept`
/// runs out of file descriptors, the server backs off (waking early when a connection ends)
/// and reports the episode once (it ends when no accept has failed for 5 s), with the
/// listening address, the open-file limit and the connections open. The handler owns the
/// framing, so a frame deadline (against peers that dribble a frame) is set on its
/// [`Conn`](super::Conn): [`Conn::with_frame_timeout`](super::Conn::with_frame_timeout), as
/// `netorder serve --blocking` does.
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
        let listen_addr = self.listener.local_addr()?;
        // Accepting is paused for want of descriptors: the pause before the next try.
        let mut short_of_fds: Option<Duration> = None;
        let mut last_failure: Option<Instant> = None;
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
                Ok(accepted) => {
                    // The episode ends once accepts go through for a while (not at the first
                    // one: with descriptors at the limit, accepts and failures alternate).
                    if last_failure.is_some_and(|t| t.elapsed() >= EPISODE_QUIET) {
                        short_of_fds = None;
                    }
                    accepted
                }
                Err(e) if is_out_of_descriptors(&e) => {
                    // Back off (doubling, at most ACCEPT_BACKOFF_MAX), waking early when a
                    // connection ends; say so once per episode (until an accept succeeds).
                    let pause = match short_of_fds {
                        Some(p) => (p * 2).min(ACCEPT_BACKOFF_MAX),
                        None => {
                            let open = *shared.active.lock().unwrap_or_else(|p| p.into_inner());
                            on_error(listen_addr, &out_of_descriptors(e, open));
                            Duration::from_millis(10)
                        }
                    };
                    short_of_fds = Some(pause);
                    last_failure = Some(Instant::now());
                    let active = shared.active.lock().unwrap_or_else(|p| p.into_inner());
                    drop(shared.changed.wait_timeout(active, pause));
                    continue;
                }
                Err(e) if is_transient_accept_error(&e) => {
                    // A client that reset before accept...: try again soon.
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
                    // A panic is caught: reported as the handler's error, and the connection
                    // is reset (the guard frees its slot either way).
                    let handled = catch_unwind(AssertUnwindSafe(|| handler(stream, peer)))
                        .unwrap_or_else(|payload| {
                            reset(&slot, id);
                            Err(handler_panicked(payload.as_ref()))
                        });
                    if let Err(e) = handled {
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

/// The longest pause between two tries of `accept` while descriptors are short.
pub const ACCEPT_BACKOFF_MAX: Duration = Duration::from_millis(500);

/// An episode of running out of descriptors ends (and the next one is reported again) once
/// no accept has failed for this long.
const EPISODE_QUIET: Duration = Duration::from_secs(5);

/// Accept errors after which the listener still works.
fn is_transient_accept_error(e: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock | TimedOut
    )
}

/// `accept` failed for want of descriptors (ENFILE, EMFILE) or memory (ENOMEM, ENOBUFS).
pub(crate) fn is_out_of_descriptors(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(12 | 23 | 24 | 105))
}

/// The error for running out of descriptors in `accept`: with the open-file limit and the
/// connections open where the limit can be read (the `reactor` feature).
fn out_of_descriptors(e: io::Error, open: usize) -> Error {
    #[cfg(feature = "reactor")]
    {
        super::limits::out_of_descriptors(e, open)
    }
    #[cfg(not(feature = "reactor"))]
    {
        let message = format!(
            "accept failed: {e}; {open} connections open; new peers wait in the listen \
             backlog until descriptors free up"
        );
        Error::io(e, message)
    }
}

/// The error for a handler that panicked, with the panic's message.
fn handler_panicked(payload: &(dyn std::any::Any + Send)) -> Error {
    let what = panic_message(payload);
    Error::new(ErrorKind::Message(
        format!("the handler panicked: {what}").into(),
    ))
}

/// The message of a caught panic's payload (both servers report it).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

/// Resets connection `id` (its handler panicked): with `SO_LINGER` 0 where `socket2` is
/// compiled in (the `reactor` feature), else a shutdown of both directions.
fn reset(shared: &Shared, id: u64) {
    let open = shared.open.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(stream) = open.get(&id) {
        #[cfg(feature = "reactor")]
        let _ = socket2::SockRef::from(stream).set_linger(Some(Duration::ZERO));
        #[cfg(not(feature = "reactor"))]
        let _ = stream.shutdown(Shutdown::Both);
    }
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
