//! Layer 3: serde records.
//!
//! Any `Serialize`/`Deserialize` type becomes a record: its fields in order, no names, no
//! padding. With the default [`Config`] the bytes are network order (big-endian) with
//! fixed-width integers: byte for byte what bincode 2 writes with
//! `bincode::config::standard().with_big_endian().with_fixed_int_encoding()`, and, for a struct
//! of integers, floats, bools and byte arrays, what Python's `struct.pack` writes with a `!`
//! format.
//!
//! | Rust | bytes (default config) |
//! |---|---|
//! | `u8`..`u128`, `i8`..`i128` | the integer, big-endian, full width |
//! | `usize`, `isize` | 8 bytes, as `u64`/`i64` |
//! | `f32`, `f64` | IEEE 754, big-endian |
//! | `bool` | one byte, `0` or `1` (any other byte is [`ErrorKind::InvalidBool`]) |
//! | `char` | its UTF-8 bytes, 1 to 4, **no length** (what bincode 2 really writes) |
//! | `[T; N]`, tuples, structs | the elements in order, no length |
//! | `Vec<T>`, `&[T]`, `String`, `&str`, bytes, maps | a `u64` length, then the elements |
//! | `Option<T>` | a `u8` tag, `0` (None) or `1` then `T` ([`ErrorKind::InvalidTag`]) |
//! | enums | a `u32` variant index, then the variant's fields |
//! | `()`, unit structs, unit variants' content | nothing |
//!
//! **`char`:** bincode 2's specification (`docs/spec.md`) says a `char` is written as a 32-bit
//! Unicode scalar value, but bincode 2.0.1 really writes its UTF-8 encoding, 1 to 4 bytes with
//! no length, and reads it back the same way. netorder matches the bytes bincode writes, so a
//! `char` is of variable size ([`record_size`] says so). A first byte that starts no UTF-8
//! sequence, a surrogate or a code point past `U+10FFFF` is [`ErrorKind::InvalidChar`].
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Header { kind: u8, len: u16, seq: u32 }
//!
//! let h = Header { kind: 1, len: 0x0203, seq: 0x04050607 };
//! let bytes = netorder::to_vec(&h)?;
//! assert_eq!(bytes, [1, 2, 3, 4, 5, 6, 7]); // what struct.pack("!BHI", 1, 0x203, 0x4050607) gives
//! assert_eq!(netorder::from_bytes::<Header>(&bytes)?, h);
//! assert_eq!(netorder::record_size::<Header>()?, 7);
//!
//! // Hostile input: one byte short is "incomplete", not garbage.
//! let err = netorder::from_bytes::<Header>(&bytes[..6]).unwrap_err();
//! assert!(err.is_incomplete());
//! assert_eq!(err.field(), Some("seq"));
//! # Ok::<(), netorder::Error>(())
//! ```
//!
//! Decoders take untrusted bytes: they never panic, never read past the end, check every
//! length against [`Config::max_len`] before allocating, and stop nesting at
//! [`Config::max_depth`]. Errors carry the byte offset and the field path
//! ([`Error::field`](crate::Error::field)), e.g. `items[3].name`.
//!
//! Other encodings of the integers (little-endian, LEB128 varints, fixed-width ASCII
//! decimal) are chosen with a [`Config`], whose methods are the same operations.
//!
//! **How errors are found.** Encoding into a slice, counting, and decoding from a slice run a
//! first pass that builds no errors: every check that fails leads to the same placeholder, so
//! a record's fields cost a compare each and nothing else. Only when that pass fails is the
//! value encoded or decoded a second time, building the error where it is found (kind, byte
//! offset, and the field path on the way out). Both passes run the same checks on the same
//! value or bytes, so the error is the one a single pass would report; a `Serialize` or
//! `Deserialize` impl of your own that does something different each time it is called (and
//! fails) has its second call's error reported. Readers (`from_reader`) are read once and
//! build errors as they go.

// Without `alloc` the docs still name the `Vec` functions (they link with it).
#![cfg_attr(not(feature = "alloc"), allow(rustdoc::broken_intra_doc_links))]

pub mod bits;
mod config;
mod de;
mod depth;
pub(crate) mod describe;
mod fail;
pub mod fixed;
mod input;
pub(crate) mod path;
mod ser;
#[cfg(feature = "alloc")]
pub(crate) mod trace;
pub mod view;
mod wire;

pub use bits::BitValue;
pub use config::Config;
pub(crate) use config::IntMode;
pub(crate) use config::with_flavor;
pub use fixed::FixedRecord;

