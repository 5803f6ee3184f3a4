//! `netorder pack`'s input splitting: its fast ASCII word splitter against `split_whitespace`
//! (the general code it stands in for), Unicode whitespace, and counting the values before
//! writing anything. (Moved from the library's `tests/layout/layout_text_fast.rs`, which keeps
//! the fast paths of the value text forms; only this package can run the binary.)

use netorder::{Layout, Value};
use proptest::prelude::*;
use std::io::Write;
use std::process::{Command, Stdio};

proptest! {
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
