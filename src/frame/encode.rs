//! Encoding: the one place that sizes a frame's prefix, refuses an outgoing frame that the
//! framing cannot carry (over the maximum frame length, too long for the length field, not
//! the length of a fixed-length frame), and writes records straight into an output buffer,
//! growing it and trying again when a record is longer than the room offered first.
//!
//! Every endpoint that sends frames (`Conn`, the reactor's `Reply` and `NonBlockingConn`, the
//! tokio codecs) goes through here, so they all refuse the same frames with the same errors.

use super::{Framing, FramingKind};
use crate::error::{Error, ErrorKind, Result};
use crate::int::varint;
#[cfg(feature = "alloc")]
use crate::prelude::*;
#[cfg(feature = "alloc")]
use crate::record::{Config, FixedRecord, fixed};
#[cfg(feature = "alloc")]
use serde::Serialize;

/// The longest prefix any framing writes: a ten-byte varint.
#[cfg(feature = "alloc")]
const MAX_HEADER: usize = varint::MAX_LEN;

/// The room a record's first serialization gets when the buffer has no initialised room
/// ready ([`FrameBuf`] for `Vec` and `BytesMut`): most records fit, and a longer one says how
/// long it is, so the second try fits exactly.
#[cfg(feature = "alloc")]
const FIRST_TRY: usize = 256;

impl Framing {
    /// The one outgoing check: whether a payload of `len` bytes can go out in this framing.
    /// Over the maximum frame length or the length field's reach: [`ErrorKind::FrameTooLong`]
    /// (with the smaller of the two as `max`); for `fixed(n)`, another length than `n`:
    /// [`ErrorKind::LengthMismatch`].
    #[inline]
    pub(crate) fn check_len(self, len: usize) -> Result<()> {
        if let FramingKind::Fixed(n) = self.kind() {
            if len > self.max_frame_len() {
                return Err(too_long(len, self.max_frame_len()));
            }
            if len != n {
                return Err(Error::new(ErrorKind::LengthMismatch {
                    expected: n,
                    actual: len,
                }));
            }
            return Ok(());
        }
        let max = self.send_limit();
        if len > max {
            return Err(too_long(len, max));
        }
        Ok(())
    }

    /// The longest payload that can go out: the maximum frame length, or less when the length
    /// field cannot say more (or, for `fixed(n)`, `n`).
    #[inline]
    fn send_limit(self) -> usize {
        let field = usize::try_from(self.max_payload_len()).unwrap_or(usize::MAX);
        self.max_frame_len().min(field)
    }
}

#[cold]
fn too_long(len: usize, max: usize) -> Error {
    Error::new(ErrorKind::FrameTooLong {
        len: len as u64,
        max: max as u64,
    })
}

/// Writes the prefix for a `len`-byte payload into `dst`, which is exactly
/// [`Framing::header_len`]`(len)` bytes, for a length [`Framing::check_len`] accepted.
#[inline]
fn put_header(framing: Framing, len: usize, dst: &mut [u8]) {
    match framing.kind() {
        FramingKind::Fixed(_) => {}
        FramingKind::U16 => dst.copy_from_slice(&(len as u16).to_be_bytes()),
        FramingKind::U32 => dst.copy_from_slice(&(len as u32).to_be_bytes()),
        FramingKind::Varint => {
            let mut prefix = [0u8; varint::MAX_LEN];
            let n = varint::encode(len as u64, &mut prefix);
            dst.copy_from_slice(&prefix[..n]);
        }
    }
}

/// Writes the length prefix for a `len`-byte payload at the start of `out`; returns the bytes
/// written (0 for fixed-length frames). Fails, with `out` untouched, when the framing cannot
/// carry `len` bytes: over the maximum frame length or the length field's reach (a 70 000-byte
/// `u16` frame is [`ErrorKind::FrameTooLong`], never a silently wrapped length), or not `n`
/// for `fixed(n)` ([`ErrorKind::LengthMismatch`]); and [`ErrorKind::BufferTooSmall`] when `out`
/// is shorter than the prefix ([`Framing::header_len`]).
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, write_header}};
///
/// let mut out = [0u8; 4];
/// assert_eq!(write_header(Framing::U32, 258, &mut out)?, 4);
/// assert_eq!(out, [0, 0, 1, 2]);
/// let err = write_header(Framing::U32, 1, &mut out[..3]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 4, available: 3 });
/// let err = write_header(Framing::U32.with_max_frame_len(8), 9, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 9, max: 8 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn write_header(framing: Framing, len: usize, out: &mut [u8]) -> Result<usize> {
    framing.check_len(len)?;
    let needed = framing.header_len(len);
    let available = out.len();
    let dst = out
        .get_mut(..needed)
        .ok_or_else(|| Error::new(ErrorKind::BufferTooSmall { needed, available }))?;
    put_header(framing, len, dst);
    Ok(needed)
}

