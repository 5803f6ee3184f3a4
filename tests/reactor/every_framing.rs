//! The framings of issue 17 (general length fields, delimiters, checksum trailers) through
//! every endpoint: the blocking `Conn` against both servers (threaded `transport::Server`,
//! `ReactorServer` and its `Reply`), `NonBlockingConn`, and both tokio codecs; a frame whose
//! checksum does not match fails its connection with `ChecksumMismatch` and the server goes
//! on serving the others.

use netorder::ErrorKind;
use netorder::frame::{Checksum, Framing, encode_frame};
use netorder::reactor::{Event, Handler, NonBlockingConn, ReactorServer, Received, Reply};
use netorder::transport::{Conn, Server};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(20);

/// The new framings, each with payloads it can carry (no `\n` for the delimited ones).
fn framings() -> Vec<Framing> {
    let u24le = Framing::length_delimited()
        .length_field_length(3)
        .little_endian()
        .length_adjustment(-3)
        .build()
        .unwrap();
    let u64be = Framing::length_delimited()
        .length_field_type::<u64>()
        .build()
        .unwrap();
    vec![
        u24le,
        u64be.with_checksum(Checksum::Crc32c),
        Framing::LINES,
        Framing::delimited(b"\r\n")
            .unwrap()
            .with_checksum(Checksum::Crc32),
        Framing::U16.with_checksum(Checksum::Internet),
        Framing::VARINT.with_checksum(Checksum::Crc32c),
        Framing::fixed(5).with_checksum(Checksum::Crc32),
    ]
}

fn payloads(framing: Framing) -> Vec<Vec<u8>> {
    let all: Vec<Vec<u8>> = vec![
        b"hello".to_vec(),
        b"".to_vec(),
        b"12345".to_vec(),
        vec![b'x'; 3000],
        b"a\rb\tc".to_vec(),
    ];
    all.into_iter()
        .filter(|p| encode_frame(framing, p, &mut Vec::new()).is_ok())
        .collect()
}

/// Echoes each frame; reports each connection's end.
#[derive(Clone)]
struct Echo {
    ends: mpsc::Sender<Result<(), ErrorKind>>,
}

impl Handler for Echo {
    fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
        reply.send_frame(frame)
    }

    fn event(&mut self, _peer: SocketAddr, event: Event<'_>) {
        let end = match event {
            Event::Connected => return,
            Event::Closed => Ok(()),
            Event::Failed(e) => Err(e.kind().clone()),
        };
        let _ = self.ends.send(end);
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    netorder_support::connect_within(addr, PATIENCE)
}

/// Sends every payload over a blocking `Conn` and reads the echoes back.
fn conn_round_trip(addr: SocketAddr, framing: Framing, payloads: &[Vec<u8>]) {
    let mut conn = Conn::new(connect(addr), framing);
    for p in payloads {
        conn.send_frame(p).unwrap();
    }
    conn.flush().unwrap();
    for p in payloads {
        assert_eq!(conn.recv_frame().unwrap(), Some(&p[..]), "{framing}");
    }
    conn.shutdown_write().unwrap();
    assert_eq!(conn.recv_frame().unwrap(), None, "{framing}");
}

#[test]
fn every_new_framing_through_conn_both_servers_and_the_non_blocking_client() {
    for framing in framings() {
        let payloads = payloads(framing);
        assert!(payloads.len() >= 2, "{framing}");

        // The readiness server (its `Reply` encodes the echo).
        let (tx, ends) = mpsc::channel();
        let reactor = ReactorServer::bind("127.0.0.1:0", framing)
            .unwrap()
            .spawn(Echo { ends: tx })
            .unwrap();
        conn_round_trip(reactor.local_addr(), framing, &payloads);
        assert_eq!(ends.recv_timeout(PATIENCE).unwrap(), Ok(()), "{framing}");

        // The non-blocking client against it.
        let mut nb = NonBlockingConn::connect(reactor.local_addr(), framing).unwrap();
        for p in &payloads {
            assert!(nb.try_send_frame(p).unwrap());
        }
        let deadline = Instant::now() + PATIENCE;
        let mut back = Vec::new();
        while back.len() < payloads.len() {
            assert!(
                Instant::now() < deadline,
                "{framing}: {} echoes",
                back.len()
            );
            nb.flush().unwrap();
            match nb.try_recv_frame().unwrap() {
                Received::Frame(f) => back.push(f.to_vec()),
                Received::WouldBlock => std::thread::sleep(Duration::from_millis(1)),
                Received::Closed => panic!("{framing}: closed early"),
            }
        }
        assert_eq!(back, payloads, "{framing}");
        drop(nb);
        reactor.stop().unwrap();

        // The threaded server, with a blocking `Conn` on each side.
        let threaded = Server::bind("127.0.0.1:0")
            .unwrap()
            .spawn(
                move |stream, _peer| {
                    let mut conn = Conn::new(stream, framing);
                    while let Some(frame) = conn.recv_frame()? {
                        let frame = frame.to_vec();
                        conn.send_frame(&frame)?;
                    }
                    conn.flush()
                },
                |peer, err| panic!("{peer}: {err}"),
            )
            .unwrap();
        conn_round_trip(threaded.local_addr(), framing, &payloads);
        threaded.stop().unwrap();
    }
}

