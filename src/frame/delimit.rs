//! Delimited frames ([`Framing::delimited`]): a frame ends at a delimiter, one byte such as
//! `\n` or a sequence such as `\r\n` (up to 8 bytes). The maximum frame length is checked as
//! bytes arrive: once `max + delimiter length` bytes are held without a delimiter starting
//! within the first `max + 1`, the frame is [`ErrorKind::LengthLimit`] (tokio-util's
//! `AnyDelimiterCodec` and `LinesCodec` give their "max length exceeded" at the same byte for
//! a one-byte delimiter). Unlike those codecs, the end of the stream inside a frame is
//! [`ErrorKind::Truncated`], not a last frame, and a payload that contains the delimiter is
//! refused going out ([`ErrorKind::DelimiterInPayload`]).

use super::{Framing, FramingKind};
use crate::error::{Error, ErrorKind, Result};

/// The delimiter of a [`FramingKind::Delimited`] framing: 1 to 8 bytes.
///
/// ```
/// use netorder::frame::{Framing, FramingKind};
/// let FramingKind::Delimited(d) = Framing::delimited(b"\r\n")?.kind() else { unreachable!() };
/// assert_eq!(d.as_bytes(), b"\r\n");
/// assert_ne!(d.as_bytes(), b"\n");
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delimiter {
    bytes: [u8; 8],
    len: u8,
}

impl Delimiter {
    /// The delimiter's bytes.
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let FramingKind::Delimited(d) = Framing::LINES.kind() else { unreachable!() };
    /// assert_eq!(d.as_bytes(), b"\n");
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// Its length, 1 to 8.
    #[inline(always)]
    pub(crate) const fn len(&self) -> usize {
        self.len as usize
    }

    /// Where the delimiter first starts in `input`, looking at starts from `from` on and
    /// below `limit`.
    #[inline]
    fn find(&self, input: &[u8], from: usize, limit: usize) -> Option<usize> {
        let d = self.as_bytes();
        let first = d[0];
        let last_start = input.len().checked_sub(d.len())?;
        let end = last_start.saturating_add(1).min(limit);
        let mut i = from;
        while i < end {
            let at = input[i..end].iter().position(|&b| b == first)? + i;
            if input[at..at + d.len()] == *d {
                return Some(at);
            }
            i = at + 1;
        }
        None
    }

    /// The frame at the start of `input`: `(payload end, frame end)`, or `Err(Ok(need))`,
    /// or the error for a frame over `max`. `scanned` bytes are known to hold no delimiter
    /// start (a decoder's memory of its last look).
    #[inline]
    pub(crate) fn decode(
        &self,
        input: &[u8],
        max: usize,
        scanned: usize,
    ) -> core::result::Result<(usize, usize), Result<usize>> {
        let d = self.len();
        let limit = max.saturating_add(1);
        if let Some(at) = self.find(input, scanned, limit) {
            return Ok((at, at + d));
        }
        if input.len() >= limit.saturating_add(d - 1) {
            return Err(Err(Error::new(ErrorKind::LengthLimit {
                offset: 0,
                len: limit as u64,
                limit: max as u64,
            })));
        }
        Err(Ok(self.need(input)))
    }

    /// Bytes still needed at least: the rest of a delimiter `input` ends with the start of, or
    /// the whole delimiter.
    fn need(&self, input: &[u8]) -> usize {
        let d = self.as_bytes();
        for k in (1..d.len()).rev() {
            if input.ends_with(&d[..k]) {
                return d.len() - k;
            }
        }
        d.len()
    }

    #[cfg(feature = "alloc")]
    /// Where, if anywhere, the delimiter starts in a payload.
    #[inline]
    pub(crate) fn position_in(&self, payload: &[u8]) -> Option<usize> {
        self.find(payload, 0, usize::MAX)
    }

    #[cfg(feature = "alloc")]
    /// Bytes of `input` that hold no delimiter start, for a later [`Delimiter::decode`] of the
    /// same bytes and more.
    #[inline]
    pub(crate) fn scanned(&self, input_len: usize) -> usize {
        input_len.saturating_sub(self.len() - 1)
    }
}

impl Framing {
    /// Lines ending with `\n` (the `\n` is not part of the frame).
    ///
    /// ```
    /// use netorder::frame::{Framing, Decoded, decode_frame};
    /// let Decoded::Frame(span) = decode_frame(Framing::LINES, b"hi\nrest")? else { panic!() };
    /// assert_eq!((span.payload, span.consumed), (0..2, 3));
    /// assert_eq!(decode_frame(Framing::LINES, b"hi")?, Decoded::Need(1));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const LINES: Framing = Framing::of(FramingKind::Delimited(Delimiter {
        bytes: [b'\n', 0, 0, 0, 0, 0, 0, 0],
        len: 1,
    }));

    /// Frames that end with `delimiter` (1 to 8 bytes, which are not part of the frame), such
    /// as `b"\r\n"` for SMTP or Redis. Other lengths are [`ErrorKind::InvalidWidth`].
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, encode_frame}};
    /// let crlf = Framing::delimited(b"\r\n")?;
    /// let mut out = Vec::new();
    /// encode_frame(crlf, b"EHLO", &mut out)?;
    /// assert_eq!(out, b"EHLO\r\n");
    /// let err = encode_frame(crlf, b"a\r\nb", &mut out).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::DelimiterInPayload { offset: 1 });
    /// assert!(Framing::delimited(b"").is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn delimited(delimiter: &[u8]) -> Result<Framing> {
        if delimiter.is_empty() || delimiter.len() > 8 {
            return Err(Error::new(ErrorKind::InvalidWidth {
                width: delimiter.len(),
                min: 1,
                max: 8,
            }));
        }
        let mut bytes = [0u8; 8];
        bytes[..delimiter.len()].copy_from_slice(delimiter);
        Ok(Framing::of(FramingKind::Delimited(Delimiter {
            bytes,
            len: delimiter.len() as u8,
        })))
    }
}
