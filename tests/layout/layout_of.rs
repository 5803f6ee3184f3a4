//! `Layout::of::<T>()`: the layout of a serde type, checked against bincode 2 (big-endian,
//! fixed ints: the record layer's default bytes) and against the layout's own format string.

use netorder::{ErrorKind, Layout, Value};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

fn bincode_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let config = bincode::config::standard()
        .with_big_endian()
        .with_fixed_int_encoding();
    bincode::serde::encode_to_vec(value, config).unwrap()
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Header {
    kind: u16,
    len: u32,
    seq: u64,
    ratio: f64,
    up: bool,
    tag: [u8; 4],
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Signed {
    a: i8,
    b: i16,
    c: i32,
    d: i64,
    e: f32,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Point(i32, i32);

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Port(u16);

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Nested {
    from: Point,
    port: Port,
    nothing: (),
    mac: (u8, u8, u8, u8, u8, u8),
    pair: (u8, u16),
    empty: [u8; 0],
    grid: [[i16; 2]; 2],
    marker: std::marker::PhantomData<u64>,
}

#[test]
fn formats_of_structs() {
    let cases = [
        (Layout::of::<Header>().unwrap(), "!HIQd?4s", 27),
        (Layout::of::<Signed>().unwrap(), "!bhiqf", 19),
        (Layout::of::<Point>().unwrap(), "!ii", 8),
        (Layout::of::<Port>().unwrap(), "!H", 2),
        (Layout::of::<Nested>().unwrap(), "!iiH6sBHhhhh", 27),
        (Layout::of::<()>().unwrap(), "!", 0),
        (Layout::of::<[u8; 16]>().unwrap(), "!16s", 16),
        (Layout::of::<(bool, f64)>().unwrap(), "!?d", 9),
        (Layout::of::<u64>().unwrap(), "!Q", 8),
    ];
    for (layout, format, size) in cases {
        assert_eq!(layout.struct_format(), format);
        assert_eq!(layout.size(), size, "{format}");
        let parsed = Layout::parse(&layout.struct_format()).unwrap();
        assert_eq!(parsed.size(), layout.size(), "{format}");
        assert_eq!(parsed.value_count(), layout.value_count(), "{format}");
    }
}

#[test]
fn field_names_are_paths() {
    let layout = Layout::of::<Nested>().unwrap();
    let fields: Vec<(usize, Option<&str>, usize, usize, char)> = layout
        .fields()
        .map(|f| (f.index, f.name, f.offset, f.size, f.code))
        .collect();
    assert_eq!(
        fields,
        [
            (0, Some("from[0]"), 0, 4, 'i'),
            (1, Some("from[1]"), 4, 4, 'i'),
            (2, Some("port"), 8, 2, 'H'),
            (3, Some("mac"), 10, 6, 's'),
            (4, Some("pair[0]"), 16, 1, 'B'),
            (5, Some("pair[1]"), 17, 2, 'H'),
            (6, Some("grid[0][0]"), 19, 2, 'h'),
            (7, Some("grid[0][1]"), 21, 2, 'h'),
            (8, Some("grid[1][0]"), 23, 2, 'h'),
            (9, Some("grid[1][1]"), 25, 2, 'h'),
        ]
    );
    // Errors in packing name the path.
    let mut values = vec![Value::Int(0); 10];
    values[3] = Value::Bytes(vec![]);
    values[2] = Value::Int(70000);
    let err = layout.pack(&values).unwrap_err();
    assert_eq!(err.field(), Some("2 ('H' port)"));
    assert_eq!(
        err.kind(),
        &ErrorKind::OutOfRange {
            value: 70000,
            min: 0,
            max: 65535
        }
    );
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WithString {
    id: u32,
    name: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WithOption {
    id: u32,
    inner: Inner,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Inner {
    a: u8,
    maybe: Option<u16>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
enum Kind {
    A,
    B(u8),
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WithEnum {
    kind: Kind,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Recursive {
    next: Box<Recursive>,
}

#[test]
fn types_whose_size_varies_are_refused_with_the_field() {
    fn err<T: serde::de::DeserializeOwned>() -> (ErrorKind, Option<String>) {
        let e = Layout::of::<T>().unwrap_err();
        (e.kind().clone(), e.field().map(str::to_owned))
    }
    assert_eq!(
        err::<WithString>(),
        (
            ErrorKind::VariableSize { what: "String" },
            Some("name".into())
        )
    );
    assert_eq!(
        err::<WithOption>(),
        (
            ErrorKind::VariableSize { what: "Option" },
            Some("inner.maybe".into())
        )
    );
    assert_eq!(
        err::<WithEnum>(),
        (
            ErrorKind::VariableSize { what: "enum" },
            Some("kind".into())
        )
    );
    assert_eq!(
        err::<Vec<u8>>(),
        (
            ErrorKind::VariableSize {
                what: "sequence (Vec, slice, set)"
            },
            None
        )
    );
    assert_eq!(
        err::<char>(),
        (
            ErrorKind::VariableSize {
                what: "char (UTF-8, 1 to 4 bytes)"
            },
            None
        )
    );
    assert_eq!(
        err::<(u8, u128)>(),
        (
            ErrorKind::Unsupported {
                what: "u128 (no struct code)"
            },
            Some("[1]".into())
        )
    );
    assert_eq!(
        err::<i128>(),
        (
            ErrorKind::Unsupported {
                what: "i128 (no struct code)"
            },
            None
        )
    );
    // A NonZero field traces (the tracer offers 1, not 0).
    assert_eq!(
        Layout::of::<std::num::NonZeroU32>()
            .unwrap()
            .struct_format(),
        "!I"
    );
}

/// Runs `f` on a thread with a big stack: debug builds of serde's array visitors keep whole
/// arrays on the stack.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn recursion_is_refused_at_a_depth_limit() {
    let e = Layout::of::<Recursive>().unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::DepthLimit { limit: 64, .. }),
        "{e}"
    );
    assert_eq!(e.field(), Some(vec!["next"; 64].join(".").as_str()));
}

#[test]
fn too_many_fields_are_refused() {
    with_big_stack(|| {
        let e = Layout::of::<[[[[u16; 32]; 32]; 32]; 3]>().unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::LengthLimit {
                offset: 0,
                len: 65537,
                limit: 65536
            }
        );
        assert_eq!(e.field(), Some("[2][0][0][0]"));
        let ok = Layout::of::<[[[[u16; 32]; 32]; 32]; 2]>().unwrap();
        assert_eq!(ok.size(), 2 * 32 * 32 * 32 * 2);
    });
}

fn header_values(h: &Header) -> Vec<Value> {
    vec![
        Value::Int(h.kind.into()),
        Value::Int(h.len.into()),
        Value::Int(h.seq.into()),
        Value::Float(h.ratio),
        Value::Bool(h.up),
        Value::Bytes(h.tag.to_vec()),
    ]
}

fn signed_values(s: &Signed) -> Vec<Value> {
    vec![
        Value::Int(s.a.into()),
        Value::Int(s.b.into()),
        Value::Int(s.c.into()),
        Value::Int(s.d.into()),
        Value::Float(s.e.into()),
    ]
}

/// Float values compared by bits, so NaN equals itself.
fn same(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
            _ => x == y,
        })
}

proptest! {
    #[test]
    fn header_bytes_are_bincodes(
        kind: u16, len: u32, seq: u64, ratio: f64, up: bool, tag: [u8; 4],
    ) {
        let h = Header { kind, len, seq, ratio, up, tag };
        let layout = Layout::of::<Header>().unwrap();
        let bytes = bincode_bytes(&h);
        prop_assert_eq!(layout.pack(&header_values(&h)).unwrap(), bytes.clone());
        prop_assert!(same(&layout.unpack(&bytes).unwrap(), &header_values(&h)));
    }

    #[test]
    fn signed_bytes_are_bincodes(a: i8, b: i16, c: i32, d: i64, e: f32) {
        let s = Signed { a, b, c, d, e };
        let layout = Layout::of::<Signed>().unwrap();
        let bytes = bincode_bytes(&s);
        prop_assert_eq!(layout.pack(&signed_values(&s)).unwrap(), bytes.clone());
        prop_assert!(same(&layout.unpack(&bytes).unwrap(), &signed_values(&s)));
    }
}
