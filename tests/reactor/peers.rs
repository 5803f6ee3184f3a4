//! Hostile peers against the server policies of issue 15, on loopback: the connection cap
//! from the open-file limit, the frame deadline, eviction of idle peers at the cap, a handler
//! that panics (both servers), and a hundred peers that never read. Every wait is bounded by
//! progress and [`PATIENCE`]; nothing asserts a speed.

use netorder_support as common;

use netorder::frame::{Framing, encode_frame};
use netorder::reactor::{
    Event, Handler, READ_CHUNK, ReactorServer, Reply, default_max_connections, open_file_limit,
};
use netorder::transport::{Conn, Server};
use std::io::{ErrorKind as IoKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(30);

fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}

fn frame(framing: Framing, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_frame(framing, payload, &mut out).unwrap();
    out
}

/// Reads until the server closes: `Ok(bytes)` at a clean end, or the error (a reset).
fn read_until_closed(s: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    for _ in 0..100_000 {
        match s.read(&mut buf)? {
            0 => return Ok(all),
            n => all.extend_from_slice(&buf[..n]),
        }
    }
    panic!("the server never closed");
}

/// Echoes every frame (and panics on `boom`); sends every failure's text to a channel.
#[derive(Clone)]
struct Echo {
    failures: mpsc::Sender<(SocketAddr, String)>,
}

impl Handler for Echo {
    fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
        if frame == b"boom" {
            panic!("the test handler was asked to panic");
        }
        reply.send_frame(frame)
    }
    fn event(&mut self, peer: SocketAddr, event: Event<'_>) {
        if let Event::Failed(e) = event {
            let _ = self.failures.send((peer, e.to_string()));
        }
    }
}

fn echo() -> (Echo, mpsc::Receiver<(SocketAddr, String)>) {
    let (failures, rx) = mpsc::channel();
    (Echo { failures }, rx)
}

/// The next failure whose text contains `what` (others are skipped), within [`PATIENCE`].
fn failure_with(rx: &mpsc::Receiver<(SocketAddr, String)>, what: &str) -> (SocketAddr, String) {
    let start = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok((peer, text)) if text.contains(what) => return (peer, text),
            Ok(_) => {}
            Err(_) => panic!("no failure saying {what:?} within {PATIENCE:?}"),
        }
    }
}

/// One exchange: sends `payload` framed and reads its echo.
fn exchange(s: &mut TcpStream, framing: Framing, payload: &[u8]) -> std::io::Result<Vec<u8>> {
    let bytes = frame(framing, payload);
    s.write_all(&bytes)?;
    let mut back = vec![0u8; bytes.len()];
    s.read_exact(&mut back)?;
    Ok(back)
}

#[test]
fn with_no_flags_the_cap_comes_from_the_open_file_limit_and_a_thousand_peers_are_served() {
    const PEERS: usize = 1000;
    let cap = default_max_connections();
    let limit = open_file_limit();
    eprintln!("open-file limit {limit:?} (raised to the hard limit): default cap {cap}");
    if let Some(limit) = limit {
        assert_eq!(
            cap as u64,
            limit
                .saturating_sub(netorder::reactor::RESERVED_DESCRIPTORS as u64)
                .clamp(1, 1 << 20)
        );
    }
    // Client and server side each take a descriptor here.
    if limit.is_some_and(|l| l < 2 * PEERS as u64 + 200) {
        eprintln!("SKIPPED: the open-file limit {limit:?} is too low for {PEERS} peers");
        return;
    }
    let (handler, _failures) = echo();
    let server = ReactorServer::bind("127.0.0.1:0", Framing::U16)
        .unwrap()
        .spawn(handler)
        .unwrap();
    assert_eq!(server.max_connections(), cap);
    assert!(cap > 64 * 10, "a default cap of {cap}");
    let mut peers: Vec<TcpStream> = (0..PEERS).map(|_| connect(server.local_addr())).collect();
    common::wait_until(PATIENCE, "every peer accepted", || {
        server.active_connections() == PEERS
    });
    // All at once: each sends a record while every other is connected, then reads its echo.
    for (i, s) in peers.iter_mut().enumerate() {
        s.write_all(&frame(Framing::U16, &(i as u32).to_be_bytes()))
            .unwrap();
    }
    for (i, s) in peers.iter_mut().enumerate() {
        let mut back = [0u8; 6];
        s.read_exact(&mut back).unwrap();
        assert_eq!(back[2..], (i as u32).to_be_bytes(), "peer {i}");
    }
    assert_eq!(server.active_connections(), PEERS);
    drop(peers);
    server.stop().unwrap();
}

