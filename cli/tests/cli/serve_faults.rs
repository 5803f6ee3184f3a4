//! Faulty peers against the `netorder serve` command: one line on stderr naming the peer and
//! the counts, and the server goes on serving everyone else. (Moved from the library's
//! `tests/transport/faults.rs`, which has the same faults against `Server`; only this package
//! can run the binary.)

use socket2::SockRef;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use super::serve_harness::{PATIENCE, connect, serve};

/// Reads until the server closes: `Ok(bytes)` at a clean end, or the error (a reset).
fn read_until_closed(s: &mut TcpStream) -> std::io::Result<usize> {
    let mut sink = [0u8; 256];
    let mut total = 0;
    for _ in 0..10_000 {
        match s.read(&mut sink)? {
            0 => return Ok(total),
            n => total += n,
        }
    }
    panic!("the server never closed");
}

#[test]
fn netorder_serve_names_bad_peers_and_goes_on() {
    let s = serve(&["--format", "!HI", "--framing", "u16", "--idle-timeout", "1"]);
    // Truncated mid-record (FIN after 2 + 3 of 2 + 6 bytes).
    let mut t = connect(s.addr);
    t.write_all(&[0, 6, 0, 1, 0, 0, 0, 2, 0, 6, 0, 9, 0])
        .unwrap();
    t.shutdown(Shutdown::Write).unwrap();
    let line = s.stderr.recv_timeout(PATIENCE).unwrap();
    let who = t.local_addr().unwrap().to_string();
    assert!(line.contains(&who), "{line}");
    assert!(line.contains("expected 8 bytes, received 5"), "{line}");
    assert_eq!(s.stdout.recv_timeout(PATIENCE).unwrap(), "1 2");
    // A length bomb: refused at once, named with the length and the limit.
    let mut b = connect(s.addr);
    b.write_all(&[0xff, 0xff]).unwrap();
    let line = s.stderr.recv_timeout(PATIENCE).unwrap();
    assert!(
        line.contains(&b.local_addr().unwrap().to_string()),
        "{line}"
    );
    assert!(line.contains("65535"), "{line}");
    let _ = read_until_closed(&mut b);
    // A stalled peer: closed by the idle timeout, with its counts.
    let mut st = connect(s.addr);
    st.write_all(&[0, 6, 0, 3]).unwrap();
    let line = s.stderr.recv_timeout(PATIENCE).unwrap();
    assert!(
        line.contains(&st.local_addr().unwrap().to_string()),
        "{line}"
    );
    assert!(line.contains("expected 8 bytes, received 4"), "{line}");
    let _ = read_until_closed(&mut st);
    // A reset mid-record.
    let r = connect(s.addr);
    (&r).write_all(&[0, 6, 0, 4]).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let rwho = r.local_addr().unwrap().to_string();
    SockRef::from(&r).set_linger(Some(Duration::ZERO)).unwrap();
    drop(r);
    let line = s.stderr.recv_timeout(PATIENCE).unwrap();
    assert!(line.contains(&rwho), "{line}");
    // And a good peer is still served.
    let mut g = connect(s.addr);
    g.write_all(&[0, 6, 0, 7, 0, 0, 0, 8]).unwrap();
    g.shutdown(Shutdown::Write).unwrap();
    assert_eq!(s.stdout.recv_timeout(PATIENCE).unwrap(), "7 8");
    let _ = read_until_closed(&mut g);
}
