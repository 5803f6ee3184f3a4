//! Faulty peers against a real [`Server`] on 127.0.0.1: peers that stall mid-record, reset the
//! connection mid-record (SO_LINGER 0), half-close (at a boundary and mid-record), connect and
//! send nothing, and a flood of connections past the connection bound. Every socket has a
//! timeout and every wait is bounded; the server's reports are checked with exact numbers.
//!
//! The same faults against the `netorder serve` command are in the CLI's tests
//! (`cli/tests/cli/serve_faults.rs`).

use netorder::ErrorKind;
use netorder::frame::{Framing, FramingKind};
use netorder::transport::{Conn, Server, ServerHandle};
use socket2::SockRef;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Longest any single wait in these tests may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// What the server reported for one connection: the peer, the error kind and its text.
type Report = (SocketAddr, ErrorKind, String);

struct Harness {
    server: ServerHandle,
    reports: mpsc::Receiver<Report>,
    /// Frames received, per peer, by handlers that have finished (cleanly or not).
    frames: Arc<Mutex<Vec<(SocketAddr, usize)>>>,
    /// Frames received so far, all peers together.
    live: Arc<AtomicUsize>,
    /// The most connections served at once.
    peak: Arc<AtomicUsize>,
}

/// A server that receives `framing` frames of at most 64 bytes, counts them, and answers each
/// with a one-byte ack; errors go to a channel.
fn server(framing: Framing, idle: Duration, max_connections: usize) -> Harness {
    let (tx, reports) = mpsc::channel::<Report>();
    let tx = Mutex::new(tx);
    let frames: Arc<Mutex<Vec<(SocketAddr, usize)>>> = Arc::default();
    let live = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let active = Arc::new(AtomicUsize::new(0));
    let (f, l, p, a) = (
        Arc::clone(&frames),
        Arc::clone(&live),
        Arc::clone(&peak),
        Arc::clone(&active),
    );
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(max_connections)
        .idle_timeout(Some(idle))
        .spawn(
            move |stream, peer| {
                let now = a.fetch_add(1, Ordering::SeqCst) + 1;
                p.fetch_max(now, Ordering::SeqCst);
                let mut conn = Conn::new(stream, framing.with_max_frame_len(64));
                let mut n = 0;
                let result = (|| {
                    while conn.recv_frame()?.is_some() {
                        n += 1;
                        l.fetch_add(1, Ordering::SeqCst);
                        conn.send_frame(&ack_payload(framing))?;
                        conn.flush()?;
                    }
                    Ok(())
                })();
                f.lock().unwrap().push((peer, n));
                a.fetch_sub(1, Ordering::SeqCst);
                result
            },
            move |peer, err| {
                let _ = tx
                    .lock()
                    .unwrap()
                    .send((peer, err.kind().clone(), err.to_string()));
            },
        )
        .unwrap();
    Harness {
        server,
        reports,
        frames,
        live,
        peak,
    }
}

impl Harness {
    fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    fn report(&self) -> Report {
        self.reports
            .recv_timeout(PATIENCE)
            .expect("the server reports the bad peer")
    }

    fn no_more_reports(&self) {
        assert_eq!(
            self.reports.recv_timeout(Duration::from_millis(100)).ok(),
            None
        );
    }

