//! The fast paths of the value text forms and of `netorder pack`'s input splitting, against
//! the general code they stand in for: `Value`'s `Display` of integers and byte strings (the
//! int layer's digits, a hex table) vs std's formatting, `Value::from_text`'s small-integer
//! parse vs `i128` parsing, and the CLI's ASCII word splitter vs `split_whitespace`.

use netorder::{ErrorKind, Layout, Value};
use proptest::prelude::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn hex(bytes: &[u8]) -> String {
    let mut s = String::from("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[test]
fn integer_display_boundaries() {
    let cases: [i128; 14] = [
        0,
        1,
        -1,
        9,
        10,
        -10,
        i64::MAX as i128,
        i64::MIN as i128,
        u64::MAX as i128,
        -(u64::MAX as i128),
        u64::MAX as i128 + 1,
        -(u64::MAX as i128) - 1,
        i128::MAX,
        i128::MIN,
    ];
    for n in cases {
        assert_eq!(Value::Int(n).to_string(), n.to_string(), "{n}");
    }
    assert_eq!(
        Value::Int(-(u64::MAX as i128)).to_string(),
        "-18446744073709551615"
    );
    // Width and sign flags are ignored, for every variant, as before the fast path.
    assert_eq!(format!("{:>5}", Value::Int(-7)), "-7");
    assert_eq!(format!("{:+}", Value::Int(7)), "7");
}

#[test]
fn bytes_display_every_length_up_to_70() {
    let data: Vec<u8> = (0..70u8).map(|i| i.wrapping_mul(37) ^ 0xA5).collect();
    for len in 0..=70 {
        assert_eq!(
            Value::Bytes(data[..len].to_vec()).to_string(),
            hex(&data[..len])
        );
    }
    assert_eq!(Value::Bytes(vec![0x00, 0xff, 0x0a]).to_string(), "0x00ff0a");
}

#[test]
fn small_integer_text_boundaries() {
    let int = |t: &str| Value::from_text(t, 'q').unwrap();
    assert_eq!(int("0"), Value::Int(0));
    assert_eq!(int("-0"), Value::Int(0));
    assert_eq!(int("+5"), Value::Int(5));
    assert_eq!(int("007"), Value::Int(7));
    assert_eq!(
        int("9999999999999999999"),
        Value::Int(9_999_999_999_999_999_999)
    ); // 19 digits
    assert_eq!(
        int("-9999999999999999999"),
        Value::Int(-9_999_999_999_999_999_999)
    );
    assert_eq!(int("18446744073709551615"), Value::Int(u64::MAX as i128)); // 20: i128 path
    assert_eq!(int("-18446744073709551616"), Value::Int(-(1i128 << 64)));
    // Not integers: a float, or refused.
    assert_eq!(Value::from_text("1e3", 'd').unwrap(), Value::Float(1000.0));
    for text in ["-", "+", "1_000", "--1", "1-"] {
        let err = Value::from_text(text, 'q').unwrap_err();
        assert_eq!(
            err.kind(),
            &ErrorKind::TypeMismatch {
                expected: "a number or true/false",
                found: format!("{text:?}").into(),
            },
            "{text}"
        );
    }
    // Past i128 is out of range for every code.
    let err = Value::from_text(&"9".repeat(40), 'q').unwrap_err();
    assert!(err.to_string().contains("out of range"), "{err}");
}

proptest! {
    #[test]
    fn integer_display_matches_std(n in any::<i128>(), small in any::<i64>(), big in any::<u64>()) {
        prop_assert_eq!(Value::Int(n).to_string(), n.to_string());
        prop_assert_eq!(Value::Int(small.into()).to_string(), small.to_string());
        prop_assert_eq!(Value::Int(big.into()).to_string(), big.to_string());
        prop_assert_eq!(Value::Int(-i128::from(big)).to_string(), (-i128::from(big)).to_string());
    }

    #[test]
    fn bytes_display_matches_format(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        prop_assert_eq!(Value::Bytes(bytes.clone()).to_string(), hex(&bytes));
    }

    #[test]
    fn integer_text_matches_i128_parse(n in any::<i64>(), u in any::<u64>(), plus in any::<bool>(), zeros in 0usize..3) {
        for text in [n.to_string(), u.to_string()] {
            let (sign, digits) = match text.strip_prefix('-') {
                Some(digits) => ("-", digits),
                None => (if plus { "+" } else { "" }, text.as_str()),
            };
            let text = format!("{sign}{}{digits}", "0".repeat(zeros));
            // The general path's answer: i128 parsing of the same text (`+` and zeros included).
            let expected = text.parse::<i128>().unwrap();
            prop_assert_eq!(Value::from_text(&text, 'q').unwrap(), Value::Int(expected));
        }
    }

    #[test]
    fn pack_splits_ascii_like_split_whitespace(
        values in proptest::collection::vec(any::<u16>(), 1..20),
        seps in proptest::collection::vec(prop::sample::select(vec![" ", "\t", "\n", "\r\n", "\x0b", "\x0c", "  \n\t"]), 21),
    ) {
        let mut text = String::from(seps[20]);
        for (v, sep) in values.iter().zip(&seps) {
            text.push_str(&v.to_string());
            text.push_str(sep);
        }
        let layout = Layout::parse("!H").unwrap();
        let mut expected = Vec::new();
        for word in text.split_whitespace() {
            expected.extend(layout.pack(&[Value::from_text(word, 'H').unwrap()]).unwrap());
        }
        prop_assert_eq!(pack_stdin("!H", text.as_bytes()), expected);
    }
}

fn pack_stdin(format: &str, stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(["pack", format])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn pack_splits_unicode_whitespace_too() {
    // Not ASCII: the splitter falls back to split_whitespace (NBSP and U+2003 separate words).
    assert_eq!(pack_stdin("!HH", "1\u{a0}2".as_bytes()), [0, 1, 0, 2]);
    assert_eq!(pack_stdin("!HH", "1\u{2003}2\n".as_bytes()), [0, 1, 0, 2]);
    // Vertical tab and form feed are whitespace as for `char::is_whitespace`.
    assert_eq!(pack_stdin("!HH", b"\x0b1\x0c2\x0b"), [0, 1, 0, 2]);
    // `4s` text that is not ASCII is kept as its UTF-8 bytes.
    assert_eq!(pack_stdin("!2s", "\u{e9}".as_bytes()), [0xc3, 0xa9]);
}

#[test]
fn pack_counts_before_writing() {
    let out = Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(["pack", "!HH"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"1 2 3 4 5")?;
            c.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("netorder: record 3: expected 2 values, received 1"),
        "{err}"
    );
    assert!(err.contains("5 values are not a multiple of 2"), "{err}");
}
