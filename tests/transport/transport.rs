//! Blocking transport on raw frames: fault-injecting readers and writers (1-byte reads, short
//! writes, `Interrupted`, `Ok(0)` mid-record and at a boundary, errors mid-stream), real TCP and
//! Unix sockets, and the threaded server (bad peers reported, others served, slots bounded).

use netorder::ErrorKind;
use netorder::frame::{Framing, FramingKind, encode_frame};
use netorder::transport::{Conn, Server, recv_exact, send_all};
use proptest::prelude::*;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A reader over fixed bytes that misbehaves on purpose: at most `max_read` bytes per call,
/// `Interrupted` on every `interrupt_every`-th call, and an error instead of end-of-stream
/// when `fail_at_end` is set.
struct FaultyReader {
    data: Vec<u8>,
    pos: usize,
    max_read: usize,
    interrupt_every: usize,
    calls: usize,
    fail_at_end: Option<io::ErrorKind>,
}

impl FaultyReader {
    fn new(data: Vec<u8>, max_read: usize, interrupt_every: usize) -> Self {
        FaultyReader {
            data,
            pos: 0,
            max_read,
            interrupt_every,
            calls: 0,
            fail_at_end: None,
        }
    }
}

impl Read for FaultyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        assert!(self.calls < 1_000_000, "reader called without end");
        if self.interrupt_every > 0 && self.calls % self.interrupt_every == 0 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "signal"));
        }
        let left = self.data.len() - self.pos;
        if left == 0 {
            if let Some(kind) = self.fail_at_end {
                return Err(io::Error::new(kind, "connection reset by test"));
            }
            return Ok(0);
        }
        let n = left.min(self.max_read).min(buf.len());
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A writer that accepts at most `max_write` bytes per call, `Interrupted` on every
/// `interrupt_every`-th call, and `Ok(0)` once `capacity` bytes are in.
struct FaultyWriter {
    data: Vec<u8>,
    max_write: usize,
    interrupt_every: usize,
    calls: usize,
    capacity: usize,
    flushes: usize,
}

impl FaultyWriter {
    fn new(max_write: usize, interrupt_every: usize) -> Self {
        FaultyWriter {
            data: Vec::new(),
            max_write,
            interrupt_every,
            calls: 0,
            capacity: usize::MAX,
            flushes: 0,
        }
    }
}

impl Write for FaultyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        assert!(self.calls < 1_000_000, "writer called without end");
        if self.interrupt_every > 0 && self.calls % self.interrupt_every == 0 {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "signal"));
        }
        let n = buf
            .len()
            .min(self.max_write)
            .min(self.capacity - self.data.len());
        self.data.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

/// Both halves in one stream, for `Conn`.
struct Duplex {
    r: FaultyReader,
    w: FaultyWriter,
}

impl Read for Duplex {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.r.read(buf)
    }
}

impl Write for Duplex {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

fn wire_of(framing: Framing, payloads: &[Vec<u8>]) -> Vec<u8> {
    let mut wire = Vec::new();
    for p in payloads {
        encode_frame(framing, p, &mut wire).unwrap();
    }
    wire
}

fn timeouts(stream: &TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
}

#[test]
fn send_all_survives_short_writes_and_interrupts() {
    let data: Vec<u8> = (0..=255).cycle().take(10_000).collect();
    for (max_write, interrupt_every) in [(1, 0), (1, 2), (3, 3), (7, 1_000), (10_000, 2)] {
        let mut w = FaultyWriter::new(max_write, interrupt_every);
        send_all(&mut w, &data).unwrap();
        assert_eq!(w.data, data, "max_write {max_write}");
    }
}

#[test]
fn send_all_reports_a_zero_byte_write_with_counts() {
    let mut w = FaultyWriter::new(3, 0);
    w.capacity = 5;
    let err = send_all(&mut w, b"0123456789").unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Io {
            kind: io::ErrorKind::WriteZero,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "I/O error: the writer accepted 0 bytes after 5 of 10 were sent"
    );
    assert_eq!(w.data, b"01234");
    // An io::Error of that kind is the error's source.
    let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<io::Error>());
    assert_eq!(source.map(io::Error::kind), Some(io::ErrorKind::WriteZero));
}

