//! The fast paths of the value text forms, against the general code they stand in for:
//! `Value`'s `Display` of integers and byte strings (the int layer's digits, a hex table) vs
//! std's formatting, and `Value::from_text`'s small-integer parse vs `i128` parsing. The CLI's
//! ASCII word splitter vs `split_whitespace` is in the CLI's tests
//! (`cli/tests/cli/pack_split.rs`).

use netorder::{ErrorKind, Value};
use proptest::prelude::*;

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
}
