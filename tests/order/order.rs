//! Layer 1 (byte order): golden bytes, boundary tables, round-trip properties and
//! cross-checks against std, the `byteorder` crate and Python's `struct`.

use byteorder::{BigEndian, ByteOrder, LittleEndian};
use netorder::{
    Endian, ErrorKind, NetOrder, convert_in_place, hton_slice, hton_write, hton16, hton32, hton64,
    ntoh_read, ntoh_slice, ntoh16, ntoh32, ntoh64, read_int, read_slice, read_uint, write_int,
    write_slice, write_uint,
};
use proptest::prelude::*;

const BOTH: [Endian; 2] = [Endian::Big, Endian::Little];

// ----- RFC 1700 golden bytes ---------------------------------------------------------------

#[test]
fn rfc1700_golden_bytes_hton() {
    // "the most significant byte first": RFC 1700, "Data Notations".
    assert_eq!(hton16(0x0102).to_ne_bytes(), [0x01, 0x02]);
    assert_eq!(hton32(0x0102_0304).to_ne_bytes(), [0x01, 0x02, 0x03, 0x04]);
    assert_eq!(
        hton64(0x0102_0304_0506_0708).to_ne_bytes(),
        [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]
    );
}

#[test]
fn rfc1700_golden_bytes_ntoh() {
    assert_eq!(ntoh16(u16::from_ne_bytes([0x01, 0x02])), 0x0102);
    assert_eq!(
        ntoh32(u32::from_ne_bytes([0x01, 0x02, 0x03, 0x04])),
        0x0102_0304
    );
    assert_eq!(
        ntoh64(u64::from_ne_bytes([1, 2, 3, 4, 5, 6, 7, 8])),
        0x0102_0304_0506_0708
    );
}

