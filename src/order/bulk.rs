//! Bulk conversions: whole slices of a [`NetOrder`] primitive swapped in place or copied to and
//! from bytes, on the fastest [`BulkPath`] this CPU has (`simd`). The `*_on` functions run a
//! named path: test and bench hooks, public only through [`crate::__private`].

use super::simd;
use super::{Endian, NetOrder};
use crate::error::{Error, ErrorKind, Result};

pub use super::simd::BulkPath;

/// Converts every value in `values` in place between the machine's order and `endian`
/// (the same swap goes both ways). A no-op when `endian` is [`Endian::NATIVE`]. Works like
/// byteorder's `BigEndian::from_slice_u32` and friends, for every [`NetOrder`] type.
///
/// Long slices are swapped with SIMD byte shuffles where the CPU has them (AVX2 or SSSE3 on
/// x86_64, detected at run time; NEON on aarch64), 16 or 32 bytes per instruction.
///
/// ```
/// use netorder::{Endian, convert_in_place};
/// let mut words = [0x0102_0304u32, 0x0506_0708];
/// convert_in_place(&mut words, Endian::Big);
/// assert_eq!(words[0].to_ne_bytes(), [1, 2, 3, 4]);
/// convert_in_place(&mut words, Endian::Big);
/// assert_eq!(words, [0x0102_0304, 0x0506_0708]);
///
/// // An empty slice is fine too: there is nothing to go wrong.
/// convert_in_place::<u64>(&mut [], Endian::Little);
/// ```
#[inline]
pub fn convert_in_place<T: NetOrder>(values: &mut [T], endian: Endian) {
    convert_in_place_on(BulkPath::best(), values, endian);
}

/// [`convert_in_place`] on a named [`BulkPath`]; `false` (and `values` untouched) when this
/// CPU lacks the path. A test and bench hook ([`crate::__private`]).
///
/// ```
/// use netorder::Endian;
/// use netorder::__private::{BulkPath, convert_in_place_on};
/// let mut words = [0x0102_0304u32; 9];
/// assert!(convert_in_place_on(BulkPath::Portable, &mut words, Endian::Big));
/// assert_eq!(words[8].to_ne_bytes(), [1, 2, 3, 4]);
/// ```
#[inline]
pub fn convert_in_place_on<T: NetOrder>(path: BulkPath, values: &mut [T], endian: Endian) -> bool {
    if endian.is_native() {
        return path.is_available();
    }
    match path {
        BulkPath::Portable => {
            for v in values {
                *v = v.swap_bytes();
            }
            true
        }
        _ => simd::swap_in_place(path, simd::as_bytes_mut(values), T::SIZE),
    }
}

/// `htonl` over a whole slice: every value from host order to network order, in place.
///
/// ```
/// use netorder::hton_slice;
/// let mut ports = [80u16, 443];
/// hton_slice(&mut ports);
/// assert_eq!(ports[1].to_ne_bytes(), [0x01, 0xbb]);
/// ```
#[inline]
pub fn hton_slice<T: NetOrder>(values: &mut [T]) {
    convert_in_place(values, Endian::Big);
}

/// `ntohl` over a whole slice: every value from network order to host order, in place.
///
/// ```
/// use netorder::ntoh_slice;
/// let mut ports = [u16::from_ne_bytes([0x01, 0xbb])];
/// ntoh_slice(&mut ports);
/// assert_eq!(ports, [443]);
/// ```
#[inline]
pub fn ntoh_slice<T: NetOrder>(values: &mut [T]) {
    convert_in_place(values, Endian::Big);
}

/// `LengthMismatch` unless `bytes_len == count * T::SIZE` (without overflow).
#[inline]
fn check_bulk_len<T: NetOrder>(count: usize, bytes_len: usize) -> Result<()> {
    match count.checked_mul(T::SIZE) {
        Some(expected) if expected == bytes_len => Ok(()),
        expected => Err(Error::new(ErrorKind::LengthMismatch {
            // A count so large its byte size overflows can only be matched by usize::MAX
            // bytes, which no slice holds: saying so is the honest bound.
            expected: expected.unwrap_or(usize::MAX),
            actual: bytes_len,
        })),
    }
}

/// Decodes `bytes` into `out`, every value in the given order (byteorder's `read_u32_into`).
///
/// `bytes.len()` must be exactly `out.len() * T::SIZE`, else
/// `LengthMismatch { expected: out.len() * T::SIZE, actual: bytes.len() }` and `out` is untouched.
/// `bytes` may start at any address: nothing here depends on alignment.
///
/// ```
/// use netorder::{Endian, ErrorKind, read_slice};
/// let mut out = [0u16; 2];
/// read_slice(&[0x00, 0x50, 0x01, 0xbb], &mut out, Endian::Big).unwrap();
/// assert_eq!(out, [80, 443]);
///
/// let err = read_slice(&[0x00, 0x50, 0x01], &mut out, Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 4, actual: 3 });
/// ```
#[inline]
pub fn read_slice<T: NetOrder>(bytes: &[u8], out: &mut [T], endian: Endian) -> Result<()> {
    read_slice_on(BulkPath::best(), bytes, out, endian).map(|_| ())
}

