//! One error type for the whole crate: what went wrong, and where.
//!
//! [`Error`] pairs an [`ErrorKind`] (what went wrong, with the numbers a caller needs: byte
//! offsets, expected and available counts, the limit that was hit) with an optional field path
//! (`header.len`, `items[3]`) naming where in a record it happened.
//!
//! The most important question a decoder's caller asks is answered by
//! [`Error::is_incomplete`]: *would more input help?* "Need more bytes" is a different answer
//! from "these bytes are wrong".
//!
//! ```
//! use netorder::{Endian, IntEncoding};
//!
//! // A varint whose continuation bit promises another byte: more input would help.
//! let err = IntEncoding::Varint.decode(&[0x80]).unwrap_err();
//! assert!(err.is_incomplete());
//!
//! // An overlong varint (0 written in two bytes): no amount of input fixes that.
//! let err = IntEncoding::Varint.decode(&[0x80, 0x00]).unwrap_err();
//! assert!(!err.is_incomplete());
//! assert_eq!(err.offset(), Some(0));
//! ```

#[cfg(feature = "alloc")]
use crate::prelude::*;
#[cfg(feature = "alloc")]
use alloc::borrow::Cow;
use core::fmt;

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

/// What went wrong. Every variant carries the numbers a caller needs to act on it.
///
/// Offsets are byte offsets from the start of the input the failing call was given.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    // ----- input ran out: more bytes would help -------------------------------------------
    /// The input ended inside a value: `needed` bytes are required at `offset` and only
    /// `available` are there. For encodings whose length is only known as they are read
    /// (varint, ASCII), `needed` is a lower bound (`available + 1`). The only kind for which
    /// [`Error::is_incomplete`] is true.
    Incomplete {
        /// Where the value starts.
        offset: usize,
        /// Bytes required from `offset` (at least).
        needed: usize,
        /// Bytes present from `offset`.
        available: usize,
    },
    /// A stream ended (the peer closed, the file ended) inside a record or frame: `expected`
    /// bytes were announced or required, `received` arrived. Unlike `Incomplete`, no more input
    /// can come. A close at a record boundary is not an error at all.
    Truncated {
        /// Bytes the record or frame needed.
        expected: usize,
        /// Bytes that arrived before the end.
        received: usize,
    },

    // ----- the bytes are wrong ------------------------------------------------------------
    /// A whole value was decoded but `remaining` bytes followed it at `offset`, where the
    /// input should have ended.
    TrailingBytes {
        /// Where the unexpected bytes start (= bytes consumed).
        offset: usize,
        /// How many bytes were left over.
        remaining: usize,
    },
    /// A non-canonical varint: `len` bytes where fewer encode the same value (`80 00` for 0).
    Overlong {
        /// Where the varint starts.
        offset: usize,
        /// Its length in bytes.
        len: usize,
    },
    /// The encoded value does not fit `bits` bits (a varint past `u64::MAX`, more than 20 ASCII
    /// digits, a value too large for the target integer type).
    Overflow {
        /// Where the value starts.
        offset: usize,
        /// Width of the target type in bits.
        bits: u32,
    },
    /// A byte that is not allowed here (a non-digit in ASCII, a missing terminator, a sign).
    InvalidByte {
        /// Where the byte is.
        offset: usize,
        /// The byte found.
        byte: u8,
        /// What was allowed there, in words.
        expected: &'static str,
    },
    /// A decimal number with a leading zero (`007`): only `0` itself may start with `0`.
    LeadingZero {
        /// Where the number starts.
        offset: usize,
    },
    /// `-0`: zero has no sign in the canonical form.
    NegativeZero {
        /// Where the number starts.
        offset: usize,
    },
    /// A bool byte other than 0 or 1.
    InvalidBool {
        /// Where the byte is.
        offset: usize,
        /// The byte found.
        byte: u8,
    },
    /// An `Option` tag other than 0 (None) or 1 (Some).
    InvalidTag {
        /// Where the tag is.
        offset: usize,
        /// The tag found.
        tag: u8,
    },
    /// An enum variant index the type does not have.
    InvalidVariant {
        /// Where the index is.
        offset: usize,
        /// The index found.
        index: u64,
    },
    /// A `char` that is not a Unicode scalar value (a surrogate or past `0x10FFFF`), or not a
    /// single well-formed UTF-8 character.
    InvalidChar {
        /// Where the char starts.
        offset: usize,
        /// The code point (or the raw bytes, big-endian, when they are not UTF-8).
        value: u32,
    },
    /// A string that is not UTF-8.
    InvalidUtf8 {
        /// Where the string's bytes start.
        offset: usize,
        /// Bytes that were valid UTF-8 before the first bad one.
        valid_up_to: usize,
    },
    /// A length (a length prefix, a sequence count) over the configured limit. Checked before
    /// anything is allocated.
    LengthLimit {
        /// Where the length was read.
        offset: usize,
        /// The length announced.
        len: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A length field whose value the length adjustment takes below zero (or, for a frame
    /// handed out from byte 0 of its head, to an empty frame that would never end): tokio-util's
    /// "provided length would overflow after adjustment". Going out: a payload shorter than
    /// a positive adjustment (offset 0).
    LengthAdjustment {
        /// Where the length field was read.
        offset: usize,
        /// The field's raw value (going out: the payload's length).
        len: u64,
        /// The length adjustment in force.
        adjustment: i64,
    },
    /// A frame's checksum trailer does not match its bytes: the frame is not delivered.
    ChecksumMismatch {
        /// The checksum the trailer holds (what the sender computed).
        expected: u32,
        /// The checksum of the bytes received.
        computed: u32,
        /// Where the trailer is.
        offset: usize,
    },
    /// Values nested deeper than the configured limit.
    DepthLimit {
        /// Where the value that went too deep starts.
        offset: usize,
        /// The limit in force.
        limit: usize,
    },

    // ----- the value cannot be written ----------------------------------------------------
    /// The output buffer is too small: `needed` bytes, `available` there.
    BufferTooSmall {
        /// Bytes the write needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// An integer does not fit the field or width it is written to.
    OutOfRange {
        /// The value.
        value: i128,
        /// Smallest value that fits.
        min: i128,
        /// Largest value that fits.
        max: i128,
    },
    /// An integer that does not fit its bit field (`#[netorder(bits = N)]`, or a bit field of
    /// a `Layout`): it would need more than `bits` bits. Values are
    /// never truncated. The field is named by the error's [`field`](Error::field).
    BitsOutOfRange {
        /// The value.
        value: i128,
        /// The width of the field in bits (its values are `0..=2^bits - 1`).
        bits: u32,
    },
    /// A float too large for its field (a `struct` `e` or `f` field).
    FloatOutOfRange {
        /// The value.
        value: f64,
        /// The largest finite value of the field.
        max: f64,
    },
    /// A width outside what the operation supports (a fixed-width integer of 0 or 9 bytes).
    InvalidWidth {
        /// The width asked for.
        width: usize,
        /// Smallest supported width.
        min: usize,
        /// Largest supported width.
        max: usize,
    },
    /// Two slices whose lengths must match do not (a bulk copy between `[u32]` and `[u8]`).
    LengthMismatch {
        /// The length required.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A frame too long for its length field or for the configured maximum.
    FrameTooLong {
        /// The frame's length.
        len: u64,
        /// The largest length allowed.
        max: u64,
    },
    /// An outgoing payload holds its framing's delimiter: it would end the frame early.
    DelimiterInPayload {
        /// Where the delimiter starts in the payload.
        offset: usize,
    },
    /// A framing that cannot frame anything (an impossible combination of length field
    /// settings): `reason` says which.
    InvalidFraming {
        /// What is wrong, in words.
        reason: &'static str,
    },
    /// A type whose encoded size depends on its value, where a fixed size was required;
    /// `what` names the construct (`Vec`, `String`, `Option`...).
    VariableSize {
        /// What varies.
        what: &'static str,
    },
    /// A construct this format cannot represent (e.g. self-describing `deserialize_any`).
    Unsupported {
        /// What was asked for.
        what: &'static str,
    },

    // ----- schemas and dynamic values -----------------------------------------------------
    /// A bad Python `struct` format string.
    BadFormat {
        /// Character position in the format string.
        position: usize,
        /// What is wrong, in words.
        reason: &'static str,
    },
    /// The number of values does not match the number of fields.
    ValueCount {
        /// Values the layout needs.
        expected: usize,
        /// Values given.
        received: usize,
    },
    /// A value of the wrong kind for its field (text for an integer field, say). Needs
    /// `alloc` (it comes from [`Layout`](crate::layout::Layout)).
    #[cfg(feature = "alloc")]
    TypeMismatch {
        /// What the field takes.
        expected: &'static str,
        /// What was given.
        found: Cow<'static, str>,
    },

    /// A framing name that is not one of those accepted (`Framing`'s `FromStr`). Needs
    /// `alloc`.
    #[cfg(feature = "alloc")]
    BadFraming {
        /// The text given.
        name: Box<str>,
        /// What is accepted, in words.
        accepted: &'static str,
    },

    // ----- everything else ----------------------------------------------------------------
    /// An I/O error from the operating system (not an end of stream: those are `Truncated`,
    /// or a clean close). Needs `std`. The `std::io::Error` itself is the [`Error`]'s
    /// [`source`](core::error::Error::source).
    #[cfg(feature = "std")]
    Io {
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
        /// The operating system's message (with what was being done, where that helps).
        message: Box<str>,
    },
    /// A message from serde (a custom error raised by a `Serialize` or `Deserialize` impl).
    /// Needs `alloc`; without it such an error is [`ErrorKind::Unsupported`] with `what` naming
    /// a custom error.
    #[cfg(feature = "alloc")]
    Message(Box<str>),
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

fn plural(n: impl Into<u128>) -> &'static str {
    if n.into() == 1 { "" } else { "s" }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            Incomplete {
                offset,
                needed,
                available,
            } => write!(
                f,
                "incomplete input at byte {offset}: need {needed} byte{}, have {available}",
                plural(*needed as u128)
            ),
            Truncated { expected, received } => write!(
                f,
                "truncated: expected {expected} byte{}, received {received} before the end",
                plural(*expected as u128)
            ),
            TrailingBytes { offset, remaining } => write!(
                f,
                "{remaining} trailing byte{} at byte {offset} after a complete value",
                plural(*remaining as u128)
            ),
            Overlong { offset, len } => write!(
                f,
                "overlong varint at byte {offset}: {len} bytes where fewer encode the same value"
            ),
            Overflow { offset, bits } => {
                write!(f, "value at byte {offset} does not fit in {bits} bits")
            }
            InvalidByte {
                offset,
                byte,
                expected,
            } => {
                write!(
                    f,
                    "invalid byte 0x{byte:02x} at byte {offset} (expected {expected})"
                )
            }
            LeadingZero { offset } => {
                write!(f, "leading zero in number at byte {offset} (not canonical)")
            }
            NegativeZero { offset } => write!(f, "negative zero at byte {offset} (not canonical)"),
            InvalidBool { offset, byte } => {
                write!(
                    f,
                    "invalid bool at byte {offset}: 0x{byte:02x} (expected 0 or 1)"
                )
            }
            InvalidTag { offset, tag } => write!(
                f,
                "invalid Option tag at byte {offset}: 0x{tag:02x} (expected 0 or 1)"
            ),
            InvalidVariant { offset, index } => {
                write!(f, "invalid enum variant index {index} at byte {offset}")
            }
            InvalidChar { offset, value } => {
                write!(f, "invalid char at byte {offset}: 0x{value:x}")
            }
            InvalidUtf8 {
                offset,
                valid_up_to,
            } => write!(
                f,
                "invalid UTF-8 in string at byte {offset} (valid up to {valid_up_to} bytes)"
            ),
            LengthLimit { offset, len, limit } => write!(
                f,
                "length {len} at byte {offset} is over the limit of {limit}"
            ),
            LengthAdjustment {
                offset,
                len,
                adjustment,
            } => write!(
                f,
                "length {len} at byte {offset} with the length adjustment {adjustment} gives no \
                 frame (below zero, or an empty frame that never ends)"
            ),
            ChecksumMismatch {
                expected,
                computed,
                offset,
            } => write!(
                f,
                "checksum mismatch at byte {offset}: the trailer says {expected:#010x}, the \
                 frame's bytes give {computed:#010x}"
            ),
            DepthLimit { offset, limit } => {
                write!(
                    f,
                    "nesting deeper than the limit of {limit} at byte {offset}"
                )
            }
            BufferTooSmall { needed, available } => write!(
                f,
                "output buffer too small: need {needed} byte{}, have {available}",
                plural(*needed as u128)
            ),
            OutOfRange { value, min, max } => {
                write!(f, "value {value} out of range {min}..={max}")
            }
            BitsOutOfRange { value, bits } => write!(
                f,
                "value {value} out of range for {bits} bit{} (0..={})",
                plural(*bits),
                if *bits >= 128 {
                    u128::MAX
                } else {
                    (1u128 << bits) - 1
                }
            ),
            FloatOutOfRange { value, max } => write!(
                f,
                "value {} out of range (largest finite value {})",
                Short(*value),
                Short(*max)
            ),
            InvalidWidth { width, min, max } => {
                write!(f, "invalid width {width} (supported: {min} to {max})")
            }
            LengthMismatch { expected, actual } => {
                write!(f, "length mismatch: expected {expected}, got {actual}")
            }
            FrameTooLong { len, max } => {
                write!(f, "frame of {len} bytes is too long (at most {max})")
            }
            DelimiterInPayload { offset } => write!(
                f,
                "the payload holds the framing's delimiter at byte {offset}"
            ),
            InvalidFraming { reason } => write!(f, "invalid framing: {reason}"),
            VariableSize { what } => {
                write!(
                    f,
                    "size varies with the value ({what}); a fixed size is required"
                )
            }
            Unsupported { what } => write!(f, "not supported: {what}"),
            BadFormat { position, reason } => {
                write!(f, "bad struct format at position {position}: {reason}")
            }
            ValueCount { expected, received } => {
                write!(
                    f,
                    "expected {expected} value{}, received {received}",
                    plural(*expected as u128)
                )
            }
            #[cfg(feature = "alloc")]
            TypeMismatch { expected, found } => write!(f, "expected {expected}, found {found}"),
            #[cfg(feature = "alloc")]
            BadFraming { name, accepted } => {
                write!(f, "bad framing `{name}` (accepted: {accepted})")
            }
            #[cfg(feature = "std")]
            Io { message, .. } => write!(f, "I/O error: {message}"),
            #[cfg(feature = "alloc")]
            Message(m) => f.write_str(m),
        }
    }
}

/// A float in the shortest form that reads back exactly, with an exponent only where plain
/// digits would be long (`65520`, `1e300`, `3.4028234663852886e38`).
struct Short(f64);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        if a.is_finite() && a != 0.0 && !(1e-4..1e16).contains(&a) {
            write!(f, "{:e}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
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
mod tests {
    use super::*;
    #[allow(unused_imports)] // in scope already with `alloc`
    use crate::prelude::*;

    /// With `alloc` an error is one pointer, so results stay small on the success path
    /// (a regression here showed as the derived record decoder slowing by a third).
    #[test]
    #[cfg(feature = "alloc")]
    fn an_error_is_one_pointer() {
        use core::mem::size_of;
        assert_eq!(size_of::<Error>(), size_of::<usize>());
        assert_eq!(size_of::<Result<usize, Error>>(), 2 * size_of::<usize>());
        assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
    }

    #[test]
    fn incomplete_is_the_only_incomplete_kind() {
        let inc = Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: 4,
            available: 1,
        });
        assert!(inc.is_incomplete());
        assert_eq!(inc.needed_more(), Some(3));
        let trunc = Error::new(ErrorKind::Truncated {
            expected: 4,
            received: 1,
        });
        assert!(!trunc.is_incomplete());
        assert_eq!(trunc.needed_more(), None);
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn display_names_numbers_and_field() {
        let e = Error::new(ErrorKind::Truncated {
            expected: 16,
            received: 5,
        })
        .with_field("hdr");
        assert_eq!(
            e.to_string(),
            "field `hdr`: truncated: expected 16 bytes, received 5 before the end"
        );
        let e = Error::new(ErrorKind::LengthLimit {
            offset: 2,
            len: u64::MAX,
            limit: 1 << 20,
        });
        assert_eq!(
            e.to_string(),
            format!("length {} at byte 2 is over the limit of 1048576", u64::MAX)
        );
    }

    #[test]
    fn float_out_of_range_stays_short() {
        let e = |value| {
            ErrorKind::FloatOutOfRange {
                value,
                max: f32::MAX as f64,
            }
            .to_string()
        };
        assert_eq!(
            e(1e300),
            "value 1e300 out of range (largest finite value 3.4028234663852886e38)"
        );
        assert_eq!(
            e(65520.0),
            "value 65520 out of range (largest finite value 3.4028234663852886e38)"
        );
        assert_eq!(
            e(-3.4028235677973366e38),
            "value -3.4028235677973366e38 out of range (largest finite value 3.4028234663852886e38)"
        );
    }

    #[test]
    fn offset_by_shifts_and_saturates() {
        let e = Error::new(ErrorKind::Overlong { offset: 2, len: 3 }).offset_by(5);
        assert_eq!(e.offset(), Some(7));
        let e = Error::new(ErrorKind::Overlong {
            offset: usize::MAX,
            len: 3,
        })
        .offset_by(5);
        assert_eq!(e.offset(), Some(usize::MAX));
        let e = Error::new(ErrorKind::BufferTooSmall {
            needed: 1,
            available: 0,
        })
        .offset_by(5);
        assert_eq!(e.offset(), None);
    }

    #[cfg(feature = "std")]
    #[test]
    fn io_errors_keep_kind_and_message() {
        let e: Error = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset").into();
        assert!(matches!(
            e.kind(),
            ErrorKind::Io {
                kind: std::io::ErrorKind::ConnectionReset,
                ..
            }
        ));
        assert_eq!(e.to_string(), "I/O error: reset");
    }

    #[cfg(feature = "std")]
    #[test]
    fn io_errors_keep_the_io_error_as_source() {
        use core::error::Error as _;
        use std::io;
        let inner = io::Error::other(Error::new(ErrorKind::LeadingZero { offset: 1 }));
        let e = Error::io(inner, "reading the record (expected 4 bytes, received 1)");
        assert_eq!(
            e.to_string(),
            "I/O error: reading the record (expected 4 bytes, received 1)"
        );
        let io = e.source().unwrap().downcast_ref::<io::Error>().unwrap();
        assert_eq!(io.kind(), io::ErrorKind::Other);
        // The chain goes on through the io::Error.
        assert_eq!(
            io.get_ref().unwrap().to_string(),
            "leading zero in number at byte 1 (not canonical)"
        );
        // Clone, and compared by kind, message, path and the I/O error's kind and message.
        let copy = e.clone();
        assert_eq!(copy, e);
        assert!(copy.source().is_some());
        let other = Error::io(
            io::Error::other("something else"),
            "reading the record (expected 4 bytes, received 1)",
        );
        assert_ne!(other, e);
        let plain = Error::new(e.kind().clone());
        assert_ne!(plain, e);
        assert!(plain.source().is_none());
    }
}
