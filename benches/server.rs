//! Echo servers under load: the readiness loop (`netorder::reactor`) beside one thread per
//! connection (`netorder::transport::Server`) and tokio, doing the same work: u16-framed
//! 8-byte records, decoded with the same `FrameDecoder`, echoed back.
//!
//! `cargo bench --bench server` prints a Markdown table: records/s and the server's peak RSS
//! (VmHWM) with 10, 1 000 and 5 000 connections, and the memory an idle connection costs.
//! Each server runs in a child process (this binary re-executed with `--child KIND`) so that
//! peaks do not mix; the load generator (this process) is the same for all: one thread, mio,
//! `NonBlockingConn`s, every connection pipelining its records. Options: `--quick` (fewer
//! records), `--only KIND`. Results: `benches/SERVER.md`.

use netorder::frame::{FrameDecoder, Framing, encode_frame};
use netorder::reactor::{Handler, NonBlockingConn, ReactorServer, Received, Reply};
use netorder::transport::{Conn, Server};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FRAMING: Framing = Framing::U16;
const KINDS: [&str; 4] = ["reactor", "reactor-2", "threads", "tokio"];
const CONNECTIONS: [usize; 3] = [10, 1000, 5000];
const IDLE: usize = 5000;
/// Runs per configuration; the table shows the best rate and the highest peak.
const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1]);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .map(|i| args[i + 1].clone());
    let total: usize = if quick { 50_000 } else { 1_200_000 };
    let limit = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(0, |(soft, _)| soft);
    println!(
        "open-file limit {limit}; {total} records per run, 8-byte payloads, u16 framing, \
         best of {RUNS} runs"
    );
    println!();
    println!("| server | connections | records/s | server peak RSS (KiB) |");
    println!("|---|---:|---:|---:|");
    for n in CONNECTIONS {
        for kind in KINDS {
            if only.as_deref().is_some_and(|o| o != kind) {
                continue;
            }
            let per_conn = (total / n).max(1);
            // The machine is shared: the best of `RUNS` runs, each in a fresh child.
            let runs: Result<Vec<(f64, u64)>, String> =
                (0..RUNS).map(|_| run_load(kind, n, per_conn)).collect();
            match runs {
                Ok(runs) => {
                    let rate = runs.iter().map(|r| r.0).fold(0.0, f64::max);
                    let hwm = runs.iter().map(|r| r.1).max().unwrap_or(0);
                    println!("| {kind} | {n} | {rate:.0} | {hwm} |");
                }
                Err(e) => println!("| {kind} | {n} | failed: {e} | |"),
            }
        }
    }
    println!();
    println!(
        "| server | idle connections | RSS before (KiB) | RSS after (KiB) | bytes per idle connection |"
    );
    println!("|---|---:|---:|---:|---:|");
    for kind in KINDS {
        if only.as_deref().is_some_and(|o| o != kind) {
            continue;
        }
        match run_idle(kind, IDLE) {
            Ok((before, after)) => println!(
                "| {kind} | {IDLE} | {before} | {after} | {:.0} |",
                (after.saturating_sub(before) * 1024) as f64 / IDLE as f64
            ),
            Err(e) => println!("| {kind} | {IDLE} | failed: {e} | | |"),
        }
    }
}

/// A server child: its address, and a way to ask for its memory.
struct ChildServer {
    child: std::process::Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    addr: SocketAddr,
    rss_at_start: u64,
}

impl ChildServer {
    fn start(kind: &str) -> Result<ChildServer, String> {
        let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .args(["--child", kind])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = lines
            .next()
            .ok_or("no ready line")?
            .map_err(|e| e.to_string())?;
        let mut it = ready.split(' ').skip(1);
        let addr = it
            .next()
            .ok_or("no addr")?
            .parse()
            .map_err(|_| "bad addr")?;
        let rss_at_start = it.next().ok_or("no rss")?.parse().map_err(|_| "bad rss")?;
        Ok(ChildServer {
            child,
            lines,
            addr,
            rss_at_start,
        })
    }

