//! Layer 4d: `tokio_util::codec` decoders and encoders (feature `tokio`).
//!
//! [`FrameCodec`] reads and writes raw frames, [`RecordCodec<T>`] typed records, both in any
//! [`Framing`]: wrap a socket in [`tokio_util::codec::Framed`] and frames or records come out
//! of it as a `Stream` and go in as a `Sink`. The bytes on the wire are exactly those of
//! [`encode_frame`] and [`Conn`](crate::transport::Conn), and
//! there is one framing implementation: both codecs run the sans-IO
//! [`decode_frame`](crate::frame::decode_frame) (the core of [`FrameDecoder`](crate::frame::FrameDecoder)) over tokio's
//! read buffer and take the frame out with `split_to`/`advance`, without copying it.
//!
//! The rules of the crate hold here too:
//! - a length prefix over the maximum frame length (16 MiB by default) is
//!   [`ErrorKind::LengthLimit`](crate::ErrorKind::LengthLimit) before anything is set aside for the frame, and a large
//!   allowed frame only makes the read buffer grow as its bytes arrive (doubling);
//! - the end of the stream at a frame boundary is a clean end (`None`), inside a frame it is
//!   [`ErrorKind::Truncated`](crate::ErrorKind::Truncated) with the expected and received counts;
//! - a decoder that fails leaves the read buffer as it was: the bad frame (or the bad
//!   prefix) is still at its start, and calling again gives the same error. `Framed` itself
//!   ends the stream after an error; a caller who drives the codec by hand may drop the bytes
//!   and go on.
//!
//! A protocol whose two directions carry different types uses one codec per direction:
//! `stream.into_split()`, then a `FramedRead` with `RecordCodec<Request>` and a `FramedWrite`
//! with `RecordCodec<Reply>` (see `examples/tokio_records.rs`). Both codecs encode more than
//! one item type (`T` and `&T`; any `AsRef<[u8]>`), so a `SinkExt` call without an item, such
//! as `close` or `flush`, names it: `SinkExt::<T>::close(&mut framed)`, as with tokio-util's
//! own `BytesCodec`.
//!
//! ```
//! use futures::{SinkExt, StreamExt};
//! use netorder::{Framing, codec::RecordCodec};
//! use serde::{Deserialize, Serialize};
//! use tokio::net::{TcpListener, TcpStream};
//! use tokio_util::codec::Framed;
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Reading { sensor: u32, value: f64 }
//!
//! tokio::runtime::Runtime::new()?.block_on(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     let client = tokio::spawn(async move {
//!         let stream = TcpStream::connect(addr).await?;
//!         let mut out = Framed::new(stream, RecordCodec::<Reading>::new(Framing::U32));
//!         for sensor in 0..3 {
//!             out.send(Reading { sensor, value: 0.5 }).await?;
//!         }
//!         Ok::<_, netorder::Error>(())
//!     });
//!     let (stream, _) = listener.accept().await?;
//!     let mut records = Framed::new(stream, RecordCodec::<Reading>::new(Framing::U32));
//!     let mut sensors = Vec::new();
//!     while let Some(reading) = records.next().await {
//!         sensors.push(reading?.sensor); // the stream ends when the client closes cleanly
//!     }
//!     assert_eq!(sensors, [0, 1, 2]);
//!     client.await.unwrap()?;
//!     Ok::<_, Box<dyn std::error::Error>>(())
//! })?;
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! ```

use crate::error::{Error, Result};
use crate::frame::{
    Decoded, FrameSpan, Framing, decode_frame_from, encode_frame, encode_record,
    scanned_after_need, truncated,
};
use crate::record::Config;
use bytes::{Buf, BytesMut};
use serde::{Serialize, de::DeserializeOwned};
use std::fmt;
use std::marker::PhantomData;
use tokio_util::codec::{Decoder, Encoder};

/// The most the read buffer is grown ahead of the bytes of a long frame, when it holds less.
const MIN_RESERVE: usize = 8 << 10;

/// Raw frames for [`tokio_util::codec::Framed`]: decodes to each frame's payload as a
/// [`BytesMut`] (split off tokio's read buffer, not copied), encodes any `AsRef<[u8]>`
/// payload (`&[u8]`, `Bytes`, `BytesMut`, `Vec<u8>`) with its prefix.
///
/// ```
/// use bytes::BytesMut;
/// use netorder::{ErrorKind, Framing, codec::FrameCodec};
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = FrameCodec::new(Framing::VARINT.with_max_frame_len(1024));
/// let mut wire = BytesMut::new();
/// codec.encode(&b"hello"[..], &mut wire)?;
/// assert_eq!(&wire[..], b"\x05hello");
///
/// wire.extend_from_slice(b"\x03ab"); // half of the next frame
/// assert_eq!(codec.decode(&mut wire)?.as_deref(), Some(&b"hello"[..]));
/// assert_eq!(codec.decode(&mut wire)?, None); // more bytes needed
/// let err = codec.decode_eof(&mut wire).unwrap_err(); // ...and none come
/// assert_eq!(err.kind(), &ErrorKind::Truncated { expected: 4, received: 3 });
///
/// // A length bomb: refused before anything is allocated; the buffer is left as it was.
/// let mut bomb = BytesMut::from(&[0xff, 0xff, 0xff, 0xff, 0x0f][..]);
/// let err = codec.decode(&mut bomb).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 6, len: 0xffff_ffff, limit: 1024 });
/// assert_eq!(bomb.len(), 5);
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameCodec {
    framing: Framing,
    /// Stream offset of the first byte of the read buffer: bytes decoded so far.
    position: usize,
    /// Bytes at the start of the read buffer known to hold no delimiter start (delimited
    /// framings: a long frame arriving in pieces is scanned once).
    scanned: usize,
}

