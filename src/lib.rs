// The crate documentation is the README: the four layers, one example each (all run as
// doctests), the command line, and the features.
#![doc = include_str!("../README.md")]
#![deny(clippy::undocumented_unsafe_blocks)]
#![warn(missing_docs)]

#[cfg(feature = "bytes")]
pub mod buf;
#[cfg(feature = "tokio")]
pub mod codec;
pub mod error;
pub mod frame;
pub mod int;
pub mod layout;
pub mod order;
pub mod record;
pub mod transport;

#[cfg(feature = "tokio")]
pub use codec::{FrameCodec, RecordCodec};
pub use error::{Error, ErrorKind, Result};
pub use frame::{FrameDecoder, Framing};
pub use int::IntEncoding;
pub use layout::{Layout, Value};
pub use order::{
    Endian, NetOrder, convert_in_place, hton_slice, hton_write, hton16, hton32, hton64, ntoh_read,
    ntoh_slice, ntoh16, ntoh32, ntoh64, read_int, read_slice, read_uint, write_int, write_slice,
    write_uint,
};
pub use record::{Config, from_bytes, record_size, to_slice, to_vec};
pub use transport::{Conn, Server, recv_exact, send_all};
