//! Load: 50 concurrent clients × 10 000 records each over real sockets on 127.0.0.1 into one
//! [`Server`], with a truncated peer and a length bomb mixed in. Every whole record is
//! delivered exactly once, none is invented, the bad peers are reported with exact numbers,
//! and the process's peak memory (VmHWM) stays bounded; it is printed, with the wall time
//! (informational only: tests never assert timings). The same load on the `netorder serve`
//! command is in the CLI's tests (`cli/tests/cli/serve_load.rs`).

use netorder::ErrorKind;
use netorder::frame::Framing;
use netorder::transport::{Conn, Server};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const CLIENTS: u32 = 50;
const RECORDS: u32 = 10_000;
const TRUNCATED: u32 = CLIENTS; // id of the peer that closes mid-record
const BOMB: u32 = CLIENTS + 1; // id of the peer that announces a 65535-byte frame
const TRUNCATED_GOOD: u32 = 100;
const BOMB_GOOD: u32 = 10;
const MAX_FRAME: usize = 64;
const PATIENCE: Duration = Duration::from_secs(60);

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
struct Rec {
    client: u32,
    seq: u32,
    check: u64,
}

fn check_of(client: u32, seq: u32) -> u64 {
    (u64::from(client) << 32 | u64::from(seq)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn rec(client: u32, seq: u32) -> Rec {
    Rec {
        client,
        seq,
        check: check_of(client, seq),
    }
}

/// Peak resident memory of this process, in KiB (`VmHWM` in /proc/self/status).
/// `got` (client, seq) pairs, sorted in place, must be every good record once: each client's
/// `RECORDS`, and the bad peers' records before their fault; nothing lost, repeated or invented.
fn assert_every_record_exactly_once(got: &mut [(u32, u32)]) {
    got.sort_unstable();
    let mut want: Vec<(u32, u32)> = (0..CLIENTS)
        .flat_map(|c| (0..RECORDS).map(move |s| (c, s)))
        .chain((0..TRUNCATED_GOOD).map(|s| (TRUNCATED, s)))
        .chain((0..BOMB_GOOD).map(|s| (BOMB, s)))
        .collect();
    want.sort_unstable();
    assert_eq!(got.len(), want.len());
    assert!(
        got == want.as_slice(),
        "records lost, duplicated or invented"
    );
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}

/// Waits for the server to close its side.
fn drain(s: &mut TcpStream) {
    netorder_support::drain_until_closed(s)
}

#[test]
fn fifty_clients_ten_thousand_records_each_with_bad_peers() {
    let started = Instant::now();
    let hwm_before = vm_hwm_kib();

    // What the server got: (client, seq) pairs, pushed in batches by each handler when it ends.
    let delivered: Arc<Mutex<Vec<(u32, u32)>>> = Arc::default();
    // Records whose check word was wrong (invented or corrupted): must stay empty.
    let invented: Arc<Mutex<Vec<Rec>>> = Arc::default();
    let (tx, reports) = mpsc::channel::<(SocketAddr, ErrorKind)>();
    let tx = Mutex::new(tx);
    let (d, inv) = (Arc::clone(&delivered), Arc::clone(&invented));
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(64)
        .idle_timeout(Some(Duration::from_secs(30)))
        .spawn(
            move |stream, _peer| {
                let mut conn = Conn::new(stream, Framing::U16.with_max_frame_len(MAX_FRAME));
                let mut got = Vec::with_capacity(RECORDS as usize);
                let result = (|| {
                    while let Some(r) = conn.recv::<Rec>()? {
                        if r.check != check_of(r.client, r.seq) {
                            inv.lock().unwrap().push(r);
                        }
                        got.push((r.client, r.seq));
                    }
                    Ok(())
                })();
                d.lock().unwrap().extend_from_slice(&got);
                result
            },
            move |peer, err| {
                let _ = tx.lock().unwrap().send((peer, err.kind().clone()));
            },
        )
        .unwrap();
    let addr = server.local_addr();

    let mut threads = Vec::new();
    for client in 0..CLIENTS {
        threads.push(std::thread::spawn(move || {
            let mut conn = Conn::new(connect(addr), Framing::U16);
            for seq in 0..RECORDS {
                conn.send(&rec(client, seq)).unwrap();
            }
            conn.shutdown_write().unwrap();
            drain(conn.get_mut());
        }));
        // The bad peers join in the middle of the crowd.
        if client == CLIENTS / 2 {
            threads.push(std::thread::spawn(move || {
                let mut conn = Conn::new(connect(addr), Framing::U16);
                for seq in 0..TRUNCATED_GOOD {
                    conn.send(&rec(TRUNCATED, seq)).unwrap();
                }
                conn.flush().unwrap();
                let mut whole = Vec::new();
                netorder::frame::encode_frame(
                    Framing::U16,
                    &netorder::to_vec(&rec(TRUNCATED, TRUNCATED_GOOD)).unwrap(),
                    &mut whole,
                )
                .unwrap();
                let s = conn.get_mut();
                s.write_all(&whole[..9]).unwrap();
                s.shutdown(Shutdown::Write).unwrap();
                drain(s);
            }));
            threads.push(std::thread::spawn(move || {
                let mut conn = Conn::new(connect(addr), Framing::U16);
                for seq in 0..BOMB_GOOD {
                    conn.send(&rec(BOMB, seq)).unwrap();
                }
                conn.flush().unwrap();
                let s = conn.get_mut();
                // The server may close (and reset) before all of this is written.
                let _ = s.write_all(&[0xff, 0xff]);
                let _ = s.write_all(&[0xAB; 1000]);
                drain(s);
            }));
        }
    }
    for t in threads {
        t.join().unwrap();
    }

    // Exactly two reports, with their numbers.
    let mut kinds: Vec<ErrorKind> = (0..2)
        .map(|_| reports.recv_timeout(PATIENCE).expect("a report").1)
        .collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        kinds,
        [
            ErrorKind::LengthLimit {
                offset: BOMB_GOOD as usize * 18,
                len: 0xffff,
                limit: MAX_FRAME as u64
            },
            ErrorKind::Truncated {
                expected: 18,
                received: 9
            },
        ]
    );
    assert!(reports.recv_timeout(Duration::from_millis(100)).is_err());
    server.stop().unwrap();

    // Every whole record exactly once; nothing else.
    assert!(invented.lock().unwrap().is_empty());
    let mut got = std::mem::take(&mut *delivered.lock().unwrap());
    let total = got.len();
    assert_every_record_exactly_once(&mut got);

    let hwm_after = vm_hwm_kib();
    println!(
        "load: {total} records from {} peers in {:.2?}; VmHWM {} KiB before, {} KiB after",
        CLIENTS + 2,
        started.elapsed(),
        hwm_before.map_or("?".into(), |v| v.to_string()),
        hwm_after.map_or("?".into(), |v| v.to_string()),
    );
    // Bounded: 52 connections hold a few KiB of buffers each; the records collected for the
    // check are 4 MB. Far below what one 65535-byte allocation per bomb byte would cost.
    if let (Some(before), Some(after)) = (hwm_before, hwm_after) {
        assert!(
            after.saturating_sub(before) < 256 * 1024,
            "peak RSS grew by {} KiB",
            after - before
        );
    }
}
