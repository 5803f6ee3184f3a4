//! Decoding: [`decode_frame`] finds one frame in a slice; [`FrameDecoder`] buffers a stream and
//! hands out whole frames.

use super::{Delimiter, Framing, FramingKind};
use crate::error::{Error, ErrorKind, Result};
use crate::int::varint;
#[cfg(feature = "alloc")]
use crate::prelude::*;
use core::ops::Range;

/// The smallest buffer a decoder allocates once it has to hold anything, and the least room
/// [`FrameDecoder::unfilled`] tries to offer to a read.
#[cfg(feature = "alloc")]
const MIN_BUFFER: usize = 8 << 10;

/// One answer of a decoder that is not an error: a frame, or how many more bytes it needs.
///
/// ```
/// use netorder::frame::{Decoded, Framing, FrameSpan, decode_frame};
///
/// assert_eq!(decode_frame(Framing::U32, &[0, 0])?, Decoded::Need(2));
/// assert_eq!(decode_frame(Framing::U32, &[0, 0, 0, 3, b'a'])?, Decoded::Need(2));
/// assert_eq!(
///     decode_frame(Framing::U32, b"\0\0\0\x03abc!")?,
///     Decoded::Frame(FrameSpan { payload: 4..7, consumed: 7 }),
/// );
/// // Bytes that are no frame at all: an overlong varint prefix.
/// assert!(decode_frame(Framing::VARINT, &[0x80, 0x00]).is_err());
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
/// if let Decoded::Frame(span) = decode_frame(Framing::VARINT.with_max_frame_len(64), input)? {
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
/// The framing's maximum frame length ([`Framing::max_frame_len`]) is checked against the
/// announced length before anything else is looked at. Errors (offsets from the start of
/// `input`):
/// - a length over the maximum: [`ErrorKind::LengthLimit`] with the announced length and the
///   limit (also for `fixed(n)` with `n` over the limit);
/// - a varint prefix that is overlong ([`ErrorKind::Overlong`]) or past `u64::MAX`
///   ([`ErrorKind::Overflow`]);
/// - `fixed(0)`: [`ErrorKind::InvalidWidth`] (an empty frame would repeat forever).
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, decode_frame}};
///
/// // A peer announcing 4 GiB - 1 bytes, with a 1 KiB limit: refused, nothing allocated.
/// let framing = Framing::U32.with_max_frame_len(1024);
/// let err = decode_frame(framing, &[0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err();
/// assert_eq!(
///     err.kind(),
///     &ErrorKind::LengthLimit { offset: 0, len: 0xFFFF_FFFF, limit: 1024 },
/// );
/// ```
#[inline(always)]
pub fn decode_frame(framing: Framing, input: &[u8]) -> Result<Decoded<FrameSpan>> {
    decode_frame_from(&framing, input, 0)
}

