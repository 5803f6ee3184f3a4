//! The varint encoder and the unrolled decoder against plain byte-loop references (kept here
//! so that any faster version must give the same bytes): every length boundary, every
//! continuation pattern of the first bytes, bytes after the varint, streams decoded to their
//! end, and the strict errors (overlong, 10th byte above 1, incomplete). Then the ASCII
//! decoder's word and byte-loop paths against a slow reference.

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
        let n = varint::encode(v, &mut buf).unwrap();
        assert_eq!(&buf[..n], &reference_encode(v)[..], "value {v:#x}");
        assert_eq!(n, varint::encoded_len(v), "value {v:#x}");
    }
}

/// The boundary table of issue 7: 0, 1, 127, 128, 2^k - 1 and 2^k for k = 7, 14, ..., 63,
/// `u64::MAX`, with the length each must take (every length 1..=10 appears).
#[test]
fn encode_gives_the_reference_bytes_at_every_length() {
    let mut table = vec![(0u64, 1usize), (1, 1), (127, 1), (128, 2)];
    for k in (7..=63u32).step_by(7) {
        let len = k as usize / 7;
        table.push(((1u64 << k) - 1, len));
        table.push((1u64 << k, len + 1));
    }
    table.push((u64::MAX, 10));
    let mut lengths = [false; varint::MAX_LEN + 1];
    for (v, len) in table {
        for fill in [0x00u8, 0xEE, 0xFF] {
            let old = reference_encode(v);
            let mut new = [fill; varint::MAX_LEN];
            let n = varint::encode(v, &mut new).unwrap();
            assert_eq!((n, old.len()), (len, len), "value {v:#x}");
            assert_eq!(new[..n], old[..], "value {v:#x}");
        }
        lengths[len] = true;
    }
    assert!(lengths[1..].iter().all(|&seen| seen));
}

