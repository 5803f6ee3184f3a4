//! Load on the `netorder serve` command: 50 concurrent clients × 10 000 records each with a
//! truncated peer and a length bomb mixed in; every whole record is printed exactly once, the
//! bad peers are reported with exact numbers, and the server's peak memory (VmHWM) stays
//! bounded. (Moved from the library's `tests/transport/load.rs`, which puts the same load on
//! `Server`; only this package can run the binary.)

use netorder_support as common;

use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const CLIENTS: u32 = 50;
const RECORDS: u32 = 10_000;
const TRUNCATED: u32 = CLIENTS; // id of the peer that closes mid-record
const BOMB: u32 = CLIENTS + 1; // id of the peer that announces a 65535-byte frame
const TRUNCATED_GOOD: u32 = 100;
const BOMB_GOOD: u32 = 10;
const PATIENCE: Duration = Duration::from_secs(60);

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

fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}

/// Waits for the server to close its side.
fn drain(s: &mut TcpStream) {
    netorder_support::drain_until_closed(s)
}

/// Peak resident memory of process `pid`, in KiB.
fn vm_hwm_kib_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn netorder_serve_under_fifty_clients_with_bad_peers() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(["serve", "--listen", "127.0.0.1:0", "--format", "!II"])
        .args(["--framing", "u16", "--max-connections", "64"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let _child = common::KillOnDrop(child);
    let erx = common::line_channel(stderr, 1000);
    let first = erx.recv_timeout(PATIENCE).expect("the server starts");
    let addr: SocketAddr = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .parse()
        .unwrap();
    let want_total = (CLIENTS * RECORDS + TRUNCATED_GOOD + BOMB_GOOD) as usize;
    // Lines go through a channel so that a lost record fails the test instead of hanging it.
    let (otx, orx) = mpsc::channel::<(u32, u32)>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let mut it = line.split(' ').map(|v| v.parse::<u32>().unwrap());
            if otx.send((it.next().unwrap(), it.next().unwrap())).is_err() {
                break;
            }
        }
    });

    // Records are `!II` (client, seq): 8 bytes, a u16 prefix each.
    let frames = |client: u32, seqs: std::ops::Range<u32>| {
        let mut out = Vec::with_capacity(seqs.len() * 10);
        for seq in seqs {
            out.extend_from_slice(&8u16.to_be_bytes());
            out.extend_from_slice(&client.to_be_bytes());
            out.extend_from_slice(&seq.to_be_bytes());
        }
        out
    };
    let mut threads = Vec::new();
    for client in 0..CLIENTS {
        let bytes = frames(client, 0..RECORDS);
        threads.push(std::thread::spawn(move || {
            let mut s = connect(addr);
            s.write_all(&bytes).unwrap();
            s.shutdown(Shutdown::Write).unwrap();
            drain(&mut s);
        }));
        if client == CLIENTS / 2 {
            let mut cut = frames(TRUNCATED, 0..TRUNCATED_GOOD + 1);
            cut.truncate(cut.len() - 5);
            threads.push(std::thread::spawn(move || {
                let mut s = connect(addr);
                s.write_all(&cut).unwrap();
                s.shutdown(Shutdown::Write).unwrap();
                drain(&mut s);
            }));
            let mut bomb = frames(BOMB, 0..BOMB_GOOD);
            bomb.extend_from_slice(&[0xff, 0xff]);
            bomb.extend_from_slice(&[0xAB; 1000]);
            threads.push(std::thread::spawn(move || {
                let mut s = connect(addr);
                let _ = s.write_all(&bomb);
                drain(&mut s);
            }));
        }
    }
    for t in threads {
        t.join().unwrap();
    }
    let mut got = Vec::with_capacity(want_total);
    while got.len() < want_total {
        match orx.recv_timeout(PATIENCE) {
            Ok(pair) => got.push(pair),
            Err(_) => break,
        }
    }
    assert!(
        orx.recv_timeout(Duration::from_millis(200)).is_err(),
        "more lines than records"
    );

    // Two lines on stderr, naming what was wrong with the numbers.
    let errors: Vec<String> = (0..2)
        .map(|_| erx.recv_timeout(PATIENCE).expect("a report"))
        .collect();
    // One line each, in either order (sorting the lines would sort by the peers' ports).
    let truncated = errors
        .iter()
        .filter(|e| e.contains("expected 10 bytes, received 5"))
        .count();
    let bomb = errors.iter().filter(|e| e.contains("65535")).count();
    assert_eq!((truncated, bomb), (1, 1), "{errors:?}");
    let hwm = vm_hwm_kib_of(pid);

    assert_every_record_exactly_once(&mut got);
    println!(
        "load (netorder serve): {} records from {} peers in {:.2?}; server VmHWM {} KiB",
        got.len(),
        CLIENTS + 2,
        started.elapsed(),
        hwm.map_or("?".into(), |v| v.to_string())
    );
    if let Some(hwm) = hwm {
        assert!(hwm < 256 * 1024, "server peak RSS {hwm} KiB");
    }
}