#[test]
fn rfc1700_golden_bytes_trait_and_slices() {
    let mut out = [0u8; 8];
    assert_eq!(hton_write(0x0102u16, &mut out).unwrap(), 2);
    assert_eq!(out[..2], [1, 2]);
    assert_eq!(hton_write(0x0102_0304u32, &mut out).unwrap(), 4);
    assert_eq!(out[..4], [1, 2, 3, 4]);
    assert_eq!(hton_write(0x0102_0304_0506_0708u64, &mut out).unwrap(), 8);
    assert_eq!(out, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(ntoh_read::<u16>(&[1, 2]).unwrap(), 0x0102);
    assert_eq!(ntoh_read::<u32>(&[1, 2, 3, 4]).unwrap(), 0x0102_0304);
    assert_eq!(
        ntoh_read::<u64>(&[1, 2, 3, 4, 5, 6, 7, 8]).unwrap(),
        0x0102_0304_0506_0708
    );
    assert_eq!(0x0102_0304u32.to_bytes(Endian::Little), [4, 3, 2, 1]);
    assert_eq!(u32::from_bytes([4, 3, 2, 1], Endian::Little), 0x0102_0304);
}

#[test]
fn hton_ntoh_are_const_and_inverse() {
    const PORT: u16 = hton16(8080);
    const ADDR: u32 = hton32(0x7f00_0001);
    const BIG: u64 = hton64(1);
    assert_eq!(PORT.to_ne_bytes(), [0x1f, 0x90]);
    assert_eq!(ADDR.to_ne_bytes(), [127, 0, 0, 1]);
    assert_eq!(BIG.to_ne_bytes(), [0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(ntoh16(PORT), 8080);
    assert_eq!(ntoh32(ADDR), 0x7f00_0001);
    assert_eq!(ntoh64(BIG), 1);
}

#[test]
fn endian_default_network_native() {
    assert_eq!(Endian::default(), Endian::Big);
    assert_eq!(Endian::NETWORK, Endian::Big);
    let native = if cfg!(target_endian = "little") {
        Endian::Little
    } else {
        Endian::Big
    };
    assert_eq!(Endian::NATIVE, native);
    assert!(native.is_native());
    let other = if native == Endian::Big {
        Endian::Little
    } else {
        Endian::Big
    };
    assert!(!other.is_native());
}

// ----- every primitive: boundaries, std cross-check, prefixes, short output ------------------

/// Checks one value of one type against std in both orders, through every API form.
fn check_value<T>(v: T, be: &[u8], le: &[u8])
where
    T: NetOrder + PartialEq + std::fmt::Debug,
{
    assert_eq!(be.len(), T::SIZE);
    assert_eq!(v.to_be_array().as_ref(), be);
    assert_eq!(v.to_le_array().as_ref(), le);
    assert_eq!(v.to_bytes(Endian::Big).as_ref(), be);
    assert_eq!(v.to_bytes(Endian::Little).as_ref(), le);
    assert_eq!(T::read(be, Endian::Big).unwrap(), v);
    assert_eq!(T::read(le, Endian::Little).unwrap(), v);
    assert_eq!(ntoh_read::<T>(be).unwrap(), v);
    let mut buf = [0u8; 17];
    for (endian, want) in [(Endian::Big, be), (Endian::Little, le)] {
        buf.fill(0xa5);
        assert_eq!(v.write(&mut buf, endian).unwrap(), T::SIZE);
        assert_eq!(&buf[..T::SIZE], want);
        // Bytes after SIZE are left alone.
        assert!(buf[T::SIZE..].iter().all(|&b| b == 0xa5));
        // Trailing input after SIZE is ignored on read.
        assert_eq!(T::read(&buf, endian).unwrap(), v);
    }
    buf.fill(0);
    assert_eq!(hton_write(v, &mut buf).unwrap(), T::SIZE);
    assert_eq!(&buf[..T::SIZE], be);
    assert_eq!(NetOrder::swap_bytes(v).to_be_array().as_ref(), le);
}

/// Every proper prefix of a valid encoding is Incomplete with exact counts; every short
/// output buffer is BufferTooSmall and left untouched.
fn check_short<T: NetOrder + std::fmt::Debug>(v: T) {
    for endian in BOTH {
        let bytes = v.to_bytes(endian);
        let bytes = bytes.as_ref();
        for len in 0..T::SIZE {
            let err = T::read(&bytes[..len], endian).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::Incomplete {
                    offset: 0,
                    needed: T::SIZE,
                    available: len
                },
                "{} prefix of {len}",
                std::any::type_name::<T>()
            );
            assert!(err.is_incomplete());
            assert_eq!(err.needed_more(), Some(T::SIZE - len));

            let mut out = vec![0x5au8; len];
            let err = v.write(&mut out, endian).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::BufferTooSmall {
                    needed: T::SIZE,
                    available: len
                }
            );
            assert!(!err.is_incomplete());
            assert!(
                out.iter().all(|&b| b == 0x5a),
                "failed write touched the buffer"
            );
        }
    }
}

macro_rules! int_boundaries {
    ($($t:ident),*) => {$(
        #[test]
        fn $t() {
            assert_eq!(<$t as NetOrder>::SIZE, std::mem::size_of::<$t>());
            for v in [0 as $t, 1, $t::MAX, $t::MIN, $t::MAX - 1, $t::MIN.wrapping_add(1), 0x5a as $t] {
                check_value(v, &v.to_be_bytes(), &v.to_le_bytes());
                assert_eq!(<$t as NetOrder>::from_be_array(v.to_be_bytes()), <$t>::from_be_bytes(v.to_be_bytes()));
                assert_eq!(<$t as NetOrder>::from_le_array(v.to_le_bytes()), v);
                assert_eq!(NetOrder::swap_bytes(v), v.swap_bytes());
                check_short(v);
            }
        }
    )*};
}

mod boundaries {
    use super::*;
    int_boundaries!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128);

    macro_rules! float_boundaries {
        ($($t:ident),*) => {$(
            #[test]
            fn $t() {
                let specials = [
                    0.0 as $t, -0.0, 1.0, -1.0, $t::MAX, $t::MIN, $t::MIN_POSITIVE, $t::EPSILON,
                    $t::INFINITY, $t::NEG_INFINITY, 0.1, 1e-40,
                ];
                for v in specials {
                    check_value(v, &v.to_be_bytes(), &v.to_le_bytes());
                    check_short(v);
                }
                // -0.0 keeps its sign bit.
                assert_eq!((-0.0 as $t).to_bytes(Endian::Big).as_ref()[0], 0x80);
                // NaN: compare bits, payload included (NaN != NaN).
                let nan = <$t>::from_bits(<$t>::NAN.to_bits() | 1);
                for endian in BOTH {
                    let back = <$t>::read(nan.to_bytes(endian).as_ref(), endian).unwrap();
                    assert_eq!(back.to_bits(), nan.to_bits());
                }
                let mut vals = [nan, 1.0];
                convert_in_place(&mut vals, Endian::Big);
                convert_in_place(&mut vals, Endian::Big);
                assert_eq!(vals[0].to_bits(), nan.to_bits());
            }
        )*};
    }
    float_boundaries!(f32, f64);
}

