//! Layer 4a: framing without I/O. One frame value ([`Framing`]), one decoder ([`decode_frame`],
//! and [`FrameDecoder`] you feed bytes and take frames from), one encoder ([`encode_frame`],
//! [`encode_record`], [`encode_fixed`]).
//!
//! A *framing* says where one message ends and the next begins on a byte stream, and how long
//! a frame may be: every frame exactly `n` bytes ([`Framing::fixed`]), or a big-endian
//! `u16`/`u32` length prefix ([`Framing::U16`], [`Framing::U32`]), or a LEB128 varint prefix
//! ([`Framing::VARINT`]), or a general length field with tokio-util's `LengthDelimitedCodec`
//! semantics ([`Framing::length_delimited`], in `length.rs`), or a delimiter ([`Framing::LINES`],
//! [`Framing::delimited`], in `delimit.rs`); each with a maximum frame length
//! ([`Framing::with_max_frame_len`], 16 MiB by default) and optionally a checksum trailer
//! ([`Framing::with_checksum`], in `trailer.rs`). The text form (`u24le,adjust=-3+crc32c`) is in
//! `name.rs`. A `Framing` is a small `Copy` value, like tokio-util's
//! `length_delimited::Builder`: every framed endpoint of the crate (`Conn`, both servers,
//! `NonBlockingConn`, the tokio codecs) takes one and has no framing setting of its own, and
//! all of them decode and encode through this module, so they apply the same limits and give
//! the same errors.
//!
//! Nothing here does I/O (the shape of `httparse`): bytes go in, and each call answers one of
//! three things, kept apart: a frame ([`Decoded::Frame`]), "need `n` more bytes"
//! ([`Decoded::Need`]), or an error. A length prefix is checked against the maximum frame
//! length *before* any memory is set aside for the frame, and a decoder's buffer never grows
//! past that maximum plus the largest head and tail. Going out, a frame over the maximum is
//! [`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong), found before anything is
//! written.
//!
//! ```
//! use netorder::frame::{Framing, FrameDecoder, encode_frame};
//!
//! let mut wire = Vec::new();
//! encode_frame(Framing::U16, b"hello", &mut wire)?;
//! encode_frame(Framing::U16, b"", &mut wire)?;
//! assert_eq!(wire, b"\x00\x05hello\x00\x00");
//!
//! let mut decoder = FrameDecoder::new(Framing::U16);
//! let mut frames = Vec::new();
//! for byte in &wire {
//!     // Byte by byte or all at once: the same frames come out.
//!     assert_eq!(decoder.feed(std::slice::from_ref(byte)), 1);
//!     while let Some(frame) = decoder.next_frame()? {
//!         frames.push(frame.to_vec());
//!     }
//! }
//! assert_eq!(frames, [b"hello".to_vec(), Vec::new()]);
//! assert_eq!(decoder.decode_eof()?, None); // the stream ended at a frame boundary
//!
//! // Over the maximum frame length: refused going out as coming in.
//! let small = Framing::U16.with_max_frame_len(4);
//! let err = encode_frame(small, b"hello", &mut wire).unwrap_err();
//! assert_eq!(err.kind(), &netorder::ErrorKind::FrameTooLong { len: 5, max: 4 });
//! # Ok::<(), netorder::Error>(())
//! ```

// Without `alloc` the docs still name the `Vec` functions (they link with it).
#![cfg_attr(not(feature = "alloc"), allow(rustdoc::broken_intra_doc_links))]

mod decode;
mod delimit;
mod encode;
mod length;
mod name;
#[cfg(feature = "alloc")]
mod tail;
mod trailer;

#[cfg(feature = "alloc")]
pub use decode::FrameDecoder;
pub use decode::{Decoded, FrameSpan, decode_frame};
#[cfg(feature = "tokio")]
pub(crate) use decode::{decode_frame_from, scanned_after_need, truncated};
pub use delimit::Delimiter;
pub use encode::write_header;
#[cfg(feature = "alloc")]
pub use encode::{FrameBuf, encode_fixed, encode_frame, encode_header, encode_record};
#[cfg(feature = "std")]
pub(crate) use encode::{encode_fixed_ref, encode_record_ref, sealed};
pub use length::{LengthDelimited, LengthField, LengthFieldType};
#[cfg(feature = "std")]
pub(crate) use tail::envelope;
pub use trailer::Checksum;

