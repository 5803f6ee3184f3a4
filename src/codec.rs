//! Layer 4d: `tokio_util::codec` decoders and encoders (feature `tokio`).
//!
//! [`FrameCodec`] reads and writes raw frames, [`RecordCodec<T>`] typed records, both in any
//! [`Framing`]: wrap a socket in [`tokio_util::codec::Framed`] and frames or records come out
//! of it as a `Stream` and go in as a `Sink`. The bytes on the wire are exactly those of
//! [`encode_frame`](crate::frame::encode_frame) and [`Conn`](crate::transport::Conn), and
//! there is one framing implementation: both codecs run the sans-IO
//! [`decode_frame`] (the core of [`FrameDecoder`](crate::frame::FrameDecoder)) over tokio's
//! read buffer and take the frame out with `split_to`/`advance`, without copying it.
//!
//! The rules of the crate hold here too:
//! - a length prefix over the maximum frame length (16 MiB by default) is
//!   [`ErrorKind::LengthLimit`] before anything is set aside for the frame, and a large
//!   allowed frame only makes the read buffer grow as its bytes arrive (doubling);
//! - the end of the stream at a frame boundary is a clean end (`None`), inside a frame it is
//!   [`ErrorKind::Truncated`] with the expected and received counts;
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

use crate::buf::encode_after;
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{
    DEFAULT_MAX_FRAME_LEN, Decoded, FrameSpan, Framing, decode_frame, write_header,
};
use crate::record::{self, Config};
use bytes::{Buf, BufMut, BytesMut};
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
/// let mut codec = FrameCodec::new(Framing::Varint).with_max_frame_len(1024);
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
    max_frame_len: usize,
    /// Stream offset of the first byte of the read buffer: bytes decoded so far.
    position: usize,
}

impl FrameCodec {
    /// A codec for `framing`, with the default maximum frame length
    /// ([`DEFAULT_MAX_FRAME_LEN`], 16 MiB).
    ///
    /// ```
    /// use netorder::{Framing, codec::FrameCodec, frame::DEFAULT_MAX_FRAME_LEN};
    /// let codec = FrameCodec::new(Framing::U16);
    /// assert_eq!((codec.framing(), codec.max_frame_len()), (Framing::U16, DEFAULT_MAX_FRAME_LEN));
    /// ```
    pub fn new(framing: Framing) -> Self {
        FrameCodec {
            framing,
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            position: 0,
        }
    }

    /// Sets the largest payload accepted when decoding ([`ErrorKind::LengthLimit`] beyond) and
    /// when encoding ([`ErrorKind::FrameTooLong`] beyond).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{ErrorKind, Framing, codec::FrameCodec};
    /// use tokio_util::codec::Encoder;
    ///
    /// let mut codec = FrameCodec::new(Framing::U32).with_max_frame_len(4);
    /// let err = codec.encode(&b"12345"[..], &mut BytesMut::new()).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 5, max: 4 });
    /// ```
    pub fn with_max_frame_len(mut self, max_frame_len: usize) -> Self {
        self.max_frame_len = max_frame_len;
        self
    }