#[cfg(doc)]
use crate::error::ErrorKind;
use crate::error::{Error, Result};
#[cfg(feature = "alloc")]
use crate::prelude::*;
#[cfg(feature = "alloc")]
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[cfg(feature = "alloc")]
/// Encodes `value` into a new `Vec` with the default [`Config`] ([`Config::to_vec`] for
/// another).
///
/// ```
/// assert_eq!(netorder::to_vec(&(1u16, -1i8, true))?, [0, 1, 0xff, 1]);
/// assert_eq!(netorder::to_vec("hi")?, [0, 0, 0, 0, 0, 0, 0, 2, b'h', b'i']);
///
/// // Only sequences of known length can be written.
/// struct Unknown;
/// impl serde::Serialize for Unknown {
///     fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
///         use serde::ser::SerializeSeq;
///         s.serialize_seq(None)?.end()
///     }
/// }
/// assert!(matches!(
///     netorder::to_vec(&Unknown).unwrap_err().kind(),
///     netorder::ErrorKind::Unsupported { .. }
/// ));
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    encode_vec(value, config::NetDefault)
}

/// Encodes `value` into `out` with the default [`Config`] ([`Config::to_slice`] for another);
/// returns the bytes written.
///
/// A buffer that is too small is [`ErrorKind::BufferTooSmall`] with the full size needed;
/// the bytes of `out` past what fitted are left alone.
///
/// ```
/// let mut buf = [0u8; 8];
/// assert_eq!(netorder::to_slice(&(7u32, 9u16), &mut buf)?, 6);
/// assert_eq!(buf[..6], [0, 0, 0, 7, 0, 9]);
///
/// let err = netorder::to_slice(&(7u32, 9u16), &mut buf[..5]).unwrap_err();
/// assert_eq!(err.kind(), &netorder::ErrorKind::BufferTooSmall { needed: 6, available: 5 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn to_slice<T: Serialize + ?Sized>(value: &T, out: &mut [u8]) -> Result<usize> {
    encode_slice(value, out, config::NetDefault)
}

#[cfg(feature = "std")]
/// Encodes `value` with the default [`Config`] ([`Config::to_writer`] for another) and writes
/// it to `writer` in one `write_all`; returns the bytes written.
///
/// ```
/// let mut wire = Vec::new();
/// assert_eq!(netorder::record::to_writer(&(1u16, 2u16), &mut wire)?, 4);
/// assert_eq!(wire, [0, 1, 0, 2]);
///
/// // A writer that fails: the I/O error comes back.
/// let mut full = [0u8; 2];
/// let err = netorder::record::to_writer(&(1u16, 2u16), &mut full[..]).unwrap_err();
/// assert!(matches!(err.kind(), netorder::ErrorKind::Io { kind: std::io::ErrorKind::WriteZero, .. }));
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn to_writer<T: Serialize + ?Sized, W: std::io::Write>(value: &T, writer: W) -> Result<usize> {
    Config::new().to_writer(value, writer)
}

/// Decodes a `T` from exactly `bytes` with the default [`Config`] ([`Config::from_bytes`] for
/// another). `&str` and `&[u8]` fields borrow from `bytes`.
///
/// Running out of input is [`ErrorKind::Incomplete`]; bytes left over after the value are
/// [`ErrorKind::TrailingBytes`].
///
/// ```
/// use netorder::ErrorKind;
///
/// let (port, name): (u16, &str) = netorder::from_bytes(&[0, 80, 0, 0, 0, 0, 0, 0, 0, 2, b'o', b'k'])?;
/// assert_eq!((port, name), (80, "ok"));
///
/// let err = netorder::from_bytes::<u16>(&[0, 80, 0]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::TrailingBytes { offset: 2, remaining: 1 });
///
/// let err = netorder::from_bytes::<(u8, bool)>(&[1, 2]).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 1, byte: 2 });
/// assert_eq!(err.field(), Some("[1]"));
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn from_bytes<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T> {
    decode_exact(bytes, config::NetDefault)
}

/// Decodes a `T` from the start of `bytes` with the default [`Config`]
/// ([`Config::take_from_bytes`] for another); returns it and the bytes it took. What follows
/// is left for the caller (the next record, say).
///
/// ```
/// let bytes = [0, 1, 0, 2, 9];
/// let (a, used) = netorder::record::take_from_bytes::<u16>(&bytes)?;
/// assert_eq!((a, used), (1, 2));
/// let (b, _) = netorder::record::take_from_bytes::<u16>(&bytes[used..])?;
/// assert_eq!(b, 2);
///
/// let err = netorder::record::take_from_bytes::<u16>(&bytes[4..]).unwrap_err();
/// assert_eq!(err.needed_more(), Some(1));
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn take_from_bytes<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<(T, usize)> {
    decode_prefix(bytes, config::NetDefault)
}

