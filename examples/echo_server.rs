//! # The threaded echo server, with typed records
//!
//! The lesson: a server handles each client on its own thread, so a slow or broken client does
//! not hold up the others; it bounds how many it serves at once and how long it waits for a
//! silent one; and a client that sends half a record and hangs up is reported (who, and how
//! many bytes of how many) while everyone else goes on being served.
//!
//! [`Server`] does all of that. The handler below is the whole protocol: receive a `Reading`
//! (a fixed-length record, 15 bytes on the wire, Python `struct` format `!HIQ?`), send it back.
//!
//! ```sh
//! cargo run --example echo_server                                   # self-test, then exit
//! cargo run --example echo_server -- --listen 127.0.0.1:9000        # serve until Ctrl-C
//! # then, from another shell:
//! printf '1 2 3 true\n' | cargo run -- send 127.0.0.1:9000 --format '!HIQ?' --echo
//! ```
//!
//! Without arguments it runs a self-test: four client threads send 250 records each and check
//! every echo, while a fifth client sends 6 bytes of a record and closes.

use netorder::frame::Framing;
use netorder::transport::{Conn, Server};
use netorder::{ErrorKind, Layout, record_size};
use serde::{Deserialize, Serialize};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reading {
    sensor: u16,
    seq: u32,
    value: u64,
    ok: bool,
}

/// One client's connection: echo every record until the client closes.
fn echo(stream: TcpStream, framing: Framing) -> netorder::Result<()> {
    let mut conn = Conn::new(stream, framing);
    while let Some(reading) = conn.recv::<Reading>()? {
        conn.send(&reading)?; // queued; sent before the next recv waits
    }
    conn.flush()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let framing = Framing::fixed(record_size::<Reading>()?);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => self_test(framing),
        ["--listen", addr] => {
            let server = Server::bind(addr)?.idle_timeout(Some(Duration::from_secs(60)));
            eprintln!(
                "listening on {} (records: struct format {}, {} bytes)",
                server.local_addr()?,
                Layout::of::<Reading>()?.struct_format(),
                record_size::<Reading>()?
            );
            server.run(
                move |stream, _peer| echo(stream, framing),
                |peer, err| eprintln!("{peer}: {err}"),
            )?;
            Ok(())
        }
        _ => {
            eprintln!("usage: echo_server [--listen ADDR]");
            std::process::exit(2);
        }
    }
}

fn self_test(framing: Framing) -> Result<(), Box<dyn std::error::Error>> {
    const CLIENTS: u16 = 4;
    const RECORDS: u32 = 250;

    let errors: Arc<Mutex<Vec<(SocketAddr, String, ErrorKind)>>> = Arc::default();
    let reported = Arc::clone(&errors);
    let server = Server::bind("127.0.0.1:0")?
        .max_connections(8)
        .idle_timeout(Some(Duration::from_secs(10)))
        .spawn(
            move |stream, _peer| echo(stream, framing),
            move |peer, err| {
                let mut errors = reported.lock().unwrap();
                errors.push((peer, err.to_string(), err.kind().clone()));
            },
        )?;
    let addr = server.local_addr();
    println!(
        "echo server on {addr}: records of {} bytes (struct format {})",
        record_size::<Reading>()?,
        Layout::of::<Reading>()?.struct_format()
    );

    // A broken client: 6 of the 15 bytes of a record, then it hangs up.
    let broken = thread::spawn(move || -> std::io::Result<SocketAddr> {
        use std::io::Write;
        let mut stream = TcpStream::connect(addr)?;
        stream.write_all(&[0, 1, 0, 0, 0, 2])?;
        stream.local_addr()
    });

    let clients: Vec<_> = (0..CLIENTS)
        .map(|sensor| {
            thread::spawn(move || -> netorder::Result<u32> {
                let stream = TcpStream::connect(addr)?;
                stream.set_read_timeout(Some(Duration::from_secs(10)))?;
                let mut conn = Conn::new(stream, framing);
                let mut echoed = 0;
                for seq in 0..RECORDS {
                    let sent = Reading {
                        sensor,
                        seq,
                        value: u64::from(seq) * 1_000_003 + u64::from(sensor),
                        ok: seq % 2 == 0,
                    };
                    conn.send(&sent)?;
                    let back = conn.recv::<Reading>()?;
                    assert_eq!(back.as_ref(), Some(&sent), "client {sensor}");
                    echoed += 1;
                }
                Ok(echoed)
            })
        })
        .collect();

    let mut total = 0;
    for (sensor, client) in clients.into_iter().enumerate() {
        let echoed = client.join().expect("client thread")?;
        println!("client {sensor}: {echoed} records sent, {echoed} identical echoes");
        total += echoed;
    }
    let broken_addr = broken.join().expect("broken client")?;

    // The broken client's error reaches on_error once its thread sees the end of the stream.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while errors.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    server.stop()?;
    let errors = errors.lock().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (peer, message, kind) = &errors[0];
    assert_eq!(*peer, broken_addr);
    assert_eq!(
        kind,
        &ErrorKind::Truncated {
            expected: 15,
            received: 6
        }
    );
    println!("broken client {peer}: {message}; the others were served");
    assert_eq!(total, u32::from(CLIENTS) * RECORDS);
    println!("ok: {total} records echoed to {CLIENTS} clients");
    Ok(())
}
