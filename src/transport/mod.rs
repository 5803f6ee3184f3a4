//! Layer 4b: blocking sockets that send and receive exact byte counts and typed records.
//!
//! - [`send_all`] and [`recv_exact`]: the classic "loop until everything is sent" and "loop
//!   until you have MSGLEN bytes", with `Interrupted` retried, a zero-byte write an error
//!   rather than a spin, and a close *between* records told apart from a close *inside* one.
//! - [`Conn`]: a connection over any `Read + Write` (`TcpStream`, `UnixStream`, a test double)
//!   that sends and receives framed records: raw frames ([`Conn::send_frame`],
//!   [`Conn::recv_frame`]) or serde values ([`Conn::send`], [`Conn::recv`]). Writes are
//!   buffered until [`Conn::flush`] (many small records, few system calls); reads go through a
//!   [`FrameDecoder`](crate::frame::FrameDecoder) in large chunks.
//! - [`Server`]: a small threaded server, one thread per client, with a bound on concurrent
//!   connections and an idle timeout so a stalled peer cannot hold a slot for ever.
//!
//! ```
//! use std::net::{TcpListener, TcpStream};
//! use netorder::{frame::Framing, transport::Conn};
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let addr = listener.local_addr()?;
//! let client = std::thread::spawn(move || -> netorder::Result<()> {
//!     let mut conn = Conn::new(TcpStream::connect(addr)?, Framing::U16);
//!     conn.send_frame(b"ping")?;
//!     conn.flush()?;
//!     Ok(())
//! });
//! let (stream, _) = listener.accept()?;
//! let mut conn = Conn::new(stream, Framing::U16);
//! assert_eq!(conn.recv_frame()?, Some(&b"ping"[..]));
//! assert_eq!(conn.recv_frame()?, None); // the client closed at a frame boundary
//! client.join().unwrap()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod conn;
mod deadline;
mod io;
#[cfg(feature = "reactor")]
pub(crate) mod limits;
mod server;

pub use conn::{Conn, DEFAULT_WRITE_BUFFER, MAX_WRITE_BUFFER};
#[cfg(feature = "reactor")]
pub(crate) use deadline::frame_deadline_missed;
#[cfg(feature = "reactor")]
pub(crate) use io::{Recv, io_error_with_counts, recv_error, recv_frame, write_zero};
pub use io::{Socket, recv_exact, send_all};
pub use server::{
    ACCEPT_BACKOFF_MAX, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, Server, ServerHandle,
};
#[cfg(feature = "reactor")]
pub(crate) use server::{is_out_of_descriptors, panic_message};
