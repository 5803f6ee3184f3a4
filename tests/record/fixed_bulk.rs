//! `record::fixed::write_slice` and `read_slice` (many records at once) against
//! `fixed::to_slice` and `fixed::from_bytes` record by record, and the serde path: the same
//! bytes, the same values (floats bit for bit), every wrong length refused, every invalid byte
//! reported where it is (offset in the whole input, the record's index in the path), the first
//! one when there are several, and `out` untouched on every error.

use netorder::record::{self, FixedRecord, fixed};
use netorder::{Error, ErrorKind};
use netorder_support::mesh::{TRIANGLE_SIZE, Triangle, Vector3, mesh};
use netorder_support::rec::{REC, Rec, SIZE};
use proptest::prelude::*;

/// Every record encoded with `fixed::to_slice`, one after the other.
fn one_by_one<T: FixedRecord>(values: &[T]) -> Vec<u8> {
    let mut out = vec![0u8; values.len() * T::SIZE];
    for (v, chunk) in values.iter().zip(out.chunks_exact_mut(T::SIZE.max(1))) {
        fixed::to_slice(v, chunk).unwrap();
    }
    out
}

/// The bits of a triangle's floats (NaN payloads compared exactly).
fn bits(t: &Triangle) -> [u32; 12] {
    let v = [t.v0, t.v1, t.v2, t.normal];
    std::array::from_fn(|i| {
        let Vector3 { x, y, z } = v[i / 3];
        [x, y, z][i % 3].to_bits()
    })
}

fn triangle() -> impl Strategy<Value = Triangle> {
    any::<[u32; 12]>().prop_map(|b| {
        let f = |i: usize| f32::from_bits(b[i]);
        let v = |i| Vector3 {
            x: f(i),
            y: f(i + 1),
            z: f(i + 2),
        };
        Triangle {
            v0: v(0),
            v1: v(3),
            v2: v(6),
            normal: v(9),
        }
    })
}

fn rec() -> impl Strategy<Value = Rec> {
    (
        any::<(u16, u32, u64, f64, bool)>(),
        any::<([u8; 4], i32, u16)>(),
    )
        .prop_map(|((port, seq, id, value, up), (addr, delta, flags))| Rec {
            port,
            seq,
            id,
            value,
            up,
            addr,
            delta,
            flags,
        })
}

/// Floats compared by their bits.
fn same_rec(a: &Rec, b: &Rec) -> bool {
    a.value.to_bits() == b.value.to_bits() && Rec { value: 0.0, ..*a } == Rec { value: 0.0, ..*b }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn meshes_match_record_by_record(triangles in prop::collection::vec(triangle(), 0..300)) {
        let mut wire = vec![0xeeu8; triangles.len() * TRIANGLE_SIZE];
        prop_assert_eq!(fixed::write_slice(&triangles, &mut wire).unwrap(), wire.len());
        prop_assert_eq!(&wire, &one_by_one(&triangles));
        // The serde path writes the same bytes (a Vec's length aside).
        let serde_bytes = record::to_vec(&triangles).unwrap();
        prop_assert_eq!(&serde_bytes[8..], &wire[..]);

        let mut back = vec![Triangle::default(); triangles.len()];
        fixed::read_slice(&wire, &mut back).unwrap();
        for ((got, want), bytes) in back.iter().zip(&triangles).zip(wire.chunks_exact(TRIANGLE_SIZE)) {
            prop_assert_eq!(bits(got), bits(want));
            prop_assert_eq!(bits(&fixed::from_bytes::<Triangle>(bytes).unwrap()), bits(want));
        }
    }

    #[test]
    fn mixed_records_match_record_by_record(recs in prop::collection::vec(rec(), 0..200)) {
        let mut wire = vec![0u8; recs.len() * SIZE];
        fixed::write_slice(&recs, &mut wire).unwrap();
        prop_assert_eq!(&wire, &one_by_one(&recs));
        let mut back = vec![REC; recs.len()];
        fixed::read_slice(&wire, &mut back).unwrap();
        for (got, want) in back.iter().zip(&recs) {
            prop_assert!(same_rec(got, want));
        }
    }

    /// Any bytes: `read_slice` accepts exactly when every record decodes alone, and reports
    /// the first record's error, shifted to its place and with its index in the path.
    #[test]
    fn any_bytes_decode_as_record_by_record(
        bytes in prop::collection::vec(prop_oneof![0u8..=2, any::<u8>()], 0..8 * SIZE),
    ) {
        let n = bytes.len() / SIZE;
        let bytes = &bytes[..n * SIZE];
        let mut out = vec![REC; n];
        let result = fixed::read_slice(bytes, &mut out);
        let first_bad = bytes
            .chunks_exact(SIZE)
            .enumerate()
            .find_map(|(i, b)| fixed::from_bytes::<Rec>(b).err().map(|e| (i, e)));
        match (result, first_bad) {
            (Ok(()), None) => {
                for (got, b) in out.iter().zip(bytes.chunks_exact(SIZE)) {
                    prop_assert!(same_rec(got, &fixed::from_bytes(b).unwrap()));
                }
            }
            (Err(e), Some((i, alone))) => {
                let path = format!("[{i}].{}", alone.field().unwrap());
                let shifted = alone.offset_by(i * SIZE);
                prop_assert_eq!(e.kind(), shifted.kind());
                prop_assert_eq!(e.field(), Some(path.as_str()));
                prop_assert!(out.iter().all(|r| same_rec(r, &REC)), "out untouched");
            }
            (result, first_bad) => prop_assert!(false, "{result:?} vs {first_bad:?}"),
        }
    }
}

