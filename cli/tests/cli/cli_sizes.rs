//! `netorder sizes`: the built binary, its output, exit codes and error lines.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn netorder(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run netorder");
    // The tool may exit before reading everything (a file argument, an error): a broken pipe
    // here is expected then.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).unwrap()
}

fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).unwrap()
}

const UNSIGNED_TABLE: &str = "\
6 values
encoding                  total bytes  bytes/value
fixed 1 (u8)                        -  (300 does not fit)
fixed 2 (u16)                      12         2.00
fixed 4 (u32)                      24         4.00
fixed 8 (u64)                      48         8.00
varint (LEB128)                    10         1.67
zigzag varint                      11         1.83
ascii + newline                    22         3.67
ascii fixed 5 digits               30         5.00
winner: varint (LEB128), 10 bytes
";

#[test]
fn table_from_stdin_skips_blank_lines_and_trims() {
    let out = netorder(&["sizes"], "0\n1\n  127 \n\n\t128\n300\r\n65535");
    assert_eq!(stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), UNSIGNED_TABLE);
}

#[test]
fn table_from_file() {
    let path = std::env::temp_dir().join(format!("netorder-cli-sizes-{}.txt", std::process::id()));
    std::fs::write(&path, "0\n1\n127\n128\n300\n65535\n").unwrap();
    let out = netorder(
        &["sizes", path.to_str().unwrap()],
        "ignored, not an integer\n",
    );
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), UNSIGNED_TABLE);
}

#[test]
fn negatives_use_signed_semantics() {
    let out = netorder(&["sizes"], "-1\n127\n-128\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
3 values (with negatives: signed fixed widths)
encoding                  total bytes  bytes/value
fixed 1 (i8)                        3         1.00
fixed 2 (i16)                       6         2.00
fixed 4 (i32)                      12         4.00
fixed 8 (i64)                      24         8.00
varint (LEB128)                    21         7.00
zigzag varint                       5         1.67
ascii + newline                    12         4.00
ascii fixed 3 digits                -  (-1 does not fit)
winner: fixed 1 (i8), 3 bytes
"
    );
}

#[test]
fn extremes_of_the_accepted_range() {
    let out = netorder(&["sizes"], &format!("{}\n{}\n", i64::MIN, u64::MAX));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("fixed 8 (i64)                       -  (18446744073709551615 does not fit)"),
        "{text}"
    );
    assert!(
        text.contains("varint (LEB128)                    20        10.00"),
        "{text}"
    );
    assert!(
        text.contains("zigzag varint                       -  (18446744073709551615 does not fit)"),
        "{text}"
    );
    assert!(
        text.contains("ascii + newline                    42        21.00"),
        "{text}"
    );
    assert!(
        text.ends_with("winner: varint (LEB128), 20 bytes\n"),
        "{text}"
    );
}

#[test]
fn ascii_wins_nothing_but_ties_are_resolved_in_table_order() {
    // 0..=9 : fixed 1 = 10 bytes, varint 10, zigzag 10, ascii fixed 1 = 10: the first row wins.
    let input: String = (0..10).map(|v| format!("{v}\n")).collect();
    let out = netorder(&["sizes"], &input);
    assert!(
        stdout(&out).ends_with("winner: fixed 1 (u8), 10 bytes\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn empty_input_has_no_winner() {
    let out = netorder(&["sizes"], "\n  \n");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("0 values\n"));
    assert!(stdout(&out).ends_with("winner: none (no values)\n"));
}

#[test]
fn bad_line_names_line_number_and_text() {
    let out = netorder(&["sizes"], "1\n\n  12abc  \n4\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "netorder: line 3: `12abc` is not an integer\n"
    );
}

#[test]
fn out_of_range_line() {
    let out = netorder(&["sizes"], "18446744073709551616\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "netorder: line 1: `18446744073709551616` is out of range (-9223372036854775808..=18446744073709551615)\n"
    );
    let out = netorder(&["sizes"], "5\n-9223372036854775809\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("netorder: line 2: `-9223372036854775809` is out of range"));
    let out = netorder(&["sizes"], &format!("{}\n", "9".repeat(60)));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is out of range"), "{}", stderr(&out));
}

#[test]
fn not_utf8_and_overlong_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netorder"))
        .arg("sizes")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"1\n\xff\xfe\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "netorder: line 2: not UTF-8 text\n");

    let out = netorder(&["sizes"], &" ".repeat(5000));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "netorder: line 1: longer than 4096 bytes\n");
}

#[test]
fn missing_file_exits_1() {
    let out = netorder(&["sizes", "/nonexistent/netorder/sizes.txt"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("netorder: cannot open /nonexistent/netorder/sizes.txt: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn usage_errors_exit_2() {
    let out = netorder(&["sizes", "--bogus"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = netorder(&["sizes", "a", "b"], "");
    assert_eq!(out.status.code(), Some(2));
}
