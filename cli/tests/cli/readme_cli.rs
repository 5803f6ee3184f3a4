//! The README's command-line transcripts are true: every `$ netorder ...` line in a ```text
//! block is run (through `sh`, with the built binary first on `PATH`) and its output (stdout and
//! stderr, in order of the lines shown) must be exactly the lines that follow it.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_transcripts_match_the_binary() {
    let readme = include_str!("../../../README.md");
    let bin = Path::new(env!("CARGO_BIN_EXE_netorder"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut checked = 0;
    let mut in_text = false;
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            in_text = line == "```text" && !in_text;
            continue;
        }
        let Some(cmd) = line.strip_prefix("$ ") else {
            continue;
        };
        if !in_text {
            continue;
        }
        let mut expected = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("$ ") || next.starts_with("```") {
                break;
            }
            expected.push(lines.next().unwrap());
        }
        let out = Command::new("sh")
            .args(["-c", &format!("{cmd} 2>&1")])
            .env("PATH", &path)
            .output()
            .expect("run sh");
        let got = String::from_utf8_lossy(&out.stdout);
        let got: Vec<&str> = got.lines().collect();
        assert_eq!(got, expected, "README transcript `{cmd}`");
        checked += 1;
    }
    assert!(
        checked >= 4,
        "only {checked} transcripts found in README.md"
    );
}
