//! Layer 4a: framing without I/O. A [`FrameDecoder`] you feed bytes and take frames from, and
//! [`encode_frame`] to write them.
//!
//! A *framing* says where one message ends and the next begins on a byte stream ([`Framing`]):
//! every frame exactly `n` bytes ([`Framing::Fixed`]), or a big-endian `u16`/`u32` length
//! prefix ([`Framing::U16`], [`Framing::U32`]), or a LEB128 varint prefix ([`Framing::Varint`]).
//!
//! Nothing here does I/O (the shape of `httparse`): bytes go in, and each call answers one of
//! three things, kept apart: a frame ([`Decoded::Frame`]), "need `n` more bytes"
//! ([`Decoded::Need`]), or an error. A length prefix is checked against the decoder's maximum
//! frame length *before* any memory is set aside for the frame, and the decoder's buffer never
//! grows past that maximum plus the largest prefix.
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
//! # Ok::<(), netorder::Error>(())
//! ```

// Without `alloc` the docs still name the `Vec` functions (they link with it).
#![cfg_attr(not(feature = "alloc"), allow(rustdoc::broken_intra_doc_links))]

use crate::error::{Error, ErrorKind, Result};
use crate::int::varint;
#[cfg(feature = "alloc")]
use crate::prelude::*;
#[cfg(feature = "alloc")]
use alloc::borrow::Cow;
use core::fmt;
use core::ops::Range;
#[cfg(feature = "alloc")]
use core::str::FromStr;

/// The default largest frame a [`FrameDecoder`] accepts: 16 MiB.
pub const DEFAULT_MAX_FRAME_LEN: usize = 16 << 20;

/// The largest LEB128 prefix: ten bytes carry a `u64`.
const VARINT_MAX_LEN: usize = varint::MAX_LEN;

/// The smallest buffer a decoder allocates once it has to hold anything, and the least room
/// [`FrameDecoder::unfilled`] tries to offer to a read.
#[cfg(feature = "alloc")]
const MIN_BUFFER: usize = 8 << 10;

/// Where one frame ends and the next begins.
///
/// ```
/// use netorder::frame::Framing;
///
/// assert_eq!("u32".parse::<Framing>()?, Framing::U32);
/// assert_eq!("fixed:35".parse::<Framing>()?, Framing::Fixed(35));
/// // `fixed` alone does not say how long a frame is:
/// let err = "fixed".parse::<Framing>().unwrap_err();
/// assert!(matches!(err.kind(), netorder::ErrorKind::TypeMismatch { .. }), "{err}");
/// assert_eq!(Framing::from_name("fixed", 35)?, Framing::Fixed(35));
/// assert_eq!(Framing::U16.to_string(), "u16");
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framing {
    /// Every frame is exactly this many bytes; nothing marks the boundaries. Must be at least 1.
    Fixed(usize),
    /// A big-endian `u16` length, then that many bytes (frames up to 65 535 bytes).
    U16,
    /// A big-endian `u32` length, then that many bytes (frames up to 4 GiB - 1).
    U32,
    /// An unsigned LEB128 length (canonical: no overlong forms), then that many bytes.
    Varint,
}

