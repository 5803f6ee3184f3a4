//! Cross-checks of `Layout` against Python's own `struct` module (`python3`, driven once per
//! test with a batch of JSON lines: see `tests/python/struct_oracle.py`).
//!
//! Random formats and values come from a seeded generator, so a failure is reproducible; the
//! assertion message shows the format and the values.

use netorder_support as common;

use netorder::{ErrorKind, Layout, Value};

/// SplitMix64: small, seeded, good enough to pick test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends every request to Python at once; returns one answer line per request.
fn ask_python(requests: &[String]) -> Vec<String> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/struct_oracle.py");
    let answers = common::python_lines(&[script], &requests.join("\n"));
    assert_eq!(answers.len(), requests.len(), "one answer per request");
    answers
}

const PREFIXES: &[&str] = &["", "@", "=", "<", ">", "!"];
const CODES: &[u8] = b"xcbB?hHiIlLqQnNefdspP";

fn native(prefix: &str) -> bool {
    prefix.is_empty() || prefix == "@"
}

/// A random valid format: a prefix and up to 8 items, whitespace sometimes between them.
/// `0p` is left out (CPython 3.11 mishandles it; see `zero_length_pascal_string`).
fn random_format(rng: &mut Rng, max_count: u64) -> String {
    let prefix = *rng.pick(PREFIXES);
    let mut fmt = String::from(prefix);
    for _ in 0..rng.below(9) {
        let mut code;
        loop {
            code = *rng.pick(CODES);
            if native(prefix) || !b"nNP".contains(&code) {
                break;
            }
        }
        if rng.chance(10) {
            fmt.push(*rng.pick(&[' ', '\t', '\n']));
        }
        let count = if rng.chance(60) {
            None
        } else if matches!(code, b's' | b'p') && rng.chance(30) {
            Some(rng.below(300))
        } else {
            Some(rng.below(max_count))
        };
        match count {
            Some(0) if code == b'p' => fmt.push('1'),
            Some(n) => fmt.push_str(&n.to_string()),
            None => {}
        }
        fmt.push(code as char);
    }
    fmt
}