/// What a framing puts around one payload that is sent from where it lies (`Conn` writes a
/// long payload straight from the caller's slice): the bytes before it, and the bytes after
/// it (none for the framings there are; a delimiter or a checksum trailer would go there).
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Envelope {
    head: [u8; MAX_HEADER],
    head_len: usize,
}

#[cfg(feature = "alloc")]
impl Envelope {
    /// The bytes before the payload.
    #[inline]
    pub(crate) fn head(&self) -> &[u8] {
        &self.head[..self.head_len]
    }

    /// The bytes after the payload.
    #[inline]
    pub(crate) fn tail(&self) -> &[u8] {
        &[]
    }

    /// Bytes before and after the payload.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.head_len
    }
}

/// The bytes `framing` puts around `payload`, once the framing has accepted it (errors as
/// [`write_header`]).
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn envelope(framing: Framing, payload: &[u8]) -> Result<Envelope> {
    let mut head = [0u8; MAX_HEADER];
    let head_len = write_header(framing, payload.len(), &mut head)?;
    Ok(Envelope { head, head_len })
}

/// Keeps [`FrameBuf`] to the buffer types of this crate (its methods may change).
#[cfg(feature = "alloc")]
pub(crate) mod sealed {
    /// Implemented by the types that may be [`FrameBuf`](super::FrameBuf)s.
    pub trait Sealed {}
}

/// A buffer frames are appended to: `Vec<u8>`, and `bytes::BytesMut` with the feature `bytes`
/// (the connections' write buffers are others, inside the crate). Its methods are the
/// encoder's business; use it through [`encode_frame`], [`encode_header`], [`encode_record`]
/// and [`encode_fixed`].
///
/// ```
/// use netorder::frame::{Framing, encode_frame};
///
/// let mut vec = Vec::new();
/// encode_frame(Framing::U16, b"vec", &mut vec)?;
/// assert_eq!(vec, b"\0\x03vec");
/// // What the framing refuses leaves the buffer as it was.
/// assert!(encode_frame(Framing::fixed(2), b"vec", &mut vec).is_err());
/// assert_eq!(vec.len(), 5);
/// # Ok::<(), netorder::Error>(())
/// ```
#[cfg(feature = "alloc")]
pub trait FrameBuf: sealed::Sealed {
    /// Bytes held: the next frame starts here.
    #[doc(hidden)]
    fn held(&self) -> usize;

    /// Initialised bytes after the ones held, offered to a record's first serialization
    /// without being zeroed first (none for `Vec` and `BytesMut`).
    #[doc(hidden)]
    #[inline]
    fn ready(&self) -> usize {
        0
    }

    /// Makes the buffer hold `len` bytes: drops the ones past `len`, or adds initialised ones
    /// of unspecified value.
    #[doc(hidden)]
    fn set_held(&mut self, len: usize);

    /// The bytes held.
    #[doc(hidden)]
    fn held_mut(&mut self) -> &mut [u8];

    /// Makes room for `additional` more bytes.
    #[doc(hidden)]
    fn reserve_more(&mut self, additional: usize);

    /// Appends `bytes`.
    #[doc(hidden)]
    fn append(&mut self, bytes: &[u8]);
}

#[cfg(feature = "alloc")]
impl sealed::Sealed for Vec<u8> {}