use crate::int::varint;

/// The default largest frame every endpoint accepts and sends: 16 MiB.
pub const DEFAULT_MAX_FRAME_LEN: usize = 16 << 20;

/// Where one frame ends and the next begins, and how long a frame may be: the one value every
/// framed endpoint takes. `Copy`, built from constants and `const fn`s.
///
/// - [`Framing::fixed`]`(n)`, [`Framing::U16`], [`Framing::U32`], [`Framing::VARINT`]: the
///   kind of framing ([`Framing::kind`] gives it as an enum to match on);
/// - [`Framing::with_max_frame_len`]: the largest payload, coming in and going out (default
///   [`DEFAULT_MAX_FRAME_LEN`], 16 MiB).
///
/// Its text form is the command line's (`fixed:N`, `u16`, `u32`, `varint`: [`FromStr`](core::str::FromStr),
/// [`Display`](core::fmt::Display)); the maximum frame length is not part of it.
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, FramingKind, DEFAULT_MAX_FRAME_LEN}};
///
/// let framing = Framing::U32.with_max_frame_len(1024);
/// assert_eq!(framing.kind(), FramingKind::U32);
/// assert_eq!(framing.max_frame_len(), 1024);
/// assert_eq!(Framing::VARINT.max_frame_len(), DEFAULT_MAX_FRAME_LEN);
///
/// assert_eq!("u32".parse::<Framing>()?, Framing::U32);
/// assert_eq!("fixed:35".parse::<Framing>()?, Framing::fixed(35));
/// assert_eq!(Framing::from_name("fixed", 35)?, Framing::fixed(35));
/// assert_eq!(framing.to_string(), "u32");
/// // `fixed` alone does not say how long a frame is:
/// let err = "fixed".parse::<Framing>().unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::BadFraming { .. }), "{err}");
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Framing {
    kind: FramingKind,
    max_frame_len: usize,
    checksum: Option<Checksum>,
    /// The checksum trailer's length and the tail's (delimiter and trailer), kept so that the
    /// hot paths need not work them out from `kind` and `checksum` per frame.
    trailer: u8,
    tail: u8,
}

/// The kinds of [`Framing`], for a `match` ([`Framing::kind`]). More kinds may come, hence
/// `#[non_exhaustive]`.
///
/// ```
/// use netorder::frame::{Framing, FramingKind};
///
/// fn describe(framing: Framing) -> String {
///     match framing.kind() {
///         FramingKind::Fixed(n) => format!("{n} bytes each"),
///         FramingKind::U16 | FramingKind::U32 => "a big-endian length first".into(),
///         FramingKind::Varint => "a LEB128 length first".into(),
///         _ => "something else".into(),
///     }
/// }
/// assert_eq!(describe(Framing::fixed(6)), "6 bytes each");
/// assert_eq!(describe(Framing::VARINT), "a LEB128 length first");
/// assert_ne!(describe(Framing::U16), "6 bytes each");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FramingKind {
    /// Every frame is exactly this many bytes; nothing marks the boundaries. Must be at least 1.
    Fixed(usize),
    /// A big-endian `u16` length, then that many bytes (frames up to 65 535 bytes).
    U16,
    /// A big-endian `u32` length, then that many bytes (frames up to 4 GiB - 1).
    U32,
    /// An unsigned LEB128 length (canonical: no overlong forms), then that many bytes.
    Varint,
    /// A general length field, as tokio-util's `LengthDelimitedCodec` reads and writes it
    /// ([`Framing::length_delimited`]).
    LengthField(LengthField),
    /// The frame ends at a delimiter ([`Framing::delimited`], [`Framing::LINES`]).
    Delimited(Delimiter),
}

