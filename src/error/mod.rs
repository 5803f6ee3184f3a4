//! One error type for the whole crate: what went wrong, and where.
//!
//! [`Error`] pairs an [`ErrorKind`] (what went wrong, with the numbers a caller needs: byte
//! offsets, expected and available counts, the limit that was hit) with an optional field path
//! (`header.len`, `items[3]`) naming where in a record it happened.
//!
//! # "Need more bytes" is not "these bytes are wrong"
//!
//! Every decoder tells the two apart, in one of two ways, by the shape of its input:
//!
//! - **An exact slice** (the whole value must be in the bytes given): running out is an
//!   `Err` of kind [`ErrorKind::Incomplete`], the one kind for which [`Error::is_incomplete`]
//!   is true, with the offset and the bytes needed and available. These are [`ntoh_read`],
//!   [`read_int`], [`IntEncoding::decode`] and the `decode` of every `int` module,
//!   [`from_bytes`], [`take_from_bytes`] and [`Config`]'s decoders, `record::fixed::from_bytes`,
//!   the derive's views, and `Layout::unpack`. (`record::fixed::read_slice` takes a count of
//!   records from its caller, so a length that does not match is `LengthMismatch`.)
//! - **A stream** (bytes keep arriving, so "not yet" is a normal answer): running out is a
//!   *status* in `Ok`, never an error. [`decode_frame`] and `FrameDecoder::decode` answer
//!   [`Decoded::Need`], `FrameDecoder::next_frame`, `Conn::recv*` and the tokio codecs
//!   `Ok(None)`, `NonBlockingConn::try_recv_frame` `Received::WouldBlock`, and
//!   `int::varint::decode_batch` stops before a value the input cuts off. When the stream
//!   *ends*, a close at a record or frame boundary is again not an error (`Ok(None)`,
//!   `Received::Closed`, `recv_exact` returning `false`), and a close inside one is
//!   [`ErrorKind::Truncated`] with the expected and received counts.
//!
//! ```
//! use netorder::frame::{Decoded, Framing, decode_frame};
//! use netorder::{ErrorKind, IntEncoding};
//!
//! // An exact slice: a varint whose continuation bit promises another byte.
//! let err = IntEncoding::Varint.decode(&[0x80]).unwrap_err();
//! assert!(err.is_incomplete());
//! // An overlong varint (0 written in two bytes): no amount of input fixes that.
//! let err = IntEncoding::Varint.decode(&[0x80, 0x00]).unwrap_err();
//! assert!(!err.is_incomplete());
//! assert_eq!(err.offset(), Some(0));
//!
//! // A stream: half a frame is a status, a prefix past the maximum an error.
//! assert_eq!(decode_frame(Framing::U16, b"\x00\x05hel")?, Decoded::Need(2));
//! let err = decode_frame(Framing::U16.with_max_frame_len(4), b"\x00\x05").unwrap_err();
//! assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 5, limit: 4 });
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! [`ntoh_read`]: crate::ntoh_read
//! [`read_int`]: crate::read_int
//! [`IntEncoding::decode`]: crate::IntEncoding::decode
//! [`from_bytes`]: crate::from_bytes
//! [`take_from_bytes`]: crate::take_from_bytes
//! [`Config`]: crate::Config
//! [`decode_frame`]: crate::frame::decode_frame
//! [`Decoded::Need`]: crate::frame::Decoded::Need

#[cfg(feature = "alloc")]
use crate::prelude::*;
use core::fmt;

mod kind;
pub use kind::ErrorKind;

/// The crate's error: an [`ErrorKind`] and, when it happened inside a record, the path of the
/// field (`header.len`, `items[3]`).
///
/// Field paths are text and need the `alloc` feature: without it [`Error::field`] is always
/// `None` (the byte offset still says where).
///
/// With `alloc` an `Error` is one pointer (its kind and path are boxed, allocated only when an
/// error happens), so a `Result<T, Error>` costs a word beside `T` and a `Result<usize, Error>`
/// comes back in registers. Without `alloc` it holds its parts inline.
///
/// ```
/// use netorder::{ErrorKind, ntoh_read};
///
/// let err = ntoh_read::<u32>(&[1, 2]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Incomplete { offset: 0, needed: 4, available: 2 });
/// assert_eq!(err.to_string(), "incomplete input at byte 0: need 4 bytes, have 2");
/// ```
#[derive(Clone, PartialEq)]
pub struct Error(Held);

/// How an [`Error`] holds its parts: boxed with `alloc`, so that a `Result<T, Error>` is no
/// bigger than `T` and a word, and comes back in registers when `T` is small; without an
/// allocator, inline.
#[cfg(feature = "alloc")]
type Held = Box<Shell>;
/// Without an allocator, inline.
#[cfg(not(feature = "alloc"))]
type Held = Parts;

