//! The event loop: one poll, the listener, and the connections it serves (each a
//! [`Connection`] state machine over a mio socket).

use super::conn::{After, Connection, ReadMode};
use super::server::Shared;
use super::{ACCEPT_BACKOFF_MAX, EVICT_AFTER, Event, Handler, Settings};
use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;
use crate::transport::is_out_of_descriptors;
use crate::transport::limits::out_of_descriptors;
use mio::net::{TcpListener as MioListener, TcpStream as MioStream};
use mio::{Events, Interest, Poll, Token};
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

pub(super) const LISTENER: Token = Token(0);
pub(super) const WAKER: Token = Token(1);
/// Connection `i` is registered as `Token(i + FIRST_CONN)`.
const FIRST_CONN: usize = 2;

/// One event loop: a poll, the listener, its connections.
pub(super) struct EventLoop<H> {
    pub(super) poll: Poll,
    pub(super) listener: MioListener,
    pub(super) handler: H,
    pub(super) settings: Settings,
    pub(super) shared: Arc<Shared>,
    /// Slot `i` is `Token(i + FIRST_CONN)`; `free` lists the empty slots.
    pub(super) conns: Vec<Option<Connection<MioStream>>>,
    pub(super) free: Vec<usize>,
    pub(super) scratch: Vec<u8>,
    /// A client waits in the backlog because the connection bound was reached (or
    /// descriptors ran out): try `accept` again soon.
    pub(super) accept_pending: bool,
    /// Accepting is paused for want of descriptors: the pause before the next try (doubled
    /// at each failure, at most [`ACCEPT_BACKOFF_MAX`]). The episode (reported once) ends
    /// when the backlog has been emptied.
    pub(super) short_of_fds: Option<Duration>,
    /// Connections whose turn ended before their socket was empty.
    pub(super) again: Vec<usize>,
}

