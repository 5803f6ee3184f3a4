//! Every example runs on its own and succeeds: each program in `examples/` (and each
//! `[[example]]` of Cargo.toml) is run without arguments, must exit 0 within a minute, and the
//! known ones must print the line that shows their lesson worked.
//!
//! `cargo test` builds the examples (to check that they compile) into
//! `target/<profile>/examples/` before it runs any test; this test runs those binaries. An
//! example missing there is an error, except one whose `[[example]]` entry has
//! `required-features` (built only when they are enabled: it is skipped, and says so).

use netorder_support as common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the known examples print when their checks pass.
const EXPECTED: &[(&str, &str)] = &[
    (
        "fetch_page",
        "page 7: truncated: expected 4096 bytes, received 1500 before the end",
    ),
    ("echo_server", "ok: 1000 records echoed to 4 clients"),
    (
        "record_logger",
        "torn last entry at byte 175: truncated: expected 35 bytes, received 10 before the end; \
         not read as an entry",
    ),
    (
        "ascii_or_binary",
        "smallest per data set: ports: fixed 2; timestamps: fixed 4; file sizes: varint; \
         counters: varint; deltas: zigzag",
    ),
    (
        "ipv4_ttl",
        "ok: TTL 64 -> 1 in place over 63 hops, checksum patched (RFC 1624) and verified \
         (RFC 1071) at each",
    ),
    (
        "python_peer",
        "rust: received and checked 100 quotes, sent 100 acks",
    ),
];

const TIME_LIMIT: Duration = Duration::from_secs(60);

/// An example: its name and whether Cargo.toml gives it `required-features`.
#[derive(Debug)]
struct Example {
    name: String,
    feature_gated: bool,
}

/// Every example: the `.rs` files (and `main.rs` directories) in `examples/`, and the
/// `[[example]]` entries of Cargo.toml.
fn examples() -> Vec<Example> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found: BTreeMap<String, bool> = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("examples")).expect("examples/") {
        let path = entry.expect("examples/ entry").path();
        let name = if path.extension().is_some_and(|e| e == "rs") {
            path.file_stem()
        } else if path.join("main.rs").is_file() {
            path.file_name()
        } else {
            None
        };
        if let Some(name) = name {
            found.insert(name.to_string_lossy().into_owned(), false);
        }
    }
    // [[example]] tables: `name = "..."` and maybe `required-features = [...]`.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    for table in manifest.split("\n[").skip(1) {
        if !table.starts_with("[example]]") {
            continue;
        }
        let field = |key: &str| {
            table.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().to_string())
            })
        };
        let name = field("name").expect("[[example]] without a name");
        let name = name.trim_matches('"').to_string();
        let gated = field("required-features").is_some_and(|v| v != "[]");
        found.insert(name, gated);
    }
    found
        .into_iter()
        .map(|(name, feature_gated)| Example {
            name,
            feature_gated,
        })
        .collect()
}

/// `target/<profile>/examples/`: this test runs from `target/<profile>/deps/`.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .join("examples")
}

fn binary(name: &str) -> PathBuf {
    examples_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Waits for `child` at most `limit`; kills it past that.
fn wait_bounded(mut child: Child, name: &str, limit: Duration) -> (i32, String, String) {
    let start = Instant::now();
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("example {name} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let code = status.code().unwrap_or(-1);
    (code, out.join().unwrap(), err.join().unwrap())
}

#[test]
fn every_example_runs_and_succeeds() {
    let all = examples();
    for (name, _) in EXPECTED {
        assert!(
            all.iter().any(|e| e.name == *name),
            "example {name} is gone from examples/"
        );
    }
    let mut ran = 0;
    for example in &all {
        let bin = binary(&example.name);
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(format!("{}.rs", example.name));
        if !bin.exists() {
            assert!(
                example.feature_gated,
                "{} is not built: run `cargo test` for all targets (not just `--test docs`) \
                 or `cargo build --examples` first",
                bin.display()
            );
            println!(
                "skipped {}: its required-features are not enabled",
                example.name
            );
            continue;
        }
        if let (Ok(src), Ok(built)) = (source.metadata(), bin.metadata()) {
            if let (Ok(src), Ok(built)) = (src.modified(), built.modified()) {
                assert!(
                    built >= src,
                    "{} is older than its source: rebuild the examples (`cargo test` or \
                     `cargo build --examples`)",
                    bin.display()
                );
            }
        }
        let child = Command::new(&bin)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
        let (code, stdout, stderr) = wait_bounded(child, &example.name, TIME_LIMIT);
        assert_eq!(
            code, 0,
            "example {} failed:\n{stdout}\n--- stderr:\n{stderr}",
            example.name
        );
        if let Some((_, line)) = EXPECTED.iter().find(|(n, _)| *n == example.name) {
            // Without python3, python_peer says so and exits 0: nothing to check.
            let skipped_python =
                example.name == "python_peer" && stdout.contains("python3 is not installed");
            assert!(
                skipped_python || stdout.lines().any(|l| l == *line),
                "example {} did not print {line:?}:\n{stdout}\n--- stderr:\n{stderr}",
                example.name
            );
        }
        println!("ran {}: ok", example.name);
        ran += 1;
    }
    assert!(ran >= EXPECTED.len(), "only {ran} examples ran");
}

/// `echo_server --listen ADDR` serves until it is stopped: it says where it listens, and a
/// record sent there comes back byte for byte; a half record gets its peer reported on stderr.
#[test]
fn echo_server_listens_when_asked() {
    let bin = binary("echo_server");
    assert!(bin.exists(), "{} is not built", bin.display());
    let mut child = Command::new(&bin)
        .args(["--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run echo_server");
    let lines = common::line_channel(child.stderr.take().unwrap(), 100);
    let result = std::panic::catch_unwind(|| {
        let first = lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a first line on stderr");
        let addr = first
            .strip_prefix("listening on ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("first line {first:?}"));
        assert!(
            first.ends_with("(records: struct format !HIQ?, 15 bytes)"),
            "{first:?}"
        );

        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // struct.pack('!HIQ?', 1, 2, 3, True)
        let record = [0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 1];
        stream.write_all(&record).unwrap();
        let mut back = [0u8; 15];
        stream.read_exact(&mut back).unwrap();
        assert_eq!(back, record);

        // A peer that sends 6 of 15 bytes and closes is reported, by address, with the counts.
        let mut half = TcpStream::connect(addr).expect("connect");
        let peer = half.local_addr().unwrap();
        half.write_all(&record[..6]).unwrap();
        drop(half);
        let report = lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a report on stderr");
        assert_eq!(
            report,
            format!("{peer}: truncated: expected 15 bytes, received 6 before the end")
        );

        // The first client is still served.
        stream.write_all(&record).unwrap();
        stream.read_exact(&mut back).unwrap();
        assert_eq!(back, record);
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
