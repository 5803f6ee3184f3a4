//! The CLI's usage contract: unknown commands and flags, missing arguments and bad format
//! strings exit 2 with one line on stderr (and at most a pointer to `--help`); `--help` and
//! `--version` succeed.

use std::process::{Command, Output};

fn netorder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(args)
        .output()
        .expect("run netorder")
}

fn assert_usage_error(args: &[&str], needle: &str) {
    let out = netorder(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        (1..=2).contains(&lines.len()),
        "{args:?}: expected one line (plus --help pointer), got {lines:?}"
    );
    assert!(lines[0].starts_with("netorder: "), "{lines:?}");
    assert!(
        lines[0].contains(needle),
        "{args:?}: {:?} lacks {needle:?}",
        lines[0]
    );
    if let Some(second) = lines.get(1) {
        assert!(second.contains("--help"), "{second:?}");
    }
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
}

#[test]
fn unknown_command_flag_and_missing_argument_exit_2_with_one_line() {
    assert_usage_error(&["frobnicate"], "frobnicate");
    assert_usage_error(&["--bogus"], "--bogus");
    assert_usage_error(&["calcsize"], "<FORMAT>");
    assert_usage_error(&["unpack", "!h", "--nope"], "--nope");
}

#[test]
fn bad_format_strings_are_usage_errors() {
    for fmt in ["!n", "!!h", "q!", "3", "!z"] {
        assert_usage_error(&["calcsize", fmt], "format");
    }
}

#[test]
fn help_and_version_succeed() {
    let out = netorder(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "sizes", "calcsize", "pack", "unpack", "explain", "serve", "send",
    ] {
        assert!(help.contains(cmd), "--help does not list {cmd}: {help}");
    }
    let out = netorder(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn zero_counts_and_timeouts_are_usage_errors() {
    // Regression: 0 used to be taken silently as 1.
    for flag in ["--threads", "--max-connections", "--idle-timeout"] {
        assert_usage_error(
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--format",
                "!H",
                flag,
                "0",
            ],
            flag,
        );
    }
    assert_usage_error(
        &["send", "127.0.0.1:9", "--format", "!H", "--timeout", "0"],
        "--timeout",
    );
}