#[test]
fn recv_exact_tells_a_clean_close_from_a_cut_record() {
    // Two whole 4-byte records and 3 bytes of a third, read 1 byte at a time with interrupts.
    let mut r = FaultyReader::new(b"abcdefghijk".to_vec(), 1, 2);
    let mut rec = [0u8; 4];
    assert!(recv_exact(&mut r, &mut rec).unwrap());
    assert_eq!(&rec, b"abcd");
    assert!(recv_exact(&mut r, &mut rec).unwrap());
    assert_eq!(&rec, b"efgh");
    let err = recv_exact(&mut r, &mut rec).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: 4,
            received: 3
        }
    );
    // At a boundary: a clean close.
    let mut r = FaultyReader::new(b"abcd".to_vec(), 3, 0);
    assert!(recv_exact(&mut r, &mut rec).unwrap());
    assert!(!recv_exact(&mut r, &mut rec).unwrap());
    // An empty buffer is always complete.
    assert!(recv_exact(&mut r, &mut []).unwrap());
}

#[test]
fn recv_exact_reports_a_reset_mid_record_with_counts() {
    let mut r = FaultyReader::new(b"ab".to_vec(), 1, 0);
    r.fail_at_end = Some(io::ErrorKind::ConnectionReset);
    let mut rec = [0u8; 5];
    let err = recv_exact(&mut r, &mut rec).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Io {
            kind: io::ErrorKind::ConnectionReset,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "I/O error: connection reset by test (expected 5 bytes, received 2)"
    );
}

#[test]
fn conn_reports_truncation_and_io_errors_mid_stream() {
    let payloads = vec![b"first".to_vec(), b"second".to_vec()];
    for framing in [Framing::U16, Framing::U32, Framing::VARINT] {
        let mut wire = wire_of(framing, &payloads);
        let whole = wire.len();
        wire.extend_from_slice(&wire_of(framing, &[b"third!".to_vec()])[..5]);
        let header = framing.header_len(6);
        // Ok(0) mid-frame: Truncated with the counts, after both whole frames.
        let mut conn = Conn::new(
            Duplex {
                r: FaultyReader::new(wire.clone(), 1, 3),
                w: FaultyWriter::new(1, 0),
            },
            framing,
        );
        assert_eq!(conn.recv_frame().unwrap(), Some(&b"first"[..]));
        assert_eq!(conn.recv_frame().unwrap(), Some(&b"second"[..]));
        let err = conn.recv_frame().unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::Truncated {
                expected: header + 6,
                received: 5
            },
            "{framing}"
        );
        // A reset mid-frame: the I/O error, with the counts in its message.
        let mut r = FaultyReader::new(wire.clone(), 1, 0);
        r.fail_at_end = Some(io::ErrorKind::ConnectionReset);
        let mut conn = Conn::new(
            Duplex {
                r,
                w: FaultyWriter::new(1, 0),
            },
            framing,
        );
        conn.recv_frame().unwrap();
        conn.recv_frame().unwrap();
        let err = conn.recv_frame().unwrap_err();
        assert!(matches!(
            err.kind(),
            ErrorKind::Io {
                kind: io::ErrorKind::ConnectionReset,
                ..
            }
        ));
        assert!(
            err.to_string()
                .ends_with(&format!("(expected {} bytes, received 5)", header + 6)),
            "{err}"
        );
        // The reader's io::Error itself is the error's source.
        let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(
            source.map(io::Error::kind),
            Some(io::ErrorKind::ConnectionReset)
        );
        // Ok(0) exactly at a boundary: a clean close, then again a clean close.
        let mut conn = Conn::new(
            Duplex {
                r: FaultyReader::new(wire[..whole].to_vec(), 2, 2),
                w: FaultyWriter::new(1, 0),
            },
            framing,
        );
        assert_eq!(conn.recv_frame().unwrap(), Some(&b"first"[..]));
        assert_eq!(conn.recv_frame().unwrap(), Some(&b"second"[..]));
        assert_eq!(conn.recv_frame().unwrap(), None);
        assert_eq!(conn.recv_frame().unwrap(), None);
    }
}

#[test]
fn conn_refuses_a_hostile_length_prefix_without_allocating() {
    let mut conn = Conn::new(
        Duplex {
            r: FaultyReader::new(vec![0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3], 64, 0),
            w: FaultyWriter::new(64, 0),
        },
        Framing::U32.with_max_frame_len(1024),
    );
    let err = conn.recv_frame().unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthLimit {
            offset: 0,
            len: 0xFFFF_FFFF,
            limit: 1024
        }
    );
}