#[test]
fn ntoh_read_error_contract_from_error_docs() {
    let err = ntoh_read::<u32>(&[1, 2]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 4,
            available: 2
        }
    );
    assert_eq!(
        err.to_string(),
        "incomplete input at byte 0: need 4 bytes, have 2"
    );
    assert_eq!(
        ntoh_read::<u64>(&[0; 5]).unwrap_err().needed_more(),
        Some(3)
    );
}

// ----- odd widths ----------------------------------------------------------------------------

fn uint_max(width: usize) -> u64 {
    if width == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * width)) - 1
    }
}

#[test]
fn uint_golden_odd_widths() {
    let bytes = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
    let be = [
        0x01,
        0x0102,
        0x01_0203,
        0x0102_0304,
        0x01_0203_0405,
        0x0102_0304_0506,
        0x01_0203_0405_0607,
        0x0102_0304_0506_0708,
    ];
    let le = [
        0x01,
        0x0201,
        0x03_0201,
        0x0403_0201,
        0x05_0403_0201,
        0x0605_0403_0201,
        0x07_0605_0403_0201,
        0x0807_0605_0403_0201,
    ];
    for w in 1..=8 {
        assert_eq!(
            read_uint(&bytes, w, Endian::Big).unwrap(),
            be[w - 1],
            "width {w}"
        );
        assert_eq!(
            read_uint(&bytes, w, Endian::Little).unwrap(),
            le[w - 1],
            "width {w}"
        );
        let mut out = [0u8; 8];
        assert_eq!(write_uint(be[w - 1], w, Endian::Big, &mut out).unwrap(), w);
        assert_eq!(out[..w], bytes[..w]);
        assert_eq!(
            write_uint(le[w - 1], w, Endian::Little, &mut out).unwrap(),
            w
        );
        assert_eq!(out[..w], bytes[..w]);
    }
}

#[test]
fn uint_width_boundaries() {
    for w in 1..=8usize {
        let max = uint_max(w);
        for endian in BOTH {
            let mut out = [0u8; 8];
            // 0, 1 and 2^(8w)-1 fit and round-trip.
            for v in [0, 1, max] {
                assert_eq!(write_uint(v, w, endian, &mut out).unwrap(), w);
                assert_eq!(read_uint(&out, w, endian).unwrap(), v);
            }
            assert!(out[..w].iter().all(|&b| b == 0xff));
            // 2^(8w) does not (there is no 2^64 in a u64: width 8 takes everything).
            if w < 8 {
                let mut out = [0x77u8; 8];
                let err = write_uint(max + 1, w, endian, &mut out).unwrap_err();
                assert_eq!(
                    err.kind(),
                    &ErrorKind::OutOfRange {
                        value: i128::from(max) + 1,
                        min: 0,
                        max: i128::from(max)
                    }
                );
                let err = write_uint(u64::MAX, w, endian, &mut out).unwrap_err();
                assert_eq!(
                    err.kind(),
                    &ErrorKind::OutOfRange {
                        value: i128::from(u64::MAX),
                        min: 0,
                        max: i128::from(max)
                    }
                );
                assert_eq!(out, [0x77; 8], "failed write touched the buffer");
            }
        }
    }
}

