//! Put data on the wire and take it off again, exactly.
//!
//! netorder turns the classic socket-programming lessons into a strict, tested library:
//! network byte order (`htonl`/`ntohs`), ASCII or binary integers, fixed-length records that
//! Python's `struct` and C read byte for byte, and framed records over sockets where "need
//! more bytes", "these bytes are wrong" and "the peer vanished mid-message" are three
//! different answers. Every decoder takes hostile bytes: no panic, no read past the end, no
//! allocation before a limit is checked, and an [`Error`] that says what and where.
//!
//! `src/` is four layers; a layer uses only the layers below it.
//!
//! # 1. Byte order: [`order`]
//!
//! `hton16/32/64` and `ntoh16/32/64`, one trait ([`NetOrder`]) for every primitive, odd widths
//! (a 24-bit length), and bulk slices (SIMD where the CPU has it).
//!
//! ```
//! use netorder::{Endian, hton32, ntoh_read, read_uint, write_uint};
//!
//! assert_eq!(hton32(0x0102_0304).to_ne_bytes(), [1, 2, 3, 4]);
//! assert_eq!(ntoh_read::<u16>(&[0x1f, 0x90])?, 8080);
//! let mut len = [0u8; 3];
//! write_uint(0xab_cdef, 3, Endian::Big, &mut len)?;
//! assert_eq!(read_uint(&len, 3, Endian::Big)?, 0xab_cdef);
//! assert!(ntoh_read::<u32>(&[1, 2]).unwrap_err().is_incomplete()); // short: an error, never a panic
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! # 2. Integer encodings: [`int`]
//!
//! [`IntEncoding`]: fixed width, LEB128 varint, zigzag, ASCII decimal (terminated or
//! fixed-width), with strict decoders that accept only the one canonical form of each value;
//! batch varints with SIMD ([`int::varint::decode_batch`]).
//!
//! ```
//! use netorder::IntEncoding;
//!
//! let mut out = Vec::new();
//! IntEncoding::Varint.encode(300, &mut out)?;
//! assert_eq!(out, [0xac, 0x02]);
//! assert_eq!(IntEncoding::Varint.decode(&out)?, (300, 2));
//! assert!(IntEncoding::Varint.decode(&[0x80, 0x00]).is_err()); // overlong: refused
//! assert!(IntEncoding::Ascii { terminator: b'\n' }.decode(b"007\n").is_err()); // leading zero
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! # 3. Records: [`record`] and [`layout`]
//!
//! Three ways to one set of bytes (network order, fixed-width integers, no padding: what bincode
//! 2 writes big-endian with fixed ints, and what Python's `struct.pack('!…')` writes): serde
//! types ([`to_vec`], [`to_slice`], [`from_bytes`], [`record_size`], and [`Config`] for other
//! byte orders and integer encodings); `#[derive(FixedRecord)]` for fixed-size structs at
//! hand-written speed, with bit fields and zero-copy views ([`record::fixed`]); and [`Layout`],
//! a schema from a Python struct format string or a Rust type, which packs, explains, draws
//! RFC-style diagrams and generates C and Python.
//!
//! ```
//! # #[cfg(all(feature = "derive", feature = "alloc"))] {
//! use netorder::record::{FixedRecord, fixed};
//!
//! #[derive(Debug, PartialEq, FixedRecord, serde::Serialize)]
//! struct Header {
//!     kind: u16,
//!     len: u32,
//!     ok: bool,
//! }
//!
//! let h = Header { kind: 7, len: 512, ok: true };
//! let mut buf = [0u8; Header::SIZE];
//! fixed::to_slice(&h, &mut buf)?;
//! assert_eq!(buf, [0, 7, 0, 0, 2, 0, 1]);
//! assert_eq!(netorder::to_vec(&h)?, buf); // the serde path writes the same bytes
//! assert_eq!(netorder::Layout::of_fixed::<Header>()?.struct_format(), "!HI?");
//!
//! buf[6] = 2; // a bool that is neither 0 nor 1: the field and the byte are named
//! assert_eq!(fixed::from_bytes::<Header>(&buf).unwrap_err().to_string(),
//!            "field `ok`: invalid bool at byte 6: 0x02 (expected 0 or 1)");
//! # }
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! # 4. Framing and transport: [`frame`], [`transport`], and by feature `reactor`, `codec`, `buf`
//!
//! [`Framing`] says where one message ends and the next begins (a fixed length, a length
//! prefix, a varint, a general length field as tokio-util's `LengthDelimitedCodec` reads it,
//! a delimiter), with an optional checksum trailer; [`frame`] decodes and encodes frames without I/O, and every endpoint
//! goes through it: [`Conn`] (typed records over any `Read + Write`), the threaded [`Server`],
//! the readiness-loop `reactor::ReactorServer` and `reactor::NonBlockingConn` (feature
//! `reactor`), the tokio codecs `codec::FrameCodec` and `codec::RecordCodec` (feature `tokio`).
//!
//! ```
//! use netorder::frame::{Decoded, Framing, decode_frame, encode_frame};
//!
//! let mut wire = Vec::new();
//! encode_frame(Framing::U16, b"hello", &mut wire)?;
//! assert_eq!(wire, b"\x00\x05hello");
//! // Half a frame is a status ("need 2 more"), not an error.
//! assert_eq!(decode_frame(Framing::U16, &wire[..5])?, Decoded::Need(2));
//! let Decoded::Frame(frame) = decode_frame(Framing::U16, &wire)? else { unreachable!() };
//! assert_eq!(&wire[frame.payload], b"hello");
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! # Features
//!
//! `std` (default: sockets, `Conn`, `Server`), `alloc` (implied by `std`: `Vec` outputs,
//! `Layout`), `derive` (default: `#[derive(FixedRecord)]`), `reactor` (mio readiness loop),
//! `tokio` (tokio-util codecs), `bytes` (`Buf`/`BufMut`), `crc32c` and `crc32` (CRC checksum
//! trailers on frames; the Internet checksum needs no feature). Without `std` and `alloc` the first
//! three layers run `no_std` with no allocator. The `netorder` command-line tool is a package
//! of its own (`cargo install --path cli`).
//!
//! The README (shipped in the package, shown on the crate's registry page) is the long guide:
//! choosing an encoding, migrating from byteorder and bincode, the command line, safety and limits, and
//! the performance table measured against the crates above.

