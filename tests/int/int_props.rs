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
        let (buf, k) = ascii::digits_array(v);
        let want = v.to_string();
        prop_assert_eq!(&buf[..k], want.as_bytes());
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
        let len = zigzag::encode(n, &mut buf).unwrap();
        prop_assert_eq!(zigzag::decode(&buf[..len]).unwrap(), (n, len));
        prop_assert_eq!(IntEncoding::ZigZag.decode(&buf[..len]).unwrap(), (n as u64, len));
    }

    #[test]
    fn ascii_signed_round_trip_and_prefixes(n in any_width_i64()) {
        let mut out = vec![0u8; ascii::encoded_len_i64(n)];
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

// ----- batch varints against the scalar decoder (issue 16) -----------------------------------

/// What `decode_batch` must give: `varint::decode` value after value, stopping at a full
/// `out` or a varint cut off by the end, the error's offset moved to where its varint starts.
fn scalar_batch(bytes: &[u8], out: &mut [u64]) -> Result<(usize, usize), netorder::Error> {
    let (mut n, mut pos) = (0, 0);
    while n < out.len() {
        match varint::decode(&bytes[pos..]) {
            Ok((v, len)) => {
                out[n] = v;
                n += 1;
                pos += len;
            }
            Err(e) if e.is_incomplete() => break,
            Err(e) => return Err(e.offset_by(pos)),
        }
    }
    Ok((n, pos))
}

/// The varints of `values`, back to back (the scalar encoder).
fn scalar_stream(values: &[u64]) -> Vec<u8> {
    let mut out = Vec::new();
    for &v in values {
        let (bytes, n) = varint::encode_array(v);
        out.extend_from_slice(&bytes[..n]);
    }
    out
}

/// One batch decode: the path's name, the result, what `out` holds after it.
type Run = (String, Result<(usize, usize), netorder::Error>, Vec<u64>);

/// Every batch path this CPU runs, with `decode_batch` itself (the best one).
fn decode_on_every_path(bytes: &[u8], cap: usize) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut out = vec![0xDEAD_BEEF; cap];
    let got = varint::decode_batch(bytes, &mut out);
    runs.push(("best".to_string(), got, out));
    for path in netorder::__private::VarintPath::ALL {
        let mut out = vec![0xDEAD_BEEF; cap];
        if let Some(got) = netorder::__private::decode_batch_on(path, bytes, &mut out) {
            runs.push((format!("{path:?}"), got, out));
        }
    }
    runs
}