impl FrameCodec {
    /// A codec for `framing`, whose maximum frame length ([`Framing::with_max_frame_len`],
    /// 16 MiB by default) is the largest payload accepted when decoding
    /// ([`ErrorKind::LengthLimit`](crate::ErrorKind::LengthLimit) beyond) and when encoding
    /// ([`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong) beyond).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{ErrorKind, Framing, codec::FrameCodec};
    /// use tokio_util::codec::Encoder;
    ///
    /// let mut codec = FrameCodec::new(Framing::U32.with_max_frame_len(4));
    /// codec.encode(&b"1234"[..], &mut BytesMut::new())?;
    /// let err = codec.encode(&b"12345"[..], &mut BytesMut::new()).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 5, max: 4 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn new(framing: Framing) -> Self {
        FrameCodec {
            framing,
            position: 0,
            scanned: 0,
        }
    }

    /// The framing, with its maximum frame length.
    ///
    /// ```
    /// use netorder::{Framing, codec::FrameCodec};
    /// assert_eq!(FrameCodec::new(Framing::fixed(9)).framing(), Framing::fixed(9));
    /// let codec = FrameCodec::new(Framing::U16.with_max_frame_len(7));
    /// assert_eq!(codec.framing().max_frame_len(), 7);
    /// assert_ne!(codec.framing(), Framing::U16);
    /// ```
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Bytes decoded so far (prefixes included): the stream offset that error offsets count
    /// from.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{Framing, codec::FrameCodec};
    /// use tokio_util::codec::Decoder;
    ///
    /// let mut codec = FrameCodec::new(Framing::U16);
    /// codec.decode(&mut BytesMut::from(&b"\0\x02hi"[..]))?;
    /// assert_eq!(codec.position(), 4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn position(&self) -> usize {
        self.position
    }

    /// Finds the next frame at the start of `src` without taking it; on `Need`, grows `src`'s
    /// capacity towards it, by at most what `src` holds (or 8 KiB).
    #[inline]
    fn find(&mut self, src: &mut BytesMut) -> Result<Decoded<FrameSpan>> {
        match decode_frame_from(&self.framing, src, self.scanned) {
            Ok(Decoded::Need(n)) => {
                self.scanned = scanned_after_need(&self.framing, src.len());
                src.reserve(n.min(src.len().max(MIN_RESERVE)));
                Ok(Decoded::Need(n))
            }
            Ok(frame) => Ok(frame),
            Err(e) => Err(e.offset_by(self.position)),
        }
    }

    /// Records that a frame of `consumed` bytes was taken.
    #[inline]
    fn took(&mut self, consumed: usize) {
        self.position = self.position.saturating_add(consumed);
        self.scanned = 0;
    }
}

impl Decoder for FrameCodec {
    type Item = BytesMut;
    type Error = Error;

    /// The next frame's payload, split off `src`, or `None` when more bytes are needed.
    /// Errors ([`decode_frame`](crate::frame::decode_frame)'s, offsets counted from the start of the stream) leave `src`
    /// as it was.
    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>> {
        match self.find(src)? {
            Decoded::Frame(span) => {
                let mut frame = src.split_to(span.consumed);
                // The payload alone: no head, no delimiter, no checksum trailer.
                frame.truncate(span.payload.end);
                frame.advance(span.payload.start);
                self.took(span.consumed);
                Ok(Some(frame))
            }
            Decoded::Need(_) => Ok(None),
        }
    }

    /// At the end of the stream: the next frame, `None` when `src` is empty (a clean end), or
    /// [`ErrorKind::Truncated`](crate::ErrorKind::Truncated) when it holds part of a frame (`expected`: the prefix plus the
    /// announced length once the prefix is known).
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>> {
        match self.find(src)? {
            Decoded::Frame(_) => self.decode(src),
            Decoded::Need(_) if src.is_empty() => Ok(None),
            Decoded::Need(n) => Err(truncated(src.len(), n)),
        }
    }
}