#[test]
fn int_width_boundaries() {
    for w in 1..=8usize {
        let max = (uint_max(w) >> 1) as i64;
        let min = -max - 1;
        for endian in BOTH {
            let mut out = [0u8; 8];
            for v in [0, 1, -1, max, min] {
                assert_eq!(write_int(v, w, endian, &mut out).unwrap(), w);
                assert_eq!(read_int(&out, w, endian).unwrap(), v, "width {w} value {v}");
            }
            if w < 8 {
                for bad in [max + 1, min - 1, i64::MAX, i64::MIN] {
                    let mut out = [0x77u8; 8];
                    let err = write_int(bad, w, endian, &mut out).unwrap_err();
                    assert_eq!(
                        err.kind(),
                        &ErrorKind::OutOfRange {
                            value: i128::from(bad),
                            min: i128::from(min),
                            max: i128::from(max)
                        }
                    );
                    assert_eq!(out, [0x77; 8]);
                }
            }
        }
    }
    // Sign extension: the top bit of the field, not of the u64.
    assert_eq!(read_int(&[0x80, 0, 0], 3, Endian::Big).unwrap(), -(1 << 23));
    assert_eq!(
        read_int(&[0, 0, 0x80], 3, Endian::Little).unwrap(),
        -(1 << 23)
    );
    assert_eq!(
        read_int(&[0x7f, 0xff, 0xff], 3, Endian::Big).unwrap(),
        (1 << 23) - 1
    );
}

#[test]
fn invalid_widths_are_refused_first() {
    for w in [0usize, 9, 16, usize::MAX] {
        let want = ErrorKind::InvalidWidth {
            width: w,
            min: 1,
            max: 8,
        };
        for endian in BOTH {
            // Even with no input at all, the width is the error: more input would not help.
            for input in [&[][..], &[0u8; 32][..]] {
                let err = read_uint(input, w, endian).unwrap_err();
                assert_eq!(err.kind(), &want);
                assert!(!err.is_incomplete());
                assert_eq!(read_int(input, w, endian).unwrap_err().kind(), &want);
            }
            let mut out = [0x11u8; 32];
            assert_eq!(
                write_uint(0, w, endian, &mut out).unwrap_err().kind(),
                &want
            );
            assert_eq!(write_int(0, w, endian, &mut out).unwrap_err().kind(), &want);
            assert_eq!(
                write_uint(u64::MAX, w, endian, &mut []).unwrap_err().kind(),
                &want
            );
            assert_eq!(out, [0x11; 32]);
        }
    }
}

#[test]
fn odd_width_prefixes_and_short_outputs() {
    for w in 1..=8usize {
        for endian in BOTH {
            let mut full = [0u8; 8];
            write_uint(uint_max(w) / 3, w, endian, &mut full).unwrap();
            for len in 0..w {
                let want = ErrorKind::Incomplete {
                    offset: 0,
                    needed: w,
                    available: len,
                };
                let err = read_uint(&full[..len], w, endian).unwrap_err();
                assert_eq!(err.kind(), &want);
                assert_eq!(err.needed_more(), Some(w - len));
                assert_eq!(read_int(&full[..len], w, endian).unwrap_err().kind(), &want);

                let mut out = vec![0x33u8; len];
                let want = ErrorKind::BufferTooSmall {
                    needed: w,
                    available: len,
                };
                assert_eq!(
                    write_uint(1, w, endian, &mut out).unwrap_err().kind(),
                    &want
                );
                assert_eq!(
                    write_int(-1, w, endian, &mut out).unwrap_err().kind(),
                    &want
                );
                assert!(out.iter().all(|&b| b == 0x33));
            }
        }
    }
    // Out of range is reported before a short buffer: the value is the first thing wrong.
    let err = write_uint(256, 1, Endian::Big, &mut []).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::OutOfRange {
            value: 256,
            min: 0,
            max: 255
        }
    );
}

// ----- cross-checks against byteorder ----------------------------------------------------------