/// A stream with something wrong in it (or not): an overlong varint, an 11-byte run, a 10th
/// byte past 64 bits, a random byte, or a cut.
fn damaged_stream() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(any_width_u64(), 0..300),
        0usize..6,
        any::<prop::sample::Index>(),
        any::<u8>(),
    )
        .prop_map(|(values, damage, at, byte)| {
            let mut bytes = scalar_stream(&values);
            let at = at.index(bytes.len() + 1);
            match damage {
                0 => bytes.splice(at..at, [0x80, 0x00]).for_each(drop),
                1 => bytes.splice(at..at, [0xFF; 11]).for_each(drop),
                2 => bytes
                    .splice(
                        at..at,
                        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],
                    )
                    .for_each(drop),
                3 => bytes.insert(at, byte),
                4 => bytes.truncate(at),
                _ => {}
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// The result, the values written and the bytes left untouched are the scalar decoder's,
    /// on every path, for valid and damaged streams and any room in `out`.
    #[test]
    fn decode_batch_is_the_scalar_loop(bytes in damaged_stream(), cap in 0usize..400) {
        let mut want_out = vec![0xDEAD_BEEF; cap];
        let want = scalar_batch(&bytes, &mut want_out);
        for (path, got, out) in decode_on_every_path(&bytes, cap) {
            prop_assert_eq!(&got, &want, "{}", path);
            prop_assert_eq!(&out, &want_out, "{}", path);
        }
    }

    /// Arbitrary bytes, mostly continuation bytes or not.
    #[test]
    fn decode_batch_on_hostile_bytes(
        bytes in proptest::collection::vec(prop_oneof![any::<u8>(), 0x80u8..=0xFF, 0u8..=1], 0..400),
        cap in 0usize..200,
    ) {
        let mut want_out = vec![0xDEAD_BEEF; cap];
        let want = scalar_batch(&bytes, &mut want_out);
        for (path, got, out) in decode_on_every_path(&bytes, cap) {
            prop_assert_eq!(&got, &want, "{}", path);
            prop_assert_eq!(&out, &want_out, "{}", path);
        }
    }

    /// Every prefix of a valid stream is whole varints and one cut off: no error, the whole
    /// ones decoded, the cut one left unconsumed.
    #[test]
    fn every_prefix_of_a_stream_is_whole_values(values in proptest::collection::vec(any_width_u64(), 0..40)) {
        let bytes = scalar_stream(&values);
        let mut ends = vec![0];
        for &v in &values {
            ends.push(ends.last().unwrap() + varint::encoded_len(v));
        }
        for cut in 0..=bytes.len() {
            let whole = ends.iter().rposition(|&e| e <= cut).unwrap();
            for (path, got, out) in decode_on_every_path(&bytes[..cut], values.len()) {
                prop_assert_eq!(got.unwrap(), (whole, ends[whole]), "{} cut {}", &path, cut);
                prop_assert_eq!(&out[..whole], &values[..whole]);
            }
        }
    }

    /// `encode_batch` appends what `encode` writes value after value, on every path.
    #[test]
    fn encode_batch_is_encode_value_after_value(
        values in proptest::collection::vec(any_width_u64(), 0..600),
        prefix in proptest::collection::vec(any::<u8>(), 0..3),
    ) {
        let mut want = prefix.clone();
        want.extend_from_slice(&scalar_stream(&values));
        let mut out = prefix.clone();
        prop_assert_eq!(varint::encode_batch(&values, &mut out), want.len() - prefix.len());
        prop_assert_eq!(&out, &want);
        for path in netorder::__private::VarintPath::ALL {
            let mut out = prefix.clone();
            if let Some(n) = netorder::__private::encode_batch_on(path, &values, &mut out) {
                prop_assert_eq!(n, want.len() - prefix.len());
                prop_assert_eq!(&out, &want, "{:?}", path);
            }
        }
        let mut back = vec![0u64; values.len()];
        prop_assert_eq!(varint::decode_batch(&want[prefix.len()..], &mut back).unwrap(), (values.len(), want.len() - prefix.len()));
        prop_assert_eq!(back, values);
    }

    /// The single-value writers against each other: the slice writer writes exactly the
    /// array's bytes and nothing after them, the `Vec` writer appends the same.
    #[test]
    fn varint_writers_agree(v in any_width_u64(), room in 0usize..12, fill in any::<u8>()) {
        let (bytes, n) = varint::encode_array(v);
        prop_assert!(bytes[n..].iter().all(|&b| b == 0));
        let mut out = vec![fill; room];
        match varint::encode(v, &mut out) {
            Ok(len) => {
                prop_assert_eq!(len, n);
                prop_assert_eq!(&out[..n], &bytes[..n]);
                prop_assert!(out[n..].iter().all(|&b| b == fill));
            }
            Err(e) => {
                prop_assert!(room < n);
                prop_assert_eq!(e.into_kind(), netorder::ErrorKind::BufferTooSmall { needed: n, available: room });
                prop_assert!(out.iter().all(|&b| b == fill));
            }
        }
        let mut vec = vec![fill];
        prop_assert_eq!(IntEncoding::Varint.encode(v, &mut vec).unwrap(), n);
        prop_assert_eq!(&vec[1..], &bytes[..n]);
    }

    /// ASCII: the decoder's look-ahead path (24 bytes or more to read) and its exact path give
    /// the same answer, whatever follows the number.
    #[test]
    fn ascii_stream_and_exact_paths_agree(
        text in proptest::collection::vec(prop_oneof![4 => b'0'..=b'9', 1 => any::<u8>()], 0..30),
        tail in proptest::collection::vec(any::<u8>(), 24..40),
        terminator in any::<u8>(),
    ) {
        let exact = ascii::decode(&text, terminator);
        let mut long = text.clone();
        long.extend_from_slice(&tail);
        let streamed = ascii::decode(&long, terminator);
        match exact {
            // Whole in `text`: the same with anything after it.
            Ok(ok) => prop_assert_eq!(streamed, Ok(ok)),
            // Cut off: more bytes decide.
            Err(e) if e.is_incomplete() => {}
            Err(e) => prop_assert_eq!(streamed, Err(e)),
        }
    }

    /// ASCII appended to a `Vec` and written into a slice: the same bytes, canonical digits.
    #[test]
    fn ascii_writers_agree(v in any_width_u64(), terminator in any::<u8>().prop_filter("digit", |t| !t.is_ascii_digit()), fill in any::<u8>()) {
        let mut vec = vec![fill];
        let n = IntEncoding::Ascii { terminator }.encode(v, &mut vec).unwrap();
        let want = v.to_string();
        prop_assert_eq!(&vec[1..n], want.as_bytes());
        prop_assert_eq!(vec[n], terminator);
        let mut slice = [fill; ascii::MAX_DIGITS + 2];
        prop_assert_eq!(ascii::encode(v, terminator, &mut slice).unwrap(), n);
        prop_assert_eq!(&slice[..n], &vec[1..]);
        prop_assert!(slice[n..].iter().all(|&b| b == fill));
        let (digits, k) = ascii::digits_array(v);
        prop_assert_eq!(&digits[..k], &vec[1..n]);
    }
}