/// The boxed parts, dropped out of line: what a caller inlines to drop an unused `Err` is a
/// cold call and the box's free, not the whole error's drop (its strings, its shared I/O
/// error), which costs registers on the success path. Measured under callgrind once an `Arc`
/// was part of the error and dropped inline: the derive path's decoder 33 -> 48 instructions
/// a record, a varint decode 56 -> 62; with this, 33 and 56. `None` only while being dropped
/// (or after `into_kind`). (An `Option` around the box instead would take the box's niche:
/// `Result<(), Error>` would be two words.)
#[cfg(feature = "alloc")]
#[derive(Clone, PartialEq)]
struct Shell(Option<Parts>);

/// What an emptied `Shell` shows (nothing can see one).
#[cfg(feature = "alloc")]
static DROPPED: Parts = Parts {
    kind: ErrorKind::Unsupported {
        what: "an error that was dropped",
    },
    field: None,
    #[cfg(feature = "std")]
    source: None,
};

#[cfg(feature = "alloc")]
impl core::ops::Deref for Shell {
    type Target = Parts;
    #[inline]
    fn deref(&self) -> &Parts {
        self.0.as_ref().unwrap_or(&DROPPED)
    }
}

#[cfg(feature = "alloc")]
impl core::ops::DerefMut for Shell {
    fn deref_mut(&mut self) -> &mut Parts {
        self.0.get_or_insert_with(|| DROPPED.clone())
    }
}

#[cfg(feature = "alloc")]
impl Drop for Shell {
    #[inline]
    fn drop(&mut self) {
        drop_parts(self.0.take());
    }
}

#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
fn drop_parts(parts: Option<Parts>) {
    drop(parts);
}

/// An [`Error`]'s kind and field path, and the I/O error behind an [`ErrorKind::Io`].
#[derive(Clone)]
struct Parts {
    kind: ErrorKind,
    #[cfg(feature = "alloc")]
    field: Option<Box<str>>,
    /// What [`Error::source`](core::error::Error::source) returns. Shared, so that an
    /// `Error` stays `Clone`.
    #[cfg(feature = "std")]
    source: Option<std::sync::Arc<std::io::Error>>,
}

/// Two errors are equal when their kinds and paths are, and their I/O errors (if any) have the
/// same kind and message: an `std::io::Error` itself is not comparable.
impl PartialEq for Parts {
    fn eq(&self, other: &Self) -> bool {
        #[cfg(feature = "alloc")]
        if self.field != other.field {
            return false;
        }
        #[cfg(feature = "std")]
        {
            let io = |p: &Parts| p.source.as_ref().map(|e| (e.kind(), e.to_string()));
            if io(self) != io(other) {
                return false;
            }
        }
        self.kind == other.kind
    }
}

/// Matches the kinds that carry a byte offset (listed once, here), binding it to `$off`.
macro_rules! match_offset {
    ($kind:expr, $off:ident => $some:expr, $none:expr) => {{
        use ErrorKind::*;
        match $kind {
            Incomplete { offset: $off, .. }
            | TrailingBytes { offset: $off, .. }
            | Overlong { offset: $off, .. }
            | Overflow { offset: $off, .. }
            | InvalidByte { offset: $off, .. }
            | LeadingZero { offset: $off }
            | NegativeZero { offset: $off }
            | InvalidBool { offset: $off, .. }
            | InvalidTag { offset: $off, .. }
            | InvalidVariant { offset: $off, .. }
            | InvalidChar { offset: $off, .. }
            | InvalidUtf8 { offset: $off, .. }
            | LengthLimit { offset: $off, .. }
            | LengthAdjustment { offset: $off, .. }
            | ChecksumMismatch { offset: $off, .. }
            | DepthLimit { offset: $off, .. } => $some,
            _ => $none,
        }
    }};
}

impl Error {
    /// An error of this kind, with no field path.
    ///
    /// ```
    /// use netorder::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::LeadingZero { offset: 3 });
    /// assert_eq!(e.offset(), Some(3));
    /// ```
    #[cold]
    #[inline(never)]
    pub fn new(kind: ErrorKind) -> Self {
        let parts = Parts {
            kind,
            #[cfg(feature = "alloc")]
            field: None,
            #[cfg(feature = "std")]
            source: None,
        };
        #[cfg(feature = "alloc")]
        return Error(Box::new(Shell(Some(parts))));
        #[cfg(not(feature = "alloc"))]
        Error(parts)
    }

    /// What went wrong.
    ///
    /// ```
    /// use netorder::{ErrorKind, IntEncoding};
    /// let e = IntEncoding::Varint.decode(&[]).unwrap_err();
    /// assert!(matches!(e.kind(), ErrorKind::Incomplete { needed: 1, available: 0, .. }));
    /// ```
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Consumes the error, returning its kind.
    ///
    /// ```
    /// use netorder::{ErrorKind, IntEncoding};
    /// let e = IntEncoding::Varint.decode(&[0x80, 0x00]).unwrap_err();
    /// assert_eq!(e.into_kind(), ErrorKind::Overlong { offset: 0, len: 2 });
    /// ```
    pub fn into_kind(self) -> ErrorKind {
        #[cfg(feature = "alloc")]
        {
            let mut shell = self.0;
            match shell.0.take() {
                Some(parts) => parts.kind,
                None => DROPPED.kind.clone(),
            }
        }
        #[cfg(not(feature = "alloc"))]
        self.0.kind
    }

