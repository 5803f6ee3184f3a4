//! [`Config`]: how a record's integers, lengths and tags are written, and the limits a decoder
//! enforces on hostile input.

use crate::int::IntEncoding;
use crate::order::Endian;

/// How the integers inside a record (including sequence lengths, `Option` tags and enum variant
/// indexes) are written: the choice [`Config::fixed_int`], [`Config::varint`] and
/// [`Config::ascii_fixed`] make, named by [`Config::int_encoding`]. Internal: the public API
/// names an encoding with [`IntEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum IntMode {
    /// Full width, in the configured byte order.
    #[default]
    Fixed,
    /// LEB128, zigzag for signed types; one raw byte for 8-bit ones.
    Varint,
    /// Zero-padded ASCII digits, a sign byte before a signed type's.
    AsciiFixed,
}

/// How records are written and read: byte order, integer encoding, and the limits a decoder
/// enforces.
///
/// `Config::new()` (also `Config::default()`) is network byte order (big-endian), fixed-width
/// integers, no padding — byte for byte what bincode 2 writes with
/// `config::standard().with_big_endian().with_fixed_int_encoding()` — with a length limit of
/// [`Config::DEFAULT_MAX_LEN`] and a nesting limit of [`Config::DEFAULT_MAX_DEPTH`].
///
/// The integers (sequence lengths, `Option` tags and enum variant indexes included) are
/// written in one of three ways, each a subset of layer 2's [`IntEncoding`]
/// ([`Config::int_encoding`] names the one used for an integer type):
///
/// | builder | integers | [`IntEncoding`] |
/// |---|---|---|
/// | [`fixed_int`](Config::fixed_int) (default) | full width, in the configured byte order | `Fixed { width, endian }` |
/// | [`varint`](Config::varint) | LEB128, signed types zigzag-mapped at their width; 8-bit types one raw byte | `Varint`, `ZigZag` |
/// | [`ascii_fixed`](Config::ascii_fixed) | zero-padded decimal digits, as many as the type's widest value needs | `AsciiFixed { width }` (after a sign byte for signed types) |
///
/// Every builder method is a `const fn`, so a configuration can be a `const`:
///
/// ```
/// use netorder::record::Config;
/// use netorder::{Endian, ErrorKind};
///
/// const WIRE: Config = Config::new().little_endian().with_max_len(1024);
/// let bytes = WIRE.to_vec(&(1u16, 2u32))?;
/// assert_eq!(bytes, [1, 0, 2, 0, 0, 0]);
/// assert_eq!(WIRE.from_bytes::<(u16, u32)>(&bytes)?, (1, 2));
///
/// // A length over the limit is refused before anything is allocated.
/// let mut hostile = 1025u64.to_le_bytes().to_vec();
/// hostile.extend_from_slice(&[0; 16]);
/// let err = WIRE.from_bytes::<Vec<u8>>(&hostile).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 1025, limit: 1024 });
/// # Ok::<(), netorder::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Config {
    pub(crate) endian: Endian,
    pub(crate) ints: IntMode,
    pub(crate) max_len: u64,
    pub(crate) max_depth: usize,
}

impl Config {
    /// The default length limit: 16 MiB (bytes of a string or byte string, elements of a
    /// sequence, entries of a map).
    pub const DEFAULT_MAX_LEN: u64 = 16 << 20;
    /// The default nesting limit: 128 levels of structs, tuples, enums, newtypes and `Some`s.
    /// Sequences and maps count as levels too but may sit one level past the limit, and so
    /// may strings and byte strings: a `&[u8]` is written as a sequence of `u8` and read back
    /// as bytes, and the encoder and decoder must agree on what is too deep.
    pub const DEFAULT_MAX_DEPTH: usize = 128;