#[cfg(feature = "std")]
/// Reads one `T` from `reader` with the default [`Config`] ([`Config::from_reader`] for
/// another), taking exactly the record's bytes from it and never more: for a fixed-size type,
/// [`record_size`] bytes at once; otherwise value by value (wrap an unbuffered socket in a
/// `BufReader` only if the bytes after the record may be consumed with it).
///
/// The end of the stream inside the record is [`ErrorKind::Truncated`] with the bytes
/// expected and received (for a type of variable size, `expected` counts what was needed so
/// far); `received: 0` means the stream ended cleanly before the record.
///
/// The type's size is traced (as by [`record_size`]) on every call; for a type with many
/// enum variant combinations, call [`record_size`] once, read that many bytes and use
/// [`from_bytes`].
///
/// ```
/// use netorder::ErrorKind;
///
/// let mut wire: &[u8] = &[0, 1, 0, 0, 0, 2, 0xff];
/// let v: (u16, u32) = netorder::record::from_reader(&mut wire)?;
/// assert_eq!(v, (1, 2));
/// assert_eq!(wire, [0xff]); // the rest of the stream is untouched
///
/// let err = netorder::record::from_reader::<(u16, u32), _>(&mut wire).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 6, received: 1 });
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn from_reader<T: DeserializeOwned, R: std::io::Read>(reader: R) -> Result<T> {
    Config::new().from_reader(reader)
}

#[cfg(feature = "alloc")]
/// The exact encoded size of every value of `T` with the default [`Config`]
/// ([`Config::record_size`] for another), found from the type alone; an
/// [`ErrorKind::VariableSize`] naming the field (in [`Error::field`](crate::Error::field)) for
/// a type whose size depends on its value.
///
/// Structs, tuples, arrays, unit types, newtypes and enums whose variants all have the same
/// size are fixed-size. `Vec`, `String`, `&str`, bytes, maps, `Option` and `char` are not.
///
/// ```
/// use netorder::ErrorKind;
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Sample { id: u32, pos: [f32; 3], ok: bool }
/// assert_eq!(netorder::record_size::<Sample>()?, 17);
///
/// #[derive(Deserialize)]
/// enum Cmd { Stop, Go(u8) } // 4 bytes of index, then 0 or 1 byte
/// #[derive(Deserialize)]
/// struct Msg { seq: u16, cmd: Cmd }
/// let err = netorder::record_size::<Msg>().unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::VariableSize { .. }));
/// assert_eq!(err.field(), Some("cmd"));
///
/// #[derive(Deserialize)]
/// struct Named { seq: u16, name: String }
/// let err = netorder::record_size::<Named>().unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::VariableSize { what: "String" });
/// assert_eq!(err.field(), Some("name"));
/// # Ok::<(), netorder::Error>(())
/// ```
pub fn record_size<T: DeserializeOwned>() -> Result<usize> {
    Config::new().record_size::<T>()
}