/// [`read_slice`] on a named [`BulkPath`]: `Ok(false)` (and `out` untouched) when this CPU
/// lacks the path. A test and bench hook ([`crate::__private`]).
///
/// ```
/// use netorder::Endian;
/// use netorder::__private::{BulkPath, read_slice_on};
/// let mut out = [0u16; 2];
/// assert!(read_slice_on(BulkPath::Portable, &[0, 80, 1, 187], &mut out, Endian::Big)?);
/// assert_eq!(out, [80, 443]);
/// let err = read_slice_on(BulkPath::Portable, &[0, 80], &mut out, Endian::Big).unwrap_err();
/// assert!(matches!(err.kind(), netorder::ErrorKind::LengthMismatch { .. }), "{err}");
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn read_slice_on<T: NetOrder>(
    path: BulkPath,
    bytes: &[u8],
    out: &mut [T],
    endian: Endian,
) -> Result<bool> {
    check_bulk_len::<T>(out.len(), bytes.len())?;
    Ok(match Route::of(path, endian) {
        Route::Unavailable => false,
        Route::Copy => {
            simd::as_bytes_mut(out).copy_from_slice(bytes);
            true
        }
        Route::Simd => simd::swap_copy(path, bytes, simd::as_bytes_mut(out), T::SIZE),
        Route::Portable => {
            let mut raw = T::Bytes::default();
            for (v, chunk) in out.iter_mut().zip(bytes.chunks_exact(T::SIZE)) {
                raw.as_mut().copy_from_slice(chunk);
                *v = T::from_bytes(raw, endian);
            }
            true
        }
    })
}

/// Encodes `values` into `out`, every value in the given order (byteorder's `write_u32_into`);
/// returns the bytes written.
///
/// `out.len()` must be exactly `values.len() * T::SIZE`, else
/// `LengthMismatch { expected: values.len() * T::SIZE, actual: out.len() }` and `out` is
/// untouched. `out` may start at any address.
///
/// ```
/// use netorder::{Endian, ErrorKind, write_slice};
/// let mut out = [0u8; 4];
/// assert_eq!(write_slice(&[80u16, 443], &mut out, Endian::Big).unwrap(), 4);
/// assert_eq!(out, [0x00, 0x50, 0x01, 0xbb]);
///
/// let err = write_slice(&[1u32, 2], &mut out, Endian::Big).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::LengthMismatch { expected: 8, actual: 4 });
/// ```
#[inline]
pub fn write_slice<T: NetOrder>(values: &[T], out: &mut [u8], endian: Endian) -> Result<usize> {
    write_slice_on(BulkPath::best(), values, out, endian)?;
    Ok(out.len())
}

/// [`write_slice`] on a named [`BulkPath`]: `Ok(false)` (and `out` untouched) when this CPU
/// lacks the path. A test and bench hook ([`crate::__private`]).
///
/// ```
/// use netorder::Endian;
/// use netorder::__private::{BulkPath, write_slice_on};
/// let mut out = [0u8; 4];
/// assert!(write_slice_on(BulkPath::Portable, &[80u16, 443], &mut out, Endian::Big)?);
/// assert_eq!(out, [0, 80, 1, 187]);
/// let err = write_slice_on(BulkPath::Portable, &[1u8], &mut out, Endian::Big).unwrap_err();
/// assert!(matches!(err.kind(), netorder::ErrorKind::LengthMismatch { .. }), "{err}");
/// # Ok::<(), netorder::Error>(())
/// ```
#[inline]
pub fn write_slice_on<T: NetOrder>(
    path: BulkPath,
    values: &[T],
    out: &mut [u8],
    endian: Endian,
) -> Result<bool> {
    check_bulk_len::<T>(values.len(), out.len())?;
    Ok(match Route::of(path, endian) {
        Route::Unavailable => false,
        Route::Copy => {
            out.copy_from_slice(simd::as_bytes(values));
            true
        }
        Route::Simd => simd::swap_copy(path, simd::as_bytes(values), out, T::SIZE),
        Route::Portable => {
            for (chunk, v) in out.chunks_exact_mut(T::SIZE).zip(values) {
                chunk.copy_from_slice(v.to_bytes(endian).as_ref());
            }
            true
        }
    })
}

/// How [`read_slice_on`] and [`write_slice_on`] convert on `path` to or from `endian`.
enum Route {
    /// This CPU lacks the path: nothing is done.
    Unavailable,
    /// `endian` is the machine's: a plain copy.
    Copy,
    /// A SIMD kernel.
    Simd,
    /// Value by value.
    Portable,
}

impl Route {
    #[inline]
    fn of(path: BulkPath, endian: Endian) -> Route {
        if !path.is_available() {
            Route::Unavailable
        } else if endian.is_native() {
            Route::Copy
        } else if path == BulkPath::Portable {
            Route::Portable
        } else {
            Route::Simd
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_len_overflow_is_a_mismatch_not_a_panic() {
        let err = check_bulk_len::<u64>(usize::MAX, 8).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthMismatch {
                expected: usize::MAX,
                actual: 8
            }
        );
    }
}
