//! `netorder serve`, `netorder send` and the demo, against Python peers (`tests/python/`) that
//! frame and unpack records with nothing but `struct` and `socket`. Real sockets on 127.0.0.1;
//! every wait has a deadline and every child process is killed when its test ends.

use netorder_support as common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_netorder");
/// The format of the Python peers' records (`RECORD_FORMAT` in `peer_client.py`): 17 bytes.
const FORMAT: &str = "!HiQ?h";
const RECORD_LEN: usize = 17;
/// The framings the Python peers speak: the original four, a general length field (3 bytes,
/// little-endian, counting itself) and a checksummed one (zlib's CRC-32 after a u16 frame).
const FRAMINGS: [&str; 6] = [
    "fixed",
    "u16",
    "u32",
    "varint",
    "u24le,adjust=-3",
    "u16+crc32",
];
const WAIT: Duration = Duration::from_secs(30);

/// The line `unpack`/`serve` prints for record `i` of the Python peers (`record(i)`).
fn expected_line(i: i64) -> String {
    format!(
        "{} {} {} {} {}",
        i % 65536,
        -7 * i,
        i * 1_000_003,
        i % 2 == 0,
        -(i % 300)
    )
}

fn header_len(framing: &str, len: usize) -> usize {
    match framing {
        "fixed" => 0,
        "u16" => 2,
        "u32" => 4,
        "u24le,adjust=-3" => 3,
        "u16+crc32" => 2 + 4, // the trailer counted with the head
        _ => (64 - (len as u64 | 1).leading_zeros() as usize).div_ceil(7),
    }
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

/// Waits for a child with a deadline; kills it when the deadline passes.
fn wait_output(mut child: Child, timeout: Duration) -> Output {
    let deadline = Instant::now() + timeout;
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "child timed out; stdout: {}; stderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs a Python peer script to completion.
fn python(name: &str, args: &[&str]) -> Output {
    let child = Command::new("python3")
        .arg(script(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    let out = wait_output(child, WAIT);
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A running `netorder serve`, killed on drop.
struct Serve {
    child: Child,
    port: String,
    out: Receiver<String>,
    err: Receiver<String>,
}

impl Serve {
    fn start(format: &str, framing: &str, extra: &[&str]) -> Serve {
        let mut child = Command::new(BIN)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--format",
                format,
                "--framing",
                framing,
            ])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = common::line_channel(child.stdout.take().unwrap(), 1_000_000);
        let err = common::line_channel(child.stderr.take().unwrap(), 1_000_000);
        let first = err.recv_timeout(WAIT).expect("the first stderr line");
        let addr = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{first}"));
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        let port = addr.rsplit(':').next().unwrap().to_string();
        assert_ne!(port, "0");
        Serve {
            child,
            port,
            out,
            err,
        }
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The next `n` stdout lines (fails after the deadline).
    fn lines(&self, n: usize) -> Vec<String> {
        take_lines(&self.out, n)
    }

    fn err_line(&self) -> String {
        self.err.recv_timeout(WAIT).expect("an stderr line")
    }

    fn no_more_err_lines(&self) {
        match self.err.recv_timeout(Duration::from_millis(200)) {
            Err(RecvTimeoutError::Timeout) => {}
            other => panic!("unexpected stderr: {other:?}"),
        }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn take_lines(rx: &Receiver<String>, n: usize) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    let mut lines = Vec::with_capacity(n);
    while lines.len() < n {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => lines.push(l),
            Err(e) => panic!("after {} of {n} lines: {e:?}", lines.len()),
        }
    }
    lines
}

/// Runs `netorder ARGS` with `stdin` and a deadline.
fn netorder(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading (a usage error): a broken pipe here is not a failure.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    wait_output(child, WAIT)
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn python_client_dribbling_1_to_7_byte_sends_gets_every_record_printed() {
    for (k, framing) in FRAMINGS.iter().enumerate() {
        let serve = Serve::start(FORMAT, framing, &[]);
        python(
            "peer_client.py",
            &["dribble", &serve.port, framing, "300", &k.to_string()],
        );
        let expected: Vec<String> = (0..300).map(expected_line).collect();
        assert_eq!(serve.lines(300), expected, "{framing}");
        serve.no_more_err_lines();
    }
}

#[test]
fn python_server_unpacks_what_send_sends() {
    let input: String = (0..50).map(|i| expected_line(i) + "\n").collect();
    for framing in FRAMINGS {
        let mut server = Command::new("python3")
            .arg(script("peer_server.py"))
            .args([FORMAT, framing])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = common::line_channel(server.stdout.take().unwrap(), 1_000_000);
        let first = lines.recv_timeout(WAIT).unwrap();
        let port = first.strip_prefix("PORT ").unwrap().to_string();
        let sent = netorder(
            &[
                "send",
                &format!("127.0.0.1:{port}"),
                "--format",
                FORMAT,
                "--framing",
                framing,
            ],
            &input,
        );
        assert!(sent.status.success(), "{}", stderr_of(&sent));
        assert!(sent.stdout.is_empty());
        let got = take_lines(&lines, 51);
        let expected_bytes = 50 * (header_len(framing, RECORD_LEN) + RECORD_LEN);
        let mut expected: Vec<String> = (0..50).map(expected_line).collect();
        // Python prints bools as true/false too (peer_server.show).
        expected.push(format!("END {expected_bytes}"));
        assert_eq!(got, expected, "{framing}");
        let status = wait_output(server, WAIT).status;
        assert!(status.success());
    }
}

#[test]
fn broken_peers_get_one_error_line_each_and_others_are_still_served() {
    let serve = Serve::start(FORMAT, "u32", &[]);
    let rss_before = serve.rss_kib();

    // Truncated: 17 bytes announced, 4 sent, then close.
    python(
        "peer_client.py",
        &["raw", &serve.port, "u32", "0000001101020304", "0"],
    );
    let line = serve.err_line();
    assert!(line.starts_with("netorder: peer 127.0.0.1:"), "{line}");
    assert!(
        line.ends_with("truncated: expected 21 bytes, received 8 before the end"),
        "{line}"
    );

    // A hostile length prefix: refused at once, connection closed, nothing allocated.
    python(
        "peer_client.py",
        &["raw", &serve.port, "u32", "ffffffff", "1"],
    );
    let line = serve.err_line();
    assert!(line.starts_with("netorder: peer 127.0.0.1:"), "{line}");
    assert!(
        line.ends_with("length 4294967295 at byte 0 is over the limit of 17"),
        "{line}"
    );

    // A frame of the wrong length for the record.
    python(
        "peer_client.py",
        &["raw", &serve.port, "u32", "00000003aabbcc", "1"],
    );
    let line = serve.err_line();
    assert!(
        line.ends_with("wrong record length: expected 17 bytes, received 3"),
        "{line}"
    );

    // The server goes on serving everyone else.
    python(
        "peer_client.py",
        &["dribble", &serve.port, "u32", "20", "9"],
    );
    let expected: Vec<String> = (0..20).map(expected_line).collect();
    assert_eq!(serve.lines(20), expected);
    serve.no_more_err_lines();
    let rss_after = serve.rss_kib();
    assert!(
        rss_after < rss_before + 16 * 1024,
        "RSS grew from {rss_before} KiB to {rss_after} KiB"
    );

    // Fixed framing: a close inside a record.
    let serve = Serve::start(FORMAT, "fixed", &[]);
    python(
        "peer_client.py",
        &["raw", &serve.port, "fixed", "0102030405", "0"],
    );
    let line = serve.err_line();
    assert!(
        line.ends_with("truncated: expected 17 bytes, received 5 before the end"),
        "{line}"
    );
}

#[test]
fn a_stalled_peer_is_dropped_after_the_idle_timeout() {
    let serve = Serve::start(
        FORMAT,
        "u16",
        &["--idle-timeout", "1", "--max-connections", "1"],
    );
    // Half a record, then silence (the Python peer holds the socket open while waiting for a
    // close that only the server's timeout brings).
    python(
        "peer_client.py",
        &["raw", &serve.port, "u16", "00110102", "2"],
    );
    let line = serve.err_line();
    assert!(
        line.ends_with("timed out (expected 19 bytes, received 4)"),
        "{line}"
    );
    python("peer_client.py", &["dribble", &serve.port, "u16", "5", "1"]);
    assert_eq!(
        serve.lines(5),
        (0..5).map(expected_line).collect::<Vec<_>>()
    );
}

#[test]
fn echo_returns_every_byte_after_a_client_half_close() {
    for framing in FRAMINGS {
        let serve = Serve::start(FORMAT, framing, &["--echo"]);
        let out = python("peer_client.py", &["echo", &serve.port, framing, "500"]);
        let n = 500 * (header_len(framing, RECORD_LEN) + RECORD_LEN);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("{n} {n} same"),
            "{framing}"
        );
        assert_eq!(serve.lines(500).len(), 500);
        serve.no_more_err_lines();
    }
}

#[test]
fn twenty_concurrent_clients_200_records_each_lose_nothing() {
    let serve = Serve::start(FORMAT, "u16", &[]);
    python(
        "peer_client.py",
        &["concurrent", &serve.port, "u16", "20", "200"],
    );
    let mut got = serve.lines(4000);
    got.sort();
    let mut expected: Vec<String> = (0..20)
        .flat_map(|c| (0..200).map(move |i| expected_line(c * 1000 + i)))
        .collect();
    expected.sort();
    assert_eq!(got, expected);
    serve.no_more_err_lines();
}

#[test]
fn send_echo_against_serve_echo_prints_each_reply() {
    let serve = Serve::start("!h?3s", "varint", &["--echo"]);
    let out = netorder(
        &[
            "send",
            &serve.addr(),
            "--format",
            "!h?3s",
            "--framing",
            "varint",
            "--echo",
        ],
        "-7 true abc\n\n300 false 0x000102\n",
    );
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "-7 true 0x616263\n300 false 0x000102\n"
    );
    assert_eq!(serve.lines(2), ["-7 true 0x616263", "300 false 0x000102"]);
}

#[test]
fn send_refuses_a_value_out_of_range_with_status_1() {
    let serve = Serve::start("!B", "fixed", &[]);
    let out = netorder(&["send", &serve.addr(), "--format", "!B"], "1\n256\n");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("line 2") && err.contains("out of range") && err.contains("256"),
        "{err}"
    );
    assert_eq!(serve.lines(1), ["1"]);
}

#[test]
fn a_frame_with_a_bad_checksum_is_refused_and_the_server_goes_on() {
    let serve = Serve::start(FORMAT, "u16+crc32", &[]);
    // Record 0's frame (Python's struct and zlib), its CRC-32 off by one bit.
    // record(0) is (0, 0, 0, True, 0): H i Q ? h
    let payload = ["0000", "00000000", "0000000000000000", "01", "0000"].concat();
    let head = format!("0011{payload}");
    let bytes: Vec<u8> = (0..head.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&head[i..i + 2], 16).unwrap())
        .collect();
    let crc = crc32fast::hash(&bytes) ^ 1;
    let wire = format!("{head}{crc:08x}");
    python(
        "peer_client.py",
        &["raw", &serve.port, "u16+crc32", &wire, "1"],
    );
    let line = serve.err_line();
    assert!(line.starts_with("netorder: peer 127.0.0.1:"), "{line}");
    assert!(
        line.ends_with(&format!(
            "checksum mismatch at byte 19: the trailer says {crc:#010x}, the frame's bytes give \
             {:#010x}",
            crc ^ 1
        )),
        "{line}"
    );
    // Nothing was printed for it, and the next peer is served.
    python(
        "peer_client.py",
        &["dribble", &serve.port, "u16+crc32", "20", "3"],
    );
    let expected: Vec<String> = (0..20).map(expected_line).collect();
    assert_eq!(serve.lines(20), expected);
    serve.no_more_err_lines();
}

#[test]
fn usage_and_runtime_errors_have_their_exit_status() {
    // Unknown framing (`u24` is a 3-byte length field since issue 17; `u12` is no whole
    // bytes), a length field that frames nothing, bad format: usage (2).
    for args in [
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--format",
            "!H",
            "--framing",
            "u12",
        ][..],
        &[
            "send",
            "127.0.0.1:9",
            "--format",
            "!H",
            "--framing",
            "u8,adjust=-300",
        ],
        &["serve", "--listen", "127.0.0.1:0", "--format", "!Hz"],
        &["send", "127.0.0.1:9", "--format", "!H", "--framing", "nope"],
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--format",
            "!",
            "--framing",
            "fixed",
        ],
    ] {
        let out = netorder(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.starts_with("netorder: "), "{err}");
        assert!(err.lines().count() <= 2, "{err}");
    }
    // Nobody listening: runtime (1), one line.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = netorder(
        &["send", &format!("127.0.0.1:{port}"), "--format", "!H"],
        "1\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    // An address that cannot be listened on.
    let out = netorder(&["serve", "--listen", "256.0.0.1:0", "--format", "!H"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
}

#[test]
fn the_demo_finishes_and_shows_each_framing() {
    let child = Command::new(BIN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_output(child, Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "fixed",
        "u16",
        "u32",
        "varint",
        "binary",
        "ascii",
        "records/s",
        "bytes on wire",
    ] {
        assert!(text.contains(word), "{word} missing from:\n{text}");
    }
}

/// Regression: `send` exited 0 (or with a bare "os error 107") when the server refused its
/// records and reset the connection. Now it is always exit 1 with one line that says so.
#[test]
fn send_fails_when_the_server_drops_its_records() {
    for _ in 0..3 {
        let serve = Serve::start("!i", "u16", &[]);
        let lines: String = (1..=5000).map(|i| format!("{i}\n")).collect();
        let out = netorder(
            &["send", &serve.addr(), "--format", "!h", "--framing", "u16"],
            &lines,
        );
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("the server refused a record or reset the connection after"),
            "{err}"
        );
        let logged = serve.err_line();
        assert!(logged.contains("expected 4 bytes, received 2"), "{logged}");
    }
}

#[test]
fn send_echo_against_a_server_without_echo_says_no_echo_came() {
    // Regression: this said "the server dropped the connection (timed out)".
    let serve = Serve::start("!HI", "fixed", &[]);
    let out = netorder(
        &[
            "send",
            &serve.addr(),
            "--format",
            "!HI",
            "--echo",
            "--timeout",
            "1",
        ],
        "1 2\n",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(
        stderr_of(&out),
        "netorder: line 1: no echo of the record within 1 s (is the server running with --echo?)\n"
    );
    assert_eq!(serve.lines(1), ["1 2"]);
}