#[test]
fn every_bad_bool_is_found_where_it_is() {
    let recs = vec![REC; 9];
    let mut wire = vec![0u8; recs.len() * SIZE];
    fixed::write_slice(&recs, &mut wire).unwrap();
    for i in 0..recs.len() {
        for byte in [2u8, 0x7f, 0x80, 0xff] {
            let mut bad = wire.clone();
            bad[i * SIZE + 22] = byte;
            // A second bad bool after it: the first one is reported.
            if i + 1 < recs.len() {
                bad[(i + 1) * SIZE + 22] = 9;
            }
            let mut out = vec![Rec { up: false, ..REC }; recs.len()];
            let before = out.clone();
            let err = fixed::read_slice(&bad, &mut out).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::InvalidBool {
                    offset: i * SIZE + 22,
                    byte
                }
            );
            let path = format!("[{i}].up");
            assert_eq!(err.field(), Some(path.as_str()));
            assert_eq!(out, before, "out untouched");
        }
    }
}

#[test]
fn every_wrong_length_is_refused_and_nothing_written() {
    let triangles = mesh(5);
    let exact = triangles.len() * TRIANGLE_SIZE;
    let wire = {
        let mut w = vec![0u8; exact];
        fixed::write_slice(&triangles, &mut w).unwrap();
        w
    };
    for len in (0..=exact + 2 * TRIANGLE_SIZE).filter(|&l| l != exact) {
        let mut out = vec![0xabu8; len];
        let err = fixed::write_slice(&triangles, &mut out).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthMismatch {
                expected: exact,
                actual: len
            }
        );
        assert!(out.iter().all(|&b| b == 0xab), "out untouched at {len}");

        let mut bytes = wire.clone();
        bytes.resize(len, 0);
        let mut back = vec![Triangle::default(); triangles.len()];
        let err = fixed::read_slice(&bytes, &mut back).unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::LengthMismatch {
                expected: exact,
                actual: len
            }
        );
        assert!(
            back.iter().all(|t| *t == Triangle::default()),
            "out untouched at {len}"
        );
    }
    // Nothing at all is exactly nothing.
    assert_eq!(fixed::write_slice::<Triangle>(&[], &mut []).unwrap(), 0);
    fixed::read_slice::<Triangle>(&[], &mut []).unwrap();
}

/// Zero-sized records: no bytes, any count.
#[test]
fn zero_sized_records_take_no_bytes() {
    #[derive(FixedRecord, Debug, PartialEq, Clone, Copy, Default)]
    struct Nothing;
    let mut out = [Nothing; 4];
    assert_eq!(fixed::write_slice(&out, &mut []).unwrap(), 0);
    fixed::read_slice(&[], &mut out).unwrap();
    let err = fixed::read_slice(&[0], &mut out).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::LengthMismatch {
            expected: 0,
            actual: 1
        }
    );
}

/// Records of every width and shape: arrays, tuples, 16-byte integers, bytes, bools.
#[test]
fn every_width_matches_record_by_record() {
    fn check<T: FixedRecord + Copy + std::fmt::Debug + PartialEq>(values: &[T], zero: T) {
        let mut wire = vec![0u8; values.len() * T::SIZE];
        fixed::write_slice(values, &mut wire).unwrap();
        assert_eq!(wire, one_by_one(values), "{values:?}");
        let mut back = vec![zero; values.len()];
        fixed::read_slice(&wire, &mut back).unwrap();
        assert_eq!(back, values);
    }
    let n = 37u64;
    check(&(0..n).map(|i| i as u8).collect::<Vec<_>>(), 0);
    check(&(0..n).map(|i| (i * 0x0101) as u16).collect::<Vec<_>>(), 0);
    check(
        &(0..n)
            .map(|i| [i as u32, !(i as u32), 7])
            .collect::<Vec<_>>(),
        [0; 3],
    );
    check(
        &(0..n).map(|i| (i, i as i64 - 5)).collect::<Vec<_>>(),
        (0, 0),
    );
    check(
        &(0..n).map(|i| u128::from(i) << 100 | 3).collect::<Vec<_>>(),
        0,
    );
    check(
        &(0..n).map(|i| (i as u16, i % 2 == 0)).collect::<Vec<_>>(),
        (0, false),
    );
    check(&(0..n).map(|i| [i as u8; 5]).collect::<Vec<_>>(), [0; 5]);
}

/// A record that does not fit its bit fields: refused with its index, nothing written.
#[test]
fn bit_fields_out_of_range_name_the_record() {
    #[derive(FixedRecord, Debug, PartialEq, Clone, Copy)]
    struct Nibbles {
        #[netorder(bits = 4)]
        high: u8,
        #[netorder(bits = 4)]
        low: u8,
    }
    let mut values = vec![Nibbles { high: 1, low: 2 }; 6];
    values[4].low = 16;
    let mut out = [0xabu8; 6];
    let err: Error = fixed::write_slice(&values, &mut out).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::BitsOutOfRange { value: 16, bits: 4 }
    );
    assert_eq!(err.field(), Some("[4].low"));
    assert_eq!(out, [0xab; 6]);
    values[4].low = 15;
    fixed::write_slice(&values, &mut out).unwrap();
    assert_eq!(out, [0x12, 0x12, 0x12, 0x12, 0x1f, 0x12]);
    let mut back = vec![Nibbles { high: 0, low: 0 }; 6];
    fixed::read_slice(&out, &mut back).unwrap();
    assert_eq!(back, values);
}
