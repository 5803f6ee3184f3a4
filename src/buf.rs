//! Records into a [`bytes::BufMut`] and out of a [`bytes::Buf`] (feature `bytes`).
//!
//! The same bytes as [`to_vec`](crate::to_vec) and [`from_bytes`](crate::from_bytes), written
//! to and read from the buffers of the `bytes` crate: a `BytesMut` that a socket will write
//! out, a `Bytes` a frame arrived in, a [`Buf::chain`] of several pieces.
//!
//! - [`to_buf_mut`] encodes straight into the buffer: a record of up to 256 bytes through a
//!   stack buffer (one `put_slice`), a larger one through one buffer of exactly its size.
//! - [`from_buf`] decodes from the buffer's first chunk without copying when the record lies
//!   in it whole, and otherwise gathers only the bytes it needs from the following chunks. The
//!   buffer is advanced past the record only when it decoded; on an error (including
//!   [`ErrorKind::Incomplete`]) it is left as it was.
//!
//! ```
//! use bytes::{Buf, BytesMut};
//!
//! let mut out = BytesMut::new();
//! netorder::buf::to_buf_mut(&(7u16, 0x0102_0304u32), &mut out)?;
//! netorder::buf::to_buf_mut(&(8u16, 5u32), &mut out)?;
//! assert_eq!(&out[..], [0, 7, 1, 2, 3, 4, 0, 8, 0, 0, 0, 5]);
//!
//! // Two records, split across two chunks in the middle of the second one.
//! let (a, b) = out.split_at(9);
//! let mut wire = a.chain(b);
//! assert_eq!(netorder::buf::from_buf::<(u16, u32), _>(&mut wire)?, (7, 0x0102_0304));
//! assert_eq!(netorder::buf::from_buf::<(u16, u32), _>(&mut wire)?, (8, 5));
//! assert_eq!(wire.remaining(), 0);
//!
//! // Out of input: incomplete, and the buffer is untouched.
//! let mut cut = &out[..5];
//! let err = netorder::buf::from_buf::<(u16, u32), _>(&mut cut).unwrap_err();
//! assert!(err.is_incomplete());
//! assert_eq!(cut.len(), 5);
//! # Ok::<(), netorder::Error>(())
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::prelude::*;
use crate::record::Config;
use bytes::{Buf, BufMut};
use serde::{Serialize, de::DeserializeOwned};
use std::io::IoSlice;

/// Records up to this many bytes are encoded on the stack (or, for a `BytesMut`, in place
/// after at most this many zeroed bytes) before one copy.
const STACK: usize = 256;

/// How many chunks of a multi-chunk [`Buf`] [`from_buf`] looks at.
const MAX_CHUNKS: usize = 64;

/// Encodes `value` with the default [`Config`] at the end of `buf`; returns the bytes written.
///
/// Fails with nothing written: a value that cannot be encoded (the record layer's errors), or
/// [`ErrorKind::BufferTooSmall`] when `buf` cannot take the whole record
/// ([`BufMut::remaining_mut`]).
///
/// ```
/// use bytes::BytesMut;
/// use netorder::ErrorKind;
///
/// let mut out = BytesMut::from(&b"head:"[..]);
/// assert_eq!(netorder::buf::to_buf_mut(&(1u8, -2i16), &mut out)?, 3);
/// assert_eq!(&out[..], b"head:\x01\xff\xfe");
///
/// // A fixed slice has only so much room: nothing is written.
/// let mut room = [0u8; 2];
/// let mut dst = &mut room[..];
/// let err = netorder::buf::to_buf_mut(&(1u8, -2i16), &mut dst).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 3, available: 2 });
/// assert_eq!(room, [0, 0]);
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn to_buf_mut<T, B>(value: &T, buf: &mut B) -> Result<usize>
where
    T: Serialize + ?Sized,
    B: BufMut + ?Sized,
{
    Config::new().to_buf_mut(value, buf)
}

