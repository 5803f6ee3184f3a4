//! # A client that fetches a page-sized message, counting every byte
//!
//! The lesson: TCP is a stream of bytes, not of messages. One `read()` returns whatever has
//! arrived, which may be less than the message; and a `read()` that returns 0 means the peer
//! closed. So a client that wants a 4096-byte page must loop until it has exactly 4096 bytes
//! (`recv_exact`), and must tell a clean close between messages (`Ok(false)`) from a peer that
//! vanished in the middle of one (`ErrorKind::Truncated`, with the expected and received counts).
//!
//! The example starts its own server on 127.0.0.1:0 in a thread. The protocol: the client sends
//! a request (a 4-byte page number, network order); the server answers with the page, exactly
//! `PAGE` bytes, written in four pieces with pauses to show that one `read()` is not one message.
//! Page 7 is special: the server sends 1500 bytes of it and closes the socket.
//!
//! ```sh
//! cargo run --example fetch_page
//! ```

use netorder::transport::{recv_exact, send_all};
use netorder::{ErrorKind, from_bytes, to_vec};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

/// A page: the size of a memory page, and of the messages in the classic guides.
const PAGE: usize = 4096;
/// The page whose server gives up after this many bytes.
const BROKEN_PAGE: u32 = 7;
const BROKEN_AFTER: usize = 1500;

/// The content of page `n`: its number in network order, then a pattern that depends on both
/// the page and the position, so a byte out of place would show.
fn page(n: u32) -> Vec<u8> {
    let mut bytes = n.to_be_bytes().to_vec();
    bytes.extend((4..PAGE).map(|i| (i as u32).wrapping_mul(31).wrapping_add(n) as u8));
    bytes
}

/// Serves requests on one connection until the client closes it.
fn serve(mut stream: TcpStream) -> netorder::Result<()> {
    stream.set_nodelay(true)?;
    let mut request = [0u8; 4];
    while recv_exact(&mut stream, &mut request)? {
        let n: u32 = from_bytes(&request)?;
        let body = page(n);
        if n == BROKEN_PAGE {
            send_all(&mut stream, &body[..BROKEN_AFTER])?;
            return Ok(()); // the socket closes here, 1500 bytes into the message
        }
        for piece in body.chunks(PAGE / 4) {
            send_all(&mut stream, piece)?;
            thread::sleep(Duration::from_millis(20));
        }
    }
    Ok(()) // a clean close, between requests
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || -> netorder::Result<()> {
        for _ in 0..2 {
            let (stream, _) = listener.accept()?;
            serve(stream)?;
        }
        Ok(())
    });
    println!("server on {addr}; a page is {PAGE} bytes");

    // 1. One read() is not one message.
    let mut conn = TcpStream::connect(addr)?;
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    send_all(&mut conn, &to_vec(&1u32)?)?;
    let mut buf = vec![0u8; PAGE];
    let first = conn.read(&mut buf)?;
    println!("page 1: a single read() returned {first} of {PAGE} bytes (a stream has no messages)");
    // recv_exact loops until the rest is there: exactly PAGE - first bytes more.
    assert!(recv_exact(&mut conn, &mut buf[first..])?);
    assert_eq!(buf, page(1));
    println!(
        "page 1: recv_exact read the other {} bytes; content checked",
        PAGE - first
    );

    // 2. Several pages on one connection: each recv_exact takes exactly one page.
    for n in 2..=4u32 {
        send_all(&mut conn, &to_vec(&n)?)?;
        assert!(recv_exact(&mut conn, &mut buf)?, "the server closed early");
        assert_eq!(buf, page(n), "page {n}");
        let number: u32 = from_bytes(&buf[..4])?;
        println!("page {n}: {PAGE} of {PAGE} bytes, numbered {number}");
    }

    // 3. A clean close between messages is not an error: recv_exact says Ok(false).
    conn.shutdown(std::net::Shutdown::Write)?; // the server sees the end of our requests
    let more = recv_exact(&mut conn, &mut buf)?;
    assert!(!more);
    println!("after page 4: the server closed cleanly at a message boundary (Ok(false))");

    // 4. A peer that vanishes mid-message: Truncated, with the counts. The bytes that did
    //    arrive are not passed off as a page.
    let mut conn = TcpStream::connect(addr)?;
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    send_all(&mut conn, &to_vec(&BROKEN_PAGE)?)?;
    let err = recv_exact(&mut conn, &mut buf).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Truncated {
            expected: PAGE,
            received: BROKEN_AFTER
        }
    );
    println!("page {BROKEN_PAGE}: {err}");

    server.join().expect("server thread")?;
    println!("ok");
    Ok(())
}