impl<P: AsRef<[u8]>> Encoder<P> for FrameCodec {
    type Error = Error;

    /// Appends the prefix and the payload to `dst` ([`encode_frame`]). Errors, with `dst`
    /// untouched: a payload over the maximum frame length or its length field
    /// ([`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong)), or not exactly `n`
    /// bytes for `fixed(n)` ([`ErrorKind::LengthMismatch`](crate::ErrorKind::LengthMismatch)).
    #[inline]
    fn encode(&mut self, payload: P, dst: &mut BytesMut) -> Result<()> {
        encode_frame(self.framing, payload.as_ref(), dst).map(|_| ())
    }
}

/// Typed records for [`tokio_util::codec::Framed`]: each frame holds one `T`, serialized with
/// a record [`Config`] (by default network order, fixed-width integers: the bytes of
/// [`to_vec`](crate::to_vec)). Decodes to `T`, encodes `T` or `&T`.
///
/// Record errors (bytes that are not a `T`) count offsets from the start of the frame's
/// payload, as [`Conn::recv`](crate::transport::Conn::recv) does, and leave the frame in the
/// read buffer.
///
/// ```
/// use bytes::BytesMut;
/// use netorder::{ErrorKind, Framing, codec::RecordCodec};
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = RecordCodec::<(u16, bool)>::new(Framing::U16);
/// let mut wire = BytesMut::new();
/// codec.encode(&(7, true), &mut wire)?;
/// codec.encode((8, false), &mut wire)?;
/// assert_eq!(&wire[..], [0, 3, 0, 7, 1, 0, 3, 0, 8, 0]);
/// assert_eq!(codec.decode(&mut wire)?, Some((7, true)));
/// assert_eq!(codec.decode(&mut wire)?, Some((8, false)));
/// assert_eq!(codec.decode_eof(&mut wire)?, None);
///
/// // A whole frame whose bytes are not a `(u16, bool)`: an error, and the frame stays.
/// let mut bad = BytesMut::from(&[0, 3, 0, 9, 2][..]);
/// let err = codec.decode(&mut bad).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::InvalidBool { offset: 2, byte: 2 });
/// assert_eq!(bad.len(), 5);
/// # Ok::<(), netorder::Error>(())
/// ```
pub struct RecordCodec<T> {
    frames: FrameCodec,
    config: Config,
    record: PhantomData<fn() -> T>,
}

impl<T> RecordCodec<T> {
    /// A codec for records of type `T` in `framing`, with the default record [`Config`] and
    /// maximum frame length.
    ///
    /// ```
    /// use netorder::{Config, Framing, codec::RecordCodec};
    /// let codec = RecordCodec::<u64>::new(Framing::VARINT);
    /// assert_eq!((codec.framing(), codec.config()), (Framing::VARINT, Config::new()));
    /// ```
    pub fn new(framing: Framing) -> Self {
        RecordCodec {
            frames: FrameCodec::new(framing),
            config: Config::new(),
            record: PhantomData,
        }
    }

    /// Sets the record [`Config`] (byte order, integer encoding, limits inside a record).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{Config, Framing, codec::RecordCodec};
    /// use tokio_util::codec::Encoder;
    ///
    /// let mut codec = RecordCodec::<u32>::new(Framing::VARINT).with_config(Config::new().varint());
    /// let mut wire = BytesMut::new();
    /// codec.encode(300, &mut wire)?;
    /// assert_eq!(&wire[..], [2, 0xac, 0x02]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// The framing, with its maximum frame length: the largest frame accepted when decoding
    /// ([`ErrorKind::LengthLimit`](crate::ErrorKind::LengthLimit)) and the largest record
    /// written when encoding ([`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong)).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{ErrorKind, Framing, codec::RecordCodec};
    /// use tokio_util::codec::Encoder;
    ///
    /// assert_eq!(RecordCodec::<u8>::new(Framing::fixed(1)).framing(), Framing::fixed(1));
    /// let mut codec = RecordCodec::<[u8; 9]>::new(Framing::U32.with_max_frame_len(8));
    /// assert_eq!(codec.framing().max_frame_len(), 8);
    /// let err = codec.encode([0; 9], &mut BytesMut::new()).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 9, max: 8 });
    /// ```
    pub fn framing(&self) -> Framing {
        self.frames.framing()
    }

    /// The record configuration.
    ///
    /// ```
    /// use netorder::{Config, Framing, codec::RecordCodec};
    /// let codec = RecordCodec::<u8>::new(Framing::U16).with_config(Config::new().little_endian());
    /// assert_eq!(codec.config(), Config::new().little_endian());
    /// ```
    pub fn config(&self) -> Config {
        self.config
    }

