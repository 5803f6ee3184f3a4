//! `netorder serve`, `netorder send` and the demo (`netorder` with no arguments): thin shells
//! over `netorder::reactor` (serve) and `netorder::transport` (send, the demo, `serve
//! --blocking`).

use crate::records::write_values;
use crate::{CliError, CliResult};
use netorder::frame::{Framing, FramingKind};
use netorder::reactor::{Event, Handler, ReactorServer, Reply};
use netorder::record::Config;
use netorder::transport::{Conn, Server};
use netorder::{Error, ErrorKind, Layout};
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Arguments of `netorder serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:0.
    #[arg(long)]
    pub listen: String,
    /// A Python struct format string for each record.
    #[arg(long)]
    pub format: String,
    /// fixed | u16 | u32 | varint | uBITS[be|le][,offset=N][,adjust=N][,skip=N] | lines |
    /// crlf | delim:HEX, each with an optional +crc32c | +crc32 | +internet (clients must use
    /// the same)
    #[arg(long, default_value = "fixed")]
    pub framing: String,
    /// Send every record back to its sender.
    #[arg(long)]
    pub echo: bool,
    /// Close a connection whose peer sends nothing for this many seconds (at least 1).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Reset a peer whose record, once its first byte has arrived, is not whole within this
    /// many seconds (at least 1). Silence between records is --idle-timeout's.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub frame_timeout: u64,
    /// Serve at most this many clients at once (at least 1). Default: the open-file limit
    /// (the soft RLIMIT_NOFILE, first raised to the hard limit where allowed) less 64
    /// descriptors kept for the listener, stdio and the event loops. At the cap, a new client
    /// is admitted by closing the connection idle longest (at least 1 s) that is not in the
    /// middle of a record; if there is none, it waits.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub max_connections: Option<usize>,
    /// Spread connections over this many event loops (threads; at least 1).
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = at_least_one)]
    pub threads: usize,
    /// One thread per client (blocking sockets) instead of the event loop: kept for
    /// comparison and as a fallback.
    #[arg(long, hide = true)]
    pub blocking: bool,
}

/// Arguments of `netorder send`.
#[derive(clap::Args)]
pub struct SendArgs {
    /// Address of the server, e.g. 127.0.0.1:9000.
    pub addr: String,
    /// A Python struct format string for each record.
    #[arg(long)]
    pub format: String,
    /// fixed | u16 | u32 | varint | uBITS[be|le][,offset=N][,adjust=N][,skip=N] | lines |
    /// crlf | delim:HEX, each with an optional +crc32c | +crc32 | +internet (the server's)
    #[arg(long, default_value = "fixed")]
    pub framing: String,
    /// Wait for each record's echo and print it.
    #[arg(long)]
    pub echo: bool,
    /// Give up on a server that does not read or answer for this many seconds (at least 1).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

/// A count that must be at least 1 (`--threads`, `--max-connections`): 0 is a usage error.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// The record layout and framing named on the command line; bad ones are usage errors.
fn layout_and_framing(format: &str, framing: &str) -> CliResult<(Layout, Framing)> {
    let layout =
        Layout::parse(format).map_err(|e| CliError::Usage(format!("format {format:?}: {e}")))?;
    let framing = Framing::from_name(framing, layout.size()).map_err(|e| match e.kind() {
        ErrorKind::BadFraming { accepted, .. } => {
            CliError::Usage(format!("unknown framing '{framing}' (expected {accepted})"))
        }
        _ => CliError::Usage(format!("framing '{framing}': {e}")),
    })?;
    if framing == Framing::fixed(0) {
        return Err(CliError::Usage(format!(
            "format '{format}' is 0 bytes long: fixed framing needs records of at least one byte"
        )));
    }
    Ok((layout, framing))
}

/// `framing` with the record's size as its limit. For a general length field the limit is on
/// the raw field value, before the adjustment (tokio-util's rule): the value a record's frame
/// carries, `size - adjustment`.
fn limited(framing: Framing, size: usize) -> Framing {
    let max = match framing.kind() {
        FramingKind::LengthField(field) => size
            .saturating_add_signed(field.length_adjustment().saturating_neg())
            .max(size),
        _ => size,
    };
    framing.with_max_frame_len(max.max(1))
}

/// A frame whose length is not the record's: the counts, in the words of the contract.
fn check_record_len(frame: &[u8], size: usize) -> netorder::Result<()> {
    if frame.len() == size {
        return Ok(());
    }
    Err(Error::new(ErrorKind::Message(
        format!(
            "wrong record length: expected {size} byte{}, received {}",
            if size == 1 { "" } else { "s" },
            frame.len()
        )
        .into(),
    )))
}

/// Prints one record's values as `unpack` does, as one line on stdout, flushed at once (the
/// contract: each record shows as it arrives). `values` and `line` are the caller's, reused from
/// record to record, so a record costs no allocation.
fn print_record(
    layout: &Layout,
    record: &[u8],
    values: &mut Vec<netorder::Value>,
    line: &mut Vec<u8>,
) -> netorder::Result<()> {
    values.clear();
    layout.unpack_into(record, values)?;
    line.clear();
    write_values(line, values)?;
    line.push(b'\n');
    let mut out = io::stdout().lock();
    out.write_all(line)?;
    out.flush()?;
    Ok(())
}

/// `netorder serve --listen ADDR --format FMT [--framing F] [--echo]`: on the event loop
/// (`netorder::reactor`), or one thread per client with `--blocking`. Both print the same lines.
pub fn serve(a: ServeArgs) -> CliResult {
    if a.blocking {
        return serve_blocking(a);
    }
    let (layout, framing) = layout_and_framing(&a.format, &a.framing)?;
    let size = layout.size();
    // No frame longer than one record is ever accepted: a hostile length prefix is refused
    // before anything is allocated, and a connection holds no buffer between records.
    let mut server = ReactorServer::bind(&a.listen, limited(framing, size))
        .map_err(|e| CliError::Runtime(format!("cannot listen on {}: {e}", a.listen)))?
        .idle_timeout(Some(Duration::from_secs(a.idle_timeout)))
        .frame_timeout(Some(Duration::from_secs(a.frame_timeout)))
        .threads(a.threads);
    if let Some(n) = a.max_connections {
        server = server.max_connections(n);
    }
    eprintln!("listening on {}", server.local_addr()?);
    server.run(PrintRecords {
        layout: Arc::new(layout),
        size,
        echo: a.echo,
        values: Vec::new(),
        line: Vec::new(),
    })?;
    Ok(())
}

/// `serve`'s handler on the event loop: checks, prints and (with `--echo`) returns each
/// record; names each bad peer on stderr. `values` and `line` are reused from record to record.
#[derive(Clone)]
struct PrintRecords {
    layout: Arc<Layout>,
    size: usize,
    echo: bool,
    values: Vec<netorder::Value>,
    line: Vec<u8>,
}

impl Handler for PrintRecords {
    fn frame(&mut self, reply: &mut Reply<'_>, frame: &[u8]) -> netorder::Result<()> {
        check_record_len(frame, self.size)?;
        print_record(&self.layout, frame, &mut self.values, &mut self.line)?;
        if self.echo {
            reply.send_frame(frame)?;
        }
        Ok(())
    }

    fn event(&mut self, peer: SocketAddr, event: Event<'_>) {
        if let Event::Failed(err) = event {
            eprintln!("netorder: peer {peer}: {err}");
        }
    }
}

/// `serve --blocking`: one thread per client over `netorder::transport::Server`.
fn serve_blocking(a: ServeArgs) -> CliResult {
    let (layout, framing) = layout_and_framing(&a.format, &a.framing)?;
    let size = layout.size();
    let mut server = Server::bind(&a.listen)
        .map_err(|e| CliError::Runtime(format!("cannot listen on {}: {e}", a.listen)))?
        .idle_timeout(Some(Duration::from_secs(a.idle_timeout)));
    if let Some(n) = a.max_connections {
        server = server.max_connections(n);
    }
    eprintln!("listening on {}", server.local_addr()?);
    let echo = a.echo;
    let frame_timeout = Duration::from_secs(a.frame_timeout);
    let layout = Arc::new(layout);
    let handler = move |stream: TcpStream, _peer: SocketAddr| -> netorder::Result<()> {
        let mut conn =
            Conn::new(stream, limited(framing, size)).with_frame_timeout(Some(frame_timeout));
        let mut echo_buf = Vec::with_capacity(size);
        let (mut values, mut line) = (Vec::new(), Vec::new());
        while let Some(frame) = conn.recv_frame()? {
            check_record_len(frame, size)?;
            print_record(&layout, frame, &mut values, &mut line)?;
            if echo {
                echo_buf.clear();
                echo_buf.extend_from_slice(frame);
                conn.send_frame(&echo_buf)?;
            }
        }
        conn.flush()
    };
    // Running out of descriptors is reported with the listening address: not a peer's fault.
    let listening = server.local_addr()?;
    let on_error = move |peer: SocketAddr, err: &Error| {
        if peer == listening {
            eprintln!("netorder: {err}");
        } else {
            eprintln!("netorder: peer {peer}: {err}");
        }
    };
    server.run(handler, on_error)?;
    Ok(())
}

/// `netorder send ADDR --format FMT [--framing F] [--echo]`.
pub fn send(a: SendArgs) -> CliResult {
    let (layout, framing) = layout_and_framing(&a.format, &a.framing)?;
    let size = layout.size();
    let timeout = Some(Duration::from_secs(a.timeout));
    let stream = connect(&a.addr, timeout)?;
    stream.set_read_timeout(timeout)?;
    stream.set_write_timeout(timeout)?;
    let mut conn = Conn::new(stream, limited(framing, size));
    let mut sent = 0usize;
    let result = send_lines(&mut conn, &layout, size, a.echo, a.timeout, &mut sent);
    if result.is_err() {
        // The records before the bad line were good: they still go out (best effort).
        let _ = conn.shutdown_write();
        return result;
    }
    conn.shutdown_write()
        .map_err(|e| server_dropped(sent, &e.to_string()))?;
    // Let the server finish: wait (bounded by the timeout) for it to close its side, so our
    // close never resets a connection it is still reading. A server that refuses our records
    // closes with unread bytes, which resets the connection: that is an error, not a success.
    let mut sink = [0u8; 4096];
    let stream = conn.get_mut();
    for _ in 0..1_000_000 {
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                break;
            }
            Err(e) => return Err(server_dropped(sent, &e.to_string())),
        }
    }
    Ok(())
}

/// The server refused a record (it resets the connection then) or closed the connection
/// before it had taken every record.
fn server_dropped(sent: usize, why: &str) -> CliError {
    CliError::Runtime(format!(
        "the server refused a record or reset the connection after {sent} record{} sent \
         ({why}); see the server's log",
        if sent == 1 { " was" } else { "s were" }
    ))
}

/// Sends one record per non-empty line of stdin; with `echo`, waits for each reply and prints it.
fn send_lines(
    conn: &mut Conn<TcpStream>,
    layout: &Layout,
    size: usize,
    echo: bool,
    timeout_secs: u64,
    sent: &mut usize,
) -> CliResult {
    let in_line = |n: usize| {
        move |e: CliError| match e {
            CliError::Runtime(m) => CliError::Runtime(format!("line {n}: {m}")),
            usage => usage,
        }
    };
    let io_failure = |sent: usize, e: Error| match e.kind() {
        ErrorKind::Io { message, .. } => server_dropped(sent, message),
        _ => CliError::from(e),
    };
    // One line, one record's values and bytes, and the echo's values and text: reused, so a
    // record costs no allocation beyond its tokens.
    let (mut text, mut values, mut bytes) = (String::new(), Vec::new(), Vec::new());
    let (mut echo_values, mut echo_line) = (Vec::new(), Vec::new());
    let mut stdin = io::stdin().lock();
    for i in 0.. {
        text.clear();
        let n = stdin
            .read_line(&mut text)
            .map_err(|e| CliError::Runtime(format!("reading stdin: {e}")))?;
        if n == 0 {
            break;
        }
        let tokens: Vec<&str> = text.split_whitespace().collect();
        if tokens.is_empty() {
            continue;
        }
        values.clear();
        layout
            .values_from_text_into(&tokens, &mut values)
            .map_err(|e| in_line(i + 1)(e.into()))?;
        bytes.clear();
        layout
            .pack_into(&values, &mut bytes)
            .map_err(|e| in_line(i + 1)(e.into()))?;
        conn.send_frame(&bytes).map_err(|e| io_failure(*sent, e))?;
        *sent += 1;
        if echo {
            // `recv_frame` sends the queued record before it waits for the answer.
            let reply = conn
                .recv_frame()
                .map_err(|e| match e.kind() {
                    ErrorKind::Io {
                        kind: io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut,
                        ..
                    } => CliError::Runtime(format!(
                        "line {}: no echo of the record within {timeout_secs} s \
                         (is the server running with --echo?)",
                        i + 1
                    )),
                    _ => in_line(i + 1)(io_failure(*sent, e)),
                })?
                .ok_or_else(|| {
                    CliError::Runtime(format!(
                        "line {}: the server closed the connection instead of echoing the record",
                        i + 1
                    ))
                })?;
            check_record_len(reply, size)?;
            print_record(layout, reply, &mut echo_values, &mut echo_line)?;
        }
    }
    Ok(())
}

/// Connects to the first address of `addr` that answers.
fn connect(addr: &str, timeout: Option<Duration>) -> CliResult<TcpStream> {
    let addrs = addr
        .to_socket_addrs()
        .map_err(|e| CliError::Runtime(format!("cannot resolve {addr}: {e}")))?;
    let mut last = None;
    for sa in addrs {
        match TcpStream::connect_timeout(&sa, timeout.unwrap_or(Duration::from_secs(30))) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(CliError::Runtime(match last {
        Some(e) => format!("cannot connect to {addr}: {e}"),
        None => format!("cannot connect to {addr}: no address"),
    }))
}

// ----- the demo ---------------------------------------------------------------------------

/// The demo's record: 35 bytes in binary.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
struct Reading {
    sensor: u32,
    timestamp_ms: u64,
    celsius_tenths: i16,
    value: f64,
    tag: [u8; 8],
    seq: u32,
    ok: bool,
}

impl Reading {
    fn sample(i: u32) -> Reading {
        Reading {
            sensor: 7 + i % 3,
            timestamp_ms: 1_764_000_000_000 + u64::from(i) * 10,
            celsius_tenths: -40 + (i % 600) as i16,
            value: f64::from(i) / 8.0,
            tag: *b"loopback",
            seq: i,
            ok: i % 5 != 0,
        }
    }
}

/// Records per demo run: enough for a steady rate, few enough that the eight runs take well
/// under a second in a release build (a few seconds in a debug build).
const DEMO_RECORDS: u32 = 100_000;

/// A stream that counts the bytes read from it (the server's view of the wire).
struct Counting {
    inner: TcpStream,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What one demo run measured.
struct RunReport {
    wire_bytes: u64,
    elapsed: Duration,
}

/// One run: a loopback server receives `DEMO_RECORDS` typed records from a client, checks each,
/// and closes; the time runs from the client's first send to the server's close.
fn demo_run(framing: Framing, config: Config) -> netorder::Result<RunReport> {
    let wire = Arc::new(AtomicU64::new(0));
    let (tx, rx) = std::sync::mpsc::channel::<netorder::Result<u32>>();
    let counter = Arc::clone(&wire);
    let server = Server::bind("127.0.0.1:0")?
        .max_connections(1)
        .idle_timeout(Some(Duration::from_secs(5)))
        .spawn(
            move |stream, _peer| {
                let stream = Counting {
                    inner: stream,
                    read: Arc::clone(&counter),
                };
                let mut conn = Conn::new(stream, framing).with_config(config);
                let mut n = 0u32;
                let result = loop {
                    match conn.recv::<Reading>() {
                        Ok(Some(r)) if r == Reading::sample(n) => n += 1,
                        Ok(Some(r)) => {
                            break Err(Error::new(ErrorKind::Message(
                                format!("record {n} arrived changed: {r:?}").into(),
                            )));
                        }
                        Ok(None) => break Ok(n),
                        Err(e) => break Err(e),
                    }
                };
                let _ = tx.send(result.clone());
                result.map(|_| ())
            },
            |_, _| {},
        )?;
    let stream = TcpStream::connect_timeout(&server.local_addr(), Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let start = Instant::now();
    let mut conn = Conn::new(stream, framing).with_config(config);
    for i in 0..DEMO_RECORDS {
        conn.send(&Reading::sample(i))?;
    }
    conn.shutdown_write()?;
    let received = rx
        .recv_timeout(Duration::from_secs(10))
        .map_err(|_| Error::new(ErrorKind::Message("the demo server did not answer".into())))??;
    let elapsed = start.elapsed();
    server.stop()?;
    if received != DEMO_RECORDS {
        return Err(Error::new(ErrorKind::Message(
            format!("{received} of {DEMO_RECORDS} records arrived").into(),
        )));
    }
    Ok(RunReport {
        wire_bytes: wire.load(Ordering::Relaxed),
        elapsed,
    })
}

/// `netorder` with no arguments: a loopback server and client exchange records in each
/// framing and integer encoding; prints one record's bytes, the bytes on the wire and the rate.
pub fn demo() -> CliResult {
    let binary = Config::new();
    let ascii = Config::new().ascii_fixed();
    let sample = Reading::sample(1);
    let bin_len = binary.record_size::<Reading>()?;
    let ascii_len = ascii.record_size::<Reading>()?;
    let bytes = binary.to_vec(&sample)?;
    let layout = Layout::of::<Reading>()?;

    println!("netorder demo: a loopback TCP server and client in one process.");
    println!(
        "Record: struct Reading {{ sensor: u32, timestamp_ms: u64, celsius_tenths: i16, value: f64, \
         tag: [u8; 8], seq: u32, ok: bool }}"
    );
    println!(
        "        = Python struct '{}', {bin_len} bytes binary, {ascii_len} bytes with ASCII integers, \
         {} bytes with LEB128 integers.",
        layout.struct_format(),
        Config::new().varint().to_vec(&sample)?.len()
    );
    println!();
    println!("One record on the wire (binary, network byte order):");
    for line in layout.explain(&bytes)?.lines() {
        println!("  {line}");
    }
    let ascii_bytes = ascii.to_vec(&sample)?;
    println!();
    println!(
        "The same record with ASCII fixed-width integers (floats and bools stay binary; the \
         [u8; 8] tag is eight u8 integers of 3 digits each):"
    );
    println!("  {}", printable(&ascii_bytes));
    println!();
    println!("{DEMO_RECORDS} records per run; bytes counted as the server read them:");
    println!(
        "  {:<8} {:<7} {:>12} {:>14} {:>13} {:>10}",
        "framing", "ints", "bytes/record", "bytes on wire", "records/s", "MB/s"
    );
    let mut best: Option<(u64, String)> = None;
    let varint = Config::new().varint();
    for (ints, config, len) in [
        ("binary", binary, Some(bin_len)),
        // LEB128 integers make the record's size vary: no fixed framing for them.
        ("varint", varint, None),
        ("ascii", ascii, Some(ascii_len)),
    ] {
        for name in ["fixed", "u16", "u32", "varint"] {
            let framing = match (name, len) {
                ("fixed", None) => continue,
                (_, len) => Framing::from_name(name, len.unwrap_or(0))?,
            };
            let report = demo_run(framing, config)?;
            let secs = report.elapsed.as_secs_f64().max(1e-9);
            println!(
                "  {:<8} {:<7} {:>12.1} {:>14} {:>13.0} {:>10.1}",
                name,
                ints,
                report.wire_bytes as f64 / f64::from(DEMO_RECORDS),
                report.wire_bytes,
                f64::from(DEMO_RECORDS) / secs,
                report.wire_bytes as f64 / secs / 1e6,
            );
            if best.as_ref().is_none_or(|(b, _)| report.wire_bytes < *b) {
                best = Some((
                    report.wire_bytes,
                    format!("{name} framing with {ints} integers"),
                ));
            }
        }
    }
    if let Some((bytes, what)) = best {
        println!();
        println!("Fewest bytes: {what} ({bytes} bytes). Every record arrived intact in every run.");
    }
    Ok(())
}

/// Bytes as text where printable, `\xNN` elsewhere.
fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b).to_string()
            } else {
                format!("\\x{b:02x}")
            }
        })
        .collect()
}
