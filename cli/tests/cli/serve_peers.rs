//! `netorder serve` against the hostile peers of issue 15: no flags and hundreds of peers, the
//! frame deadline, idle peers at the cap, running out of file descriptors (under `prlimit`),
//! and `netorder send` told of every refusal (one record or many, every framing). Every wait
//! is bounded by progress and [`PATIENCE`]; nothing asserts a speed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::serve_harness::{BIN, PATIENCE, connect, serve, serve_with};

/// `netorder send ADDR ARGS` with `stdin`, bounded by [`PATIENCE`].
fn send(addr: SocketAddr, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("send")
        .arg(addr.to_string())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_string();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("send did not finish within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = feeder.join();
    child.wait_with_output().unwrap()
}

/// `serve`'s record of `!HI` with the values `(i, i * 3)`, as `send` reads it.
fn record_line(i: usize) -> String {
    format!("{} {}", i % 65_536, i * 3)
}

fn record_bytes(i: usize) -> [u8; 6] {
    let mut b = [0u8; 6];
    b[..2].copy_from_slice(&((i % 65_536) as u16).to_be_bytes());
    b[2..].copy_from_slice(&((i * 3) as u32).to_be_bytes());
    b
}

#[test]
fn serve_with_no_flags_admits_far_more_than_64_peers_at_once() {
    const PEERS: usize = 300;
    let s = serve(&["--format", "!HI", "--echo"]);
    let mut peers: Vec<TcpStream> = (0..PEERS).map(|_| connect(s.addr)).collect();
    for (i, p) in peers.iter_mut().enumerate() {
        p.write_all(&record_bytes(i)).unwrap();
    }
    // Every peer gets its echo while all of them are connected.
    for (i, p) in peers.iter_mut().enumerate() {
        let mut back = [0u8; 6];
        p.read_exact(&mut back).unwrap();
        assert_eq!(back, record_bytes(i), "peer {i}");
    }
    let mut got = s.records(PEERS);
    got.sort();
    let mut want: Vec<String> = (0..PEERS).map(record_line).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn serve_resets_a_peer_that_dribbles_a_record_past_the_frame_deadline() {
    for blocking in [false, true] {
        dribbler_is_reset(blocking);
    }
}

fn dribbler_is_reset(blocking: bool) {
    // 64-byte records: at one byte every 200 ms, 13 s to dribble one, against 1 s.
    let mut args = vec![
        "--format",
        "!64s",
        "--framing",
        "u16",
        "--frame-timeout",
        "1",
        "--echo",
    ];
    if blocking {
        args.push("--blocking");
    }
    let s = serve(&args);
    let mut dribbler = connect(s.addr);
    let me = dribbler.local_addr().unwrap();
    dribbler.write_all(&[0, 64, 1]).unwrap();
    // Never idle, but the record is not whole within 1 s.
    let mut writer = dribbler.try_clone().unwrap();
    let dribble = std::thread::spawn(move || {
        for _ in 0..(PATIENCE.as_millis() / 200) {
            if writer.write_all(&[2]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let line = s.err_line_with("frame deadline", &mut Vec::new());
    assert!(
        line.starts_with(&format!("netorder: peer {me}: ")),
        "{line}"
    );
    assert!(
        line.contains("(expected 66 bytes, received "),
        "blocking {blocking}: {line}"
    );
    // The reset may be met by the dribbling writes or by this read.
    let mut sink = Vec::new();
    let _ = dribbler.read_to_end(&mut sink);
    dribble.join().unwrap();
    assert!(sink.is_empty(), "no echo of a record never finished");
    // Others are served.
    let mut good = connect(s.addr);
    let mut rec = vec![0, 64];
    rec.extend_from_slice(&[9; 64]);
    good.write_all(&rec).unwrap();
    let mut back = [0u8; 66];
    good.read_exact(&mut back).unwrap();
    assert_eq!(back[..], rec[..]);
}

#[test]
fn serve_at_its_cap_admits_a_new_peer_in_place_of_the_idlest() {
    const CAP: usize = 4;
    let s = serve(&["--format", "!HI", "--echo", "--max-connections", "4"]);
    let idle: Vec<TcpStream> = (0..CAP).map(|_| connect(s.addr)).collect();
    // The idle peers are accepted (each answers an echo, then goes quiet).
    let mut idle = idle;
    for (i, p) in idle.iter_mut().enumerate() {
        p.write_all(&record_bytes(i)).unwrap();
        let mut back = [0u8; 6];
        p.read_exact(&mut back).unwrap();
    }
    let mut good = connect(s.addr);
    good.write_all(&record_bytes(99)).unwrap();
    let mut back = [0u8; 6];
    good.read_exact(&mut back).unwrap();
    assert_eq!(back, record_bytes(99));
    let line = s.err_line_with("closed to admit a new peer", &mut Vec::new());
    let evicted: Vec<String> = idle
        .iter()
        .map(|p| format!("netorder: peer {}: ", p.local_addr().unwrap()))
        .collect();
    assert!(evicted.iter().any(|e| line.starts_with(e)), "{line}");
    assert!(line.contains("cap of 4 connections"), "{line}");
}

/// `serve` under an open-file limit of 64 descriptors and a connection cap far above it:
/// `accept` runs out of descriptors. One stderr line names the limit and the open
/// connections, the process does not spin, and once peers leave the waiting ones are served.
#[test]
fn serve_out_of_descriptors_says_so_once_backs_off_and_resumes() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no prlimit(1) to lower the open-file limit");
        return;
    }
    const PEERS: usize = 100;
    for blocking in [false, true] {
        let mut args = vec!["--format", "!HI", "--max-connections", "1000"];
        if blocking {
            args.push("--blocking");
        }
        let s = serve_with(&["prlimit", "--nofile=64:64", "--"], &args);
        let mut peers: Vec<TcpStream> = (0..PEERS).map(|_| connect(s.addr)).collect();
        for (i, p) in peers.iter_mut().enumerate() {
            p.write_all(&record_bytes(i)).unwrap();
        }
        let mut skipped = Vec::new();
        let line = s.err_line_with("accept failed", &mut skipped);
        assert!(line.contains("open-file limit 64, "), "{line}");
        assert!(line.contains(" connections open"), "{line}");
        assert!(line.contains("Too many open files"), "{line}");
        // Waiting for descriptors costs no busy loop: CPU time over one second of it.
        let ticks = |pid: u32| -> u64 {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
            let after_name = &stat[stat.rfind(')').unwrap() + 2..];
            let fields: Vec<&str> = after_name.split(' ').collect();
            fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
        };
        let before = ticks(s.child.id());
        std::thread::sleep(Duration::from_secs(1));
        let spent = ticks(s.child.id()) - before;
        assert!(
            spent < 50,
            "{spent} ticks of CPU in one second while out of descriptors (blocking: {blocking})"
        );
        // The peers leave (each after its record): descriptors free up, and every record, the
        // waiting peers' too (in the backlog with their record and their close), is printed.
        let printed_before = s.stdout.try_iter().count();
        drop(peers);
        let mut got = printed_before;
        let start = Instant::now();
        while got < PEERS {
            assert!(
                start.elapsed() < PATIENCE,
                "{got} of {PEERS} records printed (blocking: {blocking})"
            );
            if s.stdout.recv_timeout(Duration::from_millis(100)).is_ok() {
                got += 1;
            }
        }
        // One line for the episode, however many accepts failed.
        let more: Vec<String> = s
            .stderr
            .try_iter()
            .chain(skipped)
            .filter(|l| l.contains("accept failed"))
            .collect();
        assert!(more.is_empty(), "more than one line: {more:?}");
    }
}

/// What `send` must say when its records are refused.
fn assert_refused(out: &Output, case: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{case}: {err}");
    assert_eq!(err.lines().count(), 1, "{case}: {err}");
    assert!(
        err.contains("the server refused a record or reset the connection after"),
        "{case}: {err}"
    );
}

#[test]
fn send_exits_1_when_its_only_or_last_record_or_any_of_many_is_refused_in_every_framing() {
    // (server format, send format, what the server refuses): 4-byte records to a server of
    // 6-byte ones (with fixed framing the close cuts a record), and 8-byte ones to a server of
    // 2-byte ones (a length over the limit; with fixed framing they are 4 good records).
    let cases = [("!HI", "!I", "wrong size"), ("!H", "!Q", "too long")];
    for framing in ["fixed", "u16", "u32", "varint"] {
        for (serve_fmt, send_fmt, what) in cases {
            if framing == "fixed" && what == "too long" {
                continue;
            }
            let s = serve(&["--format", serve_fmt, "--framing", framing]);
            let args = ["--format", send_fmt, "--framing", framing];
            // One record: the only and last one.
            let out = send(s.addr, &args, "7\n");
            assert_refused(&out, &format!("{framing}, {what}, one record"));
            // Many records: the first refusal ends the connection (with fixed framing, the
            // last: 200 records of 4 bytes are 133 of 6 and 2 bytes of a cut one).
            let many: String = (0..200).map(|i| format!("{i}\n")).collect();
            let out = send(s.addr, &args, &many);
            assert_refused(&out, &format!("{framing}, {what}, many records"));
        }
        // All good: exit 0.
        let s = serve(&["--format", "!HI", "--framing", framing]);
        let good: String = (0..200).map(|i| format!("{}\n", record_line(i))).collect();
        let out = send(s.addr, &["--format", "!HI", "--framing", framing], &good);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{framing}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            s.records(200),
            (0..200).map(record_line).collect::<Vec<_>>()
        );
    }
}
