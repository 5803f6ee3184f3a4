//! # Talking to a Python peer
//!
//! The lesson: the wire format is the contract, not the language. A Rust struct and a Python
//! `struct` format string describe the same bytes when the fields, their order, their widths
//! and the byte order agree; netorder writes a `!` format from the Rust type
//! ([`Layout::of`]), so the two cannot drift apart silently.
//!
//! This example runs a netorder [`Server`] on 127.0.0.1 and starts `python3
//! examples/python_peer.py`, a client that uses only Python's `socket` and `struct`. The client
//! packs 100 quotes with the format the Rust side derived from `Quote`; the server decodes each
//! one with [`Conn::recv`], checks it against the value it expected, and answers with an `Ack`
//! (id and running total of the quantities) that the Python side unpacks and checks in turn.
//! Both sides compute the same 100 quotes from the same formula.
//!
//! Needs `python3` on `PATH`; without it, the example says so and exits 0.
//!
//! ```sh
//! cargo run --example python_peer
//! ```

use netorder::frame::Framing;
use netorder::transport::{Conn, Server, send_all};
use netorder::{Layout, record_size, to_slice};
use serde::{Deserialize, Serialize};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What Python packs with `!Idh?4s`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Quote {
    id: u32,
    price: f64,
    qty: i16,
    buy: bool,
    symbol: [u8; 4],
}

/// What Python unpacks with `!Iq`.
#[derive(Debug, Serialize, Deserialize)]
struct Ack {
    id: u32,
    total: i64,
}

const COUNT: u32 = 100;

/// The i-th quote; `quote(i)` in python_peer.py computes the same values.
fn quote(i: u32) -> Quote {
    let symbols = [*b"ACME", *b"INIT", *b"WIRE", *b"BYTE"];
    Quote {
        id: i,
        price: f64::from(i) / 4.0 + 0.1,
        qty: ((i * 37) % 2000) as i16 - 1000,
        buy: i % 3 == 0,
        symbol: symbols[(i % 4) as usize],
    }
}

/// What the server saw: quotes checked, and the first problem if any.
#[derive(Default, Debug)]
struct Seen {
    quotes: u32,
    problem: Option<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let quote_format = Layout::of::<Quote>()?.struct_format();
    let ack_format = Layout::of::<Ack>()?.struct_format();
    assert_eq!(quote_format, "!Idh?4s");
    assert_eq!(ack_format, "!Iq");
    println!(
        "Rust types as Python formats: Quote = {quote_format} ({} bytes), Ack = {ack_format} ({} bytes)",
        record_size::<Quote>()?,
        record_size::<Ack>()?
    );

    let seen = Arc::new(Mutex::new(Seen::default()));
    let (in_handler, in_reporter) = (Arc::clone(&seen), Arc::clone(&seen));
    let framing = Framing::fixed(record_size::<Quote>()?);
    let server = Server::bind("127.0.0.1:0")?
        .idle_timeout(Some(Duration::from_secs(10)))
        .spawn(
            move |stream, _peer| {
                let mut conn = Conn::new(stream, framing);
                let mut total = 0i64;
                let mut next = 0u32;
                let mut ack = vec![0u8; record_size::<Ack>()?];
                while let Some(q) = conn.recv::<Quote>()? {
                    let want = quote(next);
                    if q != want {
                        let mut seen = in_handler.lock().unwrap();
                        seen.problem = Some(format!("quote {next}: got {q:?}, want {want:?}"));
                        return Ok(()); // closing early fails the Python side too
                    }
                    total += i64::from(q.qty);
                    // The ack is another record type, of another length: written straight to
                    // the socket (the Conn's framing is for the quotes it reads).
                    to_slice(&Ack { id: q.id, total }, &mut ack)?;
                    send_all(conn.get_mut(), &ack)?;
                    in_handler.lock().unwrap().quotes += 1;
                    next += 1;
                }
                Ok(())
            },
            move |peer, err| {
                in_reporter.lock().unwrap().problem = Some(format!("{peer}: {err}"));
            },
        )?;

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/python_peer.py");
    let port = server.local_addr().port().to_string();
    let count = COUNT.to_string();
    let run = Command::new("python3")
        .args([script, &port, &quote_format, &ack_format, &count])
        .output();
    let out = match run {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("python3 is not installed: skipping the Python peer (nothing was checked)");
            server.stop()?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    server.stop()?;

    let seen = seen.lock().unwrap();
    if let Some(problem) = &seen.problem {
        return Err(format!("server: {problem}").into());
    }
    if !out.status.success() {
        return Err(format!("python3 python_peer.py failed: {}", out.status).into());
    }
    assert_eq!(seen.quotes, COUNT);
    println!(
        "rust: received and checked {} quotes, sent {} acks",
        seen.quotes, seen.quotes
    );
    println!("ok");
    Ok(())
}