    /// The default configuration: big-endian, fixed-width integers, default limits.
    ///
    /// ```
    /// use netorder::record::Config;
    /// assert_eq!(Config::new().to_vec(&0x0102u16)?, [1, 2]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn new() -> Self {
        Config {
            endian: Endian::Big,
            ints: IntMode::Fixed,
            max_len: Self::DEFAULT_MAX_LEN,
            max_depth: Self::DEFAULT_MAX_DEPTH,
        }
    }

    /// Sets the byte order of fixed-width integers and floats.
    ///
    /// ```
    /// use netorder::{Endian, record::Config};
    /// let c = Config::new().with_endian(Endian::Little);
    /// assert_eq!(c.to_vec(&1u32)?, [1, 0, 0, 0]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn with_endian(mut self, endian: Endian) -> Self {
        self.endian = endian;
        self
    }

    /// Big-endian (network byte order), the default.
    ///
    /// ```
    /// use netorder::record::Config;
    /// assert_eq!(Config::new().big_endian().to_vec(&1u32)?, [0, 0, 0, 1]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn big_endian(self) -> Self {
        self.with_endian(Endian::Big)
    }

    /// Little-endian.
    ///
    /// ```
    /// use netorder::record::Config;
    /// let c = Config::new().little_endian();
    /// assert_eq!(c.to_vec(&1u32)?, [1, 0, 0, 0]);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn little_endian(self) -> Self {
        self.with_endian(Endian::Little)
    }

    /// Fixed-width binary integers, the default: every integer at its type's full width
    /// (`u16` → 2 bytes, `usize` → 8 bytes), in the configured byte order. Lengths are `u64`,
    /// variant indexes `u32`, `Option` tags and bools one byte. This is bincode 2's
    /// `with_fixed_int_encoding()`, and [`IntEncoding::Fixed`].
    ///
    /// ```
    /// use netorder::record::Config;
    /// assert_eq!(Config::new().fixed_int().to_vec(&1u16)?, [0, 1]);
    /// // Every byte pattern is an integer, but not every one is a bool.
    /// assert!(Config::new().fixed_int().from_bytes::<(u16, bool)>(&[0, 1, 2]).is_err());
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn fixed_int(mut self) -> Self {
        self.ints = IntMode::Fixed;
        self
    }

    /// LEB128 integers ([`IntEncoding::Varint`]), signed ones zigzag-mapped at their own width
    /// first ([`IntEncoding::ZigZag`]); also for lengths and variant indexes. `u8`, `i8`, bools
    /// and `Option` tags stay one raw byte. This is the layout of the `postcard` format (except
    /// that floats follow the configured byte order), and it is **not** bincode's varint
    /// encoding (which uses a marker byte `251..=254` and then a fixed-width integer).
    /// Decoding is strict: overlong encodings and values that do not fit the target type are
    /// errors.
    ///
    /// ```
    /// use netorder::{ErrorKind, record::Config};
    /// let c = Config::new().varint();
    /// assert_eq!(c.to_vec(&-2i32)?, [3]);
    /// assert_eq!(c.to_vec(&300u32)?, [0xac, 0x02]);
    /// // 70 000 does not fit a u16.
    /// let err = c.from_bytes::<u16>(&[0xf0, 0xa2, 0x04]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Overflow { offset: 0, bits: 16 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn varint(mut self) -> Self {
        self.ints = IntMode::Varint;
        self
    }

    /// Zero-padded ASCII decimal integers of fixed width ([`IntEncoding::AsciiFixed`]): each
    /// integer in as many digits as the widest value of its type needs: `u8` → 3 bytes,
    /// `u16` → 5, `u32` → 10, `u64`/`usize` → 20, `u128` → 39. Signed integers take a sign byte
    /// (`+` or `-`) and then the digits of the widest magnitude: `i8` → 4 bytes (`-128`),
    /// `i16` → 6, `i32` → 11, `i64`/`isize` → 20, `i128` → 40. Lengths are written as `u64`
    /// (20 digits), variant indexes as `u32` (10 digits), bools and `Option` tags as one digit
    /// `0` or `1`. Floats and chars are not integers: floats stay IEEE 754 binary in the
    /// configured byte order, chars UTF-8.
    ///
    /// A record of fixed-size fields therefore stays fixed-length, and readable. Decoding is
    /// strict: exactly that many digits, the sign is required for signed types, `-0…0` is
    /// refused, and a value past the type's range is an [`Overflow`](crate::ErrorKind::Overflow).
    ///
    /// ```
    /// use netorder::{ErrorKind, record::Config};
    /// let c = Config::new().ascii_fixed();
    /// assert_eq!(c.to_vec(&(-5i8, 42u8))?, b"-005042");
    /// assert_eq!(c.to_vec(&7u16)?, b"00007");
    /// let err = c.from_bytes::<i8>(b"-000").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::NegativeZero { offset: 0 });
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn ascii_fixed(mut self) -> Self {
        self.ints = IntMode::AsciiFixed;
        self
    }

    /// Sets the largest length a decoder accepts for a string, byte string, sequence or map
    /// (checked before anything is allocated; also enforced when encoding).
    ///
    /// ```
    /// use netorder::{ErrorKind, record::Config};
    /// let err = Config::new().with_max_len(4).to_vec("hello").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::LengthLimit { offset: 0, len: 5, limit: 4 });
    /// ```
    pub const fn with_max_len(mut self, max_len: u64) -> Self {
        self.max_len = max_len;
        self
    }

    /// Sets the deepest nesting accepted, when encoding and when decoding.
    ///
    /// ```
    /// use netorder::{ErrorKind, record::Config};
    /// let c = Config::new().with_max_depth(1);
    /// let err = c.from_bytes::<((u8,),)>(&[7]).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::DepthLimit { offset: 0, limit: 1 });
    /// ```
    pub const fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The byte order.
    ///
    /// ```
    /// use netorder::{Endian, record::Config};
    /// assert_eq!(Config::new().endian(), Endian::Big);
    /// ```
    pub const fn endian(&self) -> Endian {
        self.endian
    }

    /// The [`IntEncoding`] this configuration writes an integer of `width` bytes in (`u8`
    /// and `i8` are 1, ..., `u64`, `i64`, `usize`, `isize` and sequence lengths 8, enum variant
    /// indexes 4), `signed` or not; `None` where no `IntEncoding` writes the same bytes.
    ///
    /// | configuration | unsigned | signed |
    /// |---|---|---|
    /// | [`fixed_int`](Config::fixed_int) | `Fixed { width, endian }` | the same, of the value's two's-complement bits |
    /// | [`varint`](Config::varint) | `Varint` (`Fixed { width: 1, .. }` for one byte) | `ZigZag` of the value as an `i64` (`Fixed { width: 1, .. }` for one byte) |
    /// | [`ascii_fixed`](Config::ascii_fixed) | `AsciiFixed { width }`: 3, 5, 10 or 20 digits | `None`: a sign byte, then the digits |
    ///
    /// A width other than 1, 2, 4 or 8 (16 for `u128` and `i128`, which no `IntEncoding`
    /// holds) is `None`.
    ///
    /// ```
    /// use netorder::{Config, Endian, IntEncoding};
    ///
    /// let c = Config::new().varint();
    /// assert_eq!(c.int_encoding(4, false), Some(IntEncoding::Varint));
    /// let mut out = Vec::new();
    /// c.int_encoding(4, false).unwrap().encode(300, &mut out)?;
    /// assert_eq!(out, c.to_vec(&300u32)?);
    /// assert_eq!(c.int_encoding(2, true), Some(IntEncoding::ZigZag));
    /// assert_eq!(
    ///     Config::new().int_encoding(2, true),
    ///     Some(IntEncoding::Fixed { width: 2, endian: Endian::Big }),
    /// );
    /// assert_eq!(Config::new().ascii_fixed().int_encoding(2, false), Some(IntEncoding::AsciiFixed { width: 5 }));
    ///
    /// // 128-bit integers, and signed ones as ASCII, are not an `IntEncoding`.
    /// assert_eq!(Config::new().int_encoding(16, false), None);
    /// assert_eq!(Config::new().ascii_fixed().int_encoding(4, true), None);
    /// # Ok::<(), netorder::Error>(())
    /// ```
    pub const fn int_encoding(&self, width: u8, signed: bool) -> Option<IntEncoding> {
        if !matches!(width, 1 | 2 | 4 | 8) {
            return None;
        }
        let fixed = IntEncoding::Fixed {
            width,
            endian: self.endian,
        };
        Some(match self.ints {
            IntMode::Fixed => fixed,
            IntMode::Varint if width == 1 => fixed,
            IntMode::Varint if signed => IntEncoding::ZigZag,
            IntMode::Varint => IntEncoding::Varint,
            IntMode::AsciiFixed if signed => return None,
            IntMode::AsciiFixed => IntEncoding::AsciiFixed {
                width: match width {
                    1 => 3,
                    2 => 5,
                    4 => 10,
                    _ => 20,
                },
            },
        })
    }

    /// The length limit.
    ///
    /// ```
    /// use netorder::record::Config;
    /// assert_eq!(Config::new().max_len(), 16 << 20);
    /// ```
    pub const fn max_len(&self) -> u64 {
        self.max_len
    }

    /// The nesting limit.
    ///
    /// ```
    /// use netorder::record::Config;
    /// assert_eq!(Config::new().max_depth(), 128);
    /// ```
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

