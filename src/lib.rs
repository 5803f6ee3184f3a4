//! # netorder
//!
//! Put data on the wire and take it off again, exactly.
//!
//! The crate is four layers; data flows down them when sending and up when receiving, and a
//! layer uses only the layers below it:
//!
//! 1. [`order`]: byte order. `htonl`/`ntohs` as [`hton32`]/[`ntoh16`], a [`NetOrder`] trait
//!    for every primitive, odd widths (u24, u48) and bulk slice conversion.
//! 2. [`int`]: integer encodings behind one [`IntEncoding`] type: fixed-width binary, LEB128
//!    varint, zigzag, ASCII decimal (terminated and fixed-width). Strict decoders.
//! 3. [`record`]: serde records to network-order bytes ([`to_vec`], [`from_bytes`],
//!    [`record_size`]), and [`Layout`], a schema that reads Python `struct` format strings.
//! 4. [`frame`] and [`transport`]: a sans-IO frame decoder and blocking sockets that send and
//!    receive exact byte counts and typed records.
//!
//! Every decoder takes untrusted bytes: it never panics, never reads past the end, checks
//! lengths against a limit before allocating, and tells "need more bytes"
//! ([`Error::is_incomplete`]) apart from "these bytes are wrong".
#![deny(clippy::undocumented_unsafe_blocks)]
#![warn(missing_docs)]

pub mod error;
pub mod frame;
pub mod int;
pub mod layout;
pub mod order;
pub mod record;
pub mod transport;

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
