//! The bulk fast paths (SSSE3, AVX2, NEON, portable) against a one-value-at-a-time reference:
//! every path this CPU has is forced on in turn, for every element width, lengths 0..=100,
//! and unaligned starts; a path the CPU lacks must refuse and leave everything untouched.

use netorder::__private::{BulkPath, convert_in_place_on, read_slice_on, write_slice_on};
use netorder::{Endian, ErrorKind, NetOrder, convert_in_place, read_slice, write_slice};

/// Longest slice tried (in elements).
const MAX_LEN: usize = 100;
/// Unaligned starts tried, in bytes for byte buffers and elements for value slices.
const OFFSETS: usize = 33;

/// Deterministic bytes (xorshift), so that every lane of every vector differs.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// `n` values of `T` made from noise bytes (floats included: any bit pattern is a value).
fn values<T: NetOrder>(n: usize, seed: u64) -> Vec<T> {
    noise(n * T::SIZE, seed)
        .chunks_exact(T::SIZE)
        .map(|c| {
            let mut raw = T::Bytes::default();
            raw.as_mut().copy_from_slice(c);
            T::from_le_array(raw)
        })
        .collect()
}

/// Bit-exact comparison (floats by their bytes, so NaN payloads count).
fn same<T: NetOrder>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.to_le_array() == y.to_le_array())
}

/// The reference swap: one value at a time through the array forms.
fn reference_swap<T: NetOrder>(v: T, endian: Endian) -> T {
    if endian.is_native() {
        v
    } else {
        T::from_be_array(v.to_le_array())
    }
}

fn paths() -> (Vec<BulkPath>, Vec<BulkPath>) {
    BulkPath::ALL.into_iter().partition(|p| p.is_available())
}

fn check_type<T: NetOrder>() {
    let (available, missing) = paths();
    assert!(available.contains(&BulkPath::Portable));
    for endian in [Endian::Big, Endian::Little] {
        for len in 0..=MAX_LEN {
            for offset in 0..OFFSETS.min(len + 1) {
                let seed = (len * 131 + offset) as u64 + T::SIZE as u64;
                let input: Vec<T> = values(len, seed);
                let want: Vec<T> = input[offset..]
                    .iter()
                    .map(|&v| reference_swap(v, endian))
                    .collect();
                let want_bytes: Vec<u8> = input[offset..]
                    .iter()
                    .flat_map(|v| v.to_bytes(endian).as_ref().to_vec())
                    .collect();

                for &path in &available {
                    let ctx = format!("{path:?} {endian:?} len {len} offset {offset}");
                    // in place, starting `offset` elements in (a different alignment per offset)
                    let mut buf = input.clone();
                    assert!(
                        convert_in_place_on(path, &mut buf[offset..], endian),
                        "{ctx}"
                    );
                    assert!(same(&buf[offset..], &want), "in place: {ctx}");
                    assert!(same(&buf[..offset], &input[..offset]), "prefix: {ctx}");

                    // values -> bytes, into a byte buffer starting at an odd address
                    let n_bytes = want_bytes.len();
                    let mut out = vec![0xA5u8; n_bytes + offset + 1];
                    let dst = &mut out[offset..offset + n_bytes];
                    assert!(write_slice_on(path, &input[offset..], dst, endian).unwrap());
                    assert_eq!(
                        &out[offset..offset + n_bytes],
                        &want_bytes[..],
                        "write: {ctx}"
                    );
                    assert!(out[..offset].iter().all(|&b| b == 0xA5), "{ctx}");
                    assert_eq!(out[offset + n_bytes], 0xA5, "past the end: {ctx}");

                    // bytes (at an odd address) -> values
                    let mut src = vec![0u8; offset];
                    src.extend_from_slice(&want_bytes);
                    let mut back = vec![T::default_value(); len - offset];
                    assert!(read_slice_on(path, &src[offset..], &mut back, endian).unwrap());
                    assert!(same(&back, &input[offset..]), "read: {ctx}");
                }
                for &path in &missing {
                    let mut buf = input.clone();
                    assert!(!convert_in_place_on(path, &mut buf, Endian::Big));
                    assert!(same(&buf, &input), "{path:?} touched the input");
                    let mut out = vec![0u8; len * T::SIZE];
                    assert!(!write_slice_on(path, &input, &mut out, Endian::Big).unwrap());
                    assert!(out.iter().all(|&b| b == 0));
                }
            }
        }
    }
}

