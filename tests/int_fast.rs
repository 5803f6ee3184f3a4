//! The word-at-a-time varint encoder and the unrolled decoder against a plain byte-loop
//! reference: every length boundary, every continuation pattern of the first bytes, bytes
//! after the varint, and the strict errors (overlong, 10th byte above 1, incomplete).

use netorder::ErrorKind;
use netorder::int::varint;

/// The textbook LEB128 encoder.
fn reference_encode(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
    out
}

/// Values at every 7-bit boundary: 2^(7k) - 1, 2^(7k), 2^(7k) + 1, and the ends.
fn boundary_values() -> Vec<u64> {
    let mut vs = vec![0, 1, u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1];
    for k in 1..=9u32 {
        let p = 1u64 << (7 * k);
        vs.extend([p - 1, p, p + 1, p | (p >> 1), p.wrapping_mul(3) >> 1]);
    }
    for bits in 0..64 {
        vs.push(1 << bits);
        vs.push(u64::MAX >> bits);
    }
    vs
}

#[test]
fn encode_matches_the_reference_at_every_boundary() {
    for v in boundary_values() {
        let mut buf = [0xEEu8; varint::MAX_LEN];
        let n = varint::encode(v, &mut buf);
        assert_eq!(&buf[..n], &reference_encode(v)[..], "value {v:#x}");
        assert_eq!(n, varint::encoded_len(v), "value {v:#x}");
    }
}

#[test]
fn decode_reads_back_with_any_trailing_bytes() {
    for v in boundary_values() {
        let enc = reference_encode(v);
        // Short inputs (< 10 bytes) and long ones take different code: try trailing 0..=12.
        for trailing in 0..=12usize {
            for fill in [0x00u8, 0x7F, 0x80, 0xFF] {
                let mut input = enc.clone();
                input.extend(std::iter::repeat_n(fill, trailing));
                assert_eq!(
                    varint::decode(&input).unwrap(),
                    (v, enc.len()),
                    "value {v:#x} trailing {trailing} x {fill:#x}"
                );
            }
        }
    }
}

#[test]
fn every_proper_prefix_is_incomplete_whatever_follows_in_memory() {
    for v in boundary_values() {
        let enc = reference_encode(v);
        for cut in 0..enc.len() {
            let err = varint::decode(&enc[..cut]).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::Incomplete {
                    offset: 0,
                    needed: cut + 1,
                    available: cut
                },
                "value {v:#x} cut {cut}"
            );
        }
    }
}

#[test]
fn overlong_at_every_length_with_long_and_short_input() {
    for len in 2..=varint::MAX_LEN {
        let mut enc = vec![0x80u8; len - 1];
        enc.push(0x00);
        for trailing in [0usize, 10] {
            let mut input = enc.clone();
            input.extend(std::iter::repeat_n(0x55, trailing));
            let err = varint::decode(&input).unwrap_err();
            assert_eq!(err.kind(), &ErrorKind::Overlong { offset: 0, len });
        }
    }
}

#[test]
fn tenth_byte_above_one_is_overflow_with_long_and_short_input() {
    for last in 2..=0xFFu8 {
        let mut input = vec![0xFFu8; 9];
        input.push(last);
        for trailing in [0usize, 5] {
            let mut long = input.clone();
            long.extend(std::iter::repeat_n(0x01, trailing));
            let err = varint::decode(&long).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::Overflow {
                    offset: 0,
                    bits: 64
                },
                "10th byte {last:#x}"
            );
        }
    }
    let mut max = vec![0xFFu8; 9];
    max.push(0x01);
    assert_eq!(varint::decode(&max).unwrap(), (u64::MAX, 10));
}

#[test]
fn every_two_byte_pattern_agrees_with_the_reference_decoder() {
    // All 65536 first-two-byte patterns, followed by enough bytes for the long path.
    for b0 in 0..=0xFFu8 {
        for b1 in 0..=0xFFu8 {
            let input = [b0, b1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
            let got = varint::decode(&input);
            let want = if b0 < 0x80 {
                Ok((u64::from(b0), 1))
            } else if b1 < 0x80 {
                if b1 == 0 {
                    Err(ErrorKind::Overlong { offset: 0, len: 2 })
                } else {
                    Ok((u64::from(b0 & 0x7F) | (u64::from(b1) << 7), 2))
                }
            } else {
                Ok((
                    u64::from(b0 & 0x7F) | (u64::from(b1 & 0x7F) << 7) | (1 << 14),
                    3,
                ))
            };
            match (got, want) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{b0:#x} {b1:#x}"),
                (Err(g), Err(w)) => assert_eq!(g.kind(), &w, "{b0:#x} {b1:#x}"),
                (g, w) => panic!("{b0:#x} {b1:#x}: got {g:?}, want {w:?}"),
            }
        }
    }
}