#[test]
fn byteorder_uint_int_table() {
    let mut values = vec![
        0u64,
        1,
        0x7f,
        0x80,
        0xff,
        0x100,
        0x0102_0304_0506_0708,
        u64::MAX,
    ];
    for w in 1..=8 {
        values.push(uint_max(w));
        values.push(uint_max(w) >> 1);
        values.push((uint_max(w) >> 1) + 1);
    }
    for &v in &values {
        for w in 1..=8usize {
            let v = v & uint_max(w);
            let mut ours = [0u8; 8];
            let mut theirs = [0u8; 8];
            write_uint(v, w, Endian::Big, &mut ours).unwrap();
            BigEndian::write_uint(&mut theirs, v, w);
            assert_eq!(ours[..w], theirs[..w]);
            assert_eq!(
                read_uint(&ours, w, Endian::Big).unwrap(),
                BigEndian::read_uint(&theirs, w)
            );
            assert_eq!(
                read_int(&ours, w, Endian::Big).unwrap(),
                BigEndian::read_int(&theirs, w)
            );
            write_uint(v, w, Endian::Little, &mut ours).unwrap();
            LittleEndian::write_uint(&mut theirs, v, w);
            assert_eq!(ours[..w], theirs[..w]);
            assert_eq!(
                read_uint(&ours, w, Endian::Little).unwrap(),
                LittleEndian::read_uint(&theirs, w)
            );
            assert_eq!(
                read_int(&ours, w, Endian::Little).unwrap(),
                LittleEndian::read_int(&theirs, w)
            );
        }
    }
}

/// Byte offsets 0..8 inside an over-allocated buffer, so the slices start unaligned.
const OFFSETS: std::ops::Range<usize> = 0..8;

macro_rules! bulk_cross_check {
    ($name:ident, $t:ty, $read_into:ident, $write_into:ident, $from_slice:ident) => {
        #[test]
        fn $name() {
            const SIZE: usize = std::mem::size_of::<$t>();
            for len in 0..=100usize {
                // Distinct, byte-asymmetric values.
                let values: Vec<$t> = (0..len)
                    .map(|i| (i as $t).wrapping_mul(0x0102_0304_0506_0708u64 as $t) ^ (0xa5 as $t))
                    .collect();
                for off in OFFSETS {
                    let mut backing = vec![0xeeu8; len * SIZE + off + 3];
                    let mut theirs = vec![0u8; len * SIZE];
                    for endian in BOTH {
                        let ours = &mut backing[off..off + len * SIZE];
                        assert_eq!(write_slice(&values, ours, endian).unwrap(), len * SIZE);
                        match endian {
                            Endian::Big => BigEndian::$write_into(&values, &mut theirs),
                            Endian::Little => LittleEndian::$write_into(&values, &mut theirs),
                        }
                        assert_eq!(&*ours, &theirs[..], "write len {len} off {off} {endian:?}");

                        let mut back = vec![0 as $t; len];
                        read_slice(ours, &mut back, endian).unwrap();
                        assert_eq!(back, values);
                        let mut theirs_back = vec![0 as $t; len];
                        match endian {
                            Endian::Big => BigEndian::$read_into(ours, &mut theirs_back),
                            Endian::Little => LittleEndian::$read_into(ours, &mut theirs_back),
                        }
                        assert_eq!(back, theirs_back);
                        // Bytes around the window are untouched.
                        assert!(backing[..off].iter().all(|&b| b == 0xee));
                        assert!(backing[off + len * SIZE..].iter().all(|&b| b == 0xee));
                    }
                }
                for endian in BOTH {
                    let mut ours = values.clone();
                    let mut theirs = values.clone();
                    convert_in_place(&mut ours, endian);
                    match endian {
                        Endian::Big => BigEndian::$from_slice(&mut theirs),
                        Endian::Little => LittleEndian::$from_slice(&mut theirs),
                    }
                    assert_eq!(ours, theirs, "in place len {len} {endian:?}");
                    convert_in_place(&mut ours, endian);
                    assert_eq!(ours, values);
                }
                let mut h = values.clone();
                hton_slice(&mut h);
                assert!(
                    h.iter()
                        .zip(&values)
                        .all(|(a, b)| a.to_ne_bytes() == b.to_be_bytes())
                );
                ntoh_slice(&mut h);
                assert_eq!(h, values);
            }
        }
    };
}

