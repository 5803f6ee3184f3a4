//! Properties over all `u64`/`i64`: round trips, `encoded_len`, every proper prefix is
//! incomplete, and the laws that relate the encodings' sizes to each other.

use netorder::int::{ascii, ascii_fixed, varint, zigzag};
use netorder::{Endian, IntEncoding};
use proptest::prelude::*;

/// A `u64` whose bit length is spread evenly over 0..=64 (uniform `u64`s are almost all
/// 64-bit).
fn any_width_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        (any::<u64>(), 0u32..64).prop_map(|(v, s)| v >> s),
        Just(0u64),
        Just(u64::MAX),
        (1u32..64).prop_map(|k| 1u64 << k),
        (1u32..64).prop_map(|k| (1u64 << k) - 1),
        (0u32..20).prop_map(|k| 10u64.pow(k)),
        (1u32..20).prop_map(|k| 10u64.pow(k) - 1),
    ]
}

fn any_width_i64() -> impl Strategy<Value = i64> {
    (any_width_u64(), any::<bool>()).prop_map(|(v, neg)| if neg { !(v as i64) } else { v as i64 })
}

/// Every encoding with every valid parameter (big and little endian, all widths).
fn every_encoding() -> impl Strategy<Value = IntEncoding> {
    prop_oneof![
        (1u8..=8, any::<bool>()).prop_map(|(width, big)| IntEncoding::Fixed {
            width,
            endian: if big { Endian::Big } else { Endian::Little }
        }),
        Just(IntEncoding::Varint),
        Just(IntEncoding::ZigZag),
        any::<u8>()
            .prop_filter("digit terminator", |t| !t.is_ascii_digit())
            .prop_map(|terminator| IntEncoding::Ascii { terminator }),
        (1u8..=20).prop_map(|width| IntEncoding::AsciiFixed { width }),
    ]
}