impl Framing {
    #[cfg(feature = "alloc")]
    /// The framing called `name` (`fixed`, `u16`, `u32`, `varint`, as on the command line),
    /// with `fixed_len` as the frame length of `fixed`.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing};
    ///
    /// assert_eq!(Framing::from_name("varint", 12)?, Framing::Varint);
    /// assert_eq!(Framing::from_name("fixed", 12)?, Framing::Fixed(12));
    /// let err = Framing::from_name("u24", 12).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TypeMismatch { .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn from_name(name: &str, fixed_len: usize) -> Result<Framing> {
        match name {
            "fixed" => Ok(Framing::Fixed(fixed_len)),
            other => other.parse(),
        }
    }

    /// Bytes of the length prefix of a frame whose payload is `len` bytes (0 for `Fixed`).
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// assert_eq!(Framing::U32.header_len(7), 4);
    /// assert_eq!(Framing::Varint.header_len(127), 1);
    /// assert_eq!(Framing::Varint.header_len(128), 2);
    /// assert_eq!(Framing::Fixed(9).header_len(9), 0);
    /// ```
    pub fn header_len(&self, len: usize) -> usize {
        match self {
            Framing::Fixed(_) => 0,
            Framing::U16 => 2,
            Framing::U32 => 4,
            Framing::Varint => varint::encoded_len(len as u64),
        }
    }

    /// The largest prefix this framing can put before a frame.
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// assert_eq!(Framing::Varint.max_header_len(), 10);
    /// assert_eq!(Framing::U16.max_header_len(), 2);
    /// ```
    pub fn max_header_len(&self) -> usize {
        match self {
            Framing::Fixed(_) => 0,
            Framing::U16 => 2,
            Framing::U32 => 4,
            Framing::Varint => VARINT_MAX_LEN,
        }
    }

    /// The largest payload the length field can announce (for `Fixed(n)`: `n`).
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// assert_eq!(Framing::U16.max_payload_len(), 65_535);
    /// assert_eq!(Framing::Varint.max_payload_len(), u64::MAX);
    /// ```
    pub fn max_payload_len(&self) -> u64 {
        match self {
            Framing::Fixed(n) => *n as u64,
            Framing::U16 => u16::MAX.into(),
            Framing::U32 => u32::MAX.into(),
            Framing::Varint => u64::MAX,
        }
    }
}

#[cfg(feature = "alloc")]
impl FromStr for Framing {
    type Err = Error;

    /// `u16`, `u32`, `varint`, or `fixed:N` (`fixed` alone lacks its length: see
    /// [`Framing::from_name`]).
    fn from_str(s: &str) -> Result<Framing> {
        let bad = || {
            Error::new(ErrorKind::TypeMismatch {
                expected: "a framing: fixed, u16, u32 or varint",
                found: Cow::Owned(format!("`{s}`")),
            })
        };
        match s {
            "u16" => Ok(Framing::U16),
            "u32" => Ok(Framing::U32),
            "varint" => Ok(Framing::Varint),
            "fixed" => Err(Error::new(ErrorKind::TypeMismatch {
                expected: "a frame length for fixed framing (fixed:N)",
                found: Cow::Borrowed("`fixed`"),
            })),
            _ => match s.strip_prefix("fixed:").map(str::parse::<usize>) {
                Some(Ok(n)) => Ok(Framing::Fixed(n)),
                _ => Err(bad()),
            },
        }
    }
}

impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Framing::Fixed(n) => write!(f, "fixed:{n}"),
            Framing::U16 => f.write_str("u16"),
            Framing::U32 => f.write_str("u32"),
            Framing::Varint => f.write_str("varint"),
        }
    }
}

/// One answer of a decoder that is not an error: a frame, or how many more bytes it needs.
///
/// ```
/// use netorder::frame::{Decoded, Framing, FrameSpan, decode_frame};
///
/// assert_eq!(decode_frame(Framing::U32, 1024, &[0, 0])?, Decoded::Need(2));
/// assert_eq!(decode_frame(Framing::U32, 1024, &[0, 0, 0, 3, b'a'])?, Decoded::Need(2));
/// assert_eq!(
///     decode_frame(Framing::U32, 1024, b"\0\0\0\x03abc!")?,
///     Decoded::Frame(FrameSpan { payload: 4..7, consumed: 7 }),
/// );
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded<T> {
    /// A whole frame.
    Frame(T),
    /// The input ends inside a frame: at least this many more bytes (always ≥ 1) are needed
    /// before the next answer can be given. Exact once the length prefix is known.
    Need(usize),
}

/// Where a frame lies in the input given to [`decode_frame`].
///
/// ```
/// use netorder::frame::{Decoded, Framing, decode_frame};
///
/// let input = b"\x02hiNEXT";
/// if let Decoded::Frame(span) = decode_frame(Framing::Varint, 64, input)? {
///     assert_eq!(&input[span.payload.clone()], b"hi");
///     assert_eq!(&input[span.consumed..], b"NEXT");
/// }
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameSpan {
    /// The payload's bytes, as a range of the input.
    pub payload: Range<usize>,
    /// Bytes the frame takes, prefix included: the next frame starts here.
    pub consumed: usize,
}

