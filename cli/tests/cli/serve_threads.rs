//! `netorder serve` on several readiness loops (`--threads`) and on the threaded server
//! (`--blocking`): the same lines and echoes as on one loop. (Moved from the library's
//! `tests/reactor/reactor.rs`; only this package can run the binary.)

use netorder_support as common;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(20);

fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}

/// Reads until the server closes; the bytes, or the error (a reset).
fn read_until_closed(s: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    for _ in 0..1_000_000 {
        match s.read(&mut buf)? {
            0 => return Ok(all),
            n => all.extend_from_slice(&buf[..n]),
        }
    }
    panic!("the server never closed");
}

/// `netorder serve` on two loops, and on the threaded server (`--blocking`): the same lines and
/// echoes as on one loop.
#[test]
fn netorder_serve_with_threads_or_blocking_prints_and_echoes_the_same() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    for extra in [&["--threads", "2"][..], &["--blocking"][..], &[][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netorder"))
            .args(["serve", "--listen", "127.0.0.1:0", "--format", "!H"])
            .args(["--framing", "u16", "--echo"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let stdout = child.stdout.take().unwrap();
        let _child = common::KillOnDrop(child);
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let addr: SocketAddr = first
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{first}"))
            .parse()
            .unwrap();
        let bytes = [0, 2, 0, 1, 0, 2, 0, 2, 0, 2, 1, 0];
        let mut s = connect(addr);
        s.write_all(&bytes).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        assert_eq!(read_until_closed(&mut s).unwrap(), bytes, "{extra:?}");
        let lines: Vec<String> = BufReader::new(stdout)
            .lines()
            .take(3)
            .map(Result::unwrap)
            .collect();
        assert_eq!(lines, ["1", "2", "256"], "{extra:?}");
    }
}
