//! A flat fixed-size record (integers, floats, bools, byte arrays — what Python's `struct`
//! describes) decoded from arbitrary bytes, cross-checked against `Layout::of` for the same
//! type: both accept exactly the inputs of the right size with valid bools, the values agree
//! field for field, and decode → encode gives back the bytes. Short input is incomplete with
//! the exact counts; long input is trailing bytes at the record size.
#![no_main]
netorder_fuzz::install_capped_allocator!();

use libfuzzer_sys::fuzz_target;
use netorder::{ErrorKind, Layout, Value};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Flat {
    kind: u8,
    flags: i8,
    port: u16,
    delta: i16,
    addr: u32,
    offset: i32,
    seq: u64,
    stamp: i64,
    ratio: f32,
    mean: f64,
    ok: bool,
    tag: [u8; 4],
}

fn agree(v: &Flat, values: &[Value]) {
    let f32_bits = |x: &Value| match x {
        Value::Float(f) => *f,
        other => panic!("{other:?}"),
    };
    assert_eq!(values.len(), 12);
    assert_eq!(values[0], Value::Int(i128::from(v.kind)));
    assert_eq!(values[1], Value::Int(i128::from(v.flags)));
    assert_eq!(values[2], Value::Int(i128::from(v.port)));
    assert_eq!(values[3], Value::Int(i128::from(v.delta)));
    assert_eq!(values[4], Value::Int(i128::from(v.addr)));
    assert_eq!(values[5], Value::Int(i128::from(v.offset)));
    assert_eq!(values[6], Value::Int(i128::from(v.seq)));
    assert_eq!(values[7], Value::Int(i128::from(v.stamp)));
    assert_eq!(f32_bits(&values[8]).to_bits(), f64::from(v.ratio).to_bits());
    assert_eq!(f32_bits(&values[9]).to_bits(), v.mean.to_bits());
    assert_eq!(values[10], Value::Bool(v.ok));
    assert_eq!(values[11], Value::Bytes(v.tag.to_vec()));
}

/// Built once: the layout of `Flat` and its size (the same by both paths, checked once).
static LAYOUT: LazyLock<(Layout, usize)> = LazyLock::new(|| {
    let layout = Layout::of::<Flat>().expect("a flat record has a layout");
    let size = netorder::record_size::<Flat>().expect("a flat record has a size");
    assert_eq!(layout.size(), size);
    assert_eq!(size, SIZE);
    (layout, size)
});

/// The encoded size of `Flat`.
const SIZE: usize = 47;

fuzz_target!(|data: &[u8]| {
    let (layout, size) = (&LAYOUT.0, LAYOUT.1);
    let decoded = netorder::from_bytes::<Flat>(data);
    let unpacked = layout.unpack(data);
    match (&decoded, &unpacked) {
        (Ok(v), Ok(values)) => {
            assert_eq!(data.len(), size);
            agree(v, values);
            let mut again = [0u8; SIZE];
            assert_eq!(netorder::to_slice(v, &mut again).unwrap(), size);
            assert_eq!(again, data);
            // `struct` packs an `f` NaN quieted (as CPython does); otherwise the same bytes.
            let mut want = again;
            if v.ratio.is_nan() {
                let bits = v.ratio.to_bits() | 0x0040_0000;
                want[30..34].copy_from_slice(&bits.to_be_bytes());
            }
            assert_eq!(layout.pack(values).unwrap(), want);
        }
        (Err(e), _) => match *e.kind() {
            ErrorKind::Incomplete {
                needed, available, ..
            } => assert!(data.len() < size && available < needed),
            ErrorKind::TrailingBytes { offset, remaining } => {
                assert_eq!((offset, remaining), (size, data.len() - size));
                assert!(unpacked.is_err());
            }
            ErrorKind::InvalidBool {
                offset,
                byte: found,
            } => {
                assert_eq!(offset, 42);
                assert_eq!(data[offset], found);
                assert!(found > 1);
                // `struct` reads any nonzero `?` byte as true: Layout accepts what serde refuses.
                if data.len() == size {
                    let values = unpacked.as_ref().expect("Layout reads any bool byte");
                    assert_eq!(values[10], Value::Bool(true));
                }
            }
            ref other => panic!("unexpected {other:?}"),
        },
        (Ok(_), Err(e)) => panic!("serde accepted what Layout refused: {e}"),
    }
});