/// Decodes the frame at the start of `input`, without copying: where its payload is, how many
/// bytes it takes, or how many more bytes are needed.
///
/// `max_frame_len` is checked against the announced length before anything else is looked at.
/// Errors (offsets from the start of `input`):
/// - a length over `max_frame_len`: [`ErrorKind::LengthLimit`] with the announced length and
///   the limit (also for `Fixed(n)` with `n` over the limit);
/// - a varint prefix that is overlong ([`ErrorKind::Overlong`]) or past `u64::MAX`
///   ([`ErrorKind::Overflow`]);
/// - `Fixed(0)`: [`ErrorKind::InvalidWidth`] (an empty frame would repeat forever).
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, decode_frame}};
///
/// // A peer announcing 4 GiB - 1 bytes, with a 1 KiB limit: refused, nothing allocated.
/// let err = decode_frame(Framing::U32, 1024, &[0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err();
/// assert_eq!(
///     err.kind(),
///     &ErrorKind::LengthLimit { offset: 0, len: 0xFFFF_FFFF, limit: 1024 },
/// );
/// ```
#[inline]
pub fn decode_frame(
    framing: Framing,
    max_frame_len: usize,
    input: &[u8],
) -> Result<Decoded<FrameSpan>> {
    let (header, len) = match framing {
        Framing::Fixed(0) => {
            return Err(Error::new(ErrorKind::InvalidWidth {
                width: 0,
                min: 1,
                max: max_frame_len,
            }));
        }
        Framing::Fixed(n) => (0, n as u64),
        Framing::U16 => match input {
            [a, b, ..] => (2, u64::from(u16::from_be_bytes([*a, *b]))),
            _ => return Ok(Decoded::Need(2 - input.len())),
        },
        Framing::U32 => match input {
            [a, b, c, d, ..] => (4, u64::from(u32::from_be_bytes([*a, *b, *c, *d]))),
            _ => return Ok(Decoded::Need(4 - input.len())),
        },
        Framing::Varint => match varint::decode(input) {
            Ok((len, header)) => (header, len),
            Err(e) if e.is_incomplete() => return Ok(Decoded::Need(1)),
            Err(e) => return Err(e),
        },
    };
    if len > max_frame_len as u64 {
        return Err(Error::new(ErrorKind::LengthLimit {
            offset: 0,
            len,
            limit: max_frame_len as u64,
        }));
    }
    // `len <= max_frame_len` (a usize) and `header <= 10`: the sum only overflows for a limit
    // within 10 of usize::MAX, which saturation turns into "never complete".
    let total = (len as usize).saturating_add(header);
    if input.len() < total {
        return Ok(Decoded::Need(total - input.len()));
    }
    Ok(Decoded::Frame(FrameSpan {
        payload: header..total,
        consumed: total,
    }))
}

#[cfg(feature = "alloc")]
/// Appends the length prefix for a `len`-byte payload to `out`; returns the bytes written
/// (0 for `Fixed`). Fails, leaving `out` as it was, when `len` does not fit the length field:
/// [`ErrorKind::FrameTooLong`], or [`ErrorKind::LengthMismatch`] for `Fixed(n)` when `len != n`.
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, encode_header}};
///
/// let mut out = Vec::new();
/// assert_eq!(encode_header(Framing::Varint, 300, &mut out)?, 2);
/// assert_eq!(out, [0xAC, 0x02]);
/// let err = encode_header(Framing::U16, 70_000, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 70_000, max: 65_535 });
/// assert_eq!(out.len(), 2);
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_header(framing: Framing, len: usize, out: &mut Vec<u8>) -> Result<usize> {
    let mut header = [0u8; VARINT_MAX_LEN];
    let n = write_header(framing, len, &mut header)?;
    out.extend_from_slice(&header[..n]);
    Ok(n)
}