/// A zero of every `NetOrder` type, for output buffers.
trait DefaultValue {
    fn default_value() -> Self;
}
impl<T: NetOrder> DefaultValue for T {
    fn default_value() -> Self {
        T::from_le_array(T::Bytes::default())
    }
}

#[test]
fn u16_every_path() {
    check_type::<u16>();
}
#[test]
fn i16_every_path() {
    check_type::<i16>();
}
#[test]
fn u32_every_path() {
    check_type::<u32>();
}
#[test]
fn f32_every_path() {
    check_type::<f32>();
}
#[test]
fn u64_every_path() {
    check_type::<u64>();
}
#[test]
fn f64_every_path() {
    check_type::<f64>();
}
#[test]
fn i128_every_path() {
    check_type::<i128>();
}
#[test]
fn u8_every_path() {
    check_type::<u8>();
}

#[test]
fn best_path_matches_the_cpu() {
    let best = BulkPath::best();
    assert!(best.is_available());
    #[cfg(target_arch = "x86_64")]
    {
        // With std the CPU is asked at run time; without, the build's target features decide.
        let (avx2, ssse3) = if cfg!(feature = "std") {
            (
                std::is_x86_feature_detected!("avx2"),
                std::is_x86_feature_detected!("ssse3"),
            )
        } else {
            (
                cfg!(target_feature = "avx2"),
                cfg!(target_feature = "ssse3"),
            )
        };
        assert_eq!(BulkPath::Avx2.is_available(), avx2);
        assert_eq!(BulkPath::Ssse3.is_available(), ssse3);
        let want = if avx2 {
            BulkPath::Avx2
        } else if ssse3 {
            BulkPath::Ssse3
        } else {
            BulkPath::Portable
        };
        assert_eq!(best, want);
        assert!(!BulkPath::Neon.is_available());
    }
    #[cfg(target_arch = "aarch64")]
    assert_eq!(best, BulkPath::Neon);
}

#[test]
fn public_functions_use_a_path_that_gives_the_reference() {
    // Long enough for every unrolled loop, plus a ragged tail.
    let input: Vec<u32> = values(1000 + 7, 99);
    let mut buf = input.clone();
    convert_in_place(&mut buf, Endian::Big);
    for (a, b) in buf.iter().zip(&input) {
        assert_eq!(*a, b.swap_bytes());
    }
    let mut bytes = vec![0u8; input.len() * 4];
    assert_eq!(
        write_slice(&input, &mut bytes, Endian::Big).unwrap(),
        bytes.len()
    );
    assert_eq!(&bytes[..4], &input[0].to_be_bytes());
    let mut back = vec![0u32; input.len()];
    read_slice(&bytes, &mut back, Endian::Big).unwrap();
    assert_eq!(back, input);
}

#[test]
fn length_mismatch_is_reported_before_any_path_runs() {
    for path in BulkPath::ALL {
        let mut out = [7u64; 2];
        let err = read_slice_on(path, &[0u8; 15], &mut out, Endian::Big).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthMismatch {
                expected: 16,
                actual: 15
            }
        );
        assert_eq!(out, [7, 7]);
        let mut bytes = [7u8; 17];
        let err = write_slice_on(path, &[1u64, 2], &mut bytes, Endian::Big).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthMismatch {
                expected: 16,
                actual: 17
            }
        );
        assert_eq!(bytes, [7; 17]);
    }
}
