//! Views: a derived record read and written in place, without a copy.
//!
//! `#[derive(FixedRecord)]` on a struct with named fields and no generics also generates two
//! view types beside it, with the struct's visibility:
//!
//! - `NameView<'a>` over `&'a [u8]` (`Clone`, `Copy`, `Debug`): `new(bytes)` checks the length
//!   (fewer than `SIZE` bytes is [`ErrorKind::Incomplete`]) and the record's validity once (a
//!   `bool` that is not 0 or 1, an enum bit field that is no variant: the error `fixed::from_bytes`
//!   gives); then a getter per field, named as the field, reads it in place: one load at a
//!   constant offset and a byte swap (a bit field adds its shift and mask), with no bounds
//!   check and no error path. `payload()` is the bytes after the record, `as_bytes()` the
//!   record's own, `to_record()` the whole record decoded.
//! - `NameViewMut<'a>` over `&'a mut [u8]`: the same, plus a setter per field, `set_field`.
//!   A setter of a bit field, or of a field whose type is another record, returns a `Result`
//!   and refuses a value that does not fit ([`ErrorKind::BitsOutOfRange`]) without writing
//!   anything; a setter of a number, `bool` or array of them cannot fail and returns `()`.
//!   `payload_mut()`, `as_view()` and `set_record(&value)` complete it.
//!
//! A field named like one of the views' own methods (`new`, `payload`, `payload_mut`,
//! `as_bytes`, `to_record`, `as_view`, `set_record`, or `record`, whose setter would be
//! `set_record`) is refused at compile time.
//!
//! ```
//! use netorder::record::FixedRecord;
//!
//! /// The UDP header (RFC 768).
//! #[derive(FixedRecord, Debug, PartialEq)]
//! struct Udp { source_port: u16, destination_port: u16, length: u16, checksum: u16 }
//!
//! let mut datagram = [0x96, 0x43, 0x82, 0xf2, 0x00, 0x0c, 0x00, 0x00, b'h', b'i', b'!', b'!'];
//! let view = UdpView::new(&datagram)?;
//! assert_eq!((view.source_port(), view.length()), (0x9643, 12));
//! assert_eq!(view.payload(), b"hi!!");
//!
//! let mut udp = UdpViewMut::new(&mut datagram)?;
//! udp.set_destination_port(53);
//! udp.payload_mut()[3] = b'?';
//! assert_eq!(datagram[2..4], [0, 53]);
//! assert_eq!(&datagram[8..], b"hi!?");
//!
//! // Fewer bytes than the header: more input would help.
//! let err = UdpView::new(&datagram[..7]).unwrap_err();
//! assert_eq!(err.kind(), &netorder::ErrorKind::Incomplete { offset: 0, needed: 8, available: 7 });
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! A bit field's setter refuses what does not fit:
//!
//! ```
//! use netorder::{ErrorKind, record::FixedRecord};
//!
//! #[derive(FixedRecord)]
//! struct VersionIhl { #[netorder(bits = 4)] version: u8, #[netorder(bits = 4)] ihl: u8 }
//!
//! let mut byte = [0x45];
//! let mut v = VersionIhlViewMut::new(&mut byte)?;
//! v.set_ihl(6)?;
//! let err = v.set_ihl(16).unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::BitsOutOfRange { value: 16, bits: 4 });
//! assert_eq!(err.field(), Some("ihl"));
//! assert_eq!(byte, [0x46]);
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! A field that clashes with a view's method does not compile, unless the struct asks for no
//! views (`#[netorder(no_views)]`, which also keeps a name `NameView` free):
//!
//! ```compile_fail
//! #[derive(netorder::record::FixedRecord)]
//! struct Clash { payload: u16 }
//! ```
//!
//! ```
//! #[derive(netorder::record::FixedRecord)]
//! #[netorder(no_views)]
//! struct Frame { length: u16, payload: [u8; 6] }
//! struct FrameView; // a name of the user's own
//! assert_eq!(<Frame as netorder::record::FixedRecord>::SIZE, 8);
//! ```

#[cfg(doc)]
use crate::error::ErrorKind;
