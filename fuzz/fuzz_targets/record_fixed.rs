//! `#[derive(FixedRecord)]`'s decoder against the serde path on arbitrary bytes: the same
//! value (re-encoded by both paths to the same bytes) or the same error, the length checked
//! first for the whole record. The first input byte picks the record type; `take_from_bytes`
//! must agree with `from_bytes` on the record's prefix, and `read_slice`/`write_slice` (all
//! the whole records of the input at once) with `from_bytes`/`to_vec` record by record.
#![no_main]

netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::record::{self, FixedRecord, fixed};
use netorder::{Error, ErrorKind};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Flag {
    on: bool,
    level: i8,
}

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Wide {
    head: (u8, bool),
    flags: [Flag; 3],
    pair: (u16, [bool; 2]),
    wide: (u128, i128),
    small: f32,
    big: f64,
    r#type: bool,
}

/// The benches' 33-byte record and its hand-written decoder.
use netorder_support::rec;
use rec::Rec;

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Bools([[bool; 3]; 4]);

/// serde's renames and `transparent` (error paths), a unit struct between bools, a packed
/// struct, and a struct in an array in a tuple in newtypes.
#[derive(Serialize, Deserialize, FixedRecord, Debug)]
#[serde(rename_all = "camelCase")]
struct Renamed {
    is_up: bool,
    #[serde(rename = "Inner")]
    inner_deep: Deep,
    tail_end: [(Marker, bool); 2],
    packed: Transparent,
}

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Marker;

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Deep(u8, Inner, (Wrap, [Flag; 2]));

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Inner([Wrap; 2]);

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
struct Wrap((Flag, [Flag; 1]));

#[derive(Serialize, Deserialize, FixedRecord, Debug, Clone, Copy)]
#[repr(C, packed)]
struct Packed {
    a: u8,
    b: u32,
    up: bool,
    t: (i16, bool),
}

#[derive(Serialize, Deserialize, FixedRecord, Debug)]
#[serde(transparent)]
struct Transparent {
    inner: [Packed; 2],
}

/// What the fixed path must answer, from the serde path's answer.
fn expected<T: FixedRecord + DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.len() < T::SIZE {
        return Err(Error::new(ErrorKind::Incomplete {
            offset: 0,
            needed: T::SIZE,
            available: bytes.len(),
        }));
    }
    if bytes.len() > T::SIZE {
        return Err(Error::new(ErrorKind::TrailingBytes {
            offset: T::SIZE,
            remaining: bytes.len() - T::SIZE,
        }));
    }
    record::from_bytes(bytes)
}

fn check<T: FixedRecord + Serialize + DeserializeOwned + std::fmt::Debug>(data: &[u8]) {
    match (fixed::from_bytes::<T>(data), expected::<T>(data)) {
        (Ok(a), Ok(b)) => {
            assert_eq!(fixed::to_vec(&a).unwrap(), data);
            assert_eq!(record::to_vec(&b).unwrap(), data);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("fixed {a:?} vs serde {b:?}"),
    }
    match fixed::take_from_bytes::<T>(data) {
        Ok((v, used)) => {
            assert_eq!(used, T::SIZE);
            assert_eq!(fixed::to_vec(&v).unwrap(), &data[..used]);
        }
        Err(e) if data.len() < T::SIZE => assert_eq!(e.needed_more(), Some(T::SIZE - data.len())),
        Err(e) => assert_eq!(Some(e), fixed::from_bytes::<T>(&data[..T::SIZE]).err()),
    }
    check_bulk::<T>(data);
}

/// The whole records of `data` at once: the first record that fails alone fails the slice,
/// at its place and with its index in the path, and nothing is written; otherwise the same
/// values, which encode back to the same bytes.
fn check_bulk<T: FixedRecord + std::fmt::Debug>(data: &[u8]) {
    if T::SIZE == 0 {
        return;
    }
    let n = data.len() / T::SIZE;
    let bytes = &data[..n * T::SIZE];
    let blank = || fixed::from_bytes::<T>(&vec![0; T::SIZE]).expect("zeros are a record");
    let mut out: Vec<T> = (0..n).map(|_| blank()).collect();
    let first_bad = bytes
        .chunks_exact(T::SIZE)
        .enumerate()
        .find_map(|(i, b)| fixed::from_bytes::<T>(b).err().map(|e| (i, e)));
    match (fixed::read_slice(bytes, &mut out), first_bad) {
        (Ok(()), None) => {
            let mut again = vec![0u8; bytes.len()];
            assert_eq!(fixed::write_slice(&out, &mut again), Ok(bytes.len()));
            assert_eq!(again, bytes);
        }
        (Err(e), Some((i, alone))) => {
            let shifted = alone.clone().offset_by(i * T::SIZE);
            assert_eq!(e.kind(), shifted.kind());
            let path = match alone.field() {
                Some(f) if f.starts_with('[') => format!("[{i}]{f}"),
                Some(f) => format!("[{i}].{f}"),
                None => format!("[{i}]"),
            };
            assert_eq!(e.field(), Some(path.as_str()));
            let zeros = vec![0u8; bytes.len()];
            let mut written = vec![0u8; bytes.len()];
            fixed::write_slice(&out, &mut written).expect("blank records encode");
            assert_eq!(written, zeros, "out untouched");
        }
        (got, want) => panic!("read_slice {got:?} vs record by record {want:?}"),
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    match selector % 6 {
        0 => {
            check::<Rec>(data);
            // The hand-written decoder accepts exactly what the derive accepts.
            let hand = rec::hand_decode(data).map(|r| fixed::to_vec(&r).unwrap());
            let derived = fixed::from_bytes::<Rec>(data)
                .ok()
                .map(|r| fixed::to_vec(&r).unwrap());
            assert_eq!(hand, derived);
        }
        1 => check::<Wide>(data),
        2 => check::<Bools>(data),
        3 => check::<Renamed>(data),
        4 => check::<Deep>(data),
        _ => check::<(bool, [Flag; 2], u32)>(data),
    }
});