/// Writes the length prefix for a `len`-byte payload at the start of `out`; returns the bytes
/// written (0 for `Fixed`). Errors as [`encode_header`], and [`ErrorKind::BufferTooSmall`] when
/// `out` is shorter than the prefix ([`Framing::header_len`]); `out` is untouched on error.
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, write_header}};
///
/// let mut out = [0u8; 4];
/// assert_eq!(write_header(Framing::U32, 258, &mut out)?, 4);
/// assert_eq!(out, [0, 0, 1, 2]);
/// let err = write_header(Framing::U32, 1, &mut out[..3]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 4, available: 3 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn write_header(framing: Framing, len: usize, out: &mut [u8]) -> Result<usize> {
    let too_long = || {
        Error::new(ErrorKind::FrameTooLong {
            len: len as u64,
            max: framing.max_payload_len(),
        })
    };
    let too_small = |needed: usize, available: usize| {
        Error::new(ErrorKind::BufferTooSmall { needed, available })
    };
    match framing {
        Framing::Fixed(n) if n == len => Ok(0),
        Framing::Fixed(n) => Err(Error::new(ErrorKind::LengthMismatch {
            expected: n,
            actual: len,
        })),
        Framing::U16 => {
            let len = u16::try_from(len).map_err(|_| too_long())?;
            let available = out.len();
            let dst = out.get_mut(..2).ok_or_else(|| too_small(2, available))?;
            dst.copy_from_slice(&len.to_be_bytes());
            Ok(2)
        }
        Framing::U32 => {
            let len = u32::try_from(len).map_err(|_| too_long())?;
            let available = out.len();
            let dst = out.get_mut(..4).ok_or_else(|| too_small(4, available))?;
            dst.copy_from_slice(&len.to_be_bytes());
            Ok(4)
        }
        Framing::Varint => {
            let mut prefix = [0u8; varint::MAX_LEN];
            let needed = varint::encode(len as u64, &mut prefix);
            let available = out.len();
            let dst = out
                .get_mut(..needed)
                .ok_or_else(|| too_small(needed, available))?;
            dst.copy_from_slice(&prefix[..needed]);
            Ok(needed)
        }
    }
}

#[cfg(feature = "alloc")]
/// Appends one frame (prefix, then `payload`) to `out`; returns the bytes written. Fails,
/// leaving `out` as it was, when the payload is too long for the length field — a 70 000-byte
/// `U16` frame is [`ErrorKind::FrameTooLong`], never a silently wrapped length — or, for
/// `Fixed(n)`, not exactly `n` bytes ([`ErrorKind::LengthMismatch`]).
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, encode_frame}};
///
/// let mut out = Vec::new();
/// encode_frame(Framing::U32, b"abc", &mut out)?;
/// assert_eq!(out, b"\0\0\0\x03abc");
///
/// let err = encode_frame(Framing::U16, &vec![0; 70_000], &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 70_000, max: 65_535 });
/// let err = encode_frame(Framing::Fixed(4), b"abc", &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 4, actual: 3 });
/// assert_eq!(out.len(), 7); // untouched by the failures
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_frame(framing: Framing, payload: &[u8], out: &mut Vec<u8>) -> Result<usize> {
    let header = encode_header(framing, payload.len(), out)?;
    out.extend_from_slice(payload);
    Ok(header + payload.len())
}

#[cfg(feature = "alloc")]
/// A sans-IO frame decoder: feed it bytes as they arrive, take whole frames out.
///
/// Frames come out as slices of the decoder's own buffer (no copy per frame). The buffer is
/// compacted as frames are taken and grows by doubling only as bytes arrive, never past the
/// maximum frame length plus the largest prefix ([`FrameDecoder::buffer_limit`]): a peer that
/// announces a huge frame gets [`ErrorKind::LengthLimit`] before anything is allocated for it,
/// and one that announces a large allowed frame but sends little costs only what it sent.
///
/// Errors are sticky: once a prefix is refused, every later call returns the same error.
/// Offsets in errors count from the first byte ever fed.
///
/// ```
/// use netorder::{ErrorKind, frame::{Decoded, Framing, FrameDecoder}};
///
/// let mut decoder = FrameDecoder::new(Framing::U32).with_max_frame_len(1024);
/// decoder.feed(b"\0\0\0\x02hi\0\0\0\x05wor");
/// assert_eq!(decoder.decode()?, Decoded::Frame(&b"hi"[..]));
/// assert_eq!(decoder.decode()?, Decoded::Need(2));
/// // The stream ends inside the second frame: 4 + 5 bytes announced, 7 arrived.
/// let err = decoder.decode_eof().unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 9, received: 7 });
///
/// // A hostile prefix: refused with the numbers, before any allocation.
/// let mut decoder = FrameDecoder::new(Framing::U32).with_max_frame_len(1024);
/// decoder.feed(b"\0\0\0\x01x\xFF\xFF\xFF\xFF");
/// assert_eq!(decoder.next_frame()?, Some(&b"x"[..]));
/// let err = decoder.next_frame().unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 5, len: 0xFFFF_FFFF, limit: 1024 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    framing: Framing,
    max_frame_len: usize,
    /// Storage; `buf[start..end]` holds the bytes fed and not yet taken. `buf.len()` is the
    /// initialised capacity, never more than `buffer_limit()` (or what one `feed` needed).
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Stream offset of `buf[start]`: bytes taken out as frames so far.
    taken: usize,
    /// The last `Need(n)` answer (0 when unknown): how much room the next read should get.
    need: usize,
}