#[cfg(feature = "alloc")]
impl FrameBuf for Vec<u8> {
    #[inline]
    fn held(&self) -> usize {
        self.len()
    }
    #[inline]
    fn set_held(&mut self, len: usize) {
        self.resize(len, 0);
    }
    #[inline]
    fn held_mut(&mut self) -> &mut [u8] {
        self
    }
    #[inline]
    fn reserve_more(&mut self, additional: usize) {
        self.reserve(additional);
    }
    #[inline]
    fn append(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

#[cfg(feature = "bytes")]
impl sealed::Sealed for bytes::BytesMut {}

#[cfg(feature = "bytes")]
impl FrameBuf for bytes::BytesMut {
    #[inline]
    fn held(&self) -> usize {
        self.len()
    }
    #[inline]
    fn set_held(&mut self, len: usize) {
        self.resize(len, 0);
    }
    #[inline]
    fn held_mut(&mut self) -> &mut [u8] {
        self
    }
    #[inline]
    fn reserve_more(&mut self, additional: usize) {
        self.reserve(additional);
    }
    #[inline]
    fn append(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

#[cfg(feature = "alloc")]
/// Appends the length prefix for a `len`-byte payload to `out`; returns the bytes written
/// (0 for fixed-length frames). Errors as [`write_header`], leaving `out` as it was.
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, encode_header}};
///
/// let mut out = Vec::new();
/// assert_eq!(encode_header(Framing::VARINT, 300, &mut out)?, 2);
/// assert_eq!(out, [0xAC, 0x02]);
/// let err = encode_header(Framing::U16, 70_000, &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 70_000, max: 65_535 });
/// assert_eq!(out.len(), 2);
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_header<B: FrameBuf + ?Sized>(
    framing: Framing,
    len: usize,
    out: &mut B,
) -> Result<usize> {
    let mut header = [0u8; MAX_HEADER];
    let n = write_header(framing, len, &mut header)?;
    out.append(&header[..n]);
    Ok(n)
}

#[cfg(feature = "alloc")]
/// Appends one frame (prefix, then `payload`) to `out`; returns the bytes written. Errors as
/// [`write_header`] (the payload over the maximum frame length or its length field,
/// [`ErrorKind::FrameTooLong`]; not `n` bytes for `fixed(n)`, [`ErrorKind::LengthMismatch`]),
/// leaving `out` as it was.
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
/// let err = encode_frame(Framing::fixed(4), b"abc", &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 4, actual: 3 });
/// let err = encode_frame(Framing::U32.with_max_frame_len(2), b"abc", &mut out).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 3, max: 2 });
/// assert_eq!(out.len(), 7); // untouched by the failures
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_frame<B: FrameBuf + ?Sized>(
    framing: Framing,
    payload: &[u8],
    out: &mut B,
) -> Result<usize> {
    let envelope = envelope(framing, payload)?;
    out.reserve_more(envelope.len() + payload.len());
    out.append(envelope.head());
    out.append(payload);
    out.append(envelope.tail());
    Ok(envelope.len() + payload.len())
}

#[cfg(feature = "alloc")]
/// Serializes `value` with `config` and appends it to `out` as one frame; returns the bytes
/// written. The record is serialized in place, after room for its prefix (a varint prefix is
/// guessed at one byte and the record moved up when it needs more); a record longer than the
/// room offered first is serialized again into room of exactly its size, which is checked
/// against the framing before anything is set aside for it.
///
/// Errors, with `out` as it was: the record layer's for a value that cannot be serialized;
/// as [`encode_frame`] for a record the framing cannot carry (over the maximum frame length:
/// [`ErrorKind::FrameTooLong`]).
///
/// ```
/// use netorder::{Config, ErrorKind, frame::{Framing, encode_record}};
///
/// let mut out = Vec::new();
/// encode_record(Framing::U16, Config::new(), &(1u16, 0x0A0B0C0Du32), &mut out)?;
/// assert_eq!(out, [0, 6, 0, 1, 0x0A, 0x0B, 0x0C, 0x0D]);
///
/// let long = vec![7u8; 1000]; // 8 bytes of length, then 1000
/// let err = encode_record(Framing::U16.with_max_frame_len(512), Config::new(), &long, &mut out)
///     .unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 1008, max: 512 });
/// assert_eq!(out.len(), 8);
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_record<T, B>(
    framing: Framing,
    config: Config,
    value: &T,
    out: &mut B,
) -> Result<usize>
where
    T: Serialize + ?Sized,
    B: FrameBuf + ?Sized,
{
    let at = out.held();
    let guess = framing.min_header_len();
    let first = out
        .ready()
        .saturating_sub(guess)
        .max(FIRST_TRY)
        .min(framing.send_limit());
    out.set_held(at + guess + first);
    let len = match config.to_slice(value, &mut out.held_mut()[at + guess..]) {
        Ok(len) => len,
        Err(e) => encode_record_again(framing, config, value, out, at, e)?,
    };
    finish(framing, out, at, guess, len)
}

#[cfg(feature = "alloc")]
/// [`encode_record`] for a record that did not fit the room offered first: room of exactly
/// its size, once the framing has accepted that size, and a second serialization.
#[cold]
#[inline(never)]
fn encode_record_again<T, B>(
    framing: Framing,
    config: Config,
    value: &T,
    out: &mut B,
    at: usize,
    err: Error,
) -> Result<usize>
where
    T: Serialize + ?Sized,
    B: FrameBuf + ?Sized,
{
    let guess = framing.min_header_len();
    let result = match *err.kind() {
        ErrorKind::BufferTooSmall { needed, .. } => framing.check_len(needed).and_then(|()| {
            out.set_held(at + guess + needed);
            config.to_slice(value, &mut out.held_mut()[at + guess..])
        }),
        _ => Err(err),
    };
    if result.is_err() {
        out.set_held(at);
    }
    result
}

#[cfg(feature = "alloc")]
/// Completes a frame whose `len`-byte payload lies at `out[at + guess..]`: checks the length,
/// moves the payload when the prefix is not `guess` bytes long, writes the prefix, and drops
/// what lies past the frame. Returns the frame's length; on error `out` holds `at` bytes.
#[inline]
fn finish<B: FrameBuf + ?Sized>(
    framing: Framing,
    out: &mut B,
    at: usize,
    guess: usize,
    len: usize,
) -> Result<usize> {
    if let Err(e) = framing.check_len(len) {
        out.set_held(at);
        return Err(e);
    }
    // Never shorter than the guess: `guess` is the framing's shortest prefix.
    let head_len = framing.header_len(len);
    let end = at + head_len + len;
    out.set_held(end);
    let bytes = out.held_mut();
    if head_len != guess {
        bytes.copy_within(at + guess..at + guess + len, at + head_len);
    }
    put_header(framing, len, &mut bytes[at..at + head_len]);
    Ok(end - at)
}

#[cfg(feature = "alloc")]
/// Appends a [`FixedRecord`] to `out` as one frame: its prefix and its bytes written at their
/// known size ([`record::fixed`](crate::record::fixed)); returns the bytes written. The bytes
/// are those [`encode_record`] writes for the same value with the default [`Config`].
///
/// Errors, with `out` as it was: as [`encode_frame`] for a record the framing cannot carry.
///
/// ```
/// use netorder::{ErrorKind, frame::{Framing, encode_fixed}, record::FixedRecord};
///
/// #[derive(FixedRecord)]
/// struct Reading { sensor: u16, value: i32 }
///
/// let mut out = Vec::new();
/// encode_fixed(Framing::U16, &Reading { sensor: 7, value: -40 }, &mut out)?;
/// assert_eq!(out, [0, 6, 0, 7, 0xFF, 0xFF, 0xFF, 0xD8]);
/// let err = encode_fixed(Framing::fixed(4), &Reading { sensor: 7, value: -40 }, &mut out)
///     .unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 4, actual: 6 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn encode_fixed<T, B>(framing: Framing, value: &T, out: &mut B) -> Result<usize>
where
    T: FixedRecord,
    B: FrameBuf + ?Sized,
{
    let len = T::SIZE;
    framing.check_len(len)?;
    let head_len = framing.header_len(len);
    let at = out.held();
    let end = at + head_len + len;
    out.set_held(end);
    let frame = &mut out.held_mut()[at..end];
    let (head, body) = frame.split_at_mut(head_len);
    put_header(framing, len, head);
    if let Err(e) = fixed::to_slice(value, body) {
        out.set_held(at);
        return Err(e);
    }
    Ok(end - at)
}
