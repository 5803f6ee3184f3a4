//! General length fields: [`Framing::length_delimited`] and its [`LengthDelimited`] builder,
//! with tokio-util's `length_delimited::Builder` method names and meanings, and the reading and
//! writing of such a field ([`LengthField`]).
//!
//! The semantics are tokio-util's (0.7), byte for byte:
//! - decoding needs `max(length_field_offset + length_field_length, num_skip)` bytes of head,
//!   reads the field at `length_field_offset`, refuses a raw field value over
//!   `max_frame_length` (checked *before* the adjustment), adds `length_adjustment`, skips
//!   `num_skip` bytes (default: offset plus field length) and takes that many bytes as the
//!   frame;
//! - encoding ignores `length_field_offset` and `num_skip`: it writes the field (the payload's
//!   length minus `length_adjustment`) and then the payload, and refuses a payload longer than
//!   `max_frame_length`;
//! - `max_frame_length` is lowered to the largest raw value the field can hold plus the
//!   adjustment (tokio-util's `adjust_max_frame_len`), at [`LengthDelimited::build`] and by
//!   [`Framing::with_max_frame_len`].
//!
//! Three deliberate differences, all where tokio-util cannot do anything useful: a maximum
//! frame length over 4 EiB is lowered to 4 EiB (tokio-util would try to reserve such a frame);
//! a frame that
//! would be empty *and* start at byte 0 of the head (`num_skip(0)` and a field value that the
//! adjustment takes to 0) would never consume a byte (tokio-util yields such empty frames for
//! ever); netorder refuses it with [`ErrorKind::LengthAdjustment`]. And at the end of the
//! stream a frame whose head arrived but not its payload is [`ErrorKind::Truncated`]
//! (tokio-util has consumed the head by then and calls it a clean end).

use super::{Framing, FramingKind};
use crate::error::{Error, ErrorKind, Result};

/// tokio-util's default maximum frame length: 8 MiB.
const TOKIO_DEFAULT_MAX: usize = 8 << 20;

/// The largest maximum frame length of a general length field, 4 EiB: a field value up to it
/// plus an adjustment (within ±2 GiB) is an `i64` that cannot overflow.
const MAX_RAW: u64 = 1 << 62;

/// A length field somewhere in a frame's head ([`FramingKind::LengthField`]): where it is, how
/// wide, which byte order, how its value relates to the frame. Built by
/// [`Framing::length_delimited`]; the accessors give the resolved values.
///
/// ```
/// use netorder::frame::{Framing, FramingKind};
///
/// let framing = Framing::length_delimited().length_field_length(3).little_endian().build()?;
/// let FramingKind::LengthField(field) = framing.kind() else { unreachable!() };
/// assert_eq!((field.length_field_length(), field.is_big_endian()), (3, false));
/// assert_eq!(field.num_skip(), 3); // by default, offset plus field length
/// assert_ne!(field.head_len(), 4);
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LengthField {
    offset: u32,
    skip: u32,
    head: u32,
    adjustment: i32,
    width: u8,
    big_endian: bool,
}