#[test]
fn calcsize_and_errors_agree_with_python() {
    let mut rng = Rng(1);
    let mut formats: Vec<String> = [
        "!n",
        "3",
        "!!h",
        "q!",
        "?x9999999999999999999999s",
        "3 h",
        " 3h",
        "@n",
        "h ",
        "!",
        "",
        "99999999999s",
        "@b0q",
        "9223372036854775807x",
        "9223372036854775806xx",
        "9223372036854775808x",
        "4611686018427387904h",
        "@c 0q",
        "!0p",
        "\t!h",
        "!\th",
        "Z",
        "h\u{0}h",
        "@",
        "==h",
        "!N",
        "<P",
        ">e",
        "=l",
        "@l",
        "2",
        "h2",
        "0",
        "00h",
        "\u{0b}h",
        "\u{0c}h",
        "h\r",
        "4611686018427387903h",
        "@c4611686018427387903h",
        "x@",
        "18446744073709551616x",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Valid formats, then mutations of them: inserted characters, huge counts.
    let noise = [
        "!",
        "@",
        "<",
        " ",
        "3",
        "0",
        "9",
        "z",
        "u",
        "S",
        "99999999999999999999",
        "12345678901234",
        "\t",
        "#",
        "-",
        "+",
        "q",
        "n",
    ];
    for _ in 0..600 {
        let mut fmt = random_format(&mut rng, 10);
        if rng.chance(50) {
            let at = rng.below(fmt.len() as u64 + 1) as usize;
            let piece: &str = rng.pick::<&str>(&noise);
            fmt.insert_str(at, piece);
        }
        formats.push(fmt);
    }
    let requests: Vec<String> = formats
        .iter()
        .map(|f| format!(r#"{{"op":"calcsize","fmt":{}}}"#, json_str(f)))
        .collect();
    let answers = ask_python(&requests);
    let (mut ok, mut err) = (0, 0);
    for (fmt, answer) in formats.iter().zip(&answers) {
        let ours = Layout::parse(fmt);
        match (answer.strip_prefix("ok "), &ours) {
            (Some(size), Ok(layout)) => {
                assert_eq!(layout.size().to_string(), size, "calcsize({fmt:?})");
                // The canonical format means the same thing.
                let again = Layout::parse(&layout.struct_format()).unwrap();
                assert_eq!(again.size(), layout.size(), "{fmt:?}");
                assert_eq!(again.value_count(), layout.value_count(), "{fmt:?}");
                ok += 1;
            }
            (None, Err(e)) => {
                assert!(
                    matches!(e.kind(), ErrorKind::BadFormat { .. }),
                    "{fmt:?}: {e}"
                );
                err += 1;
            }
            _ => panic!("calcsize({fmt:?}): python says {answer:?}, netorder says {ours:?}"),
        }
    }
    assert!(
        ok > 300 && err > 100,
        "a mix of valid and invalid formats: {ok} ok, {err} err"
    );
}

/// A random value for a field with `code` under `prefix`: mostly fitting, sometimes at or past
/// a boundary, sometimes of the wrong kind.
fn random_value(rng: &mut Rng, code: u8, size: usize, prefix: &str) -> Value {
    let wrong_kind = rng.chance(4);
    match code {
        b'c' | b's' | b'p' if !wrong_kind => {
            let len = match code {
                b'c' if rng.chance(90) => 1,
                b'c' => rng.below(3) as usize,
                _ => rng.below(size as u64 + 4) as usize,
            };
            Value::Bytes((0..len).map(|_| rng.next() as u8).collect())
        }
        b'e' | b'f' | b'd' if !wrong_kind => {
            let specials = [
                0.0,
                -0.0,
                65504.0,
                65519.99,
                65520.0,
                -65520.0,
                f64::from(f32::MAX),
                3.4028235677973366e38, // largest double that rounds to f32::MAX
                3.4028235677973368e38, // rounds past it
                1e300,
                -1e300,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                5.960464477539063e-8, // half the smallest binary16 subnormal step: tie
                1.0 / 3.0,
                f64::from("3.1415".parse::<f32>().unwrap()), // an `f` field holding 3.1415
            ];
            match rng.below(4) {
                0 => Value::Float(*rng.pick(&specials)),
                1 => Value::Int(rng.below(200_000) as i128 - 100_000),
                2 => Value::Float(f64::from_bits(rng.next())),
                _ => Value::Float((rng.next() as i64 as f64) / (1u64 << rng.below(64)) as f64),
            }
        }
        b'?' => match rng.below(4) {
            0 => Value::Bool(rng.chance(50)),
            1 => Value::Int(rng.below(3) as i128),
            2 => Value::Float(*rng.pick(&[0.0, -0.0, 1.5, f64::NAN])),
            _ => Value::Bytes(vec![0; rng.below(2) as usize]),
        },
        b'x' => unreachable!(),
        _ if wrong_kind => match rng.below(3) {
            0 => Value::Float(1.0),
            1 => Value::Bytes(b"a".to_vec()),
            _ => Value::Int(5),
        },
        _ => {
            let bits = 8 * size as u32;
            let signed = matches!(code, b'b' | b'h' | b'i' | b'l' | b'q' | b'n');
            let (min, max) = match (code, signed) {
                (b'P', _) => (i128::from(i64::MIN), i128::from(u64::MAX)),
                (_, true) => (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1),
                (_, false) => (0, (1i128 << bits) - 1),
            };
            let _ = prefix;
            match rng.below(8) {
                0 => Value::Int(*rng.pick(&[min, max, min - 1, max + 1, 0, -1])),
                1 => Value::Bool(rng.chance(50)),
                2 => Value::Int(rng.next() as i128 * if rng.chance(50) { 1 } else { -1 }),
                _ => {
                    let span = (max - min) as u128 + 1;
                    let r = ((rng.next() as u128) << 64 | rng.next() as u128) % span;
                    Value::Int(min + r as i128)
                }
            }
        }
    }
}

fn value_json(v: &Value) -> String {
    match v {
        Value::Int(n) => format!(r#"["i","{n}"]"#),
        Value::Bool(b) => format!(r#"["t",{b}]"#),
        Value::Float(x) => format!(r#"["f","{:016x}"]"#, x.to_bits()),
        Value::Bytes(b) => format!(r#"["b","{}"]"#, hex(b)),
    }
}

#[test]
fn pack_agrees_with_python() {
    let mut rng = Rng(2);
    let mut cases = Vec::new();
    while cases.len() < 3000 {
        let fmt = random_format(&mut rng, 4);
        let layout = Layout::parse(&fmt).unwrap();
        let prefix = if fmt.starts_with(['@', '=', '<', '>', '!']) {
            &fmt[..1]
        } else {
            ""
        };
        let values: Vec<Value> = layout
            .fields()
            .map(|f| random_value(&mut rng, f.code as u8, f.size, prefix))
            .collect();
        cases.push((fmt, layout, values));
    }
    let requests: Vec<String> = cases
        .iter()
        .map(|(fmt, _, values)| {
            let values: Vec<String> = values.iter().map(value_json).collect();
            format!(
                r#"{{"op":"pack","fmt":{},"values":[{}]}}"#,
                json_str(fmt),
                values.join(",")
            )
        })
        .collect();
    let answers = ask_python(&requests);
    let (mut ok, mut range, mut float_range, mut kind) = (0, 0, 0, 0);
    for ((fmt, layout, values), answer) in cases.iter().zip(&answers) {
        let ours = layout.pack(values);
        match (answer.strip_prefix("ok "), &ours) {
            (Some(py), Ok(bytes)) => {
                assert_eq!(hex(bytes), py.trim(), "pack({fmt:?}, {values:?})");
                // And back: every value that went in comes out (as Python's unpack shows it),
                // checked in `unpack_agrees_with_python`; here the size.
                assert_eq!(bytes.len(), layout.size());
                ok += 1;
            }
            (None, Err(e)) => {
                assert!(e.field().is_some(), "{fmt:?} {values:?}: {e}");
                // Python's exception tells which kind of failure it was.
                // Python's exception tells which kind of failure it was (an int too large for
                // `e` or `f` is reported as "int too large to convert").
                let python_range = answer.starts_with("err OverflowError")
                    || answer.contains("<= number <=")
                    || answer.contains("out of range")
                    || answer.contains("too large to convert");
                if python_range {
                    match e.kind() {
                        ErrorKind::OutOfRange { .. } => range += 1,
                        ErrorKind::FloatOutOfRange { .. } => float_range += 1,
                        _ => panic!("{fmt:?} {values:?}: {e} vs {answer}"),
                    }
                } else {
                    assert!(
                        matches!(e.kind(), ErrorKind::TypeMismatch { .. }),
                        "{fmt:?} {values:?}: {e} vs {answer}"
                    );
                    kind += 1;
                }
            }
            _ => {
                panic!("pack({fmt:?}, {values:?}): python says {answer:?}, netorder says {ours:?}")
            }
        }
    }
    assert!(
        ok > 1000 && range > 100 && float_range > 20 && kind > 100,
        "every outcome exercised: {ok} ok, {range} range, {float_range} float range, {kind} kind"
    );
}

fn value_token(v: &Value) -> String {
    match v {
        Value::Int(n) => format!("i:{n}"),
        Value::Bool(b) => format!("t:{}", u8::from(*b)),
        Value::Float(x) => format!("f:{:016x}", x.to_bits()),
        Value::Bytes(b) => format!("b:{}", hex(b)),
    }
}

#[test]
fn unpack_agrees_with_python() {
    let mut rng = Rng(3);
    let mut cases = Vec::new();
    while cases.len() < 2000 {
        let fmt = random_format(&mut rng, 4);
        let layout = Layout::parse(&fmt).unwrap();
        // Random bytes, biased towards the interesting ones (0, 0xff, small lengths in `p`).
        let bytes: Vec<u8> = (0..layout.size())
            .map(|_| match rng.below(4) {
                0 => 0,
                1 => 0xff,
                _ => rng.next() as u8,
            })
            .collect();
        cases.push((fmt, layout, bytes));
    }
    let requests: Vec<String> = cases
        .iter()
        .map(|(fmt, _, bytes)| {
            format!(
                r#"{{"op":"unpack","fmt":{},"hex":"{}"}}"#,
                json_str(fmt),
                hex(bytes)
            )
        })
        .collect();
    let answers = ask_python(&requests);
    for ((fmt, layout, bytes), answer) in cases.iter().zip(&answers) {
        let values = layout.unpack(bytes).unwrap();
        let ours: Vec<String> = values.iter().map(value_token).collect();
        let ours = std::iter::once("ok".to_owned())
            .chain(ours)
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(&ours, answer, "unpack({fmt:?}, {})", hex(bytes));
        // Repacking gives the bytes back, except padding, `?` (any nonzero is true) and `p`
        // (a length byte past the field is clamped), and NaN payloads in `e`.
        let repacked = layout.pack(&values).unwrap();
        assert_eq!(repacked.len(), bytes.len());
        assert_eq!(layout.unpack(&repacked).unwrap().len(), values.len());
    }
    // Wrong byte counts: Python refuses them, and so do we, with the numbers.
    let layout = Layout::parse("!HI").unwrap();
    assert_eq!(
        layout.unpack(&[0; 5]).unwrap_err().kind(),
        &ErrorKind::Incomplete {
            offset: 0,
            needed: 6,
            available: 5
        }
    );
    assert_eq!(
        layout.unpack(&[0; 9]).unwrap_err().kind(),
        &ErrorKind::TrailingBytes {
            offset: 6,
            remaining: 3
        }
    );
}

#[test]
fn float_repr_agrees_with_python() {
    let mut rng = Rng(4);
    let mut floats = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        1e16,
        1e15,
        9999999999999998.0,
        1e-4,
        1e-5,
        0.00012345,
        1e22,
        1e23,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        123456789012345680.0,
        1234567890123456.0,
        0.333251953125,
        65504.0,
        // Ties between two shortest strings: Python takes the even digit.
        f64::from_bits(0x3f46_0800_0000_0000), // 0.00067234039306640625 exactly
        0.5 + 2f64.powi(-30),
        1.0 / 1024.0 / 1024.0,
    ];
    for _ in 0..20_000 {
        floats.push(match rng.below(5) {
            0 => f64::from_bits(rng.next()),
            1 => f64::from(f32::from_bits(rng.next() as u32)),
            2 => (rng.next() % 1_000_000) as f64 * 10f64.powi(rng.below(50) as i32 - 25),
            3 => (rng.next() as i64 as f64) / (1u64 << rng.below(64)) as f64,
            _ => netorder::Layout::parse("!e")
                .unwrap()
                .unpack(&(rng.next() as u16).to_be_bytes())
                .map(|v| match v[0] {
                    Value::Float(x) => x,
                    _ => unreachable!(),
                })
                .unwrap(),
        });
    }
    let requests: Vec<String> = floats
        .iter()
        .map(|x| format!(r#"{{"op":"repr","bits":"{:016x}"}}"#, x.to_bits()))
        .collect();
    let answers = ask_python(&requests);
    for (x, answer) in floats.iter().zip(&answers) {
        let ours = Value::Float(*x).to_string();
        assert_eq!(
            Some(ours.as_str()),
            answer.strip_prefix("ok "),
            "repr of {:016x}",
            x.to_bits()
        );
        // The text reads back as the same value (through the CLI's parser too).
        if !x.is_nan() {
            assert_eq!(Value::from_text(&ours, 'd').unwrap(), Value::Float(*x));
        }
    }
}

/// CPython 3.11 writes a stray 0xff for `0p` (into the next field, or a following pad byte)
/// and raises SystemError when unpacking it. netorder packs `0p` as nothing and unpacks it
/// as an empty byte string; this test pins the difference down.
#[test]
fn zero_length_pascal_string() {
    let requests = [
        r#"{"op":"pack","fmt":"0px","values":[["b","61"]]}"#.to_owned(),
        r#"{"op":"unpack","fmt":"0p","hex":""}"#.to_owned(),
    ];
    let answers = ask_python(&requests);
    assert_eq!(answers[0], "ok ff");
    assert!(answers[1].starts_with("err SystemError"), "{}", answers[1]);
    let layout = Layout::parse("0px").unwrap();
    assert_eq!(layout.pack(&[Value::Bytes(b"a".to_vec())]).unwrap(), [0]);
    assert_eq!(
        Layout::parse("0p").unwrap().unpack(&[]).unwrap(),
        [Value::Bytes(vec![])]
    );
}
