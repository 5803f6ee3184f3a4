//! Layer 3's two halves agree: for every fixed-size serde type, the record encoder
//! (`to_vec`/`record_size`), the schema (`Layout::of`, `struct_format`, `Layout::parse`,
//! `Layout::pack`/`unpack`) and Python's `struct` describe the same bytes. Python packs the
//! Rust values themselves (sent as text), so its bytes do not start from netorder's.

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

/// The fields of `r` as text tokens, one per `struct` value, in format order: integers in
/// decimal, floats in Rust's shortest round-trip form (`f32` widened to `f64` exactly), bools
/// as `true`/`false`, byte strings in hex.
fn value_tokens(r: &Reading) -> String {
    let h = &r.header;
    let tag: String = r.tag.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{} {} {} {} {} {:?} {:?} {} {tag} {} {} {}",
        h.version,
        h.flags,
        h.len,
        h.seq,
        r.sensor,
        r.value,
        f64::from(r.scale),
        r.ok,
        r.delta,
        r.pair.0,
        r.pair.1
    )
}

/// Records at the ends of every field's range, then `n` drawn at random (deterministically).
fn python_records(n: usize) -> Vec<Reading> {
    let edge = |fill: u8, int: i64, float: f64, ok: bool| Reading {
        header: Header {
            version: fill,
            flags: u16::from(fill) * 257,
            len: u32::from(fill) * 0x0101_0101,
            seq: u64::from(fill) * 0x0101_0101_0101_0101,
        },
        sensor: int.clamp(i16::MIN.into(), i16::MAX.into()) as i16,
        value: float,
        scale: float as f32,
        ok,
        tag: [fill, 0, fill, 1],
        delta: int,
        pair: (int.clamp(i8::MIN.into(), i8::MAX.into()) as i8, fill),
    };
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    [
        edge(0, 0, 0.0, false),
        edge(0xFF, i64::MAX, f64::MAX, true),
        edge(0xFF, i64::MIN, f64::MIN, true),
        edge(1, -1, -0.0, false),
        edge(0x80, i64::MIN + 1, f64::MIN_POSITIVE, true),
        edge(0x7F, i64::MAX - 1, 5e-324, false),
        edge(0x01, 1, f64::INFINITY, true),
        edge(0xFE, -2, f64::NEG_INFINITY, false),
        edge(2, 3, 1.0e-45, true),
    ]
    .into_iter()
    .chain((0..n).map(|_| reading().new_tree(&mut runner).unwrap().current()))
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
    .collect()
}

/// Python's `struct.pack`, given the values of each record (not its bytes) and the format
/// `Layout::of` derives, writes the bytes `to_vec` writes; Python unpacks those bytes to the
/// same values, and packs them again to the same bytes.
#[test]
fn python_struct_packs_what_to_vec_writes() {
    let format = Layout::of::<Reading>().unwrap().struct_format();
    let size = record_size::<Reading>().unwrap();
    let records = python_records(200);
    // One python3 process; each line: netorder's bytes in hex, then the values as text.
    // Python parses each value by its format code, packs the values, unpacks netorder's bytes,
    // and prints: its packing of the values, its repacking of netorder's bytes, the size, and
    // whether it unpacked the very values it was given.
    let script = format!(
        r#"import re, struct, sys
fmt = {format:?}
codes = []
for count, code in re.findall(r"(\d*)([xcbB?hHiIlLqQnNefdsp])", fmt[1:]):
    codes += ["s"] if code == "s" else [code] * int(count or 1)
def parse(code, tok):
    if code in "efd":
        return float(tok)
    if code == "?":
        return {{"true": True, "false": False}}[tok]
    if code == "s":
        return bytes.fromhex(tok)
    return int(tok)
for line in sys.stdin:
    ours, *toks = line.split()
    values = tuple(parse(c, t) for c, t in zip(codes, toks, strict=True))
    theirs = bytes.fromhex(ours)
    unpacked = struct.unpack(fmt, theirs)
    print(struct.pack(fmt, *values).hex(), struct.pack(fmt, *unpacked).hex(),
          struct.calcsize(fmt), unpacked == values)
"#
    );
    let mut input = String::new();
    let mut expected = Vec::new();
    for r in &records {
        let hex: String = to_vec(r)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        input.push_str(&format!("{hex} {}\n", value_tokens(r)));
        expected.push(format!("{hex} {hex} {size} True"));
    }
    let got = common::python_lines(&["-c", &script], &input);
    assert_eq!(got.len(), expected.len());
    for ((g, e), r) in got.iter().zip(&expected).zip(&records) {
        assert_eq!(
            g, e,
            "Python (packed from the values, repacked, size, same values) for {r:?}"
        );
    }
}
