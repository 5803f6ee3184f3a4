//! [`ErrorKind`]: every way a call of the crate can fail, with the numbers its caller needs,
//! and how each reads as a line of text.

#[cfg(feature = "alloc")]
use crate::prelude::*;
#[cfg(feature = "alloc")]
use alloc::borrow::Cow;
use core::fmt;

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
    /// [`Error::is_incomplete`](crate::Error::is_incomplete) is true.
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
    /// never truncated. The field is named by the error's [`field`](crate::Error::field).
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
    /// or a clean close). Needs `std`. The `std::io::Error` itself is the [`Error`](crate::Error)'s
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
