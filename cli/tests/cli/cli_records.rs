//! The `netorder calcsize|pack|unpack|explain` commands, run as the built binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `netorder ARGS` with `stdin` and returns its output.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child_stdin = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    // Feed stdin from a thread so a large output cannot deadlock the pipe.
    let feeder = std::thread::spawn(move || {
        let _ = child_stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Asserts success and returns stdout.
fn ok(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = run(args, stdin);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    out.stdout
}

/// Asserts exit status `code` with exactly one line on stderr (and, for a usage error, at most
/// a second line pointing to `--help`); returns the first line.
fn fails(code: i32, args: &[&str], stdin: &[u8]) -> String {
    let out = run(args, stdin);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(!lines.is_empty() && lines.len() <= 2, "{args:?}: {err}");
    if lines.len() == 2 {
        assert!(lines[1].contains("--help"), "{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    lines[0].to_owned()
}

#[test]
fn calcsize_prints_the_size() {
    assert_eq!(ok(&["calcsize", "!HIQd?4s"], b""), b"27\n");
    assert_eq!(ok(&["calcsize", "@bq"], b""), b"16\n");
    assert_eq!(ok(&["calcsize", ""], b""), b"0\n");
    assert_eq!(ok(&["calcsize", "99999999999s"], b""), b"99999999999\n");
}

#[test]
fn bad_formats_are_usage_errors() {
    for fmt in [
        "!n",
        "3",
        "!!h",
        "q!",
        "?x9999999999999999999999s",
        "3 h",
        "Z",
    ] {
        for cmd in ["calcsize", "pack", "unpack", "explain"] {
            let line = fails(2, &[cmd, fmt], b"");
            assert!(
                line.contains("bad struct format at position"),
                "{cmd} {fmt:?}: {line}"
            );
        }
    }
    let line = fails(2, &["calcsize", "!h3"], b"");
    assert_eq!(
        line,
        "netorder: format \"!h3\": bad struct format at position 3: repeat count given without format specifier"
    );
}

#[test]
fn pack_from_arguments_and_stdin() {
    assert_eq!(
        ok(
            &["pack", "!HIQd?4s", "1", "2", "3", "0.5", "true", "ab"],
            b""
        ),
        {
            let mut v = vec![0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3];
            v.extend_from_slice(&0.5f64.to_be_bytes());
            v.extend_from_slice(&[1, b'a', b'b', 0, 0]);
            v
        }
    );
    assert_eq!(ok(&["pack", "!H"], b" 1\n 2\t3 \n"), [0, 1, 0, 2, 0, 3]);
    assert_eq!(
        ok(&["pack", "!H"], b""),
        b"",
        "no values on stdin: no records"
    );
    assert_eq!(
        ok(&["pack", "!4x"], b""),
        [0, 0, 0, 0],
        "a format without values"
    );
    assert_eq!(
        ok(&["pack", "<hc", "-2", "0x41", "3", "B"], b""),
        [0xfe, 0xff, b'A', 3, 0, b'B']
    );
}

#[test]
fn pack_negative_values_are_values() {
    assert_eq!(ok(&["pack", "!h", "-7"], b""), [0xff, 0xf9]);
    assert_eq!(ok(&["pack", "!hd", "-7", "-inf"], b""), {
        let mut v = vec![0xff, 0xf9];
        v.extend_from_slice(&f64::NEG_INFINITY.to_be_bytes());
        v
    });
    assert_eq!(
        ok(&["pack", "!d", "-1e-05", "--hex"], b""),
        b"bee4f8b588e368f1\n"
    );
    assert_eq!(ok(&["pack", "!3s", "-ab"], b""), b"-ab");
}

#[test]
fn pack_hex_is_one_line_per_record() {
    assert_eq!(
        ok(&["pack", "--hex", "!hB", "-7", "1", "2", "255"], b""),
        b"fff901\n0002ff\n"
    );
    assert_eq!(ok(&["pack", "!hB", "-7", "1", "--hex"], b""), b"fff901\n");
}

#[test]
fn pack_refuses_a_count_that_is_not_a_multiple() {
    let line = fails(1, &["pack", "!hh", "1", "2", "3"], b"");
    assert_eq!(
        line,
        "netorder: record 2: expected 2 values, received 1 (3 values are not a multiple of 2)"
    );
    let out = run(&["pack", "!hh"], b"1 2 3");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "nothing written before the count error"
    );
    fails(1, &["pack", "!4x", "1"], b"");
}

#[test]
fn pack_out_of_range_names_value_field_and_words() {
    let line = fails(1, &["pack", "!h", "40000"], b"");
    assert_eq!(
        line,
        "netorder: field `0 ('h')`: value 40000 out of range -32768..=32767"
    );
    let line = fails(1, &["pack", "!Bb", "1", "-129"], b"");
    assert!(
        line.contains("-129") && line.contains("1 ('b')") && line.contains("out of range"),
        "{line}"
    );
    let line = fails(1, &["pack", "!e", "65520"], b"");
    assert!(
        line.contains("65520") && line.contains("0 ('e')") && line.contains("out of range"),
        "{line}"
    );
    let line = fails(1, &["pack", "!f", "1e39"], b"");
    assert!(
        line.contains("out of range") && line.contains("0 ('f')"),
        "{line}"
    );
    // Several records: the record is named too.
    let line = fails(1, &["pack", "!B", "1", "256"], b"");
    assert!(
        line.starts_with("netorder: record 2: field `0 ('B')`: value 256 out of range"),
        "{line}"
    );
    // Python's rules decide: inf fits `f`, a float does not fit `h`.
    assert_eq!(ok(&["pack", "!f", "inf"], b""), [0x7f, 0x80, 0, 0]);
    let line = fails(1, &["pack", "!h", "1.0"], b"");
    assert_eq!(
        line,
        "netorder: field `0 ('h')`: expected an integer, found a float"
    );
    let line = fails(1, &["pack", "!h", "x"], b"");
    assert_eq!(
        line,
        "netorder: field `0 ('h')`: expected a number or true/false, found \"x\""
    );
}

#[test]
fn pack_then_unpack_shows_python_forms() {
    let packed = ok(&["pack", "!f", "3.1415"], b"");
    assert_eq!(ok(&["unpack", "!f"], &packed), b"3.1414999961853027\n");
    let packed = ok(&["pack", "!e", "0.3333333333333333"], b"");
    assert_eq!(ok(&["unpack", "!e"], &packed), b"0.333251953125\n");
    let packed = ok(
        &[
            "pack", "!dddddd", "1e16", "0.00001", "1", "inf", "-inf", "nan",
        ],
        b"",
    );
    assert_eq!(
        ok(&["unpack", "!dddddd"], &packed),
        b"1e+16 1e-05 1.0 inf -inf nan\n"
    );
    let packed = ok(&["pack", "!?hc0s3p", "true", "-7", "0x00", "", "ab"], b"");
    assert_eq!(
        ok(&["unpack", "!?hc0s3p"], &packed),
        b"true -7 0x00 0x 0x6162\n"
    );
}

#[test]
fn unpack_several_records_and_hex_input() {
    assert_eq!(
        ok(&["unpack", "!hB"], &[0xff, 0xf9, 1, 0, 2, 255]),
        b"-7 1\n2 255\n"
    );
    assert_eq!(
        ok(&["unpack", "--hex", "!hB"], b"fff9 01\n0x0002ff\n"),
        b"-7 1\n2 255\n"
    );
    assert_eq!(ok(&["unpack", "!hB"], b""), b"", "no bytes: no records");
    assert_eq!(ok(&["unpack", "!?"], &[0, 1, 2]), b"false\ntrue\ntrue\n");
}

#[test]
fn unpack_refuses_a_partial_record() {
    let line = fails(1, &["unpack", "!I"], &[0, 0, 0, 1, 0, 0]);
    assert_eq!(
        line,
        "netorder: record 2: truncated: expected 4 bytes, received 2 before the end"
    );
    let line = fails(1, &["unpack", "--hex", "!I"], b"000001");
    assert!(line.contains("expected 4 bytes, received 3"), "{line}");
    let line = fails(1, &["unpack", "--hex", "!B"], b"0g");
    assert!(line.contains("invalid hex"), "{line}");
    let line = fails(1, &["unpack", "--hex", "!B"], b"000");
    assert!(line.contains("odd number of hex digits"), "{line}");
}

#[test]
fn unpack_and_explain_print_the_whole_records_before_a_partial_one() {
    // Regression: the records before a truncated last one were not printed at all.
    let out = run(&["unpack", "--hex", "!HI"], b"000100000002 000300");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"1 2\n");
    assert_eq!(
        stderr(&out),
        "netorder: record 2: truncated: expected 6 bytes, received 3 before the end\n"
    );
    let out = run(&["explain", "--hex", "!H"], b"0007 00");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "record 1 (bytes 0..2)\n     0  00 07  field 0 'H'  7\n"
    );
    assert_eq!(
        stderr(&out),
        "netorder: record 2: truncated: expected 2 bytes, received 1 before the end\n"
    );
}

#[test]
fn a_single_value_is_counted_in_the_singular() {
    let line = fails(1, &["pack", "!HI", "1"], b"");
    assert_eq!(
        line,
        "netorder: record 1: expected 2 values, received 1 (1 value is not a multiple of 2)"
    );
}

#[test]
fn explain_is_one_line_per_field() {
    let text = String::from_utf8(ok(&["explain", "--hex", "!Hxf"], b"0007 00 40490e56")).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "     0  00 07        field 0 'H'  7",
            "     2  00           pad 'x'",
            "     3  40 49 0e 56  field 1 'f'  3.1414999961853027",
        ]
    );
    let text = String::from_utf8(ok(&["explain", "!B"], &[1, 2])).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "record 1 (bytes 0..1)",
            "     0  01  field 0 'B'  1",
            "record 2 (bytes 1..2)",
            "     1  02  field 0 'B'  2",
        ]
    );
    let line = fails(1, &["explain", "!H"], &[1]);
    assert!(line.contains("expected 2 bytes, received 1"), "{line}");
}