impl LengthField {
    /// Bytes before the length field.
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let f = Framing::length_delimited().length_field_offset(2).build()?;
    /// let FramingKind::LengthField(field) = f.kind() else { unreachable!() };
    /// assert_eq!(field.length_field_offset(), 2);
    /// assert_ne!(field.length_field_offset(), 0);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_field_offset(&self) -> usize {
        self.offset as usize
    }

    /// The field's width in bytes, 1 to 8.
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let FramingKind::LengthField(field) = Framing::length_delimited().build()?.kind() else {
    ///     unreachable!()
    /// };
    /// assert_eq!(field.length_field_length(), 4); // tokio-util's default
    /// assert!(Framing::length_delimited().length_field_length(9).build().is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_field_length(&self) -> usize {
        self.width as usize
    }

    /// What is added to the field's value to give the frame's length after the skipped bytes.
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let f = Framing::length_delimited().length_adjustment(-4).build()?;
    /// let FramingKind::LengthField(field) = f.kind() else { unreachable!() };
    /// assert_eq!(field.length_adjustment(), -4);
    /// assert_ne!(field.length_adjustment(), 4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_adjustment(&self) -> isize {
        self.adjustment as isize
    }

    /// Bytes skipped before the frame handed out (resolved: offset plus field length unless
    /// set).
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let f = Framing::length_delimited().num_skip(0).build()?;
    /// let FramingKind::LengthField(field) = f.kind() else { unreachable!() };
    /// assert_eq!(field.num_skip(), 0);
    /// assert_ne!(field.num_skip(), 4);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn num_skip(&self) -> usize {
        self.skip as usize
    }

    /// Bytes that must have arrived before the field is read: the larger of offset plus field
    /// length and `num_skip`.
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let f = Framing::length_delimited().length_field_offset(1).num_skip(7).build()?;
    /// let FramingKind::LengthField(field) = f.kind() else { unreachable!() };
    /// assert_eq!(field.head_len(), 7);
    /// assert_ne!(field.head_len(), 5);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn head_len(&self) -> usize {
        self.head as usize
    }

    /// Whether the field is big-endian (network order, the default).
    ///
    /// ```
    /// use netorder::frame::{Framing, FramingKind};
    /// let f = Framing::length_delimited().little_endian().build()?;
    /// let FramingKind::LengthField(field) = f.kind() else { unreachable!() };
    /// assert!(!field.is_big_endian());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn is_big_endian(&self) -> bool {
        self.big_endian
    }

    /// The largest value the field holds.
    pub(crate) const fn field_max(&self) -> u64 {
        u64::MAX >> (64 - 8 * self.width as u32)
    }

    /// tokio-util's `adjust_max_frame_len`: `max` lowered to the field's largest value plus the
    /// adjustment (saturating), when that is less.
    pub(crate) const fn clamp_max(&self, max: usize) -> usize {
        let allowed = self
            .field_max()
            .saturating_add_signed(self.adjustment as i64);
        if (max as u64) > allowed {
            allowed as usize
        } else {
            max
        }
    }

    /// Reads the field's raw value from `head` (at least `head_len` bytes): one 8-byte load
    /// and a shift or mask when 8 bytes follow the offset, byte by byte otherwise.
    #[inline(always)]
    fn read(&self, head: &[u8]) -> u64 {
        let at = self.offset as usize;
        let w = u32::from(self.width);
        if let Some(word) = head.get(at..).and_then(<[u8]>::first_chunk::<8>) {
            return if self.big_endian {
                u64::from_be_bytes(*word) >> (64 - 8 * w)
            } else {
                u64::from_le_bytes(*word) & self.field_max()
            };
        }
        let field = &head[at..at + w as usize];
        if self.big_endian {
            field.iter().fold(0, |v, &b| (v << 8) | u64::from(b))
        } else {
            field.iter().rev().fold(0, |v, &b| (v << 8) | u64::from(b))
        }
    }

    /// The field for a `len`-byte payload as the first `width` bytes of a little-endian word
    /// (what the encoder writes), or `None` when the adjustment takes it below zero.
    #[inline(always)]
    pub(crate) fn encode(&self, len: usize) -> Option<u128> {
        // Called for any length: beyond 2^62 (over every maximum) there is no field.
        if len as u64 > MAX_RAW {
            return None;
        }
        let v = len as i64 - i64::from(self.adjustment);
        if v < 0 || v as u64 > self.field_max() {
            return None;
        }
        let v = v as u64;
        let w = u32::from(self.width);
        Some(u128::from(if self.big_endian {
            v.swap_bytes() >> (8 * (8 - w))
        } else {
            v
        }))
    }

    /// The frame at the start of `input`, as `(payload, end)`, or `Err(Ok(need))` for more
    /// bytes, or the error. `max` is the (clamped) maximum raw field value.
    #[inline(always)]
    pub(crate) fn decode(
        &self,
        input: &[u8],
        max: usize,
    ) -> core::result::Result<(usize, usize), Result<usize>> {
        let head = self.head as usize;
        if input.len() < head {
            return Err(Ok(head - input.len()));
        }
        let raw = self.read(input);
        if raw > max as u64 {
            return Err(Err(Error::new(ErrorKind::LengthLimit {
                offset: self.offset as usize,
                len: raw,
                limit: max as u64,
            })));
        }
        let skip = self.skip as usize;
        // Below zero (tokio-util: "provided length would overflow after adjustment"), or an
        // empty frame at byte 0 that would never consume anything.
        // `raw <= max <= 2^62` and the adjustment is within ±2^31: no overflow.
        let len = raw as i64 + i64::from(self.adjustment);
        if len < i64::from(skip == 0) {
            return Err(Err(self.bad_adjustment(raw)));
        }
        // `len <= max + adjustment` fits a usize; the sum saturates into "never complete".
        let end = skip.saturating_add(len as usize);
        Ok((skip, end))
    }

    #[cold]
    fn bad_adjustment(&self, raw: u64) -> Error {
        Error::new(ErrorKind::LengthAdjustment {
            offset: self.offset as usize,
            len: raw,
            adjustment: i64::from(self.adjustment),
        })
    }
}