#[test]
fn encode_matches_the_old_byte_loop_on_every_bit_pattern_width() {
    // Every bit length 1..=64, with all-ones, a single top bit, and alternating patterns.
    for bits in 1..=64u32 {
        let top = 1u64 << (bits - 1);
        let ones = u64::MAX >> (64 - bits);
        for v in [
            top,
            ones,
            top | (0x5555_5555_5555_5555 & ones),
            top | (0xAAAA_AAAA_AAAA_AAAA & ones),
        ] {
            let mut new = [0xEEu8; varint::MAX_LEN];
            let n = varint::encode(v, &mut new).unwrap();
            assert_eq!(new[..n], reference_encode(v)[..], "value {v:#x}");
        }
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

/// All boundary values back to back, decoded to the end: the last ten or so varints are read
/// with fewer than 10 bytes left (the short path), the others with 10 or more (the chunk
/// path); every cut of the stream's tail is Incomplete with its exact counts.
#[test]
fn a_stream_decodes_through_its_end_and_every_cut_tail_is_incomplete() {
    let values = boundary_values();
    let mut stream = Vec::new();
    let mut starts = Vec::new();
    for &v in &values {
        starts.push(stream.len());
        stream.extend(reference_encode(v));
    }
    let mut rest = &stream[..];
    for (k, &v) in values.iter().enumerate() {
        assert_eq!(stream.len() - rest.len(), starts[k]);
        let (got, n) = varint::decode(rest).unwrap();
        assert_eq!((got, n), (v, reference_encode(v).len()), "value {v:#x}");
        rest = &rest[n..];
    }
    assert!(rest.is_empty());
    // Cut the stream inside each of the last 12 varints: the decoder at that varint's start
    // sees a proper prefix.
    for (k, &v) in values.iter().enumerate().rev().take(12) {
        let len = reference_encode(v).len();
        for cut in 0..len {
            let tail = &stream[starts[k]..starts[k] + cut];
            let err = varint::decode(tail).unwrap_err();
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

// ----- ASCII: the 8-digits-at-a-time parser -----------------------------------------------

use netorder::int::ascii;

/// The documented rules, written the slow and obvious way (u128 arithmetic, whole digit run).
fn reference_ascii(bytes: &[u8], terminator: u8) -> Result<(u64, usize), ErrorKind> {
    let run = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if run == 0 {
        return Err(match bytes.first() {
            Some(&byte) => ErrorKind::InvalidByte {
                offset: 0,
                byte,
                expected: "a decimal digit",
            },
            None => ErrorKind::Incomplete {
                offset: 0,
                needed: 1,
                available: 0,
            },
        });
    }
    if run > 1 && bytes[0] == b'0' {
        return Err(ErrorKind::LeadingZero { offset: 0 });
    }
    let overflow = ErrorKind::Overflow {
        offset: 0,
        bits: 64,
    };
    if run > ascii::MAX_DIGITS {
        return Err(overflow);
    }
    let value = bytes[..run]
        .iter()
        .fold(0u128, |v, b| v * 10 + u128::from(b - b'0'));
    let value = u64::try_from(value).map_err(|_| overflow)?;
    match bytes.get(run) {
        Some(&b) if b == terminator => Ok((value, run + 1)),
        Some(&byte) => Err(ErrorKind::InvalidByte {
            offset: run,
            byte,
            expected: "a decimal digit or the terminator",
        }),
        None => Err(ErrorKind::Incomplete {
            offset: 0,
            needed: run + 1,
            available: bytes.len(),
        }),
    }
}

fn check_ascii(input: &[u8], terminator: u8) {
    let got = ascii::decode(input, terminator).map_err(|e| e.kind().clone());
    assert_eq!(got, reference_ascii(input, terminator), "input {input:?}");
}

#[test]
fn ascii_decode_matches_the_reference_on_generated_inputs() {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // Bytes that matter to the SWAR digit test: the digits' neighbours and high-bit bytes.
    let odd = [
        b'/', b':', b' ', b'+', b'-', 0x00, 0x80, 0xB0, 0xB9, 0xFF, b'\n', b'a',
    ];
    for _ in 0..200_000 {
        let r = next();
        let len = (r % 26) as usize;
        let mut input: Vec<u8> = (0..len).map(|_| b'0' + (next() % 10) as u8).collect();
        if r & 0x100 != 0 && len > 0 {
            // First digit non-zero most of the time, so long runs reach the overflow rules.
            input[0] = b'1' + (next() % 9) as u8;
        }
        if r & 0x200 != 0 && len > 0 {
            let at = (next() as usize) % len;
            input[at] = odd[(next() as usize) % odd.len()];
        }
        if r & 0x400 != 0 {
            input.push(b'\n');
            input.extend((0..(next() % 10)).map(|_| next() as u8));
        }
        check_ascii(&input, b'\n');
        check_ascii(&input, b' ');
    }
}

#[test]
fn ascii_decode_every_length_and_every_prefix() {
    let digits = b"1844674407370955161599999";
    for run in 1..=digits.len() {
        for term in [b'\n', 0u8, b' '] {
            let mut input = digits[..run].to_vec();
            input.push(term);
            input.extend_from_slice(b"12345678");
            for cut in 0..=input.len() {
                check_ascii(&input[..cut], term);
            }
        }
    }
    // Every byte value at every position of a 20-digit number.
    let max = b"18446744073709551615\n";
    for pos in 0..max.len() {
        for byte in 0..=0xFFu8 {
            let mut input = max.to_vec();
            input[pos] = byte;
            check_ascii(&input, b'\n');
        }
    }
}

/// `IntEncoding::encode` for `Fixed` writes its bytes from one shifted word; it must match the
/// slice encoder `fixed::encode` byte for byte, and refuse what it refuses.
#[cfg(feature = "alloc")]
#[test]
fn fixed_encode_into_vec_matches_the_slice_encoder() {
    use netorder::{Endian, IntEncoding, int::fixed};
    for width in 0..=9u8 {
        for endian in [Endian::Big, Endian::Little] {
            for v in [
                0u64,
                1,
                0x7f,
                0xff,
                0x100,
                0xffff,
                0x1_0000,
                0x0102_0304_0506_0708,
                u64::MAX,
            ] {
                let mut slice = [0u8; 8];
                let want = fixed::encode(v, width, endian, &mut slice).map(|n| slice[..n].to_vec());
                let mut out = vec![0xee];
                let got = IntEncoding::Fixed { width, endian }.encode(v, &mut out);
                match want {
                    Ok(bytes) => {
                        assert_eq!(got.unwrap(), bytes.len());
                        assert_eq!(&out[1..], &bytes[..], "{width} {endian:?} {v:#x}");
                    }
                    Err(e) => {
                        assert_eq!(got.unwrap_err().kind(), e.kind());
                        assert_eq!(out, [0xee], "the Vec is untouched on error");
                    }
                }
            }
        }
    }
}
