//! Encoding: the one place that sizes a frame's prefix, refuses an outgoing frame that the
//! framing cannot carry (over the maximum frame length, too long for the length field, not
//! the length of a fixed-length frame), and writes records straight into an output buffer,
//! growing it and trying again when a record is longer than the room offered first.
//!
//! Every endpoint that sends frames (`Conn`, the reactor's `Reply` and `NonBlockingConn`, the
//! tokio codecs) goes through here, so they all refuse the same frames with the same errors.

#[cfg(feature = "alloc")]
use super::tail::{envelope, put_tail};
use super::{Framing, FramingKind};
use crate::error::{Error, ErrorKind, Result};
use crate::int::varint;
#[cfg(feature = "alloc")]
use crate::prelude::*;
#[cfg(feature = "alloc")]
use crate::record::{Config, FixedRecord, fixed};
#[cfg(feature = "alloc")]
use serde::Serialize;

/// The room a record's first serialization gets when the buffer has no initialised room
/// ready ([`FrameBuf`] for `Vec` and `BytesMut`): most records fit, and a longer one says how
/// long it is, so the second try fits exactly.
#[cfg(feature = "alloc")]
const FIRST_TRY: usize = 256;

impl Framing {
    /// The one outgoing check, and the prefix: whether a payload of `len` bytes can go out in
    /// this framing, and the prefix that goes before it. Over the maximum frame length or the
    /// length field's reach: [`ErrorKind::FrameTooLong`] (with the smaller of the two as
    /// `max`); for `fixed(n)`, another length than `n`: [`ErrorKind::LengthMismatch`].
    #[inline(always)]
    pub(crate) fn prefix(&self, len: usize) -> Result<Prefix> {
        // One `match` for the length field's reach, the prefix and (for `fixed(n)`) the
        // exact length; then one comparison with the maximum frame length.
        let (reach, prefix, exact) = match self.kind() {
            FramingKind::Fixed(n) => (n as u64, Prefix::word(0, 0), len == n),
            FramingKind::U16 => {
                let word = u128::from((len as u16).swap_bytes());
                (u64::from(u16::MAX), Prefix::word(2, word), true)
            }
            FramingKind::U32 => {
                let word = u128::from((len as u32).swap_bytes());
                (u64::from(u32::MAX), Prefix::word(4, word), true)
            }
            FramingKind::Varint => (u64::MAX, Prefix::varint(len), true),
            FramingKind::LengthField(field) => match field.encode(len) {
                Some(word) => (
                    u64::MAX,
                    Prefix::word(field.length_field_length(), word),
                    true,
                ),
                None => (u64::MAX, Prefix::word(0, 0), false),
            },
            FramingKind::Delimited(_) => (u64::MAX, Prefix::word(0, 0), true),
        };
        if exact && len as u64 <= reach && len <= self.max_frame_len() {
            Ok(prefix)
        } else {
            Err(self.refusal(len))
        }
    }

    #[cfg(feature = "alloc")]
    /// [`Framing::prefix`]'s check and the prefix's length alone.
    #[inline(always)]
    pub(crate) fn prefix_len(&self, len: usize) -> Result<usize> {
        // The rules of `prefix`, without writing the prefix (a test checks they agree).
        let (reach, head_len, exact) = match self.kind() {
            FramingKind::Fixed(n) => (n as u64, 0, len == n),
            FramingKind::U16 => (u64::from(u16::MAX), 2, true),
            FramingKind::U32 => (u64::from(u32::MAX), 4, true),
            FramingKind::Varint => (u64::MAX, varint::encoded_len(len as u64), true),
            FramingKind::LengthField(field) => (
                u64::MAX,
                field.length_field_length(),
                field.encode(len).is_some(),
            ),
            FramingKind::Delimited(_) => (u64::MAX, 0, true),
        };
        if exact && len as u64 <= reach && len <= self.max_frame_len() {
            Ok(head_len)
        } else {
            Err(self.refusal(len))
        }
    }

    /// Why [`Framing::prefix_len`] refused `len`.
    #[cold]
    #[inline(never)]
    fn refusal(&self, len: usize) -> Error {
        match self.kind() {
            FramingKind::Fixed(n) if len <= self.max_frame_len() => {
                Error::new(ErrorKind::LengthMismatch {
                    expected: n,
                    actual: len,
                })
            }
            FramingKind::Fixed(_) => too_long(len, self.max_frame_len()),
            FramingKind::LengthField(field) if len <= self.max_frame_len() => {
                Error::new(ErrorKind::LengthAdjustment {
                    offset: 0,
                    len: len as u64,
                    adjustment: field.length_adjustment() as i64,
                })
            }
            _ => too_long(len, self.send_limit()),
        }
    }

