//! Fixtures shared by netorder's integration tests, benches and fuzz targets (not published).
//!
//! - [`rec`]: the 33-byte mixed record the record benches measure, with its hand-written
//!   encoder and decoder (the floor the derive path is compared with);
//! - [`values`]: the mixed `u64` inputs of the integer benches;
//! - [`mesh`]: triangles of `f32` vectors, the bulk record benches' records;
//! - [`headers`]: real protocol headers with bit fields (IPv4, UDP, TCP, ICMP echo, DNS,
//!   CCSDS), and hand-written decoders of two of them; [`deku_headers`] (feature `deku`):
//!   deku's decoders of the same two, for the benches;
//! - child processes and waiting: [`KillOnDrop`], [`line_channel`], [`python_lines`],
//!   [`wait_until`].
//!
//! Tests import it as `use netorder_support as common;` (the name of the module it replaces).

#[cfg(feature = "deku")]
pub mod deku_headers;
pub mod headers;
pub mod mesh;
pub mod rec;
pub mod values;

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The lines of a child's pipe, read on a thread: at most `max_lines`, stopping at the first
/// read error or when the receiver is dropped.
pub fn line_channel(pipe: impl Read + Send + 'static, max_lines: usize) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe)
            .lines()
            .take(max_lines)
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A child process that is killed and reaped when this guard is dropped, so a failing test
/// never leaves a server running.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `python3 ARGS` with `input` on its stdin and returns its stdout lines; fails the test if
/// python3 is missing or exits with an error. The input is written from a thread, so a script
/// that answers line by line can never fill the pipe and deadlock against us.
pub fn python_lines(args: &[&str], input: &str) -> Vec<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 is required for this cross-check: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python3 output");
    writer
        .join()
        .expect("stdin writer")
        .expect("write to python3");
    assert!(out.status.success(), "python3 {args:?} failed");
    String::from_utf8(out.stdout)
        .expect("python3 prints UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Polls `cond` every 5 ms until it holds; fails the test, naming `what`, after `patience`.
pub fn wait_until(patience: std::time::Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < patience, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A loopback connection whose connect, reads and writes each give up after `patience`, so
/// that a test that waits on a server fails instead of hanging.
pub fn connect_within(addr: SocketAddr, patience: Duration) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, patience).unwrap();
    s.set_read_timeout(Some(patience)).unwrap();
    s.set_write_timeout(Some(patience)).unwrap();
    s
}

/// Reads and drops what the peer sends until it closes its side (or the read fails, a reset
/// or the read timeout); panics if it never does within 100 000 reads.
pub fn drain_until_closed(s: &mut TcpStream) {
    let mut sink = [0u8; 512];
    for _ in 0..100_000 {
        match s.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
    panic!("the server never closed");
}