impl Framing {
    /// A big-endian `u16` length, then that many bytes (frames up to 65 535 bytes).
    ///
    /// ```
    /// use netorder::frame::{Framing, encode_frame};
    /// let mut out = Vec::new();
    /// encode_frame(Framing::U16, b"hi", &mut out)?;
    /// assert_eq!(out, b"\0\x02hi");
    /// assert!(encode_frame(Framing::U16, &[0; 65_536], &mut out).is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const U16: Framing = Framing::of(FramingKind::U16);

    /// A big-endian `u32` length, then that many bytes (frames up to 4 GiB - 1, and up to
    /// the maximum frame length).
    ///
    /// ```
    /// use netorder::frame::{Framing, encode_frame};
    /// let mut out = Vec::new();
    /// encode_frame(Framing::U32, b"hi", &mut out)?;
    /// assert_eq!(out, b"\0\0\0\x02hi");
    /// assert!(encode_frame(Framing::U32.with_max_frame_len(1), b"hi", &mut out).is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const U32: Framing = Framing::of(FramingKind::U32);

    /// An unsigned LEB128 length (canonical: no overlong forms), then that many bytes.
    ///
    /// ```
    /// use netorder::frame::{Framing, decode_frame};
    /// assert!(decode_frame(Framing::VARINT, b"\x02hi").is_ok());
    /// assert!(decode_frame(Framing::VARINT, b"\x80\x00").is_err()); // overlong
    /// ```
    pub const VARINT: Framing = Framing::of(FramingKind::Varint);