bulk_cross_check!(
    bulk_u16_vs_byteorder,
    u16,
    read_u16_into,
    write_u16_into,
    from_slice_u16
);
bulk_cross_check!(
    bulk_u32_vs_byteorder,
    u32,
    read_u32_into,
    write_u32_into,
    from_slice_u32
);
bulk_cross_check!(
    bulk_u64_vs_byteorder,
    u64,
    read_u64_into,
    write_u64_into,
    from_slice_u64
);
bulk_cross_check!(
    bulk_i32_vs_byteorder,
    i32,
    read_i32_into,
    write_i32_into,
    from_slice_i32
);

#[test]
fn bulk_f64_vs_byteorder() {
    let values: Vec<f64> = (0..50).map(|i| f64::from(i) * -1.25e300).collect();
    let mut ours = vec![0u8; values.len() * 8];
    let mut theirs = vec![0u8; values.len() * 8];
    write_slice(&values, &mut ours, Endian::Big).unwrap();
    BigEndian::write_f64_into(&values, &mut theirs);
    assert_eq!(ours, theirs);
    let mut back = vec![0f64; values.len()];
    read_slice(&ours, &mut back, Endian::Big).unwrap();
    assert_eq!(back, values);
}

#[test]
fn bulk_length_mismatch_leaves_buffers_intact() {
    for len in 0..=20usize {
        for delta in [-3isize, -1, 1, 4] {
            let Some(bytes_len) = (len * 4).checked_add_signed(delta) else {
                continue;
            };
            let mut out = vec![0x99u8; bytes_len];
            let values = vec![0x0102_0304u32; len];
            let err = write_slice(&values, &mut out, Endian::Big).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::LengthMismatch {
                    expected: len * 4,
                    actual: bytes_len
                }
            );
            assert!(out.iter().all(|&b| b == 0x99));

            let mut back = vec![7u32; len];
            let err = read_slice(&out, &mut back, Endian::Little).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::LengthMismatch {
                    expected: len * 4,
                    actual: bytes_len
                }
            );
            assert!(back.iter().all(|&v| v == 7));
        }
    }
    // Every primitive size, with one byte too many.
    let err = read_slice::<u128>(&[0; 17], &mut [0u128], Endian::Big).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 16,
            actual: 17
        }
    );
    let err = write_slice::<u8>(&[1, 2], &mut [0; 1], Endian::Big).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 2,
            actual: 1
        }
    );
}

// ----- Python's struct, an independent implementation -------------------------------------------