/// The builder [`Framing::length_delimited`] returns: tokio-util's
/// `length_delimited::Builder`, method for method (by value here, so calls chain into
/// [`LengthDelimited::build`]). Defaults as tokio-util's: a 4-byte big-endian field at offset
/// 0, adjustment 0, `num_skip` the offset plus the field length, maximum 8 MiB.
///
/// ```
/// use netorder::frame::{Framing, decode_frame, encode_frame, Decoded};
///
/// // tokio-util's module docs, example 5: a u16 at offset 1 of a 4-byte head.
/// let framing = Framing::length_delimited()
///     .length_field_offset(1)
///     .length_field_type::<u16>()
///     .length_adjustment(1)
///     .num_skip(3)
///     .build()?;
/// let input = b"\xCA\x00\x0B\xFEHello world";
/// let Decoded::Frame(span) = decode_frame(framing, input)? else { panic!() };
/// assert_eq!(&input[span.payload], b"\xFEHello world");
///
/// // Impossible combinations are refused with the reason.
/// let err = Framing::length_delimited().length_field_length(0).build().unwrap_err();
/// assert_eq!(err.kind(), &netorder::ErrorKind::InvalidWidth { width: 0, min: 1, max: 8 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
pub struct LengthDelimited {
    max_frame_len: usize,
    width: usize,
    offset: usize,
    adjustment: isize,
    num_skip: Option<usize>,
    big_endian: bool,
}

impl Default for LengthDelimited {
    fn default() -> Self {
        Framing::length_delimited()
    }
}

impl Framing {
    /// A builder for a general length field, with tokio-util's `length_delimited::Builder`
    /// names and meanings (see [`LengthDelimited`]). `.build()` gives the [`Framing`].
    ///
    /// ```
    /// use netorder::frame::{Framing, encode_frame};
    ///
    /// let framing = Framing::length_delimited().length_field_length(3).little_endian().build()?;
    /// let mut out = Vec::new();
    /// encode_frame(framing, b"abc", &mut out)?;
    /// assert_eq!(out, b"\x03\x00\x00abc");
    /// assert!(Framing::length_delimited().length_field_length(9).build().is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_delimited() -> LengthDelimited {
        LengthDelimited {
            max_frame_len: TOKIO_DEFAULT_MAX,
            width: 4,
            offset: 0,
            adjustment: 0,
            num_skip: None,
            big_endian: true,
        }
    }
}

