//! Running generated code: the C driver (`driver.c`, compiled once per layout with gcc) and
//! the Python driver (`driver.py`, one python3 process per batch), their line protocol, and the
//! Rust side's answers in the same words (`Layout::pack`, `Layout::unpack_strict`).

use netorder::{Error, ErrorKind, Layout, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The flags every generated header and the driver compile with.
pub const CFLAGS: &[&str] = &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

/// A fresh directory for one case's files, under cargo's scratch directory for tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("codegen")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `cmd` with `input` on stdin; its stdout lines. Fails the test on a failed exit.
pub fn run_lines(cmd: &mut Command, input: &str) -> Vec<String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("output");
    writer.join().expect("writer").expect("write stdin");
    assert!(out.status.success(), "{cmd:?} failed: {:?}", out.status);
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `gcc ARGS`; fails the test with gcc's messages when it fails.
pub fn gcc(args: &[&str], dir: &Path) {
    let out = Command::new("gcc")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("gcc is required for these tests: {e}"));
    assert!(
        out.status.success(),
        "gcc {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The generated code of one layout, built and ready to run.
pub struct Built {
    pub dir: PathBuf,
    pub c_driver: PathBuf,
    pub module: PathBuf,
}

/// Generates `layout` as `name.h` and `name.py` in a scratch directory, compiles the header
/// alone and then with the C driver.
pub fn build(layout: &Layout, name: &str) -> Built {
    let dir = scratch(name);
    let header = layout.gen_c(name).expect("gen_c");
    let module = layout.gen_python(name).expect("gen_python");
    std::fs::write(dir.join(format!("{name}.h")), header).unwrap();
    std::fs::write(dir.join(format!("{name}.py")), module).unwrap();
    let upper = name.to_ascii_uppercase();
    // The header compiles on its own.
    let file = format!("{name}.h");
    let alone = [
        CFLAGS,
        &["-Wconversion", "-c", "-x", "c", &file, "-o", "/dev/null"],
    ]
    .concat();
    gcc(&alone, &dir);
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codegen/driver.c");
    let defines = [
        format!("-DREC_HEADER=\"{name}.h\""),
        format!("-DREC_T={name}_t"),
        format!("-DREC_SIZE={upper}_SIZE"),
        format!("-DREC_ENCODE={name}_encode"),
        format!("-DREC_DECODE={name}_decode"),
        format!("-DREC_FIELDS={upper}_FIELDS"),
    ];
    let mut args: Vec<&str> = CFLAGS.to_vec();
    args.extend(defines.iter().map(String::as_str));
    args.extend([
        "-I.",
        "-O1",
        driver.to_str().unwrap(),
        "-o",
        "driver",
        "-lm",
    ]);
    gcc(&args, &dir);
    Built {
        c_driver: dir.join("driver"),
        module: dir.join(format!("{name}.py")),
        dir,
    }
}

impl Built {
    /// The C driver's answers to `commands`.
    pub fn c(&self, commands: &[String]) -> Vec<String> {
        let out = run_lines(&mut Command::new(&self.c_driver), &join(commands));
        assert_eq!(out.len(), commands.len(), "one answer per command");
        out
    }

    /// The Python driver's answers to `commands`.
    pub fn python(&self, commands: &[String]) -> Vec<String> {
        let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codegen/driver.py");
        let out = run_lines(
            Command::new("python3")
                .arg(driver)
                .arg(&self.module)
                .current_dir(&self.dir),
            &join(commands),
        );
        assert_eq!(out.len(), commands.len(), "one answer per command");
        out
    }
}

fn join(commands: &[String]) -> String {
    let mut s = commands.join("\n");
    s.push('\n');
    s
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// A value as a protocol token.
pub fn token(v: &Value) -> String {
    match v {
        Value::Int(n) => format!("i{n}"),
        Value::Bool(b) => format!("b{}", u8::from(*b)),
        Value::Float(x) => format!("f{:016x}", x.to_bits()),
        Value::Bytes(b) => format!("x{}", hex(b)),
    }
}

pub fn tokens(values: &[Value]) -> String {
    values.iter().map(token).collect::<Vec<_>>().join(" ")
}

/// An error's reason in the protocol's words.
pub fn reason(e: &Error) -> &'static str {
    match e.kind() {
        ErrorKind::Incomplete { .. } => "short",
        ErrorKind::TrailingBytes { .. } => "trailing",
        ErrorKind::InvalidBool { .. } => "bool",
        ErrorKind::InvalidVariant { .. } => "enum",
        ErrorKind::InvalidByte { expected, .. } if expected.starts_with("0 (padding") => "padding",
        ErrorKind::InvalidByte { .. } => "pascal",
        ErrorKind::OutOfRange { .. } | ErrorKind::BitsOutOfRange { .. } => "range",
        ErrorKind::FloatOutOfRange { .. } => "float_range",
        ErrorKind::TypeMismatch { .. } => "type",
        ErrorKind::ValueCount { .. } => "count",
        other => panic!("unexpected error kind {other:?}"),
    }
}

/// The value index an error names (its field label starts with it), or -1.
pub fn index(e: &Error) -> i64 {
    e.field()
        .map(|f| {
            let digits: String = f.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().expect("a field label starts with its index")
        })
        .unwrap_or(-1)
}

/// Rust's answer to `D <hex>`, in the drivers' words.
pub fn rust_decode(layout: &Layout, bytes: &[u8]) -> String {
    match layout.unpack_strict(bytes) {
        Ok(values) if values.is_empty() => "ok".to_owned(),
        Ok(values) => format!("ok {}", tokens(&values)),
        Err(e) => format!(
            "err {} {} {}",
            reason(&e),
            e.offset().map_or("-".to_owned(), |o| o.to_string()),
            index(&e)
        ),
    }
}

/// What an encoder said: the bytes, or the reason and the value's index (and the offset,
/// which Rust's pack errors do not carry).
#[derive(Debug, PartialEq, Eq, Clone)]
pub enum Verdict {
    Ok(String),
    Err {
        reason: String,
        index: i64,
        offset: Option<usize>,
    },
    /// The C driver could not put the values in C's types.
    Unrepresentable,
}

impl Verdict {
    /// An `E` answer of a driver.
    pub fn parse(line: &str) -> Verdict {
        if line == "unrep" {
            return Verdict::Unrepresentable;
        }
        if let Some(hex) = line.strip_prefix("ok ") {
            return Verdict::Ok(hex.to_owned());
        }
        if line == "ok" {
            return Verdict::Ok(String::new());
        }
        let parts: Vec<&str> = line.split(' ').collect();
        assert!(
            parts.len() == 4 && parts[0] == "err",
            "unexpected answer {line:?}"
        );
        Verdict::Err {
            reason: parts[1].to_owned(),
            offset: parts[2].parse().ok(),
            index: parts[3].parse().expect("index"),
        }
    }

    /// The same decision and reason and value (the offset aside).
    pub fn agrees(&self, other: &Verdict) -> bool {
        match (self, other) {
            (Verdict::Ok(a), Verdict::Ok(b)) => a == b,
            (
                Verdict::Err { reason, index, .. },
                Verdict::Err {
                    reason: r2,
                    index: i2,
                    ..
                },
            ) => reason == r2 && index == i2,
            _ => false,
        }
    }
}

/// Rust's answer to `E <values>`.
pub fn rust_encode(layout: &Layout, values: &[Value]) -> Verdict {
    match layout.pack(values) {
        Ok(bytes) => Verdict::Ok(hex(&bytes)),
        Err(e) => Verdict::Err {
            reason: reason(&e).to_owned(),
            index: index(&e),
            offset: None,
        },
    }
}