    /// The framing.
    ///
    /// ```
    /// use netorder::{Framing, codec::FrameCodec};
    /// assert_eq!(FrameCodec::new(Framing::Fixed(9)).framing(), Framing::Fixed(9));
    /// ```
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The largest payload accepted.
    ///
    /// ```
    /// use netorder::{Framing, codec::FrameCodec};
    /// assert_eq!(FrameCodec::new(Framing::U16).with_max_frame_len(7).max_frame_len(), 7);
    /// ```
    pub fn max_frame_len(&self) -> usize {
        self.max_frame_len
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
    fn find(&self, src: &mut BytesMut) -> Result<Decoded<FrameSpan>> {
        match decode_frame(self.framing, self.max_frame_len, src) {
            Ok(Decoded::Need(n)) => {
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
    }

    /// The error for a stream that ended with `src` holding part of a frame that needs `need`
    /// more bytes.
    fn truncated(src: &BytesMut, need: usize) -> Error {
        Error::new(ErrorKind::Truncated {
            expected: src.len().saturating_add(need),
            received: src.len(),
        })
    }
}

impl Decoder for FrameCodec {
    type Item = BytesMut;
    type Error = Error;

    /// The next frame's payload, split off `src`, or `None` when more bytes are needed.
    /// Errors ([`decode_frame`]'s, offsets counted from the start of the stream) leave `src`
    /// as it was.
    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>> {
        match self.find(src)? {
            Decoded::Frame(span) => {
                let mut frame = src.split_to(span.consumed);
                frame.advance(span.payload.start);
                self.took(span.consumed);
                Ok(Some(frame))
            }
            Decoded::Need(_) => Ok(None),
        }
    }

    /// At the end of the stream: the next frame, `None` when `src` is empty (a clean end), or
    /// [`ErrorKind::Truncated`] when it holds part of a frame (`expected`: the prefix plus the
    /// announced length once the prefix is known).
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>> {
        match self.find(src)? {
            Decoded::Frame(_) => self.decode(src),
            Decoded::Need(_) if src.is_empty() => Ok(None),
            Decoded::Need(n) => Err(Self::truncated(src, n)),
        }
    }
}

impl<P: AsRef<[u8]>> Encoder<P> for FrameCodec {
    type Error = Error;

    /// Appends the prefix and the payload to `dst`. Errors, with `dst` untouched: a payload
    /// over the maximum frame length or its length field ([`ErrorKind::FrameTooLong`]), or
    /// not exactly `n` bytes for `Fixed(n)` ([`ErrorKind::LengthMismatch`]).
    fn encode(&mut self, payload: P, dst: &mut BytesMut) -> Result<()> {
        let payload = payload.as_ref();
        if payload.len() > self.max_frame_len {
            return Err(Error::new(ErrorKind::FrameTooLong {
                len: payload.len() as u64,
                max: self.max_frame_len as u64,
            }));
        }
        let mut header = [0u8; 10];
        let header_len = write_header(self.framing, payload.len(), &mut header)?;
        dst.reserve(header_len + payload.len());
        dst.put_slice(&header[..header_len]);
        dst.put_slice(payload);
        Ok(())
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
    /// let codec = RecordCodec::<u64>::new(Framing::Varint);
    /// assert_eq!((codec.framing(), codec.config()), (Framing::Varint, Config::new()));
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
    /// let mut codec = RecordCodec::<u32>::new(Framing::Varint).with_config(Config::new().varint());
    /// let mut wire = BytesMut::new();
    /// codec.encode(300, &mut wire)?;
    /// assert_eq!(&wire[..], [2, 0xac, 0x02]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Sets the largest frame accepted when decoding ([`ErrorKind::LengthLimit`]) and the
    /// largest record written when encoding ([`ErrorKind::FrameTooLong`]).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{ErrorKind, Framing, codec::RecordCodec};
    /// use tokio_util::codec::Encoder;
    ///
    /// let mut codec = RecordCodec::<[u8; 9]>::new(Framing::U32).with_max_frame_len(8);
    /// let err = codec.encode([0; 9], &mut BytesMut::new()).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::FrameTooLong { len: 9, max: 8 });
    /// ```
    pub fn with_max_frame_len(mut self, max_frame_len: usize) -> Self {
        self.frames = self.frames.with_max_frame_len(max_frame_len);
        self
    }

    /// The framing.
    ///
    /// ```
    /// use netorder::{Framing, codec::RecordCodec};
    /// assert_eq!(RecordCodec::<u8>::new(Framing::Fixed(1)).framing(), Framing::Fixed(1));
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

    /// The largest frame accepted.
    ///
    /// ```
    /// use netorder::{Framing, codec::RecordCodec};
    /// assert_eq!(RecordCodec::<u8>::new(Framing::U16).with_max_frame_len(3).max_frame_len(), 3);
    /// ```
    pub fn max_frame_len(&self) -> usize {
        self.frames.max_frame_len()
    }

    /// Bytes decoded so far (prefixes included).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use netorder::{Framing, codec::RecordCodec};
    /// use tokio_util::codec::Decoder;
    ///
    /// let mut codec = RecordCodec::<u16>::new(Framing::Fixed(2));
    /// assert_eq!(codec.decode(&mut BytesMut::from(&[0, 1, 0][..]))?, Some(1));
    /// assert_eq!(codec.position(), 2);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn position(&self) -> usize {
        self.frames.position()
    }
}

impl<T: DeserializeOwned> RecordCodec<T> {
    /// A codec for `T` in [`Framing::Fixed`] with the size of `T` under `config`
    /// ([`record_size_with`](crate::record::record_size_with)): no prefix on the wire, like
    /// Python's `struct` records. A type whose size varies is [`ErrorKind::VariableSize`].
    ///
    /// ```
    /// use netorder::{Config, ErrorKind, Framing, codec::RecordCodec};
    ///
    /// let codec = RecordCodec::<(u16, u32)>::fixed(Config::new())?;
    /// assert_eq!(codec.framing(), Framing::Fixed(6));
    ///
    /// let err = RecordCodec::<String>::fixed(Config::new()).err().unwrap();
    /// assert!(matches!(err.kind(), ErrorKind::VariableSize { .. }));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn fixed(config: Config) -> Result<Self> {
        let size = record::record_size_with::<T>(config)?;
        Ok(RecordCodec::new(Framing::Fixed(size)).with_config(config))
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
            .field("max_frame_len", &self.frames.max_frame_len)
            .field("config", &self.config)
            .field("position", &self.frames.position)
            .finish()
    }
}

impl<T: DeserializeOwned> RecordCodec<T> {
    /// Decodes the frame at `span` and takes it out of `src` on success only.
    #[inline]
    fn take(&mut self, src: &mut BytesMut, span: FrameSpan) -> Result<T> {
        let value = record::from_bytes_with(&src[span.payload], self.config)?;
        src.advance(span.consumed);
        self.frames.took(span.consumed);
        Ok(value)
    }
}

impl<T: DeserializeOwned> Decoder for RecordCodec<T> {
    type Item = T;
    type Error = Error;

    /// The next record, or `None` when more bytes are needed. Frame errors as for
    /// [`FrameCodec`]; record errors as for [`from_bytes_with`](crate::record::from_bytes_with)
    /// on the payload. Either way `src` is left as it was.
    #[inline]
    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<T>> {
        match self.frames.find(src)? {
            Decoded::Frame(span) => self.take(src, span).map(Some),
            Decoded::Need(_) => Ok(None),
        }
    }

    /// At the end of the stream: the next record, `None` when `src` is empty, or
    /// [`ErrorKind::Truncated`] when it holds part of a frame.
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<T>> {
        match self.frames.find(src)? {
            Decoded::Frame(span) => self.take(src, span).map(Some),
            Decoded::Need(_) if src.is_empty() => Ok(None),
            Decoded::Need(n) => Err(FrameCodec::truncated(src, n)),
        }
    }
}

impl<T: Serialize> RecordCodec<T> {
    /// Serializes `value` in place after room for its prefix, then writes the prefix (a varint
    /// prefix is guessed at one byte; a longer one moves the record up).
    #[inline]
    fn put(&self, value: &T, dst: &mut BytesMut) -> Result<()> {
        let framing = self.frames.framing;
        let guess = match framing {
            Framing::Fixed(_) => 0,
            Framing::U16 => 2,
            Framing::U32 => 4,
            Framing::Varint => 1,
        };
        let at = dst.len();
        let len = encode_after(value, self.config, dst, guess, self.frames.max_frame_len)?;
        let header_len = framing.header_len(len);
        if header_len > guess {
            dst.resize(at + header_len + len, 0);
            dst.copy_within(at + guess..at + guess + len, at + header_len);
        }
        if let Err(e) = write_header(framing, len, &mut dst[at..at + header_len]) {
            dst.truncate(at);
            return Err(e);
        }
        Ok(())
    }
}

impl<T: Serialize> Encoder<&T> for RecordCodec<T> {
    type Error = Error;

    /// Appends one frame holding `value` to `dst`. Errors, with `dst` untouched: the record
    /// layer's errors for a value that cannot be written; a record over the maximum frame
    /// length or its length field ([`ErrorKind::FrameTooLong`]), or not exactly `n` bytes for
    /// `Fixed(n)` ([`ErrorKind::LengthMismatch`]).
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