#[test]
fn many_records_round_trip() {
    // 10 000 records through pack and unpack: the buffered paths, and no per-record mixups.
    let mut text = String::new();
    for i in 0..10_000i64 {
        text.push_str(&format!("{} {} {}\n", i - 5000, i % 2 == 0, i as f64 / 8.0));
    }
    let packed = ok(&["pack", "!q?d"], text.as_bytes());
    assert_eq!(packed.len(), 10_000 * 17);
    let unpacked = String::from_utf8(ok(&["unpack", "!q?d"], &packed)).unwrap();
    let expected: String = (0..10_000i64)
        .map(|i| {
            let x = i as f64 / 8.0;
            let x = if x.fract() == 0.0 {
                format!("{x:.1}")
            } else {
                format!("{x}")
            };
            format!("{} {} {}\n", i - 5000, i % 2 == 0, x)
        })
        .collect();
    assert_eq!(unpacked, expected);
}

/// Regression: a mistyped flag after the format (`--hexx`) was packed as a value.
#[test]
fn pack_refuses_a_mistyped_flag_as_a_usage_error() {
    let err = fails(2, &["pack", "!h", "1", "--hexx"], b"");
    assert!(err.contains("'--hexx'"), "{err}");
    let err = fails(2, &["pack", "!6s", "abcd", "--hexx"], b"");
    assert!(err.contains("'--hexx'"), "{err}");
    // Values that start with '-' (but are not --words) are still values; --words via stdin.
    assert_eq!(
        ok(&["pack", "!6s", "-text", "--hex"], b""),
        b"2d7465787400\n"
    );
    assert_eq!(ok(&["pack", "!6s", "--hex"], b"--hexx"), b"2d2d68657878\n");
}

/// Regression: an out-of-range float was echoed as hundreds of digits.
#[test]
fn pack_float_out_of_range_is_short() {
    let err = fails(1, &["pack", "!f", "1e300"], b"");
    assert!(err.contains("value 1e300 out of range"), "{err}");
    assert!(err.len() < 120, "{err}");
}