#[cfg(feature = "alloc")]
impl FrameDecoder {
    /// A decoder for `framing`, with the default maximum frame length
    /// ([`DEFAULT_MAX_FRAME_LEN`], 16 MiB).
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder, DEFAULT_MAX_FRAME_LEN};
    /// let decoder = FrameDecoder::new(Framing::Varint);
    /// assert_eq!(decoder.max_frame_len(), DEFAULT_MAX_FRAME_LEN);
    /// assert_eq!(decoder.buffered(), 0);
    /// ```
    pub fn new(framing: Framing) -> Self {
        FrameDecoder {
            framing,
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            buf: Vec::new(),
            start: 0,
            end: 0,
            taken: 0,
            need: 0,
        }
    }

    /// Sets the largest payload accepted; longer announced lengths are
    /// [`ErrorKind::LengthLimit`].
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, FrameDecoder}};
    /// let mut decoder = FrameDecoder::new(Framing::U16).with_max_frame_len(3);
    /// decoder.feed(&[0, 4]);
    /// let err = decoder.decode().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 4, limit: 3 });
    /// ```
    pub fn with_max_frame_len(mut self, max_frame_len: usize) -> Self {
        self.max_frame_len = max_frame_len;
        self
    }

    /// The framing this decoder reads.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// assert_eq!(FrameDecoder::new(Framing::U16).framing(), Framing::U16);
    /// ```
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The largest payload accepted.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// assert_eq!(FrameDecoder::new(Framing::U16).with_max_frame_len(9).max_frame_len(), 9);
    /// ```
    pub fn max_frame_len(&self) -> usize {
        self.max_frame_len
    }

    /// The most bytes the decoder ever buffers: the maximum frame length plus the largest
    /// prefix. [`FrameDecoder::feed`] takes no more than that.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let decoder = FrameDecoder::new(Framing::U32).with_max_frame_len(100);
    /// assert_eq!(decoder.buffer_limit(), 104);
    /// ```
    pub fn buffer_limit(&self) -> usize {
        self.max_frame_len
            .saturating_add(self.framing.max_header_len())
    }

    /// Bytes fed and not yet taken out as frames.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::Fixed(4));
    /// decoder.feed(b"abcdef");
    /// decoder.next_frame()?;
    /// assert_eq!(decoder.buffered(), 2);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn buffered(&self) -> usize {
        self.end - self.start
    }

    /// Bytes of memory the decoder holds (its buffer's capacity); never more than
    /// [`FrameDecoder::buffer_limit`] once a frame has been taken.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::U32).with_max_frame_len(100);
    /// decoder.feed(&[0xFF; 1000]);
    /// assert!(decoder.capacity() <= decoder.buffer_limit());
    /// ```
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Stream offset of the next byte to be decoded: the bytes taken out as frames so far.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::U16);
    /// decoder.feed(b"\0\x01a\0");
    /// decoder.next_frame()?;
    /// assert_eq!(decoder.position(), 3);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn position(&self) -> usize {
        self.taken
    }

    /// Copies as much of `bytes` as the buffer may hold (compacting and growing it as needed,
    /// never past [`FrameDecoder::buffer_limit`]) and returns how many bytes it took. Take
    /// frames out and feed the rest again; when the buffer is full and holds no frame, the
    /// next [`FrameDecoder::decode`] is an error, so the loop always moves.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    ///
    /// let mut decoder = FrameDecoder::new(Framing::Fixed(2)).with_max_frame_len(2);
    /// let mut input: &[u8] = b"aabbcc";
    /// let mut frames = 0;
    /// while !input.is_empty() {
    ///     let took = decoder.feed(input); // at most 2 bytes at a time here
    ///     input = &input[took..];
    ///     while decoder.next_frame()?.is_some() {
    ///         frames += 1;
    ///     }
    /// }
    /// assert_eq!(frames, 3);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        let room = self.make_room(bytes.len());
        let n = room.min(bytes.len());
        self.buf[self.end..self.end + n].copy_from_slice(&bytes[..n]);
        self.end += n;
        n
    }

    /// Room to read into, straight from a socket (no extra copy): a slice of the buffer after
    /// the bytes already held, usually several KiB, within [`FrameDecoder::buffer_limit`]. The
    /// buffer doubles as a long frame's bytes arrive (a peer that announces a large frame and
    /// sends little costs little). Write into it, then call [`FrameDecoder::filled`] with the
    /// count. Empty only when the buffer is full, in which case [`FrameDecoder::decode`] has a
    /// frame or an error.
    ///
    /// ```
    /// use std::io::Read;
    /// use netorder::frame::{Framing, FrameDecoder};
    ///
    /// let mut socket: &[u8] = b"\x03abc";
    /// let mut decoder = FrameDecoder::new(Framing::Varint);
    /// let n = socket.read(decoder.unfilled())?;
    /// decoder.filled(n);
    /// assert_eq!(decoder.next_frame().unwrap(), Some(&b"abc"[..]));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unfilled(&mut self) -> &mut [u8] {
        // Grow at most by doubling per read, however long the announced frame.
        let want = self.need.min(self.buf.len()).max(MIN_BUFFER);
        let room = self.make_room(want);
        &mut self.buf[self.end..self.end + room]
    }

    /// Records that `n` bytes were written at the start of [`FrameDecoder::unfilled`].
    ///
    /// # Panics
    ///
    /// If `n` is more than the length of the slice `unfilled` returned.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::Fixed(1));
    /// decoder.unfilled()[0] = b'z';
    /// decoder.filled(1);
    /// assert_eq!(decoder.next_frame()?, Some(&b"z"[..]));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn filled(&mut self, n: usize) {
        assert!(
            n <= self.buf.len() - self.end,
            "FrameDecoder::filled({n}) past the unfilled room"
        );
        self.end += n;
    }

    /// The next answer: a frame (taken out of the buffer), the number of bytes still needed,
    /// or an error (see [`decode_frame`]; offsets count from the first byte fed).
    ///
    /// ```
    /// use netorder::frame::{Decoded, Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::Fixed(3));
    /// decoder.feed(b"ab");
    /// assert_eq!(decoder.decode()?, Decoded::Need(1));
    /// decoder.feed(b"c");
    /// assert_eq!(decoder.decode()?, Decoded::Frame(&b"abc"[..]));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn decode(&mut self) -> Result<Decoded<&[u8]>> {
        Ok(match self.decode_span()? {
            Decoded::Frame(range) => Decoded::Frame(&self.buf[range]),
            Decoded::Need(n) => Decoded::Need(n),
        })
    }

    /// The next frame, or `None` when more bytes are needed: [`FrameDecoder::decode`] for a
    /// `while let` loop.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::U16);
    /// decoder.feed(b"\0\x01a\0\x01");
    /// assert_eq!(decoder.next_frame()?, Some(&b"a"[..]));
    /// assert_eq!(decoder.next_frame()?, None);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn next_frame(&mut self) -> Result<Option<&[u8]>> {
        Ok(match self.decode_span()? {
            Decoded::Frame(range) => Some(&self.buf[range]),
            Decoded::Need(_) => None,
        })
    }

    /// The input has ended (the peer closed, the file ended): the next buffered frame if there
    /// is one, `None` when the input ended cleanly at a frame boundary, and
    /// [`ErrorKind::Truncated`] when it ended inside a frame. `expected` is the prefix plus the
    /// announced length once the prefix is known (the frame length for `Fixed`; while the
    /// prefix itself is cut, the least the frame could have been), `received` the bytes that
    /// arrived.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, FrameDecoder}};
    ///
    /// let mut decoder = FrameDecoder::new(Framing::Fixed(8));
    /// decoder.feed(b"12345678123");
    /// assert_eq!(decoder.decode_eof()?, Some(&b"12345678"[..]));
    /// let err = decoder.decode_eof().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 8, received: 3 });
    ///
    /// let mut decoder = FrameDecoder::new(Framing::U32);
    /// decoder.feed(&[0, 0]); // half a prefix
    /// let err = decoder.decode_eof().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 4, received: 2 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn decode_eof(&mut self) -> Result<Option<&[u8]>> {
        match self.decode_span()? {
            Decoded::Frame(range) => Ok(Some(&self.buf[range])),
            Decoded::Need(_) if self.buffered() == 0 => Ok(None),
            Decoded::Need(n) => Err(Error::new(ErrorKind::Truncated {
                expected: self.buffered().saturating_add(n),
                received: self.buffered(),
            })),
        }
    }

    /// Forgets every buffered byte and any error; the stream position goes on counting.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::U16).with_max_frame_len(1);
    /// decoder.feed(&[0xFF, 0xFF]);
    /// let err = decoder.decode().unwrap_err();
    /// assert_eq!(
    ///     err.kind(),
    ///     &netorder::ErrorKind::LengthLimit { offset: 0, len: 65535, limit: 1 }
    /// );
    /// decoder.clear();
    /// assert_eq!(decoder.buffered(), 0);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn clear(&mut self) {
        self.taken = self.taken.saturating_add(self.buffered());
        self.start = 0;
        self.end = 0;
        self.need = 0;
    }

    /// The bytes of a range returned by `decode_span` (valid until the next `&mut` call).
    #[cfg(feature = "std")] // for `transport`
    #[inline]
    pub(crate) fn slice(&self, range: Range<usize>) -> &[u8] {
        &self.buf[range]
    }

    /// Decodes the next frame and takes it out; returns its payload's range in `buf`.
    #[inline]
    pub(crate) fn decode_span(&mut self) -> Result<Decoded<Range<usize>>> {
        let input = &self.buf[self.start..self.end];
        match decode_frame(self.framing, self.max_frame_len, input) {
            Ok(Decoded::Frame(span)) => {
                let payload = self.start + span.payload.start..self.start + span.payload.end;
                self.start += span.consumed;
                self.taken = self.taken.saturating_add(span.consumed);
                self.need = 0;
                if self.start == self.end {
                    // Nothing left: start over at the front; the slice returned stays valid
                    // because the bytes are not touched until the next `&mut self` call.
                    self.start = 0;
                    self.end = 0;
                }
                Ok(Decoded::Frame(payload))
            }
            Ok(Decoded::Need(n)) => {
                self.need = n;
                Ok(Decoded::Need(n))
            }
            Err(e) => Err(e.offset_by(self.taken)),
        }
    }

    /// Makes room after `end` for up to `want` more bytes, within the buffer limit; returns
    /// the room there is now (possibly less than `want`, never more than the limit allows).
    #[inline]
    fn make_room(&mut self, want: usize) -> usize {
        let limit = self.buffer_limit();
        let held = self.buffered();
        // Never hold more than the limit: the bytes the caller may still add.
        let allowed = limit.saturating_sub(held);
        let want = want.min(allowed);
        if self.buf.len() - self.end >= want {
            return (self.buf.len() - self.end).min(allowed);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = held;
        }
        if self.buf.len() - self.end < want {
            // Grow by doubling (amortised), to at least what is wanted, capped at the limit.
            let target = held + want;
            let doubled = self.buf.len().saturating_mul(2).max(MIN_BUFFER);
            let new_len = doubled.max(target).min(limit).max(target);
            self.buf.resize(new_len, 0);
        }
        (self.buf.len() - self.end).min(allowed)
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    #[test]
    fn buffer_never_exceeds_limit() {
        let mut d = FrameDecoder::new(Framing::U16).with_max_frame_len(100);
        let frame = [&[0u8, 100][..], &[7u8; 100][..]].concat();
        for _ in 0..50 {
            let mut rest = &frame[..];
            while !rest.is_empty() {
                let n = d.feed(rest);
                rest = &rest[n..];
                assert!(d.capacity() <= d.buffer_limit(), "{}", d.capacity());
                while d.next_frame().unwrap().is_some() {}
            }
        }
        assert_eq!(d.position(), 50 * 102);
    }
}