#[test]
fn a_bad_checksum_fails_its_connection_only() {
    for framing in framings().into_iter().filter(|f| f.checksum().is_some()) {
        let (tx, ends) = mpsc::channel();
        let reactor = ReactorServer::bind("127.0.0.1:0", framing)
            .unwrap()
            .spawn(Echo { ends: tx })
            .unwrap();
        let mut wire = Vec::new();
        encode_frame(framing, b"12345", &mut wire).unwrap();
        let last = wire.len() - 1;
        wire[last] ^= 0x80; // the trailer's last bit
        let mut bad = connect(reactor.local_addr());
        bad.write_all(&wire).unwrap();
        bad.shutdown(Shutdown::Write).unwrap();
        let mut echoed = Vec::new();
        let _ = bad.read_to_end(&mut echoed); // closed or reset: nothing echoed either way
        assert!(echoed.is_empty(), "{framing}");
        let end = ends.recv_timeout(PATIENCE).unwrap();
        assert!(
            matches!(end, Err(ErrorKind::ChecksumMismatch { offset, .. }) if offset == last + 1 - framing.checksum().unwrap().len()),
            "{framing}: {end:?}"
        );
        // Another peer is served.
        conn_round_trip(reactor.local_addr(), framing, &payloads(framing));
        assert_eq!(ends.recv_timeout(PATIENCE).unwrap(), Ok(()));
        reactor.stop().unwrap();
    }
}

#[cfg(feature = "tokio")]
#[test]
fn both_tokio_codecs_frame_as_the_core_does() {
    use bytes::BytesMut;
    use netorder::codec::{FrameCodec, RecordCodec};
    use tokio_util::codec::{Decoder, Encoder};

    for framing in framings() {
        let payloads = payloads(framing);
        let mut codec = FrameCodec::new(framing);
        let mut wire = BytesMut::new();
        let mut core = Vec::new();
        for p in &payloads {
            codec.encode(&p[..], &mut wire).unwrap();
            encode_frame(framing, p, &mut core).unwrap();
        }
        assert_eq!(wire.to_vec(), core, "{framing}");
        // Byte by byte.
        let mut src = BytesMut::new();
        let mut out = Vec::new();
        for b in core.iter() {
            src.extend_from_slice(&[*b]);
            while let Some(f) = codec.decode(&mut src).unwrap() {
                out.push(f.to_vec());
            }
        }
        assert_eq!(codec.decode_eof(&mut src).unwrap(), None);
        assert_eq!(out, payloads, "{framing}");

        // Records: five-byte arrays (no `\n` in them), through the codec and back.
        let mut records = RecordCodec::<[u8; 5]>::new(framing);
        let mut wire = BytesMut::new();
        records.encode(*b"ab\rcd", &mut wire).unwrap();
        records.encode(*b"12345", &mut wire).unwrap();
        assert_eq!(
            records.decode(&mut wire).unwrap(),
            Some(*b"ab\rcd"),
            "{framing}"
        );
        assert_eq!(
            records.decode(&mut wire).unwrap(),
            Some(*b"12345"),
            "{framing}"
        );
        assert_eq!(records.decode_eof(&mut wire).unwrap(), None);
    }
}