#[test]
fn python_struct_cross_check() {
    let script = r#"
import struct, sys
vals = [0x0102, 0x01020304, 0x0102030405060708, -2, -3, 1.5, -0.1, 0x0a0b0c]
for p in "!<":
    sys.stdout.write(struct.pack(p + "HIQhqdf", *vals[:7]).hex() + "\n")
sys.stdout.write(int.to_bytes(vals[7], 3, "big").hex() + "\n")
"#;
    let out = match std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
    {
        Ok(out) if out.status.success() => out,
        other => panic!("python3 is required for this cross-check: {other:?}"),
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for (line, endian) in lines.iter().zip(BOTH) {
        let mut buf = vec![0u8; 2 + 4 + 8 + 2 + 8 + 8 + 4];
        let mut at = 0;
        at += 0x0102u16.write(&mut buf[at..], endian).unwrap();
        at += 0x0102_0304u32.write(&mut buf[at..], endian).unwrap();
        at += 0x0102_0304_0506_0708u64
            .write(&mut buf[at..], endian)
            .unwrap();
        at += (-2i16).write(&mut buf[at..], endian).unwrap();
        at += (-3i64).write(&mut buf[at..], endian).unwrap();
        at += 1.5f64.write(&mut buf[at..], endian).unwrap();
        at += (-0.1f32).write(&mut buf[at..], endian).unwrap();
        assert_eq!(at, buf.len());
        assert_eq!(hex(&buf), *line, "{endian:?}");
    }
    let mut u24 = [0u8; 3];
    write_uint(0x0a0b0c, 3, Endian::Big, &mut u24).unwrap();
    assert_eq!(hex(&u24), lines[2]);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ----- properties ------------------------------------------------------------------------------

macro_rules! prop_round_trip {
    ($($name:ident: $t:ty),* $(,)?) => {
        proptest! {
            $(
                #[test]
                fn $name(v: $t, big: bool, extra in proptest::collection::vec(any::<u8>(), 0..4)) {
                    let endian = if big { Endian::Big } else { Endian::Little };
                    let mut buf = vec![0u8; <$t as NetOrder>::SIZE];
                    buf.extend_from_slice(&extra);
                    prop_assert_eq!(v.write(&mut buf, endian).unwrap(), <$t as NetOrder>::SIZE);
                    let std_bytes = if big { v.to_be_bytes() } else { v.to_le_bytes() };
                    prop_assert_eq!(&buf[..<$t as NetOrder>::SIZE], &std_bytes[..]);
                    prop_assert_eq!(&buf[<$t as NetOrder>::SIZE..], &extra[..]);
                    let back = <$t>::read(&buf, endian).unwrap();
                    prop_assert_eq!(back.to_bits_like(), v.to_bits_like());
                    prop_assert_eq!(<$t>::from_bytes(v.to_bytes(endian), endian).to_bits_like(), v.to_bits_like());
                }
            )*
        }
    };
}

/// Compare floats by bits so NaN round trips count.
trait BitsLike {
    fn to_bits_like(self) -> u128;
}
macro_rules! bits_like_int {
    ($($t:ty),*) => {$(impl BitsLike for $t { fn to_bits_like(self) -> u128 { self as u128 } })*};
}
bits_like_int!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128);
impl BitsLike for f32 {
    fn to_bits_like(self) -> u128 {
        u128::from(self.to_bits())
    }
}
impl BitsLike for f64 {
    fn to_bits_like(self) -> u128 {
        u128::from(self.to_bits())
    }
}

prop_round_trip!(
    rt_u8: u8, rt_u16: u16, rt_u32: u32, rt_u64: u64, rt_u128: u128,
    rt_i8: i8, rt_i16: i16, rt_i32: i32, rt_i64: i64, rt_i128: i128,
    rt_f32: f32, rt_f64: f64,
);

proptest! {
    #[test]
    fn rt_f32_any_bits(bits: u32, big: bool) {
        let endian = if big { Endian::Big } else { Endian::Little };
        let v = f32::from_bits(bits);
        prop_assert_eq!(f32::read(&v.to_bytes(endian), endian).unwrap().to_bits(), bits);
    }

    #[test]
    fn rt_f64_any_bits(bits: u64, big: bool) {
        let endian = if big { Endian::Big } else { Endian::Little };
        let v = f64::from_bits(bits);
        prop_assert_eq!(f64::read(&v.to_bytes(endian), endian).unwrap().to_bits(), bits);
    }

    #[test]
    fn rt_uint_widths(raw: u64, w in 1usize..=8, big: bool) {
        let endian = if big { Endian::Big } else { Endian::Little };
        let v = raw & uint_max(w);
        let mut out = [0u8; 8];
        prop_assert_eq!(write_uint(v, w, endian, &mut out).unwrap(), w);
        prop_assert_eq!(read_uint(&out, w, endian).unwrap(), v);
        // Same bytes as the full u64's low/high end, and as byteorder.
        let full = v.to_bytes(endian);
        let want = if big { &full[8 - w..] } else { &full[..w] };
        prop_assert_eq!(&out[..w], want);
        let mut theirs = [0u8; 8];
        if big { BigEndian::write_uint(&mut theirs, v, w) } else { LittleEndian::write_uint(&mut theirs, v, w) }
        prop_assert_eq!(&out[..w], &theirs[..w]);
        // Anything above the width's max is OutOfRange.
        if raw > uint_max(w) {
            let err = write_uint(raw, w, endian, &mut out).unwrap_err();
            prop_assert_eq!(
                err.kind(),
                &ErrorKind::OutOfRange { value: i128::from(raw), min: 0, max: i128::from(uint_max(w)) }
            );
        }
    }

    #[test]
    fn rt_int_widths(raw: i64, w in 1usize..=8, big: bool) {
        let endian = if big { Endian::Big } else { Endian::Little };
        let shift = 64 - 8 * w as u32;
        let v = (raw << shift) >> shift; // raw truncated to w bytes, sign-extended
        let mut out = [0u8; 8];
        prop_assert_eq!(write_int(v, w, endian, &mut out).unwrap(), w);
        prop_assert_eq!(read_int(&out, w, endian).unwrap(), v);
        let mut theirs = [0u8; 8];
        if big { BigEndian::write_int(&mut theirs, v, w) } else { LittleEndian::write_int(&mut theirs, v, w) }
        prop_assert_eq!(&out[..w], &theirs[..w]);
        if raw != v {
            let err = write_int(raw, w, endian, &mut out).unwrap_err();
            let max = (uint_max(w) >> 1) as i64;
            prop_assert_eq!(
                err.kind(),
                &ErrorKind::OutOfRange { value: i128::from(raw), min: -i128::from(max) - 1, max: i128::from(max) }
            );
        }
    }

    #[test]
    fn read_uint_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..12), w in 0usize..12, big: bool) {
        let endian = if big { Endian::Big } else { Endian::Little };
        match read_uint(&bytes, w, endian) {
            Ok(v) => {
                prop_assert!((1..=8).contains(&w) && bytes.len() >= w);
                let mut out = [0u8; 8];
                write_uint(v, w, endian, &mut out).unwrap();
                prop_assert_eq!(&out[..w], &bytes[..w]);
            }
            Err(e) if (1..=8).contains(&w) => prop_assert_eq!(
                e.kind(), &ErrorKind::Incomplete { offset: 0, needed: w, available: bytes.len() }
            ),
            Err(e) => prop_assert_eq!(e.kind(), &ErrorKind::InvalidWidth { width: w, min: 1, max: 8 }),
        }
    }

    #[test]
    fn bulk_u32_round_trip(values in proptest::collection::vec(any::<u32>(), 0..64), off in 0usize..8, big: bool) {
        let endian = if big { Endian::Big } else { Endian::Little };
        let mut backing = vec![0u8; values.len() * 4 + off];
        let bytes = &mut backing[off..];
        write_slice(&values, bytes, endian).unwrap();
        for (chunk, v) in bytes.chunks_exact(4).zip(&values) {
            prop_assert_eq!(chunk, &v.to_bytes(endian)[..]);
        }
        let mut back = vec![0u32; values.len()];
        read_slice(bytes, &mut back, endian).unwrap();
        prop_assert_eq!(&back, &values);
        let mut swapped = values.clone();
        convert_in_place(&mut swapped, endian);
        for (s, v) in swapped.iter().zip(&values) {
            prop_assert_eq!(s.to_ne_bytes(), v.to_bytes(endian));
        }
    }
}

/// `read_uint` has a whole-word path (8 or more readable bytes) and a copy path (fewer): both
/// must agree with byteorder for every width, both byte orders, and every buffer length from
/// `width` to 16 (regression guard for the fast path added to speed up narrow widths).
#[test]
fn read_uint_word_and_copy_paths_agree_with_byteorder() {
    use byteorder::ByteOrder;
    let data: Vec<u8> = (0u8..16)
        .map(|i| i.wrapping_mul(37).wrapping_add(0xa5))
        .collect();
    for width in 1..=8usize {
        for len in width..=16 {
            let bytes = &data[..len];
            assert_eq!(
                netorder::read_uint(bytes, width, netorder::Endian::Big).unwrap(),
                byteorder::BigEndian::read_uint(bytes, width),
                "big, width {width}, len {len}"
            );
            assert_eq!(
                netorder::read_uint(bytes, width, netorder::Endian::Little).unwrap(),
                byteorder::LittleEndian::read_uint(bytes, width),
                "little, width {width}, len {len}"
            );
        }
    }
}
