//! Layer 3's two halves agree: for every fixed-size serde type, the record encoder
//! (`to_vec`/`record_size`), the schema (`Layout::of`, `struct_format`, `Layout::parse`,
//! `Layout::pack`/`unpack`) and Python's `struct` describe the same bytes.

use netorder_support as common;

use netorder::{Layout, Value, from_bytes, record_size, to_vec};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    version: u8,
    flags: u16,
    len: u32,
    seq: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reading {
    header: Header,
    sensor: i16,
    value: f64,
    scale: f32,
    ok: bool,
    tag: [u8; 4],
    delta: i64,
    pair: (i8, u8),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Port(u16);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Unit;

fn reading() -> impl Strategy<Value = Reading> {
    (
        (any::<u8>(), any::<u16>(), any::<u32>(), any::<u64>()),
        (any::<i16>(), any::<f64>(), any::<f32>(), any::<bool>()),
        (any::<[u8; 4]>(), any::<i64>(), any::<(i8, u8)>()),
    )
        .prop_map(
            |((version, flags, len, seq), (sensor, value, scale, ok), (tag, delta, pair))| {
                Reading {
                    header: Header {
                        version,
                        flags,
                        len,
                        seq,
                    },
                    sensor,
                    value,
                    scale,
                    ok,
                    tag,
                    delta,
                    pair,
                }
            },
        )
}

/// `record_size`, `Layout::of(..).size()` and the size of the re-parsed `struct_format` agree.
fn sizes_agree<T: DeserializeOwned>(expected_format: &str) {
    let layout = Layout::of::<T>().unwrap();
    assert_eq!(layout.struct_format(), expected_format);
    let size = record_size::<T>().unwrap();
    assert_eq!(layout.size(), size, "{expected_format}");
    assert_eq!(Layout::parse(&layout.struct_format()).unwrap().size(), size);
}

#[test]
fn record_size_equals_layout_size_for_fixed_size_types() {
    sizes_agree::<Header>("!BHIQ");
    sizes_agree::<Reading>("!BHIQhdf?4sqbB");
    sizes_agree::<Port>("!H");
    sizes_agree::<(u32, [u8; 3], bool)>("!I3s?");
    sizes_agree::<[u16; 5]>("!HHHHH");
    sizes_agree::<Unit>("!");
}

/// The values a `Layout::of::<Reading>()` unpack gives, built from the struct.
fn as_values(r: &Reading) -> Vec<Value> {
    vec![
        Value::Int(r.header.version.into()),
        Value::Int(r.header.flags.into()),
        Value::Int(r.header.len.into()),
        Value::Int(r.header.seq.into()),
        Value::Int(r.sensor.into()),
        Value::Float(r.value),
        Value::Float(r.scale.into()),
        Value::Bool(r.ok),
        Value::Bytes(r.tag.to_vec()),
        Value::Int(r.delta.into()),
        Value::Int(r.pair.0.into()),
        Value::Int(r.pair.1.into()),
    ]
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// serde encoding == Layout packing of the same fields, and each decodes the other's bytes.
    #[test]
    fn serde_records_and_layout_pack_the_same_bytes(r in reading()) {
        let layout = Layout::of::<Reading>().unwrap();
        let bytes = to_vec(&r).unwrap();
        prop_assert_eq!(bytes.len(), record_size::<Reading>().unwrap());
        let packed = layout.pack(&as_values(&r)).unwrap();
        prop_assert_eq!(&packed, &bytes);
        let unpacked = layout.unpack(&bytes).unwrap();
        let expected = as_values(&r);
        prop_assert_eq!(unpacked.len(), expected.len());
        for (u, e) in unpacked.iter().zip(&expected) {
            prop_assert!(same_value(u, e), "{:?} != {:?}", u, e);
        }
        let back: Reading = from_bytes(&packed).unwrap();
        prop_assert_eq!(to_vec(&back).unwrap(), bytes);
    }
}

/// Python's `struct.pack` with the format `Layout::of` derives writes the bytes `to_vec` writes.
#[test]
fn python_struct_packs_what_to_vec_writes() {
    let format = Layout::of::<Reading>().unwrap().struct_format();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let records: Vec<Reading> = (0..200)
        .map(|_| reading().new_tree(&mut runner).unwrap().current())
        // Python's float round trip may quieten a signalling NaN's payload: keep floats numbers.
        .map(|mut r: Reading| {
            if r.value.is_nan() {
                r.value = -0.0;
            }
            if r.scale.is_nan() {
                r.scale = f32::INFINITY;
            }
            r
        })
        .collect();
    // One python3 process: each line is the record's hex; python unpacks with the derived format
    // and packs again, and prints the hex; both must equal netorder's bytes.
    let script = format!(
        "import struct, sys\nfmt = {format:?}\nfor line in sys.stdin:\n    b = bytes.fromhex(line.strip())\n    v = struct.unpack(fmt, b)\n    print(struct.pack(fmt, *v).hex(), struct.calcsize(fmt))\n"
    );
    let mut input = String::new();
    let mut expected = Vec::new();
    for r in &records {
        let hex: String = to_vec(r)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        input.push_str(&hex);
        input.push('\n');
        expected.push(format!("{hex} {}", record_size::<Reading>().unwrap()));
    }
    let got = common::python_lines(&["-c", &script], &input);
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);
}