    /// Every frame is exactly `len` bytes, with nothing around it (Python's `struct` records
    /// on a stream). `len` must be at least 1: decoding `fixed(0)` is
    /// [`ErrorKind::InvalidWidth`](crate::ErrorKind::InvalidWidth).
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind, encode_frame};
    /// assert_eq!(Framing::fixed(6).kind(), FramingKind::Fixed(6));
    /// let mut out = Vec::new();
    /// encode_frame(Framing::fixed(2), b"ok", &mut out)?;
    /// assert!(encode_frame(Framing::fixed(2), b"not ok", &mut out).is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn fixed(len: usize) -> Framing {
        Framing::of(FramingKind::Fixed(len))
    }

    /// A framing of this kind with the default maximum frame length.
    const fn of(kind: FramingKind) -> Framing {
        Framing {
            kind,
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            checksum: None,
            trailer: 0,
            tail: match kind {
                FramingKind::Delimited(d) => d.len() as u8,
                _ => 0,
            },
        }
    }

    /// The same framing with another maximum frame length: the largest payload every
    /// endpoint accepts (a longer announced length is [`ErrorKind::LengthLimit`](crate::ErrorKind::LengthLimit), refused
    /// before anything is allocated for it) and sends (a longer outgoing payload is
    /// [`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong), refused before anything is written). For a general length
    /// field ([`Framing::length_delimited`]) it is tokio-util's `max_frame_length`: the largest
    /// raw field value coming in (before the adjustment), lowered to what the field can hold
    /// plus the adjustment, and the largest payload going out.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, decode_frame, encode_frame}};
    ///
    /// let framing = Framing::U16.with_max_frame_len(3);
    /// assert_eq!(framing.max_frame_len(), 3);
    /// let err = decode_frame(framing, &[0, 4]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 4, limit: 3 });
    /// let err = encode_frame(framing, b"four", &mut Vec::new()).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 4, max: 3 });
    /// ```
    #[must_use]
    pub const fn with_max_frame_len(mut self, max_frame_len: usize) -> Framing {
        self.max_frame_len = match self.kind {
            FramingKind::LengthField(field) => field.clamp_max(max_frame_len),
            _ => max_frame_len,
        };
        self
    }

    /// The largest payload accepted and sent.
    ///
    /// ```
    /// use netorder::frame::{Framing, DEFAULT_MAX_FRAME_LEN};
    /// assert_eq!(Framing::U16.max_frame_len(), DEFAULT_MAX_FRAME_LEN);
    /// assert_eq!(Framing::U16.with_max_frame_len(9).max_frame_len(), 9);
    /// assert_ne!(Framing::U16.with_max_frame_len(9), Framing::U16);
    /// ```
    pub const fn max_frame_len(&self) -> usize {
        self.max_frame_len
    }

    /// The kind of framing, to match on.
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// assert_eq!(Framing::VARINT.with_max_frame_len(9).kind(), FramingKind::Varint);
    /// assert_ne!(Framing::U16.kind(), FramingKind::U32);
    /// ```
    pub const fn kind(&self) -> FramingKind {
        self.kind
    }

    /// Bytes the encoder writes before a payload of `len` bytes (0 for fixed-length and
    /// delimited frames; the field's width for a general length field).
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// assert_eq!(Framing::U32.header_len(7), 4);
    /// assert_eq!(Framing::VARINT.header_len(127), 1);
    /// assert_eq!(Framing::VARINT.header_len(128), 2);
    /// assert_eq!(Framing::fixed(9).header_len(9), 0);
    /// ```
    #[inline(always)]
    pub fn header_len(&self, len: usize) -> usize {
        match self.kind {
            FramingKind::Fixed(_) => 0,
            FramingKind::U16 => 2,
            FramingKind::U32 => 4,
            FramingKind::Varint => varint::encoded_len(len as u64),
            FramingKind::LengthField(field) => field.length_field_length(),
            FramingKind::Delimited(_) => 0,
        }
    }

    /// Bytes the encoder writes after a payload: the delimiter and the checksum trailer.
    ///
    /// ```
    /// use netorder::frame::{Checksum, Framing};
    /// assert_eq!(Framing::delimited(b"\r\n")?.tail_len(), 2);
    /// assert_eq!(Framing::U16.with_checksum(Checksum::Internet).tail_len(), 2);
    /// assert_eq!(Framing::U16.tail_len(), 0);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline(always)]
    pub const fn tail_len(&self) -> usize {
        self.tail as usize
    }

    #[cfg(feature = "alloc")]
    /// The most bytes one frame takes on the wire, head and tail included: what a decoder
    /// may have to hold.
    pub(crate) fn wire_limit(&self) -> usize {
        let max = self.max_frame_len;
        let frame = match self.kind {
            FramingKind::Fixed(_) => max,
            FramingKind::LengthField(f) => {
                let len = (max as i128 + f.length_adjustment() as i128).max(0);
                let end = (f.num_skip() as i128 + len).min(usize::MAX as i128) as usize;
                end.max(f.head_len())
            }
            _ => max.saturating_add(self.max_header_len()),
        };
        frame.saturating_add(self.tail_len())
    }

    /// The longest head before a frame's payload: the largest prefix, or for a general
    /// length field the head the decoder reads (offset, field and skipped bytes); 0 for
    /// fixed-length and delimited frames.
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// assert_eq!(Framing::VARINT.max_header_len(), 10);
    /// assert_eq!(Framing::U16.max_header_len(), 2);
    /// ```
    #[inline]
    pub fn max_header_len(&self) -> usize {
        match self.kind {
            FramingKind::Fixed(_) => 0,
            FramingKind::U16 => 2,
            FramingKind::U32 => 4,
            FramingKind::Varint => varint::MAX_LEN,
            FramingKind::LengthField(field) => field.head_len(),
            FramingKind::Delimited(_) => 0,
        }
    }

    /// The largest payload the length field can announce (for `fixed(n)`: `n`), whatever the
    /// maximum frame length.
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// assert_eq!(Framing::U16.max_payload_len(), 65_535);
    /// assert_eq!(Framing::VARINT.max_payload_len(), u64::MAX);
    /// ```
    #[inline(always)]
    pub fn max_payload_len(&self) -> u64 {
        match self.kind {
            FramingKind::Fixed(n) => n as u64,
            FramingKind::U16 => u16::MAX.into(),
            FramingKind::U32 => u32::MAX.into(),
            FramingKind::Varint | FramingKind::Delimited(_) => u64::MAX,
            FramingKind::LengthField(field) => field
                .field_max()
                .saturating_add_signed(field.length_adjustment() as i64),
        }
    }
}
