//! Golden bytes from the specs (protobuf encoding guide, LEB128 on Wikipedia / DWARF) and the
//! strictness rules of every decoder, each asserted with its exact `ErrorKind` and numbers.

use netorder::int::{ascii, ascii_fixed, fixed, varint, zigzag};
use netorder::{Endian, ErrorKind, IntEncoding};

const NL: u8 = b'\n';
const ASCII: IntEncoding = IntEncoding::Ascii { terminator: NL };

fn enc(e: IntEncoding, v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let n = e.encode(v, &mut out).unwrap();
    assert_eq!(n, out.len());
    assert_eq!(e.encoded_len(v), Some(n));
    assert_eq!(e.decode(&out).unwrap(), (v, n), "{e:?} round trip of {v}");
    out
}

fn err(e: IntEncoding, bytes: &[u8]) -> ErrorKind {
    e.decode(bytes).unwrap_err().into_kind()
}

fn incomplete(needed: usize, available: usize) -> ErrorKind {
    ErrorKind::Incomplete {
        offset: 0,
        needed,
        available,
    }
}

const OVERFLOW: ErrorKind = ErrorKind::Overflow {
    offset: 0,
    bits: 64,
};

// ----- varint ---------------------------------------------------------------------------------

#[test]
fn varint_golden() {
    let table: &[(u64, &[u8])] = &[
        (0, &[0x00]),
        (1, &[0x01]),
        (127, &[0x7F]),
        (128, &[0x80, 0x01]),
        (150, &[0x96, 0x01]), // protobuf guide
        (300, &[0xAC, 0x02]),
        (16_383, &[0xFF, 0x7F]),
        (16_384, &[0x80, 0x80, 0x01]),
        (624_485, &[0xE5, 0x8E, 0x26]), // Wikipedia LEB128
        (u64::from(u32::MAX), &[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (
            1 << 63,
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        ),
        (
            u64::MAX,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        ),
    ];
    for &(v, bytes) in table {
        assert_eq!(enc(IntEncoding::Varint, v), bytes, "varint of {v}");
        let mut buf = [0u8; varint::MAX_LEN];
        let n = varint::encode(v, &mut buf).unwrap();
        assert_eq!(&buf[..n], bytes);
        assert_eq!(varint::encoded_len(v), bytes.len());
    }
}

#[test]
fn varint_lengths_at_every_boundary() {
    for k in 1..=9u32 {
        let edge = 1u64 << (7 * k);
        assert_eq!(IntEncoding::Varint.encoded_len(edge - 1), Some(k as usize));
        assert_eq!(IntEncoding::Varint.encoded_len(edge), Some(k as usize + 1));
    }
}

#[test]
fn varint_incomplete() {
    assert_eq!(err(IntEncoding::Varint, &[]), incomplete(1, 0));
    assert_eq!(err(IntEncoding::Varint, &[0x80]), incomplete(2, 1));
    assert_eq!(err(IntEncoding::Varint, &[0xAC]), incomplete(2, 1));
    assert_eq!(err(IntEncoding::Varint, &[0xFF; 9]), incomplete(10, 9));
    assert!(
        IntEncoding::Varint
            .decode(&[0xFF; 9])
            .unwrap_err()
            .is_incomplete()
    );
}

#[test]
fn varint_rejects_overlong() {
    assert_eq!(
        err(IntEncoding::Varint, &[0x80, 0x00]),
        ErrorKind::Overlong { offset: 0, len: 2 }
    );
    assert_eq!(
        err(IntEncoding::Varint, &[0x81, 0x00]),
        ErrorKind::Overlong { offset: 0, len: 2 }
    );
    assert_eq!(
        err(IntEncoding::Varint, &[0xFF, 0x80, 0x00]),
        ErrorKind::Overlong { offset: 0, len: 3 }
    );
    let mut ten = [0x80u8; 10];
    ten[9] = 0x00;
    assert_eq!(
        err(IntEncoding::Varint, &ten),
        ErrorKind::Overlong { offset: 0, len: 10 }
    );
    assert!(
        !IntEncoding::Varint
            .decode(&ten)
            .unwrap_err()
            .is_incomplete()
    );
}

#[test]
fn varint_rejects_overflow_and_more_than_ten_bytes() {
    for tenth in [0x02u8, 0x7F, 0x80, 0x81, 0xFF] {
        let mut bytes = [0xFFu8; 10].to_vec();
        bytes[9] = tenth;
        assert_eq!(
            err(IntEncoding::Varint, &bytes),
            OVERFLOW,
            "10th byte {tenth:#x}"
        );
        bytes.push(0x00); // an 11th byte changes nothing
        assert_eq!(
            err(IntEncoding::Varint, &bytes),
            OVERFLOW,
            "10th byte {tenth:#x} + 11th"
        );
    }
    assert_eq!(err(IntEncoding::Varint, &[0x80; 11]), OVERFLOW);
    assert_eq!(err(IntEncoding::Varint, &[0x80; 10]), OVERFLOW);
}

#[test]
fn varint_leaves_trailing_bytes() {
    assert_eq!(
        IntEncoding::Varint
            .decode(&[0xAC, 0x02, 0x00, 0xFF])
            .unwrap(),
        (300, 2)
    );
    assert_eq!(varint::decode(&[0x00, 0x80]).unwrap(), (0, 1));
}

// ----- zigzag ---------------------------------------------------------------------------------

#[test]
fn zigzag_golden() {
    let table: &[(i64, u64, &[u8])] = &[
        (0, 0, &[0x00]),
        (-1, 1, &[0x01]),
        (1, 2, &[0x02]),
        (-2, 3, &[0x03]),
        (63, 126, &[0x7E]),
        (-64, 127, &[0x7F]),
        (64, 128, &[0x80, 0x01]),
        (
            2_147_483_647,
            4_294_967_294,
            &[0xFE, 0xFF, 0xFF, 0xFF, 0x0F],
        ), // protobuf guide
        (
            -2_147_483_648,
            4_294_967_295,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        ),
        (
            i64::MAX,
            u64::MAX - 1,
            &[0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        ),
        (
            i64::MIN,
            u64::MAX,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        ),
    ];
    for &(n, z, bytes) in table {
        assert_eq!(zigzag::encode_i64(n), z, "zigzag map of {n}");
        assert_eq!(zigzag::decode_i64(z), n);
        assert_eq!(enc(IntEncoding::ZigZag, n as u64), bytes, "zigzag of {n}");
        assert_eq!(zigzag::decode(bytes).unwrap(), (n, bytes.len()));
        assert_eq!(zigzag::encoded_len(n), bytes.len());
    }
}

#[test]
fn zigzag_strictness_is_the_varints() {
    assert_eq!(
        err(IntEncoding::ZigZag, &[0x81, 0x00]),
        ErrorKind::Overlong { offset: 0, len: 2 }
    );
    assert_eq!(err(IntEncoding::ZigZag, &[0x81]), incomplete(2, 1));
    let mut bytes = [0xFFu8; 10];
    bytes[9] = 0x03;
    assert_eq!(err(IntEncoding::ZigZag, &bytes), OVERFLOW);
}

// ----- fixed ----------------------------------------------------------------------------------

#[test]
fn fixed_golden() {
    let be = |width| IntEncoding::Fixed {
        width,
        endian: Endian::Big,
    };
    let le = |width| IntEncoding::Fixed {
        width,
        endian: Endian::Little,
    };
    assert_eq!(enc(be(4), 0x0102_0304), [1, 2, 3, 4]);
    assert_eq!(enc(le(4), 0x0102_0304), [4, 3, 2, 1]);
    assert_eq!(enc(be(3), 0x01_0203), [1, 2, 3]);
    assert_eq!(enc(le(3), 0x01_0203), [3, 2, 1]);
    assert_eq!(enc(be(1), 0xAB), [0xAB]);
    assert_eq!(enc(be(2), 80), [0x00, 0x50]); // htons(80)
    assert_eq!(enc(be(6), 0x0102_0304_0506), [1, 2, 3, 4, 5, 6]);
    assert_eq!(enc(be(8), u64::MAX), [0xFF; 8]);
    assert_eq!(enc(le(8), 1), [1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(be(2).decode(&[0x12, 0x34, 0x56]).unwrap(), (0x1234, 2));
}

#[test]
fn fixed_boundaries_every_width() {
    for width in 1..=8u8 {
        for endian in [Endian::Big, Endian::Little] {
            let e = IntEncoding::Fixed { width, endian };
            let max = fixed::max_value(width).unwrap();
            assert_eq!(
                max,
                if width == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * width)) - 1
                }
            );
            assert_eq!(e.encoded_len(0), Some(width as usize));
            assert_eq!(e.encoded_len(1), Some(width as usize));
            enc(e, 0);
            enc(e, 1);
            assert_eq!(enc(e, max), vec![0xFF; width as usize]);
            if width < 8 {
                assert_eq!(e.encoded_len(max + 1), None);
                let mut out = vec![0xAA];
                let got = e.encode(max + 1, &mut out).unwrap_err().into_kind();
                assert_eq!(
                    got,
                    ErrorKind::OutOfRange {
                        value: i128::from(max) + 1,
                        min: 0,
                        max: i128::from(max)
                    }
                );
                assert_eq!(out, [0xAA], "out unchanged on error");
            }
            for short in 0..width as usize {
                assert_eq!(err(e, &vec![0; short]), incomplete(width as usize, short));
            }
        }
    }
}

#[test]
fn fixed_rejects_invalid_width() {
    for width in [0u8, 9, 255] {
        let e = IntEncoding::Fixed {
            width,
            endian: Endian::Big,
        };
        let want = ErrorKind::InvalidWidth {
            width: width as usize,
            min: 1,
            max: 8,
        };
        assert_eq!(e.encoded_len(0), None);
        let mut out = vec![7];
        assert_eq!(e.encode(0, &mut out).unwrap_err().into_kind(), want);
        assert_eq!(out, [7]);
        assert_eq!(err(e, &[0; 16]), want);
    }
}

#[test]
fn fixed_slice_primitives() {
    let mut buf = [0u8; 2];
    assert_eq!(
        fixed::encode(1, 4, Endian::Big, &mut buf)
            .unwrap_err()
            .into_kind(),
        ErrorKind::BufferTooSmall {
            needed: 4,
            available: 2
        }
    );
    assert_eq!(buf, [0, 0]);
}

// ----- ascii ----------------------------------------------------------------------------------

#[test]
fn ascii_golden() {
    assert_eq!(enc(ASCII, 0), [0x30, 0x0A]);
    assert_eq!(enc(ASCII, 7), b"7\n");
    assert_eq!(enc(ASCII, 42), b"42\n");
    assert_eq!(enc(ASCII, 1_000_000), b"1000000\n");
    assert_eq!(enc(ASCII, u64::MAX), b"18446744073709551615\n");
    assert_eq!(enc(IntEncoding::Ascii { terminator: 0 }, 12), b"12\0");
    assert_eq!(enc(IntEncoding::Ascii { terminator: b' ' }, 12), b"12 ");
    assert_eq!(enc(IntEncoding::Ascii { terminator: b'-' }, 12), b"12-");
    for (v, s) in [
        (0u64, "0"),
        (9, "9"),
        (10, "10"),
        (99, "99"),
        (100, "100"),
        (9999, "9999"),
        (10_000, "10000"),
        (123_456_789, "123456789"),
    ] {
        let buf = ascii::digits_array(v).0;
        assert_eq!(&buf[..s.len()], s.as_bytes());
        assert_eq!(ascii::digits(v), s.len());
    }
}

#[test]
fn ascii_incomplete() {
    assert_eq!(err(ASCII, b""), incomplete(1, 0));
    assert_eq!(err(ASCII, b"0"), incomplete(2, 1));
    assert_eq!(err(ASCII, b"12"), incomplete(3, 2));
    assert_eq!(err(ASCII, b"1844674407370955161"), incomplete(20, 19));
    assert_eq!(err(ASCII, b"18446744073709551615"), incomplete(21, 20));
}

#[test]
fn ascii_rejects_leading_zero() {
    assert_eq!(err(ASCII, b"00"), ErrorKind::LeadingZero { offset: 0 });
    assert_eq!(err(ASCII, b"01\n"), ErrorKind::LeadingZero { offset: 0 });
    assert_eq!(err(ASCII, b"007\n"), ErrorKind::LeadingZero { offset: 0 });
    assert!(!ASCII.decode(b"00").unwrap_err().is_incomplete());
}

#[test]
fn ascii_rejects_signs_whitespace_and_stray_bytes() {
    let digit = "a decimal digit";
    let digit_or_term = "a decimal digit or the terminator";
    let cases: &[(&[u8], usize, u8, &str)] = &[
        (b"+1\n", 0, b'+', digit),
        (b"-1\n", 0, b'-', digit),
        (b" 1\n", 0, b' ', digit),
        (b"\t1\n", 0, b'\t', digit),
        (b"\n", 0, b'\n', digit),
        (b"1 \n", 1, b' ', digit_or_term),
        (b"1\r\n", 1, b'\r', digit_or_term),
        (b"1x", 1, b'x', digit_or_term),
        (b"12x", 2, b'x', digit_or_term),
        (b"0x1\n", 1, b'x', digit_or_term),
        (b"1_000\n", 1, b'_', digit_or_term),
        (b"1.0\n", 1, b'.', digit_or_term),
    ];
    for &(input, offset, byte, expected) in cases {
        let got = err(ASCII, input);
        assert_eq!(
            got,
            ErrorKind::InvalidByte {
                offset,
                byte,
                expected
            },
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn ascii_rejects_overflow() {
    assert_eq!(
        ASCII.decode(b"18446744073709551615\n").unwrap(),
        (u64::MAX, 21)
    );
    assert_eq!(err(ASCII, b"18446744073709551616\n"), OVERFLOW);
    assert_eq!(err(ASCII, b"99999999999999999999\n"), OVERFLOW);
    // Known to overflow before the input ends: not incomplete.
    assert_eq!(err(ASCII, b"18446744073709551616"), OVERFLOW);
    assert_eq!(err(ASCII, b"100000000000000000000\n"), OVERFLOW); // 21 digits
    assert_eq!(err(ASCII, b"100000000000000000000"), OVERFLOW);
    assert_eq!(err(ASCII, &[b'1'; 40]), OVERFLOW);
}

#[test]
fn ascii_rejects_digit_terminator_everywhere() {
    let unsupported = ErrorKind::Unsupported {
        what: "an ASCII digit as the terminator",
    };
    for t in b'0'..=b'9' {
        let e = IntEncoding::Ascii { terminator: t };
        assert_eq!(e.encoded_len(1), None);
        let mut out = vec![1, 2];
        assert_eq!(e.encode(1, &mut out).unwrap_err().into_kind(), unsupported);
        assert_eq!(out, [1, 2]);
        assert_eq!(err(e, b"1"), unsupported);
        assert_eq!(
            ascii::decode_i64(b"-1x", t).unwrap_err().into_kind(),
            unsupported
        );
        assert_eq!(
            ascii::encode_i64(-1, t, &mut out).unwrap_err().into_kind(),
            unsupported
        );
        assert_eq!(out, [1, 2]);
    }
}

#[test]
fn ascii_signed() {
    let mut out = Vec::new();
    for (v, s) in [
        (0i64, "0\n"),
        (-1, "-1\n"),
        (42, "42\n"),
        (i64::MAX, "9223372036854775807\n"),
        (i64::MIN, "-9223372036854775808\n"),
    ] {
        out.clear();
        out.resize(s.len(), 0);
        assert_eq!(ascii::encode_i64(v, NL, &mut out).unwrap(), s.len());
        assert_eq!(out, s.as_bytes());
        assert_eq!(ascii::encoded_len_i64(v), s.len());
        assert_eq!(ascii::decode_i64(s.as_bytes(), NL).unwrap(), (v, s.len()));
    }
    let e = |s: &[u8]| ascii::decode_i64(s, NL).unwrap_err().into_kind();
    assert_eq!(e(b"-0\n"), ErrorKind::NegativeZero { offset: 0 });
    assert_eq!(e(b"-0"), ErrorKind::NegativeZero { offset: 0 });
    assert_eq!(e(b"-07\n"), ErrorKind::LeadingZero { offset: 0 });
    assert_eq!(e(b"07\n"), ErrorKind::LeadingZero { offset: 0 });
    assert_eq!(e(b"-"), incomplete(2, 1));
    assert_eq!(e(b"-12"), incomplete(4, 3));
    assert_eq!(e(b""), incomplete(1, 0));
    assert_eq!(
        e(b"--1\n"),
        ErrorKind::InvalidByte {
            offset: 1,
            byte: b'-',
            expected: "a decimal digit"
        }
    );
    assert_eq!(
        e(b"-\n"),
        ErrorKind::InvalidByte {
            offset: 1,
            byte: b'\n',
            expected: "a decimal digit"
        }
    );
    assert_eq!(
        e(b"+1\n"),
        ErrorKind::InvalidByte {
            offset: 0,
            byte: b'+',
            expected: "a decimal digit or '-'"
        }
    );
    assert_eq!(
        e(b"-1 \n"),
        ErrorKind::InvalidByte {
            offset: 2,
            byte: b' ',
            expected: "a decimal digit or the terminator"
        }
    );
    assert_eq!(e(b"9223372036854775808\n"), OVERFLOW);
    assert_eq!(e(b"-9223372036854775809\n"), OVERFLOW);
    assert_eq!(
        e(b"-9223372036854775809"),
        OVERFLOW,
        "known bad before the terminator"
    );
    assert_eq!(e(b"9223372036854775808"), OVERFLOW);
    assert_eq!(e(b"-18446744073709551616\n"), OVERFLOW);
}

// ----- ascii fixed ----------------------------------------------------------------------------

#[test]
fn ascii_fixed_golden_and_boundaries() {
    assert_eq!(enc(IntEncoding::AsciiFixed { width: 5 }, 42), b"00042");
    assert_eq!(enc(IntEncoding::AsciiFixed { width: 1 }, 0), b"0");
    assert_eq!(
        enc(IntEncoding::AsciiFixed { width: 20 }, 0),
        b"00000000000000000000"
    );
    assert_eq!(
        enc(IntEncoding::AsciiFixed { width: 20 }, u64::MAX),
        b"18446744073709551615"
    );
    for width in 1..=20u8 {
        let e = IntEncoding::AsciiFixed { width };
        let max = ascii_fixed::max_value(width).unwrap();
        enc(e, 0);
        enc(e, 1);
        assert_eq!(enc(e, max).len(), width as usize);
        if width < 20 {
            assert_eq!(max, 10u64.pow(u32::from(width)) - 1);
            assert_eq!(e.encoded_len(max + 1), None);
            let mut out = vec![9];
            assert_eq!(
                e.encode(max + 1, &mut out).unwrap_err().into_kind(),
                ErrorKind::OutOfRange {
                    value: i128::from(max) + 1,
                    min: 0,
                    max: i128::from(max)
                }
            );
            assert_eq!(out, [9]);
        }
        for short in 0..width as usize {
            assert_eq!(
                err(e, &vec![b'0'; short]),
                incomplete(width as usize, short)
            );
        }
    }
}

#[test]
fn ascii_fixed_strictness() {
    let e3 = IntEncoding::AsciiFixed { width: 3 };
    let digit = "a decimal digit";
    assert_eq!(e3.decode(b"007x").unwrap(), (7, 3));
    assert_eq!(
        err(e3, b" 12"),
        ErrorKind::InvalidByte {
            offset: 0,
            byte: b' ',
            expected: digit
        }
    );
    assert_eq!(
        err(e3, b"-12"),
        ErrorKind::InvalidByte {
            offset: 0,
            byte: b'-',
            expected: digit
        }
    );
    assert_eq!(
        err(e3, b"1x"),
        ErrorKind::InvalidByte {
            offset: 1,
            byte: b'x',
            expected: digit
        }
    );
    assert_eq!(
        err(e3, b"12 "),
        ErrorKind::InvalidByte {
            offset: 2,
            byte: b' ',
            expected: digit
        }
    );
    let e20 = IntEncoding::AsciiFixed { width: 20 };
    assert_eq!(err(e20, b"18446744073709551616"), OVERFLOW);
    assert_eq!(err(e20, b"99999999999999999999"), OVERFLOW);
    for width in [0u8, 21, 255] {
        let e = IntEncoding::AsciiFixed { width };
        let want = ErrorKind::InvalidWidth {
            width: width as usize,
            min: 1,
            max: 20,
        };
        assert_eq!(e.encoded_len(0), None);
        let mut out = Vec::new();
        assert_eq!(e.encode(0, &mut out).unwrap_err().into_kind(), want);
        assert!(out.is_empty());
        assert_eq!(err(e, b"0000000000000000000000000"), want);
    }
    let mut small = [0u8; 2];
    assert_eq!(
        ascii_fixed::encode(5, 3, &mut small)
            .unwrap_err()
            .into_kind(),
        ErrorKind::BufferTooSmall {
            needed: 3,
            available: 2
        }
    );
    assert_eq!(small, [0, 0]);
}

#[test]
fn error_messages_name_the_numbers() {
    assert_eq!(
        ASCII.decode(b"12x").unwrap_err().to_string(),
        "invalid byte 0x78 at byte 2 (expected a decimal digit or the terminator)"
    );
    assert_eq!(
        IntEncoding::Varint.decode(&[0x80]).unwrap_err().to_string(),
        "incomplete input at byte 0: need 2 bytes, have 1"
    );
}

// ----- batch varints and digit counts (issue 16) ---------------------------------------------

/// LEB128 bytes known by heart, through every writer and both decoders.
#[test]
fn varint_golden_batch() {
    let golden: [(u64, &[u8]); 9] = [
        (0, &[0x00]),
        (1, &[0x01]),
        (127, &[0x7F]),
        (128, &[0x80, 0x01]),
        (300, &[0xAC, 0x02]),
        (16_383, &[0xFF, 0x7F]),
        (16_384, &[0x80, 0x80, 0x01]),
        (624_485, &[0xE5, 0x8E, 0x26]),
        (
            u64::MAX,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        ),
    ];
    let values: Vec<u64> = golden.iter().map(|g| g.0).collect();
    let stream: Vec<u8> = golden.iter().flat_map(|g| g.1.iter().copied()).collect();
    for (v, bytes) in golden {
        let (array, n) = varint::encode_array(v);
        assert_eq!(&array[..n], bytes);
    }
    let mut out = Vec::new();
    assert_eq!(varint::encode_batch(&values, &mut out), stream.len());
    assert_eq!(out, stream);
    let mut back = [0u64; 9];
    assert_eq!(
        varint::decode_batch(&stream, &mut back).unwrap(),
        (9, stream.len())
    );
    assert_eq!(back[..], values[..]);
}

/// At every 7-bit boundary: 2^(7k) - 1 is k bytes (k - 1 × FF then 7F), 2^(7k) is k + 1 (k ×
/// 80 then 01); a long stream of them (so the block decoder sees them) decodes back, and an
/// overlong form of each (a 00 appended, the 7F or 01 given a continuation bit) is refused
/// at its offset.
#[test]
fn varint_batch_boundary_table() {
    let mut values = Vec::new();
    let mut stream = Vec::new();
    for k in 1..=9usize {
        let below = (1u64 << (7 * k)) - 1;
        let mut want = vec![0xFF; k - 1];
        want.push(0x7F);
        assert_eq!(
            varint::encode_array(below),
            (array_of(&want), k),
            "2^{}-1",
            7 * k
        );
        let at = 1u64 << (7 * k);
        let mut want_at = vec![0x80; k];
        want_at.push(0x01);
        assert_eq!(
            varint::encode_array(at),
            (array_of(&want_at), k + 1),
            "2^{}",
            7 * k
        );
        for _ in 0..8 {
            values.extend([below, at]);
            stream.extend_from_slice(&want);
            stream.extend_from_slice(&want_at);
        }
    }
    let mut back = vec![0u64; values.len()];
    assert_eq!(
        varint::decode_batch(&stream, &mut back).unwrap(),
        (values.len(), stream.len())
    );
    assert_eq!(back, values);
    // Overlong copies of each boundary value, after 100 bytes of good varints.
    for k in 1..=8usize {
        let mut bad = vec![0x01; 100];
        bad.extend(std::iter::repeat_n(0xFF, k));
        bad.push(0x80);
        bad.push(0x00);
        bad.extend([0x01; 100]);
        let mut out = vec![0u64; 300];
        let err = varint::decode_batch(&bad, &mut out).unwrap_err();
        assert_eq!(
            err.into_kind(),
            ErrorKind::Overlong {
                offset: 100,
                len: k + 2
            },
            "{k}"
        );
        assert!(out[..100].iter().all(|&v| v == 1) && out[100..].iter().all(|&v| v == 0));
    }
    // Past 64 bits, and an 11th byte, in the middle of a long stream.
    for tenth in [0x02, 0x7F, 0x80, 0xFF] {
        let mut bad = vec![0x05; 90];
        bad.extend([0xFF; 9]);
        bad.push(tenth);
        bad.extend([0x05; 90]);
        let mut out = vec![0u64; 300];
        let err = varint::decode_batch(&bad, &mut out).unwrap_err();
        assert_eq!(
            err.into_kind(),
            ErrorKind::Overflow {
                offset: 90,
                bits: 64
            },
            "{tenth:#x}"
        );
    }
}

fn array_of(bytes: &[u8]) -> [u8; varint::MAX_LEN] {
    let mut array = [0u8; varint::MAX_LEN];
    array[..bytes.len()].copy_from_slice(bytes);
    array
}

/// At every digit-count boundary (10^k - 1 and 10^k): the digits, their count, and the
/// decoder both with look-ahead (a stream) and on the exact bytes.
#[test]
fn ascii_digit_count_boundaries() {
    let mut edges = vec![0u64, u64::MAX];
    for k in 1..=19u32 {
        edges.extend([10u64.pow(k) - 1, 10u64.pow(k)]);
    }
    let enc = IntEncoding::Ascii { terminator: b'\n' };
    let mut stream = Vec::new();
    for &v in &edges {
        let s = format!("{v}\n");
        let exact = enc.encode(v, &mut stream).unwrap();
        assert_eq!(exact, s.len());
        assert_eq!(ascii::digits(v), s.len() - 1, "{v}");
        assert_eq!(ascii::digits_array(v).1, s.len() - 1);
        assert_eq!(enc.decode(s.as_bytes()).unwrap(), (v, s.len()));
    }
    stream.extend_from_slice(&[b'x'; 24]);
    let mut rest = &stream[..];
    for &v in &edges {
        let (got, n) = enc.decode(rest).unwrap();
        assert_eq!(got, v);
        rest = &rest[n..];
    }
    // One past u64::MAX, and a leading zero, with and without look-ahead.
    for text in [&b"18446744073709551616\n"[..], b"0123\n"] {
        let mut long = text.to_vec();
        long.extend_from_slice(&[b'\n'; 30]);
        assert_eq!(
            enc.decode(text).unwrap_err(),
            enc.decode(&long).unwrap_err()
        );
    }
}
