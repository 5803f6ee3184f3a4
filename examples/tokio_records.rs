//! A tokio server and client in one process exchanging typed records over
//! `Framed<TcpStream, RecordCodec<T>>` on 127.0.0.1.
//!
//! The client sends a few readings and a closing marker; the server answers each with an
//! acknowledgement carrying a running sum. Then a peer that closes in the middle of a record
//! shows what the server sees: the exact `Truncated` error, while it goes on serving.
//!
//! ```text
//! cargo run --example tokio_records --features tokio
//! ```

use futures::{SinkExt, StreamExt};
use netorder::codec::RecordCodec;
use netorder::frame::Framing;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{FramedRead, FramedWrite};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Request {
    Reading { sensor: u32, value: f64 },
    Bye,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Ack {
    count: u32,
    sum: f64,
}

const FRAMING: Framing = Framing::U32;

/// Serves one connection: an `Ack` per reading, until `Bye` or the end of the stream.
/// Requests and replies are different types: one codec per direction.
async fn serve(stream: TcpStream) -> netorder::Result<()> {
    let peer = stream.peer_addr()?;
    let (read, write) = stream.into_split();
    let mut requests = FramedRead::new(read, RecordCodec::<Request>::new(FRAMING));
    let mut replies = FramedWrite::new(write, RecordCodec::<Ack>::new(FRAMING));
    let (mut count, mut sum) = (0, 0.0);
    while let Some(request) = requests.next().await {
        match request {
            Ok(Request::Reading { sensor, value }) => {
                count += 1;
                sum += value;
                println!("server: sensor {sensor} says {value}");
                replies.send(Ack { count, sum }).await?;
            }
            Ok(Request::Bye) => break,
            Err(e) => {
                println!("server: {peer}: {e}");
                return Err(e);
            }
        }
    }
    Ok(())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("listening on {addr}");
    let server = tokio::spawn(async move {
        let mut connections = Vec::new();
        for _ in 0..2 {
            let (stream, _) = listener.accept().await?;
            connections.push(tokio::spawn(serve(stream)));
        }
        let mut results = Vec::new();
        for c in connections {
            results.push(c.await.expect("a connection task panicked"));
        }
        Ok::<_, std::io::Error>(results)
    });

    // A well-behaved client.
    let (read, write) = TcpStream::connect(addr).await?.into_split();
    let mut requests = FramedWrite::new(write, RecordCodec::<Request>::new(FRAMING));
    let mut acks = FramedRead::new(read, RecordCodec::<Ack>::new(FRAMING));
    for (sensor, value) in [(1, 20.5), (2, 21.0), (3, 19.25)] {
        requests.send(Request::Reading { sensor, value }).await?;
        let ack = acks.next().await.ok_or("the server closed early")??;
        println!("client: ack {ack:?}");
    }
    requests.send(Request::Bye).await?;

    // A peer that vanishes mid-record: 4-byte prefix announcing 16 bytes, then 3 of them.
    let mut rude = TcpStream::connect(addr).await?;
    rude.write_all(&[0, 0, 0, 16, 0, 0, 0]).await?;
    rude.shutdown().await?;
    let results = server.await??;
    assert!(results[0].is_ok());
    assert!(matches!(
        results[1].as_ref().map_err(netorder::Error::kind),
        Err(netorder::ErrorKind::Truncated {
            expected: 20,
            received: 7
        })
    ));
    println!("ok: 3 records acknowledged; the truncated peer was reported, the others served");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(4), run())
            .await
            .map_err(|_| "timed out")?
    })
}