    /// (VmRSS, VmHWM) in KiB.
    fn memory(&mut self) -> Result<(u64, u64), String> {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "rss").map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
        let line = self
            .lines
            .next()
            .ok_or("no rss line")?
            .map_err(|e| e.to_string())?;
        let v: Vec<u64> = line
            .split(' ')
            .skip(1)
            .filter_map(|x| x.parse().ok())
            .collect();
        Ok((v[0], v[1]))
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` connections each pipeline `per_conn` records and read every echo; records/s and the
/// server's peak RSS.
fn run_load(kind: &str, n: usize, per_conn: usize) -> Result<(f64, u64), String> {
    let mut server = ChildServer::start(kind)?;
    let mut conns = connect_all(server.addr, n)?;
    let start = Instant::now();
    exchange(&mut conns, per_conn)?;
    let secs = start.elapsed().as_secs_f64();
    let (_, hwm) = server.memory()?;
    drop(conns);
    Ok(((n * per_conn) as f64 / secs, hwm))
}

/// RSS of the server before and after `n` connections that each exchanged one record and
/// then stay open and silent.
fn run_idle(kind: &str, n: usize) -> Result<(u64, u64), String> {
    let mut server = ChildServer::start(kind)?;
    let before = server.rss_at_start;
    let mut conns = connect_all(server.addr, n)?;
    exchange(&mut conns, 1)?;
    std::thread::sleep(Duration::from_millis(200));
    let (after, _) = server.memory()?;
    drop(conns);
    Ok((before, after))
}

fn connect_all(addr: SocketAddr, n: usize) -> Result<Vec<NonBlockingConn>, String> {
    (0..n)
        .map(|_| {
            NonBlockingConn::connect(addr, FRAMING.with_max_frame_len(64))
                .map(|c| c.with_max_queued_bytes(64 << 10))
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Every connection sends `per_conn` records (pipelined) and reads as many echoes.
fn exchange(conns: &mut [NonBlockingConn], per_conn: usize) -> Result<(), String> {
    use mio::{Events, Interest, Poll, Token};
    let mut poll = Poll::new().map_err(|e| e.to_string())?;
    for (i, c) in conns.iter_mut().enumerate() {
        poll.registry()
            .register(c, Token(i), Interest::READABLE | Interest::WRITABLE)
            .map_err(|e| e.to_string())?;
    }
    let mut sent = vec![0usize; conns.len()];
    let mut got = vec![0usize; conns.len()];
    let mut done = 0;
    let mut events = Events::with_capacity(4096);
    let mut pump = |i: usize, c: &mut NonBlockingConn| -> Result<bool, String> {
        let mut record = [0u8; 8];
        record[..4].copy_from_slice(&(i as u32).to_be_bytes());
        while sent[i] < per_conn {
            record[4..].copy_from_slice(&(sent[i] as u32).to_be_bytes());
            if !c.try_send_frame(&record).map_err(|e| e.to_string())? {
                break;
            }
            sent[i] += 1;
        }
        c.flush().map_err(|e| e.to_string())?;
        let before = got[i];
        loop {
            match c.try_recv_frame().map_err(|e| e.to_string())? {
                Received::Frame(f) if f.len() == 8 => got[i] += 1,
                Received::Frame(_) => return Err("bad echo".into()),
                Received::WouldBlock => break,
                Received::Closed => return Err("server closed".into()),
            }
        }
        Ok(before < per_conn && got[i] >= per_conn)
    };
    for (i, c) in conns.iter_mut().enumerate() {
        done += usize::from(pump(i, c)?);
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while done < conns.len() {
        if Instant::now() > deadline {
            return Err(format!("{done} of {} connections finished", conns.len()));
        }
        poll.poll(&mut events, Some(Duration::from_millis(100)))
            .map_err(|e| e.to_string())?;
        for ev in events.iter() {
            let i = ev.token().0;
            done += usize::from(pump(i, &mut conns[i])?);
        }
    }
    for c in conns.iter_mut() {
        poll.registry().deregister(c).map_err(|e| e.to_string())?;
    }
    Ok(())
}

// ----- the servers (child side) ----------------------------------------------------------------

/// (VmRSS, VmHWM) of this process in KiB.
fn own_memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The same listening socket for every server: loopback, backlog 4096 (std's 128 would make
/// 5 000 connects wait on SYN retries).
fn listener() -> std::net::TcpListener {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    socket.listen(4096).unwrap();
    socket.into()
}

#[derive(Clone)]
struct Echo;

impl Handler for Echo {
    fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
        reply.send_frame(frame)
    }
}

/// Runs one server until stdin closes, answering `rss` lines with its memory.
fn child(kind: &str) {
    let serve_stdin = |addr: SocketAddr| {
        println!("ready {addr} {}", own_memory().0);
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if line == "rss" {
                let (rss, hwm) = own_memory();
                println!("rss {rss} {hwm}");
            }
        }
    };
    match kind {
        "reactor" | "reactor-2" => {
            let threads = if kind == "reactor" { 1 } else { 2 };
            let server = ReactorServer::from_listener(listener(), FRAMING)
                .max_connections(100_000)
                .threads(threads)
                .spawn(Echo)
                .unwrap();
            serve_stdin(server.local_addr());
            server.stop().unwrap();
        }
        "threads" => {
            let server = Server::from_listener(listener())
                .max_connections(100_000)
                .idle_timeout(None)
                .spawn(
                    |stream, _peer| {
                        let mut conn = Conn::new(stream, FRAMING);
                        let mut echo = [0u8; 64];
                        while let Some(frame) = conn.recv_frame()? {
                            let n = frame.len().min(64);
                            echo[..n].copy_from_slice(&frame[..n]);
                            conn.send_frame(&echo[..n])?;
                        }
                        conn.flush()
                    },
                    |peer, err| eprintln!("threads server: {peer}: {err}"),
                )
                .unwrap();
            serve_stdin(server.local_addr());
            std::process::exit(0);
        }
        "tokio" => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            let listener = listener();
            listener.set_nonblocking(true).unwrap();
            let listener = {
                let _guard = rt.enter();
                tokio::net::TcpListener::from_std(listener).unwrap()
            };
            let addr = listener.local_addr().unwrap();
            rt.spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    tokio::spawn(tokio_echo(stream));
                }
            });
            serve_stdin(addr);
            rt.shutdown_timeout(Duration::from_secs(1));
        }
        other => panic!("unknown server {other}"),
    }
}

/// The same work in tokio: reads into a 4 KiB buffer, frames through `FrameDecoder`, echoes
/// each read's frames with one write.
async fn tokio_echo(mut stream: tokio::net::TcpStream) -> netorder::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut decoder = FrameDecoder::new(FRAMING);
    let mut buf = vec![0u8; 4096];
    let mut out = Vec::new();
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return decoder.decode_eof().map(|_| ());
        }
        let mut rest = &buf[..n];
        out.clear();
        while !rest.is_empty() {
            let took = decoder.feed(rest);
            rest = &rest[took..];
            while let Some(frame) = decoder.next_frame()? {
                encode_frame(FRAMING, frame, &mut out)?;
            }
        }
        stream.write_all(&out).await?;
    }
}