// no_std always; `alloc` and `std` bring their crates back (see the README's "Features").
#![no_std]
// Without `std` the crate doc still names the socket and `Vec` items (they link with it).
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]
// No `unsafe` anywhere but the SIMD kernels of `order::simd`, the one module that allows it;
// there, every block says why it is sound and every `unsafe fn` states its contract.
#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]
#![deny(missing_docs)]

// The README's examples run as doctests too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

// `vec!` and `format!` everywhere with `alloc`; tests have the alloc crate whatever the features.
#[cfg(any(feature = "alloc", test))]
#[cfg_attr(feature = "alloc", macro_use)]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;
// `#[derive(FixedRecord)]` names the crate `::netorder`, in this crate's own tests too.
extern crate self as netorder;

/// What the std prelude gives and a `no_std` crate must import: alloc's types.
#[cfg(any(feature = "alloc", test))]
#[allow(unused_imports)]
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec::Vec;
}

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
#[cfg(feature = "bytes")]
pub mod buf;
pub mod checksum;
#[cfg(feature = "tokio")]
pub mod codec;
pub mod error;
pub mod frame;
pub mod int;
#[cfg(feature = "alloc")]
pub mod layout;
pub mod order;
#[cfg(feature = "reactor")]
pub mod reactor;
pub mod record;
#[cfg(feature = "std")]
pub mod transport;

#[cfg(feature = "tokio")]
pub use codec::{FrameCodec, RecordCodec};
pub use error::{Error, ErrorKind, Result};
#[cfg(feature = "alloc")]
pub use frame::FrameDecoder;
pub use frame::Framing;
pub use int::IntEncoding;
#[cfg(feature = "alloc")]
pub use layout::{Layout, Value};
pub use order::{
    Endian, NetOrder, convert_in_place, hton_slice, hton_write, hton16, hton32, hton64, ntoh_read,
    ntoh_slice, ntoh16, ntoh32, ntoh64, read_int, read_slice, read_uint, write_int, write_slice,
    write_uint,
};
// The serde path: the free functions use the default configuration; `Config`'s methods are
// the same operations for any other.
pub use record::{Config, from_bytes, take_from_bytes, to_slice};
#[cfg(feature = "std")]
pub use record::{from_reader, to_writer};
#[cfg(feature = "alloc")]
pub use record::{record_size, to_vec};
#[cfg(feature = "std")]
pub use transport::{Conn, Server, recv_exact, send_all};