#[test]
fn conn_write_buffering_batches_small_frames() {
    let mut conn = Conn::new(
        Duplex {
            r: FaultyReader::new(Vec::new(), 1, 0),
            w: FaultyWriter::new(usize::MAX, 0),
        },
        Framing::U16,
    );
    for i in 0..1_000u16 {
        conn.send_frame(&i.to_be_bytes()).unwrap();
    }
    assert_eq!(
        conn.get_ref().w.calls,
        0,
        "nothing written before the buffer fills or a flush"
    );
    conn.flush().unwrap();
    assert_eq!(conn.get_ref().w.calls, 1, "4000 bytes in one write");
    assert_eq!(conn.get_ref().w.flushes, 1);
    let expected: Vec<u8> = (0..1_000u16)
        .flat_map(|i| [0, 2, (i >> 8) as u8, i as u8])
        .collect();
    assert_eq!(conn.get_ref().w.data, expected);
    // A full buffer goes out without a flush.
    let mut conn = conn.with_write_buffer(100);
    for _ in 0..100 {
        conn.send_frame(b"12345678").unwrap();
    }
    assert!(conn.get_ref().w.calls >= 9);
    assert!(conn.pending_write() < 100);
}

#[test]
fn conn_large_frames_go_out_whole_through_short_writes() {
    let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    let mut conn = Conn::new(
        Duplex {
            r: FaultyReader::new(Vec::new(), 1, 0),
            w: FaultyWriter::new(4_099, 3),
        },
        Framing::U32,
    );
    conn.send_frame(b"small").unwrap();
    conn.send_frame(&big).unwrap();
    conn.send_frame(b"after").unwrap();
    conn.flush().unwrap();
    let expected = wire_of(
        Framing::U32,
        &[b"small".to_vec(), big.clone(), b"after".to_vec()],
    );
    assert_eq!(conn.get_ref().w.data, expected);
}

#[test]
fn conn_send_errors_queue_nothing() {
    let mut conn = Conn::new(
        Duplex {
            r: FaultyReader::new(Vec::new(), 1, 0),
            w: FaultyWriter::new(64, 0),
        },
        Framing::fixed(4),
    );
    let err = conn.send_frame(b"abc").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 4,
            actual: 3
        }
    );
    assert_eq!(conn.pending_write(), 0);
    let mut conn = Conn::new(
        Duplex {
            r: FaultyReader::new(Vec::new(), 1, 0),
            w: FaultyWriter::new(64, 0),
        },
        Framing::VARINT.with_max_frame_len(10),
    );
    let err = conn.send_frame(&[0; 11]).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 11, max: 10 });
    assert_eq!(conn.pending_write(), 0);
}

#[test]
fn recv_flushes_queued_writes_before_waiting() {
    let mut conn = Conn::new(
        Duplex {
            r: FaultyReader::new(b"\x00\x02ok".to_vec(), 64, 0),
            w: FaultyWriter::new(64, 0),
        },
        Framing::U16,
    );
    conn.send_frame(b"request").unwrap();
    assert_eq!(conn.recv_frame().unwrap(), Some(&b"ok"[..]));
    assert_eq!(conn.get_ref().w.data, b"\x00\x07request");
}