/// The serde path with this configuration: the same operations as the free functions
/// ([`to_vec`], [`to_slice`], [`from_bytes`], ...), which are these methods on
/// [`Config::new`].
impl Config {
    /// [`to_vec`] with this configuration.
    ///
    /// ```
    /// use netorder::{Config, ErrorKind};
    /// assert_eq!(Config::new().little_endian().to_vec(&0x0102u16)?, [2, 1]);
    /// assert_eq!(Config::new().varint().to_vec(&300u32)?, [0xAC, 0x02]);
    /// // A length over the configured limit cannot be written.
    /// assert!(Config::new().with_max_len(1).to_vec("ab").is_err());
    /// let err = Config::new().with_max_len(8).to_vec(&vec![0u8; 10]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 10, limit: 8 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    pub fn to_vec<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>> {
        with_flavor!(*self, |f| encode_vec(value, f))
    }

    /// [`to_slice`] with this configuration.
    ///
    /// ```
    /// use netorder::{Config, ErrorKind};
    /// let mut out = [0u8; 4];
    /// assert_eq!(Config::new().little_endian().to_slice(&7u32, &mut out)?, 4);
    /// assert_eq!(out, [7, 0, 0, 0]);
    /// let err = Config::new().to_slice(&7u64, &mut out).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 8, available: 4 });
    ///
    /// let mut buf = [0u8; 16];
    /// let n = Config::new().ascii_fixed().to_slice(&(1u8, 2u16), &mut buf)?;
    /// assert_eq!(&buf[..n], b"00100002");
    /// let err = Config::new().ascii_fixed().to_slice(&(1u8, 2u16), &mut buf[..4]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::BufferTooSmall { needed: 8, available: 4 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn to_slice<T: Serialize + ?Sized>(&self, value: &T, out: &mut [u8]) -> Result<usize> {
        with_flavor!(*self, |f| encode_slice(value, out, f))
    }

    /// [`to_writer`] with this configuration.
    ///
    /// ```
    /// use netorder::{Config, ErrorKind};
    /// let mut out = Vec::new();
    /// assert_eq!(Config::new().little_endian().to_writer(&1u16, &mut out)?, 2);
    /// assert_eq!(out, [1, 0]);
    /// let mut full = [0u8; 1];
    /// assert!(Config::new().to_writer(&1u16, &mut full[..]).is_err());
    ///
    /// let mut wire = Vec::new();
    /// Config::new().varint().to_writer(&300u16, &mut wire)?;
    /// assert_eq!(wire, [0xac, 0x02]);
    /// let err = Config::new().with_max_len(3).to_writer(&[0u8; 4][..], &mut wire).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::LengthLimit { len: 4, .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn to_writer<T: Serialize + ?Sized, W: std::io::Write>(
        &self,
        value: &T,
        mut writer: W,
    ) -> Result<usize> {
        let bytes = self.to_vec(value)?;
        writer.write_all(&bytes)?;
        Ok(bytes.len())
    }

    /// [`from_bytes`] with this configuration.
    ///
    /// ```
    /// use netorder::{Config, ErrorKind};
    /// assert_eq!(Config::new().varint().from_bytes::<u32>(&[0xAC, 0x02])?, 300);
    /// // Overlong varints are refused.
    /// assert!(Config::new().varint().from_bytes::<u32>(&[0x80, 0x00]).is_err());
    ///
    /// let c = Config::new().ascii_fixed();
    /// assert_eq!(c.from_bytes::<(i8, u16)>(b"-00500042")?, (-5, 42));
    /// let err = c.from_bytes::<u8>(b"2x5").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::InvalidByte { offset: 1, byte: b'x', expected: "a decimal digit" });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn from_bytes<'de, T: Deserialize<'de>>(&self, bytes: &'de [u8]) -> Result<T> {
        with_flavor!(*self, |f| decode_exact(bytes, f))
    }

    /// [`take_from_bytes`] with this configuration.
    ///
    /// ```
    /// use netorder::{Config, ErrorKind};
    /// let (v, used) = Config::new().little_endian().take_from_bytes::<u16>(&[1, 0, 9])?;
    /// assert_eq!((v, used), (1, 2));
    /// assert!(Config::new().take_from_bytes::<u16>(&[1]).unwrap_err().is_incomplete());
    ///
    /// let c = Config::new().varint();
    /// assert_eq!(c.take_from_bytes::<u32>(&[0xac, 0x02, 0xff])?, (300, 2));
    /// // 0 written in two bytes is not the canonical form.
    /// let err = c.take_from_bytes::<u32>(&[0x80, 0x00]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Overlong { offset: 0, len: 2 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[inline]
    pub fn take_from_bytes<'de, T: Deserialize<'de>>(
        &self,
        bytes: &'de [u8],
    ) -> Result<(T, usize)> {
        with_flavor!(*self, |f| decode_prefix(bytes, f))
    }

    /// [`from_reader`] with this configuration.
    ///
    /// ```
    /// use netorder::{Config, ErrorKind};
    /// assert_eq!(Config::new().little_endian().from_reader::<u16, _>(&[1u8, 0][..])?, 1);
    /// assert!(Config::new().from_reader::<u16, _>(&[1u8][..]).is_err());
    ///
    /// let mut wire: &[u8] = &[2, b'h', b'i', 1, 0xac, 0x02, 7];
    /// let v: (String, Option<u16>) = Config::new().varint().from_reader(&mut wire)?;
    /// assert_eq!(v, ("hi".to_string(), Some(300)));
    /// assert_eq!(wire, [7]);
    ///
    /// let mut cut: &[u8] = &[5, b'h', b'i'];
    /// let err = Config::new().varint().from_reader::<String, _>(&mut cut).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 6, received: 3 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[cfg(feature = "std")]
    pub fn from_reader<T: DeserializeOwned, R: std::io::Read>(&self, mut reader: R) -> Result<T> {
        if let Ok(size) = self.record_size::<T>() {
            let mut stack = [0u8; 256];
            let mut heap = Vec::new();
            let buf = if size <= stack.len() {
                &mut stack[..size]
            } else {
                heap.resize(size, 0);
                &mut heap[..]
            };
            let got = de::read_full(&mut reader, buf)?;
            if got < size {
                return Err(Error::new(crate::ErrorKind::Truncated {
                    expected: size,
                    received: got,
                }));
            }
            return self.from_bytes(buf);
        }
        with_flavor!(*self, |f| {
            let mut de = de::Deserializer::new(de::ReaderInput::new(reader), f);
            T::deserialize(&mut de)
        })
    }

    /// [`record_size`] with this configuration: ASCII integers are wider, and with varints
    /// every integer wider than a byte varies.
    ///
    /// ```
    /// use netorder::Config;
    /// assert_eq!(Config::new().record_size::<(u8, u32)>()?, 5);
    /// // With varints the size depends on the values.
    /// assert!(Config::new().varint().record_size::<(u8, u32)>().is_err());
    ///
    /// assert_eq!(Config::new().ascii_fixed().record_size::<(u8, i16, bool)>()?, 3 + 6 + 1);
    /// let err = Config::new().varint().record_size::<(u8, u32)>().unwrap_err();
    /// assert_eq!(err.field(), Some("[1]"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    pub fn record_size<T: DeserializeOwned>(&self) -> Result<usize> {
        trace::record_size::<T, Config>(*self)
    }

    /// Whether this is the default encoding (network order, fixed-width integers): the one
    /// encoding a [`FixedRecord`] has. Only `transport` asks (it checks a `Conn`'s config).
    #[cfg(feature = "std")]
    #[inline]
    pub(crate) fn is_default_encoding(&self) -> bool {
        self.endian == crate::order::Endian::Big && self.ints == IntMode::Fixed
    }
}

