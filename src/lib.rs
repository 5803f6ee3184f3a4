// The crate documentation is the README: the four layers, one example each (all run as
// doctests), the command line, and the features.
#![doc = include_str!("../README.md")]
// no_std always; `alloc` and `std` bring their crates back (see the README's "Features").
#![no_std]
// No `unsafe` anywhere but the SIMD kernels of `order::simd`, the one module that allows it;
// there, every block says why it is sound and every `unsafe fn` states its contract.
#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]
#![deny(missing_docs)]

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
