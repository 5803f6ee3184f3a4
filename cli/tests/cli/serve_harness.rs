//! A `netorder serve` child process for the serve tests: its address from the first stderr line,
//! its stdout and stderr as channels of lines, killed when dropped; and a bounded `connect`.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest any single wait of the serve tests may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);
pub const BIN: &str = env!("CARGO_BIN_EXE_netorder");

pub struct Serve {
    pub child: Child,
    pub addr: SocketAddr,
    pub stderr: mpsc::Receiver<String>,
    pub stdout: mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines_of(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines().take(1_000_000) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// `netorder serve --listen 127.0.0.1:0 ARGS`, run through `wrapper` (e.g. `prlimit`) if any.
pub fn serve_with(wrapper: &[&str], args: &[&str]) -> Serve {
    let mut cmd = match wrapper.split_first() {
        Some((program, rest)) => {
            let mut c = Command::new(program);
            c.args(rest).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    let mut child = cmd
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = lines_of(child.stderr.take().unwrap());
    let stdout = lines_of(child.stdout.take().unwrap());
    let first = stderr.recv_timeout(PATIENCE).unwrap();
    let addr = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .parse()
        .unwrap();
    Serve {
        child,
        addr,
        stderr,
        stdout,
    }
}

pub fn serve(args: &[&str]) -> Serve {
    serve_with(&[], args)
}

impl Serve {
    /// The next stderr line that contains `what` (others are kept in `skipped`).
    pub fn err_line_with(&self, what: &str, skipped: &mut Vec<String>) -> String {
        let start = Instant::now();
        loop {
            let left = PATIENCE.saturating_sub(start.elapsed());
            match self.stderr.recv_timeout(left) {
                Ok(line) if line.contains(what) => return line,
                Ok(line) => skipped.push(line),
                Err(_) => panic!("no stderr line with {what:?}; before: {skipped:?}"),
            }
        }
    }

    /// Waits for `n` more records on stdout.
    pub fn records(&self, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                self.stdout
                    .recv_timeout(PATIENCE)
                    .unwrap_or_else(|_| panic!("record {i} of {n} never printed"))
            })
            .collect()
    }
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}