fn frames_strategy() -> impl Strategy<Value = (Framing, Vec<Vec<u8>>)> {
    prop_oneof![
        Just(Framing::U16),
        Just(Framing::U32),
        Just(Framing::VARINT),
        (1usize..20).prop_map(Framing::fixed)
    ]
    .prop_flat_map(|framing| {
        let payload = match framing.kind() {
            FramingKind::Fixed(n) => proptest::collection::vec(any::<u8>(), n).boxed(),
            _ => proptest::collection::vec(any::<u8>(), 0..300).boxed(),
        };
        (Just(framing), proptest::collection::vec(payload, 0..20))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Through any mix of short reads, short writes and interrupts, every frame arrives once,
    /// in order, byte for byte, and the stream ends cleanly.
    #[test]
    fn no_byte_lost_or_duplicated(
        (framing, payloads) in frames_strategy(),
        max_read in 1usize..50,
        max_write in 1usize..50,
        interrupt_every in prop_oneof![Just(0usize), 2usize..5],
        write_buffer in 0usize..600,
    ) {
        let mut tx = Conn::new(
            Duplex { r: FaultyReader::new(Vec::new(), 1, 0), w: FaultyWriter::new(max_write, interrupt_every) },
            framing,
        )
        .with_write_buffer(write_buffer);
        for p in &payloads {
            tx.send_frame(p).unwrap();
        }
        tx.flush().unwrap();
        let wire = std::mem::take(&mut tx.get_mut().w.data);
        prop_assert_eq!(&wire, &wire_of(framing, &payloads));

        let mut rx = Conn::new(
            Duplex { r: FaultyReader::new(wire, max_read, interrupt_every), w: FaultyWriter::new(1, 0) },
            framing,
        );
        let mut got = Vec::new();
        for _ in 0..=payloads.len() {
            match rx.recv_frame().unwrap() {
                Some(f) => got.push(f.to_vec()),
                None => break,
            }
        }
        prop_assert_eq!(got, payloads);
    }
}

#[test]
fn frames_over_tcp_both_ways_with_half_close() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let payloads: Vec<Vec<u8>> = (0..500u32)
        .map(|i| vec![i as u8; (i % 97) as usize])
        .collect();
    let sent = payloads.clone();
    let client = std::thread::spawn(move || {
        let stream = TcpStream::connect(addr).unwrap();
        timeouts(&stream);
        let mut conn = Conn::new(stream, Framing::VARINT);
        for p in &sent {
            conn.send_frame(p).unwrap();
        }
        conn.shutdown_write().unwrap();
        // The echo comes back after the half-close.
        let mut echoed = Vec::new();
        for _ in 0..=sent.len() {
            match conn.recv_frame().unwrap() {
                Some(f) => echoed.push(f.to_vec()),
                None => break,
            }
        }
        echoed
    });
    let (stream, _) = listener.accept().unwrap();
    timeouts(&stream);
    let mut conn = Conn::new(stream, Framing::VARINT);
    let mut received = Vec::new();
    for _ in 0..=payloads.len() {
        match conn.recv_frame().unwrap() {
            Some(f) => {
                let f = f.to_vec();
                conn.send_frame(&f).unwrap();
                received.push(f);
            }
            None => break,
        }
    }
    conn.shutdown_write().unwrap();
    assert_eq!(received, payloads);
    assert_eq!(client.join().unwrap(), payloads);
}

#[cfg(unix)]
#[test]
fn frames_over_a_unix_socket() {
    use std::os::unix::net::UnixStream;
    let (a, b) = UnixStream::pair().unwrap();
    for s in [&a, &b] {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    }
    let mut tx = Conn::new(a, Framing::U32);
    let mut rx = Conn::new(b, Framing::U32);
    let big = vec![0x5A; 300_000];
    let writer = std::thread::spawn(move || {
        tx.send_frame(b"hello").unwrap();
        tx.send_frame(&big).unwrap();
        tx.shutdown_write().unwrap();
    });
    assert_eq!(rx.recv_frame().unwrap(), Some(&b"hello"[..]));
    assert_eq!(rx.recv_frame().unwrap().map(<[u8]>::len), Some(300_000));
    assert_eq!(rx.recv_frame().unwrap(), None);
    writer.join().unwrap();
}

/// Errors reported by a test server: (peer, message).
type Reports = Arc<Mutex<Vec<(SocketAddr, String)>>>;

/// A server that counts the frames of each client and answers every frame with its length
/// as a u32 frame.
fn counting_server(
    idle: Duration,
    max_connections: usize,
) -> (netorder::transport::ServerHandle, Reports) {
    let reports: Reports = Arc::default();
    let sink = Arc::clone(&reports);
    let handle = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(max_connections)
        .idle_timeout(Some(idle))
        .spawn(
            |stream, _peer| {
                let mut conn = Conn::new(stream, Framing::U32.with_max_frame_len(1 << 16));
                while let Some(frame) = conn.recv_frame()? {
                    let len = (frame.len() as u32).to_be_bytes();
                    conn.send_frame(&len)?;
                }
                conn.flush()
            },
            move |peer, err| sink.lock().unwrap().push((peer, err.to_string())),
        )
        .unwrap();
    (handle, reports)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    timeouts(&s);
    s
}

#[test]
fn server_reports_bad_peers_and_keeps_serving() {
    let (server, reports) = counting_server(Duration::from_secs(5), 8);
    let addr = server.local_addr();

    // A truncated peer: a prefix announcing 10 bytes, 3 bytes, then close.
    let mut bad = connect(addr);
    bad.write_all(&[0, 0, 0, 10, 1, 2, 3]).unwrap();
    drop(bad);
    // A hostile prefix.
    let mut hostile = connect(addr);
    hostile.write_all(&[0xFF, 0xFF, 0xFF, 0xFF]).unwrap();
    let mut rest = Vec::new();
    hostile.read_to_end(&mut rest).unwrap(); // the server closes the connection
    assert!(rest.is_empty());

    // A good peer is still served.
    let mut good = Conn::new(connect(addr), Framing::U32);
    good.send_frame(b"12345").unwrap();
    assert_eq!(good.recv_frame().unwrap(), Some(&[0, 0, 0, 5][..]));
    drop(good);

    let deadline = Instant::now() + Duration::from_secs(10);
    while reports.lock().unwrap().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut messages: Vec<String> = reports
        .lock()
        .unwrap()
        .iter()
        .map(|(_, m)| m.clone())
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "length 4294967295 at byte 0 is over the limit of 65536".to_string(),
            "truncated: expected 14 bytes, received 7 before the end".to_string(),
        ]
    );
    server.stop().unwrap();
}