#[test]
fn a_peer_that_dribbles_a_frame_is_reset_at_the_frame_deadline_with_counts() {
    let framing = Framing::U16.with_max_frame_len(64);
    let (handler, failures) = echo();
    let server = ReactorServer::bind("127.0.0.1:0", framing)
        .unwrap()
        .idle_timeout(Some(Duration::from_secs(30)))
        .frame_timeout(Some(Duration::from_secs(1)))
        .spawn(handler)
        .unwrap();
    // Announces 40 bytes and sends one byte every 100 ms: never idle, never done.
    let mut dribbler = connect(server.local_addr());
    let me = dribbler.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stopper = Arc::clone(&stop);
    let mut writer = dribbler.try_clone().unwrap();
    // The first error the dribbler's writes meet (a reset is seen by a write or a read).
    let dribble = std::thread::spawn(move || {
        writer.write_all(&[0, 40]).err()?;
        for _ in 0..(PATIENCE.as_millis() / 100) {
            if stopper.load(Ordering::SeqCst) {
                return None;
            }
            if let Err(e) = writer.write_all(b"x") {
                return Some(e.kind());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    });
    // A peer that sends whole frames with pauses longer than the deadline between them is
    // not touched: silence between frames is the idle timeout's.
    let mut patient = connect(server.local_addr());
    for i in 0..2u8 {
        assert_eq!(
            exchange(&mut patient, framing, &[i; 3]).unwrap(),
            frame(framing, &[i; 3])
        );
        std::thread::sleep(Duration::from_millis(1500));
    }
    let (peer, text) = failure_with(&failures, "frame deadline");
    assert_eq!(peer, me);
    assert!(text.contains("expected 42 bytes, received "), "{text}");
    let read = read_until_closed(&mut dribbler);
    stop.store(true, Ordering::SeqCst);
    let wrote = dribble.join().unwrap();
    assert!(
        read.as_ref()
            .is_err_and(|e| e.kind() == IoKind::ConnectionReset)
            || wrote == Some(IoKind::ConnectionReset),
        "the dribbler is reset: read {read:?}, write {wrote:?}"
    );
    assert_eq!(
        exchange(&mut patient, framing, b"still").unwrap(),
        frame(framing, b"still")
    );
    server.stop().unwrap();
}

/// N peers hold every slot of a server whose cap is N; a well-behaved peer still gets its echo:
/// idle holders are evicted (the idlest first), dribbling ones are reset at the frame deadline.
#[test]
fn idle_or_dribbling_peers_at_the_cap_cannot_lock_out_a_well_behaved_one() {
    const CAP: usize = 6;
    let framing = Framing::U16.with_max_frame_len(64);
    for dribbling in [false, true] {
        let (handler, failures) = echo();
        let server = ReactorServer::bind("127.0.0.1:0", framing)
            .unwrap()
            .max_connections(CAP)
            .frame_timeout(Some(Duration::from_secs(1)))
            .spawn(handler)
            .unwrap();
        let addr = server.local_addr();
        let stop = Arc::new(AtomicBool::new(false));
        let mut holders = Vec::new();
        let mut threads = Vec::new();
        for _ in 0..CAP {
            let s = connect(addr);
            if dribbling {
                let mut w = s.try_clone().unwrap();
                let stop = Arc::clone(&stop);
                threads.push(std::thread::spawn(move || {
                    let _ = w.write_all(&[0, 50]);
                    for _ in 0..(PATIENCE.as_millis() / 100) {
                        if stop.load(Ordering::SeqCst) || w.write_all(b"d").is_err() {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }));
            }
            holders.push(s);
        }
        common::wait_until(PATIENCE, "the holders accepted", || {
            server.active_connections() == CAP
        });
        let waited = Instant::now();
        let mut good = connect(addr);
        assert_eq!(
            exchange(&mut good, framing, b"let me in").unwrap(),
            frame(framing, b"let me in"),
            "dribbling holders: {dribbling}"
        );
        // Reported, not asserted: about the eviction age (1 s) or the frame deadline (1 s).
        eprintln!(
            "{CAP} {} holders: the newcomer got its echo after {:.2?}",
            if dribbling { "dribbling" } else { "idle" },
            waited.elapsed()
        );
        assert!(server.active_connections() <= CAP);
        let what = if dribbling {
            "frame deadline"
        } else {
            "closed to admit a new peer"
        };
        let (peer, text) = failure_with(&failures, what);
        assert!(
            holders.iter().any(|h| h.local_addr().unwrap() == peer),
            "{peer}: {text}"
        );
        stop.store(true, Ordering::SeqCst);
        for t in threads {
            t.join().unwrap();
        }
        drop(holders);
        server.stop().unwrap();
    }
}

#[test]
fn a_peer_with_a_frame_under_way_is_never_evicted() {
    let framing = Framing::U16.with_max_frame_len(64);
    let (handler, failures) = echo();
    let server = ReactorServer::bind("127.0.0.1:0", framing)
        .unwrap()
        .max_connections(1)
        .frame_timeout(None)
        .spawn(handler)
        .unwrap();
    let addr = server.local_addr();
    let mut busy = connect(addr);
    busy.write_all(&[0, 4, b'h']).unwrap();
    common::wait_until(PATIENCE, "the busy peer accepted", || {
        server.active_connections() == 1
    });
    let mut late = connect(addr);
    late.write_all(&frame(framing, b"late")).unwrap();
    // Long past the eviction age, the busy peer still finishes its frame and gets its echo.
    std::thread::sleep(netorder::reactor::EVICT_AFTER * 2);
    busy.write_all(b"ell").unwrap();
    let mut back = [0u8; 6];
    busy.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"\0\x04hell");
    // Now it is idle (whole frames only) and goes for the late peer.
    let mut back = [0u8; 6];
    late.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"\0\x04late");
    let (peer, text) = failure_with(&failures, "closed to admit a new peer");
    assert_eq!(peer, busy.local_addr().unwrap(), "{text}");
    assert!(text.contains("cap of 1 connections"), "{text}");
    assert_eq!(read_until_closed(&mut busy).unwrap(), b"");
    server.stop().unwrap();
}

#[test]
fn a_panicking_handler_resets_its_connection_frees_its_slot_and_the_loop_goes_on() {
    let framing = Framing::U16;
    let (handler, failures) = echo();
    let server = ReactorServer::bind("127.0.0.1:0", framing)
        .unwrap()
        .max_connections(1)
        .spawn(handler)
        .unwrap();
    for round in 0..3 {
        let mut bad = connect(server.local_addr());
        assert_eq!(
            exchange(&mut bad, framing, b"fine").unwrap(),
            frame(framing, b"fine")
        );
        bad.write_all(&frame(framing, b"boom")).unwrap();
        let read = read_until_closed(&mut bad);
        assert!(
            read.as_ref()
                .is_err_and(|e| e.kind() == IoKind::ConnectionReset),
            "round {round}: {read:?}"
        );
        let (peer, text) = failure_with(&failures, "panicked");
        assert_eq!(peer, bad.local_addr().unwrap());
        assert_eq!(
            text,
            "the handler panicked on a 4-byte frame: the test handler was asked to panic"
        );
        // The one slot is free again: the next peer is served by the same loop.
        let mut good = connect(server.local_addr());
        assert_eq!(
            exchange(&mut good, framing, b"next").unwrap(),
            frame(framing, b"next")
        );
    }
    server.stop().unwrap();
}

#[test]
fn a_panicking_handler_of_the_threaded_server_is_reported_and_its_slot_freed() {
    let framing = Framing::U16;
    let (tx, failures) = mpsc::channel::<(SocketAddr, String)>();
    let tx = std::sync::Mutex::new(tx);
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(1)
        .spawn(
            move |stream, _peer| {
                let mut conn = Conn::new(stream, framing);
                while let Some(f) = conn.recv_frame()? {
                    if f == b"boom" {
                        panic!("the test handler was asked to panic");
                    }
                    let f = f.to_vec();
                    conn.send_frame(&f)?;
                }
                conn.flush()
            },
            move |peer, err| {
                let _ = tx.lock().unwrap().send((peer, err.to_string()));
            },
        )
        .unwrap();
    for _ in 0..2 {
        let mut bad = connect(server.local_addr());
        bad.write_all(&frame(framing, b"boom")).unwrap();
        let _ = read_until_closed(&mut bad);
        let (peer, text) = failure_with(&failures, "panicked");
        assert_eq!(peer, bad.local_addr().unwrap());
        assert_eq!(
            text,
            "the handler panicked: the test handler was asked to panic"
        );
        let mut good = connect(server.local_addr());
        assert_eq!(
            exchange(&mut good, framing, b"next").unwrap(),
            frame(framing, b"next")
        );
    }
    server.stop().unwrap();
}

#[test]
fn a_well_behaved_peer_beside_a_hundred_that_never_read_gets_its_echoes() {
    const HOARDERS: usize = 100;
    const BOUND: usize = 16 << 10;
    let framing = Framing::U16.with_max_frame_len(1000);
    let (handler, failures) = echo();
    let server = ReactorServer::bind("127.0.0.1:0", framing)
        .unwrap()
        .max_queued_bytes(BOUND)
        // What is measured here is the queue bound; a hoarder's frame cut by its last write
        // must not be reset by the deadline if the run is slow.
        .frame_timeout(None)
        .spawn(handler)
        .unwrap();
    let addr = server.local_addr();
    let chunk = frame(framing, &[7u8; 1000]).repeat(16);
    // Each hoarder writes until its socket stops taking bytes for a while (everything
    // between it and the server is full, and the server has stopped reading from it).
    let stuck = Arc::new(AtomicUsize::new(0));
    let mut hoarders = Vec::new();
    for _ in 0..HOARDERS {
        let s = connect(addr);
        let sock = socket2::SockRef::from(&s);
        sock.set_recv_buffer_size(16 << 10).unwrap();
        sock.set_send_buffer_size(16 << 10).unwrap();
        s.set_nonblocking(true).unwrap();
        hoarders.push(s);
    }
    let start = Instant::now();
    let mut idle_rounds = vec![0u32; HOARDERS];
    // Where each hoarder's stream is in `chunk` (a write may take part of it).
    let mut at = vec![0usize; HOARDERS];
    while stuck.load(Ordering::SeqCst) < HOARDERS {
        assert!(start.elapsed() < PATIENCE, "the hoarders never filled up");
        for (i, s) in hoarders.iter_mut().enumerate() {
            if idle_rounds[i] >= 20 {
                continue;
            }
            match s.write(&chunk[at[i]..]) {
                Ok(n) => {
                    at[i] = (at[i] + n) % chunk.len();
                    idle_rounds[i] = 0;
                }
                Err(e) if e.kind() == IoKind::WouldBlock => {
                    idle_rounds[i] += 1;
                    if idle_rounds[i] == 20 {
                        stuck.fetch_add(1, Ordering::SeqCst);
                    }
                }
                Err(e) => panic!("hoarder {i}: {e}; server: {:?}", failures.try_recv()),
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut good = connect(addr);
    for i in 0..20u8 {
        assert_eq!(
            exchange(&mut good, framing, &[i; 100]).unwrap(),
            frame(framing, &[i; 100])
        );
    }
    common::wait_until(PATIENCE, "the hoarders' queues at their bound", || {
        server.peak_queued_bytes() >= BOUND
    });
    let peak = server.peak_queued_bytes();
    assert!(peak <= BOUND + READ_CHUNK + 1002, "peak {peak}");
    common::wait_until(PATIENCE, "every hoarder still connected", || {
        server.active_connections() == HOARDERS + 1
    });
    drop(hoarders);
    server.stop().unwrap();
}

#[test]
fn the_threaded_servers_conn_resets_a_dribbler_at_the_frame_deadline_not_a_patient_peer() {
    let framing = Framing::U16.with_max_frame_len(64);
    let (tx, failures) = mpsc::channel::<(SocketAddr, String)>();
    let tx = std::sync::Mutex::new(tx);
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .idle_timeout(Some(Duration::from_secs(30)))
        .spawn(
            move |stream, _peer| {
                let mut conn =
                    Conn::new(stream, framing).with_frame_timeout(Some(Duration::from_secs(1)));
                while let Some(f) = conn.recv_frame()? {
                    let f = f.to_vec();
                    conn.send_frame(&f)?;
                }
                conn.flush()
            },
            move |peer, err| {
                let _ = tx.lock().unwrap().send((peer, err.to_string()));
            },
        )
        .unwrap();
    let mut dribbler = connect(server.local_addr());
    let me = dribbler.local_addr().unwrap();
    let mut writer = dribbler.try_clone().unwrap();
    let dribble = std::thread::spawn(move || {
        if writer.write_all(&[0, 40]).is_err() {
            return;
        }
        for _ in 0..(PATIENCE.as_millis() / 100) {
            if writer.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    // Pauses of 1.5 s between whole frames: the idle timeout (30 s) is back between frames.
    let mut patient = connect(server.local_addr());
    for i in 0..2u8 {
        let mut bytes = frame(framing, &[i; 2]);
        patient.write_all(&bytes[..3]).unwrap(); // a frame begun...
        std::thread::sleep(Duration::from_millis(100));
        patient.write_all(&bytes.split_off(3)).unwrap(); // ...and finished in time
        let mut back = [0u8; 4];
        patient.read_exact(&mut back).unwrap();
        assert_eq!(back, [0, 2, i, i]);
        std::thread::sleep(Duration::from_millis(1500));
    }
    let (peer, text) = failure_with(&failures, "frame deadline");
    assert_eq!(peer, me);
    assert!(text.contains("(expected 42 bytes, received "), "{text}");
    let _ = read_until_closed(&mut dribbler);
    dribble.join().unwrap();
    assert_eq!(
        exchange(&mut patient, framing, b"still").unwrap(),
        frame(framing, b"still")
    );
    server.stop().unwrap();
}
