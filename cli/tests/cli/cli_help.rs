//! The CLI's help is complete and true: every command's `--help` ends with an "Examples" block
//! of real invocations, and every example shown with its output gives exactly that output;
//! `--version` prints the crate version; `completions SHELL` prints a script that knows every
//! command.

use std::path::Path;
use std::process::{Command, Output};

fn netorder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netorder"))
        .args(args)
        .output()
        .expect("run netorder")
}

fn stdout_of(args: &[&str]) -> String {
    let out = netorder(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr");
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The commands `netorder --help` lists (without clap's `help`).
fn commands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let listed: Vec<String> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    // The list is parsed, so check it is the real one (a new command must show up here too).
    for known in [
        "sizes",
        "calcsize",
        "pack",
        "unpack",
        "explain",
        "serve",
        "send",
        "completions",
    ] {
        assert!(
            listed.iter().any(|c| c == known),
            "{known} not in {listed:?}"
        );
    }
    listed
}

/// One example of a help's "Examples" block: the command and the output lines shown under it.
struct Example {
    command: String,
    output: Vec<String>,
}

/// The "Examples" block of a help text: from the line starting with "Examples" to the next
/// blank line; `$ ` lines are commands, the indented lines under one its output.
fn examples(help: &str) -> Vec<Example> {
    let mut block = help
        .lines()
        .skip_while(|l| !l.starts_with("Examples"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty());
    let mut found: Vec<Example> = Vec::new();
    for line in block.by_ref() {
        let line = line
            .strip_prefix("  ")
            .unwrap_or_else(|| panic!("example line {line:?} is not indented by two spaces"));
        if let Some(cmd) = line.strip_prefix("$ ") {
            found.push(Example {
                command: cmd.to_string(),
                output: Vec::new(),
            });
        } else {
            let last = found
                .last_mut()
                .unwrap_or_else(|| panic!("output {line:?} before any command"));
            last.output.push(line.to_string());
        }
    }
    found
}

#[test]
fn every_command_help_ends_with_examples() {
    let top = stdout_of(&["--help"]);
    assert!(
        examples(&top).len() >= 2,
        "netorder --help has no Examples block: {top}"
    );
    for cmd in commands() {
        let help = stdout_of(&[&cmd, "--help"]);
        let shown = examples(&help);
        let invoking = shown
            .iter()
            .filter(|e| e.command.contains(&format!("netorder {cmd} ")))
            .count();
        assert!(
            (2..=4).contains(&invoking),
            "`netorder {cmd} --help` shows {invoking} examples of {cmd} (want 2 to 4):\n{help}"
        );
    }
}

#[test]
fn help_examples_give_the_output_shown() {
    let bin = Path::new(env!("CARGO_BIN_EXE_netorder"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut helps = vec![stdout_of(&["--help"])];
    for cmd in commands() {
        helps.push(stdout_of(&[&cmd, "--help"]));
    }
    let mut checked = 0;
    for help in &helps {
        for ex in examples(help) {
            // Only examples shown with their output are claims about output; `serve` and
            // `send` need each other (cli_net.rs covers them).
            let needs_server =
                ex.command.contains("netorder serve") || ex.command.contains("netorder send");
            if ex.output.is_empty() || needs_server {
                continue;
            }
            let out = Command::new("sh")
                .args(["-c", &format!("{} 2>&1", ex.command)])
                .env("PATH", &path)
                .output()
                .expect("run sh");
            let got = String::from_utf8_lossy(&out.stdout);
            let got: Vec<&str> = got.lines().collect();
            assert_eq!(got, ex.output, "help example `{}`", ex.command);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} help examples checked");
}

#[test]
fn version_prints_the_crate_version() {
    for flag in ["--version", "-V"] {
        assert_eq!(
            stdout_of(&[flag]),
            format!("netorder {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn bash_completions_know_every_command() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(script.contains("complete -F _netorder"), "{script}");
    for cmd in commands() {
        // The case that recognises the command on the line being completed.
        assert!(
            script.contains(&format!("netorder,{cmd})")),
            "bash completion lacks {cmd}"
        );
    }
    // Flags of the commands are completed too.
    for flag in ["--hex", "--listen", "--framing", "--echo"] {
        assert!(script.contains(flag), "bash completion lacks {flag}");
    }
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_shell_is_a_usage_error() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains("calcsize"), "{shell}: {script}");
    }
    let out = netorder(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("netorder: invalid value 'tcsh'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bash, elvish, fish, powershell, zsh"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