#[test]
fn a_stalled_peer_is_timed_out_and_frees_its_slot() {
    // One slot: a peer that sends half a record and stalls must not block the next client
    // for longer than the idle timeout.
    let (server, reports) = counting_server(Duration::from_millis(200), 1);
    let addr = server.local_addr();
    let mut stalled = connect(addr);
    stalled.write_all(&[0, 0, 0, 8, 1, 2]).unwrap();

    let mut next = Conn::new(connect(addr), Framing::U32);
    next.send_frame(b"abc").unwrap();
    assert_eq!(next.recv_frame().unwrap(), Some(&[0, 0, 0, 3][..]));
    drop(next);

    let reports = reports.lock().unwrap().clone();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0].0, stalled.local_addr().unwrap());
    assert!(
        reports[0].1.ends_with("(expected 12 bytes, received 6)"),
        "{}",
        reports[0].1
    );
    drop(stalled);
    server.stop().unwrap();
}

#[test]
fn many_concurrent_clients_lose_nothing() {
    let (server, reports) = counting_server(Duration::from_secs(10), 8);
    let addr = server.local_addr();
    let clients: Vec<_> = (0..20u32)
        .map(|c| {
            std::thread::spawn(move || {
                let mut conn = Conn::new(connect(addr), Framing::U32);
                for i in 0..200u32 {
                    conn.send_frame(&vec![c as u8; ((c * 7 + i) % 50) as usize])
                        .unwrap();
                }
                conn.shutdown_write().unwrap();
                let mut lens = Vec::new();
                for _ in 0..=200 {
                    match conn.recv_frame().unwrap() {
                        Some(f) => lens.push(u32::from_be_bytes(f.try_into().unwrap())),
                        None => break,
                    }
                }
                let expected: Vec<u32> = (0..200).map(|i| (c * 7 + i) % 50).collect();
                assert_eq!(lens, expected, "client {c}");
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    assert!(
        reports.lock().unwrap().is_empty(),
        "{:?}",
        reports.lock().unwrap()
    );
    server.stop().unwrap();
}

#[test]
fn stop_shuts_down_connections_that_are_still_open() {
    let (server, _reports) = counting_server(Duration::from_secs(60), 4);
    let addr = server.local_addr();
    let mut idle = Conn::new(connect(addr), Framing::U32);
    idle.send_frame(b"hi").unwrap();
    assert_eq!(idle.recv_frame().unwrap(), Some(&[0, 0, 0, 2][..]));
    // The client stays connected and quiet; stop does not wait for the 60 s idle timeout.
    let started = Instant::now();
    server.stop().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(idle.recv_frame().unwrap(), None);
}

/// Regression (review): `with_write_buffer(usize::MAX)` made the first send try to allocate
/// `usize::MAX` bytes. The size is capped, and sending works.
#[test]
fn a_huge_write_buffer_request_is_capped() {
    let mut conn =
        Conn::new(std::io::Cursor::new(Vec::new()), Framing::U16).with_write_buffer(usize::MAX);
    conn.send_frame(b"abc").unwrap();
    conn.flush().unwrap();
    assert_eq!(conn.get_ref().get_ref(), b"\0\x03abc");
}