/// Records into a [`BufMut`] and out of a [`Buf`] with this configuration (feature `bytes`):
/// the same operations as [`to_buf_mut`] and [`from_buf`], which use [`Config::new`].
impl Config {
    /// Encodes `value` with this configuration at the end of `buf`; returns the bytes
    /// written. Errors as [`to_buf_mut`].
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::Config;
    ///
    /// let mut out = BytesMut::new();
    /// Config::new().varint().to_buf_mut(&300u32, &mut out)?;
    /// assert_eq!(&out[..], [0xac, 0x02]);
    ///
    /// let err = Config::new().with_max_len(3).to_buf_mut("toolong", &mut out).unwrap_err();
    /// assert!(matches!(err.kind(), netorder::ErrorKind::LengthLimit { len: 7, limit: 3, .. }));
    /// assert_eq!(out.len(), 2);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn to_buf_mut<T, B>(&self, value: &T, buf: &mut B) -> Result<usize>
    where
        T: Serialize + ?Sized,
        B: BufMut + ?Sized,
    {
        let config = *self;
        let mut stack = [0u8; STACK];
        match config.to_slice(value, &mut stack) {
            Ok(n) => put_all(buf, &stack[..n]),
            Err(e) => match *e.kind() {
                ErrorKind::BufferTooSmall { needed, .. } => {
                    to_buf_mut_large(value, buf, config, needed)
                }
                _ => Err(e),
            },
        }
    }

    /// Decodes one `T` with this configuration from the start of `buf` and advances `buf`
    /// past it. See [`from_buf`].
    ///
    /// ```
    /// use bytes::Buf;
    /// use netorder::Config;
    ///
    /// let mut wire = (&[0xac][..]).chain(&[0x02, 7][..]); // a varint split across two chunks
    /// assert_eq!(Config::new().varint().from_buf::<u32, _>(&mut wire)?, 300);
    /// assert_eq!(wire.chunk(), [7]);
    ///
    /// let mut cut = &[0x80u8][..];
    /// let err = Config::new().varint().from_buf::<u32, _>(&mut cut).unwrap_err();
    /// assert!(err.is_incomplete());
    /// assert_eq!(cut, [0x80]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn from_buf<T, B>(&self, buf: &mut B) -> Result<T>
    where
        T: DeserializeOwned,
        B: Buf + ?Sized,
    {
        let config = *self;
        let chunk = buf.chunk();
        match config.take_from_bytes::<T>(chunk) {
            Ok((value, used)) => {
                buf.advance(used);
                Ok(value)
            }
            Err(e) if e.is_incomplete() && chunk.len() < buf.remaining() => {
                from_chunks(buf, config, e)
            }
            Err(e) => Err(e),
        }
    }
}

/// A record longer than the stack buffer: one buffer of exactly its size.
#[cold]
fn to_buf_mut_large<T, B>(value: &T, buf: &mut B, config: Config, needed: usize) -> Result<usize>
where
    T: Serialize + ?Sized,
    B: BufMut + ?Sized,
{
    check_room(buf, needed)?;
    let mut heap = vec![0u8; needed];
    let n = config.to_slice(value, &mut heap)?;
    put_all(buf, &heap[..n])
}

#[inline]
fn put_all<B: BufMut + ?Sized>(buf: &mut B, bytes: &[u8]) -> Result<usize> {
    check_room(buf, bytes.len())?;
    buf.put_slice(bytes);
    Ok(bytes.len())
}

#[inline]
fn check_room<B: BufMut + ?Sized>(buf: &B, needed: usize) -> Result<()> {
    let available = buf.remaining_mut();
    if available < needed {
        return Err(Error::new(ErrorKind::BufferTooSmall { needed, available }));
    }
    Ok(())
}