/// The varint law: max(1, ceil(bits / 7)).
fn law_varint_len(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    bits.div_ceil(7).max(1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_and_encoded_len(e in every_encoding(), v in any_width_u64(), tail in proptest::collection::vec(any::<u8>(), 0..4)) {
        let mut out = vec![0xEE];
        match e.encoded_len(v) {
            Some(len) => {
                let n = e.encode(v, &mut out).unwrap();
                prop_assert_eq!(n, len);
                prop_assert_eq!(out.len(), 1 + n);
                prop_assert_eq!(out[0], 0xEE);
                let encoded = out[1..].to_vec();
                prop_assert_eq!(e.decode(&encoded).unwrap(), (v, n));
                // trailing bytes are left for the caller
                let mut longer = encoded.clone();
                longer.extend_from_slice(&tail);
                prop_assert_eq!(e.decode(&longer).unwrap(), (v, n));
                // every proper prefix is incomplete, never a value or another error
                for k in 0..n {
                    let err = e.decode(&encoded[..k]).unwrap_err();
                    prop_assert!(err.is_incomplete(), "{:?} prefix {} of {:?}: {:?}", e, k, encoded, err);
                    prop_assert_eq!(err.offset(), Some(0));
                }
            }
            None => {
                // does not fit: an error, never a truncation, and `out` untouched
                prop_assert!(e.encode(v, &mut out).is_err());
                prop_assert_eq!(out, vec![0xEE]);
            }
        }
    }

    #[test]
    fn decoders_never_panic_and_consume_within_input(e in every_encoding(), bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
        if let Ok((v, n)) = e.decode(&bytes) {
            prop_assert!(n >= 1 && n <= bytes.len());
            // only canonical input is accepted: re-encoding gives the same bytes
            let mut again = Vec::new();
            prop_assert_eq!(e.encode(v, &mut again).unwrap(), n);
            prop_assert_eq!(&again[..], &bytes[..n]);
        }
    }

    #[test]
    fn law_varint_length(v in any_width_u64()) {
        prop_assert_eq!(IntEncoding::Varint.encoded_len(v), Some(law_varint_len(v)));
        prop_assert_eq!(varint::encoded_len(v), law_varint_len(v));
    }

    #[test]
    fn law_ascii_length_is_digits_plus_one(v in any_width_u64()) {
        let digits = v.to_string().len();
        prop_assert_eq!(IntEncoding::Ascii { terminator: b'\n' }.encoded_len(v), Some(digits + 1));
        prop_assert_eq!(ascii::digits(v), digits);
        let mut buf = [0u8; ascii::MAX_DIGITS];
        let want = v.to_string();
        prop_assert_eq!(ascii::encode_u64(v, &mut buf), want.as_bytes());
    }

    /// ASCII with a terminator against fixed 8 bytes: ASCII is shorter exactly when
    /// v < 10^6 (at most 6 digits + 1 = 7 < 8), the same length for 10^6 <= v < 10^7, longer
    /// from 10^7 on. Against fixed 4 bytes (v < 2^32): shorter exactly when v < 100.
    #[test]
    fn law_ascii_versus_fixed(v in any_width_u64()) {
        let ascii_len = IntEncoding::Ascii { terminator: b'\n' }.encoded_len(v).unwrap();
        let f8 = IntEncoding::Fixed { width: 8, endian: Endian::Big }.encoded_len(v).unwrap();
        prop_assert_eq!(ascii_len < f8, v < 1_000_000);
        prop_assert_eq!(ascii_len == f8, (1_000_000..10_000_000).contains(&v));
        if let Some(f4) = (IntEncoding::Fixed { width: 4, endian: Endian::Big }).encoded_len(v) {
            prop_assert_eq!(ascii_len < f4, v < 100);
        }
    }

    /// Varint against fixed width w: at most w bytes exactly when v < 2^(7w); strictly fewer
    /// than w exactly when v < 2^(7(w-1)) (w >= 2). For fixed 8: varint wins below 2^49, ties
    /// below 2^56, loses from 2^56 on (9 or 10 bytes).
    #[test]
    fn law_varint_versus_fixed(v in any_width_u64()) {
        let vlen = law_varint_len(v);
        for w in 1..=8u32 {
            prop_assert_eq!(vlen <= w as usize, (v as u128) < 1u128 << (7 * w));
            if w >= 2 {
                prop_assert_eq!(vlen < w as usize, (v as u128) < 1u128 << (7 * (w - 1)));
            }
        }
        // and varint always beats ASCII-with-terminator
        prop_assert!(vlen < ascii::digits(v) + 1);
    }

    /// ZigZag keeps small magnitudes short: k bytes suffice exactly when
    /// -2^(7k-1) <= n < 2^(7k-1) (|n| < 64 → 1 byte, |n| < 8192 → 2 bytes, ...).
    #[test]
    fn law_zigzag_small_stays_short(n in any_width_i64()) {
        let len = IntEncoding::ZigZag.encoded_len(n as u64).unwrap();
        prop_assert_eq!(len, zigzag::encoded_len(n));
        for k in 1..=9u32 {
            let half = 1i128 << (7 * k - 1);
            prop_assert_eq!(len <= k as usize, (-half..half).contains(&(n as i128)), "n={} k={}", n, k);
        }
        prop_assert_eq!(zigzag::decode_i64(zigzag::encode_i64(n)), n);
    }

    #[test]
    fn zigzag_round_trip_signed(n in any_width_i64()) {
        let mut buf = [0u8; varint::MAX_LEN];
        let len = zigzag::encode(n, &mut buf);
        prop_assert_eq!(zigzag::decode(&buf[..len]).unwrap(), (n, len));
        prop_assert_eq!(IntEncoding::ZigZag.decode(&buf[..len]).unwrap(), (n as u64, len));
    }

    #[test]
    fn ascii_signed_round_trip_and_prefixes(n in any_width_i64()) {
        let mut out = Vec::new();
        let len = ascii::encode_i64(n, b' ', &mut out).unwrap();
        prop_assert_eq!(len, out.len());
        prop_assert_eq!(len, ascii::encoded_len_i64(n));
        let want = n.to_string();
        prop_assert_eq!(&out[..len - 1], want.as_bytes());
        prop_assert_eq!(ascii::decode_i64(&out, b' ').unwrap(), (n, len));
        for k in 0..len {
            prop_assert!(ascii::decode_i64(&out[..k], b' ').unwrap_err().is_incomplete());
        }
    }

    #[test]
    fn ascii_fixed_primitives_match_dispatch(v in any_width_u64(), width in 1u8..=20) {
        let mut buf = [0u8; 20];
        match ascii_fixed::encode(v, width, &mut buf) {
            Ok(n) => {
                prop_assert_eq!(n, width as usize);
                let want = format!("{:0w$}", v, w = n);
                prop_assert_eq!(&buf[..n], want.as_bytes());
                prop_assert_eq!(ascii_fixed::decode(&buf[..n], width).unwrap(), (v, n));
            }
            Err(_) => prop_assert!(v.to_string().len() > width as usize),
        }
    }
}