    /// The shortest prefix (where an encoder puts a record before it knows its length) and
    /// how much longer the longest is: one `match`.
    #[cfg(feature = "alloc")]
    #[inline(always)]
    fn prefix_guess(&self) -> (usize, usize) {
        match self.kind() {
            FramingKind::Fixed(_) => (0, 0),
            FramingKind::U16 => (2, 0),
            FramingKind::U32 => (4, 0),
            FramingKind::Varint => (1, varint::MAX_LEN - 1),
            FramingKind::LengthField(field) => (field.length_field_length(), 0),
            FramingKind::Delimited(_) => (0, 0),
        }
    }

    #[cfg(feature = "alloc")]
    /// [`Framing::prefix_len`] as a check alone.
    #[inline]
    pub(crate) fn check_len(self, len: usize) -> Result<()> {
        self.prefix_len(len).map(|_| ())
    }

    /// The longest payload that can go out: the maximum frame length, or less when the length
    /// field cannot say more (or, for `fixed(n)`, `n`).
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

/// A frame's prefix, checked and encoded ([`Framing::prefix`]): its length and its bytes,
/// little-endian in a `u128` (every prefix is at most ten bytes), so that it is written with
/// one 16-byte store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prefix {
    word: u128,
    len: usize,
}

impl Prefix {
    /// A prefix of `len` bytes, little-endian in `word`.
    #[inline(always)]
    fn word(len: usize, word: u128) -> Prefix {
        Prefix { word, len }
    }

    /// The LEB128 prefix of a `len`-byte payload.
    #[inline]
    fn varint(len: usize) -> Prefix {
        let (leb, n) = varint::encode_array(len as u64);
        let mut bytes = [0u8; 16];
        bytes[..varint::MAX_LEN].copy_from_slice(&leb);
        Prefix {
            word: u128::from_le_bytes(bytes),
            len: n,
        }
    }

    /// The prefix's bytes: the first [`Prefix::len`] of these.
    #[inline(always)]
    pub(crate) fn bytes(&self) -> [u8; 16] {
        self.word.to_le_bytes()
    }

    /// Its length.
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[cfg(feature = "alloc")]
    /// Writes the prefix at the start of `dst`, which has room for it, *and may write up to 16
    /// bytes*: for a frame whose payload is written after its prefix (one store, no `memcpy`).
    #[inline(always)]
    fn put_over(&self, dst: &mut [u8]) {
        match dst.first_chunk_mut::<16>() {
            Some(dst) => *dst = self.word.to_le_bytes(),
            None => put_short(self.word, self.len, dst),
        }
    }
}

#[cfg(feature = "alloc")]
/// [`Prefix::put_over`] into a frame shorter than 16 bytes.
#[cold]
#[inline(never)]
fn put_short(word: u128, len: usize, dst: &mut [u8]) {
    let bytes = word.to_le_bytes();
    if let (Some(dst), Some(src)) = (dst.get_mut(..len), bytes.get(..len)) {
        dst.copy_from_slice(src);
    }
}