impl LengthDelimited {
    /// The field is big-endian (the default).
    ///
    /// ```
    /// use netorder::frame::{Framing, encode_frame};
    /// let f = Framing::length_delimited().little_endian().big_endian().length_field_length(2).build()?;
    /// let mut out = Vec::new();
    /// encode_frame(f, b"x", &mut out)?;
    /// assert_eq!(out, b"\0\x01x");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn big_endian(mut self) -> Self {
        self.big_endian = true;
        self
    }

    /// The field is little-endian.
    ///
    /// ```
    /// use netorder::frame::{Framing, encode_frame};
    /// let f = Framing::length_delimited().little_endian().length_field_length(2).build()?;
    /// let mut out = Vec::new();
    /// encode_frame(f, b"x", &mut out)?;
    /// assert_eq!(out, b"\x01\0x");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn little_endian(mut self) -> Self {
        self.big_endian = false;
        self
    }

    /// The field is in the byte order of the machine this runs on.
    ///
    /// ```
    /// use netorder::frame::Framing;
    /// let native = Framing::length_delimited().native_endian().build()?;
    /// let little = Framing::length_delimited().little_endian().build()?;
    /// assert_eq!(native == little, cfg!(target_endian = "little"));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn native_endian(self) -> Self {
        if cfg!(target_endian = "big") {
            self.big_endian()
        } else {
            self.little_endian()
        }
    }

    /// The largest raw field value accepted when decoding (checked before the adjustment, as
    /// tokio-util does) and the largest payload accepted when encoding. Default 8 MiB.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, decode_frame}};
    /// let f = Framing::length_delimited().max_frame_length(10).build()?;
    /// let err = decode_frame(f, b"\0\0\0\x0b").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 11, limit: 10 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn max_frame_length(mut self, val: usize) -> Self {
        self.max_frame_len = val;
        self
    }

    /// The field's width as that of an unsigned integer type (`u8`, `u16`, `u32`, `u64`).
    ///
    /// ```
    /// use netorder::frame::{Framing, encode_frame};
    /// let f = Framing::length_delimited().length_field_type::<u16>().build()?;
    /// let mut out = Vec::new();
    /// encode_frame(f, b"hi", &mut out)?;
    /// assert_eq!(out, b"\0\x02hi");
    /// assert_ne!(out.len(), 6);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_field_type<T: LengthFieldType>(self) -> Self {
        self.length_field_length(core::mem::size_of::<T>())
    }

    /// The field's width in bytes: 1 to 8 (tokio-util panics on others; [`build`] refuses
    /// them with [`ErrorKind::InvalidWidth`]).
    ///
    /// [`build`]: LengthDelimited::build
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Framing, encode_frame}};
    /// let f = Framing::length_delimited().length_field_length(3).build()?;
    /// let mut out = Vec::new();
    /// encode_frame(f, b"hi", &mut out)?;
    /// assert_eq!(out, b"\0\0\x02hi");
    /// let err = Framing::length_delimited().length_field_length(9).build().unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::InvalidWidth { width: 9, min: 1, max: 8 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_field_length(mut self, val: usize) -> Self {
        self.width = val;
        self
    }

    /// Bytes before the length field (decoding only: the encoder writes the field first, as
    /// tokio-util's does).
    ///
    /// ```
    /// use netorder::frame::{Framing, Decoded, decode_frame};
    /// let f = Framing::length_delimited().length_field_offset(1).length_field_length(1).build()?;
    /// let Decoded::Frame(span) = decode_frame(f, b"V\x02hi")? else { panic!() };
    /// assert_eq!(span.payload, 2..4);
    /// assert_eq!(decode_frame(f, b"V")?, Decoded::Need(1));
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_field_offset(mut self, val: usize) -> Self {
        self.offset = val;
        self
    }

    /// Added to the field's value to give the frame's length after the skipped bytes
    /// (negative when the field counts the head too). The encoder writes the payload's length
    /// minus this.
    ///
    /// ```
    /// use netorder::frame::{Framing, Decoded, decode_frame};
    /// // The field counts itself: example 3 of tokio-util's docs.
    /// let f = Framing::length_delimited().length_field_type::<u16>().length_adjustment(-2).build()?;
    /// let input = b"\x00\x0DHello world";
    /// let Decoded::Frame(span) = decode_frame(f, input)? else { panic!() };
    /// assert_eq!(&input[span.payload], b"Hello world");
    /// assert!(decode_frame(f, b"\x00\x01").is_err()); // 1 - 2 < 0
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn length_adjustment(mut self, val: isize) -> Self {
        self.adjustment = val;
        self
    }

    /// Bytes skipped from the start of the frame before the bytes handed out (default: the
    /// offset plus the field length; 0 hands out the whole head too). Decoding only.
    ///
    /// ```
    /// use netorder::frame::{Framing, Decoded, decode_frame};
    /// let f = Framing::length_delimited()
    ///     .length_field_type::<u16>().length_adjustment(2).num_skip(0).build()?;
    /// let input = b"\x00\x0BHello world";
    /// let Decoded::Frame(span) = decode_frame(f, input)? else { panic!() };
    /// assert_eq!(&input[span.payload], &input[..]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn num_skip(mut self, val: usize) -> Self {
        self.num_skip = Some(val);
        self
    }

    /// The [`Framing`], or why this combination cannot frame anything:
    /// - a field length outside 1 to 8: [`ErrorKind::InvalidWidth`];
    /// - an offset, `num_skip` or head over 4 GiB, an adjustment beyond ±2 GiB, or no field
    ///   value that gives a frame (the maximum and the adjustment leave none):
    ///   [`ErrorKind::InvalidFraming`] with the reason.
    ///
    /// The maximum frame length is lowered as tokio-util lowers it (see the module docs).
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::Framing};
    /// let f = Framing::length_delimited().length_field_length(1).build()?;
    /// assert_eq!(f.max_frame_len(), 255);
    /// let err = Framing::length_delimited()
    ///     .length_field_length(1).length_adjustment(-300).build().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::InvalidFraming { .. }), "{err}");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub fn build(self) -> Result<Framing> {
        if self.width == 0 || self.width > 8 {
            return Err(Error::new(ErrorKind::InvalidWidth {
                width: self.width,
                min: 1,
                max: 8,
            }));
        }
        let skip = match self.num_skip {
            Some(s) => s,
            None => self.offset.saturating_add(self.width),
        };
        let field_end = self.offset.saturating_add(self.width);
        let head = if skip > field_end { skip } else { field_end };
        if head > u32::MAX as usize {
            return Err(invalid(
                "the head (offset, field, num_skip) is longer than 4 GiB",
            ));
        }
        if self.adjustment > i32::MAX as isize || self.adjustment < i32::MIN as isize {
            return Err(invalid("the length adjustment is beyond ±2 GiB"));
        }
        let field = LengthField {
            offset: self.offset as u32,
            skip: skip as u32,
            head: head as u32,
            adjustment: self.adjustment as i32,
            width: self.width as u8,
            big_endian: self.big_endian,
        };
        let max = field.clamp_max(self.max_frame_len);
        // The least raw value that gives a frame: the adjustment must not take it below 0
        // (below 1 when the frame starts at byte 0).
        let least = (skip == 0) as i64 - self.adjustment as i64;
        if least > 0 && least as u64 > max as u64 {
            return Err(invalid(
                "no length field value gives a frame: the maximum frame length is below what the \
                 adjustment subtracts",
            ));
        }
        Ok(Framing::of(FramingKind::LengthField(field)).with_max_frame_len(max))
    }
}

#[cold]
fn invalid(reason: &'static str) -> Error {
    Error::new(ErrorKind::InvalidFraming { reason })
}

/// The integer types whose width [`LengthDelimited::length_field_type`] takes: `u8`, `u16`,
/// `u32`, `u64`, `usize` (as tokio-util's).
///
/// ```
/// use netorder::frame::{Framing, LengthFieldType};
/// fn width<T: LengthFieldType>() -> usize { core::mem::size_of::<T>() }
/// assert_eq!(width::<u64>(), 8);
/// assert!(Framing::length_delimited().length_field_type::<u64>().build().is_ok());
/// ```
pub trait LengthFieldType: sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
}

macro_rules! length_field_types {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl LengthFieldType for $t {}
    )*};
}
length_field_types!(u8, u16, u32, u64, usize);