/// The configuration as the encoder and decoder see it. Implemented by [`Config`] (everything
/// decided at run time) and by [`BigFixed`] (the default byte order and integer encoding known
/// at compile time, so the hot path has no branches on them).
pub(crate) trait Flavor: Copy {
    /// The whole configuration; the methods below are its parts (for [`BigFixed`], constants
    /// once inlined).
    fn config(self) -> Config;
    #[inline(always)]
    fn endian(self) -> Endian {
        self.config().endian
    }
    #[inline(always)]
    fn ints(self) -> IntMode {
        self.config().ints
    }
    #[inline(always)]
    fn max_len(self) -> u64 {
        self.config().max_len
    }
    #[inline(always)]
    fn max_depth(self) -> usize {
        self.config().max_depth
    }
}

impl Flavor for Config {
    #[inline(always)]
    fn config(self) -> Config {
        self
    }
}

/// The default configuration ([`Config::new`]), all of it known at compile time: what the
/// free functions (`netorder::to_slice`, `netorder::from_bytes`, ...) use. The decoder and
/// encoder carry no limits in memory, and each limit check compares with a constant.
#[derive(Clone, Copy)]
pub(crate) struct NetDefault;

impl Flavor for NetDefault {
    #[inline(always)]
    fn config(self) -> Config {
        Config::new()
    }
}

/// Big-endian fixed-width integers with run-time limits.
#[derive(Clone, Copy)]
pub(crate) struct BigFixed {
    pub(crate) max_len: u64,
    pub(crate) max_depth: usize,
}

impl Flavor for BigFixed {
    #[inline(always)]
    fn config(self) -> Config {
        Config::new()
            .with_max_len(self.max_len)
            .with_max_depth(self.max_depth)
    }
}

/// Runs `$body` with `$f` bound to the fastest [`Flavor`] for `$config`.
macro_rules! with_flavor {
    ($config:expr, |$f:ident| $body:expr) => {{
        let config: $crate::record::Config = $config;
        if config.endian == $crate::order::Endian::Big
            && config.ints == $crate::record::IntMode::Fixed
        {
            let $f = $crate::record::config::BigFixed {
                max_len: config.max_len,
                max_depth: config.max_depth,
            };
            $body
        } else {
            let $f = config;
            $body
        }
    }};
}
pub(crate) use with_flavor;
