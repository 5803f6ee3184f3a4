//! Reads every primitive in both orders, and `read_uint`/`read_int` at every width (and a few
//! invalid ones), from fuzzed bytes. Nothing may panic; every successful read must write back
//! exactly the bytes it consumed; every failure must carry the exact counts; the bulk reader
//! must agree with the scalar one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netorder::{
    Endian, ErrorKind, NetOrder, read_int, read_slice, read_uint, write_int, write_uint,
};

netorder_fuzz::install_capped_allocator!();

const BOTH: [Endian; 2] = [Endian::Big, Endian::Little];

/// Reads a `T` at the start of `data` and checks the round trip or the error's numbers.
fn check<T: NetOrder>(data: &[u8]) {
    for endian in BOTH {
        match T::read(data, endian) {
            Ok(v) => {
                assert!(data.len() >= T::SIZE);
                let mut out = [0u8; 16];
                assert_eq!(v.write(&mut out, endian).unwrap(), T::SIZE);
                assert_eq!(&out[..T::SIZE], &data[..T::SIZE]);
                assert_eq!(v.to_bytes(endian).as_ref(), &data[..T::SIZE]);
            }
            Err(e) => {
                assert!(data.len() < T::SIZE);
                assert_eq!(
                    e.kind(),
                    &ErrorKind::Incomplete {
                        offset: 0,
                        needed: T::SIZE,
                        available: data.len()
                    }
                );
            }
        }
        // The bulk reader over as many whole values as there are agrees value for value.
        let n = (data.len() / T::SIZE).min(64);
        let bytes = &data[..n * T::SIZE];
        let mut values = [T::from_bytes(T::Bytes::default(), endian); 64];
        read_slice(bytes, &mut values[..n], endian).unwrap();
        for (v, chunk) in values[..n].iter().zip(bytes.chunks_exact(T::SIZE)) {
            assert_eq!(v.to_bytes(endian).as_ref(), chunk);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check::<u8>(data);
    check::<u16>(data);
    check::<u32>(data);
    check::<u64>(data);
    check::<u128>(data);
    check::<i8>(data);
    check::<i16>(data);
    check::<i32>(data);
    check::<i64>(data);
    check::<i128>(data);
    check::<f32>(data);
    check::<f64>(data);

    for width in 0..=9usize {
        for endian in BOTH {
            let (u, i) = (
                read_uint(data, width, endian),
                read_int(data, width, endian),
            );
            match (u, i) {
                (Ok(u), Ok(i)) => {
                    let mut out = [0u8; 8];
                    assert_eq!(write_uint(u, width, endian, &mut out).unwrap(), width);
                    assert_eq!(&out[..width], &data[..width]);
                    assert_eq!(write_int(i, width, endian, &mut out).unwrap(), width);
                    assert_eq!(&out[..width], &data[..width]);
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b);
                    let want = if (1..=8).contains(&width) {
                        ErrorKind::Incomplete {
                            offset: 0,
                            needed: width,
                            available: data.len(),
                        }
                    } else {
                        ErrorKind::InvalidWidth {
                            width,
                            min: 1,
                            max: 8,
                        }
                    };
                    assert_eq!(a.kind(), &want);
                }
                (u, i) => panic!("read_uint {u:?} and read_int {i:?} disagree"),
            }
        }
    }
});