    /// Frames the handler of `peer` had received when it ended (waits for it to end).
    fn frames_of(&self, peer: SocketAddr) -> usize {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(&(_, n)) = self.frames.lock().unwrap().iter().find(|(p, _)| *p == peer) {
                return n;
            }
            assert!(Instant::now() < deadline, "handler of {peer} never ended");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn wait_live(&self, n: usize) {
        let deadline = Instant::now() + PATIENCE;
        while self.live.load(Ordering::SeqCst) < n {
            assert!(
                Instant::now() < deadline,
                "server saw fewer than {n} frames"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}

/// `count` whole frames of 5 bytes each and then `partial`, in `framing`.
fn frames_then(framing: Framing, count: usize, partial: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..count {
        netorder::frame::encode_frame(framing, &[i as u8; 5], &mut out).unwrap();
    }
    out.extend_from_slice(partial);
    out
}

/// The server's answer to each frame: one byte `1` (a whole record of ones when fixed).
fn ack_payload(framing: Framing) -> Vec<u8> {
    match framing.kind() {
        FramingKind::Fixed(n) => vec![1; n],
        _ => vec![1],
    }
}

/// Reads the acks of `n` frames and checks them.
fn read_acks(s: &mut TcpStream, framing: Framing, n: usize) {
    let mut one = Vec::new();
    netorder::frame::encode_frame(framing, &ack_payload(framing), &mut one).unwrap();
    let mut acks = vec![0u8; n * one.len()];
    s.read_exact(&mut acks).unwrap();
    assert_eq!(acks, one.repeat(n));
}

/// Reads until the server closes: `Ok(bytes)` at a clean end, or the error (a reset).
fn read_until_closed(s: &mut TcpStream) -> std::io::Result<usize> {
    let mut sink = [0u8; 256];
    let mut total = 0;
    for _ in 0..10_000 {
        match s.read(&mut sink)? {
            0 => return Ok(total),
            n => total += n,
        }
    }
    panic!("the server never closed");
}

#[test]
fn a_peer_that_stalls_mid_record_is_closed_with_counts() {
    // Per framing: 3 whole frames, then a prefix announcing 40 bytes and 7 of them.
    let cases: [(Framing, &[u8], usize, usize); 4] = [
        (Framing::U16, &[0, 40, 1, 2, 3, 4, 5, 6, 7], 42, 9),
        (Framing::U32, &[0, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7], 44, 11),
        (Framing::VARINT, &[40, 1, 2, 3, 4, 5, 6, 7], 41, 8),
        (Framing::fixed(5), &[1, 2], 5, 2),
    ];
    for (framing, partial, expected, received) in cases {
        let h = server(framing, Duration::from_millis(300), 4);
        let mut peer = connect(h.addr());
        peer.write_all(&frames_then(framing, 3, partial)).unwrap();
        // The report is the idle timeout's (an I/O timeout with the counts), not a timing.
        let (who, kind, text) = h.report();
        assert_eq!(who, peer.local_addr().unwrap());
        assert!(
            matches!(
                kind,
                ErrorKind::Io {
                    kind: std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut,
                    ..
                }
            ),
            "{framing:?}: {kind:?}"
        );
        assert!(
            text.ends_with(&format!(
                "timed out (expected {expected} bytes, received {received})"
            )),
            "{framing:?}: {text}"
        );
        assert_eq!(h.frames_of(who), 3, "{framing:?}");
        // The server closed the connection: the peer reads its 3 acks and then the end.
        read_acks(&mut peer, framing, 3);
        let _ = read_until_closed(&mut peer);
        h.no_more_reports();
        h.server.stop().unwrap();
    }
}

#[test]
fn a_peer_that_resets_mid_record() {
    let h = server(Framing::U16, Duration::from_secs(10), 4);
    let mut peer = connect(h.addr());
    peer.write_all(&frames_then(Framing::U16, 2, &[])).unwrap();
    read_acks(&mut peer, Framing::U16, 2); // the server has taken both frames
    peer.write_all(&[0, 40, 1, 2, 3, 4, 5]).unwrap();
    h.wait_live(2);
    std::thread::sleep(Duration::from_millis(50)); // let the 7 bytes arrive first
    // SO_LINGER 0: close sends RST instead of FIN.
    SockRef::from(&peer)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    let who = peer.local_addr().unwrap();
    drop(peer);
    let (from, kind, text) = h.report();
    assert_eq!(from, who);
    assert_eq!(h.frames_of(who), 2);
    match kind {
        ErrorKind::Io { kind, .. } => {
            assert_eq!(kind, std::io::ErrorKind::ConnectionReset, "{text}");
            assert!(text.ends_with("(expected 42 bytes, received 7)"), "{text}");
        }
        other => panic!("{other:?}: {text}"),
    }
    // A reset before any bytes: a reset, with no counts, and nothing delivered.
    let peer = connect(h.addr());
    let who = peer.local_addr().unwrap();
    SockRef::from(&peer)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(peer);
    // The server may see the reset on its first read, or not at all if it came before accept.
    if let Ok((from, kind, _)) = h.reports.recv_timeout(Duration::from_secs(2)) {
        assert_eq!(from, who);
        assert!(
            matches!(
                kind,
                ErrorKind::Io {
                    kind: std::io::ErrorKind::ConnectionReset,
                    ..
                }
            ),
            "{kind:?}"
        );
    }
    h.server.stop().unwrap();
}

#[test]
fn half_close_at_a_boundary_is_clean_and_mid_record_is_truncated() {
    let h = server(Framing::U32, Duration::from_secs(10), 4);
    // At a boundary: 4 frames, FIN; the server ends cleanly and its acks still arrive.
    let mut peer = connect(h.addr());
    peer.write_all(&frames_then(Framing::U32, 4, &[])).unwrap();
    peer.shutdown(Shutdown::Write).unwrap();
    let mut acks = Vec::new();
    peer.read_to_end(&mut acks).unwrap();
    assert_eq!(acks, [0, 0, 0, 1, 1].repeat(4));
    assert_eq!(h.frames_of(peer.local_addr().unwrap()), 4);
    h.no_more_reports();

    // Mid-record: 2 frames, then 4 + 10 bytes of a 4 + 40 byte frame, FIN.
    let mut peer = connect(h.addr());
    peer.write_all(&frames_then(
        Framing::U32,
        2,
        &[0, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ))
    .unwrap();
    peer.shutdown(Shutdown::Write).unwrap();
    let (who, kind, text) = h.report();
    assert_eq!(who, peer.local_addr().unwrap());
    assert_eq!(
        kind,
        ErrorKind::Truncated {
            expected: 44,
            received: 14
        }
    );
    assert_eq!(
        text,
        "truncated: expected 44 bytes, received 14 before the end"
    );
    assert_eq!(h.frames_of(who), 2);
    let mut acks = Vec::new();
    peer.read_to_end(&mut acks).unwrap();
    assert_eq!(acks, [0, 0, 0, 1, 1].repeat(2));
    h.server.stop().unwrap();
}

#[test]
fn a_peer_that_connects_and_sends_nothing() {
    let h = server(Framing::VARINT, Duration::from_millis(200), 4);
    // Silent and open: the idle timeout closes it, with no counts (nothing had arrived).
    let mut silent = connect(h.addr());
    let (who, kind, text) = h.report();
    assert_eq!(who, silent.local_addr().unwrap());
    assert!(
        matches!(
            kind,
            ErrorKind::Io {
                kind: std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut,
                ..
            }
        ),
        "{kind:?}"
    );
    assert!(text.ends_with("timed out"), "{text}");
    assert_eq!(h.frames_of(who), 0);
    assert_eq!(read_until_closed(&mut silent).unwrap(), 0);
    // Silent and closed at once: a clean end at a boundary, not an error.
    let quick = connect(h.addr());
    let who = quick.local_addr().unwrap();
    drop(quick);
    assert_eq!(h.frames_of(who), 0);
    h.no_more_reports();
    h.server.stop().unwrap();
}

#[test]
fn a_flood_past_the_connection_bound_is_queued_not_refused() {
    const BOUND: usize = 4;
    const CLIENTS: usize = 64;
    let h = server(Framing::U16, Duration::from_secs(10), BOUND);
    let addr = h.addr();
    // All connect at once; each sends 3 frames, reads 3 acks, half-closes and reads the end.
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            std::thread::spawn(move || {
                let mut s = connect(addr);
                s.write_all(&frames_then(Framing::U16, 3, &[])).unwrap();
                read_acks(&mut s, Framing::U16, 3);
                s.shutdown(Shutdown::Write).unwrap();
                assert_eq!(read_until_closed(&mut s).unwrap(), 0);
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    h.wait_live(3 * CLIENTS);
    assert_eq!(h.live.load(Ordering::SeqCst), 3 * CLIENTS);
    let peak = h.peak.load(Ordering::SeqCst);
    assert!((1..=BOUND).contains(&peak), "peak {peak}");
    println!("flood: {CLIENTS} clients through {BOUND} slots, peak {peak} at once");
    h.no_more_reports();

    // Holders fill every slot and stay silent: the next client waits in the backlog until the
    // idle timeout frees a slot, then is served.
    h.server.stop().unwrap();
    let h = server(Framing::U16, Duration::from_millis(300), BOUND);
    let holders: Vec<TcpStream> = (0..BOUND).map(|_| connect(h.addr())).collect();
    let mut late = connect(h.addr());
    late.write_all(&frames_then(Framing::U16, 1, &[])).unwrap();
    read_acks(&mut late, Framing::U16, 1);
    for _ in 0..BOUND {
        let (_, kind, _) = h.report();
        assert!(matches!(kind, ErrorKind::Io { .. }), "{kind:?}");
    }
    drop(holders);
    h.server.stop().unwrap();
}
