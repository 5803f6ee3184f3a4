//! `netorder gen` end to end, over a socket: the example in `examples/generated_peers/` (a C
//! client and a Python client written against the generated header and module) sends records
//! to `netorder serve` from both at once, and the server prints each record exactly once.
//! Also: the generated sources on stdout are the library's, and bad formats and names are
//! usage errors.

use netorder_support as common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_netorder");
/// The example's record: a bit field, padding bits, a sequence number and a reading.
const FORMAT: &str = "!{version:3 client:2 urgent:? 2x} seq:I reading:h";
const RECORDS: i64 = 1000;
const WAIT: Duration = Duration::from_secs(60);

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/generated_peers")
}

/// `netorder ARGS`: stdout, or the test fails with stderr.
fn netorder_out(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().expect("run netorder");
    assert!(
        out.status.success(),
        "netorder {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The line `serve` prints for record `i` of client `client` (1: C, 2: Python).
fn expected(client: i64, i: i64) -> String {
    format!("1 {client} {} {i} {}", i % 7 == 0, i * 37 % 2000 - 1000)
}

/// Waits for `child` with a deadline; its stdout.
fn finish(child: Child, what: &str) -> String {
    let deadline = Instant::now() + WAIT;
    let mut child = child;
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} still running after {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn generated_c_and_python_clients_feed_one_server_at_once() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gen_peers");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Generate, as the example's comments say, and build the C client.
    let header = netorder_out(&["gen", "c", FORMAT, "--name", "telemetry"]);
    std::fs::write(dir.join("telemetry.h"), header).unwrap();
    let module = netorder_out(&["gen", "python", FORMAT, "--name", "telemetry"]);
    std::fs::write(dir.join("telemetry.py"), module).unwrap();
    std::fs::copy(example_dir().join("client.py"), dir.join("client.py")).unwrap();
    let gcc = Command::new("gcc")
        .args([
            "-std=c11",
            "-D_POSIX_C_SOURCE=200809L",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-I.",
        ])
        .arg(example_dir().join("client.c"))
        .args(["-o", "client"])
        .current_dir(&dir)
        .output()
        .expect("gcc is required for this test");
    assert!(
        gcc.status.success(),
        "gcc: {}",
        String::from_utf8_lossy(&gcc.stderr)
    );

    // The server.
    let mut serve = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--format", FORMAT])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = common::line_channel(serve.stdout.take().unwrap(), 1_000_000);
    let err = common::line_channel(serve.stderr.take().unwrap(), 1000);
    let _serve = common::KillOnDrop(serve);
    let first = err.recv_timeout(WAIT).expect("listening line");
    let port = first
        .strip_prefix("listening on 127.0.0.1:")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();

    // Both clients at once.
    let count = RECORDS.to_string();
    let c = Command::new(dir.join("client"))
        .args([&port, &count])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let py = Command::new("python3")
        .args(["client.py", &port, &count])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is required for this test");
    assert_eq!(
        finish(c, "the C client"),
        format!("c: sent {RECORDS} records\n")
    );
    assert_eq!(
        finish(py, "the Python client"),
        format!("python: sent {RECORDS} records\n")
    );

    // Every record printed once: the clients waited for the server to close their
    // connections, so all of them have been read; lines are flushed as they are printed.
    let mut lines: Vec<String> = Vec::new();
    let deadline = Instant::now() + WAIT;
    while lines.len() < 2 * RECORDS as usize {
        let left = deadline.saturating_duration_since(Instant::now());
        match out.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(e) => panic!("{} lines of {}: {e}", lines.len(), 2 * RECORDS),
        }
    }
    // Nothing more comes.
    assert!(out.recv_timeout(Duration::from_millis(200)).is_err());
    // Each client's records arrive in its order; the two are interleaved somehow.
    for client in [1, 2] {
        let mine: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with(&format!("1 {client} ")))
            .collect();
        let want: Vec<String> = (0..RECORDS).map(|i| expected(client, i)).collect();
        assert_eq!(mine.len(), want.len(), "client {client}");
        for (got, want) in mine.iter().zip(&want) {
            assert_eq!(*got, want, "client {client}");
        }
    }
    // No error lines from the server.
    assert!(err.try_recv().is_err(), "serve wrote an error");
}

#[test]
fn gen_prints_the_library_s_sources_and_refuses_bad_input() {
    let layout = netorder::Layout::parse(FORMAT).unwrap();
    assert_eq!(
        netorder_out(&["gen", "c", FORMAT, "--name", "telemetry"]),
        layout.gen_c("telemetry").unwrap()
    );
    assert_eq!(
        netorder_out(&["gen", "python", FORMAT]),
        layout.gen_python("record").unwrap()
    );
    for args in [
        &["gen", "c", "HI"][..],
        &["gen", "python", "!H", "--name", "9"],
        &["gen", "c", "!q!"],
        &["gen", "rust", "!H"],
        &["gen", "c"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("netorder: "), "{args:?}: {stderr}");
        assert!(stderr.lines().count() <= 2, "{args:?}: {stderr}");
    }
}