/// Decodes one `T` with the default [`Config`] from the start of `buf` and advances `buf`
/// past it; the bytes after the record stay for the next call.
///
/// No copy when the first chunk ([`Buf::chunk`]) holds the whole record. A record that
/// continues into later chunks is gathered into one buffer, no longer than the bytes the
/// record needs (at most twice that while its length is being found), from the chunks
/// [`Buf::chunks_vectored`] shows (up to 64: every piece of a [`Buf::chain`], both halves of
/// a `VecDeque`).
///
/// Errors, with `buf` not advanced: [`ErrorKind::Incomplete`] when the record runs past the
/// end of `buf` (offsets from the start of `buf`); the record layer's errors for bytes that
/// are not a `T`; [`ErrorKind::Unsupported`] when the record goes on past the chunks `buf`
/// shows while `buf` holds more (a `Buf` type that shows only its first chunk, or more than
/// 64 chunks): those bytes cannot be read without consuming them.
///
/// ```
/// use bytes::{Buf, Bytes};
/// use netorder::ErrorKind;
///
/// let mut wire = Bytes::from_static(&[0, 0, 0, 0, 0, 0, 0, 2, b'h', b'i', 0xff]);
/// assert_eq!(netorder::buf::from_buf::<String, _>(&mut wire)?, "hi");
/// assert_eq!(&wire[..], [0xff]);
///
/// let err = netorder::buf::from_buf::<bool, _>(&mut wire).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 0, byte: 0xff });
/// assert_eq!(wire.remaining(), 1);
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn from_buf<T, B>(buf: &mut B) -> Result<T>
where
    T: DeserializeOwned,
    B: Buf + ?Sized,
{
    Config::new().from_buf(buf)
}

/// [`Config::from_buf`] for a record that runs past the first chunk: gathers the bytes it needs,
/// doubling, from the chunks the `Buf` shows.
#[cold]
fn from_chunks<T, B>(buf: &mut B, config: Config, first: Error) -> Result<T>
where
    T: DeserializeOwned,
    B: Buf + ?Sized,
{
    let mut slices = [IoSlice::new(&[]); MAX_CHUNKS];
    let count = buf.chunks_vectored(&mut slices);
    let slices = &slices[..count];
    let shown: usize = slices.iter().map(|s| s.len()).sum();
    let mut gathered = Vec::new();
    let mut err = first;
    loop {
        let want = least_needed(&err)
            .max(gathered.len().saturating_mul(2))
            .min(shown);
        if want <= gathered.len() {
            // Everything shown is gathered and still not enough: out of input, or out of what
            // the `Buf` lets be seen without consuming it.
            if shown < buf.remaining() && least_needed(&err) <= buf.remaining() {
                return Err(Error::new(ErrorKind::Unsupported {
                    what: "a record past the chunks a Buf shows (chunks_vectored, at most 64)",
                }));
            }
            return Err(err);
        }
        append_range(slices, gathered.len(), want, &mut gathered);
        match config.take_from_bytes::<T>(&gathered) {
            Ok((value, used)) => {
                buf.advance(used);
                return Ok(value);
            }
            Err(e) if e.is_incomplete() => err = e,
            Err(e) => return Err(e),
        }
    }
}

/// The fewest bytes from the start that an `Incomplete` error says are needed.
fn least_needed(err: &Error) -> usize {
    match *err.kind() {
        ErrorKind::Incomplete { offset, needed, .. } => offset.saturating_add(needed),
        _ => 0,
    }
}

/// Appends bytes `from..to` of the concatenation of `slices` to `out`.
fn append_range(slices: &[IoSlice<'_>], from: usize, to: usize, out: &mut Vec<u8>) {
    out.reserve(to - from);
    let mut start = 0;
    for slice in slices {
        let end = start + slice.len();
        if end > from && start < to {
            let lo = from.saturating_sub(start);
            let hi = (to - start).min(slice.len());
            out.extend_from_slice(&slice[lo..hi]);
        }
        start = end;
        if start >= to {
            break;
        }
    }
}