    /// Whether more input would help: true only for [`ErrorKind::Incomplete`].
    ///
    /// ```
    /// use netorder::IntEncoding;
    /// assert!(IntEncoding::Ascii { terminator: b'\n' }.decode(b"12").unwrap_err().is_incomplete());
    /// assert!(!IntEncoding::Ascii { terminator: b'\n' }.decode(b"1x").unwrap_err().is_incomplete());
    /// ```
    pub fn is_incomplete(&self) -> bool {
        matches!(self.0.kind, ErrorKind::Incomplete { .. })
    }

    /// For an incomplete input, how many more bytes are needed at least (`needed - available`);
    /// `None` for every other error.
    ///
    /// ```
    /// use netorder::ntoh_read;
    /// assert_eq!(ntoh_read::<u64>(&[0; 5]).unwrap_err().needed_more(), Some(3));
    /// ```
    pub fn needed_more(&self) -> Option<usize> {
        match self.0.kind {
            ErrorKind::Incomplete {
                needed, available, ..
            } => Some(needed.saturating_sub(available)),
            _ => None,
        }
    }

    /// The byte offset the error refers to, if it refers to one.
    ///
    /// ```
    /// use netorder::IntEncoding;
    /// let e = IntEncoding::Ascii { terminator: b'\n' }.decode(b"12x").unwrap_err();
    /// assert_eq!(e.offset(), Some(2));
    /// ```
    pub fn offset(&self) -> Option<usize> {
        match_offset!(self.0.kind, offset => Some(offset), None)
    }

    /// The path of the field where the error happened (`header.len`, `items[3]`), if known.
    ///
    /// ```
    /// use netorder::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::InvalidBool { offset: 4, byte: 2 }).with_field("flags.up");
    /// assert_eq!(e.field(), Some("flags.up"));
    /// assert_eq!(e.to_string(), "field `flags.up`: invalid bool at byte 4: 0x02 (expected 0 or 1)");
    /// ```
    pub fn field(&self) -> Option<&str> {
        #[cfg(feature = "alloc")]
        return self.0.field.as_deref();
        #[cfg(not(feature = "alloc"))]
        None
    }

    /// Sets the field path (replacing any earlier one). Needs `alloc`.
    ///
    /// ```
    /// use netorder::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::LeadingZero { offset: 0 }).with_field("port");
    /// assert_eq!(e.field(), Some("port"));
    /// ```
    #[cfg(feature = "alloc")]
    pub fn with_field(mut self, field: impl Into<Box<str>>) -> Self {
        self.0.field = Some(field.into());
        self
    }

    /// Shifts every offset in the error by `base`: for a decoder that ran on a sub-slice
    /// starting at `base` of the caller's input.
    ///
    /// ```
    /// use netorder::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::LeadingZero { offset: 1 }).offset_by(10);
    /// assert_eq!(e.offset(), Some(11));
    /// ```
    pub fn offset_by(mut self, base: usize) -> Self {
        match_offset!(&mut self.0.kind, offset => *offset = offset.saturating_add(base), ());
        self
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

#[cfg(feature = "std")]
impl Error {
    /// An [`ErrorKind::Io`] for `e` whose message is `message` (the operating system's, with
    /// what was being done): `e` itself is the error's [`source`](core::error::Error::source).
    #[cold]
    pub(crate) fn io(e: std::io::Error, message: impl Into<Box<str>>) -> Self {
        let mut err = Error::new(ErrorKind::Io {
            kind: e.kind(),
            message: message.into(),
        });
        err.0.source = Some(std::sync::Arc::new(e));
        err
    }
}

/// An [`ErrorKind::Io`] with the I/O error's kind and message, and the I/O error itself as
/// its [`source`](core::error::Error::source).
///
/// ```
/// use std::error::Error as _;
/// let e: netorder::Error = std::io::Error::new(std::io::ErrorKind::TimedOut, "slow").into();
/// assert_eq!(e.to_string(), "I/O error: slow");
/// let io = e.source().unwrap().downcast_ref::<std::io::Error>().unwrap();
/// assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
///
/// // An error that did not come from I/O has no source.
/// assert!(netorder::ntoh_read::<u16>(&[1]).unwrap_err().source().is_none());
/// ```
#[cfg(feature = "std")]
impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        let message = e.to_string();
        Error::io(e, message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind);
        if let Some(field) = self.field() {
            d.field("field", &field);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = self.field() {
            write!(f, "field `{field}`: ")?;
        }
        fmt::Display::fmt(&self.0.kind, f)
    }
}

/// `core::error::Error`, which is `std::error::Error` when the standard library is there. The
/// [`source`](core::error::Error::source) of an `ErrorKind::Io` is the `std::io::Error`.
impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        #[cfg(feature = "std")]
        if let Some(e) = &self.0.source {
            return Some(&**e);
        }
        None
    }
}

/// The crate's `Result`.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests;
