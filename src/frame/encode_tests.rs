//! Unit tests of the frame encoder (`encode.rs`): every path of `encode_record`, the one
//! outgoing check, and the prefix stores.

use super::*;

fn framings(max: usize) -> [Framing; 4] {
    [
        Framing::U16.with_max_frame_len(max),
        Framing::U32.with_max_frame_len(max),
        Framing::VARINT.with_max_frame_len(max),
        Framing::fixed(300).with_max_frame_len(max),
    ]
}

/// Records of every length around the places where the encoder changes course (the first
/// try's 256 bytes, a varint prefix growing from one byte to two and three), after bytes
/// already in the buffer: the bytes of `encode_frame` over `to_vec`, or the same refusal.
#[test]
fn records_encode_as_their_bytes_framed() {
    let config = Config::new();
    for max in [usize::MAX, 300, 200] {
        for framing in framings(max) {
            for body in (0..=300).chain([16_375, 16_376, 70_000]) {
                let value = vec![0xA5u8; body]; // 8 bytes of length, then `body`
                let bytes = config.to_vec(&value).unwrap();
                let mut want = vec![1, 2, 3];
                let expected = encode_frame(framing, &bytes, &mut want);
                let mut got = vec![1, 2, 3];
                let result = encode_record(framing, config, &value, &mut got);
                assert_eq!(result, expected, "{framing:?} {body}");
                assert_eq!(got, want, "{framing:?} {body}");
                if let Ok(n) = result {
                    assert_eq!(n, got.len() - 3);
                }
            }
        }
    }
}

/// A refusal leaves the buffer as it was, on every path (first try, second try).
#[test]
fn refusals_leave_the_buffer_untouched() {
    let config = Config::new();
    let cases: [(Framing, usize, ErrorKind); 4] = [
        // Refused after the first try (the record fits its 256 bytes).
        (
            Framing::U32.with_max_frame_len(16),
            20,
            ErrorKind::FrameTooLong { len: 28, max: 16 },
        ),
        // Refused before the second try: nothing is set aside for it.
        (
            Framing::U32.with_max_frame_len(1000),
            2000,
            ErrorKind::FrameTooLong {
                len: 2008,
                max: 1000,
            },
        ),
        (
            Framing::U16,
            70_000,
            ErrorKind::FrameTooLong {
                len: 70_008,
                max: 65_535,
            },
        ),
        (
            Framing::fixed(9),
            2,
            ErrorKind::LengthMismatch {
                expected: 9,
                actual: 10,
            },
        ),
    ];
    for (framing, body, want) in cases {
        let mut out = vec![7u8; 5];
        let err = encode_record(framing, config, &vec![0u8; body], &mut out).unwrap_err();
        assert_eq!(err.kind(), &want, "{framing:?}");
        assert_eq!(out, [7; 5]);
        // At most the first try's room was set aside, never room for the refused record.
        assert!(
            out.capacity() < 5 + 256 + 10 || body < 256,
            "{}",
            out.capacity()
        );
    }
    // A record the serializer refuses: its error, nothing written.
    let mut out = vec![7u8; 5];
    let err = encode_record(Framing::U16, config.with_max_len(2), "abc", &mut out);
    assert!(matches!(
        err.unwrap_err().kind(),
        ErrorKind::LengthLimit { len: 3, .. }
    ));
    assert_eq!(out, [7; 5]);
}

/// The one outgoing check, for every kind: the smaller of the two limits, exact lengths
/// for `fixed(n)`, the prefix's length.
#[test]
fn prefix_len_is_the_one_check() {
    let table: [(Framing, usize, core::result::Result<usize, ErrorKind>); 10] = [
        (Framing::U16, 65_535, Ok(2)),
        (
            Framing::U16.with_max_frame_len(10),
            11,
            Err(ErrorKind::FrameTooLong { len: 11, max: 10 }),
        ),
        (Framing::U32.with_max_frame_len(usize::MAX), 1 << 31, Ok(4)),
        (Framing::VARINT, 127, Ok(1)),
        (Framing::VARINT, 128, Ok(2)),
        (
            Framing::VARINT.with_max_frame_len(usize::MAX),
            usize::MAX,
            Ok(10),
        ),
        (Framing::fixed(4), 4, Ok(0)),
        (
            Framing::fixed(4),
            3,
            Err(ErrorKind::LengthMismatch {
                expected: 4,
                actual: 3,
            }),
        ),
        (
            Framing::fixed(4).with_max_frame_len(3),
            4,
            Err(ErrorKind::FrameTooLong { len: 4, max: 3 }),
        ),
        (
            Framing::fixed(4).with_max_frame_len(3),
            5,
            Err(ErrorKind::FrameTooLong { len: 5, max: 3 }),
        ),
    ];
    for (framing, len, want) in table {
        let got = framing.prefix_len(len).map_err(Error::into_kind);
        assert_eq!(got, want, "{framing:?} {len}");
        let prefix = framing
            .prefix(len)
            .map(|p| p.len())
            .map_err(Error::into_kind);
        assert_eq!(prefix, want, "{framing:?} {len}");
        if let Ok(n) = want {
            assert_eq!(n, framing.header_len(len));
        }
    }
}

/// Prefixes written over a frame shorter than 16 bytes, and over a longer one: the same
/// bytes as `write_header`, and nothing past the prefix in the short case.
#[test]
fn short_and_long_frames_get_the_same_prefix() {
    for framing in [Framing::U16, Framing::U32, Framing::VARINT] {
        for len in [0usize, 1, 127, 128, 300, 16_384, 70_000] {
            let Ok(prefix) = framing.prefix(len) else {
                continue;
            };
            let mut header = [0u8; 10];
            let n = write_header(framing, len, &mut header).unwrap();
            let mut short = vec![0xEE; n + 1];
            prefix.put_over(&mut short);
            assert_eq!(&short[..n], &header[..n]);
            assert_eq!(short[n], 0xEE);
            let mut long = vec![0xEE; 32];
            prefix.put_over(&mut long);
            assert_eq!(&long[..n], &header[..n]);
        }
    }
}