/// [`to_vec`] with the flavor `f`.
#[cfg(feature = "alloc")]
#[inline]
fn encode_vec<T: Serialize + ?Sized, F: config::Flavor>(value: &T, f: F) -> Result<Vec<u8>> {
    // One pass to count (constant-folded for fixed-size types), one to write: the Vec is
    // allocated once, at its exact size. (Appending to a `Vec` reserved at that size instead,
    // or returning a boxed slice from an out-of-line encoder, runs fewer instructions but
    // measured no faster.) The count is the first pass of a diagnosis (see `encode_slice`);
    // the write diagnoses as it goes: the count has found every error but running out of room,
    // which only a `Serialize` impl that writes more the second time can cause (a bug in that
    // impl), and that error must be the second call's, with its field path.
    let size = encoded_size(value, f)?;
    let mut out = vec![0; size];
    let written = value.serialize(ser::Serializer::<_, _, true>::new(&mut out[..], f))?;
    // A `Serialize` impl that writes less the second time is a bug in that impl too; keep
    // what was written.
    out.truncate(written);
    Ok(out)
}

/// [`to_slice`] with the flavor `f`: a first pass that builds no errors ([`fail::fail`]) and,
/// only if it fails, a second that does ([`to_slice_failed`]).
#[inline]
fn encode_slice<T: Serialize + ?Sized, F: config::Flavor>(
    value: &T,
    out: &mut [u8],
    f: F,
) -> Result<usize> {
    match value.serialize(ser::Serializer::<_, _, false>::new(&mut *out, f)) {
        Ok(written) => Ok(written),
        Err(first) => to_slice_failed(value, f, out, first),
    }
}

#[cfg(feature = "alloc")]
/// The exact encoded size of `value`: a first pass that builds no errors, and, if it fails, a
/// second that does.
#[inline]
fn encoded_size<T: Serialize + ?Sized, F: config::Flavor>(value: &T, flavor: F) -> Result<usize> {
    match value.serialize(ser::Serializer::<_, _, false>::new(
        &mut ser::Counter,
        flavor,
    )) {
        Ok(size) => Ok(size),
        Err(first) => encoded_size_diagnosed(value, flavor, Some(first)),
    }
}

/// [`encoded_size`]'s second pass, with full errors.
#[cold]
#[inline(never)]
fn encoded_size_diagnosed<T: Serialize + ?Sized, F: config::Flavor>(
    value: &T,
    flavor: F,
    // The first pass's placeholder, dropped here, out of line.
    _first: Option<Error>,
) -> Result<usize> {
    value.serialize(ser::Serializer::<_, _, true>::new(
        &mut ser::Counter,
        flavor,
    ))
}