impl<H: Handler> EventLoop<H> {
    pub(super) fn run(mut self) -> Result<()> {
        let mut events = Events::with_capacity(1024);
        let shortest = match (self.settings.idle_timeout, self.settings.frame_timeout) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let sweep_every =
            shortest.map(|d| (d / 4).clamp(Duration::from_millis(10), Duration::from_secs(1)));
        let mut next_sweep = sweep_every.map(|d| Instant::now() + d);
        loop {
            let now = Instant::now();
            let mut timeout = next_sweep.map(|t| t.saturating_duration_since(now));
            if !self.again.is_empty() {
                timeout = Some(Duration::ZERO);
            }
            if self.accept_pending {
                let retry = self.short_of_fds.unwrap_or(Duration::from_millis(20));
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

    /// Accepts until the backlog is empty or the connection bound is reached (then a waiting
    /// client is admitted in place of an idle connection, if there is one to close).
    fn accept_all(&mut self) -> Result<()> {
        loop {
            let max = self.settings.max_connections;
            let reserved =
                self.shared
                    .active
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |a| {
                        (a < max).then_some(a + 1)
                    });
            let victim = match reserved {
                Ok(_) => None,
                Err(_) => match self.idlest_evictable(Instant::now()) {
                    Some(victim) => Some(victim),
                    None => {
                        self.accept_pending = true;
                        return Ok(());
                    }
                },
            };
            match self.listener.accept() {
                Ok((stream, peer)) => {
                    if let Some((idx, idle)) = victim {
                        self.evict(idx, idle);
                        self.shared.active.fetch_add(1, Ordering::SeqCst);
                    }
                    self.add(stream, peer);
                }
                Err(e) => {
                    if victim.is_none() {
                        self.shared.active.fetch_sub(1, Ordering::SeqCst);
                    }
                    if !self.accept_failed(e)? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// After `accept` failed with `e`: whether to go on accepting now (`Ok(true)`), stop for
    /// now (`Ok(false)`), or end the loop (an error of the listener itself).
    fn accept_failed(&mut self, e: io::Error) -> Result<bool> {
        match e.kind() {
            io::ErrorKind::WouldBlock => {
                self.accept_pending = false;
                self.short_of_fds = None;
                return Ok(false);
            }
            io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::TimedOut
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::HostUnreachable => return Ok(true),
            _ => {}
        }
        // Linux's accept(2) also passes a pending connection's own network errors through
        // (EPROTO, ENOPROTOOPT, EHOSTDOWN, ENONET, EOPNOTSUPP): that connection is gone, the
        // listener is fine; keep accepting.
        if cfg!(target_os = "linux") && matches!(e.raw_os_error(), Some(71 | 92 | 112 | 64 | 95)) {
            return Ok(true);
        }
        // Out of descriptors (ENFILE, EMFILE) or memory (ENOMEM, ENOBUFS): back off, say so
        // once per episode, and try again (at once when a connection of this loop closes).
        if is_out_of_descriptors(&e) {
            self.accept_pending = true;
            match self.short_of_fds {
                Some(pause) => self.short_of_fds = Some((pause * 2).min(ACCEPT_BACKOFF_MAX)),
                None => {
                    self.short_of_fds = Some(Duration::from_millis(10));
                    let err = out_of_descriptors(e, self.shared.active.load(Ordering::SeqCst));
                    self.handler.accept_paused(&err);
                }
            }
            return Ok(false);
        }
        Err(e.into())
    }

    /// The connection of this loop that holds no unfinished frame and has been idle longest,
    /// for at least [`EVICT_AFTER`]: its slot and how long it has been idle.
    fn idlest_evictable(&self, now: Instant) -> Option<(usize, Duration)> {
        let mut best: Option<(usize, Duration)> = None;
        for (idx, conn) in self.conns.iter().enumerate() {
            let Some(idle) = conn.as_ref().and_then(|c| c.evictable_idle(now)) else {
                continue;
            };
            if idle >= EVICT_AFTER && best.is_none_or(|(_, b)| idle > b) {
                best = Some((idx, idle));
            }
        }
        best
    }

    /// Closes connection `idx`, idle for `idle`, to admit a new peer at the cap.
    fn evict(&mut self, idx: usize, idle: Duration) {
        let why = format!(
            "closed to admit a new peer: the server is at its cap of {} connections and this \
             one was the idlest ({} ms without a byte, no unfinished frame)",
            self.settings.max_connections,
            idle.as_millis()
        );
        self.remove(idx, Some(Error::new(ErrorKind::Message(why.into()))));
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
        let conn = Connection::new(stream, peer, self.settings.framing, Instant::now());
        if idx == self.conns.len() {
            self.conns.push(Some(conn));
        } else {
            self.conns[idx] = Some(conn);
        }
        self.handler.event(peer, Event::Connected);
        // Bytes may already be waiting (edge-triggered: no event for what came before).
        self.serve(idx, ReadMode::UntilWouldBlock);
    }

    /// Serves connection `idx` after a readiness event: writes what is queued, reads and
    /// handles frames, and closes it when it is done or failed.
    fn serve(&mut self, idx: usize, read: ReadMode) {
        let Some(Some(conn)) = self.conns.get_mut(idx) else {
            return;
        };
        let result = conn.serve(
            read,
            &mut self.handler,
            &mut self.scratch,
            &self.settings,
            Instant::now(),
        );
        let queued = conn.queued();
        if queued > 0 {
            self.shared.peak_queued.fetch_max(queued, Ordering::Relaxed);
        }
        conn.release_decoder();
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
            conn.flush_before_close();
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

    /// Resets the connections whose unfinished frame is past the frame deadline, and closes
    /// those idle for longer than the idle timeout, each with the counts of the unfinished
    /// frame.
    fn sweep_idle(&mut self) {
        let now = Instant::now();
        for idx in 0..self.conns.len() {
            let Some(conn) = self.conns[idx].as_mut() else {
                continue;
            };
            let late = self
                .settings
                .frame_timeout
                .and_then(|deadline| conn.frame_error(now, deadline));
            if let Some(err) = late {
                conn.abort = true;
                self.remove(idx, Some(err));
            } else if let Some(err) = self
                .settings
                .idle_timeout
                .and_then(|idle| conn.idle_error(now, idle))
            {
                self.remove(idx, Some(err));
            }
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