/// [`decode_frame`], where the first `scanned` bytes of `input` are known to hold no
/// delimiter start (a decoder that looked at them before says so; 0 otherwise).
#[inline(always)]
pub(crate) fn decode_frame_from(
    framing: &Framing,
    input: &[u8],
    scanned: usize,
) -> Result<Decoded<FrameSpan>> {
    let max_frame_len = framing.max_frame_len();
    let (header, len) = match framing.kind() {
        FramingKind::Fixed(0) => return Err(empty_fixed_frame(max_frame_len)),
        FramingKind::Fixed(n) => (0, n as u64),
        FramingKind::U16 => match input {
            [a, b, ..] => (2, u64::from(u16::from_be_bytes([*a, *b]))),
            _ => return Ok(Decoded::Need(2 - input.len())),
        },
        FramingKind::U32 => match input {
            [a, b, c, d, ..] => (4, u64::from(u32::from_be_bytes([*a, *b, *c, *d]))),
            _ => return Ok(Decoded::Need(4 - input.len())),
        },
        FramingKind::Varint => match varint::decode(input) {
            Ok((len, header)) => (header, len),
            Err(e) if e.is_incomplete() => return Ok(Decoded::Need(1)),
            Err(e) => return Err(e),
        },
        FramingKind::LengthField(field) => {
            return match field.decode(input, max_frame_len) {
                Ok((start, end)) => frame_end(framing, input, start, end, end),
                Err(answer) => answer.map(Decoded::Need),
            };
        }
        FramingKind::Delimited(delimiter) => {
            return decode_delimited(framing, delimiter, input, scanned);
        }
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
    if framing.trailer_len() != 0 {
        return frame_end(framing, input, header, total, total);
    }
    if input.len() < total {
        return Ok(Decoded::Need(total - input.len()));
    }
    Ok(Decoded::Frame(FrameSpan {
        payload: header..total,
        consumed: total,
    }))
}

/// [`decode_frame_from`] for a delimited framing, out of line (a search loop would make the
/// decoder of every framing bigger).
#[inline(never)]
fn decode_delimited(
    framing: &Framing,
    delimiter: Delimiter,
    input: &[u8],
    scanned: usize,
) -> Result<Decoded<FrameSpan>> {
    match delimiter.decode(input, framing.max_frame_len(), scanned) {
        Ok((end, after)) => frame_end(framing, input, 0, end, after),
        Err(answer) => answer.map(Decoded::Need),
    }
}

/// The frame whose payload is `input[start..end]` and whose own bytes end at `covered`: with
/// its checksum trailer, if the framing has one, after `covered`.
#[inline(always)]
fn frame_end(
    framing: &Framing,
    input: &[u8],
    start: usize,
    end: usize,
    covered: usize,
) -> Result<Decoded<FrameSpan>> {
    let consumed = covered.saturating_add(framing.trailer_len());
    if input.len() < consumed {
        return Ok(Decoded::Need(consumed - input.len()));
    }
    if let Some(checksum) = framing.checksum() {
        checksum.verify(input, covered)?;
    }
    Ok(Decoded::Frame(FrameSpan {
        payload: start..end,
        consumed,
    }))
}

/// After a `Need` answer for `held` bytes: how many of them hold no delimiter start, for the
/// next [`decode_frame_from`] of the same bytes and more (0 for the other framings). Not past
/// a delimiter found whose checksum trailer is still to come.
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn scanned_after_need(framing: &Framing, held: usize) -> usize {
    match framing.kind() {
        FramingKind::Delimited(d) => d.scanned(held.saturating_sub(framing.trailer_len())),
        _ => 0,
    }
}

/// `fixed(0)`: an empty frame would repeat forever.
#[cold]
fn empty_fixed_frame(max: usize) -> Error {
    Error::new(ErrorKind::InvalidWidth {
        width: 0,
        min: 1,
        max,
    })
}

/// The error for a stream that ended `need` bytes short of the end of a frame, `held` bytes of
/// which arrived: [`ErrorKind::Truncated`].
#[cfg(feature = "alloc")]
#[cold]
pub(crate) fn truncated(held: usize, need: usize) -> Error {
    Error::new(ErrorKind::Truncated {
        expected: held.saturating_add(need),
        received: held,
    })
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
/// let mut decoder = FrameDecoder::new(Framing::U32.with_max_frame_len(1024));
/// decoder.feed(b"\0\0\0\x02hi\0\0\0\x05wor");
/// assert_eq!(decoder.decode()?, Decoded::Frame(&b"hi"[..]));
/// assert_eq!(decoder.decode()?, Decoded::Need(2));
/// // The stream ends inside the second frame: 4 + 5 bytes announced, 7 arrived.
/// let err = decoder.decode_eof().unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 9, received: 7 });
///
/// // A hostile prefix: refused with the numbers, before any allocation.
/// let mut decoder = FrameDecoder::new(Framing::U32.with_max_frame_len(1024));
/// decoder.feed(b"\0\0\0\x01x\xFF\xFF\xFF\xFF");
/// assert_eq!(decoder.next_frame()?, Some(&b"x"[..]));
/// let err = decoder.next_frame().unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 5, len: 0xFFFF_FFFF, limit: 1024 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    framing: Framing,
    /// Storage; `buf[start..end]` holds the bytes fed and not yet taken. `buf.len()` is the
    /// initialised capacity, never more than `buffer_limit()` (or what one `feed` needed).
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Stream offset of `buf[start]`: bytes taken out as frames so far.
    taken: usize,
    /// The last `Need(n)` answer (0 when unknown): how much room the next read should get.
    need: usize,
    /// Bytes from `start` known to hold no delimiter start (delimited framings).
    scanned: usize,
}

#[cfg(feature = "alloc")]
impl FrameDecoder {
    /// A decoder for `framing`, which carries the largest payload accepted
    /// ([`Framing::with_max_frame_len`]); longer announced lengths are
    /// [`ErrorKind::LengthLimit`].
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, FrameDecoder}};
    /// let decoder = FrameDecoder::new(Framing::VARINT);
    /// assert_eq!(decoder.buffered(), 0);
    ///
    /// let mut decoder = FrameDecoder::new(Framing::U16.with_max_frame_len(3));
    /// decoder.feed(&[0, 4]);
    /// let err = decoder.decode().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 4, limit: 3 });
    /// ```
    pub fn new(framing: Framing) -> Self {
        FrameDecoder {
            framing,
            buf: Vec::new(),
            start: 0,
            end: 0,
            taken: 0,
            need: 0,
            scanned: 0,
        }
    }

    /// The framing this decoder reads, with its maximum frame length.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// assert_eq!(FrameDecoder::new(Framing::U16).framing(), Framing::U16);
    /// let decoder = FrameDecoder::new(Framing::U16.with_max_frame_len(9));
    /// assert_eq!(decoder.framing().max_frame_len(), 9);
    /// assert_ne!(decoder.framing(), Framing::U16);
    /// ```
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The most bytes the decoder ever buffers: the longest frame the framing allows on the
    /// wire (the maximum frame length plus the largest head, delimiter and checksum trailer).
    /// [`FrameDecoder::feed`] takes no more than that.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let decoder = FrameDecoder::new(Framing::U32.with_max_frame_len(100));
    /// assert_eq!(decoder.buffer_limit(), 104);
    /// ```
    pub fn buffer_limit(&self) -> usize {
        self.framing.wire_limit()
    }

    /// Bytes fed and not yet taken out as frames.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::fixed(4));
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
    /// let mut decoder = FrameDecoder::new(Framing::U32.with_max_frame_len(100));
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
    /// let mut decoder = FrameDecoder::new(Framing::fixed(2).with_max_frame_len(2));
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
    /// let mut decoder = FrameDecoder::new(Framing::VARINT);
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
    /// let mut decoder = FrameDecoder::new(Framing::fixed(1));
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
    /// let mut decoder = FrameDecoder::new(Framing::fixed(3));
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
    /// announced length once the prefix is known (the frame length for `fixed(n)`; while the
    /// prefix itself is cut, the least the frame could have been), `received` the bytes that
    /// arrived.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, FrameDecoder}};
    ///
    /// let mut decoder = FrameDecoder::new(Framing::fixed(8));
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
        Ok(self.decode_eof_span()?.map(|range| &self.buf[range]))
    }

    /// Forgets every buffered byte and any error; the stream position goes on counting.
    ///
    /// ```
    /// use netorder::frame::{Framing, FrameDecoder};
    /// let mut decoder = FrameDecoder::new(Framing::U16.with_max_frame_len(1));
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
        self.scanned = 0;
    }

    /// The framing, where it lies.
    #[cfg(feature = "std")] // for `transport`
    #[inline(always)]
    pub(crate) fn framing_ref(&self) -> &Framing {
        &self.framing
    }

    /// The bytes of a range returned by `decode_span` (valid until the next `&mut` call).
    #[cfg(feature = "std")] // for `transport`
    #[inline]
    pub(crate) fn slice(&self, range: Range<usize>) -> &[u8] {
        &self.buf[range]
    }

    /// [`FrameDecoder::decode_eof`], giving the payload's range in `buf`.
    pub(crate) fn decode_eof_span(&mut self) -> Result<Option<Range<usize>>> {
        match self.decode_span()? {
            Decoded::Frame(range) => Ok(Some(range)),
            Decoded::Need(_) if self.buffered() == 0 => Ok(None),
            Decoded::Need(n) => Err(truncated(self.buffered(), n)),
        }
    }

    /// The unfinished frame, for an error that ends the stream inside it: the bytes held and
    /// the bytes the frame needs in all (the prefix plus the announced length once the prefix
    /// is known). Looks without taking anything out.
    #[cfg(feature = "std")] // for `transport` and `reactor`
    pub(crate) fn unfinished(&self) -> (usize, usize) {
        let held = self.buffered();
        match decode_frame(self.framing, &self.buf[self.start..self.end]) {
            Ok(Decoded::Need(n)) => (held, held.saturating_add(n)),
            _ => (held, held),
        }
    }

    /// Decodes the next frame and takes it out; returns its payload's range in `buf`.
    #[inline]
    pub(crate) fn decode_span(&mut self) -> Result<Decoded<Range<usize>>> {
        let input = &self.buf[self.start..self.end];
        match decode_frame_from(&self.framing, input, self.scanned) {
            Ok(Decoded::Frame(span)) => {
                self.scanned = 0;
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
                self.scanned = scanned_after_need(&self.framing, self.end - self.start);
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
        let mut d = FrameDecoder::new(Framing::U16.with_max_frame_len(100));
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