/// [`Config::to_slice`]'s second pass, after a first one failed: the same encode with full
/// errors, and a buffer too small reports the size of the whole record, not just of the write
/// that failed. Out of line, so the success path stays small enough to inline.
#[cold]
#[inline(never)]
fn to_slice_failed<T: Serialize + ?Sized, F: config::Flavor>(
    value: &T,
    flavor: F,
    out: &mut [u8],
    // The first pass's placeholder, dropped here, out of line.
    _first: Error,
) -> Result<usize> {
    let available = out.len();
    match value.serialize(ser::Serializer::<_, _, true>::new(out, flavor)) {
        // (Only a `Serialize` impl that writes differently each time gets here.)
        Ok(written) => Ok(written),
        Err(e) if matches!(e.kind(), crate::ErrorKind::BufferTooSmall { .. }) => {
            match encoded_size_diagnosed(value, flavor, None) {
                Ok(needed) => Err(Error::new(crate::ErrorKind::BufferTooSmall {
                    needed,
                    available,
                })),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Decodes a `T` from exactly `bytes`.
///
/// A first pass builds no errors ([`fail::fail`]): every check that fails returns the same
/// placeholder, and no field path is added on the way out. Only if it fails does a second
/// pass ([`decode_exact_failed`]) decode the same bytes again with full errors (kind,
/// offset, field path): both passes run the same code on the same bytes, so they fail at the
/// same check, and the error is the one a single diagnosing pass finds.
///
/// Inlined into the caller, so that the type's `Deserialize` impl writes the value once,
/// straight into the caller's result: a copy of a record whose fields were just stored one by
/// one reloads them with wide loads, which stall on store forwarding.
#[inline(always)]
fn decode_exact<'de, T: Deserialize<'de>, F: config::Flavor>(bytes: &'de [u8], f: F) -> Result<T> {
    let mut de = de::Deserializer::new(de::SliceInput::new(bytes), f);
    let mut result = T::deserialize(&mut de);
    if result.is_err() || !de.input.at_end() {
        // Moved out and back: the caller has no drop code for what it replaces.
        result = decode_exact_failed(bytes, f, result, de.input.consumed());
    }
    result
}

/// [`decode_exact`] after its first pass: bytes left over, or the first pass failed and a
/// second pass decodes again with full errors.
#[cold]
#[inline(never)]
fn decode_exact_failed<'de, T: Deserialize<'de>, F: config::Flavor>(
    bytes: &'de [u8],
    f: F,
    first: Result<T>,
    used: usize,
) -> Result<T> {
    if first.is_ok() {
        return Err(trailing(used, bytes.len() - used));
    }
    let mut de = de::Deserializer::new(de::SliceInput::diagnosing(bytes), f);
    let value = T::deserialize(&mut de)?;
    let used = de.input.consumed();
    if used != bytes.len() {
        return Err(trailing(used, bytes.len() - used));
    }
    Ok(value)
}

/// Decodes a `T` from the start of `bytes`: the value and the bytes it took. Two passes, as
/// [`decode_exact`].
#[inline]
fn decode_prefix<'de, T: Deserialize<'de>, F: config::Flavor>(
    bytes: &'de [u8],
    f: F,
) -> Result<(T, usize)> {
    let mut de = de::Deserializer::new(de::SliceInput::new(bytes), f);
    match T::deserialize(&mut de) {
        Ok(value) => Ok((value, de.input.consumed())),
        Err(first) => decode_prefix_diagnosed(bytes, f, first),
    }
}

/// [`decode_prefix`]'s second pass, with full errors.
#[cold]
#[inline(never)]
fn decode_prefix_diagnosed<'de, T: Deserialize<'de>, F: config::Flavor>(
    bytes: &'de [u8],
    f: F,
    // The first pass's placeholder, dropped here, out of line.
    _first: Error,
) -> Result<(T, usize)> {
    let mut de = de::Deserializer::new(de::SliceInput::diagnosing(bytes), f);
    let value = T::deserialize(&mut de)?;
    Ok((value, de.input.consumed()))
}

#[cold]
fn trailing(offset: usize, remaining: usize) -> Error {
    Error::new(crate::ErrorKind::TrailingBytes { offset, remaining })
}

#[cfg(all(test, feature = "alloc"))]
mod tests;