/// Writes the prefix for a `len`-byte payload at the start of `dst`, for a length
/// [`Framing::prefix_len`] accepted; `dst` is at least that long (the whole frame, usually,
/// so the fixed-width length fields are fixed-size stores: no bounds check, no `memcpy`).
#[cfg(feature = "alloc")]
#[inline(always)]
fn put_header(framing: &Framing, len: usize, dst: &mut [u8]) {
    match framing.kind() {
        FramingKind::Fixed(_) => {}
        FramingKind::U16 => {
            if let Some(dst) = dst.first_chunk_mut::<2>() {
                *dst = (len as u16).to_be_bytes();
            }
        }
        FramingKind::U32 => {
            if let Some(dst) = dst.first_chunk_mut::<4>() {
                *dst = (len as u32).to_be_bytes();
            }
        }
        FramingKind::Varint => {
            // The byte loop writes exactly the prefix's bytes (one round for most frames).
            let _ = varint::encode(len as u64, dst);
        }
        FramingKind::LengthField(field) => {
            let width = field.length_field_length();
            if let (Some(word), Some(dst)) = (field.encode(len), dst.get_mut(..width)) {
                dst.copy_from_slice(&word.to_le_bytes()[..width]);
            }
        }
        FramingKind::Delimited(_) => {}
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
    let prefix = framing.prefix(len)?;
    let needed = prefix.len();
    let available = out.len();
    let dst = out
        .get_mut(..needed)
        .ok_or_else(|| Error::new(ErrorKind::BufferTooSmall { needed, available }))?;
    dst.copy_from_slice(&prefix.bytes()[..needed]);
    Ok(needed)
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

    /// Initialised bytes from `at` (at most [`FrameBuf::held`]) to the end of what the buffer
    /// has ready, at least `min` of them (it grows, zero-filled, when it has fewer). Scratch
    /// room for one frame until [`FrameBuf::commit`].
    #[doc(hidden)]
    fn spare(&mut self, at: usize, min: usize) -> &mut [u8];

    /// The buffer holds `len` bytes: those written up to there are kept, the scratch room past
    /// them is dropped (`len` is between the `at` of the last [`FrameBuf::spare`] and the end
    /// of its room).
    #[doc(hidden)]
    fn commit(&mut self, len: usize);

    /// Appends `bytes`.
    #[doc(hidden)]
    fn append(&mut self, bytes: &[u8]);
}

#[cfg(feature = "alloc")]
/// `FrameBuf` for the growable byte buffers, which have no room ready past their length:
/// scratch room is zero-filled on request and truncated on commit.
macro_rules! growable_frame_buf {
    ($ty:ty) => {
        impl sealed::Sealed for $ty {}

        impl FrameBuf for $ty {
            #[inline]
            fn held(&self) -> usize {
                self.len()
            }
            #[inline]
            fn spare(&mut self, at: usize, min: usize) -> &mut [u8] {
                let want = at + min;
                if self.len() < want {
                    self.resize(want, 0);
                }
                &mut self[at..]
            }
            #[inline]
            fn commit(&mut self, len: usize) {
                self.truncate(len);
            }
            #[inline]
            fn append(&mut self, bytes: &[u8]) {
                self.extend_from_slice(bytes);
            }
        }
    };
}

#[cfg(feature = "alloc")]
growable_frame_buf!(Vec<u8>);
#[cfg(feature = "bytes")]
growable_frame_buf!(bytes::BytesMut);

/// Appends the first `len` (at most 16) bytes of `bytes` to `out`: one fixed-size copy per
/// length (a prefix's length is known only at run time when the framing is; a `memcpy` call
/// for 3 bytes would cost more than the frame's other work).
#[cfg(feature = "alloc")]
#[inline(always)]
fn append_short<B: FrameBuf + ?Sized>(out: &mut B, bytes: &[u8; 16], len: usize) {
    match len {
        0 => {}
        1 => out.append(&bytes[..1]),
        2 => out.append(&bytes[..2]),
        3 => out.append(&bytes[..3]),
        4 => out.append(&bytes[..4]),
        8 => out.append(&bytes[..8]),
        _ => out.append(&bytes[..len.min(16)]),
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
    let prefix = framing.prefix(len)?;
    append_short(out, &prefix.bytes(), prefix.len());
    Ok(prefix.len())
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
#[inline(always)]
pub fn encode_frame<B: FrameBuf + ?Sized>(
    framing: Framing,
    payload: &[u8],
    out: &mut B,
) -> Result<usize> {
    if framing.tail_len() == 0 {
        // No delimiter, no trailer: the prefix and the payload.
        let prefix = framing.prefix(payload.len())?;
        append_short(out, &prefix.bytes(), prefix.len());
        out.append(payload);
        return Ok(prefix.len() + payload.len());
    }
    let envelope = envelope(framing, payload)?;
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
#[inline(always)]
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
    encode_record_ref(&framing, config, value, out)
}

/// [`encode_record`] with the framing where it lies (a connection's or a codec's), not copied.
#[cfg(feature = "alloc")]
#[inline(always)]
pub(crate) fn encode_record_ref<T, B>(
    framing: &Framing,
    config: Config,
    value: &T,
    out: &mut B,
) -> Result<usize>
where
    T: Serialize + ?Sized,
    B: FrameBuf + ?Sized,
{
    let at = out.held();
    // The payload goes after room for the shortest prefix, with room kept after it for the
    // longest (a varint prefix of more than one byte moves the payload up).
    let (guess, slack) = framing.prefix_guess();
    let slack = slack + framing.tail_len();
    let room = out.spare(at, guess + FIRST_TRY.min(framing.max_frame_len()) + slack);
    let end = room.len() - slack;
    let frame = match config.to_slice(value, &mut room[guess..end]) {
        Ok(len) => finish(framing, room, guess, len),
        Err(e) => encode_record_again(*framing, config, value, out, at, e),
    };
    match frame {
        Ok(n) => {
            out.commit(at + n);
            Ok(n)
        }
        Err(e) => {
            out.commit(at);
            Err(e)
        }
    }
}

#[cfg(feature = "alloc")]
/// [`encode_record`] for a record that did not fit the room offered first: room of exactly
/// its size, once the framing has accepted that size, and a second serialization. Returns the
/// frame's length (the caller commits).
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
    let ErrorKind::BufferTooSmall { needed, .. } = *err.kind() else {
        return Err(err);
    };
    framing.check_len(needed)?;
    let (guess, slack) = framing.prefix_guess();
    let room = out.spare(at, guess + needed + slack + framing.tail_len());
    let len = config.to_slice(value, &mut room[guess..guess + needed])?;
    finish(&framing, room, guess, len)
}

#[cfg(feature = "alloc")]
/// Completes a frame in `frame` whose `len`-byte payload lies at `frame[guess..]`: checks the
/// length, moves the payload when the prefix is not `guess` bytes long (`frame` has room for
/// the longest prefix), and writes the prefix. Returns the frame's length.
#[inline(always)]
fn finish(framing: &Framing, frame: &mut [u8], guess: usize, len: usize) -> Result<usize> {
    let head_len = framing.prefix_len(len)?;
    // Never shorter than the guess: `guess` is the framing's shortest prefix.
    if head_len != guess {
        frame.copy_within(guess..guess + len, head_len);
    }
    put_header(framing, len, frame);
    if framing.tail_len() == 0 {
        return Ok(head_len + len);
    }
    let tail = put_tail(framing, frame, head_len..head_len + len, head_len + len)?;
    Ok(head_len + len + tail)
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
#[inline(always)]
pub fn encode_fixed<T, B>(framing: Framing, value: &T, out: &mut B) -> Result<usize>
where
    T: FixedRecord,
    B: FrameBuf + ?Sized,
{
    encode_fixed_ref(&framing, value, out)
}

/// [`encode_fixed`] with the framing where it lies (a connection's), not copied.
#[cfg(feature = "alloc")]
#[inline(always)]
pub(crate) fn encode_fixed_ref<T, B>(framing: &Framing, value: &T, out: &mut B) -> Result<usize>
where
    T: FixedRecord,
    B: FrameBuf + ?Sized,
{
    let len = T::SIZE;
    let prefix = framing.prefix(len)?;
    if framing.tail_len() != 0 {
        return encode_fixed_with_tail(framing, prefix, value, out);
    }
    let head_len = prefix.len();
    let at = out.held();
    // Exactly the frame: its length known, the stores below need no more checks.
    let frame = &mut out.spare(at, head_len + len)[..head_len + len];
    prefix.put_over(frame);
    match fixed::to_slice(value, &mut frame[head_len..]) {
        Ok(_) => {
            out.commit(at + head_len + len);
            Ok(head_len + len)
        }
        Err(e) => {
            out.commit(at);
            Err(e)
        }
    }
}

/// [`encode_fixed_ref`] for a framing with a tail (a delimiter, a checksum trailer), out of
/// line: the record, then the tail written after it.
#[cfg(feature = "alloc")]
#[inline(never)]
fn encode_fixed_with_tail<T, B>(
    framing: &Framing,
    prefix: Prefix,
    value: &T,
    out: &mut B,
) -> Result<usize>
where
    T: FixedRecord,
    B: FrameBuf + ?Sized,
{
    let len = T::SIZE;
    let head_len = prefix.len();
    let tail_len = framing.tail_len();
    let at = out.held();
    let frame = &mut out.spare(at, head_len + len + tail_len)[..head_len + len + tail_len];
    prefix.put_over(frame);
    let written = fixed::to_slice(value, &mut frame[head_len..head_len + len])
        .and_then(|_| put_tail(framing, frame, head_len..head_len + len, head_len + len))
        .map(|_| head_len + len + tail_len);
    match written {
        Ok(n) => {
            out.commit(at + n);
            Ok(n)
        }
        Err(e) => {
            out.commit(at);
            Err(e)
        }
    }
}

#[cfg(all(test, feature = "alloc"))]
#[path = "encode_tests.rs"]
mod tests;