    /// Bytes decoded so far (prefixes included).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{Framing, codec::RecordCodec};
    /// use tokio_util::codec::Decoder;
    ///
    /// let mut codec = RecordCodec::<u16>::new(Framing::fixed(2));
    /// assert_eq!(codec.decode(&mut BytesMut::from(&[0, 1, 0][..]))?, Some(1));
    /// assert_eq!(codec.position(), 2);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn position(&self) -> usize {
        self.frames.position()
    }
}

impl<T: DeserializeOwned> RecordCodec<T> {
    /// A codec for `T` in [`Framing::fixed`] with the size of `T` under `config`
    /// ([`Config::record_size`]): no prefix on the wire, like Python's `struct` records. A
    /// type whose size varies is [`ErrorKind::VariableSize`](crate::ErrorKind::VariableSize).
    ///
    /// ```
    /// use netorder::{Config, ErrorKind, Framing, codec::RecordCodec};
    ///
    /// let codec = RecordCodec::<(u16, u32)>::fixed(Config::new())?;
    /// assert_eq!(codec.framing(), Framing::fixed(6));
    ///
    /// let err = RecordCodec::<String>::fixed(Config::new()).err().unwrap();
    /// assert!(matches!(err.kind(), ErrorKind::VariableSize { .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn fixed(config: Config) -> Result<Self> {
        let size = config.record_size::<T>()?;
        Ok(RecordCodec::new(Framing::fixed(size)).with_config(config))
    }
}

impl<T> Clone for RecordCodec<T> {
    fn clone(&self) -> Self {
        RecordCodec {
            frames: self.frames.clone(),
            config: self.config,
            record: PhantomData,
        }
    }
}

impl<T> fmt::Debug for RecordCodec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordCodec")
            .field("record", &std::any::type_name::<T>())
            .field("framing", &self.frames.framing)
            .field("config", &self.config)
            .field("position", &self.frames.position)
            .finish()
    }
}

impl<T: DeserializeOwned> RecordCodec<T> {
    /// Decodes the frame at `span` and takes it out of `src` on success only.
    #[inline]
    fn take(&mut self, src: &mut BytesMut, span: FrameSpan) -> Result<T> {
        let value = self.config.from_bytes(&src[span.payload])?;
        src.advance(span.consumed);
        self.frames.took(span.consumed);
        Ok(value)
    }
}

impl<T: DeserializeOwned> Decoder for RecordCodec<T> {
    type Item = T;
    type Error = Error;

    /// The next record, or `None` when more bytes are needed. Frame errors as for
    /// [`FrameCodec`]; record errors as for [`Config::from_bytes`] on the
    /// payload. Either way `src` is left as it was.
    #[inline]
    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<T>> {
        match self.frames.find(src)? {
            Decoded::Frame(span) => self.take(src, span).map(Some),
            Decoded::Need(_) => Ok(None),
        }
    }

    /// At the end of the stream: the next record, `None` when `src` is empty, or
    /// [`ErrorKind::Truncated`](crate::ErrorKind::Truncated) when it holds part of a frame.
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<T>> {
        match self.frames.find(src)? {
            Decoded::Frame(span) => self.take(src, span).map(Some),
            Decoded::Need(_) if src.is_empty() => Ok(None),
            Decoded::Need(n) => Err(truncated(src.len(), n)),
        }
    }
}

impl<T: Serialize> RecordCodec<T> {
    /// Serializes `value` in place at the end of `dst`, as one frame ([`encode_record`]).
    #[inline]
    fn put(&self, value: &T, dst: &mut BytesMut) -> Result<()> {
        encode_record(self.frames.framing, self.config, value, dst).map(|_| ())
    }
}

impl<T: Serialize> Encoder<&T> for RecordCodec<T> {
    type Error = Error;

    /// Appends one frame holding `value` to `dst`. Errors, with `dst` untouched: the record
    /// layer's errors for a value that cannot be written; a record over the maximum frame
    /// length or its length field ([`ErrorKind::FrameTooLong`](crate::ErrorKind::FrameTooLong)),
    /// or not exactly `n` bytes for `fixed(n)`
    /// ([`ErrorKind::LengthMismatch`](crate::ErrorKind::LengthMismatch)).
    #[inline]
    fn encode(&mut self, value: &T, dst: &mut BytesMut) -> Result<()> {
        self.put(value, dst)
    }
}

impl<T: Serialize> Encoder<T> for RecordCodec<T> {
    type Error = Error;

    /// As `Encoder<&T>`.
    #[inline]
    fn encode(&mut self, value: T, dst: &mut BytesMut) -> Result<()> {
        self.put(&value, dst)
    }
}
