//! Integrity trailers ([`Framing::with_checksum`]): a checksum after each frame, with any
//! framing. The checksum covers every byte of the frame before it (head, payload, delimiter)
//! and goes out big-endian right after them; the length field, if any, counts the payload
//! only. A frame whose trailer does not match is [`ErrorKind::ChecksumMismatch`]: it is not
//! delivered, the error is sticky like every decoding error (nothing after it is parsed), and
//! the buffer stays as it was.
//!
//! Which checksums exist depends on the crate's features, so a library user compiles only the
//! ones asked for: [`Checksum::Internet`] (RFC 1071, [`crate::checksum`]) always;
//! [`Checksum::Crc32c`] (Castagnoli, from the `crc32c` crate, SSE 4.2 or ARMv8 CRC
//! instructions detected at run time) with the feature `crc32c` (which needs `std`);
//! [`Checksum::Crc32`] (IEEE 802.3, zlib's, from `crc32fast`, SIMD where the CPU has it) with
//! the feature `crc32` (no `std` needed).

use super::Framing;
use crate::checksum::InternetChecksum;
use crate::error::{Error, ErrorKind};

/// A checksum put after every frame ([`Framing::with_checksum`]). Variants come with the
/// crate's features: the Internet checksum always, `Crc32c` with the feature `crc32c`, `Crc32`
/// with `crc32`.
///
/// ```
/// use netorder::frame::{Checksum, Framing, encode_frame};
///
/// let framing = Framing::U16.with_checksum(Checksum::Internet);
/// let mut out = Vec::new();
/// encode_frame(framing, b"hi", &mut out)?;
/// // The Internet checksum of 00 02 68 69, big-endian, after the frame.
/// assert_eq!(out, [0x00, 0x02, b'h', b'i', 0x97, 0x94]);
/// assert_eq!(Checksum::Internet.len(), 2);
/// # Ok::<(), netorder::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Checksum {
    /// CRC-32C (Castagnoli, iSCSI, SCTP, ext4), 4 bytes. Feature `crc32c`.
    #[cfg(feature = "crc32c")]
    Crc32c,
    /// CRC-32 (IEEE 802.3, zlib's `crc32`, Python's `zlib.crc32`), 4 bytes. Feature `crc32`.
    #[cfg(feature = "crc32")]
    Crc32,
    /// The Internet checksum (RFC 1071), 2 bytes.
    Internet,
}

impl Checksum {
    /// The trailer's length in bytes.
    ///
    /// ```
    /// use netorder::frame::Checksum;
    /// assert_eq!(Checksum::Internet.len(), 2);
    /// assert_ne!(Checksum::Internet.len(), 4);
    /// ```
    #[allow(clippy::len_without_is_empty)]
    #[inline(always)]
    pub const fn len(self) -> usize {
        match self {
            Checksum::Internet => 2,
            #[allow(unreachable_patterns)]
            _ => 4,
        }
    }

    /// The name in a framing's text form (after a `+`): `crc32c`, `crc32`, `internet`.
    ///
    /// ```
    /// use netorder::frame::Checksum;
    /// assert_eq!(Checksum::Internet.name(), "internet");
    /// assert_ne!(Checksum::Internet.name(), "crc32");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "crc32c")]
            Checksum::Crc32c => "crc32c",
            #[cfg(feature = "crc32")]
            Checksum::Crc32 => "crc32",
            Checksum::Internet => "internet",
        }
    }

    #[cfg(feature = "alloc")]
    /// The checksum named `name`, if this build has it.
    pub(crate) fn from_name(name: &str) -> Option<Checksum> {
        match name {
            #[cfg(feature = "crc32c")]
            "crc32c" => Some(Checksum::Crc32c),
            #[cfg(feature = "crc32")]
            "crc32" => Some(Checksum::Crc32),
            "internet" => Some(Checksum::Internet),
            _ => None,
        }
    }

    /// The checksum of `pieces` joined.
    #[inline]
    pub(crate) fn of(self, pieces: &[&[u8]]) -> u32 {
        match self {
            #[cfg(feature = "crc32c")]
            Checksum::Crc32c => pieces
                .iter()
                .fold(0, |crc, piece| crc32c::crc32c_append(crc, piece)),
            #[cfg(feature = "crc32")]
            Checksum::Crc32 => {
                let mut hasher = crc32fast::Hasher::new();
                for piece in pieces {
                    hasher.update(piece);
                }
                hasher.finalize()
            }
            Checksum::Internet => {
                let mut sum = InternetChecksum::new();
                for piece in pieces {
                    sum.add(piece);
                }
                u32::from(sum.finish())
            }
        }
    }

    #[cfg(feature = "alloc")]
    /// The trailer for `pieces` joined: big-endian, in the first [`Checksum::len`] bytes.
    #[inline]
    pub(crate) fn trailer(self, pieces: &[&[u8]]) -> [u8; 4] {
        let sum = self.of(pieces);
        match self.len() {
            2 => {
                let b = (sum as u16).to_be_bytes();
                [b[0], b[1], 0, 0]
            }
            _ => sum.to_be_bytes(),
        }
    }

    /// Checks the trailer at `input[covered..]` (there are [`Checksum::len`] bytes) against the
    /// checksum of `input[..covered]`.
    #[inline]
    pub(crate) fn verify(self, input: &[u8], covered: usize) -> Result<(), Error> {
        let n = self.len();
        let stored = input[covered..covered + n]
            .iter()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        let computed = self.of(&[&input[..covered]]);
        if stored == computed {
            Ok(())
        } else {
            Err(mismatch(stored, computed, covered))
        }
    }
}

#[cold]
#[inline(never)]
fn mismatch(expected: u32, computed: u32, offset: usize) -> Error {
    Error::new(ErrorKind::ChecksumMismatch {
        expected,
        computed,
        offset,
    })
}

impl Framing {
    /// The same framing with a checksum after every frame (see [`Checksum`]): computed over the
    /// frame's bytes and written after them going out, checked coming in, where a mismatch is
    /// [`ErrorKind::ChecksumMismatch`] and the frame is not delivered.
    ///
    /// ```
    /// use netorder::{ErrorKind, frame::{Checksum, Framing, FrameDecoder, encode_frame}};
    ///
    /// let framing = Framing::VARINT.with_checksum(Checksum::Internet);
    /// let mut wire = Vec::new();
    /// encode_frame(framing, b"ok", &mut wire)?;
    /// wire[1] ^= 0x01; // a bit flips on the way
    /// let mut decoder = FrameDecoder::new(framing);
    /// decoder.feed(&wire);
    /// let err = decoder.next_frame().unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ChecksumMismatch { offset: 3, .. }), "{err}");
    /// # Ok::<(), netorder::Error>(())
    /// ```
    #[must_use]
    pub const fn with_checksum(mut self, checksum: Checksum) -> Framing {
        self.tail = self.tail - self.trailer + checksum.len() as u8;
        self.trailer = checksum.len() as u8;
        self.checksum = Some(checksum);
        self
    }

    /// The checksum after every frame, if any.
    ///
    /// ```
    /// use netorder::frame::{Checksum, Framing};
    /// assert_eq!(Framing::U16.checksum(), None);
    /// assert_eq!(Framing::U16.with_checksum(Checksum::Internet).checksum(), Some(Checksum::Internet));
    /// ```
    pub const fn checksum(&self) -> Option<Checksum> {
        self.checksum
    }

    /// The trailer's length: 0 without a checksum.
    #[inline(always)]
    pub(crate) const fn trailer_len(&self) -> usize {
        self.trailer as usize
    }
}
